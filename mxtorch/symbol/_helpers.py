"""Hand-written ``mx.sym`` helpers that map onto registered ops (as in MXNet)."""
import numpy as np

from ..base import numeric_types
from .._torch.dtypes import dtype_name
from .symbol import Symbol


def _fn(name):
    from ._gen import SYM_FUNCTIONS
    return SYM_FUNCTIONS[name]


def zeros(shape, dtype=None, **kwargs):
    """Symbol of zeros (op ``_zeros``)."""
    return _fn("_zeros")(shape=shape, dtype=dtype_name(dtype or np.float32), **kwargs)


def ones(shape, dtype=None, **kwargs):
    """Symbol of ones (op ``_ones``)."""
    return _fn("_ones")(shape=shape, dtype=dtype_name(dtype or np.float32), **kwargs)


def full(shape, val, dtype=None, **kwargs):
    """Symbol filled with ``val`` (op ``_full``)."""
    return _fn("_full")(shape=shape, value=val, dtype=dtype_name(dtype or np.float32), **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None):
    """Evenly spaced values (op ``_arange``)."""
    return _fn("_arange")(start=start, stop=stop, step=step, repeat=repeat,
                          infer_range=infer_range, name=name,
                          dtype=dtype_name(dtype or np.float32))


def linspace(start, stop, num, endpoint=True, name=None, dtype=None):
    """``num`` evenly spaced values (op ``_linspace``)."""
    return _fn("_linspace")(start=start, stop=stop, num=num, endpoint=endpoint, name=name,
                            dtype=dtype_name(dtype or np.float32))


def eye(N, M=0, k=0, dtype=None, **kwargs):  # noqa: N803
    """Identity-like matrix (op ``_eye``)."""
    return _fn("_eye")(N=N, M=M, k=k, dtype=dtype_name(dtype or np.float32), **kwargs)


def _binary(array_op, scalar_op, rscalar_op, python_op):
    def function(left, right):
        if isinstance(left, Symbol) and isinstance(right, Symbol):
            return _fn(array_op)(left, right)
        if isinstance(left, Symbol) and isinstance(right, numeric_types):
            return _fn(scalar_op)(left, scalar=right)
        if isinstance(right, Symbol) and isinstance(left, numeric_types):
            return _fn(rscalar_op)(right, scalar=left)
        if isinstance(left, numeric_types) and isinstance(right, numeric_types):
            return python_op(left, right)
        raise TypeError(f"types ({type(left).__name__}, {type(right).__name__}) not supported")
    return function


_power = _binary("_Power", "_PowerScalar", "_RPowerScalar", lambda a, b: a ** b)


def pow(base, exp):  # noqa: A001 - MXNet's name
    """``base ** exp`` element-wise; either side may be a number."""
    return _power(base, exp)


power = pow
maximum = _binary("_Maximum", "_MaximumScalar", "_MaximumScalar", max)
minimum = _binary("_Minimum", "_MinimumScalar", "_MinimumScalar", min)
hypot = _binary("_Hypot", "_HypotScalar", "_HypotScalar", lambda a, b: (a * a + b * b) ** 0.5)


def histogram(a, bins=10, range=None, **kwargs):  # noqa: A002
    """Histogram of ``a`` (op ``_histogram``)."""
    if isinstance(bins, Symbol):
        return _fn("_histogram")(data=a, bins=bins, **kwargs)
    return _fn("_histogram")(data=a, bin_cnt=bins, range=range, **kwargs)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split along ``axis`` at indices or into equal sections (op ``_split_v2``)."""
    if isinstance(indices_or_sections, int):
        return _fn("_split_v2")(ary, axis=axis, squeeze_axis=squeeze_axis,
                                sections=indices_or_sections, indices=())
    return _fn("_split_v2")(ary, axis=axis, squeeze_axis=squeeze_axis,
                            indices=(0,) + tuple(indices_or_sections))
