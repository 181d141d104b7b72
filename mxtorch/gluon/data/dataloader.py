"""DataLoader: batches from a Dataset, in the main process, in threads or in worker processes.

Worker processes run on torch.utils.data's machinery (fork, watchdog, error forwarding,
clean shutdown). Each worker batchifies its samples itself; NDArrays in a batch travel as
torch tensors in shared memory and are wrapped again in the main process without a copy.
"""
import io
import multiprocessing
import multiprocessing.pool
import multiprocessing.queues
import os
import pickle
import signal  # noqa: F401
import sys  # noqa: F401
import threading  # noqa: F401
from multiprocessing.pool import ThreadPool
from multiprocessing.reduction import ForkingPickler

import numpy as np
import torch
import torch.utils.data as _tdata

from ... import context
from ... import ndarray as nd
from ...base import MXNetError
from ...util import is_np_array, is_np_shape, np_array, np_shape, set_np  # noqa: F401
from ..utils import UsageError
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
        return _as_np_mode(nd.stack(*data))    # mx.np batches under npx.set_np(), as MXNet
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
# batched transform_first: per-sample transforms that commute with stacking run once a batch
# --------------------------------------------------------------------------------------------

def _batch_safe(fn):
    """True for transforms marked batch-safe (elementwise per image: ToTensor, Normalize,
    Cast) and plain sequences of them."""
    if type(fn).__dict__.get("_batch_safe", False):  # declared by the class itself
        return True
    from ..nn import Sequential, HybridSequential
    from ..block import Block
    from .vision import transforms
    plain = (Sequential, HybridSequential, transforms.Compose, transforms.HybridCompose)
    children = getattr(fn, "_children", None)
    if type(fn) not in plain or not children:
        return False
    return all(isinstance(c, Block) and _batch_safe(c) for c in children.values())


def _first_plan(dataset, batchify_fn):
    """(source dataset, transform) when ``dataset`` is ``source.transform_first(transform)``
    with a batch-safe transform and the default batchify; else None."""
    from .dataset import _LazyTransformDataset, _TransformFirstClosure
    if batchify_fn not in (default_batchify_fn, default_mp_batchify_fn):
        return None
    if type(dataset) is not _LazyTransformDataset:
        return None
    closure = dataset._fn
    if type(closure) is not _TransformFirstClosure:
        return None
    try:
        return (dataset._data, closure._fn) if _batch_safe(closure._fn) else None
    except ImportError:
        return None


_ONE_THREAD = 32768


def _gatherable(field):
    if isinstance(field, nd.NDArray):
        return field.stype == "default" and np.dtype(field.dtype).kind in "biuf"
    return isinstance(field, np.ndarray) and field.dtype.kind in "biuf"


def _gather(source, indices):
    """``default_batchify_fn([source[i] for i in indices])`` for an ArrayDataset of NDArrays
    and numpy arrays, as one gather per field (a list of fields); None for other sources."""
    from .dataset import ArrayDataset
    if type(source) is not ArrayDataset or not len(indices):
        return None
    fields = source._data
    if not all(_gatherable(f) for f in fields):
        return None
    where = np.asarray(indices, dtype=np.int64)
    return [_as_np_mode(_pick(field, where)) for field in fields]


def _pick(field, where):
    """Rows ``where`` of a field as a new NDArray. CPU data is gathered by numpy (one thread:
    torch would split this small copy over threads, which stalls on a loaded machine)."""
    if isinstance(field, nd.NDArray):
        tensor = field.to_torch().detach()
        if tensor.device.type != "cpu":
            return nd.from_torch(tensor.index_select(0, torch.from_numpy(where).to(
                tensor.device)), field.context)
        return nd.from_torch(torch.from_numpy(tensor.numpy()[where]), field.context)
    return nd.from_torch(torch.from_numpy(np.ascontiguousarray(field[where])))


def _batch_first(source, fn, indices):
    """The batch ``default_batchify_fn([dataset[i] for i in indices])`` gives, with ``fn``
    applied once to the stacked first fields; None when the samples do not allow it."""
    fields = _gather(source, indices)
    if fields is not None:
        tupled, stacked = len(fields) > 1, fields[0]
        if stacked.ndim != 4 or not isinstance(stacked, nd.NDArray):
            return None
        rest = fields[1:]
    else:
        samples = [source[i] for i in indices]
        tupled = isinstance(samples[0], tuple)
        firsts = [s[0] for s in samples] if tupled else samples
        if not all(isinstance(x, nd.NDArray) and x.ndim == 3 for x in firsts):
            return None
        stacked, rest = nd.stack(*firsts), None
    first = _apply_grouped(fn, stacked)
    if first is None or not tupled:
        return first
    if rest is None:
        rest = [default_batchify_fn(list(field)) for field in zip(*[s[1:] for s in samples])]
    return [first] + list(rest)


def _apply_grouped(fn, stacked):
    # groups small enough that each op stays on one thread (torch splits work from ~32k
    # elements on): the speed comes from fewer calls, and loaded machines do not stall
    group = max(1, _ONE_THREAD // max(1, stacked[0].size))
    try:
        if group >= len(stacked):
            return fn(stacked)
        parts = [fn(stacked[i:i + group]) for i in range(0, len(stacked), group)]
        return nd.concat(*parts, dim=0)
    except Exception:  # pylint: disable=broad-except  (the per-sample path reports it)
        return None


class _BatchFetcher(object):
    """Makes one batch from indices (in the main process, threads or workers)."""

    def __init__(self, dataset, batchify_fn):
        self.dataset = dataset
        self.batchify_fn = batchify_fn
        self.plan = _first_plan(dataset, batchify_fn)

    def __call__(self, indices):
        if self.plan is not None:
            batch = _batch_first(self.plan[0], self.plan[1], indices)
            if batch is not None:
                return batch
        elif self.batchify_fn in (default_batchify_fn, default_mp_batchify_fn):
            fields = _gather(self.dataset, indices)
            if fields is not None:
                return fields if len(fields) > 1 else fields[0]
        dataset = self.dataset
        return self.batchify_fn([dataset[i] for i in indices])


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


class _IndexDataset(object):
    """What torch's workers index: the index itself (the batch is built in collate)."""

    def __init__(self, length):
        self.length = length

    def __getitem__(self, idx):
        return idx

    def __len__(self):
        return self.length


class _WorkerCollate(object):
    """collate_fn run in the workers: MXNet's batch, then NDArrays -> shippable tensors."""

    def __init__(self, fetcher):
        self.fetcher = fetcher

    def __call__(self, indices):
        return _ship(self.fetcher(indices))


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
        _IndexDataset(len(loader._dataset)),
        batch_sampler=_BatchSamplerView(loader._batch_sampler),
        collate_fn=_WorkerCollate(loader._fetcher), num_workers=workers,
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

def _thread_worker_fn(samples, batchify_fn, dataset, modes=(False, False)):
    """Loads and batchifies one batch (runs in a pool thread, under the caller's NumPy
    ``(shape, array)`` semantics ``modes``, which are per thread)."""
    with np_shape(modes[0]), np_array(modes[1]):
        if isinstance(batchify_fn, _BatchFetcher):
            return batchify_fn(samples)
        return batchify_fn([dataset[i] for i in samples])


def _thread_batches(loader):
    pool, pending = loader._worker_pool, []
    if pool is None:
        pool = loader._worker_pool = ThreadPool(loader._num_workers)
    window = max(1, loader._prefetch)
    indices = iter(loader._batch_sampler)
    modes = (is_np_shape(), is_np_array())
    for batch in indices:
        pending.append(pool.apply_async(_thread_worker_fn,
                                        (batch, loader._fetcher, loader._dataset, modes)))
        if len(pending) >= window:
            break
    while pending:
        ret = pending.pop(0)
        for batch in indices:
            pending.append(pool.apply_async(_thread_worker_fn,
                                            (batch, loader._fetcher, loader._dataset, modes)))
            break
        try:
            yield ret.get(loader._timeout)
        except multiprocessing.TimeoutError as err:
            raise DataLoaderTimeoutError(
                "DataLoader: no batch from the worker threads within timeout=%s seconds (a "
                "slow transform?); raise `timeout` if loading is just slow"
                % loader._timeout) from err


# --------------------------------------------------------------------------------------------
# MXNet's pool protocol (``multiprocessing.Pool`` + ``_MultiWorkerIter``), which libraries
# subclass for loaders of their own
# --------------------------------------------------------------------------------------------

_worker_dataset = None


def _worker_initializer(dataset, active_shape=False, active_array=False):
    """Pool initializer: keeps ``dataset`` for :func:`_worker_fn` in this worker process."""
    global _worker_dataset
    _worker_dataset = dataset
    set_np(shape=active_shape, array=active_array)


def _thread_worker_initializer(active_shape, active_array):
    """Thread-pool initializer: the caller's NumPy semantics in this thread."""
    set_np(shape=active_shape, array=active_array)


def _worker_fn(samples, batchify_fn, dataset=None):
    """Batchifies ``samples`` of the worker's dataset; returns the batch pickled (bytes),
    NDArrays in shared memory."""
    del dataset  # the pool initializer gave this process its dataset
    batch = batchify_fn([_worker_dataset[i] for i in samples])
    buf = io.BytesIO()
    ForkingPickler(buf, pickle.HIGHEST_PROTOCOL).dump(batch)
    return buf.getvalue()


class _MultiWorkerIter(object):
    """Iterates batches computed by ``worker_pool`` (a ``multiprocessing`` pool).

    ``worker_fn(indices, batchify_fn, dataset)`` runs in the pool; process pools
    (``dataset=None``) return pickled bytes, thread pools (``dataset`` given) the batch.
    ``prefetch`` batches are requested ahead; subclasses may override ``_push_next``.
    """

    def __init__(self, worker_pool, batchify_fn, batch_sampler, pin_memory=False,
                 pin_device_id=0, worker_fn=_worker_fn, prefetch=0, dataset=None,
                 data_loader=None, timeout=120):
        self._worker_pool = worker_pool
        self._batchify_fn = batchify_fn
        self._batch_sampler = batch_sampler
        self._data_buffer = {}
        self._rcvd_idx = 0
        self._sent_idx = 0
        self._iter = iter(self._batch_sampler)
        self._worker_fn = worker_fn
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        self._dataset = dataset
        self._data_loader = data_loader  # keeps the loader (and its pool) alive
        self._timeout = timeout
        for _ in range(prefetch):
            self._push_next()

    def __len__(self):
        return len(self._batch_sampler)

    def _push_next(self):
        """Sends the next batch's indices to the pool."""
        indices = next(self._iter, None)
        if indices is None:
            return
        pending = self._worker_pool.apply_async(
            self._worker_fn, (indices, self._batchify_fn, self._dataset))
        self._data_buffer[self._sent_idx] = pending
        self._sent_idx += 1

    def __next__(self):
        self._push_next()
        if self._rcvd_idx == self._sent_idx:
            if self._data_buffer:
                raise MXNetError("DataLoader iterator: %d batches still pending at the end"
                                 % len(self._data_buffer))
            raise StopIteration
        pending = self._data_buffer.pop(self._rcvd_idx)
        try:
            result = pending.get(self._timeout)
        except multiprocessing.TimeoutError as err:
            raise DataLoaderTimeoutError(
                "DataLoader: no batch from the worker pool within timeout=%s seconds; raise "
                "`timeout` if loading is just slow" % self._timeout) from err
        batch = pickle.loads(result) if self._dataset is None else result
        if self._pin_memory:
            batch = _as_in_context(batch, context.cpu_pinned(self._pin_device_id))
        self._rcvd_idx += 1
        return batch

    next = __next__

    def __iter__(self):
        return self


# --------------------------------------------------------------------------------------------
# MXNet's multiprocessing plumbing: NDArrays through queues and pipes in shared memory
# --------------------------------------------------------------------------------------------

def rebuild_ndarray(pid, fd, shape, dtype):
    """Rebuilds an NDArray sent by :func:`reduce_ndarray` (``fd`` is its shared tensor)."""
    del pid, dtype
    return nd.from_torch(fd.reshape(shape))


def reduce_ndarray(data):
    """Pickle reduction sending an NDArray's storage through shared memory."""
    tensor = data.to_torch().detach()
    return rebuild_ndarray, (os.getpid(), tensor, tuple(tensor.shape), data.dtype)


def rebuild_np_ndarray(pid, fd, shape, dtype):
    """Like :func:`rebuild_ndarray`, for ``mx.np`` arrays."""
    return rebuild_ndarray(pid, fd, shape, dtype).as_np_ndarray()


def reduce_np_ndarray(data):
    """Like :func:`reduce_ndarray`, for ``mx.np`` arrays."""
    return (rebuild_np_ndarray,) + reduce_ndarray(data)[1:]


ForkingPickler.register(nd.NDArray, reduce_ndarray)


class ConnectionWrapper(object):
    """A multiprocessing connection whose ``send`` pickles NDArrays into shared memory.

    Parameters
    ----------
    conn : multiprocessing.connection.Connection
    """

    def __init__(self, conn):
        self._conn = conn

    def send(self, obj):
        """Sends a picklable object."""
        buf = io.BytesIO()
        ForkingPickler(buf, pickle.HIGHEST_PROTOCOL).dump(obj)
        self.send_bytes(buf.getvalue())

    def recv(self):
        """Receives an object."""
        return pickle.loads(self.recv_bytes())

    def __getattr__(self, name):
        conn = self.__dict__.get("_conn")
        if conn is None:
            raise AttributeError(name)
        return getattr(conn, name)


class Queue(multiprocessing.queues.Queue):
    """multiprocessing Queue sending NDArrays through shared memory."""

    def __init__(self, *args, **kwargs):
        super(Queue, self).__init__(*args, ctx=multiprocessing.get_context(), **kwargs)
        self._reader = ConnectionWrapper(self._reader)
        self._writer = ConnectionWrapper(self._writer)
        self._send = self._writer.send
        self._recv = self._reader.recv


class SimpleQueue(multiprocessing.queues.SimpleQueue):
    """multiprocessing SimpleQueue sending NDArrays through shared memory."""

    def __init__(self, *args, **kwargs):
        super(SimpleQueue, self).__init__(*args, ctx=multiprocessing.get_context(), **kwargs)
        self._reader = ConnectionWrapper(self._reader)
        self._writer = ConnectionWrapper(self._writer)
        self._send = self._writer.send
        self._recv = self._reader.recv


def worker_loop_v1(dataset, key_queue, data_queue, batchify_fn):
    """Worker loop of MXNet's first multiprocess loader: ``(i, indices)`` from ``key_queue``
    -> ``(i, batch)`` into ``data_queue``, until ``(None, _)``."""
    while True:
        idx, samples = key_queue.get()
        if idx is None:
            break
        data_queue.put((idx, batchify_fn([dataset[i] for i in samples])))


def fetcher_loop_v1(data_queue, data_buffer, pin_memory=False, pin_device_id=0,
                    data_buffer_lock=None):
    """Moves ``(i, batch)`` items from ``data_queue`` into ``data_buffer[i]`` (on CPU or pinned
    memory), until ``(None, _)``."""
    ctx = context.cpu_pinned(pin_device_id) if pin_memory else context.cpu()
    while True:
        idx, batch = data_queue.get()
        if idx is None:
            break
        batch = _as_in_context(batch, ctx)
        if data_buffer_lock is not None:
            with data_buffer_lock:
                data_buffer[idx] = batch
        else:
            data_buffer[idx] = batch


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
        if timeout is not None and not timeout > 0:
            raise UsageError(f"DataLoader: timeout must be positive, given {timeout}")
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
        self._fetcher = _BatchFetcher(dataset, batchify_fn)

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
        fetch = self._fetcher
        for batch in self._batch_sampler:
            yield fetch(batch)

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
        if isinstance(pool, multiprocessing.pool.Pool):  # threads, or a subclass's own pool
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
