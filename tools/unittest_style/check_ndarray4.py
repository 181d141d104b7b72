"""Round-4 NDArray checks (MXNet 1.9.1 test_ndarray.py style; own code): scalar operators per
dtype (bool, is_int), creation ops with non-float32 dtypes, random sampler shapes/dtypes.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_ndarray4``.
"""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_bool_scalar_ops():
    b = mx.nd.array([1, 0, 1], dtype="bool")
    for got, want in [(b * 2.5, [2, 0, 2]), (b + 2, [3, 2, 3]), (b - 2, [-1, -2, -1]),
                      (2 - b, [1, 2, 1]), (b % 2, [1, 0, 1]), (b > 2, [0, 0, 0])]:
        assert got.dtype == np.int64, got.dtype
        assert got.asnumpy().tolist() == want


@with_seed()
def test_scalar_is_int_flag():
    x = mx.nd.array([1, 2, 3], dtype="int32")
    out = mx.nd._internal._mul_scalar(x, scalar=2.5, is_int=False)
    assert out.dtype == np.float64 and out.asnumpy().tolist() == [2.5, 5.0, 7.5]
    out = mx.nd._internal._mul_scalar(x, scalar=2.5)
    assert out.dtype == np.int32 and out.asnumpy().tolist() == [2, 4, 6]
    assert mx.nd.maximum(x, 2.5).asnumpy().tolist() == [2, 2, 3]


@with_seed()
def test_creation_dtypes():
    assert mx.nd.arange(0, 5, 1.5, dtype="int32").asnumpy().tolist() == [0, 1, 2, 3]
    assert mx.nd.arange(2.7, -3, -1.2, dtype="uint8").asnumpy().tolist() == [2, 1, 0, 255, 254]
    assert mx.nd.arange(0, 5, 1.5, dtype="float16").asnumpy().tolist() == [0, 1, 2, 3]
    got = mx.nd.arange(2.7, -3, -1.2, dtype="float32").asnumpy()
    assert got.tolist() == (np.float32(2.7) + np.arange(5, dtype=np.float32) * np.float32(-1.2)).tolist()
    assert mx.nd.arange(0.5, 3.2, 0.9, repeat=2, dtype="float64").asnumpy().tolist() == \
        [0.5, 0.5, 1.4, 1.4, 2.3, 2.3]
    assert mx.nd.linspace(0.5, 3.2, 4, dtype="float64").asnumpy().tolist() == [0.5, 1.4, 2.3, 3.2]
    assert mx.nd.full((2,), -2.7, dtype="uint8").asnumpy().tolist() == [254, 254]
    assert mx.nd.eye(3, 4, k=1, dtype="int32").asnumpy().sum() == 3
    for dt in ("float16", "float64", "int8", "uint8", "int32", "int64"):
        assert mx.nd.zeros((2,), dtype=dt).dtype == np.dtype(dt)
        assert mx.nd.ones((2,), dtype=dt).dtype == np.dtype(dt)
        assert mx.nd.linspace(0, 1, 3, dtype=dt).dtype == np.dtype(dt)


@with_seed()
def test_random_sampler_shapes_dtypes():
    mu, sig = mx.nd.array([0.0, 2.5]), mx.nd.array([1.0, 0.5])
    for dt in ("float16", "float32", "float64"):
        for shape, want in [((), (2,)), (3, (2, 3)), ((2, 3), (2, 2, 3))]:
            for fn in (lambda: mx.nd.sample_normal(mu, sig, shape=shape, dtype=dt),
                       lambda: mx.nd.sample_uniform(mu, mu + 1, shape=shape, dtype=dt),
                       lambda: mx.nd.sample_gamma(sig, sig, shape=shape, dtype=dt),
                       lambda: mx.nd.sample_exponential(sig, shape=shape, dtype=dt),
                       lambda: mx.nd.sample_poisson(sig, shape=shape, dtype=dt),
                       lambda: mx.nd.sample_negative_binomial(mx.nd.array([3, 4]), sig * 0.5,
                                                              shape=shape, dtype=dt),
                       lambda: mx.nd.sample_generalized_negative_binomial(sig, sig, shape=shape,
                                                                          dtype=dt)):
                out = fn()
                assert out.shape == want and out.dtype == np.dtype(dt), (shape, dt, out.shape)
        assertRaises(MXNetError, lambda: mx.nd.sample_normal(mu, sig, dtype="int32"))
    probs = mx.nd.array([[0.1, 0.9, 0], [0.5, 0.25, 0.25]])
    for dt in ("int32", "float32", "float64", "uint8"):
        out, lp = mx.nd.sample_multinomial(probs, shape=4, get_prob=True, dtype=dt)
        assert out.shape == (2, 4) and out.dtype == np.dtype(dt) and lp.shape == (2, 4)
        assert (out.asnumpy()[0] == 1).all() or (out.asnumpy()[0] != 2).all()
    assertRaises(MXNetError, lambda: mx.nd.sample_multinomial(probs, dtype="int64"))
    assertRaises(MXNetError, lambda: mx.nd.random.randint(0, 5, shape=3, dtype="float32"))
    assertRaises(MXNetError, lambda: mx.nd.sample_normal(mu, mx.nd.array([1, 2, 3])))


if __name__ == "__main__":
    main(globals())
