"""DataLoader: batches from a Dataset, in the main process, in threads or in worker processes.

Worker processes run on torch.utils.data's machinery (fork, watchdog, error forwarding,
clean shutdown). Each worker batchifies its samples itself; NDArrays in a batch travel as
torch tensors in shared memory and are wrapped again in the main process without a copy.
"""
import io  # noqa: F401  (MXNet's module exposes it)
import multiprocessing
import multiprocessing.queues
import os
import pickle  # noqa: F401
import signal  # noqa: F401
import sys  # noqa: F401
import threading  # noqa: F401
from multiprocessing.pool import ThreadPool
from multiprocessing.reduction import ForkingPickler

import numpy as np
import torch.utils.data as _tdata

from ... import context
from ... import ndarray as nd
from ...base import MXNetError
from ...util import is_np_array, is_np_shape, set_np  # noqa: F401
from . import sampler as _sampler

__all__ = ["DataLoader"]


class DataLoaderTimeoutError(MXNetError, multiprocessing.TimeoutError):
    """No batch arrived within the DataLoader's ``timeout``."""


# --------------------------------------------------------------------------------------------
# batchify
# --------------------------------------------------------------------------------------------

def _as_np_mode(arr):
    return arr.as_np_ndarray() if is_np_array() else arr


def _stack_plain(data, what):
    arr = np.asarray(data)
    if arr.dtype.kind not in "biuf":
        raise TypeError("%s: cannot batch samples of type %s (numpy dtype %s); pass a "
                        "batchify_fn that handles them" % (what, type(data[0]).__name__,
                                                           arr.dtype))
    return _as_np_mode(nd.array(arr, dtype=arr.dtype))


def default_batchify_fn(data):
    """Stacks a list of samples into a batch.

    NDArrays are stacked on a new first axis; tuples are batched element by element (giving
    a list); numpy arrays and Python/numpy scalars become one NDArray of their dtype.
    """
    first = data[0]
    if isinstance(first, nd.NDArray):
        return nd.stack(*data)
    if isinstance(first, tuple):
        return [default_batchify_fn(list(field)) for field in zip(*data)]
    return _stack_plain(data, "default_batchify_fn")


def default_mp_batchify_fn(data):
    """The batchify function used in worker processes (same results as
    :func:`default_batchify_fn`)."""
    return default_batchify_fn(data)


def _as_in_context(data, ctx):
    """Moves every NDArray in a (nested) batch to ``ctx``."""
    if isinstance(data, nd.NDArray):
        return data.as_in_context(ctx)
    if isinstance(data, (list, tuple)):
        return [_as_in_context(d, ctx) for d in data]
    return data


# --------------------------------------------------------------------------------------------
# worker processes (torch.utils.data)
# --------------------------------------------------------------------------------------------

class _Shipped(object):
    """An NDArray on its way from a worker: the tensor goes through shared memory."""
    __slots__ = ("tensor", "np_array")

    def __init__(self, tensor, np_array):
        self.tensor = tensor
        self.np_array = np_array

    def __reduce__(self):
        return _Shipped, (self.tensor, self.np_array)


def _ship(obj):
    if isinstance(obj, nd.NDArray):
        return _Shipped(obj.to_torch().detach(), is_np_array())
    if type(obj) in (list, tuple):
        return type(obj)(_ship(x) for x in obj)
    if type(obj) is dict:
        return {k: _ship(v) for k, v in obj.items()}
    return obj


def _unship(obj):
    if isinstance(obj, _Shipped):
        arr = nd.from_torch(obj.tensor)
        return arr.as_np_ndarray() if obj.np_array else arr
    if type(obj) in (list, tuple):
        return type(obj)(_unship(x) for x in obj)
    if type(obj) is dict:
        return {k: _unship(v) for k, v in obj.items()}
    return obj


class _WorkerCollate(object):
    """collate_fn run in the workers: MXNet's batchify, then NDArrays -> shippable tensors."""

    def __init__(self, batchify_fn):
        self.batchify_fn = batchify_fn

    def __call__(self, samples):
        return _ship(self.batchify_fn(samples))


class _BatchSamplerView(object):
    """Hands torch the DataLoader's batch sampler (iterated in the main process)."""

    def __init__(self, batch_sampler):
        self.batch_sampler = batch_sampler

    def __iter__(self):
        return iter(self.batch_sampler)

    def __len__(self):
        return len(self.batch_sampler)


def _worker_init(_):
    # workers read data; one intra-op thread each avoids oversubscribing the cores
    import torch
    torch.set_num_threads(1)


def _torch_loader(loader):
    workers = loader._num_workers
    prefetch = max(1, -(-loader._prefetch // workers)) if loader._prefetch else 1
    return _tdata.DataLoader(
        loader._dataset, batch_sampler=_BatchSamplerView(loader._batch_sampler),
        collate_fn=_WorkerCollate(loader._batchify_fn), num_workers=workers,
        timeout=loader._timeout or 0, prefetch_factor=prefetch, persistent_workers=True,
        worker_init_fn=_worker_init)


def _translate(err, timeout):
    """torch's loader errors, told in MXNet's terms."""
    text = str(err)
    if isinstance(err, RuntimeError) and text.startswith("DataLoader timed out"):
        return DataLoaderTimeoutError(
            "DataLoader: no batch from the worker processes within timeout=%s seconds (a slow "
            "transform, or a stalled worker); raise `timeout` if loading is just slow"
            % timeout)
    if isinstance(err, RuntimeError) and "exited unexpectedly" in text:
        return MXNetError("DataLoader: %s; the batch was lost. A worker killed by the system "
                          "often ran out of memory (try fewer workers)" % text)
    return None


def _worker_batches(loader):
    if loader._worker_pool is None:
        loader._worker_pool = _torch_loader(loader)
    it = iter(loader._worker_pool)
    while True:
        try:
            batch = next(it)
        except StopIteration:
            return
        except Exception as err:
            loader.clean()
            better = _translate(err, loader._timeout)
            if better is None:
                raise
            raise better from err
        yield _unship(batch)


# --------------------------------------------------------------------------------------------
# threads
# --------------------------------------------------------------------------------------------

def _thread_worker_fn(samples, batchify_fn, dataset):
    """Loads and batchifies one batch (runs in a pool thread)."""
    return batchify_fn([dataset[i] for i in samples])


def _thread_batches(loader):
    pool, pending = loader._worker_pool, []
    if pool is None:
        pool = loader._worker_pool = ThreadPool(loader._num_workers)
    window = max(1, loader._prefetch)
    indices = iter(loader._batch_sampler)
    for batch in indices:
        pending.append(pool.apply_async(_thread_worker_fn,
                                        (batch, loader._batchify_fn, loader._dataset)))
        if len(pending) >= window:
            break
    while pending:
        ret = pending.pop(0)
        for batch in indices:
            pending.append(pool.apply_async(_thread_worker_fn,
                                            (batch, loader._batchify_fn, loader._dataset)))
            break
        try:
            yield ret.get(loader._timeout)
        except multiprocessing.TimeoutError as err:
            raise DataLoaderTimeoutError(
                "DataLoader: no batch from the worker threads within timeout=%s seconds (a "
                "slow transform?); raise `timeout` if loading is just slow"
                % loader._timeout) from err


# --------------------------------------------------------------------------------------------
# DataLoader
# --------------------------------------------------------------------------------------------

class DataLoader(object):
    """Loads batches from a dataset.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``__getitem__`` and ``__len__``.
    batch_size : int
        Samples per batch; required unless ``batch_sampler`` is given.
    shuffle : bool, default False
        Visit the samples in a new random order each epoch.
    sampler : Sampler
        The order of the samples; excludes ``shuffle``.
    last_batch : {'keep', 'discard', 'rollover'}, default 'keep'
        What to do with a last batch shorter than ``batch_size`` (see BatchSampler).
    batch_sampler : Sampler
        Yields lists of indices; excludes ``batch_size``, ``shuffle``, ``sampler`` and
        ``last_batch``.
    batchify_fn : callable
        Merges a list of samples into a batch; by default NDArrays, numpy arrays and scalars
        are stacked (tuples element by element).
    num_workers : int, default 0
        Worker processes (or threads, see ``thread_pool``); 0 loads in the main process.
    pin_memory : bool, default False
        Return batches in page-locked memory (``cpu_pinned``), for faster copies to GPU.
    pin_device_id : int, default 0
        The GPU whose pinned memory is used.
    prefetch : int, default 2 * num_workers
        Batches prepared ahead by the workers.
    thread_pool : bool, default False
        Use threads instead of processes.
    timeout : int, default 120
        Seconds to wait for a worker's batch before raising.
    auto_reload : bool, default False
        Accepted for MXNet compatibility; workers are started on first use and kept.
    try_nopython : bool, optional
        Accepted for MXNet 2.x compatibility; ignored.
    """

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None,
                 batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False,
                 pin_device_id=0, prefetch=None, thread_pool=False, timeout=120,
                 auto_reload=False, try_nopython=None):
        self._worker_pool = None
        self._dataset = dataset
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        self._thread_pool = thread_pool
        self._timeout = timeout
        self._auto_reload = auto_reload
        self._batch_sampler = self._make_batch_sampler(
            dataset, batch_size, shuffle, sampler, last_batch, batch_sampler)
        self._num_workers = num_workers if num_workers >= 0 else 0
        self._prefetch = max(0, int(prefetch) if prefetch is not None
                             else 2 * self._num_workers)
        if batchify_fn is None:
            batchify_fn = default_mp_batchify_fn if num_workers > 0 else default_batchify_fn
        self._batchify_fn = batchify_fn

    @staticmethod
    def _make_batch_sampler(dataset, batch_size, shuffle, sampler, last_batch, batch_sampler):
        if batch_sampler is not None:
            if batch_size is not None or shuffle or sampler is not None or \
                    last_batch is not None:
                raise ValueError("batch_size, shuffle, sampler and last_batch must not be "
                                 "specified if batch_sampler is specified.")
            return batch_sampler
        if batch_size is None:
            raise ValueError("batch_size must be specified unless batch_sampler is specified")
        if sampler is None:
            sampler = (_sampler.RandomSampler if shuffle else _sampler.SequentialSampler)(
                len(dataset))
        elif shuffle:
            raise ValueError("shuffle must not be specified if sampler is specified")
        return _sampler.BatchSampler(sampler, batch_size, last_batch if last_batch else "keep")

    def __iter__(self):
        if self._num_workers == 0:
            batches = self._same_process()
        elif self._thread_pool:
            batches = _thread_batches(self)
        else:
            batches = _worker_batches(self)
        if not self._pin_memory:
            return batches
        pinned = context.cpu_pinned(self._pin_device_id)
        return (_as_in_context(b, pinned) for b in batches)

    def _same_process(self):
        dataset, batchify = self._dataset, self._batchify_fn
        for batch in self._batch_sampler:
            yield batchify([dataset[i] for i in batch])

    def __len__(self):
        return len(self._batch_sampler)

    def refresh(self):
        """Restarts the workers (they see the dataset as it is now)."""
        self.clean()

    def clean(self):
        """Stops the worker processes or threads."""
        pool, self._worker_pool = self._worker_pool, None
        if pool is None:
            return
        if isinstance(pool, ThreadPool):
            pool.terminate()
            return
        it = getattr(pool, "_iterator", None)
        if it is not None and hasattr(it, "_shutdown_workers"):
            it._shutdown_workers()
        pool._iterator = None

    def __del__(self):
        try:
            self.clean()
        except Exception:  # interpreter shutdown
            pass

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_worker_pool"] = None
        return state


class DataLoaderV1(DataLoader):
    """MXNet's older DataLoader signature (no prefetch, threads or timeout); same loader."""

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None,
                 batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False,
                 pin_device_id=0):
        super(DataLoaderV1, self).__init__(
            dataset, batch_size, shuffle, sampler, last_batch, batch_sampler, batchify_fn,
            num_workers, pin_memory, pin_device_id)
