"""Bad input raises an MXNetError subclass (also a ValueError/TypeError where fitting) that names
the operator, the input, what was seen and what was expected."""
import pytest

import mxtorch as mx
from mxtorch.base import AttributeParseError, DTypeError, MXNetError, ShapeError

nd = mx.nd

CASES = [
    (lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 5)), nd.ones(4), num_hidden=4),
     ShapeError, r"FullyConnected: input 'weight' has shape \(4, 5\), expected \(4, 3\)"),
    (lambda: nd.Convolution(nd.ones((1, 3, 8, 8)), nd.ones((4, 2, 3, 3)), nd.ones(4),
                            kernel=(3, 3), num_filter=4),
     ShapeError, r"Convolution: input 'weight' has shape \(4, 2, 3, 3\), expected \(4, 3, 3, 3\)"),
    (lambda: nd.BatchNorm(nd.ones((2, 3)), nd.ones(4), nd.ones(3), nd.ones(3), nd.ones(3)),
     ShapeError, r"BatchNorm: input 'gamma' has shape \(4,\), expected \(3,\)"),
    (lambda: nd.ones((2, 3)) + nd.ones((4,)),
     ShapeError, r"broadcast_add: shapes \(2, 3\) and \(4,\) cannot be broadcast"),
    (lambda: nd.concat(nd.ones((2, 3)), nd.ones((3, 3)), dim=1),
     ShapeError, r"Concat: input 'arg1' has shape \(3, 3\)"),
    (lambda: nd.reshape(nd.ones((2, 3)), shape=(4, 4)),
     ShapeError, r"Reshape: cannot reshape array of shape \(2, 3\) with shape=\(4, 4\)"),
    (lambda: nd.dot(nd.ones((2, 3)), nd.ones((2, 3))), ShapeError, r"dot: .*\(2, 3\)"),
    (lambda: nd.sum(nd.ones(2), axis=5), ShapeError, r"sum: axis 5 is out of range"),
    (lambda: nd.Activation(nd.ones(2), act_type="relu6"),
     AttributeParseError, r"Activation: invalid value 'relu6' for attribute 'act_type'"),
    (lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 3)), nd.ones(4)),
     AttributeParseError, r"FullyConnected: required attribute\(s\) \['num_hidden'\] missing"),
    (lambda: nd.Activation(nd.ones(2), act_type="relu", foo=3),
     AttributeParseError, r"Activation: unknown attribute 'foo'"),
    (lambda: nd.Pooling(nd.ones((1, 1, 4, 4)), kernel="(3, x)"),
     AttributeParseError, r"Pooling: invalid value '\(3, x\)' for attribute 'kernel'"),
    (lambda: nd.ones(2, dtype="int32") * nd.ones(2, dtype="float16"),
     DTypeError, r"broadcast_mul: input 'rhs' has dtype float16, expected int32"),
    (lambda: nd.FullyConnected(nd.ones((2, 3)), num_hidden=2),
     MXNetError, r"FullyConnected: required input 'weight' is missing"),
    (lambda: nd.relu([1, 2]), TypeError, r"relu: input 'data' must be an NDArray"),
]


@pytest.mark.parametrize("call,kind,pattern", CASES, ids=[c[2][:40] for c in CASES])
def test_error_messages(call, kind, pattern):
    with pytest.raises(kind, match=pattern):
        call()


def test_error_classes_are_builtin_types_too():
    assert issubclass(ShapeError, MXNetError) and issubclass(ShapeError, ValueError)
    assert issubclass(DTypeError, TypeError) and issubclass(AttributeParseError, ValueError)
    assert issubclass(MXNetError, RuntimeError)
    assert mx.base.MXNetError is mx.MXNetError


def test_errors_list_inputs_and_attributes():
    with pytest.raises(ShapeError) as info:
        nd.Convolution(nd.ones((1, 3, 8, 8)), nd.ones((4, 2, 3, 3)), nd.ones(4), kernel=(3, 3),
                       num_filter=4)
    text = str(info.value)
    assert "inputs: data=(1, 3, 8, 8) float32, weight=(4, 2, 3, 3) float32" in text
    assert "kernel=(3, 3)" in text and "num_filter=4" in text


def test_torch_cause_is_chained_not_hidden():
    with pytest.raises(ShapeError) as info:
        nd.ones((2, 3)) + nd.ones((4,))
    assert info.value.__cause__ is not None
