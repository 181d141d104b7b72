"""``mx.sym.numpy.random``: Symbol functions of the ``np.random`` operators."""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from .. import _gen

__all__ = []
for _name, _op in (("uniform", "uniform"), ("normal", "normal"), ("randint", "random_randint"),
                   ("choice", "choice"), ("shuffle", "shuffle"), ("exponential", "exponential"),
                   ("gamma", "gamma"), ("gumbel", "gumbel"), ("logistic", "logistic"),
                   ("pareto", "pareto"), ("power", "powerd"), ("rayleigh", "rayleigh"),
                   ("weibull", "weibull"), ("multinomial", "multinomial"),
                   ("bernoulli", "bernoulli")):
    globals()[_name] = _gen.SYM_FUNCTIONS["_npi_" + _op]
    __all__.append(_name)


def rand(*size, **kwargs):
    """Uniform [0, 1) samples of shape ``size`` (a Symbol)."""
    return _gen.SYM_FUNCTIONS["_npi_uniform"](size=size or None, **kwargs)


__all__.append("rand")
