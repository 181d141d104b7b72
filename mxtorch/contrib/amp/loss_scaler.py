"""``amp.loss_scaler``: dynamic loss scaling for float16 training."""
import logging

from ... import autograd as ag
from ... import ndarray as nd
from ...ndarray import multi_all_finite

__all__ = ["LossScaler", "ag", "logging", "multi_all_finite", "nd"]

_CHUNK = 200  # gradients checked per multi_all_finite call


class LossScaler(object):
    """Dynamic loss scaler (MXNet's numbers): the scale starts at 2**16, is halved after a step
    whose gradients overflow (that step is skipped), and doubled (up to 2**24) after 2000
    steps in a row without overflow."""

    def __init__(self):
        self._loss_scale = 2. ** 16
        self._next_loss_scale = self._loss_scale
        self._max_loss_scale = 2. ** 24
        self._scale_seq_len = 2000
        self._unskipped = 0

    @property
    def loss_scale(self):
        """The current loss scale."""
        return self._loss_scale

    def has_overflow(self, params):
        """Whether a gradient of `params` holds inf or NaN; updates the scale for the next
        step."""
        grads = [g for p in params if getattr(p, '_grad', None) is not None for g in p._grad[:1]]
        finite = True
        if grads:
            with ag.pause():
                flag = nd.ones((1,), ctx=grads[0].context)
                for start in range(0, len(grads), _CHUNK):
                    chunk = grads[start:start + _CHUNK]
                    multi_all_finite(*chunk, num_arrays=len(chunk), init_output=False, out=flag)
                finite = bool(flag.asscalar())
        self._loss_scale = self._next_loss_scale
        if not finite:
            self._next_loss_scale = self._loss_scale / 2.
            self._unskipped = 0
            logging.info("AMP: decreasing loss scale to %f", self._next_loss_scale)
        else:
            self._unskipped += 1
        if self._unskipped == self._scale_seq_len:
            self._unskipped = 0
            self._next_loss_scale = min(self._max_loss_scale, self._loss_scale * 2.)
            logging.info("AMP: increasing loss scale to %f", self._next_loss_scale)
        return not finite
