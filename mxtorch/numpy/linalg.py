"""``mx.np.linalg``: NumPy's linear algebra on ``mx.np`` arrays (``_npi_*`` linalg ops)."""
import numbers

from ..base import MXNetError
from ._door import call, to_np

__all__ = ["norm", "inv", "det", "slogdet", "svd", "eig", "eigh", "eigvals", "eigvalsh",
           "solve", "qr", "cholesky", "pinv", "tensorinv", "tensorsolve", "lstsq",
           "matrix_rank", "matrix_power", "multi_dot", "cond"]


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """Vector or matrix norm (NumPy's ``ord`` meanings: 1, 2, inf, -inf, 'fro', 'nuc'...)."""
    if isinstance(axis, list):
        axis = tuple(axis)
    return call("_npi_norm", [to_np(x, "norm")], ord=ord, axis=axis, keepdims=keepdims)


def inv(a):
    """Inverse of a square matrix (or a stack of them)."""
    return call("_npi_inv", [to_np(a, "inv")])


def det(a):
    """Determinant."""
    return call("_npi_det", [to_np(a, "det")])


def slogdet(a):
    """Sign and natural log of the absolute determinant."""
    return tuple(call("_npi_slogdet", [to_np(a, "slogdet")]))


def svd(a):
    """Singular value decomposition ``u, s, vt`` (reduced)."""
    return tuple(call("_npi_svd", [to_np(a, "svd")]))


def eig(a):
    """Eigenvalues and right eigenvectors of a square matrix (real results only)."""
    return tuple(call("_npi_eig", [to_np(a, "eig")]))


def eigvals(a):
    """Eigenvalues of a square matrix."""
    return call("_npi_eigvals", [to_np(a, "eigvals")])


def eigh(a, UPLO="L"):  # noqa: N803
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix."""
    return tuple(call("_npi_eigh", [to_np(a, "eigh")], UPLO=UPLO))


def eigvalsh(a, UPLO="L"):  # noqa: N803
    """Eigenvalues (ascending) of a symmetric matrix."""
    return call("_npi_eigvalsh", [to_np(a, "eigvalsh")], UPLO=UPLO)


def solve(a, b):
    """Solve ``a x = b``."""
    return call("_npi_solve", [to_np(a, "solve"), to_np(b, "solve")])


def qr(a, mode="reduced"):
    """QR decomposition: ``(Q, R)`` for ``mode='reduced'`` (default) or ``'complete'``, ``R``
    for ``'r'``, LAPACK's ``(h, tau)`` for ``'raw'`` (NumPy's modes)."""
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}; expected 'reduced', 'complete', "
                         "'r' or 'raw'")
    if mode == "reduced":  # no mode attribute: the node 1.9.1 writes and reads
        return tuple(call("_npi_qr", [to_np(a, "qr")]))
    out = call("_npi_qr", [to_np(a, "qr")], mode=mode)
    return out if mode == "r" else tuple(out)


def cholesky(a):
    """Lower Cholesky factor of a symmetric positive-definite matrix."""
    return call("_npi_cholesky", [to_np(a, "cholesky")])


def pinv(a, rcond=1e-15, hermitian=False):
    """Moore-Penrose pseudo-inverse."""
    if not isinstance(rcond, numbers.Number):
        raise NotImplementedError("pinv: array-valued rcond is not supported")
    return call("_npi_pinv_scalar_rcond", [to_np(a, "pinv")], rcond=rcond, hermitian=hermitian)


def tensorinv(a, ind=2):
    """Inverse with respect to ``tensordot(..., ind)``."""
    return call("_npi_tensorinv", [to_np(a, "tensorinv")], ind=ind)


def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, b.ndim) = b``."""
    return call("_npi_tensorsolve", [to_np(a, "tensorsolve"), to_np(b, "tensorsolve")],
                a_axes=None if axes is None else tuple(axes))


def lstsq(a, b, rcond="warn"):
    """Least-squares solution, residuals, rank and singular values."""
    rc = None if rcond in ("warn", None) else float(rcond)
    return tuple(call("_npi_lstsq", [to_np(a, "lstsq"), to_np(b, "lstsq")], rcond=rc))


def matrix_rank(A, tol=None, hermitian=False):  # noqa: N803
    """Matrix rank by SVD."""
    return call("_npi_matrix_rank", [to_np(A, "matrix_rank")], tol=tol, hermitian=hermitian)


def matrix_power(a, n):
    """``a`` raised to the integer power ``n`` (negative: of the inverse)."""
    a = to_np(a, "matrix_power")
    if not isinstance(n, numbers.Integral):
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}")
    if n < 0:
        a, n = inv(a), -n
    from ._functions import matmul
    from .multiarray import eye
    result = eye(a.shape[-1], dtype=a.dtype, ctx=a.ctx)
    base = a
    while n:
        if n & 1:
            result = matmul(result, base)
        base = matmul(base, base)
        n >>= 1
    return result


def multi_dot(arrays, *, out=None):
    """Chained dot product of several arrays."""
    from ._functions import dot
    if len(arrays) < 2:
        raise MXNetError("multi_dot: expecting at least two arrays")
    result = arrays[0]
    for a in arrays[1:]:
        result = dot(result, a)
    if out is not None:
        out[...] = result
        return out
    return result


def cond(x, p=None):
    """Condition number (2-norm by default)."""
    if p is None or p == 2:
        s = svd(x)[1]
        return s.max(axis=-1) / s.min(axis=-1)
    return norm(x, p, axis=(-2, -1)) * norm(inv(x), p, axis=(-2, -1))


from . import fallback_linalg  # noqa: E402,F401 - part of MXNet's mx.np.linalg namespace
