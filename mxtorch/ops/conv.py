"""Convolution-style operators: Convolution, Deconvolution, Pooling, UpSampling, the contrib
resizers (AdaptiveAvgPooling2D, BilinearResize2D), Correlation and deformable convolutions.

MXNet rules encoded here (checked against 1.9.1):
- Weights are (num_filter, C/num_group, *kernel) for Convolution and (C, num_filter/num_group,
  *kernel) for Deconvolution; channels-last layouts put the channel axis of data and weight
  last. Deconvolution defaults to ``no_bias=True``.
- Deconvolution's ``target_shape`` overrides pad/adj: the excess over the natural size is
  split into pad ``(e+1)//2`` and adj ``e % 2``.
- Pooling: ``valid`` floors, ``full`` ceils (the last window may hang off the edge, with no
  rule dropping it), ``same`` gives ceil(in/stride); ``count_include_pad`` defaults to True and
  the divisor never counts cells past the padded edge; ``global_pool`` ignores kernel, stride
  and pad; ``lp`` returns the signed p-th root of the window sum of x**p.
"""
import functools
import math
import threading

import torch
import torch.nn.functional as F

from .._torch import conv_grad, fast_pool
from ..base import AttributeParseError, ShapeError
from ._attrs import BOOL, INT, OPT_BOOL, OPT_FLOAT, OPT_INT, SHAPE, Enum
from ._registry import VARIADIC, Attr, defop
from .nn import fill_inputs, known

_CONV = {1: F.conv1d, 2: conv_grad.conv2d, 3: F.conv3d}
_DECONV = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAXPOOL = {1: F.max_pool1d, 2: fast_pool.max_pool2d, 3: F.max_pool3d}
_AVGPOOL = {1: F.avg_pool1d, 2: fast_pool.avg_pool2d, 3: F.avg_pool3d}
_CHANNELS_LAST = ("NWC", "NHWC", "NDHWC")


class _Format(threading.local):
    """Set by the graph compiler (per thread) while it runs a graph that does better in
    channels-last memory (NCHW nets with depthwise/grouped convolutions on the CPU, see
    symbol/compiler.py): 2-d convolutions then take their data in that memory format and give
    results in it. Only strides change, never the logical NCHW shape, and the compiler hands
    back contiguous heads."""
    memory = None


MEMORY_FORMAT = _Format()


def _geometry(op_name, kernel, stride, dilate, pad):
    """Stride, dilation and padding tuples with MXNet's defaults (ones, ones, zeros)."""
    nd = len(kernel)
    if not 1 <= nd <= 3:
        raise AttributeParseError(f"{op_name}: kernel must have 1, 2 or 3 dims, got {kernel}")
    stride = tuple(stride) or (1,) * nd
    dilate = tuple(dilate) or (1,) * nd
    pad = tuple(pad) or (0,) * nd
    for name, value in (("stride", stride), ("dilate", dilate), ("pad", pad)):
        if len(value) != nd:
            raise AttributeParseError(f"{op_name}: {name}={value} must have as many dims as "
                                      f"kernel={tuple(kernel)}")
    _check_positive(op_name, kernel=kernel, stride=stride, dilate=dilate)
    if min(pad) < 0:
        raise AttributeParseError(f"{op_name}: pad={pad} must not be negative")
    return stride, dilate, pad


def _check_positive(op_name, **values):
    for name, value in values.items():
        if value and min(value) < 1:
            raise AttributeParseError(f"{op_name}: {name}={tuple(value)} must be positive")


def _fit_stride(stride, spatial, kernel, dilate, pad):
    """A stride past the (padded) input gives one output position whatever its size; clamp
    it so kernels never size buffers by it (torch's backward would allocate stride-sized)."""
    return tuple(min(s, max(1, n + 2 * p - d * (k - 1)))
                 for s, n, k, d, p in zip(stride, spatial, kernel, dilate, pad))


def _check_data(op_name, data, nd):
    if data.dim() != nd + 2:
        raise ShapeError(f"{op_name}: input 'data' has shape {tuple(data.shape)}, expected "
                         f"{nd + 2} dims (batch, channel and {nd} spatial) for a {nd}-d kernel")


def _to_channels_first(x, layout):
    return x.movedim(-1, 1) if layout in _CHANNELS_LAST else x


def _to_channels_last(x, layout):
    return x.movedim(1, -1) if layout in _CHANNELS_LAST else x


def _channel_axis(layout, ndim):
    return ndim - 1 if layout in _CHANNELS_LAST else 1


def _spatial(shape, layout):
    return tuple(shape[1:-1]) if layout in _CHANNELS_LAST else tuple(shape[2:])


def _weight_shape(lead, second, kernel, layout):
    if layout in _CHANNELS_LAST:
        return (lead,) + tuple(kernel) + (second,)
    return (lead, second) + tuple(kernel)


# --------------------------------------------------------------------------------------------
# Convolution
# --------------------------------------------------------------------------------------------

_LAYOUTS = Enum("None", "NCDHW", "NCHW", "NCW", "NDHWC", "NHWC")
_CUDNN_TUNE = Enum("None", "fastest", "limited_workspace", "off")


def _layout(value):
    return None if value in (None, "None") else value


def _bias_inputs(a):
    return ("data", "weight") if a["no_bias"] else ("data", "weight", "bias")


def _conv_out(size, k, s, d, p):
    if not size:
        return 0
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _conv_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    layout = _layout(a["layout"])
    kernel = tuple(a["kernel"])
    stride, dilate, pad = _geometry("Convolution", kernel, a["stride"], a["dilate"], a["pad"])
    if len(data) != len(kernel) + 2:
        raise ShapeError(f"Convolution: input 'data' has shape {tuple(data)}, expected "
                         f"{len(kernel) + 2} dims for kernel={kernel}")
    channels = data[_channel_axis(layout, len(data))]
    group, nf = a["num_group"], a["num_filter"]
    _check_positive("Convolution", num_group=(group,))
    if channels and channels % group:
        raise ShapeError(f"Convolution: data has {channels} channels, not divisible by "
                         f"num_group={group}")
    expected = {"weight": _weight_shape(nf, channels // group, kernel, layout), "bias": (nf,)}
    filled = fill_inputs("Convolution", _bias_inputs(a), in_shapes, expected)
    spatial = tuple(_conv_out(n, k, s, d, p) for n, k, s, d, p in
                    zip(_spatial(data, layout), kernel, stride, dilate, pad))
    out = (data[0],) + spatial + (nf,) if layout in _CHANNELS_LAST else (data[0], nf) + spatial
    return filled, [out]


_CONV_ATTRS = (Attr("kernel", SHAPE, doc="Kernel size, e.g. (3, 3)"),
               Attr("stride", SHAPE, (), "Stride (default 1 per dim)"),
               Attr("dilate", SHAPE, (), "Dilation (default 1 per dim)"),
               Attr("pad", SHAPE, (), "Zero padding on both sides (default 0)"),
               Attr("num_filter", INT, doc="Number of output channels"),
               Attr("num_group", INT, 1, "Number of groups"),
               Attr("workspace", INT, 1024, "Unused (MXNet scratch memory in MB)"),
               Attr("no_bias", BOOL, False, "Whether to skip the bias"),
               Attr("cudnn_tune", _CUDNN_TUNE, "None", "Unused (cuDNN algorithm choice)"),
               Attr("cudnn_off", BOOL, False, "Unused (cuDNN switch)"),
               Attr("layout", _LAYOUTS, "None", "Data layout (default channels first)"))


def convolution(data, weight, bias=None, *, kernel, stride, dilate, pad, num_filter, num_group,
                workspace, no_bias, cudnn_tune, cudnn_off, layout):
    """N-d convolution (1-d, 2-d, 3-d) with groups and dilation."""
    nd = len(kernel)
    stride, dilate, pad = _geometry("Convolution", kernel, stride, dilate, pad)
    _check_data("Convolution", data, nd)
    layout = _layout(layout)
    if layout in _CHANNELS_LAST:
        data, weight = data.movedim(-1, 1), weight.movedim(-1, 1)
    if weight.shape[0] != num_filter:
        raise ShapeError(f"Convolution: input 'weight' has shape {tuple(weight.shape)}, expected "
                         f"{num_filter} (num_filter) output channels first")
    if max(stride) > 1:
        stride = _fit_stride(stride, data.shape[2:], kernel, dilate, pad)
    if MEMORY_FORMAT.memory is not None and nd == 2 and data.device.type == "cpu":
        data = data.contiguous(memory_format=MEMORY_FORMAT.memory)
    out = _CONV[nd](data, weight, bias, stride, pad, dilate, num_group)
    return _to_channels_last(out, layout)


def _conv_from_output(a, in_shapes, out_shapes):
    """MXNet's backward rule: with unit strides, unknown spatial dims of channels-first data
    come from the output's (in = out + dilate * (kernel - 1) - 2 * pad); 0 is unknown."""
    data, out = in_shapes[0], out_shapes[0]
    kernel = tuple(a["kernel"])
    if (data is None or not out or not all(out) or len(data) != len(out)
            or len(out) != len(kernel) + 2 or _layout(a["layout"]) in _CHANNELS_LAST):
        return in_shapes
    stride, dilate, pad = _geometry("Convolution", kernel, a["stride"], a["dilate"], a["pad"])
    if any(s != 1 for s in stride):
        return in_shapes
    spatial = [o + d * (k - 1) - 2 * p for o, k, d, p in zip(out[2:], kernel, dilate, pad)]
    if min(spatial) <= 0:
        return in_shapes
    filled = tuple(data[:2]) + tuple(d or s for d, s in zip(data[2:], spatial))
    return [filled] + list(in_shapes[1:])


for _name in ("Convolution", "Convolution_v1"):
    defop(_name, inputs=_bias_inputs, all_inputs=("data", "weight", "bias"),
          attrs=_CONV_ATTRS, infer_shape=_conv_shape,
          infer_input_from_output=_conv_from_output)(convolution)


# --------------------------------------------------------------------------------------------
# Deconvolution
# --------------------------------------------------------------------------------------------


def _deconv_geometry(a, spatial):
    """(stride, dilate, pad, adj, output spatial size) for input spatial sizes ``spatial``."""
    kernel = tuple(a["kernel"])
    stride, dilate, pad = _geometry("Deconvolution", kernel, a["stride"], a["dilate"], a["pad"])
    nd = len(kernel)
    adj = tuple(a["adj"]) or (0,) * nd
    target = tuple(a["target_shape"])
    natural = [s * (n - 1) + d * (k - 1) + 1 if n else 0
               for n, k, s, d in zip(spatial, kernel, stride, dilate)]
    if target and any(target):
        pads, adjs = [], []
        for nat, want in zip(natural, target):
            excess = nat - want
            if nat and excess < 0:
                raise ShapeError(f"Deconvolution: target_shape {target} is larger than the "
                                 f"largest output {tuple(natural)} these inputs allow")
            pads.append((excess + 1) // 2)
            adjs.append(excess % 2)
        return stride, dilate, tuple(pads), tuple(adjs), target
    out = tuple(nat - 2 * p + j if nat else 0 for nat, p, j in zip(natural, pad, adj))
    return stride, dilate, pad, adj, out


def _deconv_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    layout = _layout(a["layout"])
    kernel = tuple(a["kernel"])
    if len(data) != len(kernel) + 2:
        raise ShapeError(f"Deconvolution: input 'data' has shape {tuple(data)}, expected "
                         f"{len(kernel) + 2} dims for kernel={kernel}")
    channels = data[_channel_axis(layout, len(data))]
    group, nf = a["num_group"], a["num_filter"]
    _check_positive("Deconvolution", num_group=(group,))
    expected = {"weight": _weight_shape(channels, nf // group, kernel, layout), "bias": (nf,)}
    filled = fill_inputs("Deconvolution", _bias_inputs(a), in_shapes, expected)
    spatial = _deconv_geometry(a, _spatial(data, layout))[4]
    out = (data[0],) + spatial + (nf,) if layout in _CHANNELS_LAST else (data[0], nf) + spatial
    return filled, [out]


_DECONV_ATTRS = (Attr("kernel", SHAPE, doc="Kernel size, e.g. (3, 3)"),
                 Attr("stride", SHAPE, (), "Stride (default 1 per dim)"),
                 Attr("dilate", SHAPE, (), "Dilation (default 1 per dim)"),
                 Attr("pad", SHAPE, (), "Padding removed from both sides (default 0)"),
                 Attr("adj", SHAPE, (), "Extra size added on one side of the output"),
                 Attr("target_shape", SHAPE, (), "Output spatial size (overrides pad/adj)"),
                 Attr("num_filter", INT, doc="Number of output channels"),
                 Attr("num_group", INT, 1, "Number of groups"),
                 Attr("workspace", INT, 512, "Unused (MXNet scratch memory in MB)"),
                 Attr("no_bias", BOOL, True, "Whether to skip the bias (default True)"),
                 Attr("cudnn_tune", _CUDNN_TUNE, "None", "Unused (cuDNN algorithm choice)"),
                 Attr("cudnn_off", BOOL, False, "Unused (cuDNN switch)"),
                 Attr("layout", _LAYOUTS, "None", "Data layout (default channels first)"))


@defop("Deconvolution", inputs=_bias_inputs, all_inputs=("data", "weight", "bias"),
       attrs=_DECONV_ATTRS, infer_shape=_deconv_shape)
def deconvolution(data, weight, bias=None, *, kernel, stride, dilate, pad, adj, target_shape,
                  num_filter, num_group, workspace, no_bias, cudnn_tune, cudnn_off, layout):
    """Transposed convolution; weight is (in_channels, num_filter/num_group, *kernel)."""
    nd = len(kernel)
    _check_data("Deconvolution", data, nd)
    layout = _layout(layout)
    if layout in _CHANNELS_LAST:
        data, weight = data.movedim(-1, 1), weight.movedim(-1, 1)
    attrs = {"kernel": kernel, "stride": stride, "dilate": dilate, "pad": pad, "adj": adj,
             "target_shape": target_shape}
    stride, dilate, pad, adj, _ = _deconv_geometry(attrs, tuple(data.shape[2:]))
    if weight.shape[1] * num_group != num_filter:
        raise ShapeError(f"Deconvolution: input 'weight' has shape {tuple(weight.shape)}, "
                         f"expected {num_filter // num_group} (num_filter/num_group) at axis 1")
    out = _DECONV[nd](data, weight, bias, stride, pad, adj, num_group, dilate)
    return _to_channels_last(out, layout)


# --------------------------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------------------------


def _pool_plan(spatial, kernel, stride, pad, convention):
    """Per spatial dim: (output size, left pad, right pad)."""
    plan = []
    for n, k, s, p in zip(spatial, kernel, stride, pad):
        if convention == "same":
            out = -(-n // s)
            total = max((out - 1) * s + k - n, 0)
            plan.append((out, total // 2, total - total // 2))
            continue
        span = n + 2 * p - k
        if span < 0:
            raise ShapeError(f"Pooling: kernel size {k} exceeds the input ({n} padded to "
                             f"{n + 2 * p}); use a smaller kernel, pad or global_pool=True")
        out = (-(-span // s) if convention == "full" else span // s) + 1
        plan.append((out, p, p + max((out - 1) * s + k - (n + 2 * p), 0)))
    return plan


def _divisor(plan, spatial, kernel, stride, pad, include_pad, like):
    """Per-window element counts of average pooling, as MXNet counts them."""
    total = None
    for (out, left, _), n, k, s, p in zip(plan, spatial, kernel, stride, pad):
        start = torch.arange(out, device=like.device) * s - left
        end = torch.clamp(start + k, max=n + p)
        count = end - start if include_pad else end.clamp(max=n) - start.clamp(min=0)
        total = count if total is None else total.unsqueeze(-1) * count
    return total.clamp(min=1).to(like.dtype)


def _window_sum(x, kernel, stride):
    """Sum over pooling windows (no padding): average pooling without the division."""
    nd = len(kernel)
    if nd == 1:
        return F.avg_pool2d(x.unsqueeze(-1), (kernel[0], 1), (stride[0], 1),
                            divisor_override=1).squeeze(-1)
    return _AVGPOOL[nd](x, kernel, stride, divisor_override=1)


def _pool_general(x, pool_type, kernel, stride, pad, plan, include_pad, p_value,
                  legacy=False):
    """Pooling with explicit (possibly asymmetric) padding; handles every convention."""
    spatial = tuple(x.shape[2:])
    pads = []
    for _, left, right in reversed(plan):
        pads += [left, right]
    if pool_type == "max":
        if any(pads):
            # NOTE: a window lying wholly in the padding gives the lowest finite value in
            # MXNet, not -inf.
            x = F.pad(x, pads, value=torch.finfo(x.dtype).min)
        return _MAXPOOL[len(kernel)](x, kernel, stride)
    if pool_type == "lp":
        x = x.pow(p_value)
    summed = _window_sum(F.pad(x, pads) if any(pads) else x, kernel, stride)
    if pool_type == "sum":
        return summed
    if pool_type == "lp":
        return _lp_root(summed, p_value)
    if legacy:  # Pooling_v1 always divides by the full kernel size
        return summed / math.prod(kernel)
    return summed / _divisor(plan, spatial, kernel, stride, pad, include_pad, x)


def _lp_root(summed, p):
    if p == 1:
        return summed
    if p == 2:
        return summed.sqrt()
    return summed.sign() * summed.abs().pow(1.0 / p)


def _native_ok(plan, kernel, stride, spatial, convention):
    """Whether torch's own pooling (symmetric pad, ceil_mode) gives MXNet's windows."""
    for (out, left, right), k, s, n in zip(plan, kernel, stride, spatial):
        if left * 2 > k:
            return False
        if convention == "valid":
            continue
        if convention == "same" or (out - 1) * s >= n + left:
            return False
    return True


@functools.lru_cache(maxsize=1024)
def _pool_setup(spatial, kernel, stride, pad, global_pool, convention):
    """(kernel, stride, pad, convention, plan, native) for one input size; cached because
    the same layer sees the same sizes call after call."""
    if global_pool:
        nd = len(spatial)
        kernel, stride, pad, convention = spatial, (1,) * nd, (0,) * nd, "valid"
    else:
        if len(kernel) != len(spatial):
            raise ShapeError(f"Pooling: kernel={tuple(kernel)} needs data with {len(kernel)} "
                             f"spatial dims, got {len(spatial)} ({spatial})")
        stride = tuple(stride) or (1,) * len(spatial)
        pad = tuple(pad) or (0,) * len(spatial)
        _check_positive("Pooling", kernel=kernel, stride=stride)
        if len(stride) != len(kernel) or len(pad) != len(kernel) or min(pad) < 0:
            raise AttributeParseError(f"Pooling: stride={stride} and pad={pad} need one "
                                      f"non-negative value per kernel dim ({tuple(kernel)})")
    plan = tuple(_pool_plan(spatial, kernel, stride, pad, convention))
    return kernel, stride, pad, convention, plan, _native_ok(plan, kernel, stride, spatial,
                                                             convention)


def _pool_channels_first(x, kernel, pool_type, global_pool, convention, stride, pad, p_value,
                         include_pad, legacy=False):
    nd = x.dim() - 2
    if global_pool and pool_type in ("avg", "sum"):
        dims = tuple(range(2, x.dim()))
        return x.mean(dims, keepdim=True) if pool_type == "avg" else x.sum(dims, keepdim=True)
    kernel, stride, pad, convention, plan, native = _pool_setup(
        tuple(x.shape[2:]), kernel, stride, pad, global_pool, convention)
    if convention == "same":
        include_pad = False  # the implicit 'same' padding is never counted
    if not native or pool_type in ("lp", "sum") or (legacy and pool_type == "avg"):
        return _pool_general(x, pool_type, kernel, stride, pad, plan, include_pad, p_value,
                             legacy)
    if pool_type == "max":
        return _MAXPOOL[nd](x, kernel, stride, pad, ceil_mode=convention == "full")
    return _AVGPOOL[nd](x, kernel, stride, pad, ceil_mode=convention == "full",
                        count_include_pad=include_pad)


def _pool_check(data, pool_type, p_value, kernel, global_pool):
    if data.dim() < 3 or data.dim() > 5:
        raise ShapeError(f"Pooling: input 'data' has shape {tuple(data.shape)}, expected 3 to 5 "
                         "dims (batch, channel, 1 to 3 spatial)")
    if pool_type == "lp" and p_value is None:
        raise AttributeParseError("Pooling: pool_type='lp' needs p_value (e.g. p_value=2)")
    if not global_pool and not kernel:
        raise AttributeParseError("Pooling: kernel is required unless global_pool=True")


_POOL_LAYOUTS = Enum("None", "NCDHW", "NCHW", "NCW", "NDHWC", "NHWC", "NWC")


@defop("Pooling", inputs=("data",),
       attrs=(Attr("kernel", SHAPE, (), "Window size (ignored with global_pool)"),
              Attr("pool_type", Enum("avg", "lp", "max", "sum"), "max", "Reduction"),
              Attr("global_pool", BOOL, False, "Pool over the whole spatial extent"),
              Attr("cudnn_off", BOOL, False, "Unused (cuDNN switch)"),
              Attr("pooling_convention", Enum("full", "same", "valid"), "valid",
                   "Output size rule: valid floors, full ceils, same gives ceil(in/stride)"),
              Attr("stride", SHAPE, (), "Stride (default 1 per dim)"),
              Attr("pad", SHAPE, (), "Padding on both sides (default 0)"),
              Attr("p_value", OPT_INT, None, "Power of lp pooling"),
              Attr("count_include_pad", OPT_BOOL, None,
                   "Average pooling divides by windows including padding (default True)"),
              Attr("layout", _POOL_LAYOUTS, "None", "Data layout (default channels first)")))
def pooling(data, kernel, pool_type, global_pool, cudnn_off, pooling_convention, stride, pad,
            p_value, count_include_pad, layout):
    """Max, average, sum or Lp pooling over 1 to 3 spatial dims."""
    _pool_check(data, pool_type, p_value, kernel, global_pool)
    layout = _layout(layout)
    x = _to_channels_first(data, layout)
    include_pad = True if count_include_pad is None else count_include_pad
    dtype = x.dtype
    if _half_on_cpu(x) and x.dim() == 5 and pool_type != "max":
        x = x.float()  # torch has no half-precision 3-d average pooling on the CPU
    out = _pool_channels_first(x, kernel, pool_type, global_pool, pooling_convention, stride,
                               pad, p_value, include_pad)
    return _to_channels_last(out.to(dtype), layout)


def _half_on_cpu(x):
    return x.dtype in (torch.float16, torch.bfloat16) and x.device.type == "cpu"


@defop("Pooling_v1", inputs=("data",),
       attrs=(Attr("kernel", SHAPE, (), "Window size (ignored with global_pool)"),
              Attr("pool_type", Enum("avg", "max", "sum"), "max", "Reduction"),
              Attr("global_pool", BOOL, False, "Pool over the whole spatial extent"),
              Attr("pooling_convention", Enum("full", "valid"), "valid", "Output size rule"),
              Attr("stride", SHAPE, (), "Stride (default 1 per dim)"),
              Attr("pad", SHAPE, (), "Padding on both sides (default 0)")))
def pooling_v1(data, kernel, pool_type, global_pool, pooling_convention, stride, pad):
    """Legacy pooling (max, avg, sum); same windows as ``Pooling``."""
    _pool_check(data, pool_type, None, kernel, global_pool)
    return _pool_channels_first(data, kernel, pool_type, global_pool, pooling_convention, stride,
                                pad, None, True, legacy=True)


# --------------------------------------------------------------------------------------------
# UpSampling
# --------------------------------------------------------------------------------------------


def _bilinear_geometry(scale):
    kernel = 2 * scale - scale % 2
    return kernel, int(math.ceil((scale - 1) / 2.0))


def _upsampling_shape(a, in_shapes):
    if a["sample_type"] != "bilinear" or not in_shapes or in_shapes[0] is None:
        return in_shapes, None
    data = in_shapes[0]
    kernel, _ = _bilinear_geometry(a["scale"])
    filled = fill_inputs("UpSampling", ("data", "weight"), in_shapes,
                         {"weight": (data[1], 1, kernel, kernel)})
    return filled, None


def _upsampling_names(a, count):
    if a["sample_type"] == "bilinear":
        return ("data", "weight")
    return tuple(f"arg{i}" for i in range(count))


@defop("UpSampling", inputs=VARIADIC, num_args="num_args", variadic_names=_upsampling_names,
       attrs=(Attr("scale", INT, doc="Upsampling factor"),
              Attr("num_filter", INT, 0, "Channels of the bilinear weight"),
              Attr("sample_type", Enum("bilinear", "nearest"), doc="nearest or bilinear"),
              Attr("multi_input_mode", Enum("concat", "sum"), "concat",
                   "How several nearest inputs combine"),
              Attr("num_args", INT, doc="Number of inputs (bilinear: 2, data and weight)"),
              Attr("workspace", INT, 512, "Unused (MXNet scratch memory in MB)")),
       infer_shape=_upsampling_shape)
def upsampling(*args, scale, num_filter, sample_type, multi_input_mode, num_args, workspace):
    """Nearest upsampling of one or more inputs (to the first's size times ``scale``), or
    bilinear upsampling as a per-channel transposed convolution with the given weight."""
    if sample_type == "bilinear":
        if len(args) != 2:
            raise ShapeError(f"UpSampling: sample_type='bilinear' takes 2 inputs (data, weight), "
                             f"got {len(args)}")
        data, weight = args
        kernel, pad = _bilinear_geometry(scale)
        return F.conv_transpose2d(data, weight, None, scale, pad, 0, data.shape[1])
    height, width = args[0].shape[2] * scale, args[0].shape[3] * scale
    outs = []
    for i, x in enumerate(args):
        if height % x.shape[2] or width % x.shape[3]:
            raise ShapeError(f"UpSampling: input 'arg{i}' of shape {tuple(x.shape)} cannot be "
                             f"scaled by an integer to {(height, width)}")
        factor = height // x.shape[2]
        outs.append(x if factor == 1 else
                    F.interpolate(x, scale_factor=factor, mode="nearest"))
    if len(outs) == 1:
        return outs[0]
    if multi_input_mode == "sum":
        total = outs[0]
        for o in outs[1:]:
            total = total + o
        return total
    return torch.cat(outs, 1)


# --------------------------------------------------------------------------------------------
# contrib resizers
# --------------------------------------------------------------------------------------------


@defop("_contrib_AdaptiveAvgPooling2D", inputs=("data",),
       attrs=(Attr("output_size", SHAPE, (), "Output (height, width); one value: square"),))
def adaptive_avg_pooling2d(data, output_size):
    """Average pooling to a fixed output size (windows floor(i*in/out) to ceil((i+1)*in/out))."""
    size = tuple(output_size) or (1,)
    if len(size) == 1:
        size = size * 2
    if 0 in size:  # an empty output (MXNet allows it); torch's backward refuses it
        return data.new_zeros(tuple(data.shape[:-2]) + size) + data.sum() * 0
    return F.adaptive_avg_pool2d(data, size)


def _resize_size(data, like, height, width, scale_height, scale_width, mode):
    in_h, in_w = data.shape[2], data.shape[3]
    if mode == "like":
        return like.shape[2], like.shape[3]
    if mode == "size":
        h = int(in_h * scale_height) if scale_height is not None else height
        w = int(in_w * scale_width) if scale_width is not None else width
        return h, w
    if mode == "odd_scale":
        def odd(n, s):
            return int(n * s) if n % 2 == 0 else int((n - 1) * s) + 1
        return odd(in_h, scale_height), odd(in_w, scale_width)
    adjust = {"to_even_down": lambda n: n - n % 2, "to_even_up": lambda n: n + n % 2,
              "to_odd_down": lambda n: n - (1 - n % 2), "to_odd_up": lambda n: n + (1 - n % 2)}
    return adjust[mode](in_h), adjust[mode](in_w)


@defop("_contrib_BilinearResize2D",
       inputs=lambda a: ("data", "like") if a["mode"] == "like" else ("data",),
       all_inputs=("data", "like"), same_dtype=(),
       attrs=(Attr("height", INT, 1, "Output height (mode 'size')"),
              Attr("width", INT, 1, "Output width (mode 'size')"),
              Attr("scale_height", OPT_FLOAT, None, "Height scale (modes 'size', 'odd_scale')"),
              Attr("scale_width", OPT_FLOAT, None, "Width scale (modes 'size', 'odd_scale')"),
              Attr("mode", Enum("like", "odd_scale", "size", "to_even_down", "to_even_up",
                                "to_odd_down", "to_odd_up"), "size", "How to pick the size"),
              Attr("align_corners", BOOL, True, "Align corner pixels of input and output")))
def bilinear_resize2d(data, like=None, *, height, width, scale_height, scale_width, mode,
                      align_corners):
    """Bilinear resize of (N, C, H, W) data to a size chosen by ``mode``."""
    if mode == "odd_scale" and (scale_height is None or scale_width is None):
        raise AttributeParseError("BilinearResize2D: mode='odd_scale' needs scale_height and "
                                  "scale_width")
    size = _resize_size(data, like, height, width, scale_height, scale_width, mode)
    return F.interpolate(data, size=size, mode="bilinear", align_corners=align_corners)


# --------------------------------------------------------------------------------------------
# Correlation
# --------------------------------------------------------------------------------------------


@defop("Correlation", inputs=("data1", "data2"),
       attrs=(Attr("kernel_size", INT, 1, "Patch size for comparison"),
              Attr("max_displacement", INT, 1, "Largest displacement compared"),
              Attr("stride1", INT, 1, "Stride over data1 positions"),
              Attr("stride2", INT, 1, "Stride over displacements"),
              Attr("pad_size", INT, 0, "Zero padding of both inputs"),
              Attr("is_multiply", BOOL, True, "Multiply patches (else absolute difference)")))
def correlation(data1, data2, kernel_size, max_displacement, stride1, stride2, pad_size,
                is_multiply):
    """FlowNet correlation: one output channel per displacement, each the patch product
    (or absolute difference) summed over channels and the patch, divided by k*k*C."""
    if data1.shape != data2.shape or data1.dim() != 4:
        raise ShapeError(f"Correlation: inputs must be 4-d and of one shape, got data1 "
                         f"{tuple(data1.shape)} and data2 {tuple(data2.shape)}")
    channels = data1.shape[1]
    p1 = F.pad(data1, [pad_size] * 4)
    p2 = F.pad(data2, [pad_size] * 4)
    height, width = p1.shape[2], p1.shape[3]
    border = max_displacement + (kernel_size - 1) // 2
    out_h = -(-(height - 2 * border) // stride1)
    out_w = -(-(width - 2 * border) // stride1)
    if out_h < 1 or out_w < 1:
        raise ShapeError(f"Correlation: inputs of shape {tuple(data1.shape)} are too small for "
                         f"max_displacement={max_displacement}, kernel_size={kernel_size} and "
                         f"pad_size={pad_size}")
    span_h = (out_h - 1) * stride1 + kernel_size
    span_w = (out_w - 1) * stride1 + kernel_size
    radius = max_displacement // stride2
    md = max_displacement
    a = p1[:, :, md:md + span_h, md:md + span_w]
    outs = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            y0, x0 = md + dy * stride2, md + dx * stride2
            b = p2[:, :, y0:y0 + span_h, x0:x0 + span_w]
            cross = (a * b) if is_multiply else (a - b).abs()
            outs.append(F.avg_pool2d(cross.sum(1, keepdim=True), kernel_size, stride1))
    return torch.cat(outs, 1) / channels


# --------------------------------------------------------------------------------------------
# deformable convolutions
# --------------------------------------------------------------------------------------------


def _deformable_columns(data, offset, mask, kernel, stride, dilate, pad, groups):
    """Bilinearly sampled input patches: (N, C, K, Ho, Wo) with K = kh*kw."""
    n, c, h, w = data.shape
    kh, kw = kernel
    k = kh * kw
    ho, wo = offset.shape[2], offset.shape[3]
    off = offset.reshape(n, groups, k, 2, ho, wo)
    dev, dt = data.device, data.dtype
    ky = (torch.arange(kh, device=dev, dtype=dt) * dilate[0]).repeat_interleave(kw)
    kx = (torch.arange(kw, device=dev, dtype=dt) * dilate[1]).repeat(kh)
    oy = torch.arange(ho, device=dev, dtype=dt) * stride[0] - pad[0]
    ox = torch.arange(wo, device=dev, dtype=dt) * stride[1] - pad[1]
    py = ky.reshape(1, 1, k, 1, 1) + oy.reshape(1, 1, 1, ho, 1) + off[:, :, :, 0]
    px = kx.reshape(1, 1, k, 1, 1) + ox.reshape(1, 1, 1, 1, wo) + off[:, :, :, 1]
    keep = None
    if mask is None:
        # NOTE: MXNet's DeformableConvolution (v1) drops samples above/left of the image
        # (coordinate < 0) and clamps those in the last row/column band [size-1, size) to it;
        # DCNv2 (modulated) fades both borders to zero like grid_sample's zero padding.
        keep = ((py >= 0) & (px >= 0) & (py < h) & (px < w)).to(dt)
        py, px = py.clamp(max=h - 1), px.clamp(max=w - 1)
    # grid_sample with align_corners=True reads pixel i at -1 + 2i/(size-1).
    gy = py * (2.0 / max(h - 1, 1)) - 1
    gx = px * (2.0 / max(w - 1, 1)) - 1
    grid = torch.stack((gx, gy), -1).reshape(n * groups, k * ho, wo, 2)
    sampled = F.grid_sample(data.reshape(n * groups, c // groups, h, w), grid,
                            mode="bilinear", padding_mode="zeros", align_corners=True)
    cols = sampled.reshape(n, groups, c // groups, k, ho, wo)
    scale = mask.reshape(n, groups, 1, k, ho, wo) if mask is not None else keep.unsqueeze(2)
    return (cols * scale).reshape(n, c, k, ho, wo)


def _deformable(data, offset, mask, weight, bias, kernel, stride, dilate, pad, num_filter,
                num_group, num_deformable_group, op_name):
    if len(kernel) != 2 or data.dim() != 4:
        raise ShapeError(f"{op_name}: only 2-d data (N, C, H, W) with a 2-d kernel is "
                         f"supported, got data {tuple(data.shape)} and kernel {tuple(kernel)}")
    stride, dilate, pad = _geometry(op_name, kernel, stride, dilate, pad)
    n, c = data.shape[:2]
    ho = _conv_out(data.shape[2], kernel[0], stride[0], dilate[0], pad[0])
    wo = _conv_out(data.shape[3], kernel[1], stride[1], dilate[1], pad[1])
    k = kernel[0] * kernel[1]
    want = (n, 2 * num_deformable_group * k, ho, wo)
    if tuple(offset.shape) != want:
        raise ShapeError(f"{op_name}: input 'offset' has shape {tuple(offset.shape)}, expected "
                         f"{want}")
    cols = _deformable_columns(data, offset, mask, kernel, stride, dilate, pad,
                               num_deformable_group)
    cols = cols.reshape(n, num_group, (c // num_group) * k, ho * wo)
    w = weight.reshape(num_group, num_filter // num_group, (c // num_group) * k)
    out = torch.matmul(w.unsqueeze(0), cols).reshape(n, num_filter, ho, wo)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out


def _deform_shape(op_name, names, a, in_shapes):
    data = in_shapes[0]
    if not known(data) or len(data) != 4:
        return in_shapes, None
    kernel = tuple(a["kernel"])
    stride, dilate, pad = _geometry(op_name, kernel, a["stride"], a["dilate"], a["pad"])
    nf, group = a["num_filter"], a["num_group"]
    _check_positive(op_name, num_group=(group,), num_deformable_group=(a["num_deformable_group"],))
    ho, wo = (_conv_out(n, k, s, d, p) for n, k, s, d, p in
              zip(data[2:], kernel, stride, dilate, pad))
    k = kernel[0] * kernel[1]
    dg = a["num_deformable_group"]
    expected = {"offset": (data[0], 2 * dg * k, ho, wo), "mask": (data[0], dg * k, ho, wo),
                "weight": (nf, data[1] // group) + kernel, "bias": (nf,)}
    return fill_inputs(op_name, names, in_shapes, expected), [(data[0], nf, ho, wo)]


_DEFORM_ATTRS = (Attr("kernel", SHAPE, doc="Kernel size, e.g. (3, 3)"),
                 Attr("stride", SHAPE, (), "Stride (default 1 per dim)"),
                 Attr("dilate", SHAPE, (), "Dilation (default 1 per dim)"),
                 Attr("pad", SHAPE, (), "Zero padding (default 0)"),
                 Attr("num_filter", INT, doc="Number of output channels"),
                 Attr("num_group", INT, 1, "Number of groups"),
                 Attr("num_deformable_group", INT, 1, "Number of offset groups"),
                 Attr("workspace", INT, 1024, "Unused (MXNet scratch memory in MB)"),
                 Attr("no_bias", BOOL, False, "Whether to skip the bias"))
_DEFORM_LAYOUT = Attr("layout", Enum("None", "NCDHW", "NCHW", "NCW"), "None",
                      "Data layout (only NCHW is supported)")


def _deform_inputs(a):
    return ("data", "offset", "weight") + (() if a["no_bias"] else ("bias",))


def _mdeform_inputs(a):
    return ("data", "offset", "mask", "weight") + (() if a["no_bias"] else ("bias",))


@defop("_contrib_DeformableConvolution", inputs=_deform_inputs,
       all_inputs=("data", "offset", "weight", "bias"), attrs=_DEFORM_ATTRS + (_DEFORM_LAYOUT,),
       infer_shape=lambda a, s: _deform_shape("DeformableConvolution", _deform_inputs(a), a, s))
def deformable_convolution(data, offset, weight, bias=None, *, kernel, stride, dilate, pad,
                           num_filter, num_group, num_deformable_group, workspace, no_bias,
                           layout):
    """2-d convolution whose sampling positions are shifted by learned ``offset``s."""
    return _deformable(data, offset, None, weight, bias, kernel, stride, dilate, pad, num_filter,
                       num_group, num_deformable_group, "DeformableConvolution")


@defop("_contrib_ModulatedDeformableConvolution", inputs=_mdeform_inputs,
       all_inputs=("data", "offset", "mask", "weight", "bias"),
       attrs=_DEFORM_ATTRS + (Attr("im2col_step", INT, 64, "Unused (batch chunk size)"),
                              _DEFORM_LAYOUT),
       infer_shape=lambda a, s: _deform_shape("ModulatedDeformableConvolution",
                                              _mdeform_inputs(a), a, s))
def modulated_deformable_convolution(data, offset, mask, weight, bias=None, *, kernel, stride,
                                     dilate, pad, num_filter, num_group, num_deformable_group,
                                     workspace, no_bias, im2col_step, layout):
    """Deformable convolution whose samples are also scaled by ``mask`` (DCNv2)."""
    return _deformable(data, offset, mask, weight, bias, kernel, stride, dilate, pad, num_filter,
                       num_group, num_deformable_group, "ModulatedDeformableConvolution")
