"""``mxnet.ndarray.numpy._op``: the ``mx.np`` functions (see ``mx.nd.numpy``)."""
from ...ndarray.ndarray import NDArray  # noqa: F401 - part of MXNet's module namespace
from ...numpy._functions import *  # noqa: F401,F403
from ...numpy._ufuncs import *  # noqa: F401,F403
from ...numpy._extra import *  # noqa: F401,F403
from ...numpy.multiarray import *  # noqa: F401,F403
