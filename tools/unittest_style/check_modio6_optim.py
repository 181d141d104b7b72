"""Optimizer checks in the style of MXNet 1.9.1's test_optimizer.py (round 6): every optimizer
against a NumPy reference over float32 and float16 (multi_precision) with wd, clip_gradient,
rescale_grad and learning-rate schedulers (warmup modes), row_sparse gradients with and without
lazy_update, and Updater get_states/set_states round trips.

Run through ``tools/unittest_style/run.py --only modio6`` (real MXNet and mxtorch).
"""
import math

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

STEPS = 5


def _lr_ref(kind, t, base):
    """The learning rate a scheduler gives at update ``t`` (1-based), written out."""
    if kind is None:
        return base
    if kind == "factor":                    # step 2, factor 0.5
        return base * 0.5 ** ((t - 1) // 2)
    if kind == "multifactor":               # steps [2, 4], factor 0.3
        return base * 0.3 ** sum(t > s for s in (2, 4))
    warm, max_update, final = 2, 6, 0.001
    if t < warm:
        if kind == "poly":                  # linear warmup from 0.0
            return 0.0 + (base - 0.0) * t / warm
        return 0.01                         # cosine: constant warmup at 0.01
    frac = (t - warm) / float(max_update - warm)
    if kind == "poly":
        return final + (base - final) * (1 - frac) ** 2
    return final + (base - final) * (1 + math.cos(math.pi * frac)) / 2


def _scheduler(kind, base):
    if kind is None:
        return None
    if kind == "factor":
        return mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=base)
    if kind == "multifactor":
        return mx.lr_scheduler.MultiFactorScheduler(step=[2, 4], factor=0.3, base_lr=base)
    if kind == "poly":
        return mx.lr_scheduler.PolyScheduler(max_update=6, base_lr=base, pwr=2, final_lr=0.001,
                                             warmup_steps=2, warmup_begin_lr=0.0,
                                             warmup_mode="linear")
    return mx.lr_scheduler.CosineScheduler(max_update=6, base_lr=base, final_lr=0.001,
                                           warmup_steps=2, warmup_begin_lr=0.01,
                                           warmup_mode="constant")


def _clip(g, c):
    return np.clip(g, -c, c) if c is not None and c > 0 else g


class _Ref(object):
    """NumPy reference updates (float64 math, one weight)."""

    def __init__(self, name, kw):
        self.name, self.kw, self.st = name, kw, {}

    def prep(self, g, w, wd_first):
        kw = self.kw
        g = g * kw.get("rescale_grad", 1.0)
        if wd_first:
            g = g + kw.get("wd", 0.0) * w
        return _clip(g, kw.get("clip_gradient"))

    def step(self, t, w, g, lr):
        fn = getattr(self, "_" + self.name)
        return fn(t, w, g, lr, self.kw.get("wd", 0.0), self.st)

    def _sgd(self, t, w, g, lr, wd, st):
        g = self.prep(g, w, False)
        mom = self.kw.get("momentum", 0.0)
        if mom:
            st["m"] = mom * st.get("m", 0) - lr * wd * w - lr * g
            return w + st["m"]
        return (1 - lr * wd) * w - lr * g

    def _nag(self, t, w, g, lr, wd, st):
        # MXNet's kernel writes the weight first (out=weight), so the weight decay inside the
        # momentum reads the updated weight
        g = self.prep(g, w, False)
        mom = self.kw.get("momentum", 0.0)
        m = st.get("m", 0)
        new_w = w + mom * (mom * m - lr * (g + wd * w)) - lr * (g + wd * w)
        st["m"] = mom * m - lr * (g + wd * new_w)
        return new_w

    def _adam(self, t, w, g, lr, wd, st):
        b1, b2, eps = self.kw.get("beta1", 0.9), self.kw.get("beta2", 0.999), 1e-8
        g = self.prep(g, w, True)
        lr = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
        return w - lr * st["m"] / (np.sqrt(st["v"]) + eps)

    def _rmsprop(self, t, w, g, lr, wd, st):
        g1, g2, eps = self.kw.get("gamma1", 0.9), self.kw.get("gamma2", 0.9), 1e-8
        g = self.prep(g, w, True)
        st["n"] = (1 - g1) * g * g + g1 * st.get("n", 0)
        if self.kw.get("centered"):
            st["gb"] = (1 - g1) * g + g1 * st.get("gb", 0)
            st["d"] = g2 * st.get("d", 0) - lr * g / np.sqrt(st["n"] - st["gb"] ** 2 + eps)
            w = w + st["d"]
        else:
            w = w - lr * g / (np.sqrt(st["n"]) + eps)
        cw = self.kw.get("clip_weights")
        return np.clip(w, -cw, cw) if cw else w

    def _adagrad(self, t, w, g, lr, wd, st):
        eps = self.kw.get("eps", 1e-7)
        g = self.prep(g, w, False)
        st["h"] = st.get("h", 0) + g * g
        return w - lr * (g / np.sqrt(st["h"] + eps) + wd * w)

    def _adadelta(self, t, w, g, lr, wd, st):
        rho, eps = self.kw.get("rho", 0.9), self.kw.get("epsilon", 1e-5)
        g = self.prep(g, w, False)
        st["ag"] = rho * st.get("ag", 0) + (1 - rho) * g * g
        d = np.sqrt(st.get("ad", 0) + eps) / np.sqrt(st["ag"] + eps) * g
        st["ad"] = rho * st.get("ad", 0) + (1 - rho) * d * d
        return w - d - wd * w

    def _adamax(self, t, w, g, lr, wd, st):
        b1, b2 = self.kw.get("beta1", 0.9), self.kw.get("beta2", 0.999)
        lr = lr / (1 - b1 ** t)
        g = self.prep(g, w, True)
        st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
        st["u"] = np.maximum(b2 * st.get("u", 0), np.abs(g))
        return w - lr * st["m"] / st["u"]

    def _nadam(self, t, w, g, lr, wd, st):
        b1, b2, eps = 0.9, 0.999, 1e-8
        sd = self.kw.get("schedule_decay", 0.004)
        g = self.prep(g, w, True)
        mt = b1 * (1 - 0.5 * 0.96 ** (t * sd))
        mt1 = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * sd))
        st["ms"] = st.get("ms", 1.0) * mt
        ms_next = st["ms"] * mt1
        st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
        m_bar = (1 - mt) * g / (1 - st["ms"]) + mt1 * st["m"] / (1 - ms_next)
        return w - lr * m_bar / (np.sqrt(st["v"] / (1 - b2 ** t)) + eps)

    def _ftrl(self, t, w, g, lr, wd, st):
        l1, beta = self.kw.get("lamda1", 0.01), self.kw.get("beta", 1.0)
        g = self.prep(g, w, False)
        n = st.get("n", 0)
        st["z"] = st.get("z", 0) + g - (np.sqrt(n + g * g) - np.sqrt(n)) * w / lr
        st["n"] = n + g * g
        z = st["z"]
        return (np.sign(z) * l1 - z) / ((beta + np.sqrt(st["n"])) / lr + wd) * (np.abs(z) > l1)

    def _signum(self, t, w, g, lr, wd, st):
        mom, wd_lh = self.kw.get("momentum", 0.9), self.kw.get("wd_lh", 0.0)
        g = self.prep(g, w, False)
        if mom:
            st["m"] = mom * st.get("m", 0) - (1 - mom) * (wd * w + g)
            return (1 - lr * wd_lh) * w + lr * np.sign(st["m"])
        return (1 - lr * wd) * w - lr * np.sign(g)

    def _ftml(self, t, w, g, lr, wd, st):
        b1, b2, eps = self.kw.get("beta1", 0.6), self.kw.get("beta2", 0.999), 1e-8
        g = self.prep(g, w, True)
        st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
        d = (1 - b1 ** t) / lr * (np.sqrt(st["v"] / (1 - b2 ** t)) + eps)
        sigma = d - b1 * st.get("d", 0)
        st["z"] = b1 * st.get("z", 0) + (1 - b1) * g - sigma * w
        st["d"] = d
        return -st["z"] / d


OPTS = [
    ("sgd", {"momentum": 0.9}), ("sgd", {}), ("nag", {"momentum": 0.8}),
    ("adam", {"beta1": 0.8}), ("rmsprop", {"gamma1": 0.8}),
    ("rmsprop", {"centered": True, "gamma2": 0.7, "clip_weights": 0.6}),
    ("adagrad", {"eps": 1e-3}), ("adadelta", {"rho": 0.8}), ("adamax", {"beta1": 0.7}),
    ("nadam", {"schedule_decay": 0.01}), ("ftrl", {"lamda1": 0.02, "beta": 0.5}),
    ("signum", {"momentum": 0.8, "wd_lh": 0.05}), ("signum", {"momentum": 0.0}),
    ("ftml", {"beta1": 0.7}),
]
FP16_OK = ("sgd", "nag", "adam", "rmsprop", "adagrad", "signum", "ftml", "ftrl", "adamax",
           "nadam", "adadelta")


def _leaves(state):
    if state is None:
        return []
    if isinstance(state, (tuple, list)):
        return [x for s in state for x in _leaves(s)]
    return [state]


def _run(name, extra, option, sched, dtype, multi_precision, seed=0):
    rng = np.random.RandomState(seed)
    w0 = rng.uniform(-1, 1, (3, 4))
    grads = [rng.uniform(-1, 1, (3, 4)) for _ in range(STEPS)]
    if dtype == "float16":
        w0 = w0.astype(np.float16).astype(np.float64)
        grads = [g.astype(np.float16).astype(np.float64) for g in grads]
    base = 0.1
    kw = dict(extra, learning_rate=base, **option)
    ref = _Ref(name, kw)
    mkw = dict(kw)
    mkw["lr_scheduler"] = _scheduler(sched, base)
    if multi_precision:
        mkw["multi_precision"] = True
    opt = mx.optimizer.create(name, **mkw)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.array(w0, dtype=dtype)
    wr = w0.copy()
    for t, g in enumerate(grads, 1):
        upd(0, mx.nd.array(g, dtype=dtype), w)
        wr = ref.step(t, wr, g, _lr_ref(sched, t, base))
    assert w.dtype == np.dtype(dtype), (name, w.dtype)
    tol = (2e-3, 2e-3) if dtype == "float16" else (1e-4, 1e-5)
    assert_almost_equal(w.asnumpy().astype(np.float64), wr, rtol=tol[0], atol=tol[1],
                        names=("mx_%s" % name, "numpy"))
    return opt, upd


@with_seed()
def test_every_optimizer_float32_options():
    options = [{}, {"wd": 0.05}, {"clip_gradient": 0.4}, {"rescale_grad": 0.7},
               {"wd": 0.02, "clip_gradient": 0.3, "rescale_grad": 1.5}]
    for name, extra in OPTS:
        for option in options:
            _run(name, extra, option, None, "float32", False)


@with_seed()
def test_every_optimizer_with_schedulers():
    for name, extra in OPTS:
        if name in ("adadelta",):
            continue  # AdaDelta has no learning rate
        for sched in ("factor", "multifactor", "poly", "cosine"):
            _run(name, extra, {"wd": 0.01}, sched, "float32", False)


@with_seed()
def test_float16_multi_precision():
    for name, extra in OPTS:
        if name not in FP16_OK:
            continue
        for option in ({}, {"wd": 0.03, "clip_gradient": 0.5, "rescale_grad": 0.9}):
            opt, upd = _run(name, extra, option, "factor", "float16", True)
            # multi_precision keeps a float32 master copy next to the optimizer's states
            leaves = _leaves(upd.states[0])
            assert any(x.dtype == np.float32 and x.shape == (3, 4) for x in leaves), name


@with_seed()
def test_float16_without_multi_precision_states_fp16():
    for name in ("sgd", "adam", "nag"):
        extra = {"momentum": 0.9} if name != "adam" else {}
        opt = mx.optimizer.create(name, learning_rate=0.1, **extra)
        w = mx.nd.ones((2, 3), dtype="float16")
        st = opt.create_state_multi_precision(0, w)
        assert all(s.dtype == np.float16 for s in _leaves(st)), name
        opt.update_multi_precision(0, w, mx.nd.full((2, 3), 0.5, dtype="float16"), st)
        assert w.dtype == np.float16 and (w.asnumpy() < 1).all()
        opt32 = mx.optimizer.create(name, learning_rate=0.1, multi_precision=True, **extra)
        st32 = opt32.create_state_multi_precision(0, mx.nd.ones((2, 3), dtype="float16"))
        assert isinstance(st32, tuple) and all(s.dtype == np.float32 for s in _leaves(st32))
        # on float32 weights multi_precision adds no master copy
        st3 = opt32.create_state_multi_precision(0, mx.nd.ones((2, 3)))
        assert len(_leaves(st3)) == len(_leaves(st)), name


def _rsp(rows, shape, val, rng):
    data = rng.uniform(-1, 1, (len(rows),) + shape[1:]).astype(np.float32) * val
    return mx.nd.sparse.row_sparse_array((data, np.array(rows, dtype=np.int64)), shape=shape)


@with_seed()
def test_row_sparse_lazy_and_std_updates():
    shape = (6, 3)
    rows_seq = [[0, 3], [1, 3, 5], [2]]
    for name, extra in [("sgd", {"momentum": 0.9}), ("sgd", {}), ("adam", {}),
                        ("adagrad", {}), ("ftrl", {}), ("nag", {"momentum": 0.5}),
                        ("adamax", {}), ("signum", {"momentum": 0.5})]:
        for lazy in (True, False):
            if not lazy and name not in ("sgd", "adam"):
                continue
            rng = np.random.RandomState(7)
            w0 = rng.uniform(-1, 1, shape)
            kw = dict(extra, learning_rate=0.1, wd=0.0 if name == "adagrad" else 0.05,
                      rescale_grad=0.8)
            lz = {"lazy_update": lazy} if name in ("sgd", "adam") else {}
            opt = mx.optimizer.create(name, **dict(kw, **lz))
            upd = mx.optimizer.get_updater(opt)
            w = mx.nd.array(w0)
            ref = _Ref(name, kw)
            # dense weights: only sgd, adam and adagrad have row-wise (lazy) sparse kernels
            lazy_rows = lazy and name in ("sgd", "adam", "adagrad")
            wr = w0.copy()
            for t, rows in enumerate(rows_seq, 1):
                g = _rsp(rows, shape, 1.0, rng)
                upd(0, g, w)
                gd = g.asnumpy().astype(np.float64)
                if lazy_rows:
                    sub = _Ref(name, kw)
                    sub.st = {k: (v[rows] if isinstance(v, np.ndarray) else
                                  np.full((len(rows), 3), v, dtype=np.float64))
                              for k, v in ref.st.items()}
                    new_rows = sub.step(t, wr[rows], gd[rows], 0.1)
                    for k, v in sub.st.items():
                        full = ref.st.get(k, 0)
                        full = np.array(full, dtype=np.float64) * np.ones(shape)
                        full[rows] = v
                        ref.st[k] = full
                    wr[rows] = new_rows
                else:
                    wr = ref.step(t, wr, gd, 0.1)
            assert_almost_equal(w.asnumpy(), wr, rtol=1e-4, atol=1e-5,
                                names=("mx_%s_lazy%s" % (name, lazy), "numpy"))


@with_seed()
def test_row_sparse_weight_and_grad_storage():
    opt = mx.optimizer.create("sgd", learning_rate=0.5, momentum=0.0, wd=0.0)
    w = mx.nd.array(np.ones((4, 2))).tostype("row_sparse")
    g = mx.nd.sparse.row_sparse_array((np.ones((1, 2), np.float32), [2]), shape=(4, 2))
    st = opt.create_state(0, w)
    opt.update(0, w, g, st)
    assert w.stype == "row_sparse"
    assert same(w.asnumpy(), np.array([[1, 1], [1, 1], [0.5, 0.5], [1, 1]], np.float32))
    adam = mx.optimizer.create("adam", learning_rate=0.1)
    st = adam.create_state(0, mx.nd.zeros((4, 2)).tostype("row_sparse"))
    assert all(s.stype == "row_sparse" for s in st)
    st = adam.create_state(0, mx.nd.zeros((4, 2)))
    assert all(s.stype == "default" for s in st)


@with_seed()
def test_updater_states_roundtrip_continues_exactly():
    rng = np.random.RandomState(3)
    w0 = [rng.uniform(-1, 1, (3, 2)) for _ in range(2)]
    grads = [[rng.uniform(-1, 1, (3, 2)) for _ in range(2)] for _ in range(6)]
    for name, extra in [("adam", {"wd": 0.01}), ("sgd", {"momentum": 0.9}),
                        ("rmsprop", {"centered": True}), ("ftml", {}), ("nadam", {}),
                        ("adam", {"multi_precision": True})]:
        dtype = "float16" if extra.get("multi_precision") else "float32"

        def make():
            return mx.optimizer.get_updater(mx.optimizer.create(name, learning_rate=0.05,
                                                                **extra))
        full = make()
        wf = [mx.nd.array(w, dtype=dtype) for w in w0]
        for step in grads:
            for i in range(2):
                full(i, mx.nd.array(step[i], dtype=dtype), wf[i])
        part = make()
        wp = [mx.nd.array(w, dtype=dtype) for w in w0]
        for step in grads[:3]:
            for i in range(2):
                part(i, mx.nd.array(step[i], dtype=dtype), wp[i])
        blob = part.get_states(dump_optimizer=True)
        resumed = make()
        resumed.set_states(blob)
        assert resumed.optimizer.num_update == part.optimizer.num_update == 3
        assert type(resumed.optimizer) is type(part.optimizer)
        for step in grads[3:]:
            for i in range(2):
                resumed(i, mx.nd.array(step[i], dtype=dtype), wp[i])
        for a, b in zip(wf, wp):
            assert_almost_equal(a.asnumpy(), b.asnumpy(), rtol=1e-5, atol=1e-6)
        # without the optimizer the counts restart (bias corrections differ for adam)
        blob2 = part.get_states(dump_optimizer=False)
        fresh = make()
        fresh.set_states(blob2)
        assert fresh.optimizer.num_update == 0
        assert sorted(fresh.states) == [0, 1]


@with_seed()
def test_lr_wd_mult_by_name_and_attrs():
    data = mx.sym.Variable("data")
    w = mx.sym.Variable("fc_weight", lr_mult=0.5, wd_mult=3.0)
    fc = mx.sym.FullyConnected(data, weight=w, num_hidden=2, name="fc")
    bn = mx.sym.BatchNorm(fc, name="bn")
    idx2name = {0: "fc_weight", 1: "fc_bias", 2: "bn_gamma", 3: "bn_beta"}
    opt = mx.optimizer.SGD(learning_rate=0.1, wd=0.01, sym=bn, param_idx2name=idx2name)
    assert opt.lr_mult == {"fc_weight": 0.5}
    assert opt.wd_mult == {"fc_weight": 3.0, "fc_bias": 0.0, "bn_beta": 0.0}
    assert [opt._get_lr(i) for i in range(4)] == [0.05, 0.1, 0.1, 0.1]
    assert [opt._get_wd(i) for i in range(4)] == [0.03, 0.0, 0.01, 0.0]
    opt.set_lr_mult({"bn_gamma": 2.0})
    assert opt._get_lr(2) == 0.2 and opt._get_lr(0) == 0.05
    opt.set_wd_mult({"fc_bias": 1.0})
    assert abs(opt._get_wd(1) - 0.01) < 1e-12 and abs(opt._get_wd(0) - 0.03) < 1e-12
    assert opt._get_wd(3) == 0.0
    opt2 = mx.optimizer.SGD(learning_rate=0.1, wd=0.01, param_idx2name=idx2name)
    assert opt2.wd_mult == {"fc_bias": 0.0, "bn_beta": 0.0}
    opt2.set_learning_rate(0.3)
    assert opt2.learning_rate == 0.3
    sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    opt3 = mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=sched)
    assert sched.base_lr == 0.2
    assertRaises(UserWarning, opt3.set_learning_rate, 0.5)


@with_seed()
def test_scheduler_values_and_warmup_modes():
    for kind in ("factor", "multifactor", "poly", "cosine"):
        s = _scheduler(kind, 0.1)
        got = [s(t) for t in range(1, 9)]
        want = [_lr_ref(kind, t, 0.1) if t <= 6 or kind in ("factor", "multifactor")
                else 0.001 for t in range(1, 9)]
        assert_almost_equal(np.array(got), np.array(want), rtol=1e-10, atol=1e-12)
    f = mx.lr_scheduler.FactorScheduler(step=1, factor=0.1, stop_factor_lr=2e-3, base_lr=1.0,
                                        warmup_steps=2, warmup_begin_lr=0.5,
                                        warmup_mode="linear")
    vals = [f(t) for t in range(0, 7)]
    assert_almost_equal(np.array(vals[:2]), np.array([0.5, 0.75]))
    assert vals[-1] == 2e-3
    assertRaises(ValueError, mx.lr_scheduler.PolyScheduler, max_update=5, base_lr=0.1,
                 warmup_steps=1, warmup_mode="bogus")
    assertRaises(ValueError, mx.lr_scheduler.FactorScheduler, step=0)
    assertRaises(ValueError, mx.lr_scheduler.MultiFactorScheduler, step=[3, 2])
    assertRaises(ValueError, mx.lr_scheduler.CosineScheduler, max_update=0)


@with_seed()
def test_optimizer_registry_and_create():
    for name in ("sgd", "SGD", "adam", "Adam", "nag", "sgld", "dcasgd", "signum", "ftml",
                 "lbsgd", "lars", "lamb", "adagrad", "rmsprop", "adadelta", "ftrl", "adamax",
                 "nadam", "test"):
        opt = mx.optimizer.create(name, learning_rate=0.01)
        assert isinstance(opt, mx.optimizer.Optimizer)
    assertRaises(ValueError, mx.optimizer.create, "no_such_optimizer")

    @mx.optimizer.register
    class MyPlainSGD(mx.optimizer.Optimizer):
        def create_state(self, index, weight):
            return None

        def update(self, index, weight, grad, state):
            self._update_count(index)
            weight[:] -= self._get_lr(index) * grad
    opt = mx.optimizer.create("myplainsgd", learning_rate=0.5)
    w = mx.nd.ones((2,))
    upd = mx.optimizer.get_updater(opt)
    upd(0, mx.nd.ones((2,)), w)
    assert same(w.asnumpy(), np.full((2,), 0.5, np.float32))
    assert opt.num_update == 1


main(globals())
