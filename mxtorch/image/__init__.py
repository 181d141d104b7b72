"""Image decoding, transformation and iteration (``mx.image``), on OpenCV."""
from . import image
from .image import *  # noqa: F401,F403
from .image import _get_interp_method  # noqa: F401
from . import detection
from . import detection as det
from .detection import *  # noqa: F401,F403
