"""mx.lr_scheduler against MXNet 1.9.1: values over update counts (increasing and out of
order) for ~40 argument combinations, the argument errors, and the fixture trajectories'
effective learning rates. Oracle values: tests/fixtures/optim_extra (tools/optim_diff.py);
compared to 1e-12 relative (the arithmetic is the same double-precision Python)."""
import importlib.util
import json
import os

import numpy as np
import pytest

import mxtorch as mx

HERE = os.path.dirname(__file__)


def _load():
    spec = importlib.util.spec_from_file_location(
        "optim_diff", os.path.join(HERE, "..", "tools", "optim_diff.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with open(os.path.join(HERE, "fixtures", "optim_extra", "optim_diff.json")) as f:
        data = json.load(f)
    with np.load(os.path.join(HERE, "fixtures", "optim_extra", "optim_diff.npz")) as arrays:
        return mod, mod.decode(data, dict(arrays))


DIFF, REF = _load()


def test_scheduler_values_and_errors_match_mxnet():
    got = DIFF.run_schedulers(mx)
    cases = DIFF.scheduler_cases()
    assert len(got) == len(REF["sched"]) == len(cases)
    for case, g, r in zip(cases, got, REF["sched"]):
        assert DIFF._close(g, r, 0, 0), (case, DIFF._explain(r, g, 0, 0, ""))


def test_fixture_effective_learning_rates():
    with open(os.path.join(HERE, "fixtures", "optim", "index.json")) as f:
        cases = [c for c in json.load(f)["cases"] if c["lr_scheduler"]]
    assert cases
    for case in cases:
        spec = case["lr_scheduler"]
        sched = getattr(mx.lr_scheduler, spec["class"])(**spec["kwargs"])
        opt = mx.optimizer.SGD(lr_scheduler=sched,
                               learning_rate=case["kwargs"].get("learning_rate"))
        lrs = []
        for n in case["effective"]["num_update_per_step"]:
            opt.num_update = n
            lrs.append(opt.learning_rate)
        np.testing.assert_allclose(lrs, case["effective"]["lr_per_step"], rtol=1e-12,
                                   err_msg=case["file"])


def test_warmup_and_decay_shapes():
    s = mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=1.0, final_lr=0.0,
                                        warmup_steps=2, warmup_begin_lr=0.5)
    assert [s(0), s(1)] == [0.5, 0.75]
    assert s(2) == 1.0 and s(10) == 0.0 and s(11) == 0.0
    p = mx.lr_scheduler.PolyScheduler(max_update=4, base_lr=1.0, pwr=1)
    assert [p(n) for n in range(6)] == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    m = mx.lr_scheduler.MultiFactorScheduler(step=[2, 4], factor=0.1, base_lr=1.0)
    assert [m(n) for n in (1, 2, 3, 5)] == [1.0, 1.0, 0.1, pytest.approx(0.01)]
    f = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, stop_factor_lr=0.2, base_lr=1.0)
    assert [f(n) for n in (1, 2, 3, 4)] == [1.0, 0.5, 0.25, 0.2]


@pytest.mark.parametrize("cls,kwargs,exc,msg", [
    ("FactorScheduler", dict(step=0), ValueError, "greater or equal than 1"),
    ("FactorScheduler", dict(step=1, factor=2), ValueError, "no more than 1"),
    ("MultiFactorScheduler", dict(step=[3, 3]), ValueError, "increasing"),
    ("MultiFactorScheduler", dict(step=3), AssertionError, "list"),
    ("PolyScheduler", dict(max_update=0), ValueError, "strictly positive"),
    ("CosineScheduler", dict(max_update=1.5), AssertionError, "max_update must be an int"),
    ("LRScheduler", dict(warmup_steps=-2), ValueError, "positive or 0"),
    ("LRScheduler", dict(base_lr=0.1, warmup_begin_lr=0.2), ValueError, "warmup_begin_lr"),
    ("LRScheduler", dict(warmup_mode="step"), ValueError, "linear and constant"),
])
def test_argument_errors(cls, kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        getattr(mx.lr_scheduler, cls)(**kwargs)


def test_base_class_call_is_abstract():
    with pytest.raises(NotImplementedError):
        mx.lr_scheduler.LRScheduler()(1)
