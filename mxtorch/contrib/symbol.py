"""``mx.contrib.symbol``: the contrib operators on Symbols (``mx.sym.contrib``)."""
from ..symbol.contrib import *  # noqa: F401,F403
