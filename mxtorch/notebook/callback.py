"""``mx.notebook.callback``: training callbacks that log metrics into pandas DataFrames
(``PandasLogger``) and draw live bokeh charts in Jupyter (``LiveLearningCurve``,
``LiveTimeSeries``). Pass ``logger.callback_args()`` (or ``args_wrapper(...)``) to
``Module.fit``."""
import datetime
import time
from collections import defaultdict



class Pandas_Failed_To_Import:  # noqa: N801 - MXNet's name
    """Stands for ``pandas`` when it is not installed."""


try:
    import pandas as pd
except ImportError:
    pd = Pandas_Failed_To_Import

try:
    import bokeh.io
    import bokeh.plotting
except ImportError:
    from . import bokeh  # the placeholder class

__all__ = ["LiveBokehChart", "LiveLearningCurve", "LiveTimeSeries", "PandasLogger",
           "Pandas_Failed_To_Import", "args_wrapper", "datetime", "defaultdict", "pd", "time"]


def _need(module, what, package):
    if not hasattr(module, "__file__") and not hasattr(module, "__path__"):
        raise ImportError("%s needs %s, which is not installed (pip install %s)"
                          % (what, package, package))


def _add_new_columns(dataframe, metrics):
    for col in set(metrics) - set(dataframe.columns):
        dataframe[col] = None


def _extend(base, new):
    """Appends to `base` the items of the longer list `new` it does not have yet."""
    base.extend(new[len(base):])


def _metrics_of(param):
    if param.eval_metric is None:
        return {}
    metrics = dict(param.eval_metric.get_name_value())
    param.eval_metric.reset()
    return metrics


class PandasLogger(object):
    """Logs training statistics into three pandas DataFrames: ``train`` (every `frequent`
    batches), ``eval`` (after each evaluation) and ``epoch`` (timing).

    Parameters
    ----------
    batch_size : int
        The batch size of the data.
    frequent : int, default 50
        The number of training batches between two records.
    """

    def __init__(self, batch_size, frequent=50):
        _need(pd, "PandasLogger", "pandas")
        self.batch_size = batch_size
        self.frequent = frequent
        self._dataframes = {'train': pd.DataFrame(), 'eval': pd.DataFrame(),
                            'epoch': pd.DataFrame()}
        self.last_time = time.time()
        self.start_time = datetime.datetime.now()
        self.last_epoch_time = datetime.datetime.now()

    @property
    def train_df(self):
        """DataFrame of the training batches logged."""
        return self._dataframes['train']

    @property
    def eval_df(self):
        """DataFrame of the evaluations."""
        return self._dataframes['eval']

    @property
    def epoch_df(self):
        """DataFrame of the epoch times."""
        return self._dataframes['epoch']

    @property
    def all_dataframes(self):
        """dict name -> DataFrame."""
        return self._dataframes

    def elapsed(self):
        """Time since the logger was made (datetime.timedelta)."""
        return datetime.datetime.now() - self.start_time

    def append_metrics(self, metrics, df_name):
        """Appends the dict `metrics` as a row of DataFrame `df_name` (new keys become
        columns)."""
        dataframe = self._dataframes[df_name]
        _add_new_columns(dataframe, metrics)
        dataframe.loc[len(dataframe)] = metrics

    def train_cb(self, param):
        """Batch-end callback: records every `frequent` batches."""
        if param.nbatch % self.frequent == 0:
            self._process_batch(param, 'train')

    def eval_cb(self, param):
        """Eval-end callback."""
        self._process_batch(param, 'eval')

    def _process_batch(self, param, df_name):
        now = time.time()
        metrics = _metrics_of(param)
        try:
            speed = self.frequent / (now - self.last_time)
        except ZeroDivisionError:
            speed = float('inf')
        # NOTE: the two speed columns are named the other way round, as in MXNet.
        metrics['batches_per_sec'] = speed * self.batch_size
        metrics['records_per_sec'] = speed
        metrics['elapsed'] = self.elapsed()
        metrics['minibatch_count'] = param.nbatch
        metrics['epoch'] = param.epoch
        self.append_metrics(metrics, df_name)
        self.last_time = now

    def epoch_cb(self, *args):
        """Epoch-end callback: records the elapsed and the epoch time (the arguments
        ``Module.fit`` passes are ignored)."""
        now = datetime.datetime.now()
        self.append_metrics({'elapsed': self.elapsed(), 'epoch_time': now - self.last_epoch_time},
                            'epoch')
        self.last_epoch_time = now

    def callback_args(self):
        """The callbacks as keyword arguments of ``Module.fit``."""
        return {'batch_end_callback': self.train_cb, 'eval_end_callback': self.eval_cb,
                'epoch_end_callback': self.epoch_cb}


class LiveBokehChart(object):
    """Base class of the live bokeh charts (needs ``bokeh``, drawn in a Jupyter notebook);
    subclasses define ``setup_chart`` and ``update_chart_data``."""

    def __init__(self, pandas_logger, metric_name, display_freq=10, batch_size=None,
                 frequent=50):
        _need(bokeh, type(self).__name__, "bokeh")
        self.pandas_logger = pandas_logger if pandas_logger else \
            PandasLogger(batch_size=batch_size, frequent=frequent)
        self.display_freq = display_freq
        self.last_update = time.time()
        self.metric_name = metric_name
        bokeh.io.output_notebook()
        self.handle = self.setup_chart()

    def setup_chart(self):
        """Renders the chart; returns its notebook handle."""
        raise NotImplementedError("Incomplete base class: LiveBokehChart must be sub-classed")

    def update_chart_data(self):
        """Updates the chart's data."""
        raise NotImplementedError("Incomplete base class: LiveBokehChart must be sub-classed")

    def interval_elapsed(self):
        """Whether `display_freq` seconds passed since the last redraw."""
        return time.time() - self.last_update > self.display_freq

    def _push_render(self):
        bokeh.io.push_notebook(handle=self.handle)
        self.last_update = time.time()

    def _do_update(self):
        self.update_chart_data()
        self._push_render()

    def batch_cb(self, param):
        """Batch-end callback: redraws every `display_freq` seconds."""
        if self.interval_elapsed():
            self._do_update()

    def eval_cb(self, param):
        """Eval-end callback: redraws."""
        self._do_update()

    def callback_args(self):
        """The callbacks as keyword arguments of ``Module.fit``."""
        return {'batch_end_callback': self.batch_cb, 'eval_end_callback': self.eval_cb}


class LiveTimeSeries(LiveBokehChart):
    """A live line of values against elapsed time."""

    def __init__(self, **fig_params):
        _need(bokeh, "LiveTimeSeries", "bokeh")
        self.fig = bokeh.plotting.figure(x_axis_type='datetime', x_axis_label='Elapsed time',
                                         **fig_params)
        super(LiveTimeSeries, self).__init__(None, None)

    def setup_chart(self):
        self.start_time = datetime.datetime.now()
        self.x_axis_val, self.y_axis_val = [], []
        self.fig.line(self.x_axis_val, self.y_axis_val)
        return bokeh.plotting.show(self.fig, notebook_handle=True)

    def elapsed(self):
        """Time since the chart was made."""
        return datetime.datetime.now() - self.start_time

    def update_chart_data(self, value):
        self.x_axis_val.append(self.elapsed())
        self.y_axis_val.append(value)
        self._push_render()


class LiveLearningCurve(LiveBokehChart):
    """A live learning curve of metric `metric_name` on training and validation data.

    Parameters
    ----------
    metric_name : str
        The metric to draw.
    display_freq : float, default 10
        Seconds between redraws.
    frequent : int, default 50
        Training batches between two recorded points.
    """

    def __init__(self, metric_name, display_freq=10, frequent=50):
        self.frequent = frequent
        self.start_time = datetime.datetime.now()
        self._data = {'train': {'elapsed': []}, 'eval': {'elapsed': []}}
        super(LiveLearningCurve, self).__init__(None, metric_name, display_freq, frequent)

    def setup_chart(self):
        fig = self.fig = bokeh.plotting.figure(x_axis_type='datetime',
                                               x_axis_label='Training time')
        self.x_axis_val1, self.y_axis_val1 = [], []
        self.train1 = fig.line(self.x_axis_val1, self.y_axis_val1, line_dash='dotted',
                               alpha=0.3, legend_label="train")
        self.train2 = fig.scatter(self.x_axis_val1, self.y_axis_val1, size=1.5, line_alpha=0.3,
                                  fill_alpha=0.3, legend_label="train")
        self.train2.visible = False
        self.x_axis_val2, self.y_axis_val2 = [], []
        self.valid1 = fig.line(self.x_axis_val2, self.y_axis_val2, line_color='green',
                               line_width=2, legend_label="validation")
        self.valid2 = fig.scatter(self.x_axis_val2, self.y_axis_val2, line_color='green',
                                  line_width=2)
        fig.legend.location = "bottom_right"
        fig.yaxis.axis_label = self.metric_name
        return bokeh.plotting.show(fig, notebook_handle=True)

    def batch_cb(self, param):
        if param.nbatch % self.frequent == 0:
            self._process_batch(param, 'train')
        if self.interval_elapsed():
            self._do_update()

    def eval_cb(self, param):
        self._process_batch(param, 'eval')
        self._do_update()

    def _process_batch(self, param, df_name):
        metrics = _metrics_of(param)
        metrics['elapsed'] = datetime.datetime.now() - self.start_time
        for key, value in metrics.items():
            self._data[df_name].setdefault(key, []).append(value)

    def update_chart_data(self):
        train, valid = self._data['train'], self._data['eval']
        if train['elapsed']:
            _extend(self.x_axis_val1, train['elapsed'])
            _extend(self.y_axis_val1, train[self.metric_name])
        if valid['elapsed']:
            _extend(self.x_axis_val2, valid['elapsed'])
            _extend(self.y_axis_val2, valid[self.metric_name])
        if len(valid['elapsed']) > 10:
            self.train1.visible = False
            self.train2.visible = True


def args_wrapper(*args):
    """The ``Module.fit`` keyword arguments of several callback objects together (each
    argument a list of their callbacks)."""
    out = defaultdict(list)
    for callback in args:
        for key, value in callback.callback_args().items():
            out[key].append(value)
    return dict(out)
