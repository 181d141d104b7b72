"""Round-4 areas in the style of MXNet 1.9.1's unittest files (own code): test_contrib_stes_op,
test_contrib_hawkesll, test_infer_type, test_multi_device_exec / test_model_parallel /
test_memory_opt (group2ctx, ctx_group), test_kvstore_custom, test_gluon_batch_processor,
test_metric_perf, test_exc_handling, test_engine, test_subgraph_op (what a CPU build offers).

Run with tools/unittest_style/run.py (--only misc4).
"""
import os
import time

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon, nd
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises
from _harness import main


# ---- test_contrib_stes_op ------------------------------------------------------------------

def _ste_grad(op, x, head):
    x = nd.array(x)
    x.attach_grad()
    with autograd.record():
        y = op(x)
    y.backward(nd.array(head))
    return y.asnumpy(), x.grad.asnumpy()


def test_round_ste():
    x = np.array([-2.5, -1.4, -0.5, 0.2, 0.5, 1.5, 2.7], dtype=np.float32)
    head = np.random.uniform(-1, 1, x.shape).astype(np.float32)
    y, g = _ste_grad(nd.contrib.round_ste, x, head)
    assert_almost_equal(y, nd.round(nd.array(x)).asnumpy())
    assert_almost_equal(g, head)


def test_sign_ste():
    x = np.array([-2.5, -1.4, 0.0, 0.2, 1.5], dtype=np.float32)
    head = np.random.uniform(-1, 1, x.shape).astype(np.float32)
    y, g = _ste_grad(nd.contrib.sign_ste, x, head)
    assert_almost_equal(y, np.sign(x))
    assert_almost_equal(g, head)


def test_ste_in_gluon_training():
    class Net(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.w = self.params.get("w", shape=(4,), init=mx.init.Constant(0.7))

        def hybrid_forward(self, F, x, w):
            return F.contrib.round_ste(x * w).sum() + F.contrib.sign_ste(x - w).sum()

    for hybrid in (False, True):
        net = Net()
        net.initialize()
        if hybrid:
            net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
        x = nd.array([1.0, 2.0, 3.0, 4.0])
        with autograd.record():
            loss = net(x)
        loss.backward()
        trainer.step(1)
        # d/dw [sum x*w] + d/dw [sum (x - w)] with straight-through gradients = x - 1
        assert_almost_equal(net.w.data().asnumpy(), 0.7 - 0.1 * (x.asnumpy() - 1))


def test_ste_symbolic():
    x = mx.sym.var("x")
    y = mx.sym.contrib.round_ste(x) + mx.sym.contrib.sign_ste(x)
    data = np.array([[-1.6, 0.4], [2.5, -0.2]], dtype=np.float32)
    # MXNet rounds halves away from zero (2.5 -> 3)
    check_symbolic_forward(y, [data], [np.array([[-3.0, 1.0], [4.0, -1.0]])])
    check_symbolic_backward(y, [data], [np.ones_like(data)], [2 * np.ones_like(data)])


# ---- test_contrib_hawkesll -----------------------------------------------------------------

def _hawkes_inputs(n=4, t=4, k=3):
    lda = nd.array(np.tile([1.5, 2.0, 3.0][:k], (n, 1)))
    alpha = nd.array([0.2, 0.3, 0.4][:k])
    beta = nd.array([1.0, 2.0, 3.0][:k])
    lags = nd.array([[6, 7, 8, 9], [1, 2, 3, 4], [3, 4, 5, 6], [8, 9, 10, 11]][:n])
    marks = nd.array(np.arange(n * t).reshape(n, t) % k).astype(np.int32)
    state = nd.zeros((n, k))
    valid = nd.array([1, 2, 3, 4][:n])
    max_time = nd.ones((n,)) * 100.0
    return lda, alpha, beta, state, lags, marks, valid, max_time


def test_hawkesll_forward_values():
    ll, state = nd.contrib.hawkesll(*_hawkes_inputs())
    assert ll.shape == (4,) and state.shape == (4, 3)
    # MXNet 1.9.1's values for these inputs
    assert_almost_equal(ll.asnumpy(), np.array([-649.79456, -648.9082, -648.7028, -648.4973]),
                        rtol=1e-5, atol=1e-4)
    assert_almost_equal(state.asnumpy(), np.zeros((4, 3)), atol=1e-20)


def test_hawkesll_state_gets_zero_gradient():
    args = list(_hawkes_inputs())
    args[3] = args[3] + 0.5
    args[3].attach_grad()
    with autograd.record():
        ll, st = nd.contrib.hawkesll(*args)
        (ll.sum() * 2 + st.sum()).backward()
    assert_almost_equal(args[3].grad.asnumpy(), np.zeros((4, 3)))


def test_hawkesll_backward_numeric():
    args = list(_hawkes_inputs())
    params = args[:3]
    for p in params:
        p.attach_grad()
    with autograd.record():
        ll, _ = nd.contrib.hawkesll(*args)
        total = ll.sum()
    total.backward()
    eps = 1e-3
    for idx, p in enumerate(params):
        base = p.asnumpy().astype(np.float64)
        num = np.zeros_like(base)
        for pos in np.ndindex(base.shape):
            vals = []
            for sign in (1, -1):
                moved = base.copy()
                moved[pos] += sign * eps
                trial = list(args)
                trial[idx] = nd.array(moved)
                vals.append(nd.contrib.hawkesll(*trial)[0].asnumpy().astype(np.float64).sum())
            num[pos] = (vals[0] - vals[1]) / (2 * eps)
        assert_almost_equal(p.grad.asnumpy(), num, rtol=1e-2, atol=1e-2)


def test_hawkesll_symbol_infer_shape():
    names = ["lda", "alpha", "beta", "state", "lags", "marks", "valid_length", "max_time"]
    syms = [mx.sym.var(n) for n in names]
    out = mx.sym.contrib.hawkesll(*syms)
    arg_shapes, out_shapes, _ = out.infer_shape(lda=(4, 3), alpha=(3,), beta=(3,),
                                                state=(4, 3), lags=(4, 5), marks=(4, 5),
                                                valid_length=(4,), max_time=(4,))
    assert out_shapes == [(4,), (4, 3)]


# ---- test_infer_type -----------------------------------------------------------------------

def test_infer_type_fc_float16():
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=5, name="fc")
    arg, out, aux = fc.infer_type(data=np.float16)
    assert arg == [np.float16] * 3 and out == [np.float16] and aux == []


def test_infer_type_partial_and_unknown():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = a + b
    arg, out, aux = c.infer_type_partial()
    assert arg == [None, None] and out == [None]
    arg, out, aux = c.infer_type(a=np.float64)
    assert arg == [np.float64, np.float64] and out == [np.float64]


def test_infer_type_conflict_raises():
    a = mx.sym.var("a", dtype=np.float32)
    b = mx.sym.var("b", dtype=np.float16)
    assertRaises(MXNetError, (a + b).infer_type)


def test_infer_type_batchnorm_aux_and_cast():
    data = mx.sym.var("data")
    bn = mx.sym.BatchNorm(data, name="bn")
    arg, out, aux = bn.infer_type(data=np.float16)
    assert arg == [np.float16, np.float32, np.float32]
    assert aux == [np.float32, np.float32] and out == [np.float16]
    cast = mx.sym.Cast(mx.sym.var("x"), dtype="int32")
    assert cast.infer_type(x=np.float32)[1] == [np.int32]


def test_infer_type_embedding_and_argmax():
    idx = mx.sym.var("idx")
    emb = mx.sym.Embedding(idx, input_dim=10, output_dim=4, dtype="float16", name="emb")
    arg, out, _ = emb.infer_type(idx=np.int32)
    assert arg == [np.int32, np.float16] and out == [np.float16]
    am = mx.sym.argmax(mx.sym.var("x"), axis=1)
    assert am.infer_type(x=np.float64)[1] == [np.float64]


# ---- test_multi_device_exec / test_model_parallel / test_memory_opt ------------------------

def _group_net():
    with mx.AttrScope(ctx_group="dev1"):
        data = mx.sym.var("data")
        fc1 = mx.sym.FullyConnected(data, num_hidden=8, name="fc1")
        act = mx.sym.Activation(fc1, act_type="relu")
    with mx.AttrScope(ctx_group="dev2"):
        fc2 = mx.sym.FullyConnected(act, num_hidden=3, name="fc2")
        out = mx.sym.SoftmaxOutput(fc2, name="softmax")
    return out


def test_ctx_group_attrs():
    net = _group_net()
    attrs = net.attr_dict()
    assert attrs["fc1"]["ctx_group"] == "dev1"
    assert attrs["fc2"]["ctx_group"] == "dev2"
    assert attrs["data"]["ctx_group"] == "dev1"


def test_group2ctx_bind_equals_single_context():
    net = _group_net()
    shapes = {"data": (4, 6), "softmax_label": (4,)}
    single = net.simple_bind(mx.cpu(0), **shapes)
    grouped = net.simple_bind(mx.cpu(0), group2ctx={"dev1": mx.cpu(1), "dev2": mx.cpu(2)},
                              **shapes)
    for name, arr in single.arg_dict.items():
        value = np.random.uniform(-1, 1, arr.shape) if name != "softmax_label" else \
            np.array([0, 1, 2, 1])
        arr[:] = value
        grouped.arg_dict[name][:] = value
    single.forward(is_train=True)
    grouped.forward(is_train=True)
    single.backward()
    grouped.backward()
    assert_almost_equal(single.outputs[0].asnumpy(), grouped.outputs[0].asnumpy())
    for name in ("fc1_weight", "fc2_weight", "fc2_bias"):
        assert_almost_equal(single.grad_dict[name].asnumpy(), grouped.grad_dict[name].asnumpy())


def test_arrays_on_several_cpu_contexts():
    a = nd.ones((2, 3), ctx=mx.cpu(1))
    b = a.copyto(mx.cpu(2))
    assert a.context == mx.cpu(1) and b.context == mx.cpu(2)
    c = b.as_in_context(mx.cpu(1)) + a
    assert c.context == mx.cpu(1)
    assert_almost_equal(c.asnumpy(), 2 * np.ones((2, 3)))


def test_memory_opt_env_same_results():
    x = mx.sym.var("x")
    y = x
    for i in range(6):
        y = mx.sym.Activation(mx.sym.FullyConnected(y, num_hidden=5, name="fc%d" % i),
                              act_type="tanh")
    vals = {}
    for flag in ("0", "1"):
        with environment("MXNET_MEMORY_OPT", flag):
            ex = y.simple_bind(mx.cpu(), x=(2, 5))
            for name, arr in ex.arg_dict.items():
                arr[:] = np.linspace(-1, 1, arr.size).reshape(arr.shape)
            ex.forward(is_train=True)
            ex.backward(nd.ones((2, 5)))
            vals[flag] = (ex.outputs[0].asnumpy(), ex.grad_dict["fc0_weight"].asnumpy())
    assert_almost_equal(vals["0"][0], vals["1"][0])
    assert_almost_equal(vals["0"][1], vals["1"][1])


# ---- test_kvstore_custom -------------------------------------------------------------------

def test_teststore_push_pull_and_broadcast():
    kv = mx.kv.create("teststore")
    assert kv.type == "teststore"
    shape = (2, 3)
    out = nd.zeros(shape)
    kv.broadcast("3", nd.ones(shape) * 4, out=out)
    assert_almost_equal(out.asnumpy(), 4 * np.ones(shape))
    vals = [nd.ones(shape), nd.ones(shape) * 2]
    outs = [nd.zeros(shape), nd.zeros(shape)]
    kv.pushpull("4", vals, out=outs)
    for o in outs:
        assert_almost_equal(o.asnumpy(), 3 * np.ones(shape))
    assert kv.is_capable(mx.kv.KVStoreBase.OPTIMIZER) is False


def test_teststore_rank_and_workers():
    kv = mx.kv.create("teststore")
    assert kv.rank == 0 and kv.num_workers == 1


def test_custom_kvstore_register_and_trainer():
    @mx.kv.KVStoreBase.register
    class MyStore(mx.kv.KVStoreBase):  # noqa: F811
        def __init__(self):
            self.calls = 0

        def broadcast(self, key, value, out, priority=0):
            for o in (out if isinstance(out, list) else [out]):
                value.copyto(o)

        def pushpull(self, key, value, out=None, priority=0):
            self.calls += 1
            values = value if isinstance(value, list) else [value]
            total = values[0].copy()
            for v in values[1:]:
                total += v
            for o in (out if out is not None else values):
                total.copyto(o)

        @staticmethod
        def is_capable(capability):
            return False

        @property
        def type(self):
            return "mystore"

        @property
        def rank(self):
            return 0

        @property
        def num_workers(self):
            return 1

        def save_optimizer_states(self, fname, dump_optimizer=False):
            pass

        def load_optimizer_states(self, fname):
            pass

        def set_optimizer(self, optimizer):
            pass

    kv = mx.kv.create("mystore")
    assert isinstance(kv, MyStore)
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize(mx.init.One())
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0}, kvstore=kv)
    with autograd.record():
        loss = net(nd.ones((1, 3))).sum()
    loss.backward()
    trainer.step(1)
    assert kv.calls > 0
    assert_almost_equal(net.weight.data().asnumpy(), np.zeros((2, 3)))


# ---- test_gluon_batch_processor ------------------------------------------------------------

def test_batch_processor_fit_and_evaluate():
    from mxnet.gluon.contrib.estimator import BatchProcessor, Estimator
    net = gluon.nn.Dense(2)
    net.initialize()
    x = nd.random.uniform(shape=(16, 4))
    y = nd.array(np.arange(16) % 2)
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=4)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})
    acc = mx.metric.Accuracy()
    est = Estimator(net, loss=gluon.loss.SoftmaxCrossEntropyLoss(), train_metrics=acc,
                    trainer=trainer, context=mx.cpu(), batch_processor=BatchProcessor())
    est.fit(train_data=loader, epochs=2)
    est.evaluate(val_data=loader)
    assert isinstance(est.batch_processor, BatchProcessor)


def test_custom_batch_processor_is_used():
    from mxnet.gluon.contrib.estimator import BatchProcessor, Estimator
    seen = []

    class Counting(BatchProcessor):
        def fit_batch(self, estimator, train_batch, batch_axis=0):
            seen.append("fit")
            return super().fit_batch(estimator, train_batch, batch_axis)

        def evaluate_batch(self, estimator, val_batch, batch_axis=0):
            seen.append("eval")
            return super().evaluate_batch(estimator, val_batch, batch_axis)

    net = gluon.nn.Dense(2)
    net.initialize()
    data = gluon.data.ArrayDataset(nd.ones((8, 3)), nd.zeros((8,)))
    loader = gluon.data.DataLoader(data, batch_size=4)
    est = Estimator(net, loss=gluon.loss.SoftmaxCrossEntropyLoss(),
                    trainer=gluon.Trainer(net.collect_params(), "sgd"),
                    batch_processor=Counting())
    est.fit(train_data=loader, val_data=loader, epochs=1)
    assert seen.count("fit") == 2 and seen.count("eval") >= 2


def test_batch_processor_rejects_wrong_type():
    from mxnet.gluon.contrib.estimator import Estimator
    net = gluon.nn.Dense(2)
    net.initialize()
    try:
        Estimator(net, loss=gluon.loss.L2Loss(), batch_processor="nope")
    except (ValueError, TypeError, AssertionError):
        return
    raise AssertionError("a non-BatchProcessor was accepted")


# ---- test_metric_perf ----------------------------------------------------------------------

def test_metric_perf_large_batches():
    preds = [nd.random.uniform(shape=(2000, 10))]
    labels = [nd.array(np.random.randint(0, 10, 2000))]
    for name in ("acc", "top_k_accuracy", "ce", "nll_loss", "f1", "mae", "mse", "rmse"):
        kwargs = {"top_k": 3} if name == "top_k_accuracy" else {}
        metric = mx.metric.create(name, **kwargs)
        if name == "f1":
            p, l2 = [nd.random.uniform(shape=(2000, 2))], [nd.array(np.random.randint(0, 2, 2000))]
        elif name in ("mae", "mse", "rmse"):
            p, l2 = [nd.random.uniform(shape=(2000,))], [nd.random.uniform(shape=(2000,))]
        else:
            p, l2 = preds, labels
        start = time.time()
        for _ in range(5):
            metric.update(l2, p)
        assert time.time() - start < 10
        assert np.isfinite(metric.get()[1])


# ---- test_exc_handling ---------------------------------------------------------------------

def test_exc_imperative_surfaces():
    def bad():
        a = nd.random.normal(0, -1, (2, 2))
        a.asnumpy()
    assertRaises(MXNetError, bad)

    def bad_waitall():
        nd.random.normal(0, -1, (2, 2))
        nd.waitall()
    assertRaises(MXNetError, bad_waitall)


def test_exc_multiple_waitalls():
    caught = 0
    for _ in range(2):
        try:
            nd.random.normal(0, -1, (2, 2)).asnumpy()
        except MXNetError:
            caught += 1
        nd.waitall()
    assert caught == 2


def test_exc_symbolic_forward():
    x = mx.sym.var("x")
    y = mx.sym.random.normal(loc=0.0, scale=-1.0, shape=(2,)) + x
    ex = y.bind(mx.cpu(), {"x": nd.ones((2,))})

    def run():
        ex.forward()
        ex.outputs[0].asnumpy()
    assertRaises(MXNetError, run)


def test_exc_gluon_hybrid_block():
    class Bad(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.random.normal(0, -1, shape=(2, 2)) + x

    for hybrid in (False, True):
        blk = Bad()
        blk.initialize()
        if hybrid:
            blk.hybridize()

        def run():
            blk(nd.ones((2, 2))).asnumpy()
        assertRaises(MXNetError, run)


def test_exc_np_reshape():
    def run():
        a = mx.np.ones((10, 10))
        a.reshape((1,)).asnumpy()
    assertRaises(MXNetError, run)


def test_exc_wait_to_read():
    def run():
        a = nd.random.normal(0, -1, (2, 2))
        a.wait_to_read()
    assertRaises(MXNetError, run)


def test_exc_post_fail_next_op_works():
    try:
        nd.random.normal(0, -1, (2, 2)).asnumpy()
    except MXNetError:
        pass
    assert_almost_equal((nd.ones((2,)) * 2).asnumpy(), np.array([2.0, 2.0]))


def test_exc_in_trainer_step_bad_grad_req():
    net = gluon.nn.Dense(2, in_units=2)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd")
    # step without backward: MXNet raises (stale gradients)
    assertRaises(Exception, trainer.step, 1)


def test_exc_deferred_until_read():
    def imperative(read=True):
        a = nd.random.normal(0, 1, (2, 2))
        b = nd.random.normal(0, -1, (2, 2))
        c = nd.dot(a, b)
        if read:
            c.asnumpy()
    imperative(read=False)  # no error at the call
    assertRaises(MXNetError, imperative, read=True)


def test_exc_post_fail_rows():
    caught = False
    try:
        a, b = nd.random_normal(0, -1, (2, 2)).copyto(default_context())
        a.asnumpy()
    except MXNetError:
        caught = True
    assert caught
    b.asnumpy()  # raised once; later reads succeed


def test_exc_mutable_var_fail():
    def check(waitall=False):
        a, _ = nd.random_normal(0, -1, (2, 2)).copyto(default_context())
        a = nd.dot(a, a)
        if waitall:
            nd.waitall()
        else:
            a.asnumpy()
    assertRaises(MXNetError, check, waitall=False)
    assertRaises(MXNetError, check, waitall=True)


def test_exc_gluon_sequential_symbol_then_nd():
    def run(wait=True, waitall=False):
        model = gluon.nn.Sequential()
        model.add(gluon.nn.Dense(16, activation="tanh", in_units=10, flatten=False))
        model.add(gluon.nn.Dropout(1))
        model.add(gluon.nn.Dense(8, activation="tanh", in_units=32),
                  gluon.nn.Dense(4, in_units=8))
        model(mx.sym.var("data"))
        model.collect_params().initialize(ctx=[default_context()])
        z = model(nd.random.normal(10, -10, (4, 2, 10), ctx=default_context()))
        if waitall:
            nd.waitall()
        elif wait:
            z.wait_to_read()
    run(wait=False)
    assertRaises(MXNetError, run, wait=True)
    assertRaises(MXNetError, run, waitall=True)


def test_exc_each_sampler_check():
    for make in (lambda: nd.random.uniform(2, 1, (2,)), lambda: nd.random.gamma(-1, 1, (2,)),
                 lambda: nd.random.exponential(-1, (2,)), lambda: nd.random.poisson(-1, (2,))):
        arr = make()
        assertRaises(MXNetError, arr.asnumpy)
    ok = nd.random.normal(nd.zeros((2,)), -nd.ones((2,)))  # array parameters: no check
    ok.asnumpy()


def test_exc_symbolic_graph_all_reads():
    def symbolic(backward=True, waitall=True):
        x, y, z = mx.sym.var("x"), mx.sym.var("y"), mx.sym.var("z")
        out = mx.sym.dot(z, mx.sym.ElementWiseSum(x, y, name="esum"))
        out = mx.sym.make_loss(mx.sym.dot(out, mx.sym.random.normal(0, -1, (2, 2))))
        args = {"x": nd.random.normal(0, 1, (2, 2)), "y": nd.random.normal(0, 1, (2, 2)),
                "z": nd.random.normal(0, 1, (3, 2))}
        grads = {"x": nd.empty((2, 2)), "y": nd.empty((2, 2)), "z": nd.empty((3, 2))}
        ex = out.bind(ctx=default_context(), args=args, args_grad=grads)
        outputs = ex.forward()
        if backward:
            ex.backward()
            if waitall:
                nd.waitall()
            else:
                ex.grad_arrays[0].asnumpy()
        elif waitall:
            nd.waitall()
        else:
            outputs[0].asnumpy()
    for backward in (False, True):
        for waitall in (False, True):
            assertRaises(MXNetError, symbolic, backward=backward, waitall=waitall)


def test_exc_opencv_resize():
    def check():
        img = nd.ones((120, 160, 3))
        mx.image.imresize(img, 32, 32, interp=-1).asnumpy()
    assertRaises(MXNetError, check)


def test_exc_np_reshape_errors():
    a = mx.np.ones((10, 10))
    a.reshape((-1,)).asnumpy()
    assertRaises(MXNetError, lambda: a.reshape((1,)))
    assertRaises(MXNetError, lambda: mx.np.reshape(a, (1,)))
    assertRaises(MXNetError, lambda: mx.np.reshape(a, (-1, 3)))


# ---- test_engine ---------------------------------------------------------------------------

def test_engine_set_bulk_size():
    prev = mx.engine.set_bulk_size(30)
    assert isinstance(prev, int)
    assert mx.engine.set_bulk_size(prev) == 30


def test_engine_bulk_scope():
    with mx.engine.bulk(10):
        x = nd.ones((3,))
        for _ in range(20):
            x = x + 1
    assert_almost_equal(x.asnumpy(), 21 * np.ones(3))
    prev = mx.engine.set_bulk_size(5)
    with mx.engine.bulk(7):
        assert mx.engine.set_bulk_size(7) == 7
    assert mx.engine.set_bulk_size(prev) == 5


def test_engine_bulk_with_autograd():
    x = nd.ones((3,))
    x.attach_grad()
    with mx.engine.bulk(4):
        with autograd.record():
            y = (x * 2 + 1).sum()
        y.backward()
    assert_almost_equal(x.grad.asnumpy(), 2 * np.ones(3))


# ---- test_subgraph_op (CPU build) -------------------------------------------------------------

def test_optimize_for_unknown_backend_raises():
    x = mx.sym.var("x")
    y = mx.sym.relu(x) + 1
    assertRaises(MXNetError, y.optimize_for, "no_such_backend_xyz")


def test_hybridize_with_unknown_backend_raises():
    net = gluon.nn.Dense(2)
    net.initialize()
    net.hybridize(backend="no_such_backend_xyz")
    assertRaises(MXNetError, net, nd.ones((1, 3)))


def test_optimize_for_block_without_backend():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(3, activation="relu"), gluon.nn.Dense(2))
    net.initialize()
    x = nd.ones((2, 4))
    want = net(x).asnumpy()
    net.hybridize()
    got = net(x).asnumpy()
    assert_almost_equal(want, got)


if __name__ == "__main__":
    main(globals())
