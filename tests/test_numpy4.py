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


# --- hybridized F.np functions with NumPy's signatures and Python scalars (MXNet 1.9.1) ------
class _Expr(HybridBlock):
    def __init__(self, expr):
        super(_Expr, self).__init__()
        self._expr = expr

    def hybrid_forward(self, F, x):
        return eval(self._expr, {"F": F, "x": x})  # noqa: S307 - expressions from the table


X22 = onp.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
# expression -> value from MXNet 1.9.1 (imperative and hybridized agree there)
HYBRID_CASES = {
    "F.np.add(x, 2)": [[3, 4], [5, 6]],
    "F.np.maximum(x, 2.5)": [[2.5, 2.5], [3, 4]],
    "F.np.power(2, x)": [[2, 4], [8, 16]],
    "F.np.subtract(1, x)": [[0, -1], [-2, -3]],
    "F.np.true_divide(1, x)": [[1, 0.5], [1 / 3, 0.25]],
    "F.np.mod(x, 3)": [[1, 2], [0, 1]],
    "F.np.equal(x, 1)": [[True, False], [False, False]],
    "F.np.less(1, x)": [[False, True], [True, True]],
    "F.np.greater_equal(2, x)": [[True, True], [False, False]],
    "F.np.hypot(x, 2)": onp.hypot(X22, 2).tolist(),
    "F.np.arctan2(x, 1.0)": onp.arctan2(X22, 1.0).tolist(),
    "F.np.ldexp(x, 2)": [[4, 8], [12, 16]],
    "F.np.copysign(x, -1)": [[-1, -2], [-3, -4]],
    "F.np.lcm(x.astype('int32'), 4)": [[4, 4], [12, 4]],
    "F.np.bitwise_and(x.astype('int32'), 1)": [[1, 0], [1, 0]],
    "F.np.where(x > 1, x, 0)": [[0, 2], [3, 4]],
    "F.np.where(x > 1, 7, x)": [[1, 7], [7, 7]],
    "F.np.swapaxes(x, axis1=0, axis2=1)": [[1, 3], [2, 4]],
    "F.np.tensordot(x, x, axes=1)": [[7, 10], [15, 22]],
    "F.np.tensordot(x, x, axes=([0], [1]))": [[7, 15], [10, 22]],
    "F.np.tensordot(x, x, 2)": 30.0,
    "F.np.einsum('ij,jk->ik', x, x)": [[7, 10], [15, 22]],
    "F.np.einsum('ii', x)": 5.0,
    "F.np.full((2,), 3) + x[0]": [4, 5],
    "F.np.pad(x, ((1, 0), (0, 1)), constant_values=9)": [[9, 9, 9], [1, 2, 9], [3, 4, 9]],
    "F.np.atleast_1d(x[0, 0])": [1.0],
    "F.np.atleast_2d(x[0])": [[1, 2]],
    "F.np.sort(x[::-1], axis=0, kind='stable')": [[1, 2], [3, 4]],
    "F.np.argsort(x[::-1], axis=0)": [[1, 1], [0, 0]],
    "F.np.diff(x, axis=0)": [[2, 2]],
    "F.np.bincount(x.astype('int64').reshape(-1), minlength=6)": [0, 1, 1, 1, 1, 0],
    "F.np.bincount(x.astype('int64')[0], x[1])": [0, 3, 4],
    "F.np.linspace(0, 1, 3, axis=0) + x[0, 0]": [1, 1.5, 2],
    "F.np.histogram(x, bins=3, range=(1, 4))[0]": [1, 1, 2],
    "F.np.zeros((2,), order='C') + x[0]": [1, 2],
    "F.np.average(x, axis=0)": [2, 3],
    "F.np.percentile(x, 50, axis=(0, 1), keepdims=True)": [[2.5]],
    # _Symbol methods keep NumPy semantics (x[i] is a row, not output i)
    "x.astype('int32')[1]": [3, 4],
    "x.clip(1.5, 3)[0]": [1.5, 2],
    "x.repeat(2)[:3]": [1, 1, 2],
    "x.swapaxes(0, 1)[0]": [1, 3],
    "x.argsort(axis=0)[0]": [0, 0],
    "x.argmin(axis=1)": [0, 0],
    "(x * 0.6).round()[1]": [2, 2],
}


@pytest.mark.parametrize("expr", sorted(HYBRID_CASES))
def test_hybridized_np_functions(expr):
    for hybridize in (False, True):
        block = _Expr(expr)
        if hybridize:
            block.hybridize()
        got = block(np.array(X22))
        onp.testing.assert_allclose(got.asnumpy(), HYBRID_CASES[expr], rtol=1e-6)


def test_symbol_wrappers_graph_encoding():
    x = mx.sym.var("x").as_np_ndarray()
    node = json.loads(mx.sym.np.bincount(x, minlength=3).tojson())["nodes"][1]
    assert node["op"] == "_npi_bincount" and node["inputs"] == [[0, 0, 0]]
    assert mx.sym.np.subtract(1, x).list_arguments() == ["x"]
    node = json.loads(mx.sym.np.subtract(1, x).tojson())["nodes"][1]
    assert node["op"] == "_npi_rsubtract_scalar"
    out, step = mx.sym.np.linspace(0, 1, 5, retstep=True)
    assert step == 0.25
    pair = mx.sym.np.atleast_2d(x, x)
    assert isinstance(pair, list) and len(pair) == 2
    with pytest.raises(TypeError, match="Python numbers"):
        mx.sym.np.add(x, "a")


def test_percentile_keepdims_with_several_axes():
    a = np.arange(24.0).reshape(2, 3, 4)
    ref = onp.arange(24.0).reshape(2, 3, 4)
    got = np.percentile(a, 75, axis=(0, 2), keepdims=True)
    assert got.shape == (1, 3, 1)
    onp.testing.assert_allclose(got.asnumpy(), onp.percentile(ref, 75, axis=(0, 2),
                                                              keepdims=True))
    got = np.percentile(a, np.array([10.0, 75.0]), axis=(0, 2), keepdims=True)
    assert got.shape == (2, 1, 3, 1)  # MXNet 1.9.1 and NumPy


def test_atleast_single_input_and_bincount_without_weights():
    assert np.atleast_1d(np.array(2.0)).shape == (1,)
    assert [a.shape for a in np.atleast_3d(np.ones(2), np.ones((2, 2)))] == [(1, 2, 1),
                                                                             (2, 2, 1)]
    onp.testing.assert_array_equal(np.bincount(np.array([0, 2, 2], dtype="int64")).asnumpy(),
                                   [1, 0, 2])
    assert float(np.searchsorted(np.array([1.0, 2.0, 4.0]), 3)) == 2


# --- official NumPy linalg functions on mx.np arrays run mx.np.linalg (MXNet 1.9.1's list) ---
def test_numpy_linalg_dispatch_to_mx():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    host = a.asnumpy()
    w, v = onp.linalg.eigh(a)
    assert isinstance(w, np.ndarray) and isinstance(v, np.ndarray)
    onp.testing.assert_allclose(w.asnumpy(), onp.linalg.eigh(host)[0], rtol=1e-5)
    w, v = onp.linalg.eig(a)
    onp.testing.assert_allclose(onp.sort(w.asnumpy()), onp.sort(onp.linalg.eig(host)[0]),
                                rtol=1e-5)
    inv = onp.linalg.inv(a)
    assert isinstance(inv, np.ndarray)
    onp.testing.assert_allclose(inv.asnumpy(), onp.linalg.inv(host), rtol=1e-5)
    a.attach_grad()
    with autograd.record():
        n = onp.linalg.norm(a)  # dispatched to mx.np.linalg.norm: differentiable
    n.backward()
    onp.testing.assert_allclose(a.grad.asnumpy(), host / onp.linalg.norm(host), rtol=1e-5)


def test_list_of_bools_is_a_mask_in_np_mode():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    onp.testing.assert_array_equal(y[[True, False]].asnumpy(), [[1.0, 2.0]])  # MXNet 1.9.1
    onp.testing.assert_array_equal(y[:, [False, True]].asnumpy(), [[2.0], [4.0]])
    y[[True, False]] = 0
    onp.testing.assert_array_equal(y.asnumpy(), [[0.0, 0.0], [3.0, 4.0]])
    legacy = mx.nd.array([[1, 2], [3, 4]])  # legacy NDArrays read the bools as 1/0
    onp.testing.assert_array_equal(legacy[[True, False]].asnumpy(), [[3, 4], [1, 2]])


def test_builtin_round_of_array():
    r = round(np.array(2.567), 1)
    assert isinstance(r, np.ndarray) and abs(float(r) - 2.6) < 1e-6  # MXNet: array(2.6)
    assert float(round(np.array(2.567))) == 3.0
