"""Executor: bind/simple_bind, forward/backward, grad_req write/add/null, aux updates,
reshape, monitor, copy_params_from, and errors (behaviour checked against MXNet 1.9.1)."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError, ShapeError


def test_grad_req_write_add_null():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = a * b + 1
    exe = c.bind(mx.cpu(), {"a": mx.nd.array([1, 2]), "b": mx.nd.array([3, 4])},
                 args_grad={"a": mx.nd.zeros(2), "b": mx.nd.zeros(2)},
                 grad_req={"a": "write", "b": "add"})
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones(2))
    exe.backward(mx.nd.ones(2))
    # MXNet 1.9.1: a.grad = [3, 4] (overwritten), b.grad = [2, 4] (accumulated twice)
    np.testing.assert_array_equal(exe.grad_dict["a"].asnumpy(), [3, 4])
    np.testing.assert_array_equal(exe.grad_dict["b"].asnumpy(), [2, 4])
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), [4, 9])
    assert list(exe.output_dict) == [c.list_outputs()[0]]
    frozen = c.bind(mx.cpu(), {"a": mx.nd.array([1, 2]), "b": mx.nd.array([3, 4])},
                    args_grad={"a": mx.nd.zeros(2), "b": mx.nd.zeros(2)},
                    grad_req={"a": "null", "b": "write"})
    frozen.forward(is_train=True)
    frozen.backward(mx.nd.ones(2))
    assert list(frozen.grad_dict) == ["a", "b"]  # as MXNet: 'a' listed, never written
    np.testing.assert_array_equal(frozen.grad_dict["a"].asnumpy(), [0, 0])


def test_forward_kwargs_and_outputs_identity():
    x = mx.sym.var("x")
    exe = (x * 2).simple_bind(mx.cpu(), x=(3,))
    out = exe.forward(x=mx.nd.array([1, 2, 3]))[0]
    exe.forward(x=np.array([4, 5, 6], dtype="float32"))
    np.testing.assert_array_equal(out.asnumpy(), [8, 10, 12])  # same NDArray, new values
    with pytest.raises(ShapeError, match="'x' has shape"):
        exe.forward(x=mx.nd.ones((4,)))
    with pytest.raises(MXNetError, match="unknown argument"):
        exe.forward(y=mx.nd.ones((3,)))


def test_simple_bind_allocates_from_inferred_shapes_and_types():
    x = mx.sym.var("data")
    fc = mx.sym.FullyConnected(x, num_hidden=5, name="fc")
    exe = fc.simple_bind(mx.cpu(), data=(4, 3), type_dict={"data": "float64"})
    assert exe.arg_dict["fc_weight"].shape == (5, 3)
    assert exe.arg_dict["fc_weight"].dtype == np.float64
    assert set(exe.grad_dict) == {"data", "fc_weight", "fc_bias"}
    nograd = fc.simple_bind(mx.cpu(), grad_req="null", data=(4, 3))
    assert nograd.grad_dict == {"data": None, "fc_weight": None, "fc_bias": None}
    with pytest.raises(MXNetError, match="cannot infer the shape"):
        fc.simple_bind(mx.cpu())


def test_batchnorm_aux_states_update_in_training_only():
    x = mx.sym.var("x")
    bn = mx.sym.BatchNorm(x, fix_gamma=False, momentum=0.9, name="bn")
    exe = bn.simple_bind(mx.cpu(), x=(8, 3))
    exe.arg_dict["bn_gamma"][:] = 1
    exe.aux_dict["bn_moving_var"][:] = 1
    data = np.random.RandomState(0).randn(8, 3).astype("float32") + 5
    exe.forward(is_train=False, x=data)
    np.testing.assert_array_equal(exe.aux_dict["bn_moving_mean"].asnumpy(), [0, 0, 0])
    exe.forward(is_train=True, x=data)
    np.testing.assert_allclose(exe.aux_dict["bn_moving_mean"].asnumpy(),
                               0.1 * data.mean(0), rtol=1e-5)
    exe.backward(mx.nd.ones((8, 3)))
    assert np.abs(exe.grad_dict["bn_gamma"].asnumpy()).sum() >= 0


def test_mlp_gradients_match_numeric():
    rng = np.random.RandomState(1)
    x = mx.sym.var("x")
    h = mx.sym.Activation(mx.sym.FullyConnected(x, num_hidden=4, name="fc1"), act_type="tanh")
    loss = mx.sym.sum(mx.sym.FullyConnected(h, num_hidden=2, name="fc2") ** 2)
    shapes = {"x": (3, 5)}
    exe = loss.simple_bind(mx.cpu(), type_dict={"x": "float64"}, **shapes)
    for arr in exe.arg_arrays:
        arr[:] = rng.uniform(-1, 1, arr.shape)
    exe.forward(is_train=True)
    exe.backward()
    w = exe.arg_dict["fc1_weight"]
    analytic = exe.grad_dict["fc1_weight"].asnumpy().copy()
    numeric = np.zeros_like(analytic)
    base = w.asnumpy()
    for idx in np.ndindex(*base.shape):
        for sign in (1, -1):
            probe = base.copy()
            probe[idx] += sign * 1e-6
            w[:] = probe
            numeric[idx] += sign * exe.forward()[0].asnumpy()[0] / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_backward_after_inference_forward_as_mxnet_allows():
    x = mx.sym.var("x")
    exe = (x * x).bind(mx.cpu(), {"x": mx.nd.array([1, 2])}, args_grad={"x": mx.nd.zeros(2)})
    with pytest.raises(MXNetError, match="preceding forward"):
        exe.backward(mx.nd.ones(2))
    exe.forward()  # is_train=False, as MXNet's own executor tests do
    exe.backward(mx.nd.ones(2))
    np.testing.assert_array_equal(exe.grad_dict["x"].asnumpy(), [2, 4])
    nograd = (x * 2).simple_bind(mx.cpu(), grad_req="null", x=(2,))
    nograd.forward()
    nograd.backward(mx.nd.ones(2))  # nothing requested: a no-op in MXNet 1.9.1 (oracle)
    assert nograd.grad_dict["x"] is None


def test_bind_errors_name_what_is_wrong():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = a * b
    with pytest.raises(MXNetError, match="missing for \\['b'\\]"):
        c.bind(mx.cpu(), {"a": mx.nd.ones(2)})
    with pytest.raises(ShapeError, match="_mul"):
        c.bind(mx.cpu(), {"a": mx.nd.ones(2), "b": mx.nd.ones(3)})
    with pytest.raises(MXNetError, match="grad_req"):
        c.bind(mx.cpu(), {"a": mx.nd.ones(2), "b": mx.nd.ones(2)},
               args_grad={"a": mx.nd.ones(2), "b": mx.nd.ones(2)}, grad_req="sometimes")


def test_reshape_shares_parameters():
    fc = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    exe = fc.simple_bind(mx.cpu(), data=(4, 3))
    small = exe.reshape(data=(2, 3))
    assert small.arg_dict["fc_weight"] is exe.arg_dict["fc_weight"]
    assert small.forward()[0].shape == (2, 2)
    with pytest.raises(MXNetError, match="allow_up_sizing"):
        exe.reshape(data=(8, 3))
    big = exe.reshape(data=(8, 3), allow_up_sizing=True)
    assert big.arg_dict["data"].shape == (8, 3)


def test_copy_params_from_and_monitor():
    fc = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    exe = fc.simple_bind(mx.cpu(), data=(1, 3))
    exe.copy_params_from({"fc_weight": mx.nd.ones((2, 3)), "fc_bias": mx.nd.ones(2)})
    with pytest.raises(ValueError, match="allow_extra_params"):
        exe.copy_params_from({"other": mx.nd.ones(1)})
    exe.copy_params_from({"other": mx.nd.ones(1)}, allow_extra_params=True)
    seen = []
    exe.set_monitor_callback(lambda name, arr: seen.append((name, arr.shape)))
    out = exe.forward(data=mx.nd.ones((1, 3)))[0]
    np.testing.assert_array_equal(out.asnumpy(), [[4, 4]])
    assert seen == [("fc_output", (1, 2))]


def test_group_outputs_and_executor_dicts():
    x = mx.sym.var("x")
    group = mx.sym.Group([x * 2, mx.sym.relu(x)])
    exe = group.bind(mx.cpu(), {"x": mx.nd.array([-1, 2])})
    outs = exe.forward()
    np.testing.assert_array_equal(outs[0].asnumpy(), [-2, 4])
    np.testing.assert_array_equal(outs[1].asnumpy(), [0, 2])
    assert list(exe.arg_dict) == ["x"] and exe.aux_dict == {}


def test_cached_op_matches_mxnet():
    data, w = mx.sym.var("data"), mx.sym.var("w")
    bn = mx.sym.BatchNorm(mx.sym.FullyConnected(data, w, num_hidden=2, no_bias=True), name="bn")
    op = mx.nd.CachedOp(bn)
    x, W = mx.nd.ones((3, 4)), mx.nd.ones((2, 4))
    g, b, mm, mv = mx.nd.ones(2), mx.nd.zeros(2), mx.nd.zeros(2), mx.nd.ones(2)
    W.attach_grad()
    with mx.autograd.record():
        o = op(x, W, g, b, mm, mv)
    o.backward()
    # from MXNet 1.9.1: identical rows normalise to 0, moving mean moves 10% toward 4
    np.testing.assert_allclose(o.asnumpy(), np.zeros((3, 2)), atol=1e-6)
    np.testing.assert_allclose(W.grad.asnumpy(), np.zeros((2, 4)), atol=1e-6)
    np.testing.assert_allclose(mm.asnumpy(), [0.4, 0.4], rtol=1e-5)
    out = mx.nd.zeros((3, 2))
    assert op(x, W, g, b, mm, mv, out=out) is out
    np.testing.assert_allclose(out.asnumpy(), np.full((3, 2), 3.7926266), rtol=1e-6)
    with pytest.raises(MXNetError, match="inputs given"):
        op(x)


def test_reshape_like_mxnet_executor_tests():
    x = mx.sym.var("x")
    y = mx.sym.FullyConnected(x, num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req="null")
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = mx.nd.ones((4, 4))
    exe.arg_arrays[2][:] = 0
    exe.forward(is_train=False)
    new_exe = exe.reshape(x=(3, 4))
    new_exe.forward(is_train=False)
    assert np.all(new_exe.outputs[0].asnumpy() == 4)
    exe.arg_arrays[0][:] = 0
    # MXNet 1.9.1: the smaller data array is a view of the old one's leading rows
    assert np.all(new_exe.arg_arrays[0].asnumpy() == 0)
    assert np.all(new_exe.arg_arrays[1].asnumpy() == 1)  # the weight is
    assert new_exe.arg_arrays[1] is exe.arg_arrays[1]
