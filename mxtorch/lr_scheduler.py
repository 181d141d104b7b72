"""``mx.lr_scheduler``: learning-rate schedules as a function of the update count.

A scheduler is called with ``num_update`` (the optimizer's update counter) and returns the
learning rate to use. All schedules support a warm-up phase (``warmup_steps`` updates going
from ``warmup_begin_lr`` to ``base_lr``, linearly or held constant). Values follow MXNet 1.9.1
exactly, including the stateful ``base_lr`` of the factor schedules.
"""
import logging
from math import cos, pi

_WARMUP_MODES = ("linear", "constant")


class LRScheduler(object):
    """Base class of learning-rate schedules.

    Parameters
    ----------
    base_lr : float, default 0.01
        The learning rate reached at the end of the warm-up.
    warmup_steps : int, default 0
        Number of warm-up updates.
    warmup_begin_lr : float, default 0
        The learning rate at update 0 of the warm-up.
    warmup_mode : {'linear', 'constant'}, default 'linear'
        'linear' grows from ``warmup_begin_lr`` to ``base_lr``; 'constant' holds
        ``warmup_begin_lr`` during the warm-up.
    """

    def __init__(self, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode='linear'):
        self.base_lr = base_lr
        if not isinstance(warmup_steps, int):
            raise AssertionError(f"{type(self).__name__}: warmup_steps must be an int, got "
                                 f"{warmup_steps!r}")
        self.warmup_steps = warmup_steps
        self.warmup_final_lr = base_lr
        self.warmup_begin_lr = warmup_begin_lr
        if self.warmup_begin_lr > self.warmup_final_lr:
            raise ValueError(f"Base lr has to be higher than warmup_begin_lr (base_lr="
                             f"{base_lr}, warmup_begin_lr={warmup_begin_lr})")
        if self.warmup_steps < 0:
            raise ValueError(f"Warmup steps has to be positive or 0, got {warmup_steps}")
        if warmup_mode not in _WARMUP_MODES:
            raise ValueError(f"Supports only linear and constant modes of warmup, got "
                             f"warmup_mode={warmup_mode!r}")
        self.warmup_mode = warmup_mode

    def get_warmup_lr(self, num_update):
        """The learning rate at update ``num_update`` (< warmup_steps) of the warm-up."""
        if not num_update < self.warmup_steps:
            raise AssertionError(f"get_warmup_lr: num_update {num_update} is past the "
                                 f"warm-up ({self.warmup_steps} steps)")
        if self.warmup_mode == 'linear':
            increase = (self.warmup_final_lr - self.warmup_begin_lr) \
                * float(num_update) / float(self.warmup_steps)
            return self.warmup_begin_lr + increase
        if self.warmup_mode == 'constant':
            return self.warmup_begin_lr
        raise ValueError(f"Invalid warmup mode {self.warmup_mode}")

    def __call__(self, num_update):
        """Return the learning rate for update ``num_update``."""
        raise NotImplementedError("must override this")


class FactorScheduler(LRScheduler):
    """Multiply the learning rate by ``factor`` every ``step`` updates, never going below
    ``stop_factor_lr``.

    Parameters
    ----------
    step : int
        Updates between two reductions (>= 1).
    factor : float, default 1
        The multiplier (<= 1).
    stop_factor_lr : float, default 1e-8
        The learning rate stops decreasing at this value.
    base_lr, warmup_steps, warmup_begin_lr, warmup_mode
        As in :class:`LRScheduler`.
    """

    def __init__(self, step, factor=1, stop_factor_lr=1e-8, base_lr=0.01,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode='linear'):
        super(FactorScheduler, self).__init__(base_lr, warmup_steps, warmup_begin_lr,
                                              warmup_mode)
        if step < 1:
            raise ValueError(f"Schedule step must be greater or equal than 1 round, got {step}")
        if factor > 1.0:
            raise ValueError(f"Factor must be no more than 1 to make lr reduce, got {factor}")
        self.step = step
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while num_update > self.count + self.step:
            self.count += self.step
            self.base_lr *= self.factor
            if self.base_lr < self.stop_factor_lr:
                self.base_lr = self.stop_factor_lr
                logging.info("Update[%d]: now learning rate arrived at %0.5e, will not "
                             "change in the future", num_update, self.base_lr)
            else:
                logging.info("Update[%d]: Change learning rate to %0.5e",
                             num_update, self.base_lr)
        return self.base_lr


class MultiFactorScheduler(LRScheduler):
    """Multiply the learning rate by ``factor`` after each update count listed in ``step``.

    Parameters
    ----------
    step : list of int
        Increasing update counts (each >= 1).
    factor : float, default 1
        The multiplier (<= 1).
    base_lr, warmup_steps, warmup_begin_lr, warmup_mode
        As in :class:`LRScheduler`.
    """

    def __init__(self, step, factor=1, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode='linear'):
        super(MultiFactorScheduler, self).__init__(base_lr, warmup_steps,
                                                   warmup_begin_lr, warmup_mode)
        if not (isinstance(step, list) and len(step) >= 1):
            raise AssertionError(f"MultiFactorScheduler: step must be a non-empty list of "
                                 f"ints, got {step!r}")
        for i, cur in enumerate(step):
            if i != 0 and step[i] <= step[i - 1]:
                raise ValueError(f"Schedule step must be an increasing integer list, got {step}")
            if cur < 1:
                raise ValueError(f"Schedule step must be greater or equal than 1 round, "
                                 f"got {step}")
        if factor > 1.0:
            raise ValueError(f"Factor must be no more than 1 to make lr reduce, got {factor}")
        self.step = step
        self.cur_step_ind = 0
        self.factor = factor
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while self.cur_step_ind <= len(self.step) - 1:
            if num_update <= self.step[self.cur_step_ind]:
                return self.base_lr
            self.count = self.step[self.cur_step_ind]
            self.cur_step_ind += 1
            self.base_lr *= self.factor
            logging.info("Update[%d]: Change learning rate to %0.5e", num_update, self.base_lr)
        return self.base_lr


class _DecayToFinal(LRScheduler):
    """Shared checks of the schedules decaying to ``final_lr`` at ``max_update``."""

    def __init__(self, max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr,
                 warmup_mode):
        super(_DecayToFinal, self).__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if not isinstance(max_update, int):
            raise AssertionError(f"{type(self).__name__}: max_update must be an int, got "
                                 f"{max_update!r}")
        if max_update < 1:
            raise ValueError(f"maximum number of updates must be strictly positive, got "
                             f"{max_update}")
        self.base_lr_orig = self.base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = self.max_update - self.warmup_steps

    def _decay(self, progress):
        raise NotImplementedError

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * \
                self._decay(num_update - self.warmup_steps)
        return self.base_lr


class PolyScheduler(_DecayToFinal):
    """Polynomial decay: ``final_lr + (base_lr - final_lr) * (1 - t / T) ** pwr`` with ``t``
    the updates after the warm-up and ``T = max_update - warmup_steps``.

    Parameters
    ----------
    max_update : int
        The update count at which ``final_lr`` is reached.
    base_lr : float, default 0.01
    pwr : float, default 2
        The power of the decay.
    final_lr : float, default 0
    warmup_steps, warmup_begin_lr, warmup_mode
        As in :class:`LRScheduler`.
    """

    def __init__(self, max_update, base_lr=0.01, pwr=2, final_lr=0,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode='linear'):
        super(PolyScheduler, self).__init__(max_update, base_lr, final_lr, warmup_steps,
                                            warmup_begin_lr, warmup_mode)
        self.power = pwr

    def _decay(self, progress):
        return pow(1 - float(progress) / float(self.max_steps), self.power)


class CosineScheduler(_DecayToFinal):
    """Cosine decay: ``final_lr + (base_lr - final_lr) * (1 + cos(pi * t / T)) / 2`` with
    ``t`` the updates after the warm-up and ``T = max_update - warmup_steps``.

    Parameters
    ----------
    max_update : int
        The update count at which ``final_lr`` is reached.
    base_lr : float, default 0.01
    final_lr : float, default 0
    warmup_steps, warmup_begin_lr, warmup_mode
        As in :class:`LRScheduler`.
    """

    def __init__(self, max_update, base_lr=0.01, final_lr=0,
                 warmup_steps=0, warmup_begin_lr=0, warmup_mode='linear'):
        super(CosineScheduler, self).__init__(max_update, base_lr, final_lr, warmup_steps,
                                              warmup_begin_lr, warmup_mode)

    def _decay(self, progress):
        return (1 + cos(pi * progress / self.max_steps)) / 2
