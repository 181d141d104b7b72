"""Creation, sorting and searching operators of ``mx.np`` (``_npi_zeros``, ``_npi_arange``,
``_npi_sort``, ``_npi_unique``, ``_npi_nonzero``, ``_npi_histogram``, ``_npi_percentile``...).

Creation defaults to float32 (MXNet 1.9.1's NumPy interface); sort/argsort are stable;
index outputs are int64.
"""
import math

import torch

from ..base import MXNetError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, CTX, DTYPE, FLOAT, INT, OPT_DTYPE, OPT_FLOAT, OPT_INT, SHAPE, Enum
from .np_reduce import LITERAL
from ._registry import Attr, defop
from .creation import device_of

_CTX = Attr("ctx", CTX, None, "Device")


def _dtype(dtype, default="float32"):
    return NAME_TO_TORCH[dtype or default]


def _shape(name, shape):
    if any(d < 0 for d in shape):
        raise MXNetError(f"{name}: negative dimensions are not allowed, got shape {shape}")
    return tuple(shape)


_CREATE = (Attr("shape", SHAPE, (), "Output shape"), _CTX,
           Attr("dtype", DTYPE, "float32", "Output dtype"))


@defop("_npi_zeros", inputs=(), attrs=_CREATE)
def np_zeros(shape, ctx, dtype):
    """An array of zeros."""
    return torch.zeros(_shape("zeros", shape), dtype=_dtype(dtype), device=device_of(ctx))


@defop("_npi_ones", inputs=(), attrs=_CREATE)
def np_ones(shape, ctx, dtype):
    """An array of ones."""
    return torch.ones(_shape("ones", shape), dtype=_dtype(dtype), device=device_of(ctx))


@defop("_npi_full", inputs=(), attrs=_CREATE + (Attr("value", LITERAL, 0.0, "Fill value"),))
def np_full(shape, ctx, dtype, value):
    """An array filled with ``value``."""
    t = _dtype(dtype)
    if not t.is_floating_point and t != torch.bool:
        value = int(value)
    return torch.full(_shape("full", shape), value, dtype=t, device=device_of(ctx))


@defop("_npi_full_like", inputs=("a",), attrs=(Attr("fill_value", LITERAL, 0.0), _CTX,
                                               Attr("dtype", OPT_DTYPE, None)))
def np_full_like(a, fill_value, ctx, dtype):
    """An array like ``a`` filled with ``fill_value``."""
    t = _dtype(dtype, None) if dtype else a.dtype
    if not t.is_floating_point and t != torch.bool:
        fill_value = int(fill_value)
    return torch.full(a.shape, fill_value, dtype=t, device=a.device)


@defop("_npi_identity", inputs=(), attrs=_CREATE)
def np_identity(shape, ctx, dtype):
    """Square identity matrix (``shape`` is (n, n))."""
    return torch.eye(shape[0], dtype=_dtype(dtype), device=device_of(ctx))


@defop("_npi_eye", inputs=(), attrs=(Attr("N", INT), Attr("M", OPT_INT, None),
                                     Attr("k", INT, 0), _CTX,
                                     Attr("dtype", DTYPE, "float32")))
def np_eye(N, M, k, ctx, dtype):  # noqa: N803 - MXNet's attribute names
    """2-d array with ones on diagonal ``k``."""
    M = N if M is None else M
    out = torch.zeros((N, M), dtype=_dtype(dtype), device=device_of(ctx))
    if N and M:
        torch.diagonal(out, k).fill_(1)
    return out


@defop("_npi_arange", inputs=(), attrs=(Attr("start", FLOAT, 0.0), Attr("stop", OPT_FLOAT, None),
                                        Attr("step", FLOAT, 1.0), Attr("repeat", INT, 1),
                                        Attr("infer_range", BOOL, False), _CTX,
                                        Attr("dtype", DTYPE, "float32")))
def np_arange(start, stop, step, repeat, infer_range, ctx, dtype):
    """Evenly spaced values in [start, stop) (float32 by default, as MXNet)."""
    if stop is None:
        start, stop = 0.0, start
    if step == 0:
        raise MXNetError("arange: step cannot be 0")
    n = max(int(math.ceil((stop - start) / step)), 0)
    t = _dtype(dtype)
    work = torch.float64 if t.is_floating_point else torch.int64
    out = (start + torch.arange(n, dtype=torch.float64, device=device_of(ctx)) * step)
    return out.to(work).to(t) if t.is_floating_point else out.floor().to(t)


@defop("_npi_linspace", inputs=(), attrs=(Attr("start", FLOAT), Attr("stop", FLOAT),
                                          Attr("num", INT, 50), Attr("endpoint", BOOL, True),
                                          _CTX, Attr("dtype", DTYPE, "float32")))
def np_linspace(start, stop, num, endpoint, ctx, dtype):
    """``num`` evenly spaced values from start to stop."""
    if num < 0:
        raise MXNetError(f"linspace: number of samples, {num}, must be non-negative")
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else 0.0
    out = start + torch.arange(num, dtype=torch.float64, device=device_of(ctx)) * step
    if endpoint and num > 1:
        out[-1] = stop
    t = _dtype(dtype)
    return out.to(t) if t.is_floating_point else out.floor().to(t)


@defop("_npi_logspace", inputs=(), attrs=(Attr("start", FLOAT), Attr("stop", FLOAT),
                                          Attr("num", INT, 50), Attr("endpoint", BOOL, True),
                                          Attr("base", FLOAT, 10.0), _CTX,
                                          Attr("dtype", DTYPE, "float32")))
def np_logspace(start, stop, num, endpoint, base, ctx, dtype):
    """``base ** linspace(start, stop, num)``."""
    exps = np_linspace(start, stop, num, endpoint, ctx, "float64")
    return torch.pow(base, exps).to(_dtype(dtype))


@defop("_npi_indices", inputs=(), attrs=(Attr("dimensions", SHAPE), _CTX,
                                         Attr("dtype", DTYPE, "int32")))
def np_indices(dimensions, ctx, dtype):
    """Index grids of shape ``(len(dimensions), *dimensions)``."""
    dev = device_of(ctx)
    grids = torch.meshgrid(*[torch.arange(d, device=dev) for d in dimensions], indexing="ij")
    if not dimensions:
        return torch.zeros((0,), dtype=_dtype(dtype), device=dev)
    return torch.stack(grids).to(_dtype(dtype))


# --------------------------------------------------------------------------------------------
# sorting, searching, sets, statistics
# --------------------------------------------------------------------------------------------


def _sort_axis(data, axis):
    if axis is None:
        return data.reshape(-1), 0
    if not -data.dim() <= axis < max(data.dim(), 1):
        raise MXNetError(f"sort: axis {axis} is out of bounds for an array of dimension "
                         f"{data.dim()}")
    return data, axis


_SORT_ATTRS = (Attr("axis", OPT_INT, -1), Attr("is_ascend", BOOL, True),
               Attr("dtype", DTYPE, "int64"))


@defop("_npi_sort", attrs=_SORT_ATTRS[:2])
def np_sort(data, axis, is_ascend):
    """Sorted copy along ``axis`` (stable)."""
    x, ax = _sort_axis(data, axis)
    return torch.sort(x, dim=ax, descending=not is_ascend, stable=True)[0]


@defop("_npi_argsort", attrs=_SORT_ATTRS)
def np_argsort(data, axis, is_ascend, dtype):
    """Indices that sort along ``axis`` (stable; int64 by default)."""
    x, ax = _sort_axis(data, axis)
    return torch.sort(x, dim=ax, descending=not is_ascend, stable=True)[1].to(_dtype(dtype))


@defop("_npi_unique", attrs=(Attr("return_index", BOOL, False),
                             Attr("return_inverse", BOOL, False),
                             Attr("return_counts", BOOL, False), Attr("axis", OPT_INT, None)),
       num_outputs=lambda at: 1 + at["return_index"] + at["return_inverse"] + at["return_counts"],
       shape_rule="value")
def np_unique(data, return_index, return_inverse, return_counts, axis):
    """Sorted unique elements (of the flattened array, or slices along ``axis``), with
    first-occurrence indices, inverse indices and counts as asked."""
    x = (data.reshape(-1) if axis is None else data).detach()  # no gradient (as MXNet)
    dim = 0 if axis is None else axis
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True,
                                           return_counts=True, dim=dim)
    out = [values]
    if return_index:
        order = torch.arange(inverse.shape[0], device=x.device)
        first = torch.full((values.shape[dim],), inverse.shape[0], dtype=torch.int64,
                           device=x.device)
        out.append(first.scatter_reduce(0, inverse, order, reduce="amin"))
    if return_inverse:
        out.append(inverse.to(torch.int64))
    if return_counts:
        out.append(counts.to(torch.int64))
    return out[0] if len(out) == 1 else tuple(out)


@defop("_npi_nonzero", inputs=("x",), shape_rule="value")
def np_nonzero(x):
    """Indices of the non-zero elements, one column per axis (int64, shape (n, ndim))."""
    return torch.nonzero(x.reshape(1) if x.dim() == 0 else x)


@defop("_npi_histogram", inputs=("data",), attrs=(Attr("bin_cnt", OPT_INT, None),
                                                  Attr("range", LITERAL, None)),
       num_outputs=2, same_dtype=())
def np_histogram(data, bin_cnt, range):  # noqa: A002 - MXNet's attribute name
    """Counts of ``data`` in ``bin_cnt`` equal bins over ``range`` and the bin edges."""
    if range is None:
        lo, hi = (float(data.min()), float(data.max())) if data.numel() else (0.0, 1.0)
    else:
        lo, hi = float(range[0]), float(range[1])
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    x = data.to(torch.float64).reshape(-1)
    edges = torch.linspace(lo, hi, bin_cnt + 1, dtype=torch.float64, device=data.device)
    keep = (x >= lo) & (x <= hi)
    idx = ((x[keep] - lo) * bin_cnt / (hi - lo)).floor().to(torch.int64).clamp(0, bin_cnt - 1)
    counts = torch.bincount(idx, minlength=bin_cnt)
    return counts.to(torch.int64), edges.to(data.dtype if data.dtype.is_floating_point
                                            else torch.float32)


_INTERP = Enum("linear", "lower", "higher", "midpoint", "nearest")


@defop("_npi_percentile", inputs=lambda at: ("a",) if at["q_scalar"] is not None else ("a", "q"),
       all_inputs=("a", "q"), attrs=(Attr("axis", LITERAL, None),
                                     Attr("interpolation", _INTERP, "linear"),
                                     Attr("keepdims", BOOL, False),
                                     Attr("q_scalar", OPT_FLOAT, None, "Scalar q (no q input)")),
       same_dtype=())
def np_percentile(a, q=None, *, axis, interpolation, keepdims, q_scalar):
    """``q``-th percentiles (0..100) along ``axis``; ``q`` an array input or ``q_scalar``."""
    x = a if a.dtype.is_floating_point else a.to(torch.float32)
    if q is None:
        q = torch.tensor(q_scalar, dtype=torch.float64, device=a.device)
    qq = q.to(torch.float64) / 100.0
    if bool(((qq < 0) | (qq > 1)).any()):
        raise MXNetError("percentile: percentiles must be in the range [0, 100]")
    if axis is None:
        r = torch.quantile(x.reshape(-1).double(), qq, interpolation=interpolation)
        if keepdims:
            r = r.reshape(tuple(qq.shape) + (1,) * x.dim())
    else:
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
        if len(axes) != 1:
            x2 = torch.movedim(x, axes, tuple(range(-len(axes), 0)))
            x2 = x2.reshape(*x2.shape[:-len(axes)], -1)
            r = torch.quantile(x2.double(), qq, dim=-1, keepdim=False,
                               interpolation=interpolation)
            if keepdims:  # the reduced axes come back as size-1 axes in place
                keep = [1 if i in {d % x.dim() for d in axes} else n
                        for i, n in enumerate(x.shape)]
                r = r.reshape(tuple(qq.shape) + tuple(keep))
        else:
            r = torch.quantile(x.double(), qq, dim=axes[0], keepdim=keepdims,
                               interpolation=interpolation)
    return r.to(x.dtype)


@defop("_npi_bincount", inputs=lambda at: ("data", "weights") if at["has_weights"] else ("data",),
       all_inputs=("data", "weights"), attrs=(Attr("minlength", INT, 0),
                                              Attr("has_weights", BOOL, False)),
       same_dtype=(), shape_rule="value")
def np_bincount(data, weights=None, *, minlength, has_weights):
    """Occurrences of each non-negative integer, in the input's dtype (weighted sums in the
    weights' dtype with ``weights``; without ``has_weights`` the node has the data input only,
    as MXNet's)."""
    if data.numel() and int(data.min()) < 0:
        raise MXNetError("bincount: input must be non-negative integers")
    if not has_weights:
        return torch.bincount(data.to(torch.int64).reshape(-1),
                              minlength=minlength).to(data.dtype)
    return torch.bincount(data.to(torch.int64).reshape(-1), weights, minlength=minlength)


@defop("_npi_searchsorted", inputs=("a", "v"), attrs=(Attr("side", Enum("left", "right"),
                                                           "left"),), same_dtype=())
def np_searchsorted(a, v, side):
    """Insertion indices of ``v`` into the sorted 1-d ``a`` (int64)."""
    common = torch.promote_types(a.dtype, v.dtype)
    return torch.searchsorted(a.to(common), v.to(common), right=side == "right")
