"""``mx.nd.gen_contrib``: MXNet's staging module of the generated ``contrib`` functions (the same
functions as the public namespace, built from the operator registry)."""
from ._gen import populate as _populate

_populate(globals(), "contrib")
