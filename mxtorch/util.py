"""``mx.util``: environment helpers and the NumPy-semantics switches of MXNet 1.x.

mxtorch implements MXNet's legacy (1.x) array semantics; the switches for NumPy semantics
(``set_np``, ``np_shape(True)``...) report that they are off and refuse to turn on, so code that
only queries them keeps working and code that needs ``mx.np`` gets a clear error.
"""
import contextlib
import functools
import os

from .base import NotSupportedError
from .context import num_gpus

__all__ = ["getenv", "setenv", "is_np_array", "is_np_shape", "set_np_shape", "set_np",
           "reset_np", "np_shape", "np_array", "use_np", "use_np_array", "use_np_shape",
           "get_gpu_count", "get_gpu_memory", "set_module"]


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
    return False


def is_np_shape():
    return False


def _refuse(active, what):
    if active:
        raise NotSupportedError(f"{what}: MXNet's NumPy semantics (mx.np) are not available in "
                                "this mxtorch version; it implements the legacy 1.x semantics")
    return False


def set_np_shape(active):
    """Turn NumPy shape semantics on/off; only 'off' is supported. Returns the previous state."""
    return _refuse(active, "set_np_shape(True)")


def set_np(shape=True, array=True, dtype=False):
    _refuse(shape or array, "set_np()")


def reset_np():
    """Back to legacy semantics (already the only mode)."""


@contextlib.contextmanager
def np_shape(active=True):
    _refuse(active, "np_shape(True)")
    yield


@contextlib.contextmanager
def np_array(active=True):
    _refuse(active, "np_array(True)")
    yield


def _refusing_decorator(what):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            _refuse(True, what)
        return wrapper
    return decorator


use_np = _refusing_decorator("@use_np")
use_np_array = _refusing_decorator("@use_np_array")
use_np_shape = _refusing_decorator("@use_np_shape")


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
