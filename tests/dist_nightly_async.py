"""A nightly-style check of the ``dist_async`` kvstore, written for mxtorch in the manner of
MXNet's ``tests/nightly/dist_async_kvstore.py`` (which is not available here): only the
public MXNet API, expected values in closed form. Run it on N workers, e.g.::

    python -m mxtorch.launch -n 3 --launcher local python tests/dist_nightly_async.py [OUT]

Pushes are applied by the server as they arrive; after a barrier every worker's pushes have
been applied, so the values are known exactly. Every worker asserts its results; it exits
non-zero on the first mismatch and, with OUT, writes ``OUT/async_rank<r>.json``.
"""
import json
import os
import sys

import numpy as np

import mxnet as mx

SHAPE, BIG, RSP_SHAPE = (2, 3), (1200, 1200), (30, 4)
RATE, REPEAT = 2.0, 4
CHECKS = []


def check(name, got, want):
    got = got.asnumpy() if hasattr(got, 'asnumpy') else np.asarray(got)
    if not np.array_equal(got, np.broadcast_to(np.asarray(want, dtype=got.dtype), got.shape)):
        raise AssertionError('%s: got %s, expected %s' % (name, got.ravel()[:6],
                                                          np.asarray(want).ravel()[:6]))
    CHECKS.append(name)


def compressed(nworker):
    """2bit compression on dist_async (MXNet 1.9.1 accepts it; its server applies the
    decoded pushes): each worker's pushes 0.3, 0.3, 0.7, -1.2, 0.1 send 0, +0.5, +0.5, -0.5,
    0 with threshold 0.5 (the residual keeps the rest), so the key gains 0.5 per worker
    (MXNet 1.9.1, 2 workers, SGD learning rate 1: -1.0)."""
    kv = mx.kv.create('dist_async')  # a second store: the first one's pushes are uncompressed
    kv.set_gradient_compression({'type': '2bit', 'threshold': 0.5})
    kv.init('c', mx.nd.zeros(SHAPE))
    kv.set_optimizer(mx.optimizer.create('test', rescale_grad=1.0))
    for v in (0.3, 0.3, 0.7, -1.2, 0.1):
        kv.push('c', mx.nd.ones(SHAPE) * v)
    kv.barrier()
    out = mx.nd.zeros(SHAPE)
    kv.pull('c', out=out)
    check('2bit pushes on dist_async', out, 0.5 * nworker)


def main():
    kv = mx.kv.create('dist_async')
    rank, nworker = kv.rank, kv.num_workers
    keys = ['3', '5', '7']
    kv.init(keys, [mx.nd.ones(SHAPE)] * len(keys))
    kv.init('99', mx.nd.ones(BIG))
    kv.init('9', mx.nd.ones(RSP_SHAPE).tostype('row_sparse'))
    kv.set_optimizer(mx.optimizer.create('test', rescale_grad=RATE))

    out = mx.nd.zeros(SHAPE)
    kv.pull('3', out=out)
    mid = out.asnumpy()  # some pushes of others may have arrived: only bounds are known
    for _ in range(REPEAT):
        kv.push(keys, [mx.nd.ones(SHAPE) * (rank + 1)] * len(keys))
        kv.push('99', mx.nd.ones(BIG) * (rank + 1))
        rows = mx.nd.array([0, rank + 1], dtype='int64')
        kv.push('9', mx.nd.sparse.row_sparse_array(
            (mx.nd.ones((2, RSP_SHAPE[1])) * (rank + 1), rows), shape=RSP_SHAPE))
    kv.pull('3', out=out)
    total = nworker * (nworker + 1) / 2.0
    own = 1 + RATE * REPEAT * (rank + 1)  # this worker's pushes are in
    assert (out.asnumpy() >= own).all() and (out.asnumpy() <= 1 + RATE * REPEAT * total).all()
    assert (mid >= 1).all()
    CHECKS.append('own pushes seen by the next pull')

    kv.barrier()  # every worker's pushes have been applied
    for k in keys:
        kv.pull(k, out=out)
        check('dense ' + k, out, 1 + RATE * REPEAT * total)
    big = mx.nd.zeros(BIG)
    kv.pull('99', out=big)
    check('big key', big, 1 + RATE * REPEAT * total)
    want = np.ones(RSP_SHAPE, dtype='float32')
    want[0] += RATE * REPEAT * total
    for r in range(nworker):
        want[r + 1] += RATE * REPEAT * (r + 1)
    for row_ids in ([0, 1], [nworker, 0, RSP_SHAPE[0] - 1], list(range(RSP_SHAPE[0]))):
        rsp = mx.nd.sparse.zeros('row_sparse', RSP_SHAPE)
        kv.row_sparse_pull('9', out=rsp, row_ids=mx.nd.array(row_ids, dtype='int64'))
        unique = sorted(set(row_ids))
        check('row_sparse_pull indices %s' % row_ids, rsp.indices, unique)
        check('row_sparse_pull rows %s' % row_ids, rsp.data, want[unique])
    dense = mx.nd.zeros(RSP_SHAPE)
    kv.pull('9', out=dense, ignore_sparse=False)
    check('dense pull of a row_sparse key', dense, want)
    compressed(nworker)
    kv.barrier()
    if len(sys.argv) > 1:
        with open(os.path.join(sys.argv[1], 'async_rank%d.json' % rank), 'w') as f:
            json.dump({'rank': rank, 'workers': nworker, 'checks': CHECKS}, f)
    print('worker %d of %d: %d checks passed' % (rank, nworker, len(CHECKS)))


if __name__ == '__main__':
    main()
