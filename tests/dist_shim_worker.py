"""Worker program for tests/test_dist_shims.py (not a test module itself): the Horovod and
BytePS shims under ``python -m mxtorch.launch -n N``.

    python -m mxtorch.launch -n 2 python tests/dist_shim_worker.py OUTDIR

Results go to OUTDIR/rank<R>.json.
"""
import sys
import warnings

import numpy as np

import horovod.mxnet as hvd  # before mxnet on purpose: the launcher's stand-in installs it
import mxnet as mx
import byteps.mxnet as bps

from dist_kv_worker import BATCH, STEPS, _data, _module, _np, _write



def api(r, n):
    out = {}
    x = mx.nd.array([1.0, 2.0, 3.0]) * (r + 1)
    out['avg'] = _np(hvd.allreduce(x))
    out['sum'] = _np(hvd.allreduce(x, op=hvd.Sum, name='x'))
    out['scaled'] = _np(hvd.allreduce(x, average=False, prescale_factor=2.0,
                                      postscale_factor=0.5))
    out['x_untouched'] = _np(x)
    hvd.allreduce_(x, average=False)
    out['inplace'] = _np(x)
    ints = mx.nd.array([r + 1, 7], dtype='int32')
    out['int_avg'] = _np(hvd.allreduce(ints))
    group = [mx.nd.ones((2,)) * r, mx.nd.ones((3,), dtype='float64') * (r + 2)]
    out['grouped'] = [_np(g) for g in hvd.grouped_allreduce(group, op=hvd.Sum)]
    hvd.grouped_allreduce_(group)
    out['grouped_'] = [_np(g) for g in group]
    y = mx.nd.arange(3) + 10 * r
    out['bcast'] = _np(hvd.broadcast(y, root_rank=n - 1))
    out['y_untouched'] = _np(y)
    hvd.broadcast_(y, 0)
    out['bcast_'] = _np(y)
    out['gather'] = _np(hvd.allgather(mx.nd.ones((r + 1, 2)) * r))
    out['object'] = hvd.broadcast_object({'from': r, 'list': [r]}, root_rank=n - 1)
    out['objects'] = hvd.allgather_object(r * 10)
    out['ids'] = [hvd.rank(), hvd.size(), hvd.local_rank(), hvd.local_size(),
                  bps.rank(), bps.size()]
    z = mx.nd.ones((2,)) * (r + 1)
    bps.byteps_push_pull(z, name='z')
    out['push_pull'] = _np(z)
    for bad in ({'average': True, 'op': hvd.Sum}, {'op': hvd.Adasum}):
        try:
            hvd.allreduce(x, **bad)
            out.setdefault('bad', []).append('no error')
        except (ValueError, NotImplementedError) as err:
            out.setdefault('bad', []).append(type(err).__name__)
    return out


def _net(seed, deferred=False):
    mx.random.seed(seed)
    net = mx.gluon.nn.Dense(2, in_units=0 if deferred else 4)
    net.initialize(mx.init.Normal(0.5))
    return net


def _train(net, make_trainer, lo, hi, batch_arg, first=None):
    x, y = _data()
    loss_fn = mx.gluon.loss.L2Loss()
    trainer = None
    for step in range(STEPS):
        with mx.autograd.record():
            loss = loss_fn(net(mx.nd.array(x[step, lo:hi])), mx.nd.array(y[step, lo:hi]))
        loss.backward()
        if trainer is None:
            if first is not None:
                first(net)
            trainer = make_trainer(net.collect_params())
        trainer.step(batch_arg)
    return {k.split('_', 1)[1]: v.data().asnumpy() for k, v in net.collect_params().items()}


def _compare(got, want):
    return {'maxdiff': max(float(np.abs(got[k] - want[k]).max()) for k in got),
            'params': {k: v.tolist() for k, v in got.items()}}


def trainers(r, n):
    local, out = BATCH // n, {}
    sgd = {'learning_rate': 0.05, 'momentum': 0.9}
    want = _train(_net(0), lambda p: mx.gluon.Trainer(p, 'sgd', sgd, kvstore=None),
                  0, BATCH, BATCH)
    lo, hi = r * local, (r + 1) * local
    cases = {
        # different initial weights per rank: broadcast_parameters (deferred: after init)
        'hvd_trainer': (lambda p: hvd.DistributedTrainer(p, 'sgd', sgd), True),
        'hvd_fp16': (lambda p: hvd.DistributedTrainer(
            p, 'sgd', sgd, compression=hvd.Compression.fp16), True),
        'hvd_optimizer': (lambda p: mx.gluon.Trainer(p, hvd.DistributedOptimizer(
            mx.optimizer.SGD(**sgd)), kvstore=None), True),
        'bps_trainer': (lambda p: bps.DistributedTrainer(p, 'sgd', sgd), False),
        # rank 0's weights replace the others' at the first step (after the first backward)
        'bps_seeded': (lambda p: bps.DistributedTrainer(p, 'sgd', sgd), False),
    }
    for case, (make, broadcast) in cases.items():
        net = _net(seed=r if case != 'bps_trainer' else 0, deferred=broadcast)
        if broadcast:
            hvd.broadcast_parameters(net.collect_params())
        got = _train(net, make, lo, hi, local)
        out[case] = _compare(got, want)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        hvd.DistributedTrainer(_net(0).collect_params(),
                               hvd.DistributedOptimizer(mx.optimizer.SGD()))
    out['unwrapped_warning'] = any('unwrapped' in str(w.message) for w in caught)
    return out


def _hvd_module(lo, hi, seed):
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
    sym = mx.sym.LinearRegressionOutput(fc, mx.sym.Variable('label'), name='out')
    mod = mx.mod.Module(sym, data_names=['data'], label_names=['label'])
    mod.bind(data_shapes=[('data', (hi - lo, 4))], label_shapes=[('label', (hi - lo, 2))])
    rs = np.random.RandomState(seed)
    mod.init_params(arg_params={'fc_weight': mx.nd.array(rs.randn(2, 4)),
                                'fc_bias': mx.nd.array(rs.randn(2))})
    arg, aux = mod.get_params()
    hvd.broadcast_parameters(arg, root_rank=0)
    mod.set_params(arg, aux)
    opt = hvd.DistributedOptimizer(mx.optimizer.SGD(learning_rate=0.05, momentum=0.9,
                                                    rescale_grad=1.0 / (hi - lo)))
    mod.init_optimizer(kvstore=None, optimizer=opt)
    x, y = _data(1)
    for step in range(STEPS):
        mod.forward_backward(mx.io.DataBatch([mx.nd.array(x[step, lo:hi])],
                                             [mx.nd.array(y[step, lo:hi])]))
        mod.update()
    return {k: v.asnumpy() for k, v in mod.get_params()[0].items()}


def module(r, n):
    local = BATCH // n
    want = _module('local', 0, BATCH, seed=0)
    got = _hvd_module(r * local, (r + 1) * local, seed=r)
    return {'hvd_module': _compare(got, want)}


def main():
    out_dir = sys.argv[1]
    hvd.init()
    bps.init()
    r, n = hvd.rank(), hvd.size()
    res = {'n': n}
    res.update(api(r, n))
    res.update(trainers(r, n))
    res.update(module(r, n))
    # dist_async last: its RPC server keeps the processes waiting for each other at exit
    from dist_train_worker import async_store
    res.update(async_store(r, n))
    _write(out_dir, r, res)


if __name__ == '__main__':
    main()
