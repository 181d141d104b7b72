"""The ``mx.np`` front door: run a registered operator on ``mx.np`` arrays and return
``mx.np`` arrays (same storage as the nd door's results; only the class differs).

Every ``mx.np``/``mx.npx`` function ends here, so ops stay defined once (``mxtorch/ops``).
"""
import numbers
import threading

import numpy as onp

from ..base import MXNetError
from ..autograd import STATE
from ..ndarray.ndarray import (DEFERRED, NDArray, _fresh, _grad_enabled, _new,
                                _set_grad_enabled, apply_op)
from ..ops import get_op
from ..ops._invoke import KERNEL_ERRORS, diagnose

NP_CLASS = [None]  # filled by multiarray: the mx.np.ndarray class


class _DTypeMode(threading.local):
    """``npx.set_np(dtype=True)``: NumPy's default dtypes (float64, int64 for Python ints) in
    this thread instead of MXNet 1.x's float32."""
    numpy_default = False


DTYPE_MODE = _DTypeMode()


def default_float():
    """The dtype name creation functions use when none is given."""
    return "float64" if DTYPE_MODE.numpy_default else "float32"
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
    parsed = _parsed(op, name, attrs)
    if out is not None:
        check_out(name, out)
        return as_np(apply_op(op, arrays, parsed, out))
    return call_parsed(op, arrays, parsed)


def _parsed(op, name, attrs):
    """Parsed attributes, cached for hashable Python values (calls repeat in loops)."""
    try:
        key = (name, tuple(attrs.items()))
        parsed = _PARSED.get(key)
    except TypeError:  # unhashable values (lists): parse each time
        return op.parse_attrs(attrs)
    if parsed is None:
        parsed = op.parse_attrs(attrs)
        if len(_PARSED) > 4096:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


def call_parsed(op, arrays, parsed):
    """``call`` with already parsed attributes (hot paths: dunders, ufuncs).

    Single-output ops without training mode or in-place inputs, on dense inputs of one dtype
    (when the op asks for one), run their compute here with the nd door's rules (no graph
    outside ``record()``, recorded outputs marked, tracing hook told); everything else goes
    through ``apply_op``."""
    if not op.plain or not arrays:
        return as_np(apply_op(op, arrays, parsed, None))
    if len(arrays) == 1:  # the common case, without gradients or tracing: compute and wrap
        a = arrays[0]
        t = a._t
        if not (a._sparse or t.requires_grad or STATE.recording) and DEFERRED[0] is None:
            try:
                result = op.compute(t, **parsed)
            except MXNetError as err:
                raise named(op, err)
            except KERNEL_ERRORS as err:
                raise diagnose(op, [t], parsed, None, err) from err
            if result._base is not None or result.data_ptr() == t.data_ptr():
                result = _fresh(result, (t,))  # MXNet returns new arrays, never views
            out = _new(NP_CLASS[0])
            out._t = result
            out._ctx = a._ctx
            return out
    elif len(arrays) == 2:  # the same for two inputs of one dtype (or no dtype rule)
        a, b = arrays
        ta, tb = a._t, b._t
        if not (a._sparse or b._sparse or ta.requires_grad or tb.requires_grad or
                STATE.recording) and DEFERRED[0] is None and (
                    ta.dtype is tb.dtype or not op.same_dtype):
            try:
                result = op.compute(ta, tb, **parsed)
            except MXNetError as err:
                raise named(op, err)
            except KERNEL_ERRORS as err:
                raise diagnose(op, [ta, tb], parsed, None, err) from err
            if result._base is not None or result is ta or result is tb:
                result = _fresh(result, (ta, tb))
            elif result.data_ptr() in (ta.data_ptr(), tb.data_ptr()):
                result = _fresh(result, (ta, tb))
            out = _new(NP_CLASS[0])
            out._t = result
            out._ctx = a._ctx
            return out
    tensors = []
    grad = False
    for a in arrays:
        if a._sparse:
            return as_np(apply_op(op, arrays, parsed, None))
        t = a._t
        grad = grad or t.requires_grad
        tensors.append(t)
    if op.same_dtype and len(tensors) > 1:
        first = tensors[0].dtype
        for t in tensors:
            if t.dtype is not first:  # the nd door applies the op's dtype groups
                return as_np(apply_op(op, arrays, parsed, None))
    try:
        if STATE.recording:
            result = op.compute(*tensors, **parsed)
            if not result.requires_grad:
                result._mx_recorded = True
        elif grad:
            prev = _grad_enabled()
            _set_grad_enabled(False)
            try:
                result = op.compute(*tensors, **parsed)
            finally:
                _set_grad_enabled(prev)
        else:
            result = op.compute(*tensors, **parsed)
    except MXNetError as err:
        raise named(op, err)
    except KERNEL_ERRORS as err:
        raise diagnose(op, tensors, parsed, None, err) from err
    result = _fresh(result, tensors)  # MXNet operators return new arrays, never views
    if DEFERRED[0] is not None:
        DEFERRED[0](op, tensors, parsed, result)
    out = _new(NP_CLASS[0])
    out._t = result
    out._ctx = arrays[0]._ctx
    return out


def direct2(op):
    """``run(a, b)``: ``call_parsed(op, [a, b], {})`` for an attribute-free two-input op,
    computing directly when neither input needs a graph, tracing or a dtype check (``np.dot``
    in a loop)."""
    compute = op.compute if op.plain else None
    check_dtype = bool(op.same_dtype)

    def run(a, b):
        ta, tb = a._t, b._t
        if compute is not None and not (ta.requires_grad or tb.requires_grad or
                                        STATE.recording) and DEFERRED[0] is None and (
                not check_dtype or ta.dtype is tb.dtype):
            try:
                r = compute(ta, tb)
            except Exception:  # noqa: BLE001 - call_parsed names the op and the inputs
                r = None
            if r is not None and r._base is None and r is not ta and r is not tb:
                out = _new(type(a))
                out._t = r
                out._ctx = a._ctx
                return out
        return call_parsed(op, [a, b], {})
    return run


def named(op, err):
    """An MXNetError raised inside ``op``'s compute, its message led by the op's name."""
    if op.name not in str(err):
        err.args = (f"{op.name}: {err}",) + err.args[1:]
    return err


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
