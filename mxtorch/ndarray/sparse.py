"""``mx.nd.sparse``: sparse-storage operators generated from the registry."""
from ._gen import populate as _populate

_populate(globals(), "sparse")
