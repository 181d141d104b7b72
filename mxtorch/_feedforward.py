"""``mx.model.FeedForward``: MXNet's pre-Module training API, kept for old scripts.

It trains and predicts through a ``Module`` bound to the data's shapes; numpy or NDArray
inputs are wrapped in an ``NDArrayIter`` of ``numpy_batch_size`` rows.
"""

import numpy as np

from . import io
from . import metric as _metric
from . import ndarray as nd
from .callback import LogValidationMetricsCallback
from .context import cpu
from .initializer import Uniform
from .model import load_checkpoint, save_checkpoint


def _is_data_arg(name):
    return name.endswith("data") or name.endswith("label")


class FeedForward:
    """A symbol with its parameters, trained with ``fit`` and used with ``predict``/``score``
    (deprecated in MXNet in favour of Module; kept working).

    Parameters
    ----------
    symbol : Symbol
    ctx : Context or list of Context
    num_epoch : int
    epoch_size : int
        Batches per epoch (default: one pass over the data).
    optimizer : str or Optimizer
    initializer : Initializer
    numpy_batch_size : int
        Batch size used for numpy/NDArray inputs.
    arg_params, aux_params : dict of str to NDArray
    allow_extra_params : bool
    begin_epoch : int
    kwargs :
        Optimizer arguments (learning_rate, momentum, wd...).
    """

    def __init__(self, symbol, ctx=None, num_epoch=None, epoch_size=None, optimizer="sgd",
                 initializer=Uniform(0.01), numpy_batch_size=128, arg_params=None,
                 aux_params=None, allow_extra_params=False, begin_epoch=0, **kwargs):
        if isinstance(symbol, str):
            raise TypeError("FeedForward: symbol must be a Symbol, not a name")
        self.symbol = symbol
        self.ctx = [cpu()] if ctx is None else (list(ctx) if isinstance(ctx, (list, tuple))
                                                 else [ctx])
        self.num_epoch = num_epoch
        self.epoch_size = epoch_size
        self.optimizer = optimizer
        self.initializer = initializer
        self.numpy_batch_size = numpy_batch_size
        self.arg_params = arg_params
        self.aux_params = aux_params
        self.allow_extra_params = allow_extra_params
        self.begin_epoch = begin_epoch
        self.kwargs = dict(kwargs)
        self.argument_checked = False
        self._pred_module = None

    def _check_arguments(self):
        if self.argument_checked:
            return
        names = self.symbol.list_arguments() + self.symbol.list_auxiliary_states()
        if len(set(names)) != len(names):
            raise ValueError(f"FeedForward: duplicated argument names in {names}")
        if self.allow_extra_params:
            args = set(self.symbol.list_arguments())
            aux = set(self.symbol.list_auxiliary_states())
            if self.arg_params:
                self.arg_params = {k: v for k, v in self.arg_params.items() if k in args}
            if self.aux_params:
                self.aux_params = {k: v for k, v in self.aux_params.items() if k in aux}
        self.argument_checked = True

    # ---- data ------------------------------------------------------------------------------------
    def _init_iter(self, X, y, is_train):
        if isinstance(X, (np.ndarray, nd.NDArray)):
            if y is None:
                if is_train:
                    raise ValueError("FeedForward: y must be given when X is an array")
                y = np.zeros(X.shape[0])
            if isinstance(y, nd.NDArray):
                y = y.asnumpy()
            y = np.asarray(y)
            if y.ndim != 1 or y.shape[0] != X.shape[0]:
                raise ValueError(f"FeedForward: labels of shape {y.shape} do not match data of "
                                 f"shape {tuple(X.shape)}: one label per row expected")
            batch_size = min(X.shape[0], self.numpy_batch_size)
            return io.NDArrayIter(X, y, batch_size, shuffle=is_train,
                                  last_batch_handle="roll_over" if is_train else "pad")
        if not isinstance(X, io.DataIter):
            raise TypeError("FeedForward: X must be a DataIter, NDArray or numpy array, got "
                            f"{type(X).__name__}")
        return X

    def _init_eval_iter(self, eval_data):
        if eval_data is None or isinstance(eval_data, io.DataIter):
            return eval_data
        if isinstance(eval_data, (list, tuple)) and len(eval_data) == 2:
            data, label = eval_data
            if isinstance(data, (np.ndarray, nd.NDArray)):
                return self._init_iter(data, label, is_train=True)
        raise TypeError("FeedForward: eval_data must be a DataIter or a (data, label) pair")

    def _init_params(self, inputs, overwrite=False):
        """Infer parameter shapes from the input shapes and initialise missing ones."""
        shapes = {d[0]: tuple(d[1]) for d in inputs}
        arg_shapes, _, aux_shapes = self.symbol.infer_shape(**shapes)
        arg_names = self.symbol.list_arguments()
        param_names = [n for n in arg_names if n not in shapes]
        aux_names = self.symbol.list_auxiliary_states()
        arg_params = {n: nd.zeros(s) for n, s in zip(arg_names, arg_shapes) if n in param_names}
        aux_params = {n: nd.zeros(s) for n, s in zip(aux_names, aux_shapes)}
        for name, arr in arg_params.items():
            if self.arg_params and name in self.arg_params and not overwrite:
                arr[:] = self.arg_params[name]
            else:
                self.initializer(name, arr)
        for name, arr in aux_params.items():
            if self.aux_params and name in self.aux_params and not overwrite:
                arr[:] = self.aux_params[name]
            else:
                self.initializer(name, arr)
        self.arg_params, self.aux_params = arg_params, aux_params
        return arg_names, param_names, aux_names

    def _module_for(self, data_iter, for_training, bind=True):
        from .module import Module
        data_names = [d[0] for d in data_iter.provide_data]
        label_names = [d[0] for d in (data_iter.provide_label or [])
                       if d[0] in self.symbol.list_arguments()]
        mod = Module(self.symbol, data_names=data_names, label_names=label_names,
                     context=self.ctx)
        if bind:
            mod.bind(data_iter.provide_data,
                     data_iter.provide_label if label_names else None, for_training=for_training)
        return mod

    def _init_predictor(self, input_shapes, type_dict=None):
        """Bind a predict-only module for ``input_shapes`` (a list of (name, shape))."""
        from .module import Module
        mod = Module(self.symbol, data_names=[d[0] for d in input_shapes], label_names=None,
                     context=self.ctx[0])
        mod.bind(input_shapes, None, for_training=False)
        mod.set_params(self.arg_params, self.aux_params, allow_missing=True)
        self._pred_module = mod

    # ---- API -------------------------------------------------------------------------------------
    def fit(self, X, y=None, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", logger=None, work_load_list=None,
            monitor=None, eval_end_callback=LogValidationMetricsCallback(),
            eval_batch_end_callback=None):
        """Train on ``X`` (DataIter or array with labels ``y``) for ``num_epoch`` epochs."""
        data = self._init_iter(X, y, is_train=True)
        eval_data = self._init_eval_iter(eval_data)
        self._check_arguments()
        if self.num_epoch is None:
            raise ValueError("FeedForward.fit: num_epoch must be set")
        self._init_params(data.provide_data + (data.provide_label or []))
        mod = self._module_for(data, for_training=True, bind=False)  # Module.fit binds
        if logger is not None:
            mod.logger = logger
        optimizer_params = dict(self.kwargs)
        optimizer_params.setdefault("rescale_grad", 1.0 / data.batch_size)
        # MXNet's training loop resets the data once before the first epoch (a shuffling
        # iterator, as numpy input gets, draws its first training order there)
        data.reset()
        mod.fit(data, eval_data=eval_data, eval_metric=eval_metric,
                epoch_end_callback=epoch_end_callback, batch_end_callback=batch_end_callback,
                kvstore=kvstore, optimizer=self.optimizer,
                optimizer_params=optimizer_params if isinstance(self.optimizer, str) else (),
                eval_end_callback=eval_end_callback,
                eval_batch_end_callback=eval_batch_end_callback, arg_params=self.arg_params,
                aux_params=self.aux_params, allow_missing=True, begin_epoch=self.begin_epoch,
                num_epoch=self.num_epoch, monitor=monitor)
        self.arg_params, self.aux_params = (dict(p) for p in mod.get_params())
        self._pred_module = None

    def predict(self, X, num_batch=None, return_data=False, reset=True):
        """Outputs on ``X`` as numpy arrays (a list when the symbol has several outputs)."""
        data = self._init_iter(X, None, is_train=False)
        if reset:
            data.reset()
        self._check_arguments()
        if self._pred_module is None or self._pred_module.data_shapes != \
                [io.DataDesc(*d) if not isinstance(d, io.DataDesc) else d
                 for d in data.provide_data]:
            self._init_predictor(data.provide_data)
        outputs, datas, labels = None, [], []
        for nbatch, batch in enumerate(data):
            if num_batch is not None and nbatch == num_batch:
                break
            self._pred_module.forward(batch, is_train=False)
            real = batch.data[0].shape[0] - (batch.pad or 0)
            outs = [o[:real].asnumpy() for o in self._pred_module.get_outputs()]
            outputs = [[o] for o in outs] if outputs is None else \
                [acc + [o] for acc, o in zip(outputs, outs)]
            if return_data:
                datas.append([d[:real].asnumpy() for d in batch.data])
                labels.append([lab[:real].asnumpy() for lab in (batch.label or [])])
        merged = [np.concatenate(o) for o in (outputs or [])]
        result = merged[0] if len(merged) == 1 else merged
        if return_data:
            data_out = [np.concatenate(parts) for parts in zip(*datas)]
            label_out = [np.concatenate(parts) for parts in zip(*labels)]
            return (result, data_out[0] if len(data_out) == 1 else data_out,
                    label_out[0] if len(label_out) == 1 else label_out)
        return result

    def score(self, X, eval_metric="acc", num_batch=None, batch_end_callback=None,
              reset=True):
        """The value of ``eval_metric`` on ``X``."""
        data = self._init_iter(X, None, is_train=False)
        if reset:
            data.reset()
        self._check_arguments()
        mod = self._module_for(data, for_training=False)
        mod.set_params(self.arg_params, self.aux_params, allow_missing=True)
        if not isinstance(eval_metric, _metric.EvalMetric):
            eval_metric = _metric.create(eval_metric)
        result = mod.score(data, eval_metric, num_batch=num_batch,
                           batch_end_callback=batch_end_callback, reset=False)
        return result[0][1]

    def save(self, prefix, epoch=None, remove_amp_cast=True):
        """Save ``prefix-symbol.json`` and ``prefix-%04d.params`` (epoch: num_epoch)."""
        epoch = self.num_epoch if epoch is None else epoch
        if epoch is None:
            raise ValueError("FeedForward.save: give epoch (num_epoch is not set)")
        save_checkpoint(prefix, epoch, self.symbol, self.arg_params, self.aux_params,
                        remove_amp_cast=remove_amp_cast)

    @staticmethod
    def load(prefix, epoch, ctx=None, **kwargs):
        """A FeedForward from a checkpoint (training resumes at ``epoch``)."""
        symbol, arg_params, aux_params = load_checkpoint(prefix, epoch)
        return FeedForward(symbol, ctx=ctx, arg_params=arg_params, aux_params=aux_params,
                           begin_epoch=epoch, **kwargs)

    @staticmethod
    def create(symbol, X, y=None, ctx=None, num_epoch=None, epoch_size=None, optimizer="sgd",
               initializer=Uniform(0.01), eval_data=None, eval_metric="acc",
               epoch_end_callback=None, batch_end_callback=None, kvstore="local", logger=None,
               work_load_list=None, eval_end_callback=LogValidationMetricsCallback(),
               eval_batch_end_callback=None, **kwargs):
        """Build a FeedForward and fit it on ``X``."""
        model = FeedForward(symbol, ctx=ctx, num_epoch=num_epoch, epoch_size=epoch_size,
                            optimizer=optimizer, initializer=initializer, **kwargs)
        model.fit(X, y, eval_data=eval_data, eval_metric=eval_metric,
                  epoch_end_callback=epoch_end_callback, batch_end_callback=batch_end_callback,
                  kvstore=kvstore, logger=logger, work_load_list=work_load_list,
                  eval_end_callback=eval_end_callback,
                  eval_batch_end_callback=eval_batch_end_callback)
        return model


