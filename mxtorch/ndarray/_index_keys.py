"""MXNet's indexing-key helpers of ``mx.nd.ndarray`` (pure Python, no tensors).

``indexing_key_expand_implicit_axes`` spells out the axes a key leaves implicit,
``get_indexing_dispatch_code`` tells basic from advanced indexing, and the two shape helpers
check boolean masks and compute ``gather_nd`` output shapes. They follow MXNet 1.9.1's rules,
quirks included (a key of Python bools only, too-long keys passed through).
"""
import numpy as np

from ..base import integer_types
from .ndarray import NDArray

_NDARRAY_UNSUPPORTED_INDEXING = -1
_NDARRAY_BASIC_INDEXING = 0
_NDARRAY_ADVANCED_INDEXING = 1
_NDARRAY_EMPTY_TUPLE_INDEXING = 2
_ADVANCED_KEYS = (NDArray, np.ndarray, list, tuple, range)


def get_indexing_dispatch_code(key):
    """0 (basic indexing) or 1 (advanced indexing) for a tuple ``key`` whose implicit axes were
    expanded (``indexing_key_expand_implicit_axes``).

    Raises
    ------
    AssertionError
        ``key`` is not a tuple (as MXNet).
    ValueError
        An element is neither an integer, slice, None nor an array-like.
    """
    assert isinstance(key, tuple)
    for idx in key:
        if isinstance(idx, _ADVANCED_KEYS):
            return _NDARRAY_ADVANCED_INDEXING
        if not (idx is None or isinstance(idx, integer_types + (slice,))):
            raise ValueError(f"NDArray does not support slicing with key {idx} of type "
                             f"{type(idx)}.")
    return _NDARRAY_BASIC_INDEXING


def indexing_key_expand_implicit_axes(key, shape):
    """Replace ``...`` (or pad at the end) with full slices so every axis of ``shape`` is
    indexed.

    Returns
    -------
    (tuple, int)
        The expanded key and MXNet's boolean-scalar flag: -1 normally; for a key made of Python
        bools only, the key becomes empty and the flag is 1 if all are True, else 0.
    """
    if not isinstance(key, tuple):
        key = (key,)
    flag = -1
    if key and all(isinstance(k, bool) for k in key):
        flag, key = int(all(key)), ()
    for idx in key:
        if isinstance(idx, NDArray) and idx.dtype == np.bool_:
            raise ValueError("Cannot perform boolean indexing in legacy mode. Please activate "
                             "numpy semantics by calling `npx.set_np()` in the global scope "
                             "before calling this function.")
    ellipses = [i for i, idx in enumerate(key) if idx is Ellipsis]
    if len(ellipses) > 1:
        raise IndexError("Cannot use more than one ellipsis (`...`) for indexing")
    used = sum(1 for idx in key if idx is not None and idx is not Ellipsis)
    fill = (slice(None),) * max(len(shape) - used, 0)
    if ellipses:
        at = ellipses[0]
        return key[:at] + fill + key[at + 1:], flag
    return key + fill, flag


def check_boolean_array_dimension(array_shape, axis, bool_shape):
    """Raise IndexError unless a boolean mask of ``bool_shape`` fits ``array_shape`` from
    ``axis`` on."""
    for i, size in enumerate(bool_shape):
        if array_shape[axis + i] != size:
            raise IndexError(f"boolean index did not match indexed array along axis "
                             f"{axis + i}; size is {array_shape[axis + i]} but corresponding "
                             f"boolean size is {size}")


def get_oshape_of_gather_nd_op(dshape, ishape):
    """Output shape of ``gather_nd(data, indices)``: ``ishape[1:] + dshape[ishape[0]:]``."""
    assert len(dshape) > 0 and len(ishape) > 0
    return tuple(ishape[1:]) + tuple(dshape[ishape[0]:])
