"""Attribute kinds: each reads a Python value or MXNet's attribute string and writes it back.

MXNet stores operator attributes as strings (``"(3, 3)"``, ``"True"``, ``"1e-05"``, ``"None"``).
A kind's ``parse`` accepts both spellings and returns the Python value ops compute with;
``format`` returns the string MXNet's Python front end would have written (``str(value)``).
``parse`` raises ValueError/TypeError with a short reason; the caller names op and attribute.
"""
import ast

import numpy as np



class Kind:
    """Base kind: the name shown in docs and error messages."""
    name = "any"

    def parse(self, value):
        return value

    def format(self, value):
        return str(value)

    def __repr__(self):
        return self.name


class IntKind(Kind):
    name = "int"

    def parse(self, value):
        if isinstance(value, (bool, np.bool_)):
            return int(value)
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return int(value)
        if isinstance(value, str):
            return int(value.strip())
        raise TypeError(f"expected an int, got {type(value).__name__}")


class FloatKind(Kind):
    name = "float"

    def parse(self, value):
        if isinstance(value, (int, float, np.integer, np.floating, bool)):
            return float(value)
        if isinstance(value, str):
            return float(value.strip())
        raise TypeError(f"expected a number, got {type(value).__name__}")


_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


class BoolKind(Kind):
    name = "boolean"

    def parse(self, value):
        if isinstance(value, (bool, np.bool_, int, np.integer)):
            return bool(value)
        if isinstance(value, str):
            low = value.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
        raise ValueError(f"expected True or False, got {value!r}")

    def format(self, value):
        return "True" if value else "False"


class StrKind(Kind):
    name = "string"

    def parse(self, value):
        return value if isinstance(value, str) else str(value)

    def format(self, value):
        return value


class EnumKind(Kind):
    """One of a fixed set of strings (``act_type``, ``pool_type``...)."""

    def __init__(self, *choices):
        self.choices = tuple(choices)
        self.name = "{" + ", ".join(repr(c) for c in choices) + "}"

    def parse(self, value):
        text = value if isinstance(value, str) else str(value)
        if isinstance(value, (type, np.dtype)):  # dtype choices given as np.float32 (MXNet too)
            from .._torch.dtypes import dtype_name
            try:
                text = dtype_name(value)
            except (TypeError, ValueError, KeyError):
                pass
        if text not in self.choices:
            raise ValueError(f"expected one of {self.name}, got {value!r}")
        return text

    def format(self, value):
        return value


def _literal(text):
    text = text.strip()
    if not text:
        return ()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as err:
        # MXNet also accepts e.g. "(3,3)L" from old files; strip trailing Ls.
        cleaned = text.replace("L", "")
        try:
            return ast.literal_eval(cleaned)
        except (ValueError, SyntaxError):
            raise ValueError(f"cannot read {text!r} as a tuple") from err


class TupleKind(Kind):
    """A tuple of ints (shapes, kernels) or floats; a bare scalar means a 1-tuple.

    ``allow_none`` admits ``None`` entries (``slice``'s begin/end/step).
    """

    def __init__(self, elem=int, allow_none=False):
        self.elem = elem
        self.allow_none = allow_none
        self.name = f"tuple of {elem.__name__}" + (" or None" if allow_none else "")

    def parse(self, value):
        if isinstance(value, str):
            value = _literal(value)
        if value is None and not self.allow_none:
            raise TypeError("expected a tuple, got None")
        if isinstance(value, (int, float, np.integer, np.floating)) or value is None:
            value = (value,)
        if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
            value = value.tolist()
        return tuple(self._elem(v) for v in value)

    def _elem(self, v):
        if v is None:
            if self.allow_none:
                return None
            raise TypeError("None is not allowed in this tuple")
        if self.elem is int:
            if isinstance(v, (float, np.floating)) and not float(v).is_integer():
                raise ValueError(f"expected integers, got {v!r}")
            return int(v)
        return self.elem(v)

    def format(self, value):
        return str(tuple(value))


class DTypeKind(Kind):
    """A dtype; parsed to the canonical MXNet name ('float32', 'int64', ...)."""
    name = "dtype"

    def parse(self, value):
        from .._torch.dtypes import dtype_name
        return dtype_name(value)

    def format(self, value):
        return value


class OptionalKind(Kind):
    """``None`` (or the string ``"None"``) or a value of the inner kind."""

    def __init__(self, inner):
        self.inner = inner
        self.name = f"{inner.name} or None"

    def parse(self, value):
        if value is None or (isinstance(value, str) and value.strip() == "None"):
            return None
        return self.inner.parse(value)

    def format(self, value):
        return "None" if value is None else self.inner.format(value)


class ContextKind(Kind):
    """A device given as a Context or MXNet's text form ``"cpu(0)"``/``"gpu(1)"``."""
    name = "Context"

    def parse(self, value):
        from ..context import Context
        if value is None or value == "":
            return None  # "the caller's current context", resolved by the front door
        if isinstance(value, Context):
            return value
        text = str(value).strip()
        if "(" in text:
            dev, _, rest = text.partition("(")
            return Context(dev, int(rest.rstrip(")") or 0))
        return Context(text, 0)

    def format(self, value):
        return "" if value is None else str(value)


class AnyKind(Kind):
    """Any Python value, passed through unchanged (e.g. ``Custom``'s op_type arguments)."""
    name = "any"


INT = IntKind()
FLOAT = FloatKind()
BOOL = BoolKind()
STR = StrKind()
SHAPE = TupleKind(int)
FLOATS = TupleKind(float)
DTYPE = DTypeKind()
CTX = ContextKind()
ANY = AnyKind()
OPT_INT = OptionalKind(INT)
OPT_FLOAT = OptionalKind(FLOAT)
OPT_SHAPE = OptionalKind(SHAPE)
OPT_DTYPE = OptionalKind(DTYPE)
OPT_BOOL = OptionalKind(BOOL)


def Enum(*choices):  # noqa: N802 - reads like a kind constant at the definition site
    return EnumKind(*choices)


def Optional(kind):  # noqa: N802
    return OptionalKind(kind)
