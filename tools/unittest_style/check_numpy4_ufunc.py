"""mx.np element-wise functions and reductions in the style of MXNet 1.9.1's test_numpy_op.py
(own code): every unary/binary ufunc over 0-d, zero-size and broadcast shapes, float/int/bool
dtypes, scalar operands, hybridized and not, gradients against NumPy central differences.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy4_ufunc --details
"""
import functools

from check_numpy4_base import (SHAPES, FLOATS, INTS, make, run_case, run_all, mx, np, _np)
from mxnet.test_utils import use_np
from _harness import main

# name: (low, high, has_gradient, accepts ints)
UNARY = {
    "abs": (-2, 2, True, True), "absolute": (-2, 2, True, True), "fabs": (-2, 2, True, True),
    "negative": (-2, 2, True, True), 
    "sign": (-2, 2, True, True), "square": (-2, 2, True, True), "sqrt": (0.5, 3, True, True),
    "cbrt": (0.5, 3, True, True), "exp": (-2, 2, True, True), "expm1": (-2, 2, True, True),
    "log": (0.5, 3, True, True), "log2": (0.5, 3, True, True), "log10": (0.5, 3, True, True),
    "log1p": (0.2, 3, True, True), "sin": (-2, 2, True, True), "cos": (-2, 2, True, True),
    "tan": (-1, 1, True, True), "arcsin": (-0.9, 0.9, True, False),
    "arccos": (-0.9, 0.9, True, False), "arctan": (-2, 2, True, True),
    "sinh": (-2, 2, True, True), "cosh": (-2, 2, True, True), "tanh": (-2, 2, True, True),
    "arcsinh": (-2, 2, True, True), "arccosh": (1.2, 3, True, True),
    "arctanh": (-0.9, 0.9, True, False), "degrees": (-2, 2, True, True),
    "radians": (-2, 2, True, True), "deg2rad": (-2, 2, True, True),
    "rad2deg": (-2, 2, True, True), "reciprocal": (0.5, 3, True, False),
    "floor": (-3, 3, False, True), "ceil": (-3, 3, False, True), "trunc": (-3, 3, False, True),
    "rint": (-3, 3, False, True), "fix": (-3, 3, False, True), "around": (-3, 3, False, True),
    "round": (-3, 3, False, True), "isnan": (-2, 2, False, True),
    "isinf": (-2, 2, False, True), "isfinite": (-2, 2, False, True),
    "isposinf": (-2, 2, False, True), "isneginf": (-2, 2, False, True),
    "logical_not": (-2, 2, False, True),
    "invert": (-5, 5, False, True), "bitwise_not": (-5, 5, False, True),
    
}
INT_ONLY = {"invert", "bitwise_not"}


def _unary_cases(name):
    low, high, grad, ints = UNARY[name]
    ref = getattr(_np, name)
    cases = []
    dtypes = INTS + ["bool"] if name in INT_ONLY else FLOATS + (INTS if ints else [])
    for dt in dtypes:
        for shape in SHAPES:
            x = make(shape, dt, low, high)
            cases.append(("%s %s%s" % (name, dt, shape),
                          functools.partial(run_case, name, [x], ref)))
    if grad:
        for shape in [(3,), (2, 3)]:
            x = make(shape, "float64", low, high)
            cases.append(("%s grad %s" % (name, shape),
                          functools.partial(run_case, name, [x], ref, grad=True)))
    return cases


def _make_unary(name):
    @use_np
    def test():
        run_all(_unary_cases(name))
    test.__name__ = "test_np_unary_" + name
    return test


for _name in UNARY:
    globals()["test_np_unary_" + _name] = _make_unary(_name)

# name: (low, high, gradient, ints accepted, positive rhs needed)
BINARY = {
    "add": (-2, 2, True, True), "subtract": (-2, 2, True, True),
    "multiply": (-2, 2, True, True), "true_divide": (0.5, 2, True, True),
    "divide": (0.5, 2, True, True), "mod": (0.5, 3, True, True),
    "remainder": (0.5, 3, True, True), "power": (0.5, 2, True, True),
    "maximum": (-2, 2, True, True), "minimum": (-2, 2, True, True),
    "hypot": (-2, 2, True, True), "arctan2": (-2, 2, True, False),
    "copysign": (-2, 2, True, False), "equal": (-2, 2, False, True),
    "not_equal": (-2, 2, False, True), "greater": (-2, 2, False, True),
    "greater_equal": (-2, 2, False, True), "less": (-2, 2, False, True),
    "less_equal": (-2, 2, False, True),
    
    "bitwise_and": (0, 7, False, True), "bitwise_or": (0, 7, False, True),
    "bitwise_xor": (0, 7, False, True), "lcm": (1, 9, False, True),
    "ldexp": (-2, 2, False, False),
    
    
}
BITWISE = {"bitwise_and", "bitwise_or", "bitwise_xor", "lcm"}
PAIRS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1, 4), (3, 1)), ((), (2, 3)), ((0, 3), (3,)),
         ((2, 3), ()), ((1,), (0,))]


def _binary_cases(name):
    low, high, grad, ints = BINARY[name]
    if not hasattr(np, name):
        return [(name, functools.partial(_missing, name))]
    ref = getattr(_np, name)
    cases = []
    dtypes = ["int32", "int64", "uint8", "int8", "bool"] if name in BITWISE else \
        FLOATS + (["int32", "int64"] if ints else [])
    for dt in dtypes:
        for sa, sb in PAIRS:
            a, b = make(sa, dt, low, high), make(sb, dt, low, high)
            if name == "ldexp":
                b = make(sb, "int32", -2, 2)
            cases.append(("%s %s %s,%s" % (name, dt, sa, sb),
                          functools.partial(run_case, name, [a, b], ref)))
    if grad:
        for sa, sb in [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3))]:
            a, b = make(sa, "float64", low, high), make(sb, "float64", low, high)
            if name in ("maximum", "minimum"):
                b = a[..., :1] * 0 + make(sb, "float64", low, high) + 0.05
            cases.append(("%s grad %s,%s" % (name, sa, sb),
                          functools.partial(run_case, name, [a, b], ref, grad=True)))
    return cases


def _missing(name):
    raise AssertionError("mx.np has no %s" % name)


def _make_binary(name):
    @use_np
    def test():
        run_all(_binary_cases(name))
    test.__name__ = "test_np_binary_" + name
    return test


for _name in BINARY:
    globals()["test_np_binary_" + _name] = _make_binary(_name)


def _scalar_case(name, x, scalar, reverse):
    arr = np.array(x, dtype=x.dtype)
    got = getattr(np, name)(scalar, arr) if reverse else getattr(np, name)(arr, scalar)
    want = getattr(_np, name)(scalar, x) if reverse else getattr(_np, name)(x, scalar)
    kinds = {want.dtype.kind, "f"} if want.dtype.kind == "f" else {want.dtype.kind}
    if want.dtype.kind in "iu":
        kinds |= {"i", "u"}
    assert got.dtype.kind in kinds, "%s dtype %s vs NumPy %s" % (name, got.dtype, want.dtype)
    _np.testing.assert_allclose(got.asnumpy().astype("float64"), want.astype("float64"),
                                rtol=1e-3, atol=1e-4)


@use_np
def test_np_binary_scalar_operands():
    cases = []
    for name in ["add", "subtract", "multiply", "true_divide", "mod", "power", "maximum",
                 "minimum", "equal", "greater", "less_equal", "hypot", "arctan2", "copysign"]:
        for dt in ["float32", "float16", "int32", "int64", "bool"]:
            if dt == "bool" and name in ("subtract", "true_divide", "mod", "power"):
                continue
            x = make((2, 3), dt, 1, 3)
            for scalar in [2, 1.5, True]:
                for rev in (False, True):
                    cases.append(("%s %s %r rev=%s" % (name, dt, scalar, rev),
                                  functools.partial(_scalar_case, name, x, scalar, rev)))
    run_all(cases)


REDUCE = ["sum", "prod", "mean", "max", "min", "amax", "amin", "std", "var", "all", "any",
          "argmax", "argmin", "average", "cumsum"]
GRAD_REDUCE = {"sum", "prod", "mean", "max", "min", "std", "var", "cumsum", "average"}


def _reduce_cases(name):
    if not hasattr(np, name) or not hasattr(_np, name):
        return [(name, functools.partial(_missing, name))]
    ref = getattr(_np, name)
    cases = []
    single_axis = name in ("argmax", "argmin", "cumsum", "nancumsum", "count_nonzero",
                           "ptp", "median", "average")
    axes = [None, 0, -1] + ([] if single_axis else [(0, 2), ()])
    for dt in ["float32", "float64", "float16", "int32", "int64", "bool"]:
        for shape in [(2, 3, 4), (), (0, 3, 2)]:
            for axis in axes if len(shape) == 3 else [None]:
                for keep in ([False, True] if name not in ("argmax", "argmin", "cumsum",
                                                           "nancumsum", "average") else [False]):
                    x = make(shape, dt, -2, 2)
                    kw = {"axis": axis}
                    if keep:
                        kw["keepdims"] = True
                    if name in ("std", "var", "mean", "average") and (dt == "bool" or (
                            x.size == 0 and dt.startswith("int"))):
                        continue  # MXNet 1.9.1 dies (SIGFPE) on zero-size integer input
                    if name in ("argmax", "argmin", "max", "min", "amax", "amin", "ptp",
                                "median") and x.size == 0:
                        continue
                    cases.append(("%s %s%s %s" % (name, dt, shape, kw),
                                  functools.partial(run_case, name, [x],
                                                    functools.partial(ref, **kw), kw)))
    if name in GRAD_REDUCE:
        for axis in [None, 1, (0, 2)] if not single_axis and name != "cumsum" else [None, 1]:
            x = make((2, 3, 2), "float64", 0.5, 2)
            kw = {"axis": axis}
            cases.append(("%s grad axis=%s" % (name, axis),
                          functools.partial(run_case, name, [x], functools.partial(ref, **kw),
                                            kw, grad=True)))
    return cases


def _make_reduce(name):
    @use_np
    def test():
        run_all(_reduce_cases(name))
    test.__name__ = "test_np_reduce_" + name
    return test


for _name in REDUCE:
    globals()["test_np_reduce_" + _name] = _make_reduce(_name)


@use_np
def test_np_reduce_dtype_and_ddof():
    cases = []
    x = make((3, 4), "float32", -2, 2)
    xi = make((3, 4), "int32", -2, 2)
    for name in ["sum", "prod", "mean", "cumsum"]:
        for dt in ["float64", "float32", "int64", "float16"]:
            for arr in (x, xi):
                kw = {"axis": 1, "dtype": dt}
                cases.append(("%s %s dtype=%s" % (name, arr.dtype, dt),
                              functools.partial(run_case, name, [arr],
                                                functools.partial(getattr(_np, name), **kw), kw,
                                                exact_dtype=True)))
    for name in ["std", "var"]:
        for ddof in [0, 1, 2]:
            kw = {"axis": 0, "ddof": ddof}
            cases.append(("%s ddof=%d" % (name, ddof),
                          functools.partial(run_case, name, [x],
                                            functools.partial(getattr(_np, name), **kw), kw)))
    kw = {"initial": 2.0}
    for name in ["sum", "prod", "max", "min"]:
        cases.append(("%s initial" % name,
                      functools.partial(run_case, name, [x],
                                        functools.partial(getattr(_np, name), **kw), kw,
                                        hybrid=(False,))))
    w = make((4,), "float32", 0.5, 2)
    cases.append(("average weights", functools.partial(
        run_case, "average", [x], lambda a: _np.average(a, axis=1, weights=w),
        {"axis": 1, "weights": np.array(w)}, hybrid=(False,))))
    run_all(cases)


if __name__ == "__main__":
    main(globals())
