"""mx.callback log lines and mx.monitor.Monitor (expected text captured from MXNet 1.9.1)."""
import logging
import os
import re

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.model import BatchEndParam


def _metric():
    metric = mx.metric.Accuracy()
    metric.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8]])])
    return metric


def _composite():
    metric = mx.metric.CompositeEvalMetric(["acc", "ce"])
    metric.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8]])])
    return metric


def _lines(caplog):
    lines = [r.getMessage() for r in caplog.records]
    caplog.clear()
    return [re.sub(r"Speed: [0-9.]+|Speed: inf", "Speed: S", line) for line in lines]


def test_speedometer_lines(caplog):
    caplog.set_level(logging.INFO)
    metric = _metric()
    speedometer = mx.callback.Speedometer(4, frequent=2, auto_reset=True)
    for nbatch in range(5):
        speedometer(BatchEndParam(epoch=1, nbatch=nbatch, eval_metric=metric, locals=None))
    assert _lines(caplog) == ["Epoch[1] Batch [0-2]\tSpeed: S samples/sec\taccuracy=1.000000",
                              "Epoch[1] Batch [2-4]\tSpeed: S samples/sec\taccuracy=nan"]
    metric = _metric()
    speedometer = mx.callback.Speedometer(4, frequent=2, auto_reset=False)
    for nbatch in range(5):
        speedometer(BatchEndParam(epoch=1, nbatch=nbatch, eval_metric=metric, locals=None))
    assert _lines(caplog) == ["Epoch[1] Batch [0-2]\tSpeed: S samples/sec\taccuracy=1.000000",
                              "Epoch[1] Batch [0-4]\tSpeed: S samples/sec\taccuracy=1.000000"]
    speedometer = mx.callback.Speedometer(4, frequent=2)
    for nbatch in range(3):
        speedometer(BatchEndParam(epoch=1, nbatch=nbatch, eval_metric=None, locals=None))
    assert _lines(caplog) == ["Iter[1] Batch [2]\tSpeed: S samples/sec"]
    speedometer = mx.callback.Speedometer(4, frequent=1)
    for nbatch in range(2):
        speedometer(BatchEndParam(epoch=1, nbatch=nbatch, eval_metric=_composite(), locals=None))
    assert _lines(caplog) == ["Epoch[1] Batch [0-1]\tSpeed: S samples/sec\taccuracy=1.000000"
                              "\tcross-entropy=0.164252"]


def test_speedometer_restarts_with_a_new_epoch(caplog):
    caplog.set_level(logging.INFO)
    speedometer = mx.callback.Speedometer(4, frequent=1)
    for nbatch in (0, 1, 0, 1):
        speedometer(BatchEndParam(epoch=0, nbatch=nbatch, eval_metric=None, locals=None))
    assert len(_lines(caplog)) == 2  # the first batch of each epoch only starts the clock


def test_progress_bar_and_metric_logs(caplog):
    caplog.set_level(logging.INFO)
    bar = mx.callback.ProgressBar(10, length=20)
    for nbatch in (0, 3, 10):
        bar(BatchEndParam(epoch=1, nbatch=nbatch, eval_metric=None, locals=None))
    assert _lines(caplog) == ["[--------------------] 0%\r", "[======--------------] 30%\r",
                              "[====================] 100%\r"]
    metric = _metric()
    metric.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8]])])
    mx.callback.log_train_metric(2, auto_reset=True)(
        BatchEndParam(epoch=1, nbatch=4, eval_metric=metric, locals=None))
    assert _lines(caplog) == ["Iter[1] Batch[4] Train-accuracy=1.000000"]
    assert np.isnan(metric.get()[1])
    mx.callback.LogValidationMetricsCallback()(
        BatchEndParam(epoch=3, nbatch=4, eval_metric=_composite(), locals=None))
    assert _lines(caplog) == ["Epoch[3] Validation-accuracy=1.000000",
                              "Epoch[3] Validation-cross-entropy=0.164252"]


def test_do_checkpoint_period(tmp_path):
    prefix = str(tmp_path / "net")
    net = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=2, name="fc")
    args = {"fc_weight": mx.nd.ones((2, 3)), "fc_bias": mx.nd.zeros(2)}
    callback = mx.callback.do_checkpoint(prefix, period=2)
    for epoch in range(4):
        callback(epoch, net, args, {})
    assert sorted(os.listdir(tmp_path)) == ["net-0002.params", "net-0004.params",
                                            "net-symbol.json"]
    _, arg, aux = mx.model.load_checkpoint(prefix, 4)
    assert sorted(arg) == ["fc_bias", "fc_weight"] and aux == {}


def test_module_checkpoint_calls_save_checkpoint():
    calls = []

    class FakeModule:
        def save_checkpoint(self, prefix, epoch, save_optimizer_states):
            calls.append((prefix, epoch, save_optimizer_states))

    callback = mx.callback.module_checkpoint(FakeModule(), "p", period=3,
                                             save_optimizer_states=True)
    for epoch in range(6):
        callback(epoch)
    assert calls == [("p", 3, True), ("p", 6, True)]


def _executor():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, name="fc1")
    act = mx.sym.Activation(fc, act_type="relu", name="relu1")
    exe = act.simple_bind(mx.cpu(), data=(2, 4))
    for array in exe.arg_arrays:
        array[:] = np.arange(array.size).reshape(array.shape) / 10.0 - 0.3
    return exe


def test_monitor_on_a_bound_executor():
    exe = _executor()
    mon = mx.monitor.Monitor(2, pattern=".*", sort=True)
    mon.install(exe)
    got = []
    for _ in range(3):
        mon.tic()
        exe.forward(is_train=True)
        got.append(mon.toc())
    # MXNet 1.9.1: collected on steps 1 and 3, names sorted, norm/sqrt(size) per array
    want = [("data", 0.23452081), ("fc1_bias", 0.2160247), ("fc1_output", 0.37398753),
            ("fc1_weight", 0.42622375), ("relu1_output", 0.24832773)]
    assert got[1] == []
    for step, result in ((1, got[0]), (3, got[2])):
        assert [(n, k) for n, k, _ in result] == [(step, name) for name, _ in want]
        for (_, _, text), (_, value) in zip(result, want):
            assert text.endswith("\t") and float(text) == pytest.approx(value, rel=1e-6)


def test_monitor_custom_stat_and_print(caplog):
    caplog.set_level(logging.INFO)
    exe = _executor()
    mon = mx.monitor.Monitor(1, stat_func=lambda x: [x.sum(), x.max()], pattern="fc1.*")
    mon.install(exe)
    mon.tic()
    exe.forward()
    assert mon.toc() == [(1, "fc1_output", "-0.6\t0.6\t"), (1, "fc1_weight", "3.0\t0.8\t"),
                         (1, "fc1_bias", "-0.6\t-0.1\t")]
    mon.tic()
    exe.forward()
    mon.toc_print()
    assert _lines(caplog)[0] == "Batch:       2 fc1_output                     -0.6\t0.6\t"
    mon = mx.monitor.Monitor(1, stat_func=lambda x: 3.0)
    mon.install(exe)
    mon.tic()
    exe.forward()
    with pytest.raises(TypeError, match="stat_func"):
        mon.toc()
