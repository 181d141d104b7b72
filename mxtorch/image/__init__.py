"""Image decoding, transformation and iteration (``mx.image``), on OpenCV."""
from . import image
from .image import *  # noqa: F401,F403
from .image import _get_interp_method  # noqa: F401


def __getattr__(name):
    if name == "ImageIter":
        return image.ImageIter
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
