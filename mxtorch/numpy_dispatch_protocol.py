"""``mxnet.numpy_dispatch_protocol``: how official NumPy functions reach ``mx.np``.

``mx.np.ndarray`` implements NumPy's ``__array_function__`` and ``__array_ufunc__``, so
``onp.mean(x)`` and ``onp.add(x, y)`` run the ``mx.np`` function of the same name (or official
NumPy on host copies when ``mx.np`` has none) and return ``mx.np`` arrays. The two decorators
below are what MXNet's tests wrap such calls in.
"""
import functools

import numpy as _np

from . import numpy as mx_np


def _protocol_runner(kind):
    def decorator(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                func(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 - reported with the function's name
                raise RuntimeError(f"Running function {func.__name__} with NumPy {kind} "
                                   f"protocol failed with exception {err}") from err
        return run
    decorator.__doc__ = (f"Decorator: run ``func`` (a test that calls NumPy on ``mx.np`` arrays "
                         f"through the {kind} protocol), turning any failure into a "
                         "RuntimeError naming it.")
    return decorator


with_array_function_protocol = _protocol_runner("array function")
with_array_function_protocol.__name__ = "with_array_function_protocol"
with_array_ufunc_protocol = _protocol_runner("array ufunc")
with_array_ufunc_protocol.__name__ = "with_array_ufunc_protocol"


def _dispatched(names, kind):
    return [n for n in names if callable(getattr(mx_np, n, None)) and hasattr(_np, n)
            and isinstance(getattr(_np, n), _np.ufunc) == (kind == "ufunc")]


# the NumPy names whose calls on mx.np arrays run mx.np's own implementation
_NUMPY_ARRAY_FUNCTION_LIST = _dispatched(mx_np.__all__, "function")
_NUMPY_ARRAY_UFUNC_LIST = _dispatched(mx_np.__all__, "ufunc")
