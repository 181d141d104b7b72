"""``mx.nd.numpy_extension`` (MXNet's ``mxnet.ndarray.numpy_extension``): the ``mx.npx``
operators on ``mx.np`` arrays."""
from ...numpy_extension._ops import *  # noqa: F401,F403
from ...numpy_extension._ops import __all__  # noqa: F401
from . import _op, _register, image, random  # noqa: F401
