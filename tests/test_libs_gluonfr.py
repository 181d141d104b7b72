"""Patterns of GluonFR 1.0.2 (face recognition losses) and gluoncv2 0.0.64, run without the
libraries or MXNet.

Its margin losses subclass ``SoftmaxCrossEntropyLoss`` and finish with
``super().hybrid_forward(F, pred=..., label=..., sample_weight=...)``: the first input by
keyword, as MXNet 1.9.1's signature allows.
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd
from mxtorch.gluon.loss import L2Loss, SoftmaxCrossEntropyLoss


class _ScaledCE(SoftmaxCrossEntropyLoss):
    """Scale the logits, then the parent's loss with keyword inputs (GluonFR's pattern)."""

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        return super().hybrid_forward(F, pred=pred * 4, label=label, sample_weight=sample_weight)


class _KeywordL2(L2Loss):
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        return super().hybrid_forward(F, label=label, pred=pred)


def _expected_ce(pred, label):
    z = pred - pred.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return -logp[np.arange(len(label)), label.astype(int)]


@pytest.mark.parametrize("hybridize", [False, True])
def test_softmax_ce_subclass_passes_inputs_by_keyword(hybridize):
    rs = np.random.RandomState(0)
    pred = rs.randn(4, 5).astype("f4")
    label = np.array([0, 3, 1, 4], "f4")
    loss = _ScaledCE()
    if hybridize:
        loss.hybridize()
    x = mx.nd.array(pred)
    x.attach_grad()
    with autograd.record():
        out = loss(x, mx.nd.array(label))
    out.backward()
    np.testing.assert_allclose(out.asnumpy(), _expected_ce(pred * 4, label), rtol=1e-5, atol=1e-6)
    soft = np.exp(pred * 4 - (pred * 4).max(1, keepdims=True))
    soft /= soft.sum(1, keepdims=True)
    soft[np.arange(4), label.astype(int)] -= 1
    np.testing.assert_allclose(x.grad.asnumpy(), 4 * soft, rtol=1e-5, atol=1e-6)


def test_keyword_inputs_in_numpy_mode():
    rs = np.random.RandomState(1)
    pred, label = rs.randn(3, 5).astype("f4"), np.array([2, 0, 4], "f4")
    mx.npx.set_np()
    try:
        out = _ScaledCE()(mx.np.array(pred), mx.np.array(label))
        l2 = _KeywordL2()(mx.np.array(pred), mx.np.array(pred + 1))
    finally:
        mx.npx.reset_np()
    assert isinstance(out, mx.np.ndarray) and isinstance(l2, mx.np.ndarray)
    np.testing.assert_allclose(out.asnumpy(), _expected_ce(pred * 4, label), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(l2.asnumpy(), np.full(3, 0.5), rtol=1e-6)


class _Half(mx.autograd.Function):
    """gluoncv2's ShakeDrop pattern: a Function created inside hybrid_forward."""

    def forward(self, x):
        return x * 0.5

    def backward(self, dy):
        return dy * 0.5


class _ShakeBlock(mx.gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        return _Half()(x) + x


def test_function_in_hybridized_block_outside_record():
    # MXNet 1.9.1: outside record() a Function's forward runs on its inputs as given, so a
    # hybridized block can trace it with Symbols; values from 0.5 * x + x
    blk = _ShakeBlock()
    blk.hybridize()
    x = np.arange(6, dtype="f4").reshape(2, 3)
    np.testing.assert_allclose(blk(mx.nd.array(x)).asnumpy(), 1.5 * x)
    np.testing.assert_allclose(blk(mx.nd.array(x)).asnumpy(), 1.5 * x)  # cached graph
    sym = _Half()(mx.sym.var("s"))
    assert isinstance(sym, mx.sym.Symbol)


def test_function_instance_called_twice_raises_assertion():
    f = _Half()
    f(mx.nd.ones(2))
    with pytest.raises(AssertionError, match="only be called once"):
        f(mx.nd.ones(2))
    g = _Half()
    x = mx.nd.ones(2)
    x.attach_grad()
    with autograd.record():
        y = g(x)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [0.5, 0.5])
    with pytest.raises(AssertionError, match="only be called once"), autograd.record():
        g(x)
