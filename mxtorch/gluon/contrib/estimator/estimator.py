"""The Estimator: fit and evaluate a Gluon network with event handlers."""
import copy
import logging
import sys
import warnings

from .event_handler import MetricHandler, ValidationHandler, LoggingHandler, StoppingHandler
from .event_handler import GradientUpdateHandler
from .event_handler import TrainBegin, EpochBegin, BatchBegin, BatchEnd, EpochEnd, TrainEnd
from .event_handler import _check_event_handlers
from .utils import _check_metrics, _suggest_metric_for_loss, _check_handler_metric_ref
from ...data import DataLoader
from ...loss import Loss as gluon_loss
from ...trainer import Trainer
from ...utils import split_and_load
from ....context import Context, cpu, gpu, num_gpus
from ....metric import Loss as metric_loss
from .batch_processor import BatchProcessor

__all__ = ['Estimator']

_EVENTS = (('train_begin', TrainBegin), ('epoch_begin', EpochBegin),
           ('batch_begin', BatchBegin), ('batch_end', BatchEnd),
           ('epoch_end', EpochEnd), ('train_end', TrainEnd))


class _UnavailableDevice(ValueError, AssertionError):
    """A device that this machine does not have (MXNet asserted this)."""


class Estimator:
    """Train and evaluate a Gluon network with a loop driven by event handlers.

    Parameters
    ----------
    net : gluon.Block
        The network to train.
    loss : gluon.loss.Loss
        Training objective.
    train_metrics : EvalMetric or list of EvalMetric
        Metrics computed on the training data (renamed 'training <name>'). By default a
        metric.Loss of ``loss``, plus Accuracy for SoftmaxCrossEntropyLoss.
    val_metrics : EvalMetric or list of EvalMetric
        Metrics computed on the validation data (renamed 'validation <name>'). By
        default copies of the training metrics.
    initializer : Initializer
        Used to initialize ``net`` when some of its parameters are not initialized.
    trainer : gluon.Trainer
        Optimizer of ``net``'s parameters (default: SGD with learning rate 0.001).
    context : Context or list of Context
        Device(s) to run on (default: gpu(0) when there is a GPU, else cpu()).
    val_net : gluon.Block
        Network used for validation (default ``net``); it may share ``net``'s parameters.
    val_loss : gluon.loss.Loss
        Loss used for validation (default ``loss``).
    batch_processor : BatchProcessor
        Provides ``fit_batch`` and ``evaluate_batch`` (default :py:class:`BatchProcessor`).
    device : Context or list of Context
        2.x spelling of ``context``.
    """

    logger = None
    """The ``logging.Logger`` of this estimator and its handlers (INFO and above go to
    sys.stdout); add handlers to it to log elsewhere too."""

    def __init__(self, net, loss, train_metrics=None, val_metrics=None, initializer=None,
                 trainer=None, context=None, val_net=None, val_loss=None,
                 batch_processor=None, device=None):
        self.net = net
        self.loss = self._check_loss(loss)
        self._train_metrics = _check_metrics(train_metrics)
        self._val_metrics = _check_metrics(val_metrics)
        self._add_default_training_metrics()
        self._add_validation_metrics()
        self.val_loss = self.loss if val_loss is None else self._check_loss(val_loss)
        self.val_net = self.net if val_net is None else val_net
        self.logger = logging.Logger(name='Estimator', level=logging.INFO)
        self.logger.addHandler(logging.StreamHandler(sys.stdout))
        self.context = self._check_context(device if context is None else context)
        self._initialize(initializer)
        self.trainer = self._check_trainer(trainer)
        self.batch_processor = self._check_batch_processor(batch_processor)

    @property
    def device(self):
        """2.x spelling of ``context`` (the list of devices)."""
        return self.context

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _check_loss(loss):
        if not isinstance(loss, gluon_loss):
            raise ValueError("Estimator: loss must be a gluon.loss.Loss, got %r" % (loss,))
        return loss

    @staticmethod
    def _check_context(context):
        gpus = [gpu(i) for i in range(num_gpus())]
        if not context:
            if len(gpus) > 1:
                warnings.warn("You have multiple GPUs, gpu(0) will be used by default."
                              "To utilize all your GPUs, specify context as a list of gpus, "
                              "e.g. context=[mx.gpu(0), mx.gpu(1)] ")
            return [gpus[0] if gpus else cpu()]
        if isinstance(context, Context):
            context = [context]
        if not (isinstance(context, list) and all(isinstance(c, Context) for c in context)):
            raise ValueError("Estimator: context must be a Context or a list of Context, "
                             "e.g. mx.cpu() or [mx.gpu(0), mx.gpu(1)], got %r" % (context,))
        for ctx in context:
            if ctx.device_type != 'cpu' and ctx not in gpus:
                raise _UnavailableDevice(
                    "Estimator: %s is not available; use one of: mx.cpu()%s"
                    % (ctx, ''.join(', %s' % g for g in gpus)))
        return context

    @staticmethod
    def _check_batch_processor(batch_processor):
        if batch_processor is None:
            return BatchProcessor()
        for method in ('fit_batch', 'evaluate_batch'):
            if not callable(getattr(batch_processor, method, None)):
                raise ValueError("Estimator: a custom batch_processor must have fit_batch() "
                                 "and evaluate_batch() methods; %r has no %s()"
                                 % (batch_processor, method))
        return batch_processor

    def _check_trainer(self, trainer):
        if not trainer:
            warnings.warn("No trainer specified, default SGD optimizer "
                          "with learning rate 0.001 is used.")
            return Trainer(self.net.collect_params(), 'sgd', {'learning_rate': 0.001})
        if not isinstance(trainer, Trainer):
            raise ValueError("Estimator: trainer must be a gluon.Trainer, got %r" % (trainer,))
        return trainer

    def _initialize(self, initializer):
        if not self._is_initialized():
            if initializer:
                self.net.initialize(init=initializer, ctx=self.context)
            else:
                self.net.initialize(ctx=self.context)
        elif initializer:
            warnings.warn("Network already fully initialized, skipping initialization. "
                          "You don't need to pass initializer if you already "
                          "initialized your net. "
                          "You can use net.initialize(init=your_initializer, force_reinit=True)"
                          "to force re-initialize.")

    def _is_initialized(self):
        params = self.net.collect_params()
        try:
            for name in params:
                params[name].list_ctx()
        except RuntimeError:
            return False
        return True

    def _get_data_and_label(self, batch, ctx, batch_axis=0):
        data = split_and_load(batch[0], ctx_list=ctx, batch_axis=batch_axis)
        label = split_and_load(batch[1], ctx_list=ctx, batch_axis=batch_axis)
        return data, label

    # ------------------------------------------------------------------ metrics
    def _add_default_training_metrics(self):
        if not self._train_metrics:
            suggested = _suggest_metric_for_loss(self.loss)
            self._train_metrics = [suggested] if suggested else []
            self._train_metrics.append(metric_loss(self.loss.name.rstrip('0123456789')))
        for metric in self._train_metrics:
            metric.name = 'training ' + metric.name

    def _add_validation_metrics(self):
        if not self._val_metrics:
            self._val_metrics = [copy.deepcopy(metric) for metric in self._train_metrics]
        for metric in self._val_metrics:
            if 'training' in metric.name:
                metric.name = metric.name.replace('training', 'validation')
            else:
                metric.name = 'validation ' + metric.name

    @property
    def train_metrics(self):
        """The training metrics (list of EvalMetric)."""
        return self._train_metrics

    @property
    def val_metrics(self):
        """The validation metrics (list of EvalMetric)."""
        return self._val_metrics

    # ------------------------------------------------------------------ loops
    @staticmethod
    def _check_loader(data, what):
        if not isinstance(data, DataLoader):
            raise ValueError("Estimator: %s must be a gluon.data.DataLoader, got %s; wrap a "
                             "DataIter or NDArrays in a Gluon Dataset and DataLoader"
                             % (what, type(data).__name__))

    def evaluate(self, val_data, batch_axis=0, event_handlers=None):
        """Evaluate ``val_net`` on ``val_data`` and update the validation metrics.

        Parameters
        ----------
        val_data : DataLoader
            Validation data (data, label) batches.
        batch_axis : int, default 0
            Axis along which a batch is split over the devices.
        event_handlers : EventHandler or list of EventHandler
            Handlers for the evaluation; a MetricHandler and a LoggingHandler over
            ``val_metrics`` are added unless given.
        """
        self._check_loader(val_data, 'val_data')
        for metric in self.val_metrics:
            metric.reset()
        handlers = self._prepare_default_validation_handlers(event_handlers)
        _, epoch_begin, batch_begin, batch_end, epoch_end, _ = \
            self._categorize_handlers(handlers)
        for handler in epoch_begin:
            handler.epoch_begin(self)
        for batch in val_data:
            for handler in batch_begin:
                handler.batch_begin(self, batch=batch)
            _, label, pred, loss = self.batch_processor.evaluate_batch(self, batch, batch_axis)
            for handler in batch_end:
                handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
        for handler in epoch_end:
            handler.epoch_end(self)

    def fit(self, train_data, val_data=None, epochs=None, event_handlers=None, batches=None,
            batch_axis=0):
        """Train ``net`` on ``train_data`` for ``epochs`` epochs or ``batches`` batches.

        Parameters
        ----------
        train_data : DataLoader
            Training data (data, label) batches.
        val_data : DataLoader, default None
            Validation data; a ValidationHandler evaluating on it every epoch is added
            unless one is given.
        epochs : int, default None
            Number of epochs (give exactly one of ``epochs`` and ``batches``).
        event_handlers : EventHandler or list of EventHandler
            Handlers for the training loop; StoppingHandler, GradientUpdateHandler,
            MetricHandler and LoggingHandler are added unless given.
        batches : int, default None
            Number of batches (give exactly one of ``epochs`` and ``batches``).
        batch_axis : int, default 0
            Axis along which a batch is split over the devices.
        """
        self._check_loader(train_data, 'train_data')
        if (not epochs) == (not batches):
            raise ValueError("Estimator.fit: give exactly one of epochs or batches "
                             "(got epochs=%r, batches=%r)" % (epochs, batches))
        self.max_epoch = epochs
        self.max_batch = batches
        self.batch_axis = batch_axis
        handlers = self._prepare_default_handlers(val_data, event_handlers)
        train_begin, epoch_begin, batch_begin, batch_end, epoch_end, train_end = \
            self._categorize_handlers(handlers)
        for handler in train_begin:
            handler.train_begin(self)
        while True:
            for handler in epoch_begin:
                handler.epoch_begin(self)
            trained = self._fit_epoch(train_data, batch_begin, batch_end, batch_axis)
            stop = [handler.epoch_end(self) for handler in epoch_end]
            if any(stop):
                break
            if not trained and not self.max_epoch:
                raise ValueError("Estimator.fit: train_data yielded no batch, so training "
                                 "for %r batches can never end" % (self.max_batch,))
        for handler in train_end:
            handler.train_end(self)

    def _fit_epoch(self, train_data, batch_begin, batch_end, batch_axis):
        """Train one pass over ``train_data``; return the number of batches trained."""
        count = 0
        for batch in train_data:
            for handler in batch_begin:
                handler.batch_begin(self, batch=batch)
            _, label, pred, loss = self.batch_processor.fit_batch(self, batch, batch_axis)
            count += 1
            stop = [handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
                    for handler in batch_end]
            if any(stop):
                break
        return count

    # ------------------------------------------------------------------ handlers
    def _prepare_default_handlers(self, val_data, event_handlers):
        handlers = _check_event_handlers(event_handlers)

        def missing(kind):
            return not any(isinstance(handler, kind) for handler in handlers)

        added = [StoppingHandler(self.max_epoch, self.max_batch)]
        if missing(GradientUpdateHandler):
            added.append(GradientUpdateHandler())
        if missing(MetricHandler):
            added.append(MetricHandler(metrics=self.train_metrics))
        if missing(ValidationHandler) and val_data:
            added.append(ValidationHandler(val_data=val_data, eval_fn=self.evaluate))
        if missing(LoggingHandler):
            added.append(LoggingHandler(metrics=self.train_metrics))
        return self._merge_handlers(handlers, added, self.train_metrics + self.val_metrics)

    def _prepare_default_validation_handlers(self, event_handlers):
        handlers = _check_event_handlers(event_handlers)
        added = []
        if not any(isinstance(handler, MetricHandler) for handler in handlers):
            added.append(MetricHandler(metrics=self.val_metrics))
        if not any(isinstance(handler, LoggingHandler) for handler in handlers):
            added.append(LoggingHandler(metrics=self.val_metrics))
        return self._merge_handlers(handlers, added, self.val_metrics)

    @staticmethod
    def _merge_handlers(handlers, added, known_metrics):
        """User handlers + default ones, sorted by priority (stable). When both kinds
        are present, every handler must refer to the estimator's own metrics."""
        mixing = bool(handlers) and bool(added)
        handlers = handlers + added
        if mixing:
            known = set(known_metrics)
            for handler in handlers:
                _check_handler_metric_ref(handler, known)
        handlers.sort(key=lambda handler: getattr(handler, 'priority', 0))
        return handlers

    @staticmethod
    def _categorize_handlers(event_handlers):
        """Six lists: the handlers taking part in train_begin, epoch_begin, batch_begin,
        batch_end, epoch_end and train_end, in order."""
        return tuple([h for h in event_handlers if isinstance(h, kind)]
                     for _, kind in _EVENTS)
