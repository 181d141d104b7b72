"""``mx.sym.random``: sampling symbols. Numbers give ``_random_X`` nodes (one distribution),
Symbols give ``_sample_X`` nodes (one distribution per parameter element), as in MXNet."""
from ..base import MXNetError, _Null, numeric_types
from ._gen import SYM_FUNCTIONS as _OPS
from ._gen import populate as _populate
from .symbol import Symbol

__all__ = ["uniform", "normal", "randn", "poisson", "exponential", "gamma", "multinomial",
           "negative_binomial", "generalized_negative_binomial", "shuffle", "randint",
           "uniform_like", "normal_like", "poisson_like", "exponential_like", "gamma_like",
           "negative_binomial_like", "generalized_negative_binomial_like"]


def _helper(kind, params, shape, dtype, kwargs):
    if all(isinstance(p, Symbol) for p in params):
        return _OPS[f"_sample_{kind}"](*params, shape=shape, dtype=dtype, **kwargs)
    if all(isinstance(p, numeric_types) for p in params):
        return _OPS[f"_random_{kind}"](*params, shape=shape, dtype=dtype, **kwargs)
    raise MXNetError(f"random.{kind}: parameters must be all numbers or all Symbols, got "
                     f"{[type(p).__name__ for p in params]}")


def uniform(low=0, high=1, shape=_Null, dtype=_Null, **kwargs):
    """Samples of U[low, high)."""
    return _helper("uniform", [low, high], shape, dtype, kwargs)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, **kwargs):
    """Samples of N(loc, scale^2)."""
    return _helper("normal", [loc, scale], shape, dtype, kwargs)


def randn(*shape, **kwargs):
    """Standard normal samples of shape ``shape``."""
    loc, scale = kwargs.pop("loc", 0), kwargs.pop("scale", 1)
    return normal(loc, scale, shape=shape, dtype=kwargs.pop("dtype", _Null), **kwargs)


def poisson(lam=1, shape=_Null, dtype=_Null, **kwargs):
    """Poisson samples with rate ``lam``."""
    return _helper("poisson", [lam], shape, dtype, kwargs)


def exponential(scale=1, shape=_Null, dtype=_Null, **kwargs):
    """Exponential samples with scale ``scale`` (rate 1/scale)."""
    if isinstance(scale, numeric_types):
        return _OPS["_random_exponential"](lam=1.0 / scale, shape=shape, dtype=dtype, **kwargs)
    return _OPS["_sample_exponential"](1.0 / scale, shape=shape, dtype=dtype, **kwargs)


def gamma(alpha=1, beta=1, shape=_Null, dtype=_Null, **kwargs):
    """Gamma samples with shape ``alpha`` and scale ``beta``."""
    return _helper("gamma", [alpha, beta], shape, dtype, kwargs)


def negative_binomial(k=1, p=1, shape=_Null, dtype=_Null, **kwargs):
    """Negative binomial samples (failures before ``k`` successes, success chance ``p``)."""
    return _helper("negative_binomial", [k, p], shape, dtype, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=_Null, dtype=_Null, **kwargs):
    """Generalized negative binomial samples (mean ``mu``, dispersion ``alpha``)."""
    return _helper("generalized_negative_binomial", [mu, alpha], shape, dtype, kwargs)


def randint(low, high, shape=_Null, dtype=_Null, **kwargs):
    """Uniform integers in [low, high)."""
    return _OPS["_random_randint"](low=low, high=high, shape=shape, dtype=dtype, **kwargs)


def multinomial(data, shape=_Null, get_prob=False, dtype="int32", **kwargs):
    """Samples from the categorical distributions in the last axis of ``data``."""
    return _OPS["_sample_multinomial"](data, shape=shape, get_prob=get_prob, dtype=dtype,
                                       **kwargs)


def shuffle(data, **kwargs):
    """``data`` with its first axis randomly permuted."""
    return _OPS["_shuffle"](data, **kwargs)


_populate(globals(), "random")
