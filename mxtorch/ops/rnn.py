"""The fused RNN operator (rnn_relu, rnn_tanh, lstm, gru) and ``_rnn_param_concat``.

MXNet keeps every weight of a (multi-layer, bidirectional) RNN in ONE flat ``parameters``
vector: all weights first, then all biases; within each group layer-major, then direction
(l, r), then i2h before h2h (and the LSTM projection h2r after h2h, weights only). Gate
blocks are LSTM i,f,g,o and GRU r,z,n with ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``:
the same orders and formulas as torch, so the flat vector is sliced into views and handed to
torch's fused kernels (``torch._VF.lstm``/``gru``/``rnn_tanh``/``rnn_relu``) unchanged. Only
LSTM cell-state clipping, which torch lacks, runs as a Python loop over time steps.
"""
import math
import warnings

import torch

from ..base import AttributeParseError, ShapeError
from ._attrs import BOOL, FLOAT, INT, OPT_FLOAT, OPT_INT, Enum
from ._registry import Attr, VARIADIC, defop

_GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}
_KERNELS = {"rnn_relu": "rnn_relu", "rnn_tanh": "rnn_tanh", "lstm": "lstm", "gru": "gru"}

# NOTE: on CUDA torch copies views that are not one cuDNN buffer and warns once about it;
# MXNet's flat layout never matches cuDNN's, so that copy is expected.
warnings.filterwarnings("ignore", message="RNN module weights are not part of single")
warnings.filterwarnings("ignore", message="LSTM with projections is not supported with oneDNN")


def _rnn_inputs(attrs):
    names = ["data", "parameters", "state"]
    if attrs["mode"] == "lstm":
        names.append("state_cell")
    if attrs["use_sequence_length"]:
        names.append("sequence_length")
    return tuple(names)


def _num_outputs(attrs):
    if not attrs["state_outputs"]:
        return 1
    return 3 if attrs["mode"] == "lstm" else 2


def _output_names(attrs):
    return ("output", "state_output", "statecell_output")[:_num_outputs(attrs)]


# --------------------------------------------------------------------------------------------
# parameter layout
# --------------------------------------------------------------------------------------------


def _proj(attrs):
    proj = attrs["projection_size"]
    if proj is not None and attrs["mode"] != "lstm":
        raise AttributeParseError(f"RNN: projection_size is only supported with mode='lstm', "
                                  f"got mode={attrs['mode']!r}")
    return proj


def param_layout(attrs, input_size):
    """[(name, shape)] of the flat ``parameters`` vector, in order (gluon's names)."""
    hidden, layers = attrs["state_size"], attrs["num_layers"]
    dirs = 2 if attrs["bidirectional"] else 1
    proj = _proj(attrs)
    out_size = proj or hidden
    rows = _GATES[attrs["mode"]] * hidden
    weights, biases = [], []
    for layer in range(layers):
        in_size = input_size if layer == 0 else dirs * out_size
        for d in "lr"[:dirs]:
            weights.append((f"{d}{layer}_i2h_weight", (rows, in_size)))
            weights.append((f"{d}{layer}_h2h_weight", (rows, out_size)))
            if proj:
                weights.append((f"{d}{layer}_h2r_weight", (proj, hidden)))
            biases.append((f"{d}{layer}_i2h_bias", (rows,)))
            biases.append((f"{d}{layer}_h2h_bias", (rows,)))
    return weights + biases


def param_size(attrs, input_size):
    """Length of the flat ``parameters`` vector for ``input_size`` features (closed form of
    ``param_layout``, so a huge ``num_layers`` costs nothing)."""
    hidden, layers = attrs["state_size"], attrs["num_layers"]
    dirs = 2 if attrs["bidirectional"] else 1
    proj = _proj(attrs)
    out_size = proj or hidden
    rows = _GATES[attrs["mode"]] * hidden
    per_layer = rows * out_size + (proj * hidden if proj else 0) + 2 * rows
    first = rows * input_size + per_layer
    return dirs * (first + max(layers - 1, 0) * (rows * dirs * out_size + per_layer))


def _torch_weights(params, attrs, input_size):
    """Views of the flat vector, in torch's order: per layer and direction w_ih, w_hh, b_ih,
    b_hh (and w_hr with projection)."""
    layout = param_layout(attrs, input_size)
    sizes = [math.prod(shape) for _, shape in layout]
    rest = params.shape[0] - sum(sizes)
    # one split, not a slice per weight: its backward assembles the flat gradient once,
    # where each slice's backward would fill and copy a whole zero vector
    pieces = params.split(sizes + [rest] if rest > 0 else sizes)
    views = {name: piece.view(shape) for (name, shape), piece in zip(layout, pieces)}
    dirs = 2 if attrs["bidirectional"] else 1
    order = ["i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias"]
    if attrs["projection_size"]:
        order.append("h2r_weight")
    return [views[f"{d}{layer}_{part}"] for layer in range(attrs["num_layers"])
            for d in "lr"[:dirs] for part in order]


# --------------------------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------------------------


def _state_shapes(attrs, steps_batch):
    batch = steps_batch[1]
    dirs = 2 if attrs["bidirectional"] else 1
    hidden = attrs["state_size"]
    out_size = _proj(attrs) or hidden
    layers = attrs["num_layers"] * dirs
    return (layers, batch, out_size), (layers, batch, hidden), dirs * out_size


def _rnn_infer_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None or len(data) != 3:
        return in_shapes, None
    steps, batch, features = data
    state, cell, out_feat = _state_shapes(attrs, data)
    filled = [data, (param_size(attrs, features),) if features else in_shapes[1], state]
    if attrs["mode"] == "lstm":
        filled.append(cell)
    if attrs["use_sequence_length"]:
        filled.append((batch,))
    outs = [(steps, batch, out_feat)]
    if attrs["state_outputs"]:
        outs.append(state)
        if attrs["mode"] == "lstm":
            outs.append(cell)
    return filled, outs


def _check_shapes(data, params, states, attrs):
    for name in ("num_layers", "state_size"):
        if attrs[name] < 1:
            raise AttributeParseError(f"RNN: {name} must be at least 1, got {attrs[name]}")
    if (attrs["projection_size"] or 0) < 0:
        raise AttributeParseError(f"RNN: projection_size must be positive, got "
                                  f"{attrs['projection_size']}")
    if data.dim() != 3:
        raise ShapeError(f"RNN: input 'data' must be (seq_len, batch, features), got shape "
                         f"{tuple(data.shape)}")
    want = param_size(attrs, data.shape[2])
    if params.dim() != 1 or params.numel() != want:
        raise ShapeError(f"RNN: input 'parameters' has shape {tuple(params.shape)}, expected "
                         f"({want},) for data {tuple(data.shape)}, mode={attrs['mode']!r}, "
                         f"state_size={attrs['state_size']}, num_layers={attrs['num_layers']}, "
                         f"bidirectional={attrs['bidirectional']}")
    state, cell, _ = _state_shapes(attrs, data.shape)
    for name, tensor, shape in zip(("state", "state_cell"), states, (state, cell)):
        if tuple(tensor.shape) != shape:
            raise ShapeError(f"RNN: input {name!r} has shape {tuple(tensor.shape)}, expected "
                             f"{shape} (num_layers * directions, batch, size)")


# --------------------------------------------------------------------------------------------
# compute
# --------------------------------------------------------------------------------------------


def _fused(data, weights, states, attrs, dropout, is_train, lengths):
    """Run torch's fused kernel; returns (output, h_n, c_n or None)."""
    kernel = getattr(torch._VF, _KERNELS[attrs["mode"]])
    hx = tuple(states) if attrs["mode"] == "lstm" else states[0]
    args = (weights, True, attrs["num_layers"], dropout, is_train, attrs["bidirectional"])
    if lengths is None:
        result = kernel(data, hx, *args, False)
        output = result[0]
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(data, lengths.cpu(),
                                                         enforce_sorted=False)
        order = packed.sorted_indices
        hx = tuple(h.index_select(1, order) for h in hx) if isinstance(hx, tuple) \
            else hx.index_select(1, order)
        result = kernel(packed.data, packed.batch_sizes, hx, *args)
        packed_out = torch.nn.utils.rnn.PackedSequence(result[0], packed.batch_sizes, order,
                                                       packed.unsorted_indices)
        output, _ = torch.nn.utils.rnn.pad_packed_sequence(packed_out,
                                                           total_length=data.shape[0])
        restore = packed.unsorted_indices
        result = (output,) + tuple(r.index_select(1, restore) for r in result[1:])
    return output, result[1], (result[2] if attrs["mode"] == "lstm" else None)


def _reverse_padded(x, lengths):
    """Reverse each sequence (time axis 0) within its own length; padding stays in place."""
    if lengths is None:
        return x.flip(0)
    steps = x.shape[0]
    t = torch.arange(steps, device=x.device).unsqueeze(1)
    idx = torch.where(t < lengths, lengths - 1 - t, t)
    return x.gather(0, idx.unsqueeze(2).expand_as(x))


def _clipped_lstm_direction(x, h, c, w, clip, lengths, reverse):
    """One LSTM direction with the cell state clipped after every step (Python loop)."""
    w_ih, w_hh, b_ih, b_hh = w[:4]
    w_hr = w[4] if len(w) > 4 else None
    lo, hi, clip_nan = clip
    if reverse:
        x = _reverse_padded(x, lengths)
    pre = torch.nn.functional.linear(x, w_ih, b_ih)
    outs = []
    for t in range(x.shape[0]):
        gates = pre[t] + torch.nn.functional.linear(h, w_hh, b_hh)
        i, f, g, o = gates.chunk(4, dim=1)
        c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        if clip_nan:
            # NOTE: cuDNN's no-propagate mode maps NaN to the lower bound (fmax then fmin).
            c_new = torch.where(torch.isnan(c_new), torch.full_like(c_new, lo), c_new)
        c_new = c_new.clamp(lo, hi)
        h_new = torch.sigmoid(o) * torch.tanh(c_new)
        if w_hr is not None:
            h_new = torch.nn.functional.linear(h_new, w_hr)
        if lengths is not None:
            live = (t < lengths).unsqueeze(1)
            c_new = torch.where(live, c_new, c)
            h_new = torch.where(live, h_new, h)
            outs.append(h_new * live)
        else:
            outs.append(h_new)
        h, c = h_new, c_new
    out = torch.stack(outs)
    if reverse:
        out = _reverse_padded(out, lengths)
    return out, h, c


def _clipped_lstm(data, weights, states, attrs, dropout, is_train, lengths):
    """Multi-layer (bidirectional) LSTM with cell clipping; returns (output, h_n, c_n)."""
    lo = attrs["lstm_state_clip_min"]
    hi = attrs["lstm_state_clip_max"]
    clip = (lo, hi, attrs["lstm_state_clip_nan"])
    dirs = 2 if attrs["bidirectional"] else 1
    per = len(weights) // (attrs["num_layers"] * dirs)
    h0, c0 = states
    hs, cs, x = [], [], data
    for layer in range(attrs["num_layers"]):
        if layer and dropout:
            x = torch.nn.functional.dropout(x, dropout, training=is_train)
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            out, h, c = _clipped_lstm_direction(x, h0[k], c0[k], weights[k * per:(k + 1) * per],
                                                clip, lengths, reverse=d == 1)
            outs.append(out)
            hs.append(h)
            cs.append(c)
        x = torch.cat(outs, dim=2) if dirs == 2 else outs[0]
    return x, torch.stack(hs), torch.stack(cs)


def _lengths(seq_len, data):
    lengths = seq_len.detach().to(torch.int64).reshape(-1)
    if lengths.numel() != data.shape[1]:
        raise ShapeError(f"RNN: input 'sequence_length' has shape {tuple(seq_len.shape)}, "
                         f"expected ({data.shape[1]},) (one length per batch element)")
    if bool(((lengths < 1) | (lengths > data.shape[0])).any()):
        raise ShapeError(f"RNN: sequence_length values must be in [1, {data.shape[0]}], got "
                         f"{lengths.tolist()}")
    return lengths.to(data.device)


@defop("RNN", inputs=_rnn_inputs,
       all_inputs=("data", "parameters", "state", "state_cell", "sequence_length"),
       attrs=(Attr("state_size", INT, doc="Hidden units per layer"),
              Attr("num_layers", INT, doc="Number of stacked layers"),
              Attr("bidirectional", BOOL, False, "Also run right-to-left"),
              Attr("mode", Enum("gru", "lstm", "rnn_relu", "rnn_tanh"), doc="Cell type"),
              Attr("p", FLOAT, 0.0, "Dropout between layers (training only)"),
              Attr("state_outputs", BOOL, False, "Also return the final states"),
              Attr("projection_size", OPT_INT, None, "LSTM projection size"),
              Attr("lstm_state_clip_min", OPT_FLOAT, None, "Lower bound of the LSTM cell"),
              Attr("lstm_state_clip_max", OPT_FLOAT, None, "Upper bound of the LSTM cell"),
              Attr("lstm_state_clip_nan", BOOL, False, "Clip NaN cell values to the bounds"),
              Attr("use_sequence_length", BOOL, False, "Read per-sequence lengths")),
       num_outputs=_num_outputs, output_names=_output_names, infer_shape=_rnn_infer_shape,
       train_aware=True, same_dtype=("data", "parameters", "state", "state_cell"))
def rnn(data, parameters, state, *rest, state_size, num_layers, bidirectional, mode, p,
        state_outputs, projection_size, lstm_state_clip_min, lstm_state_clip_max,
        lstm_state_clip_nan, use_sequence_length, is_train=False):
    """Fused multi-layer RNN over (seq_len, batch, features) data with a flat parameter vector.

    Returns the output (seq_len, batch, directions * size) and, with ``state_outputs``, the
    final hidden state (and the LSTM cell state).
    """
    attrs = dict(state_size=state_size, num_layers=num_layers, bidirectional=bidirectional,
                 mode=mode, projection_size=projection_size,
                 lstm_state_clip_min=lstm_state_clip_min,
                 lstm_state_clip_max=lstm_state_clip_max,
                 lstm_state_clip_nan=lstm_state_clip_nan, state_outputs=state_outputs,
                 use_sequence_length=use_sequence_length)
    states = (state, rest[0]) if mode == "lstm" else (state,)
    _check_shapes(data, parameters, states, attrs)
    if data.is_meta:
        return _meta_outputs(data, attrs)
    lengths = _lengths(rest[-1], data) if use_sequence_length else None
    weights = _torch_weights(parameters, attrs, data.shape[2])
    dropout = p if is_train else 0.0
    clip = mode == "lstm" and (lstm_state_clip_min is not None
                               or lstm_state_clip_max is not None)
    if clip:
        attrs["lstm_state_clip_min"] = -math.inf if lstm_state_clip_min is None \
            else lstm_state_clip_min
        attrs["lstm_state_clip_max"] = math.inf if lstm_state_clip_max is None \
            else lstm_state_clip_max
        out, h_n, c_n = _clipped_lstm(data, weights, states, attrs, dropout, is_train, lengths)
    else:
        out, h_n, c_n = _fused(data, weights, states, attrs, dropout, is_train, lengths)
    if not state_outputs:
        return out
    return (out, h_n, c_n) if mode == "lstm" else (out, h_n)


def _meta_outputs(data, attrs):
    _, outs = _rnn_infer_shape(attrs, [tuple(data.shape)] + [None] * 4)
    result = tuple(data.new_empty(shape) for shape in outs)
    return result[0] if len(result) == 1 else result


# --------------------------------------------------------------------------------------------
# _rnn_param_concat
# --------------------------------------------------------------------------------------------


def _concat_infer_shape(attrs, in_shapes):
    if any(s is None for s in in_shapes) or not in_shapes:
        return in_shapes, None
    dim = attrs["dim"]
    first = list(in_shapes[0])
    axis = dim % len(first)
    first[axis] = sum(s[axis] for s in in_shapes)
    if any(s[axis] == 0 for s in in_shapes):
        first[axis] = 0
    return in_shapes, [tuple(first)]


def _concat_from_output(attrs, in_shapes, out_shapes):
    """MXNet's backward rule: the other dims come from the output, and the inputs of unknown
    size along ``dim`` share what the known ones leave of the output's equally (a
    bidirectional layer's l/r weights)."""
    out = out_shapes[0]
    axis = attrs["dim"] % len(out)
    filled = [None if s is None or len(s) != len(out) else
              tuple(o if (k != axis and not d) else d for k, (d, o) in enumerate(zip(s, out)))
              for s in in_shapes]
    unknown = [i for i, s in enumerate(filled) if s is None or not s[axis]]
    if unknown:
        left = out[axis] - sum(s[axis] for j, s in enumerate(filled) if j not in unknown)
        share = left // len(unknown)
        for i in unknown if share > 0 else ():
            base = filled[i] if filled[i] is not None else out
            filled[i] = tuple(share if k == axis else d for k, d in enumerate(base))
    return [f if f is not None else s for f, s in zip(filled, in_shapes)]


@defop("_rnn_param_concat", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT, doc="Number of inputs"),
              Attr("dim", INT, 1, "Axis to concatenate along")),
       infer_shape=_concat_infer_shape, infer_input_from_output=_concat_from_output)
def rnn_param_concat(*data, num_args, dim):
    """Concatenate RNN parameter arrays along ``dim`` (gluon's fused-RNN weight packing)."""
    if len(data) != num_args:
        raise ShapeError(f"_rnn_param_concat: num_args={num_args} but {len(data)} inputs given")
    return torch.cat(data, dim=dim)
