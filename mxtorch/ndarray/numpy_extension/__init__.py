"""``mx.nd.numpy_extension`` (MXNet's ``mxnet.ndarray.numpy_extension``): the ``mx.npx``
operators on ``mx.np`` arrays."""
from ...numpy_extension._ops import *  # noqa: F401,F403
from ...numpy_extension._ops import __all__  # noqa: F401
from . import _op, _register, image, random  # noqa: F401

from ...numpy_extension._ops import _make  # noqa: E402

# MXNet 1.9.1's ``mx.nd.npx`` takes these as the ``_npx_*`` operators (op-style signatures)
reshape = _make("reshape", "_npx_reshape")
nonzero = _make("nonzero", "_npx_nonzero")
constraint_check = _make("constraint_check", "_npx_constraint_check")
