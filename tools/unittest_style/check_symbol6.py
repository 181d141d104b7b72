"""Round-6 symbol/executor checks in the style of MXNet 1.9.1's test_executor.py and
test_infer_shape.py: partial shapes (0 = unknown), infer_shape_partial, executor reshape
(memory sharing, allow_up_sizing, partial_shaping), copy_params_from, outputs after
forward(is_train=True), bind with args/args_grad lists and dicts. Own code and numpy references.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_symbol6``.
"""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _shapes(sym, **kw):
    args, outs, aux = sym.infer_shape(**kw)
    return dict(zip(sym.list_arguments(), args)), outs, aux


def test_incomplete_infer_elewise():
    a = mx.sym.Variable("a", shape=(0, 10))
    b = mx.sym.Variable("b", shape=(12, 0))
    args, outs, _ = _shapes(a + b)
    assert args == {"a": (12, 10), "b": (12, 10)} and outs == [(12, 10)]


def test_incomplete_infer_mlp():
    a = mx.sym.Variable("a", shape=(0, 10))
    b = mx.sym.FullyConnected(data=a, num_hidden=21)
    c = mx.sym.Variable("c", shape=(5, 0))
    args, outs, _ = _shapes(b + c)
    assert args["a"] == (5, 10) and args["c"] == (5, 21) and outs == [(5, 21)]
    assert args["fullyconnected0_weight"] == (21, 10)


def test_incomplete_infer_slicechannel():
    a = mx.sym.Variable("a", shape=(0, 10))
    b = mx.sym.SliceChannel(data=a, num_outputs=10, axis=1, squeeze_axis=True)
    c = mx.sym.Variable("c", shape=(5,))
    assert _shapes(b[1] + c)[0]["a"] == (5, 10)
    a = mx.sym.Variable("a", shape=(0, 15, 0))
    b = mx.sym.SliceChannel(data=a, num_outputs=3, squeeze_axis=False)
    c = mx.sym.Variable("c", shape=(3, 5, 2))
    assert _shapes(b[1] + c)[0]["a"] == (3, 15, 2)
    a = mx.sym.Variable("a", shape=(0, 15, 0))
    b = mx.sym.SliceChannel(data=a, num_outputs=3, axis=1, squeeze_axis=False)
    assert _shapes(b[1] + mx.sym.Variable("c", shape=(3, 5, 2)))[0]["a"] == (3, 15, 2)


def test_incomplete_infer_convolution():
    a = mx.sym.Variable("a", shape=(0, 10, 0, 0))
    b = mx.sym.Convolution(data=a, num_filter=21, kernel=(3, 3), dilate=(1, 1), pad=(1, 1))
    c = mx.sym.Variable("c", shape=(5, 21, 32, 32))
    args, outs, _ = _shapes(b + c)
    assert args["a"] == (5, 10, 32, 32) and outs == [(5, 21, 32, 32)]


def test_incomplete_infer_concat():
    a = mx.sym.Variable("a", shape=(0, 10))
    b = mx.sym.Variable("b", shape=(0, 5))
    c = mx.sym.Concat(a, b, num_args=2, dim=1)
    d = mx.sym.Variable("d", shape=(2, 0))
    args, outs, _ = _shapes(d + c)
    assert args == {"d": (2, 15), "a": (2, 10), "b": (2, 5)} and outs == [(2, 15)]


def test_infer_shape_partial_unknowns():
    data = mx.sym.Variable("data")
    ret = mx.sym.sin(data)
    args, outs, _ = ret.infer_shape_partial()
    assert args == [()] and outs == [()]
    x = mx.sym.Variable("x")
    fc = mx.sym.FullyConnected(x, num_hidden=4, name="fc")
    args, outs, _ = fc.infer_shape_partial()
    assert args == [(), (), ()] and outs == [()]
    args, outs, _ = fc.infer_shape_partial(x=(0, 3))
    assert args == [(0, 3), (4, 3), (4,)] and outs == [(0, 4)]
    assert fc.infer_shape() == (None, None, None)


def test_partial_shape_ops():
    x, w = mx.sym.Variable("x"), mx.sym.Variable("w")
    y = mx.sym.Embedding(x, w, input_dim=100, output_dim=10)
    assert y.infer_shape_partial(x=(0, 5), w=(100, 10))[1] == [(0, 5, 10)]
    t = mx.sym.transpose(x, axes=(1, 0, 3, 2))
    assert t.infer_shape_partial(x=(0, 3, 224, 224))[1] == [(3, 0, 224, 224)]
    r = mx.sym.reshape(x, shape=(0, -1))
    assert r.infer_shape_partial(x=(2, 3, 4))[1] == [(2, 12)]
    s = mx.sym.sum(x, axis=1)
    assert s.infer_shape_partial(x=(0, 3, 4))[1] == [(0, 4)]
    c = mx.sym.Concat(x, w, dim=0)
    assert c.infer_shape_partial(x=(0, 3), w=(2, 3))[1] == [(0, 3)]
    d = mx.sym.dot(x, w)
    assert d.infer_shape_partial(x=(0, 3), w=(3, 5))[1] == [(0, 5)]


def test_where_and_identity_like_rhs_partial_shapes():
    x, cond = mx.sym.Variable("x"), mx.sym.Variable("cond")
    op = mx.sym.where(cond, x, x)
    assert op.infer_shape_partial(cond=(0, 2), x=(0, 2))[1] == [()]
    with mx.np_shape(True):
        assert op.infer_shape_partial(cond=(-1, 2), x=(-1, 2))[1] == [None]
    w, wshift = mx.sym.Variable("weight"), mx.sym.Variable("wshift", shape=(1,))
    wt = mx.symbol._internal._identity_with_attr_like_rhs(mx.sym.broadcast_add(w, wshift), w)
    net = mx.sym.FullyConnected(data=mx.sym.Variable("data"), weight=wt, num_hidden=11,
                                no_bias=True)
    assert _shapes(net, data=(7, 100))[0]["weight"] == (11, 100)


def test_infer_shape_errors():
    a = mx.sym.Variable("a", shape=(2, 3))
    b = mx.sym.Variable("b", shape=(3, 3))
    assertRaises(MXNetError, (a + b).infer_shape)
    fc = mx.sym.FullyConnected(mx.sym.Variable("x"), num_hidden=4, name="fc")
    assertRaises(MXNetError, fc.infer_shape, x=(2, 3), fc_weight=(5, 3))


def test_mlp2_infer_shape():
    data = mx.sym.Variable("data")
    fc1 = mx.sym.FullyConnected(data=data, name="fc1", num_hidden=1000)
    act = mx.sym.Activation(data=fc1, name="relu1", act_type="relu")
    out = mx.sym.FullyConnected(data=act, name="fc2", num_hidden=10)
    args, outs, aux = _shapes(out, data=(100, 100))
    assert args == {"data": (100, 100), "fc1_weight": (1000, 100), "fc1_bias": (1000,),
                    "fc2_weight": (10, 1000), "fc2_bias": (10,)}
    assert outs == [(100, 10)] and aux == []


def test_executor_reshape_shares_weights():
    x = mx.sym.Variable("x")
    y = mx.sym.FullyConnected(x, num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req="null")
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = mx.nd.ones((4, 4))
    exe.arg_arrays[2][:] = 0
    exe.forward(is_train=False)
    new_exe = exe.reshape(x=(3, 4))
    new_exe.forward(is_train=False)
    assert np.all(new_exe.outputs[0].asnumpy() == 4)
    exe.forward(is_train=False)
    assert np.all(exe.outputs[0].asnumpy() == 4)
    new_exe.arg_arrays[0][:] = 3  # a smaller array is a view of the old one's leading part
    new_exe.forward(is_train=False)
    assert np.all(exe.arg_arrays[0].asnumpy()[:, 0] == [3, 3, 3, 1, 1])
    exe.arg_arrays[0][:] = 0
    assert np.all(new_exe.arg_arrays[0].asnumpy() == 0)
    assert np.all(new_exe.arg_arrays[1].asnumpy() == 1)
    exe.arg_arrays[1][:] = 2
    assert np.all(new_exe.arg_arrays[1].asnumpy() == 2)


def test_executor_reshape_up_sizing():
    x = mx.sym.Variable("x")
    y = mx.sym.FullyConnected(x, num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req="write")
    assertRaises(MXNetError, exe.reshape, x=(6, 4))
    big = exe.reshape(x=(6, 4), allow_up_sizing=True)
    assert big.arg_dict["x"].shape == (6, 4) and big.outputs[0].shape == (6, 4)
    assert big.grad_dict["x"].shape == (6, 4)
    assertRaises(MXNetError, exe.reshape, x=(5, 3), allow_up_sizing=True)
    part = exe.reshape(partial_shaping=True, x=(2, 4))
    assert part.arg_arrays[1].shape == (4, 4) and part.grad_arrays[0].shape == (2, 4)


def test_executor_reshape_partial_shaping():
    x, z = mx.sym.Variable("x"), mx.sym.Variable("z")
    out = mx.sym.Group([x * 2, z + 1])
    exe = out.simple_bind(mx.cpu(), x=(3, 2), z=(4,))
    assertRaises(MXNetError, exe.reshape, x=(2, 2))
    new = exe.reshape(x=(2, 2), z=(4,))
    assert new.arg_dict["x"].shape == (2, 2) and new.arg_dict["z"] is exe.arg_dict["z"]


def test_copy_params_from():
    data = mx.sym.Variable("data")
    net = mx.sym.BatchNorm(mx.sym.FullyConnected(data, num_hidden=3, name="fc"), name="bn")
    exe = net.simple_bind(mx.cpu(), data=(2, 4))
    arg = {"fc_weight": mx.nd.ones((3, 4)), "fc_bias": mx.nd.array([1, 2, 3])}
    aux = {"bn_moving_var": mx.nd.ones((3,)) * 4}
    exe.copy_params_from(arg, aux)
    assert np.all(exe.arg_dict["fc_bias"].asnumpy() == [1, 2, 3])
    assert np.all(exe.aux_dict["bn_moving_var"].asnumpy() == 4)
    arg["fc_bias"][:] = 7
    assert np.all(exe.arg_dict["fc_bias"].asnumpy() == [1, 2, 3])
    assertRaises(ValueError, exe.copy_params_from, {"nope": mx.nd.ones((1,))})
    exe.copy_params_from({"nope": mx.nd.ones((1,))}, allow_extra_params=True)
    assertRaises(ValueError, exe.copy_params_from, arg, {"nope": mx.nd.ones((1,))})


def test_forward_train_outputs_and_kwargs():
    data = mx.sym.Variable("data")
    net = mx.sym.BatchNorm(data, fix_gamma=False, name="bn")
    exe = net.simple_bind(mx.cpu(), data=(4, 2))
    x = np.array([[1, 2], [3, 4], [5, 6], [7, 9]], dtype=np.float32)
    exe.arg_dict["bn_gamma"][:] = 1
    exe.arg_dict["bn_beta"][:] = 0
    exe.aux_dict["bn_moving_var"][:] = 1
    outs = exe.forward(is_train=True, data=x)
    ref = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    assert_almost_equal(outs[0].asnumpy(), ref, rtol=1e-4, atol=1e-5)
    assert outs[0] is exe.outputs[0] or np.all(outs[0].asnumpy() == exe.outputs[0].asnumpy())
    exe.aux_dict["bn_moving_mean"][:] = 1
    exe.aux_dict["bn_moving_var"][:] = 4
    outs = exe.forward(is_train=False)
    assert_almost_equal(outs[0].asnumpy(), (x - 1) / np.sqrt(4 + 1e-3), rtol=1e-4, atol=1e-5)
    assertRaises(TypeError, exe.forward, is_train=False, nope=x)


def test_bind_args_lists_and_dicts():
    a, b = mx.sym.Variable("a"), mx.sym.Variable("b")
    c = 2 * a * b + a
    an, bn = mx.nd.array([[1, 2]]), mx.nd.array([[3, 4]])
    ga, gb = mx.nd.zeros((1, 2)), mx.nd.zeros((1, 2))
    exe = c.bind(mx.cpu(), args=[an, bn], args_grad={"a": ga, "b": gb},
                 grad_req={"a": "write", "b": "add"})
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((1, 2)))
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((1, 2)))
    assert_almost_equal(exe.outputs[0].asnumpy(), np.array([[7, 18]]))
    assert_almost_equal(ga.asnumpy(), np.array([[7, 9]]))
    assert_almost_equal(gb.asnumpy(), np.array([[4, 8]]))
    exe2 = c.bind(mx.cpu(), args={"a": an, "b": bn}, args_grad=[ga, None],
                  grad_req=["write", "null"])
    exe2.forward(is_train=True)
    exe2.backward([mx.nd.ones((1, 2)) * 2])
    assert_almost_equal(ga.asnumpy(), np.array([[14, 18]]))
    assert exe2.grad_dict["b"] is None
    assertRaises(ValueError, c.bind, mx.cpu(), args=[an])
    assertRaises(ValueError, c.bind, mx.cpu(), args={"a": an})


def test_simple_bind_shared_exec_and_type_dict():
    x = mx.sym.Variable("x")
    y = mx.sym.FullyConnected(x, num_hidden=3, name="fc")
    exe = y.simple_bind(mx.cpu(), x=(2, 5), type_dict={"x": "float64"})
    assert exe.arg_dict["x"].dtype == np.float64
    assert exe.arg_dict["fc_weight"].dtype == np.float64
    shared = y.simple_bind(mx.cpu(), x=(2, 5), type_dict={"x": "float64"}, shared_exec=exe)
    assert shared.arg_dict["fc_weight"].shape == (3, 5)


def test_executor_debug_and_output_dict():
    a = mx.sym.Variable("a")
    net = mx.sym.Group([mx.sym.exp(a, name="e"), mx.sym.relu(a, name="r")])
    exe = net.simple_bind(mx.cpu(), a=(2,))
    exe.arg_dict["a"][:] = mx.nd.array([0, -1])
    exe.forward()
    assert sorted(exe.output_dict) == ["e_output", "r_output"]
    assert_almost_equal(exe.output_dict["e_output"].asnumpy(), np.exp([0, -1]))
    assert isinstance(exe.debug_str(), str)
    assert len(exe.outputs) == 2 and exe.arg_arrays[0] is exe.arg_dict["a"]


@with_seed()
def test_reshape_then_backward_matches_numpy():
    data = mx.sym.Variable("data")
    net = mx.sym.sum(mx.sym.square(mx.sym.FullyConnected(data, num_hidden=2, name="fc")))
    exe = net.simple_bind(mx.cpu(), data=(3, 4))
    w = np.random.uniform(-1, 1, (2, 4)).astype(np.float32)
    exe.arg_dict["fc_weight"][:] = w
    exe.arg_dict["fc_bias"][:] = 0
    small = exe.reshape(data=(2, 4))
    x = np.random.uniform(-1, 1, (2, 4)).astype(np.float32)
    small.forward(is_train=True, data=x)
    small.backward(mx.nd.ones((1,)))
    assert_almost_equal(small.grad_dict["fc_weight"].asnumpy(), 2 * (x @ w.T).T @ x,
                        rtol=1e-4, atol=1e-5)
    assert_almost_equal(small.grad_dict["data"].asnumpy(), 2 * (x @ w.T) @ w, rtol=1e-4,
                        atol=1e-5)


main(globals())
