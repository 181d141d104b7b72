"""Sparse checks in the style of MXNet's test_sparse_ndarray.py / test_sparse_operator.py."""
import os
import pickle
import tempfile

import numpy as np

import mxnet as mx
from mxnet.ndarray.sparse import CSRNDArray, RowSparseNDArray
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def sparse_nd_ones(shape, stype):
    return mx.nd.ones(shape).tostype(stype)


@with_seed()
def test_sparse_nd_elemwise_add():
    def check_sparse_nd_elemwise_binary(shapes, stypes, f, g):
        nds = []
        for i, stype in enumerate(stypes):
            if stype == "row_sparse":
                nd, _ = rand_sparse_ndarray(shapes[i], stype)
            elif stype == "default":
                nd = mx.nd.array(random_arrays(shapes[i]), dtype=np.float32)
            else:
                assert False
            nds.append(nd)
        test = f(nds[0], nds[1])
        assert_almost_equal(test.asnumpy(), g(nds[0].asnumpy(), nds[1].asnumpy()))
    num_repeats = 3
    g = lambda x, y: x + y
    op = mx.nd.elemwise_add
    for _ in range(num_repeats):
        shape = [rand_shape_2d()] * 2
        check_sparse_nd_elemwise_binary(shape, ["default"] * 2, op, g)
        check_sparse_nd_elemwise_binary(shape, ["row_sparse", "row_sparse"], op, g)


@with_seed()
def test_sparse_nd_copy():
    def check_sparse_nd_copy(from_stype, to_stype, shape):
        from_nd = rand_ndarray(shape, from_stype)
        to_nd = mx.nd.empty(shape, stype=to_stype)
        from_nd.copyto(to_nd)
        assert np.sum(np.abs(from_nd.asnumpy() != to_nd.asnumpy())) == 0.0
        to_nd = mx.nd.empty(shape, stype=from_stype)
        from_nd.copyto(to_nd)
        assert np.sum(np.abs(from_nd.asnumpy() != to_nd.asnumpy())) == 0.0
    shape = rand_shape_2d()
    shape_3d = rand_shape_3d()
    stypes = ["row_sparse", "csr"]
    for stype in stypes:
        check_sparse_nd_copy(stype, "default", shape)
        check_sparse_nd_copy("default", stype, shape)
    check_sparse_nd_copy("row_sparse", "row_sparse", shape_3d)
    check_sparse_nd_copy("row_sparse", "default", shape_3d)
    check_sparse_nd_copy("default", "row_sparse", shape_3d)


@with_seed()
def test_sparse_nd_basic():
    def check_sparse_nd_basic_rsp():
        storage_type = "row_sparse"
        shape = rand_shape_2d()
        nd, (v, idx) = rand_sparse_ndarray(shape, storage_type)
        assert nd._num_aux == 1
        assert nd.indices.dtype == np.int64
        assert nd.stype == "row_sparse"
    check_sparse_nd_basic_rsp()


@with_seed()
def test_sparse_nd_setitem():
    def check_sparse_nd_setitem(stype, shape, dst):
        x = mx.nd.zeros(shape=shape, stype=stype)
        x[:] = dst
        dst_nd = mx.nd.array(dst) if isinstance(dst, (np.ndarray, np.generic)) else dst
        assert np.all(x.asnumpy() == dst_nd.asnumpy() if isinstance(dst_nd, mx.nd.NDArray) else dst)
    shape = rand_shape_2d()
    for stype in ["row_sparse", "csr"]:
        check_sparse_nd_setitem(stype, shape, rand_ndarray(shape, "default"))
        check_sparse_nd_setitem(stype, shape, rand_ndarray(shape, stype))
        check_sparse_nd_setitem(stype, shape, np.random.uniform(size=shape))
    check_sparse_nd_setitem("row_sparse", shape, 2)


@with_seed()
def test_sparse_nd_slice():
    shape = (rnd.randint(2, 10), rnd.randint(2, 10))
    stype = "csr"
    A, _ = rand_sparse_ndarray(shape, stype)
    A2 = A.asnumpy()
    start = rnd.randint(0, shape[0] - 1)
    end = rnd.randint(start + 1, shape[0])
    assert same(A[start:end].asnumpy(), A2[start:end])
    assert same(A[start - shape[0]:end].asnumpy(), A2[start:end])
    assert same(A[start:].asnumpy(), A2[start:])
    assert same(A[:end].asnumpy(), A2[:end])
    ind = rnd.randint(-shape[0], shape[0] - 1)
    assert same(A[ind].asnumpy(), A2[ind][np.newaxis, :])
    start_col = rnd.randint(0, shape[1] - 1)
    end_col = rnd.randint(start_col + 1, shape[1])
    result = mx.nd.slice(A, begin=(start, start_col), end=(end, end_col))
    result_dense = mx.nd.slice(mx.nd.array(A2), begin=(start, start_col), end=(end, end_col))
    assert same(result_dense.asnumpy(), result.asnumpy())
    A = mx.nd.sparse.zeros("csr", shape)
    A2 = A.asnumpy()
    assert same(A[start:end].asnumpy(), A2[start:end])
    result = mx.nd.slice(A, begin=(start, start_col), end=(end, end_col))
    result_dense = mx.nd.slice(mx.nd.array(A2), begin=(start, start_col), end=(end, end_col))
    assert same(result_dense.asnumpy(), result.asnumpy())


@with_seed()
def test_sparse_nd_concat_and_equal():
    shape = rand_shape_2d()
    x = mx.nd.zeros(shape=shape, stype="row_sparse")
    y = sparse_nd_ones(shape, "row_sparse")
    z = x == y
    assert (z.asnumpy() == np.zeros(shape)).all()
    z = 0 == x
    assert (z.asnumpy() == np.ones(shape)).all()
    assert z.stype == "default" or z.stype == "row_sparse"
    z = x != y
    assert (z.asnumpy() == 1).all()
    z = x > y
    assert (z.asnumpy() == 0).all()
    z = y >= x
    assert (z.asnumpy() == 1).all()
    csrs = [rand_ndarray((3, 4), "csr") for _ in range(3)]
    out = mx.nd.concat(*csrs, dim=0)
    assert out.stype == "csr"
    assert same(out.asnumpy(), np.concatenate([c.asnumpy() for c in csrs], axis=0))


@with_seed()
def test_sparse_nd_pickle_and_save_load():
    dim0 = 40
    dim1 = 40
    stypes = ["row_sparse", "csr"]
    densities = [0, 0.5]
    for stype in stypes:
        for density in densities:
            a, _ = rand_sparse_ndarray((dim0, dim1), stype, density)
            assert isinstance(a, mx.nd.sparse.CSRNDArray if stype == "csr" else RowSparseNDArray)
            data = pickle.dumps(a)
            b = pickle.loads(data)
            assert isinstance(b, type(a))
            assert same(a.asnumpy(), b.asnumpy())
    fname = os.path.join(tempfile.mkdtemp(), "tmp_list.bin")
    nd_list = [rand_ndarray((10, 10), s) for s in ["row_sparse", "csr", "default"]]
    mx.nd.save(fname, nd_list)
    x = mx.nd.load(fname)
    for a, b in zip(nd_list, x):
        assert a.stype == b.stype
        assert same(a.asnumpy(), b.asnumpy())
    nd_dict = {"a": nd_list[0], "b": nd_list[1]}
    mx.nd.save(fname, nd_dict)
    y = mx.nd.load(fname)
    assert y["a"].stype == "row_sparse" and y["b"].stype == "csr"


@with_seed()
def test_create_csr_and_rsp():
    def check_create_csr_from_nd(shape, density, dtype):
        matrix = rand_ndarray(shape, "csr", density)
        data = matrix.data
        indptr = matrix.indptr
        indices = matrix.indices
        csr_created = mx.nd.sparse.csr_matrix((data, indices, indptr), shape=shape)
        assert csr_created.stype == "csr"
        assert same(csr_created.data.asnumpy(), data.asnumpy())
        assert same(csr_created.indptr.asnumpy(), indptr.asnumpy())
        assert same(csr_created.indices.asnumpy(), indices.asnumpy())
        csr_copy = mx.nd.array(csr_created)
        assert same(csr_copy.asnumpy(), csr_created.asnumpy())
    for dtype in [np.float32, np.float64]:
        check_create_csr_from_nd((5, 6), 0.5, dtype)
    dense = np.array([[0, 1, 0], [2, 0, 3]], dtype=np.float32)
    csr = mx.nd.sparse.csr_matrix(dense)
    assert same(csr.indptr.asnumpy(), np.array([0, 1, 3]))
    assert same(csr.indices.asnumpy(), np.array([1, 0, 2]))
    csr = mx.nd.sparse.csr_matrix((dense[dense != 0], [1, 0, 2], [0, 1, 3]), shape=(2, 3))
    assert same(csr.asnumpy(), dense)
    rsp = mx.nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [0, 3]), shape=(5, 2))
    assert same(rsp.indices.asnumpy(), np.array([0, 3]))
    assert rsp.asnumpy()[3, 1] == 4
    rsp = mx.nd.sparse.row_sparse_array((2, 3), dtype="float64")
    assert rsp.shape == (2, 3) and rsp.dtype == np.float64
    try:
        import scipy.sparse as spsp
        sp = spsp.csr_matrix(dense)
        m = mx.nd.sparse.array(sp)
        assert m.stype == "csr"
        assert same(m.asnumpy(), dense)
        assert (m.asscipy() != sp).nnz == 0
    except ImportError:
        pass


@with_seed()
def test_sparse_dot_and_retain():
    lhs = rand_ndarray((8, 10), "csr", density=0.3)
    rhs = rand_ndarray((10, 4), "default")
    out = mx.nd.dot(lhs, rhs)
    assert_almost_equal(out.asnumpy(), np.dot(lhs.asnumpy(), rhs.asnumpy()), rtol=1e-5, atol=1e-5)
    out = mx.nd.dot(lhs, mx.nd.array(np.random.normal(size=(8, 4))), transpose_a=True)
    assert out.stype == "row_sparse"
    out2 = mx.nd.sparse.dot(lhs, rhs)
    assert_almost_equal(out2.asnumpy(), np.dot(lhs.asnumpy(), rhs.asnumpy()), rtol=1e-5, atol=1e-5)
    rsp = rand_ndarray((10, 3), "row_sparse", density=0.5)
    idx = mx.nd.array([0, 2, 4], dtype="int64")
    ret = mx.nd.sparse.retain(rsp, idx)
    dense = rsp.asnumpy()
    expected = np.zeros_like(dense)
    expected[[0, 2, 4]] = dense[[0, 2, 4]]
    assert same(ret.asnumpy(), expected)
    assert ret.stype == "row_sparse"


@with_seed()
def test_sparse_elementwise_and_unary():
    for stype in ["csr", "row_sparse"]:
        a = rand_ndarray((6, 5), stype, density=0.4)
        an = a.asnumpy()
        for f, g in [(mx.nd.sqrt, np.sqrt), (mx.nd.square, np.square), (mx.nd.abs, np.abs),
                     (mx.nd.sign, np.sign), (mx.nd.relu, lambda x: np.maximum(x, 0))]:
            out = f(mx.nd.abs(a) if f is mx.nd.sqrt else a)
            ref = g(np.abs(an) if f is mx.nd.sqrt else an)
            assert out.stype == stype, (f, out.stype)
            assert_almost_equal(out.asnumpy(), ref, rtol=1e-5, atol=1e-6)
        out = a * 2.0
        assert out.stype == stype
        assert_almost_equal(out.asnumpy(), an * 2)
        out = mx.nd.sparse.elemwise_mul(a, a)
        assert_almost_equal(out.asnumpy(), an * an)
        assert mx.nd.sum(a).asscalar() - an.sum() < 1e-4
        assert_almost_equal(mx.nd.sum(a, axis=0).asnumpy(), an.sum(axis=0), rtol=1e-5, atol=1e-5)
        assert_almost_equal(mx.nd.mean(a, axis=1).asnumpy(), an.mean(axis=1), rtol=1e-5, atol=1e-5)
        d = a.tostype("default")
        assert d.stype == "default"
        assert same(mx.nd.cast_storage(d, stype=stype).asnumpy(), an)


@with_seed()
def test_sparse_embedding_and_square_sum():
    in_dim, out_dim = 10, 4
    data = mx.sym.Variable("data")
    embed = mx.sym.contrib.SparseEmbedding(data=data, input_dim=in_dim, output_dim=out_dim,
                                           name="embed")
    exe = embed.simple_bind(default_context(), grad_req={"data": "null", "embed_weight": "write"},
                            data=(6,))
    weight = np.random.uniform(size=(in_dim, out_dim))
    idx = np.array([1, 3, 3, 5, 0, 9])
    exe.arg_dict["data"][:] = idx
    exe.arg_dict["embed_weight"][:] = weight
    exe.forward(is_train=True)
    assert_almost_equal(exe.outputs[0], weight[idx], rtol=1e-5, atol=1e-6)
    exe.backward([mx.nd.ones((6, out_dim))])
    g = exe.grad_dict["embed_weight"]
    assert g.stype == "row_sparse"
    ref = np.zeros((in_dim, out_dim))
    for i in idx:
        ref[i] += 1
    assert_almost_equal(g.asnumpy(), ref)
    rsp = rand_ndarray((6, 3), "row_sparse", density=0.5)
    out = mx.nd._internal._square_sum(rsp, axis=1, keepdims=True)
    assert_almost_equal(out.asnumpy(), (rsp.asnumpy() ** 2).sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-6)


@with_seed()
def test_sparse_storage_fallback_and_check_format():
    a = rand_ndarray((4, 4), "csr")
    out = mx.nd.exp(a)
    assert_almost_equal(out.asnumpy(), np.exp(a.asnumpy()), rtol=1e-5, atol=1e-6)
    assert out.stype == "default"
    a.check_format()
    bad = mx.nd.sparse.csr_matrix(([1.0, 2.0], [0, 5], [0, 1, 2]), shape=(2, 3))
    assertRaises(mx.base.MXNetError, bad.check_format)


@with_seed()
def test_sparse_optimizers_and_kvstore():
    w = rand_ndarray((5, 3), "row_sparse", density=1.0)
    g = rand_ndarray((5, 3), "row_sparse", density=0.4)
    opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.0, lazy_update=True)
    state = opt.create_state(0, w)
    wn = w.asnumpy().copy()
    gn = g.asnumpy()
    opt.update(0, w, g, state)
    rows = np.unique(g.indices.asnumpy())
    expected = wn.copy()
    expected[rows] -= 0.1 * gn[rows]
    assert_almost_equal(w.asnumpy(), expected, rtol=1e-5, atol=1e-6)
    kv = mx.kv.create("local")
    kv.init("w", mx.nd.ones((5, 3)).tostype("row_sparse"))
    out = mx.nd.sparse.zeros("row_sparse", (5, 3))
    kv.row_sparse_pull("w", out=out, row_ids=mx.nd.array([0, 2], dtype="int64"))
    expected = np.zeros((5, 3))
    expected[[0, 2]] = 1
    assert same(out.asnumpy(), expected)


main(globals())
