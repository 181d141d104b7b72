"""Reductions (sum, mean, prod, max, min, nansum, nanprod, norm, moments...), arg-reductions
(argmax, argmin), the sort family (sort, argsort, topk) and whole-array checks (all_finite,
multi_sum_sq, allclose, histogram).

MXNet rules encoded here (checked against 1.9.1):
- ``axis=None`` or ``axis=()`` reduces every axis; a full reduction gives shape ``(1,)``, never
  ``()`` (legacy shapes). ``exclude=True`` reduces every axis NOT listed.
- Outputs keep the input dtype: integer sums wrap around in that dtype and the integer mean
  truncates toward zero (sum first, then divide).
- argmax/argmin return indices in the INPUT dtype (float32 for float32 data); ties pick the first.
- sort/argsort/topk use a stable order for ties; topk indices default to float32.
- ``max``/``min`` send the head gradient to every element equal to the result (torch's amax
  splits it evenly among ties).
"""
import ast
import math

import numpy as np
import torch

from ..base import MXNetError, ShapeError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, DTYPE, FLOAT, FLOATS, INT, OPT_DTYPE, OPT_INT, Enum, Kind, Optional
from ._registry import Attr, VARIADIC, defop


# --------------------------------------------------------------------------------------------
# axes
# --------------------------------------------------------------------------------------------


class AxesKind(Kind):
    """Reduction axes: None, one int, or a tuple of ints.

    A single int stays an int so it formats back the way MXNet writes it (``"1"``, while a
    tuple gives ``"(0, 2)"``).
    """
    name = "Shape or None"

    def parse(self, value):
        if isinstance(value, str):
            text = value.strip()
            value = None if text == "None" else (ast.literal_eval(text) if text else ())
        if value is None:
            return None
        if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
            value = value.tolist()  # numpy arrays and scalars
        if isinstance(value, (bool, np.bool_)):
            raise TypeError("expected an int or a tuple of ints, got a bool")
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            raise TypeError(f"expected an int or a tuple of ints, got {value!r}")
        out = []
        for v in value:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
                raise TypeError(f"expected integer axes, got {v!r}")
            out.append(int(v))
        return tuple(out)

    def format(self, value):
        return "None" if value is None else str(value)


AXES = AxesKind()


def reduce_dims(op, shape, axis, exclude=False):
    """Sorted tuple of the axes of ``shape`` to reduce, with MXNet's checks."""
    ndim = len(shape)
    if axis is None or axis == ():
        return tuple(range(ndim))
    given = (axis,) if isinstance(axis, int) else tuple(axis)
    dims = []
    for ax in given:
        if not -ndim <= ax < ndim:
            raise ShapeError(f"{op}: axis {ax} is out of range for an input of shape "
                             f"{tuple(shape)}; valid axes are {-ndim}..{ndim - 1}")
        dims.append(ax % ndim)
    if len(set(dims)) != len(dims):
        raise ShapeError(f"{op}: axis={axis} lists the same axis twice")
    dims = sorted(dims)
    if exclude:
        return tuple(d for d in range(ndim) if d not in dims)
    return tuple(dims)


def one_axis(op, shape, axis):
    """A single axis of ``shape`` normalised to 0..ndim-1 (argmax, sort, pick...)."""
    ndim = len(shape)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{op}: axis {axis} is out of range for an input of shape "
                         f"{tuple(shape)}; valid axes are {-ndim}..{ndim - 1}")
    return axis % ndim


def legacy(out):
    """MXNet's legacy shapes have no 0-d arrays: a full reduction gives shape (1,)."""
    return out.reshape(1) if out.dim() == 0 else out


_RED_ATTRS = (Attr("axis", AXES, None, "Axis or axes to reduce; None or () reduces all"),
              Attr("keepdims", BOOL, False, "Keep reduced axes with size 1"),
              Attr("exclude", BOOL, False, "Reduce every axis except those in axis"))


# --------------------------------------------------------------------------------------------
# sum / mean / prod / nansum / nanprod / _square_sum
# --------------------------------------------------------------------------------------------


def _sum(data, dims, keepdim):
    """Sum in the input dtype (integers wrap, as in MXNet); no axes: a copy."""
    if not dims:
        return data.clone()
    if data.dtype == torch.bool:
        return data.any(dim=dims, keepdim=keepdim)
    return torch.sum(data, dim=dims, keepdim=keepdim, dtype=data.dtype)


def _int_mean(data, dims, keepdim):
    # NOTE: MXNet sums in the integer dtype (wrapping) and then divides, truncating.
    count = math.prod(data.shape[d] for d in dims) or 1
    total = _sum(data.to(torch.uint8) if data.dtype == torch.bool else data, dims, keepdim)
    return torch.div(total, count, rounding_mode="trunc").to(data.dtype)


def _prod(data, dims, keepdim):
    """Product over ``dims`` (torch.prod takes one axis at a time)."""
    if not dims:
        return data.clone()
    if data.dtype == torch.bool:
        return data.all(dim=dims, keepdim=keepdim)
    out = data
    for d in sorted(dims, reverse=True):
        out = torch.prod(out, dim=d, keepdim=keepdim, dtype=data.dtype)
    return out


@defop("sum", aliases=("sum_axis",), attrs=_RED_ATTRS)
def sum_(data, axis, keepdims, exclude):
    """Sum over ``axis`` (integers wrap in their own dtype)."""
    if axis is None and not keepdims and data.dim() and data.is_floating_point():
        return torch.sum(data).reshape(1)  # the whole array in one call (same value)
    return legacy(_sum(data, reduce_dims("sum", data.shape, axis, exclude), keepdims))


@defop("mean", attrs=_RED_ATTRS)
def mean(data, axis, keepdims, exclude):
    """Mean over ``axis``; integer inputs give the truncated integer mean."""
    if axis is None and not keepdims and data.dim() and data.is_floating_point():
        return torch.mean(data).reshape(1)  # the whole array in one call (same value)
    dims = reduce_dims("mean", data.shape, axis, exclude)
    if not dims:
        return legacy(data.clone())
    if data.dtype == torch.bool:  # MXNet: a bool sum (any) divided by n, read as bool
        return legacy(torch.amax(data, dim=dims, keepdim=keepdims))
    if not data.is_floating_point():
        return legacy(_int_mean(data, dims, keepdims))
    return legacy(torch.mean(data, dim=dims, keepdim=keepdims))


@defop("prod", attrs=_RED_ATTRS)
def prod(data, axis, keepdims, exclude):
    """Product over ``axis``."""
    return legacy(_prod(data, reduce_dims("prod", data.shape, axis, exclude), keepdims))


@defop("nansum", attrs=_RED_ATTRS)
def nansum(data, axis, keepdims, exclude):
    """Sum over ``axis`` treating NaN as 0."""
    dims = reduce_dims("nansum", data.shape, axis, exclude)
    if not data.is_floating_point():
        return legacy(_sum(data, dims, keepdims))
    if not dims:
        return legacy(torch.where(torch.isnan(data), torch.zeros_like(data), data))
    return legacy(torch.nansum(data, dim=dims, keepdim=keepdims))


@defop("nanprod", attrs=_RED_ATTRS)
def nanprod(data, axis, keepdims, exclude):
    """Product over ``axis`` treating NaN as 1."""
    dims = reduce_dims("nanprod", data.shape, axis, exclude)
    if data.is_floating_point():
        data = torch.where(torch.isnan(data), torch.ones_like(data), data)
    return legacy(_prod(data, dims, keepdims))


@defop("_square_sum", attrs=_RED_ATTRS)
def square_sum(data, axis, keepdims, exclude):
    """Sum of squares over ``axis`` (MXNet has it for row_sparse only; dense works here)."""
    dims = reduce_dims("_square_sum", data.shape, axis, exclude)
    return legacy(_sum(data * data, dims, keepdims))


# --------------------------------------------------------------------------------------------
# max / min
# --------------------------------------------------------------------------------------------


def _amax(data, dims, keepdim, is_max):
    return torch.amax(data, dim=dims, keepdim=keepdim) if is_max else \
        torch.amin(data, dim=dims, keepdim=keepdim)


class _ExtremumAll(torch.autograd.Function):
    """amax/amin whose gradient goes in full to EVERY element equal to the result (MXNet)."""

    @staticmethod
    def forward(ctx, data, dims, keepdim, is_max):
        out = _amax(data, dims, keepdim, is_max)
        ctx.save_for_backward(data, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        data, out = ctx.saved_tensors
        if not ctx.keepdim:
            for d in ctx.dims:  # ascending: each unsqueeze restores one reduced axis
                out, grad = out.unsqueeze(d), grad.unsqueeze(d)
        return (data == out).to(grad.dtype) * grad, None, None, None


def _extremum(name, data, axis, keepdims, exclude, is_max):
    dims = reduce_dims(name, data.shape, axis, exclude)
    if not dims:
        return legacy(data.clone())
    if data.dtype == torch.bool:
        out = data.any(dim=dims, keepdim=keepdims) if is_max else \
            data.all(dim=dims, keepdim=keepdims)
    elif data.requires_grad and torch.is_grad_enabled():
        out = _ExtremumAll.apply(data, dims, keepdims, is_max)
    else:
        out = _amax(data, dims, keepdims, is_max)
    return legacy(out)


@defop("max", aliases=("max_axis",), attrs=_RED_ATTRS, partial_shape=False)
def max_(data, axis, keepdims, exclude):
    """Maximum over ``axis``; the gradient goes to every maximal element."""
    return _extremum("max", data, axis, keepdims, exclude, True)


@defop("min", aliases=("min_axis",), attrs=_RED_ATTRS, partial_shape=False)
def min_(data, axis, keepdims, exclude):
    """Minimum over ``axis``; the gradient goes to every minimal element."""
    return _extremum("min", data, axis, keepdims, exclude, False)


@defop("_np_cumsum", aliases=("cumsum",), inputs=("a",),
       attrs=(Attr("axis", OPT_INT, None, "Axis to accumulate along; None flattens"),
              Attr("dtype", OPT_DTYPE, None, "Result and accumulator dtype (None: input's)")))
def cumsum(a, axis, dtype):
    """Running sum along ``axis``; ``nd.cumsum`` in 1.x (JSON op name ``_np_cumsum``)."""
    if dtype is not None:
        target = NAME_TO_TORCH[dtype]
    else:
        target = torch.int64 if a.dtype == torch.bool else a.dtype
    if axis is None:
        a, ax = a.reshape(-1), 0
    else:
        # NOTE: MXNet 1.9.1 rejects negative axes here (a bug); they count from the end.
        ax = one_axis("cumsum", a.shape, axis)
    # elements are converted first (1.5 -> 1 for an int32 result), then summed in that dtype
    return torch.cumsum(a.to(target), dim=ax, dtype=target)


# --------------------------------------------------------------------------------------------
# norm / moments
# --------------------------------------------------------------------------------------------


@defop("norm", partial_shape=False,
       attrs=(Attr("ord", INT, 2, "1 (sum of |x|) or 2 (Euclidean)"),
              Attr("axis", AXES, None, "Axis or axes to reduce; None reduces all"),
              Attr("out_dtype", OPT_DTYPE, None, "Output dtype (None: the input dtype)"),
              Attr("keepdims", BOOL, False, "Keep reduced axes with size 1")))
def norm(data, ord, axis, out_dtype, keepdims):  # noqa: A002 - MXNet's attribute name
    """L1 or L2 norm over ``axis`` (flattened: several axes give one vector norm)."""
    if ord not in (1, 2):
        raise MXNetError(f"norm: ord={ord} is not supported; use ord=1 or ord=2")
    dims = reduce_dims("norm", data.shape, axis)
    target = NAME_TO_TORCH[out_dtype] if out_dtype else data.dtype
    # NOTE: out_dtype is the accumulation and output type (MXNet 1.9.1's CPU kernel rejects
    # any out_dtype other than the input dtype; here it converts first).
    work = data.to(target) if target.is_floating_point else data.to(torch.float64)
    out = torch.linalg.vector_norm(work, ord=ord, dim=dims, keepdim=keepdims) if dims \
        else work.abs()
    if not target.is_floating_point:
        out = torch.trunc(out)
    return legacy(out.to(target))


@defop("moments", num_outputs=2,
       attrs=(Attr("axes", AXES, None, "Axes to compute mean and variance over"),
              Attr("keepdims", BOOL, False, "Keep reduced axes with size 1")))
def moments(data, axes, keepdims):
    """Mean and (biased) variance over ``axes``."""
    if axes is None or axes == ():
        raise MXNetError("moments: axes must be given; to reduce everything pass every axis, "
                         f"e.g. axes={tuple(range(data.dim()))}")
    dims = reduce_dims("moments", data.shape, axes)
    if data.is_floating_point():
        var, mu = torch.var_mean(data, dim=dims, correction=0, keepdim=keepdims)
        return legacy(mu), legacy(var)
    mu = _int_mean(data, dims, True)
    var = _int_mean((data - mu) * (data - mu), dims, keepdims)
    return legacy(mu if keepdims else mu.squeeze(dims)), legacy(var)


# --------------------------------------------------------------------------------------------
# argmax / argmin
# --------------------------------------------------------------------------------------------


def _arg(name, fn, data, axis, keepdims):
    work = data.to(torch.uint8) if data.dtype == torch.bool else data
    if axis is None:
        idx = fn(work.reshape(-1))
        shape = (1,) * data.dim() if keepdims and data.dim() else (1,)
        return idx.reshape(shape).to(data.dtype)
    ax = one_axis(name, data.shape, axis)
    idx = fn(work, dim=ax, keepdim=keepdims)
    # NOTE: MXNet returns the indices in the input's dtype (float32 for float32 data).
    return (idx.reshape(1) if idx.dim() == 0 else idx).to(data.dtype)


_ARG_ATTRS = (Attr("axis", OPT_INT, None, "Axis to search; None flattens"),
              Attr("keepdims", BOOL, False, "Keep the reduced axis with size 1"))


@defop("argmax", attrs=_ARG_ATTRS, partial_shape=False)
def argmax(data, axis, keepdims):
    """Index of the maximum along ``axis`` (first one on ties), in the input dtype."""
    return _arg("argmax", torch.argmax, data, axis, keepdims)


@defop("argmin", attrs=_ARG_ATTRS, partial_shape=False)
def argmin(data, axis, keepdims):
    """Index of the minimum along ``axis`` (first one on ties), in the input dtype."""
    return _arg("argmin", torch.argmin, data, axis, keepdims)


@defop("argmax_channel", partial_shape=False)
def argmax_channel(data):
    """Index of the maximum along axis 1, in the input dtype."""
    return _arg("argmax_channel", torch.argmax, data, 1, False)


# --------------------------------------------------------------------------------------------
# sort / argsort / topk
# --------------------------------------------------------------------------------------------


def _sorted(name, data, axis, is_ascend):
    """(values, long indices, axis) of a stable sort along ``axis`` (None: flattened)."""
    if axis is None:
        data, ax = data.reshape(-1), 0
    else:
        ax = one_axis(name, data.shape, axis)
    values, idx = torch.sort(data, dim=ax, descending=not is_ascend, stable=True)
    return values, idx, ax


@defop("sort",
       attrs=(Attr("axis", OPT_INT, -1, "Axis to sort; None sorts the flattened array"),
              Attr("is_ascend", BOOL, True, "Ascending order")))
def sort(data, axis, is_ascend):
    """Sorted values along ``axis``."""
    return _sorted("sort", data, axis, is_ascend)[0]


_INDEX_DTYPE = Attr("dtype", DTYPE, "float32", "Dtype of the returned indices")


@defop("argsort",
       attrs=(Attr("axis", OPT_INT, -1, "Axis to sort; None sorts the flattened array"),
              Attr("is_ascend", BOOL, True, "Ascending order"), _INDEX_DTYPE))
def argsort(data, axis, is_ascend, dtype):
    """Indices that sort ``data`` along ``axis`` (float32 by default)."""
    return _sorted("argsort", data, axis, is_ascend)[1].to(NAME_TO_TORCH[dtype])


def _topk_outputs(a):
    return 2 if a.get("ret_typ") == "both" else 1


def _topk_type(a, in_dtypes):
    """Values and masks keep the data's dtype; indices take ``dtype``."""
    data = in_dtypes[0]
    kinds = {"indices": ("i",), "value": ("v",), "mask": ("v",), "both": ("v", "i")}
    return in_dtypes, [a["dtype"] if k == "i" else data for k in kinds[a["ret_typ"]]]


@defop("topk", num_outputs=_topk_outputs, infer_type=_topk_type,
       attrs=(Attr("axis", OPT_INT, -1, "Axis to search; None uses the flattened array"),
              Attr("k", INT, 1, "How many elements; k <= 0 means all of them"),
              Attr("ret_typ", Enum("both", "indices", "mask", "value"), "indices",
                   "'value', 'indices', 'both' (value and indices) or 'mask'"),
              Attr("is_ascend", BOOL, False, "Take the smallest instead of the largest"),
              _INDEX_DTYPE))
def topk(data, axis, k, ret_typ, is_ascend, dtype):
    """The k largest (or smallest) elements along ``axis``: values, indices or a 0/1 mask."""
    values, idx, ax = _sorted("topk", data, axis, is_ascend)
    size = values.shape[ax]
    if k <= 0:
        k = size
    if k > size:
        raise ShapeError(f"topk: k={k} is larger than the {size} elements along axis {axis} "
                         f"of an input of shape {tuple(data.shape)}")
    values, idx = values.narrow(ax, 0, k), idx.narrow(ax, 0, k)
    if ret_typ == "value":
        return values
    if ret_typ == "mask":
        if axis is None:
            return torch.zeros_like(data).reshape(-1).scatter(0, idx, 1).reshape(data.shape)
        return torch.zeros_like(data).scatter(ax, idx, 1)
    indices = idx.to(NAME_TO_TORCH[dtype])
    return (values, indices) if ret_typ == "both" else indices


# --------------------------------------------------------------------------------------------
# whole-array checks: all_finite, multi_all_finite, multi_sum_sq, allclose, getnnz
# --------------------------------------------------------------------------------------------


def _all_finite(tensors, device):
    ok = torch.ones((), dtype=torch.bool, device=device)
    for t in tensors:
        if t.is_floating_point():
            ok = ok & torch.isfinite(t).all()
    return ok.to(torch.float32).reshape(1)


def _float32_out(attrs, ins):
    return ins, ["float32"]


@defop("all_finite", infer_type=_float32_out, attrs=(Attr("init_output", BOOL, True, "Start from 1 (always the case "
                                                           "here: outputs are not reused)"),))
def all_finite(data, init_output):
    """``[1.0]`` if every element is finite, else ``[0.0]`` (float32, shape (1,))."""
    # NOTE: with init_output=False MXNet leaves a stale output value in place when every
    # element is finite; a functional op has no previous output, so it starts from 1 anyway.
    return _all_finite([data], data.device)


@defop("multi_all_finite", inputs=VARIADIC, num_args="num_arrays", same_dtype=(),
       infer_type=_float32_out,
       attrs=(Attr("num_arrays", INT, 1, "Number of input arrays"),
              Attr("init_output", BOOL, True, "Start from 1 (see all_finite)")))
def multi_all_finite(*data, num_arrays, init_output):
    """``[1.0]`` if every element of every input is finite, else ``[0.0]``."""
    _check_count("multi_all_finite", data, num_arrays)
    return _all_finite(data, data[0].device)


@defop("multi_sum_sq", inputs=VARIADIC, num_args="num_arrays", infer_type=_float32_out,
       attrs=(Attr("num_arrays", INT, doc="Number of input arrays"),))
def multi_sum_sq(*data, num_arrays):
    """Sum of squares of each input, as one float32 vector of length ``num_arrays``."""
    _check_count("multi_sum_sq", data, num_arrays)
    sums = [torch.sum(torch.square(t if t.dtype == torch.float64 else t.to(torch.float32)))
            for t in data]
    return torch.stack(sums).to(torch.float32)


def _check_count(op, data, num_arrays):
    if len(data) != num_arrays:
        raise MXNetError(f"{op}: num_arrays={num_arrays} but {len(data)} arrays were given")


@defop("_contrib_allclose", inputs=("a", "b"),
       attrs=(Attr("rtol", FLOAT, 1e-05, "Relative tolerance"),
              Attr("atol", FLOAT, 1e-08, "Absolute tolerance"),
              Attr("equal_nan", BOOL, True, "Treat NaNs in the same place as equal")))
def allclose(a, b, rtol, atol, equal_nan):
    """1 (uint8, 0-d as in MXNet) if ``|a - b| <= atol + rtol * |b|`` everywhere, else 0."""
    if a.shape != b.shape:
        raise ShapeError(f"_contrib_allclose: inputs must have the same shape, got a "
                         f"{tuple(a.shape)} and b {tuple(b.shape)}")
    close = torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    # NOTE: MXNet returns a 0-d uint8 array here even in legacy shape mode.
    return close.all().to(torch.uint8)


@defop("_contrib_getnnz", attrs=(Attr("axis", OPT_INT, None, "None: total; 1: per row"),))
def getnnz(data, axis):
    """Number of stored (here: non-zero) values, in total or per row (int64)."""
    # NOTE: MXNet takes CSR input only; on a dense array the non-zeros are counted instead.
    nonzero = data != 0
    if axis is None:
        return nonzero.sum(dtype=torch.int64).reshape(1)
    ax = one_axis("_contrib_getnnz", data.shape, axis)
    out = nonzero.sum(dim=tuple(d for d in range(data.dim()) if d != ax), dtype=torch.int64)
    return out.reshape(1) if out.dim() == 0 else out


# --------------------------------------------------------------------------------------------
# _histogram
# --------------------------------------------------------------------------------------------


def _hist_inputs(a):
    return ("data",) if a.get("bin_cnt") is not None else ("data", "bins")


@defop("_histogram", inputs=_hist_inputs, all_inputs=("data", "bins"), num_outputs=2,
       attrs=(Attr("bin_cnt", OPT_INT, None, "Number of equal bins (then range is needed)"),
              Attr("range", Optional(FLOATS), None, "(low, high) of the equal bins")))
def histogram(data, bins=None, *, bin_cnt, range):  # noqa: A002 - MXNet's attribute name
    """Counts (int64) of ``data`` in each bin and the bin edges (data dtype).

    Bins are half-open ``[e_i, e_i+1)`` except the last, which includes its right edge;
    values outside the edges are not counted.
    """
    if bin_cnt is not None:
        if range is None or len(range) != 2:
            raise MXNetError("_histogram: bin_cnt needs range=(low, high)")
        low, high = range
        edges64 = torch.linspace(low, high, bin_cnt + 1, dtype=torch.float64,
                                 device=data.device)
        count = bin_cnt
    else:
        if bins is None:
            raise MXNetError("_histogram: give either a bins array or bin_cnt and range")
        if range is not None:
            raise MXNetError("_histogram: range is only used with bin_cnt")
        edges64 = bins.reshape(-1).to(torch.float64)
        count = edges64.shape[0] - 1
    flat = data.reshape(-1).to(torch.float64)
    idx = torch.bucketize(flat, edges64, right=True) - 1
    # the last bin is closed on the right: a value equal to the top edge belongs to it
    idx = torch.where(flat == edges64[-1], torch.full_like(idx, count - 1), idx)
    valid = (flat >= edges64[0]) & (flat <= edges64[-1])
    idx = torch.where(valid, idx, torch.full_like(idx, count))
    counts = torch.zeros(count + 1, dtype=torch.int64, device=data.device)
    counts = counts.scatter_add(0, idx, torch.ones_like(idx))[:count]
    edges = edges64.to(data.dtype) if bins is None else bins.reshape(-1).clone()
    return counts, edges
