"""The operators recorded under ``autograd.record()``, kept as a light graph for
``autograd.get_symbol``.

While recording, ``autograd`` installs ``KEEPER`` in the nd door's tracing seam
(``ndarray.ndarray.DEFERRED``). Each reported result tensor gets a tag ``_mx_node =
(step, index)``; a step is ``[op, attrs, inputs, name]`` whose inputs are the tags of recorded
inputs or, for values not computed under ``record()``, the tensors themselves (graph leaves).
Tags hold no intermediate tensors, so a recorded graph costs a few small Python objects per
operator and frees its activations like torch does. ``to_symbol`` turns the tags reachable from
some heads into a Symbol with MXNet's op names and attributes (leaves become variables named
``var<k>`` for attached arrays and ``null<k>`` for constants, operators ``node_<k>``).
"""
import copy
import itertools
import types

_GETITEM = "getitem"   # basic indexing x[key]: attrs = (key, input ndim, result shape)
_COMPOSE = "compose"   # a hybridized block's graph: attrs = (graph symbol, data names)

_VAR_IDS = itertools.count()
_NULL_IDS = itertools.count()
_NODE_IDS = itertools.count()


class _Tag(tuple):
    """``(step, output index)``; pickles and deep-copies as nothing (a graph stays local)."""
    __slots__ = ()

    def __reduce__(self):
        return tuple, ()

    def __deepcopy__(self, memo):
        return self


def _tag(result, step):
    if type(result) in (list, tuple):
        for i, r in enumerate(result):
            r._mx_node = _Tag((step, i))
    else:
        result._mx_node = _Tag((step, 0))


def _inputs(tensors):
    return [getattr(t, "_mx_node", None) or t for t in tensors]


class _Keeper:
    """The ``DEFERRED`` hook, installed only while recording (``pause()`` removes it)."""

    def __call__(self, op, inputs, attrs, result):
        if len(inputs) == 1:
            a, = inputs
            ins = [getattr(a, "_mx_node", None) or a]
        elif len(inputs) == 2:
            a, b = inputs
            ins = [getattr(a, "_mx_node", None) or a, getattr(b, "_mx_node", None) or b]
        else:
            ins = _inputs(inputs)
        if type(result) is list or type(result) is tuple:
            _tag(result, [op, attrs, ins, None])
        else:
            result._mx_node = _Tag(([op, attrs, ins, None], 0))
        if SHADOWED[0]:
            _shadow(op, inputs, attrs, result)

    def getitem(self, tensor, key, result):
        _tag(result, [_GETITEM, (key, tensor.dim(), tuple(result.shape)), _inputs([tensor]),
                      None])
        shadow = getattr(tensor, "_mx_shadow", None)
        if shadow is not None and not (result.is_floating_point() or result.requires_grad):
            try:  # an integer array's slice keeps the slice of its float64 shadow
                part = shadow[key]
            except Exception:  # noqa: BLE001 - advanced keys: no gradient, as before
                return
            if part.shape == result.shape:
                result._mx_shadow = part

    def rebind(self, target, value):
        tag = getattr(value, "_mx_node", None)
        if tag is not None:
            target._mx_node = tag

    def compose(self, graph_symbol, data_names, data, outputs):
        step = [_COMPOSE, (graph_symbol, tuple(data_names)), _inputs([a._t for a in data]),
                None]
        for i, out in enumerate(outputs):
            out._t._mx_node = _Tag((step, i))


KEEPER = _Keeper()

# True once an integer array was attached: integer results may then need float64 shadows
SHADOWED = [False]


def _shadow(op, inputs, attrs, result):
    """MXNet differentiates integer arithmetic (gradients in the integer type); torch cannot.
    An integer result computed from an integer input that carries a float64 ``_mx_shadow``
    (see ``autograd.attach`` and ``ops/elemwise.py``) gets the same op run on the shadows, so
    backward reaches the attached integer arrays. Floating results (casts) and ops that do not
    run on float64 values (index inputs) are left alone."""
    shadows = [getattr(t, "_mx_shadow", None) for t in inputs]
    if all(sh is None for sh in shadows):
        return
    results = list(result) if type(result) in (list, tuple) else [result]
    if all(r.is_floating_point() or r.requires_grad for r in results):
        return
    from .ops._invoke import invoke
    from .autograd import is_training
    ins = [sh if sh is not None else t.double() if not t.is_floating_point() else t
           for t, sh in zip(inputs, shadows)]
    try:
        out = invoke(op, ins, op.parse_attrs(dict(attrs)), is_training())
    except Exception:  # noqa: BLE001 - no float64 kernel: the integer inputs get no gradient
        return
    outs = list(out) if type(out) in (list, tuple) else [out]
    for r, sh in zip(results, outs):
        if not (r.is_floating_point() or r.requires_grad) and sh.requires_grad and \
                sh.shape == r.shape:
            r._mx_shadow = sh


# --------------------------------------------------------------------------------------------
# tags -> Symbol
# --------------------------------------------------------------------------------------------

def _variable(tensor, memo):
    """The variable standing for a graph leaf (the same name on every call)."""
    from .symbol.symbol import var
    entry = memo.get(id(tensor))
    if entry is not None:
        return entry
    name = getattr(tensor, "_mx_var_name", None)
    if name is None:
        name = ("var%d" % next(_VAR_IDS)) if tensor.requires_grad or hasattr(
            tensor, "_mx_shadow") else ("null%d" % next(_NULL_IDS))
        tensor._mx_var_name = name
    entry = memo[id(tensor)] = var(name)._outputs[0]
    return entry


def _steps_in_order(heads):
    """Steps reachable from ``heads`` (tags), inputs before the steps that read them."""
    order, seen = [], set()
    stack = [(tag[0], False) for tag in heads if type(tag) is _Tag]
    while stack:
        step, expanded = stack.pop()
        if expanded:
            order.append(step)
            continue
        if id(step) in seen:
            continue
        seen.add(id(step))
        stack.append((step, True))
        stack.extend((i[0], False) for i in step[2] if type(i) is _Tag and id(i[0]) not in seen)
    return order


def _build(step, args):
    """The Symbol outputs of one step, given its input entries."""
    from .symbol.symbol import Node, Symbol, attr_string, record_writes
    kind, attrs = step[0], step[1]
    if step[3] is None:
        step[3] = "node_%d" % next(_NODE_IDS)
    if kind is _COMPOSE:
        graph, names = attrs
        composed = copy.copy(graph)
        composed._compose(**{n: Symbol([a]) for n, a in zip(names, args)})
        return list(composed._outputs)
    if kind is _GETITEM:
        return [_indexing(attrs, Symbol([args[0]]))._outputs[0]]
    text = {k: attr_string(kind, k, v) for k, v in attrs.items() if v is not None}
    node = Node(kind, step[3], text, args)
    node._parsed = kind.parse_attrs(dict(attrs))
    if kind.aux:
        record_writes(node)
    return [(node, i) for i in range(node.num_outputs())]


def _indexing(attrs, sym):
    """Basic indexing as slice / squeeze / expand_dims nodes (the 2.x tracer's rule)."""
    from .gluon._trace import _Tracer

    class Namer(_Tracer):
        def _name(self, op):  # noqa: ARG002 - names as the recorded operators get them
            return "node_%d" % next(_NODE_IDS)

    key, ndim, shape = attrs
    tracer = Namer(types.SimpleNamespace(prefix="", name="get_symbol"))
    source = types.SimpleNamespace(dim=lambda: ndim)
    result = types.SimpleNamespace(shape=shape)
    tracer.entries[id(source)] = sym
    tracer.keep.append(source)
    tracer.getitem(source, key, result)
    return tracer.entries[id(result)]


def to_symbol(tensors):
    """The Symbol computing ``tensors`` from the operators recorded for them."""
    from .symbol.symbol import Symbol
    heads = [getattr(t, "_mx_node", None) or t for t in tensors]
    outputs, memo = {}, {}
    for step in _steps_in_order(heads):
        args = [outputs[id(i[0])][i[1]] if type(i) is _Tag else _variable(i, memo)
                for i in step[2]]
        outputs[id(step)] = _build(step, args)
    return Symbol([outputs[id(h[0])][h[1]] if type(h) is _Tag else _variable(h, memo)
                   for h in heads])


def reaches_variable(tensor):
    """Whether ``tensor`` was recorded from an attached array (its gradient may be all zeros:
    MXNet differentiates it, while torch's graph ends where no gradient flows)."""
    tag = getattr(tensor, "_mx_node", None)
    if tag is None:
        return False
    for step in _steps_in_order([tag]):
        for i in step[2]:
            if type(i) is not _Tag and (i.requires_grad or hasattr(i, "_mx_shadow")):
                return True
    return False
