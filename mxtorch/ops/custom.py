"""The ``Custom`` operator: runs a user's ``mx.operator.CustomOp`` inside torch autograd.

The op's inputs, outputs, shapes and dtypes come from the registered ``CustomOpProp``
(``op_type`` attribute; every other attribute reaches the prop's constructor as a string).
The user's forward/backward work on NDArrays; ``mxtorch.operator`` installs the two small
converters (``BRIDGE``) so this module never imports the NDArray layer. Unlike MXNet there are
no engine threads: a custom op is an ordinary synchronous autograd node.
"""
import torch

from ..base import MXNetError
from ._attrs import STR
from ._registry import VARIADIC, Attr, defop

# Filled by mxtorch.operator: prop lookup and tensor <-> NDArray converters.
BRIDGE = {}


def _prop(attrs):
    get_prop = BRIDGE.get("get_prop")
    if get_prop is None:
        raise MXNetError("Custom: import mxtorch.operator (mx.operator) before using Custom ops")
    return get_prop(attrs)


def _inputs(attrs, count=None):
    prop = _prop(attrs)
    return tuple(prop.list_arguments()) + tuple(prop.list_auxiliary_states())


def _aux(attrs):
    return tuple(_prop(attrs).list_auxiliary_states())


def _num_outputs(attrs):
    return len(_prop(attrs).list_outputs())


def _output_names(attrs):
    return tuple(_prop(attrs).list_outputs())


def _infer_shape(attrs, in_shapes):
    prop = _prop(attrs)
    n_args = len(prop.list_arguments())
    if not in_shapes or in_shapes[0] is None:
        return in_shapes, None
    # Unknown shapes reach the prop as [] (it may fill them, e.g. a label from the data).
    arg_shapes, out_shapes, aux_shapes = prop.infer_shape(
        [list(s) if s is not None else [] for s in in_shapes[:n_args]])
    filled = [tuple(s) for s in arg_shapes] + [tuple(s) for s in aux_shapes or ()]
    return filled + list(in_shapes[len(filled):]), [tuple(s) for s in out_shapes]


def _infer_type(attrs, in_dtypes):
    prop = _prop(attrs)
    n_args = len(prop.list_arguments())
    if any(t is None for t in in_dtypes[:n_args]):
        return in_dtypes, None
    from .._torch.dtypes import TORCH_TO_NP_TYPE
    arg_t, out_t, aux_t = prop.infer_type([TORCH_TO_NP_TYPE[t] for t in in_dtypes[:n_args]])
    return list(arg_t) + list(aux_t or ()), list(out_t)


class _CustomFunction(torch.autograd.Function):
    """forward/backward of one Custom node; the user's code sees NDArrays."""

    @staticmethod
    def forward(ctx, runner, is_train, num_args, *tensors):
        ctx.runner = runner
        outs = runner.forward(is_train, tensors[:num_args], tensors[num_args:])
        ctx.save_for_backward(*tensors, *outs)
        ctx.num_args = num_args
        return tuple(outs)

    @staticmethod
    def backward(ctx, *out_grads):
        saved = ctx.saved_tensors
        n_in = ctx.runner.num_inputs
        inputs, outputs = saved[:n_in], saved[n_in:]
        grads = ctx.runner.backward(out_grads, inputs[:ctx.num_args], outputs,
                                    inputs[ctx.num_args:])
        return (None, None, None) + tuple(grads) + (None,) * (n_in - ctx.num_args)


@defop("Custom", inputs=VARIADIC, variadic_names=_inputs, aux=_aux, num_outputs=_num_outputs,
       output_names=_output_names, attrs=(Attr("op_type", STR, doc="Registered name"),),
       extra_attrs=True, train_aware=True, infer_shape=_infer_shape, infer_type=_infer_type,
       same_dtype=())
def custom(*tensors, is_train, op_type, **kwargs):
    """Run the CustomOp registered as ``op_type``."""
    attrs = dict(kwargs, op_type=op_type)
    runner = BRIDGE["make_runner"](attrs, tensors)
    outs = _CustomFunction.apply(runner, is_train, runner.num_args, *tensors)
    return outs[0] if len(outs) == 1 else tuple(outs)
