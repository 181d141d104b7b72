"""``mx.gluon.contrib.data.sampler``: IntervalSampler (MXNet 1.x contrib form)."""
from ...data import sampler
from ...data.sampler import IntervalSampler as _CoreIntervalSampler

__all__ = ['IntervalSampler']


class IntervalSampler(_CoreIntervalSampler):
    """Samples ``0, k, 2k, ...``, then (with `rollover`) ``1, 1 + k, ...`` and so on until
    every index in ``[0, length)`` is visited once.

    Parameters
    ----------
    length : int
        Length of the sequence.
    interval : int
        The step ``k``; at most `length`.
    rollover : bool, default True
        Whether to start again from each skipped index; False yields only the pass from 0.

    Examples
    --------
    >>> list(IntervalSampler(13, interval=3))
    [0, 3, 6, 9, 12, 1, 4, 7, 10, 2, 5, 8, 11]
    >>> list(IntervalSampler(13, interval=3, rollover=False))
    [0, 3, 6, 9, 12]
    """

    def __init__(self, length, interval, rollover=True):  # pylint: disable=super-init-not-called
        if not interval <= length:
            raise AssertionError("IntervalSampler: interval {} must be smaller than or equal to "
                                 "length {}".format(interval, length))
        if interval < 1:
            raise AssertionError("IntervalSampler: interval must be at least 1, got {}"
                                 .format(interval))
        self._length = length
        self._interval = interval
        self._rollover = rollover


assert issubclass(IntervalSampler, sampler.Sampler)
