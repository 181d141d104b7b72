"""NDArray semantics (values, dtypes, views and reprs checked against MXNet 1.9.1)."""
import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.base import DTypeError, MXNetError

nd = mx.nd


def test_dtype_defaults():
    assert nd.array([1, 2]).dtype == np.float32
    assert nd.array(np.array([1, 2], dtype=np.int64)).dtype == np.float32
    assert nd.array(np.array([1.0], dtype=np.float64)).dtype == np.float32
    assert nd.array(nd.ones(2, dtype="int32")).dtype == np.int32
    assert nd.array([1, 2], dtype="int64").dtype == np.int64
    assert nd.zeros((2,)).dtype == np.float32 and nd.ones(3, dtype="float16").dtype == np.float16
    assert nd.full((2,), 3).dtype == np.float32
    assert nd.arange(3, dtype="int64").dtype == np.int64
    for name in ("float16", "float32", "float64", "uint8", "int8", "int32", "int64", "bool"):
        assert np.dtype(nd.zeros(2, dtype=name).dtype).name == name
    bf16 = nd.array([1.5, 2.0], dtype="bfloat16")
    assert bf16.to_torch().dtype == torch.bfloat16
    assert bf16.asnumpy().dtype == np.float32 and bf16.asnumpy().tolist() == [1.5, 2.0]
    with pytest.raises(TypeError):
        nd.zeros(2, dtype="complex64")


def test_repr_and_str():
    assert repr(nd.array([1, 2])) == "\n[1. 2.]\n<NDArray 2 @cpu(0)>"
    assert repr(nd.ones((2, 3), dtype="int32")) == \
        "\n[[1 1 1]\n [1 1 1]]\n<NDArray 2x3 @cpu(0)>"
    assert repr(nd.ones((1,), ctx=mx.cpu(1))).endswith("<NDArray 1 @cpu(1)>")


def test_properties_and_conversion():
    x = nd.arange(12).reshape((3, 4))
    assert (x.shape, x.size, x.ndim, x.stype, x.T.shape, len(x)) == ((3, 4), 12, 2, "default",
                                                                      (4, 3), 3)
    assert x.context == mx.cpu() and x.ctx == mx.cpu()
    assert nd.ones((1,)).asscalar() == 1.0
    with pytest.raises(ValueError, match="not a scalar"):
        x.asscalar()
    assert np.asarray(x).shape == (3, 4)
    assert x.astype("int32").dtype == np.int32
    assert x.astype("float32", copy=False) is x
    y = x.copy()
    y[0, 0] = 100
    assert x.asnumpy()[0, 0] == 0
    assert x.as_in_context(mx.cpu()) is x
    moved = x.copyto(mx.cpu(1))
    assert moved.context == mx.cpu(1) and moved is not x
    target = nd.zeros((3, 4))
    assert x.copyto(target) is target and target.asnumpy()[2, 3] == 11
    with pytest.raises(MXNetError, match="shape mismatch"):
        x.copyto(nd.zeros((2, 2)))
    assert x.asnumpy() is not x.asnumpy()  # a copy each time


def test_basic_indexing_views_and_copies():
    x = nd.arange(12).reshape((3, 4))
    assert x[1:2, 1:3].shape == (1, 2)
    assert x[-1].asnumpy().tolist() == [8, 9, 10, 11]
    assert x[::-1].asnumpy()[:, 0].tolist() == [8, 4, 0]
    assert x[1, ::2].asnumpy().tolist() == [4, 6]
    assert nd.array([1, 2, 3])[1].shape == (1,)  # legacy: never 0-d
    row = x[1]
    row[:] = -1  # a view: writes show through (MXNet 1.9.1)
    assert x.asnumpy()[1].tolist() == [-1, -1, -1, -1]
    col = x[:, 1]
    col[:] = 100  # a copy
    assert x.asnumpy()[:, 1].tolist() == [1, -1, 9]
    with pytest.raises(IndexError):
        x[3]


def test_advanced_indexing():
    x = nd.arange(12).reshape((3, 4))
    assert x[[0, 2]].shape == (2, 4)
    assert x[nd.array([0, 2])].shape == (2, 4)  # float index arrays are accepted
    assert x[:, [1, 3]].asnumpy().tolist() == [[1, 3], [5, 7], [9, 11]]
    mask = nd.array([1, 0, 1], dtype="bool")
    assert x[mask].shape == (2, 4)


def test_setitem():
    x = nd.arange(12).reshape((3, 4))
    x[1] = -1
    x[0, 1] = 7
    x[2] = nd.array([9, 9, 9, 9])
    x[:, 3] = 5
    assert x.asnumpy().tolist() == [[0, 7, 2, 5], [-1, -1, -1, 5], [9, 9, 9, 5]]
    x[1:3, 0:2] = nd.ones((2, 2))
    assert x.asnumpy().tolist() == [[0, 7, 2, 5], [1, 1, -1, 5], [1, 1, 9, 5]]
    x[:] = np.zeros((3, 4))
    assert x.asnumpy().sum() == 0


def test_inplace_operators_keep_identity():
    a = nd.ones(3)
    b = a
    a += 1
    a *= 3
    a -= nd.ones(3)
    a /= 5
    assert b is a
    np.testing.assert_allclose(b.asnumpy(), [1, 1, 1])
    view = nd.zeros((2, 2))
    row = view[0]
    row += 4
    assert view.asnumpy().tolist() == [[4, 4], [0, 0]]


def test_arithmetic_broadcasts_and_scalars():
    a = nd.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal((a + nd.ones(3)).asnumpy(), [[2, 3, 4], [5, 6, 7]])
    np.testing.assert_array_equal((1 - a).asnumpy(), 1 - a.asnumpy())
    np.testing.assert_array_equal((2 / a).asnumpy(), 2 / a.asnumpy())
    np.testing.assert_array_equal((a ** 2).asnumpy(), a.asnumpy() ** 2)
    np.testing.assert_array_equal((2 ** a).asnumpy(), 2 ** a.asnumpy())
    np.testing.assert_array_equal((-a).asnumpy(), -a.asnumpy())
    np.testing.assert_array_equal(abs(-a).asnumpy(), a.asnumpy())
    cmp = a > 2
    assert cmp.dtype == np.float32 and cmp.asnumpy().tolist() == [[0, 0, 1], [1, 1, 1]]
    assert (1 < a).asnumpy().tolist() == [[0, 1, 1], [1, 1, 1]]
    assert (a == a).asnumpy().all()


def test_integer_semantics_match_mxnet():
    a = nd.array([5, -7], dtype="int32")
    # from MXNet 1.9.1: scalars are truncated to the array's type first; division truncates
    assert (a * 1.5).asnumpy().tolist() == [5, -7]
    assert (a / 2.5).asnumpy().tolist() == [2, -3]
    assert (a % 3).asnumpy().tolist() == [2, 2]
    assert (2.5 / a).asnumpy().tolist() == [0, 0]
    assert (a ** 0.5).asnumpy().tolist() == [1, 1]
    assert (a > 2.5).dtype == np.int32
    u = nd.array([200, 3], dtype="uint8")
    assert (u + 100).asnumpy().tolist() == [44, 103]


def test_mixed_dtypes_raise():
    with pytest.raises(DTypeError, match="broadcast_add.*int32"):
        nd.ones(2, dtype="int32") + nd.ones(2)
    with pytest.raises(DTypeError, match="elemwise_add"):
        nd.elemwise_add(nd.ones(2, dtype="int32"), nd.ones(2))
    with pytest.raises(TypeError):
        nd.ones(2, dtype="int32") + nd.ones(2)  # also a TypeError for plain except clauses


def test_shape_errors_name_the_operator():
    with pytest.raises(MXNetError, match="broadcast_add"):
        nd.ones((2, 3)) + nd.ones((4,))
    with pytest.raises(ValueError):
        nd.elemwise_add(nd.ones((2, 3)), nd.ones((3, 2)))


def test_bool_len_iter():
    assert bool(nd.array([1])) and not bool(nd.array([0]))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(nd.ones(2))
    assert [r.shape for r in nd.ones((3, 2))] == [(2,), (2,), (2,)]


def test_torch_interop_is_zero_copy():
    t = torch.arange(4, dtype=torch.float32)
    x = nd.from_torch(t)
    x[0] = 10
    assert t[0] == 10
    assert x.to_torch() is t
    y = nd.from_dlpack(torch.utils.dlpack.to_dlpack(t))
    y[1] = 20
    assert t[1] == 20
    back = torch.utils.dlpack.from_dlpack(x.to_dlpack_for_read())
    assert back.data_ptr() == t.data_ptr()


def test_creation_functions():
    assert nd.arange(2, 11, 3, repeat=2).asnumpy().tolist() == [2, 2, 5, 5, 8, 8]
    assert nd.linspace(0, 1, 5).asnumpy().tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert nd.eye(3, 4, k=1).asnumpy().tolist()[0] == [0, 1, 0, 0]
    assert nd.empty((2, 2)).shape == (2, 2)
    assert nd.full((2, 2), 7, dtype="int32").asnumpy().tolist() == [[7, 7], [7, 7]]
    assert nd.zeros_like(nd.ones(2)).asnumpy().tolist() == [0, 0]
    assert nd.concat(nd.ones((1, 2)), nd.zeros((1, 2)), dim=0).shape == (2, 2)
    assert nd.stack(nd.ones(2), nd.zeros(2)).shape == (2, 2)
    assert nd.split(nd.arange(6).reshape((2, 3)), 3, axis=1)[0].shape == (2, 1)
    assert nd.concatenate([nd.ones(2), nd.ones(3)]).shape == (5,)


def test_fluent_methods():
    x = nd.array([[1, -2, 3], [4, 5, -6]])
    assert x.sum(axis=1).asnumpy().tolist() == [2, 3]
    assert x.abs().max().asscalar() == 6
    assert x.argmax(axis=1).asnumpy().tolist() == [2, 1]
    assert x.clip(-1, 1).asnumpy().tolist() == [[1, -1, 1], [1, 1, -1]]
    assert x.transpose().shape == (3, 2) and x.expand_dims(0).shape == (1, 2, 3)
    assert x.flatten().shape == (2, 3) and x.reshape((-1,)).shape == (6,)
    assert x.reshape(3, 2).shape == (3, 2) and x.reshape((0, -1)).shape == (2, 3)
    assert x.flip(axis=1).asnumpy()[0].tolist() == [3, -2, 1]
    assert x.one_hot(7).shape == (2, 3, 7)
    assert x.tile((2, 1)).shape == (4, 3)
    from mxtorch.ndarray._fluent import FLUENT
    missing = [m for m in FLUENT if not callable(getattr(x, m, None))]
    assert not missing and len(FLUENT) >= 70


def test_waitall_and_wait_to_read():
    x = nd.ones(3)
    x.wait_to_read()
    nd.waitall()


def test_indexing_matches_numpy_on_many_keys():
    rng = np.random.RandomState(0)
    x = np.arange(60, dtype="float32").reshape(3, 4, 5)
    keys = [1, -1, slice(1, 3), slice(None, None, 2), slice(None, None, -1), slice(3, 0, -2),
            (1, 2), (1, slice(1, 3)), (slice(None), 1), (Ellipsis, 1), (None, 1), (1, None, 2),
            ([0, 2],), ([0, 2], [1, 3]), (slice(None), [1, 2]), (1, [0, 1], slice(None)),
            (slice(0, 2), slice(None), [0, 4]), (1, Ellipsis, 2), ([[0, 1], [1, 2]],),
            (slice(-2, None), -1, slice(None, None, -1))]
    for key in keys:
        want = x[key]
        want = want.reshape(1) if want.ndim == 0 else want  # legacy: never 0-d
        np.testing.assert_array_equal(nd.array(x)[key].asnumpy(), want, err_msg=str(key))
        expected = x.copy()
        value = rng.rand(*np.shape(x[key])).astype("float32")
        expected[key] = value
        got = nd.array(x)
        got[key] = value
        np.testing.assert_array_equal(got.asnumpy(), expected, err_msg=f"set {key}")


def test_scalar_sources_give_0d_arrays_like_mxnet():
    assert nd.array(5).shape == () and nd.array(np.float16(1)).shape == ()
    assert nd.array([]).shape == (0,)
