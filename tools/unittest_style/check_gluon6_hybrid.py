"""Round-6 hybridize / export / SymbolBlock checks in the style of MXNet's test_gluon.py.

Run through ``tools/unittest_style/run.py --only gluon6`` (real MXNet 1.9.1 and mxtorch).
"""
import json
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import nn
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

TMP = tempfile.mkdtemp()


def _mlp(prefix=None):
    net = nn.HybridSequential(prefix=prefix)
    with net.name_scope():
        net.add(nn.Dense(5, activation="relu"), nn.Dense(3))
    return net


@with_seed()
def test_static_alloc_static_shape_values():
    x = mx.nd.random.uniform(shape=(4, 6))
    base = _mlp("m_")
    base.initialize(mx.init.Xavier())
    base(x)
    f = os.path.join(TMP, "mlp.params")
    base.save_parameters(f)
    outs = []
    for kwargs in ({}, {"static_alloc": True}, {"static_alloc": True, "static_shape": True}):
        net = _mlp("m_")
        net.load_parameters(f)
        net.hybridize(**kwargs)
        for _ in range(2):
            with autograd.record():
                y = net(x)
            y.backward()
        outs.append((y.asnumpy(), net[0].weight.grad().asnumpy()))
    for y, g in outs[1:]:
        assert_almost_equal(y, outs[0][0], rtol=1e-5, atol=1e-6)
        assert_almost_equal(g, outs[0][1], rtol=1e-5, atol=1e-6)


@with_seed()
def test_inline_limit_and_export_graph():
    net = _mlp("il_")
    net.initialize()
    net.hybridize(inline_limit=0)
    net(mx.nd.ones((2, 4)))
    prefix = os.path.join(TMP, "il")
    net.export(prefix)
    graph = json.load(open(prefix + "-symbol.json"))
    names = [n["name"] for n in graph["nodes"]]
    assert "il_dense0_fwd" in names and "il_dense1_fwd" in names, names
    assert "il_dense0_relu_fwd" in names, names


@with_seed()
def test_hooks_on_hybridized_block():
    net = _mlp()
    net.initialize()
    net.hybridize()
    calls = []

    def pre(block, inputs):
        calls.append(("pre", inputs[0].shape))

    def post(block, inputs, outputs):
        calls.append(("post", outputs.shape))

    h1 = net.register_forward_pre_hook(pre)
    h2 = net.register_forward_hook(post)
    net(mx.nd.ones((2, 4)))
    net(mx.nd.ones((3, 4)))
    assert calls == [("pre", (2, 4)), ("post", (2, 3)), ("pre", (3, 4)), ("post", (3, 3))], calls
    h1.detach()
    h2.detach()
    net(mx.nd.ones((2, 4)))
    assert len(calls) == 4
    inner = []
    net[0].register_forward_hook(lambda b, i, o: inner.append(o.shape))
    net(mx.nd.ones((2, 4)))
    net.hybridize(active=False)
    net(mx.nd.ones((2, 4)))
    assert inner[-1] == (2, 5), inner


@with_seed()
def test_rehybridize_after_shape_change():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1), nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(2))
    net.initialize()
    net.hybridize()
    y1 = net(mx.nd.ones((1, 3, 8, 8)))
    y2 = net(mx.nd.ones((2, 3, 5, 7)))
    assert y1.shape == (1, 2) and y2.shape == (2, 2)
    net.hybridize(static_alloc=True, static_shape=True)
    y3 = net(mx.nd.ones((3, 3, 6, 6)))
    assert y3.shape == (3, 2)
    net.hybridize(active=False)
    assert_almost_equal(net(mx.nd.ones((3, 3, 6, 6))).asnumpy(), y3.asnumpy(), rtol=1e-5,
                        atol=1e-6)
    net.hybridize(static_alloc=True, static_shape=True)
    assertRaises(Exception, lambda: net(mx.nd.ones((3, 4, 6, 6))).asnumpy())


@with_seed()
def test_hybridize_active_false_then_true():
    class Counter(gluon.HybridBlock):
        def __init__(self, **kw):
            super(Counter, self).__init__(**kw)
            self.n = 0

        def hybrid_forward(self, F, x):
            self.n += 1
            return x * 2

    net = Counter()
    net.hybridize()
    net(mx.nd.ones((2,)))
    net(mx.nd.ones((2,)))
    assert net.n == 1
    net.hybridize(active=False)
    net(mx.nd.ones((2,)))
    net(mx.nd.ones((2,)))
    assert net.n == 3
    net.hybridize(active=True)
    net(mx.nd.ones((2,)))
    net(mx.nd.ones((2,)))
    assert net.n == 4


@with_seed()
def test_export_epoch_file_names():
    net = _mlp("e_")
    net.initialize()
    net.hybridize()
    net(mx.nd.ones((1, 4)))
    prefix = os.path.join(TMP, "exp")
    net.export(prefix, epoch=7)
    assert os.path.exists(prefix + "-symbol.json")
    assert os.path.exists(prefix + "-0007.params")
    net.export(prefix)
    assert os.path.exists(prefix + "-0000.params")
    keys = sorted(mx.nd.load(prefix + "-0007.params").keys())
    assert keys == ["arg:e_dense0_bias", "arg:e_dense0_weight", "arg:e_dense1_bias",
                    "arg:e_dense1_weight"], keys
    unhybrid = _mlp()
    unhybrid.initialize()
    assertRaises(RuntimeError, unhybrid.export, prefix + "x")


@with_seed()
def test_symbolblock_imports_ctx_list_allow_missing():
    net = _mlp("s_")
    net.initialize()
    net.hybridize()
    x = mx.nd.random.uniform(shape=(2, 4))
    ref = net(x).asnumpy()
    prefix = os.path.join(TMP, "sb")
    net.export(prefix, epoch=3)
    sb = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0003.params",
                                   ctx=[mx.cpu(0), mx.cpu(1)])
    assert sb.collect_params()["s_dense0_weight"].list_ctx() == [mx.cpu(0), mx.cpu(1)]
    assert_almost_equal(sb(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)
    full = mx.nd.load(prefix + "-0003.params")
    del full["arg:s_dense1_bias"]
    mx.nd.save(prefix + "-partial.params", full)
    assertRaises(AssertionError, gluon.SymbolBlock.imports, prefix + "-symbol.json", ["data"],
                 prefix + "-partial.params")
    sb2 = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-partial.params",
                                    allow_missing=True)
    sb2.collect_params()["s_dense1_bias"].initialize()
    assert sb2(x).shape == (2, 3)
    sb3 = gluon.SymbolBlock.imports(prefix + "-symbol.json", "data")
    sb3.initialize()
    assert sb3(x).shape == (2, 3)


@with_seed()
def test_symbolblock_hybridize_and_grad():
    data = mx.sym.var("data")
    out = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    out = mx.sym.Activation(out, act_type="tanh")
    sb = gluon.SymbolBlock(out, data)
    sb.initialize(mx.init.One())
    x = mx.nd.array([[0.1, 0.2], [0.3, -0.1]])
    with autograd.record():
        y = sb(x)
    y.backward()
    g1 = sb.collect_params()["fc_weight"].grad().asnumpy().copy()
    sb.hybridize()
    with autograd.record():
        y2 = sb(x)
    y2.backward()
    assert_almost_equal(y.asnumpy(), y2.asnumpy())
    assert_almost_equal(sb.collect_params()["fc_weight"].grad().asnumpy(), g1)
    assert_almost_equal(y.asnumpy(), np.tanh(x.asnumpy().sum(1, keepdims=True) + np.ones((1, 2))))


@with_seed()
def test_optimize_for_cpu_backends():
    net = _mlp()
    net.initialize()
    x = mx.nd.random.uniform(shape=(2, 4))
    ref = net(x).asnumpy()
    assertRaises(ValueError, net.optimize_for, x)
    for backend in ("MKLDNN", "MKLDNN_QUANTIZE"):
        assert net.optimize_for(x, backend=backend) is None
        assert_almost_equal(net(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)
    net.optimize_for(x, backend="MKLDNN", static_alloc=True, static_shape=True)
    assert_almost_equal(net(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)
    prefix = os.path.join(TMP, "opt")
    net.export(prefix)
    sb = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    assert_almost_equal(sb(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_hybrid_forward_kwargs_and_none_output():
    class Two(gluon.HybridBlock):
        def hybrid_forward(self, F, x, y=None):
            if y is None:
                return x + 1
            return x + y, x - y

    net = Two()
    net.hybridize()
    a = net(mx.nd.ones((2,)))
    assert_almost_equal(a.asnumpy(), np.full(2, 2.0))
    net2 = Two()
    net2.hybridize()
    b, c = net2(mx.nd.ones((2,)), mx.nd.ones((2,)) * 3)
    assert_almost_equal(b.asnumpy(), np.full(2, 4.0))
    assert_almost_equal(c.asnumpy(), np.full(2, -2.0))


@with_seed()
def test_hybrid_nested_list_outputs():
    class Nested(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return [x * 2, [x + 1, x - 1]]

    net = Nested()
    net.hybridize()
    out = net(mx.nd.ones((2,)))
    assert isinstance(out, list) and isinstance(out[1], list)
    assert_almost_equal(out[1][0].asnumpy(), np.full(2, 2.0))
    assert_almost_equal(out[1][1].asnumpy(), np.zeros(2))


@with_seed()
def test_hybrid_infer_shape_deferred_conv_after_hybridize():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(3, kernel_size=3), nn.BatchNorm(), nn.Activation("relu"), nn.Dense(4))
    net.initialize()
    net.hybridize()
    y = net(mx.nd.ones((2, 2, 5, 5)))
    assert y.shape == (2, 4)
    assert net[0].weight.shape == (3, 2, 3, 3)
    assert net[1].gamma.shape == (3,)
    assert net[3].weight.shape == (4, 27)


@with_seed()
def test_hybridize_cast_and_rehybridize():
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=2))
    net.initialize()
    net.hybridize()
    net(mx.nd.ones((1, 2)))
    net.cast("float64")
    y = net(mx.nd.ones((1, 2), dtype="float64"))
    assert y.dtype == np.float64


@with_seed()
def test_export_remove_amp_cast_and_reload_values():
    net = nn.HybridSequential(prefix="r_")
    with net.name_scope():
        net.add(nn.Conv2D(2, 3, in_channels=1), nn.Flatten(), nn.Dense(2, in_units=2 * 3 * 3))
    net.initialize()
    net.hybridize()
    x = mx.nd.random.uniform(shape=(1, 1, 5, 5))
    ref = net(x).asnumpy()
    prefix = os.path.join(TMP, "rac")
    net.export(prefix, remove_amp_cast=False)
    sym = mx.sym.load(prefix + "-symbol.json")
    assert sym.list_arguments() == ["data", "r_conv0_weight", "r_conv0_bias",
                                    "r_dense0_weight", "r_dense0_bias"]
    mod = mx.mod.Module(sym, data_names=["data"], label_names=None)
    mod.bind([("data", (1, 1, 5, 5))], for_training=False)
    arg, aux = {}, {}
    for k, v in mx.nd.load(prefix + "-0000.params").items():
        (arg if k.startswith("arg:") else aux)[k[4:]] = v
    mod.set_params(arg, aux)
    mod.forward(mx.io.DataBatch([x]), is_train=False)
    assert_almost_equal(mod.get_outputs()[0].asnumpy(), ref, rtol=1e-5, atol=1e-6)


main(globals())
