"""Round-4 operator checks: indexing, slicing, reshaping, padding, sorting (MXNet 1.9.1
test_operator.py style; own code, numpy references).

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator4_index``.
"""
import itertools

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_take_modes_axes_dtypes():
    x = np.random.uniform(-1, 1, (4, 5, 3)).astype(np.float32)
    idx = np.array([[0, 3], [-1, 7], [2, 5]])
    for axis in (0, 1, 2, -1, -3):
        n = x.shape[axis]
        for mode in ("clip", "wrap"):
            ref = np.take(x, idx, axis=axis, mode="clip" if mode == "clip" else "wrap")
            for idt in ("int32", "int64", "float32"):
                out = mx.nd.take(mx.nd.array(x), mx.nd.array(idx, dtype=idt), axis=axis, mode=mode)
                assert out.shape == ref.shape
                assert_almost_equal(out.asnumpy(), ref)
    for dt in ("int8", "uint8", "int32", "int64", "float16", "float64"):
        out = mx.nd.take(mx.nd.array(x * 10, dtype=dt), mx.nd.array([1, 0]), axis=1)
        assert out.dtype == np.dtype(dt), (dt, out.dtype)


@with_seed()
def test_take_gradient_repeated_indices():
    data = mx.sym.Variable("a")
    idx = mx.sym.Variable("indices")
    for axis in (0, 1, -1):
        sym = mx.sym.take(data, idx, axis=axis, mode="clip")
        x = np.random.uniform(-1, 1, (3, 4))
        ind = np.array([0, 1, 1, 2, 2, 2, 9, -3])
        exe = sym.simple_bind(ctx=mx.cpu(), a=x.shape, indices=ind.shape,
                              grad_req={"a": "write", "indices": "null"})
        exe.arg_dict["a"][:] = x
        exe.arg_dict["indices"][:] = ind
        exe.forward(is_train=True)
        og = np.random.uniform(-1, 1, exe.outputs[0].shape)
        exe.backward([mx.nd.array(og)])
        n = x.shape[axis]
        ref = np.zeros_like(x)
        cl = np.clip(ind, 0, n - 1)
        for k, j in enumerate(cl):
            if axis == 0:
                ref[j] += og[k]
            else:
                ref[:, j] += og[:, k]
        assert_almost_equal(exe.grad_dict["a"].asnumpy(), ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_take_raise_mode():
    x = mx.nd.array(np.arange(6).reshape(2, 3))
    out = mx.nd.take(x, mx.nd.array([1, 0]), mode="raise")
    assert_almost_equal(out.asnumpy(), np.array([[3, 4, 5], [0, 1, 2]]))


@with_seed()
def test_pick_modes_keepdims():
    x = np.random.uniform(-1, 1, (3, 4, 5))
    for axis in (0, 1, 2, -1):
        n = x.shape[axis]
        shp = list(x.shape)
        del shp[axis]
        idx = np.random.randint(-n, 2 * n, shp)
        for mode, keep in itertools.product(("clip", "wrap"), (True, False)):
            out = mx.nd.pick(mx.nd.array(x), mx.nd.array(idx), axis=axis, mode=mode, keepdims=keep)
            use = np.clip(idx, 0, n - 1) if mode == "clip" else np.mod(idx, n)
            ref = np.take_along_axis(x, np.expand_dims(use, axis % 3), axis=axis)
            if not keep:
                ref = ref.squeeze(axis)
            assert_almost_equal(out.asnumpy(), ref, rtol=1e-6, atol=1e-7)
    data = mx.sym.Variable("data")
    index = mx.sym.Variable("index")
    sym = mx.sym.pick(data, index, axis=1)
    exe = sym.simple_bind(ctx=mx.cpu(), data=(2, 3), index=(2,), grad_req={"data": "write", "index": "null"})
    exe.arg_dict["data"][:] = np.arange(6).reshape(2, 3)
    exe.arg_dict["index"][:] = np.array([2, 0])
    exe.forward(is_train=True)
    exe.backward([mx.nd.array([5.0, 7.0])])
    assert_almost_equal(exe.grad_dict["data"].asnumpy(), np.array([[0, 0, 5], [7, 0, 0.]]))


@with_seed()
def test_gather_nd_scatter_nd_and_backward():
    x = np.random.uniform(-1, 1, (3, 4, 2))
    idx = np.array([[0, 2, 2, 1], [1, 3, 3, 0]])
    out = mx.nd.gather_nd(mx.nd.array(x), mx.nd.array(idx))
    assert_almost_equal(out.asnumpy(), x[idx[0], idx[1]])
    idx1 = np.array([[2, 0, 1]])
    out = mx.nd.gather_nd(mx.nd.array(x), mx.nd.array(idx1))
    assert_almost_equal(out.asnumpy(), x[idx1[0]])
    # gather_nd gradient accumulates duplicates
    data = mx.sym.Variable("data")
    indices = mx.sym.Variable("indices")
    sym = mx.sym.gather_nd(data, indices)
    exe = sym.simple_bind(ctx=mx.cpu(), data=(3, 4), indices=(2, 3),
                          grad_req={"data": "write", "indices": "null"})
    exe.arg_dict["data"][:] = np.random.uniform(-1, 1, (3, 4))
    exe.arg_dict["indices"][:] = np.array([[0, 0, 2], [1, 1, 3]])
    exe.forward(is_train=True)
    exe.backward([mx.nd.array([1.0, 2.0, 3.0])])
    ref = np.zeros((3, 4))
    ref[0, 1] = 3
    ref[2, 3] = 3
    assert_almost_equal(exe.grad_dict["data"].asnumpy(), ref)
    # scatter_nd
    vals = np.array([1.0, 2.0, 3.0])
    out = mx.nd.scatter_nd(mx.nd.array(vals), mx.nd.array([[0, 1, 2], [1, 0, 3]]), shape=(3, 4))
    ref = np.zeros((3, 4))
    ref[0, 1], ref[1, 0], ref[2, 3] = vals
    assert_almost_equal(out.asnumpy(), ref)
    for dt in ("int32", "float16", "float64", "uint8"):
        out = mx.nd.gather_nd(mx.nd.array(x, dtype=dt), mx.nd.array(idx))
        assert out.dtype == np.dtype(dt)


@with_seed()
def test_one_hot_options():
    idx = np.array([[1, 0], [3, -1]])
    for dt in ("float32", "int32", "float16", "uint8", "int64", "float64", "int8"):
        out = mx.nd.one_hot(mx.nd.array(idx), depth=4, on_value=3, off_value=-1 if "u" not in dt else 0,
                            dtype=dt)
        assert out.dtype == np.dtype(dt) and out.shape == (2, 2, 4)
        ref = np.full((2, 2, 4), -1 if "u" not in dt else 0)
        for i in range(2):
            for j in range(2):
                if 0 <= idx[i, j] < 4:
                    ref[i, j, idx[i, j]] = 3
        assert (out.asnumpy() == ref).all(), (dt, out.asnumpy())
    out = mx.nd.one_hot(mx.nd.array([0.7, 1.2, 2.9]), depth=3)
    assert_almost_equal(out.asnumpy(), np.eye(3)[[0, 1, 2]])


@with_seed()
def test_where_shapes_and_grad():
    cond = np.array([[1, 0, 1], [0, 0, 1]])
    x = np.random.uniform(-1, 1, (2, 3))
    y = np.random.uniform(-1, 1, (2, 3))
    out = mx.nd.where(mx.nd.array(cond), mx.nd.array(x), mx.nd.array(y))
    assert_almost_equal(out.asnumpy(), np.where(cond, x, y).astype(np.float32))
    c1 = np.array([1, 0])
    out = mx.nd.where(mx.nd.array(c1), mx.nd.array(x), mx.nd.array(y))
    assert_almost_equal(out.asnumpy(), np.where(c1[:, None], x, y).astype(np.float32))
    c = mx.sym.Variable("c")
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    sym = mx.sym.where(c, a, b)
    exe = sym.simple_bind(ctx=mx.cpu(), c=(2,), a=(2, 3), b=(2, 3),
                          grad_req={"c": "null", "a": "write", "b": "add"})
    exe.arg_dict["c"][:] = c1
    exe.arg_dict["a"][:] = x
    exe.arg_dict["b"][:] = y
    exe.grad_dict["b"][:] = 1
    exe.forward(is_train=True)
    og = np.random.uniform(-1, 1, (2, 3))
    exe.backward([mx.nd.array(og)])
    assert_almost_equal(exe.grad_dict["a"].asnumpy(), og * c1[:, None], rtol=1e-5, atol=1e-6)
    assert_almost_equal(exe.grad_dict["b"].asnumpy(), 1 + og * (1 - c1[:, None]), rtol=1e-5, atol=1e-6)
    assertRaises(MXNetError, lambda: mx.nd.where(mx.nd.ones((3,)), mx.nd.ones((2, 3)),
                                                 mx.nd.ones((2, 3))).wait_to_read())


@with_seed()
def test_boolean_mask_and_grad():
    x = np.random.uniform(-1, 1, (4, 3))
    m = np.array([1, 0, 1, 1])
    data = mx.nd.array(x)
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.boolean_mask(data, mx.nd.array(m))
    assert_almost_equal(out.asnumpy(), x[m.astype(bool)].astype(np.float32))
    out.backward(mx.nd.ones(out.shape) * 2)
    assert_almost_equal(data.grad.asnumpy(), 2 * m[:, None] * np.ones((4, 3)))
    out = mx.nd.contrib.boolean_mask(mx.nd.array(x.T), mx.nd.array([0, 1, 1]), axis=0)
    assert out.shape == (2, 4)
    out = mx.nd.contrib.boolean_mask(mx.nd.array(x), mx.nd.zeros(4))
    assert out.shape == (0, 3)


@with_seed()
def test_slice_variants():
    x = np.random.uniform(-1, 1, (5, 6, 7))
    cases = [((1, None, 2), (4, None, 6)), ((None, -2, None), (None, None, -5)),
             ((4, 5, 6), (0, 1, 2)), ((None,), (None,))]
    for begin, end in cases:
        out = mx.nd.slice(mx.nd.array(x), begin=begin, end=end)
        sl = tuple(slice(b, e) for b, e in zip(begin, end))
        assert_almost_equal(out.asnumpy(), x[sl].astype(np.float32))
    # negative steps
    out = mx.nd.slice(mx.nd.array(x), begin=(4, None), end=(0, None), step=(-1, 2))
    assert_almost_equal(out.asnumpy(), x[4:0:-1, ::2].astype(np.float32))
    out = mx.nd.slice(mx.nd.array(x), begin=(None, 5), end=(None, None), step=(None, -2))
    assert_almost_equal(out.asnumpy(), x[:, 5::-2].astype(np.float32))
    for axis, b, e in [(0, 1, 3), (-1, -4, None), (1, 2, -1)]:
        out = mx.nd.slice_axis(mx.nd.array(x), axis=axis, begin=b, end=e)
        sl = [slice(None)] * 3
        sl[axis] = slice(b, e)
        assert_almost_equal(out.asnumpy(), x[tuple(sl)].astype(np.float32))
    like = mx.nd.zeros((3, 4, 5))
    for axes, shp in [((), (3, 4, 5)), ((0,), (3, 6, 7)), ((-1, 1), (5, 4, 5))]:
        out = mx.nd.slice_like(mx.nd.array(x), like, axes=axes)
        assert out.shape == shp, (axes, out.shape)
        assert_almost_equal(out.asnumpy(), x[:shp[0], :shp[1], :shp[2]].astype(np.float32))
    data = mx.sym.Variable("data")
    check_numeric_gradient(mx.sym.slice(data, begin=(3, None), end=(0, None), step=(-2, 1)),
                           [np.random.uniform(-1, 1, (4, 3))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(mx.sym.slice_axis(data, axis=1, begin=1, end=3),
                           [np.random.uniform(-1, 1, (4, 3))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_slice_like_gradient_and_crop():
    data = mx.sym.Variable("data")
    shape = mx.sym.Variable("shape")
    sym = mx.sym.slice_like(data, shape, axes=(0,))
    exe = sym.simple_bind(ctx=mx.cpu(), data=(4, 3), shape=(2, 5))
    exe.arg_dict["data"][:] = np.random.uniform(-1, 1, (4, 3))
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones((2, 3))])
    ref = np.zeros((4, 3))
    ref[:2] = 1
    assert_almost_equal(exe.grad_dict["data"].asnumpy(), ref)
    assert_almost_equal(exe.grad_dict["shape"].asnumpy(), np.zeros((2, 5)))
    x = np.random.uniform(-1, 1, (1, 2, 6, 7))
    out = mx.nd.Crop(mx.nd.array(x), num_args=1, offset=(1, 2), h_w=(3, 4))
    assert_almost_equal(out.asnumpy(), x[:, :, 1:4, 2:6].astype(np.float32))
    out = mx.nd.Crop(mx.nd.array(x), mx.nd.zeros((1, 1, 2, 3)), num_args=2, center_crop=True)
    assert_almost_equal(out.asnumpy(), x[:, :, 2:4, 2:5].astype(np.float32))


@with_seed()
def test_reshape_special_codes():
    cases = [((2, 3, 4), (4, 0, 2), (4, 3, 2)), ((2, 3, 4), (-1, 0), (8, 3)),
             ((2, 3, 4), (2, -2), (2, 3, 4)), ((2, 3, 4, 5), (-3, -2), (6, 4, 5)),
             ((2, 3, 4), (-4, 1, 2, -2), (1, 2, 3, 4)), ((2, 3, 4), (2, -4, -1, 3, -2), (2, 1, 3, 4)),
             ((2, 3, 4), (0, -1), (2, 12)), ((2, 3, 4), (-3, 0), (6, 4)),
             ((6, 4), (-4, -1, 2, 0), (3, 2, 4)), ((2, 3, 4, 5), (0, 0, -3), (2, 3, 20)),
             ((2, 3, 4), (-2,), (2, 3, 4))]
    for src, code, dst in cases:
        out = mx.nd.reshape(mx.nd.zeros(src), shape=code)
        assert out.shape == dst, (src, code, out.shape, dst)
        s = mx.sym.reshape(mx.sym.Variable("x"), shape=code)
        _, o, _ = s.infer_shape(x=src)
        assert o[0] == dst, (src, code, o)
    rcases = [((10, 5, 4), (-1, 0), (50, 4)), ((10, 5, 4), (0, -1), (5, 40)),
              ((10, 5, 4), (5, -1, 0), (5, 10, 4))]
    for src, code, dst in rcases:
        out = mx.nd.reshape(mx.nd.zeros(src), shape=code, reverse=True)
        assert out.shape == dst, (src, code, out.shape)
    assertRaises(MXNetError, lambda: mx.nd.reshape(mx.nd.zeros((2, 3)), shape=(-1, -1)).wait_to_read())


@with_seed()
def test_reshape_legacy_target_shape_and_keep_highest():
    out = mx.nd.Reshape(mx.nd.zeros((2, 3, 4)), target_shape=(0, 12))
    assert out.shape == (2, 12)
    out = mx.nd.Reshape(mx.nd.zeros((2, 3, 4)), target_shape=(6, 4))
    assert out.shape == (6, 4)


@with_seed()
def test_depth_space_roundtrip():
    for b in (2, 3):
        x = np.random.uniform(-1, 1, (2, 2 * b * b, 3, 2))
        out = mx.nd.depth_to_space(mx.nd.array(x), block_size=b)
        n, c, h, w = x.shape
        ref = x.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2).reshape(
            n, c // (b * b), h * b, w * b)
        assert_almost_equal(out.asnumpy(), ref.astype(np.float32))
        back = mx.nd.space_to_depth(out, block_size=b)
        assert_almost_equal(back.asnumpy(), x.astype(np.float32))
    data = mx.sym.Variable("data")
    check_numeric_gradient(mx.sym.depth_to_space(data, block_size=2),
                           [np.random.uniform(-1, 1, (1, 4, 2, 3))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(mx.sym.space_to_depth(data, block_size=2),
                           [np.random.uniform(-1, 1, (1, 1, 4, 2))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    assertRaises(MXNetError, lambda: mx.nd.depth_to_space(mx.nd.zeros((1, 3, 2, 2)), block_size=2).wait_to_read())
    assertRaises(MXNetError, lambda: mx.nd.space_to_depth(mx.nd.zeros((1, 1, 3, 2)), block_size=2).wait_to_read())


@with_seed()
def test_pad_modes_4d_5d():
    for shape, pw in [((2, 3, 4, 5), (0, 0, 0, 0, 1, 2, 2, 1)),
                      ((1, 2, 3, 4, 3), (0, 0, 0, 0, 1, 1, 2, 0, 1, 2))]:
        x = np.random.uniform(-1, 1, shape)
        pairs = [(pw[2 * i], pw[2 * i + 1]) for i in range(len(shape))]
        for mode in ("constant", "edge", "reflect"):
            kw = {"constant_value": 1.5} if mode == "constant" else {}
            out = mx.nd.pad(mx.nd.array(x), mode=mode, pad_width=pw, **kw)
            if mode == "constant":
                ref = np.pad(x, pairs, mode="constant", constant_values=1.5)
            else:
                ref = np.pad(x, pairs, mode=mode)
            assert_almost_equal(out.asnumpy(), ref.astype(np.float32))
            data = mx.sym.Variable("data")
            small = np.random.uniform(-1, 1, shape[:2] + (3,) * (len(shape) - 2))
            check_numeric_gradient(mx.sym.pad(data, mode=mode, pad_width=pw, **kw), [small],
                                   numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    assertRaises(MXNetError, lambda: mx.nd.pad(mx.nd.zeros((2, 3)), mode="constant",
                                               pad_width=(0, 0, 1, 1)).wait_to_read())


@with_seed()
def test_topk_all_ret_types():
    x = np.random.permutation(60).reshape(3, 4, 5).astype(np.float32)
    for axis, k, asc in itertools.product((0, 1, -1, None), (1, 2), (True, False)):
        flat = x.ravel() if axis is None else x
        ax = -1 if axis is None else axis
        order = np.argsort(flat, axis=ax)
        if not asc:
            order = np.flip(order, axis=ax)
        top = np.take(order, np.arange(k), axis=ax)
        vals = np.take_along_axis(flat, top, axis=ax)
        kw = dict(k=k, is_ascend=asc)
        if axis is not None:
            kw["axis"] = axis
        else:
            kw["axis"] = None
        out = mx.nd.topk(mx.nd.array(x), ret_typ="indices", **kw)
        assert_almost_equal(out.asnumpy(), top.astype(np.float32))
        out = mx.nd.topk(mx.nd.array(x), ret_typ="value", **kw)
        assert_almost_equal(out.asnumpy(), vals)
        v, i = mx.nd.topk(mx.nd.array(x), ret_typ="both", dtype="int64", **kw)
        assert i.dtype == np.int64
        assert_almost_equal(v.asnumpy(), vals)
        mask = mx.nd.topk(mx.nd.array(x), ret_typ="mask", **kw).asnumpy()
        if axis is not None:
            ref = np.zeros_like(x)
            np.put_along_axis(ref, top, 1, axis=ax)
            assert_almost_equal(mask, ref)
    for dt in ("int32", "float16", "float64", "uint8", "int64"):
        out = mx.nd.topk(mx.nd.array(x, dtype="float32"), k=2, ret_typ="indices", dtype=dt)
        assert out.dtype == np.dtype(dt)


@with_seed()
def test_topk_gradient():
    x = np.random.permutation(12).reshape(3, 4).astype(np.float64)
    data = mx.sym.Variable("data")
    for ret in ("value", "both"):
        sym = mx.sym.topk(data, axis=1, k=2, ret_typ=ret)
        if ret == "both":
            sym = sym[0]
        exe = sym.simple_bind(ctx=mx.cpu(), data=x.shape)
        exe.arg_dict["data"][:] = x
        exe.forward(is_train=True)
        og = np.random.uniform(-1, 1, (3, 2))
        exe.backward([mx.nd.array(og)])
        top = np.argsort(-x, axis=1)[:, :2]
        ref = np.zeros_like(x)
        np.put_along_axis(ref, top, og, axis=1)
        assert_almost_equal(exe.grad_dict["data"].asnumpy(), ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_sort_argsort_dtypes():
    x = np.random.uniform(-10, 10, (3, 5))
    for axis, asc in itertools.product((0, 1, -1, None), (True, False)):
        ref = np.sort(x, axis=-1 if axis is None else axis) if axis is not None else np.sort(x.ravel())
        if not asc:
            ref = np.flip(ref, axis=-1 if axis is None else axis)
        out = mx.nd.sort(mx.nd.array(x), axis=axis, is_ascend=asc)
        assert_almost_equal(out.asnumpy(), ref.astype(np.float32))
        ao = mx.nd.argsort(mx.nd.array(x), axis=axis, is_ascend=asc)
        src = x.ravel() if axis is None else x
        got = np.take_along_axis(src.astype(np.float32), ao.asnumpy().astype(np.int64),
                                 axis=-1 if axis is None else axis)
        assert_almost_equal(got, ref.astype(np.float32))
    for dt in ("int32", "int64", "float16", "float64"):
        assert mx.nd.argsort(mx.nd.array(x), dtype=dt).dtype == np.dtype(dt)
    for dt in ("int32", "uint8", "float64", "int64"):
        assert mx.nd.sort(mx.nd.array(np.abs(x), dtype=dt)).dtype == np.dtype(dt)
    # argmax/argmin output float32 and keepdims
    out = mx.nd.argmax(mx.nd.array(x), axis=1, keepdims=True)
    assert out.shape == (3, 1) and out.dtype == np.float32
    assert_almost_equal(out.asnumpy()[:, 0], np.argmax(x, 1).astype(np.float32))
    out = mx.nd.argmin(mx.nd.array(x.astype(np.int32), dtype="int32"), axis=0)
    assert out.dtype == np.int32 or out.dtype == np.float32


@with_seed()
def test_zero_size_index_ops():
    with mx.util.np_shape(True):
        _zero_size_cases()


def _zero_size_cases():
    out = mx.nd.take(mx.nd.zeros((0, 3)), mx.nd.array([0, 0]), axis=1)
    assert out.shape == (0, 2)
    out = mx.nd.one_hot(mx.nd.zeros((0,)), depth=3)
    assert out.shape == (0, 3)
    assert mx.nd.reshape(mx.nd.zeros((2, 0, 4)), shape=(-1, 4)).shape == (0, 4)
    assert mx.nd.reshape(mx.nd.zeros((2, 0, 4)), shape=(0, -1)).shape == (2, 0)
    assert mx.nd.topk(mx.nd.zeros((0, 3)), k=2).shape == (0, 2)
    assert mx.nd.sort(mx.nd.zeros((0, 3))).shape == (0, 3)
    assert mx.nd.batch_dot(mx.nd.zeros((2, 3, 0)), mx.nd.zeros((2, 0, 3))).asnumpy().sum() == 0
    assert mx.nd.FullyConnected(mx.nd.zeros((0, 3)), mx.nd.zeros((2, 3)), num_hidden=2,
                                no_bias=True).shape == (0, 2)
    assert mx.nd.pick(mx.nd.zeros((0, 3)), mx.nd.zeros((0,))).shape == (0,)
    assert mx.nd.broadcast_add(mx.nd.zeros((0, 3)), mx.nd.zeros((1, 3))).shape == (0, 3)
    assert mx.nd.tile(mx.nd.zeros((0, 3)), reps=(2, 2)).shape == (0, 6)
    assert mx.nd.norm(mx.nd.zeros((0, 3)), axis=1).shape == (0,)
    assert mx.nd.argmax(mx.nd.zeros((2, 0)), axis=0).shape == (0,)
    assert np.isnan(mx.nd.mean(mx.nd.zeros((0, 3)), axis=0).asnumpy()).all()
    assert (mx.nd.sum(mx.nd.zeros((0, 3)), axis=0).asnumpy() == 0).all()
    out = mx.nd.concat(mx.nd.zeros((0, 3)), mx.nd.ones((2, 3)), dim=0)
    assert out.shape == (2, 3)
    out = mx.nd.stack(mx.nd.zeros((2, 0)), mx.nd.zeros((2, 0)), axis=1)
    assert out.shape == (2, 2, 0)


@with_seed()
def test_ravel_unravel_and_index_ops():
    shape = (3, 4, 5)
    idx = np.array([[0, 2, 1], [3, 1, 0], [4, 0, 2]])
    out = mx.nd.ravel_multi_index(mx.nd.array(idx), shape=shape)
    assert_almost_equal(out.asnumpy(), np.ravel_multi_index(idx, shape).astype(np.float32))
    back = mx.nd.unravel_index(out, shape=shape)
    assert_almost_equal(back.asnumpy(), idx.astype(np.float32))
    x = np.random.uniform(-1, 1, (5, 3))
    out = mx.nd.contrib.index_copy(mx.nd.array(x), mx.nd.array([1, 3], dtype="int64"), mx.nd.ones((2, 3)))
    ref = x.copy()
    ref[[1, 3]] = 1
    assert_almost_equal(out.asnumpy(), ref.astype(np.float32))


@with_seed()
def test_swapaxes_flip_repeat_tile_negative_axes():
    x = np.random.uniform(-1, 1, (2, 3, 4))
    assert_almost_equal(mx.nd.SwapAxis(mx.nd.array(x), dim1=0, dim2=2).asnumpy(),
                        np.swapaxes(x, 0, 2).astype(np.float32))
    assert_almost_equal(mx.nd.flip(mx.nd.array(x), axis=(0, 2)).asnumpy(),
                        x[::-1, :, ::-1].astype(np.float32))
    assert_almost_equal(mx.nd.repeat(mx.nd.array(x), repeats=2, axis=-2).asnumpy(),
                        np.repeat(x, 2, -2).astype(np.float32))
    assert_almost_equal(mx.nd.repeat(mx.nd.array(x), repeats=2).asnumpy(),
                        np.repeat(x, 2).astype(np.float32))
    assert_almost_equal(mx.nd.tile(mx.nd.array(x), reps=(2, 1, 1, 2)).asnumpy(),
                        np.tile(x, (2, 1, 1, 2)).astype(np.float32))
    assert_almost_equal(mx.nd.tile(mx.nd.array(x), reps=(2,)).asnumpy(),
                        np.tile(x, (2,)).astype(np.float32))
    assert_almost_equal(mx.nd.expand_dims(mx.nd.array(x), axis=-1).asnumpy(),
                        x[..., None].astype(np.float32))
    assert_almost_equal(mx.nd.squeeze(mx.nd.zeros((1, 3, 1)), axis=(-1,)).asnumpy(), np.zeros((1, 3)))
    assert mx.nd.squeeze(mx.nd.zeros((1, 1))).shape == (1,)
    assert_almost_equal(mx.nd.transpose(mx.nd.array(x), axes=(2, 0, 1)).asnumpy(),
                        x.transpose(2, 0, 1).astype(np.float32))
    assert_almost_equal(mx.nd.moveaxis(mx.nd.array(x), 0, -1).asnumpy() if hasattr(mx.nd, "moveaxis")
                        else np.moveaxis(x, 0, -1).astype(np.float32),
                        np.moveaxis(x, 0, -1).astype(np.float32))


@with_seed()
def test_split_and_split_v2():
    x = np.random.uniform(-1, 1, (6, 4))
    outs = mx.nd.split(mx.nd.array(x), num_outputs=3, axis=0, squeeze_axis=False)
    for i, o in enumerate(outs):
        assert_almost_equal(o.asnumpy(), x[2 * i:2 * i + 2].astype(np.float32))
    outs = mx.nd.split(mx.nd.array(x), num_outputs=4, axis=1, squeeze_axis=True)
    assert outs[0].shape == (6,)
    outs = mx.nd.split_v2(mx.nd.array(x), (1, 4), axis=0)
    assert [o.shape for o in outs] == [(1, 4), (3, 4), (2, 4)]
    outs = mx.nd.split_v2(mx.nd.array(x), 2, axis=-1)
    assert [o.shape for o in outs] == [(6, 2), (6, 2)]
    assertRaises(MXNetError, lambda: mx.nd.split(mx.nd.array(x), num_outputs=4, axis=0))


if __name__ == "__main__":
    main(globals())
