"""The imperative hot paths (cached nd call plans, the np door's direct computes, the light
no-grad switch) give exactly what the generic paths give: values, dtypes, views vs copies,
gradients and errors. Expected values are plain arithmetic or MXNet 1.9.1 behaviour noted
inline (checked with the oracle); tolerances are exact unless stated."""
import numpy as onp
import pytest
import torch

import mxtorch as mx
from mxtorch import autograd, nd, np
from mxtorch.base import MXNetError
from mxtorch.ndarray import _gen
from mxtorch.ndarray.ndarray import _no_grad


def _fc_args():
    x = nd.array(onp.arange(12, dtype="float32").reshape(3, 4))
    w = nd.array(onp.ones((2, 4), dtype="float32"))
    b = nd.array(onp.array([1.0, -1.0], dtype="float32"))
    return x, w, b


# ---- nd: cached call plans ---------------------------------------------------------------------

def test_plan_path_matches_the_generic_path():
    x, w, b = _fc_args()
    want = x.asnumpy() @ w.asnumpy().T + b.asnumpy()
    for _ in range(3):  # the first call builds the plan, the next ones reuse it
        assert onp.array_equal(nd.FullyConnected(x, w, b, num_hidden=2).asnumpy(), want)
    # inputs by keyword, out=, positional attributes: the generic path, same values
    out = nd.zeros((3, 2))
    nd.FullyConnected(data=x, weight=w, bias=b, num_hidden=2, out=out)
    assert onp.array_equal(out.asnumpy(), want)
    no_bias = nd.FullyConnected(x, w, None, num_hidden=2, no_bias=True)
    assert onp.array_equal(no_bias.asnumpy(), x.asnumpy() @ w.asnumpy().T)
    assert nd.one_hot(nd.array([0, 2]), 3).shape == (2, 3)


def test_plan_key_tells_value_types_apart():
    # 1, 1.0 and True are equal dict keys; attributes parsed from them may differ
    keys = {_gen._plan_key({"a": v}) for v in (1, 1.0, True)}
    assert len(keys) == 3


def test_plan_path_errors_are_the_generic_ones():
    x, w, b = _fc_args()
    with pytest.raises(MXNetError, match="required input 'bias' is missing"):
        nd.FullyConnected(x, w, num_hidden=2)
    with pytest.raises(MXNetError, match="unknown attribute 'num_hiden'"):
        nd.FullyConnected(x, w, b, num_hiden=2)
    with pytest.raises(TypeError, match="input 'weight' must be an NDArray"):
        nd.FullyConnected(x, onp.ones((2, 4)), b, num_hidden=2)
    with pytest.raises(MXNetError, match="FullyConnected"):
        nd.FullyConnected(x, w, b, num_hidden=3)
    with pytest.raises(MXNetError, match="attribute"):
        nd.clip(x, a_min=[0], a_max=1)  # unhashable attribute values are parsed per call


def test_plan_path_records_gradients():
    x, w, b = _fc_args()
    w.attach_grad()
    with autograd.record():
        y = nd.FullyConnected(x, w, b, num_hidden=2)
    y.backward()
    assert onp.array_equal(w.grad.asnumpy(), onp.tile(x.asnumpy().sum(0), (2, 1)))
    # outside record() results of attached inputs carry no torch graph
    assert not nd.FullyConnected(x, w, b, num_hidden=2).to_torch().requires_grad
    assert torch.is_grad_enabled()


def test_grad_mode_restored_after_a_failing_op():
    x, w, b = _fc_args()
    w.attach_grad()
    with pytest.raises(MXNetError):
        nd.FullyConnected(x, w, b, num_hidden=3)  # runs under no-grad (w requires grad)
    assert torch.is_grad_enabled()
    with pytest.raises(MXNetError):
        w + nd.ones((5, 5))  # the dunder fast path
    assert torch.is_grad_enabled()
    with _no_grad():
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_nd_results_never_alias_inputs():
    x = nd.ones((2, 3))
    y = nd.reshape(x, shape=(3, 2))
    y[:] = 5
    assert x.asnumpy().sum() == 6


# ---- np: direct computes -----------------------------------------------------------------------

def test_np_dunders_match_the_generic_door():
    i = np.array([[1, 2], [3, 4]], dtype="int32")
    f = np.array([[0.5, 1.5], [2.5, 3.5]])
    assert (i + i).dtype == onp.int32 and (i + i).tolist() == [[2, 4], [6, 8]]
    assert (i * 2.0).dtype == onp.float32  # int array * Python float -> float32 (MXNet)
    assert (i * 2).dtype == onp.int32
    assert (1.0 - f).tolist() == [[0.5, -0.5], [-1.5, -2.5]]
    assert (2 - i).tolist() == [[1, 0], [-1, -2]]
    with pytest.raises(MXNetError, match="_npi_add"):
        f + np.ones((3, 3))
    with pytest.raises(TypeError, match="legacy"):
        f + nd.ones((2, 2))


def test_np_fast_paths_record_gradients():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = ((x * 2.0 + x) * x).sum() + x[0] + np.exp(x).mean() + x.reshape(3, 1).max()
    y.backward()
    e = onp.exp([1.0, 2.0, 3.0]) / 3
    want = onp.array([2 * 3 * 1.0 + 1, 2 * 3 * 2.0, 2 * 3 * 3.0 + 1]) + e
    assert onp.allclose(x.grad.asnumpy(), want, rtol=1e-6)


def test_np_whole_array_reductions():
    i = np.array([[1, 2], [3, 4]], dtype="int32")
    # MXNet 1.9.1: int32 sum/max keep int32, mean is float32, bool sums are int64
    assert i.sum().dtype == onp.int32 and int(i.sum()) == 10 and i.sum().shape == ()
    assert i.mean().dtype == onp.float32 and float(i.mean()) == 2.5
    assert i.max().dtype == onp.int32 and int(i.max()) == 4 and int(i.min()) == 1
    assert (i > 1).sum().dtype == onp.int64
    assert float(np.zeros((0,)).mean()) == 0.0 and float(np.zeros((0, 3)).sum()) == 0.0
    assert float(np.array(2.0).mean()) == 2.0
    assert i.sum(axis=0).tolist() == [4, 6]
    with pytest.raises(MXNetError, match="max"):
        np.zeros((0,)).max()


def test_np_ops_return_copies_like_mxnet():
    # MXNet 1.9.1 operators return new arrays (reshape, transpose, astype...); only basic
    # indexing gives views
    cases = [lambda a: a.reshape(12), lambda a: np.reshape(a, (4, 3)), lambda a: a.T,
             lambda a: np.squeeze(a), lambda a: np.expand_dims(a, 0), lambda a: a.flatten(),
             lambda a: a.astype("float32"), lambda a: np.swapaxes(a, 0, 1)]
    for f in cases:
        a = np.ones((3, 4))
        b = f(a)
        b[...] = 7
        assert float(a.sum()) == 12.0
    a = np.ones((3, 4))
    a[0][1] = 5  # x[i] is a view
    assert float(a.sum()) == 16.0


def test_np_getitem_and_reshape_fast_paths():
    a = np.arange(12).reshape(3, 4)
    assert a[0].tolist() == [0, 1, 2, 3] and a[-1].tolist() == [8, 9, 10, 11]
    assert a[0][1].shape == ()
    with pytest.raises(IndexError):
        a[3]
    assert a.reshape(2, 6).shape == (2, 6) and a.reshape((6, -1)).shape == (6, 2)
    with pytest.raises(MXNetError, match="cannot reshape an array of size 12"):
        a.reshape(5, 5)
    with pytest.raises(MXNetError, match="one unknown dimension"):
        a.reshape(-1, -1)


def test_np_dot_fast_path():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    v = np.array([1.0, 1.0])
    assert np.dot(a, a).tolist() == [[7.0, 10.0], [15.0, 22.0]]
    assert np.dot(a, v).tolist() == [3.0, 7.0] and np.dot(v, v).shape == ()
    with pytest.raises(MXNetError, match="not aligned"):
        np.dot(a, np.ones((3,)))


def test_nd_whole_array_reductions_and_dot():
    x = nd.array(onp.arange(6).reshape(2, 3) / 4, dtype="float64")
    assert x.sum().shape == (1,) and float(x.sum().asscalar()) == 3.75
    assert x.sum().dtype == onp.float64 and float(x.mean().asscalar()) == 0.625
    assert nd.sum(x, axis=1).asnumpy().tolist() == [0.75, 3.0]
    i = nd.array([[100, 100]], dtype="int8")
    assert i.sum().asnumpy().tolist() == [-56]  # MXNet sums int8 in int8 (wraps)
    a, b = nd.ones((2, 3)), nd.ones((3, 4))
    assert nd.dot(a, b).asnumpy().tolist() == [[3.0] * 4] * 2
    assert nd.dot(a, a, transpose_b=True).shape == (2, 2)
    with pytest.raises(MXNetError, match="do not align"):
        nd.dot(a, a)
    with pytest.raises(MXNetError, match="dtype float64"):
        nd.dot(a, b.astype("float64"))
    # dense inputs give a sparse result only when the attribute asks for one
    assert nd.dot(a, b, forward_stype="csr").stype == "csr"
    assert nd.cast_storage(nd.ones((2, 2)), stype="row_sparse").stype == "row_sparse"
    assert nd.cast_storage(nd.ones((2, 2)), stype="default").stype == "default"
