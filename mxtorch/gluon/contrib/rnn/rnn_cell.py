"""Contributed recurrent cells: LSTMPCell (LSTM with a projection) and VariationalDropoutCell
(one dropout mask per sequence, Gal & Ghahramani 2016)."""
from .... import ndarray, symbol
from ...rnn.rnn_cell import (BidirectionalCell, HybridRecurrentCell, ModifierCell,  # noqa
                             SequentialRNNCell, _format_sequence, _get_begin_state,
                             _mask_sequence_variable_length, _TENSORS)

from ...rnn.rnn_cell import RNNUsageError
from ...parameter import tensor_types  # noqa: F401 - MXNet's module namespace
from ...utils import _indent  # noqa: F401

__all__ = ["VariationalDropoutCell", "LSTMPCell"]


def dynamic_unroll(cell, inputs, begin_state, drop_inputs=0, drop_outputs=0, layout="TNC",
                   valid_length=None):
    """Unroll ``cell`` over ``inputs`` (layout 'TNC' or 'NTC') step by step, with optional
    dropout on inputs/outputs and per-sequence ``valid_length``; returns (outputs, states).

    MXNet runs this through its ``foreach`` control-flow operator; here the steps run in Python
    (or are traced step by step when hybridized), with the same results.
    """
    F = symbol if isinstance(inputs, symbol.Symbol) else ndarray
    if drop_inputs:
        inputs = F.Dropout(inputs, p=drop_inputs, axes=(0,))
    time_axis = layout.find("T")
    if time_axis == 1:
        inputs = F.swapaxes(inputs, dim1=0, dim2=1)
    length = inputs.shape[0] if hasattr(inputs, "shape") and isinstance(inputs.shape, tuple) \
        else None
    steps = F.split(inputs, num_outputs=length, axis=0, squeeze_axis=True) if length != 1 \
        else [F.squeeze(inputs, axis=0)]
    steps = steps if isinstance(steps, (list, tuple)) else [steps]
    states = list(begin_state)
    outputs, all_states = [], []
    for step in steps:
        out, states = cell(step, states)
        outputs.append(out)
        all_states.append(states)
    outputs = F.stack(*outputs, axis=0)
    if valid_length is not None:
        states = [F.SequenceLast(F.stack(*per, axis=0), sequence_length=valid_length,
                                 use_sequence_length=True, axis=0) for per in zip(*all_states)]
        outputs = F.SequenceMask(outputs, sequence_length=valid_length,
                                 use_sequence_length=True, axis=0)
    if drop_outputs:
        outputs = F.Dropout(outputs, p=drop_outputs, axes=(0,))
    if time_axis == 1:
        outputs = F.swapaxes(outputs, dim1=0, dim2=1)
    return outputs, states


class VariationalDropoutCell(ModifierCell):
    """Dropout with the same mask at every time step, on the inputs, states and/or outputs of
    the wrapped cell.

    Parameters
    ----------
    base_cell : RecurrentCell
    drop_inputs, drop_states, drop_outputs : float
    """

    def __init__(self, base_cell, drop_inputs=0., drop_states=0., drop_outputs=0.):
        if isinstance(base_cell, BidirectionalCell):
            raise RNNUsageError("BidirectionalCell doesn't support variational state dropout. "
                                "Please add VariationalDropoutCell to the cells underneath "
                                "instead.")
        if isinstance(base_cell, SequentialRNNCell) and \
                any(isinstance(c, BidirectionalCell) for c in base_cell._children.values()):
            raise RNNUsageError("Bidirectional SequentialRNNCell doesn't support variational "
                                "state dropout. Please add VariationalDropoutCell to the cells "
                                "underneath instead.")
        super().__init__(base_cell)
        self.drop_inputs = drop_inputs
        self.drop_states = drop_states
        self.drop_outputs = drop_outputs
        self.drop_inputs_mask = self.drop_states_mask = self.drop_outputs_mask = None

    def _alias(self):
        return "vardrop"

    def reset(self):
        super().reset()
        self.drop_inputs_mask = self.drop_states_mask = self.drop_outputs_mask = None

    @staticmethod
    def _mask(F, p, like):
        return F.Dropout(F.ones_like(like), p=p)

    def hybrid_forward(self, F, inputs, states):
        states = list(states)
        if self.drop_states:
            if self.drop_states_mask is None:
                self.drop_states_mask = self._mask(F, self.drop_states, states[0])
            states[0] = states[0] * self.drop_states_mask
        if self.drop_inputs:
            if self.drop_inputs_mask is None:
                self.drop_inputs_mask = self._mask(F, self.drop_inputs, inputs)
            inputs = inputs * self.drop_inputs_mask
        output, next_states = self.base_cell(inputs, states)
        if self.drop_outputs:
            if self.drop_outputs_mask is None:
                self.drop_outputs_mask = self._mask(F, self.drop_outputs, output)
            output = output * self.drop_outputs_mask
        return output, next_states

    def __repr__(self):
        return (f"{type(self).__name__}(p_out = {self.drop_outputs}, "
                f"p_state = {self.drop_states})")

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll; with input dropout only the whole sequence is masked at once."""
        if self.drop_states:
            return super().unroll(length, inputs, begin_state, layout, merge_outputs,
                                  valid_length=valid_length)
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, True)
        states = _get_begin_state(self, F, begin_state, inputs, batch_size)
        if self.drop_inputs:
            first = F.slice_axis(inputs, axis=axis, begin=0, end=1)
            mask = F.Dropout(F.ones_like(first), p=self.drop_inputs)
            inputs = F.broadcast_mul(inputs, mask)
        self.base_cell._modified = False
        try:
            outputs, states = self.base_cell.unroll(length, inputs, states, layout,
                                                    merge_outputs=True,
                                                    valid_length=valid_length)
        finally:
            self.base_cell._modified = True
        if self.drop_outputs:
            first = F.slice_axis(outputs, axis=axis, begin=0, end=1)
            mask = F.Dropout(F.ones_like(first), p=self.drop_outputs)
            outputs = F.broadcast_mul(outputs, mask)
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, _TENSORS)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        if valid_length is not None:
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis,
                                                     merge_outputs)
        return outputs, states


class LSTMPCell(HybridRecurrentCell):
    """LSTM cell with a projection of the hidden state (Sak et al. 2014): the recurrent
    state is ``r = W_r h`` of width ``projection_size``.

    Parameters
    ----------
    hidden_size : int
    projection_size : int
    i2h_weight_initializer, h2h_weight_initializer, h2r_weight_initializer,
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer
    input_size : int
    prefix : str
    params : ParameterDict
    """

    def __init__(self, hidden_size, projection_size, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, h2r_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        self._projection_size = projection_size
        width = 4 * hidden_size
        self.i2h_weight = self.params.get("i2h_weight", shape=(width, input_size),
                                          init=i2h_weight_initializer,
                                          allow_deferred_init=True)
        self.h2h_weight = self.params.get("h2h_weight", shape=(width, projection_size),
                                          init=h2h_weight_initializer,
                                          allow_deferred_init=True)
        self.h2r_weight = self.params.get("h2r_weight", shape=(projection_size, hidden_size),
                                          init=h2r_weight_initializer,
                                          allow_deferred_init=True)
        self.i2h_bias = self.params.get("i2h_bias", shape=(width,), init=i2h_bias_initializer,
                                        allow_deferred_init=True)
        self.h2h_bias = self.params.get("h2h_bias", shape=(width,), init=h2h_bias_initializer,
                                        allow_deferred_init=True)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._projection_size), "__layout__": "NC"},
                {"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self):
        return "lstmp"

    def __repr__(self):
        shape = self.i2h_weight.shape
        proj = self.h2r_weight.shape
        return (f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]} -> "
                f"{proj[0]})")

    def infer_shape(self, inputs, *args):
        self.i2h_weight.shape = (4 * self._hidden_size, inputs.shape[-1])

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
                       h2h_bias):
        prefix = f"t{self._counter}_"
        width = 4 * self._hidden_size
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=width,
                               name=prefix + "i2h")
        h2h = F.FullyConnected(data=states[0], weight=h2h_weight, bias=h2h_bias,
                               num_hidden=width, name=prefix + "h2h")
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, name=prefix + "slice")
        in_gate = F.Activation(gates[0], act_type="sigmoid", name=prefix + "i")
        forget_gate = F.Activation(gates[1], act_type="sigmoid", name=prefix + "f")
        in_transform = F.Activation(gates[2], act_type="tanh", name=prefix + "c")
        out_gate = F.Activation(gates[3], act_type="sigmoid", name=prefix + "o")
        next_c = F.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                name=prefix + "state")
        next_h = F.elemwise_mul(out_gate, F.Activation(next_c, act_type="tanh"),
                                name=prefix + "hidden")
        next_r = F.FullyConnected(data=next_h, weight=h2r_weight, no_bias=True,
                                  num_hidden=self._projection_size, name=prefix + "out")
        return next_r, [next_r, next_c]
