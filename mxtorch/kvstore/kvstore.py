"""KVStore: MXNet's in-process key-value store ('local', 'device', 'nccl' and other names).

Values pushed for a key are summed; with an optimizer/updater the sum updates the stored
value (``updater(key, summed, stored)``), otherwise it replaces it. ``local`` keeps values on
the CPU, ``device`` (and ``nccl``) on the device of the initial value.
"""
import os
import pickle  # noqa: F401  (MXNet exposes the module here)

import numpy as np

from .. import autograd
from .. import ndarray as nd
from .. import optimizer as opt
from ..base import MXNetError, py_str  # noqa: F401
from ..context import cpu
from ..ndarray import NDArray
from .base import (KVStoreBase, KVStoreArgumentError, KVStoreTypeError, _key_value_pairs,
                   create)  # noqa: F401

__all__ = ['KVStore']


class GradientCompression(object):
    """MXNet's '2bit' gradient compression, emulated in process: every pushed array adds to a
    residual; elements of the residual at or beyond +/- threshold send +/- threshold (which is
    subtracted from the residual), the others send 0."""

    def __init__(self, params):
        if not isinstance(params, dict):
            raise KVStoreTypeError('set_gradient_compression: unexpected type for param_dict: '
                                   '%s (expected a dict such as {"type": "2bit", '
                                   '"threshold": 0.5})' % type(params))
        kind = str(params.get('type', ''))
        if kind not in ('2bit', '1bit'):
            raise MXNetError("Unknown type for gradient compression %s (supported: '2bit', "
                             "'1bit')" % kind)
        self.type = kind
        self.threshold = float(params.get('threshold', 0.5))
        if self.threshold <= 0 and kind == '2bit':
            raise MXNetError('set_gradient_compression: threshold must be positive, got %s'
                             % self.threshold)
        self.params = dict(params)
        self._residuals = {}

    def compress(self, slot, grad):
        """The quantized value of `grad` for (key, position) `slot`, updating its residual."""
        residual = self._residuals.get(slot)
        if residual is None or residual.shape != grad.shape:
            residual = nd.zeros(grad.shape, ctx=grad.context, dtype=grad.dtype)
        residual += grad
        t = self.threshold
        if self.type == '1bit':  # MXNet 2.x: +1 above the threshold, else -1
            sent = (residual > t) * 2 - 1
        else:
            sent = (residual >= t) * t - (residual <= -t) * t
        residual -= sent
        self._residuals[slot] = residual
        return sent


def _describe(arr):
    return '%s %s' % (arr.shape, np.dtype(arr.dtype).name)


class KVStore(KVStoreBase):
    """An in-process key-value store for data-parallel training.

    Parameters
    ----------
    handle : str, default 'local'
        The store type (``local``, ``device``, ``nccl``...); use :func:`mx.kv.create`.
    """

    def __init__(self, handle='local'):
        if isinstance(handle, KVStore):
            handle = handle.type
        if not isinstance(handle, str):
            raise TypeError('KVStore: handle must be a store type name such as "local", got %s'
                            % type(handle).__name__)
        self.handle = self
        self._type = handle
        self._device_comm = 'device' in handle or 'nccl' in handle
        self._store = {}
        self._str_order = {}
        self._key_type = None
        self._updater = None
        self._updater_func = None
        self._str_updater_func = None
        self._compression = None
        self._is_p3 = os.getenv('DMLC_PS_VAN_TYPE', '') == 'p3'

    # ---------------------------------------------------------------- helpers
    def _check_key_type(self, use_str, who):
        key_type = 'str' if use_str else 'int'
        if self._key_type is None:
            self._key_type = key_type
        elif self._key_type != key_type:
            raise MXNetError('KVStore.%s: mixed key types are not allowed: this store uses %s '
                             'keys, got %s keys' % (who, self._key_type, key_type))

    def _pairs(self, key, value, who):
        pairs, use_str = _key_value_pairs(key, value, 'KVStore.' + who)
        self._check_key_type(use_str, who)
        return pairs

    def _stored(self, key, who):
        try:
            return self._store[key]
        except KeyError:
            raise MXNetError('KVStore.%s: key %r has not been initialized; call kv.init(%r, '
                             'value) first' % (who, key, key)) from None

    def _grouped(self, pairs):
        """Values per key with duplicate keys merged, in MXNet's order (sorted int keys,
        str keys in init order)."""
        groups = {}
        for k, vals in pairs:
            groups.setdefault(k, []).extend(vals)
        if self._key_type == 'str':
            order = sorted(groups, key=lambda k: self._str_order.get(k, len(self._str_order)))
        else:
            order = sorted(groups)
        return [(k, groups[k]) for k in order]

    def _store_context(self, value):
        return value.context if self._device_comm else cpu()

    def _merge(self, key, values, stored, who):
        for i, v in enumerate(values):
            # MXNet casts sparse values into the store; dense ones must match (its check fails)
            if v.shape != stored.shape or (v.dtype != stored.dtype and v.stype == 'default'):
                raise MXNetError('KVStore.%s: key %r holds %s, the pushed value %d is %s'
                                 % (who, key, _describe(stored), i, _describe(v)))
        values = [v if v.dtype == stored.dtype else v.astype(stored.dtype) for v in values]
        ctx = stored.context
        if self._compression is not None and all(v.stype == 'default' for v in values):
            values = [self._compression.compress((key, i), v) for i, v in enumerate(values)]
        moved = [v.as_in_context(ctx) for v in values]
        if len(moved) == 1:
            return moved[0].copy()
        if any(v.stype != 'default' for v in moved):
            return nd.add_n(*moved)
        total = moved[0].copy()
        for v in moved[1:]:
            total += v
        return total

    # ---------------------------------------------------------------- API
    def init(self, key, value):
        """Initialise `key` (or a list of keys) with `value`; each key only once.

        Parameters
        ----------
        key : str, int, or list of str or int
            The keys.
        value : NDArray or list of NDArray
            Initial values (a list per key uses its first array).
        """
        for k, vals in self._pairs(key, value, 'init'):
            if k in self._store:
                raise MXNetError('KVStore.init: duplicate init of key %r. Please double check '
                                 'if you called kv.init or kv.broadcast with this key multiple '
                                 'times' % (k,))
            src = vals[0]
            self._store[k] = src.copyto(self._store_context(src))
            if isinstance(k, str):
                self._str_order.setdefault(k, len(self._str_order))

    def push(self, key, value, priority=0):
        """Push values: the values given for one key (also across the list) are summed; with
        an updater the sum updates the stored value, otherwise it replaces it.

        Parameters
        ----------
        key : str, int, or list of str or int
            The keys.
        value : NDArray, list of NDArray, or list of list of NDArray
            Values per key (a list per key is summed, e.g. one gradient per device).
        priority : int, optional
            Scheduling priority (accepted; operations run in call order).
        """
        for k, vals in self._grouped(self._pairs(key, value, 'push')):
            stored = self._stored(k, 'push')
            merged = self._merge(k, vals, stored, 'push')
            if self._updater is not None:
                self._updater(k, merged, stored)
                continue
            self._store[k] = merged if merged.stype == stored.stype \
                else merged.tostype(stored.stype)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy the stored values of `key` into `out`.

        Parameters
        ----------
        key : str, int, or list of str or int
            The keys.
        out : NDArray, list of NDArray, or list of list of NDArray
            Arrays receiving the values (several per key to fill every device's copy).
        priority : int, optional
            Scheduling priority (ignored).
        ignore_sparse : bool, default True
            Leave row_sparse outputs of row_sparse keys unchanged (use `row_sparse_pull`).
        """
        if out is None:
            raise KVStoreArgumentError('KVStore.pull: out is required (the arrays receiving '
                                       'the values of key %r)' % (key,))
        for k, outs in self._pairs(key, out, 'pull'):
            stored = self._stored(k, 'pull')
            for o in outs:
                self._copy_out(k, stored, o, ignore_sparse, 'pull')

    def _copy_out(self, key, stored, out, ignore_sparse, who):
        if out.shape != stored.shape:
            raise MXNetError('KVStore.%s: key %r holds %s, the output array is %s'
                             % (who, key, _describe(stored), _describe(out)))
        if ignore_sparse and stored.stype == 'row_sparse' and out.stype == 'row_sparse':
            return
        _copy_into(stored, out)

    def pushpull(self, key, value, out=None, priority=0):
        """Push `value` (summed per key, updated if an updater is set) and pull the result
        into `out`, or back into `value` when `out` is None.

        Parameters
        ----------
        key : str, int, or list of str or int
        value : NDArray, list of NDArray, or list of list of NDArray
        out : NDArray, list of NDArray, or list of list of NDArray, optional
        priority : int, optional
        """
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority, ignore_sparse=False)

    def broadcast(self, key, value, out, priority=0):
        """Initialise `key` with `value` and copy it into every array of `out`.

        Parameters
        ----------
        key : str, int, or list of str or int
        value : NDArray or list of NDArray
        out : NDArray, list of NDArray, or list of list of NDArray
        priority : int, optional
        """
        self.init(key, value)
        self.pull(key, out, priority, ignore_sparse=False)

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        """Pull only the rows `row_ids` of row_sparse values into row_sparse `out`.

        Parameters
        ----------
        key : str, int, or list of str or int
        out : RowSparseNDArray or list of RowSparseNDArray (or list of lists)
        priority : int, optional
        row_ids : NDArray or list of NDArray
            Row indices per output (one for all outputs of a key, or one per output).
        """
        if out is None or row_ids is None:
            raise KVStoreArgumentError('KVStore.row_sparse_pull: both out and row_ids are '
                                       'required (key %r)' % (key,))
        if isinstance(row_ids, NDArray):
            row_ids = [row_ids]
        if not isinstance(row_ids, list):
            raise KVStoreTypeError('KVStore.row_sparse_pull: row_ids should be NDArray or list '
                                   'of NDArray, got %s' % type(row_ids).__name__)
        single = len(row_ids) == 1 and isinstance(out, list)
        first = [out[0]] if single else out
        pairs = self._pairs(key, first, 'row_sparse_pull')
        id_pairs, _ = _key_value_pairs(key, row_ids, 'KVStore.row_sparse_pull')
        flat_ids = [r for _, ids in id_pairs for r in ids]
        if len(flat_ids) != sum(len(o) for _, o in pairs):
            raise KVStoreArgumentError(
                "KVStore.row_sparse_pull: the number of row_ids (%d) doesn't match the number "
                "of values (%d)" % (len(flat_ids), sum(len(o) for _, o in pairs)))
        ids_iter = iter(flat_ids)
        for k, outs in pairs:
            stored = self._stored(k, 'row_sparse_pull')
            for o in outs:
                self._pull_rows(k, stored, o, next(ids_iter))
        if single:
            for extra in out[1:]:
                _copy_into(out[0], extra)

    def _pull_rows(self, key, stored, out, row_ids):
        if stored.stype != 'row_sparse':
            raise MXNetError('KVStore.row_sparse_pull: key %r holds a %s value; row_sparse_pull '
                             'needs a row_sparse one (use pull)' % (key, stored.stype))
        if out.stype != 'row_sparse':
            raise MXNetError('KVStore.row_sparse_pull: expected row_sparse storage type for the '
                             'output of key %r, got %s' % (key, out.stype))
        if out.shape != stored.shape:
            raise MXNetError('KVStore.row_sparse_pull: key %r holds %s, the output array is %s'
                             % (key, _describe(stored), _describe(out)))
        rows = np.unique(row_ids.asnumpy().astype(np.int64))
        if rows.size and (rows[0] < 0 or rows[-1] >= stored.shape[0]):
            raise MXNetError('KVStore.row_sparse_pull: row_ids of key %r must lie in [0, %d), '
                             'got %s' % (key, stored.shape[0], rows.tolist()))
        idx = nd.array(rows, ctx=stored.context, dtype='int64')
        data = nd.take(stored.tostype('default'), idx)
        _copy_into(nd.sparse.row_sparse_array((data, idx), shape=stored.shape,
                                              ctx=stored.context, dtype=stored.dtype), out)

    def set_gradient_compression(self, compression_params):
        """Compress pushed gradients ('2bit' with a ``threshold``, emulated in process).

        Parameters
        ----------
        compression_params : dict
            ``{'type': '2bit', 'threshold': 0.5}``.
        """
        if 'device' not in self.type and 'dist' not in self.type:
            raise MXNetError("Gradient compression is not supported for this type of kvstore "
                             "(%r); use a 'device' kvstore" % self.type)
        self._compression = GradientCompression(compression_params)

    def set_optimizer(self, optimizer):
        """Apply `optimizer` to pushed values (through ``mx.optimizer.get_updater``).

        Parameters
        ----------
        optimizer : Optimizer
            The optimizer.
        """
        self._set_updater(opt.get_updater(optimizer))

    def _set_updater(self, updater):
        """Set ``updater(key, summed_value, stored_value)``, called on every push."""
        if updater is not None and not callable(updater):
            raise KVStoreTypeError('KVStore._set_updater: the updater must be callable as '
                                   'updater(key, input, stored), got %r' % (updater,))
        self._updater = updater
        self._updater_func = updater
        self._str_updater_func = updater

    def is_capable(self, capability):
        """Whether the store supports `capability` (``'optimizer'``: True)."""
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return not self._is_p3
        raise ValueError('Unknown capability: {} (known: {!r})'
                         .format(capability, KVStoreBase.OPTIMIZER))

    @property
    def type(self):
        """The store type (str)."""
        return self._type

    @property
    def rank(self):
        """The rank of this worker (always 0 in process)."""
        return 0

    @property
    def num_workers(self):
        """The number of workers (always 1 in process)."""
        return 1

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Save the updater's optimizer states to `fname` (written atomically).

        Parameters
        ----------
        fname : str
            Path to the output states file.
        dump_optimizer : bool, default False
            Whether to save the optimizer itself too.
        """
        if self._updater is None or not hasattr(self._updater, 'get_states'):
            raise KVStoreArgumentError('KVStore.save_optimizer_states: this store has no '
                                       'optimizer; call set_optimizer first')
        _write_atomic(fname, self._updater.get_states(dump_optimizer))

    def load_optimizer_states(self, fname):
        """Load optimizer states saved by :meth:`save_optimizer_states` (pickles holding
        other globals are refused, see ``mxtorch._safe_pickle``).

        Parameters
        ----------
        fname : str
            Path to the states file.
        """
        if self._updater is None or not hasattr(self._updater, 'set_states'):
            raise KVStoreArgumentError('KVStore.load_optimizer_states: this store has no '
                                       'optimizer; call set_optimizer first')
        with open(fname, 'rb') as f:
            self._updater.set_states(f.read())

    def _barrier(self):
        """Wait for all workers (a no-op with one in-process worker)."""

    def _send_command_to_servers(self, head, body):
        """Commands go to parameter servers, which in-process stores do not have."""
        raise MXNetError("KVStore._send_command_to_servers: kvstore %r has no servers "
                         "(distributed training is not available yet)" % self.type)

    def __repr__(self):
        return '<KVStore %s: %d keys>' % (self._type, len(self._store))


def _copy_into(src, out):
    """Copy `src` into `out`; a sparse `out` with an attached gradient gets its new parts
    attached again, so gradients of the next forward reach its buffer."""
    src.copyto(out)
    info = getattr(out, '_ag', None)
    if info is not None and out.stype != 'default':
        autograd.attach(out, info.req, info.buffer)


def _write_atomic(fname, data):
    tmp = '%s.tmp%d' % (fname, os.getpid())
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, fname)
