"""MXNet 1.9.1's ``gluon.contrib.nn`` layers (1.x names of layers ``gluon.nn`` also offers)."""
# MXNet's module namespace also holds these names:
from .... import context, nd  # noqa: F401
from ...block import Block, HybridBlock  # noqa: F401
from ...nn import Sequential, HybridSequential, BatchNorm  # noqa: F401
from ...nn._contrib_layers import (Concatenate, HybridConcatenate, Identity, SparseEmbedding,
                                   SyncBatchNorm, PixelShuffle1D, PixelShuffle2D,
                                   PixelShuffle3D)

__all__ = ['Concurrent', 'HybridConcurrent', 'Identity', 'SparseEmbedding', 'SyncBatchNorm',
           'PixelShuffle1D', 'PixelShuffle2D', 'PixelShuffle3D']


class Concurrent(Concatenate):
    """Runs every child on the same input and concatenates the outputs along ``axis``
    (1.x name of ``nn.Concatenate``).

    Parameters
    ----------
    axis : int, default -1
    """


class HybridConcurrent(HybridConcatenate):
    """Hybridizable ``Concurrent`` (1.x name of ``nn.HybridConcatenate``).

    Parameters
    ----------
    axis : int, default -1
    """
