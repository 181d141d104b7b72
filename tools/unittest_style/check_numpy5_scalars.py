"""mx.np.ndarray operators and methods with Python scalars, bools and NumPy scalars on either
side, and array creation from nested lists, NumPy arrays and mx.nd arrays of every dtype, in the
style of MXNet 1.9.1's test_numpy_ndarray.py (own code). One test per case, so run.py's gap list
names the exact operand combination.

Expected results come from official NumPy, with mx.np's documented differences applied:
a float Python scalar keeps a float array's dtype and turns an integer/bool array into float32
(MXNet's default float), an int/bool Python scalar keeps the array's dtype, and creating an array
from a Python list gives float32 (bools stay bool).

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_scalars --details
"""
import operator

import numpy as _np

import mxnet as mx
from mxnet import np
from mxnet.test_utils import use_np
from _harness import main

DTYPES = ["float16", "float32", "float64", "int8", "uint8", "int32", "int64", "bool"]
OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
       "truediv": operator.truediv, "mod": operator.mod, "pow": operator.pow,
       "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
       "gt": operator.gt, "ge": operator.ge}
BIT_OPS = {"and": operator.and_, "or": operator.or_, "xor": operator.xor}
SCALARS = {"int": 2, "float": 1.5, "bool": True, "np_int64": _np.int64(3),
           "np_float32": _np.float32(2.5), "np_float64": _np.float64(0.5),
           "np_bool": _np.bool_(True)}


def _values(dtype):
    if dtype == "bool":
        return _np.array([[True, False, True], [False, True, True]])
    return _np.array([[1, 2, 3], [4, 5, 6]], dtype=dtype)


def _weak(s):
    """The reference's scalar: NumPy < 1.24 (MXNet's) casts NumPy scalars by value like Python
    scalars, NumPy 2 does not; the Python value gives the same reference under both."""
    return s.item() if isinstance(s, _np.generic) else s


def _expect_kind(arr_dtype, scalar):
    """The dtype kind mx.np gives ``array <op> scalar`` for arithmetic ops."""
    is_float = isinstance(scalar, (float, _np.floating))
    if _np.dtype(arr_dtype).kind == "f":
        return "f"
    if is_float:
        return "f"
    if _np.dtype(arr_dtype).kind == "b" and not isinstance(scalar, (bool, _np.bool_)):
        return "iu"
    return _np.dtype(arr_dtype).kind + ("iu" if _np.dtype(arr_dtype).kind in "iu" else "")


def _scalar_case(opname, fn, dtype, sname, reverse):
    x = _values(dtype)
    s = SCALARS[sname]
    a = np.array(x, dtype=dtype)
    got = fn(s, a) if reverse else fn(a, s)
    w = _weak(s)
    want = fn(w, x) if reverse else fn(x, w)
    assert isinstance(got, np.ndarray), "result is %s, not mx.np.ndarray" % type(got)
    g = got.asnumpy()
    assert g.shape == want.shape, "shape %s vs %s" % (g.shape, want.shape)
    if opname in ("eq", "ne", "lt", "le", "gt", "ge"):
        assert g.dtype == _np.bool_, "comparison dtype %s" % g.dtype
    elif want.dtype.kind != "b":
        kinds = _expect_kind(dtype, s)
        assert g.dtype.kind in kinds, "dtype %s, expected kind %s" % (g.dtype, kinds)
        if g.dtype.kind == "f" and _np.dtype(dtype).kind == "f":
            assert g.dtype == _np.dtype(dtype), "float array dtype %s became %s" % (dtype,
                                                                                 g.dtype)
    tol = 1e-2 if "float16" in (dtype, str(g.dtype)) else 1e-5
    _np.testing.assert_allclose(g.astype("float64"), want.astype("float64"), rtol=tol,
                                atol=tol, equal_nan=True)


def _skip(opname, dtype, sname, reverse):
    if dtype == "bool" and opname in ("sub", "truediv", "mod", "pow") and \
            sname in ("bool", "np_bool"):
        return True  # NumPy itself refuses bool - bool etc.
    # scalar % int_array, scalar / int_array, scalar ** int_array: left to the array-array
    # tests of check_numpy4_ufunc
    return reverse and opname in ("mod", "truediv", "pow") and dtype != "bool" and \
        _np.dtype(dtype).kind in "iu"


def _register_scalar_tests():
    for opname, fn in OPS.items():
        for dtype in DTYPES:
            for sname in SCALARS:
                for reverse in (False, True):
                    if _skip(opname, dtype, sname, reverse):
                        continue
                    name = "test_scalar_%s_%s_%s%s" % (opname, dtype, sname,
                                                       "_rev" if reverse else "")

                    def test(o=opname, f=fn, d=dtype, s=sname, r=reverse):
                        _scalar_case(o, f, d, s, r)
                    globals()[name] = use_np(test)
    for opname, fn in BIT_OPS.items():
        for dtype in ["int32", "int64", "uint8", "bool"]:
            for sname in ("int", "bool", "np_int64", "np_bool"):
                for reverse in (False, True):
                    name = "test_scalar_%s_%s_%s%s" % (opname, dtype, sname,
                                                       "_rev" if reverse else "")

                    def test(f=fn, d=dtype, s=sname, r=reverse):
                        x = _values(d)
                        a = np.array(x, dtype=d)
                        v = SCALARS[s]
                        got = (f(v, a) if r else f(a, v)).asnumpy()
                        want = f(_weak(v), x) if r else f(x, _weak(v))
                        assert got.dtype.kind == want.dtype.kind or (
                            got.dtype.kind in "iu" and want.dtype.kind in "iu"), \
                            "dtype %s vs %s" % (got.dtype, want.dtype)
                        _np.testing.assert_array_equal(got, want)
                    globals()[name] = use_np(test)


_register_scalar_tests()


def _inplace(opname, dtype, sname):
    x = _values(dtype)
    a = np.array(x, dtype=dtype)
    s = SCALARS[sname]
    ops = {"iadd": operator.iadd, "isub": operator.isub, "imul": operator.imul,
           "itruediv": operator.itruediv, "imod": operator.imod, "ipow": operator.ipow}
    before = id(a)
    a = ops[opname](a, s)
    assert id(a) == before, "in-place operator made a new array"
    assert a.dtype == _np.dtype(dtype), "in-place changed dtype %s -> %s" % (dtype, a.dtype)
    want = ops[opname](x.astype("float64"), float(s)).astype(dtype)
    _np.testing.assert_allclose(a.asnumpy().astype("float64"), want.astype("float64"),
                                rtol=1e-2, atol=1e-2)


for _op in ["iadd", "isub", "imul", "itruediv", "imod", "ipow"]:
    for _dt in ["float16", "float32", "float64", "int32", "int64"]:
        for _s in ["int", "np_int64", "np_float32"]:
            if _dt.startswith("int") and _s == "np_float32":
                continue
            if _dt.startswith("int") and _op == "itruediv":
                continue
            globals()["test_inplace_%s_%s_%s" % (_op, _dt, _s)] = use_np(
                lambda o=_op, d=_dt, s=_s: _inplace(o, d, s))


def _unary_dunder(name, dtype):
    x = _values(dtype)
    a = np.array(x, dtype=dtype)
    fn = {"neg": operator.neg, "pos": operator.pos, "abs": abs, "invert": operator.invert}[name]
    got = fn(a).asnumpy()
    want = fn(x)
    assert got.dtype == want.dtype, "dtype %s vs %s" % (got.dtype, want.dtype)
    _np.testing.assert_array_equal(got, want)


for _name in ["neg", "pos", "abs", "invert"]:
    for _dt in DTYPES:
        if _name == "invert" and _np.dtype(_dt).kind == "f":
            continue
        if _name == "neg" and _dt == "bool":
            continue
        globals()["test_unary_%s_%s" % (_name, _dt)] = use_np(
            lambda n=_name, d=_dt: _unary_dunder(n, d))


def _conversion(kind, dtype):
    a = np.array(_values(dtype)[:1, :1].reshape(()), dtype=dtype)
    ref = _values(dtype)[:1, :1].reshape(())
    fn = {"int": int, "float": float, "bool": bool, "index": operator.index,
          "item": lambda v: v.item(), "complex": complex}[kind]
    got, want = fn(a), fn(ref)
    assert type(got) is type(want), "%s(): %s vs %s" % (kind, type(got), type(want))
    assert got == want, "%s(): %r vs %r" % (kind, got, want)


for _k in ["int", "float", "bool", "index", "item"]:
    for _dt in DTYPES:
        if _k == "index" and _np.dtype(_dt).kind == "f":
            continue
        globals()["test_convert_%s_%s" % (_k, _dt)] = use_np(
            lambda k=_k, d=_dt: _conversion(k, d))


# ---- creation ------------------------------------------------------------------------------

NESTED = {"ints": [[1, 2], [3, 4]], "floats": [[1.5, 2.0], [3.0, 4.25]],
          "bools": [[True, False], [False, True]], "mixed": [[1, 2.5], [True, 4]],
          "scalar_int": 7, "scalar_float": 2.5, "empty": [], "empty2": [[], []],
          "deep": [[[1, 2]], [[3, 4]]], "np_scalars": [_np.float32(1.5), _np.int64(2)]}


def _list_default(key):
    obj = NESTED[key]
    ref = _np.array(obj)
    if ref.dtype == _np.bool_:
        return ref
    return ref.astype("float32")


def _from_list(key, dtype):
    obj = NESTED[key]
    got = np.array(obj) if dtype is None else np.array(obj, dtype=dtype)
    want = _list_default(key) if dtype is None else _np.array(obj, dtype=dtype)
    assert isinstance(got, np.ndarray)
    assert got.shape == want.shape, "shape %s vs %s" % (got.shape, want.shape)
    assert got.dtype == want.dtype, "dtype %s vs %s" % (got.dtype, want.dtype)
    _np.testing.assert_array_equal(got.asnumpy(), want)


for _key in NESTED:
    for _dt in [None] + DTYPES:
        if _key in ("mixed", "floats", "np_scalars", "scalar_float") and _dt in (
                "int8", "uint8", "int32", "int64"):
            continue
        globals()["test_array_from_list_%s_%s" % (_key, _dt)] = use_np(
            lambda k=_key, d=_dt: _from_list(k, d))


def _from_source(src, dtype, target):
    x = _values(dtype)
    if src == "numpy":
        obj = x
    elif src == "nd":
        obj = mx.nd.array(x, dtype=dtype)
    elif src == "np":
        obj = np.array(x, dtype=dtype)
    else:  # numpy scalar
        obj = x.reshape(-1)[1]
    fn = {"array": np.array, "asarray": np.asarray}.get(target)
    if target == "array_dtype":
        got = np.array(obj, dtype="float64")
        want = _np.asarray(x if src != "scalar" else obj, dtype="float64")
    elif target == "copy":
        got = np.array(obj, copy=True)
        want = _np.asarray(x if src != "scalar" else obj)
    else:
        got = fn(obj)
        want = _np.asarray(x if src != "scalar" else obj)
    assert isinstance(got, np.ndarray), type(got)
    assert got.dtype == want.dtype, "dtype %s vs %s" % (got.dtype, want.dtype)
    _np.testing.assert_array_equal(got.asnumpy(), want)


for _src in ["numpy", "nd", "np", "scalar"]:
    for _dt in DTYPES:
        if _src == "nd" and _dt == "bool":
            continue
        for _t in ["array", "asarray", "array_dtype", "copy"]:
            globals()["test_array_from_%s_%s_%s" % (_src, _dt, _t)] = use_np(
                lambda s=_src, d=_dt, t=_t: _from_source(s, d, t))


def _creation_dtype(fn_name, dtype):
    fns = {"zeros": lambda d: np.zeros((2, 3), dtype=d), "ones": lambda d: np.ones((2, 3), d),
           "full": lambda d: np.full((2, 3), 1, dtype=d),
           "empty": lambda d: np.empty((2, 3), dtype=d),
           "eye": lambda d: np.eye(3, dtype=d), "identity": lambda d: np.identity(3, dtype=d),
           "arange": lambda d: np.arange(0, 6, dtype=d),
           "zeros_like": lambda d: np.zeros_like(np.ones((2, 3)), dtype=d),
           "ones_like": lambda d: np.ones_like(np.ones((2, 3)), dtype=d),
           "full_like": lambda d: np.full_like(np.ones((2, 3)), 1, dtype=d),
           "empty_like": lambda d: np.empty_like(np.ones((2, 3)), dtype=d),
           "linspace": lambda d: np.linspace(0, 5, 6, dtype=d)}
    got = fns[fn_name](dtype)
    want = _np.dtype(dtype if dtype is not None else "float32")  # MXNet's default float
    assert got.dtype == want, "%s dtype %s vs %s" % (fn_name, got.dtype, want)
    if fn_name not in ("empty", "empty_like"):
        assert got.asnumpy().any() or fn_name.startswith("zeros") or fn_name == "arange"


for _fn in ["zeros", "ones", "full", "empty", "eye", "identity", "arange", "zeros_like",
            "ones_like", "full_like", "empty_like", "linspace"]:
    for _dt in [None] + DTYPES:
        if _fn in ("arange", "linspace") and _dt == "bool":
            continue
        globals()["test_create_%s_%s" % (_fn, _dt)] = use_np(
            lambda f=_fn, d=_dt: _creation_dtype(f, d))


if __name__ == "__main__":
    main(globals())
