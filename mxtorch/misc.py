"""``mx.misc``: MXNet's legacy learning-rate schedulers (``mx.lr_scheduler`` is the current
API): ``LearningRateScheduler`` and ``FactorScheduler``."""
import logging
import math

__all__ = ["FactorScheduler", "LearningRateScheduler", "logging", "math"]


class LearningRateScheduler(object):
    """Base class of the legacy learning-rate schedulers: ``scheduler(iteration)`` gives the
    learning rate; ``base_lr`` is set by the user (default 0.01)."""

    def __init__(self):
        self.base_lr = 0.01

    def __call__(self, iteration):
        """The learning rate at `iteration` (int)."""
        raise NotImplementedError("must override this")


class FactorScheduler(LearningRateScheduler):
    """``base_lr * factor ** (iteration // step)``.

    Parameters
    ----------
    step : int
        The number of iterations between two reductions (at least 1).
    factor : float, default 0.1
        The factor of each reduction (below 1).
    """

    def __init__(self, step, factor=0.1):
        super(FactorScheduler, self).__init__()
        if step < 1:
            raise ValueError("Schedule step must be greater or equal than 1 round, got %r"
                             % (step,))
        if factor >= 1.0:
            raise ValueError("Factor must be less than 1 to make lr reduce, got %r" % (factor,))
        self.step = step
        self.factor = factor
        self.old_lr = self.base_lr
        self.init = False

    def __call__(self, iteration):
        """The learning rate at `iteration`; logs each change."""
        if not self.init:
            self.init = True
            self.old_lr = self.base_lr
        lr = self.base_lr * math.pow(self.factor, int(iteration / self.step))
        if lr != self.old_lr:
            self.old_lr = lr
            logging.info("At Iteration [%d]: Swith to new learning rate %.5f", iteration, lr)
        return lr
