"""MXNet's Python wrappers over the AdamW/LAMB update kernels (``nd.contrib.adamw_update``...):
``rescale_grad`` may be a number or a 1-element array, lists of weights are interleaved.

(Row-sparse gradients reach the update kernels' ``sparse_compute`` through the nd door's
sparse branch, ``ndarray/sparse.sparse_apply``.)
"""
from .ndarray import NDArray as _NDArray


def _ops():
    from ._gen import ND_FUNCTIONS
    return ND_FUNCTIONS


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
