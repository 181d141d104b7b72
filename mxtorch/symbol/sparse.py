"""``mx.sym.sparse``: MXNet's ``_sparse_*`` operator names as symbol functions. Storage types
do not change graph structure, so each is the ordinary operator's symbol function."""
from ..ndarray.sparse import _SPARSE_DOORS
from ._gen import SYM_FUNCTIONS as _OPS
from ._gen import populate as _populate

for _name, _op in _SPARSE_DOORS:
    if _op in _OPS:
        globals()[_name] = _OPS[_op]

_populate(globals(), "sparse")

__all__ = [name for name, op in _SPARSE_DOORS if op in _OPS]
