"""``mx.nd.random``: MXNet's sampling helpers over the generated ``_random_*``/``_sample_*`` ops.

A helper called with numbers draws from one distribution (``_random_X``, shape ``shape``,
one value when no shape is given); called with NDArrays it draws from one distribution per
parameter element (``_sample_X``, output shape ``param.shape + shape``). ``X_like`` functions
(``uniform_like``...) and the densities come straight from the registry.
"""
from ..base import MXNetError, _Null, numeric_types
from ..context import current_context
from ._gen import ND_FUNCTIONS as _OPS
from ._gen import populate as _populate
from .ndarray import NDArray

__all__ = ["uniform", "normal", "randn", "poisson", "exponential", "gamma", "multinomial",
           "negative_binomial", "generalized_negative_binomial", "shuffle", "randint",
           "uniform_like", "normal_like", "poisson_like", "exponential_like", "gamma_like",
           "negative_binomial_like", "generalized_negative_binomial_like"]


class RandomParameterError(MXNetError, TypeError):
    """Distribution parameters mix NDArrays and numbers, or are neither."""


def _random_helper(random, sampler, params, shape, dtype, ctx, out, kwargs):
    """Dispatch to the scalar-parameter op ``random`` or the per-element op ``sampler``."""
    first = params[0]
    if isinstance(first, NDArray):
        _same_kind(params, NDArray, "NDArray")
        if sampler is None:
            raise RandomParameterError(f"{random.__name__}: parameters must be numbers, "
                                       "got NDArray")
        return sampler(*params, shape=shape, dtype=dtype, out=out, **kwargs)
    if isinstance(first, numeric_types):
        _same_kind(params, numeric_types, "number")
        if ctx is None:
            ctx = out.context if out is not None else current_context()
        if shape is _Null:
            # NOTE: without a shape MXNet draws one value, or fills ``out``.
            shape = out.shape if out is not None else 1
        return random(*params, shape=shape, dtype=dtype, ctx=ctx, out=out, **kwargs)
    raise RandomParameterError(f"distribution parameters must be NDArrays or numbers, got "
                               f"{type(first).__name__}")


def _same_kind(params, kind, label):
    for p in params[1:]:
        if not isinstance(p, kind):
            raise RandomParameterError(
                f"distribution parameters must all be of one kind, got both {label} "
                f"({type(params[0]).__name__}) and {type(p).__name__}; pass all numbers or "
                "all NDArrays")


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples of U[low, high): numbers or NDArrays (one distribution per element)."""
    return _random_helper(_OPS["_random_uniform"], _OPS["_sample_uniform"], [low, high],
                          shape, dtype, ctx, out, kwargs)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples of N(loc, scale^2): numbers or NDArrays (one distribution per element)."""
    return _random_helper(_OPS["_random_normal"], _OPS["_sample_normal"], [loc, scale],
                          shape, dtype, ctx, out, kwargs)


def randn(*shape, **kwargs):
    """Standard normal samples of shape ``shape`` (``loc``/``scale``/``dtype``/``ctx``/``out``
    may be given as keywords)."""
    loc = kwargs.pop("loc", 0)
    scale = kwargs.pop("scale", 1)
    dtype = kwargs.pop("dtype", _Null)
    ctx = kwargs.pop("ctx", None)
    out = kwargs.pop("out", None)
    for label, value in (("loc", loc), ("scale", scale)):
        if not isinstance(value, (int, float, NDArray)):
            raise RandomParameterError(f"randn: {label} must be a number or an NDArray, got "
                                       f"{type(value).__name__}")
    return _random_helper(_OPS["_random_normal"], _OPS["_sample_normal"], [loc, scale],
                          shape, dtype, ctx, out, kwargs)


def poisson(lam=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples of Poisson(lam) (as floats)."""
    return _random_helper(_OPS["_random_poisson"], _OPS["_sample_poisson"], [lam],
                          shape, dtype, ctx, out, kwargs)


def exponential(scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples of the exponential distribution with mean ``scale`` (rate 1/scale)."""
    return _random_helper(_OPS["_random_exponential"], _OPS["_sample_exponential"],
                          [1.0 / scale], shape, dtype, ctx, out, kwargs)


def gamma(alpha=1, beta=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples of Gamma(shape alpha, scale beta)."""
    return _random_helper(_OPS["_random_gamma"], _OPS["_sample_gamma"], [alpha, beta],
                          shape, dtype, ctx, out, kwargs)


def negative_binomial(k=1, p=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Failures before the k-th success with success probability p."""
    return _random_helper(_OPS["_random_negative_binomial"], _OPS["_sample_negative_binomial"],
                          [k, p], shape, dtype, ctx, out, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=_Null, dtype=_Null, ctx=None,
                                  out=None, **kwargs):
    """Samples with mean mu and variance mu + alpha * mu^2."""
    return _random_helper(_OPS["_random_generalized_negative_binomial"],
                          _OPS["_sample_generalized_negative_binomial"], [mu, alpha],
                          shape, dtype, ctx, out, kwargs)


def multinomial(data, shape=_Null, get_prob=False, out=None, dtype="int32", **kwargs):
    """Category indices drawn from the distributions on the last axis of ``data``; with
    ``get_prob`` also the log-probabilities of the draws."""
    return _OPS["_sample_multinomial"](data, shape, get_prob, out=out, dtype=dtype, **kwargs)


def shuffle(data, **kwargs):
    """A copy of ``data`` shuffled along its first axis."""
    return _OPS["_shuffle"](data, **kwargs)


def randint(low, high, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Uniform integers in [low, high) (int32 unless ``dtype='int64'``)."""
    return _random_helper(_OPS["_random_randint"], None, [low, high], shape, dtype, ctx, out,
                          kwargs)


_populate(globals(), "random")
