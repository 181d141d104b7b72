"""``mx.nd._internal``: the operators MXNet names with a leading underscore (``_plus_scalar``,
``_random_uniform``...), generated from the registry (see ``ndarray._gen``)."""
from ._gen import populate as _populate
from .ndarray import NDArray as NDArrayBase  # noqa: F401  (the base class of every array)

_populate(globals(), "_internal")

__all__ = sorted(k for k in globals() if k.startswith("_") and not k.startswith("__")
                 and k not in ("_populate",))
__all__ += ["CachedOp", "NDArrayBase"]


def __getattr__(name):
    # CachedOp compiles Symbols, which sit above this package: import it on first use.
    if name == "CachedOp":
        from ..symbol.cached_op import CachedOp
        return CachedOp
    raise AttributeError(f"module 'mxtorch.ndarray._internal' has no attribute {name!r}")
