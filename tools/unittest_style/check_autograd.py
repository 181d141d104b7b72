"""Autograd checks in the style of MXNet's test_autograd.py (own code)."""
import functools

import numpy as np

import mxnet as mx
from mxnet import autograd
from mxnet.autograd import *  # noqa: F401,F403
from mxnet.ndarray import zeros_like
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def grad_and_loss(func, argnum=None):
    @functools.wraps(func)
    def wrapped(*args):
        variables = args
        if argnum is not None:
            argnum_ = argnum if isinstance(argnum, list) else [argnum]
            variables = [args[i] for i in argnum_]
        for x in variables:
            assert isinstance(x, mx.nd.NDArray), "type of autograd input should NDArray."
        grads = [zeros_like(x) for x in variables]
        mark_variables(variables, grads)
        with record():
            outputs = func(*args)
        backward([outputs] if isinstance(outputs, mx.nd.NDArray) else outputs)
        return grads, outputs
    return wrapped


def grad(func, argnum=None):
    grad_with_loss_func = grad_and_loss(func, argnum)

    @functools.wraps(grad_with_loss_func)
    def wrapped(*args):
        return grad_with_loss_func(*args)[0]
    return wrapped


def autograd_assert(*args, **kwargs):
    func = kwargs["func"]
    grad_f = kwargs["grad_func"]
    argnum = kwargs["argnum"] if "argnum" in kwargs else None
    grad_func = grad_and_loss(func, argnum)
    grad_vals, output = grad_func(*args)
    res = func(*args)
    assert same(output.asnumpy(), res.asnumpy())
    grad_res = grad_f(*args)
    assert len(grad_vals) == len(grad_res)
    for a, b in zip(grad_vals, grad_res):
        assert same(a.asnumpy(), b.asnumpy())


@with_seed()
def test_unary_func():
    def check_unary_func(x):
        f_exp = lambda x: mx.nd.exp(x)
        f_exp_grad = lambda x: [mx.nd.exp(x)]
        autograd_assert(x, func=f_exp, grad_func=f_exp_grad)
        f_half = lambda x: x / 2
        f_half_grad = lambda x: [mx.nd.ones(x.shape) * 0.5]
        autograd_assert(x, func=f_half, grad_func=f_half_grad)
        f_square = lambda x: x ** 2
        f_square_grad = lambda x: [2 * x]
        autograd_assert(x, func=f_square, grad_func=f_square_grad)
    uniform = mx.nd.uniform(shape=(4, 5))
    check_unary_func(uniform)


@with_seed()
def test_binary_func():
    def check_binary_func(x, y):
        f_add = lambda x, y: x + y
        f_add_grad = lambda x, y: [mx.nd.ones(x.shape), mx.nd.ones(y.shape)]
        autograd_assert(x, y, func=f_add, grad_func=f_add_grad)
        f_mul = lambda x, y: x * y
        f_mul_grad = lambda x, y: [y, x]
        autograd_assert(x, y, func=f_mul, grad_func=f_mul_grad)
        f_compose = lambda x, y: x + x * y
        f_compose_grad = lambda x, y: [mx.nd.ones(x.shape) + y, x]
        autograd_assert(x, y, func=f_compose, grad_func=f_compose_grad)
    uniform_x = mx.nd.uniform(shape=(4, 5))
    uniform_y = mx.nd.uniform(shape=(4, 5))
    check_binary_func(uniform_x, uniform_y)


@with_seed()
def test_operator_with_state():
    def f_fc(a, b, weight, bias):
        x = a * b
        fc = mx.nd.FullyConnected(x, weight, bias, num_hidden=32)
        return fc
    a = mx.nd.uniform(shape=(64, 50))
    b = mx.nd.uniform(shape=(64, 50))
    weight = mx.nd.uniform(shape=(32, 50))
    bias = mx.nd.uniform(shape=(32, ))
    grad_func = grad_and_loss(f_fc)
    grad_vals, outputs = grad_func(a, b, weight, bias)
    assert len(grad_vals) == 4


@with_seed()
def test_argnum():
    def f_with_mode(a, b, mode):
        if mode:
            return a + b
        else:
            return a * b
    a = mx.nd.uniform(shape=(3, 2))
    b = mx.nd.uniform(shape=(3, 2))
    f_add_grad = lambda x, y, mode: [mx.nd.ones(x.shape), mx.nd.ones(y.shape)]
    f_mul_grad = lambda x, y, mode: [y, x]
    autograd_assert(a, b, True, argnum=[0, 1], func=f_with_mode, grad_func=f_add_grad)
    autograd_assert(a, b, False, argnum=[0, 1], func=f_with_mode, grad_func=f_mul_grad)


@with_seed()
def test_training():
    x = mx.nd.ones((10, 10))
    with record():
        y = mx.nd.Dropout(x, p=0.5)
        assert not (y.asnumpy() == x.asnumpy()).all()
        with pause():
            y = mx.nd.Dropout(x, p=0.5)
            assert (y.asnumpy() == x.asnumpy()).all()


@with_seed()
def test_out_grads():
    x = mx.nd.ones((3, 5))
    dx = mx.nd.zeros_like(x)
    mark_variables([x], [dx])
    da = None
    db = mx.nd.array([1, 2, 3, 4, 5])
    dc = mx.nd.array([5, 4, 3, 2, 1])
    with record():
        a, b, c = mx.nd.split(x, axis=0, num_outputs=3, squeeze_axis=True)
        backward([a, b, c], [da, db, dc])
    assert (dx.asnumpy() == np.array([[1, 1, 1, 1, 1], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]])).all()


@with_seed()
def test_detach_updated_grad():
    x = mx.nd.ones((2, 2))
    dx = mx.nd.zeros_like(x)
    y = mx.nd.ones_like(x)
    dy = mx.nd.zeros_like(x)
    mark_variables([x, y], [dx, dy])
    assert x._fresh_grad is False
    assert y._fresh_grad is False
    with record():
        x2 = x + 2
        y2 = x2 + y
        y2.backward()
    assert (dx.asnumpy() == 1).all()
    assert x._fresh_grad is True
    assert y._fresh_grad is True
    dx[:] = 0
    x._fresh_grad = False
    y._fresh_grad = False
    assert x._fresh_grad is False
    assert y._fresh_grad is False
    with record():
        x2 = x + 2
        x2 = x2.detach()
        y2 = x2 + y
        y2.backward()
    assert (dx.asnumpy() == 0).all()
    assert y._fresh_grad is True
    assert x._fresh_grad is False


@with_seed()
def test_retain_grad():
    x = mx.nd.ones((2, 2))
    dx = mx.nd.zeros((2, 2))
    mark_variables([x], [dx], grad_reqs="add")
    with record():
        y = x + 1
        y.backward(retain_graph=False)
    assert (dx.asnumpy() == 1).all()
    dx[:] = 0
    with record():
        y = x + 1
        y.backward(retain_graph=True)
        y.backward(retain_graph=False)
    assert (dx.asnumpy() == 2).all()
    try:
        with record():
            y = x + 1
            y.backward()
            y.backward()
    except Exception:
        return
    raise AssertionError("differentiating the same graph twice without retain_graph should fail")


@with_seed()
def test_attach_grad():
    def check_attach_grad(x):
        assert x.grad is None
        x.attach_grad()
        with record():
            y = x * 2
            assert y.grad is None
            y.backward(out_grad=mx.nd.ones_like(y).tostype(x.stype))
        assert (x.grad.asnumpy() == 2).all()
    zeros = mx.nd.zeros((10, 10))
    stypes = ["default", "row_sparse", "csr"]
    for stype in stypes:
        x = zeros.tostype(stype)
        check_attach_grad(x)


@with_seed()
def test_is_train():
    x = mx.nd.ones((10, 10))
    x.attach_grad()
    with record(train_mode=True):
        assert is_recording()
        assert is_training()
        y = mx.nd.Dropout(x, p=0.5)
        assert y.asnumpy().max() == 2 and y.asnumpy().min() == 0
        y.backward()
        assert (x.grad.asnumpy() == y.asnumpy()).all()
        with predict_mode():
            assert is_recording()
            assert not is_training()
            y = mx.nd.Dropout(x, p=0.5)
            assert (y.asnumpy() == x.asnumpy()).all()
            y.backward(train_mode=False)
            assert (x.grad.asnumpy() == x.asnumpy()).all()
    with record(train_mode=False):
        assert is_recording()
        assert not is_training()
        y = mx.nd.Dropout(x, p=0.5)
        assert (y.asnumpy() == x.asnumpy()).all()
        y.backward(train_mode=False)
        assert (x.grad.asnumpy() == x.asnumpy()).all()
        with train_mode():
            assert is_recording()
            assert is_training()
            y = mx.nd.Dropout(x, p=0.5)
            assert y.asnumpy().max() == 2 and y.asnumpy().min() == 0
            y.backward()
            assert (x.grad.asnumpy() == y.asnumpy()).all()
    assert not is_recording()
    assert not is_training()
    y = mx.nd.Dropout(x, p=0.5)
    assert (y.asnumpy() == x.asnumpy()).all()
    with train_mode():
        assert not is_recording()
        assert is_training()
        y = mx.nd.Dropout(x, p=0.5)
        assert y.asnumpy().max() == 2 and y.asnumpy().min() == 0


@with_seed()
def test_function():
    class func(Function):
        def forward(self, x, y):
            m = x / y
            n = x * y
            self.save_for_backward(x, y)
            return m, n

        def backward(self, dm, dn):
            x, y = self.saved_tensors
            dx = dm / y + dn * y
            dy = dn * x - dm * x / y / y
            return dx, dy
    f = func()
    x = mx.nd.random.uniform(shape=(10,))
    x.attach_grad()
    y = mx.nd.random.uniform(shape=(10,))
    y.attach_grad()
    with record():
        m, n = f(x, y)
        backward([m, n])
    dx1 = x.grad.asnumpy()
    dy1 = y.grad.asnumpy()
    with record():
        backward([x / y, x * y])
    x.grad[:] = 0
    y.grad[:] = 0
    with record():
        m = x / y
        n = x * y
    backward([m, n])
    assert_almost_equal(x.grad.asnumpy(), dx1)
    assert_almost_equal(y.grad.asnumpy(), dy1)


@with_seed()
def test_function1():
    class Foo(mx.autograd.Function):
        def __init__(self):
            super(Foo, self).__init__()

        def forward(self, X):
            return X + 1

        def backward(self, dY):
            return dY
    with mx.autograd.record():
        X = mx.nd.zeros((3, 4))
        for i in range(5):
            f = Foo()
            X = f(X)
        X.wait_to_read()


@with_seed()
def test_get_symbol():
    x = mx.nd.ones((1,))
    x.attach_grad()
    with record():
        y = x * x + 2 * x - 1
    assert len(get_symbol(y).list_arguments()) == 1
    z = mx.nd.ones((1,))
    z.attach_grad()
    with record():
        y = x * x + 2 * z - 1
    assert len(get_symbol(y).list_arguments()) == 2


@with_seed()
def test_grad_with_stype():
    def check_grad_with_stype(array_stype, grad_stype, expected_stype):
        x = mx.nd.zeros((1, 1), stype=array_stype)
        x.attach_grad(stype=grad_stype)
        assert x.grad.stype == expected_stype
        y = x.detach()
        assert y.stype == array_stype
    stypes = ["default", "csr", "row_sparse"]
    for stype in stypes:
        check_grad_with_stype(stype, None, stype)
        for grad_stype in stypes:
            check_grad_with_stype(stype, grad_stype, grad_stype)


@with_seed()
def test_sparse_dot_grad():
    def check_sparse_dot_grad(rhs):
        lhs = rand_ndarray((2, 8), "csr")
        with mx.autograd.record():
            y = mx.nd.dot(lhs, rhs)
        y.backward()
        grad = rhs.grad
        grad_np = np.dot(lhs.asnumpy().T, np.ones((lhs.shape[0], rhs.shape[1])))
        assert grad.stype == "row_sparse"
        assert_almost_equal(grad.asnumpy(), grad_np)
    rhs = rand_ndarray((8, 3), "default")
    rhs.attach_grad(stype="row_sparse")
    check_sparse_dot_grad(rhs)
    rhs = rand_ndarray((8, 3), "row_sparse")
    rhs.attach_grad(stype="row_sparse")
    check_sparse_dot_grad(rhs)


@with_seed()
def test_gradient():
    x = mx.nd.ones((1,))
    x.attach_grad()
    with mx.autograd.record():
        z = mx.nd.elemwise_add(mx.nd.exp(x), x)
    dx, = mx.autograd.grad(z, [x], create_graph=True)
    assert abs(dx.asscalar() - 3.71828175) < 1e-7
    dx.backward()
    assert abs(x.grad.asscalar() - 2.71828175) < 1e-7


@with_seed()
def test_higher_order_grad():
    x = mx.nd.array([0.5, 1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.sin(x)
        dy = mx.autograd.grad(y, [x], head_grads=mx.nd.ones_like(y), create_graph=True,
                              retain_graph=True)[0]
        d2y = mx.autograd.grad(dy, [x], head_grads=mx.nd.ones_like(dy), create_graph=True,
                               retain_graph=True)[0]
    d2y.backward()
    assert_almost_equal(dy, np.cos(x.asnumpy()), rtol=1e-5, atol=1e-6)
    assert_almost_equal(d2y, -np.sin(x.asnumpy()), rtol=1e-5, atol=1e-6)
    assert_almost_equal(x.grad, -np.cos(x.asnumpy()), rtol=1e-5, atol=1e-6)
    for op, d1, d2 in [(mx.nd.log, lambda v: 1 / v, lambda v: -1 / v ** 2),
                       (mx.nd.exp, np.exp, np.exp),
                       (mx.nd.tanh, lambda v: 1 - np.tanh(v) ** 2,
                        lambda v: -2 * np.tanh(v) * (1 - np.tanh(v) ** 2)),
                       (mx.nd.sigmoid, lambda v: 1 / (1 + np.exp(-v)) * (1 - 1 / (1 + np.exp(-v))),
                        None),
                       (mx.nd.reciprocal, lambda v: -1 / v ** 2, lambda v: 2 / v ** 3)]:
        x = mx.nd.array([0.5, 1.0, 2.0])
        x.attach_grad()
        with mx.autograd.record():
            y = op(x)
            g = mx.autograd.grad(y, [x], create_graph=True, retain_graph=True)[0]
        g.backward()
        assert_almost_equal(g, d1(x.asnumpy()), rtol=1e-4, atol=1e-5)
        if d2 is not None:
            assert_almost_equal(x.grad, d2(x.asnumpy()), rtol=1e-4, atol=1e-5)


@with_seed()
def test_grad_req_add_and_null():
    x = mx.nd.array([1.0, 2.0])
    x.attach_grad(grad_req="add")
    for _ in range(3):
        with mx.autograd.record():
            y = (x * x).sum()
        y.backward()
    assert_almost_equal(x.grad, 3 * 2 * x.asnumpy())
    z = mx.nd.array([1.0, 2.0])
    z.attach_grad(grad_req="null")
    with mx.autograd.record():
        y = (z * x).sum()
    y.backward()
    assert z.grad is None or (z.grad.asnumpy() == 0).all()


@with_seed()
def test_backward_head_grads_and_nonscalar():
    x = mx.nd.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with mx.autograd.record():
        y = x * 3
    y.backward(mx.nd.array([[1, 0], [0, 2]]))
    assert same(x.grad.asnumpy(), np.array([[3, 0], [0, 6]], dtype=np.float32))
    with mx.autograd.record():
        y = x * 3
        z = x * 2
    mx.autograd.backward([y, z])
    assert same(x.grad.asnumpy(), np.full((2, 2), 5, dtype=np.float32))


@with_seed()
def test_inplace_and_setitem_recording():
    x = mx.nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with mx.autograd.record():
        y = x * 2
        y = y + 1
        z = y * x
    z.backward()
    assert_almost_equal(x.grad, 4 * x.asnumpy() + 1)
    a = mx.nd.ones((3,))
    a.attach_grad()
    with mx.autograd.record():
        b = a * 3
        c = mx.nd.stack(b, b * 2)
    c.backward()
    assert_almost_equal(a.grad, np.full((3,), 9.0))


@with_seed()
def test_mark_variables_and_set_recording():
    x = mx.nd.ones((2,))
    g = mx.nd.zeros((2,))
    mx.autograd.mark_variables(x, g)
    prev = mx.autograd.set_recording(True)
    assert prev is False
    y = x * 5
    mx.autograd.set_recording(False)
    y.backward()
    assert same(g.asnumpy(), np.full((2,), 5, dtype=np.float32))
    prev_t = mx.autograd.set_training(True)
    assert prev_t is False
    assert mx.autograd.is_training()
    mx.autograd.set_training(False)
    assert not mx.autograd.is_training()


@with_seed()
def test_autograd_grad_multiple_and_retain():
    x = mx.nd.array([1.0, 2.0])
    y = mx.nd.array([3.0, 4.0])
    x.attach_grad()
    y.attach_grad()
    with mx.autograd.record():
        z = x * y + x
    gx, gy = mx.autograd.grad(z, [x, y], retain_graph=True)
    assert same(gx.asnumpy(), np.array([4, 5], dtype=np.float32))
    assert same(gy.asnumpy(), np.array([1, 2], dtype=np.float32))
    gx2 = mx.autograd.grad(z, x, head_grads=mx.nd.array([2.0, 1.0]))
    assert same(gx2[0].asnumpy() if isinstance(gx2, list) else gx2.asnumpy(),
                np.array([8, 5], dtype=np.float32))


@with_seed()
def test_function_non_ndarray_and_multiple_outputs():
    class Exp(mx.autograd.Function):
        def forward(self, x):
            y = mx.nd.exp(x)
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            y, = self.saved_tensors
            return dy * y
    x = mx.nd.array([0.0, 1.0])
    x.attach_grad()
    with mx.autograd.record():
        y = Exp()(x)
    y.backward()
    assert_almost_equal(x.grad, np.exp(x.asnumpy()), rtol=1e-5, atol=1e-6)


main(globals())
