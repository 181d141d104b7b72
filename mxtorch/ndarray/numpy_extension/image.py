"""``mx.nd.numpy_extension.image``: the image operators on ``mx.np`` arrays."""
from ...numpy_extension import image as _image

__all__ = list(_image.__all__)
globals().update({n: getattr(_image, n) for n in __all__})
