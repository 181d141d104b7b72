"""``mx.engine``: bulk execution controls. mxtorch executes synchronously, so bulking has no
effect; the calls are kept so MXNet code runs unchanged."""
import contextlib

__all__ = ["bulk", "set_bulk_size"]

_BULK_SIZE = [15]


def set_bulk_size(size):
    """Set the (ignored) bulk size; returns the previous value."""
    prev = _BULK_SIZE[0]
    _BULK_SIZE[0] = int(size)
    return prev


@contextlib.contextmanager
def bulk(size):
    """``with mx.engine.bulk(n):`` -- accepted for compatibility; operators still run eagerly."""
    prev = set_bulk_size(size)
    try:
        yield
    finally:
        set_bulk_size(prev)
