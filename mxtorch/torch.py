"""``mx.torch`` / ``mx.th``: MXNet's bridge to functions of the Lua Torch7 plugin.

MXNet registers here the Torch7 functions of a build made with that plugin; a build without
it (the pip wheels of 1.9.1) registers none, and neither does mxtorch. For PyTorch interop
use ``nd.from_torch`` / ``NDArray.to_torch`` (DLPack, zero copy).

This module never imports PyTorch; and the ``mxtorch`` package does not bind the name
``torch`` in its namespace (``mx.torch`` still resolves), so ``from mxtorch import *``
leaves PyTorch's ``torch`` alone.
"""
import sys  # noqa: F401 - part of MXNet's module namespace

from .base import py_str  # noqa: F401
from .ndarray import NDArray  # noqa: F401

__all__ = ["NDArray", "py_str", "sys"]
