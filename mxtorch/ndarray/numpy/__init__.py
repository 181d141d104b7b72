"""``mx.nd.numpy`` (MXNet's ``mxnet.ndarray.numpy``): the imperative functions behind ``mx.np``,
plus ``_internal`` (every ``_npi_*``/``_np_*`` operator under its short name)."""
from ...numpy import _extra as _e, _functions as _f, _ufuncs as _u, multiarray as _m
from ...numpy._functions import *  # noqa: F401,F403
from ...numpy._ufuncs import *  # noqa: F401,F403
from ...numpy._extra import *  # noqa: F401,F403
from ...numpy.multiarray import (array, arange, empty, empty_like, eye, full, full_like,  # noqa
                                 identity, indices, linspace, logspace, ndim, ones,
                                 ones_like, shape, size,
                                 zeros, zeros_like)
from ...numpy.fallback import FUNCTIONS as _FALLBACK
from . import _internal, _op, _api_internal, _register, linalg, random  # noqa: F401

for _name, _fn in _FALLBACK.items():
    globals().setdefault(_name, _fn)

# MXNet 1.9.1 binds these names of ``mx.nd.np`` to the ``_np_*`` operators themselves (not to
# the NumPy-style functions of ``mx.np``): ``mx.nd.np.all(data, axis, keepdims, out, name)``.
OP_DOORS = ("all", "amax", "amin", "any", "copy", "cumsum", "diag", "diagflat", "diagonal", "dot",
            "max", "min", "moveaxis", "prod", "product", "repeat", "reshape", "roll", "sometrue",
            "squeeze", "sum", "trace", "transpose")
for _name in OP_DOORS:
    globals()[_name] = getattr(_internal, _name)

__all__ = sorted(n for n in set(_f.__all__) | set(_e.__all__) | set(_u.__all__) | set(_m.__all__)
                 if n in globals() and n != "ndarray")
