"""Symbolic control flow: sym.contrib.foreach / while_loop / cond build MXNet 1.9.1's
``_foreach`` / ``_while_loop`` / ``_cond`` nodes with subgraphs (layouts and values below come
from the oracle, MXNet 1.9.1; tolerances 1e-5 unless stated)."""
import json

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import gluon
from mxtorch.base import MXNetError
from mxtorch.test_utils import assert_almost_equal


def _bind(sym, values, out_grads=None, grad_req="write"):
    args = {k: mx.nd.array(v) for k, v in values.items()}
    grads = {k: mx.nd.zeros(np.shape(v)) for k, v in values.items()}
    exe = sym.bind(mx.cpu(), args=args, args_grad=grads, grad_req=grad_req)
    exe.forward(is_train=True)
    exe.backward(out_grads or [mx.nd.ones(o.shape) for o in exe.outputs])
    return [o.asnumpy() for o in exe.outputs], {k: g.asnumpy() for k, g in grads.items()}


def _nodes(sym, op):
    return [n for n in json.loads(sym.tojson())["nodes"] if n["op"] == op]


def _foreach_graph(inside):
    data, s, outer_w = mx.sym.var("data"), mx.sym.var("s"), mx.sym.var("w")

    def step(x, states):
        w = mx.sym.var("w") if inside else outer_w
        out = x * states[0] + w
        return out, [x * 2 + states[0] * w]
    outs, states = mx.sym.contrib.foreach(step, data, [s])
    return mx.sym.Group([outs] + states)


@pytest.mark.parametrize("inside", [True, False])
def test_foreach_values_match_mxnet(inside):
    vals = {"data": np.arange(6).reshape(3, 2) / 4., "s": np.array([0.5, -1.]),
            "w": np.array([0.25, 1.])}
    outs, grads = _bind(_foreach_graph(inside), vals)
    assert_almost_equal(outs[0], np.array([[0.25, 0.75], [0.3125, 0.625], [1.28125, 2.25]]))
    assert_almost_equal(outs[1], np.array([2.2578125, 3.5]))
    assert_almost_equal(grads["data"], np.array([[2.125, 5.0], [2.625, 4.0], [3.03125, 3.0]]))
    assert_almost_equal(grads["s"], np.array([0.203125, 3.25]))
    assert_almost_equal(grads["w"], np.array([4.59375, -0.125]))


def test_foreach_graph_layout_matches_mxnet():
    with mx.name.NameManager():
        data, s, w = mx.sym.var("data"), mx.sym.var("s"), mx.sym.var("w")
        u = mx.sym.exp(mx.sym.var("v"), name="ex")
        outs, states = mx.sym.contrib.foreach(
            lambda x, st: ([x * st[0] + w + u, x], [st[0] * 2]), data, [s], name="fe")
        g = mx.sym.Group(outs + states)
    assert g.list_arguments() == ["data", "s", "w", "v"]
    assert g.list_outputs() == ["_foreach0_output0", "_foreach0_output1", "_foreach0_output2"]
    (node,) = _nodes(g, "_foreach")
    assert node["attrs"] == {"in_data_locs": "[0]", "in_state_locs": "[1]", "num_args": "5",
                             "num_out_data": "2", "num_outputs": "3", "remain_locs": "[2, 3]"}
    body = node["subgraphs"][0]
    assert [n["name"] for n in body["nodes"] if n["op"] == "null"] == \
        ["data-0", "s-0", "w", "ex_output"]
    assert body["nodes"][0]["attrs"] == {"__subgraph_name__": "fe0"}
    assert "attrs" not in body  # no version attrs on nested graphs
    (copy_node,) = [n for n in body["nodes"] if n["op"] == "_copy"]
    assert copy_node["name"].startswith("identity") and copy_node["inputs"] == [[0, 0, 0]]


def test_foreach_json_round_trip_and_infer():
    data, s, w = mx.sym.var("data"), mx.sym.var("s"), mx.sym.var("w")
    outs, states = mx.sym.contrib.foreach(
        lambda x, st: (mx.sym.FullyConnected(x, w, no_bias=True, num_hidden=6) + st, st * 2),
        data, s)
    g = mx.sym.Group([outs, states])
    assert g.infer_shape(data=(7, 4, 5), s=(4, 6)) == (
        [(7, 4, 5), (4, 6), (6, 5)], [(7, 4, 6), (4, 6)], [])
    assert g.infer_type(data=np.float64)[1] == [np.float64, np.float64]
    again = mx.sym.load_json(g.tojson())
    assert again.tojson() == g.tojson()
    rng = np.random.RandomState(0)
    vals = {"data": rng.rand(3, 2, 5), "s": rng.rand(2, 6), "w": rng.rand(6, 5)}
    a, b = _bind(g, vals), _bind(again, vals)
    for x, y in zip(a[0], b[0]):
        assert_almost_equal(x, y)
    for k in vals:
        assert_almost_equal(a[1][k], b[1][k])


def _nd_and_sym(build, vals):
    syms = {k: mx.sym.var(k) for k in vals}
    s_outs, s_grads = _bind(mx.sym.Group(build(mx.sym, **syms)), vals)
    arrays = {k: mx.nd.array(v) for k, v in vals.items()}
    for a in arrays.values():
        a.attach_grad()
    with mx.autograd.record():
        outs = build(mx.nd, **arrays)
    mx.autograd.backward(outs, [mx.nd.ones(o.shape) for o in outs])
    for x, y in zip(s_outs, outs):
        assert_almost_equal(x, y.asnumpy(), rtol=1e-5, atol=1e-6)
    for k, a in arrays.items():
        assert_almost_equal(s_grads[k], a.grad.asnumpy(), rtol=1e-5, atol=1e-6)


def test_foreach_nested_matches_nd():
    def build(F, data, s):
        def outer(x, st):
            inner_out, inner_st = F.contrib.foreach(lambda y, t: (y * t, t + y), x, st)
            return inner_out, inner_st * 2
        outs, states = F.contrib.foreach(outer, data, s)
        return [outs, states]
    rng = np.random.RandomState(1)
    _nd_and_sym(build, {"data": rng.rand(2, 3, 4), "s": rng.rand(4)})


def test_while_loop_layout_values_and_round_trip():
    with mx.name.NameManager():
        i, acc = mx.sym.var("i"), mx.sym.var("acc")
        outs, final = mx.sym.contrib.while_loop(
            lambda i, acc: (i < 3).sum(),
            lambda i, acc: (mx.sym.broadcast_mul(acc, i), [i + 1, acc + 1]),
            [i, acc], max_iterations=5)
    assert isinstance(outs, mx.sym.Symbol) and isinstance(final, list)
    g = mx.sym.Group([outs] + final)
    (node,) = _nodes(g, "_while_loop")
    assert node["attrs"] == {"cond_input_locs": "[0]", "func_input_locs": "[1, 0]",
                             "func_var_locs": "[1, 0]", "max_iterations": "5",
                             "num_args": "4", "num_out_data": "1", "num_outputs": "3"}
    assert node["subgraphs"][0]["nodes"][0]["attrs"] == {"__subgraph_name__":
                                                         "while_loop_cond0"}
    vals = {"i": np.array([1.0]), "acc": np.array([2.0, 3.0])}
    for sym in (g, mx.sym.load_json(g.tojson())):
        outs_np, grads = _bind(sym, vals)
        # rows past the last iteration are zeros (MXNet leaves them uninitialised)
        assert_almost_equal(outs_np[0], np.array([[2, 3], [6, 8], [0, 0], [0, 0], [0, 0]]))
        assert_almost_equal(outs_np[1], np.array([3.0]))
        assert_almost_equal(outs_np[2], np.array([4.0, 5.0]))
        assert_almost_equal(grads["i"], np.array([13.0]))
        assert_almost_equal(grads["acc"], np.array([4.0, 4.0]))


def test_while_loop_gradients_match_nd_and_nd_output_format():
    def build(F, i, acc, w):
        outs, final = F.contrib.while_loop(
            cond=lambda i, acc: (i < 4).sum(),
            func=lambda i, acc: (acc * w, [i + 1, acc * 0.5 + i * w]),
            loop_vars=[i, acc], max_iterations=6)
        assert not isinstance(outs, list)  # one output -> one array, as in MXNet
        return [outs] + final
    _nd_and_sym(build, {"i": np.array([0.0]), "acc": np.array([0.7]), "w": np.array([1.3])})


def test_while_loop_in_hybrid_block():
    class Loop(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.contrib.while_loop(cond=lambda i, s: i <= 5,
                                        func=lambda i, s: ([i + s], [i + 1, s + i]),
                                        loop_vars=(x, F.ones_like(x)), max_iterations=10)
    block = Loop()
    block.hybridize()
    outs, (i, s) = block(mx.nd.array([1]))
    assert_almost_equal(outs[0].asnumpy().ravel(),
                        np.array([2, 4, 7, 11, 16, 0, 0, 0, 0, 0], dtype=np.float32))
    assert i.asscalar() == 6 and s.asscalar() == 16


def test_cond_layout_and_branches():
    with mx.name.NameManager():
        a, b = mx.sym.var("a"), mx.sym.var("b")
        c = mx.sym.contrib.cond(a < b, lambda: a * 2 + b, lambda: [a - b], name="cd")
        two = mx.sym.contrib.cond(a < b, lambda: (a * 2, b), lambda: (a - b, a))
    assert isinstance(c, mx.sym.Symbol) and c.list_outputs() == ["_cond0_output"]
    assert [s.list_outputs() for s in two] == [["_cond1_output0"], ["_cond1_output1"]]
    (node,) = _nodes(c, "_cond")
    assert node["attrs"] == {"cond_input_locs": "[0]", "else_input_locs": "[1, 2]",
                             "num_args": "6", "num_outputs": "1", "then_input_locs": "[1, 2]"}
    pred = node["subgraphs"][0]["nodes"]
    assert [n["name"] for n in pred] == ["_lesser0_output", "identity0"]
    # then-branch: a*2+b; gradients reach only the branch taken
    outs, grads = _bind(c, {"a": np.array([1.0]), "b": np.array([3.0])})
    assert outs[0].tolist() == [5.0] and grads["a"].tolist() == [2.0]
    outs, grads = _bind(c, {"a": np.array([4.0]), "b": np.array([3.0])})
    assert outs[0].tolist() == [1.0] and grads["b"].tolist() == [-1.0]


def test_foreach_rnn_cell_hybridized_matches_imperative():
    class Layer(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.cell = gluon.rnn.LSTMCell(5)

        def hybrid_forward(self, F, inputs, states):
            return F.contrib.foreach(self.cell, inputs, states)
    mx.random.seed(3)
    layer = Layer()
    layer.initialize()
    data = mx.nd.random.uniform(shape=(4, 2, 3))
    states = [mx.nd.zeros((2, 5)), mx.nd.zeros((2, 5))]
    results = []
    for hybrid in (False, True):
        if hybrid:
            layer.hybridize()
        x = data.copy()
        x.attach_grad()
        with mx.autograd.record():
            out, new = layer(x, states)
            (out.sum() + new[1].sum()).backward()
        results.append((out.asnumpy(), x.grad.asnumpy(),
                        layer.cell.h2h_weight.grad().asnumpy()))
    assert layer.cell.i2h_weight.shape == (20, 3)  # deferred init through the body
    for a, b in zip(*results):
        assert_almost_equal(a, b, rtol=1e-4, atol=1e-6)


def test_control_flow_node_without_subgraph_is_a_clear_error():
    with pytest.raises(MXNetError, match="_foreach: the node needs 1 subgraph"):
        mx.nd._internal._foreach(mx.nd.ones((2, 2)), num_args=2, num_outputs=1,
                                 num_out_data=1, in_state_locs=(), in_data_locs=(0,),
                                 remain_locs=())
