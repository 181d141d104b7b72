"""Imperative autograd with MXNet's semantics, on torch's autograd engine.

- Operators build a graph only inside ``record()``; outside it they never track gradients.
- ``attach_grad(grad_req)`` turns an array into a leaf with an MXNet-owned gradient buffer;
  after ``backward()``, ``'write'`` overwrites that buffer, ``'add'`` accumulates into it and
  ``'null'`` leaves it alone (torch itself always accumulates into ``.grad``).
- ``is_training()`` follows ``record(train_mode=...)``, ``train_mode()`` and ``predict_mode()``.
"""
import threading

import torch

from .base import MXNetError
# MXNet's autograd namespace also offers these (``from mxnet.autograd import *``):
import traceback  # noqa: E402,F401
from array import array  # noqa: E402,F401
from ctypes import cast  # noqa: E402,F401
from threading import Lock  # noqa: E402,F401
from .base import string_types  # noqa: E402,F401

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "backward", "grad", "mark_variables", "Function",
           "get_symbol", "Lock", "NDArray", "Symbol", "array", "cast", "string_types",
           "traceback"]


def __getattr__(name):
    """``NDArray``/``Symbol`` on first use (they import this module)."""
    if name == "NDArray":
        from .ndarray.ndarray import NDArray
        return NDArray
    if name == "Symbol":
        from .symbol.symbol import Symbol
        return Symbol
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _State(threading.local):
    def __init__(self):
        super().__init__()
        self.recording = False
        self.training = False


STATE = _State()


def is_recording():
    """Whether operators are being recorded for ``backward``."""
    return STATE.recording


def is_training():
    """Whether layers run in training mode (Dropout active, BatchNorm uses batch stats)."""
    return STATE.training


def set_recording(is_recording):  # noqa: F811 - MXNet's parameter name
    """Turn recording on/off; returns the previous state."""
    prev = STATE.recording
    STATE.recording = bool(is_recording)
    return prev


def set_training(train_mode):  # noqa: F811
    """Turn training mode on/off; returns the previous state."""
    prev = STATE.training
    STATE.training = bool(train_mode)
    return prev


class _Scope:
    """Context manager that sets recording and/or training and restores them on exit."""
    __slots__ = ("_rec", "_train", "_prev_rec", "_prev_train", "_prev_grad")

    def __init__(self, is_record, train_mode):
        self._rec = is_record
        self._train = train_mode
        self._prev_rec = self._prev_train = self._prev_grad = None

    def __enter__(self):
        if self._rec is not None:
            self._prev_rec = set_recording(self._rec)
            self._prev_grad = torch.is_grad_enabled()
            torch.set_grad_enabled(self._rec)
        if self._train is not None:
            self._prev_train = set_training(self._train)
        return self

    def __exit__(self, *exc):
        if self._rec is not None:
            set_recording(self._prev_rec)
            torch.set_grad_enabled(self._prev_grad)
        if self._train is not None:
            set_training(self._prev_train)


def record(train_mode=True):
    """Record operators for gradient computation: ``with autograd.record(): y = f(x)``."""
    return _Scope(True, train_mode)


def pause(train_mode=False):
    """Stop recording inside a ``record()`` block."""
    return _Scope(False, train_mode)


def train_mode():
    """Run in training mode without changing recording."""
    return _Scope(None, True)


def predict_mode():
    """Run in inference mode without changing recording."""
    return _Scope(None, False)


# --------------------------------------------------------------------------------------------
# variables and gradient buffers
# --------------------------------------------------------------------------------------------

_VALID_REQS = ("write", "add", "null")


class GradInfo:
    """An attached array's gradient buffer (an NDArray) and its grad_req."""
    __slots__ = ("buffer", "req", "fresh", "__weakref__")

    def __init__(self, buffer, req):
        self.buffer = buffer
        self.req = req
        self.fresh = False


def _make_hook(info):
    def deliver(leaf):
        g = leaf.grad
        leaf.grad = None
        if g is None or info.req == "null":
            return
        target = info.buffer._t
        with torch.no_grad():
            if info.req == "add":
                target.add_(g)
            else:
                target.copy_(g)
        info.fresh = True
    return deliver


def check_grad_req(grad_req):
    if grad_req not in _VALID_REQS:
        raise MXNetError(f"grad_req must be one of {_VALID_REQS}, got {grad_req!r}")
    return grad_req


def attach(array, grad_req, buffer):
    """Make ``array`` a leaf variable whose gradient lands in ``buffer`` (an NDArray)."""
    check_grad_req(grad_req)
    leaf = array._t.detach()
    if grad_req != "null":
        if not (leaf.is_floating_point() or leaf.is_complex()):
            raise MXNetError(f"cannot attach a gradient to an array of dtype {leaf.dtype}: only "
                             "floating-point arrays have gradients; cast with .astype('float32')")
        leaf.requires_grad_(True)
        info = GradInfo(buffer, grad_req)
        leaf.register_post_accumulate_grad_hook(_make_hook(info))
    else:
        info = GradInfo(buffer, grad_req)
    array._t = leaf
    array._ag = info


def mark_variables(variables, gradients, grad_reqs="write"):
    """Mark arrays as variables whose gradients go to the given ``gradients`` arrays."""
    if not isinstance(variables, (list, tuple)):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    if not len(variables) == len(gradients) == len(grad_reqs):
        raise MXNetError(f"mark_variables: got {len(variables)} variables, {len(gradients)} "
                         f"gradients and {len(grad_reqs)} grad_reqs; they must match")
    for var, g, req in zip(variables, gradients, grad_reqs):
        attach(var, req, g)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def mark_recorded(result):
    """Remember outputs computed under record() that carry no gradient (BlockGrad, argmax...):
    backward from them is legal in MXNet and yields zero gradients."""
    if type(result) is torch.Tensor:
        if not result.requires_grad:
            result._mx_recorded = True
        return
    for t in result:
        if not t.requires_grad:
            t._mx_recorded = True


def _head_tensors(heads, head_grads):
    heads = _as_list(heads)
    tensors = [h._t for h in heads]
    for i, t in enumerate(tensors):
        if not t.requires_grad and not getattr(t, "_mx_recorded", False):
            raise MXNetError(
                f"cannot differentiate head {i} (shape {tuple(t.shape)}): it was not computed "
                "inside autograd.record() from an array with attach_grad(); wrap the forward "
                "pass in `with autograd.record():`")
    if head_grads is None:
        grads = [None] * len(tensors)
    else:
        head_grads = _as_list(head_grads)
        if len(head_grads) != len(tensors):
            raise MXNetError(f"backward: {len(tensors)} heads but {len(head_grads)} head_grads")
        grads = [None if g is None else g._t for g in head_grads]
    grads = [torch.ones_like(t) if g is None else g for t, g in zip(tensors, grads)]
    keep = [i for i, t in enumerate(tensors) if t.requires_grad]  # others give zero gradients
    return [tensors[i] for i in keep], [grads[i] for i in keep]


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # noqa: F811
    """Compute gradients of ``heads`` w.r.t. every attached variable they depend on."""
    tensors, grads = _head_tensors(heads, head_grads)
    if not tensors:
        return
    prev = set_training(train_mode)
    try:
        torch.autograd.backward(tensors, grads, retain_graph=retain_graph)
    except RuntimeError as err:
        raise MXNetError(f"backward failed: {err}. If you call backward twice on one graph, "
                         "pass retain_graph=True the first time.") from err
    finally:
        set_training(prev)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # noqa: F811
    """Gradients of ``heads`` w.r.t. ``variables``, returned as new arrays (buffers untouched).

    With ``create_graph=True`` the results are themselves differentiable (higher order).
    """
    from .ndarray.ndarray import _wrap
    tensors, grads = _head_tensors(heads, head_grads)
    variables = _as_list(variables)
    for v in variables:
        if not v._t.requires_grad:
            raise MXNetError("autograd.grad: every variable needs attach_grad() before record()")
    if retain_graph is None:
        retain_graph = create_graph
    prev = set_training(train_mode)
    try:
        with torch.enable_grad():
            results = torch.autograd.grad(tensors, [v._t for v in variables], grads,
                                          retain_graph=retain_graph, create_graph=create_graph,
                                          allow_unused=True)
    finally:
        set_training(prev)
    # MXNet returns a list even for a single variable
    return [_wrap(torch.zeros_like(v._t) if r is None else r, v._ctx)
            for v, r in zip(variables, results)]


def get_symbol(x):
    """The recorded computation that produced ``x`` as a Symbol (needs the Symbol API)."""
    raise MXNetError("autograd.get_symbol is not available: recorded graphs are torch graphs; "
                     "use HybridBlock.export or build the Symbol directly")


# --------------------------------------------------------------------------------------------
# custom functions
# --------------------------------------------------------------------------------------------


class _Bridge(torch.autograd.Function):
    """Runs an ``autograd.Function``'s NDArray forward/backward inside torch's autograd."""

    @staticmethod
    def forward(ctx, func, num_inputs, *tensors):
        from .ndarray.ndarray import _wrap
        ctx.func = func
        inputs = [_wrap(t.detach()) for t in tensors]
        with pause():
            outputs = func.forward(*inputs)
        ctx.single = not isinstance(outputs, (list, tuple))
        outs = [outputs] if ctx.single else list(outputs)
        return tuple(o._t for o in outs)

    @staticmethod
    def backward(ctx, *out_grads):
        from .ndarray.ndarray import _wrap
        func = ctx.func
        grads = [_wrap(g.contiguous()) for g in out_grads]
        with pause():
            in_grads = func.backward(*grads)
        if not isinstance(in_grads, (list, tuple)):
            in_grads = [in_grads]
        return (None, None) + tuple(None if g is None else g._t for g in in_grads)


class Function:
    """User-defined differentiable function with NDArray ``forward`` and ``backward``.

    Subclass it, implement ``forward(self, *inputs)`` and ``backward(self, *output_grads)``,
    and call an instance inside ``record()``. ``save_for_backward`` keeps arrays for backward.
    """

    def __init__(self):
        self._saved = ()

    def save_for_backward(self, *args):
        self._saved = args

    @property
    def saved_tensors(self):
        return self._saved

    def forward(self, *inputs):
        raise NotImplementedError("subclasses of autograd.Function must implement forward")

    def backward(self, *output_grads):
        raise NotImplementedError("subclasses of autograd.Function must implement backward")

    def __call__(self, *inputs):
        from .ndarray.ndarray import _wrap
        tensors = [x._t for x in inputs]
        if is_recording():
            outs = _Bridge.apply(self, len(tensors), *tensors)
        else:
            with pause():
                result = self.forward(*inputs)
            return result
        ctx = inputs[0]._ctx if inputs else None
        wrapped = [_wrap(t, ctx) for t in outs]
        return wrapped[0] if len(wrapped) == 1 else wrapped
