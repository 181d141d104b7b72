"""Matrix products: dot, batch_dot, khatri_rao.

MXNet rules encoded here (checked against 1.9.1):
- ``dot`` of N-D arrays contracts the LAST axis of lhs with the FIRST axis of rhs (result
  lhs.shape[:-1] + rhs.shape[1:]); ``transpose_a`` contracts lhs's first axis instead and
  ``transpose_b`` rhs's last axis. A vector-vector dot gives shape (1,), not ().
- ``batch_dot`` needs N-D inputs (N >= 3) with identical leading (batch) axes: no broadcasting.
- ``forward_stype`` only chooses a sparse output storage in MXNet; dense results are the same.
"""
import torch

from ..base import ShapeError
from ._attrs import BOOL, INT, Enum, Optional
from ._registry import Attr, VARIADIC, defop

_DOT_ATTRS = (Attr("transpose_a", BOOL, False, "Use lhs transposed"),
              Attr("transpose_b", BOOL, False, "Use rhs transposed"),
              Attr("forward_stype", Optional(Enum("csr", "default", "row_sparse")), None,
                   "Output storage type (ignored: results are dense)"))


def _as_matrix(t, contract_first):
    """2-D view of ``t`` with the contracted axis as rows (True) or columns (False)."""
    if contract_first:
        return t.reshape(t.shape[0], -1)
    return t.reshape(-1, t.shape[-1])


def _dot_shape(a, in_shapes):
    """Matrix x matrix: the shared dim fills either side (0 = unknown); other ranks probe."""
    lhs, rhs = in_shapes
    if lhs is None or rhs is None or len(lhs) != 2 or len(rhs) != 2:
        return in_shapes, None
    m, k1 = lhs[::-1] if a["transpose_a"] else lhs
    k2, n = rhs[::-1] if a["transpose_b"] else rhs
    if k1 and k2 and k1 != k2:
        raise ShapeError(f"dot: lhs {tuple(lhs)} and rhs {tuple(rhs)} do not share the "
                         f"reduced dim ({k1} vs {k2}; transpose_a={a['transpose_a']}, "
                         f"transpose_b={a['transpose_b']})")
    k = k1 or k2
    new_lhs = (k, m) if a["transpose_a"] else (m, k)
    new_rhs = (n, k) if a["transpose_b"] else (k, n)
    return [new_lhs, new_rhs], [(m, n)]


@defop("dot", inputs=("lhs", "rhs"), attrs=_DOT_ATTRS, infer_shape=_dot_shape)
def dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Tensor dot product over one axis pair (see module docstring)."""
    if lhs.dim() == 2 and rhs.dim() == 2 and not (transpose_a or transpose_b):
        try:
            return torch.mm(lhs, rhs)  # matrix x matrix, the common case, in one call
        except RuntimeError:
            pass  # not aligned (or mixed dtypes): the checks below say why
    if lhs.dim() == 0 or rhs.dim() == 0:
        raise ShapeError(f"dot: inputs must have at least 1 dimension, got lhs "
                         f"{tuple(lhs.shape)} and rhs {tuple(rhs.shape)}")
    if lhs.dim() == 1 and rhs.dim() == 1 and (transpose_a or transpose_b):
        raise ShapeError("dot: cannot transpose vectors; drop transpose_a/transpose_b")
    left = _as_matrix(lhs, transpose_a)
    left = left.t() if transpose_a else left
    right = _as_matrix(rhs, not transpose_b)
    right = right.t() if transpose_b else right
    if left.shape[1] != right.shape[0]:
        raise ShapeError(
            f"dot: lhs {tuple(lhs.shape)} (transpose_a={transpose_a}) and rhs "
            f"{tuple(rhs.shape)} (transpose_b={transpose_b}) do not align: contracting "
            f"{left.shape[1]} with {right.shape[0]}")
    if not transpose_a and rhs.dim() <= 2:
        # the common case in one call (N-D lhs batches over its leading axes); it returns a
        # fresh tensor rather than a reshaped view
        out = torch.matmul(lhs, right if rhs.dim() == 2 else rhs)
        return out.reshape(1) if out.dim() == 0 else out
    out_shape = (tuple(lhs.shape[1:]) if transpose_a else tuple(lhs.shape[:-1])) + \
        (tuple(rhs.shape[:-1]) if transpose_b else tuple(rhs.shape[1:]))
    return torch.mm(left, right).reshape(out_shape or (1,))


@defop("batch_dot", inputs=("lhs", "rhs"), attrs=_DOT_ATTRS)
def batch_dot(lhs, rhs, transpose_a, transpose_b, forward_stype):
    """Matrix product of the last two axes for every index of the leading batch axes."""
    if lhs.dim() < 3 or lhs.dim() != rhs.dim():
        raise ShapeError(f"batch_dot: inputs must both be N-D with N >= 3, got lhs "
                         f"{tuple(lhs.shape)} and rhs {tuple(rhs.shape)}")
    if lhs.shape[:-2] != rhs.shape[:-2]:
        raise ShapeError(f"batch_dot: leading (batch) axes must be equal, got lhs "
                         f"{tuple(lhs.shape)} and rhs {tuple(rhs.shape)}; batch_dot does not "
                         "broadcast")
    left = lhs.transpose(-1, -2) if transpose_a else lhs
    right = rhs.transpose(-1, -2) if transpose_b else rhs
    if left.shape[-1] != right.shape[-2]:
        raise ShapeError(
            f"batch_dot: lhs {tuple(lhs.shape)} (transpose_a={transpose_a}) and rhs "
            f"{tuple(rhs.shape)} (transpose_b={transpose_b}) do not align: contracting "
            f"{left.shape[-1]} with {right.shape[-2]}")
    return torch.matmul(left, right)


@defop("khatri_rao", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT, doc="Number of input matrices"),))
def khatri_rao(*args, num_args):
    """Column-wise Kronecker product of 2-D matrices with the same number of columns."""
    cols = args[0].shape[-1] if args and args[0].dim() == 2 else None
    for i, m in enumerate(args):
        if m.dim() != 2 or m.shape[1] != cols:
            raise ShapeError(f"khatri_rao: every input must be 2-D with the same number of "
                             f"columns; got {[tuple(a.shape) for a in args]} (input {i})")
    out = args[0]
    for m in args[1:]:
        # row (i, j) of the result is out[i] * m[j], with i the slower index
        out = (out.unsqueeze(1) * m.unsqueeze(0)).reshape(-1, cols)
    return out if len(args) > 1 else out.clone()
