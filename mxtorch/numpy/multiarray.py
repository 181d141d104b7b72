"""``mx.np.ndarray``: MXNet's NumPy-compatible array, and ``mx.np``'s creation functions.

An ``mx.np.ndarray`` is an ``NDArray`` over the same torch tensor with NumPy semantics:
0-d and zero-size arrays are real, ``x[i]`` drops the axis, operators broadcast and promote
like NumPy (with MXNet's float32 default), ``dtype`` is a ``numpy.dtype``, the repr reads
``array([1., 2.])``. ``as_nd_ndarray()``/``as_np_ndarray()`` switch class without copying.
Every computation runs a registered operator through ``_door.call``.
"""
import numbers

import numpy as onp

from .._mode import STATE as _MODE
from ..autograd import STATE as _RECORD
from ..base import MXNetError
from ..context import Context, current_context
from ..ndarray import ndarray as _nd_mod
from ..ndarray.ndarray import NDArray
from . import _door
from ._door import as_np, call, is_scalar, to_np

__all__ = ["ndarray", "array", "empty", "empty_like", "zeros", "zeros_like", "ones", "ones_like",
           "full", "full_like", "arange", "linspace", "logspace", "eye", "identity", "indices",
           "shape", "ndim", "size", "asarray", "from_dlpack"]

_NOT_IMPLEMENTED = object()


def _dtype_arg(dtype, default=None):
    """A dtype argument as an MXNet dtype name (None -> ``default``, else the default float:
    float32, or float64 after ``npx.set_np(dtype=True)``)."""
    if dtype is None:
        return default or _door.default_float()
    from .._torch.dtypes import dtype_name
    return dtype_name(dtype)


def _shape_arg(shape):
    if isinstance(shape, numbers.Integral):
        return (int(shape),)
    return tuple(int(d) for d in shape)


class ndarray(NDArray):  # noqa: N801 - MXNet's class name
    """An n-dimensional array with NumPy semantics (``mx.np.ndarray``).

    Create with ``mx.np.array``, ``mx.np.zeros``...; convert a legacy ``NDArray`` with
    ``x.as_np_ndarray()`` (no copy) and back with ``as_nd_ndarray()``.
    """
    __slots__ = ()

    # ---- properties ------------------------------------------------------------------------
    @property
    def dtype(self):
        """The ``numpy.dtype`` of the elements."""
        return onp.dtype(NDArray.dtype.fget(self))

    @property
    def T(self):  # noqa: N802 - NumPy's name
        """The array with its axes reversed."""
        return self.transpose()

    @property
    def grad(self):
        """Gradient buffer attached by ``attach_grad`` (an ``mx.np.ndarray``), or None."""
        buf = NDArray.grad.fget(self)
        return as_np(buf) if buf is not None else None

    # ---- conversion ------------------------------------------------------------------------
    def as_nd_ndarray(self):
        """The same storage as a legacy ``mx.nd.NDArray`` (no copy)."""
        return _nd_mod._wrap(self._t, self._ctx)

    def as_np_ndarray(self):
        return self

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):  # noqa: ARG002
        """Cast to ``dtype``; ``copy=False`` returns this array when nothing changes."""
        name = _dtype_arg(dtype)
        if not copy and str(self.dtype) == name:
            return self
        return call("_npi_cast", [self], dtype=name)

    def item(self, *args):
        """The element as a Python scalar (a size-1 array, or ``args`` index)."""
        if args:
            return self.asnumpy().item(*args)
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar "
                             f"(shape {self.shape})")
        return self.asnumpy().item()

    def asscalar(self):
        return self.item()

    def tolist(self):
        return self.asnumpy().tolist()

    def copy(self, order="C"):  # noqa: ARG002
        """A copy of the array."""
        return call("_np_copy", [self])

    def copyto(self, other):
        """Copy into the ``mx.np.ndarray`` ``other`` or onto a device (a new array)."""
        if isinstance(other, NDArray) and not isinstance(other, ndarray):
            raise TypeError("copyto: the target is a legacy NDArray; use an mx.np.ndarray "
                            "(x.as_np_ndarray())")
        return as_np(NDArray.copyto(self, other))

    def as_in_context(self, context):
        return as_np(NDArray.as_in_context(self, context))

    def as_in_ctx(self, ctx):
        """This array on ``ctx`` (itself when already there)."""
        return self.as_in_context(ctx)

    def to_device(self, device):
        return self.as_in_context(device)

    def detach(self):
        return as_np(NDArray.detach(self))

    def attach_grad(self, grad_req="write", stype=None):
        """Give this array a gradient buffer (see ``NDArray.attach_grad``)."""
        NDArray.attach_grad(self, grad_req, stype)
        as_np(NDArray.grad.fget(self))

    def tostype(self, stype):
        if stype != "default":
            raise ValueError(f"tostype: mx.np arrays are dense; stype {stype!r} is not "
                             "supported (use as_nd_ndarray().tostype(...))")
        return self.copy()

    def __array__(self, dtype=None, copy=None):  # noqa: ARG002
        a = self.asnumpy()
        return a if dtype is None else a.astype(dtype)

    # ---- indexing ----------------------------------------------------------------------------
    def __getitem__(self, key):
        if type(key) is int and _nd_mod.DEFERRED[0] is None:  # x[i] in a loop: a view
            t = self._t
            if t.dim() and -t.shape[0] <= key < t.shape[0] and not (
                    t.requires_grad and not _RECORD.recording):
                out = _nd_mod._new(type(self))
                out._t = t[key]
                out._ctx = self._ctx
                return out
        getitem = NDArray.__getitem__  # the nd door's indexing (and its tracing hook)
        previous = _MODE.np_shape
        _MODE.np_shape = True
        try:
            if isinstance(key, (float, onp.floating)):
                raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), "
                                 f"numpy.newaxis (`None`) and integer or boolean arrays are "
                                 f"valid indices, got {key!r}")
            if self.ndim == 0 and key is Ellipsis:
                return self
            if isinstance(key, (bool, onp.bool_)) or (
                    type(key) is tuple and any(isinstance(k, (bool, onp.bool_)) for k in key)):
                return _index_scalar_bools(self, key)
            return as_np(getitem(self, _bool_lists(key)))
        finally:
            _MODE.np_shape = previous

    def __setitem__(self, key, value):
        from ..ndarray._indexing import setitem
        if isinstance(value, NDArray) and not isinstance(value, ndarray):
            raise TypeError("cannot assign a legacy NDArray into an mx.np.ndarray; use "
                            "value.as_np_ndarray()")
        if self.ndim == 0 and key in ((), Ellipsis, slice(None)):
            key = Ellipsis
            from ..ndarray.ndarray import _assign
            src = value if isinstance(value, NDArray) else array(value, dtype=self.dtype,
                                                                 ctx=self.ctx)
            _assign(self, src._t.reshape(()))
            return
        if isinstance(key, ndarray) and key.dtype == onp.bool_:
            key = key.as_nd_ndarray()
        setitem(self, _bool_lists(key), value)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def __round__(self, ndigits=None):
        """``round(x, ndigits)``: ``np.round`` of the array (an array, as MXNet)."""
        from ._ufuncs import around
        return around(self, 0 if ndigits is None else ndigits)

    def __bool__(self):
        if self.size == 1:
            return bool(self.item())
        if self.size == 0:
            return False
        raise ValueError("The truth value of an ndarray with multiple elements is ambiguous. "
                         "Use a.any() or a.all()")

    def __contains__(self, value):
        return bool((self == value).any())

    __hash__ = NDArray.__hash__

    # ---- printing, pickling, NumPy protocols --------------------------------------------------
    def __repr__(self):
        text = repr(self.asnumpy())
        name = str(self.dtype)
        if name == "float32":
            text = text.replace(", dtype=float32", "")
        elif name != "bool" and "dtype=" not in text:
            text = text[:-1] + f", dtype={name})"
        if self.ctx.device_type != "cpu":
            text = text[:-1] + f", ctx={self.ctx})"
        return text

    def __str__(self):
        return str(self.asnumpy())

    def __format__(self, spec):
        if self.size == 1 and spec:
            return format(self.item(), spec)
        return str(self)

    def __reduce_ex__(self, protocol):
        return (_unpickle_np, (), self.__getstate__())

    def __array_function__(self, func, types, args, kwargs):
        return _array_function(func, args, kwargs)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)


def _unpickle_np():
    arr = _nd_mod._unpickle()
    arr.__class__ = ndarray
    return arr


_door.NP_CLASS[0] = ndarray


def _as_np_ndarray(self):
    """The same storage as an ``mx.np.ndarray`` (no copy)."""
    if self._sparse:
        raise ValueError("as_np_ndarray: sparse arrays have no mx.np form; use "
                         "tostype('default') first")
    arr = _nd_mod._wrap(self._t, self._ctx)
    arr.__class__ = ndarray
    info = getattr(self, "_ag", None)
    if info is not None:
        arr._ag = info
    return arr


NDArray.as_np_ndarray = _as_np_ndarray


# --------------------------------------------------------------------------------------------
# NumPy's dispatch protocols: NumPy functions on mx.np arrays run mx.np's version when there
# is one, else NumPy's on host copies (results come back as mx.np arrays).
# --------------------------------------------------------------------------------------------


def _index_scalar_bools(arr, key):
    """``x[True]``/``x[False]`` and tuples holding them (NumPy's 0-d boolean masks): each adds
    an axis of length 1 (True) or 0 (False) where it stands, as ``None`` would."""
    parts = key if type(key) is tuple else (key,)
    if any(isinstance(k, (list, onp.ndarray, NDArray)) for k in parts):
        raise IndexError("mx.np: a Python bool index cannot be combined with array indices")
    before = []  # output axes produced ahead of each key element
    width = 0
    consumed = sum(1 for k in parts if k is not None and k is not Ellipsis and
                   not isinstance(k, (bool, onp.bool_)))
    for k in parts:
        before.append(width)
        if k is Ellipsis:
            width += arr.ndim - consumed
        elif k is None or isinstance(k, (bool, onp.bool_, slice)):
            width += 1
    if arr.ndim == 0 and all(k is None or k is Ellipsis or isinstance(k, (bool, onp.bool_))
                             for k in parts):
        out = arr.reshape((1,) * sum(k is not Ellipsis for k in parts))
    else:
        out = arr[tuple(None if isinstance(k, (bool, onp.bool_)) else k for k in parts)]
    for k, pos in zip(parts, before):
        if isinstance(k, (bool, onp.bool_)) and not k:
            out = out[(slice(None),) * pos + (slice(0, 0),)]
    return out


def _bool_lists(key):
    """In mx.np a Python list of bools indexes as a boolean mask (legacy NDArrays read it as
    the numbers 0/1)."""
    if isinstance(key, tuple):
        return tuple(_bool_lists(k) for k in key)
    if isinstance(key, list) and key and all(isinstance(k, (bool, onp.bool_)) for k in key):
        return onp.array(key, dtype=bool)
    return key


def _mx_function(name, module=""):
    from .. import numpy as mxnp
    space = mxnp.linalg if module.endswith("linalg") or ".linalg." in module else mxnp
    fn = getattr(space, name, None)
    return fn if callable(fn) and not isinstance(fn, type) else None


def _to_host(value):
    if isinstance(value, NDArray):
        return value.asnumpy()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    return value


def _from_host(value, ctx=None):
    if isinstance(value, onp.ndarray):
        return array(value, dtype=value.dtype, ctx=ctx)
    if isinstance(value, (list, tuple)):
        items = [_from_host(v, ctx) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    return value


def _array_function(func, args, kwargs):
    fn = _mx_function(func.__name__, getattr(func, "__module__", "") or "")
    if fn is not None and getattr(fn, "__module__", "").startswith("mxtorch.numpy") and \
            not getattr(fn, "_fallback", False):
        try:
            return fn(*args, **kwargs)
        except TypeError:
            pass
    return _from_host(func(*_to_host(args), **_to_host(kwargs)))


def _array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and "out" not in kwargs:
        fn = _mx_function(ufunc.__name__)
        if fn is not None and not getattr(fn, "_fallback", False):
            try:
                return fn(*[_ufunc_input(x) for x in inputs], **kwargs)
            except TypeError:
                pass
    result = getattr(ufunc, method)(*_to_host(inputs), **_to_host(kwargs))
    return _from_host(result)


def _ufunc_input(x):
    if isinstance(x, onp.ndarray):
        return array(x, dtype=x.dtype)
    return x


# --------------------------------------------------------------------------------------------
# creation
# --------------------------------------------------------------------------------------------


def array(object, dtype=None, ctx=None):  # noqa: A002 - NumPy's argument name
    """Create an ``mx.np.ndarray``.

    Parameters
    ----------
    object : array_like
        An ``mx.np.ndarray`` (copied), a NumPy array (its dtype is kept), or nested Python
        sequences / scalars (float32 unless ``dtype`` is given, as in MXNet).
    dtype : str or numpy.dtype, optional
    ctx : Context, optional
        Device; default the current context.
    """
    if isinstance(object, NDArray) and not isinstance(object, ndarray):
        raise ValueError("If you're trying to create an mx.np.ndarray from an mx.nd.NDArray, "
                         "please use the zero-copy as_np_ndarray function")
    ctx = ctx if ctx is not None else (object.ctx if isinstance(object, ndarray)
                                       else current_context())
    if dtype is None:
        if isinstance(object, ndarray):
            dtype = object.dtype
        elif isinstance(object, (onp.ndarray, onp.generic)):
            dtype = object.dtype
        else:
            dtype = _list_dtype(object)
    from ..ndarray.utils import array as nd_array
    out = nd_array(object, ctx=ctx, dtype=_dtype_arg(dtype))
    out.__class__ = ndarray
    return out


def _list_dtype(obj):
    """MXNet's dtype for Python data: float32, but keep the dtype of mx.np arrays inside."""
    if isinstance(obj, (list, tuple)) and obj:
        first = obj[0]
        while isinstance(first, (list, tuple)) and first:
            first = first[0]
        if isinstance(first, ndarray):
            return first.dtype
    if _door.DTYPE_MODE.numpy_default:  # NumPy's own inference, with float64/int64
        return onp.asarray(obj).dtype if not isinstance(obj, NDArray) else None
    return "float32"


def asarray(a, dtype=None, ctx=None):
    """``a`` as an ``mx.np.ndarray`` (no copy when it already is one of ``dtype``)."""
    if isinstance(a, ndarray) and (dtype is None or onp.dtype(_dtype_arg(dtype)) == a.dtype):
        return a
    return array(a, dtype=dtype, ctx=ctx)


def _ctx_arg(ctx, device=None):
    ctx = device if ctx is None else ctx
    if ctx is None:
        return current_context()
    if not isinstance(ctx, Context):
        raise TypeError(f"ctx must be an mx.Context such as mx.cpu(), got {ctx!r}")
    return ctx


def _check_order(fname, order):
    if order not in ("C", None):
        raise NotImplementedError(f"{fname}: order={order!r} is not supported; only 'C'")


def zeros(shape, dtype=None, order="C", ctx=None):
    """An array of zeros (float32 by default)."""
    _check_order("zeros", order)
    return call("_npi_zeros", [], shape=_shape_arg(shape), ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype))


def ones(shape, dtype=None, order="C", ctx=None):
    """An array of ones (float32 by default)."""
    _check_order("ones", order)
    return call("_npi_ones", [], shape=_shape_arg(shape), ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype))


def empty(shape, dtype=None, order="C", ctx=None):
    """An array of the given shape (mxtorch fills it with zeros)."""
    return zeros(shape, dtype=dtype, order=order, ctx=ctx)


def full(shape, fill_value, dtype=None, order="C", ctx=None, out=None):
    """An array filled with ``fill_value`` (a scalar, or an array broadcast to ``shape``)."""
    _check_order("full", order)
    if isinstance(fill_value, ndarray):
        dt = fill_value.dtype if dtype is None else dtype
        return call("_npi_broadcast_to", [fill_value.astype(dt, copy=False)], out=out,
                    shape=_shape_arg(shape))
    if dtype is None:
        dtype = "bool" if isinstance(fill_value, (bool, onp.bool_)) else _scalar_default(
            fill_value)
    return call("_npi_full", [], out=out, shape=_shape_arg(shape), ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype), value=fill_value)


def _like(fname, a, dtype, value, ctx, out):
    a = to_np(a, fname)
    dt = a.dtype if dtype is None else _dtype_arg(dtype)
    return call("_npi_full", [], out=out, shape=a.shape, ctx=_ctx_arg(ctx or a.ctx),
                dtype=_dtype_arg(dt), value=value)


def zeros_like(a, dtype=None, order="C", ctx=None, out=None):
    """Zeros with the shape (and dtype) of ``a``."""
    return _like("zeros_like", a, dtype, 0, ctx, out)


def ones_like(a, dtype=None, order="C", ctx=None, out=None):
    """Ones with the shape (and dtype) of ``a``."""
    return _like("ones_like", a, dtype, 1, ctx, out)


def empty_like(prototype, dtype=None, order="C", subok=False, shape=None):  # noqa: ARG001
    """An array like ``prototype`` (zero-filled)."""
    return _like("empty_like", prototype, dtype, 0, None, None)


def full_like(a, fill_value, dtype=None, order="C", ctx=None, out=None):
    """``fill_value`` with the shape (and dtype) of ``a``."""
    return _like("full_like", a, dtype, fill_value, ctx, out)


def _scalar_default(*values):
    """Under NumPy default dtypes (``npx.set_np(dtype=True)``): NumPy's dtype for Python
    scalars (int64 for integers, float64 otherwise); None (the float32 default) otherwise."""
    if not _door.DTYPE_MODE.numpy_default:
        return None
    return onp.result_type(*[v for v in values if v is not None]).name


def arange(start, stop=None, step=1, dtype=None, ctx=None):
    """Evenly spaced values in [start, stop) (float32 by default, as MXNet 1.9.1; NumPy's
    int64/float64 inference after ``npx.set_np(dtype=True)``)."""
    if step == 0:
        raise ZeroDivisionError("arange: step must not be 0")
    if dtype is None:
        dtype = _scalar_default(start, stop, step)
    return call("_npi_arange", [], start=start, stop=stop, step=step, ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, ctx=None):
    """``num`` evenly spaced samples over [start, stop]; ``start``/``stop`` may be arrays
    (NumPy's rule: the samples run along ``axis`` of a result of shape
    ``broadcast(start, stop)`` with ``num`` inserted at ``axis``)."""
    if is_scalar(start) and is_scalar(stop):
        _check_sample_axis("linspace", axis, 1)
        out = call("_npi_linspace", [], start=start, stop=stop, num=int(num), endpoint=endpoint,
                   ctx=_ctx_arg(ctx), dtype=_dtype_arg(dtype))
        step = (stop - start) / _divisions(num, endpoint)
    else:
        out, step = _array_linspace(start, stop, num, endpoint, dtype, axis, ctx)
    return (out, step) if retstep else out


def _divisions(num, endpoint):
    div = (num - 1) if endpoint else num
    return div if div > 0 else float("nan")


def _check_sample_axis(name, axis, ndim):
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of bounds for the {ndim}-d result; with "
                         "scalar start/stop the samples form a 1-d array (axis 0 or -1)")


def _array_linspace(start, stop, num, endpoint, dtype, axis, ctx):
    ctx = _ctx_arg(ctx) if ctx is not None else None
    lo, hi = to_np(start, "linspace", ctx=ctx), to_np(stop, "linspace", ctx=ctx)
    shape = onp.broadcast_shapes(lo.shape, hi.shape)
    _check_sample_axis("linspace", axis, len(shape) + 1)
    unit = call("_npi_linspace", [], start=0.0, stop=1.0, num=int(num), endpoint=endpoint,
                ctx=lo.ctx, dtype="float64")
    unit = unit.reshape((int(num),) + (1,) * len(shape))
    lo64, hi64 = lo.astype("float64"), hi.astype("float64")
    out = lo64 + unit * (hi64 - lo64)
    from ._functions import moveaxis
    out = moveaxis(out, 0, axis).astype(_dtype_arg(dtype))
    return out, (hi64 - lo64) / _divisions(num, endpoint)


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None):
    """``base ** linspace(start, stop, num)``; ``start``/``stop`` may be arrays (see
    ``linspace`` for the shape and ``axis``)."""
    if is_scalar(start) and is_scalar(stop):
        _check_sample_axis("logspace", axis, 1)
        return call("_npi_logspace", [], start=start, stop=stop, num=int(num),
                    endpoint=endpoint, base=base, ctx=_ctx_arg(ctx), dtype=_dtype_arg(dtype))
    exponents, _ = _array_linspace(start, stop, num, endpoint, "float64", axis, ctx)
    from ._ufuncs import binary
    return binary("power", float(base), exponents).astype(_dtype_arg(dtype))


def eye(N, M=None, k=0, dtype=float, ctx=None, **kwargs):  # noqa: N803
    """2-d array with ones on diagonal ``k`` (float32 by default, as MXNet)."""
    dt = _dtype_arg(None) if dtype in (float, None) else _dtype_arg(dtype)
    return call("_npi_eye", [], N=N, M=M, k=k, ctx=_ctx_arg(ctx, kwargs.get("device")),
                dtype=dt)


def identity(n, dtype=None, ctx=None):
    """The n x n identity matrix."""
    return call("_npi_identity", [], shape=(int(n), int(n)), ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype))


def indices(dimensions, dtype=None, ctx=None):
    """Index grids (int32 by default, as MXNet 1.9.1; int64 after
    ``npx.set_np(dtype=True)``)."""
    default = "int64" if _door.DTYPE_MODE.numpy_default else "int32"
    return call("_npi_indices", [], dimensions=tuple(dimensions), ctx=_ctx_arg(ctx),
                dtype=_dtype_arg(dtype, default))


def shape(a):
    """Shape of ``a``."""
    return a.shape if isinstance(a, NDArray) else onp.shape(a)


def ndim(a):
    """Number of dimensions of ``a``."""
    return a.ndim if isinstance(a, NDArray) else onp.ndim(a)


def size(a, axis=None):
    """Number of elements of ``a`` (along ``axis`` if given)."""
    if axis is not None:
        return shape(a)[axis]
    return a.size if isinstance(a, NDArray) else onp.size(a)


# MXNet's multiarray module namespace (helpers its code imports from here)
from ..autograd import is_recording  # noqa: E402,F401
from ..base import integer_types, numeric_types  # noqa: E402,F401
from ..util import set_module, wrap_np_binary_func, wrap_np_unary_func  # noqa: E402,F401

py_slice = slice
native_array = array


def from_numpy(ndarray, zero_copy=True):  # noqa: ARG001 - MXNet's signature
    """An ``mx.np`` array sharing memory with the NumPy array ``ndarray`` (C-contiguous)."""
    from ..ndarray.utils import from_numpy as nd_from_numpy
    return _door.as_np(nd_from_numpy(ndarray, zero_copy=zero_copy))


def from_dlpack(x):
    """An ``mx.np`` array sharing memory with a DLPack capsule or an object with
    ``__dlpack__`` (a torch tensor, a NumPy array...)."""
    from ..ndarray.utils import from_dlpack as nd_from_dlpack
    return _door.as_np(nd_from_dlpack(x))


def _scalar_or(x, fname):
    return x if is_scalar(x) else to_np(x, fname)
