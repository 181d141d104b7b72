"""mx.onnx.export_model: exported graphs run in onnx's reference evaluator and give mxtorch's
numbers (which the fixture models pin to MXNet 1.9.1: ``*-io.npz`` outputs).

Tolerances: float32, rtol 1e-4 / atol 1e-5 (the evaluator is numpy, mxtorch is torch).
"""
import json
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

onnx = pytest.importorskip("onnx")
from onnx.reference import ReferenceEvaluator  # noqa: E402

MODELS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures",
                      "mxnet-1.9.1", "models")
RTOL, ATOL = 1e-4, 1e-5


def _run_onnx(path, feeds):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    return ReferenceEvaluator(model).run(None, feeds)


def _run_mx(sym, params, feeds):
    args = {k: mx.nd.array(v) for k, v in feeds.items()}
    args.update({k: v for k, v in params.items() if k in sym.list_arguments()})
    aux = {k: v for k, v in params.items() if k in sym.list_auxiliary_states()}
    exe = sym.bind(mx.cpu(), args, aux_states=aux, grad_req="null")
    return [o.asnumpy() for o in exe.forward(is_train=False)]


def _check(tmp_path, sym, feeds, params=None, seed=0, **kwargs):
    """Export ``sym`` (random params for every non-data input), compare both runtimes."""
    rng = np.random.default_rng(seed)
    params = dict(params or {})
    shapes = {k: v.shape for k, v in feeds.items()}
    arg_shapes, _, aux_shapes = sym.infer_shape(**shapes)
    names = sym.list_arguments() + sym.list_auxiliary_states()
    for name, shape in zip(names, arg_shapes + aux_shapes):
        if name not in feeds and name not in params:
            value = rng.uniform(0.5, 1.5, shape) if name.endswith("var") else \
                rng.standard_normal(shape)
            params[name] = mx.nd.array(value.astype(np.float32))
    path = str(tmp_path / "m.onnx")
    data = [n for n in sym.list_inputs() if n in feeds]
    out = mx.onnx.export_model(sym, params, [feeds[n].shape for n in data], np.float32, path,
                               **kwargs)
    assert out == path
    got = _run_onnx(path, feeds)
    want = _run_mx(sym, params, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    return onnx.load(path)


def _ops(model):
    return [n.op_type for n in model.graph.node]


def _x(*shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


D = mx.sym.var("data")


# ---- fixture models (MXNet 1.9.1 files and outputs) -----------------------------------------
@pytest.mark.parametrize("name", ["mlp", "cnn", "resnet18_v1_slim"])
def test_fixture_models_match_mxnet_outputs(tmp_path, name):
    prefix = os.path.join(MODELS, name)
    if not os.path.exists(prefix + "-symbol.json"):
        pytest.skip("MXNet fixture models are not next to this checkout")
    io = np.load(prefix + "-io.npz")
    x = io["in/data"]
    path = mx.onnx.export_model(prefix + "-symbol.json", prefix + "-0000.params", [x.shape],
                                np.float32, str(tmp_path / f"{name}.onnx"))
    got = _run_onnx(path, {"data": x})[0]
    np.testing.assert_allclose(got, io["out/0"], rtol=RTOL, atol=1e-5)


NODE_TYPES = os.path.join(os.path.dirname(__file__), "fixtures", "onnx_mxnet_node_types.json")


def _without_2d_flatten(ops):
    """MXNet puts a Flatten before every Gemm; mxtorch skips it when the input is already 2-d
    (after a Flatten)."""
    return [op for i, op in enumerate(ops)
            if not (op == "Flatten" and i + 1 < len(ops) and ops[i + 1] == "Gemm"
                    and i > 0 and ops[i - 1] == "Flatten")]


@pytest.mark.parametrize("name", ["cnn", "resnet18_v1_slim", "mobilenet0.25"])
def test_fixture_node_types_match_mxnet_export(tmp_path, name):
    """Node types equal MXNet 1.9.1's export (tools/onnx_reference_ops.py captured them)."""
    prefix = os.path.join(MODELS, name)
    if not os.path.exists(prefix + "-symbol.json"):
        pytest.skip("MXNet fixture models are not next to this checkout")
    with open(NODE_TYPES) as f:
        ref = json.load(f)[name]
    path = mx.onnx.export_model(prefix + "-symbol.json", prefix + "-0000.params",
                                [tuple(ref["in_shape"])], np.float32, str(tmp_path / "c.onnx"))
    model = onnx.load(path)
    assert _ops(model) == _without_2d_flatten(ref["ops"])
    assert [i.name for i in model.graph.input] == ["data"]


def test_model_zoo_net(tmp_path):
    net = mx.gluon.model_zoo.vision.get_model("mobilenetv2_0.25", classes=10)
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = _x(1, 3, 32, 32)
    want = net(mx.nd.array(x)).asnumpy()
    net.export(str(tmp_path / "sq"))
    path = mx.onnx.export_model(str(tmp_path / "sq-symbol.json"),
                                str(tmp_path / "sq-0000.params"), [x.shape], np.float32,
                                str(tmp_path / "sq.onnx"))
    np.testing.assert_allclose(_run_onnx(path, {"data": x})[0], want, rtol=RTOL, atol=ATOL)


# ---- operators ----------------------------------------------------------------------------------
@pytest.mark.parametrize("flatten,no_bias,shape", [(True, False, (2, 3, 4)), (True, True, (2, 5)),
                                                   (False, False, (2, 3, 4)),
                                                   (False, True, (2, 3, 4))])
def test_fully_connected(tmp_path, flatten, no_bias, shape):
    s = mx.sym.FullyConnected(D, num_hidden=6, flatten=flatten, no_bias=no_bias, name="fc")
    _check(tmp_path, s, {"data": _x(*shape)})


@pytest.mark.parametrize("kwargs,shape", [
    (dict(kernel=(3, 3), num_filter=4, pad=(1, 1)), (2, 3, 8, 8)),
    (dict(kernel=(3, 3), num_filter=6, stride=(2, 2), dilate=(2, 2), num_group=3,
          no_bias=True), (1, 3, 9, 9)),
    (dict(kernel=(3,), num_filter=4, pad=(2,), stride=(2,)), (2, 3, 10)),
])
def test_convolution(tmp_path, kwargs, shape):
    _check(tmp_path, mx.sym.Convolution(D, name="conv", **kwargs), {"data": _x(*shape)})


def test_deconvolution(tmp_path):
    s = mx.sym.Deconvolution(D, kernel=(3, 3), num_filter=2, stride=(2, 2), pad=(1, 1),
                             adj=(1, 1), no_bias=False, name="dc")
    assert "ConvTranspose" in _ops(_check(tmp_path, s, {"data": _x(1, 3, 5, 5)}))


@pytest.mark.parametrize("fix_gamma", [True, False])
def test_batch_norm_inference(tmp_path, fix_gamma):
    s = mx.sym.BatchNorm(D, fix_gamma=fix_gamma, eps=1e-3, name="bn")
    _check(tmp_path, s, {"data": _x(2, 3, 4, 4)})


@pytest.mark.parametrize("act", ["relu", "sigmoid", "tanh", "softrelu", "softsign"])
def test_activation(tmp_path, act):
    _check(tmp_path, mx.sym.Activation(D, act_type=act), {"data": _x(2, 5)})


@pytest.mark.parametrize("act", ["leaky", "elu", "selu", "gelu", "prelu", "rrelu"])
def test_leaky_relu(tmp_path, act):
    s = mx.sym.LeakyReLU(D, act_type=act, slope=0.3, name="lr")
    _check(tmp_path, s[0], {"data": _x(2, 3, 4)})  # rrelu's second output is its mask


def test_training_only_output_is_refused(tmp_path):
    s = mx.sym.LeakyReLU(D, act_type="rrelu", name="lr")
    with pytest.raises(MXNetError, match="output 1 of LeakyReLU node 'lr'.*sym\\[0\\]"):
        mx.onnx.export_model(s, {}, [(2, 3)], onnx_file_path=str(tmp_path / "r.onnx"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("kwargs", [
    dict(kernel=(2, 2), stride=(2, 2), pool_type="max"),
    dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg"),
    dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg", count_include_pad=False),
    dict(kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention="full"),
    dict(kernel=(2, 2), stride=(1, 1), pool_type="sum"),
    dict(kernel=(1, 1), global_pool=True, pool_type="avg"),
    dict(kernel=(1, 1), global_pool=True, pool_type="max"),
    dict(kernel=(1, 1), global_pool=True, pool_type="sum"),
])
def test_pooling(tmp_path, kwargs):
    _check(tmp_path, mx.sym.Pooling(D, **kwargs), {"data": _x(2, 3, 8, 8)})


def test_pooling_1d(tmp_path):
    _check(tmp_path, mx.sym.Pooling(D, kernel=(3,), stride=(2,), pool_type="max"),
           {"data": _x(2, 3, 9)})


@pytest.mark.parametrize("shape,reverse", [((0, -1), False), ((-1, 4, 3), False),
                                           ((0, -3, -2), False), ((-4, 1, 2, 0, 0), False),
                                           ((0, 0, -1), True), ((2, -2), False)])
def test_reshape_codes(tmp_path, shape, reverse):
    s = mx.sym.Reshape(D, shape=shape, reverse=reverse)
    _check(tmp_path, s, {"data": _x(2, 3, 4, 1)})


def test_shape_ops(tmp_path):
    y = mx.sym.var("y")
    s = mx.sym.Group([mx.sym.Flatten(D), mx.sym.Concat(D, y, dim=1),
                      mx.sym.transpose(D), mx.sym.transpose(D, axes=(0, 2, 1)),
                      mx.sym.expand_dims(D, axis=-1), mx.sym.slice_axis(D, axis=2, begin=1,
                                                                        end=None),
                      mx.sym.slice_axis(D, axis=1, begin=-2, end=-1)])
    _check(tmp_path, s, {"data": _x(2, 3, 4), "y": _x(2, 2, 4, seed=3)})


def test_arithmetic(tmp_path):
    y, b = mx.sym.var("y"), mx.sym.var("b")
    s = mx.sym.Group([D + y, D - y, D * y, D / (y * y + 1), mx.sym.broadcast_add(D, b),
                      mx.sym.broadcast_mul(D, b), mx.sym.broadcast_maximum(D, b),
                      D + 2, 2 - D, D * 3, D / 4, 1 / (D * D + 1), D ** 2, mx.sym.relu(D),
                      mx.sym.maximum(D, 0.5), mx.sym.clip(D, -0.5, 0.5), mx.sym.exp(D),
                      mx.sym.abs(D), mx.sym.square(D), mx.sym.sqrt(mx.sym.abs(D)),
                      mx.sym.add_n(D, y, D), mx.sym.negative(D)])
    _check(tmp_path, s, {"data": _x(2, 3), "y": _x(2, 3, seed=2), "b": _x(1, 3, seed=4)})


@pytest.mark.parametrize("kwargs", [{}, dict(axis=1), dict(axis=(0, 2), keepdims=True),
                                    dict(axis=1, exclude=True), dict(axis=-1)])
def test_reductions(tmp_path, kwargs):
    s = mx.sym.Group([mx.sym.mean(D, **kwargs), mx.sym.sum(D, **kwargs),
                      mx.sym.max(D, **kwargs)])
    _check(tmp_path, s, {"data": _x(2, 3, 4)})


def test_softmax_family(tmp_path):
    s = mx.sym.Group([mx.sym.softmax(D), mx.sym.softmax(D, axis=1, temperature=2.0),
                      mx.sym.log_softmax(D, axis=-1)])
    _check(tmp_path, s, {"data": _x(2, 3, 4)})


@pytest.mark.parametrize("kwargs,shape", [({}, (2, 5)), ({}, (2, 3, 4)),
                                          (dict(multi_output=True), (2, 3, 4)),
                                          (dict(preserve_shape=True), (2, 3, 4))])
def test_softmax_output_drops_label(tmp_path, kwargs, shape):
    s = mx.sym.SoftmaxOutput(D, name="softmax", **kwargs)
    model = _check(tmp_path, s, {"data": _x(*shape)})
    assert [i.name for i in model.graph.input] == ["data"]


def test_embedding_layernorm_dropout(tmp_path):
    emb = mx.sym.Embedding(D, input_dim=10, output_dim=6, name="emb")
    s = mx.sym.Dropout(mx.sym.LayerNorm(emb, name="ln"), p=0.5)
    ln1 = mx.sym.LayerNorm(mx.sym.var("z"), axis=1, name="ln1")
    ids = np.array([[1, 3, 9], [0, 2, 2]], np.float32)
    model = _check(tmp_path, mx.sym.Group([s, ln1]), {"data": ids, "z": _x(2, 4, 3)})
    assert "Gather" in _ops(model) and "Identity" in _ops(model)


def test_gluon_mlp_export_roundtrip(tmp_path):
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Dense(8, activation="relu"), mx.gluon.nn.Dropout(0.3),
            mx.gluon.nn.Dense(3))
    net.initialize()
    net.hybridize()
    x = _x(4, 5)
    want = net(mx.nd.array(x)).asnumpy()
    net.export(str(tmp_path / "mlp"))
    sym = mx.sym.load(str(tmp_path / "mlp-symbol.json"))
    params = mx.nd.load(str(tmp_path / "mlp-0000.params"))
    path = mx.onnx.export_model(sym, params, [x.shape], onnx_file_path=str(tmp_path / "a.onnx"))
    np.testing.assert_allclose(_run_onnx(path, {"data": x})[0], want, rtol=RTOL, atol=ATOL)


# ---- API ------------------------------------------------------------------------------------
def test_dynamic_batch(tmp_path):
    s = mx.sym.FullyConnected(mx.sym.Flatten(D), num_hidden=3, name="fc")
    params = {"fc_weight": mx.nd.ones((3, 12)), "fc_bias": mx.nd.zeros(3)}
    path = mx.onnx.export_model(s, params, [(2, 3, 4)], np.float32, str(tmp_path / "d.onnx"),
                                dynamic=True, dynamic_input_shapes=[(None, 3, 4)])
    model = onnx.load(path)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param and [d.dim_value for d in dims[1:]] == [3, 4]
    out = _run_onnx(path, {"data": _x(5, 3, 4)})[0]
    assert out.shape == (5, 3)


def test_unsupported_op_names_it_and_writes_nothing(tmp_path):
    s = mx.sym.topk(mx.sym.FullyConnected(D, num_hidden=3, name="fc"), k=2)
    path = tmp_path / "u.onnx"
    params = {"fc_weight": mx.nd.ones((3, 4)), "fc_bias": mx.nd.zeros(3)}
    with pytest.raises(MXNetError, match=r"topk.*supported operators:.*FullyConnected"):
        mx.onnx.export_model(s, params, [(2, 4)], np.float32, str(path))
    assert os.listdir(tmp_path) == []


def test_unsupported_attribute_names_node(tmp_path):
    s = mx.sym.Pooling(D, kernel=(2, 2), pooling_convention="same", name="p")
    with pytest.raises(MXNetError, match=r"Pooling node 'p'.*same"):
        mx.onnx.export_model(s, {}, [(1, 1, 4, 4)], onnx_file_path=str(tmp_path / "p.onnx"))
    assert os.listdir(tmp_path) == []


def test_wrong_in_shapes(tmp_path):
    s = mx.sym.var("a") + mx.sym.var("b")
    with pytest.raises(ValueError, match=r"2 data input\(s\) \['a', 'b'\]"):
        mx.onnx.export_model(s, {}, [(2, 3)], onnx_file_path=str(tmp_path / "w.onnx"))


def test_params_with_prefixes_and_input_shape_alias(tmp_path):
    s = mx.sym.BatchNorm(D, name="bn")
    params = {"arg:bn_gamma": mx.nd.ones(3), "arg:bn_beta": mx.nd.zeros(3),
              "aux:bn_moving_mean": mx.nd.zeros(3), "aux:bn_moving_var": mx.nd.ones(3)}
    path = mx.onnx.export_model(s, params, input_shape=[(1, 3, 2, 2)],
                                onnx_file_path=str(tmp_path / "b.onnx"))
    x = _x(1, 3, 2, 2)
    np.testing.assert_allclose(_run_onnx(path, {"data": x})[0], x / np.sqrt(1 + 1e-3),
                               rtol=RTOL, atol=ATOL)


def test_get_operator_support():
    ops = mx.onnx.get_operator_support()
    assert ops == sorted(ops)
    for name in ("Convolution", "FullyConnected", "BatchNorm", "Pooling", "Reshape",
                 "SoftmaxOutput", "LayerNorm", "Embedding", "_plus_scalar"):
        assert name in ops
    assert mx.onnx.get_operator_support(14) == ops
    assert mx.onnx.get_operator_support(11) == []
    assert mx.onnx.mx2onnx.get_operator_support is mx.onnx.get_operator_support


def test_contrib_onnx(tmp_path):
    s = mx.sym.FullyConnected(D, num_hidden=2, name="fc")
    params = {"fc_weight": mx.nd.ones((2, 3)), "fc_bias": mx.nd.zeros(2)}
    with pytest.warns(DeprecationWarning):
        path = mx.contrib.onnx.export_model(s, params, [(4, 3)], np.float32,
                                            str(tmp_path / "c.onnx"))
    meta = mx.contrib.onnx.get_model_metadata(path)
    assert meta == {"input_tensor_data": [("data", (4, 3))],
                    "output_tensor_data": [("fc", (4, 2))]}
    json.dumps(meta)  # plain Python values


# ---- import (ONNX -> MXNet) -------------------------------------------------------------------
def _roundtrip(tmp_path, sym, feeds, params):
    path = mx.onnx.export_model(sym, params, [v.shape for v in feeds.values()], np.float32,
                                str(tmp_path / "r.onnx"))
    sym2, args, aux = mx.contrib.onnx.import_model(path)
    want = _run_mx(sym, params, feeds)
    got = _run_mx(sym2, {**args, **aux}, feeds)
    assert len(got) == len(want) == len(sym)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    return sym2, args, aux


@pytest.mark.parametrize("name", ["cnn"])
def test_import_fixture_models(tmp_path, name):
    prefix = os.path.join(MODELS, name)
    if not os.path.exists(prefix + "-symbol.json"):
        pytest.skip("MXNet fixture models are not next to this checkout")
    io = np.load(prefix + "-io.npz")
    path = mx.onnx.export_model(prefix + "-symbol.json", prefix + "-0000.params",
                                [io["in/data"].shape], np.float32, str(tmp_path / "m.onnx"))
    sym, args, aux = mx.contrib.onnx.import_model(path)
    assert sorted(aux) == sorted(n for n in sym.list_auxiliary_states())
    got = _run_mx(sym, {**args, **aux}, {"data": io["in/data"]})[0]
    np.testing.assert_allclose(got, io["out/0"], rtol=RTOL, atol=1e-5)
    net = mx.contrib.onnx.import_to_gluon(path, mx.cpu())
    np.testing.assert_allclose(net(mx.nd.array(io["in/data"])).asnumpy(), io["out/0"],
                               rtol=RTOL, atol=1e-5)


def test_import_op_set(tmp_path):
    y = mx.sym.var("y")
    body = mx.sym.Group([
        mx.sym.FullyConnected(D, num_hidden=3, flatten=False, name="fc"),
        mx.sym.LeakyReLU(D, act_type="prelu", name="pr"), mx.sym.softmax(D, axis=1),
        mx.sym.Reshape(D, shape=(0, -3)), mx.sym.expand_dims(D, axis=1),
        mx.sym.slice_axis(D, axis=2, begin=1, end=3), mx.sym.mean(D, axis=1),
        mx.sym.sum(D, axis=(1, 2), keepdims=True), D * 2 + 1, 1 - D, mx.sym.clip(D, -1, 1),
        mx.sym.Concat(D, y, dim=2), mx.sym.transpose(D), mx.sym.LayerNorm(D, name="ln"),
        mx.sym.LeakyReLU(D, act_type="gelu")])
    rng = np.random.default_rng(0)
    params = {"fc_weight": mx.nd.array(rng.standard_normal((3, 4))),
              "fc_bias": mx.nd.array(rng.standard_normal(3)),
              "pr_gamma": mx.nd.array([0.1, 0.2, 0.3]), "ln_gamma": mx.nd.ones(4) * 2,
              "ln_beta": mx.nd.ones(4)}
    _roundtrip(tmp_path, body, {"data": _x(2, 3, 4), "y": _x(2, 3, 4, seed=5)}, params)


def test_import_unknown_op_names_it(tmp_path):
    node = onnx.helper.make_node("Hardmax", ["x"], ["y"])
    graph = onnx.helper.make_graph(
        [node], "g", [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2, 3])])
    path = str(tmp_path / "h.onnx")
    onnx.save(onnx.helper.make_model(graph), path)
    with pytest.raises(MXNetError, match=r"Hardmax.*supported: .*Conv"):
        mx.contrib.onnx.import_model(path)
