"""Quantized (int8/uint8) inference operators of ``mx.nd.contrib``: quantized_flatten,
quantized_act, quantized_pooling, quantized_concat, quantized_fully_connected, quantized_conv,
quantized_embedding, quantized_elemwise_add, quantized_elemwise_mul, quantized_batch_norm.

Each takes quantized data with its float range (``min_data``/``max_data``, one value each) and
returns ``(output, min_output, max_output)``. Values follow MXNet 1.9.1's CPU (oneDNN) build:
averages and rescales round to nearest, ties to even; results saturate to the type's limits.
"""
import torch

from ..base import DTypeError, ShapeError
from ._attrs import BOOL, INT, Enum
from ._registry import VARIADIC, REGISTRY, Attr, defop
from .contrib import _CALIB_ATTRS, _LIMITS, _max_abs, _range_out, _scalar
from .norm import _BN_ATTRS

_QUANT_OUT = dict(num_outputs=3, output_names=("output", "min_output", "max_output"),
                  same_dtype=())
_RANGE_INPUTS = ("data", "min_data", "max_data")


def _check_int8(op, data, name="data"):
    # NOTE: shape inference runs the op on meta tensors of a default dtype; only real data is
    # checked (MXNet infers shapes without looking at types).
    if data.dtype not in (torch.int8, torch.uint8) and data.device.type != "meta":
        raise DTypeError(f"{op}: input {name!r} must be int8 or uint8, got {data.dtype}")


def _passthrough_types(out_dtype=None):
    """infer_type: the output keeps the data's dtype (or is ``out_dtype``); ranges are
    float32."""
    def rule(attrs, in_dtypes):
        data = in_dtypes[0]
        return [data, "float32", "float32"], [out_dtype or data, "float32", "float32"]
    return rule


def _range_shapes(first):
    """infer_shape: the range inputs from index ``first(attrs)`` on hold one value each; the
    outputs come from running the op on meta tensors."""
    def rule(attrs, in_shapes):
        start = first(attrs)
        return [(1,) if i >= start else s for i, s in enumerate(in_shapes)], None
    return rule


_AFTER_DATA = _range_shapes(lambda attrs: 1)


def _ranges(op, min_data, max_data):
    return (_range_out(_scalar(op, "min_data", min_data), min_data.device),
            _range_out(_scalar(op, "max_data", max_data), max_data.device))


@defop("_contrib_quantized_flatten", inputs=_RANGE_INPUTS, infer_type=_passthrough_types(),
       infer_shape=_AFTER_DATA, **_QUANT_OUT)
def quantized_flatten(data, min_data, max_data):
    """Flatten quantized data to 2-D (d0, d1*...*dk); the range passes through."""
    flat = data.reshape(1, 1) if data.dim() == 0 else data.reshape(data.shape[0], -1)
    return (flat.clone(),) + _ranges("quantized_flatten", min_data, max_data)


@defop("_contrib_quantized_act", inputs=_RANGE_INPUTS,
       attrs=(Attr("act_type", Enum("relu"), "relu", "Activation (MXNet 1.9.1: relu only)"),),
       infer_type=_passthrough_types("int8"), infer_shape=_AFTER_DATA, **_QUANT_OUT)
def quantized_act(data, min_data, max_data, act_type):
    """ReLU of int8/uint8 data; the output is typed int8 (as MXNet's oneDNN kernel writes it)
    and the range passes through."""
    _check_int8("quantized_act", data)
    out = data.clamp_min(0) if data.dtype == torch.int8 else data.clone()
    return (out.to(torch.int8),) + _ranges("quantized_act", min_data, max_data)


def _pool_attrs():
    keep = [a for a in REGISTRY["Pooling"].attrs]
    return tuple(Attr(a.name, Enum("avg", "max"), "max", "Reduction (max or avg)")
                 if a.name == "pool_type" else a for a in keep)


@defop("_contrib_quantized_pooling", inputs=_RANGE_INPUTS, attrs=_pool_attrs(),
       infer_type=_passthrough_types(), infer_shape=_AFTER_DATA, **_QUANT_OUT)
def quantized_pooling(data, min_data, max_data, **attrs):
    """Max or average pooling of int8/uint8 data (Pooling's attributes); averages round to
    nearest, ties to even; the range passes through."""
    _check_int8("quantized_pooling", data)
    pooled = REGISTRY["Pooling"].compute(data.double(), **attrs)
    out = torch.round(pooled).to(data.dtype)
    return (out,) + _ranges("quantized_pooling", min_data, max_data)


def _concat_names(attrs, count):
    n = attrs.get("num_args") or count // 3
    return [f"arg{i}" for i in range(n)] + [f"arg{i}_{m}" for i in range(n)
                                              for m in ("min", "max")]


def _concat_types(attrs, in_dtypes):
    n = attrs["num_args"]
    datas = [None if d is None else str(d).replace("torch.", "") for d in in_dtypes[:n]]
    out = None
    if all(d is not None for d in datas):
        out = "uint8" if all(d == "uint8" for d in datas) else "int8"
    return list(in_dtypes[:n]) + ["float32"] * (2 * n), [out, "float32", "float32"]


@defop("_contrib_quantized_concat", inputs=VARIADIC, num_args="num_args",
       variadic_names=_concat_names, infer_type=_concat_types,
       infer_shape=_range_shapes(lambda attrs: attrs["num_args"]),
       attrs=(Attr("num_args", INT, doc="Number of data inputs"),
              Attr("dim", INT, 1, "Axis to join along")),
       **_QUANT_OUT)
def quantized_concat(*tensors, num_args, dim):
    """Join int8/uint8 arrays along ``dim``: inputs are ``num_args`` arrays then a (min, max)
    pair per array. Each array is rescaled to the joint range [min of mins, max of maxes];
    the output is uint8 when every input is, else int8."""
    if len(tensors) != 3 * num_args:
        raise ShapeError(f"quantized_concat: expects {num_args} arrays and {2 * num_args} "
                         f"range values (num_args={num_args}), got {len(tensors)} inputs")
    datas, bounds = tensors[:num_args], tensors[num_args:]
    for i, d in enumerate(datas):
        _check_int8("quantized_concat", d, f"arg{i}")
    lows = [_scalar("quantized_concat", f"arg{i}_min", bounds[2 * i]) for i in range(num_args)]
    highs = [_scalar("quantized_concat", f"arg{i}_max", bounds[2 * i + 1])
             for i in range(num_args)]
    low, high = torch.stack(lows).min(), torch.stack(highs).max()
    kind = "uint8" if all(d.dtype == torch.uint8 for d in datas) else "int8"
    datas = [d if d.dtype in (torch.int8, torch.uint8) else d.to(torch.int8) for d in datas]
    lo_lim, hi_lim, out_dtype = _LIMITS[kind]
    out_span = _max_abs(low, high) / hi_lim
    parts = []
    for d, lo, hi in zip(datas, lows, highs):
        span = _max_abs(lo, hi) / _LIMITS["uint8" if d.dtype == torch.uint8 else "int8"][1]
        scaled = torch.round(d.float() * (span / out_span).float())
        parts.append(scaled.clamp(lo_lim, hi_lim).to(out_dtype))
    axis = dim + datas[0].dim() if dim < 0 else dim
    return (torch.cat(parts, dim=axis), _range_out(low, low.device),
            _range_out(high, high.device))


# --------------------------------------------------------------------------------------------
# quantized_fully_connected / quantized_conv: int8 products accumulated in int32
# --------------------------------------------------------------------------------------------

_INT32_MAX = 2147483647.0
_BIASED = ("data", "weight", "bias", "min_data", "max_data", "min_weight", "max_weight",
           "min_bias", "max_bias")
_UNBIASED = ("data", "weight", "min_data", "max_data", "min_weight", "max_weight")


def _dense_inputs(attrs):
    return _UNBIASED if attrs["no_bias"] else _BIASED


def _dense_shapes(float_op):
    """infer_shape: data/weight/bias as the float op's rule, ranges (1,), outputs (out, 1, 1)."""
    def rule(attrs, in_shapes):
        n = 2 if attrs["no_bias"] else 3
        filled, outs = REGISTRY[float_op].infer_shape(attrs, list(in_shapes[:n]))
        ranges = [(1,)] * (len(in_shapes) - n)
        return list(filled) + ranges, None if outs is None else [outs[0], (1,), (1,)]
    return rule


def _dense_types(attrs, in_dtypes):
    n = 2 if attrs["no_bias"] else 3
    ins = [in_dtypes[0], "int8"] + (["int8"] if n == 3 else []) + ["float32"] * (2 * n)
    return ins, ["int32", "float32", "float32"]


def _quantized_dense(op, float_op, args, attrs, range_limit, bias_shift):
    """int32 ``float_op`` of int8/uint8 data and int8 weight, plus the int8 bias rescaled to the
    product's scale (truncated, as MXNet); returns (out, min_out, max_out)."""
    if attrs["no_bias"]:
        (data, weight, min_d, max_d, min_w, max_w), bias = args, None
    else:
        data, weight, bias, min_d, max_d, min_w, max_w, min_b, max_b = args
    _check_int8(op, data)
    _check_int8(op, weight, "weight")
    acc = REGISTRY[float_op].compute(data.double(), weight.double(), None, **attrs)
    span_d = _max_abs(_scalar(op, "min_data", min_d), _scalar(op, "max_data", max_d))
    span_w = _max_abs(_scalar(op, "min_weight", min_w), _scalar(op, "max_weight", max_w))
    unsigned = data.dtype == torch.uint8
    if bias is not None:
        _check_int8(op, bias, "bias")
        shift = bias_shift(bias, unsigned, span_d, span_w,
                           _max_abs(_scalar(op, "min_bias", min_b),
                                    _scalar(op, "max_bias", max_b)))
        acc = acc + _per_channel(shift.double(), acc, attrs)
    out = acc.round().clamp(-_INT32_MAX - 1, _INT32_MAX).to(torch.int32)
    # NOTE: float32 in this order (product, then the two divisions) gives MXNet's last bit
    product = span_d.float() * span_w.float() * torch.tensor(_INT32_MAX, dtype=torch.float32)
    real = product / range_limit(unsigned) / 127.0
    return out, _range_out(-real, data.device), _range_out(real, data.device)


def _fc_bias_shift(bias, unsigned, span_d, span_w, span_b):
    """The int8 bias in the int32 product's units, truncated: MXNet's oneDNN scales use the
    ranges 127.5 / 255.5 (float32, in this order)."""
    data_scale = torch.tensor(255.5 if unsigned else 127.5) / span_d
    factor = data_scale * (127.5 / span_w) / (127.5 / span_b)
    return torch.trunc(bias.float() * factor)


def _conv_bias_shift(bias, unsigned, span_d, span_w, span_b):
    """MXNet's CPU quantized_conv adds the int8 bias values to the int32 sums as they are."""
    return bias.float()


def _per_channel(values, out, attrs):
    """``values`` (one per output channel) shaped to broadcast over ``out``: the channel axis
    is the last one for FullyConnected and channels-last layouts, else axis 1."""
    layout = str(attrs.get("layout", "None"))
    if "kernel" not in attrs or layout.endswith("C"):
        return values
    return values.reshape((-1,) + (1,) * (out.dim() - 2))


def _fc_attrs():
    return REGISTRY["FullyConnected"].attrs


@defop("_contrib_quantized_fully_connected", inputs=_dense_inputs, all_inputs=_BIASED,
       attrs=_fc_attrs(), infer_shape=_dense_shapes("FullyConnected"),
       infer_type=_dense_types, **_QUANT_OUT)
def quantized_fully_connected(*args, **attrs):
    """FullyConnected of int8/uint8 data with an int8 weight (and bias), accumulated in int32;
    the output range is +-(2^31-1) * (data range / 127 or 255) * (weight range / 127)."""
    return _quantized_dense("quantized_fully_connected", "FullyConnected", args, attrs,
                            lambda unsigned: 255.0 if unsigned else 127.0, _fc_bias_shift)


@defop("_contrib_quantized_conv", inputs=_dense_inputs, all_inputs=_BIASED,
       attrs=REGISTRY["Convolution"].attrs, infer_shape=_dense_shapes("Convolution"),
       infer_type=_dense_types, **_QUANT_OUT)
def quantized_conv(*args, **attrs):
    """Convolution of uint8 data with an int8 weight, accumulated in int32 (MXNet's CPU kernel
    takes uint8 data only), plus the int8 bias values as they are; the output range is
    +-(2^31-1) * (data range / 127) * (weight range / 127)."""
    if args[0].dtype != torch.uint8 and args[0].device.type != "meta":
        raise DTypeError(f"quantized_conv: input 'data' must be uint8 (MXNet's CPU kernel), "
                         f"got {args[0].dtype}")
    return _quantized_dense("quantized_conv", "Convolution", args, attrs, lambda _: 127.0,
                            _conv_bias_shift)


# --------------------------------------------------------------------------------------------
# quantized_embedding
# --------------------------------------------------------------------------------------------


def _embedding_shapes(attrs, in_shapes):
    filled, outs = REGISTRY["Embedding"].infer_shape(attrs, list(in_shapes[:2]))
    return list(filled) + [(1,), (1,)], None if outs is None else [outs[0], (1,), (1,)]


@defop("_contrib_quantized_embedding", inputs=("data", "weight", "min_weight", "max_weight"),
       attrs=REGISTRY["Embedding"].attrs, infer_shape=_embedding_shapes,
       infer_type=lambda a, d: ([d[0], "int8", "float32", "float32"],
                                ["int8", "float32", "float32"]), **_QUANT_OUT)
def quantized_embedding(data, weight, min_weight, max_weight, **attrs):
    """Rows of an int8 weight at the (clipped) indices ``data``; the weight's range passes
    through."""
    _check_int8("quantized_embedding", weight, "weight")
    out = REGISTRY["Embedding"].compute(data, weight, **attrs)
    return (out,) + (_range_out(_scalar("quantized_embedding", "min_weight", min_weight),
                                weight.device),
                     _range_out(_scalar("quantized_embedding", "max_weight", max_weight),
                                weight.device))


# --------------------------------------------------------------------------------------------
# quantized_elemwise_add
# --------------------------------------------------------------------------------------------

_ADD_INPUTS = ("lhs", "rhs", "lhs_min", "lhs_max", "rhs_min", "rhs_max")


def _add_kind(attrs):
    if attrs["min_calib_range"] is None:
        return "int32"
    return "uint8" if attrs["min_calib_range"] >= 0 else "int8"


def _add_level(dtype):
    # oneDNN's quantization levels: 127.5 (int8), 255.5 (uint8)
    return 255.5 if dtype == torch.uint8 else 127.5


@defop("_contrib_quantized_elemwise_add", inputs=_ADD_INPUTS, attrs=_CALIB_ATTRS,
       infer_shape=lambda a, s: ([s[0] or s[1], s[1] or s[0]] + [(1,)] * 4, None),
       infer_type=lambda a, d: (list(d[:2]) + ["float32"] * 4,
                                [_add_kind(a), "float32", "float32"]), **_QUANT_OUT)
def quantized_elemwise_add(lhs, rhs, lhs_min, lhs_max, rhs_min, rhs_max, min_calib_range,
                           max_calib_range):
    """Sum of two int8/uint8 arrays given their ranges. Without calibration the result is int32
    over +-(|lhs range| + |rhs range|); with ``min_calib_range``/``max_calib_range`` it is
    requantized to int8 (uint8 when the calibrated minimum is >= 0) over that range."""
    op = "quantized_elemwise_add"
    _check_int8(op, lhs, "lhs")
    _check_int8(op, rhs, "rhs")
    if lhs.shape != rhs.shape:
        raise ShapeError(f"{op}: 'lhs' {tuple(lhs.shape)} and 'rhs' {tuple(rhs.shape)} must "
                         "have the same shape")
    span_l = _max_abs(_scalar(op, "lhs_min", lhs_min), _scalar(op, "lhs_max", lhs_max)).float()
    span_r = _max_abs(_scalar(op, "rhs_min", rhs_min), _scalar(op, "rhs_max", rhs_max)).float()
    kind = _add_kind({"min_calib_range": min_calib_range})
    dev = lhs.device
    if kind == "int32":
        span_o, level_o = span_l + span_r, _INT32_MAX
        low, high = -span_o, span_o
    else:
        span_o = _max_abs(torch.tensor(min_calib_range), torch.tensor(max_calib_range)).float()
        level_o = _add_level(torch.uint8 if kind == "uint8" else torch.int8)
        low, high = min_calib_range, max_calib_range
    level_o = torch.tensor(level_o, dtype=torch.float32)
    # NOTE: float32 throughout, each input's scale as (range * out level) / (out range * level):
    # this reproduces MXNet's integers exactly
    scale_l = span_l * level_o / (span_o * _add_level(lhs.dtype))
    scale_r = span_r * level_o / (span_o * _add_level(rhs.dtype))
    total = lhs.float() * scale_l + rhs.float() * scale_r
    if kind == "int32":
        out = total.double().round().clamp(-_INT32_MAX - 1, _INT32_MAX).to(torch.int32)
    else:
        lo_lim, hi_lim, dtype = _LIMITS[kind]
        out = total.round().clamp(lo_lim, hi_lim).to(dtype)
    return out, _range_out(low, dev), _range_out(high, dev)


# --------------------------------------------------------------------------------------------
# quantized_elemwise_mul
# --------------------------------------------------------------------------------------------


def _mul_outputs(attrs):
    return 1 if attrs["enable_float_output"] else 3


def _mul_kind(attrs):
    if attrs["enable_float_output"]:
        return "float32"
    return "int32" if attrs["min_calib_range"] is None else "int8"


@defop("_contrib_quantized_elemwise_mul", inputs=_ADD_INPUTS,
       attrs=_CALIB_ATTRS + (Attr("enable_float_output", BOOL, False,
                                  "Return float32 values instead of int"),),
       num_outputs=_mul_outputs, same_dtype=(),
       output_names=lambda a: ("output",) if a["enable_float_output"] else
       ("output", "min_output", "max_output"),
       infer_shape=lambda a, s: ([s[0] or s[1], s[1] or s[0]] + [(1,)] * 4, None),
       infer_type=lambda a, d: (["int8", "int8"] + ["float32"] * 4,
                                [_mul_kind(a)] + ["float32"] * (_mul_outputs(a) - 1)))
def quantized_elemwise_mul(lhs, rhs, lhs_min, lhs_max, rhs_min, rhs_max, min_calib_range,
                           max_calib_range, enable_float_output):
    """Product of two int8 arrays given their ranges: exact int32 products over
    +-(2^31-1) * |lhs range| / 127 * |rhs range| / 127; with ``min_calib_range``/
    ``max_calib_range`` requantized to int8 over that range (truncated); with
    ``enable_float_output`` the float32 values (one output)."""
    op = "quantized_elemwise_mul"
    for name, t in (("lhs", lhs), ("rhs", rhs)):
        if t.dtype != torch.int8 and t.device.type != "meta":
            raise DTypeError(f"{op}: input {name!r} must be int8 (MXNet's kernel), got {t.dtype}")
    if lhs.shape != rhs.shape:
        raise ShapeError(f"{op}: 'lhs' {tuple(lhs.shape)} and 'rhs' {tuple(rhs.shape)} must "
                         "have the same shape")
    span_l = _max_abs(_scalar(op, "lhs_min", lhs_min), _scalar(op, "lhs_max", lhs_max)).float()
    span_r = _max_abs(_scalar(op, "rhs_min", rhs_min), _scalar(op, "rhs_max", rhs_max)).float()
    product = lhs.to(torch.int32) * rhs.to(torch.int32)
    dev = lhs.device
    # NOTE: the float32 orders below reproduce MXNet's values bit for bit
    if enable_float_output:
        return product.float() * ((span_l / 127.5) * (span_r / 127.5))
    if min_calib_range is None:
        real = span_l * span_r * torch.tensor(_INT32_MAX, dtype=torch.float32) / 127.0 / 127.0
        return product, _range_out(-real, dev), _range_out(real, dev)
    span_o = _max_abs(torch.tensor(min_calib_range), torch.tensor(max_calib_range)).float()
    scale = (span_l * span_r) / (torch.tensor(127.5) * 127.5) * (127.5 / span_o)
    out = torch.trunc(product.float() * scale).clamp(-128, 127).to(torch.int8)
    return out, _range_out(min_calib_range, dev), _range_out(max_calib_range, dev)


def _qbn_shapes(attrs, in_shapes):
    """infer_shape: gamma, beta and the moving stats are (C,) with C = data.shape[1]; the
    ranges hold one value each."""
    data = in_shapes[0]
    chans = None if data is None or len(data) < 2 else (data[1],)
    return [data] + [s or chans for s in in_shapes[1:5]] + [(1,), (1,)], None


@defop("_contrib_quantized_batch_norm",
       inputs=("data", "gamma", "beta", "moving_mean", "moving_var", "min_data", "max_data"),
       aux=("moving_mean", "moving_var"), attrs=_BN_ATTRS, infer_shape=_qbn_shapes,
       infer_type=lambda a, d: (["int8"] + ["float32"] * 6, ["int8", "float32", "float32"]),
       **_QUANT_OUT)
def quantized_batch_norm(data, gamma, beta, moving_mean, moving_var, min_data, max_data, *, eps,
                         momentum, fix_gamma, use_global_stats, output_mean_var, axis, cudnn_off,
                         min_calib_range, max_calib_range):
    """Inference BatchNorm of int8 or uint8 data (channels on axis 1) requantized to int8
    over the calibrated range ``min_calib_range``/``max_calib_range`` (required), which is
    also the output range. As MXNet's oneDNN kernel: ``fix_gamma`` is ignored (gamma is
    used); uint8 data is read halved (q >> 1); the scale is gamma / sqrt(var + eps) /
    sqrt(1 + eps) * (|data range| / 127) * (127 / R), the shift (beta - mean * gamma /
    sqrt(var + eps)) * (127.5 / R), R = max|calib range|; the sum rounds to nearest (ties to
    even) and saturates to [-128, 127]."""
    op = "quantized_batch_norm"
    if data.dtype not in (torch.int8, torch.uint8) and data.device.type != "meta":
        raise DTypeError(f"{op}: data must be int8 or uint8, got {data.dtype}")
    if axis != 1 or data.dim() < 2:
        raise ShapeError(f"{op}: channels must be on axis 1 of data with at least 2 axes "
                         f"(MXNet's kernel), got axis={axis} for shape {tuple(data.shape)}")
    if min_calib_range is None or max_calib_range is None:
        raise ValueError(f"{op}: min_calib_range and max_calib_range are required (the "
                         "calibrated output range)")
    shape = (1, -1) + (1,) * (data.dim() - 2)
    f32 = dict(dtype=torch.float32, device=data.device)
    span_in = _max_abs(_scalar(op, "min_data", min_data), _scalar(op, "max_data", max_data))
    span_out = _max_abs(torch.tensor(min_calib_range), torch.tensor(max_calib_range)).float()
    eps32 = torch.tensor(eps, **f32)
    invstd = 1 / torch.sqrt(moving_var.float() + eps32)
    # NOTE: this float32 order reproduces MXNet's int8 values exactly on the captured cases.
    weight = gamma.float() * invstd * (span_in.float() / 127) * (127 / span_out.to(data.device))
    shift = (beta.float() - moving_mean.float() * gamma.float() * invstd) \
        * (127.5 / span_out.to(data.device))
    keep = 1 / torch.sqrt(1 + eps32)
    # NOTE: MXNet's kernel reads uint8 data halved (q >> 1) on the int8 scale of the range.
    values = (data // 2 if data.dtype == torch.uint8 else data).float()
    out = values * weight.view(shape) * keep + shift.view(shape)
    dev = data.device
    return (torch.round(out).clamp(-128, 127).to(torch.int8),
            _range_out(min_calib_range, dev), _range_out(max_calib_range, dev))
