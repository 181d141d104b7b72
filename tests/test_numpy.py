"""mx.np.ndarray semantics and core mx.np functions. Expected values and dtypes were captured
from MXNet 1.9.1 (``npx.set_np()``) unless a comment says otherwise; tolerances are float32
rtol 1e-6 where not exact."""
import pickle

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import np, npx


def test_array_defaults_and_dtypes():
    assert np.array([1, 2, 3]).dtype == onp.float32          # Python data: float32
    assert np.array([True, False]).dtype == onp.float32
    assert np.array(onp.array([1, 2])).dtype == onp.int64     # NumPy data keeps its dtype
    assert np.array(onp.array([1.0, 2])).dtype == onp.float64
    assert np.array([1.7, 2], dtype=int).dtype == onp.int64
    assert np.array(3).shape == ()
    assert isinstance(np.array([1]).dtype, onp.dtype)
    with pytest.raises(ValueError, match="as_np_ndarray"):
        np.array(mx.nd.ones((2,)))


def test_repr_like_mxnet():
    assert repr(np.array([1, 2, 3])) == "array([1., 2., 3.])"
    assert repr(np.array([[1, 2], [3, 4]], dtype="int32")) == \
        "array([[1, 2],\n       [3, 4]], dtype=int32)"
    assert repr(np.zeros((0, 3))) == "array([], shape=(0, 3))"
    assert repr(np.array([1.5e10, 1])) == "array([1.5e+10, 1.0e+00])"
    assert repr(np.array(1, dtype="int64")) == "array(1, dtype=int64)"
    assert repr(np.array([1, 0]) > 0) == "array([ True, False])"
    assert str(np.array([1, 2, 3])) == "[1. 2. 3.]"
    assert "{:.2f}".format(np.array(1.5)) == "1.50"


def test_indexing_numpy_semantics():
    a = np.array([[1, 2], [3, 4]])
    assert a[0].shape == (2,) and a[0, 1].shape == ()
    assert repr(a[0, 1]) == "array(2.)"
    assert a[np.array(1)].tolist() == [3.0, 4.0]
    f = np.array([1, 2, 3])
    assert f[np.array([1, 0, 1]) > 0].tolist() == [1.0, 3.0]
    assert f[np.array([0, 2], dtype="int32")].tolist() == [1.0, 3.0]
    assert f[[0, 2]].tolist() == [1.0, 3.0]
    with pytest.raises(IndexError):
        f[1.0]
    a[0, 0] = 9
    assert a.tolist() == [[9.0, 2.0], [3.0, 4.0]]
    z = np.array(5.0)
    z[...] = 7
    assert z.item() == 7.0
    assert [x.tolist() for x in np.array([[1, 2], [3, 4]])] == [[1.0, 2.0], [3.0, 4.0]]


def test_zero_size_and_0d():
    e = np.zeros((0, 3))
    assert np.sum(e, axis=0).tolist() == [0.0, 0.0, 0.0]
    assert np.ones(()).shape == ()
    with pytest.raises(mx.MXNetError, match="zero-size"):
        np.max(np.zeros((0,)))
    with pytest.raises(TypeError):
        len(np.array(1.0))


@pytest.mark.parametrize("expr,dtype,value", [
    ("i32 + f32", "float32", [2.0, 4.0, 6.0]),
    ("i32 + i64", "int64", [2, 4, 6]),
    ("f16 + f32", "float32", [2.0, 4.0, 6.0]),
    ("f32 + f64", "float64", [2.0, 4.0, 6.0]),
    ("b + b", "bool", [True, False, True]),
    ("b * b", "bool", [True, False, True]),
    ("b + 1", "int64", [2, 1, 2]),
    ("b + i32", "int32", [2, 2, 4]),
    ("-b", "int64", [-1, 0, -1]),
    ("b ** 2", "int64", [1, 0, 1]),
    ("b / b", "float32", [1.0, float("nan"), 1.0]),
    ("i32 + 1", "int32", [2, 3, 4]),
    ("f16 + 1.5", "float16", [2.5, 3.5, 4.5]),
    ("i32 / i32", "float32", [1.0, 1.0, 1.0]),
    ("i32 / 2", "float32", [0.5, 1.0, 1.5]),
    ("i32 ** 2", "int32", [1, 4, 9]),
    ("i32 % 2", "int32", [1, 0, 1]),
    ("2 - i32", "int32", [1, 0, -1]),
    ("i32 == 1", "bool", [True, False, False]),
    ("2 ** f32", "float32", [2.0, 4.0, 8.0]),
    ("1 / f32", "float32", [1.0, 0.5, 1 / 3]),
])
def test_binary_promotion(expr, dtype, value):
    env = {"i32": np.array([1, 2, 3], dtype="int32"), "i64": np.array([1, 2, 3], dtype="int64"),
           "f16": np.array([1, 2, 3], dtype="float16"), "f32": np.array([1, 2, 3]),
           "f64": np.array([1, 2, 3], dtype="float64"), "b": np.array([1, 0, 1], dtype=bool)}
    r = eval(expr, env)
    assert r.dtype == onp.dtype(dtype)
    onp.testing.assert_allclose(r.asnumpy().astype(float), value, rtol=1e-6)


def test_mixing_legacy_arrays_is_refused():
    with pytest.raises(TypeError, match="as_np_ndarray"):
        np.ones((3,)) + mx.nd.ones((3,))
    with pytest.raises(TypeError, match="legacy"):
        np.sum(mx.nd.ones((3,)))


@pytest.mark.parametrize("fn,dtype,value", [
    (lambda: np.sum(np.array([1, 2, 3], dtype="int32")), "int32", 6),
    (lambda: np.sum(np.array([1, 0, 1], dtype=bool)), "int64", 2),
    (lambda: np.prod(np.array([1, 0, 1], dtype=bool)), "int64", 0),
    (lambda: np.mean(np.zeros((0, 3))), "float32", 0.0),
    (lambda: np.mean(np.array([1, 2, 3], dtype="int32")), "float32", 2.0),
    (lambda: np.prod(np.array([1, 2, 3], dtype="int32")), "int32", 6),
    (lambda: np.max(np.array([1, 2, 3], dtype="int32")), "int32", 3),
    (lambda: np.argmax(np.array([1, 2, 3])), "int64", 2),
    (lambda: np.var(np.array([1, 2, 3]), ddof=1), "float32", 1.0),
    (lambda: np.sum(np.array([1, 2, 3], dtype="int32"), dtype="float32"), "float32", 6.0),
    (lambda: np.percentile(np.array([1, 2, 3]), 50), "float32", 2.0),
    (lambda: np.linalg.norm(np.array([1, 2, 3])), "float32", 3.7416573),
])
def test_full_reductions(fn, dtype, value):
    r = fn()
    assert r.shape == () and r.dtype == onp.dtype(dtype)
    assert r.item() == pytest.approx(value, rel=1e-6)


def test_reductions_with_axes():
    a = np.array([[9, 2], [3, 4]])
    assert np.mean(np.ones((2, 3)), axis=1, keepdims=True).shape == (2, 1)
    assert a.argmax(axis=1).tolist() == [0, 1]
    assert a.std().item() == pytest.approx(2.6925824, rel=1e-6)
    assert np.cumsum(np.array([1, 2, 3], dtype="int32")).tolist() == [1, 3, 6]
    assert a.sum(axis=(0, 1)).item() == 18.0
    assert np.all(a > 0).item() is True and np.any(a > 5, axis=0).tolist() == [True, False]


def test_creation():
    assert np.arange(5).dtype == onp.float32
    onp.testing.assert_allclose(np.arange(0, 1, 0.3).asnumpy(), [0, 0.3, 0.6, 0.90000004])
    assert np.arange(3, dtype="int32").tolist() == [0, 1, 2]
    assert np.ones(2, dtype=int).dtype == onp.int64
    assert np.full((2,), 3).dtype == onp.float32
    assert np.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert np.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert np.zeros_like(np.ones((2, 2)), dtype="int32").dtype == onp.int32
    assert np.full_like(np.ones((2, 2)), 7).tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert np.identity(3).shape == (3, 3)
    assert np.empty_like(np.ones((2, 2))).shape == (2, 2)


def test_manipulation():
    x = np.arange(6)
    assert [p.tolist() for p in np.split(x, 3)] == [[0, 1], [2, 3], [4, 5]]
    assert [p.tolist() for p in np.split(x, [1, 4])] == [[0], [1, 2, 3], [4, 5]]
    assert [p.tolist() for p in np.array_split(np.arange(7), 3)] == \
        [[0, 1, 2], [3, 4], [5, 6]]
    a = np.array([[1, 2], [3, 4]])
    assert a.reshape(4).shape == (4,) and a.reshape(-1, 1).shape == (4, 1)
    assert a.reshape((1, 4)).shape == (1, 4) and a.flatten().shape == (4,)
    assert a.T.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert np.stack([a, a]).shape == (2, 2, 2)
    assert np.concatenate([a, a], axis=1).shape == (2, 4)
    assert np.ones((1, 2, 1)).squeeze().shape == (2,)
    assert np.expand_dims(a, 0).shape == (1, 2, 2)
    assert np.tile(np.array([1, 2]), 2).tolist() == [1.0, 2.0, 1.0, 2.0]
    assert np.repeat(np.array([1, 2]), 2).tolist() == [1.0, 1.0, 2.0, 2.0]
    assert np.flip(np.array([1, 2, 3])).tolist() == [3.0, 2.0, 1.0]
    assert np.roll(np.array([1, 2, 3]), 1).tolist() == [3.0, 1.0, 2.0]
    assert np.clip(np.array([1, 2, 3], dtype="int32"), 1, 2).tolist() == [1, 2, 2]
    assert np.pad(np.ones((2,)), ((1, 1),)).tolist() == [0.0, 1.0, 1.0, 0.0]
    w = np.where(np.array([0, 1, 2]) > 0, np.array([1, 2, 3], dtype="int32"), 1.5)
    assert w.dtype == onp.int32 and w.tolist() == [1, 2, 3]
    assert np.swapaxes(np.ones((2, 3)), 0, 1).shape == (3, 2)
    assert np.broadcast_to(np.array([1, 2]), (2, 2)).shape == (2, 2)
    with pytest.raises(mx.MXNetError, match="dtype"):
        np.concatenate([np.array([1], dtype="int32"), np.array([1.0])])


def test_products_and_sorting():
    a = np.array([[9, 2], [3, 4]])
    assert (a @ a).tolist() == [[87.0, 26.0], [39.0, 22.0]]
    assert np.dot(a, a).tolist() == [[87.0, 26.0], [39.0, 22.0]]
    assert np.einsum("ij,jk->ik", a, a).tolist() == [[87.0, 26.0], [39.0, 22.0]]
    assert np.tensordot(a, a, axes=1).tolist() == [[87.0, 26.0], [39.0, 22.0]]
    assert np.sort(np.array([3, 1, 2])).tolist() == [1.0, 2.0, 3.0]
    idx = np.argsort(np.array([3, 1, 2]))
    assert idx.dtype == onp.int64 and idx.tolist() == [1, 2, 0]
    u = np.unique(np.array([3, 1, 1, 2]), return_index=True, return_inverse=True,
                  return_counts=True)
    assert [x.tolist() for x in u] == [[1, 2, 3], [1, 3, 0], [2, 0, 0, 1], [2, 1, 1]]
    assert u[1].dtype == onp.int64
    nz = np.nonzero(np.array([0, 1, 2]))
    assert len(nz) == 1 and nz[0].tolist() == [1, 2] and nz[0].dtype == onp.int64
    counts, edges = np.histogram(np.array([1.0, 2, 3]), bins=3, range=(0, 3))
    assert counts.tolist() == [0, 1, 2] and counts.dtype == onp.int64
    assert edges.tolist() == [0.0, 1.0, 2.0, 3.0]
    p = np.percentile(np.arange(5.0), np.array([10.0, 50]))
    onp.testing.assert_allclose(p.asnumpy(), [0.4, 2.0], rtol=1e-6)


def test_methods_and_conversion():
    a = np.array([[1, 2], [3, 4]])
    assert a.astype("int32").dtype == onp.int32
    assert a.astype("float32", copy=False) is a
    b = a.as_nd_ndarray()
    assert type(b) is mx.nd.NDArray and b.as_np_ndarray().shape == (2, 2)
    b[0, 0] = 5  # zero-copy both ways
    assert a[0, 0].item() == 5.0
    assert np.array([3]).item() == 3.0 and a.tolist() == [[5.0, 2.0], [3.0, 4.0]]
    assert isinstance(a.copy(), np.ndarray) and a.ctx == mx.cpu()
    r = pickle.loads(pickle.dumps(a))
    assert type(r) is np.ndarray and r.tolist() == a.tolist()
    assert onp.asarray(a).dtype == onp.float32
    assert np.shape(a) == (2, 2) and np.ndim(a) == 2 and np.size(a) == 4
    assert bool(np.array(0)) is False and float(np.array(2.5)) == 2.5
    with pytest.raises(ValueError, match="ambiguous"):
        bool(a)


def test_numpy_dispatch_protocols():
    a = np.array([[1, 2], [3, 4]])
    m = onp.mean(a)
    assert type(m) is np.ndarray and m.item() == 2.5
    assert type(onp.add(a, 1)) is np.ndarray
    assert type(onp.concatenate([a, a])) is np.ndarray
    c = onp.cov(a)   # not in mx.np as an op: NumPy on host copies, back as mx.np
    assert type(c) is np.ndarray and c.dtype == onp.float64
    assert onp.searchsorted(np.array([1.0, 2, 3]), 2) == 1


def test_autograd():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with mx.autograd.record():
        y = (x * x + np.exp(x)).sum()
    y.backward()
    assert type(x.grad) is np.ndarray
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * x.asnumpy() + onp.exp(x.asnumpy()),
                                rtol=1e-6)


def test_out_argument():
    a = np.ones((2,))
    out = np.zeros((2,))
    r = np.add(a, a, out=out)
    assert r is out and out.tolist() == [2.0, 2.0]
    np.sum(np.ones((2, 2)), axis=0, out=out)
    assert out.tolist() == [2.0, 2.0]


def test_random_and_linalg():
    npx.random.seed(0)
    u = np.random.uniform(size=(2,))
    assert u.dtype == onp.float32 and u.shape == (2,)
    assert np.random.normal(size=2).shape == (2,)
    r = np.random.randint(0, 5, size=(3,))
    assert r.dtype == onp.int64 and 0 <= r.min().item() and r.max().item() < 5
    assert np.random.choice(5, 3).dtype == onp.int64
    assert np.random.uniform().shape == ()
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    onp.testing.assert_allclose(np.linalg.inv(m).asnumpy(), onp.linalg.inv(m.asnumpy()),
                                rtol=1e-5)
    assert np.linalg.det(m).item() == pytest.approx(5.0, rel=1e-5)
    u_, s, vt = np.linalg.svd(m)
    onp.testing.assert_allclose((u_ * s) @ vt, m.asnumpy(), rtol=1e-5)
    with pytest.raises(mx.MXNetError, match="floating point"):
        np.linalg.inv(np.array([[1, 0], [0, 1]], dtype="int32"))


def test_npx_basics():
    assert not npx.is_np_array()
    npx.set_np()
    try:
        assert npx.is_np_array() and npx.is_np_shape()
        x = np.ones((2, 3))
        assert repr(npx.relu(x - 0.5)) == "array([[0.5, 0.5, 0.5],\n       [0.5, 0.5, 0.5]])"
        assert npx.reshape(np.ones((2, 3, 4)), (-2, -5)).shape == (2, 12)
        assert npx.reshape(np.ones((2, 3, 4)), (-6, 1, 2, -4)).shape == (1, 2, 3, 4)
        assert type(npx.softmax(x)) is np.ndarray
        fc = npx.fully_connected(x, np.ones((4, 3)), np.zeros(4), num_hidden=4)
        assert fc.tolist() == [[3.0] * 4] * 2
        with pytest.raises(TypeError, match="legacy"):
            npx.relu(mx.nd.ones((2,)))
    finally:
        npx.reset_np()
    assert not npx.is_np_array()


def test_npx_save_load(tmp_path):
    f = str(tmp_path / "a.npx")
    npx.save(f, {"a": np.array(3.0), "b": np.zeros((0, 2))})
    back = npx.load(f)
    assert back["a"].shape == () and back["b"].shape == (0, 2)
    assert type(back["a"]) is np.ndarray


def test_torch_and_dlpack_interop():
    import copy

    import torch
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = a.to_torch()
    assert isinstance(t, torch.Tensor) and t.shape == (2, 2)
    t[0, 0] = 10.0  # zero-copy
    assert a[0, 0].item() == 10.0
    b = np.from_dlpack(torch.arange(3.0))
    assert type(b) is np.ndarray and b.tolist() == [0.0, 1.0, 2.0]
    c = torch.from_dlpack(a)
    assert c.shape == (2, 2) and float(c[0, 0]) == 10.0
    d = copy.deepcopy(a)
    assert type(d) is np.ndarray and d.tolist() == a.tolist()
    e = mx.nd.from_torch(torch.ones(2)).as_np_ndarray()
    assert type(e) is np.ndarray and e.dtype == onp.float32


def test_set_np_dtype_true_gives_numpy_defaults():
    npx.set_np(dtype=True)
    try:
        assert npx.is_np_default_dtype()
        assert np.array([1.5, 2]).dtype == onp.float64
        assert np.array([1, 2]).dtype == onp.int64
        assert np.ones((2,)).dtype == onp.float64 and np.arange(3).dtype == onp.int64
        assert np.random.uniform(size=2).dtype == onp.float64
        assert np.array([1, 2], dtype="float32").dtype == onp.float32
    finally:
        npx.reset_np()
    assert not npx.is_np_default_dtype() and np.ones((2,)).dtype == onp.float32
