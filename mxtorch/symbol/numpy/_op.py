"""``mxnet.symbol.numpy._op``: Symbol versions of the ``mx.np`` functions."""
from ._symbol import *  # noqa: F401,F403
