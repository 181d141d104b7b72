"""``mxnet.numpy_op_signature``: ``mx.np``/``mx.npx`` functions carry NumPy-style Python
signatures (``inspect.signature(mx.np.sum)``). mxtorch writes them as ordinary Python functions,
so there is nothing to patch at import time; ``_register_op_signatures`` checks that every public
function has one."""
import inspect

from . import numpy as mx_np
from . import numpy_extension as mx_npx


def _register_op_signatures():
    """Names of public ``mx.np``/``mx.npx`` functions without an inspectable signature."""
    missing = []
    for module in (mx_np, mx_npx):
        for name in getattr(module, "__all__", ()):
            fn = getattr(module, name, None)
            if callable(fn) and not isinstance(fn, type):
                try:
                    inspect.signature(fn)
                except (TypeError, ValueError):
                    missing.append(f"{module.__name__}.{name}")
    return missing
