"""mx.metric / mx.optimizer / mx.lr_scheduler checks in the style of MXNet 1.9.1's
test_metric.py and test_optimizer.py (round 5): corner inputs, every metric's accumulator API,
optimizers against numpy references with lr/wd multipliers, schedulers and multi-precision.

Run through ``tools/unittest_style/run.py --only modio5`` (real MXNet and mxtorch).
"""
import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

nd = mx.nd


def _probs(n, k, seed):
    rng = np.random.RandomState(seed)
    p = rng.uniform(size=(n, k)).astype(np.float32)
    return p / p.sum(1, keepdims=True)


def _accumulators(metric, updates):
    for labels, preds in updates:
        metric.update(labels, preds)
    got = [metric.get(), metric.get_global(), metric.get_name_value(),
           metric.get_global_name_value()]
    metric.reset_local()
    got += [metric.get(), metric.get_global()]
    metric.reset()
    got.append(metric.get_global())
    return got


@with_seed()
def test_accuracy_local_global_and_corner_inputs():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    ref = (p.argmax(1) == lab)
    got = _accumulators(mx.metric.Accuracy(), [([nd.array(lab)], [nd.array(p)]),
                                                ([nd.array(lab[:3])], [nd.array(p[:3])])])
    both = (ref.sum() + ref[:3].sum()) / 9.0
    assert got[0][0] == "accuracy" and abs(got[0][1] - both) < 1e-7
    assert abs(got[1][1] - both) < 1e-7
    assert got[2] == [got[0]]
    assert np.isnan(got[4][1]) and abs(got[5][1] - both) < 1e-7 and np.isnan(got[6][1])
    m = mx.metric.Accuracy()
    m.update([nd.array(lab)], [nd.array(lab)])     # class ids as predictions
    assert m.get()[1] == 1.0
    m = mx.metric.Accuracy(axis=0)
    m.update([nd.array([0, 1, 2])], [nd.array(p[:3].T)])
    assert abs(m.get()[1] - (p[:3].T.argmax(0) == [0, 1, 2]).mean()) < 1e-7
    m = mx.metric.Accuracy()
    m.update(nd.array(lab), nd.array(p))           # single arrays, no lists
    assert m.num_inst == 6
    m = mx.metric.Accuracy()
    m.update([nd.array(lab), nd.array(lab[:4])], [nd.array(p), nd.array(p[:4])])
    assert m.num_inst == 10
    m = mx.metric.Accuracy()
    m.update([nd.array(lab).astype("int32")], [nd.array(p).astype("float64")])
    assert m.num_inst == 6
    assertRaises(ValueError, mx.metric.Accuracy().update, [nd.array(lab), nd.array(lab)],
                 [nd.array(p)])


@with_seed()
def test_topk_f1_mcc():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    top2 = np.argsort(p, 1)[:, -2:]
    m = mx.metric.TopKAccuracy(top_k=2)
    m.update([nd.array(lab)], [nd.array(p)])
    assert m.name == "top_k_accuracy_2"
    assert abs(m.get()[1] - np.mean([lab[i] in top2[i] for i in range(6)])) < 1e-7
    m = mx.metric.TopKAccuracy(top_k=3)
    m.update([nd.array(lab)], [nd.array(p)])
    assert m.get()[1] == 1.0
    p2 = _probs(6, 2, 1)
    l2 = np.array([0, 1, 1, 0, 1, 1], np.float32)

    def f1(lab, pred):
        tp = ((pred == 1) & (lab == 1)).sum()
        fp = ((pred == 1) & (lab == 0)).sum()
        fn = ((pred == 0) & (lab == 1)).sum()
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    pred = p2.argmax(1)
    macro = mx.metric.F1(average="macro")
    micro = mx.metric.F1(average="micro")
    for m in (macro, micro):
        m.update([nd.array(l2)], [nd.array(p2)])
        m.update([nd.array(l2[:4])], [nd.array(p2[:4])])
    assert abs(macro.get()[1] - (f1(l2, pred) + f1(l2[:4], pred[:4])) / 2) < 1e-6
    both_l = np.concatenate([l2, l2[:4]])
    both_p = np.concatenate([pred, pred[:4]])
    assert abs(micro.get()[1] - f1(both_l, both_p)) < 1e-6
    m = mx.metric.F1()
    m.update([nd.zeros((4,))], [nd.array(np.tile([[0.9, 0.1]], (4, 1)))])
    assert m.get()[1] == 0.0
    assertRaises(ValueError, mx.metric.F1().update, [nd.array(lab)], [nd.array(p)])

    def mcc(lab, pred):
        tp = float(((pred == 1) & (lab == 1)).sum())
        tn = float(((pred == 0) & (lab == 0)).sum())
        fp = float(((pred == 1) & (lab == 0)).sum())
        fn = float(((pred == 0) & (lab == 1)).sum())
        den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return (tp * tn - fp * fn) / den if den else 0.0
    m = mx.metric.MCC(average="micro")
    m.update([nd.array(l2)], [nd.array(p2)])
    assert abs(m.get()[1] - mcc(l2, pred)) < 1e-6


@with_seed()
def test_pcc_perplexity_ce_nll():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    m = mx.metric.PCC()
    m.update([nd.array(lab)], [nd.array(p)])
    pred = p.argmax(1)
    conf = np.zeros((3, 3))
    for t, q in zip(lab.astype(int), pred):
        conf[q, t] += 1
    n = conf.sum()
    x, y = conf.sum(1), conf.sum(0)
    cov_xy = np.trace(conf) * n - x.dot(y)
    ref = cov_xy / np.sqrt((n * n - x.dot(x)) * (n * n - y.dot(y)))
    assert abs(m.get()[1] - ref) < 1e-6
    l2 = np.array([0, 1, 1, 0, 1, 1], np.float32)
    p2 = _probs(6, 2, 1)
    m2 = mx.metric.PCC()
    m2.update([nd.array(l2)], [nd.array(p2)])
    m3 = mx.metric.MCC()
    m3.update([nd.array(l2)], [nd.array(p2)])
    assert abs(m2.get()[1] - m3.get()[1]) < 1e-6      # binary PCC is MCC
    picked = p[np.arange(6), lab.astype(int)]
    m = mx.metric.Perplexity(ignore_label=None)
    m.update([nd.array(lab)], [nd.array(p)])
    assert abs(m.get()[1] - np.exp(-np.log(picked).mean())) < 1e-4
    m = mx.metric.Perplexity(ignore_label=1)
    m.update([nd.array(lab)], [nd.array(p)])
    keep = lab != 1
    assert abs(m.get()[1] - np.exp(-np.log(picked[keep]).sum() / keep.sum())) < 1e-4
    m = mx.metric.CrossEntropy(eps=1e-12)
    m.update([nd.array(lab)], [nd.array(p)])
    assert abs(m.get()[1] - (-np.log(picked + 1e-12)).mean()) < 1e-5
    m = mx.metric.NegativeLogLikelihood()
    m.update([nd.array(lab.reshape(6, 1))], [nd.array(p)])
    assert m.name == "nll-loss" and abs(m.get()[1] - (-np.log(picked + 1e-12)).mean()) < 1e-5


@with_seed()
def test_regression_loss_and_custom_metrics():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    col = p[:, 0]
    for cls, fn in ((mx.metric.MAE, lambda a, b: np.abs(a - b).mean()),
                    (mx.metric.MSE, lambda a, b: ((a - b) ** 2).mean()),
                    (mx.metric.RMSE, lambda a, b: np.sqrt(((a - b) ** 2).mean()))):
        m = cls()
        m.update([nd.array(lab)], [nd.array(col)])
        m.update([nd.array(lab[:2])], [nd.array(col[:2])])
        # per-batch values are averaged over batches
        ref = (fn(lab, col) + fn(lab[:2], col[:2])) / 2
        assert abs(m.get()[1] - ref) < 1e-6, (cls.__name__, m.get(), ref)
        assert m.num_inst == 2
    m = mx.metric.MSE()
    m.update([nd.array(np.array(2.0))], [nd.array(np.array(1.0))])
    assert m.get()[1] == 1.0
    m = mx.metric.MAE()
    m.update([nd.array(lab)], [nd.array(col.reshape(6, 1))])
    assert abs(m.get()[1] - np.abs(lab - col).mean()) < 1e-6
    m = mx.metric.Loss()
    m.update(None, [nd.array(p), nd.array(p[:2])])
    # Loss averages over every element
    assert m.num_inst == 24 and abs(m.get()[1] - (p.sum() + p[:2].sum()) / 24) < 1e-6
    for name in ("torch", "caffe"):
        m = mx.metric.create(name)
        m.update(None, [nd.array(p)])
        assert abs(m.get()[1] - p.sum() / 18) < 1e-6
    m = mx.metric.CustomMetric(lambda l, q: float((l == q.argmax(1)).sum()), name="hits")
    m.update([nd.array(lab)], [nd.array(p)])
    assert m.name == "hits" and m.get()[1] == (lab == p.argmax(1)).sum()
    m = mx.metric.CustomMetric(lambda l, q: ((l == q.argmax(1)).sum(), l.size))
    m.update([nd.array(lab)], [nd.array(p)])
    assert m.num_inst == 6
    m = mx.metric.np(lambda l, q: float((l == q.argmax(1)).mean()))
    assert m.name == "custom(<lambda>)"
    m.update([nd.array(lab)], [nd.array(p)])
    assert abs(m.get()[1] - (lab == p.argmax(1)).mean()) < 1e-7
    assert mx.metric.np(lambda l, q: 0.0, name="zz").name == "zz"
    m = mx.metric.CustomMetric(lambda l, q: 1.0, allow_extra_outputs=True)
    m.update([nd.array(lab)], [nd.array(p), nd.array(p)])
    assert m.get()[1] == 1.0
    assertRaises(ValueError, mx.metric.CustomMetric(lambda l, q: 1.0).update,
                 [nd.array(lab)], [nd.array(p), nd.array(p)])


@with_seed()
def test_composite_create_and_config():
    p = _probs(6, 3, 0)
    lab = np.array([0, 1, 2, 2, 1, 0], np.float32)
    comp = mx.metric.create(["acc", "ce", mx.metric.TopKAccuracy(2)])
    comp.update([nd.array(lab)], [nd.array(p)])
    names, values = comp.get()
    assert names == ["accuracy", "cross-entropy", "top_k_accuracy_2"]
    assert len(comp.get_name_value()) == 3
    assert comp.get_metric(1).name == "cross-entropy"
    # (MXNet returns, not raises, the ValueError for a bad index)
    assert isinstance(comp.get_metric(5), ValueError)
    comp.reset_local()
    assert np.isnan(comp.get()[1][0]) and not np.isnan(comp.get_global()[1][0])
    assert [mx.metric.create(n).name for n in
            ["acc", "ce", "f1", "mae", "mse", "rmse", "nll_loss", "pearsonr", "loss",
             "mcc", "pcc"]] == \
        ["accuracy", "cross-entropy", "f1", "mae", "mse", "rmse", "nll-loss", "pearsonr",
         "loss", "mcc", "pcc"]
    assert mx.metric.create("perplexity", ignore_label=None).name == "perplexity"
    assert mx.metric.create("top_k_accuracy", top_k=3).name == "top_k_accuracy_3"
    assert mx.metric.create(lambda l, q: 1.0).name == "custom(<lambda>)"
    assertRaises(Exception, mx.metric.create, "nonexistent")
    cfg = mx.metric.TopKAccuracy(top_k=3, name="x").get_config()
    assert cfg["metric"] == "TopKAccuracy" and cfg["top_k"] == 3 and cfg["name"] == "x_3"
    assert str(mx.metric.Accuracy()) == "EvalMetric: {'accuracy': nan}"
    assert mx.metric.create(["acc", "mse"]).get()[0] == ["accuracy", "mse"]
    assertRaises(ValueError, mx.metric.Accuracy().update, [nd.array(lab[:3])], [nd.array(p)])


def _sgd_mom_ref(w, grads, lr, mom, wd, rescale, clip, lr_at):
    state = np.zeros_like(w)
    for t, g in enumerate(grads, 1):
        g = np.clip(g * rescale, -clip, clip) + wd * w
        state = mom * state - lr_at(t) * lr * g
        w = w + state
    return w


@with_seed()
def test_sgd_multipliers_scheduler_and_clip():
    rng = np.random.RandomState(1)
    names = ["fc_weight", "fc_bias", "emb_weight"]
    w0 = [rng.uniform(-1, 1, (3, 4)).astype(np.float32) for _ in names]
    grads = [[rng.uniform(-1, 1, (3, 4)).astype(np.float32) for _ in names] for _ in range(5)]
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.1)
    opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                           clip_gradient=0.3, lr_scheduler=sched,
                           param_idx2name=dict(enumerate(names)))
    opt.set_lr_mult({"fc_weight": 2.0, "emb_weight": 0.5})
    opt.set_wd_mult({"fc_weight": 0.0, "emb_weight": 3.0})
    ws = [nd.array(w) for w in w0]
    states = [opt.create_state(i, w) for i, w in enumerate(ws)]
    for g in grads:
        for i, w in enumerate(ws):
            opt.update(i, w, nd.array(g[i]), states[i])
    # num_update counts every index; the rate halves every 2 updates of the counter
    factor = {1: 1.0, 2: 1.0, 3: 0.5, 4: 0.5, 5: 0.25}
    # biases get wd_mult 0 by MXNet's rule (names not ending in _weight/_gamma)
    lr_m, wd_m = [2.0, 1.0, 0.5], [0.0, 0.0, 3.0]
    assert opt.num_update == 5
    for i in range(3):
        ref = _sgd_mom_ref(w0[i], [g[i] for g in grads], 0.1 * lr_m[i], 0.9, 0.01 * wd_m[i],
                           0.5, 0.3, lambda t: factor[t])
        assert_almost_equal(ws[i].asnumpy(), ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_symbol_multipliers_and_begin_num_update():
    w = mx.sym.Variable("fc_weight", lr_mult=3.0, wd_mult=0.5)
    b = mx.sym.Variable("fc_bias", lr_mult=0.0)
    s = mx.sym.FullyConnected(mx.sym.Variable("data"), weight=w, bias=b, num_hidden=3)
    opt = mx.optimizer.SGD(learning_rate=0.1, wd=0.01, sym=s, begin_num_update=3,
                           param_idx2name={0: "fc_weight", 1: "fc_bias"})
    assert opt.lr_mult == {"fc_weight": 3.0, "fc_bias": 0.0}
    assert opt.wd_mult["fc_weight"] == 0.5
    assert opt.num_update == 3
    weight = nd.ones((3, 2))
    opt.update(0, weight, nd.ones((3, 2)), None)
    assert opt.num_update == 4
    assert_almost_equal(weight.asnumpy(), np.full((3, 2), 1 - 0.3 * (1 + 0.005)), rtol=1e-6)
    bias = nd.ones((3,))
    opt.update(1, bias, nd.ones((3,)), None)
    assert same(bias.asnumpy(), np.ones(3, np.float32))


@with_seed()
def test_multi_precision_matches_float32():
    rng = np.random.RandomState(2)
    w0 = rng.uniform(-1, 1, (4, 5)).astype(np.float16).astype(np.float32)
    grads = [rng.uniform(-1, 1, (4, 5)).astype(np.float16).astype(np.float32)
             for _ in range(5)]
    for name, kw in (("sgd", dict(momentum=0.9)), ("nag", dict(momentum=0.9)),
                     ("adam", {}), ("rmsprop", {}), ("adagrad", {}), ("signum", {}),
                     ("ftml", {}), ("lamb", {})):
        results = []
        for dtype, mp in (("float32", False), ("float16", True)):
            opt = mx.optimizer.create(name, learning_rate=0.05, wd=0.01, multi_precision=mp,
                                      **kw)
            w = nd.array(w0, dtype=dtype)
            state = opt.create_state_multi_precision(0, w)
            for g in grads:
                opt.update_multi_precision(0, w, nd.array(g, dtype=dtype), state)
            assert w.dtype == np.dtype(dtype)
            results.append(w.asnumpy().astype(np.float32))
        if name == "lamb":
            continue          # MXNet 1.9.1's mp LAMB never updates its float32 master copy
        assert_almost_equal(results[1], results[0], rtol=2e-3, atol=2e-3)


@with_seed()
def test_updater_and_states_roundtrip():
    opt = mx.optimizer.Adam(learning_rate=0.1)
    upd = mx.optimizer.get_updater(opt)
    w = [nd.ones((2, 2)), nd.ones((3,))]
    upd([0, 1], [nd.ones((2, 2)), nd.ones((3,))], w)
    assert opt.num_update == 1 and sorted(upd.states) == [0, 1]
    blob = upd.get_states(dump_optimizer=False)
    upd2 = mx.optimizer.get_updater(mx.optimizer.Adam(learning_rate=0.1))
    upd2.set_states(blob)
    assert sorted(upd2.states) == [0, 1]
    for k in (0, 1):
        for a, b in zip(upd.states[k], upd2.states[k]):
            assert same(a.asnumpy(), b.asnumpy())
    blob = upd.get_states(dump_optimizer=True)
    upd3 = mx.optimizer.get_updater(mx.optimizer.Adam())
    upd3.set_states(blob)
    assert upd3.optimizer.learning_rate == 0.1
    defaults = mx.optimizer.create("sgd")
    assert (defaults.learning_rate, defaults.wd, defaults.rescale_grad) == (0.01, 0.0, 1.0)
    assert defaults.clip_gradient is None and defaults.multi_precision is False
    opt = mx.optimizer.SGD(learning_rate=0.1, lr_scheduler=mx.lr_scheduler.FactorScheduler(2))
    assertRaises(UserWarning, opt.set_learning_rate, 0.5)


@with_seed()
def test_lr_schedulers_with_warmup():
    s = mx.lr_scheduler.FactorScheduler(step=3, factor=0.5, stop_factor_lr=0.2, base_lr=1.0,
                                        warmup_steps=2, warmup_begin_lr=0.1)
    got = [s(i) for i in range(12)]
    assert_almost_equal(np.array(got[:3]), np.array([0.1, 0.55, 1.0]), rtol=1e-6)
    assert got[2:] == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2]
    s = mx.lr_scheduler.MultiFactorScheduler(step=[2, 5, 8], factor=0.1, base_lr=1.0,
                                             warmup_steps=1, warmup_mode="constant",
                                             warmup_begin_lr=0.3)
    got = [s(i) for i in range(10)]
    assert got[0] == 0.3
    assert_almost_equal(np.array(got[1:]), np.array([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01,
                                                     0.001]), rtol=1e-6)
    s = mx.lr_scheduler.PolyScheduler(max_update=10, base_lr=1.0, pwr=2, final_lr=0.1,
                                      warmup_steps=3)
    ref = [0.1 + 0.9 * (1 - (i - 3) / 7.0) ** 2 for i in range(3, 11)]
    assert_almost_equal(np.array([s(i) for i in range(3, 11)]), np.array(ref), rtol=1e-6)
    assert s(20) == 0.1
    s = mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=1.0, final_lr=0.1,
                                        warmup_steps=2)
    ref = [0.1 + 0.9 * (1 + np.cos(np.pi * (i - 2) / 8)) / 2 for i in range(2, 11)]
    assert_almost_equal(np.array([s(i) for i in range(2, 11)]), np.array(ref), rtol=1e-6)
    assertRaises(Exception, mx.lr_scheduler.FactorScheduler, step=0)


main(globals())
