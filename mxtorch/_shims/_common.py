"""Pieces shared by the Horovod and BytePS shims: the optimizer wrapper and the gradient
reduction of their Trainers."""
from .. import optimizer as opt
from ..kvstore import dist_ops

__all__ = ['WrappedOptimizer', 'reduce_param_grads']


class WrappedOptimizer(opt.Optimizer):
    """An optimizer that all-reduces (sums) each gradient over the workers, then applies
    `optimizer`; every other attribute is the wrapped optimizer's (reads and writes).

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer to wrap; its ``rescale_grad`` is multiplied by ``factor``.
    factor : float
        Scale of the summed gradient (``1/size`` averages).
    """
    _OWN = ('_optimizer', '_prescale', '_num_groups')

    def __init__(self, optimizer, factor, prescale=1.0, num_groups=0):  # pylint: disable=W0231
        if not isinstance(optimizer, opt.Optimizer):
            raise TypeError('DistributedOptimizer: expected an mx.optimizer.Optimizer, got %s'
                            % type(optimizer).__name__)
        object.__setattr__(self, '_optimizer', optimizer)
        object.__setattr__(self, '_prescale', prescale)
        object.__setattr__(self, '_num_groups', num_groups)
        optimizer.rescale_grad *= factor

    def __getattr__(self, item):
        if item in WrappedOptimizer._OWN:
            raise AttributeError(item)
        return getattr(self._optimizer, item)

    def __setattr__(self, item, value):
        if item in WrappedOptimizer._OWN:
            object.__setattr__(self, item, value)
        else:
            setattr(self._optimizer, item, value)

    def __reduce_ex__(self, protocol):
        # saved states hold the wrapped optimizer (files stay loadable by MXNet)
        return self._optimizer.__reduce_ex__(1)

    def _reduce(self, index, grad):
        grads = list(grad) if isinstance(grad, (list, tuple)) else [grad]
        dist_ops.allreduce(grads, prescale=self._prescale, name=str(index), inplace=True)

    def create_state(self, index, weight):
        return self._optimizer.create_state(index, weight)

    def create_state_multi_precision(self, index, weight):
        return self._optimizer.create_state_multi_precision(index, weight)

    def update(self, index, weight, grad, state):
        self._reduce(index, grad)
        self._optimizer.update(index, weight, grad, state)

    def update_multi_precision(self, index, weight, grad, state):
        self._reduce(index, grad)
        self._optimizer.update_multi_precision(index, weight, grad, state)

    def _set_current_context(self, device_id):
        self._optimizer._set_current_context(device_id)

    def set_learning_rate(self, lr):
        self._optimizer.set_learning_rate(lr)

    def set_lr_mult(self, args_lr_mult):
        self._optimizer.set_lr_mult(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        self._optimizer.set_wd_mult(args_wd_mult)

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate


def reduce_param_grads(params, compression=None, prescale=1.0, name_prefix=''):
    """Sum the gradients of `params` (Parameters) over the workers in place: the contexts
    of this process first, then one bucketed all-reduce; every context gets the result.
    `compression` (``compress(arr) -> (arr, ctx)``, ``decompress(arr, ctx)``) is applied on
    the wire."""
    if dist_ops.world()[1] == 1 and all(len(p.list_ctx()) == 1 for p in params):
        return
    grads, sent, ctxs = [], [], []
    for p in params:
        if p.grad_req == 'null':
            continue
        local = p.list_grad()
        total = local[0]
        if len(local) > 1:
            total = local[0].copy()
            for g in local[1:]:
                total += g.as_in_context(total.context)
        wire, ctx = compression.compress(total) if compression is not None else (total, None)
        grads.append(local)
        sent.append(wire)
        ctxs.append(ctx)
    dist_ops.allreduce(sent, prescale=prescale, name=name_prefix + 'gradients', inplace=True)
    for local, wire, ctx in zip(grads, sent, ctxs):
        value = compression.decompress(wire, ctx) if compression is not None else wire
        for g in local:
            if g is not value:
                value.copyto(g)
