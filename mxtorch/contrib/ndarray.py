"""``mx.contrib.ndarray``: the contrib operators on NDArrays (``mx.nd.contrib``)."""
from ..ndarray.contrib import *  # noqa: F401,F403
