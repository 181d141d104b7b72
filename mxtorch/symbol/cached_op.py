"""``mx.nd.CachedOp``: a Symbol compiled once and called on NDArrays like an operator.

Inputs follow ``Symbol.list_inputs()`` (arguments and auxiliary states in graph order). Calls
inside ``autograd.record()`` are differentiated by torch through the compiled graph, and
auxiliary states (BatchNorm moving stats) are updated in place in training mode. This is the
execution engine a hybridized block will use.
"""
from .. import autograd
from ..base import MXNetError
from ..ndarray.ndarray import NDArray, _assign, _no_grad, _wrap
from .compiler import CompiledGraph
from .symbol import aux_variable_ids


class CachedOp:
    """Compile ``sym`` once; ``op(*inputs, out=None)`` runs it on NDArrays."""

    def __init__(self, sym, flags=()):
        self._symbol = sym
        self._flags = dict(flags)
        self._graph = CompiledGraph(sym)
        order = sym._order()
        aux = aux_variable_ids(order)
        inputs = [n for n in order if n.is_variable]
        self._input_names = [n.name for n in inputs]
        self._arg_pos = [i for i, n in enumerate(inputs) if id(n) not in aux]
        self._aux_pos = [i for i, n in enumerate(inputs) if id(n) in aux]
        self._num_outputs = len(sym._outputs)

    def __call__(self, *args, **kwargs):
        out = kwargs.pop("out", None)
        if kwargs:
            raise TypeError(f"CachedOp got unexpected keyword arguments {sorted(kwargs)}")
        if len(args) != len(self._input_names):
            raise MXNetError(f"CachedOp: {len(args)} inputs given, the symbol takes "
                             f"{len(self._input_names)}: {self._input_names}")
        for name, a in zip(self._input_names, args):
            if not isinstance(a, NDArray):
                raise TypeError(f"CachedOp: input {name!r} must be an NDArray, got "
                                f"{type(a).__name__}")
        tensors = [a._t for a in args]
        arg_t = [tensors[i] for i in self._arg_pos]
        aux_t = [tensors[i] for i in self._aux_pos]
        is_train = autograd.is_training()
        if autograd.is_recording():
            heads = self._graph(arg_t, aux_t, is_train)
            autograd.mark_recorded(heads)
        else:
            with _no_grad():
                heads = self._graph(arg_t, aux_t, is_train)
        ctx = args[0].context if args else None
        if out is not None:
            outs = out if isinstance(out, (list, tuple)) else [out]
            for o, h in zip(outs, heads):
                if not isinstance(o, NDArray) or o.shape != tuple(h.shape):
                    raise MXNetError(f"CachedOp: out= must be NDArrays of the output shapes "
                                     f"{[tuple(t.shape) for t in heads]}")
                _assign(o, h.to(o._t.dtype))
            return out
        results = [_wrap(h, ctx) for h in heads]
        return results[0] if self._num_outputs == 1 else results
