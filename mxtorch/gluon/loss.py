"""Losses of ``mx.gluon.loss`` (MXNet 1.9.1).

Each loss is a HybridBlock written with ``F`` operators: ``loss(pred, label)`` returns one value
per sample (the mean over the non-batch axes unless a loss says otherwise), scaled by the
constructor's ``weight`` and by an optional ``sample_weight`` input that broadcasts against the
loss. Values and input gradients match MXNet 1.9.1; PoissonNLLLoss(compute_full=True) and
SDMLLoss also record gradients and hybridize here (MXNet fails there, see COMPAT.md).
"""
import math

from .. import ndarray
from ..base import MXNetError, numeric_types
from ..util import is_np_array  # noqa: F401  (MXNet's module namespace)
from .block import HybridBlock
from .utils import UsageError
from .nn._np_compat import np_aware

__all__ = ['Loss', 'L2Loss', 'L1Loss', 'SigmoidBinaryCrossEntropyLoss', 'SigmoidBCELoss',
           'SoftmaxCrossEntropyLoss', 'SoftmaxCELoss', 'KLDivLoss', 'CTCLoss', 'HuberLoss',
           'HingeLoss', 'SquaredHingeLoss', 'LogisticLoss', 'TripletLoss', 'PoissonNLLLoss',
           'CosineEmbeddingLoss', 'SDMLLoss']


def _apply_weighting(F, loss, weight=None, sample_weight=None):
    """Scales ``loss`` by ``sample_weight`` (broadcast) and by the number ``weight``.

    Parameters
    ----------
    F : module
        ``mx.nd`` or ``mx.sym``.
    loss : NDArray or Symbol
    weight : float or None
    sample_weight : NDArray or Symbol or None
        Must broadcast against ``loss``.
    """
    if sample_weight is not None:
        loss = F.broadcast_mul(loss, sample_weight)
    if weight is not None:
        if not isinstance(weight, numeric_types):
            raise TypeError(f'loss weight must be a number, got {type(weight).__name__}')
        loss = loss * weight
    return loss


def _reshape_like(F, x, y):
    """``x`` reshaped to ``y``'s shape (same number of elements)."""
    if F is ndarray:
        return x.reshape(y.shape)
    return F.reshape_like(x, y)


def _batch_mean(F, loss, batch_axis):
    return F.mean(loss, axis=batch_axis, exclude=True)


class Loss(HybridBlock):
    """Base class of the losses.

    Parameters
    ----------
    weight : float or None
        Global scalar weight of the loss.
    batch_axis : int
        The axis that holds the samples; the loss is reduced over all others.
    """

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self):
        return f'{type(self).__name__}(batch_axis={self._batch_axis}, w={self._weight})'

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Overridden by each loss."""
        raise NotImplementedError


class L2Loss(Loss):
    r"""Half the squared error: :math:`L = \frac{1}{2} \sum_i |label_i - pred_i|^2`.

    Parameters
    ----------
    weight : float, default 1.0
    batch_axis : int, default 0

    Inputs: ``pred``, ``label`` (same number of elements), optional ``sample_weight``.
    Output: one loss per sample, shape (batch_size,).
    """

    def __init__(self, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.square(label - pred)
        loss = _apply_weighting(F, loss, self._weight / 2, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class L1Loss(Loss):
    r"""Absolute error: :math:`L = \sum_i |label_i - pred_i|`.

    Parameters
    ----------
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = _apply_weighting(F, F.abs(label - pred), self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class SigmoidBinaryCrossEntropyLoss(Loss):
    r"""Binary cross-entropy on a sigmoid output (computed stably from logits).

    Parameters
    ----------
    from_sigmoid : bool, default False
        True when ``pred`` already holds probabilities (sigmoid applied).
    weight : float or None
    batch_axis : int, default 0

    Inputs: ``pred``, ``label`` (0/1 or soft), optional ``sample_weight`` and ``pos_weight``
    (weight of the positive class, broadcast against ``label``).
    """

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None, pos_weight=None):
        label = _reshape_like(F, label, pred)
        if self._from_sigmoid:
            loss = self._from_probabilities(F, pred, label, pos_weight)
        else:
            softplus = F.Activation(-F.abs(pred), act_type='softrelu')
            if pos_weight is None:
                loss = F.relu(pred) - pred * label + softplus
            else:
                log_weight = 1 + F.broadcast_mul(pos_weight - 1, label)
                loss = pred - pred * label + log_weight * (softplus + F.relu(-pred))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)

    @staticmethod
    def _from_probabilities(F, pred, label, pos_weight):
        eps = 1e-12
        positive = F.log(pred + eps) * label
        if pos_weight is not None:
            positive = F.broadcast_mul(positive, pos_weight)
        return -(positive + F.log(1. - pred + eps) * (1. - label))


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class SoftmaxCrossEntropyLoss(Loss):
    r"""Softmax cross-entropy: :math:`L = -\sum_i label_i \log softmax(pred)_i`.

    Parameters
    ----------
    axis : int, default -1
        The class axis.
    sparse_label : bool, default True
        Labels are class indices (True) or distributions of ``pred``'s shape (False).
    from_logits : bool, default False
        True when ``pred`` already holds log-probabilities.
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None,
                 batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis = axis
        self._sparse_label = sparse_label
        self._from_logits = from_logits

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        if self._sparse_label and F is ndarray and sample_weight is None and \
                self._weight is None and self._batch_axis == 0 and len(pred.shape) == 2 \
                and self._axis in (1, -1):
            # imperative (N, C) case: the batch mean over the one picked entry is the entry
            # itself (x / 1, bit for bit, gradient too), so it is skipped
            return -F.pick(pred, label, axis=self._axis, keepdims=False)
        if self._sparse_label:
            loss = -F.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _reshape_like(F, label, pred)
            loss = -F.sum(pred * label, axis=self._axis, keepdims=True)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class KLDivLoss(Loss):
    r"""Kullback-Leibler divergence :math:`L = \sum_i label_i (\log label_i - pred_i)`,
    summed over the non-batch axes.

    Parameters
    ----------
    from_logits : bool, default True
        True when ``pred`` holds log-probabilities; False applies log_softmax on ``axis``.
    axis : int, default -1
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._axis = axis

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        loss = label * (F.log(label + 1e-12) - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return F.sum(loss, axis=self._batch_axis, exclude=True)


class CTCLoss(Loss):
    """Connectionist Temporal Classification loss (Graves et al., 2006); the blank is the last
    class and labels are padded with -1 (or ended by ``label_lengths``).

    Parameters
    ----------
    layout : str, default 'NTC'
        Layout of ``pred``: 'NTC' or 'TNC'.
    label_layout : str, default 'NT'
        Layout of ``label``: 'NT' or 'TN'.
    weight : float or None

    Inputs: ``pred``, ``label``, optional ``pred_lengths``, ``label_lengths`` (per sample),
    ``sample_weight``. Output: shape (batch_size,).
    """

    def __init__(self, layout='NTC', label_layout='NT', weight=None, **kwargs):
        if layout not in ('NTC', 'TNC'):
            raise UsageError(f"CTCLoss: only 'NTC' and 'TNC' layouts for pred are supported. "
                             f"Got: {layout}")
        if label_layout not in ('NT', 'TN'):
            raise UsageError(f"CTCLoss: only 'NT' and 'TN' layouts for label are supported. "
                             f"Got: {label_layout}")
        self._layout = layout
        self._label_layout = label_layout
        super().__init__(weight, label_layout.find('N'), **kwargs)

    @np_aware
    def hybrid_forward(self, F, pred, label, pred_lengths=None, label_lengths=None,
                       sample_weight=None):
        if self._layout == 'NTC':
            pred = F.swapaxes(pred, 0, 1)
        if self._batch_axis == 1:
            label = F.swapaxes(label, 0, 1)
        loss = F.CTCLoss(pred, label, pred_lengths, label_lengths,
                         use_data_lengths=pred_lengths is not None,
                         use_label_lengths=label_lengths is not None, blank_label='last')
        return _apply_weighting(F, loss, self._weight, sample_weight)


class HuberLoss(Loss):
    r"""Smoothed L1: :math:`\frac{1}{2\rho} d^2` where :math:`d = |label - pred| \le \rho`,
    :math:`d - \frac{\rho}{2}` elsewhere.

    Parameters
    ----------
    rho : float, default 1
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        dist = F.abs(label - pred)
        loss = F.where(dist > self._rho, dist - 0.5 * self._rho,
                       (0.5 / self._rho) * F.square(dist))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class HingeLoss(Loss):
    r"""Hinge loss :math:`\max(0, margin - pred \cdot label)` for labels -1/1.

    Parameters
    ----------
    margin : float, default 1
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.relu(self._margin - pred * label)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class SquaredHingeLoss(Loss):
    r"""Squared hinge loss :math:`\max(0, margin - pred \cdot label)^2` for labels -1/1.

    Parameters
    ----------
    margin : float, default 1
    weight : float or None
    batch_axis : int, default 0
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.square(F.relu(self._margin - pred * label))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class LogisticLoss(Loss):
    r"""Logistic loss :math:`\log(1 + \exp(-pred \cdot label))` (computed stably).

    Parameters
    ----------
    weight : float or None
    batch_axis : int, default 0
    label_format : str, default 'signed'
        'signed' for labels -1/1, 'binary' for labels 0/1.
    """

    def __init__(self, weight=None, batch_axis=0, label_format='signed', **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._label_format = label_format
        if label_format not in ('signed', 'binary'):
            raise ValueError(f'label_format can only be signed or binary, recieved '
                             f'{label_format}.')

    @np_aware
    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        if self._label_format == 'signed':
            label = (label + 1.0) / 2.0
        loss = (F.relu(pred) - pred * label
                + F.Activation(-F.abs(pred), act_type='softrelu'))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class TripletLoss(Loss):
    r"""Triplet loss :math:`\max(0, \|pos - pred\|^2 - \|neg - pred\|^2 + margin)`.

    Parameters
    ----------
    margin : float, default 1
    weight : float or None
    batch_axis : int, default 0

    Inputs: ``pred`` (anchor), ``positive``, ``negative`` of the same number of elements.
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    @np_aware
    def hybrid_forward(self, F, pred, positive, negative):
        positive = _reshape_like(F, positive, pred)
        negative = _reshape_like(F, negative, pred)
        loss = F.sum(F.square(positive - pred) - F.square(negative - pred),
                     axis=self._batch_axis, exclude=True)
        loss = F.relu(loss + self._margin)
        return _apply_weighting(F, loss, self._weight, None)


class PoissonNLLLoss(Loss):
    r"""Negative log-likelihood of a Poisson target, averaged over all elements (one scalar).

    Parameters
    ----------
    weight : float or None
    from_logits : bool, default True
        True when ``pred`` is the log of the rate: :math:`L = e^{pred} - target \cdot pred`;
        False when it is the rate: :math:`L = pred - target \log(pred + \epsilon)`.
    batch_axis : int, default 0
    compute_full : bool, default False
        Add the Stirling term :math:`t \log t - t + \frac{1}{2}\log(2\pi t)` where target > 1.

    Inputs: ``pred``, ``target``, optional ``sample_weight``, ``epsilon`` (default 1e-08).
    """

    def __init__(self, weight=None, from_logits=True, batch_axis=0, compute_full=False,
                 **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._compute_full = compute_full

    @np_aware
    def hybrid_forward(self, F, pred, target, sample_weight=None, epsilon=1e-08):
        target = _reshape_like(F, target, pred)
        if self._from_logits:
            loss = F.exp(pred) - target * pred
        else:
            loss = pred - target * F.log(pred + epsilon)
        if self._compute_full:
            stirling = (target * F.log(target) - target
                        + 0.5 * F.log(2 * target * math.pi))
            loss = loss + stirling * (target > 1)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return F.mean(loss)


class CosineEmbeddingLoss(Loss):
    r"""Cosine embedding loss: :math:`1 - \cos(x_1, x_2)` for label 1,
    :math:`\max(0, \cos(x_1, x_2) - margin)` for label -1.

    Parameters
    ----------
    weight : float or None
    batch_axis : int, default 0
    margin : float, default 0

    Inputs: ``input1``, ``input2`` of shape (batch_size, dim), ``label`` (batch_size,) of
    -1/1, optional ``sample_weight``. Output: shape (batch_size, 1).
    """

    def __init__(self, weight=None, batch_axis=0, margin=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    @np_aware
    def hybrid_forward(self, F, input1, input2, label, sample_weight=None):
        input1 = _reshape_like(F, input1, input2)
        label = F.reshape(label, (-1, 1))
        cos_sim = self._cosine_similarity(F, input1, input2)
        positive = (1 - cos_sim) * (label == 1)
        negative = F.relu((label == -1) * (cos_sim - self._margin))
        return _apply_weighting(F, positive + negative, self._weight, sample_weight)

    @staticmethod
    def _cosine_similarity(F, x, y, axis=-1):
        x_norm = F.reshape(F.norm(x, axis=axis), (-1, 1))
        y_norm = F.reshape(F.norm(y, axis=axis), (-1, 1))
        x_dot_y = F.reshape(F.sum(x * y, axis=axis), (-1, 1))
        return x_dot_y / F.maximum(x_norm * y_norm, 1e-12)


class SDMLLoss(Loss):
    r"""Smoothed Deep Metric Learning loss (Bonadiman et al., 2019) with in-batch negatives:
    row i of ``x1`` should match row i of ``x2`` and no other row.

    The softmax over negative squared distances is compared (KL divergence) with smoothed
    one-hot labels: ``1 - smoothing_parameter`` on the match, the rest spread over the others.

    Parameters
    ----------
    smoothing_parameter : float, default 0.3
    weight : float, default 1.0
        Kept for the interface; as in MXNet it does not scale the loss.
    batch_axis : int, default 0

    Inputs: ``x1``, ``x2`` of shape (batch_size, dim). Output: shape (batch_size,).
    """

    def __init__(self, smoothing_parameter=0.3, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self.kl_loss = KLDivLoss(from_logits=True)
        self.smoothing_parameter = smoothing_parameter

    @staticmethod
    def _compute_distances(F, x1, x2):
        """Squared euclidean distance of every row of x1 to every row of x2: (B, B)."""
        diff = F.broadcast_sub(F.expand_dims(x1, 1), F.expand_dims(x2, 0))
        return F.sum(F.square(diff), axis=2)

    def _compute_labels(self, F, distances):
        """Smoothed identity of the (B, B) distance matrix's shape."""
        index = F.contrib.arange_like(distances, axis=0)
        gold = F.broadcast_equal(F.reshape(index, (-1, 1)), F.reshape(index, (1, -1)))
        others = F.sum(F.ones_like(distances), axis=1, keepdims=True) - 1
        spread = F.broadcast_div((1 - gold) * self.smoothing_parameter, others)
        return gold * (1 - self.smoothing_parameter) + spread

    def _loss(self, F, x1, x2):
        distances = self._compute_distances(F, x1, x2)
        labels = self._compute_labels(F, distances)
        log_probabilities = F.log_softmax(-distances, axis=1)
        return self.kl_loss(log_probabilities, labels)

    @np_aware
    def hybrid_forward(self, F, x1, x2):
        shapes = getattr(x1, 'shape', None), getattr(x2, 'shape', None)
        if shapes[0] is not None and (len(shapes[0]) != 2 or shapes[0] != shapes[1]):
            raise MXNetError(f'SDMLLoss expects x1 and x2 of one shape (batch_size, dim), '
                             f'got {shapes[0]} and {shapes[1]}')
        return self._loss(F, x1, x2)
