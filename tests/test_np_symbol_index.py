"""``mx.sym.np._Symbol`` indexing (what hybridized NumPy code traces): ints, slices with any
step, None, Ellipsis, one advanced index (a list, a constant array or a Symbol) and boolean
Symbol masks, checked against NumPy on the same data. 1.9.1 itself takes only ints, slices
and tuples of them (and fails ``x[-1]``); the graphs built here run in 1.9.1
(tools/np_export_check.py, tests/test_numpy_export.py)."""
import json

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import np, npx

D = onp.arange(24.0).reshape(2, 3, 4)
IDX = onp.array([1, 0])

KEYS = ["x[0]", "x[1:]", "x[::-1]", "x[:, ::-2]", "x[None]", "x[..., 1]", "x[0, None, ::2]",
        "x[..., None]", "x[-1]", "x[:, -1]", "x[1, ..., 2]", "x[[1, 0]]", "x[:, [0, 2]]",
        "x[:, [2, 0, -1]]", "x[(0, 1)]", "x[()]", "x[...]", "x[0, 1, 2]", "x[None, 0]",
        "x[0:1, None, -1]", "x[..., ::-1]", "x[..., 1:3, ::2]", "x[..., [3, 0]]",
        "x[None, ..., None]", "x[:, None, 1, ..., -2]", "x[-2:, 1:-1, -1:0:-2]",
        "x[onp.array([1, 1])]", "x[:, onp.array([True, False, True])]"]


@pytest.mark.parametrize("key", KEYS)
def test_symbol_index_matches_numpy(key):
    sym = eval(key, {"x": mx.sym.var("x").as_np_ndarray(), "onp": onp})
    assert isinstance(sym, mx.sym.np._Symbol)
    got = sym.eval(x=np.array(D))[0].asnumpy()
    want = eval(key, {"x": D, "onp": onp})
    assert got.shape == want.shape
    onp.testing.assert_allclose(got, want)


@pytest.mark.parametrize("key", ["x[I]", "x[:, I]", "x[1:, I]", "x[I, 1]", "x[..., I]"])
def test_symbol_array_index_takes(key):
    x, i = mx.sym.var("x").as_np_ndarray(), mx.sym.var("i").as_np_ndarray()
    sym = eval(key, {"x": x, "I": i})
    got = sym.eval(x=np.array(D), i=np.array(IDX, dtype="int64"))[0].asnumpy()
    onp.testing.assert_allclose(got, eval(key, {"x": D, "I": IDX}))


def test_boolean_symbol_mask_selects_elements():
    x = mx.sym.var("x").as_np_ndarray()
    got = x[x > 5].eval(x=np.array(D))[0].asnumpy()
    onp.testing.assert_allclose(got, D[D > 5])
    got = x[(x > 5) & (x < 9)] if hasattr(x, "__and__") else None
    if got is not None:
        onp.testing.assert_allclose(got.eval(x=np.array(D))[0].asnumpy(), D[(D > 5) & (D < 9)])


def test_int_slice_keys_keep_mxnet_nodes():
    x = mx.sym.var("x").as_np_ndarray()
    nodes = [(n["op"], n.get("attrs")) for n in json.loads(x[0].tojson())["nodes"]][1:]
    # the nodes 1.9.1 builds for x[0] (its end for -1 is 0, a bug: here None)
    assert nodes == [("slice", {"begin": "[0]", "end": "[1]"}),
                     ("_npx_reshape", {"newshape": "(-3, -4)"})]
    assert [n["op"] for n in json.loads(x[1:, ::2].tojson())["nodes"]][1:] == ["slice"]


@pytest.mark.parametrize("key,match", [
    ("x[[0, 1], [1, 0]]", "only one array index"), ("x[1, :, [3, 0]]", "separated"),
    ("x[..., 0, ...]", "single ellipsis"), ("x[True]", "unsupported index"),
    ("x[1.5]", "unsupported index"), ("x[[[0, 1]]]", "1-d"),
])
def test_unsupported_keys_are_clear(key, match):
    with pytest.raises(IndexError, match=match):
        eval(key, {"x": mx.sym.var("x").as_np_ndarray()})


def test_hybridized_block_indexes_like_numpy():
    class Pick(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x, i):
            return x[..., None, ::-1][:, i] + x[None, -1, 1:][..., [0, 3]].sum()

    npx.set_np()
    try:
        net = Pick()
        xs, i = np.array(D), np.array(IDX, dtype="int64")
        eager = net(xs, i).asnumpy()
        net.hybridize()
        hybrid = net(xs, i).asnumpy()
        want = D[..., None, ::-1][:, IDX] + D[None, -1, 1:][..., [0, 3]].sum()
        onp.testing.assert_allclose(eager, want)
        onp.testing.assert_allclose(hybrid, want)
    finally:
        npx.reset_np()
