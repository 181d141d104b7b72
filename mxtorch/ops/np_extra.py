"""More ``mx.np`` operators MXNet 1.9.1 registers: window functions (``_npi_hanning``...),
``_npi_insert_*``/``_npi_delete``, ``_npi_ediff1d``, ``_npi_nan_to_num``, ``_npi_polyval``,
``_npi_hsplit``/``_npi_dsplit``, ``_npi_diag_indices_from``, ``_npi_share_memory``, the
boolean-mask assignments behind ``x[mask] = v``, and the explicit backward operators MXNet
exposes for some of them (``_npi_backward_polyval``...).

``insert``/``delete`` take the index in one of MXNet's three encodings: an int attribute
(``int_ind``), a slice (``start``/``stop``/``step``) or an index array input (``obj``).
"""
import torch

from ..base import MXNetError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, CTX, DTYPE, FLOAT, INT, OPT_FLOAT, OPT_INT, SHAPE
from ._registry import Attr, VARIADIC, defop
from .creation import device_of
from .np_shape import MAX_PARTS, _axis

_CTX = Attr("ctx", CTX, None, "Device")


# ---- window functions ------------------------------------------------------------------------
def _window(name, make):
    def compute(M, ctx, dtype):
        device = device_of(ctx)
        if M <= 0:
            return torch.zeros((0,), dtype=NAME_TO_TORCH[dtype], device=device)
        if M == 1:
            return torch.ones((1,), dtype=NAME_TO_TORCH[dtype], device=device)
        return make(M, periodic=False, dtype=torch.float64, device=device).to(
            NAME_TO_TORCH[dtype])
    compute.__doc__ = f"The {name} window of ``M`` points (float32 by default)."
    defop(f"_npi_{name}", inputs=(), attrs=(Attr("M", INT, doc="Number of points"), _CTX,
                                            Attr("dtype", DTYPE, "float32")))(compute)


_window("hanning", torch.hann_window)
_window("hamming", torch.hamming_window)
_window("blackman", torch.blackman_window)


# ---- splits with MXNet's index convention (indices start with 0) ---------------------------
def _points(name, size, indices, sections):
    if sections > MAX_PARTS or len(indices) > MAX_PARTS:
        raise MXNetError(f"{name}: {max(sections, len(indices))} parts requested; an operator "
                         f"gives at most {MAX_PARTS} outputs")
    if sections > 0:
        if size % sections:
            raise MXNetError(f"{name}: array split does not result in an equal division "
                             f"({size} elements into {sections} sections)")
        return [i * (size // sections) for i in range(sections + 1)]
    return [min(max(int(i), 0), size) for i in indices] + [size]


def _split_count(at):
    return at["sections"] if at["sections"] > 0 else len(at["indices"])


_SPLIT_ATTRS = (Attr("indices", SHAPE, (), "Split points, starting with 0"),
                Attr("axis", INT, 1), Attr("squeeze_axis", BOOL, False),
                Attr("sections", INT, 0))


def _split(name, data, indices, axis, squeeze_axis, sections):
    if name == "hsplit" and data.dim() == 1:
        axis = 0
    if name == "dsplit" and data.dim() < 3:
        raise MXNetError(f"dsplit only works on arrays of 3 or more dimensions, got shape "
                         f"{tuple(data.shape)}")
    if data.dim() == 0:
        raise MXNetError(f"{name}: a 0-d array cannot be split")
    ax = _axis(name, data.dim(), axis)
    points = _points(name, data.shape[ax], indices, sections)
    parts = [data.narrow(ax, lo, max(hi - lo, 0)) for lo, hi in zip(points[:-1], points[1:])]
    parts = [p.squeeze(ax) if squeeze_axis else p for p in parts]
    return parts[0] if len(parts) == 1 else tuple(parts)


@defop("_npi_hsplit", inputs=("data",), num_outputs=_split_count, attrs=_SPLIT_ATTRS)
def np_hsplit(data, indices, axis, squeeze_axis, sections):
    """Split along axis 1 (axis 0 for 1-d arrays) into ``sections`` or at ``indices``."""
    return _split("hsplit", data, indices, axis, squeeze_axis, sections)


@defop("_npi_dsplit", inputs=("data",), num_outputs=_split_count,
       attrs=(_SPLIT_ATTRS[0], Attr("axis", INT, 2)) + _SPLIT_ATTRS[2:])
def np_dsplit(data, indices, axis, squeeze_axis, sections):
    """Split along axis 2 into ``sections`` or at ``indices``."""
    return _split("dsplit", data, indices, axis, squeeze_axis, sections)


@defop("_npi_hsplit_backward", inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT, 1),) + _SPLIT_ATTRS)
def np_hsplit_backward(*ograds, num_args, indices, axis, squeeze_axis, sections):
    """Gradient of ``hsplit``: the output gradients joined back along the split axis."""
    ax = 0 if ograds[0].dim() == 1 and not squeeze_axis else axis
    if squeeze_axis:
        return torch.stack(ograds, dim=ax)
    return torch.cat(ograds, dim=ax)


# ---- indices and memory -----------------------------------------------------------------------
@defop("_npi_diag_indices_from", inputs=("data",))
def np_diag_indices_from(data):
    """Indices of the main diagonal of an n-d array with equal dims: ``(ndim, n)`` int64."""
    if data.dim() < 2 or len(set(data.shape)) != 1:
        raise MXNetError(f"_npi_diag_indices_from: the input must be at least 2-d with all "
                         f"dims equal, got shape {tuple(data.shape)}")
    n = data.shape[0]
    return torch.arange(n, device=data.device).expand(data.dim(), n).clone()


def _span(t):
    if t.numel() == 0:
        return None
    start = t.untyped_storage().data_ptr() + t.storage_offset() * t.element_size()
    extent = sum((s - 1) * abs(st) for s, st in zip(t.shape, t.stride())) + 1
    return start, start + extent * t.element_size()


@defop("_npi_share_memory", inputs=("a", "b"), same_dtype=())
def np_share_memory(a, b):
    """Whether the memory ranges of ``a`` and ``b`` overlap (a 0-d bool)."""
    sa, sb = _span(a), _span(b)
    overlap = sa is not None and sb is not None and sa[0] < sb[1] and sb[0] < sa[1]
    return torch.tensor(overlap, device=a.device)


# ---- boolean-mask assignment (x[mask] = v) ---------------------------------------------------
def _mask_key(name, data, mask, start_axis):
    end = start_axis + mask.dim()
    if start_axis < 0 or end > data.dim() or tuple(data.shape[start_axis:end]) != \
            tuple(mask.shape):
        raise MXNetError(f"{name}: mask of shape {tuple(mask.shape)} does not match data of "
                         f"shape {tuple(data.shape)} from axis {start_axis}")
    return (slice(None),) * start_axis + (mask.to(torch.bool),)


@defop("_npi_boolean_mask_assign_scalar", inputs=("data", "mask"), same_dtype=(),
       attrs=(Attr("value", FLOAT, doc="Value written where mask is true"),
              Attr("start_axis", INT, 0)))
def np_boolean_mask_assign_scalar(data, mask, value, start_axis):
    """``data`` with ``value`` written where ``mask`` (aligned at ``start_axis``) is true."""
    out = data.clone()
    out[_mask_key("boolean_mask_assign_scalar", data, mask, start_axis)] = value
    return out


@defop("_npi_boolean_mask_assign_tensor", inputs=("data", "mask", "value"),
       same_dtype=("data", "value"), attrs=(Attr("start_axis", INT, 0),))
def np_boolean_mask_assign_tensor(data, mask, value, start_axis):
    """``data`` with ``value`` (broadcast to the selection) written where ``mask`` is true."""
    out = data.clone()
    key = _mask_key("boolean_mask_assign_tensor", data, mask, start_axis)
    target = out[key].shape
    if value.dim() == start_axis and value.dim() > 0:  # leading dims only: one per selection
        value = value.reshape(tuple(value.shape) + (1,) * (len(target) - value.dim()))
    try:
        out[key] = value.expand(target) if value.shape != target else value
    except RuntimeError:
        raise MXNetError(f"boolean_mask_assign_tensor: value of shape {tuple(value.shape)} "
                         f"cannot be broadcast to the selection of shape {tuple(target)}") \
            from None
    return out


# ---- delete / insert -------------------------------------------------------------------------
_WHERE = (Attr("start", OPT_INT, None), Attr("stop", OPT_INT, None), Attr("step", OPT_INT, None),
          Attr("int_ind", OPT_INT, None), Attr("axis", OPT_INT, None))


def _flat_axis(name, arr, axis):
    if axis is None:
        return arr.reshape(-1), 0
    return arr, _axis(name, arr.dim(), axis)


def _slice_positions(n, start, stop, step, device):
    return torch.arange(n, device=device)[slice(start, stop, step)]


def _check_index(name, index, n, axis, allow_end=False):
    limit = n + 1 if allow_end else n
    if not -n <= index < limit:
        raise MXNetError(f"{name}: index {index} is out of bounds for axis {axis} with size {n}")
    return index + n if index < 0 else index


def _delete_inputs(at):
    return ("arr",) if at["int_ind"] is not None or at["step"] is not None else ("arr", "obj")


@defop("_npi_delete", inputs=_delete_inputs, all_inputs=("arr", "obj"), same_dtype=(),
       attrs=_WHERE)
def np_delete(arr, obj=None, *, start, stop, step, int_ind, axis):
    """``arr`` without the entries at an int, a slice or an index array along ``axis``
    (flattened when None); negative or out-of-range entries of an index array are ignored."""
    arr, ax = _flat_axis("delete", arr, axis)
    n = arr.shape[ax]
    keep = torch.ones(n, dtype=torch.bool, device=arr.device)
    if int_ind is not None:
        keep[_check_index("delete", int_ind, n, ax)] = False
    elif step is not None:
        keep[_slice_positions(n, start, stop, step, arr.device)] = False
    else:
        idx = obj.reshape(-1).to(torch.int64)
        keep[idx[(idx >= 0) & (idx < n)]] = False  # MXNet ignores negative entries too
    return arr.index_select(ax, keep.nonzero().reshape(-1))


def _insert_values(arr, values, val, ax):
    if values is None:
        return torch.tensor(val, dtype=arr.dtype, device=arr.device)
    return values.to(arr.dtype)


def _insert_at(arr, values, ax, positions, scalar_index, move=True):
    """NumPy's insert: ``values`` placed before ``positions`` (already non-negative); one
    position inserts all of ``values`` there (first axis of ``values`` moved to ``ax`` when
    the index was a scalar)."""
    n = arr.shape[ax]
    if scalar_index:
        values = values.reshape((1,) * max(arr.dim() - values.dim(), 0) + tuple(values.shape))
        values = values.movedim(0, ax) if move and values.dim() else values
        count = values.shape[ax] if values.dim() else 1
        pos = torch.full((count,), int(positions[0]), device=arr.device) + \
            torch.arange(count, device=arr.device)
    else:
        count = positions.numel()
        order = torch.argsort(positions, stable=True)
        pos = torch.empty_like(positions)
        pos[order] = positions[order] + torch.arange(count, device=arr.device)
    shape = list(arr.shape)
    shape[ax] = n + count
    out = torch.empty(shape, dtype=arr.dtype, device=arr.device)
    is_old = torch.ones(n + count, dtype=torch.bool, device=arr.device)
    is_old[pos] = False
    index = [slice(None)] * arr.dim()
    index[ax] = pos
    new_shape = list(shape)
    new_shape[ax] = count
    out[tuple(index)] = _broadcast("insert", values, new_shape)
    index[ax] = is_old
    out[tuple(index)] = arr
    return out


def _broadcast(name, values, shape):
    try:
        return values.expand(shape) if values.dim() <= len(shape) else values.reshape(shape)
    except RuntimeError:
        raise MXNetError(f"{name}: values of shape {tuple(values.shape)} cannot be broadcast "
                         f"to {tuple(shape)}") from None


def _insert_inputs(with_obj):
    def names(at):
        base = ("arr",) if at["val"] is not None else ("arr", "values")
        return base + ("obj",) if with_obj else base
    return names


_INSERT_ATTRS = (Attr("val", OPT_FLOAT, None, "Scalar value (no values input)"),) + _WHERE


def _insert(name, arr, values, obj, val, start, stop, step, int_ind, axis):
    arr, ax = _flat_axis(name, arr, axis)
    values = _insert_values(arr, values, val, ax)
    n = arr.shape[ax]
    if int_ind is not None:
        pos = torch.tensor([_check_index(name, int_ind, n, ax, allow_end=True)])
        return _insert_at(arr, values, ax, pos.to(arr.device), True)
    if obj is None:
        pos = _slice_positions(n, start, stop, step if step is not None else 1, arr.device)
    else:
        pos = obj.reshape(-1).to(torch.int64)
        if ((pos < -n) | (pos > n)).any():
            raise MXNetError(f"{name}: an index in {pos.tolist()} is out of bounds for axis "
                             f"{ax} with size {n}")
        pos = torch.where(pos < 0, pos + n, pos)
    if pos.numel() == 1:
        return _insert_at(arr, values, ax, pos, True, move=obj is not None and obj.dim() == 0)
    return _insert_at(arr, values, ax, pos, False)


@defop("_npi_insert_scalar", inputs=_insert_inputs(False), all_inputs=("arr", "values"),
       same_dtype=(), attrs=_INSERT_ATTRS)
def np_insert_scalar(arr, values=None, *, val, start, stop, step, int_ind, axis):
    """``arr`` with ``values`` (or the scalar ``val``) inserted before index ``int_ind``."""
    return _insert("insert", arr, values, None, val, start, stop, step, int_ind, axis)


@defop("_npi_insert_slice", inputs=_insert_inputs(False), all_inputs=("arr", "values"),
       same_dtype=(), attrs=_INSERT_ATTRS)
def np_insert_slice(arr, values=None, *, val, start, stop, step, int_ind, axis):
    """``arr`` with ``values`` inserted before the positions of ``slice(start, stop, step)``."""
    return _insert("insert", arr, values, None, val, start, stop, step, None, axis)


@defop("_npi_insert_tensor", inputs=_insert_inputs(True), all_inputs=("arr", "values", "obj"),
       same_dtype=(), attrs=_INSERT_ATTRS)
def np_insert_tensor(arr, *rest, val, start, stop, step, int_ind, axis):
    """``arr`` with ``values`` inserted before the positions in the index array ``obj``."""
    values, obj = (None, rest[0]) if val is not None else rest
    return _insert("insert", arr, values, obj, val, None, None, None, None, axis)


# ---- ediff1d, nan_to_num, polyval and their backward operators -----------------------------
_EDIFF_ATTRS = (Attr("to_begin_arr_given", BOOL, False), Attr("to_end_arr_given", BOOL, False),
                Attr("to_begin_scalar", OPT_FLOAT, None), Attr("to_end_scalar", OPT_FLOAT, None))


def _ediff_inputs(at):
    return ("input1", "input2", "input3")[:1 + at["to_begin_arr_given"] + at["to_end_arr_given"]]


def _ediff_ends(x, extra, begin_given, end_given, begin_scalar, end_scalar):
    arrays = iter(extra)
    ends = []
    for given, scalar in ((begin_given, begin_scalar), (end_given, end_scalar)):
        if given:
            ends.append(next(arrays).reshape(-1).to(x.dtype))
        elif scalar is not None:
            ends.append(torch.tensor([scalar], dtype=x.dtype, device=x.device))
        else:
            ends.append(x.new_zeros((0,)))
    return ends


@defop("_npi_ediff1d", inputs=_ediff_inputs, all_inputs=("input1", "input2", "input3"),
       same_dtype=(), attrs=_EDIFF_ATTRS)
def np_ediff1d(input1, *extra, to_begin_arr_given, to_end_arr_given, to_begin_scalar,
               to_end_scalar):
    """Differences of consecutive elements of the flattened input, with ``to_begin`` and
    ``to_end`` (arrays or scalars) put before and after."""
    x = input1.reshape(-1)
    begin, end = _ediff_ends(x, extra, to_begin_arr_given, to_end_arr_given, to_begin_scalar,
                             to_end_scalar)
    return torch.cat([begin, x[1:] - x[:-1], end])


@defop("_npi_backward_ediff1d", inputs=lambda at: ("ograd",) + _ediff_inputs(at),
       all_inputs=("ograd", "input1", "input2", "input3"), same_dtype=(), attrs=_EDIFF_ATTRS)
def np_backward_ediff1d(ograd, input1, *extra, to_begin_arr_given, to_end_arr_given,
                        to_begin_scalar, to_end_scalar):
    """Gradient of ``ediff1d`` for its first input (shape of ``input1``)."""
    begin, _ = _ediff_ends(input1.reshape(-1), extra, to_begin_arr_given, to_end_arr_given,
                           to_begin_scalar, to_end_scalar)
    n = input1.numel()
    g = ograd.reshape(-1)[begin.numel():begin.numel() + max(n - 1, 0)]
    grad = input1.new_zeros(n, dtype=ograd.dtype)
    if n > 1:
        grad[1:] += g
        grad[:-1] -= g
    return grad.reshape(input1.shape)


_NAN_ATTRS = (Attr("copy", BOOL, True), Attr("nan", FLOAT, 0.0),
              Attr("posinf", OPT_FLOAT, None), Attr("neginf", OPT_FLOAT, None))


@defop("_npi_nan_to_num", inputs=("data",), shape_rule="same", attrs=_NAN_ATTRS)
def np_nan_to_num(data, copy, nan, posinf, neginf):
    """NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (default: the dtype's
    largest and smallest finite values); integer arrays are returned unchanged."""
    if not data.is_floating_point():
        return data.clone()
    return torch.nan_to_num(data, nan=nan, posinf=posinf, neginf=neginf)


@defop("_npi_backward_nan_to_num", inputs=("ograd", "data"), shape_rule="same",
       attrs=_NAN_ATTRS)
def np_backward_nan_to_num(ograd, data, copy, nan, posinf, neginf):
    """Gradient of ``nan_to_num``: ``ograd`` where ``data`` is finite, else 0."""
    if not data.is_floating_point():
        return ograd.clone()
    return torch.where(torch.isfinite(data), ograd, torch.zeros_like(ograd))


@defop("_npi_polyval", inputs=("p", "x"))
def np_polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at ``x`` (Horner)."""
    if p.dim() != 1:
        raise MXNetError(f"polyval: p must be 1-d, got shape {tuple(p.shape)}")
    out = torch.zeros_like(x)
    for c in p:
        out = out * x + c
    return out


@defop("_npi_backward_polyval", inputs=("ograd", "p", "x"), num_outputs=2)
def np_backward_polyval(ograd, p, x):
    """Gradients of ``polyval`` for ``p`` and ``x``."""
    n = p.shape[0]
    powers = torch.stack([x ** (n - 1 - i) for i in range(n)]) if n else x.new_zeros((0,))
    grad_p = (powers * ograd).reshape(n, -1).sum(1)
    deriv = torch.zeros_like(x)
    for i, c in enumerate(p[:-1]):
        deriv = deriv * x + c * (n - 1 - i)
    return grad_p, ograd * deriv
