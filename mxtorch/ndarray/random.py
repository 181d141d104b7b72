"""``mx.nd.random``: sampling functions (generated ``_random_*`` ops plus MXNet's helpers)."""
from ._gen import populate as _populate

_populate(globals(), "random")
