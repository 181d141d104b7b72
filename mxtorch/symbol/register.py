"""``mx.sym.register``: where MXNet generates the sym operator functions from its C registry.

mxtorch builds them from ``mxtorch.ops`` in ``symbol._gen`` instead (no generated source text,
no C handles); this module keeps the names MXNet code imports from it.
"""
import ctypes  # noqa: F401  (MXNet's module exposes it)

from ..attribute import AttrScope  # noqa: F401
from ..base import py_str  # noqa: F401
from ..name import NameManager  # noqa: F401
from .symbol import Symbol as SymbolBase  # noqa: F401  (the base class of every symbol)
from ._update_helpers import adamw_update, mp_adamw_update  # noqa: F401
