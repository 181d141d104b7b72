"""Products and linear algebra of ``mx.np`` (``_np_dot``, ``_npi_matmul``,
``_npi_tensordot``, ``_npi_einsum``, ``_npi_inv``, ``_npi_svd``, ``_npi_norm``...).

Decompositions follow NumPy's conventions (``svd`` returns ``u, s, vt``; ``eigh`` ascending
eigenvalues, ``slogdet`` sign and log|det|) and refuse integer inputs as MXNet does.
"""
import torch

from ..base import MXNetError
from ._attrs import BOOL, FLOAT, INT, OPT_FLOAT, SHAPE, STR, Enum
from ._registry import Attr, VARIADIC, defop
from .np_reduce import AXES, LITERAL

_FLOATS = (torch.float16, torch.float32, torch.float64, torch.bfloat16)


def _floats(name, *arrays):
    for a in arrays:
        if a.dtype not in _FLOATS:
            raise MXNetError(f"{name}: this operation only supports floating point types, got "
                             f"{str(a.dtype).replace('torch.', '')}; use astype('float32')")


def _promote(a, b):
    common = torch.promote_types(a.dtype, b.dtype)
    return a.to(common), b.to(common)


@defop("_np_dot", inputs=("a", "b"), same_dtype=())
def np_dot(a, b):
    """NumPy ``dot``: scalar product, matrix product, or sum over the last axis of ``a`` and
    the second-to-last of ``b``."""
    if a.dtype != b.dtype:
        a, b = _promote(a, b)
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0:
        return a * b
    if da <= 2 and db <= 2:
        try:
            return torch.matmul(a, b)  # NumPy's dot for 1-d and 2-d operands
        except RuntimeError:
            pass  # not aligned: the checks below name the shapes
    if b.dim() == 1:
        _match("dot", a.shape[-1], b.shape[0], a, b)
        return torch.tensordot(a, b, dims=([a.dim() - 1], [0]))
    _match("dot", a.shape[-1], b.shape[-2], a, b)
    return torch.tensordot(a, b, dims=([a.dim() - 1], [b.dim() - 2]))


def _match(name, n, m, a, b):
    if n != m:
        raise MXNetError(f"{name}: shapes {tuple(a.shape)} and {tuple(b.shape)} not aligned "
                         f"({n} != {m})")


@defop("_npi_matmul", inputs=("a", "b"), same_dtype=())
def np_matmul(a, b):
    """Matrix product with broadcasting over leading axes (NumPy ``matmul``)."""
    if a.dim() == 0 or b.dim() == 0:
        raise MXNetError("matmul: input operand does not have enough dimensions (0-d arrays "
                         "are not allowed; use multiply)")
    a, b = _promote(a, b)
    _match("matmul", a.shape[-1], b.shape[-2] if b.dim() > 1 else b.shape[0], a, b)
    return torch.matmul(a, b)


@defop("_npi_tensordot", inputs=("a", "b"), attrs=(Attr("a_axes_summed", SHAPE, ()),
                                                   Attr("b_axes_summed", SHAPE, ())),
       same_dtype=())
def np_tensordot(a, b, a_axes_summed, b_axes_summed):
    """Sum products over the given axes of ``a`` and ``b``."""
    a, b = _promote(a, b)
    return torch.tensordot(a, b, dims=(list(a_axes_summed), list(b_axes_summed)))


@defop("_npi_tensordot_int_axes", inputs=("a", "b"), attrs=(Attr("axes", INT, 2),),
       same_dtype=())
def np_tensordot_int_axes(a, b, axes):
    """Sum products over the last ``axes`` axes of ``a`` and the first of ``b``."""
    a, b = _promote(a, b)
    return torch.tensordot(a, b, dims=axes)


@defop("_npi_einsum", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT, 1), Attr("subscripts", STR, ""),
              Attr("optimize", INT, 0)), same_dtype=())
def np_einsum(*operands, num_args, subscripts, optimize):
    """Einstein summation over ``operands`` as ``subscripts`` says."""
    common = operands[0].dtype
    for o in operands[1:]:
        common = torch.promote_types(common, o.dtype)
    try:
        return torch.einsum(subscripts, *[o.to(common) for o in operands])
    except RuntimeError as err:
        raise MXNetError(f"einsum: {err} (subscripts {subscripts!r}, shapes "
                         f"{[tuple(o.shape) for o in operands]})") from None


@defop("_npi_kron", inputs=("a", "b"), same_dtype=())
def np_kron(a, b):
    """Kronecker product."""
    a, b = _promote(a, b)
    return torch.kron(a, b)


@defop("_npi_outer", inputs=("a", "b"), same_dtype=())
def np_outer(a, b):
    """Outer product of the flattened inputs."""
    a, b = _promote(a, b)
    return torch.outer(a.reshape(-1), b.reshape(-1))


# --------------------------------------------------------------------------------------------
# np.linalg
# --------------------------------------------------------------------------------------------


def _square(name, a):
    _floats(name, a)
    if a.dim() < 2 or a.shape[-1] != a.shape[-2]:
        raise MXNetError(f"{name}: last 2 dimensions of the array must be square, got shape "
                         f"{tuple(a.shape)}")


def _linalg_unary(name, fn, square=True, outputs=1):
    def compute(A):  # noqa: N803 - MXNet's input name
        if square:
            _square(name, A)
        else:
            _floats(name, A)
        try:
            return fn(A)
        except RuntimeError as err:
            raise MXNetError(f"{name}: {err}") from None
    compute.__doc__ = f"``np.linalg.{name}``."
    defop(f"_npi_{name}", inputs=("A",), num_outputs=outputs)(compute)


def _eig(a):
    w, v = torch.linalg.eig(a)
    if bool((w.imag.abs() > 0).any()):
        raise MXNetError("eig: the eigenvalues are complex; mx.np supports real ones only")
    return w.real.to(a.dtype), v.real.to(a.dtype)


def _eigvals(a):
    return _eig(a)[0]


def _svd(a):
    u, s, vt = torch.linalg.svd(a, full_matrices=False)
    return u, s, vt


def _slogdet(a):
    sign, logabs = torch.linalg.slogdet(a)
    return sign, logabs


_linalg_unary("inv", torch.linalg.inv)
_linalg_unary("det", torch.linalg.det)
_linalg_unary("slogdet", _slogdet, outputs=2)
_linalg_unary("svd", _svd, square=False, outputs=3)
_linalg_unary("cholesky", torch.linalg.cholesky)
_linalg_unary("eig", _eig, outputs=2)
_linalg_unary("eigvals", _eigvals)


_QR_MODES = Enum("reduced", "complete", "r", "raw")


@defop("_npi_qr", inputs=("A",), attrs=(Attr("mode", _QR_MODES, "reduced",
                                              "reduced/complete: (Q, R); r: R; raw: (h, tau)"),),
       num_outputs=lambda at: 1 if at["mode"] == "r" else 2)
def np_qr(A, mode):  # noqa: N803 - MXNet's input name
    """QR decomposition of (stacks of) matrices in NumPy's modes; ``raw`` gives LAPACK's
    Householder form ``(h, tau)`` with ``h`` transposed, as NumPy."""
    _floats("qr", A)
    if A.dim() < 2:
        raise MXNetError(f"qr: expected an array of at least 2 dimensions, got shape "
                         f"{tuple(A.shape)}")
    if mode == "raw":  # LAPACK's Householder form has no gradient (as in NumPy's fallback)
        h, tau = torch.geqrf(A.detach())
        return h.transpose(-1, -2).contiguous(), tau
    q, r = torch.linalg.qr(A, mode="complete" if mode == "complete" else "reduced")
    return r if mode == "r" else (q, r)


@defop("_npi_eigh", inputs=("A",), attrs=(Attr("UPLO", STR, "L"),), num_outputs=2)
def np_eigh(A, UPLO):  # noqa: N803
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix."""
    _square("eigh", A)
    w, v = torch.linalg.eigh(A, UPLO=UPLO)
    return w, v


@defop("_npi_eigvalsh", inputs=("A",), attrs=(Attr("UPLO", STR, "L"),))
def np_eigvalsh(A, UPLO):  # noqa: N803
    """Eigenvalues (ascending) of a symmetric matrix."""
    _square("eigvalsh", A)
    return torch.linalg.eigvalsh(A, UPLO=UPLO)


@defop("_npi_solve", inputs=("A", "B"))
def np_solve(A, B):  # noqa: N803
    """Solution x of ``A x = B``."""
    _square("solve", A)
    try:
        if B.dim() == A.dim() - 1:
            return torch.linalg.solve(A, B.unsqueeze(-1)).squeeze(-1)
        return torch.linalg.solve(A, B)
    except RuntimeError as err:
        raise MXNetError(f"solve: {err}") from None


@defop("_npi_pinv_scalar_rcond", inputs=("A",), attrs=(Attr("rcond", FLOAT, 1e-15),
                                                       Attr("hermitian", BOOL, False)))
def np_pinv(A, rcond, hermitian):  # noqa: N803
    """Moore-Penrose pseudo-inverse."""
    _floats("pinv", A)
    return torch.linalg.pinv(A, rtol=rcond, hermitian=hermitian)


@defop("_npi_tensorinv", inputs=("a",), attrs=(Attr("ind", INT, 2),))
def np_tensorinv(a, ind):
    """Inverse of a tensor with respect to ``tensordot(..., ind)``."""
    _floats("tensorinv", a)
    return torch.linalg.tensorinv(a, ind=ind)


@defop("_npi_tensorsolve", inputs=("a", "b"), attrs=(Attr("a_axes", LITERAL, None),))
def np_tensorsolve(a, b, a_axes):
    """Solve the tensor equation ``tensordot(a, x, b.ndim) = b``."""
    _floats("tensorsolve", a, b)
    return torch.linalg.tensorsolve(a, b, dims=a_axes)


@defop("_npi_lstsq", inputs=("A", "B"), attrs=(Attr("rcond", OPT_FLOAT, None),),
       num_outputs=4)
def np_lstsq(A, B, rcond):  # noqa: N803
    """Least-squares solution, residuals, rank and singular values."""
    _floats("lstsq", A, B)
    sol = torch.linalg.lstsq(A, B, rcond=rcond, driver="gelsd")
    resid = sol.residuals if sol.residuals.numel() else torch.zeros(0, dtype=A.dtype)
    return sol.solution, resid, sol.rank.to(torch.int64), sol.singular_values


@defop("_npi_matrix_rank", inputs=("M",), attrs=(Attr("tol", OPT_FLOAT, None),
                                                 Attr("hermitian", BOOL, False)))
def np_matrix_rank(M, tol, hermitian):  # noqa: N803
    """Rank by SVD (int64)."""
    _floats("matrix_rank", M)
    return torch.linalg.matrix_rank(M, atol=tol, hermitian=hermitian).to(torch.int64)


@defop("_npi_norm", inputs=("x",), attrs=(Attr("ord", LITERAL, None), Attr("axis", AXES, None),
                                          Attr("keepdims", BOOL, False)))
def np_norm(x, ord, axis, keepdims):  # noqa: A002 - NumPy's argument name
    """Vector or matrix norm (NumPy's ``ord`` meanings)."""
    _floats("norm", x)
    if isinstance(ord, str) and ord.lower() in ("inf", "-inf", "+inf"):
        ord = float(ord)  # noqa: A001 - ord=inf read back from a graph's string attribute
    if axis is None and ord is None:
        return torch.linalg.vector_norm(x.reshape(-1), 2).reshape(
            [1] * x.dim() if keepdims else [])
    if axis is None:
        axis = tuple(range(x.dim()))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if len(axes) == 1:
        o = 2 if ord is None else ord
        return torch.linalg.vector_norm(x, o, dim=axes, keepdim=keepdims)
    if len(axes) == 2:
        o = "fro" if ord is None else ord
        return torch.linalg.matrix_norm(x, o, dim=axes, keepdim=keepdims)
    raise MXNetError(f"norm: improper number of dimensions to norm (axis={axis})")
