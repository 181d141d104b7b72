"""Replay MXNet 1.9.1's answers to the ``tools/np_diff.py`` case table (dtype, shape, values,
error/no error) through mxtorch. Fixture: ``tests/fixtures/numpy/np_diff.json``. Tolerance:
rtol 1e-5 / atol 1e-5 (float16: 1e-3). Cases listed in DEVIATIONS must still differ; each is
explained in compat/numpy.md."""
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import np_diff  # noqa: E402

with open(os.path.join(HERE, "fixtures", "numpy", "np_diff.json")) as f:
    FIXTURE = json.load(f)

# compat/numpy.md: float results for integer inputs (1.9.1 truncates to the integer dtype)
_INT_FLOAT = ["np.%s(i1)" % n for n in ("sqrt", "exp", "log", "log1p", "sin", "cos", "tanh",
                                         "arctan", "degrees", "radians",
                                         "cbrt", "expm1", "log2")]
DEVIATIONS = set(_INT_FLOAT + [
    "np.hypot(i1, 2)", "np.arctan2(i1, 2)", "np.std(i2)", "np.var(i2)",
    # compat/numpy.md: mixed dtypes promote (1.9.1 refuses these ops)
    "np.true_divide(f2, d2)", "np.maximum(f2, d2)", "np.minimum(f2, d2)", "np.equal(f2, d2)",
    "np.not_equal(f2, d2)", "np.greater(f2, d2)", "np.less_equal(f2, d2)",
    "np.hypot(f2, d2)", "np.arctan2(f2, d2)", "np.hypot(i1, i1)", "np.arctan2(i1, i1)",
    "np.std(b1)", "np.var(b1)",
    # compat/numpy.md: rint rounds half to even (1.9.1 rounds 1.5 to 1); prod of nothing is 1
    "np.rint(f1)", "np.rint(h1)", "np.prod(z2)", "np.prod(z2, axis=0)",
    "np.prod(z2, axis=(0, 1))",
    # compat/numpy.md: 1.9.1 fails full reductions of this 1-d float32 array ("Shape size
    # mismatch 0 v.s. 1") and cumsum with a negative axis
    "np.mean(f1)", "np.prod(f1)", "np.max(f1)", "np.var(f1)", "np.all(f1)",
    "np.cumsum(f3, axis=-1)",
    # compat/numpy.md: insert with a scalar value at an int index, or with several indices,
    # fails in 1.9.1 ("dimension do not match", "data type do not match"); NumPy's answer here.
    # 1.9.1 silently truncates values that do not fit (insert(f2, 1, f1[:3], axis=1)); NumPy
    # and mxtorch refuse them.
    "np.insert(f2, 0, np.array([[7.0], [8.0]]), axis=None)",
    "mx.nd.np._internal.insert_scalar(f2, val=9.0, int_ind=1, axis=1)",
] + [f"np.insert(f2, {obj}, {val}, axis={axis})" for axis in ("None", "0", "1", "-1")
     for obj, val in (("np.array([2, 0], dtype='int64')", "9.0"), ("1", "5.0"), ("-1", "3.0"))
     if (obj, axis) not in (("1", "None"), ("-1", "None"))] + [
    "np.insert(f2, 1, f1[:3], axis=1)", "np.insert(f2, 1, f1[:3], axis=-1)",
    # compat/numpy.md: harmless input 1.9.1 refuses (mixed dtypes, array q with an axis,
    # prod's initial), and _scatter_set_nd without out= (1.9.1 needs it in place)
    "np.ediff1d(d2, to_end=p1)", "np.quantile(f2, np.array([0.1, 0.9]), axis=1)",
    "mx.nd.np.prod(f2, initial=2.0)",
    # compat/numpy.md: NumPy options 1.9.1 refuses with NotImplementedError (array start/stop
    # and axis of linspace/logspace, automatic histogram range, string bins, density/normed/
    # weights)
    "np.linspace(0, 1, 3, axis=-1)", "np.linspace(p1, 2.0, 3)", "np.linspace(f1, p1, 3, axis=1)",
    "np.logspace(p1, 1.0, 3, axis=1)",
    "np.histogram(np.array([1.0, 2.0, 2.0, 3.0, 5.0]), bins=4)",
    "np.histogram(np.array([1.0, 2.0, 2.0, 3.0, 5.0]), bins=4, range=(0, 5), density=True)",
    "np.histogram(np.array([1.0, 2.0, 2.0, 3.0, 5.0]), bins=4, range=(0, 5), normed=True)",
    "np.histogram(np.array([1.0, 2.0, 2.0, 3.0, 5.0]), bins=4, range=(0, 5), "
    "weights=p1[:1] * np.ones(5))",
    "np.histogram(np.array([1.0, 2.0, 2.0, 3.0, 5.0]), bins='auto')",
    "mx.nd.np._internal.scatter_set_nd(np.zeros((2, 2)), np.array([5.0, 6.0]), "
    "np.array([[0, 1], [1, 0]], dtype='int64'), shape=(2, 2))",
])


def _results():
    from mxtorch import np, npx  # noqa: F401
    import numpy as onp  # noqa: F401
    cases = list(FIXTURE["cases"])
    env = {}
    exec(np_diff.SETUP_MXTORCH, env)
    exec(np_diff.ENCODER, env)
    env["ARRAYS"] = FIXTURE["arrays"]
    try:
        return dict(zip(cases, env["run"](np_diff.SETUP_MXTORCH, cases)))
    finally:
        from mxtorch import npx as _npx
        _npx.reset_np()


@pytest.fixture(scope="module")
def ours():
    return _results()


def test_fixture_is_large(ours):
    assert len(FIXTURE["cases"]) > 600 and len(ours) == len(FIXTURE["cases"])


def test_matches_mxnet(ours):
    bad = [c for c, want in FIXTURE["cases"].items()
           if c not in DEVIATIONS and not np_diff.same(want, ours[c])]
    assert not bad, "\n".join(f"{c}: mxnet {json.dumps(FIXTURE['cases'][c])[:200]} / mxtorch "
                              f"{json.dumps(ours[c])[:200]}" for c in bad[:20])


def test_deviations_still_differ(ours):
    same = [c for c in DEVIATIONS if np_diff.same(FIXTURE["cases"][c], ours[c])]
    assert not same, f"now matching MXNet, remove from DEVIATIONS and compat/numpy.md: {same}"
