"""Round-4 sparse checks (MXNet 1.9.1 test_sparse_ndarray.py / test_sparse_operator.py style;
own code): output storage types per input stypes, dot with transpose flags, retain, square_sum,
slicing/concat, dense-only methods.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_sparse4``.
"""
import itertools

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _pair():
    a = np.random.uniform(-1, 1, (4, 5))
    a[a < 0.3] = 0
    b = np.random.uniform(-1, 1, (4, 5))
    b[b < 0.2] = 0
    b[1] = 0
    return a, b


@with_seed()
def test_elemwise_output_stypes():
    a, b = _pair()
    table = {("csr", "csr"): {"elemwise_add": "csr", "elemwise_sub": "csr", "elemwise_mul": "csr",
                              "_maximum": "csr", "_minimum": "csr", "elemwise_div": "default"},
             ("row_sparse", "row_sparse"): {"elemwise_add": "row_sparse", "elemwise_sub": "row_sparse",
                                            "elemwise_mul": "row_sparse", "_maximum": "row_sparse",
                                            "_minimum": "row_sparse"},
             ("default", "row_sparse"): {"elemwise_add": "default", "elemwise_mul": "row_sparse"},
             ("csr", "default"): {"elemwise_add": "default", "elemwise_mul": "csr"}}
    ref = {"elemwise_add": np.add, "elemwise_sub": np.subtract, "elemwise_mul": np.multiply,
           "_maximum": np.maximum, "_minimum": np.minimum, "elemwise_div": None}
    for (sa, sb), ops in table.items():
        x, y = mx.nd.array(a).tostype(sa), mx.nd.array(b).tostype(sb)
        for op, want in ops.items():
            fn = getattr(mx.nd, op, None) or getattr(mx.nd._internal, op)
            if op == "elemwise_div":
                y = mx.nd.array(b + 2).tostype(sb)
                out = fn(x, y)
                assert_almost_equal(out.asnumpy(), a.astype(np.float32) / (b + 2).astype(np.float32))
            else:
                out = fn(x, y)
                assert_almost_equal(out.asnumpy(), ref[op](a.astype(np.float32), b.astype(np.float32)))
            assert out.stype == want, (sa, sb, op, out.stype, want)


@with_seed()
def test_unary_and_scalar_stypes():
    a, _ = _pair()
    for st in ("csr", "row_sparse"):
        x = mx.nd.array(a).tostype(st)
        for op in ("abs", "sign", "sqrt", "square", "relu", "negative", "round", "floor", "ceil",
                   "trunc", "fix", "rint", "sin", "tanh", "expm1", "log1p", "arcsin", "degrees"):
            out = getattr(mx.nd, op)(mx.nd.abs(x) if op in ("sqrt", "arcsin") else x)
            assert out.stype == st, (st, op, out.stype)
        for op, want in (("exp", "default"), ("sigmoid", "default"), ("cos", "default")):
            assert getattr(mx.nd, op)(x).stype == want
        assert (x * 2.5).stype == st and (x / 2).stype == st
        assert (x + 1).stype == "default"
        assert mx.nd.clip(x, -0.2, 0.5).stype == st
        assert_almost_equal(mx.nd.clip(x, -0.2, 0.5).asnumpy(), np.clip(a, -0.2, 0.5).astype(np.float32))


@with_seed()
def test_dot_transpose_stypes():
    a, _ = _pair()
    w = np.random.uniform(-1, 1, (5, 3))
    w4 = np.random.uniform(-1, 1, (4, 3))
    csr = mx.nd.array(a).tostype("csr")
    rsp = mx.nd.array(a).tostype("row_sparse")
    out = mx.nd.dot(csr, mx.nd.array(w))
    assert out.stype == "default"
    assert_almost_equal(out.asnumpy(), a @ w, rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(csr, mx.nd.array(w4), transpose_a=True)
    assert out.stype == "row_sparse"
    assert_almost_equal(out.asnumpy(), a.T @ w4, rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(mx.nd.array(w4.T), csr)
    assert out.stype == "csr"  # MXNet 1.9.1 CPU: dns x csr gives csr
    assert_almost_equal(out.asnumpy(), w4.T @ a, rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(mx.nd.array(w4.T), csr, forward_stype="default")
    assert_almost_equal(out.asnumpy(), w4.T @ a, rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(rsp, mx.nd.array(w))
    assert out.stype == "default"
    assert_almost_equal(out.asnumpy(), a @ w, rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(csr, csr, transpose_a=True)
    assert_almost_equal(out.asnumpy(), a.T @ a, rtol=1e-4, atol=1e-5)


@with_seed()
def test_retain_square_sum_slice_concat():
    a, _ = _pair()
    rsp = mx.nd.array(a).tostype("row_sparse")
    out = mx.nd.sparse.retain(rsp, mx.nd.array([0, 3], dtype="int64"))
    assert out.stype == "row_sparse"
    ref = np.zeros_like(a)
    ref[[0, 3]] = a[[0, 3]]
    assert_almost_equal(out.asnumpy(), ref.astype(np.float32))
    for axis, keep in itertools.product((0, 1), (True, False)):
        out = mx.nd._internal._square_sum(rsp, axis=axis, keepdims=keep)
        assert_almost_equal(out.asnumpy(), (a.astype(np.float32) ** 2).sum(axis=axis, keepdims=keep),
                            rtol=1e-5, atol=1e-6)
        want = "row_sparse" if axis == 1 and keep else "default"
        assert out.stype == want, (axis, keep, out.stype)
    csr = mx.nd.array(a).tostype("csr")
    out = csr[1:3]
    assert out.stype == "csr"
    assert_almost_equal(out.asnumpy(), a[1:3].astype(np.float32))
    out = mx.nd.slice(csr, begin=(1, 1), end=(3, 4))
    assert out.stype == "csr"
    assert_almost_equal(out.asnumpy(), a[1:3, 1:4].astype(np.float32))
    out = mx.nd.concat(csr, csr, dim=0)
    assert out.stype == "csr"
    assert_almost_equal(out.asnumpy(), np.vstack([a, a]).astype(np.float32))
    out = mx.nd.concat(csr, csr, dim=1)
    assert out.stype == "default"


@with_seed()
def test_sparse_dense_only_methods():
    csr = mx.nd.array([[1, 0], [0, 2]]).tostype("csr")
    rsp = mx.nd.array([[1, 0], [0, 2]]).tostype("row_sparse")
    for call in (lambda: csr.reshape((4,)), lambda: rsp.reshape((4,)), lambda: csr._at(0)):
        assertRaises(mx.base.NotSupportedForSparseNDArray, call)
    assertRaises(ValueError, lambda: csr.tostype("row_sparse"))


@with_seed()
def test_cast_storage_roundtrip_dtypes():
    a, _ = _pair()
    for dt in ("float32", "float64", "float16", "int32", "int64"):
        d = mx.nd.array(a * 10, dtype=dt)
        for st in ("csr", "row_sparse"):
            s = mx.nd.cast_storage(d, stype=st)
            assert s.stype == st and s.dtype == np.dtype(dt)
            assert_almost_equal(s.asnumpy(), d.asnumpy())
            back = mx.nd.cast_storage(s, stype="default")
            assert back.stype == "default"
            assert_almost_equal(back.asnumpy(), d.asnumpy())


if __name__ == "__main__":
    main(globals())
