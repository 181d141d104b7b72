"""Round-4 operator conformance (MXNet 1.9.1 test_operator.py patterns): integer arithmetic
semantics and other cases found by tools/unittest_style/check_operator4_*.py.

Every expected value below was printed by MXNet 1.9.1 (CPU build); exact comparisons unless a
tolerance is stated.
"""
import numpy as np
import pytest

import mxtorch as mx

nd = mx.nd


def _vals(arr):
    return arr.asnumpy().tolist()


# ---------------------------------------------------------------- integer power (float32 math)
@pytest.mark.parametrize("call, dtype, want", [
    (lambda x: x ** -1, "int32", [1, 0, 0]),
    (lambda x: x ** 0.5, "int32", [1, 1, 1]),  # the scalar is truncated to 0 first
])
def test_int_power_scalar_truncation(call, dtype, want):
    assert _vals(call(nd.array([1, 2, 3], dtype=dtype))) == want


def test_int_power_is_float32_then_cast():
    # 3 ** 40 overflows int64 -> the int64 minimum; 16777217 is not a float32 value
    assert _vals(nd.array([2, 3, 4], dtype="int64") ** 40) == \
        [1099511627776, -9223372036854775808, -9223372036854775808]
    for dt in ("int32", "int64"):
        assert _vals(nd.array([2, 3, 16777217], dtype=dt) ** 1) == [2, 3, 16777216]
    got = nd.power(nd.array([2, 3, 16777217], dtype="int64"), nd.array([1, 1, 1], dtype="int64"))
    assert _vals(got) == [2, 3, 16777216]
    got = nd.power(nd.array([2, -3, 5], dtype="int8"), nd.array([-1, 3, 7], dtype="int8"))
    assert _vals(got) == [0, -27, 45]
    assert _vals(nd.power(2, nd.array([2, -3, 7], dtype="int8"))) == [4, 0, -128]
    got = nd.broadcast_power(nd.array([[2], [3]], dtype="uint8"),
                             nd.array([1, 5, 8], dtype="uint8"))
    assert _vals(got) == [[2, 32, 0], [3, 243, 161]]
    assert _vals(3 ** nd.array([1, 20, 21], dtype="int32")) == [3, -2147483648, -2147483648]


def test_int_power_matches_mxnet_table():
    a = [-7, -3, 1, 3, 7, 100, -128, 127]
    b = [2, -2, 3, -4, 3, 7, -1, 2]
    x, y = nd.array(a, dtype="int32"), nd.array(b, dtype="int32")
    assert _vals(nd.broadcast_power(x, y)) == [49, 0, 1, 0, 343, -2147483648, 0, 16129]
    assert _vals(x.__rpow__(3)) == [0, 0, 3, 27, 2187, -2147483648, 0, -2147483648]
    assert _vals(x.__rpow__(2.5)) == [0, 0, 2, 8, 128, -2147483648, 0, -2147483648]
    assert _vals(x.__rpow__(y)) == [0, 0, 3, -64, 2187, -2147483648, 1, -2147483648]
    x8 = nd.array(a, dtype="int8")
    assert _vals(x8.__rpow__(3)) == [0, 0, 3, 27, -117, 0, 0, 0]
    u8 = nd.array(np.abs(a), dtype="uint8")
    assert _vals(u8.__rpow__(3)) == [139, 27, 3, 27, 139, 0, 0, 0]
    x64 = nd.array(a, dtype="int64")
    assert _vals(nd.broadcast_power(x64, nd.array(b, dtype="int64")))[5] == 100000000376832


def test_int_power_symbol_door():
    s = mx.sym.Variable("a") ** mx.sym.Variable("b")
    exe = s.bind(mx.cpu(), {"a": nd.array([3, 5], dtype="int32"),
                            "b": nd.array([20, 14], dtype="int32")})
    exe.forward()
    assert _vals(exe.outputs[0]) == [-2147483648, -2147483648]


def test_float_power_unchanged():
    x = nd.array([1.5, -2.0, 4.0])
    np.testing.assert_allclose(_vals(x ** 2), [2.25, 4.0, 16.0])
    np.testing.assert_allclose(_vals(2 ** x), [2 ** 1.5, 0.25, 16.0], rtol=1e-6)


# ---------------------------------------------------------------- scalars on integer arrays
def test_int_scalar_is_c_cast_to_dtype():
    x = nd.array([0, 44, 100, 255], dtype="uint8")
    assert _vals(nd.maximum(x, -2.5)) == [254, 254, 254, 255]
    assert _vals(nd.minimum(x, 300)) == [0, 44, 44, 44]
    assert _vals(x > float("inf")) == [0, 1, 1, 1]
    assert _vals(x + 300) == [44, 88, 144, 43]
    assert _vals(x / 300) == [0, 1, 2, 5]
    assert _vals(x == 300) == [0, 1, 0, 0]
    assert _vals(x > -2.5) == [0, 0, 0, 1]
    i32 = nd.array([5, -5], dtype="int32")
    assert _vals(i32 > float("inf")) == [1, 1]
    assert _vals(i32 + float("inf")) == [-2147483643, 2147483643]
    assert _vals(nd.array([5, -5], dtype="int64") > 1e30) == [1, 1]
    assert _vals(nd.array([5, -5], dtype="int8") * 200) == [-24, 24]
    assert _vals(nd.array([5, -5], dtype="int8") == 261) == [1, 0]


def test_int_rdiv_scalar_divides_in_float():
    assert _vals(nd.array([0, 2, -3], dtype="int32").__rtruediv__(7)) == [-2147483648, 3, -2]
    assert _vals(nd.array([0, 2, -3], dtype="int8").__rtruediv__(7)) == [0, 3, -2]


def test_float_rdiv_scalar_is_true_division():
    x = np.array([-7, -3, 1, 3, 7, 100, -128, 127])
    got = nd.array(x, dtype="float32").__rtruediv__(3).asnumpy()
    assert got.tolist() == (np.float32(3) / x.astype(np.float32)).tolist()
    got = nd.array(x, dtype="float64").__rtruediv__(2.5).asnumpy()
    assert got.tolist() == (2.5 / x.astype(np.float64)).tolist()
    got = nd.array(x, dtype="float16").__rtruediv__(2.5).asnumpy()
    assert got[0] == np.float16(-0.357177734375) and got[1] == np.float16(-0.83349609375)


# ---------------------------------------------------------------- clip on integer arrays
@pytest.mark.parametrize("dtype, data, lo, hi, want", [
    ("uint8", [0, 1, 2, 5, 200, 255], -2.5, 3.5, [0, 1, 2, 3, 3, 3]),
    ("uint8", [0, 1, 2, 5, 200, 255], 1.5, 300, [1, 1, 2, 5, 200, 255]),
    ("uint8", [0, 1, 2, 5, 200, 255], -300, 2, [0, 1, 2, 2, 2, 2]),
    ("uint8", [0, 1, 2, 5, 200, 255], 2, 1, [2, 2, 1, 1, 1, 1]),
    ("int8", [-5, -1, 0, 1, 5, 127], -2.5, 3.5, [-2, -1, 0, 1, 3, 3]),
    ("int8", [-5, -1, 0, 1, 5, 127], -300, 200, [-5, -1, 0, 1, 5, 127]),
    ("int8", [-5, -1, 0, 1, 5, 127], 1.5, 2.5, [1, 1, 1, 1, 2, 2]),
])
def test_int_clip_compares_with_float_bounds(dtype, data, lo, hi, want):
    assert _vals(nd.clip(nd.array(data, dtype=dtype), lo, hi)) == want


def test_negative_list_as_unsigned_wraps():
    # NumPy 1 (MXNet's) wraps out-of-range Python ints; NumPy 2 would refuse them
    assert _vals(nd.array([-7, 3], dtype="uint8")) == [249, 3]


# ---------------------------------------------------------------- sparse storage rules
def _sparse_pair(stype):
    a = np.array([[0, 0.5, 0], [-1.0, 0, 0], [0, 0, 0], [0, 2.0, -3.0]], dtype=np.float32)
    b = np.array([[0, -0.5, 1.0], [0, 0, 0], [0, 0, 0], [4.0, 1.0, 0]], dtype=np.float32)
    return a, b, nd.array(a).tostype(stype), nd.array(b).tostype(stype)


@pytest.mark.parametrize("stype", ["csr", "row_sparse"])
@pytest.mark.parametrize("name, fn", [("_maximum", np.maximum), ("_minimum", np.minimum)])
def test_maximum_minimum_keep_sparse_stype(stype, name, fn):
    # MXNet 1.9.1: csr,csr -> csr and row_sparse,row_sparse -> row_sparse
    a, b, sa, sb = _sparse_pair(stype)
    out = getattr(nd._internal, name)(sa, sb)
    assert out.stype == stype
    np.testing.assert_array_equal(out.asnumpy(), fn(a, b))
    mixed = getattr(nd._internal, name)(sa, nd.array(b))
    assert mixed.stype == "default"
    np.testing.assert_array_equal(mixed.asnumpy(), fn(a, b))


def test_dense_only_methods_raise_mxnet_sparse_error():
    from mxtorch.base import NotSupportedError, NotSupportedForSparseNDArray
    csr = nd.array([[1, 0], [0, 2]]).tostype("csr")
    rsp = nd.array([[1, 0], [0, 2]]).tostype("row_sparse")
    for call in (lambda: csr.reshape((4,)), lambda: rsp.reshape((4,)), lambda: csr._at(0),
                 lambda: csr._slice(0, 1)):
        with pytest.raises(NotSupportedForSparseNDArray) as info:
            call()
        assert isinstance(info.value, NotSupportedError)


# ---------------------------------------------------------------- bool arrays and is_int
def test_bool_array_scalar_ops_compute_in_int64():
    b = nd.array([1, 0, 1], dtype="bool")
    cases = [(b * 2.5, [2, 0, 2]), (b + 2, [3, 2, 3]), (b - 2, [-1, -2, -1]),
             (2 - b, [1, 2, 1]), (b / 2, [0, 0, 0]), (b % 2, [1, 0, 1]), (b ** 2, [1, 0, 1]),
             (b > 2, [0, 0, 0]), (b == 2, [0, 0, 0]), (b.__rtruediv__(2), [2, -2 ** 63, 2])]
    for got, want in cases:
        assert got.dtype == np.int64, got.dtype
        assert _vals(got) == want


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool"])
def test_scalar_ops_is_int_false_compute_in_float64(dtype):
    x = nd.array([1, 2, 3] if dtype != "bool" else [1, 0, 1], dtype=dtype)
    got = nd._internal._plus_scalar(x, scalar=2.5, is_int=False)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got.asnumpy(), x.asnumpy().astype(np.float64) + 2.5)
    got = nd._internal._greater_scalar(x, scalar=1.5, is_int=False)
    assert got.dtype == np.float64
    got = nd._internal._plus_scalar(x, scalar=2.5, is_int=True)
    assert got.dtype == (np.int64 if dtype == "bool" else np.dtype(dtype))


def test_nd_maximum_with_float_scalar_keeps_int_type():
    # nd.maximum passes no is_int (MXNet's default True): the scalar is truncated
    assert _vals(nd.maximum(nd.array([1, 0], dtype="int32"), 2.5)) == [2, 2]
    got = nd.maximum(nd.array([1, 0], dtype="bool"), 2.5)
    assert got.dtype == np.int64 and _vals(got) == [2, 2]


# ---------------------------------------------------------------- creation ops
@pytest.mark.parametrize("dtype, args, want", [
    ("int32", (0, 5, 1.5), [0, 1, 2, 3]),
    ("int32", (0.5, 5, 1.5), [0, 1, 2]),
    ("int8", (2.7, -3, -1.2), [2, 1, 0, -1, -2]),
    ("uint8", (2.7, -3, -1.2), [2, 1, 0, 255, 254]),
    ("int64", (-2.5, 3, 0.7), [-2] * 8),
    ("float16", (0, 5, 1.5), [0.0, 1.0, 2.0, 3.0]),
    ("float16", (2.7, -3, -1.2), [2.0, 1.0, 0.0, -1.0, -2.0]),
    ("float32", (2.7, -3, -1.2),
     [2.700000047683716, 1.5, 0.2999999523162842, -0.9000000953674316, -2.1000001430511475]),
    ("float32", (-2.5, 3, 0.7),
     [-2.5, -1.7999999523162842, -1.100000023841858, -0.40000009536743164, 0.2999999523162842,
      1.0, 1.6999998092651367, 2.4000000953674316]),
    ("float64", (2.7, -3, -1.2),
     [2.7, 1.5000000000000002, 0.30000000000000027, -0.8999999999999995, -2.0999999999999996]),
])
def test_arange_computes_in_output_dtype(dtype, args, want):
    got = nd.arange(*args, dtype=dtype)
    assert got.dtype == np.dtype(dtype)
    assert _vals(got) == want


def test_arange_repeat_and_linspace_values():
    assert _vals(nd.arange(0.5, 3.2, 0.9, repeat=2, dtype="int32")) == [0] * 6
    assert _vals(nd.arange(0.5, 3.2, 0.9, repeat=2, dtype="float64")) == \
        [0.5, 0.5, 1.4, 1.4, 2.3, 2.3]
    assert _vals(nd.linspace(0.5, 3.2, 4, dtype="float64")) == [0.5, 1.4, 2.3, 3.2]
    assert _vals(nd.linspace(0.5, 3.2, 4, endpoint=False, dtype="float64")) == \
        [0.5, 1.175, 1.85, 2.5250000000000004]
    assert _vals(nd.linspace(0.5, 3.2, 4, endpoint=False, dtype="int32")) == [0, 1, 1, 2]


def test_full_converts_value_like_c():
    assert _vals(nd.full((2,), -2.7, dtype="uint8")) == [254, 254]
    assert _vals(nd.full((2,), -2.7, dtype="int8")) == [-2, -2]
    assert _vals(nd.full((2,), 2.7, dtype="int32")) == [2, 2]


# ---------------------------------------------------------------- type inference
def test_amp_cast_keeps_float64():
    for target in ("float16", "float32"):
        assert nd.amp_cast(nd.array([1.5], dtype="float64"), dtype=target).dtype == np.float64
    assert nd.amp_cast(nd.array([1.5], dtype="float32"), dtype="float16").dtype == np.float16
    s = mx.sym.amp_cast(mx.sym.Variable("data"), dtype="float16")
    _, out, _ = s.infer_type(data=np.float64)
    assert out == [np.float64]


def test_batch_take_index_defaults_to_int32():
    s = mx.sym.batch_take(mx.sym.Variable("data"), mx.sym.Variable("i"))
    args, out, _ = s.infer_type(data=np.float16)
    assert args == [np.float16, np.int32] and out == [np.float16]
    exe = s.simple_bind(mx.cpu(), data=(2, 3), i=(2,))
    assert exe.arg_dict["i"].dtype == np.int32
    exe.arg_dict["data"][:] = np.arange(6).reshape(2, 3)
    exe.arg_dict["i"][:] = [2, 1]
    exe.forward()
    assert _vals(exe.outputs[0]) == [2.0, 4.0]
