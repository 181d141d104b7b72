"""``mx.np.random`` / ``mx.sym.np.random`` / ``npx.random.bernoulli`` with array-valued
parameters: MXNet 1.9.1's output shapes (more in tools/np_diff.py's fixture), its operator
encoding (array parameters are inputs, their attribute None), its gradients (pathwise for
normal/exponential/weibull/pareto, none for uniform/gamma) and moments of the draws
(tolerances: 5 standard errors or as stated)."""
import json

import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import autograd, np, npx

A = [1.0, 2.0, 3.0]
COL = [[1.0], [2.0]]


@pytest.mark.parametrize("expr,shape", [
    # (sampler call, output shape in MXNet 1.9.1)
    ("np.random.gamma(a)", (3,)), ("np.random.gamma(a, size=(2, 3))", (2, 3)),
    ("np.random.gamma(a, col)", (2, 3)), ("np.random.gamma(2.0, col)", (2, 1)),
    ("np.random.gamma(a, col, size=(4, 2, 3))", (4, 2, 3)),
    ("np.random.weibull(col, size=(2, 3))", (2, 3)), ("np.random.pareto(a)", (3,)),
    ("np.random.power(a, size=(2, 3))", (2, 3)), ("np.random.normal(a, col)", (2, 3)),
    ("np.random.uniform(a, 5.0, size=(2, 3))", (2, 3)), ("np.random.beta(a, col)", (2, 3)),
    ("np.random.chisquare(a, size=(2, 3))", (2, 3)), ("np.random.lognormal(a, col)", (2, 3)),
    ("npx.random.bernoulli(a / 4, size=(2, 3))", (2, 3)),
])
def test_array_parameter_shapes(expr, shape):
    a, col = np.array(A), np.array(COL)  # noqa: F841 - used by expr
    out = eval(expr)
    assert out.shape == shape and out.dtype == onp.float32


@pytest.mark.parametrize("expr", ["np.random.gamma(a, size=(4,))",
                                  "np.random.weibull(a, size=(3, 2))",
                                  "np.random.normal(a, size=(4,))"])
def test_size_must_take_the_parameters(expr):
    a = np.array(A)  # noqa: F841
    with pytest.raises(mx.base.MXNetError, match="do not broadcast to size"):
        eval(expr)


@pytest.mark.parametrize("expr", ["np.random.weibull(np.array([1.0, -1.0]))",
                                  "np.random.pareto(np.array([0.0, 1.0]))",
                                  "np.random.power(-1.0)", "np.random.gamma(np.array([-1.0]))",
                                  "npx.random.bernoulli(np.array([1.5]))"])
def test_invalid_parameters_raise(expr):
    # 1.9.1 checks some of these asynchronously (weibull: "expect a > 0") or not at all
    with pytest.raises((ValueError, mx.base.MXNetError), match="invalid"):
        eval(expr)


def test_moments_follow_array_parameters():
    npx.random.seed(7)
    n = 20000
    shape, scale = np.array([0.5, 2.0, 5.0]), np.array([[1.0], [3.0]])
    g = np.random.gamma(shape, scale, size=(n, 2, 3)).asnumpy().astype("float64")
    want = shape.asnumpy() * scale.asnumpy()
    err = onp.sqrt(shape.asnumpy()) * scale.asnumpy() / onp.sqrt(n)
    assert onp.all(onp.abs(g.mean(0) - want) < 5 * err)
    a = np.array([0.5, 1.0, 4.0])
    w = np.random.weibull(a, size=(n, 3)).asnumpy().astype("float64")
    from math import gamma as G
    assert onp.allclose(w.mean(0), [G(1 + 1 / x) for x in (0.5, 1.0, 4.0)], rtol=0.08)
    p = np.random.pareto(np.array([3.0, 5.0]), size=(n, 2)).asnumpy().astype("float64")
    assert onp.allclose(p.mean(0), [1 / 2, 1 / 4], rtol=0.08)
    pw = np.random.power(np.array([1.0, 3.0]), size=(n, 2)).asnumpy().astype("float64")
    assert onp.allclose(pw.mean(0), [1 / 2, 3 / 4], rtol=0.03)
    b = npx.random.bernoulli(np.array([0.1, 0.9]), size=(n, 2)).asnumpy()
    assert onp.allclose(b.mean(0), [0.1, 0.9], atol=0.02)


def _grad(fn):
    p = np.array([1.0, 2.0])
    p.attach_grad()
    with autograd.record():
        y = fn(p)
    y.backward()
    return y.asnumpy(), p.grad.asnumpy()


def test_gradients_as_mxnet():
    y, g = _grad(lambda p: np.random.normal(p, 2.0))
    assert onp.allclose(g, 1.0)
    y, g = _grad(lambda p: np.random.normal(0.0, p))
    assert onp.allclose(g, y / onp.array([1.0, 2.0]), rtol=1e-5)
    y, g = _grad(lambda p: np.random.exponential(p))
    assert onp.allclose(g, y / onp.array([1.0, 2.0]), rtol=1e-5)
    y, g = _grad(lambda p: np.random.weibull(p))
    a = onp.array([1.0, 2.0])
    assert onp.allclose(g, -y * onp.log(y) / a, rtol=1e-4, atol=1e-6)
    y, g = _grad(lambda p: np.random.pareto(p))
    assert onp.allclose(g, -(y + 1) * onp.log1p(y) / a, rtol=1e-4, atol=1e-6)
    for fn in (lambda p: np.random.uniform(p, 5.0), lambda p: np.random.gamma(p)):
        assert onp.all(_grad(fn)[1] == 0)  # 1.9.1 has no gradient for these


def _nodes(sym):
    return [(n["op"], n.get("attrs"), len(n["inputs"])) for n in json.loads(sym.tojson())["nodes"]
            if n["op"] != "null"]


def test_symbol_encoding_matches_mxnet():
    a, b = mx.sym.var("a").as_np_ndarray(), mx.sym.var("b").as_np_ndarray()
    # the nodes MXNet 1.9.1 writes (it adds ctx/dtype; mxtorch writes only what was given)
    assert _nodes(mx.sym.np.random.gamma(2.0, b, size=(2, 3))) == [
        ("_npi_gamma", {"scale": "None", "shape": "2.0", "size": "(2, 3)"}, 1)]
    assert _nodes(mx.sym.np.random.gamma(a, b)) == [
        ("_npi_gamma", {"scale": "None", "shape": "None", "size": "None"}, 2)]
    assert _nodes(mx.sym.np.random.power(a, size=(2,))) == [
        ("_npi_powerd", {"a": "None", "size": "(2,)"}, 1)]
    assert _nodes(mx.sym.np.random.uniform(a, 2.0)) == [
        ("_npi_uniform", {"high": "2.0", "low": "None", "size": "None"}, 1)]


def test_symbol_samplers_run():
    a, b = mx.sym.var("a").as_np_ndarray(), mx.sym.var("b").as_np_ndarray()
    feed = {"a": np.array(A), "b": np.array(COL)}
    cases = [(mx.sym.np.random.gamma(a, b), (2, 3)), (mx.sym.np.random.beta(a, 2.0), (3,)),
             (mx.sym.np.random.chisquare(a, size=(2, 3)), (2, 3)),
             (mx.sym.np.random.lognormal(a, b), (2, 3)),
             (mx.sym.np.random.weibull(b, size=(2, 4)), (2, 4)),
             (mx.sym.np.random.choice(5, size=(4,)), (4,)),
             (mx.sym.npx.random.bernoulli(a / 4, size=(2, 3)), (2, 3))]
    for sym, shape in cases:
        args = {k: v for k, v in feed.items() if k in sym.list_arguments()}
        assert sym.eval(**args)[0].shape == shape
    mvn = mx.sym.np.random.multivariate_normal(a, b, size=(5,))
    assert mvn.eval(a=np.zeros(2), b=np.eye(2))[0].shape == (5, 2)


def test_hybridized_block_samples_with_array_parameters():
    class Noisy(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return x + F.np.random.normal(0.0, x * 0 + 1.0) * 0

    npx.set_np()
    try:
        net = Noisy()
        net.hybridize()
        out = net(np.ones((2, 3)))
        assert out.shape == (2, 3) and onp.allclose(out.asnumpy(), 1.0)
    finally:
        npx.reset_np()
