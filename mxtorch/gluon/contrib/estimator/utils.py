"""Checks shared by the Estimator and its event handlers."""
from ...loss import SoftmaxCrossEntropyLoss
from ....metric import Accuracy, EvalMetric, CompositeEvalMetric


def _check_metrics(metrics):
    """Flatten ``metrics`` (None, one EvalMetric, a CompositeEvalMetric or a list) to a list."""
    if isinstance(metrics, CompositeEvalMetric):
        return [leaf for child in metrics.metrics for leaf in _check_metrics(child)]
    if isinstance(metrics, EvalMetric):
        return [metrics]
    metrics = list(metrics) if metrics else []
    wrong = [m for m in metrics if not isinstance(m, EvalMetric)]
    if wrong:
        raise ValueError("estimator: metrics must be an EvalMetric or a list of EvalMetric "
                         "(see mxnet.metric.EvalMetric), got %r" % (wrong,))
    return metrics


def _metric_references(handler):
    """The values of ``handler``'s data attributes whose names contain 'metric'."""
    for attr in dir(handler):
        if 'metric' not in attr:
            continue
        value = getattr(handler, attr, None)
        if not value or callable(value):
            continue
        yield from (value if isinstance(value, list) else [value])


def _check_handler_metric_ref(handler, known_metrics):
    """Raise when ``handler`` refers to a metric the estimator does not update."""
    for metric in _metric_references(handler):
        _check_metric_known(handler, metric, known_metrics)


def _check_metric_known(handler, metric, known_metrics):
    if metric not in known_metrics:
        raise ValueError(
            "event handler %s refers to metric %s, which is neither one of "
            "estimator.train_metrics nor of estimator.val_metrics; pass those metric "
            "objects to the handler instead" % (type(handler).__name__, metric))


def _suggest_metric_for_loss(loss):
    """The metric the Estimator adds next to a loss by default (Accuracy for softmax CE)."""
    return Accuracy() if isinstance(loss, SoftmaxCrossEntropyLoss) else None
