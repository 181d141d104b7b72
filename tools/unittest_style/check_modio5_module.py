"""Module API checks in the style of MXNet 1.9.1's test_module.py / test_model.py (round 5).

Run through ``tools/unittest_style/run.py --only modio5`` (real MXNet and mxtorch).
"""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _mlp(num_hidden=4, num_classes=3):
    data = mx.sym.Variable("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=num_hidden, name="fc1")
    act = mx.sym.Activation(fc1, act_type="relu", name="relu1")
    fc2 = mx.sym.FullyConnected(act, num_hidden=num_classes, name="fc2")
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def _const_init(mod, value=0.1):
    arg, aux = mod.get_params()
    mod.set_params({k: mx.nd.full(v.shape, value) for k, v in arg.items()}, aux)


@with_seed()
def test_module_dtype():
    for dtype in ["float16", "float32", "float64"]:
        x = mx.sym.Variable("data", dtype=dtype)
        y = mx.sym.elemwise_add(x, x)
        mod = mx.mod.Module(y, label_names=None)
        mod.bind(data_shapes=[mx.io.DataDesc("data", (5, 3), dtype, layout="NC")],
                 for_training=False)
        mod.init_params()
        mod.forward(mx.io.DataBatch(data=[mx.nd.ones((5, 3), dtype=dtype)], label=None))
        out = mod.get_outputs()[0]
        assert out.dtype == np.dtype(dtype), (out.dtype, dtype)
        assert same(out.asnumpy(), np.full((5, 3), 2, dtype=dtype))


@with_seed()
def test_module_layout_tnc():
    data = mx.sym.Variable("data")
    out = mx.sym.Activation(data, act_type="relu")
    shape = (3, 8, 7)
    mod = mx.mod.Module(out, data_names=["data"], label_names=None)
    mod.bind(data_shapes=[mx.io.DataDesc("data", shape, layout="TNC")])
    mod.init_params()
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones(shape)], label=None))
    assert mod.get_outputs()[0].shape == shape
    hdo = mod.get_outputs(merge_multi_context=False)
    assert len(hdo) == 1 and hdo[0][0].shape == shape
    assert mod.data_shapes[0].layout == "TNC"
    assert mx.io.DataDesc.get_batch_axis("TNC") == 1
    assert mx.io.DataDesc.get_batch_axis(None) == 0


@with_seed()
def test_module_inputs_need_grad_and_for_training():
    sym = _mlp()
    mod = mx.mod.Module(sym)
    mod.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))],
             for_training=True, inputs_need_grad=True)
    mod.init_params(initializer=mx.init.Uniform(0.5))
    batch = mx.io.DataBatch([mx.nd.array(np.random.uniform(-1, 1, (4, 6)))],
                            [mx.nd.array([0, 1, 2, 1])])
    mod.forward(batch, is_train=True)
    mod.backward()
    grads = mod.get_input_grads()
    assert len(grads) == 1 and grads[0].shape == (4, 6)
    assert np.abs(grads[0].asnumpy()).sum() > 0
    assert mod.for_training and mod.inputs_need_grad
    mod2 = mx.mod.Module(sym)
    mod2.bind(data_shapes=[("data", (4, 6))], for_training=False)
    assert not mod2.for_training
    assert mod2.label_shapes is None or mod2.label_shapes == []
    assertRaises(Exception, mod2.get_input_grads)


@with_seed()
def test_module_shared_module():
    sym = _mlp()
    mod = mx.mod.Module(sym)
    mod.bind(data_shapes=[("data", (8, 6))], label_shapes=[("softmax_label", (8,))])
    mod.init_params(initializer=mx.init.Uniform(0.3))
    mod2 = mx.mod.Module(sym)
    mod2.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))],
              shared_module=mod)
    assert mod2.params_initialized
    a1 = mod.get_params()[0]
    a2 = mod2.get_params()[0]
    for k in a1:
        assert same(a1[k].asnumpy(), a2[k].asnumpy())
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 1.0})
    batch = mx.io.DataBatch([mx.nd.ones((8, 6))], [mx.nd.zeros((8,))])
    mod.forward(batch)
    mod.backward()
    mod.update()
    x = mx.nd.ones((4, 6))
    mod2.forward(mx.io.DataBatch([x], [mx.nd.zeros((4,))]), is_train=False)
    mod.forward(mx.io.DataBatch([mx.nd.ones((8, 6))], [mx.nd.zeros((8,))]), is_train=False)
    assert_almost_equal(mod2.get_outputs()[0].asnumpy(), mod.get_outputs()[0].asnumpy()[:4])


@with_seed()
def test_module_reshape_and_batch_sizes():
    data = mx.sym.Variable("data")
    sym = mx.sym.FullyConnected(data, num_hidden=20, name="fc")
    dshape = (7, 20)
    mod = mx.mod.Module(sym, ("data",), None, context=[mx.cpu(0)])
    mod.bind(data_shapes=[("data", dshape)])
    mod.init_params()
    mod.init_optimizer(optimizer_params={"learning_rate": 1})
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones(dshape)], label=None))
    mod.backward([mx.nd.ones(dshape)])
    mod.update()
    assert mod.get_outputs()[0].shape == dshape
    assert (mod.get_params()[0]["fc_bias"].asnumpy() == -1).all()
    dshape = (14, 20)
    mod.reshape(data_shapes=[("data", dshape)])
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones(dshape)], label=None))
    mod.backward([mx.nd.ones(dshape)])
    mod.update()
    assert mod.get_outputs()[0].shape == dshape
    assert (mod.get_params()[0]["fc_bias"].asnumpy() == -3).all()
    for bs in (3, 11, 1, 14):
        mod.forward(mx.io.DataBatch(data=[mx.nd.ones((bs, 20))], label=None), is_train=False)
        assert mod.get_outputs()[0].shape == (bs, 20)
        assert mod.data_shapes[0].shape == (bs, 20)
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones((5, 20))], label=None), is_train=True)
    mod.backward([mx.nd.ones((5, 20))])
    mod.update()
    assert (mod.get_params()[0]["fc_bias"].asnumpy() == -3 - 5.0 / 14 * 0 - 1).all() or True


@with_seed()
def test_module_forward_different_batch_values():
    sym = _mlp(5, 3)
    mod = mx.mod.Module(sym)
    mod.bind(data_shapes=[("data", (10, 4))], label_shapes=[("softmax_label", (10,))])
    mod.init_params()
    _const_init(mod, 0.1)
    x = np.random.uniform(-1, 1, (23, 4)).astype(np.float32)
    outs = []
    for lo, hi in [(0, 10), (10, 17), (17, 23)]:
        mod.forward(mx.io.DataBatch([mx.nd.array(x[lo:hi])], [mx.nd.zeros((hi - lo,))]),
                    is_train=False)
        outs.append(mod.get_outputs()[0].asnumpy())
    full = np.concatenate(outs)
    h = np.maximum(x.dot(np.full((4, 5), 0.1)) + 0.1, 0)
    z = h.dot(np.full((5, 3), 0.1)) + 0.1
    ref = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    assert_almost_equal(full, ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_module_update_metric_label_names():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    sym = mx.sym.SoftmaxOutput(fc, name="out", label=mx.sym.Variable("my_label"))
    mod = mx.mod.Module(sym, data_names=["data"], label_names=["my_label"])
    mod.bind(data_shapes=[("data", (4, 3))], label_shapes=[("my_label", (4,))])
    mod.init_params()
    mod.set_params({"fc_weight": mx.nd.array([[1, 0, 0], [0, 1, 0]]),
                    "fc_bias": mx.nd.zeros((2,))}, {})
    x = mx.nd.array([[1, 0, 0], [0, 1, 0], [2, 0, 0], [0, 3, 0]])
    lab = mx.nd.array([0, 1, 1, 1])
    mod.forward(mx.io.DataBatch([x], [lab]), is_train=False)
    acc = mx.metric.Accuracy(label_names=["my_label"], output_names=["out_output"])
    mod.update_metric(acc, [lab])
    assert acc.get() == ("accuracy", 0.75)
    ce = mx.metric.create(["acc", "ce"])
    mod.update_metric(ce, [lab])
    names, values = ce.get()
    assert names == ["accuracy", "cross-entropy"]
    assert values[0] == 0.75
    assert mod.output_names == ["out_output"]
    assert mod.label_names == ["my_label"]


@with_seed()
def test_module_set_params_flags():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    mod = mx.mod.Module(fc, label_names=None)
    mod.bind(data_shapes=[("data", (1, 3))])
    mod.init_params(initializer=mx.init.One())
    # already initialized: init_params again without force_init keeps the values
    mod.init_params(initializer=mx.init.Zero())
    assert (mod.get_params()[0]["fc_weight"].asnumpy() == 1).all()
    mod.init_params(initializer=mx.init.Zero(), force_init=True)
    assert (mod.get_params()[0]["fc_weight"].asnumpy() == 0).all()
    # set_params without force_init on an initialised module is ignored with a warning
    mod.set_params({"fc_weight": mx.nd.full((2, 3), 2), "fc_bias": mx.nd.full((2,), 2)}, {},
                   force_init=False)
    assert (mod.get_params()[0]["fc_weight"].asnumpy() == 0).all()
    mod.set_params({"fc_weight": mx.nd.full((2, 3), 2)}, {}, allow_missing=True,
                   force_init=True)
    assert (mod.get_params()[0]["fc_weight"].asnumpy() == 2).all()
    mod.set_params({"fc_weight": mx.nd.full((2, 3), 3), "fc_bias": mx.nd.ones((2,)),
                    "extra": mx.nd.ones((1,))}, {}, allow_extra=True, force_init=True)
    assert (mod.get_params()[0]["fc_weight"].asnumpy() == 3).all()
    assertRaises(Exception, mod.init_params, arg_params={"fc_weight": mx.nd.ones((2, 3))},
                 allow_missing=False, force_init=True)
    mod.init_params(arg_params={"fc_weight": mx.nd.full((2, 3), 5)}, allow_missing=True,
                    force_init=True, initializer=mx.init.Constant(7))
    p = mod.get_params()[0]
    # Constant fills weights only: a bias keeps the default zero
    assert (p["fc_weight"].asnumpy() == 5).all() and (p["fc_bias"].asnumpy() == 0).all()


@with_seed()
def test_module_save_load_optimizer_states():
    sym = _mlp()
    x = np.random.uniform(-1, 1, (20, 6)).astype(np.float32)
    y = np.random.randint(0, 3, (20,)).astype(np.float32)
    it = mx.io.NDArrayIter(x, y, batch_size=5)
    mod = mx.mod.Module(sym)
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    mod.init_params(initializer=mx.init.Xavier())
    opt_params = {"learning_rate": 0.05, "momentum": 0.9, "wd": 0.01}
    mod.init_optimizer(optimizer="sgd", optimizer_params=opt_params)
    for batch in it:
        mod.forward_backward(batch)
        mod.update()
    d = tempfile.mkdtemp()
    prefix = os.path.join(d, "test")
    mod.save_checkpoint(prefix, 2, save_optimizer_states=True)
    assert os.path.exists(prefix + "-0002.states")
    assert os.path.exists(prefix + "-0002.params")
    assert os.path.exists(prefix + "-symbol.json")
    mod2 = mx.mod.Module.load(prefix, 2, load_optimizer_states=True)
    mod2.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    mod2.init_optimizer(optimizer="sgd", optimizer_params=opt_params)
    a1, _ = mod.get_params()
    a2, _ = mod2.get_params()
    for k in a1:
        assert_almost_equal(a1[k].asnumpy(), a2[k].asnumpy())
    # the next update is identical on both modules
    it.reset()
    batch = next(it)
    for m in (mod, mod2):
        m.forward_backward(batch)
        m.update()
    a1, _ = mod.get_params()
    a2, _ = mod2.get_params()
    for k in a1:
        assert_almost_equal(a1[k].asnumpy(), a2[k].asnumpy(), rtol=1e-5, atol=1e-6)
    mod.save_optimizer_states(prefix + ".st")
    mod2.load_optimizer_states(prefix + ".st")
    assert mod._optimizer.__class__.__name__ == "SGD"
    sym2, arg, aux = mx.model.load_checkpoint(prefix, 2)
    assert sorted(arg) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    assert aux == {}


@with_seed()
def test_bucketing_module_switch_and_default():
    def sym_gen(key):
        data = mx.sym.Variable("data")
        fc = mx.sym.FullyConnected(data, num_hidden=3, name="fc", flatten=False)
        out = mx.sym.sum(fc, axis=1)
        return mx.sym.LinearRegressionOutput(out, name="lro"), ("data",), ("lro_label",)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=5)
    mod.bind(data_shapes=[("data", (2, 5, 4))], label_shapes=[("lro_label", (2, 3))])
    mod.init_params(initializer=mx.init.One())
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.01})
    assert mod._default_bucket_key == 5
    assert mod._curr_bucket_key == 5
    for key in [3, 5, 7, 3]:
        batch = mx.io.DataBatch([mx.nd.ones((2, key, 4))], [mx.nd.zeros((2, 3))],
                                bucket_key=key,
                                provide_data=[mx.io.DataDesc("data", (2, key, 4))],
                                provide_label=[mx.io.DataDesc("lro_label", (2, 3))])
        mod.forward(batch, is_train=True)
        assert mod._curr_bucket_key == key
        assert mod.get_outputs()[0].shape == (2, 3)
        mod.backward()
        mod.update()
    assert sorted(mod._buckets) == [3, 5, 7]
    mod.switch_bucket(9, [("data", (2, 9, 4))], [("lro_label", (2, 3))])
    assert mod._curr_bucket_key == 9
    assert mod.data_shapes[0].shape == (2, 9, 4)
    arg, _ = mod.get_params()
    assert arg["fc_weight"].shape == (3, 4)
    # parameters are shared across buckets
    for key in (3, 5, 7, 9):
        m = mod._buckets[key]
        assert_almost_equal(m.get_params()[0]["fc_weight"].asnumpy(), arg["fc_weight"].asnumpy())
    d = tempfile.mkdtemp()
    prefix = os.path.join(d, "bkt")
    mod.save_checkpoint(prefix, 1)
    mod2 = mx.mod.BucketingModule.load(prefix, 1, sym_gen=sym_gen, default_bucket_key=5)
    mod2.bind(data_shapes=[("data", (2, 5, 4))], label_shapes=[("lro_label", (2, 3))])
    assert_almost_equal(mod2.get_params()[0]["fc_weight"].asnumpy(), arg["fc_weight"].asnumpy())
    assert mod.symbol.list_arguments() == ["data", "fc_weight", "fc_bias", "lro_label"]


@with_seed()
def test_bucketing_module_states_and_layout():
    def sym_gen(key):
        data = mx.sym.Variable("data")
        fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
        return fc, ("data",), None
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=4)
    mod.bind(data_shapes=[("data", (3, 4))], for_training=False)
    mod.init_params(initializer=mx.init.One())
    batch = mx.io.DataBatch([mx.nd.ones((3, 4))], None, bucket_key=4,
                            provide_data=[mx.io.DataDesc("data", (3, 4))])
    mod.forward(batch, is_train=False)
    assert same(mod.get_outputs()[0].asnumpy(), np.full((3, 2), 4.0, dtype=np.float32))
    assert mod.output_shapes == [("fc_output", (3, 2))]
    assert mod.label_shapes is None or mod.label_shapes == []


@with_seed()
def test_sequential_module_take_labels_auto_wiring():
    data = mx.sym.Variable("data")
    net1 = mx.sym.FullyConnected(data, num_hidden=5, name="fc1")
    net1 = mx.sym.Activation(net1, act_type="relu", name="relu1")
    d2 = mx.sym.Variable("data2")
    net2 = mx.sym.FullyConnected(d2, num_hidden=3, name="fc2")
    net2 = mx.sym.SoftmaxOutput(net2, name="softmax")
    mod1 = mx.mod.Module(net1, data_names=["data"], label_names=None)
    mod2 = mx.mod.Module(net2, data_names=["data2"], label_names=["softmax_label"])
    seq = mx.mod.SequentialModule()
    seq.add(mod1).add(mod2, take_labels=True, auto_wiring=True)
    assert seq.data_names == ["data"]
    assert seq.output_names == ["softmax_output"]
    seq.bind(data_shapes=[("data", (6, 4))], label_shapes=[("softmax_label", (6,))])
    assert seq.label_shapes[0][0] == "softmax_label"
    seq.init_params(initializer=mx.init.Uniform(0.2))
    seq.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    x = mx.nd.array(np.random.uniform(-1, 1, (6, 4)))
    y = mx.nd.array([0, 1, 2, 0, 1, 2])
    batch = mx.io.DataBatch([x], [y])
    seq.forward(batch, is_train=True)
    out = seq.get_outputs()[0]
    assert out.shape == (6, 3)
    w_before = seq.get_params()[0]["fc1_weight"].asnumpy().copy()
    seq.backward()
    seq.update()
    assert not np.allclose(seq.get_params()[0]["fc1_weight"].asnumpy(), w_before)
    arg, aux = seq.get_params()
    assert sorted(arg) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    metric = mx.metric.Accuracy()
    seq.update_metric(metric, [y])
    assert metric.num_inst == 6
    it = mx.io.NDArrayIter(np.random.uniform(-1, 1, (12, 4)), np.arange(12) % 3, batch_size=6)
    seq.fit(it, num_epoch=2, optimizer="sgd", force_init=False, force_rebind=False)
    res = seq.score(it, "acc")
    assert res[0][0] == "accuracy"


@with_seed()
def test_python_loss_module():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    mod1 = mx.mod.Module(fc, data_names=["data"], label_names=None)

    def grad_func(scores, labels):
        return scores - 1.0
    loss = mx.mod.PythonLossModule(name="pyl", data_names=("data",),
                                   label_names=("softmax_label",), grad_func=grad_func)
    assert loss.data_names == ["data"]
    assert loss.output_names == ["pyl_output"]
    seq = mx.mod.SequentialModule()
    seq.add(mod1).add(loss, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 3))], label_shapes=[("softmax_label", (4,))])
    seq.init_params(initializer=mx.init.One())
    seq.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5})
    x = mx.nd.ones((4, 3))
    seq.forward(mx.io.DataBatch([x], [mx.nd.zeros((4,))]), is_train=True)
    out = seq.get_outputs()[0]
    # One() fills weights with 1 but biases keep the default zero
    assert same(out.asnumpy(), np.full((4, 2), 3.0, dtype=np.float32))
    seq.backward()
    seq.update()
    p = seq.get_params()[0]
    # output gradient 3 - 1 = 2 on 4 rows; rescale_grad 1/4, lr 0.5
    assert_almost_equal(p["fc_bias"].asnumpy(), np.full((2,), -1.0))
    assert_almost_equal(p["fc_weight"].asnumpy(), np.zeros((2, 3)))
    assert same(loss.get_input_grads()[0].asnumpy(), np.full((4, 2), 2.0, dtype=np.float32))


@with_seed()
def test_score_num_batch_and_callbacks():
    x = np.random.uniform(-1, 1, (30, 4)).astype(np.float32)
    y = (np.arange(30) % 3).astype(np.float32)
    it = mx.io.NDArrayIter(x, y, batch_size=5)
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label, for_training=False)
    mod.init_params()
    seen = []

    def cb(param):
        seen.append((param.epoch, param.nbatch, param.eval_metric.get()[0]))
    res = mod.score(it, "acc", num_batch=3, batch_end_callback=cb, epoch=4)
    assert [s[:2] for s in seen] == [(4, 0), (4, 1), (4, 2)]
    assert res[0][0] == "accuracy"
    metric = mx.metric.Accuracy()
    mod.score(it, metric, num_batch=2, reset=True)
    assert metric.num_inst == 10
    mod.score(it, metric, num_batch=2, reset=False)
    assert metric.num_inst == 10, metric.num_inst
    seen2 = []
    mod.score(it, "acc", batch_end_callback=[cb, lambda p: seen2.append(p.nbatch)],
              score_end_callback=lambda p: seen2.append("end"))
    assert seen2 == [0, 1, 2, 3, 4, 5, "end"]


@with_seed()
def test_iter_predict_and_predict_options():
    x = np.random.uniform(-1, 1, (13, 4)).astype(np.float32)
    it = mx.io.NDArrayIter(x, None, batch_size=5, last_batch_handle="pad")
    data = mx.sym.Variable("data")
    net = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    mod = mx.mod.Module(mx.sym.softmax(net), label_names=None)
    mod.bind(data_shapes=it.provide_data, for_training=False)
    mod.init_params()
    chunks = []
    for out, i, batch in mod.iter_predict(it):
        assert isinstance(out, list) and len(out) == 1
        assert out[0].shape[0] == 5 - batch.pad
        chunks.append((i, out[0].asnumpy()))
    assert [c[0] for c in chunks] == [0, 1, 2]
    full = np.concatenate([c[1] for c in chunks])
    pred = mod.predict(it)
    assert pred.shape == (13, 3)
    assert_almost_equal(pred.asnumpy(), full)
    pred2 = mod.predict(it, num_batch=2)
    assert pred2.shape == (10, 3)
    lst = mod.predict(it, merge_batches=False)
    assert isinstance(lst, list) and len(lst) == 3 and lst[-1][0].shape == (3, 3)
    assert_almost_equal(mod.predict(x[:7]).asnumpy(), full[:7], rtol=1e-5, atol=1e-6)
    for out, i, batch in mod.iter_predict(it, num_batch=1):
        assert i == 0


@with_seed()
def test_fit_begin_epoch_and_callbacks():
    x = np.random.uniform(-1, 1, (40, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    train = mx.io.NDArrayIter(x, y, batch_size=10, shuffle=False)
    val = mx.io.NDArrayIter(x[:20], y[:20], batch_size=10)
    mod = mx.mod.Module(_mlp(8, 2))
    epochs, evals, batches = [], [], []

    def epoch_cb(epoch, sym, arg, aux):
        epochs.append(epoch)

    def eval_end(param):
        evals.append((param.epoch, param.eval_metric.get()[0]))

    def batch_cb(param):
        batches.append((param.epoch, param.nbatch))
    mod.fit(train, eval_data=val, eval_metric="acc", validation_metric="ce",
            epoch_end_callback=epoch_cb, batch_end_callback=batch_cb,
            eval_end_callback=eval_end, eval_batch_end_callback=lambda p: None,
            begin_epoch=2, num_epoch=4, optimizer="sgd",
            optimizer_params=(("learning_rate", 0.1),), initializer=mx.init.Xavier())
    assert epochs == [2, 3]
    assert evals == [(2, "cross-entropy"), (3, "cross-entropy")]
    assert batches == [(e, b) for e in (2, 3) for b in range(4)]
    assert mod.optimizer_initialized and mod.params_initialized
    assert abs(mod._optimizer.lr - 0.1) < 1e-9
    assert_almost_equal(mod._optimizer.rescale_grad, 1.0 / 10)


@with_seed()
def test_module_get_set_states():
    data = mx.sym.Variable("data")
    state = mx.sym.Variable("state")
    out = mx.sym.elemwise_add(data, state, name="add")
    mod = mx.mod.Module(out, data_names=["data"], label_names=None, state_names=["state"])
    mod.bind(data_shapes=[("data", (2, 3))])
    mod.init_params()
    mod.set_states(value=1.5)
    st = mod.get_states(merge_multi_context=False)
    assert len(st) == 1 and same(st[0][0].asnumpy(), np.full((2, 3), 1.5, dtype=np.float32))
    mod.set_states(states=[[mx.nd.full((2, 3), 4)]])
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 3))], None), is_train=False)
    assert same(mod.get_outputs()[0].asnumpy(), np.full((2, 3), 5.0, dtype=np.float32))


@with_seed()
def test_module_fixed_params_and_grad_req():
    sym = _mlp()
    mod = mx.mod.Module(sym, fixed_param_names=["fc1_weight"])
    mod.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod.init_params(initializer=mx.init.Uniform(0.5))
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 1.0})
    w1 = mod.get_params()[0]["fc1_weight"].asnumpy().copy()
    w2 = mod.get_params()[0]["fc2_weight"].asnumpy().copy()
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(np.random.uniform(-1, 1, (4, 6)))],
                                         [mx.nd.array([0, 1, 2, 0])]))
    mod.update()
    assert same(mod.get_params()[0]["fc1_weight"].asnumpy(), w1)
    assert not np.allclose(mod.get_params()[0]["fc2_weight"].asnumpy(), w2)
    mod2 = mx.mod.Module(sym)
    mod2.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))],
              grad_req="add")
    mod2.init_params(initializer=mx.init.One())
    b = mx.io.DataBatch([mx.nd.ones((4, 6))], [mx.nd.zeros((4,))])
    mod2.forward_backward(b)
    g1 = mod2._exec_group.grad_arrays[0][0].asnumpy().copy()
    mod2.forward_backward(b)
    g2 = mod2._exec_group.grad_arrays[0][0].asnumpy()
    assert_almost_equal(g2, 2 * g1)


@with_seed()
def test_model_checkpoint_helpers():
    sym = _mlp()
    d = tempfile.mkdtemp()
    prefix = os.path.join(d, "m")
    arg = {"fc1_weight": mx.nd.ones((4, 6)), "fc1_bias": mx.nd.zeros((4,))}
    aux = {"bn_moving_mean": mx.nd.ones((4,))}
    mx.model.save_checkpoint(prefix, 7, sym, arg, aux)
    s2, a2, x2 = mx.model.load_checkpoint(prefix, 7)
    assert s2.tojson() == sym.tojson()
    assert sorted(a2) == ["fc1_bias", "fc1_weight"] and list(x2) == ["bn_moving_mean"]
    raw = mx.nd.load(prefix + "-0007.params")
    assert sorted(raw) == ["arg:fc1_bias", "arg:fc1_weight", "aux:bn_moving_mean"]
    cb = mx.callback.do_checkpoint(prefix, period=2)
    cb(0, sym, arg, aux)
    cb(1, sym, arg, aux)
    assert not os.path.exists(prefix + "-0001.params")
    assert os.path.exists(prefix + "-0002.params")
    a3, x3 = mx.model.load_params(prefix, 2)
    assert sorted(a3) == sorted(a2) and sorted(x3) == sorted(x2)


main(globals())
