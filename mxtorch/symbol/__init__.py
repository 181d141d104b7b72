"""``mx.sym``: Symbol, variables, every registered operator as a symbol function, JSON I/O."""
from .symbol import Symbol, var, Variable, Group  # noqa: F401
from ._json import load, load_json  # noqa: F401
from ._json import load_json as fromjson  # noqa: F401  (2.x name)
from .executor import Executor  # noqa: F401
from .cached_op import CachedOp  # noqa: F401
from . import _gen
from . import _fluent
from ..ndarray._operators import install_symbol_operators
from ._helpers import (zeros, ones, full, arange, linspace, eye, pow, power,  # noqa: F401
                       maximum, minimum, hypot, histogram, split_v2)

install_symbol_operators(Symbol)
_fluent.install(Symbol)
_gen.populate(globals(), "")

from . import _internal, contrib, linalg, random, image, sparse, op, register  # noqa: E402,F401
from . import (gen_op, gen__internal, gen_contrib, gen_linalg,  # noqa: E402,F401
               gen_image, gen_sparse)

# ``from mxnet.symbol import *``: every public function and the sub-namespaces MXNet lists; not
# the helper modules (op, symbol, register, gen_*) nor mxtorch's own internals. Keep this last.
_NOT_STARRED = {"op", "symbol", "register", "cached_op", "compiler", "executor", "fromjson",
                "install_symbol_operators", "Executor", "CachedOp"}
__all__ = sorted(k for k in globals() if not k.startswith(("_", "gen_")) and k not in _NOT_STARRED)
