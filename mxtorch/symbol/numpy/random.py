"""``mx.sym.np.random``: the ``mx.np.random`` samplers as Symbol functions. Parameters are
numbers (operator attributes) or Symbols (operator inputs), encoded as MXNet 1.9.1 writes
them (``_npi_gamma`` with ``shape=None`` for an array shape), so exported graphs load in MXNet.
"""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from .. import _gen
from ..symbol import Symbol

__all__ = ["uniform", "normal", "randint", "choice", "shuffle", "exponential", "gamma", "gumbel",
           "logistic", "lognormal", "pareto", "power", "rayleigh", "weibull", "beta",
           "chisquare", "multivariate_normal", "rand"]


def _sym(name):
    return _gen.SYM_FUNCTIONS[name]


def _size(size):
    if size is None:
        return None
    return (int(size),) if isinstance(size, int) else tuple(int(d) for d in size)


def _draw(op, params, size, dtype=None, ctx=None, takes_ctx=True, takes_dtype=True):
    from ...numpy.random import param_plan
    inputs, attrs = param_plan(params, lambda v: isinstance(v, Symbol))
    if takes_ctx and ctx is not None:
        attrs["ctx"] = ctx
    if dtype is not None and takes_dtype:
        from ..._torch.dtypes import dtype_name
        attrs["dtype"] = dtype_name(dtype)
    return _sym(op)(*inputs, size=_size(size), **attrs)


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """Uniform samples on [low, high) (numbers or Symbols)."""
    return _draw("_npi_uniform", {"low": low, "high": high}, size, dtype, ctx)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """Normal samples (numbers or Symbols)."""
    return _draw("_npi_normal", {"loc": loc, "scale": scale}, size, dtype, ctx)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """``exp`` of normal samples."""
    return _sym("_npi_exp")(normal(mean, sigma, size, dtype, ctx))


def exponential(scale=1.0, size=None, ctx=None, out=None):  # noqa: ARG001
    """Exponential samples with mean ``scale``."""
    return _draw("_npi_exponential", {"scale": scale}, size, ctx=ctx)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):  # noqa: ARG001
    """Gumbel samples."""
    return _draw("_npi_gumbel", {"loc": loc, "scale": scale}, size, ctx=ctx)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):  # noqa: ARG001
    """Logistic samples."""
    return _draw("_npi_logistic", {"loc": loc, "scale": scale}, size, ctx=ctx)


def rayleigh(scale=0.0, size=None, ctx=None, out=None):  # noqa: ARG001 - 1.9.1's default
    """Rayleigh samples."""
    return _draw("_npi_rayleigh", {"scale": scale}, size, ctx=ctx)


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """Gamma samples with ``shape`` and ``scale`` (numbers or Symbols)."""
    return _draw("_npi_gamma", {"shape": shape, "scale": scale}, size, dtype, ctx)


def beta(a, b, size=None, dtype=None, ctx=None):
    """Beta samples: ``x / (x + y)`` of gamma draws with shapes ``a`` and ``b``."""
    x = gamma(a, 1.0, size, dtype, ctx)
    y = gamma(b, 1.0, size, dtype, ctx)
    return _sym("_npi_true_divide")(x, _sym("_npi_add")(x, y))


def chisquare(df, size=None, dtype=None, ctx=None):
    """Chi-square samples with ``df`` degrees of freedom (a number or a Symbol)."""
    half = _sym("_npi_true_divide_scalar")(df, scalar=2.0) if isinstance(df, Symbol) \
        else df / 2.0
    return gamma(half, 2.0, size, dtype, ctx)


def weibull(a, size=None, ctx=None, out=None):  # noqa: ARG001
    """Weibull samples with shape ``a``."""
    return _draw("_npi_weibull", {"a": a}, size, ctx=ctx)


def pareto(a, size=None, ctx=None, out=None):  # noqa: ARG001
    """Pareto II samples with shape ``a``."""
    return _draw("_npi_pareto", {"a": a}, size, ctx=ctx)


def power(a, size=None):
    """Power-distribution samples with exponent ``a``."""
    return _draw("_npi_powerd", {"a": a}, size, takes_ctx=False)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):
    """Multivariate normal samples (the NumPy-fallback ``mvn_fallback`` operator)."""
    from . import _internal
    attrs = {k: v for k, v in (("size", _size(size)), ("check_valid", check_valid),
                               ("tol", tol)) if v is not None}
    return _internal.mvn_fallback(mean, cov, **attrs)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """Random integers in [low, high) (int64 by default)."""
    if high is None:
        low, high = 0, low
    attrs = {"dtype": dtype} if dtype is not None else {}
    if ctx is not None:
        attrs["ctx"] = ctx
    return _sym("_npi_random_randint")(low=int(low), high=int(high), size=_size(size), **attrs)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):  # noqa: ARG001
    """Samples of ``range(a)`` (``a`` an int), weighted by the Symbol ``p`` when given."""
    if not isinstance(a, int):
        raise TypeError("sym.np.random.choice: a must be an int (the population size)")
    attrs = {"a": a, "size": _size(size), "replace": replace, "weighted": p is not None}
    if ctx is not None:
        attrs["ctx"] = ctx
    return _sym("_npi_choice")(*([p] if p is not None else []), **attrs)


def shuffle(x):
    """A copy of ``x`` with its first axis permuted (Symbols cannot change in place)."""
    return _sym("_npi_shuffle")(x)


def rand(*size, **kwargs):
    """Uniform [0, 1) samples of shape ``size``."""
    return uniform(size=size or None, **kwargs)
