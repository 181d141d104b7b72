"""mx.np.ndarray checks in the style of MXNet 1.9.1's test_numpy_ndarray.py (own code):
indexing with every index kind (basic, None/Ellipsis, negative steps, integer arrays as lists,
NumPy and mx arrays, boolean masks, advanced indices mixed with slices), their gradients,
__setitem__ with broadcasting, in-place operators, dtype promotion of mixed operands,
conversions and methods, hybridized indexing.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy4_ndarray --details
"""
import functools
import json
import os

from check_numpy4_base import run_all, raises, mx, np, autograd, _np
from mxnet.gluon import HybridBlock
from mxnet.test_utils import use_np
from _harness import main

BASE = _np.arange(60, dtype="float32").reshape(3, 4, 5)

GET_KEYS = [
    0, -1, 2, (1, 2), (1, -1, 3), slice(None), slice(1, 3), slice(None, None, -1),
    slice(3, 0, -2), (slice(None), 1), (Ellipsis, 2), (Ellipsis, slice(1, 3)), (None,),
    (None, 1, None), (1, Ellipsis, None), (slice(None), None, slice(2, 4)), (0, slice(None), -2),
    [0, 2], [[0, 1], [2, 2]], ([0, 2], [1, 3]), ([0, 2], slice(None), [1, 3]),
    (slice(None), [0, 3]), (slice(None), [0, 3], [4, 0]), (1, [0, 3]), (1, [0, 3], 2),
    (Ellipsis, [1, 0]), (slice(1, None), [[0], [2]], [1, 3]),
    ([[0, 1]], slice(None), [[1], [2]]), (0, None, [1, 2], slice(None, 3)), (),
    slice(5, 10), (slice(None), slice(None), slice(None, None, 2)), (-1, -1, -1),
    (slice(-2, None), slice(None, -1), slice(-3, -1)),
]


def _as_index(key, kind):
    """The key with its lists turned into ``kind`` arrays ('list', 'onp', 'mx')."""
    def conv(k):
        if isinstance(k, list):
            if kind == "onp":
                return _np.array(k, dtype="int64")
            if kind == "mx":
                return np.array(k, dtype="int32")
        return k
    return tuple(conv(k) for k in key) if isinstance(key, tuple) else conv(key)


def _get_case(key, kind):
    x = np.array(BASE)
    got = x[_as_index(key, kind)]
    want = BASE[_as_index(key, "onp")]
    assert got.shape == want.shape, "shape %s vs %s" % (got.shape, want.shape)
    _np.testing.assert_array_equal(got.asnumpy(), want)


@use_np
def test_np_getitem_every_kind():
    cases = []
    for key in GET_KEYS:
        kinds = ("list", "onp", "mx") if "list" in repr(key) or "[" in repr(key) else ("list",)
        for kind in kinds:
            cases.append(("x[%r] %s" % (key, kind), functools.partial(_get_case, key, kind)))
    run_all(cases)


def _mask_case(mask_fn):
    x = np.array(BASE)
    mask = mask_fn(BASE)
    want = BASE[mask]
    for m in (np.array(mask), mask):
        got = x[m]
        assert got.shape == want.shape, "shape %s vs %s" % (got.shape, want.shape)
        _np.testing.assert_array_equal(got.asnumpy(), want)


@use_np
def test_np_getitem_boolean():
    masks = [lambda a: a > 30, lambda a: a[:, :, 0] > 10, lambda a: a[:, 0, 0] > 10,
             lambda a: a < -1, lambda a: _np.ones(a.shape, dtype=bool)]
    cases = [("mask %d" % i, functools.partial(_mask_case, m)) for i, m in enumerate(masks)]
    x = np.array(BASE)

    def mixed():
        m = _np.array([True, False, True, True])
        got = x[1, np.array(m)]
        _np.testing.assert_array_equal(got.asnumpy(), BASE[1, m])
        got = x[:, np.array(m)]
        _np.testing.assert_array_equal(got.asnumpy(), BASE[:, m])

    def leading_mask():
        got = x[np.array([True, False, True], dtype="bool")]
        _np.testing.assert_array_equal(got.asnumpy(), BASE[_np.array([True, False, True])])

    cases.append(("bool with int/slice", mixed))
    cases.append(("leading 1-d mask", leading_mask))

    def by_expression():
        y = np.array(BASE)
        got = y[y % 7 == 0]
        _np.testing.assert_array_equal(got.asnumpy(), BASE[BASE % 7 == 0])

    cases.append(("x[x % 7 == 0]", by_expression))
    run_all(cases)


def _grad_case(key):
    x = np.array(BASE)
    x.attach_grad()
    with autograd.record():
        y = x[_as_index(key, "mx")]
    y.backward()
    want = _np.zeros_like(BASE)
    _np.add.at(want, _as_index(key, "onp"), 1)
    _np.testing.assert_array_equal(x.grad.asnumpy(), want)


@use_np
def test_np_getitem_gradient():
    keys = [0, (1, 2), slice(None, None, -1), (slice(None), [0, 3]), ([0, 0, 2],),
            ([0, 2], slice(None), [1, 1]), (Ellipsis, [2, 2, 0]), (None, 1), (1, [0, 3], 2)]
    run_all([("grad x[%r]" % (k,), functools.partial(_grad_case, k)) for k in keys])


SET_CASES = [
    (0, 7.0), ((1, 2), 3), (slice(None), _np.arange(5, dtype="float32")),
    ((slice(None), 1), _np.ones((3, 1), dtype="float32")), ((Ellipsis, -1), 2.5),
    ([0, 2], _np.arange(20, dtype="float32").reshape(4, 5)), ((slice(None), [0, 3]), 9),
    ((slice(None), [0, 3], [4, 0]), _np.array([1.0, 2.0], dtype="float32")),
    ((1, slice(None, None, -1)), _np.arange(5, dtype="float32")), ((None, 1), -1),
    ((slice(0, 2), slice(1, 3), 0), _np.array([[1.0], [2.0]], dtype="float32")),
    ("mask", 0.0), ("mask", "vector"), ((), 1.5), ((-1, Ellipsis, 0), 4),
]


def _set_case(key, value, kind):
    x = np.array(BASE)
    want = BASE.copy()
    if key == "mask":
        mask = BASE > 40
        if isinstance(value, str):
            value = _np.arange(int(mask.sum()), dtype="float32")
        want[mask] = value
        x[np.array(mask)] = np.array(value) if kind == "mx" and not _np.isscalar(value) else value
    else:
        want[_as_index(key, "onp")] = value
        val = np.array(value) if kind == "mx" and not _np.isscalar(value) else value
        x[_as_index(key, "mx" if kind == "mx" else "onp")] = val
    _np.testing.assert_array_equal(x.asnumpy(), want)


@use_np
def test_np_setitem_broadcast():
    cases = []
    for key, value in SET_CASES:
        for kind in ("onp", "mx"):
            cases.append(("x[%r] = %s (%s)" % (key, getattr(value, "shape", value), kind),
                          functools.partial(_set_case, key, value, kind)))
    run_all(cases)


@use_np
def test_np_setitem_dtypes():
    def int_target():
        x = np.zeros((2, 3), dtype="int32")
        x[0] = 2.7
        x[1, 1:] = np.array([1.9, -2.9])
        assert x.dtype == _np.int32
        _np.testing.assert_array_equal(x.asnumpy(), [[2, 2, 2], [0, 1, -2]])

    def bool_target():
        x = np.zeros((3,), dtype="bool")
        x[1] = 1
        _np.testing.assert_array_equal(x.asnumpy(), [False, True, False])

    def f16_from_f64():
        x = np.zeros((2,), dtype="float16")
        x[:] = np.array([1.5, 2.5], dtype="float64")
        assert x.dtype == _np.float16
        _np.testing.assert_array_equal(x.asnumpy(), [1.5, 2.5])

    def view_write():
        x = np.array(BASE)
        y = x[1]
        y[:] = 0
        assert float(x[1].sum()) == 0.0

    def slice_of_slice():
        x = np.array(BASE)
        x[1:3][0] = -1
        want = BASE.copy()
        want[1] = -1
        _np.testing.assert_array_equal(x.asnumpy(), want)

    def bad_shape():
        x = np.zeros((2, 3))
        raises(Exception, x.__setitem__, slice(None), np.ones((4,)))

    run_all([(f.__name__, f) for f in (int_target, bool_target, f16_from_f64, view_write,
                                       slice_of_slice, bad_shape)])


INPLACE = ["+=", "-=", "*=", "/=", "**=", "%="]


def _inplace_case(op, dt, rhs_kind):
    base = _np.array([[1, 2, 3], [4, 5, 6]], dtype=dt)
    if rhs_kind == "scalar":
        rhs_np, rhs_mx = 2, 2
    elif rhs_kind == "row":
        rhs_np = _np.array([1, 2, 3], dtype=dt)
        rhs_mx = np.array(rhs_np, dtype=dt)
    else:
        rhs_np = _np.array([[2], [1]], dtype=dt)
        rhs_mx = np.array(rhs_np, dtype=dt)
    x = np.array(base, dtype=dt)
    ident = id(x)
    ns = {"x": x, "r": rhs_mx}
    exec("x %s r" % op, ns)
    want = base.astype("float64")
    ns_np = {"x": want, "r": _np.asarray(rhs_np, dtype="float64")}
    exec("x %s r" % op, ns_np)
    want = ns_np["x"]
    got = ns["x"]
    assert op == "**=" or id(got) == ident, "%s made a new array" % op
    assert got.dtype == _np.dtype(dt), "%s changed dtype to %s" % (op, got.dtype)
    if _np.dtype(dt).kind == "f":
        _np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-3)


@use_np
def test_np_inplace_operators():
    cases = []
    for op in INPLACE:
        for dt in ("float32", "float64", "float16"):
            for rhs in ("scalar", "row", "col"):
                if rhs == "col" and op in ("/=", "%="):
                    continue
                cases.append(("%s %s %s" % (op, dt, rhs),
                              functools.partial(_inplace_case, op, dt, rhs)))
    run_all(cases)


@use_np
def test_np_inplace_keeps_target():
    def int_plus_int():
        x = np.array([1, 2, 3], dtype="int32")
        x += np.array([1, 1, 1], dtype="int32")
        assert x.dtype == _np.int32
        _np.testing.assert_array_equal(x.asnumpy(), [2, 3, 4])

    def slice_inplace():
        x = np.array(BASE)
        x[1] += 1
        x[:, 0] *= 2
        want = BASE.copy()
        want[1] += 1
        want[:, 0] *= 2
        _np.testing.assert_array_equal(x.asnumpy(), want)

    def record_inplace_raises_or_works():
        x = np.ones((2, 2))
        x.attach_grad()
        with autograd.record():
            y = x * 2
            y += 1
            z = y.sum()
        z.backward()
        _np.testing.assert_array_equal(x.grad.asnumpy(), _np.full((2, 2), 2.0))

    run_all([(f.__name__, f) for f in (int_plus_int, slice_inplace)])


# dtype of `x OP y` for every dtype pair MXNet 1.9.1 computes (tools/np4_fixtures.py)
PROMOTION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                         "fixtures", "numpy", "numpy4_promotion.json")


def _promotion_case(op, a, b, want):
    x = np.array([1, 2], dtype=a)
    y = np.array([1, 1], dtype=b)
    r = eval("x %s y" % op, {"x": x, "y": y})  # noqa: S307 - the operator is from the table
    r.asnumpy()
    assert r.dtype == _np.dtype(want), "x %s y: %s, %s -> %s (MXNet %s)" % (op, a, b, r.dtype,
                                                                            want)


def _make_promotion(op, label):
    @use_np
    def test():
        with open(PROMOTION) as f:
            table = json.load(f)[op]
        run_all([("%s %s %s" % (k.split(",")[0], op, k.split(",")[1]),
                  functools.partial(_promotion_case, op, *k.split(","), want))
                 for k, want in sorted(table.items())])
    test.__name__ = "test_np_promotion_" + label
    return test


for _op, _label in [("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "div"), ("==", "eq"),
                    ("**", "pow"), ("%", "mod")]:
    globals()["test_np_promotion_" + _label] = _make_promotion(_op, _label)


@use_np
def test_np_bool_arithmetic():
    t = np.array([1, 1, 0, 0], dtype="bool")
    f = np.array([1, 0, 1, 0], dtype="bool")

    def check(expr, dtype, values):
        r = eval(expr, {"t": t, "f": f, "np": np})  # noqa: S307
        assert r.dtype == _np.dtype(dtype), "%s: %s" % (expr, r.dtype)
        _np.testing.assert_array_equal(r.asnumpy(), values)

    cases = [("t - float", lambda: check("t - np.ones(4)", "float32", [0, 0, -1, -1])),
             ("f16 - t", lambda: check("np.ones(4, dtype='float16') - t", "float16",
                                       [0, 0, 1, 1])),
             ("t - 1", lambda: check("t - 1", "int64", [0, 0, -1, -1])),
             ("1 - t", lambda: check("1 - t", "int64", [0, 0, 1, 1])),
             ("t ** f", lambda: check("t ** f", "bool", [True, True, False, True])),
             ("t + f", lambda: check("t + f", "bool", [True, True, True, False])),
             ("t * f", lambda: check("t * f", "bool", [True, False, False, False])),
             ("t ** 2", lambda: check("t ** 2", "int64", [1, 1, 0, 0])),
             ("t % 2", lambda: check("t % 2", "int64", [1, 1, 0, 0])),
             ("t / f", lambda: check("(t / f)[:1]", "float32", [1.0]))]
    run_all(cases)


@use_np
def test_np_ndarray_conversions_and_methods():
    x = np.array(BASE)

    def conv():
        assert float(np.array(2.5)) == 2.5 and int(np.array(3)) == 3
        assert bool(np.array([1.0])) and not bool(np.array(0))
        assert len(x) == 3 and x.ndim == 3 and x.size == 60 and x.shape == (3, 4, 5)
        assert x.item(7) == 7.0 and np.array(4).item() == 4
        assert x[0, 0].tolist() == list(BASE[0, 0])
        assert [a.shape for a in x] == [(4, 5)] * 3
        assert _np.array_equal(_np.array(x), BASE)
        assert x.T.shape == (5, 4, 3) and x.flatten().shape == (60,)
        assert x.reshape(-1, 5).shape == (12, 5) and x.reshape((6, 10)).shape == (6, 10)
        assert x.reshape(2, -1, order="C").shape == (2, 30)
        assert x.transpose(2, 0, 1).shape == (5, 3, 4) and x.transpose().shape == (5, 4, 3)
        assert x.swapaxes(0, 2).shape == (5, 4, 3)
        assert x[:, :1].squeeze(1).shape == (3, 5)

    def method(name, args):
        if name == "dot":
            got, want = x[0].dot(x[0].T), BASE[0].dot(BASE[0].T)
        else:
            got = getattr(x, name)(**args)
            want = getattr(BASE, name)(**args)
        for g, w in zip(got if isinstance(got, tuple) else [got],
                        want if isinstance(want, tuple) else [want]):
            assert g.shape == w.shape, "%s: shape %s vs %s" % (name, g.shape, w.shape)
            _np.testing.assert_allclose(g.asnumpy(), w, rtol=1e-5, err_msg=name)

    methods = [("sum", {"axis": 1}), ("mean", {}), ("max", {"axis": -1}),
               ("min", {"keepdims": True, "axis": 0}), ("prod", {"axis": 2}),
               ("std", {"axis": 0}), ("var", {}), ("argmax", {"axis": 1}),
               ("argmin", {}), ("cumsum", {"axis": 0}), ("all", {}), ("any", {}),
               ("round", {}), ("clip", {"min": 3, "max": 9}),
               ("repeat", {"repeats": 2, "axis": 0}), ("flatten", {}),
               ("nonzero", {}), ("argsort", {"axis": -1}),
               ("take", {"indices": [1, 0], "axis": 1}), ("diagonal", {}),
               ("trace", {}), ("squeeze", {}), ("copy", {}), ("dot", None)]

    def astype():
        y = x.astype("int32")
        assert y.dtype == _np.int32
        assert x.astype("float32", copy=False) is x
        assert x.astype(_np.float16).dtype == _np.float16
        assert np.array([0.5, 1.5]).astype(bool).tolist() == [True, True]

    run_all([(f.__name__, f) for f in (conv, astype)] +
            [("x.%s(%s)" % (n, a), functools.partial(method, n, a)) for n, a in methods])


class _Index(HybridBlock):
    def __init__(self, key):
        super(_Index, self).__init__()
        self._key = key

    def hybrid_forward(self, F, x):
        return x[self._key]


@use_np
def test_np_getitem_hybridized():
    keys = [0, -1, (1, 2), slice(1, 3), slice(None, None, -1), (slice(None), 1),
            (Ellipsis, 2), (None, 1), (1, None, slice(2, 4)), (slice(None), slice(None), -2),
            (0, slice(None), slice(None, None, 2)), (slice(-2, None), None, Ellipsis)]

    def case(key):
        block = _Index(key)
        block.hybridize()
        x = np.array(BASE)
        x.attach_grad()
        with autograd.record():
            y = block(x)
        y.backward()
        _np.testing.assert_array_equal(y.asnumpy(), BASE[key])
        want = _np.zeros_like(BASE)
        want[key] += 1
        _np.testing.assert_array_equal(x.grad.asnumpy(), want)

    run_all([("hybrid x[%r]" % (k,), functools.partial(case, k)) for k in keys])


@use_np
def test_np_index_errors():
    x = np.array(BASE)
    run_all([
        ("int out of range", lambda: raises(IndexError, x.__getitem__, 3)),
        ("too many", lambda: raises(IndexError, x.__getitem__, (0, 0, 0, 0))),
        ("float index", lambda: raises((IndexError, TypeError, ValueError), x.__getitem__, 1.5)),
    ])


if __name__ == "__main__":
    main(globals())
