"""``mx.np`` functions over the operators of ``ops/np_extra.py``: ``insert``, ``delete``,
``ediff1d``, ``nan_to_num``, ``polyval``, the window functions and ``diag_indices_from``.
They are differentiable where the math allows and trace into graphs like any ``mx.np`` op.
"""
import numbers

import numpy as onp

from ..ndarray.ndarray import NDArray
from ._door import call, is_scalar, to_np

__all__ = ["insert", "delete", "ediff1d", "nan_to_num", "polyval", "hanning", "hamming",
           "blackman", "diag_indices_from"]


def _slice_attrs(obj):
    return {"start": obj.start, "stop": obj.stop, "step": 1 if obj.step is None else obj.step}


def _index_array(fname, obj):
    if isinstance(obj, NDArray):
        return to_np(obj, fname)
    if isinstance(obj, (list, tuple, onp.ndarray)):
        return to_np(onp.asarray(obj, dtype=onp.int64), fname)
    raise TypeError(f"{fname}: obj must be an int, a slice or an integer array, got "
                    f"{type(obj).__name__}")


def insert_plan(obj, values, axis, is_array):
    """``(op, extra inputs, attrs)`` of ``insert`` (shared by the nd and sym doors); inputs
    are the raw ``values``/``obj`` arguments, ``is_array`` tells an array argument."""
    attrs, inputs = {"axis": axis}, []
    if is_scalar(values) and not isinstance(values, (bool, onp.bool_)):
        attrs["val"] = float(values)
    else:
        inputs.append(values)
    if isinstance(obj, slice):
        return "_npi_insert_slice", inputs, dict(attrs, **_slice_attrs(obj))
    if isinstance(obj, numbers.Integral):
        return "_npi_insert_scalar", inputs, dict(attrs, int_ind=int(obj))
    if not is_array(obj) and not isinstance(obj, (list, tuple, onp.ndarray)):
        raise TypeError(f"insert: obj must be an int, a slice or an integer array, got "
                        f"{type(obj).__name__}")
    return "_npi_insert_tensor", inputs + [obj], attrs


def delete_plan(obj, axis, is_array):
    """``(op, extra inputs, attrs)`` of ``delete`` (see ``insert_plan``)."""
    if isinstance(obj, slice):
        return "_npi_delete", [], dict(axis=axis, **_slice_attrs(obj))
    if isinstance(obj, numbers.Integral):
        return "_npi_delete", [], {"int_ind": int(obj), "axis": axis}
    if not is_array(obj) and not isinstance(obj, (list, tuple, onp.ndarray)):
        raise TypeError(f"delete: obj must be an int, a slice or an integer array, got "
                        f"{type(obj).__name__}")
    return "_npi_delete", [obj], {"axis": axis}


def ediff1d_plan(to_end, to_begin):
    """``(extra inputs, attrs)`` of ``ediff1d``: array ends are inputs, scalars attributes."""
    inputs, attrs = [], {}
    for key, value in (("to_begin", to_begin), ("to_end", to_end)):
        if value is None or is_scalar(value):
            attrs[f"{key}_arr_given"] = False
            attrs[f"{key}_scalar"] = None if value is None else float(value)
        else:
            attrs[f"{key}_arr_given"] = True
            inputs.append(value)
    return inputs, attrs


def _is_nd(x):
    return isinstance(x, NDArray)


def insert(arr, obj, values, axis=None):
    """Insert ``values`` along ``axis`` (flattened when None) before the index ``obj``: an int,
    a slice or an integer array (NumPy's rules; values are cast to ``arr``'s dtype)."""
    arr = to_np(arr, "insert")
    op, extra, attrs = insert_plan(obj, values, axis, _is_nd)
    if "val" not in attrs:
        extra[0] = to_np(extra[0], "insert", dtype=arr.dtype)
    if op == "_npi_insert_tensor":
        extra[-1] = _index_array("insert", extra[-1])
    return call(op, [arr] + extra, **attrs)


def delete(arr, obj, axis=None):
    """``arr`` without the entries at ``obj`` (an int, a slice or an integer array) along
    ``axis`` (flattened when None); negative entries of an index array are ignored (MXNet)."""
    op, extra, attrs = delete_plan(obj, axis, _is_nd)
    return call(op, [to_np(arr, "delete")] + [_index_array("delete", o) for o in extra],
                **attrs)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive elements of the flattened ``ary``, with ``to_begin`` and
    ``to_end`` (arrays or scalars) put before and after."""
    extra, attrs = ediff1d_plan(to_end, to_begin)
    return call("_npi_ediff1d", [to_np(ary, "ediff1d")] +
                [to_np(e, "ediff1d") for e in extra], **attrs)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None, **kwargs):
    """NaN replaced by ``nan`` and infinities by ``posinf``/``neginf`` (default: the dtype's
    extremes); with ``copy=False`` ``x`` is changed in place and returned."""
    x = to_np(x, "nan_to_num")
    return call("_npi_nan_to_num", [x], out=None if copy else x, copy=copy, nan=nan,
                posinf=posinf, neginf=neginf)


def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) evaluated at ``x``."""
    p = to_np(p, "polyval")
    if is_scalar(x):
        x = to_np(x, "polyval", dtype=p.dtype)
    return call("_npi_polyval", [p, to_np(x, "polyval")])


def _window(name):
    def window(M, dtype=None, ctx=None):
        from ..context import current_context
        from .._torch.dtypes import dtype_name
        from ._door import default_float
        return call(f"_npi_{name}", [], M=int(M),
                    dtype=default_float() if dtype is None else dtype_name(dtype),
                    ctx=ctx if ctx is not None else current_context())
    window.__name__ = window.__qualname__ = name
    window.__doc__ = (f"The {name} window of ``M`` points (float32 by default; float64 after "
                      "``npx.set_np(dtype=True)``).\n\n"
                      "Parameters\n----------\nM : int\n    Number of points (0 gives an empty "
                      "array).\ndtype : str or numpy dtype\nctx : Context, optional")
    window.__module__ = "mxtorch.numpy"
    return window


hanning, hamming, blackman = _window("hanning"), _window("hamming"), _window("blackman")


def diag_indices_from(arr):
    """The index arrays of the main diagonal of ``arr`` (n-d, all dims equal)."""
    rows = call("_npi_diag_indices_from", [to_np(arr, "diag_indices_from")])
    return tuple(rows[i] for i in range(rows.shape[0]))
