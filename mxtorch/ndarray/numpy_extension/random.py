"""``mx.nd.numpy_extension.random``: ``bernoulli``, ``uniform_n``, ``normal_n``."""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from ...numpy_extension.random import bernoulli, normal_n, uniform_n  # noqa: F401

__all__ = ["bernoulli", "uniform_n", "normal_n"]
