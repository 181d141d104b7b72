"""``mx.engine``: bulk execution controls, and the errors MXNet reports asynchronously.

mxtorch executes synchronously, so bulking has no effect; the calls are kept so MXNet code
runs unchanged. A few operator errors surface in MXNet only when a result is read (``asnumpy``,
``wait_to_read``, ``waitall``), not at the call: MXNet checks them inside the kernel, after the
call returned (random samplers with invalid scalar parameters). Operators report those through
``defer_error``; the next read raises the error once (later reads succeed, as in MXNet).
"""
import contextlib
import threading
import weakref

from .base import MXNetError

__all__ = ["bulk", "set_bulk_size"]

_BULK_SIZE = [15]
_LOCK = threading.Lock()
PENDING = []   # errors operators deferred to the next read


def set_bulk_size(size):
    """Set the bulk size (operators run eagerly, so it only records the value).

    Parameters
    ----------
    size : int
        Maximum number of operators to bulk together.

    Returns
    -------
    int
        The previous bulk size.
    """
    prev = _BULK_SIZE[0]
    _BULK_SIZE[0] = int(size)
    return prev


@contextlib.contextmanager
def bulk(size):
    """``with mx.engine.bulk(n):`` sets the bulk size inside the block (operators still run
    eagerly); the previous size is restored afterwards."""
    prev = set_bulk_size(size)
    try:
        yield
    finally:
        set_bulk_size(prev)


class _Propagator:
    """The nd door's tracing hook while a deferred error is pending: results of operators
    that read a failed array fail too (MXNet's exception travels along the dependencies)."""

    def __call__(self, op, inputs, attrs, result):  # noqa: ARG002
        for t in inputs:
            message = getattr(t, "_mx_error", None)
            if message is not None:
                for r in (result if isinstance(result, (list, tuple)) else [result]):
                    _poison(r, message)
                return

    def getitem(self, tensor, key, result):  # noqa: ARG002
        self(None, [tensor], None, result)

    def rebind(self, target, value):
        self(None, [value], None, target)

    def compose(self, graph_symbol, data_names, data, outputs):  # noqa: ARG002
        """A hybridized block ran: its outputs fail if an input failed, or if an operator
        inside its graph failed (that result is gone by now: its entry is dead)."""
        self(None, [a._t for a in data], None, [o._t for o in outputs])
        graph_failed(outputs, self.seen)
        self.seen = COUNT[0]


def graph_failed(outputs, since):
    """After a compiled graph ran: if an operator inside it deferred an error (``COUNT``
    moved past ``since``), the graph's outputs (NDArrays) carry that error."""
    if COUNT[0] == since or not _RECENT:
        return
    message = _RECENT[-1]
    for o in outputs:
        if getattr(o._t, "_mx_error", None) is None:
            _poison(o._t, message)


_PROPAGATOR = _Propagator()
_PROPAGATOR.seen = 0
COUNT = [0]     # errors deferred so far (graphs compare it before and after a run)
_RECENT = []    # the latest deferred error message
_POISONED = {}  # id(tensor) -> (weak reference, message)


def _poison(tensor, message):
    tensor._mx_error = message
    _POISONED[id(tensor)] = (weakref.ref(tensor), message)


def _alive():
    """Drop failed arrays nobody holds; uninstall the propagator when none is left."""
    for key, (ref, _) in list(_POISONED.items()):
        if ref() is None:
            del _POISONED[key]
    if not _POISONED:
        from .ndarray.ndarray import DEFERRED
        if DEFERRED[0] is _PROPAGATOR:
            DEFERRED[0] = None
    return bool(_POISONED)


def defer_error(message, tensor):
    """Report an operator error the way MXNet does for errors found inside a kernel: the call
    returns ``tensor``; reading it, or anything computed from it, raises (once), and so does
    ``waitall`` while such an array is alive.

    Parameters
    ----------
    message : str
        The error message (names the operator).
    tensor : torch.Tensor
        The operator's result.
    """
    from .ndarray.ndarray import DEFERRED
    with _LOCK:
        _poison(tensor, message)
        PENDING.append(message)
        COUNT[0] += 1
        _RECENT[:] = [message]
        if DEFERRED[0] is None:
            DEFERRED[0] = _PROPAGATOR


def raise_pending(tensor=None):
    """Raise the deferred error of ``tensor`` (``None``: of any live failed array) and forget
    every pending error, as MXNet rethrows an exception once."""
    with _LOCK:
        if tensor is not None:
            message = getattr(tensor, "_mx_error", None)
            if message is None:  # a read of an unrelated array: errors of dead arrays go
                _alive()
                del PENDING[:]
                PENDING.extend(m for _, m in _POISONED.values())
                return
        elif not PENDING:
            return
        else:  # waitall: every error since the last read, as MXNet's engine-wide rethrow
            message = PENDING[0]
        for ref, _ in _POISONED.values():
            t = ref()
            if t is not None:
                t._mx_error = None
        _POISONED.clear()
        del PENDING[:]
        _alive()
    raise MXNetError(message)
