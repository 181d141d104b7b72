"""``mx.nd.gen_sparse``: MXNet's staging module of the generated ``sparse`` functions (the same
functions as the public namespace, built from the operator registry)."""
from ._gen import populate as _populate

_populate(globals(), "sparse")
