"""Run unmodified MXNet code on mxtorch: ``import mxnet`` gives mxtorch.

``install()`` puts an import hook in front of ``sys.meta_path``: ``mxnet`` and every
``mxnet.X.Y`` resolve to the SAME module objects as ``mxtorch.X.Y`` (imported on first use), so
``isinstance`` checks, module-level state and pickles agree between both names.
``python -m mxtorch run script.py`` does this before running the script.

``Unpickler``/``load_pickle`` read pickles written by real MXNet (optimizer states, pickled
NDArrays) without installing the hook.
"""
import atexit
import importlib
import importlib.abc
import importlib.machinery
import os
import pickle
import shutil
import sys
import tempfile

from .base import MXNetError

__all__ = ["install", "uninstall", "installed", "Unpickler", "load_pickle", "loads_pickle"]

ALIAS = "mxnet"
TARGET = "mxtorch"
# third-party MXNet front ends served from mxtorch._shims while the alias is installed
# (only when the real package is not installed)
SHIMS = {"horovod": "mxtorch._shims.horovod", "byteps": "mxtorch._shims.byteps"}
_REAL_SHIMMED = {}


def _is_real(spec):
    """Whether `spec` is an installed package (not the stand-in child_process_path wrote)."""
    if spec is None:
        return False
    try:
        with open(spec.origin) as f:
            return "Written by mxtorch.compat" not in f.readline()
    except (OSError, TypeError):
        return True


def _shim_target(fullname):
    """The mxtorch module name standing for `fullname` (``horovod.mxnet``...), or None."""
    top, _, rest = fullname.partition(".")
    if top not in SHIMS:
        return None
    if top not in _REAL_SHIMMED:
        _REAL_SHIMMED[top] = _is_real(importlib.machinery.PathFinder.find_spec(top))
    if _REAL_SHIMMED[top]:
        return None
    return SHIMS[top] + ("." + rest if rest else "")


def _target_name(fullname):
    return TARGET + fullname[len(ALIAS):]


def resolve(fullname):
    """The mxtorch module standing for ``mxnet.<...>`` name ``fullname`` (None if none).

    Submodules are imported; names that mxtorch exposes as module attributes (``mxnet.nd``,
    ``mxnet.sym``) resolve to those modules.
    """
    target = _target_name(fullname)
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as err:
        if err.name != target:
            raise  # a real missing dependency inside mxtorch: show it
    parent_name, _, child = target.rpartition(".")
    parent = sys.modules.get(parent_name)
    candidate = getattr(parent, child, None) if parent is not None else None
    if isinstance(candidate, type(sys)):
        return candidate
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system an existing mxtorch module instead of a new one."""

    def __init__(self, module):
        self._module = module
        self._spec = getattr(module, "__spec__", None)

    def create_module(self, spec):
        return self._module

    def exec_module(self, module):
        # NOTE: module_from_spec() stamped the alias spec on the module; give the module its
        # own spec back so it keeps its real identity (reload, pickling by module name).
        if self._spec is not None:
            module.__spec__ = self._spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``mxnet`` and ``mxnet.*`` by aliasing them to mxtorch modules."""

    def find_spec(self, fullname, path=None, target=None):
        shim = _shim_target(fullname)
        if shim is not None:
            try:
                module = importlib.import_module(shim)
            except ModuleNotFoundError:
                return None
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module),
                                                  is_package=hasattr(module, "__path__"))
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        module = resolve(fullname)
        if module is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module),
                                              is_package=hasattr(module, "__path__"))

    def __repr__(self):
        return "<mxtorch.compat mxnet -> mxtorch alias finder>"


_FINDER = _AliasFinder()


def installed():
    """True while ``import mxnet`` resolves to mxtorch."""
    return _FINDER in sys.meta_path


def install():
    """Make ``import mxnet`` (and every ``mxnet.*`` submodule) resolve to mxtorch.

    Raises MXNetError if the real MXNet is already imported in this process (the two cannot
    share the name). Safe to call more than once.
    """
    existing = sys.modules.get(ALIAS)
    mxtorch = importlib.import_module(TARGET)
    if existing is not None and existing is not mxtorch and \
            not getattr(existing, "__mxtorch_shim__", False):
        raise MXNetError(f"the real MXNet is already imported ({getattr(existing, '__file__', '?')})"
                         "; call mxtorch.compat.install() before anything imports mxnet")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    sys.modules[ALIAS] = mxtorch
    _name_classes(ALIAS)


# Value classes that libraries serialize by qualified name (gluonts' serde writes a predictor's
# ctx as "<module>.Context"): while the alias is installed they carry MXNet's module name, so
# such files load in real MXNet too (pickle and importlib still find them through the alias).
_MXNET_NAMED = (("context", "Context"),)


def _name_classes(top):
    for module, name in _MXNET_NAMED:
        klass = getattr(importlib.import_module(f"{TARGET}.{module}"), name)
        klass.__module__ = f"{top}.{module}"


def uninstall():
    """Undo ``install``: forget the hook and every ``mxnet*`` alias in ``sys.modules``."""
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    _name_classes(TARGET)
    tops = (ALIAS,) + tuple(SHIMS)
    for name in [n for n in sys.modules if n.split(".")[0] in tops]:
        module = sys.modules[name]
        if getattr(module, "__name__", "").split(".")[0] == TARGET:
            del sys.modules[name]


def child_process_path():
    """A directory holding a one-line ``mxnet`` module that installs the alias, for
    ``PYTHONPATH`` of child processes (spawned workers re-import the script)."""
    global _SHIM_DIR
    if _SHIM_DIR is None or not os.path.isdir(_SHIM_DIR):
        _SHIM_DIR = tempfile.mkdtemp(prefix="mxtorch-compat-")
        atexit.register(shutil.rmtree, _SHIM_DIR, ignore_errors=True)
        with open(os.path.join(_SHIM_DIR, "mxnet.py"), "w") as f:
            f.write("# Written by mxtorch.compat: `import mxnet` gives mxtorch in this process.\n"
                    "__mxtorch_shim__ = True\n"
                    "import mxtorch.compat as _compat\n_compat.install()\n")
        for top in SHIMS:  # `import horovod.mxnet` before `import mxnet` works too
            if _shim_target(top) is None:
                continue
            os.mkdir(os.path.join(_SHIM_DIR, top))
            with open(os.path.join(_SHIM_DIR, top, "__init__.py"), "w") as f:
                f.write("# Written by mxtorch.compat: mxtorch's stand-in for %s.\n"
                        "import importlib, sys\nimport mxtorch.compat as _compat\n"
                        "_compat.install()\nsys.modules[__name__] = importlib.import_module("
                        "%r)\n" % (top, SHIMS[top]))
    return _SHIM_DIR


_SHIM_DIR = None


# --------------------------------------------------------------------------------------------
# pickles written by real MXNet
# --------------------------------------------------------------------------------------------


class Unpickler(pickle.Unpickler):
    """Unpickler that maps MXNet's classes (``mxnet.ndarray.ndarray.NDArray``,
    ``mxnet.optimizer.*``...) onto mxtorch's."""

    def find_class(self, module, name):
        if module == ALIAS or module.startswith(ALIAS + "."):
            return _mxtorch_class(module, name)
        return super().find_class(module, name)


def _mxtorch_class(module, name):
    parts = module.split(".")
    # walk up from the full module path: mxtorch may define the class one level higher
    for depth in range(len(parts), 0, -1):
        target = resolve(".".join(parts[:depth]))
        if target is not None and hasattr(target, name):
            found = getattr(target, name)
            return _revivable(found)
    raise pickle.UnpicklingError(f"MXNet class {module}.{name} has no mxtorch counterpart")


def _revivable(cls):
    # NOTE: MXNet pickles an NDArray as NDArray(None) + __setstate__; mxtorch's NDArray
    # constructor needs a tensor, so build an empty instance for __setstate__ to fill.
    from .ndarray.ndarray import NDArray, _unpickle
    if cls is NDArray:
        return lambda *args: _unpickle()
    return cls


def load_pickle(file):
    """``pickle.load`` for MXNet pickles (e.g. ``Trainer.save_states`` / ``.states`` files)."""
    return Unpickler(file).load()


def loads_pickle(data):
    """``pickle.loads`` for MXNet pickles."""
    import io
    return Unpickler(io.BytesIO(data)).load()
