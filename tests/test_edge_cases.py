"""Dense edge cases checked against MXNet 1.9.1 (issue 13 item 7): gradients at the poles of
cbrt/rcbrt/gammaln, ``x % 0``, ``smooth_l1`` with ``scalar=0`` and ``nag_mom_update`` with
``out=weight``. Every expected value below was printed by MXNet 1.9.1 (tolerances: rtol 1e-6
for float32, 1e-12 for float64; infinities, NaNs and signs of zero must match exactly)."""
import numpy as np
import pytest

import mxtorch as mx

nd = mx.nd
INF = np.inf
POINTS = [0.0, -0.0, -1.0, -2.0, 1.0, 8.0]


def _value_and_grad(fn, values, dtype):
    x = nd.array(values, dtype=dtype)
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
    y.backward()
    return y.asnumpy(), x.grad.asnumpy()


def _same(got, want, dtype="float32"):
    want = np.asarray(want, dtype=got.dtype)
    rtol = 1e-12 if dtype == "float64" else 1e-6
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0)
    zeros = want == 0
    assert np.array_equal(np.signbit(got[zeros]), np.signbit(want[zeros])), (got, want)


# ---- poles ----------------------------------------------------------------------------------

POLE_CASES = {
    "cbrt": ([0.0, -0.0, -1.0, -1.2599210739135742, 1.0, 2.0],
             [INF, INF, 0.3333333432674408, 0.2099868357181549, 0.3333333432674408,
              0.0833333358168602]),
    "rcbrt": ([INF, -INF, -1.0, -0.7937005162239075, 1.0, 0.5],
              [-INF, -INF, -0.3333333432674408, -0.13228341937065125, -0.3333333432674408,
               -0.02083333395421505]),
    "gammaln": ([INF, INF, INF, INF, 0.0, 8.525161743164062],
                [INF, INF, INF, INF, -0.5772156715393066, 2.015641689300537]),
}


@pytest.mark.parametrize("name", sorted(POLE_CASES))
def test_pole_gradients_float32(name):
    value, grad = _value_and_grad(getattr(nd, name), POINTS, "float32")
    _same(value, POLE_CASES[name][0])
    _same(grad, POLE_CASES[name][1])


def test_pole_gradients_float64():
    _, grad = _value_and_grad(nd.cbrt, POINTS, "float64")
    _same(grad, [INF, INF, 1 / 3, 0.20998684164914547, 1 / 3, 0.08333333333333333], "float64")
    _, grad = _value_and_grad(nd.rcbrt, POINTS, "float64")
    _same(grad, [-INF, -INF, -1 / 3, -0.13228342099734994, -1 / 3, -0.020833333333333332],
          "float64")
    # MXNet's float64 digamma answers the largest double at the poles (float32: inf)
    _, grad = _value_and_grad(nd.gammaln, POINTS, "float64")
    big = np.finfo(np.float64).max
    _same(grad, [big, big, big, big, -0.5772156649015329, 2.0156414779556098], "float64")


def test_pole_gradients_keep_graph_for_second_order():
    x = nd.array([8.0, -1.0])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.cbrt(x)
        (g,) = mx.autograd.grad(y, [x], create_graph=True)
        z = g.sum()
    z.backward()
    # d2/dx2 x^(1/3) = -2/9 x^(-5/3)
    np.testing.assert_allclose(x.grad.asnumpy(), [-2 / 9 / 32, 2 / 9], rtol=1e-5)


# ---- x % 0 ----------------------------------------------------------------------------------

MOD_LHS = {"f": [5, -5, 7, 0, 3.5], "i": [5, -5, 7, 0, 3]}
MOD_RHS = [0, 0, 2, 0, -2]
MOD_WANT = {"f": [0.0, 0.0, 1.0, 0.0, -0.5], "i": [0, 0, 1, 0, -1]}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int32", "int64", "int8"])
def test_mod_by_zero_is_zero(dtype):
    kind = "f" if dtype.startswith("f") else "i"
    a, b = nd.array(MOD_LHS[kind], dtype=dtype), nd.array(MOD_RHS, dtype=dtype)
    for got in (a % b, nd.broadcast_mod(a, b), nd._internal._mod(a, b)):
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got.asnumpy(), MOD_WANT[kind])
    for got in (a % 0, nd._internal._mod_scalar(a, scalar=0)):
        np.testing.assert_array_equal(got.asnumpy(), np.zeros(5))
    want_r = [0, 0, 1, 0, -1]  # 5 % [0, 0, 2, 0, -2]
    for got in (5 % b, nd._internal._rmod_scalar(b, scalar=5)):
        np.testing.assert_array_equal(got.asnumpy(), want_r)


def test_mod_uint8_and_broadcast():
    a = nd.array([5, 251, 7, 0, 3], dtype="uint8")
    b = nd.array([0, 0, 2, 0, 254], dtype="uint8")
    np.testing.assert_array_equal((a % b).asnumpy(), [0, 0, 1, 0, 3])
    got = nd.broadcast_mod(nd.array([[5, -5], [7, 0]]), nd.array([0, 2]))
    np.testing.assert_array_equal(got.asnumpy(), [[0, 1], [0, 0]])
    got = nd.broadcast_mod(nd.array([[5, -5], [7, 0]], dtype="int32"),
                           nd.array([0, 2], dtype="int32"))
    np.testing.assert_array_equal(got.asnumpy(), [[0, 1], [0, 0]])


def test_mod_by_zero_gradients():
    a, b = nd.array([5, -5, 7]), nd.array([0, 0, 2])
    a.attach_grad()
    b.attach_grad()
    with mx.autograd.record():
        y = nd.broadcast_mod(a, b)
    y.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), [1, 1, 1])
    np.testing.assert_array_equal(b.grad.asnumpy(), [-INF, INF, -3])
    with mx.autograd.record():
        y = a % 0
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [0, 0, 0])
    np.testing.assert_array_equal(a.grad.asnumpy(), [1, 1, 1])
    with mx.autograd.record():
        y = 5 % b
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [0, 0, 1])
    np.testing.assert_array_equal(b.grad.asnumpy(), [-INF, -INF, -2])


def test_broadcast_mod_gradient_reduces_to_input_shapes():
    a, b = nd.array([[5, -5], [7, 3]]), nd.array([0, 2])
    a.attach_grad()
    b.attach_grad()
    with mx.autograd.record():
        y = nd.broadcast_mod(a, b)
    y.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), np.ones((2, 2)))
    np.testing.assert_array_equal(b.grad.asnumpy(), [-INF, 2])  # -(floor(-5/2) + floor(3/2))


# ---- smooth_l1 with sigma 0 -----------------------------------------------------------------

@pytest.mark.parametrize("scalar", [0, 0.0])
def test_smooth_l1_sigma_zero(scalar):
    x = nd.array([-2, -0.5, 0, 0.5, 2])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.smooth_l1(x, scalar=scalar)
    y.backward()
    _same(y.asnumpy(), [0.0] * 5)
    _same(x.grad.asnumpy(), [-0.0, -0.0, 0.0, 0.0, 0.0])


# ---- nag_mom_update with out=weight ---------------------------------------------------------

W, G, M = [1.0, -2.0, 3.0, 0.5], [0.5, 0.25, -1.0, 4.0], [0.1, -0.2, 0.3, 0.0]
NAG_CASES = [  # kwargs, new weight (both forms), momentum with a separate out, with out=weight
    (dict(lr=0.1, momentum=0.9),
     [0.9860000014305115, -2.2095000743865967, 3.433000087738037, -0.25999999046325684],
     [0.03999999538064003, -0.20499999821186066, 0.3700000047683716, -0.4000000059604645],
     [0.03999999538064003, -0.20499999821186066, 0.3700000047683716, -0.4000000059604645]),
    (dict(lr=0.1, momentum=0.9, wd=0.1),
     [0.9670000076293945, -2.1714999675750732, 3.375999927520752, -0.26950007677078247],
     [0.0299999937415123, -0.1849999874830246, 0.3400000035762787, -0.4050000309944153],
     [0.03032999485731125, -0.18328499794006348, 0.3362400233745575, -0.3973049819469452]),
    (dict(lr=0.1, momentum=0.9, wd=0.1, rescale_grad=0.5, clip_gradient=0.3),
     [1.0145000219345093, -2.147749900817871, 3.243000030517578, 0.4334999918937683],
     [0.05499999597668648, -0.17249998450279236, 0.27000001072883606, -0.03500000387430191],
     [0.054854996502399445, -0.17102248966693878, 0.26757001876831055, -0.034335002303123474]),
    (dict(lr=0.1, momentum=0.0, wd=0.2),
     [0.9300000071525574, -1.9850000143051147, 3.0399999618530273, 0.09000000357627869],
     [-0.07000000029802322, 0.015000000596046448, 0.03999999910593033, -0.4099999964237213],
     [-0.06859999895095825, 0.014700002036988735, 0.03920000419020653, -0.4018000066280365]),
]


@pytest.mark.parametrize("kwargs,weight,mom_separate,mom_aliased", NAG_CASES)
def test_nag_mom_update_out_aliasing(kwargs, weight, mom_separate, mom_aliased):
    w, g, m = nd.array(W), nd.array(G), nd.array(M)
    out = nd.zeros(4)
    nd.nag_mom_update(w, g, m, out=out, **kwargs)
    np.testing.assert_allclose(out.asnumpy(), weight, rtol=1e-6)
    np.testing.assert_allclose(m.asnumpy(), mom_separate, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(w.asnumpy(), W)
    # MXNet writes the new weight first: with out=weight the momentum's weight decay reads it
    w, m = nd.array(W), nd.array(M)
    nd.nag_mom_update(w, g, m, out=w, **kwargs)
    np.testing.assert_allclose(w.asnumpy(), weight, rtol=1e-6)
    np.testing.assert_allclose(m.asnumpy(), mom_aliased, rtol=1e-6, atol=1e-8)
