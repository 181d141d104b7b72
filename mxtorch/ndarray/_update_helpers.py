"""MXNet's Python wrappers over the AdamW/LAMB update kernels (``nd.contrib.adamw_update``...):
``rescale_grad`` may be a number or a 1-element array, lists of weights are interleaved.

Also the nd door's route to an op's ``sparse_compute`` (``sparse_apply``): sparse inputs
reach the kernel as their parts (``ops.SparseParts``), dense ones as tensors.
"""
from ..base import ShapeError
from ..ops._invoke import check_same_dtype
from ..ops._registry import SparseParts
from .ndarray import NDArray as _NDArray, _wrap


def _ops():
    from ._gen import ND_FUNCTIONS
    return ND_FUNCTIONS


def _parts_of(array):
    """SparseParts of a sparse NDArray, the tensor of a dense one."""
    if array.stype == "default":
        return array._t
    data, *aux = array._sparse_parts()
    return SparseParts(array.stype, array.shape, data, tuple(aux))


def _commit(array, parts):
    """Make a sparse array whose parts a kernel wrote in place show the new values (for
    storage that keeps a dense value next to its parts)."""
    if not isinstance(parts, SparseParts):
        return
    dense = getattr(array, "_t", None)
    data = parts.data
    if dense is not None and dense is not data and tuple(dense.shape) == tuple(data.shape) \
            and dense.data_ptr() != data.data_ptr():
        dense.copy_(data)


def sparse_apply(op, arrays, attrs, out=None):
    """Run ``op.sparse_compute`` on NDArrays with sparse inputs (the nd door's sparse path).

    Returns the result array(s), or NotImplemented when the op has no sparse kernel for these
    storage types (the caller then runs the dense compute).
    """
    inputs = [_parts_of(a) for a in arrays]
    if op.same_dtype and len(inputs) > 1:
        check_same_dtype(op, [_data_of(x) for x in inputs], attrs)
    _check_same_shape(op, arrays, attrs)
    target = None if out is None else _parts_of(out)
    result = op.sparse_compute(inputs, target, **attrs)
    if result is NotImplemented:
        return result
    names = op.input_names(attrs, len(arrays))
    for name, array, x in zip(names, arrays, inputs):
        if name in op.mutate:
            _commit(array, x)
    if out is not None and result is target:
        _commit(out, target)
        return out
    return _as_array(result, arrays[0].context)


def _data_of(x):
    return x.data if isinstance(x, SparseParts) else x


def _check_same_shape(op, arrays, attrs):
    if op.shape_rule != "same" or not arrays:
        return
    names = op.input_names(attrs, len(arrays))
    for name, a in zip(names[1:], arrays[1:]):
        if a.shape != arrays[0].shape:
            raise ShapeError(f"{op.name}: input {name!r} has shape {a.shape}, expected "
                             f"{arrays[0].shape} like input {names[0]!r}")


def _as_array(result, ctx):
    if isinstance(result, SparseParts):
        from .sparse import _from_parts
        return _from_parts(result.stype, result.shape, result.data, result.aux, ctx)
    return _wrap(result, ctx)


def _rescale_array(rescale_grad, like):
    """The AdamW kernels take ``rescale_grad`` as a 1-element array; accept a number too."""
    if isinstance(rescale_grad, _NDArray):
        return rescale_grad.as_in_context(like.context)
    from .utils import full
    return full((1,), rescale_grad, ctx=like.context)


def _interleave(*lists):
    return [a for group in zip(*lists) for a in group]


def adamw_update(weight, grad, mean, var, rescale_grad, lr, eta, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, wd=0, clip_gradient=-1, out=None, name=None, **kwargs):
    """AdamW step (``mean``, ``var`` and ``grad`` are updated in place)."""
    return _ops()["_adamw_update"](weight, grad, mean, var, _rescale_array(rescale_grad, weight),
                                 lr=lr, eta=eta, beta1=beta1, beta2=beta2, epsilon=epsilon,
                                 wd=wd, clip_gradient=clip_gradient, out=out, name=name,
                                 **kwargs)


def mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad, lr, eta, beta1=0.9,
                    beta2=0.999, epsilon=1e-8, wd=0, clip_gradient=-1, out=None, name=None,
                    **kwargs):
    """Multi-precision AdamW step on the float32 master copy ``weight32``."""
    return _ops()["_mp_adamw_update"](weight, grad, mean, var, weight32,
                                    _rescale_array(rescale_grad, weight), lr=lr, eta=eta,
                                    beta1=beta1, beta2=beta2, epsilon=epsilon, wd=wd,
                                    clip_gradient=clip_gradient, out=out, name=name, **kwargs)


def multi_adamw_update(weights, grads, mean, var, rescale_grad, lrs, wds, etas, out=None,
                       name=None, size=0, **kwargs):
    """AdamW for lists of weights in one call."""
    arrays = _interleave(weights, grads, mean, var) + [_rescale_array(rescale_grad, weights[0])]
    return _ops()["_multi_adamw_update"](*arrays, out=out, num_weights=size or len(weights),
                                       lrs=lrs, wds=wds, etas=etas, name=name, **kwargs)


def multi_mp_adamw_update(weights, grads, mean, var, weights32, rescale_grad, lrs, wds, etas,
                          out=None, name=None, size=0, **kwargs):
    """Multi-precision AdamW for lists of weights in one call."""
    arrays = (_interleave(weights, grads, mean, var, weights32)
              + [_rescale_array(rescale_grad, weights[0])])
    return _ops()["_multi_mp_adamw_update"](*arrays, out=out, num_weights=size or len(weights),
                                          lrs=lrs, wds=wds, etas=etas, name=name, **kwargs)


def multi_lamb_update(weights, grads, mean, var, step_count, lrs, wds, out=None, num_tensors=0,
                      **kwargs):
    """LAMB for lists of weights in one call."""
    return _ops()["_multi_lamb_update"](*_interleave(weights, grads, mean, var), out=out,
                                      num_tensors=num_tensors or len(weights),
                                      step_count=step_count, learning_rates=lrs, wds=wds,
                                      **kwargs)


def multi_mp_lamb_update(weights, grads, mean, var, weights32, step_count, lrs, wds, out=None,
                         num_tensors=0, **kwargs):
    """Multi-precision LAMB for lists of weights in one call."""
    return _ops()["_multi_mp_lamb_update"](*_interleave(weights, grads, mean, var, weights32),
                                         out=out, num_tensors=num_tensors or len(weights),
                                         step_count=step_count, learning_rates=lrs, wds=wds,
                                         **kwargs)
