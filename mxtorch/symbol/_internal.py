"""``mx.sym._internal``: the operators MXNet names with a leading underscore (``_plus_scalar``,
``_random_uniform``...) as symbol functions, generated from the registry (see ``symbol._gen``).
"""
from ..attribute import AttrScope  # noqa: F401
from ..name import NameManager  # noqa: F401
from ._gen import populate as _populate
from .symbol import Symbol as SymbolBase  # noqa: F401  (the base class of every symbol)

_populate(globals(), "_internal")

__all__ = sorted(k for k in globals() if k.startswith("_") and not k.startswith("__")
                 and k not in ("_populate",))
__all__ += ["SymbolBase"]
