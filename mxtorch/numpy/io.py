"""``mx.np.io``: ``genfromtxt`` (NumPy's text reader; the result is an ``mx.np`` array)."""
import numpy as onp

from ..context import current_context  # noqa: F401 - part of MXNet's module namespace
from .multiarray import array

__all__ = ["genfromtxt"]


def genfromtxt(*args, **kwargs):
    """Read a text table with ``numpy.genfromtxt``; returns an ``mx.np`` array (float64 data
    stays float64)."""
    data = onp.genfromtxt(*args, **kwargs)
    return array(data, dtype=data.dtype)
