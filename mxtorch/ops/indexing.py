"""Indexing operators: take, batch_take, pick, one_hot, where, gather_nd, scatter_nd,
ravel/unravel, boolean_mask, index_copy, index_array, arange_like and legacy helpers.

MXNet rules encoded here (checked against 1.9.1):
- Index inputs may have any dtype (float32 by default) and are truncated toward zero.
- ``take`` and ``pick`` clip out-of-range indices by default; ``wrap`` takes them modulo the
  axis size; ``take(mode='raise')`` rejects anything outside ``[0, size - 1]``.
- ``one_hot`` rows of out-of-range indices are all ``off_value``.
- ``gather_nd`` accepts negative indices (one wrap) and rejects out-of-range ones;
  ``scatter_nd`` drops out-of-range positions; with duplicate positions the last write wins.
"""
import math

import torch

from ..base import MXNetError, ShapeError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, DTYPE, FLOAT, INT, OPT_INT, SHAPE, STR, Enum, Optional
from ._registry import Attr, defop
from .reduce import AXES, one_axis


class IndexRangeError(MXNetError, IndexError):
    """An index input holds a value outside the axis it indexes."""


def as_index(t):
    """Index tensor as int64, fractional values truncated toward zero (MXNet casts)."""
    if t.dtype == torch.int64:
        return t
    return t.to(torch.int64)  # a float -> int cast truncates toward zero (one kernel)


def _concrete(t):
    """True when values can be inspected (not a meta tensor used for shape inference)."""
    return t.device.type != "meta"


def _fit(idx, size, mode):
    """Bring indices into [0, size) by clipping or wrapping."""
    if mode == "wrap":
        return torch.remainder(idx, size)
    return torch.clamp(idx, 0, max(size - 1, 0))


# --------------------------------------------------------------------------------------------
# take / batch_take / pick
# --------------------------------------------------------------------------------------------


@defop("take", inputs=("a", "indices"), same_dtype=(), partial_shape=("indices",),
       attrs=(Attr("axis", INT, 0, "Axis to take along"),
              Attr("mode", Enum("clip", "raise", "wrap"), "clip",
                   "Out-of-range indices: clip (default), wrap, or raise an error")))
def take(a, indices, axis, mode):
    """Slices of ``a`` along ``axis`` at ``indices``; shape a[:axis] + indices + a[axis+1:]."""
    ax = one_axis("take", a.shape, axis)
    size = a.shape[ax]
    if mode == "raise" and _concrete(indices) and indices.numel():
        # NOTE: MXNet compares the raw (possibly fractional) values: 2.5 is invalid for size 3.
        bad = (indices < 0) | (indices > size - 1)
        if bool(bad.any()):
            value = indices[bad].reshape(-1)[0].item()
            raise IndexRangeError(f"take: index {value:g} is out of range for axis {axis} of size "
                                  f"{size} (mode='raise'); valid indices are 0..{size - 1}")
    idx = _fit(as_index(indices), size, mode)
    # advanced indexing gives a[:axis] + indices + a[axis+1:] directly (no reshaped view)
    return a[(slice(None),) * ax + (idx,)]


def _batch_take_type(attrs, ins):
    """The output has the data's type; an index of unknown type is int32 (MXNet 1.9.1)."""
    return [ins[0], ins[1] if ins[1] is not None else torch.int32], [ins[0]]


@defop("batch_take", inputs=("a", "indices"), same_dtype=(), infer_type=_batch_take_type)
def batch_take(a, indices):
    """``a`` viewed as (N, M): element ``indices[i]`` (clipped) of row i; shape of indices."""
    if a.dim() < 2:
        raise ShapeError(f"batch_take: 'a' must have at least 2 dimensions, got shape "
                         f"{tuple(a.shape)}")
    cols = a.shape[-1]
    rows = a.reshape(-1, cols)
    if indices.numel() != rows.shape[0]:
        raise ShapeError(f"batch_take: 'indices' has {indices.numel()} elements but 'a' of "
                         f"shape {tuple(a.shape)} has {rows.shape[0]} rows of length {cols}")
    idx = _fit(as_index(indices).reshape(-1, 1), cols, "clip")
    return torch.gather(rows, 1, idx).reshape(indices.shape)


def _pick_shape(a, in_shapes):
    """index: data without the picked axis; output: the same (size 1 there with keepdims)."""
    data, index = in_shapes
    if data is None or a["axis"] is None:
        return in_shapes, None
    ax = one_axis("pick", data, a["axis"])
    dropped = (tuple(data[:ax]) + tuple(data[ax + 1:])) or (1,)  # MXNet: 1-d data gives (1,)
    out = tuple(data[:ax]) + (1,) + tuple(data[ax + 1:]) if a["keepdims"] else dropped
    return [data, dropped if index is None else index], [out]


@defop("pick", aliases=("choose_element_0index",), inputs=("data", "index"), same_dtype=(),
       infer_shape=_pick_shape,
       attrs=(Attr("axis", OPT_INT, -1, "Axis to pick along"),
              Attr("keepdims", BOOL, False, "Keep the picked axis with size 1"),
              Attr("mode", Enum("clip", "wrap"), "clip", "Out-of-range indices: clip or wrap")))
def pick(data, index, axis, keepdims, mode):
    """One element along ``axis`` per position, chosen by ``index``."""
    if axis is None:
        raise MXNetError("pick: axis=None is not supported; give the axis to pick along")
    ax = one_axis("pick", data.shape, axis)
    kept = data.shape[:ax] + (1,) + data.shape[ax + 1:]
    dropped = (data.shape[:ax] + data.shape[ax + 1:]) or (1,)  # MXNet: 1-d data gives (1,)
    if index.shape not in (kept, dropped):
        raise ShapeError(f"pick: 'index' has shape {tuple(index.shape)}, expected "
                         f"{tuple(dropped)} (or {tuple(kept)}) for data of shape "
                         f"{tuple(data.shape)} and axis={axis}")
    idx = _fit(as_index(index), data.shape[ax], mode).reshape(kept)
    out = torch.gather(data, ax, idx)
    return out if keepdims or data.dim() == 1 else out.squeeze(ax)


# --------------------------------------------------------------------------------------------
# one_hot / where
# --------------------------------------------------------------------------------------------


def _fill_values(values, dtype, device):
    """(off, on) as a tensor of ``dtype``, converted the way a C cast would (wrapping ints)."""
    pair = torch.tensor(values, dtype=torch.float64, device=device)
    if dtype == torch.bool:
        return pair != 0
    if not dtype.is_floating_point:
        return torch.trunc(pair).to(torch.int64).to(dtype)
    return pair.to(dtype)


@defop("one_hot", inputs=("indices",), partial_shape=False,
       attrs=(Attr("depth", INT, doc="Length of the one-hot axis"),
              Attr("on_value", FLOAT, 1.0, "Value at the index"),
              Attr("off_value", FLOAT, 0.0, "Value elsewhere"),
              Attr("dtype", DTYPE, "float32", "Output dtype")))
def one_hot(indices, depth, on_value, off_value, dtype):
    """Append an axis of length ``depth``: on_value at the (truncated) index, else off_value."""
    idx = as_index(indices).unsqueeze(-1)
    hit = idx == torch.arange(depth, device=indices.device)
    values = _fill_values((off_value, on_value), NAME_TO_TORCH[dtype], indices.device)
    return values[hit.to(torch.int64)]


def _merge_dims(*shapes):
    """One shape from several of one rank, unknown (0) dims taken from the others."""
    known = [s for s in shapes if s is not None]
    if not known or any(len(s) != len(known[0]) for s in known):
        return None
    return tuple(next((d for d in dims if d), 0) for dims in zip(*known))


def _where_shape(attrs, in_shapes):
    """MXNet's rule: with a complete condition, x, y and the output share one shape (dims
    merged), and a same-rank condition is part of it; a 1-D one needs x/y's first dim."""
    cond, x, y = in_shapes
    if not cond or not all(cond):
        return in_shapes, None
    same_rank = len(cond) == len((x or y) or cond)
    shape = _merge_dims(x, y, cond if same_rank else None)
    if shape is None:
        return in_shapes, None
    if not same_rank:
        if len(cond) != 1 or not shape or shape[0] != cond[0]:
            return in_shapes, None  # MXNet fails here; the compute reports a real mismatch
    return [cond, shape, shape], [shape]


@defop("where", inputs=("condition", "x", "y"), same_dtype=("x", "y"), infer_shape=_where_shape,
       partial_shape=False)
def where(condition, x, y):
    """``x`` where condition is non-zero, else ``y``; a 1-D condition picks whole rows."""
    if x.shape != y.shape:
        raise ShapeError(f"where: 'x' {tuple(x.shape)} and 'y' {tuple(y.shape)} must have the "
                         "same shape")
    if condition.shape != x.shape:
        if condition.dim() != 1 or x.dim() < 1 or condition.shape[0] != x.shape[0]:
            raise ShapeError(f"where: 'condition' has shape {tuple(condition.shape)}; expected "
                             f"{tuple(x.shape)} or ({x.shape[0] if x.dim() else 0},) to select "
                             "rows")
        condition = condition.reshape((-1,) + (1,) * (x.dim() - 1))
    return torch.where(condition != 0, x, y)


# --------------------------------------------------------------------------------------------
# gather_nd / scatter_nd / _scatter_set_nd
# --------------------------------------------------------------------------------------------


def _nd_positions(op, indices, shape):
    """(index tensors per axis, M) for indices of shape (M, ...) into ``shape``."""
    if indices.dim() < 1 or indices.shape[0] > len(shape):
        raise ShapeError(f"{op}: 'indices' has shape {tuple(indices.shape)}; its first "
                         f"dimension ({indices.shape[0] if indices.dim() else 0}) indexes the "
                         f"first axes of shape {tuple(shape)} and cannot exceed {len(shape)}")
    return as_index(indices), indices.shape[0]


@defop("gather_nd", inputs=("data", "indices"), same_dtype=(), partial_shape=False)
def gather_nd(data, indices):
    """``out[y...] = data[indices[0, y...], ..., indices[M-1, y...], ...]``."""
    if indices.dim() < 2:
        raise ShapeError(f"gather_nd: 'indices' needs at least 2 dimensions (M, ...), got "
                         f"shape {tuple(indices.shape)}")
    idx, m = _nd_positions("gather_nd", indices, data.shape)
    if _concrete(indices) and indices.numel():
        for k in range(m):
            size = data.shape[k]
            bad = (idx[k] < -size) | (idx[k] > size - 1)  # int64: uint8 cannot hold -size
            if bool(bad.any()):
                value = indices[k][bad].reshape(-1)[0].item()
                raise IndexRangeError(f"gather_nd: index {value:g} is out of range for axis {k} "
                                      f"of size {size}")
    # NOTE: negative indices count from the end (once), like Python indexing.
    parts = [torch.remainder(idx[k], data.shape[k]) for k in range(m)]
    return data[tuple(parts)]


def _scatter(op, base, data, indices, shape, accumulate=False):
    """Write (or, with ``accumulate``, add) ``data`` at the ``indices`` positions of ``base``
    (shape ``shape``)."""
    idx, m = _nd_positions(op, indices, shape)
    lead = idx.shape[1:]
    expect = tuple(lead) + tuple(shape[m:])
    if tuple(data.shape) != expect:
        raise ShapeError(f"{op}: data has shape {tuple(data.shape)}, expected {expect} for "
                         f"indices {tuple(indices.shape)} and shape={tuple(shape)}")
    rows = math.prod(shape[:m])
    flat = torch.zeros(lead, dtype=torch.int64, device=data.device)
    valid = torch.ones(lead, dtype=torch.bool, device=data.device)
    for k in range(m):
        valid &= (idx[k] >= 0) & (idx[k] < shape[k])
        flat = flat * shape[k] + idx[k]
    # NOTE: MXNet skips out-of-range positions; they are sent to a spare row and dropped.
    flat = torch.where(valid, flat, torch.full_like(flat, rows))
    tail = tuple(shape[m:])
    target = torch.cat([base.reshape((rows,) + tail),
                        torch.zeros((1,) + tail, dtype=base.dtype, device=base.device)])
    out = target.index_put((flat.reshape(-1),), data.reshape((-1,) + tail),
                           accumulate=accumulate)
    return out[:rows].reshape(tuple(shape))


@defop("scatter_nd", inputs=("data", "indices"), same_dtype=(),
       attrs=(Attr("shape", SHAPE, doc="Shape of the output"),))
def scatter_nd(data, indices, shape):
    """Zeros of ``shape`` with ``data`` written at ``indices`` (inverse of gather_nd)."""
    base = torch.zeros(tuple(shape), dtype=data.dtype, device=data.device)
    return _scatter("scatter_nd", base, data, indices, shape)


@defop("_backward_gather_nd", inputs=("data", "indices"), same_dtype=(),
       attrs=(Attr("shape", SHAPE, doc="Shape of the output"),))
def backward_gather_nd(data, indices, shape):
    """gather_nd's gradient: zeros of ``shape`` with ``data`` added at ``indices`` (repeated
    positions sum, unlike scatter_nd)."""
    base = torch.zeros(tuple(shape), dtype=data.dtype, device=data.device)
    return _scatter("_backward_gather_nd", base, data, indices, shape, accumulate=True)


@defop("_scatter_set_nd", inputs=("lhs", "rhs", "indices"), same_dtype=("lhs", "rhs"),
       attrs=(Attr("shape", SHAPE, doc="Shape of lhs"),))
def scatter_set_nd(lhs, rhs, indices, shape):
    """``lhs`` with ``rhs`` written at ``indices`` (MXNet runs it with out=lhs)."""
    if tuple(lhs.shape) != tuple(shape):
        raise ShapeError(f"_scatter_set_nd: lhs has shape {tuple(lhs.shape)}, but "
                         f"shape={tuple(shape)}")
    return _scatter("_scatter_set_nd", lhs, rhs, indices, shape)


# --------------------------------------------------------------------------------------------
# ravel / unravel
# --------------------------------------------------------------------------------------------


def _need_shape(op, shape):
    if not shape:
        raise MXNetError(f"{op}: the shape attribute is required, e.g. shape=(3, 5)")


@defop("_ravel_multi_index", aliases=("ravel_multi_index",),
       attrs=(Attr("shape", Optional(SHAPE), None, "Shape of the indexed array"),))
def ravel_multi_index(data, shape):
    """Flat indices from a (len(shape), N) array of coordinates (no bounds check)."""
    _need_shape("_ravel_multi_index", shape)
    if data.dim() != 2 or data.shape[0] != len(shape):
        raise ShapeError(f"_ravel_multi_index: data must have shape ({len(shape)}, N) for "
                         f"shape={tuple(shape)}, got {tuple(data.shape)}")
    idx = as_index(data)
    flat = torch.zeros(data.shape[1:], dtype=torch.int64, device=data.device)
    for k, size in enumerate(shape):
        flat = flat * size + idx[k]
    return flat.to(data.dtype)


@defop("_unravel_index", aliases=("unravel_index",),
       attrs=(Attr("shape", Optional(SHAPE), None, "Shape of the indexed array"),))
def unravel_index(data, shape):
    """Coordinates (len(shape), ...) of flat indices; the first axis is not wrapped."""
    _need_shape("_unravel_index", shape)
    rest = as_index(data)
    coords = []
    for size in reversed(shape[1:]):
        # NOTE: C-style remainder and division, as MXNet: -1 unravels to (0, -1).
        coords.append(torch.fmod(rest, size))
        rest = torch.div(rest, size, rounding_mode="trunc")
    coords.append(rest)
    return torch.stack(coords[::-1]).to(data.dtype)


# --------------------------------------------------------------------------------------------
# legacy helpers: fill_element_0index, _onehot_encode
# --------------------------------------------------------------------------------------------


@defop("fill_element_0index", inputs=("lhs", "mhs", "rhs"), same_dtype=("lhs", "mhs"))
def fill_element_0index(lhs, mhs, rhs):
    """Copy of 2-D ``lhs`` with ``out[i, rhs[i]] = mhs[i]`` (out-of-range rows unchanged)."""
    if lhs.dim() != 2 or mhs.shape != (lhs.shape[0],) or rhs.shape != (lhs.shape[0],):
        raise ShapeError(f"fill_element_0index: expected lhs (N, M) with mhs and rhs of shape "
                         f"(N,), got {tuple(lhs.shape)}, {tuple(mhs.shape)}, {tuple(rhs.shape)}")
    idx = as_index(rhs)
    cols = lhs.shape[1]
    valid = (idx >= 0) & (idx < cols)
    hit = (idx.unsqueeze(1) == torch.arange(cols, device=lhs.device)) & valid.unsqueeze(1)
    return torch.where(hit, mhs.unsqueeze(1), lhs)


@defop("_onehot_encode", inputs=("lhs", "rhs"), same_dtype=())
def onehot_encode(lhs, rhs):
    """One-hot rows of the indices ``lhs`` in an array shaped (and typed) like ``rhs``."""
    if rhs.dim() != 2 or lhs.shape != (rhs.shape[0],):
        raise ShapeError(f"_onehot_encode: expected indices (N,) and an (N, depth) array, got "
                         f"{tuple(lhs.shape)} and {tuple(rhs.shape)}")
    hit = as_index(lhs).unsqueeze(1) == torch.arange(rhs.shape[1], device=rhs.device)
    return hit.to(rhs.dtype)


# --------------------------------------------------------------------------------------------
# contrib: boolean_mask, index_copy, index_array, arange_like
# --------------------------------------------------------------------------------------------


def _boolean_mask_shape(attrs, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    axis = attrs["axis"] % max(len(data), 1)
    index = (data[axis],)
    # NOTE: the selected length depends on the index VALUES: 0 marks it unknown (MXNet's
    # legacy convention), so static inference can never give the full shape.
    out = tuple(data[:axis]) + (0,) + tuple(data[axis + 1:])
    return [data, index], [out]


@defop("_contrib_boolean_mask", inputs=("data", "index"), same_dtype=(),
       infer_shape=_boolean_mask_shape, shape_rule="value",
       attrs=(Attr("axis", INT, 0, "Axis to select along"),))
def boolean_mask(data, index, axis):
    """Slices of ``data`` along ``axis`` where ``index`` is non-zero (value-dependent shape)."""
    ax = one_axis("_contrib_boolean_mask", data.shape, axis)
    if index.dim() != 1 or index.shape[0] != data.shape[ax]:
        raise ShapeError(f"_contrib_boolean_mask: 'index' must have shape ({data.shape[ax]},) "
                         f"to select along axis {axis} of data {tuple(data.shape)}, got "
                         f"{tuple(index.shape)}")
    if not _concrete(index):
        # NOTE: shape inference (meta tensors) cannot know how many slices are kept; the empty
        # selection reads as "unknown length" (0) under MXNet's legacy shape convention.
        return data.narrow(ax, 0, 0)
    keep = torch.nonzero(index != 0).reshape(-1)
    return torch.index_select(data, ax, keep)


@defop("_contrib_index_copy", inputs=("old_tensor", "index_vector", "new_tensor"),
       same_dtype=("old_tensor", "new_tensor"))
def index_copy(old_tensor, index_vector, new_tensor):
    """Copy of ``old_tensor`` whose rows ``index_vector[i]`` are replaced by new_tensor[i]."""
    idx = as_index(index_vector).reshape(-1)
    expect = (idx.shape[0],) + tuple(old_tensor.shape[1:])
    if tuple(new_tensor.shape) != expect:
        raise ShapeError(f"_contrib_index_copy: new_tensor has shape {tuple(new_tensor.shape)}, "
                         f"expected {expect} for {idx.shape[0]} indices into "
                         f"{tuple(old_tensor.shape)}")
    rows = old_tensor.shape[0]
    if _concrete(idx) and idx.numel() and bool(((idx < 0) | (idx >= rows)).any()):
        # NOTE: MXNet writes out of bounds here (memory corruption); mxtorch refuses.
        raise IndexRangeError(f"_contrib_index_copy: index_vector holds values outside "
                              f"0..{rows - 1} (old_tensor has {rows} rows)")
    return old_tensor.index_copy(0, idx, new_tensor)


@defop("_contrib_index_array", attrs=(Attr("axes", AXES, None, "Axes to report (None: all)"),))
def index_array(data, axes):
    """int64 array of shape data.shape + (len(axes),): each element's coordinates."""
    ndim = data.dim()
    if axes is None:
        picked = list(range(ndim))
    else:
        picked = [one_axis("_contrib_index_array", data.shape, a)
                  for a in ((axes,) if isinstance(axes, int) else axes)]
    shape = tuple(data.shape)
    cols = []
    for ax in picked:
        view = [1] * ndim
        view[ax] = shape[ax]
        cols.append(torch.arange(shape[ax], device=data.device).reshape(view).expand(shape))
    if not cols:
        return torch.zeros(shape + (0,), dtype=torch.int64, device=data.device)
    return torch.stack(cols, dim=-1)


@defop("_contrib_arange_like",
       attrs=(Attr("start", FLOAT, 0.0, "First value"),
              Attr("step", FLOAT, 1.0, "Spacing between values"),
              Attr("repeat", INT, 1, "Times each value repeats"),
              Attr("ctx", STR, "", "Ignored: the output lives with data"),
              Attr("axis", OPT_INT, None, "Length from this axis (None: the whole shape)")))
def arange_like(data, start, step, repeat, ctx, axis):
    """start, start+step, ... (each ``repeat`` times) shaped like data or like one axis."""
    if axis is None:
        shape = tuple(data.shape)
    else:
        shape = (data.shape[one_axis("_contrib_arange_like", data.shape, axis)],)
    count = math.prod(shape)
    if not data.is_floating_point():
        # NOTE: for integer data MXNet truncates start and step before counting.
        start, step = float(int(start)), float(int(step))
    pos = torch.div(torch.arange(count, device=data.device), max(repeat, 1),
                    rounding_mode="floor")
    values = start + step * pos.to(torch.float64)
    return values.to(data.dtype).reshape(shape)
