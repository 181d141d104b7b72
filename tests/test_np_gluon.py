"""Gluon under NumPy semantics (``npx.set_np()``), d2l style: blocks, layers, losses, Trainer,
DataLoader, save/load_parameters (also of files saved without NumPy semantics), hybridize,
export and ``SymbolBlock.imports`` take and give ``mx.np`` arrays, as in MXNet 1.9.1.

Expected types, dtypes, graph op lists and numbers were read from real MXNet 1.9.1 running the
same code; numbers compare with rtol 1e-5 unless said otherwise. Models are tiny so the file
runs in a few seconds.
"""
import json

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon, np, npx
from mxtorch.gluon import nn


@pytest.fixture(autouse=True)
def _np_mode():
    npx.set_np()
    mx.random.seed(0)
    yield
    npx.reset_np()


def _is_np(x):
    return isinstance(x, np.ndarray)


def _mlp():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation="relu", in_units=3), nn.Dense(2, in_units=4))
    return net


# ---- DataLoader ------------------------------------------------------------------------------


@pytest.mark.parametrize("data,label,dtypes", [
    (lambda: np.arange(12).reshape(6, 2), lambda: np.arange(6), ("float32", "float32")),
    (lambda: onp.arange(12).reshape(6, 2).astype("float32"), lambda: onp.arange(6),
     ("float32", "int64")),
    (lambda: [1.5, 2.0, 3.0, 4.0, 5.0, 6.0], lambda: [0, 1, 2, 3, 4, 5], ("float64", "int64")),
])
def test_dataloader_batches_are_np_arrays(data, label, dtypes):
    dataset = gluon.data.ArrayDataset(data(), label())
    batches = list(gluon.data.DataLoader(dataset, batch_size=3))
    assert len(batches) == 2
    for x, y in batches:
        assert _is_np(x) and _is_np(y)
        assert (str(x.dtype), str(y.dtype)) == dtypes
    onp.testing.assert_array_equal(batches[1][1].asnumpy(), [3, 4, 5])


@pytest.mark.parametrize("workers", [{"num_workers": 1, "thread_pool": True},
                                     {"num_workers": 1}])
def test_dataloader_workers_give_np_arrays(workers):
    # MXNet 1.9.1: worker threads and processes batch with the caller's NumPy semantics
    dataset = gluon.data.ArrayDataset(np.arange(12).reshape(6, 2), onp.arange(6))
    batches = list(gluon.data.DataLoader(dataset, batch_size=3, **workers))
    assert [(type(x), str(y.dtype)) for x, y in batches] == [(np.ndarray, "int64")] * 2
    assert all(_is_np(y) for _, y in batches)


def test_dataloader_legacy_mode_gives_ndarrays():
    npx.reset_np()
    x, = list(gluon.data.DataLoader(onp.arange(4.0), batch_size=4))
    assert isinstance(x, mx.nd.NDArray) and not _is_np(x)


# ---- blocks, layers, losses, Trainer ---------------------------------------------------------


def test_layers_and_parameters_are_np():
    net = nn.Sequential()
    net.add(nn.Conv2D(2, 3, in_channels=1), nn.MaxPool2D(), nn.Flatten(), nn.Dense(2))
    net.initialize()
    out = net(np.ones((1, 1, 6, 6)))
    assert _is_np(out) and out.shape == (1, 2)
    for param in net.collect_params().values():
        assert _is_np(param.data()) and _is_np(param.grad())


def test_custom_hybrid_block_with_np_ops():
    class Net(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = self.params.get("w", shape=(3, 2), init=mx.init.Constant(0.5))

        def hybrid_forward(self, F, x, w):
            return F.npx.relu(F.np.dot(x, w) - 1.0).sum(axis=1)

    net = Net()
    net.initialize()
    x = np.arange(6).reshape(2, 3)
    eager = net(x)
    net.hybridize()
    hybrid = net(x)
    assert _is_np(eager) and _is_np(hybrid)
    onp.testing.assert_allclose(eager.asnumpy(), [1.0, 10.0], rtol=1e-6)  # MXNet 1.9.1
    onp.testing.assert_allclose(hybrid.asnumpy(), [1.0, 10.0], rtol=1e-6)


def test_loss_trainer_and_grads_are_np():
    net = _mlp()
    net.initialize(mx.init.Constant(0.1))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    x, y = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]), np.array([0, 1])
    w0 = net[0].weight.data().copy()
    with autograd.record():
        loss = loss_fn(net(x), y)
    loss.backward()
    grad = net[0].weight.grad().copy()
    trainer.step(2)
    assert _is_np(loss) and loss.shape == (2,)
    assert _is_np(grad) and _is_np(net[0].weight.data())
    onp.testing.assert_allclose(loss.asnumpy(), [0.6931472, 0.6931472], rtol=1e-5)
    onp.testing.assert_allclose(net[0].weight.data().asnumpy(),
                                (w0 - 0.5 / 2 * grad).asnumpy(), rtol=1e-6)


def test_nd_input_still_runs_in_np_mode():
    # MXNet 1.9.1 runs a Dense on an mx.nd array under set_np without complaint
    net = _mlp()
    net.initialize()
    net(mx.nd.ones((2, 3)))


# ---- save_parameters / load_parameters -------------------------------------------------------


def test_save_load_parameters_np(tmp_path):
    net = _mlp()
    net.initialize()
    path = str(tmp_path / "np.params")
    net.save_parameters(path)
    loaded = npx.load(path)
    assert sorted(loaded) == ["0.bias", "0.weight", "1.bias", "1.weight"]
    assert all(_is_np(v) for v in loaded.values())
    other = _mlp()
    other.load_parameters(path)
    x = np.ones((2, 3))
    assert _is_np(other[0].weight.data())
    onp.testing.assert_array_equal(other(x).asnumpy(), net(x).asnumpy())


def test_load_parameters_saved_without_np_semantics(tmp_path):
    npx.reset_np()
    net = _mlp()
    net.initialize()
    path = str(tmp_path / "legacy.params")
    net.save_parameters(path)
    expected = net(mx.nd.ones((2, 3))).asnumpy()
    assert sorted(mx.nd.load(path)) == ["0.bias", "0.weight", "1.bias", "1.weight"]
    npx.set_np()
    other = _mlp()
    other.load_parameters(path)
    assert all(_is_np(p.data()) for p in other.collect_params().values())
    onp.testing.assert_allclose(other(np.ones((2, 3))).asnumpy(), expected, rtol=1e-6)


# ---- hybridize, export, SymbolBlock.imports --------------------------------------------------


def test_hybridize_export_imports(tmp_path):
    net = _mlp()
    net.initialize()
    x = np.ones((2, 3))
    eager = net(x)
    net.hybridize()
    out = net(x)
    assert _is_np(out)
    onp.testing.assert_allclose(out.asnumpy(), eager.asnumpy(), rtol=1e-6)
    prefix = str(tmp_path / "m")
    net.export(prefix)
    graph = json.load(open(prefix + "-symbol.json"))
    assert [n["op"] for n in graph["nodes"]] == [  # MXNet 1.9.1
        "null", "null", "null", "FullyConnected", "Activation", "null", "null", "FullyConnected"]
    params = npx.load(prefix + "-0000.params")
    assert all(k.startswith("arg:") for k in params) and len(params) == 4
    assert all(_is_np(v) for v in params.values())
    block = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    got = block(x)
    assert _is_np(got)
    onp.testing.assert_allclose(got.asnumpy(), out.asnumpy(), rtol=1e-6)


def test_symbol_np_nd_views():
    sym = mx.sym.var("x")
    as_np = sym.as_np_ndarray()
    assert isinstance(as_np, mx.sym.np._Symbol) and isinstance(as_np, mx.sym.Symbol)
    assert as_np.as_np_ndarray() is as_np
    back = as_np.as_nd_ndarray()
    assert type(back) is mx.sym.Symbol and sym.as_nd_ndarray() is sym
    assert repr(as_np) == "<_Symbol x>" and as_np.list_arguments() == ["x"]
    assert back.tojson() == sym.tojson()


# ---- d2l-style end to end --------------------------------------------------------------------


def _synthetic(n, shape, classes, seed):
    rng = onp.random.RandomState(seed)
    feats = rng.randn(n, *shape).astype("float32")
    w = rng.randn(int(onp.prod(shape)), classes).astype("float32")
    labels = (feats.reshape(n, -1) @ w).argmax(axis=1).astype("float32")
    return gluon.data.ArrayDataset(np.array(feats), np.array(labels))


def _train(net, dataset, epochs, lr):
    loader = gluon.data.DataLoader(dataset, batch_size=16, shuffle=True)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for x, y in loader:
            assert _is_np(x) and _is_np(y)
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(x.shape[0])
            total += float(loss.sum())
        losses.append(total / len(dataset))
    return losses


def _accuracy(net, dataset):
    x, y = dataset[:]
    return float((net(x).argmax(axis=1) == y).mean())


@pytest.mark.parametrize("kind", ["softmax", "cnn"])
def test_d2l_train_hybridize_export_reload(kind, tmp_path):
    if kind == "softmax":
        dataset = _synthetic(64, (8,), 3, seed=1)
        net = nn.HybridSequential()
        net.add(nn.Dense(3))
        epochs, lr = 10, 0.5
    else:
        dataset = _synthetic(64, (1, 6, 6), 2, seed=2)
        net = nn.HybridSequential()
        net.add(nn.Conv2D(4, 3, activation="relu"), nn.MaxPool2D(2), nn.Dense(2))
        epochs, lr = 10, 0.2
    net.initialize(mx.init.Xavier())
    net.hybridize()
    losses = _train(net, dataset, epochs, lr)
    assert losses[-1] < 0.7 * losses[0]
    assert _accuracy(net, dataset) > 0.7
    prefix = str(tmp_path / kind)
    net.export(prefix, epoch=3)
    block = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"],
                                      prefix + "-0003.params")
    x = dataset[:][0]
    onp.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)
    net.save_parameters(str(tmp_path / "p.params"))
    clone = nn.HybridSequential()
    clone.add(*([nn.Dense(3)] if kind == "softmax" else
                [nn.Conv2D(4, 3, activation="relu"), nn.MaxPool2D(2), nn.Dense(2)]))
    clone.load_parameters(str(tmp_path / "p.params"))
    onp.testing.assert_allclose(clone(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)


# ---- NumPy symbols: what hybridize traces under set_np ---------------------------------------


class _NpOps(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = self.params.get("w", shape=(3, 2), init=mx.init.Constant(0.5))
        self.b = self.params.get("b", shape=(2,), init=mx.init.Constant(0.25))

    def hybrid_forward(self, F, x, w, b):
        y = F.np.dot(x, w) + b  # broadcasting add, as NumPy
        return (y * y).mean(axis=0), y.T, y[0], y.reshape(-1), F.npx.relu(y - 1.0).sum(axis=1)


def test_hybridize_traces_numpy_operators(tmp_path):
    net = _NpOps()
    net.initialize()
    x = np.arange(6).reshape(2, 3)
    eager = net(x)
    net.hybridize()
    hybrid = net(x)
    expected = ([21.0625, 21.0625], [[1.75, 6.25], [1.75, 6.25]], [1.75, 1.75],
                [1.75, 1.75, 6.25, 6.25], [1.5, 10.5])  # MXNet 1.9.1 (first four)
    for got_e, got_h, want in zip(eager, hybrid, expected):
        assert _is_np(got_h)
        onp.testing.assert_allclose(got_e.asnumpy(), want, rtol=1e-6)
        onp.testing.assert_allclose(got_h.asnumpy(), want, rtol=1e-6)
    net.export(str(tmp_path / "ops"))
    graph = json.load(open(str(tmp_path / "ops-symbol.json")))
    assert [n["op"] for n in graph["nodes"]][:11] == [  # MXNet 1.9.1 for the first four outputs
        "null", "null", "_np_dot", "null", "_npi_add", "_npi_multiply", "_npi_mean",
        "_np_transpose", "slice", "_npx_reshape", "_np_reshape"]
    assert [n["op"] for n in graph["nodes"]][11:] == [
        "_npi_subtract_scalar", "_npx_relu", "_np_sum"]


@pytest.mark.parametrize("expr,ops", [  # op lists and attributes from MXNet 1.9.1
    ("x[0]", [("slice", {"begin": "[0]", "end": "[1]"}),
              ("_npx_reshape", {"newshape": "(-3, -4)"})]),
    ("x[:, 1]", [("slice", None), ("_npx_reshape", {"newshape": "(-2, -3, -4)"})]),
    ("-x", [("_npi_multiply_scalar", {"is_int": "False", "scalar": "-1.0"})]),
    ("2 - x", [("_npi_rsubtract_scalar", None)]), ("2 / x", [("_npi_rtrue_divide_scalar", None)]),
    ("x ** 2", [("_npi_power_scalar", None)]), ("x > 1", [("_npi_greater_scalar", None)]),
    ("x == x", [("_npi_equal", None)]), ("x.sum(axis=1)", [("_np_sum", None)]),
    ("x.mean()", [("_npi_mean", None)]), ("x.max()", [("_np_max", None)]),
    ("x.reshape(2, -1)", [("_np_reshape", {"newshape": "(2, -1)", "order": "C"})]),
    ("x.transpose()", [("_np_transpose", None)]), ("x.argmax(axis=1)", [("_npi_argmax", None)]),
    ("x.squeeze()", [("_np_squeeze", None)]), ("x.flatten()", [("_np_reshape", None)]),
])
def test_np_symbol_operators_and_methods(expr, ops):
    x = mx.sym.var("x").as_np_ndarray()
    out = eval(expr)
    assert isinstance(out, mx.sym.np._Symbol)
    nodes = json.loads(out.tojson())["nodes"][1:]
    assert [n["op"] for n in nodes] == [op for op, _ in ops]
    for node, (_, attrs) in zip(nodes, ops):
        if attrs is not None:
            assert {k: node["attrs"][k] for k in attrs} == attrs


@pytest.mark.parametrize("expr", ["x[0]", "x[1:3]", "x[:, 1]", "x[::2, 1:]", "x[-1, :, 2]",
                                  "2 - x", "x.sum(axis=1)", "x.reshape(4, -1)", "x.T"])
def test_np_symbol_values_match_numpy(expr):
    a = onp.arange(24.0).reshape(2, 3, 4)
    sym = eval(expr, {"x": mx.sym.var("x").as_np_ndarray()})
    got = sym.eval(x=np.array(a))[0]
    onp.testing.assert_allclose(got.asnumpy(), eval(expr, {"x": a}), rtol=1e-6)


def test_np_symbol_bad_index_is_clear():
    x = mx.sym.var("x").as_np_ndarray()
    with pytest.raises(IndexError, match="only one array index"):
        x[[0, 1], [1, 0]]


def test_np_symbol_outputs_and_copies_keep_numpy_semantics():
    x = mx.sym.var("x").as_np_ndarray()
    parts = mx.sym.np.split(x, 2)
    assert all(isinstance(p, mx.sym.np._Symbol) for p in (parts[0], parts[0:1], *parts))
    import copy
    dup = copy.copy(x + 1)
    assert isinstance(dup, mx.sym.np._Symbol)
    assert json.loads((parts[1] * 2).tojson())["nodes"][-1]["op"] == "_npi_multiply_scalar"
