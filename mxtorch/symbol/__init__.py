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

from . import _internal, contrib, linalg, random, image, sparse, op  # noqa: E402,F401
