"""Default dtypes of mx.np, in the style of MXNet's test_numpy_default_dtype.py (own code):
under ``use_np_default_dtype`` (MXNet 2's ``npx.set_np(dtype=True)``) creation functions,
means, windows, random samplers and integer true division give NumPy's dtypes; without it
they keep MXNet 1.9.1's (float32, int32 index grids). MXNet 1.9.1 has no default-dtype mode,
so the ``test_default_dtype_*`` tests fail there by design.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy6_dtype --details
"""
import numpy as _np

import mxnet as mx
from mxnet import np, npx
from mxnet.test_utils import use_np
from _harness import main

I64 = _np.array([1, 2, 3])
# (function, args, kwargs): the dtype must be NumPy's under NumPy default dtypes
WORKLOADS = [
    ("array", ([1, 2, 3],), {}), ("array", ([1.5, 2],), {}), ("array", ([[True]],), {}),
    ("ones", (5,), {}), ("ones", ((5,),), {}), ("zeros", ((2, 0),), {}), ("empty", ((2,),), {}),
    ("eye", (3,), {}), ("eye", (3,), {"k": 1}), ("identity", (3,), {}),
    ("full", ((2, 2), 10), {}), ("full", ((2, 2), 1.5), {}), ("full", ((2,), True), {}),
    ("linspace", (2.0, 3.0), {"num": 5}), ("linspace", (2.0, 3.0), {"num": 5, "endpoint": False}),
    ("logspace", (2.0, 3.0), {"num": 4}), ("logspace", (2.0, 3.0), {"num": 4, "base": 2.0}),
    ("mean", (I64,), {}), ("std", (I64,), {}), ("var", (I64,), {}),
    ("hanning", (3,), {}), ("hamming", (3,), {}), ("blackman", (3,), {}),
    ("random.uniform", (-1, 1), {"size": 3}), ("random.normal", (0, 0.1, 3), {}),
    ("random.gamma", (3.0,), {"size": 2}), ("random.chisquare", (2.0, 4), {}),
    ("random.rand", (2,), {}), ("random.randn", (2,), {}), ("random.randint", (0, 5, (2,)), {}),
    ("random.exponential", (), {"size": 2}), ("random.beta", (2.0, 3.0), {"size": 2}),
    ("true_divide", (I64, 4), {}), ("true_divide", (I64, 2.0), {}),
    ("true_divide", (4.0, I64), {}), ("true_divide", (I64, I64), {}),
    ("arange", (3, 7, 2), {}), ("arange", (3.0,), {}), ("arange", (0, 1, 0.25), {}),
    ("indices", ((3,),), {}), ("ones_like", (I64,), {}), ("full_like", (I64, 0.5), {}),
]
# MXNet 1.9.1's dtypes for the same calls without NumPy default dtypes
LEGACY = {"array": "float32", "ones": "float32", "zeros": "float32", "empty": "float32",
          "eye": "float32", "identity": "float32", "linspace": "float32",
          "logspace": "float32", "mean": "float32", "hanning": "float32",
          "hamming": "float32", "blackman": "float32", "random.uniform": "float32",
          "random.normal": "float32", "arange": "float32", "indices": "int32"}


def _get(mod, name):
    for part in name.split("."):
        mod = getattr(mod, part)
    return mod


def _mx_args(args):
    return tuple(np.array(a) if isinstance(a, _np.ndarray) else a for a in args)


def _case(name, args, kwargs):
    want = _np.dtype(_get(_np, name)(*args, **kwargs).dtype)
    got = _get(np, name)(*_mx_args(args), **kwargs)
    assert got.dtype == want, "%s%r %r: dtype %s, NumPy %s" % (name, args, kwargs, got.dtype,
                                                                 want)


def _make(name, args, kwargs):
    @use_np
    def test():
        from mxnet.util import use_np_default_dtype, is_np_default_dtype

        @use_np_default_dtype
        def inner():
            assert is_np_default_dtype()
            _case(name, args, kwargs)
        inner()
        assert not is_np_default_dtype()
    return test


for _i, (_name, _args, _kw) in enumerate(WORKLOADS):
    globals()["test_default_dtype_%02d_%s" % (_i, _name.replace(".", "_"))] = \
        _make(_name, _args, _kw)


@use_np
def test_legacy_dtypes():
    bad = []
    for name, args, kwargs in WORKLOADS:
        if name in LEGACY and not (name == "array" and args[0] == [[True]]):
            got = _get(np, name)(*_mx_args(args), **kwargs).dtype
            if got != _np.dtype(LEGACY[name]):
                bad.append("%s%r -> %s" % (name, args, got))
    assert not bad, bad


@use_np
def test_default_dtype_set_np_switch():
    npx.set_np(dtype=True)
    try:
        assert npx.is_np_default_dtype() and np.ones(2).dtype == _np.float64
        assert (np.array([1, 2]) / 2).dtype == _np.float64
        assert np.array([1, 2], dtype="float32").dtype == _np.float32
        assert (np.ones(2, dtype="float32") / np.array([1, 2])).dtype == _np.float32
    finally:
        npx.reset_np()
    assert not npx.is_np_default_dtype() and np.ones(2).dtype == _np.float32
    assert not mx.util.is_np_array()


@use_np
def test_default_dtype_linspace_retstep():
    from mxnet.util import use_np_default_dtype

    @use_np_default_dtype
    def inner():
        out, step = np.linspace(0, 1, 5, retstep=True)
        assert out.dtype == _np.float64 and abs(step - 0.25) < 1e-12
        out, step = np.linspace(0, 1, 4, endpoint=False, retstep=True)
        _np.testing.assert_allclose(out.asnumpy(), [0, 0.25, 0.5, 0.75])
        assert abs(step - 0.25) < 1e-12
        assert np.arange(0, 1, 0.1).shape == (10,)
    inner()


if __name__ == "__main__":
    main(globals())
