"""NumPy-named methods of ``mx.np.ndarray`` (``x.sum()``, ``x.reshape(2, 3)``...), each a thin
call of the matching ``mx.np`` function."""
import numbers

from . import _functions as F
from . import _ufuncs as U
from ..autograd import STATE as _RECORD
from ..ndarray.ndarray import DEFERRED as _DEFERRED, _new
from ._door import call, call_parsed, op_of

_UNARY_METHODS = ("abs", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cbrt",
                  "ceil", "cos", "cosh", "degrees", "exp", "expm1", "fix", "floor", "log",
                  "log10", "log1p", "log2", "radians", "reciprocal", "rint", "sign", "sin",
                  "sinh", "sqrt", "square", "tan", "tanh", "trunc")


def _unary_method(name):
    def method(self, *args, **kwargs):
        return U.unary(name, self)
    method.__name__ = name
    method.__doc__ = f"``mx.np.{name}`` of this array."
    return method


_RESHAPE = op_of("_np_reshape")


def _reshape(self, *args, **kwargs):
    """A view/copy with a new shape: ``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
    if not kwargs:  # the loop case: Python ints need no attribute parsing
        shape = args[0] if len(args) == 1 and type(args[0]) is tuple else args
        for d in shape:
            if type(d) is not int:
                break
        else:
            return call_parsed(_RESHAPE, [self], {"newshape": shape, "order": "C"})
    order = kwargs.pop("order", "C")
    if "newshape" in kwargs or "shape" in kwargs:
        args = (kwargs.pop("newshape", None) or kwargs.pop("shape"),)
    if kwargs:
        raise TypeError(f"reshape: unexpected arguments {sorted(kwargs)}")
    if len(args) == 1 and not isinstance(args[0], numbers.Integral):
        args = tuple(args[0])
    return F.reshape(self, args, order=order)


def _transpose(self, *axes):
    """Permuted axes: ``x.transpose()``, ``x.transpose(1, 0)`` or ``x.transpose((1, 0))``."""
    if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], numbers.Integral)):
        axes = axes[0]
    return F.transpose(self, axes or None)


def _flatten(self, order="C"):
    """A flattened copy."""
    return F.reshape(self, (-1,), order=order)


def _whole(op_name):
    """``run(x)``: the reduction ``op_name`` over all axes with default attributes.
    ``x.sum()`` and friends skip argument handling when called without arguments (the common
    case in loops); without gradients or tracing the compute runs directly."""
    op = op_of(op_name)
    parsed = op.parse_attrs({})
    compute = op.compute

    def run(x):
        t = x._t
        if not (t.requires_grad or _RECORD.recording) and _DEFERRED[0] is None:
            try:
                r = compute(t, **parsed)
            except Exception:  # noqa: BLE001 - call_parsed reports it naming the op
                r = None
            if r is not None and r._base is None and r is not t:
                out = _new(type(x))
                out._t = r
                out._ctx = x._ctx
                return out
        return call_parsed(op, [x], parsed)
    return run


_SUM, _MEAN = _whole("_np_sum"), _whole("_npi_mean")
_MAX, _MIN = _whole("_np_max"), _whole("_np_min")


def _sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    if axis is None and dtype is None and out is None and initial is None and \
            keepdims is False:
        return _SUM(self)
    return F.sum(self, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial, out=out)


def _mean(self, axis=None, dtype=None, out=None, keepdims=False):
    if axis is None and dtype is None and out is None and keepdims is False:
        return _MEAN(self)
    return F.mean(self, axis, dtype, out, keepdims)


def _prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    return F.prod(self, axis, dtype, out, keepdims, initial)


def _max(self, axis=None, out=None, keepdims=False):
    if axis is None and out is None and keepdims is False:
        return _MAX(self)
    return F.max(self, axis, keepdims, out)


def _min(self, axis=None, out=None, keepdims=False):
    if axis is None and out is None and keepdims is False:
        return _MIN(self)
    return F.min(self, axis, keepdims, out)


def _std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return F.std(self, axis, dtype, out, ddof, keepdims)


def _var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return F.var(self, axis, dtype, out, ddof, keepdims)


def _argmax(self, axis=None, out=None):
    return F.argmax(self, axis, out)


def _argmin(self, axis=None, out=None):
    return F.argmin(self, axis, out)


def _all(self, axis=None, out=None, keepdims=False):
    return F.all(self, axis, keepdims, out)


def _any(self, axis=None, out=None, keepdims=False):
    return F.any(self, axis, keepdims, out)


def _cumsum(self, axis=None, dtype=None, out=None):
    return F.cumsum(self, axis, dtype, out)


def _squeeze(self, axis=None):
    return F.squeeze(self, axis)


def _expand_dims(self, *args, **kwargs):
    """``mx.np.expand_dims(self, axis)``."""
    return F.expand_dims(self, *args, **kwargs)


def _swapaxes(self, axis1, axis2):
    return F.swapaxes(self, axis1, axis2)


def _repeat(self, repeats, axis=None):
    return F.repeat(self, repeats, axis)


def _tile(self, *args, **kwargs):
    """``mx.np.tile(self, reps)``."""
    return F.tile(self, *args, **kwargs)


def _clip(self, min=None, max=None, out=None):  # noqa: A002
    return F.clip(self, min, max, out)


def _round(self, decimals=0, out=None):
    return U.around(self, decimals, out)


def _sort(self, axis=-1, kind=None, order=None):
    return F.sort(self, axis, kind, order)


def _argsort(self, axis=-1, kind=None, order=None):
    return F.argsort(self, axis, kind, order)


def _dot(self, b, out=None):
    return F.dot(self, b, out)


def _take(self, indices, axis=None, mode="raise"):
    return F.take(self, indices, axis, mode)


def _nonzero(self):
    return F.nonzero(self)


def _diagonal(self, offset=0, axis1=0, axis2=1):
    return F.diagonal(self, offset, axis1, axis2)


def _trace(self, offset=0, axis1=0, axis2=1, out=None):
    return F.trace(self, offset, axis1, axis2, out)


def _flip(self, axis=None):
    return F.flip(self, axis)


def _broadcast_to(self, shape):
    return F.broadcast_to(self, shape)


def _split(self, *args, **kwargs):
    """``mx.np.split(self, indices_or_sections, axis=0)``."""
    return F.split(self, *args, **kwargs)


def _ravel(self, order="C"):
    return F.ravel(self, order)


def _norm(self, ord=None, axis=None, keepdims=False):  # noqa: A002
    from .linalg import norm
    return norm(self, ord, axis, keepdims)


def _zeros_like(self, *args, **kwargs):
    from .multiarray import zeros_like
    return zeros_like(self, *args, **kwargs)


def _ones_like(self, *args, **kwargs):
    from .multiarray import ones_like
    return ones_like(self, *args, **kwargs)


def _diag(self, k=0):
    return F.diag(self, k)


def _ptp(self, axis=None, out=None, keepdims=False):
    return F.ptp(self, axis, out, keepdims)


def _broadcast_like(self, other):
    return F.broadcast_to(self, other.shape)


def _reshape_like(self, *args, **kwargs):
    """This array with the shape of ``other``."""
    other = args[0] if args else kwargs["other"]
    return F.reshape(self, other.shape)


def _pad(self, pad_width=None, mode="constant", **kwargs):
    return F.pad(self, pad_width, mode, **kwargs)


def _sigmoid(self):
    from .. import numpy_extension as npx
    return npx.sigmoid(self)


def _relu(self):
    from .. import numpy_extension as npx
    return npx.relu(self)


def _softmax(self, axis=-1):
    from .. import numpy_extension as npx
    return npx.softmax(self, axis=axis)


def _log_softmax(self, axis=-1):
    from .. import numpy_extension as npx
    return npx.log_softmax(self, axis=axis)


def _slice(self, *args, **kwargs):
    """``mx.npx.slice(self, begin, end, step)``."""
    from .. import numpy_extension as npx
    return npx.slice(self, *args, **kwargs)


METHODS = {
    "reshape": _reshape, "transpose": _transpose, "flatten": _flatten, "sum": _sum,
    "mean": _mean, "prod": _prod, "max": _max, "min": _min, "std": _std, "var": _var,
    "argmax": _argmax, "argmin": _argmin, "all": _all, "any": _any, "cumsum": _cumsum,
    "squeeze": _squeeze, "expand_dims": _expand_dims, "swapaxes": _swapaxes,
    "repeat": _repeat, "tile": _tile, "clip": _clip, "round": _round, "sort": _sort,
    "argsort": _argsort, "dot": _dot, "take": _take, "nonzero": _nonzero,
    "diagonal": _diagonal, "trace": _trace, "flip": _flip, "broadcast_to": _broadcast_to,
    "split": _split, "ravel": _ravel, "norm": _norm, "zeros_like": _zeros_like,
    "ones_like": _ones_like, "diag": _diag, "ptp": _ptp, "broadcast_like": _broadcast_like,
    "reshape_like": _reshape_like, "pad": _pad, "sigmoid": _sigmoid, "relu": _relu,
    "softmax": _softmax, "log_softmax": _log_softmax, "slice": _slice,
    "reshape_view": _reshape,
}


def install(cls):
    """Attach the NumPy-named methods and the Python operators to ``mx.np.ndarray``."""
    for name, fn in METHODS.items():
        setattr(cls, name, fn)
    for name in _UNARY_METHODS:
        setattr(cls, name, _unary_method(name))
    U.install(cls)


__all__ = []
call = call
