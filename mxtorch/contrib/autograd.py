"""``mx.contrib.autograd``: MXNet's first autograd API, kept as thin names over ``mx.autograd``.

``train_section()``/``test_section()`` are ``record()``/``pause()`` scopes; ``mark_variables``,
``backward`` and ``compute_gradient`` behave as in MXNet's contrib module; ``grad_and_loss`` and
``grad`` wrap a function to return its gradients.
"""
import functools

from .. import autograd as _ag
from ..base import string_types  # noqa: F401 - part of MXNet's module namespace
from ..ndarray import NDArray, array, zeros_like  # noqa: F401


class TrainingStateScope:
    """A scope that sets recording and training mode on entry and restores them on exit."""

    def __init__(self, enter_state):
        self._enter_state = enter_state
        self._scope = None

    def __enter__(self):
        self._scope = _ag.record(True) if self._enter_state else _ag.pause(False)
        self._scope.__enter__()
        return self

    def __exit__(self, *exc):
        self._scope.__exit__(*exc)
        return False


def set_is_training(is_train):
    """Turn recording and training mode on or off; returns the previous state."""
    prev = _ag.is_recording()
    _ag.set_recording(is_train)
    _ag.set_training(is_train)
    return prev


def train_section():
    """Record operations for gradients (training mode) inside the ``with`` block."""
    return TrainingStateScope(True)


def test_section():
    """Do not record inside the ``with`` block (inference mode)."""
    return TrainingStateScope(False)


def mark_variables(variables, gradients, grad_reqs="write"):
    """Attach gradient buffers ``gradients`` to ``variables``."""
    _ag.mark_variables(variables, gradients, grad_reqs)


def backward(outputs, out_grads=None, retain_graph=False):
    """Back-propagate from ``outputs`` (list) with optional head gradients."""
    _ag.backward(outputs, head_grads=out_grads, retain_graph=retain_graph)


def compute_gradient(outputs):
    """Back-propagate from ``outputs`` (the deprecated spelling of ``backward``)."""
    backward(outputs)


def grad_and_loss(func, argnum=None):
    """Wrap ``func`` to return ``(gradients w.r.t. its arguments, its loss)``.

    Parameters
    ----------
    func : callable
    argnum : int or list of int
        Which positional arguments to differentiate (default: all).
    """
    @functools.wraps(func)
    def wrapped(*args):
        variables = list(args)
        if argnum is not None:
            picks = argnum if isinstance(argnum, list) else [argnum]
            variables = [args[i] for i in picks]
        for x in variables:
            if not isinstance(x, NDArray):
                raise TypeError("grad_and_loss: type of autograd input should be NDArray, got "
                                f"{type(x).__name__}")
        grads = [zeros_like(x) for x in variables]
        mark_variables(variables, grads)
        with train_section():
            outputs = func(*args)
        compute_gradient([outputs] if isinstance(outputs, NDArray) else outputs)
        return grads, outputs
    return wrapped


def grad(func, argnum=None):
    """Wrap ``func`` to return only the gradients of its arguments."""
    grad_with_loss = grad_and_loss(func, argnum)

    @functools.wraps(grad_with_loss)
    def wrapped(*args):
        return grad_with_loss(*args)[0]
    return wrapped
