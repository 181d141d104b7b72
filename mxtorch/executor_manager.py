"""The executor manager of MXNet's legacy ``FeedForward`` training loop.

``DataParallelExecutorManager`` binds one executor per context for a data iterator's shapes
and exposes the per-device parameter/gradient arrays; it is a thin layer over the Module
API's ``DataParallelExecutorGroup``, which does the binding, slicing and merging.
"""
import logging

import numpy as np  # noqa: F401 - part of MXNet's module namespace

from . import ndarray as nd  # noqa: F401
from .base import mx_real_t  # noqa: F401
from .context import cpu  # noqa: F401
from .io import DataDesc
from .module import executor_group as _group
from .module.executor_group import _split_input_slice  # noqa: F401


def _check_arguments(symbol):
    """Argument and auxiliary-state names of ``symbol`` must be unique."""
    for names, what in ((symbol.list_arguments(), "argument"),
                        (symbol.list_auxiliary_states(), "auxiliary state")):
        seen = set()
        for name in names:
            if name in seen:
                raise ValueError(f"Find duplicated {what} name \"{name}\", please make the "
                                 f"weight name non-duplicated (using name arguments), "
                                 f"{what}s are {names}")
            seen.add(name)


def _load_general(data, targets):
    """Copy each array of ``data`` into its (slice, target) pairs or target array."""
    for d_src, d_targets in zip(data, targets):
        if isinstance(d_targets, nd.NDArray):
            d_src.copyto(d_targets)
            continue
        for slice_idx, d_dst in d_targets:
            d_src[slice_idx].copyto(d_dst)


def _load_data(batch, targets):
    _load_general(batch.data, targets)


def _load_label(batch, targets):
    _load_general(batch.label, targets)


def _bind_exec(sym, ctx, input_shapes, param_names, need_grad=False, base_exec=None,
               shared_data_arrays=None, input_types=None, logger=logging):
    """Bind ``sym`` on ``ctx`` for ``input_shapes``; parameters get gradients when
    ``need_grad`` (True, or a set of names). ``base_exec`` shares its parameter arrays."""
    if need_grad is True:
        grad_names = set(param_names)
    elif need_grad:
        grad_names = set(need_grad)
    else:
        grad_names = set()
    reqs = {name: "write" if name in grad_names else "null" for name in sym.list_arguments()}
    exe = sym.simple_bind(ctx, grad_req=reqs, type_dict=input_types, **input_shapes)
    if base_exec is None:
        return exe
    args = [base_exec.arg_dict[n] if n in param_names else a
            for n, a in zip(sym.list_arguments(), exe.arg_arrays)]
    grads = [base_exec.grad_dict.get(n) if n in param_names else g
             for n, g in zip(sym.list_arguments(), exe.grad_arrays)]
    return sym.bind(ctx, args=args, args_grad=grads, grad_req=reqs,
                    aux_states=base_exec.aux_arrays)


class DataParallelExecutorGroup:
    """Executors of one symbol over several contexts for an iterator's shapes (legacy API).

    Parameters
    ----------
    sym : Symbol
    arg_names, param_names : list of str
    ctx : list of Context
    slices : list of slice
        The batch rows each context takes.
    train_data : DataIter
        Supplies provide_data / provide_label.
    shared_group : DataParallelExecutorGroup
    """

    def __init__(self, sym, arg_names, param_names, ctx, slices, train_data,
                 shared_group=None):
        _check_arguments(sym)
        self.slices = slices
        data_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x)
                       for x in train_data.provide_data]
        label_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x)
                        for x in (train_data.provide_label or [])]
        batch_size = data_shapes[0].shape[0]
        sizes = [s.stop - s.start for s in slices]
        self._group = _group.DataParallelExecutorGroup(
            sym, ctx, [size / batch_size for size in sizes], data_shapes, label_shapes,
            param_names, True, False,
            shared_group=None if shared_group is None else shared_group._group)
        self._group.slices = slices
        self.train_execs = self._group.execs
        self.data_names = [d.name for d in data_shapes]
        self.label_names = [d.name for d in label_shapes]
        self.data_arrays = self._group.data_arrays
        self.label_arrays = self._group.label_arrays or []
        self.param_idx = [i for i, name in enumerate(arg_names) if name in param_names]
        self.param_names = [arg_names[i] for i in self.param_idx]
        self.param_arrays = self._group.param_arrays
        self.grad_arrays = self._group.grad_arrays
        self.aux_arrays = self._group.aux_arrays

    def load_data_batch(self, data_batch):
        """Copy a batch's data and labels into the executors."""
        _load_data(data_batch, self.data_arrays)
        if self.label_arrays:
            _load_label(data_batch, self.label_arrays)

    def forward(self, is_train=False):
        for exe in self.train_execs:
            exe.forward(is_train=is_train)

    def backward(self):
        for exe in self.train_execs:
            exe.backward()

    def update_metric(self, metric, labels, pre_sliced=False):
        """Update ``metric`` with each executor's outputs and its slice of ``labels``."""
        for k, (texec, islice) in enumerate(zip(self.train_execs, self.slices)):
            sliced = labels[k] if pre_sliced else [label[islice] for label in labels]
            metric.update(sliced, texec.outputs)


class DataParallelExecutorManager:
    """Binds executors per context for ``train_data``'s shapes, optionally one group per
    bucket key (``sym_gen``); the legacy FeedForward's device manager.

    Parameters
    ----------
    symbol : Symbol
    ctx : list of Context
    train_data : DataIter
    arg_names, param_names, aux_names : list of str
    work_load_list : list of float
    logger : Logger
    sym_gen : callable
        ``sym_gen(bucket_key) -> Symbol`` for bucketing iterators.
    """

    def __init__(self, symbol, ctx, train_data, arg_names, param_names, aux_names,
                 work_load_list=None, logger=None, sym_gen=None):
        self.logger = logger or logging
        num_device = len(ctx)
        self.logger.info("Start training with %s", str(ctx))
        if work_load_list is None:
            work_load_list = [1] * num_device
        if not isinstance(work_load_list, list) or len(work_load_list) != num_device:
            raise ValueError("Invalid settings for work load: work_load_list must be a list "
                             f"with one entry per context ({num_device})")
        self.slices = _split_input_slice(train_data.batch_size, work_load_list)
        self.arg_names, self.param_names, self.aux_names = arg_names, param_names, aux_names
        self.ctx = ctx
        self.symbol = symbol
        self.sym_gen = sym_gen
        self.execgrp = DataParallelExecutorGroup(symbol, arg_names, param_names, ctx,
                                                 self.slices, train_data)
        self.curr_execgrp = self.execgrp
        self.execgrp_bucket = {}
        if sym_gen is not None:
            self.execgrp_bucket = {train_data.default_bucket_key: self.execgrp}

    def install_monitor(self, monitor):
        """Install a Monitor on every executor (not with bucketing)."""
        if self.sym_gen is not None:
            raise NotImplementedError("Monitoring is not implemented for bucketing")
        for exe in self.execgrp.train_execs:
            monitor.install(exe)

    def set_params(self, arg_params, aux_params):
        """Copy parameter values into every executor."""
        for texec in self.execgrp.train_execs:
            texec.copy_params_from(arg_params, aux_params)

    def copy_to(self, arg_params, aux_params):
        """Average the devices' parameters into ``arg_params``/``aux_params``."""
        for name, block in zip(self.param_names, self.param_arrays):
            _group._average_into(block, arg_params[name])
        for name, block in zip(self.aux_names, self.aux_arrays):
            _group._average_into(block, aux_params[name])

    @property
    def param_arrays(self):
        return self.execgrp.param_arrays

    @property
    def grad_arrays(self):
        return self.execgrp.grad_arrays

    @property
    def aux_arrays(self):
        return self.execgrp.aux_arrays

    def load_data_batch(self, data_batch):
        """Load a batch, switching to (or binding) its bucket's executors."""
        if self.sym_gen is not None:
            key = data_batch.bucket_key
            if key not in self.execgrp_bucket:
                symbol = self.sym_gen(key)
                self.execgrp_bucket[key] = DataParallelExecutorGroup(
                    symbol, self.arg_names, self.param_names, self.ctx, self.slices,
                    data_batch, shared_group=self.execgrp)
            self.curr_execgrp = self.execgrp_bucket[key]
        else:
            self.curr_execgrp = self.execgrp
        self.curr_execgrp.load_data_batch(data_batch)

    def forward(self, is_train=False):
        self.curr_execgrp.forward(is_train=is_train)

    def backward(self):
        self.curr_execgrp.backward()

    def update_metric(self, metric, labels, pre_sliced=False):
        self.curr_execgrp.update_metric(metric, labels, pre_sliced)


