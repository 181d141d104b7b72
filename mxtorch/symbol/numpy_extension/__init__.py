"""``mx.sym.numpy_extension`` (MXNet's ``mxnet.symbol.numpy_extension``): the ``mx.npx``
operators as Symbol functions (the registry ops they alias)."""
from .. import _gen
from ...numpy_extension._ops import NAMES as _NAMES
from . import _op, _register, image, random  # noqa: F401

__all__ = []
for _name, _reg in sorted(_NAMES.items()):
    globals()[_name] = _gen.SYM_FUNCTIONS[_reg]
    __all__.append(_name)
for _name, _reg in (("reshape", "_npx_reshape"), ("nonzero", "_npx_nonzero"),
                    ("constraint_check", "_npx_constraint_check")):
    globals()[_name] = _gen.SYM_FUNCTIONS[_reg]
    __all__.append(_name)
