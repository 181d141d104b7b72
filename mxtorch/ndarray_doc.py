"""``mx.ndarray_doc``: classes holding extra documentation for generated NDArray operators."""

__all__ = ["NDArrayDoc", "ReshapeDoc", "elemwise_addDoc", "BroadcastToDoc", "StackDoc",
           "CustomDoc"]


class NDArrayDoc:
    """Base of the per-operator documentation holders."""


class ReshapeDoc(NDArrayDoc):
    """``nd.reshape(x, shape=(2, -1))`` keeps the element order; 0 copies a dimension, -1
    infers one."""


class elemwise_addDoc(NDArrayDoc):  # noqa: N801 - MXNet's name
    """``nd.elemwise_add(a, b)`` adds arrays of equal shape (no broadcasting)."""


class BroadcastToDoc(NDArrayDoc):
    """``nd.broadcast_to(x, shape=(2, 3))`` repeats size-1 dimensions; 0 keeps one."""


class StackDoc(NDArrayDoc):
    """``nd.stack(a, b, axis=0)`` joins equal-shape arrays along a new axis."""


class CustomDoc(NDArrayDoc):
    """``nd.Custom(x, op_type='name')`` runs a Python operator registered with
    ``mx.operator.register``."""
