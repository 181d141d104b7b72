"""``mx.sym.numpy_extension.random``: ``bernoulli`` (and the batch samplers' operators)."""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from .. import _gen



def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):  # noqa: ARG001
    """Bernoulli samples (1 with probability ``prob`` or ``sigmoid(logit)``); the parameter is
    a number or a Symbol."""
    from ..symbol import Symbol
    from ...numpy_extension.random import bernoulli_plan
    inputs, attrs = bernoulli_plan(prob, logit, lambda v: isinstance(v, Symbol))
    if size is not None:
        attrs["size"] = (size,) if isinstance(size, int) else tuple(size)
    if dtype is not None:
        attrs["dtype"] = dtype
    if ctx is not None:
        attrs["ctx"] = ctx
    return _gen.SYM_FUNCTIONS["_npi_bernoulli"](*inputs, **attrs)


uniform_n = _gen.SYM_FUNCTIONS["_npi_uniform"]
normal_n = _gen.SYM_FUNCTIONS["_npi_normal"]
__all__ = ["bernoulli", "uniform_n", "normal_n"]
