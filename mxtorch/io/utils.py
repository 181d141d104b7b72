"""Helpers of ``mx.io``: normalising iterator inputs and reordering them by an index."""
from collections import OrderedDict

import numpy as np

from ..ndarray import NDArray, array
from ..ndarray.sparse import CSRNDArray, csr_matrix

try:
    import h5py
except ImportError:
    h5py = None

__all__ = ["CSRNDArray", "NDArray", "OrderedDict", "array", "h5py", "np", "sparse_array"]


def sparse_array(source_array, ctx=None, dtype=None):
    """A sparse NDArray from a sparse source (CSRNDArray, RowSparseNDArray or scipy matrix).

    Parameters
    ----------
    source_array : sparse NDArray or scipy.sparse matrix
    ctx : Context, optional
    dtype : str or numpy.dtype, optional
    """
    from ..ndarray import sparse
    return sparse.array(source_array, ctx=ctx, dtype=dtype)


def _array_types():
    return (np.ndarray, NDArray, h5py.Dataset) if h5py else (np.ndarray, NDArray)


def _init_data(data, allow_empty, default_name):
    """``data`` (array, list of arrays or dict) as a name-sorted list of (name, NDArray).

    One array is named ``default_name``; several in a list ``_<i>_<default_name>``.
    """
    if data is None and not allow_empty:
        raise ValueError(f"NDArrayIter: {default_name!r} must be given (got None)")
    data = [] if data is None else data
    if isinstance(data, _array_types()):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not data and not allow_empty:
            raise ValueError(f"NDArrayIter: {default_name!r} is an empty list")
        if len(data) == 1:
            data = OrderedDict([(default_name, data[0])])
        else:
            data = OrderedDict((f"_{i}_{default_name}", d) for i, d in enumerate(data))
    if not isinstance(data, dict):
        raise TypeError("Input must be NDArray, numpy.ndarray, h5py.Dataset a list of them or "
                        f"dict with them as values (got {type(data).__name__})")
    converted = OrderedDict()
    for key, value in data.items():
        converted[key] = value if isinstance(value, (NDArray,) + _h5_types()) else \
            _to_ndarray(key, value)
    return list(sorted(converted.items()))


def _h5_types():
    return (h5py.Dataset,) if h5py else ()


def _to_ndarray(key, value):
    try:
        return array(value)
    except Exception as err:
        raise TypeError(f"Invalid type '{type(value)}' for {key}, should be NDArray, "
                        "numpy.ndarray or h5py.Dataset") from err


def _has_instance(data, dtype):
    """Whether any (name, array) pair of ``data`` holds an instance of ``dtype``."""
    return any(isinstance(item[1], dtype) for item in data)


def _csr_rows(arr, idx):
    """The rows ``idx`` of a CSRNDArray, as a new CSRNDArray (parts reordered in numpy)."""
    indptr, indices, values = arr.indptr.asnumpy(), arr.indices.asnumpy(), arr.data.asnumpy()
    starts, ends = indptr[idx], indptr[np.asarray(idx) + 1]
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)] or
                          [np.zeros(0, np.int64)]).astype(np.int64)
    new_indptr = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64)
    return csr_matrix((values[take], indices[take], new_indptr), shape=arr.shape,
                      ctx=arr.context, dtype=arr.dtype)


def _getdata_by_idx(data, idx, axis=0):
    """``data`` (list of (name, array)) with every array's examples (along ``axis``) taken
    in the order ``idx``."""
    shuffled = []
    for key, value in data:
        if h5py and isinstance(value, h5py.Dataset):
            shuffled.append((key, value))
        elif isinstance(value, CSRNDArray):
            shuffled.append((key, _csr_rows(value, idx)))
        else:
            shuffled.append((key, array(np.take(value.asnumpy(), idx, axis=axis),
                                        value.context)))
    return shuffled
