"""Neural network layers (``mx.gluon.nn``), as MXNet 1.9.1 plus the 2.x additions
(``SiLU``, ``Identity``, ``Concatenate``/``HybridConcatenate``, ``SyncBatchNorm``,
``PixelShuffle1D/2D/3D``)."""
from ..block import *  # noqa: F401,F403  (MXNet's nn re-exports Block, HybridBlock, SymbolBlock)
from .basic_layers import *  # noqa: F401,F403
from .conv_layers import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from ._contrib_layers import *  # noqa: F401,F403
from . import basic_layers, conv_layers, activations  # noqa: F401
