"""``mx.sym.numpy_extension.random``: ``bernoulli`` (and the batch samplers' operators)."""
from ...context import current_context  # noqa: F401 - part of MXNet's module namespace
from .. import _gen

bernoulli = _gen.SYM_FUNCTIONS["_npi_bernoulli"]
uniform_n = _gen.SYM_FUNCTIONS["_npi_uniform"]
normal_n = _gen.SYM_FUNCTIONS["_npi_normal"]
__all__ = ["bernoulli", "uniform_n", "normal_n"]
