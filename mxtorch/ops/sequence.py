"""Sequence operators on padded batches: SequenceMask, SequenceLast, SequenceReverse.

``data`` is time-major, (T, B, ...) with ``axis=0``, or batch-major, (B, T, ...) with
``axis=1``. With ``use_sequence_length=True`` a second input ``sequence_length`` (shape (B,),
any numeric dtype) gives each sequence's true length; MXNet truncates fractional lengths.
Without it every sequence spans all T steps and the op takes only ``data``.
"""
import torch

from ..base import ShapeError
from ._attrs import BOOL, FLOAT, INT
from ._registry import Attr, defop


def _inputs(a):
    return ("data", "sequence_length") if a["use_sequence_length"] else ("data",)


def _seq_shape(drop_time):
    """Shape rule: sequence_length is (batch,); the output is data's shape (without the time
    axis for SequenceLast)."""
    def infer(a, in_shapes):
        data = in_shapes[0]
        if data is None or len(data) < 2:
            return in_shapes, None
        time_axis = a.get("axis", 0) % len(data)
        filled = list(in_shapes)
        if len(filled) > 1 and filled[1] is None:
            filled[1] = (data[1 - time_axis],)
        out = tuple(d for k, d in enumerate(data) if k != time_axis) if drop_time else data
        return filled, [out]
    return infer


def _layout(op, data, lengths, axis):
    """(time axis, batch axis, lengths as int64 or None) after checking shapes."""
    if axis not in (0, 1) or data.dim() < 2:
        raise ShapeError(f"{op}: expects data with at least 2 dims and axis 0 (time-major) or 1 "
                         f"(batch-major), got data {tuple(data.shape)}, axis={axis}")
    batch_axis = 1 - axis
    if lengths is not None:
        batch = data.shape[batch_axis]
        if tuple(lengths.shape) != (batch,):
            raise ShapeError(f"{op}: input 'sequence_length' has shape {tuple(lengths.shape)}, "
                             f"expected ({batch},), one length per sequence of data "
                             f"{tuple(data.shape)} (batch axis {batch_axis})")
        lengths = lengths.trunc().long() if lengths.is_floating_point() else lengths.long()
    return axis, batch_axis, lengths


def _steps(data, time_axis):
    """Step indices 0..T-1 shaped to broadcast against ``data``."""
    steps = torch.arange(data.shape[time_axis], device=data.device)
    shape = [1] * data.dim()
    shape[time_axis] = data.shape[time_axis]
    return steps.reshape(shape)


def _per_batch(values, data, batch_axis):
    shape = [1] * data.dim()
    shape[batch_axis] = data.shape[batch_axis]
    return values.to(data.device).reshape(shape)


_SEQ_ATTRS = (Attr("use_sequence_length", BOOL, False, "Take lengths from sequence_length"),)
_AXIS = (Attr("axis", INT, 0, "Time axis: 0 (T, B, ...) or 1 (B, T, ...)"),)


@defop("SequenceMask", inputs=_inputs, all_inputs=("data", "sequence_length"), infer_shape=_seq_shape(False), same_dtype=(),
       attrs=_SEQ_ATTRS + (Attr("value", FLOAT, 0.0, "Value written past each length"),) + _AXIS)
def sequence_mask(data, sequence_length=None, *, use_sequence_length, value, axis):
    """Set the steps at or past each sequence's length to ``value``."""
    time_axis, batch_axis, lengths = _layout("SequenceMask", data, sequence_length, axis)
    if lengths is None:
        return data.clone()
    keep = _steps(data, time_axis) < _per_batch(lengths, data, batch_axis)
    fill = value if data.is_floating_point() else int(value)
    return torch.where(keep, data, torch.full((), fill, dtype=data.dtype, device=data.device))


@defop("SequenceLast", inputs=_inputs, all_inputs=("data", "sequence_length"), infer_shape=_seq_shape(True), same_dtype=(),
       attrs=_SEQ_ATTRS + _AXIS)
def sequence_last(data, sequence_length=None, *, use_sequence_length, axis):
    """The last valid step of each sequence: (T, B, ...) -> (B, ...)."""
    time_axis, batch_axis, lengths = _layout("SequenceLast", data, sequence_length, axis)
    steps = data.shape[time_axis]
    if lengths is None:
        return data.select(time_axis, steps - 1)
    # NOTE: MXNet reads outside the array for lengths < 1 or > T; we clamp to the first and
    # last step (see compat/shape.md).
    last = (lengths.clamp(1, steps) - 1).to(data.device)
    moved = data.movedim(time_axis, 0)  # (T, B, ...) for either layout
    return moved[last, torch.arange(moved.shape[1], device=data.device)]


@defop("SequenceReverse", inputs=_inputs, all_inputs=("data", "sequence_length"), infer_shape=_seq_shape(False),
       same_dtype=(), attrs=_SEQ_ATTRS + _AXIS)
def sequence_reverse(data, sequence_length=None, *, use_sequence_length, axis):
    """Reverse the first ``length`` steps of each sequence; the padding stays in place."""
    time_axis, batch_axis, lengths = _layout("SequenceReverse", data, sequence_length, axis)
    if lengths is None:
        return data.flip(time_axis)
    steps = _steps(data, time_axis)
    # NOTE: lengths above T act as T (MXNet reads outside the array there).
    count = _per_batch(lengths.clamp(0, data.shape[time_axis]), data, batch_axis)
    source = torch.where(steps < count, count - 1 - steps, steps)
    return data.gather(time_axis, source.expand(data.shape))
