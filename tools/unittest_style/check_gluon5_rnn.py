"""Round-5 RNN checks in the style of MXNet's test_gluon_rnn.py (own code).

Run through ``tools/unittest_style/run.py --only gluon5`` (real MXNet 1.9.1 and mxtorch).
Fixed-value expectations use constant initialisers so the numbers follow from the cell rules.
"""
import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import rnn
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _cells():
    return [("rnn", lambda: rnn.RNNCell(3, input_size=2), 1),
            ("rnn_relu", lambda: rnn.RNNCell(3, activation="relu", input_size=2), 1),
            ("lstm", lambda: rnn.LSTMCell(3, input_size=2), 2),
            ("gru", lambda: rnn.GRUCell(3, input_size=2), 1),
            ("lstmp", lambda: gluon.contrib.rnn.LSTMPCell(4, 3, input_size=2), 2)]


@with_seed()
def test_valid_length_every_cell():
    data = mx.nd.random.uniform(shape=(3, 5, 2))
    vl = mx.nd.array([5, 2, 3])
    for name, make, n in _cells():
        cell = make()
        cell.initialize()
        for layout in ("NTC", "TNC"):
            d = data if layout == "NTC" else data.swapaxes(0, 1)
            outs, states = cell.unroll(5, d, layout=layout, merge_outputs=True, valid_length=vl)
            if layout == "TNC":
                outs = outs.swapaxes(0, 1)
            o = outs.asnumpy()
            assert (o[1, 2:] == 0).all() and (o[2, 3:] == 0).all(), name
            short, sstates = cell.unroll(2, data[1:2, :2], merge_outputs=True)
            assert_almost_equal(o[1:2, :2], short.asnumpy(), rtol=1e-5, atol=1e-6)
            assert_almost_equal(states[0].asnumpy()[1], sstates[0].asnumpy()[0], rtol=1e-5, atol=1e-6)
            lst, _ = cell.unroll(5, d, layout=layout, merge_outputs=False, valid_length=vl)
            assert isinstance(lst, list) and len(lst) == 5


@with_seed()
def test_state_info_and_begin_state_funcs():
    for name, make, n in _cells():
        cell = make()
        info = cell.state_info(4)
        assert len(info) == n
        assert info[0]["shape"] == (4, 3)
        st = cell.begin_state(batch_size=4, func=mx.nd.ones)
        assert all(s.shape[0] == 4 for s in st)
        st = cell.begin_state(batch_size=4, func=mx.nd.random.uniform, low=2, high=3)
        assert all(2 <= s.asnumpy().min() for s in st)
        syms = cell.begin_state(func=mx.sym.zeros, batch_size=4)
        assert all(isinstance(s, mx.sym.Symbol) for s in syms)
    lstmp = gluon.contrib.rnn.LSTMPCell(4, 3)
    assert [i["shape"] for i in lstmp.state_info(2)] == [(2, 3), (2, 4)]


@with_seed()
def test_cell_constant_values():
    cell = rnn.RNNCell(2, input_size=2, activation="tanh", i2h_weight_initializer="ones",
                       h2h_weight_initializer="ones", i2h_bias_initializer="zeros",
                       h2h_bias_initializer="zeros")
    cell.initialize()
    out, st = cell(mx.nd.array([[0.1, 0.2]]), [mx.nd.zeros((1, 2))])
    assert_almost_equal(out.asnumpy(), np.tanh(np.array([[0.3, 0.3]])), rtol=1e-5, atol=1e-6)
    lstm = rnn.LSTMCell(1, input_size=1, i2h_weight_initializer="ones", h2h_weight_initializer="ones",
                        i2h_bias_initializer="zeros", h2h_bias_initializer="zeros")
    lstm.initialize()
    out, (h, c) = lstm(mx.nd.array([[1.0]]), [mx.nd.zeros((1, 1)), mx.nd.ones((1, 1))])
    sig = 1 / (1 + np.exp(-1.0))
    c_ref = sig * 1 + sig * np.tanh(1.0)
    assert_almost_equal(c.asnumpy(), np.array([[c_ref]]), rtol=1e-5, atol=1e-6)
    assert_almost_equal(h.asnumpy(), np.array([[sig * np.tanh(c_ref)]]), rtol=1e-5, atol=1e-6)


@with_seed()
def test_lstmp_projection_layer_and_cell():
    layer = rnn.LSTM(5, num_layers=2, projection_size=3, layout="NTC", input_size=4)
    layer.initialize()
    x = mx.nd.random.uniform(shape=(2, 6, 4))
    out, (h, c) = layer(x, layer.begin_state(batch_size=2))
    assert out.shape == (2, 6, 3) and h.shape == (2, 2, 3) and c.shape == (2, 2, 5)
    names = sorted(layer.collect_params().keys())
    assert any(n.endswith("l0_h2r_weight") for n in names), names
    assert layer.l0_h2r_weight.shape == (3, 5) and layer.l1_i2h_weight.shape == (20, 3)
    bi = rnn.LSTM(5, projection_size=2, bidirectional=True, input_size=4)
    bi.initialize()
    out = bi(mx.nd.random.uniform(shape=(6, 2, 4)))
    assert out.shape == (6, 2, 4)
    cell = gluon.contrib.rnn.LSTMPCell(5, 3, input_size=4)
    cell.initialize()
    outs, states = cell.unroll(6, x, merge_outputs=True)
    assert outs.shape == (2, 6, 3)


@with_seed()
def test_lstm_state_clipping():
    # MXNet's CPU kernel ignores the bounds (fails there); mxtorch clips (compat/loss_rnn.md)
    layer = rnn.LSTM(4, input_size=3, state_clip_min=-0.1, state_clip_max=0.1,
                     i2h_weight_initializer="ones", h2h_weight_initializer="ones",
                     i2h_bias_initializer="ones", h2h_bias_initializer="zeros")
    layer.initialize()
    x = mx.nd.ones((5, 2, 3)) * 3
    out, (h, c) = layer(x, layer.begin_state(batch_size=2))
    assert np.abs(c.asnumpy()).max() <= 0.1 + 1e-6
    assert_almost_equal(h.asnumpy(), np.tanh(0.1) * np.ones((1, 2, 4)) / (1 + np.exp(-13)),
                        rtol=1e-4, atol=1e-5)
    nan_layer = rnn.LSTM(4, input_size=3, state_clip_min=-1, state_clip_max=1, state_clip_nan=True)
    nan_layer.initialize()
    assert nan_layer(x).shape == (5, 2, 4)


@with_seed()
def test_layer_dtype_and_states():
    for kind in (rnn.RNN, rnn.LSTM, rnn.GRU):
        layer = kind(3, num_layers=2, dtype="float64", input_size=2, bidirectional=True)
        layer.initialize()
        assert np.dtype(layer.l0_i2h_weight.dtype) == np.float64
        x = mx.nd.random.uniform(shape=(4, 2, 2), dtype="float64")
        states = layer.begin_state(batch_size=2, dtype="float64")
        out, new_states = layer(x, states)
        assert out.dtype == np.float64 and out.shape == (4, 2, 6)
        assert all(s.shape[:2] == (4, 2) for s in new_states)
        layer.hybridize()
        out2, _ = layer(x, states)
        assert_almost_equal(out.asnumpy(), out2.asnumpy(), rtol=1e-7, atol=1e-9)


@with_seed()
def test_layer_use_sequence_length():
    # MXNet's CPU kernel ignores sequence_length (fails there); mxtorch uses it (compat/loss_rnn.md)
    for kind in (rnn.RNN, rnn.LSTM, rnn.GRU):
        layer = kind(3, input_size=2, use_sequence_length=True, bidirectional=True)
        layer.initialize()
        x = mx.nd.random.uniform(shape=(5, 3, 2))
        vl = mx.nd.array([5, 2, 3])
        out = layer(x, sequence_length=vl) if kind is not rnn.LSTM else \
            layer(x, layer.begin_state(batch_size=3), sequence_length=vl)[0]
        out = out[0] if isinstance(out, (list, tuple)) else out
        o = out.asnumpy()
        assert (o[2:, 1] == 0).all() and (o[3:, 2] == 0).all()
        single = kind(3, input_size=2, bidirectional=True)
        single.initialize()
        for (n1, p1), (n2, p2) in zip(sorted(layer.collect_params().items()),
                                      sorted(single.collect_params().items())):
            p2.set_data(p1.data())
        short = single(x[:2, 1:2])
        short = short[0] if isinstance(short, (list, tuple)) else short
        assert_almost_equal(o[:2, 1:2], short.asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_bidirectional_valid_length_and_reverse():
    fwd = rnn.GRUCell(3, input_size=2, prefix="f_")
    bwd = rnn.GRUCell(3, input_size=2, prefix="b_")
    bi = rnn.BidirectionalCell(fwd, bwd)
    bi.initialize()
    x = mx.nd.random.uniform(shape=(2, 4, 2))
    vl = mx.nd.array([4, 2])
    outs, states = bi.unroll(4, x, valid_length=vl, merge_outputs=True)
    assert outs.shape == (2, 4, 6) and len(states) == 2
    rev_in = mx.nd.array(x.asnumpy()[1:2, 1::-1])
    b_out, _ = bwd.unroll(2, rev_in, merge_outputs=True)
    assert_almost_equal(outs.asnumpy()[1, :2, 3:], b_out.asnumpy()[0, ::-1], rtol=1e-5, atol=1e-6)
    assert (outs.asnumpy()[1, 2:] == 0).all()
    assertRaises(Exception, bi.__call__, x[:, 0], bi.begin_state(batch_size=2))


@with_seed()
def test_modifier_cells_values():
    base = rnn.RNNCell(2, input_size=2, prefix="base_")
    res = rnn.ResidualCell(base)
    res.initialize()
    x = mx.nd.random.uniform(shape=(2, 3, 2))
    r_out, _ = res.unroll(3, x, merge_outputs=True)
    assertRaises(AssertionError, base.unroll, 3, x)  # a modified cell is only run through its modifier
    twin = rnn.RNNCell(2, input_size=2, params=base.collect_params())
    b_out, _ = twin.unroll(3, x, merge_outputs=True)
    assert_almost_equal(r_out.asnumpy(), b_out.asnumpy() + x.asnumpy(), rtol=1e-5, atol=1e-6)
    zone = rnn.ZoneoutCell(rnn.RNNCell(2, input_size=2), zoneout_outputs=0.3, zoneout_states=0.2)
    zone.initialize()
    with autograd.predict_mode():
        z_pred, _ = zone.unroll(3, x, merge_outputs=True)
    with autograd.train_mode():
        z_train, _ = zone.unroll(3, x, merge_outputs=True)
    assert z_pred.shape == z_train.shape == (2, 3, 2)
    assertRaises(AssertionError, rnn.ZoneoutCell, rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2)))
    drop = rnn.DropoutCell(0.5, axes=(0,))
    with autograd.train_mode():
        d_out, _ = drop.unroll(3, mx.nd.ones((4, 3, 5)), merge_outputs=True)
    d = d_out.asnumpy()
    assert set(np.unique(d)) <= {0.0, 2.0}
    assert repr(zone).startswith("ZoneoutCell(p_out=0.3, p_state=0.2")
    assert repr(drop) == "DropoutCell(rate=0.5, axes=(0,))", repr(drop)


@with_seed()
def test_sequential_cell_indexing_and_reset():
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.LSTMCell(3, input_size=2))
    seq.add(rnn.RNNCell(4, input_size=3))
    seq.initialize()
    assert len(seq) == 2 and isinstance(seq[1], rnn.RNNCell)
    assert len(seq.state_info(2)) == 3
    x = mx.nd.random.uniform(shape=(2, 5, 2))
    out, states = seq.unroll(5, x, merge_outputs=True, valid_length=mx.nd.array([5, 3]))
    assert out.shape == (2, 5, 4) and len(states) == 3
    seq.reset()
    hseq = rnn.HybridSequentialRNNCell()
    hseq.add(rnn.GRUCell(3, input_size=2))
    hseq.initialize()
    hseq.hybridize()
    out, states = hseq.unroll(5, x, merge_outputs=True)
    assert out.shape == (2, 5, 3)


@with_seed()
def test_contrib_cells():
    conv = gluon.contrib.rnn.Conv2DLSTMCell((3, 5, 5), 4, (3, 3), (3, 3), i2h_pad=(1, 1))
    conv.initialize()
    x = mx.nd.random.uniform(shape=(2, 3, 3, 5, 5))
    outs, states = conv.unroll(3, x, merge_outputs=True)
    assert outs.shape == (2, 3, 4, 5, 5) and len(states) == 2
    gru = gluon.contrib.rnn.Conv1DGRUCell((2, 6), 3, 3, 3, i2h_pad=1)
    gru.initialize()
    outs, _ = gru.unroll(2, mx.nd.random.uniform(shape=(1, 2, 2, 6)), merge_outputs=True)
    assert outs.shape == (1, 2, 3, 6)
    var = gluon.contrib.rnn.VariationalDropoutCell(rnn.LSTMCell(3, input_size=2), drop_inputs=0.5,
                                                   drop_states=0.5, drop_outputs=0.5)
    var.initialize()
    with autograd.predict_mode():
        a, _ = var.unroll(4, mx.nd.ones((2, 4, 2)), merge_outputs=True)
    assertRaises(AssertionError, var.base_cell.begin_state, batch_size=2)
    twin = rnn.LSTMCell(3, input_size=2, params=var.base_cell.collect_params())
    base, _ = twin.unroll(4, mx.nd.ones((2, 4, 2)), merge_outputs=True)
    assert_almost_equal(a.asnumpy(), base.asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_layer_repr_and_errors():
    assert repr(rnn.LSTM(10, num_layers=2, input_size=3, bidirectional=True, dropout=0.2)) == \
        "LSTM(3 -> 10, TNC, num_layers=2, dropout=0.2, bidirectional)", \
        repr(rnn.LSTM(10, num_layers=2, input_size=3, bidirectional=True, dropout=0.2))
    assert repr(rnn.GRU(5, layout="NTC")) == "GRU(None -> 5, NTC)"
    assert repr(rnn.RNN(5, activation="relu")) == "RNN(None -> 5, TNC)"
    assert repr(rnn.LSTMCell(3, input_size=2)) == "LSTMCell(2 -> 12)"
    assert repr(rnn.GRUCell(3)) == "GRUCell(None -> 9)"
    assertRaises(AssertionError, rnn.LSTM, 4, layout="NCT")
    layer = rnn.LSTM(4, input_size=3)
    layer.initialize()
    assertRaises(Exception, layer, mx.nd.ones((2, 3, 5)))


main(globals())
