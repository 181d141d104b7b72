"""Subgraphs of the control-flow nodes (``_foreach``, ``_while_loop``, ``_cond``).

``build_subgraph`` turns what a loop body or branch returned into MXNet's subgraph Symbol: the
nodes made inside the body carry ``__subgraph_name__``; outer variables stay shared with the
outer graph; outer operator outputs the body reads are cut into new variables named after the
output (``exp0_output``), and become inputs of the control-flow node. ``SubgraphRunner`` is
what the operator's compute receives: the subgraph compiled once, with shape/type inference.
"""
from ..attribute import AttrScope
from ..base import MXNetError
from ..name import NameManager
from .symbol import Node, Symbol

TAG = "__subgraph_name__"


class SubgraphRunner:
    """Runs a subgraph Symbol on tensors given in its ``list_inputs()`` order (extra trailing
    inputs, placeholders the body never read, are ignored)."""

    def __init__(self, symbol):
        self.symbol = symbol
        self.input_names = symbol.list_inputs()
        self._graph = None
        self._pick = None

    def _compiled(self):
        if self._graph is None:
            from .compiler import CompiledGraph
            graph = CompiledGraph(self.symbol)
            pos = {n: i for i, n in enumerate(self.input_names)}
            self._pick = ([pos[n] for n in graph.arg_names], [pos[n] for n in graph.aux_names])
            self._graph = graph
        return self._graph

    def run(self, tensors, is_train=False):
        graph = self._compiled()
        args, aux = self._pick
        return graph([tensors[i] for i in args], [tensors[i] for i in aux], is_train)

    def infer_shape(self, shapes):
        """(input shapes, output shapes) from partial input shapes (MXNet's legacy spelling:
        None unknown, 0 an unknown dim); unknown results are None."""
        from ..util import np_shape
        given = {n: tuple(s) for n, s in zip(self.input_names, shapes) if s is not None}
        with np_shape(False):
            arg, out, aux = self.symbol.infer_shape_partial(**given)
        found = dict(zip(self.symbol.list_arguments(), arg))
        found.update(zip(self.symbol.list_auxiliary_states(), aux))
        new = [_shape(found.get(n)) for n in self.input_names]
        return new + list(shapes[len(new):]), [_shape(s) for s in out]

    def infer_type(self, dtypes):
        """(input dtypes, output dtypes) from partial input dtypes; unknown ones are None."""
        from .._torch.dtypes import TORCH_TO_NP_TYPE
        given = {n: TORCH_TO_NP_TYPE.get(d, d) for n, d in zip(self.input_names, dtypes)
                 if d is not None}
        arg, out, aux = self.symbol.infer_type_partial(**given)
        found = dict(zip(self.symbol.list_arguments(), arg))
        found.update(zip(self.symbol.list_auxiliary_states(), aux))
        new = [found.get(n) for n in self.input_names]
        return new + list(dtypes[len(new):]), list(out)


def _shape(s):
    return tuple(s) if s else None


def runners(subgraphs):
    return tuple(SubgraphRunner(s) for s in subgraphs)


# ---- building ------------------------------------------------------------------------------

def flatten(obj, what):
    """(list of single-output Symbols, structure) of a Symbol or nested list of Symbols."""
    if isinstance(obj, Symbol):
        if len(obj._outputs) != 1:
            raise MXNetError(f"{what}: expected Symbols with one output each, got a group of "
                             f"{len(obj._outputs)} outputs; pass them as a list")
        return [obj], None
    if isinstance(obj, (list, tuple)):
        flat, fmt = [], []
        for item in obj:
            items, sub = flatten(item, what)
            flat += items
            fmt.append(sub)
        return flat, fmt
    raise TypeError(f"{what}: expected a Symbol or a list of Symbols, got {type(obj).__name__}")


def regroup(flat, fmt):
    """Inverse of ``flatten``."""
    flat = list(flat)

    def take(f):
        if f is None:
            return flat.pop(0)
        return [take(x) for x in f]
    return take(fmt)


def unique_tag(name):
    """A fresh ``__subgraph_name__`` for ``name`` (``foreach0``, ``fe0``...)."""
    return NameManager.current.get(None, name)


def placeholders(symbols, tag):
    """A new variable per distinct outer entry, named ``<name>-<output index>``; returns
    (placeholder Symbols, {placeholder node id: outer entry})."""
    made, outer = {}, {}
    with AttrScope(**{TAG: tag}):
        from .symbol import var
        out = []
        for s in symbols:
            entry = s._outputs[0]
            key = (id(entry[0]), entry[1])
            if key not in made:
                made[key] = var(f"{entry[0].name}-{entry[1]}")
                outer[id(made[key]._outputs[0][0])] = entry
            out.append(made[key])
    return out, outer


def build_subgraph(outputs, tag, outer):
    """The subgraph Symbol over the output Symbols ``outputs`` of a body run in scope ``tag``;
    ``outer`` ({placeholder node id: outer entry}) gains the cut entries. Returns
    (subgraph, its input variable nodes in list_inputs order, the outer entry of each)."""
    copies, cut = {}, {}

    def convert(entry):
        node, idx = entry
        if node.is_variable:
            return entry
        if node.attrs.get(TAG) != tag:
            key = (id(node), idx)
            if key not in cut:
                cut[key] = Node(None, node.output_names()[idx])
                outer[id(cut[key])] = entry
            return cut[key], 0
        return copy(node), idx

    def copy(node):
        new = copies.get(id(node))
        if new is None:
            new = Node(node.op, node.name, node.attrs, [convert(e) for e in node.inputs])
            new._parsed, new.subgraphs = node._parsed, node.subgraphs
            copies[id(node)] = new
        return new

    heads = [convert(s._outputs[0]) for s in outputs]
    heads = [_identity(e, tag) if e[0].is_variable else e for e in heads]
    sub = Symbol(heads)
    nodes = sub._variables()
    return sub, nodes, [outer.get(id(n), (n, 0)) for n in nodes]


def _identity(entry, tag):
    """MXNet's subgraphs never output an input directly: a ``_copy`` node (``identity0``)."""
    from ..ops import get_op
    attrs = dict(AttrScope.current.get(None))
    attrs[TAG] = tag
    node = Node(get_op("_copy"), NameManager.current.get(None, "identity"), attrs, [entry])
    return node, 0


def locate(nodes, placeholder, extra):
    """Position of the ``placeholder`` Symbol among the subgraph's input ``nodes``; one the
    body never read is appended to ``extra`` (positions past the subgraph's inputs)."""
    node = placeholder._outputs[0][0]
    for i, n in enumerate(nodes):
        if n is node:
            return i
    if node not in extra:
        extra.append(node)
    return len(nodes) + extra.index(node)


def control_node(op_name, subgraphs, inputs, attrs):
    """The control-flow node over outer ``inputs`` (entries); returns its Symbol."""
    from ..ops import get_op
    full = dict(AttrScope.current.get(None))
    full.update({k: str(v) if not isinstance(v, (list, tuple)) else str(list(v))
                 for k, v in attrs.items()})
    node = Node(get_op(op_name), NameManager.current.get(None, op_name), full, inputs)
    node.subgraphs = list(subgraphs)
    return Symbol([(node, i) for i in range(node.num_outputs())])
