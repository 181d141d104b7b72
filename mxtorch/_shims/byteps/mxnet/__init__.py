"""``byteps.mxnet`` on mxtorch: BytePS's MXNet API over the default torch.distributed
process group (no BytePS servers or scheduler: push_pull is an all-reduce).

Started by ``torchrun`` or ``python -m mxtorch.launch``; a dead or missing worker raises
``DistKVStoreError`` after ``MXNET_KVSTORE_TIMEOUT`` seconds.
"""
from .... import gluon
from ....kvstore import dist_ops
from ...horovod import mxnet as _hvd
from ..._common import WrappedOptimizer, reduce_param_grads

__all__ = ['init', 'shutdown', 'suspend', 'resume', 'size', 'local_size', 'rank',
           'local_rank', 'byteps_push_pull', 'byteps_declare_tensor', 'broadcast_parameters',
           'DistributedOptimizer', 'DistributedTrainer']


def init(lazy=True):
    """Join the job (make or reuse the default process group)."""
    _hvd.init()


def shutdown():
    """Leave the job (the process group stays for other users)."""
    _hvd.shutdown()


def suspend():
    """Accepted for compatibility (there is no BytePS core to pause)."""


def resume(num_workers=None, num_servers=None, global_rank=None, context=None):
    """Accepted for compatibility; the group must keep its size."""
    if num_workers is not None and num_workers != size():
        raise NotImplementedError('byteps.mxnet.resume: elastic resizing (%d -> %d workers) is '
                                  'not supported by mxtorch' % (size(), num_workers))


def size():
    """The number of worker processes."""
    return dist_ops.world()[1]


def rank():
    """The rank of this process."""
    return dist_ops.world()[0]


def local_size():
    """The number of worker processes on this host."""
    return dist_ops.local_world()[1]


def local_rank():
    """The rank of this process on its host."""
    return dist_ops.local_world()[0]


def byteps_declare_tensor(name, **kwargs):
    """Accepted for compatibility (tensors need no declaration)."""


def byteps_push_pull(tensor, version=0, priority=0, name=None, is_average=True):
    """Sum (or average, `is_average`) `tensor` over every worker, in place."""
    dist_ops.allreduce([tensor], dist_ops.AVERAGE if is_average else dist_ops.SUM, name=name,
                       inplace=True)


def broadcast_parameters(params, root_rank=0):
    """Overwrite `params` (dict of NDArrays or a ParameterDict) with rank `root_rank`'s."""
    _hvd.init()
    _hvd.broadcast_parameters(params, root_rank)


class DistributedOptimizer(WrappedOptimizer):
    """Wrap `optimizer` so that every update first averages the gradient over the workers.

    Parameters
    ----------
    optimizer : Optimizer
    """

    def __init__(self, optimizer):
        super().__init__(optimizer, 1.0, 1.0 / size())


def _compressor(params):
    if not params:
        return None
    if set(params) - {'fp16'}:
        raise NotImplementedError('byteps DistributedTrainer: compression_params %s are not '
                                  'supported by mxtorch (only {"fp16": True})' % sorted(params))
    return _hvd.Compression.fp16 if params.get('fp16') else None


class DistributedTrainer(gluon.Trainer):
    """A Gluon Trainer that broadcasts rank `root_rank`'s parameters at the first step and
    sums the gradients over all workers, scaling them by ``1/size()``.

    Parameters
    ----------
    params : ParameterDict, dict or list of Parameter
    optimizer : str or Optimizer
    optimizer_params : dict, optional
    root_rank : int, default 0
        The rank whose initial parameters every worker takes.
    compression_params : dict, optional
        ``{'fp16': True}`` sends gradients as float16.
    """

    def __init__(self, params, optimizer, optimizer_params=None, root_rank=0,
                 compression_params=None, **kwargs):
        compression = _compressor(compression_params)
        super().__init__(params, optimizer, optimizer_params=optimizer_params, kvstore=None)
        self._scale /= size()
        self.root_rank = root_rank
        self._byteps_compression = compression

    def _allreduce_grads(self):
        reduce_param_grads(self._params, self._byteps_compression)

    def _init_params(self):
        waiting, arrays = [], []
        for param in self._params_to_init:
            if param._deferred_init:
                waiting.append(param)
            else:
                arrays.extend(param._check_and_get(param._data, list))
        if arrays:
            dist_ops.broadcast(arrays, self.root_rank, 'parameters', inplace=True)
        self._params_to_init = waiting
