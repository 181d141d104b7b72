"""``mx.nd.sparse``: CSRNDArray, RowSparseNDArray, their constructors and the sparse door.

Storage: a sparse array holds its parts and its shape, never its dense value::

    _sd  data tensor     csr: (nnz,)          row_sparse: (rows stored,) + shape[1:]
    _sa  aux tensors     csr: (indptr, indices) row_sparse: (indices,)   (int64)
    _ss  shape tuple

Interface kept for other modules (gradients, optimizers, Symbol/Executor, file I/O):

- ``arr._sparse_parts()`` -> ``(data, *aux)`` tensors as stored (csr: data, indptr, indices;
  row_sparse: data, indices), after a cheap safety check (MXNetError on parts that would make
  an index kernel read out of bounds).
- ``arr._parts()`` -> ``SparseParts(stype, shape, data, aux)`` (same check), what
  ``OpDef.sparse_compute`` kernels take and return.
- ``_from_parts(stype, shape, data, aux, ctx)`` builds an array from parts (no check, no copy);
  ``_set_parts(arr, parts)`` replaces an array's parts in place (identity kept).
- ``arr._sparse_record()`` -> ``SparseRecord`` for nd.save and pickling.

``arr._t`` (what every dense kernel reads) is the storage fallback: a dense tensor built from
the parts on each access; assigning ``arr._t = dense`` stores ``dense``'s non-zeros.
Operators reach ``sparse_apply`` (the nd door's sparse branch) whenever an input is sparse:
the result storage type comes from ``OpDef.stype`` and the values from ``OpDef.sparse_compute``
when the op has a kernel for these inputs, else from the dense kernel on dense values.
"""
from array import array as native_array  # noqa: F401 - MXNet's module exposes it
from builtins import slice as py_slice, sum as py_sum  # noqa: F401

import numpy as np
import torch

from .. import autograd
from ..autograd import STATE
from ..base import MXNetError, NotSupportedError, NotSupportedForSparseNDArray  # noqa: F401
from ..base import _Null, integer_types, numeric_types
from ..context import Context, context_of_device, current_context
from .._torch.dtypes import TORCH_TO_NAME, TORCH_TO_NP_TYPE, to_torch_dtype
from .._torch.params_format import SparseRecord, dumps_array, loads_array
from ..ops import REGISTRY
from ..ops._invoke import check_same_dtype
from ..ops._registry import SparseParts
from ..ops import sparse as kernels
from ._gen import ND_FUNCTIONS, populate as _populate
from .ndarray import NDArray, _new, _no_grad, _wrap

from . import op  # noqa: F401,E402 - MXNet's module exposes it

_populate(globals(), "sparse")

_STORAGE_TYPE_UNDEFINED = -1
_STORAGE_TYPE_DEFAULT = 0
_STORAGE_TYPE_ROW_SPARSE = 1
_STORAGE_TYPE_CSR = 2
_STORAGE_TYPE_STR_TO_ID = {"undefined": -1, "default": 0, "row_sparse": 1, "csr": 2}
_STORAGE_TYPE_ID_TO_STR = {v: k for k, v in _STORAGE_TYPE_STR_TO_ID.items()}
_STORAGE_AUX_TYPES = {"row_sparse": [np.int64], "csr": [np.int64, np.int64]}


class DenseOnlyError(NotSupportedForSparseNDArray, NotSupportedError):
    """A dense-only NDArray method called on a sparse array: MXNet's
    ``NotSupportedForSparseNDArray`` (also a ``NotSupportedError``), with a message saying what
    to do instead."""

    def __init__(self, message):  # pylint: disable=super-init-not-called
        MXNetError.__init__(self, message)

class BaseSparseNDArray(NDArray):
    """An NDArray stored in a sparse format (see CSRNDArray and RowSparseNDArray)."""
    __slots__ = ("_sd", "_sa", "_ss", "_safe")
    _sparse = True
    _stype = None
    _aux_names = ()

    def __init__(self, handle=None, writable=True):
        # NOTE: MXNet's pickle calls CSRNDArray(None) and then __setstate__.
        if handle is not None:
            raise NotSupportedError(f"{type(self).__name__}(handle) wraps an MXNet C handle; "
                                    f"create sparse arrays with mx.nd.sparse.csr_matrix / "
                                    f"row_sparse_array or x.tostype('{self._stype}')")
        shape = (0, 0) if self._stype == "csr" else (0,)
        _fill(self, kernels.empty_parts(self._stype, shape, torch.float32, None),
              current_context())

    # ---- storage -------------------------------------------------------------------------
    @property
    def _t(self):
        """The dense value (storage fallback: built from the parts on each access; an array
        with attach_grad() gives its dense autograd leaf)."""
        if getattr(self, "_ag", None) is not None:
            leaf = autograd.dense_leaf(self, create=STATE.recording)
            if leaf is not None:
                return leaf
        return kernels.to_dense(self._parts())

    @_t.setter
    def _t(self, dense):
        _set_parts(self, kernels.from_dense(self._stype, dense))

    @property
    def stype(self):
        """'csr' or 'row_sparse'."""
        return self._stype

    @property
    def shape(self):
        return self._ss

    @property
    def ndim(self):
        return len(self._ss)

    @property
    def dtype(self):
        return TORCH_TO_NP_TYPE[self._sd.dtype]

    def __len__(self):
        return self._ss[0]

    def _parts(self):
        """SparseParts after the safety check (see module docstring)."""
        if not self._safe:
            problem = kernels.safety_problem(self._stype, self._ss, self._sd, self._sa)
            if problem:
                raise MXNetError(f"{type(self).__name__} of shape {self._ss} has invalid "
                                 f"parts: {problem}")
            self._safe = True
        return SparseParts(self._stype, self._ss, self._sd, self._sa)

    def _sparse_parts(self):
        """(data, *aux) tensors as stored (csr: data, indptr, indices; row_sparse: data,
        indices)."""
        p = self._parts()
        return (p.data,) + tuple(p.aux)

    def _sparse_record(self):
        """The parts in MXNet's file order (used by nd.save and pickling)."""
        return SparseRecord(self._stype, self._ss, self._sd.detach(),
                            tuple(a.detach() for a in self._sa))

    def _data(self):
        """A copy of the stored values as a dense NDArray."""
        return _wrap(self._sd.detach().clone(), self._ctx)

    def _aux_data(self, i):
        """A copy of aux array ``i`` (csr: 0 indptr, 1 indices; row_sparse: 0 indices)."""
        return _wrap(self._sa[i].clone(), self._ctx)

    def _aux_type(self, i):
        return TORCH_TO_NP_TYPE[self._sa[i].dtype]

    @property
    def _num_aux(self):
        return len(self._aux_names)

    @property
    def _aux_types(self):
        return [self._aux_type(i) for i in range(self._num_aux)]

    @property
    def data(self):
        """A copy of the stored values (stored zeros included)."""
        return self._data()

    @data.setter
    def data(self, value):
        raise NotSupportedError("the parts of a sparse array are read-only; build a new one "
                                "with mx.nd.sparse.csr_matrix / row_sparse_array")

    def check_format(self, full_check=True):
        """Raise MXNetError naming the first problem of the stored parts.

        Parameters
        ----------
        full_check : bool, default True
            False checks lengths and shapes only; True also checks every indptr rule (starts
            at 0, never decreases, ends at the number of values, non-negative) and every index
            (in range, sorted, no duplicates).
        """
        problem = kernels.parts_problem(self._stype, self._ss, self._sd, self._sa, full_check)
        if problem:
            raise MXNetError(f"{type(self).__name__} of shape {self._ss} has an invalid "
                             f"format: {problem}")

    # ---- NDArray behaviour that differs for sparse arrays ----------------------------------
    @property
    def size(self):
        raise NotSupportedError("size is ambiguous for a sparse array (MXNet does not define "
                                "it); use x.shape or x.data.size")

    def reshape(self, *shape, **kwargs):
        raise DenseOnlyError(f"reshape is not supported for {type(self).__name__}; convert "
                             f"first: x.tostype('default').reshape(...)")

    def _at(self, idx):
        raise DenseOnlyError(f"integer indexing is not supported for {type(self).__name__}")

    def _slice(self, start, stop):
        raise DenseOnlyError(f"slicing is not supported for {type(self).__name__}")

    def __repr__(self):
        shape = "x".join(str(d) for d in self.shape)
        return f"\n<{type(self).__name__} {shape} @{self._ctx}>"

    def wait_to_read(self):
        if self._sd.is_cuda:
            torch.cuda.synchronize(self._sd.device)

    wait_to_write = wait_to_read

    def astype(self, dtype, copy=True):
        """Cast the stored values, keeping the storage type and structure."""
        target = to_torch_dtype(dtype)
        if not copy and target == self._sd.dtype:
            return self
        p = self._parts()
        return _from_parts(self._stype, self._ss, _run(lambda: p.data.to(target)),
                           tuple(a.clone() for a in p.aux), self._ctx)

    def copy(self):
        """A copy with the same parts."""
        return _sparse_call("_copy", self)

    def detach(self):
        return _from_parts(self._stype, self._ss, self._sd.detach(), self._sa, self._ctx)

    def as_in_context(self, context):
        if context == self._ctx:
            return self
        return self.copyto(context)

    as_in_ctx = as_in_context

    def copyto(self, other):
        """Copy into an NDArray of the same shape (dense or this storage type) or a Context."""
        if isinstance(other, Context):
            device = other.torch_device
            return _from_parts(self._stype, self._ss, self._sd.detach().to(device, copy=True),
                               tuple(a.to(device, copy=True) for a in self._sa), other)
        if isinstance(other, NDArray):
            if other is self:
                return other
            if other.stype not in ("default", self._stype):
                raise TypeError(f"copyto does not support destination NDArray stype "
                                f"{other.stype} from {self._stype}")
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} vs target "
                                 f"{other.shape}")
            if other.stype == "default":
                return NDArray.copyto(_wrap(self._t, self._ctx), other)
            device, dtype = other._sd.device, other._sd.dtype
            p = self._parts()
            _set_parts(other, p._replace(data=p.data.detach().to(device, dtype, copy=True),
                                         aux=tuple(a.to(device, copy=True) for a in p.aux)))
            return other
        raise TypeError(f"copyto does not support type {type(other).__name__}")

    def tostype(self, stype):
        """A copy with storage type ``stype`` ('default' or this array's own)."""
        if stype not in ("default", self._stype):
            raise ValueError(f"cast_storage from {self._stype} to {stype} is not supported")
        return cast_storage(self, stype=stype)

    # ---- pickling (MXNet: a single sparse record under 'handle') ---------------------------
    def __getstate__(self):
        return {"handle": dumps_array(self)}

    def __setstate__(self, state):
        handle = state.get("handle") if isinstance(state, dict) else None
        ctx = current_context()
        if handle is None:
            shape = (0, 0) if self._stype == "csr" else (0,)
            _fill(self, kernels.empty_parts(self._stype, shape, torch.float32, None), ctx)
            return
        item = loads_array(handle, allow_sparse=True)
        if isinstance(item, SparseRecord):
            _fill(self, SparseParts(item.stype, tuple(item.shape), item.data, tuple(item.aux)),
                  ctx)
        else:
            _fill(self, kernels.from_dense(self._stype, item), ctx)

    def __reduce_ex__(self, protocol):
        return (type(self), (None,), self.__getstate__())


class CSRNDArray(BaseSparseNDArray):
    """A 2-D array in Compressed Sparse Row format: row ``i`` holds the values
    ``data[indptr[i]:indptr[i+1]]`` at columns ``indices[indptr[i]:indptr[i+1]]``."""
    __slots__ = ()
    _stype = "csr"
    _aux_names = ("indptr", "indices")

    @property
    def indices(self):
        """A copy of the column indices (int64)."""
        return self._aux_data(1)

    @indices.setter
    def indices(self, value):
        raise NotSupportedError("the parts of a sparse array are read-only")

    @property
    def indptr(self):
        """A copy of the row pointers (int64, length rows + 1)."""
        return self._aux_data(0)

    @indptr.setter
    def indptr(self, value):
        raise NotSupportedError("the parts of a sparse array are read-only")

    def __getitem__(self, key):
        # NOTE: MXNet supports only rows: x[i] and x[a:b] (step 1), both giving a CSRNDArray.
        if isinstance(key, integer_types):
            begin = int(key) + self.shape[0] if key < 0 else int(key)
            if not 0 <= begin < self.shape[0]:
                raise IndexError(f"index {key} is out of bounds for axis 0 with size "
                                 f"{self.shape[0]}")
            return _sparse_call("slice", self, begin=(begin,), end=(begin + 1,))
        if isinstance(key, py_slice):
            if key.step not in (None, 1):
                raise ValueError("CSRNDArray only supports continuous slicing on axis 0")
            if key.start is None and key.stop is None:
                return self
            return _sparse_call("slice", self, begin=(key.start,), end=(key.stop,))
        if isinstance(key, tuple):
            raise ValueError("Multi-dimension indexing is not supported")
        raise ValueError(f"Undefined behaviour for {key!r}")

    def __setitem__(self, key, value):
        _check_full_slice(self, key)
        if isinstance(value, numeric_types):
            raise ValueError("Assigning numeric types to CSRNDArray is not implemented yet.")
        _assign_all(self, value)

    def asscipy(self):
        """The array as a ``scipy.sparse.csr_matrix`` (needs scipy)."""
        try:
            from scipy import sparse as spsp
        except ImportError as err:
            raise ImportError("asscipy needs scipy; install it with `pip install scipy`") \
                from err
        data, indptr, indices = (p.detach().cpu().numpy() for p in self._sparse_parts())
        return spsp.csr_matrix((data, indices, indptr), shape=self.shape, dtype=self.dtype)


class RowSparseNDArray(BaseSparseNDArray):
    """An array holding only some rows: ``dense[indices[i]] = data[i]``, other rows zero."""
    __slots__ = ()
    _stype = "row_sparse"
    _aux_names = ("indices",)

    @property
    def indices(self):
        """A copy of the stored row indices (int64, ascending)."""
        return self._aux_data(0)

    @indices.setter
    def indices(self, value):
        raise NotSupportedError("the parts of a sparse array are read-only")

    def __getitem__(self, key):
        if isinstance(key, integer_types):
            raise NotSupportedError("__getitem__ with int key is not implemented for "
                                    "RowSparseNDArray; use x.tostype('default')[i]")
        if isinstance(key, py_slice):
            if key.step is not None or key.start is not None or key.stop is not None:
                raise NotSupportedError("RowSparseNDArray only supports [:] for __getitem__")
            return self
        if isinstance(key, tuple):
            raise ValueError("Multi-dimension indexing is not supported")
        raise ValueError(f"Undefined behaviour for {key!r}")

    def __setitem__(self, key, value):
        _check_full_slice(self, key)
        if isinstance(value, numeric_types):
            # NOTE: as in MXNet, every row becomes stored (also for value 0).
            device, dtype = self._sd.device, self._sd.dtype
            data = torch.full(self._ss, value, dtype=dtype, device=device)
            rows = torch.arange(self._ss[0], dtype=torch.int64, device=device)
            _set_parts(self, SparseParts("row_sparse", self._ss, data, (rows,)))
            return
        _assign_all(self, value)

    def retain(self, *args, **kwargs):
        """Keep only the rows listed in ``indices`` (see ``nd.sparse.retain``)."""
        return retain(self, *args, **kwargs)


# --------------------------------------------------------------------------------------------
# building sparse arrays from parts
# --------------------------------------------------------------------------------------------

_CLASSES = {"csr": CSRNDArray, "row_sparse": RowSparseNDArray}


def _fill(arr, parts, ctx):
    arr._sd = parts.data
    arr._sa = tuple(parts.aux)
    arr._ss = tuple(int(d) for d in parts.shape)
    arr._safe = False
    arr._ctx = ctx


def _set_parts(arr, parts):
    """Replace ``arr``'s parts (same storage type) keeping the object."""
    if parts.stype != arr._stype:
        raise MXNetError(f"cannot store {parts.stype} parts in a {arr._stype} array")
    if tuple(parts.shape) != arr._ss:
        raise MXNetError(f"in-place write would change the shape from {arr._ss} to "
                         f"{tuple(parts.shape)}")
    _fill(arr, parts, arr._ctx)


def _from_parts(stype, shape, data, aux, ctx):
    """A sparse array of these parts (no copy, not checked: kernels check before use)."""
    arr = _new(_CLASSES[stype])
    _fill(arr, SparseParts(stype, tuple(shape), data, tuple(aux)), ctx)
    return arr


def _wrap_parts(parts, ctx):
    return _from_parts(parts.stype, parts.shape, parts.data, parts.aux, ctx)


def from_record(record, ctx=None):
    """The sparse NDArray of a ``SparseRecord`` (from a file), parts kept as stored."""
    ctx = ctx or context_of_device(record.data.device)
    device = ctx.torch_device
    return _from_parts(record.stype, record.shape, record.data.to(device),
                       tuple(a.to(device=device, dtype=torch.int64) for a in record.aux), ctx)


# --------------------------------------------------------------------------------------------
# the sparse door: every operator call with a sparse input (or a sparse result) lands here
# --------------------------------------------------------------------------------------------


def _run(fn):
    """Run ``fn()`` tracking gradients only while recording (as the dense door does)."""
    if STATE.recording:
        return fn()
    with _no_grad():
        return fn()


def sparse_apply(op, arrays, attrs, out=None):
    """Run ``op`` where an input is sparse (or the op makes sparse results from dense ones).

    The result stype is ``op.stype(attrs, in_stypes)`` (default when the op has no rule);
    its value comes from ``op.sparse_compute`` on the parts when that kernel handles these
    inputs, else from the dense kernel on dense values (MXNet's storage fallback).
    """
    stypes = [a.stype for a in arrays]
    want = op.stype(attrs, stypes) if op.stype is not None else "default"
    if not isinstance(want, str):  # several outputs: the op's kernel, else dense results
        if op.sparse_compute is not None and out is None:
            return _apply_multi(op, arrays, attrs, list(want))
        want = "default"
    ctx = arrays[0]._ctx if arrays else current_context()
    result = NotImplemented
    if STATE.recording and any(a._sparse and autograd.dense_leaf(a) is not None
                               for a in arrays):
        # an attached sparse input differentiates through its dense value (every position
        # gets a gradient, as in MXNet): the dense kernel on dense values
        return _fallback(op, arrays, attrs, out, want, ctx)
    if op.sparse_compute is not None:
        inputs = [a._parts() if a._sparse else a._t for a in arrays]
        if STATE.recording and op.grad_stype is not None:  # MXNet's sparse gradient rows
            inputs = autograd.sparse_grad_inputs(op, arrays, inputs, attrs)
        if op.same_dtype and len(inputs) > 1:
            check_same_dtype(op, [x.data if isinstance(x, SparseParts) else x
                                  for x in inputs], attrs)
        target = None if not isinstance(out, NDArray) else \
            (out._parts() if out._sparse else out._t)
        result = _run(lambda: op.sparse_compute(inputs, target, **attrs))
        if result is target and target is not None:  # the kernel wrote into out= in place
            return out
    if result is NotImplemented:
        return _fallback(op, arrays, attrs, out, want, ctx)
    result = _conform(result, want)
    if STATE.recording:
        autograd.mark_recorded(result.data if isinstance(result, SparseParts) else result)
    return _deliver(result, ctx, out, op)


def _apply_multi(op, arrays, attrs, wants):
    """An op with several outputs and a sparse kernel (DGL graph ops): one array each."""
    ctx = arrays[0]._ctx if arrays else current_context()
    inputs = [a._parts() if a._sparse else a._t for a in arrays]
    result = _run(lambda: op.sparse_compute(inputs, None, **attrs))
    if result is NotImplemented:
        return _fallback(op, arrays, attrs, None, "default", ctx)
    outs = [_deliver(_conform(r, w), ctx, None, op) for r, w in zip(result, wants)]
    return outs[0] if len(outs) == 1 else outs


def _fallback(op, arrays, attrs, out, want, ctx):
    """MXNet's storage fallback: dense values in, the dense kernel, ``want`` out."""
    from .ndarray import _apply_dense
    dense_in = [_wrap(a._t, a._ctx) if a._sparse else a for a in arrays]
    if STATE.recording and op.grad_stype is not None:
        # attached sparse inputs: MXNet's gradient rows of the op (their stored rows...)
        tensors = autograd.sparse_grad_inputs(op, arrays, [d._t for d in dense_in], attrs)
        dense_in = [_wrap(t, a._ctx) if a._sparse else a for a, t in zip(arrays, tensors)]
    mutated = [i for i, a in enumerate(arrays) if a._sparse and op.mutate]
    if want == "default" and not mutated:
        return _apply_dense(op, dense_in, attrs, out)
    result = _apply_dense(op, dense_in, attrs, None)
    for i in mutated:  # optimizer states stored sparse: write the updated values back
        arrays[i]._t = dense_in[i]._t
    if not isinstance(result, NDArray):
        return _deliver_list(result, out)
    value = result._t if want == "default" else kernels.from_dense(want, result._t)
    delivered = _deliver(value, ctx, out, op)
    if out is None and want != "default" and STATE.recording and result._t.requires_grad:
        autograd.keep_dense_value(delivered, result._t)
    return delivered


def _conform(result, want):
    """The kernel's result in the storage type the table gives."""
    if isinstance(result, SparseParts):
        if result.stype == want:
            return result
        dense = kernels.to_dense(result)
        return dense if want == "default" else kernels.from_dense(want, dense)
    if want == "default":
        return result
    return kernels.from_dense(want, result)


def _deliver(result, ctx, out, op):
    if out is None:
        if isinstance(result, SparseParts):
            return _wrap_parts(result, ctx)
        return _wrap(result, ctx)
    if not isinstance(out, NDArray):
        raise TypeError(f"{op.name}: out= must be an NDArray, got {type(out).__name__}")
    shape = tuple(result.shape)
    if out.shape != shape:
        raise MXNetError(f"{op.name}: out= has shape {out.shape}, the result has shape {shape}")
    if out._sparse and isinstance(result, SparseParts) and result.stype == out.stype:
        dtype = out._sd.dtype
        _set_parts(out, result._replace(data=result.data.to(dtype)))
        return out
    from .ndarray import _assign
    dense = kernels.to_dense(result) if isinstance(result, SparseParts) else result
    _assign(out, dense)
    return out


def _deliver_list(results, out):
    if out is None:
        return results
    outs = out if isinstance(out, (list, tuple)) else [out]
    from .ndarray import _assign
    for o, r in zip(outs, results):
        _assign(o, r._t)
    return out


def _sparse_call(op_name, *args, **kwargs):
    """Call the nd function of registered op ``op_name``."""
    return ND_FUNCTIONS[op_name](*args, **kwargs)


# --------------------------------------------------------------------------------------------
# in-place writes into sparse arrays (the dense door's _assign lands here)
# --------------------------------------------------------------------------------------------


def assign_dense(arr, value):
    """``arr[:] = value`` for a dense tensor ``value`` (broadcast): its non-zeros are stored."""
    value = value.to(arr._sd.dtype)
    if tuple(value.shape) != arr._ss:
        value = value.expand(arr._ss)
    _set_parts(arr, kernels.from_dense(arr._stype, value.detach() if not STATE.recording
                                       else value))


def _check_full_slice(arr, key):
    if not isinstance(key, py_slice):
        raise TypeError(f"{type(arr).__name__} only supports [:] for assignment")
    if key.start is not None or key.stop is not None or key.step is not None:
        raise ValueError(f"Assignment with slice for {type(arr).__name__} is not implemented")


def _assign_all(arr, value):
    if isinstance(value, NDArray):
        if value is not arr:
            value.copyto(arr)
        return
    if isinstance(value, (np.ndarray, np.generic, list, tuple)):
        source = torch.as_tensor(np.asarray(value), device=arr._sd.device).to(arr._sd.dtype)
        if tuple(source.shape) != arr.shape:
            raise MXNetError(f"cannot assign an array of shape {tuple(source.shape)} to a "
                             f"{type(arr).__name__} of shape {arr.shape}")
        assign_dense(arr, source)
        return
    raise TypeError(f"type {type(value).__name__} not supported")


def _inplace(arr, result):
    if result.shape != arr.shape:
        raise MXNetError(f"in-place operation would change the shape from {arr.shape} to "
                         f"{result.shape}")
    if result._sparse and result.stype == arr.stype:
        p = result._parts()
        _set_parts(arr, p._replace(data=p.data.to(arr._sd.dtype)))
    else:
        assign_dense(arr, result._t)
    return arr


# --------------------------------------------------------------------------------------------
# constructors
# --------------------------------------------------------------------------------------------


def _ctx_of(ctx):
    if ctx is None:
        return current_context()
    if not isinstance(ctx, Context):
        raise TypeError(f"ctx must be an mx.Context such as mx.cpu(), got {ctx!r}")
    return ctx


def _default_dtype(source, dtype):
    """MXNet's rule: the source's dtype for NDArray/numpy/scipy sources, else float32."""
    if dtype is not None:
        return to_torch_dtype(dtype)
    if isinstance(source, NDArray):
        return to_torch_dtype(source.dtype)
    if isinstance(source, np.ndarray) or _is_scipy_csr(source):
        return to_torch_dtype(source.dtype)
    return torch.float32


def _is_scipy_csr(obj):
    return getattr(obj, "format", None) == "csr" and hasattr(obj, "indptr") and \
        hasattr(obj, "tocoo")


def _tensor(value, dtype, device):
    if isinstance(value, NDArray):
        return value._t.detach().to(device=device, dtype=dtype, copy=True)
    host = np.asarray(value)
    if host.dtype == object:
        raise TypeError("values must be array like object")
    if dtype is torch.bfloat16:
        return torch.as_tensor(host.astype(np.float32), device=device).to(dtype)
    return torch.as_tensor(host.astype(TORCH_TO_NAME[dtype]), device=device).clone()


def _check_shape(given, wanted):
    if given and wanted and tuple(given) != tuple(wanted):
        raise ValueError(f"Shape mismatch detected. {tuple(given)} v.s. {tuple(wanted)}")


def _from_dense(source, stype, shape, ctx, dtype):
    from .utils import array as dense_array
    dense = dense_array(source, ctx=ctx, dtype=_default_dtype(source, dtype))
    _check_shape(dense.shape, shape)
    return cast_storage(dense, stype=stype)


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A CSRNDArray from: a dense 2-D array-like, a CSRNDArray or scipy csr_matrix, a shape
    ``(M, N)`` (all zeros), ``(data, indices, indptr)`` (kept as given, not checked: see
    ``check_format``), or COO ``(data, (row, col))``."""
    if isinstance(arg1, tuple):
        if len(arg1) == 2:
            if isinstance(arg1[1], tuple) and len(arg1[1]) == 2:
                return _csr_from_coo(arg1[0], arg1[1], shape, ctx, dtype)
            _check_shape(arg1, shape)
            return empty("csr", arg1, ctx=ctx, dtype=dtype)
        if len(arg1) == 3:
            return _csr_from_definition(*arg1, shape=shape, ctx=ctx, dtype=dtype)
        raise ValueError(f"Unexpected length of input tuple: {len(arg1)}")
    if isinstance(arg1, CSRNDArray) or _is_scipy_csr(arg1):
        _check_shape(arg1.shape, shape)
        return array(arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, RowSparseNDArray):
        raise ValueError("Unexpected input type: RowSparseNDArray")
    return _from_dense(arg1, "csr", shape, ctx, dtype)


def _csr_from_definition(data, indices, indptr, shape=None, ctx=None, dtype=None):
    ctx = _ctx_of(ctx)
    device = ctx.torch_device
    dtype = _default_dtype(data, dtype)
    data_t = _tensor(data, dtype, device)
    indptr_t = _tensor(indptr, torch.int64, device)
    indices_t = _tensor(indices, torch.int64, device)
    if data_t.dim() != 1 or indptr_t.dim() != 1 or indices_t.dim() != 1 or \
            indptr_t.numel() == 0:
        raise ValueError("invalid shape: data, indices and indptr must be 1-D (indptr not "
                         "empty)")
    if shape is None:
        if indices_t.numel() == 0:
            raise ValueError("invalid shape: give shape= for a csr matrix without values")
        shape = (indptr_t.numel() - 1, int(indices_t.max()) + 1)
    if len(shape) != 2:
        raise ValueError(f"invalid shape {tuple(shape)}: a csr matrix is 2-D")
    return _from_parts("csr", tuple(int(d) for d in shape), data_t, (indptr_t, indices_t), ctx)


def _csr_from_coo(data, coords, shape, ctx, dtype):
    # NOTE: like scipy's coo -> csr, repeated (row, col) pairs add up.
    ctx = _ctx_of(ctx)
    device = ctx.torch_device
    if dtype is None and not isinstance(data, (NDArray, np.ndarray)):
        dtype = np.asarray(data).dtype
    dtype = _default_dtype(data, dtype)
    values = _tensor(data, dtype, device).reshape(-1)
    rows = _tensor(coords[0], torch.int64, device).reshape(-1)
    cols = _tensor(coords[1], torch.int64, device).reshape(-1)
    if not rows.numel() == cols.numel() == values.numel():
        raise ValueError("row, col and data must have the same length")
    if shape is None:
        if rows.numel() == 0:
            raise ValueError("invalid shape: give shape= for a matrix without values")
        shape = (int(rows.max()) + 1, int(cols.max()) + 1)
    shape = tuple(int(d) for d in shape)
    if rows.numel() and (int(rows.min()) < 0 or int(cols.min()) < 0 or
                         int(rows.max()) >= shape[0] or int(cols.max()) >= shape[1]):
        raise ValueError(f"a (row, col) index lies outside the shape {shape}")
    keys, where = torch.unique(rows * shape[1] + cols, sorted=True, return_inverse=True)
    summed = torch.zeros(keys.numel(), dtype=dtype, device=device)
    summed = summed.index_put((where,), values, accumulate=dtype is not torch.bool)
    return _wrap_parts(kernels._csr_from_keys(shape, keys, summed), ctx)


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A RowSparseNDArray from: a dense array-like, a RowSparseNDArray, a shape (all zeros),
    or ``(data, indices)`` meaning ``dense[indices[i]] = data[i]`` (kept as given, not
    checked: see ``check_format``)."""
    if isinstance(arg1, tuple):
        if len(arg1) < 2:
            raise ValueError(f"Unexpected length of input tuple: {len(arg1)}")
        if len(arg1) > 2 or all(isinstance(d, integer_types) for d in arg1):
            _check_shape(arg1, shape)
            return empty("row_sparse", arg1, ctx=ctx, dtype=dtype)
        return _rsp_from_definition(arg1[0], arg1[1], shape=shape, ctx=ctx, dtype=dtype)
    if isinstance(arg1, RowSparseNDArray):
        _check_shape(arg1.shape, shape)
        return array(arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, CSRNDArray):
        raise ValueError("Unexpected input type: CSRNDArray")
    return _from_dense(arg1, "row_sparse", shape, ctx, dtype)


def _rsp_from_definition(data, indices, shape=None, ctx=None, dtype=None):
    ctx = _ctx_of(ctx)
    device = ctx.torch_device
    dtype = _default_dtype(data, dtype)
    data_t = _tensor(data, dtype, device)
    indices_t = _tensor(indices, torch.int64, device).reshape(-1)
    if shape is None:
        if indices_t.numel() == 0:
            raise ValueError("invalid shape: give shape= for a row_sparse array without rows")
        shape = (int(indices_t.max()) + 1,) + tuple(data_t.shape[1:])
    shape = tuple(int(d) for d in shape)
    if data_t.dim() != len(shape) or int(np.prod(shape[1:])) == 0:
        raise ValueError(f"invalid shape: data {tuple(data_t.shape)} and indices "
                         f"{tuple(indices_t.shape)} do not fit shape {shape}")
    return _from_parts("row_sparse", shape, data_t, (indices_t,), ctx)


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """All-zero array of storage ``stype`` ('default', 'csr', 'row_sparse'); a sparse one
    stores nothing."""
    if stype in (None, "default"):
        from .utils import zeros as dense_zeros
        return dense_zeros(shape, ctx=ctx, dtype=dtype, **kwargs)
    if stype not in _CLASSES:
        raise ValueError(f"unknown storage type {stype!r}; expected 'default', 'csr' or "
                         f"'row_sparse'")
    ctx = _ctx_of(ctx)
    shape = (int(shape),) if isinstance(shape, integer_types) else tuple(int(d) for d in shape)
    if stype == "csr" and len(shape) != 2:
        raise ValueError(f"a csr array is 2-D, got shape {shape}")
    parts = kernels.empty_parts(stype, shape, to_torch_dtype(dtype), ctx.torch_device)
    return _wrap_parts(parts, ctx)


def empty(stype, shape, ctx=None, dtype=None):
    """A sparse array with nothing stored (all zeros), like MXNet's."""
    if stype not in _CLASSES:
        raise ValueError(f"unknown stype : {stype}")
    return zeros(stype, shape, ctx=ctx, dtype=dtype)


def array(source_array, ctx=None, dtype=None):
    """A sparse array from a CSRNDArray/RowSparseNDArray or a scipy csr_matrix (a copy)."""
    if isinstance(source_array, BaseSparseNDArray):
        ctx = _ctx_of(ctx)
        dtype = _default_dtype(source_array, dtype)
        device = ctx.torch_device
        return _from_parts(source_array.stype, source_array.shape,
                           source_array._sd.detach().to(device=device, dtype=dtype, copy=True),
                           tuple(a.to(device, copy=True) for a in source_array._sa), ctx)
    if isinstance(source_array, NDArray):
        raise ValueError("Please use `tostype` to create RowSparseNDArray or CSRNDArray from an "
                         "NDArray")
    if _is_scipy_csr(source_array):
        csr = source_array.sorted_indices()
        csr.sum_duplicates()
        return csr_matrix((csr.data, csr.indices, csr.indptr), shape=csr.shape, ctx=ctx,
                          dtype=_default_dtype(source_array, dtype))
    if isinstance(source_array, (np.ndarray, np.generic)):
        raise ValueError("Please use mx.nd.array to create an NDArray with source_array of type "
                         f"{type(source_array).__name__}")
    raise ValueError(f"Unexpected source_array type: {type(source_array).__name__}")


def cast_storage(data=None, stype=_Null, out=None, name=None, **kwargs):
    """Copy of ``data`` in storage type ``stype`` ('default', 'csr' or 'row_sparse')."""
    if data is None or stype is _Null:
        raise TypeError("cast_storage() needs data and stype, e.g. cast_storage(x, 'csr')")
    if stype == "csr" and data.ndim != 2:
        raise ValueError(f"To convert to a CSR, the NDArray should be 2 Dimensional. Current "
                         f"shape is {data.shape}")
    return ND_FUNCTIONS["cast_storage"](data, stype=stype, out=out, **kwargs)


# nd.sparse.<name> -> registered op (MXNet's ``_sparse_<name>`` aliases of sparse-aware ops)
_SPARSE_DOORS = (
    ("ElementWiseSum", "add_n"), ("Embedding", "Embedding"),
    ("FullyConnected", "FullyConnected"), ("LinearRegressionOutput", "LinearRegressionOutput"),
    ("LogisticRegressionOutput", "LogisticRegressionOutput"),
    ("MAERegressionOutput", "MAERegressionOutput"), ("_contrib_round_ste", "_contrib_round_ste"),
    ("_contrib_sign_ste", "_contrib_sign_ste"), ("abs", "abs"),
    ("adagrad_update", "_sparse_adagrad_update"), ("adam_update", "adam_update"),
    ("add_n", "add_n"), ("arccos", "arccos"), ("arccosh", "arccosh"), ("arcsin", "arcsin"),
    ("arcsinh", "arcsinh"), ("arctan", "arctan"), ("arctanh", "arctanh"),
    ("broadcast_add", "broadcast_add"), ("broadcast_div", "broadcast_div"),
    ("broadcast_minus", "broadcast_sub"), ("broadcast_mul", "broadcast_mul"),
    ("broadcast_plus", "broadcast_add"), ("broadcast_sub", "broadcast_sub"),
    ("cast_storage", "cast_storage"),
    ("cbrt", "cbrt"), ("ceil", "ceil"), ("clip", "clip"), ("concat", "Concat"),
    ("cos", "cos"), ("cosh", "cosh"), ("degrees", "degrees"), ("dot", "dot"),
    ("elemwise_add", "elemwise_add"), ("elemwise_div", "elemwise_div"),
    ("elemwise_mul", "elemwise_mul"), ("elemwise_sub", "elemwise_sub"), ("exp", "exp"),
    ("expm1", "expm1"), ("fix", "fix"), ("floor", "floor"), ("ftrl_update", "ftrl_update"),
    ("gamma", "gamma"), ("gammaln", "gammaln"), ("log", "log"), ("log10", "log10"),
    ("log1p", "log1p"), ("log2", "log2"), ("make_loss", "make_loss"), ("mean", "mean"),
    ("negative", "negative"), ("norm", "norm"), ("radians", "radians"), ("relu", "relu"),
    ("retain", "_sparse_retain"), ("rint", "rint"), ("round", "round"), ("rsqrt", "rsqrt"),
    ("sgd_mom_update", "sgd_mom_update"), ("sgd_update", "sgd_update"),
    ("sigmoid", "sigmoid"), ("sign", "sign"), ("sin", "sin"), ("sinh", "sinh"),
    ("slice", "slice"), ("sqrt", "sqrt"), ("square", "square"), ("stop_gradient", "BlockGrad"),
    ("sum", "sum"), ("tan", "tan"), ("tanh", "tanh"), ("trunc", "trunc"), ("where", "where"),
    ("zeros_like", "zeros_like"),
)


def _make_door(py_name, op_name):
    fn = ND_FUNCTIONS[op_name]

    def door(*args, **kwargs):
        return fn(*args, **kwargs)
    door.__name__ = door.__qualname__ = py_name
    door.__signature__ = fn.__signature__
    door.__doc__ = fn.__doc__
    door.__module__ = __name__
    return door


for _py_name, _op_name in _SPARSE_DOORS:
    if _op_name in REGISTRY and _py_name != "cast_storage":
        globals()[_py_name] = _make_door(_py_name, _op_name)
del _py_name, _op_name
gs_retain = retain  # noqa: F821 - MXNet's other name for it (made just above)


def _ndarray_cls(handle, writable=True, stype=_STORAGE_TYPE_UNDEFINED):
    """The NDArray class for ``handle`` (here a torch tensor: a dense NDArray)."""
    if stype not in (_STORAGE_TYPE_UNDEFINED, _STORAGE_TYPE_DEFAULT, "default"):
        raise NotSupportedError("sparse arrays are built from parts, not handles: use "
                                "mx.nd.sparse.csr_matrix / row_sparse_array")
    return NDArray(handle)


__all__ = ["_ndarray_cls", "csr_matrix", "row_sparse_array", "BaseSparseNDArray",
           "CSRNDArray", "RowSparseNDArray", "add", "subtract", "multiply", "divide"] + \
    [name for name, _ in _SPARSE_DOORS] + ["retain", "zeros", "empty", "array"]


# --------------------------------------------------------------------------------------------
# arithmetic (NumPy-style, scalars allowed on either side)
# --------------------------------------------------------------------------------------------

# name: (same-shape op, broadcast op, array-scalar op, scalar-array op)
_ARITH = {
    "add": ("elemwise_add", "broadcast_add", "_plus_scalar", "_plus_scalar"),
    "subtract": ("elemwise_sub", "broadcast_sub", "_minus_scalar", "_rminus_scalar"),
    "multiply": ("elemwise_mul", "broadcast_mul", "_mul_scalar", "_mul_scalar"),
    "divide": ("elemwise_div", "broadcast_div", "_div_scalar", "_rdiv_scalar"),
    "truediv": ("broadcast_div", "broadcast_div", "_div_scalar", "_rdiv_scalar"),
    "mod": ("broadcast_mod", "broadcast_mod", "_mod_scalar", "_rmod_scalar"),
    "power": ("broadcast_power", "broadcast_power", "_power_scalar", "_rpower_scalar"),
    "equal": ("broadcast_equal", "broadcast_equal", "_equal_scalar", "_equal_scalar"),
    "not_equal": ("broadcast_not_equal", "broadcast_not_equal", "_not_equal_scalar",
                  "_not_equal_scalar"),
    "greater": ("broadcast_greater", "broadcast_greater", "_greater_scalar",
                "_lesser_scalar"),
    "greater_equal": ("broadcast_greater_equal", "broadcast_greater_equal",
                      "_greater_equal_scalar", "_lesser_equal_scalar"),
    "lesser": ("broadcast_lesser", "broadcast_lesser", "_lesser_scalar", "_greater_scalar"),
    "lesser_equal": ("broadcast_lesser_equal", "broadcast_lesser_equal",
                     "_lesser_equal_scalar", "_greater_equal_scalar"),
}


def _arith(name, lhs, rhs):
    same, bcast, scalar, rscalar = _ARITH[name]
    if isinstance(lhs, NDArray) and isinstance(rhs, NDArray):
        return ND_FUNCTIONS[same if lhs.shape == rhs.shape else bcast](lhs, rhs)
    return _with_scalar(name, lhs, rhs)


def _reflected(name, lhs, rhs):
    """``lhs <op> rhs`` for a sparse ``rhs`` reached through its reflected dunder: a dense
    NDArray ``lhs`` behaves as in its own dunder (the broadcast op, as MXNet's NDArray)."""
    if isinstance(lhs, NDArray):
        return ND_FUNCTIONS[_ARITH[name][1]](lhs, rhs)
    return _with_scalar(name, lhs, rhs)


def _with_scalar(name, lhs, rhs):
    _, _, scalar, rscalar = _ARITH[name]
    if isinstance(lhs, NDArray) and isinstance(rhs, numeric_types):
        return ND_FUNCTIONS[scalar](lhs, scalar=float(rhs))
    if isinstance(rhs, NDArray) and isinstance(lhs, numeric_types):
        return ND_FUNCTIONS[rscalar](rhs, scalar=float(lhs))
    if isinstance(lhs, NDArray) and isinstance(rhs, np.ndarray):
        from .utils import array as dense_array
        return _arith(name, lhs, dense_array(rhs, ctx=lhs.context, dtype=lhs.dtype))
    if isinstance(lhs, numeric_types) and isinstance(rhs, numeric_types):
        return {"add": lambda: lhs + rhs, "subtract": lambda: lhs - rhs,
                "multiply": lambda: lhs * rhs, "divide": lambda: lhs / rhs}[name]()
    raise TypeError(f"{name}: unsupported operand types {type(lhs).__name__} and "
                    f"{type(rhs).__name__}")


def add(lhs, rhs):
    """``lhs + rhs`` (csr + csr stays csr, row_sparse + row_sparse stays row_sparse; with a
    dense array or a non-zero scalar the result is dense)."""
    return _arith("add", lhs, rhs)


def subtract(lhs, rhs):
    """``lhs - rhs`` with the storage rules of ``add``."""
    return _arith("subtract", lhs, rhs)


def multiply(lhs, rhs):
    """``lhs * rhs`` (a sparse array times a dense array or a scalar stays sparse)."""
    return _arith("multiply", lhs, rhs)


def divide(lhs, rhs):
    """``lhs / rhs`` (a sparse array divided by a scalar stays sparse)."""
    return _arith("divide", lhs, rhs)


def _install_operators(cls):
    """Python operators of sparse arrays, plain, reflected and in place."""
    table = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "truediv",
             "div": "truediv", "mod": "mod", "pow": "power"}
    def known(other):
        return isinstance(other, (NDArray, np.ndarray) + numeric_types)

    for dunder, name in table.items():
        setattr(cls, f"__{dunder}__", lambda self, other, _n=name:
                _arith(_n, self, other) if known(other) else NotImplemented)
        setattr(cls, f"__r{dunder}__", lambda self, other, _n=name:
                _reflected(_n, other, self) if known(other) else NotImplemented)
        setattr(cls, f"__i{dunder}__", lambda self, other, _n=name:
                _inplace(self, _arith(_n, self, other)) if known(other) else NotImplemented)
    for dunder, name in (("eq", "equal"), ("ne", "not_equal"), ("gt", "greater"),
                         ("ge", "greater_equal"), ("lt", "lesser"), ("le", "lesser_equal")):
        setattr(cls, f"__{dunder}__", lambda self, other, _n=name:
                _arith(_n, self, other) if known(other) else NotImplemented)
    cls.__neg__ = lambda self: ND_FUNCTIONS["negative"](self)
    cls.__abs__ = lambda self: ND_FUNCTIONS["abs"](self)
    cls.__hash__ = object.__hash__


_install_operators(BaseSparseNDArray)
