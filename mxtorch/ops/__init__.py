"""Every MXNet operator, defined once (see ``_registry``), and the ``invoke`` seam.

Importing this package registers all operator modules.
"""
from ._registry import REGISTRY, OpDef, Attr, defop, get_op, all_ops, VARIADIC  # noqa: F401
from ._invoke import invoke  # noqa: F401
from . import elemwise  # noqa: F401  (registers operators)

_OPTIONAL_MODULES = ("reduce", "shape", "indexing", "nn", "loss_ops", "rnn", "sequence",
                     "spatial", "random", "linalg", "contrib", "update", "creation", "image", "detection",
                     "matrix", "norm", "conv", "sparse", "misc",
                     "custom", "control_flow")


def _load_all():
    import importlib
    for name in _OPTIONAL_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise


_load_all()
