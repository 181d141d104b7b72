"""NDArray ``__getitem__``/``__setitem__`` with MXNet 1.x (legacy shape) semantics.

- A result that is a contiguous block of the source (``x[i]``, ``x[a:b]``, ``x[i, j]``) is a
  view: writes show through. Any other basic index (``x[:, 1]``, steps) gives a copy.
- Indexing never returns a 0-d array: dropping every axis gives shape ``(1,)`` (under NumPy
  shape semantics, ``mx.util.set_np_shape(True)``, it gives a 0-d array as MXNet does).
- Integer arrays/lists index as in NumPy (a copy). Index arrays may be float (MXNet's default
  dtype) and are truncated. Boolean masks are accepted (MXNet 1.x refused them).
"""
import numpy as np
import torch

from .._mode import STATE as _MODE
from ..autograd import STATE
from ..base import MXNetError
from .ndarray import NDArray, _assign, _no_grad, _wrap


def _index_tensor(value, device):
    if isinstance(value, NDArray):
        t = value._t
    elif isinstance(value, torch.Tensor):
        t = value
    elif isinstance(value, list):  # MXNet reads lists as numbers: [True, False] is [1, 0]
        a = np.asarray(value)
        t = torch.as_tensor(a.astype(np.int64) if a.dtype == np.bool_ else a)
    else:
        t = torch.as_tensor(np.asarray(value))
    if t.dtype == torch.bool:
        return t.to(device)
    if t.is_floating_point():
        t = t.trunc()
    return t.to(device=device, dtype=torch.int64)


def _is_advanced(item):
    return isinstance(item, (NDArray, list, range, np.ndarray, torch.Tensor)) and not (
        isinstance(item, np.ndarray) and item.ndim == 0)


def _normalize(key, shape, device):
    """MXNet key -> (torch key, has_advanced, negative-step axes handled as index tensors)."""
    if not isinstance(key, tuple):
        key = (key,)
    out, axis, advanced = [], 0, False
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    for item in key:
        if item is Ellipsis:
            skip = len(shape) - n_real
            out.append(Ellipsis)
            axis += skip
            continue
        if item is None:
            out.append(None)
            continue
        if axis >= len(shape):
            raise IndexError(f"too many indices for an array of shape {tuple(shape)}")
        size = shape[axis]
        if isinstance(item, slice):
            if item.step is not None and item.step < 0:
                out.append(item)  # torch has no negative steps: the NumPy-rule path flips
                advanced = True
            elif item.step == 0:
                raise ValueError("slice step cannot be zero")
            else:
                out.append(item)
        elif _is_advanced(item):
            out.append(_index_tensor(item, device))
            advanced = True
        else:
            if isinstance(item, (float, np.floating)):
                raise ValueError(f"NDArray does not support indexing with key {item!r} of "
                                 f"type {type(item).__name__}; use an integer")
            i = int(item)
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for axis {axis} with size {size}")
            out.append(i)
        axis += 1
    return tuple(out), advanced


def _positive_slice(s, size):
    """A slice with a negative step as (positive slice, True): the same elements in reverse
    order, so selecting with it and flipping the axis gives NumPy's result."""
    start, stop, step = s.indices(size)
    count = len(range(start, stop, step))
    if count == 0:
        return slice(0, 0), False
    last = start + (count - 1) * step
    return slice(last, start + 1, -step), True


def _adv_parts(item, axis):
    """Index tensors an advanced item gives and how many source axes it consumes."""
    if isinstance(item, int):
        return [torch.tensor(item, dtype=torch.int64)], 1
    if item.dtype == torch.bool:
        return list(torch.nonzero(item, as_tuple=True)), max(item.dim(), 1)
    return [item], 1


def numpy_index(t, tkey):
    """``t[tkey]`` by NumPy's rules for keys torch gets wrong: negative steps, and integer
    or array indices mixed with slices/None (integers then count as advanced indices; the
    broadcast index dims go first unless all advanced indices are adjacent)."""
    items = list(tkey)
    if Ellipsis in items:
        pos = items.index(Ellipsis)
        used = sum(1 for k in items if k is not None and k is not Ellipsis and not (
            isinstance(k, torch.Tensor) and k.dtype == torch.bool))
        used += sum(max(k.dim(), 1) for k in items
                    if isinstance(k, torch.Tensor) and k.dtype == torch.bool)
        items[pos:pos + 1] = [slice(None)] * (t.dim() - used)
    basic, flips, adv, layout, axis = [], [], [], [], 0
    for item in items:
        if item is None:
            layout.append("N")
            continue
        if isinstance(item, slice):
            if item.step is not None and item.step < 0:
                item, flip = _positive_slice(item, t.shape[axis])
                if flip:
                    flips.append(axis)
            basic.append(item)
            layout.append("S")
            axis += 1
            continue
        parts, width = _adv_parts(item, axis)
        for j, part in enumerate(parts):
            adv.append((axis + j, part.to(t.device)))
        basic.extend([slice(None)] * width)
        if not layout or layout[-1] != "A":
            layout.append("A")
        axis += width
    view = t[tuple(basic)]
    if flips:
        view = view.flip(flips)
    if not adv:
        return _add_new_axes(view, layout, 0)
    dims = [d for d, _ in adv]
    rest = [d for d in range(view.dim()) if d not in dims]
    out = view.permute(dims + rest)[tuple(i for _, i in adv)]
    n_adv = out.dim() - len(rest)
    if layout.count("A") > 1:  # separated advanced indices: their dims go first
        layout = ["A"] + [k for k in layout if k != "A"]
    before = layout[:layout.index("A")].count("S")
    if before:
        out = torch.movedim(out, list(range(n_adv)), list(range(before, before + n_adv)))
    return _add_new_axes(out, layout, n_adv)


def _add_new_axes(out, layout, n_adv):
    """Insert the ``None`` axes of ``layout`` ('S' one axis, 'A' the n_adv index axes)."""
    pos = 0
    for k in layout:
        if k == "N":
            out = out.unsqueeze(pos)
        pos += n_adv if k == "A" else 1
    return out


def _needs_numpy_rule(tkey):
    """Whether torch's own indexing would differ from NumPy's for ``tkey``."""
    has_tensor = any(isinstance(k, torch.Tensor) for k in tkey)
    if any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in tkey):
        return True
    if not has_tensor:
        return False
    return any(isinstance(k, int) for k in tkey) or (None in tkey) or _split_advanced(tkey)


def _split_advanced(tkey):
    seen, gap = False, False
    for k in tkey:
        if isinstance(k, torch.Tensor):
            if seen and gap:
                return True
            seen = True
        elif seen:
            gap = True
    return False


def getitem(array, key):
    t = array._t
    if isinstance(key, int) and not isinstance(key, bool):
        size = t.shape[0] if t.dim() else 0
        if not -size <= key < size:
            raise IndexError(f"index {key} is out of bounds for axis 0 with size {size}")
        result = _grad_aware(lambda: t[key], t)
        if result.dim() == 0 and not _MODE.np_shape:
            result = result.reshape(1)
        return _wrap(result, array._ctx)
    if t.dim() == 0:
        if key == ():  # MXNet: x[()] of a 0-d array is the array itself (a view)
            return _wrap(_grad_aware(lambda: t.view(()), t), array._ctx)
        raise IndexError(f"cannot index a 0-d array with {key!r}; only x[()] is allowed")
    tkey, advanced = _normalize(key, t.shape, t.device)

    def select():
        r = numpy_index(t, tkey) if advanced and _needs_numpy_rule(tkey) else t[tkey]
        if r.dim() == 0 and not _MODE.np_shape:
            r = r.reshape(1)
        if not advanced and not r.is_contiguous():
            r = r.clone()  # MXNet copies non-contiguous selections
        return r
    try:
        result = _grad_aware(select, t)
    except IndexError:
        raise
    except (RuntimeError, TypeError) as err:
        raise IndexError(f"invalid index {key!r} for an array of shape {array.shape}: "
                         f"{err}") from err
    return _wrap(result, array._ctx)


def _grad_aware(fn, t):
    if t.requires_grad and not STATE.recording:
        with _no_grad():
            return fn()
    return fn()


def _value_tensor(value, like):
    if isinstance(value, NDArray):
        return value._t.to(dtype=like.dtype, device=like.device)
    if isinstance(value, torch.Tensor):
        return value.to(dtype=like.dtype, device=like.device)
    return torch.as_tensor(np.asarray(value), dtype=like.dtype, device=like.device)


def _int_scalar(value, dtype):
    """A Python scalar as MXNet stores it in an integer array: truncated, then wrapped."""
    v = int(value)
    if dtype == torch.bool:
        return bool(v)
    info = torch.iinfo(dtype)
    if info.min <= v <= info.max:
        return v
    span = info.max - info.min + 1
    return (v - info.min) % span + info.min


def setitem(array, key, value):
    t = array._t
    if isinstance(key, slice) and key == slice(None):
        tkey = (slice(None),)
    else:
        if t.dim() == 0:
            raise IndexError("cannot index a 0-d array")
        tkey, advanced = _normalize(key, t.shape, t.device)
        if advanced and _needs_numpy_rule(tkey):
            return _setitem_flat(array, key, tkey, value)
    try:
        if value is None:  # MXNet assigns NaN
            value = float("nan")
        if isinstance(value, (int, float, bool, np.generic)) and not isinstance(value, np.ndarray):
            scalar = float(value) if t.is_floating_point() else _int_scalar(value, t.dtype)
            if STATE.recording and t.requires_grad:
                new = t.clone()
                new[tkey] = scalar
                array._t = new
            else:
                with _no_grad():
                    t[tkey] = scalar
            return
        v = _value_tensor(value, t)
        if STATE.recording and (t.requires_grad or v.requires_grad):
            new = t.clone()
            new[tkey] = v
            array._t = new
            return
        with _no_grad():
            target = t[tkey]
            if isinstance(target, torch.Tensor) and target.shape == t.shape and \
                    tkey in ((slice(None),), (Ellipsis,)):
                _assign(array, v)
            else:
                t[tkey] = v.reshape(target.shape) if v.numel() == target.numel() and \
                    v.shape != target.shape and v.dim() > target.dim() else v
    except (RuntimeError, ValueError) as err:
        raise MXNetError(f"cannot assign a value of shape {tuple(np.shape(value))} to index "
                         f"{key!r} of an array of shape {array.shape}: {err}") from err


def _setitem_flat(array, key, tkey, value):
    """``array[key] = value`` for keys torch indexes differently from NumPy: the flat
    positions NumPy's rule selects (``numpy_index`` of an index grid) are written."""
    t = array._t
    grid = torch.arange(t.numel(), device=t.device).reshape(t.shape)
    where = numpy_index(grid, tkey)
    if value is None:
        value = float("nan")
    if isinstance(value, (int, float, bool, np.generic)) and not isinstance(value, np.ndarray):
        scalar = float(value) if t.is_floating_point() else _int_scalar(value, t.dtype)
        v = torch.tensor(scalar, dtype=t.dtype, device=t.device)
    else:
        v = _value_tensor(value, t)
    try:
        v = torch.broadcast_to(v, where.shape).reshape(-1)
    except RuntimeError as err:
        raise MXNetError(f"cannot assign a value of shape {tuple(v.shape)} to index {key!r} of "
                         f"an array of shape {array.shape} (selection shape "
                         f"{tuple(where.shape)})") from err
    flat = where.reshape(-1)
    if (STATE.recording and (t.requires_grad or v.requires_grad)) or not t.is_contiguous():
        new = t.reshape(-1).index_put((flat,), v).reshape(t.shape)
        if STATE.recording:
            array._t = new
        else:
            with _no_grad():
                _assign(array, new)
        return
    with _no_grad():
        t.view(-1)[flat] = v
