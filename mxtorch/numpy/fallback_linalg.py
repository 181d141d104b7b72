"""``mx.np.fallback_linalg``: the ``np.linalg`` functions MXNet 1.9.1 ran through official
NumPy (mxtorch runs them on its own operators; see ``linalg``)."""
from .linalg import cond, lstsq, matrix_power, matrix_rank, multi_dot, qr  # noqa: F401

__all__ = ["cond", "lstsq", "matrix_power", "matrix_rank", "multi_dot", "qr"]
