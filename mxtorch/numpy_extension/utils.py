"""``mx.npx.save``/``load``: arrays in MXNet's ``.params`` format (written with NumPy shape
semantics, so 0-d and zero-size arrays survive), readable by real MXNet's ``npx.load``; and
``savez``, NumPy's ``.npz`` format."""
import numpy as onp

from .._mode import STATE as _MODE
from ..ndarray.ndarray import NDArray
from ..base import py_str, string_types  # noqa: F401 - part of MXNet's module namespace
from ..numpy._door import as_np
from ..numpy.multiarray import ndarray  # noqa: F401
from ..util import is_np_array, is_np_shape  # noqa: F401

__all__ = ["save", "load", "savez"]


def _check(arr):
    if isinstance(arr, NDArray) and type(arr) is NDArray:
        raise TypeError("npx.save: only mx.np arrays are accepted; convert legacy arrays with "
                        "x.as_np_ndarray()")


def save(file, arr):
    """Save an ``mx.np`` array, a list of them, or a dict of str -> array to ``file``."""
    from ..ndarray.utils import save as nd_save
    items = arr.values() if isinstance(arr, dict) else (arr if isinstance(arr, (list, tuple))
                                                        else [arr])
    for a in items:
        _check(a)
    previous = _MODE.np_shape
    _MODE.np_shape = True
    try:
        nd_save(file, arr)
    finally:
        _MODE.np_shape = previous


def load(file):
    """Load what ``save`` wrote: an ``mx.np`` array list or a dict of them."""
    from ..ndarray.utils import load as nd_load
    previous = _MODE.np_shape
    _MODE.np_shape = True
    try:
        data = nd_load(file)
    finally:
        _MODE.np_shape = previous
    if isinstance(data, dict):
        return {k: as_np(v) for k, v in data.items()}
    return [as_np(v) for v in data]


def savez(file, *args, **kwds):
    """Save arrays into one uncompressed ``.npz`` file (NumPy's format)."""
    onp.savez(file, *[a.asnumpy() for a in args], **{k: v.asnumpy() for k, v in kwds.items()})
