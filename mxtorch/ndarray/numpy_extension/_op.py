"""``mxnet.ndarray.numpy_extension._op``: the ``mx.npx`` operators."""
from ...numpy_extension._ops import *  # noqa: F401,F403
