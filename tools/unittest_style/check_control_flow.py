"""Symbolic control flow in the style of MXNet's test_contrib_control_flow.py (own code):
sym.contrib.foreach / while_loop / cond built, inferred, bound, differentiated, saved as JSON
and reloaded, and used inside hybridized HybridBlocks (F = symbol), compared with the
imperative nd versions."""
import copy
import json

import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main


def _bind_run(sym, values, grad_req="write", out_grads=None):
    args = {k: mx.nd.array(v) for k, v in values.items()}
    grads = {k: mx.nd.zeros(v.shape) for k, v in values.items()}
    exe = sym.bind(mx.cpu(), args=args, args_grad=grads, grad_req=grad_req)
    exe.forward(is_train=True)
    outs = [o.asnumpy() for o in exe.outputs]
    exe.backward(out_grads if out_grads is not None else
                 [mx.nd.ones(o.shape) for o in exe.outputs])
    return outs, {k: g.asnumpy() for k, g in grads.items()}


def _nd_run(fn, values):
    arrays = {k: mx.nd.array(v) for k, v in values.items()}
    for a in arrays.values():
        a.attach_grad()
    with mx.autograd.record():
        outs = fn(**arrays)
    mx.autograd.backward(outs, [mx.nd.ones(o.shape) for o in outs])
    return [o.asnumpy() for o in outs], {k: a.grad.asnumpy() for k, a in arrays.items()}


def _flat(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _compare(sym_fn, values, rtol=1e-4, atol=1e-5):
    """sym version (bind/backward) == nd version (autograd) for the same builder."""
    syms = {k: mx.sym.var(k) for k in values}
    group = mx.sym.Group(sym_fn(mx.sym, **syms))
    s_outs, s_grads = _bind_run(group, values)
    n_outs, n_grads = _nd_run(lambda **a: sym_fn(mx.nd, **a), values)
    assert len(s_outs) == len(n_outs)
    for a, b in zip(s_outs, n_outs):
        assert_almost_equal(a, b, rtol=rtol, atol=atol)
    for k in values:
        assert_almost_equal(s_grads[k], n_grads[k], rtol=rtol, atol=atol)
    return group


# ---- foreach ------------------------------------------------------------------------------

@with_seed()
def test_foreach_simple_forward_backward():
    def build(F, data, s):
        def step(x, states):
            out = x * states[0] + 1
            return out, [x * 2 + states[0]]
        outs, states = F.contrib.foreach(step, data, [s])
        return [outs] + states
    _compare(build, {"data": np.random.uniform(size=(4, 3)), "s": np.random.uniform(size=(3,))})


@with_seed()
def test_foreach_multiple_data_and_states():
    def build(F, a, b, s1, s2):
        def step(xs, states):
            x, y = xs
            h = F.tanh(x + states[0]) * y
            return [h, h + states[1]], [h, states[1] * 0.5 + x]
        outs, states = F.contrib.foreach(step, [a, b], [s1, s2])
        return outs + states
    shapes = {"a": (5, 2, 3), "b": (5, 2, 3), "s1": (2, 3), "s2": (2, 3)}
    _compare(build, {k: np.random.uniform(-1, 1, v) for k, v in shapes.items()})


@with_seed()
def test_foreach_reads_outer_op_output():
    def build(F, data, s, v):
        u = F.exp(v)
        outs, states = F.contrib.foreach(lambda x, st: (x * u + st, x + st), data, s)
        return [outs, states]
    _compare(build, {"data": np.random.uniform(size=(3, 4)), "s": np.random.uniform(size=(4,)),
                     "v": np.random.uniform(size=(4,))})


def test_foreach_graph_layout():
    with mx.name.NameManager():
        _test_foreach_graph_layout()


def _test_foreach_graph_layout():
    data, s = mx.sym.var("data"), mx.sym.var("s")
    w = mx.sym.var("w")
    u = mx.sym.exp(mx.sym.var("v"), name="ex")
    outs, states = mx.sym.contrib.foreach(
        lambda x, st: ([x * st[0] + w + u, x], [st[0] * 2]), data, [s], name="fe")
    g = mx.sym.Group(outs + states)
    assert g.list_arguments() == ["data", "s", "w", "v"]
    assert g.list_outputs() == ["_foreach0_output0", "_foreach0_output1", "_foreach0_output2"]
    nodes = json.loads(g.tojson())["nodes"]
    loop = [n for n in nodes if n["op"] == "_foreach"][0]
    assert loop["name"] == "_foreach0"
    assert loop["attrs"] == {"in_data_locs": "[0]", "in_state_locs": "[1]", "num_args": "5",
                             "num_out_data": "2", "num_outputs": "3", "remain_locs": "[2, 3]"}
    body = loop["subgraphs"][0]
    names = [n["name"] for n in body["nodes"]]
    assert names[:2] == ["data-0", "s-0"] and "ex_output" in names and "w" in names
    assert body["nodes"][0]["attrs"] == {"__subgraph_name__": "fe0"}
    assert "attrs" not in body
    passthrough = [n for n in body["nodes"] if n["op"] == "_copy"]
    assert len(passthrough) == 1 and passthrough[0]["inputs"] == [[0, 0, 0]]


@with_seed()
def test_foreach_json_round_trip():
    data, s, w = mx.sym.var("data"), mx.sym.var("s"), mx.sym.var("w")
    outs, states = mx.sym.contrib.foreach(
        lambda x, st: (mx.sym.FullyConnected(x, w, no_bias=True, num_hidden=3) + st,
                       mx.sym.tanh(mx.sym.broadcast_add(st, x.sum()))), data, s)
    g = mx.sym.Group([outs, states])
    values = {"data": np.random.uniform(size=(4, 2, 5)), "s": np.random.uniform(size=(2, 3)),
              "w": np.random.uniform(size=(3, 5))}
    before = _bind_run(g, values)
    again = mx.sym.load_json(g.tojson())
    assert again.tojson() == g.tojson()
    after = _bind_run(again, values)
    for a, b in zip(before[0], after[0]):
        assert_almost_equal(a, b)
    for k in values:
        assert_almost_equal(before[1][k], after[1][k])


def test_foreach_infer_shape_and_type():
    data, s, w = mx.sym.var("data"), mx.sym.var("s"), mx.sym.var("w")
    outs, states = mx.sym.contrib.foreach(
        lambda x, st: (mx.sym.FullyConnected(x, w, no_bias=True, num_hidden=6) + st, st * 2),
        data, s)
    g = mx.sym.Group([outs, states])
    arg, out, aux = g.infer_shape(data=(7, 4, 5), s=(4, 6))
    assert arg == [(7, 4, 5), (4, 6), (6, 5)] and out == [(7, 4, 6), (4, 6)] and aux == []
    arg, out, _ = g.infer_type(data=np.float64)
    assert arg == [np.float64] * 3 and out == [np.float64] * 2


@with_seed()
def test_foreach_simple_bind_grad_req_add():
    data, s = mx.sym.var("data"), mx.sym.var("s")
    outs, states = mx.sym.contrib.foreach(lambda x, st: (x * st, st + x), data, s)
    g = mx.sym.Group([outs, states])
    exe = g.simple_bind(mx.cpu(), data=(3, 2), s=(2,), grad_req="add")
    exe.arg_dict["data"][:] = np.arange(6).reshape(3, 2)
    exe.arg_dict["s"][:] = 1
    for _ in range(2):
        exe.forward(is_train=True)
        exe.backward([mx.nd.ones((3, 2)), mx.nd.ones((2,))])
    # d/ds of sum(outs) + sum(final): s + x0 + x1 + x2 terms
    x = np.arange(6).reshape(3, 2).astype(np.float32)
    s1 = 1 + x[0]
    s2 = s1 + x[1]
    ds = x[0] + x[1] + x[2] + 1
    assert_almost_equal(exe.outputs[0], np.stack([x[0] * 1, x[1] * s1, x[2] * s2]))
    assert_almost_equal(exe.grad_dict["s"], 2 * ds * np.ones(2))


@with_seed()
def test_foreach_nested():
    def build(F, data, s):
        def outer(x, st):
            inner_out, inner_st = F.contrib.foreach(lambda y, t: (y * t, t + y), x, st)
            return inner_out, inner_st * 2
        outs, states = F.contrib.foreach(outer, data, s)
        return [outs, states]
    _compare(build, {"data": np.random.uniform(size=(2, 3, 4)), "s": np.random.uniform(size=(4,))})


class _RNNLayer(gluon.HybridBlock):
    def __init__(self, cell_type, hidden_size, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.cell = cell_type(hidden_size)

    def hybrid_forward(self, F, inputs, states):
        return F.contrib.foreach(self.cell, inputs, states)


@with_seed()
def test_foreach_rnn_cells_hybridized():
    for cell_type, n_states in ((gluon.rnn.RNNCell, 1), (gluon.rnn.GRUCell, 1),
                                (gluon.rnn.LSTMCell, 2)):
        data = mx.nd.random.uniform(shape=(5, 2, 4))
        states = [mx.nd.random.uniform(shape=(2, 6)) for _ in range(n_states)]
        results = []
        for hybrid in (False, True):
            layer = _RNNLayer(cell_type, 6)
            layer.initialize(mx.init.Xavier())
            if results:
                layer.load_parameters("/tmp/_cf_rnn.params")
            else:
                layer(data, states)
                layer.save_parameters("/tmp/_cf_rnn.params")
            if hybrid:
                layer.hybridize()
            x = data.copy()
            x.attach_grad()
            with mx.autograd.record():
                out, new_states = layer(x, states)
                loss = out.sum() + sum(s.sum() for s in new_states)
            loss.backward()
            weight = layer.cell.i2h_weight.grad().asnumpy()
            results.append((out.asnumpy(), [s.asnumpy() for s in new_states], x.grad.asnumpy(),
                            weight))
        (o1, s1, g1, w1), (o2, s2, g2, w2) = results
        assert_almost_equal(o1, o2, rtol=1e-4, atol=1e-5)
        for a, b in zip(s1, s2):
            assert_almost_equal(a, b, rtol=1e-4, atol=1e-5)
        assert_almost_equal(g1, g2, rtol=1e-4, atol=1e-5)
        assert_almost_equal(w1, w2, rtol=1e-4, atol=1e-5)


@with_seed()
def test_foreach_rnn_deferred_init_unknown_dims():
    layer = _RNNLayer(gluon.rnn.LSTMCell, 5)
    layer.initialize()
    layer.hybridize()
    data = mx.nd.random.uniform(shape=(3, 2, 7))
    out, states = layer(data, [mx.nd.zeros((2, 5)), mx.nd.zeros((2, 5))])
    assert out.shape == (3, 2, 5) and states[1].shape == (2, 5)
    assert layer.cell.i2h_weight.shape == (20, 7)


@with_seed()
def test_foreach_export_and_symbolblock():
    layer = _RNNLayer(gluon.rnn.RNNCell, 4)
    layer.initialize()
    layer.hybridize()
    data, state = mx.nd.random.uniform(shape=(3, 2, 5)), mx.nd.random.uniform(shape=(2, 4))
    out, _ = layer(data, [state])
    layer.export("/tmp/_cf_foreach")
    block = gluon.SymbolBlock.imports("/tmp/_cf_foreach-symbol.json", ["data0", "data1"],
                                      "/tmp/_cf_foreach-0000.params")
    again = block(data, state)
    assert_almost_equal(again[0], out, rtol=1e-5, atol=1e-6)


# ---- while_loop ---------------------------------------------------------------------------

@with_seed()
def test_while_loop_simple_forward():
    class Loop(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.contrib.while_loop(cond=lambda i, s: i <= 5,
                                        func=lambda i, s: ([i + s], [i + 1, s + i]),
                                        loop_vars=(x, F.ones_like(x)), max_iterations=10)
    for hybrid in (False, True):
        block = Loop()
        if hybrid:
            block.hybridize()
        outs, (i, s) = block(mx.nd.array([1]))
        assert outs[0].shape == (10, 1)  # rows past the last step: zeros here, MXNet leaves junk
        assert_almost_equal(outs[0].asnumpy().ravel()[:5],
                            np.array([2, 4, 7, 11, 16], dtype=np.float32))
        assert i.asscalar() == 6 and s.asscalar() == 16


@with_seed()
def test_while_loop_gradients_match_nd():
    def build(F, i, acc, w):
        outs, final = F.contrib.while_loop(
            cond=lambda i, acc: (i < 4).sum(),
            func=lambda i, acc: (acc * w, [i + 1, acc * 0.5 + i * w]),
            loop_vars=[i, acc], max_iterations=6)
        return [F.slice_axis(outs, axis=0, begin=0, end=4)] + final
    _compare(build, {"i": np.array([0.0]), "acc": np.random.uniform(size=(1,)),
                     "w": np.random.uniform(size=(1,))})


def test_while_loop_graph_layout():
    with mx.name.NameManager():
        _test_while_loop_graph_layout()


def _test_while_loop_graph_layout():
    i, acc = mx.sym.var("i"), mx.sym.var("acc")
    outs, final = mx.sym.contrib.while_loop(lambda i, acc: i < 5,
                                            lambda i, acc: (acc * 2, [i + 1, acc + i]),
                                            [i, acc], max_iterations=6)
    assert isinstance(outs, mx.sym.Symbol) and isinstance(final, list)
    g = mx.sym.Group([outs] + final)
    assert g.list_arguments() == ["i", "acc"]
    assert g.list_outputs() == ["_while_loop0_output0", "_while_loop0_output1",
                                "_while_loop0_output2"]
    node = [n for n in json.loads(g.tojson())["nodes"] if n["op"] == "_while_loop"][0]
    assert node["attrs"] == {"cond_input_locs": "[0]", "func_input_locs": "[1, 0]",
                             "func_var_locs": "[1, 0]", "max_iterations": "6",
                             "num_args": "4", "num_out_data": "1", "num_outputs": "3"}
    cond_g, func_g = node["subgraphs"]
    assert [n["name"] for n in cond_g["nodes"]][0] == "i-0"
    assert cond_g["nodes"][0]["attrs"]["__subgraph_name__"].startswith("while_loop_cond")
    assert [n["name"] for n in func_g["nodes"] if n["op"] == "null"] == ["acc-0", "i-0"]


@with_seed()
def test_while_loop_json_round_trip_and_bind():
    i, acc = mx.sym.var("i"), mx.sym.var("acc")
    outs, final = mx.sym.contrib.while_loop(lambda i, acc: (i < 3).sum(),
                                            lambda i, acc: ([mx.sym.broadcast_mul(acc, i)], [i + 1, acc + 1]),
                                            [i, acc], max_iterations=5)
    g = mx.sym.Group(outs + final)
    again = mx.sym.load_json(g.tojson())
    values = {"i": np.array([1.0]), "acc": np.array([2.0, 3.0])}
    a = _bind_run(g, values)
    b = _bind_run(again, values)
    assert a[0][0].shape == (5, 2)
    assert_almost_equal(a[0][0][:2], np.array([[2, 3], [6, 8]]))
    for x, y in zip(a[0][1:] + list(a[1].values()), b[0][1:] + list(b[1].values())):
        assert_almost_equal(x, y)


def test_while_loop_nested():
    def build(F, x):
        def outer_body(i, total):
            _, (j, inner) = F.contrib.while_loop(lambda j, t: j < i,
                                                 lambda j, t: ([], [j + 1, t + j]),
                                                 [F.zeros_like(i), F.zeros_like(i)],
                                                 max_iterations=5)
            return [], [i + 1, total + inner]
        _, (i, total) = F.contrib.while_loop(lambda i, t: i < 4, outer_body,
                                             [x, F.zeros_like(x)], max_iterations=5)
        return total
    for F in (mx.nd, mx.sym):
        if F is mx.sym:
            out = build(F, mx.sym.var("x")).eval(x=mx.nd.array([1]))[0]
        else:
            out = build(F, mx.nd.array([1]))
        # sum over i in 1..3 of sum(range(i)) = 0 + 1 + 3
        assert out.asscalar() == 4


# ---- cond ---------------------------------------------------------------------------------

@with_seed()
def test_cond_both_branches_forward_backward():
    def build(F, a, b):
        out = F.contrib.cond((a * b).sum() < 0.5, lambda: a * b + 1, lambda: F.exp(a) - b)
        return [out]
    for scale in (0.1, 10.0):
        values = {"a": np.random.uniform(size=(3,)) * scale,
                  "b": np.random.uniform(size=(3,)) * scale}
        _compare(build, values)


def test_cond_graph_layout_and_formats():
    with mx.name.NameManager():
        _test_cond_graph_layout_and_formats()


def _test_cond_graph_layout_and_formats():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = mx.sym.contrib.cond(a < b, lambda: a * 2 + b, lambda: [a - b], name="cd")
    assert isinstance(c, mx.sym.Symbol) and c.list_outputs() == ["_cond0_output"]
    node = [n for n in json.loads(c.tojson())["nodes"] if n["op"] == "_cond"][0]
    assert node["attrs"] == {"cond_input_locs": "[0]", "else_input_locs": "[1, 2]",
                             "num_args": "6", "num_outputs": "1", "then_input_locs": "[1, 2]"}
    pred_g = node["subgraphs"][0]
    assert [n["name"] for n in pred_g["nodes"]] == ["_lesser0_output", "identity0"]
    assert pred_g["nodes"][1]["attrs"] == {"__subgraph_name__": "cd_pred0"}
    two = mx.sym.contrib.cond(a < b, lambda: (a * 2, b), lambda: (a - b, a))
    assert isinstance(two, list) and [s.list_outputs() for s in two] == [
        ["_cond1_output0"], ["_cond1_output1"]]


@with_seed()
def test_cond_in_hybrid_block():
    class Branchy(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.dense = gluon.nn.Dense(3)

        def hybrid_forward(self, F, x):
            h = self.dense(x)
            return F.contrib.cond(h.sum() > 0, lambda: h * 2, lambda: F.relu(h) - 1)
    block = Branchy()
    block.initialize()
    x = mx.nd.random.uniform(-1, 1, shape=(2, 4))
    eager = block(x)
    block.hybridize()
    for _ in range(2):
        assert_almost_equal(block(x), eager, rtol=1e-5, atol=1e-6)
    x.attach_grad()
    with mx.autograd.record():
        y = block(x)
    y.backward()
    assert x.grad.shape == (2, 4)


def test_cond_infer_shape_partial():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    c = mx.sym.contrib.cond(a.sum() < b.sum(), lambda: a * 2 + b, lambda: a - b)
    arg, _, _ = c.infer_shape_partial(a=(2, 3))
    assert arg[0] == (2, 3)


def test_control_flow_symbol_deepcopy_and_internals():
    with mx.name.NameManager():
        _test_control_flow_symbol_deepcopy_and_internals()


def _test_control_flow_symbol_deepcopy_and_internals():
    data, s = mx.sym.var("data"), mx.sym.var("s")
    outs, states = mx.sym.contrib.foreach(lambda x, st: (x + st, st * 2), data, s)
    g = mx.sym.Group([outs, states])
    g2 = copy.deepcopy(g)
    assert g2.tojson() == g.tojson()
    assert "_foreach0_output0" in g.get_internals().list_outputs()


main(globals())
