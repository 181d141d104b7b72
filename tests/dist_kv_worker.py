"""Worker program for tests/test_dist_kvstore.py (not a test module itself).

Run as one of N workers (env from ``python -m mxtorch.launch`` or ``launch.worker_env``)::

    python tests/dist_kv_worker.py SCENARIO OUTDIR

Scenarios: ``semantics`` (kvstore calls, Gluon Trainer and Module against one-process
references), ``die`` (rank 1 exits, rank 0 must raise), ``timeout`` (rank 0 runs an extra
collective and must raise within MXNET_KVSTORE_TIMEOUT). Results go to OUTDIR/rank<R>.json.
"""
import json
import os
import sys
import time
import traceback
import warnings

import numpy as np

import mxnet as mx  # the launcher redirects it to mxtorch

STEPS = 20
BATCH = 12  # the whole batch; each of N workers gets BATCH // N rows


def _np(a):
    return a.asnumpy().tolist()


def kv_semantics(kv, r, n):
    out = {}
    kv.init(3, mx.nd.ones((2, 3)) * (r + 1))  # rank 0's value wins
    got = mx.nd.zeros((2, 3))
    kv.pull(3, out=got)
    out['init_rank0'] = _np(got)
    try:
        kv.init(3, mx.nd.ones((2, 3)))
        out['reinit'] = 'no error'
    except mx.base.MXNetError as err:
        out['reinit'] = str(err)
    pushed = mx.nd.ones((2, 3)) * (r + 1)
    kv.push(3, [pushed, pushed * 10])  # (r+1)*11 per worker, summed across workers
    kv.pull(3, out=got)
    out['push_sum'] = _np(got)
    out['pushed_untouched'] = _np(pushed)
    keys = list(range(100, 140))
    kv.init(keys, [mx.nd.zeros((5,)) for _ in keys])
    vals = [mx.nd.ones((5,)) * (k + r) for k in keys]
    kv.pushpull(keys, vals)
    out['pushpull_many'] = [v.asnumpy()[0].item() for v in vals]
    # the batched path (rank 0: one array per key) meets the general path (rank 1: two
    # arrays per key) in the same buckets: float32 and float64 keys interleaved
    mixed = list(range(300, 310))
    kv.init(mixed, [mx.nd.zeros((3,), dtype='float64' if k % 2 else 'float32')
                    for k in mixed])
    grads = [mx.nd.ones((3,), dtype='float64' if k % 2 else 'float32') * k for k in mixed]
    outs = [mx.nd.zeros((3,), dtype='float64' if k % 2 else 'float32') for k in mixed]
    kv.pushpull(mixed, [[g] if r == 0 else [g / 2, g / 2] for g in grads], out=outs)
    out['mixed_paths'] = [o.asnumpy().tolist() for o in outs]
    kv.init(200, mx.nd.zeros((3,), dtype='float64'))
    v64 = mx.nd.array([1, 2, 3], dtype='float64') * (r + 1)
    res = mx.nd.zeros((3,), dtype='float64')
    kv.pushpull(200, v64, out=res)
    out['pushpull_f64'] = _np(res)
    outs = [mx.nd.zeros((4,)), mx.nd.zeros((4,))]
    kv.broadcast(201, mx.nd.arange(4) + r * 100, out=outs)
    out['broadcast'] = [_np(o) for o in outs]
    try:
        kv.push(7, mx.nd.ones(1))
        out['uninit'] = 'no error'
    except mx.base.MXNetError as err:
        out['uninit'] = str(err)
    kv.init(202, mx.nd.zeros((4, 2)).tostype('row_sparse'))
    kv.push(202, mx.nd.array([[r + 1, 1]] * 4).tostype('row_sparse'))
    rs = mx.nd.zeros((4, 2)).tostype('row_sparse')
    kv.row_sparse_pull(202, out=rs, row_ids=mx.nd.array([1, 3]))
    out['row_sparse_pull'] = _np(rs.tostype('default'))
    out.update(rank=kv.rank, num_workers=kv.num_workers, type=kv.type,
               capable=kv.is_capable('optimizer'))
    kv._barrier()
    return out


def kv_optimizer(r, out_dir):
    kv = mx.kv.create('dist_device_sync')
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv.init(0, mx.nd.ones((3,)))
    for _ in range(3):
        kv.push(0, mx.nd.ones((3,)) * (r + 1))
    w = mx.nd.zeros((3,))
    kv.pull(0, out=w)
    fname = os.path.join(out_dir, 'states-%d' % os.getpid())
    kv.save_optimizer_states(fname)
    kv._barrier()
    return {'sgd_weight': _np(w), 'states_written': os.path.exists(fname)}


def _data(seed=0):
    rs = np.random.RandomState(seed)
    x = rs.randn(STEPS, BATCH, 4).astype('float32')
    y = rs.randn(STEPS, BATCH, 2).astype('float32')
    return x, y


def _net(seed):
    mx.random.seed(seed)
    net = mx.gluon.nn.Dense(2, in_units=4)
    net.initialize(mx.init.Normal(0.5))
    return net


def _train_gluon(net, kvstore, update_on_kvstore, lo, hi, local_batch):
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.05, 'momentum': 0.9},
                               kvstore=kvstore, update_on_kvstore=update_on_kvstore)
    loss_fn = mx.gluon.loss.L2Loss()
    x, y = _data()
    for step in range(STEPS):
        with mx.autograd.record():
            loss = loss_fn(net(mx.nd.array(x[step, lo:hi])), mx.nd.array(y[step, lo:hi]))
        loss.backward()
        trainer.step(local_batch)
    return {k.split('_', 1)[1]: v.data().asnumpy() for k, v in net.collect_params().items()}


def gluon_check(r, n):
    out = {}
    local = BATCH // n
    for uok in (None, False, 'seeded'):
        # 'seeded': different initial weights per rank; rank 0's are broadcast at the first
        # step, after the first gradients were computed (as in MXNet): ranks agree, the
        # one-process reference differs
        net = _net(seed=r if uok == 'seeded' else 0)
        ref = _net(seed=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            got = _train_gluon(net, 'dist_sync', None if uok == 'seeded' else uok,
                               r * local, (r + 1) * local, local)
        out['warned_%s' % uok] = any('differs from rank 0' in str(w.message) for w in caught)
        want = _train_gluon(ref, None, None, 0, BATCH, local)
        diff = max(float(np.abs(got[k] - want[k]).max()) for k in got)
        out['gluon_%s' % uok] = {'maxdiff': diff,
                                 'params': {k: v.tolist() for k, v in got.items()}}
    return out


def _module(kvstore, lo, hi, seed):
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
    sym = mx.sym.LinearRegressionOutput(fc, mx.sym.Variable('label'), name='out')
    mod = mx.mod.Module(sym, data_names=['data'], label_names=['label'])
    mod.bind(data_shapes=[('data', (hi - lo, 4))], label_shapes=[('label', (hi - lo, 2))])
    rs = np.random.RandomState(seed)
    mod.init_params(arg_params={'fc_weight': mx.nd.array(rs.randn(2, 4)),
                                'fc_bias': mx.nd.array(rs.randn(2))})
    mod.init_optimizer(kvstore=kvstore, optimizer='sgd',
                       optimizer_params={'learning_rate': 0.05, 'momentum': 0.9})
    x, y = _data(1)
    for step in range(STEPS):
        mod.forward_backward(mx.io.DataBatch([mx.nd.array(x[step, lo:hi])],
                                             [mx.nd.array(y[step, lo:hi])]))
        mod.update()
    return {k: v.asnumpy() for k, v in mod.get_params()[0].items()}


def module_check(r, n):
    local = BATCH // n
    out = {}
    want = _module('local', 0, BATCH, seed=0)
    for case, flag in (('module', '1'), ('module_local_update', '0')):
        os.environ['MXNET_UPDATE_ON_KVSTORE'] = flag
        try:  # different initial weights per rank: rank 0's are pulled at init_optimizer
            got = _module('dist_sync', r * local, (r + 1) * local, seed=r)
        finally:
            del os.environ['MXNET_UPDATE_ON_KVSTORE']
        diff = max(float(np.abs(got[k] - want[k]).max()) for k in got)
        out[case] = {'maxdiff': diff, 'params': {k: v.tolist() for k, v in got.items()}}
    return out


def _train_two_contexts(net, lo, hi, local_batch):
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net.collect_params().reset_ctx(ctxs)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.05, 'momentum': 0.9}, kvstore='dist_sync')
    loss_fn = mx.gluon.loss.L2Loss()
    x, y = _data()
    half = (hi - lo) // 2
    for step in range(STEPS):
        with mx.autograd.record():
            losses = [loss_fn(net(mx.nd.array(x[step, a:b], ctx=c)),
                              mx.nd.array(y[step, a:b], ctx=c))
                      for c, (a, b) in zip(ctxs, ((lo, lo + half), (lo + half, hi)))]
        mx.autograd.backward(losses)
        trainer.step(local_batch)
    return {k.split('_', 1)[1]: v.data(ctxs[1]).asnumpy()
            for k, v in net.collect_params().items()}


def gluon_two_contexts(r, n):
    local = BATCH // n
    got = _train_two_contexts(_net(seed=0), r * local, (r + 1) * local, local)
    want = _train_gluon(_net(seed=0), None, None, 0, BATCH, local)
    diff = max(float(np.abs(got[k] - want[k]).max()) for k in got)
    return {'gluon_2ctx': {'maxdiff': diff, 'params': {k: v.tolist() for k, v in got.items()}}}


def _gluon_fixed(kvstore, lo, hi, local_batch):
    rs = np.random.RandomState(5)
    net = mx.gluon.nn.Dense(2, in_units=4)
    net.initialize()
    net.weight.set_data(mx.nd.array(rs.randn(2, 4)))
    net.bias.set_data(mx.nd.array(rs.randn(2)))
    return _train_gluon(net, kvstore, None, lo, hi, local_batch)


def oracle(out_dir):
    """A case compared with real MXNet 1.9.1 dist_sync (tools/gen_dist_fixture.py): env
    ORACLE_CASE=gluon or module (one dist store per process, as ps-lite needs)."""
    kv = mx.kv.create('dist_sync')
    r, n = kv.rank, kv.num_workers
    local = BATCH // n
    case = os.environ.get('ORACLE_CASE', 'gluon')
    if case == 'kv_2bit':
        return _kv_2bit(kv, r)
    if case == 'gluon':
        got = _gluon_fixed(kv, r * local, (r + 1) * local, local)
    else:
        got = _module(kv, r * local, (r + 1) * local, seed=r)
    return {k: v.tolist() for k, v in got.items()}


def _kv_2bit(kv, r):
    """2bit compression with residuals: the stored sums of 4 rounds of pushes."""
    kv.set_gradient_compression({'type': '2bit', 'threshold': 0.5})
    kv.init(0, mx.nd.zeros((7,)))
    base = np.array([0.3, -0.6, 0.9, 0.2, -0.2, 1.6, -1.1], dtype='float32')
    out, got = {}, mx.nd.zeros((7,))
    for step in range(4):
        kv.push(0, mx.nd.array(base * (r + 1) * (1 + 0.25 * step)))
        kv.pull(0, out=got)
        out['round%d' % step] = got.asnumpy().tolist()
    return out


def wire_bytes(r):
    """Bytes this worker sends for a 2bit-compressed push of 4,000 floats (Trainer too)."""
    kv = mx.kv.create('dist_sync')
    kv.set_gradient_compression({'type': '2bit', 'threshold': 0.5})
    kv.init(0, mx.nd.zeros((4000,)))
    kv.push(0, mx.nd.ones((4000,)) * (r + 1))
    sent = kv._wire.bytes_sent
    net = _net(seed=0)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1},
                               kvstore='dist_sync',
                               compression_params={'type': '2bit', 'threshold': 0.01})
    got = _train_gluon_with(net, trainer, r)
    return {'wire_bytes': sent, 'gluon_2bit': {k: v.tolist() for k, v in got.items()}}


def _train_gluon_with(net, trainer, r):
    loss_fn = mx.gluon.loss.L2Loss()
    x, y = _data()
    local = BATCH // 2  # this scenario runs on 2 workers
    for step in range(5):
        with mx.autograd.record():
            loss = loss_fn(net(mx.nd.array(x[step, r * local:(r + 1) * local])),
                           mx.nd.array(y[step, r * local:(r + 1) * local]))
        loss.backward()
        trainer.step(local)
    return {k.split('_', 1)[1]: v.data().asnumpy() for k, v in net.collect_params().items()}


def semantics(out_dir):
    kv = mx.kv.create('dist_sync')
    r, n = kv.rank, kv.num_workers
    res = kv_semantics(kv, r, n)
    res.update(kv_optimizer(r, out_dir))
    res.update(gluon_check(r, n))
    res.update(module_check(r, n))
    res.update(gluon_two_contexts(r, n))
    for case in ('gluon', 'module', 'kv_2bit'):
        os.environ['ORACLE_CASE'] = case
        res['oracle_' + case] = oracle(out_dir)
    res.update(wire_bytes(r))
    return res


def die(out_dir):
    kv = mx.kv.create('dist_sync')
    kv.init(0, mx.nd.ones((4,)))
    if kv.rank == 1:
        os._exit(3)
    start = time.time()
    try:
        for _ in range(100):
            kv.pushpull(0, mx.nd.ones((4,)))
            time.sleep(0.05)
        return {'error': None}
    except mx.base.MXNetError as err:
        return {'error': str(err), 'type': type(err).__name__, 'seconds': time.time() - start}


def timeout(out_dir):
    kv = mx.kv.create('dist_sync')
    kv.init('w', mx.nd.ones((4,)))
    if kv.rank == 1:
        time.sleep(float(os.environ.get('WORKER1_SLEEP', '6')))
        os._exit(3)
    start = time.time()
    try:
        kv.pushpull('w', mx.nd.ones((4,)))  # rank 1 never joins this round
        res = {'error': None}
    except mx.base.MXNetError as err:
        res = {'error': str(err), 'seconds': time.time() - start}
    _write(out_dir, 0, res)
    time.sleep(60)  # the launcher must kill this process when rank 1 fails
    res['survived'] = True
    return res


def join_mismatch(out_dir):
    """Inside join() rank 0 pushes while rank 1 calls barrier: both raise at once."""
    kv = mx.kv.create('dist_sync')
    kv.init('w', mx.nd.ones((4,)))
    start = time.time()
    try:
        with kv.join():
            if kv.rank == 0:
                kv.push('w', mx.nd.ones((4,)))
            else:
                kv.barrier()
        return {'error': None}
    except mx.base.MXNetError as err:
        return {'error': str(err), 'type': type(err).__name__, 'seconds': time.time() - start}


def _write(out_dir, rank, res):
    path = os.path.join(out_dir, 'rank%d.json' % rank)
    with open(path + '.tmp', 'w') as f:
        json.dump(res, f)
    os.replace(path + '.tmp', path)


def main():
    scenario, out_dir = sys.argv[1], sys.argv[2]
    rank = int(os.environ.get('RANK', '0'))
    try:
        res = globals()[scenario](out_dir)
    except Exception:  # report, then fail the worker
        _write(out_dir, rank, {'crash': traceback.format_exc()})
        raise
    _write(out_dir, rank, res)


if __name__ == '__main__':
    main()
