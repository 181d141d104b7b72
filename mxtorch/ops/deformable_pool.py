"""Deformable position-sensitive ROI pooling (Deformable R-FCN): _contrib_DeformablePSROIPooling.

Every (roi, output channel, bin) averages ``sample_per_part``^2 bilinear samples taken on a
regular grid inside its bin; the bin is shifted by the learned offsets in ``trans`` (scaled by
``trans_std`` and the roi size). All rois, channels, bins and samples are computed at once.

MXNet 1.9.1 rules encoded here (checked against the oracle):
- Roi corners are rounded half away from zero, scaled, and shifted by -0.5; the roi extent is
  at least 0.1 feature pixels. ``part_size`` 0 means ``pooled_size``.
- A sample outside [-0.5, size - 0.5] on either axis is skipped; a bin with no sample is 0.
  Samples inside are clamped to [0, size - 1] before interpolation.
- Gradients w.r.t. data and trans are the derivatives of this computation (at a clamped or
  integer sample position both corners coincide, so the trans gradient there is 0, as in
  MXNet). The gradient w.r.t. ``rois`` is zero.
- The graph node has a hidden second output (the sample count per bin, see ``_outputs.py``);
  the imperative call returns only the pooled output.
"""
import torch

from ..base import DTypeError, ShapeError
from ._attrs import BOOL, FLOAT, INT
from ._registry import Attr, defop

_OP = "DeformablePSROIPooling"


def _inputs(attrs):
    return ("data", "rois") if attrs["no_trans"] else ("data", "rois", "trans")


def _round_half_away(x):
    return torch.where(x >= 0, torch.floor(x + 0.5), torch.ceil(x - 0.5))


def _check(data, rois, trans, output_dim, group, part, no_trans):
    if data.dim() != 4:
        raise ShapeError(f"{_OP}: data must be (N, C, H, W), got {tuple(data.shape)}")
    if rois.dim() != 2 or rois.shape[1] != 5:
        raise ShapeError(f"{_OP}: rois must be (num_rois, 5), got {tuple(rois.shape)}")
    if not data.is_floating_point():
        name = str(data.dtype).replace("torch.", "")
        raise DTypeError(f"{_OP}: data must be a floating-point array, got {name}")
    if output_dim < 1 or group < 1:
        raise ShapeError(f"{_OP}: output_dim and group_size must be positive, got "
                         f"{output_dim} and {group}")
    if data.shape[1] < output_dim * group * group:
        raise ShapeError(f"{_OP}: data has {data.shape[1]} channels, expected at least "
                         f"output_dim * group_size^2 = {output_dim * group * group}")
    if no_trans:
        return 1
    if trans is None:
        raise ShapeError(f"{_OP}: trans is required unless no_trans=True")
    want = (rois.shape[0], part, part)
    if (trans.dim() != 4 or trans.shape[1] < 2 or trans.shape[1] % 2
            or (trans.shape[0],) + tuple(trans.shape[2:]) != want
            or output_dim % (trans.shape[1] // 2)):
        raise ShapeError(f"{_OP}: trans must be (num_rois, 2 * num_classes, part_size, part_size)"
                         f" = ({want[0]}, 2*K, {part}, {part}) with output_dim ({output_dim}) "
                         f"divisible by K, got {tuple(trans.shape)}")
    return trans.shape[1] // 2


def _interp(flat, plane, y, x, width):
    """Bilinear reads at in-range (y, x) from ``flat``; ``plane`` is each channel's flat offset.

    The upper corner is ceil (not floor + 1), so at integer positions both corners coincide and
    the gradient w.r.t. the position is 0, as in MXNet."""
    y0, x0 = torch.floor(y.detach()), torch.floor(x.detach())
    dy, dx = y - y0, x - x0
    row0 = plane + y0.long() * width                  # one int64 add per row, not per sample
    row1 = plane + torch.ceil(y.detach()).long() * width
    c0, c1 = x0.long(), torch.ceil(x.detach()).long()
    top, top_r = flat.take(row0 + c0), flat.take(row0 + c1)
    bottom, bottom_r = flat.take(row1 + c0), flat.take(row1 + c1)
    top = top + (top_r - top) * dx
    return top + (bottom + (bottom_r - bottom) * dx - top) * dy


def _offsets(data, trans, rois_n, classes, pooled, part, trans_std):
    """Per (roi, class, bin) shift along y and x, each (R, K, P, P) (K is 1 without trans)."""
    if trans is None:
        zero = data.new_zeros((rois_n, 1, pooled, pooled))
        return zero, zero
    idx = torch.arange(pooled, dtype=data.dtype, device=trans.device)
    part_idx = torch.floor(idx / pooled * part).long().clamp(max=part - 1)
    t = trans.reshape(rois_n, classes, 2, part, part)
    t = t[:, :, :, part_idx][:, :, :, :, part_idx] * trans_std            # (R, K, 2, P, P)
    return t[:, :, 1], t[:, :, 0]


@defop("_contrib_DeformablePSROIPooling", inputs=_inputs, all_inputs=("data", "rois", "trans"),
       attrs=(Attr("spatial_scale", FLOAT, doc="Scale from roi to feature coordinates"),
              Attr("output_dim", INT, doc="Output channels"),
              Attr("group_size", INT, doc="Position-sensitive groups per side"),
              Attr("pooled_size", INT, doc="Bins per side"),
              Attr("part_size", INT, 0, "Offset cells per side in trans (0: pooled_size)"),
              Attr("sample_per_part", INT, 1, "Samples per bin side"),
              Attr("trans_std", FLOAT, 0.0, "Scale of the offsets in trans"),
              Attr("no_trans", BOOL, False, "Pool without offsets (no trans input)")))
def deformable_psroi_pooling(data, rois, trans=None, *, spatial_scale, output_dim, group_size,
                             pooled_size, part_size, sample_per_part, trans_std, no_trans):
    """Deformable position-sensitive ROI pooling (Deformable R-FCN).

    Output is (num_rois, output_dim, pooled_size, pooled_size); output channel d, bin (i, j)
    averages channel (d * group_size + gi) * group_size + gj of data over the bin shifted by
    ``trans[roi, 2k:2k+2, pi, pj] * trans_std * roi size`` (k: d's class, pi/pj: its part).
    """
    part = part_size or pooled_size
    classes = _check(data, rois, trans, output_dim, group_size, part, no_trans)
    trans = None if no_trans else trans
    height, width = data.shape[2:]
    p, s, r = pooled_size, max(sample_per_part, 0), rois.shape[0]
    if data.is_meta or r == 0 or s == 0 or p == 0:
        return data.new_zeros((r, output_dim, p, p))
    boxes = rois.detach().to(data.dtype)
    start, extent = _roi_extent(boxes, spatial_scale)
    off_y, off_x = _offsets(data, trans, r, classes, p, part, trans_std)
    # y varies with the bin row, x with the bin column; both with the class and part. Sample
    # positions are shared by the channels of one class: (R, K, 1, P, P, S, 1) and (..., 1, S).
    ys = _bin_samples(start[:, 1], extent[:, 1], off_y, p, s, rows=True)[:, :, None, ..., None]
    xs = _bin_samples(start[:, 0], extent[:, 0], off_x, p, s, rows=False)[:, :, None, ..., None, :]
    ok = ((ys >= -0.5) & (ys <= height - 0.5)) & ((xs >= -0.5) & (xs <= width - 0.5))
    ys, xs = ys.clamp(0, height - 1), xs.clamp(0, width - 1)
    plane, valid = _planes(boxes, data.shape, output_dim, group_size, p)
    plane = plane.view(r, ys.shape[1], -1, p, p, 1, 1)                       # (R, K, D/K, P, P)
    vals = _interp(data.reshape(-1), plane, ys, xs, width)
    vals = torch.where(ok, vals, torch.zeros((), dtype=vals.dtype, device=vals.device))
    count = ok.sum((-2, -1))
    out = torch.where(count > 0, vals.sum((-2, -1)) / count.clamp(min=1).to(vals.dtype), 0)
    return out.reshape(r, output_dim, p, p) * valid.view(-1, 1, 1, 1).to(out.dtype)


def _roi_extent(boxes, spatial_scale):
    """Top-left corner (x, y) and extent (w, h) of each roi in feature coordinates, (R, 2)."""
    corner = _round_half_away(boxes[:, 1:])
    start = corner[:, :2] * spatial_scale - 0.5
    end = (corner[:, 2:] + 1) * spatial_scale - 0.5
    return start, (end - start).clamp(min=0.1)


def _planes(boxes, shape, output_dim, group, pooled):
    """Flat offset of the data plane each (roi, channel, bin) reads, (R, D, P, P, 1, 1), and
    whether the roi's batch index names an image."""
    num, channels, height, width = shape
    g = (torch.arange(pooled, dtype=boxes.dtype, device=boxes.device) * group / pooled).floor()
    g = g.long().clamp(0, group - 1)
    chan = (torch.arange(output_dim, device=boxes.device).view(-1, 1, 1) * group
            + g.view(1, -1, 1)) * group + g.view(1, 1, -1)                   # (D, P, P)
    batch = boxes[:, 0].long()
    plane = (batch.clamp(0, num - 1).view(-1, 1, 1, 1) * channels + chan) * (height * width)
    return plane.unsqueeze(-1).unsqueeze(-1), (batch >= 0) & (batch < num)


def _bin_samples(start, extent, offset, pooled, samples, rows):
    """Sample positions (R, D, P, P, S) along one axis; the axis follows bin rows or columns."""
    bin_size = extent / pooled
    sub = bin_size / samples
    idx = torch.arange(pooled, dtype=start.dtype, device=start.device)
    idx = idx.view(1, 1, -1, 1) if rows else idx.view(1, 1, 1, -1)
    begin = idx * bin_size.view(-1, 1, 1, 1) + start.view(-1, 1, 1, 1)
    begin = begin + offset * extent.view(-1, 1, 1, 1)
    step = torch.arange(samples, dtype=start.dtype, device=start.device)
    return begin.unsqueeze(-1) + step * sub.view(-1, 1, 1, 1, 1)
