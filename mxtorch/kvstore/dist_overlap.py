"""Overlap of the gradient all-reduce with ``backward()`` for a Trainer on a ``dist_sync``
store (as torch DDP does).

The Trainer hands the store its parameters once per step (:meth:`Overlap.prepare`); hooks on
the parameters' autograd leaves count the gradients as ``backward()`` delivers them, and a
bucket (keys of one dtype, <= 25 MB, in reverse key order: the last layers' gradients come
first) starts its all-reduce as soon as its last gradient arrived. The store's next push of
exactly these keys waits for those results instead of reducing again; buckets whose
gradients never arrived are reduced then, and buckets whose gradients were written or
replaced after they were sent (on any worker, e.g. by ``clip_global_norm`` between
``backward()`` and ``step()``) are reduced again: the sum is of the gradients at push time.
Every worker must run the same graph (the same
parameters get gradients in the same order), as for DDP. Off inside ``join()``, with several
contexts per process and with gradient compression. Opt-in: ``MXNET_KVSTORE_OVERLAP=1``
(off by default: code that changes gradients between ``backward()`` and ``step()``, such as
``clip_global_norm``, would be summed unchanged, and a pending all-reduce at exit was seen
to abort a worker under load).
"""
import os
import weakref

import torch
import torch.distributed as dist

__all__ = ['Overlap', 'enabled', 'drain_all']

_LIVE = weakref.WeakSet()  # every Overlap whose hooks may still start all-reduces


def drain_all(wait=True):
    """Stop every Overlap (its hooks start nothing more) and wait for the all-reduces its
    hooks started that no push collected (``wait=False``: just drop them). Called before
    the process group is destroyed, so no gloo work is pending when the group goes."""
    for overlap in list(_LIVE):
        overlap.active = False
        if wait:
            for works in overlap.works.values():
                for work, _ in works:
                    try:
                        work.wait()
                    except Exception:  # a peer is gone: nothing left to wait for
                        pass
        overlap._reset()


def enabled():
    """Whether overlap is switched on (env ``MXNET_KVSTORE_OVERLAP``, default 0)."""
    return os.getenv('MXNET_KVSTORE_OVERLAP', '0') not in ('0', 'false', 'False', '')


def _reverse_buckets(grads, limit):
    """Position lists in reverse order, grouped per dtype into runs of <= `limit` bytes."""
    out, current = [], {}
    for pos in reversed(range(len(grads))):
        t = grads[pos]._t
        run = current.setdefault(t.dtype, [[], 0])
        nbytes = t.numel() * t.element_size()
        if run[0] and run[1] + nbytes > limit:
            out.append(run[0])
            run[0], run[1] = [], 0
        run[0].append(pos)
        run[1] += nbytes
    out.extend(run[0] for run in current.values() if run[0])
    return out


class Overlap(object):
    """Bucket all-reduces launched from gradient hooks for one list of keys.

    Parameters
    ----------
    keys : list of int
    datas, grads : list of NDArray
        Each key's parameter (an autograd leaf) and gradient buffer.
    limit : int
        Bucket size in bytes.
    """

    def __init__(self, keys, datas, grads, limit):
        self.keys = list(keys)
        self.grads = list(grads)
        self.leaves = [d._t for d in datas]
        self.buckets = _reverse_buckets(self.grads, limit)
        self.bucket_of = {pos: b for b, bucket in enumerate(self.buckets) for pos in bucket}
        self.active = True
        self.paused = False
        self.taken = 0  # pushes answered from all-reduces started during backward
        self.rereduced = 0  # buckets sent again because their gradients changed
        self._reset()
        _LIVE.add(self)
        for pos, leaf in enumerate(self.leaves):
            leaf.register_post_accumulate_grad_hook(self._hook(pos))

    def _reset(self):
        self.arrived = [0] * len(self.buckets)
        self.works = {}
        self.stamps = {}  # bucket -> [(gradient tensor, its version when sent)]

    def current(self, keys, datas, grads):
        """Whether this object still fits `keys` and the parameters' leaves."""
        return (self.active and keys == self.keys and len(datas) == len(self.leaves) and
                all(d._t is leaf for d, leaf in zip(datas, self.leaves)))

    def _hook(self, pos):
        def arrived(leaf):
            if not self.active or self.paused:
                return
            b = self.bucket_of[pos]
            self.arrived[b] += 1
            if self.arrived[b] == len(self.buckets[b]):
                self._launch(b)
        return arrived

    def _launch(self, b):
        grads = [self.grads[pos]._t for pos in self.buckets[b]]
        flat = torch.cat([g.detach().reshape(-1).cpu() for g in grads])
        self.stamps[b] = [(g, g._version) for g in grads]
        self.works.setdefault(b, []).append((dist.all_reduce(flat, async_op=True), flat))

    def _changed(self, b):
        """Whether a gradient of bucket `b` was replaced or written since it was sent (e.g.
        by ``clip_global_norm`` between ``backward()`` and ``step()``)."""
        return any(self.grads[pos]._t is not g or g._version != version
                   for pos, (g, version) in zip(self.buckets[b], self.stamps[b]))

    def _rereduce_changed(self):
        """Send again the buckets whose gradients changed on any worker since their
        all-reduce started (one small all-reduce of flags decides it for every worker)."""
        flags = torch.tensor([int(self._changed(b)) for b in range(len(self.buckets))],
                             dtype=torch.int32)
        dist.all_reduce(flags, op=dist.ReduceOp.MAX)
        for b in flags.nonzero().view(-1).tolist():
            for work, _ in self.works[b]:
                work.wait()
            self._launch(b)
            self.rereduced += 1

    def take(self, keys, tensors):
        """The summed tensors for a push of `keys` (None if this push is not the one the
        hooks prepared); launches the buckets still missing, waits for all."""
        if not self.active or self.paused or keys != self.keys or not self.works:
            return None
        for b in range(len(self.buckets)):
            if b not in self.works:
                self._launch(b)
        results = [None] * len(self.keys)
        try:
            self._rereduce_changed()
            for b, bucket in enumerate(self.buckets):
                for work, _ in self.works[b]:
                    work.wait()
                flat = self.works[b][-1][1]
                offset = 0
                for pos in bucket:
                    t = tensors[pos]
                    results[pos] = flat[offset:offset + t.numel()].view(t.shape).to(t.device)
                    offset += t.numel()
        finally:
            self._reset()
        self.taken += 1
        return results
