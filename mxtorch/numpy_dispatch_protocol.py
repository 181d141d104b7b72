"""``mxnet.numpy_dispatch_protocol``: how official NumPy functions reach ``mx.np``.

``mx.np.ndarray`` implements NumPy's ``__array_function__`` and ``__array_ufunc__``, so
``onp.mean(x)`` and ``onp.add(x, y)`` run the ``mx.np`` function of the same name (or official
NumPy on host copies when ``mx.np`` has none) and return ``mx.np`` arrays. The two decorators
below are what MXNet's tests wrap such calls in.
"""
import functools

import numpy as _np

from . import numpy as mx_np  # noqa: F401 - a public name of the module (as 1.9.1)



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


# The names MXNet 1.9.1 lists as dispatched through each protocol (its interoperability tests
# run one workload per listed name, so the lists hold exactly these). Dispatch itself covers
# every mx.np function; names this NumPy no longer has (``product``, ``round_``, ``sometrue``
# left in NumPy 2) are dropped, as NumPy cannot be called with them.
_FUNCTION_NAMES_1_9_1 = (
    "all", "amax", "amin", "any", "append", "argmax", "argmin", "argsort", "around",
    "array_split", "atleast_1d", "atleast_2d", "atleast_3d", "bincount", "broadcast_arrays",
    "broadcast_to", "clip", "column_stack", "concatenate", "copy", "cumsum", "delete", "diag",
    "diag_indices_from", "diagflat", "diagonal", "diff", "dot", "dsplit", "dstack", "ediff1d",
    "einsum", "empty_like", "expand_dims", "fix", "flip", "fliplr", "flipud", "full_like",
    "hsplit", "hstack", "inner", "insert", "isfinite", "isinf", "isnan", "isneginf", "isposinf",
    "linalg.cholesky", "linalg.eig", "linalg.eigh", "linalg.eigvals", "linalg.eigvalsh",
    "linalg.inv", "linalg.norm", "linalg.pinv", "linalg.solve", "linalg.tensorinv",
    "linalg.tensorsolve", "max", "may_share_memory", "mean", "meshgrid", "min", "nan_to_num",
    "nonzero", "ones_like", "outer", "pad", "percentile", "polyval", "prod", "product",
    "quantile", "ravel", "repeat", "reshape", "resize", "roll", "round", "round_", "shape",
    "shares_memory", "sometrue", "sort", "split", "squeeze", "stack", "std", "sum", "swapaxes",
    "take", "tensordot", "tile", "trace", "transpose", "tril", "unique", "unravel_index", "var",
    "vdot", "vsplit", "vstack", "where", "zeros_like")
_UFUNC_NAMES_1_9_1 = (
    "abs", "absolute", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2",
    "arctanh", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "cbrt", "ceil",
    "copysign", "cos", "cosh", "degrees", "equal", "exp", "expm1", "fabs", "floor", "greater",
    "greater_equal", "hypot", "invert", "lcm", "less", "less_equal", "log", "log10", "log2",
    "logical_not", "matmul", "maximum", "minimum", "mod", "multiply", "negative", "not_equal",
    "power", "reciprocal", "remainder", "rint", "sign", "sin", "sinh", "sqrt", "square",
    "subtract", "tan", "tanh", "true_divide", "trunc")


def _numpy_has(name):
    obj = _np
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return False
    return True


_NUMPY_ARRAY_FUNCTION_LIST = [n for n in _FUNCTION_NAMES_1_9_1 if _numpy_has(n)]
_NUMPY_ARRAY_UFUNC_LIST = [n for n in _UFUNC_NAMES_1_9_1 if _numpy_has(n)]
