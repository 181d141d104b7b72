"""Executor: a Symbol bound to arrays (``sym.bind`` / ``sym.simple_bind``).

``forward(is_train)`` runs the compiled graph on the bound arrays and fills ``outputs``;
``backward(out_grads)`` writes (or, with grad_req 'add', adds) gradients into the gradient
arrays. BatchNorm-style auxiliary states are updated in place during training forwards.
"""
import numpy as np

from ..base import MXNetError, ShapeError
from ..context import Context, current_context
from ..ndarray.ndarray import NDArray, _wrap
from ..ndarray.utils import zeros
from ..ndarray.sparse import zeros as sparse_zeros
from ..autograd import keep_gradient_rows, store_gradient
from ._stypes import check_gradient_buffers, infer_stypes, row_rules
from .._torch.dtypes import TORCH_TO_NAME
from . import compiler
from .. import engine as _ENGINE
from ._infer import analyse

_REQS = ("write", "add", "null")


class BindArgumentError(MXNetError, ValueError):
    """Arrays given to ``bind`` do not match the symbol's arguments (MXNet: ValueError)."""


class UnknownArgumentError(MXNetError, TypeError):
    """``Executor.forward`` got a keyword that is no argument (MXNet: TypeError)."""


def _by_name(values, names, what, required=True):
    """Normalise a list (in ``names`` order) or dict of arrays to a list."""
    if values is None:
        if required:
            raise BindArgumentError(f"bind: {what} must be given for {names}")
        return [None] * len(names)
    if isinstance(values, dict):
        extra = sorted(set(values) - set(names))
        missing = [n for n in names if n not in values]
        if missing and required:
            raise BindArgumentError(f"bind: {what} missing for {missing}; the symbol's {what} are "
                             f"{names}")
        del extra  # MXNet ignores extra entries
        return [values.get(n) for n in names]
    values = list(values)
    if len(values) != len(names):
        raise BindArgumentError(f"bind: {len(values)} {what} given, the symbol has {len(names)}: "
                                f"{names}")
    return values


def _reqs(grad_req, names):
    if isinstance(grad_req, str):
        reqs = [grad_req] * len(names)
    elif isinstance(grad_req, dict):
        reqs = [grad_req.get(n, "null") for n in names]
    else:
        reqs = list(grad_req)
        if len(reqs) != len(names):
            raise MXNetError(f"bind: {len(reqs)} grad_req values for {len(names)} arguments")
    for name, req in zip(names, reqs):
        if req not in _REQS:
            raise MXNetError(f"bind: grad_req {req!r} for {name!r} must be one of {_REQS}")
    return reqs


class Executor:
    """A bound Symbol. Create with ``Symbol.bind`` or ``Symbol.simple_bind``."""

    def __init__(self, handle, symbol, ctx, grad_req, group2ctx=None):
        # ``handle`` is the bound state, (arg_arrays, grad_arrays, aux_arrays), where MXNet has
        # a C handle; ``grad_req`` is the list of per-argument requests.
        arg_arrays, grad_arrays, aux_arrays = handle
        grad_reqs = grad_req
        self._group2ctx = group2ctx
        self._symbol = symbol
        self._ctx = ctx
        self._graph = compiler.CompiledGraph(symbol, _bound_shapes(symbol, arg_arrays,
                                                                   aux_arrays))
        self.arg_arrays = arg_arrays
        self.grad_arrays = grad_arrays
        self.aux_arrays = aux_arrays
        self._grad_reqs = [r if g is not None else "null" for r, g in zip(grad_reqs, grad_arrays)]
        self._grad_mask = [r != "null" for r in self._grad_reqs]
        self._wanted = [i for i, w in enumerate(self._grad_mask) if w]
        check_gradient_buffers(symbol, arg_arrays, grad_arrays, self._grad_reqs)
        self._arg_names = self._graph.arg_names
        self._aux_names = self._graph.aux_names
        self._out_stypes = _output_stypes(symbol, self._arg_names, arg_arrays)
        self._row_rules = row_rules(symbol, [g.stype if g is not None else "default"
                                             for g in grad_arrays])
        self.outputs = [_as_stype(o, st) for o, st in
                        zip(_initial_outputs(symbol, self._arg_names, arg_arrays, ctx),
                            self._out_stypes)]
        self._heads = None
        self._leaves = None
        self._loss_saved = None
        self._last_is_train = None
        self._monitor = None
        self._monitor_all = False
        self._borrowed = set()  # ids of argument arrays that share a fed array's storage
        # the executor this one was reshaped from: outputs are written into the leading part
        # of its outputs' memory, as MXNet's reshaped executors share it (None: own outputs)
        self._output_base = None

    # ---- construction ----------------------------------------------------------------------
    @classmethod
    def bind(cls, symbol, ctx, args, args_grad=None, grad_req="write", aux_states=None,
             group2ctx=None, shared_exec=None):
        arg_names = symbol.list_arguments()
        aux_names = symbol.list_auxiliary_states()
        args = _by_name(args, arg_names, "arguments")
        for name, a in zip(arg_names, args):
            if not isinstance(a, NDArray):
                raise TypeError(f"bind: argument {name!r} must be an NDArray, got "
                                f"{type(a).__name__}")
        grads = _by_name(args_grad, arg_names, "gradients", required=False)
        reqs = _reqs(grad_req, arg_names)
        if args_grad is None:
            reqs = ["null"] * len(arg_names)
        aux = _by_name(aux_states, aux_names, "auxiliary states", required=bool(aux_names))
        _check_bind_shapes(symbol, arg_names, args, aux_names, aux)
        return cls((args, grads, aux), symbol, ctx, reqs, group2ctx)

    @classmethod
    def simple_bind(cls, symbol, ctx, grad_req, type_dict, stype_dict, shared_exec,
                    shared_buffer, shapes, group2ctx=None):
        ctx = ctx if isinstance(ctx, Context) else current_context()
        arg_names = symbol.list_arguments()
        aux_names = symbol.list_auxiliary_states()
        dtypes = dict(type_dict or {})
        # NOTE: as in MXNet, keywords that are not shapes (tuples) are ignored.
        shapes = {k: tuple(v) for k, v in shapes.items() if isinstance(v, (tuple, list))}
        graph, arg_nodes, aux_nodes = analyse(symbol, shapes=shapes, dtypes=dtypes)
        reqs = _reqs(grad_req, arg_names)
        arg_stypes, _, grad_stypes = infer_stypes(symbol, stype_dict)
        args, grads, aux = [], [], []
        for node, req, stype, grad_stype in zip(arg_nodes, reqs, arg_stypes, grad_stypes):
            arr = _alloc(graph, node, _group_ctx(node, ctx, group2ctx), "argument", stype)
            args.append(arr)
            grads.append(None if req == "null" else _nd_zeros_like(arr, grad_stype))
        for node in aux_nodes:
            aux.append(_alloc(graph, node, _group_ctx(node, ctx, group2ctx), "auxiliary state"))
        if shared_buffer is not None:
            for name, arr in zip(arg_names, args):
                if name in shared_buffer and shared_buffer[name].shape == arr.shape:
                    args[arg_names.index(name)] = shared_buffer[name]
                else:
                    shared_buffer[name] = arr
        return cls((args, grads, aux), symbol, ctx, reqs, group2ctx)

    # ---- dictionaries --------------------------------------------------------------------------
    @property
    def arg_dict(self):
        return dict(zip(self._arg_names, self.arg_arrays))

    @property
    def grad_dict(self):
        return dict(zip(self._arg_names, self.grad_arrays))  # None where grad_req is 'null'


    @property
    def aux_dict(self):
        return dict(zip(self._aux_names, self.aux_arrays))

    @property
    def output_dict(self):
        return dict(zip(self._graph.output_names, self.outputs))

    # ---- running -------------------------------------------------------------------------------
    def forward(self, is_train=False, **kwargs):
        """Run the graph; ``kwargs`` first copy new values into the named arguments."""
        arg_dict = None
        for name, value in kwargs.items():
            arg_dict = arg_dict or self.arg_dict
            if name not in arg_dict:
                raise UnknownArgumentError(f"forward: unknown argument {name!r}; arguments are "
                                           f"{self._arg_names}")
            target = arg_dict[name]
            if tuple(np.shape(value)) != target.shape:
                raise ShapeError(f"forward: argument {name!r} has shape {target.shape}, got "
                                 f"{tuple(np.shape(value))}; use Executor.reshape to change "
                                 "input shapes")
            self._unborrow(target)
            target[:] = value
        mark = _ENGINE.COUNT[0]
        self._run(is_train, is_train and bool(self._wanted))
        self._last_is_train = is_train
        if _ENGINE.COUNT[0] != mark:  # an operator of the graph failed: reading outputs raises
            _ENGINE.graph_failed(self.outputs, mark)
            self._failed_at = mark
        else:
            self._failed_at = None
        return self.outputs

    def feed(self, target, value):
        """Give the bound argument array ``target`` the values of ``value`` for the next
        forward (Module loads its batches this way).

        ``target`` shares ``value``'s storage when both are plain dense arrays of the same
        device, dtype and shape (no copy); otherwise it gets a converted copy. The previous
        storage is never written, so an earlier batch's array is left as it was.
        """
        src = value._t
        if type(value) is NDArray and src.dtype == target._t.dtype \
                and src.shape == target._t.shape and src.device == target._t.device \
                and not src.requires_grad and src.is_contiguous() \
                and getattr(value, "_ag", None) is None:
            target._t = src
            self._borrowed.add(id(target))
            return
        if value.stype != "default" or target.stype != "default":
            self._unborrow(target)
            target[:] = value
            return
        converted = value.as_in_context(target.context).astype(target.dtype, copy=False) \
            .reshape(target.shape)._t
        target._t = converted.clone() if converted.data_ptr() == src.data_ptr() \
            else converted.contiguous()
        self._borrowed.discard(id(target))

    def run_inputs(self, fed, is_train=False):
        """The head tensors of a forward without gradients whose arguments at the indices of
        ``fed`` (``[(index, tensor)]``) are those tensors; the executor itself (bound arrays,
        outputs) is left as it was. Module.predict's loop; see :meth:`keep_inputs`."""
        tensors = [a._t for a in self.arg_arrays]
        for i, t in fed:
            tensors[i] = t
        return compiler.run(self._graph, tensors, [a._t for a in self.aux_arrays], is_train,
                            False)

    def forward_backward(self, fed):
        """``forward(is_train=True)`` then ``backward()``, the arguments at the indices of
        ``fed`` (``[(index, tensor)]``) taking those tensors as :meth:`feed` takes a batch's
        arrays it can share (same dtype, shape and device, contiguous: the caller checks)."""
        for i, t in fed:
            target = self.arg_arrays[i]
            target._t = t
            self._borrowed.add(id(target))
        self._run(True, bool(self._wanted))
        self._last_is_train = True
        self.backward()

    def keep_inputs(self, fed, heads, is_train=False):
        """Leave the executor as ``forward(is_train)`` on the inputs ``fed`` would have: their
        bound arrays hold copies of them and ``outputs`` are ``heads``."""
        for i, t in fed:
            target = self.arg_arrays[i]
            target._t = t.clone() if t.is_contiguous() else t.contiguous()
            self._borrowed.discard(id(target))
        self._loss_saved = self._leaves = self._heads = None
        self._set_outputs(heads)
        self._last_is_train = is_train

    def _unborrow(self, target):
        """Give ``target`` its own storage again before it is written in place."""
        if id(target) in self._borrowed:
            target._t = target._t.clone()
            self._borrowed.discard(id(target))

    def _run(self, is_train, need_grad):
        tensors = [a._t for a in self.arg_arrays]
        aux = [a._t for a in self.aux_arrays]
        self._monitor_backward = need_grad
        monitor = self._monitor_hook() if self._monitor is not None else None
        self._loss_saved = None
        if need_grad:
            leaves = compiler.make_leaves(tensors, self._grad_mask)
            fed = keep_gradient_rows(self._row_rules, leaves, self.arg_arrays) \
                if self._row_rules else leaves
            if monitor is None and getattr(self._graph, "loss_head", None) is not None:
                # a SoftmaxOutput head: its gradient comes from its own rule in backward
                heads, self._loss_saved = compiler.run_loss_head(self._graph, fed, aux,
                                                                 is_train)
            else:
                heads = compiler.run(self._graph, fed, aux, is_train, True, monitor)
            self._leaves, self._heads = leaves, heads
        else:
            heads = compiler.run(self._graph, tensors, aux, is_train, False, monitor)
            self._leaves, self._heads = None, None
        self._set_outputs(heads)

    def _set_outputs(self, heads):
        if len(self.outputs) != len(heads):
            self.outputs = [_as_stype(_wrap(h.detach(), self._ctx), st)
                            for h, st in zip(heads, self._out_stypes)]
            return
        base = self._output_base
        if base is not None and len(base.outputs) == len(heads):
            heads = [_into_leading(b, h.detach()) for b, h in zip(base.outputs, heads)]
        for out, h in zip(self.outputs, heads):
            out._t = h.detach()

    def backward(self, out_grads=None, is_train=True):
        """Back-propagate from the outputs (head gradients ``out_grads``, default ones)."""
        if self._heads is None:
            if all(r == "null" for r in self._grad_reqs):
                return  # nothing to differentiate for (MXNet: a no-op, not an error)
            if self._last_is_train is None:
                raise MXNetError("backward needs a preceding forward()")
            # NOTE: MXNet allows backward after forward(is_train=False); inference forwards do
            # not record, so replay that forward once with recording (same inputs, no aux
            # updates) and differentiate it.
            self._run(self._last_is_train, True)
        if out_grads is None:
            grads = [None] * len(self._heads)
        else:
            if isinstance(out_grads, NDArray):
                out_grads = [out_grads]
            if len(out_grads) < len(self._heads):
                raise MXNetError(f"backward: {len(out_grads)} out_grads for "
                                 f"{len(self._heads)} outputs")
            # NOTE: MXNet uses the first len(outputs) head gradients and ignores extra ones.
            grads = [None if g is None else g._t for g in out_grads[:len(self._heads)]]
            for i, (g, head) in enumerate(zip(grads, self._heads)):
                if g is not None and tuple(g.shape) != tuple(head.shape):
                    raise MXNetError(f"backward: out_grads[{i}] has shape {tuple(g.shape)}, "
                                     f"but output {i} has shape {tuple(head.shape)}")
        wanted = self._wanted
        leaves = [self._leaves[i] for i in wanted]
        if self._loss_saved is not None:  # the head ignores head gradients (out_grad False)
            results = compiler.loss_gradients(self._graph, self._loss_saved, leaves)
        else:
            results = compiler.gradients(self._heads, leaves, grads)
        self._report_zero_gradients()
        owned = compiler.Ownership(grads)
        for i, value in zip(wanted, results):
            target = self.grad_arrays[i]
            if target.stype != "default" or (value is not None and value.is_sparse):
                store_gradient(target, value, self._grad_reqs[i])
            elif self._grad_reqs[i] == "write" and owned.can_adopt(value, target._t):
                target._t = value  # NOTE: adopt torch's fresh gradient instead of copying it
            else:
                compiler.accumulate(target._t, value, self._grad_reqs[i])
        if getattr(self, "_failed_at", None) is not None:  # the forward failed in the graph
            _ENGINE.graph_failed([self.grad_arrays[i] for i in wanted], self._failed_at)

    # ---- utilities -----------------------------------------------------------------------------
    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        """Copy values from dicts of NDArrays into the bound arguments/auxiliary states."""
        arg_dict, aux_dict = self.arg_dict, self.aux_dict
        for name, value in (arg_params or {}).items():
            if name in arg_dict:
                self._unborrow(arg_dict[name])
                arg_dict[name][:] = value.astype(arg_dict[name].dtype, copy=False)
            elif not allow_extra_params:
                raise ValueError(f"copy_params_from: {name!r} is not an argument of the symbol; "
                                 "pass allow_extra_params=True to skip it")
        for name, value in (aux_params or {}).items():
            if name in aux_dict:
                aux_dict[name][:] = value.astype(aux_dict[name].dtype, copy=False)
            elif not allow_extra_params:
                raise ValueError(f"copy_params_from: {name!r} is not an auxiliary state of the "
                                 "symbol; pass allow_extra_params=True to skip it")

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        """A new executor for new input shapes (``data=(8, 100)``).

        Arrays whose shape does not change (weights) are shared with this executor; a smaller
        array is a view of the leading part of this one's memory (as MXNet's); growing needs
        ``allow_up_sizing``; an argument not named whose shape would change (or become
        unknown) needs ``partial_shaping``.
        """
        given = {k: tuple(v) for k, v in kwargs.items()}
        dtypes = {n: TORCH_TO_NAME[a._t.dtype] for n, a in zip(self._arg_names, self.arg_arrays)}
        graph, arg_nodes, _ = analyse(self._symbol, shapes=given, dtypes=dtypes)
        args, grads = [], []
        for node, old, grad in zip(arg_nodes, self.arg_arrays, self.grad_arrays):
            new_shape = graph.shape.get((id(node), 0))
            if new_shape is None and node.name not in given and not partial_shaping:
                raise MXNetError(f"reshape: the shape of argument {node.name!r} {old.shape} "
                                 "can no longer be inferred from the given shapes "
                                 f"{given}; pass it or partial_shaping=True")
            if new_shape is None or new_shape == old.shape:
                args.append(old)
                grads.append(grad)
                continue
            self._check_reshape(node.name, old.shape, new_shape, given, partial_shaping,
                                allow_up_sizing)
            arr = _alloc(graph, node, self._ctx, "argument")
            if arr.size <= old.size and id(old) in self._borrowed:  # a fed batch: copy
                arr[:] = old.reshape((-1,))[:arr.size].reshape(arr.shape)
                grad = None if grad is None else _nd_zeros_like(arr, grad.stype)
            elif arr.size <= old.size:
                arr = _leading_view(old, arr)
                grad = None if grad is None else _leading_view(grad, _nd_zeros_like(arr, grad.stype))
            elif grad is not None:
                grad = _nd_zeros_like(arr, grad.stype)
            args.append(arr)
            grads.append(grad)
        new = Executor((args, grads, list(self.aux_arrays)), self._symbol, self._ctx,
                       self._grad_reqs, self._group2ctx)
        new._borrowed = {id(a) for a in args if id(a) in self._borrowed}
        new._output_base = self
        return new

    @staticmethod
    def _check_reshape(name, old, new, given, partial_shaping, allow_up_sizing):
        if name not in given and not partial_shaping:
            raise MXNetError(f"reshape: argument {name!r} would change shape from {old} to "
                             f"{new}; pass its new shape or partial_shaping=True")
        if np.prod(new) > np.prod(old) and not allow_up_sizing:
            raise MXNetError(f"reshape: argument {name!r} grows from {old} to {new}; pass "
                             "allow_up_sizing=True")

    def set_monitor_callback(self, callback, monitor_all=False):
        """Call ``callback(name, array)`` with every op output (and inputs if monitor_all)."""
        self._monitor = callback
        self._monitor_all = monitor_all

    def _monitor_hook(self):
        callback, names = self._monitor, {}
        self._monitor_zero_grads = []

        def hook(step, outputs, inputs):
            if step.name not in names:
                names[step.name] = [f"{step.name}_{n}" for n in
                                    step.op.output_name_list(step.attrs)]
            for name, t in zip(names[step.name], outputs):
                callback(name, _wrap(t.detach(), self._ctx))
            if self._monitor_backward:
                self._watch_input_gradients(step.name, inputs)
        return hook

    def _watch_input_gradients(self, op_name, inputs):
        """Report each input's gradient during backward as ``<op>_backward_output[<i>]`` (as
        MXNet's monitor reports its backward nodes' outputs); inputs that get no gradient
        (data, labels) are reported as zeros once backward has run."""
        callback, ctx = self._monitor, self._ctx
        for i, t in enumerate(inputs):
            if t is None:
                continue
            name = f"{op_name}_backward_output" + (str(i) if len(inputs) > 1 else "")
            if t.requires_grad:
                t.register_hook(lambda g, name=name: callback(name, _wrap(g.detach(), ctx)))
            else:
                self._monitor_zero_grads.append((name, t))

    def _report_zero_gradients(self):
        pending, self._monitor_zero_grads = getattr(self, "_monitor_zero_grads", []), []
        for name, t in pending:
            callback = self._monitor
            if callback is not None:
                callback(name, _nd_zeros_like(_wrap(t.detach(), self._ctx)))

    def debug_str(self):
        return self._symbol.debug_str()

    def get_optimized_symbol(self):
        """The graph this executor runs (mxtorch applies no backend rewrites): a copy of the
        bound symbol."""
        return self._symbol.__copy__()


def _leading_view(old, new):
    """``new``'s shape over the leading part of ``old``'s memory (a copy where ``old`` is
    sparse or not contiguous)."""
    if old.stype != "default" or new.stype != "default" or not old._t.is_contiguous():
        new[:] = old.reshape((-1,))[:new.size].reshape(new.shape)
        return new
    return _wrap(old._t.reshape(-1)[:new.size].view(new.shape), old.context)


def _into_leading(base, tensor):
    """``tensor`` copied into the leading part of ``base``'s memory, as a view of it (``tensor``
    itself where ``base`` cannot hold it)."""
    t = base._t
    if base.stype != "default" or not t.is_contiguous() or t.dtype != tensor.dtype \
            or t.numel() < tensor.numel() or t.device != tensor.device:
        return tensor
    view = t.reshape(-1)[:tensor.numel()].view(tensor.shape)
    view.copy_(tensor)
    return view


def _nd_zeros_like(arr, stype="default"):
    if stype != "default":
        return sparse_zeros(stype, arr.shape, ctx=arr.context, dtype=arr.dtype)
    return _wrap(arr._t.new_zeros(arr._t.shape), arr.context)


def _as_stype(arr, stype):
    """``arr`` in storage type ``stype`` (MXNet's output stype)."""
    return arr if stype == arr.stype else arr.tostype(stype)


def _output_stypes(symbol, names, args):
    """Output stypes for the bound arguments (dense where the table cannot judge)."""
    try:
        return infer_stypes(symbol, {n: a.stype for n, a in zip(names, args)})[1]
    except (MXNetError, TypeError, ValueError, KeyError):
        return ["default"] * len(symbol.list_outputs())


def _group_ctx(node, ctx, group2ctx):
    """The context of a variable declared under ``AttrScope(ctx_group=...)`` when
    ``group2ctx`` maps its group (as MXNet allocates model-parallel arguments), else ``ctx``."""
    attrs = (getattr(node, "attrs", None) or {}) if group2ctx else {}
    group = attrs.get("__ctx_group__", attrs.get("ctx_group"))
    return group2ctx.get(group, ctx) if group is not None else ctx


def _alloc(graph, node, ctx, what, stype="default"):
    shape = graph.shape.get((id(node), 0))
    if shape is None or any(d < 0 for d in shape):  # -1: unknown (0 is real only in np mode)
        raise MXNetError(f"simple_bind: cannot infer the shape of {what} {node.name!r} "
                         f"(got {shape}); pass its shape, e.g. simple_bind(ctx, "
                         f"{node.name}=(...))")
    dtype = graph.dtype.get((id(node), 0))
    name = TORCH_TO_NAME[dtype] if dtype is not None else "float32"
    if stype != "default":
        return sparse_zeros(stype, shape, ctx=ctx, dtype=name)
    return zeros(shape, ctx=ctx, dtype=name)


def _initial_outputs(symbol, names, args, ctx):
    """Zero arrays of the outputs' inferred shapes and types: MXNet allocates the outputs at
    bind time, so ``outputs``/``output_dict`` exist before the first forward."""
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, shapes, _ = symbol.infer_shape(**{n: a.shape for n, a in zip(names, args)})
            _, types, _ = symbol.infer_type(**{n: a.dtype for n, a in zip(names, args)})
    except (MXNetError, TypeError, ValueError):  # bind itself reports real shape errors
        return []
    if not shapes or not types or any(s is None or 0 in s for s in shapes):
        return []
    try:
        return [zeros(s, ctx=ctx, dtype=t) for s, t in zip(shapes, types)]
    except RuntimeError as err:  # e.g. a huge stride or pad inferred an output beyond memory
        raise MXNetError(f"bind: cannot allocate the outputs of {symbol.name} with shapes "
                         f"{shapes}: {str(err).splitlines()[0]}") from err


def _bound_shapes(symbol, args, aux):
    """Inferred shape of every graph entry for the bound arrays (lets the compiler resolve
    unknown dims that exported graphs leave to inference)."""
    shapes = dict(zip(symbol.list_arguments(), (a.shape for a in args)))
    shapes.update(zip(symbol.list_auxiliary_states(), (a.shape for a in aux if a is not None)))
    try:
        graph, _, _ = analyse(symbol, shapes=shapes)
    except MXNetError:
        return None
    return graph.shape


def _check_bind_shapes(symbol, arg_names, args, aux_names, aux):
    """Check the bound arrays against the graph's shape rules (errors name the node)."""
    shapes = {n: a.shape for n, a in zip(arg_names, args)}
    shapes.update({n: a.shape for n, a in zip(aux_names, aux) if a is not None})
    dtypes = {n: TORCH_TO_NAME[a._t.dtype] for n, a in zip(arg_names, args)}
    try:
        analyse(symbol, shapes=shapes, dtypes=dtypes)
    except MXNetError as err:
        raise type(err)(f"bind: the arrays do not fit the symbol: {err}") from None
