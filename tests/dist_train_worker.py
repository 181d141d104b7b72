"""Worker program for tests/test_dist_train.py (not a test module itself): N workers
training on shards against one process on the whole batch, uneven inputs under
``Trainer.join()``, and an extra step on rank 0.

    python -m mxtorch.launch -n 3 python tests/dist_train_worker.py OUTDIR

Results go to OUTDIR/rank<R>.json.
"""
import os
import sys
import time

import numpy as np

import mxnet as mx  # the launcher redirects it to mxtorch

from dist_kv_worker import _write

STEPS = 50
BATCH = 12
OPTIMIZERS = {'sgd': {'learning_rate': 0.05, 'momentum': 0.9},
              'adam': {'learning_rate': 0.01}}


def _data(steps, seed=3):
    rs = np.random.RandomState(seed)
    return (rs.randn(steps, BATCH, 5).astype('float32'),
            rs.randn(steps, BATCH, 2).astype('float32'))


def _net(seed):
    mx.random.seed(seed)
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Dense(4, in_units=5, activation='tanh'),
            mx.gluon.nn.Dense(2, in_units=4))
    net.initialize(mx.init.Normal(0.5))
    return net


def _params(net):
    # keyed by position: the names of each new net carry a fresh prefix counter
    return {i: v.data().asnumpy() for i, v in enumerate(net.collect_params().values())}


def _train(net, trainer, rows, local_batch, steps):
    """`rows(step)` gives the (lo, hi) rows of the batch this process trains on, or None
    when it has no batch at that step (it then leaves the loop: uneven inputs)."""
    x, y = _data(steps)
    loss_fn = mx.gluon.loss.L2Loss()
    for step in range(steps):
        span = rows(step)
        if span is None:
            break
        parts = span if isinstance(span, list) else [span]
        xs = np.concatenate([x[step, a:b] for a, b in parts])
        ys = np.concatenate([y[step, a:b] for a, b in parts])
        with mx.autograd.record():
            loss = loss_fn(net(mx.nd.array(xs)), mx.nd.array(ys))
        loss.backward()
        trainer.step(local_batch)
    return _params(net)


def _diff(got, want):
    return max(float(np.abs(got[k] - want[k]).max()) for k in got)


def even(r, n):
    """50 steps on shards == one process on the whole batch (step(local_batch) in both)."""
    local, out = BATCH // n, {}
    for name, params in OPTIMIZERS.items():
        ref = _net(0)
        want = _train(ref, mx.gluon.Trainer(ref.collect_params(), name, params, kvstore=None),
                      lambda s: (0, BATCH), local, STEPS)
        os.environ['MXNET_KVSTORE_OVERLAP'] = '1'  # opt-in
        for uok in (True, None, False):
            net = _net(0)
            trainer = mx.gluon.Trainer(net.collect_params(), name, params,
                                       kvstore='dist_sync', update_on_kvstore=uok)
            got = _train(net, trainer, lambda s: (r * local, (r + 1) * local), local, STEPS)
            out['even_%s_%s' % (name, uok)] = {
                'maxdiff': _diff(got, want), 'first': float(got[0].ravel()[0])}
            overlap = trainer._kvstore._overlap
            out['overlapped_%s_%s' % (name, uok)] = overlap.taken if overlap else 0
        # the same with the overlap switched off
        os.environ['MXNET_KVSTORE_OVERLAP'] = '0'
        net = _net(0)
        trainer = mx.gluon.Trainer(net.collect_params(), name, params, kvstore='dist_sync')
        got = _train(net, trainer, lambda s: (r * local, (r + 1) * local), local, STEPS)
        del os.environ['MXNET_KVSTORE_OVERLAP']
        out['even_%s_nooverlap' % name] = {
            'maxdiff': _diff(got, want), 'first': float(got[0].ravel()[0])}
        out['overlapped_%s_off' % name] = trainer._kvstore._overlap is not None
    return out


def overlap_clip(r, n):
    """Overlap on, clip_global_norm between backward and step on rank 0 only (every other
    step): the changed bucket is reduced again on every worker, so the parameters equal
    the same training with the overlap off."""
    local, got, out = BATCH // n, {}, {}
    x, y = _data(STEPS)
    loss_fn = mx.gluon.loss.L2Loss()
    for flag in ('1', '0'):
        os.environ['MXNET_KVSTORE_OVERLAP'] = flag
        net = _net(0)
        trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', OPTIMIZERS['sgd'],
                                   kvstore='dist_sync')
        for step in range(20):
            with mx.autograd.record():
                loss = loss_fn(net(mx.nd.array(x[step, r * local:(r + 1) * local])),
                               mx.nd.array(y[step, r * local:(r + 1) * local]))
            loss.backward()
            if r == 0 and step % 2 == 0:
                mx.gluon.utils.clip_global_norm(
                    [p.grad() for p in net.collect_params().values()], 0.01)
            trainer.step(local)
        got[flag] = _params(net)
        overlap = trainer._kvstore._overlap
        if flag == '1':
            out = {'taken': overlap.taken, 'rereduced': overlap.rereduced}
    del os.environ['MXNET_KVSTORE_OVERLAP']
    out['maxdiff'] = _diff(got['1'], got['0'])
    return {'overlap_clip': out}


def uneven(r, n):
    """Rank r has STEPS_U - r batches; under trainer.join() the ones that ran out add zero
    gradients: equal to one process on the shards of the ranks that still have data."""
    steps, local, out = 12, BATCH // n, {}
    mine = steps - r
    for name, params in OPTIMIZERS.items():
        ref = _net(0)
        want = _train(ref, mx.gluon.Trainer(ref.collect_params(), name, params, kvstore=None),
                      lambda s: [(q * local, (q + 1) * local) for q in range(n)
                                 if s < steps - q], local, steps)
        for uok in (True, None, False):
            net = _net(0)
            trainer = mx.gluon.Trainer(net.collect_params(), name, params,
                                       kvstore='dist_sync', update_on_kvstore=uok)
            with trainer.join():
                _train(net, trainer, lambda s: (r * local, (r + 1) * local)
                       if s < mine else None, local, steps)
            got = _params(net)  # the others' last steps were taken when the block ended
            out['join_%s_%s' % (name, uok)] = {
                'maxdiff': _diff(got, want), 'first': float(got[0].ravel()[0])}
    return out


def zero_batch(r, n):
    """Rank r has max(0, 4 - 2r) batches: the last rank has none at all (it leaves join()
    before its first step and follows the others' steps with zero gradients and their
    gradient scale); equal to one process on the shards that still have data."""
    local, out = BATCH // n, {}
    mine = max(0, 4 - 2 * r)
    for name, uok in (('sgd', None), ('adam', False)):
        params = OPTIMIZERS[name]
        ref = _net(0)
        want = _train(ref, mx.gluon.Trainer(ref.collect_params(), name, params, kvstore=None),
                      lambda s: [(q * local, (q + 1) * local) for q in range(n)
                                 if s < max(0, 4 - 2 * q)], local, 4)
        # the rank without batches starts elsewhere: it must take rank 0's initial weights
        net = _net(1 if mine == 0 else 0)
        trainer = mx.gluon.Trainer(net.collect_params(), name, params,
                                   kvstore='dist_sync', update_on_kvstore=uok)
        with trainer.join():
            _train(net, trainer, lambda s: (r * local, (r + 1) * local)
                   if s < mine else None, local, 4)
        out['zero_batch_%s_%s' % (name, uok)] = _diff(_params(net), want)
    return out


def kv_join(r, n):
    """Store-level join(): rank r pushes n - r times; the ones that left add zeros."""
    kv = mx.kv.create('dist_sync')
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0))
    kv.init('j', mx.nd.zeros((3,)))
    with kv.join():
        for _ in range(n - r):
            kv.push('j', mx.nd.ones((3,)))
    w = mx.nd.zeros((3,))
    kv.pull('j', out=w)
    return {'kv_join': w.asnumpy().tolist()}


def kv_join_init_barrier(r, n):
    """Inside join(), workers still in the block init keys, barrier and push keys the
    ones that left never pushed; the ones that left store the keys and add zeros."""
    kv = mx.kv.create('dist_sync')
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0))
    kv.init('a', mx.nd.zeros((3,)))
    with kv.join():
        for _ in range(n - r):  # rank r leaves after n - r pushes
            kv.push('a', mx.nd.ones((3,)))
        if r == 0:  # alone in the block
            kv.init('late', mx.nd.ones((2, 2)) * 7)
            kv.barrier()
            kv.push('late', mx.nd.ones((2, 2)))
            kv.push('a', mx.nd.ones((3,)))
    with kv.join():  # now rank 0 leaves first: rank 1's values initialise the new key
        if r > 0:
            kv.init('late2', mx.nd.ones((4,)) * 10 * r)
            kv.push('late2', mx.nd.ones((4,)))
            kv._barrier()
    out = {}
    for key, shape in (('a', (3,)), ('late', (2, 2)), ('late2', (4,))):
        got = mx.nd.zeros(shape)
        kv.pull(key, out=got)
        out[key] = got.asnumpy().ravel().tolist()
    return {'kv_join_init_barrier': out}


def module(r, n):
    """Module with Adam on dist_sync (rescale_grad 1/(batch x workers))."""
    def run(kvstore, lo, hi, seed):
        data = mx.sym.Variable('data')
        fc = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
        sym = mx.sym.LinearRegressionOutput(fc, mx.sym.Variable('label'), name='out')
        mod = mx.mod.Module(sym, data_names=['data'], label_names=['label'])
        mod.bind(data_shapes=[('data', (hi - lo, 5))], label_shapes=[('label', (hi - lo, 2))])
        rs = np.random.RandomState(seed)
        mod.init_params(arg_params={'fc_weight': mx.nd.array(rs.randn(2, 5)),
                                    'fc_bias': mx.nd.array(rs.randn(2))})
        mod.init_optimizer(kvstore=kvstore, optimizer='adam',
                           optimizer_params={'learning_rate': 0.01})
        x, y = _data(STEPS, seed=4)
        for step in range(STEPS):
            mod.forward_backward(mx.io.DataBatch([mx.nd.array(x[step, lo:hi])],
                                                 [mx.nd.array(y[step, lo:hi])]))
            mod.update()
        return {k: v.asnumpy() for k, v in mod.get_params()[0].items()}
    local = BATCH // n
    want = run('local', 0, BATCH, 0)
    got = run('dist_sync', r * local, (r + 1) * local, r)
    return {'module_adam': {'maxdiff': _diff(got, want),
                            'first': float(got['fc_weight'].ravel()[0])}}


def async_store(r, n):
    """dist_async: K unit pushes from each of N workers with SGD (lr 1) end at -N*K; a pull
    sees at least this worker's own pushes."""
    kv = mx.kv.create('dist_async')
    out = {'async_type': kv.type, 'async_rank': [kv.rank, kv.num_workers]}
    kv.init(100, mx.nd.zeros((5,)))
    try:
        kv.push(100, mx.nd.ones((5,)))
        out['async_no_optimizer'] = 'no error'
    except mx.base.MXNetError as err:
        out['async_no_optimizer'] = str(err)
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0))
    k = 10
    for _ in range(k):
        kv.push(100, mx.nd.ones((5,)))
    mid = mx.nd.zeros((5,))
    kv.pull(100, out=mid)
    out['async_mid'] = float(mid.asnumpy()[0])
    kv._barrier()
    kv.pull(100, out=mid)
    out['async_end'] = mid.asnumpy().tolist()
    try:
        mx.gluon.Trainer(_net(0).collect_params(), 'sgd', kvstore=kv,
                         update_on_kvstore=False).step(1)
        out['async_uok_false'] = 'no error'
    except ValueError as err:
        out['async_uok_false'] = str(err)
    net = _net(r)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.01},
                               kvstore=kv)
    _train(net, trainer, lambda s: (r * 4, r * 4 + 4), 4, 5)
    kv._barrier()
    out['async_trainer_uok'] = trainer._update_on_kvstore
    return out


def extra_step(r, n, out_dir, res):
    """Rank 0 runs one pushpull more than the others, which finish and exit."""
    kv = mx.kv.create('dist_sync')
    kv.init('last_w', mx.nd.ones((4,)))
    kv.pushpull('last_w', mx.nd.ones((4,)))
    if r != 0:
        return
    time.sleep(1.0)  # the others exit meanwhile
    start = time.time()
    try:
        kv.pushpull('last_w', mx.nd.ones((4,)))
        res['extra'] = {'error': None}
    except mx.base.MXNetError as err:
        res['extra'] = {'error': str(err), 'seconds': time.time() - start}


def main():
    out_dir = sys.argv[1]
    kv = mx.kv.create('dist_sync')
    r, n = kv.rank, kv.num_workers
    res = {'n': n}
    started = time.time()
    res.update(even(r, n))
    res.update(overlap_clip(r, n))
    res.update(uneven(r, n))
    res.update(zero_batch(r, n))
    res.update(kv_join(r, n))
    res.update(kv_join_init_barrier(r, n))
    res.update(module(r, n))
    res['seconds'] = time.time() - started
    extra_step(r, n, out_dir, res)
    _write(out_dir, r, res)


if __name__ == '__main__':
    main()
