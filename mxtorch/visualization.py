"""``mx.viz``: a layer table of a Symbol (``print_summary``) and a graphviz drawing
(``plot_network``)."""
import copy  # noqa: F401 - part of MXNet's module namespace
import json  # noqa: F401
import math
import re  # noqa: F401
import warnings  # noqa: F401

from .base import MXNetError
from .symbol.symbol import Symbol  # noqa: F401 - part of MXNet's module namespace

__all__ = ["print_summary", "plot_network", "Symbol", "copy", "json", "re", "warnings"]


def _graph(symbol):
    order = symbol._order()
    from .symbol.symbol import aux_variable_ids
    return order, aux_variable_ids(order)


def _shapes(symbol, shape):
    """{(id(node), output): shape} when input shapes are given, else {}."""
    if not shape:
        return {}
    from ._mode import STATE
    from .symbol._infer import analyse, internal_to_user
    graph, _, _ = analyse(symbol, shapes={k: tuple(v) for k, v in shape.items()})
    return {k: internal_to_user(s, STATE.np_shape) for k, s in graph.shape.items()}


def print_summary(symbol, shape=None, line_length=120, positions=(.44, .64, .74, 1.)):
    """Print each layer's type, output shape (without the batch axis), parameter count and
    inputs, as MXNet's ``print_summary`` does.

    Parameters
    ----------
    symbol : Symbol
        The network.
    shape : dict of str to tuple, optional
        Input shapes; without them shapes and most parameter counts stay empty.
    line_length : int
        Width of the table.
    positions : list of float
        Relative column boundaries.
    """
    from .symbol import Symbol
    if not isinstance(symbol, Symbol):
        raise TypeError("print_summary expects a Symbol")
    order, aux = _graph(symbol)
    shapes = _shapes(symbol, shape)
    given = set(shape or {})
    cols = [int(line_length * p) if p <= 1 else int(p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #", "Previous Layer"]
    print("_" * line_length)
    _row(headers, cols)
    print("=" * line_length)
    # NOTE: like MXNet, only the graph's first node may be a variable row; weights and other
    # free inputs are folded into the layers that use them.
    shown = {id(n) for i, n in enumerate(order) if not n.is_variable or i == 0}
    total = 0
    rows = [n for n in order if id(n) in shown]
    for k, node in enumerate(rows):
        params = _param_count(node, shapes, aux, given)
        total += params
        out_shape = shapes.get((id(node), 0))
        shown_shape = "x".join(str(d) for d in out_shape[1:]) if out_shape else ""
        previous = [c.name for c, _ in node.inputs if id(c) in shown]
        kind = "null" if node.is_variable else node.op.name
        fields = [f"{node.name}({kind})", shown_shape, str(params), previous[0] if previous else ""]
        _row(fields, cols)
        for extra in previous[1:]:
            _row(["", "", "", extra], cols)
        print(("=" if k == len(rows) - 1 else "_") * line_length)
    print(f"Total params: {total}")
    print("_" * line_length)


def _row(fields, cols):
    line = ""
    for field, stop in zip(fields, cols):
        line += str(field)
        line = line[:stop]
        line += " " * (stop - len(line))
    print(line)


def _param_count(node, shapes, aux, given):
    """Sizes of the learnable variables a layer consumes (not its data input, not aux, not
    a loss layer's label)."""
    if node.is_variable:
        return 0
    count = 0
    names = () if node.op.variadic else node.input_names()
    for pos, (child, _) in enumerate(node.inputs):
        if pos == 0 or not child.is_variable or id(child) in aux or child.name in given:
            continue
        if pos < len(names) and names[pos] == "label":
            continue
        s = shapes.get((id(child), 0))
        if s:
            count += math.prod(s)
    return count


def plot_network(symbol, title="plot", save_format="pdf", shape=None, dtype=None, node_attrs={},
                 hide_weights=True):  # noqa: B006 - MXNet's signature
    """A ``graphviz.Digraph`` of the network (needs the ``graphviz`` Python package), drawn as
    MXNet draws it: one node per layer named after it, inputs as ovals, edges from a layer to
    its inputs.

    Parameters
    ----------
    symbol : Symbol
    title : str
    save_format : str
    shape : dict of str to tuple, optional
        Input shapes; the edges are then labelled with the shapes flowing along them.
    dtype : dict, optional
        Accepted for MXNet compatibility.
    node_attrs : dict
        Graphviz attributes for every node.
    hide_weights : bool, default True
        Weight-like inputs (``_weight``, ``_bias``, ``_gamma``, ``_beta``, moving/running
        statistics) are never drawn as nodes; with ``hide_weights`` their edges go too.
    """
    try:
        from graphviz import Digraph
    except ImportError as err:
        raise MXNetError("plot_network needs the graphviz package: pip install graphviz "
                         "(rendering also needs the 'dot' program)") from err
    order, _ = _graph(symbol)
    shapes = _shapes(symbol, shape)
    graph = Digraph(name=title, format=save_format)
    style = {"shape": "box", "fixedsize": "true", "width": "1.3", "height": "0.8034",
             "style": "filled"}
    style.update(node_attrs)
    hidden = set()
    for node in order:
        if node.is_variable:
            if _is_weight(node):
                if hide_weights:
                    hidden.add(id(node))
                continue
            graph.node(node.name, label=node.name, **dict(style, shape="oval",
                                                          fillcolor=_COLOURS["null"]))
            continue
        graph.node(node.name, label=_label(node), **dict(style, fillcolor=_colour(node)))
    for node in order:
        if node.is_variable:
            continue
        for child, out in node.inputs:
            if id(child) in hidden:
                continue
            label = shapes.get((id(child), out))
            graph.edge(node.name, child.name,
                       label="x".join(str(d) for d in label[1:]) if label else "",
                       arrowtail="open", dir="back")
    return graph


def _is_weight(node):
    suffixes = ("_weight", "_bias", "_gamma", "_beta", "_moving_mean", "_moving_var",
                "_running_mean", "_running_var")
    return node.name.endswith(suffixes)


def _dims(value, default):
    """``(3, 3)`` (an attribute string or tuple) as ``3x3``."""
    if value is None:
        return default
    text = str(value).strip("()[] ")
    return "x".join(p.strip() for p in text.split(",") if p.strip())


def _label(node):
    attrs = node.attrs
    name = node.op.name
    if name == "Convolution":
        return f"Convolution\n{_dims(attrs.get('kernel'), '')}/" \
               f"{_dims(attrs.get('stride'), '1')}, {attrs.get('num_filter', '')}"
    if name == "FullyConnected":
        return f"FullyConnected\n{attrs.get('num_hidden', '')}"
    if name in ("Activation", "LeakyReLU"):
        default = "leaky" if name == "LeakyReLU" else ""
        return f"{name}\n{attrs.get('act_type', default)}"
    if name == "Pooling":
        return f"Pooling\n{attrs.get('pool_type', 'max')}, {_dims(attrs.get('kernel'), '[]')}/" \
               f"{_dims(attrs.get('stride'), '1')}"
    if name == "Custom":
        return str(attrs.get("op_type", node.name))
    return node.name


_COLOURS = {"null": "#8dd3c7", "Convolution": "#fb8072", "FullyConnected": "#fb8072",
            "BatchNorm": "#bebada", "Activation": "#ffffb3", "LeakyReLU": "#ffffb3",
            "Pooling": "#80b1d3", "Concat": "#fdb462", "Flatten": "#fdb462",
            "Reshape": "#fdb462", "Softmax": "#b3de69"}


def _colour(node):
    return _COLOURS.get(node.op.name, "#fccde5")
