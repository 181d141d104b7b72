"""``mx.nd.op``: operators generated from the registry (see ``ndarray._gen``)."""
from ._gen import populate as _populate

_populate(globals(), "")

__all__ = sorted(k for k in globals() if not k.startswith("_")) + ["CachedOp"]


def __getattr__(name):
    # CachedOp compiles Symbols, which sit above this package: import it on first use.
    if name == "CachedOp":
        from ..symbol.cached_op import CachedOp
        return CachedOp
    raise AttributeError(f"module 'mxtorch.ndarray.op' has no attribute {name!r}")
