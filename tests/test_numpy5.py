"""Round-5 mx.np conformance fixes (values and errors observed on MXNet 1.9.1; no MXNet needed).

Found by tools/unittest_style/check_numpy5_*.py.
"""
import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import np


@pytest.fixture(autouse=True)
def _np_mode():
    mx.npx.set_np()
    yield
    mx.npx.reset_np()


BOOLS = onp.array([[True, False, True], [False, True, True]])


@pytest.mark.parametrize("op", ["__and__", "__or__", "__xor__", "__rand__", "__ror__",
                                "__rxor__"])
@pytest.mark.parametrize("scalar", [True, False, onp.bool_(True)])
def test_bool_array_bitwise_bool_scalar_stays_bool(op, scalar):
    # MXNet 1.9.1: bool_array & True is a bool array (NumPy too)
    got = getattr(np.array(BOOLS, dtype=bool), op)(scalar)
    want = getattr(BOOLS, op)(bool(scalar))
    assert got.dtype == onp.bool_
    onp.testing.assert_array_equal(got.asnumpy(), want)


def test_bool_array_bitwise_functions_with_bool_scalar():
    a = np.array(BOOLS, dtype=bool)
    for fn in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        for args in ((a, True), (True, a)):
            got = getattr(np, fn)(*args)
            assert got.dtype == onp.bool_, fn
            onp.testing.assert_array_equal(
                got.asnumpy(), getattr(onp, fn)(*[BOOLS if x is a else x for x in args]))


def test_int_array_bitwise_int_scalar_unchanged():
    a = np.array([[1, 2, 3]], dtype="int32")
    got = a & 6
    assert got.dtype == onp.int32
    onp.testing.assert_array_equal(got.asnumpy(), [[0, 2, 2]])


@pytest.mark.parametrize("fn", ["add", "multiply", "maximum", "exp", "negative"])
@pytest.mark.parametrize("kw", [{"where": True}, {"casting": "same_kind"}, {"order": "K"},
                                {"subok": True}, {"dtype": None}])
def test_ufunc_default_options_accepted(fn, kw):
    x = onp.array([[0.5, -1.0], [2.0, 1.5]], dtype="float32")
    a = np.array(x)
    args = (a,) if fn in ("exp", "negative") else (a, a)
    got = getattr(np, fn)(*args, **kw)
    onp.testing.assert_allclose(got.asnumpy(),
                                getattr(onp, fn)(*[x for _ in args]), rtol=1e-6)


@pytest.mark.parametrize("fn", ["add", "multiply", "maximum", "exp", "negative"])
@pytest.mark.parametrize("kw", [{"where": False}, {"casting": "unsafe"}, {"order": "C"},
                                {"order": "F"}, {"subok": False}, {"dtype": "float64"}])
def test_ufunc_other_option_values_not_implemented(fn, kw):
    # MXNet 1.9.1: NotImplementedError "order=C is not implemented yet for operator exp"
    a = np.ones((2, 2))
    args = (a,) if fn in ("exp", "negative") else (a, a)
    key, value = next(iter(kw.items()))
    with pytest.raises(NotImplementedError, match="%s=%s is not implemented" % (key, value)):
        getattr(np, fn)(*args, **kw)


@pytest.mark.parametrize("fn", ["add", "exp"])
@pytest.mark.parametrize("key", ["foo", "signature", "extobj"])
def test_ufunc_unknown_keyword_type_error(fn, key):
    a = np.ones((2,))
    args = (a,) if fn == "exp" else (a, a)
    with pytest.raises(TypeError, match="%s is an invalid keyword to function '%s'" % (key, fn)):
        getattr(np, fn)(*args, **{key: None})


def test_constraint_check_passes_true_bool_input():
    out = mx.npx.constraint_check(np.array([True, True], dtype=bool), "msg")
    assert out.dtype == onp.bool_ and out.shape == () and bool(out)


def test_constraint_check_false_element_is_value_error():
    # MXNet 1.9.1 raises ValueError (from its "ValueError: Check failed ... : msg")
    with pytest.raises(ValueError, match="value out of range"):
        mx.npx.constraint_check(np.array([True, False], dtype=bool), "value out of range")
    with pytest.raises(mx.base.MXNetError, match="value out of range"):
        mx.npx.constraint_check(np.array([[False]], dtype=bool), "value out of range")


def test_constraint_check_false_element_recording_and_hybridized():
    x = np.array([True, False], dtype=bool)
    with pytest.raises(ValueError, match="bad"):
        with mx.autograd.record():
            mx.npx.constraint_check(x, "bad")

    class Check(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, data):
            return F.npx.constraint_check(data, "bad")
    block = Check()
    block.hybridize()
    assert bool(block(np.array([True, True], dtype=bool)))
    with pytest.raises(ValueError, match="bad"):
        block(x)


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8"])
def test_constraint_check_refuses_non_bool_input(dtype):
    with pytest.raises(mx.base.MXNetError, match="constraint_check: input must be a bool"):
        mx.npx.constraint_check(np.ones((2,), dtype=dtype), "msg")


class _DenseThenIndex(mx.gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        with self.name_scope():
            self.dense = mx.gluon.nn.Dense(3, flatten=False)
            self.seq = mx.gluon.nn.HybridSequential()
            self.seq.add(mx.gluon.nn.Dense(3, flatten=False), mx.gluon.nn.Activation("relu"))

    def hybrid_forward(self, F, x):
        h = self.dense(x)
        g = self.seq(x)
        # NumPy indexing of child-block outputs: (2, 2, 3) + (2, 3)
        return h[:, 1:, ::-1] * 2 + h[0, 1:] + g[-1, :2]


def test_child_block_outputs_are_np_symbols_when_traced():
    # MXNet 1.9.1's layers trace npx ops under set_np(), so child outputs index like mx.np
    net = _DenseThenIndex()
    net.initialize()
    x = np.array(onp.random.RandomState(0).uniform(-1, 1, (2, 3, 4)).astype("float32"))
    want = net(x).asnumpy()
    net.hybridize()
    got = net(x)
    assert isinstance(got, np.ndarray) and got.shape == (2, 2, 3)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6, atol=1e-6)
    sym = net(mx.sym.var("data").as_np_ndarray())
    assert isinstance(sym, mx.sym.np._Symbol)


class _Norm(mx.gluon.HybridBlock):
    def __init__(self, ord_, axis):
        super().__init__()
        self._ord, self._axis = ord_, axis

    def hybrid_forward(self, F, x):
        return F.np.linalg.norm(x, ord=self._ord, axis=self._axis)


@pytest.mark.parametrize("ord_,axis,want", [
    (onp.inf, 1, [3.0, 4.0]), (-onp.inf, 0, [0.5, 3.0, 1.0]), (onp.inf, (0, 1), 6.0),
    (-onp.inf, (0, 1), 5.5), (1, 1, [6.0, 5.5])])
def test_norm_infinite_ord_hybridized_equals_imperative(ord_, axis, want):
    # the graph keeps ord=inf as the string 'inf'; it must read back as a number
    x = np.array([[1.0, -3.0, 2.0], [0.5, 4.0, -1.0]])
    block = _Norm(ord_, axis)
    onp.testing.assert_allclose(block(x).asnumpy(), want, rtol=1e-6)
    block.hybridize()
    onp.testing.assert_allclose(block(x).asnumpy(), want, rtol=1e-6)
    onp.testing.assert_allclose(block(x).asnumpy(), onp.linalg.norm(x.asnumpy(), ord_, axis),
                                rtol=1e-6)


def test_dispatch_protocol_lists_are_mxnet_1_9_1s():
    # MXNet 1.9.1's interoperability test runs one registered workload per listed name, so the
    # lists name exactly 1.9.1's functions (minus those the running NumPy lacks)
    from mxtorch import numpy_dispatch_protocol as dp
    funcs, ufuncs = dp._NUMPY_ARRAY_FUNCTION_LIST, dp._NUMPY_ARRAY_UFUNC_LIST
    assert len(dp._FUNCTION_NAMES_1_9_1) == 105 and len(dp._UFUNC_NAMES_1_9_1) == 57
    assert {"linalg.norm", "linalg.tensorsolve", "isnan", "shares_memory", "unique",
            "may_share_memory", "bincount"} <= set(funcs)
    assert "allclose" not in funcs and "arange" not in funcs and "array" not in funcs
    assert {"matmul", "true_divide", "lcm", "remainder"} <= set(ufuncs)
    assert "logical_and" not in ufuncs and "divide" not in ufuncs
    for name in funcs + ufuncs:
        obj = onp
        for part in name.split("."):
            obj = getattr(obj, part)
        assert callable(obj), name


def test_dispatch_reaches_mx_np_for_unlisted_functions_too():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = onp.allclose(x, x)
    assert bool(got)
    out = onp.linalg.inv(x)
    assert isinstance(out, np.ndarray)
    onp.testing.assert_allclose(out.asnumpy(), onp.linalg.inv(x.asnumpy()), rtol=1e-5)


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "int8"])
@pytest.mark.parametrize("minlength", [0, 5])
def test_bincount_counts_in_input_dtype(dtype, minlength):
    # MXNet 1.9.1: counts have the input's dtype; weighted sums the weights' dtype
    x = np.array([1, 2, 2, 0], dtype=dtype)
    got = np.bincount(x, minlength=minlength)
    assert got.dtype == onp.dtype(dtype)
    onp.testing.assert_array_equal(got.asnumpy(), [1, 1, 2] + [0] * max(0, minlength - 3))
    for wdt in ("float32", "float64"):
        w = np.bincount(x, weights=np.array([1.0, 2.0, 3.0, 4.0], dtype=wdt))
        assert w.dtype == onp.dtype(wdt)
        onp.testing.assert_allclose(w.asnumpy(), [4.0, 1.0, 5.0])


def test_bincount_hybridized_dtype():
    class Count(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.np.bincount(x, minlength=5)
    block = Count()
    block.hybridize()
    got = block(np.array([1, 2, 2, 0], dtype="int32"))
    assert got.dtype == onp.int32
    onp.testing.assert_array_equal(got.asnumpy(), [1, 1, 2, 0, 0])


def test_searchsorted_python_scalar_gives_numpy_int64():
    got = np.searchsorted(np.array([1.0, 2.0, 3.0]), 2.0, side="right")
    assert type(got) is onp.int64 and got == 2
    got = np.searchsorted(np.array([1.0, 2.0, 3.0]), [2.5, 0.0])
    assert isinstance(got, np.ndarray)
    onp.testing.assert_array_equal(got.asnumpy(), [2, 0])


@pytest.mark.parametrize("value,dtype", [
    (onp.array([1.0, 2.0]), "float64"), (onp.array([1, 2], dtype="int32"), "int32"),
    (onp.array([1.0, 2.0], dtype="float16"), "float16"), ([1.0, 2.0], "float32")])
@pytest.mark.parametrize("hybridize", [False, True])
def test_np_mode_constant_keeps_numpy_value_dtype(value, dtype, hybridize):
    # MXNet 1.9.1 under set_np(): get_constant(name, numpy_value) keeps the value's dtype
    class Const(mx.gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.c = self.params.get_constant("c", value)

        def hybrid_forward(self, F, x, c):
            return x + c
    block = Const()
    block.initialize()
    if hybridize:
        block.hybridize()
    assert onp.dtype(block.c.dtype) == onp.dtype(dtype)
    out = block(np.ones((2,), dtype=dtype))
    assert out.dtype == onp.dtype(dtype)
    onp.testing.assert_allclose(out.asnumpy(), [2.0, 3.0])


def test_legacy_mode_constant_stays_float32():
    mx.npx.reset_np()
    c = mx.gluon.Constant("c", onp.array([1.0, 2.0]))
    assert onp.dtype(c.dtype) == onp.float32


@pytest.mark.parametrize("key,shape,values", [
    (True, (1, 2, 3), [0, 1, 2, 3, 4, 5]), (False, (0, 2, 3), []),
    (onp.bool_(True), (1, 2, 3), [0, 1, 2, 3, 4, 5]),
    ((True, 0), (1, 3), [0, 1, 2]), ((0, True), (1, 3), [0, 1, 2]),
    ((Ellipsis, True), (2, 3, 1), [0, 1, 2, 3, 4, 5]),
    ((slice(None), True, 1), (2, 1), [1, 4]), ((False, slice(1, None)), (0, 1, 3), []),
    ((Ellipsis, False), (2, 3, 0), [])])
def test_scalar_bool_index_adds_an_axis(key, shape, values):
    # x[True] is x[None] and x[False] an empty new axis (MXNet 1.9.1 and NumPy for the plain
    # forms; tuples follow NumPy, which 1.9.1 gets wrong for (True, 0) and (..., True))
    x = np.arange(6.0).reshape(2, 3)
    got = x[key]
    assert got.shape == shape
    assert got.shape == onp.arange(6.0).reshape(2, 3)[key].shape
    onp.testing.assert_array_equal(got.asnumpy().ravel(), values)


def test_scalar_bool_index_of_zero_dim_array():
    y = np.array(5.0)
    assert y[True].shape == (1,) and float(y[True][0]) == 5.0
    assert y[False].shape == (0,)
    with pytest.raises(IndexError):
        y[None]  # as MXNet 1.9.1: a 0-d array takes () only
