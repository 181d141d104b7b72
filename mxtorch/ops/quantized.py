"""Quantized (int8/uint8) inference operators of ``mx.nd.contrib``: quantized_flatten,
quantized_act, quantized_pooling, quantized_concat.

Each takes quantized data with its float range (``min_data``/``max_data``, one value each) and
returns ``(output, min_output, max_output)``. Values follow MXNet 1.9.1's CPU (oneDNN) build:
averages and rescales round to nearest, ties to even; results saturate to the type's limits.
"""
import torch

from ..base import DTypeError, ShapeError
from ._attrs import INT, Enum
from ._registry import VARIADIC, REGISTRY, Attr, defop
from .contrib import _LIMITS, _max_abs, _range_out, _scalar

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
