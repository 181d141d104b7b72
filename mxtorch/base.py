"""Errors, sentinels and small type helpers shared by every layer of mxtorch."""
import numpy as np

__all__ = ["py_str", "data_dir", "mx_real_t", "NotImplementedForSymbol",
           "NotSupportedForSparseNDArray", "MXNetError", "ShapeError", "DTypeError", "AttributeParseError",
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
mx_real_t = np.float32


def py_str(x):
    """Text from bytes (MXNet's helper for C strings)."""
    return x.decode("utf-8") if isinstance(x, (bytes, bytearray)) else str(x)


def _as_list(obj):
    """``obj`` as a list (a list or tuple is copied into a list, anything else wrapped)."""
    return list(obj) if isinstance(obj, (list, tuple)) else [obj]


def data_dir():
    """Directory for downloaded data and models: $MXNET_HOME or ~/.mxnet."""
    import os
    return os.getenv("MXNET_HOME", os.path.join(os.path.expanduser("~"), ".mxnet"))


class NotImplementedForSymbol(MXNetError):
    """An NDArray-only method was called on a Symbol."""

    def __init__(self, function, alias=None, *args):
        super().__init__(f"Function {getattr(function, '__name__', function)} "
                         f"{'(namely operator ' + repr(alias) + ') ' if alias else ''}"
                         "is not implemented for Symbol and only available in NDArray.")


class NotSupportedForSparseNDArray(MXNetError):
    """A dense-only method was called on a sparse array."""

    def __init__(self, function, alias=None, *args):
        super().__init__(f"Function {getattr(function, '__name__', function)} is not supported "
                         "for SparseNDArray and only available in NDArray.")

