"""``mx.sym._internal``: symbol functions generated from the operator registry."""
from ._gen import populate as _populate

_populate(globals(), "_internal")
