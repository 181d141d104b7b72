"""Pickles of optimizer states (``.states`` files), read safely and written MXNet-compatibly.

``Updater.get_states``, ``Trainer.save_states`` and ``Module.save_optimizer_states`` write
pickles; MXNet 1.9.1 writes the same kind of file. Unpickling runs whatever callables a file
names, so :func:`loads`/:func:`load` admit only the globals such files hold:

- containers and scalars (``builtins`` ``bytearray``/``set``/``frozenset``/``complex``/
  ``slice``/``object``, ``collections.OrderedDict``, ``copyreg._reconstructor``);
- NDArrays (``mxnet.ndarray.ndarray.NDArray`` and mxtorch's own array classes);
- numpy arrays, dtypes and scalars;
- optimizer and LR-scheduler classes (subclasses of ``Optimizer``/``LRScheduler``) of
  modules already imported (custom ones included; nothing is imported to check).

Any other global raises :class:`UnsafePickleError` naming it, unless the caller passes
``allow_unsafe=True`` or the environment sets ``MXTORCH_ALLOW_UNSAFE_PICKLE=1``. Module names
written by real MXNet (``mxnet.*``) are read as mxtorch's (``mxtorch.*``).

:func:`dumps`/:func:`dump` write NDArrays, optimizers and schedulers under MXNet's module
names (``mxnet.ndarray.ndarray.NDArray`` rebuilt from a ``handle`` holding the
``nd.save`` bytes), so real MXNet 1.9.1 loads what mxtorch writes.
"""
import importlib
import io
import os
import pickle
import sys

import numpy

from .base import MXNetError

__all__ = ["loads", "load", "dumps", "dump", "UnsafePickleError", "ENV_ALLOW_UNSAFE"]

ENV_ALLOW_UNSAFE = "MXTORCH_ALLOW_UNSAFE_PICKLE"

_SAFE_GLOBALS = {
    ("builtins", "bytearray"), ("builtins", "set"), ("builtins", "frozenset"),
    ("builtins", "complex"), ("builtins", "slice"), ("builtins", "object"),
    ("builtins", "tuple"), ("builtins", "list"), ("builtins", "dict"),
    ("collections", "OrderedDict"), ("copyreg", "_reconstructor"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "scalar"),
    ("mxtorch.ndarray.ndarray", "NDArray"), ("mxtorch.ndarray.ndarray", "_unpickle"),
    ("mxtorch.ndarray.sparse", "RowSparseNDArray"), ("mxtorch.ndarray.sparse", "CSRNDArray"),
    ("mxtorch.numpy", "ndarray"), ("mxtorch.numpy.multiarray", "ndarray"),
}


class UnsafePickleError(MXNetError, pickle.UnpicklingError):
    """A pickle names a global that optimizer-state files never hold."""


def _to_mxtorch(module):
    if module == "mxnet" or module.startswith("mxnet."):
        return "mxtorch" + module[len("mxnet"):]
    return module


def _is_numpy_type(module, name):
    if module != "numpy":
        return False
    obj = getattr(numpy, name, None)
    return isinstance(obj, type) and (issubclass(obj, numpy.generic) or
                                      issubclass(obj, numpy.dtype))


def _is_state_class(module, name):
    """An optimizer or LR-scheduler class of a module already imported (nothing is imported
    to find out: importing a module a file names could itself run code)."""
    from .optimizer.optimizer import Optimizer
    from .lr_scheduler import LRScheduler
    obj = sys.modules.get(module)
    for part in name.split("."):
        obj = getattr(obj, part, None)
    return isinstance(obj, type) and issubclass(obj, (Optimizer, LRScheduler))


def _resolve(module, name):
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


class _SafeUnpickler(pickle.Unpickler):
    def __init__(self, file, allow_unsafe):
        super().__init__(file)
        self._allow_unsafe = allow_unsafe

    def find_class(self, module, name):
        mapped = _to_mxtorch(module)
        if self._allow_unsafe or (mapped, name) in _SAFE_GLOBALS or \
                _is_numpy_type(mapped, name) or _is_state_class(mapped, name):
            return _resolve(mapped, name)
        raise UnsafePickleError(
            f"refusing to unpickle global '{module}.{name}': optimizer-state files only hold "
            "NDArrays, numpy arrays/scalars, containers and optimizer/LR-scheduler classes "
            "of imported modules. If you trust this file, pass allow_unsafe=True "
            f"(or set {ENV_ALLOW_UNSAFE}=1).")


def _unsafe_allowed(allow_unsafe):
    return bool(allow_unsafe) or os.environ.get(ENV_ALLOW_UNSAFE, "") not in ("", "0")


def load(file, allow_unsafe=False):
    """Unpickle optimizer states from a binary file object, admitting only the globals such
    files hold (see the module docstring).

    Parameters
    ----------
    file : file object
        Opened in binary mode.
    allow_unsafe : bool, default False
        Admit any global (only for files you trust).
    """
    return _SafeUnpickler(file, _unsafe_allowed(allow_unsafe)).load()


def loads(data, allow_unsafe=False):
    """Unpickle optimizer states from ``bytes`` (see :func:`load`)."""
    return load(io.BytesIO(data), allow_unsafe=allow_unsafe)


class _MXNetName(object):
    """A stand-in object pickled as the global ``module.name``."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle requires reduce functions to be callable
        raise TypeError(f"{self.module}.{self.name} is a pickling stand-in")


_NAMES = {}


def _mxnet_name(module, name):
    """One stand-in per global, so the pickler memoizes it as MXNet's pickle does."""
    return _NAMES.setdefault((module, name), _MXNetName(module, name))


_NDARRAY = _mxnet_name("mxnet.ndarray.ndarray", "NDArray")


def _to_mxnet(module):
    if module == "mxtorch" or module.startswith("mxtorch."):
        return "mxnet" + module[len("mxtorch"):]
    return module


class _MXNetPickler(pickle._Pickler):  # pylint: disable=protected-access
    """Writes NDArrays as MXNet does and mxtorch classes under ``mxnet.*`` names."""

    def reducer_override(self, obj):
        from .ndarray.ndarray import NDArray
        if isinstance(obj, NDArray):
            state = obj.__getstate__()
            handle = state.get("handle") if isinstance(state, dict) else None
            klass = _NDARRAY
            if getattr(obj, "stype", "default") != "default":  # MXNet names the sparse class
                klass = _mxnet_name(_to_mxnet(type(obj).__module__), type(obj).__name__)
            return (klass, (None,), {"handle": bytearray(handle or b"")})
        return NotImplemented

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, _MXNetName):
            memo = self.memo.get(id(obj))
            if memo is not None:
                self.write(self.get(memo[0]))
                return
            self.framer.commit_frame()
            self._write_global(obj.module, obj.name)
            self.memoize(obj)
            return
        super().save(obj, save_persistent_id)

    def save_global(self, obj, name=None):
        module = getattr(obj, "__module__", None) or ""
        if module.startswith("mxtorch"):
            self._write_global(_to_mxnet(module), name or obj.__qualname__)
            self.memoize(obj)
            return
        super().save_global(obj, name)

    def _write_global(self, module, name):
        if self.proto >= 4:
            super().save(module)
            super().save(name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode("utf-8"))


def dump(obj, file, protocol=4):
    """Pickle ``obj`` (optimizer states) to a binary file object in a form MXNet 1.9.1 reads."""
    _MXNetPickler(file, protocol).dump(obj)


def dumps(obj, protocol=4):
    """Pickle ``obj`` (optimizer states) to ``bytes`` in a form MXNet 1.9.1 reads."""
    buf = io.BytesIO()
    dump(obj, buf, protocol)
    return buf.getvalue()
