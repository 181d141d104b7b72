"""Round-6 dtype sweep in MXNet 1.9.1 test_operator.py / test_ndarray.py style: each nd operator
family in float16/32/64, int8, uint8, int32, int64 (and bool where MXNet takes it): output
dtypes, integer truncation, float16 tolerances, and the ops that refuse a dtype.
(The full 1688-case table is tools/op6_dtype_sweep.py.) Own code, numpy references.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator6_dtype``.
"""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "uint8", "int32", "int64")
BASE = np.array([[0.5, 1.0, 2.0], [3.0, 4.5, 5.0]])


def _x(dt):
    return mx.nd.array(BASE.astype(dt), dtype=dt)


def _tol(dt):
    return (1e-2, 1e-2) if dt == "float16" else (1e-5, 1e-6)


@with_seed()
def test_unary_math_keeps_the_dtype():
    for dt in FLOATS + INTS:
        xs = BASE.astype(dt)
        for name, ref in (("sqrt", np.sqrt), ("exp", np.exp), ("square", np.square),
                          ("abs", np.abs), ("floor", np.floor), ("sigmoid",
                                                                 lambda v: 1 / (1 + np.exp(-v)))):
            got = getattr(mx.nd, name)(_x(dt))
            assert got.dtype == np.dtype(dt), (name, dt, got.dtype)
            want = ref(xs.astype(np.float64))
            if dt in INTS:
                want = want.astype(dt)  # integer kernels truncate toward zero
            rtol, atol = _tol(dt)
            assert_almost_equal(got.asnumpy().astype(np.float64), want.astype(np.float64),
                                rtol=rtol, atol=atol)


def test_scalar_arithmetic_and_comparison_dtypes():
    for dt in FLOATS + INTS:
        x = _x(dt)
        for got, ref in ((x + 2, BASE.astype(dt) + 2), (x * 0.5, None), (x / 2, None),
                         (x > 1, BASE.astype(dt) > 1), (x == 2, BASE.astype(dt) == 2)):
            assert got.dtype == np.dtype(dt), (dt, got.dtype)
            if ref is not None:
                assert_almost_equal(got.asnumpy().astype(np.float64), ref.astype(np.float64))
        if dt in INTS:
            assert (x * 0.5).asnumpy().tolist() == [[0, 0, 0], [0, 0, 0]]  # 0.5 cast to 0 first
            assert (x / 2).asnumpy().tolist() == [[0, 0, 1], [1, 2, 2]]


def test_bool_arrays_in_arithmetic():
    b = mx.nd.array([[0, 1], [1, 0]], dtype="bool")
    for got, want in ((b + 1, [[1, 2], [2, 1]]), (b * 2, [[0, 2], [2, 0]]),
                      (-b, [[0, -1], [-1, 0]]), (1 - b, [[1, 0], [0, 1]])):
        assert got.dtype == np.int64 and got.asnumpy().tolist() == want
    assert b.sum().dtype == np.bool_
    assert b.astype("float32").asnumpy().tolist() == [[0, 1], [1, 0]]
    assertRaises(MXNetError, lambda: mx.nd.negative(b).asnumpy())


def test_reductions_keep_integer_dtypes():
    for dt in INTS:
        x = _x(dt)
        assert x.sum().dtype == np.dtype(dt) and x.sum().asscalar() == 15
        got = mx.nd.mean(x, axis=0)
        assert got.dtype == np.dtype(dt) and got.asnumpy().tolist() == [1, 2, 3]
        assert mx.nd.argmax(x, axis=1).dtype == np.dtype(dt)
        assert mx.nd.topk(x, k=2).dtype == np.float32
        assert mx.nd.shape_array(x).dtype == np.int64
    for dt in FLOATS:
        x = _x(dt)
        rtol, atol = _tol(dt)
        assert_almost_equal(mx.nd.sum(x, axis=1).asnumpy(), BASE.astype(dt).sum(1), rtol=rtol,
                            atol=atol)
        if dt != "float16":  # MXNet 1.9.1 has no float16 argsort kernel
            assert mx.nd.argsort(x).dtype == np.float32


def test_softmax_refuses_integers():
    for dt in INTS:
        x = _x(dt)
        for fn in (lambda: mx.nd.softmax(x), lambda: mx.nd.log_softmax(x)):
            assertRaises(MXNetError, lambda: fn().asnumpy())
    for dt in FLOATS:
        got = mx.nd.softmax(_x(dt))
        ref = np.exp(BASE) / np.exp(BASE).sum(1, keepdims=True)
        rtol, atol = _tol(dt)
        assert got.dtype == np.dtype(dt)
        assert_almost_equal(got.asnumpy(), ref.astype(dt), rtol=rtol, atol=atol)


def test_creation_in_every_dtype():
    for dt in FLOATS + INTS:
        for arr in (mx.nd.zeros((2, 2), dtype=dt), mx.nd.ones((2,), dtype=dt),
                    mx.nd.full((2,), 3, dtype=dt), mx.nd.arange(0, 4, dtype=dt),
                    mx.nd.eye(2, dtype=dt), mx.nd.linspace(0, 3, 4, dtype=dt),
                    mx.nd.one_hot(mx.nd.array([0, 2]), 3, dtype=dt)):
            assert arr.dtype == np.dtype(dt), (dt, arr.dtype)
        assert mx.nd.arange(0, 4, dtype=dt).asnumpy().tolist() == [0, 1, 2, 3]
    assert mx.nd.zeros((2,), dtype="bool").dtype == np.bool_


def test_cast_and_astype_round_trips():
    for src in FLOATS + INTS:
        for dst in FLOATS + INTS:
            got = mx.nd.Cast(_x(src), dtype=dst)
            assert got.dtype == np.dtype(dst)
            assert_almost_equal(got.asnumpy().astype(np.float64),
                                BASE.astype(src).astype(dst).astype(np.float64))
        assert _x(src).astype(src, copy=False).dtype == np.dtype(src)


def test_binary_ops_need_one_dtype():
    a, b = _x("float32"), _x("float64")
    assertRaises(MXNetError, lambda: mx.nd.elemwise_add(a, b).asnumpy())
    for dt in FLOATS + INTS:
        x = _x(dt)
        got = mx.nd.broadcast_maximum(x, x[0:1])
        assert got.dtype == np.dtype(dt)
        assert_almost_equal(got.asnumpy().astype(np.float64),
                            np.maximum(BASE.astype(dt), BASE.astype(dt)[0:1]).astype(np.float64))


main(globals())
