"""Batchify functions (MXNet 2.x ``gluon.data.batchify``): merge a list of samples into a batch."""
import math

import numpy as np

from ... import ndarray as nd
from ...util import is_np_array

__all__ = ["Stack", "Pad", "Append", "Group", "AsList"]


def _to_numpy(x):
    return x.asnumpy() if isinstance(x, nd.NDArray) else np.asarray(x)


def _wrap(arr, dtype=None):
    out = nd.array(arr, dtype=arr.dtype if dtype is None else dtype)
    return out.as_np_ndarray() if is_np_array() else out


class Stack(object):
    """Stacks samples (NDArrays, numpy arrays or scalars) on a new first axis.

    Parameters
    ----------
    use_shared_mem : bool, default False
        Accepted for MXNet compatibility (worker batches always travel in shared memory).
    """

    def __init__(self, use_shared_mem=False):
        self._use_shared_mem = use_shared_mem

    def __call__(self, data):
        if isinstance(data[0], nd.NDArray):
            out = nd.stack(*data)
            return out.as_np_ndarray() if is_np_array() else out
        arr = np.asarray(data)
        if arr.dtype.kind not in "biuf":
            raise TypeError("batchify.Stack: cannot stack samples of type %s (numpy dtype %s)"
                            % (type(data[0]).__name__, arr.dtype))
        return _wrap(arr)


class Pad(object):
    """Pads samples along ``axis`` to the longest one, then stacks them.

    Parameters
    ----------
    axis : int, default 0
        The axis (of a sample) that varies in length; all other axes must agree.
    val : number, default 0
        The padding value.
    dtype : str or numpy.dtype, optional
        The batch's dtype (default: the first sample's).
    round_to : int, optional
        Round the padded length up to a multiple of this.
    use_shared_mem : bool, default False
        Accepted for MXNet compatibility.
    """

    def __init__(self, axis=0, val=None, dtype=None, round_to=None, use_shared_mem=False):
        if not isinstance(axis, int):
            raise TypeError("batchify.Pad: axis must be an int, got %s" % type(axis).__name__)
        self._axis = axis
        self._val = 0 if val is None else val
        self._dtype = dtype
        self._round_to = round_to
        self._use_shared_mem = use_shared_mem

    def __call__(self, data):
        arrays = [_to_numpy(x) for x in data]
        ndim = arrays[0].ndim
        axis = self._axis + ndim if self._axis < 0 else self._axis
        if not 0 <= axis < ndim:
            raise ValueError("batchify.Pad: axis %d is out of range for samples of %d "
                             "dimensions" % (self._axis, ndim))
        longest = max(a.shape[axis] for a in arrays)
        if self._round_to:
            longest = int(math.ceil(longest / float(self._round_to)) * self._round_to)
        shape = list(arrays[0].shape)
        shape[axis] = longest
        dtype = np.dtype(self._dtype) if self._dtype is not None else arrays[0].dtype
        out = np.full([len(arrays)] + shape, self._val, dtype=dtype)
        for i, arr in enumerate(arrays):
            want = shape[:axis] + shape[axis + 1:]
            have = list(arr.shape[:axis] + arr.shape[axis + 1:])
            if arr.ndim != ndim or have != want:
                raise ValueError("batchify.Pad: sample %d has shape %s; samples may differ "
                                 "only along axis %d (first sample: %s)"
                                 % (i, arr.shape, axis, arrays[0].shape))
            index = [i] + [slice(None)] * ndim
            index[axis + 1] = slice(0, arr.shape[axis])
            out[tuple(index)] = arr
        return _wrap(out, dtype)


class Append(object):
    """Keeps samples apart: returns a list of arrays, each with a batch axis of size 1
    (unless ``expand`` is False).

    Parameters
    ----------
    expand : bool, default True
    batch_axis : int, default 0
    use_shared_mem : bool, default False
        Accepted for MXNet compatibility.
    """

    def __init__(self, expand=True, batch_axis=0, use_shared_mem=False):
        self._expand = expand
        self._batch_axis = batch_axis
        self._use_shared_mem = use_shared_mem

    def __call__(self, data):
        out = []
        for x in data:
            arr = x if isinstance(x, nd.NDArray) else _wrap(np.asarray(x))
            out.append(arr.expand_dims(self._batch_axis) if self._expand else arr)
        return out


class Group(object):
    """Applies one batchify function per field of tuple samples.

    Parameters
    ----------
    fn : callable or list of callables
        ``Group(f0, f1)`` or ``Group([f0, f1])``: field ``i`` is batched by ``f_i``.
    """

    def __init__(self, fn, *args):
        if isinstance(fn, (list, tuple)):
            if args:
                raise ValueError("batchify.Group takes either a list of functions or the "
                                 "functions as arguments, not both")
            self._fn = list(fn)
        else:
            self._fn = [fn] + list(args)
        for i, f in enumerate(self._fn):
            if not callable(f):
                raise ValueError("batchify.Group: function %d is not callable: %r" % (i, f))

    def __call__(self, data):
        if len(data[0]) != len(self._fn):
            raise ValueError("batchify.Group has %d functions but the samples have %d fields"
                             % (len(self._fn), len(data[0])))
        return tuple(f([sample[i] for sample in data]) for i, f in enumerate(self._fn))


class AsList(object):
    """Returns the samples unchanged, as a list."""

    def __call__(self, data):
        return list(data)
