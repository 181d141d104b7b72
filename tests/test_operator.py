"""mx.operator custom operators through nd, autograd, sym, JSON and the Executor (the JSON
layout and numbers were checked against MXNet 1.9.1)."""
import json

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError


class _Scale(mx.operator.CustomOp):
    def __init__(self, factor):
        self.factor = factor

    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], in_data[0] * self.factor)

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        self.assign(in_grad[0], req[0], out_grad[0] * self.factor)


@mx.operator.register("test_scale")
class _ScaleProp(mx.operator.CustomOpProp):
    def __init__(self, factor="2"):
        super().__init__(need_top_grad=True)
        self.factor = float(factor)

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0]], []

    def create_operator(self, ctx, shapes, dtypes):
        return _Scale(self.factor)


class _SoftmaxNumpy(mx.operator.CustomOp):
    """The classic MXNet example: numpy inside, a loss-style backward."""

    def forward(self, is_train, req, in_data, out_data, aux):
        x = in_data[0].asnumpy()
        y = np.exp(x - x.max(axis=1, keepdims=True))
        self.assign(out_data[0], req[0], mx.nd.array(y / y.sum(axis=1, keepdims=True)))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        label = in_data[1].asnumpy().astype(int)
        y = out_data[0].asnumpy().copy()
        y[np.arange(label.shape[0]), label] -= 1.0
        self.assign(in_grad[0], req[0], mx.nd.array(y))


@mx.operator.register("test_softmax")
class _SoftmaxProp(mx.operator.CustomOpProp):
    def __init__(self):
        super().__init__(need_top_grad=False)

    def list_arguments(self):
        return ["data", "label"]

    def infer_shape(self, in_shape):
        return [in_shape[0], (in_shape[0][0],)], [in_shape[0]], []

    def create_operator(self, ctx, shapes, dtypes):
        return _SoftmaxNumpy()


def test_nd_forward_backward():
    x = mx.nd.array([1, 2, 3])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Custom(x, op_type="test_scale", factor=3)
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [3, 6, 9])
    np.testing.assert_array_equal(x.grad.asnumpy(), [3, 3, 3])


def test_symbol_json_matches_mxnet():
    s = mx.sym.Custom(data=mx.sym.var("x"), op_type="test_scale", factor=3, name="sc")
    node = json.loads(s.tojson())["nodes"][1]
    assert node == {"op": "Custom", "name": "sc", "attrs": {"factor": "3",
                                                           "op_type": "test_scale"},
                    "inputs": [[0, 0, 0]]}
    assert s.list_arguments() == ["x"] and s.list_outputs() == ["sc_output"]
    assert s.infer_shape(x=(2,)) == ([(2,)], [(2,)], [])
    again = mx.sym.load_json(s.tojson())
    np.testing.assert_array_equal(again.eval(x=mx.nd.array([1, 2]))[0].asnumpy(), [3, 6])


def test_numpy_custom_loss_in_executor():
    data = mx.sym.var("data")
    net = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    out = mx.sym.Custom(net, mx.sym.var("label"), op_type="test_softmax", name="sm")
    assert out.list_arguments() == ["data", "fc_weight", "fc_bias", "label"]
    exe = out.simple_bind(mx.cpu(), data=(4, 5))
    rng = np.random.RandomState(0)
    exe.arg_dict["data"][:] = rng.randn(4, 5)
    exe.arg_dict["fc_weight"][:] = rng.randn(3, 5) * 0.1
    exe.arg_dict["label"][:] = np.array([0, 1, 2, 1])
    probs = exe.forward(is_train=True)[0].asnumpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    exe.backward()
    expected = probs.copy()
    expected[np.arange(4), [0, 1, 2, 1]] -= 1
    np.testing.assert_allclose(exe.grad_dict["fc_bias"].asnumpy(), expected.sum(0), rtol=1e-5)


def test_unknown_op_type_is_a_clear_error():
    with pytest.raises(MXNetError, match="no custom operator registered as 'nope'"):
        mx.nd.Custom(mx.nd.ones(2), op_type="nope")
    with pytest.raises(TypeError, match="CustomOpProp"):
        mx.operator.register("bad")(object)


def test_imperative_control_flow_matches_mxnet():
    nd = mx.nd

    def body(x, states):
        s = states[0] + x
        return s * 2, [s]
    out, states = nd.contrib.foreach(body, nd.arange(6).reshape((3, 2)), [nd.zeros(2)])
    np.testing.assert_array_equal(out.asnumpy(), [[0, 2], [4, 8], [12, 18]])  # from MXNet
    np.testing.assert_array_equal(states[0].asnumpy(), [6, 9])
    outs, loop_vars = nd.contrib.while_loop(
        lambda i, s: i <= 5, lambda i, s: ([i + s], [i + 1, s + i]),
        loop_vars=(nd.array([0]), nd.array([1])), max_iterations=10)
    np.testing.assert_array_equal(outs[0].asnumpy().ravel(), [1, 2, 4, 7, 11, 16, 0, 0, 0, 0])
    assert [v.asscalar() for v in loop_vars] == [6, 16]
    picked = nd.contrib.cond(nd.array([1]) > 0, lambda: nd.array([5]), lambda: nd.array([6]))
    assert picked.asscalar() == 5


def test_rand_zipfian_expected_counts_match_mxnet():
    mx.random.seed(0)
    samples, expected_true, expected_sampled = mx.nd.contrib.rand_zipfian(
        mx.nd.array([3, 7, 1]), 5, 20)
    # MXNet 1.9.1: expected counts of the true classes
    np.testing.assert_allclose(expected_true.asnumpy(), [0.36646725, 0.19343434, 0.66589279],
                               rtol=1e-7)
    assert samples.dtype == np.int64 and expected_true.dtype == np.float64
    assert ((samples.asnumpy() >= 0) & (samples.asnumpy() < 20)).all()
    many, _, _ = mx.nd.contrib.rand_zipfian(mx.nd.array([0]), 100000, 20)
    freq = np.bincount(many.asnumpy(), minlength=20) / 100000
    law = np.log((np.arange(20) + 2) / (np.arange(20) + 1)) / np.log(21)
    np.testing.assert_allclose(freq, law, atol=0.01)
