"""Element-wise operators: unary math, binary (elemwise_* and broadcast_*), scalar forms,
comparisons and logic.

MXNet rules encoded here (checked against 1.9.1):
- No dtype promotion: outputs keep the input dtype. Float math on integer arrays is computed in
  float and cast back; comparisons and logic return 0/1 in the input dtype, not bool.
- Integer division truncates toward zero (-7/2 = -3) while ``mod`` floors (sign of the divisor).
- A scalar combined with an integer array is first truncated to that integer type (x*1.5 == x).
- ``maximum``/``minimum`` give a tie's gradient to the left operand.
"""
import math

import torch

from ..base import ShapeError
from ._attrs import BOOL, DTYPE, FLOAT, INT
from ._registry import Attr, defop, VARIADIC
from .._torch.dtypes import NAME_TO_TORCH

# --------------------------------------------------------------------------------------------
# unary
# --------------------------------------------------------------------------------------------


def _float_math(fn):
    """Wrap a float-only torch function so integer inputs come back in their own dtype."""
    def compute(data):
        if data.is_floating_point():
            return fn(data)
        return fn(data.double()).to(data.dtype)
    compute.__name__ = getattr(fn, "__name__", "compute")
    return compute


def _round_half_away(x):
    # NOTE: MXNet's round is half away from zero; torch.round is half to even (that is rint).
    return torch.where(x >= 0, torch.floor(x + 0.5), torch.ceil(x - 0.5))


def _rint(x):
    # NOTE: MXNet's rint sends exact halves down (toward -inf): 1.5 -> 1, -2.5 -> -3, 2.5 -> 2.
    # It is neither numpy's half-to-even nor round's half-away-from-zero (checked on 1.9.1).
    low = torch.floor(x)
    return torch.where(x - low <= 0.5, low, low + 1)


class _Cbrt(torch.autograd.Function):
    """Cube root keeping the sign of zero; gradient ``1 / (3 y^2)`` (``inf`` at 0, as MXNet)."""

    @staticmethod
    def forward(ctx, x):
        y = _cbrt_value(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad / (3 * y * y)


class _Rcbrt(torch.autograd.Function):
    """``1 / cbrt(x)``; gradient ``-1 / (3 x cbrt(x))`` (``-inf`` at +-0, as MXNet)."""

    @staticmethod
    def forward(ctx, x):
        out = 1.0 / _cbrt_value(x)
        ctx.save_for_backward(x, out)  # the saved output keeps create_graph gradients exact
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return -grad * out / (3 * x)


class _Gammaln(torch.autograd.Function):
    """``lgamma``; gradient ``digamma(x)``, with MXNet's value at the poles (0, -1, -2...):
    the largest float64 (``inf`` once rounded to float32/float16), never NaN."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.lgamma(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        pole = (x <= 0) & (x == torch.floor(x))
        big = torch.finfo(torch.float64).max if x.dtype == torch.float64 else math.inf
        return grad * torch.where(pole, big, torch.digamma(x))


def _cbrt_value(x):
    return torch.copysign(torch.abs(x).pow(1.0 / 3.0), x)


def _with_grad(fn, function):
    """``fn`` when nothing needs a gradient, else ``function`` (the custom-gradient form)."""
    def compute(x):
        if x.requires_grad and torch.is_grad_enabled():
            return function.apply(x)
        return fn(x)
    return compute


_cbrt = _with_grad(_cbrt_value, _Cbrt)
_rcbrt = _with_grad(lambda x: 1.0 / _cbrt_value(x), _Rcbrt)
_gammaln = _with_grad(torch.lgamma, _Gammaln)


def _gamma(x):
    # Gamma from lgamma: |Gamma(x)| = exp(lgamma(x)); for negative non-integers its sign
    # alternates: negative on (-1, 0), positive on (-2, -1), ...
    sign = torch.where((x < 0) & (torch.remainder(torch.floor(x), 2) != 0), -1.0, 1.0).to(x.dtype)
    out = sign * torch.exp(torch.lgamma(x))
    pole = (x < 0) & (x == torch.floor(x))  # negative integers are poles: NaN, as C's tgamma
    return torch.where(pole, torch.full_like(out, math.nan), out)


def _softsign(x):
    return x / (1 + torch.abs(x))


def _logical_not(x):
    return (x == 0).to(x.dtype)


def _same_type(fn):
    """Integer-safe unary ops that torch already keeps in the input dtype."""
    def compute(data):
        return fn(data)
    compute.__name__ = getattr(fn, "__name__", "compute")
    return compute


_UNARY_FLOAT = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "exp": torch.exp, "expm1": torch.expm1,
    "log": torch.log, "log1p": torch.log1p, "log2": torch.log2, "log10": torch.log10,
    "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "cbrt": _cbrt,
    "rcbrt": _rcbrt, "reciprocal": torch.reciprocal,
    "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "arcsin": torch.asin,
    "arccos": torch.acos, "arctan": torch.atan, "sinh": torch.sinh, "cosh": torch.cosh,
    "arcsinh": torch.asinh, "arccosh": torch.acosh, "arctanh": torch.atanh,
    "degrees": torch.rad2deg, "radians": torch.deg2rad, "erf": torch.erf,
    "erfinv": torch.erfinv, "gamma": _gamma, "gammaln": _gammaln,
    "softsign": _softsign,
}

_UNARY_ANY = {
    "relu": torch.relu, "abs": torch.abs, "sign": torch.sign, "negative": torch.neg,
    "square": torch.square, "floor": torch.floor, "ceil": torch.ceil, "trunc": torch.trunc,
    "fix": torch.trunc, "rint": _rint, "round": _round_half_away,
    "logical_not": _logical_not,
}

_INTEGER_EXACT = {"floor", "ceil", "trunc", "fix", "rint", "round"}


def _int_identity_or(fn):
    def compute(data):
        if data.is_floating_point():
            return fn(data)
        return data.clone()
    return compute


def _register_unary():
    for name, fn in _UNARY_FLOAT.items():
        defop(name, inputs=("data",), shape_rule="same",
              doc=f"Element-wise {name}.")(_float_math(fn))
    for name, fn in _UNARY_ANY.items():
        if name in _INTEGER_EXACT:
            compute = _int_identity_or(fn)
        elif name == "relu":
            compute = _relu
        else:
            compute = _same_type(fn)
        defop(name, inputs=("data",), shape_rule="same", doc=f"Element-wise {name}.")(compute)


def _relu(data):
    if data.is_floating_point():
        return torch.relu(data)
    return torch.clamp(data, min=0)


_register_unary()


@defop("_copy", shape_rule="same", aliases=("identity",), inputs=("data",))
def copy(data):
    """Return a copy of the input."""
    return data.clone()


@defop("BlockGrad", shape_rule="same", aliases=("stop_gradient",), inputs=("data",))
def block_grad(data):
    """Identity in the forward pass; passes no gradient back."""
    return data.detach()


@defop("zeros_like", shape_rule="same", inputs=("data",))
def zeros_like(data):
    """Array of zeros with the shape and dtype of the input."""
    return torch.zeros_like(data)


@defop("ones_like", shape_rule="same", inputs=("data",))
def ones_like(data):
    """Array of ones with the shape and dtype of the input."""
    return torch.ones_like(data)


@defop("clip", shape_rule="same", inputs=("data",),
       attrs=(Attr("a_min", FLOAT, doc="Minimum value"), Attr("a_max", FLOAT, doc="Maximum value")))
def clip(data, a_min, a_max):
    """Clip values into [a_min, a_max]; the gradient is zero outside the range."""
    if not data.is_floating_point() and data.dtype != torch.bool:
        return _int_clip(data, a_min, a_max)
    if a_min > a_max:  # MXNet: x > a_max gives a_max, else x < a_min gives a_min
        high, low = torch.full_like(data, a_max), torch.full_like(data, a_min)
        return torch.where(data > a_max, high, torch.where(data < a_min, low, data))
    return torch.clamp(data, a_min, a_max)


def _int_clip(data, a_min, a_max):
    """Integer clip as MXNet: the input is compared with the float bounds and a value beyond
    one becomes that bound converted to the input type (C cast)."""
    value = data.double()
    bound = torch.tensor([a_min, a_max], dtype=torch.float64, device=data.device)
    low, high = int_from_float(bound, data.dtype).unbind()
    return torch.where(value > a_max, high, torch.where(value < a_min, low, data))


@defop("hard_sigmoid", shape_rule="same", inputs=("data",),
       attrs=(Attr("alpha", FLOAT, 0.2, "Slope"), Attr("beta", FLOAT, 0.5, "Bias")))
def hard_sigmoid(data, alpha, beta):
    """``clip(alpha * x + beta, 0, 1)``."""
    return torch.clamp(data * alpha + beta, 0.0, 1.0)


@defop("smooth_l1", shape_rule="same", inputs=("data",), attrs=(Attr("scalar", FLOAT, 1.0, "sigma"),))
def smooth_l1(data, scalar):
    """Smooth L1: ``0.5 (sigma x)^2`` where ``|x| < 1/sigma^2``, else ``|x| - 0.5/sigma^2``."""
    sigma2 = scalar * scalar
    inv = 1.0 / sigma2 if sigma2 else math.inf  # sigma 0: the quadratic branch everywhere (0)
    absx = torch.abs(data)
    out = torch.where(absx < inv, 0.5 * sigma2 * data * data, absx - 0.5 * inv)
    return out if data.is_floating_point() else out.to(data.dtype)  # MXNet keeps int types


def _cast(data, dtype):
    target = NAME_TO_TORCH[dtype]
    if target == data.dtype:
        out = data.clone() if not data.requires_grad else data * 1
    elif not target.is_floating_point and target != torch.bool and data.is_floating_point():
        out = torch.trunc(data).to(target)  # float -> int truncates toward zero
    else:
        out = data.to(target)
    if not (out.is_floating_point() and data.is_floating_point()) and torch.is_grad_enabled():
        out = _carry_gradient(data, out)
    return out


def _carry_gradient(data, out):
    """MXNet differentiates through integer arrays (Cast's gradient is the cast gradient).
    Torch cannot, so an integer tensor in a recorded graph carries a float64 ``_mx_shadow``
    holding its graph: int -> float casts continue from the shadow, casts to int pass it on."""
    if data.is_floating_point():
        shadow = data.double() if data.requires_grad else None
    else:
        shadow = getattr(data, "_mx_shadow", None)
    if shadow is None:
        return out
    if out.is_floating_point():
        return out + (shadow - shadow.detach()).to(out.dtype)
    out._mx_shadow = shadow
    return out


@defop("Cast", shape_rule="same", aliases=("cast",), inputs=("data",), attrs=(Attr("dtype", DTYPE, doc="Output type"),))
def cast(data, dtype):
    """Cast to ``dtype`` (float -> int truncates toward zero, float -> bool is ``x != 0``)."""
    return _cast(data, dtype)


def _amp_cast_type(attrs, ins):
    """Integer and float64 inputs keep their type (MXNet 1.9.1); others take ``dtype``."""
    keep = ins[0] is not None and (not ins[0].is_floating_point or ins[0] == torch.float64)
    return ins, [ins[0] if keep else attrs["dtype"]]


@defop("amp_cast", shape_rule="same", inputs=("data",), infer_type=_amp_cast_type,
       attrs=(Attr("dtype", DTYPE, doc="Output type"),))
def amp_cast(data, dtype):
    """Cast used by automatic mixed precision; integer and float64 inputs are left unchanged."""
    if not data.is_floating_point() or data.dtype == torch.float64:
        return data.clone()
    target = NAME_TO_TORCH[dtype]
    if not target.is_floating_point:  # MXNet rounds half to even and saturates, unlike Cast
        info = torch.iinfo(target)
        return torch.clamp(torch.round(data), info.min, info.max).to(target)
    return _cast(data, dtype)


@defop("amp_multicast", inputs=VARIADIC, num_args="num_outputs",
       attrs=(Attr("num_outputs", INT),
              Attr("cast_narrow", BOOL, False)),
       num_outputs=lambda a: a["num_outputs"], same_dtype=())
def amp_multicast(*data, num_outputs, cast_narrow):
    """Cast all float inputs to the widest (or with ``cast_narrow`` the narrowest) float type."""
    floats = [t.dtype for t in data if t.is_floating_point()]
    if not floats:
        return tuple(t.clone() for t in data)
    order = [torch.float16, torch.bfloat16, torch.float32, torch.float64]
    pick = min if cast_narrow else max
    target = pick(floats, key=order.index)
    return tuple(t.to(target) if t.is_floating_point() else t.clone() for t in data)


# --------------------------------------------------------------------------------------------
# binary
# --------------------------------------------------------------------------------------------


def _div(lhs, rhs):
    if lhs.is_floating_point():
        return torch.div(lhs, rhs)
    return torch.div(lhs, rhs, rounding_mode="trunc")


def _maximum(lhs, rhs):
    return torch.where(lhs >= rhs, lhs, rhs)


def _minimum(lhs, rhs):
    return torch.where(lhs <= rhs, lhs, rhs)


def _hypot(lhs, rhs):
    if lhs.is_floating_point():
        return torch.hypot(lhs, rhs)
    return torch.hypot(lhs.double(), rhs.double()).to(_int64_if_bool(lhs).dtype)


def _int64_if_bool(t):
    """MXNet's scalar operators read a bool array as int64."""
    return t.to(torch.int64) if t.dtype == torch.bool else t


class _FloorMod(torch.autograd.Function):
    """Float ``lhs mod rhs`` where ``rhs`` has zeros: 0 there (as MXNet); gradients 1 and
    ``-floor(lhs / rhs)`` (infinite at a zero divisor, as MXNet)."""

    @staticmethod
    def forward(ctx, lhs, rhs):
        ctx.save_for_backward(lhs, rhs)
        return torch.remainder(lhs, rhs).masked_fill_(rhs == 0, 0)

    @staticmethod
    def backward(ctx, grad):
        lhs, rhs = ctx.saved_tensors
        dl = grad.sum_to_size(lhs.shape) if ctx.needs_input_grad[0] else None
        dr = (-grad * torch.floor(lhs / rhs)).sum_to_size(rhs.shape) \
            if ctx.needs_input_grad[1] else None
        return dl, dr


def _mod(lhs, rhs):
    """MXNet's mod: the remainder takes the divisor's sign, and ``x % 0`` is 0."""
    if not lhs.is_floating_point():
        try:
            return torch.remainder(lhs, rhs)
        except RuntimeError:  # integer division by zero
            zero = rhs == 0
            return torch.remainder(lhs, rhs.masked_fill(zero, 1)).masked_fill_(zero, 0)
    if torch.is_grad_enabled() and (lhs.requires_grad or rhs.requires_grad):
        return _FloorMod.apply(lhs, rhs)
    return torch.remainder(lhs, rhs).masked_fill_(rhs == 0, 0)


def _mod_scalar(data, s):
    if s == 0:  # MXNet: x % 0 is 0 (gradient 1)
        return _mod(data, torch.zeros((), dtype=data.dtype))
    return torch.remainder(data, s)


def int_from_float(value, dtype):
    """Convert float ``value`` to integer ``dtype`` as MXNet's C++ cast does on x86: truncation;
    NaN and values outside int32 (int64 for int64) become that type's minimum; narrower types
    keep the low bits of the int32 value."""
    wide = torch.int64 if dtype == torch.int64 else torch.int32
    low = float(torch.iinfo(wide).min)
    bad = ~((value >= low) & (value < -low))
    out = torch.trunc(value).masked_fill(bad, 0).to(wide).masked_fill(bad, int(low))
    return out if wide == dtype else out.to(dtype)


def _int_power(base, exponent, dtype):
    """MXNet's power on integer arrays: evaluated in float32, then cast back (so 3 ** 40 on
    int64 is the int64 minimum and negative exponents truncate toward zero)."""
    as_float = [v.float() if torch.is_tensor(v) else float(v) for v in (base, exponent)]
    return int_from_float(torch.pow(*as_float), dtype)


def _power(lhs, rhs):
    if lhs.is_floating_point() or lhs.dtype == torch.bool:
        return torch.pow(lhs, rhs)
    return _int_power(lhs, rhs, lhs.dtype)


def _power_scalar(data, s):
    if data.is_floating_point() or data.dtype == torch.bool:
        return torch.pow(data, s)
    return _int_power(data, s, data.dtype)


def _as_input_dtype(fn):
    def compute(lhs, rhs):
        return fn(lhs, rhs).to(lhs.dtype)
    return compute


_ARITH = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": _div,
    "mod": _mod, "power": _power, "maximum": _maximum, "minimum": _minimum,
    "hypot": _hypot,
}
_COMPARE = {
    "equal": torch.eq, "not_equal": torch.ne, "greater": torch.gt, "greater_equal": torch.ge,
    "lesser": torch.lt, "lesser_equal": torch.le, "logical_and": torch.logical_and,
    "logical_or": torch.logical_or, "logical_xor": torch.logical_xor,
}

# (elementwise op name and aliases) per function; names follow MXNet 1.9.1's registry.
_ELEMWISE_NAMES = {
    "add": ("elemwise_add", ("_Plus", "_plus", "_add")),
    "sub": ("elemwise_sub", ("_Minus", "_minus", "_sub")),
    "mul": ("elemwise_mul", ("_Mul", "_mul")),
    "div": ("elemwise_div", ("_Div", "_div")),
    "mod": ("_mod", ("_Mod",)),
    "power": ("_power", ("_Power",)),
    "maximum": ("_maximum", ("_Maximum",)),
    "minimum": ("_minimum", ("_Minimum",)),
    "hypot": ("_hypot", ("_Hypot",)),
    "equal": ("_equal", ("_Equal",)),
    "not_equal": ("_not_equal", ("_Not_Equal",)),
    "greater": ("_greater", ("_Greater",)),
    "greater_equal": ("_greater_equal", ("_Greater_Equal",)),
    "lesser": ("_lesser", ("_Lesser",)),
    "lesser_equal": ("_lesser_equal", ("_Lesser_Equal",)),
    "logical_and": ("_logical_and", ("_Logical_And",)),
    "logical_or": ("_logical_or", ("_Logical_Or",)),
    "logical_xor": ("_logical_xor", ("_Logical_Xor",)),
}
_BROADCAST_ALIASES = {"add": ("broadcast_plus",), "sub": ("broadcast_minus",)}


def _same_shape(name, fn):
    def compute(lhs, rhs):
        if lhs.shape != rhs.shape:
            raise ShapeError(
                f"{name}: input shapes must match, got lhs {tuple(lhs.shape)} and rhs "
                f"{tuple(rhs.shape)}; use broadcast_{name.split('_', 1)[-1].lstrip('_')} "
                "(or the + - * / operators on NDArrays) to broadcast")
        return fn(lhs, rhs)
    return compute


def _register_binary():
    table = {k: v for k, v in _ARITH.items()}
    table.update({k: _as_input_dtype(v) for k, v in _COMPARE.items()})
    for key, fn in table.items():
        elem_name, elem_aliases = _ELEMWISE_NAMES[key]
        defop(elem_name, inputs=("lhs", "rhs"), aliases=elem_aliases, shape_rule="same",
              doc=f"Element-wise {key}; both inputs must have the same shape.")(
            _same_shape(elem_name, fn))
        defop(f"broadcast_{key}", inputs=("lhs", "rhs"), aliases=_BROADCAST_ALIASES.get(key, ()),
              infer_shape=_broadcast_infer(f"broadcast_{key}"),
              doc=f"Element-wise {key} with NumPy-style broadcasting.")(_bcast(fn))


def _bcast(fn):
    def compute(lhs, rhs):
        return fn(lhs, rhs)
    return compute


def broadcast_shape(name, lhs, rhs):
    """NumPy-style broadcast of two shapes (0 = unknown dim); ShapeError if incompatible."""
    out = []
    for i in range(1, max(len(lhs), len(rhs)) + 1):
        a = lhs[-i] if i <= len(lhs) else 1
        b = rhs[-i] if i <= len(rhs) else 1
        if a == b or b == 1:
            out.append(a)
        elif a == 1:
            out.append(b)
        elif a == 0 or b == 0:
            out.append(0)  # an unknown dim may be 1 (broadcast) or match: unknown
        else:
            raise ShapeError(f"{name}: shapes {tuple(lhs)} and {tuple(rhs)} cannot be broadcast "
                             f"together (axis -{i}: {a} vs {b}; sizes must match or be 1)")
    return tuple(reversed(out))


def _broadcast_infer(name):
    def infer(attrs, in_shapes):
        lhs, rhs = in_shapes
        if lhs is None or rhs is None:
            return in_shapes, None
        return in_shapes, [broadcast_shape(name, lhs, rhs)]
    return infer


_register_binary()


@defop("_grad_add", shape_rule="same", inputs=("lhs", "rhs"))
def grad_add(lhs, rhs):
    """Element-wise sum used for gradient accumulation."""
    return lhs + rhs


@defop("add_n", shape_rule="same", aliases=("ElementWiseSum",), inputs=VARIADIC, num_args="num_args",
       attrs=(Attr("num_args", INT),))
def add_n(*args, num_args):
    """Sum of all inputs (same shapes)."""
    out = args[0]
    for t in args[1:]:
        if t.shape != out.shape:
            raise ShapeError(f"add_n: all inputs must have the same shape, got "
                             f"{[tuple(a.shape) for a in args]}")
        out = out + t
    return out if len(args) > 1 else out.clone()


# --------------------------------------------------------------------------------------------
# array-scalar
# --------------------------------------------------------------------------------------------


def _scalar_for(data, scalar):
    """The scalar as MXNet applies it: converted to the array's type, so for integer arrays
    truncated and wrapped into range (C cast: NaN, inf and values beyond int32/int64 become
    that type's minimum; uint8 sees -2.5 as 254 and 300 as 44)."""
    if data.is_floating_point():
        return scalar
    bits = torch.iinfo(torch.int64 if data.dtype == torch.bool else data.dtype).bits
    wide = 64 if bits == 64 else 32
    if math.isfinite(scalar) and -2.0 ** (wide - 1) <= scalar < 2.0 ** (wide - 1):
        value = int(scalar)
    else:
        value = -2 ** (wide - 1)
    value %= 2 ** bits
    signed = data.dtype != torch.uint8  # a bool array computes in int64
    return value - 2 ** bits if signed and value >= 2 ** (bits - 1) else value


def _rdiv(data, s):
    if data.is_floating_point():  # a true division (torch's ``s / x`` multiplies by 1/x)
        return torch.div(torch.tensor(s, dtype=data.dtype, device=data.device), data)
    # MXNet divides in floating point and casts back: s / 0 is the int32/int64 minimum
    return int_from_float(torch.div(float(s), data.double()), _int64_if_bool(data).dtype)


def _rmod(data, s):
    data = _int64_if_bool(data)
    return _mod(torch.full_like(data, s), data)


def _rpower(data, s):
    if data.is_floating_point() or data.dtype == torch.bool:
        return torch.pow(s, data)
    return _int_power(s, data, data.dtype)


_SCALAR = {
    "_plus_scalar": (lambda x, s: x + s, ("_PlusScalar",)),
    "_minus_scalar": (lambda x, s: x + (-s), ("_MinusScalar",)),  # also bool + int -> int64
    "_rminus_scalar": (lambda x, s: s - _int64_if_bool(x), ("_RMinusScalar",)),
    "_mul_scalar": (lambda x, s: x * s, ("_MulScalar",)),
    "_div_scalar": (lambda x, s: x / s if x.is_floating_point()
                    else torch.div(x, s, rounding_mode="trunc"), ("_DivScalar",)),
    "_rdiv_scalar": (_rdiv, ("_RDivScalar",)),
    "_mod_scalar": (_mod_scalar, ("_ModScalar",)),
    "_rmod_scalar": (_rmod, ("_RModScalar",)),
    "_power_scalar": (_power_scalar, ("_PowerScalar",)),
    "_rpower_scalar": (_rpower, ("_RPowerScalar",)),
    "_maximum_scalar": (lambda x, s: torch.clamp(x, min=s), ("_MaximumScalar",)),
    "_minimum_scalar": (lambda x, s: torch.clamp(x, max=s), ("_MinimumScalar",)),
    "_hypot_scalar": (lambda x, s: _hypot(x, torch.full_like(_int64_if_bool(x), s)),
                      ("_HypotScalar",)),
}
_SCALAR_COMPARE = {
    "_equal_scalar": (torch.eq, ("_EqualScalar",)),
    "_not_equal_scalar": (torch.ne, ("_NotEqualScalar",)),
    "_greater_scalar": (torch.gt, ("_GreaterScalar",)),
    "_greater_equal_scalar": (torch.ge, ("_GreaterEqualScalar",)),
    "_lesser_scalar": (torch.lt, ("_LesserScalar",)),
    "_lesser_equal_scalar": (torch.le, ("_LesserEqualScalar",)),
    "_logical_and_scalar": (lambda x, s: torch.logical_and(x, torch.tensor(s != 0)),
                            ("_LogicalAndScalar",)),
    "_logical_or_scalar": (lambda x, s: torch.logical_or(x, torch.tensor(s != 0)),
                           ("_LogicalOrScalar",)),
    "_logical_xor_scalar": (lambda x, s: torch.logical_xor(x, torch.tensor(s != 0)),
                            ("_LogicalXorScalar",)),
}
SCALAR_ATTRS = (Attr("scalar", FLOAT, 1.0, "Scalar operand"),
                Attr("is_int", BOOL, True, "Whether the scalar was an integer"))


def _scalar_operand(data, scalar, is_int):
    """(array, scalar) as MXNet's scalar operators apply them: an integer or bool array with
    ``is_int=False`` computes in float64; a bool array otherwise computes in int64."""
    if data.is_floating_point():
        return data, scalar
    if not is_int:
        return data.double(), scalar
    return _int64_if_bool(data), _scalar_for(data, scalar)


def _scalar_compute(fn, compare):
    if compare:
        def compute(data, scalar, is_int):
            data, scalar = _scalar_operand(data, scalar, is_int)
            return fn(data, scalar).to(data.dtype)
    else:
        def compute(data, scalar, is_int):
            return fn(*_scalar_operand(data, scalar, is_int))
    return compute


def _register_scalar():
    for name, (fn, aliases) in _SCALAR.items():
        defop(name, inputs=("data",), attrs=SCALAR_ATTRS, aliases=aliases, shape_rule="same",
              doc=f"``{name}``: array-scalar arithmetic.")(_scalar_compute(fn, False))
    for name, (fn, aliases) in _SCALAR_COMPARE.items():
        defop(name, inputs=("data",), attrs=SCALAR_ATTRS, aliases=aliases, shape_rule="same",
              doc=f"``{name}``: 1 where the comparison holds, else 0 (input dtype).")(
            _scalar_compute(fn, True))


_register_scalar()

# Raw torch functions for the NDArray operator fast path (same semantics as the ops above).
FAST_BINARY = dict(_ARITH)
FAST_COMPARE = dict(_COMPARE)
FAST_SCALAR = {name: fn for name, (fn, _) in _SCALAR.items()}
FAST_SCALAR_COMPARE = {name: fn for name, (fn, _) in _SCALAR_COMPARE.items()}


def _compare_in_input_dtype(fn):
    def run(t, s):
        if t.dtype == torch.bool:  # MXNet: a bool array compares as int64, giving int64 0/1
            t = t.to(torch.int64)
        return fn(t, s).to(t.dtype)
    return run


# scalar comparisons giving 0/1 in the input dtype (the NDArray operator fast path)
FAST_SCALAR_COMPARE_TYPED = {name: _compare_in_input_dtype(fn)
                             for name, fn in FAST_SCALAR_COMPARE.items()}
scalar_for = _scalar_for
