"""``BaseModule``: the training/inference loops every module shares (fit, score, predict).

A concrete module (``Module``, ``BucketingModule``, ``SequentialModule``, ``PythonModule``)
provides bind/init_params/init_optimizer/forward/backward/update and the state properties;
this class turns them into ``fit``, ``score``, ``predict`` and ``iter_predict``.
"""
import logging
import sys
import time
import warnings

import numpy as np

from .. import metric, ndarray
from ..context import cpu  # noqa: F401 - part of MXNet's module namespace
from ..initializer import Uniform
from ..io import DataBatch, DataDesc, DataIter  # noqa: F401
from ..io.io import shared_rows
from ..model import BatchEndParam



class ModuleStateError(AssertionError):
    """A module method was called before the step it needs (bind, init_params, ...).

    An ``AssertionError`` as in MXNet, but with a message that says what to call first.
    """


class _NoInputGrads(ModuleStateError, ValueError):
    """get_input_grads on a module bound without inputs_need_grad (MXNet asserts; mxtorch
    raised ValueError before, so it is both)."""


def require(module, method, binded=True, params=False, optimizer=False):
    """Raise ModuleStateError unless ``module`` reached the states ``method`` needs."""
    name = f"{type(module).__name__}.{method}"
    if binded and not module.binded:
        raise ModuleStateError(f"{name}: the module is not bound; call bind(data_shapes, "
                               "label_shapes) (fit() does it for you) first")
    if params and not module.params_initialized:
        raise ModuleStateError(f"{name}: parameters are not initialized; call init_params() "
                               "or set_params() first")
    if optimizer and not module.optimizer_initialized:
        raise ModuleStateError(f"{name}: no optimizer; call init_optimizer() first")


def _check_input_names(symbol, names, typename, throw):
    """Names given as data/label/state names must be arguments of ``symbol``."""
    args = symbol.list_arguments()
    for name in names:
        if name in args:
            continue
        candidates = [arg for arg in args if not arg.endswith(("_weight", "_bias", "_gamma",
                                                                  "_beta"))]
        msg = (f"You created Module with Module(..., {typename}_names={list(names)}) but input "
               f"with name '{name}' is not found in symbol.list_arguments(). Did you mean one "
               "of:\n\t" + "\n\t".join(candidates))
        if throw:
            raise ValueError(msg)
        warnings.warn(msg)


def _check_names_match(data_names, data_shapes, name, throw):
    """The names in ``data_shapes`` must be exactly ``data_names`` (same order)."""
    actual = [x[0] for x in data_shapes]
    if sorted(data_names) != sorted(actual):
        msg = (f"Data provided by {name}_shapes don't match names specified by {name}_names "
               f"({[str(x) for x in data_shapes]} vs. {list(data_names)})")
        if throw:
            raise ValueError(msg)
        warnings.warn(msg)


def _parse_data_desc(data_names, label_names, data_shapes, label_shapes):
    """Normalise (name, shape) pairs into DataDesc lists and check their names."""
    data_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x) for x in data_shapes]
    _check_names_match(data_names, data_shapes, "data", True)
    if label_shapes is not None:
        label_shapes = [x if isinstance(x, DataDesc) else DataDesc(*x) for x in label_shapes]
        _check_names_match(label_names, label_shapes, "label", False)
    else:
        _check_names_match(label_names, [], "label", False)
    return data_shapes, label_shapes


def _as_list(obj):
    """``obj`` itself when it is a list or tuple, else ``[obj]``."""
    return obj if isinstance(obj, (list, tuple)) else [obj]


class _EpochProgress:
    """A one-line progress bar on a terminal (stderr); silent otherwise."""

    def __init__(self, epoch, total):
        self.active = sys.stderr.isatty()
        self.epoch, self.total, self.start = epoch, total, time.time()

    def show(self, nbatch):
        if not self.active:
            return
        total = self.total or 0
        done = f"{nbatch}/{total}" if total else str(nbatch)
        bar = ""
        if total:
            filled = int(20 * min(nbatch, total) / total)
            bar = "[" + "=" * filled + " " * (20 - filled) + "] "
        sys.stderr.write(f"\rEpoch[{self.epoch}] {bar}batch {done} "
                         f"{time.time() - self.start:6.1f}s")
        sys.stderr.flush()

    def close(self):
        if self.active:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _package_metric(eval_metric):
    """True for metrics of this package only (they read labels and outputs, never write)."""
    if type(eval_metric).__module__ != metric.__name__:
        return False
    return all(_package_metric(m) for m in getattr(eval_metric, "metrics", ()))


def _batches_per_epoch(data_iter):
    """How many batches an iterator yields per epoch, when it can tell cheaply."""
    num_data = getattr(data_iter, "num_data", None)
    batch_size = getattr(data_iter, "batch_size", 0)
    if not num_data or not batch_size:
        return None
    return int(np.ceil(num_data / batch_size))


class BaseModule:
    """The base class of a module: a computation unit that can be bound, initialised,
    run forward and backward, and updated; ``fit``/``score``/``predict`` build on these.

    Parameters
    ----------
    logger : Logger
        Where fit/score report (default: the ``logging`` module).
    """

    def __init__(self, logger=logging):
        self.logger = logger
        self.binded = False
        self.for_training = False
        self.inputs_need_grad = False
        self.params_initialized = False
        self.optimizer_initialized = False
        self._symbol = None
        self._total_exec_bytes = 0

    # ---- high-level API ------------------------------------------------------------------------
    def forward_backward(self, data_batch):
        """A forward pass in training mode followed by a backward pass."""
        self.forward(data_batch, is_train=True)
        self.backward()

    # a class whose loops may run on batches that share the iterator's rows (see
    # ``_private_batches``); subclasses must opt in themselves
    _PRIVATE_BATCHES = False

    def _private_batches(self, eval_metric=None, *hooks):
        """True when a loop's batches reach no code that could write into them: a module
        class that opted in (not a subclass), no callback, monitor or row-id function given
        (``hooks``), and only this package's metrics."""
        return type(self).__dict__.get("_PRIVATE_BATCHES", False) and \
            all(h is None for h in hooks) and \
            (eval_metric is None or _package_metric(eval_metric))

    def _own_inputs(self):
        """After a loop on shared rows: give the bound input arrays their own storage
        (modules that opt into ``_PRIVATE_BATCHES`` implement it)."""
        raise NotImplementedError()

    def score(self, eval_data, eval_metric, num_batch=None, batch_end_callback=None,
              score_end_callback=None, reset=True, epoch=0, sparse_row_id_fn=None):
        """Run prediction on ``eval_data`` and evaluate ``eval_metric``.

        Returns
        -------
        list of (name, value) pairs.
        """
        require(self, "score", params=True)
        if reset:
            eval_data.reset()
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        eval_metric.reset()
        actual_num_batch = 0
        private = self._private_batches(eval_metric, batch_end_callback, sparse_row_id_fn)
        with shared_rows(eval_data, private) as shared:
            for nbatch, eval_batch in enumerate(eval_data):
                if num_batch is not None and nbatch == num_batch:
                    break
                self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
                self.forward(eval_batch, is_train=False)
                if isinstance(eval_batch, list):
                    self.update_metric(eval_metric, [eb.label for eb in eval_batch],
                                       pre_sliced=True)
                else:
                    self.update_metric(eval_metric, eval_batch.label)
                if batch_end_callback is not None:
                    params = BatchEndParam(epoch=epoch, nbatch=nbatch, eval_metric=eval_metric,
                                           locals=locals())
                    for callback in _as_list(batch_end_callback):
                        callback(params)
                actual_num_batch += 1
        if shared:
            self._own_inputs()
        if score_end_callback:
            params = BatchEndParam(epoch=epoch, nbatch=actual_num_batch,
                                   eval_metric=eval_metric, locals=locals())
            for callback in _as_list(score_end_callback):
                callback(params)
        return eval_metric.get_name_value()

    def iter_predict(self, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
        """Yield ``(outputs, nbatch, batch)`` per batch; padded rows are cut off."""
        require(self, "iter_predict", params=True)
        if reset:
            eval_data.reset()
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            pad = eval_batch.pad or 0
            outputs = [out[0:out.shape[0] - pad] for out in self.get_outputs()]
            yield outputs, nbatch, eval_batch

    def _batch_outputs(self, pad, merged):
        """This batch's outputs without its padded rows, as arrays the next forward leaves
        alone (``merged``: only until the concatenation at the end of predict)."""
        outputs = self.get_outputs()
        if merged and self._private_batches():
            # the executor gives every forward new output storage: views are enough
            return [out[0:out.shape[0] - pad] if pad else out.detach() for out in outputs]
        return [out[0:out.shape[0] - pad].copy() if pad else out.copy() for out in outputs]

    def _fit_rows(self, train_data, eval_metric, progress):
        """A faster loop over one epoch for the cases a module knows (batches no user code
        sees); False: run the general loop."""
        return False

    def _predict_rows(self, eval_data, num_batch, sparse_row_id_fn):
        """A faster predict loop for the cases a module knows (merged outputs, views of the
        batches' outputs); None: run the general loop."""
        return None

    def _predict_batches(self, eval_data, num_batch, merge_batches, sparse_row_id_fn):
        """predict's general loop: each batch's outputs without its padded rows."""
        output_list = []
        with shared_rows(eval_data, self._private_batches(None, sparse_row_id_fn)) as shared:
            for nbatch, eval_batch in enumerate(eval_data):
                if num_batch is not None and nbatch == num_batch:
                    break
                self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
                self.forward(eval_batch, is_train=False)
                output_list.append(self._batch_outputs(eval_batch.pad or 0, merge_batches))
        if shared:
            self._own_inputs()
        return output_list

    def predict(self, eval_data, num_batch=None, merge_batches=True, reset=True,
                always_output_list=False, sparse_row_id_fn=None):
        """Run prediction and collect the outputs.

        ``eval_data`` may be a DataIter, or an NDArray/numpy array (wrapped in an NDArrayIter
        of the bound batch size). With ``merge_batches`` the batches are concatenated; a single
        output is returned alone unless ``always_output_list``.
        """
        require(self, "predict", params=True)
        if isinstance(eval_data, (ndarray.NDArray, np.ndarray)):
            if isinstance(eval_data, np.ndarray):
                eval_data = ndarray.array(eval_data)
            self.forward(DataBatch([eval_data]))
            return self.get_outputs()[0]
        if not isinstance(eval_data, DataIter):
            raise ValueError("eval_data must be of type NDArray or DataIter, got "
                             f"{type(eval_data).__name__}")
        if reset:
            eval_data.reset()
        output_list = self._predict_rows(eval_data, num_batch, sparse_row_id_fn) \
            if merge_batches else None
        if output_list is None:
            output_list = self._predict_batches(eval_data, num_batch, merge_batches,
                                                sparse_row_id_fn)
        if not output_list:
            return output_list
        if not merge_batches:
            return output_list
        num_outputs = len(output_list[0])
        for out in output_list:
            if len(out) != num_outputs:
                raise ValueError("Cannot merge batches, as num of outputs is not the same in "
                                 "mini-batches. Maybe bucketing is used?")
        merged = [ndarray.concatenate([out[i] for out in output_list])
                  for i in range(num_outputs)]
        if num_outputs == 1 and not always_output_list:
            return merged[0]
        return merged

    def fit(self, train_data, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", optimizer="sgd",
            optimizer_params=(("learning_rate", 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=Uniform(0.01), arg_params=None,
            aux_params=None, allow_missing=False, force_rebind=False, force_init=False,
            begin_epoch=0, num_epoch=None, validation_metric=None, monitor=None,
            sparse_row_id_fn=None):
        """Train the module: bind, initialise parameters and optimizer, then run epochs
        ``begin_epoch .. num_epoch-1`` over ``train_data``, logging the training metric, the
        time per epoch and (with ``eval_data``) the validation metric."""
        if num_epoch is None:
            raise ValueError("fit: please specify number of epochs (num_epoch=...)")
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        if monitor is not None:
            self.install_monitor(monitor)
        self.init_params(initializer=initializer, arg_params=arg_params,
                         aux_params=aux_params, allow_missing=allow_missing,
                         force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            self._fit_epoch(epoch, train_data, eval_metric, batch_end_callback, monitor,
                            sparse_row_id_fn)
            arg_params, aux_params = self._end_epoch_sync()
            if epoch_end_callback is not None:
                for callback in _as_list(epoch_end_callback):
                    callback(epoch, self.symbol, arg_params, aux_params)
            if eval_data:
                res = self.score(eval_data, validation_metric,
                                 score_end_callback=eval_end_callback,
                                 batch_end_callback=eval_batch_end_callback, epoch=epoch)
                for name, val in res:
                    self.logger.info("Epoch[%d] Validation-%s=%f", epoch, name, val)
            train_data.reset()

    def _fit_epoch(self, epoch, train_data, eval_metric, batch_end_callback, monitor,
                   sparse_row_id_fn):
        tic = time.time()
        eval_metric.reset()
        progress = _EpochProgress(epoch, _batches_per_epoch(train_data))
        private = self._private_batches(eval_metric, batch_end_callback, monitor,
                                        sparse_row_id_fn)
        with shared_rows(train_data, private) as shared:
            if private and self._fit_rows(train_data, eval_metric, progress):
                progress.close()
                for name, val in eval_metric.get_global_name_value():
                    self.logger.info("Epoch[%d] Train-%s=%f", epoch, name, val)
            else:
                self._fit_batches(epoch, train_data, eval_metric, batch_end_callback, monitor,
                                  sparse_row_id_fn, progress)
        if shared:
            self._own_inputs()
        self.logger.info("Epoch[%d] Time cost=%.3f", epoch, time.time() - tic)

    def _fit_batches(self, epoch, train_data, eval_metric, batch_end_callback, monitor,
                     sparse_row_id_fn, progress):
        data_iter = iter(train_data)
        next_batch = next(data_iter)
        nbatch, end_of_batch, eval_name_vals = 0, False, []
        while not end_of_batch:
            data_batch = next_batch
            if monitor is not None:
                monitor.tic()
            self.forward_backward(data_batch)
            self.update()
            if isinstance(data_batch, list):
                self.update_metric(eval_metric, [db.label for db in data_batch],
                                   pre_sliced=True)
            else:
                self.update_metric(eval_metric, data_batch.label)
            try:
                next_batch = next(data_iter)
                self.prepare(next_batch, sparse_row_id_fn=sparse_row_id_fn)
            except StopIteration:
                end_of_batch = True
            if monitor is not None:
                monitor.toc_print()
            if end_of_batch:
                eval_name_vals = eval_metric.get_global_name_value()
            if batch_end_callback is not None:
                params = BatchEndParam(epoch=epoch, nbatch=nbatch, eval_metric=eval_metric,
                                       locals=locals())
                for callback in _as_list(batch_end_callback):
                    callback(params)
            nbatch += 1
            progress.show(nbatch)
        progress.close()
        for name, val in eval_name_vals:
            self.logger.info("Epoch[%d] Train-%s=%f", epoch, name, val)

    def _end_epoch_sync(self):
        """fit's end of epoch: read the parameters and set them again (syncs devices)."""
        arg_params, aux_params = self.get_params()
        self.set_params(arg_params, aux_params)
        return arg_params, aux_params

    # ---- symbol and shapes (subclasses provide) ----------------------------------------------
    @property
    def data_names(self):
        raise NotImplementedError()

    @property
    def output_names(self):
        raise NotImplementedError()

    @property
    def data_shapes(self):
        raise NotImplementedError()

    @property
    def label_shapes(self):
        raise NotImplementedError()

    @property
    def output_shapes(self):
        raise NotImplementedError()

    @property
    def symbol(self):
        """The symbol this module computes."""
        return self._symbol

    # ---- parameters ----------------------------------------------------------------------------
    def get_params(self):
        raise NotImplementedError()

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        raise NotImplementedError()

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter and auxiliary state values (an ``init_params`` without an
        initializer)."""
        self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init,
                         allow_extra=allow_extra)

    def save_params(self, fname):
        """Save parameters as an MXNet ``.params`` file (``arg:``/``aux:`` keys)."""
        arg_params, aux_params = self.get_params()
        save_dict = {f"arg:{k}": v.as_in_context(cpu()) for k, v in arg_params.items()}
        save_dict.update({f"aux:{k}": v.as_in_context(cpu()) for k, v in aux_params.items()})
        ndarray.save(fname, save_dict)

    def load_params(self, fname):
        """Load parameters saved by ``save_params`` (or a checkpoint ``.params`` file)."""
        save_dict = ndarray.load(fname)
        arg_params, aux_params = {}, {}
        for key, value in save_dict.items():
            kind, _, name = key.partition(":")
            if kind == "arg":
                arg_params[name] = value
            elif kind == "aux":
                aux_params[name] = value
            else:
                raise ValueError(f"load_params: invalid key {key!r} in {fname}: keys must start "
                                 "with 'arg:' or 'aux:'")
        self.set_params(arg_params, aux_params)

    def get_states(self, merge_multi_context=True):
        """States of the module (for stateful RNN symbols); none by default."""
        require(self, "get_states", params=True)
        return []

    def set_states(self, states=None, value=None):
        """Set states; none by default."""
        require(self, "set_states", params=True)
        if states or value is not None:
            raise ValueError(f"{type(self).__name__} has no states to set")

    def install_monitor(self, mon):
        raise NotImplementedError()

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Prepare for the next batch (row_sparse pulls); nothing by default."""
        if sparse_row_id_fn is not None:
            warnings.warn(UserWarning("sparse_row_id_fn is not invoked for BaseModule."))

    # ---- computations --------------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        raise NotImplementedError()

    def backward(self, out_grads=None):
        raise NotImplementedError()

    def get_outputs(self, merge_multi_context=True):
        raise NotImplementedError()

    def get_input_grads(self, merge_multi_context=True):
        raise NotImplementedError()

    def update(self):
        raise NotImplementedError()

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        raise NotImplementedError()

    # ---- binding and optimizer -------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        raise NotImplementedError()

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        raise NotImplementedError()
