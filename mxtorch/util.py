"""``mx.util``: environment helpers and the NumPy-semantics switches of MXNet 1.x.

The NumPy switches (``set_np_shape``, ``np_shape``, ``use_np_shape``, ``set_np``...) are
thread-local like MXNet's. NumPy shape semantics change what shapes mean (0-d arrays and
zero-size dims are real; unknown dims are -1 in shape inference, symbols and files). The array
switch (``np_array``/``use_np``) is recorded and reported; ``mx.np`` arrays come separately.
"""
import functools
import inspect
import os

from ._mode import STATE as _MODE
from .base import NotSupportedError  # noqa: F401 - part of the module namespace
from .context import num_gpus

__all__ = ["getenv", "setenv", "is_np_array", "is_np_shape", "set_np_shape", "set_np",
           "reset_np", "np_shape", "np_array", "use_np", "use_np_array", "use_np_shape",
           "get_gpu_count", "get_gpu_memory", "set_module", "is_np_default_dtype",
           "set_np_default_dtype", "np_default_dtype", "use_np_default_dtype"]


def getenv(name):
    """The value of environment variable ``name`` (None if unset)."""
    return os.environ.get(name)


def setenv(name, value):
    """Set (or, with None, unset) environment variable ``name``."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = str(value)


def is_np_array():
    """True when NumPy array semantics are on in this thread (``set_np``/``np_array``)."""
    return _MODE.np_array


def is_np_shape():
    """True when NumPy shape semantics are on in this thread (0-d and zero-size arrays are
    real, unknown dims are -1)."""
    return _MODE.np_shape


def set_np_shape(active):
    """Turn NumPy shape semantics on or off in this thread.

    Parameters
    ----------
    active : bool
        True for NumPy shape semantics, False for MXNet's legacy ones (the default).

    Returns
    -------
    bool : the previous state.
    """
    if not active and _MODE.np_array:
        raise ValueError("set_np_shape(False): NumPy array semantics are on and need NumPy "
                         "shape semantics; call mx.util.reset_np() or set_np(array=False) first")
    previous = _MODE.np_shape
    _MODE.np_shape = bool(active)
    return previous


def _set_np_array(active):
    previous = _MODE.np_array
    _MODE.np_array = bool(active)
    return previous


def set_np(shape=True, array=True, dtype=False):
    """Turn NumPy semantics on in this thread: ``shape`` (0-d/zero-size arrays, -1 unknown
    dims), ``array`` (``mx.np`` arrays; needs ``shape``) and ``dtype`` (MXNet 2's NumPy
    default dtypes for ``mx.np``: float64, int64 for Python ints; False keeps float32).
    """
    if not shape and array:
        raise ValueError("set_np(shape=False, array=True): NumPy array semantics need NumPy "
                         "shape semantics")
    _set_np_array(array)
    set_np_shape(shape)
    set_np_default_dtype(dtype)


def reset_np():
    """Back to MXNet's legacy shape, array and dtype semantics in this thread."""
    set_np(shape=False, array=False, dtype=False)


def is_np_default_dtype():
    """True when ``mx.np`` creation uses NumPy's default dtypes (float64) in this thread."""
    from .numpy import _door
    return _door.DTYPE_MODE.numpy_default


def set_np_default_dtype(is_np_default_dtype=True):  # noqa: W0621 - MXNet's parameter name
    """Turn NumPy default dtypes (float64; int64 for Python ints) for ``mx.np`` on or off in
    this thread. Returns the previous state."""
    from .numpy import _door
    previous = _door.DTYPE_MODE.numpy_default
    _door.DTYPE_MODE.numpy_default = bool(is_np_default_dtype)
    return previous


class _Scope:
    """``with`` scope setting one switch on entry and restoring it on exit."""

    def __init__(self, setter, active):
        self._setter = setter
        self._active = bool(active)
        self._previous = None

    def __enter__(self):
        self._previous = self._setter(self._active)
        return self._result()

    def __exit__(self, *exc):
        self._setter(self._previous)
        return False

    def _result(self):
        return self


class _NumpyShapeScope(_Scope):
    def __init__(self, active):
        super().__init__(_set_np_shape_scoped, active)

    def _result(self):
        return None


def _set_np_shape_scoped(active):
    previous = _MODE.np_shape
    _MODE.np_shape = bool(active)
    return previous


class _NumpyArrayScope(_Scope):
    def __init__(self, active):
        super().__init__(_set_np_array, active)


def np_shape(active=True):
    """A ``with`` scope running its body with NumPy shape semantics on (or off).

    Examples
    --------
    >>> with mx.np_shape(True):
    ...     mx.nd.ones(()).shape
    ()
    """
    return _NumpyShapeScope(active)


def np_array(active=True):
    """A ``with`` scope running its body with NumPy array semantics on (or off)."""
    return _NumpyArrayScope(active)


def _scoped(scope_factory, what):
    """Decorator factory: run a function, or every method of a class, inside a scope."""
    def decorate(func):
        if isinstance(func, type):
            return _decorate_class(func, decorate)
        if not callable(func):
            raise TypeError(f"{what} can only decorate classes and callable objects, while "
                            f"received a {type(func)}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with scope_factory():
                return func(*args, **kwargs)
        return wrapper
    return decorate


def _decorate_class(cls, decorate):
    for name, member in list(vars(cls).items()):
        if isinstance(member, property):
            setattr(cls, name, property(*(None if f is None else decorate(f) for f in
                                          (member.fget, member.fset, member.fdel)),
                                        member.__doc__))
        elif isinstance(member, (staticmethod, classmethod)):
            setattr(cls, name, type(member)(decorate(member.__func__)))
        elif inspect.isfunction(member):
            setattr(cls, name, decorate(member))
    return cls


def _both_scope():
    return _BothScope()


class _BothScope:
    def __enter__(self):
        self._shape = _set_np_shape_scoped(True)
        self._array = _set_np_array(True)

    def __exit__(self, *exc):
        _set_np_array(self._array)
        _set_np_shape_scoped(self._shape)
        return False


use_np_shape = _scoped(lambda: np_shape(True), "use_np_shape")
use_np_shape.__doc__ = """Decorator running a function, or every method of a class, with NumPy
shape semantics on (and restoring the previous state after each call)."""
use_np_array = _scoped(lambda: np_array(True), "use_np_array")
use_np_array.__doc__ = """Decorator running a function, or every method of a class, with NumPy
array semantics on."""
class _NumpyDefaultDtypeScope(_Scope):
    def __init__(self, active):
        super().__init__(set_np_default_dtype, active)


def np_default_dtype(active=True):
    """A ``with`` scope running its body with NumPy default dtypes on (or off)."""
    return _NumpyDefaultDtypeScope(active)


use_np_default_dtype = _scoped(lambda: np_default_dtype(True), "use_np_default_dtype")
use_np_default_dtype.__doc__ = """Decorator running a function, or every method of a class,
with NumPy default dtypes (float64) for ``mx.np`` creation."""
use_np = _scoped(_both_scope, "use_np")
use_np.__doc__ = """Decorator running a function, or every method of a class, with NumPy shape
and array semantics on (``use_np_shape`` + ``use_np_array``)."""


def get_gpu_count():
    return num_gpus()


def get_gpu_memory(gpu_dev_id):
    """(free, total) bytes of a GPU."""
    from .context import gpu_memory_info
    return gpu_memory_info(gpu_dev_id)


def set_module(module):
    """Decorator setting ``__module__`` of a public function (used for API docs)."""
    def decorator(func):
        if module is not None:
            func.__module__ = module
        return func
    return decorator


# --------------------------------------------------------------------------------------------
# GPU queries and NumPy-ufunc keyword checks
# --------------------------------------------------------------------------------------------
import inspect  # noqa: E402,F401,F811 - part of MXNet's module namespace
import threading  # noqa: E402,F401 - part of MXNet's module namespace

from .base import py_str  # noqa: E402,F401 - part of MXNet's module namespace

__all__ += ["get_cuda_compute_capability", "np_ufunc_legal_option", "wrap_np_unary_func",
            "wrap_np_binary_func", "py_str", "functools", "inspect", "threading"]


def get_cuda_compute_capability(ctx):
    """CUDA compute capability of a GPU context as an int, major * 10 + minor (e.g. 70).

    Parameters
    ----------
    ctx : Context
        A ``gpu(i)`` context.
    """
    if getattr(ctx, "device_type", None) != "gpu":
        raise ValueError("Expecting a gpu context to get cuda compute capability, while "
                         f"received ctx {ctx}")
    from .context import _compute_capability
    return _compute_capability(ctx.device_id)


_UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None,
                   "subok": True}
_UFUNC_CASTINGS = {"no", "equiv", "safe", "same_kind", "unsafe"}
_UFUNC_DTYPES = {"int8", "uint8", "int32", "int64", "float16", "float32", "float64"}


def _legal_dtype(value):
    if isinstance(value, str):
        return value in _UFUNC_DTYPES
    return isinstance(value, type) and getattr(value, "__name__", None) in _UFUNC_DTYPES \
        and value.__module__ == "numpy"


def np_ufunc_legal_option(key, value):
    """Whether ``key=value`` is a legal NumPy ufunc keyword argument (``where``,
    ``casting``, ``order``, ``dtype``, ``subok``) as MXNet's NumPy operators accept them."""
    if key == "where":
        return True  # MXNet accepts any ``where`` here (only its default is implemented)
    if key == "casting":
        return value in _UFUNC_CASTINGS
    if key == "order":
        return isinstance(value, str)
    if key == "dtype":
        return _legal_dtype(value)
    if key == "subok":
        return isinstance(value, bool)
    return False


def _check_ufunc_kwargs(func, kwargs):
    for key, value in kwargs.items():
        if key not in _UFUNC_DEFAULTS:
            raise TypeError(f"{key} is an invalid keyword to function '{func.__name__}'")
        if value is _UFUNC_DEFAULTS[key] or value == _UFUNC_DEFAULTS[key]:
            continue
        if not np_ufunc_legal_option(key, value):
            raise TypeError(f"{key}={value} not understood for operator {func.__name__}")
        raise NotImplementedError(f"{key}={value} is not implemented yet for operator "
                                  f"{func.__name__}")


def wrap_np_unary_func(func):
    """Decorator for a unary NumPy-style operator ``func(x, out=None)``: accepts NumPy's
    ufunc keywords at their default values, raises NotImplementedError for other legal
    values and TypeError for unknown keywords or illegal values."""
    @functools.wraps(func)
    def _wrap_np_unary_func(x, out=None, **kwargs):
        _check_ufunc_kwargs(func, kwargs)
        return func(x, out=out)
    return _wrap_np_unary_func


def wrap_np_binary_func(func):
    """Like ``wrap_np_unary_func`` for a binary operator ``func(x1, x2, out=None)``."""
    @functools.wraps(func)
    def _wrap_np_binary_func(x1, x2, out=None, **kwargs):
        _check_ufunc_kwargs(func, kwargs)
        return func(x1, x2, out=out)
    return _wrap_np_binary_func
