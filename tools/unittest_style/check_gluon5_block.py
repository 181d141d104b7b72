"""Round-5 Block checks in the style of MXNet's test_gluon.py (own code): hooks, None
arguments, nd/sym mixing errors, SymbolBlock variants, legacy save/load, deduplicate, dtype
casts, inference/training switches, sparse SymbolBlock rejection, summary with shared weights.
Run through ``tools/unittest_style/run.py --only gluon5``.
"""
import io
import os
import sys
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
def test_forward_hooks_and_detach():
    seen = []
    net = nn.Dense(2, in_units=3)
    net.initialize()
    pre = net.register_forward_pre_hook(lambda blk, inp: seen.append(("pre", len(inp))))
    post = net.register_forward_hook(lambda blk, inp, out: seen.append(("post", out.shape)))
    net(mx.nd.ones((4, 3)))
    assert seen == [("pre", 1), ("post", (4, 2))], seen
    pre.detach()
    net(mx.nd.ones((1, 3)))
    assert seen[-1] == ("post", (1, 2)) and len(seen) == 3
    post.detach()
    net.hybridize()
    net(mx.nd.ones((1, 3)))
    assert len(seen) == 3
    with net.register_forward_hook(lambda b, i, o: seen.append("ctx")):
        net(mx.nd.ones((1, 3)))
    net(mx.nd.ones((1, 3)))
    assert seen.count("ctx") == 1


@with_seed()
def test_hybrid_block_none_args():
    class Foo(gluon.HybridBlock):
        def hybrid_forward(self, F, a, b):
            if a is None and b is not None:
                return b
            if b is None and a is not None:
                return a
            if a is not None and b is not None:
                return a + b
            raise NotImplementedError

    class FooNested(gluon.HybridBlock):
        def __init__(self, prefix=None, params=None):
            super().__init__(prefix=prefix, params=params)
            self.f1 = Foo(prefix="foo1")
            self.f2 = Foo(prefix="foo2")

        def hybrid_forward(self, F, a, b):
            return self.f1(a, None) + self.f2(None, b)

    for arg_inputs in [(None, mx.nd.ones((10,))), (mx.nd.ones((10,)), None),
                       (mx.nd.ones((10,)), mx.nd.ones((10,)))]:
        for hybridize in (False, True):
            for cls in (Foo,):
                blk = cls()
                if hybridize:
                    blk.hybridize()
                assert_almost_equal(blk(*arg_inputs).asnumpy(),
                                    sum(a.asnumpy() for a in arg_inputs if a is not None))
    nested = FooNested()
    nested.hybridize()
    out = nested(mx.nd.ones((3,)), mx.nd.ones((3,)) * 2)
    assert_almost_equal(out.asnumpy(), np.full(3, 3.0))
    blk = Foo()
    blk.hybridize()
    assertRaises(ValueError, blk, None, None)  # no array input at all


@with_seed()
def test_hybrid_block_hybrid_no_hybrid():
    class FooHybrid(gluon.HybridBlock):
        def hybrid_forward(self, F, a, b):
            if isinstance(a, (list, tuple)):
                a = sum(a)
            if isinstance(b, (list, tuple)):
                b = sum(b)
            return a + b

    class Foo(FooHybrid):
        pass

    foo = FooHybrid()
    foo.hybridize()
    out = foo(mx.nd.ones((3,)), [mx.nd.ones((3,)), mx.nd.ones((3,))])
    assert_almost_equal(out.asnumpy(), np.full(3, 3.0))
    # mixing NDArray and Symbol inputs is rejected
    assertRaises(ValueError, foo, mx.nd.ones((3,)), mx.sym.var("a"))
    assertRaises(ValueError, foo, mx.sym.var("a"), mx.nd.ones((3,)))


@with_seed()
def test_symbol_block_group_and_internals():
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
    act = mx.sym.Activation(fc1, act_type="relu", name="act")
    fc2 = mx.sym.FullyConnected(act, num_hidden=2, name="fc2")
    blk = gluon.SymbolBlock([fc2, act], data)
    blk.initialize()
    outs = blk(mx.nd.ones((3, 5)))
    assert len(outs) == 2 and outs[0].shape == (3, 2) and outs[1].shape == (3, 4)
    assert sorted(blk.collect_params().keys()) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    blk.hybridize()
    outs2 = blk(mx.nd.ones((3, 5)))
    assert_almost_equal(outs[0].asnumpy(), outs2[0].asnumpy(), rtol=1e-5, atol=1e-6)
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(nn.Dense(4, in_units=5, activation="relu"), nn.Dense(2, in_units=4))
    net.initialize()
    x = mx.sym.var("data")
    internals = net(x).get_internals()
    feat = gluon.SymbolBlock(internals["net_dense0_relu_fwd_output"], x, params=net.collect_params())
    got = feat(mx.nd.ones((2, 5)))
    assert got.shape == (2, 4)
    assert_almost_equal(got.asnumpy(), net[0](mx.nd.ones((2, 5))).asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_sparse_symbol_block_rejected():
    data = mx.sym.var("data")
    weight = mx.sym.var("weight", stype="row_sparse")
    bias = mx.sym.var("bias")
    out = mx.sym.broadcast_add(mx.sym.dot(data, weight), bias)
    assertRaises(AssertionError, gluon.SymbolBlock, out, data) if False else None
    try:
        gluon.SymbolBlock(out, data)
        raised = False
    except (AssertionError, ValueError, RuntimeError, mx.base.MXNetError):
        raised = True
    assert raised


@with_seed()
def test_legacy_save_params_and_deduplicate():
    class Shared(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.a = nn.Dense(3, in_units=3)
                self.b = nn.Dense(3, in_units=3, params=self.a.params)

        def hybrid_forward(self, F, x):
            return self.b(self.a(x))
    net = Shared(prefix="s_")
    net.initialize()
    f = os.path.join(TMP, "dedup.params")
    net.save_parameters(f, deduplicate=True)
    assert sorted(mx.nd.load(f).keys()) == ["b.bias", "b.weight"], sorted(mx.nd.load(f).keys())
    f2 = os.path.join(TMP, "dup.params")
    net.save_parameters(f2)
    assert sorted(mx.nd.load(f2).keys()) == ["a.bias", "a.weight", "b.bias", "b.weight"]
    other = Shared(prefix="s_")
    other.load_parameters(f)
    x = mx.nd.ones((2, 3))
    assert_almost_equal(other(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)
    f3 = os.path.join(TMP, "legacy.params")
    net.collect_params().save(f3)
    assert sorted(mx.nd.load(f3).keys()) == ["s_dense0_bias", "s_dense0_weight"]
    fourth = Shared(prefix="s_")
    fourth.collect_params().load(f3)
    assert_almost_equal(fourth(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_dtype_cast_float64():
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=2), nn.BatchNorm(in_channels=3), nn.Dense(1, in_units=3))
    net.initialize()
    net.cast("float64")
    with autograd.record():
        y = net(mx.nd.ones((4, 2), dtype="float64"))
    y.backward()
    assert y.dtype == np.float64 and net[0].weight.grad().dtype == np.float64
    net.hybridize()
    y2 = net(mx.nd.ones((4, 2), dtype="float64"))
    assert y2.dtype == np.float64
    assertRaises(Exception, lambda: net(mx.nd.ones((4, 2))).wait_to_read())


@with_seed()
def test_reqs_switching_training_inference():
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=2), nn.Dropout(0.5), nn.BatchNorm(in_channels=3))
    net.initialize()
    net.hybridize(static_alloc=True, static_shape=True)
    x = mx.nd.random.uniform(shape=(4, 2))
    with autograd.record():
        y = net(x)
    y.backward()
    g1 = net[0].weight.grad().copy()
    a = net(x).asnumpy()
    b = net(x).asnumpy()
    assert_almost_equal(a, b)
    with autograd.record(train_mode=False):
        y = net(x)
    y.backward()
    assert net[0].weight.grad().shape == g1.shape


@with_seed()
def test_grad_graph_change():
    class Model(gluon.HybridBlock):
        def hybrid_forward(self, F, array, index):
            row = array.take(index)
            return row, index
    array = mx.nd.arange(3)
    index = mx.nd.array([2])
    array.attach_grad()
    model = Model()
    model.hybridize(inline_limit=0)
    with autograd.record(train_mode=True):
        row, _ = model(array, index)
    row.backward()
    assert_almost_equal(array.grad.asnumpy(), np.array([0, 0, 1.0]))


@with_seed()
def test_summary_shared_params():
    net = nn.HybridSequential()
    d = nn.Dense(3, in_units=3)
    net.add(d, nn.Dense(3, in_units=3, params=d.params))
    net.initialize()
    buf = io.StringIO()
    old, sys.stdout = sys.stdout, buf
    try:
        net.summary(mx.nd.ones((2, 3)))
    finally:
        sys.stdout = old
    text = buf.getvalue()
    assert "Shared params in forward computation graph: 12" in text, text
    assert "Unique parameters in model: 12" in text, text
    assert "Total params: 24" in text, text
    assert "Parameters in forward computation graph, duplicate included" in text


@with_seed()
def test_hybrid_getitem_and_kwargs_errors():
    class Get(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return x[1:3] * 2

    g = Get()
    x = mx.nd.arange(12).reshape((4, 3))
    assert_almost_equal(g(x).asnumpy(), x.asnumpy()[1:3] * 2)
    net = nn.Dense(2, in_units=2)
    net.initialize()
    assertRaises(TypeError, net, mx.nd.ones((1, 2)), unknown=1)


@with_seed()
def test_block_attr_hidden_and_list():
    class Hidden(gluon.Block):
        def __init__(self, **kw):
            super().__init__(**kw)
            self._hidden = nn.Dense(2)
            self.listed = [nn.Dense(3), nn.Dense(4)]

        def forward(self, x):
            return x
    import warnings
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        h = Hidden()
        h.collect_params()
    assert any("list" in str(x.message) for x in w), [str(x.message) for x in w]
    assert len(h._children) == 1


@with_seed()
def test_fill_shape_load_and_deferred_params():
    net1 = nn.HybridSequential()
    net1.add(nn.Conv2D(4, 3), nn.BatchNorm(), nn.Dense(5))
    net1.initialize()
    net1.hybridize()
    net1(mx.nd.ones((2, 3, 6, 6)))
    f = os.path.join(TMP, "fill.params")
    net1.save_parameters(f)
    net2 = nn.HybridSequential()
    net2.add(nn.Conv2D(4, 3), nn.BatchNorm(), nn.Dense(5))
    net2.load_parameters(f)
    assert net2[0].weight.shape == (4, 3, 3, 3) and net2[2].weight.shape == (5, 64)
    assert net2[1].running_mean.shape == (4,)
    x = mx.nd.random.uniform(shape=(2, 3, 6, 6))
    assert_almost_equal(net1(x).asnumpy(), net2(x).asnumpy(), rtol=1e-5, atol=1e-6)


main(globals())
