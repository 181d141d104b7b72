"""``mx.sym.numpy`` (MXNet's ``mxnet.symbol.numpy``): the ``mx.np`` names as Symbol functions
over the same ``_npi_*``/``_np_*`` operators (``add`` builds an ``_npi_add`` node), plus
``_internal`` with every such operator under its short name."""
from . import _internal, _op, _register, _symbol, linalg, random  # noqa: F401
from ._symbol import *  # noqa: F401,F403
from ._symbol import __all__  # noqa: F401
from ._symbol import _Symbol  # noqa: F401
