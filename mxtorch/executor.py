"""``mx.executor``: the Executor class (``Symbol.bind``/``simple_bind`` create them).

Like MXNet's module it has no ``__all__``: ``from mxnet.executor import *`` also hands out the
modules and helpers it imports (``np``, ``copy``, ``ndarray``, ``NDArray``...).
"""
import copy  # noqa: F401
import ctypes  # noqa: F401
from array import array as py_array  # noqa: F401

import numpy as np  # noqa: F401

from . import ndarray  # noqa: F401
from .base import py_str  # noqa: F401
from .ndarray import NDArray  # noqa: F401
from .symbol.executor import Executor  # noqa: F401
