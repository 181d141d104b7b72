"""``mx.callback``: epoch-end and batch-end callbacks for ``Module.fit`` (MXNet's log lines).

Batch-end callbacks receive a ``BatchEndParam`` (``epoch``, ``nbatch``, ``eval_metric``,
``locals``); epoch-end callbacks receive ``(epoch, symbol, arg_params, aux_params)``.
"""
import logging
import math
import time

from .model import save_checkpoint

__all__ = ["LogValidationMetricsCallback", "ProgressBar", "Speedometer", "do_checkpoint",
           "log_train_metric", "logging", "math", "module_checkpoint", "save_checkpoint",
           "time"]


def module_checkpoint(mod, prefix, period=1, save_optimizer_states=False):
    """Epoch-end callback saving ``mod``'s checkpoint every ``period`` epochs.

    Parameters
    ----------
    mod : Module
    prefix : str
        Checkpoint prefix (``prefix-symbol.json``, ``prefix-%04d.params``).
    period : int, default 1
    save_optimizer_states : bool
        Also write ``prefix-%04d.states``.
    """
    period = int(max(1, period))

    def _callback(iter_no, sym=None, arg=None, aux=None):
        if (iter_no + 1) % period == 0:
            mod.save_checkpoint(prefix, iter_no + 1, save_optimizer_states)
    return _callback


def do_checkpoint(prefix, period=1):
    """Epoch-end callback writing ``mx.model.save_checkpoint`` every ``period`` epochs.

    Parameters
    ----------
    prefix : str
    period : int, default 1
    """
    period = int(max(1, period))

    def _callback(iter_no, sym, arg, aux):
        if (iter_no + 1) % period == 0:
            save_checkpoint(prefix, iter_no + 1, sym, arg, aux)
    return _callback


def log_train_metric(period, auto_reset=False):
    """Batch-end callback logging the training metric every ``period`` batches.

    Parameters
    ----------
    period : int
    auto_reset : bool
        Reset the metric's local statistics after logging.
    """
    def _callback(param):
        if param.nbatch % period == 0 and param.eval_metric is not None:
            for name, value in param.eval_metric.get_name_value():
                logging.info("Iter[%d] Batch[%d] Train-%s=%f", param.epoch, param.nbatch,
                             name, value)
            if auto_reset:
                param.eval_metric.reset_local()
    return _callback


class Speedometer:
    """Batch-end callback logging throughput (and the metric) every ``frequent`` batches.

    Parameters
    ----------
    batch_size : int
    frequent : int, default 50
    auto_reset : bool, default True
        Reset the metric's local statistics after each log line, so each line covers the
        last ``frequent`` batches.
    """

    def __init__(self, batch_size, frequent=50, auto_reset=True):
        self.batch_size = batch_size
        self.frequent = frequent
        self.init = False
        self.tic = 0
        self.last_count = 0
        self.auto_reset = auto_reset

    def __call__(self, param):
        count = param.nbatch
        if self.last_count > count:
            self.init = False
        self.last_count = count
        if not self.init:
            self.init = True
            self.tic = time.time()
            return
        if count % self.frequent != 0:
            return
        elapsed = time.time() - self.tic
        speed = self.frequent * self.batch_size / elapsed if elapsed > 0 else float("inf")
        self._log(param, count, speed)
        self.tic = time.time()

    def _log(self, param, count, speed):
        if param.eval_metric is None:
            logging.info("Iter[%d] Batch [%d]\tSpeed: %.2f samples/sec", param.epoch, count,
                         speed)
            return
        name_value = param.eval_metric.get_name_value()
        start = count - self.frequent if self.auto_reset else 0
        if self.auto_reset:
            param.eval_metric.reset_local()
        msg = "Epoch[%d] Batch [%d-%d]\tSpeed: %.2f samples/sec" + "\t%s=%f" * len(name_value)
        logging.info(msg, param.epoch, start, count, speed, *sum(name_value, ()))


class ProgressBar:
    """Batch-end callback drawing a text progress bar (logged at INFO level).

    Parameters
    ----------
    total : int
        Number of batches in an epoch.
    length : int, default 80
        Width of the bar in characters.
    """

    def __init__(self, total, length=80):
        self.bar_len = length
        self.total = total

    def __call__(self, param):
        count = param.nbatch
        filled = int(round(self.bar_len * count / float(self.total)))
        percents = math.ceil(100.0 * count / float(self.total))
        bar = "=" * filled + "-" * (self.bar_len - filled)
        logging.info("[%s] %s%s\r", bar, percents, "%")


class LogValidationMetricsCallback:
    """Epoch-end (score) callback logging each validation metric."""

    def __call__(self, param):
        if not param.eval_metric:
            return
        for name, value in param.eval_metric.get_name_value():
            logging.info("Epoch[%d] Validation-%s=%f", param.epoch, name, value)
