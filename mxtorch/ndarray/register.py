"""``mx.nd.register``: where MXNet generates the nd operator functions from its C registry.

mxtorch builds them from ``mxtorch.ops`` in ``ndarray._gen`` instead (no generated source text,
no C handles); this module keeps the names MXNet code imports from it.
"""
import ctypes  # noqa: F401  (MXNet's module exposes it)

from ..base import py_str  # noqa: F401
from ..util import use_np_shape  # noqa: F401
from .ndarray import NDArray as NDArrayBase  # noqa: F401  (the base class of every array)
from ._update_helpers import adamw_update, mp_adamw_update  # noqa: F401
