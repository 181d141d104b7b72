"""The ``mx.np`` front door: run a registered operator on ``mx.np`` arrays and return
``mx.np`` arrays (same storage as the nd door's results; only the class differs).

Every ``mx.np``/``mx.npx`` function ends here, so ops stay defined once (``mxtorch/ops``).
"""
import numbers

import numpy as onp

from ..base import MXNetError
from ..ndarray.ndarray import NDArray, apply_op
from ..ops import get_op

NP_CLASS = [None]  # filled by multiarray: the mx.np.ndarray class
_OPS = {}
_PARSED = {}


def op_of(name):
    op = _OPS.get(name)
    if op is None:
        op = _OPS[name] = get_op(name)
    return op


def as_np(result):
    """Re-class nd-door results (an NDArray or a list of them) as ``mx.np`` arrays."""
    cls = NP_CLASS[0]
    if isinstance(result, NDArray):
        if type(result) is NDArray:
            result.__class__ = cls
        return result
    if isinstance(result, (list, tuple)):
        for r in result:
            if type(r) is NDArray:
                r.__class__ = cls
    return result


def call(name, arrays, out=None, **attrs):
    """Run operator ``name`` on ``mx.np`` arrays with Python attribute values."""
    op = op_of(name)
    if attrs:
        parsed = op.parse_attrs(attrs)
    else:
        parsed = _PARSED.get(name)
        if parsed is None:
            parsed = _PARSED[name] = op.parse_attrs({})
    if out is not None:
        check_out(name, out)
    return as_np(apply_op(op, arrays, parsed, out))


def call_parsed(op, arrays, parsed):
    """``call`` with already parsed attributes (hot paths)."""
    return as_np(apply_op(op, arrays, parsed, None))


def check_out(name, out):
    cls = NP_CLASS[0]
    outs = out if isinstance(out, (list, tuple)) else [out]
    for o in outs:
        if not isinstance(o, cls):
            raise TypeError(f"{_public(name)}: out= must be an mx.np.ndarray, got "
                            f"{type(o).__name__}")


def _public(name):
    for prefix in ("_npi_", "_np_", "_npx_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def is_scalar(x):
    return isinstance(x, numbers.Number) and not isinstance(x, onp.ndarray) or \
        isinstance(x, onp.generic)


def to_np(x, fname="function", ctx=None, dtype=None):
    """``x`` as an ``mx.np.ndarray``: arrays pass, Python/NumPy data are converted (float32
    for Python lists, as MXNet); legacy NDArrays are refused with the fix."""
    cls = NP_CLASS[0]
    if isinstance(x, cls):
        return x
    if isinstance(x, NDArray):
        raise TypeError(f"{fname}: got a legacy mx.nd.NDArray where an mx.np.ndarray is "
                        "expected; convert it without copying with x.as_np_ndarray()")
    from .multiarray import array
    return array(x, dtype=dtype, ctx=ctx)


def ctx_of(arrays):
    for a in arrays:
        if isinstance(a, NDArray):
            return a.ctx
    return None


def raise_bad(fname, what):
    raise MXNetError(f"{fname}: {what}")
