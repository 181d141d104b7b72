"""Estimator scenarios run by both real MXNet 1.9.1 and mxtorch.

``run_scenario(mx, name, workdir)`` trains a small deterministic network with
``gluon.contrib.estimator`` and returns plain Python data: the estimator's log lines (times
and paths masked), the warnings the estimator package raised, the files left in the
checkpoint directory, the final parameter values, the metric values and the values inside
the saved ``.params`` files. ``tools/gen_estimator_fixtures.py`` runs it in the oracle
(writing ``tests/fixtures/gluon_estimator.json``) and ``tests/test_gluon_estimator.py`` in
mxtorch. Nothing here imports either framework.
"""
import logging
import os
import re
import warnings

import numpy as np

SCENARIOS = ['fit_val_log_interval', 'batches_checkpoint_hybrid', 'early_stop_best',
             'resume_epochs', 'evaluate_only', 'two_devices', 'resume_batches',
             'early_stop_baseline', 'validation_handlers']


class _Collect(logging.Handler):
    def __init__(self, workdir):
        super().__init__()
        self.lines = []
        self.workdir = workdir

    def emit(self, record):
        msg = record.getMessage().replace(self.workdir, '<dir>')
        msg = re.sub(r'\d+\.\d{3}s', '<t>s', msg)
        self.lines.append(re.sub(r'total \d+s', 'total <t>s', msg))


def _data(mx, n, features, classes, seed, batch_size=4):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, (n, features)).astype('float32')
    y = (np.arange(n) % classes).astype('float32') if classes else \
        rng.uniform(-1, 1, (n, 1)).astype('float32')
    dataset = mx.gluon.data.ArrayDataset(mx.nd.array(x), mx.nd.array(y))
    return mx.gluon.data.DataLoader(dataset, batch_size=batch_size, shuffle=False)


def _set_params(mx, net, seed):
    rng = np.random.RandomState(seed)
    for param in net.collect_params().values():
        param.set_data(mx.nd.array(rng.uniform(-0.5, 0.5, param.shape)))


def _dense(mx, units, in_units, seed, ctx=None):
    net = mx.gluon.nn.Dense(units, in_units=in_units)
    net.initialize(ctx=ctx)
    _set_params(mx, net, seed)
    return net


def _mlp(mx, seed):
    net = mx.gluon.nn.HybridSequential()
    with net.name_scope():
        net.add(mx.gluon.nn.Dense(4, in_units=3, activation='relu'))
        net.add(mx.gluon.nn.Dense(1, in_units=4))
    net.initialize()
    _set_params(mx, net, seed)
    net.hybridize()
    return net


def _sgd(mx, net, lr=0.1, momentum=0.9):
    return mx.gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': lr, 'momentum': momentum})


def _fit_val_log_interval(mx, est_mod, workdir):
    net = _dense(mx, 3, 4, seed=1)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, net))
    handler = est_mod.LoggingHandler(log_interval=2, metrics=est.train_metrics)
    return net, est, lambda: est.fit(_data(mx, 12, 4, 3, 2), val_data=_data(mx, 8, 4, 3, 3),
                                     epochs=3, event_handlers=[handler])


def _batches_checkpoint_hybrid(mx, est_mod, workdir):
    net = _mlp(mx, seed=4)
    est = est_mod.Estimator(net, mx.gluon.loss.L2Loss(), train_metrics=mx.metric.MAE())
    val = est_mod.ValidationHandler(_data(mx, 8, 3, 0, 6), est.evaluate, epoch_period=None,
                                    batch_period=2)
    ckpt = est_mod.CheckpointHandler(workdir, 'net', verbose=1, epoch_period=None,
                                     batch_period=2, max_checkpoints=2)
    return net, est, lambda: est.fit(_data(mx, 12, 3, 0, 5), batches=7,
                                     event_handlers=[val, ckpt])


def _early_stop_best(mx, est_mod, workdir):
    net = _dense(mx, 3, 4, seed=7)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, net, lr=0.5))
    stop = est_mod.EarlyStoppingHandler(est.val_metrics[1], min_delta=0.01, patience=1,
                                        mode='min')
    best = est_mod.CheckpointHandler(workdir, monitor=est.val_metrics[0], save_best=True)
    return net, est, lambda: est.fit(_data(mx, 12, 4, 3, 8), val_data=_data(mx, 8, 4, 3, 9),
                                     epochs=10, event_handlers=[stop, best])


def _resume_epochs(mx, est_mod, workdir):
    first = _dense(mx, 2, 3, seed=10)
    est = est_mod.Estimator(first, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, first))
    est.logger.disabled = True
    est.fit(_data(mx, 8, 3, 2, 11), epochs=2,
            event_handlers=[est_mod.CheckpointHandler(workdir, 'clf')])
    net = _dense(mx, 2, 3, seed=12)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, net))
    ckpt = est_mod.CheckpointHandler(workdir, 'clf', resume_from_checkpoint=True)
    return net, est, lambda: est.fit(_data(mx, 8, 3, 2, 11), epochs=4,
                                     event_handlers=[ckpt])


def _evaluate_only(mx, est_mod, workdir):
    net = _dense(mx, 3, 4, seed=13)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            val_metrics=[mx.metric.Accuracy(), mx.metric.TopKAccuracy(2)],
                            trainer=_sgd(mx, net))
    return net, est, lambda: est.evaluate(_data(mx, 10, 4, 3, 14))


def _two_devices(mx, est_mod, workdir):
    ctx = [mx.cpu(0), mx.cpu(1)]
    net = _dense(mx, 3, 4, seed=15, ctx=ctx)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(), context=ctx,
                            trainer=_sgd(mx, net))
    return net, est, lambda: est.fit(_data(mx, 8, 4, 3, 16), epochs=2)


def _resume_batches(mx, est_mod, workdir):
    first = _mlp(mx, seed=17)
    est = est_mod.Estimator(first, mx.gluon.loss.L2Loss(), trainer=_sgd(mx, first, 0.05))
    est.logger.disabled = True
    ckpt = est_mod.CheckpointHandler(workdir, epoch_period=None, batch_period=2)
    est.fit(_data(mx, 12, 3, 0, 18), batches=5, event_handlers=[ckpt])
    net = _mlp(mx, seed=19)
    est = est_mod.Estimator(net, mx.gluon.loss.L2Loss(), trainer=_sgd(mx, net, 0.05))
    ckpt = est_mod.CheckpointHandler(workdir, epoch_period=None, batch_period=2,
                                     resume_from_checkpoint=True, verbose=1)
    return net, est, lambda: est.fit(_data(mx, 12, 3, 0, 18), batches=9,
                                     event_handlers=[ckpt])


def _early_stop_baseline(mx, est_mod, workdir):
    net = _dense(mx, 3, 4, seed=20)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, net, lr=0.05))
    stop = est_mod.EarlyStoppingHandler(est.train_metrics[0], patience=2, mode='max',
                                        baseline=0.9)
    return net, est, lambda: est.fit(_data(mx, 12, 4, 3, 21), epochs=6, event_handlers=[stop])


def _validation_handlers(mx, est_mod, workdir):
    net = _dense(mx, 3, 4, seed=22)
    est = est_mod.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                            trainer=_sgd(mx, net))
    val_log = est_mod.LoggingHandler(log_interval=1, metrics=est.val_metrics)
    val = est_mod.ValidationHandler(_data(mx, 6, 4, 3, 23), est.evaluate, epoch_period=2,
                                    event_handlers=[val_log])
    log = est_mod.LoggingHandler(log_interval=2, metrics=est.train_metrics + est.val_metrics)
    metric = est_mod.MetricHandler(est.train_metrics)
    return net, est, lambda: est.fit(_data(mx, 8, 4, 3, 24), epochs=4,
                                     event_handlers=[val, log, metric])


def _params_in(mx, path):
    return {k: v.asnumpy().tolist() for k, v in sorted(mx.nd.load(path).items())}


def run_scenario(mx, name, workdir):
    """Run scenario ``name`` with framework ``mx``, files under ``workdir`` (must exist)."""
    est_mod = mx.gluon.contrib.estimator
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        net, est, run = globals()['_' + name](mx, est_mod, workdir)
        collect = _Collect(workdir)
        est.logger.disabled = False
        est.logger.handlers = [collect]
        run()
    files = sorted(os.listdir(workdir))
    return {
        'log': collect.lines,
        'warnings': [str(w.message) for w in caught
                     if 'estimator' in w.filename.replace(os.sep, '/')],
        'files': files,
        'params': [p.data().asnumpy().tolist() for p in net.collect_params().values()],
        'train_metrics': [list(m.get()) for m in est.train_metrics],
        'val_metrics': [list(m.get()) for m in est.val_metrics],
        'saved': {f: _params_in(mx, os.path.join(workdir, f))
                  for f in files if f.endswith('.params')},
    }
