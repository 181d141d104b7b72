"""Round-4 operator checks: arithmetic per dtype, reductions, linalg (MXNet 1.9.1
test_operator.py style; own code, numpy references).

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator4_math``.
"""
import itertools

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_int_power_float32_semantics():
    assert (mx.nd.array([1, 2, 3], dtype="int32") ** -1).asnumpy().tolist() == [1, 0, 0]
    assert (mx.nd.array([2, 3, 4], dtype="int64") ** 40).asnumpy().tolist() == \
        [1099511627776, -9223372036854775808, -9223372036854775808]
    assert (mx.nd.array([2, 3, 16777217], dtype="int32") ** 1).asnumpy().tolist() == [2, 3, 16777216]
    got = mx.nd.broadcast_power(mx.nd.array([[2], [3]], dtype="uint8"),
                                mx.nd.array([1, 5, 8], dtype="uint8"))
    assert got.asnumpy().tolist() == [[2, 32, 0], [3, 243, 161]]
    assert (3 ** mx.nd.array([1, 20], dtype="int32")).asnumpy().tolist() == [3, -2147483648]


@with_seed()
def test_int_scalar_ops_cast_scalar():
    x = mx.nd.array([0, 44, 100, 255], dtype="uint8")
    assert mx.nd.maximum(x, -2.5).asnumpy().tolist() == [254, 254, 254, 255]
    assert mx.nd.minimum(x, 300).asnumpy().tolist() == [0, 44, 44, 44]
    assert (x + 300).asnumpy().tolist() == [44, 88, 144, 43]
    assert (x / 300).asnumpy().tolist() == [0, 1, 2, 5]
    assert (x % 300).asnumpy().tolist() == [0, 0, 12, 35]
    assert (mx.nd.array([5, -5], dtype="int32") > float("inf")).asnumpy().tolist() == [1, 1]
    assert mx.nd.array([0, 2, -3], dtype="int32").__rtruediv__(7).asnumpy().tolist() == \
        [-2147483648, 3, -2]


@with_seed()
def test_int_clip():
    x = mx.nd.array([0, 1, 2, 5, 200, 255], dtype="uint8")
    assert mx.nd.clip(x, -2.5, 3.5).asnumpy().tolist() == [0, 1, 2, 3, 3, 3]
    assert mx.nd.clip(x, 2, 1).asnumpy().tolist() == [2, 2, 1, 1, 1, 1]
    x = mx.nd.array([-5, -1, 0, 1, 5, 127], dtype="int8")
    assert mx.nd.clip(x, 1.5, 2.5).asnumpy().tolist() == [1, 1, 1, 1, 2, 2]


@with_seed()
def test_int_div_mod_semantics():
    a = np.array([-7, -3, 1, 3, 7, 100, -128, 127])
    b = np.array([2, -2, 3, -4, 3, 7, -1, 2])
    for dt in ("int8", "int32", "int64"):
        x, y = mx.nd.array(a, dtype=dt), mx.nd.array(b, dtype=dt)
        q = mx.nd.broadcast_div(x, y).asnumpy()
        assert q.tolist() == np.trunc(a / b).astype(dt).tolist(), (dt, q)
        r = mx.nd.broadcast_mod(x, y).asnumpy()
        assert r.tolist() == np.mod(a, b).astype(dt).tolist(), (dt, r)
        assert (x % 3).asnumpy().tolist() == np.mod(a, 3).astype(dt).tolist()
        assert (x / 2.5).asnumpy().tolist() == np.trunc(a / 2).astype(dt).tolist()
    x = mx.nd.array(a, dtype="float32")
    assert_almost_equal((x % -2.5).asnumpy(), np.mod(a, -2.5).astype(np.float32))
    assert_almost_equal(mx.nd.broadcast_mod(x, mx.nd.array(b, dtype="float32")).asnumpy(),
                        np.mod(a, b).astype(np.float32))


@with_seed()
def test_int_overflow_wraps():
    x = mx.nd.array([100, 127, -128], dtype="int8")
    assert (x + x).asnumpy().tolist() == [-56, -2, 0]
    assert (x * 3).asnumpy().tolist() == [44, 125, -128]
    assert mx.nd.sum(x).asnumpy().tolist() == [99]
    u = mx.nd.array([250, 3], dtype="uint8")
    assert (u - 5).asnumpy().tolist() == [245, 254]
    assert mx.nd.negative(u).asnumpy().tolist() == [6, 253]


@with_seed()
def test_reduce_exclude_keepdims():
    x = np.random.uniform(-1, 1, (2, 3, 4, 5))
    for op, ref in [("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min),
                    ("prod", np.prod), ("nansum", np.nansum)]:
        for axis, keep, excl in itertools.product([(1,), (0, 2), (-1, 1), ()], [True, False],
                                                  [True, False]):
            if axis == () and excl:
                continue
            got = getattr(mx.nd, op)(mx.nd.array(x), axis=axis, keepdims=keep, exclude=excl)
            axes = tuple(a % 4 for a in axis)
            if excl:
                axes = tuple(i for i in range(4) if i not in axes)
            if axis == ():
                exp = ref(x.astype(np.float32), keepdims=keep) if keep else np.array([ref(x.astype(np.float32))])
            else:
                exp = ref(x.astype(np.float32), axis=axes, keepdims=keep)
            assert got.shape == np.shape(exp) or (not keep and axis == ()), (op, axis, keep, excl, got.shape)
            assert_almost_equal(got.asnumpy().reshape(np.shape(exp)), exp, rtol=1e-4, atol=1e-5)
    data = mx.sym.Variable("data")
    for op in (mx.sym.sum, mx.sym.mean, mx.sym.max, mx.sym.prod):
        check_numeric_gradient(op(data, axis=(1,), exclude=True, keepdims=True),
                               [np.random.uniform(0.5, 1.5, (2, 3, 2))], numeric_eps=1e-3,
                               rtol=1e-2, atol=1e-3)


@with_seed()
def test_norm_ord_axis_keepdims():
    x = np.random.uniform(-1, 1, (3, 4, 5))
    for ord_, axis, keep in itertools.product((1, 2), (None, 0, -1, (0, 2), (1, 2)), (True, False)):
        got = mx.nd.norm(mx.nd.array(x), ord=ord_, axis=axis, keepdims=keep)
        ax = axis if axis is not None else (0, 1, 2)
        ax = (ax,) if isinstance(ax, int) else ax
        if ord_ == 1:
            exp = np.abs(x).sum(axis=ax, keepdims=keep)
        else:
            exp = np.sqrt((x ** 2).sum(axis=ax, keepdims=keep))
        if axis is None and not keep:
            exp = exp.reshape(1)
        assert got.shape == exp.shape, (ord_, axis, keep, got.shape, exp.shape)
        assert_almost_equal(got.asnumpy(), exp, rtol=1e-4, atol=1e-5)
    data = mx.sym.Variable("data")
    for ord_ in (1, 2):
        check_numeric_gradient(mx.sym.norm(data, ord=ord_, axis=1),
                               [np.random.uniform(0.5, 1.5, (3, 4)) * np.array([1, -1, 1, -1])],
                               numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_broadcast_ops_gradients_reduce():
    a = np.random.uniform(0.5, 1.5, (2, 1, 4))
    b = np.random.uniform(0.5, 1.5, (1, 3, 1))
    l, r = mx.sym.Variable("lhs"), mx.sym.Variable("rhs")
    for op in (mx.sym.broadcast_add, mx.sym.broadcast_sub, mx.sym.broadcast_mul, mx.sym.broadcast_div,
               mx.sym.broadcast_power, mx.sym.broadcast_maximum, mx.sym.broadcast_minimum,
               mx.sym.broadcast_hypot):
        check_numeric_gradient(op(l, r), [a, b], numeric_eps=1e-4, rtol=1e-2, atol=1e-3)
    # mod gradient
    exe = mx.sym.broadcast_mod(l, r).simple_bind(ctx=mx.cpu(), lhs=a.shape, rhs=b.shape)
    exe.arg_dict["lhs"][:] = a * 3
    exe.arg_dict["rhs"][:] = b
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones((2, 3, 4))])
    assert_almost_equal(exe.grad_dict["lhs"].asnumpy(), np.full(a.shape, 3.0))
    exp = -np.floor((a * 3).astype(np.float32) / b.astype(np.float32)).sum(axis=(0, 2), keepdims=True)
    assert_almost_equal(exe.grad_dict["rhs"].asnumpy(), exp, rtol=1e-4, atol=1e-4)


@with_seed()
def test_broadcast_to_like_axis():
    x = np.random.uniform(-1, 1, (2, 1, 3))
    assert_almost_equal(mx.nd.broadcast_to(mx.nd.array(x), shape=(2, 4, 3)).asnumpy(),
                        np.broadcast_to(x, (2, 4, 3)).astype(np.float32))
    assert mx.nd.broadcast_to(mx.nd.array(x), shape=(0, 5, 0)).shape == (2, 5, 3)
    assert mx.nd.broadcast_axis(mx.nd.array(x), axis=1, size=4).shape == (2, 4, 3)
    assert mx.nd.broadcast_axes(mx.nd.zeros((1, 2, 1)), axis=(0, 2), size=(3, 4)).shape == (3, 2, 4)
    out = mx.nd.broadcast_like(mx.nd.zeros((1, 2, 1)), mx.nd.zeros((5, 2, 6)), lhs_axes=(0,), rhs_axes=(2,))
    assert out.shape == (6, 2, 1)
    data = mx.sym.Variable("data")
    check_numeric_gradient(mx.sym.broadcast_axis(data, axis=(0, 2), size=(2, 3)),
                           [np.random.uniform(-1, 1, (1, 2, 1))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


# ---------------------------------------------------------------- linalg
def _spd(n, batch=()):
    a = np.random.uniform(-1, 1, batch + (n, n))
    return np.matmul(a, np.swapaxes(a, -1, -2)) + n * np.eye(n)


@with_seed()
def test_linalg_gemm_gemm2_options():
    A = np.random.uniform(-1, 1, (2, 3, 4))
    B = np.random.uniform(-1, 1, (2, 4, 5))
    C = np.random.uniform(-1, 1, (2, 3, 5))
    out = mx.nd.linalg.gemm(mx.nd.array(A), mx.nd.array(B), mx.nd.array(C), alpha=2.0, beta=0.5)
    assert_almost_equal(out.asnumpy(), 2 * A @ B + 0.5 * C, rtol=1e-4, atol=1e-5)
    out = mx.nd.linalg.gemm(mx.nd.array(A.transpose(0, 2, 1)), mx.nd.array(B.transpose(0, 2, 1)),
                            mx.nd.array(C), transpose_a=True, transpose_b=True)
    assert_almost_equal(out.asnumpy(), A @ B + C, rtol=1e-4, atol=1e-5)
    out = mx.nd.linalg.gemm2(mx.nd.array(A), mx.nd.array(B), alpha=-1.5)
    assert_almost_equal(out.asnumpy(), -1.5 * A @ B, rtol=1e-4, atol=1e-5)
    # axis: the matrix rows live at axis -3
    A2 = A.transpose(1, 0, 2)
    B2 = B.transpose(1, 0, 2)
    out = mx.nd.linalg.gemm2(mx.nd.array(A2), mx.nd.array(B2), axis=-3)
    assert_almost_equal(out.asnumpy(), (A @ B).transpose(1, 0, 2), rtol=1e-4, atol=1e-5)
    a, b, c = mx.sym.Variable("A"), mx.sym.Variable("B"), mx.sym.Variable("C")
    check_numeric_gradient(mx.sym.linalg.gemm(a, b, c, alpha=0.7, beta=1.3, transpose_b=True),
                           [A[:, :2, :3], B[:, :2, :3], C[:, :2, :2]], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_linalg_potrf_potri_trsm_trmm():
    S = _spd(3, (2,))
    L = np.linalg.cholesky(S)
    out = mx.nd.linalg.potrf(mx.nd.array(S, dtype="float64"))
    assert_almost_equal(out.asnumpy(), L, rtol=1e-6, atol=1e-8)
    inv = mx.nd.linalg.potri(mx.nd.array(L, dtype="float64"))
    assert_almost_equal(inv.asnumpy(), np.linalg.inv(S), rtol=1e-5, atol=1e-7)
    B = np.random.uniform(-1, 1, (2, 3, 4))
    out = mx.nd.linalg.trsm(mx.nd.array(L, dtype="float64"), mx.nd.array(B, dtype="float64"), alpha=2.0)
    assert_almost_equal(out.asnumpy(), 2 * np.linalg.solve(L, B), rtol=1e-5, atol=1e-7)
    out = mx.nd.linalg.trsm(mx.nd.array(L, dtype="float64"), mx.nd.array(B, dtype="float64"),
                            transpose=True)
    assert_almost_equal(out.asnumpy(), np.linalg.solve(np.swapaxes(L, 1, 2), B), rtol=1e-5, atol=1e-7)
    Bt = np.random.uniform(-1, 1, (2, 4, 3))
    out = mx.nd.linalg.trsm(mx.nd.array(L, dtype="float64"), mx.nd.array(Bt, dtype="float64"),
                            rightside=True)
    assert_almost_equal(out.asnumpy(), Bt @ np.linalg.inv(L), rtol=1e-5, atol=1e-7)
    out = mx.nd.linalg.trsm(mx.nd.array(L, dtype="float64"), mx.nd.array(Bt, dtype="float64"),
                            rightside=True, transpose=True, lower=True)
    assert_almost_equal(out.asnumpy(), Bt @ np.linalg.inv(np.swapaxes(L, 1, 2)), rtol=1e-5, atol=1e-7)
    U = np.swapaxes(L, 1, 2)
    out = mx.nd.linalg.trsm(mx.nd.array(U, dtype="float64"), mx.nd.array(B, dtype="float64"), lower=False)
    assert_almost_equal(out.asnumpy(), np.linalg.solve(U, B), rtol=1e-5, atol=1e-7)
    out = mx.nd.linalg.trmm(mx.nd.array(L), mx.nd.array(B), alpha=0.5)
    assert_almost_equal(out.asnumpy(), 0.5 * L @ B, rtol=1e-4, atol=1e-5)
    out = mx.nd.linalg.trmm(mx.nd.array(L), mx.nd.array(Bt), rightside=True, transpose=True)
    assert_almost_equal(out.asnumpy(), Bt @ U, rtol=1e-4, atol=1e-5)
    # trmm only reads the lower (or upper) triangle
    full = L + np.triu(np.random.uniform(-1, 1, (3, 3)), 1)
    out = mx.nd.linalg.trmm(mx.nd.array(full), mx.nd.array(B))
    assert_almost_equal(out.asnumpy(), L @ B, rtol=1e-4, atol=1e-5)


@with_seed()
def test_linalg_syrk_gelqf_syevd():
    A = np.random.uniform(-1, 1, (2, 3, 4))
    out = mx.nd.linalg.syrk(mx.nd.array(A), alpha=2.0)
    assert_almost_equal(out.asnumpy(), 2 * A @ A.transpose(0, 2, 1), rtol=1e-4, atol=1e-5)
    out = mx.nd.linalg.syrk(mx.nd.array(A), transpose=True)
    assert_almost_equal(out.asnumpy(), A.transpose(0, 2, 1) @ A, rtol=1e-4, atol=1e-5)
    Q, Lq = mx.nd.linalg.gelqf(mx.nd.array(A, dtype="float64"))
    Q, Lq = Q.asnumpy(), Lq.asnumpy()
    assert Q.shape == (2, 3, 4) and Lq.shape == (2, 3, 3)
    assert_almost_equal(Lq @ Q, A, rtol=1e-6, atol=1e-8)
    assert_almost_equal(Q @ Q.transpose(0, 2, 1), np.stack([np.eye(3)] * 2), rtol=1e-6, atol=1e-8)
    assert np.allclose(np.triu(Lq, 1), 0)
    S = _spd(4)
    U, lam = mx.nd.linalg.syevd(mx.nd.array(S, dtype="float64"))
    U, lam = U.asnumpy(), lam.asnumpy()
    assert_almost_equal(lam, np.linalg.eigvalsh(S), rtol=1e-6, atol=1e-8)
    assert_almost_equal(U.T @ np.diag(lam) @ U, S, rtol=1e-6, atol=1e-8)
    a = mx.sym.Variable("A")
    check_numeric_gradient(mx.sym.linalg.syrk(a, alpha=0.5), [A[0]], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_linalg_det_inverse_slogdet_extract():
    A = np.random.uniform(-1, 1, (3, 4, 4)) + 2 * np.eye(4)
    assert_almost_equal(mx.nd.linalg.det(mx.nd.array(A)).asnumpy(), np.linalg.det(A), rtol=1e-3, atol=1e-4)
    assert_almost_equal(mx.nd.linalg.inverse(mx.nd.array(A)).asnumpy(), np.linalg.inv(A), rtol=1e-3, atol=1e-4)
    sign, logdet = mx.nd.linalg.slogdet(mx.nd.array(A))
    s_ref, l_ref = np.linalg.slogdet(A)
    assert_almost_equal(sign.asnumpy(), s_ref)
    assert_almost_equal(logdet.asnumpy(), l_ref, rtol=1e-4, atol=1e-5)
    S = _spd(3, (2,))
    L = np.linalg.cholesky(S)
    out = mx.nd.linalg.sumlogdiag(mx.nd.array(L))
    assert_almost_equal(out.asnumpy(), np.log(np.diagonal(L, axis1=1, axis2=2)).sum(-1), rtol=1e-5, atol=1e-6)
    for offset in (0, 1, -2):
        d = mx.nd.linalg.extractdiag(mx.nd.array(A), offset=offset)
        assert_almost_equal(d.asnumpy(), np.diagonal(A, offset=offset, axis1=1, axis2=2))
        back = mx.nd.linalg.makediag(d, offset=offset)
        assert back.shape == A.shape[:1] + (4, 4)
    tri = mx.nd.linalg.extracttrian(mx.nd.array(A), offset=0, lower=True)
    assert tri.shape == (3, 10)
    full = mx.nd.linalg.maketrian(tri, offset=0, lower=True)
    assert_almost_equal(full.asnumpy(), np.tril(A).astype(np.float32))
    tri = mx.nd.linalg.extracttrian(mx.nd.array(A), offset=1)
    assert tri.shape == (3, 6)
    full = mx.nd.linalg.maketrian(tri, offset=1)
    assert_almost_equal(full.asnumpy(), np.triu(A, 1).astype(np.float32))
    a = mx.sym.Variable("A")
    check_numeric_gradient(mx.sym.linalg.inverse(a), [A[0]], numeric_eps=1e-4, rtol=2e-2, atol=1e-3)


@with_seed()
def test_linalg_errors():
    assertRaises(MXNetError, lambda: mx.nd.linalg.gemm2(mx.nd.ones((2, 3)), mx.nd.ones((2, 3))).wait_to_read())
    assertRaises(MXNetError, lambda: mx.nd.linalg.potrf(mx.nd.ones((2, 3))).wait_to_read())


@with_seed()
def test_dot_transpose_flags_and_batch_dot():
    A = np.random.uniform(-1, 1, (3, 4))
    B = np.random.uniform(-1, 1, (4, 5))
    for ta, tb in itertools.product((False, True), repeat=2):
        a = A.T if ta else A
        b = B.T if tb else B
        out = mx.nd.dot(mx.nd.array(a), mx.nd.array(b), transpose_a=ta, transpose_b=tb)
        assert_almost_equal(out.asnumpy(), A @ B, rtol=1e-4, atol=1e-5)
        Ab = np.random.uniform(-1, 1, (2, 3, 4))
        Bb = np.random.uniform(-1, 1, (2, 4, 5))
        out = mx.nd.batch_dot(mx.nd.array(Ab.transpose(0, 2, 1) if ta else Ab),
                              mx.nd.array(Bb.transpose(0, 2, 1) if tb else Bb), transpose_a=ta,
                              transpose_b=tb)
        assert_almost_equal(out.asnumpy(), Ab @ Bb, rtol=1e-4, atol=1e-5)
    # N-d dot contracts the last axis of lhs with the first of rhs
    X = np.random.uniform(-1, 1, (2, 3, 4))
    Y = np.random.uniform(-1, 1, (4, 2, 2))
    out = mx.nd.dot(mx.nd.array(X), mx.nd.array(Y))
    assert_almost_equal(out.asnumpy(), np.tensordot(X, Y, axes=1), rtol=1e-4, atol=1e-5)
    out = mx.nd.dot(mx.nd.array(X), mx.nd.array(np.random.uniform(-1, 1, (2, 3, 5))), transpose_a=True)
    assert out.shape == (3, 4, 3, 5)
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    check_numeric_gradient(mx.sym.dot(x, y, transpose_a=True), [A.T, B], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(mx.sym.batch_dot(x, y, transpose_b=True),
                           [np.random.uniform(-1, 1, (2, 2, 3)), np.random.uniform(-1, 1, (2, 4, 3))],
                           numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


if __name__ == "__main__":
    main(globals())
