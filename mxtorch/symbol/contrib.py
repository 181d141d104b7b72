"""``mx.sym.contrib``: contrib symbol functions generated from the operator registry, plus
MXNet's Python helpers."""
from ._gen import populate as _populate
from ._update_helpers import adamw_update, mp_adamw_update  # noqa: F401


def isinf(data):
    """1 where ``data`` is +inf or -inf, else 0."""
    return data.abs() == float("inf")


def isfinite(data):
    """1 where ``data`` is neither inf nor NaN, else 0."""
    return (data == data) * (data.abs() != float("inf"))


def isnan(data):
    """1 where ``data`` is NaN, else 0."""
    return data != data


_populate(globals(), "contrib")
