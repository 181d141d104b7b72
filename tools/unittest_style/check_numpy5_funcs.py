"""The mx.np / mx.np.linalg / mx.npx functions of MXNet 1.9.1 that the check_numpy4 scripts do
not call, in the style of test_numpy_op.py / test_numpy_interoperability.py (own code):
NumPy-fallback functions (alltrue, array_equiv, correlate, histogram2d/dd, packbits,
piecewise, polydiv/polyint, setxor1d, nancumprod...), linalg.lstsq/qr, npx.constraint_check,
roi_pooling, deconvolution, multibox_prior, rnn, save/load and the context helpers.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_funcs --details
"""
import os
import tempfile

import numpy as _np

import mxnet as mx
from mxnet import np, npx
from mxnet.test_utils import use_np
from _harness import main


def _eq(got, want, rtol=1e-5, atol=1e-6):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), type(got)
        for g, w in zip(got, want):
            _eq(g, w, rtol, atol)
        return
    g = got.asnumpy() if hasattr(got, "asnumpy") else _np.asarray(got)
    w = _np.asarray(want)
    assert g.shape == w.shape, "shape %s vs %s" % (g.shape, w.shape)
    if w.dtype.kind == "b" or g.dtype.kind == "b":
        _np.testing.assert_array_equal(g, w)
    else:
        _np.testing.assert_allclose(g.astype("float64"), w.astype("float64"), rtol=rtol,
                                    atol=atol)


def _register(name, fn):
    globals()["test_" + name] = use_np(fn)


F64 = _np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]])
V1 = _np.array([1.0, 2.0, 3.0, 0.5])
V2 = _np.array([0.0, 1.0, 0.5])
BITS = _np.array([1, 0, 1, 1, 0, 0, 1, 1, 1], dtype="uint8")
NANS = _np.array([[1.0, _np.nan, 3.0], [2.0, 4.0, _np.nan]])


def _mx(x):
    return np.array(x, dtype=x.dtype)


CASES = {
    "alltrue": lambda: (np.all(_mx(F64) > 1), _np.all(F64 > 1)),
    "alltrue_axis": lambda: (getattr(np, "alltrue")(_mx(F64) > 1, axis=1),
                             _np.all(F64 > 1, axis=1)),
    "array_equiv_bcast": lambda: (np.array_equiv(_mx(F64[:1]), _mx(_np.repeat(F64[:1], 3, 0))),
                                  True),
    "array_equiv_diff": lambda: (np.array_equiv(_mx(F64), _mx(F64 + 1)), False),
    "correlate_valid": lambda: (np.correlate(_mx(V1), _mx(V2)), _np.correlate(V1, V2)),
    "correlate_full": lambda: (np.correlate(_mx(V1), _mx(V2), "full"),
                               _np.correlate(V1, V2, "full")),
    "correlate_same": lambda: (np.correlate(_mx(V1), _mx(V2), mode="same"),
                               _np.correlate(V1, V2, mode="same")),
    "empty_shape_dtype": lambda: (np.empty((2, 3), dtype="int32").shape, (2, 3)),
    "histogram2d_counts": lambda: (np.histogram2d(_mx(V1), _mx(V1[::-1]), bins=2)[0],
                                   _np.histogram2d(V1, V1[::-1], bins=2)[0]),
    "histogramdd_counts": lambda: (np.histogramdd(_mx(F64.T), bins=2)[0],
                                   _np.histogramdd(F64.T, bins=2)[0]),
    "min_scalar_type": lambda: (_np.dtype(np.min_scalar_type(300)).itemsize, 2),
    "nancumprod": lambda: (np.nancumprod(_mx(NANS), axis=1), _np.nancumprod(NANS, axis=1)),
    "nancumprod_flat": lambda: (np.nancumprod(_mx(NANS)), _np.nancumprod(NANS)),
    "packbits": lambda: (np.packbits(_mx(BITS)), _np.packbits(BITS)),
    "packbits_little": lambda: (np.packbits(_mx(BITS), bitorder="little"),
                                _np.packbits(BITS, bitorder="little")),
    "unpackbits": lambda: (np.unpackbits(_mx(_np.array([7, 130], dtype="uint8"))),
                           _np.unpackbits(_np.array([7, 130], dtype="uint8"))),
    "piecewise": lambda: (np.piecewise(_mx(V1), [_mx(V1 < 1.5), _mx(V1 >= 1.5)], [-1, 1]),
                          _np.piecewise(V1, [V1 < 1.5, V1 >= 1.5], [-1, 1])),
    "polydiv": lambda: (np.polydiv(_mx(_np.array([1.0, 3.0, 2.0])),
                                   _mx(_np.array([1.0, 1.0]))),
                        _np.polydiv([1.0, 3.0, 2.0], [1.0, 1.0])),
    "polyint": lambda: (np.polyint(_mx(_np.array([3.0, 2.0, 1.0]))),
                        _np.polyint([3.0, 2.0, 1.0])),
    "polyint_m2": lambda: (np.polyint(_mx(_np.array([3.0, 2.0, 1.0])), m=2),
                           _np.polyint([3.0, 2.0, 1.0], m=2)),
    "setxor1d": lambda: (np.setxor1d(_mx(_np.array([1, 2, 3, 4])), _mx(_np.array([3, 4, 5]))),
                         _np.setxor1d([1, 2, 3, 4], [3, 4, 5])),
    "promote_types": lambda: (_np.dtype(np.promote_types("float32", "int64")) == _np.float64,
                              True),
    "finfo_eps": lambda: (np.finfo(np.float32).eps, _np.finfo(_np.float32).eps),
    "apply_along_axis": lambda: (np.apply_along_axis(lambda v: v * 2, 1, _mx(F64)), F64 * 2),
    "lstsq_solution": lambda: (np.linalg.lstsq(_mx(_np.array([[1.0, 0], [1, 1], [1, 2]])),
                                               _mx(_np.array([1.0, 2, 4])), rcond=None)[0],
                               _np.linalg.lstsq([[1.0, 0], [1, 1], [1, 2]], [1.0, 2, 4],
                                                rcond=None)[0]),
    "lstsq_residuals_sv": lambda: (
        [np.linalg.lstsq(_mx(_np.array([[1.0, 0], [1, 1], [1, 2]])),
                         _mx(_np.array([[1.0, 2], [2, 3], [4, 5]])), rcond=None)[i]
         for i in (1, 3)],
        [_np.linalg.lstsq(_np.array([[1.0, 0], [1, 1], [1, 2]]),
                          _np.array([[1.0, 2], [2, 3], [4, 5]]), rcond=None)[i]
         for i in (1, 3)]),
    "lstsq_rank": lambda: (int(np.linalg.lstsq(_mx(_np.array([[1.0, 0], [1, 1], [1, 2]])),
                                               _mx(_np.array([1.0, 2, 4])), rcond=None)[2]), 2),
    "qr_reconstructs": lambda: (_qr_product(_np.array([[1.0, 2], [3, 4], [5, 6]])),
                                _np.array([[1.0, 2], [3, 4], [5, 6]])),
    "qr_r_upper": lambda: (_np.abs(np.linalg.qr(_mx(_np.array([[2.0, 1], [1, 3]])))[1]
                                   .asnumpy()[1, 0]) < 1e-6, True),
}


def _qr_product(a):
    q, r = np.linalg.qr(_mx(a))
    return np.matmul(q, r)


for _label in CASES:
    _register("fallback_" + _label, lambda l=_label: _eq(*CASES[l]()))


# ---- npx ------------------------------------------------------------------------------------
def _constraint_ok():
    out = npx.constraint_check(np.array([True, True], dtype=bool), "msg")
    assert out.dtype == _np.bool_ and bool(out), out


def _constraint_fails():
    try:
        npx.constraint_check(np.array([True, False], dtype=bool), "value out of range")
        mx.nd.waitall()
    except ValueError as err:
        assert "value out of range" in str(err), err
        return
    raise AssertionError("constraint_check passed a false element")


def _constraint_float():
    try:
        npx.constraint_check(np.array([1.0, 2.0]), "msg")
        mx.nd.waitall()
    except mx.base.MXNetError:
        return
    raise AssertionError("constraint_check accepted a float input")


def _roi_pooling():
    data = _np.arange(32, dtype="float32").reshape(1, 2, 4, 4)
    rois = _np.array([[0, 0, 0, 3, 3], [0, 1, 1, 2, 2]], dtype="float32")
    got = npx.roi_pooling(np.array(data), np.array(rois), pooled_size=(2, 2), spatial_scale=1.0)
    want = _np.empty((2, 2, 2, 2), dtype="float32")
    for r, (_, x1, y1, x2, y2) in enumerate(rois.astype(int)):
        h, w = y2 - y1 + 1, x2 - x1 + 1
        for i in range(2):
            for j in range(2):
                ys = slice(y1 + (i * h) // 2, y1 + -(-(i + 1) * h // 2))
                xs = slice(x1 + (j * w) // 2, x1 + -(-(j + 1) * w // 2))
                want[r, :, i, j] = data[0, :, ys, xs].max(axis=(1, 2))
    _eq(got, want)


def _deconvolution():
    x = _np.arange(8, dtype="float32").reshape(1, 2, 2, 2)
    w = _np.ones((2, 3, 2, 2), dtype="float32")
    got = npx.deconvolution(np.array(x), np.array(w), kernel=(2, 2), num_filter=3, no_bias=True)
    want = _np.zeros((1, 3, 3, 3), dtype="float32")
    for c in range(2):
        for i in range(2):
            for j in range(2):
                want[0, :, i:i + 2, j:j + 2] += x[0, c, i, j]
    _eq(got, want)


def _deconvolution_stride_bias():
    x = _np.ones((1, 1, 2, 2), dtype="float32")
    w = _np.ones((1, 1, 3, 3), dtype="float32")
    b = _np.array([0.5], dtype="float32")
    got = npx.deconvolution(np.array(x), np.array(w), np.array(b), kernel=(3, 3), stride=(2, 2),
                            pad=(1, 1), num_filter=1, no_bias=False)
    assert got.shape == (1, 1, 3, 3), got.shape
    want = _np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype="float32") + 0.5
    _eq(got[0, 0], want)


def _multibox_prior():
    got = npx.multibox_prior(np.ones((1, 1, 2, 2)), sizes=[0.5], ratios=[1.0])
    centers = _np.array([0.25, 0.75])
    want = []
    for cy in centers:
        for cx in centers:
            want.append([cx - 0.25, cy - 0.25, cx + 0.25, cy + 0.25])
    _eq(got, _np.array([want], dtype="float32"))


def _rnn_relu():
    seq, batch, inp, hid = 3, 2, 4, 5
    rng = _np.random.RandomState(0)
    x = rng.uniform(-1, 1, (seq, batch, inp)).astype("float32")
    wx = rng.uniform(-0.5, 0.5, (hid, inp)).astype("float32")
    wh = rng.uniform(-0.5, 0.5, (hid, hid)).astype("float32")
    bx = rng.uniform(-0.5, 0.5, (hid,)).astype("float32")
    bh = rng.uniform(-0.5, 0.5, (hid,)).astype("float32")
    params = _np.concatenate([wx.ravel(), wh.ravel(), bx, bh])
    h0 = _np.zeros((1, batch, hid), dtype="float32")
    got = npx.rnn(np.array(x), np.array(params), np.array(h0), state_size=hid, num_layers=1,
                  mode="rnn_relu")
    h = h0[0]
    want = []
    for t in range(seq):
        h = _np.maximum(x[t] @ wx.T + bx + h @ wh.T + bh, 0)
        want.append(h)
    _eq(got, _np.stack(want), rtol=1e-4, atol=1e-5)


def _save_load(kind):
    path = os.path.join(tempfile.mkdtemp(), "arrays")
    a = np.array(_np.arange(6.0).reshape(2, 3))
    b = np.array(_np.array([1, 2], dtype="int32"), dtype="int32")
    if kind == "dict":
        npx.save(path, {"a": a, "b": b})
        got = npx.load(path)
        assert sorted(got) == ["a", "b"], sorted(got)
        assert isinstance(got["a"], np.ndarray), type(got["a"])
        _eq(got["a"], a.asnumpy())
        assert got["b"].dtype == _np.int32, got["b"].dtype
    elif kind == "list":
        npx.save(path, [a, b])
        got = npx.load(path)
        assert isinstance(got, list) and len(got) == 2, type(got)
        _eq(got[1], b.asnumpy())
    else:
        npx.save(path, a)
        got = npx.load(path)
        got = got[0] if isinstance(got, list) else got
        _eq(got, a.asnumpy())


def _contexts():
    assert npx.current_context() == mx.cpu(), npx.current_context()
    assert npx.num_gpus() == mx.context.num_gpus()
    assert npx.cpu_pinned().device_type == "cpu_pinned"
    npx.waitall()


NPX = {"constraint_check_ok": _constraint_ok, "constraint_check_fails": _constraint_fails,
       "constraint_check_float_input": _constraint_float, "roi_pooling": _roi_pooling,
       "deconvolution": _deconvolution, "deconvolution_stride_bias": _deconvolution_stride_bias,
       "multibox_prior": _multibox_prior, "rnn_relu": _rnn_relu,
       "save_load_dict": lambda: _save_load("dict"), "save_load_list": lambda: _save_load("list"),
       "save_load_single": lambda: _save_load("single"), "contexts": _contexts}
for _label, _fn in NPX.items():
    _register("npx_" + _label, _fn)


if __name__ == "__main__":
    main(globals())
