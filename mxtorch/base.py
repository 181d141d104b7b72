"""Errors, sentinels and small type helpers shared by every layer of mxtorch."""
import inspect
import os
import platform

import numpy as np

from . import libinfo  # noqa: F401 - MXNet's base exposes it

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


def data_dir_default():
    """The platform's default data directory: %APPDATA%\\mxnet on Windows, else ~/.mxnet."""
    if platform.system() == "Windows":
        return os.path.join(os.environ.get("APPDATA", os.path.expanduser("~")), "mxnet")
    return os.path.join(os.path.expanduser("~"), ".mxnet")


def data_dir():
    """Directory for downloaded data and models: $MXNET_HOME, else ``data_dir_default()``."""
    return os.getenv("MXNET_HOME", data_dir_default())


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



long = int  # noqa: A001 - Python 2 names MXNet still exports
basestring = str

# Error classes by name; MXNet's C++ messages "Name: text" were raised as error_types[Name].
error_types = {}


def register_error(func_name=None, cls=None):
    """Register an error class under a name (its own name by default).

    Parameters
    ----------
    func_name : str or class, optional
        The name to register under; a class here is registered under its ``__name__``
        (decorator use: ``@register_error``).
    cls : class, optional
        The class; if omitted a decorator is returned (``@register_error("Name")``).

    Returns
    -------
    The class, or a decorator that registers and returns it.
    """
    if callable(func_name) and cls is None:
        cls, func_name = func_name, None

    def register(klass):
        if not (isinstance(klass, type) and issubclass(klass, BaseException)):
            raise TypeError(f"register_error: {klass!r} is not an exception class")
        error_types[func_name or klass.__name__] = klass
        return klass
    return register if cls is None else register(cls)


register_error(NotImplementedForSymbol)


class _ClassProperty:
    """Descriptor behind ``classproperty``: the getter (and setter) receive the class."""

    def __init__(self, fget, fset=None):
        self.fget = fget
        self.fset = fset
        self.__doc__ = getattr(fget, "__doc__", None)

    def __get__(self, obj, klass=None):
        return self.fget(klass if klass is not None else type(obj))

    def __set__(self, obj, value):
        self.set_on(type(obj), value)

    def set_on(self, klass, value):
        if self.fset is None:
            raise AttributeError(f"can't set class property {self.fget.__name__!r}")
        self.fset(klass, value)

    def setter(self, func):
        """Add a setter ``func(cls, value)`` (``@name.setter``)."""
        self.fset = func.__func__ if isinstance(func, classmethod) else func
        return self


class _MXClassPropertyMetaClass(type):
    """Metaclass routing ``Cls.name = value`` to a class property's setter."""

    def __setattr__(cls, key, value):
        for klass in cls.__mro__:
            prop = klass.__dict__.get(key)
            if isinstance(prop, _ClassProperty):
                prop.set_on(cls, value)
                return
            if prop is not None:
                break
        super().__setattr__(key, value)


def classproperty(func):
    """Like ``property`` but computed from the class (``Cls.name`` works without an instance);
    settable through ``.setter`` on classes whose metaclass is ``_MXClassPropertyMetaClass``."""
    return _ClassProperty(func.__func__ if isinstance(func, (classmethod, staticmethod))
                          else func)


def with_metaclass(meta, *bases):
    """A base class that gives its subclasses metaclass ``meta`` and bases ``bases``
    (``class A(with_metaclass(Meta, Base)):``)."""
    class _Temporary(meta):
        def __new__(mcs, name, _bases, namespace):
            return meta(name, bases, namespace)

        @classmethod
        def __prepare__(mcs, name, _bases):
            return meta.__prepare__(name, bases)
    return type.__new__(_Temporary, "temporary_class", (), {})


def build_param_doc(arg_names, arg_types, arg_descs, remove_dup=True):
    """A numpydoc ``Parameters`` section from parallel lists of names, types and descriptions.

    Parameters
    ----------
    arg_names, arg_types, arg_descs : list of str
    remove_dup : bool, default True
        Keep only the first entry of a repeated name.
    """
    seen, lines = set(), []
    for name, kind, desc in zip(arg_names, arg_types, arg_descs):
        if remove_dup and name in seen:
            continue
        seen.add(name)
        lines.append(f"{name} : {kind}")
        if desc:
            lines.append(f"    {desc}")
    return "Parameters\n----------\n" + "\n".join(lines) + "\n"


def add_fileline_to_docstring(module, incursive=True):
    """Append ``From:<file>:<line>`` to the docstring of every documented function of
    ``module`` (a module or its name), and of class methods when ``incursive``."""
    import sys
    if isinstance(module, str):
        module = sys.modules[module]
    for obj in list(vars(module).values()):
        if inspect.isfunction(obj) and getattr(obj, "__module__", None) == module.__name__:
            _add_fileline(obj)
        elif inspect.isclass(obj) and incursive and obj.__module__ == module.__name__:
            for member in vars(obj).values():
                if inspect.isfunction(member):
                    _add_fileline(member)


def _add_fileline(func):
    doc = func.__doc__
    if not doc or "From:" in doc:
        return
    try:
        line = inspect.getsourcelines(func)[1]
        fname = inspect.getsourcefile(func)
    except (OSError, TypeError):
        return
    func.__doc__ = f"{doc}\n\nFrom:{fname}:{line}"
