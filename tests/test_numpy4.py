"""mx.np conformance fixes found by tools/unittest_style/check_numpy4_*.py (round 4).

Expected values were checked against MXNet 1.9.1 (~/mxref); where MXNet and NumPy agree the
NumPy result is used as the reference. No MXNet needed.
"""
import json
import os

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import autograd, np, npx
from mxtorch.gluon import HybridBlock

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "numpy")
BASE = onp.arange(60, dtype="float32").reshape(3, 4, 5)


@pytest.fixture(autouse=True)
def _np_mode():
    npx.set_np()
    yield
    npx.reset_np()


# --- indexing: NumPy's placement rules (MXNet 1.9.1 gives the same shapes and values) -------
MIXED_KEYS = [
    (0, None, [1, 2], slice(None, 3)), ([0, 2], slice(None), slice(None, None, -1)),
    (slice(None, None, -1), [0, 1]), ([0, 2], slice(None, None, -1), [1, 3]),
    (1, slice(None), [0, 1]), (slice(None), 1, [0, 1]), (1, slice(None, None, -1), [0, 1]),
    (None, 0, slice(None), [1, 2]), ([1], None, [2]), (slice(None, None, -2), [0, 1], [1, 2]),
    (Ellipsis, None, [1, 2]), ([[0, 1]], 1, slice(None, None, -1)), (slice(3, 0, -2), 1),
    (Ellipsis, slice(None, None, -3)), (1, Ellipsis, [4, 0], None),
]


def _mx_key(key):
    return tuple(np.array(k, dtype="int32") if isinstance(k, list) else k for k in key)


@pytest.mark.parametrize("key", MIXED_KEYS, ids=[repr(k) for k in MIXED_KEYS])
def test_getitem_mixed_advanced_and_negative_steps(key):
    want = BASE[key]
    for k in (key, _mx_key(key)):
        got = np.array(BASE)[k]
        assert got.shape == want.shape
        onp.testing.assert_array_equal(got.asnumpy(), want)


@pytest.mark.parametrize("key", MIXED_KEYS, ids=[repr(k) for k in MIXED_KEYS])
def test_getitem_mixed_gradient_and_setitem(key):
    x = np.array(BASE)
    x.attach_grad()
    with autograd.record():
        y = x[_mx_key(key)]
    y.backward()
    want = onp.zeros_like(BASE)
    onp.add.at(want, key, 1)
    onp.testing.assert_array_equal(x.grad.asnumpy(), want)
    z = np.array(BASE)
    z[key] = -1
    ref = BASE.copy()
    ref[key] = -1
    onp.testing.assert_array_equal(z.asnumpy(), ref)
    sel_shape = BASE[key].shape
    vals = onp.arange(int(onp.prod(sel_shape)), dtype="float32").reshape(sel_shape) + 100
    if len(set(onp.ravel_multi_index(onp.nonzero(want), BASE.shape))) == vals.size:
        z = np.array(BASE)
        z[key] = np.array(vals)
        ref = BASE.copy()
        ref[key] = vals
        onp.testing.assert_array_equal(z.asnumpy(), ref)


def test_setitem_mixed_refuses_bad_value_shape():
    x = np.array(BASE)
    with pytest.raises(mx.MXNetError, match="cannot assign"):
        x[1, ::-1, [0, 1]] = np.ones((3,))


def test_setitem_mixed_while_recording_keeps_graph():
    x = np.array(BASE)
    x.attach_grad()
    with autograd.record():
        y = x * 2
        y[1, ::-1, [0, 1]] = 0
        s = y.sum()
    s.backward()
    want = onp.full(BASE.shape, 2.0, dtype="float32")
    want[1, :, [0, 1]] = 0
    onp.testing.assert_array_equal(x.grad.asnumpy(), want)


# --- np.average: hybridized without weights; MXNet's returned sum of weights ----------------
class _Average(HybridBlock):
    def __init__(self, **kwargs):
        super(_Average, self).__init__()
        self._kw = kwargs

    def hybrid_forward(self, F, x, *w):
        kw = dict(self._kw)
        if w:
            kw["weights"] = w[0]
        return F.np.average(x, **kw)


X6 = onp.arange(6, dtype="float32").reshape(2, 3)
# (kwargs, weights or None, average, sum of weights) from MXNet 1.9.1
AVERAGE_CASES = [
    ({"axis": 1, "returned": True}, [1.0, 2.0, 3.0], [4 / 3, 13 / 3], 6.0),
    ({"axis": 1, "returned": True}, None, [1.0, 4.0], 3.0),
    ({"returned": True}, None, 2.5, 6.0),
    ({"axis": 0, "returned": True}, [1.0, 2.0], [2.0, 3.0, 4.0], 3.0),
    ({"returned": True}, onp.ones((2, 3)), 2.5, 6.0),
    ({"axis": (0, 1), "returned": True}, None, 2.5, 6.0),
]


@pytest.mark.parametrize("hybridize", [False, True])
@pytest.mark.parametrize("case", range(len(AVERAGE_CASES)))
def test_average_returned(case, hybridize):
    kwargs, weights, avg, total = AVERAGE_CASES[case]
    block = _Average(**kwargs)
    if hybridize:
        block.hybridize()
    args = [np.array(X6)] + ([] if weights is None else [np.array(weights)])
    got_avg, got_total = block(*args)
    onp.testing.assert_allclose(got_avg.asnumpy(), avg, rtol=1e-6)
    assert got_total.shape == ()
    assert float(got_total) == total
    got = np.average(*args[:1], weights=args[1] if weights is not None else None, **kwargs)
    onp.testing.assert_allclose(got[0].asnumpy(), avg, rtol=1e-6)
    assert got[1].shape == () and float(got[1]) == total


def test_average_symbol_without_weights_has_one_input():
    x = mx.sym.var("x").as_np_ndarray()
    s = mx.sym.np.average(x, axis=1)
    assert s.list_arguments() == ["x"]
    node = json.loads(s.tojson())["nodes"][1]
    assert node["op"] == "_npi_average" and node["attrs"]["weighted"] == "False"
    assert len(mx.sym.np.average(x, axis=1, returned=True)) == 2


def test_average_hybridized_gradient():
    block = _Average(axis=1)
    block.hybridize()
    x = np.array(X6)
    x.attach_grad()
    with autograd.record():
        y = block(x)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), onp.full((2, 3), 1 / 3), rtol=1e-6)


# --- bool arithmetic (MXNet 1.9.1 dtypes and values) ----------------------------------------
T = onp.array([1, 1, 0, 0], dtype=bool)
F = onp.array([1, 0, 1, 0], dtype=bool)
BOOL_CASES = [
    ("t - np.ones(4)", "float32", [0, 0, -1, -1]),
    ("np.ones(4, dtype='float16') - t", "float16", [0, 0, 1, 1]),
    ("t - np.ones(4, dtype='float64')", "float64", [0, 0, -1, -1]),
    ("t - 1", "int64", [0, 0, -1, -1]),
    ("1 - t", "int64", [0, 0, 1, 1]),
    ("t ** f", "bool", [True, True, False, True]),
    ("np.power(t, f)", "bool", [True, True, False, True]),
    ("t + f", "bool", [True, True, True, False]),
    ("t * f", "bool", [True, False, False, False]),
    ("t ** 2", "int64", [1, 1, 0, 0]),
    ("t % 2", "int64", [1, 1, 0, 0]),
]


@pytest.mark.parametrize("expr,dtype,values", BOOL_CASES)
def test_bool_arithmetic(expr, dtype, values):
    r = eval(expr, {"t": np.array(T), "f": np.array(F), "np": np})  # noqa: S307
    assert r.dtype == onp.dtype(dtype)
    onp.testing.assert_array_equal(r.asnumpy(), values)


def test_binary_promotion_table():
    """dtype of ``x OP y`` for every dtype pair MXNet 1.9.1 computes (fixture from the oracle,
    tools/np4_fixtures.py)."""
    with open(os.path.join(FIX, "numpy4_promotion.json")) as f:
        table = json.load(f)
    bad = []
    for op, rows in table.items():
        for pair, want in rows.items():
            a, b = pair.split(",")
            r = eval("x %s y" % op, {"x": np.array([1, 2], dtype=a),  # noqa: S307
                                     "y": np.array([1, 1], dtype=b)})
            if r.dtype != onp.dtype(want):
                bad.append((a, op, b, str(r.dtype), want))
    assert not bad
