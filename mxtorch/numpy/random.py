"""``mx.np.random``: NumPy-style sampling on ``mx.np`` arrays (``_npi_*`` random ops).

Parameters are scalars (operator attributes) or arrays (operator inputs), broadcast against
each other and against ``size`` as in MXNet 1.9.1 (``ops/np_random.py``). Seed with
``mx.npx.random.seed`` / ``mx.random.seed``.
"""
import numbers

import numpy as onp

from ..ndarray.ndarray import NDArray
from ._door import call, is_scalar, to_np

__all__ = ["uniform", "normal", "randint", "choice", "shuffle", "rand", "randn", "exponential",
           "gamma", "gumbel", "logistic", "lognormal", "multinomial", "multivariate_normal",
           "pareto", "power", "rayleigh", "weibull", "beta", "chisquare", "permutation"]


def _size(size):
    if size is None:
        return None
    return (int(size),) if isinstance(size, numbers.Integral) else tuple(int(d) for d in size)


def _ctx(ctx):
    from ..context import current_context
    return ctx if ctx is not None else current_context()


def _dt(dtype, default=None):
    if dtype is None:
        from ._door import default_float
        return default or default_float()
    from .._torch.dtypes import dtype_name
    return dtype_name(dtype)


def _finish(result, out):
    if out is not None:
        out[...] = result
        return out
    return result


def param_plan(params, is_array):
    """``(array inputs, attrs)`` of a sampler call (shared by the nd and sym doors): array
    parameters become inputs in order and their attribute None, as MXNet 1.9.1 encodes them."""
    inputs, attrs = [], {}
    for name, value in params.items():
        if is_array(value):
            inputs.append(value)
            attrs[name] = None
        else:
            attrs[name] = float(value)
    return inputs, attrs


def _sample(op, params, size, dtype=None, ctx=None, out=None, takes_dtype=False,
            takes_ctx=True):
    """Draw with parameters given as scalars or arrays (broadcast against each other and
    against ``size``)."""
    inputs, attrs = param_plan(params, lambda v: not is_scalar(v))
    inputs = [to_np(v, op[5:]) for v in inputs]
    if takes_ctx:
        attrs["ctx"] = _ctx(ctx if ctx is not None or not inputs else inputs[0].ctx)
    if takes_dtype or _dt(dtype) != "float32":  # 1.9.1 writes no dtype for most samplers
        attrs["dtype"] = _dt(dtype)
    return _finish(call(op, inputs, size=_size(size), **attrs), out)


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from the uniform distribution on [low, high) (scalars or arrays)."""
    return _sample("_npi_uniform", {"low": low, "high": high}, size, dtype, ctx, out, True)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from a normal distribution (scalars or arrays)."""
    return _sample("_npi_normal", {"loc": loc, "scale": scale}, size, dtype, ctx, out, True)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """``exp`` of normal samples."""
    from ._ufuncs import unary
    return _finish(unary("exp", normal(mean, sigma, size, dtype, ctx)), out)


def exponential(scale=1.0, size=None, ctx=None, out=None):
    """Exponential samples with mean ``scale``."""
    return _sample("_npi_exponential", {"scale": scale}, size, ctx=ctx, out=out)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Gumbel samples."""
    return _sample("_npi_gumbel", {"loc": loc, "scale": scale}, size, ctx=ctx, out=out)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Logistic samples."""
    return _sample("_npi_logistic", {"loc": loc, "scale": scale}, size, ctx=ctx, out=out)


def rayleigh(scale=1.0, size=None, ctx=None, out=None):
    """Rayleigh samples."""
    return _sample("_npi_rayleigh", {"scale": scale}, size, ctx=ctx, out=out)


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Gamma samples with ``shape`` and ``scale`` (scalars or arrays; no gradient flows into
    array parameters, as in MXNet 1.9.1)."""
    return _sample("_npi_gamma", {"shape": shape, "scale": scale}, size, dtype, ctx, out, True)


def beta(a, b, size=None, dtype=None, ctx=None):
    """Beta samples (ratio of gamma draws); ``a``/``b`` scalars or arrays."""
    x = gamma(a, 1.0, size, dtype, ctx)
    y = gamma(b, 1.0, size, dtype, ctx)
    return x / (x + y)


def chisquare(df, size=None, dtype=None, ctx=None):
    """Chi-square samples with ``df`` degrees of freedom (a scalar or an array)."""
    return gamma(df / 2.0 if is_scalar(df) else to_np(df, "chisquare") / 2.0, 2.0, size, dtype,
                 ctx)


def weibull(a, size=None, ctx=None, out=None):
    """Weibull samples with shape ``a`` (> 0; a scalar or an array)."""
    return _sample("_npi_weibull", {"a": a}, size, ctx=ctx, out=out)


def pareto(a, size=None, ctx=None, out=None):
    """Pareto II samples with shape ``a`` (> 0; a scalar or an array)."""
    return _sample("_npi_pareto", {"a": a}, size, ctx=ctx, out=out)


def power(a, size=None):
    """Power-distribution samples with exponent ``a`` (> 0; a scalar or an array)."""
    return _sample("_npi_powerd", {"a": a}, size, takes_ctx=False)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):
    """Random integers in [low, high) (int64 by default)."""
    if high is None:
        low, high = 0, low
    return _finish(call("_npi_random_randint", [], low=int(low), high=int(high),
                        size=_size(size), ctx=_ctx(ctx), dtype=_dt(dtype, "int64")), out)


def rand(*size, **kwargs):
    """Uniform [0, 1) samples of shape ``size``."""
    return uniform(size=size or None, **kwargs)


def randn(*size, **kwargs):
    """Standard normal samples of shape ``size``."""
    return normal(size=size or None, **kwargs)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):
    """Random samples from ``range(a)`` (an int) or from the 1-d array ``a``."""
    population = a
    n = int(a) if isinstance(a, numbers.Integral) else to_np(a, "choice").shape[0]
    probs = [to_np(p, "choice")] if p is not None else []
    idx = call("_npi_choice", probs, a=n, size=_size(size), ctx=_ctx(ctx), replace=replace,
               weighted=p is not None)
    if not isinstance(population, numbers.Integral):
        idx = to_np(population, "choice")[idx]
    return _finish(idx, out)


def shuffle(x):
    """Shuffle ``x`` in place along its first axis."""
    x[...] = call("_npi_shuffle", [x])


def permutation(x):
    """A random permutation of ``range(x)`` or a shuffled copy of ``x``."""
    if isinstance(x, numbers.Integral):
        return call("_npi_permutation_like", [], n=int(x), ctx=_ctx(None))
    y = to_np(x, "permutation").copy()
    shuffle(y)
    return y


def multinomial(n, pvals, size=None, **kwargs):
    """Counts of ``n`` draws over categories with probabilities ``pvals`` (int64)."""
    p = to_np(pvals if isinstance(pvals, NDArray) else onp.asarray(pvals, dtype=onp.float64),
              "multinomial")
    return call("_npi_multinomial", [p], n=int(n), size=_size(size), ctx=_ctx(None))


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):
    """Samples from a multivariate normal (via a Cholesky factor of ``cov``)."""
    from . import linalg
    mean, cov = to_np(mean, "multivariate_normal"), to_np(cov, "multivariate_normal")
    shape = (_size(size) or ()) + mean.shape
    z = normal(size=shape, dtype=mean.dtype)
    chol = linalg.cholesky(cov)
    from ._functions import matmul
    return matmul(z, chol.T) + mean
