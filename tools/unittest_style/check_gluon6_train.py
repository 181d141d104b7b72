"""Round-6 Trainer / estimator / op-hook / gluon.utils.download checks (test_gluon_trainer.py,
test_gluon_estimator.py, test_gluon_event_handler.py, test_gluon.py, test_gluon_utils.py style).

Run through ``tools/unittest_style/run.py --only gluon6`` (real MXNet 1.9.1 and mxtorch).
"""
import io
import logging
import os
import tempfile
import warnings
from unittest import mock

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.base import py_str
from mxnet.gluon import nn
from mxnet.gluon.contrib.estimator import (BatchProcessor, CheckpointHandler,
                                           EarlyStoppingHandler, Estimator,
                                           GradientUpdateHandler, LoggingHandler)
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

TMP = tempfile.mkdtemp()
X = mx.nd.array([[1, 2, 3], [0.5, -1, 2]])


def _net():
    net = nn.Dense(2, in_units=3, prefix="d_")
    net.initialize(mx.init.Constant(0.5))
    return net


def _step(net, trainer, batch_size=2, **kwargs):
    with autograd.record():
        loss = (net(X) ** 2).sum()
    loss.backward()
    trainer.step(batch_size, **kwargs)
    return net.weight.data().asnumpy()


@with_seed()
def test_trainer_learning_rate_setters():
    net = _net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    tr.set_learning_rate(0.05)
    assert tr.learning_rate == 0.05
    _step(net, tr)
    sched = mx.lr_scheduler.FactorScheduler(1, 0.5, base_lr=0.1)
    net = _net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"lr_scheduler": sched})
    _step(net, tr)
    _step(net, tr)
    assert abs(tr.learning_rate - 0.05) < 1e-9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assertRaises(UserWarning, tr.set_learning_rate, 0.3)


@with_seed()
def test_trainer_kvstore_combos_values():
    want = np.array([[0.162, -0.0255, -0.5505]] * 2)
    for kv in (None, "local", "device"):
        for uok in (None, False):
            net = _net()
            tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 0.01},
                               kvstore=kv, update_on_kvstore=uok)
            assert_almost_equal(_step(net, tr), want, rtol=1e-4, atol=1e-5)
        net = _net()
        tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1},
                           kvstore=kv, update_on_kvstore=True)
        assertRaises(Exception, _step, net, tr)
    net = _net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1},
                       update_on_kvstore=False)
    with autograd.record():
        loss = (net(X) ** 2).sum()
    loss.backward()
    tr.allreduce_grads()
    tr.update(2)
    assert_almost_equal(net.weight.data().asnumpy(), np.array([[0.1625, -0.025, -0.55]] * 2),
                        rtol=1e-4, atol=1e-5)


@with_seed()
def test_trainer_states_stale_and_rescale():
    net = _net()
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
    _step(net, tr)
    _step(net, tr)
    f = os.path.join(TMP, "t.states")
    tr.save_states(f)
    w = _step(net, tr)
    net2 = _net()
    tr2 = gluon.Trainer(net2.collect_params(), "adam", {"learning_rate": 0.01})
    _step(net2, tr2)
    _step(net2, tr2)
    tr3 = gluon.Trainer(net2.collect_params(), "adam", {"learning_rate": 0.5})
    tr3.load_states(f)
    assert tr3.learning_rate == 0.01 and tr3.optimizer.num_update == 2
    assert_almost_equal(_step(net2, tr3), w, rtol=1e-5, atol=1e-6)
    seq = nn.HybridSequential(prefix="s_")
    with seq.name_scope():
        seq.add(nn.Dense(2, in_units=3), nn.Dense(1, in_units=2))
    seq.initialize(mx.init.Constant(0.5))
    tr = gluon.Trainer(seq.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        loss = seq[0](X).sum()
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assertRaises(UserWarning, tr.step, 2)
    with autograd.record():
        loss = seq[0](X).sum()
    loss.backward()
    tr.step(2, ignore_stale_grad=True)
    assert_almost_equal(seq[0].weight.data().asnumpy(), np.array([[0.425, 0.45, 0.25]] * 2))
    assert_almost_equal(seq[1].weight.data().asnumpy(), np.array([[0.5, 0.5]]))
    net = _net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "rescale_grad": 2.0})
    _step(net, tr, batch_size=4)
    assert tr.optimizer.rescale_grad == 0.25 * 2 or tr.optimizer.rescale_grad == 0.5


def _estimator(**kwargs):
    x = np.linspace(-1, 1, 40).reshape(20, 2).astype("float32")
    y = (x.sum(1, keepdims=True) * 2).astype("float32")
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=5)
    net = nn.Dense(1, in_units=2, prefix="e_")
    net.initialize(mx.init.Constant(0.1))
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    est = Estimator(net, gluon.loss.L2Loss(), train_metrics=mx.metric.MSE(), trainer=tr, **kwargs)
    return net, est, loader


def _log_lines(est, fn):
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    est.logger.addHandler(handler)
    try:
        fn()
    finally:
        est.logger.removeHandler(handler)
    return buf.getvalue().splitlines()


@with_seed()
def test_estimator_fit_with_validation():
    net, est, loader = _estimator()
    lines = _log_lines(est, lambda: est.fit(loader, val_data=loader, epochs=2))
    assert_almost_equal(net.weight.data().asnumpy(), np.array([[0.97703, 0.97993]]), rtol=1e-4,
                        atol=1e-5)
    names = [(m.name, round(m.get()[1], 4)) for m in est.train_metrics + est.val_metrics]
    assert names[0] == ("training mse", 2.5003), names
    assert lines[:3] == ["Training begin: using optimizer SGD with current learning rate 0.1000 ",
                         "Train for 2 epochs.", "[Epoch 0] Begin, current learning rate: 0.1000"]
    assert lines[-1].startswith("Train finished using total") and \
        lines[-1].endswith("with 2 epochs. training mse: 2.5003")
    assert sum(line == "Validation Begin" for line in lines) == 2


@with_seed()
def test_estimator_checkpoint_files():
    net, est, loader = _estimator()
    ck = CheckpointHandler(TMP + "/ck", model_prefix="m", monitor=est.train_metrics[0],
                           save_best=True, epoch_period=1, max_checkpoints=2)
    est.fit(loader, epochs=3, event_handlers=[ck])
    assert sorted(os.listdir(TMP + "/ck")) == [
        "m-best.params", "m-best.states", "m-epoch1batch8.params", "m-epoch1batch8.states",
        "m-epoch2batch12.params", "m-epoch2batch12.states"]
    net, est, loader = _estimator()
    ck = CheckpointHandler(TMP + "/ck2", model_prefix="b", batch_period=2, max_checkpoints=3)
    est.fit(loader, epochs=1, event_handlers=[ck])
    assert sorted(os.listdir(TMP + "/ck2")) == [
        "b-epoch0batch1.params", "b-epoch0batch1.states", "b-epoch0batch3.params",
        "b-epoch0batch3.states", "b-epoch0batch4.params", "b-epoch0batch4.states"]
    net, est, loader = _estimator()
    ck = CheckpointHandler(TMP + "/ck", model_prefix="m", resume_from_checkpoint=True)
    est.fit(loader, epochs=4, event_handlers=[ck])
    assert ck.trained_epoch == 2
    assert "m-epoch3batch16.params" in os.listdir(TMP + "/ck")


@with_seed()
def test_estimator_early_stopping_logging_grad_update():
    net, est, loader = _estimator()
    es = EarlyStoppingHandler(monitor=est.train_metrics[0], min_delta=10.0, patience=1,
                              mode="min")
    est.fit(loader, epochs=10, event_handlers=[es])
    assert (es.current_epoch, es.stopped_epoch, es.wait) == (2, 1, 1)
    net, est, loader = _estimator()
    lines = _log_lines(est, lambda: est.fit(
        loader, epochs=1, event_handlers=[LoggingHandler(log_interval=2,
                                                         metrics=est.train_metrics)]))
    batch_lines = [ln for ln in lines if ln.startswith("[Epoch 0][Batch")]
    assert [ln.split(" time")[0] for ln in batch_lines] == ["[Epoch 0][Batch 0][Samples 5]",
                                                            "[Epoch 0][Batch 2][Samples 15]"]
    assert batch_lines[1].endswith("training mse: 3.6831")
    net, est, loader = _estimator()
    lines = _log_lines(est, lambda: est.fit(loader, batches=3,
                                            event_handlers=[LoggingHandler(log_interval="epoch")]))
    assert lines[1] == "Train for 3 batches." and lines[-1].endswith("with 1 epochs.")
    net, est, loader = _estimator()
    est.fit(loader, epochs=1, event_handlers=[GradientUpdateHandler(priority=-2000)])
    assert_almost_equal(net.weight.data().asnumpy(), np.array([[0.60548, 0.60759]]), rtol=1e-4,
                        atol=1e-5)


@with_seed()
def test_estimator_batch_processor_and_errors():
    class Doubled(BatchProcessor):
        def fit_batch(self, estimator, train_batch, batch_axis=0):
            data, label = train_batch
            with autograd.record():
                pred = estimator.net(data)
                loss = estimator.loss(pred, label) * 2
            loss.backward()
            return data, label, pred, loss

    net, est, loader = _estimator(batch_processor=Doubled())
    est.fit(loader, epochs=1)
    assert_almost_equal(net.weight.data().asnumpy(), np.array([[1.04302, 1.04986]]), rtol=1e-4,
                        atol=1e-5)
    assertRaises(ValueError, Estimator, nn.Dense(1, in_units=2), gluon.loss.L2Loss(),
                 trainer="sgd")
    net, est, loader = _estimator()
    assertRaises(ValueError, est.fit, loader, epochs=1, batches=2)
    net, est, loader = _estimator()
    est.fit(loader, val_data=loader, epochs=1)
    est.evaluate(loader)
    assert round(est.val_metrics[0].get()[1], 4) == 2.7183
    plain = nn.Dense(1, in_units=2)
    plain.initialize()
    est = Estimator(plain, gluon.loss.L2Loss())
    assert type(est.trainer._optimizer).__name__ == "SGD" and est.trainer.learning_rate == 0.001


@with_seed()
def test_op_hook_output_names_monitor_all():
    def names_of(block, monitor_all):
        got = []
        block.register_op_hook(lambda n, o, a: got.append(py_str(n)), monitor_all)
        block(mx.nd.ones((2, 3, 4)))
        return got

    model = nn.HybridSequential("dense_")
    with model.name_scope():
        model.add(nn.Dense(2), nn.Activation("relu"))
    model.initialize()
    model.hybridize()
    want = ["dense_dense0_fwd_data", "dense_dense0_fwd_weight", "dense_dense0_fwd_bias",
            "dense_dense0_fwd_output", "dense_relu0_fwd_input0", "dense_relu0_fwd_output"]
    assert names_of(model, True) == want
    model.hybridize(static_alloc=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert names_of(model, True) == want
    pool = nn.HybridSequential("pool_")
    with pool.name_scope():
        pool.add(nn.AvgPool1D())
    pool.initialize()
    pool.hybridize()
    assert names_of(pool, True) == ["pool_pool0_fwd_data", "pool_pool0_fwd_output"]
    swish = nn.Swish(prefix="sw_")
    swish.hybridize()
    assert names_of(swish, False) == ["sw__mulscalar0_0", "sw_fwd_0", "sw__mul0_0"]


class _Response(object):
    status_code = 200

    def iter_content(self, chunk_size=1024):
        yield b"payload " * 20


@with_seed()
def test_download_through_requests_get():
    import requests
    with mock.patch("requests.get", mock.Mock(side_effect=requests.exceptions.ConnectionError)):
        assertRaises(requests.exceptions.ConnectionError, gluon.utils.download,
                     "http://doesnotexist.notfound", path=TMP, retries=1)
    target = os.path.join(tempfile.mkdtemp(), "README.md")
    with mock.patch("requests.get", mock.Mock(return_value=_Response())):
        got = gluon.utils.download("https://example.com/a/README.md", path=target)
    assert got == target and os.path.getsize(target) == 160
    assert os.listdir(os.path.dirname(target)) == ["README.md"]


main(globals())
