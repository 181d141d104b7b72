"""``mx.np``: MXNet's NumPy-compatible interface (arrays with NumPy semantics, NumPy-named
functions, ``mx.np.random`` and ``mx.np.linalg``), over mxtorch's one operator registry.

>>> from mxtorch import np, npx
>>> npx.set_np()
>>> x = np.arange(6).reshape(2, 3)
>>> x.sum(axis=0)
array([3., 5., 7.])
"""
import builtins as _builtins

import numpy as _onp

from .multiarray import *  # noqa: F401,F403
from .multiarray import ndarray, array
from . import _ufuncs, _functions, _methods, fallback
from ._ufuncs import *  # noqa: F401,F403
from ._functions import *  # noqa: F401,F403
from ._extra import *  # noqa: F401,F403
from . import random, linalg  # noqa: F401
from . import multiarray  # noqa: F401
from . import arrayprint, fallback_linalg, function_base, io, stride_tricks, utils  # noqa: F401

_methods.install(ndarray)
for _n, _f in _ufuncs.FUNCTIONS.items():
    globals()[_n] = _f
for _n, _f in fallback.FUNCTIONS.items():
    globals().setdefault(_n, _f)

# dtypes and constants, as NumPy (and MXNet's mx.np) spell them
float16, float32, float64 = _onp.float16, _onp.float32, _onp.float64
int8, int32, int64, uint8 = _onp.int8, _onp.int32, _onp.int64, _onp.uint8
bool_ = _onp.bool_
bool = _onp.bool_  # noqa: A001 - MXNet's mx.np.bool
pi, e, inf, nan = _onp.pi, _onp.e, _onp.inf, _onp.nan
NAN = NaN = _onp.nan
PINF, NINF = _onp.inf, -_onp.inf
PZERO, NZERO = 0.0, -0.0
newaxis = None
finfo = _onp.finfo
dtype = _onp.dtype


def set_printoptions(precision=None, threshold=None, **kwarg):
    """Set how arrays print (NumPy's ``set_printoptions``; arrays print through NumPy)."""
    _onp.set_printoptions(precision=precision, threshold=threshold, **kwarg)


__all__ = sorted(n for n in globals() if not n.startswith("_") and n not in (
    "multiarray", "fallback", "arrayprint", "fallback_linalg", "function_base", "io",
    "stride_tricks", "utils", "random", "linalg"))

# MXNet's mx.np.multiarray module holds every function; mirror them there.
for _n in __all__:
    if not hasattr(multiarray, _n) and (not hasattr(_builtins, _n) or _n in (
            "abs", "round", "divmod")):  # other builtins stay (multiarray uses bool, max...)
        setattr(multiarray, _n, globals()[_n])
multiarray.__all__ = sorted(n for n in set(multiarray.__all__) | set(__all__)
                            if hasattr(multiarray, n))
