"""Shape and dtype inference over a Symbol graph.

Each op node contributes what it knows:
- ``OpDef.infer_shape`` fills unknown input shapes from known ones (FullyConnected's weight
  from the data shape) and may give output shapes;
- ops with ``shape_rule == "same"`` tie every input and output to one shape, in both
  directions (``fc + b`` gives ``b`` the shape of ``fc``'s output);
- otherwise, once every input shape is known, output shapes and dtypes come from running the
  op's compute on ``meta`` tensors (no memory, no arithmetic).
Passes repeat until nothing changes. A 0 inside a shape is an unknown dim (MXNet legacy).
"""
import warnings

from ..base import MXNetError, ShapeError
from .._torch.dtypes import FLAG_TO_TORCH, TORCH_TO_NP_TYPE, to_torch_dtype
from .symbol import aux_variable_ids

_MAX_PASSES = 50


def _known(shape):
    return shape is not None and all(d > 0 for d in shape)


def _merge(old, new, where):
    """Combine two partial shapes; raise on a conflict. Returns the merged shape."""
    if new is None:
        return old
    new = tuple(int(d) for d in new)
    if old is None:
        return new
    if len(old) != len(new):
        if not old:
            return new
        raise ShapeError(f"{where}: inferred shape {new}, but it is already {old}")
    merged = []
    for a, b in zip(old, new):
        if a > 0 and b > 0 and a != b:
            raise ShapeError(f"{where}: inferred shape {new}, but it is already {old}")
        merged.append(a if a > 0 else b)
    return tuple(merged)


class GraphInference:
    """Shapes and dtypes of every entry of a graph, keyed by ``(id(node), output)``."""

    def __init__(self, order):
        self.order = order
        self.shape = {}
        self.dtype = {}

    def seed_variables(self, shapes, dtypes):
        for node in self.order:
            if not node.is_variable:
                continue
            key = (id(node), 0)
            hint = node.attrs.get("__shape__")
            if hint:
                self.shape[key] = tuple(int(d) for d in _parse_tuple(hint))
            if node.name in shapes:  # a given shape overrides the variable's __shape__ hint
                self.shape[key] = tuple(int(d) for d in shapes[node.name])
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
        op, attrs = node.op, node.parsed()
        in_keys = [(id(c), i) for c, i in node.inputs]
        out_keys = [(id(node), i) for i in range(node.num_outputs())]
        before = self._snapshot(in_keys + out_keys)
        names = node.input_names()
        ins = [self.shape.get(k) for k in in_keys]
        if op.infer_shape is not None:
            try:
                new_ins, outs = op.infer_shape(attrs, list(ins))
            except MXNetError as err:
                raise ShapeError(f"infer_shape failed at node {node.name!r} ({op.name}): "
                                 f"{err}") from None
            for key, name, shape in zip(in_keys, names, new_ins):
                self._set_shape(key, shape, node, f"input {name!r}")
            for j, (key, shape) in enumerate(zip(out_keys, outs or ())):
                self._set_shape(key, shape, node, f"output {j}")
        if getattr(op, "shape_rule", None) == "same":
            self._tie(node, in_keys + out_keys, names)
        self._infer_dtypes(node, in_keys, out_keys)
        ins = [self.shape.get(k) for k in in_keys]
        if all(_known(s) for s in ins) and not all(
                _known(self.shape.get(k)) and k in self.dtype for k in out_keys):
            self._meta(node, in_keys, out_keys, ins)
        self._fallback_dtypes(node, in_keys, out_keys)
        return self._snapshot(in_keys + out_keys) != before

    def _fallback_dtypes(self, node, in_keys, out_keys):
        """Output dtypes without shapes: the op's ``dtype`` attribute, else its first input's."""
        if all(k in self.dtype for k in out_keys):
            return
        attr = node.parsed().get("dtype")
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
        group = range(len(in_keys)) if op.same_dtype == "all" else [
            i for i, n in enumerate(names) if n in (op.same_dtype or ())]
        known = next((ins[i] for i in group if ins[i] is not None), None)
        if known is not None:
            for i in group:
                if ins[i] is None:
                    self.dtype[in_keys[i]] = known
                elif ins[i] != known:
                    raise MXNetError(
                        f"infer_type: node {node.name!r} ({op.name}) input {names[i]!r} has "
                        f"dtype {ins[i]}, expected {known} like the other inputs")

    def _meta(self, node, in_keys, out_keys, shapes):
        from .._torch.meta import run_meta
        dtypes = [self.dtype.get(k) for k in in_keys]
        try:
            out_shapes, out_dtypes = run_meta(node.op, node.parsed(), shapes, dtypes)
        except MXNetError as err:
            raise ShapeError(f"infer_shape failed at node {node.name!r} ({node.op.name}): "
                             f"{err}") from None
        dtypes_known = all(d is not None for d in dtypes)
        for key, shape, dt in zip(out_keys, out_shapes, out_dtypes):
            self._set_shape(key, shape, node, "output")
            if dtypes_known:
                self.dtype.setdefault(key, dt)


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
            listed = "\n".join(f"\t{name}: {s or ()}" for name, s in unknown)
            warnings.warn("Cannot decide shape for the following arguments (0s in shape means "
                          f"unknown dimensions). Consider providing them as input:\n{listed}",
                          stacklevel=3)
            return None, None, None
    fix = (lambda s: s if s is not None else ())
    return [fix(s) for s in arg], [fix(s) for s in out], [fix(s) for s in aux]


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
