"""Distributed synchronous kvstores (``dist_sync``, ``dist``, ``dist_device_sync``,
``dist_sync_device``) on torch.distributed.

Every worker keeps a full copy of every key. ``init`` takes rank 0's value; ``push`` sums the
values of the round locally, then across workers with one all-reduce per bucket of ~25 MB
(keys packed per dtype, as DDP does); with an optimizer every worker applies the same update
to the same sum, so the copies stay identical without parameter servers.

The process group is the default one: reused when the program made it, otherwise made with
gloo from torchrun's variables (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``) or
MXNet's (``DMLC_ROLE=worker``, ``DMLC_NUM_WORKER``, ``DMLC_WORKER_ID``, ``DMLC_PS_ROOT_URI``,
``DMLC_PS_ROOT_PORT``). Without either a store has one worker. Every collective times out
after ``MXNET_KVSTORE_TIMEOUT`` seconds (default 60) and failures raise
:class:`DistKVStoreError` naming the rank and the keys.
"""
import atexit
import contextlib
import datetime
import hashlib
import json
import os
import time
import warnings

import torch
import torch.distributed as dist
from torch.distributed.algorithms.join import Join, Joinable, JoinHook

from .. import autograd
from ..base import MXNetError
from ..ndarray import NDArray, zeros as nd_zeros
from ..context import cpu
from . import dist_batch
from .kvstore import KVStore, _write_atomic

__all__ = ['DistKVStore', 'DistKVStoreError', 'BUCKET_BYTES', 'timeout_seconds']

BUCKET_BYTES = 25 * 1024 * 1024

# the operations of a round inside join(), announced to the workers that left the block
_LEFT, _PUSH, _BARRIER, _INIT = 0, 1, 2, 3
_ROUND_NAMES = {_LEFT: 'left join()', _PUSH: 'push', _BARRIER: 'barrier', _INIT: 'init'}
_SHARE = 2  # announced by a worker that left and answers with shadow(share()); key hashes are odd


class DistKVStoreError(MXNetError, RuntimeError):
    """A collective of a distributed kvstore failed (a dead worker, a timeout, a mismatch)."""


def timeout_seconds():
    """The collective timeout in seconds (env ``MXNET_KVSTORE_TIMEOUT``, default 60)."""
    raw = os.getenv('MXNET_KVSTORE_TIMEOUT', '60')
    try:
        value = float(raw)
    except ValueError:
        raise MXNetError('MXNET_KVSTORE_TIMEOUT must be a number of seconds, got %r'
                         % raw) from None
    if value <= 0:
        raise MXNetError('MXNET_KVSTORE_TIMEOUT must be positive, got %r' % raw)
    return value


def _env_int(name, env):
    try:
        return int(env[name])
    except ValueError:
        raise MXNetError('kvstore: environment variable %s must be an integer, got %r'
                         % (name, env[name])) from None


def world_from_env(env=None):
    """(rank, world_size, master_addr, master_port) from torchrun's or MXNet's variables,
    or None when neither describes a distributed job."""
    env = os.environ if env is None else env
    if 'WORLD_SIZE' in env and 'RANK' in env:
        return (_env_int('RANK', env), _env_int('WORLD_SIZE', env),
                env.get('MASTER_ADDR', '127.0.0.1'), _env_int('MASTER_PORT', env)
                if 'MASTER_PORT' in env else 29500)
    if 'DMLC_NUM_WORKER' not in env:
        return None
    role = env.get('DMLC_ROLE', 'worker')
    if role != 'worker':
        raise MXNetError("kvstore: this process has DMLC_ROLE=%r; mxtorch's distributed "
                         "kvstore needs no scheduler or server processes (only workers)" % role)
    world = _env_int('DMLC_NUM_WORKER', env)
    if 'DMLC_WORKER_ID' not in env and world > 1:
        raise MXNetError('kvstore: DMLC_NUM_WORKER=%d but DMLC_WORKER_ID is not set; give each '
                         'worker its id 0..%d (python -m mxtorch.launch does)'
                         % (world, world - 1))
    rank = _env_int('DMLC_WORKER_ID', env) if 'DMLC_WORKER_ID' in env else 0
    for name in ('DMLC_PS_ROOT_URI', 'DMLC_PS_ROOT_PORT'):
        if name not in env and world > 1:
            raise MXNetError('kvstore: DMLC_NUM_WORKER=%d needs %s (the rendezvous address)'
                             % (world, name))
    return (rank, world, env.get('DMLC_PS_ROOT_URI', '127.0.0.1'),
            _env_int('DMLC_PS_ROOT_PORT', env) if 'DMLC_PS_ROOT_PORT' in env else 0)


def wait_for_job_end(env=None, poll=0.2):
    """What a ``DMLC_ROLE=scheduler|server`` process does (mxtorch needs neither): connect
    to the workers' rendezvous (``DMLC_PS_ROOT_URI:DMLC_PS_ROOT_PORT``, hosted by worker 0)
    and return when every worker has finished or the rendezvous is gone (worker 0 exited).
    Raises :class:`DistKVStoreError` when no worker shows up within MXNET_KVSTORE_TIMEOUT."""
    env = os.environ if env is None else env
    if 'DMLC_PS_ROOT_PORT' not in env:
        raise MXNetError('KVStoreServer.run: a %s process needs DMLC_PS_ROOT_URI and '
                         'DMLC_PS_ROOT_PORT (the workers\' rendezvous) to wait for the job'
                         % env.get('DMLC_ROLE', 'server'))
    addr = env.get('DMLC_PS_ROOT_URI', '127.0.0.1')
    port = _env_int('DMLC_PS_ROOT_PORT', env)
    world = _env_int('DMLC_NUM_WORKER', env) if 'DMLC_NUM_WORKER' in env else 1
    if world == 1:  # a single worker makes no process group: nothing to wait for
        return 'single worker'
    store = _connect_store(addr, port, env.get('DMLC_ROLE'))
    keys = [_REPORT_PREFIX + str(r) for r in range(world)]
    try:
        store.add(_WATCHERS, 1)
    except Exception:  # the job already ended
        return 'gone'
    while True:
        try:
            if store.check(keys):
                store.add(_WATCHED, 1)  # worker 0 waits for this before it exits
                return 'finished'
        except Exception:  # worker 0, hosting the rendezvous, has exited
            return 'gone'
        time.sleep(poll)


def _connect_store(addr, port, role):
    """A client of the rendezvous store, retried until MXNET_KVSTORE_TIMEOUT."""
    deadline = time.time() + timeout_seconds()
    while True:
        try:
            return dist.TCPStore(addr, port, is_master=False, wait_for_workers=False,
                                 timeout=datetime.timedelta(seconds=2))
        except Exception as err:
            if time.time() > deadline:
                raise DistKVStoreError('kvstore: this %s process found no workers at %s:%d '
                                       'within %ss (MXNET_KVSTORE_TIMEOUT): %s'
                                       % (role, addr, port, timeout_seconds(), err)) from err
            time.sleep(0.5)


def _expected_watchers(env=None):
    """How many scheduler/server processes a manual DMLC_* launch started: one scheduler
    plus DMLC_NUM_SERVER servers when that is positive (mxtorch.launch sets it to 0)."""
    env = os.environ if env is None else env
    try:
        servers = int(env.get('DMLC_NUM_SERVER', '0'))
    except ValueError:
        return 0
    return 1 + servers if servers > 0 and env.get('DMLC_ROLE') == 'worker' else 0


def _wait_for_watchers(limit=10.0):
    """On worker 0 at exit: give scheduler/server processes (manual DMLC_* launches) the
    time to see that the job ended before the rendezvous store closes. Roles that have not
    connected yet (slow to start) are waited for up to MXNET_KVSTORE_TIMEOUT."""
    try:
        store = _raw_store()
        start = time.time()
        expected = _expected_watchers()
        while True:
            watchers = int(store.add(_WATCHERS, 0))
            if int(store.add(_WATCHED, 0)) >= max(watchers, expected):
                return
            waited = time.time() - start
            if waited > (timeout_seconds() if watchers < expected else limit):
                return
            time.sleep(0.05)
    except Exception:  # no store: nothing to wait for
        pass


def ensure_process_group():
    """(rank, world_size) of the default process group, made from the environment when
    needed; (0, 1) without a distributed environment."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    spec = world_from_env()
    if spec is None or spec[1] == 1:
        return 0, 1
    rank, world, addr, port = spec
    if not 0 <= rank < world:
        raise MXNetError('kvstore: worker rank %d is outside [0, %d)' % (rank, world))
    timeout = datetime.timedelta(seconds=timeout_seconds())
    try:
        dist.init_process_group('gloo', init_method='tcp://%s:%d' % (addr, port), rank=rank,
                                world_size=world, timeout=timeout)
    except Exception as err:  # rendezvous failures come as several torch error types
        raise DistKVStoreError('kvstore: worker %d of %d could not join the group at %s:%d '
                               'within %ss: %s' % (rank, world, addr, port,
                                                   timeout.total_seconds(), err)) from err
    atexit.register(_drop_group, 'finished')  # a live gloo group at exit may abort
    return rank, world


# this worker's progress (completed collective rounds, last keys), published in the
# rendezvous store when it stops so that a peer left waiting can say who stopped where
_PROGRESS = {'round': 0, 'keys': []}
_REPORT_PREFIX = 'mxtorch/kv/progress/'
_WATCHERS, _WATCHED = 'mxtorch/kv/watchers', 'mxtorch/kv/watched'


def _raw_store():
    """The rendezvous TCPStore of the default group, without torch's key prefixes (so that
    scheduler/server processes, plain clients of it, see the same keys)."""
    store = dist.distributed_c10d._get_default_store()
    while hasattr(store, 'underlying_store'):
        store = store.underlying_store
    return store


def _note_round(keys):
    _PROGRESS['round'] += 1
    _PROGRESS['keys'] = list(keys)[:8]


def _publish(state):
    """Write this worker's progress and `state` to the rendezvous store (best effort)."""
    try:
        store = _raw_store()
        store.set(_REPORT_PREFIX + str(dist.get_rank()),
                  json.dumps(dict(_PROGRESS, state=state)))
    except Exception:  # no store (single process) or it is gone: nothing to report
        pass


def _peer_reports(wait=1.0):
    """'rank R <state> after round N (last keys K)' for every other worker that published
    its progress (waiting up to `wait` seconds for them), else that it did not report."""
    try:
        store = _raw_store()
        me, world = dist.get_rank(), dist.get_world_size()
    except Exception:
        return ''
    deadline, found = time.time() + wait, {}
    while True:
        for r in range(world):
            if r != me and r not in found:
                try:
                    if store.check([_REPORT_PREFIX + str(r)]):
                        found[r] = json.loads(store.get(_REPORT_PREFIX + str(r)))
                except Exception:
                    pass
        if len(found) == world - 1 or time.time() > deadline:
            break
        time.sleep(0.05)
    lines = []
    for r in range(world):
        if r == me:
            continue
        info = found.get(r)
        lines.append('rank %d %s after round %d (last keys %s)'
                     % (r, info['state'], info['round'], info['keys']) if info else
                     'rank %d did not report (still running, hung or killed)' % r)
    return '; '.join(lines)


def _drop_group(state='stopped'):
    """Forget a process group whose peers failed, so later calls raise at once and the
    interpreter does not wait on it at exit; first publish this worker's progress."""
    try:
        if dist.is_initialized():
            from .dist_overlap import drain_all
            drain_all(wait=state == 'finished')  # no gloo work pending when the group goes
            _publish(state)
            if state == 'finished' and dist.get_rank() == 0:
                _wait_for_watchers()
            dist.destroy_process_group()
    except Exception:  # a broken group may fail to shut down; it is dropped either way
        pass


def _run_op(flat, what):
    if what == 'init':
        dist.broadcast(flat, src=0)
    else:
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
    return flat


def _buckets(tensors, limit):
    """Index lists grouping `tensors` by dtype into runs of at most `limit` bytes (a larger
    tensor gets a bucket of its own)."""
    by_dtype = {}
    for i, t in enumerate(tensors):
        by_dtype.setdefault(t.dtype, []).append(i)
    out = []
    for indices in by_dtype.values():
        current, size = [], 0
        for i in indices:
            nbytes = tensors[i].numel() * tensors[i].element_size()
            if current and size + nbytes > limit:
                out.append(current)
                current, size = [], 0
            current.append(i)
            size += nbytes
        out.append(current)
    return out


class DistKVStore(KVStore):
    """A synchronous distributed kvstore on the default torch.distributed process group.

    Parameters
    ----------
    handle : str, default 'dist_sync'
        The store type (``dist_sync``, ``dist``, ``dist_device_sync``, ``dist_sync_device``);
        use :func:`mx.kv.create`.
    """

    def __init__(self, handle='dist_sync'):
        super().__init__(handle)
        self._rank, self._world = ensure_process_group()
        self._last_keys = ()
        self._warned_init = False
        self._buffers = {}
        self._wire = None       # 2bit compression on the wire (set_gradient_compression)
        self._overlap = None    # all-reduces started during backward (dist_overlap)
        self._joinable = None   # set inside join()
        self._shadowing = False
        self._last_push = None  # the keys of the last push (replayed by a joined worker)
        self._plans = {}        # key tuple -> dist_batch.Plan (the batched list form)

    # ------------------------------------------------------------- collectives
    def _fail(self, what, keys, err):
        _publish('failed in %s of %s' % (what, list(keys)[:8]))
        peers = _peer_reports()
        _drop_group('failed')
        shown = list(keys)[:8]
        more = '' if len(keys) <= 8 else ' (+%d more)' % (len(keys) - 8)
        raise DistKVStoreError(
            'kvstore %s: %s failed on worker rank %d of %d for key(s) %s%s in round %d (last '
            'completed round: %s). A worker died, called a different sequence of kvstore '
            'operations (e.g. an extra step), or did not answer within '
            'MXNET_KVSTORE_TIMEOUT=%ss. Other workers: %s. Cause: %s'
            % (self.type, what, self._rank, self._world, shown, more,
               _PROGRESS['round'] + 1, list(self._last_keys)[:8], timeout_seconds(),
               peers or 'none', err)) from err

    def _flat(self, bucket_keys, parts, what):
        """A flat copy of `parts`; pushes reuse one buffer per bucket (allocating tens of
        MB every round costs more than the copy)."""
        numel = sum(p.numel() for p in parts)
        buf = self._buffers.get(bucket_keys) if what == 'push' else None
        if buf is None or buf.numel() != numel or buf.dtype != parts[0].dtype or \
                buf.device != parts[0].device:
            buf = torch.empty(numel, dtype=parts[0].dtype, device=parts[0].device)
            if what == 'push':
                self._buffers[bucket_keys] = buf
        if len(parts) == 1:
            buf.copy_(parts[0].reshape(-1))
        else:
            torch.cat([p.reshape(-1) for p in parts], out=buf)
        return buf

    def _collective(self, tensors, keys, what, notify=True):
        """New tensors holding the sum over workers (``what='push'``) or rank 0's values
        (``'init'``) of `tensors`, reduced bucket by bucket; `tensors` are left unchanged
        (results of one bucket are views of one flat buffer)."""
        results = [None] * len(tensors)
        try:
            if what == 'push' and self._overlap is not None:
                got = self._overlap.take(list(keys), tensors)
                if got is not None:
                    self._last_keys = tuple(keys)
                    _note_round(keys)
                    return got
            if what == 'push' or notify:
                self._notify_join(_PUSH if what == 'push' else _INIT, keys)
            for idx in _buckets(tensors, BUCKET_BYTES):
                parts = [tensors[i] for i in idx]
                device = parts[0].device
                if what == 'push' and self._wire is not None and \
                        self._wire.compresses(parts[0]):
                    flat = self._wire.allreduce([keys[i] for i in idx], parts,
                                                self._world).to(device)
                else:
                    flat = self._flat(tuple(keys[i] for i in idx), parts, what)
                    if self._world > 1:
                        flat = _run_op(flat.cpu(), what).to(device)
                offset = 0
                for i, p in zip(idx, parts):
                    n = p.numel()
                    results[i] = flat[offset:offset + n].view(p.shape)
                    offset += n
        except Exception as err:  # gloo raises RuntimeError / DistError subclasses
            self._fail(what, keys, err)
        self._last_keys = tuple(keys)
        _note_round(keys)
        return results

    # ------------------------------------------------------------- API
    def init(self, key, value):
        """Initialise `key` (or a list of keys) with rank 0's `value` on every worker, then
        wait for all workers; each key only once.

        Parameters
        ----------
        key : str, int, or list of str or int
            The keys.
        value : NDArray or list of NDArray
            Initial values (a list per key uses its first array).
        """
        pairs = self._pairs(key, value, 'init')
        for k, _ in pairs:
            if k in self._store:
                raise MXNetError('KVStore.init: duplicate init of key %r. Please double check '
                                 'if you called kv.init or kv.broadcast with this key multiple '
                                 'times' % (k,))
        values = [vals[0].copyto(self._store_context(vals[0])) for _, vals in pairs]
        dense = [v.tostype('default') if v.stype != 'default' else v for v in values]
        keys = [k for k, _ in pairs]
        src = None
        try:
            src = self._notify_join(_INIT, keys)
        except Exception as err:
            self._fail('init', keys, err)
        if src is None:
            got = self._collective([d._t for d in dense], keys, 'init', notify=False)
        else:  # inside join() with workers that left: they store the keys too
            got = self._init_from(src, keys, [d._t for d in dense],
                                  [v.stype for v in values])
        if self._rank != (src or 0):
            self._warn_differing(keys, [d._t for d in dense], got, src or 0)
        self._keep(keys, [v.context for v in values], [v.stype for v in values], got)
        self._barrier()

    def _keep(self, keys, contexts, stypes, tensors):
        for k, ctx, stype, t in zip(keys, contexts, stypes, tensors):
            d = NDArray(t, ctx=ctx)
            self._store[k] = d if stype == 'default' else d.tostype(stype)
            if isinstance(k, str):
                self._str_order.setdefault(k, len(self._str_order))

    def _init_from(self, src, keys, tensors, stypes):
        """Inside join() with workers that left: the initial values of the lowest rank still
        in the block (rank 0 when it is), sent as one object to every worker (the ones that
        left do not know the keys' shapes). Returns the tensors on this worker."""
        box = [(list(keys), [t.detach().cpu() for t in tensors], list(stypes))
               if self._rank == src else None]
        try:
            dist.broadcast_object_list(box, src=src)
        except Exception as err:
            self._fail('init', keys, err)
        _note_round(keys)
        return [t.to(mine.device) for t, mine in zip(box[0][1], tensors)]

    def _serve_init(self, src):
        """A worker that left join(): store the keys that the others initialise."""
        box = [None]
        dist.broadcast_object_list(box, src=src)
        keys, tensors, stypes = box[0]
        self._check_key_type(isinstance(keys[0], str), 'init')
        self._keep(keys, [cpu()] * len(keys), stypes, tensors)
        _note_round(keys)

    def _warn_differing(self, keys, mine, dense, src=0):
        """Warn once when this worker's initial values differ from rank `src`'s."""
        if self._warned_init:
            return
        for k, own, got in zip(keys, mine, dense):
            if not torch.equal(own, got):
                self._warned_init = True
                warnings.warn('kvstore %s: worker rank %d started key %r from a value that '
                              'differs from rank %d\'s; rank %d\'s value is used on every '
                              'worker (seed every worker alike to silence this)'
                              % (self.type, self._rank, k, src, src), stacklevel=3)
                return

    def push(self, key, value, priority=0):
        """Push values: values of one key are summed in this worker, then across all
        workers; with an optimizer every worker applies the same update to the sum,
        otherwise the sum replaces the stored value. Every worker must push the same keys.

        Parameters
        ----------
        key : str, int, or list of str or int
            The keys.
        value : NDArray, list of NDArray, or list of list of NDArray
            Values per key (a list per key is summed, e.g. one gradient per device).
        priority : int, optional
            Scheduling priority (accepted; operations run in call order).
        """
        if dist_batch.push(self, key, value) is None:
            self._push_general(key, value)

    def _push_general(self, key, value):
        rounds = [(k, self._local_sum(k, vals), self._stored(k, 'push'))
                  for k, vals in self._grouped(self._pairs(key, value, 'push'))]
        self._last_push = [k for k, _, _ in rounds]
        got = self._collective([t for _, t, _ in rounds], [k for k, _, _ in rounds], 'push')
        for (k, _, stored), t in zip(rounds, got):
            merged = NDArray(t, ctx=stored.context)
            if self._updater is not None:
                self._updater(k, merged, stored)
            elif type(stored) is NDArray and stored._t.dtype == t.dtype:
                with torch.no_grad():  # in place: `t` may be a reused buffer's view
                    stored._t.copy_(t)
            else:
                self._store[k] = merged if stored.stype == 'default' \
                    else merged.tostype(stored.stype)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        # key lists go through dist_batch; the rest (and the docstring) is KVStore.pull's
        if out is None or not self._pull_batched(key, out, None):
            super().pull(key, out, priority, ignore_sparse)

    pull.__doc__ = KVStore.pull.__doc__

    def _pull_batched(self, key, out, plan):
        """Pull through ``dist_batch`` (`plan`: the key list's Plan, if known); False when
        the general path must handle the call."""
        if autograd.is_recording():
            return False
        form = dist_batch.as_list(key, out)
        if form is None:
            return False
        plan = plan or dist_batch.plan_for(self, form[0])
        return plan is not None and dist_batch.pull(plan, form[1])

    def pushpull(self, key, value, out=None, priority=0):
        """Push `value` (summed per key and over the workers, updated if an optimizer is
        set) and pull the result into `out`, or back into `value` when `out` is None.

        Parameters
        ----------
        key : str, int, or list of str or int
        value : NDArray, list of NDArray, or list of list of NDArray
        out : NDArray, list of NDArray, or list of list of NDArray, optional
        priority : int, optional
        """
        done = dist_batch.push(self, key, value)
        if done is None:
            self._push_general(key, value)
        target = value if out is None else out
        if done is None or not self._pull_batched(key, target, done):
            KVStore.pull(self, key, target, priority, ignore_sparse=False)

    def _local_sum(self, key, vals):
        """The tensor of this worker's contribution to `key` (may be a pushed array's own
        storage: the collective copies it)."""
        stored = self._stored(key, 'push')
        v = vals[0]
        if len(vals) == 1 and self._compression is None and v.stype == 'default' and \
                stored.stype == 'default' and v.shape == stored.shape and \
                v.dtype == stored.dtype and v.context == stored.context:
            return v._t
        merged = self._merge(key, vals, stored, 'push')
        return (merged.tostype('default') if merged.stype != 'default' else merged)._t

    def is_capable(self, capability):
        """Whether the store supports `capability` (``'optimizer'``: True)."""
        return super().is_capable(capability)

    def set_gradient_compression(self, compression_params):
        """Send gradients compressed: ``{'type': '2bit', 'threshold': 0.5}`` quantizes each
        worker's pushed sum (plus its residual) to -threshold, 0 or +threshold and sends 2
        bits per element (MXNet's numbers; the local sum over devices is not compressed);
        ``{'type': '1bit', 'threshold': t}`` (MXNet 2.x) sends +1 for elements above t, else
        -1, one bit per element.

        Parameters
        ----------
        compression_params : dict
        """
        from .dist_compress import make_wire
        super().set_gradient_compression(compression_params)
        self._wire = make_wire(self._compression)
        self._compression = None  # the wire compresses; the local merge stays exact

    @property
    def rank(self):
        """The rank of this worker, in ``[0, num_workers)``."""
        return self._rank

    @property
    def num_workers(self):
        """The number of workers."""
        return self._world

    def _barrier(self):
        """Wait until every worker reaches this point (raises on timeout or a dead worker)."""
        if self._world == 1:
            return
        try:
            self._notify_join(_BARRIER, ())
            dist.barrier()
        except Exception as err:
            self._fail('barrier', [], err)
        _note_round(['<barrier>'])

    def barrier(self):
        """Wait until every worker reaches this point (MXNet 2.x name of ``_barrier``)."""
        self._barrier()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Save the optimizer states to `fname` on rank 0 (every worker holds the same
        states; other ranks write nothing).

        Parameters
        ----------
        fname : str
            Path to the output states file.
        dump_optimizer : bool, default False
            Whether to save the optimizer itself too.
        """
        if self._updater is None or not hasattr(self._updater, 'get_states'):
            super().save_optimizer_states(fname, dump_optimizer)
        if self._rank == 0:
            _write_atomic(fname, self._updater.get_states(dump_optimizer))

    def _overlap_prepare(self, keys, datas, grads):
        """Called by a Trainer before it pushes `keys`: (re)attach the gradient hooks that
        start bucket all-reduces during the next backward (see ``dist_overlap``)."""
        from .dist_overlap import Overlap, enabled
        current = self._overlap
        if self._world == 1 or self._wire is not None or not enabled() or \
                self._joinable is not None:
            if current is not None:
                current.paused = True
            return
        if current is not None and current.current(keys, datas, grads):
            current.paused = False
            return
        if current is not None:
            current.active = False
        self._overlap = Overlap(keys, datas, grads, BUCKET_BYTES)

    # ------------------------------------------------------------- uneven inputs
    def join(self, shadow=None, throw_on_early_termination=False, share=None):
        """A context for workers with different numbers of batches (e.g. MXNet's shorter
        last epoch on some workers), on torch's ``Join``. A worker that leaves the block
        keeps answering the rounds of the others: their pushes with zero contributions
        (zeros of the pushed keys, or a call of `shadow()`), so every worker applies the
        same updates; their ``init`` (storing the keys too: the values of the lowest rank
        still in the block, rank 0 while it is there) and their ``barrier``. The block
        ends on every worker when the last one leaves it. Workers in the block that issue
        different operations or keys in a round raise :class:`DistKVStoreError` naming
        what each rank did.

        Parameters
        ----------
        shadow : callable, optional
            Run once per round of the others instead of replaying the last push (a Trainer
            passes a step with zero gradients, so its local optimizer states follow too).
        throw_on_early_termination : bool, default False
            Raise on every worker as soon as one leaves the block, instead.
        share : callable, optional
            With `shadow`: for each push round of the others, the lowest rank still in the
            block sends ``share()`` (a picklable object, e.g. a Trainer's gradient scale) to
            the workers that left, which call ``shadow(shared)`` (a worker that had no batch
            at all learns the scale of the others' steps that way).
        """
        if self._world == 1:
            return contextlib.nullcontext(self)
        if self._overlap is not None:
            self._overlap.paused = True  # hooks would start collectives the join cannot see
        self._joinable = _StoreJoinable(self, shadow, share)
        return _JoinContext(self, Join([self._joinable], throw_on_early_termination=
                                       throw_on_early_termination))

    def _notify_join(self, kind, keys):
        """Inside join(): tell the join context of a new round and every worker what it is
        (a push or an init of `keys`, or a barrier), so workers that left the block can
        take part. Returns the lowest rank still in the block when some have left (else
        None); raises when the workers in the block disagree."""
        if self._joinable is None or self._shadowing:
            return None
        work = Join.notify_join_context(self._joinable)
        if work is not None:
            work.wait()  # no handle left pending
        kinds, hashes = self._announce(kind, _keys_hash(keys))
        active = [r for r, k in enumerate(kinds) if k != _LEFT]
        if len(active) == self._world:
            return None
        left = [h for h, k in zip(hashes, kinds) if k == _LEFT]
        if kind == _PUSH and any(h not in (0, _SHARE, hashes[active[0]]) for h in left):
            dist.broadcast_object_list([list(keys)], src=active[0])  # to workers that left
        if kind == _PUSH and _SHARE in left:
            share = self._joinable.share
            dist.broadcast_object_list([share() if share is not None else None],
                                       src=active[0])
        return active[0]

    def _announce(self, kind, keys_hash):
        """Every worker's (operation, hash of its keys) in this round inside join(): one
        all-reduce of 2 x num_workers integers. Raises when the workers in the block differ."""
        v = torch.zeros(2 * self._world, dtype=torch.int64)
        v[self._rank], v[self._world + self._rank] = kind, keys_hash
        dist.all_reduce(v)
        kinds, hashes = v[:self._world].tolist(), v[self._world:].tolist()
        inside = [(k, h) for k, h in zip(kinds, hashes) if k != _LEFT]
        if len(set(inside)) > 1:
            raise DistKVStoreError(
                'kvstore %s: inside join() the workers do not run the same operation on the '
                'same keys in round %d: %s. Workers in the block must issue the same sequence '
                'of init/push/barrier calls' % (self.type, _PROGRESS['round'] + 1, ', '.join(
                    'rank %d %s' % (r, _ROUND_NAMES[k]) + (' (keys #%x)' % h if h else '')
                    for r, (k, h) in enumerate(zip(kinds, hashes)))))
        return kinds, hashes

    def _shadow_round(self, shadow):
        """Take part, as a worker that left join(), in one round of the workers still in
        the block: a push with zeros, an init (storing the keys) or a barrier."""
        self._shadowing = True
        try:
            # 0: a Trainer step answers (_SHARE: after receiving the others' share());
            # 1: no push to replay (the others send their keys)
            share = self._joinable.share
            mine = (_SHARE if share is not None else 0) if shadow is not None else \
                _keys_hash(self._last_push) if self._last_push else 1
            kinds, hashes = self._announce(_LEFT, mine)
            src = next(r for r, k in enumerate(kinds) if k != _LEFT)
            kind = kinds[src]
            if kind == _BARRIER:
                dist.barrier()
                _note_round(['<barrier>'])
            elif kind == _INIT:
                self._serve_init(src)
            elif shadow is not None and share is not None:
                box = [None]
                dist.broadcast_object_list(box, src=src)
                shadow(box[0])
            elif shadow is not None:
                shadow()
            elif mine == hashes[src]:
                self._push_zeros(self._last_push)
            else:  # the others push other keys than this worker's last push: ask which
                box = [None]
                dist.broadcast_object_list(box, src=src)
                self._push_zeros(box[0])
        finally:
            self._shadowing = False

    def _push_zeros(self, keys):
        """This worker's part of the others' push of `keys`: zeros of the keys' shapes."""
        missing = [k for k in keys if k not in self._store]
        if missing:
            raise DistKVStoreError('kvstore %s: worker rank %d left join() and cannot answer '
                                   'the others\' push of keys %s it never initialised'
                                   % (self.type, self._rank, missing[:8]))
        stored = [self._store[k] for k in keys]
        self.push(list(keys), [nd_zeros(v.shape, ctx=v.context, dtype=v.dtype)
                               for v in stored])

    def _send_command_to_servers(self, head, body):
        """Commands for parameter servers: there are none, so they are accepted and ignored
        (the optimizer runs in every worker)."""

    def __repr__(self):
        return '<DistKVStore %s: rank %d of %d, %d keys>' % (self.type, self._rank,
                                                            self._world, len(self._store))


class _StoreHook(JoinHook):
    def __init__(self, joinable):
        self._joinable = joinable

    def main_hook(self):
        self._joinable.kv._shadow_round(self._joinable.shadow)


class _StoreJoinable(Joinable):
    """The torch ``Joinable`` of a DistKVStore inside :meth:`DistKVStore.join`."""

    def __init__(self, kv, shadow, share=None):
        super().__init__()
        self.kv = kv
        self.shadow = shadow
        self.share = share

    def join_hook(self, **kwargs):
        return _StoreHook(self)

    @property
    def join_device(self):
        return torch.device('cpu')

    @property
    def join_process_group(self):
        return dist.group.WORLD


class _JoinContext(object):
    """torch's Join around a store: errors while shadowing name the store."""

    def __init__(self, kv, join):
        self._kv, self._join = kv, join

    def __enter__(self):
        self._join.__enter__()
        return self._kv

    def __exit__(self, *exc):
        try:
            if exc[0] is None:
                try:
                    self._join.__exit__(*exc)
                except DistKVStoreError:
                    raise
                except Exception as err:
                    self._kv._fail('join', list(self._kv._last_keys), err)
            return False
        finally:
            self._kv._joinable = None


def _keys_hash(keys):
    """A nonzero 62-bit fingerprint of a key list (0 stands for no keys)."""
    if not keys:
        return 0
    digest = hashlib.sha1(repr(list(keys)).encode()).digest()
    return (int.from_bytes(digest[:8], 'little') >> 2) | 1


def create_dist(name):
    """The distributed store for type `name` (contains 'dist'; '_async' gives the
    parameter server of ``kvstore.dist_async``)."""
    if '_async' in name:
        from .dist_async import AsyncKVStore
        return AsyncKVStore(name)
    return DistKVStore(name)
