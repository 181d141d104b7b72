"""``mxnet.symbol.numpy_extension._op``: the npx Symbol functions."""
from .. import _gen
from ...numpy_extension._ops import NAMES as _NAMES

__all__ = sorted(_NAMES)
globals().update({n: _gen.SYM_FUNCTIONS[r] for n, r in _NAMES.items()})
