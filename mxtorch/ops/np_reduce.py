"""Reductions of ``mx.np`` (``_np_sum``, ``_npi_mean``, ``_npi_std``, ``_npi_argmax``...).

MXNet 1.9.1's NumPy-interface rules: results are 0-d for full reductions; ``sum``/``prod`` keep
integer dtypes (bool sums give int64); ``mean`` of integers is float32; ``argmax``/``argmin``
give int64; max/min of a zero-size reduction is an error naming the op.
"""
import ast
import math

import torch

from ..base import MXNetError
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, INT, OPT_DTYPE, OPT_FLOAT, OPT_INT, Kind
from ._registry import Attr, defop
from .reduce import AxesKind

AXES = AxesKind()


class LiteralKind(Kind):
    """A Python literal (number, tuple, None, string): Python values pass, MXNet's attribute
    strings (``"1"``, ``"(1, 2)"``, ``"None"``) are read back as literals."""
    name = "literal"

    def parse(self, value):
        if isinstance(value, str):
            text = value.strip()
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return text
        if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
            return value.tolist()
        return value


LITERAL = LiteralKind()
_FLOATS = (torch.float16, torch.float32, torch.float64, torch.bfloat16)


def norm_axes(name, ndim, axis):
    """``axis`` (None, int or tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise MXNetError(f"{name}: axis {a} is out of bounds for an array of "
                             f"dimension {ndim}")
        a = a % ndim if ndim else 0
        if a in out:
            raise MXNetError(f"{name}: duplicate value in 'axis' {axis}")
        out.append(a)
    return tuple(sorted(out)) if ndim else ()


def _keep(result, shape, axes, keepdims):
    if not keepdims:
        return result
    return result.reshape([1 if i in axes else d for i, d in enumerate(shape)])


def _red_attrs(dtype=True, initial=False):
    attrs = [Attr("axis", AXES, None, "Axes to reduce (None: all)")]
    if dtype:
        attrs.append(Attr("dtype", OPT_DTYPE, None, "Result dtype"))
    attrs.append(Attr("keepdims", BOOL, False, "Keep reduced axes with size 1"))
    if initial:
        attrs.append(Attr("initial", OPT_FLOAT, None, "Starting value"))
    return tuple(attrs)


def _sum_dtype(x, dtype):
    if dtype is not None:
        return NAME_TO_TORCH[dtype]
    return torch.int64 if x.dtype == torch.bool else x.dtype


@defop("_np_sum", inputs=("a",), attrs=_red_attrs(initial=True), partial_shape=False)
def np_sum(a, axis, dtype, keepdims, initial):
    """Sum over ``axis`` (integer sums keep the dtype, bool sums are int64)."""
    if axis is None and not keepdims and initial is None and dtype is None and a.dim():
        if a.is_floating_point():  # keeps its dtype; the dtype= argument costs ~0.3 us
            return torch.sum(a)
        return torch.sum(a, dtype=torch.int64 if a.dtype == torch.bool else a.dtype)
    axes = norm_axes("sum", a.dim(), axis)
    target = _sum_dtype(a, dtype)
    r = torch.sum(a.to(target), dim=axes, keepdim=keepdims, dtype=target) if axes else \
        a.to(target).clone()
    return r + initial if initial is not None else r


@defop("_np_prod", inputs=("a",), attrs=_red_attrs(initial=True), aliases=("_np_product",),
       partial_shape=False)
def np_prod(a, axis, dtype, keepdims, initial):
    """Product over ``axis``."""
    axes = norm_axes("prod", a.dim(), axis)
    r = a.to(_sum_dtype(a, dtype))
    for ax in reversed(axes):
        r = torch.prod(r, dim=ax, keepdim=keepdims, dtype=r.dtype)
    if not axes:
        r = r.clone()
    return r * initial if initial is not None else r


@defop("_npi_mean", inputs=("a",), attrs=_red_attrs(initial=True), partial_shape=False)
def np_mean(a, axis, dtype, keepdims, initial):
    """Mean over ``axis``; integer inputs give float32 (or ``dtype``)."""
    if axis is None and dtype is None and not keepdims and a.dim() and a.numel() and \
            a.dtype in _FLOATS:
        return torch.mean(a)  # the whole array: the common case, in one call
    axes = norm_axes("mean", a.dim(), axis)
    target = NAME_TO_TORCH[dtype] if dtype else (a.dtype if a.dtype in _FLOATS
                                                else torch.float32)
    if not axes:
        return a.to(target).clone()
    if a.numel() == 0:  # MXNet gives 0 where NumPy warns and gives NaN
        return torch.zeros_like(torch.sum(a.to(target), dim=axes, keepdim=keepdims))
    return torch.mean(a.to(target), dim=axes, keepdim=keepdims)


def _moment(a, axis, dtype, ddof, keepdims, sqrt):
    axes = norm_axes("std" if sqrt else "var", a.dim(), axis)
    target = NAME_TO_TORCH[dtype] if dtype else (a.dtype if a.dtype in _FLOATS
                                                else torch.float32)
    x = a.to(target)
    if not axes:
        r = torch.zeros_like(x)
    else:
        r = torch.var(x, dim=axes, correction=ddof, keepdim=keepdims)
    return torch.sqrt(r) if sqrt else r


_MOMENT_ATTRS = (Attr("axis", AXES, None, "Axes to reduce"),
                 Attr("dtype", OPT_DTYPE, None, "Result dtype"),
                 Attr("ddof", INT, 0, "Delta degrees of freedom"),
                 Attr("keepdims", BOOL, False, "Keep reduced axes"))


@defop("_npi_std", inputs=("a",), attrs=_MOMENT_ATTRS, partial_shape=False)
def np_std(a, axis, dtype, ddof, keepdims):
    """Standard deviation over ``axis`` (float32 for integer inputs)."""
    return _moment(a, axis, dtype, ddof, keepdims, True)


@defop("_npi_var", inputs=("a",), attrs=_MOMENT_ATTRS, partial_shape=False)
def np_var(a, axis, dtype, ddof, keepdims):
    """Variance over ``axis`` (float32 for integer inputs)."""
    return _moment(a, axis, dtype, ddof, keepdims, False)


def _extremum(name, fn, a, axis, keepdims, initial):
    axes = norm_axes(name, a.dim(), axis)
    if a.numel() == 0 and (not axes or any(a.shape[i] == 0 for i in axes)) and initial is None:
        raise MXNetError(f"{name}: zero-size array to reduction operation {name} which has no "
                         f"identity (shape {tuple(a.shape)}, axis={axis})")
    r = fn(a, dim=axes, keepdim=keepdims) if axes else a.clone()
    if initial is not None:
        r = torch.maximum(r, torch.tensor(initial, dtype=r.dtype)) if name == "max" else \
            torch.minimum(r, torch.tensor(initial, dtype=r.dtype))
    return r


_EXT_ATTRS = (Attr("axis", AXES, None, "Axes to reduce"),
              Attr("keepdims", BOOL, False, "Keep reduced axes"),
              Attr("initial", OPT_FLOAT, None, "Starting value"))


@defop("_np_max", inputs=("a",), attrs=_EXT_ATTRS, aliases=("_np_amax",), partial_shape=False)
def np_max(a, axis, keepdims, initial):
    """Maximum over ``axis``."""
    return _extremum("max", torch.amax, a, axis, keepdims, initial)


@defop("_np_min", inputs=("a",), attrs=_EXT_ATTRS, aliases=("_np_amin",), partial_shape=False)
def np_min(a, axis, keepdims, initial):
    """Minimum over ``axis``."""
    return _extremum("min", torch.amin, a, axis, keepdims, initial)


def _arg(name, fn, data, axis, keepdims):
    if data.numel() == 0 and (axis is None or data.shape[norm_axes(name, data.dim(),
                                                                     axis)[0]] == 0):
        raise MXNetError(f"{name}: attempt to get {name} of an empty sequence "
                         f"(shape {tuple(data.shape)}, axis={axis})")
    if data.numel() == 0:
        ax = norm_axes(name, data.dim(), axis)[0]
        shape = [1 if i == ax else d for i, d in enumerate(data.shape)] if keepdims else \
            [d for i, d in enumerate(data.shape) if i != ax]
        return torch.zeros(shape, dtype=torch.int64, device=data.device)
    if axis is None:
        r = fn(data.reshape(-1), dim=0)
        return r.reshape([1] * data.dim()) if keepdims else r
    ax = norm_axes(name, data.dim(), axis)[0]
    return fn(data, dim=ax, keepdim=keepdims)


_ARG_ATTRS = (Attr("axis", OPT_INT, None, "Axis (None: the flattened array)"),
              Attr("keepdims", BOOL, False, "Keep the reduced axis"))


@defop("_npi_argmax", attrs=_ARG_ATTRS, partial_shape=False)
def np_argmax(data, axis, keepdims):
    """Index of the maximum along ``axis`` (int64; ties pick the first)."""
    return _arg("argmax", torch.argmax, data, axis, keepdims)


@defop("_npi_argmin", attrs=_ARG_ATTRS, partial_shape=False)
def np_argmin(data, axis, keepdims):
    """Index of the minimum along ``axis`` (int64; ties pick the first)."""
    return _arg("argmin", torch.argmin, data, axis, keepdims)


def _logical(fn, data, axis, keepdims):
    axes = norm_axes("all" if fn is torch.all else "any", data.dim(), axis)
    r = data.to(torch.bool)
    for ax in reversed(axes):
        r = fn(r, dim=ax, keepdim=keepdims)
    return r.clone() if not axes else r


_LOGIC_ATTRS = (Attr("axis", AXES, None, "Axes to reduce"),
                Attr("keepdims", BOOL, False, "Keep reduced axes"))


@defop("_np_all", attrs=_LOGIC_ATTRS, partial_shape=False)
def np_all(data, axis, keepdims):
    """True where every element along ``axis`` is non-zero."""
    return _logical(torch.all, data, axis, keepdims)


@defop("_np_any", attrs=_LOGIC_ATTRS, aliases=("_np_sometrue",), partial_shape=False)
def np_any(data, axis, keepdims):
    """True where some element along ``axis`` is non-zero."""
    return _logical(torch.any, data, axis, keepdims)


@defop("_npi_average", inputs=lambda at: ("a", "weights") if at["weighted"] else ("a",),
       all_inputs=("a", "weights"), attrs=(
        Attr("axis", AXES, None, "Axes to average"),
        Attr("returned", BOOL, False, "Also return the sum of weights"),
        Attr("weighted", BOOL, True, "Whether weights are given")),
       num_outputs=2, same_dtype=())
def np_average(a, weights=None, *, axis, returned, weighted):
    """Weighted average over ``axis`` and the sum of the weights (the element count when
    ``weighted`` is False and no weights input is given)."""
    x = a if a.dtype in _FLOATS else a.to(torch.float32)
    axes = norm_axes("average", x.dim(), axis)
    if not axes:
        return x.clone(), (weights.to(x.dtype).clone() if weighted else torch.ones_like(x))
    if not weighted:  # MXNet's sum of weights: the element count, one number
        count = math.prod(x.shape[i] for i in axes)
        return torch.mean(x, dim=axes), torch.tensor(float(count), dtype=x.dtype,
                                                     device=x.device)
    w = weights.to(x.dtype)
    if w.shape == x.shape:
        total = torch.sum(w, dim=axes)
        return torch.sum(x * w, dim=axes) / total, total
    if w.dim() != 1 or len(axes) != 1 or w.shape[0] != x.shape[axes[0]]:
        raise MXNetError(f"average: weights of shape {tuple(w.shape)} do not match data "
                         f"of shape {tuple(x.shape)} along axis {axis}")
    shape = [1] * x.dim()
    shape[axes[0]] = w.shape[0]
    total = torch.sum(w)  # 1-d weights: their sum, one number (MXNet; NumPy broadcasts it)
    return torch.sum(x * w.reshape(shape), dim=axes) / total, total
