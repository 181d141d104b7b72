"""``mx.nd.contrib``: contrib operators generated from the registry, plus MXNet's Python helpers
(foreach, while_loop, cond, isinf, isfinite, isnan, rand_zipfian)."""
import math  # noqa: F401  (MXNet's module exposes it)

import numpy as np  # noqa: F401

import mxtorch as mx  # noqa: F401  (MXNet's module exposes the package as ``mx``)
from ..context import current_context  # noqa: F401
from . import ndarray  # noqa: F401
from ._gen import populate as _populate
from ._control_flow import foreach, while_loop, cond  # noqa: F401
from ._update_helpers import (adamw_update, mp_adamw_update, multi_adamw_update,  # noqa: F401
                              multi_mp_adamw_update, multi_lamb_update, multi_mp_lamb_update)
from .random import uniform  # noqa: F401


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


def rand_zipfian(true_classes, num_sampled, range_max, ctx=None):
    """Sample ``num_sampled`` classes in [0, range_max) (with replacement) from the log-uniform
    law P(c) = log((c + 2) / (c + 1)) / log(range_max + 1); also return the expected counts
    of ``true_classes`` and of the samples (P * num_sampled), as float64."""
    import math
    from . import random as _random
    from .utils import array
    ctx = ctx or true_classes.context
    log_range = math.log(range_max + 1)
    draws = _random.uniform(0, log_range, shape=(num_sampled,), dtype="float64", ctx=ctx)
    samples = (draws.exp() - 1).floor().astype("int64") % range_max

    def expected(classes):
        c = classes.astype("float64")
        return ((c + 2) / (c + 1)).log() / log_range * num_sampled
    true = array(true_classes, ctx=ctx, dtype="float64")
    return samples, expected(true), expected(samples)


_populate(globals(), "contrib")

# ``from mxnet.ndarray.contrib import *``: the generated contrib operators and the helpers above
# (not the update wrappers nor the modules MXNet's file imports).
_NOT_STARRED = {"math", "np", "mx", "current_context", "ndarray", "uniform", "adamw_update",
                "mp_adamw_update", "multi_adamw_update", "multi_mp_adamw_update",
                "multi_lamb_update", "multi_mp_lamb_update"}
__all__ = sorted(k for k in globals() if not k.startswith("_") and k not in _NOT_STARRED)
