"""``mx.nd.sparse``: CSRNDArray, RowSparseNDArray, their constructors and the sparse ops.

Design: a sparse array is an NDArray whose tensor holds the DENSE value, so every operator
works on it unchanged. Its stored parts (``data``, ``indices``, ``indptr``) are derived from
that value when asked for, and cached while the tensor is unchanged (torch's version counter
tells); parts that came from a file or a constructor are kept as given (explicit zeros,
index order) until the value changes, so a loaded file saves back byte for byte.

Results of operators get MXNet 1.9.1's storage type where MXNet's sparse kernels would keep
it (``abs(csr)`` is csr, ``csr * 2`` is csr, ``exp(csr)`` is dense): see ``result_stype``.
The price of the design is memory: a sparse array costs as much as its dense value.
"""
from builtins import slice as py_slice

import numpy as np
import torch

from ..base import MXNetError, NotSupportedError, integer_types, numeric_types
from ..context import Context, context_of_device, current_context
from .._torch.dtypes import TORCH_TO_NAME, TORCH_TO_NP_TYPE, to_torch_dtype
from .._torch.params_format import SparseRecord, dumps_array, loads_array, sparse_problem, \
    sparse_to_dense
from ..ops import REGISTRY
from ..ops.sparse import dense_to_csr, dense_to_row_sparse
from ._gen import ND_FUNCTIONS, populate as _populate, split_arguments
from .ndarray import NDArray, _assign, _new, _wrap

_populate(globals(), "sparse")

__all__ = ["BaseSparseNDArray", "CSRNDArray", "RowSparseNDArray", "csr_matrix",
           "row_sparse_array", "zeros", "empty", "array", "add", "subtract", "multiply",
           "divide", "cast_storage", "retain"]

_STORAGE_TYPE_UNDEFINED = -1
_STORAGE_TYPE_DEFAULT = 0
_STORAGE_TYPE_ROW_SPARSE = 1
_STORAGE_TYPE_CSR = 2
_STORAGE_TYPE_STR_TO_ID = {"undefined": -1, "default": 0, "row_sparse": 1, "csr": 2}
_STORAGE_AUX_TYPES = {"row_sparse": [np.int64], "csr": [np.int64, np.int64]}


class BaseSparseNDArray(NDArray):
    """An NDArray stored in a sparse format (see CSRNDArray and RowSparseNDArray)."""
    __slots__ = ("_parts", "_parts_src", "_parts_ver")
    _stype = None
    _aux_names = ()

    def __init__(self, handle=None, writable=True):
        # NOTE: MXNet's pickle calls CSRNDArray(None) and then __setstate__.
        if handle is not None:
            raise NotSupportedError(f"{type(self).__name__}(handle) wraps an MXNet C handle; "
                                    f"create sparse arrays with mx.nd.sparse.csr_matrix / "
                                    f"row_sparse_array or x.tostype('{self._stype}')")
        _init(self, torch.zeros((0,) * (2 if self._stype == "csr" else 1)), current_context())

    # ---- storage -------------------------------------------------------------------------
    @property
    def stype(self):
        """'csr' or 'row_sparse'."""
        return self._stype

    def _sparse_parts(self):
        """(data, *aux) tensors as stored; recomputed from the value when it changed."""
        t = self._t
        try:
            fresh = self._parts_src is t and self._parts_ver == t._version
        except RuntimeError:  # inference tensors have no version counter
            fresh = False
        if not fresh:
            with torch.no_grad():
                dense = t.detach()
                parts = dense_to_csr(dense) if self._stype == "csr" else dense_to_row_sparse(dense)
            _set_parts(self, parts)
        return self._parts

    def _sparse_record(self):
        """The parts in MXNet's file order (used by nd.save and pickling)."""
        data, *aux = self._sparse_parts()
        return SparseRecord(self._stype, self.shape, data, tuple(aux))

    def _data(self):
        """A copy of the stored values as a dense NDArray."""
        return _wrap(self._sparse_parts()[0].clone(), self._ctx)

    def _aux_data(self, i):
        """A copy of aux array ``i`` (csr: 0 indptr, 1 indices; row_sparse: 0 indices)."""
        return _wrap(self._sparse_parts()[1 + i].clone(), self._ctx)

    def _aux_type(self, i):
        return TORCH_TO_NP_TYPE[self._sparse_parts()[1 + i].dtype]

    @property
    def _num_aux(self):
        return len(self._aux_names)

    @property
    def _aux_types(self):
        return [self._aux_type(i) for i in range(self._num_aux)]

    @property
    def data(self):
        """A copy of the stored (non-zero) values."""
        return self._data()

    @data.setter
    def data(self, value):
        raise NotSupportedError("the parts of a sparse array are read-only; build a new one "
                                  "with mx.nd.sparse.csr_matrix / row_sparse_array")

    def check_format(self, full_check=True):
        """Raise MXNetError if the stored parts are not a valid array (``full_check`` also
        requires sorted, unique indices)."""
        data, *aux = self._sparse_parts()
        problem = sparse_problem(self._stype, self.shape, data, tuple(aux))
        if problem is None and full_check:
            problem = _order_problem(self._stype, aux)
        if problem:
            raise MXNetError(f"{type(self).__name__} of shape {self.shape} has an invalid "
                             f"format: {problem}")

    # ---- NDArray behaviour that differs for sparse arrays ----------------------------------
    @property
    def size(self):
        raise NotSupportedError("size is ambiguous for a sparse array (MXNet does not define "
                                  "it); use x.shape or x.data.size")

    def reshape(self, *shape, **kwargs):
        raise NotSupportedError(f"reshape is not supported for {type(self).__name__}; convert "
                                f"first: x.tostype('default').reshape(...)")

    def _at(self, idx):
        raise NotSupportedError(f"integer indexing is not supported for {type(self).__name__}")

    def _slice(self, start, stop):
        raise NotSupportedError(f"slicing is not supported for {type(self).__name__}")

    def __repr__(self):
        shape = "x".join(str(d) for d in self.shape)
        return f"\n<{type(self).__name__} {shape} @{self._ctx}>"

    def astype(self, dtype, copy=True):
        """Cast the values, keeping the storage type."""
        target = to_torch_dtype(dtype)
        if not copy and target == self._t.dtype:
            return self
        return _like(self, ND_FUNCTIONS["Cast"](_dense_view(self), dtype=TORCH_TO_NAME[target]))

    def copy(self):
        return _like(self, ND_FUNCTIONS["_copy"](_dense_view(self)))

    def detach(self):
        return _like(self, _wrap(self._t.detach(), self._ctx))

    def copyto(self, other):
        """Copy into an NDArray of the same shape (dense or this storage type) or a Context."""
        if isinstance(other, Context):
            moved = NDArray.copyto(_dense_view(self), other)
            return _like(self, moved)
        if isinstance(other, NDArray):
            if other.stype not in ("default", self._stype):
                raise TypeError(f"copyto does not support destination NDArray stype "
                                f"{other.stype} from {self._stype}")
            return NDArray.copyto(self, other)
        raise TypeError(f"copyto does not support type {type(other).__name__}")

    def tostype(self, stype):
        """A copy with storage type ``stype`` ('default' or this array's own)."""
        if stype not in ("default", self._stype):
            raise ValueError(f"cast_storage from {self._stype} to {stype} is not supported")
        return cast_storage(self, stype=stype)

    # ---- arithmetic: storage types as MXNet's sparse kernels give them ---------------------
    # (the binary and in-place dunders are installed from _SPARSE_OPERATORS below)
    def __neg__(self):
        return _sparse_call("negative", self)

    def __abs__(self):
        return _sparse_call("abs", self)

    # ---- pickling (MXNet: a single sparse record under 'handle') ---------------------------
    def __getstate__(self):
        return {"handle": dumps_array(self)}

    def __setstate__(self, state):
        handle = state.get("handle") if isinstance(state, dict) else None
        if handle is None:
            _init(self, torch.zeros((0,) * (2 if self._stype == "csr" else 1)), current_context())
            return
        item = loads_array(handle, allow_sparse=True)
        if isinstance(item, SparseRecord):
            _init_from_record(self, item, current_context())
        else:
            _init(self, item, current_context())

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
            begin = self.shape[0] - 1 if key == -1 else int(key)
            return _sparse_call("slice", self, begin=(begin,), end=(begin + 1,))
        if isinstance(key, py_slice):
            if key.step is not None:
                raise ValueError("CSRNDArray only supports continuous slicing on axis 0")
            if key.start is None and key.stop is None:
                return self
            begin = key.start or 0
            end = key.stop if key.stop is not None else self.shape[0]
            return _sparse_call("slice", self, begin=(begin,), end=(end,))
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
            _assign(self, torch.full((), value, dtype=self._t.dtype, device=self._t.device))
            return
        _assign_all(self, value)

    def retain(self, *args, **kwargs):
        """Keep only the rows listed in ``indices`` (see ``nd.sparse.retain``)."""
        return retain(self, *args, **kwargs)


# --------------------------------------------------------------------------------------------
# building sparse arrays
# --------------------------------------------------------------------------------------------

_CLASSES = {"csr": CSRNDArray, "row_sparse": RowSparseNDArray}


def _init(arr, t, ctx):
    arr._t = t
    arr._ctx = ctx
    arr._parts = arr._parts_src = arr._parts_ver = None


def _set_parts(arr, parts):
    arr._parts = tuple(parts)
    arr._parts_src = arr._t
    arr._parts_ver = arr._t._version


def _make(stype, t, ctx, parts=None):
    """A sparse array of dense value ``t`` (no copy); ``parts`` as stored, if known."""
    arr = _new(_CLASSES[stype])
    _init(arr, t, ctx)
    if parts is not None:
        _set_parts(arr, parts)
    return arr


def _init_from_record(arr, record, ctx):
    _init(arr, record.dense(), ctx)
    _set_parts(arr, (record.data,) + tuple(record.aux))


def from_record(record, ctx=None):
    """The sparse NDArray of a ``SparseRecord`` (from a file), parts kept as stored."""
    ctx = ctx or context_of_device(record.data.device)
    arr = _new(_CLASSES[record.stype])
    _init_from_record(arr, _to_device(record, ctx), ctx)
    return arr


def _to_device(record, ctx):
    device = ctx.torch_device
    if record.data.device == device:
        return record
    return SparseRecord(record.stype, record.shape, record.data.to(device),
                        tuple(a.to(device) for a in record.aux))


def _from_parts(stype, shape, data, aux, ctx):
    """Validate the parts (MXNetError naming the problem) and build the array."""
    problem = sparse_problem(stype, shape, data, aux)
    if problem:
        raise MXNetError(f"invalid {stype} array of shape {tuple(shape)}: {problem}")
    arr = _new(_CLASSES[stype])
    _init(arr, sparse_to_dense(stype, tuple(shape), data, aux), ctx)
    _set_parts(arr, (data,) + tuple(aux))
    return arr


def _like(proto, dense):
    """``dense`` (an NDArray) as an array of ``proto``'s storage type (no copy)."""
    return _make(proto._stype, dense._t, dense._ctx)


def _dense_view(arr):
    """A plain NDArray over the same tensor (so dense ops see a dense array)."""
    return _wrap(arr._t, arr._ctx)


def _order_problem(stype, aux):
    if stype == "csr":
        indptr, indices = (a.to(torch.int64) for a in aux)
        for row in range(indptr.numel() - 1):
            cols = indices[int(indptr[row]):int(indptr[row + 1])]
            if cols.numel() > 1 and bool((cols[1:] <= cols[:-1]).any()):
                return f"the column indices of row {row} are not sorted and unique"
        return None
    rows = aux[0].to(torch.int64)
    if rows.numel() > 1 and bool((rows[1:] <= rows[:-1]).any()):
        return "the row indices are not sorted and unique"
    return None


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
        source = torch.as_tensor(np.asarray(value), device=arr._t.device).to(arr._t.dtype)
        if tuple(source.shape) != arr.shape:
            raise MXNetError(f"cannot assign an array of shape {tuple(source.shape)} to a "
                             f"{type(arr).__name__} of shape {arr.shape}")
        _assign(arr, source)
        return
    raise TypeError(f"type {type(value).__name__} not supported")


def _inplace(arr, result):
    if result.shape != arr.shape:
        raise MXNetError(f"in-place operation would change the shape from {arr.shape} to "
                         f"{result.shape}")
    _assign(arr, result._t.to(arr._t.dtype))
    return arr


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
        return source._t.dtype
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
    dense = _dense_array(source, dtype)
    if ctx is not None and dense.context != ctx:
        dense = dense.as_in_context(ctx)
    _check_shape(dense.shape, shape)
    return cast_storage(dense, stype=stype)


def _dense_array(source, dtype):
    from .utils import array as dense_array
    if isinstance(source, BaseSparseNDArray):
        source = _dense_view(source)
    return dense_array(source, dtype=_default_dtype(source, dtype))


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A CSRNDArray from: a dense 2-D array-like, a CSRNDArray or scipy csr_matrix, a shape
    ``(M, N)`` (all zeros), ``(data, indices, indptr)``, or COO ``(data, (row, col))``."""
    if isinstance(arg1, tuple):
        if len(arg1) == 2:
            if isinstance(arg1[1], tuple) and len(arg1[1]) == 2:
                return _csr_from_coo(arg1[0], arg1[1], shape, ctx, dtype)
            _check_shape(arg1, shape)
            return empty("csr", arg1, ctx=ctx, dtype=dtype)
        if len(arg1) == 3:
            return _csr_from_definition(*arg1, shape=shape, ctx=ctx, dtype=dtype)
        raise ValueError(f"Unexpected length of input tuple: {len(arg1)}")
    if isinstance(arg1, CSRNDArray):
        _check_shape(arg1.shape, shape)
        return array(arg1, ctx=ctx, dtype=dtype)
    if _is_scipy_csr(arg1):
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
    if rows.numel() and (int(rows.min()) < 0 or int(cols.min()) < 0 or
                         int(rows.max()) >= shape[0] or int(cols.max()) >= shape[1]):
        raise ValueError(f"a (row, col) index lies outside the shape {tuple(shape)}")
    dense = torch.zeros(tuple(shape), dtype=dtype, device=device)
    dense.index_put_((rows, cols), values, accumulate=dtype is not torch.bool)
    return cast_storage(_wrap(dense, ctx), stype="csr")


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A RowSparseNDArray from: a dense array-like, a RowSparseNDArray, a shape (all zeros),
    or ``(data, indices)`` meaning ``dense[indices[i]] = data[i]``."""
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
    indices_t = _tensor(indices, torch.int64, device)
    if shape is None:
        if indices_t.numel() == 0:
            raise ValueError("invalid shape: give shape= for a row_sparse array without rows")
        shape = (int(indices_t.reshape(-1)[-1]) + 1,) + tuple(data_t.shape[1:])
    shape = tuple(int(d) for d in shape)
    if data_t.dim() != len(shape) or indices_t.dim() != 1 or int(np.prod(shape[1:])) == 0:
        raise ValueError(f"invalid shape: data {tuple(data_t.shape)} and indices "
                         f"{tuple(indices_t.shape)} do not fit shape {shape}")
    return _from_parts("row_sparse", shape, data_t, (indices_t,), ctx)


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """All-zero array of storage ``stype`` ('default', 'csr', 'row_sparse')."""
    if stype == "default":
        from .utils import zeros as dense_zeros
        return dense_zeros(shape, ctx=ctx, dtype=dtype, **kwargs)
    if stype not in _CLASSES:
        raise ValueError(f"unknown storage type {stype!r}; expected 'default', 'csr' or "
                         f"'row_sparse'")
    ctx = _ctx_of(ctx)
    shape = (int(shape),) if isinstance(shape, integer_types) else tuple(int(d) for d in shape)
    if stype == "csr" and len(shape) != 2:
        raise ValueError(f"a csr array is 2-D, got shape {shape}")
    dense = torch.zeros(shape, dtype=to_torch_dtype(dtype), device=ctx.torch_device)
    return _make(stype, dense, ctx)


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
        data, *aux = source_array._sparse_parts()
        device = ctx.torch_device
        return _from_parts(source_array.stype, source_array.shape,
                           data.to(device=device, dtype=dtype, copy=True),
                           tuple(a.to(device, copy=True) for a in aux), ctx)
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


# --------------------------------------------------------------------------------------------
# storage types of operator results
# --------------------------------------------------------------------------------------------

# f(0) == 0: MXNet's sparse kernels keep the input's storage type.
_ZERO_PRESERVING = frozenset((
    "abs", "sign", "round", "rint", "ceil", "floor", "trunc", "fix", "square", "sqrt", "cbrt",
    "sin", "tan", "arcsin", "arctan", "sinh", "tanh", "arcsinh", "arctanh", "expm1", "log1p",
    "relu", "negative", "degrees", "radians", "_copy", "zeros_like", "make_loss", "BlockGrad",
    "Cast", "_contrib_round_ste", "_contrib_sign_ste", "_mul_scalar", "_div_scalar"))
_ADD_LIKE = frozenset(("elemwise_add", "elemwise_sub", "broadcast_add", "broadcast_sub",
                       "add_n"))
_MUL_LIKE = frozenset(("elemwise_mul", "broadcast_mul"))


def result_stype(op_name, stypes, attrs):
    """The storage type MXNet 1.9.1 gives the output of ``op_name`` on inputs of ``stypes``."""
    first = stypes[0] if stypes else "default"
    if op_name == "cast_storage":
        return attrs.get("stype", "default")
    if op_name in _ZERO_PRESERVING or (op_name == "slice" and first == "csr"):
        return first
    if op_name == "clip":
        low, high = attrs.get("a_min", 0.0), attrs.get("a_max", 0.0)
        return first if low <= 0 <= high else "default"
    if op_name in _ADD_LIKE:
        return first if len(set(stypes)) == 1 else "default"
    if op_name in _MUL_LIKE:
        return first if len(stypes) == 2 and stypes[1] in (first, "default") else "default"
    if op_name == "_sparse_retain":
        return "row_sparse" if first == "row_sparse" else "default"
    if op_name == "_square_sum":
        keep = first == "row_sparse" and attrs.get("keepdims") and attrs.get("axis") in ((1,),)
        return "row_sparse" if keep else "default"
    if op_name == "dot":
        if attrs.get("forward_stype"):
            return attrs["forward_stype"]
        if first == "csr" and attrs.get("transpose_a") and stypes[1:] == ["default"]:
            return "row_sparse"
    return "default"


def restype(op_name, arrays, attrs, result):
    """``result`` (a dense NDArray from the dense kernel) in the storage type MXNet gives."""
    if not isinstance(result, NDArray):
        return result
    stypes = [a.stype for a in arrays]
    stype = result_stype(op_name, stypes, attrs)
    if stype == "default" or stype == result.stype:
        return result
    if stype == "csr" and result.ndim != 2:
        return result
    return _make(stype, result._t, result._ctx)


def _sparse_call(op_name, *args, **kwargs):
    """Run registered op ``op_name`` on dense values and give the result MXNet's stype."""
    op = REGISTRY.get(op_name)
    if op is None:
        raise MXNetError(f"operator {op_name!r} is not available in mxtorch")
    if op.sparse_compute is not None:  # the op reads sparse parts itself (lazy updates)
        return ND_FUNCTIONS[op.name](*args, **kwargs)
    out = kwargs.get("out")
    dense_args = [_dense_view(a) if isinstance(a, BaseSparseNDArray) else a for a in args]
    dense_kwargs = {k: (_dense_view(v) if isinstance(v, BaseSparseNDArray) and k != "out"
                        else v) for k, v in kwargs.items()}
    result = ND_FUNCTIONS[op.name](*dense_args, **dense_kwargs)
    if out is not None:
        return result
    if op.variadic:
        arrays = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) \
            else list(args)
        attrs = {}
    else:
        given, raw = split_arguments(op, args, {k: v for k, v in kwargs.items()
                                                if k not in ("out", "name")})
        attrs = op.parse_attrs(raw)
        arrays = [given[n] for n in op.all_inputs if n in given]
    return restype(op.name, [a for a in arrays if isinstance(a, NDArray)], attrs, result)


def cast_storage(data, stype, out=None, name=None, **kwargs):
    """Copy of ``data`` in storage type ``stype`` ('default', 'csr' or 'row_sparse')."""
    if stype == "csr" and data.ndim != 2:
        raise ValueError(f"To convert to a CSR, the NDArray should be 2 Dimensional. Current "
                         f"shape is {data.shape}")
    return _sparse_call("cast_storage", data, stype=stype, out=out, **kwargs)


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
    dense_fn = ND_FUNCTIONS[op_name]

    def door(*args, **kwargs):
        return _sparse_call(op_name, *args, **kwargs)
    door.__name__ = door.__qualname__ = py_name
    door.__signature__ = dense_fn.__signature__
    door.__doc__ = dense_fn.__doc__
    door.__module__ = __name__
    return door


for _py_name, _op_name in _SPARSE_DOORS:
    if _op_name in REGISTRY and _py_name != "cast_storage":
        globals()[_py_name] = _make_door(_py_name, _op_name)
del _py_name, _op_name


# --------------------------------------------------------------------------------------------
# arithmetic helpers (NumPy-style, scalars allowed on either side)
# --------------------------------------------------------------------------------------------


def _arith(name, lhs, rhs):
    from ._functions import _TABLE, FUNCTIONS
    array_op, scalar_op, rscalar_op, _ = _TABLE[name]
    left = _dense_view(lhs) if isinstance(lhs, BaseSparseNDArray) else lhs
    right = _dense_view(rhs) if isinstance(rhs, BaseSparseNDArray) else rhs
    result = FUNCTIONS[name](left, right)
    if isinstance(lhs, NDArray) and isinstance(rhs, NDArray):
        return restype(array_op, [lhs, rhs], {}, result)
    if isinstance(lhs, NDArray):
        return restype(REGISTRY[scalar_op].name, [lhs], {}, result)
    if isinstance(rhs, NDArray):
        return restype(REGISTRY[rscalar_op].name, [rhs], {}, result)
    return result


def add(lhs, rhs):
    """``lhs + rhs`` (broadcasting; csr + csr stays csr, row_sparse + row_sparse stays
    row_sparse, anything with a dense array or a scalar is dense)."""
    return _arith("add", lhs, rhs)


def subtract(lhs, rhs):
    """``lhs - rhs`` with the storage rules of ``add``."""
    return _arith("subtract", lhs, rhs)


def multiply(lhs, rhs):
    """``lhs * rhs`` (a sparse lhs times a dense array or a scalar stays sparse)."""
    return _arith("multiply", lhs, rhs)


def divide(lhs, rhs):
    """``lhs / rhs`` (a sparse array divided by a scalar stays sparse)."""
    return _arith("divide", lhs, rhs)


def _install_operators(cls):
    """``+ - * /`` (plain, reflected and in place) through the stype-aware functions above."""
    table = {"add": add, "sub": subtract, "mul": multiply, "truediv": divide, "div": divide}
    for dunder, fn in table.items():
        setattr(cls, f"__{dunder}__", lambda self, other, _f=fn: _f(self, other))
        setattr(cls, f"__r{dunder}__", lambda self, other, _f=fn: _f(other, self))
        setattr(cls, f"__i{dunder}__",
                lambda self, other, _f=fn: _inplace(self, _f(self, other)))


_install_operators(BaseSparseNDArray)
