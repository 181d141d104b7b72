"""``mx.sym.numpy.linalg``: Symbol functions of the ``np.linalg`` operators."""
from .. import _gen

__all__ = []
for _name in ("cholesky", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "norm", "pinv",
              "slogdet", "solve", "svd", "tensorinv", "tensorsolve", "qr", "lstsq",
              "matrix_rank"):
    _fn = _gen.SYM_FUNCTIONS.get("_npi_" + _name) or (
        _gen.SYM_FUNCTIONS.get("_npi_pinv_scalar_rcond") if _name == "pinv" else None)
    if _fn is not None:
        globals()[_name] = _fn
        __all__.append(_name)


def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, b.ndim) = b`` (``axes`` of ``a`` moved to the end first)."""
    return _gen.SYM_FUNCTIONS["_npi_tensorsolve"](a, b, a_axes=None if axes is None
                                                  else tuple(axes))
