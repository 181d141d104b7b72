"""Layers MXNet 1.9.1 keeps in ``gluon.contrib.nn`` and 2.x moved into ``gluon.nn``.

``gluon.contrib.nn`` re-exports them under their 1.x names (``Concurrent``,
``HybridConcurrent``); ``gluon.nn`` offers the 2.x names (``Concatenate``,
``HybridConcatenate``, ``Identity``, ``SyncBatchNorm``, ``PixelShuffle1D/2D/3D``).
"""
import warnings

from ... import ndarray as _nd
from ...context import num_gpus
from ..block import Block, HybridBlock
from ..utils import UsageError
from .basic_layers import Sequential, HybridSequential, BatchNorm
from ._np_compat import np_aware

__all__ = ['Concatenate', 'HybridConcatenate', 'Identity', 'SyncBatchNorm', 'PixelShuffle1D',
           'PixelShuffle2D', 'PixelShuffle3D']


class Concatenate(Sequential):
    """Runs every child on the same input and concatenates their outputs along ``axis``.

    Parameters
    ----------
    axis : int, default -1
        The axis to concatenate on.
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        return _nd.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class HybridConcatenate(HybridSequential):
    """Hybridizable ``Concatenate``: children's outputs concatenated along ``axis``.

    Parameters
    ----------
    axis : int, default -1
        The axis to concatenate on.
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    @np_aware
    def hybrid_forward(self, F, x):
        return F.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class Identity(HybridBlock):
    """Returns its input unchanged (useful as a branch of ``HybridConcatenate``)."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        return x


class SparseEmbedding(Block):
    """Embedding whose weight is stored and updated as ``row_sparse`` (only the rows a batch
    looks up are pulled). Same arguments as ``Embedding``; gradients are always sparse."""

    def __init__(self, input_dim, output_dim, dtype='float32', weight_initializer=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'input_dim': input_dim, 'output_dim': output_dim, 'dtype': dtype,
                        'sparse_grad': True}
        self.weight = self.params.get('weight', shape=(input_dim, output_dim), dtype=dtype,
                                      init=weight_initializer, grad_stype='row_sparse',
                                      stype='row_sparse')

    def forward(self, x):
        weight = self.weight.row_sparse_data(x)
        return _nd.Embedding(x, weight, name='fwd', **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return f"{type(self).__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class SyncBatchNorm(BatchNorm):
    """Batch normalisation whose statistics are computed across ``num_devices`` devices.

    In one process this is BatchNorm over axis 1 (the ``_contrib_SyncBatchNorm`` operator with
    one device). Parameters as ``BatchNorm`` (no ``axis``), plus

    num_devices : int, optional
        Number of devices taking part; None uses the number of GPUs (at least 1), with a
        warning as in MXNet.
    """

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5,
                 center=True, scale=True, use_global_stats=False, beta_initializer='zeros',
                 gamma_initializer='ones', running_mean_initializer='zeros',
                 running_variance_initializer='ones', **kwargs):
        super().__init__(1, momentum, epsilon, center, scale, use_global_stats,
                         beta_initializer, gamma_initializer, running_mean_initializer,
                         running_variance_initializer, in_channels, **kwargs)
        if num_devices is None:
            num_devices = self._get_num_devices()
        self._kwargs = {'eps': epsilon, 'momentum': momentum, 'fix_gamma': not scale,
                        'use_global_stats': use_global_stats, 'ndev': num_devices,
                        'key': self.prefix}

    def _get_num_devices(self):
        warnings.warn('Caution using SyncBatchNorm: if not using all the GPUs, please '
                      'mannually set num_devices', UserWarning)
        return max(num_gpus(), 1)

    @np_aware
    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.contrib.SyncBatchNorm(x, gamma, beta, running_mean, running_var, name='fwd',
                                       **self._kwargs)


def _factors(factor, n, layer):
    try:
        return (int(factor),) * n
    except TypeError:
        factors = tuple(int(f) for f in factor)
    if len(factors) != n:
        raise UsageError(f'{layer}: factor must be an int or {n} ints, got {factor!r}')
    return factors


class PixelShuffle1D(HybridBlock):
    """Moves channel blocks into the width: ``(N, f*C, W)`` -> ``(N, C, W*f)``.

    Parameters
    ----------
    factor : int
        Upsampling factor.
    """

    def __init__(self, factor):
        super().__init__()
        self._factor = int(factor)

    @np_aware
    def hybrid_forward(self, F, x):
        x = F.reshape(x, (0, -4, -1, self._factor, 0))      # N, C, f, W
        x = F.transpose(x, (0, 1, 3, 2))                     # N, C, W, f
        return F.reshape(x, (0, 0, -3))

    def __repr__(self):
        return f'{type(self).__name__}({self._factor})'


class PixelShuffle2D(HybridBlock):
    """Moves channel blocks into the plane: ``(N, f1*f2*C, H, W)`` -> ``(N, C, H*f1, W*f2)``.

    Parameters
    ----------
    factor : int or (int, int)
        Upsampling factors along H and W.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 2, 'PixelShuffle2D')

    @np_aware
    def hybrid_forward(self, F, x):
        f1, f2 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2, 0, 0))         # N, C, f1*f2, H, W
        x = F.reshape(x, (0, 0, -4, f1, f2, 0, 0))           # N, C, f1, f2, H, W
        x = F.transpose(x, (0, 1, 4, 2, 5, 3))               # N, C, H, f1, W, f2
        return F.reshape(x, (0, 0, -3, -3))

    def __repr__(self):
        return f'{type(self).__name__}({self._factors})'


class PixelShuffle3D(HybridBlock):
    """Moves channel blocks into the volume:
    ``(N, f1*f2*f3*C, D, H, W)`` -> ``(N, C, D*f1, H*f2, W*f3)``.

    Parameters
    ----------
    factor : int or (int, int, int)
        Upsampling factors along D, H and W.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 3, 'PixelShuffle3D')

    @np_aware
    def hybrid_forward(self, F, x):
        # One factor at a time, so no array has more than 6 axes (MXNet's transpose limit:
        # exported graphs must run in MXNet).
        f1, f2, f3 = self._factors
        x = F.reshape(x, (0, -4, -1, f3, 0, 0, 0))      # N, C*f1*f2, f3, D, H, W
        x = F.transpose(x, (0, 1, 3, 4, 5, 2))          # N, C*f1*f2, D, H, W, f3
        x = F.reshape(x, (0, 0, 0, 0, -3))              # N, C*f1*f2, D, H, W*f3
        x = F.reshape(x, (0, -4, -1, f2, 0, 0, 0))      # N, C*f1, f2, D, H, W*f3
        x = F.transpose(x, (0, 1, 3, 4, 2, 5))          # N, C*f1, D, H, f2, W*f3
        x = F.reshape(x, (0, 0, 0, -3, 0))              # N, C*f1, D, H*f2, W*f3
        x = F.reshape(x, (0, -4, -1, f1, 0, 0, 0))      # N, C, f1, D, H*f2, W*f3
        x = F.transpose(x, (0, 1, 3, 2, 4, 5))          # N, C, D, f1, H*f2, W*f3
        return F.reshape(x, (0, 0, -3, 0, 0))

    def __repr__(self):
        return f'{type(self).__name__}({self._factors})'
