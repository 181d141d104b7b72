"""``mxnet.ndarray.numpy._api_internal``: FFI entry points MXNet 2 calls (``zeros``,
``tensordot``) as plain functions."""
from ...numpy._functions import tensordot  # noqa: F401
from ...numpy.multiarray import zeros  # noqa: F401
