"""Collectives on NDArrays over the default torch.distributed process group, for the
Horovod/BytePS shims (``horovod.mxnet``, ``byteps.mxnet``) and other worker-only code.

Every function works on the group that :func:`mxtorch.kvstore.dist.ensure_process_group`
makes (or reuses), so a shim, a ``dist_sync`` store and user code all share one group.
Failures raise :class:`~mxtorch.kvstore.dist.DistKVStoreError` naming the operation, the
tensor name and this rank; a dead peer or a missing call raises after
``MXNET_KVSTORE_TIMEOUT`` seconds instead of hanging.
"""
import os
import pickle

import torch
import torch.distributed as dist

from ..base import MXNetError
from .dist import (DistKVStoreError, BUCKET_BYTES, _buckets, _drop_group,
                   ensure_process_group, timeout_seconds)

__all__ = ['world', 'local_world', 'allreduce', 'broadcast', 'allgather', 'broadcast_object',
           'allgather_object', 'barrier', 'SUM', 'AVERAGE']

SUM, AVERAGE = 'sum', 'average'


def world():
    """(rank, size) of this process in the default group (made from the environment when
    needed; (0, 1) without a distributed environment)."""
    return ensure_process_group()


def local_world():
    """(local_rank, local_size): torchrun's ``LOCAL_RANK``/``LOCAL_WORLD_SIZE`` (set by
    ``python -m mxtorch.launch`` too), else this process's rank and the world size."""
    rank, size = world()
    return (int(os.getenv('LOCAL_RANK', rank)), int(os.getenv('LOCAL_WORLD_SIZE', size)))


def _fail(what, name, err):
    rank, size = (dist.get_rank(), dist.get_world_size()) if dist.is_initialized() else (0, 1)
    _drop_group()
    raise DistKVStoreError(
        '%s of %r failed on rank %d of %d: a worker died, called a different sequence of '
        'collectives, or did not answer within MXNET_KVSTORE_TIMEOUT=%ss: %s'
        % (what, name, rank, size, timeout_seconds(), err)) from err


def _tensor(arr, who):
    t = getattr(arr, '_t', None)
    if not isinstance(t, torch.Tensor) or getattr(arr, '_sparse', False):
        raise MXNetError('%s: expected a dense NDArray, got %s' % (who, type(arr).__name__))
    return t


def _write(arr, value):
    with torch.no_grad():
        arr._t.copy_(value.view(arr._t.shape))


def allreduce(arrays, op=SUM, prescale=1.0, postscale=1.0, name=None, inplace=False):
    """Reduce `arrays` (a list of NDArrays) over every worker, packed per dtype into
    buckets of ~25 MB.

    Parameters
    ----------
    arrays : list of NDArray
    op : {'sum', 'average'}
    prescale, postscale : float
        Factors applied before and after the reduction (floating point arrays only).
    name : str, optional
        Shown in errors.
    inplace : bool
        Write the results into `arrays` (else return new arrays).
    """
    tensors = [_tensor(a, 'allreduce') for a in arrays]
    size = world()[1]
    outs = arrays if inplace else [a.copy() for a in arrays]
    try:
        for idx in _buckets(tensors, BUCKET_BYTES):
            flat = torch.cat([tensors[i].detach().reshape(-1).cpu() for i in idx])
            _reduce_flat(flat, op, prescale, postscale, size)
            offset = 0
            for i in idx:
                n = tensors[i].numel()
                _write(outs[i], flat[offset:offset + n])
                offset += n
    except DistKVStoreError:
        raise
    except Exception as err:  # gloo raises RuntimeError / DistError subclasses
        _fail('allreduce', name, err)
    return outs


def _reduce_flat(flat, op, prescale, postscale, size):
    floating = flat.is_floating_point()
    if prescale != 1.0 and floating:
        flat.mul_(prescale)
    if size > 1:
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
    if op == AVERAGE:
        flat.copy_(flat / size if floating else flat.div(size, rounding_mode='floor'))
    elif op != SUM:
        raise MXNetError("allreduce: op must be 'sum' or 'average', got %r" % (op,))
    if postscale != 1.0 and floating:
        flat.mul_(postscale)


def broadcast(arrays, root_rank=0, name=None, inplace=False):
    """Rank `root_rank`'s values of `arrays` on every worker (new arrays unless `inplace`)."""
    rank, size = world()
    if not 0 <= root_rank < size:
        raise MXNetError('broadcast of %r: root_rank %d is outside [0, %d)'
                         % (name, root_rank, size))
    tensors = [_tensor(a, 'broadcast') for a in arrays]
    outs = arrays if inplace else [a.copy() for a in arrays]
    if size == 1:
        return outs
    try:
        for idx in _buckets(tensors, BUCKET_BYTES):
            flat = torch.cat([tensors[i].detach().reshape(-1).cpu() for i in idx])
            dist.broadcast(flat, src=root_rank)
            offset = 0
            for i in idx:
                n = tensors[i].numel()
                _write(outs[i], flat[offset:offset + n])
                offset += n
    except Exception as err:
        _fail('broadcast', name, err)
    return outs


def allgather(array, name=None):
    """The arrays of every worker concatenated along axis 0 (in rank order); their first
    dimensions may differ, the other dimensions must agree."""
    from ..ndarray import NDArray
    t = _tensor(array, 'allgather')
    rank, size = world()
    if size == 1:
        return array.copy()
    src = t.detach().cpu() if t.dim() else t.detach().cpu().reshape(1)
    try:
        shapes = [None] * size
        dist.all_gather_object(shapes, tuple(src.shape))
        if any(tuple(s[1:]) != tuple(src.shape[1:]) for s in shapes):
            raise MXNetError('allgather of %r: the arrays of the workers differ beyond the '
                             'first dimension: %s' % (name, shapes))
        pad = src.new_zeros((max(s[0] for s in shapes),) + tuple(src.shape[1:]))
        pad[:src.shape[0]] = src
        parts = [torch.empty_like(pad) for _ in range(size)]
        dist.all_gather(parts, pad)
    except MXNetError:
        raise
    except Exception as err:
        _fail('allgather', name, err)
    cut = [p[:s[0]] for p, s in zip(parts, shapes)]
    return NDArray(torch.cat(cut).to(t.device), ctx=array.context)


def broadcast_object(obj, root_rank=0, name=None):
    """Rank `root_rank`'s Python object (pickled) on every worker."""
    rank, size = world()
    if size == 1:
        return obj
    box = [pickle.dumps(obj) if rank == root_rank else None]
    try:
        dist.broadcast_object_list(box, src=root_rank)
    except Exception as err:
        _fail('broadcast_object', name, err)
    return pickle.loads(box[0])


def allgather_object(obj, name=None):
    """The list of every worker's Python object, in rank order."""
    rank, size = world()
    if size == 1:
        return [obj]
    out = [None] * size
    try:
        dist.all_gather_object(out, obj)
    except Exception as err:
        _fail('allgather_object', name, err)
    return out


def barrier(name=None):
    """Wait until every worker gets here."""
    if world()[1] == 1:
        return
    try:
        dist.barrier()
    except Exception as err:
        _fail('barrier', name, err)


def nccl_available():
    """Whether torch.distributed has the NCCL backend."""
    return dist.is_nccl_available()


def cuda_available():
    """Whether torch was built with CUDA."""
    return torch.backends.cuda.is_built()
