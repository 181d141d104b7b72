"""``mx.npx.image``: ``mx.image``'s names (augmenters, iterators, ``imread``...) plus the image
operators (``to_tensor``, ``normalize``, ``resize``, ``crop``, flips, random augmentations)
on ``mx.np`` arrays."""
from .. import image as _image
from ..ndarray import _gen
from ._ops import _make

__all__ = []
for _name in dir(_image):
    if not _name.startswith("_"):
        globals()[_name] = getattr(_image, _name)
for _reg_name in sorted(_gen.ND_FUNCTIONS):
    if _reg_name.startswith("_image_"):
        _name = _reg_name[len("_image_"):]
        globals()[_name] = _make(_name, _reg_name)
        __all__.append(_name)
