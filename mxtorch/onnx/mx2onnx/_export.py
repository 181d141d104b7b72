"""Walk an MXNet symbol graph and build an ONNX model from ``_op_translations.CONVERTERS``."""
import json
import logging
import os
import tempfile
from dataclasses import dataclass

import numpy as np

from ...base import MXNetError
from ...ops import get_op
from ._op_translations import CONVERTERS, OPSET

# loss heads whose label input is a training-only variable, not a model input
_LOSS_OPS = ("SoftmaxOutput", "LinearRegressionOutput", "LogisticRegressionOutput",
             "MAERegressionOutput", "SVMOutput")


def _onnx():
    try:
        import onnx
    except ImportError:
        raise MXNetError("mx.onnx needs the 'onnx' package: pip install onnx") from None
    return onnx


def get_operator_support(opset_version=None):
    """List the MXNet operators the exporter converts.

    Parameters
    ----------
    opset_version : int, optional
        Target ONNX opset. The converters emit opset 14 nodes, so versions below 14 support
        nothing; None means the exporter's opset.

    Returns
    -------
    list of str
        Sorted MXNet operator names.
    """
    if opset_version is not None and int(opset_version) < OPSET:
        return []
    return sorted(CONVERTERS)


@dataclass
class _Node:
    """One MXNet operator node as the converters see it."""
    op: str
    name: str
    attrs: dict
    inputs: list
    in_shapes: list
    in_dtypes: list
    out_shapes: list
    outputs: list


class _Graph:
    """ONNX nodes and initializers under construction, with unique names."""

    def __init__(self, onnx):
        self.onnx = onnx
        self.nodes, self.initializers = [], []
        self._used = set()

    def unique(self, hint):
        name, k = hint, 0
        while name in self._used:
            k += 1
            name = f"{hint}_{k}"
        self._used.add(name)
        return name

    def node(self, op_type, inputs, outputs=(), **attrs):
        """Add one ONNX node; returns its output name (fresh names when none are given)."""
        outputs = list(outputs) or [self.unique(f"{inputs[0]}_{op_type.lower()}")]
        for out in outputs:
            self._used.add(out)
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), outputs,
                                                     name=outputs[0], **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def const(self, value, dtype, hint):
        """Add an initializer holding ``value`` as ``dtype``; returns its name."""
        name = self.unique(hint)
        arr = np.asarray(value, dtype=np.dtype(dtype))
        self.initializers.append(self.onnx.numpy_helper.from_array(arr, name))
        return name

    def onnx_dtype(self, dtype):
        return self.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))

    @staticmethod
    def fail(n, message):
        raise MXNetError(f"mx.onnx.export_model: {n.op} node {n.name!r}: {message}")


def _load_symbol(sym):
    from ... import symbol
    if isinstance(sym, (str, os.PathLike)):
        return symbol.load(os.fspath(sym))
    if not isinstance(sym, symbol.Symbol):
        raise TypeError(f"mx.onnx.export_model: sym must be a Symbol or a -symbol.json path, "
                        f"got {type(sym).__name__}")
    return sym


def _load_params(params):
    from ... import ndarray as nd
    if isinstance(params, (str, os.PathLike)):
        params = nd.load(os.fspath(params))
    if not isinstance(params, dict):
        raise TypeError(f"mx.onnx.export_model: params must be a dict of name -> NDArray or a "
                        f".params path, got {type(params).__name__}")
    out = {}
    for key, value in params.items():
        name = key.split(":", 1)[1] if key.startswith(("arg:", "aux:")) else key
        out[name] = value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)
    return out


def _label_vars(nodes):
    """Variables used only as the label input of a loss head."""
    labels, other = set(), set()
    for node in nodes:
        for pos, (src, *_rest) in enumerate(node["inputs"]):
            if nodes[src]["op"] != "null":
                continue
            is_label = pos == 1 and node["op"] in _LOSS_OPS + ("Softmax",)
            (labels if is_label else other).add(nodes[src]["name"])
    return labels - other


def _shape_list(value):
    """A list of shapes; a single shape (a tuple of ints/None) is wrapped."""
    if value is None:
        return []
    value = list(value)
    if value and all(v is None or isinstance(v, (int, np.integer)) for v in value) and \
            any(isinstance(v, (int, np.integer)) for v in value):
        return [tuple(value)]
    return [None if s is None else tuple(s) for s in value]


def _input_specs(data_names, in_shapes, in_types, dynamic_shapes):
    shapes = _shape_list(in_shapes)
    types = list(in_types) if isinstance(in_types, (list, tuple)) else [in_types] * len(data_names)
    if len(shapes) != len(data_names) or len(types) != len(data_names) or None in shapes:
        raise ValueError(
            f"mx.onnx.export_model: the model has {len(data_names)} data input(s) "
            f"{data_names}; in_shapes must give one shape and in_types one dtype for each, got "
            f"in_shapes={in_shapes}, in_types={in_types}")
    declared = _shape_list(dynamic_shapes) if dynamic_shapes else shapes
    if len(declared) != len(data_names):
        raise ValueError(f"mx.onnx.export_model: dynamic_input_shapes needs one shape per data "
                         f"input {data_names}, got {dynamic_shapes}")
    return {name: (tuple(s), np.dtype(t), tuple(d))
            for name, s, t, d in zip(data_names, shapes, types, declared)}


def _infer(sym, specs, params):
    """Shape and dtype of every internal output, keyed by its internal output name."""
    internals = sym.get_internals()
    known = set(sym.list_inputs())
    shapes = {k: v[0] for k, v in specs.items()}
    shapes.update({k: v.shape for k, v in params.items() if k in known})
    dtypes = {k: v[1] for k, v in specs.items()}
    dtypes.update({k: v.dtype for k, v in params.items() if k in known})
    _, out_shapes, _ = internals.infer_shape_partial(**shapes)
    _, out_types, _ = internals.infer_type(**dtypes)
    names = internals.list_outputs()
    return dict(zip(names, out_shapes)), dict(zip(names, out_types))


def _check_supported(nodes):
    missing = sorted({n["op"] for n in nodes if n["op"] != "null"
                      and get_op(n["op"]).name not in CONVERTERS})
    if missing:
        raise MXNetError(
            f"mx.onnx.export_model: no ONNX converter for operator(s) {missing}; supported "
            f"operators: {', '.join(get_operator_support())}")


class _Converter:
    """Converts the JSON nodes of one symbol, in order."""

    def __init__(self, onnx, sym, params, specs):
        self.onnx, self.params, self.specs = onnx, params, specs
        self.nodes = json.loads(sym.tojson())["nodes"]
        self.heads = json.loads(sym.tojson())["heads"]
        _check_supported(self.nodes)
        self.shapes, self.dtypes = _infer(sym, specs, params)
        self.g = _Graph(onnx)
        self.entries = {}  # (node id, output index) -> (onnx name, shape, dtype)
        self.inputs = []

    def run(self):
        for nid, node in enumerate(self.nodes):
            if node["op"] == "null":
                self._variable(nid, node)
            else:
                self._operator(nid, node)
        return self._graph()

    def _variable(self, nid, node):
        name = node["name"]
        shape, dtype = self.shapes.get(name), self.dtypes.get(name)
        self.entries[(nid, 0)] = (name, shape, dtype)
        self.g._used.add(name)
        if name in self.params:
            arr = self.params[name]
            self.g.initializers.append(self.onnx.numpy_helper.from_array(arr, name))
        elif name in self.specs:
            _, dtype, declared = self.specs[name]
            self.inputs.append(self._value_info(name, dtype, declared))

    def _operator(self, nid, node):
        opdef = get_op(node["op"])
        attrs = opdef.parse_attrs(node.get("attrs", node.get("param", {})), strict=False)
        ins = [self.entries[(src, idx)] for src, idx, *_ in node["inputs"]]
        count = opdef.output_count(attrs)
        suffixes = opdef.output_name_list(attrs)[:count]
        keys = [f"{node['name']}_{s}" for s in suffixes]
        outs = [node["name"]] if count == 1 else [f"{node['name']}_output{k}"
                                                  for k in range(count)]
        n = _Node(opdef.name, node["name"], attrs, [e[0] for e in ins], [e[1] for e in ins],
                  [e[2] for e in ins], [self.shapes.get(k) for k in keys], outs)
        CONVERTERS[opdef.name](n, self.g)
        for k, (out, key) in enumerate(zip(outs, keys)):
            self.entries[(nid, k)] = (out, self.shapes.get(key), self.dtypes.get(key))

    def _value_info(self, name, dtype, shape):
        dims = None if shape is None else [d if d is not None and d > 0 else f"{name}_dim{i}"
                                           for i, d in enumerate(shape)]
        return self.onnx.helper.make_tensor_value_info(name, self.g.onnx_dtype(dtype), dims)

    def _graph(self):
        dynamic = any(s[0] != s[2] for s in self.specs.values())
        made = {out for node in self.g.nodes for out in node.output}
        made.update(self.specs, self.params)
        outputs, seen = [], set()
        for src, idx, *_ in self.heads:
            name, shape, dtype = self.entries[(src, idx)]
            if name not in made:
                raise MXNetError(f"mx.onnx.export_model: output {idx} of {self.nodes[src]['op']} "
                                 f"node {self.nodes[src]['name']!r} exists only in training; "
                                 f"export the first output (sym[0]) instead")
            if name in seen:
                continue
            seen.add(name)
            if dynamic and shape is not None:
                shape = [None] * len(shape)  # symbolic dims: they follow the inputs
            outputs.append(self._value_info(name, dtype, shape))
        return self.onnx.helper.make_graph(self.g.nodes, "mxtorch_graph", self.inputs, outputs,
                                           self.g.initializers)


def _write_atomic(onnx, model, path):
    """Write ``model`` to ``path`` through a temporary file in the same folder."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".onnx-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(model.SerializeToString())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def export_model(sym, params, in_shapes=None, in_types=np.float32,
                 onnx_file_path='model.onnx', verbose=False, dynamic=False,
                 dynamic_input_shapes=None, run_shape_inference=False, input_type=None,
                 input_shape=None):
    """Export an MXNet model to an ONNX file (opset 14).

    Parameters
    ----------
    sym : Symbol or str
        The model graph, or the path of its ``-symbol.json`` file.
    params : dict of str to NDArray, or str
        Parameters and auxiliary states (``arg:``/``aux:`` prefixes allowed), or the path of a
        ``.params`` file.
    in_shapes : list of tuple
        Shape of each data input (the graph inputs that are not parameters), in
        ``sym.list_inputs()`` order.
    in_types : numpy dtype or list of dtypes
        Data type of the data inputs.
    onnx_file_path : str
        Where to write the model (written through a temporary file, then renamed).
    verbose : bool
        Log the ONNX graph.
    dynamic : bool
        Declare the input shapes of ``dynamic_input_shapes`` (None dims become symbolic).
    dynamic_input_shapes : list of tuple
        Input shapes with None for the dims that may vary (``dynamic=True``).
    run_shape_inference : bool
        Run ONNX shape inference on the result.
    input_type, input_shape :
        Older names of ``in_types`` and ``in_shapes``.

    Returns
    -------
    str
        ``onnx_file_path``.
    """
    onnx = _onnx()
    in_types = in_types if input_type is None else input_type
    in_shapes = in_shapes if input_shape is None else input_shape
    sym, params = _load_symbol(sym), _load_params(params)
    nodes = json.loads(sym.tojson())["nodes"]
    labels = _label_vars(nodes)
    data_names = [n for n in sym.list_inputs() if n not in params and n not in labels]
    specs = _input_specs(data_names, in_shapes, in_types,
                         dynamic_input_shapes if dynamic else None)
    graph = _Converter(onnx, sym, params, specs).run()
    model = onnx.helper.make_model(graph, producer_name="mxtorch",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    if run_shape_inference:
        model = onnx.shape_inference.infer_shapes(model)
    if verbose:
        logging.info("mx.onnx.export_model:\n%s", onnx.helper.printable_graph(model.graph))
    _write_atomic(onnx, model, onnx_file_path)
    return onnx_file_path
