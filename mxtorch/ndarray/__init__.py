"""``mx.nd``: NDArray, every registered operator as a function, and the creation helpers."""
from .ndarray import (NDArray, from_torch, waitall, _DTYPE_MX_TO_NP,  # noqa: F401
                      _DTYPE_NP_TO_MX, _GRAD_REQ_MAP, _new_empty_handle)
from ._operators import install_ndarray_operators
from . import _gen
from .utils import (array, zeros, ones, full, empty, arange, linspace, eye,  # noqa: F401
                    concatenate, moveaxis, save, load, load_frombuffer, from_numpy,
                    from_dlpack, to_dlpack_for_read, to_dlpack_for_write, split_v2,
                    histogram, onehot_encode)
from ._index_keys import (get_indexing_dispatch_code, get_oshape_of_gather_nd_op,  # noqa: F401
                          indexing_key_expand_implicit_axes)
from ._functions import FUNCTIONS as _FUNCTIONS
from . import _fluent

install_ndarray_operators(NDArray)
_fluent.install(NDArray)
_gen.populate(globals(), "")
globals().update(_FUNCTIONS)


def power(base, exp):
    """``base ** exp`` with broadcasting; either side may be a scalar."""
    return _FUNCTIONS["power"](base, exp)


from . import _internal, contrib, linalg, random, image, sparse, op, register  # noqa: E402,F401
from . import (gen_op, gen__internal, gen_contrib, gen_linalg,  # noqa: E402,F401
               gen_image, gen_sparse)

# ``from mxnet.ndarray import *``: every public function and the sub-namespaces MXNet lists,
# plus its dtype tables; not the helper modules (op, utils, register, gen_*). Keep this last.
_NOT_STARRED = {"ndarray", "op", "utils", "register", "from_torch", "hypot",
                "install_ndarray_operators"}
__all__ = sorted(k for k in globals() if not k.startswith(("_", "gen_")) and k not in _NOT_STARRED)
__all__ += ["CachedOp", "_DTYPE_MX_TO_NP", "_DTYPE_NP_TO_MX", "_GRAD_REQ_MAP",
            "_new_empty_handle"]


def __getattr__(name):
    # CachedOp compiles Symbols, which sit above this package: import it on first use.
    if name == "CachedOp":
        from ..symbol.cached_op import CachedOp
        return CachedOp
    raise AttributeError(f"module 'mxtorch.ndarray' has no attribute {name!r}")
