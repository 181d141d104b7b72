"""Storage types through a Symbol graph: arguments, outputs and argument gradients.

What ``simple_bind`` allocates and what an Executor's outputs and gradient buffers are:

- an argument's stype comes from ``stype_dict``, else its variable's ``__storage_type__``
  attribute (``sym.var(stype=...)``), else 'default';
- an operator's output stypes come from ``OpDef.stype`` (MXNet's forward storage-type
  table); ops without a rule, and ops with several outputs, give 'default';
- an argument's gradient stype comes from the ops that read it: ``OpDef.grad_stype`` where
  the op has one (Embedding with sparse_grad, dot(csr, w)...), else a one-input op whose
  output keeps a sparse input's stype (``rsp * 2``) passes that stype back, else 'default'.
  Several readers that disagree give 'default'.
"""
from .symbol import aux_variable_ids, topo_order

_BY_ID = {"-1": "default", "0": "default", "1": "row_sparse", "2": "csr"}
_NAMES = ("default", "row_sparse", "csr")


def variable_stype(node, given=None):
    """The storage type of variable ``node`` (``given`` by name wins over its attribute)."""
    if given and given.get(node.name) is not None:
        stype = given[node.name]
        if stype not in _NAMES:
            raise ValueError(f"stype of {node.name!r} must be one of {_NAMES}, got {stype!r}")
        return stype
    return _BY_ID.get(str(node.attrs.get("__storage_type__", "0")), "default")


def _forward(op, attrs, in_stypes, count):
    if op.stype is None or count != 1:
        return ["default"] * count
    out = op.stype(attrs, list(in_stypes))
    return [out] if isinstance(out, str) else list(out)


def _backward(op, attrs, in_stypes, out_stypes):
    if op.grad_stype is not None:
        return list(op.grad_stype(attrs, list(in_stypes)))
    if len(in_stypes) == 1 and in_stypes[0] != "default" and out_stypes == in_stypes:
        return list(in_stypes)
    return ["default"] * len(in_stypes)


def infer_stypes(symbol, given=None):
    """(argument stypes, output stypes, argument gradient stypes) of ``symbol``; lists in
    ``list_arguments()`` / ``list_outputs()`` order. ``given``: {argument name: stype}."""
    order = topo_order(symbol._outputs)
    aux_ids = aux_variable_ids(order)
    entry, readers = {}, {}
    for node in order:
        if node.is_variable:
            entry[(id(node), 0)] = variable_stype(node, given)
            continue
        attrs = node.parsed()
        ins = [entry[(id(child), i)] for child, i in node.inputs]
        outs = _forward(node.op, attrs, ins, node.num_outputs())
        for k, stype in enumerate(outs):
            entry[(id(node), k)] = stype
        for (child, _), grad in zip(node.inputs, _backward(node.op, attrs, ins, outs)):
            if child.is_variable:
                readers.setdefault(id(child), set()).add(grad)
    args = [n for n in order if n.is_variable and id(n) not in aux_ids]
    grads = []
    for node in args:
        seen = readers.get(id(node), {"default"})
        grads.append(seen.pop() if len(seen) == 1 else "default")
    return ([entry[(id(n), 0)] for n in args], [entry[(id(n), i)] for n, i in symbol._outputs],
            grads)


def row_rules(symbol, grad_stypes):
    """Arguments whose row_sparse gradient stores rows chosen by the indices their readers
    used (``dot(csr, w)``: the csr's columns), as ``{arg index: [(op, attrs, arg index of
    each reader input, position of the argument)]}``. Only when every reader has such a
    rule and reads arguments directly (the rows are then known before the graph runs)."""
    from ..ops._sparse_grad import ROWS
    order = topo_order(symbol._outputs)
    aux_ids = aux_variable_ids(order)
    args = [n for n in order if n.is_variable and id(n) not in aux_ids]
    index = {id(n): i for i, n in enumerate(args)}
    readers = {}
    for node in order:
        for pos, (child, _) in enumerate(node.inputs):
            if child.is_variable and id(child) in index:
                readers.setdefault(index[id(child)], []).append((node, pos))
    rules = {}
    for i, uses in readers.items():
        if grad_stypes[i] != "row_sparse":
            continue
        if all(node.op.name in ROWS and all(c.is_variable and id(c) in index
                                            for c, _ in node.inputs) for node, _ in uses):
            rules[i] = [(node.op, node.parsed(), [index[id(c)] for c, _ in node.inputs], pos)
                        for node, pos in uses]
    return rules


def check_gradient_buffers(symbol, arg_arrays, grad_arrays, grad_reqs):
    """Raise MXNetError where an op insists on its gradient stype (Embedding's sparse_grad)
    and the bound gradient buffer has another, as MXNet's bind does."""
    from ..base import MXNetError
    from ..ops._sparse_grad import STRICT
    order = topo_order(symbol._outputs)
    aux_ids = aux_variable_ids(order)
    args = [n for n in order if n.is_variable and id(n) not in aux_ids]
    index = {id(n): i for i, n in enumerate(args)}
    for node in order:
        if node.is_variable or node.op.name not in STRICT or node.op.grad_stype is None:
            continue
        attrs = node.parsed()
        ins = [arg_arrays[index[id(c)]].stype if id(c) in index else "default"
               for c, _ in node.inputs]
        for pos, ((child, _), want) in enumerate(zip(node.inputs,
                                                     node.op.grad_stype(attrs, ins))):
            i = index.get(id(child))
            if i is None or grad_arrays[i] is None or grad_reqs[i] == "null":
                continue
            have = grad_arrays[i].stype
            if have != want:
                name = node.input_names()[pos]
                raise MXNetError(
                    f"{node.op.name} (node {node.name!r}): the gradient of input {name!r} "
                    f"({child.name!r}) is {want} with sparse_grad={attrs.get('sparse_grad')}, "
                    f"but its gradient array is {have}; bind a {want} gradient array or "
                    f"use sparse_grad={have == 'row_sparse'}")
