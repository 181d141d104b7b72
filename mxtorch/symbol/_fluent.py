"""Fluent methods of Symbol (``s.sum(axis=1)`` is ``sym.sum(s, axis=1)``), as on NDArray."""
from ..ndarray._fluent import FLUENT


def _method(op_name, method_name):
    def method(self, *args, **kwargs):
        from ._gen import SYM_FUNCTIONS
        return SYM_FUNCTIONS[op_name](self, *args, **kwargs)
    method.__name__ = method.__qualname__ = method_name
    method.__doc__ = f"Fluent form of ``sym.{op_name}(self, ...)``."
    return method


_EXTRA = {"reshape": "Reshape", "transpose": "transpose", "flatten": "Flatten",
          "split": "SliceChannel", "zeros_like": "zeros_like", "ones_like": "ones_like",
          "swapaxes": "SwapAxis", "expand_dims": "expand_dims", "broadcast_to": "broadcast_to",
          "broadcast_axes": "broadcast_axis", "reshape_like": "reshape_like",
          "split_v2": "_split_v2", "astype": "Cast"}


# methods whose nodes MXNet names after the method (``x.flip()`` -> ``flip0``), not the op
_NAMED_AS_METHOD = ("flip", "split", "swapaxes", "broadcast_axes")


def install(cls):
    table = dict(FLUENT)
    table.update(_EXTRA)
    for method_name, op_name in table.items():
        if method_name in _NAMED_AS_METHOD:
            op_name = method_name
        if method_name not in cls.__dict__:
            setattr(cls, method_name, _method(op_name, method_name))
