"""``dist_async``: an asynchronous parameter server on torch RPC.

Rank 0's process hosts the server (a table of keys and the optimizer MXNet sends it); every
worker reaches it through ``torch.distributed.rpc`` (TensorPipe). As in MXNet 1.9.1:

- ``init`` sends rank 0's value, then all workers wait for each other;
- ``push`` sends this worker's sum for a key and returns at once; the server applies the
  optimizer to each push *as it arrives* (no summing across workers, no waiting), so
  K pushes of ones from N workers with SGD (learning rate 1) end at -N*K;
- ``pull`` returns the server's current value, after this worker's own earlier pushes of
  that key have been applied (other workers' pushes may or may not have arrived);
- the server needs an optimizer (``set_optimizer``; MXNet's server aborts with "Updater needs
  to be set for async mode"; here ``push`` raises);
- row_sparse keys: pushes of row_sparse gradients travel as their rows (data and indices)
  and the optimizer applies them as row_sparse gradients; ``row_sparse_pull`` fetches only
  the requested rows; ``pull`` into a dense array gives the whole value.

The RPC rendezvous is at the process group's address on port ``MXNET_KVSTORE_RPC_PORT``
(default: the group's port + 1). Calls time out after ``MXNET_KVSTORE_TIMEOUT`` seconds and
raise :class:`~mxtorch.kvstore.dist.DistKVStoreError`.
"""
import atexit
import os
import pickle
import threading
import warnings

import numpy as np
import torch
import torch.distributed.rpc as rpc

from .. import optimizer as opt
from ..base import MXNetError
from ..ndarray import NDArray
from ..ndarray import sparse as _sparse
from .dist_compress import OneBitWire, TwoBitWire
from .dist import (DistKVStore, DistKVStoreError, _drop_group, timeout_seconds,
                   world_from_env)
from .kvstore import _copy_into, _write_atomic

__all__ = ['AsyncKVStore']

_LOCK = threading.Lock()
_TABLE = {}
_UPDATER = [None]


# ----------------------------------------------------------------- server side (rank 0)
def _srv_init(key, value):
    with _LOCK:
        if key in _TABLE:
            raise MXNetError('KVStore.init: duplicate init of key %r on the dist_async server'
                             % (key,))
        _TABLE[key] = NDArray(value.clone())


def _wire_value(arr):
    """A pushed NDArray as it travels: a tensor, or ('row_sparse', data, indices, shape)."""
    if arr.stype == 'row_sparse':
        return ('row_sparse', arr.data._t.detach().cpu(), arr.indices._t.detach().cpu(),
                tuple(arr.shape))
    return (arr.tostype('default') if arr.stype != 'default' else arr)._t.detach().cpu()


def _compressed_value(wire, key, arr):
    """A dense pushed NDArray as it travels compressed by `wire` (a ``dist_compress`` wire,
    keeping this worker's residual of `key`): ('2bit'|'1bit', threshold, packed codes,
    shape, dtype)."""
    codes = wire.encode(key, arr._t)
    packed = wire.pack_codes(codes)
    wire.bytes_sent += packed.numel()
    kind = '1bit' if isinstance(wire, OneBitWire) else '2bit'
    return (kind, wire.threshold, packed, tuple(arr.shape), arr._t.dtype)


def _from_wire(value):
    if isinstance(value, tuple) and value[0] in ('2bit', '1bit'):
        kind, threshold, packed, shape, dtype = value
        wire = (OneBitWire if kind == '1bit' else TwoBitWire)(threshold)
        numel = int(np.prod(shape, dtype=np.int64))
        return NDArray(wire.decode_sum([packed], numel, dtype).view(shape))
    if isinstance(value, tuple):
        _, data, indices, shape = value
        return _sparse.row_sparse_array((NDArray(data), NDArray(indices)), shape=shape,
                                        dtype=NDArray(data).dtype)
    return NDArray(value)


def _srv_push(key, value):
    value = _from_wire(value)
    with _LOCK:
        if _UPDATER[0] is None:
            raise MXNetError('kvstore dist_async: the server has no optimizer (Updater needs '
                             'to be set for async mode): call kv.set_optimizer first, or use a '
                             'Trainer/Module with update_on_kvstore')
        stored = _TABLE.get(key)
        if stored is None:
            raise MXNetError('KVStore.push: key %r has not been initialized on the '
                             'dist_async server' % (key,))
        _UPDATER[0](key, value, stored)


def _srv_pull(key):
    with _LOCK:
        stored = _TABLE.get(key)
        if stored is None:
            raise MXNetError('KVStore.pull: key %r has not been initialized on the '
                             'dist_async server' % (key,))
        return stored._t.clone()


def _srv_pull_rows(key, rows):
    """The rows `rows` (sorted unique int64 indices) of `key`'s value."""
    with _LOCK:
        stored = _TABLE.get(key)
        if stored is None:
            raise MXNetError('KVStore.row_sparse_pull: key %r has not been initialized on the '
                             'dist_async server' % (key,))
        return stored._t.index_select(0, rows.to(stored._t.device)).clone()


def _srv_set_optimizer(blob):
    with _LOCK:
        _UPDATER[0] = opt.get_updater(pickle.loads(blob))


def _srv_get_states(dump_optimizer):
    with _LOCK:
        return _UPDATER[0].get_states(dump_optimizer) if _UPDATER[0] is not None else None


def _srv_set_states(blob):
    with _LOCK:
        if _UPDATER[0] is None:
            raise MXNetError('KVStore.load_optimizer_states: the dist_async server has no '
                             'optimizer; call set_optimizer first')
        _UPDATER[0].set_states(blob)


# ----------------------------------------------------------------- worker side
def _rpc_address():
    spec = world_from_env()
    addr = spec[2] if spec else os.getenv('MASTER_ADDR', '127.0.0.1')
    port = spec[3] if spec else int(os.getenv('MASTER_PORT', '29500'))
    return addr, int(os.getenv('MXNET_KVSTORE_RPC_PORT', port + 1))


def _ensure_rpc(rank, world):
    if world == 1 or _RPC['up']:
        return
    addr, port = _rpc_address()
    options = rpc.TensorPipeRpcBackendOptions(init_method='tcp://%s:%d' % (addr, port),
                                              rpc_timeout=timeout_seconds(),
                                              num_worker_threads=8)
    try:
        with warnings.catch_warnings():  # torch's own deprecation notice about its gloo use
            warnings.simplefilter('ignore', UserWarning)
            rpc.init_rpc('mxkv%d' % rank, rank=rank, world_size=world,
                         rpc_backend_options=options)
    except Exception as err:
        raise DistKVStoreError('kvstore dist_async: worker %d of %d could not start RPC at '
                               '%s:%d (MXNET_KVSTORE_RPC_PORT): %s'
                               % (rank, world, addr, port, err)) from err
    _RPC['up'] = True
    atexit.register(_shutdown_rpc)


_RPC = {'up': False}


def _shutdown_rpc():
    """Leave the collective group (so peers still in a collective fail at once instead of
    waiting here), then wait for every worker's RPC calls (the server lives on rank 0)."""
    if _RPC['up']:
        _RPC['up'] = False
        _drop_group('finished')
        try:
            rpc.shutdown(graceful=True)
        except Exception:  # a dead peer: nothing left to wait for
            pass


class AsyncKVStore(DistKVStore):
    """The ``dist_async`` store: a parameter server in rank 0's process, reached over RPC.

    Parameters
    ----------
    handle : str, default 'dist_async'
        The store type (use :func:`mx.kv.create`).
    """

    def __init__(self, handle='dist_async'):
        super().__init__(handle)
        _ensure_rpc(self._rank, self._world)
        self._pending = {}  # key -> futures of pushes not yet confirmed

    def _call(self, fn, what, keys, *args, wait=True):
        if self._world == 1:
            return fn(*args)
        try:
            if wait:
                return rpc.rpc_sync('mxkv0', fn, args=args)
            return rpc.rpc_async('mxkv0', fn, args=args)
        except MXNetError:
            raise
        except Exception as err:  # RPC timeouts and transport errors
            self._fail(what, keys, err)

    def _settle(self, key):
        """Wait until this worker's earlier pushes of `key` were applied."""
        for fut in self._pending.pop(key, []):
            try:
                fut.wait()
            except Exception as err:
                if isinstance(err, MXNetError) or 'MXNetError' in str(err):
                    raise MXNetError(str(err).split('\n')[0]) from err
                self._fail('push', [key], err)

    def init(self, key, value):
        """Initialise keys with rank 0's values on the server, then wait for all workers.

        Parameters
        ----------
        key : str, int, or list of str or int
        value : NDArray or list of NDArray
        """
        pairs = self._pairs(key, value, 'init')
        for k, vals in pairs:
            if k in self._store:
                raise MXNetError('KVStore.init: duplicate init of key %r. Please double check '
                                 'if you called kv.init or kv.broadcast with this key multiple '
                                 'times' % (k,))
            if self._rank == 0:
                dense = vals[0].tostype('default') if vals[0].stype != 'default' else vals[0]
                self._call(_srv_init, 'init', [k], k, dense._t.detach().cpu())
            self._store[k] = vals[0].copy()  # shape, dtype and context of the key
            if isinstance(k, str):
                self._str_order.setdefault(k, len(self._str_order))
        self._barrier()

    def push(self, key, value, priority=0):
        """Send this worker's sum for each key; the server applies the optimizer to it
        when it arrives (no waiting for other workers).

        Parameters
        ----------
        key : str, int, or list of str or int
        value : NDArray, list of NDArray, or list of list of NDArray
        priority : int, optional
        """
        if self._updater is None and not self._optimizer_sent:
            raise MXNetError('kvstore dist_async: push needs an optimizer on the server '
                             '(Updater needs to be set for async mode); call '
                             'kv.set_optimizer first')
        for k, vals in self._grouped(self._pairs(key, value, 'push')):
            stored = self._stored(k, 'push')
            merged = self._merge(k, vals, stored, 'push')
            sent = _compressed_value(self._wire, k, merged) if self._compresses(merged) \
                else _wire_value(merged)
            fut = self._call(_srv_push, 'push', [k], k, sent, wait=False)
            if fut is not None:
                self._pending.setdefault(k, []).append(fut)

    def _compresses(self, merged):
        return self._wire is not None and merged.stype == 'default' and \
            self._wire.compresses(merged._t)

    def set_gradient_compression(self, compression_params):
        """Send pushed gradients compressed, as MXNet 1.9.1's dist_async does: ``{'type':
        '2bit', 'threshold': 0.5}`` quantizes each pushed sum (plus this worker's residual of
        the key) to -threshold, 0 or +threshold, 2 bits per element on the wire; the server
        applies the optimizer to the decoded value. ``'1bit'`` (MXNet 2.x) sends +1 / -1.
        Sparse pushes travel uncompressed.

        Parameters
        ----------
        compression_params : dict
        """
        super().set_gradient_compression(compression_params)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy the server's current value of each key into `out` (after this worker's own
        earlier pushes of the key were applied).

        Parameters
        ----------
        key : str, int, or list of str or int
        out : NDArray, list of NDArray, or list of list of NDArray
        priority : int, optional
        ignore_sparse : bool, default True
        """
        if out is None:
            raise MXNetError('KVStore.pull: out is required (key %r)' % (key,))
        for k, outs in self._pairs(key, out, 'pull'):
            stored = self._stored(k, 'pull')
            self._settle(k)
            value = self._call(_srv_pull, 'pull', [k], k)
            current = NDArray(value.to(stored._t.device), ctx=stored.context)
            if stored.stype != 'default':
                current = current.tostype(stored.stype)
            self._store[k] = current
            for o in outs:
                self._copy_out(k, current, o, ignore_sparse, 'pull')

    def pushpull(self, key, value, out=None, priority=0):
        """Push, then pull the server's value (into `value` when `out` is None)."""
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority, ignore_sparse=False)

    def _pull_rows(self, key, stored, out, row_ids):
        """Fetch the rows `row_ids` of row_sparse `key` from the server into `out` (after
        this worker's own earlier pushes of the key were applied)."""
        if stored.stype != 'row_sparse':
            return super()._pull_rows(key, stored, out, row_ids)
        rows = np.unique(row_ids.asnumpy().astype(np.int64))
        if rows.size and (rows[0] < 0 or rows[-1] >= stored.shape[0]):
            raise MXNetError('KVStore.row_sparse_pull: row_ids of key %r must lie in [0, %d), '
                             'got %s' % (key, stored.shape[0], rows.tolist()))
        if out.stype != 'row_sparse' or out.shape != stored.shape:
            return super()._pull_rows(key, stored, out, row_ids)  # its errors
        self._settle(key)
        data = self._call(_srv_pull_rows, 'row_sparse_pull', [key], key,
                          torch.from_numpy(rows))
        got = _sparse.row_sparse_array(
            (NDArray(data.to(stored._t.device)), NDArray(torch.from_numpy(rows))),
            shape=stored.shape, ctx=stored.context, dtype=stored.dtype)
        _copy_into(got, out)

    @property
    def _optimizer_sent(self):
        return getattr(self, '_has_optimizer', False)

    def set_optimizer(self, optimizer):
        """Send `optimizer` to the server (rank 0 sends it; every worker waits).

        Parameters
        ----------
        optimizer : Optimizer
        """
        if self._rank == 0:
            self._call(_srv_set_optimizer, 'set_optimizer', [], pickle.dumps(optimizer))
        self._has_optimizer = True
        self._barrier()

    def _set_updater(self, updater):
        raise MXNetError('kvstore dist_async: the server applies the optimizer given to '
                         'set_optimizer; a Python updater cannot be sent to it')

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Save the server's optimizer states to `fname` (rank 0 writes)."""
        if self._rank == 0:
            data = self._call(_srv_get_states, 'save_optimizer_states', [], dump_optimizer)
            if data is None:
                raise MXNetError('KVStore.save_optimizer_states: the dist_async server has no '
                                 'optimizer; call set_optimizer first')
            _write_atomic(fname, data)

    def load_optimizer_states(self, fname):
        """Load optimizer states into the server (rank 0 sends them; all wait)."""
        if self._rank == 0:
            with open(fname, 'rb') as f:
                self._call(_srv_set_states, 'load_optimizer_states', [], f.read())
        self._barrier()

    def _barrier(self):
        for k in list(self._pending):
            self._settle(k)
        super()._barrier()

    def __repr__(self):
        return '<AsyncKVStore %s: rank %d of %d, %d keys>' % (self.type, self._rank,
                                                             self._world, len(self._store))
