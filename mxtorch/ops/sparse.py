"""Storage-type operators: cast_storage and _sparse_retain.

mxtorch computes on dense values: a sparse NDArray (``ndarray/sparse.py``) keeps its dense
value in its tensor, so these kernels see dense tensors and zeros stand for what is not stored.
The storage type of the result is decided by the nd door (``ndarray.sparse.result_stype``).

Also here: the torch helpers that split a dense tensor into MXNet's sparse parts.
"""
import torch

from ..base import ShapeError
from ._attrs import Enum
from ._registry import Attr, defop


@defop("cast_storage", attrs=(Attr("stype", Enum("csr", "default", "row_sparse"),
                                   doc="Output storage type"),))
def cast_storage(data, stype):
    """Change the storage type; the values stay the same (csr needs a 2-D array)."""
    if stype == "csr" and data.dim() != 2:
        raise ShapeError(f"cast_storage: a csr array must be 2-D, got shape "
                         f"{tuple(data.shape)}")
    if stype == "row_sparse" and data.dim() < 1:
        raise ShapeError("cast_storage: a row_sparse array needs at least one dimension")
    return data.clone()


@defop("_sparse_retain", inputs=("data", "indices"), same_dtype=())
def sparse_retain(data, indices):
    """Keep the rows of ``data`` listed in ``indices``; every other row becomes zero."""
    if data.dim() < 1:
        raise ShapeError("_sparse_retain: data needs at least one dimension")
    rows = indices.reshape(-1).to(torch.int64)
    keep = torch.zeros(data.shape[0], dtype=torch.bool, device=data.device)
    keep = keep.index_fill(0, rows, True)
    keep = keep.reshape((-1,) + (1,) * (data.dim() - 1))
    return torch.where(keep, data, torch.zeros((), dtype=data.dtype, device=data.device))


# NOTE: _square_sum lives with the reductions (ops/reduce.py) and _sparse_adagrad_update with
# the optimizer kernels (ops/update.py).


# --------------------------------------------------------------------------------------------
# dense <-> sparse parts (used by ndarray/sparse.py)
# --------------------------------------------------------------------------------------------


def dense_to_csr(t):
    """(data, indptr, indices) of a 2-D tensor: the non-zeros in row-major order, int64 aux."""
    nonzero = t != 0
    counts = nonzero.sum(dim=1)
    indptr = torch.zeros(t.shape[0] + 1, dtype=torch.int64, device=t.device)
    torch.cumsum(counts, dim=0, out=indptr[1:])
    rows, cols = nonzero.nonzero(as_tuple=True)
    return t[rows, cols], indptr, cols.to(torch.int64)


def dense_to_row_sparse(t):
    """(data, indices) of a tensor: the rows holding any non-zero, int64 row indices."""
    if t.shape[0] == 0 or t[0].numel() == 0:
        return t[:0].clone(), torch.zeros(0, dtype=torch.int64, device=t.device)
    keep = (t != 0).reshape(t.shape[0], -1).any(dim=1)
    rows = keep.nonzero(as_tuple=True)[0]
    return t[rows], rows.to(torch.int64)
