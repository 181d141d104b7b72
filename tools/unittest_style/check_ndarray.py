"""NDArray checks in the style of MXNet's test_ndarray.py (own code)."""
import os
import pickle
import tempfile

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def check_with_uniform(uf, arg_shapes, dim=None, npuf=None, rmin=-10, type_list=[np.float32]):
    if isinstance(arg_shapes, int):
        shape = rand_shape_nd(dim) if dim else rand_shape_nd(3)
        arg_shapes = [shape] * arg_shapes
    for dtype in type_list:
        ndarray_arg, numpy_arg = [], []
        for s in arg_shapes:
            npy = np.random.uniform(rmin, 10, s).astype(dtype)
            ndarray_arg.append(mx.nd.array(npy, dtype=dtype))
            numpy_arg.append(npy)
        out1 = uf(*ndarray_arg)
        out2 = (npuf or uf)(*numpy_arg).astype(dtype)
        assert out1.shape == out2.shape
        if isinstance(out1, mx.nd.NDArray):
            out1 = out1.asnumpy()
        assert_almost_equal(out1, out2, rtol=1e-4, atol=1e-5)


def random_ndarray(dim):
    shape = tuple(np.random.randint(1, int(1000 ** (1.0 / dim)), size=dim))
    return mx.nd.array(np.random.uniform(-10, 10, shape))


@with_seed()
def test_ndarray_setitem():
    shape = (3, 4, 2)
    x = mx.nd.zeros(shape)
    x[:] = 1
    assert same(x.asnumpy(), np.ones(shape))
    x = mx.nd.zeros(shape)
    x[:] = mx.nd.ones(shape)
    assert same(x.asnumpy(), np.ones(shape))
    x = mx.nd.zeros(shape)
    x[1] = 1
    x_np = np.zeros(shape, dtype=x.dtype)
    x_np[1] = 1
    assert same(x.asnumpy(), x_np)
    x = mx.nd.zeros(shape)
    x[-1] = 1
    x_np = np.zeros(shape)
    x_np[-1] = 1
    assert same(x.asnumpy(), x_np)
    x = mx.nd.zeros(shape)
    x[1:2] = np.ones((1, 4, 2))
    x_np = np.zeros(shape)
    x_np[1:2] = 1
    assert same(x.asnumpy(), x_np)
    x = mx.nd.zeros(shape)
    x[:, 1, ::2] = 2
    x_np = np.zeros(shape)
    x_np[:, 1, ::2] = 2
    assert same(x.asnumpy(), x_np)
    x = mx.nd.zeros((3, 4))
    x[0, :] = mx.nd.array([1, 2, 3, 4])
    assert same(x[0].asnumpy(), np.array([1, 2, 3, 4]))
    # shape inference of setitem values
    x = mx.nd.zeros((4, 4))
    x[:, 2] = np.arange(4)
    assert same(x[:, 2].asnumpy(), np.arange(4))


@with_seed()
def test_ndarray_elementwise():
    nrepeat = 3
    maxdim = 4
    all_type = [np.float32, np.float64, np.float16, np.uint8, np.int8, np.int32, np.int64]
    real_type = [np.float32, np.float64, np.float16]
    for _ in range(nrepeat):
        for dim in range(1, maxdim):
            check_with_uniform(lambda x, y: x + y, 2, dim, type_list=all_type)
            check_with_uniform(lambda x, y: x - y, 2, dim, type_list=all_type)
            check_with_uniform(lambda x, y: x * y, 2, dim, type_list=all_type)
            check_with_uniform(lambda x, y: x / y, 2, dim, type_list=real_type)
            check_with_uniform(lambda x, y: x / y, 2, dim, rmin=1, type_list=all_type)
            check_with_uniform(mx.nd.sqrt, 1, dim, np.sqrt, rmin=0)
            check_with_uniform(mx.nd.square, 1, dim, np.square, rmin=0)
            check_with_uniform(lambda x: mx.nd.norm(x).asscalar(), 1, dim, np.linalg.norm)


@with_seed()
def test_ndarray_elementwisesum():
    ones = mx.nd.ones((10,), dtype=np.int32)
    res = mx.nd.ElementWiseSum(ones, ones * 2, ones * 4, ones * 8)
    assert same(res.asnumpy(), ones.asnumpy() * 15)
    res = mx.nd.add_n(ones, ones * 2)
    assert same(res.asnumpy(), ones.asnumpy() * 3)


@with_seed()
def test_ndarray_negate():
    npy = np.random.uniform(-10, 10, rand_shape_2d())
    arr = mx.nd.array(npy)
    assert_almost_equal(npy, arr.asnumpy())
    assert_almost_equal(-npy, (-arr).asnumpy())
    assert_almost_equal(npy, arr.asnumpy())


@with_seed()
def test_ndarray_magic_abs():
    for dim in range(1, 7):
        shape = rand_shape_nd(dim)
        npy = np.random.uniform(-10, 10, shape)
        arr = mx.nd.array(npy)
        assert_almost_equal(abs(arr).asnumpy(), arr.abs().asnumpy())


@with_seed()
def test_ndarray_reshape():
    tensor = (mx.nd.arange(30) + 1).reshape(2, 3, 5)
    true_res = mx.nd.arange(30) + 1
    assert same(tensor.reshape((-1,)).asnumpy(), true_res.asnumpy())
    assert same(tensor.reshape((2, -1)).asnumpy(), true_res.reshape(2, 15).asnumpy())
    assert same(tensor.reshape((0, -1)).asnumpy(), true_res.reshape(2, 15).asnumpy())
    assert same(tensor.reshape((-1, 2)).asnumpy(), true_res.reshape(15, 2).asnumpy())
    assert same(tensor.reshape(6, 5).asnumpy(), true_res.reshape(6, 5).asnumpy())
    assert same(tensor.reshape(-1, 2).asnumpy(), true_res.reshape(15, 2).asnumpy())
    assert same(tensor.reshape(-1).asnumpy(), true_res.asnumpy())
    assert same(tensor.reshape(30).asnumpy(), true_res.asnumpy())
    assert same(tensor.reshape(0, -1).asnumpy(), true_res.reshape(2, 15).asnumpy())
    assert same(tensor.reshape(-1, 0).asnumpy(), true_res.reshape(10, 3).asnumpy())
    assert same(tensor.reshape(-1, 0, reverse=True).asnumpy(), true_res.reshape(6, 5).asnumpy())
    assert same(tensor.reshape(-2,).asnumpy(), tensor.asnumpy())
    assert same(tensor.reshape(-3, -1).asnumpy(), true_res.reshape(6, 5).asnumpy())
    assert same(tensor.reshape(-4, 1, 2, -2).asnumpy(), true_res.reshape(1, 2, 3, 5).asnumpy())
    assert tensor.reshape(-4, 2, -1, 0, 0).shape == (2, 1, 3, 5)


@with_seed()
def test_ndarray_choose():
    shape = (100, 20)
    npy = np.arange(np.prod(shape)).reshape(shape)
    arr = mx.nd.array(npy)
    nrepeat = 3
    for _ in range(nrepeat):
        indices = np.random.randint(shape[1], size=shape[0])
        assert same(npy[np.arange(shape[0]), indices],
                    mx.nd.choose_element_0index(arr, mx.nd.array(indices)).asnumpy())


@with_seed()
def test_ndarray_fill():
    shape = (100, 20)
    npy = np.arange(np.prod(shape)).reshape(shape)
    arr = mx.nd.array(npy)
    new_npy = npy.copy()
    indices = np.random.randint(shape[1], size=shape[0])
    val = np.random.randint(shape[1], size=shape[0])
    new_npy[:] = npy
    new_npy[np.arange(shape[0]), indices] = val
    assert same(new_npy, mx.nd.fill_element_0index(arr, mx.nd.array(val),
                                                   mx.nd.array(indices)).asnumpy())


@with_seed()
def test_ndarray_onehot():
    shape = (100, 20)
    npy = np.arange(np.prod(shape)).reshape(shape)
    arr = mx.nd.array(npy)
    indices = np.random.randint(shape[1], size=shape[0])
    npy[:] = 0.0
    npy[np.arange(shape[0]), indices] = 1.0
    mx.nd.onehot_encode(mx.nd.array(indices), out=arr)
    assert same(npy, arr.asnumpy())


def test_init_from_scalar():
    npy = np.ones([])
    arr = mx.nd.array(npy)
    assert arr.shape == ()
    assert same(npy, arr.asnumpy())


@with_seed()
def test_ndarray_copy():
    c = mx.nd.array(np.random.uniform(-10, 10, (10, 10)))
    d = c.copyto(mx.Context("cpu", 0))
    assert np.sum(np.abs(c.asnumpy() != d.asnumpy())) == 0.0
    e = c.copy()
    e[:] = 0
    assert c.asnumpy().sum() != 0
    f = mx.nd.zeros((10, 10))
    c.copyto(f)
    assert same(f.asnumpy(), c.asnumpy())


@with_seed()
def test_ndarray_scalar():
    c = mx.nd.empty((10, 10))
    d = mx.nd.empty((10, 10))
    c[:] = 0.5
    d[:] = 1.0
    d -= c * 2 / 3 * 6.0
    c += 0.5
    assert np.sum(c.asnumpy()) - 100 < 1e-5
    assert np.sum(d.asnumpy()) + 100 < 1e-5
    c[:] = 2
    assert np.sum(c.asnumpy()) - 200 < 1e-5
    d = -c + 2
    assert np.sum(d.asnumpy()) < 1e-5


@with_seed()
def test_ndarray_pickle():
    maxdim = 5
    for dim in range(1, maxdim):
        a = random_ndarray(dim)
        b = mx.nd.empty(a.shape)
        a[:] = np.random.uniform(-10, 10, a.shape)
        b[:] = np.random.uniform(-10, 10, a.shape)
        a = a + b
        data = pickle.dumps(a)
        a2 = pickle.loads(data)
        assert np.sum(a.asnumpy() != a2.asnumpy()) == 0


@with_seed()
def test_ndarray_saveload():
    nrepeat = 3
    fname = os.path.join(tempfile.mkdtemp(), "tmp_list.bin")
    for _ in range(nrepeat):
        data = []
        for _ in range(10):
            data.append(random_ndarray(np.random.randint(1, 5)))
        mx.nd.save(fname, data)
        data2 = mx.nd.load(fname)
        assert len(data) == len(data2)
        for x, y in zip(data, data2):
            assert np.sum(x.asnumpy() != y.asnumpy()) == 0
        dmap = {"ndarray xx %s" % i: x for i, x in enumerate(data)}
        mx.nd.save(fname, dmap)
        dmap2 = mx.nd.load(fname)
        assert len(dmap2) == len(dmap)
        for k, x in dmap.items():
            assert np.sum(x.asnumpy() != dmap2[k].asnumpy()) == 0
    # a single array saves as a list
    mx.nd.save(fname, data[0])
    assert isinstance(mx.nd.load(fname), list)
    # save/load to/from buffer
    buf = bytearray(open(fname, "rb").read())
    loaded = mx.nd.load_frombuffer(bytes(buf))
    assert same(loaded[0].asnumpy(), data[0].asnumpy())


def test_ndarray_legacy_load_empty():
    fname = os.path.join(tempfile.mkdtemp(), "empty.bin")
    mx.nd.save(fname, [])
    assert mx.nd.load(fname) == []
    mx.nd.save(fname, {})
    assert len(mx.nd.load(fname)) == 0


@with_seed()
def test_ndarray_slice():
    shape = (10,)
    A = mx.nd.array(np.random.uniform(-10, 10, shape))
    A2 = A.asnumpy()
    assert same(A[3:8].asnumpy(), A2[3:8])
    A2[3:8] *= 10
    A[3:8] = A2[3:8]
    assert same(A[3:8].asnumpy(), A2[3:8])
    shape = (3, 4, 5, 6, 7)
    A = mx.nd.random.uniform(shape=shape)
    A2 = A.asnumpy()
    assert same(A[1, 3:4, :, 1:5].asnumpy(), A2[1, 3:4, :, 1:5])
    assert A[1, 2, 3, 4, 5].asscalar() == A2[1, 2, 3, 4, 5]
    a = mx.nd.array([[0, 1], [2, 3]])
    assert (a[[1, 1, 0], [0, 1, 0]].asnumpy() == [2, 3, 0]).all()
    assert (a[mx.nd.array([1, 1, 0]), mx.nd.array([0, 1, 0])].asnumpy() == [2, 3, 0]).all()
    # step slicing, negative indices
    A = mx.nd.arange(24).reshape(2, 3, 4)
    B = A.asnumpy()
    assert same(A[:, ::-1, 1:3].asnumpy(), B[:, ::-1, 1:3])
    assert same(A[-1, -2].asnumpy(), B[-1, -2])
    assert same(A[:, None, 1].asnumpy(), B[:, None, 1])
    assert same(A[..., 2].asnumpy(), B[..., 2])


@with_seed()
def test_ndarray_crop():
    x = mx.nd.ones((2, 3, 4))
    y = mx.nd.crop(x, begin=(0, 0, 0), end=(2, 1, 3))
    assert same(y.asnumpy(), np.ones((2, 1, 3), dtype=y.dtype))
    z = mx.nd.zeros((2, 1, 3))
    x = mx.nd._internal._crop_assign(x, z, begin=(0, 0, 0), end=(2, 1, 3))
    arr = np.ones(x.shape)
    arr[:, :1, :3] = 0
    assert same(x.asnumpy(), arr)


@with_seed()
def test_ndarray_concatenate():
    axis = 1
    shapes = [(2, 3, 4, 2), (2, 2, 4, 2), (2, 1, 4, 2)]
    arrays_np = [np.random.uniform(-10, 10, s).astype(np.float32) for s in shapes]
    arrays_nd = [mx.nd.array(x) for x in arrays_np]
    array_nd = mx.nd.concatenate(arrays_nd, axis=axis)
    array_np = np.concatenate(arrays_np, axis=axis)
    assert same(array_np, array_nd.asnumpy())


@with_seed()
def test_clip():
    shape = (10,)
    A = mx.random.uniform(-10, 10, shape)
    B = mx.nd.clip(A, -2, 2)
    B1 = B.asnumpy()
    for i in range(shape[0]):
        assert B1[i] >= -2
        assert B1[i] <= 2


@with_seed()
def test_dot():
    a = np.random.uniform(-3, 3, (3, 4))
    a = a.reshape(3, 4)
    b = np.random.uniform(-3, 3, (4, 5))
    c = np.dot(a, b)
    A = mx.nd.array(a)
    B = mx.nd.array(b)
    C = mx.nd.dot(A, B)
    assert_almost_equal(c, C.asnumpy(), atol=1e-5)
    # trans
    C = mx.nd.dot(A, mx.nd.array(a), transpose_a=True)
    assert_almost_equal(np.dot(a.T, a), C.asnumpy(), rtol=1e-4, atol=1e-5)
    # scalar x scalar-ish
    a = mx.nd.array([3.0])
    b = mx.nd.array([2.0])
    assert mx.nd.dot(a, b).asscalar() == 6.0


@with_seed()
def test_reduce():
    sample_num = 20

    def test_reduce_inner(numpy_reduce_func, nd_reduce_func, multi_axes):
        for _ in range(sample_num):
            ndim = np.random.randint(1, 6)
            shape = np.random.randint(1, 11, size=ndim)
            axis_flags = np.random.randint(0, 2, size=ndim)
            axes = []
            for (axis, flag) in enumerate(axis_flags):
                if flag:
                    axes.append(axis)
            keepdims = np.random.randint(0, 2)
            dat = np.random.rand(*shape) - 0.5
            if 0 == len(axes):
                axes = tuple(range(ndim))
            else:
                axes = tuple(axes)
            if multi_axes:
                ndarray_ret = nd_reduce_func(mx.nd.array(dat), axis=axes, keepdims=keepdims)
            else:
                axes = np.random.randint(0, ndim)
                ndarray_ret = nd_reduce_func(mx.nd.array(dat), axis=axes, keepdims=keepdims)
            numpy_ret = numpy_reduce_func(dat, axis=axes, keepdims=keepdims)
            ndarray_ret = ndarray_ret.asnumpy()
            assert (ndarray_ret.shape == numpy_ret.shape) or \
                   (ndarray_ret.shape == (1,) and numpy_ret.shape == ()), \
                "nd:%s, numpy:%s" % (ndarray_ret.shape, numpy_ret.shape)
            err = np.square(ndarray_ret - numpy_ret).mean()
            assert err < 1E-4
    test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.sum),
                      mx.nd.sum, True)
    test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.max),
                      mx.nd.max, True)
    test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.min),
                      mx.nd.min, True)
    test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.argmax),
                      mx.nd.argmax, False)
    test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.argmin),
                      mx.nd.argmin, False)


@with_seed()
def test_broadcast():
    sample_num = 100
    for _ in range(sample_num):
        ndim = np.random.randint(1, 6)
        target_shape = np.random.randint(1, 11, size=ndim)
        shape = target_shape.copy()
        axis_flags = np.random.randint(0, 2, size=ndim)
        for (axis, flag) in enumerate(axis_flags):
            if flag:
                shape[axis] = 1
        dat = np.random.rand(*shape) - 0.5
        numpy_ret = dat
        ndarray_ret = mx.nd.array(dat).broadcast_to(shape=target_shape)
        if type(ndarray_ret) is mx.ndarray.NDArray:
            ndarray_ret = ndarray_ret.asnumpy()
        assert (ndarray_ret.shape == target_shape).all()
        err = np.square(ndarray_ret - numpy_ret).mean()
        assert err < 1E-8
        ndarray_ret = mx.nd.array(dat).broadcast_like(mx.nd.zeros(tuple(target_shape)))
        assert ndarray_ret.shape == tuple(target_shape)


@with_seed()
def test_broadcast_binary():
    N = 100
    def check_broadcast_binary(fn):
        for _ in range(N):
            ndim = np.random.randint(1, 6)
            oshape = np.random.randint(1, 6, size=(ndim,))
            bdim = np.random.randint(1, ndim + 1)
            lshape = list(oshape)
            rshape = list(oshape[ndim - bdim:])
            for i in range(bdim):
                sep = np.random.uniform(0, 1)
                if sep < 0.33:
                    lshape[ndim - i - 1] = 1
                elif sep < 0.66:
                    rshape[bdim - i - 1] = 1
            lhs = np.random.normal(0, 1, size=lshape)
            rhs = np.random.normal(0, 1, size=rshape)
            assert_allclose(fn(lhs, rhs),
                            fn(mx.nd.array(lhs), mx.nd.array(rhs)).asnumpy(),
                            rtol=1e-4, atol=1e-4)
    check_broadcast_binary(lambda x, y: x + y)
    check_broadcast_binary(lambda x, y: x - y)
    check_broadcast_binary(lambda x, y: x * y)
    check_broadcast_binary(lambda x, y: x / y)
    check_broadcast_binary(lambda x, y: x > y)
    check_broadcast_binary(lambda x, y: x < y)
    check_broadcast_binary(lambda x, y: x >= y)
    check_broadcast_binary(lambda x, y: x <= y)
    check_broadcast_binary(lambda x, y: x == y)


@with_seed()
def test_moveaxis():
    X = mx.nd.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    res = mx.nd.moveaxis(X, 0, 2).asnumpy()
    true_res = mx.nd.array([[[1., 7.], [2., 8.], [3., 9.]], [[4., 10.], [5., 11.], [6., 12.]]])
    assert same(res, true_res.asnumpy())
    assert mx.nd.moveaxis(X, 2, 0).shape == (3, 2, 2)
    assert mx.nd.moveaxis(X, -1, 0).shape == (3, 2, 2)


@with_seed()
def test_arange():
    for _ in range(5):
        start = np.random.rand() * 10
        stop = start + np.random.rand() * 100
        step = np.random.rand() * 4
        repeat = int(np.random.rand() * 5) + 1
        gt = np.arange(start=start, stop=stop, step=step)
        gt = np.broadcast_to(gt.reshape((gt.shape[0], 1)), shape=(gt.shape[0], repeat)).ravel()
        pred = mx.nd.arange(start=start, stop=stop, step=step, repeat=repeat).asnumpy()
        assert_almost_equal(pred, gt)
    gt = np.arange(start=0, stop=10000**2, step=10001, dtype=np.int32)
    pred = mx.nd.arange(start=0, stop=10000**2, step=10001, dtype="int32").asnumpy()
    assert_almost_equal(pred, gt)


@with_seed()
def test_linspace():
    for _ in range(5):
        start = np.random.rand() * 100
        stop = np.random.rand() * 100
        num = np.random.randint(20)
        gt = np.linspace(start, stop, num)
        pred = mx.nd.linspace(start, stop, num).asnumpy()
        assert_almost_equal(pred, gt)
        gt = np.linspace(start, stop, num, endpoint=False)
        pred = mx.nd.linspace(start, stop, num, endpoint=False).asnumpy()
        assert_almost_equal(pred, gt)


@with_seed()
def test_order():
    ctx = default_context()
    dat_size = 5

    def gt_topk(dat, axis, ret_typ, k, is_ascend):
        if ret_typ == "indices":
            if is_ascend:
                indices = np.arange(k)
            else:
                indices = np.arange(-1, -k - 1, -1)
            ret = np.take(dat.argsort(axis=axis), axis=axis, indices=indices, mode="wrap")
        elif ret_typ == "value":
            if is_ascend:
                indices = np.arange(k)
            else:
                indices = np.arange(-1, -k - 1, -1)
            ret = np.take(np.sort(dat, axis=axis), axis=axis, indices=indices, mode="wrap")
        else:
            assert dat.shape == (5, 5, 5, 5)
            assert axis is None or axis == 1
            ret = np.zeros(dat.shape)
            if is_ascend:
                indices = np.arange(k)
            else:
                indices = np.arange(-1, -k - 1, -1)
            gt_argsort = np.take(dat.argsort(axis=axis), axis=axis, indices=indices, mode="wrap")
            if axis is None:
                ret.ravel()[gt_argsort] = 1
            else:
                for i in range(5):
                    for j in range(5):
                        for k2 in range(5):
                            ret[i, gt_argsort[i, :, j, k2], j, k2] = 1
        return ret

    dtype = np.float32
    a_npy = np.arange(dat_size ** 4, dtype=dtype).reshape(dat_size, dat_size, dat_size, dat_size)
    np.random.shuffle(a_npy.ravel())
    a_nd = mx.nd.array(a_npy, ctx=ctx, dtype=dtype)
    for axis in [1, 3, None]:
        for is_ascend in [True, False]:
            for k in [1, 3]:
                nd_ret = mx.nd.topk(a_nd, axis=axis, ret_typ="indices", k=k,
                                    is_ascend=is_ascend, dtype=np.float64).asnumpy()
                gt = gt_topk(a_npy, axis=axis, ret_typ="indices", k=k, is_ascend=is_ascend)
                assert_almost_equal(nd_ret, gt)
                nd_ret = mx.nd.topk(a_nd, axis=axis, ret_typ="value", k=k,
                                    is_ascend=is_ascend).asnumpy()
                gt = gt_topk(a_npy, axis=axis, ret_typ="value", k=k, is_ascend=is_ascend)
                assert_almost_equal(nd_ret, gt)
    for axis in [1, None]:
        nd_ret = mx.nd.topk(a_nd, axis=axis, ret_typ="mask", k=3, is_ascend=False).asnumpy()
        gt = gt_topk(a_npy, axis=axis, ret_typ="mask", k=3, is_ascend=False)
        assert_almost_equal(nd_ret, gt)
    nd_ret_topk_val, nd_ret_topk_ind = mx.nd.topk(a_nd, axis=1, ret_typ="both", k=3,
                                                  is_ascend=False)
    assert_almost_equal(nd_ret_topk_val.asnumpy(),
                        gt_topk(a_npy, axis=1, ret_typ="value", k=3, is_ascend=False))
    assert nd_ret_topk_ind.dtype == np.float32
    nd_ret_sort = mx.nd.sort(a_nd, axis=1, is_ascend=True).asnumpy()
    assert_almost_equal(nd_ret_sort, np.sort(a_npy, axis=1))
    nd_ret_argsort = mx.nd.argsort(a_nd, axis=None, is_ascend=False, dtype=np.int32).asnumpy()
    assert nd_ret_argsort.dtype == np.int32
    assert_almost_equal(nd_ret_argsort, np.argsort(-a_npy.ravel(), kind="stable"))
    # topk with k=0 returns all
    assert mx.nd.topk(a_nd, axis=1, k=0, ret_typ="value").shape == (5, 5, 5, 5)


@with_seed()
def test_ndarray_equal():
    x = mx.nd.zeros((2, 3))
    y = mx.nd.ones((2, 3))
    z = x == y
    assert (z.asnumpy() == np.zeros((2, 3))).all()
    z = 0 == x
    assert (z.asnumpy() == np.ones((2, 3))).all()
    z = x != y
    assert (z.asnumpy() == np.ones((2, 3))).all()
    z = x > y
    assert (z.asnumpy() == 0).all()
    z = 0 <= x
    assert (z.asnumpy() == 1).all()


@with_seed()
def test_ndarray_fluent():
    has_grad = set(["flatten", "expand_dims", "flip", "tile", "transpose", "sum", "nansum",
                    "prod", "nanprod", "mean", "max", "min", "reshape", "broadcast_to", "split",
                    "split_v2", "broadcast_axes", "pad", "swapaxes", "slice", "slice_axis",
                    "slice_like", "take", "one_hot", "pick", "sort", "topk", "argsort", "argmax",
                    "argmin", "clip", "abs", "sign", "sin", "cos", "tan", "arcsin", "arccos",
                    "arctan", "degrees", "radians", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
                    "arctanh", "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
                    "square", "reshape_like", "cbrt", "rcbrt", "relu", "sigmoid", "softmax",
                    "log_softmax", "softmin", "reciprocal"])

    def check_fluent_regular(func, kwargs, shape=(5, 17, 1), equal_nan=False):
        with mx.name.NameManager():
            data = mx.nd.random_uniform(shape=shape, ctx=default_context())
            regular = getattr(mx.ndarray, func)(data, **kwargs)
            fluent = getattr(data, func)(**kwargs)
            if isinstance(regular, list):
                for r, f in zip(regular, fluent):
                    assert almost_equal(r.asnumpy(), f.asnumpy(), equal_nan=equal_nan)
            else:
                assert almost_equal(regular.asnumpy(), fluent.asnumpy(), equal_nan=equal_nan)

    for func in ["flatten", "norm", "round", "rint", "fix", "floor", "ceil", "trunc", "zeros_like",
                 "ones_like", "abs", "sign", "sin", "cos", "degrees", "radians", "exp", "expm1",
                 "square", "reciprocal", "argmax_channel", "shape_array", "size_array"]:
        check_fluent_regular(func, {})
    for func in ["arccosh", "arcsin", "arccos", "arctan", "tan", "sinh", "cosh", "tanh",
                 "arcsinh", "arctanh", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
                 "cbrt", "rcbrt", "relu", "sigmoid", "softmax", "log_softmax", "softmin"]:
        check_fluent_regular(func, {}, equal_nan=True)
    for func in ["expand_dims", "flip", "sort", "topk", "argsort", "argmax", "argmin"]:
        check_fluent_regular(func, {"axis": 1})
    check_fluent_regular("one_hot", {"depth": 15})
    check_fluent_regular("tile", {"reps": (1, 2)})
    check_fluent_regular("repeat", {"repeats": 3})
    check_fluent_regular("transpose", {"axes": (1, 0, 2)})
    check_fluent_regular("split", {"axis": 2, "num_outputs": 3}, shape=(5, 17, 6))
    check_fluent_regular("split_v2", {"axis": 2, "indices_or_sections": 3}, shape=(5, 17, 6))
    check_fluent_regular("split_v2", {"axis": 2, "indices_or_sections": (1, 3, 5)}, shape=(5, 17, 6))
    check_fluent_regular("slice", {"begin": (2, 5, 1), "end": (4, 7, 6)}, shape=(5, 17, 6))
    check_fluent_regular("slice_axis", {"axis": 1, "begin": 5, "end": 7})
    check_fluent_regular("slice_like", {"axes": (0, -2), "shape_like": mx.nd.zeros((3, 3))})
    check_fluent_regular("take", {"indices": mx.nd.array([2, 3])})
    check_fluent_regular("pick", {"axis": 1, "index": mx.nd.array([[2], [3], [5], [6], [11]])})
    check_fluent_regular("clip", {"a_min": 0.25, "a_max": 0.75})
    check_fluent_regular("broadcast_axes", {"axis": (2,), "size": (5,)})
    check_fluent_regular("pad", {"mode": "constant", "pad_width": (0, 0, 0, 0, 3, 0, 0, 4)},
                         shape=(5, 17, 2, 3))
    check_fluent_regular("reshape_like", {"rhs": mx.nd.ones((30, 17))}, shape=(5, 17, 2, 3))
    for func in ["sum", "nansum", "prod", "nanprod", "mean", "max", "min", "norm"]:
        check_fluent_regular(func, {"axis": (1, 2)})
    check_fluent_regular("reshape", {"shape": (17, 1, 5)})
    check_fluent_regular("broadcast_to", {"shape": (5, 17, 47)})
    check_fluent_regular("squeeze", {"axis": (1, 3)}, shape=(2, 1, 3, 1, 4))
    check_fluent_regular("squeeze", {}, shape=(2, 1, 3, 1, 4))


def test_ndarray_indexing_errors():
    a = mx.nd.zeros((3, 4))
    assertRaises(IndexError, lambda: a[5])
    assertRaises(IndexError, lambda: a[1, 2, 3])
    assertRaises((IndexError, TypeError, ValueError, MXNetError), lambda: a["x"])


@with_seed()
def test_iter():
    x = mx.nd.array([1, 2, 3])
    y = []
    for a in x:
        y.append(a)
    for i in range(x.size):
        assert same(y[i].asnumpy(), x[i].asnumpy())


@with_seed()
def test_cached():
    sym = mx.sym.Convolution(kernel=(3, 3), num_filter=10) + 2
    op = mx.nd.CachedOp(sym)
    data = mx.nd.ones((3, 4, 10, 10))
    weight = mx.nd.ones((10, 4, 3, 3))
    bias = mx.nd.ones((10,))
    o1 = op(data, weight, bias)
    bias[:] = 2
    o2 = op(data, weight, bias)
    assert_almost_equal(o2.asnumpy(), o1.asnumpy() + 1)
    o2[:] = 0
    op(data, weight, bias, out=o2)
    assert_almost_equal(o2.asnumpy(), o1.asnumpy() + 1)


@with_seed()
def test_output():
    shape = (2, 2)
    ones = mx.nd.ones(shape)
    zeros = mx.nd.zeros(shape)
    out = mx.nd.zeros(shape)
    mx.nd.ones(shape, out=out)
    assert_almost_equal(out.asnumpy(), ones.asnumpy())
    mx.nd.zeros(shape, out=out)
    assert_almost_equal(out.asnumpy(), zeros.asnumpy())
    mx.nd.full(shape, 2, out=out)
    assert_almost_equal(out.asnumpy(), ones.asnumpy() * 2)
    arange_out = mx.nd.arange(0, 20, dtype="int64")
    assert_almost_equal(arange_out.asnumpy(), np.arange(0, 20))
    N_array = np.random.randint(1, high=8, size=10)
    M_array = np.random.randint(1, high=8, size=10)
    k_array = np.random.randint(-10, high=10, size=10)
    for i in range(10):
        N, M, k = N_array[i], M_array[i], k_array[i]
        assert_almost_equal(np.eye(N, M, k), mx.nd.eye(N, M, k).asnumpy())
        assert_almost_equal(np.eye(N, k=k), mx.nd.eye(N, k=k).asnumpy())


@with_seed()
def test_ndarray_astype():
    x = mx.nd.zeros((2, 3), dtype="int32")
    y = x.astype("float32")
    assert y.dtype == np.float32
    assert id(x) != id(y)
    y = x.astype("int32", copy=False)
    assert id(x) == id(y)
    y = x.astype("int32", copy=True)
    assert id(x) != id(y)
    y = x.astype(np.float16)
    assert y.dtype == np.float16


@with_seed()
def test_norm():
    try:
        import scipy
        assert scipy
    except ImportError:
        return

    def l1norm(input_data, axis=0, keepdims=False):
        return np.sum(abs(input_data), axis=axis, keepdims=keepdims)

    def l2norm(input_data, axis=0, keepdims=False):
        return np.linalg.norm(input_data, axis=axis, keepdims=keepdims)

    in_data_dim = rand_shape_nd(4)
    for dtype in [np.float16, np.float32, np.float64]:
        in_data = np.random.uniform(-1, 1, in_data_dim).astype(dtype)
        in_data[abs(in_data) < 0.05] = 0.05
        mx_arr = mx.nd.array(in_data)
        for ord in [1, 2]:
            for keep_dims in [True, False]:
                for i in range(4):
                    npy_out = l1norm(in_data, i, keep_dims) if ord == 1 else l2norm(in_data, i, keep_dims)
                    mx_out = mx.nd.norm(mx_arr, ord=ord, axis=i, keepdims=keep_dims)
                    assert npy_out.shape == mx_out.shape
                    assert_almost_equal(npy_out, mx_out.asnumpy(), rtol=1e-2 if dtype == np.float16 else 1e-3,
                                        atol=1e-2 if dtype == np.float16 else 1e-5)


@with_seed()
def test_ndarray_cpu_shared_ctx():
    ctx = mx.Context("cpu_shared", 0)
    res = mx.nd.zeros((1, 2, 3), ctx=ctx)
    assert res.context == ctx


@with_seed()
def test_dlpack():
    for dtype in [np.float32, np.int32]:
        for shape in [(3, 4, 5, 6), (2, 10), (15,)]:
            a = mx.nd.random.uniform(shape=shape)
            a_np = a.copy()
            pack = a.to_dlpack_for_read()
            b = mx.nd.from_dlpack(pack)
            a_copy = a.copy()
            pack2 = a_copy.to_dlpack_for_write()
            c = mx.nd.from_dlpack(pack2)
            del a, pack, pack2
            assert same(a_np.asnumpy(), b.asnumpy())
            assert same(a_np.asnumpy(), c.asnumpy())


@with_seed()
def test_ndarray_is_inf():
    arr = mx.nd.array([np.inf, -np.inf, 1.0, np.nan])
    assert same(mx.nd.contrib.isinf(arr).asnumpy(), np.array([1, 1, 0, 0], dtype=np.float32))
    assert same(mx.nd.contrib.isnan(arr).asnumpy(), np.array([0, 0, 0, 1], dtype=np.float32))
    assert same(mx.nd.contrib.isfinite(arr).asnumpy(), np.array([0, 0, 1, 0], dtype=np.float32))


@with_seed()
def test_assign_float_value_to_ndarray():
    answer = [1.0, 2.0, 3.5, 4.0]
    a = mx.nd.zeros(4)
    a[0] = 1
    a[1] = 2.0
    a[2] = 3.5
    a[3] = np.float64(4)
    assert same(a.asnumpy(), np.array(answer))
    b = mx.nd.zeros(4, dtype="int32")
    b[0] = 1.7
    b[1] = -2.2
    assert b.asnumpy().tolist()[:2] == [1, -2]


@with_seed()
def test_ndarray_misc():
    a = mx.nd.array([[1, 2], [3, 4]])
    assert a.ndim == 2 and a.size == 4 and a.dtype == np.float32
    assert a.context == mx.cpu()
    assert a.stype == "default"
    assert str(a.T.shape) == "(2, 2)"
    assert len(a) == 2
    assert bool(mx.nd.array([1]))
    assertRaises(ValueError, bool, mx.nd.array([1, 2]))
    assert mx.nd.array([2.5]).asscalar() == 2.5

    assert a.asscalar if True else None
    assertRaises(ValueError, a.asscalar)
    assert repr(mx.nd.array([1, 2])).startswith("\n[1. 2.]\n<NDArray 2 @cpu(0)>")

    assert a.asnumpy().shape == (2, 2)
    assert a.grad is None
    b = a.as_in_context(mx.cpu())
    assert b is a
    assert a.copyto(mx.cpu()) is not a
    c = mx.nd.array([1, 2, 3], dtype="int64")
    assert c.dtype == np.int64
    assert mx.nd.array(np.array([1, 2], dtype=np.float64)).dtype == np.float32
    assert mx.nd.array(np.array([1, 2], dtype=np.int32)).dtype == np.float32
    assert mx.nd.array([1, 2]).astype("bool").dtype == np.bool_


@with_seed()
def test_ndarray_inplace_ops():
    a = mx.nd.ones((2, 2))
    aid = id(a)
    a += 1
    a *= 3
    a -= 1
    a /= 5
    assert id(a) == aid
    a[:] = a ** 2
    assert_almost_equal(a.asnumpy(), np.ones((2, 2)))
    b = mx.nd.array([7, 8])
    b %= 3
    assert same(b.asnumpy(), np.array([1, 2], dtype=np.float32))
    assert same((2 ** mx.nd.array([1, 2])).asnumpy(), np.array([2, 4], dtype=np.float32))
    assert same((mx.nd.array([1, 2]) ** 2).asnumpy(), np.array([1, 4], dtype=np.float32))
    assert same((7 % mx.nd.array([2, 4])).asnumpy(), np.array([1, 3], dtype=np.float32))
    assert same((1 / mx.nd.array([2, 4])).asnumpy(), np.array([0.5, 0.25], dtype=np.float32))
    assert same((5 - mx.nd.array([2, 4])).asnumpy(), np.array([3, 1], dtype=np.float32))


@with_seed()
def test_ndarray_nonzero_and_where():
    cond = mx.nd.array([[1, 0], [0, 1]])
    x = mx.nd.array([[1, 2], [3, 4]])
    y = mx.nd.array([[5, 6], [7, 8]])
    assert same(mx.nd.where(cond, x, y).asnumpy(), np.array([[1, 6], [7, 4]], dtype=np.float32))
    cond1 = mx.nd.array([1, 0])
    assert same(mx.nd.where(cond1, x, y).asnumpy(), np.array([[1, 2], [7, 8]], dtype=np.float32))


@with_seed()
def test_ndarray_histogram():
    x = mx.nd.array([0, 1, 1, 2, 3, 3, 3])
    hist, edges = mx.nd.histogram(x, bins=3, range=(0, 3))
    h, e = np.histogram(x.asnumpy(), bins=3, range=(0, 3))
    assert same(hist.asnumpy(), h)
    assert_almost_equal(edges.asnumpy(), e)
    hist, edges = mx.nd.histogram(x, bins=mx.nd.array([0, 1.5, 3]))
    h, e = np.histogram(x.asnumpy(), bins=np.array([0, 1.5, 3]))
    assert same(hist.asnumpy(), h)


@with_seed()
def test_ndarray_large_tensor_indexing_bool():
    a = mx.nd.arange(10)
    mask = mx.nd.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    out = mx.nd.contrib.boolean_mask(a, mask)
    assert same(out.asnumpy(), np.arange(0, 10, 2, dtype=np.float32))


@with_seed()
def test_save_load_scalar_zero_size():
    fname = os.path.join(tempfile.mkdtemp(), "tmp.bin")
    mx.nd.save(fname, {"b": mx.nd.array([1.0], dtype="float16"),
                       "c": mx.nd.ones((2,), dtype="int8"), "d": mx.nd.ones((2,), dtype="uint8"),
                       "e": mx.nd.ones((2,), dtype="int64"), "f": mx.nd.ones((2,), dtype="float64")})
    d = mx.nd.load(fname)

    assert d["b"].dtype == np.float16
    assert d["c"].dtype == np.int8 and d["d"].dtype == np.uint8
    assert d["e"].dtype == np.int64 and d["f"].dtype == np.float64


@with_seed()
def test_waitall_and_wait_to_read():
    a = mx.nd.ones((10, 10))
    b = a * 2
    b.wait_to_read()
    mx.nd.waitall()
    assert b.asnumpy().sum() == 200


main(globals())
