"""Quantized contrib operators (flatten, act, pooling, concat, fully_connected, conv, embedding)
against values captured from MXNet 1.9.1 (CPU build with oneDNN, the pip default). Integer
outputs and ranges are exact."""
import numpy as np
import pytest

import mxtorch as mx

C = mx.nd.contrib


def one(v):
    return mx.nd.array([v])


def parts(result):
    return [(np.dtype(o.dtype).name, o.shape, o.asnumpy().ravel().tolist()) for o in result]


MIN, MAX = one(-1.0), one(2.0)
RANGE = [("float32", (1,), [-1.0]), ("float32", (1,), [2.0])]
X4 = np.array([1, 2, 3, 4, 5, 6, 7, 9, -3, -3, -3, -2, -1, -1, -1, -1]).reshape(1, 1, 4, 4)

# (pooling attributes, oracle output) over X4 as int8 with range [-1, 2]
POOL = [
    (dict(kernel=(2, 2), pool_type="avg", stride=(2, 2)), (1, 1, 2, 2), [4, 6, -2, -2]),
    (dict(kernel=(3, 3), pool_type="avg", stride=(1, 1), pad=(1, 1)), (1, 1, 4, 4),
     [2, 3, 3, 3, 1, 2, 3, 2, 0, 1, 1, 1, -1, -1, -1, -1]),
    (dict(kernel=(3, 3), pool_type="avg", stride=(1, 1), pad=(1, 1), count_include_pad=False),
     (1, 1, 4, 4), [4, 4, 5, 6, 1, 2, 3, 3, 0, 1, 1, 2, -2, -2, -2, -2]),
    (dict(kernel=(3, 3), pool_type="max", global_pool=True), (1, 1, 1, 1), [9]),
    (dict(kernel=(3, 3), pool_type="max", stride=(2, 2), pooling_convention="full"),
     (1, 1, 2, 2), [7, 9, -1, -1]),
]


@pytest.mark.parametrize("attrs, shape, expected", POOL)
def test_quantized_pooling_int8(attrs, shape, expected):
    x = mx.nd.array(X4, dtype="int8")
    assert parts(C.quantized_pooling(x, MIN, MAX, **attrs)) == [("int8", shape, expected)] + RANGE


def test_quantized_pooling_rounds_half_to_even():
    x = mx.nd.array(np.array([0, 1, 1, 1, 0, 0, 1, 2, 3, 3, 3, 2, -1, -1, -1, -2])
                    .reshape(1, 1, 4, 4), dtype="int8")
    out = C.quantized_pooling(x, MIN, MAX, kernel=(2, 2), pool_type="avg", stride=(2, 2))
    assert out[0].asnumpy().ravel().tolist() == [0, 1, 1, 0]
    xu = mx.nd.array(np.arange(16).reshape(1, 1, 4, 4), dtype="uint8")
    out = C.quantized_pooling(xu, one(0.0), MAX, kernel=(2, 2), pool_type="avg", stride=(2, 2))
    assert parts(out)[0] == ("uint8", (1, 1, 2, 2), [2, 4, 10, 12])


def test_quantized_pooling_rejects_other_types():
    with pytest.raises(mx.base.MXNetError):
        C.quantized_pooling(mx.nd.array(X4), MIN, MAX, kernel=(2, 2))
    with pytest.raises(mx.base.MXNetError):
        C.quantized_pooling(mx.nd.array(X4, dtype="int8"), MIN, MAX, kernel=(2, 2),
                            pool_type="sum")


def test_quantized_act_and_flatten():
    x = mx.nd.array([[-3, 1, 2, 127], [5, -128, 0, 7]], dtype="int8")
    assert parts(C.quantized_act(x, MIN, MAX, act_type="relu")) == [
        ("int8", (2, 4), [0, 1, 2, 127, 5, 0, 0, 7])] + RANGE
    xu = mx.nd.array(np.arange(16).reshape(1, 1, 4, 4), dtype="uint8")
    assert parts(C.quantized_act(xu, MIN, MAX, act_type="relu"))[0] == (
        "int8", (1, 1, 4, 4), list(range(16)))
    with pytest.raises(mx.base.MXNetError):
        C.quantized_act(x, MIN, MAX, act_type="tanh")
    with pytest.raises(mx.base.MXNetError, match="int8 or uint8"):
        C.quantized_act(mx.nd.array([1, -2]), MIN, MAX, act_type="relu")
    data = np.arange(24).reshape(2, 3, 4)
    assert parts(C.quantized_flatten(mx.nd.array(data, dtype="int8"), MIN, MAX)) == [
        ("int8", (2, 12), list(range(24)))] + RANGE
    # MXNet lets float32 data through unchanged
    assert parts(C.quantized_flatten(mx.nd.array(data), MIN, MAX))[0] == (
        "float32", (2, 12), [float(v) for v in range(24)])


X = [[-3, 1, 2, 127], [5, -128, 0, 7]]
XU = [[3, 1, 2, 255], [5, 128, 0, 7]]
Y = [[1, 2, 3, 4], [5, 6, 7, -9]]
# (inputs as (values, dtype, min, max), dim, oracle output dtype/shape/values, oracle range)
CONCAT = [
    ([(X, "int8", -1.0, 2.0), (Y, "int8", -3.0, 4.0)], 1, ("int8", (2, 8),
     [-2, 0, 1, 64, 1, 2, 3, 4, 2, -64, 0, 4, 5, 6, 7, -9]), (-3.0, 4.0)),
    ([(X, "int8", -1.0, 2.0), (Y, "int8", -3.0, 4.0)], 0, ("int8", (4, 4),
     [-2, 0, 1, 64, 2, -64, 0, 4, 1, 2, 3, 4, 5, 6, 7, -9]), (-3.0, 4.0)),
    ([(Y, "int8", -1.5, 1.0), (X, "int8", -1.0, 2.0)], 1, ("int8", (2, 8),
     [1, 2, 2, 3, -3, 1, 2, 127, 4, 4, 5, -7, 5, -128, 0, 7]), (-1.5, 2.0)),
    ([(XU, "uint8", 0.0, 2.0), (XU, "uint8", 0.0, 4.0)], 1, ("uint8", (2, 8),
     [2, 0, 1, 128, 3, 1, 2, 255, 2, 64, 0, 4, 5, 128, 0, 7]), (0.0, 4.0)),
    ([(X, "int8", -1.0, 2.0), (XU, "uint8", 0.0, 4.0)], 1, ("int8", (2, 8),
     [-2, 0, 1, 64, 1, 0, 1, 127, 2, -64, 0, 4, 2, 64, 0, 3]), (-1.0, 4.0)),
    ([(XU, "uint8", 0.0, 2.0), (X, "int8", -1.0, 4.0)], 1, ("int8", (2, 8),
     [1, 0, 0, 64, -3, 1, 2, 127, 1, 32, 0, 2, 5, -128, 0, 7]), (-1.0, 4.0)),
]


@pytest.mark.parametrize("inputs, dim, expected, out_range", CONCAT)
def test_quantized_concat(inputs, dim, expected, out_range):
    arrays = [mx.nd.array(v, dtype=t) for v, t, _, _ in inputs]
    ranges = [one(b) for _, _, lo, hi in inputs for b in (lo, hi)]
    out = C.quantized_concat(*arrays, *ranges, num_args=len(arrays), dim=dim)
    assert parts(out) == [expected, ("float32", (1,), [out_range[0]]),
                          ("float32", (1,), [out_range[1]])]


def test_quantized_symbols_name_and_infer_like_mxnet():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    s = mx.sym.contrib.quantized_concat(a, b, num_args=2, dim=1, name="qc")
    assert s.list_arguments() == ["a", "b", "qc_arg0_min", "qc_arg0_max", "qc_arg1_min",
                                  "qc_arg1_max"]
    assert s.list_outputs() == ["qc_output", "qc_min_output", "qc_max_output"]
    assert s.infer_shape(a=(2, 3), b=(2, 4)) == (
        [(2, 3), (2, 4), (1,), (1,), (1,), (1,)], [(2, 7), (1,), (1,)], [])
    f = mx.sym.contrib.quantized_flatten(a, name="qf")
    assert f.list_arguments() == ["a", "qf_min_data", "qf_max_data"]
    assert f.infer_shape(a=(2, 3, 4)) == ([(2, 3, 4), (1,), (1,)], [(2, 12), (1,), (1,)], [])
    p = mx.sym.contrib.quantized_pooling(a, kernel=(2, 2), stride=(2, 2), pool_type="avg")
    assert p.infer_shape(a=(1, 2, 4, 4))[1] == [(1, 2, 2, 2), (1,), (1,)]
    act = mx.sym.contrib.quantized_act(a, act_type="relu")
    assert act.infer_type(a="uint8")[1] == [np.int8, np.float32, np.float32]


FC_D = [[1, -2, 3], [4, 5, -6]]
FC_W = [[1, 2, 3], [-1, 0, 2]]
# (data dtype, data range, bias (values, range) or None, oracle int32 output, oracle max range)
FC = [
    ("int8", (-1.0, 2.0), None, [6, 5, -4, -16], 133144.25),
    ("int8", (-1.0, 2.0), ([10, -20], 3.0), [3831, -7645, 3821, -7666], 133144.25),
    ("uint8", (0.0, 2.0), None, [14, 5, 32, 8], 66311.0625),
    ("uint8", (0.0, 2.0), ([10, -20], 3.0), [7679, -15325, 7697, -15322], 66311.0625),
]


@pytest.mark.parametrize("dtype, drange, bias, expected, real", FC)
def test_quantized_fully_connected(dtype, drange, bias, expected, real):
    data = np.abs(FC_D) if dtype == "uint8" else FC_D
    args = [mx.nd.array(data, dtype=dtype), mx.nd.array(FC_W, dtype="int8")]
    if bias is not None:
        args.append(mx.nd.array(bias[0], dtype="int8"))
    args += [one(drange[0]), one(drange[1]), one(-0.5), one(0.5)]
    if bias is not None:
        args += [one(-bias[1]), one(bias[1])]
    out = C.quantized_fully_connected(*args, num_hidden=2, no_bias=bias is None)
    assert parts(out) == [("int32", (2, 2), expected), ("float32", (1,), [-real]),
                          ("float32", (1,), [real])]


@pytest.mark.parametrize("dtype, drange, weight_range, bias, bias_range, expected, real", [
    # bias in the product's units, truncated toward zero
    ("int8", (-1.0, 2.0), 0.5, [1, 3, -1, -3], 3.0, [382, 1147, -382, -1147], 133144.25),
    ("int8", (-1.0, 2.0), 0.7, [1, 3, -1, -3], 1.7, [154, 464, -154, -464], 186401.953125),
    ("uint8", (0.0, 2.0), 0.7, [1, 3, -1, -3], 1.7, [310, 930, -310, -930], 92835.4765625),
    ("int8", (-1.0, 2.0), 0.7, [127, -127, -128, 50], 100.7,
     [1164703, -1164703, -1173874, 458544], 186401.953125),
])
def test_quantized_fully_connected_bias_scaling(dtype, drange, weight_range, bias, bias_range,
                                                expected, real):
    out = C.quantized_fully_connected(
        mx.nd.zeros((1, 3), dtype=dtype), mx.nd.zeros((4, 3), dtype="int8"),
        mx.nd.array(bias, dtype="int8"), one(drange[0]), one(drange[1]), one(-0.25),
        one(weight_range), one(-1.0), one(bias_range), num_hidden=4)
    assert parts(out) == [("int32", (1, 4), expected), ("float32", (1,), [-real]),
                          ("float32", (1,), [real])]


def test_quantized_fully_connected_keeps_leading_axes_without_flatten():
    data = mx.nd.array(np.arange(12).reshape(2, 2, 3) - 5, dtype="int8")
    out = C.quantized_fully_connected(data, mx.nd.array(FC_W, dtype="int8"), one(-1.0),
                                      one(2.0), one(-0.5), one(0.5), num_hidden=2,
                                      no_bias=True, flatten=False)
    assert parts(out)[0] == ("int32", (2, 2, 2), [-22, -1, -4, 2, 14, 5, 32, 8])


# oracle: np.random.RandomState(0): weight randint(-20, 20, (3, 2, 3, 3)) after a (1, 2, 4, 4)
# draw, then uint8 data randint(0, 40, (1, 2, 4, 4))
CONV_W = [9, -1, -1, -6, 19, 12, -19, -11, 12, 11, -10, 3, 15, -9, 8, 14, -20, -20, 16, -15, 18,
          -3, -5, -16, 11, -19, -19, 19, 15, 18, -9, -2, 7, -20, -6, 15, -8, 0, -9, -16, -14,
          -16, -17, -8, 16, -6, -5, 0, 15, 3, -5, -7, 1, -15]
CONV_D = [35, 0, 31, 5, 30, 0, 36, 34, 29, 3, 34, 13, 39, 21, 9, 0, 10, 23, 2, 34, 35, 30, 3, 18,
          35, 20, 17, 27, 14, 1, 36, 10]


def test_quantized_conv():
    data = mx.nd.array(np.array(CONV_D).reshape(1, 2, 4, 4), dtype="uint8")
    weight = mx.nd.array(np.array(CONV_W).reshape(3, 2, 3, 3), dtype="int8")
    out = C.quantized_conv(data, weight, mx.nd.array([1, 3, -5], dtype="int8"), one(0.0),
                           one(2.0), one(-0.25), one(0.7), one(-1.0), one(1.7),
                           kernel=(3, 3), num_filter=3)
    assert parts(out) == [("int32", (1, 3, 2, 2), [276, 1084, -307, 28, -277, -1124, 1531, 576,
                                                   -1648, -1520, -2803, -1572]),
                          ("float32", (1,), [-186401.953125]), ("float32", (1,), [186401.953125])]
    with pytest.raises(mx.base.MXNetError, match="uint8"):
        C.quantized_conv(data.astype("int8"), weight, one(-1.0), one(2.0), one(-0.25),
                         one(0.7), kernel=(3, 3), num_filter=3, no_bias=True)


def test_quantized_embedding():
    weight = mx.nd.array([[-14, -57, 4], [-89, -98, -49], [-20, -68, 82], [28, -62, -81],
                          [74, -58, 15]], dtype="int8")
    out = C.quantized_embedding(mx.nd.array([[1, 7], [-1, 2]]), weight, one(-0.5), one(0.3),
                                input_dim=5, output_dim=3)
    assert parts(out)[0] == ("int8", (2, 2, 3), [-89, -98, -49, 74, -58, 15, -14, -57, 4, -20,
                                                  -68, 82])
    np.testing.assert_allclose([out[1].asscalar(), out[2].asscalar()], [-0.5, 0.3], rtol=1e-7)


def test_quantized_dense_symbols_match_mxnet():
    fc = mx.sym.contrib.quantized_fully_connected(mx.sym.var("x"), num_hidden=4, name="qfc")
    assert fc.list_arguments() == ["x", "qfc_weight", "qfc_bias", "qfc_min_data",
                                   "qfc_max_data", "qfc_min_weight", "qfc_max_weight",
                                   "qfc_min_bias", "qfc_max_bias"]
    assert fc.infer_shape(x=(2, 3)) == ([(2, 3), (4, 3), (4,)] + [(1,)] * 6,
                                        [(2, 4), (1,), (1,)], [])
    assert fc.infer_type(x="uint8")[:2] == ([np.uint8, np.int8, np.int8] + [np.float32] * 6,
                                            [np.int32, np.float32, np.float32])
    conv = mx.sym.contrib.quantized_conv(mx.sym.var("x"), kernel=(3, 3), num_filter=4,
                                         no_bias=True, name="qc")
    assert conv.list_arguments() == ["x", "qc_weight", "qc_min_data", "qc_max_data",
                                     "qc_min_weight", "qc_max_weight"]
    assert conv.infer_shape(x=(1, 2, 5, 5)) == ([(1, 2, 5, 5), (4, 2, 3, 3)] + [(1,)] * 4,
                                                [(1, 4, 3, 3), (1,), (1,)], [])
    emb = mx.sym.contrib.quantized_embedding(mx.sym.var("x"), input_dim=5, output_dim=3,
                                             name="qe")
    assert emb.infer_shape(x=(2, 4)) == ([(2, 4), (5, 3), (1,), (1,)],
                                         [(2, 4, 3), (1,), (1,)], [])


def _add_cases():
    import json
    import os
    path = os.path.join(os.path.dirname(__file__), "fixtures", "quantized_elemwise_add.json")
    with open(path) as f:
        return json.load(f)["cases"]


def _add_data(kind, which):
    if kind == "uint8":
        return np.arange(256).reshape(16, 16)
    base = np.arange(-128, 128)
    return base.reshape(16, 16) if which == "lhs" else base[::-1].reshape(16, 16) // 3


@pytest.mark.parametrize("case", _add_cases(), ids=lambda c: f"{c['lhs']}-{c['calib']}")
def test_quantized_elemwise_add_matches_mxnet(case):
    lhs = mx.nd.array(_add_data(case["lhs"], "lhs"), dtype=case["lhs"])
    rhs = mx.nd.array(_add_data(case["rhs"], "rhs"), dtype=case["rhs"])
    kwargs = {}
    if case["calib"]:
        kwargs = dict(min_calib_range=case["calib"][0], max_calib_range=case["calib"][1])
    out, lo, hi = C.quantized_elemwise_add(lhs, rhs, *[one(v) for v in case["ranges"]],
                                           **kwargs)
    assert np.dtype(out.dtype).name == case["dtype"]
    assert out.asnumpy().ravel().tolist() == case["values"]  # exact integers
    assert [lo.asscalar(), hi.asscalar()] == pytest.approx(case["out_range"], rel=1e-7)


def test_quantized_elemwise_add_symbol():
    s = mx.sym.contrib.quantized_elemwise_add(mx.sym.var("a"), mx.sym.var("b"), name="qa")
    assert s.list_arguments() == ["a", "b", "qa_lhs_min", "qa_lhs_max", "qa_rhs_min",
                                  "qa_rhs_max"]
    assert s.infer_shape(a=(2, 3), b=(2, 3)) == ([(2, 3), (2, 3)] + [(1,)] * 4,
                                                 [(2, 3), (1,), (1,)], [])
    with pytest.raises(mx.base.MXNetError, match="same shape"):
        C.quantized_elemwise_add(mx.nd.zeros((2,), dtype="int8"), mx.nd.zeros((3,), dtype="int8"),
                                 one(-1.0), one(1.0), one(-1.0), one(1.0))


def _mul_cases():
    import json
    import os
    path = os.path.join(os.path.dirname(__file__), "fixtures", "quantized_elemwise_mul.json")
    with open(path) as f:
        return json.load(f)["cases"]


@pytest.mark.parametrize("case", _mul_cases(), ids=lambda c: str(sorted(c["attrs"].items())))
def test_quantized_elemwise_mul_matches_mxnet(case):
    lhs = mx.nd.array(_add_data("int8", "lhs"), dtype="int8")
    rhs = mx.nd.array(_add_data("int8", "rhs"), dtype="int8")
    out = C.quantized_elemwise_mul(lhs, rhs, *[one(v) for v in case["ranges"]], **case["attrs"])
    outs = out if isinstance(out, (list, tuple)) else [out]
    assert np.dtype(outs[0].dtype).name == case["dtype"]
    got, expected = outs[0].asnumpy().ravel(), np.array(case["values"])
    if case["dtype"] == "int8":
        # MXNet wraps products that overflow int8 around; mxtorch saturates (COMPAT.md)
        real = (lhs.asnumpy().astype(np.int64) * rhs.asnumpy()).ravel()
        wrapped = got != expected
        assert ((got[wrapped] == 127) & (real[wrapped] > 0) |
                (got[wrapped] == -128) & (real[wrapped] < 0)).all()
        assert (got[~wrapped] == expected[~wrapped]).all() and (~wrapped).sum() > 100
    else:
        assert (got == expected).all()  # exact: int32 products, float32 bit for bit
    if "out_range" in case:
        assert [o.asscalar() for o in outs[1:]] == pytest.approx(case["out_range"], rel=1e-7)
    else:
        assert len(outs) == 1


def test_quantized_elemwise_mul_symbol_and_types():
    s = mx.sym.contrib.quantized_elemwise_mul(mx.sym.var("a"), mx.sym.var("b"), name="m",
                                              enable_float_output=True)
    assert s.list_outputs() == ["m_output"]
    assert s.infer_shape(a=(2, 3), b=(2, 3))[1] == [(2, 3)]
    with pytest.raises(mx.base.MXNetError, match="int8"):
        C.quantized_elemwise_mul(mx.nd.zeros((2,), dtype="uint8"), mx.nd.zeros((2,), dtype="int8"),
                                 one(0.0), one(1.0), one(-1.0), one(1.0))
