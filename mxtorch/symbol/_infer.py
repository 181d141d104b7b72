"""Shape and dtype inference over a Symbol graph, full and partial.

Shapes are held with unknown dims as -1 and unknown shapes as None, whatever the mode; the
user's spelling is converted at the edges (legacy: 0 = unknown dim, () = unknown shape;
NumPy-shape mode: -1 = unknown dim, None = unknown shape, 0 and () are real).

Each op node contributes what it knows, in both directions, until nothing changes:
- ``OpDef.infer_shape`` (ops with MXNet-specific rules: FullyConnected fills its weight from
  the data shape, Reshape codes, Concat...) sees MXNet's legacy spelling (0 = unknown dim);
- ``shape_rule == "same"`` ties every input and output to one shape, dim by dim;
- once every input is fully known, outputs come from running the op's compute on ``meta``
  tensors (no memory, no arithmetic);
- while some input dims are unknown, outputs come from two meta runs with the unknown dims
  set to two different probe sizes: output dims that agree are known, the others unknown
  (ops whose MXNet rule needs complete inputs opt out with ``partial_shape=False``).
"""
import warnings

from .._mode import STATE as _MODE
from ..base import MXNetError, ShapeError
from .._torch.dtypes import FLAG_TO_TORCH, TORCH_TO_NP_TYPE, to_torch_dtype
from .symbol import aux_variable_ids

_BATCH_FROM_OUTPUT = frozenset(("FullyConnected", "Convolution", "Deconvolution"))
_MAX_PASSES = 50
_PROBES = (840, 1680)  # sizes standing in for unknown dims (divisible by small factors)


def _known(shape):
    return shape is not None and all(d >= 0 for d in shape)


def user_to_internal(shape, np_shape):
    """A shape as the user spells it -> internal form (None unknown, -1 unknown dim)."""
    if shape is None:
        return None
    shape = tuple(int(d) for d in shape)
    if np_shape:
        if any(d < -1 for d in shape):
            raise MXNetError(f"shape {shape} has a negative dim other than -1 (unknown)")
        return shape
    if not shape:
        return None
    return tuple(-1 if d <= 0 else d for d in shape)


def internal_to_user(shape, np_shape):
    """Internal shape -> MXNet's spelling in the current mode."""
    if np_shape:
        return shape
    return () if shape is None else tuple(0 if d < 0 else d for d in shape)


def _to_rule(shape):
    return None if shape is None else tuple(0 if d < 0 else d for d in shape)


def _from_rule(shape):
    """A rule's shape (legacy spelling; () = unknown) -> internal form."""
    if not shape:
        return None
    return tuple(-1 if int(d) <= 0 else int(d) for d in shape)


_ZERO_PROBES = (100003, 200006)  # stand-ins for real zero-size dims handed to legacy rules


def _unprobe(first, second):
    """Internal shape from a rule's results for the two zero-dim stand-ins (see _rule)."""
    if not first or not second or len(first) != len(second):
        return None
    return tuple(_unprobe_dim(int(a), int(b)) for a, b in zip(first, second))


def _unprobe_dim(a, b):
    if a == b:
        return a if a > 0 else -1
    low, high = _ZERO_PROBES
    step, rest = divmod(low * (b - a), high - low)
    if not rest and a - step >= 0:
        return a - step  # affine in the stand-in: its value at size 0
    if a % low == 0 and b % high == 0:
        return 0  # a product of stand-ins
    return -1


def _merge(old, new, where):
    """Combine two partial shapes; raise on a conflict. Returns the merged shape."""
    if new is None:
        return old
    new = tuple(int(d) for d in new)
    if old is None:
        return new
    if len(old) != len(new):
        raise ShapeError(f"{where}: inferred shape {_show(new)}, but it is already "
                         f"{_show(old)}")
    merged = []
    for a, b in zip(old, new):
        if a >= 0 and b >= 0 and a != b:
            raise ShapeError(f"{where}: inferred shape {_show(new)}, but it is already "
                             f"{_show(old)}")
        merged.append(a if a >= 0 else b)
    return tuple(merged)


def _show(shape):
    return internal_to_user(shape, _MODE.np_shape)


class GraphInference:
    """Shapes and dtypes of every entry of a graph, keyed by ``(id(node), output)``.

    ``shape`` holds the internal form: None for an unknown shape, -1 for an unknown dim.
    """

    def __init__(self, order):
        self.order = order
        self.shape = {}
        self.dtype = {}
        self.np_shape = _MODE.np_shape

    def seed_variables(self, shapes, dtypes):
        for node in self.order:
            if not node.is_variable:
                continue
            key = (id(node), 0)
            hint = node.attrs.get("__shape__")
            if hint and hint != "None":
                self.shape[key] = user_to_internal(_parse_tuple(hint), self.np_shape)
            if node.name in shapes:  # a given shape overrides the variable's __shape__ hint
                self.shape[key] = user_to_internal(shapes[node.name], self.np_shape)
            dtype_hint = node.attrs.get("__dtype__")
            if dtype_hint not in (None, "-1", ""):
                self.dtype[key] = FLAG_TO_TORCH[int(dtype_hint)]
            if node.name in dtypes:
                self.dtype[key] = to_torch_dtype(dtypes[node.name])

    def run(self):
        for _ in range(_MAX_PASSES):
            changed = False
            for node in self.order:
                if not node.is_variable:
                    changed |= self._visit(node)
            if not changed:
                return self
        return self

    # ---- one node --------------------------------------------------------------------------
    def _visit(self, node):
        op = node.op
        in_keys = [(id(c), i) for c, i in node.inputs]
        out_keys = [(id(node), i) for i in range(node.num_outputs())]
        before = self._snapshot(in_keys + out_keys)
        names = node.input_names()
        ruled = op.infer_shape is not None and self._rule(node, in_keys, out_keys, names)
        if op.infer_input_from_output is not None:
            self._rule_from_output(node, in_keys, out_keys, names)
        if getattr(op, "shape_rule", None) == "same":
            self._tie(node, in_keys + out_keys, names)
        if op.name in _BATCH_FROM_OUTPUT and in_keys and not self.np_shape:
            self._batch_from_output(node, in_keys[0], out_keys[0])
        self._infer_dtypes(node, in_keys, out_keys)
        ins = [self.shape.get(k) for k in in_keys]
        outs_done = all(_known(self.shape.get(k)) and k in self.dtype for k in out_keys)
        if all(_known(s) for s in ins) and not outs_done:
            # output dims that depend on input VALUES (boolean_mask) stay unknown: the meta
            # run then gives dtypes only
            self._meta(node, in_keys, out_keys, ins, shapes=op.shape_rule != "value")
        elif (not outs_done and ins and all(s is not None for s in ins)
              and not ruled and self._may_probe(op, names, ins)
              and not all(_known(self.shape.get(k)) for k in out_keys)):
            self._probe(node, out_keys, ins, [self.dtype.get(k) for k in in_keys])
        self._fallback_dtypes(node, in_keys, out_keys)
        return self._snapshot(in_keys + out_keys) != before

    def _batch_from_output(self, node, data_key, out_key):
        """MXNet's FullyConnected/Convolution rules take an unknown batch dim of the data from
        the output (an RNN cell's ``zeros((0, H))`` begin state learns its batch this way)."""
        data, out = self.shape.get(data_key), self.shape.get(out_key)
        if data and out and data[0] < 0 and out[0] > 0:  # internal unknown dims are -1
            self._set_shape(data_key, (out[0],) + tuple(data[1:]), node, "input 'data'")


    def _rule(self, node, in_keys, out_keys, names):
        shapes = [self.shape.get(k) for k in in_keys]
        if self.np_shape and any(s is not None and 0 in s for s in shapes):
            new_ins, outs = self._rule_with_zero_dims(node, shapes)
        else:
            new_ins, outs = self._call_rule(node, [_to_rule(s) for s in shapes])
            new_ins = [_from_rule(s) for s in new_ins]
            outs = [_from_rule(s) for s in outs or ()]
        for key, name, shape in zip(in_keys, names, new_ins):
            self._set_shape(key, shape, node, f"input {name!r}")
        for j, (key, shape) in enumerate(zip(out_keys, outs)):
            self._set_shape(key, shape, node, f"output {j}")
        return any(s is not None for s in outs)  # the rule decided the outputs: no probing

    def _rule_from_output(self, node, in_keys, out_keys, names):
        """Unknown input dims from complete outputs (the op's ``infer_input_from_output``)."""
        ins = [self.shape.get(k) for k in in_keys]
        outs = [self.shape.get(k) for k in out_keys]
        if all(_known(s) for s in ins) or not any(_known(s) for s in outs):
            return  # (multi-output ops' rules read the complete outputs they need)
        if self.np_shape and any(0 in s for s in ins + outs if s is not None):
            return  # real zero-size dims would read as unknown in the legacy spelling
        new_ins = node.op.infer_input_from_output(node.parsed(), [_to_rule(s) for s in ins],
                                                  [_to_rule(s) for s in outs])
        for key, name, shape in zip(in_keys, names, new_ins):
            self._set_shape(key, _from_rule(shape), node, f"input {name!r}")

    @staticmethod
    def _call_rule(node, shapes):
        try:
            return node.op.infer_shape(node.parsed(), list(shapes))
        except MXNetError as err:
            raise ShapeError(f"infer_shape failed at node {node.name!r} ({node.op.name}): "
                             f"{err}") from None

    def _rule_with_zero_dims(self, node, shapes):
        """NumPy-shape mode: rules spell unknown dims as 0, so real zero-size dims go in as two
        large stand-in sizes; a result dim that moves with them is extrapolated back to size 0
        (copies, sums and products of the zero dims come out exact), else it is unknown."""
        runs = []
        for size in _ZERO_PROBES:
            spelled = [None if s is None else tuple(size if d == 0 else max(d, 0) for d in s)
                       for s in shapes]
            runs.append(self._call_rule(node, spelled))
        (ins1, outs1), (ins2, outs2) = runs
        return ([_unprobe(a, b) for a, b in zip(ins1, ins2)],
                [_unprobe(a, b) for a, b in zip(outs1 or (), outs2 or ())])

    def _fallback_dtypes(self, node, in_keys, out_keys):
        """Output dtypes without shapes: the op's ``dtype`` attribute, else its first input's."""
        if all(k in self.dtype for k in out_keys):
            return
        attr = node.parsed().get("dtype")
        probed = _probe_output_dtypes(node.op, node.parsed(), [self.dtype.get(k) for k in in_keys])
        if probed is not None and len(probed) == len(out_keys):
            for key, dt in zip(out_keys, probed):
                self.dtype.setdefault(key, dt)
            return
        if isinstance(attr, str) and attr not in ("None", ""):
            guess = to_torch_dtype(attr)
        elif in_keys and all(k in self.dtype for k in in_keys):
            guess = self.dtype[in_keys[0]]
        elif not in_keys:
            guess = to_torch_dtype("float32")
        else:
            return
        for key in out_keys:
            self.dtype.setdefault(key, guess)

    def _snapshot(self, keys):
        return [(self.shape.get(k), self.dtype.get(k)) for k in keys]

    def _set_shape(self, key, shape, node, what):
        if shape is None:
            return
        where = f"node {node.name!r} ({node.op.name}) {what}"
        self.shape[key] = _merge(self.shape.get(key), shape, where)

    def _tie(self, node, keys, names):
        shape = None
        for key in keys:
            s = self.shape.get(key)
            if s is not None:
                shape = s if shape is None else _merge(shape, s, f"node {node.name!r} "
                                                       f"({node.op.name}): inputs and output "
                                                       "must have one shape")
        if shape is not None:
            for key in keys:
                self.shape[key] = shape

    def _infer_dtypes(self, node, in_keys, out_keys):
        op = node.op
        names = node.input_names()
        ins = [self.dtype.get(k) for k in in_keys]
        if op.infer_type is not None:
            new_ins, outs = op.infer_type(node.parsed(), list(ins))
            for key, dt in zip(in_keys, new_ins):
                if dt is not None:
                    self.dtype.setdefault(key, to_torch_dtype(dt))
            for key, dt in zip(out_keys, outs or ()):
                if dt is not None:
                    self.dtype.setdefault(key, to_torch_dtype(dt))
            return
        if op.same_dtype == "all":
            group = list(range(len(in_keys)))
        elif op.same_dtype:
            group = [i for i, n in enumerate(names) if n in op.same_dtype]
        else:  # inputs may differ (labels, indices): unknown ones follow the first input
            group = [0] + [i for i in range(1, len(in_keys)) if ins[i] is None] if ins else []
        known = next((ins[i] for i in group if ins[i] is not None), None)
        outs_open = not all(k in self.dtype for k in out_keys)
        if (known is None and not op.same_dtype) or (known is not None and not outs_open):
            follows = False  # nothing the outputs could add or receive
        else:
            follows = _output_follows_inputs(op, node.parsed(), len(in_keys))
        if known is None and follows and op.same_dtype:
            known = next((self.dtype[k] for k in out_keys if k in self.dtype), None)
        if known is None:
            return
        for i in group:
            if ins[i] is None:
                self.dtype[in_keys[i]] = known
            elif ins[i] != known and op.same_dtype:
                raise MXNetError(
                    f"infer_type: node {node.name!r} ({op.name}) input {names[i]!r} has "
                    f"dtype {ins[i]}, expected {known} like the other inputs")
        if follows:
            for key in out_keys:
                self.dtype.setdefault(key, known)

    def _meta(self, node, in_keys, out_keys, in_shapes, shapes=True):
        from .._torch.meta import run_meta
        dtypes = [self.dtype.get(k) for k in in_keys]
        try:
            out_shapes, out_dtypes = run_meta(node.op, node.parsed(), in_shapes, dtypes)
        except MXNetError as err:
            raise ShapeError(f"infer_shape failed at node {node.name!r} ({node.op.name}): "
                             f"{err}") from None
        dtypes_known = all(d is not None for d in dtypes)
        for key, shape, dt in zip(out_keys, out_shapes, out_dtypes):
            if shapes:
                self._set_shape(key, self._computed(shape, node), node, "output")
            if dtypes_known:
                self.dtype.setdefault(key, dt)

    @staticmethod
    def _may_probe(op, names, shapes):
        rule = op.partial_shape
        if isinstance(rule, tuple):
            return all(_known(s) for n, s in zip(names, shapes) if n in rule)
        return bool(rule)

    def _probe(self, node, out_keys, shapes, dtypes):
        """Partially known outputs from meta runs with unknown dims set to probe sizes."""
        from .._torch.meta import run_meta
        results = []
        for size in _PROBES:
            filled = [tuple(size if d < 0 else d for d in s) for s in shapes]
            try:
                results.append(run_meta(node.op, node.parsed(), filled, dtypes)[0])
            except MXNetError:
                return  # the op cannot run on the probes: nothing learned
        first, second = results
        for key, a, b in zip(out_keys, first, second):
            if len(a) == len(b):
                self._set_shape(key, self._computed(tuple(x if x == y else -1 for x, y in
                                                          zip(a, b)), node), node, "output")

    def _computed(self, shape, node):
        """A computed shape. In legacy mode a 0 dim of a creation op's output (its ``shape``
        attribute, e.g. an RNN begin state in an exported graph) means unknown; a zero-size
        result of an op with inputs (``one_hot(depth=0)``, ``repeat(repeats=0)``) is real, as
        in MXNet."""
        if self.np_shape or node.inputs:
            return tuple(shape)
        return tuple(-1 if d == 0 else d for d in shape)


_FOLLOWS = {}


def _output_follows_inputs(op, attrs, count):
    """True when the op's outputs take its inputs' dtype (learned once per op and attributes
    from a meta run on float16 inputs; ops with a ``dtype`` attribute never follow)."""
    if attrs.get("dtype") not in (None, "None") or not count:
        return False
    try:
        key = (op.name, tuple(sorted(attrs.items())))
    except TypeError:
        return False
    hit = _FOLLOWS.get(key)
    if hit is None:
        from .._torch.meta import output_follows_input_dtype
        hit = _FOLLOWS[key] = output_follows_input_dtype(op, attrs, count)
    return hit


_PROBED = {}


def _probe_output_dtypes(op, attrs, in_dtypes):
    """Output dtypes of ``op`` for known input dtypes, from meta runs on small stand-in shapes
    (dtypes like norm's out_dtype or histogram's int64 counts do not depend on the shapes);
    None when an input dtype is unknown or no stand-in shape runs."""
    if not in_dtypes or any(d is None for d in in_dtypes):
        return None
    try:
        key = (op.name, tuple(sorted(attrs.items())), tuple(in_dtypes))
    except TypeError:
        return None
    if key not in _PROBED:
        from .._torch.meta import output_dtypes_on_probe_shapes
        _PROBED[key] = output_dtypes_on_probe_shapes(op, attrs, list(in_dtypes))
    return _PROBED[key]


def _parse_tuple(text):
    import ast
    value = ast.literal_eval(text)
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


# --------------------------------------------------------------------------------------------
# the Symbol methods
# --------------------------------------------------------------------------------------------


def _named_inputs(symbol, args, kwargs, what):
    arg_names = symbol.list_arguments()
    inputs = set(symbol.list_inputs())
    given = {}
    if len(args) > len(arg_names):
        raise MXNetError(f"{what}: {len(args)} positional shapes for {len(arg_names)} arguments")
    for name, value in zip(arg_names, args):
        if value is not None:
            given[name] = value
    for name, value in kwargs.items():
        if name not in inputs:
            raise MXNetError(f"{what}: {name!r} is not an input of this symbol; inputs are "
                             f"{sorted(inputs)}")
        if value is not None:
            given[name] = value
    return given


def analyse(symbol, shapes=None, dtypes=None):
    """Run inference; returns (GraphInference, arg nodes, aux nodes)."""
    order = symbol._order()
    graph = GraphInference(order)
    graph.seed_variables(shapes or {}, dtypes or {})
    graph.run()
    aux = aux_variable_ids(order)
    arg_nodes = [n for n in order if n.is_variable and id(n) not in aux]
    aux_nodes = [n for n in order if n.is_variable and id(n) in aux]
    return graph, arg_nodes, aux_nodes


def infer_shape(symbol, args, kwargs, partial):
    np_shape = _MODE.np_shape
    given = {k: tuple(v) for k, v in _named_inputs(symbol, args, kwargs, "infer_shape").items()}
    try:
        graph, arg_nodes, aux_nodes = analyse(symbol, shapes=given)
    except ShapeError as err:
        listed = "\n".join(f"  {k}: {v}" for k, v in given.items())
        raise ShapeError(f"{err}\n given shapes:\n{listed}") from None
    arg = [graph.shape.get((id(n), 0)) for n in arg_nodes]
    out = [graph.shape.get((id(n), i)) for n, i in symbol._outputs]
    aux = [graph.shape.get((id(n), 0)) for n in aux_nodes]
    if not partial:
        unknown = [(n.name, s) for n, s in zip(arg_nodes + aux_nodes, arg + aux) if not _known(s)]
        if unknown or not all(_known(s) for s in out):
            listed = "\n".join(f"\t{name}: {internal_to_user(s, np_shape)}"
                               for name, s in unknown)
            warnings.warn("Cannot decide shape for the following arguments (0s in shape means "
                          f"unknown dimensions). Consider providing them as input:\n{listed}",
                          stacklevel=3)
            return None, None, None
    user = (lambda shapes: [internal_to_user(s, np_shape) for s in shapes])
    return user(arg), user(out), user(aux)


def infer_type(symbol, args, kwargs, partial):
    given = _named_inputs(symbol, args, kwargs, "infer_type")
    graph, arg_nodes, aux_nodes = analyse(symbol, dtypes=given)
    to_np = (lambda t: None if t is None else TORCH_TO_NP_TYPE[t])
    arg = [to_np(graph.dtype.get((id(n), 0))) for n in arg_nodes]
    out = [to_np(graph.dtype.get((id(n), i))) for n, i in symbol._outputs]
    aux = [to_np(graph.dtype.get((id(n), 0))) for n in aux_nodes]
    if not partial and (None in arg or None in aux or None in out):
        unknown = [n.name for n, t in zip(arg_nodes + aux_nodes, arg + aux) if t is None]
        listed = "\n".join(f"\t{name}: None" for name in unknown)
        warnings.warn("Cannot decide type for the following arguments. Consider providing them "
                      f"as input:\n{listed}", stacklevel=3)
        return None, None, None
    return arg, out, aux
