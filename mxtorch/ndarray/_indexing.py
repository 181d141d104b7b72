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
                idx = torch.arange(size, device=device)[_positive_slice(item, size)]
                out.append(idx)
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
    """Negative-step slice as indices (torch has no negative steps)."""
    start, stop, step = s.indices(size)
    return list(range(start, stop, step))


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
        r = t[tkey]
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
        tkey, _ = _normalize(key, t.shape, t.device)
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
