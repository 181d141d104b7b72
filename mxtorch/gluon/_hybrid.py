"""HybridBlock: a Block that runs eagerly or, once hybridized, as one compiled graph.

A 1.x subclass defines ``hybrid_forward(self, F, x, *args, **params)``: eagerly ``F`` is
``mx.nd``; hybridized, the block is traced once by calling ``hybrid_forward`` with ``F=mx.sym``
on variables named ``data`` (one input) or ``data0, data1, ...`` and the parameters' variables.
A 2.x subclass defines ``forward(self, x, ...)`` over arrays; hybridized, its operators are
recorded while it runs once (deferred compute, see ``_trace``). Either way the Symbol goes
through the graph compiler and is cached per input signature (structure, shapes, dtypes,
context). Autograd flows through the compiled graph to the parameters' gradient buffers.
"""
import warnings

from .. import autograd, ndarray, symbol
from ..base import MXNetError
from ..ndarray import ndarray as _nd
from ..ndarray.ndarray import NDArray, _wrap
from ..ops._monitor_names import monitor_input_names, monitor_output_names
from ..symbol import Symbol
from ..symbol import compiler
from ..util import is_np_array
from .block import Block
from .parameter import DeferredInitializationError, Parameter
from .utils import UsageError

__all__ = ["HybridBlock"]


# ---- nested inputs and outputs ------------------------------------------------------------

def _flatten(args, what):
    """``(flat list, format)``: format 0 = one array, -1 = None, n > 1 = a symbol group of n
    outputs, a list = a nested list/tuple (MXNet's encoding)."""
    if isinstance(args, NDArray):
        return [args], 0
    if isinstance(args, Symbol):
        n = len(args.list_outputs())
        return [args], n if n > 1 else 0
    if args is None:
        return [None], -1
    if not isinstance(args, (list, tuple)):
        raise ValueError(f"When hybridized, the {what} of a HybridBlock must be (nested) "
                         f"lists of Symbol or NDArray, got {type(args).__name__}: {args!r}")
    flat, fmt = [], []
    for a in args:
        f, m = _flatten(a, what)
        flat.extend(f)
        fmt.append(m)
    return flat, fmt


def _regroup(flat, fmt):
    """Inverse of ``_flatten``."""
    def take(items, f):
        if isinstance(f, int):
            if f == 0:
                return items[0], items[1:]
            if f == -1:
                if items[0] is not None:
                    raise ValueError("a HybridBlock hybridized with None at this input "
                                     f"position received {type(items[0]).__name__}; call "
                                     "hybridize() again to re-trace with the new structure")
                return None, items[1:]
            if f < -1:
                raise ValueError(f"unsupported nested-format code {f}")
            return items[:f], items[f:]
        out = []
        for sub in f:
            value, items = take(items, sub)
            out.append(value)
        return out, items
    return take(list(flat), fmt)[0]


def _formats_compatible(stored, given):
    """MXNet accepts trailing None inputs that were (or now are) left at their defaults."""
    if stored == given:
        return True
    if not isinstance(stored, list) or not isinstance(given, list):
        return False
    short, long_ = (given, stored) if len(given) < len(stored) else (stored, given)
    return long_[:len(short)] == short and all(f == -1 for f in long_[len(short):])


def _leaves(args):
    """The non-list leaves of nested lists/tuples, in order."""
    for a in args:
        if isinstance(a, (list, tuple)):
            yield from _leaves(a)
        else:
            yield a


def _inspect_inputs(args):
    """(has_symbol, has_ndarray, contexts in order of appearance) of nested inputs."""
    if len(args) == 1 and type(args[0]) is NDArray:  # one array: most layer calls
        return False, True, [args[0]._ctx]
    if all(type(a) is NDArray for a in args):  # the common case: flat arrays
        ctx = args[0]._ctx
        if all(a._ctx == ctx for a in args):
            return False, True, [ctx]
    has_sym = has_nd = False
    contexts = []
    for a in _leaves(args):  # other leaves (bools, ints...) reach hybrid_forward unchanged
        if isinstance(a, Symbol):
            has_sym = True
        elif isinstance(a, NDArray):
            has_nd = True
            if a.context not in contexts:
                contexts.append(a.context)
    return has_sym, has_nd, contexts


def _first_context(args):
    flat, _ = _flatten(list(args), "input")
    return next(a for a in flat if a is not None).context


def _check_input_kinds(block, has_sym, has_nd):
    if has_sym and has_nd:
        raise ValueError(f"{block.name}: HybridBlock inputs must be all NDArrays or all "
                         "Symbols, got a mix; convert the Symbols or call the block separately")
    if not has_sym and not has_nd:
        raise ValueError(f"{block.name}: a HybridBlock needs at least one NDArray or Symbol "
                         "input")


def _check_one_context(block, contexts):
    if len(contexts) > 1:
        raise ValueError(f"{block.name}: a hybridized HybridBlock runs on one context, but its "
                         f"inputs are on {contexts}; move them with x.as_in_context(ctx)")


# MXNet's subgraph (partitioning) backends: accepted, the graph compiler runs the graph as is.
_MXNET_BACKENDS = frozenset(("MKLDNN", "MKLDNN_QUANTIZE", "ONEDNN", "ONEDNN_QUANTIZE",
                             "TENSORRT", "DEFAULT"))


# ---- the cached graph ---------------------------------------------------------------------

class _Cache:
    """The traced Symbol of a block, how its inputs map to data and parameters, and one
    compiled graph per input signature."""

    def __init__(self, block, data_syms, out_sym, params):
        self.symbol = out_sym
        self.data_names = [s.name for s in data_syms]
        position = {n: i for i, n in enumerate(self.data_names)}
        graph = compiler.CompiledGraph(out_sym)
        self.arg_names, self.aux_names = graph.arg_names, graph.aux_names
        unknown = [n for n in self.arg_names + self.aux_names
                   if n not in position and n not in params]
        if unknown:
            raise UsageError(f"{block.name}: the traced graph reads {unknown}, which are "
                             "neither inputs nor parameters of the block; create them with "
                             "self.params.get(...) (1.x) or as Parameter attributes")
        # (is_data, data index or Parameter) per graph argument / auxiliary state
        self.args = [(True, position[n]) if n in position else (False, params[n])
                     for n in self.arg_names]
        self.aux = [(True, position[n]) if n in position else (False, params[n])
                    for n in self.aux_names]
        self.params = [p for _, p in self.args + self.aux if not isinstance(p, int)]
        self.graphs = {(): graph}
        self.needs_shapes = _has_unknown_creation_shapes(graph)
        self.hits = 0
        self.misses = 0
        self.callback = None
        self.monitor_all = False
        self.backend = None

    def use_backend(self, backend, options):
        """Hand the compiled graphs to ``torch.compile(backend=...)``; MXNet's own partitioning
        backends (``MKLDNN``, ``ONEDNN``, ``TensorRT``...) leave the graph as it is."""
        self.backend = None
        if backend and backend.upper() not in _MXNET_BACKENDS:
            compiler.check_compile_backend(backend)
            self.backend = (backend, dict(options or {}))

    def graph_for(self, data):
        """The compiled graph for these input arrays (compiled on the first call with their
        shapes/dtypes/context)."""
        key = tuple((a.shape, a._t.dtype, a._ctx) for a in data if a is not None)
        graph = self.graphs.get(key)
        if graph is not None:
            self.hits += 1
            return graph
        self.misses += 1
        if not self.needs_shapes:
            graph = self.graphs[()]
        else:
            graph = compiler.CompiledGraph(self.symbol, self._entry_shapes(data))
        if self.backend is not None:
            graph = compiler.compiled_with(graph, *self.backend)
        self.graphs[key] = graph
        return graph

    def _entry_shapes(self, data):
        from ..symbol._infer import analyse
        shapes = {n: a.shape for n, a in zip(self.data_names, data)}
        for name, (is_data, p) in zip(self.arg_names + self.aux_names, self.args + self.aux):
            if not is_data:
                shapes[name] = p.shape
        graph, _, _ = analyse(self.symbol, shapes=shapes)
        return graph.shape

    def run(self, data, ctx):
        """Run on flat input arrays (None already removed); returns NDArrays."""
        graph = self.graph_for(data)
        args = [data[i]._t if is_data else i.data(ctx)._t for is_data, i in self.args]
        aux = [data[i]._t if is_data else i.data(ctx)._t for is_data, i in self.aux]
        recording = autograd.is_recording()
        monitor = self._monitor(graph, args, aux, ctx) if self.callback is not None else None
        heads = compiler.run(graph, args, aux, autograd.is_training(), recording, monitor)
        if recording:
            autograd.mark_recorded(heads)
        out = [_wrap(h, ctx) for h in heads]
        cls = type(data[0]) if data else NDArray
        if cls is not NDArray:  # mx.np arrays in, mx.np arrays out
            for o in out:
                o.__class__ = cls
        return out

    def _monitor(self, graph, args, aux, ctx):
        callback, monitor_all = self.callback, self.monitor_all
        seen = dict(zip(graph.arg_slots, args))
        seen.update(zip(graph.aux_slots, aux))

        def hook(step, outputs, inputs=None):
            if monitor_all:
                names = monitor_input_names(step.op, step.attrs, len(step.inputs))
                for name, s in zip(names, step.inputs):
                    value = seen.get(s)
                    if value is not None:
                        callback(f"{step.name}_{name}", step.op.name, _wrap(value.detach(), ctx))
                seen.update(zip(step.outputs, outputs))
            for name, t in zip(monitor_output_names(step.op, step.attrs), outputs):
                callback(f"{step.name}_{name}", step.op.name, _wrap(t.detach(), ctx))
        return hook


def _has_unknown_creation_shapes(graph):
    for step in graph.steps:
        shape = step.attrs.get("shape")
        if isinstance(shape, tuple) and 0 in shape and not step.inputs:
            return True
    return False


# ---- HybridBlock ----------------------------------------------------------------------------

def _np_mode_symbol(sym):
    """``sym`` with NumPy semantics under ``npx.set_np()`` (what hybrid_forward then traces)."""
    return sym.as_np_ndarray() if is_np_array() else sym


def _np_mode_outputs(out):
    """A child block's traced outputs as ``_Symbol``s under ``npx.set_np()`` (MXNet 1.9.1's
    layers use ``F.npx`` ops there, so ``self.dense(x)[0, 1:]`` indexes with NumPy rules)."""
    if not is_np_array():
        return out
    if type(out) is symbol.Symbol:
        return out.as_np_ndarray()
    if isinstance(out, (list, tuple)):
        return type(out)(_np_mode_outputs(o) for o in out)
    return out


class HybridBlock(Block):
    """A Block that can be hybridized into one compiled graph.

    Parameters
    ----------
    prefix : str, optional
        Prefix of this block's parameter and child names.
    params : ParameterDict, optional
        Parameters to share with this block.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._cached_graph = ()
        self._cached_op = None
        self._cached_op_args = []
        self._in_format = None
        self._out_format = None
        self._active = False
        self._flags = []
        self._backend = None
        self._backend_opts = {}
        self._callback = None
        self._monitor_all = False

    # ---- structure --------------------------------------------------------------------------
    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError(
                f"Children of HybridBlock must also be HybridBlock, but {block} has type "
                f"{type(block)}. If you are using Sequential, please try HybridSequential "
                "instead.")
        super().register_child(block, name)
        self._clear_cached_op()

    def _clear_cached_op(self):
        self._cached_graph = ()
        self._cached_op = None
        self._cached_op_args = []

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    # ---- hybridize --------------------------------------------------------------------------
    def hybridize(self, active=True, backend=None, clear=True, static_alloc=False,
                  static_shape=False, inline_limit=2, forward_bulk_size=None,
                  backward_bulk_size=None, partition_if_dynamic=False, **kwargs):
        """Activate or deactivate compiled execution for this block and its children.

        Parameters
        ----------
        active : bool, default True
            Whether to run as a compiled graph.
        backend : str, optional
            Graph backend; ``None`` (the graph compiler) or a ``torch.compile`` backend name
            such as ``'inductor'``.
        clear : bool, default True
            Drop graphs traced before.
        static_alloc, static_shape : bool, default False
            Accepted for compatibility (the compiled graph always reuses its plan).
        inline_limit, forward_bulk_size, backward_bulk_size : int, optional
            Accepted for compatibility.
        partition_if_dynamic : bool, default False
            Accepted for compatibility (2.x).
        **kwargs
            Backend options.
        """
        if kwargs:
            self._backend_opts = kwargs
        self._backend = backend
        self._active = bool(active)
        self._flags = [("static_alloc", static_alloc), ("static_shape", static_shape),
                       ("inline_limit", inline_limit)]
        if forward_bulk_size is not None:
            self._flags.append(("forward_bulk_size", forward_bulk_size))
        if backward_bulk_size is not None:
            self._flags.append(("backward_bulk_size", backward_bulk_size))
        if clear:
            self._clear_cached_op()
        if active and (self._forward_hooks or self._forward_pre_hooks):
            warnings.warn(f'"{self}" is being hybridized while still having forward '
                          f'hook/pre-hook. If "{self}" is a child of HybridBlock, the hooks '
                          "will not take effect.")
        for child in self._children.values():
            child.hybridize(active, backend=backend, clear=clear, static_alloc=static_alloc,
                            static_shape=static_shape, inline_limit=inline_limit,
                            forward_bulk_size=forward_bulk_size,
                            backward_bulk_size=backward_bulk_size, **kwargs)

    def optimize_for(self, x, *args, backend=None, clear=False, static_alloc=False,
                     static_shape=False, inline_limit=2, forward_bulk_size=None,
                     backward_bulk_size=None, **kwargs):
        """Hybridize for ``backend`` and build the graph for these inputs without running it.

        mxtorch does no graph partitioning: ``backend`` is a ``torch.compile`` backend name
        (``'inductor'``, ``'eager'``, ...) applied to the compiled graph, or a name MXNet
        partitions with, which is accepted and leaves the graph unchanged.
        """
        if not backend:
            raise ValueError('Must specify "backend" to optimize_for')
        self.hybridize(True, backend, clear, static_alloc, static_shape, inline_limit,
                       forward_bulk_size, backward_bulk_size, **kwargs)
        has_sym, has_nd, contexts = _inspect_inputs((x,) + args)
        _check_input_kinds(self, has_sym, has_nd)
        _check_one_context(self, contexts)
        self._build_cache(x, *args)

    # ---- tracing ----------------------------------------------------------------------------
    @classmethod
    def _is_v2(cls):
        """True for 2.x-style blocks that override ``forward`` instead of ``hybrid_forward``."""
        return (cls.forward is not HybridBlock.forward
                and cls.hybrid_forward is HybridBlock.hybrid_forward)

    def _get_graph(self, *args):
        if not self._cached_graph:
            flat, self._in_format = _flatten(args, "input")
            real = [a for a in flat if a is not None]
            if not real:
                raise ValueError(f"{self.name}: all inputs are None; a HybridBlock needs at "
                                 f"least one array input, got {args!r}")
            names = ["data"] if len(real) == 1 else [f"data{i}" for i in range(len(real))]
            data_syms = [_np_mode_symbol(symbol.var(n)) for n in names]
            it = iter(data_syms)
            sym_inputs = [None if a is None else next(it) for a in flat]
            if self._is_v2():
                from ._trace import record
                out = record(self, args, flat, sym_inputs, self._in_format)
            else:
                grouped = _regroup(sym_inputs, self._in_format)
                params = {k: _np_mode_symbol(p.var()) for k, p in self._reg_params.items()}
                with self.name_scope():
                    out = self.hybrid_forward(symbol, *grouped, **params)
            out, self._out_format = _flatten(out, "output")
            self._cached_graph = data_syms, symbol.Group(out)
        return self._cached_graph

    def _build_cache(self, *args):
        data_syms, out = self._get_graph(*args)
        params = {p.name: p for p in self.collect_params().values()}
        used = set(out.list_inputs())
        for i, s in enumerate(data_syms):
            if s.name not in used:
                warnings.warn(f"The {i}-th input to HybridBlock is not used by any "
                              "computation. Is this intended?", stacklevel=4)
        unused = [n for n in params if n not in used]
        if unused:
            warnings.warn(f"Parameter {', '.join(unused)} is not used by any computation. "
                          "Is this intended?", stacklevel=4)
        cache = _Cache(self, data_syms, out, params)
        flat = [a for a in _flatten(args, "input")[0] if a is not None]
        self._finish_init(cache.params, flat)
        cache.callback, cache.monitor_all = self._callback, self._monitor_all
        self._cached_op = cache
        self._cached_op_args = [(d, p) for d, p in cache.args + cache.aux]
        cache.use_backend(self._backend, self._backend_opts)

    def _finish_init(self, params, flat):
        """Finish deferred initialisation, inferring unknown shapes from the inputs."""
        pending = [p for p in params if p._deferred_init]
        if not pending:
            return
        # unknown dims are 0, or -1 under NumPy shape semantics
        if any(not p.shape or min(p.shape) <= 0 for p in pending):
            self._deferred_infer_shape(*flat)
        for p in pending:
            p._finish_deferred_init()

    def _deferred_infer_shape(self, *args):
        try:
            self.infer_shape(*args)
        except DeferredInitializationError:
            raise
        except Exception as err:  # noqa: BLE001 - re-raised naming the block and inputs
            flat = [a for a in _flatten(list(args), "input")[0] if a is not None]
            shapes = ", ".join(str(getattr(a, "shape", a)) for a in flat)
            text = str(err)
            where = "" if text.startswith(self.name + ":") else \
                f"Block '{self.name}' ({type(self).__name__}) with inputs of shapes {shapes}: "
            raise ValueError(f"Deferred initialization failed because shape cannot be "
                             f"inferred. {where}{text}") from err

    # ---- running -----------------------------------------------------------------------------
    def _call_cached_op(self, *args):
        if self._cached_op is None:
            with _first_context(args):  # arrays made while building land on the inputs' one
                self._build_cache(*args)
        if all(type(a) is NDArray for a in args):  # flat arrays: no nesting to encode
            flat, fmt = args, [0] * len(args)
        else:
            flat, fmt = _flatten(args, "input")
        if fmt != self._in_format and not _formats_compatible(self._in_format, fmt):
            raise ValueError("The argument structure of HybridBlock does not match the cached "
                             f"version. Stored format = {self._in_format}, input format = "
                             f"{fmt}; call hybridize() again to trace the new structure")
        data = [a for a in flat if a is not None]
        ctx = data[0]._ctx
        cache = self._cached_op
        if cache.callback is not self._callback:
            cache.callback, cache.monitor_all = self._callback, self._monitor_all
        try:
            out = cache.run(data, ctx)
        except DeferredInitializationError:
            self._finish_init(cache.params, data)
            out = cache.run(data, ctx)
        except MXNetError as err:
            raise _in_block(self, err, data) from None
        if _nd.DEFERRED[0] is not None:  # a 2.x parent is being traced: report our graph
            _nd.DEFERRED[0].compose(cache.symbol, cache.data_names, data, out)
        return _regroup(out, self._out_format)

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and type(args[0]) is NDArray and \
                _direct_call(type(self)) and not self._forward_pre_hooks and \
                not self._forward_hooks:  # the common layer call: one array, no hooks
            return self._call_one(args[0])
        if not self._is_v2():
            return super().__call__(*args, **kwargs)
        try:
            return self._call_v2(args, kwargs)
        except DeferredInitializationError:
            # 2.x: a layer with unknown parameter shapes defines infer_shape(*args)
            self._clear_cached_op()
            self.infer_shape(*args)
            for p in self.collect_params().values():
                p._finish_deferred_init()
            return self._call_v2(args, kwargs)

    def _call_v2(self, args, kwargs):
        if self._active and not kwargs:
            has_sym, has_nd, contexts = _inspect_inputs(args)
            if has_nd and not has_sym:
                _check_one_context(self, contexts)
                return self._run_with_hooks(args)
        return super().__call__(*args, **kwargs)

    def _run_with_hooks(self, args):
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self._call_cached_op(*args)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def _call_one(self, x):
        """``forward(x)`` for one plain NDArray (what ``forward`` does, without its checks)."""
        if self._active:
            return self._call_cached_op(x)
        ctx = x._ctx
        try:
            params = {k: p.data(ctx) for k, p in self._reg_params.items()}
        except DeferredInitializationError:
            return self.forward(x)
        with ctx:
            return self.hybrid_forward(ndarray, x, **params)

    def forward(self, x, *args):
        """Run the block on NDArrays (eagerly, or compiled when hybridized) or compose it on
        Symbols."""
        has_sym, has_nd, contexts = _inspect_inputs((x,) + args)
        _check_input_kinds(self, has_sym, has_nd)
        if not has_nd:
            params = {k: _np_mode_symbol(p.var()) for k, p in self._reg_params.items()}
            with self.name_scope():
                return _np_mode_outputs(self.hybrid_forward(symbol, x, *args, **params))
        ctx = contexts[0]
        if self._active:
            _check_one_context(self, contexts)
            return self._call_cached_op(x, *args)
        with ctx:
            try:
                params = {k: p.data(ctx) for k, p in self._reg_params.items()}
            except DeferredInitializationError:
                self._deferred_infer_shape(x, *args)
                for p in self.params.values():
                    p._finish_deferred_init()
                params = {k: p.data(ctx) for k, p in self._reg_params.items()}
            return self.hybrid_forward(ndarray, x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Define the computation with ``F`` (``mx.nd`` eagerly, ``mx.sym`` when traced).

        Parameters
        ----------
        x : Symbol or NDArray
            The first input.
        *args : Symbol or NDArray
            More inputs.
        **kwargs : Symbol or NDArray
            The block's parameters, by their registered names.
        """
        raise NotImplementedError

    # ---- inference of parameter attributes ---------------------------------------------------
    def _infer_attrs(self, infer_fn, attr, *args):
        data_syms, out = self._get_graph(*args)
        flat = [a for a in _flatten(args, "input")[0] if a is not None]
        given = {s.name: getattr(a, attr) for s, a in zip(data_syms, flat)}
        arg_vals, _, aux_vals = getattr(out, infer_fn + "_partial")(**given)
        found = dict(zip(out.list_arguments(), arg_vals))
        found.update(zip(out.list_auxiliary_states(), aux_vals))
        problems = []
        for p in self.collect_params().values():
            value = found.get(p.name)
            if value is None or (attr == "shape" and (not value or 0 in value)):
                if p.name in found:
                    problems.append((p, value))
                continue
            setattr(p, attr, value)
        if problems:
            raise MXNetError(_inference_failure(self, attr, problems, given))

    def infer_shape(self, *args):
        """Infer the shapes of the parameters from the input arrays' shapes."""
        self._infer_attrs("infer_shape", "shape", *args)

    def infer_type(self, *args):
        """Infer the dtypes of the parameters from the input arrays' dtypes."""
        self._infer_attrs("infer_type", "dtype", *args)

    # ---- export and hooks ---------------------------------------------------------------------
    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` (``arg:``/``aux:`` names) that
        ``SymbolBlock.imports``, ``mx.mod.Module`` and MXNet itself load.

        Parameters
        ----------
        path : str or None
            Path prefix of the two files; None (2.x) writes nothing and returns the Symbol and
            the dict of ``arg:``/``aux:`` arrays instead.
        epoch : int, default 0
            Epoch number in the params file name.
        remove_amp_cast : bool, default True
            Drop AMP cast nodes from the saved graph.

        Returns
        -------
        (symbol_filename, params_filename), or (Symbol, dict) when ``path`` is None (2.x).
        """
        if not self._cached_graph:
            raise RuntimeError("Please first call block.hybridize() and then run forward with "
                               "this block at least once before calling export.")
        sym = self._cached_graph[1]
        arg_names = set(sym.list_arguments())
        aux_names = set(sym.list_auxiliary_states())
        params = self._cached_op.params if self._cached_op is not None else \
            list(self.collect_params().values())
        arrays = {}
        for p in params:
            if p.name in arg_names:
                arrays[f"arg:{p.name}"] = p._reduce()
            elif p.name in aux_names:
                arrays[f"aux:{p.name}"] = p._reduce()
            else:
                warnings.warn(f'Parameter "{p.name}" is not found in the graph. ', stacklevel=2)
        if path is None:
            return sym, arrays
        files = (f"{path}-symbol.json", f"{path}-{epoch:04d}.params")
        sym.save(files[0], remove_amp_cast=remove_amp_cast)
        ndarray.save(files[1], arrays)
        return files

    def register_op_hook(self, callback, monitor_all=False):
        """Call ``callback(name, op_name, array)`` with each operator's outputs (and inputs,
        with ``monitor_all``) whenever the hybridized graph runs.

        Parameters
        ----------
        callback : function
            Receives the entry name (``<node>_<output or input name>``), the operator name and
            an NDArray.
        monitor_all : bool, default False
            Also report every operator's inputs.
        """
        self._callback = callback
        self._monitor_all = monitor_all
        for child in self._children.values():
            if isinstance(child, HybridBlock):
                child.register_op_hook(callback, monitor_all)


_DIRECT = {}


def _direct_call(cls):
    """True for 1.x blocks whose ``forward`` is HybridBlock's (``_call_one`` may stand in)."""
    direct = _DIRECT.get(cls)
    if direct is None:
        direct = _DIRECT[cls] = cls.forward is HybridBlock.forward and not cls._is_v2()
    return direct


def _in_block(block, err, data):
    """The same error, saying which hybridized block ran and on which input shapes."""
    shapes = ", ".join(str(a.shape) for a in data)
    err.args = (f"hybridized block '{block.name}' ({type(block).__name__}) on inputs of shapes "
                f"{shapes}: {err}",) + err.args[1:]
    return err


def _inference_failure(block, attr, problems, given):
    what = "shape" if attr == "shape" else "dtype"
    lines = [f"{block.name}: could not infer the {what} of {len(problems)} parameter(s) from "
             f"the inputs {', '.join(f'{k}={v}' for k, v in given.items())}:"]
    for p, value in problems:
        lines.append(f"  {p.name}: {what} {value if value else p.shape} could not be inferred")
    lines.append(f"Give the layer its input size (e.g. in_units= / in_channels=) or set "
                 f"param.{attr} before the first forward.")
    return "\n".join(lines)
