"""Spatial sampling and region-of-interest operators.

GridGenerator / BilinearSampler / SpatialTransformer use normalized coordinates in [-1, 1]
with -1 and 1 at the centres of the corner pixels (torch's ``align_corners=True``); the grid
has the x coordinate in channel 0 and y in channel 1, and points outside read zeros.

The ROI operators read rows ``[batch_index, x1, y1, x2, y2]`` (RROIAlign:
``[batch_index, cx, cy, w, h, angle_degrees]``) scaled by ``spatial_scale``. Rois get no
gradient, as in MXNet. Bins are gathered with flat indices, so every roi costs memory
proportional to its samples only (never a copy of the feature map per roi).
"""
import math

import torch
import torch.nn.functional as F

from ..base import ShapeError
from ._attrs import BOOL, FLOAT, INT, OPT_BOOL, SHAPE, Enum
from ._registry import Attr, defop

# --------------------------------------------------------------------------------------------
# grids and bilinear sampling
# --------------------------------------------------------------------------------------------


def _affine_grid(theta, target_shape):
    if theta.dim() != 2 or theta.shape[1] != 6:
        raise ShapeError(f"GridGenerator: affine data must be (batch, 6), got "
                         f"{tuple(theta.shape)}")
    height, width = target_shape
    size = (theta.shape[0], 1, height, width)
    grid = F.affine_grid(theta.reshape(-1, 2, 3), size, align_corners=True)
    return grid.permute(0, 3, 1, 2)


def _warp_grid(flow):
    if flow.dim() != 4 or flow.shape[1] != 2:
        raise ShapeError(f"GridGenerator: warp data must be a flow field (batch, 2, H, W), "
                         f"got {tuple(flow.shape)}")
    height, width = flow.shape[2:]
    ys = torch.arange(height, dtype=flow.dtype, device=flow.device).view(height, 1)
    xs = torch.arange(width, dtype=flow.dtype, device=flow.device).view(1, width)
    # NOTE: normalization by (size - 1) / 2 matches MXNet; a size of 1 divides by zero there too.
    x = (flow[:, 0] + xs) / ((width - 1) / 2.0) - 1
    y = (flow[:, 1] + ys) / ((height - 1) / 2.0) - 1
    return torch.stack((x, y), dim=1)


@defop("GridGenerator", inputs=("data",),
       attrs=(Attr("transform_type", Enum("affine", "warp"), doc="Kind of transformation"),
              Attr("target_shape", SHAPE, (0, 0), "Output (height, width) for 'affine'")))
def grid_generator(data, transform_type, target_shape):
    """Sampling grid (batch, 2, H, W) from affine parameters (batch, 6) or a flow field."""
    if transform_type == "affine":
        return _affine_grid(data, _target(target_shape, "GridGenerator"))
    return _warp_grid(data)


def _target(target_shape, op):
    if len(target_shape) != 2 or min(target_shape) <= 0:
        raise ShapeError(f"{op}: target_shape must be (height, width) with positive sizes, "
                         f"got {tuple(target_shape)}")
    return tuple(target_shape)


def _sample(data, grid):
    return F.grid_sample(data, grid.permute(0, 2, 3, 1), mode="bilinear",
                         padding_mode="zeros", align_corners=True)


@defop("BilinearSampler", inputs=("data", "grid"),
       attrs=(Attr("cudnn_off", OPT_BOOL, None, "Unused (cuDNN switch)"),))
def bilinear_sampler(data, grid, cudnn_off):
    """Sample ``data`` (N, C, H, W) at ``grid`` (N, 2, Ho, Wo) bilinearly; outside reads 0."""
    if data.dim() != 4 or grid.dim() != 4 or grid.shape[1] != 2 \
            or grid.shape[0] != data.shape[0]:
        raise ShapeError(f"BilinearSampler: expected data (N, C, H, W) and grid (N, 2, H', W'),"
                         f" got data {tuple(data.shape)} and grid {tuple(grid.shape)}")
    return _sample(data, grid)


@defop("SpatialTransformer", inputs=("data", "loc"),
       attrs=(Attr("target_shape", SHAPE, (0, 0), "Output (height, width)"),
              Attr("transform_type", Enum("affine"), doc="Kind of transformation"),
              Attr("sampler_type", Enum("bilinear"), doc="Kind of sampler"),
              Attr("cudnn_off", OPT_BOOL, None, "Unused (cuDNN switch)")))
def spatial_transformer(data, loc, target_shape, transform_type, sampler_type, cudnn_off):
    """Affine grid from ``loc`` (N, 6) sampled bilinearly from ``data``."""
    if data.dim() != 4:
        raise ShapeError(f"SpatialTransformer: data must be (N, C, H, W), got "
                         f"{tuple(data.shape)}")
    grid = _affine_grid(loc.reshape(loc.shape[0], -1), _target(target_shape,
                                                                "SpatialTransformer"))
    return _sample(data, grid)


# --------------------------------------------------------------------------------------------
# ROI helpers
# --------------------------------------------------------------------------------------------


def _check_rois(op, data, rois, width):
    if data.dim() != 4:
        raise ShapeError(f"{op}: data must be (N, C, H, W), got {tuple(data.shape)}")
    if rois.dim() != 2 or rois.shape[1] != width:
        raise ShapeError(f"{op}: rois must be (num_rois, {width}), got {tuple(rois.shape)}")


def _bilinear(flat, plane, y, x, height, width):
    """Bilinear reads at (y, x) from ``flat`` (the data flattened) with Detectron's edge rules:
    samples beyond one pixel outside read 0, samples within it read the clamped border.

    ``plane`` is the flat offset of each (batch, channel) plane; all arguments broadcast.
    """
    inside = ((y >= -1) & (y <= height) & (x >= -1) & (x <= width)).to(flat.dtype)
    y = y.clamp(min=0)
    x = x.clamp(min=0)
    y0f, x0f = y.floor(), x.floor()
    y_edge, x_edge = y0f >= height - 1, x0f >= width - 1
    y0 = y0f.clamp(max=height - 1).long()
    x0 = x0f.clamp(max=width - 1).long()
    y1 = (y0 + 1).clamp(max=height - 1)
    x1 = (x0 + 1).clamp(max=width - 1)
    ly = torch.where(y_edge, torch.zeros_like(y), y - y0f)
    lx = torch.where(x_edge, torch.zeros_like(x), x - x0f)
    hy, hx = 1 - ly, 1 - lx
    rows0, rows1 = plane + y0 * width, plane + y1 * width
    value = (hy * hx * flat.take(rows0 + x0) + hy * lx * flat.take(rows0 + x1)
             + ly * hx * flat.take(rows1 + x0) + ly * lx * flat.take(rows1 + x1))
    return value * inside


def _roi_batch(rois, batch):
    """Batch index of each roi (int64) and whether it names an existing image."""
    index = rois[:, 0].long()
    return index.clamp(0, max(batch - 1, 0)), (index >= 0) & (index < batch)


def _grid_size(extent, pooled, ratio):
    """Samples per bin along one axis: fixed ``ratio`` or ceil(extent / pooled) per roi."""
    if ratio > 0:
        return torch.full_like(extent, ratio, dtype=torch.int64), ratio
    count = torch.ceil(extent / pooled).long().clamp(min=1)
    # NOTE: adaptive sampling makes the sample count data dependent (one host sync).
    return count, int(count.max()) if count.numel() else 1


def _sample_offsets(start, bin_size, pooled, count, most):
    """Sample coordinates (R, pooled, most) and a mask of the real ones (R, 1, most)."""
    steps = torch.arange(pooled, dtype=start.dtype, device=start.device).view(1, pooled, 1)
    sub = torch.arange(most, dtype=start.dtype, device=start.device).view(1, 1, most)
    countf = count.to(start.dtype).view(-1, 1, 1)
    coord = (start.view(-1, 1, 1) + steps * bin_size.view(-1, 1, 1)
             + (sub + 0.5) * bin_size.view(-1, 1, 1) / countf)
    return coord, (sub < countf)


# --------------------------------------------------------------------------------------------
# ROIAlign, RROIAlign
# --------------------------------------------------------------------------------------------


def _roi_align_out(data, rois, pooled_size, position_sensitive, op):
    num, channels, height, width = data.shape
    ph, pw = pooled_size
    out_c = channels
    if position_sensitive:
        if channels % (ph * pw):
            raise ShapeError(f"{op}: position_sensitive needs channels divisible by "
                             f"{ph}*{pw}, got {channels}")
        out_c = channels // (ph * pw)
    return rois.shape[0], out_c, ph, pw


def _plane_offsets(batch_idx, out_c, pooled, position_sensitive, channels, hw):
    """Flat offsets (R, C_out, PH, 1, PW, 1) of the plane each output bin reads."""
    ph, pw = pooled
    dev = batch_idx.device
    c = torch.arange(out_c, device=dev).view(1, out_c, 1, 1, 1, 1)
    if position_sensitive:
        c = (c * ph + torch.arange(ph, device=dev).view(1, 1, ph, 1, 1, 1)) * pw \
            + torch.arange(pw, device=dev).view(1, 1, 1, 1, pw, 1)
    return (batch_idx.view(-1, 1, 1, 1, 1, 1) * channels + c) * hw


def _pool_samples(data, rois_b, y, x, ymask, xmask, out_shape, pooled, position_sensitive):
    """Average the bilinear samples y (R, PH, Gy), x (R, PW, Gx) of each bin."""
    num, channels, height, width = data.shape
    batch_idx, valid = rois_b
    plane = _plane_offsets(batch_idx, out_shape[1], pooled, position_sensitive, channels,
                           height * width)
    ys = y.view(y.shape[0], 1, y.shape[1], y.shape[2], 1, 1)
    xs = x.view(x.shape[0], 1, 1, 1, x.shape[1], x.shape[2])
    vals = _bilinear(data.reshape(-1), plane, ys, xs, height, width)
    weight = (ymask.view(ymask.shape[0], 1, 1, -1, 1, 1)
              * xmask.view(xmask.shape[0], 1, 1, 1, 1, -1)).to(data.dtype)
    count = weight.sum(dim=(3, 5)).clamp(min=1)
    out = (vals * weight).sum(dim=(3, 5)) / count
    return out * valid.view(-1, 1, 1, 1).to(data.dtype)


@defop("_contrib_ROIAlign", inputs=("data", "rois"),
       attrs=(Attr("pooled_size", SHAPE, doc="Output (height, width)"),
              Attr("spatial_scale", FLOAT, doc="Scale from roi to feature coordinates"),
              Attr("sample_ratio", INT, -1, "Samples per bin axis (<=0: adaptive)"),
              Attr("position_sensitive", BOOL, False, "Each bin reads its own channel group"),
              Attr("aligned", BOOL, False, "Shift coordinates by half a pixel")))
def roi_align(data, rois, pooled_size, spatial_scale, sample_ratio, position_sensitive,
              aligned):
    """ROIAlign: average of bilinear samples in each of pooled_size bins per roi."""
    _check_rois("ROIAlign", data, rois, 5)
    out_shape = _roi_align_out(data, rois, pooled_size, position_sensitive, "ROIAlign")
    if data.is_meta or rois.shape[0] == 0:
        return data.new_zeros(out_shape)
    boxes = rois.detach().to(data.dtype)
    offset = 0.5 if aligned else 0.0
    x1, y1 = boxes[:, 1] * spatial_scale - offset, boxes[:, 2] * spatial_scale - offset
    roi_w = boxes[:, 3] * spatial_scale - offset - x1
    roi_h = boxes[:, 4] * spatial_scale - offset - y1
    if not aligned:
        # NOTE: legacy mode forces rois to be at least 1x1 (malformed rois included).
        roi_w, roi_h = roi_w.clamp(min=1.0), roi_h.clamp(min=1.0)
    ph, pw = pooled_size
    gy, most_y = _grid_size(roi_h, ph, sample_ratio)
    gx, most_x = _grid_size(roi_w, pw, sample_ratio)
    y, ymask = _sample_offsets(y1, roi_h / ph, ph, gy, most_y)
    x, xmask = _sample_offsets(x1, roi_w / pw, pw, gx, most_x)
    rois_b = _roi_batch(boxes, data.shape[0])
    if not position_sensitive:
        return _separable_pool(data, rois_b, _axis_weights(y, ymask, gy, data.shape[2]),
                               _axis_weights(x, xmask, gx, data.shape[3]))
    return _pool_samples(data, rois_b, y, x, ymask, xmask, out_shape, pooled_size,
                         position_sensitive)


def _axis_weights(coord, mask, count, size):
    """Averaging weights (R, pooled, size) of the bilinear samples along one axis.

    A bin's average of bilinear samples on a grid of ``gy x gx`` points factors into one
    weight matrix per axis (the reads, their edge rules and the outside test are all
    per-axis), so a bin is ``Wy @ plane @ Wx.T``: the work no longer grows with the sample
    grid, which is large for big rois under adaptive sampling.
    """
    inside = ((coord >= -1) & (coord <= size)).to(coord.dtype) * mask.to(coord.dtype)
    inside = inside / count.to(coord.dtype).view(-1, 1, 1)
    c = coord.clamp(min=0)
    low_f = c.floor()
    edge = low_f >= size - 1
    low = low_f.clamp(max=size - 1).long()
    high = (low + 1).clamp(max=size - 1)
    frac = torch.where(edge, torch.zeros_like(c), c - low_f)
    weights = coord.new_zeros(coord.shape[:2] + (size,))
    weights.scatter_add_(2, low, (1 - frac) * inside)
    weights.scatter_add_(2, high, frac * inside)
    return weights


# rois per chunk of the separable pooling: bounds the (chunk, pooled_h, C, W) intermediate
_SEPARABLE_ELEMENTS = 1 << 24


def _separable_pool(data, rois_b, wy, wx):
    """Bins ``Wy[r] @ data[b_r, c] @ Wx[r].T`` (R, C, PH, PW) for each image's rois."""
    num, channels, height, width = data.shape
    batch_idx, valid = rois_b
    rows, ph, pw = wy.shape[0], wy.shape[1], wx.shape[1]
    wy, wx = wy.to(data.dtype), wx.to(data.dtype) * valid.view(-1, 1, 1).to(data.dtype)
    chunk = max(1, _SEPARABLE_ELEMENTS // max(1, ph * channels * width))
    images = batch_idx.tolist()
    pieces, order = [], []
    for b in sorted(set(images)):
        picked = (batch_idx == b).nonzero().view(-1)
        planes = data[b].transpose(0, 1).reshape(height, channels * width)     # (H, C*W)
        for start in range(0, picked.numel(), chunk):
            sel = picked[start:start + chunk]
            rows_y = wy.index_select(0, sel).reshape(-1, height) @ planes  # (r*PH, C*W)
            rows_y = rows_y.view(sel.numel(), ph * channels, width)
            out = rows_y @ wx.index_select(0, sel).transpose(1, 2)        # (r, PH*C, PW)
            pieces.append(out.view(sel.numel(), ph, channels, pw).transpose(1, 2))
            order.append(sel)
    out = torch.cat(pieces)
    if len(pieces) > 1:
        out = out.index_select(0, torch.argsort(torch.cat(order)))
    return out.contiguous()


@defop("_contrib_RROIAlign", inputs=("data", "rois"),
       attrs=(Attr("pooled_size", SHAPE, doc="Output (height, width)"),
              Attr("spatial_scale", FLOAT, doc="Scale from roi to feature coordinates"),
              Attr("sampling_ratio", INT, -1, "Samples per bin axis (<=0: adaptive)")))
def rroi_align(data, rois, pooled_size, spatial_scale, sampling_ratio):
    """Rotated ROIAlign; rois are [batch, cx, cy, w, h, angle in degrees (counter-clockwise)]."""
    _check_rois("RROIAlign", data, rois, 6)
    out_shape = (rois.shape[0], data.shape[1]) + tuple(pooled_size)
    if data.is_meta or rois.shape[0] == 0:
        return data.new_zeros(out_shape)
    boxes = rois.detach().to(data.dtype)
    cx, cy = boxes[:, 1] * spatial_scale, boxes[:, 2] * spatial_scale
    roi_w = (boxes[:, 3] * spatial_scale).clamp(min=1.0)
    roi_h = (boxes[:, 4] * spatial_scale).clamp(min=1.0)
    theta = boxes[:, 5] * (math.pi / 180.0)
    ph, pw = pooled_size
    gy, most_y = _grid_size(roi_h, ph, sampling_ratio)
    gx, most_x = _grid_size(roi_w, pw, sampling_ratio)
    yy, ymask = _sample_offsets(-roi_h / 2, roi_h / ph, ph, gy, most_y)
    xx, xmask = _sample_offsets(-roi_w / 2, roi_w / pw, pw, gx, most_x)
    rows = yy.shape[0]
    yy = yy.view(rows, ph, most_y, 1, 1)
    xx = xx.view(rows, 1, 1, pw, most_x)
    cos, sin = torch.cos(theta).view(-1, 1, 1, 1, 1), torch.sin(theta).view(-1, 1, 1, 1, 1)
    x = xx * cos + yy * sin + cx.view(-1, 1, 1, 1, 1)
    y = yy * cos - xx * sin + cy.view(-1, 1, 1, 1, 1)
    num, channels, height, width = data.shape
    batch_idx, valid = _roi_batch(boxes, num)
    plane = (batch_idx.view(-1, 1, 1, 1, 1, 1) * channels
             + torch.arange(channels, device=data.device).view(1, -1, 1, 1, 1, 1)) \
        * (height * width)
    vals = _bilinear(data.reshape(-1), plane, y.unsqueeze(1), x.unsqueeze(1), height, width)
    weight = (ymask.view(rows, 1, 1, most_y, 1, 1)
              * xmask.view(rows, 1, 1, 1, 1, most_x)).to(data.dtype)
    vals = vals.view(rows, channels, ph, most_y, pw, most_x)
    out = (vals * weight).sum(dim=(3, 5)) / weight.sum(dim=(3, 5)).clamp(min=1)
    return out * valid.view(-1, 1, 1, 1).to(data.dtype)


# --------------------------------------------------------------------------------------------
# ROIPooling, PSROIPooling
# --------------------------------------------------------------------------------------------


def _round_half_away(x):
    return torch.where(x >= 0, torch.floor(x + 0.5), torch.ceil(x - 0.5))


def _bin_edges(start, extent, pooled, limit):
    """Integer [begin, end) of each bin (R, pooled), clipped to [0, limit]."""
    steps = torch.arange(pooled, dtype=extent.dtype, device=extent.device).view(1, -1)
    size = (extent / pooled).view(-1, 1)
    begin = torch.floor(steps * size).long() + start.view(-1, 1)
    end = torch.ceil((steps + 1) * size).long() + start.view(-1, 1)
    return begin.clamp(0, limit), end.clamp(0, limit)


@defop("ROIPooling", inputs=("data", "rois"),
       attrs=(Attr("pooled_size", SHAPE, doc="Output (height, width)"),
              Attr("spatial_scale", FLOAT, doc="Scale from roi to feature coordinates")))
def roi_pooling(data, rois, pooled_size, spatial_scale):
    """Max pooling over pooled_size bins of each roi (Fast R-CNN); empty bins give 0."""
    _check_rois("ROIPooling", data, rois, 5)
    num, channels, height, width = data.shape
    ph, pw = pooled_size
    if data.is_meta or rois.shape[0] == 0:
        return data.new_zeros((rois.shape[0], channels, ph, pw))
    boxes = rois.detach().to(torch.float64 if data.dtype == torch.float64 else torch.float32)
    coords = _round_half_away(boxes[:, 1:] * spatial_scale).long()
    x1, y1, x2, y2 = coords.unbind(1)
    roi_w = (x2 - x1 + 1).clamp(min=1).to(boxes.dtype)
    roi_h = (y2 - y1 + 1).clamp(min=1).to(boxes.dtype)
    hs, he = _bin_edges(y1, roi_h, ph, height)
    ws, we = _bin_edges(x1, roi_w, pw, width)
    kh, kw = int((he - hs).max()), int((we - ws).max())  # NOTE: one host sync per call
    kh, kw = max(kh, 1), max(kw, 1)
    rows = hs.unsqueeze(2) + torch.arange(kh, device=data.device)       # (R, PH, KH)
    cols = ws.unsqueeze(2) + torch.arange(kw, device=data.device)       # (R, PW, KW)
    row_ok, col_ok = rows < he.unsqueeze(2), cols < we.unsqueeze(2)
    batch_idx, valid = _roi_batch(boxes, num)
    plane = (batch_idx.view(-1, 1, 1, 1, 1, 1) * channels
             + torch.arange(channels, device=data.device).view(1, -1, 1, 1, 1, 1)) \
        * (height * width)
    r = rows.clamp(max=height - 1).view(-1, 1, ph, kh, 1, 1)
    c = cols.clamp(max=width - 1).view(-1, 1, 1, 1, pw, kw)
    vals = data.reshape(-1).take(plane + r * width + c)
    ok = row_ok.view(-1, 1, ph, kh, 1, 1) & col_ok.view(-1, 1, 1, 1, pw, kw)
    vals = vals.masked_fill(~ok, float("-inf"))
    # NOTE: reduce columns first, then rows, so ties go to the first maximum in row-major
    # order as in MXNet.
    vals = vals.permute(0, 1, 2, 4, 3, 5).reshape(rows.shape[0], channels, ph, pw, kh, kw)
    best = vals.max(dim=5).values.max(dim=4).values
    empty = ~(ok.any(dim=5).any(dim=3)).view(-1, 1, ph, pw) | ~valid.view(-1, 1, 1, 1)
    return best.masked_fill(empty, 0.0)


@defop("_contrib_PSROIPooling", inputs=("data", "rois"),
       attrs=(Attr("spatial_scale", FLOAT, doc="Scale from roi to feature coordinates"),
              Attr("output_dim", INT, doc="Output channels"),
              Attr("pooled_size", INT, doc="Bins per side"),
              Attr("group_size", INT, 0, "Position-sensitive groups per side (0: pooled_size)")))
def psroi_pooling(data, rois, spatial_scale, output_dim, pooled_size, group_size):
    """Position-sensitive average ROI pooling (R-FCN)."""
    _check_rois("PSROIPooling", data, rois, 5)
    num, channels, height, width = data.shape
    group = group_size or pooled_size
    if channels != output_dim * group * group:
        raise ShapeError(f"PSROIPooling: data has {channels} channels, expected output_dim * "
                         f"group_size^2 = {output_dim * group * group}")
    p = pooled_size
    if data.is_meta or rois.shape[0] == 0:
        return data.new_zeros((rois.shape[0], output_dim, p, p))
    boxes = rois.detach().to(torch.float64 if data.dtype == torch.float64 else torch.float32)
    x1 = _round_half_away(boxes[:, 1]) * spatial_scale
    y1 = _round_half_away(boxes[:, 2]) * spatial_scale
    x2 = (_round_half_away(boxes[:, 3]) + 1) * spatial_scale
    y2 = (_round_half_away(boxes[:, 4]) + 1) * spatial_scale
    roi_w, roi_h = (x2 - x1).clamp(min=0.1), (y2 - y1).clamp(min=0.1)
    steps = torch.arange(p, dtype=boxes.dtype, device=data.device).view(1, -1)
    hs = torch.floor(steps * (roi_h / p).view(-1, 1) + y1.view(-1, 1)).long().clamp(0, height)
    he = torch.ceil((steps + 1) * (roi_h / p).view(-1, 1) + y1.view(-1, 1)).long() \
        .clamp(0, height)
    ws = torch.floor(steps * (roi_w / p).view(-1, 1) + x1.view(-1, 1)).long().clamp(0, width)
    we = torch.ceil((steps + 1) * (roi_w / p).view(-1, 1) + x1.view(-1, 1)).long() \
        .clamp(0, width)
    # Window sums from a summed-area table (in float64 for float32 inputs: exact enough).
    acc = torch.float64 if data.dtype in (torch.float32, torch.float64) else torch.float32
    table = F.pad(data.to(acc).cumsum(2).cumsum(3), (1, 0, 1, 0))
    batch_idx, valid = _roi_batch(boxes, num)
    g = torch.arange(p, device=data.device) * group // p
    g = g.clamp(0, group - 1)
    chan = (torch.arange(output_dim, device=data.device).view(1, -1, 1, 1) * group
            + g.view(1, 1, -1, 1)) * group + g.view(1, 1, 1, -1)          # (1, D, P, P)
    plane = (batch_idx.view(-1, 1, 1, 1) * channels + chan) * ((height + 1) * (width + 1))
    flat = table.reshape(-1)

    def corner(r, c):
        return flat.take(plane + r.view(-1, 1, p, 1) * (width + 1) + c.view(-1, 1, 1, p))
    total = corner(he, we) - corner(hs, we) - corner(he, ws) + corner(hs, ws)
    area = ((he - hs).view(-1, 1, p, 1) * (we - ws).view(-1, 1, 1, p)).to(acc)
    out = torch.where(area > 0, total / area.clamp(min=1), torch.zeros_like(total))
    return (out * valid.view(-1, 1, 1, 1).to(acc)).to(data.dtype)
