"""``mx.nd.gen_linalg``: MXNet's staging module of the generated ``linalg`` functions (the same
functions as the public namespace, built from the operator registry)."""
from ._gen import populate as _populate

_populate(globals(), "linalg")
