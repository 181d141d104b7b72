"""Round-6 Parameter / ParameterDict corner cases in the style of MXNet's test_gluon.py.

Run through ``tools/unittest_style/run.py --only gluon6`` (real MXNet 1.9.1 and mxtorch).
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
def test_shared_params_with_prefixes():
    a = nn.Dense(3, in_units=2, prefix="a_")
    b = nn.Dense(3, in_units=2, prefix="b_", params=a.collect_params())
    assert b.weight is a.weight
    assert sorted(b.collect_params().keys()) == ["a_bias", "a_weight"]
    a.initialize()
    x = mx.nd.ones((1, 2))
    assert_almost_equal(a(x).asnumpy(), b(x).asnumpy())
    pd = gluon.ParameterDict("shared_")
    pd.get("weight", shape=(3, 2))
    c = nn.Dense(3, in_units=2, prefix="shared_", params=pd)
    assert c.weight is pd["shared_weight"]
    assert "shared_bias" in c.collect_params()


@with_seed()
def test_params_argument_nested_block():
    class Net(gluon.Block):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense = nn.Dense(4, in_units=3)

        def forward(self, x):
            return self.dense(x)

    n1 = Net(prefix="net_")
    n2 = Net(prefix="net_", params=n1.collect_params())
    assert n2.dense.weight is n1.dense.weight
    assert list(n2.collect_params().keys()) == list(n1.collect_params().keys())


@with_seed()
def test_paramdict_get_and_get_constant():
    pd = gluon.ParameterDict("p_")
    w = pd.get("w", shape=(2, 3), init="ones", lr_mult=2.0)
    assert pd.get("w") is w
    assert w.lr_mult == 2.0
    assertRaises(AssertionError, pd.get, "w", shape=(4, 4))
    w2 = pd.get("w", shape=(2, 3))
    assert w2 is w
    c = pd.get_constant("c", mx.nd.array([1, 2, 3]))
    assert pd.get_constant("c") is c
    assert c.grad_req == "null"
    assertRaises(KeyError, pd.get_constant, "missing")
    pd.initialize()
    assert_almost_equal(c.data().asnumpy(), np.array([1, 2, 3], dtype=np.float32))
    assert_almost_equal(w.data().asnumpy(), np.ones((2, 3)))


@with_seed()
def test_paramdict_update_and_setattr():
    pd1 = gluon.ParameterDict("a_")
    pd1.get("w", shape=(2,))
    pd2 = gluon.ParameterDict("b_")
    pd2.get("v", shape=(3,))
    pd1.update(pd2)
    assert sorted(pd1.keys()) == ["a_w", "b_v"]
    pd1.setattr("lr_mult", 0.5)
    assert all(p.lr_mult == 0.5 for p in pd1.values())
    pd1.setattr("grad_req", "null")
    assert pd1["a_w"].grad_req == "null"
    pd3 = gluon.ParameterDict("c_")
    pd3._params["b_v"] = gluon.Parameter("b_v", shape=(3,))
    assertRaises(AssertionError, pd1.update, pd3)


@with_seed()
def test_reset_ctx_list_ctx_values():
    net = nn.Dense(2, in_units=3)
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    assert net.weight.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    w = net.weight.data(mx.cpu(1)).asnumpy()
    net.weight.reset_ctx(mx.cpu(2))
    assert net.weight.list_ctx() == [mx.cpu(2)]
    assert_almost_equal(net.weight.data().asnumpy(), w)
    assert net.weight.data().context == mx.cpu(2)
    assert net.bias.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    assertRaises(RuntimeError, net.weight.data, mx.cpu(0))


@with_seed()
def test_grad_req_switching_values():
    net = nn.Dense(1, in_units=2, use_bias=False)
    net.initialize(init="ones")
    x = mx.nd.array([[1.0, 2.0]])
    net.weight.grad_req = "add"
    for _ in range(2):
        with autograd.record():
            y = net(x)
        y.backward()
    assert_almost_equal(net.weight.grad().asnumpy(), np.array([[2.0, 4.0]]))
    net.weight.grad_req = "write"
    with autograd.record():
        y = net(x)
    y.backward()
    assert_almost_equal(net.weight.grad().asnumpy(), np.array([[1.0, 2.0]]))
    net.weight.grad_req = "null"
    assert net.weight._grad is None
    net.weight.grad_req = "write"
    assert net.weight.grad().asnumpy().sum() == 0


@with_seed()
def test_zero_grad_sparse():
    p = gluon.Parameter("emb", shape=(5, 2), grad_stype="row_sparse")
    p.initialize()
    g = p.grad()
    assert g.stype == "row_sparse"
    emb = nn.Embedding(5, 2, sparse_grad=True)
    emb.initialize()
    with autograd.record():
        y = emb(mx.nd.array([0, 3]))
    y.backward()
    assert emb.weight.grad().stype == "row_sparse"
    emb.collect_params().zero_grad()
    assert emb.weight.grad().stype == "row_sparse"
    assert emb.weight.grad().tostype("default").asnumpy().sum() == 0


@with_seed()
def test_cast_float16_and_back():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4))
    net.initialize()
    w = net[0].weight.data().asnumpy()
    net.cast("float16")
    assert np.dtype(net[0].weight.dtype) == np.float16
    assert net[1].running_mean.data().dtype == np.float32
    assert np.dtype(net[1].gamma.dtype) == np.float32
    net.cast("float32")
    assert net[0].weight.data().dtype == np.float32
    assert_almost_equal(net[0].weight.data().asnumpy(), w.astype(np.float16).astype(np.float32))
    net.hybridize()
    assert net(mx.nd.ones((2, 3))).dtype == np.float32


@with_seed()
def test_save_load_cast_dtype_source():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    net.cast("float16")
    f = os.path.join(TMP, "p16.params")
    net.save_parameters(f)
    net2 = nn.Dense(2, in_units=3)
    net2.load_parameters(f, cast_dtype=True, dtype_source="current")
    assert net2.weight.dtype == np.float32 or net2.weight.data().dtype == np.float32
    net3 = nn.Dense(2, in_units=3)
    net3.load_parameters(f, cast_dtype=True, dtype_source="saved")
    assert net3.weight.data().dtype == np.float16
    assertRaises(AssertionError, net3.load_parameters, f, cast_dtype=True, dtype_source="bad")


@with_seed()
def test_save_load_allow_missing_ignore_extra_dict():
    pd = gluon.ParameterDict("m_")
    pd.get("a", shape=(2,), init="ones")
    pd.get("b", shape=(3,), init="zeros")
    pd.initialize()
    f = os.path.join(TMP, "pd.params")
    pd.save(f, strip_prefix="m_")
    pd2 = gluon.ParameterDict("m_")
    pd2.get("a", shape=(2,))
    pd2.get("c", shape=(4,))
    assertRaises(AssertionError, pd2.load, f, restore_prefix="m_")
    pd3 = gluon.ParameterDict("m_")
    pd3.get("a", shape=(2,))
    pd3.get("c", shape=(4,), init="ones")
    pd3.initialize()
    pd3.load(f, restore_prefix="m_", allow_missing=True, ignore_extra=True)
    assert_almost_equal(pd3["m_a"].data().asnumpy(), np.ones(2))
    loaded = mx.nd.load(f)
    assert sorted(loaded.keys()) == ["a", "b"]


@with_seed()
def test_save_deduplicate():
    class Tied(gluon.Block):
        def __init__(self, **kw):
            super(Tied, self).__init__(**kw)
            with self.name_scope():
                self.l1 = nn.Dense(3, in_units=3)
                self.l2 = nn.Dense(3, in_units=3, params=self.l1.collect_params())

        def forward(self, x):
            return self.l2(self.l1(x))

    net = Tied()
    net.initialize()
    f = os.path.join(TMP, "dedup.params")
    net.save_parameters(f, deduplicate=True)
    keys = sorted(mx.nd.load(f).keys())
    assert keys == ["l2.bias", "l2.weight"], keys
    f2 = os.path.join(TMP, "nodedup.params")
    net.save_parameters(f2)
    assert sorted(mx.nd.load(f2).keys()) == ["l1.bias", "l1.weight", "l2.bias", "l2.weight"]
    net2 = Tied()
    net2.load_parameters(f)
    assert_almost_equal(net2.l2.weight.data().asnumpy(), net.l1.weight.data().asnumpy())


@with_seed()
def test_parameter_repr_and_attrs():
    p = gluon.Parameter("w", shape=(2, 3), dtype="float16", lr_mult=0.1, wd_mult=0.2)
    assert repr(p) == "Parameter w (shape=(2, 3), dtype=float16)"
    assert p.lr_mult == 0.1 and p.wd_mult == 0.2
    pd = gluon.ParameterDict("x_")
    pd.get("w", shape=(1,))
    r = repr(pd)
    assert r.startswith("x_ (") and "Parameter x_w (shape=(1,), dtype=<class 'numpy.float32'>)" in r
    p.shape = (2, 3)
    assertRaises(AssertionError, setattr, p, "shape", (4, 3))
    q = gluon.Parameter("q", shape=(0, 3))
    q.shape = (5, 3)
    assert q.shape == (5, 3)


@with_seed()
def test_parameter_set_data_multi_ctx_and_row_sparse_data():
    p = gluon.Parameter("w", shape=(4, 2), stype="row_sparse")
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init="ones")
    assertRaises(RuntimeError, p.data)
    ids = mx.nd.array([0, 2])
    assertRaises(RuntimeError, p.row_sparse_data, ids)
    gluon.Trainer([p], "sgd")
    rsp = p.row_sparse_data(ids)
    assert rsp.stype == "row_sparse"
    assert_almost_equal(rsp.tostype("default").asnumpy()[[0, 2]], np.ones((2, 2)))
    q = gluon.Parameter("d", shape=(2, 2))
    q.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    q.set_data(mx.nd.ones((2, 2)) * 3)
    for d in q.list_data():
        assert_almost_equal(d.asnumpy(), np.full((2, 2), 3.0))
    assertRaises(RuntimeError, q.row_sparse_data, ids)


@with_seed()
def test_constant_in_block_and_save():
    class WithConst(gluon.HybridBlock):
        def __init__(self, **kw):
            super(WithConst, self).__init__(**kw)
            self.c = self.params.get_constant("c", mx.nd.array([[1.0, 2.0]]))

        def hybrid_forward(self, F, x, c):
            return F.broadcast_add(x, c)

    net = WithConst()
    net.initialize()
    assert_almost_equal(net(mx.nd.zeros((2, 2))).asnumpy(), np.array([[1, 2], [1, 2]]))
    net.hybridize()
    assert_almost_equal(net(mx.nd.ones((1, 2))).asnumpy(), np.array([[2, 3]]))
    f = os.path.join(TMP, "const.params")
    net.save_parameters(f)
    assert list(mx.nd.load(f).keys()) == ["c"]
    assert net.c.grad_req == "null"
    assertRaises(RuntimeError, net.c.grad)


@with_seed()
def test_initialize_force_reinit_and_verbose():
    net = nn.Dense(2, in_units=2)
    net.initialize(init="ones")
    net.initialize(init="zeros")
    assert net.weight.data().asnumpy().sum() == 4
    net.initialize(init="zeros", force_reinit=True)
    assert net.weight.data().asnumpy().sum() == 0
    net.collect_params().initialize(mx.init.Constant(2.0), force_reinit=True)
    assert net.weight.data().asnumpy().sum() == 8
    assert net.bias.data().asnumpy().sum() == 0


@with_seed()
def test_parameter_init_priority():
    p = gluon.Parameter("w", shape=(2,), init=mx.init.Constant(5))
    p.initialize(init=mx.init.Constant(1))
    assert_almost_equal(p.data().asnumpy(), np.full(2, 1.0))
    p4 = gluon.Parameter("w4", shape=(2,), init=mx.init.Constant(5))
    p4.initialize(default_init=mx.init.Constant(1))
    assert_almost_equal(p4.data().asnumpy(), np.full(2, 5.0))
    p2 = gluon.Parameter("w2", shape=(2,))
    p2.initialize(init=mx.init.Constant(1), default_init=mx.init.Constant(7))
    assert_almost_equal(p2.data().asnumpy(), np.full(2, 1.0))
    p3 = gluon.Parameter("w3", shape=(2,))
    p3.initialize(default_init=mx.init.Constant(7))
    assert_almost_equal(p3.data().asnumpy(), np.full(2, 7.0))


@with_seed()
def test_collect_params_select_regex_variants():
    net = nn.HybridSequential(prefix="m_")
    with net.name_scope():
        net.add(nn.Dense(2, in_units=2), nn.BatchNorm(in_channels=2))
    keys = list(net.collect_params(".*weight|.*bias").keys())
    assert keys == ["m_dense0_weight", "m_dense0_bias", "m_batchnorm0_beta"][:2], keys
    run = list(net.collect_params("running").keys())
    assert run == [], run
    run = list(net.collect_params(".*running.*").keys())
    assert run == ["m_batchnorm0_running_mean", "m_batchnorm0_running_var"]
    g = list(net.collect_params("m_batchnorm0_gamma|m_dense0_bias").keys())
    assert g == ["m_dense0_bias", "m_batchnorm0_gamma"]


@with_seed()
def test_param_list_row_sparse_and_trainer_required():
    p = gluon.Parameter("w", shape=(3, 2), stype="row_sparse")
    p.initialize()
    assertRaises(RuntimeError, p.list_data)
    assertRaises(RuntimeError, p.row_sparse_data, mx.nd.array([0]))


main(globals())
