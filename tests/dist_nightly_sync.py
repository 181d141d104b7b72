"""A nightly-style check of the ``dist_sync`` kvstore, written for mxtorch in the manner of
MXNet's ``tests/nightly/dist_sync_kvstore.py`` (which is not available here): only the public
MXNet API, expected values in closed form. Run it on N workers, e.g.::

    python -m mxtorch.launch -n 3 --launcher local python tests/dist_nightly_sync.py [OUT]

Every worker asserts its results; it exits non-zero on the first mismatch and, with OUT,
writes ``OUT/sync_rank<r>.json`` (the checks it passed).
"""
import json
import os
import sys

import numpy as np

import mxnet as mx

SHAPE, BIG, IRREGULAR = (2, 3), (1200, 1200), (1211, 1211)
RSP_SHAPE = (30, 4)
RATE, REPEAT = 2.0, 3
CHECKS = []


def check(name, got, want, tol=0.0):
    got = got.asnumpy() if hasattr(got, 'asnumpy') else np.asarray(got)
    want = np.broadcast_to(np.asarray(want, dtype=got.dtype), got.shape)
    if not np.allclose(got, want, rtol=0, atol=tol):
        bad = np.argwhere(np.abs(got - want) > tol)[:3].tolist()
        raise AssertionError('%s: got %s at %s, expected %s'
                             % (name, got[tuple(np.array(bad).T)] if bad else got, bad,
                                want[tuple(np.array(bad).T)] if bad else want))
    CHECKS.append(name)


def dense_keys(kv, rank, nworker):
    """Pushes of (rank + 1) to many keys of three sizes; the 'test' optimizer adds
    rescale_grad * sum to the weight: 1 + RATE * REPEAT * n(n+1)/2."""
    keys = ['3', '5', '7']
    kv.init(keys, [mx.nd.ones(SHAPE)] * len(keys))
    kv.init('99', mx.nd.ones(BIG))
    kv.init('11', mx.nd.ones(IRREGULAR))
    kv.init([str(k) for k in range(100, 140)], [mx.nd.ones((k % 7 + 1,)) for k in range(40)])
    kv.set_optimizer(mx.optimizer.create('test', rescale_grad=RATE))
    for _ in range(REPEAT):
        kv.push(keys, [mx.nd.ones(SHAPE) * (rank + 1)] * len(keys))
        kv.push('99', mx.nd.ones(BIG) * (rank + 1))
        kv.push('11', [mx.nd.ones(IRREGULAR) * (rank + 1)] * 2)  # two devices' worth
        kv.push([str(k) for k in range(100, 140)],
                [mx.nd.ones((k % 7 + 1,)) * (rank + 1) for k in range(40)])
    total = nworker * (nworker + 1) / 2.0
    for k in keys:
        out = mx.nd.zeros(SHAPE)
        kv.pull(k, out=out)
        check('dense ' + k, out, 1 + RATE * REPEAT * total)
    big = mx.nd.zeros(BIG)
    kv.pull('99', out=big)
    check('big key', big, 1 + RATE * REPEAT * total)
    irr = mx.nd.zeros(IRREGULAR)
    kv.pull('11', out=irr)
    check('irregular key, 2 values a worker', irr, 1 + RATE * REPEAT * 2 * total)
    outs = [mx.nd.zeros((k % 7 + 1,)) for k in range(40)]
    kv.pull([str(k) for k in range(100, 140)], out=outs)
    for k, out in enumerate(outs):
        check('small key %d' % (100 + k), out, 1 + RATE * REPEAT * total)


def row_sparse_keys(kv, rank, nworker):
    """Each worker pushes row 0 and row rank+1 with value rank+1; row_sparse_pull of any
    subset of rows returns exactly those rows."""
    kv.init('9', mx.nd.ones(RSP_SHAPE).tostype('row_sparse'))
    for _ in range(REPEAT):
        rows = mx.nd.array([0, rank + 1], dtype='int64')
        grad = mx.nd.sparse.row_sparse_array((mx.nd.ones((2, RSP_SHAPE[1])) * (rank + 1), rows),
                                             shape=RSP_SHAPE)
        kv.push('9', grad)
    want = np.ones(RSP_SHAPE, dtype='float32')
    want[0] += RATE * REPEAT * nworker * (nworker + 1) / 2.0
    for r in range(nworker):
        want[r + 1] += RATE * REPEAT * (r + 1)
    for row_ids in ([0, 1, 2], [nworker, 0, nworker, RSP_SHAPE[0] - 1], list(range(RSP_SHAPE[0]))):
        out = mx.nd.sparse.zeros('row_sparse', RSP_SHAPE)
        kv.row_sparse_pull('9', out=out, row_ids=mx.nd.array(row_ids, dtype='int64'))
        unique = sorted(set(row_ids))
        check('row_sparse_pull indices %s' % row_ids, out.indices, unique)
        check('row_sparse_pull rows %s' % row_ids, out.data, want[unique])


def expected_compressed(pushes, kind, threshold):
    """What a worker sends for each push: MXNet's 2bit (+-threshold or 0) or 2.x 1bit
    (+-1) quantization of value + residual."""
    residual, sent = np.zeros_like(pushes[0]), []
    for value in pushes:
        residual = residual + value
        if kind == '2bit':
            q = np.where(residual >= threshold, threshold,
                         np.where(residual <= -threshold, -threshold, 0.0))
        else:
            q = np.where(residual > threshold, 1.0, -1.0)
        residual = residual - q
        sent.append(q.astype('float32'))
    return sent


def compressed(rank, nworker, kind, threshold):
    """A store with gradient compression and no optimizer keeps the sum of the workers'
    quantized values; a pull before any push gives the initial value."""
    kv = mx.kv.create('dist_sync')
    kv.set_gradient_compression({'type': kind, 'threshold': threshold})
    shape = (50, 7)
    kv.init('c', mx.nd.ones(shape) * 0.25)
    out = mx.nd.zeros(shape)
    kv.pull('c', out=out)
    check('%s pull before push' % kind, out, 0.25)
    base = np.linspace(-1.3, 1.3, num=np.prod(shape), dtype='float32').reshape(shape)
    mine = [base * (1 + 0.5 * step) * (rank + 1) for step in range(4)]
    theirs = [expected_compressed([base * (1 + 0.5 * step) * (r + 1) for step in range(4)],
                                  kind, threshold) for r in range(nworker)]
    for step, value in enumerate(mine):
        kv.push('c', mx.nd.array(value))
        kv.pull('c', out=out)
        check('%s round %d' % (kind, step), out, sum(t[step] for t in theirs), tol=1e-5)
    kv.push('c', mx.nd.zeros(shape))  # residuals keep working on zeros
    kv.pull('c', out=out)
    later = [expected_compressed([base * (1 + 0.5 * s) * (r + 1) for s in range(4)] +
                                 [np.zeros(shape, 'float32')], kind, threshold)[-1]
             for r in range(nworker)]
    check('%s zero push after residuals' % kind, out, sum(later), tol=1e-5)


def trainer(rank, nworker):
    """A Gluon Trainer on dist_sync over shards equals one process on the whole batch
    (MXNet sums the workers' gradients: both call step(local batch))."""
    batch, steps = 6 * nworker, 10
    rs = np.random.RandomState(0)
    x = rs.randn(steps, batch, 5).astype('float32')
    y = rs.randn(steps, batch, 3).astype('float32')

    local = batch // nworker

    def run(kvstore, lo, hi):
        mx.random.seed(1)
        net = mx.gluon.nn.Dense(3, in_units=5)
        net.initialize(mx.init.Xavier())
        tr = mx.gluon.Trainer(net.collect_params(), 'sgd',
                              {'learning_rate': 0.1, 'momentum': 0.9}, kvstore=kvstore)
        loss_fn = mx.gluon.loss.L2Loss()
        for s in range(steps):
            with mx.autograd.record():
                loss = loss_fn(net(mx.nd.array(x[s, lo:hi])), mx.nd.array(y[s, lo:hi]))
            loss.backward()
            tr.step(local)
        return [p.data().asnumpy() for p in net.collect_params().values()]

    got = run('dist_sync', rank * local, (rank + 1) * local)
    want = run(None, 0, batch)
    for i, (g, w) in enumerate(zip(got, want)):
        check('trainer parameter %d' % i, g, w, tol=1e-6)


def errors(kv):
    """MXNet's errors for uninitialised keys and re-init."""
    for what, call in (('pull of an unknown key', lambda: kv.pull('404', out=mx.nd.zeros(2))),
                       ('re-init', lambda: kv.init('3', mx.nd.ones(SHAPE)))):
        try:
            call()
        except mx.base.MXNetError:
            CHECKS.append(what)
        else:
            raise AssertionError('%s did not raise' % what)


def main():
    kv = mx.kv.create('dist_sync')
    rank, nworker = kv.rank, kv.num_workers
    dense_keys(kv, rank, nworker)
    row_sparse_keys(kv, rank, nworker)
    errors(kv)
    compressed(rank, nworker, '2bit', 0.5)
    compressed(rank, nworker, '1bit', 0.0)
    trainer(rank, nworker)
    kv.barrier()
    if len(sys.argv) > 1:
        with open(os.path.join(sys.argv[1], 'sync_rank%d.json' % rank), 'w') as f:
            json.dump({'rank': rank, 'workers': nworker, 'checks': CHECKS}, f)
    print('worker %d of %d: %d checks passed' % (rank, nworker, len(CHECKS)))


if __name__ == '__main__':
    main()
