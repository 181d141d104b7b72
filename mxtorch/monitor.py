"""``mx.monitor``: statistics of every operator output (and argument) of bound executors,
collected every ``interval`` batches."""
import logging
import re
from math import sqrt

from . import ndarray
from .base import py_str
from .ndarray import NDArray

__all__ = ["Monitor", "NDArray", "logging", "ndarray", "py_str", "re", "sqrt"]


def _norm_stat(x):
    """|x|_2 / sqrt(size(x))."""
    return ndarray.norm(x) / sqrt(x.size)


class Monitor:
    """Collect ``stat_func`` of the outputs whose names match ``pattern``.

    Parameters
    ----------
    interval : int
        Collect on every ``interval``-th batch (between ``tic`` and ``toc``).
    stat_func : callable(NDArray) -> NDArray or list of NDArray, optional
        Defaults to ``norm(x) / sqrt(x.size)``.
    pattern : str, default '.*'
        Regular expression matched against output, argument and auxiliary-state names.
    sort : bool
        Sort the results by name.
    monitor_all : bool
        Also monitor operator inputs.
    """

    def __init__(self, interval, stat_func=None, pattern=".*", sort=False, monitor_all=False):
        self.stat_func = stat_func if stat_func is not None else _norm_stat
        self.interval = interval
        self.activated = False
        self.queue = []
        self.step = 0
        self.exes = []
        self.re_prog = re.compile(pattern)
        self.sort = sort
        self.monitor_all = monitor_all

        def stat_helper(name, array):
            name = py_str(name)
            if self.activated and self.re_prog.match(name):
                self.queue.append((self.step, name, self.stat_func(array)))
        self.stat_helper = stat_helper

    def install(self, exe):
        """Attach to an Executor (its monitor callback)."""
        exe.set_monitor_callback(self.stat_helper, self.monitor_all)
        self.exes.append(exe)

    def tic(self):
        """Start a batch; collection is on for every ``interval``-th one."""
        if self.step % self.interval == 0:
            self._sync()
            self.queue = []
            self.activated = True
        self.step += 1

    def _sync(self):
        for exe in self.exes:
            for array in list(exe.arg_arrays) + list(exe.aux_arrays):
                array.wait_to_read()

    def toc(self):
        """End the batch: add the arguments and auxiliary states and return
        ``[(step, name, formatted stats)]`` (empty when this batch was not collected)."""
        if not self.activated:
            return []
        self._sync()
        for exe in self.exes:
            symbol = exe._symbol
            named = list(zip(symbol.list_arguments(), exe.arg_arrays)) + \
                list(zip(symbol.list_auxiliary_states(), exe.aux_arrays))
            for name, array in named:
                if self.re_prog.match(name):
                    self.queue.append((self.step, name, self.stat_func(array)))
        self.activated = False
        if self.sort:
            self.queue.sort(key=lambda x: x[1])
        result = [(n, k, _format(v)) for n, k, v in self.queue]
        self.queue = []
        return result

    def toc_print(self):
        """``toc()`` and log each line."""
        for n, k, v in self.toc():
            logging.info("Batch: {:7d} {:30s} {:s}".format(n, k, v))


def _format(stats):
    stats = [stats] if isinstance(stats, NDArray) else stats
    if not isinstance(stats, list):
        raise TypeError(f"Monitor: stat_func must return an NDArray or a list of NDArrays, "
                        f"got {type(stats).__name__}")
    text = ""
    for value in stats:
        if not isinstance(value, NDArray):
            raise TypeError(f"Monitor: stat_func returned a {type(value).__name__} in its "
                            "list; expected NDArrays")
        text += (str(value.asscalar()) if value.shape == (1,) else str(value.asnumpy())) + "\t"
    return text
