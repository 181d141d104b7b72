"""``mx.np`` reductions, array manipulation, products, sorting and searching, each over one
registered ``_np*`` operator (see ``mxtorch/ops/np_*.py``)."""
import builtins
import numbers

import numpy as onp

from ..base import MXNetError
from ..ndarray.ndarray import NDArray
from . import _door
from ._door import NP_CLASS, call, direct2, is_scalar, op_of, to_np
from ..ops.np_shape import pad_attrs
from ._ufuncs import binary

__all__ = ["sum", "mean", "prod", "product", "max", "min", "amax", "amin", "std", "var",
           "argmax", "argmin", "all", "any", "alltrue", "sometrue", "cumsum", "average",
           "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "rollaxis", "expand_dims",
           "squeeze", "concatenate", "append", "stack", "vstack", "row_stack", "hstack",
           "dstack", "column_stack", "split", "array_split", "hsplit", "vsplit", "dsplit",
           "tile", "repeat", "flip", "flipud", "fliplr", "roll", "rot90", "where", "clip",
           "broadcast_to", "broadcast_arrays", "pad", "diag", "diagflat", "diagonal", "trace",
           "tril", "triu", "atleast_1d", "atleast_2d", "atleast_3d", "copy", "take", "diff",
           "dot", "vdot", "inner", "outer", "matmul", "tensordot", "einsum", "kron",
           "sort", "argsort", "unique", "nonzero", "argwhere", "flatnonzero",
           "count_nonzero", "histogram", "percentile", "quantile", "bincount", "searchsorted",
           "ptp", "isclose", "allclose", "array_equal", "array_equiv", "round",
           "round_", "fix", "may_share_memory", "shares_memory", "meshgrid", "resize",
           "take_along_axis", "median"]

_sum, _max, _min, _all, _any, _round = (builtins.sum, builtins.max, builtins.min,
                                       builtins.all, builtins.any, builtins.round)


def _np(a, fname):
    return to_np(a, fname)


# --------------------------------------------------------------------------------------------
# reductions
# --------------------------------------------------------------------------------------------


def _dt(dtype):
    if dtype is None:
        return None
    from .._torch.dtypes import dtype_name
    return dtype_name(dtype)


def sum(a, axis=None, dtype=None, keepdims=False, initial=None, out=None):  # noqa: A001
    """Sum of elements over ``axis`` (integer sums keep the dtype, bools sum as float32)."""
    return call("_np_sum", [_np(a, "sum")], out=out, axis=axis, dtype=_dt(dtype),
                keepdims=keepdims, initial=initial)


def _moment_dt(a, dtype):
    """The dtype of a mean/std/var: float64 for integer/bool input under NumPy default
    dtypes (``npx.set_np(dtype=True)``), else ``dtype`` (None: the op's float32 rule)."""
    if dtype is None and _door.DTYPE_MODE.numpy_default and a.dtype.kind in "biu":
        return "float64"
    return _dt(dtype)


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    """Mean over ``axis`` (float32 for integer input; float64 after
    ``npx.set_np(dtype=True)``)."""
    a = _np(a, "mean")
    return call("_npi_mean", [a], out=out, axis=axis, dtype=_moment_dt(a, dtype),
                keepdims=keepdims)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """Product of elements over ``axis``."""
    return call("_np_prod", [_np(a, "prod")], out=out, axis=axis, dtype=_dt(dtype),
                keepdims=keepdims, initial=initial)


product = prod


def max(a, axis=None, keepdims=False, out=None):  # noqa: A001
    """Maximum over ``axis`` (an error for zero-size reductions)."""
    return call("_np_max", [_np(a, "max")], out=out, axis=axis, keepdims=keepdims)


def min(a, axis=None, keepdims=False, out=None):  # noqa: A001
    """Minimum over ``axis`` (an error for zero-size reductions)."""
    return call("_np_min", [_np(a, "min")], out=out, axis=axis, keepdims=keepdims)


amax, amin = max, min


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Standard deviation over ``axis``."""
    a = _np(a, "std")
    return call("_npi_std", [a], out=out, axis=axis, dtype=_moment_dt(a, dtype), ddof=ddof,
                keepdims=keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Variance over ``axis``."""
    a = _np(a, "var")
    return call("_npi_var", [a], out=out, axis=axis, dtype=_moment_dt(a, dtype), ddof=ddof,
                keepdims=keepdims)


def argmax(a, axis=None, out=None):
    """Indices of the maxima (int64) along ``axis`` (flattened when None)."""
    return call("_npi_argmax", [_np(a, "argmax")], out=out, axis=axis)


def argmin(a, axis=None, out=None):
    """Indices of the minima (int64) along ``axis`` (flattened when None)."""
    return call("_npi_argmin", [_np(a, "argmin")], out=out, axis=axis)


def all(a, axis=None, keepdims=False, out=None):  # noqa: A001
    """Whether all elements along ``axis`` are non-zero (bool)."""
    return call("_np_all", [_np(a, "all")], out=out, axis=axis, keepdims=keepdims)


def any(a, axis=None, keepdims=False, out=None):  # noqa: A001
    """Whether any element along ``axis`` is non-zero (bool)."""
    return call("_np_any", [_np(a, "any")], out=out, axis=axis, keepdims=keepdims)


def alltrue(*args, **kwargs):
    """Alias of ``all``."""
    return all(*args, **kwargs)


def sometrue(*args, **kwargs):
    """Alias of ``any``."""
    return any(*args, **kwargs)


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along ``axis`` (flattened when None)."""
    return call("_np_cumsum", [_np(a, "cumsum")], out=out, axis=axis, dtype=_dt(dtype))


def average(a, axis=None, weights=None, returned=False, out=None):
    """Weighted average over ``axis``; with ``returned`` also the sum of weights."""
    a = _np(a, "average")
    inputs = [a] if weights is None else [a, _np(weights, "average")]
    avg, total = call("_npi_average", inputs, axis=axis, returned=returned,
                      weighted=weights is not None)
    if out is not None:
        out[...] = avg
        avg = out
    return (avg, total) if returned else avg


def full_like_scalar(like, value):
    from .multiarray import full
    return full(like.shape, value, dtype=like.dtype, ctx=like.ctx)


def ptp(a, axis=None, out=None, keepdims=False):
    """Range (max - min) along ``axis``."""
    return binary("subtract", max(a, axis, keepdims), min(a, axis, keepdims), out)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):  # noqa: ARG001
    """Median along ``axis``."""
    return quantile(a, 0.5, axis=axis, out=out, keepdims=keepdims)


# --------------------------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------------------------


def reshape(a, newshape, order="C", out=None):
    """``a`` with shape ``newshape`` (one -1 is inferred)."""
    if isinstance(newshape, numbers.Integral):
        newshape = (newshape,)
    return call("_np_reshape", [_np(a, "reshape")], out=out, newshape=tuple(newshape),
                order=order)


def ravel(x, order="C"):
    """The flattened array."""
    return reshape(x, (-1,), order)


def transpose(a, axes=None):
    """Permute the axes (reverse them by default)."""
    return call("_np_transpose", [_np(a, "transpose")], axes=None if axes is None
                else tuple(axes))


def swapaxes(a, axis1, axis2):
    """Interchange two axes."""
    return call("_npi_swapaxes", [_np(a, "swapaxes")], dim1=axis1, dim2=axis2)


def moveaxis(a, source, destination):
    """Move axes to new positions."""
    src = (source,) if isinstance(source, numbers.Integral) else tuple(source)
    dst = (destination,) if isinstance(destination, numbers.Integral) else tuple(destination)
    return call("_np_moveaxis", [_np(a, "moveaxis")], source=src, destination=dst)


def rollaxis(a, axis, start=0):
    """Roll ``axis`` backwards until it lies before ``start``."""
    a = _np(a, "rollaxis")
    n = a.ndim
    axis, start = axis % n, start + n if start < 0 else start
    if axis < start:
        start -= 1
    if axis == start:
        return a.copy()
    return moveaxis(a, axis, start)


def expand_dims(a, axis):
    """Insert an axis of size 1."""
    return call("_npi_expand_dims", [_np(a, "expand_dims")], axis=axis)


def squeeze(a, axis=None, out=None):
    """Remove axes of size 1."""
    return call("_np_squeeze", [_np(a, "squeeze")], out=out, axis=axis)


def _seq(arrays, fname):
    if isinstance(arrays, NDArray):
        arrays = list(arrays)
    return [_np(x, fname) for x in arrays]


def concatenate(seq, axis=0, out=None):
    """Join arrays along an existing axis (None: flatten first)."""
    arrays = _seq(seq, "concatenate")
    return call("_npi_concatenate", arrays, out=out, num_args=len(arrays), axis=axis)


def append(arr, values, axis=None):
    """``values`` appended to ``arr`` (flattened when ``axis`` is None)."""
    return concatenate([arr, values], axis=axis)


def stack(arrays, axis=0, out=None):
    """Join arrays along a new axis."""
    arrays = _seq(arrays, "stack")
    return call("_npi_stack", arrays, out=out, axis=axis, num_args=len(arrays))


def _joined(name):
    def fn(arrays, out=None):
        arrays = _seq(arrays, name)
        return call(f"_npi_{name}", arrays, out=out, num_args=len(arrays))
    return fn


vstack = _joined("vstack")
vstack.__doc__ = "Stack arrays row-wise (along axis 0)."
row_stack = vstack
_hstack = _joined("hstack")
_dstack = _joined("dstack")
_column_stack = _joined("column_stack")


def hstack(arrays):
    """Stack arrays column-wise."""
    return _hstack(arrays)


def dstack(arrays):
    """Stack arrays along the third axis."""
    return _dstack(arrays)


def column_stack(tup):
    """Stack 1-d arrays as columns."""
    return _column_stack(tup)


def split_args(indices_or_sections):
    """``_npi_split``'s attributes for NumPy's ``indices_or_sections`` (MXNet's encoding: the
    part starts, beginning with 0)."""
    if isinstance(indices_or_sections, numbers.Integral):
        return {"sections": int(indices_or_sections), "indices": ()}
    return {"sections": 0, "indices": (0,) + tuple(int(i) for i in indices_or_sections)}


def split(ary, indices_or_sections, axis=0):
    """Split into equal sections or at indices along ``axis`` (a list of arrays)."""
    ary = _np(ary, "split")
    if isinstance(indices_or_sections, numbers.Integral) and ary.ndim:
        size = ary.shape[axis]
        if indices_or_sections <= 0 or size % indices_or_sections:
            raise ValueError(f"split: array split does not result in an equal division "
                             f"({size} elements along axis {axis} into {indices_or_sections})")
    out = call("_npi_split", [_np(ary, "split")], axis=axis, **split_args(indices_or_sections))
    return list(out) if isinstance(out, (list, tuple)) else [out]


def array_split(ary, indices_or_sections, axis=0):
    """``split`` allowing unequal sections (the first ones get one more element)."""
    ary = _np(ary, "array_split")
    if isinstance(indices_or_sections, numbers.Integral) and indices_or_sections <= 0:
        raise ValueError(f"array_split: number sections must be larger than 0, got "
                         f"{indices_or_sections}")
    out = call("_npi_split", [ary], axis=axis, **split_args(indices_or_sections))
    return list(out) if isinstance(out, (list, tuple)) else [out]


def hsplit(ary, indices_or_sections):
    """Split along axis 1 (axis 0 for 1-d arrays)."""
    ary = _np(ary, "hsplit")
    return split(ary, indices_or_sections, axis=1 if ary.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    """Split along axis 0."""
    return split(ary, indices_or_sections, axis=0)


def dsplit(ary, indices_or_sections):
    """Split along axis 2."""
    return split(ary, indices_or_sections, axis=2)


def tile(A, reps):  # noqa: N803
    """Repeat ``A`` ``reps`` times along each axis."""
    reps = (reps,) if isinstance(reps, numbers.Integral) else tuple(reps)
    return call("_npi_tile", [_np(A, "tile")], reps=reps)


def repeat(a, repeats, axis=None):
    """Repeat each element ``repeats`` times."""
    if isinstance(repeats, NDArray):
        repeats = repeats.asnumpy().tolist()
    elif not isinstance(repeats, numbers.Integral):
        repeats = [int(r) for r in repeats]
        if len(repeats) == 1:
            repeats = repeats[0]
    else:
        repeats = int(repeats)
    return call("_npi_repeats", [_np(a, "repeat")], repeats=repeats, axis=axis)


def flip(m, axis=None, out=None):
    """Reverse the order of elements along ``axis``."""
    return call("_npi_flip", [_np(m, "flip")], out=out, axis=axis)


def flipud(m):
    """Flip along axis 0."""
    return flip(m, 0)


def fliplr(m):
    """Flip along axis 1."""
    return flip(m, 1)


def roll(a, shift, axis=None):
    """Roll elements along ``axis``."""
    return call("_np_roll", [_np(a, "roll")], shift=shift, axis=axis)


def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees in the plane of ``axes``."""
    return call("_npi_rot90", [_np(m, "rot90")], k=k, axes=tuple(axes))


def where(condition, x=None, y=None):
    """Elements of ``x`` where ``condition``, else of ``y``; with only ``condition``, the
    indices of its non-zero elements (like ``nonzero``)."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    cond = _np(condition, "where")
    if is_scalar(x) and is_scalar(y):
        return call("_npi_where_scalar2", [cond], x=float(x), y=float(y))
    if is_scalar(x):
        return call("_npi_where_lscalar", [cond, _np(y, "where")], scalar=x)
    if is_scalar(y):
        return call("_npi_where_rscalar", [cond, _np(x, "where")], scalar=y)
    return call("_npi_where", [cond, _np(x, "where"), _np(y, "where")])


def clip(a, a_min, a_max, out=None):
    """Limit the values of ``a`` to [a_min, a_max]."""
    if isinstance(a_min, NDArray) or isinstance(a_max, NDArray):
        r = _np(a, "clip")
        if a_min is not None:
            r = binary("maximum", r, a_min)
        if a_max is not None:
            r = binary("minimum", r, a_max)
        return r
    return call("_npi_clip", [_np(a, "clip")], out=out, a_min=a_min, a_max=a_max)


def broadcast_to(array, shape):
    """``array`` broadcast to ``shape``."""
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
    return call("_npi_broadcast_to", [_np(array, "broadcast_to")], shape=shape)


def broadcast_arrays(*args):
    """The arrays broadcast against each other."""
    arrays = [_np(a, "broadcast_arrays") for a in args]
    shape = onp.broadcast_shapes(*[a.shape for a in arrays])
    return [broadcast_to(a, shape) for a in arrays]


def pad(x, pad_width=None, mode="constant", **kwargs):
    """Pad an array (modes constant, edge, reflect, symmetric, maximum, minimum)."""
    if isinstance(pad_width, NDArray):
        pad_width = pad_width.asnumpy().tolist()
    return call("_npi_pad", [_np(x, "pad")], **pad_attrs(pad_width, mode, kwargs))


def diag(array, k=0):
    """Diagonal of a 2-d array, or a diagonal matrix from a 1-d one."""
    return call("_np_diag", [_np(array, "diag")], k=k)


def diagflat(array, k=0):
    """A 2-d array with the flattened input on diagonal ``k``."""
    return call("_np_diagflat", [_np(array, "diagflat")], k=k)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal along two axes."""
    return call("_np_diagonal", [_np(a, "diagonal")], offset=offset, axis1=axis1, axis2=axis2)


def trace(a, offset=0, axis1=0, axis2=1, out=None):
    """Sum along a diagonal."""
    return call("_np_trace", [_np(a, "trace")], out=out, offset=offset, axis1=axis1,
                axis2=axis2)


def tril(m, k=0):
    """Lower triangle of ``m``."""
    return call("_npi_tril", [_np(m, "tril")], k=k)


def triu(m, k=0):
    """Upper triangle of ``m``."""
    return call("_npi_triu", [_np(m, "triu")], k=k)


def _atleast(n):
    def fn(*arys):
        arrays = [_np(a, f"atleast_{n}d") for a in arys]
        res = call(f"_np_atleast_{n}d", arrays, num_args=len(arrays))
        res = list(res) if isinstance(res, (list, tuple)) else [res]
        return res[0] if len(res) == 1 else res
    fn.__name__ = f"atleast_{n}d"
    fn.__doc__ = f"Inputs viewed with at least {n} dimensions."
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)


def copy(a, out=None):
    """A copy of ``a``."""
    return call("_np_copy", [_np(a, "copy")], out=out)


def take(a, indices, axis=None, mode="raise", out=None):
    """Elements of ``a`` at ``indices`` along ``axis``."""
    idx = indices if isinstance(indices, NDArray) else _np(onp.asarray(indices), "take")
    return call("_npi_take", [_np(a, "take"), idx], out=out, axis=axis, mode=mode)


def take_along_axis(arr, indices, axis):
    """Values of ``arr`` at ``indices`` matched along ``axis``."""
    host = onp.take_along_axis(arr.asnumpy(), indices.asnumpy().astype(onp.int64), axis)
    from .multiarray import array
    return array(host, dtype=host.dtype, ctx=arr.ctx)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``n``-th discrete difference along ``axis``."""
    a = _np(a, "diff")
    if prepend is not None or append is not None:
        parts = [p if isinstance(p, NDArray) else _broadcast_edge(p, a, axis)
                 for p in (prepend, a, append) if p is not None]
        a = concatenate(parts, axis=axis)
    return call("_npi_diff", [a], n=n, axis=axis)


def _broadcast_edge(value, a, axis):
    from .multiarray import full
    shape = list(a.shape)
    shape[axis] = 1
    return full(tuple(shape), value, dtype=a.dtype, ctx=a.ctx)


# --------------------------------------------------------------------------------------------
# products
# --------------------------------------------------------------------------------------------


def dot(a, b, out=None):
    """Dot product (NumPy's rules for 0-d, 1-d, 2-d and N-d operands)."""
    if out is None and type(a) is type(b) is NP_CLASS[0]:  # the loop case: no conversions
        return _DOT(a, b)
    return call("_np_dot", [_np(a, "dot"), _np(b, "dot")], out=out)


_DOT = direct2(op_of("_np_dot"))


def vdot(a, b):
    """Dot product of the flattened arrays."""
    return dot(ravel(a), ravel(b))


def inner(a, b):
    """Sum product over the last axes."""
    a, b = _np(a, "inner"), _np(b, "inner")
    if a.ndim == 0 or b.ndim == 0:
        return binary("multiply", a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def outer(a, b):
    """Outer product of two flattened arrays."""
    return call("_npi_outer", [_np(a, "outer"), _np(b, "outer")])


def kron(a, b):
    """Kronecker product."""
    return call("_npi_kron", [_np(a, "kron"), _np(b, "kron")])


def matmul(a, b, out=None, **kwargs):
    """Matrix product with broadcasting (0-d operands are an error)."""
    if kwargs:
        raise TypeError(f"matmul: unsupported arguments {sorted(kwargs)}")
    return call("_npi_matmul", [_np(a, "matmul"), _np(b, "matmul")], out=out)


def tensordot(a, b, axes=2):
    """Sum products over ``axes`` (an int, or two sequences of axes)."""
    a, b = _np(a, "tensordot"), _np(b, "tensordot")
    if isinstance(axes, numbers.Integral):
        return call("_npi_tensordot_int_axes", [a, b], axes=int(axes))
    left, right = axes
    left = (left,) if isinstance(left, numbers.Integral) else tuple(left)
    right = (right,) if isinstance(right, numbers.Integral) else tuple(right)
    if len(left) != len(right):
        raise ValueError(f"tensordot: axes {axes} must name as many axes of a as of b")
    return call("_npi_tensordot", [a, b], a_axes_summed=left, b_axes_summed=right)


def einsum(*operands, **kwargs):
    """Einstein summation: ``einsum('ij,jk->ik', a, b)``."""
    out = kwargs.pop("out", None)
    optimize = kwargs.pop("optimize", False)
    if kwargs:
        raise TypeError(f"einsum: unsupported arguments {sorted(kwargs)}")
    if not operands or not isinstance(operands[0], str):
        raise TypeError("einsum: the first argument must be the subscripts string")
    arrays = [_np(o, "einsum") for o in operands[1:]]
    return call("_npi_einsum", arrays, out=out, num_args=len(arrays), subscripts=operands[0],
                optimize=int(bool(optimize)))


# --------------------------------------------------------------------------------------------
# sorting, searching, counting
# --------------------------------------------------------------------------------------------


def sort(a, axis=-1, kind=None, order=None):
    """Sorted copy along ``axis`` (flattened when None)."""
    if order is not None:
        raise NotImplementedError("sort: order= names fields of NumPy structured arrays, "
                                  "which mx.np does not have (as MXNet 1.9.1); sort by "
                                  "a key array with np.argsort and np.take")
    return call("_npi_sort", [_np(a, "sort")], axis=axis)


def argsort(a, axis=-1, kind=None, order=None):
    """Indices that sort ``a`` along ``axis`` (int64)."""
    if order is not None:
        raise NotImplementedError("argsort: order= names fields of NumPy structured arrays, "
                                  "which mx.np does not have (as MXNet 1.9.1); sort by "
                                  "a key array with np.argsort and np.take")
    return call("_npi_argsort", [_np(a, "argsort")], axis=axis)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    """Sorted unique elements, optionally with indices, inverse and counts."""
    res = call("_npi_unique", [_np(ar, "unique")], return_index=return_index,
               return_inverse=return_inverse, return_counts=return_counts, axis=axis)
    return tuple(res) if isinstance(res, (list, tuple)) else res


def nonzero(a):
    """Indices of the non-zero elements, one int64 array per axis."""
    a = _np(a, "nonzero")
    idx = call("_npi_nonzero", [a])
    if a.ndim == 0:
        return (idx.reshape(-1)[:0] if not bool(a) else idx[:, 0],)
    return tuple(idx[:, i] for i in range(a.ndim))


def argwhere(a):
    """Indices of the non-zero elements, shape (n, ndim) ((n, 0) for a 0-d ``a``)."""
    a = _np(a, "argwhere")
    out = call("_npi_nonzero", [a])
    return out[:, :0] if a.ndim == 0 else out


def flatnonzero(a):
    """Indices of the non-zero elements of the flattened array."""
    return nonzero(ravel(a))[0]


def count_nonzero(a, axis=None, keepdims=False):
    """Number of non-zero values along ``axis`` (int64)."""
    b = binary("not_equal", _np(a, "count_nonzero"), 0)
    result = sum(b, axis=axis, dtype="int64", keepdims=keepdims)
    return result.item() if axis is None and not keepdims else result  # an int, as MXNet


def histogram(a, bins=10, range=None, normed=None, weights=None, density=None):  # noqa: A002
    """Counts of ``a`` in ``bins`` (a count, bin edges or one of NumPy's bin-rule names) over
    ``range`` (default: ``a``'s min and max) and the bin edges. ``weights`` sum weights
    instead of counting; ``density`` (``normed``) divides by the total and the bin widths.
    Equal bins run on the ``_npi_histogram`` operator; edges, rules, weights and density on
    NumPy (host copies, not differentiable; MXNet 1.9.1 refuses them)."""
    a = _np(a, "histogram")
    if isinstance(bins, numbers.Integral) and weights is None and not (normed or density):
        if bins < 1:
            raise ValueError(f"histogram: bins must be a positive integer, got {bins}")
        attrs = {"range": tuple(range)} if range is not None else {}
        counts, edges = call("_npi_histogram", [a], bin_cnt=int(bins), **attrs)
        return [counts, edges]
    return _host_histogram(a, bins, range, weights, bool(normed or density))


def _host_histogram(a, bins, range, weights, density):  # noqa: A002
    from .multiarray import array
    host_bins = bins.asnumpy() if isinstance(bins, NDArray) else bins
    host_w = weights.asnumpy() if isinstance(weights, NDArray) else weights
    counts, edges = onp.histogram(a.asnumpy(), bins=host_bins, range=range, weights=host_w,
                                  density=density)
    edge_dtype = a.dtype if a.dtype.kind == "f" else onp.float32
    if density:
        counts = counts.astype(edge_dtype)
    elif weights is None:
        counts = counts.astype(onp.int64)
    else:
        counts = counts.astype(onp.asarray(host_w).dtype)
    out_edges = bins if isinstance(bins, NDArray) else array(edges, dtype=edge_dtype, ctx=a.ctx)
    return [array(counts, dtype=counts.dtype, ctx=a.ctx), out_edges]


def quantile(a, q, axis=None, out=None, overwrite_input=None, interpolation="linear",
             keepdims=False):
    """``q``-th quantiles (0..1) along ``axis``."""
    qa = to_np(q, "quantile", dtype="float64") if not is_scalar(q) else \
        to_np(float(q), "quantile", dtype="float64")
    qa = binary("multiply", qa.astype("float64", copy=False), 100.0)
    return call("_npi_percentile", [_np(a, "quantile"), qa], out=out, axis=axis,
                interpolation=interpolation, keepdims=keepdims)


def percentile(a, q, axis=None, out=None, overwrite_input=None, interpolation="linear",
               keepdims=False):
    """``q``-th percentiles (0..100) along ``axis``."""
    qa = _np(q, "percentile") if not is_scalar(q) else _np(float(q), "percentile")
    return call("_npi_percentile", [_np(a, "percentile"), qa], out=out, axis=axis,
                interpolation=interpolation, keepdims=keepdims)


def bincount(x, weights=None, minlength=0):
    """Occurrences of each value of a non-negative integer array."""
    x = _np(x, "bincount")
    if x.dtype.kind not in "iu":
        raise TypeError(f"bincount: input must be an integer array, got {x.dtype}")
    if weights is None:
        return call("_npi_bincount", [x], minlength=minlength, has_weights=False)
    return call("_npi_bincount", [x, _np(weights, "bincount")], minlength=minlength,
                has_weights=True)


def searchsorted(a, v, side="left", sorter=None):
    """Indices where ``v`` would be inserted into sorted ``a`` (int64)."""
    a = _np(a, "searchsorted")
    if sorter is not None:
        a = take(a, sorter)
    scalar = is_scalar(v)
    r = call("_npi_searchsorted", [a, to_np(v, "searchsorted", dtype=a.dtype)], side=side)
    return onp.int64(r.item()) if scalar else r  # a NumPy int64 scalar, as NumPy and MXNet


# --------------------------------------------------------------------------------------------
# comparisons and small helpers
# --------------------------------------------------------------------------------------------


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise ``|a - b| <= atol + rtol * |b|``."""
    a, b = _np(a, "isclose"), _np(b, "isclose")
    close = binary("less_equal", binary("subtract", a, b).__abs__(),
                   binary("add", binary("multiply", b.__abs__(), rtol), atol))
    if equal_nan:
        both = binary("logical_and", binary("isnan", a, a) if False else _isnan(a), _isnan(b))
        close = binary("logical_or", close, both)
    return close


def _isnan(a):
    from ._ufuncs import unary
    return unary("isnan", a)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element is ``isclose`` (a Python bool, as MXNet)."""
    return bool(all(isclose(a, b, rtol, atol, equal_nan)))


def array_equal(a1, a2, equal_nan=False):
    """True when shapes and elements are equal."""
    a1, a2 = _np(a1, "array_equal"), _np(a2, "array_equal")
    if a1.shape != a2.shape:
        return False
    return bool(all(binary("equal", a1, a2)))


def array_equiv(a1, a2):
    """True when the arrays are equal after broadcasting."""
    try:
        return bool(all(binary("equal", _np(a1, "array_equiv"), _np(a2, "array_equiv"))))
    except MXNetError:
        return False


def round(x, decimals=0, out=None, **kwargs):  # noqa: A001
    """Round half to even to ``decimals`` places."""
    from ._ufuncs import around
    return around(x, decimals, out, **kwargs)


round_ = round


def fix(x, out=None, **kwargs):
    """Round toward zero."""
    from ._ufuncs import unary
    return unary("fix", x, out)


def may_share_memory(a, b, max_work=None):
    """Whether the arrays' storages overlap (same underlying buffer)."""
    return shares_memory(a, b)


def shares_memory(a, b, max_work=None):
    """Whether the memory of ``a`` and ``b`` overlaps (views of one array may not)."""
    if not (isinstance(a, NDArray) and isinstance(b, NDArray)):
        return False
    return bool(call("_npi_share_memory", [_np(a, "shares_memory"),
                                           _np(b, "shares_memory")]).item())


def meshgrid(*xi, **kwargs):
    """Coordinate matrices from coordinate vectors (``indexing='xy'`` or ``'ij'``)."""
    indexing = kwargs.pop("indexing", "xy")
    sparse = kwargs.pop("sparse", False)
    copy_ = kwargs.pop("copy", True)  # noqa: F841
    if kwargs:
        raise TypeError(f"meshgrid: unexpected arguments {sorted(kwargs)}")
    arrays = [ravel(_np(x, "meshgrid")) for x in xi]
    n = len(arrays)
    shapes = [a.shape[0] for a in arrays]
    if indexing == "xy" and n > 1:
        shapes[0], shapes[1] = shapes[1], shapes[0]
    out = []
    for i, a in enumerate(arrays):
        shape = [1] * n
        pos = i
        if indexing == "xy" and n > 1 and i < 2:
            pos = 1 - i
        shape[pos] = a.shape[0]
        r = reshape(a, tuple(shape))
        out.append(r if sparse else broadcast_to(r, tuple(shapes)))
    return out


def resize(a, new_shape):
    """A new array of ``new_shape`` filled by repeating ``a``'s elements."""
    a = ravel(_np(a, "resize"))
    new_shape = (new_shape,) if isinstance(new_shape, numbers.Integral) else tuple(new_shape)
    total = int(onp.prod(new_shape))
    if a.size == 0 or total == 0:
        from .multiarray import zeros
        return zeros(new_shape, dtype=a.dtype, ctx=a.ctx)
    reps = -(-total // a.size)
    return reshape(tile(a, reps)[:total], new_shape)
