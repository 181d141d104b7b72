"""mx.autograd with MXNet 1.9.1's semantics (expected values from the oracle)."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

nd, ag = mx.nd, mx.autograd


def test_write_overwrites_add_accumulates():
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    for _ in range(2):
        with ag.record():
            y = (x * x).sum()
        y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 4, 6])  # torch would give 4, 8, 12
    x.attach_grad(grad_req="add")
    for _ in range(2):
        with ag.record():
            y = (x * x).sum()
        y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [4, 8, 12])
    x.attach_grad(grad_req="null")
    with ag.record():
        y = x * 2
    assert x.grad is not None


def test_grad_buffer_identity_is_stable():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    buffer = x.grad
    with ag.record():
        y = x * 3
    y.backward()
    assert x.grad is buffer
    np.testing.assert_array_equal(buffer.asnumpy(), [3, 3])


def test_states():
    assert not ag.is_recording() and not ag.is_training()
    with ag.record(train_mode=False):
        assert ag.is_recording() and not ag.is_training()
    with ag.record():
        assert ag.is_recording() and ag.is_training()
        with ag.pause():
            assert not ag.is_recording() and not ag.is_training()
        with ag.predict_mode():
            assert ag.is_recording() and not ag.is_training()
    with ag.train_mode():
        assert not ag.is_recording() and ag.is_training()
    assert ag.set_recording(True) is False
    assert ag.set_recording(False) is True
    assert ag.set_training(True) is False
    assert ag.set_training(False) is True


def test_no_graph_outside_record():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    y = x * 2
    assert not y.to_torch().requires_grad
    with pytest.raises(MXNetError, match="record"):
        y.backward()
    with ag.record():
        with ag.pause():
            z = x * 2
    assert not z.to_torch().requires_grad


def test_head_grads_and_retain_graph():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * x
    y.backward(nd.array([10.0, 1.0]))
    np.testing.assert_array_equal(x.grad.asnumpy(), [20, 4])
    with ag.record():
        y = x * x
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 4])
    with ag.record():
        a, b = x * 2, x * 3
    ag.backward([a, b], [nd.ones(2), nd.array([2.0, 0.0])])
    np.testing.assert_array_equal(x.grad.asnumpy(), [8, 2])


def test_second_order():
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y = nd.sin(x)
        dy = ag.grad(y, x, create_graph=True)
        assert isinstance(dy, list) and len(dy) == 1
        z = dy[0].sum()
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), -np.sin([1, 2, 3]), rtol=1e-6)
    # beyond MXNet (whose x*x has no second derivative): products work too
    with ag.record():
        y = x * x * x
        dx = ag.grad(y, [x], create_graph=True)[0]
    dx.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 6 * np.array([1, 2, 3]), rtol=1e-6)


def test_grad_does_not_touch_buffers():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = (x * x).sum()
    g = ag.grad(y, [x])[0]
    np.testing.assert_array_equal(g.asnumpy(), [2, 4])
    np.testing.assert_array_equal(x.grad.asnumpy(), [0, 0])


def test_mark_variables():
    x = nd.array([1.0, 2.0])
    g = nd.zeros(2)
    ag.mark_variables([x], [g])
    with ag.record():
        y = x * 3
    y.backward()
    np.testing.assert_array_equal(g.asnumpy(), [3, 3])
    with pytest.raises(MXNetError, match="must match"):
        ag.mark_variables([x], [g, g])


def test_function():
    class Sigmoid(ag.Function):
        def forward(self, x):
            y = 1 / (1 + nd.exp(-x))
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            y, = self.saved_tensors
            return dy * y * (1 - y)

    x = nd.array([0.0, 1.0])
    x.attach_grad()
    with ag.record():
        m = Sigmoid()(x)
    m.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [0.25, 0.19661193], rtol=1e-6)
    np.testing.assert_allclose(Sigmoid()(nd.array([0.0])).asnumpy(), [0.5])


def test_detach_and_block_grad():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * 2 + (x * 5).detach() + nd.BlockGrad(x * 7)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 2])


def test_training_flag_reaches_operators():
    x = nd.ones((100, 100))
    with ag.record(train_mode=True):
        dropped = nd.Dropout(x, p=0.5)
    with ag.record(train_mode=False):
        kept = nd.Dropout(x, p=0.5)
    assert (dropped.asnumpy() == 0).mean() > 0.3
    np.testing.assert_array_equal(kept.asnumpy(), x.asnumpy())


def test_integer_arrays_have_gradients_through_casts():
    # MXNet 1.9.1: an integer gradient buffer; Cast's gradient is the cast-back gradient
    x = nd.array([1, 2], dtype="int32")
    x.attach_grad()
    assert x.grad.dtype == np.int32
    with ag.record():
        y = x.astype("float32") * 3
    y.backward()
    assert x.grad.asnumpy().tolist() == [3, 3]
