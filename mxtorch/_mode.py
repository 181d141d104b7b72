"""MXNet 1.x's NumPy-semantics switches as thread-local state (``mx.util`` is the API).

``STATE.np_shape``: NumPy shape semantics (0-d arrays and zero-size dims are real; unknown dims
are -1). ``STATE.np_array``: NumPy array semantics (``mx.np``). Both start off in every thread,
as in MXNet. Readers test the attribute only on paths whose behaviour depends on it.
"""
import threading


class _ModeState(threading.local):
    np_shape = False
    np_array = False


STATE = _ModeState()


def np_shape_on():
    """True when NumPy shape semantics are on in this thread."""
    return STATE.np_shape
