"""``mx.optimizer``: MXNet 1.9.1's optimizers, the Updater and the optimizer registry."""
from . import optimizer, contrib
from .optimizer import *  # noqa: F401,F403
from .optimizer import NDabs  # noqa: F401

__all__ = optimizer.__all__ + ['contrib']
