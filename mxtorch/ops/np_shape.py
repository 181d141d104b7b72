"""Array-manipulation operators of ``mx.np`` (``_np_reshape``, ``_npi_concatenate``,
``_npi_split``, ``_npi_where``, ``_npi_pad``...), with NumPy shapes (0-d and zero-size real).

Joining ops refuse mixed dtypes as MXNet 1.9.1 does; ``where`` promotes its two branches.
"""
import numbers

import torch

from ..base import MXNetError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, FLOAT, INT, OPT_FLOAT, OPT_INT, OPT_SHAPE, SHAPE, STR, Enum
from ._registry import Attr, VARIADIC, defop
from .np_reduce import AXES, norm_axes, LITERAL


def _axis(name, ndim, axis):
    if not -ndim <= axis < max(ndim, 1):
        raise MXNetError(f"{name}: axis {axis} is out of bounds for an array of dimension "
                         f"{ndim}")
    return axis % ndim if ndim else 0


def np_reshape_target(name, size, newshape):
    """NumPy's reshape target for ``size`` elements: one -1 is inferred."""
    newshape = tuple(int(d) for d in newshape)
    if newshape.count(-1) > 1:
        raise MXNetError(f"{name}: can only specify one unknown dimension, got {newshape}")
    known = 1
    for d in newshape:
        if d != -1:
            if d < 0:
                raise MXNetError(f"{name}: negative dimension {d} in {newshape}")
            known *= d
    if -1 in newshape:
        if known == 0 or size % known:
            raise MXNetError(f"{name}: cannot reshape an array of size {size} into shape "
                             f"{newshape}")
        newshape = tuple(size // known if d == -1 else d for d in newshape)
    elif known != size:
        raise MXNetError(f"{name}: cannot reshape an array of size {size} into shape "
                         f"{newshape}")
    return newshape


@defop("_np_reshape", inputs=("a",), attrs=(Attr("newshape", SHAPE, doc="New shape"),
                                            Attr("order", STR, "C", "Only 'C'")))
def np_reshape(a, newshape, order):
    """NumPy reshape (one -1 allowed)."""
    if order != "C":
        raise MXNetError(f"reshape: order={order!r} is not supported; only 'C'")
    try:
        return a.reshape(newshape)  # torch accepts exactly NumPy's valid targets
    except RuntimeError:
        return a.reshape(np_reshape_target("reshape", a.numel(), newshape))  # names the error


@defop("_np_transpose", inputs=("a",), attrs=(Attr("axes", OPT_SHAPE, None, "Permutation"),))
def np_transpose(a, axes):
    """Permute axes (reverse them when ``axes`` is None)."""
    if axes is None or axes == ():
        return a.permute(tuple(reversed(range(a.dim()))))  # a tuple: 0-d arrays too
    if sorted(x % max(a.dim(), 1) for x in axes) != list(range(a.dim())):
        raise MXNetError(f"transpose: axes {axes} do not match an array of dimension {a.dim()}")
    return a.permute(*axes)


@defop("_npi_swapaxes", inputs=("a",), attrs=(Attr("dim1", INT, 0), Attr("dim2", INT, 0)))
def np_swapaxes(a, dim1, dim2):
    """Swap two axes."""
    return a.transpose(_axis("swapaxes", a.dim(), dim1), _axis("swapaxes", a.dim(), dim2))


@defop("_np_moveaxis", inputs=("a",), attrs=(Attr("source", SHAPE), Attr("destination", SHAPE)))
def np_moveaxis(a, source, destination):
    """Move axes to new positions."""
    if len(source) != len(destination):
        raise MXNetError("moveaxis: `source` and `destination` arguments must have the same "
                         f"number of elements, got {source} and {destination}")
    return torch.movedim(a, source, destination)


@defop("_npi_expand_dims", inputs=("a",), attrs=(Attr("axis", INT),))
def np_expand_dims(a, axis):
    """Insert an axis of size 1 at ``axis``."""
    if not -a.dim() - 1 <= axis <= a.dim():
        raise MXNetError(f"expand_dims: axis {axis} is out of bounds for an array of "
                         f"dimension {a.dim()}")
    return a.unsqueeze(axis)


@defop("_np_squeeze", inputs=("a",), attrs=(Attr("axis", AXES, None, "Axes to drop"),))
def np_squeeze(a, axis):
    """Drop axes of size 1 (all of them when ``axis`` is None)."""
    if axis is None:
        return a.reshape([d for d in a.shape if d != 1])
    axes = norm_axes("squeeze", a.dim(), axis)
    for ax in axes:
        if a.shape[ax] != 1:
            raise MXNetError(f"squeeze: cannot select an axis to squeeze out which has size "
                             f"not equal to one (axis {ax} of shape {tuple(a.shape)})")
    return a.reshape([d for i, d in enumerate(a.shape) if i not in axes])


def _same_dtype(name, arrays):
    dtypes = {t.dtype for t in arrays}
    if len(dtypes) > 1:
        raise MXNetError(f"{name}: all inputs must have one dtype, got "
                         f"{[str(t.dtype).replace('torch.', '') for t in arrays]}; use astype")


@defop("_npi_concatenate", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT, 1), Attr("axis", OPT_INT, 0, "Axis (None: flatten)")))
def np_concatenate(*arrays, num_args, axis):
    """Join arrays along an existing axis."""
    _same_dtype("concatenate", arrays)
    if axis is None:
        return torch.cat([a.reshape(-1) for a in arrays])
    if any(a.dim() == 0 for a in arrays):
        raise MXNetError("concatenate: zero-dimensional arrays cannot be concatenated")
    ax = _axis("concatenate", arrays[0].dim(), axis)
    return torch.cat(arrays, dim=ax)


@defop("_npi_stack", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("axis", INT, 0), Attr("num_args", INT, 1)))
def np_stack(*arrays, axis, num_args):
    """Join arrays along a new axis."""
    _same_dtype("stack", arrays)
    if len({tuple(a.shape) for a in arrays}) > 1:
        raise MXNetError(f"stack: all input arrays must have the same shape, got "
                         f"{[tuple(a.shape) for a in arrays]}")
    return torch.stack(arrays, dim=_axis("stack", arrays[0].dim() + 1, axis))


def _joiner(name, fn):
    def compute(*arrays, num_args):
        _same_dtype(name, arrays)
        return fn(arrays)
    compute.__doc__ = f"``mx.np.{name[1:] if name[0] == '_' else name}`` of several arrays."
    defop(f"_npi_{name}", inputs=VARIADIC, num_args="num_args",
          attrs=(Attr("num_args", INT, 1),))(compute)


_joiner("vstack", torch.vstack)
_joiner("hstack", torch.hstack)
_joiner("dstack", torch.dstack)
_joiner("column_stack", torch.column_stack)


MAX_PARTS = 1 << 16


def _split_points(name, size, indices, sections):
    if sections > MAX_PARTS or len(indices) >= MAX_PARTS:
        raise MXNetError(f"{name}: {max(sections, len(indices) + 1)} parts requested; an "
                         f"operator gives at most {MAX_PARTS} outputs")
    if sections > 0:
        if size % sections:
            raise MXNetError(f"{name}: array split does not result in an equal division "
                             f"({size} elements into {sections} sections)")
        step = size // sections
        return [i * step for i in range(sections + 1)]
    return [0] + [min(max(int(i), 0), size) for i in indices] + [size]


@defop("_npi_split", inputs=("data",), num_outputs=lambda at: (
        at["sections"] if at["sections"] > 0 else len(at["indices"])),
       attrs=(Attr("indices", SHAPE, doc="Start of every part (MXNet: the first is 0; () with "
                                         "sections)"),
              Attr("axis", INT, 0), Attr("squeeze_axis", BOOL, False), Attr("sections", INT, 0)))
def np_split(data, indices, axis, squeeze_axis, sections):
    """Split along ``axis`` into ``sections`` parts (the first ``size % sections`` one longer,
    as ``array_split``) or into parts starting at ``indices`` (MXNet 1.9.1's encoding:
    ``np.split(x, [2, 5])`` is ``indices=(0, 2, 5)``)."""
    ax = _axis("split", data.dim(), axis)
    size = data.shape[ax]
    if sections > MAX_PARTS or len(indices) > MAX_PARTS:
        raise MXNetError(f"split: {max(sections, len(indices))} parts requested; an operator "
                         f"gives at most {MAX_PARTS} outputs")
    if sections > 0:
        base, extra = divmod(size, sections)
        points = [0]
        for i in range(sections):
            points.append(points[-1] + base + (1 if i < extra else 0))
    else:
        if not indices or indices[0] != 0:
            raise MXNetError(f"split: indices {tuple(indices)} must start with 0 (each is the "
                             "start of a part, as MXNet encodes np.split(x, [i, j]) as "
                             "indices=(0, i, j))")
        points = [min(max(int(i), 0), size) for i in indices] + [size]
    parts = []
    for lo, hi in zip(points[:-1], points[1:]):
        part = data.narrow(ax, lo, max(hi - lo, 0))
        parts.append(part.squeeze(ax) if squeeze_axis else part)
    return parts[0] if len(parts) == 1 else tuple(parts)


@defop("_npi_array_split", inputs=("data",), num_outputs=lambda at: (
        at["sections"] if at["sections"] > 0 else len(at["indices"]) + 1),
       attrs=(Attr("indices", SHAPE, (), "Split points"), Attr("axis", INT, 0),
              Attr("sections", INT, 0)))
def np_array_split(data, indices, axis, sections):
    """Split into ``sections`` nearly equal parts (the first ones one larger) or at
    ``indices``."""
    ax = _axis("array_split", data.dim(), axis)
    size = data.shape[ax]
    if sections > MAX_PARTS or len(indices) >= MAX_PARTS:
        raise MXNetError(f"array_split: {max(sections, len(indices) + 1)} parts requested; "
                         f"an operator gives at most {MAX_PARTS} outputs")
    if sections > 0:
        base, extra = divmod(size, sections)
        points = [0]
        for i in range(sections):
            points.append(points[-1] + base + (1 if i < extra else 0))
    else:
        points = _split_points("array_split", size, indices, 0)
    parts = [data.narrow(ax, lo, max(hi - lo, 0)) for lo, hi in zip(points[:-1], points[1:])]
    return parts[0] if len(parts) == 1 else tuple(parts)


@defop("_npi_tile", inputs=("A",), attrs=(Attr("reps", SHAPE),))
def np_tile(A, reps):  # noqa: N803 - MXNet's input name
    """Repeat the whole array ``reps`` times along each axis."""
    if any(r < 0 for r in reps):
        raise MXNetError(f"tile: reps {reps} must be non-negative")
    reps = tuple(reps) or (1,)
    if len(reps) < A.dim():
        reps = (1,) * (A.dim() - len(reps)) + reps
    return A.tile(reps) if A.dim() else A.reshape((1,) * len(reps)).tile(reps)


@defop("_npi_repeats", inputs=("data",), attrs=(Attr("repeats", LITERAL), Attr("axis", OPT_INT, None)))
def np_repeat(data, repeats, axis):
    """Repeat each element ``repeats`` times (an int or one count per element)."""
    reps = repeats if isinstance(repeats, int) else torch.as_tensor(repeats)
    if isinstance(reps, int) and reps < 0 or not isinstance(reps, int) and bool((reps < 0).any()):
        raise MXNetError(f"repeat: repeats {repeats} must be non-negative")
    if axis is None:
        return torch.repeat_interleave(data.reshape(-1), reps)
    return torch.repeat_interleave(data, reps, dim=_axis("repeat", data.dim(), axis))


@defop("_npi_flip", inputs=("data",), attrs=(Attr("axis", AXES, None),))
def np_flip(data, axis):
    """Reverse the order of elements along ``axis`` (all axes when None)."""
    return torch.flip(data, norm_axes("flip", data.dim(), axis))


@defop("_np_roll", inputs=("data",), attrs=(Attr("shift", LITERAL, 0), Attr("axis", AXES, None)))
def np_roll(data, shift, axis):
    """Roll elements along ``axis`` (the flattened array when None)."""
    if axis is None:
        return torch.roll(data.reshape(-1), int(shift) if isinstance(shift, int)
                          else tuple(shift)).reshape(data.shape)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    shifts = (shift,) * len(axes) if isinstance(shift, int) else tuple(shift)
    return torch.roll(data, shifts, tuple(_axis("roll", data.dim(), a) for a in axes))


@defop("_npi_rot90", inputs=("data",), attrs=(Attr("k", INT, 1), Attr("axes", SHAPE, (0, 1))))
def np_rot90(data, k, axes):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``."""
    return torch.rot90(data, k, list(axes))


def _where_cast(x, y):
    common = torch.promote_types(x.dtype, y.dtype)
    return x.to(common), y.to(common)


@defop("_npi_where", inputs=("condition", "x", "y"), same_dtype=())
def np_where(condition, x, y):
    """Elements of ``x`` where ``condition`` is non-zero, else of ``y`` (broadcast)."""
    x, y = _where_cast(x, y)
    return torch.where(condition.to(torch.bool), x, y)


@defop("_npi_where_lscalar", inputs=("condition", "y"), attrs=(Attr("scalar", LITERAL, 0.0),),
       same_dtype=())
def np_where_lscalar(condition, y, scalar):
    """``where(condition, scalar, y)``."""
    return torch.where(condition.to(torch.bool), torch.tensor(scalar, dtype=y.dtype), y)


@defop("_npi_where_rscalar", inputs=("condition", "x"), attrs=(Attr("scalar", LITERAL, 0.0),),
       same_dtype=())
def np_where_rscalar(condition, x, scalar):
    """``where(condition, x, scalar)``."""
    return torch.where(condition.to(torch.bool), x, torch.tensor(scalar, dtype=x.dtype))


@defop("_npi_where_scalar2", inputs=("condition",), attrs=(Attr("x", FLOAT, 0.0),
                                                            Attr("y", FLOAT, 0.0)))
def np_where_scalar2(condition, x, y):
    """``where(condition, x, y)`` with two scalars (float32 result)."""
    return torch.where(condition.to(torch.bool), torch.tensor(x), torch.tensor(y))


@defop("_npi_clip", inputs=("a",), attrs=(Attr("a_min", OPT_FLOAT, None),
                                          Attr("a_max", OPT_FLOAT, None)))
def np_clip(a, a_min, a_max):
    """Limit values to [a_min, a_max] (the array keeps its dtype)."""
    if a_min is None and a_max is None:
        raise MXNetError("clip: one of a_min and a_max must be given")
    if a.dtype.is_floating_point:
        return torch.clamp(a, a_min, a_max)
    lo = None if a_min is None else int(a_min)
    hi = None if a_max is None else int(a_max)
    return torch.clamp(a, lo, hi)


@defop("_npi_broadcast_to", inputs=("array",), attrs=(Attr("shape", SHAPE, ()),))
def np_broadcast_to(array, shape):
    """Broadcast to ``shape`` (NumPy rules)."""
    try:
        return array.expand(shape).clone()
    except RuntimeError:
        raise MXNetError(f"broadcast_to: cannot broadcast an array of shape "
                         f"{tuple(array.shape)} to shape {tuple(shape)}") from None


_PAD_MODES = Enum("constant", "edge", "reflect", "symmetric", "maximum", "minimum")


def pad_attrs(pad_width, mode, kwargs):
    """``_npi_pad``'s attributes from NumPy's ``pad(x, pad_width, mode, constant_values=,
    reflect_type=)`` arguments (nd and sym front ends share it)."""
    if pad_width is None:
        raise TypeError("pad: `pad_width` must be given")
    if not isinstance(pad_width, numbers.Integral):
        pad_width = tuple(tuple(p) if isinstance(p, (list, tuple)) else int(p)
                          for p in pad_width)
    value = kwargs.pop("constant_values", 0)
    reflect = kwargs.pop("reflect_type", "even")
    if kwargs:
        raise TypeError(f"pad: unexpected arguments {sorted(kwargs)}")
    return dict(pad_width=pad_width, mode=mode, constant_value=value, reflect_type=reflect)


@defop("_npi_pad", inputs=("data",), attrs=(Attr("pad_width", LITERAL), Attr("mode", _PAD_MODES,
                                                                         "constant"),
                                            Attr("constant_value", FLOAT, 0.0),
                                            Attr("reflect_type", STR, "even")))
def np_pad(data, pad_width, mode, constant_value, reflect_type):
    """Pad every axis by ``pad_width`` ((before, after) per axis)."""
    widths = _pad_widths(data.dim(), pad_width)
    if mode == "constant":
        flat = [w for pair in reversed(widths) for w in pair]
        return torch.nn.functional.pad(data, flat, value=constant_value)
    out = data
    for ax, (before, after) in enumerate(widths):
        out = _pad_axis(out, ax, before, after, mode)
    return out


def _pad_widths(ndim, pad_width):
    if isinstance(pad_width, str):
        import ast
        pad_width = ast.literal_eval(pad_width)
    if isinstance(pad_width, int):
        return [(pad_width, pad_width)] * ndim
    pw = [tuple(p) if isinstance(p, (list, tuple)) else (p, p) for p in pad_width]
    if len(pw) == 1:
        pw = pw * ndim
    if len(pw) != ndim or any(len(p) == 1 for p in pw):
        pw = [(p[0], p[-1]) for p in pw]
    if len(pw) != ndim:
        raise MXNetError(f"pad: pad_width {pad_width} does not match an array of dimension "
                         f"{ndim}")
    return [(int(a), int(b)) for a, b in pw]


def _pad_axis(x, ax, before, after, mode):
    n = x.shape[ax]
    idx = torch.arange(-before, n + after, device=x.device)
    if mode == "edge":
        idx = idx.clamp(0, n - 1)
    elif mode in ("reflect", "symmetric"):
        period = 2 * n - 2 if mode == "reflect" else 2 * n
        period = max(period, 1)
        m = idx.remainder(period)
        idx = torch.where(m < n, m, period - m - (0 if mode == "reflect" else 1))
    elif mode in ("maximum", "minimum"):
        fn = torch.amax if mode == "maximum" else torch.amin
        edge = fn(x, dim=ax, keepdim=True)
        parts = [edge.expand(*x.shape[:ax], before, *x.shape[ax + 1:]), x,
                 edge.expand(*x.shape[:ax], after, *x.shape[ax + 1:])]
        return torch.cat(parts, dim=ax)
    return x.index_select(ax, idx)


@defop("_np_diag", inputs=("data",), attrs=(Attr("k", INT, 0),))
def np_diag(data, k):
    """Diagonal of a 2-d array, or a 2-d array with a 1-d array on its diagonal."""
    if data.dim() not in (1, 2):
        raise MXNetError(f"diag: input must be 1- or 2-d, got shape {tuple(data.shape)}")
    return torch.diag(data, k)


@defop("_np_diagflat", inputs=("data",), attrs=(Attr("k", INT, 0),))
def np_diagflat(data, k):
    """2-d array with the flattened input on diagonal ``k``."""
    return torch.diagflat(data, k)


@defop("_np_diagonal", inputs=("data",), attrs=(Attr("offset", INT, 0), Attr("axis1", INT, 0),
                                                Attr("axis2", INT, 1)))
def np_diagonal(data, offset, axis1, axis2):
    """Diagonal along ``axis1``/``axis2`` (moved to the last axis)."""
    return torch.diagonal(data, offset, axis1, axis2).clone()


@defop("_np_trace", inputs=("data",), attrs=(Attr("offset", INT, 0), Attr("axis1", INT, 0),
                                             Attr("axis2", INT, 1)))
def np_trace(data, offset, axis1, axis2):
    """Sum along a diagonal (integer input keeps its dtype, as MXNet 1.9.1)."""
    diag = torch.diagonal(data, offset, axis1, axis2)
    if data.is_floating_point() or data.dtype == torch.bool:
        return diag.sum(-1)
    return diag.sum(-1, dtype=data.dtype)


@defop("_npi_tril", inputs=("data",), attrs=(Attr("k", INT, 0),))
def np_tril(data, k):
    """Lower triangle (elements above diagonal ``k`` zeroed)."""
    return torch.tril(data, k)


@defop("_npi_triu", inputs=("data",), attrs=(Attr("k", INT, 0),))
def np_triu(data, k):
    """Upper triangle (elements below diagonal ``k`` zeroed)."""
    return torch.triu(data, k)


def _atleast(n):
    fn = {1: torch.atleast_1d, 2: torch.atleast_2d, 3: torch.atleast_3d}[n]

    def compute(*arrays, num_args):
        out = tuple(o.clone() for o in fn(list(arrays)))
        return out[0] if len(out) == 1 else out  # one output: a tensor (registry rule)
    compute.__doc__ = f"Each input viewed with at least {n} dimensions."
    defop(f"_np_atleast_{n}d", inputs=VARIADIC, num_args="num_args",
          attrs=(Attr("num_args", INT, 1),), num_outputs=lambda at: at["num_args"])(compute)


for _n in (1, 2, 3):
    _atleast(_n)


@defop("_np_copy", inputs=("a",), shape_rule="same")
def np_copy(a):
    """A copy of the array."""
    return a.clone()


@defop("_npi_take", inputs=("a", "indices"), attrs=(Attr("axis", OPT_INT, None),
                                                    Attr("mode", Enum("raise", "wrap", "clip"),
                                                         "raise")), same_dtype=())
def np_take(a, indices, axis, mode):
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array when None)."""
    src = a.reshape(-1) if axis is None else a
    ax = 0 if axis is None else _axis("take", a.dim(), axis)
    n = src.shape[ax]
    idx = indices.to(torch.int64)
    if mode == "wrap":
        idx = idx.remainder(max(n, 1))
    elif mode == "clip":
        idx = idx.clamp(0, max(n - 1, 0))
    elif idx.numel() and (int(idx.min()) < -n or int(idx.max()) >= n):
        raise MXNetError(f"take: index out of bounds for axis {ax} with size {n}")
    else:
        idx = idx.remainder(max(n, 1))
    out = src.index_select(ax, idx.reshape(-1))
    return out.reshape(*src.shape[:ax], *idx.shape, *src.shape[ax + 1:])


@defop("_npi_diff", inputs=("a",), attrs=(Attr("n", INT, 1), Attr("axis", INT, -1)))
def np_diff(a, n, axis):
    """``n``-th discrete difference along ``axis``."""
    return torch.diff(a, n=n, dim=axis) if n else a.clone()


@defop("_npi_cast", inputs=("data",), attrs=(Attr("dtype", STR, "float32"),))
def np_cast(data, dtype):
    """Convert to ``dtype``."""
    return data.to(NAME_TO_TORCH[dtype])
