"""MXNet's symbolic control-flow operators: ``_foreach``, ``_while_loop`` and ``_cond``.

Each node of these ops carries subgraphs (the loop body, the condition, the branches). The
Symbol layer hands them to ``compute`` as the ``subgraphs`` attribute: a tuple of runners with
``run(tensors, is_train) -> list of tensors`` (inputs in the subgraph's ``list_inputs()``
order), ``infer_shape(shapes)`` and ``infer_type(dtypes)`` (each returning the subgraph's input
and output lists, None for unknown). Gradients flow through the subgraph runs with torch's
autograd, so backward gives the same values as unrolling the loop.

Outer inputs: ``_foreach`` takes the sliced data arrays, then the initial states, then the
remaining free inputs of the body (``in_data_locs``/``in_state_locs``/``remain_locs`` give
their positions among the body's inputs). ``_while_loop`` and ``_cond`` take the union of their
subgraphs' free inputs; the ``*_input_locs`` attributes map each subgraph input to one of them.
"""
import torch

from ..base import MXNetError
from ._attrs import ANY, INT, TupleKind
from ._registry import VARIADIC, Attr, defop


class _LocsKind(TupleKind):
    """A list of input positions, written as MXNet writes it (``[0, 2]``)."""

    def __init__(self):
        super().__init__(int)
        self.name = "list of int"

    def format(self, value):
        return str(list(value))


LOCS = _LocsKind()


def _runners(op, subgraphs, count):
    if not subgraphs or len(subgraphs) != count:
        raise MXNetError(f"{op}: the node needs {count} subgraph(s) (built by "
                         f"mx.sym.contrib.{op.strip('_')}); got "
                         f"{0 if not subgraphs else len(subgraphs)}")
    return subgraphs


def _single(outs):
    return outs[0] if len(outs) == 1 else tuple(outs)


def _truth(op, pred):
    if pred.numel() != 1:
        raise MXNetError(f"{op}: the condition must have exactly one element, got shape "
                         f"{tuple(pred.shape)}")
    return bool(pred.reshape(()).item())


def _check_outputs(op, got, want, what):
    if got != want:
        raise MXNetError(f"{op}: the {what} subgraph returned {got} outputs, expected {want}")


# ---- _foreach ----------------------------------------------------------------------------

def _foreach_groups(inputs, in_data_locs, in_state_locs):
    n_data, n_state = len(in_data_locs), len(in_state_locs)
    return (list(inputs[:n_data]), list(inputs[n_data:n_data + n_state]),
            list(inputs[n_data + n_state:]))


@defop("_foreach", inputs=VARIADIC, num_args="num_args", same_dtype=(), train_aware=True,
       num_outputs=lambda a: a["num_outputs"],
       infer_shape=lambda a, s: _foreach_shapes(a, s),
       infer_type=lambda a, d: _foreach_types(a, d),
       attrs=(Attr("num_args", INT, doc="Number of inputs, plus one for the body subgraph"),
              Attr("num_outputs", INT, doc="Number of outputs (stacked outputs, then states)"),
              Attr("num_out_data", INT, doc="Number of per-step outputs the body returns"),
              Attr("in_state_locs", LOCS, doc="Positions of the states among the body inputs"),
              Attr("in_data_locs", LOCS, doc="Positions of the data slices among the body "
                                             "inputs"),
              Attr("remain_locs", LOCS, doc="Positions of the other body inputs"),
              Attr("subgraphs", ANY, None, "The body (set by the Symbol layer)")))
def _foreach(*inputs, num_args, num_outputs, num_out_data, in_state_locs, in_data_locs,
             remain_locs, subgraphs, is_train=False):
    """Run the body over axis 0 of the data; outputs are stacked per step, then the states."""
    (body,) = _runners("_foreach", subgraphs, 1)
    datas, states, remains = _foreach_groups(inputs, in_data_locs, in_state_locs)
    if not datas:
        raise MXNetError("_foreach: needs at least one data input to iterate over")
    length = datas[0].shape[0] if datas[0].dim() else 0
    if any(d.dim() == 0 or d.shape[0] != length for d in datas):
        raise MXNetError(f"_foreach: every data input needs the same length on axis 0, got "
                         f"shapes {[tuple(d.shape) for d in datas]}")
    if length == 0:
        raise MXNetError("_foreach: the data has length 0 on axis 0; there is nothing to run")
    feed = [None] * (len(in_data_locs) + len(in_state_locs) + len(remain_locs))
    for loc, t in zip(remain_locs, remains):
        feed[loc] = t
    steps = []
    for i in range(length):
        for loc, d in zip(in_data_locs, datas):
            feed[loc] = d[i]
        for loc, s in zip(in_state_locs, states):
            feed[loc] = s
        result = body.run(feed, is_train)
        _check_outputs("_foreach", len(result), num_outputs, "body")
        steps.append(result[:num_out_data])
        states = list(result[num_out_data:])
    stacked = [torch.stack(column) for column in zip(*steps)]
    return _single(stacked + states)


def _foreach_shapes(attrs, shapes):
    """Shapes through the body: data slices drop axis 0; states in = states out."""
    (body,) = _runners("_foreach", attrs["subgraphs"], 1)
    locs_d, locs_s = attrs["in_data_locs"], attrs["in_state_locs"]
    datas, states, remains = _foreach_groups(shapes, locs_d, locs_s)
    sub = [None] * len(body.input_names)
    for loc, s in zip(locs_d, datas):
        sub[loc] = tuple(s[1:]) if s else None
    for loc, s in zip(locs_s + attrs["remain_locs"], states + remains):
        sub[loc] = s or None
    n_out = attrs["num_out_data"]
    sub_in, sub_out = body.infer_shape(sub)
    length = next((s[0] for s in datas if s), 0)
    for loc, s in zip(locs_s, sub_out[n_out:]):  # a state's shape is its update's shape
        if sub_in[loc] is None and s is not None:
            sub_in, sub_out = body.infer_shape([s if i == loc else x
                                                for i, x in enumerate(sub_in)])
    new_in = [None if sub_in[loc] is None else (length,) + tuple(sub_in[loc]) for loc in locs_d]
    new_in += [sub_in[loc] for loc in locs_s + attrs["remain_locs"]]
    outs = [None if s is None else (length,) + tuple(s) for s in sub_out[:n_out]]
    return new_in, outs + list(sub_out[n_out:])


def _foreach_types(attrs, dtypes):
    (body,) = _runners("_foreach", attrs["subgraphs"], 1)
    locs_d, locs_s = attrs["in_data_locs"], attrs["in_state_locs"]
    groups = _foreach_groups(dtypes, locs_d, locs_s)
    sub = [None] * len(body.input_names)
    for loc, d in zip(locs_d + locs_s + attrs["remain_locs"], sum(groups, [])):
        sub[loc] = d
    sub_in, sub_out = body.infer_type(sub)
    return [sub_in[loc] for loc in locs_d + locs_s + attrs["remain_locs"]], sub_out


# ---- _while_loop -------------------------------------------------------------------------

@defop("_while_loop", inputs=VARIADIC, num_args="num_args", same_dtype=(), train_aware=True,
       num_outputs=lambda a: a["num_outputs"],
       infer_shape=lambda a, s: _while_shapes(a, s),
       infer_type=lambda a, d: _while_types(a, d),
       attrs=(Attr("num_args", INT, doc="Number of inputs, plus two for the subgraphs"),
              Attr("num_outputs", INT, doc="Number of outputs (stacked outputs, then the "
                                           "loop variables)"),
              Attr("num_out_data", INT, doc="Number of per-step outputs of the loop body"),
              Attr("max_iterations", INT, doc="Most iterations; outputs have this many rows"),
              Attr("cond_input_locs", LOCS, doc="Inputs of the condition subgraph"),
              Attr("func_input_locs", LOCS, doc="Inputs of the body subgraph"),
              Attr("func_var_locs", LOCS, doc="Position of each loop variable among the body "
                                              "inputs"),
              Attr("subgraphs", ANY, None, "Condition and body (set by the Symbol layer)")))
def _while_loop(*inputs, num_args, num_outputs, num_out_data, max_iterations, cond_input_locs,
                func_input_locs, func_var_locs, subgraphs, is_train=False):
    """Run the body while the condition holds (at most ``max_iterations`` times); the per-step
    outputs are stacked and zero-padded to ``max_iterations`` rows, then the loop variables."""
    cond, func = _runners("_while_loop", subgraphs, 2)
    current = list(inputs)
    var_slots = [func_input_locs[loc] for loc in func_var_locs]
    steps = []
    meta = any(t.is_meta for t in inputs)
    while len(steps) < max_iterations:
        if not meta:
            pred = cond.run([current[i] for i in cond_input_locs], is_train)[0]
            if not _truth("_while_loop", pred):
                break
        result = func.run([current[i] for i in func_input_locs], is_train)
        _check_outputs("_while_loop", len(result), num_out_data + len(var_slots), "body")
        steps.append(result[:num_out_data])
        for slot, new in zip(var_slots, result[num_out_data:]):
            current[slot] = new
        if meta:  # shape inference: one step gives every shape
            break
    return _single(_padded(func, steps, current, func_input_locs, num_out_data, max_iterations,
                           is_train) + [current[s] for s in var_slots])


def _padded(func, steps, current, func_input_locs, num_out_data, rows, is_train):
    if not num_out_data:
        return []
    if not steps:  # no iteration ran: one dry run of the body gives the output shapes
        with torch.no_grad():
            dry = func.run([current[i] for i in func_input_locs], is_train)[:num_out_data]
        return [torch.zeros((rows,) + tuple(t.shape), dtype=t.dtype, device=t.device)
                for t in dry]
    out = []
    for column in zip(*steps):
        stacked = torch.stack(column)
        missing = rows - stacked.shape[0]
        if missing:
            pad = torch.zeros((missing,) + tuple(stacked.shape[1:]), dtype=stacked.dtype,
                              device=stacked.device)
            stacked = torch.cat([stacked, pad])
        out.append(stacked)
    return out


def _while_shapes(attrs, shapes):
    func = _runners("_while_loop", attrs["subgraphs"], 2)[1]
    locs = attrs["func_input_locs"]
    shapes = list(shapes)
    sub_in, sub_out = func.infer_shape([shapes[i] or None for i in locs])
    n_out = attrs["num_out_data"]
    for k, loc in enumerate(attrs["func_var_locs"]):  # a loop variable keeps its shape
        new = sub_out[n_out + k]
        if sub_in[loc] is None and new is not None:
            sub_in = list(sub_in)
            sub_in[loc] = new
    for i, s in zip(locs, sub_in):
        if s is not None:
            shapes[i] = s
    cond = attrs["subgraphs"][0]
    cond.infer_shape([shapes[i] or None for i in attrs["cond_input_locs"]])
    rows = attrs["max_iterations"]
    outs = [None if s is None else (rows,) + tuple(s) for s in sub_out[:n_out]]
    return shapes, outs + [shapes[locs[loc]] for loc in attrs["func_var_locs"]]


def _while_types(attrs, dtypes):
    func = _runners("_while_loop", attrs["subgraphs"], 2)[1]
    locs = attrs["func_input_locs"]
    sub_in, sub_out = func.infer_type([dtypes[i] for i in locs])
    dtypes = list(dtypes)
    for i, d in zip(locs, sub_in):
        if dtypes[i] is None:
            dtypes[i] = d
    n_out = attrs["num_out_data"]
    return dtypes, list(sub_out[:n_out]) + [dtypes[locs[loc]] for loc in attrs["func_var_locs"]]


# ---- _cond -------------------------------------------------------------------------------

@defop("_cond", inputs=VARIADIC, num_args="num_args", same_dtype=(), train_aware=True,
       num_outputs=lambda a: a["num_outputs"],
       infer_shape=lambda a, s: _cond_shapes(a, s),
       infer_type=lambda a, d: _cond_types(a, d),
       attrs=(Attr("num_args", INT, doc="Number of inputs, plus three for the subgraphs"),
              Attr("num_outputs", INT, doc="Number of outputs of each branch"),
              Attr("cond_input_locs", LOCS, doc="Inputs of the condition subgraph"),
              Attr("then_input_locs", LOCS, doc="Inputs of the then-branch subgraph"),
              Attr("else_input_locs", LOCS, doc="Inputs of the else-branch subgraph"),
              Attr("subgraphs", ANY, None, "Condition, then and else branches (set by the "
                                            "Symbol layer)")))
def _cond(*inputs, num_args, num_outputs, cond_input_locs, then_input_locs, else_input_locs,
          subgraphs, is_train=False):
    """Run the then-branch when the condition is nonzero, else the else-branch."""
    cond, then_g, else_g = _runners("_cond", subgraphs, 3)
    if any(t.is_meta for t in inputs):  # shape inference: the branches agree on shapes
        taken, locs = then_g, then_input_locs
    else:
        pred = cond.run([inputs[i] for i in cond_input_locs], is_train)[0]
        taken, locs = ((then_g, then_input_locs) if _truth("_cond", pred)
                       else (else_g, else_input_locs))
    result = taken.run([inputs[i] for i in locs], is_train)
    _check_outputs("_cond", len(result), num_outputs, "branch")
    return _single(list(result))


def _cond_shapes(attrs, shapes):
    _runners("_cond", attrs["subgraphs"], 3)
    shapes = list(shapes)
    outs = [None] * attrs["num_outputs"]
    for g, locs in zip(attrs["subgraphs"], (attrs["cond_input_locs"], attrs["then_input_locs"],
                                            attrs["else_input_locs"])):
        sub_in, sub_out = g.infer_shape([shapes[i] or None for i in locs])
        for i, s in zip(locs, sub_in):
            if s is not None:
                shapes[i] = s
        if g is not attrs["subgraphs"][0]:
            outs = [o if o is not None else s for o, s in zip(outs, sub_out)]
    return shapes, outs


def _cond_types(attrs, dtypes):
    _runners("_cond", attrs["subgraphs"], 3)
    dtypes = list(dtypes)
    outs = [None] * attrs["num_outputs"]
    for k, (g, locs) in enumerate(zip(attrs["subgraphs"], (
            attrs["cond_input_locs"], attrs["then_input_locs"], attrs["else_input_locs"]))):
        sub_in, sub_out = g.infer_type([dtypes[i] for i in locs])
        for i, d in zip(locs, sub_in):
            if dtypes[i] is None:
                dtypes[i] = d
        if k:
            outs = [o if o is not None else d for o, d in zip(outs, sub_out)]
    return dtypes, outs
