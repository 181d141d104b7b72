"""``mx.contrib.tensorboard``: LogMetricsCallback writes metrics as TensorBoard scalars."""
import logging  # noqa: F401 - part of MXNet's module namespace


class LogMetricsCallback:
    """A batch/epoch-end callback that logs ``eval_metric``'s values to TensorBoard.

    Parameters
    ----------
    logging_dir : str
        Event-file folder.
    prefix : str
        Prepended to each metric name.

    Needs ``tensorboardX`` (as MXNet did); the error says so when it is missing.
    """

    def __init__(self, logging_dir, prefix=None):
        self.prefix = prefix
        self.step = 0
        self.summary_writer = _writer(logging_dir)

    def __call__(self, param):
        if param.eval_metric is None:
            return
        for name, value in param.eval_metric.get_name_value():
            if self.prefix is not None:
                name = f"{self.prefix}-{name}"
            self.summary_writer.add_scalar(name, value, global_step=self.step)
        self.step += 1


def _writer(logging_dir):
    try:
        from tensorboardX import SummaryWriter
    except ImportError as err:
        raise ImportError("LogMetricsCallback needs a TensorBoard writer: pip install "
                          "tensorboardX") from err
    return SummaryWriter(logging_dir)
