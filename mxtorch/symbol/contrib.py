"""``mx.sym.contrib``: contrib symbol functions generated from the operator registry, plus
MXNet's Python helpers (isinf, isfinite, isnan, rand_zipfian, cond)."""
import copy  # noqa: F401  (MXNet's module exposes it)
import ctypes  # noqa: F401
import math

from ..attribute import AttrScope  # noqa: F401
from ..base import MXNetError
from . import symbol  # noqa: F401
from ._gen import populate as _populate
from ._update_helpers import adamw_update, mp_adamw_update  # noqa: F401
from .random import uniform
from .symbol import Symbol


def isinf(data):
    """1 where ``data`` is +inf or -inf, else 0."""
    return data.abs() == float("inf")


def isfinite(data):
    """1 where ``data`` is neither inf nor NaN, else 0."""
    return (data == data) * (data.abs() != float("inf"))


def isnan(data):
    """1 where ``data`` is NaN, else 0."""
    return data != data


def rand_zipfian(true_classes, num_sampled, range_max):
    """Symbols (sampled classes, expected count of ``true_classes``, expected count of the
    samples) for candidate sampling from the log-uniform (Zipfian) law
    P(c) = log((c + 2) / (c + 1)) / log(range_max + 1), drawn with replacement.

    Parameters
    ----------
    true_classes : Symbol
        The target classes.
    num_sampled : int
        Number of classes to sample.
    range_max : int
        Classes are in ``[0, range_max)``.

    Returns
    -------
    (Symbol, Symbol, Symbol)
        int64 samples of shape ``(num_sampled,)``, then float64 expected counts
        (P * num_sampled) of ``true_classes`` and of the samples.
    """
    log_range = math.log(range_max + 1)
    draws = uniform(0, log_range, shape=(num_sampled,), dtype="float64")
    samples = ((draws.exp() - 1).floor().astype("int64")) % range_max

    def expected(classes):
        c = classes.astype("float64")
        return ((c + 2) / (c + 1)).log() / log_range * num_sampled
    return samples, expected(true_classes), expected(samples)


def cond(pred, then_func, else_func, name="cond"):
    """``then_func()`` where the size-1 symbol ``pred`` is non-zero, else ``else_func()``.

    Both functions take no arguments and return a Symbol or a list of Symbols of the same
    structure and shapes. mxtorch builds both branches and selects with ``where`` (gradients
    reach only the branch taken); see COMPAT.md for how this differs from MXNet's ``_cond``
    subgraph node.
    """
    from . import _gen
    ops = _gen.SYM_FUNCTIONS
    then_out, else_out = then_func(), else_func()
    then_list = list(then_out) if isinstance(then_out, (list, tuple)) else [then_out]
    else_list = list(else_out) if isinstance(else_out, (list, tuple)) else [else_out]
    if len(then_list) != len(else_list):
        raise MXNetError(f"cond: then_func returned {len(then_list)} outputs and else_func "
                         f"{len(else_list)}; both branches must return the same number")
    if not all(isinstance(s, Symbol) for s in then_list + else_list):
        raise TypeError("cond: then_func and else_func must return Symbols")
    flat_pred = ops["Reshape"](pred, shape=(-1,))
    results = []
    for i, (a, b) in enumerate(zip(then_list, else_list)):
        suffix = f"_output{i}" if len(then_list) > 1 else ""
        mask = ops["broadcast_like"](flat_pred, ops["Reshape"](a, shape=(-1,)))
        mask = ops["reshape_like"](mask, a)
        results.append(ops["where"](mask, a, b, name=f"{name}{suffix}"))
    return results if isinstance(then_out, (list, tuple)) else results[0]


_populate(globals(), "contrib")

# ``from mxnet.symbol.contrib import *``: the generated contrib operators and the helpers above.
_NOT_STARRED = {"copy", "ctypes", "math", "symbol", "uniform", "adamw_update",
                "mp_adamw_update", "AttrScope", "Symbol", "MXNetError"}
__all__ = sorted(k for k in globals() if not k.startswith("_") and k not in _NOT_STARRED)
