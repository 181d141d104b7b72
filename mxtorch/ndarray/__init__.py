"""``mx.nd``: NDArray, every registered operator as a function, and the creation helpers."""
from .ndarray import NDArray, from_torch, waitall  # noqa: F401
from ._operators import install_ndarray_operators
from . import _gen
from .utils import (array, zeros, ones, full, empty, arange, linspace, eye,  # noqa: F401
                    concatenate, moveaxis, save, load, load_frombuffer, from_numpy,
                    from_dlpack, to_dlpack_for_read, to_dlpack_for_write, split_v2,
                    histogram, onehot_encode)
from ._functions import FUNCTIONS as _FUNCTIONS
from . import _fluent

install_ndarray_operators(NDArray)
_fluent.install(NDArray)
_gen.populate(globals(), "")
globals().update(_FUNCTIONS)

from . import _internal, contrib, linalg, random, image, sparse, op  # noqa: E402,F401


def __getattr__(name):
    # CachedOp compiles Symbols, which sit above this package: import it on first use.
    if name == "CachedOp":
        from ..symbol.cached_op import CachedOp
        return CachedOp
    raise AttributeError(f"module 'mxtorch.ndarray' has no attribute {name!r}")
