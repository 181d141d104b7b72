"""``mx.operator``: Python custom operators (``CustomOp``, ``CustomOpProp``, ``register``).

Register a prop class under a name, then call ``mx.nd.Custom(x, op_type=name, ...)`` or
``mx.sym.Custom(data=x, op_type=name, ...)``. Extra keyword arguments reach the prop's
constructor as strings, as in MXNet. Custom ops run synchronously in the calling thread.
"""
from .base import MXNetError
from .ndarray.ndarray import _wrap
from .ndarray.utils import zeros
from .ops import REGISTRY
from .ops import custom as _custom
from ._torch.dtypes import TORCH_TO_NAME, TORCH_TO_NP_TYPE, to_torch_dtype

__all__ = ["CustomOp", "CustomOpProp", "register", "get_all_registered_operators"]

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
        return in_stype, ["default"] * len(self.list_outputs()), \
            ["default"] * len(self.list_auxiliary_states())

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
