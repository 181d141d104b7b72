"""``mx.nd.contrib``: contrib operators generated from the registry, plus MXNet's Python helpers
(isinf, isfinite, isnan)."""
from ._gen import populate as _populate
from ._control_flow import foreach, while_loop, cond  # noqa: F401
from ._update_helpers import (adamw_update, mp_adamw_update, multi_adamw_update,  # noqa: F401
                              multi_mp_adamw_update, multi_lamb_update, multi_mp_lamb_update)

__all__ = []


def isinf(data):
    """1 where ``data`` is +inf or -inf, else 0 (input dtype)."""
    return data.abs() == float("inf")


def isfinite(data):
    """1 where ``data`` is neither inf nor NaN, else 0 (input dtype)."""
    is_number = data == data  # NaN is the only value not equal to itself
    return is_number * (data.abs() != float("inf"))


def isnan(data):
    """1 where ``data`` is NaN, else 0 (input dtype)."""
    return data != data


_populate(globals(), "contrib")
