"""2-d convolution whose weight gradient is one GEMM where oneDNN's is slow.

torch's CPU convolution backward (oneDNN 3.x) computes the weight gradient slowly when the
output has few positions per image or the input has many channels: on the 2-core CI machine
(2 threads, torch 2.13, 2026-12-04) the weight gradient of a 512->512 3x3 convolution on 2x2
maps, batch 32, took 6.6-11 ms, where unfolding the input and one MKL GEMM take 2.5 ms; the
256->512 3x3 stride-2 layer 2.7 vs 1.4 ms; 512->512 3x3 on 7x7, batch 8, 11.4 vs 6.3 ms.
For 16+ output positions and <= 256 input channels oneDNN is faster, and those shapes keep
torch's own backward. MXNet 1.9.1's oneDNN 2.x build does not have this slow path, which
made its ResNet training step faster than torch's at these shapes.

The forward pass and the data gradient are torch's (bit-identical); only the weight gradient
is summed in another order (relative differences ~1e-6, as between any two GEMM kernels).
"""
import torch
import torch.nn.functional as F

MAX_POSITIONS = 4        # output positions per image at or below which the GEMM always wins
MIN_PATCH = 4096         # in_channels * kh * kw at or above which the GEMM wins at any size
MAX_COLUMN_BYTES = 64 << 20  # the unfolded input must stay below this
_aten = torch.ops.aten


def _gemm_pays(data, weight, stride, pad):
    n, c, h, w = data.shape
    kh, kw = weight.shape[2:]
    positions = ((h + 2 * pad[0] - kh) // stride[0] + 1) * ((w + 2 * pad[1] - kw) // stride[1] + 1)
    patch = c * kh * kw
    if positions <= 0 or n * patch * positions * 4 > MAX_COLUMN_BYTES:
        return False
    return positions <= MAX_POSITIONS or patch >= MIN_PATCH


def eligible(data, weight, stride, pad, dilate, groups):
    """Whether this convolution's weight gradient goes through the GEMM."""
    return (groups == 1 and data.dim() == 4 and tuple(dilate) == (1, 1)
            and weight.requires_grad and torch.is_grad_enabled()
            and data.dtype is torch.float32 and weight.dtype is torch.float32
            and data.device.type == "cpu" and data.is_contiguous() and weight.is_contiguous()
            and _gemm_pays(data, weight, stride, pad))


class _Conv2d(torch.autograd.Function):
    """torch's forward and data gradient; the weight gradient by unfold + GEMM."""

    @staticmethod
    def forward(ctx, data, weight, bias, stride, pad):
        ctx.save_for_backward(data, weight)
        ctx.geometry = (stride, pad)
        ctx.has_bias = bias is not None
        return F.conv2d(data, weight, bias, stride, pad)

    @staticmethod
    def backward(ctx, grad):
        data, weight = ctx.saved_tensors
        stride, pad = ctx.geometry
        grad = grad.contiguous()
        grad_data = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_data = _aten.convolution_backward(
                grad, data, weight, None, list(stride), list(pad), [1, 1], False, [0, 0], 1,
                [True, False, False])[0]
        if ctx.needs_input_grad[1]:
            grad_weight = _weight_grad(grad, data, weight.shape, stride, pad)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_bias = grad.sum((0, 2, 3))
        return grad_data, grad_weight, grad_bias, None, None


def _weight_grad(grad, data, weight_shape, stride, pad):
    n, c = data.shape[:2]
    out_channels = weight_shape[0]
    columns = F.unfold(data, weight_shape[2:], padding=pad, stride=stride)  # n, c*kh*kw, L
    patches = columns.transpose(0, 1).reshape(columns.shape[1], -1)         # c*kh*kw, n*L
    outputs = grad.reshape(n, out_channels, -1).transpose(0, 1).reshape(out_channels, -1)
    return (outputs @ patches.t()).view(weight_shape)


def conv2d(data, weight, bias, stride, pad, dilate, groups):
    """``F.conv2d``, with the GEMM weight gradient where it is faster."""
    if eligible(data, weight, stride, pad, dilate, groups):
        return _Conv2d.apply(data, weight, bias, tuple(stride), tuple(pad))
    return F.conv2d(data, weight, bias, stride, pad, dilate, groups)
