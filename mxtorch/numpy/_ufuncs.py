"""``mx.np`` element-wise functions (``add``, ``exp``, ``equal``...) and the Python operators of
``mx.np.ndarray``, all over the ``_npi_*`` ops of ``ops/np_elemwise.py``.

A Python scalar operand uses the op's ``_scalar`` form (``x - 1`` is ``_npi_subtract_scalar``,
``1 - x`` is ``_npi_rsubtract_scalar``); NumPy arrays and lists become ``mx.np`` arrays; legacy
``mx.nd`` arrays are refused (TypeError naming the fix), as MXNet does.
"""
import numbers

import numpy as onp

from ..autograd import STATE as _STATE
from ..ndarray.ndarray import DEFERRED as _DEFERRED
from ..ndarray.ndarray import NDArray, _assign, _new
from ..ops.np_elemwise import BINARY, REVERSIBLE, UNARY
from . import _door
from ._door import as_np, call_parsed, op_of

__all__ = []

# comparisons have no reflected scalar op: ``1 < x`` is ``x > 1``
_FLIPPED = {"greater": "less", "less": "greater", "greater_equal": "less_equal",
            "less_equal": "greater_equal", "equal": "equal", "not_equal": "not_equal"}
_COMMUTATIVE = {"add", "multiply", "maximum", "minimum", "hypot", "lcm", "bitwise_and",
                "bitwise_or", "bitwise_xor", "logical_and", "logical_or", "logical_xor"}
_EMPTY = {}


def _scalar_attrs(value):
    if isinstance(value, (bool, onp.bool_)):
        return {"scalar": float(value), "is_int": True}
    if isinstance(value, (numbers.Integral, onp.integer)):
        return {"scalar": float(value), "is_int": True}
    return {"scalar": float(value), "is_int": False}


def _is_scalar(x):
    return isinstance(x, (numbers.Number, onp.generic)) and not isinstance(x, onp.ndarray)


def _array_like(x, fname, ctx=None):
    if isinstance(x, NDArray):
        if type(x) is not _door.NP_CLASS[0]:
            raise TypeError(f"{fname}: operands must be mx.np.ndarray, got a legacy "
                            "mx.nd.NDArray; convert it with x.as_np_ndarray()")
        return x
    if x is None:
        raise TypeError(f"{fname}: unsupported operand None")
    from .multiarray import array
    if isinstance(x, onp.ndarray):
        return array(x, dtype=x.dtype, ctx=ctx)
    return array(x, ctx=ctx)


def binary(name, x1, x2, out=None):
    """Apply binary ufunc ``name`` to arrays and/or scalars."""
    s1, s2 = _is_scalar(x1), _is_scalar(x2)
    if s1 and s2:
        return getattr(onp, name)(x1, x2)
    if name == "true_divide" and _door.DTYPE_MODE.numpy_default:
        x1, x2 = _float64_quotient(x1, x2)
    if s2:
        a = _array_like(x1, name)
        if _bool_logic(name, a, x2):
            return _run(f"_npi_{name}", [a, _array_like(onp.bool_(x2), name, a.ctx)], _EMPTY,
                        out)
        return _run(f"_npi_{name}_scalar", [a], _scalar_attrs(x2), out)
    if s1:
        b = _array_like(x2, name)
        if _bool_logic(name, b, x1):
            return _run(f"_npi_{name}", [_array_like(onp.bool_(x1), name, b.ctx), b], _EMPTY,
                        out)
        if name in _COMMUTATIVE:
            return _run(f"_npi_{name}_scalar", [b], _scalar_attrs(x1), out)
        if name in _FLIPPED:
            return _run(f"_npi_{_FLIPPED[name]}_scalar", [b], _scalar_attrs(x1), out)
        if name in REVERSIBLE:
            return _run(f"_npi_r{name}_scalar", [b], _scalar_attrs(x1), out)
        a = _array_like(x1, name, b.ctx)
        return _run(f"_npi_{name}", [a, b], _EMPTY, out)
    a = _array_like(x1, name)
    b = _array_like(x2, name, a.ctx)
    return _run(f"_npi_{name}", [a, b], _EMPTY, out)


def _float64_quotient(x1, x2):
    """Under NumPy default dtypes, integer/bool arrays divided by anything but a float
    array divide as float64 (NumPy's result dtype) instead of MXNet's float32."""
    kinds = (NDArray, onp.ndarray)
    if any(isinstance(x, kinds) and x.dtype.kind in "fc" for x in (x1, x2)):
        return x1, x2
    return tuple(x.astype("float64") if isinstance(x, kinds) else x for x in (x1, x2))


def _bool_logic(name, arr, scalar):
    """``bool_array & True``: bitwise ops of a bool array and a bool scalar stay bool (as
    MXNet 1.9.1 and NumPy), so they run as the array-array op."""
    return name.startswith("bitwise_") and isinstance(scalar, (bool, onp.bool_)) and \
        arr.dtype == onp.bool_


def _run(op_name, arrays, attrs, out):
    op = op_of(op_name)
    if out is None:
        return call_parsed(op, arrays, dict(op.defaults, **attrs) if attrs else
                           _defaults(op))
    _door.check_out(op_name, out)
    result = call_parsed(op, arrays, dict(op.defaults, **attrs))
    if tuple(out.shape) != result.shape:
        raise ValueError(f"{op_name[5:]}: out= has shape {out.shape}, the result has shape "
                         f"{result.shape}")
    _assign(out, result._t.to(out._t.dtype))
    return out


_DEFAULTS = {}


def _defaults(op):
    d = _DEFAULTS.get(op.name)
    if d is None:
        d = _DEFAULTS[op.name] = op.parse_attrs({})
    return d


def unary(name, x, out=None):
    """Apply unary ufunc ``name``."""
    if out is None and type(x) is _door.NP_CLASS[0]:
        return call_parsed(op_of(f"_npi_{name}"), [x], _EMPTY)
    if _is_scalar(x):
        return getattr(onp, name if name != "fix" else "fix")(x)
    return _run(f"_npi_{name}", [_array_like(x, name)], _EMPTY, out)


def _make_unary(name):
    op = op_of(f"_npi_{name}")
    compute = op.compute if op.plain else None
    deferred = _DEFERRED

    def fn(x, out=None, **kwargs):
        if out is None and not kwargs and type(x) is _door.NP_CLASS[0]:
            t = x._t
            if compute is not None and not (t.requires_grad or _STATE.recording) and \
                    deferred[0] is None:  # as the dunders: compute, wrap
                try:
                    r = compute(t)
                except Exception:  # noqa: BLE001 - call_parsed names the op and input
                    r = None
                if r is not None and r._base is None and r is not t:
                    result = _new(type(x))
                    result._t = r
                    result._ctx = x._ctx
                    return result
            return call_parsed(op, [x], _EMPTY)
        _check_kwargs(name, kwargs)
        return unary(name, x, out)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"Element-wise ``{name}`` (NumPy's ufunc on ``mx.np`` arrays).\n\n"
                  "Parameters\n----------\nx : ndarray or scalar\nout : ndarray, optional\n"
                  "    Where to write the result.\n\nReturns\n-------\nndarray")
    fn.__module__ = "mxtorch.numpy"
    return fn


def _make_binary(name):
    def fn(x1, x2, out=None, **kwargs):
        _check_kwargs(name, kwargs)
        return binary(name, x1, x2, out)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"Element-wise ``{name}`` of ``x1`` and ``x2`` with broadcasting.\n\n"
                  "Parameters\n----------\nx1, x2 : ndarray or scalar\nout : ndarray, "
                  "optional\n\nReturns\n-------\nndarray")
    fn.__module__ = "mxtorch.numpy"
    return fn


# NumPy ufunc options mx.np accepts, with the only value it supports (as MXNet 1.9.1)
_UFUNC_OPTIONS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None,
                  "subok": True}


def _check_kwargs(name, kwargs):
    """Accept NumPy's ufunc options at their default values; other values of them raise
    NotImplementedError, unknown keywords TypeError (as MXNet 1.9.1)."""
    for key, value in kwargs.items():
        if key not in _UFUNC_OPTIONS:
            raise TypeError(f"{key} is an invalid keyword to function '{name}' (mx.np ufuncs "
                            f"take out= and {', '.join(_UFUNC_OPTIONS)} at their defaults)")
        if value is not _UFUNC_OPTIONS[key] and value != _UFUNC_OPTIONS[key]:
            raise NotImplementedError(f"{name}: {key}={value} is not implemented yet "
                                      f"(only {key}={_UFUNC_OPTIONS[key]!r})")


FUNCTIONS = {}
for _n in UNARY:
    FUNCTIONS[_n] = _make_unary(_n)
for _n in BINARY:
    FUNCTIONS[_n] = _make_binary(_n)
FUNCTIONS["divide"] = _make_binary("true_divide")
FUNCTIONS["divide"].__name__ = "divide"
FUNCTIONS["remainder"] = FUNCTIONS["mod"]
FUNCTIONS["fabs"] = FUNCTIONS["abs"]
FUNCTIONS["invert"] = FUNCTIONS["bitwise_not"]
FUNCTIONS["rad2deg"] = FUNCTIONS["degrees"]
FUNCTIONS["deg2rad"] = FUNCTIONS["radians"]
__all__ += sorted(FUNCTIONS)


def positive(x, out=None, **kwargs):
    """``+x`` (a copy)."""
    _check_kwargs("positive", kwargs)
    return _array_like(x, "positive").copy()


def around(x, decimals=0, out=None, **kwargs):
    """Round to ``decimals`` places (half to even)."""
    _check_kwargs("around", kwargs)
    if _is_scalar(x):
        return onp.around(x, decimals)
    return _run_attrs("_npi_around", [_array_like(x, "around")], {"decimals": decimals}, out)


def _run_attrs(name, arrays, attrs, out):
    op = op_of(name)
    return _run(name, arrays, op.parse_attrs(attrs), out)


def float_power(x1, x2, out=None, **kwargs):
    """``x1 ** x2`` computed in float64."""
    a = _array_like(x1, "float_power").astype("float64")
    b = x2 if _is_scalar(x2) else _array_like(x2, "float_power").astype("float64")
    return binary("power", a, b, out)


# --------------------------------------------------------------------------------------------
# Python operators of mx.np.ndarray
# --------------------------------------------------------------------------------------------


def _dunder(name, reverse=False):
    if name == "true_divide":
        return _true_divide_dunder(reverse)
    if not reverse or name in _COMMUTATIVE or name in REVERSIBLE:
        return _fast_dunder(name, reverse)
    if reverse:
        def method(self, other):
            if isinstance(other, NDArray) and type(other) is not type(self):
                return NotImplemented if not isinstance(other, NDArray) else _mixed(name)
            return binary(name, other, self)
    else:
        def method(self, other):
            if isinstance(other, NDArray) and type(other) is not type(self):
                _mixed(name)
            return binary(name, self, other)
    return method


def _true_divide_dunder(reverse):
    """``x / y``: under NumPy default dtypes integer quotients are float64 (NumPy's rule)."""
    fast = _fast_dunder("true_divide", reverse)

    def method(self, other):
        if _door.DTYPE_MODE.numpy_default:
            self, other = _float64_quotient(self, other)
        return fast(self, other)
    return method


def _fast_dunder(name, reverse=False):
    """``x <op> y`` (``y <op> x`` when ``reverse``) with fast paths for mx.np arrays and
    Python scalars: outside ``record()``, tracing and gradients, the op's compute runs
    directly on the tensors; otherwise (and to report errors) ``call_parsed`` runs it."""
    array_op = op_of(f"_npi_{name}")
    scalar_op = op_of(f"_npi_r{name}_scalar" if reverse and name not in _COMMUTATIVE
                      else f"_npi_{name}_scalar")
    array_fn = array_op.compute if array_op.plain and not array_op.same_dtype else None
    scalar_fn = scalar_op.compute if scalar_op.plain else None
    deferred = _DEFERRED

    def method(self, other):
        kind = type(other)
        cls = type(self)
        if kind is cls:
            x, y = (other._t, self._t) if reverse else (self._t, other._t)
            if array_fn is not None and not (x.requires_grad or y.requires_grad or
                                             _STATE.recording) and deferred[0] is None:
                try:
                    r = array_fn(x, y)
                except Exception:  # noqa: BLE001 - call_parsed names the op and inputs
                    r = None
                if r is not None and r._base is None and r is not x and r is not y:
                    out = _new(cls)
                    out._t = r
                    out._ctx = self._ctx
                    return out
            return call_parsed(array_op, [other, self] if reverse else [self, other], _EMPTY)
        if kind is float or kind is int:
            x = self._t
            if scalar_fn is not None and not (x.requires_grad or _STATE.recording) and \
                    deferred[0] is None:
                try:
                    r = scalar_fn(x, other, kind is int)
                except Exception:  # noqa: BLE001 - as above
                    r = None
                if r is not None and r._base is None and r is not x:
                    out = _new(cls)
                    out._t = r
                    out._ctx = self._ctx
                    return out
            return call_parsed(scalar_op, [self], {"scalar": other, "is_int": kind is int})
        if isinstance(other, NDArray) and kind is not cls:
            _mixed(name)
        return binary(name, other, self) if reverse else binary(name, self, other)
    return method


def _mixed(name):
    raise TypeError(f"{name}: cannot mix mx.np.ndarray and legacy mx.nd.NDArray operands; "
                    "convert with x.as_np_ndarray() or x.as_nd_ndarray()")


def _inplace(name):
    def method(self, other):
        result = binary(name, self, other)
        if result.shape != self.shape:
            raise ValueError(f"non-broadcastable output operand with shape {self.shape} "
                             f"doesn't match the broadcast shape {result.shape}")
        _assign(self, result._t.to(self._t.dtype))
        return self
    return method


DUNDERS = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
           "mod": "mod", "pow": "power", "and": "bitwise_and", "or": "bitwise_or",
           "xor": "bitwise_xor"}
COMPARES = {"eq": "equal", "ne": "not_equal", "gt": "greater", "ge": "greater_equal",
            "lt": "less", "le": "less_equal"}


def install(cls):
    """Attach the Python operators to ``mx.np.ndarray``."""
    for dunder, name in DUNDERS.items():
        setattr(cls, f"__{dunder}__", _dunder(name))
        setattr(cls, f"__r{dunder}__", _dunder(name, reverse=True))
        setattr(cls, f"__i{dunder}__", _inplace(name))
    for dunder, name in COMPARES.items():
        setattr(cls, f"__{dunder}__", _compare(name))
    cls.__neg__ = lambda self: unary("negative", self)
    cls.__pos__ = lambda self: self.copy()
    cls.__abs__ = lambda self: unary("abs", self)
    cls.__invert__ = lambda self: unary("bitwise_not", self) if self.dtype != onp.bool_ \
        else unary("logical_not", self)
    cls.__floordiv__ = _floordiv
    cls.__rfloordiv__ = lambda self, other: _floordiv(_array_like(other, "floor_divide",
                                                                  self.ctx), self)
    cls.__matmul__ = lambda self, other: _matmul(self, other)
    cls.__rmatmul__ = lambda self, other: _matmul(_array_like(other, "matmul"), self)
    cls.__divmod__ = lambda self, other: (_floordiv(self, other), binary("mod", self, other))
    cls.__hash__ = NDArray.__hash__


def _compare(name):
    def method(self, other):
        if other is None:
            return False if name == "equal" else (True if name == "not_equal" else
                                                  _none_compare(name))
        if isinstance(other, NDArray) and type(other) is not type(self):
            _mixed(name)
        return binary(name, self, other)
    return method


def _none_compare(name):
    raise TypeError(f"{name}: '{name}' is not supported between an ndarray and None")


def _floordiv(a, b):
    """``a // b``: floor of the true quotient, in the operands' dtype for integers."""
    q = binary("true_divide", a, b)
    r = unary("floor", q)
    dtype = a.dtype if isinstance(a, NDArray) else None
    if dtype is not None and dtype.kind in "iu" and (_is_scalar(b) and isinstance(
            b, numbers.Integral) or isinstance(b, NDArray) and b.dtype.kind in "iu"):
        return r.astype(dtype)
    return r


def _matmul(a, b):
    from . import _functions
    return _functions.matmul(a, b)


__all__ += ["positive", "around", "float_power"]
for _name, _fn in FUNCTIONS.items():
    globals()[_name] = _fn
as_np = as_np
