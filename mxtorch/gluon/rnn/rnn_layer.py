"""Fused recurrent layers: RNN, LSTM, GRU over the ``RNN`` operator (torch's fused kernels).

Parameters are registered per layer and direction with MXNet's names (``l0_i2h_weight``,
``r1_h2h_bias``, ``l0_h2r_weight`` with a projection) and concatenated, as MXNet does, into
the operator's flat vector: every weight (layer by layer, direction by direction, i2h then h2h
then h2r), then every bias. ``save_parameters`` uses MXNet's legacy structural names
(``_unfused.0.i2h_weight``, ``_unfused.0.l_cell.i2h_weight`` when bidirectional) so files move
both ways.
"""
import re

from ... import autograd, ndarray, symbol
from ...util import is_np_array
from ..block import HybridBlock
from ..nn._np_compat import np_aware
from ..parameter import tensor_types  # noqa: F401 - MXNet's module namespace
from . import rnn_cell  # noqa: F401
from .rnn_cell import RNNUsageError

__all__ = ["RNN", "LSTM", "GRU"]

_KEY = re.compile(r"(l|r)(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z")


class _RNNLayer(HybridBlock):
    """The shared implementation of RNN, LSTM and GRU layers."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size, h2r_weight_initializer,
                 lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):
        super().__init__(**kwargs)
        if layout not in ("TNC", "NTC"):
            raise RNNUsageError(f"{type(self).__name__}: invalid layout {layout!r}; must be one "
                                "of ['TNC' or 'NTC']")
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._i2h_weight_initializer = i2h_weight_initializer
        self._h2h_weight_initializer = h2h_weight_initializer
        self._i2h_bias_initializer = i2h_bias_initializer
        self._h2h_bias_initializer = h2h_bias_initializer
        self._h2r_weight_initializer = h2r_weight_initializer
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self._gates = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}[mode]
        self.skip_states = None
        self._register_all_params()

    def _register_all_params(self):
        ng, nh, proj = self._gates, self._hidden_size, self._projection_size
        ni = self._input_size
        for i in range(self._num_layers):
            for d in ("l", "r")[:self._dir]:
                self._register_param(f"{d}{i}_i2h_weight", (ng * nh, ni),
                                     self._i2h_weight_initializer)
                self._register_param(f"{d}{i}_h2h_weight", (ng * nh, proj or nh),
                                     self._h2h_weight_initializer)
                self._register_param(f"{d}{i}_i2h_bias", (ng * nh,),
                                     self._i2h_bias_initializer)
                self._register_param(f"{d}{i}_h2h_bias", (ng * nh,),
                                     self._h2h_bias_initializer)
                if proj:
                    self._register_param(f"{d}{i}_h2r_weight", (proj, nh),
                                         self._h2r_weight_initializer)
            ni = (proj or nh) * self._dir

    def _register_param(self, name, shape, init):
        p = self.params.get(name, shape=shape, init=init, allow_deferred_init=True,
                            dtype=self._dtype)
        setattr(self, name, p)
        return p

    def __repr__(self):
        shape = self.l0_i2h_weight.shape
        text = f"{type(self).__name__}({shape[1] if shape[1] else None} -> " \
               f"{shape[0] // self._gates}, {self._layout}"
        if self._num_layers != 1:
            text += f", num_layers={self._num_layers}"
        if self._dropout != 0:
            text += f", dropout={self._dropout}"
        if self._dir == 2:
            text += ", bidirectional"
        return text + ")"

    def _collect_params_with_prefix(self, prefix=""):
        """Structural names in MXNet's legacy unfused form (what save_parameters writes)."""
        if prefix:
            prefix += "."
        bidirectional = self._dir == 2
        result = {}
        for key, value in self._reg_params.items():
            d, layer, gate, kind = _KEY.match(key).groups()
            cell = f"{d}_cell." if bidirectional else ""
            result[f"{prefix}_unfused.{layer}.{cell}{gate}_{kind}"] = value
        for name, child in self._children.items():
            result.update(child._collect_params_with_prefix(prefix + name))
        return result

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial states (h, and c for LSTM) of shape (layers*directions, batch, hidden).

        Parameters
        ----------
        batch_size : int
        func : callable
            Creates each state (``nd.zeros``; ``sym.zeros``/``sym.var`` for symbols).
        **kwargs :
            Passed to ``func`` (ctx, dtype...).
        """
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info = dict(info or {})
            info.update(kwargs)
            state = func(name=f"{self.prefix}h0_{i}", **info)
            if is_np_array():
                state = state.as_np_ndarray()
            states.append(state)
        return states

    def __call__(self, inputs, states=None, sequence_length=None, **kwargs):
        self.skip_states = states is None
        if states is None:
            if isinstance(inputs, ndarray.NDArray):
                batch_size = inputs.shape[self._layout.find("N")]
                states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
            else:
                states = self.begin_state(0, func=symbol.zeros)
        if isinstance(states, (ndarray.NDArray, symbol.Symbol)):
            states = [states]
        if autograd.is_recording():  # states from a step whose graph backward cleared
            autograd.release_cleared(states)
        if self._use_sequence_length:
            return super().__call__(inputs, states, sequence_length, **kwargs)
        return super().__call__(inputs, states, **kwargs)

    def infer_shape(self, inputs, *args):
        """Fill the first layer's input width from the inputs (rank-3, ``layout``)."""
        if len(inputs.shape) != 3:
            raise RNNUsageError(f"{self.name}: input must be a rank-3 tensor of layout "
                                f"{self._layout}, got shape {inputs.shape}")
        ni = inputs.shape[2]
        step = (self._projection_size or self._hidden_size) * self._dir
        for i in range(self._num_layers):
            for d in ("l", "r")[:self._dir]:
                p = getattr(self, f"{d}{i}_i2h_weight")
                p.shape = (self._gates * self._hidden_size, ni)
            ni = step

    @np_aware
    def hybrid_forward(self, F, inputs, states, sequence_length=None, **kwargs):
        if F is ndarray:
            self._check_states(inputs, states)
        out = self._forward_kernel(F, inputs, states, sequence_length, **kwargs)
        return out[0] if self.skip_states else out

    def _check_states(self, inputs, states):
        if len(inputs.shape) != 3:
            raise RNNUsageError(f"{self.name}: input must be a rank-3 tensor of layout "
                                f"{self._layout}, got shape {inputs.shape}")
        batch_size = inputs.shape[self._layout.find("N")]
        for state, info in zip(states, self.state_info(batch_size)):
            if state.shape != info["shape"]:
                raise RNNUsageError(f"Invalid recurrent state shape. Expecting "
                                    f"{info['shape']}, got {state.shape}.")

    def _flat_params(self, F, kwargs):
        gates = ("i2h", "h2h", "h2r") if self._projection_size else ("i2h", "h2h")
        names = [f"{d}{layer}_{g}_{kind}" for kind in ("weight", "bias")
                 for layer in range(self._num_layers) for d in ("l", "r")[:self._dir]
                 for g in gates if kind == "weight" or g != "h2r"]
        return F._internal._rnn_param_concat(*[kwargs[n].reshape(-1) for n in names], dim=0)

    def _forward_kernel(self, F, inputs, states, sequence_length, **kwargs):
        if self._layout == "NTC":
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        params = self._flat_params(F, kwargs)
        args = [inputs, params] + list(states)
        if self._use_sequence_length:
            args.append(sequence_length)
        rnn = F.RNN(*args, use_sequence_length=self._use_sequence_length,
                    state_size=self._hidden_size, projection_size=self._projection_size,
                    num_layers=self._num_layers, bidirectional=self._dir == 2,
                    p=self._dropout, state_outputs=True, mode=self._mode,
                    lstm_state_clip_min=self._lstm_state_clip_min,
                    lstm_state_clip_max=self._lstm_state_clip_max,
                    lstm_state_clip_nan=self._lstm_state_clip_nan)
        outputs = rnn[0]
        new_states = [rnn[1], rnn[2]] if self._mode == "lstm" else [rnn[1]]
        if self._layout == "NTC":
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs, new_states

    def _state_shape(self, batch_size, width):
        return {"shape": (self._num_layers * self._dir, batch_size, width),
                "__layout__": "LNC", "dtype": self._dtype}


class RNN(_RNNLayer):
    """Multi-layer Elman RNN with ``tanh`` or ``relu``: h_t = act(W x_t + b + R h_{t-1} + c).

    Parameters
    ----------
    hidden_size : int
    num_layers : int
    activation : {'relu', 'tanh'}
    layout : {'TNC', 'NTC'}
    dropout : float
        Dropout between layers (not after the last).
    bidirectional : bool
    i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
    h2h_bias_initializer : str or Initializer
    input_size : int
        Input width (0: inferred from the first input).
    dtype : str
    """

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC", dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 dtype="float32", **kwargs):
        if activation not in ("relu", "tanh"):
            raise RNNUsageError(f"RNN: activation must be 'relu' or 'tanh', got {activation!r}")
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "rnn_" + activation,
                         None, None, None, None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [self._state_shape(batch_size, self._hidden_size)]


class LSTM(_RNNLayer):
    """Multi-layer LSTM (optionally with a projection, LSTMP), on torch's fused kernel.

    Parameters
    ----------
    hidden_size : int
    num_layers : int
    layout : {'TNC', 'NTC'}
    dropout : float
    bidirectional : bool
    input_size : int
    i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
    h2h_bias_initializer, h2r_weight_initializer : str or Initializer
    projection_size : int
        Project the hidden state to this width (LSTMP).
    state_clip_min, state_clip_max : float
        Clip the cell state to this range.
    state_clip_nan : bool
        Map NaN cell states to the clip bounds.
    dtype : str
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 projection_size=None, h2r_weight_initializer=None, state_clip_min=None,
                 state_clip_max=None, state_clip_nan=False, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "lstm", projection_size,
                         h2r_weight_initializer, state_clip_min, state_clip_max,
                         state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [self._state_shape(batch_size, self._projection_size or self._hidden_size),
                self._state_shape(batch_size, self._hidden_size)]


class GRU(_RNNLayer):
    """Multi-layer GRU (MXNet's/cuDNN's formulation: the reset gate applies after h2h).

    Parameters as for RNN, without ``activation``.
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", dtype="float32",
                 **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, "gru", None, None, None,
                         None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [self._state_shape(batch_size, self._hidden_size)]
