"""Gluon RNN cells and layers in the style of MXNet's test_gluon_rnn.py (own code): every cell
unrolled in both layouts, with valid_length, merge_outputs, begin_state, hybridized vs not,
parameter sharing, modifier cells, layer states and symbolic unroll."""
import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main

CELLS = [
    ("rnn", lambda p: gluon.rnn.RNNCell(6, prefix=p), 1),
    ("lstm", lambda p: gluon.rnn.LSTMCell(6, prefix=p), 2),
    ("gru", lambda p: gluon.rnn.GRUCell(6, prefix=p), 1),
]


def _copy_params(src, dst):
    for (_, a), (_, b) in zip(sorted(src.collect_params().items()),
                              sorted(dst.collect_params().items())):
        b.set_data(a.data())


@with_seed()
def test_cell_unroll_layouts_and_hybridize():
    for name, make, n_states in CELLS:
        data_ntc = mx.nd.random.uniform(shape=(2, 5, 4))
        results = {}
        for layout in ("NTC", "TNC"):
            for hybrid in (False, True):
                cell = make(name + "_")
                cell.initialize(mx.init.One())
                if hybrid:
                    cell.hybridize()
                data = data_ntc if layout == "NTC" else data_ntc.swapaxes(0, 1)
                outs, states = cell.unroll(5, data, layout=layout, merge_outputs=True)
                if layout == "TNC":
                    outs = outs.swapaxes(0, 1)
                assert outs.shape == (2, 5, 6) and len(states) == n_states
                results[(layout, hybrid)] = outs.asnumpy()
        ref = results[("NTC", False)]
        for key, value in results.items():
            assert_almost_equal(value, ref, rtol=1e-5, atol=1e-6)


@with_seed()
def test_cell_unroll_merge_outputs_false_and_begin_state():
    for name, make, n_states in CELLS:
        cell = make(name + "_")
        cell.initialize()
        data = mx.nd.random.uniform(shape=(3, 4, 2))
        begin = cell.begin_state(batch_size=3, func=mx.nd.ones)
        assert len(begin) == n_states and begin[0].shape == (3, 6)
        outs, states = cell.unroll(4, data, begin_state=begin, merge_outputs=False)
        assert isinstance(outs, list) and len(outs) == 4 and outs[0].shape == (3, 6)
        merged, states2 = cell.unroll(4, data, begin_state=begin, merge_outputs=True)
        assert_almost_equal(merged, mx.nd.stack(*outs, axis=1), rtol=1e-5, atol=1e-6)
        for a, b in zip(states, states2):
            assert_almost_equal(a, b, rtol=1e-5, atol=1e-6)


@with_seed()
def test_cell_unroll_valid_length():
    for name, make, _ in CELLS:
        cell = make(name + "_")
        cell.initialize()
        data = mx.nd.random.uniform(shape=(3, 5, 2))
        valid = mx.nd.array([2, 5, 3])
        outs, states = cell.unroll(5, data, valid_length=valid, merge_outputs=True)
        out_np = outs.asnumpy()
        assert np.all(out_np[0, 2:] == 0) and np.all(out_np[2, 3:] == 0)
        # the final state is the state at each sequence's last valid step
        full, _ = cell.unroll(2, data[0:1, :2], merge_outputs=True)
        assert_almost_equal(outs[0:1, :2], full, rtol=1e-5, atol=1e-6)
        h = states[0] if name != "lstm" else states[0]
        assert_almost_equal(h[0], outs[0, 1], rtol=1e-5, atol=1e-6)
        assert_almost_equal(h[2], outs[2, 2], rtol=1e-5, atol=1e-6)


@with_seed()
def test_cell_symbolic_unroll_names_and_infer():
    cell = gluon.rnn.LSTMCell(8, prefix="lstm_")
    inputs = [mx.sym.var("t%d_data" % i) for i in range(3)]
    outs, states = cell.unroll(3, inputs)
    outs = mx.sym.Group(outs)
    assert sorted(cell.collect_params().keys()) == [
        "lstm_h2h_bias", "lstm_h2h_weight", "lstm_i2h_bias", "lstm_i2h_weight"]
    assert outs.list_outputs() == ["lstm_t0_out_output", "lstm_t1_out_output",
                                   "lstm_t2_out_output"]
    args, outs_shape, _ = outs.infer_shape(t0_data=(10, 5), t1_data=(10, 5), t2_data=(10, 5))
    assert outs_shape == [(10, 8)] * 3


@with_seed()
def test_param_sharing_between_cells():
    a = gluon.rnn.LSTMCell(4, prefix="a_")
    b = gluon.rnn.LSTMCell(4, prefix="b_", params=a.collect_params())
    a.initialize()
    data = mx.nd.random.uniform(shape=(2, 3, 5))
    oa, _ = a.unroll(3, data, merge_outputs=True)
    ob, _ = b.unroll(3, data, merge_outputs=True)
    assert_almost_equal(oa, ob)


@with_seed()
def test_modifier_cells():
    base = gluon.rnn.GRUCell(4, input_size=4)
    res = gluon.rnn.ResidualCell(base)
    res.initialize()
    data = mx.nd.random.uniform(shape=(2, 3, 4))
    outs, _ = res.unroll(3, data, merge_outputs=True)
    twin = gluon.rnn.GRUCell(4, input_size=4, params=base.collect_params())
    inner, _ = twin.unroll(3, data, merge_outputs=True)
    assert_almost_equal(outs, inner + data, rtol=1e-5, atol=1e-6)
    drop = gluon.rnn.DropoutCell(0.5)
    with mx.autograd.predict_mode():
        same_out, _ = drop.unroll(3, data, merge_outputs=True)
    assert_almost_equal(same_out, data)
    zone = gluon.rnn.ZoneoutCell(gluon.rnn.RNNCell(4, input_size=4), zoneout_outputs=0.5)
    zone.initialize()
    z_out, _ = zone.unroll(3, data, merge_outputs=True)
    assert z_out.shape == (2, 3, 4)


@with_seed()
def test_sequential_and_bidirectional_cells():
    stack = gluon.rnn.SequentialRNNCell()
    with stack.name_scope():
        stack.add(gluon.rnn.LSTMCell(4))
        stack.add(gluon.rnn.LSTMCell(5))
    stack.initialize()
    data = mx.nd.random.uniform(shape=(2, 3, 6))
    outs, states = stack.unroll(3, data, merge_outputs=True)
    assert outs.shape == (2, 3, 5) and len(states) == 4
    bi = gluon.rnn.BidirectionalCell(gluon.rnn.GRUCell(3), gluon.rnn.GRUCell(3))
    bi.initialize()
    outs, states = bi.unroll(3, data, merge_outputs=True)
    assert outs.shape == (2, 3, 6) and len(states) == 2


@with_seed()
def test_layers_states_layouts_and_hybridize():
    for layer_type, n_states in ((gluon.rnn.RNN, 1), (gluon.rnn.LSTM, 2), (gluon.rnn.GRU, 1)):
        for layout in ("TNC", "NTC"):
            for bidirectional in (False, True):
                layer = layer_type(5, num_layers=2, layout=layout, bidirectional=bidirectional)
                layer.initialize()
                shape = (4, 3, 6) if layout == "TNC" else (3, 4, 6)
                data = mx.nd.random.uniform(shape=shape)
                states = layer.begin_state(batch_size=3)
                assert len(states) == n_states
                dirs = 2 if bidirectional else 1
                assert states[0].shape == (2 * dirs, 3, 5)
                out, new_states = layer(data, states)
                eager = out.asnumpy()
                assert out.shape == shape[:2] + (5 * dirs,)
                layer.hybridize()
                out2, new_states2 = layer(data, states)
                assert_almost_equal(out2, eager, rtol=1e-5, atol=1e-6)
                for a, b in zip(new_states, new_states2):
                    assert_almost_equal(a, b, rtol=1e-5, atol=1e-6)


@with_seed()
def test_layer_gradients_and_deferred_input_size():
    layer = gluon.rnn.LSTM(4, num_layers=1)
    layer.initialize()
    data = mx.nd.random.uniform(shape=(5, 2, 3))
    data.attach_grad()
    with mx.autograd.record():
        out = layer(data)
        out.sum().backward()
    assert layer.l0_i2h_weight.shape == (16, 3)
    assert data.grad.shape == (5, 2, 3) and float(mx.nd.abs(data.grad).sum().asscalar()) > 0


@with_seed()
def test_cell_layer_consistency():
    cell = gluon.rnn.GRUCell(5, input_size=3, prefix="g_")
    layer = gluon.rnn.GRU(5, input_size=3, prefix="g_")
    cell.initialize()
    layer.initialize()
    for name, p in cell.collect_params().items():
        layer.collect_params()[name.replace("g_", "g_l0_")].set_data(p.data())
    data = mx.nd.random.uniform(shape=(4, 2, 3))
    cell_out, _ = cell.unroll(4, data, layout="TNC", merge_outputs=True)
    assert_almost_equal(cell_out, layer(data), rtol=1e-5, atol=1e-6)


main(globals())
