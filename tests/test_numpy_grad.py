"""Gradients of mx.np functions by central finite differences (float64, eps 1e-6,
rtol 1e-4 / atol 1e-6): loss = sum(f(x) * w) with fixed random weights w."""
import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import np

RNG = onp.random.RandomState(0)
X23 = RNG.uniform(0.5, 2.0, (2, 3))
SQ = onp.array([[2.0, 0.5], [0.3, 1.5]])

CASES = {
    "exp": (lambda x: np.exp(x), X23), "log": (lambda x: np.log(x), X23),
    "sqrt": (lambda x: np.sqrt(x), X23), "tanh": (lambda x: np.tanh(x), X23),
    "sin": (lambda x: np.sin(x), X23), "arctan": (lambda x: np.arctan(x), X23),
    "square": (lambda x: np.square(x), X23), "reciprocal": (lambda x: np.reciprocal(x), X23),
    "power": (lambda x: np.power(x, 3.0), X23), "rpow": (lambda x: 2.0 ** x, X23),
    "div": (lambda x: 1.0 / x + x / 3.0, X23), "mul": (lambda x: x * x[0], X23),
    "maximum": (lambda x: np.maximum(x, 1.0), X23), "hypot": (lambda x: np.hypot(x, x.T.T),
                                                              X23),
    "sum": (lambda x: np.sum(x, axis=0), X23), "mean": (lambda x: np.mean(x, axis=1), X23),
    "prod": (lambda x: np.prod(x, axis=1), X23), "std": (lambda x: np.std(x), X23),
    "var": (lambda x: np.var(x, axis=0, ddof=1), X23), "max": (lambda x: np.max(x, axis=1),
                                                               X23),
    "cumsum": (lambda x: np.cumsum(x, axis=1), X23),
    "reshape": (lambda x: np.reshape(x, (3, 2)) * np.arange(6).reshape(3, 2), X23),
    "transpose": (lambda x: np.transpose(x) @ x, X23),
    "concat": (lambda x: np.concatenate([x, x * x], axis=1), X23),
    "stack": (lambda x: np.stack([x, np.exp(x)]), X23),
    "split": (lambda x: np.split(x, 3, axis=1)[1] * 2, X23),
    "where": (lambda x: np.where(x > 1.0, x * x, -x), X23),
    "clip": (lambda x: np.clip(x, 0.8, 1.5), X23),
    "dot": (lambda x: np.dot(x, x.T), X23), "matmul": (lambda x: np.matmul(x.T, x), X23),
    "einsum": (lambda x: np.einsum("ij,kj->ik", x, x), X23),
    "tensordot": (lambda x: np.tensordot(x, x, axes=([1], [1])), X23),
    "norm": (lambda x: np.linalg.norm(x), X23),
    "inv": (lambda x: np.linalg.inv(x), SQ), "det": (lambda x: np.linalg.det(x), SQ),
    "pad": (lambda x: np.pad(x, ((1, 0), (0, 2)), mode="edge"), X23),
    "take": (lambda x: np.take(x, np.array([2, 0, 2], dtype="int64"), axis=1), X23),
    "tile": (lambda x: np.tile(x, (2, 1)), X23), "repeat": (lambda x: np.repeat(x, 2), X23),
    "flip": (lambda x: np.flip(x, 1) * x, X23), "roll": (lambda x: np.roll(x, 1) * x, X23),
    "getitem": (lambda x: x[1, 1:] * x[0, :2] + x[x > 1.0].sum(), X23),
    "broadcast_to": (lambda x: np.broadcast_to(x[0], (4, 3)), X23),
    "sort": (lambda x: np.sort(x, axis=1), X23),
    "swapaxes": (lambda x: np.swapaxes(x, 0, 1) * 2, X23),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name):
    fn, x0 = CASES[name]
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
    w = np.array(onp.random.RandomState(1).uniform(-1, 1, y.shape), dtype="float64")
    with mx.autograd.record():
        loss = (fn(x) * w).sum()
    loss.backward()
    grad = x.grad.asnumpy()

    def f(v):
        return float((fn(np.array(v, dtype="float64")) * w).sum().item())
    eps, num = 1e-6, onp.zeros_like(x0)
    for idx in onp.ndindex(x0.shape):
        plus, minus = x0.copy(), x0.copy()
        plus[idx] += eps
        minus[idx] -= eps
        num[idx] = (f(plus) - f(minus)) / (2 * eps)
    onp.testing.assert_allclose(grad, num, rtol=1e-4, atol=1e-6)
