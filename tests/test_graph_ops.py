"""MXNet 1.9.1's DGL graph operators and contrib gradient nodes (mxtorch/ops/graph.py).

Expected values were captured from the MXNet 1.9.1 oracle (exact integers; float32
probabilities compared exactly as they are copied from the input). Sampling is random, so its
tests check structure: sizes, vertex layout, real neighbours, and deterministic cases.
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

GRAPH = np.array([[1, 0, 0, 2], [3, 0, 4, 0], [0, 5, 0, 0], [0, 6, 7, 0]], dtype=np.int64)


def _g():
    return mx.nd.array(GRAPH, dtype="int64").tostype("csr")


def _i64(values):
    return mx.nd.array(values, dtype="int64")


def _parts(c):
    return (c.data.asnumpy().tolist(), c.indices.asnumpy().tolist(), c.indptr.asnumpy().tolist())


def _full5():
    data = np.arange(1, 21, dtype=np.int64)
    indices = np.array([1, 2, 3, 4, 0, 2, 3, 4, 0, 1, 3, 4, 0, 1, 2, 4, 0, 1, 2, 3], np.int64)
    indptr = np.array([0, 4, 8, 12, 16, 20], dtype=np.int64)
    return mx.nd.sparse.csr_matrix((data, indices, indptr), shape=(5, 5))


def _chain():  # 0 <- 1 <- 2 <- 3 edges 10, 11, 12 (row = vertex, column = neighbour)
    return mx.nd.sparse.csr_matrix((np.array([10, 11, 12], np.int64), np.array([1, 2, 3], np.int64),
                                    np.array([0, 1, 2, 3, 3], np.int64)), shape=(4, 4))


def test_edge_id():
    r = mx.nd.contrib.edge_id(_g(), _i64([0, 0, 1, 1, 2, 3, 3]), _i64([0, 1, 2, 1, 1, 2, 3]))
    assert r.stype == "default" and r.dtype == np.int64
    assert r.asnumpy().tolist() == [1, -1, 4, -1, 5, 7, -1]
    r = mx.nd.contrib.edge_id(_g().astype("float64"), mx.nd.array([0, 1]), mx.nd.array([3, 9]))
    assert r.dtype == np.float64 and r.asnumpy().tolist() == [2, -1]
    assert mx.nd.contrib.edge_id(_g(), mx.nd.array([-1]), mx.nd.array([1])).asnumpy()[0] == -1


def test_edge_id_errors():
    with pytest.raises(MXNetError, match="csr"):
        mx.nd.contrib.edge_id(mx.nd.array(GRAPH), mx.nd.array([0]), mx.nd.array([0]))
    with pytest.raises(MXNetError, match="same length"):
        mx.nd.contrib.edge_id(_g(), mx.nd.array([0, 1]), mx.nd.array([0]))
    with pytest.raises(MXNetError, match="1-D"):
        mx.nd.contrib.edge_id(_g(), mx.nd.array([[0, 1]]), mx.nd.array([[0, 1]]))


def test_adjacency():
    r = mx.nd.contrib.dgl_adjacency(_g())
    assert r.stype == "csr" and r.dtype == np.float32
    assert _parts(r) == ([1.0] * 7, [0, 3, 0, 2, 1, 1, 2], [0, 2, 4, 5, 7])
    with pytest.raises(MXNetError, match="int64"):
        mx.nd.contrib.dgl_adjacency(mx.nd.array(GRAPH).tostype("csr"))


def test_subgraph():
    new, old = mx.nd.contrib.dgl_subgraph(_g(), _i64([0, 1, 2]), return_mapping=True)
    assert new.stype == old.stype == "csr" and new.dtype == old.dtype == np.int64
    assert _parts(new) == ([0, 1, 2, 3], [0, 0, 2, 1], [0, 1, 3, 4])
    assert _parts(old) == ([1, 3, 4, 5], [0, 0, 2, 1], [0, 1, 3, 4])
    one = mx.nd.contrib.dgl_subgraph(_g(), _i64([0, 1, 2]), return_mapping=False)
    assert isinstance(one, mx.nd.sparse.CSRNDArray)
    a, b = mx.nd.contrib.dgl_subgraph(_g(), _i64([0, 1, 2]), _i64([1, 3]), return_mapping=False)
    assert a.asnumpy().tolist() == [[0, 0, 0], [1, 0, 2], [0, 3, 0]]
    assert b.shape == (2, 2) and b.asnumpy().tolist() == [[0, 0], [0, 0]]


def test_subgraph_errors():
    with pytest.raises(MXNetError, match="sorted"):
        mx.nd.contrib.dgl_subgraph(_g(), _i64([2, 0]), return_mapping=False)
    with pytest.raises(MXNetError, match="int64"):
        mx.nd.contrib.dgl_subgraph(_g(), mx.nd.array([0, 1]), return_mapping=False)
    with pytest.raises(MXNetError, match="csr"):
        mx.nd.contrib.dgl_subgraph(mx.nd.array(GRAPH, dtype="int64"), _i64([0]),
                                   return_mapping=False)
    with pytest.raises(MXNetError, match="return_mapping"):
        mx.nd.contrib.dgl_subgraph(_g(), _i64([0, 1]))


def test_symbol_outputs():
    s = mx.sym.contrib.dgl_subgraph(mx.sym.var("g"), mx.sym.var("a"), mx.sym.var("b"),
                                    return_mapping=True)
    assert len(s.list_outputs()) == 4 and s.list_arguments() == ["g", "a", "b"]
    s = mx.sym.contrib.dgl_csr_neighbor_uniform_sample(mx.sym.var("g"), mx.sym.var("a"),
                                                       mx.sym.var("b"))
    assert len(s.list_outputs()) == 6
    s = mx.sym.contrib.dgl_csr_neighbor_non_uniform_sample(mx.sym.var("g"), mx.sym.var("p"),
                                                           mx.sym.var("b"))
    assert len(s.list_outputs()) == 4
    s = mx.sym.contrib.dgl_graph_compact(mx.sym.var("g"), mx.sym.var("v"), graph_sizes=(3,),
                                         return_mapping=True)
    assert len(s.list_outputs()) == 2


def test_uniform_sample_takes_every_neighbour():
    # num_neighbor >= degree: deterministic (oracle: same values)
    verts, csr, layer = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        _chain(), _i64([2, 0]), num_hops=3, num_neighbor=3, max_num_vertices=6)
    assert verts.dtype == layer.dtype == np.int64 and csr.stype == "csr"
    assert verts.shape == (7,) and verts.asnumpy()[[0, 1, 2, 3, 6]].tolist() == [0, 1, 2, 3, 4]
    assert csr.shape == (6, 4) and _parts(csr) == ([10, 11, 12], [1, 2, 3], [0, 1, 2, 3, 3, 3, 3])
    assert layer.asnumpy()[:4].tolist() == [0, 1, 0, 1]


def test_uniform_sample_truncates():
    with pytest.warns(UserWarning, match="truncated"):
        verts, csr, layer = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
            _chain(), _i64([0]), num_hops=3, num_neighbor=3, max_num_vertices=2)
    assert verts.asnumpy().tolist() == [0, 1, 2]
    assert _parts(csr) == ([10], [1], [0, 1, 1]) and layer.asnumpy().tolist() == [0, 1]


def test_uniform_sample_structure():
    g = _full5()
    dense = g.asnumpy()
    mx.random.seed(3)
    verts, csr, layer = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        g, _i64([0, 1, 2, 3, 4]), num_hops=1, num_neighbor=2, max_num_vertices=6)
    assert verts.asnumpy().tolist()[:5] == [0, 1, 2, 3, 4] and verts.asnumpy()[-1] == 5
    assert layer.asnumpy()[:5].tolist() == [0] * 5
    indptr, indices, data = csr.indptr.asnumpy(), csr.indices.asnumpy(), csr.data.asnumpy()
    assert csr.shape == (6, 5) and np.diff(indptr).tolist() == [2, 2, 2, 2, 2, 0]
    for row in range(5):
        cols = indices[indptr[row]:indptr[row + 1]]
        assert list(cols) == sorted(set(cols))  # distinct, ordered by source vertex
        assert all(dense[row, c] == e for c, e in zip(cols, data[indptr[row]:indptr[row + 1]]))


def test_non_uniform_sample():
    outs = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
        _full5(), mx.nd.array([0.9, 0.8, 0.2, 0.4, 0.1]), _i64([3]), _i64([1]),
        num_hops=1, num_neighbor=10, max_num_vertices=8)
    assert len(outs) == 8
    assert [o.stype for o in outs] == ["default"] * 2 + ["csr"] * 2 + ["default"] * 4
    assert outs[0].asnumpy()[[0, 1, 2, 3, 4, 8]].tolist() == [0, 1, 2, 3, 4, 5]
    assert _parts(outs[2]) == ([13, 14, 15, 16], [0, 1, 2, 4], [0, 0, 0, 0, 4, 4, 4, 4, 4])
    assert _parts(outs[3]) == ([5, 6, 7, 8], [0, 2, 3, 4], [0, 0, 4, 4, 4, 4, 4, 4, 4])
    assert outs[4].dtype == np.float32
    np.testing.assert_array_equal(outs[4].asnumpy()[:5], np.float32([0.9, 0.8, 0.2, 0.4, 0.1]))
    assert outs[6].asnumpy()[:5].tolist() == [1, 1, 1, 0, 1]
    assert outs[7].asnumpy()[:5].tolist() == [1, 0, 1, 1, 1]


def test_sample_errors():
    with pytest.raises(MXNetError, match="int64"):
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(_chain(), mx.nd.array([0]))
    with pytest.raises(MXNetError, match="num_args"):
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(_chain())


def test_graph_compact():
    verts, csr, _ = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        _chain(), _i64([0]), num_hops=3, num_neighbor=3, max_num_vertices=6)
    size = int(verts[-1].asscalar())
    out = mx.nd.contrib.dgl_graph_compact(csr, verts, graph_sizes=(size,), return_mapping=False)
    assert out.shape == (4, 4) and out.dtype == np.int64
    assert _parts(out) == ([0, 1, 2], [1, 2, 3], [0, 1, 2, 3, 3])
    new, mapping = mx.nd.contrib.dgl_graph_compact(csr, verts, graph_sizes=(size,),
                                                   return_mapping=True)
    assert _parts(new) == _parts(out)
    assert mapping.shape == (4, 4) and mapping.data.shape == (0,)  # MXNet: empty
    with pytest.raises(MXNetError, match="int64"):
        mx.nd.contrib.dgl_graph_compact(csr, verts.astype("float32"), graph_sizes=(size,),
                                        return_mapping=False)


def test_gradient_nodes():
    r = mx.nd.contrib.backward_gradientmultiplier(mx.nd.array([1, 2]), scalar=3)
    assert r.asnumpy().tolist() == [3, 6]
    r = mx.nd.contrib.backward_gradientmultiplier(mx.nd.array([1, 2], dtype="int64"), scalar=2)
    assert r.dtype == np.int64 and r.asnumpy().tolist() == [2, 4]
    for name in ("backward_hawkesll", "backward_index_copy", "backward_quadratic"):
        with pytest.raises(MXNetError, match="gradient node"):
            getattr(mx.nd.contrib, name)()


def test_sample_truncation_keeps_first_found():
    # oracle case: BFS order 3, 2, 5, 1, then 0 and 4 from vertex 3; max 5 drops vertex 4
    dense = np.array([[0, 0, 1, 2, 3, 4], [0, 0, 5, 6, 0, 7], [0, 8, 9, 0, 10, 0],
                      [11, 12, 0, 13, 14, 0], [15, 0, 16, 17, 18, 0],
                      [19, 20, 21, 22, 23, 24]], dtype=np.int64)
    g = mx.nd.array(dense, dtype="int64").tostype("csr")
    with pytest.warns(UserWarning, match="truncated"):
        outs = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
            g, _i64([3, 2, 5, 1]), _i64([1, 0, 3, 5]), num_hops=2, num_neighbor=64,
            max_num_vertices=5)
    assert outs[0].asnumpy().tolist() == [0, 1, 2, 3, 5, 5]
    assert outs[1].asnumpy().tolist() == [0, 1, 2, 3, 5, 5]
    assert _parts(outs[2]) == ([11, 12, 13, 14], [0, 1, 3, 4], [0, 0, 0, 0, 4, 4])
    assert _parts(outs[3]) == ([5, 6, 7], [2, 3, 5], [0, 0, 3, 3, 3, 3])
    assert outs[4].asnumpy().tolist() == [1, 0, 0, 0, 0]
    assert outs[5].asnumpy().tolist() == [0, 0, 1, 0, 0]
    compact = mx.nd.contrib.dgl_graph_compact(outs[3], outs[1], graph_sizes=(5,),
                                              return_mapping=False)
    assert _parts(compact) == ([0, 1, 2], [2, 3, 4], [0, 0, 3, 3, 3, 3])
    with pytest.raises(MXNetError, match="missing from"):  # MXNet aborts: edge to vertex 4
        mx.nd.contrib.dgl_graph_compact(outs[2], outs[0], graph_sizes=(5,),
                                        return_mapping=False)
    with pytest.raises(MXNetError, match="max_num_vertices"):  # MXNet aborts
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(g, _i64([0, 1, 2]), max_num_vertices=2)


def test_non_uniform_sample_frequencies():
    # oracle, 1500 draws of one neighbour of vertex 0: 0.408, 0.344, 0.086, 0.162
    # (probabilities 0.9, 0.8, 0.2, 0.4 normalised); tolerance 0.08 for 400 draws
    g = mx.nd.sparse.csr_matrix((np.arange(1, 5, dtype=np.int64), np.arange(1, 5, dtype=np.int64),
                                 np.array([0, 4, 4, 4, 4, 4], np.int64)), shape=(5, 5))
    prob = mx.nd.array([0.5, 0.9, 0.8, 0.2, 0.4])
    mx.random.seed(7)
    counts = np.zeros(5)
    seeds = [_i64([0])] * 20  # 20 independent draws per call
    for _ in range(20):
        out = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
            g, prob, *seeds, num_hops=1, num_neighbor=1, max_num_vertices=5)
        for csr in out[20:40]:
            picked = csr.indices.asnumpy()
            assert picked.shape == (1,)
            counts[picked[0]] += 1
    np.testing.assert_allclose(counts[1:] / 400, [0.408, 0.344, 0.086, 0.162], atol=0.08)
