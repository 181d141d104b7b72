"""``mx.random``: seeding and the sampling functions of ``mx.nd.random``."""
from ._torch import rng as _rng
from .base import integer_types  # noqa: F401 - part of MXNet's module namespace
from .context import Context  # noqa: F401 - part of MXNet's module namespace
from .ndarray.random import *  # noqa: F401,F403


def seed(seed_state, ctx="all"):
    """Seed the random generators (of every device, or only of ``ctx``).

    Parameters
    ----------
    seed_state : int
        The seed.
    ctx : Context or 'all', default 'all'
        Seed only this device's generator, or all of them.
    """
    _rng.seed(seed_state, ctx)
