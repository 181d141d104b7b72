"""Round-4 unit-test conformance: behaviour MXNet 1.9.1's tests/python/unittest rely on.

Expected values come from MXNet 1.9.1 (tools/unittest_style/check_*4*.py run both sides).
"""
import json

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon


# ---- autograd.get_symbol ------------------------------------------------------------------

def test_get_symbol_arguments_like_mxnet():
    x = mx.nd.ones((1,))
    x.attach_grad()
    with autograd.record():
        y = x * x + 2 * x - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 1
    z = mx.nd.ones((1,))
    z.attach_grad()
    with autograd.record():
        y = x * x + 2 * z - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 2


def test_get_symbol_ops_json_and_bind():
    x = mx.nd.array(np.arange(6).reshape(2, 3))
    x.attach_grad()
    c = mx.nd.ones((2, 3)) * 3
    w = mx.nd.ones((4, 3))
    w.attach_grad()
    with autograd.record():
        y = x * x + 2 * x - 1
        z = mx.nd.FullyConnected(y * c, w, num_hidden=4, no_bias=True)
        u = mx.nd.relu(z).sum()
    sym = autograd.get_symbol(u)
    ops = [n["op"] for n in json.loads(sym.tojson())["nodes"]]
    # MXNet 1.9.1's node ops for this recording
    assert ops == ["null", "broadcast_mul", "_mul_scalar", "broadcast_add", "_minus_scalar",
                   "null", "broadcast_mul", "null", "FullyConnected", "relu", "sum"]
    names = sym.list_arguments()
    assert len(names) == 3 and names[0].startswith("var") and names[1].startswith("null")
    out = sym.bind(mx.cpu(), dict(zip(names, [x, c, w]))).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), u.asnumpy(), rtol=1e-6)
    again = mx.sym.load_json(sym.tojson())
    assert again.list_arguments() == names


def test_get_symbol_indexing_reshape_and_multi_output():
    x = mx.nd.array(np.arange(12).reshape(4, 3))
    x.attach_grad()
    with autograd.record():
        parts = mx.nd.split(x, num_outputs=2, axis=0)
        v = x[0:1] + x[1] + parts[1].reshape((1, 6))[:, :3]
    sym = autograd.get_symbol(v)
    assert len(sym.list_arguments()) == 1
    out = sym.bind(mx.cpu(), {sym.list_arguments()[0]: x}).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), v.asnumpy())


def test_get_symbol_through_hybridized_block():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(4, activation="relu"), gluon.nn.Dense(2))
    net.initialize()
    net.hybridize()
    x = mx.nd.random.uniform(shape=(3, 5))
    x.attach_grad()
    with autograd.record():
        z = net(x * 2).sum()
    sym = autograd.get_symbol(z)
    feed = {k: v.data() for k, v in net.collect_params().items()}
    feed[sym.list_arguments()[0]] = x
    out = sym.bind(mx.cpu(), {k: feed[k] for k in sym.list_arguments()}).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), z.asnumpy(), rtol=1e-5)


def test_get_symbol_pause_records_nothing_and_seam_restored():
    from mxtorch.ndarray.ndarray import DEFERRED
    x = mx.nd.ones((2,))
    x.attach_grad()
    with autograd.record():
        with autograd.pause():
            assert DEFERRED[0] is None
            c = x * 3
        y = c + x
    assert DEFERRED[0] is None
    assert len(autograd.get_symbol(y).list_arguments()) == 2  # c is a constant


def test_recorded_arrays_still_pickle():
    import copy
    import pickle
    x = mx.nd.ones((2,))
    x.attach_grad()
    with autograd.record():
        y = x * 2
    np.testing.assert_allclose(pickle.loads(pickle.dumps(y)).asnumpy(), [2, 2])
    np.testing.assert_allclose(copy.deepcopy(y).asnumpy(), [2, 2])
    pickle.dumps(y._t)  # the graph tag pickles as nothing


# ---- integer arithmetic under record() ----------------------------------------------------

# (name, function, input shapes) -> MXNet 1.9.1's gradients for inputs 1..n (int32 inputs
# np.arange(1, n+1) reshaped; the result keeps the input dtype)
_INT_CASES = [
    ("add", lambda a, b: a + b, ((2, 3), (2, 3)), [[1] * 6, [1] * 6]),
    ("sub", lambda a, b: a - b, ((2, 3), (2, 3)), [[1] * 6, [-1] * 6]),
    ("mul", lambda a, b: a * b, ((2, 3), (2, 3)), [[1, 2, 3, 4, 5, 6]] * 2),
    ("badd", mx.nd.broadcast_add, ((2, 3), (1, 3)), [[1] * 6, [2, 2, 2]]),
    ("bmul", mx.nd.broadcast_mul, ((2, 3), (1, 3)), [[1, 2, 3, 1, 2, 3], [5, 7, 9]]),
    ("sum", lambda a: a.sum(), ((2, 3),), [[1] * 6]),
    ("sumax", lambda a: mx.nd.sum(a, axis=0), ((2, 3),), [[1] * 6]),
    ("mulsc", lambda a: a * 3, ((2, 3),), [[3] * 6]),
    ("addsc", lambda a: a + 3, ((2, 3),), [[1] * 6]),
    ("sq", lambda a: a * a, ((2, 3),), [[2, 4, 6, 8, 10, 12]]),
    ("neg", lambda a: -a, ((2, 3),), [[-1] * 6]),
    ("cast", lambda a: a.astype("float32") * 2, ((2, 3),), [[2] * 6]),
    ("elemadd", mx.nd.elemwise_add, ((2, 3), (2, 3)), [[1] * 6, [1] * 6]),
    ("mean", mx.nd.mean, ((2, 3),), [[0] * 6]),
    ("relu", mx.nd.relu, ((2, 3),), [[1] * 6]),
    ("abs", mx.nd.abs, ((2, 3),), [[1] * 6]),
    ("reshape", lambda a: a.reshape((3, 2)), ((2, 3),), [[1] * 6]),
    ("slice", lambda a: a[0:1], ((2, 3),), [[1, 1, 1, 0, 0, 0]]),
    ("concat", lambda a, b: mx.nd.concat(a, b, dim=0), ((2, 3), (2, 3)), [[1] * 6, [1] * 6]),
]


@pytest.mark.parametrize("dtype", ["int32", "int64", "int8", "uint8"])
@pytest.mark.parametrize("case", _INT_CASES, ids=[c[0] for c in _INT_CASES])
def test_integer_gradients_like_mxnet(case, dtype):
    _, fn, shapes, want = case
    xs = [mx.nd.array(np.arange(1, 1 + int(np.prod(s))).reshape(s), dtype=dtype)
          for s in shapes]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = fn(*xs)
    y.backward()
    for x, w in zip(xs, want):
        assert x.grad.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(x.grad.asnumpy().ravel(),
                                      np.array(w, dtype=np.int64).astype(dtype))


# ---- higher-order gradients (test_higher_order_grad) ---------------------------------------

def _second_order(op, x, heads):
    x = mx.nd.array(x)
    x.attach_grad()
    with autograd.record():
        y = op(x)
        for h in heads:
            y = autograd.grad(y, x, head_grads=mx.nd.array(h), create_graph=True,
                              retain_graph=True)[0]
    return y.asnumpy()


def test_rcbrt_second_order_exact():
    x = np.array([0.5, 1.0, 2.5], dtype=np.float32)
    h1, h2 = np.array([1.0, -2.0, 0.5]), np.array([0.3, 1.0, -1.0])
    got = _second_order(mx.nd.rcbrt, x, [h1, h2])
    want = 4.0 / (9 * x ** (7.0 / 3)) * h1 * h2  # d2/dx2 x^(-1/3)
    np.testing.assert_allclose(got, want, rtol=1e-5)


@pytest.mark.parametrize("op", [mx.nd.abs, mx.nd.relu, mx.nd.radians, mx.nd.degrees,
                                lambda x: mx.nd.clip(x, -1, 1)])
def test_second_order_of_piecewise_linear_ops_is_zero(op):
    # MXNet 1.9.1: the second derivative is an all-zero array (no error)
    x = np.array([-1.5, -0.5, 0.5, 2.0], dtype=np.float32)
    got = _second_order(op, x, [np.ones(4), np.ones(4)])
    np.testing.assert_array_equal(got, np.zeros(4, np.float32))


# ---- errors MXNet reports at the next read (test_exc_handling) -----------------------------

def _drain():
    from mxtorch.engine import PENDING
    del PENDING[:]


def test_sampler_error_surfaces_at_read_not_call():
    _drain()
    a = mx.nd.random.normal(0, 1, (2, 2))
    b = mx.nd.random.normal(0, -1, (2, 2))  # no error at the call (MXNet checks in the kernel)
    c = mx.nd.dot(a, b)
    with pytest.raises(mx.base.MXNetError, match="scale parameter in gaussian"):
        c.asnumpy()
    c.asnumpy()  # raised once, as MXNet


@pytest.mark.parametrize("read", ["asnumpy", "wait_to_read", "waitall"])
def test_sampler_error_each_sync_point(read):
    _drain()
    a = mx.nd.random.uniform(2, 1, (2,))
    with pytest.raises(mx.base.MXNetError, match="low must be less or equal"):
        mx.nd.waitall() if read == "waitall" else getattr(a, read)()


@pytest.mark.parametrize("make", [lambda: mx.nd.random.gamma(-1, 1, (2,)),
                                  lambda: mx.nd.random.exponential(-1, (2,)),
                                  lambda: mx.nd.random.poisson(-1, (2,))])
def test_sampler_parameter_checks(make):
    _drain()
    arr = make()
    with pytest.raises(mx.base.MXNetError):
        arr.asnumpy()


def test_array_parameter_samplers_and_inference_do_not_defer():
    from mxtorch.engine import PENDING
    _drain()
    mx.nd.random.normal(mx.nd.zeros((2,)), -mx.nd.ones((2,))).asnumpy()  # MXNet: no check
    sym = mx.sym.random.normal(0, -1, shape=(2, 3)) + mx.sym.var("x")
    assert sym.infer_shape(x=(2, 3))[1] == [(2, 3)]
    assert not PENDING


# ---- hawkesll, recorded heads without gradient ---------------------------------------------

def test_hawkesll_state_gradient_is_zero_and_backward_allowed():
    n, k = 2, 2
    args = [mx.nd.array([[1.5, 2.0]] * n), mx.nd.array([0.2, 0.3]), mx.nd.array([1.0, 2.0]),
            mx.nd.ones((n, k)) * 0.5, mx.nd.array([[1, 2], [3, 4]]),
            mx.nd.array([[0, 1], [1, 0]]).astype("int32"), mx.nd.array([1, 2]),
            mx.nd.ones((n,)) * 10]
    args[3].attach_grad()
    with autograd.record():
        ll, st = mx.nd.contrib.hawkesll(*args)
        total = ll.sum() * 2 + st.sum()
    total.backward()  # MXNet 1.9.1: allowed, the state's gradient is zero
    np.testing.assert_array_equal(args[3].grad.asnumpy(), np.zeros((n, k)))


def test_unattached_recording_still_refuses_backward():
    x = mx.nd.ones((2,))
    with autograd.record():
        y = x * 2
    with pytest.raises(mx.base.MXNetError):
        y.backward()


def test_engine_bulk_size_round_trip():
    prev = mx.engine.set_bulk_size(30)
    with mx.engine.bulk(7):
        assert mx.engine.set_bulk_size(7) == 7
    assert mx.engine.set_bulk_size(prev) == 30


def test_deferred_error_travels_through_copies_graphs_and_blocks():
    _drain()
    a, b = mx.nd.random.normal(0, -1, (2, 2)).copyto(mx.cpu())
    with pytest.raises(mx.base.MXNetError):
        mx.nd.dot(a, a).asnumpy()
    b.asnumpy()  # the error was raised once

    sym = mx.sym.random.normal(0, -1, shape=(2,)) + mx.sym.var("x")
    ex = sym.bind(mx.cpu(), {"x": mx.nd.ones((2,))})
    ex.forward()
    with pytest.raises(mx.base.MXNetError):
        ex.outputs[0].asnumpy()

    class Bad(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.random.normal(0, -1, shape=(2, 2)) + x

    for hybrid in (False, True):
        blk = Bad()
        if hybrid:
            blk.hybridize()
        out = blk(mx.nd.ones((2, 2)))  # no error at the call
        with pytest.raises(mx.base.MXNetError):
            out.wait_to_read()


def test_deferred_error_of_discarded_array_raised_by_waitall_only():
    _drain()
    mx.nd.random.normal(0, -1, (2, 2))
    with pytest.raises(mx.base.MXNetError):
        mx.nd.waitall()
    mx.nd.waitall()
    mx.nd.random.normal(0, -1, (2, 2))
    mx.nd.ones((1,)).asnumpy()  # reading an unrelated array forgets a discarded failure
    mx.nd.waitall()


def test_deferred_error_reaches_executor_gradients():
    _drain()
    x = mx.sym.var("x")
    out = mx.sym.make_loss(mx.sym.dot(x, mx.sym.random.normal(0, -1, (2, 2))))
    ex = out.bind(mx.cpu(), args={"x": mx.nd.ones((2, 2))}, args_grad={"x": mx.nd.empty((2, 2))})
    ex.forward(is_train=True)
    ex.backward()
    with pytest.raises(mx.base.MXNetError):
        ex.grad_arrays[0].asnumpy()
    ex.grad_arrays[0].asnumpy()


def test_imresize_bad_interp_is_mxnet_error():
    with pytest.raises(mx.base.MXNetError, match="interp"):
        mx.image.imresize(mx.nd.ones((12, 16, 3)), 4, 4, interp=-1)


def test_backward_gather_nd_sums_repeated_positions():
    # MXNet 1.9.1: [[0, 0], [0, 5]] (scatter_nd keeps one write: [[0, 0], [0, 3]])
    data = mx.nd.array([2, 3, 0])
    idx = mx.nd.array([[1, 1, 0], [1, 1, 0]], dtype="int32")
    out = mx.nd._internal._backward_gather_nd(data, idx, shape=(2, 2))
    np.testing.assert_array_equal(out.asnumpy(), [[0, 0], [0, 5]])
    x = mx.nd.arange(24).reshape((2, 3, 4))
    x.attach_grad()
    ind = mx.nd.array([[0, 1, 1], [2, 0, 0]], dtype="int32")
    with autograd.record():
        y = mx.nd.gather_nd(x, ind)
    y.backward()
    np.testing.assert_array_equal(
        mx.nd._internal._backward_gather_nd(mx.nd.ones_like(y), ind, shape=x.shape).asnumpy(),
        x.grad.asnumpy())
