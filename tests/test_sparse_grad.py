"""Sparse gradients: attach_grad(stype=...), MXNet's row_sparse gradient rows (Embedding with
sparse_grad, SparseEmbedding, dot(csr, w), _sparse_retain), storage-type mismatches, and
autograd.grad. Expected values were captured from MXNet 1.9.1 (exact: small integers).
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

nd, ag = mx.nd, mx.autograd
IDS = [3, 1, 3, 0]


def _rows(a):
    assert a.stype == "row_sparse"
    return a.indices.asnumpy().tolist(), a.data.asnumpy().tolist()


@pytest.mark.parametrize("stype", ["row_sparse", "csr"])
def test_attach_grad_default_follows_array_stype(stype):
    x = nd.sparse.zeros(stype, (3, 2))
    x.attach_grad()
    assert x.grad.stype == stype and x.grad.shape == (3, 2)
    y = nd.ones((3, 2))
    y.attach_grad(stype="row_sparse")
    assert y.grad.stype == "row_sparse"
    assert _rows(y.grad) == ([], [])


def _embedding_grad(op="Embedding", **kwargs):
    w = nd.ones((5, 2))
    w.attach_grad(stype="row_sparse")
    with ag.record():
        y = getattr(nd, op)(nd.array(IDS), w, input_dim=5, output_dim=2, **kwargs) \
            if op == "Embedding" else nd.contrib.SparseEmbedding(nd.array(IDS), w, input_dim=5,
                                                                 output_dim=2)
        z = y * nd.array([[1, 1], [0, 0], [1, 1], [2, 2]])
    z.backward()
    return w.grad


def test_embedding_sparse_grad_keeps_zero_rows():
    # MXNet: rows are the unique ids [0, 1, 3]; id 1's gradient row is zero and still stored
    g = _embedding_grad(sparse_grad=True)
    assert _rows(g) == ([0, 1, 3], [[2.0, 2.0], [0.0, 0.0], [2.0, 2.0]])
    g = _embedding_grad("SparseEmbedding")
    assert _rows(g) == ([0, 1, 3], [[2.0, 2.0], [0.0, 0.0], [2.0, 2.0]])


def test_embedding_gradient_buffer_stype_mismatch_raises():
    # MXNet: "Cannot use sparse_grad = 1, while stype of gradients w.r.t embedding weight is
    # default" (and the converse), raised by backward
    for sparse_grad, buffer in ((True, "default"), (False, "row_sparse")):
        w = nd.ones((5, 2))
        w.attach_grad(stype=buffer)
        with ag.record():
            y = nd.Embedding(nd.array(IDS), w, input_dim=5, output_dim=2,
                             sparse_grad=sparse_grad)
        with pytest.raises(MXNetError, match="Embedding.*'weight'.*gradient buffer is " + buffer):
            y.backward()


def test_autograd_grad_returns_row_sparse():
    w = nd.ones((5, 2))
    w.attach_grad(stype="row_sparse")
    with ag.record():
        y = nd.Embedding(nd.array(IDS), w, input_dim=5, output_dim=2, sparse_grad=True)
    (g,) = ag.grad(y, [w])
    assert _rows(g) == ([0, 1, 3], [[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])
    assert w.grad.indices.shape == (0,)  # the buffer is untouched


def test_grad_req_add_unions_rows():
    w = nd.ones((5, 2))
    w.attach_grad(grad_req="add", stype="row_sparse")
    for ids in ([1, 3], [0, 1]):
        with ag.record():
            y = nd.Embedding(nd.array(ids), w, input_dim=5, output_dim=2, sparse_grad=True)
        y.backward()
    assert _rows(w.grad) == ([0, 1, 3], [[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]])


def _csr():
    # column 4 holds a stored zero: MXNet still stores gradient row 4
    return nd.sparse.csr_matrix((np.array([1., 0., 3.], "float32"), np.array([1, 4, 1]),
                                 np.array([0, 2, 2, 3])), shape=(3, 5))


def test_dot_csr_weight_gradient_rows():
    w = nd.ones((5, 2))
    w.attach_grad(stype="row_sparse")
    with ag.record():
        y = nd.dot(_csr(), w)
    y.backward()
    assert _rows(w.grad) == ([1, 4], [[4.0, 4.0], [0.0, 0.0]])
    w.attach_grad()  # dense buffer: a dense gradient
    with ag.record():
        y = nd.dot(_csr(), w)
    y.backward()
    assert w.grad.stype == "default"
    np.testing.assert_array_equal(w.grad.asnumpy(), [[0, 0], [4, 4], [0, 0], [0, 0], [0, 0]])


def test_dot_gradient_matches_finite_differences():
    rng = np.random.RandomState(0)
    c, w0 = _csr(), rng.uniform(-1, 1, (5, 2)).astype("float32")
    head = rng.uniform(-1, 1, (3, 2)).astype("float32")
    w = nd.array(w0)
    w.attach_grad(stype="row_sparse")
    with ag.record():
        y = nd.dot(c, w)
    y.backward(nd.array(head))
    dense_c, eps = c.asnumpy().astype("float64"), 1e-3
    numeric = np.zeros((5, 2))
    for i in range(5):
        for j in range(2):
            wp, wm = w0.astype("float64"), w0.astype("float64")
            wp[i, j] += eps
            wm[i, j] -= eps
            numeric[i, j] = ((dense_c @ wp - dense_c @ wm) * head).sum() / (2 * eps)
    np.testing.assert_allclose(w.grad.asnumpy(), numeric, rtol=1e-3, atol=1e-4)


def test_dot_gradient_wrt_csr_is_csr():
    # MXNet 1.9.1 stores every non-zero of the dense gradient (here all 15 entries of 2.0)
    c = _csr()
    c.attach_grad()
    with ag.record():
        y = nd.dot(c, nd.ones((5, 2)))
    y.backward()
    assert c.grad.stype == "csr"
    assert c.grad.indices.asnumpy().tolist() == list(range(5)) * c.shape[0]
    np.testing.assert_array_equal(c.grad.data.asnumpy(), [2.0] * 5 * c.shape[0])


def test_retain_gradient_rows_are_the_retained_indices():
    # a row_sparse weight storing every row (what lazy updates need): MXNet's gradient
    # stores exactly the retained rows [2, 3, 4]
    r = nd.sparse.row_sparse_array((np.arange(10, dtype="float32").reshape(5, 2),
                                    np.arange(5)), shape=(5, 2))
    r.attach_grad()
    with ag.record():
        y = nd.sparse.retain(r, nd.array([2, 3, 4], dtype="int64"))
    y.backward()
    assert _rows(r.grad) == ([2, 3, 4], [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])


def test_square_sum_gradient_keeps_stored_zero_rows():
    r = nd.sparse.row_sparse_array((np.array([[1, 2], [3, 4], [0, 0]], "float32"),
                                    np.array([0, 2, 3])), shape=(5, 2))
    r.attach_grad()
    with ag.record():
        y = nd._internal._square_sum(r, axis=1, keepdims=True)
    y.backward()
    # MXNet 1.9.1: rows [0, 2, 3], the stored zero row 3 included
    assert _rows(r.grad) == ([0, 2, 3], [[2.0, 4.0], [6.0, 8.0], [0.0, 0.0]])


def test_dense_gradient_into_sparse_buffer_keeps_nonzero_rows():
    # MXNet's storage fallback casts the dense gradient: zero rows are not stored
    x = nd.array([[1, 0], [0, 0], [1, 1]])
    x.attach_grad(stype="row_sparse")
    with ag.record():
        y = x * x
    y.backward()
    assert _rows(x.grad) == ([0, 2], [[2.0, 0.0], [2.0, 2.0]])
    x.attach_grad(stype="csr")
    with ag.record():
        y = x * x
    y.backward()
    assert x.grad.stype == "csr"
    assert x.grad.indices.asnumpy().tolist() == [0, 0, 1]


def test_lazy_update_after_sparse_embedding_gradient():
    # the scenario end to end: row 1 has a zero gradient but is decayed (0.6 -> 0.57)
    w = nd.ones((4, 2)) * 0.6
    w.attach_grad(stype="row_sparse")
    with ag.record():
        y = nd.Embedding(nd.array([0, 1]), w, input_dim=4, output_dim=2, sparse_grad=True)
        z = y * nd.array([[1, 1], [0, 0]])
    z.backward()
    nd.sgd_update(w, w.grad, lr=0.1, wd=0.5, out=w)
    np.testing.assert_allclose(w.asnumpy(), [[0.47, 0.47], [0.57, 0.57], [0.6, 0.6],
                                             [0.6, 0.6]], rtol=1e-6)


# --------------------------------------------------------------------------------------------
# Symbol / Executor storage types (expected stypes and values from MXNet 1.9.1)
# --------------------------------------------------------------------------------------------

sym = mx.sym


def _stypes(arrays):
    return {k: (None if v is None else v.stype) for k, v in arrays.items()}


def test_var_stype_attribute():
    assert sym.var("x", stype="csr").list_attr() == {"__storage_type__": "2"}
    assert sym.var("q", stype="row_sparse").attr("__storage_type__") == "1"


def test_simple_bind_allocates_mxnet_stypes():
    y = sym.dot(sym.var("x", stype="csr"), sym.var("w"))
    ex = y.simple_bind(mx.cpu(), x=(3, 5), w=(5, 2))
    assert _stypes(ex.arg_dict) == {"x": "csr", "w": "default"}
    assert _stypes(ex.grad_dict) == {"x": "default", "w": "row_sparse"}
    assert [(o.stype, o.shape) for o in ex.outputs] == [("default", (3, 2))]
    ex = y.simple_bind(mx.cpu(), x=(3, 5), w=(5, 2), stype_dict={"w": "row_sparse"})
    assert _stypes(ex.arg_dict) == {"x": "csr", "w": "row_sparse"}
    assert _stypes(ex.grad_dict) == {"x": "default", "w": "row_sparse"}


@pytest.mark.parametrize("make,args,grads,outs", [
    (lambda r: r * 2, "row_sparse", "row_sparse", ["row_sparse"]),
    (lambda r: sym.exp(r), "row_sparse", "default", ["default"]),
    (lambda r: sym._internal._square_sum(r, axis=1), "row_sparse", "row_sparse", ["default"]),
])
def test_simple_bind_gradient_and_output_stypes(make, args, grads, outs):
    ex = make(sym.var("z", stype="row_sparse")).simple_bind(mx.cpu(), z=(5, 2))
    assert ex.arg_dict["z"].stype == args
    assert ex.grad_dict["z"].stype == grads
    assert [o.stype for o in ex.outputs] == outs


def test_executor_embedding_sparse_grad():
    e = sym.Embedding(sym.var("d"), sym.var("ew"), input_dim=5, output_dim=2, sparse_grad=True)
    ex = e.simple_bind(mx.cpu(), d=(4,), grad_req={"d": "null", "ew": "write"})
    assert _stypes(ex.grad_dict) == {"d": None, "ew": "row_sparse"}
    ex.arg_dict["d"][:] = nd.array(IDS)
    ex.arg_dict["ew"][:] = 1
    ex.forward(is_train=True)
    ex.backward(nd.ones((4, 2)))
    assert _rows(ex.grad_dict["ew"]) == ([0, 1, 3], [[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])


def test_executor_dot_csr_gradient_rows():
    y = sym.dot(sym.var("x", stype="csr"), sym.var("w"))
    ex = y.simple_bind(mx.cpu(), x=(3, 5), w=(5, 2), grad_req={"x": "null", "w": "write"})
    ex.arg_dict["x"][:] = _csr()
    assert ex.arg_dict["x"].stype == "csr"
    ex.arg_dict["w"][:] = 1
    ex.forward(is_train=True)
    ex.backward(nd.ones((3, 2)))
    # MXNet 1.9.1: rows [1, 4]; the csr's stored zero in column 4 keeps row 4
    assert _rows(ex.grad_dict["w"]) == ([1, 4], [[4.0, 4.0], [0.0, 0.0]])


def test_test_utils_pass_stypes_through():
    from mxtorch.test_utils import (check_numeric_gradient, check_symbolic_backward,
                                    check_symbolic_forward)
    c = _csr()
    w = np.arange(10, dtype="float32").reshape(5, 2) / 10
    y = sym.dot(sym.var("x", stype="csr"), sym.var("w"))
    check_symbolic_forward(y, {"x": c, "w": w}, [c.asnumpy() @ w])
    grads = check_symbolic_backward(y, {"x": c, "w": w}, [np.ones((3, 2))],
                                    {"w": c.asnumpy().T @ np.ones((3, 2))},
                                    grad_stypes={"w": "row_sparse"})
    assert grads["w"].stype == "row_sparse"
    check_numeric_gradient(y, {"x": c, "w": w}, grad_nodes=["w"],
                           grad_stype_dict={"w": "row_sparse"})
    r = nd.sparse.row_sparse_array((np.array([[1, 2], [3, 4]], "float32"), np.array([0, 2])),
                                   shape=(4, 2))
    check_numeric_gradient(sym._internal._square_sum(sym.var("r", stype="row_sparse"), axis=1),
                           {"r": r}, grad_stype_dict={"r": "row_sparse"}, numeric_eps=1e-2,
                           rtol=0.05, atol=1e-2)


@pytest.mark.parametrize("sparse_grad,buffer", [(True, "default"), (False, "row_sparse")])
def test_bind_rejects_mismatched_embedding_gradient(sparse_grad, buffer):
    # MXNet 1.9.1 raises in bind: "Cannot use sparse_grad = 1, while stype of gradients w.r.t
    # embedding weight is default" (and the converse)
    e = sym.Embedding(sym.var("d"), sym.var("ew"), input_dim=5, output_dim=2,
                      sparse_grad=sparse_grad)
    grad = nd.zeros((5, 2)) if buffer == "default" else nd.sparse.zeros(buffer, (5, 2))
    with pytest.raises(MXNetError, match="Embedding.*'weight'.*gradient array is " + buffer):
        e.bind(mx.cpu(), args={"d": nd.array(IDS), "ew": nd.ones((5, 2))},
               args_grad={"ew": grad}, grad_req={"d": "null", "ew": "write"})


def test_numeric_gradient_of_sparse_embedding_weight():
    from mxtorch.test_utils import check_numeric_gradient
    e = sym.Embedding(sym.var("d"), sym.var("ew"), input_dim=5, output_dim=2, sparse_grad=True)
    weight = np.random.RandomState(0).uniform(-1, 1, (5, 2)).astype("float32")
    check_numeric_gradient(e, {"d": np.array(IDS, "float32"), "ew": weight}, grad_nodes=["ew"],
                           grad_stype_dict={"ew": "row_sparse"}, numeric_eps=1e-2, rtol=1e-2,
                           atol=1e-3)



def test_embedding_of_row_sparse_weight_keeps_looked_up_rows():
    # MXNet 1.9.1: a row_sparse weight storing every row gets the looked-up rows [0, 1, 3]
    w = nd.ones((5, 2)).tostype("row_sparse")
    w.attach_grad()
    with ag.record():
        y = nd.Embedding(nd.array(IDS), w, input_dim=5, output_dim=2, sparse_grad=True)
        z = y * nd.arange(4).reshape((-1, 1))
    z.backward()
    assert _rows(w.grad) == ([0, 1, 3], [[3.0, 3.0], [1.0, 1.0], [2.0, 2.0]])
