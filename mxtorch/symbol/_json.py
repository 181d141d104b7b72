"""MXNet symbol JSON: writing (MXNet 1.9.1's layout) and reading (every version since 0.8).

Written files carry ``"mxnet_version": ["int", 10901]`` so real MXNet 1.9.1 loads them (and
``"is_np_shape": ["int", 1]`` when written in NumPy-shape mode; legacy files loaded in that mode
get their variables' ``__shape__`` rewritten with -1 for unknown dims, as MXNet does).
Reading accepts node attributes under ``attrs``, ``attr`` or ``param``, 2-element input
entries, missing ``node_row_ptr``, any registered op name or alias, and upgrades old files:
hidden keys (``lr_mult``...) become ``__lr_mult__``, ``<input>_lr_mult`` on an op moves to that
input variable, missing auxiliary inputs of pre-0.9 files become variables, and pre-0.9.5
``argmax``/``argmin`` with ``axis=-1`` reduce over everything.
"""
import ast
import json
import logging

from .._mode import STATE as _MODE
from ..base import MXNetError
from ..ops import REGISTRY
from ..ops._registry import unknown_op_message
from .symbol import HIDDEN_KEYS, Node, Symbol, entry_version, record_writes, topo_order

MXNET_VERSION = 10901
_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


def to_json(symbol):
    order = topo_order(symbol._outputs)
    index = {id(n): i for i, n in enumerate(order)}
    nodes, row_ptr = [], [0]
    for node in order:
        nodes.append(_node_json(node, index))
        total = 1 if node.is_variable else node.op.total_output_count(node.parsed())
        row_ptr.append(row_ptr[-1] + total)
    graph = {
        "nodes": nodes,
        "arg_nodes": [i for i, n in enumerate(order) if n.is_variable],
        "node_row_ptr": row_ptr,
        "heads": [[index[id(n)], i, 0] for n, i in symbol._outputs],
        "attrs": {"mxnet_version": ["int", MXNET_VERSION]},
    }
    if _MODE.np_shape:  # shapes in this graph use -1 for unknown dims
        graph["attrs"] = {"is_np_shape": ["int", 1], **graph["attrs"]}
    return _dump(graph)


_AMP_CASTS = ("amp_cast", "amp_multicast")


def without_amp_casts(outputs):
    """``outputs`` of a copy of the graph without the amp_cast / amp_multicast nodes inside it
    (each consumer reads what the cast read), as MXNet writes JSON by default; the same
    entries when the graph has none."""
    order = topo_order(outputs)
    if not any(n.op is not None and n.op.name in _AMP_CASTS for n in order):
        return outputs
    from .symbol import _ENTRY_VERSIONS
    mirror = {}

    def resolve(entry):
        node, index = entry
        while node.op is not None and node.op.name in _AMP_CASTS:
            node, index = node.inputs[0 if node.op.name == "amp_cast" else index]
        return mirror[id(node)], index

    def copy(node):
        new = Node(node.op, node.name, node.attrs, [resolve(e) for e in node.inputs])
        new._parsed, new.subgraphs = node._parsed, node.subgraphs
        if node in _ENTRY_VERSIONS:
            _ENTRY_VERSIONS[new] = dict(_ENTRY_VERSIONS[node])
        mirror[id(node)] = new
        return new

    for node in order:
        if node.op is None or node.op.name not in _AMP_CASTS:
            copy(node)
    # as in MXNet, casts that are graph outputs stay (reading what their inputs read)
    return [((mirror.get(id(n)) or copy(n)), i)
            if n.op is not None and n.op.name in _AMP_CASTS else resolve((n, i))
            for n, i in outputs]


def _node_json(node, index):
    out = {"op": "null" if node.is_variable else node.op.name, "name": node.name}
    if node.attrs:
        out["attrs"] = dict(sorted(node.attrs.items()))
    aux = set(node.aux_positions()) if not node.is_variable else ()
    out["inputs"] = [[index[id(c)], i, entry_version(node, pos) if pos in aux else 0]
                     for pos, (c, i) in enumerate(node.inputs)]
    if node.subgraphs:
        out["subgraphs"] = [_subgraph_json(s) for s in node.subgraphs]
    return out


def _subgraph_json(symbol):
    """A subgraph as MXNet nests it in a node: without the top-level version attrs."""
    graph = json.loads(to_json(symbol))
    graph.pop("attrs", None)
    return graph


def _dump(graph):
    """MXNet's (dmlc JSONWriter) layout: objects with >1 key and int lists with >10 items
    span lines; entries end in ', '. Readers do not care, but diffs against MXNet's files stay
    small."""
    return _write(graph, 0)


def _write(value, depth):
    pad = "  " * (depth + 1)
    end = "  " * depth
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{json.dumps(k)}: {_write(v, depth + 1)}" for k, v in value.items()]
        if len(items) == 1:
            return "{" + items[0] + "}"
        return "{\n" + ", \n".join(pad + it for it in items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(v, int) for v in value) and len(value) > 10:
            return "[\n" + ", \n".join(pad + str(v) for v in value) + "\n" + end + "]"
        if all(isinstance(v, (int, str)) for v in value) or \
                all(isinstance(v, list) for v in value):
            return "[" + ", ".join(json.dumps(v) if not isinstance(v, list) else
                                   "[" + ", ".join(json.dumps(x) for x in v) + "]"
                                   for v in value) + "]"
        return "[\n" + ", \n".join(pad + _write(v, depth + 1) for v in value) + "\n" + end + "]"
    return json.dumps(value)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def from_json(text):
    """Symbol from MXNet JSON text."""
    try:
        graph = json.loads(text)
    except (TypeError, ValueError) as err:
        raise MXNetError(f"invalid symbol JSON: {err}") from err
    if not isinstance(graph, dict) or "nodes" not in graph:
        raise MXNetError("invalid symbol JSON: no 'nodes' list (is this a -symbol.json file?)")
    version = _version(graph)
    legacy_shapes = _MODE.np_shape and not _np_shape_file(graph)
    nodes = []
    for i, spec in enumerate(graph["nodes"]):
        nodes.append(_read_node(spec, i, nodes, version))
        if legacy_shapes and nodes[-1].is_variable and "__shape__" in nodes[-1].attrs:
            nodes[-1].attrs["__shape__"] = _np_shape_hint(nodes[-1].attrs["__shape__"])
    heads = graph.get("heads")
    if heads is None:
        raise MXNetError("invalid symbol JSON: no 'heads'")
    entries = []
    for head in heads:
        nid, idx = _entry(head, len(nodes), "heads")
        entries.append((nodes[nid], idx))
    return Symbol(entries)


def _np_shape_file(graph):
    value = (graph.get("attrs") or {}).get("is_np_shape")
    return bool(int(value[1] if isinstance(value, list) else value)) if value else False


def _np_shape_hint(text):
    """A legacy ``__shape__`` (0 = unknown dim, () = unknown) in NumPy-shape spelling, as
    MXNet rewrites it when loading a legacy file in NumPy-shape mode: '[-1,3]' / 'None'."""
    try:
        dims = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if not isinstance(dims, (list, tuple)):
        return text
    if not dims:
        return "None"
    return "[" + ",".join(str(-1 if int(d) == 0 else int(d)) for d in dims) + "]"


def _version(graph):
    attrs = graph.get("attrs") or {}
    value = attrs.get("mxnet_version")
    if value is None:
        return 800  # files without a version predate 0.9 (MXNet treats them as 0.8.0)
    version = value[1] if isinstance(value, list) else value
    version = int(version)
    if version > MXNET_VERSION and version < 20000:
        _log.info("symbol JSON written by a newer MXNet (%s)", version)
    return version


def _entry(raw, count, where):
    if not isinstance(raw, list) or len(raw) < 2:
        raise MXNetError(f"invalid symbol JSON: entry {raw!r} in {where} must be "
                         "[node_id, output_index(, version)]")
    nid, idx = int(raw[0]), int(raw[1])
    if not 0 <= nid < count:
        raise MXNetError(f"invalid symbol JSON: {where} refers to node {nid}, but only nodes "
                         f"0..{count - 1} come before it (dangling input)")
    return nid, idx


def _read_node(spec, position, nodes, version):
    name = spec.get("name", f"node{position}")
    attrs = {}
    for key in ("param", "attr", "attrs"):
        if isinstance(spec.get(key), dict):
            attrs.update({k: str(v) for k, v in spec[key].items()})
    if version < 10900:
        attrs = _hidden_keys(attrs)
    op_name = spec.get("op")
    if op_name is None:
        raise MXNetError(f"invalid symbol JSON: node {position} ({name!r}) has no 'op'")
    where = f"node {position} ({name!r})"
    raw = spec.get("inputs", [])
    inputs = [_entry(e, position, f"the inputs of {where}") for e in raw]
    inputs = [(nodes[nid], idx) for nid, idx in inputs]
    versions = {pos: e[2] for pos, e in enumerate(raw)
                if isinstance(e, list) and len(e) > 2 and isinstance(e[2], int) and e[2] > 0}
    if op_name == "null":
        return Node(None, name, attrs)
    op = REGISTRY.get(op_name)
    if op is None:
        raise MXNetError(f"symbol JSON {where}: {unknown_op_message(op_name)}")
    node = Node(op, name, attrs, inputs)
    hints = _pop_input_hints(node)
    if version < 905 and op.name in ("argmax", "argmin") and attrs.get("axis") == "-1":
        del node.attrs["axis"]
    node.parsed(strict=False)
    if version < 900:
        _add_missing_inputs(node)
    _apply_input_hints(node, hints)
    if spec.get("subgraphs"):
        node.subgraphs = [from_json(json.dumps(g)) for g in spec["subgraphs"]]
    _check_arity(node, where)
    if op.aux:
        record_writes(node, versions)
    return node


def _hidden_keys(attrs):
    out = {}
    for key, value in attrs.items():
        out[f"__{key}__" if key in HIDDEN_KEYS else key] = value
    return out


def _pop_input_hints(node):
    """Old files set an input's lr/wd multiplier on the op ("gamma_lr_mult"); take them off."""
    hints = []
    for key in list(node.attrs):
        for hint in ("lr_mult", "wd_mult"):
            for form in (f"_{hint}", f"_{hint}__"):
                if key.endswith(form) and not key.startswith("__"):
                    hints.append((key[: -len(form)], hint, node.attrs.pop(key)))
    return hints


def _apply_input_hints(node, hints):
    names = node.input_names() if not node.op.variadic else ()
    for input_name, hint, value in hints:
        for pos, (child, _) in enumerate(node.inputs):
            matches = (pos < len(names) and names[pos] == input_name) or \
                child.name.endswith("_" + input_name)
            if child.is_variable and matches:
                child.attrs[f"__{hint}__"] = value


def _add_missing_inputs(node):
    names = node.input_names() if not node.op.variadic else ()
    for input_name in names[len(node.inputs):]:
        node.inputs.append((Node(None, f"{node.name}_{input_name}", dict(node.attrs)), 0))


def _check_arity(node, where):
    if node.op.variadic:
        return
    want = node.input_names()
    if len(node.inputs) != len(want):
        raise MXNetError(f"symbol JSON {where}: operator {node.op.name} takes {len(want)} inputs "
                         f"{list(want)}, the file gives {len(node.inputs)}")


def load_json(json_str):
    """Symbol from a JSON string (``Symbol.tojson`` output or a -symbol.json file's text)."""
    return from_json(json_str)


def load(fname):
    """Symbol from a ``-symbol.json`` file."""
    try:
        with open(fname, "r") as f:
            text = f.read()
    except OSError as err:
        raise MXNetError(f"cannot read symbol file {fname!r}: {err}") from err
    return from_json(text)
