"""Round-6 mx.np checks: NumPy default dtypes (MXNet 2's ``npx.set_np(dtype=True)`` /
``use_np_default_dtype``) against official NumPy's dtypes, and MXNet 1.9.1's float32/int32
defaults without it (values from the 1.9.1 oracle; see tools/unittest_style/check_numpy6_*)."""
import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import np, npx
from mxtorch.test_utils import use_np, use_np_default_dtype
from mxtorch.util import is_np_default_dtype, np_default_dtype, set_np_default_dtype

I64 = onp.array([1, 2, 3])
DEFAULT_DTYPE_WORKLOADS = [
    ("array", ([1, 2, 3],), {}), ("array", ([1.5, 2],), {}), ("ones", (5,), {}),
    ("eye", (3,), {"k": 1}), ("identity", (3,), {}), ("full", ((2, 2), 10), {}),
    ("full", ((2, 2), 1.5), {}), ("full", ((2,), True), {}),
    ("linspace", (2.0, 3.0), {"num": 5, "endpoint": False}),
    ("logspace", (2.0, 3.0), {"num": 4, "base": 2.0}), ("mean", (I64,), {}),
    ("std", (I64,), {}), ("var", (I64,), {}), ("hanning", (3,), {}), ("hamming", (3,), {}),
    ("blackman", (3,), {}), ("random.uniform", (-1, 1), {"size": 3}),
    ("random.normal", (0, 0.1, 3), {}), ("random.gamma", (3.0,), {"size": 2}),
    ("random.chisquare", (2.0, 4), {}), ("random.randint", (0, 5, (2,)), {}),
    ("true_divide", (I64, 4), {}), ("true_divide", (4.0, I64), {}),
    ("true_divide", (I64, I64), {}), ("arange", (3, 7, 2), {}), ("arange", (3.0,), {}),
    ("arange", (0, 1, 0.25), {}), ("indices", ((3,),), {}), ("full_like", (I64, 0.5), {}),
]
# MXNet 1.9.1 (oracle) without NumPy default dtypes
LEGACY = [("array", ([1, 2, 3],), "float32"), ("mean", (I64,), "float32"),
          ("hanning", (3,), "float32"), ("arange", (3, 7, 2), "float32"),
          ("indices", ((3,),), "int32"), ("full", ((2, 2), 10), "float32"),
          ("true_divide", (I64, 4), "float32"), ("linspace", (0, 1, 3), "float32")]


def _get(mod, name):
    for part in name.split("."):
        mod = getattr(mod, part)
    return mod


def _mx(args):
    return tuple(np.array(a) if isinstance(a, onp.ndarray) else a for a in args)


@pytest.mark.parametrize("name,args,kwargs", DEFAULT_DTYPE_WORKLOADS)
def test_default_dtype_matches_numpy(name, args, kwargs):
    @use_np
    @use_np_default_dtype
    def run():
        assert is_np_default_dtype()
        return _get(np, name)(*_mx(args), **kwargs).dtype
    assert run() == _get(onp, name)(*args, **kwargs).dtype
    assert not is_np_default_dtype()


@pytest.mark.parametrize("name,args,want", LEGACY)
@use_np
def test_legacy_default_dtypes(name, args, want):
    assert _get(np, name)(*_mx(args)).dtype == onp.dtype(want)


def test_default_dtype_switches():
    npx.set_np(dtype=True)
    try:
        assert npx.is_np_default_dtype() and mx.util.is_np_default_dtype()
        x = np.array([1, 2])
        assert (x / 2).dtype == onp.float64 and (2 / x).dtype == onp.float64
        assert (np.ones(2, dtype="float32") / x).dtype == onp.float32
        assert np.array([1, 2], dtype="float32").dtype == onp.float32
    finally:
        npx.reset_np()
    assert not npx.is_np_default_dtype() and np.ones(2).dtype == onp.float32
    mx.util.set_np(dtype=True)
    try:
        assert mx.util.is_np_array() and np.zeros(1).dtype == onp.float64
    finally:
        mx.util.reset_np()
    assert not is_np_default_dtype()
    with np_default_dtype(True):
        assert np.ones(1).dtype == onp.float64
    assert np.ones(1).dtype == onp.float32
    assert set_np_default_dtype(True) is False
    assert set_np_default_dtype(False) is True


@use_np
def test_default_dtype_linspace_retstep_and_float_arange():
    with np_default_dtype():
        out, step = np.linspace(0, 1, 4, endpoint=False, retstep=True)
        assert out.dtype == onp.float64 and step == 0.25
        onp.testing.assert_allclose(out.asnumpy(), [0, 0.25, 0.5, 0.75])
        assert np.arange(0, 1, 0.1).shape == (10,)
    out, step = np.linspace(0, 1, 5, retstep=True)
    assert out.dtype == onp.float32 and step == 0.25


@use_np
def test_numpy1_functions_numpy2_removed():
    # MXNet 1.9.1 (NumPy 1.x) answers: in1d flattens, msort sorts along axis 0
    x = np.array([[0.5, 0.2, 0.7], [0.1, 0.9, 0.2]])
    got = np.in1d(x, np.array([0.2, 0.9]))
    assert type(got) is np.ndarray
    assert got.tolist() == [False, True, False, False, True, True]
    assert np.in1d(x, np.array([0.2]), invert=True).tolist() == [True, False, True, True,
                                                                True, False]
    onp.testing.assert_allclose(np.msort(x).asnumpy(), [[0.1, 0.2, 0.2], [0.5, 0.9, 0.7]])
    assert np.in1d.__name__ == "in1d" and np.msort.__name__ == "msort"
    assert np.asfarray(np.array([1, 2], dtype="int32")).dtype == onp.float64


@use_np
def test_round6_shape_and_dtype_fixes():
    # MXNet 1.9.1: transpose of a 0-d array is itself, argwhere of a 0-d array has shape
    # (n, 0), the trace of an integer matrix keeps its dtype
    x = np.array(0.4)
    assert np.transpose(x).shape == () and float(np.transpose(x)) == pytest.approx(0.4)
    assert x.T.shape == ()
    assert np.argwhere(x).shape == (1, 0) and np.argwhere(np.array(0.0)).shape == (0, 0)
    m = np.array([[1, 2], [3, 4]], dtype="int32")
    assert np.trace(m).dtype == onp.int32 and int(np.trace(m)) == 5
    assert np.trace(m.astype("uint8")).dtype == onp.uint8
    assert np.trace(np.ones((2, 2))).dtype == onp.float32


@use_np
def test_integer_reciprocal_keeps_dtype():
    # MXNet 1.9.1 and NumPy: 1/x truncated in the integer dtype, 0 -> the dtype's minimum
    got = np.reciprocal(np.array([0, 1, 2, -1, -3], dtype="int32"))
    assert got.dtype == onp.int32 and got.tolist() == [-2147483648, 1, 0, -1, 0]
    assert np.reciprocal(np.array([1, 3], dtype="uint8")).tolist() == [1, 0]
    assert np.reciprocal(np.array([2.0, 4.0])).tolist() == [0.5, 0.25]
