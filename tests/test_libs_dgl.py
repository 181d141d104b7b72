"""Patterns DGL 1.0's MXNet backend (DGLBACKEND=mxnet) relies on, without DGL or MXNet.

tools/libs/dgl/drive.py drives DGL itself against MXNet 1.9.1; values below came from the
oracle (exact arithmetic, compared exactly).
"""
import numpy as np

import mxtorch as mx
from mxtorch import autograd, nd


class _ScaledSum(autograd.Function):
    """Like DGL's GSpMM/GSDDMM: keeps its inputs by assigning ``saved_tensors`` directly and
    frees them in backward by assigning None."""

    def forward(self, x, w):
        self.saved_tensors = (x, w)
        return (x * w).sum(axis=1)

    def backward(self, grad):
        x, w = self.saved_tensors
        self.saved_tensors = None
        g = grad.reshape((-1, 1))
        return g * w, g * x


def test_function_saved_tensors_assigned_directly():
    x = nd.array([[1., 2., 3.], [4., 5., 6.]])
    w = nd.array([[0.5, -1., 2.]])
    x.attach_grad()
    w.attach_grad()
    func = _ScaledSum()
    with autograd.record():
        y = func(x, nd.broadcast_to(w, x.shape))
        loss = (y * nd.array([1., 3.])).sum()
    loss.backward()
    # MXNet 1.9.1: y = [4.5, 9], dx = [[0.5,-1,2],[1.5,-3,6]], dw = [[13,17,21]]
    np.testing.assert_array_equal(y.asnumpy(), [4.5, 9.])
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0.5, -1., 2.], [1.5, -3., 6.]])
    np.testing.assert_array_equal(w.grad.asnumpy(), [[13., 17., 21.]])


def test_function_saved_tensors_attribute_semantics():
    func = autograd.Function()
    assert func.saved_tensors == ()
    func.saved_tensors = 5          # a plain attribute in MXNet: any value
    assert func.saved_tensors == 5
    func.save_for_backward(nd.ones((1,)), 2)
    assert len(func.saved_tensors) == 2 and func.saved_tensors[1] == 2


def test_function_outside_record_runs_forward_only():
    func = _ScaledSum()
    x, w = nd.array([[1., 2.]]), nd.array([[3., 4.]])
    y = func(x, w)
    np.testing.assert_array_equal(y.asnumpy(), [11.])
    saved = func.saved_tensors     # forward ran and kept its inputs (as in MXNet)
    assert saved[0] is x and saved[1] is w
