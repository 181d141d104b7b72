"""``mx.optimizer.contrib``: experimental optimizers (GroupAdaGrad)."""
from ..ndarray import (NDArray, clip, contrib, mean, sqrt, square, zeros)  # noqa: F401
from .optimizer import Optimizer, _check_arrays, _state_zeros

register = Optimizer.register  # pylint: disable=invalid-name

__all__ = ['GroupAdaGrad']


@register
class GroupAdaGrad(Optimizer):
    """AdaGrad with one history value per row of a 2-D weight (the mean of the row's squared
    gradients), as used for embeddings. Weight decay is not supported.

    Parameters
    ----------
    eps : float, default 1e-5
        Added to the history for numerical stability.
    """

    def __init__(self, eps=1e-5, **kwargs):
        super(GroupAdaGrad, self).__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        if len(weight.shape) != 2:
            raise AssertionError(f"GroupAdaGrad needs a 2-D weight, got shape {weight.shape} "
                                 f"for index {index}")
        return _state_zeros((weight.shape[0], 1), weight.context, stype=weight.stype)  # history

    def update(self, index, weight, grad, state):
        _check_arrays("GroupAdaGrad", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        if wd != 0:
            raise AssertionError(f"Weight decay is not supported for GroupAdaGrad (index "
                                 f"{index} has wd={wd})")
        if grad.stype == 'row_sparse':
            kwargs = {'epsilon': self.float_stable_eps, 'rescale_grad': self.rescale_grad}
            if self.clip_gradient:
                kwargs['clip_gradient'] = self.clip_gradient
            contrib.group_adagrad_update(weight, grad, state, out=weight, lr=lr, **kwargs)
            return
        grad = self._clipped(grad)
        state[:] += mean(square(grad), axis=1, keepdims=True)
        weight[:] -= lr * grad / sqrt(state + self.float_stable_eps)
