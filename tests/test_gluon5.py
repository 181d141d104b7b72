"""Round-5 gluon conformance: behaviours found by tools/unittest_style/check_gluon5_*.py.

Expectations are MXNet 1.9.1's (oracle runs of those scripts); no MXNet needed here.
"""
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError
from mxtorch.gluon import rnn


def _raises_all(fn, *args, **kwargs):
    """MXNet asserts here: AssertionError must catch it (ValueError/MXNetError too)."""
    for cls in (AssertionError, ValueError, MXNetError):
        with pytest.raises(cls):
            fn(*args, **kwargs)


def test_modified_cell_cannot_run_alone():
    for wrap in (rnn.ResidualCell, rnn.ZoneoutCell,
                 mx.gluon.contrib.rnn.VariationalDropoutCell):
        base = rnn.GRUCell(2, input_size=2)
        wrap(base)
        _raises_all(base.begin_state, batch_size=2)
        _raises_all(base.unroll, 3, mx.nd.ones((2, 3, 2)))
    seq = rnn.HybridSequentialRNNCell()
    seq.add(rnn.RNNCell(2))
    rnn.ResidualCell(seq)
    _raises_all(seq.begin_state, batch_size=1)


def test_modifier_twice_and_zoneout_bidirectional():
    base = rnn.RNNCell(2)
    rnn.ResidualCell(base)
    _raises_all(rnn.ZoneoutCell, base)
    _raises_all(rnn.ZoneoutCell, rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2)))


def test_rnn_layer_layout_and_input_rank():
    for kind in (rnn.RNN, rnn.LSTM, rnn.GRU):
        _raises_all(kind, 4, layout="NCT")
        layer = kind(4, input_size=3)
        layer.initialize()
        _raises_all(layer, mx.nd.ones((2, 3)))


def test_unroll_length_mismatch_and_dropout_rate():
    cell = rnn.LSTMCell(2, input_size=2)
    cell.initialize()
    _raises_all(cell.unroll, 4, [mx.nd.ones((1, 2))] * 3)
    for cls in (AssertionError, TypeError):
        with pytest.raises(cls):
            rnn.DropoutCell("0.5")


def test_stack_with_bidirectional_cannot_step():
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.BidirectionalCell(rnn.RNNCell(2, input_size=2), rnn.RNNCell(2, input_size=2)))
    seq.initialize()
    _raises_all(seq, mx.nd.ones((1, 2)), seq.begin_state(batch_size=1))


def test_conv_rnn_cell_even_kernel():
    _raises_all(mx.gluon.contrib.rnn.Conv2DRNNCell, (1, 4, 4), 2, (3, 3), (2, 2))
