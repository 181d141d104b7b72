"""``mx.np.arrayprint``: printing options (arrays print through NumPy)."""
import numpy as onp

from ..util import set_module  # noqa: F401 - part of MXNet's module namespace

__all__ = ["set_printoptions"]


def set_printoptions(precision=None, threshold=None, **kwarg):
    """Set how ``mx.np`` arrays print (NumPy's ``set_printoptions``)."""
    onp.set_printoptions(precision=precision, threshold=threshold, **kwarg)
