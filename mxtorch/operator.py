"""``mx.operator``: Python custom operators (``CustomOp``, ``CustomOpProp``, ``register``).

Register a prop class under a name, then call ``mx.nd.Custom(x, op_type=name, ...)`` or
``mx.sym.Custom(data=x, op_type=name, ...)``. Extra keyword arguments reach the prop's
constructor as strings, as in MXNet. Custom ops run synchronously in the calling thread.
"""
import collections
import inspect
import traceback  # noqa: F401 - part of MXNet's module namespace
import warnings
from array import array  # noqa: F401 - part of MXNet's module namespace
from ctypes import Structure, cast, pointer  # noqa: F401 - part of MXNet's module namespace
from threading import Lock  # noqa: F401 - part of MXNet's module namespace

import numpy as np

from . import context, symbol  # noqa: F401 - part of MXNet's module namespace
from .base import MXNetError, py_str  # noqa: F401
from .ndarray.ndarray import NDArray, _wrap
from .ndarray.utils import array as _nd_array, zeros
from .ops import REGISTRY
from .ops import custom as _custom
from .util import is_np_array  # noqa: F401 - part of MXNet's module namespace
from ._torch.dtypes import TORCH_TO_NAME, TORCH_TO_NP_TYPE, to_torch_dtype

__all__ = ["CustomOp", "CustomOpProp", "register", "get_all_registered_operators",
           "get_operator_arguments", "OperatorArguments", "PythonOp", "NumpyOp", "NDArrayOp",
           "Lock", "NDArray", "Structure", "array", "cast", "collections", "context",
           "is_np_array", "pointer", "py_str", "symbol", "traceback", "warnings"]

_PROPS = {}


class CustomOp:
    """Base class of a custom operator's computation."""

    def forward(self, is_train, req, in_data, out_data, aux):
        """Compute ``out_data`` from ``in_data`` (use ``self.assign``)."""
        raise NotImplementedError("CustomOp subclasses must implement forward")

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        """Compute ``in_grad`` from ``out_grad`` (use ``self.assign``)."""
        raise NotImplementedError("CustomOp subclasses must implement backward")

    def assign(self, dst, req, src):
        """Write ``src`` into ``dst`` according to ``req`` ('write', 'inplace', 'add', 'null')."""
        if req == "null":
            return
        if req in ("write", "inplace"):
            dst[:] = src
        elif req == "add":
            dst[:] = dst + src
        else:
            raise MXNetError(f"CustomOp.assign: unknown req {req!r}")


class CustomOpProp:
    """Describes a custom operator: its inputs/outputs, shapes, types and how to create it."""

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def infer_shape(self, in_shape):
        """(input shapes, output shapes, aux shapes); default: outputs like the first input."""
        return in_shape, [in_shape[0]] * len(self.list_outputs()), []

    def infer_type(self, in_type):
        """(input types, output types, aux types); default: everything like the first input."""
        t = in_type[0]
        return ([t] * len(self.list_arguments()), [t] * len(self.list_outputs()),
                [t] * len(self.list_auxiliary_states()))

    def infer_storage_type(self, in_stype):
        """(input, output, aux) storage types; default: every output and aux 'default'."""
        return in_stype, ["default"] * len(self.list_outputs()), \
            ["default"] * len(self.list_auxiliary_states())

    def infer_storage_type_backward(self, ograd_stype, in_stype, out_stype, igrad_stype,
                                    aux_stype):
        """Storage types of the backward pass: every gradient 'default' (only dense
        gradients are supported by default, as in MXNet)."""
        for stype in list(ograd_stype) + list(in_stype) + list(out_stype):
            if stype not in ("default", -1):
                raise MXNetError(f"{type(self).__name__}.infer_storage_type_backward: the default "
                                 f"implementation supports dense arrays only, got {stype!r}; "
                                 "override it for sparse inputs")
        return (["default"] * len(ograd_stype), list(in_stype), list(out_stype),
                ["default"] * len(igrad_stype), list(aux_stype))

    def list_arguments(self):
        return ["data"]

    def list_outputs(self):
        return ["output"]

    def list_auxiliary_states(self):
        return []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        deps = list(in_data) + list(out_data)
        return (list(out_grad) if self.need_top_grad_ else []) + deps

    def create_operator(self, ctx, in_shapes, in_dtypes):
        raise NotImplementedError("CustomOpProp subclasses must implement create_operator")


def register(reg_name):
    """Class decorator registering a CustomOpProp subclass under ``reg_name``."""
    def do_register(prop_cls):
        if not (isinstance(prop_cls, type) and issubclass(prop_cls, CustomOpProp)):
            raise TypeError(f"mx.operator.register({reg_name!r}) expects a CustomOpProp "
                            f"subclass, got {prop_cls!r}")
        _PROPS[reg_name] = prop_cls
        return prop_cls
    return do_register


def get_all_registered_operators():
    """Names of every registered operator (built-in and aliases)."""
    return sorted(REGISTRY)


OperatorArguments = collections.namedtuple("OperatorArguments", ["narg", "names", "types"])


def get_operator_arguments(op_name):
    """The inputs and attributes of operator ``op_name``: ``OperatorArguments(narg, names,
    types)`` with MXNet-style type descriptions."""
    op = REGISTRY.get(op_name)
    if op is None:
        raise MXNetError(f"get_operator_arguments: no operator named {op_name!r}")
    if op.variadic:
        names, types = ["data"], ["NDArray-or-Symbol[]"]
    else:
        names = list(op.all_inputs)
        types = ["NDArray-or-Symbol"] * len(names)
    for attr in op.attrs:
        names.append(attr.name)
        types.append(_attr_type(attr))
    return OperatorArguments(len(names), names, types)


_KIND_TYPES = {"tuple of int": "Shape(tuple)", "str": "string"}


def _attr_type(attr):
    kind = _KIND_TYPES.get(attr.kind.name, attr.kind.name)
    if attr.default is inspect.Parameter.empty:
        return f"{kind}, required"
    default = attr.default
    if kind == "boolean" and isinstance(default, bool):
        return f"{kind}, optional, default={int(default)}"  # MXNet writes booleans as 0/1
    return f"{kind}, optional, default={attr.kind.format(default)}"


def _get_prop(attrs):
    op_type = attrs.get("op_type")
    prop_cls = _PROPS.get(op_type)
    if prop_cls is None:
        raise MXNetError(f"Custom: no custom operator registered as {op_type!r}; registered: "
                         f"{sorted(_PROPS)} (use @mx.operator.register({op_type!r}))")
    kwargs = {k: v for k, v in attrs.items() if k != "op_type"}
    return prop_cls(**kwargs)


class _Runner:
    """One Custom call: creates the user's CustomOp and converts tensors to NDArrays."""

    def __init__(self, attrs, tensors):
        self.prop = _get_prop(attrs)
        self.num_args = len(self.prop.list_arguments())
        self.num_inputs = len(tensors)
        shapes = [list(t.shape) for t in tensors[:self.num_args]]
        dtypes = [TORCH_TO_NP_TYPE[t.dtype] for t in tensors[:self.num_args]]
        _, self.out_shapes, _ = self.prop.infer_shape(shapes)
        _, self.out_types, _ = self.prop.infer_type(dtypes)
        from .context import context_of_device
        self.ctx = context_of_device(tensors[0].device) if tensors else None
        self.op = self.prop.create_operator(self.ctx, shapes, dtypes)

    def forward(self, is_train, args, aux):
        in_data = [_wrap(t.detach(), self.ctx) for t in args]
        aux_data = [_wrap(t, self.ctx) for t in aux]
        out_data = [zeros(tuple(s), ctx=self.ctx, dtype=TORCH_TO_NAME[to_torch_dtype(dt)])
                    for s, dt in zip(self.out_shapes, self.out_types)]
        self.op.forward(is_train, ["write"] * len(out_data), in_data, out_data, aux_data)
        return [o._t for o in out_data]

    def backward(self, out_grads, args, outs, aux):
        in_data = [_wrap(t.detach(), self.ctx) for t in args]
        out_data = [_wrap(t.detach(), self.ctx) for t in outs]
        out_grad = [_wrap(g.contiguous(), self.ctx) for g in out_grads]
        in_grad = [zeros(t.shape, ctx=self.ctx, dtype=TORCH_TO_NAME[t.dtype]) for t in args]
        self.op.backward(["write"] * len(in_grad), out_grad, in_data, out_data, in_grad,
                         [_wrap(t, self.ctx) for t in aux])
        return [g._t for g in in_grad]


_custom.BRIDGE["get_prop"] = _get_prop
_custom.BRIDGE["make_runner"] = _Runner


# --------------------------------------------------------------------------------------------
# The deprecated PythonOp interface (NumpyOp, NDArrayOp), run through Custom
# --------------------------------------------------------------------------------------------


class PythonOp:
    """Base of the deprecated Python operators (use ``CustomOp``): subclass ``NumpyOp`` or
    ``NDArrayOp``, then call the instance on symbols to make a graph node.

    Parameters
    ----------
    need_top_grad : bool, default True
        Whether backward needs the gradient of the outputs.
    """

    def __init__(self, need_top_grad=True):
        self.info_ = None
        self.need_top_grad_ = need_top_grad
        warnings.warn("PythonOp has been deprecated. Please use CustomOp", stacklevel=2)

    def __call__(self, *args, **kwargs):
        return self.get_symbol(*args, **kwargs)

    def get_symbol(self, *args, **kwargs):
        """A Symbol applying this operator to the given input symbols."""
        raise NotImplementedError(f"{type(self).__name__}.get_symbol must be overridden")

    def forward(self, in_data, out_data):
        """Fill ``out_data`` from ``in_data``; default: identity."""
        out_data[0][:] = in_data[0]

    def backward(self, out_grad, in_data, out_data, in_grad):
        """Fill ``in_grad``; default: ones."""
        in_grad[0][:] = 1.0

    def infer_shape(self, in_shape):
        """(input shapes, output shapes); default: one output shaped like the first input."""
        return in_shape, [in_shape[0]]

    def list_outputs(self):
        return ["output"]

    def list_arguments(self):
        return ["data"]

    def need_top_grad(self):
        """Whether backward uses the output gradient."""
        return self.need_top_grad_


class _PythonOpProp(CustomOpProp):
    """Adapts a PythonOp instance (class attribute ``pyop``) to CustomOpProp."""
    pyop = None
    numpy = True

    def __init__(self, **_attrs):
        super().__init__(need_top_grad=self.pyop.need_top_grad())

    def list_arguments(self):
        return self.pyop.list_arguments()

    def list_outputs(self):
        return self.pyop.list_outputs()

    def infer_shape(self, in_shape):
        shapes = self.pyop.infer_shape(in_shape)
        return shapes[0], shapes[1], []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        declare = getattr(self.pyop, "declare_backward_dependency", None)
        if declare is not None:
            return declare(out_grad, in_data, out_data)
        return super().declare_backward_dependency(out_grad, in_data, out_data)

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return _PythonOpKernel(self.pyop, self.numpy)


class _PythonOpKernel(CustomOp):
    """Runs a PythonOp's forward/backward on NumPy copies (NumpyOp) or NDArrays (NDArrayOp)."""

    def __init__(self, pyop, numpy):
        self.pyop = pyop
        self.numpy = numpy

    def _call(self, method, req, inputs, outputs):
        if not self.numpy:
            method(*inputs, outputs)
            return
        np_inputs = [[x.asnumpy() for x in group] for group in inputs]
        np_outputs = [np.zeros(o.shape, dtype=o.dtype) for o in outputs]
        method(*np_inputs, np_outputs)
        for dst, r, src in zip(outputs, req, np_outputs):
            self.assign(dst, r, _nd_array(src, ctx=dst.context, dtype=dst.dtype))

    def forward(self, is_train, req, in_data, out_data, aux):
        self._call(self.pyop.forward, req, [in_data], out_data)

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        self._call(self.pyop.backward, req, [out_grad, in_data, out_data], in_grad)


def _python_op_symbol(pyop, numpy, args, kwargs):
    op_type = f"_{type(pyop).__name__}_{id(pyop)}"
    if op_type not in _PROPS:
        prop = type(f"{type(pyop).__name__}Prop", (_PythonOpProp,),
                    {"pyop": pyop, "numpy": numpy})
        _PROPS[op_type] = prop
    return symbol.Custom(*args, op_type=op_type, **kwargs)


class NumpyOp(PythonOp):
    """Deprecated: an operator whose forward/backward work on NumPy arrays (``out[:] = ...``).
    Calling the instance on symbols (``op(data=x, name='sq')``) builds the graph node."""

    def __init__(self, need_top_grad=True):
        super().__init__(need_top_grad)
        warnings.warn("NumpyOp has been deprecated. Please use CustomOp", stacklevel=2)

    def get_symbol(self, *args, **kwargs):
        return _python_op_symbol(self, True, args, kwargs)


class NDArrayOp(PythonOp):
    """Deprecated: an operator whose forward/backward work on NDArrays in place."""

    def __init__(self, need_top_grad=True):
        super().__init__(need_top_grad)
        warnings.warn("NDArrayOp has been deprecated. Please use CustomOp", stacklevel=2)

    def get_symbol(self, *args, **kwargs):
        return _python_op_symbol(self, False, args, kwargs)

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        """Which of ``out_grad``, ``in_data``, ``out_data`` backward uses (default: all it
        may need)."""
        deps = list(in_data) + list(out_data)
        return (list(out_grad) if self.need_top_grad() else []) + deps
