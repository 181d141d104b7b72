"""``mx.np.stride_tricks``: ``broadcast_arrays``."""
from ._functions import broadcast_arrays  # noqa: F401

__all__ = ["broadcast_arrays"]
