"""``mx.np.function_base``: ``meshgrid`` (and ``broadcast_arrays``)."""
from ._functions import broadcast_arrays, meshgrid  # noqa: F401

__all__ = ["meshgrid"]
