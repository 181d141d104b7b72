"""NumPy functions ``mx.np`` offers by running official NumPy on host copies (as MXNet 1.9.1's
``mxnet.numpy.fallback``): arguments that are ``mx.np`` arrays are copied to the host, the
NumPy function runs, and array results come back as ``mx.np`` arrays on the first argument's
device. These are not differentiable and do not hybridize; each is marked ``_fallback``.
"""
import functools

import numpy as onp

from ..ndarray.ndarray import NDArray

NAMES = ("apply_along_axis", "apply_over_axes", "argpartition", "choose", "compress",
         "corrcoef", "correlate", "cov", "digitize", "divmod",
         "extract", "frexp", "genfromtxt", "heaviside", "histogram2d", "histogram_bin_edges",
         "histogramdd", "i0", "in1d", "interp", "intersect1d", "isin", "ix_",
         "lexsort", "min_scalar_type", "modf", "msort", "nanargmax", "nanargmin",
         "nancumprod", "nancumsum", "nanmax", "nanmedian", "nanmin", "nanpercentile",
         "nanprod", "nanquantile", "nansum", "nanmean", "nanstd", "nanvar", "packbits",
         "partition", "piecewise", "poly", "polyadd", "polydiv", "polyfit", "polyint",
         "polymul", "polysub", "promote_types", "real", "result_type", "roots",
         "select", "setdiff1d", "setxor1d", "signbit", "spacing", "trapz", "tril_indices_from",
         "trim_zeros", "triu_indices_from", "union1d", "unpackbits", "unravel_index", "unwrap",
         "vander", "mirr", "npv", "pmt", "ppmt", "pv", "rate", "tril_indices", "triu_indices",
         "diag_indices", "cumprod", "gcd", "exp2", "nextafter",
         "conjugate", "conj", "iscomplex", "isreal", "isscalar", "asfarray")
__all__ = []


def _to_host(value):
    if isinstance(value, NDArray):
        return value.asnumpy()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    return value


def _ctx_of(values):
    for v in values:
        if isinstance(v, NDArray):
            return v.ctx
        if isinstance(v, (list, tuple)):
            found = _ctx_of(v)
            if found is not None:
                return found
    return None


def _back(value, ctx):
    from .multiarray import array
    if isinstance(value, onp.ndarray) and value.dtype.kind in "biuf":
        return array(value, dtype=value.dtype, ctx=ctx)
    if isinstance(value, tuple):
        return tuple(_back(v, ctx) for v in value)
    if isinstance(value, list):
        return [_back(v, ctx) for v in value]
    return value


def make(name, target=None):
    """An ``mx.np`` function running ``numpy.<name>`` on host copies."""
    func = target or getattr(onp, name, None)
    if func is None:
        func = _missing(name)

    @functools.wraps(func)
    def fallback(*args, **kwargs):
        ctx = _ctx_of(args) or _ctx_of(list(kwargs.values()))
        return _back(func(*_to_host(args), **_to_host(kwargs)), ctx)
    del fallback.__wrapped__  # signature (*args, **kwargs): NumPy's change between versions
    fallback.__module__ = "mxtorch.numpy"
    fallback._fallback = True
    return fallback


def _missing(name):
    def missing(*args, **kwargs):
        raise NotImplementedError(f"mx.np.{name} needs numpy.{name}, which this NumPy "
                                  f"({onp.__version__}) does not have")
    missing.__name__ = name
    return missing


def _financial(name):
    def fn(*args, **kwds):
        raise NotImplementedError(f"mx.np.{name}: NumPy's financial functions were removed "
                                  "in NumPy 1.20; use the numpy_financial package")
    fn.__name__ = name
    return fn


def _in1d(ar1, ar2, assume_unique=False, invert=False):
    """NumPy 1.x ``in1d``: ``isin`` over the flattened ``ar1``."""
    return onp.isin(ar1, ar2, assume_unique=assume_unique, invert=invert).ravel()


def _msort(a):
    """NumPy 1.x ``msort``: a copy sorted along the first axis."""
    return onp.sort(a, axis=0)


def _asfarray(a, dtype=onp.float64):
    """NumPy 1.x ``asfarray``: ``a`` as an inexact (float64 unless ``dtype`` is inexact)."""
    dtype = onp.dtype(dtype)
    return onp.asarray(a, dtype=dtype if dtype.kind in "fc" else onp.float64)


# NumPy 2 removed these; the 1.x definitions run instead
_NUMPY1 = {"in1d": _in1d, "msort": _msort, "asfarray": _asfarray,
           "trapz": getattr(onp, "trapezoid", None)}

FUNCTIONS = {}
for _name in NAMES:
    if _name in ("mirr", "npv", "pmt", "ppmt", "pv", "rate"):
        FUNCTIONS[_name] = _financial(_name)
    elif _name in _NUMPY1 and not hasattr(onp, _name):
        FUNCTIONS[_name] = make(_name, _NUMPY1[_name])
        FUNCTIONS[_name].__name__ = FUNCTIONS[_name].__qualname__ = _name
    else:
        FUNCTIONS[_name] = make(_name)

# MXNet's fallback module lists these names (some of which mx.np also implements natively)
MXNET_NAMES = (
    "allclose", "alltrue", "apply_along_axis", "apply_over_axes", "argpartition", "argwhere",
    "array_equal", "array_equiv", "choose", "compress", "corrcoef", "correlate",
    "count_nonzero", "cov", "digitize", "divmod", "extract", "flatnonzero", "float_power",
    "frexp", "heaviside", "histogram2d", "histogram_bin_edges", "histogramdd", "i0", "in1d",
    "interp", "intersect1d", "isclose", "isin", "ix_", "lexsort", "min_scalar_type", "mirr",
    "modf", "msort", "nanargmax", "nanargmin", "nancumprod", "nancumsum", "nanmax",
    "nanmedian", "nanmin", "nanpercentile", "nanprod", "nanquantile", "ndim", "npv",
    "packbits", "partition", "piecewise", "poly", "polyadd", "polydiv", "polyfit", "polyint",
    "polymul", "polysub", "positive", "ppmt", "promote_types", "ptp", "pv", "rate", "real",
    "result_type", "rollaxis", "roots", "searchsorted", "select", "setdiff1d", "setxor1d",
    "signbit", "size", "spacing", "take_along_axis", "trapz", "tril_indices_from",
    "trim_zeros", "triu_indices_from", "union1d", "unpackbits", "unwrap", "vander")
for _name in MXNET_NAMES + ("nanstd", "nansum", "nanvar", "pmt"):
    if _name not in FUNCTIONS:
        FUNCTIONS[_name] = make(_name)
globals().update(FUNCTIONS)
__all__ = list(MXNET_NAMES)
onp = onp
