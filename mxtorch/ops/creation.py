"""Array-creation operators (no array inputs): _zeros, _ones, _full, _arange, _linspace, _eye.

They take MXNet's ``ctx`` attribute (``"cpu(0)"``; empty means the caller's current context)
and a ``dtype`` (default float32). These are the ops exported graphs contain for constants.
"""
import math

import torch

from ..base import MXNetError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, CTX, DTYPE, FLOAT, INT, OPT_FLOAT, SHAPE
from ._registry import Attr, defop


def device_of(ctx):
    """torch device for a parsed ``ctx`` attribute (None: the current context)."""
    if ctx is None:
        from ..context import current_context
        ctx = current_context()
    return ctx.torch_device


_SHAPE_CTX_DTYPE = (Attr("shape", SHAPE, (), "Output shape"),
                    Attr("ctx", CTX, None, "Device, e.g. 'cpu(0)'"),
                    Attr("dtype", DTYPE, "float32", "Output dtype"))


@defop("_zeros", inputs=(), attrs=_SHAPE_CTX_DTYPE)
def zeros(shape, ctx, dtype):
    """Array of zeros."""
    return torch.zeros(shape, dtype=NAME_TO_TORCH[dtype], device=device_of(ctx))


@defop("_zeros_without_dtype", inputs=(),
       attrs=(Attr("shape", SHAPE, ()), Attr("ctx", CTX, None), Attr("dtype", INT, -1)))
def zeros_without_dtype(shape, ctx, dtype):
    """Array of zeros (float32 unless a type flag is given)."""
    from .._torch.dtypes import FLAG_TO_TORCH
    return torch.zeros(shape, dtype=FLAG_TO_TORCH.get(dtype, torch.float32),
                       device=device_of(ctx))


@defop("_ones", inputs=(), attrs=_SHAPE_CTX_DTYPE)
def ones(shape, ctx, dtype):
    """Array of ones."""
    return torch.ones(shape, dtype=NAME_TO_TORCH[dtype], device=device_of(ctx))


@defop("_full", inputs=(), attrs=_SHAPE_CTX_DTYPE + (Attr("value", FLOAT, doc="Fill value"),))
def full(shape, ctx, dtype, value):
    """Array filled with ``value`` (converted as a C cast: -2.7 as uint8 is 254)."""
    target = NAME_TO_TORCH[dtype]
    if not target.is_floating_point and target != torch.bool:
        from .elemwise import int_from_float
        value = int(int_from_float(torch.tensor(float(value), dtype=torch.float64), target))
    return torch.full(shape, value, dtype=target, device=device_of(ctx))


_RANGE_ATTRS = (Attr("start", FLOAT, doc="Start of the interval"),
                Attr("stop", OPT_FLOAT, None, "End of the interval"),
                Attr("step", FLOAT, 1.0, "Spacing between values"),
                Attr("repeat", INT, 1, "Times each value repeats"),
                Attr("infer_range", BOOL, False, "Infer stop from the output shape"),
                Attr("ctx", CTX, None, "Device"),
                Attr("dtype", DTYPE, "float32", "Output dtype"))


@defop("_arange", inputs=(), attrs=_RANGE_ATTRS)
def arange(start, stop, step, repeat, infer_range, ctx, dtype):
    """Evenly spaced values in [start, stop) (``stop=None``: [0, start)), each repeated."""
    if stop is None:
        start, stop = 0.0, start
    if step == 0:
        raise MXNetError("_arange: step must not be 0")
    count = max(0, int(math.ceil((stop - start) / step)))
    return _range_values(start, step, count, repeat, NAME_TO_TORCH[dtype], device_of(ctx))


def _range_values(start, step, count, repeat, target, device):
    """MXNet's range kernel: ``start + i * step`` with start and step first converted to the
    output type and the arithmetic done in it (integer types truncate both; MXNet's float16
    kernel truncates them too)."""
    index = torch.arange(count, device=device)
    if repeat > 1:
        index = index.repeat_interleave(repeat)
    if target in (torch.float32, torch.float64):
        first, delta = (torch.tensor(v, dtype=target, device=device) for v in (start, step))
        return first + index.to(target) * delta
    if target == torch.bool:
        return (start + step * index.double()).to(target)
    from .elemwise import int_from_float
    wide = torch.int64 if target in (torch.float16, torch.bfloat16) else target
    first, delta = (int(int_from_float(torch.tensor(float(v), dtype=torch.float64), wide))
                    for v in (start, step))
    return (first + index.to(wide) * delta).to(target)


@defop("_linspace", inputs=(),
       attrs=(Attr("start", FLOAT, doc="First value"), Attr("stop", FLOAT, doc="Last value"),
              Attr("num", INT, doc="Number of values"),
              Attr("endpoint", BOOL, True, "Include stop"),
              Attr("ctx", CTX, None, "Device"), Attr("dtype", DTYPE, "float32", "Output dtype")))
def linspace(start, stop, num, endpoint, ctx, dtype):
    """``num`` evenly spaced values from start to stop (stop included if ``endpoint``)."""
    # MXNet: start + i * step in double, step = (stop - start) / (num - 1 or num)
    parts = num - 1 if endpoint else num
    step = (stop - start) / parts if parts > 0 else 0.0
    values = start + step * torch.arange(num, dtype=torch.float64, device=device_of(ctx))
    return values.to(NAME_TO_TORCH[dtype])


@defop("_eye", inputs=(),
       attrs=(Attr("N", INT, doc="Rows"), Attr("M", INT, 0, "Columns (0: same as N)"),
              Attr("k", INT, 0, "Diagonal offset"), Attr("ctx", CTX, None, "Device"),
              Attr("dtype", DTYPE, "float32", "Output dtype")))
def eye(N, M, k, ctx, dtype):  # noqa: N803 - MXNet's attribute names
    """2-D array with ones on the k-th diagonal."""
    cols = M if M > 0 else N
    out = torch.zeros((N, cols), dtype=NAME_TO_TORCH[dtype], device=device_of(ctx))
    if -N < k < cols:
        out.diagonal(k).fill_(1)
    return out
