"""Data iterators: DataDesc, DataBatch, DataIter, NDArrayIter, ResizeIter, PrefetchingIter,
and the file iterators MXNet implements natively (CSVIter, MNISTIter, LibSVMIter) behind
``MXDataIter``."""
import logging  # noqa: F401 - part of MXNet's io namespace
import sys  # noqa: F401
import threading
from collections import namedtuple

import numpy as np

from ..base import MXNetError, mx_real_t, py_str  # noqa: F401
from ..ndarray import NDArray, array, concat, tile
from ..ndarray.ndarray import _wrap
from ..ndarray.sparse import CSRNDArray
from .utils import _getdata_by_idx, _has_instance, _init_data

__all__ = ["CSRNDArray", "CSVIter", "DataBatch", "DataDesc", "DataIter",
           "ImageDetRecordIter", "ImageRecordInt8Iter", "ImageRecordIter", "ImageRecordIter_v1",
           "ImageRecordUInt8Iter", "ImageRecordUInt8Iter_v1", "LibSVMIter", "MNISTIter",
           "MXDataIter", "NDArray", "NDArrayIter", "PrefetchingIter", "ResizeIter", "array",
           "concat", "logging", "mx_real_t", "namedtuple", "np", "py_str", "sys",
           "threading", "tile"]


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """Name and shape of an input (a ``(name, shape)`` tuple) plus its dtype and layout.

    Parameters
    ----------
    name : str
    shape : tuple of int
    dtype : numpy dtype, default float32
    layout : str, default 'NCHW'
        Axis meaning; the position of ``N`` is the batch axis.
    """

    def __new__(cls, name, shape, dtype=mx_real_t, layout="NCHW"):
        desc = super().__new__(cls, name, shape)
        desc.dtype = dtype
        desc.layout = layout
        return desc

    def __repr__(self):
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    @staticmethod
    def get_batch_axis(layout):
        """The batch axis of ``layout`` (position of 'N'; 0 for None, -1 without 'N')."""
        if layout is None:
            return 0
        return layout.find("N")

    @staticmethod
    def get_list(shapes, types):
        """DataDescs from ``[(name, shape)]`` and optional ``[(name, dtype)]``."""
        if types is None:
            return [DataDesc(x[0], x[1]) for x in shapes]
        type_dict = dict(types)
        return [DataDesc(x[0], x[1], type_dict[x[0]]) for x in shapes]


class DataBatch:
    """One batch: lists of data and label arrays plus bookkeeping.

    Parameters
    ----------
    data : list of NDArray
    label : list of NDArray, optional
    pad : int, optional
        Number of examples at the end that are padding.
    index : numpy.ndarray, optional
        Indices of the examples.
    bucket_key : optional
        Bucket key for BucketingModule.
    provide_data, provide_label : list of DataDesc, optional
    """

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise AssertionError(f"Data must be list of NDArrays, got {type(data).__name__}")
        if label is not None and not isinstance(label, (list, tuple)):
            raise AssertionError(f"Label must be list of NDArrays, got {type(label).__name__}")
        self.data = data
        self.label = label
        self.pad = pad
        self.index = index
        self.bucket_key = bucket_key
        self.provide_data = provide_data
        self.provide_label = provide_label

    def __str__(self):
        data_shapes = [d.shape for d in self.data]
        label_shapes = [lab.shape for lab in self.label] if self.label else None
        return f"{self.__class__.__name__}: data shapes: {data_shapes} label shapes: " \
               f"{label_shapes}"


class DataIter:
    """Base class of data iterators: ``next()`` returns a DataBatch or raises StopIteration.

    Parameters
    ----------
    batch_size : int, optional
    """

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self):
        """Go back to the first batch."""

    def next(self):
        """The next DataBatch (raises StopIteration at the end)."""
        if self.iter_next():
            return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                             index=self.getindex())
        raise StopIteration

    def __next__(self):
        return self.next()

    def iter_next(self):
        """Move to the next batch; False at the end."""

    def getdata(self):
        """Data arrays of the current batch."""

    def getlabel(self):
        """Label arrays of the current batch."""

    def getindex(self):
        """Indices of the current batch (None here)."""
        return None

    def getpad(self):
        """Number of padding examples in the current batch."""


class ResizeIter(DataIter):
    """Make ``data_iter`` yield exactly ``size`` batches an epoch (restarting it when short).

    Parameters
    ----------
    data_iter : DataIter
    size : int
    reset_internal : bool, default True
        Reset ``data_iter`` when this iterator is reset.
    """

    def __init__(self, data_iter, size, reset_internal=True):
        super().__init__()
        self.data_iter = data_iter
        self.size = size
        self.reset_internal = reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        self.batch_size = data_iter.batch_size
        if hasattr(data_iter, "default_bucket_key"):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self):
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self):
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class _Prefetcher(threading.Thread):
    """Fetch batches of one iterator ahead; an exception is kept and re-raised by the
    consumer."""

    def __init__(self, data_iter):
        super().__init__(daemon=True)
        self.data_iter = data_iter
        self.ready, self.taken = threading.Event(), threading.Event()
        self.taken.set()
        self.running = True
        self.batch = self.error = None

    def run(self):
        while True:
            self.taken.wait()
            if not self.running:
                break
            try:
                self.batch, self.error = self.data_iter.next(), None
            except StopIteration:
                self.batch, self.error = None, None
            except BaseException as err:  # handed to the consumer thread
                self.batch, self.error = None, err
            self.taken.clear()
            self.ready.set()

    def wait(self):
        self.ready.wait()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def request(self):
        self.ready.clear()
        self.taken.set()

    def stop(self):
        self.running = False
        self.taken.set()


class PrefetchingIter(DataIter):
    """Read the batches of one or more iterators in background threads and join them.

    Parameters
    ----------
    iters : DataIter or list of DataIter
        Iterators with the same number of batches; their data and labels are concatenated.
    rename_data, rename_label : list of dict, optional
        Per iterator, ``{old_name: new_name}`` applied to provide_data/provide_label.
    """

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        iters = iters if isinstance(iters, list) else [iters]
        if not iters:
            raise ValueError("PrefetchingIter needs at least one iterator")
        self.n_iter = len(iters)
        self.iters = iters
        self.rename_data = rename_data
        self.rename_label = rename_label
        self.batch_size = self.provide_data[0][1][0]
        self.current_batch = None
        self._workers = [_Prefetcher(it) for it in iters]
        for worker in self._workers:
            worker.start()

    def __del__(self):
        for worker in getattr(self, "_workers", ()):
            worker.stop()

    def _renamed(self, descs, renames):
        if renames is None:
            return sum(descs, [])
        return sum([[DataDesc(r[x.name], x.shape, x.dtype) if isinstance(x, DataDesc)
                     else DataDesc(*x) for x in d] for r, d in zip(renames, descs)], [])

    @property
    def provide_data(self):
        return self._renamed([i.provide_data for i in self.iters], self.rename_data)

    @property
    def provide_label(self):
        return self._renamed([i.provide_label for i in self.iters], self.rename_label)

    def _wait_all(self):
        errors = []
        for worker in self._workers:
            try:
                worker.wait()
            except BaseException as err:  # re-raised below, after every thread settled
                errors.append(err)
        if errors:
            raise errors[0]

    def reset(self):
        try:
            self._wait_all()
        finally:
            for it in self.iters:
                it.reset()
            for worker in self._workers:
                worker.request()

    def iter_next(self):
        try:
            self._wait_all()
        except BaseException:
            for worker in self._workers:
                worker.request()
            raise
        batches = [worker.batch for worker in self._workers]
        if batches[0] is None:
            if any(b is not None for b in batches):
                raise MXNetError("PrefetchingIter: number of entry mismatches between "
                                 "iterators (one ended before the others)")
            return False
        if any(b is None or b.pad != batches[0].pad for b in batches):
            raise MXNetError("PrefetchingIter: number of entry mismatches between iterators "
                             f"(pads {[b.pad if b else None for b in batches]})")
        self.current_batch = DataBatch(sum([b.data for b in batches], []),
                                       sum([b.label for b in batches], []),
                                       batches[0].pad, batches[0].index,
                                       provide_data=self.provide_data,
                                       provide_label=self.provide_label)
        for worker in self._workers:
            worker.request()
        return True

    def next(self):
        if self.iter_next():
            return self.current_batch
        raise StopIteration

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


_LAST_BATCH = ("pad", "discard", "roll_over")


class shared_rows:  # noqa: N801 - used like a function: ``with shared_rows(it, ok):``
    """Within the ``with`` block an ``NDArrayIter`` (that exact class) hands out batches
    whose arrays are views of its rows instead of copies.

    Only for loops whose batches never reach code that could write into them (Module's
    ``fit``/``score``/``predict`` without callbacks); anything else is left as it is.

    Parameters
    ----------
    data_iter : DataIter
    enable : bool
        False leaves the iterator alone.
    """
    __slots__ = ("_iter",)

    def __init__(self, data_iter, enable=True):
        self._iter = data_iter if enable and type(data_iter) is NDArrayIter and \
            not data_iter._share_rows else None

    def __enter__(self):
        if self._iter is not None:
            self._iter._share_rows = True
        return self._iter is not None

    def __exit__(self, *exc):
        if self._iter is not None:
            self._iter._share_rows = False
        return False


class _NeedsReset(MXNetError, AssertionError):
    """Reading a batch past the end of an epoch (an AssertionError in MXNet 1.9.1)."""


class NDArrayIter(DataIter):
    """Iterate over in-memory arrays (NDArray, numpy, h5py, CSRNDArray) in batches.

    Parameters
    ----------
    data : array, list of arrays or dict {name: array}
    label : array, list of arrays or dict {name: array}, optional
    batch_size : int
    shuffle : bool
        Shuffle the examples at construction and at every reset (numpy's global RNG).
    last_batch_handle : {'pad', 'discard', 'roll_over'}
        'pad' fills the last batch from the start (``pad`` tells how many); 'discard' drops
        it; 'roll_over' keeps it and completes it at the start of the next epoch.
    data_name, label_name : str
        Names given to unnamed arrays (``_<i>_<name>`` for several).
    layout : str
        The position of 'N' is the batch axis.
    """

    _share_rows = False

    def __init__(self, data, label=None, batch_size=1, shuffle=False, last_batch_handle="pad",
                 data_name="data", label_name="softmax_label", layout="NCHW"):
        super().__init__(batch_size)
        if last_batch_handle not in _LAST_BATCH:
            raise ValueError(f"NDArrayIter: last_batch_handle must be one of {_LAST_BATCH}, "
                             f"got {last_batch_handle!r}")
        if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise MXNetError(f"NDArrayIter: batch_size must be a positive integer, got "
                             f"{batch_size!r}")
        self.data = _init_data(data, allow_empty=False, default_name=data_name)
        self.label = _init_data(label, allow_empty=True, default_name=label_name)
        if (_has_instance(self.data, CSRNDArray) or _has_instance(self.label, CSRNDArray)) \
                and last_batch_handle != "discard":
            raise NotImplementedError("`NDArrayIter` only supports ``CSRNDArray`` with "
                                      "`last_batch_handle` set to `discard`.")
        self.layout = layout
        self._axis = layout.find("N")
        self.idx = np.arange(self.data[0][1].shape[self._axis])
        self._check_lengths()
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.batch_size = batch_size
        self.cursor = -self.batch_size
        self.num_data = self.idx.shape[0]
        self.reset()
        self.data_list = [x[1] for x in self.data] + [x[1] for x in self.label]
        self.num_source = len(self.data_list)
        self._cache_data = None
        self._cache_label = None

    def _check_lengths(self):
        n = self.idx.shape[0]
        for name, value in self.data + self.label:
            if value.shape[self._axis] != n:
                raise ValueError(f"NDArrayIter: {name!r} has {value.shape[self._axis]} "
                                 f"examples (shape {tuple(value.shape)}) but "
                                 f"{self.data[0][0]!r} has {n}; all arrays need the same "
                                 f"size along the batch axis {self._axis}")

    def _descs(self, source):
        axis = self._axis
        return [DataDesc(k, tuple(list(v.shape[:axis]) + [self.batch_size] +
                                  list(v.shape[axis + 1:])), v.dtype, layout=self.layout)
                for k, v in source]

    @property
    def provide_data(self):
        return self._descs(self.data)

    @property
    def provide_label(self):
        return self._descs(self.label)

    def hard_reset(self):
        """Go back to the start, dropping any example kept by 'roll_over'."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self):
        if self.shuffle:
            self._shuffle_data()
        if self.last_batch_handle == "roll_over" and \
                self.num_data - self.batch_size < self.cursor < self.num_data:
            # the examples left over from the last batch open the next epoch
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self):
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self):
        if not self.iter_next():
            raise StopIteration
        data = self.getdata()
        label = self.getlabel()
        if data[0].shape[self._axis] != self.batch_size:
            # an incomplete last batch ('discard', 'roll_over') ends the epoch
            self._cache_data = data
            self._cache_label = label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _plain_rows(self):
        """True when every array is a plain dense NDArray batched along axis 0 (its batches
        can be views of its rows)."""
        return self._axis == 0 and all(type(v) is NDArray and not v._t.requires_grad
                                       for _, v in self.data + self.label)

    def _row_batches(self):
        """Yield ``(data tensors, label tensors, pad)`` per batch, moving the cursor and
        ending the epoch exactly as :meth:`next` does; complete batches of plain arrays are
        views of the rows (only for loops whose batches no user code sees, as
        ``shared_rows``), any other batch comes from :meth:`next`."""
        plain = self._plain_rows()
        size, total = self.batch_size, self.num_data
        while True:
            start = self.cursor + size
            if plain and 0 <= start and start + size <= total:
                self.cursor = start
                end = start + size
                yield ([v._t[start:end] for _, v in self.data],
                       [v._t[start:end] for _, v in self.label], 0)
                continue
            try:
                batch = self.next()
            except StopIteration:
                return
            yield [a._t for a in batch.data], [a._t for a in batch.label], batch.pad

    def _getdata(self, data_source, start=None, end=None):
        if start is None and end is None:
            raise ValueError("NDArrayIter._getdata: give start or end")
        start = 0 if start is None else start
        if end is None:
            end = data_source[0][1].shape[self._axis] if data_source else 0
        return [self._slice(x[1], start, end) for x in data_source]

    def _slice(self, value, start, end):
        if isinstance(value, NDArray):
            if self._axis == 0 and type(value) is NDArray and not value._t.requires_grad:
                rows = value._t[start:end]
                # the batch owns its rows (a copy, as MXNet's slice) unless a loop whose
                # batches stay private asked for views (see ``shared_rows``)
                return _wrap(rows if self._share_rows else rows.clone(), value.context)
            if self._axis == 0:
                return value[start:end].copy()
            return value.slice_axis(axis=self._axis, begin=start, end=end)
        # h5py datasets only read indices in increasing order
        rows = self.idx[start:end]
        order = sorted(rows)
        return array(value[order][[list(rows).index(i) for i in order]])

    def _concat(self, first, second):
        if not first or not second:
            return first if first else second
        return [concat(a, b, dim=self._axis) for a, b in zip(first, second)]

    def _tile(self, data, repeats):
        result = []
        for datum in data:
            reps = [1] * len(datum.shape)
            reps[self._axis] = repeats
            result.append(tile(datum, reps))
        return result

    def _batchify(self, data_source):
        if self.cursor >= self.num_data:
            raise _NeedsReset("NDArrayIter: the epoch is over; call reset() first")
        if self.last_batch_handle == "roll_over" and -self.batch_size < self.cursor < 0:
            return self._rolled_over(data_source)
        if self.last_batch_handle == "pad" and self.cursor + self.batch_size > self.num_data:
            return self._padded(data_source)
        end = min(self.cursor + self.batch_size, self.num_data)
        return self._getdata(data_source, self.cursor, end)

    def _rolled_over(self, data_source):
        if self._cache_data is None and self._cache_label is None:
            raise MXNetError("NDArrayIter: 'roll_over' expected the examples left over from "
                             "the last epoch; use hard_reset() to start afresh")
        if self.cursor + self.batch_size > self.num_data:
            raise MXNetError(f"NDArrayIter: 'roll_over' cannot complete a batch of "
                             f"{self.batch_size} from {-self.cursor} left-over and "
                             f"{self.num_data} new examples; use a batch_size of at most "
                             "twice the number of examples")
        cached = self._cache_data if self._cache_data is not None else self._cache_label
        fresh = self._getdata(data_source, end=self.cursor + self.batch_size)
        if self._cache_data is not None:
            self._cache_data = None
        else:
            self._cache_label = None
        return self._concat(cached, fresh)

    def _padded(self, data_source):
        pad = self.batch_size - self.num_data + self.cursor
        first = self._getdata(data_source, start=self.cursor)
        if pad <= self.num_data:
            return self._concat(first, self._getdata(data_source, end=pad))
        second = self._tile(self._getdata(data_source, end=self.num_data),
                            pad // self.num_data)
        if pad % self.num_data:
            second = self._concat(second,
                                  self._getdata(data_source, end=pad % self.num_data))
        return self._concat(first, second)

    def getdata(self):
        return self._batchify(self.data)

    def getlabel(self):
        return self._batchify(self.label)

    def getpad(self):
        if self.last_batch_handle == "pad" and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == "roll_over" and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self):
        np.random.shuffle(self.idx)
        self.data = _getdata_by_idx(self.data, self.idx, self._axis)
        self.label = _getdata_by_idx(self.label, self.idx, self._axis)


from ._native import (MXDataIter, CSVIter, MNISTIter, LibSVMIter,  # noqa: E402,F401
                      ImageDetRecordIter)
from ._image_rec import (ImageRecordIter, ImageRecordIter_v1,  # noqa: E402,F401
                         ImageRecordUInt8Iter, ImageRecordUInt8Iter_v1, ImageRecordInt8Iter)
