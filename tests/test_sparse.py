"""CSRNDArray / RowSparseNDArray: construction, parts, storage types of results, file I/O.

Storage types and dtypes expected below were observed with MXNet 1.9.1 (~/mxref), as noted.
"""
import os
import pickle

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError, NotSupportedError
from mxtorch.ndarray import sparse

PARAMS = os.path.join(os.path.dirname(__file__), "fixtures", "mxnet-1.9.1", "params")
FIXTURE = os.path.join(PARAMS, "sparse_dict.params")


def _np(x):
    return x.asnumpy()


@pytest.fixture
def csr():
    # [[0, 1, 0], [2, 0, 0]]
    return mx.nd.array([[0, 1, 0], [2, 0, 0]]).tostype("csr")


@pytest.fixture
def rsp():
    return mx.nd.array([[0, 1, 0], [0, 0, 0], [2, 0, 0]]).tostype("row_sparse")


# ---- the MXNet fixture ---------------------------------------------------------------------


def test_fixture_classes_parts_and_byte_identical_save(tmp_path):
    loaded = mx.nd.load(FIXTURE)
    ref = np.load(os.path.join(PARAMS, "sparse_dict.npz"))
    assert type(loaded["rsp"]) is sparse.RowSparseNDArray
    assert type(loaded["csr"]) is sparse.CSRNDArray
    assert type(loaded["dense"]) is mx.nd.NDArray
    for key in ("rsp", "csr"):
        arr = loaded[key]
        assert np.array_equal(_np(arr), ref[key])
        assert np.array_equal(_np(arr.data), ref[f"{key}.data"])
        assert np.array_equal(_np(arr.indices), ref[f"{key}.indices"])
        assert arr.indices.dtype == np.int64
    assert np.array_equal(_np(loaded["csr"].indptr), ref["csr.indptr"])
    mx.nd.save(str(tmp_path / "s.params"), loaded)
    with open(FIXTURE, "rb") as f:
        assert (tmp_path / "s.params").read_bytes() == f.read()


def test_changed_values_save_the_new_parts(tmp_path):
    loaded = mx.nd.load(FIXTURE)
    nnz = loaded["csr"].data.shape[0]
    loaded["csr"] *= 0  # MXNet 1.9.1: the stored entries stay stored (now zeros)
    mx.nd.save(str(tmp_path / "z.params"), loaded)
    again = mx.nd.load(str(tmp_path / "z.params"))["csr"]
    assert again.data.shape == (nnz,) and not _np(again.data).any()
    loaded["csr"][:] = np.zeros(loaded["csr"].shape)  # a dense value stores its non-zeros
    assert loaded["csr"].data.shape == (0,)


# ---- construction --------------------------------------------------------------------------


def test_csr_matrix_from_definition():
    a = sparse.csr_matrix(([1.0, 2.0, 3.0], [1, 0, 2], [0, 1, 2, 2, 3]), shape=(4, 3))
    assert type(a) is sparse.CSRNDArray and a.shape == (4, 3) and a.dtype == np.float32
    assert _np(a).tolist() == [[0, 1, 0], [2, 0, 0], [0, 0, 0], [0, 0, 3]]
    assert _np(a.indptr).tolist() == [0, 1, 2, 2, 3]
    # shape inferred from indptr and the largest column index
    assert sparse.csr_matrix(([1, 2], [0, 1], [0, 1, 2])).shape == (2, 2)


def test_csr_matrix_dtype_rules():
    # observed on MXNet 1.9.1: a list gives float32, a numpy array keeps its dtype
    assert sparse.csr_matrix([[0, 1], [2, 0]]).dtype == np.float32
    assert sparse.csr_matrix(np.array([[0, 1], [2, 0]])).dtype == np.int64
    data = np.array([1.0, 0.0, 3.0])
    c = sparse.csr_matrix((data, np.array([0, 1, 2]), np.array([0, 2, 3])), shape=(2, 3))
    assert c.dtype == np.float64 and c.indices.dtype == np.int64
    # an explicitly stored zero is kept as stored
    assert _np(c.data).tolist() == [1.0, 0.0, 3.0]
    assert sparse.csr_matrix(([1, 2], [0, 1], [0, 1, 2]), shape=(2, 3),
                             dtype="float16").dtype == np.float16


def test_csr_matrix_other_forms(csr):
    empty = sparse.csr_matrix((2, 3))
    assert type(empty) is sparse.CSRNDArray and _np(empty).sum() == 0
    assert _np(empty.indptr).tolist() == [0, 0, 0]
    coo = sparse.csr_matrix(([1.0, 2.0, 4.0], ([0, 1, 0], [1, 0, 1])), shape=(2, 3))
    assert _np(coo).tolist() == [[0, 5, 0], [2, 0, 0]]  # repeated positions add up
    copy = sparse.csr_matrix(csr)
    assert copy is not csr and np.array_equal(_np(copy), _np(csr))
    with pytest.raises(ValueError, match="RowSparseNDArray"):
        sparse.csr_matrix(mx.nd.zeros((2, 2)).tostype("row_sparse"))
    with pytest.raises(ValueError, match="Shape mismatch"):
        sparse.csr_matrix((2, 3), shape=(3, 3))


def test_invalid_parts_are_kept_until_used():
    # MXNet's constructors take parts unchecked; mxtorch checks them before any kernel runs,
    # so bad parts raise MXNetError (never crash) and check_format names the problem.
    bad = [sparse.csr_matrix(([1.0, 2.0], [0, 5], [0, 1, 2]), shape=(2, 3)),
           sparse.csr_matrix(([1.0, 2.0], [0, 1], [0, 2, 1]), shape=(2, 3)),
           sparse.row_sparse_array(([[1.0, 2.0]], [4]), shape=(3, 2))]
    for arr in bad:
        arr.check_format(full_check=False)
        for use in (lambda a: a.asnumpy(), lambda a: a * 2, lambda a: a + a,
                    lambda a: mx.nd.sum(a), lambda a: mx.nd.dot(a, mx.nd.ones((a.shape[1], 2)))):
            with pytest.raises(MXNetError, match="invalid parts"):
                use(arr)
        with pytest.raises(MXNetError, match="invalid format"):
            arr.check_format()
    with pytest.raises(ValueError, match="invalid shape"):
        sparse.row_sparse_array(([[1.0, 2.0]], [0]), shape=(3, 0))


def test_row_sparse_array_forms():
    a = sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 3]))
    assert a.shape == (4, 2) and a.dtype == np.float32
    assert _np(a).tolist() == [[0, 0], [1, 2], [0, 0], [3, 4]]
    # observed on MXNet 1.9.1: numpy int64 data keeps int64
    assert sparse.row_sparse_array((np.array([[1, 2]]), [0])).dtype == np.int64
    z = sparse.row_sparse_array((2, 3))
    assert type(z) is sparse.RowSparseNDArray and z.indices.shape == (0,)
    assert z.data.shape == (0, 3)
    with pytest.raises(ValueError, match="Unexpected length"):
        sparse.row_sparse_array((2,))
    with pytest.raises(ValueError, match="CSRNDArray"):
        sparse.row_sparse_array(sparse.csr_matrix((2, 2)))


def test_zeros_empty_array():
    z = sparse.zeros("csr", (2, 3), dtype="int32")
    assert z.dtype == np.int32 and z.stype == "csr"
    assert type(sparse.zeros("default", (2, 3))) is mx.nd.NDArray
    assert sparse.empty("row_sparse", 4).shape == (4,)
    with pytest.raises(ValueError, match="unknown"):
        sparse.zeros("coo", (2, 2))
    rsp = sparse.zeros("row_sparse", (3, 2))
    copy = sparse.array(rsp, dtype="float64")
    assert type(copy) is sparse.RowSparseNDArray and copy.dtype == np.float64
    with pytest.raises(ValueError, match="mx.nd.array"):
        sparse.array(np.zeros((2, 2)))


# ---- conversions ---------------------------------------------------------------------------


def test_dense_to_sparse_parts(csr, rsp):
    assert _np(csr.data).tolist() == [1, 2]
    assert _np(csr.indices).tolist() == [1, 0]
    assert _np(csr.indptr).tolist() == [0, 1, 2]
    assert _np(rsp.indices).tolist() == [0, 2]
    assert _np(rsp.data).tolist() == [[0, 1, 0], [2, 0, 0]]
    one_d = mx.nd.array([0, 3, 0]).tostype("row_sparse")
    assert _np(one_d.indices).tolist() == [1]


def test_tostype_rules(csr, rsp):
    dense = csr.tostype("default")
    assert type(dense) is mx.nd.NDArray and _np(dense).tolist() == [[0, 1, 0], [2, 0, 0]]
    with pytest.raises(ValueError, match="csr to row_sparse"):
        csr.tostype("row_sparse")
    with pytest.raises(ValueError, match="row_sparse to csr"):
        rsp.tostype("csr")
    with pytest.raises(ValueError, match="2 Dimensional"):
        mx.nd.ones((3,)).tostype("csr")
    assert type(mx.nd.ones((2, 2, 2)).tostype("row_sparse")) is sparse.RowSparseNDArray


# ---- storage types of results (observed on MXNet 1.9.1) ------------------------------------


@pytest.mark.parametrize("expr,stype", [
    ("c + c", "csr"), ("c - c", "csr"), ("c * c", "csr"), ("c / c", "default"),
    ("c + 1", "default"), ("c * 2", "csr"), ("c / 2", "csr"), ("c - 1", "default"),
    ("2 * c", "csr"), ("-c", "csr"), ("1 - c", "default"), ("c + d", "default"),
    ("d + c", "default"), ("c * d", "csr"), ("d * c", "default"), ("r + r", "row_sparse"),
    ("r * r", "row_sparse"), ("r * 2", "row_sparse"), ("r + 1", "default"),
    ("mx.nd.sparse.abs(c)", "csr"), ("mx.nd.sparse.exp(c)", "default"),
    ("mx.nd.sparse.sqrt(c)", "csr"), ("mx.nd.sparse.sigmoid(c)", "default"),
    ("mx.nd.sparse.clip(c, 0, 1)", "csr"), ("mx.nd.sparse.zeros_like(c)", "csr"),
    ("mx.nd.sparse.square(r)", "row_sparse"), ("mx.nd.sparse.relu(r)", "row_sparse"),
    ("mx.nd.sparse.sum(c)", "default"), ("c.copy()", "csr"), ("r.astype('int32')", "row_sparse"),
    ("c[1:2]", "csr"), ("c[0]", "csr"), ("r[:]", "row_sparse"), ("c.T", "default"),
    ("mx.nd.sparse.dot(c, mx.nd.ones((3, 2)))", "default"),
    ("mx.nd.sparse.dot(c, mx.nd.ones((2, 2)), transpose_a=True)", "row_sparse"),
])
def test_result_storage_types(expr, stype, csr, rsp):
    d = mx.nd.ones((2, 3))
    c, r = csr, rsp
    assert getattr(mx.nd.sparse, "abs")  # the sparse namespace has the sparse-aware ops
    result = eval(expr, {"mx": mx, "c": c, "r": r, "d": d})
    assert result.stype == stype


def test_values_of_sparse_arithmetic(csr):
    assert _np(csr * 2).tolist() == [[0, 2, 0], [4, 0, 0]]
    assert _np(csr + 1).tolist() == [[1, 2, 1], [3, 1, 1]]
    assert _np(mx.nd.sparse.add(csr, csr)).tolist() == [[0, 2, 0], [4, 0, 0]]
    assert _np(mx.nd.sparse.divide(csr, 2)).tolist() == [[0, 0.5, 0], [1, 0, 0]]


def test_inplace_ops_refresh_parts(csr):
    before = csr
    csr += csr
    assert csr is before and csr.stype == "csr"
    assert _np(csr.data).tolist() == [2, 4]
    csr[:] = np.array([[0, 0, 7], [0, 0, 0]])
    assert _np(csr.indices).tolist() == [2] and _np(csr.indptr).tolist() == [0, 1, 1]


def test_indexing_rules(csr, rsp):
    assert _np(csr[1]).tolist() == [[2, 0, 0]]
    assert _np(csr[-1]).tolist() == [[2, 0, 0]]
    assert csr[:] is csr
    with pytest.raises(ValueError, match="continuous"):
        csr[::2]
    with pytest.raises(ValueError, match="Multi-dimension"):
        csr[0, 1]
    with pytest.raises(NotSupportedError):
        rsp[1]
    with pytest.raises(ValueError, match="numeric"):
        csr[:] = 1
    rsp[:] = 5
    assert _np(rsp).tolist() == [[5, 5, 5]] * 3 and _np(rsp.indices).tolist() == [0, 1, 2]


def test_retain(rsp):
    kept = mx.nd.sparse.retain(rsp, mx.nd.array([2, 1]))
    assert type(kept) is sparse.RowSparseNDArray
    assert _np(kept).tolist() == [[0, 0, 0], [0, 0, 0], [2, 0, 0]]
    assert _np(rsp.retain(mx.nd.array([0])).indices).tolist() == [0]


def test_retain_gradient():
    x = mx.nd.array([[1, 2], [3, 4], [5, 6]])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.sparse.retain(x.tostype("row_sparse"), mx.nd.array([0, 2]))
        z = mx.nd.sum(y * 2)
    z.backward()
    assert _np(x.grad).tolist() == [[2, 2], [0, 0], [2, 2]]


def test_sparse_only_errors(csr):
    with pytest.raises(NotImplementedError):
        csr.size
    with pytest.raises(NotSupportedError):
        csr.reshape((3, 2))
    with pytest.raises(NotImplementedError):
        csr.data = mx.nd.ones(2)
    assert repr(csr) == "\n<CSRNDArray 2x3 @cpu(0)>"


def test_check_format():
    good = sparse.csr_matrix(([1.0, 2.0], [0, 1], [0, 2, 2]), shape=(2, 3))
    good.check_format()
    unsorted = sparse.csr_matrix(([1.0, 2.0], [1, 0], [0, 2, 2]), shape=(2, 3))
    unsorted.check_format(full_check=False)
    with pytest.raises(MXNetError, match="row 0 are unsorted"):
        unsorted.check_format()


def test_copyto_and_contexts(csr, rsp):
    moved = csr.copyto(mx.cpu(1))
    assert type(moved) is sparse.CSRNDArray and moved.context == mx.cpu(1)
    target = mx.nd.zeros((2, 3))
    csr.copyto(target)
    assert _np(target).tolist() == [[0, 1, 0], [2, 0, 0]]
    with pytest.raises(TypeError, match="stype"):
        rsp.copyto(sparse.zeros("csr", (3, 3)))


def test_pickle_round_trip(csr):
    back = pickle.loads(pickle.dumps(csr))
    assert type(back) is sparse.CSRNDArray
    assert _np(back).tolist() == _np(csr).tolist()
    assert _np(back.indptr).tolist() == [0, 1, 2]


def test_sparse_namespace():
    for name in ("csr_matrix", "row_sparse_array", "zeros", "empty", "array", "add", "subtract",
                 "multiply", "divide", "retain", "cast_storage", "adagrad_update", "dot",
                 "elemwise_add", "CSRNDArray", "RowSparseNDArray", "BaseSparseNDArray"):
        assert hasattr(mx.nd.sparse, name), name
    assert mx.nd.sparse._STORAGE_AUX_TYPES["csr"] == [np.int64, np.int64]


def test_sparse_adagrad_update_matches_mxnet():
    # numbers from MXNet 1.9.1: nd.sparse.adagrad_update(w, g(row_sparse), h, lr=0.1,
    # epsilon=1e-7, rescale_grad=2.0, clip_gradient=1.5, out=w)
    w = mx.nd.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    h = mx.nd.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    g = mx.nd.array([[0.5, -2.0], [0, 0], [1.0, 3.0]]).tostype("row_sparse")
    mx.nd.sparse.adagrad_update(w, g, h, lr=0.1, epsilon=1e-7, rescale_grad=2.0,
                                clip_gradient=1.5, out=w)
    np.testing.assert_allclose(_np(w), [[0.9046537, 2.0958314], [3.0, 4.0],
                                        [4.9095464, 5.9111476]], rtol=1e-6)
    np.testing.assert_allclose(_np(h), [[1.1, 2.45], [0.3, 0.4], [2.75, 2.85]], rtol=1e-6)


# ---- storage: parts are the truth (values observed on MXNet 1.9.1) --------------------------


def test_huge_sparse_arrays_store_only_their_parts():
    big = sparse.zeros("row_sparse", (2_000_000, 64))
    small = sparse.row_sparse_array((np.ones((2, 64), dtype=np.float32), [3, 1_999_999]),
                                    shape=(2_000_000, 64))
    total = big + small
    assert type(total) is sparse.RowSparseNDArray and total.shape == (2_000_000, 64)
    assert _np(total.indices).tolist() == [3, 1_999_999]
    assert total._sd.numel() == 128  # nothing dense was built
    c = sparse.zeros("csr", (1_000_000, 1_000_000))
    assert (c * 2).stype == "csr" and _np((c * 2).indptr).shape == (1_000_001,)


def test_stored_structure_survives_like_mxnet():
    c = sparse.csr_matrix(([1.0, 0.0, 2.0], [0, 2, 1], [0, 2, 3]), shape=(2, 3))
    assert _np((c * 0).data).tolist() == [0, 0, 0]
    div = c / 0
    assert np.isinf(_np(div.data)[[0, 2]]).all() and np.isnan(_np(div.data)[1])
    assert _np(div)[0, 1] == 0  # not stored: stays 0
    r = sparse.row_sparse_array(([[1.0, 2.0], [0.0, 0.0]], [0, 2]), shape=(3, 2))
    assert _np((r - r).indices).tolist() == [0, 2]
    r[:] = 0
    assert _np(r.indices).tolist() == [0, 1, 2] and not _np(r.data).any()
    assert _np(mx.nd.contrib.getnnz(c)).tolist() == [3]  # stored zeros count
    assert _np(mx.nd.contrib.getnnz(c, axis=1)).tolist() == [2, 1]
    assert _np(mx.nd.contrib.getnnz(c, axis=0)).tolist() == [1, 1, 1]
    assert _np(mx.nd.abs(r).indices).tolist() == [0, 1, 2]


def test_creation_keeps_storage_type(csr, rsp):
    assert type(mx.nd.array(csr)) is sparse.CSRNDArray
    copy = mx.nd.array(rsp, dtype="float64")
    assert type(copy) is sparse.RowSparseNDArray and copy.dtype == np.float64
    assert _np(copy.indices).tolist() == [0, 2]
    for stype, cls in (("csr", sparse.CSRNDArray), ("row_sparse", sparse.RowSparseNDArray)):
        for make in (mx.nd.empty, mx.nd.zeros):
            arr = make((4, 5), stype=stype)
            assert type(arr) is cls and arr._sd.numel() == 0 and arr.shape == (4, 5)


@pytest.mark.parametrize("parts,message", [
    (([1.0, 2.0], [0, 1], [1, 1, 2]), "indptr must start at 0"),
    (([1.0, 2.0], [0, 1], [0, 2, 1]), "indptr decreases at position 2"),
    (([1.0, 2.0], [0, 1], [0, 1, 3]), "end at the number of stored values 2"),
    (([1.0, 2.0], [0, 1], [0, -1, 2]), "negative entry at position 1"),
    (([1.0, 2.0], [0, 5], [0, 1, 2]), "column index 5 at position 1 is out of range"),
    (([1.0, 2.0], [-1, 1], [0, 1, 2]), "column index -1 at position 0"),
    (([1.0, 2.0], [1, 0], [0, 2, 2]), "row 0 are unsorted"),
    (([1.0, 2.0], [1, 1], [0, 2, 2]), "row 0 are duplicated"),
])
def test_check_format_names_every_csr_problem(parts, message):
    arr = sparse.csr_matrix(parts, shape=(2, 3))
    arr.check_format(full_check=False)
    with pytest.raises(MXNetError, match=message):
        arr.check_format()


@pytest.mark.parametrize("rows,message", [([2, 1], "unsorted"), ([1, 1], "duplicated"),
                                          ([0, 3], "row index 3"), ([-1, 0], "row index -1")])
def test_check_format_names_every_row_sparse_problem(rows, message):
    arr = sparse.row_sparse_array(([[1.0], [2.0]], rows), shape=(3, 1))
    with pytest.raises(MXNetError, match=message):
        arr.check_format()
    bad_len = sparse.row_sparse_array(([[1.0], [2.0]], [0]), shape=(3, 1))
    with pytest.raises(MXNetError, match="data has shape"):
        bad_len.check_format(full_check=False)


def test_scatter_ops_touch_stored_values_only():
    # observed on MXNet 1.9.1 (sparse_stypes.json has the full table)
    r = sparse.row_sparse_array(([[2.0, 4.0]], [1]), shape=(3, 2))
    plus = mx.nd._internal._scatter_plus_scalar(r, scalar=1)
    assert plus.stype == "row_sparse" and _np(plus).tolist() == [[0, 0], [3, 5], [0, 0]]
    minus = mx.nd._internal._scatter_minus_scalar(r, scalar=1)
    assert _np(minus).tolist() == [[0, 0], [1, 3], [0, 0]]
    div = mx.nd._internal._scatter_elemwise_div(r, mx.nd.array([[1, 1], [2, 8], [1, 1]]))
    assert div.stype == "row_sparse" and _np(div).tolist() == [[0, 0], [1, 0.5], [0, 0]]
    assert hasattr(mx.sym.sparse, "cast_storage")


def test_sparse_results_into_out_and_in_place(csr, rsp):
    out = sparse.zeros("row_sparse", rsp.shape)
    mx.nd.elemwise_add(rsp, rsp, out=out)
    assert _np(out.indices).tolist() == [0, 2] and _np(out).tolist() == _np(rsp * 2).tolist()
    dense_out = mx.nd.zeros(csr.shape)
    mx.nd.elemwise_mul(csr, mx.nd.ones(csr.shape) * 3, out=dense_out)
    assert _np(dense_out).tolist() == [[0, 3, 0], [6, 0, 0]]
    rsp *= 2
    assert _np(rsp.data).tolist() == [[0, 2, 0], [4, 0, 0]]
    rsp += 1  # a dense result written into a row_sparse array stores its non-zero rows
    assert _np(rsp.indices).tolist() == [0, 1, 2]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int32"])
def test_csr_dot_all_dtypes(dtype):
    dense = np.array([[0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 0]], dtype=dtype)
    rhs = np.arange(8, dtype=dtype).reshape(4, 2)
    c = mx.nd.array(dense, dtype=dtype).tostype("csr")
    got = mx.nd.dot(c, mx.nd.array(rhs, dtype=dtype))
    assert got.stype == "default" and got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(_np(got), dense.astype(np.float64) @ rhs, rtol=1e-3)
    grad = mx.nd.dot(c, mx.nd.array(np.ones((3, 2)), dtype=dtype), transpose_a=True)
    assert grad.stype == "row_sparse" and _np(grad.indices).tolist() == [0, 1, 3]
    np.testing.assert_allclose(_np(grad), dense.T.astype(np.float64) @ np.ones((3, 2)))


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_reductions_from_parts(op, axis, csr, rsp):
    for arr in (csr, rsp):
        want = getattr(mx.nd, op)(mx.nd.array(_np(arr)), axis=axis, keepdims=True)
        got = getattr(mx.nd, op)(arr, axis=axis, keepdims=True)
        assert got.stype == "default" and got.shape == want.shape
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-6)


def test_stored_zeros_survive_save_and_pickle(tmp_path):
    c = sparse.csr_matrix(([1.0, 0.0], [0, 2], [0, 2, 2]), shape=(2, 3))
    r = sparse.row_sparse_array(([[0.0, 0.0]], [1]), shape=(3, 2))
    path = str(tmp_path / "z.params")
    mx.nd.save(path, {"c": c, "r": r})
    back = mx.nd.load(path)
    assert _np(back["c"].data).tolist() == [1.0, 0.0]
    assert _np(back["r"].indices).tolist() == [1]
    again = pickle.loads(pickle.dumps(r))
    assert type(again) is sparse.RowSparseNDArray and _np(again.indices).tolist() == [1]


def test_sparse_embedding_takes_deterministic():
    # MXNet 1.9.1: SparseEmbedding accepts deterministic= (Embedding does not)
    w = mx.nd.array([[1, 2], [3, 4], [5, 6]])
    out = mx.nd.contrib.SparseEmbedding(mx.nd.array([2, 0]), w, input_dim=3, output_dim=2,
                                        deterministic=True)
    assert _np(out).tolist() == [[5, 6], [1, 2]]


class _FakeScipyCsr:
    """The parts of scipy.sparse.csr_matrix that mx.nd.array reads (scipy is optional)."""
    format = "csr"

    def __init__(self, data, indices, indptr, shape):
        self.data, self.indices, self.indptr = (np.asarray(a) for a in (data, indices, indptr))
        self.shape, self.dtype = shape, self.data.dtype

    def tocoo(self):
        raise AssertionError("not used")

    def sorted_indices(self):
        return self

    def sum_duplicates(self):
        pass


def test_nd_array_of_a_scipy_csr_matrix_is_csr():
    source = _FakeScipyCsr(np.array([1.0, 2.0]), [2, 0], [0, 1, 2], (2, 3))
    arr = mx.nd.array(source)
    assert type(arr) is sparse.CSRNDArray and arr.dtype == np.float64
    assert _np(arr).tolist() == [[0, 0, 1], [2, 0, 0]]


def test_norm_from_parts(csr, rsp):
    for arr in (csr, rsp):
        dense = mx.nd.array(_np(arr))
        for kw in ({}, {"ord": 1}, {"keepdims": True}, {"axis": 1}):
            np.testing.assert_allclose(_np(mx.nd.norm(arr, **kw)), _np(mx.nd.norm(dense, **kw)),
                                       rtol=1e-6)


def test_operators_with_other_types(csr):
    assert (csr == None) is False and (csr != "a") is True  # noqa: E711 - the point
    with pytest.raises(TypeError, match="unsupported operand"):
        csr + "a"
    # a dense left operand keeps NDArray's broadcast semantics (MXNet 1.9.1: dense result)
    assert (mx.nd.ones((2, 3)) * csr).stype == "default"
    assert (csr * mx.nd.ones((2, 3))).stype == "csr"


def test_embedding_and_fully_connected_read_sparse_parts():
    # a 2,000,000-row row_sparse weight is looked up without densifying it
    w = sparse.row_sparse_array(([[1.0, 2.0], [3.0, 4.0]], [1, 1_999_999]),
                                shape=(2_000_000, 2))
    out = mx.nd.Embedding(mx.nd.array([[0, 1], [1_999_999, 5]]), w, input_dim=2_000_000,
                          output_dim=2)
    assert out.stype == "default" and _np(out).tolist() == [[[0, 0], [1, 2]], [[3, 4], [0, 0]]]
    with pytest.raises(MXNetError, match="csr"):
        mx.nd.Embedding(mx.nd.array([0]), mx.nd.ones((2, 2)).tostype("csr"), input_dim=2,
                        output_dim=2)
    c = mx.nd.array([[0, 1, 0], [2, 0, 3]]).tostype("csr")
    weight, bias = mx.nd.array(np.arange(6).reshape(2, 3)), mx.nd.array([1, 2])
    got = mx.nd.FullyConnected(c, weight, bias, num_hidden=2)
    assert got.stype == "default" and _np(got).tolist() == [[2, 6], [7, 23]]


def _random_sparse(rng, stype, shape, density):
    dense = rng.standard_normal(shape).astype(np.float32)
    dense[rng.random(shape) > density] = 0
    return dense, mx.nd.array(dense).tostype(stype)


@pytest.mark.parametrize("seed", range(6))
def test_kernels_agree_with_dense_math_on_random_arrays(seed):
    # the sparse kernels against numpy on random shapes, densities (incl. empty) and rows
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 7)), int(rng.integers(1, 6))
    density = [0.0, 0.3, 1.0][seed % 3]
    for stype in ("csr", "row_sparse"):
        a, sa = _random_sparse(rng, stype, (rows, cols), density)
        b, sb = _random_sparse(rng, stype, (rows, cols), 0.5)
        checks = [(sa + sb, a + b), (sa - sb, a - b), (sa * sb, a * b), (sa * 3, a * 3),
                  (mx.nd.sum(sa, axis=0), a.sum(0)), (mx.nd.sum(sa, axis=1), a.sum(1)),
                  (mx.nd.mean(sa), np.array([a.mean()])), (mx.nd.abs(sa), np.abs(a))]
        if stype == "csr":
            w = rng.standard_normal((cols, 3)).astype(np.float32)
            v = rng.standard_normal((rows, 2)).astype(np.float32)
            t = rng.standard_normal((2, rows)).astype(np.float32)
            idx = rng.integers(0, rows, 4)
            lo = int(rng.integers(0, rows))
            checks += [(mx.nd.dot(sa, mx.nd.array(w)), a @ w),
                       (mx.nd.dot(sa, mx.nd.array(v), transpose_a=True), a.T @ v),
                       (mx.nd.dot(mx.nd.array(t), sa), t @ a),
                       (mx.nd.take(sa, mx.nd.array(idx)), a[idx]), (sa[lo:], a[lo:]),
                       (mx.nd.concat(sa, sb, dim=0), np.concatenate([a, b]))]
        else:
            keep = np.unique(rng.integers(0, rows, 3))
            kept = np.zeros_like(a)
            kept[keep] = a[keep]
            checks += [(mx.nd.sparse.retain(sa, mx.nd.array(keep)), kept),
                       (mx.nd.add_n(sa, sb, sa), 2 * a + b)]
        for got, want in checks:
            np.testing.assert_allclose(_np(got).reshape(np.shape(want)), want, rtol=1e-5,
                                       atol=1e-5)
            if got.stype != "default":
                got.check_format()


def test_contrib_quadratic_and_gradientmultiplier_keep_storage():
    # observed on MXNet 1.9.1: quadratic keeps csr while c == 0 (row_sparse becomes dense);
    # gradientmultiplier keeps either sparse storage and its stored values
    x = mx.nd.array([[0, 1, 0], [0, 0, 0], [2, 0, 3]])
    q = mx.nd.contrib.quadratic(x.tostype("csr"), a=1, b=2, c=0)
    assert q.stype == "csr" and _np(q.data).tolist() == [3, 8, 15]
    assert mx.nd.contrib.quadratic(x.tostype("csr"), a=1, b=2, c=1).stype == "default"
    assert mx.nd.contrib.quadratic(x.tostype("row_sparse"), a=1).stype == "default"
    g = mx.nd.contrib.gradientmultiplier(x.tostype("csr"), scalar=2.0)
    assert g.stype == "csr" and _np(g.data).tolist() == [1, 2, 3]
    assert mx.nd.contrib.gradientmultiplier(x.tostype("row_sparse"), scalar=2.0).stype == \
        "row_sparse"
