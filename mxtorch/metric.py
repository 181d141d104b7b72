"""``mx.metric``: online evaluation metrics (MXNet 1.9.1 semantics and numbers).

Every metric keeps a local accumulator (``sum_metric``/``num_inst``, cleared by
``reset_local``) and, when it has global statistics, a global one (``global_sum_metric``/
``global_num_inst``, cleared only by ``reset``). ``update(labels, preds)`` takes lists of
NDArrays (a single NDArray is wrapped); numpy arrays are accepted too. Each update reads
every input once with ``asnumpy`` and works on numpy arrays.
"""
import math
from collections import OrderedDict

import numpy

from . import ndarray
from . import registry
from .base import numeric_types, string_types

__all__ = ["Accuracy", "Caffe", "CompositeEvalMetric", "CrossEntropy", "CustomMetric",
           "EvalMetric", "F1", "Loss", "MAE", "MCC", "MSE", "NegativeLogLikelihood",
           "OrderedDict", "PCC", "PearsonCorrelation", "Perplexity", "RMSE", "TopKAccuracy",
           "Torch", "alias", "check_label_shapes", "create", "math", "ndarray", "np",
           "numeric_types", "numpy", "register", "registry", "string_types"]


def _is_array(x):
    return isinstance(x, (ndarray.NDArray, numpy.ndarray))


def _host(x):
    """``x`` as a numpy array (one device-to-host copy for an NDArray)."""
    if isinstance(x, ndarray.NDArray):
        return x.asnumpy()
    return numpy.asarray(x)


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Check that labels and predictions agree in length (or in shape with ``shape=True``).

    Parameters
    ----------
    labels, preds : list of NDArray, NDArray or numpy.ndarray
    wrap : bool
        Wrap a single array into a one-element list.
    shape : bool
        Compare ``.shape`` instead of ``len()``.

    Returns
    -------
    (labels, preds)
    """
    if shape:
        label_shape, pred_shape = labels.shape, preds.shape
    else:
        label_shape, pred_shape = len(labels), len(preds)
    if label_shape != pred_shape:
        raise ValueError(f"Shape of labels {label_shape} does not match shape of "
                         f"predictions {pred_shape}")
    if wrap:
        labels = [labels] if _is_array(labels) else labels
        preds = [preds] if _is_array(preds) else preds
    return labels, preds


class EvalMetric:
    """Base class of all evaluation metrics.

    Parameters
    ----------
    name : str
        Name of the metric.
    output_names : list of str, optional
        Names of the predictions ``update_dict`` picks (all, in order, when None).
    label_names : list of str, optional
        Names of the labels ``update_dict`` picks (all, in order, when None).
    """

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The constructor arguments as a dict that ``mx.metric.create(**config)`` accepts."""
        config = self._kwargs.copy()
        config.update({"metric": self.__class__.__name__, "name": self.name,
                       "output_names": self.output_names, "label_names": self.label_names})
        return config

    def update_dict(self, label, pred):
        """Update from dicts ``{name: array}``, selecting ``label_names``/``output_names``."""
        pred = _select(pred, self.output_names)
        label = _select(label, self.label_names)
        self.update(label, pred)

    def update(self, labels, preds):
        """Accumulate the metric over a batch of labels and predictions."""
        raise NotImplementedError(f"{self.__class__.__name__}.update is not implemented")

    def reset(self):
        """Clear the local and the global statistics."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Clear the local statistics only (the global ones keep accumulating)."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def _add(self, value, count):
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def get(self):
        """(name, value) of the local statistics; value is NaN before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        """(name, value) since the last ``reset`` (``get()`` without global statistics)."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    def get_name_value(self):
        """List of (name, value) pairs of ``get()``."""
        return _pairs(*self.get())

    def get_global_name_value(self):
        """List of (name, value) pairs of ``get_global()``."""
        if not self._has_global_stats:
            return self.get_name_value()
        return _pairs(*self.get_global())


def _select(arrays, names):
    if names is None:
        return list(arrays.values())
    return [arrays[name] for name in names]


def _pairs(name, value):
    if not isinstance(name, list):
        name, value = [name], [value]
    return list(zip(name, value))


register = registry.get_register_func(EvalMetric, "metric")
alias = registry.get_alias_func(EvalMetric, "metric")
_create = registry.get_create_func(EvalMetric, "metric")


def create(metric, *args, **kwargs):
    """Create a metric from a name, an instance, a callable ``feval(label, pred)`` (a
    ``CustomMetric``) or a list of those (a ``CompositeEvalMetric``).

    Parameters
    ----------
    metric : str, EvalMetric, callable or list
    *args, **kwargs
        Passed to the metric's constructor (to every child for a list).
    """
    if callable(metric) and not isinstance(metric, EvalMetric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return _create(metric, *args, **kwargs)


@register
@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; ``get`` returns lists of names and values.

    Parameters
    ----------
    metrics : list of EvalMetric or str, optional
    name : str
    """

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        """Append a child metric (anything ``create`` accepts)."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """The child metric at ``index`` (MXNet returns, not raises, a ValueError when out of
        range)."""
        try:
            return self.metrics[index]
        except IndexError:
            return ValueError(f"Metric index {index} is out of range 0 and {len(self.metrics)}")

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict((k, v) for k, v in labels.items() if k in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict((k, v) for k, v in preds.items() if k in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, "metrics", ()):
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def get(self):
        return _gather(metric.get() for metric in self.metrics)

    def get_global(self):
        return _gather(metric.get_global() for metric in self.metrics)

    def get_config(self):
        config = super().get_config()
        config.update({"metrics": [m.get_config() for m in self.metrics]})
        return config


def _gather(results):
    names, values = [], []
    for name, value in results:
        names.extend([name] if isinstance(name, string_types) else name)
        values.extend([value] if isinstance(value, numeric_types) else value)
    return (names, values)


# ---------------------------------------------------------------- classification
@register
@alias("acc")
class Accuracy(EvalMetric):
    """Fraction of predictions equal to the labels; predictions whose shape differs from the
    label's are reduced with ``argmax`` over ``axis`` first.

    Parameters
    ----------
    axis : int, default 1
        Class axis of the predictions.
    name : str
    """

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label), _host(pred)
            if pred.shape != label.shape:
                pred = pred.argmax(axis=self.axis)
            pred = pred.astype("int32", copy=False).ravel()
            label = label.astype("int32", copy=False).ravel()
            check_label_shapes(label, pred)
            self._add(int((pred == label).sum()), len(pred))


@register
@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Fraction of samples whose label is among the ``top_k`` highest-scored classes.

    Parameters
    ----------
    top_k : int, default 1
        Must be greater than 1 (use Accuracy otherwise).
    name : str
        The metric name gets ``_<top_k>`` appended.
    """

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.top_k = top_k
        if self.top_k <= 1:
            raise AssertionError(f"TopKAccuracy: top_k={top_k}; please use Accuracy if top_k "
                                 "is no more than 1")
        self.name += f"_{self.top_k}"

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if len(pred.shape) > 2:
                raise AssertionError(f"TopKAccuracy: predictions should be no more than 2 "
                                     f"dims, got shape {tuple(pred.shape)}")
            order = numpy.argpartition(_host(pred).astype("float32"), -self.top_k)
            label = _host(label).astype("int32")
            check_label_shapes(label, order)
            self._add(_top_k_hits(order, label.ravel(), self.top_k), order.shape[0])


def _top_k_hits(order, label, top_k):
    if order.ndim == 1:
        return int((order.ravel() == label).sum())
    classes = order.shape[1]
    top = order[:, classes - min(classes, top_k):]
    return int((top == label[:, None]).sum())


class _BinaryStats:
    """Confusion counts of a binary classifier, local and global (for F1 and MCC)."""

    FIELDS = ("tp", "fp", "fn", "tn")

    def __init__(self):
        self.local = dict.fromkeys(self.FIELDS, 0)
        self.total = dict.fromkeys(self.FIELDS, 0)

    def reset(self):
        self.local = dict.fromkeys(self.FIELDS, 0)
        self.total = dict.fromkeys(self.FIELDS, 0)

    def reset_local(self):
        self.local = dict.fromkeys(self.FIELDS, 0)

    def update(self, metric, label, pred):
        pred, label = _host(pred), _host(label).astype("int32")
        pred_label = numpy.argmax(pred, axis=1)
        check_label_shapes(label, pred)
        if len(numpy.unique(label)) > 2:
            raise ValueError(f"{metric} currently only supports binary classification "
                             f"(labels seen: {numpy.unique(label).tolist()}).")
        pred_pos, label_pos = pred_label == 1, label == 1
        counts = {"tp": int(numpy.sum(pred_pos & label_pos)),
                  "fp": int(numpy.sum(pred_pos & ~label_pos)),
                  "fn": int(numpy.sum(~pred_pos & label_pos)),
                  "tn": int(numpy.sum(~pred_pos & ~label_pos))}
        for key, value in counts.items():
            self.local[key] += value
            self.total[key] += value

    @staticmethod
    def fscore(c):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] > 0 else 0.
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] > 0 else 0.
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.

    @staticmethod
    def mcc(c):
        terms = [c["tp"] + c["fp"], c["tp"] + c["fn"], c["tn"] + c["fp"], c["tn"] + c["fn"]]
        denom = 1.
        for term in terms:
            denom *= term if term != 0 else 1.
        return ((c["tp"] * c["tn"]) - (c["fp"] * c["fn"])) / math.sqrt(denom)

    @staticmethod
    def count(c):
        return c["tp"] + c["fp"] + c["fn"] + c["tn"]


class _BinaryMetric(EvalMetric):
    """F1/MCC: ``average='macro'`` averages per-update scores, ``'micro'`` scores the counts
    pooled since the last reset."""

    _score = None

    def __init__(self, name, output_names=None, label_names=None, average="macro"):
        self.average = average
        self.metrics = _BinaryStats()
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        score, stats = type(self)._score, self.metrics
        for label, pred in zip(labels, preds):
            stats.update(self.__class__.__name__, label, pred)
            if self.average == "macro":
                self.sum_metric += score(stats.local)
                self.global_sum_metric += score(stats.total)
                self.num_inst += 1
                self.global_num_inst += 1
                stats.reset()
            else:
                self.sum_metric = score(stats.local) * stats.count(stats.local)
                self.global_sum_metric = score(stats.total) * stats.count(stats.total)
                self.num_inst = stats.count(stats.local)
                self.global_num_inst = stats.count(stats.total)

    def reset(self):
        super().reset()
        self.metrics.reset()

    def reset_local(self):
        super().reset_local()
        self.metrics.reset_local()


@register
class F1(_BinaryMetric):
    """F1 score of a binary classifier (class 1 positive; predictions are per-class scores).

    Parameters
    ----------
    name : str
    average : {'macro', 'micro'}, default 'macro'
        'macro' averages the F1 of each update; 'micro' pools the counts.
    """

    _score = staticmethod(_BinaryStats.fscore)

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient of a binary classifier.

    Parameters
    ----------
    name : str
    average : {'macro', 'micro'}, default 'macro'
    """

    _score = staticmethod(_BinaryStats.mcc)

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)


@register
class PCC(EvalMetric):
    """Multiclass Pearson correlation (MCC generalised) from a growing confusion matrix.

    Parameters
    ----------
    name : str
    has_global_stats : bool, default True
    """

    def __init__(self, name="pcc", output_names=None, label_names=None, has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        self.lcm = numpy.pad(self.lcm, ((0, inc), (0, inc)), "constant")
        self.gcm = numpy.pad(self.gcm, ((0, inc), (0, inc)), "constant")
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x, y = cmat.sum(axis=1), cmat.sum(axis=0)
        cov_xx, cov_yy = numpy.sum(x * (n - x)), numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float("nan")
        cov_xy = numpy.sum(cmat.diagonal() * n - x * y)
        return float(cov_xy / (cov_xx * cov_yy) ** 0.5)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label).astype("int32"), _host(pred)
            pred = pred.argmax(axis=1) if pred.shape != label.shape else pred.astype("int32")
            n = max(pred.max(), label.max())
            if n >= self.k:
                self._grow(int(n) + 1 - self.k)
            batch = numpy.zeros((self.k, self.k))
            numpy.add.at(batch, (pred.ravel(), label.ravel()), 1)
            self.lcm += batch
            self.gcm += batch
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._calc_mcc(self.lcm) * self.num_inst

    @property
    def global_sum_metric(self):
        return self._calc_mcc(self.gcm) * self.global_num_inst

    def reset(self):
        self.global_num_inst = 0.
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0.
        self.lcm = numpy.zeros((self.k, self.k))


@register
class Perplexity(EvalMetric):
    """exp of the mean negative log-probability of the labels.

    Parameters
    ----------
    ignore_label : int or None
        Labels equal to this value are not counted.
    axis : int, default -1
        Class axis of the predictions.
    name : str
    """

    def __init__(self, ignore_label, axis=-1, name="perplexity", output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        if len(labels) != len(preds):
            raise AssertionError(f"Perplexity: {len(labels)} labels for {len(preds)} "
                                 "predictions")
        loss, num = 0., 0
        for label, pred in zip(labels, preds):
            label, pred = _host(label), _host(pred)
            if label.size != pred.size / pred.shape[self.axis]:
                raise AssertionError(f"shape mismatch: {label.shape} vs. {pred.shape}")
            label = label.reshape(-1).astype("int32")
            classes = pred.shape[self.axis]
            prob = numpy.moveaxis(pred, self.axis, -1).reshape(-1, classes)
            prob = prob[numpy.arange(label.size), label]
            if self.ignore_label is not None:
                ignore = label == self.ignore_label
                num -= int(ignore.sum())
                prob = numpy.where(ignore, numpy.ones((), prob.dtype), prob)
            loss -= float(numpy.sum(numpy.log(numpy.maximum(prob.dtype.type(1e-10), prob))))
            num += prob.size
        self._add(loss, num)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))


# ---------------------------------------------------------------- regression
class _PerBatchRegression(EvalMetric):
    """Regression metrics averaged per update call (1-D arrays are taken as (N, 1))."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    @staticmethod
    def _batch(diff):
        raise NotImplementedError

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label), _host(pred)
            if label.ndim == 1:
                label = label.reshape(label.shape[0], 1)
            if pred.ndim == 1:
                pred = pred.reshape(pred.shape[0], 1)
            self._add(float(self._batch(label - pred)), 1)


@register
class MAE(_PerBatchRegression):
    """Mean absolute error, averaged over update calls.

    Parameters
    ----------
    name : str
    """

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch(diff):
        return numpy.abs(diff).mean()


@register
class MSE(_PerBatchRegression):
    """Mean squared error, averaged over update calls.

    Parameters
    ----------
    name : str
    """

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch(diff):
        return (diff ** 2.0).mean()


@register
class RMSE(_PerBatchRegression):
    """Root mean squared error of each update, averaged over update calls.

    Parameters
    ----------
    name : str
    """

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _batch(diff):
        return numpy.sqrt((diff ** 2.0).mean())


class _LabelProbability(EvalMetric):
    """Sum of ``-log(p[label] + eps)`` over samples (CrossEntropy, NegativeLogLikelihood)."""

    def __init__(self, eps, name, output_names=None, label_names=None):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _host(label).ravel(), _host(pred)
            if label.shape[0] != pred.shape[0]:
                raise AssertionError(f"{self.__class__.__name__}: {label.shape[0]} labels "
                                     f"for {pred.shape[0]} predictions (shape {pred.shape})")
            prob = pred[numpy.arange(label.shape[0]), numpy.int64(label)]
            self._add(float((-numpy.log(prob + self.eps)).sum()), label.shape[0])


@register
@alias("ce")
class CrossEntropy(_LabelProbability):
    """Cross entropy of class probabilities against integer labels.

    Parameters
    ----------
    eps : float, default 1e-12
        Added to the probability before the log.
    name : str
    """

    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("nll_loss")
class NegativeLogLikelihood(_LabelProbability):
    """Negative log-likelihood of the labels under the predicted probabilities.

    Parameters
    ----------
    eps : float, default 1e-12
    name : str
    """

    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("pearsonr")
class PearsonCorrelation(EvalMetric):
    """Pearson correlation of predictions and labels.

    Parameters
    ----------
    name : str
    average : {'macro', 'micro'}, default 'macro'
        'macro' averages per-update coefficients; 'micro' computes one coefficient over all
        values seen since the last reset (running means and sums of squares).
    """

    def __init__(self, name="pearsonr", output_names=None, label_names=None, average="macro"):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        if self.average == "micro":
            self.reset_micro()

    def reset_micro(self):
        """Clear the running statistics of ``average='micro'``."""
        self._sse_p = self._mean_p = self._sse_l = self._mean_l = 0
        self._pred_nums = self._label_nums = self._conv = 0

    def reset(self):
        self.num_inst = self.sum_metric = 0.
        self.global_num_inst = self.global_sum_metric = 0.
        if self.average == "micro":
            self.reset_micro()

    def update_variance(self, new_values, *aggregate):
        """Fold ``new_values`` into (count, mean, sum of squared deviations)."""
        count, mean, m_2 = aggregate
        count += len(new_values)
        delta = new_values - mean
        mean += numpy.sum(delta / count)
        m_2 += numpy.sum(delta * (new_values - mean))
        return count, mean, m_2

    def update_cov(self, label, pred):
        """Add the co-deviation of ``label`` and ``pred`` from the running means."""
        self._conv = self._conv + numpy.sum((label - self._mean_l) * (pred - self._mean_p))

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = _host(label).ravel().astype(numpy.float64)
            pred = _host(pred).ravel().astype(numpy.float64)
            self.num_inst += 1
            self.global_num_inst += 1
            if self.average == "macro":
                corr = numpy.corrcoef(pred, label)[0, 1]
                self.sum_metric += corr
                self.global_sum_metric += corr
                continue
            self._label_nums, self._mean_l, self._sse_l = self.update_variance(
                label, self._label_nums, self._mean_l, self._sse_l)
            self.update_cov(label, pred)
            self._pred_nums, self._mean_p, self._sse_p = self.update_variance(
                pred, self._pred_nums, self._mean_p, self._sse_p)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        if self.average == "macro":
            return (self.name, self.sum_metric / self.num_inst)
        n = self._label_nums
        scale = (n - 1) * numpy.sqrt(self._sse_p / (n - 1)) * numpy.sqrt(self._sse_l / (n - 1))
        return (self.name, self._conv / scale)


# ---------------------------------------------------------------- losses and custom
@register
class Loss(EvalMetric):
    """Mean of the given loss values (labels are ignored).

    Parameters
    ----------
    name : str
    """

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        if _is_array(preds):
            preds = [preds]
        for pred in preds:
            pred = _host(pred)
            self._add(float(pred.sum()), pred.size)


@register
class Torch(Loss):
    """Dummy metric for torch criterions (a ``Loss``)."""

    def __init__(self, name="torch", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)


@register
class Caffe(Loss):
    """Dummy metric for caffe criterions (a ``Loss``)."""

    def __init__(self, name="caffe", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)


@register
class CustomMetric(EvalMetric):
    """A metric computed by ``feval(label, pred)`` on numpy arrays, returning a value (one
    instance) or a ``(sum_metric, num_inst)`` pair.

    Parameters
    ----------
    feval : callable(label, pred)
    name : str, optional
        Defaults to ``feval.__name__`` (``custom(<lambda>)`` for lambdas).
    allow_extra_outputs : bool
        Accept more predictions than labels.
    """

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if "<" in name:
                name = f"custom({name})"
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            result = self._feval(_host(label), _host(pred))
            if isinstance(result, tuple):
                self._add(result[0], result[1])
            else:
                self._add(result, 1)

    def get_config(self):
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A ``CustomMetric`` from a function of numpy arrays ``numpy_feval(label, pred)``.

    Parameters
    ----------
    numpy_feval : callable(label, pred)
    name : str, optional
    allow_extra_outputs : bool
    """
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)
