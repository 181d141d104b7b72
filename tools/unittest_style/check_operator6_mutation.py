"""Round-6 mutation checks in MXNet 1.9.1 test_ndarray.py style: ``__setitem__`` with every
index kind (int, slice, step, Ellipsis, None, tuples, lists, NDArray/numpy index arrays, boolean
masks) and value kind (scalar, NDArray, numpy array, list, broadcasting rows), ``out=``
arguments (in place, views, slices), in-place arithmetic on views and slices.
(The 405-case table is tools/op6_mutation_sweep.py.) Own code, numpy references.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator6_mutation``.
"""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

INDICES = (0, -1, slice(1, None), slice(None, None, 2), (1, 2), (1, slice(1, 3)),
           (Ellipsis, 1), (0, Ellipsis), (slice(None), 1, slice(None, None, 2)), [0, 1],
           (0, [0, 2]), (slice(None), [2, 0]), ([0, 1], [1, 2]), (1, 2, 3), (-1, -1),
           slice(None), (slice(1, None), slice(None, None, -1)), (None, 1))


def _pair():
    base = np.arange(24, dtype=np.float32).reshape((2, 3, 4))
    return mx.nd.array(base), base.copy()


@with_seed()
def test_setitem_index_and_value_kinds():
    for idx in INDICES:
        for value in (7, 2.5, np.float64(3.5), np.int32(4)):
            x, ref = _pair()
            x[idx] = value
            ref[idx] = value
            assert_almost_equal(x.asnumpy(), ref)
        x, ref = _pair()
        shape = ref[idx].shape
        val = np.random.uniform(-1, 1, shape).astype(np.float32)
        x[idx] = mx.nd.array(val)
        ref[idx] = val
        assert_almost_equal(x.asnumpy(), ref)
        x, ref = _pair()
        x[idx] = val
        ref[idx] = val
        assert_almost_equal(x.asnumpy(), ref)


def test_setitem_broadcasting_values():
    row = np.array([10, 20, 30, 40], dtype=np.float32)
    for idx in (0, slice(None), (Ellipsis,), (1, slice(0, 2)), [1, 0], (slice(None), 1)):
        for value in (mx.nd.array(row), row, row.tolist(), mx.nd.array(row).reshape((1, 4)),
                      row.astype(np.float64)):
            x, ref = _pair()
            x[idx] = value
            ref[idx] = row
            assert_almost_equal(x.asnumpy(), ref)
    x, ref = _pair()
    x[:] = mx.nd.array([9.0])
    assert np.all(x.asnumpy() == 9)
    x[0, 1] = mx.nd.array(5.0)
    assert np.all(x.asnumpy()[0, 1] == 5)


def test_setitem_with_index_arrays_and_masks():
    x, ref = _pair()
    x[mx.nd.array([1, 0], dtype="int32")] = 1.5
    ref[[1, 0]] = 1.5
    assert_almost_equal(x.asnumpy(), ref)
    x, ref = _pair()
    x[np.array([1])] = -1
    ref[np.array([1])] = -1
    assert_almost_equal(x.asnumpy(), ref)
    x, ref = _pair()
    x[(mx.nd.array([0, 1]), mx.nd.array([2, 2]), mx.nd.array([1, 3]))] = mx.nd.array([5, 6])
    ref[[0, 1], [2, 2], [1, 3]] = [5, 6]
    assert_almost_equal(x.asnumpy(), ref)


def test_setitem_boolean_mask_legacy():
    """MXNet 1.9.1 refuses boolean masks outside npx.set_np(); mxtorch takes them (superset)."""
    x, ref = _pair()
    mask = ref > 20
    x[mx.nd.array(mask.astype(np.float32)).astype("bool")] = 0
    ref[mask] = 0
    assert_almost_equal(x.asnumpy(), ref)


def test_setitem_shape_mismatch_raises():
    x, _ = _pair()
    def assign(idx, value):
        x[idx] = value
    assertRaises((MXNetError, ValueError), assign, 0, mx.nd.ones((2, 2)))
    assertRaises((MXNetError, ValueError), assign, (Ellipsis, 1), np.ones((4,)))


def test_out_arguments():
    y = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    z = mx.nd.zeros((2, 3))
    r = mx.nd.broadcast_add(y, y, out=z)
    assert r is z and np.all(z.asnumpy() == 2 * y.asnumpy())
    mx.nd.elemwise_add(y, y, out=y)
    assert np.all(y.asnumpy() == [[2, 4, 6], [8, 10, 12]])
    x = mx.nd.arange(24).reshape((2, 3, 4))
    mx.nd.sum(x, axis=2, out=z)
    assert_almost_equal(z.asnumpy(), x.asnumpy().sum(2))
    big = mx.nd.zeros((2, 3))
    mx.nd.ones_like(y[0], out=big[1])
    assert big.asnumpy().tolist() == [[0, 0, 0], [1, 1, 1]]
    w = mx.nd.zeros((3,))
    mx.nd.norm(y, out=w[1:2])
    assert_almost_equal(w.asnumpy(), np.array([0, np.sqrt((y.asnumpy() ** 2).sum()), 0]),
                        rtol=1e-5)
    assertRaises(MXNetError, lambda: mx.nd.concat(y, y, dim=0, out=z).asnumpy())
    m = mx.nd.ones((2, 3))
    mx.nd.sgd_update(y, m, lr=0.5, out=y)
    assert_almost_equal(y.asnumpy(), np.array([[1.5, 3.5, 5.5], [7.5, 9.5, 11.5]]))


def test_inplace_arithmetic_on_views():
    x = mx.nd.arange(24).reshape((2, 3, 4))
    ref = x.asnumpy()
    r = x[1]
    r += 1
    ref[1] += 1
    r = x[0:1]
    r *= 2
    ref[0:1] *= 2
    r = x.reshape((6, 4))
    r[:] = r + 1
    ref += 1
    r = x[:, 1]  # not a view in MXNet: x is unchanged
    r += 100
    r = x[0][1]
    r[:] = 4
    ref[0][1] = 4
    r = x[1].reshape((12,))
    r[0] = -1
    ref[1].reshape(12)[0] = -1
    assert_almost_equal(x.asnumpy(), ref)
    d = x.detach()
    d += 3
    assert_almost_equal(x.asnumpy(), ref + 3)
    c = x.copy()
    c += 1
    assert_almost_equal(x.asnumpy(), ref + 3)


def test_inplace_integer_arithmetic():
    w = mx.nd.array([[1, 2, 3], [4, 5, 6]], dtype="int32")
    w *= 2.5
    assert w.dtype == np.int32 and w.asnumpy().tolist() == [[2, 4, 6], [8, 10, 12]]
    w /= 4
    assert w.asnumpy().tolist() == [[0, 1, 1], [2, 2, 3]]
    w[:] = 2.9
    assert w.asnumpy().tolist() == [[2, 2, 2], [2, 2, 2]]
    w[0] = -2.9
    assert w.asnumpy().tolist() == [[-2, -2, -2], [2, 2, 2]]
    y = mx.nd.zeros((2, 3))
    y[:] = w
    assert y.dtype == np.float32 and y.asnumpy().tolist() == [[-2, -2, -2], [2, 2, 2]]


main(globals())
