"""``mx.npx`` operators: the registry's ops called through the nd door on ``mx.np`` arrays
(``npx.relu`` is ``_npx_relu``, ``npx.convolution`` is ``Convolution``...), returning
``mx.np`` arrays. Legacy ``mx.nd`` inputs are refused with the fix."""
import inspect
import numbers

from ..base import _Null
from ..ndarray import _gen
from ..ndarray.ndarray import NDArray
from ..numpy._door import as_np, call, to_np

# npx name -> registered op name
NAMES = {
    "relu": "_npx_relu", "sigmoid": "_npx_sigmoid", "activation": "Activation",
    "softmax": "softmax", "log_softmax": "log_softmax", "batch_norm": "BatchNorm",
    "layer_norm": "LayerNorm", "convolution": "Convolution", "deconvolution": "Deconvolution",
    "pooling": "Pooling", "fully_connected": "FullyConnected", "dropout": "Dropout",
    "embedding": "Embedding", "one_hot": "one_hot", "pick": "pick", "topk": "topk",
    "sequence_mask": "SequenceMask", "batch_dot": "batch_dot", "batch_flatten": "Flatten",
    "gather_nd": "gather_nd", "rnn": "RNN", "leaky_relu": "LeakyReLU",
    "smooth_l1": "smooth_l1", "gamma": "gamma", "gammaln": "gammaln", "erf": "erf",
    "erfinv": "erfinv", "arange_like": "_contrib_arange_like", "shape_array": "shape_array",
    "reshape_like": "reshape_like", "slice": "slice", "cast": "Cast",
    "roi_pooling": "ROIPooling", "multibox_prior": "_contrib_MultiBoxPrior",
    "multibox_target": "_contrib_MultiBoxTarget",
    "multibox_detection": "_contrib_MultiBoxDetection", "group_norm": "GroupNorm",
    "instance_norm": "InstanceNorm", "softmin": "softmin", "scatter_nd": "scatter_nd",
    "broadcast_like": "broadcast_like", "slice_axis": "slice_axis", "size_array": "size_array",
}


def _check(fname, args, kwargs):
    for v in list(args) + list(kwargs.values()):
        if isinstance(v, NDArray) and type(v) is NDArray:
            raise TypeError(f"npx.{fname}: got a legacy mx.nd.NDArray; mx.npx operators take "
                            "mx.np arrays (x.as_np_ndarray())")


def _make(fname, op_name):
    nd_fn = _gen.ND_FUNCTIONS[op_name]

    def fn(*args, **kwargs):
        _check(fname, args, kwargs)
        return as_np(nd_fn(*args, **kwargs))
    fn.__name__ = fn.__qualname__ = fname
    fn.__signature__ = nd_fn.__signature__
    fn.__doc__ = nd_fn.__doc__
    fn.__module__ = "mxtorch.numpy_extension"
    return fn


OPS = {name: _make(name, op) for name, op in NAMES.items()}
globals().update(OPS)
__all__ = sorted(OPS)


def reshape(a, newshape, reverse=False, order="C"):
    """Reshape with MXNet 2's codes: -1 infer, -2 copy a dim, -3 drop a size-1 dim, -4 copy
    the remaining dims, -5 merge two dims, -6 split a dim into the next two values."""
    if isinstance(newshape, numbers.Integral):
        newshape = (newshape,)
    return call("_npx_reshape", [to_np(a, "reshape")], newshape=tuple(newshape),
                reverse=reverse, order=order)


def nonzero(a):
    """Indices of the non-zero elements as an (n, ndim) int64 array."""
    return call("_npx_nonzero", [to_np(a, "nonzero")])


def constraint_check(x, msg="Constraint violated!"):
    """Raise MXNetError(msg) unless every element of ``x`` is true; returns True (0-d)."""
    return call("_npx_constraint_check", [to_np(x, "constraint_check")], msg=msg)


def masked_softmax(data, mask, axis=-1, temperature=1.0, normalize=True):
    """Softmax over ``axis`` where ``mask`` is true; masked positions give 0."""
    from .. import numpy as mnp
    data, mask = to_np(data, "masked_softmax"), to_np(mask, "masked_softmax")
    mask = mask.astype("bool", copy=False)
    neg = mnp.where(mask, data / temperature, float("-inf"))
    out = OPS["softmax"](neg, axis=axis)
    return mnp.where(mask, out, 0.0)


def masked_log_softmax(data, mask, axis=-1, temperature=1.0, normalize=True):
    """Log-softmax over ``axis`` where ``mask`` is true; masked positions give -inf."""
    from .. import numpy as mnp
    data, mask = to_np(data, "masked_log_softmax"), to_np(mask, "masked_log_softmax")
    mask = mask.astype("bool", copy=False)
    neg = mnp.where(mask, data / temperature, float("-inf"))
    out = OPS["log_softmax"](neg, axis=axis)
    return mnp.where(mask, out, float("-inf"))


__all__ += ["reshape", "nonzero", "constraint_check", "masked_softmax", "masked_log_softmax"]
_unused = (inspect, _Null)
