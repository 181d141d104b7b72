"""NumPy options of ``linspace``/``logspace`` (array ends, ``axis``), ``histogram`` (automatic
range, bin rules, ``weights``, ``density``/``normed``), ``linalg.qr`` modes and ``sort``'s
``order``, checked against official NumPy (rtol 1e-5 for float32). What 1.9.1 refuses (array
ends, axis, histogram options) is listed in compat/numpy.md; its answers to the rest are in
tools/np_diff.py's fixture."""
import numpy as onp
import pytest

from mxtorch import np

LO, HI = onp.array([0.0, 1.0, -2.0]), onp.array([[2.0], [4.0]])


def _close(got, want, tol=1e-5):
    onp.testing.assert_allclose(got.asnumpy() if hasattr(got, "asnumpy") else got, want,
                                rtol=tol, atol=tol)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace_logspace_array_ends(axis, endpoint):
    got = np.linspace(np.array(LO), np.array(HI), 4, endpoint=endpoint, axis=axis)
    want = onp.linspace(LO, HI, 4, endpoint=endpoint, axis=axis)
    assert got.shape == want.shape and got.dtype == onp.float32
    _close(got, want)
    got = np.logspace(np.array(LO), np.array(HI), 4, endpoint=endpoint, axis=axis, base=2.0)
    _close(got, onp.logspace(LO, HI, 4, endpoint=endpoint, axis=axis, base=2.0), 1e-4)


def test_linspace_retstep_and_axis_errors():
    out, step = np.linspace(np.array(LO), 3.0, 5, retstep=True, dtype="float64")
    want, wstep = onp.linspace(LO, 3.0, 5, retstep=True)
    _close(out, want)
    _close(step, wstep)
    assert np.linspace(0, 1, 3, axis=-1).shape == (3,)
    with pytest.raises(ValueError, match="axis 1 is out of bounds"):
        np.linspace(0, 1, 3, axis=1)


@pytest.mark.parametrize("kwargs", [
    {"bins": 4}, {"bins": 3, "range": (0, 6)}, {"bins": "auto"}, {"bins": "sturges"},
    {"bins": 4, "density": True}, {"bins": 4, "range": (0, 5), "normed": True},
    {"bins": 3, "weights": [1.0, 2.0, 3.0, 4.0, 5.0]},
    {"bins": [0.0, 1.0, 3.0, 6.0], "density": True},
])
def test_histogram_options_match_numpy(kwargs):
    data = onp.array([1.0, 2.0, 2.0, 3.0, 5.0])
    ours = {k: np.array(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    normed = ours.pop("normed", None)
    counts, edges = np.histogram(np.array(data, dtype="float32"), normed=normed, **ours)
    ref = {k: v for k, v in kwargs.items() if k != "normed"}
    if normed:
        ref["density"] = True
    wcounts, wedges = onp.histogram(data, **ref)
    _close(counts, wcounts)
    _close(edges, wedges)
    assert counts.dtype == (onp.int64 if not (kwargs.get("density") or normed or
                                              "weights" in kwargs) else onp.float32)


@pytest.mark.parametrize("shape", [(3, 2), (2, 3), (2, 4, 3)])
def test_qr_modes_match_numpy(shape):
    a = onp.random.RandomState(0).randn(*shape).astype("float32")
    q, r = np.linalg.qr(np.array(a), mode="complete")
    _close(np.matmul(q, r), a, 1e-4)
    assert q.shape == shape[:-2] + (shape[-2], shape[-2])
    _close(np.matmul(q.swapaxes(-1, -2), q), onp.broadcast_to(onp.eye(shape[-2]), q.shape), 1e-4)
    r_only = np.linalg.qr(np.array(a), mode="r")
    _close(np.abs(r_only), onp.abs(np.linalg.qr(np.array(a))[1].asnumpy()), 1e-4)
    if len(shape) == 2:
        h, tau = np.linalg.qr(np.array(a), mode="raw")
        wh, wtau = onp.linalg.qr(a.astype("float64"), mode="raw")
        _close(h, wh, 1e-4)
        _close(tau, wtau, 1e-4)
    with pytest.raises(ValueError, match="unrecognized mode"):
        np.linalg.qr(np.array(a), mode="full")


def test_sort_order_is_refused_clearly():
    for fn in (np.sort, np.argsort):
        with pytest.raises(NotImplementedError, match="structured arrays"):
            fn(np.array([3.0, 1.0]), order="x")
    _close(np.sort(np.array([3.0, 1.0, 2.0]), kind="heapsort"), [1, 2, 3])
