"""Round-5 Parameter / ParameterDict / Block API checks in the style of MXNet's test_gluon.py.

Run through ``tools/unittest_style/run.py --only gluon5`` (real MXNet 1.9.1 and mxtorch).
"""
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


@with_seed()
def test_grad_req_change_after_init():
    p = gluon.Parameter("w", shape=(2, 3))
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    p.grad_req = "null"
    assertRaises(RuntimeError, p.grad)
    assertRaises(RuntimeError, p.list_grad)
    p.grad_req = "add"
    assert p.grad(mx.cpu(1)).shape == (2, 3)
    assert p.grad().sum().asscalar() == 0
    p.grad_req = "write"
    assert len(p.list_grad()) == 2


@with_seed()
def test_parameter_cast_and_dtype():
    p = gluon.Parameter("w", shape=(2, 2), dtype="float32")
    p.initialize(init="ones")
    p.cast("float16")
    assert p.data().dtype == np.float16
    assert p.grad().dtype == np.float16
    assert p.dtype == "float16" or p.dtype == np.float16
    p2 = gluon.Parameter("w2", shape=(2, 2), dtype=np.float64)
    p2.initialize()
    assert p2.data().dtype == np.float64


@with_seed()
def test_reset_ctx_and_list_ctx():
    net = nn.Dense(3, in_units=4)
    net.initialize(ctx=mx.cpu(0))
    before = net.weight.data().asnumpy()
    net.collect_params().reset_ctx([mx.cpu(1), mx.cpu(2)])
    assert net.weight.list_ctx() == [mx.cpu(1), mx.cpu(2)]
    assert_almost_equal(net.weight.data(mx.cpu(2)).asnumpy(), before)
    p = gluon.Parameter("d", shape=(0, 3), allow_deferred_init=True)
    p.initialize(ctx=[mx.cpu(3)])
    assert p.list_ctx() == [mx.cpu(3)]
    p.reset_ctx(mx.cpu(4))
    assert p.list_ctx() == [mx.cpu(4)]


@with_seed()
def test_zero_grad_param_and_dict():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    x = mx.nd.ones((4, 3))
    with autograd.record():
        y = net(x)
    y.backward()
    assert net.weight.grad().abs().sum().asscalar() > 0
    net.weight.zero_grad()
    assert net.weight.grad().abs().sum().asscalar() == 0
    assert net.bias.grad().abs().sum().asscalar() > 0
    net.collect_params().zero_grad()
    assert net.bias.grad().abs().sum().asscalar() == 0
    p = gluon.Parameter("n", shape=(2,), grad_req="null")
    p.initialize()
    p.zero_grad()


@with_seed()
def test_paramdict_setattr():
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=3), nn.Dense(1, in_units=2))
    net.initialize()
    params = net.collect_params()
    params.setattr("grad_req", "null")
    assert all(p.grad_req == "null" for p in params.values())
    params.setattr("lr_mult", 0.5)
    assert all(p.lr_mult == 0.5 for p in params.values())
    net.collect_params(".*weight").setattr("wd_mult", 0.0)
    assert net[0].weight.wd_mult == 0.0 and net[0].bias.wd_mult == 1.0


@with_seed()
def test_paramdict_save_load_prefix():
    params = gluon.ParameterDict("net_")
    params.get("w0", shape=(3, 2))
    params.get("w1", shape=(2,))
    params.initialize(ctx=mx.cpu())
    fname = os.path.join(TMP, "pd.params")
    params.save(fname, strip_prefix="net_")
    keys = sorted(mx.nd.load(fname).keys())
    assert keys == ["w0", "w1"], keys
    assertRaises(ValueError, params.save, fname + "x", strip_prefix="other_")
    other = gluon.ParameterDict("net_")
    other.get("w0", shape=(3, 2))
    other.get("w1", shape=(2,))
    other.load(fname, mx.cpu(), restore_prefix="net_")
    assert_almost_equal(other["net_w0"].data().asnumpy(), params["net_w0"].data().asnumpy())
    fewer = gluon.ParameterDict("net_")
    fewer.get("w0", shape=(3, 2))
    assertRaises(AssertionError, fewer.load, fname, mx.cpu(), restore_prefix="net_")
    fewer.load(fname, mx.cpu(), ignore_extra=True, restore_prefix="net_")
    more = gluon.ParameterDict("net_")
    more.get("w0", shape=(3, 2))
    more.get("w1", shape=(2,))
    more.get("w2", shape=(2,))
    assertRaises(AssertionError, more.load, fname, mx.cpu(), restore_prefix="net_")
    more.load(fname, mx.cpu(), allow_missing=True, restore_prefix="net_")
    assert more["net_w0"].data().shape == (3, 2)


@with_seed()
def test_block_save_load_allow_missing_ignore_extra():
    a = nn.HybridSequential()
    a.add(nn.Dense(3, in_units=2), nn.Dense(2, in_units=3))
    a.initialize()
    f = os.path.join(TMP, "a.params")
    a.save_parameters(f)
    b = nn.HybridSequential()
    b.add(nn.Dense(3, in_units=2))
    assertRaises(ValueError, b.load_parameters, f)
    b.load_parameters(f, ignore_extra=True)
    assert_almost_equal(b[0].weight.data().asnumpy(), a[0].weight.data().asnumpy())
    c = nn.HybridSequential()
    c.add(nn.Dense(3, in_units=2), nn.Dense(2, in_units=3), nn.Dense(1, in_units=2))
    assertRaises((AssertionError, ValueError), c.load_parameters, f)
    c.load_parameters(f, allow_missing=True)
    c.initialize()
    assert c[2].weight.data().shape == (1, 2)
    d = nn.HybridSequential()
    d.add(nn.Dense(3, in_units=2), nn.Dense(2, in_units=3))
    d.load_parameters(f, cast_dtype=True, dtype_source="saved")


@with_seed()
def test_deferred_init_errors():
    net = nn.Dense(3)
    net.initialize()
    assertRaises(gluon.parameter.DeferredInitializationError, net.weight.data)
    p = gluon.Parameter("x", shape=(0, 2))
    assertRaises(RuntimeError, p.data)
    p2 = gluon.Parameter("y", shape=(2, 2))
    assertRaises(RuntimeError, p2.data)
    assertRaises(RuntimeError, p2.list_ctx)
    net(mx.nd.ones((2, 5)))
    assert net.weight.shape == (3, 5)
    q = gluon.Parameter("q", shape=(2, 0), allow_deferred_init=False)
    assertRaises((RuntimeError, AssertionError, ValueError), q.initialize)


@with_seed()
def test_set_data_and_shape_mismatch():
    p = gluon.Parameter("w", shape=(2, 3))
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    p.set_data(mx.nd.ones((2, 3)))
    assert p.data(mx.cpu(1)).asnumpy().sum() == 6
    p2 = gluon.Parameter("w2", shape=(0, 3))
    p2.shape = (4, 3)
    assert p2.shape == (4, 3)
    try:
        p2.shape = (5, 3)
        raised = False
    except AssertionError:
        raised = True
    assert raised


@with_seed()
def test_collect_params_select():
    net = nn.HybridSequential(prefix="model_")
    with net.name_scope():
        net.add(nn.Dense(10, in_units=5), nn.BatchNorm(in_channels=10), nn.Dense(2, in_units=10))
    assert sorted(net.collect_params("model_dense0.*").keys()) == [
        "model_dense0_bias", "model_dense0_weight"]
    assert sorted(net.collect_params(".*gamma|.*beta").keys()) == [
        "model_batchnorm0_beta", "model_batchnorm0_gamma"]
    assert len(list(net.collect_params(".*running.*").keys())) == 2
    assert len(list(net.collect_params().keys())) == 8


@with_seed()
def test_register_child_and_apply():
    class Net(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.blocks = []
                for i in range(3):
                    d = nn.Dense(2, in_units=2)
                    self.register_child(d, "d%d" % i)
                    self.blocks.append(d)

        def hybrid_forward(self, F, x):
            for b in self.blocks:
                x = b(x)
            return x
    net = Net(prefix="n_")
    assert list(net._children.keys()) == ["d0", "d1", "d2"]
    assert len(list(net.collect_params().keys())) == 6
    seen = []
    net.apply(lambda b: seen.append(type(b).__name__))
    assert seen == ["Dense", "Dense", "Dense", "Net"], seen
    net.initialize()
    net.hybridize()
    assert net(mx.nd.ones((1, 2))).shape == (1, 2)


@with_seed()
def test_share_params_via_params_arg():
    a = nn.Dense(3, in_units=4, prefix="a_")
    b = nn.Dense(3, in_units=4, prefix="b_", params=a.collect_params())
    a.initialize()
    x = mx.nd.ones((2, 4))
    assert_almost_equal(a(x).asnumpy(), b(x).asnumpy())
    assert b.weight.name == "a_weight"
    c = nn.Dense(3, in_units=4)
    c.share_parameters(a.collect_params()) if hasattr(c, "share_parameters") else None


@with_seed()
def test_summary_text():
    import io
    import sys
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation="relu", in_units=3), nn.Dense(2, in_units=4))
    net.initialize()
    buf = io.StringIO()
    old = sys.stdout
    sys.stdout = buf
    try:
        net.summary(mx.nd.ones((2, 3)))
    finally:
        sys.stdout = old
    text = buf.getvalue()
    assert "Total params: 26" in text, text
    assert "Trainable params: 26" in text
    assert "Non-trainable params: 0" in text
    assert "Output Shape" in text and "Param #" in text
    assert "(2, 4)" in text and "(2, 2)" in text
    net.hybridize()
    net(mx.nd.ones((2, 3)))
    assertRaises(AssertionError, net.summary, mx.nd.ones((2, 3)))


@with_seed()
def test_hybridize_flags():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.Activation("tanh"), nn.Dense(2, in_units=4))
    net.initialize()
    x = mx.nd.random.uniform(shape=(3, 3))
    ref = net(x).asnumpy()
    for kw in ({"inline_limit": 0}, {"static_alloc": True}, {"static_alloc": True, "static_shape": True},
               {"inline_limit": 100}):
        net.hybridize(**kw)
        x.attach_grad()
        with autograd.record():
            y = net(x)
        y.backward()
        assert_almost_equal(y.asnumpy(), ref, rtol=1e-5, atol=1e-6)
    net.hybridize(active=False)
    assert_almost_equal(net(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_export_imports_epoch():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4))
    net.initialize()
    net.hybridize()
    x = mx.nd.random.uniform(shape=(2, 3))
    ref = net(x).asnumpy()
    path = os.path.join(TMP, "exp")
    net.export(path, epoch=7)
    assert os.path.exists(path + "-symbol.json") and os.path.exists(path + "-0007.params")
    loaded = mx.nd.load(path + "-0007.params")
    assert any(k.startswith("aux:") for k in loaded) and any(k.startswith("arg:") for k in loaded)
    blk = gluon.SymbolBlock.imports(path + "-symbol.json", ["data"], path + "-0007.params")
    assert_almost_equal(blk(x).asnumpy(), ref, rtol=1e-5, atol=1e-6)
    sym, args, aux = mx.model.load_checkpoint(path, 7)
    assert len(aux) == 2 and len(args) == 4


@with_seed()
def test_cast_float16_forward():
    net = nn.HybridSequential()
    net.add(nn.BatchNorm(in_channels=2), nn.Activation("relu"), nn.MaxPool2D())
    net.initialize()
    net.cast("float16")
    y = net(mx.nd.ones((2, 2, 5, 5), dtype="float16"))
    assert y.dtype == np.float16
    assert np.dtype(net[0].gamma.dtype) == np.float32  # BatchNorm keeps float32 parameters
    net.hybridize()
    y2 = net(mx.nd.ones((2, 2, 5, 5), dtype="float16"))
    assert y2.dtype == np.float16
    assert_almost_equal(y.asnumpy(), y2.asnumpy(), rtol=1e-2, atol=1e-2)


@with_seed()
def test_nested_repr():
    class Model(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.dense0 = nn.Dense(20, in_units=10)
                self.seq = nn.Sequential()
                self.seq.add(nn.Conv2D(3, (2, 2), strides=2, padding=1), nn.MaxPool2D())
                self.dropout = nn.Dropout(0.3)

        def forward(self, x):
            return x
    text = repr(Model())
    expected = """Model(
  (dense0): Dense(10 -> 20, linear)
  (seq): Sequential(
    (0): Conv2D(None -> 3, kernel_size=(2, 2), stride=(2, 2), padding=(1, 1))
    (1): MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)
  )
  (dropout): Dropout(p = 0.3, axes=())
)"""
    assert text == expected, text


@with_seed()
def test_block_attr_reassign_and_param_attr():
    class B(gluon.Block):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.a = nn.Dense(2)
                self.p = self.params.get("extra", shape=(2,))

        def forward(self, x):
            return x
    b = B(prefix="b_")
    assert "b_extra" in b.collect_params()
    b.a = nn.Dense(3)
    assert len(b._children) == 1
    assertRaises(TypeError, setattr, b, "a", 5)


@with_seed()
def test_params_get_mismatch_and_constant():
    params = gluon.ParameterDict("p_")
    params.get("w", shape=(2, 0))
    w = params.get("w", shape=(2, 3))
    assert w.shape == (2, 3)
    assertRaises(AssertionError, params.get, "w", shape=(3, 3))
    c = params.get_constant("c", [[1, 2], [3, 4]])
    assert c.grad_req == "null"
    params.initialize()
    assert_almost_equal(c.data().asnumpy(), np.array([[1, 2], [3, 4]], dtype=np.float32))
    assertRaises(KeyError, params.get_constant, "c2")


@with_seed()
def test_parameter_var_attrs():
    p = gluon.Parameter("w", shape=(2, 3), lr_mult=2.0, wd_mult=0.1, init=mx.init.One())
    v = p.var()
    attrs = v.attr_dict()["w"]
    assert attrs["__lr_mult__"] == "2.0" and attrs["__wd_mult__"] == "0.1"
    assert attrs["__shape__"] == "(2, 3)"
    assert "__init__" in attrs


@with_seed()
def test_row_sparse_param_with_trainer_kvstore():
    for update_on_kv in (True, False):
        p = gluon.Parameter("w", shape=(6, 2), stype="row_sparse", grad_stype="row_sparse")
        p.initialize(init="ones", ctx=[mx.cpu(0), mx.cpu(1)])
        trainer = gluon.Trainer([p], "sgd", {"learning_rate": 0.5, "wd": 0},
                                kvstore="device", update_on_kvstore=update_on_kv)
        rows = mx.nd.array([0, 2])
        if not update_on_kv:
            assertRaises(ValueError, p.row_sparse_data, rows)
            continue
        for ctx in (mx.cpu(0), mx.cpu(1)):
            w = p.row_sparse_data(rows.as_in_context(ctx))
            assert w.stype == "row_sparse"
            with autograd.record():
                y = (w * 2).sum()
            y.backward()
        trainer.step(1)
        full = p.row_sparse_data(mx.nd.arange(6)).asnumpy()
        expected = np.ones((6, 2)) - 0.5 * 4
        assert_almost_equal(full, expected)


@with_seed()
def test_sparse_grad_dense_weight_trainer():
    emb = nn.Embedding(5, 2, sparse_grad=True)
    emb.initialize(init="ones")
    assert emb.weight.grad().stype == "row_sparse"
    tr = gluon.Trainer(emb.collect_params(), "sgd", {"learning_rate": 1.0})
    with autograd.record():
        y = emb(mx.nd.array([1, 3, 3])).sum()
    y.backward()
    g = emb.weight.grad()
    assert g.stype == "row_sparse"
    tr.step(1)
    w = emb.weight.data().asnumpy()
    assert_almost_equal(w[:, 0], np.array([1, 0, 1, -1, 1], dtype=np.float32))


main(globals())
