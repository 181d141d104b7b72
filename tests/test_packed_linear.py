"""FullyConnected's inference path with MKL packed weights (mxtorch/_torch/packed_linear.py):
same values as a float64 reference, packed copies follow every way a weight changes, and
nothing packs where autograd needs the plain kernel."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch._torch import packed_linear
from mxtorch.gluon import nn

pytestmark = pytest.mark.skipif(not packed_linear.AVAILABLE, reason="torch built without MKL")

TOL = dict(rtol=1e-4, atol=1e-4)  # float32 GEMM against a float64 reference


def _dense(units=64, in_units=20, hybrid=None):
    net = nn.Dense(units, in_units=in_units)
    net.initialize(mx.init.Uniform(0.5))
    if hybrid is not None:
        net.hybridize(**hybrid)
    return net


def _expected(net, x):
    w = net.weight.data().asnumpy().astype(np.float64)
    b = net.bias.data().asnumpy().astype(np.float64)
    return x.asnumpy().astype(np.float64) @ w.T + b


def _packed_rows(net):
    kept = getattr(net.weight.data()._t, "_mx_packed", None)
    return sorted(n for n, packed in kept[1].items() if packed is not None) if kept else []


def _packed(net):
    return bool(_packed_rows(net))


@pytest.mark.parametrize("hybrid", [None, {}, dict(static_alloc=True, static_shape=True)])
def test_values_and_packing_after_second_call(hybrid):
    net = _dense(hybrid=hybrid)
    x = mx.nd.random.uniform(-1, 1, shape=(16, 20))
    first = net(x).asnumpy()
    assert not _packed(net)  # the first call only notes (version, batch)
    for _ in range(3):
        np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)
    assert _packed(net)
    np.testing.assert_allclose(first, _expected(net, x), **TOL)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "nag", "rmsprop"])
@pytest.mark.parametrize("hybrid", [None, dict(static_alloc=True)])
def test_packed_weights_follow_trainer_updates(optimizer, hybrid):
    net = _dense(hybrid=hybrid)
    trainer = gluon.Trainer(net.collect_params(), optimizer, {"learning_rate": 0.1})
    x = mx.nd.random.uniform(-1, 1, shape=(16, 20))
    for _ in range(3):
        for _ in range(3):  # packs on the second call, reuses on the third
            np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)
        before = net.weight.data().asnumpy()
        with autograd.record():
            loss = net(x).sum()
        loss.backward()
        trainer.step(16)
        assert not np.array_equal(before, net.weight.data().asnumpy())
    np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)


def test_packed_weights_follow_direct_writes():
    net = _dense()
    x = mx.nd.random.uniform(-1, 1, shape=(16, 20))
    for write in (lambda w: net.weight.set_data(mx.nd.ones((64, 20))),
                  lambda w: w.__setitem__(slice(None), 2.0),
                  lambda w: w.__imul__(0.5),
                  lambda w: mx.nd.sgd_update(w, mx.nd.ones_like(w), lr=0.1, out=w),
                  lambda w: net.load_dict({"weight": mx.nd.full((64, 20), 3.0),
                                           "bias": net.bias.data()})):
        for _ in range(3):
            net(x)
        assert _packed(net)
        write(net.weight.data())
        np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)


def test_batch_size_change_and_flatten_false():
    net = _dense()
    for rows in (16, 16, 16, 9, 16, 40, 40, 40):
        x = mx.nd.random.uniform(-1, 1, shape=(rows, 20))
        np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)
    flat = nn.Dense(96, in_units=20, flatten=False)
    flat.initialize(mx.init.Uniform(0.5))
    x = mx.nd.random.uniform(-1, 1, shape=(3, 5, 20))
    for _ in range(3):
        got = flat(x).asnumpy()
    want = _expected(flat, x.reshape((15, 20))).reshape(3, 5, 96)
    np.testing.assert_allclose(got, want, **TOL)
    assert _packed(flat)


def test_alternating_batch_sizes_keep_their_packed_copies():
    net = _dense()
    limit = packed_linear.MAX_ROW_COUNTS
    sizes = [16, 16, 24, 24] + [8 * k for k in range(4, 5 + limit)] * 2 + [16, 24]
    for rows in sizes:
        x = mx.nd.random.uniform(-1, 1, shape=(rows, 20))
        np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)
    # the first MAX_ROW_COUNTS row counts seen twice are packed; later ones run F.linear
    assert _packed_rows(net) == sorted(sizes[:4:2] + [8 * k for k in range(4, 2 + limit)])


def test_training_never_packs_and_gradients_are_exact():
    net = _dense()
    x = mx.nd.random.uniform(-1, 1, shape=(16, 20))
    x.attach_grad()
    for _ in range(3):
        with autograd.record():
            y = net(x)
        y.backward(mx.nd.ones_like(y))
    assert getattr(net.weight.data()._t, "_mx_packed", None) is None
    w = net.weight.data().asnumpy().astype(np.float64)
    np.testing.assert_allclose(x.grad.asnumpy(), np.ones((16, 64)) @ w, **TOL)
    np.testing.assert_allclose(net.weight.grad().asnumpy(),
                               np.ones((64, 16)) @ x.asnumpy().astype(np.float64), **TOL)


@pytest.mark.parametrize("units, rows, dtype", [(10, 16, "float32"), (64, 4, "float32"),
                                                (64, 16, "float64")])
def test_shapes_outside_the_gain_use_the_plain_kernel(units, rows, dtype):
    net = nn.Dense(units, in_units=20, dtype=dtype)
    net.initialize(mx.init.Uniform(0.5))
    x = mx.nd.random.uniform(-1, 1, shape=(rows, 20), dtype=dtype)
    for _ in range(3):
        np.testing.assert_allclose(net(x).asnumpy(), _expected(net, x), **TOL)
    assert getattr(net.weight.data()._t, "_mx_packed", None) is None


def test_module_predict_after_each_fit_epoch():
    data = mx.sym.var("data")
    hidden = mx.sym.Activation(mx.sym.FullyConnected(data, num_hidden=96, name="fc1"),
                               act_type="relu")
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(hidden, num_hidden=64, name="fc2"),
                               name="softmax")
    rng = np.random.RandomState(0)
    features = rng.rand(128, 30).astype("float32")
    labels = rng.randint(0, 10, 128).astype("float32")
    it = mx.io.NDArrayIter(features, labels, batch_size=32)
    mod = mx.mod.Module(out)
    for _ in range(2):
        it.reset()
        mod.fit(it, num_epoch=1, optimizer="sgd",
                optimizer_params={"learning_rate": 0.5, "momentum": 0.9})
        got = mod.predict(it).asnumpy()
        args, _ = mod.get_params()
        h = np.maximum(features @ args["fc1_weight"].asnumpy().T + args["fc1_bias"].asnumpy(), 0)
        z = h @ args["fc2_weight"].asnumpy().T + args["fc2_bias"].asnumpy()
        e = np.exp(z - z.max(1, keepdims=True))
        np.testing.assert_allclose(got, e / e.sum(1, keepdims=True), rtol=1e-4, atol=1e-6)
