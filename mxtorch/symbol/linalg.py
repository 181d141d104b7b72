"""``mx.sym.linalg``: symbol functions generated from the operator registry."""
from ._gen import populate as _populate

_populate(globals(), "linalg")
