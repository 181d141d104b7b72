"""mx.optimizer against MXNet 1.9.1: every golden trajectory in tests/fixtures/optim (copied
from shared/fixtures/mxnet-1.9.1/optim, made by real MXNet), plus the Optimizer/Updater API
(registry, lr/wd multipliers, update counts, multi-precision states, states files).

Tolerances: float32 rtol 1e-5 atol 1e-6, float16 rtol/atol 1e-3 (from the fixture index).
"""
import json
import os
import pickle
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import _safe_pickle

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "optim")
with open(os.path.join(FIX, "index.json")) as _f:
    INDEX = json.load(_f)


def _scheduler(spec):
    if spec is None:
        return None
    return getattr(mx.lr_scheduler, spec["class"])(**spec["kwargs"])


def _kwargs(case):
    kw = dict(case["kwargs"])
    if "param_idx2name" in kw:
        kw["param_idx2name"] = {int(k): v for k, v in kw["param_idx2name"].items()}
    sched = _scheduler(case["lr_scheduler"])
    if sched is not None:
        kw["lr_scheduler"] = sched
    return kw


def _flat_state(state, prefix="state"):
    if state is None:
        return {}
    if isinstance(state, (tuple, list)):
        out = {}
        for i, s in enumerate(state):
            out.update(_flat_state(s, f"{prefix}/{i}"))
        return out
    return {prefix: state.asnumpy()}


@pytest.mark.parametrize("case", INDEX["cases"], ids=lambda c: c["file"][:-4])
def test_golden_trajectory(case):
    data = np.load(os.path.join(FIX, case["file"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = mx.optimizer.create(case["optimizer"], **_kwargs(case))
    assert type(opt).__name__ == case["class"]
    if "set_lr_mult" in case.get("note", ""):
        opt.set_lr_mult(case["effective"]["lr_mult"])
    upd = mx.optimizer.get_updater(opt)
    weight = mx.nd.array(data["weight0"], dtype=case["weight_dtype"])
    rtol, atol = case["tol"]["float16" if case["weight_dtype"] == "float16" else "float32"]
    eff = case["effective"]
    for k in range(1, case["steps"] + 1):
        grad = mx.nd.array(data["grads"][k - 1], dtype=case["weight_dtype"])
        upd(case["index"], grad, weight)
        assert opt.num_update == eff["num_update_per_step"][k - 1]
        np.testing.assert_allclose(weight.asnumpy(), data[f"step{k}/weight"], rtol=rtol,
                                   atol=atol, err_msg=f"step {k}")
        for key, val in _flat_state(upd.states[case["index"]]).items():
            np.testing.assert_allclose(val, data[f"step{k}/{key}"], rtol=rtol, atol=atol,
                                       err_msg=f"step {k} {key}")
    assert weight.dtype == np.dtype(case["weight_dtype"])


def test_registry_covers_mxnet():
    assert sorted(mx.optimizer.Optimizer.opt_registry) == sorted(INDEX["registry"])
    assert mx.optimizer.create is mx.optimizer.Optimizer.create_optimizer
    assert isinstance(mx.optimizer.create("SGD"), mx.optimizer.SGD)
    with pytest.raises(ValueError, match="Cannot find optimizer nosuch"):
        mx.optimizer.create("nosuch")


def test_register_custom_and_override_warning():
    @mx.optimizer.register
    class MyOpt(mx.optimizer.Optimizer):
        def create_state(self, index, weight):
            return None

        def update(self, index, weight, grad, state):
            weight[:] -= self._get_lr(index) * grad

    try:
        opt = mx.optimizer.create("myopt", learning_rate=0.5)
        w = mx.nd.ones((2,))
        mx.optimizer.get_updater(opt)(0, mx.nd.ones((2,)), w)
        np.testing.assert_allclose(w.asnumpy(), [0.5, 0.5])
        with pytest.warns(UserWarning, match="overriding"):
            mx.optimizer.register(MyOpt)
    finally:
        mx.optimizer.Optimizer.opt_registry.pop("myopt")


def test_learning_rate_defaults_and_scheduler():
    assert mx.optimizer.SGD().learning_rate == 0.01
    assert mx.optimizer.Adam().learning_rate == 0.001
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.2)
    opt = mx.optimizer.SGD(lr_scheduler=sched)
    assert opt.lr is None and opt.learning_rate == 0.2
    with pytest.raises(UserWarning, match="LRScheduler of the optimizer"):
        opt.set_learning_rate(0.3)
    with pytest.warns(UserWarning, match="overwritten"):
        opt2 = mx.optimizer.SGD(learning_rate=0.7,
                                lr_scheduler=mx.lr_scheduler.FactorScheduler(2))
    assert opt2.lr_scheduler.base_lr == 0.7
    opt3 = mx.optimizer.SGD(learning_rate=0.1)
    opt3.set_learning_rate(0.4)
    assert opt3.learning_rate == 0.4
    with pytest.raises(DeprecationWarning):
        opt3.set_lr_scale({})


def test_wd_and_lr_mult_rules():
    names = {0: "fc_weight", 1: "fc_bias", 2: "bn_gamma", 3: "bn_beta", 4: "emb"}
    opt = mx.optimizer.SGD(wd=0.1, learning_rate=1.0, param_idx2name=names)
    assert opt.wd_mult == {"fc_bias": 0.0, "bn_beta": 0.0, "emb": 0.0}
    assert [opt._get_wd(i) for i in range(5)] == [0.1, 0.0, 0.1, 0.0, 0.0]
    opt.set_lr_mult({"fc_weight": 2.0, 4: 3.0})
    assert opt._get_lrs([0, 1, 4]) == [2.0, 1.0, 3.0]
    lars = mx.optimizer.LARS(wd=0.1, param_idx2name=names)
    assert lars.wd_mult["bn_gamma"] == 0.0  # LARS decays only *_weight


def test_symbol_mult_attrs():
    data = mx.sym.Variable("data")
    w = mx.sym.Variable("fc_weight", lr_mult=2.5, wd_mult=0.5)
    net = mx.sym.FullyConnected(data, weight=w, num_hidden=3, name="fc")
    opt = mx.optimizer.SGD(sym=net, wd=1.0,
                           param_idx2name={0: "fc_weight", 1: "fc_bias"})
    assert opt.lr_mult == {"fc_weight": 2.5}
    assert opt.wd_mult == {"fc_bias": 0.0, "fc_weight": 0.5}


class _FakeParam:
    lr_mult = 4.0
    wd_mult = 0.25


def test_param_dict_takes_precedence():
    opt = mx.optimizer.SGD(learning_rate=0.5, wd=0.2, param_dict={0: _FakeParam()})
    opt.set_lr_mult({0: 100.0})
    assert opt._get_lr(0) == 2.0 and opt._get_wd(0) == 0.05
    state = pickle.loads(pickle.dumps(opt))
    assert state.param_dict == {}


def test_update_counts_and_begin_num_update():
    opt = mx.optimizer.SGD(begin_num_update=5)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.ones((2,))
    upd(0, mx.nd.ones((2,)), w)
    upd(1, mx.nd.ones((2,)), w)
    upd(0, mx.nd.ones((2,)), w)
    assert opt._index_update_count == {0: 7, 1: 6} and opt.num_update == 7
    upd([0, 1], [mx.nd.ones((2,))] * 2, [mx.nd.ones((2,)), mx.nd.ones((2,))])
    assert opt._index_update_count == {0: 8, 1: 7}


def test_multi_precision_state_layouts():
    w16 = mx.nd.ones((2, 2), dtype="float16")
    sgd = mx.optimizer.SGD(momentum=0.9, multi_precision=True)
    mom, master = sgd.create_state_multi_precision(0, w16)
    assert mom.dtype == np.float32 and master.dtype == np.float32
    adam = mx.optimizer.Adam(multi_precision=True)
    master, (mean, var) = adam.create_state_multi_precision(0, w16)
    assert master.dtype == mean.dtype == np.float32
    with pytest.warns(UserWarning, match="multi_precision=True"):
        mx.optimizer.SGD(momentum=0.9).create_state_multi_precision(0, w16)


def test_state_stype_follows_weight():
    w = mx.nd.zeros((4, 2), stype="row_sparse")
    assert mx.optimizer.SGD(momentum=0.9).create_state(0, w).stype == "row_sparse"
    assert mx.optimizer.SGD(momentum=0.9, lazy_update=False).create_state(0, w).stype == \
        "default"
    assert all(s.stype == "row_sparse" for s in mx.optimizer.Adam().create_state(0, w))
    assert mx.optimizer.AdaGrad().create_state(0, w).stype == "row_sparse"


def test_sparse_lazy_sgd_updates_only_present_rows():
    weight = mx.nd.ones((4, 2)).tostype("row_sparse")
    grad = mx.nd.sparse.row_sparse_array((np.ones((1, 2), "float32"), [2]), shape=(4, 2))
    opt = mx.optimizer.SGD(learning_rate=0.5, momentum=0.9, wd=0.1)
    upd = mx.optimizer.get_updater(opt)
    upd(0, grad, weight)
    # lazy update: rows without gradient keep their value (no weight decay on them)
    np.testing.assert_allclose(weight.asnumpy(), [[1, 1], [1, 1], [0.45, 0.45], [1, 1]],
                               rtol=1e-6)


def test_updater_states_roundtrip_and_mxnet_names():
    opt = mx.optimizer.Adam(learning_rate=0.01,
                            lr_scheduler=mx.lr_scheduler.FactorScheduler(2, 0.5))
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.ones((2, 3))
    upd(0, mx.nd.ones((2, 3)) * 0.5, w)
    blob = upd.get_states(dump_optimizer=True)
    assert b"mxnet.ndarray.ndarray" in blob and b"mxnet.optimizer.optimizer" in blob
    assert b"mxtorch" not in blob
    upd2 = mx.optimizer.get_updater(mx.optimizer.SGD())
    upd2.set_states(blob)
    assert isinstance(upd2.optimizer, mx.optimizer.Adam)
    assert isinstance(upd2.optimizer.lr_scheduler, mx.lr_scheduler.FactorScheduler)
    assert upd2.states_synced == {0: False}
    for a, b in zip(upd.states[0], upd2.states[0]):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    w2 = w.copy()
    upd(0, mx.nd.ones((2, 3)), w)
    upd2(0, mx.nd.ones((2, 3)), w2)
    np.testing.assert_array_equal(w.asnumpy(), w2.asnumpy())
    only_states = upd.get_states()
    upd3 = mx.optimizer.get_updater(mx.optimizer.Adam())
    upd3.set_states(only_states)
    assert set(upd3.states) == {0}


def test_mxnet_states_file_loads():
    with open(os.path.join(FIX, "adam_default.states"), "rb") as f:
        blob = f.read()
    upd = mx.optimizer.get_updater(mx.optimizer.Adam())
    upd.set_states(blob)
    mean, var = upd.states[0]
    data = np.load(os.path.join(FIX, "adam_default.npz"))
    np.testing.assert_array_equal(mean.asnumpy(), data["step10/state/0"])
    np.testing.assert_array_equal(var.asnumpy(), data["step10/state/1"])


def test_unsafe_pickle_refused():
    evil = b"cos\ngetcwd\n(tR."  # calls os.getcwd() when unpickled
    upd = mx.optimizer.get_updater(mx.optimizer.SGD())
    with pytest.raises(_safe_pickle.UnsafePickleError, match="'os.getcwd'"):
        upd.set_states(evil)
    with pytest.raises(pickle.UnpicklingError, match="allow_unsafe=True"):
        _safe_pickle.loads(evil)
    assert _safe_pickle.loads(evil, allow_unsafe=True) == os.getcwd()


def test_unsafe_pickle_env_opt_in(monkeypatch):
    blob = pickle.dumps(os.getcwd)
    monkeypatch.setenv(_safe_pickle.ENV_ALLOW_UNSAFE, "1")
    assert _safe_pickle.loads(blob) is os.getcwd


def test_sync_state_context():
    upd = mx.optimizer.get_updater(mx.optimizer.SGD())
    state = (mx.nd.ones((1,)), [mx.nd.ones((1,)), None])
    out = upd.sync_state_context(state, mx.cpu(0))
    assert isinstance(out, tuple) and isinstance(out[1], list) and out[1][1] is None


def test_errors_name_the_optimizer():
    opt = mx.optimizer.Adam()
    with pytest.raises(TypeError, match="Adam.update: grad must be an NDArray") as err:
        opt.update(0, mx.nd.ones((2,)), np.ones(2), opt.create_state(0, mx.nd.ones((2,))))
    assert isinstance(err.value, AssertionError)  # what MXNet raises
    with pytest.raises(AssertionError, match="param_idx2name"):
        mx.optimizer.SGD(param_idx2name=[1])


def test_dcasgd_with_momentum_runs():
    # MXNet 1.9.1 raises here ("truth value of an NDArray"); see COMPAT.md
    opt = mx.optimizer.DCASGD(learning_rate=0.1, momentum=0.9, lamda=0.04)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.ones((2,))
    upd(0, mx.nd.ones((2,)), w)
    upd(0, mx.nd.ones((2,)), w)
    # step1: mom=-0.1 -> w=0.9 ; step2: mom=0.9*-0.1 - 0.1*(1 + 0.04*1*(0.9-1)) = -0.1896
    np.testing.assert_allclose(w.asnumpy(), [0.9 - 0.1896] * 2, rtol=1e-6)


def test_sgld_moves_weight_with_noise():
    mx.random.seed(0)
    opt = mx.optimizer.SGLD(learning_rate=0.01)
    w = mx.nd.zeros((2000,))
    mx.optimizer.get_updater(opt)(0, mx.nd.zeros((2000,)), w)
    assert abs(float(w.asnumpy().std()) - 0.1) < 0.01  # noise std sqrt(lr)


def test_test_optimizer():
    opt = mx.optimizer.create("test", rescale_grad=2.0)
    upd = mx.optimizer.get_updater(opt)
    w = mx.nd.ones((2,))
    upd(0, mx.nd.ones((2,)), w)
    np.testing.assert_allclose(w.asnumpy(), [3, 3])
    np.testing.assert_allclose(upd.states[0].asnumpy(), [3, 3])


def test_aggregated_sgd_matches_single():
    rng = np.random.RandomState(0)
    ws = [rng.randn(3, 2).astype("float32") for _ in range(6)]
    gs = [rng.randn(3, 2).astype("float32") for _ in range(6)]
    out = []
    for agg in (True, False):
        opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9, wd=0.01)
        opt.aggregate_num = 4 if agg else 0
        upd = mx.optimizer.get_updater(opt)
        w = [mx.nd.array(x) for x in ws]
        for _ in range(3):
            upd(list(range(6)), [mx.nd.array(g) for g in gs], w)
        out.append([x.asnumpy() for x in w])
    for a, b in zip(*out):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_lamb_and_lars_aggregated_paths():
    rng = np.random.RandomState(1)
    ws = [rng.randn(4).astype("float32") for _ in range(3)]
    gs = [rng.randn(4).astype("float32") for _ in range(3)]
    for name in ("lamb", "lars"):
        res = []
        for agg in (True, False):
            opt = mx.optimizer.create(name, learning_rate=0.1, momentum=0.9) \
                if name == "lars" else mx.optimizer.create(name, learning_rate=0.1)
            opt.aggregate_num = 2 if agg else 0
            upd = mx.optimizer.get_updater(opt)
            w = [mx.nd.array(x) for x in ws]
            for _ in range(2):
                upd(list(range(3)), [mx.nd.array(g) for g in gs], w)
            res.append([x.asnumpy() for x in w])
        for a, b in zip(*res):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=name)


# ---- differential cases recorded from MXNet 1.9.1 by tools/optim_diff.py -------------------
def _optim_diff():
    import importlib.util
    path = os.path.join(os.path.dirname(__file__), "..", "tools", "optim_diff.py")
    spec = importlib.util.spec_from_file_location("optim_diff", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    extra = os.path.join(os.path.dirname(__file__), "fixtures", "optim_extra")
    with open(os.path.join(extra, "optim_diff.json")) as f:
        data = json.load(f)
    with np.load(os.path.join(extra, "optim_diff.npz")) as arrays:
        ref = mod.decode(data, dict(arrays))
    return mod, ref


OPTIM_DIFF, OPTIM_REF = _optim_diff()


def test_oracle_optimizer_cases():
    """51 optimizer configurations x 3 parameters x 6 steps (per-index and list updates,
    lr/wd multipliers, multi-precision) against MXNet's weights and states."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = OPTIM_DIFF.run_optimizers(mx)
    cases = OPTIM_DIFF.optimizer_cases()
    assert len(got) == len(OPTIM_REF["opt"]) == len(cases)
    for case, g, r in zip(cases, got, OPTIM_REF["opt"]):
        tol = (1e-3, 1e-3) if case[2] == "float16" else (1e-5, 1e-6)
        if case[0] in BIT_EXACT:
            tol = (0, 0)
        assert OPTIM_DIFF._close(g, r, *tol), (case, OPTIM_DIFF._explain(r, g, *tol, ""))


# optimizers whose kernels round exactly as MXNet's (the others agree to float tolerance)
BIT_EXACT = {"sgd", "ccsgd", "adam", "adamax", "adadelta", "nadam", "dcasgd", "test"}


def test_oracle_sparse_gradient_cases():
    """Row-sparse gradients on dense and row_sparse weights (lazy and standard updates)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = OPTIM_DIFF.run_sparse(mx)
    for i, (g, r) in enumerate(zip(got, OPTIM_REF["sparse"])):
        assert OPTIM_DIFF._close(g, r, 1e-5, 1e-6), (i, OPTIM_DIFF._explain(r, g, 1e-5, 1e-6,
                                                                             ""))


def test_sparse_states_pickle_as_mxnet():
    rsp = mx.nd.sparse.row_sparse_array((mx.nd.ones((1, 2)), mx.nd.array([1])), shape=(3, 2))
    blob = _safe_pickle.dumps({0: (rsp, mx.nd.ones((2,)))})
    assert b"mxnet.ndarray.sparse" in blob and b"RowSparseNDArray" in blob
    back = _safe_pickle.loads(blob)[0][0]
    assert back.stype == "row_sparse" and back.indices.asnumpy().tolist() == [1]
    # written by MXNet 1.9.1: pickle.dumps(row_sparse_array(([[1., 1.]], [1]), shape=(3, 2)))
    with open(os.path.join(FIX, "..", "optim_extra", "row_sparse_ndarray.pickle"), "rb") as f:
        arr = _safe_pickle.load(f)
    assert arr.stype == "row_sparse"
    np.testing.assert_array_equal(arr.asnumpy(), [[0, 0], [1, 1], [0, 0]])


class _MyScheduler(mx.lr_scheduler.LRScheduler):
    def __call__(self, num_update):
        return self.base_lr / (1 + num_update)


def test_custom_scheduler_of_imported_module_loads():
    opt = mx.optimizer.SGD(lr_scheduler=_MyScheduler(base_lr=0.5))
    upd = mx.optimizer.get_updater(opt)
    upd(0, mx.nd.ones((2,)), mx.nd.ones((2,)))
    blob = upd.get_states(dump_optimizer=True)
    upd2 = mx.optimizer.get_updater(mx.optimizer.SGD())
    upd2.set_states(blob)
    assert isinstance(upd2.optimizer.lr_scheduler, _MyScheduler)
    assert upd2.optimizer.learning_rate == 0.25


def test_updater_accepts_np_arrays():
    opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9)
    opt.allow_np_array = True
    upd = mx.optimizer.get_updater(opt)
    w = mx.np.ones((2, 3))
    upd(0, mx.np.ones((2, 3)), w)
    np.testing.assert_allclose(w.asnumpy(), np.full((2, 3), 0.9), rtol=1e-6)
    opt.allow_np_array = False
    with pytest.raises(ValueError, match="np.ndarray"):
        upd(0, mx.np.ones((2, 3)), w)


def test_written_states_are_mxnets_bytes():
    """get_states writes the same bytes MXNet 1.9.1 writes (states and a dumped Adam with a
    FactorScheduler; fixture from tools/optim_diff.py), and re-writes MXNet's own file."""
    with open(os.path.join(FIX, "..", "optim_extra", "adam_sched_dump.states"), "rb") as f:
        assert OPTIM_DIFF.states_bytes(mx) == f.read()
    with open(os.path.join(FIX, "adam_default.states"), "rb") as f:
        blob = f.read()
    upd = mx.optimizer.get_updater(mx.optimizer.Adam())
    upd.set_states(blob)
    assert upd.get_states() == blob
