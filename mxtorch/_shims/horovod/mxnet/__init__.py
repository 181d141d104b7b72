"""``horovod.mxnet`` on mxtorch: Horovod's MXNet API over the default torch.distributed
process group (the one ``dist_sync`` stores use), started by ``torchrun`` or
``python -m mxtorch.launch``.

Collectives are synchronous and bucketed per dtype; names and priorities are accepted for
errors and compatibility. A dead or missing worker raises ``DistKVStoreError`` after
``MXNET_KVSTORE_TIMEOUT`` seconds instead of hanging.
"""
import types
import warnings

import numpy as np

from .... import gluon
from ....gluon.parameter import DeferredInitializationError, Parameter, ParameterDict
from ....kvstore import dist_ops
from ..._common import WrappedOptimizer, reduce_param_grads

__all__ = ['init', 'shutdown', 'is_initialized', 'size', 'local_size', 'rank', 'local_rank',
           'cross_rank', 'cross_size', 'allreduce', 'allreduce_', 'grouped_allreduce',
           'grouped_allreduce_', 'broadcast', 'broadcast_', 'allgather', 'broadcast_object',
           'allgather_object', 'broadcast_parameters', 'DistributedOptimizer',
           'DistributedTrainer', 'Compression', 'Average', 'Sum', 'Adasum', 'join', 'barrier',
           'mpi_threads_supported', 'mpi_enabled', 'mpi_built', 'gloo_enabled', 'gloo_built',
           'nccl_built', 'ddl_built', 'ccl_built', 'cuda_built', 'rocm_built',
           'start_timeline', 'stop_timeline']

Average, Sum, Adasum = 'average', 'sum', 'adasum'
_STATE = {'initialized': False}


def init(comm=None, process_sets=None):
    """Join the job: make (or reuse) the default process group. `comm` (an MPI
    communicator) and `process_sets` are not supported beyond the global set."""
    if comm is not None or process_sets not in (None, [], 'dynamic'):
        raise NotImplementedError('horovod.mxnet.init: MPI communicators and process sets '
                                  'are not supported by mxtorch (one global group)')
    dist_ops.world()
    _STATE['initialized'] = True


def shutdown():
    """Forget the initialisation (the process group stays for other users)."""
    _STATE['initialized'] = False


def is_initialized():
    """Whether :func:`init` was called."""
    return _STATE['initialized']


def _world():
    if not _STATE['initialized']:
        raise ValueError('Horovod has not been initialized; use hvd.init().')
    return dist_ops.world()


def size():
    """The number of worker processes."""
    return _world()[1]


def rank():
    """The rank of this process, in ``[0, size())``."""
    return _world()[0]


def local_rank():
    """The rank of this process on its host."""
    _world()
    return dist_ops.local_world()[0]


def local_size():
    """The number of worker processes on this host."""
    _world()
    return dist_ops.local_world()[1]


def cross_rank():
    """The index of this host (ranks are laid out host by host)."""
    return rank() // local_size()


def cross_size():
    """The number of hosts."""
    return size() // local_size()


def _false():
    return False


mpi_threads_supported = mpi_enabled = mpi_built = ddl_built = ccl_built = rocm_built = _false


def gloo_enabled():
    """True: the collectives run on torch.distributed's gloo backend."""
    return True


gloo_built = gloo_enabled


def nccl_built():
    """Whether torch has NCCL (GPU collectives)."""
    return dist_ops.nccl_available()


def cuda_built():
    """Whether torch was built with CUDA."""
    return dist_ops.cuda_available()


def start_timeline(file_path, mark_cycles=False):
    """Horovod's timeline is not recorded by mxtorch (accepted, ignored)."""


def stop_timeline():
    """Horovod's timeline is not recorded by mxtorch (accepted, ignored)."""


def _op(average, op, who):
    if average is not None and op is not None:
        raise ValueError('%s: the op parameter supersedes average; give only one of them' % who)
    if op is None:
        op = Average if average is None or average else Sum
    if op == Adasum:
        raise NotImplementedError('%s: Adasum is not supported by mxtorch (use Average or '
                                  'Sum)' % who)
    if op not in (Average, Sum):
        raise ValueError('%s: op must be hvd.Average or hvd.Sum, got %r' % (who, op))
    return op


def allreduce(tensor, average=None, name=None, priority=0, prescale_factor=1.0,
              postscale_factor=1.0, process_set=None, op=None):
    """A new array: `tensor` reduced over every worker (averaged by default)."""
    _world()
    return dist_ops.allreduce([tensor], _op(average, op, 'allreduce'), prescale_factor,
                              postscale_factor, name)[0]


def allreduce_(tensor, average=None, name=None, priority=0, prescale_factor=1.0,
               postscale_factor=1.0, process_set=None, op=None):
    """Reduce `tensor` over every worker in place (averaged by default); returns it."""
    _world()
    dist_ops.allreduce([tensor], _op(average, op, 'allreduce_'), prescale_factor,
                       postscale_factor, name, inplace=True)
    return tensor


def grouped_allreduce(tensors, average=None, name=None, priority=0, prescale_factor=1.0,
                      postscale_factor=1.0, process_set=None, op=None):
    """New arrays: each of `tensors` reduced over every worker, in one fused operation."""
    _world()
    return dist_ops.allreduce(list(tensors), _op(average, op, 'grouped_allreduce'),
                              prescale_factor, postscale_factor, name)


def grouped_allreduce_(tensors, average=None, name=None, priority=0, prescale_factor=1.0,
                       postscale_factor=1.0, process_set=None, op=None):
    """Reduce each of `tensors` over every worker in place; returns them."""
    _world()
    dist_ops.allreduce(list(tensors), _op(average, op, 'grouped_allreduce_'),
                       prescale_factor, postscale_factor, name, inplace=True)
    return tensors


def broadcast(tensor, root_rank, name=None, priority=0, process_set=None):
    """A new array holding rank `root_rank`'s `tensor`."""
    _world()
    return dist_ops.broadcast([tensor], root_rank, name)[0]


def broadcast_(tensor, root_rank, name=None, priority=0, process_set=None):
    """Overwrite `tensor` with rank `root_rank`'s; returns it."""
    _world()
    dist_ops.broadcast([tensor], root_rank, name, inplace=True)
    return tensor


def allgather(tensor, name=None, priority=0, process_set=None):
    """Every worker's `tensor` concatenated along axis 0 in rank order (first dimensions
    may differ)."""
    _world()
    return dist_ops.allgather(tensor, name)


def broadcast_object(obj, root_rank=0, name=None, process_set=None):
    """Rank `root_rank`'s picklable object, on every worker."""
    _world()
    return dist_ops.broadcast_object(obj, root_rank, name)


def allgather_object(obj, name=None, process_set=None):
    """The list of every worker's picklable object, in rank order."""
    _world()
    return dist_ops.allgather_object(obj, name)


def barrier(process_set=None):
    """Wait until every worker gets here."""
    _world()
    dist_ops.barrier('horovod barrier')


def join(device=-1):
    """Wait for every worker (Horovod's uneven-data join); returns the last rank to join
    (here: the rank of the highest worker)."""
    barrier()
    return size() - 1


def broadcast_parameters(params, root_rank=0, prefix=None):
    """Overwrite `params` (a dict of NDArrays, e.g. ``mod.get_params()[0]``, or a
    ParameterDict / dict of Parameters) with rank `root_rank`'s values, in sorted name
    order. Parameters not initialised yet are broadcast right after their initialisation.
    """
    if not isinstance(params, (dict, ParameterDict)):
        raise ValueError('invalid params of type: %s' % type(params))
    if prefix is not None and not isinstance(prefix, str):
        raise ValueError('broadcast_parameters: prefix must be a str, got %r' % (prefix,))
    _world()
    arrays, names = [], []
    for name, p in sorted(params.items()):
        full = (prefix or '') + str(name)
        if isinstance(p, Parameter):
            try:
                arrays.extend(p.list_data())
                names.append(full)
            except DeferredInitializationError:
                _broadcast_after_init(p, root_rank, full)
        else:
            arrays.append(p)
            names.append(full)
    if arrays:
        dist_ops.broadcast(arrays, root_rank, 'parameters %s' % names[:4], inplace=True)


def _broadcast_after_init(param, root_rank, name):
    original = param._finish_deferred_init

    def finish(self, *args, **kwargs):
        result = original(*args, **kwargs)
        dist_ops.broadcast(self.list_data(), root_rank, name, inplace=True)
        return result
    param._finish_deferred_init = types.MethodType(finish, param)


class NoneCompressor(object):
    """No compression."""

    @staticmethod
    def compress(tensor):
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        return tensor


class FP16Compressor(object):
    """Floating point gradients travel as float16."""

    @staticmethod
    def compress(tensor):
        if np.issubdtype(tensor.dtype, np.floating) and tensor.dtype != np.float16:
            return tensor.astype('float16'), tensor.dtype
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        return tensor if ctx is None else tensor.astype(ctx)


class Compression(object):
    """Gradient compression of :class:`DistributedTrainer`: ``Compression.none`` or
    ``Compression.fp16``."""
    none = NoneCompressor
    fp16 = FP16Compressor


class DistributedOptimizer(WrappedOptimizer):
    """Wrap `optimizer` so that every update first sums the gradient over all workers;
    ``rescale_grad`` is divided by ``size()`` (so the sum becomes an average).

    Parameters
    ----------
    optimizer : Optimizer
    gradient_predivide_factor : float, default 1.0
        Gradients are divided by this before the sum and multiplied by it after.
    num_groups : int, default 0
        Accepted (the gradients of one update are always fused).
    """

    def __init__(self, optimizer, gradient_predivide_factor=1.0, num_groups=0):
        super().__init__(optimizer, gradient_predivide_factor / size(),
                         1.0 / gradient_predivide_factor, num_groups)


class DistributedTrainer(gluon.Trainer):
    """A Gluon Trainer whose gradients are summed over all workers (one fused all-reduce
    per ~25 MB) and scaled by ``1/size()``: `step(local_batch)` on N workers equals one
    process with `step(N * local_batch)` on the whole batch.

    Parameters
    ----------
    params : ParameterDict, dict or list of Parameter
    optimizer : str or Optimizer
    optimizer_params : dict, optional
    compression : Compression.none or Compression.fp16
        How gradients travel.
    gradient_predivide_factor : float, default 1.0
        Gradients are divided by this before the sum (and the step scale multiplied).
    prefix : str, optional
        Prefix of the collective names.
    num_groups : int, default 0
        Accepted (gradients are always fused into buckets).
    """

    def __init__(self, params, optimizer, optimizer_params=None,
                 compression=Compression.none, gradient_predivide_factor=1.0, prefix=None,
                 num_groups=0, process_set=None):
        if isinstance(optimizer, DistributedOptimizer):
            optimizer = optimizer._optimizer
            warnings.warn('DistributedTrainer does not take DistributedOptimizer as its '
                          'optimizer. We have unwrapped it for you.')
        if prefix is not None and not isinstance(prefix, str):
            raise ValueError('DistributedTrainer: prefix must be a str, got %r' % (prefix,))
        super().__init__(params, optimizer, optimizer_params=optimizer_params, kvstore=None)
        self._scale *= gradient_predivide_factor / size()
        self._compression = compression
        self._gradient_predivide_factor = gradient_predivide_factor
        self._prefix = prefix or ''
        self._num_groups = num_groups

    def _allreduce_grads(self):
        reduce_param_grads(self._params, self._compression,
                           1.0 / self._gradient_predivide_factor, self._prefix)
