"""The batched list form of ``push``/``pull``/``pushpull`` of a DistKVStore.

A call with a list of keys (``kv.pushpull(keys, values, out=outs)``, as the Trainer and
Module make every step) is planned once per key list: the keys are validated once, their
reduction order (sorted int keys, str keys in init order), the buckets (per dtype, <= 25 MB,
exactly the general path's layout, so a worker on either path meets the others' all-reduces)
and one preallocated flat buffer per bucket with a view per key. Each call then checks the
arrays (dense, the stored shape, dtype and device), packs them with one
``torch._foreach_copy_`` into the views, runs one all-reduce per bucket and copies the results
out with one more ``torch._foreach_copy_``. Anything else (sparse values or keys, several
values per key, compression, ``join()``, overlap, autograd recording, any error case) takes
the general path, which raises MXNet's errors.
"""
import operator

import torch
import torch.distributed as dist

from .. import autograd
from ..ndarray import NDArray

__all__ = ['Plan', 'as_list', 'plan_for', 'push', 'pull']

_MAX_PLANS = 1024  # planned key lists kept per store (then the cache starts again)


class Plan(object):
    """The validated layout of one key list: stored arrays, buckets and flat buffers.

    Parameters
    ----------
    kv : DistKVStore
    keys : tuple of int or str
        Distinct, initialised keys of dense stored values.
    """

    def __init__(self, kv, keys):
        from .dist import BUCKET_BYTES, _buckets
        self.keys = keys
        self.stored = [kv._store[k] for k in keys]
        ts = [s._t for s in self.stored]
        self.sig = [(t.shape, t.dtype, t.device) for t in ts]
        rank = {k: i for i, k in enumerate(keys)}
        self.order = [rank[k] for k, _ in kv._grouped([(k, ()) for k in keys])]
        ordered = [ts[i] for i in self.order]
        self.layout = [[self.order[i] for i in idx] for idx in _buckets(ordered, BUCKET_BYTES)]
        self.buckets = [[keys[p] for p in pos] for pos in self.layout]
        self.sets = [self._new_set()]  # a second set once stored values live in the first
        self.current_set = 0

    def _new_set(self):
        """(flat buffers, a view per key, an NDArray per view) in the plan's layout."""
        flats, views = [], [None] * len(self.keys)
        for pos in self.layout:
            first = self.stored[pos[0]]._t
            flat = torch.empty(sum(self.sig[p][0].numel() for p in pos), dtype=first.dtype,
                               device=first.device)
            offset = 0
            for p in pos:
                n = self.sig[p][0].numel()
                views[p] = flat[offset:offset + n].view(self.sig[p][0])
                offset += n
            flats.append(flat)
        return flats, views, [NDArray(v, ctx=s.context) for v, s in zip(views, self.stored)]

    def swap(self, views):
        """The sums in `views` become the stored values (no copy); the next push packs into
        the other buffer set, which the store no longer uses."""
        for s, v in zip(self.stored, views):
            s._t = v
        if len(self.sets) == 1:
            self.sets.append(self._new_set())
        self.current_set = 1 - self.current_set

    def current(self, store):
        """Whether the store still holds the planned arrays (values are written in place,
        so a replaced array means another path changed the key)."""
        return all(map(operator.is_, map(store.get, self.keys), self.stored))


def _usable(kv):
    overlap = kv._overlap
    return (kv._wire is None and kv._compression is None and kv._joinable is None and
            (overlap is None or not overlap.active or overlap.paused) and
            not autograd.is_recording())


def as_list(key, value):
    """(keys tuple, values list) of a call, or None when the form is not a plain list."""
    if isinstance(key, (list, tuple)):
        if type(value) is not list and type(value) is not tuple or len(value) != len(key):
            return None
        return tuple(key), value
    return (key,), [value]


def plan_for(kv, keys):
    """The current Plan of `keys` on `kv` (made when needed), or None for key lists the
    general path must handle (unknown, duplicate, mixed-type or sparse keys)."""
    plans = kv._plans
    try:
        plan = plans.get(keys)
    except TypeError:  # an unhashable key: the general path raises MXNet's error
        return None
    if plan is not None:
        return plan if plan.current(kv._store) else _replan(kv, keys)
    return _replan(kv, keys)


def _replan(kv, keys):
    plans, store = kv._plans, kv._store
    want = str if kv._key_type == 'str' else int
    if not keys or len(set(keys)) != len(keys) or \
            any(type(k) is not want or k not in store or type(store[k]) is not NDArray or
                (kv._world > 1 and store[k]._t.device.type != 'cpu') for k in keys):
        # (the general path moves device values to the CPU for gloo)
        plans.pop(keys, None)
        return None
    if len(plans) >= _MAX_PLANS:
        plans.clear()
    plans[keys] = plan = Plan(kv, keys)
    return plan


def _flat_arrays(arrays):
    """`arrays` (one NDArray or a one-element list of one per key) as dense NDArrays, or
    None for any other form."""
    kinds = set(map(type, arrays))
    if kinds == {list}:
        if set(map(len, arrays)) != {1}:
            return None
        arrays = [a[0] for a in arrays]
        kinds = set(map(type, arrays))
    return arrays if kinds == {NDArray} else None


def _tensors(arrays, plan):
    """The tensors of one dense array per key matching the plan's layout, else None."""
    arrays = _flat_arrays(arrays)
    if arrays is None:
        return None
    ts = [a._t for a in arrays]
    if [(t.shape, t.dtype, t.device) for t in ts] != plan.sig:
        return None
    return ts


def push(kv, key, value):
    """Push through the batched path; returns the Plan, or None when the general path must
    handle the call (nothing was done then)."""
    if not _usable(kv):
        return None
    form = as_list(key, value)
    if form is None:
        return None
    plan = plan_for(kv, form[0])
    if plan is None:
        return None
    ts = _tensors(form[1], plan)
    if ts is None:
        return None
    _reduce(kv, plan, ts)
    return plan


def _reduce(kv, plan, ts):
    """Pack `ts`, sum the buckets over the workers, then update or replace the values."""
    from .dist import _note_round
    flats, views, grads = plan.sets[plan.current_set]
    with torch.no_grad():
        torch._foreach_copy_(views, ts)
    if kv._world > 1:
        for bucket, flat in zip(plan.buckets, flats):
            try:
                dist.all_reduce(flat, op=dist.ReduceOp.SUM)
            except Exception as err:  # gloo raises RuntimeError / DistError subclasses
                kv._fail('push', bucket, err)
    kv._last_keys = plan.keys
    _note_round(plan.keys)
    kv._last_push = [plan.keys[i] for i in plan.order]
    updater = kv._updater
    if updater is None:
        plan.swap(views)
        return
    keys, stored = plan.keys, plan.stored
    for i in plan.order:
        updater(keys[i], grads[i], stored[i])


def pull(plan, out):
    """Copy the planned keys' values into `out` (one array or list of arrays per key);
    False (nothing copied) when `out` does not fit the batched path."""
    arrays = _flat_arrays(out)
    if arrays is not None:
        src, dst = [s._t for s in plan.stored], [o._t for o in arrays]
    else:  # several outputs per key (one per device)
        src, dst = [], []
        for s, outs in zip(plan.stored, out):
            outs = [outs] if type(outs) is NDArray else outs
            if type(outs) is not list or not outs or set(map(type, outs)) != {NDArray}:
                return False
            src.extend([s._t] * len(outs))
            dst.extend(o._t for o in outs)
    if [t.shape for t in src] != [t.shape for t in dst]:
        return False
    with torch.no_grad():
        torch._foreach_copy_(dst, src)
    return True
