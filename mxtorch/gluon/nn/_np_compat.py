"""NumPy-array (``mx.np``) inputs for layers written with the legacy operators.

Under ``npx.set_np()`` Gluon hands ``mx.np.ndarray`` inputs and parameters to
``hybrid_forward``. ``np_aware`` runs the legacy-operator body on zero-copy
``mx.nd.NDArray`` views of them and returns ``mx.np.ndarray`` views of the results, so one
layer body serves both array kinds; autograd flows through (the views share the tensors).
Legacy inputs and Symbols take the fast path: one type check.
"""
import functools
import inspect

from ...numpy import ndarray as _NpArray


def _to_nd(value):
    return value.as_nd_ndarray() if type(value) is _NpArray else value


def _to_np(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_to_np(v) for v in value)
    return value.as_np_ndarray() if hasattr(value, 'as_np_ndarray') else value


def np_aware(hybrid_forward):
    """Decorates ``hybrid_forward(self, F, x, *args, **params)`` (see the module docstring).
    The first input may also come by its name (``super().hybrid_forward(F, pred=p, ...)``)."""
    first = list(inspect.signature(hybrid_forward).parameters)[2]

    @functools.wraps(hybrid_forward)
    def run(self, F, *args, **params):
        x = args[0] if args else params.get(first)
        if type(x) is not _NpArray:
            return hybrid_forward(self, F, *args, **params)
        out = hybrid_forward(self, F, *map(_to_nd, args),
                             **{k: _to_nd(v) for k, v in params.items()})
        return _to_np(out)
    return run
