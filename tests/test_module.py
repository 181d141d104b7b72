"""mx.mod: Module, BucketingModule, SequentialModule, PythonLossModule.

The reference is MXNet 1.9.1's Module checkpoint fixture (tests/fixtures/module/sym_mlp-*,
written by real MXNet): 5 recorded SGD-momentum steps are replayed and must give MXNet's
outputs, gradients and parameters (rtol 1e-5, atol 1e-6, the fixture's float32 tolerance).
"""
import logging
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import nd

HERE = os.path.dirname(__file__)
PREFIX = os.path.join(HERE, "fixtures", "module", "sym_mlp")
RTOL, ATOL = 1e-5, 1e-6
NAMES = ["fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"]


@pytest.fixture(scope="module")
def train():
    return np.load(PREFIX + "-train.npz")


def mlp_symbol(hidden=16, classes=3):
    data = mx.sym.var("data")
    h = mx.sym.Activation(mx.sym.FullyConnected(data, num_hidden=hidden, name="fc1"),
                          act_type="relu", name="relu1")
    out = mx.sym.FullyConnected(h, num_hidden=classes, name="fc2")
    return mx.sym.SoftmaxOutput(out, name="softmax")


def replay_module(train, context):
    mod = mx.mod.Module(mlp_symbol(), context=context)
    mod.bind(data_shapes=[("data", (8, 10))], label_shapes=[("softmax_label", (8,))])
    mod.init_params(arg_params={n: nd.array(train["init/" + n]) for n in NAMES})
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9, "wd": 0.001})
    return mod


def batch(train, k):
    return mx.io.DataBatch([nd.array(train["data"][k])], [nd.array(train["label"][k])])


def test_replays_mxnet_training_steps(train):
    mod = replay_module(train, mx.cpu())
    for k in range(5):
        mod.forward(batch(train, k), is_train=True)
        np.testing.assert_allclose(mod.get_outputs()[0].asnumpy(),
                                   train[f"step{k + 1}/output"], rtol=RTOL, atol=ATOL)
        mod.backward()
        grads = dict(zip(mod._exec_group.param_names,
                         [g[0] for g in mod._exec_group.grad_arrays]))
        for name in NAMES:
            np.testing.assert_allclose(grads[name].asnumpy(), train[f"step{k + 1}/grad/{name}"],
                                       rtol=1e-4, atol=1e-6)
        mod.update()
        args, _ = mod.get_params()
        for name in NAMES:
            np.testing.assert_allclose(args[name].asnumpy(), train[f"step{k + 1}/param/{name}"],
                                       rtol=RTOL, atol=ATOL)


def test_two_contexts_equal_one(train):
    one = replay_module(train, mx.cpu())
    two = replay_module(train, [mx.cpu(0), mx.cpu(1)])
    for k in range(5):
        for mod in (one, two):
            mod.forward_backward(batch(train, k))
            mod.update()
        np.testing.assert_allclose(two.get_outputs()[0].asnumpy(),
                                   one.get_outputs()[0].asnumpy(), rtol=1e-5, atol=1e-6)
    a1, _ = one.get_params()
    a2, _ = two.get_params()
    for name in NAMES:
        np.testing.assert_allclose(a2[name].asnumpy(), a1[name].asnumpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(a2[name].asnumpy(), train[f"step5/param/{name}"],
                                   rtol=1e-5, atol=1e-6)


def test_load_mxnet_checkpoint_with_optimizer_states(train):
    mod = mx.mod.Module.load(PREFIX, 5, load_optimizer_states=True)
    mod.bind(data_shapes=[("data", (8, 10))], label_shapes=[("softmax_label", (8,))])
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9, "wd": 0.001})
    args, _ = mod.get_params()
    for name in NAMES:
        np.testing.assert_allclose(args[name].asnumpy(), train[f"step5/param/{name}"],
                                   rtol=RTOL, atol=ATOL)
    states = mod._updater.states
    for idx, name in enumerate(NAMES):
        np.testing.assert_allclose(states[idx].asnumpy(),
                                   train[f"final_state/momentum/{name}"], rtol=RTOL, atol=ATOL)


def test_checkpoint_round_trip_and_failed_save_keeps_old(tmp_path, train, monkeypatch):
    mod = replay_module(train, mx.cpu())
    mod.forward_backward(batch(train, 0))
    mod.update()
    prefix = str(tmp_path / "ck")
    mod.save_checkpoint(prefix, 3, save_optimizer_states=True)
    assert sorted(os.listdir(tmp_path)) == ["ck-0003.params", "ck-0003.states",
                                            "ck-symbol.json"]
    before = open(prefix + "-0003.params", "rb").read()
    loaded = mx.mod.Module.load(prefix, 3, load_optimizer_states=True)
    loaded.bind(data_shapes=[("data", (8, 10))], label_shapes=[("softmax_label", (8,))])
    loaded.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                             "momentum": 0.9, "wd": 0.001})
    for k in range(1, 3):
        for m in (mod, loaded):
            m.forward_backward(batch(train, k))
            m.update()
    a, _ = mod.get_params()
    b, _ = loaded.get_params()
    for name in NAMES:
        np.testing.assert_allclose(b[name].asnumpy(), a[name].asnumpy(), rtol=1e-6, atol=1e-7)

    from mxtorch._torch import params_format

    def broken(*args, **kwargs):
        raise OSError("disk full (simulated)")
    monkeypatch.setattr(params_format, "dumps", broken)
    with pytest.raises(OSError):
        mod.save_checkpoint(prefix, 3)
    assert open(prefix + "-0003.params", "rb").read() == before
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []


def make_iter(n=200, batch_size=20, seed=0, **kwargs):
    rng = np.random.RandomState(seed)
    centers = rng.randn(3, 10) * 3
    labels = rng.randint(0, 3, size=n)
    data = (centers[labels] + rng.randn(n, 10)).astype("float32")
    return mx.io.NDArrayIter(data, labels.astype("float32"), batch_size=batch_size, **kwargs)


def test_fit_score_predict(caplog):
    mx.random.seed(1)
    train_iter, val_iter = make_iter(), make_iter(seed=0)
    mod = mx.mod.Module(mlp_symbol())
    with caplog.at_level(logging.INFO):
        mod.fit(train_iter, eval_data=val_iter, optimizer="sgd",
                optimizer_params={"learning_rate": 0.1, "momentum": 0.9},
                initializer=mx.init.Xavier(), num_epoch=4)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("Epoch[3] Train-accuracy=") for m in messages), messages
    assert any(m.startswith("Epoch[3] Time cost=") for m in messages)
    assert any(m.startswith("Epoch[3] Validation-accuracy=") for m in messages)
    (name, acc), = mod.score(val_iter, "acc")
    assert name == "accuracy" and acc > 0.9
    pred = mod.predict(val_iter)
    assert pred.shape == (200, 3)
    outs = mod.predict(val_iter, always_output_list=True)
    assert isinstance(outs, list) and outs[0].shape == (200, 3)
    per_batch = mod.predict(val_iter, merge_batches=False)
    assert len(per_batch) == 10 and per_batch[0][0].shape == (20, 3)
    got = [(o[0].shape, i) for o, i, _ in mod.iter_predict(val_iter, num_batch=2)]
    assert got == [((20, 3), 0), ((20, 3), 1)]


def test_predict_drops_padding_and_takes_arrays():
    it = make_iter(n=50, batch_size=20, last_batch_handle="pad")
    mod = mx.mod.Module(mlp_symbol())
    mod.bind(it.provide_data, it.provide_label, for_training=False)
    mod.init_params()
    assert mod.predict(it).shape == (50, 3)
    out = mod.predict(nd.ones((20, 10)))
    assert out.shape == (20, 3)


def test_forward_with_new_batch_size_reshapes():
    mod = mx.mod.Module(mlp_symbol())
    mod.bind([("data", (8, 10))], [("softmax_label", (8,))])
    mod.init_params()
    mod.forward(mx.io.DataBatch([nd.ones((3, 10))], [nd.zeros((3,))]), is_train=False)
    assert mod.get_outputs()[0].shape == (3, 3)
    assert mod.data_shapes[0].shape == (3, 10)
    assert mod.output_shapes == [("softmax_output", (3, 3))]


def test_state_errors_say_what_to_call():
    mod = mx.mod.Module(mlp_symbol())
    with pytest.raises(AssertionError, match="bind"):
        mod.forward(mx.io.DataBatch([nd.ones((2, 10))]))
    mod.bind([("data", (2, 10))], [("softmax_label", (2,))])
    with pytest.raises(AssertionError, match="init_params"):
        mod.forward(mx.io.DataBatch([nd.ones((2, 10))]))
    mod.init_params()
    with pytest.raises(AssertionError, match="init_optimizer"):
        mod.update()
    with pytest.raises(ValueError, match="not found in symbol.list_arguments"):
        mx.mod.Module(mlp_symbol(), data_names=["dat"])
    with pytest.raises(ValueError, match="don't match names specified by data_names"):
        mx.mod.Module(mlp_symbol()).bind([("dat", (2, 10))], [("softmax_label", (2,))])


def test_inputs_need_grad_and_fixed_params():
    mod = mx.mod.Module(mlp_symbol(), fixed_param_names=["fc1_weight"])
    mod.bind([("data", (4, 10))], [("softmax_label", (4,))], inputs_need_grad=True)
    mod.init_params(mx.init.Xavier())
    mod.init_optimizer(optimizer_params={"learning_rate": 1.0})
    before = mod.get_params()[0]["fc1_weight"].asnumpy().copy()
    mod.forward_backward(mx.io.DataBatch([nd.ones((4, 10))], [nd.array([0, 1, 2, 0])]))
    assert mod.get_input_grads()[0].shape == (4, 10)
    mod.update()
    after = mod.get_params()
    np.testing.assert_array_equal(after[0]["fc1_weight"].asnumpy(), before)


def test_bucketing_module_shares_parameters():
    def sym_gen(seq_len):
        data = mx.sym.var("data")
        x = mx.sym.reshape(data, shape=(-1, seq_len * 4))
        x = mx.sym.FullyConnected(mx.sym.slice_axis(x, axis=1, begin=0, end=4),
                                  num_hidden=3, name="fc")
        return mx.sym.SoftmaxOutput(x, name="softmax"), ("data",), ("softmax_label",)

    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=5)
    mod.bind([("data", (2, 5, 4))], [("softmax_label", (2,))])
    mod.init_params(mx.init.Xavier())
    mod.init_optimizer(optimizer_params={"learning_rate": 0.5})
    for key in (3, 5, 2):
        b = mx.io.DataBatch([nd.ones((2, key, 4))], [nd.array([0, 1])], bucket_key=key,
                            provide_data=[mx.io.DataDesc("data", (2, key, 4))],
                            provide_label=[mx.io.DataDesc("softmax_label", (2,))])
        mod.forward_backward(b)
        mod.update()
        assert mod.get_outputs()[0].shape == (2, 3)
    assert sorted(mod._buckets) == [2, 3, 5]
    weights = {id(m._exec_group.param_arrays[0][0]) for m in mod._buckets.values()}
    assert len(weights) == 1


def test_sequential_module_with_python_loss():
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc")
    seq = mx.mod.SequentialModule()
    seq.add(mx.mod.Module(net, label_names=None))

    def softmax_grad(scores, labels):
        p = mx.nd.softmax(scores)
        return p - mx.nd.one_hot(labels, 3)
    seq.add(mx.mod.PythonLossModule(grad_func=softmax_grad), take_labels=True,
            auto_wiring=True)
    seq.bind([("data", (4, 5))], [("softmax_label", (4,))])
    seq.init_params(mx.init.Xavier())
    seq.init_optimizer(optimizer_params={"learning_rate": 0.1})
    data = mx.io.DataBatch([nd.ones((4, 5))], [nd.array([0, 1, 2, 0])])
    w0 = seq.get_params()[0]["fc_weight"].asnumpy().copy()
    seq.forward_backward(data)
    seq.update()
    assert seq.get_outputs()[0].shape == (4, 3)
    assert not np.allclose(seq.get_params()[0]["fc_weight"].asnumpy(), w0)
    with pytest.raises(ValueError, match="Unknown meta"):
        seq.add(mx.mod.Module(net), take_label=True)


def test_legacy_executor_manager_two_devices():
    from mxtorch import executor_manager
    out = mlp_symbol(hidden=4)
    it = make_iter(n=20, batch_size=10)
    manager = executor_manager.DataParallelExecutorManager(
        out, [mx.cpu(0), mx.cpu(1)], it, out.list_arguments(),
        ["fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"], [])
    assert [(s.start, s.stop) for s in manager.slices] == [(0, 5), (5, 10)]
    params = {n: nd.ones(a[0].shape) * 0.1 for n, a in
              zip(manager.param_names, manager.param_arrays)}
    manager.set_params(params, {})
    b = next(iter(it))
    manager.load_data_batch(b)
    manager.forward(is_train=True)
    manager.backward()
    metric = mx.metric.Accuracy()
    manager.update_metric(metric, b.label)
    assert metric.num_inst == 10
    copied = {n: nd.zeros(a.shape) for n, a in params.items()}
    manager.copy_to(copied, {})
    np.testing.assert_allclose(copied["fc1_weight"].asnumpy(), 0.1, rtol=1e-6)


def test_legacy_feedforward_fit_predict_score_save(tmp_path):
    mx.random.seed(3)
    rng = np.random.RandomState(0)
    centers = rng.randn(3, 10) * 3
    labels = rng.randint(0, 3, size=120)
    data = (centers[labels] + rng.randn(120, 10)).astype("float32")
    model = mx.model.FeedForward(mlp_symbol(), num_epoch=5, numpy_batch_size=20,
                                 learning_rate=0.1, momentum=0.9,
                                 initializer=mx.init.Xavier())
    model.fit(data, labels)
    pred = model.predict(data)
    assert pred.shape == (120, 3)
    assert (pred.argmax(1) == labels).mean() > 0.9
    assert model.score(mx.io.NDArrayIter(data, labels, batch_size=20)) > 0.9
    model.save(str(tmp_path / "ff"))
    again = mx.model.FeedForward.load(str(tmp_path / "ff"), 5)
    np.testing.assert_allclose(again.predict(data), pred, rtol=1e-6, atol=1e-7)


def test_feedforward_fit_binds_once(caplog):
    """FeedForward.fit leaves binding to Module.fit: no 'Already bound' warning."""
    data = mx.sym.var("data")
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=3, name="fc"),
                               name="softmax")
    rs = np.random.RandomState(0)
    x = rs.rand(20, 4).astype("float32")
    y = rs.randint(0, 3, 20).astype("float32")
    model = mx.model.FeedForward(net, num_epoch=1, numpy_batch_size=10)
    with caplog.at_level(logging.WARNING):
        model.fit(x, y)
    assert "Already bound" not in caplog.text
    assert model.predict(x).shape == (20, 3)


def test_monitor_reports_backward_outputs_as_mxnet():
    """MXNet 1.9.1's monitor also reports each node's input gradients as
    <op>_backward_output[<i>]; names and statistics below are the oracle's (a null-req data
    gradient is reported as zeros: MXNet shows an unrelated buffer there)."""
    from functools import reduce
    data = mx.nd.array([[0.05, .10]])
    label = mx.nd.array([[.01, 0.99]])
    it = mx.io.NDArrayIter(data, label, batch_size=1)
    x = mx.sym.Variable("data")
    x = mx.sym.FullyConnected(name="fc_0", data=x, num_hidden=2)
    x = mx.sym.Activation(name="act_0", data=x, act_type="sigmoid")
    x = mx.sym.FullyConnected(name="fc_1", data=x, num_hidden=2)
    x = mx.sym.Activation(name="act_1", data=x, act_type="sigmoid")
    x = mx.sym.LinearRegressionOutput(data=x, name="softmax", grad_scale=2)

    def mean_abs(a):
        return mx.nd.sum(mx.nd.abs(a)) / reduce(lambda p, q: p * q, a.shape)
    mon = mx.mon.Monitor(1, stat_func=mean_abs, pattern=".*", sort=True)
    mod = mx.mod.Module(x, context=[mx.cpu()])
    mod.bind(it.provide_data, label_shapes=it.provide_label, for_training=True)
    mod.install_monitor(mon)
    mod.init_params(arg_params={
        "fc_0_weight": mx.nd.array([[.15, .20], [.25, .30]]), "fc_0_bias": mx.nd.array([.35, .35]),
        "fc_1_weight": mx.nd.array([[.40, .45], [.50, .55]]), "fc_1_bias": mx.nd.array([.60, .60])})
    mon.tic()
    mod.forward_backward(next(iter(it)))
    res = {name: float(value.split()[0]) for _, name, value in mon.toc()}
    keys = ["act_0", "act_1", "data", "fc_0", "fc_1", "softmax"]
    counts = [sum(name.startswith(k) for name in res) for k in keys]
    assert counts == [2, 2, 1, 6, 6, 4]
    oracle = {"act_0_backward_output": 0.009362806, "act_1_backward_output": 0.088298395,
              "fc_0_backward_output1": 0.00070221035, "fc_0_backward_output2": 0.009362806,
              "fc_1_backward_output0": 0.038860314, "fc_1_backward_output1": 0.05254436,
              "fc_1_backward_output2": 0.088298395, "softmax_backward_output0": 0.4792183,
              "softmax_backward_output1": 0.0, "fc_0_backward_output0": 0.0,
              "act_1_output": 0.7621468}
    for name, want in oracle.items():
        assert res[name] == pytest.approx(want, rel=1e-5, abs=1e-7), name
