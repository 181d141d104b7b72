"""Overlap of the gradient all-reduce with ``backward()`` for a Trainer on a ``dist_sync``
store (as torch DDP does).

The Trainer hands the store its parameters once per step (:meth:`Overlap.prepare`); hooks on
the parameters' autograd leaves count the gradients as ``backward()`` delivers them, and a
bucket (keys of one dtype, <= 25 MB, in reverse key order: the last layers' gradients come
first) starts its all-reduce as soon as its last gradient arrived. The store's next push of
exactly these keys waits for those results instead of reducing again; buckets whose
gradients never arrived are reduced then. Every worker must run the same graph (the same
parameters get gradients in the same order), as for DDP. Off inside ``join()``, with several
contexts per process and with gradient compression. Opt-in: ``MXNET_KVSTORE_OVERLAP=1``
(off by default: code that changes gradients between ``backward()`` and ``step()``, such as
``clip_global_norm``, would be summed unchanged, and a pending all-reduce at exit was seen
to abort a worker under load).
"""
import os

import torch
import torch.distributed as dist

__all__ = ['Overlap', 'enabled']


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
        self._reset()
        for pos, leaf in enumerate(self.leaves):
            leaf.register_post_accumulate_grad_hook(self._hook(pos))

    def _reset(self):
        self.arrived = [0] * len(self.buckets)
        self.works = {}

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
        flat = torch.cat([self.grads[pos]._t.detach().reshape(-1).cpu()
                          for pos in self.buckets[b]])
        self.works.setdefault(b, []).append((dist.all_reduce(flat, async_op=True), flat))

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
