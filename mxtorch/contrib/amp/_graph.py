"""The graph pass behind ``amp.convert_symbol``: insert ``amp_cast`` / ``amp_multicast`` nodes
into a float32 graph the way MXNet 1.9.1's ReducePrecision pass does.

The pass walks the graph in order and records, for every output, the entry that holds it in
the target type (``LP``: outputs of low-precision ops, casts to the target type) and in
float32 (``FP``: outputs of float32 ops, casts to float32); a cast is made once and shared:

- an op of the low-precision list reads the ``LP`` version of each input (made by a cast);
- an op of the float32 list (also conditional float32 ops whose attribute matches, and the
  excluded nodes) reads the ``FP`` version of each input; variables are taken as float32,
  other inputs are cast;
- an op of the widest-type list reads ``FP`` versions when one input has one and every input
  has some version; else ``LP`` versions when all have one; else one ``amp_multicast`` over
  all its inputs;
- any other op reads its inputs as they are; its outputs get the version type all its inputs
  have (for a legacy, named-output op: its non-variable inputs; for a ``Cast``/``amp_cast``
  of a non-variable: its dtype); otherwise none;
- every graph output is read through its ``FP`` version (a cast unless it has one). Casts are named
``<node>_<output>_amp_cast_<dtype>`` after MXNet (see ``_output_names``).
"""
from ...base import MXNetError
from ...ops import get_op
from ...symbol import symbol as _sym
from ...symbol.symbol import Node, Symbol, topo_order
from ._output_names import INDEXED, NAMED

LP, FP = "lp", "fp"
_DTYPE_FLAGS = {"float32": 0, "float16": 2, "bfloat16": 12}


def output_suffix(node, index):
    """``_output``, ``_output1``, ``_0``... as MXNet's pass names what follows a node."""
    if node.is_variable:
        return ""
    name = node.op.name
    names = NAMED.get(name)
    if names is None and name not in INDEXED and name[:1].isupper():
        names = node.op.output_name_list(node.parsed())
    if names and index < len(names):
        return "_" + names[index]
    return "_%d" % index


def _copy(node):
    new = Node(node.op, node.name, node.attrs)
    new._parsed = node._parsed
    new.subgraphs = node.subgraphs
    versions = _sym._ENTRY_VERSIONS.get(node)
    if versions:
        _sym._ENTRY_VERSIONS[new] = dict(versions)
    return new


class _Pass:
    def __init__(self, target, lp_ops, fp32_ops, conditional, widest, excluded):
        self.target = target
        self.lp_ops, self.fp32_ops, self.widest = set(lp_ops), set(fp32_ops), set(widest)
        self.conditional = {}
        for op_name, attr, values in conditional:
            self.conditional.setdefault(op_name, []).append((attr, set(values)))
        self.excluded = set(excluded)
        self.mirror = {}   # id(old node) -> new node
        # (id(old node), index) -> the new entry holding that output in the target type (LP)
        # or in float32 (FP): an op output of that type or a cast of it
        self.versions = {LP: {}, FP: {}}
        self._keep = []    # old nodes, so that ids stay unique while the pass runs

    # ---- entries --------------------------------------------------------------------------
    def new_entry(self, entry):
        node, index = entry
        return self.mirror[id(node)], index

    def version(self, entry, kind):
        return self.versions[kind].get((id(entry[0]), entry[1]))

    def cast(self, entry, dtype):
        kind = FP if dtype == "float32" else LP
        found = self.version(entry, kind)
        if found is None:
            name = "%s%s_amp_cast_%s" % (entry[0].name, output_suffix(*entry), dtype)
            node = Node(get_op("amp_cast"), name, {"dtype": dtype}, [self.new_entry(entry)])
            found = self.versions[kind][(id(entry[0]), entry[1])] = (node, 0)
        return found

    # ---- classification -------------------------------------------------------------------
    def kind(self, node):
        name = node.op.name
        if name in self.fp32_ops or node.name in self.excluded:
            return FP
        if name in self.lp_ops:
            return LP
        if name in self.widest:
            return "widest"
        for attr, values in self.conditional.get(name, ()):
            if node.attrs.get(attr) in values:
                return FP
        return None

    # ---- rewriting ------------------------------------------------------------------------
    def visit(self, node):
        self._keep.append(node)
        new = _copy(node)
        self.mirror[id(node)] = new
        if node.is_variable:
            return
        kind = self.kind(node)
        if kind == FP:
            new.inputs = [self.fp32_input(e) for e in node.inputs]
            out = FP
        elif kind == LP:
            new.inputs = [self.cast(e, self.target) for e in node.inputs]
            out = LP
        elif kind == "widest":
            new.inputs, out = self.widest_inputs(node)
        else:
            new.inputs = [self.new_entry(e) for e in node.inputs]
            out = self.follow(node)
        if out is not None:
            for i in range(new.num_outputs()):
                self.versions[out][(id(node), i)] = (new, i)

    def fp32_input(self, entry):
        found = self.version(entry, FP)
        if found is not None:
            return found
        if entry[0].is_variable:
            return self.new_entry(entry)
        return self.cast(entry, "float32")

    def widest_inputs(self, node):
        if not node.inputs:
            raise MXNetError("amp.convert_symbol: node %s (op %s) has no inputs"
                             % (node.name, node.op.name))
        has_fp = [self.version(e, FP) is not None for e in node.inputs]
        has_lp = [self.version(e, LP) is not None for e in node.inputs]
        if any(has_fp) and all(f or l for f, l in zip(has_fp, has_lp)):
            return [self.cast(e, "float32") for e in node.inputs], FP
        if all(has_lp):
            return [self.version(e, LP) for e in node.inputs], LP
        first = node.inputs[0]
        name = "%s%s_amp_multicast" % (first[0].name, output_suffix(*first))
        mirrored = [self.new_entry(e) for e in node.inputs]
        multi = Node(get_op("amp_multicast"), name, {"num_outputs": str(len(mirrored))},
                     mirrored)
        return [(multi, i) for i in range(len(mirrored))], None

    def common(self, entries):
        """LP / FP when every entry has a version of that type, else None."""
        for kind in (LP, FP):
            if entries and all(self.version(e, kind) is not None for e in entries):
                return kind
        return None

    def follow(self, node):
        """The type of the outputs of an op that runs in the type of its inputs."""
        name = node.op.name
        if name in ("amp_cast", "Cast"):
            if node.inputs[0][0].is_variable:
                return None
            dtype = node.attrs.get("dtype")
            return {self.target: LP, "float32": FP}.get(dtype)
        if len(node.inputs) == 1:
            return self.common(node.inputs)
        if name in NAMED or (name not in INDEXED and name[:1].isupper()):
            return self.common([e for e in node.inputs if not e[0].is_variable])
        return None

    def run(self, outputs):
        for node in topo_order(outputs):
            self.visit(node)
        return [self.cast(entry, "float32") for entry in outputs]


def _consumers(heads):
    found = {}
    for node in topo_order(heads):
        for pos, (child, _) in enumerate(node.inputs):
            found.setdefault(id(child), []).append((node, pos))
    return found


def _set_param_dtypes(heads, param_names, target, cast_optional_params):
    """Model parameters get ``__dtype__``: float32, or the target type when
    `cast_optional_params` and they only feed casts to the target type (then dropped)."""
    consumers = _consumers(heads)
    for node in topo_order(heads):
        if not node.is_variable or node.name not in param_names:
            continue
        users = consumers.get(id(node), [])
        casts = {id(u): u for u, _ in users}
        if cast_optional_params and users and all(
                u.op.name == "amp_cast" and u.attrs.get("dtype") == target
                for u in casts.values()):
            node.attrs["__dtype__"] = str(_DTYPE_FLAGS[target])
            for cast in casts.values():
                for user, pos in consumers.get(id(cast), []):
                    user.inputs[pos] = (node, 0)
                heads[:] = [(node, 0) if h[0] is cast else h for h in heads]
        else:
            node.attrs["__dtype__"] = "0"


def reduce_precision(sym, target, lp_ops, fp32_ops, conditional, widest, excluded, data_names,
                     cast_optional_params):
    """A new Symbol: `sym` with the casts of mixed precision inserted (see module doc)."""
    rewrite = _Pass(target, lp_ops, fp32_ops, conditional, widest, excluded)
    heads = rewrite.run(list(sym._outputs))
    params = set(sym.list_inputs()) - set(data_names)
    _set_param_dtypes(heads, params, target, cast_optional_params)
    return Symbol(heads)

