"""``mx.sym.gen__internal``: MXNet's staging module of the generated ``_internal`` symbol functions
(the same functions as the public namespace, built from the operator registry)."""
from ._gen import populate as _populate

_populate(globals(), "_internal")
