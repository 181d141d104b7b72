"""The ``_npi_*`` operators of ``ops/np_extra.py`` (insert/delete, ediff1d, nan_to_num, polyval,
windows, hsplit/dsplit, boolean-mask assignment, share_memory), their ``mx.np``, ``mx.sym.np`` and
``_internal`` doors, the NumPy-fallback Custom ops (``mxtorch.numpy_op_fallback``) and the
``numpy_dispatch_protocol``/``numpy_op_signature`` modules. Values marked "1.9.1" come from
real MXNet 1.9.1 (more cases: tools/np_diff.py and its fixture). Tolerance 1e-6 unless noted."""
import inspect
import json

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import autograd, np

I = mx.nd.np._internal


def _close(a, b, tol=1e-6):
    onp.testing.assert_allclose(onp.asarray(a.asnumpy() if hasattr(a, "asnumpy") else a),
                                onp.asarray(b), rtol=tol, atol=tol)


def _a():
    return np.arange(12).reshape(3, 4).astype("float32")


# ---- values (1.9.1) -------------------------------------------------------------------------
def test_insert_forms_match_mxnet():
    a = _a()
    # 1.9.1: values moved to the axis for an int index, used as is for a 1-element array index
    _close(np.insert(a, 1, np.array([5., 6, 7]), axis=1),
           [[0, 5, 1, 2, 3], [4, 6, 5, 6, 7], [8, 7, 9, 10, 11]])
    _close(np.insert(a, np.array([1], dtype="int64"), np.array([5., 6, 7]), axis=1),
           [[0, 5, 6, 7, 1, 2, 3], [4, 5, 6, 7, 5, 6, 7], [8, 5, 6, 7, 9, 10, 11]])
    _close(np.insert(a, np.array([2, 1], dtype="int64"), np.array([5., 6]), axis=1),
           [[0, 6, 1, 5, 2, 3], [4, 6, 5, 5, 6, 7], [8, 6, 9, 5, 10, 11]])
    _close(np.insert(a, slice(0, 2), np.array([5., 6]), axis=1),
           [[5, 0, 6, 1, 2, 3], [5, 4, 6, 5, 6, 7], [5, 8, 6, 9, 10, 11]])
    out = np.insert(a.astype("int32"), 1, np.array([7.5]), axis=0)
    assert out.dtype == onp.int32 and out[1].tolist() == [7, 7, 7, 7]
    _close(np.insert(a, 1, 5.), [0, 5] + list(range(1, 12)))


def test_delete_forms_match_mxnet():
    a = _a()
    _close(np.delete(a, slice(None, None, 2), 1), [[1, 3], [5, 7], [9, 11]])
    _close(np.delete(a, -1), list(range(11)))
    # 1.9.1: repeated indices count once; negative and out-of-range entries are ignored
    _close(np.delete(a, np.array([1, 1, 5])), [0, 2, 3, 4] + list(range(6, 12)))
    _close(np.delete(a, np.array([-1, 7]), axis=1), a.asnumpy())
    with pytest.raises(mx.base.MXNetError, match="out of bounds"):
        np.delete(a, 5, axis=0)


def test_ediff1d_nan_to_num_polyval():
    _close(np.ediff1d(np.array([1., 4, 9]), to_end=np.array([1., 2]), to_begin=3),
           [3, 3, 5, 1, 2])
    _close(np.ediff1d(np.array([[1, 4], [9, 3]])), [3, 5, -6])
    x = np.array([onp.nan, onp.inf, -onp.inf], dtype="float16")
    _close(np.nan_to_num(x), [0, 65504, -65504])
    y = np.array([1., onp.nan, onp.inf])
    assert np.nan_to_num(y, copy=False) is y and y.tolist()[1] == 0.0
    _close(np.polyval(np.array([1., 2, 3]), np.array([[0., 1], [2, 3]])), [[3, 6], [11, 18]])


def test_windows_and_diag_indices():
    # 1.9.1 computes windows in float32 (errors ~1e-7); mxtorch in float64, then casts
    _close(np.hanning(5), [0, .5, 1, .5, 0])
    _close(np.hamming(4), [0.08, 0.77, 0.77, 0.08])
    _close(np.blackman(5, dtype="float64"), onp.blackman(5), 1e-12)
    assert np.hamming(1).tolist() == [1.0] and np.hanning(0).shape == (0,)
    assert np.hanning(3).dtype == onp.float32
    rows = np.diag_indices_from(np.zeros((2, 2, 2)))
    assert len(rows) == 3 and all(r.tolist() == [0, 1] and r.dtype == onp.int64 for r in rows)
    with pytest.raises(mx.base.MXNetError, match="all dims"):
        np.diag_indices_from(np.zeros((2, 3)))


def test_shares_memory_views():
    a = _a()
    assert np.shares_memory(a, a[1]) and not np.shares_memory(a[0], a[1])
    assert not np.may_share_memory(a, a.copy())
    assert I.share_memory(a, a).dtype == onp.bool_


def test_internal_splits_use_mxnet_index_convention():
    a = _a()
    assert [p.shape for p in I.hsplit(a, indices=(0, 1, 3), axis=1)] == [(3, 1), (3, 2), (3, 1)]
    assert [p.shape for p in I.hsplit(np.arange(4.), indices=(0, 1, 3), axis=1)] == \
        [(1,), (2,), (1,)]
    parts = I.dsplit(np.arange(8).reshape(1, 2, 4), indices=(), sections=2, axis=2)
    _close(parts[1], [[[2, 3], [6, 7]]])
    g = I.hsplit_backward(np.ones((3, 1)), np.zeros((3, 3)), num_args=2, axis=1)
    _close(g, [[1, 0, 0, 0]] * 3)


def test_boolean_mask_assign_ops():
    a = _a()
    _close(I.boolean_mask_assign_tensor(a, a[:, 0] > 3, np.ones(4) * 5),
           [[0, 1, 2, 3], [5, 5, 5, 5], [5, 5, 5, 5]])
    _close(I.boolean_mask_assign_tensor(a, a[0] > 1, np.ones(3) * 5, start_axis=1),
           [[0, 1, 5, 5], [4, 5, 5, 5], [8, 9, 5, 5]])
    b = a.copy()
    I.boolean_mask_assign_scalar(b, b > 5, value=0., out=b)
    _close(b, [[0, 1, 2, 3], [4, 5, 0, 0], [0, 0, 0, 0]])
    with pytest.raises(mx.base.MXNetError, match="does not match"):
        I.boolean_mask_assign_scalar(a, np.ones(5) > 0, value=1.)


# ---- gradients ------------------------------------------------------------------------------
def _grad(fn, x):
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = fn(x)
    y.backward()
    return x.grad.asnumpy()


def _numeric(fn, x, eps=1e-3):
    base = x.asnumpy().astype("float64")
    grad = onp.zeros_like(base)
    for i in onp.ndindex(base.shape):
        hi, lo = base.copy(), base.copy()
        hi[i] += eps
        lo[i] -= eps
        grad[i] = (float(fn(np.array(hi, dtype="float64")).sum()) -
                   float(fn(np.array(lo, dtype="float64")).sum())) / (2 * eps)
    return grad


@pytest.mark.parametrize("fn", [
    lambda x: np.insert(x, 1, np.array([2.0]), axis=0),
    lambda x: np.delete(x, np.array([0], dtype="int64"), axis=1) * 3,
    lambda x: np.ediff1d(x, to_begin=1.0) ** 2,
    lambda x: np.polyval(np.array([1.0, -2.0, 3.0], dtype="float64"), x),
    lambda x: np.nan_to_num(x) * x,
], ids=["insert", "delete", "ediff1d", "polyval", "nan_to_num"])
def test_gradients_match_finite_differences(fn):
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype="float64")
    _close(_grad(lambda v: fn(v).sum(), x), _numeric(fn, x), 1e-5)


def test_backward_operators_equal_autograd():
    p = np.array([1.0, -2.0, 3.0], dtype="float64")
    x = np.array([0.5, -1.0, 2.0], dtype="float64")
    g = np.array([1.0, 2.0, 3.0], dtype="float64")
    gp, gx = I.backward_polyval(g, p, x)
    _close(gx, g.asnumpy() * (2 * x.asnumpy() - 2))
    _close(gp, [(g * x * x).sum().item(), (g * x).sum().item(), g.sum().item()])
    _close(I.backward_nan_to_num(g, np.array([1.0, onp.inf, 2.0], dtype="float64")), [1, 0, 3])
    ge = I.backward_ediff1d(np.array([9.0, 1.0, 1.0]), x, to_begin_scalar=5.0)
    _close(ge, _grad(lambda v: (np.ediff1d(v, to_begin=5.0) *
                                np.array([9.0, 1.0, 1.0], dtype="float64")).sum(), x))


# ---- Symbol door ----------------------------------------------------------------------------
def _sym_eval(sym, **inputs):
    return sym.eval(**inputs)[0].asnumpy()


@pytest.mark.parametrize("case", [
    ("insert", lambda m, x: m.insert(x, 1, 5.0, axis=1)),
    ("insert_slice", lambda m, x: m.insert(x, slice(0, 2), 7.0, axis=0)),
    ("delete", lambda m, x: m.delete(x, 1, axis=1)),
    ("delete_slice", lambda m, x: m.delete(x, slice(0, 1))),
    ("ediff1d", lambda m, x: m.ediff1d(x, to_end=2.0, to_begin=-1.0)),
    ("nan_to_num", lambda m, x: m.nan_to_num(x / 0.0)),
    ("inner", lambda m, x: m.inner(x, x)),
    ("vdot", lambda m, x: m.vdot(x, x)),
    ("quantile", lambda m, x: m.quantile(x, 0.25, axis=1)),
    ("percentile", lambda m, x: m.percentile(x, 60)),
    ("resize", lambda m, x: m.resize(x, (4, 4))),
    ("shares_memory", lambda m, x: m.shares_memory(x, x)),
], ids=lambda c: c[0] if isinstance(c, tuple) else c)
def test_symbol_functions_match_mx_np(case):
    _, build = case
    data = _a()
    got = _sym_eval(build(mx.sym.np, mx.sym.var("x").as_np_ndarray()), x=data)
    want = build(np, data)
    _close(got, want.asnumpy() if hasattr(want, "asnumpy") else want)


def test_symbol_windows_polyval_unravel():
    _close(_sym_eval(mx.sym.np.hanning(5)), np.hanning(5))
    _close(_sym_eval(mx.sym.np.blackman(4, dtype="float64")), onp.blackman(4), 1e-12)
    p, x = mx.sym.var("p").as_np_ndarray(), mx.sym.var("x").as_np_ndarray()
    _close(_sym_eval(mx.sym.np.polyval(p, x), p=np.array([1., 2]), x=np.array([3., 4])),
           [5, 6])
    idx = mx.sym.var("i").as_np_ndarray()
    _close(_sym_eval(mx.sym.np.unravel_index(idx, (3, 4)), i=np.array([5., 7])),
           [[1, 1], [1, 3]])
    _close(_sym_eval(mx.sym.np.diag_indices_from(x), x=np.zeros((2, 2))), [[0, 1], [0, 1]])


def test_symbol_json_matches_mxnet_nodes():
    x = mx.sym.var("a").as_np_ndarray()
    nodes = json.loads(mx.sym.np.quantile(x, 0.5).tojson())["nodes"]
    # 1.9.1 writes exactly these attributes
    assert nodes[1]["op"] == "_npi_percentile" and nodes[1]["attrs"] == {
        "axis": "None", "interpolation": "linear", "keepdims": "False", "q_scalar": "50.0"}
    nodes = json.loads(mx.sym.np.insert(x, 1, 5.).tojson())["nodes"]
    assert nodes[1]["op"] == "_npi_insert_scalar" and nodes[1]["attrs"] == {
        "axis": "None", "int_ind": "1", "val": "5.0"}


# ---- NumPy-fallback Custom operators and the protocol modules -------------------------------
def test_fallback_custom_operators():
    a = np.arange(6.).reshape(2, 3)
    assert I.empty_like_fallback(a, dtype="int32").dtype == onp.int32
    _close(I.resize_fallback(a, new_shape=(2, 4)), [[0, 1, 2, 3], [4, 5, 0, 1]])
    _close(I.unravel_index_fallback(np.array([5, 7]), shape=(3, 4)), [[1, 1], [1, 3]])
    mx.random.seed(3)
    draws = I.mvn_fallback(np.array([1.0, -1.0]), np.array([[1.0, 0.0], [0.0, 4.0]]),
                           size=(4000,))
    assert draws.shape == (4000, 2)
    _close(draws.asnumpy().mean(0), [1, -1], 0.15)
    _close(draws.asnumpy().std(0), [1, 2], 0.15)
    with pytest.raises(ValueError, match="duplicate"):
        mx.numpy_op_fallback.register("resize_fallback")(mx.numpy_op_fallback.ResizeProp)


def test_dispatch_protocol_and_signature_modules():
    from mxtorch import numpy_dispatch_protocol as dp, numpy_op_signature as ops
    seen = []

    @dp.with_array_function_protocol
    def ok():
        seen.append(onp.mean(np.array([1.0, 3.0])))

    ok()
    assert float(seen[0]) == 2.0 and "mean" in dp._NUMPY_ARRAY_FUNCTION_LIST
    assert "add" in dp._NUMPY_ARRAY_UFUNC_LIST

    @dp.with_array_ufunc_protocol
    def bad():
        raise KeyError("boom")

    with pytest.raises(RuntimeError, match="bad .*boom"):
        bad()
    assert ops._register_op_signatures() == []


def test_nd_np_op_doors_take_mxnet_signatures():
    # 1.9.1 binds these mx.nd.np names to the operators: data=/a= first, name=, **kwargs
    assert list(inspect.signature(mx.nd.np.all).parameters)[:3] == ["data", "axis", "keepdims"]
    assert "initial" in inspect.signature(mx.nd.np.amax).parameters
    x = np.arange(6.).reshape(2, 3)
    _close(mx.nd.np.sum(x, axis=0), [3, 5, 7])
    _close(mx.nd.np.moveaxis(x, source=0, destination=1), x.T.asnumpy())
    _close(mx.nd.npx.reshape(x, newshape=(-1,)), onp.arange(6.))
    assert "input" in inspect.signature(mx.nd.npx.constraint_check).parameters


def test_cv_codec_functions_on_mx_image():
    import os
    from mxtorch import recordio
    rec_dir = os.path.join(os.path.dirname(__file__), "fixtures", "recordio")
    rec = recordio.MXIndexedRecordIO(os.path.join(rec_dir, "images.idx"),
                                     os.path.join(rec_dir, "images.rec"), "r")
    _, body = recordio.unpack(rec.read_idx(rec.keys[0]))
    img = I.cvimdecode(body)
    assert isinstance(img, np.ndarray) and img.dtype == onp.uint8 and img.ndim == 3
    same = I.cvimdecode(np.array(onp.frombuffer(body, onp.uint8), dtype="uint8"))
    assert (same.asnumpy() == img.asnumpy()).all()
    assert I.cvimdecode(body, flag=0).shape[-1] == 1
    small = I.cvimresize(img, 5, 4)
    assert isinstance(small, np.ndarray) and small.shape == (4, 5, img.shape[2])
