"""The operator registry: every MXNet operator is one ``OpDef``, registered with ``@defop``.

An OpDef is data plus one pure torch function (``compute``). The nd, sym and F front doors,
JSON load/save and the graph compiler all read the same OpDef; nothing else defines an op.

compute contract
    ``compute(*tensors, **attrs)`` gets the input tensors in ``inputs(attrs)`` order and every
    declared attribute, parsed (plus ``is_train=`` when ``train_aware``). It returns one tensor
    when ``num_outputs`` is 1, else a tuple. It may mutate only the inputs named in ``mutate``
    (BatchNorm's moving stats, optimizer states). No NDArray, no Symbol, no global state.
"""
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from ..base import AttributeParseError, MXNetError, _Null

REQUIRED = inspect.Parameter.empty


@dataclass(frozen=True)
class Attr:
    """One operator attribute: name, kind (see ``_attrs``), default and a doc line."""
    name: str
    kind: Any
    default: Any = REQUIRED
    doc: str = ""


VARIADIC = "*"


class SparseParts(NamedTuple):
    """A sparse array as ``sparse_compute`` kernels see it: storage type, shape and parts
    (csr: ``aux = (indptr, indices)``; row_sparse: ``aux = (indices,)``; int64 aux)."""
    stype: str
    shape: tuple
    data: Any
    aux: tuple


@dataclass(eq=False)
class OpDef:
    """Everything mxtorch knows about one MXNet operator.

    Parameters
    ----------
    name : canonical MXNet name, as written in symbol JSON ("FullyConnected", "_plus_scalar").
    inputs : tuple of input names, a callable ``attrs -> tuple`` (names that depend on attrs,
        e.g. FullyConnected without bias), or ``VARIADIC`` (any number: ``arg0, arg1...``).
    attrs : declared attributes, in MXNet's order (positional nd calls rely on it).
    compute : the torch implementation (see module docstring).
    all_inputs : every input name the op can take, in order (defaults to ``inputs``).
    aux : names of auxiliary-state inputs (listed by ``list_auxiliary_states``), or
        ``attrs -> names``.
    extra_attrs : accept attributes beyond ``attrs`` and pass them on as strings (``Custom``
        forwards them to the user's CustomOpProp).
    mutate : input names the op writes in place (aux states, optimizer states).
    num_outputs : int or ``attrs -> int``.
    output_names : names of the outputs (``output`` / ``output0``...) or ``attrs -> names``.
    num_args : attribute holding the input count of a variadic op ("num_args").
    variadic_names : ``(attrs, count) -> names`` for variadic ops whose inputs have real names
        in some modes (bilinear UpSampling takes ``data, weight``); default ``arg0, arg1...``.
    infer_shape : ``(attrs, in_shapes) -> (in_shapes, out_shapes_or_None)``; only for ops that
        must fill unknown input shapes or whose rules torch cannot express.
    infer_input_from_output : ``(attrs, in_shapes, out_shapes) -> in_shapes`` (legacy spelling,
        0 = unknown dim): fills unknown input dims from known output shapes, MXNet's backward
        rule of ``Reshape`` and ``_rnn_param_concat`` (a nested fused RNN learns its input width).
    infer_type : ``(attrs, in_dtypes) -> (in_dtypes, out_dtypes)``; default: run on meta tensors.
    same_dtype : input names that must share one dtype (MXNet never promotes); default all.
    train_aware : compute takes ``is_train=`` (Dropout, BatchNorm...).
    shape_rule : "same" when every input and output has one shape (element-wise ops); shape
        inference then fills unknown inputs from outputs too. "value" when output dims depend
        on input values (boolean_mask): inference leaves the dims its rule cannot give unknown.
    partial_shape : how shape inference treats inputs with unknown dims when no rule decides:
        True (default) probes the op on meta tensors with two sizes for the unknown dims and
        keeps the output dims that do not change; False leaves the outputs unknown until every
        input is complete (MXNet's rule for argmax, Flatten...); a tuple of input names probes
        only once those inputs are complete (``take``'s indices).
    aliases : other registered names (``_Plus`` for ``elemwise_add``).
    stype : MXNet's forward storage-type rule, ``(attrs, in_stypes) -> out stype`` (a str, or
        a list for several outputs); None means every output is 'default' (storage fallback
        for sparse inputs). Filled from the one table in ``ops/sparse.py``; read by the nd
        door, Symbol/Executor and Gluon alike.
    nd_name : python name in its namespace when it differs from the derived one.
    sparse_compute : ``(inputs, out, **attrs) -> result or NotImplemented``, run by the nd
        door when an input is sparse. ``inputs`` holds tensors for dense inputs and
        ``SparseParts`` for sparse ones; ``out`` is the ``out=`` target (tensor, SparseParts
        or None) the kernel may write into in place. NotImplemented means "no sparse kernel
        for these storage types": the door falls back to the dense ``compute``.
    out_alias : the OpDef the nd door runs instead when ``out=`` is the op's first input, for
        MXNet kernels whose result depends on that aliasing (``nag_mom_update`` writes the new
        weight before its momentum reads the weight again).
    grad_stype : ``(attrs, in_stypes) -> tuple`` of MXNet's gradient storage type per input
        ('default', 'row_sparse', 'csr'); None: every gradient is dense.
    """
    name: str
    inputs: Any
    attrs: tuple
    compute: Callable
    all_inputs: tuple = None
    aux: tuple = ()
    mutate: tuple = ()
    num_outputs: Any = 1
    output_names: Any = None
    num_args: str = None
    variadic_names: Callable = None
    infer_shape: Callable = None
    infer_input_from_output: Callable = None
    infer_type: Callable = None
    same_dtype: Any = None
    train_aware: bool = False
    extra_attrs: bool = False
    shape_rule: str = None
    partial_shape: Any = True
    aliases: tuple = ()
    stype: Callable = None
    sparse_compute: Callable = None
    grad_stype: Callable = None
    out_alias: Any = None
    doc: str = ""
    attr_map: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)

    def __post_init__(self):
        self.attr_map = {a.name: a for a in self.attrs}
        self.defaults = {a.name: a.default for a in self.attrs if a.default is not REQUIRED}
        self.required = tuple(a.name for a in self.attrs if a.default is REQUIRED)
        self.variadic = self.inputs == VARIADIC
        if self.all_inputs is None:
            self.all_inputs = () if (self.variadic or callable(self.inputs)) else tuple(self.inputs)
        self.all_inputs = tuple(self.all_inputs)
        self.static_inputs = None if (self.variadic or callable(self.inputs)) else tuple(self.inputs)
        self.static_num_outputs = self.num_outputs if isinstance(self.num_outputs, int) else None
        if self.same_dtype is None:
            self.same_dtype = "all"
        # one output, no training flag, no in-place inputs: front doors may call compute
        # directly on dense inputs (the fast paths of the nd and np doors)
        self.plain = self.static_num_outputs == 1 and not self.train_aware and not self.mutate

    def __repr__(self):
        return f"<OpDef {self.name}>"

    # ---- attributes -----------------------------------------------------------------------
    def parse_attrs(self, raw, node=None, strict=True):
        """Parse a mapping of attribute values (Python values or MXNet strings).

        With ``strict=False`` (files written by other MXNet versions) unknown attributes are
        dropped instead of rejected; so are they for ops that declare no attributes at all
        (MXNet's parameterless ops ignore them: ``broadcast_mul(a, b, axis=-1)``).
        """
        parsed = dict(self.defaults)
        attr_map = self.attr_map
        for key, value in raw.items():
            spec = attr_map.get(key)
            if spec is None:
                if key.startswith("__") and key.endswith("__"):
                    continue  # hidden symbol attributes (__lr_mult__...), not op parameters
                if self.extra_attrs:
                    parsed[key] = value if isinstance(value, str) else str(value)
                    continue
                if not strict or not attr_map:
                    continue  # MXNet: an op without parameters ignores any (broadcast_mul(axis=))
                raise AttributeParseError(
                    f"{self._where(node)}: unknown attribute {key!r}={value!r}; valid attributes "
                    f"are {sorted(attr_map) or 'none'}")
            if value is _Null:
                continue
            try:
                parsed[key] = spec.kind.parse(value)
            except (ValueError, TypeError, SyntaxError) as err:
                raise AttributeParseError(
                    f"{self._where(node)}: invalid value {value!r} for attribute {key!r} "
                    f"(expected {spec.kind.name}): {err}") from None
        if self.required and any(n not in parsed for n in self.required):
            missing = [n for n in self.required if n not in parsed]
            if missing:
                raise AttributeParseError(
                    f"{self._where(node)}: required attribute(s) {missing} missing; "
                    f"e.g. {self.name}(..., {missing[0]}=...)")
        return parsed

    def format_attrs(self, parsed, only=None):
        """MXNet attribute strings for ``parsed`` values (only the keys in ``only`` if given)."""
        keys = parsed if only is None else [k for k in only if k in parsed]
        return {k: self.attr_map[k].kind.format(parsed[k]) for k in keys
                if k in self.attr_map and parsed[k] is not REQUIRED}

    # ---- inputs / outputs -----------------------------------------------------------------
    def input_names(self, attrs, count=None):
        """Input names for parsed ``attrs`` (``count`` inputs for a variadic op)."""
        if self.static_inputs is not None:
            return self.static_inputs
        if self.variadic:
            if count is None:
                count = attrs.get(self.num_args, 0) if self.num_args else 0
            if self.variadic_names is not None:
                return tuple(self.variadic_names(attrs, count))
            return tuple(f"arg{i}" for i in range(count))
        return tuple(self.inputs(attrs))

    def output_count(self, attrs):
        if self.static_num_outputs is not None:
            return self.static_num_outputs
        count = self.num_outputs(attrs)
        if not 0 <= count <= MAX_OUTPUTS:  # a Symbol with 2**31 outputs would never finish
            raise AttributeParseError(f"{self.name}: the attributes ask for {count} outputs; "
                                      f"an operator has 0 to {MAX_OUTPUTS}")
        return count

    def aux_names(self, attrs):
        return tuple(self.aux(attrs)) if callable(self.aux) else self.aux

    def total_output_count(self, attrs):
        """Outputs MXNet's graph node has, including hidden ones (BatchNorm: 3, 1 visible)."""
        from ._outputs import HIDDEN_OUTPUTS
        spec = HIDDEN_OUTPUTS.get(self.name)
        if spec is None:
            return self.output_count(attrs)
        total = spec[0]
        return total(attrs) if callable(total) else total

    def output_name_list(self, attrs):
        """Names of the visible outputs without the node prefix ('output', 'mean'...).

        MXNet names a node's outputs ``output`` when it has one (hidden ones included) and
        ``output<i>`` otherwise, unless the op names them (BatchNorm: output, mean, var).
        """
        from ._outputs import HIDDEN_OUTPUTS
        count = self.output_count(attrs)
        names = self.output_names
        if names is None and self.name in HIDDEN_OUTPUTS:
            names = HIDDEN_OUTPUTS[self.name][1]
        if names is not None:
            names = names(attrs) if callable(names) else names
            return list(names)[:count]
        total = self.total_output_count(attrs)
        return ["output"] if total == 1 else [f"output{i}" for i in range(count)]

    def _where(self, node):
        return f"{self.name}" + (f" (node {node!r})" if node else "")


REGISTRY: dict = {}
MAX_OUTPUTS = 1 << 16


def defop(name, *, inputs=("data",), attrs=(), **spec):
    """Register the decorated function as MXNet operator ``name`` (and its ``aliases``)."""
    def register(compute):
        op = OpDef(name, inputs, tuple(attrs), compute, doc=spec.pop("doc", compute.__doc__ or ""),
                   **spec)
        for key in (name, *op.aliases):
            if key in REGISTRY:
                raise MXNetError(f"operator {key!r} registered twice ({REGISTRY[key].compute.__module__}"
                                 f" and {compute.__module__})")
            REGISTRY[key] = op
        return compute
    return register


def get_op(name):
    """The OpDef registered under ``name`` or an alias; MXNetError if unknown."""
    op = REGISTRY.get(name)
    if op is None:
        raise MXNetError(unknown_op_message(name))
    return op


def unknown_op_message(name):
    """Why ``name`` is not available: the unsupported-list reason, or that it is unknown."""
    from ._unsupported import reason
    why = reason(name)
    if why:
        return f"operator {name!r} is not supported by mxtorch: {why}"
    return (f"operator {name!r} is not an MXNet 1.9.1 operator known to mxtorch; custom "
            "operators can be added with mx.operator.register")


def all_ops():
    """Distinct OpDefs, each once."""
    seen = {}
    for op in REGISTRY.values():
        seen[id(op)] = op
    return list(seen.values())
