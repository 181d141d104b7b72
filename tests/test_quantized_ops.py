"""Quantized contrib operators (quantized_flatten/act/pooling/concat) against values captured
from MXNet 1.9.1 (CPU build with oneDNN, the pip default). Integer outputs are exact."""
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
