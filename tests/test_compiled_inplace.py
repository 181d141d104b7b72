"""Compiled graphs run activations in place on fresh intermediates (v0.15 speed): the same
numbers and gradients as the out-of-place graph, and nothing a caller can see is overwritten
(heads, arguments, intermediates used twice, monitored runs)."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.symbol import compiler


def _kinds(graph):
    return [type(s.op).__name__ for s in graph.fast_steps]


def _x(shape, seed=0):
    return mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32"))


def _fc(data, name):
    return mx.sym.FullyConnected(data, num_hidden=4, name=name)


@pytest.mark.parametrize("act", [lambda s: mx.sym.Activation(s, act_type="relu"),
                                 lambda s: mx.sym.Activation(s, act_type="tanh"),
                                 mx.sym.relu, mx.sym.sigmoid])
def test_activation_after_fully_connected_runs_in_place(act):
    out = _fc(act(_fc(mx.sym.var("data"), "a")), "b")
    graph = compiler.CompiledGraph(out)
    assert _kinds(graph).count("_InplaceOp") == 1
    args = {"data": _x((3, 5)), "a_weight": _x((4, 5), 1), "a_bias": _x((4,), 2),
            "b_weight": _x((4, 4), 3), "b_bias": _x((4,), 4)}
    ex = out.bind(mx.cpu(), args)
    got = ex.forward()[0].asnumpy()
    plain = compiler.run(graph, [args[n]._t for n in graph.arg_names], [], False, False)
    vals = [None] * graph.num_slots
    for s, n in zip(graph.arg_slots, graph.arg_names):
        vals[s] = args[n]._t
    want = graph._steps(vals, graph.steps, False, None)[0].numpy()
    assert np.array_equal(got, want) and np.array_equal(plain[0].numpy(), want)


def test_visible_values_are_not_overwritten():
    data = mx.sym.var("data")
    fc = _fc(data, "a")
    relu_of_arg = mx.sym.relu(data)  # argument: left alone
    head = mx.sym.Group([fc, mx.sym.relu(fc)])  # fc is a head: left alone
    fc_c = _fc(data, "c")
    used_twice = mx.sym.relu(fc_c) + fc_c  # fc_c feeds two steps: left alone
    for sym in (relu_of_arg, head, used_twice):
        assert "_InplaceOp" not in _kinds(compiler.CompiledGraph(sym))
    x = _x((3, 5))
    w, b = _x((4, 5), 1), _x((4,), 2)
    outs = head.bind(mx.cpu(), {"data": x, "a_weight": w, "a_bias": b}).forward()
    ref = x.asnumpy() @ w.asnumpy().T + b.asnumpy()
    assert np.allclose(outs[0].asnumpy(), ref, atol=1e-6)
    assert np.allclose(outs[1].asnumpy(), np.maximum(ref, 0), atol=1e-6)
    before = x.asnumpy().copy()
    relu_of_arg.bind(mx.cpu(), {"data": x}).forward()
    assert np.array_equal(x.asnumpy(), before)


def _resnet_like():
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Conv2D(4, 3, padding=1), mx.gluon.nn.BatchNorm(),
            mx.gluon.nn.Activation("relu"), mx.gluon.nn.Conv2D(4, 3, padding=1, groups=2),
            mx.gluon.nn.BatchNorm(axis=1), mx.gluon.nn.Activation("relu"),
            mx.gluon.nn.Dense(6, activation="relu"), mx.gluon.nn.Dense(3))
    return net


def _train(monkeypatch, inplace):
    if not inplace:
        monkeypatch.setattr(compiler, "_inplace_activations", lambda steps, *a: steps)
    mx.random.seed(3)
    net = _resnet_like()
    net.initialize(mx.init.Xavier())
    net.hybridize(static_alloc=True, static_shape=True)
    x, y = _x((5, 2, 6, 6)), mx.nd.array([0, 1, 2, 1, 0])
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd",
                               {"learning_rate": 0.1, "momentum": 0.9})
    for _ in range(2):
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(5)
    grads = [p.grad().asnumpy() for p in net.collect_params().values()
             if p.grad_req != "null"]
    values = [p.data().asnumpy() for p in net.collect_params().values()]
    graph = next(iter(net._cached_op.graphs.values()))
    return grads + values + [net(x).asnumpy()], _kinds(graph).count("_InplaceOp")


def test_training_and_inference_numbers_unchanged(monkeypatch):
    fast, n_inplace = _train(monkeypatch, True)
    assert n_inplace == 3
    with monkeypatch.context() as m:
        slow, n_plain = _train(m, False)
    assert n_plain == 0
    assert all(np.array_equal(a, b) for a, b in zip(fast, slow))


def test_monitored_runs_see_pre_activation_values():
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Dense(4, activation="relu", in_units=5))
    net.initialize()
    net.hybridize()
    seen = {}
    net.register_op_hook(lambda name, op, arr: seen.setdefault(name, arr))  # read later
    x = _x((3, 5))
    out = net(x).asnumpy()
    fc = [v.asnumpy() for k, v in seen.items() if k.endswith("_fwd_output")]
    assert fc and (fc[0] < 0).any() and np.array_equal(np.maximum(fc[0], 0), out)


def _bind_run(sym, **arrays):
    return [o.asnumpy() for o in sym.bind(mx.cpu(), arrays).forward()]


def test_sums_add_into_a_fresh_addend():
    data, other = mx.sym.var("data"), mx.sym.var("other")
    fc = _fc(data, "a")  # (3, 4), fresh and used once
    small = mx.sym.var("small")  # (1, 4)
    cases = [(fc + other, 1), (other + fc, 1),
             (mx.sym.broadcast_add(small, fc), 1),  # the fresh addend has the result shape
             (mx.sym.broadcast_add(mx.sym.FullyConnected(small, num_hidden=4, name="s"),
                                   other), 1)]  # fresh (1, 4) + (3, 4): computed apart
    arrays = {"data": _x((3, 5)), "other": _x((3, 4), 5), "small": _x((1, 4), 6),
              "a_weight": _x((4, 5), 1), "a_bias": _x((4,), 2),
              "s_weight": _x((4, 4), 3), "s_bias": _x((4,), 4)}
    np_ = {k: v.asnumpy() for k, v in arrays.items()}
    ref_fc = np_["data"] @ np_["a_weight"].T + np_["a_bias"]
    ref_s = np_["small"] @ np_["s_weight"].T + np_["s_bias"]
    wants = [ref_fc + np_["other"], np_["other"] + ref_fc, np_["small"] + ref_fc,
             ref_s + np_["other"]]
    for (sym, n), want in zip(cases, wants):
        assert _kinds(compiler.CompiledGraph(sym)).count("_InplaceOp") == n
        got = _bind_run(sym, **{k: arrays[k] for k in sym.list_arguments()})[0]
        assert np.allclose(got, want, atol=1e-5)
    assert np.array_equal(arrays["other"].asnumpy(), np_["other"])
    with pytest.raises(mx.MXNetError, match="dtype"):
        _bind_run(fc + other, data=arrays["data"], other=arrays["other"].astype("float64"),
                  a_weight=arrays["a_weight"], a_bias=arrays["a_bias"])


class _Residual(mx.gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.conv = mx.gluon.nn.Conv2D(2, 3, padding=1, in_channels=2)
        self.bn = mx.gluon.nn.BatchNorm(in_channels=2)

    def hybrid_forward(self, F, x):
        return F.Activation(self.bn(self.conv(x)) + x, act_type="relu")


def _train_residual(monkeypatch, inplace):
    if not inplace:
        monkeypatch.setattr(compiler, "_inplace_activations", lambda steps, *a: steps)
    mx.random.seed(5)
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Conv2D(2, 1, in_channels=2), _Residual(), mx.gluon.nn.Dense(3))
    net.initialize(mx.init.Xavier())
    net.hybridize(static_alloc=True, static_shape=True)
    x = _x((4, 2, 5, 5))
    x.attach_grad()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    for _ in range(2):
        with mx.autograd.record():
            loss = (net(x) ** 2).sum()
        loss.backward()
        trainer.step(4)
    return [p.data().asnumpy() for p in net.collect_params().values()] + [x.grad.asnumpy()]


def test_residual_training_numbers_unchanged(monkeypatch):
    fast = _train_residual(monkeypatch, True)
    with monkeypatch.context() as m:
        slow = _train_residual(m, False)
    assert all(np.array_equal(a, b) for a, b in zip(fast, slow))
