"""Round-5 sparse checks (MXNet 1.9.1 test_sparse_ndarray.py / test_sparse_operator.py style;
own code): constructors, broadcast ops with row/column/vector operands, reductions, unary ops
keeping the stype, add_n, sparse Embedding gradients, dot variants, lazy optimizer updates,
copyto/assignment between stypes, where and cast_storage.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_sparse5``.
"""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

A = np.array([[0, 1, 0], [2, 0, 3]], dtype=np.float32)
R = np.array([[0, 1, 0], [0, 0, 0], [0, 0, 3]], dtype=np.float32)


def _csr(x=A):
    return mx.nd.array(x).tostype("csr")


def _rsp(x=R):
    return mx.nd.array(x).tostype("row_sparse")


def _check(arr, stype, ref, **tol):
    assert arr.stype == stype, (arr.stype, stype)
    assert_almost_equal(arr.asnumpy(), np.asarray(ref, dtype=np.float32), **tol)


@with_seed()
def test_constructors():
    c = mx.nd.sparse.csr_matrix((np.array([1., 2, 3]), np.array([0, 2, 1]), np.array([0, 2, 2, 3])),
                                shape=(3, 4))
    _check(c, "csr", [[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]])
    assert c.indices.asnumpy().tolist() == [0, 2, 1] and c.indptr.asnumpy().tolist() == [0, 2, 2, 3]
    c = mx.nd.sparse.csr_matrix((np.array([1., 2, 3]), (np.array([0, 0, 2]), np.array([0, 2, 1]))),
                                shape=(3, 4))
    _check(c, "csr", [[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]])
    empty = mx.nd.sparse.csr_matrix((3, 4), dtype="float64")
    assert empty.dtype == np.float64 and empty.indptr.asnumpy().tolist() == [0, 0, 0, 0]
    r = mx.nd.sparse.row_sparse_array((np.array([[1., 2], [3, 4]]), np.array([1, 3])), shape=(5, 2))
    _check(r, "row_sparse", [[0, 0], [1, 2], [0, 0], [3, 4], [0, 0]])
    r = mx.nd.sparse.row_sparse_array((4, 2), dtype="int32")
    assert r.dtype == np.int32 and r.indices.dtype == np.int64 and r.indices.shape == (0,)
    assert _csr().indices.dtype == np.int64 and _csr().indptr.dtype == np.int64
    assert mx.nd.sparse.array(_csr().asscipy()).stype == "csr"
    _check(mx.nd.sparse.array(_rsp(), dtype="float64"), "row_sparse", R)
    assert mx.nd.sparse.array(_rsp(), dtype="float64").dtype == np.float64


@with_seed()
def test_broadcast_mul_div_operand_shapes():
    for rhs in ([1, 2, 4], [[1, 2, 4]], [[1], [2]], [5], [[5]]):
        dense = np.array(rhs, dtype=np.float32)
        _check(mx.nd.broadcast_mul(_csr(), mx.nd.array(dense)), "csr", A * dense)
        _check(mx.nd.broadcast_div(_csr(), mx.nd.array(dense)), "csr", A / dense, rtol=1e-6)
        _check(mx.nd.sparse.broadcast_mul(_csr(), mx.nd.array(dense)), "csr", A * dense)
        _check(mx.nd.broadcast_add(_csr(), mx.nd.array(dense)), "default", A + dense)
    full = np.full((2, 3), 2.0, dtype=np.float32)
    _check(mx.nd.broadcast_mul(_csr(), mx.nd.array(full)), "csr", A * 2)
    assertRaises(MXNetError, lambda: mx.nd.broadcast_div(_csr(), mx.nd.array(full)).wait_to_read())


@with_seed()
def test_reductions_keep_semantics():
    sq = np.array([[0, 1, 0], [2, 0, 3], [0, 0, 0]], dtype=np.float32)
    c = _csr(sq)
    _check(mx.nd.sparse.sum(c, axis=0), "default", sq.sum(0))
    _check(mx.nd.sparse.sum(c, axis=1, keepdims=True), "default", sq.sum(1, keepdims=True))
    _check(mx.nd.sparse.mean(c, axis=1), "default", sq.mean(1), rtol=1e-6)
    assert_almost_equal(mx.nd.sum(c).asnumpy(), np.array([6.0]))
    assert_almost_equal(mx.nd.norm(c).asnumpy(), np.array([np.sqrt(14.0)]), rtol=1e-6)
    assert_almost_equal(_rsp().sum().asnumpy(), np.array([4.0]))
    assert_almost_equal(_rsp().mean(axis=0).asnumpy(), R.mean(0), rtol=1e-6)


@with_seed()
def test_unary_ops_keep_row_sparse():
    r = _rsp()
    for out, ref in [(r * 2, R * 2), (mx.nd.sparse.abs(-r), R), (mx.nd.sparse.sign(r), np.sign(R)),
                     (mx.nd.sparse.sqrt(r), np.sqrt(R)), (mx.nd.sparse.relu(r), R),
                     (mx.nd.sparse.expm1(r), np.expm1(R)), (mx.nd.sparse.log1p(r), np.log1p(R)),
                     (mx.nd.sparse.floor(r * 1.5), np.floor(R * 1.5)),
                     (mx.nd.sparse.clip(r, -1, 2), np.clip(R, -1, 2))]:
        _check(out, "row_sparse", ref, rtol=1e-6)
    _check(r + 1, "default", R + 1)
    _check(mx.nd.sparse.sigmoid(r), "default", 1 / (1 + np.exp(-R)), rtol=1e-6)
    _check(mx.nd.sparse.exp(r), "default", np.exp(R), rtol=1e-6)
    c = _csr()
    for out, ref in [(c * 2, A * 2), (c / 2, A / 2), (2 * c, A * 2), (-c, -A)]:
        _check(out, "csr", ref)
    _check(c ** 2, "default", A ** 2)
    _check(c - 1, "default", A - 1)


@with_seed()
def test_add_n_and_elemwise_mixed():
    b = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]], dtype=np.float32)
    _check(mx.nd.sparse.add_n(_rsp(), _rsp(b), _rsp()), "row_sparse", 2 * R + b)
    _check(mx.nd.add_n(_rsp(), _rsp(b)), "row_sparse", R + b)
    _check(mx.nd.ElementWiseSum(_rsp(), _rsp(b)), "row_sparse", R + b)
    ones = mx.nd.ones((3, 3))
    _check(mx.nd.add_n(_rsp(), ones), "default", R + 1)
    _check(mx.nd.elemwise_add(_rsp(), ones), "default", R + 1)
    _check(mx.nd.elemwise_mul(_rsp(), ones), "row_sparse", R)
    _check(mx.nd.elemwise_sub(ones, _rsp()), "default", 1 - R)
    sq = np.array([[0, 1, 0], [2, 0, 0], [0, 0, 3]], dtype=np.float32)
    one_c = mx.nd.ones((3, 3)).tostype("csr")
    _check(mx.nd.elemwise_add(_csr(sq), one_c), "csr", sq + 1)
    _check(mx.nd.elemwise_mul(_csr(sq), one_c), "csr", sq)
    _check(mx.nd.elemwise_sub(_csr(sq), one_c), "csr", sq - 1)


@with_seed()
def test_sparse_embedding_gradient():
    w = np.random.uniform(-1, 1, (5, 3))
    idx = np.array([[0, 2], [4, 4]])
    out = mx.nd.sparse.Embedding(mx.nd.array(idx), mx.nd.array(w), input_dim=5, output_dim=3,
                                 sparse_grad=True)
    assert_almost_equal(out.asnumpy(), w[idx].astype(np.float32))
    weight = mx.nd.array(w)
    weight.attach_grad(stype="row_sparse")
    with mx.autograd.record():
        y = mx.nd.Embedding(mx.nd.array(idx), weight, input_dim=5, output_dim=3, sparse_grad=True)
    y.backward()
    assert weight.grad.stype == "row_sparse"
    ref = np.zeros((5, 3))
    np.add.at(ref, idx.ravel(), 1)
    assert_almost_equal(weight.grad.asnumpy(), ref)
    assert sorted(weight.grad.indices.asnumpy().tolist()) == [0, 2, 4]


@with_seed()
def test_dot_variants():
    x = np.array([[0, 1, 0, 0], [2, 0, 0, 3]], dtype=np.float32)
    w = np.random.uniform(-1, 1, (2, 3)).astype(np.float32)
    c = _csr(x)
    _check(mx.nd.sparse.dot(c, mx.nd.array(w), transpose_a=True), "row_sparse", x.T @ w,
           rtol=1e-5, atol=1e-6)
    _check(mx.nd.sparse.dot(c, mx.nd.array(w), transpose_a=True, forward_stype="default"),
           "default", x.T @ w, rtol=1e-5, atol=1e-6)
    w2 = np.random.uniform(-1, 1, (3, 4)).astype(np.float32)
    _check(mx.nd.sparse.dot(mx.nd.array(w2), c, transpose_b=True), "csr", w2 @ x.T,
           rtol=1e-5, atol=1e-6)
    w3 = np.random.uniform(-1, 1, (3, 2)).astype(np.float32)
    _check(mx.nd.sparse.dot(mx.nd.array(w3), c), "csr", w3 @ x, rtol=1e-5, atol=1e-6)
    w4 = np.random.uniform(-1, 1, (4, 2)).astype(np.float32)
    _check(mx.nd.sparse.dot(c, mx.nd.array(w4).tostype("row_sparse")), "default", x @ w4,
           rtol=1e-5, atol=1e-6)
    _check(mx.nd.sparse.dot(c, c, transpose_b=True), "default", x @ x.T)


@with_seed()
def test_lazy_updates_touch_only_present_rows():
    g = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0], [2, 2, 2]], dtype=np.float32)
    grad = mx.nd.array(g).tostype("row_sparse")
    w = mx.nd.ones((4, 3)).tostype("row_sparse")
    mx.nd.sgd_update(w, grad, lr=0.1, wd=0.1, lazy_update=True, out=w)
    ref = np.ones((4, 3))
    ref[[1, 3]] -= 0.1 * (g[[1, 3]] + 0.1)
    assert_almost_equal(w.asnumpy(), ref, rtol=1e-6)
    w = mx.nd.ones((4, 3))
    m = mx.nd.zeros((4, 3))
    mx.nd.sgd_mom_update(w, grad, m, lr=0.1, wd=0.1, momentum=0.9, lazy_update=True, out=w)
    assert_almost_equal(w.asnumpy(), ref, rtol=1e-6)
    assert_almost_equal(m.asnumpy(), ref - 1, rtol=1e-6)
    w, m, v = mx.nd.ones((4, 3)), mx.nd.zeros((4, 3)), mx.nd.zeros((4, 3))
    mx.nd.adam_update(w, grad, m, v, lr=0.1, wd=0.1, lazy_update=True, out=w)
    assert w.asnumpy()[[0, 2]].tolist() == [[1, 1, 1]] * 2 and m.asnumpy()[0].tolist() == [0] * 3
    gg = g[[1, 3]] + 0.1
    assert_almost_equal(m.asnumpy()[[1, 3]], 0.1 * gg, rtol=1e-5)
    assert_almost_equal(v.asnumpy()[[1, 3]], 0.001 * gg ** 2, rtol=1e-5)
    w, h = mx.nd.ones((4, 3)), mx.nd.zeros((4, 3))
    mx.nd.sparse.adagrad_update(w, grad, h, lr=0.1, wd=0.0, epsilon=1e-7, out=w)
    assert_almost_equal(h.asnumpy(), g ** 2)
    assert w.asnumpy()[0].tolist() == [1, 1, 1]


@with_seed()
def test_copyto_assign_and_like():
    d = mx.nd.zeros((3, 3))
    _rsp().copyto(d)
    _check(d, "default", R)
    d = mx.nd.sparse.zeros("row_sparse", (3, 3))
    _rsp().copyto(d)
    _check(d, "row_sparse", R)
    r = _rsp()
    r[:] = 3
    _check(r, "row_sparse", np.full((3, 3), 3))
    r = _rsp()
    r[:] = mx.nd.array(A[:1].repeat(3, 0))
    _check(r, "row_sparse", A[:1].repeat(3, 0))
    c = _csr()
    c[:] = mx.nd.array([[0, 0, 0], [5, 0, 0]]).tostype("csr")
    _check(c, "csr", [[0, 0, 0], [5, 0, 0]])
    _check(mx.nd.zeros_like(_csr()), "csr", np.zeros((2, 3)))
    _check(mx.nd.zeros_like(_rsp()), "row_sparse", np.zeros((3, 3)))
    _check(mx.nd.ones_like(_csr()), "default", np.ones((2, 3)))
    z = mx.nd.sparse.zeros("csr", (2, 3), dtype="float16")
    assert z.dtype == np.float16 and z.stype == "csr"


@with_seed()
def test_where_cast_storage_and_views():
    d = mx.nd.ones((2, 3))
    _check(mx.nd.sparse.where(_csr(), d, d * 2), "default", np.where(A != 0, 1, 2))
    _check(mx.nd.sparse.cast_storage(_csr(), "default"), "default", A)
    assertRaises(MXNetError, lambda: mx.nd.cast_storage(_csr(), stype="row_sparse").wait_to_read())
    _check(_csr().astype("int32"), "csr", A)
    assert _csr().astype("int32").dtype == np.int32
    _check(_csr()[1], "csr", A[1:2])
    _check(_csr()[0:2], "csr", A)
    _check(mx.nd.sparse.slice(_csr(), begin=(1, 1), end=(2, 3)), "csr", A[1:2, 1:3])
    _check(mx.nd.sparse.concat(_csr(), _csr(), dim=0), "csr", np.concatenate([A, A]))
    _check(mx.nd.sparse.retain(_rsp(), mx.nd.array([0, 1], dtype="int64")), "row_sparse",
           np.where(np.arange(3)[:, None] < 2, R, 0))
    half = mx.nd.array(R, dtype="float16").tostype("row_sparse")
    assert half.dtype == np.float16 and half.astype("float64").dtype == np.float64


if __name__ == "__main__":
    main(globals())
