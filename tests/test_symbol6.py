"""Round-6 symbol/executor conformance (MXNet 1.9.1 test_infer_shape.py / test_executor.py
patterns, found by tools/unittest_style/check_symbol6.py). Expected values were printed by
MXNet 1.9.1 (CPU build); shapes and values compare exactly."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

sym = mx.sym


def _arg_shapes(s, **kw):
    args, _, _ = s.infer_shape_partial(**kw)
    return dict(zip(s.list_arguments(), args))


@pytest.mark.parametrize("shape, kw, other, want", [
    ((0, 10), dict(num_outputs=10, axis=1, squeeze_axis=True), (5,), (5, 10)),
    ((0, 15, 0), dict(num_outputs=3), (3, 5, 2), (3, 15, 2)),
    ((0, 3, 0), dict(num_outputs=3, axis=1, squeeze_axis=True), (5, 4), (5, 3, 4)),
    ((0, 6, 0), dict(num_outputs=3, axis=1), (5, 2, 4), (5, 6, 4)),
])
def test_slice_channel_infers_data_from_one_output(shape, kw, other, want):
    a = sym.Variable("a", shape=shape)
    b = sym.SliceChannel(a, **kw)
    assert _arg_shapes(b[1] + sym.Variable("c", shape=other))["a"] == want
    assert sym.Group([b[1] + sym.Variable("c", shape=other)]).infer_shape()[0][0] == want


def test_concat_fills_inputs_from_the_output():
    a, b = sym.Variable("a", shape=(0, 10)), sym.Variable("b", shape=(0, 5))
    d = sym.Variable("d", shape=(2, 0))
    args, outs, _ = (d + sym.Concat(a, b, num_args=2, dim=1)).infer_shape()
    assert args == [(2, 15), (2, 10), (2, 5)] and outs == [(2, 15)]
    # an input of unknown size along dim is not filled from the output (MXNet 1.9.1)
    a = sym.Variable("a", shape=(0, 0))
    got = _arg_shapes(sym.Variable("d", shape=(2, 15)) + sym.Concat(a, b, dim=1))
    assert got["b"] == (2, 5) and got["a"][1] == 0


@pytest.mark.parametrize("kw, out, want", [
    (dict(kernel=(3, 3), pad=(1, 1)), (5, 21, 32, 32), (5, 10, 32, 32)),
    (dict(kernel=(3,)), (5, 21, 7), (5, 10, 9)),
    (dict(kernel=(3, 2), dilate=(2, 1), pad=(0, 1)), (5, 21, 6, 6), (5, 10, 10, 5)),
    (dict(kernel=(3, 3), stride=(2, 2)), (5, 21, 7, 7), (5, 10, 0, 0)),  # strided: batch only
])
def test_convolution_infers_data_spatial_dims_from_the_output(kw, out, want):
    a = sym.Variable("a", shape=(0, 10) + (0,) * len(kw["kernel"]))
    b = sym.Convolution(a, num_filter=21, **kw)
    assert _arg_shapes(b + sym.Variable("c", shape=out))["a"] == want


def _fc_exe(req="null"):
    y = sym.FullyConnected(sym.Variable("x"), num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req=req)
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = 1
    exe.arg_arrays[2][:] = 0
    return exe


def test_reshaped_executor_shares_data_and_output_memory():
    exe = _fc_exe()
    new = exe.reshape(x=(3, 4))
    new.forward(is_train=False)
    assert np.all(new.outputs[0].asnumpy() == 4)
    assert exe.outputs[0].asnumpy()[:, 0].tolist() == [4, 4, 4, 0, 0]
    exe.forward(is_train=False)
    assert np.all(exe.outputs[0].asnumpy() == 4)
    exe.arg_arrays[0][:] = 0
    assert np.all(new.arg_arrays[0].asnumpy() == 0)
    assert new.arg_arrays[1] is exe.arg_arrays[1]
    new.arg_arrays[0][:] = 3
    new.forward(is_train=False)
    assert exe.arg_arrays[0].asnumpy()[:, 0].tolist() == [3, 3, 3, 0, 0]
    assert exe.outputs[0].asnumpy()[:, 0].tolist() == [12, 12, 12, 4, 4]


def test_reshape_grows_only_when_allowed_and_keeps_grads():
    exe = _fc_exe("write")
    with pytest.raises(MXNetError):
        exe.reshape(x=(6, 4))
    big = exe.reshape(x=(7, 4), allow_up_sizing=True)
    assert big.arg_arrays[0].shape == (7, 4) and big.grad_arrays[0].shape == (7, 4)
    exe.arg_arrays[1][:] = 5
    assert np.all(big.arg_arrays[1].asnumpy() == 5)
    small = exe.reshape(x=(2, 4))
    assert small.grad_arrays[0].shape == (2, 4)


def test_reshape_needs_partial_shaping_for_arguments_it_cannot_infer():
    x, z = sym.Variable("x"), sym.Variable("z")
    exe = sym.Group([x * 2, z + 1]).simple_bind(mx.cpu(), x=(3, 2), z=(4,))
    with pytest.raises(MXNetError, match="partial_shaping"):
        exe.reshape(x=(2, 2))
    new = exe.reshape(x=(2, 2), z=(4,))
    assert new.arg_dict["x"].shape == (2, 2) and new.arg_dict["z"] is exe.arg_dict["z"]
    assert exe.reshape(partial_shaping=True, x=(2, 2)).arg_dict["z"].shape == (4,)


def test_forward_unknown_keyword_is_a_type_error_and_bind_mismatch_a_value_error():
    a, b = sym.Variable("a"), sym.Variable("b")
    c = 2 * a * b + a
    exe = c.simple_bind(mx.cpu(), a=(1, 2), b=(1, 2))
    with pytest.raises(TypeError, match="nope"):
        exe.forward(nope=mx.nd.ones((1, 2)))
    with pytest.raises(MXNetError):
        exe.forward(nope=mx.nd.ones((1, 2)))
    an = mx.nd.array([[1, 2]])
    with pytest.raises(ValueError):
        c.bind(mx.cpu(), args=[an])
    with pytest.raises(ValueError):
        c.bind(mx.cpu(), args={"a": an})


def test_bind_grad_req_dicts_write_add_null():
    a, b = sym.Variable("a"), sym.Variable("b")
    c = 2 * a * b + a
    an, bn = mx.nd.array([[1, 2]]), mx.nd.array([[3, 4]])
    ga, gb = mx.nd.zeros((1, 2)), mx.nd.zeros((1, 2))
    exe = c.bind(mx.cpu(), args=[an, bn], args_grad={"a": ga, "b": gb},
                 grad_req={"a": "write", "b": "add"})
    for _ in range(2):
        exe.forward(is_train=True)
        exe.backward(mx.nd.ones((1, 2)))
    assert exe.outputs[0].asnumpy().tolist() == [[7, 18]]
    assert ga.asnumpy().tolist() == [[7, 9]] and gb.asnumpy().tolist() == [[4, 8]]
    exe2 = c.bind(mx.cpu(), args={"a": an, "b": bn}, args_grad=[ga, None],
                  grad_req=["write", "null"])
    exe2.forward(is_train=True)
    exe2.backward([mx.nd.ones((1, 2)) * 2])
    assert ga.asnumpy().tolist() == [[14, 18]] and exe2.grad_dict["b"] is None


def test_where_needs_complete_shapes_for_its_output():
    x, cond = sym.Variable("x"), sym.Variable("cond")
    op = sym.where(cond, x, x)
    assert op.infer_shape_partial(cond=(0, 2), x=(0, 2))[1] == [()]
    with mx.np_shape(True):
        assert op.infer_shape_partial(cond=(-1, 2), x=(-1, 2))[1] == [None]
    assert op.infer_shape(cond=(3, 2), x=(3, 2))[1] == [(3, 2)]


def test_identity_with_attr_like_rhs_ties_shapes_backwards():
    w, wshift = sym.Variable("weight"), sym.Variable("wshift", shape=(1,))
    wt = mx.symbol._internal._identity_with_attr_like_rhs(sym.broadcast_add(w, wshift), w)
    net = sym.FullyConnected(data=sym.Variable("data"), weight=wt, num_hidden=11, no_bias=True)
    args = dict(zip(net.list_arguments(), net.infer_shape(data=(7, 100))[0]))
    assert args == {"data": (7, 100), "weight": (11, 100), "wshift": (1,)}


@pytest.mark.parametrize("make, kw, want", [
    (lambda: sym.dot(sym.Variable("x"), sym.Variable("y")), dict(x=(0, 3, 4), y=(4, 5)),
     [(0, 3, 5)]),
    (lambda: sym.batch_dot(sym.Variable("x"), sym.Variable("y")), dict(x=(0, 3, 4), y=(0, 4, 5)),
     [(0, 3, 5)]),
    (lambda: sym.pick(sym.Variable("x"), sym.Variable("index"), axis=1),
     dict(x=(0, 3, 3), index=(0, 3)), [(0, 3)]),
    (lambda: sym.transpose(sym.Variable("x"), axes=(1, 0, 3, 2)), dict(x=(0, 3, 224, 224)),
     [(3, 0, 224, 224)]),
])
def test_partial_shapes_through_ops(make, kw, want):
    assert make().infer_shape_partial(**kw)[1] == want
    with mx.np_shape(True):
        np_kw = {k: tuple(-1 if d == 0 else d for d in v) for k, v in kw.items()}
        assert make().infer_shape_partial(**np_kw)[1] == [
            tuple(-1 if d == 0 else d for d in s) for s in want]
