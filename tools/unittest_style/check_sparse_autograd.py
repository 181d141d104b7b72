"""Sparse arrays under autograd.record() in the style of MXNet's test_sparse_operator.py /
test_autograd.py (own code): attached csr/row_sparse variables get the gradient of their
dense value, cast to the gradient buffer's storage type."""
import numpy as np

import mxnet as mx
from mxnet import autograd
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main

A = np.array([[0, 1, 0], [2, 0, 0]], dtype="float32")
B = np.array([[1, 0, 0], [3, 0, 4]], dtype="float32")


def _var(value, stype):
    arr = mx.nd.array(value)
    arr = arr.tostype(stype) if stype != "default" else arr
    arr.attach_grad(stype=stype)
    return arr


def _binary(op, lst, rst):
    a, b = _var(A, lst), _var(B, rst)
    with autograd.record():
        y = getattr(mx.nd, op)(a, b)
    y.backward()
    return y, a.grad, b.grad


def _check_binary(op, lst, rst, da, db):
    y, ga, gb = _binary(op, lst, rst)
    assert ga.stype == lst and gb.stype == rst
    assert_almost_equal(ga.asnumpy(), da)
    assert_almost_equal(gb.asnumpy(), db)


def test_elemwise_add_sub_sparse_grads():
    ones = np.ones_like(A)
    for lst, rst in (("csr", "csr"), ("row_sparse", "row_sparse"), ("default", "csr"),
                     ("csr", "default"), ("row_sparse", "default")):
        _check_binary("elemwise_add", lst, rst, ones, ones)
        _check_binary("elemwise_sub", lst, rst, ones, -ones)


def test_elemwise_mul_sparse_grads():
    for lst, rst in (("csr", "csr"), ("row_sparse", "row_sparse"), ("default", "csr"),
                     ("csr", "default"), ("row_sparse", "default")):
        _check_binary("elemwise_mul", lst, rst, B, A)


def test_sparse_retain_grad_rows():
    a = mx.nd.array(np.array([[0, 1], [2, 0], [0, 0]], dtype="float32")).tostype("row_sparse")
    a.attach_grad(stype="row_sparse")
    with autograd.record():
        y = mx.nd.sparse.retain(a, mx.nd.array([0, 2], dtype="int64"))
    y.backward()
    assert y.stype == "row_sparse" and a.grad.stype == "row_sparse"
    assert_almost_equal(a.grad.asnumpy(), np.array([[1, 1], [0, 0], [1, 1]]))


def test_csr_scalar_mul_grad():
    a = mx.nd.array(np.array([[0, 1], [2, 0], [0, 0]], dtype="float32")).tostype("csr")
    a.attach_grad()
    with autograd.record():
        y = a * 2
    y.backward()
    assert y.stype == "csr" and a.grad.stype == "csr"
    assert_almost_equal(a.grad.asnumpy(), np.full((3, 2), 2.0))


def test_row_sparse_square_chain_grad():
    v = np.array([[0, 1], [2, 0], [0, 0]], dtype="float32")
    a = mx.nd.array(v).tostype("row_sparse")
    a.attach_grad(stype="row_sparse")
    with autograd.record():
        y = mx.nd.sparse.square(a) + a
    y.backward()
    assert y.stype == "row_sparse"
    assert_almost_equal(a.grad.asnumpy(), 2 * v + 1)


def test_csr_times_dense_then_sum():
    v = np.array([[0, 1], [2, 0], [0, 0]], dtype="float32")
    w = np.array([[1, 1], [2, 3], [0, 4]], dtype="float32")
    a = mx.nd.array(v).tostype("csr")
    a.attach_grad(stype="csr")
    b = mx.nd.array(w)
    b.attach_grad()
    with autograd.record():
        y = mx.nd.sparse.elemwise_mul(a, b)
        z = mx.nd.sum(y)
    z.backward()
    assert y.stype == "csr" and a.grad.stype == "csr" and b.grad.stype == "default"
    assert_almost_equal(a.grad.asnumpy(), w)
    assert_almost_equal(b.grad.asnumpy(), v)


@with_seed()
def test_dot_csr_dense_grads():
    data = rand_ndarray((4, 6), "csr", density=0.5)
    w = mx.nd.random.uniform(shape=(6, 3))
    w.attach_grad(stype="row_sparse")
    data.attach_grad(stype="csr")
    with autograd.record():
        out = mx.nd.dot(data, w)
    out.backward(mx.nd.ones((4, 3)))
    assert w.grad.stype == "row_sparse" and data.grad.stype == "csr"
    assert_almost_equal(w.grad.asnumpy(), data.asnumpy().T.dot(np.ones((4, 3))), rtol=1e-5,
                        atol=1e-6)
    assert_almost_equal(data.grad.asnumpy(), np.ones((4, 3)).dot(w.asnumpy().T), rtol=1e-5,
                        atol=1e-6)


def test_sparse_grad_write_twice():
    a = _var(A, "csr")
    for _ in range(2):
        with autograd.record():
            y = a * 3
        y.backward()
    assert_almost_equal(a.grad.asnumpy(), np.full(A.shape, 3.0))


def test_autograd_grad_of_sparse_variable():
    a = mx.nd.array(A).tostype("row_sparse")
    a.attach_grad(stype="row_sparse")
    with autograd.record():
        y = (a * a).sum()
    (g,) = autograd.grad(y, [a])
    assert_almost_equal(g.asnumpy(), 2 * A)


main(globals())
