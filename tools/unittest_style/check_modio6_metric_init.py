"""mx.metric / mx.init checks in the style of MXNet 1.9.1's test_metric.py and test_init.py
(round 6): create() by every name with kwargs, output/label name filtering, local vs global
statistics for every metric, configs, custom metrics; initializers through InitDesc attrs
(``__init__`` on symbols), Mixed/Load/FusedRNN, dumps and registration.

Run through ``tools/unittest_style/run.py --only modio6`` (real MXNet and mxtorch).
"""
import json
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import nd
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _probs(n, k, seed):
    rng = np.random.RandomState(seed)
    p = rng.uniform(0.05, 1, (n, k)).astype(np.float32)
    return p / p.sum(1, keepdims=True)


NAMES = {
    "acc": "accuracy", "accuracy": "accuracy", "top_k_accuracy": "top_k_accuracy_3",
    "top_k_acc": "top_k_accuracy_3", "f1": "f1", "mcc": "mcc", "perplexity": "perplexity",
    "mae": "mae", "mse": "mse", "rmse": "rmse", "ce": "cross-entropy",
    "nll_loss": "nll-loss", "pearsonr": "pearsonr", "pcc": "pcc", "loss": "loss",
    "torch": "torch", "caffe": "caffe",
}


def _inputs(name):
    p = _probs(8, 2, 0)
    lab = np.array([0, 1, 1, 0, 1, 1, 0, 0], np.float32)
    if name in ("mae", "mse", "rmse", "pearsonr"):
        return [nd.array(lab)], [nd.array(p[:, 1])]
    if name in ("loss", "torch", "caffe"):
        return None, [nd.array(p[:, 1])]
    if name in ("top_k_accuracy", "top_k_acc"):
        return [nd.array(lab)], [nd.array(_probs(8, 4, 1))]
    return [nd.array(lab)], [nd.array(p)]


@with_seed()
def test_create_every_name_local_and_global():
    for key, full in NAMES.items():
        kw = {"top_k": 3} if "top_k" in key else {}
        if key == "perplexity":
            kw = {"ignore_label": None}
        m = mx.metric.create(key, **kw)
        assert m.name == full, (key, m.name)
        labels, preds = _inputs(key)
        m.update(labels, preds)
        first = m.get()[1]
        m.update(labels, preds)
        assert_almost_equal(np.array(m.get()[1]), np.array(first), rtol=1e-5, atol=1e-6)
        assert_almost_equal(np.array(m.get_global()[1]), np.array(first), rtol=1e-5,
                            atol=1e-6)
        m.reset_local()
        assert np.isnan(m.get()[1]) or key in ("f1", "mcc", "pcc"), (key, m.get())
        assert_almost_equal(np.array(m.get_global()[1]), np.array(first), rtol=1e-5,
                            atol=1e-6)
        assert m.get_global_name_value()[0][0] == full
        m.reset()
        assert m.num_inst == 0 and m.global_num_inst == 0
    assertRaises(Exception, mx.metric.create, "no_such_metric")


@with_seed()
def test_metric_values_against_numpy():
    p = _probs(8, 2, 0)
    lab = np.array([0, 1, 1, 0, 1, 1, 0, 0], np.float32)
    res = {}
    for key in ("mae", "mse", "rmse"):
        m = mx.metric.create(key)
        m.update([nd.array(lab)], [nd.array(p[:, 1])])
        res[key] = m.get()[1]
    d = lab - p[:, 1]
    assert_almost_equal(np.array(res["mae"]), np.abs(d).mean(), rtol=1e-5)
    assert_almost_equal(np.array(res["mse"]), (d ** 2).mean(), rtol=1e-5)
    assert_almost_equal(np.array(res["rmse"]), np.sqrt((d ** 2).mean()), rtol=1e-5)
    m = mx.metric.PearsonCorrelation()
    m.update([nd.array(lab)], [nd.array(p[:, 1])])
    assert_almost_equal(np.array(m.get()[1]), np.corrcoef(lab, p[:, 1])[0, 1], rtol=1e-5)
    m = mx.metric.Loss()
    m.update(None, [nd.array(p[:, 1]), nd.array(p[:4, 0])])
    assert_almost_equal(np.array(m.get()[1]), (p[:, 1].sum() + p[:4, 0].sum()) / 12,
                        rtol=1e-5)
    # 2-D labels against 1-D predictions are reshaped for the regression metrics
    m = mx.metric.MSE()
    m.update([nd.array(lab.reshape(8, 1))], [nd.array(p[:, 1])])
    assert_almost_equal(np.array(m.get()[1]), (d ** 2).mean(), rtol=1e-5)
    # several outputs: the mean over them weighted by the batches
    m = mx.metric.MAE()
    m.update([nd.array(lab), nd.array(lab[:4])], [nd.array(p[:, 1]), nd.array(p[:4, 1])])
    assert m.num_inst == 2
    ref = (np.abs(d).mean() + np.abs(d[:4]).mean()) / 2
    assert_almost_equal(np.array(m.get()[1]), ref, rtol=1e-5)


@with_seed()
def test_output_and_label_names_filtering():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    m = mx.metric.Accuracy(output_names=["b_output"], label_names=["b_label"])
    preds = {"a_output": nd.array(np.roll(p, 1, 1)), "b_output": nd.array(p)}
    labels = {"a_label": nd.array(lab[::-1].copy()), "b_label": nd.array(lab)}
    m.update_dict(labels, preds)
    assert_almost_equal(np.array(m.get()[1]), (p.argmax(1) == lab).mean())
    assert m.num_inst == 6
    m2 = mx.metric.Accuracy()
    m2.update_dict({"l": nd.array(lab)}, {"o": nd.array(p)})
    assert m2.num_inst == 6
    comp = mx.metric.CompositeEvalMetric(
        [mx.metric.Accuracy(output_names=["a_output"], label_names=["a_label"], name="acc_a"),
         mx.metric.Accuracy(output_names=["b_output"], label_names=["b_label"], name="acc_b")])
    comp.update_dict(labels, preds)
    names, vals = comp.get()
    assert names == ["acc_a", "acc_b"]
    assert_almost_equal(np.array(vals[1]), (p.argmax(1) == lab).mean())
    assert comp.get_metric(1).name == "acc_b"
    cfg = m.get_config()
    assert cfg["metric"] == "Accuracy" and cfg["output_names"] == ["b_output"]
    assert cfg["label_names"] == ["b_label"] and cfg["axis"] == 1
    again = mx.metric.create(cfg.pop("metric"), **cfg)
    assert again.output_names == ["b_output"]
    c2 = mx.metric.create(["acc", "mse"])
    assert isinstance(c2, mx.metric.CompositeEvalMetric) and len(c2.metrics) == 2
    c2.add(mx.metric.create("ce"))
    assert [x.name for x in c2.metrics] == ["accuracy", "mse", "cross-entropy"]
    assert c2.get_config()["metric"] == "CompositeEvalMetric"


@with_seed()
def test_custom_and_np_metrics():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)

    def acc(label, pred):
        return (pred.argmax(1) == label).mean()
    m = mx.metric.create(acc)
    assert isinstance(m, mx.metric.CustomMetric) and m.name == "acc"
    m.update([nd.array(lab)], [nd.array(p)])
    m.update([nd.array(lab[:3])], [nd.array(p[:3])])
    ref = ((p.argmax(1) == lab).mean() + (p[:3].argmax(1) == lab[:3]).mean()) / 2
    assert_almost_equal(np.array(m.get()[1]), ref)

    def summed(label, pred):
        return float((pred.argmax(1) == label).sum()), len(label)
    m = mx.metric.CustomMetric(summed, name="s")
    m.update([nd.array(lab)], [nd.array(p)])
    m.update([nd.array(lab[:3])], [nd.array(p[:3])])
    assert m.num_inst == 9
    ref = ((p.argmax(1) == lab).sum() + (p[:3].argmax(1) == lab[:3]).sum()) / 9.0
    assert_almost_equal(np.array(m.get()[1]), ref)
    m = mx.metric.np(acc, name="npacc")
    assert m.name == "npacc"
    m.update([nd.array(lab)], [nd.array(p)])
    assert m.num_inst == 1
    m = mx.metric.np(acc, allow_extra_outputs=True)
    m.update([nd.array(lab)], [nd.array(p), nd.array(p)])
    assert m.num_inst == 1
    m = mx.metric.CustomMetric(acc)
    assertRaises(Exception, m.update, [nd.array(lab)], [nd.array(p), nd.array(p)])
    assertRaises(NotImplementedError, mx.metric.CustomMetric(acc, name="x").get_config)
    m = mx.metric.create(lambda l, q: 0.5)
    assert m.name.startswith("<lambda>") or "lambda" in m.name


@with_seed()
def test_f1_mcc_global_micro_macro():
    rng = np.random.RandomState(4)
    batches = [(rng.randint(0, 2, 10).astype(np.float32), _probs(10, 2, s)) for s in range(3)]

    def counts(lab, pred):
        tp = float(((pred == 1) & (lab == 1)).sum())
        fp = float(((pred == 1) & (lab == 0)).sum())
        fn = float(((pred == 0) & (lab == 1)).sum())
        tn = float(((pred == 0) & (lab == 0)).sum())
        return tp, fp, fn, tn

    def f1(c):
        tp, fp, fn, _ = c
        prec = tp / (tp + fp) if tp + fp else 0.
        rec = tp / (tp + fn) if tp + fn else 0.
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.
    for avg in ("macro", "micro"):
        m = mx.metric.F1(average=avg)
        for i, (lab, p) in enumerate(batches):
            m.update([nd.array(lab)], [nd.array(p)])
            if i == 0:
                m.reset_local()
        local = [counts(l, q.argmax(1)) for l, q in batches[1:]]
        allc = [counts(l, q.argmax(1)) for l, q in batches]
        if avg == "macro":
            want_local = np.mean([f1(c) for c in local])
            want_global = np.mean([f1(c) for c in allc])
        else:
            want_local = f1(np.sum(local, 0))
            want_global = f1(np.sum(allc, 0))
        assert_almost_equal(np.array(m.get()[1]), np.array(want_local), rtol=1e-6)
        assert_almost_equal(np.array(m.get_global()[1]), np.array(want_global), rtol=1e-6)


@with_seed()
def test_symbol_init_attrs_through_module():
    data = mx.sym.Variable("data")
    w = mx.sym.Variable("fc_weight", init=mx.init.Constant(0.25))
    b = mx.sym.Variable("fc_bias", init=mx.init.Constant(-1.0))
    fc = mx.sym.FullyConnected(data, weight=w, bias=b, num_hidden=3, name="fc")
    bn = mx.sym.BatchNorm(fc, name="bn")
    fc2 = mx.sym.FullyConnected(bn, num_hidden=2, name="fc2")
    assert json.loads(w.attr("__init__")) == ["constant", {"value": 0.25}]
    mod = mx.mod.Module(fc2, label_names=None)
    mod.bind(data_shapes=[("data", (2, 4))])
    mod.init_params(initializer=mx.init.Uniform(0.01))
    arg, aux = mod.get_params()
    assert (arg["fc_weight"].asnumpy() == 0.25).all()
    assert (arg["fc_bias"].asnumpy() == -1).all()
    assert (np.abs(arg["fc2_weight"].asnumpy()) <= 0.01).all()
    assert (arg["fc2_bias"].asnumpy() == 0).all()
    assert (arg["bn_gamma"].asnumpy() == 1).all() and (arg["bn_beta"].asnumpy() == 0).all()
    assert (aux["bn_moving_var"].asnumpy() == 1).all()
    assert (aux["bn_moving_mean"].asnumpy() == 0).all()
    # the symbol's own init wins even when the user's initializer is Constant
    mod.init_params(initializer=mx.init.Constant(5), force_init=True)
    arg, aux = mod.get_params()
    assert (arg["fc_weight"].asnumpy() == 0.25).all()
    assert (arg["fc2_weight"].asnumpy() == 5).all()


@with_seed()
def test_initdesc_and_direct_calls():
    init = mx.init.Xavier(rnd_type="gaussian", factor_type="in", magnitude=2)
    desc = mx.init.InitDesc("fc_weight", attrs={"__init__": mx.init.One().dumps()})
    assert desc == "fc_weight" and desc.attrs["__init__"] == '["one", {}]'
    arr = nd.zeros((3, 4))
    init(desc, arr)
    assert (arr.asnumpy() == 1).all()
    desc2 = mx.init.InitDesc("fc_weight", global_init=mx.init.Zero())
    assert desc2.global_init is not None
    arr = nd.zeros((30, 40))
    init(mx.init.InitDesc("fc_weight"), arr)
    assert abs(arr.asnumpy().std() - np.sqrt(2.0 / 40)) < 0.03
    for name, want in (("x_bias", 0), ("x_gamma", 1), ("x_beta", 0), ("x_min", 0),
                       ("x_max", 1)):
        arr = nd.full((2, 2), 7)
        init(mx.init.InitDesc(name), arr)
        assert (arr.asnumpy() == want).all(), name
    arr = nd.full((2, 2), 7)
    assertRaises(ValueError, init, mx.init.InitDesc("weirdname"), arr)
    assertRaises(ValueError, init, mx.init.InitDesc("x_moving_mean"), arr)
    # plain string names take the legacy rules (auxiliary states, spatial transformer)
    for name, want in (("x_moving_mean", 0), ("x_moving_var", 1), ("x_moving_inv_var", 0),
                       ("x_moving_avg", 0), ("x_gamma", 1), ("x_min", 0), ("x_max", 1)):
        arr = nd.full((2, 2), 7)
        init(name, arr)
        assert (arr.asnumpy() == want).all(), name
    arr = nd.full((2, 2), 7)
    init("stn_loc_weight", arr)
    assert (arr.asnumpy() == 0).all()
    arr = nd.zeros((6,))
    init("stn_loc_bias", arr)
    assert same(arr.asnumpy(), np.array([1, 0, 0, 0, 1, 0], np.float32))
    assertRaises(ValueError, init, "weirdname", arr)
    # legacy: a plain string name
    arr = nd.zeros((2,))
    mx.init.Constant(3)("fc_bias", arr)
    assert (arr.asnumpy() == 0).all()
    arr = nd.zeros((2, 2))
    mx.init.Constant(3)("fc_weight", arr)
    assert (arr.asnumpy() == 3).all()


@with_seed()
def test_mixed_load_fusedrnn_dumps():
    mixed = mx.init.Mixed([".*conv.*", ".*"], [mx.init.Constant(2), mx.init.One()])
    a = nd.zeros((2, 2))
    mixed("conv1_weight", a)
    b = nd.zeros((2, 2))
    mixed("fc_weight", b)
    c = nd.ones((2,))
    mixed("conv1_bias", c)
    assert (a.asnumpy() == 2).all() and (b.asnumpy() == 1).all() and (c.asnumpy() == 0).all()
    m2 = mx.init.Mixed(["fc.*"], [mx.init.One()])
    assertRaises(ValueError, m2, "conv_weight", nd.zeros((1,)))
    d = tempfile.mkdtemp()
    fname = os.path.join(d, "p.params")
    nd.save(fname, {"arg:fc_weight": nd.full((2, 2), 4), "aux:bn_moving_var": nd.full((2,), 5)})
    load = mx.init.Load(fname, default_init=mx.init.Constant(9))
    w = nd.zeros((2, 2))
    load("fc_weight", w)
    assert (w.asnumpy() == 4).all()
    v = nd.zeros((2,))
    load("bn_moving_var", v)
    assert (v.asnumpy() == 5).all()
    other = nd.zeros((3,))
    load("other_weight", other)
    assert (other.asnumpy() == 9).all()
    assertRaises(Exception, load, "fc_weight", nd.zeros((3, 3)))
    load2 = mx.init.Load({"fc_weight": nd.full((2, 2), 6)})
    load2("fc_weight", w)
    assert (w.asnumpy() == 6).all()
    assertRaises(Exception, load2, "zz_weight", nd.zeros((1,)))
    for init, want in [(mx.init.Uniform(0.2), ["uniform", {"scale": 0.2}]),
                       (mx.init.Normal(0.3), ["normal", {"sigma": 0.3}]),
                       (mx.init.Xavier(), ["xavier", {"rnd_type": "uniform",
                                                      "factor_type": "avg", "magnitude": 3}]),
                       (mx.init.MSRAPrelu(), ["msraprelu", {"factor_type": "avg",
                                                             "slope": 0.25}]),
                       (mx.init.Orthogonal(), ["orthogonal", {"scale": 1.414,
                                                               "rand_type": "uniform"}]),
                       (mx.init.Constant(1.5), ["constant", {"value": 1.5}]),
                       (mx.init.LSTMBias(2.0), ["lstmbias", {"forget_bias": 2.0}])]:
        assert json.loads(init.dumps()) == want, (init.dumps(), want)
    # (MXNet 1.9.1 cannot rebuild a FusedRNN holding an inner initializer from its JSON, so
    # the inner one is None here: the caller's initializer fills the unpacked weights)
    fused = mx.init.FusedRNN(None, num_hidden=2, num_layers=1, mode="lstm",
                             bidirectional=False, forget_bias=3.0)
    n_params = 4 * 2 * (3 + 2) + 2 * 4 * 2
    arr = nd.zeros((n_params,))
    desc = mx.init.InitDesc("lstm_parameters", attrs={"__init__": fused.dumps()})
    mx.init.One()(desc, arr)
    vals = arr.asnumpy()
    assert (vals[:40] == 1).all()
    biases = vals[40:]
    # each of the i2h and h2h biases: gates i, f, c, o; the forget gate gets forget_bias
    assert same(biases, np.array([0, 0, 3, 3, 0, 0, 0, 0] * 2, np.float32)), biases
    assert json.loads(fused.dumps())[0] == "fusedrnn"


@with_seed()
def test_register_custom_initializer_and_alias():
    @mx.init.register
    @mx.init.alias("halfs")
    class HalfInit(mx.init.Initializer):
        def _init_weight(self, name, arr):
            arr[:] = 0.5
    w = nd.zeros((2, 2))
    mx.init.create("halfs")(mx.init.InitDesc("a_weight"), w)
    assert (w.asnumpy() == 0.5).all()
    w[:] = 0
    mx.init.create("halfinit")(mx.init.InitDesc("a_weight"), w)
    assert (w.asnumpy() == 0.5).all()
    b = nd.ones((2,))
    HalfInit()(mx.init.InitDesc("a_bias"), b)
    assert (b.asnumpy() == 0).all()
    v = mx.sym.Variable("v", init=HalfInit())
    assert json.loads(v.attr("__init__")) == ["halfinit", {}]
    a = nd.zeros((3,))
    mx.init.Uniform()(mx.init.InitDesc("v_weight", attrs={"__init__": v.attr("__init__")}), a)
    assert (a.asnumpy() == 0.5).all()


main(globals())
