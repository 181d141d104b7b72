"""Official NumPy functions called on mx.np arrays, in the style of MXNet 1.9.1's
test_numpy_interoperability.py (own code): every function of 1.9.1's __array_function__ list and
every ufunc of its __array_ufunc__ list dispatches to mx.np (the result is an mx.np.ndarray)
and gives NumPy's values.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy4_interop --details
"""
import functools

import numpy as onp

from check_numpy4_base import run_all, mx, np
from mxnet.test_utils import use_np
from _harness import main

rng = onp.random.RandomState(3)
A = rng.uniform(-1, 1, (2, 3)).astype("float32")
B = rng.uniform(0.5, 2, (2, 3)).astype("float32")
V = rng.uniform(-1, 1, (3,)).astype("float32")
SQ = (rng.uniform(-1, 1, (3, 3)) + 3 * onp.eye(3)).astype("float32")
SPD = (SQ.dot(SQ.T) + onp.eye(3)).astype("float32")
I = onp.array([[3, 1, 2], [0, 2, 2]], dtype="int32")
NAN = onp.array([1.0, onp.nan, onp.inf, -onp.inf], dtype="float32")

# function: (positional args, keyword args); arrays are passed as mx.np arrays
CALLS = {
    "all": ((A > 0,), {}), "any": ((A > 0,), {"axis": 1}), "sometrue": ((A > 0,), {}),
    "argmin": ((A,), {"axis": 1}), "argmax": ((A,), {}), "around": ((A * 10,), {}),
    "round": ((A * 10,), {"decimals": 1}), "round_": ((A,), {}), "argsort": ((A,), {}),
    "sort": ((A,), {"axis": 0}), "append": ((A, B), {"axis": 0}),
    "broadcast_arrays": ((A, V), {}), "broadcast_to": ((V, (2, 3)), {}),
    "clip": ((A, -0.5, 0.5), {}), "concatenate": (([A, B],), {"axis": 1}), "copy": ((A,), {}),
    "cumsum": ((A,), {"axis": 1}), "diag": ((SQ,), {}), "diagonal": ((SQ,), {"offset": 1}),
    "diagflat": ((V,), {}), "dot": ((A, B.T), {}), "expand_dims": ((A, 1), {}),
    "fix": ((A * 3,), {}), "flip": ((A,), {"axis": 1}), "flipud": ((A,), {}),
    "fliplr": ((A,), {}), "inner": ((A, B), {}), "insert": ((V, 1, 5.0), {}),
    "max": ((A,), {"axis": 0}), "amax": ((A,), {}), "mean": ((A,), {"axis": 1}),
    "min": ((A,), {}), "amin": ((A,), {"axis": 1, "keepdims": True}), "nonzero": ((I,), {}),
    "ones_like": ((A,), {}), "atleast_1d": ((V,), {}), "atleast_2d": ((V,), {}),
    "atleast_3d": ((A,), {}), "prod": ((B,), {"axis": 0}), "product": ((B,), {}),
    "ravel": ((A,), {}), "repeat": ((A, 2), {"axis": 1}), "reshape": ((A, (3, 2)), {}),
    "roll": ((A, 1), {"axis": 1}), "split": ((A, 3), {"axis": 1}),
    "array_split": ((V, 2), {}), "hsplit": ((A, 3), {}), "vsplit": ((A, 2), {}),
    "dsplit": ((A.reshape(1, 2, 3), 3), {}), "squeeze": ((A.reshape(1, 2, 3),), {}),
    "stack": (([A, B],), {"axis": 2}), "std": ((A,), {"axis": 0}), "sum": ((A,), {}),
    "swapaxes": ((A, 0, 1), {}), "take": ((A, onp.array([0, 2], dtype="int32")), {"axis": 1}),
    "tensordot": ((A, B, 2), {}), "tile": ((V, 2), {}), "transpose": ((A,), {}),
    "unique": ((I,), {}), "unravel_index": ((onp.array([3, 5], dtype="int64"), (2, 3)), {}),
    "diag_indices_from": ((SQ,), {}), "delete": ((V, 1), {}), "var": ((A,), {"ddof": 1}),
    "vdot": ((A, B), {}), "vstack": (([A, B],), {}), "column_stack": (([V, V],), {}),
    "hstack": (([A, B],), {}), "dstack": (([A, B],), {}), "zeros_like": ((I,), {}),
    "linalg.norm": ((A,), {"axis": 1}), "linalg.cholesky": ((SPD,), {}),
    "linalg.inv": ((SQ,), {}), "linalg.solve": ((SQ, V), {}),
    "linalg.tensorinv": ((SQ,), {"ind": 1}), "linalg.tensorsolve": ((SQ, V), {}),
    "linalg.pinv": ((A,), {}), "linalg.eigvalsh": ((SPD,), {}),
    "linalg.eigh": ((SPD,), {}), "shape": ((A,), {}), "trace": ((SQ,), {}),
    "tril": ((SQ,), {"k": -1}), "meshgrid": ((V, V[:2]), {}), "outer": ((V, V), {}),
    "einsum": (("ij,kj->ik", A, B), {}), "polyval": ((V, A), {}),
    "shares_memory": ((A, B), {}), "may_share_memory": ((A, B), {}),
    "quantile": ((A, 0.3), {"axis": 1}), "percentile": ((A, 40), {}),
    "diff": ((A,), {"axis": 1}), "ediff1d": ((A,), {}), "resize": ((A, (3, 3)), {}),
    "where": ((A > 0, A, B), {}), "full_like": ((A, 2.5), {}),
    "bincount": ((onp.array([0, 2, 2, 5], dtype="int64"),), {}),
    "empty_like": ((A,), {}), "nan_to_num": ((NAN,), {}), "isnan": ((NAN,), {}),
    "isfinite": ((NAN,), {}), "isposinf": ((NAN,), {}), "isneginf": ((NAN,), {}),
    "isinf": ((NAN,), {}), "pad": ((A, ((1, 0), (0, 2))), {}),
    "linalg.eigvals": ((SPD,), {}), "linalg.eig": ((SPD,), {}),
}
# functions whose results depend on memory identity or are not value-comparable
NO_VALUES = {"empty_like", "shares_memory", "may_share_memory", "linalg.eig", "linalg.eigh",
             "linalg.eigvals"}


def _to_mx(x):
    if isinstance(x, onp.ndarray):
        return np.array(x, dtype=x.dtype)
    if isinstance(x, list):
        return [_to_mx(v) for v in x]
    return x


# aliases NumPy 2 removed (mxtorch's NumPy): test the function they named
REMOVED_ALIASES = {"product": "prod", "round_": "round", "sometrue": "any", "alltrue": "all",
                   "cumproduct": "cumprod"}


def _fn(name):
    fn = onp
    for part in name.split("."):
        fn = getattr(fn, part) if hasattr(fn, part) else getattr(fn, REMOVED_ALIASES[part])
    return fn


def _is_mx(x):
    return isinstance(x, np.ndarray)


def _compare(got, want, name):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), \
            "%s: %r vs %d results" % (name, type(got), len(want))
        for g, w in zip(got, want):
            _compare(g, w, name)
        return
    if isinstance(want, onp.ndarray):
        assert _is_mx(got), "%s returned %s, not an mx.np.ndarray" % (name, type(got))
        g = got.asnumpy()
        assert g.shape == want.shape, "%s: shape %s vs %s" % (name, g.shape, want.shape)
        onp.testing.assert_allclose(g.astype("float64"), want.astype("float64"), rtol=1e-4,
                                    atol=1e-5, equal_nan=True, err_msg=name)
    else:
        got = got.item() if _is_mx(got) else got
        assert onp.allclose(got, want, rtol=1e-4, atol=1e-5), "%s: %r vs %r" % (name, got,
                                                                               want)


def _function_case(name):
    args, kwargs = CALLS[name]
    fn = _fn(name)
    want = fn(*args, **kwargs)
    got = fn(*[_to_mx(a) for a in args], **kwargs)
    if name in NO_VALUES:
        return
    if name in ("round_",):
        want = onp.round(*args)
    _compare(got, want, name)


def _register(prefix, names, case):
    for name in names:
        def test(name=name):
            run_all([(name, functools.partial(case, name))])
        tname = "test_%s_%s" % (prefix, name.replace(".", "_"))
        test.__name__ = tname
        globals()[tname] = use_np(test)


_register("array_function", sorted(CALLS), _function_case)

UNARY = ["abs", "fabs", "degrees", "negative", "rint", "sign", "exp", "log", "log2", "log10",
         "expm1", "sqrt", "square", "cbrt", "reciprocal", "sin", "cos", "tan", "sinh", "cosh",
         "tanh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "absolute",
         "ceil", "trunc", "floor", "logical_not", "invert", "bitwise_not"]
BINARY = ["add", "arctan2", "copysign", "hypot", "lcm", "subtract", "multiply", "true_divide",
          "power", "mod", "matmul", "remainder", "maximum", "minimum", "bitwise_and",
          "bitwise_xor", "bitwise_or", "equal", "not_equal", "less", "less_equal", "greater",
          "greater_equal"]
INT_UFUNCS = {"invert", "bitwise_not", "lcm", "bitwise_and", "bitwise_xor", "bitwise_or"}


def _ufunc_case(name):
    uf = getattr(onp, name)
    if name in INT_UFUNCS:
        args = (I,) if name in UNARY else (I, I + 1)
    elif name in ("log", "log2", "log10", "sqrt", "reciprocal", "arccosh"):
        args = (B + 1,)
    elif name in ("arcsin", "arccos", "arctanh"):
        args = (A * 0.9,)
    elif name == "matmul":
        args = (A, B.T)
    elif name in ("power", "mod", "remainder", "true_divide"):
        args = (B, B + 0.5)
    else:
        args = (A,) if name in UNARY else (A, B)
    want = uf(*args)
    got = uf(*[_to_mx(a) for a in args])
    _compare(got, want, name)
    if len(args) == 2 and name not in INT_UFUNCS and name != "matmul":
        _compare(uf(_to_mx(args[0]), 2.0), uf(args[0], onp.float32(2.0)), name + " scalar")


_register("array_ufunc", UNARY + BINARY, _ufunc_case)


@use_np
def test_interop_mixed_and_methods():
    a = np.array(A)

    def onp_and_mx_operands():
        r = onp.add(a, B)
        assert _is_mx(r)
        onp.testing.assert_allclose(r.asnumpy(), A + B, rtol=1e-6)

    def out_argument():
        out = np.zeros((2, 3))
        r = onp.add(a, np.array(B), out=out)
        assert r is out
        onp.testing.assert_allclose(out.asnumpy(), A + B, rtol=1e-6)

    def asarray_roundtrip():
        h = onp.asarray(a)
        assert isinstance(h, onp.ndarray) and h.dtype == onp.float32
        onp.testing.assert_array_equal(h, A)

    def reductions_with_keepdims():
        r = onp.sum(a, axis=0, keepdims=True)
        assert _is_mx(r) and r.shape == (1, 3)
        r = onp.mean(a, axis=(0, 1))
        onp.testing.assert_allclose(float(r), A.mean(), rtol=1e-6)

    run_all([(f.__name__, f) for f in (onp_and_mx_operands, out_argument, asarray_roundtrip,
                                       reductions_with_keepdims)])


if __name__ == "__main__":
    main(globals())
