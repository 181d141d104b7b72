"""Eager fast paths (v0.15 speed) give what the general paths give: HybridBlock's one-array
call, ``out=`` through the nd door's call plans, ``Activation`` writing into ``out=data``,
and Dense/Conv activations overwriting the layer's own fresh output."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon import nn


def _x(shape, seed=0):
    return mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32"))


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh", "softrelu", "softsign"])
def test_activation_into_its_input(act):
    x = _x((4, 5))
    want = mx.nd.Activation(x, act_type=act).asnumpy()
    got = mx.nd.Activation(x, act_type=act, out=x)
    assert got is x and np.array_equal(x.asnumpy(), want)


def test_activation_into_recorded_input_keeps_gradients():
    x = _x((3, 4))
    x.attach_grad()
    with mx.autograd.record():
        y = x * 2
        mx.nd.Activation(y, act_type="relu", out=y)
        z = (y * y).sum()
    z.backward()
    ref = x.asnumpy() * 2
    assert np.allclose(x.grad.asnumpy(), 2 * 2 * np.maximum(ref, 0), atol=1e-6)


def test_out_through_call_plans():
    x, w, b = _x((2, 3)), _x((4, 3), 1), _x((4,), 2)
    o = mx.nd.zeros((2, 4))
    for _ in range(2):  # second call: cached plan
        r = mx.nd.FullyConnected(x, w, b, num_hidden=4, out=o)
        assert r is o
    want = x.asnumpy() @ w.asnumpy().T + b.asnumpy()
    assert np.allclose(o.asnumpy(), want, atol=1e-6)
    with pytest.raises(mx.MXNetError, match="out= has shape"):
        mx.nd.FullyConnected(x, w, b, num_hidden=4, out=mx.nd.zeros((3, 3)))
    with pytest.raises(TypeError, match="out= must be an NDArray"):
        mx.nd.FullyConnected(x, w, b, num_hidden=4, out=np.zeros((2, 4)))


@pytest.mark.parametrize("make", [
    lambda: nn.Dense(6, activation="relu", in_units=5),
    lambda: nn.Dense(6, activation="tanh"),
    lambda: nn.Conv2D(3, 3, activation="relu", in_channels=2),
])
def test_layer_activation_shortcut_matches_plain(make):
    layer = make()
    layer.initialize()
    x = _x((2, 5) if isinstance(layer, nn.Dense) else (2, 2, 5, 5))
    got = layer(x).asnumpy()
    seen = []
    layer.act.register_forward_hook(lambda blk, inp, out: seen.append(inp[0].asnumpy()))
    hooked = layer(x).asnumpy()  # a hook on the activation: the plain call, input kept
    assert np.array_equal(got, hooked) and len(seen) == 1
    assert (seen[0] < 0).any()  # the activation's input was not overwritten
    with mx.autograd.record():
        recorded = layer(x)
    recorded.backward()
    assert np.array_equal(recorded.asnumpy(), got)
    assert np.abs(layer.weight.grad().asnumpy()).sum() > 0


class _V1(mx.gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.dense = nn.Dense(3)

    def hybrid_forward(self, F, x):
        return self.dense(x) * 2


class _OwnForward(_V1):
    def forward(self, x):
        return super().forward(x) + 1


def test_one_array_call_keeps_hooks_deferred_init_and_overrides():
    x = _x((2, 4))
    for cls, extra in ((_V1, 0), (_OwnForward, 1)):
        block = cls()
        block.initialize()  # deferred: in_units from the first call
        calls = []
        block.register_forward_pre_hook(lambda b, a: calls.append("pre"))
        block.register_forward_hook(lambda b, a, o: calls.append("post"))
        out = block(x).asnumpy()
        w, b = block.dense.weight.data().asnumpy(), block.dense.bias.data().asnumpy()
        assert np.allclose(out, (x.asnumpy() @ w.T + b) * 2 + extra, atol=1e-6)
        assert calls == ["pre", "post"]
        block.hybridize()
        assert np.allclose(block(x).asnumpy(), out, atol=1e-6)
