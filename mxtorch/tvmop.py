"""``mx.tvmop``: TVM-generated operators. mxtorch has none (``Features().is_enabled('TVM_OP')``
is False), so, as in an MXNet build without TVM, the module only exposes ``Features``."""
from .runtime import Features  # noqa: F401
