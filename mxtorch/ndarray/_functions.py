"""NumPy-style binary helpers of ``mx.nd`` (add, subtract, maximum, equal, ...).

Each accepts NDArrays or scalars on either side, like MXNet's ``_ufunc_helper``: two arrays use
the broadcast op, an array and a scalar use the scalar op (reflected when the scalar is on the
left), two scalars use plain Python.
"""
import operator

from ..base import numeric_types
from .ndarray import NDArray


def _cmp(fn):
    """Two scalars compare to the int 1 or 0, as in MXNet."""
    return lambda a, b: int(fn(a, b))


# name: (broadcast op, scalar op, reflected scalar op, python fallback)
_TABLE = {
    "add": ("broadcast_add", "_plus_scalar", "_plus_scalar", operator.add),
    "subtract": ("broadcast_sub", "_minus_scalar", "_rminus_scalar", operator.sub),
    "multiply": ("broadcast_mul", "_mul_scalar", "_mul_scalar", operator.mul),
    "divide": ("broadcast_div", "_div_scalar", "_rdiv_scalar", operator.truediv),
    "true_divide": ("broadcast_div", "_div_scalar", "_rdiv_scalar", operator.truediv),
    "modulo": ("broadcast_mod", "_mod_scalar", "_rmod_scalar", operator.mod),
    "power": ("broadcast_power", "_power_scalar", "_rpower_scalar", operator.pow),
    "maximum": ("broadcast_maximum", "_maximum_scalar", "_maximum_scalar", max),
    "minimum": ("broadcast_minimum", "_minimum_scalar", "_minimum_scalar", min),
    "hypot": ("broadcast_hypot", "_hypot_scalar", "_hypot_scalar", None),
    "equal": ("broadcast_equal", "_equal_scalar", "_equal_scalar", _cmp(operator.eq)),
    "not_equal": ("broadcast_not_equal", "_not_equal_scalar", "_not_equal_scalar",
                  _cmp(operator.ne)),
    "greater": ("broadcast_greater", "_greater_scalar", "_lesser_scalar", _cmp(operator.gt)),
    "greater_equal": ("broadcast_greater_equal", "_greater_equal_scalar",
                      "_lesser_equal_scalar", _cmp(operator.ge)),
    "lesser": ("broadcast_lesser", "_lesser_scalar", "_greater_scalar", _cmp(operator.lt)),
    "lesser_equal": ("broadcast_lesser_equal", "_lesser_equal_scalar",
                     "_greater_equal_scalar", _cmp(operator.le)),
    "logical_and": ("broadcast_logical_and", "_logical_and_scalar", "_logical_and_scalar",
                    lambda a, b: int(bool(a) and bool(b))),
    "logical_or": ("broadcast_logical_or", "_logical_or_scalar", "_logical_or_scalar",
                   lambda a, b: int(bool(a) or bool(b))),
    "logical_xor": ("broadcast_logical_xor", "_logical_xor_scalar", "_logical_xor_scalar",
                    lambda a, b: int(bool(a) != bool(b))),
}


def _make(name, array_op, scalar_op, rscalar_op, fallback):
    from ._gen import ND_FUNCTIONS

    def function(lhs, rhs):
        if isinstance(lhs, NDArray):
            if isinstance(rhs, NDArray):
                return ND_FUNCTIONS[array_op](lhs, rhs)
            if isinstance(rhs, numeric_types):
                return ND_FUNCTIONS[scalar_op](lhs, scalar=float(rhs))  # is_int: MXNet's default
        elif isinstance(rhs, NDArray) and isinstance(lhs, numeric_types):
            return ND_FUNCTIONS[rscalar_op](rhs, scalar=float(lhs))
        elif isinstance(lhs, numeric_types) and isinstance(rhs, numeric_types) and fallback:
            return fallback(lhs, rhs)
        raise TypeError(f"nd.{name}: unsupported operand types {type(lhs).__name__} and "
                        f"{type(rhs).__name__}")
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``{name}(lhs, rhs)`` with broadcasting; either side may be a scalar "
                        f"(arrays use ``{array_op}``, scalars ``{scalar_op}``).")
    return function


FUNCTIONS = {name: _make(name, *spec) for name, spec in _TABLE.items()}
