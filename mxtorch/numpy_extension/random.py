"""``mx.npx.random``: ``seed``, ``bernoulli``, ``uniform_n`` and ``normal_n`` on ``mx.np``
arrays (batch-shaped draws whose parameters broadcast)."""
import numbers

from ..numpy import random as _np_random
from ..numpy._door import call, to_np

__all__ = ["seed", "bernoulli", "uniform_n", "normal_n"]


def seed(seed, ctx="all"):  # noqa: A001
    """Seed the random generators (all devices, or ``ctx``)."""
    from .. import random as _random
    _random.seed(seed, ctx=ctx)


def bernoulli_plan(prob, logit, is_array):
    """``(inputs, attrs)`` of ``_npi_bernoulli`` (shared by the nd and sym doors)."""
    if (prob is None) == (logit is None):
        raise ValueError("bernoulli: pass exactly one of prob and logit")
    value, key = (logit, "logit") if logit is not None else (prob, "prob")
    if is_array(value):
        return [value], {key: None, "is_logit": logit is not None}
    return [], {key: float(value), "is_logit": logit is not None}


def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):
    """1 with probability ``prob`` (or ``sigmoid(logit)``), else 0 (float32 by default);
    ``prob``/``logit`` a number or an array broadcast against ``size``."""
    inputs, attrs = bernoulli_plan(prob, logit, lambda v: not isinstance(v, numbers.Number))
    inputs = [to_np(v, "bernoulli") for v in inputs]
    ctx = ctx if ctx is not None or not inputs else inputs[0].ctx
    r = call("_npi_bernoulli", inputs, size=_np_random._size(size), ctx=_np_random._ctx(ctx),
             dtype=_np_random._dt(dtype), **attrs)
    return _np_random._finish(r, out)


def _batch(batch_shape, *params):
    import numpy as onp
    shapes = [p.shape for p in params if hasattr(p, "shape")]
    base = onp.broadcast_shapes(*shapes) if shapes else ()
    batch = () if batch_shape is None else ((batch_shape,) if isinstance(
        batch_shape, numbers.Integral) else tuple(batch_shape))
    return batch + tuple(base)


def uniform_n(low=0.0, high=1.0, batch_shape=None, dtype=None, ctx=None):
    """Uniform draws of shape ``batch_shape + broadcast(low, high).shape``."""
    return _np_random.uniform(low, high, size=_batch(batch_shape, low, high), dtype=dtype,
                              ctx=ctx)


def normal_n(loc=0.0, scale=1.0, batch_shape=None, dtype=None, ctx=None):
    """Normal draws of shape ``batch_shape + broadcast(loc, scale).shape``."""
    return _np_random.normal(loc, scale, size=_batch(batch_shape, loc, scale), dtype=dtype,
                             ctx=ctx)
