"""``mx.library``: loading MXNet extension libraries (C++ custom operators, partitioners).

Such libraries are compiled against MXNet's C ABI (``lib_api.h``), which mxtorch does not
implement, so ``load`` checks the path as MXNet does and then raises MXNetError saying so.
Python custom operators (``mx.operator.CustomOp``) and ``torch.library`` extensions are the
ways to add operators to mxtorch.
"""
import os

from .base import MXNetError

__all__ = ["load"]


def load(path, verbose=True):
    """Load an MXNet extension library (not possible in mxtorch, see the module doc).

    Parameters
    ----------
    path : str
        Absolute path of the ``.so``/``.dll``.
    verbose : bool, default True
    """
    if not os.path.exists(path):
        raise MXNetError(f"library.load: load path {path} does NOT exist")
    if not os.path.isabs(path):
        raise MXNetError(f"library.load: load path {path} is not an absolute path")
    raise MXNetError(f"library.load({path!r}): MXNet extension libraries are built against "
                     "libmxnet's C ABI, which mxtorch (MXNet's API on PyTorch) does not have; "
                     "port the operators to mx.operator.CustomOp or torch.library instead")
