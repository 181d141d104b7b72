"""``mx.error``: MXNet's structured error classes and their registry.

``register`` (``base.register_error``) records an exception class by name in
``mx.base.error_types``; MXNet maps native messages that start with ``"Name: "`` to the class
registered as ``Name``. The built-in ``ValueError``, ``TypeError``, ``AttributeError``,
``IndexError`` and ``NotImplementedError`` are registered, as in MXNet.
"""
from .base import MXNetError, error_types, register_error  # noqa: F401

__all__ = ["MXNetError", "register"]

register = register_error

_HINT = ("\nMXNet hint: You hit an internal error. Please open an issue to report it, with the "
         "code that triggered it.")


@register_error
class InternalError(MXNetError):
    """An error in mxtorch itself rather than in how it was called.

    Parameters
    ----------
    msg : str
        The message; a hint to report the problem is appended unless it already has one.
    """

    def __init__(self, msg):
        if "MXNet hint:" not in msg:
            msg += _HINT
        super().__init__(msg)


for _builtin in (ValueError, TypeError, AttributeError, IndexError, NotImplementedError):
    register_error(_builtin.__name__, _builtin)
del _builtin
