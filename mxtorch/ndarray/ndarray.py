"""NDArray: MXNet's n-dimensional array, wrapping exactly one ``torch.Tensor``.

The tensor lives in ``_t``; ``_ctx`` is the MXNet Context (several CPU contexts share torch's
CPU device, so the context cannot be read off the tensor). ``_ag`` holds the gradient buffer
once ``attach_grad`` was called.

Every operator, fluent method and Python operator ends in a registered OpDef's compute, run by
``_run`` (the nd door's version of ``ops.invoke``): outside ``autograd.record()`` it never
builds a torch graph.
"""
import warnings

import numpy as np
import torch

from .. import autograd
from ..autograd import STATE
from ..base import DTypeError, MXNetError, NotSupportedError, numeric_types
from ..context import Context, context_of_device, current_context
from .._torch.dtypes import TORCH_TO_NAME, TORCH_TO_NP_TYPE, to_torch_dtype
from ..ops import invoke
from ..ops._invoke import KERNEL_ERRORS, diagnose
from ..ops.shape import infer_reshape
from ..engine import PENDING as _PENDING, raise_pending

__all__ = ["NDArray", "from_torch", "waitall", "_DTYPE_NP_TO_MX", "_DTYPE_MX_TO_NP",
           "_GRAD_REQ_MAP", "_new_empty_handle"]

_new = object.__new__
_Tensor = torch.Tensor
_grad_enabled = torch.is_grad_enabled
_set_grad_enabled = getattr(torch._C, "_set_grad_enabled", torch.set_grad_enabled)


class _no_grad:  # noqa: N801 - used like torch.no_grad
    """``torch.no_grad()`` for the nd door: the same switch without torch's decorator
    machinery (a third of its cost, which matters at ~1 us per operator)."""
    __slots__ = ("_prev",)

    def __enter__(self):
        self._prev = _grad_enabled()
        _set_grad_enabled(False)

    def __exit__(self, *exc):
        _set_grad_enabled(self._prev)


# Deferred compute (hybridizing 2.x ``forward`` blocks): while gluon's tracer is installed in
# DEFERRED[0], the nd door reports every op it runs as ``tracer(op, inputs, attrs, result)``.
DEFERRED = [None]


class NDArray:
    """An n-dimensional array on a device (``Context``), as in MXNet 1.x.

    Create arrays with ``mx.nd.array``, ``mx.nd.zeros``...; wrap a torch tensor without copying
    with ``mx.nd.from_torch(t)`` and get it back with ``x.to_torch()``.
    """
    __slots__ = ("_t", "_ctx", "_ag", "__weakref__")
    __array_priority__ = 1000.0
    _sparse = False  # True for CSRNDArray / RowSparseNDArray (ndarray/sparse.py)

    def __init__(self, handle, ctx=None, writable=True):
        # ``handle`` is the storage: a torch tensor here, where MXNet has a C handle.
        if handle is None:  # MXNet's pickles rebuild arrays as NDArray(None) + __setstate__
            handle = torch.zeros(0)
        if not isinstance(handle, torch.Tensor):
            raise NotSupportedError(
                "NDArray(handle) wraps an MXNet C handle, which mxtorch does not have; "
                "create arrays with mx.nd.array(...) or mx.nd.from_torch(tensor)")
        self._t = handle
        self._ctx = ctx if ctx is not None else context_of_device(handle.device)

    # ---- basic properties ------------------------------------------------------------------
    @property
    def shape(self):
        """Tuple of dimensions."""
        return tuple(self._t.shape)

    @property
    def size(self):
        """Number of elements."""
        return self._t.numel()

    @property
    def ndim(self):
        """Number of dimensions."""
        return self._t.dim()

    @property
    def dtype(self):
        """numpy scalar type of the elements (``numpy.float32``...)."""
        return TORCH_TO_NP_TYPE[self._t.dtype]

    @property
    def context(self):
        """The Context the array lives on."""
        return self._ctx

    ctx = context

    @property
    def device(self):
        """2.x spelling of ``context``."""
        return self._ctx

    @property
    def stype(self):
        """Storage type: 'default' for dense arrays."""
        return "default"

    @property
    def writable(self):
        return True

    @property
    def handle(self):
        raise NotSupportedError("NDArray.handle is an MXNet C pointer; mxtorch arrays have none "
                                "(use x.to_torch() for the underlying torch tensor)")

    @property
    def T(self):  # noqa: N802 - MXNet's name
        """Transpose (reverse all axes)."""
        if self.ndim < 2:
            return self
        return _call("transpose", self)

    @property
    def grad(self):
        """Gradient buffer attached by ``attach_grad`` (None if none)."""
        info = getattr(self, "_ag", None)
        return None if info is None else info.buffer

    @property
    def _fresh_grad(self):
        info = getattr(self, "_ag", None)
        return bool(info and info.fresh)

    @_fresh_grad.setter
    def _fresh_grad(self, value):
        info = getattr(self, "_ag", None)
        if info is not None:
            info.fresh = bool(value)

    @property
    def _grad_req(self):
        info = getattr(self, "_ag", None)
        return "null" if info is None else info.req

    # ---- conversion ------------------------------------------------------------------------
    def asnumpy(self):
        """Copy to a numpy array."""
        if _PENDING:  # an operator error MXNet reports at the next read
            raise_pending(self._t)
        t = self._t
        if t.requires_grad:
            t = t.detach()
        if t.is_cuda:
            t = t.cpu()
        if t.dtype is torch.bfloat16:
            t = t.float()
        return t.numpy().copy()

    def asscalar(self):
        """The only element as a numpy scalar (the array must have size 1)."""
        if self._t.numel() != 1:
            raise ValueError(f"The current array is not a scalar: shape {self.shape}, size "
                             f"{self.size}; asscalar needs exactly one element")
        return self.asnumpy().reshape(())[()]

    def item(self):
        return self.asscalar().item()

    def __array__(self, dtype=None, copy=None):
        out = self.asnumpy()
        return out if dtype is None else out.astype(dtype, copy=False)

    def to_torch(self):
        """The underlying torch tensor (shared storage, no copy)."""
        return self._t

    def tolist(self):
        return self.asnumpy().tolist()

    def astype(self, dtype, copy=True):
        """Cast to ``dtype``; with ``copy=False`` the same array is returned if nothing changes."""
        target = to_torch_dtype(dtype)
        if not copy and target == self._t.dtype:
            return self
        return _call("Cast", self, dtype=TORCH_TO_NAME[target])

    def copy(self):
        """A new array with the same values (differentiable inside record())."""
        return _call("_copy", self)

    def copyto(self, other):
        """Copy into the NDArray ``other`` (same shape) or onto a Context (a new array)."""
        if isinstance(other, NDArray):
            if other is self:
                warnings.warn("You are attempting to copy an array to itself", stacklevel=2)
                return False  # as MXNet
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} vs target "
                                 f"{other.shape}")
            if other._sparse:
                _assign(other, self._t)
                return other
            _assign(other, self._t.to(device=other._t.device, dtype=other._t.dtype))
            return other
        if isinstance(other, Context):
            out = _wrap(_run1(lambda t: t.to(other.torch_device, copy=True), self._t), other)
            if DEFERRED[0] is not None:
                from ..ops import get_op
                DEFERRED[0](get_op("_copyto"), [self._t], {}, out._t)
            return out
        raise TypeError(f"copyto does not support type {type(other).__name__}; "
                        "pass an NDArray or a Context")

    def as_in_context(self, context):
        """This array on ``context``: itself if already there, else a copy."""
        if context == self._ctx:
            return self
        return self.copyto(context)

    as_in_ctx = as_in_context

    def to_device(self, device):
        return self.as_in_context(device)

    def as_nd_ndarray(self):
        return self

    def as_np_ndarray(self):
        raise NotSupportedError("mx.np arrays (MXNet's NumPy interface) are not available in "
                                "this mxtorch version; use NDArray methods or .asnumpy()")

    def tostype(self, stype):
        """Convert storage type ('default', 'csr', 'row_sparse')."""
        if stype == "default":
            return self.copy()
        from .sparse import cast_storage
        return cast_storage(self, stype)

    def to_dlpack_for_read(self):
        return torch.utils.dlpack.to_dlpack(self._t.detach())

    to_dlpack_for_write = to_dlpack_for_read

    def wait_to_read(self):
        """Block until the array's value is computed (a device sync on GPU)."""
        if _PENDING:
            raise_pending(self._t)
        if self._t.is_cuda:
            torch.cuda.synchronize(self._t.device)

    wait_to_write = wait_to_read

    # ---- autograd --------------------------------------------------------------------------
    def attach_grad(self, grad_req="write", stype=None):
        """Give this array a gradient buffer; ``backward`` fills it ('write') or adds ('add').

        ``stype`` is the buffer's storage type ('default', 'row_sparse', 'csr'); default: this
        array's own.
        """
        stype = stype or self.stype
        if stype == "default":
            buffer = _wrap(torch.zeros_like(self._t), self._ctx)
        else:
            from .sparse import zeros
            buffer = zeros(stype, self.shape, ctx=self._ctx, dtype=self.dtype)
        autograd.attach(self, grad_req, buffer)

    def detach(self):
        """The same values, cut from the recorded graph."""
        if self._t.grad_fn is not None:  # a backward cleared its graph: MXNet sees a constant
            autograd.release_cleared((self,))
        return _wrap(self._t.detach(), self._ctx)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Back-propagate from this array (see ``autograd.backward``)."""
        autograd.backward([self], None if out_grad is None else [out_grad],
                          retain_graph=retain_graph, train_mode=train_mode)

    # ---- shape-changing methods with MXNet-specific arguments ---------------------------------
    def reshape(self, *shape, **kwargs):
        """Reshape (a view when possible). Accepts ``reshape(2, 3)``, ``reshape((2, 3))`` and
        MXNet's special codes 0/-1/-2/-3/-4 with ``reverse=True``."""
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = shape[0]
        shape = kwargs.pop("shape", shape)
        reverse = kwargs.pop("reverse", False)
        if kwargs:
            raise TypeError(f"reshape got unexpected arguments {sorted(kwargs)}")
        target = infer_reshape(self._t.shape, tuple(int(d) for d in shape), reverse,
                               op_name="NDArray.reshape")
        result = _wrap(_run1(lambda t: t.reshape(target), self._t), self._ctx)
        if DEFERRED[0] is not None:  # traced / recorded as the Reshape operator
            from ..ops import get_op
            DEFERRED[0](get_op("Reshape"), [self._t], {"shape": target}, result._t)
        return result

    def reshape_like(self, *args, **kwargs):
        return _call("reshape_like", self, *args, **kwargs)

    def broadcast_to(self, shape):
        """Broadcast to ``shape``: every axis must match or be 1 here (as NumPy)."""
        shape = tuple(shape)
        cur = (1,) * (len(shape) - self.ndim) + self.shape
        if len(shape) < self.ndim or any(c not in (1, s) for c, s in zip(cur, shape)):
            raise ValueError(f"broadcast_to: cannot broadcast an array of shape {self.shape} "
                             f"to {shape}; each axis must match or be 1")
        src = self if len(cur) == self.ndim else self.reshape(cur)
        return _call("broadcast_to", src, shape=shape)

    def flatten(self, inplace=False):
        """Collapse all axes but the first; ``inplace=True`` returns a view sharing memory."""
        return self._inplace_view(_call("Flatten", self), inplace)

    def squeeze(self, axis=None, inplace=False):
        """Remove axes of length 1 (all, or ``axis``); ``inplace=True`` returns a view."""
        return self._inplace_view(_call("squeeze", self, axis=axis), inplace)

    def expand_dims(self, axis, inplace=False):
        """Insert an axis of length 1 at ``axis``; ``inplace=True`` returns a view."""
        return self._inplace_view(_call("expand_dims", self, axis=axis), inplace)

    def _inplace_view(self, result, inplace):
        return self.reshape(result.shape) if inplace else result

    def transpose(self, *axes, **kwargs):
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = axes[0]
        if axes:
            kwargs["axes"] = tuple(axes)
        return _call("transpose", self, **kwargs)

    def zeros_like(self, *args, **kwargs):
        return _call("zeros_like", self, *args, **kwargs)

    def ones_like(self, *args, **kwargs):
        return _call("ones_like", self, *args, **kwargs)

    def split(self, *args, **kwargs):
        return _call("SliceChannel", self, *args, **kwargs)

    def split_v2(self, *args, **kwargs):
        from . import split_v2
        return split_v2(self, *args, **kwargs)

    def slice_assign(self, rhs, begin, end, step):
        return _call("_slice_assign", self, rhs, begin=begin, end=end, step=step, out=self)

    def slice_assign_scalar(self, value, begin, end, step):
        return _call("_slice_assign_scalar", self, scalar=value, begin=begin, end=end, step=step,
                     out=self)

    # ---- indexing ----------------------------------------------------------------------------
    def __getitem__(self, key):
        from ._indexing import getitem
        if DEFERRED[0] is not None:
            result = getitem(self, key)
            DEFERRED[0].getitem(self._t, key, result._t)
            return result
        return getitem(self, key)

    def __setitem__(self, key, value):
        from ._indexing import setitem
        setitem(self, key, value)

    def __len__(self):
        if self._t.dim() == 0:
            raise _ScalarLenError("len() of a 0-d array")
        return self._t.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self):
        n = self._t.numel()
        if n == 1:
            return bool(self._t.item())
        if n == 0:
            return False
        raise ValueError(f"The truth value of an NDArray with multiple elements is ambiguous "
                         f"(shape {self.shape}); use .asnumpy().any() or .all()")

    __nonzero__ = __bool__

    def __float__(self):
        return float(self.asscalar())

    def __int__(self):
        return int(self.asscalar())

    def __index__(self):
        if self._t.dtype.is_floating_point:
            raise TypeError("only integer arrays of size 1 can be used as an index")
        return int(self.asscalar())

    __hash__ = object.__hash__

    # ---- printing and pickling ---------------------------------------------------------------
    def __repr__(self):
        shape = "x".join(str(d) for d in self.shape)
        return f"\n{self.asnumpy()}\n<{type(self).__name__} {shape} @{self._ctx}>"

    def __str__(self):
        return self.__repr__()

    def __format__(self, spec):
        if self._t.numel() == 1 and spec:
            return format(self.asscalar(), spec)
        return str(self)

    def __getstate__(self):
        from .._torch.params_format import dumps_array
        return {"handle": dumps_array(self._t.detach().cpu())}

    def __setstate__(self, state):
        from .._torch.params_format import loads_array
        handle = state.get("handle") if isinstance(state, dict) else None
        if handle is None:
            self._t = torch.zeros(0)
        else:
            self._t = loads_array(handle)
        self._ctx = context_of_device(self._t.device)

    def __reduce_ex__(self, protocol):
        return (_unpickle, (), self.__getstate__())

    def __dlpack__(self, stream=None):
        return self._t.detach().__dlpack__()

    def __dlpack_device__(self):
        return self._t.__dlpack_device__()


def _unpickle():
    arr = _new(NDArray)
    arr._t = torch.zeros(0)
    arr._ctx = current_context()
    return arr


# --------------------------------------------------------------------------------------------
# the nd door's execution helpers
# --------------------------------------------------------------------------------------------


def _wrap(t, ctx=None):
    """NDArray around tensor ``t`` (no copy)."""
    a = _new(NDArray)
    a._t = t
    a._ctx = ctx if ctx is not None else context_of_device(t.device)
    return a


def from_torch(tensor, ctx=None):
    """Wrap a torch tensor as an NDArray without copying."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"from_torch expects a torch.Tensor, got {type(tensor).__name__}")
    return _wrap(tensor, ctx)


def _run1(fn, t):
    """Run ``fn(t)`` tracking gradients only while recording."""
    if t.requires_grad and not STATE.recording:
        with _no_grad():
            return fn(t)
    return fn(t)


def _assign(target, value):
    """Write tensor ``value`` into the NDArray ``target`` in place (broadcasting)."""
    if target._sparse:
        from .sparse import assign_dense
        return assign_dense(target, value.to(target.context.torch_device))
    dst = target._t
    if STATE.recording and (dst.requires_grad or value.requires_grad):
        # Recorded in-place writes would corrupt torch's graph; rebind instead (identity kept).
        new = value.to(dst.dtype).expand(dst.shape).clone() if value.shape != dst.shape \
            else value.to(dst.dtype, copy=True)  # never an alias of the source
        target._t = new
        return
    with _no_grad():
        dst.copy_(value)


def waitall():
    """Wait for all pending device work (synchronous on CPU)."""
    if _PENDING:
        raise_pending()
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        for i in range(torch.cuda.device_count()):
            torch.cuda.synchronize(i)


# the generated nd functions by registered name, filled by ``_gen`` when it has built them
ND_FUNCTIONS = {}


def _call(name, *args, **kwargs):
    """Call the generated nd function of operator ``name`` (used by fluent methods)."""
    fn = ND_FUNCTIONS.get(name)
    if fn is None:
        from . import _gen  # noqa: F401 - builds ND_FUNCTIONS on first use
        fn = ND_FUNCTIONS.get(name)
        if fn is None:
            raise MXNetError(f"operator {name!r} is not available in mxtorch")
    return fn(*args, **kwargs)


def _out_is_input(out, arrays):
    """``out=`` is the first input, or (multi-weight updates) a list of inputs led by it."""
    if out is arrays[0]:
        return True
    if type(out) not in (list, tuple) or not out or out[0] is not arrays[0]:
        return False
    if len(out) == 1:
        return True
    first = {}  # each array's first position among the inputs
    for i, a in enumerate(arrays):
        first.setdefault(id(a), i)
    step = first.get(id(out[1]), -1)
    if step <= 0:
        return False
    for k, o in enumerate(out):
        if first.get(id(o), -1) != k * step:
            return False
    return True


def apply_op(op, arrays, attrs, out=None):
    """Run ``op`` on NDArrays with parsed ``attrs``; the generic nd door path."""
    if out is not None and op.out_alias is not None and arrays and _out_is_input(out, arrays):
        op = op.out_alias
    for a in arrays:
        if a._sparse:
            return _sparse_door(op, arrays, attrs, out)
    if out is not None and getattr(out, "_sparse", False):
        return _sparse_door(op, arrays, attrs, out)
    asks = _DENSE_TO_SPARSE.get(op.name)  # only these ops make sparse results of dense ones
    if asks is not None and attrs.get(asks) not in (None, "default") and \
            op.stype(attrs, ["default"] * len(arrays)) != "default":
        return _sparse_door(op, arrays, attrs, out)
    return _apply_dense(op, arrays, attrs, out)


def _sparse_door(op, arrays, attrs, out):
    from .sparse import sparse_apply  # MXNet's storage-type table and the sparse kernels
    return sparse_apply(op, arrays, attrs, out)


# op -> the attribute that asks for a sparse result of dense inputs
_DENSE_TO_SPARSE = {"cast_storage": "stype", "dot": "forward_stype"}


def _apply_dense(op, arrays, attrs, out=None):
    """``apply_op`` on dense values (also the storage fallback of sparse inputs)."""
    tensors = [arrays[0]._t] if len(arrays) == 1 else [a._t for a in arrays]
    if arrays:
        ctx = arrays[0]._ctx
    else:
        ctx = attrs.get("ctx") or current_context()
        if not isinstance(ctx, Context):
            ctx = current_context()
    recording = STATE.recording
    if recording:
        if op.grad_stype is not None:
            tensors = autograd.sparse_grad_inputs(op, arrays, tensors, attrs)
        result = invoke(op, tensors, attrs, STATE.training)
    else:
        result = run_plain(op, tensors, attrs)
    single = type(result) is _Tensor
    if tensors and not op.mutate:
        result = _fresh(result, tensors) if single else [_fresh(r, tensors) for r in result]
    if recording:
        if not single:
            autograd.mark_recorded(result)
        elif not result.requires_grad:
            result._mx_recorded = True
    if DEFERRED[0] is not None:
        DEFERRED[0](op, [a._t for a in arrays], attrs, result)
    if single:
        if out is not None:
            if type(out) in (list, tuple) and len(out) == 1:  # MXNet accepts out=[array]
                _write_out(out[0], result, op)
                return out
            return _write_out(out, result, op)
        return _wrap(result, ctx)
    if out is not None:
        outs = out if isinstance(out, (list, tuple)) else [out]
        for o, r in zip(outs, result):
            if type(o) is not NDArray or o._t is not r:  # in-place kernels wrote o already
                _write_out(o, r, op)
        return out
    return [_wrap(r, ctx) for r in result]


def run_plain(op, tensors, attrs):
    """``op`` on dense torch tensors outside ``record()``, returning its torch result (no
    autograd graph even where inputs require grad). ``_apply_dense`` runs it when not
    recording; eager layers that know the result never aliases an input call it directly."""
    for t in tensors:
        if t.requires_grad:
            prev = _grad_enabled()
            _set_grad_enabled(False)
            try:
                return invoke(op, tensors, attrs, STATE.training)
            finally:
                _set_grad_enabled(prev)
    return invoke(op, tensors, attrs, STATE.training)


def plain_eager():
    """True when eager layers may call :func:`run_plain`: nothing records or traces."""
    return not STATE.recording and DEFERRED[0] is None


def _fresh(result, inputs):
    """MXNet operators return new arrays: copy a result that is a view of (or is) an input.

    (Inside the graph compiler views are fine; only the nd door hands results to users.)
    """
    base = result._base
    if base is None:
        ptr = result.data_ptr()  # not a view: only `result is input`-like aliasing remains
        if ptr:
            for t in inputs:
                if t.data_ptr() == ptr:
                    return result.clone()
        return result
    for t in inputs:
        if base is t or base is t._base:  # a view of an input (reshape, transpose...)
            return result.clone()
    ptr = result.untyped_storage().data_ptr()
    if ptr and any(t.untyped_storage().data_ptr() == ptr for t in inputs):
        return result.clone()
    return result


def _write_out(out, tensor, op):
    if not isinstance(out, NDArray):
        raise TypeError(f"{op.name}: out= must be an NDArray, got {type(out).__name__}")
    if tuple(out._t.shape) != tuple(tensor.shape):
        raise MXNetError(f"{op.name}: out= has shape {out.shape}, the result has shape "
                         f"{tuple(tensor.shape)}")
    if out._t is not tensor:
        if out._t.dtype != tensor.dtype:
            tensor = tensor.to(out._t.dtype)
        _assign(out, tensor)
    return out


# --------------------------------------------------------------------------------------------
# Python operators: one table (ndarray/_operators.py) -> fast paths over the ops' torch kernels
# --------------------------------------------------------------------------------------------


def _dtype_mismatch(name, a, b):
    want, got = TORCH_TO_NAME.get(a.dtype), TORCH_TO_NAME.get(b.dtype)
    return DTypeError(f"{name}: input 'rhs' has dtype {got}, expected {want} like input 'lhs'; "
                      f"MXNet does not mix dtypes in one operator, cast first, e.g. "
                      f"y.astype('{want}')")


def make_array_op(op, fn):
    """Fast ``array <op> array`` for a broadcast op whose torch kernel is ``fn``."""
    name = op.name

    def apply(a, b, ctx):
        if a.dtype != b.dtype:
            raise _dtype_mismatch(name, a, b)
        try:
            if (a.requires_grad or b.requires_grad) and not STATE.recording:
                prev = _grad_enabled()
                _set_grad_enabled(False)
                try:
                    r = fn(a, b)
                finally:
                    _set_grad_enabled(prev)
            else:
                r = fn(a, b)
        except KERNEL_ERRORS as err:
            raise diagnose(op, [a, b], {}, None, err) from err
        if DEFERRED[0] is not None:
            DEFERRED[0](op, [a, b], {}, r)
        out = _new(NDArray)
        out._t = r
        out._ctx = ctx
        return out
    return apply


def make_scalar_op(op, fn, scalar_for):
    """Fast ``array <op> scalar`` for a scalar op whose torch kernel is ``fn(t, s)``."""
    def apply(a, s, ctx):
        if not a.is_floating_point():
            s = scalar_for(a, s)
        try:
            if a.requires_grad and not STATE.recording:
                prev = _grad_enabled()
                _set_grad_enabled(False)
                try:
                    r = fn(a, s)
                finally:
                    _set_grad_enabled(prev)
            else:
                r = fn(a, s)
        except KERNEL_ERRORS as err:
            if type(s) is bool:  # MXNet reads True/False as 1/0 (torch refuses x - True)
                return apply(a, int(s), ctx)
            raise diagnose(op, [a], {"scalar": s}, None, err) from err
        if DEFERRED[0] is not None:
            DEFERRED[0](op, [a], {"scalar": s}, r)
        out = _new(NDArray)
        out._t = r
        out._ctx = ctx
        return out
    return apply


def binary_method(array_apply, scalar_apply, reverse=False):
    """Build an NDArray dunder from the array and scalar fast paths."""
    if reverse:
        def method(self, other):
            if isinstance(other, numeric_types):
                return scalar_apply(self._t, other, self._ctx)
            if isinstance(other, NDArray):
                return array_apply(other._t, self._t, other._ctx)
            if isinstance(other, np.ndarray):
                return array_apply(_from_numpy_like(other, self), self._t, self._ctx)
            return NotImplemented
    else:
        def method(self, other):
            if isinstance(other, NDArray):
                return array_apply(self._t, other._t, self._ctx)
            if isinstance(other, numeric_types):
                return scalar_apply(self._t, other, self._ctx)
            if isinstance(other, np.ndarray):
                return array_apply(self._t, _from_numpy_like(other, self), self._ctx)
            return NotImplemented
    return method


def inplace_method(binary):
    """``x op= y``: compute, then write into x's storage (object identity is kept)."""
    def method(self, other):
        result = binary(self, other)
        if result is NotImplemented:
            return result
        if result.shape != self.shape:
            raise MXNetError(f"in-place operation would change the shape from {self.shape} to "
                             f"{result.shape}")
        _assign(self, result._t)
        if DEFERRED[0] is not None:
            DEFERRED[0].rebind(self._t, result._t)
        return self
    return method


def _from_numpy_like(array, like):
    return torch.as_tensor(array, dtype=like._t.dtype, device=like._t.device)


def unary_method(op_name):
    def method(self):
        return _call(op_name, self)
    return method


# --------------------------------------------------------------------------------------------
# the rest of MXNet's ``ndarray.ndarray`` module namespace
# --------------------------------------------------------------------------------------------

# MXNet's type flags of the dtypes its 1.x NDArray exposes, and its grad_req codes.
_DTYPE_NP_TO_MX = {None: -1, np.float32: 0, np.float64: 1, np.float16: 2, np.uint8: 3,
                   np.int32: 4, np.int8: 5, np.int64: 6, np.bool_: 7,
                   np.dtype([("bfloat16", np.uint16)]): 12}
_DTYPE_MX_TO_NP = {flag: dtype for dtype, flag in _DTYPE_NP_TO_MX.items()}
_GRAD_REQ_MAP = {"null": 0, "write": 1, "add": 3}


def _new_empty_handle():
    """Storage for an empty array (``NDArray(_new_empty_handle())``): a 0-element tensor,
    mxtorch's counterpart of MXNet's empty C handle."""
    return torch.zeros(0)


def _star_names():
    from ._late_names import STAR
    return list(STAR)


__all__ += _star_names()


def __getattr__(name):
    # MXNet defines the creation helpers and the NumPy-style binary functions in this module;
    # mxtorch keeps them in the package (``ndarray/__init__``), which imports this module first.
    from . import _late_names
    return _late_names.lookup(name)


class _ScalarLenError(IndexError, TypeError):
    """``len()`` of a 0-d array: MXNet raises IndexError, NumPy TypeError; catch either."""
