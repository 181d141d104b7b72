"""Keyword arguments of mx.np functions in the style of MXNet 1.9.1's test_numpy_op.py (own
code): ``out=`` (same and other dtype, broadcast target, aliasing an input, wrong shape), the
NumPy ufunc options MXNet accepts (``where=True``, ``casting``, ``order``, ``dtype``, ``subok``)
and refuses, reductions with axis tuples/negative axes/keepdims/dtype/out, ``initial``, and
functions whose ``out=`` returns the given array. One test per case.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_kwargs --details
"""
import numpy as _np

import mxnet as mx
from mxnet import np
from mxnet.test_utils import use_np
from _harness import main

X = _np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype="float32")
Y = _np.array([[2.0, 1.0, -3.0], [1.5, 0.5, 2.0]], dtype="float32")
R = _np.array([1.0, 2.0, 3.0], dtype="float32")


def _eq(got, want, rtol=1e-5, dtype=None):
    assert isinstance(got, np.ndarray), "result type %s" % type(got)
    g = got.asnumpy()
    want = _np.asarray(want)
    assert g.shape == want.shape, "shape %s vs %s" % (g.shape, want.shape)
    if dtype is not None:
        assert g.dtype == _np.dtype(dtype), "dtype %s vs %s" % (g.dtype, dtype)
    _np.testing.assert_allclose(g.astype("float64"), want.astype("float64"), rtol=rtol,
                                atol=1e-6)


def _register(name, fn):
    globals()["test_" + name] = use_np(fn)


# ---- out= of unary/binary ufuncs ------------------------------------------------------------
UNARY = ["exp", "negative", "abs", "sqrt", "square", "sin", "tanh", "floor", "sign",
         "log1p", "reciprocal"]
BINARY = ["add", "subtract", "multiply", "true_divide", "maximum", "minimum", "power", "mod",
          "hypot", "arctan2", "copysign"]


def _unary_out(name, out_dtype):
    x = _np.abs(X) + 0.5
    out = np.zeros(x.shape, dtype=out_dtype)
    ret = getattr(np, name)(np.array(x), out=out)
    assert ret is out, "%s(out=) did not return out" % name
    _eq(out, getattr(_np, name)(x).astype(out_dtype), rtol=1e-2 if out_dtype == "float16"
        else 1e-5, dtype=out_dtype)


def _binary_out(name, kind):
    x, y = _np.abs(X) + 0.5, _np.abs(Y) + 0.5
    a, b = np.array(x), np.array(y)
    want = getattr(_np, name)(x, y)
    if kind == "fresh":
        out = np.zeros(x.shape)
        ret = getattr(np, name)(a, b, out=out)
    elif kind == "alias_lhs":
        out = ret = getattr(np, name)(a, b, out=a)
        out = a
    elif kind == "scalar":
        out = np.zeros(x.shape)
        ret = getattr(np, name)(a, 2.0, out=out)
        want = getattr(_np, name)(x, 2.0)
    else:  # broadcast rhs
        out = np.zeros(x.shape)
        ret = getattr(np, name)(a, np.array(_np.abs(R)), out=out)
        want = getattr(_np, name)(x, _np.abs(R))
    assert ret is out, "%s(out=) did not return out" % name
    _eq(out, want, rtol=1e-4)


for _n in UNARY:
    for _dt in ["float32", "float64", "float16"]:
        _register("unary_out_%s_%s" % (_n, _dt), lambda n=_n, d=_dt: _unary_out(n, d))
for _n in BINARY:
    for _k in ["fresh", "alias_lhs", "scalar", "broadcast"]:
        _register("binary_out_%s_%s" % (_n, _k), lambda n=_n, k=_k: _binary_out(n, k))


def _out_wrong_shape():
    a = np.array(X)
    try:
        np.add(a, a, out=np.zeros((3, 2)))
    except (ValueError, mx.base.MXNetError):
        return
    raise AssertionError("out= of the wrong shape accepted")


_register("out_wrong_shape_raises", _out_wrong_shape)


# ---- ufunc options --------------------------------------------------------------------------
OPTIONS_OK = [{"where": True}, {"casting": "same_kind"}, {"order": "K"}, {"subok": True},
              {"dtype": None}]
OPTIONS_BAD = [{"where": False}, {"casting": "unsafe"}, {"order": "C"}, {"subok": False},
               {"dtype": "float64"}]


def _option(fn_name, kw, ok):
    a, b = np.array(X), np.array(Y)
    fn = getattr(np, fn_name)
    call = (lambda: fn(a, **kw)) if fn_name in UNARY else (lambda: fn(a, b, **kw))
    if ok:
        want = getattr(_np, fn_name)(X) if fn_name in UNARY else getattr(_np, fn_name)(X, Y)
        _eq(call(), want, rtol=1e-4)
        return
    try:
        call()
    except (TypeError, ValueError, NotImplementedError, mx.base.MXNetError):
        return
    raise AssertionError("%s(**%s) accepted" % (fn_name, kw))


for _fn in ["add", "multiply", "exp", "negative", "maximum"]:
    for _i, _kw in enumerate(OPTIONS_OK):
        _register("ufunc_option_ok_%s_%s" % (_fn, list(_kw)[0]),
                  lambda f=_fn, k=_kw: _option(f, k, True))
    for _i, _kw in enumerate(OPTIONS_BAD):
        _register("ufunc_option_bad_%s_%s" % (_fn, list(_kw)[0]),
                  lambda f=_fn, k=_kw: _option(f, k, False))


# ---- reductions ------------------------------------------------------------------------------
A = _np.arange(24, dtype="float32").reshape(2, 3, 4) / 7.0 - 1.0
REDUCE = ["sum", "mean", "prod", "max", "min", "std", "var", "all", "any", "amax", "amin",
          "nansum", "nanprod", "nanmean", "nanstd", "nanvar", "nanmax", "nanmin"]
AXES = [None, 0, -1, (0, 2), (-1, -2), (), (0, 1, 2)]


def _reduce(name, axis, keep):
    fn = getattr(np, name)
    kw = {"axis": axis}
    if keep:
        kw["keepdims"] = True
    src = A if name not in ("all", "any") else A > 0
    want = getattr(_np, name)(src, **kw)
    got = fn(np.array(src), **kw)
    _eq(got, want, rtol=1e-4)


for _n in REDUCE:
    for _ax in AXES:
        for _keep in (False, True):
            _register("reduce_%s_axis%s%s" % (_n, str(_ax).replace(" ", ""),
                                              "_keep" if _keep else ""),
                      lambda n=_n, a=_ax, k=_keep: _reduce(n, a, k))


def _reduce_out(name, out_dtype):
    want = getattr(_np, name)(A, axis=1)
    out = np.zeros(want.shape, dtype=out_dtype)
    ret = getattr(np, name)(np.array(A), axis=1, out=out)
    assert ret is out, "%s(out=) did not return out" % name
    _eq(out, want.astype(out_dtype), rtol=1e-3, dtype=out_dtype)


for _n in ["sum", "mean", "prod", "max", "min", "std", "var", "amax", "argmax", "argmin"]:
    for _dt in ["float32", "float64"]:
        if _n.startswith("arg"):
            _dt = "int64"
        _register("reduce_out_%s_%s" % (_n, _dt), lambda n=_n, d=_dt: _reduce_out(n, d))


def _reduce_dtype(name, src_dtype, dtype):
    src = (A * 3).astype(src_dtype)
    want = getattr(_np, name)(src, axis=(0, 2), dtype=dtype)
    got = getattr(np, name)(np.array(src, dtype=src_dtype), axis=(0, 2), dtype=dtype)
    _eq(got, want, rtol=1e-3, dtype=dtype)


for _n in ["sum", "mean", "prod", "cumsum"]:
    for _src in ["float32", "int32", "int8", "bool"]:
        for _dt in ["float32", "float64", "int64", "int32"]:
            if _n == "cumsum":
                continue
            if _n == "mean" and _dt.startswith("int"):
                continue
            _register("reduce_dtype_%s_%s_to_%s" % (_n, _src, _dt),
                      lambda n=_n, s=_src, d=_dt: _reduce_dtype(n, s, d))


def _cum(name, axis, dtype):
    src = A[:, :, :2] + 1.5
    want = getattr(_np, name)(src, axis=axis, dtype=dtype)
    got = getattr(np, name)(np.array(src), axis=axis, dtype=dtype)
    _eq(got, want, rtol=1e-4, dtype=dtype if dtype else None)


for _n in ["cumsum", "cumprod", "nancumsum", "nancumprod"]:
    for _ax in [None, 0, 1, -1]:
        for _dt in [None, "float64", "int32"]:
            _register("cumulative_%s_axis%s_%s" % (_n, _ax, _dt),
                      lambda n=_n, a=_ax, d=_dt: _cum(n, a, d))


def _arg(name, axis, keep):
    kw = {"axis": axis}
    if keep:
        kw["keepdims"] = True
    want = getattr(_np, name)(A, **kw)
    got = getattr(np, name)(np.array(A), **kw)
    _eq(got, want)


for _n in ["argmax", "argmin", "nanargmax", "nanargmin"]:
    for _ax in [None, 0, -1, 1]:
        for _keep in (False, True):
            _register("arg_%s_axis%s%s" % (_n, _ax, "_keep" if _keep else ""),
                      lambda n=_n, a=_ax, k=_keep: _arg(n, a, k))


# ---- out= of other functions ------------------------------------------------------------------
def _func_out(label, call, ref):
    want = _np.asarray(ref())
    out = np.zeros(want.shape, dtype=want.dtype if want.dtype.kind != "f" else "float32")
    ret = call(out)
    assert ret is out, "%s(out=) did not return out" % label
    _eq(out, want, rtol=1e-4)


a3, b3 = np.array(A), np.array(A + 1)
M = _np.arange(12, dtype="float32").reshape(3, 4) / 5.0
FUNC_OUT = {
    "dot": (lambda o: np.dot(np.array(M), np.array(M.T), out=o), lambda: M.dot(M.T)),
    "matmul": (lambda o: np.matmul(np.array(M), np.array(M.T), out=o), lambda: M @ M.T),
    "clip": (lambda o: np.clip(a3, -0.5, 0.5, out=o), lambda: _np.clip(A, -0.5, 0.5)),
    "around": (lambda o: np.around(a3, 1, out=o), lambda: _np.around(A, 1)),
    "concatenate": (lambda o: np.concatenate([a3, b3], axis=1, out=o),
                    lambda: _np.concatenate([A, A + 1], axis=1)),
    "stack": (lambda o: np.stack([a3, b3], axis=0, out=o), lambda: _np.stack([A, A + 1])),
    "take": (lambda o: np.take(a3, np.array([0, 2]), axis=1, out=o),
             lambda: _np.take(A, [0, 2], axis=1)),
    "where": (lambda o: np.where(a3 > 0, a3, b3) if False else np.where(a3 > 0, a3, b3),
              lambda: _np.where(A > 0, A, A + 1)),
    "linalg_norm": (lambda o: np.linalg.norm(np.array(M)), lambda: _np.linalg.norm(M)),
    "mean_kw": (lambda o: np.mean(a3, axis=(0, 2), out=o), lambda: A.mean(axis=(0, 2))),
    "cumsum": (lambda o: np.cumsum(a3, axis=1, out=o), lambda: _np.cumsum(A, axis=1)),
    "tensordot": (lambda o: np.tensordot(a3, b3, axes=([1, 2], [1, 2])),
                  lambda: _np.tensordot(A, A + 1, axes=([1, 2], [1, 2]))),
    "einsum": (lambda o: np.einsum("ijk,ijk->i", a3, b3, out=o),
               lambda: _np.einsum("ijk,ijk->i", A, A + 1)),
    "logical_and": (lambda o: np.logical_and(a3 > 0, b3 > 1, out=o),
                    lambda: _np.logical_and(A > 0, A > 0)),
}


def _simple(label):
    call, ref = FUNC_OUT[label]
    want = _np.asarray(ref())
    if label in ("where", "linalg_norm", "tensordot"):
        _eq(call(None), want, rtol=1e-4)
        return
    if label == "logical_and":
        want = _np.logical_and(A > 0, A + 1 > 1)
        out = np.zeros(want.shape, dtype=bool)
    else:
        out = np.zeros(want.shape, dtype="float32")
    ret = call(out)
    assert ret is out, "%s(out=) did not return out" % label
    _eq(out, want, rtol=1e-4)


for _label in FUNC_OUT:
    _register("func_out_%s" % _label, lambda l=_label: _simple(l))


def _astype_copy(copy):
    a = np.array(X)
    b = a.astype("float32", copy=copy)
    assert (b is a) == (not copy), "astype(copy=%s) identity %s" % (copy, b is a)


_register("astype_copy_true", lambda: _astype_copy(True))
_register("astype_copy_false", lambda: _astype_copy(False))


if __name__ == "__main__":
    main(globals())
