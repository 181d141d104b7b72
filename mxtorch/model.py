"""Checkpoints: ``save_checkpoint``/``load_checkpoint``/``load_params`` (MXNet file layout).

A checkpoint is ``prefix-symbol.json`` plus ``prefix-%04d.params`` whose keys are
``arg:<name>`` and ``aux:<name>``.
"""
import importlib
import importlib.util
import logging
import os  # noqa: F401 - part of MXNet's module namespace
import time  # noqa: F401
import warnings  # noqa: F401
from collections import namedtuple

import numpy as np  # noqa: F401

from . import ndarray as nd
from . import symbol as sym
from .base import mx_real_t  # noqa: F401
from .context import Context, cpu  # noqa: F401

# MXNet imports scikit-learn here; that costs ~0.6 s, so BASE_ESTIMATOR resolves on first use
SKLEARN_INSTALLED = importlib.util.find_spec("sklearn") is not None

BatchEndParam = namedtuple("BatchEndParams", ["epoch", "nbatch", "eval_metric", "locals"])

# Names MXNet's model module takes from packages that arrive with the Module/io/optimizer
# work; they resolve on first use once those packages exist (see ``__getattr__``).
_LAZY = {"io": ("io", None), "kvs": ("kvstore", None), "metric": ("metric", None),
         "opt": ("optimizer", None), "DataDesc": ("io", "DataDesc"),
         "Uniform": ("initializer", "Uniform"), "get_updater": ("optimizer", "get_updater"),
         "LogValidationMetricsCallback": ("callback", "LogValidationMetricsCallback"),
         "DataParallelExecutorManager": ("executor_manager", "DataParallelExecutorManager"),
         "FeedForward": ("_feedforward", "FeedForward")}
_EAGER_ALL = ["save_checkpoint", "load_checkpoint", "load_params", "BatchEndParam",
              "BASE_ESTIMATOR", "SKLEARN_INSTALLED", "Context", "cpu", "mx_real_t", "namedtuple",
              "nd", "sym", "np", "os", "time", "warnings", "logging"]


def _lazy(name):
    module_name, attr = _LAZY[name]
    try:
        module = importlib.import_module(f"{__package__}.{module_name}")
        return module if attr is None else getattr(module, attr)
    except (ImportError, AttributeError):
        return None


def _base_estimator():
    global BASE_ESTIMATOR
    try:
        from sklearn.base import BaseEstimator as BASE_ESTIMATOR
    except ImportError:
        BASE_ESTIMATOR = object
    return BASE_ESTIMATOR


def __getattr__(name):
    """MXNet's model namespace: ``__all__`` and the names of later-built packages."""
    if name == "__all__":
        return _EAGER_ALL + [n for n in _LAZY if _lazy(n) is not None]
    if name == "BASE_ESTIMATOR":
        return _base_estimator()
    if name in _LAZY:
        value = _lazy(name)
        if value is not None:
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def save_checkpoint(prefix, epoch, symbol, arg_params, aux_params, remove_amp_cast=True):
    """Write ``prefix-symbol.json`` (if ``symbol`` is given) and ``prefix-%04d.params``."""
    if symbol is not None:
        symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
    save_dict = {f"arg:{k}": v.as_in_context(_cpu()) for k, v in arg_params.items()}
    save_dict.update({f"aux:{k}": v.as_in_context(_cpu()) for k, v in aux_params.items()})
    param_name = f"{prefix}-{epoch:04d}.params"
    nd.save(param_name, save_dict)
    logging.info('Saved checkpoint to "%s"', param_name)


def _cpu():
    from .context import cpu
    return cpu()


def load_params(prefix, epoch):
    """(arg_params, aux_params) from ``prefix-%04d.params``."""
    saved = nd.load(f"{prefix}-{epoch:04d}.params")
    return split_params(saved)


def split_params(saved):
    """Split a dict with ``arg:``/``aux:`` keys into (arg_params, aux_params)."""
    arg_params, aux_params = {}, {}
    if not saved:
        return arg_params, aux_params
    for key, value in saved.items():
        kind, _, name = key.partition(":")
        if kind == "arg":
            arg_params[name] = value
        elif kind == "aux":
            aux_params[name] = value
    return arg_params, aux_params


def load_checkpoint(prefix, epoch):
    """(symbol, arg_params, aux_params) of the checkpoint ``prefix``/``epoch``."""
    symbol = sym.load(f"{prefix}-symbol.json")
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params


# ---- kvstore plumbing shared by Module (and the legacy FeedForward) --------------------------

def _create_kvstore(kvstore, num_device, arg_params):
    """The kvstore to use and whether the optimizer runs inside it.

    ``kvstore`` is a KVStore, a type name or None. A name with one device and no 'dist' means
    no kvstore at all (nothing to reduce). The optimizer runs in the store unless
    ``MXNET_UPDATE_ON_KVSTORE=0``, the store cannot run one, or a 'local' store holds an array
    of more than 16M elements (then every device updates its own copy).
    """
    from . import kvstore as kvs
    update_on_kvstore = bool(int(os.getenv("MXNET_UPDATE_ON_KVSTORE", "1")))
    if kvstore is None:
        kv = None
    elif isinstance(kvstore, kvs.KVStoreBase):
        kv = kvstore
    elif isinstance(kvstore, str):
        if num_device == 1 and "dist" not in kvstore:
            kv = None
        else:
            kv = kvs.create(kvstore)
            if kvstore == "local" and arg_params:
                largest = max(int(np.prod(p.shape)) for p in arg_params.values())
                if largest > 1024 * 1024 * 16:
                    update_on_kvstore = False
    else:
        raise TypeError(f"kvstore must be KVStore, str or None, got {type(kvstore).__name__}")
    if kv is None:
        update_on_kvstore = False
    else:
        update_on_kvstore = update_on_kvstore and kv.is_capable(kvs.KVStoreBase.OPTIMIZER)
    return kv, update_on_kvstore


def _initialize_kvstore(kvstore, param_arrays, arg_params, param_names, update_on_kvstore):
    """Register every parameter in the store and pull it back to every device when the
    store updates, or when it is distributed (every worker then starts from rank 0's
    weights; MXNet skips that pull with ``update_on_kvstore=False``)."""
    from . import kvstore as kvs
    names = [param_names[idx] for idx in range(len(param_arrays))]
    pull = update_on_kvstore or "dist" in kvstore.type
    if isinstance(kvstore, kvs.KVStore):  # one call: a dist store broadcasts in buckets
        kvstore.init(names, [arg_params[name] for name in names])
        if pull:
            kvstore.pull(names, list(param_arrays))
        return
    for idx, per_device in enumerate(param_arrays):
        kvstore.init(names[idx], arg_params[names[idx]])
        if pull:
            kvstore.pull(names[idx], per_device, priority=-idx)


def _reduce_on_kvstore(param_arrays, grad_arrays, kvstore, param_names, on_kvstore):
    """Push every gradient; pull the new weights (`on_kvstore`) or the reduced gradients
    back. Dense keys go in one call to a KVStore (a dist store packs them into buckets)."""
    from . import kvstore as kvs
    batched = isinstance(kvstore, kvs.KVStore)
    names, values, outs = [], [], []
    for index, (weights, grads) in enumerate(zip(param_arrays, grad_arrays)):
        if grads[0] is None:
            continue
        name = param_names[index]
        out = weights if on_kvstore else grads
        if grads[0].stype != "default" or weights[0].stype != "default":
            kvstore.push(name, grads, priority=-index)
            kvstore.pull(name, out=out, priority=-index)
        elif batched:
            names.append(name)
            values.append(grads)
            outs.append(out)
        else:
            kvstore.pushpull(name, grads, out=weights if on_kvstore else None, priority=-index)
    if names:
        kvstore.pushpull(names, values, out=outs)


def _update_params_on_kvstore(param_arrays, grad_arrays, kvstore, param_names):
    """Push gradients to the store, which updates; pull the new weights to every device."""
    _reduce_on_kvstore(param_arrays, grad_arrays, kvstore, param_names, True)


def _update_params(param_arrays, grad_arrays, updater, num_device, kvstore=None,
                   param_names=None):
    """Reduce gradients through ``kvstore`` (if any), then run ``updater`` on each device's
    copy; the updater key of parameter i on device k is ``i * num_device + k``."""
    if kvstore:
        _reduce_on_kvstore(param_arrays, grad_arrays, kvstore, param_names, False)
    per_device = [[] for _ in range(num_device)]
    for index, (weights, grads) in enumerate(zip(param_arrays, grad_arrays)):
        if grads[0] is None:
            continue
        for k, (weight, grad) in enumerate(zip(weights, grads)):
            per_device[k].append((index * num_device + k, grad, weight))
    for updates in per_device:
        if updates:
            keys, grads, weights = zip(*updates)
            updater(list(keys), list(grads), list(weights))
