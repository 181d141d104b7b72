"""``mx.sym.contrib``: contrib symbol functions generated from the operator registry, plus
MXNet's Python helpers (isinf, isfinite, isnan, rand_zipfian) and symbolic control flow
(foreach, while_loop, cond: one ``_foreach``/``_while_loop``/``_cond`` node with subgraphs)."""
import copy  # noqa: F401  (MXNet's module exposes it)
import ctypes  # noqa: F401
import math

from ..attribute import AttrScope  # noqa: F401
from ..base import MXNetError
from . import _subgraph as _sg
from . import symbol  # noqa: F401
from ._gen import populate as _populate
from ._update_helpers import adamw_update, mp_adamw_update  # noqa: F401
from .random import uniform
from .symbol import Symbol


def isinf(data):
    """1 where ``data`` is +inf or -inf, else 0."""
    return data.abs() == float("inf")


def isfinite(data):
    """1 where ``data`` is neither inf nor NaN, else 0."""
    return (data == data) * (data.abs() != float("inf"))


def isnan(data):
    """1 where ``data`` is NaN, else 0."""
    return data != data


def rand_zipfian(true_classes, num_sampled, range_max):
    """Symbols (sampled classes, expected count of ``true_classes``, expected count of the
    samples) for candidate sampling from the log-uniform (Zipfian) law
    P(c) = log((c + 2) / (c + 1)) / log(range_max + 1), drawn with replacement.

    Parameters
    ----------
    true_classes : Symbol
        The target classes.
    num_sampled : int
        Number of classes to sample.
    range_max : int
        Classes are in ``[0, range_max)``.

    Returns
    -------
    (Symbol, Symbol, Symbol)
        int64 samples of shape ``(num_sampled,)``, then float64 expected counts
        (P * num_sampled) of ``true_classes`` and of the samples.
    """
    log_range = math.log(range_max + 1)
    draws = uniform(0, log_range, shape=(num_sampled,), dtype="float64")
    samples = ((draws.exp() - 1).floor().astype("int64")) % range_max

    def expected(classes):
        c = classes.astype("float64")
        return ((c + 2) / (c + 1)).log() / log_range * num_sampled
    return samples, expected(true_classes), expected(samples)


def _scope(tag):
    return AttrScope(**{_sg.TAG: tag})


def _slots():
    """(slot-of function, outer entry list): distinct outer entries get consecutive slots."""
    entries, index = [], {}

    def slot(entry):
        key = (id(entry[0]), entry[1])
        if key not in index:
            index[key] = len(entries)
            entries.append(entry)
        return index[key]
    return slot, entries


def foreach(body, data, init_states, name="foreach"):
    """Run ``body(data_slice, states) -> (outputs, new_states)`` over axis 0 of ``data``.

    Builds one ``_foreach`` node whose subgraph is the body. ``data`` and ``init_states`` are
    Symbols or (nested) lists of Symbols; Symbols the body reads from the outer graph become
    inputs of the node.

    Returns
    -------
    (outputs, states)
        The per-step outputs stacked on a new axis 0, and the final states, in the structures
        ``body`` returned them.
    """
    flat_data, data_fmt = _sg.flatten(data, "foreach data")
    flat_states, state_fmt = _sg.flatten(init_states, "foreach init_states")
    tag = _sg.unique_tag(name)
    data_ph, outer = _sg.placeholders(flat_data, tag)
    state_ph, more = _sg.placeholders(flat_states, tag)
    outer.update(more)
    with _scope(tag):
        outs, states = body(_sg.regroup(data_ph, data_fmt), _sg.regroup(state_ph, state_fmt))
    flat_out, out_fmt = _sg.flatten(outs, "foreach body outputs")
    flat_new, _ = _sg.flatten(states, "foreach body states")
    if len(flat_new) != len(flat_states):
        raise MXNetError(f"foreach: the body returned {len(flat_new)} states for "
                         f"{len(flat_states)} init_states; they must match")
    sub, nodes, entries = _sg.build_subgraph(flat_out + flat_new, tag, outer)
    extra = []
    data_locs = [_sg.locate(nodes, p, extra) for p in data_ph]
    state_locs = [_sg.locate(nodes, p, extra) for p in state_ph]
    remain = [i for i in range(len(nodes)) if i not in set(data_locs + state_locs)]
    inputs = ([s._outputs[0] for s in flat_data + flat_states] + [entries[i] for i in remain])
    node = _sg.control_node("_foreach", [sub], inputs, {
        "num_args": len(inputs) + 1, "num_outputs": len(flat_out) + len(flat_new),
        "num_out_data": len(flat_out), "in_state_locs": state_locs,
        "in_data_locs": data_locs, "remain_locs": remain})
    results = [node[i] for i in range(len(flat_out) + len(flat_new))]
    return (_sg.regroup(results[:len(flat_out)], out_fmt),
            _sg.regroup(results[len(flat_out):], state_fmt))


def _call(func, args, fmt):
    return func(args) if fmt is None else func(*args)


def while_loop(cond, func, loop_vars, max_iterations=None, name="while_loop"):
    """Run ``func(*loop_vars) -> (outputs, new_loop_vars)`` while ``cond(*loop_vars)`` is
    nonzero, at most ``max_iterations`` times. Builds one ``_while_loop`` node with the
    condition and the body as subgraphs.

    Returns
    -------
    (outputs, loop_vars)
        Per-step outputs stacked on axis 0 (``max_iterations`` rows; rows past the last
        iteration are zeros) and the final loop variables.
    """
    if max_iterations is None:
        raise ValueError("while_loop: max_iterations is required")
    max_iterations = int(max_iterations)
    flat_vars, var_fmt = _sg.flatten(loop_vars, "while_loop loop_vars")
    cond_tag, func_tag = _sg.unique_tag(name + "_cond"), _sg.unique_tag(name + "_func")
    cond_ph, cond_outer = _sg.placeholders(flat_vars, cond_tag)
    with _scope(cond_tag):
        pred = _call(cond, _sg.regroup(cond_ph, var_fmt), var_fmt)
    func_ph, func_outer = _sg.placeholders(flat_vars, func_tag)
    with _scope(func_tag):
        step = _call(func, _sg.regroup(func_ph, var_fmt), var_fmt)
    if not isinstance(step, (list, tuple)) or len(step) != 2:
        raise MXNetError("while_loop: func must return a pair (outputs, new_loop_vars)")
    flat_out, out_fmt = _sg.flatten([] if step[0] is None else step[0], "while_loop outputs")
    flat_new, _ = _sg.flatten(step[1], "while_loop new loop_vars")
    if len(flat_new) != len(flat_vars):
        raise MXNetError(f"while_loop: func returned {len(flat_new)} loop variables for "
                         f"{len(flat_vars)}; they must match")
    cond_sub, cond_nodes, cond_entries = _sg.build_subgraph(
        _sg.flatten(pred, "while_loop cond")[0], cond_tag, cond_outer)
    func_sub, func_nodes, func_entries = _sg.build_subgraph(flat_out + flat_new, func_tag,
                                                            func_outer)
    slot, inputs = _slots()
    var_slot = {}
    for j, v in enumerate(flat_vars):  # each loop variable owns a slot the loop updates
        inputs.append(v._outputs[0])
        var_slot[id(cond_ph[j]._outputs[0][0])] = var_slot[id(func_ph[j]._outputs[0][0])] = \
            len(inputs) - 1
    extra = []
    func_var_locs = [_sg.locate(func_nodes, p, extra) for p in func_ph]
    cond_locs = [var_slot.get(id(n), None) for n in cond_nodes]
    cond_locs = [s if s is not None else slot(e) for s, e in zip(cond_locs, cond_entries)]
    func_locs = [var_slot[id(n)] if id(n) in var_slot else slot(e)
                 for n, e in zip(func_nodes + extra, func_entries + [None] * len(extra))]
    node = _sg.control_node("_while_loop", [cond_sub, func_sub], inputs, {
        "num_args": len(inputs) + 2, "num_outputs": len(flat_out) + len(flat_vars),
        "num_out_data": len(flat_out), "max_iterations": max_iterations,
        "cond_input_locs": cond_locs, "func_input_locs": func_locs,
        "func_var_locs": func_var_locs})
    results = [node[i] for i in range(len(flat_out) + len(flat_vars))]
    outputs = _sg.regroup(results[:len(flat_out)], out_fmt) if flat_out else []
    return outputs, _sg.regroup(results[len(flat_out):], var_fmt)


def cond(pred, then_func, else_func, name="cond"):
    """``then_func()`` where the one-element symbol ``pred`` is nonzero, else ``else_func()``.

    Both functions take no arguments and return a Symbol or a list of Symbols with the same
    number of outputs. Builds one ``_cond`` node (condition, then and else subgraphs); only
    the branch taken runs, and gradients reach only its inputs.
    """
    pred_tag = _sg.unique_tag(name + "_pred")
    then_tag, else_tag = _sg.unique_tag(name + "_then"), _sg.unique_tag(name + "_else")
    outer = {}
    pred_sub, _, pred_entries = _sg.build_subgraph(_sg.flatten(pred, "cond pred")[0],
                                                   pred_tag, outer)
    with _scope(then_tag):
        then_out = then_func()
    with _scope(else_tag):
        else_out = else_func()
    then_flat, then_fmt = _sg.flatten(then_out, "cond then_func")
    else_flat, _ = _sg.flatten(else_out, "cond else_func")
    if len(then_flat) != len(else_flat):
        raise MXNetError(f"cond: then_func returned {len(then_flat)} outputs and else_func "
                         f"{len(else_flat)}; both branches must return the same number")
    then_sub, _, then_entries = _sg.build_subgraph(then_flat, then_tag, outer)
    else_sub, _, else_entries = _sg.build_subgraph(else_flat, else_tag, outer)
    slot, inputs = _slots()
    locs = [[slot(e) for e in entries] for entries in (pred_entries, then_entries,
                                                        else_entries)]
    node = _sg.control_node("_cond", [pred_sub, then_sub, else_sub], inputs, {
        "num_args": len(inputs) + 3, "num_outputs": len(then_flat),
        "cond_input_locs": locs[0], "then_input_locs": locs[1], "else_input_locs": locs[2]})
    results = [node[i] for i in range(len(then_flat))]
    return _sg.regroup(results, then_fmt)


_populate(globals(), "contrib")

# ``from mxnet.symbol.contrib import *``: the generated contrib operators and the helpers above.
_NOT_STARRED = {"copy", "ctypes", "math", "symbol", "uniform", "adamw_update",
                "mp_adamw_update", "AttrScope", "Symbol", "MXNetError"}
__all__ = sorted(k for k in globals() if not k.startswith("_") and k not in _NOT_STARRED)
