"""``mx.nd.numpy.random``: the ``mx.np.random`` functions."""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from ...ndarray.ndarray import NDArray  # noqa: F401 - part of MXNet's module namespace
from ...numpy.random import *  # noqa: F401,F403
from ...numpy.random import __all__  # noqa: F401
