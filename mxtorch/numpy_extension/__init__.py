"""``mx.npx``: MXNet's NumPy extensions: the NumPy-semantics switches (``set_np``...),
neural-network operators on ``mx.np`` arrays (``relu``, ``softmax``, ``convolution``...),
devices, ``save``/``load``, ``npx.random`` and ``npx.image``.

The operators are the registry's legacy ops (``_npx_*`` are their MXNet aliases) called
through the nd door; results come back as ``mx.np`` arrays.
"""
import ctypes  # noqa: F401 - part of MXNet's module namespace
import threading  # noqa: F401 - part of MXNet's module namespace
import warnings  # noqa: F401 - part of MXNet's module namespace

from ..base import MXNetError
from ..context import Context, cpu, cpu_pinned, current_context, gpu, num_gpus  # noqa: F401
from ..context import gpu_memory_info  # noqa: F401
from ..ndarray.ndarray import NDArray, waitall  # noqa: F401
from ..util import (is_np_array, is_np_shape, use_np, use_np_array,  # noqa: F401
                    use_np_shape, get_cuda_compute_capability)
from ..util import reset_np as _reset_np
from ..util import is_np_default_dtype, use_np_default_dtype  # noqa: F401
from ..util import set_np as _set_np
from ._ops import *  # noqa: F401,F403
from ._ops import OPS as _OPS
from . import random, image, utils  # noqa: F401
from .utils import save, load, savez  # noqa: F401

__all__ = ["set_np", "reset_np", "is_np_array", "is_np_shape", "use_np", "use_np_array",
           "use_np_shape", "cpu", "gpu", "cpu_pinned", "num_gpus", "current_context",
           "gpu_memory_info", "waitall", "save", "load", "savez", "Context", "seed",
           "reshape", "nonzero", "constraint_check", "masked_softmax", "masked_log_softmax",
           "get_cuda_compute_capability", "check_call", "classproperty",
           "with_metaclass", "is_np_default_dtype", "use_np_default_dtype"] + sorted(_OPS)


def set_np(shape=True, array=True, dtype=False):
    """Turn NumPy semantics on in this thread.

    Parameters
    ----------
    shape : bool
        NumPy shapes (0-d and zero-size arrays are real).
    array : bool
        ``mx.np`` arrays (Gluon returns them); needs ``shape``.
    dtype : bool
        NumPy's default dtypes for ``mx.np`` creation (float64; Python ints give int64), as
        MXNet 2 offers. False keeps MXNet 1.9.1's float32 default.
    """
    _set_np(shape=shape, array=array, dtype=dtype)


def reset_np():
    """Back to MXNet's legacy shape, array and dtype semantics in this thread."""
    _reset_np()


def seed(seed, ctx="all"):  # noqa: A001 - MXNet's names
    """Seed the random generators (all devices, or ``ctx``)."""
    from .. import random as _random
    _random.seed(seed, ctx=ctx)


def check_call(ret):
    """MXNet's C-API return check; mxtorch has no C API, so only 0 is accepted."""
    if ret != 0:
        raise MXNetError(f"C API call failed with code {ret}")


class classproperty:  # noqa: N801 - MXNet's name
    """A read-only property on the class."""

    def __init__(self, func):
        self.func = func

    def __get__(self, obj, owner):
        return self.func(owner)


def with_metaclass(meta, *bases):
    """Create a base class with metaclass ``meta`` (Python 2/3 compatible helper)."""
    return meta("NewBase", bases or (object,), {})


def _install_doors():
    """``mx.nd.np``/``mx.nd.npx`` and ``mx.sym.np``/``mx.sym.npx`` (MXNet's spellings of
    ``mxnet.ndarray.numpy`` ... ``mxnet.symbol.numpy_extension``)."""
    from .. import ndarray as _nd, symbol as _sym
    from ..ndarray import numpy as nd_np, numpy_extension as nd_npx
    from ..symbol import numpy as sym_np, numpy_extension as sym_npx
    _nd.np, _nd.npx, _sym.np, _sym.npx = nd_np, nd_npx, sym_np, sym_npx


_install_doors()
