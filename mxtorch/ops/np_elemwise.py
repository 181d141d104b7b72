"""Element-wise operators of ``mx.np`` (MXNet's ``_npi_*`` names): ufuncs, scalar forms,
comparisons and logical ops.

Rules (MXNet 1.9.1's NumPy interface, float32 default):
- Binary ops broadcast and promote as NumPy does between array dtypes (int32 + float32 is
  float32, int32 + int64 is int64). Bool arrays add and multiply as bool,
  and become int64 with an int scalar (as MXNet).
- ``_scalar`` forms take the Python scalar as ``scalar`` plus ``is_int``; an integer array
  with a float scalar gives float32 (MXNet 1.9.1 truncates to the integer dtype; COMPAT.md).
- Transcendental functions of integer/bool arrays give float32 (1.9.1 truncates; COMPAT.md).
- Comparisons and ``is*`` tests give bool arrays.
"""
import math

import torch

from ._attrs import BOOL, FLOAT
from ._registry import Attr, defop

_FLOATS = (torch.float16, torch.float32, torch.float64, torch.bfloat16)


def as_float(t):
    """``t`` itself when floating point, else converted to float32."""
    return t if t.dtype in _FLOATS else t.to(torch.float32)


def _floating(fn):
    return lambda x: fn(as_float(x))


def _keep_int(fn):
    """Rounding functions: identity on integers, ``fn`` on floats."""
    return lambda x: x.clone() if x.dtype not in _FLOATS else fn(x)


def _fix(x):
    return torch.trunc(x)


def _logical_not(x):
    return torch.logical_not(x)


def _sign(x):
    return torch.sign(x.to(torch.float32) if x.dtype == torch.bool else x)


def _negative(x):
    return torch.neg(x.to(torch.int64) if x.dtype == torch.bool else x)


def _reciprocal(x):
    """1/x; integer arrays keep their dtype with C's truncated quotient (as NumPy and MXNet:
    1 and -1 map to themselves, other values to 0, 0 to the dtype's minimum)."""
    if x.dtype in _FLOATS or x.dtype == torch.bool:
        return torch.reciprocal(as_float(x))
    unit = torch.where(x.abs() == 1, x, torch.zeros((), dtype=x.dtype))
    return torch.where(x == 0, torch.full((), torch.iinfo(x.dtype).min, dtype=x.dtype), unit)


def _square(x):
    return x * x if x.dtype != torch.bool else x.to(torch.float32)


def _abs(x):
    return torch.abs(x) if x.dtype != torch.bool else x.clone()


def _rint(x):
    return torch.round(x)


def _bitwise_not(x):
    return torch.bitwise_not(x)


UNARY = {
    "abs": _abs, "absolute": _abs, "negative": _negative, "sign": _sign,
    "square": _square, "reciprocal": _reciprocal, "logical_not": _logical_not,
    "exp": _floating(torch.exp), "expm1": _floating(torch.expm1), "log": _floating(torch.log),
    "log10": _floating(torch.log10), "log2": _floating(torch.log2),
    "log1p": _floating(torch.log1p), "sqrt": _floating(torch.sqrt),
    "cbrt": _floating(lambda x: torch.sign(x) * torch.abs(x).pow(1.0 / 3)),
    "sin": _floating(torch.sin), "cos": _floating(torch.cos), "tan": _floating(torch.tan),
    "arcsin": _floating(torch.asin), "arccos": _floating(torch.acos),
    "arctan": _floating(torch.atan), "sinh": _floating(torch.sinh),
    "cosh": _floating(torch.cosh), "tanh": _floating(torch.tanh),
    "arcsinh": _floating(torch.asinh), "arccosh": _floating(torch.acosh),
    "arctanh": _floating(torch.atanh), "degrees": _floating(torch.rad2deg),
    "radians": _floating(torch.deg2rad), "ceil": _keep_int(torch.ceil),
    "floor": _keep_int(torch.floor), "trunc": _keep_int(torch.trunc),
    "fix": _keep_int(_fix), "rint": _keep_int(_rint), "bitwise_not": _bitwise_not,
    "isnan": torch.isnan, "isinf": torch.isinf, "isfinite": torch.isfinite,
    "isposinf": lambda x: torch.isposinf(x) if x.dtype in _FLOATS else torch.zeros_like(
        x, dtype=torch.bool),
    "isneginf": lambda x: torch.isneginf(x) if x.dtype in _FLOATS else torch.zeros_like(
        x, dtype=torch.bool),
}


def _register_unary(name, fn):
    def compute(x):
        return fn(x)
    compute.__doc__ = f"Element-wise ``{name}`` with NumPy semantics (``mx.np.{name}``)."
    defop(f"_npi_{name}", inputs=("x",), shape_rule="same", same_dtype=())(compute)


for _name, _fn in UNARY.items():
    _register_unary(_name, _fn)


@defop("_npi_around", inputs=("x",), attrs=(Attr("decimals", FLOAT, 0, "Decimal places"),))
def around(x, decimals):
    """Round half to even to ``decimals`` places (integers: unchanged for decimals >= 0)."""
    decimals = int(decimals)
    if x.dtype not in _FLOATS:
        if decimals >= 0:
            return x.clone()
        scale = 10 ** (-decimals)
        return (torch.round(x.double() / scale) * scale).to(x.dtype)
    return torch.round(x, decimals=decimals)


# --------------------------------------------------------------------------------------------
# binary ops
# --------------------------------------------------------------------------------------------


def _arith(fn):
    """Arithmetic; torch has no bool subtraction/power: bool operands compute in the other
    operand's dtype (int64 when both are bool; bool ** bool stays bool, as MXNet)."""
    def compute(a, b):
        if fn in (torch.sub, _power) and torch.bool in (a.dtype, b.dtype):
            both = a.dtype == b.dtype
            other = torch.int64 if both else (b.dtype if a.dtype == torch.bool else a.dtype)
            out = fn(a.to(other), b.to(other))
            return out.to(torch.bool) if both and fn is _power else out
        return fn(a, b)
    return compute


def _true_divide(a, b):
    if a.dtype not in _FLOATS and b.dtype not in _FLOATS:
        a, b = a.to(torch.float32), b.to(torch.float32)
    return torch.true_divide(a, b)


def _mod(a, b):
    if a.dtype in _FLOATS or b.dtype in _FLOATS:
        return torch.remainder(a, b)
    zero = b == 0
    if bool(zero.any()):  # NumPy (and MXNet) give 0 where the divisor is 0
        safe = torch.where(zero, torch.ones_like(b), b)
        return torch.where(zero, torch.zeros((), dtype=a.dtype), torch.remainder(a, safe))
    return torch.remainder(a, b)


def _power(a, b):
    return torch.pow(a, b)


def _float_binary(fn):
    def compute(a, b):
        common = torch.promote_types(a.dtype, b.dtype)
        if common not in _FLOATS:
            common = torch.float32
        return fn(a.to(common), b.to(common))
    return compute


def _lcm(a, b):
    return torch.lcm(a, b)


def _ldexp(a, b):
    return _float_binary(lambda x, y: x * torch.pow(2.0, y))(a, b)


BINARY = {
    "add": _arith(torch.add), "subtract": _arith(torch.sub),
    "multiply": _arith(torch.mul), "true_divide": _true_divide, "mod": _mod,
    "power": _arith(_power), "maximum": torch.maximum, "minimum": torch.minimum,
    "arctan2": _float_binary(torch.atan2), "hypot": _float_binary(torch.hypot),
    "copysign": _float_binary(torch.copysign), "ldexp": _ldexp, "lcm": _lcm,
    "bitwise_and": torch.bitwise_and, "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor,
    "equal": torch.eq, "not_equal": torch.ne, "greater": torch.gt,
    "greater_equal": torch.ge, "less": torch.lt, "less_equal": torch.le,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor,
}
# binary ops whose scalar form has a reversed twin (``2 - x`` is _npi_rsubtract_scalar)
REVERSIBLE = ("subtract", "true_divide", "mod", "power", "arctan2", "copysign", "ldexp")


def _register_binary(name, fn):
    def compute(lhs, rhs):
        return fn(lhs, rhs)
    compute.__doc__ = f"Element-wise ``{name}`` with NumPy broadcasting (``mx.np.{name}``)."
    defop(f"_npi_{name}", inputs=("lhs", "rhs"), same_dtype=())(compute)


def scalar_value(scalar, is_int):
    """The Python scalar an ``_npi_*_scalar`` op computes with."""
    if is_int and float(scalar).is_integer() and math.isfinite(scalar):
        return int(scalar)
    return float(scalar)


_SCALAR_ATTRS = (Attr("scalar", FLOAT, 1.0, "The scalar operand"),
                 Attr("is_int", BOOL, True, "Whether the scalar was a Python int"))


def _scalar_tensor(value, like):
    if isinstance(value, float) and like.dtype not in _FLOATS:
        return torch.tensor(value, dtype=torch.float32, device=like.device)
    if isinstance(value, int) and like.dtype == torch.bool:
        return torch.tensor(value, dtype=torch.int64, device=like.device)
    return torch.tensor(value, dtype=like.dtype, device=like.device)


# forward scalar forms torch computes with the Python scalar itself (its promotion matches:
# int array + float scalar is float32, bool array + int scalar is int64)
_DIRECT = {"add": torch.add, "subtract": torch.sub, "multiply": torch.mul,
           "equal": torch.eq, "not_equal": torch.ne, "greater": torch.gt,
           "greater_equal": torch.ge, "less": torch.lt, "less_equal": torch.le}


def _register_scalar(name, fn, reverse):
    direct = None if reverse else _DIRECT.get(name)

    def compute(data, scalar, is_int):
        value = scalar_value(scalar, is_int)
        if direct is not None and not (data.dtype == torch.bool and name == "subtract"):
            return direct(data, value)
        s = _scalar_tensor(value, data)
        return fn(s, data) if reverse else fn(data, s)
    op_name = f"_npi_r{name}_scalar" if reverse else f"_npi_{name}_scalar"
    compute.__doc__ = f"``{name}`` of an array and a Python scalar" + (
        " (scalar on the left)." if reverse else ".")
    defop(op_name, inputs=("data",), attrs=_SCALAR_ATTRS, shape_rule="same",
          same_dtype=())(compute)


for _name, _fn in BINARY.items():
    _register_binary(_name, _fn)
    _register_scalar(_name, _fn, False)
    if _name in REVERSIBLE:
        _register_scalar(_name, _fn, True)
