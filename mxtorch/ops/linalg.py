"""Linear-algebra operators (``_linalg_*``, ``nd.linalg.*``), batched over leading dimensions.

Every op works on the last two axes (``gemm``/``gemm2`` take the row axis from ``axis``) and
accepts float32/float64 only, as MXNet does. MXNet rules encoded here (checked on 1.9.1):
- Triangular inputs (``trmm``, ``trsm``, ``potri``) read only the triangle named by ``lower``;
  the other triangle is ignored and gets no gradient.
- ``potrf`` reads only the lower triangle but MXNet returns a symmetric gradient; torch's
  Cholesky backward does the same.
- Ops whose result is one number per matrix (``det``, ``sumlogdiag``...) return shape ``(1,)``
  for a single matrix, never a 0-d array.
- ``extracttrian``/``maketrian`` store a lower triangle row by row and an upper triangle
  column by column (the upper triangle of A is the lower triangle of A^T); ``lower`` only
  matters for ``offset == 0``.
"""
import torch

from ..base import DTypeError, ShapeError
from ._attrs import BOOL, FLOAT, INT
from ._registry import Attr, defop

_FLOATS = (torch.float32, torch.float64)


def _check(op, *mats, ndim=2):
    """MXNet's linalg ops take float32/float64 arrays with at least ``ndim`` dims."""
    for name, t in mats:
        if t.dtype not in _FLOATS:
            raise DTypeError(f"{op}: input {name!r} has dtype {str(t.dtype)[6:]}, expected "
                             "float32 or float64; cast first, e.g. A.astype('float32')")
        if t.dim() < ndim:
            raise ShapeError(f"{op}: input {name!r} has shape {tuple(t.shape)}, expected at "
                             f"least {ndim} dimensions")


def _square(op, name, t):
    _check(op, (name, t))
    if t.shape[-1] != t.shape[-2]:
        raise ShapeError(f"{op}: input {name!r} has shape {tuple(t.shape)}; its last two "
                         "dimensions must be equal (square matrices)")


def _legacy(t):
    """One value per matrix: a single matrix gives shape (1,), not a 0-d array."""
    return t.reshape(1) if t.dim() == 0 else t


def _t(x):
    return x.transpose(-1, -2)


def _tri(a, lower):
    return torch.tril(a) if lower else torch.triu(a)


# --------------------------------------------------------------------------------------------
# products
# --------------------------------------------------------------------------------------------

_GEMM_ATTRS = (Attr("transpose_a", BOOL, False, "Use the transpose of A"),
               Attr("transpose_b", BOOL, False, "Use the transpose of B"),
               Attr("alpha", FLOAT, 1.0, "Scale of A*B"))
_AXIS = Attr("axis", INT, -2, "Axis of the matrix rows (columns are the last axis)")


def _to_rows(t, axis):
    """Move the row axis next to the last one so matmul sees (..., rows, cols)."""
    return t if axis in (-2, t.dim() - 2) else t.movedim(axis, -2)


def _from_rows(t, axis):
    return t if axis in (-2, t.dim() - 2) else t.movedim(-2, axis)


def _product(a, b, transpose_a, transpose_b, alpha, axis):
    a, b = _to_rows(a, axis), _to_rows(b, axis)
    if transpose_a:
        a = _t(a)
    if transpose_b:
        b = _t(b)
    out = torch.matmul(a, b)
    return out if alpha == 1.0 else out * alpha


@defop("_linalg_gemm", aliases=("linalg_gemm",), inputs=("A", "B", "C"),
       attrs=_GEMM_ATTRS + (Attr("beta", FLOAT, 1.0, "Scale of C"), _AXIS))
def gemm(A, B, C, transpose_a, transpose_b, alpha, beta, axis):  # noqa: N803
    """``alpha * op(A) @ op(B) + beta * C`` for every matrix in the batch."""
    _check("_linalg_gemm", ("A", A), ("B", B), ("C", C))
    out = _product(A, B, transpose_a, transpose_b, alpha, axis)
    return _from_rows(out + beta * _to_rows(C, axis), axis)


@defop("_linalg_gemm2", aliases=("linalg_gemm2",), inputs=("A", "B"), attrs=_GEMM_ATTRS + (_AXIS,))
def gemm2(A, B, transpose_a, transpose_b, alpha, axis):  # noqa: N803
    """``alpha * op(A) @ op(B)`` for every matrix in the batch."""
    _check("_linalg_gemm2", ("A", A), ("B", B))
    return _from_rows(_product(A, B, transpose_a, transpose_b, alpha, axis), axis)


_TRI_ATTRS = (Attr("transpose", BOOL, False, "Use the transpose of the triangular matrix A"),
              Attr("rightside", BOOL, False, "Multiply/solve from the right"),
              Attr("lower", BOOL, True, "A is lower (True) or upper (False) triangular"),
              Attr("alpha", FLOAT, 1.0, "Scale factor"))


@defop("_linalg_trmm", aliases=("linalg_trmm",), inputs=("A", "B"), attrs=_TRI_ATTRS)
def trmm(A, B, transpose, rightside, lower, alpha):  # noqa: N803
    """``alpha * op(A) @ B`` (or ``B @ op(A)``) with A triangular."""
    _square("_linalg_trmm", "A", A)
    _check("_linalg_trmm", ("B", B))
    tri = _tri(A, lower)
    if transpose:
        tri = _t(tri)
    out = torch.matmul(B, tri) if rightside else torch.matmul(tri, B)
    return out if alpha == 1.0 else out * alpha


@defop("_linalg_trsm", aliases=("linalg_trsm",), inputs=("A", "B"), attrs=_TRI_ATTRS)
def trsm(A, B, transpose, rightside, lower, alpha):  # noqa: N803
    """Solve ``op(A) X = alpha B`` (or ``X op(A) = alpha B``) with A triangular."""
    _square("_linalg_trsm", "A", A)
    _check("_linalg_trsm", ("B", B))
    tri = _tri(A, lower)
    upper = not lower
    if transpose:
        tri, upper = _t(tri), lower
    rhs = B if alpha == 1.0 else B * alpha
    return torch.linalg.solve_triangular(tri, rhs, upper=upper, left=not rightside)


@defop("_linalg_syrk", aliases=("linalg_syrk",), inputs=("A",),
       attrs=(Attr("transpose", BOOL, False, "Compute A^T A instead of A A^T"),
              Attr("alpha", FLOAT, 1.0, "Scale factor")))
def syrk(A, transpose, alpha):  # noqa: N803
    """``alpha * A @ A^T`` (``alpha * A^T @ A`` when ``transpose``)."""
    _check("_linalg_syrk", ("A", A))
    out = torch.matmul(_t(A), A) if transpose else torch.matmul(A, _t(A))
    return out if alpha == 1.0 else out * alpha


# --------------------------------------------------------------------------------------------
# factorizations and inverses
# --------------------------------------------------------------------------------------------


@defop("_linalg_potrf", aliases=("linalg_potrf",), inputs=("A",))
def potrf(A):  # noqa: N803
    """Lower Cholesky factor L of a symmetric positive-definite A (``A = L L^T``)."""
    _square("_linalg_potrf", "A", A)
    L, info = torch.linalg.cholesky_ex(A)
    if A.device.type != "meta" and bool((info != 0).any()):
        raise ShapeError("_linalg_potrf: input 'A' is not positive definite (Cholesky "
                         "factorization failed)")
    return L


@defop("_linalg_potri", aliases=("linalg_potri",), inputs=("A",))
def potri(A):  # noqa: N803
    """``(L L^T)^-1`` from a lower Cholesky factor L (only its lower triangle is read)."""
    _square("_linalg_potri", "A", A)
    L = torch.tril(A)
    # NOTE: computed as (L^-1)^T L^-1 with a triangular solve; torch.cholesky_inverse gives
    # the same forward but its backward is not triangle-aware.
    eye = torch.eye(A.shape[-1], dtype=A.dtype, device=A.device).expand_as(A)
    inv = torch.linalg.solve_triangular(L, eye, upper=False)
    return torch.matmul(_t(inv), inv)


@defop("_linalg_gelqf", aliases=("linalg_gelqf",), inputs=("A",), num_outputs=2,
       output_names=("Q", "L"))
def gelqf(A):  # noqa: N803
    """LQ factorization ``A = L Q`` of an (m, n) matrix with m <= n: returns (Q, L)."""
    _check("_linalg_gelqf", ("A", A))
    if A.shape[-2] > A.shape[-1]:
        raise ShapeError(f"_linalg_gelqf: input 'A' has shape {tuple(A.shape)}; it needs at "
                         "most as many rows as columns")
    q, r = torch.linalg.qr(_t(A))
    return _t(q), _t(r)


@defop("_linalg_syevd", inputs=("A",), num_outputs=2, output_names=("U", "L"))
def syevd(A):  # noqa: N803
    """Eigendecomposition of symmetric A: U (rows are eigenvectors) and L (ascending)."""
    _square("_linalg_syevd", "A", A)
    values, vectors = torch.linalg.eigh(A)
    u = _t(vectors)
    # NOTE: MXNet makes each eigenvector's sign unique: its entry of largest magnitude
    # (first one on ties) is positive. torch leaves the sign to LAPACK.
    idx = u.abs().argmax(dim=-1, keepdim=True)
    sign = torch.where(torch.gather(u, -1, idx) < 0, -1.0, 1.0).to(u.dtype)
    return u * sign, values


@defop("_linalg_inverse", aliases=("linalg_inverse",), inputs=("A",))
def inverse(A):  # noqa: N803
    """Inverse of every square matrix in the batch."""
    _square("_linalg_inverse", "A", A)
    return torch.linalg.inv(A)


@defop("_linalg_det", aliases=("linalg_det",), inputs=("A",))
def det(A):  # noqa: N803
    """Determinant of every square matrix (shape (1,) for a single matrix)."""
    _square("_linalg_det", "A", A)
    return _legacy(torch.linalg.det(A))


@defop("_linalg_slogdet", aliases=("linalg_slogdet",), inputs=("A",), num_outputs=2,
       output_names=("sign", "logdet"))
def slogdet(A):  # noqa: N803
    """Sign and log of the absolute determinant of every square matrix."""
    _square("_linalg_slogdet", "A", A)
    sign, logabs = torch.linalg.slogdet(A)
    return _legacy(sign.detach()), _legacy(logabs)


@defop("_linalg_sumlogdiag", aliases=("linalg_sumlogdiag",), inputs=("A",))
def sumlogdiag(A):  # noqa: N803
    """Sum of the logs of the diagonal of every square matrix."""
    _square("_linalg_sumlogdiag", "A", A)
    return _legacy(torch.log(torch.diagonal(A, dim1=-2, dim2=-1)).sum(-1))


# --------------------------------------------------------------------------------------------
# diagonals and triangles
# --------------------------------------------------------------------------------------------

_OFFSET = Attr("offset", INT, 0, "Diagonal offset (>0 above, <0 below the main diagonal)")
_LOWER = Attr("lower", BOOL, True, "Lower (True) or upper triangle; used only for offset 0")


@defop("_linalg_extractdiag", aliases=("linalg_extractdiag",), inputs=("A",), attrs=(_OFFSET,))
def extractdiag(A, offset):  # noqa: N803
    """The ``offset`` diagonal of every matrix in the batch."""
    _check("_linalg_extractdiag", ("A", A))
    _check_offset("_linalg_extractdiag", A.shape[-2], A.shape[-1], offset)
    return torch.diagonal(A, offset=offset, dim1=-2, dim2=-1).clone()


@defop("_linalg_makediag", aliases=("linalg_makediag",), inputs=("A",), attrs=(_OFFSET,))
def makediag(A, offset):  # noqa: N803
    """Square matrices with the last axis of A on their ``offset`` diagonal."""
    _check("_linalg_makediag", ("A", A), ndim=1)
    return torch.diag_embed(A, offset=offset, dim1=-2, dim2=-1)


def _check_offset(op, rows, cols, offset):
    if not -rows < offset < cols:
        raise ShapeError(f"{op}: offset {offset} is outside the matrix ({rows}, {cols})")


def _tri_indices(n, offset, lower, device):
    """(rows, cols) of the stored triangle in MXNet's storage order."""
    if offset > 0 or (offset == 0 and not lower):
        # upper triangle, column by column == lower triangle of the transpose, row by row
        cols, rows = torch.tril_indices(n, n, -offset, device=device)
    else:
        rows, cols = torch.tril_indices(n, n, offset, device=device)
    return rows, cols


@defop("_linalg_extracttrian", aliases=("linalg_extracttrian",), inputs=("A",),
       attrs=(_OFFSET, _LOWER))
def extracttrian(A, offset, lower):  # noqa: N803
    """A triangle of every square matrix, flattened into a vector."""
    _square("_linalg_extracttrian", "A", A)
    n = A.shape[-1]
    _check_offset("_linalg_extracttrian", n, n, offset)
    rows, cols = _tri_indices(n, offset, lower, A.device)
    return A[..., rows, cols]


@defop("_linalg_maketrian", aliases=("linalg_maketrian",), inputs=("A",),
       attrs=(_OFFSET, _LOWER))
def maketrian(A, offset, lower):  # noqa: N803
    """Triangular matrices built from vectors (the inverse of ``extracttrian``)."""
    _check("_linalg_maketrian", ("A", A), ndim=1)
    length = A.shape[-1]
    side = int(round(((8 * length + 1) ** 0.5 - 1) / 2))
    if side * (side + 1) // 2 != length:
        raise ShapeError(f"_linalg_maketrian: input 'A' has last dimension {length}, which is "
                         "not a triangular number n*(n+1)/2")
    n = side + abs(offset)
    rows, cols = _tri_indices(n, offset, lower, A.device)
    flat = (rows * n + cols).expand(A.shape)
    out = A.new_zeros(A.shape[:-1] + (n * n,))
    return out.scatter(-1, flat, A).unflatten(-1, (n, n))
