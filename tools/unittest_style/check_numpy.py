"""mx.np checks in the style of MXNet's test_numpy_op.py / test_numpy_ndarray.py (own code)."""
import itertools

import numpy as _np

import mxnet as mx
from mxnet import np, npx, autograd
from mxnet.gluon import HybridBlock
from mxnet.test_utils import same, use_np, assert_almost_equal, rand_shape_nd
from common import assertRaises, with_seed
from _harness import main


@with_seed()
@use_np
def test_np_tensordot_dot_matmul():
    class TestDot(HybridBlock):
        def hybrid_forward(self, F, a, b):
            return F.np.dot(a, b)
    for shape_a, shape_b in [((3, 4), (4, 5)), ((4,), (4,)), ((2, 3, 4), (4,)), ((3,), (3, 2))]:
        for hybridize in [True, False]:
            test_dot = TestDot()
            if hybridize:
                test_dot.hybridize()
            a = np.random.uniform(-1, 1, size=shape_a)
            b = np.random.uniform(-1, 1, size=shape_b)
            a.attach_grad()
            b.attach_grad()
            with autograd.record():
                out = test_dot(a, b)
            expected = _np.dot(a.asnumpy(), b.asnumpy())
            assert out.shape == expected.shape
            assert_almost_equal(out.asnumpy(), expected, rtol=1e-3, atol=1e-4)
            out.backward()
            ga = _np.dot(_np.ones(expected.shape), b.asnumpy().T) if len(shape_b) == 2 and len(shape_a) == 2 else None
            if ga is not None:
                assert_almost_equal(a.grad.asnumpy(), ga, rtol=1e-3, atol=1e-4)
    a = np.ones((2, 3, 4))
    b = np.ones((4, 5))
    assert np.matmul(a, b).shape == (2, 3, 5)
    assert np.tensordot(np.ones((3, 4, 5)), np.ones((4, 5, 6)), axes=2).shape == (3, 6)
    assert (a @ b).shape == (2, 3, 5)


@with_seed()
@use_np
def test_np_sum_mean_std():
    class TestSum(HybridBlock):
        def __init__(self, axis=None, dtype=None, keepdims=False):
            super(TestSum, self).__init__()
            self._axis = axis
            self._dtype = dtype
            self._keepdims = keepdims

        def hybrid_forward(self, F, a, *args, **kwargs):
            return F.np.sum(a, axis=self._axis, dtype=self._dtype, keepdims=self._keepdims)
    for hybridize in [False, True]:
        for keepdims in [True, False]:
            for axis in ([i for i in range(3)] + [(), None]):
                for itype, dtype in [("float32", "float32"), ("float32", "float64"),
                                     ("int32", "int64"), ("float32", None)]:
                    x = np.random.uniform(-1.0, 1.0, size=(2, 3, 4)).astype(itype) \
                        if itype.startswith("float") else np.random.randint(-5, 5, size=(2, 3, 4)).astype(itype)
                    test_sum = TestSum(axis=axis, dtype=dtype, keepdims=keepdims)
                    if hybridize:
                        test_sum.hybridize()
                    if itype.startswith("float"):
                        x.attach_grad()
                    expected_ret = _np.sum(x.asnumpy(), axis=axis, dtype=dtype, keepdims=keepdims)
                    with autograd.record():
                        y = test_sum(x)
                    assert y.shape == expected_ret.shape
                    assert_almost_equal(y.asnumpy(), expected_ret, rtol=1e-3, atol=1e-4, use_broadcast=False)
                    if itype.startswith("float"):
                        y.backward()
                        assert same(x.grad.asnumpy(), _np.ones(shape=x.shape, dtype=x.dtype))
    x = np.random.uniform(size=(3, 4))
    assert_almost_equal(np.mean(x, axis=1).asnumpy(), _np.mean(x.asnumpy(), axis=1), rtol=1e-5, atol=1e-6)
    assert_almost_equal(np.std(x).asnumpy(), _np.std(x.asnumpy()), rtol=1e-4, atol=1e-5)
    assert_almost_equal(np.var(x, axis=0, ddof=1).asnumpy(), _np.var(x.asnumpy(), axis=0, ddof=1),
                        rtol=1e-4, atol=1e-5)
    assert np.sum(x).shape == ()
    assert np.max(x, axis=0).shape == (4,)
    assert x.sum().ndim == 0


@with_seed()
@use_np
def test_np_ndarray_basics():
    a = np.array([[1, 2], [3, 4]])
    assert a.dtype == _np.float32
    assert isinstance(a, np.ndarray)
    b = np.array([1, 2], dtype="int64")
    assert b.dtype == _np.int64
    assert a[0].shape == (2,)
    assert a[0, 1].shape == ()
    assert float(a[0, 1]) == 2.0
    assert a[:, None].shape == (2, 1, 2)
    assert a[a > 2].shape == (2,)
    assert np.zeros((0, 3)).shape == (0, 3)
    assert np.ones(()).shape == ()
    c = a.copy()
    c[0, 0] = 10
    assert a[0, 0] == 1
    assert (a + 1).dtype == _np.float32
    assert (a.T == np.array([[1, 3], [2, 4]])).all()
    assert a.reshape(-1).shape == (4,)
    assert a.reshape(4, 1).shape == (4, 1)
    assert a.as_nd_ndarray().shape == (2, 2)
    assert isinstance(a.as_nd_ndarray(), mx.nd.NDArray)
    assert len(a) == 2
    assert a.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert a.item(0) == 1.0 if hasattr(a, "item") else True
    assert str(np.array([1, 2])) == "[1. 2.]"
    assert bool(np.array(1)) is True
    assertRaises(ValueError, bool, np.array([1, 2]))
    assert np.array([1, 2, 3])[np.array([0, 2], dtype="int32")].tolist() == [1.0, 3.0]
    x = np.arange(12).reshape(3, 4)
    assert x[1:, ::2].shape == (2, 2)
    assert x[[0, 2], [1, 3]].tolist() == [1.0, 11.0]


@with_seed()
@use_np
def test_np_elemwise_and_broadcast():
    funcs = [("add", _np.add), ("subtract", _np.subtract), ("multiply", _np.multiply),
             ("divide", _np.divide), ("power", _np.power), ("maximum", _np.maximum),
             ("minimum", _np.minimum), ("hypot", _np.hypot), ("arctan2", _np.arctan2),
             ("mod", _np.mod), ("equal", _np.equal), ("less", _np.less)]
    for name, ref in funcs:
        for sa, sb in [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((4,), (3, 4)), ((), (2, 2))]:
            a = np.random.uniform(0.5, 2, size=sa)
            b = np.random.uniform(0.5, 2, size=sb)
            out = getattr(np, name)(a, b)
            expected = ref(a.asnumpy(), b.asnumpy())
            assert out.shape == expected.shape, name
            assert_almost_equal(out.asnumpy(), expected, rtol=1e-4, atol=1e-5)
    for name in ["exp", "log", "sqrt", "sin", "cos", "tanh", "abs", "negative", "square",
                 "floor", "ceil", "log1p", "expm1", "arcsin", "sign", "cbrt", "reciprocal"]:
        x = np.random.uniform(0.1, 0.9, size=(2, 3))
        out = getattr(np, name)(x)
        assert_almost_equal(out.asnumpy(), getattr(_np, name)(x.asnumpy()), rtol=1e-4, atol=1e-5)
    x = np.array([1, 2, 3], dtype="int32")
    y = x / 2
    assert y.dtype == _np.float32
    assert (x * 2.5).dtype == _np.float32
    assert (x + x).dtype == _np.int32
    assert (np.array([1.0], dtype="float16") + np.array([1.0], dtype="float32")).dtype == _np.float32


@with_seed()
@use_np
def test_np_shape_ops():
    x = np.arange(24).reshape(2, 3, 4)
    xn = x.asnumpy()
    assert same(np.transpose(x, (2, 0, 1)).asnumpy(), _np.transpose(xn, (2, 0, 1)))
    assert same(np.swapaxes(x, 0, 2).asnumpy(), _np.swapaxes(xn, 0, 2))
    assert same(np.moveaxis(x, 0, -1).asnumpy(), _np.moveaxis(xn, 0, -1))
    assert same(np.concatenate([x, x], axis=1).asnumpy(), _np.concatenate([xn, xn], axis=1))
    assert same(np.stack([x, x], axis=0).asnumpy(), _np.stack([xn, xn], axis=0))
    assert all(same(a.asnumpy(), b) for a, b in zip(np.split(x, 2, axis=0), _np.split(xn, 2, axis=0)))
    assert all(same(a.asnumpy(), b) for a, b in zip(np.split(x, [1, 3], axis=2), _np.split(xn, [1, 3], axis=2)))
    assert same(np.expand_dims(x, 1).asnumpy(), _np.expand_dims(xn, 1))
    assert same(np.squeeze(np.ones((1, 3, 1))).asnumpy(), _np.ones(3, dtype=_np.float32))
    assert same(np.flip(x, 1).asnumpy(), _np.flip(xn, 1))
    assert same(np.tile(x, (2, 1, 1)).asnumpy(), _np.tile(xn, (2, 1, 1)))
    assert same(np.repeat(x, 2, axis=1).asnumpy(), _np.repeat(xn, 2, axis=1))
    assert same(np.where(x > 5, x, -x).asnumpy(), _np.where(xn > 5, xn, -xn))
    assert same(np.clip(x, 2, 7).asnumpy(), _np.clip(xn, 2, 7))
    assert same(np.argmax(x, axis=2).asnumpy(), _np.argmax(xn, axis=2))
    assert same(np.cumsum(x, axis=1).asnumpy(), _np.cumsum(xn, axis=1))
    assert same(np.ravel(x).asnumpy(), _np.ravel(xn))
    assert same(np.broadcast_to(np.ones((1, 4)), (3, 4)).asnumpy(), _np.ones((3, 4), dtype=_np.float32))
    assert same(np.vstack([np.ones(3), np.zeros(3)]).asnumpy(), _np.vstack([_np.ones(3), _np.zeros(3)]).astype(_np.float32))
    assert same(np.unique(np.array([3, 1, 3, 2])).asnumpy(), _np.array([1, 2, 3], dtype=_np.float32))
    assert same(np.sort(np.array([3, 1, 2])).asnumpy(), _np.array([1, 2, 3], dtype=_np.float32))
    assert same(np.linspace(0, 1, 5).asnumpy(), _np.linspace(0, 1, 5).astype(_np.float32))
    assert same(np.eye(3, k=1).asnumpy(), _np.eye(3, k=1, dtype=_np.float32))
    assert np.full((2, 2), 3, dtype="int32").dtype == _np.int32
    assert same(np.diag(np.array([1, 2])).asnumpy(), _np.diag([1, 2]).astype(_np.float32))
    assert same(np.tril(np.ones((3, 3))).asnumpy(), _np.tril(_np.ones((3, 3), dtype=_np.float32)))


@with_seed()
@use_np
def test_npx_ops():
    x = np.random.uniform(-1, 1, size=(2, 5))
    assert_almost_equal(npx.softmax(x).asnumpy(),
                        _np.exp(x.asnumpy()) / _np.exp(x.asnumpy()).sum(-1, keepdims=True), rtol=1e-5, atol=1e-6)
    assert_almost_equal(npx.relu(x).asnumpy(), _np.maximum(x.asnumpy(), 0))
    assert_almost_equal(npx.sigmoid(x).asnumpy(), 1 / (1 + _np.exp(-x.asnumpy())), rtol=1e-5, atol=1e-6)
    w = np.ones((3, 5))
    b = np.zeros((3,))
    assert npx.fully_connected(x, w, b, num_hidden=3).shape == (2, 3)
    assert npx.one_hot(np.array([0, 2]), 3).shape == (2, 3)
    assert npx.pick(x, np.array([0, 1]), axis=1).shape == (2,)
    assert npx.reshape(np.ones((2, 3, 4)), (-2, -1)).shape == (2, 12)
    assert npx.batch_flatten(np.ones((2, 3, 4))).shape == (2, 12)
    out = npx.topk(x, k=2, ret_typ="value")
    assert out.shape == (2, 2)
    seq = np.ones((4, 2, 3))
    out = npx.sequence_mask(seq, np.array([2, 3]), use_sequence_length=True)
    assert float(out[3].sum()) == 0.0
    assert npx.is_np_array()
    assert npx.is_np_shape()


@with_seed()
@use_np
def test_np_random_and_linalg():
    mx.random.seed(1)
    a = np.random.normal(0, 1, size=(1000,))
    assert a.shape == (1000,)
    assert abs(float(a.mean())) < 0.15
    u = np.random.uniform(size=(2, 3))
    assert u.dtype == _np.float32
    r = np.random.randint(0, 5, size=(10,))
    assert r.dtype == _np.int64 or r.dtype == _np.int32
    c = np.random.choice(5, size=(3,))
    assert c.shape == (3,)
    m = np.random.uniform(size=(3, 3)) + np.eye(3) * 3
    inv = np.linalg.inv(m)
    assert_almost_equal((m @ inv).asnumpy(), _np.eye(3), rtol=1e-4, atol=1e-4)
    assert_almost_equal(np.linalg.norm(m).asnumpy(), _np.linalg.norm(m.asnumpy()), rtol=1e-5, atol=1e-5)
    assert_almost_equal(np.linalg.det(m).asnumpy(), _np.linalg.det(m.asnumpy()), rtol=1e-4, atol=1e-4)
    s = np.linalg.svd(m)
    assert len(s) == 3


@with_seed()
@use_np
def test_np_hybrid_block_with_params():
    class Net(HybridBlock):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense = mx.gluon.nn.Dense(4, flatten=False)

        def hybrid_forward(self, F, x):
            return F.np.tanh(self.dense(x)).sum(axis=-1)
    net = Net()
    net.initialize()
    x = np.random.uniform(size=(2, 3, 5))
    y1 = net(x)
    net.hybridize()
    y2 = net(x)
    assert y2.shape == (2, 3)
    assert isinstance(y2, np.ndarray)
    assert_almost_equal(y1.asnumpy(), y2.asnumpy(), rtol=1e-5, atol=1e-6)
    x.attach_grad()
    with autograd.record():
        y = net(x)
    y.backward()
    assert x.grad.shape == x.shape


main(globals())
