"""Shared helpers of the check_numpy4_* scripts (no tests here; run.py lists it with 0 tests).

Each case runs an ``F.np``/``F.npx`` call inside a HybridBlock (imperative and hybridized) and
compares it with official NumPy: shape, dtype kind (MXNet keeps float32 where NumPy widens to
float64, so only the kind is compared unless ``exact_dtype``), values, and optionally the
gradient against a float64 central-difference of the NumPy reference.
"""
import functools

import numpy as _np

import mxnet as mx
from mxnet import np, autograd
from mxnet.gluon import HybridBlock

SHAPES = [(), (0,), (4,), (2, 3), (2, 0, 3), (2, 3, 4)]
FLOATS = ["float16", "float32", "float64"]
INTS = ["int8", "uint8", "int32", "int64"]


class Call(HybridBlock):
    """HybridBlock whose forward calls ``F.<ns>.<name>(*inputs, **kwargs)``."""

    def __init__(self, name, ns="np", kwargs=None, nin=1, consts=None):
        super(Call, self).__init__()
        self._fname, self._ns, self._kw, self._consts = name, ns, kwargs or {}, consts or {}

    def hybrid_forward(self, F, *xs):
        fn = getattr(F, self._ns)
        for part in self._fname.split("."):
            fn = getattr(fn, part)
        args = list(xs)
        for pos, val in sorted(self._consts.items()):
            args.insert(pos, val)
        return fn(*args, **self._kw)


def make(shape, dtype, low=-2.0, high=2.0, rng=None):
    """A NumPy array of ``shape``/``dtype`` with values in [low, high)."""
    rng = rng or _np.random
    if dtype == "bool":
        return rng.uniform(size=shape) > 0.5
    if dtype in INTS:
        lo = 0 if dtype == "uint8" else int(low)
        return rng.randint(lo, max(int(high), lo + 1) + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def _kind(dt):
    return _np.dtype(dt).kind


def compare(out, ref, rtol, atol, what, exact_dtype=False):
    """Raise AssertionError describing the first mismatch between ``out`` and NumPy ``ref``."""
    if isinstance(ref, (tuple, list)):
        assert isinstance(out, (tuple, list)) and len(out) == len(ref), \
            "%s: %d outputs expected, got %r" % (what, len(ref), type(out))
        for i, (o, r) in enumerate(zip(out, ref)):
            compare(o, r, rtol, atol, "%s[%d]" % (what, i), exact_dtype)
        return
    ref = _np.asarray(ref)
    got = out.asnumpy() if hasattr(out, "asnumpy") else _np.asarray(out)
    assert got.shape == ref.shape, "%s: shape %s, NumPy %s" % (what, got.shape, ref.shape)
    if exact_dtype:
        assert got.dtype == ref.dtype, "%s: dtype %s, expected %s" % (what, got.dtype, ref.dtype)
    else:
        ok = {_kind(ref.dtype)} | ({"f"} if _kind(ref.dtype) in "fc" else set())
        if _kind(ref.dtype) in "iu":
            ok |= {"i", "u"}
        assert _kind(got.dtype) in ok, "%s: dtype %s, NumPy %s" % (what, got.dtype, ref.dtype)
    if got.size:
        if got.dtype == _np.float16 or ref.dtype == _np.float16:
            rtol, atol = max(rtol, 1e-2), max(atol, 1e-2)
        _np.testing.assert_allclose(got.astype("float64") if got.dtype.kind != "b" else got,
                                    ref.astype("float64") if ref.dtype.kind != "b" else ref,
                                    rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def numeric_grad(fn, xs, head, eps=1e-4):
    """Central-difference gradients of sum(fn(*xs) * head) w.r.t. each float input."""
    grads = []
    for i, x in enumerate(xs):
        g = _np.zeros(x.shape, dtype="float64")
        flat = g.reshape(-1)
        for j in range(x.size):
            plus = [a.astype("float64").copy() for a in xs]
            minus = [a.astype("float64").copy() for a in xs]
            plus[i].reshape(-1)[j] += eps
            minus[i].reshape(-1)[j] -= eps
            flat[j] = (_np.sum(_np.asarray(fn(*plus)) * head) -
                       _np.sum(_np.asarray(fn(*minus)) * head)) / (2 * eps)
        grads.append(g)
    return grads


def run_case(name, inputs, ref_fn, kwargs=None, ns="np", rtol=1e-4, atol=1e-5, grad=False,
             hybrid=(False, True), exact_dtype=False, consts=None, grad_rtol=1e-2,
             grad_atol=1e-3, direct=False):
    """Check ``F.<ns>.<name>(*inputs, **kwargs)`` against ``ref_fn`` (NumPy) both ways
    (``direct``: call ``mx.<ns>.<name>`` itself, for functions without a symbol version)."""
    kwargs = kwargs or {}
    what = "%s%s(%s, %s)" % (ns + "." if ns != "np" else "", name,
                             ", ".join("%s%s" % (a.dtype, a.shape) for a in inputs), kwargs)
    ref = ref_fn(*inputs)
    for hyb in hybrid:
        block = Call(name, ns, kwargs, consts=consts)
        if direct:
            block = functools.partial(_direct, name, ns, kwargs, consts or {})
        elif hyb:
            block.hybridize()
        arrs = [np.array(a, dtype=a.dtype) for a in inputs]
        if grad:
            for a in arrs:
                a.attach_grad()
            with autograd.record():
                out = block(*arrs)
            head = _np.random.uniform(0.5, 1.5, size=out.shape).astype(out.dtype)
            out.backward(np.array(head, dtype=head.dtype))
        else:
            out = block(*arrs)
        compare(out, ref, rtol, atol, what + (" hybridized" if hyb else ""), exact_dtype)
        if grad and all(a.size for a in inputs):
            want = numeric_grad(ref_fn, inputs, head)
            for k, (a, g) in enumerate(zip(arrs, want)):
                _np.testing.assert_allclose(a.grad.asnumpy().astype("float64"), g,
                                            rtol=grad_rtol, atol=grad_atol,
                                            err_msg="%s grad of input %d" % (what, k))


def _direct(name, ns, kwargs, consts, *xs):
    fn = getattr(mx, ns)
    for part in name.split("."):
        fn = getattr(fn, part)
    args = list(xs)
    for pos, val in sorted(consts.items()):
        args.insert(pos, val)
    return fn(*args, **kwargs)


def run_all(cases):
    """Run ``(label, thunk)`` cases; raise one AssertionError listing every failing label."""
    bad = []
    for label, thunk in cases:
        try:
            thunk()
        except Exception as err:  # noqa: BLE001 - collect all failures of the group
            bad.append("%s -> %s: %s" % (label, type(err).__name__,
                                         " ".join(str(err).split())[:160]))
    if bad:
        raise AssertionError("%d/%d cases fail: %s" % (len(bad), len(cases), " | ".join(bad)))


def raises(exc, fn, *args, **kwargs):
    """Assert ``fn(*args, **kwargs)`` raises ``exc``."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError("%s did not raise %s" % (fn, exc.__name__))


__all__ = ["SHAPES", "FLOATS", "INTS", "Call", "make", "compare", "numeric_grad", "run_case",
           "run_all", "raises", "mx", "np", "autograd", "_np"]
