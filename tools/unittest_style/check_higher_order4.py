"""Higher-order gradients in the style of MXNet's test_higher_order_grad.py (own code):
``autograd.grad(create_graph=True)`` repeated up to third order with random head gradients,
then compared to closed-form derivatives; second order through ``backward`` into ``x.grad``.

Run with tools/unittest_style/run.py (--only higher_order4).
"""
import math

import numpy as np

import mxnet as mx
from mxnet import autograd, nd
from mxnet.test_utils import *  # noqa: F401,F403
from _harness import main


def nth_order(x, op, grad_ops, orders, rtol=None, atol=None):
    """Differentiate ``op`` ``max(orders)`` times with random head gradients; compare the
    requested orders against ``grad_ops`` (closed forms) times the product of the heads."""
    if isinstance(orders, int):
        orders = [orders]
        grad_ops = grad_ops if isinstance(grad_ops, list) else [grad_ops]
    x = nd.array(x)
    x.attach_grad()
    expected = [g(x) for g in grad_ops]
    computed, heads = [], []
    with autograd.record():
        y = op(x)
        for order in range(1, max(orders) + 1):
            head = nd.random.normal(shape=x.shape)
            y = autograd.grad(heads=y, variables=x, head_grads=head, create_graph=True,
                              retain_graph=True)[0]
            if order in orders:
                computed.append(y)
            heads.append(head)
    for order, want, got in zip(orders, expected, computed):
        want = want.asnumpy()
        for h in heads[:order]:
            want = want * h.asnumpy()
        assert_almost_equal(want, got.asnumpy(), rtol=rtol, atol=atol)


def second_via_backward(x, op, grad_grad_op, rtol=None, atol=None):
    """First order with create_graph, then ``backward`` of it with a head: ``x.grad``."""
    x = nd.array(x)
    x.attach_grad()
    expect = grad_grad_op(x)
    head = nd.random.normal(shape=x.shape)
    with autograd.record():
        y = op(x)
        g = autograd.grad(heads=y, variables=x, head_grads=head, create_graph=True,
                          retain_graph=True)[0]
    head2 = nd.random.normal(shape=x.shape)
    g.backward(head2)
    assert_almost_equal(expect.asnumpy() * head.asnumpy() * head2.asnumpy(), x.grad.asnumpy(),
                        rtol=rtol, atol=atol)


def shapes():
    return [(3,), (2, 3), (2, 3, 2), rand_shape_nd(4, 3)]


def arrays(low=-2.0, high=2.0):
    return [np.random.uniform(low, high, s).astype(np.float32) for s in shapes()]


def test_sin():
    for a in arrays():
        nth_order(a, nd.sin, [lambda x: nd.cos(x), lambda x: -nd.sin(x),
                              lambda x: -nd.cos(x)], [1, 2, 3])


def test_cos():
    for a in arrays():
        nth_order(a, nd.cos, [lambda x: -nd.sin(x), lambda x: -nd.cos(x),
                              lambda x: nd.sin(x)], [1, 2, 3])


def test_tan():
    for a in arrays(-1, 1):
        nth_order(a, nd.tan, [lambda x: 2 * nd.tan(x) * (1 + nd.tan(x) ** 2)], 2)


def test_sinh_cosh_tanh():
    for a in arrays(-1, 1):
        nth_order(a, nd.sinh, [lambda x: nd.sinh(x)], 2)
        nth_order(a, nd.cosh, [lambda x: nd.cosh(x)], 2)
        nth_order(a, nd.tanh, [lambda x: 1 - nd.tanh(x) ** 2,
                               lambda x: -2 * nd.tanh(x) * (1 - nd.tanh(x) ** 2)], [1, 2])


def test_arcsin():
    for a in arrays(-0.9, 0.9):
        nth_order(a, nd.arcsin, [lambda x: x / (1 - x ** 2) ** 1.5], 2, atol=1e-4)


def test_arccos():
    for a in arrays(-0.9, 0.9):
        nth_order(a, nd.arccos, [lambda x: -x / (1 - x ** 2) ** 1.5], 2, atol=1e-4)


def test_arctan():
    for a in arrays(-0.9, 0.9):
        nth_order(a, nd.arctan, [lambda x: -2 * x / (1 + x ** 2) ** 2], 2)


def test_arcsinh():
    for a in arrays(-0.9, 0.9):
        nth_order(a, nd.arcsinh, [lambda x: -x / (x ** 2 + 1) ** 1.5], 2)


def test_arctanh():
    for a in arrays(-0.9, 0.9):
        nth_order(a, nd.arctanh, [lambda x: 2 * x / (1 - x ** 2) ** 2], 2, atol=1e-4)


def test_arccosh():
    for a in arrays(1.5, 3):
        nth_order(a, nd.arccosh, [lambda x: -x / (x ** 2 - 1) ** 1.5], 2)


def test_radians_first_order():
    for a in arrays():
        nth_order(a, nd.radians, [lambda x: nd.ones_like(x) * math.pi / 180], 1)


def test_radians_second_order():
    for a in arrays():
        nth_order(a, nd.radians, [lambda x: nd.zeros_like(x)], 2)


def test_degrees_second_order():
    for a in arrays():
        nth_order(a, nd.degrees, [lambda x: nd.zeros_like(x)], 2)


def test_logs():
    for a in arrays(0.5, 3):
        nth_order(a, nd.log, [lambda x: 1 / x, lambda x: -1 / x ** 2, lambda x: 2 / x ** 3],
                  [1, 2, 3])
        nth_order(a, nd.log2, [lambda x: -1 / (x ** 2 * math.log(2))], 2)
        nth_order(a, nd.log10, [lambda x: -1 / (x ** 2 * math.log(10))], 2)
        nth_order(a, nd.log1p, [lambda x: -1 / (1 + x) ** 2], 2)


def test_exp_expm1():
    for a in arrays():
        nth_order(a, nd.exp, [nd.exp, nd.exp, nd.exp], [1, 2, 3])
        nth_order(a, nd.expm1, [nd.exp], 2)


def test_sigmoid():
    def s(x):
        return nd.sigmoid(x)
    for a in arrays():
        nth_order(a, nd.sigmoid, [lambda x: s(x) * (1 - s(x)),
                                  lambda x: s(x) * (1 - s(x)) * (1 - 2 * s(x))], [1, 2])


def test_relu_second_order():
    for a in arrays():
        a[np.abs(a) < 1e-2] = 0.5
        nth_order(a, nd.relu, [lambda x: nd.zeros_like(x)], 2)


def test_abs_second_order():
    for a in arrays():
        a[np.abs(a) < 1e-2] = 0.5
        nth_order(a, nd.abs, [lambda x: nd.zeros_like(x)], 2)


def test_reciprocal():
    for a in arrays(0.5, 3):
        nth_order(a, nd.reciprocal, [lambda x: 2 / x ** 3], 2)


def test_sqrt():
    for a in arrays(0.5, 3):
        nth_order(a, nd.sqrt, [lambda x: -0.25 / x ** 1.5], 2)


def test_cbrt():
    for a in arrays(0.5, 3):
        nth_order(a, nd.cbrt, [lambda x: -2.0 / (9 * x ** (5.0 / 3))], 2)


def test_rsqrt():
    for a in arrays(0.5, 3):
        nth_order(a, nd.rsqrt, [lambda x: 0.75 / x ** 2.5], 2)


def test_rcbrt():
    for a in arrays(0.5, 3):
        nth_order(a, nd.rcbrt, [lambda x: 4.0 / (9 * x ** (7.0 / 3))], 2)


def test_square_and_power():
    for a in arrays():
        nth_order(a, nd.square, [lambda x: 2 * x, lambda x: 2 * nd.ones_like(x)], [1, 2])
        nth_order(a, lambda x: x ** 3, [lambda x: 6 * x, lambda x: 6 * nd.ones_like(x)],
                  [2, 3])


def test_clip():
    for a in arrays():
        nth_order(a, lambda x: nd.clip(x, -1, 1), [lambda x: nd.zeros_like(x)], 2)


def test_dropout_first_order_in_predict_mode():
    for a in arrays():
        with autograd.predict_mode():
            nth_order(a, lambda x: nd.Dropout(x, p=0.5), [lambda x: nd.ones_like(x)], 1)


def test_relu_first_order():
    for a in arrays():
        a[np.abs(a) < 1e-2] = 0.5
        nth_order(a, nd.relu, [lambda x: (x > 0)], 1)


def test_second_order_via_backward():
    for a in arrays(0.5, 2):
        second_via_backward(a, nd.sin, lambda x: -nd.sin(x))
        second_via_backward(a, nd.log, lambda x: -1 / x ** 2)
        second_via_backward(a, nd.exp, nd.exp)
        second_via_backward(a, lambda x: nd.sigmoid(x),
                            lambda x: nd.sigmoid(x) * (1 - nd.sigmoid(x)) *
                            (1 - 2 * nd.sigmoid(x)))


def test_elemwise_mul_and_sub_second_order():
    x = nd.array(np.random.uniform(-1, 1, (3, 4)))
    y = nd.array(np.random.uniform(-1, 1, (3, 4)))
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        z = nd.elemwise_mul(x, y) - nd.elemwise_sub(x, y)
        gx, gy = autograd.grad(z, [x, y], create_graph=True, retain_graph=True)
        total = (gx * gy).sum()
    total.backward()
    # d/dx sum((y-1)(x+1)) = y - 1 ; d/dy = x + 1
    assert_almost_equal(x.grad.asnumpy(), (y - 1).asnumpy())
    assert_almost_equal(y.grad.asnumpy(), (x + 1).asnumpy())


def _dense_check(flatten):
    x = nd.random.normal(shape=(4, 3, 5))
    w = nd.random.normal(shape=(6, 15 if flatten else 5))
    b = nd.random.normal(shape=(6,))
    for v in (x, w, b):
        v.attach_grad()
    o_head = nd.random.normal(shape=(4, 6) if flatten else (4, 3, 6))
    with autograd.record():
        o = nd.FullyConnected(x, w, b, num_hidden=6, flatten=flatten)
        gx, gw = autograd.grad(o, [x, w], head_grads=o_head, create_graph=True,
                               retain_graph=True)
        loss = (gx * gx).sum() + (gw * gw).sum()
    loss.backward()
    xn, wn, hn = x.asnumpy(), w.asnumpy(), o_head.asnumpy()
    x2 = xn.reshape(4, -1) if flatten else xn.reshape(-1, 5)
    h2 = hn.reshape(-1, 6)
    gxn = h2 @ wn
    gwn = h2.T @ x2
    # d/dh of |h W|^2 and |h^T X|^2 wrt W and X (head grads are constants)
    want_w = 2 * h2.T @ gxn
    want_x = 2 * (h2 @ gwn)
    assert_almost_equal(w.grad.asnumpy(), want_w, rtol=1e-4, atol=1e-4)
    assert_almost_equal(x.grad.asnumpy().reshape(want_x.shape), want_x, rtol=1e-4, atol=1e-4)
    assert_almost_equal(b.grad.asnumpy(), np.zeros(6), atol=1e-6)


def test_dense_backward_flatten():
    _dense_check(True)


def test_dense_backward_no_flatten():
    _dense_check(False)


def test_grad_of_grad_returns_list_and_dtypes():
    x = nd.array([1.0, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = x ** 3
        g = autograd.grad(y, x, create_graph=True)
        assert isinstance(g, list) and g[0].dtype == np.float64
        g2 = autograd.grad(g[0], x, create_graph=True)[0]
    assert_almost_equal(g2.asnumpy(), 6 * x.asnumpy())


def test_log_softmax_second_order():
    x = nd.random.normal(shape=(3, 4))
    x.attach_grad()
    head = nd.random.normal(shape=(3, 4))
    with autograd.record():
        y = nd.log_softmax(x)
        g = autograd.grad(y, x, head_grads=head, create_graph=True, retain_graph=True)[0]
    g.backward(nd.ones_like(g))
    # g = h - softmax(x) * sum(h); d/dx sum(g) = -d/dx (sum(h) * sum softmax) = 0
    assert_almost_equal(x.grad.asnumpy(), np.zeros((3, 4)), atol=1e-5)


if __name__ == "__main__":
    main(globals())
