"""The rest of MXNet 1.9.1's mx.np namespace in the style of test_numpy_op.py (own code):
shape manipulation, joining/splitting, creation, sorting/searching, linear algebra, statistics,
set-like and polynomial functions, with the keyword combinations those tests use, hybridized
where 1.9.1 has the symbol function, gradients against NumPy central differences.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy4_funcs --details
"""
import functools
import re

from check_numpy4_base import make, run_case, run_all, mx, np, _np
from mxnet.test_utils import use_np
from _harness import main

# mx.np functions 1.9.1 has no mx.sym.np version of (checked imperatively only)
NO_SYM = {"rollaxis", "broadcast_arrays", "take_along_axis", "argwhere", "searchsorted",
          "interp", "isclose", "allclose", "array_equal", "meshgrid", "nonzero", "cov",
          "corrcoef", "argpartition", "partition", "flatnonzero", "trim_zeros", "vander",
          "count_nonzero", "ptp", "choose", "compress", "extract", "digitize", "select",
          "lexsort", "msort", "modf", "frexp", "divmod", "intersect1d", "union1d", "setdiff1d",
          "in1d", "isin", "nanmax", "nanmin", "nanargmax", "nanargmin", "nanprod", "nancumsum",
          "polyadd", "polysub", "polymul", "polyfit", "poly", "roots", "trapz", "unwrap",
          "positive", "signbit", "spacing", "i0", "heaviside", "float_power", "nanmedian",
          "nanpercentile", "nanquantile", "histogram_bin_edges", "tril_indices_from",
          "triu_indices_from", "real", "ix_"}

A = make((2, 3, 4), "float64")
M = make((3, 4), "float64")
V = make((4,), "float64")
SQ = make((3, 3), "float64") + 3 * _np.eye(3)
SPD = SQ.dot(SQ.T) + _np.eye(3)
I2 = _np.array([[3, 1, 2], [2, 2, 0]], dtype="int64")


def C(name, inputs, ref, kw=None, grad=False, label="", **opts):  # noqa: N802 - table helper
    """One case: ``np.<name>(*inputs, **kw)`` against ``ref(*inputs)``."""
    kw = kw or {}
    direct = name.split(".")[-1] in NO_SYM or opts.pop("imperative", False)
    return ("%s%s %s" % (name, label, kw), functools.partial(
        run_case, name, inputs, ref, kw, grad=grad, hybrid=(False,) if direct else (False, True),
        direct=direct, **opts))


def _p(fn, *args, **kwargs):
    return lambda *xs: fn(*xs, *args, **kwargs)


SHAPE_CASES = [
    C("reshape", [A], _p(_np.reshape, (4, 6)), {"newshape": (4, 6)}, grad=True),
    C("reshape", [A], _p(_np.reshape, (-1, 2)), {"newshape": (-1, 2)}),
    C("reshape", [A], _p(_np.reshape, (2, -1), order="C"), {"newshape": (2, -1), "order": "C"}),
    C("transpose", [A], _np.transpose, grad=True),
    C("transpose", [A], _p(_np.transpose, (1, 0, 2)), {"axes": (1, 0, 2)}, grad=True),
    C("transpose", [A], _p(_np.transpose, (-1, 0, 1)), {"axes": (-1, 0, 1)}),
    C("swapaxes", [A], _p(_np.swapaxes, 0, 2), {"axis1": 0, "axis2": 2}, grad=True),
    C("moveaxis", [A], _p(_np.moveaxis, 0, -1), {"source": 0, "destination": -1}, grad=True),
    C("moveaxis", [A], _p(_np.moveaxis, (0, 1), (2, 0)), {"source": (0, 1),
                                                          "destination": (2, 0)}),
    C("rollaxis", [A], _p(_np.rollaxis, 2, 0), {"axis": 2, "start": 0}),
    C("expand_dims", [A], _p(_np.expand_dims, -1), {"axis": -1}, grad=True),
    C("expand_dims", [M], _p(_np.expand_dims, 0), {"axis": 0}),
    C("squeeze", [make((1, 3, 1), "float64")], _np.squeeze, grad=True),
    C("squeeze", [make((1, 3, 1), "float64")], _p(_np.squeeze, axis=(0, 2)),
      {"axis": (0, 2)}),
    C("ravel", [A], _np.ravel, grad=True),
    C("broadcast_to", [V], _p(_np.broadcast_to, (3, 4)), {"shape": (3, 4)}, grad=True),
    C("broadcast_to", [make((3, 1), "float64")], _p(_np.broadcast_to, (2, 3, 5)),
      {"shape": (2, 3, 5)}, grad=True),
    C("atleast_1d", [make((), "float64")], _np.atleast_1d),
    C("atleast_2d", [V], _np.atleast_2d),
    C("atleast_3d", [M], _np.atleast_3d),
    C("flip", [A], _p(_np.flip, 1), {"axis": 1}, grad=True),
    C("flip", [A], _p(_np.flip, (0, 2)), {"axis": (0, 2)}),
    C("flip", [A], _np.flip),
    C("flipud", [M], _np.flipud), C("fliplr", [M], _np.fliplr),
    C("roll", [A], _p(_np.roll, 2), {"shift": 2}, grad=True),
    C("roll", [A], _p(_np.roll, (1, -1), axis=(0, 2)), {"shift": (1, -1), "axis": (0, 2)}),
    C("roll", [A], _p(_np.roll, -5, axis=1), {"shift": -5, "axis": 1}),
    C("rot90", [M], _np.rot90, grad=True),
    C("rot90", [A], _p(_np.rot90, 2, (1, 2)), {"k": 2, "axes": (1, 2)}),
    C("rot90", [M], _p(_np.rot90, -1), {"k": -1}),
    C("tile", [M], _p(_np.tile, (2, 1)), {"reps": (2, 1)}, grad=True),
    C("tile", [V], _p(_np.tile, 3), {"reps": 3}),
    C("tile", [M], _p(_np.tile, (2, 1, 2)), {"reps": (2, 1, 2)}),
    C("repeat", [M], _p(_np.repeat, 2, axis=1), {"repeats": 2, "axis": 1}, grad=True),
    C("repeat", [M], _p(_np.repeat, 3), {"repeats": 3}),
    C("pad", [M], _p(_np.pad, ((1, 2), (0, 1))), {"pad_width": ((1, 2), (0, 1))}, grad=True),
    C("pad", [M], _p(_np.pad, ((1, 1), (2, 2)), mode="edge"),
      {"pad_width": ((1, 1), (2, 2)), "mode": "edge"}),
    C("pad", [M], _p(_np.pad, ((1, 1), (2, 2)), mode="reflect"),
      {"pad_width": ((1, 1), (2, 2)), "mode": "reflect"}),
    C("pad", [M], _p(_np.pad, ((1, 1), (2, 2)), mode="symmetric"),
      {"pad_width": ((1, 1), (2, 2)), "mode": "symmetric"}),
    C("pad", [M], _p(_np.pad, ((1, 1), (1, 1)), mode="constant", constant_values=2.0),
      {"pad_width": ((1, 1), (1, 1)), "mode": "constant", "constant_values": 2.0}),
    C("pad", [M], _p(_np.pad, ((0, 1), (1, 1)), mode="minimum"),
      {"pad_width": ((0, 1), (1, 1)), "mode": "minimum"}),
    C("pad", [M], _p(_np.pad, ((0, 1), (1, 1)), mode="maximum"),
      {"pad_width": ((0, 1), (1, 1)), "mode": "maximum"}),
    C("diag", [M], _np.diag, grad=True), C("diag", [V], _np.diag, grad=True),
    C("diag", [M], _p(_np.diag, 1), {"k": 1}), C("diag", [V], _p(_np.diag, -2), {"k": -2}),
    C("diagflat", [M], _np.diagflat), C("diagflat", [V], _p(_np.diagflat, 1), {"k": 1}),
    C("diagonal", [A], _np.diagonal, grad=True),
    C("diagonal", [A], _p(_np.diagonal, 1, 1, 2), {"offset": 1, "axis1": 1, "axis2": 2}),
    C("diagonal", [A], _p(_np.diagonal, -1, 2, 0), {"offset": -1, "axis1": 2, "axis2": 0}),
    C("trace", [M], _np.trace, grad=True),
    C("trace", [A], _p(_np.trace, 1, 1, 2), {"offset": 1, "axis1": 1, "axis2": 2}),
    C("tril", [M], _np.tril, grad=True), C("tril", [M], _p(_np.tril, -1), {"k": -1}),
    C("tril", [A], _p(_np.tril, 1), {"k": 1}),
    C("triu", [M], _np.triu), C("triu", [A], _p(_np.triu, 1), {"k": 1}),
    C("copy", [A], _np.copy, grad=True),
]


def _concat_ref(fn, **kw):
    return lambda *xs: fn(list(xs), **kw)


class _Seq(mx.gluon.HybridBlock):
    def __init__(self, name, kw):
        super(_Seq, self).__init__()
        self._n, self._kw = name, kw

    def hybrid_forward(self, F, *xs):
        return getattr(F.np, self._n)(list(xs), **self._kw)


def _seq_case(name, arrays, ref, kw, hybrid):
    block = _Seq(name, kw)
    if hybrid:
        block.hybridize()
    got = block(*[np.array(a) for a in arrays])
    want = ref(*arrays)
    if isinstance(want, list):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            _np.testing.assert_allclose(g.asnumpy(), w, rtol=1e-6)
    else:
        assert got.shape == want.shape, "%s: %s vs %s" % (name, got.shape, want.shape)
        _np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)


def S(name, arrays, kw=None):  # noqa: N802 - table helper
    kw = kw or {}
    ref = _concat_ref(getattr(_np, name), **kw)
    return [("%s %s hybrid=%s" % (name, kw, h), functools.partial(_seq_case, name, arrays,
                                                                   ref, kw, h))
            for h in (False, True)]


JOIN_CASES = (S("concatenate", [M, M]) + S("concatenate", [M, M], {"axis": 1}) +
              S("concatenate", [M, M], {"axis": None}) + S("concatenate", [M, M], {"axis": -1}) +
              S("stack", [M, M]) + S("stack", [M, M, M], {"axis": -1}) + S("stack", [V, V],
                                                                             {"axis": 1}) +
              S("vstack", [M, V]) + S("vstack", [V, V]) + S("hstack", [M, M]) +
              S("hstack", [V, V]) + S("dstack", [M, M]) + S("dstack", [V, V]) +
              S("column_stack", [V, V]) + S("column_stack", [M, M]) + S("row_stack", [V, V]))


def _split_case(name, x, args, kw, hybrid):
    want = getattr(_np, name)(x, *args, **kw)
    block = _Call(name, args, kw)
    if hybrid:
        block.hybridize()
    got = block(np.array(x))
    assert len(got) == len(want), "%s: %d parts vs %d" % (name, len(got), len(want))
    for g, w in zip(got, want):
        assert g.shape == w.shape, "%s: %s vs %s" % (name, g.shape, w.shape)
        _np.testing.assert_allclose(g.asnumpy(), w)


class _Call(mx.gluon.HybridBlock):
    def __init__(self, name, args, kw):
        super(_Call, self).__init__()
        self._n, self._a, self._kw = name, args, kw

    def hybrid_forward(self, F, x):
        return getattr(F.np, self._n)(x, *self._a, **self._kw)


SPLIT_CASES = [("%s %r %s h=%s" % (n, a, k, h), functools.partial(_split_case, n, x, a, k, h))
               for n, x, a, k in [("split", A, (2,), {}), ("split", A, ([1, 3],), {"axis": 2}),
                                  ("split", A, (3,), {"axis": 1}),
                                  ("split", A, ([1],), {"axis": -1}),
                                  ("array_split", make((7,), "float64"), (3,), {}),
                                  ("array_split", A, (3,), {"axis": 2}),
                                  ("hsplit", M, (2,), {}), ("hsplit", M, ([1, 2],), {}),
                                  ("vsplit", M, (3,), {}), ("dsplit", A, (2,), {}),
                                  ("dsplit", A, ([1, 3],), {})]
               for h in (False, True)]

CREATE_CASES = [
    ("zeros", lambda: np.zeros((2, 3)), _np.zeros((2, 3), dtype="float32")),
    ("zeros int", lambda: np.zeros((2,), dtype="int32"), _np.zeros((2,), dtype="int32")),
    ("ones 0-d", lambda: np.ones(()), _np.ones((), dtype="float32")),
    ("full", lambda: np.full((2, 2), 7), _np.full((2, 2), 7.0, dtype="float32")),
    ("full dtype", lambda: np.full((2,), 3, dtype="int64"), _np.full((2,), 3, dtype="int64")),
    ("full bool", lambda: np.full((2,), True, dtype="bool"), _np.full((2,), True)),
    ("full array", lambda: np.full((2, 3), np.array([1.0, 2.0, 3.0])),
     _np.full((2, 3), [1.0, 2.0, 3.0], dtype="float32")),
    ("zeros_like", lambda: np.zeros_like(np.array(I2)), _np.zeros_like(I2)),
    ("ones_like dtype", lambda: np.ones_like(np.array(M), dtype="float16"),
     _np.ones_like(M, dtype="float16")),
    ("full_like", lambda: np.full_like(np.array(I2), 2.7), _np.full_like(I2, 2.7)),
    ("empty_like shape", lambda: np.empty_like(np.array(M)).shape, (3, 4)),
    ("arange", lambda: np.arange(5), _np.arange(5, dtype="float32")),
    ("arange start stop step", lambda: np.arange(2, 10, 3), _np.arange(2, 10, 3.0,
                                                                        dtype="float32")),
    ("arange float step", lambda: np.arange(0, 1, 0.25), _np.arange(0, 1, 0.25,
                                                                     dtype="float32")),
    ("arange neg", lambda: np.arange(5, 0, -2), _np.arange(5, 0, -2.0, dtype="float32")),
    ("arange dtype", lambda: np.arange(4, dtype="int64"), _np.arange(4, dtype="int64")),
    ("linspace", lambda: np.linspace(0, 1, 5), _np.linspace(0, 1, 5, dtype="float32")),
    ("linspace no end", lambda: np.linspace(-1, 3, 4, endpoint=False),
     _np.linspace(-1, 3, 4, endpoint=False, dtype="float32")),
    ("linspace retstep", lambda: np.linspace(0, 2, 5, retstep=True)[1], 0.5),
    ("logspace", lambda: np.logspace(0, 2, 3), _np.logspace(0, 2, 3, dtype="float32")),
    ("logspace base", lambda: np.logspace(1, 3, 3, base=2.0),
     _np.logspace(1, 3, 3, base=2.0, dtype="float32")),
    ("eye", lambda: np.eye(3), _np.eye(3, dtype="float32")),
    ("eye k", lambda: np.eye(3, 4, k=-1), _np.eye(3, 4, k=-1, dtype="float32")),
    ("identity", lambda: np.identity(2, dtype="int32"), _np.identity(2, dtype="int32")),
    ("indices", lambda: np.indices((2, 3)), _np.indices((2, 3))),
    ("tri via tril", lambda: np.tril(np.ones((3, 3))), _np.tril(_np.ones((3, 3)))),
    ("meshgrid", lambda: np.meshgrid(np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0]))[1],
     _np.meshgrid([1.0, 2.0], [3.0, 4.0, 5.0])[1]),
    ("meshgrid ij", lambda: np.meshgrid(np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0]),
                                        indexing="ij")[0],
     _np.meshgrid([1.0, 2.0], [3.0, 4.0, 5.0], indexing="ij")[0]),
    ("array nested", lambda: np.array([[1, 2], [3, 4]]), _np.array([[1, 2], [3, 4]],
                                                                   dtype="float32")),
    ("array from onp int", lambda: np.array(_np.arange(3)), _np.arange(3)),
    ("array dtype", lambda: np.array([1.7, 2.2], dtype="int32"), _np.array([1, 2], "int32")),
    ("array copy of mx", lambda: np.array(np.arange(3, dtype="int32")), _np.arange(3)),
    ("hanning", lambda: np.hanning(5), _np.hanning(5).astype("float32")),
    ("hamming", lambda: np.hamming(6), _np.hamming(6).astype("float32")),
    ("blackman", lambda: np.blackman(4), _np.blackman(4).astype("float32")),
    ("tril_indices_from", lambda: np.tril_indices_from(np.ones((3, 3)))[1],
     _np.tril_indices_from(_np.ones((3, 3)))[1]),
    ("diag_indices_from", lambda: np.diag_indices_from(np.ones((3, 3)))[0],
     _np.diag_indices_from(_np.ones((3, 3)))[0]),
]


def _create_case(thunk, want):
    got = thunk()
    if isinstance(want, tuple):
        assert tuple(got) == want, "%s vs %s" % (got, want)
        return
    if _np.isscalar(want):
        assert abs(float(got) - want) < 1e-6, "%s vs %s" % (got, want)
        return
    got = got.asnumpy() if hasattr(got, "asnumpy") else _np.asarray(got)
    want = _np.asarray(want)
    assert got.shape == want.shape, "shape %s vs %s" % (got.shape, want.shape)
    assert got.dtype.kind == want.dtype.kind, "dtype %s vs %s" % (got.dtype, want.dtype)
    _np.testing.assert_allclose(got.astype("float64"), want.astype("float64"), rtol=1e-6,
                                atol=1e-7)


def _flat_inverse(res):
    """NumPy < 2 returns the inverse of a flattened input as 1-d (NumPy 2 keeps the shape)."""
    return res[:2] + (res[2].reshape(-1),)


SORT_CASES = [
    C("sort", [M], _np.sort), C("sort", [A], _p(_np.sort, axis=0), {"axis": 0}),
    C("sort", [A], _p(_np.sort, axis=None), {"axis": None}),
    C("argsort", [M], lambda x: _np.argsort(x).astype("int64")),
    C("argsort", [A], _p(_np.argsort, axis=1), {"axis": 1}),
    C("argmax", [A], _p(_np.argmax, axis=1), {"axis": 1}),
    C("argmin", [A], _np.argmin),
    C("unique", [I2], _np.unique, imperative=True),
    C("unique", [I2], _p(_np.unique, return_counts=True), {"return_counts": True},
      imperative=True),
    C("unique", [I2], lambda a: _flat_inverse(_np.unique(a, return_index=True,
                                                         return_inverse=True)),
      {"return_index": True, "return_inverse": True}, imperative=True),
    C("unique", [I2], _p(_np.unique, axis=0), {"axis": 0}, imperative=True),
    C("nonzero", [I2], _np.nonzero), C("argwhere", [I2], _np.argwhere),
    C("flatnonzero", [I2], _np.flatnonzero),
    C("searchsorted", [_np.array([1.0, 2.0, 4.0, 8.0]), _np.array([0.5, 2.0, 9.0])],
      _np.searchsorted),
    C("searchsorted", [_np.array([1.0, 2.0, 4.0, 8.0]), _np.array([0.5, 2.0, 9.0])],
      _p(_np.searchsorted, side="right"), {"side": "right"}),
    C("where", [M > 0, M, -M], _np.where, grad=False),
    C("where", [M > 0, M, make((4,), "float64")], _np.where),
    C("clip", [M], _p(_np.clip, -0.5, 0.5), {"a_min": -0.5, "a_max": 0.5}, grad=True),
    C("clip", [M], _p(_np.clip, None, 0.5), {"a_min": None, "a_max": 0.5}),
    C("take", [M, _np.array([0, 2], dtype="int32")], _p(_np.take, axis=0), {"axis": 0}),
    C("take", [M, _np.array([[0, 3], [1, 1]], dtype="int32")], _p(_np.take, axis=1),
      {"axis": 1}),
    C("take", [M, _np.array([0, 13], dtype="int32")],
      lambda a, i: _np.take(a, i, mode="wrap"), {"mode": "wrap"}),
    C("take", [M, _np.array([0, 13], dtype="int32")],
      lambda a, i: _np.take(a, i, mode="clip"), {"mode": "clip"}),
    C("take_along_axis", [M, _np.argsort(M, axis=1)], _p(_np.take_along_axis, axis=1),
      {"axis": 1}),
    C("diff", [M], _np.diff, grad=True), C("diff", [A], _p(_np.diff, n=2, axis=1),
                                           {"n": 2, "axis": 1}),
    C("ediff1d", [M], _np.ediff1d),
    C("cumsum", [A], _p(_np.cumsum, axis=1), {"axis": 1}, grad=True),
    C("around", [M * 10], _p(_np.around, 1), {"decimals": 1}),
    C("round", [M * 10], _np.round),
    C("nan_to_num", [_np.array([1.0, _np.nan, _np.inf, -_np.inf])], _np.nan_to_num),
    C("isclose", [M, M + 1e-9], _np.isclose), C("allclose", [M, M], _np.allclose),
    C("array_equal", [M, M], _np.array_equal),
    C("insert", [V], lambda a: _np.insert(a, 1, 5.0), {"obj": 1, "values": 5.0}),
    C("delete", [V], lambda a: _np.delete(a, [0, 2]), {"obj": [0, 2]}, imperative=True),
    C("resize", [M], _p(_np.resize, (5, 3)), {"new_shape": (5, 3)}),
    C("append", [M, M], _p(_np.append, axis=0), {"axis": 0}),
    C("polyval", [V, M], _np.polyval, grad=True),
    C("bincount", [_np.array([0, 1, 1, 3], dtype="int64")], _np.bincount),
    C("bincount", [_np.array([0, 1, 1, 3], dtype="int64"), _np.array([0.5, 1.0, 1.0, 2.0])],
      _np.bincount),
    C("bincount", [_np.array([0, 1], dtype="int64")], _p(_np.bincount, minlength=4),
      {"minlength": 4}),
]

LINALG_CASES = [
    C("dot", [M, V], _np.dot, grad=True), C("dot", [M.T, M], _np.dot, grad=True),
    C("dot", [V, V], _np.dot, grad=True), C("dot", [A, V], _np.dot),
    C("dot", [make((), "float64"), M], _np.dot),
    C("matmul", [A, M.T[:4, :2]], _np.matmul, grad=True),
    C("matmul", [make((2, 1, 3, 4), "float64"), make((5, 4, 2), "float64")], _np.matmul,
      grad=True),
    C("matmul", [V, make((2, 4, 3), "float64")], _np.matmul),
    C("tensordot", [A, make((3, 4, 2), "float64")], _p(_np.tensordot, 2), {"axes": 2},
      grad=True),
    C("tensordot", [A, M], _p(_np.tensordot, ([1, 2], [0, 1])), {"axes": ([1, 2], [0, 1])}),
    C("tensordot", [M, V], _p(_np.tensordot, 0), {"axes": 0}),
    C("inner", [M, M], _np.inner, grad=True), C("outer", [V, V], _np.outer, grad=True),
    C("vdot", [M, M], _np.vdot), C("kron", [M[:2, :2], SQ], _np.kron),
    C("einsum", [M, M], lambda a, b: _np.einsum("ij,kj->ik", a, b),
      {}, consts={0: "ij,kj->ik"}, grad=True),
    C("einsum", [A], lambda a: _np.einsum("ijk->kj", a), {}, consts={0: "ijk->kj"}, grad=True),
    C("einsum", [SQ], lambda a: _np.einsum("ii", a), {}, consts={0: "ii"}),
    C("einsum", [A, A], lambda a, b: _np.einsum("bij,bkj->bik", a, b), {},
      consts={0: "bij,bkj->bik"}),
    C("einsum", [V, V], lambda a, b: _np.einsum("i,i", a, b), {}, consts={0: "i,i"}),
    C("linalg.norm", [M], _np.linalg.norm, grad=True),
    C("linalg.norm", [M], _p(_np.linalg.norm, axis=1), {"axis": 1}, grad=True),
    C("linalg.norm", [V], _p(_np.linalg.norm, ord=1), {"ord": 1}),
    C("linalg.norm", [M], _p(_np.linalg.norm, ord="fro"), {"ord": "fro"}),
    C("linalg.norm", [M], _p(_np.linalg.norm, ord=2, axis=0, keepdims=True),
      {"ord": 2, "axis": 0, "keepdims": True}),
    C("linalg.norm", [A], _p(_np.linalg.norm, axis=(1, 2)), {"axis": (1, 2)}),
    C("linalg.inv", [SQ], _np.linalg.inv, grad=True),
    C("linalg.det", [SQ], _np.linalg.det, grad=True),
    C("linalg.slogdet", [SQ], _np.linalg.slogdet),
    C("linalg.cholesky", [SPD], _np.linalg.cholesky),
    C("linalg.solve", [SQ, V[:3]], _np.linalg.solve, grad=True),
    C("linalg.solve", [SQ, M[:, :2]], _np.linalg.solve),
    C("linalg.pinv", [M], _np.linalg.pinv, rtol=1e-3),
    C("linalg.eigvalsh", [SPD], _np.linalg.eigvalsh),
    C("linalg.eigvalsh", [SPD], _np.linalg.eigvalsh, {"UPLO": "L"}),
    C("linalg.matrix_rank", [M], _np.linalg.matrix_rank),
    C("linalg.tensorinv", [make((4, 2, 2), "float64") + _np.eye(4).reshape(4, 2, 2) * 3],
      _p(_np.linalg.tensorinv, ind=1), {"ind": 1}),
    C("linalg.matrix_power", [SQ], _p(_np.linalg.matrix_power, 3), {"n": 3}),
    C("linalg.matrix_power", [SQ], _p(_np.linalg.matrix_power, -1), {"n": -1}),
    C("linalg.multi_dot", [M.T, M, V], lambda a, b, c: _np.linalg.multi_dot([a, b, c]),
      imperative=True),
    C("linalg.cond", [SQ], _np.linalg.cond, rtol=1e-3),
]

def _pct(q, how):
    """NumPy's percentile with ``interpolation`` (called ``method`` since NumPy 1.22)."""
    def ref(a):
        try:
            return _np.percentile(a, q, method=how)
        except TypeError:
            return _np.percentile(a, q, interpolation=how)
    return ref


STAT_CASES = [
    C("percentile", [M], _p(_np.percentile, 30), {"q": 30}),
    C("percentile", [M], _p(_np.percentile, 50, axis=1), {"q": 50, "axis": 1}),
    C("percentile", [A], _p(_np.percentile, 75, axis=(0, 2), keepdims=True),
      {"q": 75, "axis": (0, 2), "keepdims": True}),
    C("percentile", [M], _pct(40, "lower"),
      {"q": 40, "interpolation": "lower"}),
    C("percentile", [M], _pct(40, "nearest"),
      {"q": 40, "interpolation": "nearest"}),
    C("percentile", [M], _pct(40, "midpoint"),
      {"q": 40, "interpolation": "midpoint"}),
    C("quantile", [M], _p(_np.quantile, 0.3, axis=0), {"q": 0.3, "axis": 0}),
    C("median", [M], _np.median, imperative=True),
    C("median", [A], _p(_np.median, axis=1), {"axis": 1}, imperative=True),
    C("cov", [M], _np.cov), C("corrcoef", [M], _np.corrcoef),
    C("ptp", [M], _p(_np.ptp, axis=1), {"axis": 1}),
    C("count_nonzero", [I2], _np.count_nonzero),
    C("interp", [_np.array([0.5, 1.5, 3.0]), _np.array([0.0, 1.0, 2.0]),
                 _np.array([0.0, 10.0, 5.0])], _np.interp),
    C("histogram", [V], lambda a: _np.histogram(a, bins=3, range=(-2, 2)),
      {"bins": 3, "range": (-2, 2)}, imperative=True),
    C("lcm", [I2, I2 + 1], _np.lcm), C("trapz", [M], getattr(_np, "trapezoid", getattr(_np, "trapz", None))),
]


def _register(group, cases):
    """One test per case, so that run.py compares every case on its own."""
    for i, (label, thunk) in enumerate(cases):
        def test(label=label, thunk=thunk):
            run_all([(label, thunk)])
        name = "test_np_%s_%03d_%s" % (group, i, re.sub(r"\W+", "_", label)[:40].strip("_"))
        test.__name__ = name
        globals()[name] = use_np(test)


_register("shape", SHAPE_CASES)
_register("join", JOIN_CASES)
_register("split", SPLIT_CASES)
_register("create", [(n, functools.partial(_create_case, t, w)) for n, t, w in CREATE_CASES])
_register("sort", SORT_CASES)
_register("linalg", LINALG_CASES)
_register("stats", STAT_CASES)


if __name__ == "__main__":
    main(globals())
