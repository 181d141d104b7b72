"""Convolutional recurrent cells (Shi et al. 2015): RNN, LSTM and GRU cells whose i2h and h2h
transforms are convolutions, for 1-D, 2-D and 3-D inputs in channel-first or channel-last
layouts."""
from math import floor  # noqa: F401 - part of MXNet's module namespace

from ....base import numeric_types  # noqa: F401
from ...rnn.rnn_cell import HybridRecurrentCell, RNNUsageError

__all__ = ["Conv1DRNNCell", "Conv2DRNNCell", "Conv3DRNNCell", "Conv1DLSTMCell",
           "Conv2DLSTMCell", "Conv3DLSTMCell", "Conv1DGRUCell", "Conv2DGRUCell",
           "Conv3DGRUCell"]


def _as_tuple(value, dims, what):
    if isinstance(value, int):
        return (value,) * dims
    value = tuple(value)
    if len(value) != dims:
        raise RNNUsageError(f"{what} must have {dims} values, got {value}")
    return value


class _BaseConvRNNCell(HybridRecurrentCell):
    """Shared parameters, shapes and the two convolutions of the conv RNN cells."""
    _num_gates = 1
    _num_states = 1
    _name = "conv_rnn"

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                 i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout, activation,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_channels = hidden_channels
        self._input_shape = tuple(input_shape)
        self._conv_layout = conv_layout
        self._activation = activation
        self._i2h_kernel = _as_tuple(i2h_kernel, dims, "i2h_kernel")
        self._h2h_kernel = _as_tuple(h2h_kernel, dims, "h2h_kernel")
        if any(k % 2 == 0 for k in self._h2h_kernel):
            raise RNNUsageError(f"Only support odd number, get h2h_kernel= {self._h2h_kernel}")
        self._i2h_pad = _as_tuple(i2h_pad, dims, "i2h_pad")
        self._i2h_dilate = _as_tuple(i2h_dilate, dims, "i2h_dilate")
        self._h2h_dilate = _as_tuple(h2h_dilate, dims, "h2h_dilate")
        self._h2h_pad = tuple(d * (k - 1) // 2 for d, k in zip(self._h2h_dilate,
                                                             self._h2h_kernel))
        self._channel_axis = conv_layout.find("C")
        channel_first = self._channel_axis == 1
        spatial = self._input_shape[1:] if channel_first else self._input_shape[:-1]
        self._in_channels = self._input_shape[0] if channel_first else self._input_shape[-1]
        out_spatial = tuple(int(floor(x + 2 * p - d * (k - 1) - 1) + 1) for x, p, d, k in
                            zip(spatial, self._i2h_pad, self._i2h_dilate, self._i2h_kernel))
        self._state_shape = (hidden_channels,) + out_spatial if channel_first \
            else out_spatial + (hidden_channels,)
        width = hidden_channels * self._num_gates

        def wshape(kernel, channels):
            return (width, channels) + kernel if channel_first else (width,) + kernel + \
                (channels,)
        self.i2h_weight = self.params.get("i2h_weight",
                                          shape=wshape(self._i2h_kernel, self._in_channels),
                                          init=i2h_weight_initializer)
        self.h2h_weight = self.params.get("h2h_weight",
                                          shape=wshape(self._h2h_kernel, hidden_channels),
                                          init=h2h_weight_initializer)
        self.i2h_bias = self.params.get("i2h_bias", shape=(width,), init=i2h_bias_initializer)
        self.h2h_bias = self.params.get("h2h_bias", shape=(width,), init=h2h_bias_initializer)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size,) + self._state_shape, "__layout__": self._conv_layout}
                for _ in range(self._num_states)]

    def _alias(self):
        return self._name

    def __repr__(self):
        return (f"{type(self).__name__}({self._in_channels} -> "
                f"{self.i2h_weight.shape[0]}, {self._activation}, {self._conv_layout})")

    def _conv_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias,
                      prefix):
        width = self._hidden_channels * self._num_gates
        dims = len(self._i2h_kernel)
        i2h = F.Convolution(data=inputs, num_filter=width, kernel=self._i2h_kernel,
                            stride=(1,) * dims, pad=self._i2h_pad, dilate=self._i2h_dilate,
                            weight=i2h_weight, bias=i2h_bias, layout=self._conv_layout,
                            name=prefix + "i2h")
        h2h = F.Convolution(data=states[0], num_filter=width, kernel=self._h2h_kernel,
                            dilate=self._h2h_dilate, pad=self._h2h_pad, stride=(1,) * dims,
                            weight=h2h_weight, bias=h2h_bias, layout=self._conv_layout,
                            name=prefix + "h2h")
        return i2h, h2h


class _ConvRNNCell(_BaseConvRNNCell):
    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        output = self._get_activation(F, i2h + h2h, self._activation, name=prefix + "out")
        return output, [output]


class _ConvLSTMCell(_BaseConvRNNCell):
    _num_gates = 4
    _num_states = 2
    _name = "conv_lstm"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, name=prefix + "slice",
                               axis=self._channel_axis)
        in_gate = F.Activation(gates[0], act_type="sigmoid", name=prefix + "i")
        forget_gate = F.Activation(gates[1], act_type="sigmoid", name=prefix + "f")
        in_transform = self._get_activation(F, gates[2], self._activation, name=prefix + "c")
        out_gate = F.Activation(gates[3], act_type="sigmoid", name=prefix + "o")
        next_c = F.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                name=prefix + "state")
        next_h = F.elemwise_mul(out_gate, self._get_activation(F, next_c, self._activation),
                                name=prefix + "out")
        return next_h, [next_h, next_c]


class _ConvGRUCell(_BaseConvRNNCell):
    _num_gates = 3
    _name = "conv_gru"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(F, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias, prefix)
        axis = self._channel_axis
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=prefix + "i2h_slice",
                                           axis=axis)
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=prefix + "h2h_slice",
                                           axis=axis)
        reset_gate = F.Activation(i2h_r + h2h_r, act_type="sigmoid", name=prefix + "r_act")
        update_gate = F.Activation(i2h_z + h2h_z, act_type="sigmoid", name=prefix + "z_act")
        candidate = self._get_activation(F, i2h + reset_gate * h2h, self._activation,
                                         name=prefix + "h_act")
        next_h = F.elemwise_add((1. - update_gate) * candidate, update_gate * states[0],
                                name=prefix + "out")
        return next_h, [next_h]


def _make(base, dims, layout, name, doc):
    zeros = (0,) * dims
    ones = (1,) * dims

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=zeros,
                 i2h_dilate=ones, h2h_dilate=ones, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout=layout, activation="tanh",
                 prefix=None, params=None):
        base.__init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                      i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                      i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout,
                      activation, prefix, params)
    __init__.__doc__ = doc
    return type(name, (base,), {"__init__": __init__, "__doc__": doc,
                                "__module__": __name__})


_DOC = ("{dims}-D convolutional {kind} cell.\n\n    Parameters\n    ----------\n"
        "    input_shape : tuple of int\n        One input's shape without the batch axis.\n"
        "    hidden_channels : int\n    i2h_kernel, h2h_kernel : tuple of int\n"
        "        h2h_kernel sizes must be odd.\n    i2h_pad, i2h_dilate, h2h_dilate : tuple of "
        "int\n    i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,\n"
        "    h2h_bias_initializer : str or Initializer\n    conv_layout : str\n"
        "    activation : str or callable\n    prefix : str\n    params : ParameterDict\n")

for _dims, _layout in ((1, "NCW"), (2, "NCHW"), (3, "NCDHW")):
    for _base, _kind in ((_ConvRNNCell, "RNN"), (_ConvLSTMCell, "LSTM"), (_ConvGRUCell, "GRU")):
        _cls_name = f"Conv{_dims}D{_kind}Cell"
        globals()[_cls_name] = _make(_base, _dims, _layout, _cls_name,
                                     _DOC.format(dims=_dims, kind=_kind))
