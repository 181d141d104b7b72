"""Loss-layer operators and straight-through estimators.

MXNet's "output" layers (SoftmaxOutput, *RegressionOutput, SVMOutput, MakeLoss, make_loss) are
the forward value plus a hand-written gradient that IGNORES the head gradient: they are meant
to sit at the top of a graph. Those gradients are ``torch.autograd.Function``s here; every
other op in this file (softmax_cross_entropy, CTCLoss) differentiates through torch autograd.

MXNet rules encoded here (checked against 1.9.1):
- Class labels are read by truncation toward zero (1.9 -> class 1); a label outside
  ``[0, num_classes)`` selects no class. ``ignore_label`` is compared after truncation too.
- SoftmaxOutput ``normalization='valid'`` counts labels different from ``ignore_label`` even
  when ``use_ignore`` is False (only the zeroing of ignored rows depends on ``use_ignore``).
- A "soft" label (same shape as the data) gives ``(p - label) * grad_scale``: no ignoring,
  no smoothing and no normalization.
"""
import math

import torch

from ..base import MXNetError, ShapeError
from ._attrs import BOOL, FLOAT, Enum
from ._registry import Attr, defop

_NORMALIZATION = Enum("null", "batch", "valid")


def _class_index(label):
    """Labels as int64 class indices, truncated toward zero as MXNet's integer cast does."""
    return label.detach().to(torch.int64) if label.is_floating_point() else label.detach().long()


def _zeros_or_none(ctx, index, like):
    return torch.zeros_like(like) if ctx.needs_input_grad[index] else None


# --------------------------------------------------------------------------------------------
# SoftmaxOutput
# --------------------------------------------------------------------------------------------


def _softmax_view(data, multi_output, preserve_shape):
    """Reshape ``data`` to (rows, classes, positions) with the softmax over axis 1."""
    if multi_output:
        if data.dim() < 2:
            raise ShapeError(f"SoftmaxOutput: multi_output needs data of at least 2 dims "
                             f"(batch, classes, ...), got shape {tuple(data.shape)}")
        return data.reshape(data.shape[0], data.shape[1], -1)
    if preserve_shape:
        return data.reshape(-1, data.shape[-1], 1)
    # NOTE: without multi_output/preserve_shape MXNet flattens everything after the batch axis
    # into one softmax, even for n-d data.
    return data.reshape(data.shape[0], -1, 1)


def _hard_labels(label, view, multi_output, preserve_shape):
    """Class labels shaped (rows, positions) to match ``view``."""
    rows, _, positions = view.shape
    flat = label.reshape(-1)
    if not multi_output and not preserve_shape:
        # NOTE: MXNet reads the first `batch` label values (the label is data.shape[:-1]).
        flat = flat[:rows]
    if flat.numel() != rows * positions:
        raise ShapeError(f"SoftmaxOutput: label has shape {tuple(label.shape)}, which does not "
                         f"give one class per softmax row ({rows * positions} expected)")
    return flat.reshape(rows, positions)


def _softmax_output_grad(prob, label, head, cfg):
    """MXNet's SoftmaxOutput gradient w.r.t. the data, in the (rows, classes, positions) view."""
    scale = cfg["grad_scale"]
    if cfg["soft"]:
        grad = (prob - label.reshape(prob.shape).to(prob.dtype)) * scale
        return grad * head if cfg["out_grad"] else grad
    rows, classes, positions = prob.shape
    index = _class_index(label)
    if not cfg["smooth_alpha"] and not cfg["use_ignore"] and cfg["normalization"] != "valid":
        return _plain_softmax_grad(prob, index, head, cfg)
    in_range = (index >= 0) & (index < classes)
    alpha = cfg["smooth_alpha"]
    off_value = alpha / (classes - 1) if alpha and classes > 1 else 0.0
    target = torch.full_like(prob, off_value)
    on = torch.where(in_range, index, 0).unsqueeze(1)
    on_value = torch.where(in_range, 1.0 - alpha, off_value).to(prob.dtype)
    target.scatter_(1, on, on_value.unsqueeze(1))
    grad = prob - target
    ignore = cfg["ignore_label"]
    ignore = int(ignore) if math.isfinite(ignore) else None  # NaN/inf labels match no row
    if cfg["use_ignore"] and ignore is not None:
        grad = grad * (index != ignore).unsqueeze(1).to(grad.dtype)
    norm = cfg["normalization"]
    if norm == "valid":
        # NOTE: the count covers every label, including a flattened n-d label's tail.
        full = _class_index(cfg["full_label"])
        count = (full != ignore).sum().clamp(min=1) if ignore is not None \
            else torch.tensor(max(full.numel(), 1))
        grad = grad * (scale / count.to(grad.dtype))
    else:
        divisor = 1.0
        if norm == "batch":
            divisor = float(rows * positions) if cfg["multi_output"] else float(rows)
        elif cfg["multi_output"]:
            divisor = float(positions)  # NOTE: MXNet's 'null' still divides by positions here
        grad = grad * (scale / divisor)
    return grad * head if cfg["out_grad"] else grad


def _plain_softmax_grad(prob, index, head, cfg):
    """The common case (no smoothing, no ignored label, 'null'/'batch' normalization):
    ``prob - onehot(label)``, a label outside the classes matching none; the same numbers as
    the general path with fewer kernels."""
    rows, classes, positions = prob.shape
    grad = prob - (index.unsqueeze(1) == _class_ids(classes, prob.device)).to(prob.dtype)
    divisor = 1.0
    if cfg["normalization"] == "batch":
        divisor = float(rows * positions) if cfg["multi_output"] else float(rows)
    elif cfg["multi_output"]:
        divisor = float(positions)  # NOTE: MXNet's 'null' still divides by positions here
    factor = cfg["grad_scale"] / divisor
    if factor != 1.0:
        grad = grad * factor
    return grad * head if cfg["out_grad"] else grad


_CLASS_IDS = {}


def _class_ids(classes, device):
    """``arange(classes)`` shaped (1, classes, 1), cached per size and device."""
    key = (classes, device)
    ids = _CLASS_IDS.get(key)
    if ids is None:
        if len(_CLASS_IDS) >= 64:
            _CLASS_IDS.clear()
        ids = _CLASS_IDS[key] = torch.arange(classes, device=device).reshape(1, classes, 1)
    return ids


def _softmax_output_shape(attrs, in_shapes):
    data, label = in_shapes
    if data is None or len(data) < 1:
        return in_shapes, None
    if label is None:
        if attrs["multi_output"]:
            label = (data[0], math.prod(data[2:]))
        else:
            label = tuple(data[:-1]) if len(data) > 1 else tuple(data)
    return [data, label], [data]


class _SoftmaxOutputFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, label, cfg):
        view = _softmax_view(data, cfg["multi_output"], cfg["preserve_shape"])
        prob = torch.softmax(view, dim=1)
        soft = label.shape == data.shape
        hard = None if soft else _hard_labels(label, view, cfg["multi_output"],
                                              cfg["preserve_shape"])
        ctx.cfg = dict(cfg, soft=soft, full_label=label)
        ctx.save_for_backward(prob, label if soft else hard)
        return prob.reshape(data.shape)

    @staticmethod
    def backward(ctx, head):
        prob, label = ctx.saved_tensors
        grad = _softmax_output_grad(prob, label, head.reshape(prob.shape), ctx.cfg)
        return grad.reshape(head.shape), _zeros_or_none(ctx, 1, ctx.cfg["full_label"]), None


@defop("SoftmaxOutput", aliases=("Softmax",), inputs=("data", "label"), same_dtype=(),
       infer_shape=_softmax_output_shape,
       attrs=(Attr("grad_scale", FLOAT, 1.0, "Scale of the gradient"),
              Attr("ignore_label", FLOAT, -1.0, "Label whose rows get no gradient"),
              Attr("multi_output", BOOL, False, "Softmax over axis 1 of (n, k, x1, ...)"),
              Attr("use_ignore", BOOL, False, "Zero the gradient of ignore_label rows"),
              Attr("preserve_shape", BOOL, False, "Softmax over the last axis"),
              Attr("normalization", _NORMALIZATION, "null", "Gradient normalization"),
              Attr("out_grad", BOOL, False, "Multiply the gradient by the head gradient"),
              Attr("smooth_alpha", FLOAT, 0.0, "Label smoothing")))
def softmax_output(data, label, grad_scale, ignore_label, multi_output, use_ignore,
                   preserve_shape, normalization, out_grad, smooth_alpha):
    """Softmax forward; backward is ``(softmax - onehot(label)) * grad_scale / norm``.

    The backward ignores the head gradient (unless ``out_grad``), as in MXNet.
    """
    if not (torch.is_grad_enabled() and (data.requires_grad or label.requires_grad)):
        # nothing to differentiate (inference): the same checks and values, no autograd node
        view = _softmax_view(data, multi_output, preserve_shape)
        if label.shape != data.shape:
            _hard_labels(label, view, multi_output, preserve_shape)
        return torch.softmax(view, dim=1).reshape(data.shape)
    cfg = dict(grad_scale=grad_scale, ignore_label=ignore_label, multi_output=multi_output,
               use_ignore=use_ignore, preserve_shape=preserve_shape,
               normalization=normalization, out_grad=out_grad, smooth_alpha=smooth_alpha)
    return _SoftmaxOutputFn.apply(data, label, cfg)


# --------------------------------------------------------------------------------------------
# regression outputs, SVMOutput
# --------------------------------------------------------------------------------------------


def _same_shape_label(attrs, in_shapes):
    data, label = in_shapes
    if data is None or not all(data):  # as MXNet: only a complete data shape decides
        return in_shapes, None
    return [data, data if label is None else label], [data]


def _regression_type(attrs, in_dtypes):
    """data, label and output share one dtype, filled from whichever is known (as MXNet)."""
    known = next((d for d in in_dtypes if d is not None), None)
    return [known if d is None else d for d in in_dtypes], [in_dtypes[0] or known]


def _batch_label(attrs, in_shapes):
    data, label = in_shapes
    if data is None or not data:
        return in_shapes, None
    return [data, (data[0],) if label is None else label], [data]


def _label_like(op, data, label):
    if label.numel() != data.numel():
        raise ShapeError(f"{op}: label has shape {tuple(label.shape)} but data has shape "
                         f"{tuple(data.shape)}; the label needs one value per data element")
    return label.reshape(data.shape).to(data.dtype)


_REGRESSION = {
    "LinearRegressionOutput": (lambda x: x, lambda out, lab: out - lab),
    "LogisticRegressionOutput": (torch.sigmoid, lambda out, lab: out - lab),
    "MAERegressionOutput": (lambda x: x, lambda out, lab: torch.sign(out - lab)),
}


class _RegressionFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, label, name, grad_scale):
        label_v = _label_like(name, data, label)
        out = _REGRESSION[name][0](data)
        # NOTE: MXNet divides by the number of outputs per sample, prod(label.shape[1:]).
        per_sample = label.numel() // label.shape[0] if label.dim() and label.shape[0] else 1
        ctx.scale = grad_scale / max(per_sample, 1)
        ctx.name, ctx.label_shape = name, label.shape
        ctx.save_for_backward(out, label_v)
        return out.clone() if out is data else out

    @staticmethod
    def backward(ctx, head):
        out, label = ctx.saved_tensors
        grad = _REGRESSION[ctx.name][1](out, label) * ctx.scale
        dlabel = label.new_zeros(ctx.label_shape) if ctx.needs_input_grad[1] else None
        return grad, dlabel, None, None


def _register_regression(name, forward_doc):
    def compute(data, label, grad_scale):
        return _RegressionFn.apply(data, label, name, grad_scale)
    compute.__name__ = name
    compute.__doc__ = (f"{forward_doc}; backward ignores the head gradient: "
                       "``grad_scale * d / prod(label.shape[1:])``.")
    defop(name, inputs=("data", "label"), same_dtype=(), infer_shape=_same_shape_label,
          partial_shape=False, infer_type=_regression_type,
          attrs=(Attr("grad_scale", FLOAT, 1.0, "Scale of the gradient"),))(compute)


_register_regression("LinearRegressionOutput", "Identity forward (d = out - label)")
_register_regression("LogisticRegressionOutput", "Sigmoid forward (d = sigmoid(x) - label)")
_register_regression("MAERegressionOutput", "Identity forward (d = sign(out - label))")


def _svm_grad(data, label, margin, coef, linear):
    index = _class_index(label).reshape(-1)
    onehot = torch.zeros_like(data, dtype=torch.bool)
    valid = (index >= 0) & (index < data.shape[1])
    onehot.scatter_(1, torch.where(valid, index, 0).unsqueeze(1), valid.unsqueeze(1))
    own = (margin > data).to(data.dtype)      # the true class: pushed above +margin
    other = (margin > -data).to(data.dtype)   # other classes: pushed below -margin
    if linear:
        grad = torch.where(onehot, -own, other)
    else:
        grad = torch.where(onehot, -own * 2 * (margin - data), other * 2 * (margin + data))
    return grad * coef


class _SVMFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, label, margin, coef, linear):
        ctx.cfg = (margin, coef, linear)
        ctx.save_for_backward(data, label)
        return data.clone()

    @staticmethod
    def backward(ctx, head):
        data, label = ctx.saved_tensors
        flat = data.flatten(1)
        grad = _svm_grad(flat, label, *ctx.cfg).reshape(data.shape)
        return grad, _zeros_or_none(ctx, 1, label), None, None, None


@defop("SVMOutput", inputs=("data", "label"), same_dtype=(), infer_shape=_batch_label,
       attrs=(Attr("margin", FLOAT, 1.0, "Margin of the hinge loss"),
              Attr("regularization_coefficient", FLOAT, 1.0, "Scale of the gradient"),
              Attr("use_linear", BOOL, False, "L1 hinge instead of squared (L2) hinge")))
def svm_output(data, label, margin, regularization_coefficient, use_linear):
    """Identity forward; backward is the (squared) hinge-loss gradient, ignoring the head."""
    if data.dim() < 2 or label.numel() != data.shape[0]:
        raise ShapeError(f"SVMOutput: expected data (batch, classes) and label (batch,), got "
                         f"data {tuple(data.shape)} and label {tuple(label.shape)}")
    return _SVMFn.apply(data, label, margin, regularization_coefficient, use_linear)


# --------------------------------------------------------------------------------------------
# MakeLoss, make_loss
# --------------------------------------------------------------------------------------------


class _MakeLossFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, grad_scale, valid_thresh, normalization):
        ctx.cfg = (grad_scale, valid_thresh, normalization)
        ctx.save_for_backward(data)
        return data.clone()

    @staticmethod
    def backward(ctx, head):
        (data,) = ctx.saved_tensors
        grad_scale, valid_thresh, normalization = ctx.cfg
        grad = torch.full_like(data, grad_scale)
        if normalization == "batch":
            grad = grad / (data.shape[0] if data.dim() else 1)
        elif normalization == "valid":
            count = (data > valid_thresh).sum().clamp(min=1)
            grad = grad / count.to(grad.dtype)
        return grad, None, None, None


@defop("MakeLoss", inputs=("data",),
       attrs=(Attr("grad_scale", FLOAT, 1.0, "Gradient value"),
              Attr("valid_thresh", FLOAT, 0.0, "Elements above this count as valid"),
              Attr("normalization", _NORMALIZATION, "null", "Gradient normalization")))
def make_loss_layer(data, grad_scale, valid_thresh, normalization):
    """Identity forward; backward is ``grad_scale`` (normalized), ignoring the head gradient."""
    return _MakeLossFn.apply(data, grad_scale, valid_thresh, normalization)


@defop("make_loss", inputs=("data",))
def make_loss(data):
    """Identity forward; backward is all ones, ignoring the head gradient."""
    return _MakeLossFn.apply(data, 1.0, 0.0, "null")


# --------------------------------------------------------------------------------------------
# cross entropy, CTC
# --------------------------------------------------------------------------------------------


@defop("softmax_cross_entropy", inputs=("data", "label"), same_dtype=())
def softmax_cross_entropy(data, label):
    """Summed (not averaged) cross entropy of ``softmax(data)`` and class labels; shape (1,)."""
    if data.dim() != 2 or label.numel() != data.shape[0]:
        raise ShapeError(f"softmax_cross_entropy: expected data (batch, classes) and label "
                         f"(batch,), got data {tuple(data.shape)} and label {tuple(label.shape)}")
    logp = torch.log_softmax(data, dim=1)
    picked = logp.gather(1, _class_index(label).reshape(-1, 1).clamp(0, data.shape[1] - 1))
    return -picked.sum().reshape(1)


def _ctc_inputs(attrs):
    return (("data", "label") + (("data_lengths",) if attrs["use_data_lengths"] else ())
            + (("label_lengths",) if attrs["use_label_lengths"] else ()))


def _label_lengths(labels, pad):
    """Position of the first padding value in each row (the row length if none)."""
    is_pad = labels == pad
    width = labels.shape[1]
    first = torch.where(is_pad, torch.arange(width, device=labels.device), width)
    return first.min(dim=1).values if width else torch.zeros_like(labels[:, 0])


def _check_ctc_ranges(targets, data_len, label_len, steps, classes):
    """torch's CTC kernel reads out of bounds (crashes) on out-of-range labels or lengths."""
    checks = ((targets, classes - 1, "label values", "the class count minus 1"),
              (data_len, steps, "data_lengths", "the sequence length"),
              (label_len, targets.shape[1], "label_lengths", "the label width"))
    for values, high, what, bound in checks:
        if values.numel() and (values.min() < 0 or values.max() > high):
            bad = values[(values < 0) | (values > high)][0].item()
            raise MXNetError(f"CTCLoss: {what} must lie in [0, {high}] ({bound}); got {bad}")


@defop("CTCLoss", aliases=("ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"),
       inputs=_ctc_inputs,
       all_inputs=("data", "label", "data_lengths", "label_lengths"), same_dtype=(),
       attrs=(Attr("use_data_lengths", BOOL, False, "Read sequence lengths from data_lengths"),
              Attr("use_label_lengths", BOOL, False, "Read label lengths from label_lengths"),
              Attr("blank_label", Enum("first", "last"), "first",
                   "Blank is class 0 (labels padded with 0) or class C-1 (padded with -1)")))
def ctc_loss(data, label, *lengths, use_data_lengths, use_label_lengths, blank_label):
    """Connectionist temporal classification loss of (T, N, C) activations, per sequence.

    The softmax is applied inside. Impossible alignments give loss 0 (and a zero gradient).
    """
    if data.dim() != 3 or label.dim() != 2 or label.shape[0] != data.shape[1]:
        raise ShapeError(f"CTCLoss: expected data (seq_len, batch, classes) and label "
                         f"(batch, max_label_len), got data {tuple(data.shape)} and label "
                         f"{tuple(label.shape)}")
    steps, batch, classes = data.shape
    if data.is_meta:
        return data.new_empty((batch,))
    lengths = list(lengths)
    blank = 0 if blank_label == "first" else classes - 1
    targets = _class_index(label)
    if use_data_lengths:
        data_len = _class_index(lengths.pop(0)).reshape(batch)
    else:
        data_len = torch.full((batch,), steps, dtype=torch.int64, device=data.device)
    if use_label_lengths:
        label_len = _class_index(lengths.pop(0)).reshape(batch)
    else:
        label_len = _label_lengths(targets, 0 if blank_label == "first" else -1)
    targets = targets.clamp(min=0)
    _check_ctc_ranges(targets, data_len, label_len, steps, classes)
    logp = torch.log_softmax(data.float() if data.dtype == torch.float16 else data, dim=2)
    loss = torch.nn.functional.ctc_loss(logp, targets, data_len, label_len, blank=blank,
                                        reduction="none", zero_infinity=True)
    return loss.to(data.dtype)


# --------------------------------------------------------------------------------------------
# gradient tricks: gradientmultiplier, straight-through estimators
# --------------------------------------------------------------------------------------------


class _ScaleGradFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, scalar):
        ctx.scalar = scalar
        return data.clone()

    @staticmethod
    def backward(ctx, head):
        return head * ctx.scalar, None


@defop("_contrib_gradientmultiplier", inputs=("data",),
       attrs=(Attr("scalar", FLOAT, 1.0, "Factor applied to the gradient"),
              Attr("is_int", BOOL, True, "Whether the scalar is an integer (unused)")))
def gradientmultiplier(data, scalar, is_int):
    """Identity forward; the gradient is multiplied by ``scalar``."""
    return _ScaleGradFn.apply(data, scalar)


class _StraightThroughFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, fn):
        return fn(data)

    @staticmethod
    def backward(ctx, head):
        return head, None


def _round_half_away(x):
    return torch.where(x >= 0, torch.floor(x + 0.5), torch.ceil(x - 0.5))


@defop("_contrib_round_ste", inputs=("data",))
def round_ste(data):
    """``round`` (half away from zero) with the identity as gradient (straight-through)."""
    return _StraightThroughFn.apply(data, _round_half_away)


@defop("_contrib_sign_ste", inputs=("data",))
def sign_ste(data):
    """``sign`` with the identity as gradient (straight-through)."""
    return _StraightThroughFn.apply(data, torch.sign)
