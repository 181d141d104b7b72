"""Shape and layout operators: Reshape (with MXNet's special codes) and friends, joining and
splitting, slicing, tiling and broadcasting, flips and block rearrangements, padding and
patch extraction, shape queries. Sequence* operators live in ``sequence``.

Reshape codes (MXNet legacy ``shape`` attribute):
  0 copy the input dim, -1 infer from the rest, -2 copy all remaining input dims,
  -3 merge two consecutive input dims, -4 split one input dim into the next two values
  (either may be -1). ``reverse=True`` reverses both the input shape and the code list, runs
  the rules, and reverses the result (so a -4 takes the two values *before* it).

Conventions: axes may be negative unless noted; results that torch can give as views of the
input (slices, splits, transposes) are views, like the core's Reshape.
"""
import math

import torch
import torch.nn.functional as F

from ..base import ShapeError
from ._attrs import BOOL, FLOAT, INT, OPT_INT, OPT_SHAPE, SHAPE, Enum, Optional, TupleKind
from ._registry import Attr, VARIADIC, defop

# begin/end/step of ``slice``: ints or None ("(None, 1)").
SLICE_TUPLE = TupleKind(int, allow_none=True)


def norm_axis(op, axis, ndim, what="axis"):
    """``axis`` in [0, ndim) (negative counts from the end); ShapeError naming ``op`` if not."""
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{op}: {what}={axis} is out of range for an input with {ndim} dims "
                         f"(valid: {-ndim}..{ndim - 1})")
    return axis % ndim


# ============================================================================================
# Reshape
# ============================================================================================


def infer_reshape(src, codes, reverse=False, op_name="Reshape", partial=False):
    """Target shape of reshaping ``src`` with MXNet's special ``codes``.

    ``partial=True`` accepts unknown input dims (0, MXNet legacy): they stay unknown in the
    result and the element-count check is skipped.
    """
    src = tuple(src)
    codes = tuple(codes)
    if reverse:
        out = _reshape_forward(src[::-1], codes[::-1], op_name, src, codes, partial)
        return tuple(out[::-1])
    return tuple(_reshape_forward(src, codes, op_name, src, codes, partial))


def _reshape_forward(src, codes, op_name, orig_src, orig_codes, partial):
    def fail(why):
        raise ShapeError(f"{op_name}: cannot reshape array of shape {orig_src} with shape="
                         f"{orig_codes}: {why}")
    out, infer_at, i, j = [], None, 0, 0
    while i < len(codes):
        code = codes[i]
        if code > 0:
            out.append(code)
            j += 1
        elif code == 0:
            if j >= len(src):
                fail("code 0 refers to an input dim that does not exist")
            out.append(src[j])
            j += 1
        elif code == -1:
            if infer_at is not None:
                fail("more than one -1")
            infer_at = len(out)
            out.append(-1)
            j += 1
        elif code == -2:
            out.extend(src[j:])
            j = len(src)
        elif code == -3:
            if j + 1 >= len(src):
                fail("-3 needs two input dims to merge")
            out.append(src[j] * src[j + 1])
            j += 2
        elif code == -4:
            if i + 2 >= len(codes) or j >= len(src):
                fail("-4 must be followed by two values and refer to an input dim")
            out.extend(_split_dim(src[j], codes[i + 1], codes[i + 2], fail))
            j += 1
            i += 2
        else:
            fail(f"unknown special code {code}")
        i += 1
    return _finish_reshape(src, out, infer_at, partial, fail)


def _split_dim(dim, a, b, fail):
    if a == -1 and b == -1:
        fail("-4 cannot split into two unknown (-1) dims")
    if dim == 0:  # unknown input dim (partial inference)
        return (0 if a == -1 else a, 0 if b == -1 else b)
    if a == -1:
        a = dim // b if b else 0
    if b == -1:
        b = dim // a if a else 0
    if a * b != dim:
        fail(f"-4 cannot split dim {dim} into ({a}, {b})")
    return a, b


def _finish_reshape(src, out, infer_at, partial, fail):
    if partial and 0 in src:
        if infer_at is not None:
            out[infer_at] = 0
        return out
    total = math.prod(src)
    if infer_at is not None:
        known = math.prod(d for k, d in enumerate(out) if k != infer_at)
        if known == 0 or total % known:
            fail(f"cannot infer -1 from {total} elements")
        out[infer_at] = total // known
    if math.prod(out) != total:
        fail(f"target {tuple(out)} has {math.prod(out)} elements, the input has {total}")
    return out


def _reshape_codes(src, shape, target_shape, keep_highest):
    """Codes for Reshape, translating the deprecated target_shape/keep_highest attributes."""
    if shape or not target_shape:
        return shape
    # NOTE: legacy form: a 0 in target_shape is the one dim to infer; keep_highest replaces
    # the first target dim by the input's first dim (checked on 1.9.1).
    codes = list(target_shape)
    if keep_highest:
        codes[0] = src[0]
    return tuple(-1 if d == 0 else d for d in codes)


def _reshape_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    codes = _reshape_codes(data, a["shape"], a["target_shape"], a["keep_highest"])
    out = infer_reshape(data, codes, a["reverse"], partial=True)
    unknown = [k for k, d in enumerate(data) if not d]
    if len(unknown) == 1 and all(out):  # one unknown input dim follows from the element count
        rest = math.prod(d for d in data if d)
        if math.prod(out) % rest == 0:
            data = tuple(math.prod(out) // rest if not d else d for d in data)
    return [data], [out]


def _reshape_from_output(a, in_shapes, out_shapes):
    """MXNet's backward rule: one unknown data dim follows from the output's element count."""
    data, out = in_shapes[0], out_shapes[0]
    if data is None or sum(1 for d in data if not d) != 1:
        return in_shapes
    rest = math.prod(d for d in data if d)
    if math.prod(out) % rest:
        return in_shapes
    return [tuple(math.prod(out) // rest if not d else d for d in data)]


@defop("Reshape", aliases=("reshape",), inputs=("data",),
       attrs=(Attr("shape", SHAPE, (), "Target shape with special codes 0/-1/-2/-3/-4"),
              Attr("reverse", BOOL, False, "Apply the special codes from the right"),
              Attr("target_shape", SHAPE, (), "Deprecated: use shape"),
              Attr("keep_highest", BOOL, False, "Deprecated: use shape")),
       infer_shape=_reshape_shape, infer_input_from_output=_reshape_from_output)
def reshape(data, shape, reverse, target_shape, keep_highest):
    """Reshape ``data``; the element count must not change (MXNet's codes are supported)."""
    codes = _reshape_codes(data.shape, shape, target_shape, keep_highest)
    return data.reshape(infer_reshape(data.shape, codes, reverse))


def _like_range(op, side, begin, end, ndim):
    b = 0 if begin is None else (begin + ndim if begin < 0 else begin)
    e = ndim if end is None else (end + ndim if end < 0 else end)
    if not 0 <= b < e <= ndim:
        raise ShapeError(f"{op}: {side}_begin={begin}, {side}_end={end} is not a non-empty "
                         f"range of the {ndim} {side} dims")
    return b, e


@defop("reshape_like", inputs=("lhs", "rhs"), same_dtype=(),
       attrs=(Attr("lhs_begin", OPT_INT, None, "First lhs dim to replace"),
              Attr("lhs_end", OPT_INT, None, "End (exclusive) of the lhs dims to replace"),
              Attr("rhs_begin", OPT_INT, None, "First rhs dim to copy"),
              Attr("rhs_end", OPT_INT, None, "End (exclusive) of the rhs dims to copy")))
def reshape_like(lhs, rhs, lhs_begin, lhs_end, rhs_begin, rhs_end):
    """Reshape ``lhs`` so that its dims [lhs_begin, lhs_end) become rhs's [rhs_begin, rhs_end)."""
    lb, le = _like_range("reshape_like", "lhs", lhs_begin, lhs_end, lhs.dim())
    rb, re = _like_range("reshape_like", "rhs", rhs_begin, rhs_end, rhs.dim())
    target = tuple(lhs.shape[:lb]) + tuple(rhs.shape[rb:re]) + tuple(lhs.shape[le:])
    if math.prod(target) != lhs.numel():
        raise ShapeError(f"reshape_like: cannot reshape lhs of shape {tuple(lhs.shape)} to "
                         f"{target} (taken from rhs of shape {tuple(rhs.shape)}): the element "
                         f"counts differ")
    return lhs.reshape(target)


@defop("Flatten", aliases=("flatten",), inputs=("data",), partial_shape=False)
def flatten(data):
    """Collapse all axes but the first: (d0, d1, ..., dk) -> (d0, d1*...*dk)."""
    if data.dim() == 0:
        return data.reshape(1, 1)
    return data.reshape(data.shape[0], math.prod(data.shape[1:]))


@defop("transpose", inputs=("data",), attrs=(Attr("axes", SHAPE, (), "Target axis order"),))
def transpose(data, axes):
    """Permute axes; with no ``axes`` reverse them."""
    if not axes:
        return data.permute(*reversed(range(data.dim())))
    if len(axes) != data.dim() or sorted(a % max(data.dim(), 1) for a in axes) != \
            list(range(data.dim())):
        raise ShapeError(f"transpose: axes={axes} must list each of the {data.dim()} axes once")
    return data.permute(*axes)


@defop("expand_dims", inputs=("data",), attrs=(Attr("axis", INT, doc="Position of the new axis"),))
def expand_dims(data, axis):
    """Insert a size-1 axis at ``axis`` (negative counts from the end of the result)."""
    return data.unsqueeze(norm_axis("expand_dims", axis, data.dim() + 1))


@defop("SwapAxis", aliases=("swapaxes",), inputs=("data",),
       attrs=(Attr("dim1", INT, 0, "First axis"), Attr("dim2", INT, 0, "Second axis")))
def swap_axis(data, dim1, dim2):
    """Exchange two axes."""
    d1 = norm_axis("SwapAxis", dim1, data.dim(), "dim1")
    d2 = norm_axis("SwapAxis", dim2, data.dim(), "dim2")
    return data.transpose(d1, d2).contiguous()


@defop("squeeze", inputs=("data",), partial_shape=False, attrs=(Attr("axis", Optional(SHAPE), None, "Axes to drop"),))
def squeeze(data, axis):
    """Drop size-1 axes (all, or those in ``axis``); never returns a 0-d array (legacy shape)."""
    if axis is None:
        out = data.squeeze()
    else:
        axes = tuple(norm_axis("squeeze", ax, data.dim()) for ax in axis)
        for ax in axes:
            if data.shape[ax] != 1:
                raise ShapeError(f"squeeze: axis {ax} of shape {tuple(data.shape)} has size "
                                 f"{data.shape[ax]}, expected 1")
        out = data.squeeze(axes)
    return out.reshape(1) if out.dim() == 0 else out


# ============================================================================================
# joining and splitting
# ============================================================================================


def _check_concat(op, tensors, axis):
    first = tuple(tensors[0].shape)
    for i, t in enumerate(tensors[1:], 1):
        shape = tuple(t.shape)
        if len(shape) != len(first) or any(a != b for k, (a, b) in enumerate(zip(shape, first))
                                           if k != axis):
            want = ", ".join("*" if k == axis else str(d) for k, d in enumerate(first))
            raise ShapeError(f"{op}: input 'arg{i}' has shape {shape}, expected ({want}) like "
                             f"'arg0' (inputs may differ only on dim {axis})")


def _concat_shape(op, a, in_shapes):
    """Fill unknown (0) dims off the concat axis from the other inputs; sum the axis."""
    known = [s for s in in_shapes if s is not None]
    if not known:
        return in_shapes, None
    ndim = len(known[0])
    axis = norm_axis(op, a["dim"], ndim, "dim")
    template = [0] * ndim
    for i, s in enumerate(in_shapes):
        if s is None:
            continue
        if len(s) != ndim or any(d and template[k] and d != template[k]
                                 for k, d in enumerate(s) if k != axis):
            want = ", ".join("*" if k == axis else str(d or "?") for k, d in enumerate(template))
            raise ShapeError(f"{op}: input 'arg{i}' has shape {s}, expected "
                             f"({want}) like the inputs before it (they may differ only on "
                             f"dim {axis})")
        for k, d in enumerate(s):
            if k != axis and d:
                template[k] = d
    filled = [tuple(template) if s is None else
              tuple(template[k] if (k != axis and not d) else d for k, d in enumerate(s))
              for s in in_shapes]
    out = list(template)
    # NOTE: the joined dim stays unknown (0) until every input's dim is known.
    out[axis] = 0 if any(not s[axis] for s in filled) else sum(s[axis] for s in filled)
    return filled, [tuple(out)]


def _concat(op):
    def compute(*tensors, num_args, dim):
        if not tensors:
            raise ShapeError(f"{op}: needs at least one input")
        axis = norm_axis(op, dim, tensors[0].dim(), "dim")
        _check_concat(op, tensors, axis)
        return torch.cat(tensors, dim=axis)
    compute.__doc__ = "Join the inputs along dim ``dim`` (default 1)."
    return compute


_CONCAT_ATTRS = (Attr("num_args", INT, doc="Number of inputs"),
                 Attr("dim", INT, 1, "Axis to join along"))

def _concat_from_output(a, in_shapes, out_shapes):
    """MXNet's backward rule: an input whose size along ``dim`` is known takes its other
    (unknown) dims from the output; inputs of unknown size along ``dim`` stay as they are."""
    out = out_shapes[0]
    axis = a["dim"] % len(out)
    return [s if s is None or len(s) != len(out) or not s[axis] else
            tuple(d if (k == axis or d) else o for k, (d, o) in enumerate(zip(s, out)))
            for s in in_shapes]


defop("Concat", aliases=("concat",), inputs=VARIADIC, num_args="num_args", attrs=_CONCAT_ATTRS,
      infer_shape=lambda a, s: _concat_shape("Concat", a, s),
      infer_input_from_output=_concat_from_output)(_concat("Concat"))
# NOTE: _rnn_param_concat (Concat for RNN parameter blocks) is defined in ops/rnn.py.


def _stack_shape(a, in_shapes):
    """All inputs share one shape; the output comes once the known inputs' dims together are
    complete (as MXNet: inputs are not filled)."""
    known = [s for s in in_shapes if s is not None]
    if not known:
        return in_shapes, None
    ndim = len(known[0])
    shape = tuple(next((s[k] for s in known if len(s) == ndim and s[k]), 0)
                  for k in range(ndim))
    if not all(shape):
        return in_shapes, None
    out = list(shape)
    out.insert(norm_axis("stack", a["axis"], ndim + 1), len(in_shapes))
    return in_shapes, [tuple(out)]


@defop("stack", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("axis", INT, 0, "Position of the new axis in the result"),
              Attr("num_args", INT, doc="Number of inputs")),
       infer_shape=_stack_shape, partial_shape=False)
def stack(*tensors, axis, num_args):
    """Join same-shaped inputs along a new axis."""
    if not tensors:
        raise ShapeError("stack: needs at least one input")
    first = tuple(tensors[0].shape)
    for i, t in enumerate(tensors[1:], 1):
        if tuple(t.shape) != first:
            raise ShapeError(f"stack: input 'arg{i}' has shape {tuple(t.shape)}, expected "
                             f"{first} like 'arg0' (stacked inputs must share one shape)")
    return torch.stack(tensors, dim=norm_axis("stack", axis, len(first) + 1))


def _pieces(data, axis, bounds, squeeze_axis, op):
    """Slices [start, end) of ``data`` along ``axis`` (squeezed if asked)."""
    parts = []
    for start, end in bounds:
        part = data.narrow(axis, start, end - start)
        if squeeze_axis:
            if end - start != 1:
                raise ShapeError(f"{op}: squeeze_axis=True needs pieces of size 1 on axis "
                                 f"{axis}, got a piece of size {end - start}")
            # NOTE: MXNet returns 0-d arrays here when the input is 1-D (checked on 1.9.1).
            part = part.squeeze(axis)
        parts.append(part)
    return parts[0] if len(parts) == 1 else tuple(parts)


def _slice_channel_from_output(a, in_shapes, out_shapes):
    """MXNet's backward rule: the data's unknown dims come from any complete piece (every
    piece has one shape; the split axis is ``num_outputs`` times the piece's)."""
    piece = next((s for s in out_shapes if s and all(s)), None)
    data = in_shapes[0]
    if piece is None:
        return in_shapes
    ndim = len(piece) + (1 if a["squeeze_axis"] else 0)
    if data is not None and len(data) != ndim:
        return in_shapes
    ax = a["axis"] % ndim
    if a["squeeze_axis"]:
        full = piece[:ax] + (a["num_outputs"],) + piece[ax:]
    else:
        full = piece[:ax] + (piece[ax] * a["num_outputs"],) + piece[ax + 1:]
    return [full if data is None else tuple(d or f for d, f in zip(data, full))]


@defop("SliceChannel", aliases=("split",), inputs=("data",),
       attrs=(Attr("num_outputs", INT, doc="Number of equal pieces"),
              Attr("axis", INT, 1, "Axis to split"),
              Attr("squeeze_axis", BOOL, False, "Drop the split axis (pieces must have size 1)")),
       num_outputs=lambda a: a["num_outputs"],
       output_names=lambda a: [f"output{i}" for i in range(a["num_outputs"])],
       infer_input_from_output=_slice_channel_from_output)
def slice_channel(data, num_outputs, axis, squeeze_axis):
    """Split ``data`` into ``num_outputs`` equal pieces along ``axis``."""
    ax = norm_axis("SliceChannel", axis, data.dim())
    size = data.shape[ax]
    if num_outputs < 1 or size % num_outputs:
        raise ShapeError(f"SliceChannel: cannot split axis {ax} of shape {tuple(data.shape)} "
                         f"into num_outputs={num_outputs} equal pieces")
    if squeeze_axis and size != num_outputs:
        raise ShapeError(f"SliceChannel: squeeze_axis=True needs axis {ax} (size {size}) to "
                         f"equal num_outputs={num_outputs}")
    step = size // num_outputs
    return _pieces(data, ax, [(k * step, (k + 1) * step) for k in range(num_outputs)],
                   squeeze_axis, "SliceChannel")


def _split_v2_count(a):
    return a["sections"] if a["sections"] > 0 else len(a["indices"])


_MAX_PIECES = 1 << 16


def _split_v2_bounds(size, indices, sections, shape, axis):
    if sections > 0:
        if sections > _MAX_PIECES:  # each piece is an output array; this many cannot be real
            raise ShapeError(f"_split_v2: sections={sections} would make that many outputs; "
                             f"at most {_MAX_PIECES} are supported")
        # numpy.array_split: the first size % sections pieces get one extra element
        q, r = divmod(size, sections)
        starts = [k * q + min(k, r) for k in range(sections)]
        return list(zip(starts, starts[1:] + [size]))
    if not indices or indices[0] != 0:
        raise ShapeError(f"_split_v2: indices={indices} must start with 0 (mx.nd.split_v2 "
                         "adds it) or sections must be > 0")
    bounds = list(zip(indices, list(indices[1:]) + [size]))
    for k, (start, end) in enumerate(bounds):
        if not 0 <= start <= end <= size:
            raise ShapeError(f"_split_v2: piece {k} [{start}, {end}) is not a sorted range "
                             f"inside axis {axis} of shape {shape}")
    return bounds


@defop("_split_v2", inputs=("data",),
       attrs=(Attr("indices", SHAPE, doc="Start of each piece (the first is 0)"),
              Attr("axis", INT, 1, "Axis to split"),
              Attr("squeeze_axis", BOOL, False, "Drop the split axis (pieces must have size 1)"),
              Attr("sections", INT, 0, "Number of pieces (used instead of indices when > 0)")),
       num_outputs=_split_v2_count)
def split_v2(data, indices, axis, squeeze_axis, sections):
    """Split at ``indices`` or into ``sections`` nearly equal pieces (numpy.array_split)."""
    ax = norm_axis("_split_v2", axis, data.dim())
    bounds = _split_v2_bounds(data.shape[ax], indices, sections, tuple(data.shape), ax)
    return _pieces(data, ax, bounds, squeeze_axis, "_split_v2")


# ============================================================================================
# slicing
# ============================================================================================


def _slice_plan(op, shape, begin, end, step):
    """Per sliced axis a positive-step Python slice and whether to flip the result.

    Python slice semantics per axis (None = the default, out-of-range bounds clip); axes past
    ``len(begin)`` stay whole.
    """
    if len(begin) != len(end):
        raise ShapeError(f"{op}: begin={begin} and end={end} must have the same length")
    if step and len(step) != len(begin):
        raise ShapeError(f"{op}: step={step} must have as many entries as begin={begin}")
    if len(begin) > len(shape):
        raise ShapeError(f"{op}: begin={begin} has more entries than the {len(shape)} dims of "
                         f"the input {tuple(shape)}")
    plan = []
    for ax, (b, e) in enumerate(zip(begin, end)):
        s = step[ax] if step and step[ax] is not None else 1
        if s == 0:
            raise ShapeError(f"{op}: step[{ax}] must not be 0")
        start, stop, s = slice(b, e, s).indices(shape[ax])
        count = len(range(start, stop, s))
        if s > 0 or count == 0:
            plan.append((slice(start, stop, s) if count else slice(0, 0), False))
        else:  # the same elements with a positive step, flipped afterwards
            plan.append((slice(start + s * (count - 1), start + 1, -s), True))
    return plan


def _apply_plan(data, plan):
    out = data[tuple(sl for sl, _ in plan)]
    flips = [ax for ax, (_, flip) in enumerate(plan) if flip]
    return out.flip(flips) if flips else out


def _plan_shape(shape, plan):
    return tuple(len(range(*sl.indices(n))) for (sl, _), n in zip(plan, shape)) + \
        tuple(shape[len(plan):])


_SLICE_ATTRS = (Attr("begin", SLICE_TUPLE, doc="Start per axis (None: from the edge)"),
                Attr("end", SLICE_TUPLE, doc="Stop per axis, exclusive (None: to the edge)"),
                Attr("step", SLICE_TUPLE, (), "Step per axis (None or empty: 1)"))


def _slice_len(size, begin, end, step=1):
    """Length of ``[begin:end:step]`` over ``size`` (0, unknown, when size is unknown)."""
    return len(range(*slice(begin, end, step).indices(size))) if size else 0


def _slice_shape(a, in_shapes):
    """Sliced axes of unknown size stay unknown (their length depends on the size)."""
    data = in_shapes[0]
    if data is None or len(a["begin"]) > len(data):
        return in_shapes, None
    step = tuple(a["step"] or ())
    out = list(data)
    for k, (b, e) in enumerate(zip(a["begin"], a["end"])):
        out[k] = _slice_len(data[k], b, e, step[k] if k < len(step) and step[k] else 1)
    return in_shapes, [tuple(out)]


def _slice_axis_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    out = list(data)
    ax = norm_axis("slice_axis", a["axis"], len(data))
    out[ax] = _slice_len(data[ax], a["begin"], a["end"])
    return in_shapes, [tuple(out)]


@defop("slice", aliases=("crop",), inputs=("data",), attrs=_SLICE_ATTRS, infer_shape=_slice_shape)
def slice_op(data, begin, end, step):
    """``data[b0:e0:s0, b1:e1:s1, ...]`` with Python slice rules; missing axes are kept whole."""
    return _apply_plan(data, _slice_plan("slice", data.shape, begin, end, step))


@defop("slice_axis", inputs=("data",), infer_shape=_slice_axis_shape,
       attrs=(Attr("axis", INT, doc="Axis to slice"),
              Attr("begin", INT, doc="Start (negative counts from the end)"),
              Attr("end", OPT_INT, doc="Stop, exclusive (None: the end of the axis)")))
def slice_axis(data, axis, begin, end):
    """``data[..., begin:end, ...]`` on one axis; the range must be non-empty and in bounds."""
    ax = norm_axis("slice_axis", axis, data.dim())
    size = data.shape[ax]
    b = begin + size if begin < 0 else begin
    e = size if end is None else (end + size if end < 0 else end)
    if not 0 <= b < e <= size:
        raise ShapeError(f"slice_axis: begin={begin}, end={end} is not a non-empty range inside "
                         f"axis {ax} of size {size}")
    return data.narrow(ax, b, e - b)


@defop("slice_like", inputs=("data", "shape_like"), same_dtype=(),
       attrs=(Attr("axes", SHAPE, (), "Axes to slice (empty: all)"),))
def slice_like(data, shape_like, axes):
    """Take the leading ``shape_like.shape[ax]`` elements of ``data`` on each of ``axes``."""
    if not axes:
        if data.dim() != shape_like.dim():
            raise ShapeError(f"slice_like: data {tuple(data.shape)} and shape_like "
                             f"{tuple(shape_like.shape)} need the same number of dims when "
                             "axes is empty")
        axes = range(data.dim())
    index = [slice(None)] * data.dim()
    for ax in axes:
        d = norm_axis("slice_like", ax, data.dim())
        n = shape_like.shape[norm_axis("slice_like", ax, shape_like.dim())]
        if n > data.shape[d]:
            raise ShapeError(f"slice_like: shape_like has size {n} on axis {ax}, more than "
                             f"data's {data.shape[d]} (data {tuple(data.shape)})")
        index[d] = slice(0, n)
    return data[tuple(index)]


@defop("_slice_assign", aliases=("_crop_assign",), inputs=("lhs", "rhs"), attrs=_SLICE_ATTRS)
def slice_assign(lhs, rhs, begin, end, step):
    """A copy of ``lhs`` whose region ``begin:end:step`` holds ``rhs`` (exact region shape)."""
    plan = _slice_plan("_slice_assign", lhs.shape, begin, end, step)
    region = _plan_shape(lhs.shape, plan)
    if tuple(rhs.shape) != region:
        raise ShapeError(f"_slice_assign: input 'rhs' has shape {tuple(rhs.shape)}, expected "
                         f"{region} (the region begin={begin}, end={end}, step={step} of lhs "
                         f"{tuple(lhs.shape)})")
    flips = [ax for ax, (_, flip) in enumerate(plan) if flip]
    out = lhs.clone()
    out[tuple(sl for sl, _ in plan)] = rhs.flip(flips) if flips else rhs
    return out


@defop("_slice_assign_scalar", aliases=("_crop_assign_scalar",), inputs=("data",),
       attrs=(Attr("scalar", FLOAT, 0.0, "Value to write"),) + _SLICE_ATTRS)
def slice_assign_scalar(data, scalar, begin, end, step):
    """A copy of ``data`` whose region ``begin:end:step`` is set to ``scalar``."""
    plan = _slice_plan("_slice_assign_scalar", data.shape, begin, end, step)
    out = data.clone()
    out[tuple(sl for sl, _ in plan)] = scalar if data.is_floating_point() else int(scalar)
    return out


@defop("Crop", inputs=VARIADIC, num_args="num_args", same_dtype=(),
       attrs=(Attr("num_args", INT, doc="1 (crop to h_w) or 2 (crop like the second input)"),
              Attr("offset", SHAPE, (0, 0), "Top-left corner (y, x) of the crop"),
              Attr("h_w", SHAPE, (0, 0), "Crop height and width (num_args=1)"),
              Attr("center_crop", BOOL, False, "Centre the crop instead of using offset")))
def crop(*tensors, num_args, offset, h_w, center_crop):
    """Crop the H and W axes of an NCHW array to ``h_w`` or to the second input's H and W."""
    data = tensors[0]
    if data.dim() != 4 or len(tensors) not in (1, 2):
        raise ShapeError(f"Crop: expects an NCHW input (4 dims) and at most one crop_like "
                         f"input, got {len(tensors)} input(s), data {tuple(data.shape)}")
    height, width = data.shape[2], data.shape[3]
    h, w = (tensors[1].shape[2], tensors[1].shape[3]) if len(tensors) == 2 else tuple(h_w)
    if center_crop:
        # NOTE: MXNet rounds the centring offset down.
        y, x = (height - h) // 2, (width - w) // 2
    else:
        y, x = offset
    if h < 1 or w < 1 or not (0 <= y <= height - h and 0 <= x <= width - w):
        raise ShapeError(f"Crop: a {h}x{w} crop at offset ({y}, {x}) does not fit in the "
                         f"{height}x{width} input {tuple(data.shape)}")
    return data[:, :, y:y + h, x:x + w]


# ============================================================================================
# repetition and broadcasting
# ============================================================================================


@defop("tile", inputs=("data",), partial_shape=False, attrs=(Attr("reps", SHAPE, doc="Repetitions per axis"),))
def tile(data, reps):
    """Repeat the whole array ``reps`` times per axis (numpy.tile: reps align to the right)."""
    if any(r < 1 for r in reps):
        raise ShapeError(f"tile: reps={reps} must be positive")
    return torch.tile(data, tuple(reps)) if reps else data.clone()


@defop("repeat", inputs=("data",),
       attrs=(Attr("repeats", INT, doc="Copies of each element"),
              Attr("axis", OPT_INT, None, "Axis to repeat along (None: flatten first)")))
def repeat(data, repeats, axis):
    """Repeat each element ``repeats`` times along ``axis`` (numpy.repeat)."""
    if repeats < 0:
        raise ShapeError(f"repeat: repeats={repeats} must not be negative")
    if axis is None:
        return data.reshape(-1).repeat_interleave(repeats)
    return data.repeat_interleave(repeats, dim=norm_axis("repeat", axis, data.dim()))


def _check_broadcast(op, have, target):
    for d, t in zip(have, target):
        if d != t and d != 1:
            raise ShapeError(f"{op}: cannot broadcast shape {tuple(have)} to {tuple(target)} "
                             "(only size-1 dims can grow)")


def _expand(data, target):
    # A materialised copy, as MXNet returns: an expanded view could not be written in place.
    return data.expand(tuple(target)).contiguous()


@defop("broadcast_to", inputs=("data",),
       attrs=(Attr("shape", SHAPE, (), "Target shape (0 keeps the input dim)"),))
def broadcast_to(data, shape):
    """Broadcast size-1 dims to ``shape``; both must have the same number of dims."""
    if len(shape) != data.dim():
        raise ShapeError(f"broadcast_to: shape={tuple(shape)} must have as many dims as the "
                         f"input {tuple(data.shape)}")
    target = [d if s == 0 else s for d, s in zip(data.shape, shape)]
    _check_broadcast("broadcast_to", data.shape, target)
    return _expand(data, target)


@defop("broadcast_axis", aliases=("broadcast_axes",), inputs=("data",), partial_shape=False,
       attrs=(Attr("axis", SHAPE, (), "Axes to broadcast"),
              Attr("size", SHAPE, (), "New size of each axis")))
def broadcast_axis(data, axis, size):
    """Grow the size-1 ``axis`` dims to ``size``."""
    if len(axis) != len(size):
        raise ShapeError(f"broadcast_axis: axis={axis} and size={size} must have the same length")
    target = list(data.shape)
    for ax, n in zip(axis, size):
        target[norm_axis("broadcast_axis", ax, data.dim())] = n
    _check_broadcast("broadcast_axis", data.shape, target)
    return _expand(data, target)


@defop("broadcast_like", inputs=("lhs", "rhs"), same_dtype=(),
       attrs=(Attr("lhs_axes", OPT_SHAPE, None, "Axes of lhs to broadcast"),
              Attr("rhs_axes", OPT_SHAPE, None, "Axes of rhs giving the new sizes")))
def broadcast_like(lhs, rhs, lhs_axes, rhs_axes):
    """Broadcast ``lhs`` to the shape of ``rhs`` (or only its ``lhs_axes`` to ``rhs_axes``)."""
    if lhs_axes is None or rhs_axes is None:
        if lhs.dim() != rhs.dim():
            raise ShapeError(f"broadcast_like: lhs {tuple(lhs.shape)} and rhs "
                             f"{tuple(rhs.shape)} need the same number of dims")
        target = list(rhs.shape)
    else:
        if len(lhs_axes) != len(rhs_axes) or not lhs_axes:
            raise ShapeError(f"broadcast_like: lhs_axes={lhs_axes} and rhs_axes={rhs_axes} "
                             "must be non-empty and of the same length")
        target = list(lhs.shape)
        for la, ra in zip(lhs_axes, rhs_axes):
            target[norm_axis("broadcast_like", la, lhs.dim(), "lhs_axes entry")] = \
                rhs.shape[norm_axis("broadcast_like", ra, rhs.dim(), "rhs_axes entry")]
    _check_broadcast("broadcast_like", lhs.shape, target)
    return _expand(lhs, target)


# ============================================================================================
# reordering: flips, block rearrangements, diagonals
# ============================================================================================


@defop("reverse", aliases=("flip",), inputs=("data",), shape_rule="same",
       attrs=(Attr("axis", SHAPE, doc="Axes to reverse"),))
def reverse(data, axis):
    """Reverse the order of elements along each of ``axis``."""
    counts = {}
    for ax in axis:
        d = norm_axis("reverse", ax, data.dim())
        counts[d] = counts.get(d, 0) + 1
    # NOTE: MXNet flips once per listed axis, so an axis listed twice is left as is.
    dims = [d for d, c in counts.items() if c % 2]
    return data.flip(dims) if dims else data.clone()


def _check_4d(op, data):
    if data.dim() != 4:
        raise ShapeError(f"{op}: expects a 4-D (N, C, H, W) input, got shape {tuple(data.shape)}")


@defop("depth_to_space", inputs=("data",),
       attrs=(Attr("block_size", INT, doc="Side of the blocks moved out of the channels"),))
def depth_to_space(data, block_size):
    """(N, C, H, W) -> (N, C/b^2, H*b, W*b): channel blocks become b x b spatial blocks."""
    _check_4d("depth_to_space", data)
    n, c, h, w = data.shape
    b = block_size
    if b < 1 or c % (b * b):
        raise ShapeError(f"depth_to_space: channels {c} of {tuple(data.shape)} must be a "
                         f"multiple of block_size^2 = {b * b}")
    out = data.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2)
    return out.reshape(n, c // (b * b), h * b, w * b)


@defop("space_to_depth", inputs=("data",),
       attrs=(Attr("block_size", INT, doc="Side of the spatial blocks moved into channels"),))
def space_to_depth(data, block_size):
    """(N, C, H, W) -> (N, C*b^2, H/b, W/b), the inverse of depth_to_space."""
    _check_4d("space_to_depth", data)
    n, c, h, w = data.shape
    b = block_size
    if b < 1 or h % b or w % b:
        raise ShapeError(f"space_to_depth: height {h} and width {w} of {tuple(data.shape)} "
                         f"must be multiples of block_size={b}")
    out = data.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4)
    return out.reshape(n, c * b * b, h // b, w // b)


@defop("diag", inputs=("data",),
       attrs=(Attr("k", INT, 0, "Diagonal offset (> 0 above the main diagonal)"),
              Attr("axis1", INT, 0, "First axis of the 2-D planes"),
              Attr("axis2", INT, 1, "Second axis of the 2-D planes")))
def diag(data, k, axis1, axis2):
    """A 1-D input becomes a square matrix with it on diagonal ``k``; otherwise extract the
    ``k``-th diagonal of the (axis1, axis2) planes (appended as the last axis)."""
    if data.dim() == 1:
        return torch.diag(data, k)
    a1 = norm_axis("diag", axis1, data.dim(), "axis1")
    a2 = norm_axis("diag", axis2, data.dim(), "axis2")
    if a1 == a2:
        raise ShapeError(f"diag: axis1={axis1} and axis2={axis2} refer to the same axis")
    limit = data.shape[a2] if k > 0 else data.shape[a1]
    if abs(k) > limit:
        raise ShapeError(f"diag: diagonal k={k} does not exist in planes of size "
                         f"{data.shape[a1]}x{data.shape[a2]}")
    return torch.diagonal(data, k, a1, a2)


# ============================================================================================
# padding and patches
# ============================================================================================


def _float_kernel(fn, data, *args, **kwargs):
    """Run a float-only torch kernel on any dtype (integers go through float64 and back)."""
    if data.is_floating_point():
        return fn(data, *args, **kwargs)
    return fn(data.double(), *args, **kwargs).to(data.dtype)


@defop("Pad", aliases=("pad",), inputs=("data",),
       attrs=(Attr("mode", Enum("constant", "edge", "reflect"), doc="Padding mode"),
              Attr("pad_width", SHAPE, doc="(before, after) per axis, flattened; the first "
                   "four (N and C) must be 0"),
              Attr("constant_value", FLOAT, 0.0, "Fill value of constant mode")))
def pad(data, mode, pad_width, constant_value):
    """Pad the spatial axes of a 4-D or 5-D array (constant, edge or reflect)."""
    ndim = data.dim()
    shape = tuple(data.shape)
    if ndim not in (4, 5) or len(pad_width) != 2 * ndim:
        raise ShapeError(f"Pad: expects a 4-D or 5-D input and 2 pad_width entries per axis, "
                         f"got input {shape} and pad_width={pad_width}")
    if any(pad_width[:4]) or min(pad_width) < 0:
        raise ShapeError(f"Pad: pad_width={pad_width} must be >= 0 and leave the first two "
                         "axes (N, C) unpadded")
    widths = []
    for ax in reversed(range(2, ndim)):  # torch lists the last axis first
        widths += [pad_width[2 * ax], pad_width[2 * ax + 1]]
    if mode == "constant":
        value = constant_value if data.is_floating_point() else int(constant_value)
        return F.pad(data, widths, value=value)
    if mode == "reflect":
        for ax in range(2, ndim):
            if max(pad_width[2 * ax], pad_width[2 * ax + 1]) >= shape[ax]:
                raise ShapeError(f"Pad: reflect padding of axis {ax} by "
                                 f"{pad_width[2 * ax:2 * ax + 2]} needs widths smaller than "
                                 f"its size {shape[ax]}")
    return _float_kernel(F.pad, data, widths, mode="replicate" if mode == "edge" else "reflect")


def _conv_params(op, kernel, stride, dilate, pad):
    if len(kernel) != 2:
        raise ShapeError(f"{op}: only 2-D kernels (kernel=(h, w)) are supported, got "
                         f"kernel={kernel}")
    params = []
    for name, value, default in (("stride", stride, 1), ("dilate", dilate, 1), ("pad", pad, 0)):
        value = tuple(value) or (default, default)
        if len(value) != 2:
            raise ShapeError(f"{op}: {name}={value} must have 2 entries like kernel")
        params.append(value)
    return params


def _blocks(op, size, kernel, stride, dilate, pad):
    counts = []
    for n, k, s, d, p in zip(size, kernel, stride, dilate, pad):
        extent = d * (k - 1) + 1
        if extent > n + 2 * p:
            raise ShapeError(f"{op}: dilated kernel {kernel} (dilate={dilate}) exceeds the "
                             f"padded input {tuple(size)} (pad={pad})")
        counts.append((n + 2 * p - extent) // s + 1)
    return counts


@defop("im2col", inputs=("data",),
       attrs=(Attr("kernel", SHAPE, doc="Kernel size (h, w)"),
              Attr("stride", SHAPE, (), "Stride (default 1)"),
              Attr("dilate", SHAPE, (), "Dilation (default 1)"),
              Attr("pad", SHAPE, (), "Zero padding (default 0)")))
def im2col(data, kernel, stride, dilate, pad):
    """(N, C, H, W) -> (N, C*kh*kw, L): every kernel-sized patch as a column."""
    _check_4d("im2col", data)
    stride, dilate, pad = _conv_params("im2col", kernel, stride, dilate, pad)
    _blocks("im2col", data.shape[2:], kernel, stride, dilate, pad)
    return _float_kernel(F.unfold, data, tuple(kernel), dilation=dilate, padding=pad,
                         stride=stride)


@defop("col2im", inputs=("data",),
       attrs=(Attr("output_size", SHAPE, doc="Spatial size (H, W) of the result"),
              Attr("kernel", SHAPE, doc="Kernel size (h, w)"),
              Attr("stride", SHAPE, (), "Stride (default 1)"),
              Attr("dilate", SHAPE, (), "Dilation (default 1)"),
              Attr("pad", SHAPE, (), "Zero padding (default 0)")))
def col2im(data, output_size, kernel, stride, dilate, pad):
    """(N, C*kh*kw, L) -> (N, C, H, W): sum the columns back into an image (inverse layout of
    im2col; overlapping patches add up)."""
    stride, dilate, pad = _conv_params("col2im", kernel, stride, dilate, pad)
    if len(output_size) != 2 or data.dim() != 3:
        raise ShapeError(f"col2im: expects a 3-D (N, C*kh*kw, L) input and output_size=(H, W), "
                         f"got input {tuple(data.shape)}, output_size={output_size}")
    blocks = math.prod(_blocks("col2im", output_size, kernel, stride, dilate, pad))
    area = kernel[0] * kernel[1]
    if data.shape[1] % area or data.shape[2] != blocks:
        raise ShapeError(f"col2im: input {tuple(data.shape)} must be (N, C*{area}, {blocks}) "
                         f"for output_size={output_size}, kernel={kernel}, stride={stride}, "
                         f"dilate={dilate}, pad={pad}")
    return _float_kernel(F.fold, data, tuple(output_size), tuple(kernel), dilation=dilate,
                         padding=pad, stride=stride)


# ============================================================================================
# shape queries and copies
# ============================================================================================


@defop("shape_array", inputs=("data",), infer_type=lambda attrs, ins: (ins, ["int64"]))
def shape_array(data):
    """The shape of ``data`` as a 1-D int64 array."""
    return torch.tensor(tuple(data.shape), dtype=torch.int64, device=data.device)


@defop("size_array", inputs=("data",), infer_type=lambda attrs, ins: (ins, ["int64"]))
def size_array(data):
    """The element count of ``data`` as an int64 array of shape (1,)."""
    return torch.tensor([data.numel()], dtype=torch.int64, device=data.device)


@defop("_copyto", inputs=("data",))
def copyto(data):
    """A copy of ``data`` (what ``NDArray.copyto`` runs)."""
    return data.clone()


@defop("_identity_with_attr_like_rhs", inputs=("lhs", "rhs"), same_dtype=(), shape_rule="same")
def identity_with_attr_like_rhs(lhs, rhs):
    """``lhs`` unchanged; ``rhs`` (same shape) only lends its attributes in MXNet graphs."""
    if tuple(lhs.shape) != tuple(rhs.shape):
        raise ShapeError(f"_identity_with_attr_like_rhs: input 'rhs' has shape "
                         f"{tuple(rhs.shape)}, expected {tuple(lhs.shape)} like 'lhs'")
    return lhs.clone()
