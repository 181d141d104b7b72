"""``mx.nd.numpy.linalg``: the ``mx.np.linalg`` functions."""
from ...numpy.linalg import *  # noqa: F401,F403
from ...numpy.linalg import __all__  # noqa: F401
