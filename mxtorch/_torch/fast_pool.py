"""2-d max/average pooling of NCHW CPU tensors through torch's channels-last kernels.

torch's CPU pooling kernels for contiguous NCHW data are 2.5-5x slower (max) and 1.3-2x slower
(average) than its channels-last kernels on the same data, even counting the two layout copies
(2-core CI machine, 2 threads, torch 2.13, 2026-12-04: (32,64,32,32) 3x3/2 max 8.1 -> 2.2 ms,
(128,20,24,24) 2x2/2 max 3.6 -> 1.4 ms). MXNet 1.9.1 runs oneDNN pooling, which is fast for
the same reason. Here the input is copied to channels-last, pooled there, and the result copied
back to NCHW, so callers see the usual contiguous layout. Max pooling's backward uses the NCHW
kernel with the channels-last run's argmax indices (indices are per-plane offsets in either
layout), so values and gradients equal the NCHW kernels' exactly. Small tensors, where the
copies cost more than they save, keep the NCHW kernels.
"""
import torch
import torch.nn.functional as F

MIN_ELEMENTS_MAX = 32768   # max pooling: below this the layout copies cost more than they save
MIN_ELEMENTS_AVG = 131072  # average pooling gains less (fwd+bwd 1.15x at (32,64,32,32))
_FLOATS = (torch.float32, torch.float64)
_aten = torch.ops.aten


def eligible(x, min_elements):
    """Whether ``x`` (4-d NCHW) takes the channels-last route."""
    return (x.dim() == 4 and x.device.type == "cpu" and x.dtype in _FLOATS
            and x.numel() >= min_elements and x.shape[1] > 1 and x.is_contiguous())


class _MaxPool2d(torch.autograd.Function):
    """Forward in channels-last; backward by the NCHW kernel from the saved indices."""

    @staticmethod
    def forward(ctx, x, kernel, stride, pad, ceil_mode):
        out, idx = _aten.max_pool2d_with_indices(
            x.contiguous(memory_format=torch.channels_last), kernel, stride, pad, 1, ceil_mode)
        idx = idx.contiguous()
        ctx.save_for_backward(x, idx)
        ctx.args = (kernel, stride, pad, ceil_mode)
        return out.contiguous()

    @staticmethod
    def backward(ctx, grad):
        x, idx = ctx.saved_tensors
        kernel, stride, pad, ceil_mode = ctx.args
        gx = _aten.max_pool2d_with_indices_backward(grad.contiguous(), x, kernel, stride, pad,
                                                    1, ceil_mode, idx)
        return gx, None, None, None, None


def max_pool2d(x, kernel, stride, pad=0, ceil_mode=False):
    """``F.max_pool2d`` of NCHW ``x``, by the channels-last kernel when that is faster."""
    if not eligible(x, MIN_ELEMENTS_MAX):
        return F.max_pool2d(x, kernel, stride, pad, ceil_mode=ceil_mode)
    kernel, stride, pad = _pair(kernel), _pair(stride), _pair(pad)
    if not (torch.is_grad_enabled() and x.requires_grad):
        out = F.max_pool2d(x.contiguous(memory_format=torch.channels_last), kernel, stride, pad,
                           ceil_mode=ceil_mode)
        return out.contiguous()
    return _MaxPool2d.apply(x, kernel, stride, pad, ceil_mode)


class _AvgPool2d(torch.autograd.Function):
    """Forward in channels-last; backward by the NCHW kernel."""

    @staticmethod
    def forward(ctx, x, kernel, stride, pad, ceil_mode, count_include_pad, divisor):
        ctx.save_for_backward(x)
        ctx.args = (kernel, stride, pad, ceil_mode, count_include_pad, divisor)
        return _avg_channels_last(x, *ctx.args)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        gx = _aten.avg_pool2d_backward(grad.contiguous(), x, *ctx.args)
        return gx, None, None, None, None, None, None


def _avg_channels_last(x, kernel, stride, pad, ceil_mode, count_include_pad, divisor):
    out = F.avg_pool2d(x.contiguous(memory_format=torch.channels_last), kernel, stride, pad,
                       ceil_mode, count_include_pad, divisor)
    return out.contiguous()


def avg_pool2d(x, kernel, stride, pad=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """``F.avg_pool2d`` of NCHW ``x``, by the channels-last kernel when that is faster."""
    if not eligible(x, MIN_ELEMENTS_AVG):
        return F.avg_pool2d(x, kernel, stride, pad, ceil_mode, count_include_pad,
                            divisor_override)
    args = (_pair(kernel), _pair(stride), _pair(pad), ceil_mode, count_include_pad,
            divisor_override)
    if not (torch.is_grad_enabled() and x.requires_grad):
        return _avg_channels_last(x, *args)
    return _AvgPool2d.apply(x, *args)


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)
