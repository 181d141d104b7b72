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


def _dense_general(layer, x):
    """What Dense computes through the nd door (hybrid_forward with F = nd)."""
    params = {"weight": layer.weight.data()}
    if layer.bias is not None:
        params["bias"] = layer.bias.data()
    return layer.hybrid_forward(mx.nd, x, **params)


class _OwnDense(nn.Dense):
    def hybrid_forward(self, F, x, weight, bias=None):
        return super().hybrid_forward(F, x, weight, bias) + 1


@pytest.mark.parametrize("act", [None, "relu", "sigmoid", "tanh", "softrelu", "softsign"])
@pytest.mark.parametrize("use_bias, flatten, shape", [(True, True, (4, 2, 3)),
                                                      (False, True, (4, 6)),
                                                      (True, False, (2, 3, 6))])
def test_dense_shortcut_equals_the_nd_door(act, use_bias, flatten, shape):
    layer = nn.Dense(5, activation=act, use_bias=use_bias, flatten=flatten)
    layer.initialize(mx.init.Uniform(1.0))
    x = _x(shape)
    got = layer(x)  # deferred init on the first call, then the shortcut
    assert np.array_equal(layer(x).asnumpy(), got.asnumpy())
    assert np.array_equal(got.asnumpy(), _dense_general(layer, x).asnumpy())
    assert got.context == x.context and got.dtype == np.float32


def test_dense_shortcut_steps_aside():
    x = _x((3, 4))
    own = _OwnDense(5, in_units=4)  # an overridden hybrid_forward runs as written
    own.initialize()
    w, b = own.weight.data().asnumpy(), own.bias.data().asnumpy()
    assert np.allclose(own(x).asnumpy(), x.asnumpy() @ w.T + b + 1, atol=1e-6)
    layer = nn.Dense(5, activation="relu", in_units=4)
    layer.initialize()
    plain = layer(x).asnumpy()
    with mx.autograd.record():  # recording: the door records, gradients flow
        y = layer(x)
    y.backward()
    assert np.array_equal(y.asnumpy(), plain)
    assert np.abs(layer.weight.grad().asnumpy()).sum() > 0
    seen = []
    handle = layer.register_forward_hook(lambda blk, inp, out: seen.append(out.shape))
    assert np.array_equal(layer(x).asnumpy(), plain) and seen == [(3, 5)]
    handle.detach()
    sparse = mx.nd.array(x.asnumpy()).tostype("csr")  # csr data: the sparse door
    assert np.allclose(layer(sparse).asnumpy(), plain, atol=1e-6)


def test_dense_shortcut_errors_name_the_layer_as_the_door_does():
    layer = nn.Dense(5, in_units=4)
    layer.initialize()
    for bad in (_x((3, 6)), mx.nd.ones((3, 4), dtype="float64")):
        with pytest.raises(mx.MXNetError) as fast:
            layer(bad)
        params = {"weight": layer.weight.data(), "bias": layer.bias.data()}
        with pytest.raises(mx.MXNetError) as door:
            layer.hybrid_forward(mx.nd, bad, **params)
        assert str(fast.value) == str(door.value)
        assert "Dense" in str(fast.value) and layer.name in str(fast.value)
