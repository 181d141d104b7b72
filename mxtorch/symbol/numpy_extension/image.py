"""``mx.sym.numpy_extension.image``: the image operators as Symbol functions."""
from .. import _gen

__all__ = []
for _reg, _fn in sorted(_gen.SYM_FUNCTIONS.items()):
    if _reg.startswith("_image_"):
        globals()[_reg[len("_image_"):]] = _fn
        __all__.append(_reg[len("_image_"):])
