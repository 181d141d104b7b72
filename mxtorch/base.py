"""Errors, sentinels and small type helpers shared by every layer of mxtorch."""
import numpy as np

__all__ = ["MXNetError", "ShapeError", "DTypeError", "AttributeParseError",
           "NotSupportedError", "_Null", "numeric_types", "integer_types", "string_types"]


class MXNetError(RuntimeError):
    """Base class of every error mxtorch raises (as MXNet's ``mx.base.MXNetError``)."""


class ShapeError(MXNetError, ValueError):
    """An input has a shape the operator or layer cannot accept."""


class DTypeError(MXNetError, TypeError):
    """An input has a dtype the operator or layer cannot accept."""


class AttributeParseError(MXNetError, ValueError):
    """An operator attribute is missing, unknown, or has an invalid value."""


class NotSupportedError(MXNetError, NotImplementedError):
    """A feature of MXNet that mxtorch deliberately does not provide."""


class _NullType:
    """Marks an argument the caller did not pass (MXNet's ``_Null``)."""
    __slots__ = ()

    def __repr__(self):
        return "_Null"

    def __bool__(self):
        return False

    def __reduce__(self):
        return "_Null"


_Null = _NullType()

integer_types = (int, np.integer)
numeric_types = (float, int, np.generic)
string_types = (str,)
