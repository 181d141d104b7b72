"""Symbol: a graph of operator nodes and variables, as in MXNet 1.x.

A node is an OpDef (or a variable), a name, MXNet attribute strings and input entries
``(node, output_index)``. A Symbol is a list of output entries (one for most symbols, several
for ``Group``). Symbols are immutable except for attributes; composition copies.
"""
import json
import warnings
import weakref
from array import array  # noqa: F401  (MXNet's module exposes it)
from builtins import slice as py_slice  # noqa: F401
from numbers import Number  # noqa: F401

import numpy as _np

from ..attribute import AttrScope
from ..base import (MXNetError, NotImplementedForSymbol, _Null, integer_types,  # noqa: F401
                    numeric_types, py_str, string_types)
from ..context import Context, current_context  # noqa: F401
from ..name import NameManager
from ..util import is_np_shape  # noqa: F401

# ``from mxnet.symbol.symbol import *`` (the helpers are resolved by ``__getattr__`` below).
__all__ = ["Symbol", "var", "Variable", "Group", "arange", "eye", "full", "histogram", "hypot",
           "linspace", "load", "load_json", "maximum", "minimum", "ones", "pow", "power",
           "split_v2", "zeros"]

# Attributes MXNet also reports without underscores (list_attr shows both spellings).
HIDDEN_KEYS = ("ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage")
_STYPE_IDS = {"default": 0, "row_sparse": 1, "csr": 2}


class Node:
    """One graph node: an operator application or a variable (``op is None``)."""
    __slots__ = ("op", "name", "attrs", "inputs", "_parsed", "subgraphs", "__weakref__")

    def __init__(self, op, name, attrs=None, inputs=()):
        self.op = op
        self.name = name
        self.attrs = dict(attrs) if attrs else {}
        self.inputs = list(inputs)
        self._parsed = None
        self.subgraphs = None

    @property
    def is_variable(self):
        return self.op is None

    def parsed(self, strict=True):
        """The op's parsed attributes (cached)."""
        if self._parsed is None:
            self._parsed = self.op.parse_attrs(self.attrs, node=self.name, strict=strict)
        if self.subgraphs and self._parsed.get("subgraphs") is None:  # control-flow nodes
            from ._subgraph import runners
            self._parsed = dict(self._parsed, subgraphs=runners(self.subgraphs))
        return self._parsed

    def num_outputs(self):
        return 1 if self.op is None else self.op.output_count(self.parsed())

    def input_names(self):
        return self.op.input_names(self.parsed(), len(self.inputs))

    def aux_positions(self):
        """Input positions the op mutates as auxiliary states (BatchNorm moving stats)."""
        if self.op is None or not self.op.aux:
            return ()
        aux = self.op.aux_names(self.parsed())
        return tuple(i for i, n in enumerate(self.input_names()) if n in aux)

    def output_names(self):
        if self.op is None:
            return [self.name]
        return [f"{self.name}_{n}" for n in self.op.output_name_list(self.parsed())]

    def __repr__(self):
        return f"<Node {self.name} ({'var' if self.op is None else self.op.name})>"


# MXNet numbers the writes to a variable: each op composed with it as an auxiliary (mutated)
# input takes the variable's next version, and JSON inputs carry that number
# (``[node, output, version]``). Kept beside the graph so Node stays small.
_WRITES = weakref.WeakKeyDictionary()          # variable node -> writes so far
_ENTRY_VERSIONS = weakref.WeakKeyDictionary()  # op node -> {input position: version}


def record_writes(node, versions=None):
    """Give ``node``'s auxiliary variable inputs their next version (or ``versions``, a
    {position: version} read from a file)."""
    for pos in node.aux_positions():
        child = node.inputs[pos][0]
        if not child.is_variable:
            continue
        count = _WRITES.get(child, 0)
        version = versions.get(pos, count + 1) if versions else count + 1
        _WRITES[child] = max(count, version)
        _ENTRY_VERSIONS.setdefault(node, {})[pos] = version


def entry_version(node, pos):
    """Version number of ``node``'s input ``pos`` in symbol JSON."""
    return _ENTRY_VERSIONS.get(node, {}).get(pos, 1)


def topo_order(entries):
    """Nodes reachable from ``entries`` in MXNet's order (DFS post-order, inputs in order)."""
    order, seen = [], set()
    for head, _ in entries:
        if id(head) in seen:
            continue
        stack = [(head, iter(head.inputs))]
        seen.add(id(head))
        while stack:
            node, it = stack[-1]
            for child, _ in it:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def aux_variable_ids(order):
    """ids of variable nodes that feed an auxiliary-state input somewhere in the graph."""
    aux = set()
    for node in order:
        for pos in node.aux_positions():
            child = node.inputs[pos][0]
            if child.is_variable:
                aux.add(id(child))
    return aux


class Symbol:
    """Symbolic graph output(s); build with ``mx.sym.var`` and ``mx.sym.<Op>``."""
    __slots__ = ("_outputs", "__weakref__")

    def __init__(self, handle):
        # ``handle`` is the graph: a list of output entries (node, index), where MXNet has a
        # C handle.
        if not isinstance(handle, list):
            raise MXNetError("Symbol(handle) wraps an MXNet C handle, which mxtorch does not "
                             "have; build symbols with mx.sym.var and mx.sym.<Op>")
        self._outputs = handle

    # ---- structure ---------------------------------------------------------------------------
    def _order(self):
        return topo_order(self._outputs)

    @property
    def name(self):
        """Name of the single output's node (None for a group of several outputs)."""
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].name

    def list_arguments(self):
        """Names of the free inputs that are not auxiliary states, in graph order."""
        order = self._order()
        aux = aux_variable_ids(order)
        return [n.name for n in order if n.is_variable and id(n) not in aux]

    def list_auxiliary_states(self):
        """Names of the inputs operators update in place (BatchNorm moving_mean/var)."""
        order = self._order()
        aux = aux_variable_ids(order)
        return [n.name for n in order if n.is_variable and id(n) in aux]

    def list_inputs(self):
        """Names of all free inputs (arguments and auxiliary states) in graph order."""
        return [n.name for n in self._order() if n.is_variable]

    def list_outputs(self):
        """Names of the outputs (``<node>_output``, variables by their own name)."""
        return [node.output_names()[i] for node, i in self._outputs]

    def _variables(self):
        return [n for n in self._order() if n.is_variable]

    def get_internals(self):
        """A group of every intermediate output of the graph."""
        outputs = []
        for node in self._order():
            outputs.extend((node, i) for i in range(node.num_outputs()))
        return Symbol(outputs)

    def get_children(self):
        """The inputs of this symbol's output node (None for a variable)."""
        entries, seen = [], set()
        for node, _ in self._outputs:
            if id(node) not in seen:  # outputs of one node share its inputs (MXNet lists them once)
                seen.add(id(node))
                entries.extend(node.inputs)
        return Symbol(list(entries)) if entries else None

    def _gen_atomic_symbol(self):
        """A new symbol applying this symbol's operator, with the same attributes, to fresh
        variables (MXNet's atomic symbol of the node)."""
        node = self._outputs[0][0]
        if node.op is None:
            raise MXNetError(f"_gen_atomic_symbol: {node.name!r} is a variable, not an operator")
        raw = {k: v for k, v in node.attrs.items() if not k.startswith("__")}
        if node.op.variadic:
            inputs = [Variable(f"{node.name}_arg{i}") for i in range(len(node.inputs))]
        else:
            inputs = {}
        return create(node.op, node.op.name.lower(), inputs, raw, name=node.name)

    def __getitem__(self, index):
        if isinstance(index, str):
            names = self.list_outputs()
            matches = [i for i, n in enumerate(names) if n == index]
            if not matches:
                raise ValueError(f"cannot find output {index!r}; outputs are {names}")
            if len(matches) > 1:
                raise ValueError(f"there are {len(matches)} outputs named {index!r}")
            index = matches[0]
        if isinstance(index, slice):
            return type(self)(self._outputs[index])
        if not isinstance(index, (int, _np.integer)):
            raise TypeError(f"Symbol indexing picks outputs by int position or output name, "
                            f"got {index!r}; array-style indexing needs sym.slice/sym.take")
        if not -len(self._outputs) <= index < len(self._outputs):
            raise IndexError(f"output index {index} out of range for {len(self._outputs)} outputs")
        return type(self)([self._outputs[index]])

    def __iter__(self):
        return (type(self)([entry]) for entry in self._outputs)

    def __len__(self):
        return len(self._outputs)

    def __bool__(self):
        # MXNet raises NotImplementedForSymbol; it is also a NotImplementedError here.
        raise _SymbolTruthError(self.__bool__, "bool")

    # ---- attributes --------------------------------------------------------------------------
    def _single_node(self, what):
        if len(self._outputs) != 1:
            raise MXNetError(f"{what} needs a single-output symbol, this one has "
                             f"{len(self._outputs)} outputs")
        return self._outputs[0][0]

    def attr(self, key):
        """The string attribute ``key`` of this symbol's node, or None (also for groups)."""
        if len(self._outputs) != 1:
            return None
        node = self._outputs[0][0]
        attrs = _with_plain_aliases(node.attrs)
        return attrs.get(key)

    def list_attr(self, recursive=False):
        """Attributes of this symbol's node (``recursive`` is deprecated: see attr_dict)."""
        if recursive:
            raise DeprecationWarning("list_attr(recursive=True) is deprecated; use attr_dict()")
        if not self._outputs:
            return {}
        return _with_plain_aliases(self._outputs[0][0].attrs)  # a group: its first output

    def attr_dict(self):
        """{node name: attributes} for every node of the graph that has attributes."""
        out = {}
        for node in self._order():
            if node.attrs:
                out[node.name] = _with_plain_aliases(node.attrs)
        return out

    def _set_attr(self, **kwargs):
        node = self._single_node("_set_attr")
        for key, value in kwargs.items():
            if not isinstance(value, str):
                raise ValueError(f"attribute values must be strings, got {key}={value!r}")
            node.attrs[key] = value
            node._parsed = None

    # ---- composition ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        """Compose: substitute free inputs by other symbols (``net(data=other)``)."""
        result = self.__copy__()
        result._compose(*args, **kwargs)
        return result

    def _compose(self, *args, **kwargs):
        name = kwargs.pop("name", None)
        if args and kwargs:
            raise TypeError("compose accepts positional or keyword arguments, not both")
        free = self._variables()
        by_name = {}
        if args:
            arg_names = self.list_arguments()
            for arg_name, value in zip(arg_names, args):
                by_name[arg_name] = value
        else:
            known = {n.name for n in free}
            for key, value in kwargs.items():
                if key not in known:
                    raise MXNetError(f"compose: {key!r} is not an input of this symbol; inputs "
                                     f"are {sorted(known)}")
                by_name[key] = value
        replace = {}
        for var_node in free:
            value = by_name.get(var_node.name)
            if value is None:
                continue
            if not isinstance(value, Symbol) or len(value._outputs) != 1:
                raise TypeError(f"compose: input {var_node.name!r} must be a single-output "
                                f"Symbol, got {value!r}")
            replace[id(var_node)] = value._outputs[0]
        for node in self._order():
            node.inputs = [replace.get(id(child), (child, idx)) if child.is_variable
                           else (child, idx) for child, idx in node.inputs]
        self._outputs = [replace.get(id(n), (n, i)) if n.is_variable else (n, i)
                         for n, i in self._outputs]
        if name and len(self._outputs) == 1 and not self._outputs[0][0].is_variable:
            self._outputs[0][0].name = name

    def __copy__(self):
        """Deep copy of the graph (nodes are mutable through _set_attr and compose)."""
        mapping = {}
        for node in self._order():
            clone = Node(node.op, node.name, node.attrs,
                         [(mapping[id(c)], i) for c, i in node.inputs])
            clone.subgraphs = node.subgraphs
            mapping[id(node)] = clone
            if node in _ENTRY_VERSIONS:
                _ENTRY_VERSIONS[clone] = dict(_ENTRY_VERSIONS[node])
            if node in _WRITES:
                _WRITES[clone] = _WRITES[node]
        return type(self)([(mapping[id(n)], i) for n, i in self._outputs])

    copy = __copy__

    def __deepcopy__(self, memo):
        return self.__copy__()

    # ---- printing, pickling, files -------------------------------------------------------------
    def __repr__(self):
        name = self.name
        if name is None:
            return f"<Symbol group [{', '.join(self._output_node_names())}]>"
        return f"<Symbol {name}>"

    __str__ = __repr__

    def _output_node_names(self):
        return [n.name for n, _ in self._outputs]

    def debug_str(self):
        """A readable listing of the graph: its outputs, then every node with inputs and
        attributes (MXNet's layout: ``name(output index)``, variables with ``version=0``)."""
        lines = ["Symbol Outputs:"]
        lines += [f"\toutput[{i}]={node.name}({idx})" for i, (node, idx) in enumerate(self._outputs)]
        for node in self._order():
            if node.is_variable:
                lines.append(f"Variable:{node.name}")
                continue
            lines += ["-" * 20, f"Op:{node.op.name}, Name={node.name}", "Inputs:"]
            for i, (child, idx) in enumerate(node.inputs):
                version = " version=0" if child.is_variable else ""
                lines.append(f"\targ[{i}]={child.name}({idx}){version}")
            if node.attrs:
                lines.append("Attrs:")
                lines += [f"\t{k}={v}" for k, v in sorted(node.attrs.items())]
        return "\n".join(lines) + "\n"

    def tojson(self, remove_amp_cast=True):
        """The graph in MXNet's symbol JSON format (without the ``amp_cast`` and
        ``amp_multicast`` nodes AMP inserted, unless `remove_amp_cast` is False)."""
        from ._json import to_json, without_amp_casts
        return to_json(Symbol(without_amp_casts(self._outputs)) if remove_amp_cast else self)

    def save(self, fname, remove_amp_cast=True):
        """Write ``tojson(remove_amp_cast)`` to ``fname`` (atomically)."""
        from ..ndarray.utils import _atomic_write
        _atomic_write(fname, self.tojson(remove_amp_cast).encode("utf-8"))

    def __getstate__(self):
        return {"handle": self.tojson()}

    def __setstate__(self, state):
        from ._json import from_json
        self._outputs = from_json(state["handle"])._outputs

    def __reduce__(self):
        return (_unpickle_symbol, (self.tojson(),))

    # ---- inference, binding, evaluation ----------------------------------------------------
    def infer_shape(self, *args, **kwargs):
        """(arg_shapes, out_shapes, aux_shapes) from known input shapes; Nones if incomplete."""
        from ._infer import infer_shape
        return infer_shape(self, args, kwargs, partial=False)

    def infer_shape_partial(self, *args, **kwargs):
        """Like infer_shape, but unknown shapes come back as () / with 0 dims."""
        from ._infer import infer_shape
        return infer_shape(self, args, kwargs, partial=True)

    def infer_type(self, *args, **kwargs):
        """(arg_types, out_types, aux_types) as numpy types; Nones if incomplete."""
        from ._infer import infer_type
        return infer_type(self, args, kwargs, partial=False)

    def infer_type_partial(self, *args, **kwargs):
        from ._infer import infer_type
        return infer_type(self, args, kwargs, partial=True)

    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None, group2ctx=None,
             shared_exec=None):
        """Bind arrays to the arguments: returns an Executor."""
        from .executor import Executor
        return Executor.bind(self, ctx, args, args_grad, grad_req, aux_states, group2ctx,
                             shared_exec)

    def simple_bind(self, ctx, grad_req="write", type_dict=None, stype_dict=None, group2ctx=None,
                    shared_arg_names=None, shared_exec=None, shared_buffer=None, **kwargs):
        """Allocate arguments from shapes (``data=(32, 100)``) and bind: returns an Executor."""
        from .executor import Executor
        return Executor.simple_bind(self, ctx, grad_req, type_dict, stype_dict, shared_exec,
                                    shared_buffer, kwargs, group2ctx)

    _bind = bind
    _simple_bind = simple_bind

    def eval(self, ctx=None, **kwargs):
        """Evaluate with the given NDArrays as inputs; returns the list of outputs."""
        from ..context import current_context
        ctx = ctx or current_context()
        executor = self.bind(ctx, kwargs, grad_req="null")
        return executor.forward()

    def gradient(self, wrt):
        raise MXNetError("Symbol.gradient is not implemented in MXNet 1.x either; bind the "
                         "symbol and call Executor.backward")

    def optimize_for(self, backend, args=None, aux=None, ctx=None, **kwargs):
        """Graph partitioning backends do not apply to mxtorch; returns the symbol unchanged."""
        warnings.warn(f"optimize_for(backend={backend!r}) has no effect in mxtorch", stacklevel=2)
        return self

    def get_backend_symbol(self, backend):
        return self

    # ---- NDArray-only methods ----------------------------------------------------------------
    def as_nd_ndarray(self):
        """This symbol (it already has the legacy ``mx.sym`` semantics)."""
        return self

    def as_np_ndarray(self):
        """The same graph as an ``mx.sym.np._Symbol`` (NumPy semantics); no copy is made."""
        from .numpy._symbol import _Symbol
        return _Symbol(self._outputs)

    def as_in_context(self):
        raise NotImplementedForSymbol(self.as_in_context, None)

    def asnumpy(self):
        raise NotImplementedForSymbol(self.asnumpy, None)

    def asscalar(self):
        raise NotImplementedForSymbol(self.asscalar, None)

    def backward(self):
        raise NotImplementedForSymbol(self.backward, None)

    def detach(self):
        raise NotImplementedForSymbol(self.detach, None)

    def wait_to_read(self):
        raise NotImplementedForSymbol(self.wait_to_read, None)


def _unpickle_symbol(text):
    from ._json import from_json
    return from_json(text)


def _with_plain_aliases(attrs):
    out = dict(attrs)
    for key in HIDDEN_KEYS:
        hidden = f"__{key}__"
        if hidden in attrs:
            out[key] = attrs[hidden]
    return out


# --------------------------------------------------------------------------------------------
# variables and groups
# --------------------------------------------------------------------------------------------


def var(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
        stype=None, profiler_scope=None, **kwargs):
    """A symbolic variable (a free input of the graph).

    Parameters
    ----------
    name : str
        Variable name.
    attr : dict of str to str, optional
        Extra attributes.
    shape : tuple, optional
        Shape hint (``__shape__``) used by infer_shape.
    lr_mult, wd_mult : float, optional
        Learning-rate / weight-decay multipliers (``__lr_mult__``, ``__wd_mult__``).
    dtype : str or numpy dtype, optional
        Type hint (``__dtype__``).
    init : Initializer or str, optional
        Initializer (``__init__``).
    stype : str, optional
        Storage type ('default', 'row_sparse', 'csr').
    """
    if not isinstance(name, str):
        raise TypeError(f"variable name must be a string, got {name!r}")
    attrs = AttrScope.current.get(attr)
    if shape is not None:
        attrs["__shape__"] = str(tuple(shape))
    if lr_mult is not None:
        attrs["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        attrs["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        from .._torch.dtypes import TORCH_TO_FLAG, to_torch_dtype
        attrs["__dtype__"] = str(TORCH_TO_FLAG[to_torch_dtype(dtype)])
    if init is not None:
        attrs["__init__"] = init if isinstance(init, str) else init.dumps()
    if stype is not None:
        attrs["__storage_type__"] = str(_STYPE_IDS[stype])
    if profiler_scope is not None:
        attrs["__profiler_scope__"] = profiler_scope
    for key, value in kwargs.items():
        if not (key.startswith("__") and key.endswith("__")):
            raise ValueError(f"attribute {key!r} is not supported: extra variable attributes "
                             "must start and end with double underscores, e.g. __layout__")
        attrs[key] = str(value)
    return Symbol([(Node(None, name, attrs), 0)])


Variable = var


def Group(symbols, create_fn=None):  # noqa: N802 - MXNet's name
    """One symbol whose outputs are the outputs of ``symbols``, in order.

    Parameters
    ----------
    symbols : list of Symbol
    create_fn : callable, optional
        Builds the result from its handle (default ``Symbol``).
    """
    if not symbols or not all(isinstance(s, Symbol) for s in symbols):
        raise TypeError("Group expects a non-empty list of Symbols")
    outputs = []
    for s in symbols:
        outputs.extend(s._outputs)
    return (create_fn or Symbol)(outputs)


# --------------------------------------------------------------------------------------------
# creating op nodes (the sym door)
# --------------------------------------------------------------------------------------------

# Initializers MXNet attaches to the variables some ops get as inputs (op -> input -> init).
_BN_INIT = {"moving_mean": '["zero", {}]', "moving_var": '["one", {}]'}
_INPUT_INIT = {"BatchNorm": _BN_INIT, "BatchNorm_v1": _BN_INIT,
               "_contrib_SyncBatchNorm": _BN_INIT, "_contrib_BatchNormWithReLU": _BN_INIT,
               "UpSampling": {"weight": '["bilinear", {}]'}}


class _SymbolTruthError(NotImplementedForSymbol, NotImplementedError):
    """``bool(symbol)``: a Symbol has no value until it is bound."""

    def __init__(self, function, alias=None, *args):
        super().__init__(function, alias, *args)
        self.args = (f"{self.args[0]} A Symbol has no truth value until bound; compare with "
                     "`is None` instead.",)


def attr_string(op, key, value):
    """MXNet's string form of a Python attribute value (what its front end stores)."""
    if isinstance(value, str):
        return value
    spec = op.attr_map.get(key)
    if spec is not None and spec.kind.name == "dtype" and value is not None:
        from .._torch.dtypes import dtype_name
        return dtype_name(value)
    if spec is not None and spec.kind.name == "Context":
        return str(value)
    if spec is not None and isinstance(value, (type, _np.dtype)):  # e.g. dtype=np.float32
        return spec.kind.format(spec.kind.parse(value))
    return str(_plain(value))


def _plain(value):
    """``value`` with NumPy scalars inside tuples/lists as Python numbers, so that the string
    reads like MXNet's ('(1, 2)', not NumPy 2's '(np.int64(1), np.int64(2))')."""
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, _np.generic):
        return value.item()
    return value


def create(op, hint, inputs, raw, name=None, attr=None):
    """A new op node over ``inputs`` ({input name: Symbol}); missing inputs become variables."""
    # NOTE: MXNet turns lr_mult/wd_mult/ctx_group... passed to an op into hidden attributes
    # of the node (and of the variables it creates): FullyConnected(..., wd_mult=0.3).
    hidden = {f"__{k}__": str(raw.pop(k)) for k in HIDDEN_KEYS if k in raw and k not in op.attr_map}
    attrs = {k: attr_string(op, k, v) for k, v in raw.items() if v is not _Null}
    parsed = op.parse_attrs(attrs)
    attrs.update(hidden)
    name = NameManager.current.get(name, hint)
    # NOTE: MXNet stores an op's `attr` values as text (str(value)), unlike var()'s.
    attrs.update(AttrScope.current.get(
        {k: v if isinstance(v, str) else str(v) for k, v in attr.items()} if attr else attr))
    entries = []
    if op.variadic:
        names = op.input_names(parsed, len(inputs))
        entries = [_entry_of(op, n, s) for n, s in zip(names, inputs)]
        for input_name in names[len(inputs):]:  # e.g. bilinear UpSampling's weight
            entries.append((_auto_variable(op, name, input_name, attrs), 0))
    else:
        for input_name in op.input_names(parsed):
            value = inputs.pop(input_name, None)
            if value is None:
                entries.append((_auto_variable(op, name, input_name, attrs), 0))
            else:
                entries.append(_entry_of(op, input_name, value))
        if inputs:
            raise MXNetError(f"{op.name}: input(s) {sorted(inputs)} are not used with these "
                             f"attributes")
    node = Node(op, name, attrs, entries)
    node._parsed = parsed
    if op.aux:
        record_writes(node)
    inits = _INPUT_INIT.get(op.name)
    if inits:
        for (child, _), input_name in zip(entries, node.input_names()):
            init = inits.get(input_name)
            if child.is_variable and init and "__init__" not in child.attrs:
                child.attrs["__init__"] = init
    outputs = [(node, i) for i in range(node.num_outputs())]
    if op.name.startswith(("_np_", "_npi_", "_npx_")):  # NumPy operators give NumPy symbols
        from .numpy._symbol import _Symbol
        return _Symbol(outputs)
    return Symbol(outputs)


def _entry_of(op, input_name, value):
    if not isinstance(value, Symbol):
        raise TypeError(f"{op.name}: input {input_name!r} must be a Symbol, got "
                        f"{type(value).__name__}")
    if len(value._outputs) != 1:
        raise MXNetError(f"{op.name}: input {input_name!r} is a group of {len(value._outputs)} "
                         "outputs; pick one with sym[i]")
    return value._outputs[0]


def _auto_variable(op, node_name, input_name, op_attrs):
    # NOTE: MXNet copies the op node's attributes onto the variables it creates for missing
    # inputs (fc1_weight carries num_hidden), and readers must tolerate that.
    return Node(None, f"{node_name}_{input_name}", json.loads(json.dumps(op_attrs)))


# MXNet defines these in this module; mxtorch keeps them in the package modules that import
# this one, so they are resolved on first use.
_LATE = dict({n: "._helpers" for n in ("zeros", "ones", "full", "arange", "linspace", "eye",
                                       "pow", "power", "maximum", "minimum", "hypot",
                                       "histogram", "split_v2")},
             load="._json", load_json="._json", Executor=".executor", op=None)


def __getattr__(name):
    import importlib
    if name == "NDArray":
        from ..ndarray.ndarray import NDArray
        return NDArray
    if name not in _LATE:
        raise AttributeError(f"module 'mxtorch.symbol.symbol' has no attribute {name!r}")
    if _LATE[name] is None:
        return importlib.import_module(".op", __package__)
    return getattr(importlib.import_module(_LATE[name], __package__), name)
