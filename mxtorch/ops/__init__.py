"""Every MXNet operator, defined once (see ``_registry``), and the ``invoke`` seam.

Importing this package registers every operator module (grouped by MXNet's categories).
"""
from ._registry import REGISTRY, OpDef, Attr, defop, get_op, all_ops, VARIADIC  # noqa: F401
from ._invoke import invoke  # noqa: F401
from ._unsupported import UNSUPPORTED  # noqa: F401
from . import (elemwise, creation, shape, sequence, reduce, indexing, matrix,  # noqa: F401
               nn, conv, norm, loss_ops, rnn, spatial, random, linalg, update, contrib,
               detection, image, sparse, custom, quantized, deformable_pool)
from . import graph  # noqa: F401,E402 - DGL graph ops (after sparse: reuses its table)
from . import _sparse_grad  # noqa: F401,E402 - gradient storage types (after sparse)
from . import np_elemwise, np_reduce, np_shape, np_creation, np_linalg, np_random, np_npx  # noqa: F401,E402,E501 - mx.np's _npi_* ops
from . import np_extra  # noqa: F401,E402 - more _npi_* ops (insert/delete, windows...)
from . import control_flow  # noqa: F401,E402 - _foreach/_while_loop/_cond (subgraph nodes)
