"""Neural-network operators: FullyConnected, activations, the softmax family, Dropout,
Embedding and the attention helpers of ``contrib``.

Also home of the small shape helpers the parameter ops share (``fill_shape``): they fill
unknown weight/bias shapes from the data shape for Gluon deferred init and Symbol inference.

MXNet rules encoded here (checked against 1.9.1):
- ``FullyConnected(flatten=True)`` collapses every axis but the first.
- ``LeakyReLU``'s prelu broadcasts ``gamma`` along axis 1; rrelu has a second output (the
  per-element slopes; zeros in inference, where the slope is (lower+upper)/2).
- ``Dropout`` is the identity outside training unless ``mode='always'``; it scales kept
  values by 1/(1-p) and ``axes`` share one mask value along the listed axes.
- ``Embedding`` clips indices into [0, input_dim-1] and truncates fractional ones.
"""
import dataclasses
import math

import torch
import torch.nn.functional as F

from ..base import AttributeParseError, MXNetError, ShapeError
from .._torch import packed_linear
from .._torch.dtypes import NAME_TO_TORCH, TORCH_TO_NAME
from ._attrs import BOOL, FLOAT, INT, OPT_BOOL, OPT_DTYPE, OPT_FLOAT, SHAPE, Enum
from ._registry import REGISTRY, Attr, defop

# --------------------------------------------------------------------------------------------
# shared shape helpers
# --------------------------------------------------------------------------------------------


def known(shape):
    """True when ``shape`` is given and has no unknown (0) dim."""
    return shape is not None and len(shape) > 0 and all(d > 0 for d in shape)


def fill_shape(op_name, input_name, given, expected):
    """Merge the shape an input should have with what is known of it.

    ``given`` may be None (unknown) or contain 0s (unknown dims, MXNet legacy); so may
    ``expected``. Raises ShapeError naming the op, the input and both shapes on a conflict.
    """
    expected = tuple(expected)
    if given is None or len(given) == 0:
        return expected
    given = tuple(given)
    if len(given) != len(expected) or any(g and e and g != e for g, e in zip(given, expected)):
        raise ShapeError(f"{op_name}: input {input_name!r} has shape {given}, expected "
                         f"{expected}")
    return tuple(g or e for g, e in zip(given, expected))


def fill_inputs(op_name, names, in_shapes, expected):
    """``fill_shape`` for several inputs: ``expected`` maps input name -> shape."""
    out = list(in_shapes)
    for i, name in enumerate(names):
        if name in expected and i < len(out):
            out[i] = fill_shape(op_name, name, out[i], expected[name])
    return out


def prod(dims):
    """Product of dims; 0 (unknown) if any dim is unknown."""
    return math.prod(dims)


# --------------------------------------------------------------------------------------------
# FullyConnected
# --------------------------------------------------------------------------------------------

# NOTE: FullyConnected runs F.linear (MKL sgemm here), and in inference (grad mode off) MKL's
# packed-weight GEMM where it measured faster (_torch/packed_linear.py, DESIGN.md v0.16).
# torch's oneDNN inner product (`torch.ops.mkldnn._linear_pointwise`) was tried before on the
# 2-core AVX-512 CI machine, float32, batch 128 (bench mlp.py's layers): with weights
# reordered per call 7-12% slower; with weights packed once per weight version ~2% faster at
# 1 thread but 6-12% slower at 2 quiet threads (3 pairs, 2026-12-03). Removed (v0.15).


def _fc_inputs(a):
    return ("data", "weight") if a["no_bias"] else ("data", "weight", "bias")


def _fc_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    n = a["num_hidden"]
    in_dim = prod(data[1:]) if a["flatten"] else data[-1]
    expected = {"weight": (n, in_dim), "bias": (n,)}
    filled = fill_inputs("FullyConnected", _fc_inputs(a), in_shapes, expected)
    out = (data[0], n) if a["flatten"] else tuple(data[:-1]) + (n,)
    return filled, [out]


@defop("FullyConnected", inputs=_fc_inputs, all_inputs=("data", "weight", "bias"),
       attrs=(Attr("num_hidden", INT, doc="Number of hidden units (output size)"),
              Attr("no_bias", BOOL, False, "Whether to skip the bias"),
              Attr("flatten", BOOL, True, "Collapse all input axes but the first")),
       infer_shape=_fc_shape)
def fully_connected(data, weight, bias=None, *, num_hidden, no_bias, flatten):
    """``data @ weight.T + bias``; weight is (num_hidden, input_dim)."""
    if flatten and data.dim() != 2:
        data = data.reshape(data.shape[0], -1) if data.dim() else data.reshape(1, 1)
    if weight.dim() != 2 or weight.shape[0] != num_hidden or weight.shape[1] != data.shape[-1]:
        raise ShapeError(f"FullyConnected: input 'weight' has shape {tuple(weight.shape)}, "
                         f"expected {(num_hidden, data.shape[-1])} (num_hidden, input_dim) for "
                         f"data of shape {tuple(data.shape)}")
    return packed_linear.linear(data, weight, bias)


# --------------------------------------------------------------------------------------------
# activations
# --------------------------------------------------------------------------------------------


def _softsign(x):
    return x / (1 + x.abs())


_ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                "softrelu": F.softplus, "softsign": _softsign}


@defop("Activation", inputs=("data",), shape_rule="same",
       attrs=(Attr("act_type", Enum("relu", "sigmoid", "softrelu", "softsign", "tanh"),
                   doc="Activation function"),))
def activation(data, act_type):
    """Element-wise activation: relu, sigmoid, tanh, softrelu (log(1+e^x)) or softsign."""
    return _ACTIVATIONS[act_type](data)


_ACTIVATIONS_INTO = {"relu": torch.relu_, "sigmoid": torch.sigmoid_, "tanh": torch.tanh_}


def _activation_into_data(data, act_type):
    """``Activation`` with ``out=data``: overwrites ``data`` unless autograd tracks it (the
    nd door then writes the result into ``out`` as for any op)."""
    into = _ACTIVATIONS_INTO.get(act_type)
    if into is None or not data.is_floating_point() or (
            data.requires_grad and torch.is_grad_enabled()):
        return _ACTIVATIONS[act_type](data)
    return into(data)


REGISTRY["Activation"].out_alias = dataclasses.replace(
    REGISTRY["Activation"], compute=_activation_into_data, mutate=("data",))


def _leaky_inputs(a):
    return ("data", "gamma") if a["act_type"] == "prelu" else ("data",)


def _leaky_shape(a, in_shapes):
    if a["act_type"] != "prelu" or in_shapes[0] is None:
        return in_shapes, None
    data = in_shapes[0]
    channels = data[1] if len(data) > 1 else 1
    out = list(in_shapes)
    gamma = out[1] if len(out) > 1 else None
    if gamma is None or len(gamma) == 0 or (len(gamma) == 1 and gamma[0] == 0):
        gamma = (channels,)
    elif _broadcasts_to(gamma, data):
        pass  # NOTE: MXNet also takes slopes of data's rank that broadcast to it ((N, C) data)
    elif tuple(gamma) != (1,):  # one shared slope or one per channel
        gamma = fill_shape("LeakyReLU", "gamma", gamma, (channels,))
    if len(out) > 1:
        out[1] = tuple(gamma)
    return out, None


def _broadcasts_to(gamma, data):
    """True for a slope shape of ``data``'s rank (>1) that broadcasts to it."""
    return len(gamma) == len(data) > 1 and all(g in (1, d) for g, d in zip(gamma, data))


def _prelu(data, gamma):
    if gamma.dim() > 1 and _broadcasts_to(tuple(gamma.shape), tuple(data.shape)):
        return torch.where(data > 0, data, data * gamma)
    if gamma.numel() != 1 and (data.dim() < 2 or gamma.numel() != data.shape[1]):
        raise ShapeError(f"LeakyReLU: input 'gamma' has shape {tuple(gamma.shape)}, expected "
                         f"one slope per channel of axis 1 or (1,) for data of shape "
                         f"{tuple(data.shape)}")
    return F.prelu(data, gamma.reshape(-1))


def _rrelu(data, lower_bound, upper_bound, is_train):
    if is_train:
        slopes = torch.empty_like(data).uniform_(lower_bound, upper_bound)
        return torch.where(data > 0, data, data * slopes), slopes
    slope = (lower_bound + upper_bound) / 2
    return F.leaky_relu(data, slope), torch.zeros_like(data)


@defop("LeakyReLU", inputs=_leaky_inputs, all_inputs=("data", "gamma"),
       attrs=(Attr("act_type", Enum("elu", "gelu", "leaky", "prelu", "rrelu", "selu"), "leaky",
                   "Activation function"),
              Attr("slope", FLOAT, 0.25, "Slope of leaky (and alpha of elu)"),
              Attr("lower_bound", FLOAT, 0.125, "Lower bound of the rrelu slope"),
              Attr("upper_bound", FLOAT, 0.334, "Upper bound of the rrelu slope")),
       num_outputs=lambda a: 2 if a["act_type"] == "rrelu" else 1,
       infer_shape=_leaky_shape, train_aware=True)
def leaky_relu(data, gamma=None, *, act_type, slope, lower_bound, upper_bound, is_train=False):
    """Leaky family: leaky, prelu (learned ``gamma``), rrelu (random slope), elu, selu, gelu."""
    if act_type == "leaky":
        return F.leaky_relu(data, slope)
    if act_type == "prelu":
        return _prelu(data, gamma)
    if act_type == "elu":
        return F.elu(data, slope)
    if act_type == "selu":
        # NOTE: torch's selu has MXNet's alpha/lambda; MXNet 1.9.1's gradient for x<0 is
        # lambda*(y+alpha), we keep the true derivative (see compat/nn.md).
        return F.selu(data)
    if act_type == "gelu":
        return F.gelu(data)
    return _rrelu(data, lower_bound, upper_bound, is_train)


# --------------------------------------------------------------------------------------------
# softmax family
# --------------------------------------------------------------------------------------------


def _softmax_dtype(data, dtype):
    """(compute dtype, output dtype): MXNet computes in the input's accumulation type
    (float32 for float16/float32 inputs) and casts the result to ``dtype``."""
    out = NAME_TO_TORCH[dtype] if dtype is not None else data.dtype
    if not out.is_floating_point:
        if dtype is None:
            raise MXNetError(f"softmax: input 'data' has dtype {TORCH_TO_NAME[data.dtype]}; "
                             "softmax needs float data, cast it first (x.astype('float32'))")
        raise MXNetError(f"softmax: dtype must be a float type, got {dtype}")
    work = torch.float64 if data.dtype == torch.float64 else torch.float32
    return work, out


def _scaled(data, temperature, negate=False):
    if temperature is not None and temperature != 1.0:
        data = data / temperature
    return -data if negate else data


def _length_mask(data, length, axis):
    """Boolean mask, True where the position along ``axis`` is below ``length``."""
    axis = axis % data.dim()
    if length.is_floating_point():
        raise MXNetError(f"softmax: input 'length' must hold integers, got {length.dtype}; "
                         "cast it with .astype('int32')")
    size = data.shape[axis]
    shape = [1] * data.dim()
    shape[axis] = size
    pos = torch.arange(size, device=data.device).reshape(shape)
    return pos < length.unsqueeze(axis).to(torch.int64)


def _softmax_core(data, axis, temperature, dtype, negate, log):
    work, out = _softmax_dtype(data, dtype)
    x = _scaled(data, temperature, negate)
    fn = F.log_softmax if log else F.softmax
    if work != x.dtype:
        return fn(x, axis, dtype=work).to(out)
    return fn(x, axis).to(out)


_SOFTMAX_ATTRS = (Attr("axis", INT, -1, "Axis to normalise over"),
                  Attr("temperature", OPT_FLOAT, None, "Divide the input by this first"),
                  Attr("dtype", OPT_DTYPE, None, "Output dtype (float16/32/64)"),
                  Attr("use_length", OPT_BOOL, False, "Use only the first length entries"))


@defop("softmax", inputs=lambda a: ("data", "length") if a["use_length"] else ("data",),
       all_inputs=("data", "length"), attrs=_SOFTMAX_ATTRS, same_dtype=())
def softmax(data, length=None, *, axis, temperature, dtype, use_length):
    """``exp(x/T) / sum(exp(x/T))`` along ``axis``; with ``use_length`` entries past
    ``length`` are 0."""
    if not use_length:
        return _softmax_core(data, axis, temperature, dtype, False, False)
    mask = _length_mask(data, length, axis)
    work, out = _softmax_dtype(data, dtype)
    x = _scaled(data, temperature).to(work).masked_fill(~mask, float("-inf"))
    # NOTE: a row of length 0 is all zeros in MXNet (softmax of nothing), not NaN.
    return torch.where(mask, F.softmax(x, axis), 0.0).to(out)


def _no_length(name, use_length):
    if use_length:
        raise AttributeParseError(f"{name}: use_length=True needs a 'length' input, which "
                                  f"{name} does not take in MXNet 1.9.1; use softmax(data, "
                                  "length, use_length=True) instead")


@defop("log_softmax", inputs=("data",), attrs=_SOFTMAX_ATTRS, shape_rule="same")
def log_softmax(data, axis, temperature, dtype, use_length):
    """Logarithm of softmax along ``axis``."""
    _no_length("log_softmax", use_length)
    return _softmax_core(data, axis, temperature, dtype, False, True)


@defop("softmin", inputs=("data",), attrs=_SOFTMAX_ATTRS, shape_rule="same")
def softmin(data, axis, temperature, dtype, use_length):
    """Softmax of ``-x`` along ``axis``."""
    _no_length("softmin", use_length)
    return _softmax_core(data, axis, temperature, dtype, True, False)


@defop("SoftmaxActivation", inputs=("data",), shape_rule="same",
       attrs=(Attr("mode", Enum("channel", "instance"), "instance",
                   "instance: over all axes but the first; channel: over axis 1"),))
def softmax_activation(data, mode):
    """Softmax per instance (all axes but the first, flattened) or per channel (axis 1)."""
    if mode == "channel":
        if data.dim() < 3:
            raise ShapeError(f"SoftmaxActivation: mode='channel' needs data of at least 3 dims "
                             f"(batch, channel, ...), got shape {tuple(data.shape)}")
        return F.softmax(data, 1)
    return F.softmax(data.reshape(data.shape[0], -1), 1).reshape(data.shape)


# --------------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------------


@defop("Dropout", inputs=("data",),
       attrs=(Attr("p", FLOAT, 0.5, "Fraction of the input set to zero"),
              Attr("mode", Enum("always", "training"), "training",
                   "training: only in training mode; always: also in inference"),
              Attr("axes", SHAPE, (), "Axes along which one mask value is shared"),
              Attr("cudnn_off", OPT_BOOL, False, "Unused (cuDNN switch)")),
       train_aware=True)
def dropout(data, p, mode, axes, cudnn_off, is_train=False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)``."""
    if not (is_train or mode == "always") or p <= 0:
        return data  # the nd door copies results that alias an input; graphs need no copy
    if p >= 1:
        return data * 0
    if not axes:
        return F.dropout(data, p, True)
    shape = list(data.shape)
    for ax in axes:
        shape[ax] = 1
    keep = torch.empty(shape, dtype=data.dtype, device=data.device).bernoulli_(1 - p)
    return data * keep.div_(1 - p)


# --------------------------------------------------------------------------------------------
# Embedding
# --------------------------------------------------------------------------------------------

_EMBED_DTYPES = Enum("bfloat16", "float16", "float32", "float64", "int32", "int64", "int8",
                     "uint8")
_EMBED_ATTRS = (Attr("input_dim", INT, doc="Vocabulary size (rows of weight)"),
                Attr("output_dim", INT, doc="Embedding size (columns of weight)"),
                Attr("dtype", _EMBED_DTYPES, "float32", "Data type of weight and output"),
                Attr("sparse_grad", BOOL, False, "Row-sparse gradient (computed dense here)"))


def _embed_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:  # as MXNet: the weight is filled once the data's shape is known
        return in_shapes, None
    filled = fill_inputs("Embedding", ("data", "weight"), in_shapes,
                         {"weight": (a["input_dim"], a["output_dim"])})
    if data is None:
        return filled, None
    return filled, [tuple(data) + (a["output_dim"],)]


def _embed_type(a, in_dtypes):
    weight = in_dtypes[1] if len(in_dtypes) > 1 and in_dtypes[1] is not None else a["dtype"]
    return [in_dtypes[0], weight], [weight]


def embedding(data, weight, input_dim, output_dim, dtype, sparse_grad):
    """Rows of ``weight`` picked by the (clipped, truncated) indices in ``data``."""
    if weight.dim() != 2 or weight.shape[0] != input_dim or weight.shape[1] != output_dim:
        raise ShapeError(f"Embedding: input 'weight' has shape {tuple(weight.shape)}, expected "
                         f"{(input_dim, output_dim)} (input_dim, output_dim)")
    # NOTE: MXNet clips out-of-range indices instead of failing; float indices truncate.
    index = data.detach().clamp(0, input_dim - 1).to(torch.int64)
    # sparse_grad: torch's sparse gradient stores exactly the looked-up ids (zero rows too)
    sparse = sparse_grad and weight.requires_grad and weight.is_leaf
    return F.embedding(index, weight, sparse=sparse)


def sparse_embedding(data, weight, input_dim, output_dim, dtype, sparse_grad,
                     deterministic=False):
    """Embedding whose weight gradient is always row_sparse (the looked-up rows);
    ``deterministic`` only fixes MXNet's GPU accumulation order (always so here)."""
    return embedding(data, weight, input_dim, output_dim, dtype, True)


_SPARSE_EMBED_ATTRS = _EMBED_ATTRS + (Attr("deterministic", BOOL, False,
                                            "Deterministic gradient accumulation"),)
for _name, _fn, _attrs in (("Embedding", embedding, _EMBED_ATTRS),
                           ("_contrib_SparseEmbedding", sparse_embedding, _SPARSE_EMBED_ATTRS)):
    defop(_name, inputs=("data", "weight"), attrs=_attrs, same_dtype=(),
          infer_shape=_embed_shape, infer_type=_embed_type)(_fn)


# --------------------------------------------------------------------------------------------
# attention helpers (contrib)
# --------------------------------------------------------------------------------------------


@defop("_contrib_div_sqrt_dim", inputs=("data",))
def div_sqrt_dim(data):
    """``data / sqrt(data.shape[-1])``."""
    return data / math.sqrt(data.shape[-1])


def _split_heads(x, heads, parts, op_name, input_name):
    """(seq, batch, heads*parts*d) -> (parts, batch*heads, seq, d), per head interleaved."""
    seq, batch, width = x.shape
    if width % (heads * parts):
        raise ShapeError(f"{op_name}: input {input_name!r} has shape {tuple(x.shape)}; its last "
                         f"dim must be a multiple of heads*{parts} = {heads * parts}")
    d = width // (heads * parts)
    x = x.reshape(seq, batch * heads, parts, d)
    return x.permute(2, 1, 0, 3), d


def _merge_heads(x, heads):
    """(batch*heads, seq, d) -> (seq, batch, heads*d)."""
    bh, seq, d = x.shape
    return x.permute(1, 0, 2).reshape(seq, bh // heads, heads * d)


_HEADS = (Attr("heads", INT, doc="Number of attention heads"),)


@defop("_contrib_interleaved_matmul_selfatt_qk", inputs=("queries_keys_values",), attrs=_HEADS)
def selfatt_qk(queries_keys_values, heads):
    """Scaled q @ k^T of self-attention from interleaved (seq, batch, heads*3*d) projections."""
    qkv, d = _split_heads(queries_keys_values, heads, 3, "interleaved_matmul_selfatt_qk",
                          "queries_keys_values")
    return torch.bmm(qkv[0] / math.sqrt(d), qkv[1].transpose(1, 2))


@defop("_contrib_interleaved_matmul_selfatt_valatt",
       inputs=("queries_keys_values", "attention"), attrs=_HEADS)
def selfatt_valatt(queries_keys_values, attention, heads):
    """attention @ v from interleaved projections; output (seq, batch, heads*d)."""
    qkv, _ = _split_heads(queries_keys_values, heads, 3, "interleaved_matmul_selfatt_valatt",
                          "queries_keys_values")
    return _merge_heads(torch.bmm(attention, qkv[2]), heads)


@defop("_contrib_interleaved_matmul_encdec_qk", inputs=("queries", "keys_values"), attrs=_HEADS)
def encdec_qk(queries, keys_values, heads):
    """Scaled q @ k^T of encoder-decoder attention; keys_values interleave (k, v) per head."""
    q, d = _split_heads(queries, heads, 1, "interleaved_matmul_encdec_qk", "queries")
    kv, _ = _split_heads(keys_values, heads, 2, "interleaved_matmul_encdec_qk", "keys_values")
    return torch.bmm(q[0] / math.sqrt(d), kv[0].transpose(1, 2))


@defop("_contrib_interleaved_matmul_encdec_valatt", inputs=("keys_values", "attention"),
       attrs=_HEADS)
def encdec_valatt(keys_values, attention, heads):
    """attention @ v of encoder-decoder attention; output (seq, batch, heads*d)."""
    kv, _ = _split_heads(keys_values, heads, 2, "interleaved_matmul_encdec_valatt",
                         "keys_values")
    return _merge_heads(torch.bmm(attention, kv[1]), heads)


# --------------------------------------------------------------------------------------------
# IdentityAttachKLSparseReg
# --------------------------------------------------------------------------------------------


class _KLSparseReg(torch.autograd.Function):
    """Identity forward; backward adds the gradient of a KL sparseness penalty."""

    @staticmethod
    def forward(ctx, data, rho_hat, target, penalty):
        ctx.save_for_backward(rho_hat)
        ctx.target, ctx.penalty = target, penalty
        return data.clone()

    @staticmethod
    def backward(ctx, grad):
        (rho,) = ctx.saved_tensors
        t = ctx.target
        extra = ctx.penalty * (-t / rho + (1 - t) / (1 - rho))
        return grad + _along_axis1(extra, grad.dim()), None, None, None


def _along_axis1(v, ndim):
    return v.reshape((1, -1) + (1,) * (ndim - 2)) if ndim >= 2 else v


@defop("IdentityAttachKLSparseReg", inputs=("data", "moving_avg"), aux=("moving_avg",),
       mutate=("moving_avg",),
       attrs=(Attr("sparseness_target", FLOAT, 0.1, "Target mean activation"),
              Attr("penalty", FLOAT, 0.001, "Weight of the KL penalty"),
              Attr("momentum", FLOAT, 0.9, "Momentum of the moving average")),
       infer_shape=lambda a, s: (fill_inputs("IdentityAttachKLSparseReg", ("data", "moving_avg"),
                                             s, {"moving_avg": (s[0][1],)})
                                 if known(s[0]) and len(s[0]) > 1 else s, None),
       train_aware=True)
def kl_sparse_reg(data, moving_avg, sparseness_target, penalty, momentum, is_train=False):
    """Identity; in training the backward adds ``penalty * d KL(target || avg)/d avg``.

    ``moving_avg`` (per unit of axis 1) moves toward the batch mean of ``data`` in training.
    """
    if data.dim() < 2 or tuple(moving_avg.shape) != (data.shape[1],):
        raise ShapeError(f"IdentityAttachKLSparseReg: expected data with at least 2 dims and "
                         f"moving_avg of shape (data.shape[1],), got data {tuple(data.shape)} "
                         f"and moving_avg {tuple(moving_avg.shape)}")
    if not is_train:
        return data.clone()
    dims = [d for d in range(data.dim()) if d != 1]
    with torch.no_grad():
        rho = moving_avg * momentum + data.mean(dims) * (1 - momentum)
        moving_avg.copy_(rho)
    if not (torch.is_grad_enabled() and data.requires_grad):
        return data.clone()
    return _KLSparseReg.apply(data, rho, sparseness_target, penalty)
