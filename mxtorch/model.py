"""Checkpoints: ``save_checkpoint``/``load_checkpoint``/``load_params`` (MXNet file layout).

A checkpoint is ``prefix-symbol.json`` plus ``prefix-%04d.params`` whose keys are
``arg:<name>`` and ``aux:<name>``.
"""
import logging

from . import ndarray as nd
from . import symbol as sym

__all__ = ["save_checkpoint", "load_checkpoint", "load_params"]


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
