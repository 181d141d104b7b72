"""The graph compiler: a Symbol becomes one callable over torch tensors.

Compilation resolves everything once: topological order, the OpDef and parsed attributes of
each step, which value slots feed it, and when each intermediate can be dropped. Running is a
flat loop over steps through ``ops.invoke`` (the single execution seam) with no NDArray
wrappers and no attribute parsing. Auxiliary states (BatchNorm moving stats) are updated in
place by the ops. Autograd is torch's: run it with inputs that require grad.

Used by ``Executor`` (bind/simple_bind), and later by hybridized blocks, SymbolBlock and
Module.
"""
import torch

from ..ops import conv as _conv
from ..ops import loss_ops as _loss
from ..ops._invoke import invoke
from .symbol import aux_variable_ids, topo_order


class Step:
    """One operator application inside a compiled graph."""
    __slots__ = ("op", "attrs", "name", "inputs", "outputs", "single", "release", "mutating")

    def __init__(self, node, inputs, outputs):
        self.op = node.op
        self.attrs = node.parsed()
        self.name = node.name
        self.inputs = inputs
        self.outputs = outputs
        self.single = len(outputs) == 1
        self.release = ()
        self.mutating = bool(node.op.mutate or node.op.aux)


class CompiledGraph:
    """``graph(args, aux, is_train) -> outputs`` for a Symbol; tensors in, tensors out.

    ``args`` follow ``arg_names`` (``Symbol.list_arguments()``), ``aux`` follow ``aux_names``.
    """

    def __init__(self, symbol, entry_shapes=None):
        order = topo_order(symbol._outputs)
        aux_ids = aux_variable_ids(order)
        slot = {}
        for node in order:
            for i in range(node.num_outputs()):
                slot[(id(node), i)] = len(slot)
        variables = [n for n in order if n.is_variable]
        self.arg_names = [n.name for n in variables if id(n) not in aux_ids]
        self.aux_names = [n.name for n in variables if id(n) in aux_ids]
        self.arg_slots = [slot[(id(n), 0)] for n in variables if id(n) not in aux_ids]
        self.aux_slots = [slot[(id(n), 0)] for n in variables if id(n) in aux_ids]
        self.steps = [Step(n, [slot[(id(c), i)] for c, i in n.inputs],
                           [slot[(id(n), i)] for i in range(n.num_outputs())])
                      for n in order if not n.is_variable]
        if entry_shapes:
            _resolve_unknown_dims(self.steps, [n for n in order if not n.is_variable],
                                  entry_shapes)
        self.head_slots = [slot[(id(n), i)] for n, i in symbol._outputs]
        self.num_slots = len(slot)
        self.output_names = symbol.list_outputs()
        self.memory_format = _memory_format(self.steps)
        self._plan_release()
        # the steps runs without a monitor use: activations may overwrite their input
        self.fast_steps = _inplace_activations(self.steps, self.head_slots,
                                               self.arg_slots + self.aux_slots)
        self.loss_head = _loss_head(self.steps, self.head_slots) \
            if self.memory_format is None else None

    def _plan_release(self):
        """Drop each intermediate after its last use so inference keeps little memory alive."""
        keep = set(self.head_slots) | set(self.arg_slots) | set(self.aux_slots)
        last_use = {}
        for k, step in enumerate(self.steps):
            for s in step.inputs:
                last_use[s] = k
        per_step = [[] for _ in self.steps]
        for s, k in last_use.items():
            if s not in keep:
                per_step[k].append(s)
        for step, rel in zip(self.steps, per_step):
            step.release = tuple(rel)

    def __call__(self, args, aux=(), is_train=False, monitor=None):
        if self.memory_format is None:
            return self._run(args, aux, is_train, monitor)
        state = _conv.MEMORY_FORMAT
        outer, state.memory = state.memory, self.memory_format
        try:
            heads = self._run(args, aux, is_train, monitor)
        finally:
            state.memory = outer
        return [h if h is None or h.is_contiguous() else h.contiguous() for h in heads]

    def _run(self, args, aux, is_train, monitor, steps=None):
        vals = [None] * self.num_slots
        for s, t in zip(self.arg_slots, args):
            vals[s] = t
        for s, t in zip(self.aux_slots, aux):
            vals[s] = t
        if steps is not None:  # a training run that stops before the loss head
            self._steps(vals, steps, is_train, None)
            return vals
        return self._steps(vals, self.steps if monitor is not None else self.fast_steps,
                           is_train, monitor)

    def _steps(self, vals, steps, is_train, monitor):
        for step in steps:
            inputs = [vals[i] for i in step.inputs]
            result = invoke(step.op, inputs, step.attrs, is_train, step.name)
            if step.single:
                vals[step.outputs[0]] = result
            else:
                for s, t in zip(step.outputs, result):
                    vals[s] = t
            if monitor is not None:
                monitor(step, [vals[s] for s in step.outputs], inputs)
            for s in step.release:
                vals[s] = None
        return [vals[s] for s in self.head_slots]


# Activations that may overwrite their input: the same values, one allocation and half the
# memory traffic less (torch's nn.ReLU(inplace=True)); sums that may add into one addend
# (IEEE addition commutes: the same bits). Autograd allows both: the producers below keep
# their inputs, not their output, for backward, the activations differentiate through their
# result and a sum needs neither addend.
_INPLACE = {"relu": torch.relu_, "sigmoid": torch.sigmoid_, "tanh": torch.tanh_}
_SUMS = frozenset(("elemwise_add", "broadcast_add"))
# Ops whose first output is always a new tensor (or a view of one nothing else holds).
_FRESH_OUTPUT = frozenset(("FullyConnected", "Convolution", "Deconvolution", "BatchNorm")) \
    | _SUMS


class _InplaceOp:
    """A step's op that writes its result into a fresh input; everything but ``compute``
    (and the dtype rule, for activations) is the original op's."""

    train_aware = False

    def __init__(self, op, compute, same_dtype):
        self._op = op
        self.compute = compute
        self.same_dtype = same_dtype

    def __getattr__(self, name):
        return getattr(self._op, name)


def _activation_into(kind):
    into, out_of_place = _INPLACE[kind], getattr(torch, kind)
    return lambda x: into(x) if x.is_floating_point() else out_of_place(x)


def _sum_into(op, first):
    """``op``'s sum written into input ``first`` when it has the result's shape and dtype
    (else ``op``'s own compute, with its errors)."""
    def compute(lhs, rhs):
        into, other = (lhs, rhs) if first == 0 else (rhs, lhs)
        if into.dtype == other.dtype and (into.shape == other.shape or (
                op.name == "broadcast_add" and into.dim() >= other.dim() and
                _broadcasts_to(other.shape, into.shape))):
            return into.add_(other)
        return op.compute(lhs, rhs)
    return compute


def _broadcasts_to(shape, target):
    return all(d == 1 or d == t for d, t in zip(reversed(shape), reversed(target)))


def _inplace_twin(step, fresh, uses):
    """The in-place op for ``step`` (None when its inputs do not allow one)."""
    name, ins = step.op.name, step.inputs
    if name == "Activation" or name in _INPLACE:
        kind = step.attrs.get("act_type") if name == "Activation" else name
        if kind in _INPLACE and len(ins) == 1 and ins[0] in fresh and uses[ins[0]] == 1:
            return _InplaceOp(step.op, _activation_into(kind), False)
    elif name in _SUMS and len(ins) == 2:
        for i in (0, 1):
            if ins[i] in fresh and uses[ins[i]] == 1:
                return _InplaceOp(step.op, _sum_into(step.op, i), step.op.same_dtype)
    return None


def _inplace_activations(steps, head_slots, entry_slots):
    """``steps`` with each activation or sum that has a fresh intermediate input used by it
    alone (not a head, argument or auxiliary state) replaced by an in-place step (runs
    without a monitor use them, whose callbacks may see intermediates). The same list when
    nothing qualifies."""
    uses = {}
    for step in steps:
        for s in step.inputs:
            uses[s] = uses.get(s, 0) + 1
    fresh = {step.outputs[0] for step in steps if step.op.name in _FRESH_OUTPUT}
    fresh.difference_update(head_slots, entry_slots)
    out, changed = [], False
    for step in steps:
        op = _inplace_twin(step, fresh, uses)
        if op is not None:
            twin = object.__new__(Step)
            for field in Step.__slots__:
                setattr(twin, field, getattr(step, field))
            twin.op, twin.attrs, changed = op, {}, True
            step = twin
        out.append(step)
    return out if changed else steps


def _loss_head(steps, head_slots):
    """The last step when the graph's only head is a SoftmaxOutput that ignores its head
    gradient (``out_grad`` False, MXNet's default): training can then differentiate from the
    head's data with the op's own gradient rule, without an autograd node for the head."""
    if len(head_slots) != 1 or not steps:
        return None
    last = steps[-1]
    if last.op.name != "SoftmaxOutput" or last.attrs.get("out_grad") or \
            last.outputs != [head_slots[0]]:
        return None
    return last


def run_loss_head(graph, args, aux, is_train):
    """Training run of a graph with a ``loss_head``: every step but the head with autograd,
    the head (same checks and values) without. Returns ``(heads, saved)``; ``saved`` is what
    :func:`loss_gradients` needs."""
    head = graph.loss_head
    outer = torch.is_grad_enabled()
    torch._C._set_grad_enabled(True)
    try:
        vals = graph._run(args, aux, is_train, None, graph.fast_steps[:-1])
        data, label = [vals[i] for i in head.inputs]
        torch._C._set_grad_enabled(False)
        out = invoke(head.op, [data, label], head.attrs, is_train, head.name)
    finally:
        torch._C._set_grad_enabled(outer)
    return [out], (data, label, out)


def loss_gradients(graph, saved, leaves):
    """The leaves' gradients for a run of :func:`run_loss_head`: SoftmaxOutput's gradient of
    its data (``loss_ops``' rule, the numbers of its autograd node), back-propagated."""
    data, label, out = saved
    a = graph.loss_head.attrs
    prob = _loss._softmax_view(out, a["multi_output"], a["preserve_shape"])
    soft = label.shape == data.shape
    target = label if soft else _loss._hard_labels(label, prob, a["multi_output"],
                                                    a["preserve_shape"])
    with torch.no_grad():
        grad = _loss._softmax_output_grad(prob, target, None,
                                          dict(a, soft=soft, full_label=label))
    return gradients([data], leaves, [grad.reshape(data.shape)])


def _memory_format(steps):
    """``torch.channels_last`` for graphs with 2-d grouped (depthwise) NCHW convolutions,
    whose CPU kernels run much faster in that memory format (MobileNet: ~25% per training
    step); None otherwise (plain convolutions such as ResNet's measured slower in it)."""
    for step in steps:
        a = step.attrs
        if step.op.name in ("Convolution", "Convolution_v1") and a.get("num_group", 1) > 1 \
                and len(a.get("kernel", ())) == 2 and a.get("layout") in (None, "None", "NCHW"):
            return torch.channels_last
    return None


def _resolve_unknown_dims(steps, op_nodes, entry_shapes):
    """Ops that create arrays with unknown (0) dims in their ``shape`` attribute (Gluon's
    ``F.zeros((layers, 0, hidden))`` RNN states) get the shape inference found for them."""
    for step, node in zip(steps, op_nodes):
        shape = step.attrs.get("shape")
        if isinstance(shape, tuple) and 0 in shape and not node.inputs:
            inferred = entry_shapes.get((id(node), 0))
            if inferred is not None and all(d > 0 for d in inferred):
                step.attrs = dict(step.attrs, shape=tuple(inferred))


def run(graph, args, aux, is_train, need_grad, monitor=None):
    """Run ``graph`` with torch's grad mode set for ``need_grad``."""
    outer = torch.is_grad_enabled()
    torch._C._set_grad_enabled(need_grad)  # inline: the context manager costs ~1.6 us
    try:
        return graph(args, aux, is_train, monitor)
    finally:
        torch._C._set_grad_enabled(outer)


def make_leaves(tensors, wanted):
    """Fresh leaf views (shared storage) that require grad, for the positions in ``wanted``.

    Integer arguments get a float64 ``_mx_shadow`` leaf: MXNet differentiates through
    casts of them (ops/elemwise.py); index inputs of other ops still get zero gradients."""
    return [(t.detach().requires_grad_(True) if t.is_floating_point() else _shadowed(t))
            if w else t for t, w in zip(tensors, wanted)]


def _shadowed(t):
    view = t.detach()
    view._mx_shadow = t.detach().double().requires_grad_(True)
    return view


_ENGINE = torch.autograd.Variable._execution_engine  # what torch.autograd.grad runs


def gradients(heads, leaves, head_grads):
    """d(sum heads*head_grads)/d leaves; None for leaves the heads do not depend on
    (integer heads and leaves differentiate through their float64 shadows)."""
    heads = [h if h.requires_grad else getattr(h, "_mx_shadow", h) for h in heads]
    leaves = [getattr(leaf, "_mx_shadow", leaf) for leaf in leaves]
    pairs = [(h, g) for h, g in zip(heads, head_grads) if h.requires_grad]
    if not pairs:
        return [None] * len(leaves)
    hs, gs = zip(*pairs)
    gs = [torch.ones_like(h) if g is None else g if g.dtype == h.dtype else g.to(h.dtype)
          for h, g in zip(hs, gs)]
    live = [i for i, leaf in enumerate(leaves) if leaf.requires_grad]  # not integer leaves
    # torch.autograd.grad minus its Python argument checks (~15 us): the gradients here
    # match their heads in shape (Executor.backward checks) and dtype (converted above)
    found = _ENGINE.run_backward(tuple(hs), tuple(gs), True, False,
                                 tuple(leaves[i] for i in live), True, False) if live else ()
    results = [None] * len(leaves)
    for i, value in zip(live, found):
        results[i] = value
    return results


class Ownership:
    """Decides when a gradient tensor torch returned may become a gradient array's storage.

    Adopting saves a copy per argument per step, but only tensors nobody else holds qualify:
    torch may hand the same tensor to two leaves (``a + b``), or pass a head gradient through
    unchanged; those are copied so in-place updates of one array never leak into another.
    """

    def __init__(self, head_grads):
        self._seen = {t.data_ptr() for t in head_grads if t is not None}

    def can_adopt(self, value, target):
        if value is None or value.requires_grad or not value.is_contiguous() or \
                value.dtype != target.dtype or value.shape != target.shape or \
                value.device != target.device:
            return False
        ptr = value.data_ptr()
        if ptr in self._seen:
            return False
        self._seen.add(ptr)
        return True


def accumulate(target, value, req):
    """Write (``req='write'``) or add (``'add'``) a gradient tensor into ``target``."""
    with torch.no_grad():
        if value is None:
            if req == "write":
                target.zero_()
            return
        if req == "add":
            target.add_(value)
        else:
            target.copy_(value)


def check_compile_backend(backend):
    """Raise unless ``backend`` names a ``torch.compile`` backend."""
    import torch._dynamo
    known = torch._dynamo.list_backends(exclude_tags=())
    if backend not in known:
        from ..base import MXNetError
        raise MXNetError(f"backend {backend!r} is neither one of MXNet's partitioning backends "
                         f"(MKLDNN, ONEDNN, TensorRT: accepted, no rewrite) nor a torch.compile "
                         f"backend {sorted(known)}")


class TorchCompiled:
    """A CompiledGraph handed to ``torch.compile`` (``optimize_for(x, backend='inductor')``);
    runs the plain graph when a monitor is installed."""

    def __init__(self, graph, backend, options):
        self.graph = graph
        self.arg_slots, self.aux_slots, self.steps = graph.arg_slots, graph.aux_slots, graph.steps
        self._fn = torch.compile(graph.__call__, backend=backend, options=options or None)

    def __call__(self, args, aux=(), is_train=False, monitor=None):
        if monitor is not None:
            return self.graph(args, aux, is_train, monitor)
        return self._fn(list(args), list(aux), is_train)


def compiled_with(graph, backend, options):
    return TorchCompiled(graph, backend, options)
