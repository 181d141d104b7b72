"""Deferred compute: turn one eager run of a 2.x ``forward`` into a Symbol.

While the block runs on its real inputs, the nd door reports every operator it applies
(``ndarray.ndarray.DEFERRED``); each result tensor is mapped to the graph entry that computes
it from the input variables and the parameters' variables. Hybridized children report their
whole graph, composed onto the entries of their inputs. Values that do not come from inputs,
parameters or recorded operators (``nd.array(...)`` made inside ``forward``) cannot be part of
a graph and raise an error naming the block.
"""
import copy
import threading

from ..base import MXNetError
from ..ops import get_op
from ..ndarray import ndarray as _nd
from ..ndarray.ndarray import NDArray
from ..symbol.symbol import Node, Symbol, attr_string, record_writes


class _Tracer:
    def __init__(self, block):
        self.block = block
        self.thread = threading.get_ident()  # ops of other threads (data loading) are not ours
        self.entries = {}   # id(tensor) -> Symbol with one output
        self.keep = []      # the traced tensors stay alive so their ids stay unique
        self.counts = {}

    def bind(self, tensor, sym):
        self.entries[id(tensor)] = sym
        self.keep.append(tensor)

    def entry(self, tensor, what):
        sym = self.entries.get(id(tensor))
        if sym is None:
            self.bind_params()  # parameters initialised during this run (deferred init)
            sym = self.entries.get(id(tensor))
        if sym is None:
            raise MXNetError(
                f"{self.block.name}: cannot hybridize forward(): {what} (shape "
                f"{tuple(tensor.shape)}) is neither an input, a parameter nor the result of an "
                "operator; create constants with operators on the inputs (e.g. "
                "mx.nd.zeros_like(x)) or pass them as inputs, or do not hybridize this block")
        return sym

    def bind_params(self):
        for p in self.block.collect_params().values():
            for arr in (p._data or ()):
                if id(arr._t) not in self.entries:
                    self.bind(arr._t, p.var())

    def __call__(self, op, inputs, attrs, result):
        if threading.get_ident() != self.thread:
            return
        if inputs and not any(id(t) in self.entries for t in inputs):
            return  # work on other values (initialisers, constants): not part of the graph
        names = op.input_names(attrs, len(inputs))
        args = [self.entry(t, f"input {n!r} of {op.name}") for t, n in zip(inputs, names)]
        node = self._node(op, attrs, args)
        results = [result] if not isinstance(result, (list, tuple)) else list(result)
        for i, t in enumerate(results):
            self.bind(t, Symbol([(node, i)]))

    def _node(self, op, attrs, args):
        text = {k: attr_string(op, k, v) for k, v in attrs.items() if v is not None}
        node = Node(op, self._name(op), text, [a._outputs[0] for a in args])
        node._parsed = op.parse_attrs(dict(attrs))  # fast paths pass only the scalar
        if op.aux:
            record_writes(node)
        return node

    def _apply(self, name, sym, **attrs):
        return Symbol([(self._node(get_op(name), attrs, [sym]), 0)])

    def rebind(self, target, value):
        """``x += y`` wrote ``value`` into ``target``: later reads of x see the new entry."""
        sym = self.entries.get(id(value))
        if sym is not None:
            self.bind(target, sym)

    def getitem(self, tensor, key, result):
        """Basic indexing ``x[key]`` as slice / squeeze / expand_dims nodes."""
        sym = self.entries.get(id(tensor))
        if sym is None:
            return
        key = key if isinstance(key, tuple) else (key,)
        if any(not (k is None or k is Ellipsis or isinstance(k, (int, slice))) or
               isinstance(k, bool) for k in key):
            raise MXNetError(f"{self.block.name}: cannot hybridize forward(): advanced index "
                             f"{key!r} is not recorded; use mx.nd.take / pick / gather_nd")
        ndim = tensor.dim()
        real = sum(1 for k in key if k is not None and k is not Ellipsis)
        begin, end, step, drop, add, axis, out_axis = [], [], [], [], [], 0, 0
        for k in key:
            if k is Ellipsis:
                for _ in range(ndim - real):
                    begin.append(None), end.append(None), step.append(None)
                    axis, out_axis = axis + 1, out_axis + 1
            elif k is None:
                add.append(out_axis)
                out_axis += 1
            elif isinstance(k, slice):
                begin.append(k.start), end.append(k.stop), step.append(k.step)
                axis, out_axis = axis + 1, out_axis + 1
            else:
                begin.append(k), end.append(k + 1 if k != -1 else None), step.append(None)
                drop.append(axis)
                axis += 1
        if any(b is not None or e is not None or s is not None
               for b, e, s in zip(begin, end, step)):
            sym = self._apply("slice", sym, begin=tuple(begin), end=tuple(end),
                              step=tuple(step))
        if drop and len(drop) == ndim:  # every axis fixed: the result shape is constant
            self.bind(result, self._apply("reshape", sym, shape=tuple(result.shape)))
            return
        if drop:
            sym = self._apply("squeeze", sym, axis=tuple(drop))
        for a in add:
            sym = self._apply("expand_dims", sym, axis=a)
        self.bind(result, sym)

    def _name(self, op):
        base = op.name.lower().lstrip("_")
        k = self.counts.get(base, 0)
        self.counts[base] = k + 1
        return f"{self.block.prefix}{base}{k}"

    def compose(self, graph_symbol, data_names, data, outputs):
        """A hybridized child ran ``graph_symbol`` on ``data``: map its outputs to the graph
        composed onto the entries of those inputs."""
        composed = copy.copy(graph_symbol)
        composed._compose(**{n: self.entry(a._t, f"input {n!r} of a child block")
                             for n, a in zip(data_names, data)})
        for i, out in enumerate(outputs):
            self.bind(out._t, composed[i])


def active():
    """The tracer recording now, or None."""
    return _nd.DEFERRED[0]


def record(block, args, flat, sym_inputs, in_format):
    """Run ``block.forward`` eagerly on ``args`` while recording; returns its output Symbols
    (same nesting as the outputs)."""
    from ._hybrid import _flatten, _regroup
    tracer = _Tracer(block)
    for a, s in zip(flat, sym_inputs):
        if a is not None:
            tracer.bind(a._t, s)
    tracer.bind_params()
    outer = _nd.DEFERRED[0]
    _nd.DEFERRED[0] = tracer
    try:
        out = block.forward(*_regroup(flat, in_format))
    finally:
        _nd.DEFERRED[0] = outer
    outs, fmt = _flatten(out, "output")
    syms = []
    for o in outs:
        if not isinstance(o, NDArray):
            raise MXNetError(f"{block.name}: forward() must return NDArrays (or nested lists "
                             f"of them) to be hybridized, got {type(o).__name__}")
        syms.append(tracer.entry(o._t, "an output of forward()"))
    return _regroup(syms, fmt)


__all__ = ["record", "active"]
