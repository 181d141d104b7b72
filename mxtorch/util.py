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
