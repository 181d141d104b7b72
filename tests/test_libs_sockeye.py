"""Patterns Sockeye 2.3 uses from MXNet, reproduced without sockeye and without MXNet.

Each test stands for a gap found by tools/libs/sockeye/drive.py (the differential driver
against MXNet 1.9.1); expected values are MXNet 1.9.1's, captured with the oracle.
"""
import numpy as np
import pytest

import mxtorch as mx


@pytest.mark.parametrize("other, expected", [
    (mx.nd.zeros(2, dtype="int32"), [1, 2]),      # sockeye's loss: output.astype(label)
    (mx.nd.zeros(1, dtype="float16"), [1.5, 2.5]),
    (mx.np.zeros(2, dtype="float64"), [1.5, 2.5]),
])
def test_astype_takes_an_array_as_dtype(other, expected):
    # MXNet 1.9.1 (NumPy 1.x): np.dtype(obj) reads obj.dtype, so an array stands for its dtype
    out = mx.nd.array([1.5, 2.5]).astype(other, copy=False)
    assert out.dtype == other.dtype
    np.testing.assert_array_equal(out.asnumpy(), expected)


def test_array_as_dtype_in_creation_and_numpy_astype():
    label = mx.nd.zeros(2, dtype="int32")
    assert mx.nd.zeros(2, dtype=label).dtype == np.int32
    assert mx.np.array([1.5]).astype(label).dtype == np.int32


def test_numpy_array_is_not_a_dtype():
    # MXNet 1.9.1: TypeError "Cannot construct a dtype from an array" (NumPy's rule)
    with pytest.raises(TypeError):
        mx.nd.array([1.5]).astype(np.zeros(2, "int64"))
