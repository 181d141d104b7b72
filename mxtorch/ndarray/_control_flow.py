"""Imperative control flow of ``mx.nd.contrib``: foreach, while_loop, cond.

They run the Python callables eagerly (autograd records through them as through any other
NDArray code). Result structures follow MXNet: a single NDArray stays single, lists stay lists.
"""
from ..base import MXNetError
from .ndarray import NDArray


def _as_list(x):
    return (list(x), True) if isinstance(x, (list, tuple)) else ([x], False)


def _regroup(items, was_list):
    return items if was_list else items[0]


def _stack(steps):
    from ._gen import ND_FUNCTIONS
    return [ND_FUNCTIONS["stack"](*column, axis=0) for column in zip(*steps)]


def foreach(body, data, init_states):
    """Run ``body(slice, states) -> (outputs, states)`` over axis 0 of ``data``; returns the
    stacked outputs and the final states."""
    datas, data_list = _as_list(data)
    states, states_list = _as_list(init_states)
    length = datas[0].shape[0]
    if any(d.shape[0] != length for d in datas):
        raise MXNetError(f"foreach: all data must have the same length on axis 0, got "
                         f"{[d.shape[0] for d in datas]}")
    steps, out_list = [], False
    for i in range(length):
        slices = [d[i] for d in datas]
        outs, states = body(_regroup(slices, data_list), _regroup(states, states_list))
        outs, out_list = _as_list(outs)
        states, _ = _as_list(states)
        steps.append(outs)
    outputs = _stack(steps) if steps else []
    return _regroup(outputs, out_list) if outputs else [], _regroup(states, states_list)


def while_loop(cond, func, loop_vars, max_iterations=None):
    """Repeat ``func(*vars) -> (outputs, new_vars)`` while ``cond(*vars)``; outputs are stacked
    and zero-padded to ``max_iterations`` rows, as in MXNet."""
    if max_iterations is None:
        raise MXNetError("while_loop: max_iterations is required")
    loop_vars, vars_list = _as_list(loop_vars)
    steps, out_list = [], True
    while len(steps) < max_iterations and _truth(cond(*loop_vars)):
        outs, new_vars = func(*loop_vars)
        outs, out_list = _as_list([] if outs is None else outs)
        new_vars, _ = _as_list(new_vars)
        if len(new_vars) != len(loop_vars):
            raise MXNetError(f"while_loop: func returned {len(new_vars)} loop variables, "
                             f"expected {len(loop_vars)}")
        steps.append(outs)
        loop_vars = new_vars
    outputs = _stack(steps) if steps else []
    if outputs and len(steps) < max_iterations:
        from .utils import zeros
        from ._gen import ND_FUNCTIONS
        padded = []
        for out in outputs:
            pad = zeros((max_iterations - len(steps),) + out.shape[1:], ctx=out.context,
                        dtype=out.dtype)
            padded.append(ND_FUNCTIONS["Concat"](out, pad, dim=0))
        outputs = padded
    # as in MXNet: a body returning one NDArray (not a list) gives one stacked NDArray
    return _regroup(outputs, out_list) if outputs else [], _regroup(loop_vars, vars_list)


def cond(pred, then_func, else_func):
    """``then_func()`` if ``pred`` (a size-1 NDArray) is nonzero, else ``else_func()``."""
    return then_func() if _truth(pred) else else_func()


def _truth(value):
    if isinstance(value, NDArray):
        return bool(value.asscalar())
    return bool(value)
