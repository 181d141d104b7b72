"""mx.np.ndarray methods and attributes with the keyword combinations of MXNet 1.9.1's
test_numpy_ndarray.py (own code), compared with the same method of a NumPy array; one test
per call. Also operators between mx.np arrays and NumPy arrays / 0-d arrays / lists.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_methods --details
"""
import numpy as _np

import mxnet as mx
from mxnet import np
from mxnet.test_utils import use_np
from _harness import main

X = _np.random.RandomState(7).uniform(-2, 2, (2, 3, 4)).astype("float32")
XI = _np.random.RandomState(8).randint(-5, 6, (2, 3, 4)).astype("int32")

# label: (source array, method, args, kwargs)
CALLS = {
    "sum_axis_keep": (X, "sum", (), {"axis": (0, 2), "keepdims": True}),
    "sum_dtype": (XI, "sum", (), {"axis": 1, "dtype": "float64"}),
    "mean_axis": (X, "mean", (), {"axis": -1}),
    "mean_keep": (X, "mean", (1,), {"keepdims": True}),
    "std_ddof": (X, "std", (), {"axis": 0, "ddof": 1}),
    "var_axis": (X, "var", (), {"axis": (1, 2)}),
    "max_axis": (X, "max", (), {"axis": 1, "keepdims": True}),
    "min_all": (X, "min", (), {}),
    "prod_axis": (X, "prod", (), {"axis": 2}),
    "argmax_axis": (X, "argmax", (), {"axis": 2}),
    "argmin_none": (X, "argmin", (), {}),
    "argsort": (X, "argsort", (), {"axis": 1}),
    "sort": (X, "sort", (), {"axis": -1}),
    "cumsum": (X, "cumsum", (), {"axis": 0}),
    "clip": (X, "clip", (-1, 1), {}),
    "clip_kw": (X, "clip", (), {"min": -0.5, "max": 0.5}),
    "round": (X, "round", (), {"decimals": 1}),
    "reshape_tuple": (X, "reshape", ((4, 6),), {}),
    "reshape_args": (X, "reshape", (4, -1), {}),
    "reshape_order": (X, "reshape", ((6, 4),), {"order": "C"}),
    "transpose_none": (X, "transpose", (), {}),
    "transpose_args": (X, "transpose", (2, 0, 1), {}),
    "transpose_tuple": (X, "transpose", ((1, 0, 2),), {}),
    "swapaxes": (X, "swapaxes", (0, 2), {}),
    "flatten": (X, "flatten", (), {}),
    "ravel": (X, "ravel", (), {}),
    "squeeze": (X[:1], "squeeze", (), {"axis": 0}),
    "repeat": (X, "repeat", (2,), {"axis": 1}),
    "tile_free": (X, "copy", (), {}),
    "astype_int": (X, "astype", ("int32",), {}),
    "astype_bool": (X, "astype", (bool,), {}),
    "astype_np_type": (XI, "astype", (_np.float64,), {}),
    "dot": (X[0], "dot", (X[0].T,), {}),
    "take": (X, "take", (_np.array([2, 0]),), {"axis": 2}),
    "nonzero": (XI, "nonzero", (), {}),
    "all_axis": (XI, "all", (), {"axis": 1}),
    "any": (XI, "any", (), {}),
    "diagonal": (X, "diagonal", (), {"axis1": 1, "axis2": 2}),
    "tolist": (XI[0], "tolist", (), {}),
    "item_index": (X, "item", (5,), {}),
    "item_tuple": (X, "item", ((1, 2, 3),), {}),
    "trace": (X[0], "trace", (), {}),
    "cumsum_none": (XI, "cumsum", (), {}),
}


def _to_mx(v):
    return np.array(v, dtype=v.dtype) if isinstance(v, _np.ndarray) else v


def _call(label):
    src, meth, args, kwargs = CALLS[label]
    want = getattr(src, meth)(*args, **kwargs)
    got = getattr(np.array(src, dtype=src.dtype), meth)(*[_to_mx(a) for a in args], **kwargs)
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), type(got)
        for g, w in zip(got, want):
            _np.testing.assert_array_equal(g.asnumpy(), w)
        return
    if isinstance(want, (list, float, int)):
        assert type(got) is type(want), "%s vs %s" % (type(got), type(want))
        _np.testing.assert_allclose(_np.array(got), _np.array(want), rtol=1e-5)
        return
    assert isinstance(got, np.ndarray), type(got)
    g = got.asnumpy()
    assert g.shape == want.shape, "shape %s vs %s" % (g.shape, want.shape)
    assert g.dtype.kind == want.dtype.kind or (g.dtype.kind in "iu" and want.dtype.kind in "iu"), \
        "dtype %s vs %s" % (g.dtype, want.dtype)
    _np.testing.assert_allclose(g.astype("float64"), want.astype("float64"), rtol=1e-4,
                                atol=1e-5)


for _label in CALLS:
    globals()["test_method_%s" % _label] = use_np(lambda l=_label: _call(l))


ATTRS = ["shape", "ndim", "size", "dtype", "T", "itemsize", "nbytes"]


def _attr(name):
    a = np.array(X)
    got, want = getattr(a, name), getattr(X, name)
    if name == "T":
        _np.testing.assert_array_equal(got.asnumpy(), want)
    else:
        assert got == want, "%s: %r vs %r" % (name, got, want)


for _name in ATTRS:
    globals()["test_attr_%s" % _name] = use_np(lambda n=_name: _attr(n))


# operators between an mx.np array and other operand kinds
OTHERS = {"zero_dim_mx": lambda: np.array(2.0), "list": lambda: [1.0, 2.0, 3.0, 4.0],
          "zero_dim_onp": lambda: _np.array(2.0, dtype="float32"),
          "tuple": lambda: (1.0, 2.0, 3.0, 4.0)}
BINOPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - b,
          "lt": lambda a, b: a < b, "eq": lambda a, b: a == b, "pow": lambda a, b: a ** b}


def _mixed(opname, other, reverse):
    a = np.array(_np.abs(X) + 0.5)
    o = OTHERS[other]()
    ref_o = o.asnumpy() if isinstance(o, np.ndarray) else _np.asarray(o, dtype="float32")
    fn = BINOPS[opname]
    got = fn(o, a) if reverse else fn(a, o)
    want = fn(ref_o, _np.abs(X) + 0.5) if reverse else fn(_np.abs(X) + 0.5, ref_o)
    assert isinstance(got, np.ndarray), type(got)
    _np.testing.assert_allclose(got.asnumpy().astype("float64"), want.astype("float64"),
                                rtol=1e-4)


for _op in BINOPS:
    for _o in OTHERS:
        for _r in (False, True):
            if _o in ("list", "tuple", "zero_dim_onp") and _r:
                continue  # NumPy/list on the left: NumPy's own operator runs
            globals()["test_mixed_%s_%s%s" % (_op, _o, "_rev" if _r else "")] = use_np(
                lambda p=_op, o=_o, r=_r: _mixed(p, o, r))


def _bool_scalar_index(key):
    x = _np.arange(6.0).reshape(2, 3)
    got = np.array(x)[key]
    want = x[key]
    assert got.shape == want.shape, "x[%r]: shape %s vs %s" % (key, got.shape, want.shape)
    _np.testing.assert_array_equal(got.asnumpy(), want)


for _i, _key in enumerate([True, False, _np.bool_(True), (True, 0), (0, True), (Ellipsis, True),
                           (slice(None), True, 1)]):
    globals()["test_bool_scalar_index_%d" % _i] = use_np(lambda k=_key: _bool_scalar_index(k))


def _legacy_nd_operand():
    a = np.ones((2,))
    try:
        a + mx.nd.ones((2,))
    except TypeError:
        return
    raise AssertionError("mx.np + mx.nd accepted")


globals()["test_legacy_nd_operand_raises"] = use_np(_legacy_nd_operand)


if __name__ == "__main__":
    main(globals())
