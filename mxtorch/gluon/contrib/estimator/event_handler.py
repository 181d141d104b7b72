"""Event handlers: the pieces of an Estimator's training loop (``estimator.event_handler``).

A handler takes part in an event by deriving from the matching base class
(:py:class:`TrainBegin`, :py:class:`EpochBegin`, :py:class:`BatchBegin`,
:py:class:`BatchEnd`, :py:class:`EpochEnd`, :py:class:`TrainEnd`). Handlers run in
ascending ``priority`` (default 0); a ``batch_end``/``epoch_end`` that returns True stops
training.
"""
import os
import re
import time
import warnings

import numpy as np

from ....metric import CompositeEvalMetric, EvalMetric
from ....metric import Loss as metric_loss
from .utils import _check_metrics

__all__ = ['TrainBegin', 'TrainEnd', 'EpochBegin', 'EpochEnd', 'BatchBegin', 'BatchEnd',
           'StoppingHandler', 'MetricHandler', 'ValidationHandler',
           'LoggingHandler', 'CheckpointHandler', 'EarlyStoppingHandler', 'GradientUpdateHandler']


class EventHandler:
    """Root of all event handlers."""


def _check_event_handlers(handlers):
    """Return ``handlers`` (None, one EventHandler or a list) as a new list."""
    if isinstance(handlers, EventHandler):
        return [handlers]
    handlers = list(handlers) if handlers else []
    wrong = [h for h in handlers if not isinstance(h, EventHandler)]
    if wrong:
        raise ValueError("estimator: event_handlers must be an EventHandler or a list of "
                         "EventHandler, got %r" % (wrong,))
    return handlers


class TrainBegin(EventHandler):
    """Handler called once before training starts."""

    def train_begin(self, estimator, *args, **kwargs):
        pass


class TrainEnd(EventHandler):
    """Handler called once after training ends."""

    def train_end(self, estimator, *args, **kwargs):
        pass


class EpochBegin(EventHandler):
    """Handler called at the start of every epoch."""

    def epoch_begin(self, estimator, *args, **kwargs):
        pass


class EpochEnd(EventHandler):
    """Handler called at the end of every epoch; returning True stops training."""

    def epoch_end(self, estimator, *args, **kwargs):
        return False


class BatchBegin(EventHandler):
    """Handler called before every batch (keyword ``batch``)."""

    def batch_begin(self, estimator, *args, **kwargs):
        pass


class BatchEnd(EventHandler):
    """Handler called after every batch (keywords ``batch, pred, label, loss``);
    returning True stops training."""

    def batch_end(self, estimator, *args, **kwargs):
        return False


class StoppingHandler(TrainBegin, BatchEnd, EpochEnd):
    """Stop training after a number of epochs or batches.

    Parameters
    ----------
    max_epoch : int, default None
        Epochs to train (read from ``estimator.max_epoch`` at train begin).
    max_batch : int, default None
        Batches to train (read from ``estimator.max_batch`` at train begin).
    """

    def __init__(self, max_epoch=None, max_batch=None):
        self.max_epoch = max_epoch
        self.max_batch = max_batch
        self.current_batch = 0
        self.current_epoch = 0
        self.stop_training = False

    def train_begin(self, estimator, *args, **kwargs):
        self.max_epoch = estimator.max_epoch
        self.max_batch = estimator.max_batch
        self.current_batch = 0
        self.current_epoch = 0

    def batch_end(self, estimator, *args, **kwargs):
        self.current_batch += 1
        self.stop_training = self.stop_training or self.current_batch == self.max_batch
        return self.stop_training

    def epoch_end(self, estimator, *args, **kwargs):
        self.current_epoch += 1
        self.stop_training = self.stop_training or self.current_epoch == self.max_epoch
        return self.stop_training


class MetricHandler(EpochBegin, BatchEnd):
    """Reset metrics at epoch begin and update them at batch end.

    ``metric.Loss`` metrics are updated with the loss values, the others with
    (label, pred).

    Parameters
    ----------
    metrics : list of EvalMetric
        Metrics to update.
    priority : scalar, default -1000
        Handlers run in ascending priority; metrics are updated before the handlers
        that read them.
    """

    def __init__(self, metrics, priority=-1000):
        self.metrics = _check_metrics(metrics)
        self.priority = priority

    def epoch_begin(self, estimator, *args, **kwargs):
        for metric in self.metrics:
            metric.reset()

    def batch_end(self, estimator, *args, **kwargs):
        pred, label, loss = kwargs['pred'], kwargs['label'], kwargs['loss']
        for metric in self.metrics:
            if isinstance(metric, metric_loss):
                metric.update(0, loss)
            else:
                metric.update(label, pred)


class ValidationHandler(TrainBegin, BatchEnd, EpochEnd):
    """Run an evaluation function every few epochs and/or batches.

    Parameters
    ----------
    val_data : DataLoader
        Validation data.
    eval_fn : callable
        Called as ``eval_fn(val_data=..., batch_axis=..., event_handlers=...)``, usually
        ``estimator.evaluate``.
    epoch_period : int, default 1
        Validate every ``epoch_period`` epochs (None: never at epoch end).
    batch_period : int, default None
        Validate every ``batch_period`` batches (None: never at batch end).
    priority : scalar, default -1000
        Handlers run in ascending priority.
    event_handlers : EventHandler or list of EventHandler
        Handlers passed on to ``eval_fn``.
    """

    def __init__(self, val_data, eval_fn, epoch_period=1, batch_period=None,
                 priority=-1000, event_handlers=None):
        self.val_data = val_data
        self.eval_fn = eval_fn
        self.epoch_period = epoch_period
        self.batch_period = batch_period
        self.current_batch = 0
        self.current_epoch = 0
        self.priority = priority
        self.event_handlers = event_handlers

    def train_begin(self, estimator, *args, **kwargs):
        self.current_batch = 0
        self.current_epoch = 0

    def _validate(self, estimator):
        self.eval_fn(val_data=self.val_data, batch_axis=estimator.batch_axis,
                     event_handlers=self.event_handlers)

    def batch_end(self, estimator, *args, **kwargs):
        self.current_batch += 1
        if self.batch_period and self.current_batch % self.batch_period == 0:
            self._validate(estimator)

    def epoch_end(self, estimator, *args, **kwargs):
        self.current_epoch += 1
        if self.epoch_period and self.current_epoch % self.epoch_period == 0:
            self._validate(estimator)


def _metrics_text(metrics):
    return ''.join('%s: %.4f, ' % metric.get() for metric in metrics)


class LoggingHandler(TrainBegin, TrainEnd, EpochBegin, EpochEnd, BatchBegin, BatchEnd):
    """Log the optimizer, progress and metric values through ``estimator.logger``.

    Parameters
    ----------
    log_interval : int or 'epoch', default 'epoch'
        'epoch' logs at epoch begin/end; an integer k also logs every k-th batch.
    metrics : list of EvalMetric
        Metrics whose values are logged.
    priority : scalar, default numpy.inf
        Handlers run in ascending priority; logging comes last so that it sees
        updated values.
    """

    def __init__(self, log_interval='epoch', metrics=None, priority=np.inf):
        super().__init__()
        if log_interval != 'epoch' and not isinstance(log_interval, int):
            raise ValueError("LoggingHandler: log_interval must be an integer or 'epoch', "
                             "got %r" % (log_interval,))
        self.metrics = _check_metrics(metrics)
        self.batch_index = 0
        self.current_epoch = 0
        self.processed_samples = 0
        self.priority = priority
        self.log_interval = log_interval
        self.log_interval_time = 0

    def _per_batch(self):
        return isinstance(self.log_interval, int)

    def train_begin(self, estimator, *args, **kwargs):
        self.train_start = time.time()
        trainer = estimator.trainer
        estimator.logger.info("Training begin: using optimizer %s with current learning "
                              "rate %.4f ", type(trainer.optimizer).__name__,
                              trainer.learning_rate)
        if estimator.max_epoch:
            estimator.logger.info("Train for %d epochs.", estimator.max_epoch)
        else:
            estimator.logger.info("Train for %d batches.", estimator.max_batch)
        self.current_epoch = 0
        self.batch_index = 0
        self.processed_samples = 0
        self.log_interval_time = 0

    def train_end(self, estimator, *args, **kwargs):
        seconds = time.time() - self.train_start
        msg = 'Train finished using total %ds with %d epochs. ' % (seconds, self.current_epoch)
        estimator.logger.info((msg + _metrics_text(self.metrics)).rstrip(', '))

    def batch_begin(self, estimator, *args, **kwargs):
        if self._per_batch():
            self.batch_start = time.time()

    def batch_end(self, estimator, *args, **kwargs):
        if self._per_batch():
            self.log_interval_time += time.time() - self.batch_start
            self.processed_samples += kwargs['batch'][0].shape[0]
            if self.batch_index % self.log_interval == 0:
                msg = '[Epoch %d][Batch %d][Samples %s] time/interval: %.3fs ' % (
                    self.current_epoch, self.batch_index, self.processed_samples,
                    self.log_interval_time)
                self.log_interval_time = 0
                estimator.logger.info((msg + _metrics_text(self.metrics)).rstrip(', '))
        self.batch_index += 1

    def epoch_begin(self, estimator, *args, **kwargs):
        self.epoch_start = time.time()
        if any('training' in metric.name for metric in self.metrics):
            estimator.logger.info("[Epoch %d] Begin, current learning rate: %.4f",
                                  self.current_epoch, estimator.trainer.learning_rate)
        else:
            estimator.logger.info("Validation Begin")

    def epoch_end(self, estimator, *args, **kwargs):
        msg = '[Epoch %d] Finished in %.3fs, ' % (self.current_epoch,
                                                  time.time() - self.epoch_start)
        estimator.logger.info((msg + _metrics_text(self.metrics)).rstrip(', '))
        self.current_epoch += 1
        self.batch_index = 0


def _pick_monitor_op(owner, mode, monitor):
    """np.less or np.greater for ``mode`` ('auto' chooses from the metric's name)."""
    if mode not in ('auto', 'min', 'max'):
        warnings.warn('%s: mode %r is unknown, falling back to auto mode (max for '
                      'accuracy and f1 metrics, min otherwise)' % (owner, mode),
                      RuntimeWarning)
        mode = 'auto'
    if mode != 'auto':
        return np.less if mode == 'min' else np.greater
    name = monitor.get()[0]
    if 'acc' in name.lower() or 'f1' in name.lower():
        warnings.warn("`greater` operator will be used to determine if {} has improved. "
                      "Please specify `mode='min'` to use the `less` operator. "
                      "Specify `mode='max' to disable this warning.`".format(name))
        return np.greater
    warnings.warn("`less` operator will be used to determine if {} has improved. "
                  "Please specify `mode='max'` to use the `greater` operator. "
                  "Specify `mode='min' to disable this warning.`".format(name))
    return np.less


def _worst(monitor_op):
    return np.inf if monitor_op is np.less else -np.inf


class _IterationError(ValueError, AssertionError):
    """A resume/period combination CheckpointHandler cannot honour (was an assertion)."""


class CheckpointHandler(TrainBegin, BatchEnd, EpochEnd):
    """Save parameters and trainer states periodically, and optionally the best model.

    Files are ``{model_prefix}-epoch{E}batch{B}.params/.states`` (E, B counted from 0;
    B is the number of batches trained before the save), ``{model_prefix}-best.params/
    .states`` and, for a hybridized network, ``{model_prefix}-symbol.json`` after the
    first batch.

    Parameters
    ----------
    model_dir : str
        Directory for the files (created when missing).
    model_prefix : str, default 'model'
        Prefix of every file name.
    monitor : EvalMetric, default None
        Metric deciding which model is best.
    verbose : int, default 0
        1 logs every save.
    save_best : bool, default False
        Also save the model with the best ``monitor`` value (requires ``monitor``).
    mode : {'auto', 'min', 'max'}, default 'auto'
        Whether smaller or larger ``monitor`` values are better; 'auto' picks max for
        accuracy/f1 metrics and min otherwise.
    epoch_period : int, default 1
        Save every ``epoch_period`` epochs (None: not at epoch end).
    batch_period : int, default None
        Save every ``batch_period`` batches (None: not at batch end).
    max_checkpoints : int, default 5
        Periodic checkpoints kept in ``model_dir`` (older ones are deleted; the best
        model does not count).
    resume_from_checkpoint : bool, default False
        Load the latest checkpoint found in ``model_dir`` at train begin and train only
        the remaining epochs or batches.
    """

    def __init__(self, model_dir, model_prefix='model', monitor=None, verbose=0,
                 save_best=False, mode='auto', epoch_period=1, batch_period=None,
                 max_checkpoints=5, resume_from_checkpoint=False):
        if save_best and not isinstance(monitor, EvalMetric):
            raise ValueError("CheckpointHandler: save_best=True needs monitor to be one of "
                             "estimator.train_metrics or estimator.val_metrics, got %r"
                             % (monitor,))
        os.makedirs(model_dir, exist_ok=True)
        self.monitor = monitor
        self.verbose = verbose
        self.model_dir = model_dir
        self.model_prefix = model_prefix
        self.save_best = save_best
        self.epoch_period = epoch_period
        self.batch_period = batch_period
        self.current_batch = 0
        self.current_epoch = 0
        self.max_checkpoints = max_checkpoints
        self.resume_from_checkpoint = resume_from_checkpoint
        self.saved_checkpoints = []
        if save_best:
            self.monitor_op = _pick_monitor_op('CheckpointHandler', mode, monitor)
            self.best = _worst(self.monitor_op)

    def train_begin(self, estimator, *args, **kwargs):
        self.current_epoch = 0
        self.current_batch = 0
        if self.save_best:
            self.best = _worst(self.monitor_op)
        if self.resume_from_checkpoint:
            self._check_resume_periods(estimator)
            self._resume_from_checkpoint(estimator)

    def _check_resume_periods(self, estimator):
        by_batch = bool(estimator.max_batch)
        if (by_batch and (not self.batch_period or self.epoch_period)) or \
                (estimator.max_epoch and (not self.epoch_period or self.batch_period)):
            kinds = ('batches', 'batch_period', 'epoch_period') if by_batch else \
                ('epochs', 'epoch_period', 'batch_period')
            raise _IterationError(
                "CheckpointHandler: resume_from_checkpoint needs checkpoints saved with the "
                "same kind of period as training: training by %s needs %s set and %s=None "
                "(got epoch_period=%r, batch_period=%r)"
                % (kinds + (self.epoch_period, self.batch_period)))

    def batch_end(self, estimator, *args, **kwargs):
        if self.current_batch == 0:
            self._save_symbol(estimator)
        if self.batch_period and (self.current_batch + 1) % self.batch_period == 0:
            self._save_checkpoint(estimator)
        self.current_batch += 1

    def epoch_end(self, estimator, *args, **kwargs):
        if self.epoch_period and (self.current_epoch + 1) % self.epoch_period == 0:
            self._save_checkpoint(estimator)
        self.current_epoch += 1

    def _checkpoint_numbers(self, estimator):
        if not self.resume_from_checkpoint:
            return self.current_epoch, self.current_batch
        epoch = self.current_epoch + self.trained_epoch + 1
        batch = self.current_batch + self.trained_batch
        # at batch end the counter has not yet moved past the batch just trained
        return epoch, batch if estimator.max_epoch else batch + 1

    def _save_checkpoint(self, estimator):
        epoch, batch = self._checkpoint_numbers(estimator)
        prefix = "%s-epoch%dbatch%d" % (self.model_prefix, epoch, batch)
        self._save_params_and_trainer(estimator, prefix)
        if self.verbose > 0:
            estimator.logger.info('[Epoch %d] CheckpointHandler: trained total %d batches, '
                                  'saving model at %s with prefix: %s', self.current_epoch,
                                  self.current_batch + 1, self.model_dir, prefix)
        if self.save_best:
            self._save_if_best(estimator)

    def _save_if_best(self, estimator):
        name, value = self.monitor.get()
        if np.isnan(value):
            warnings.warn('CheckpointHandler: skipping save best because %s has no value; '
                          'pass one of estimator.train_metrics or estimator.val_metrics as '
                          'monitor' % name, RuntimeWarning)
        elif self.monitor_op(value, self.best):
            prefix = self.model_prefix + '-best'
            self._save_params_and_trainer(estimator, prefix)
            if self.verbose > 0:
                estimator.logger.info('[Epoch %d] CheckpointHandler: %s improved from %0.5f '
                                      'to %0.5f, updating best model at %s with prefix: %s',
                                      self.current_epoch, name, self.best, value,
                                      self.model_dir, prefix)
            self.best = value
        elif self.verbose > 0:
            estimator.logger.info('[Epoch %d] CheckpointHandler: %s did not improve from '
                                  '%0.5f, skipping updating best model',
                                  self.current_epoch, name, self.best)

    def _save_symbol(self, estimator):
        symbol_file = os.path.join(self.model_dir, self.model_prefix + '-symbol.json')
        graph = getattr(estimator.net, '_cached_graph', None)
        if graph:
            graph[1].save(symbol_file)
        else:
            estimator.logger.info(
                "Model architecture(symbol file) is not saved, please use HybridBlock "
                "to construct your model, and call net.hybridize() before passing to "
                "Estimator in order to save model architecture as %s.", symbol_file)

    def _save_params_and_trainer(self, estimator, file_prefix):
        path = os.path.join(self.model_dir, file_prefix)
        estimator.net.save_parameters(path + '.params')
        estimator.trainer.save_states(path + '.states')
        if file_prefix != self.model_prefix + '-best':
            self.saved_checkpoints.append(file_prefix)
        while len(self.saved_checkpoints) > self.max_checkpoints:
            self._remove_checkpoint(self.saved_checkpoints.pop(0))

    def _remove_checkpoint(self, file_prefix):
        for ext in ('.params', '.states'):
            path = os.path.join(self.model_dir, file_prefix + ext)
            if os.path.exists(path):
                os.remove(path)

    def _list_checkpoints(self):
        """Sorted (epoch, batch) of the checkpoints of this prefix in ``model_dir``."""
        head = self.model_prefix + '-epoch'
        pattern = re.compile(re.escape(head) + r'(\d+)batch(\d+)\.params$')
        found = []
        for fname in os.listdir(self.model_dir):
            if not (fname.startswith(head) and fname.endswith('.params')):
                continue
            match = pattern.match(fname)
            if match is None:
                raise ValueError(
                    "CheckpointHandler: cannot parse checkpoint file %r in %s; checkpoints "
                    "must be named {model_prefix}-epoch{epoch}batch{batch}.params, each "
                    "with a .states file" % (fname, self.model_dir))
            found.append((int(match.group(1)), int(match.group(2))))
        return sorted(found)

    def _resume_from_checkpoint(self, estimator):
        found = self._list_checkpoints()
        self.saved_checkpoints = ["%s-epoch%dbatch%d" % ((self.model_prefix,) + eb)
                                  for eb in found]
        self.trained_epoch, self.trained_batch = found[-1] if found else (-1, -1)
        if not found:
            estimator.logger.info("CheckpointHandler: No checkpoint found, training from "
                                  "scratch for %s", _remaining_text(estimator))
            return
        msg = "CheckpointHandler: Checkpoint resumed from epoch %d batch %d, continue to " \
              "train for " % (self.trained_epoch, self.trained_batch)
        if estimator.max_epoch:
            _check_not_finished('epoch', self.trained_epoch, estimator.max_epoch)
            estimator.max_epoch -= self.trained_epoch + 1
            msg += "%d epochs " % estimator.max_epoch
        if estimator.max_batch:
            _check_not_finished('batch', self.trained_batch, estimator.max_batch)
            estimator.max_batch -= self.trained_batch + 1
            msg += "%d batches " % estimator.max_batch
        self._load_checkpoint(estimator)
        estimator.logger.warning(msg)

    def _load_checkpoint(self, estimator):
        path = os.path.join(self.model_dir, "%s-epoch%dbatch%d" % (
            self.model_prefix, self.trained_epoch, self.trained_batch))
        for ext in ('.params', '.states'):
            if not os.path.exists(path + ext):
                raise _IterationError("CheckpointHandler: failed to load checkpoint, %s "
                                      "does not exist" % (path + ext))
        estimator.net.load_parameters(path + '.params', ctx=estimator.context)
        estimator.trainer.load_states(path + '.states')


def _remaining_text(estimator):
    if estimator.max_batch:
        return "%d batches" % estimator.max_batch
    return "%d epochs" % estimator.max_epoch


def _check_not_finished(kind, trained, maximum):
    if trained >= maximum - 1:
        raise ValueError("CheckpointHandler: found a checkpoint at %s %d, the last of the "
                         "%d %ses to train; pass resume_from_checkpoint=False (the default) "
                         "to train from scratch" % (kind, trained, maximum, kind))


class EarlyStoppingHandler(TrainBegin, EpochEnd, TrainEnd):
    """Stop training when a monitored metric stops improving.

    Parameters
    ----------
    monitor : EvalMetric
        The metric to watch (one of the estimator's metrics; not a CompositeEvalMetric).
    min_delta : float, default 0
        Smallest change that counts as an improvement.
    patience : int, default 0
        Epochs without improvement tolerated before stopping.
    mode : {'auto', 'min', 'max'}, default 'auto'
        Whether smaller or larger values are better; 'auto' picks max for accuracy/f1
        metrics and min otherwise.
    baseline : float, default None
        Starting value to improve on.
    """

    def __init__(self, monitor, min_delta=0, patience=0, mode='auto', baseline=None):
        super().__init__()
        if not isinstance(monitor, EvalMetric):
            raise ValueError("EarlyStoppingHandler: monitor must be one of "
                             "estimator.train_metrics or estimator.val_metrics, got %r"
                             % (monitor,))
        if isinstance(monitor, CompositeEvalMetric):
            raise ValueError("EarlyStoppingHandler: a CompositeEvalMetric cannot be "
                             "monitored; pass one of its metrics instead")
        self.monitor = monitor
        self.baseline = baseline
        self.patience = patience
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        self.monitor_op = _pick_monitor_op('EarlyStoppingHandler', mode, monitor)
        self.min_delta = min_delta if self.monitor_op is np.greater else -min_delta

    def train_begin(self, estimator, *args, **kwargs):
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        self.best = self.baseline if self.baseline is not None else _worst(self.monitor_op)

    def epoch_end(self, estimator, *args, **kwargs):
        name, value = self.monitor.get()
        if np.isnan(value):
            warnings.warn('EarlyStoppingHandler: %s has no value; pass one of '
                          'estimator.train_metrics or estimator.val_metrics as monitor'
                          % name, RuntimeWarning)
        elif self.monitor_op(value - self.min_delta, self.best):
            self.best = value
            self.wait = 0
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = self.current_epoch
                self.stop_training = True
        self.current_epoch += 1
        return self.stop_training

    def train_end(self, estimator, *args, **kwargs):
        if self.stopped_epoch > 0:
            estimator.logger.info('[Epoch %d] EarlyStoppingHandler: early stopping due to '
                                  '%s not improving', self.stopped_epoch,
                                  self.monitor.get()[0])


class GradientUpdateHandler(BatchEnd):
    """Apply the gradients with ``estimator.trainer.step`` at every batch end.

    The step's batch size is the total length of the per-device loss arrays.

    Parameters
    ----------
    priority : scalar, default -2000
        Handlers run in ascending priority; the update comes first.
    """

    def __init__(self, priority=-2000):
        self.priority = priority

    def batch_end(self, estimator, *args, **kwargs):
        loss = kwargs['loss']
        losses = loss if isinstance(loss, list) else [loss]
        estimator.trainer.step(sum(value.shape[0] for value in losses))
