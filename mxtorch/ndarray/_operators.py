"""The ONE table of Python operators, shared by NDArray and Symbol.

MXNet's two doors differ on purpose and the difference is one visible column here:
``NDArray + NDArray`` broadcasts (``broadcast_add``) while ``Symbol + Symbol`` is the
same-shape ``_Plus`` (canonical ``elemwise_add``). Scalars use the ``*_scalar`` ops; a scalar on
the left uses the reflected op (``1 - x`` is ``_rminus_scalar``). Symbol names are the exact
aliases MXNet's Symbol uses, because auto-generated node names derive from them
(``x + 1`` is node ``_plusscalar0``).
"""
from collections import namedtuple

import numpy as _np

Row = namedtuple("Row", "dunder nd_array sym_array scalar rscalar")

# dunder      nd: array∘array          sym: array∘array   array∘scalar          scalar∘array
BINARY = [
    Row("add", "broadcast_add", "_Plus", "_PlusScalar", "_PlusScalar"),
    Row("sub", "broadcast_sub", "_Minus", "_MinusScalar", "_RMinusScalar"),
    Row("mul", "broadcast_mul", "_Mul", "_MulScalar", "_MulScalar"),
    Row("truediv", "broadcast_div", "_Div", "_DivScalar", "_RDivScalar"),
    Row("div", "broadcast_div", "_Div", "_DivScalar", "_RDivScalar"),
    Row("mod", "broadcast_mod", "_Mod", "_ModScalar", "_RModScalar"),
    Row("pow", "broadcast_power", "_Power", "_PowerScalar", "_rpower_scalar"),
]

# Comparisons have no reflected form: Python swaps them (1 < x calls x.__gt__(1)).
COMPARE = [
    Row("eq", "broadcast_equal", "_equal", "_equal_scalar", None),
    Row("ne", "broadcast_not_equal", "_not_equal", "_not_equal_scalar", None),
    Row("gt", "broadcast_greater", "_greater", "_greater_scalar", None),
    Row("ge", "broadcast_greater_equal", "_greater_equal", "_greater_equal_scalar", None),
    Row("lt", "broadcast_lesser", "_lesser", "_lesser_scalar", None),
    Row("le", "broadcast_lesser_equal", "_lesser_equal", "_lesser_equal_scalar", None),
]

# unary dunder: (nd op, sym op and scalar) -- MXNet's Symbol negates with _mul_scalar(-1.0).
UNARY = {"neg": ("negative", ("_MulScalar", -1.0)), "abs": ("abs", ("abs", None))}

# The torch kernel behind each nd-side name, for NDArray's fast path.
KERNEL_KEY = {
    "broadcast_add": "add", "broadcast_sub": "sub", "broadcast_mul": "mul",
    "broadcast_div": "div", "broadcast_mod": "mod", "broadcast_power": "power",
    "broadcast_equal": "equal", "broadcast_not_equal": "not_equal",
    "broadcast_greater": "greater", "broadcast_greater_equal": "greater_equal",
    "broadcast_lesser": "lesser", "broadcast_lesser_equal": "lesser_equal",
}


def install_ndarray_operators(cls):
    """Give NDArray its arithmetic/comparison dunders from the table (fast paths)."""
    from ..ops import get_op
    from ..ops.elemwise import (FAST_BINARY, FAST_COMPARE, FAST_SCALAR,
                                FAST_SCALAR_COMPARE_TYPED, scalar_for)
    from .ndarray import binary_method, inplace_method, make_array_op, make_scalar_op, \
        unary_method

    def scalar_kernel(alias):
        op = get_op(alias)
        fn = FAST_SCALAR.get(op.name) or FAST_SCALAR_COMPARE_TYPED[op.name]
        return make_scalar_op(op, fn, scalar_for)

    for row in BINARY + COMPARE:
        key = KERNEL_KEY[row.nd_array]
        kernel = FAST_BINARY.get(key)
        if kernel is None:
            raw = FAST_COMPARE[key]
            kernel = (lambda f: lambda a, b: f(a, b).to(a.dtype))(raw)
        array_apply = make_array_op(get_op(row.nd_array), kernel)
        forward = binary_method(array_apply, scalar_kernel(row.scalar))
        setattr(cls, f"__{row.dunder}__", forward)
        if row.rscalar is not None:
            setattr(cls, f"__r{row.dunder}__",
                    binary_method(array_apply, scalar_kernel(row.rscalar), reverse=True))
            if row.dunder != "pow":  # MXNet has no __ipow__: x **= y rebinds x
                setattr(cls, f"__i{row.dunder}__", inplace_method(forward))
    for dunder, (nd_op, _) in UNARY.items():
        setattr(cls, f"__{dunder}__", unary_method(nd_op))
    negate = cls.__neg__

    def neg(self):
        # MXNet's ``-x`` is x * -1.0: a bool array gives int64, where ``negative`` refuses it
        return self.__mul__(-1.0) if self.dtype is _np.bool_ else negate(self)
    cls.__neg__ = neg


def install_symbol_operators(cls):
    """Give Symbol its dunders from the same table: array-array ops are MXNet's same-shape
    ``_Plus``-style ops (no broadcasting), scalars use the ``*_scalar`` ops."""
    from ..base import numeric_types
    from ..symbol._gen import SYM_FUNCTIONS

    def make(array_name, scalar_name, reverse):
        def method(self, other):
            if isinstance(other, cls):
                pair = (other, self) if reverse else (self, other)
                return SYM_FUNCTIONS[array_name](*pair)
            if isinstance(other, numeric_types):
                return SYM_FUNCTIONS[scalar_name](self, scalar=other)
            return NotImplemented
        return method

    for row in BINARY + COMPARE:
        setattr(cls, f"__{row.dunder}__", make(row.sym_array, row.scalar, False))
        if row.rscalar is not None:
            setattr(cls, f"__r{row.dunder}__", make(row.sym_array, row.rscalar, True))
    for dunder, (_, (sym_op, scalar)) in UNARY.items():
        if scalar is None:
            setattr(cls, f"__{dunder}__", lambda self, _n=sym_op: SYM_FUNCTIONS[_n](self))
        else:
            setattr(cls, f"__{dunder}__",
                    lambda self, _n=sym_op, _s=scalar: SYM_FUNCTIONS[_n](self, scalar=_s))
    cls.__hash__ = object.__hash__
