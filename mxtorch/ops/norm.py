"""Normalisation operators: BatchNorm (and its legacy, ReLU-fused and Sync forms), LayerNorm,
InstanceNorm, GroupNorm, L2Normalization, LRN.

MXNet rules encoded here (checked against 1.9.1):
- BatchNorm's ``fix_gamma`` (default True) uses gamma = 1, gives gamma a zero gradient and
  writes ones into the gamma input. Training uses the biased batch variance and moves the
  aux states: ``moving = moving * momentum + batch * (1 - momentum)``.
- ``output_mean_var`` adds the mean and the *inverse* std 1/sqrt(var + eps) (BatchNorm) or the
  mean and the std sqrt(var + eps) (LayerNorm, GroupNorm).
- Recorded in inference mode (``record(train_mode=False)``) without ``use_global_stats``,
  BatchNorm's forward uses the moving stats but its gradient is the batch-statistics one.
- GroupNorm's gamma/beta have one value per group in 1.x, not per channel.
"""
import torch
import torch.nn.functional as F

from ..base import ShapeError
from ._attrs import BOOL, FLOAT, INT, OPT_FLOAT, STR, Enum
from ._registry import Attr, defop
from .nn import fill_inputs

_BN_INPUTS = ("data", "gamma", "beta", "moving_mean", "moving_var")
_BN_AUX = ("moving_mean", "moving_var")
_BN_PARAMS = ("gamma", "beta", "moving_mean", "moving_var")
_HALF = (torch.float16, torch.bfloat16)


# --------------------------------------------------------------------------------------------
# BatchNorm family
# --------------------------------------------------------------------------------------------


def _bn_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    axis = a.get("axis", 1)
    if not -len(data) <= axis < len(data):
        raise ShapeError(f"BatchNorm: axis {axis} is out of range for data of shape "
                         f"{tuple(data)}")
    channels = (data[axis],)
    filled = fill_inputs("BatchNorm", _BN_INPUTS, in_shapes, dict.fromkeys(_BN_PARAMS, channels))
    return filled, [tuple(data), channels, channels][:3 if a["output_mean_var"] else 1]


def _bn_type(a, in_dtypes):
    data = in_dtypes[0]
    if data is None:
        known = next((d for d in in_dtypes[1:] if d is not None), None)
        return list(in_dtypes), None if known is None else [None, known, known]
    param = torch.float32 if data in _HALF or data in ("float16", "bfloat16") else data
    ins = [data] + [d if d is not None else param for d in in_dtypes[1:]]
    return ins, [data, param, param]


def _gamma_for(gamma, fix_gamma):
    """The scale to use: with ``fix_gamma`` ones (written into gamma, zero gradient)."""
    if not fix_gamma:
        return gamma
    with torch.no_grad():
        gamma.fill_(1)
    if gamma.requires_grad and torch.is_grad_enabled():
        # keeps gamma in the graph with an exactly zero gradient (a select, unlike gamma * 0 + 1,
        # stays zero when the incoming gradient holds NaN or inf, as in MXNet)
        return torch.where(torch.zeros((), dtype=torch.bool, device=gamma.device), gamma,
                           torch.ones_like(gamma))
    return gamma.detach()


def _batch_stats_forward(x, gamma, beta, eps):
    """(output, batch mean, inverse std) with biased batch statistics."""
    return torch.native_batch_norm(x, gamma, beta, None, None, True, 0.0, eps)


def _update_moving(moving_mean, moving_var, mean, invstd, momentum, eps):
    """moving = moving * momentum + batch * (1 - momentum), with the biased batch variance."""
    with torch.no_grad():
        # var from torch's float32 inverse std: the rounding of invstd itself dominates the
        # error (relative ~1e-7 * (1 + eps/var)), so float64 here would buy nothing.
        var = invstd.pow(-2).sub_(eps)
        if mean.dtype == moving_mean.dtype == moving_var.dtype:
            torch._foreach_lerp_([moving_mean, moving_var], [mean, var], 1 - momentum)
        else:
            moving_mean.lerp_(mean.to(moving_mean.dtype), 1 - momentum)
            moving_var.lerp_(var.to(moving_var.dtype), 1 - momentum)


class _MovingStatsBatchGrad(torch.autograd.Function):
    """Inference BatchNorm whose gradient is the batch-statistics formula evaluated at the
    moving statistics (what MXNet computes when recording in inference mode)."""

    @staticmethod
    def forward(ctx, x, scale, beta, mean, invstd, eps):
        ctx.save_for_backward(x, scale, mean, invstd)
        ctx.eps = eps
        return _inference_out(x, scale, beta, mean, invstd)

    @staticmethod
    def backward(ctx, grad):
        x, scale, mean, invstd = ctx.saved_tensors
        if x.numel() == 0:  # torch's kernel divides by the element count (SIGFPE)
            return torch.zeros_like(x), torch.zeros_like(scale), torch.zeros_like(scale), \
                None, None, None
        mask = [ctx.needs_input_grad[0], ctx.needs_input_grad[1], ctx.needs_input_grad[2]]
        dx, dscale, dbeta = torch.ops.aten.native_batch_norm_backward(
            grad.contiguous(), x, scale, None, None, mean, invstd, True, ctx.eps, mask)
        return dx, dscale, dbeta, None, None, None


def _along_channels(v, ndim):
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def _inference_out(x, scale, beta, mean, invstd):
    if x.dtype == torch.float64:
        # NOTE: MXNet's float64 kernel computes (x - mean) * invstd * gamma + beta; torch's
        # fused x * a + b differs in the last bits, beyond float64 tolerances.
        nd = x.dim()
        return ((x - _along_channels(mean, nd)) * _along_channels(invstd, nd)
                * _along_channels(scale, nd) + _along_channels(beta, nd))
    return torch.addcmul(_along_channels(beta - mean * invstd * scale, x.dim()), x,
                         _along_channels(invstd * scale, x.dim()))


def _check_params(x, *params):
    channels = (x.shape[1],)
    for name, p in zip(_BN_PARAMS, params):
        if tuple(p.shape) != channels:
            raise ShapeError(f"BatchNorm: input {name!r} has shape {tuple(p.shape)}, expected "
                             f"{channels} (the channel count of data)")


def _batch_norm(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
                use_global_stats, output_mean_var, axis, is_train, relu=False):
    ndim = data.dim()
    if not -ndim <= axis < ndim or ndim < 2:
        raise ShapeError(f"BatchNorm: axis={axis} is out of range for data of shape "
                         f"{tuple(data.shape)} (at least 2 dims)")
    axis = axis % ndim
    x = data if axis == 1 else data.movedim(axis, 1)
    _check_params(x, gamma, beta, moving_mean, moving_var)
    scale = _gamma_for(gamma, fix_gamma)
    if is_train and not use_global_stats and x.numel() == 0:
        # an empty batch has no statistics: NaN mean/var, moving stats untouched (as MXNet)
        out = x * _along_channels(scale + beta, x.dim())
        mean = invstd = torch.full_like(moving_mean, float("nan"))
    elif is_train and not use_global_stats:
        out, mean, invstd = _batch_stats_forward(x, scale, beta, eps)
        _update_moving(moving_mean, moving_var, mean, invstd, momentum, eps)
    else:
        mean, invstd = moving_mean, (moving_var + eps).rsqrt()
        if not use_global_stats and torch.is_grad_enabled() and (
                data.requires_grad or scale.requires_grad or beta.requires_grad):
            # NOTE: MXNet differentiates the batch-statistics formula here even though the
            # forward used the moving stats.
            out = _MovingStatsBatchGrad.apply(x, scale, beta, mean, invstd, eps)
        elif x.dtype == torch.float64:
            out = _inference_out(x, scale, beta, mean, invstd)
        else:
            out = F.batch_norm(x, moving_mean, moving_var, scale, beta, False, 0.0, eps)
        if output_mean_var:
            mean = moving_mean.clone()
    if relu:
        out = torch.relu(out)
    if axis != 1:
        out = out.movedim(1, axis)
    if output_mean_var:
        return out, mean.to(moving_mean.dtype), invstd.to(moving_var.dtype)
    return out


_BN_COMMON = (Attr("eps", FLOAT, 0.0010000000474974513, "Added to the variance for stability"),
              Attr("momentum", FLOAT, 0.9, "Weight of the old value in the moving stats"),
              Attr("fix_gamma", BOOL, True, "Use gamma = 1 (and write ones into gamma)"),
              Attr("use_global_stats", BOOL, False, "Use the moving stats even in training"),
              Attr("output_mean_var", BOOL, False, "Also return mean and inverse std"))
_BN_ATTRS = _BN_COMMON + (
    Attr("axis", INT, 1, "Channel axis"),
    Attr("cudnn_off", BOOL, False, "Unused (cuDNN switch)"),
    Attr("min_calib_range", OPT_FLOAT, None, "Unused (quantisation calibration)"),
    Attr("max_calib_range", OPT_FLOAT, None, "Unused (quantisation calibration)"))
_BN_SPEC = dict(inputs=_BN_INPUTS, aux=_BN_AUX, mutate=("gamma",) + _BN_AUX,
                num_outputs=lambda a: 3 if a["output_mean_var"] else 1, train_aware=True,
                infer_shape=_bn_shape, infer_type=_bn_type, same_dtype=_BN_PARAMS)


@defop("BatchNorm", attrs=_BN_ATTRS, **_BN_SPEC)
def batch_norm(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
               use_global_stats, output_mean_var, axis, cudnn_off, min_calib_range,
               max_calib_range, is_train=False):
    """Batch normalisation over every axis but ``axis``, with moving statistics as aux
    states (updated in place in training)."""
    return _batch_norm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                       fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                       output_mean_var=output_mean_var, axis=axis, is_train=is_train)


@defop("_contrib_BatchNormWithReLU", attrs=_BN_ATTRS, **_BN_SPEC)
def batch_norm_relu(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
                    use_global_stats, output_mean_var, axis, cudnn_off, min_calib_range,
                    max_calib_range, is_train=False):
    """BatchNorm followed by ReLU."""
    return _batch_norm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                       fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                       output_mean_var=output_mean_var, axis=axis, is_train=is_train, relu=True)


@defop("BatchNorm_v1", attrs=_BN_COMMON, **_BN_SPEC)
def batch_norm_v1(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
                  use_global_stats, output_mean_var, is_train=False):
    """Legacy BatchNorm (channel axis 1)."""
    return _batch_norm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                       fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                       output_mean_var=output_mean_var, axis=1, is_train=is_train)


@defop("_contrib_SyncBatchNorm",
       attrs=_BN_COMMON + (Attr("ndev", INT, 1, "Number of devices sharing the statistics"),
                           Attr("key", STR, doc="Name shared by the synchronised layers")),
       **_BN_SPEC)
def sync_batch_norm(data, gamma, beta, moving_mean, moving_var, *, eps, momentum, fix_gamma,
                    use_global_stats, output_mean_var, ndev, key, is_train=False):
    """BatchNorm with statistics shared across devices; in one process it is BatchNorm."""
    return _batch_norm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                       fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                       output_mean_var=output_mean_var, axis=1, is_train=is_train)


# --------------------------------------------------------------------------------------------
# LayerNorm, InstanceNorm, GroupNorm
# --------------------------------------------------------------------------------------------


def _mean_std_outputs(a):
    return 3 if a["output_mean_var"] else 1


def _layer_norm_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    axis = a["axis"]
    if not -len(data) <= axis < len(data):
        raise ShapeError(f"LayerNorm: axis {axis} is out of range for data of shape "
                         f"{tuple(data)}")
    channels = (data[axis],)
    filled = fill_inputs("LayerNorm", ("data", "gamma", "beta"), in_shapes,
                         {"gamma": channels, "beta": channels})
    stat = list(data)
    stat[axis] = 1
    return filled, [tuple(data), tuple(stat), tuple(stat)][:_mean_std_outputs(a)]


@defop("LayerNorm", inputs=("data", "gamma", "beta"),
       attrs=(Attr("axis", INT, -1, "Axis to normalise over"),
              Attr("eps", FLOAT, 1e-5, "Added to the variance for stability"),
              Attr("output_mean_var", BOOL, False, "Also return mean and std")),
       num_outputs=_mean_std_outputs, infer_shape=_layer_norm_shape)
def layer_norm(data, gamma, beta, axis, eps, output_mean_var):
    """Normalise along ``axis`` and apply per-element gamma/beta of that axis."""
    if not -data.dim() <= axis < data.dim():
        raise ShapeError(f"LayerNorm: axis={axis} is out of range for data of shape "
                         f"{tuple(data.shape)} ({data.dim()} dimensions)")
    last = axis % data.dim() == data.dim() - 1
    x = data if last else data.movedim(axis, -1)
    shape = (x.shape[-1],)
    if not output_mean_var:
        out = F.layer_norm(x, shape, gamma, beta, eps)
        return out if last else out.movedim(-1, axis)
    out, mean, rstd = torch.native_layer_norm(x, shape, gamma, beta, eps)
    std = rstd.reciprocal()
    if not last:
        out, mean, std = (t.movedim(-1, axis) for t in (out, mean, std))
    return out, mean, std


def _instance_norm_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None or len(data) < 2:
        return in_shapes, None
    channels = (data[1],)
    return fill_inputs("InstanceNorm", ("data", "gamma", "beta"), in_shapes,
                       {"gamma": channels, "beta": channels}), [tuple(data)]


@defop("InstanceNorm", inputs=("data", "gamma", "beta"),
       attrs=(Attr("eps", FLOAT, 1e-3, "Added to the variance for stability"),),
       infer_shape=_instance_norm_shape)
def instance_norm(data, gamma, beta, eps):
    """Normalise each (instance, channel) over its spatial axes; per-channel gamma/beta."""
    if data.dim() < 3:
        raise ShapeError(f"InstanceNorm: input 'data' has shape {tuple(data.shape)}, expected "
                         "at least 3 dims (batch, channel, spatial...)")
    return F.instance_norm(data, None, None, gamma, beta, True, 0.0, eps)


def _group_norm_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    groups = (a["num_groups"],)
    filled = fill_inputs("GroupNorm", ("data", "gamma", "beta"), in_shapes,
                         {"gamma": groups, "beta": groups})
    stat = (data[0], a["num_groups"])
    return filled, [tuple(data), stat, stat][:_mean_std_outputs(a)]


@defop("GroupNorm", inputs=("data", "gamma", "beta"),
       attrs=(Attr("num_groups", INT, 1, "Number of channel groups"),
              Attr("eps", FLOAT, 1e-5, "Added to the variance for stability"),
              Attr("output_mean_var", BOOL, False, "Also return mean and std")),
       num_outputs=_mean_std_outputs, infer_shape=_group_norm_shape)
def group_norm(data, gamma, beta, num_groups, eps, output_mean_var):
    """Normalise channel groups (over the group's channels and all spatial axes); gamma and
    beta hold one value per group (MXNet 1.x)."""
    n, channels = data.shape[0], data.shape[1]
    if channels % num_groups:
        raise ShapeError(f"GroupNorm: data has {channels} channels, not divisible by "
                         f"num_groups={num_groups}")
    if gamma.shape != (num_groups,) or beta.shape != (num_groups,):
        raise ShapeError(f"GroupNorm: gamma/beta have shapes {tuple(gamma.shape)} and "
                         f"{tuple(beta.shape)}, expected {(num_groups,)} (one per group)")
    per = channels // num_groups
    weight, bias = gamma.repeat_interleave(per), beta.repeat_interleave(per)
    if not output_mean_var:
        return F.group_norm(data, num_groups, weight, bias, eps)
    out, mean, rstd = torch.native_group_norm(data, weight, bias, n, channels,
                                              data[0, 0].numel(), num_groups, eps)
    # MXNet's backward ignores gradients arriving at the mean/std outputs.
    return out, mean.detach(), rstd.detach().reciprocal()


# --------------------------------------------------------------------------------------------
# L2Normalization, LRN
# --------------------------------------------------------------------------------------------


@defop("L2Normalization", inputs=("data",),
       attrs=(Attr("eps", FLOAT, 1e-10, "Added to the sum of squares"),
              Attr("mode", Enum("channel", "instance", "spatial"), "instance",
                   "instance: all axes but the first; channel: axis 1; spatial: axes 2+")))
def l2_normalization(data, eps, mode):
    """Divide by sqrt(sum(x**2) + eps) over the axes chosen by ``mode``."""
    if mode == "instance":
        dims = tuple(range(1, data.dim()))
    elif mode == "channel":
        dims = (1,)
    else:
        dims = tuple(range(2, data.dim()))
    if data.dim() < (3 if mode == "spatial" else 2):
        raise ShapeError(f"L2Normalization: input 'data' has shape {tuple(data.shape)}, too few "
                         f"dims for mode={mode!r}")
    return data * (data.square().sum(dims, keepdim=True) + eps).rsqrt()


@defop("LRN", inputs=("data",), partial_shape=False,
       attrs=(Attr("alpha", FLOAT, 1e-4, "Scale of the squared sum"),
              Attr("beta", FLOAT, 0.75, "Exponent"),
              Attr("knorm", FLOAT, 2.0, "Additive constant"),
              Attr("nsize", INT, doc="Number of neighbouring channels summed")))
def lrn(data, alpha, beta, knorm, nsize):
    """Local response normalisation across channels:
    ``x / (knorm + alpha/nsize * sum of x**2 over nsize channels) ** beta``."""
    # NOTE: MXNet sums the (nsize-1)//2 channels on each side, so an even nsize covers only
    # nsize-1 channels (torch would take one more before); alpha is still divided by nsize.
    size = nsize if nsize % 2 else nsize - 1
    if data.dtype in _HALF and data.device.type == "cpu":  # no half 3-d avg pool on the CPU
        return F.local_response_norm(data.float(), size, alpha * size / nsize, beta,
                                     knorm).to(data.dtype)
    return F.local_response_norm(data, size, alpha * size / nsize, beta, knorm)
