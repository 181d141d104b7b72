"""NDArray indexing checks in the style of MXNet's test_ndarray.py::test_ndarray_indexing."""
import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_ndarray_indexing():
    def test_getitem(np_array, index):
        np_index = index
        if isinstance(index, mx.nd.NDArray):
            np_index = index.asnumpy().astype(np.int64)
        if isinstance(index, tuple):
            np_index = tuple([idx.asnumpy().astype(np.int64) if isinstance(idx, mx.nd.NDArray) else idx
                              for idx in index])
        np_indexed_array = np_array[np_index]
        mx_array = mx.nd.array(np_array, dtype=np_array.dtype)
        mx_indexed_array = mx_array[index].asnumpy()
        assert same(np_indexed_array, mx_indexed_array), "Failed with index=%s" % str(index)

    def test_setitem(np_array, index):
        def assert_same(np_array, np_index, mx_array, mx_index, mx_value, np_value=None):
            if np_value is not None:
                np_array[np_index] = np_value
            elif isinstance(mx_value, mx.nd.NDArray):
                np_array[np_index] = mx_value.asnumpy()
            else:
                np_array[np_index] = mx_value
            mx_array[mx_index] = mx_value
            assert same(np_array, mx_array.asnumpy())
        np_index = index
        if isinstance(index, mx.nd.NDArray):
            np_index = index.asnumpy().astype(np.int64)
        if isinstance(index, tuple):
            np_index = []
            for idx in index:
                if isinstance(idx, mx.nd.NDArray):
                    np_index.append(idx.asnumpy().astype(np.int64))
                else:
                    np_index.append(idx)
            np_index = tuple(np_index)
        mx_array = mx.nd.array(np_array, dtype=np_array.dtype)
        np_array = mx_array.asnumpy()
        indexed_array_shape = np_array[np_index].shape
        np_indexed_array = np.random.randint(low=-10000, high=0, size=indexed_array_shape)
        assert_same(np_array, np_index, mx_array, index, np.random.randint(low=-10000, high=0))
        assert_same(np_array, np_index, mx_array, index, mx.nd.array(np_indexed_array))
        assert_same(np_array, np_index, mx_array, index, np_indexed_array)
        if len(indexed_array_shape) > 1:
            np_value = np.random.randint(low=-10000, high=0, size=(indexed_array_shape[-1],))
            assert_same(np_array, np_index, mx_array, index, mx.nd.array(np_value), np_value)
            assert_same(np_array, np_index, mx_array, index, np_value)

    shape = (8, 16, 9, 9)
    np_array = np.arange(np.prod(shape), dtype="int32").reshape(shape)
    index_list = [(0, False), (np.int32(0), False), (np.int64(0), False), (5, False), (-1, False),
                  (slice(5), False), (slice(1, 5), False), (slice(1, 5, 2), False),
                  (slice(7, 0, -1), False), (slice(None, 6), False), (slice(None, 6, 3), False),
                  (slice(1, None), False), (slice(1, None, 3), False), (slice(None, None, 2), False),
                  (slice(None, None, -1), False), (slice(None, None, -2), False),
                  ((slice(None), slice(None), 1, 8), False), ((slice(None), slice(None), -1, 8), False),
                  ((slice(None), 2, slice(1, 5), 1), False), ((1, 2, 3), False),
                  ((slice(None, None, -1), 2, slice(1, 5), 1), False),
                  ((slice(None, None, -1), 2, slice(1, 7, 2), 1), False),
                  ((slice(1, 8, 2), 1, slice(3, 8), 2), False),
                  ((slice(1, 8, 2), 1, slice(3, 8), 2), False),
                  ((1,), False), ((1, 2), False), ((-1, -2), False),
                  ([1, 2], True), ([1, 2], False), (np.array([1, 2]), True),
                  (mx.nd.array([1, 2]), True), (([1, 2], slice(3, 5)), False),
                  ((mx.nd.array([1, 2]), slice(3, 5)), True),
                  ((slice(None), [1, 2], 3), True), ((1, [2, 3]), True),
                  (([1, 2], [3, 4]), True), (([[1, 2], [3, 4]], [0, 1]), True),
                  ((Ellipsis, 1), False), ((1, Ellipsis), False), ((None, 1), False),
                  ((1, None, slice(2, 4)), False), ((slice(None), None, 1, None), False),
                  ((np.array([True, False] * 4),), True),
                  ]
    for index in index_list:
        test_getitem(np_array, index[0])
        test_setitem(np_array.copy(), index[0])


@with_seed()
def test_assign_a_row_to_ndarray():
    H, W = 10, 10
    dtype = np.float32
    a_np = np.random.random((H, W)).astype(dtype)
    a_nd = mx.nd.array(a_np)
    b = np.random.random((W,)).astype(dtype)
    a_np[0] = b
    a_nd[0] = b
    assert same(a_np, a_nd.asnumpy())
    b_nd = mx.nd.array(np.random.random((W,)).astype(dtype))
    a_np[1] = b_nd.asnumpy()
    a_nd[1] = b_nd
    assert same(a_np, a_nd.asnumpy())
    b = np.random.random((1, W)).astype(dtype)
    a_np[2] = b
    a_nd[2] = b
    assert same(a_np, a_nd.asnumpy())
    a_np[:, 3] = 5
    a_nd[:, 3] = 5
    assert same(a_np, a_nd.asnumpy())
    a_np[3:5, ::2] = np.arange(10).reshape(2, 5)
    a_nd[3:5, ::2] = np.arange(10).reshape(2, 5)
    assert same(a_np, a_nd.asnumpy())


@with_seed()
def test_ndarray_nan_comparison_and_lesser():
    random_dimension = np.random.randint(2, 5)
    random_shape = [np.random.randint(2, 5) for i in range(random_dimension)]
    data1 = np.random.uniform(-10, 10, random_shape).astype(np.float32)
    data1[np.random.random(random_shape) > 0.5] = np.nan
    data2 = np.random.uniform(-10, 10, random_shape).astype(np.float32)
    data2[np.random.random(random_shape) > 0.5] = np.nan
    nd1 = mx.nd.array(data1)
    nd2 = mx.nd.array(data2)
    for op, f in [(np.greater, lambda a, b: a > b), (np.less, lambda a, b: a < b),
                  (np.equal, lambda a, b: a == b), (np.not_equal, lambda a, b: a != b),
                  (np.greater_equal, lambda a, b: a >= b), (np.less_equal, lambda a, b: a <= b)]:
        assert same(op(data1, data2).astype(np.float32), f(nd1, nd2).asnumpy())
    x = mx.nd.array([1, 2, 3])
    assert same((x <= 2).asnumpy(), np.array([1, 1, 0], dtype=np.float32))
    assert same(mx.nd.lesser_equal(x, 2).asnumpy(), np.array([1, 1, 0], dtype=np.float32))
    assert same(mx.nd.greater(x, mx.nd.array([0, 5, 1])).asnumpy(), np.array([1, 0, 1], dtype=np.float32))


@with_seed()
def test_zero_from_numpy_and_scalar_types():
    arrays = [np.array(0, dtype=np.int32), np.array([], dtype=np.float32).reshape(0, 3)]
    assert mx.nd.array(arrays[0]).shape == ()
    assert mx.nd.array(arrays[1]).shape == (0, 3)
    for dtype in ["int8", "uint8", "int32", "int64", "float16", "float64", "bool"]:
        a = mx.nd.array(np.ones((2, 2), dtype=dtype), dtype=dtype)
        assert a.dtype == np.dtype(dtype)
        assert a.asnumpy().dtype == np.dtype(dtype)
    assert mx.nd.array([1, 2], dtype="float16").asnumpy().tolist() == [1.0, 2.0]
    a = mx.nd.array([2 ** 31 + 1], dtype="int64")
    assert int(a.asnumpy()[0]) == 2 ** 31 + 1
    assert mx.nd.array([[1, 2], [3, 4]])[1][0].asscalar() == 3
    assert mx.nd.array([1.5]).asscalar() == 1.5
    assert isinstance(mx.nd.array([1.5]).asscalar(), np.float32)


@with_seed()
def test_update_ops_mutation():
    def assert_mutate(x, y):
        np.testing.assert_raises(AssertionError, np.testing.assert_allclose, x, y)

    def assert_unchanged(x, y):
        np.testing.assert_allclose(x, y)

    def test_op(op, num_inputs, mutated_inputs, **params):
        for dim in range(1, 7):
            shape = rand_shape_nd(dim)
            shapes = (shape,) * num_inputs
            ndarrays = [mx.nd.random.uniform(shape=shape) for s in shapes]
            pre_array = [a.asnumpy() for a in ndarrays]
            out = op(*ndarrays, **params)
            post_array = [a.asnumpy() for a in ndarrays]
            for idx in range(num_inputs):
                if idx in mutated_inputs:
                    assert_mutate(pre_array[idx], post_array[idx])
                else:
                    assert_unchanged(pre_array[idx], post_array[idx])
    test_op(mx.nd.signsgd_update, 2, [0], lr=0.01)
    test_op(mx.nd.signum_update, 3, [0, 2], lr=0.01)
    test_op(mx.nd.sgd_update, 2, [0], lr=0.01)
    test_op(mx.nd.sgd_mom_update, 3, [0, 2], lr=0.01)
    test_op(mx.nd.nag_mom_update, 3, [0, 2], lr=0.01)
    test_op(mx.nd.ftml_update, 5, [0, 2, 3, 4], lr=0.01, t=1)
    test_op(mx.nd.adam_update, 4, [0, 2, 3], lr=0.01)
    test_op(mx.nd.rmspropalex_update, 5, [0, 2, 3, 4], lr=0.01)
    test_op(mx.nd.rmsprop_update, 3, [0, 2], lr=0.01)
    test_op(mx.nd.ftrl_update, 4, [0, 2, 3], lr=0.01)


@with_seed()
def test_ndarray_stack_and_concat_ops():
    arrs = [mx.nd.random.uniform(shape=(2, 3)) for _ in range(4)]
    s = mx.nd.stack(*arrs, axis=1)
    assert same(s.asnumpy(), np.stack([a.asnumpy() for a in arrs], axis=1))
    c = mx.nd.concat(*arrs, dim=1)
    assert c.shape == (2, 12)
    c = mx.nd.Concat(*arrs, dim=0, num_args=4)
    assert c.shape == (8, 3)
    s = mx.nd.add_n(*arrs)
    assert_almost_equal(s, sum(a.asnumpy() for a in arrs), rtol=1e-5, atol=1e-6)


main(globals())
