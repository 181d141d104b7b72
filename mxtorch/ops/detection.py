"""Object-detection operators: box_nms, box_iou, box_encode/decode, bipartite_matching, the SSD
MultiBox* ops and the Faster R-CNN Proposal/MultiProposal.

These ops have data-dependent control flow (greedy NMS, greedy matching). They are written
with whole-tensor torch ops where that keeps MXNet's exact order of decisions, and with small
loops (over batch items or matching rounds) elsewhere. Their output shapes only depend on input
shapes, so on ``meta`` tensors they return empty tensors of the right shape.

MXNet rules encoded here (checked against 1.9.1):
- Sorting is stable (ties keep input order), scores descending.
- box_nms suppresses when IoU > overlap_thresh; MultiBoxDetection when IoU >= nms_threshold.
- Most of these ops pass no gradient (MXNet's backward writes zeros): their outputs are
  detached here, which the autograd layer turns into zero gradients.
"""
import torch

from ..base import AttributeParseError, ShapeError
from ._attrs import BOOL, FLOAT, FLOATS, INT, Enum
from ._registry import Attr, defop

_BIG = torch.iinfo(torch.int64).max  # rank of entries that may not be matched


def _is_meta(t):
    return t.device.type == "meta"


def _stable_sort(key, dim=-1, descending=False):
    return torch.sort(key, dim=dim, descending=descending, stable=True)


def _to_corner(boxes):
    """(cx, cy, w, h) -> (x1, y1, x2, y2) along the last axis."""
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), -1)


def _to_center(boxes):
    x1, y1, x2, y2 = boxes.unbind(-1)
    w, h = x2 - x1, y2 - y1
    return torch.stack((x1 + w / 2, y1 + h / 2, w, h), -1)


def _pair_overlap(a, b):
    """Intersection and union of every box in ``a`` (..., N, 4) with every box in ``b`` (..., M, 4),
    corner format; returns two (..., N, M) tensors."""
    a = a.unsqueeze(-2)
    b = b.unsqueeze(-3)
    w = (torch.minimum(a[..., 2], b[..., 2]) - torch.maximum(a[..., 0], b[..., 0])).clamp(min=0)
    h = (torch.minimum(a[..., 3], b[..., 3]) - torch.maximum(a[..., 1], b[..., 1])).clamp(min=0)
    inter = w * h
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    return inter, area_a + area_b - inter


def _guarded_iou(a, b):
    """IoU that is 0 where the union is not positive (box_iou, MultiBox*)."""
    inter, union = _pair_overlap(a, b)
    return torch.where(union > 0, inter / torch.where(union > 0, union, 1), 0)


def _suppression(a, b, thresh, rule, ida=None, idb=None):
    """Which boxes of ``a`` (..., N, 4) would remove which boxes of ``b`` (..., M, 4).

    rule "gt": IoU > thresh, 0/0 stays NaN (box_nms); "ge": IoU >= thresh with IoU 0 for an
    empty union (MultiBoxDetection); "pixel": +1 pixel sizes, IoU > thresh (Proposal).
    With ids, only boxes of the same id suppress each other.
    """
    if rule == "pixel":
        a, b = a.clone(), b.clone()
        a[..., 2:] += 1
        b[..., 2:] += 1
    inter, union = _pair_overlap(a, b)
    if rule == "ge":
        out = torch.where(union > 0, inter / torch.where(union > 0, union, 1), 0) >= thresh
    else:
        out = inter / union > thresh
    if ida is not None:
        out &= ida.unsqueeze(-1) == idb.unsqueeze(-2)
    return out


def _fixed_point(suppress, cand):
    """Greedy NMS inside one block of boxes in priority order (``suppress[..., i, j]``: i removes
    j). A box is kept iff it is a candidate and no earlier kept box removes it. Iterating that
    rule fixes one more prefix entry per round, so it reaches the unique fixed point in at most
    N rounds; in practice a few."""
    n = suppress.shape[-1]
    suppress = suppress & torch.ones(n, n, dtype=torch.bool, device=suppress.device).triu(1)
    keep = cand
    for _ in range(n + 1):
        new = cand & ~(suppress & keep.unsqueeze(-1)).any(-2)
        if torch.equal(new, keep):
            break
        keep = new
    return keep


_BLOCK = 256


def _greedy_nms(boxes, cand, thresh, rule, ids=None, limit=None):
    """Greedy NMS of (B, N, 4) corner boxes sorted by priority; ``cand`` (B, N) marks the
    boxes taking part. Returns the kept mask (B, N). With ``limit``, work stops once that many
    boxes are kept (later boxes are then not kept)."""
    B, N = cand.shape
    if N <= _BLOCK:
        return _fixed_point(_suppression(boxes, boxes, thresh, rule, ids, ids), cand)
    keep = [_blocked_nms(boxes[b], cand[b], thresh, rule, None if ids is None else ids[b],
                         limit) for b in range(B)]
    return torch.stack(keep)


def _blocked_nms(boxes, cand, thresh, rule, ids, limit):
    """One item of ``_greedy_nms``: blocks of boxes are checked against the boxes kept so far,
    then resolved among themselves; cost O(kept * N) instead of O(N^2)."""
    if ids is not None:
        return _per_class_nms(boxes, cand, thresh, rule, ids)
    n = cand.shape[0]
    keep = torch.zeros_like(cand)
    kept = torch.zeros(0, dtype=torch.long, device=cand.device)
    for s in range(0, n, _BLOCK):
        e = min(n, s + _BLOCK)
        c = cand[s:e]
        if kept.numel():
            c = c & ~_suppression(boxes[kept], boxes[s:e], thresh, rule).any(0)
        if not bool(c.any()):
            continue
        c = _fixed_point(_suppression(boxes[s:e], boxes[s:e], thresh, rule), c)
        keep[s:e] = c
        kept = torch.cat((kept, c.nonzero()[:, 0] + s))
        if limit is not None and kept.numel() >= limit:
            break
    return keep


def _per_class_nms(boxes, cand, thresh, rule, ids):
    """Class-aware NMS as independent NMS per class: a box's fate only depends on earlier
    kept boxes of its own class, so this equals the joint greedy pass and is much cheaper."""
    keep = torch.zeros_like(cand)
    # NOTE: a NaN id equals nothing, so such a box is never suppressed (as in MXNet)
    keep |= cand & torch.isnan(ids)
    for c in torch.unique(ids[cand & ~torch.isnan(ids)]).tolist():
        sel = (cand & (ids == c)).nonzero()[:, 0]
        ones = torch.ones(sel.numel(), dtype=torch.bool, device=cand.device)
        keep[sel] = _blocked_nms(boxes[sel], ones, thresh, rule, None, None)
    return keep


def _compact_order(flag):
    """Indices that move rows with ``flag`` True to the front, keeping their order."""
    return _stable_sort((~flag).to(torch.uint8), dim=-1)[1]


def _gather_rows(x, index):
    return torch.gather(x, -2, index.unsqueeze(-1).expand(*index.shape, x.shape[-1]))


# --------------------------------------------------------------------------------------------
# box_nms
# --------------------------------------------------------------------------------------------

_FORMAT = Enum("center", "corner")


def _check_nms_indices(shape, coord_start, score_index, id_index):
    op = "box_nms"
    if len(shape) < 2:
        raise ShapeError(f"{op}: input 'data' must have at least 2 dims (..., num_boxes, "
                         f"box_width), got shape {tuple(shape)}")
    width = shape[-1]
    coord_end = coord_start + 3
    if not 0 <= score_index < width:
        raise AttributeParseError(f"{op}: score_index={score_index} is out of range for boxes of "
                                  f"width {width}")
    if coord_start <= score_index <= coord_end:
        raise AttributeParseError(f"{op}: score_index={score_index} overlaps the coordinates "
                                  f"[{coord_start}, {coord_end}]")
    if id_index >= 0:
        if id_index >= width:
            raise AttributeParseError(f"{op}: id_index={id_index} is out of range for boxes of "
                                      f"width {width}")
        if id_index == score_index:
            raise AttributeParseError(f"{op}: id_index and score_index are both {id_index}")
        if coord_start <= id_index <= coord_end:
            raise AttributeParseError(f"{op}: id_index={id_index} overlaps the coordinates "
                                      f"[{coord_start}, {coord_end}]")
    if coord_start < 0 or coord_end >= width:
        raise AttributeParseError(f"{op}: coordinates [{coord_start}, {coord_end}] "
                                  f"(coord_start={coord_start}) do not fit boxes of width {width}")


_NMS_ATTRS = (
    Attr("overlap_thresh", FLOAT, 0.5, "Suppress boxes whose IoU with a kept box is above this"),
    Attr("valid_thresh", FLOAT, 0.0, "Boxes with score <= this are dropped"),
    Attr("topk", INT, -1, "Keep only the top k boxes before NMS; -1: all"),
    Attr("coord_start", INT, 2, "Column of the first of 4 coordinates"),
    Attr("score_index", INT, 1, "Column of the score"),
    Attr("id_index", INT, -1, "Column of the class id; -1: no class"),
    Attr("background_id", INT, -1, "Class id of the background (dropped)"),
    Attr("force_suppress", BOOL, False, "Suppress across classes"),
    Attr("in_format", _FORMAT, "corner", "Box format of the input"),
    Attr("out_format", _FORMAT, "corner", "Box format of the output"),
)


@defop("_contrib_box_nms", aliases=("_contrib_box_non_maximum_suppression",), inputs=("data",),
       attrs=_NMS_ATTRS)
def box_nms(data, overlap_thresh, valid_thresh, topk, coord_start, score_index, id_index,
            background_id, force_suppress, in_format, out_format):
    """Non-maximum suppression: kept boxes first, by descending score; other rows are -1."""
    _check_nms_indices(data.shape, coord_start, score_index, id_index)
    if topk == 0:
        return data.clone()  # NOTE: MXNet returns the input untouched when topk=0
    if _is_meta(data) or data.numel() == 0:
        return torch.empty_like(data)
    shape = data.shape
    x = data.reshape(-1, shape[-2], shape[-1])
    coords = slice(coord_start, coord_start + 4)
    # sort: valid boxes first, each group by descending score (stable)
    score = x[..., score_index]
    valid = score > valid_thresh
    if id_index >= 0:
        valid &= x[..., id_index] != background_id
    order = _stable_sort(score.detach(), descending=True)[1]
    order = torch.gather(order, 1, _compact_order(torch.gather(valid, 1, order)))
    rows = _gather_rows(x, order)
    cand = torch.gather(valid, 1, order)
    if topk > 0:
        cand &= torch.arange(x.shape[1], device=x.device) < topk
    count = int(cand.sum(1).max())
    keep = torch.zeros_like(cand)
    if count:
        keep[:, :count] = _nms_keep(rows[:, :count].detach(), cand[:, :count], coords,
                                    id_index if (id_index >= 0 and not force_suppress) else -1,
                                    overlap_thresh, in_format)
    rows = _gather_rows(rows, _compact_order(keep))
    keep = torch.gather(keep, 1, _compact_order(keep))
    if in_format != out_format:
        conv = _to_corner if out_format == "corner" else _to_center
        rows = torch.cat((rows[..., :coord_start], conv(rows[..., coords]),
                          rows[..., coord_start + 4:]), -1)
    out = torch.where(keep.unsqueeze(-1), rows, torch.full((), -1, dtype=x.dtype))
    return out.reshape(shape)


def _nms_keep(rows, cand, coords, class_index, thresh, in_format):
    boxes = rows[..., coords]
    if in_format == "center":
        boxes = _to_corner(boxes)
    if boxes.dtype == torch.float16:
        boxes = boxes.float()
    # NOTE: MXNet compares class ids as integers (truncated); 0/0 IoU is NaN: no suppression
    ids = torch.trunc(rows[..., class_index]) if class_index >= 0 else None
    return _greedy_nms(boxes, cand, thresh, "gt", ids)


# --------------------------------------------------------------------------------------------
# box_iou, box_encode, box_decode
# --------------------------------------------------------------------------------------------


@defop("_contrib_box_iou", inputs=("lhs", "rhs"),
       attrs=(Attr("format", _FORMAT, "corner", "Box format"),))
def box_iou(lhs, rhs, format):  # noqa: A002 - MXNet's attribute name
    """IoU of every box in ``lhs`` (..., 4) with every box in ``rhs`` (..., 4); shape
    ``lhs.shape[:-1] + rhs.shape[:-1]``. No gradient (as MXNet)."""
    for name, t in (("lhs", lhs), ("rhs", rhs)):
        if t.ndim < 1 or t.shape[-1] != 4:
            raise ShapeError(f"box_iou: the last dim of input {name!r} must be 4, got shape "
                             f"{tuple(t.shape)}")
    a, b = lhs.detach().reshape(-1, 4), rhs.detach().reshape(-1, 4)
    if format == "center":
        a, b = _to_corner(a), _to_corner(b)
    out = _guarded_iou(a, b)
    return out.reshape(*lhs.shape[:-1], *rhs.shape[:-1])


@defop("_contrib_box_encode", inputs=("samples", "matches", "anchors", "refs", "means", "stds"),
       num_outputs=2, output_names=("output0", "output1"), same_dtype=())
def box_encode(samples, matches, anchors, refs, means, stds):
    """Regression targets of matched boxes (corner format) against anchors, normalised by
    ``means``/``stds``; returns (targets, masks). Only samples > 0.5 get targets."""
    B, N = samples.shape[:2]
    if anchors.shape[-1] != 4 or refs.shape[-1] != 4:
        raise ShapeError(f"box_encode: anchors and refs must end in 4 coordinates, got "
                         f"{tuple(anchors.shape)} and {tuple(refs.shape)}")
    dtype = anchors.dtype
    if _is_meta(anchors):
        return (torch.empty(B, N, 4, dtype=dtype, device="meta"),) * 2
    idx = matches.detach().long().clamp(0, refs.shape[1] - 1)
    ref = _gather_rows(refs.detach().expand(B, *refs.shape[1:]), idx)
    anc = _to_center(anchors.detach().expand(B, N, 4))
    gt = _to_center(ref)
    t = torch.stack(((gt[..., 0] - anc[..., 0]) / anc[..., 2],
                     (gt[..., 1] - anc[..., 1]) / anc[..., 3],
                     torch.log(gt[..., 2] / anc[..., 2]),
                     torch.log(gt[..., 3] / anc[..., 3])), -1)
    t = (t - means.detach().to(dtype)) / stds.detach().to(dtype)
    pos = (samples.detach() > 0.5).unsqueeze(-1)
    zero = torch.zeros((), dtype=dtype, device=t.device)
    return torch.where(pos, t, zero), pos.to(dtype).expand(B, N, 4).clone()


_DECODE_ATTRS = (Attr("std0", FLOAT, 1.0), Attr("std1", FLOAT, 1.0), Attr("std2", FLOAT, 1.0),
                 Attr("std3", FLOAT, 1.0),
                 Attr("clip", FLOAT, -1.0, "Upper bound of the log-size deltas; <=0: none"),
                 Attr("format", _FORMAT, "center", "Box format of the anchors"))


@defop("_contrib_box_decode", inputs=("data", "anchors"), attrs=_DECODE_ATTRS)
def box_decode(data, anchors, std0, std1, std2, std3, clip, format):  # noqa: A002
    """Apply regression deltas ``data`` (B, N, 4) to ``anchors`` (1 or B, N, 4); corner-format
    output. No gradient (as MXNet)."""
    if data.shape[-1] != 4 or anchors.shape[-1] != 4:
        raise ShapeError(f"box_decode: data and anchors must end in 4 values, got "
                         f"{tuple(data.shape)} and {tuple(anchors.shape)}")
    x, anc = data.detach(), anchors.detach()
    if format == "corner":
        anc = _to_center(anc)
    ax, ay, aw, ah = anc.unbind(-1)
    dw, dh = x[..., 2] * std2, x[..., 3] * std3
    if clip > 0:
        dw, dh = dw.clamp(max=clip), dh.clamp(max=clip)
    ox, oy = x[..., 0] * std0 * aw + ax, x[..., 1] * std1 * ah + ay
    ow, oh = torch.exp(dw) * aw / 2, torch.exp(dh) * ah / 2
    return torch.stack((ox - ow, oy - oh, ox + ow, oy + oh), -1)


# --------------------------------------------------------------------------------------------
# greedy bipartite matching
# --------------------------------------------------------------------------------------------


def _greedy_match(scores, allowed, descending=True):
    """Greedy one-to-one matching over (B, N, M) ``scores``: repeatedly take the best remaining
    entry (stable order: score, then row-major position) whose row and column are both free,
    among entries marked ``allowed``. Returns (row_match (B, N), col_match (B, M), rank) with -1
    for unmatched and ``rank`` the entry's position in the sorted order.

    Vectorised: every round matches all pairs that are the best free entry of both their row
    and their column. The greedy sequence takes every such pair (nothing better can claim its
    row or column first), and the globally best free entry is always one, so the rounds end.
    """
    B, N, M = scores.shape
    flat = scores.reshape(B, N * M)
    order = _stable_sort(flat, descending=descending)[1]
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(N * M, device=flat.device).expand(B, -1))
    rank = torch.where(allowed.reshape(B, N * M), rank, _BIG).reshape(B, N, M)
    row_match = torch.full((B, N), -1, dtype=torch.long, device=scores.device)
    col_match = torch.full((B, M), -1, dtype=torch.long, device=scores.device)
    rows = torch.arange(N, device=scores.device).expand(B, N)
    for _ in range(min(N, M) + 1):
        free = (row_match < 0).unsqueeze(-1) & (col_match < 0).unsqueeze(-2)
        r = torch.where(free, rank, _BIG)
        best_val, best_col = r.min(2)
        best_row = r.min(1)[1]
        mutual = (best_val < _BIG) & (torch.gather(best_row, 1, best_col) == rows)
        if not bool(mutual.any()):
            break
        row_match = torch.where(mutual, best_col, row_match)
        col_match = _scatter_cols(col_match, mutual, best_col)
    return row_match, col_match, rank


def _scatter_cols(col_match, mutual, best_col):
    B, M = col_match.shape
    padded = torch.cat((col_match, torch.full((B, 1), -1, dtype=col_match.dtype,
                                              device=col_match.device)), 1)
    rows = torch.arange(mutual.shape[1], device=mutual.device).expand_as(mutual)
    target = torch.where(mutual, best_col, M)
    padded.scatter_(1, target, torch.where(mutual, rows, padded.gather(1, target)))
    return padded[:, :M]


@defop("_contrib_bipartite_matching", inputs=("data",),
       attrs=(Attr("is_ascend", BOOL, False, "Smaller scores are better"),
              Attr("threshold", FLOAT, doc="Scores must be above (below if is_ascend) this"),
              Attr("topk", INT, -1, "Maximum number of matches; -1: no limit")),
       num_outputs=2, output_names=("output0", "output1"))
def bipartite_matching(data, is_ascend, threshold, topk):
    """Greedy matching of rows to columns of a (..., N, M) score matrix; returns the matched
    column of every row and the matched row of every column (-1: none)."""
    if data.ndim < 2:
        raise ShapeError(f"bipartite_matching: input 'data' must have at least 2 dims, got "
                         f"shape {tuple(data.shape)}")
    lead, (N, M) = data.shape[:-2], data.shape[-2:]
    if _is_meta(data) or data.numel() == 0:
        return (torch.empty(*lead, N, dtype=data.dtype, device=data.device),
                torch.empty(*lead, M, dtype=data.dtype, device=data.device))
    x = data.detach().reshape(-1, N, M)
    allowed = x < threshold if is_ascend else x > threshold
    row, col, rank = _greedy_match(x, allowed, descending=not is_ascend)
    if topk > 0:
        # NOTE: MXNet 1.9.1 stops one match late (topk=1 gives 2 matches); we keep topk.
        # Greedy takes matches in rank order, so the first topk are the best-ranked ones.
        mrank = torch.where(row >= 0, torch.gather(rank, 2, row.clamp(min=0).unsqueeze(-1))[..., 0],
                            _BIG)
        kth = _stable_sort(mrank, dim=1)[0][:, min(topk, N) - 1:min(topk, N)]
        row = torch.where(mrank <= kth, row, -1)
        col = torch.where(_row_kept(col, row), col, -1)
    return (row.to(data.dtype).reshape(*lead, N), col.to(data.dtype).reshape(*lead, M))


def _row_kept(col, row):
    """True where column j's matched row still points back to j."""
    back = torch.gather(row, 1, col.clamp(min=0))
    return (col >= 0) & (back == torch.arange(col.shape[1], device=col.device))


# --------------------------------------------------------------------------------------------
# SSD: MultiBoxPrior, MultiBoxTarget, MultiBoxDetection
# --------------------------------------------------------------------------------------------


@defop("_contrib_MultiBoxPrior", inputs=("data",),
       attrs=(Attr("sizes", FLOATS, (1.0,), "Box sizes relative to the image"),
              Attr("ratios", FLOATS, (1.0,), "Aspect ratios (w/h)"),
              Attr("clip", BOOL, False, "Clip boxes to [0, 1]"),
              Attr("steps", FLOATS, (-1.0, -1.0), "Step (y, x) between centers; -1: 1/size"),
              Attr("offsets", FLOATS, (0.5, 0.5), "Center offset (y, x) within a cell")))
def multibox_prior(data, sizes, ratios, clip, steps, offsets):
    """Anchor boxes for a (B, C, H, W) feature map: (1, H*W*A, 4) corner boxes, A = len(sizes) +
    len(ratios) - 1 per cell (all sizes at ratios[0]... then sizes[0] at the other ratios)."""
    if data.ndim != 4:
        raise ShapeError(f"MultiBoxPrior: input 'data' must be 4-D (batch, channel, height, "
                         f"width), got shape {tuple(data.shape)}")
    if not sizes or not ratios:
        raise AttributeParseError("MultiBoxPrior: sizes and ratios must not be empty")
    H, W = data.shape[2], data.shape[3]
    opts = dict(dtype=torch.float32, device=data.device)
    step_y = steps[0] if steps[0] > 0 else 1.0 / H
    step_x = steps[1] if steps[1] > 0 else 1.0 / W
    cy = (torch.arange(H, **opts) + offsets[0]) * step_y
    cx = (torch.arange(W, **opts) + offsets[1]) * step_x
    # NOTE: widths are scaled by H/W so that ratio-1 boxes are square in pixels (MXNet 1.9.1)
    r0 = ratios[0] ** 0.5
    half = [(s * H / W * r0 / 2, s / r0 / 2) for s in sizes]
    half += [(sizes[0] * H / W * r ** 0.5 / 2, sizes[0] / r ** 0.5 / 2) for r in ratios[1:]]
    hw = torch.tensor(half, **opts)  # (A, 2): half width, half height
    cyy, cxx = torch.meshgrid(cy, cx, indexing="ij")
    ctr = torch.stack((cxx, cyy), -1).reshape(H * W, 1, 2)
    out = torch.cat((ctr - hw, ctr + hw), -1).reshape(1, -1, 4)
    if clip:
        out = out.clamp(0.0, 1.0)
    return out.to(data.dtype)


_VARIANCES = Attr("variances", FLOATS, (0.1, 0.1, 0.2, 0.2), "Variances of the box encoding")


def _check_variances(op, variances):
    if len(variances) != 4:
        raise AttributeParseError(f"{op}: variances must have 4 values, got {variances}")


_TARGET_ATTRS = (
    Attr("overlap_threshold", FLOAT, 0.5, "IoU above which an anchor matches a ground truth"),
    Attr("ignore_label", FLOAT, -1.0, "Class target of ignored anchors"),
    Attr("negative_mining_ratio", FLOAT, -1.0, "Negatives per positive; <=0: all negatives"),
    Attr("negative_mining_thresh", FLOAT, 0.5, "Anchors with max IoU below this can be negatives"),
    Attr("minimum_negative_samples", INT, 0, "Minimum negatives (unused by MXNet 1.9.1)"),
    _VARIANCES,
)


@defop("_contrib_MultiBoxTarget", inputs=("anchor", "label", "cls_pred"), attrs=_TARGET_ATTRS,
       num_outputs=3, output_names=("loc_target", "loc_mask", "cls_target"))
def multibox_target(anchor, label, cls_pred, overlap_threshold, ignore_label,
                    negative_mining_ratio, negative_mining_thresh, minimum_negative_samples,
                    variances):
    """SSD training targets: (loc_target (B, N*4), loc_mask (B, N*4), cls_target (B, N)).

    Labels are (B, M, 5+) rows [class, x1, y1, x2, y2]; a row with class -1 ends the list.
    ``cls_target`` is class + 1 for matched anchors, 0 for negatives, ``ignore_label`` else.
    """
    _check_variances("MultiBoxTarget", variances)
    if anchor.ndim != 3 or anchor.shape[-1] != 4 or label.ndim != 3 or label.shape[-1] < 5:
        raise ShapeError(f"MultiBoxTarget: expected anchor (1, N, 4) and label (B, M, >=5), got "
                         f"{tuple(anchor.shape)} and {tuple(label.shape)}")
    B, N = label.shape[0], anchor.shape[1]
    if cls_pred.ndim != 3 or cls_pred.shape[0] != B or cls_pred.shape[2] != N:
        raise ShapeError(f"MultiBoxTarget: input 'cls_pred' must be (batch={B}, classes, "
                         f"anchors={N}), got {tuple(cls_pred.shape)}")
    opts = dict(dtype=anchor.dtype, device=anchor.device)
    if _is_meta(anchor):
        return (torch.empty(B, N * 4, **opts), torch.empty(B, N * 4, **opts),
                torch.empty(B, N, **opts))
    anc = anchor.detach()[0]
    lab = label.detach()
    gt_ok = torch.cumprod((lab[..., 0] != -1).to(torch.int32), 1).bool()  # (B, M)
    iou = _guarded_iou(anc.expand(B, N, 4), lab[..., 1:5])  # (B, N, M)
    matched, _, _ = _greedy_match(iou, gt_ok.unsqueeze(1) & (iou > 1e-6))
    best_iou, best_gt = torch.where(gt_ok.unsqueeze(1), iou, -1.0).max(2)
    best_gt = torch.where(gt_ok.any(1, keepdim=True), best_gt, 0)
    positive = matched >= 0
    if overlap_threshold > 0:
        positive = positive | (best_iou > overlap_threshold)
    gt_index = torch.where(matched >= 0, matched, best_gt)
    negative = _negatives(cls_pred.detach(), positive, best_iou, negative_mining_ratio,
                          negative_mining_thresh)
    has_gt = gt_ok.any(1, keepdim=True)
    positive, negative = positive & has_gt, negative & has_gt
    gt = _gather_rows(lab, gt_index)
    cls_t = torch.where(positive, gt[..., 0] + 1,
                        torch.where(negative, 0.0, ignore_label)).to(anchor.dtype)
    loc = _encode(anc.expand(B, N, 4), gt[..., 1:5], variances)
    mask = positive.unsqueeze(-1).expand(B, N, 4)
    loc = torch.where(mask, loc, 0.0).to(anchor.dtype)
    return loc.reshape(B, N * 4), mask.to(anchor.dtype).reshape(B, N * 4), cls_t


def _encode(anchors, boxes, variances):
    a, g = _to_center(anchors), _to_center(boxes)
    return torch.stack(((g[..., 0] - a[..., 0]) / a[..., 2] / variances[0],
                        (g[..., 1] - a[..., 1]) / a[..., 3] / variances[1],
                        torch.log(g[..., 2] / a[..., 2]) / variances[2],
                        torch.log(g[..., 3] / a[..., 3]) / variances[3]), -1)


def _negatives(cls_pred, positive, best_iou, ratio, thresh):
    """Negative anchors: all non-positives, or with mining the ``ratio * positives`` hardest
    ones (lowest background probability) among those with max IoU below ``thresh``."""
    if ratio <= 0:
        return ~positive
    n_anchor = positive.shape[1]
    n_pos = positive.sum(1)
    # NOTE: C++ int conversion truncates; minimum_negative_samples has no effect in 1.9.1
    n_neg = torch.minimum((n_pos.double() * ratio).long(), n_anchor - n_pos)
    cand = ~positive & (best_iou < thresh)
    bg_prob = torch.softmax(cls_pred.float(), dim=1)[:, 0, :]
    key = torch.where(cand, bg_prob, float("inf"))
    order = _stable_sort(key, dim=1)[1]
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(n_anchor, device=order.device).expand_as(order))
    return cand & (rank < n_neg.unsqueeze(1))


_DETECTION_ATTRS = (
    Attr("clip", BOOL, True, "Clip boxes to [0, 1]"),
    Attr("threshold", FLOAT, 0.01, "Drop detections with a lower score"),
    Attr("background_id", INT, 0, "Background class (MXNet 1.9.1 always treats class 0 so)"),
    Attr("nms_threshold", FLOAT, 0.5, "NMS IoU threshold; outside (0, 1]: no NMS"),
    Attr("force_suppress", BOOL, False, "Suppress across classes"),
    _VARIANCES,
    Attr("nms_topk", INT, -1, "Keep the top k detections before NMS; -1: all"),
)


@defop("_contrib_MultiBoxDetection", inputs=("cls_prob", "loc_pred", "anchor"),
       attrs=_DETECTION_ATTRS)
def multibox_detection(cls_prob, loc_pred, anchor, clip, threshold, background_id,
                       nms_threshold, force_suppress, variances, nms_topk):
    """SSD detections (B, N, 6) rows [class, score, x1, y1, x2, y2]; class -1 marks rows
    suppressed by NMS, all -1 rows are empty."""
    _check_variances("MultiBoxDetection", variances)
    B, C, N = cls_prob.shape
    if loc_pred.shape != (B, N * 4):
        raise ShapeError(f"MultiBoxDetection: input 'loc_pred' must be (batch={B}, "
                         f"anchors*4={N * 4}), got {tuple(loc_pred.shape)}")
    if anchor.ndim != 3 or anchor.shape[0] != 1 or anchor.shape[1:] != (N, 4):
        raise ShapeError(f"MultiBoxDetection: input 'anchor' must be (1, anchors={N}, 4), got "
                         f"{tuple(anchor.shape)}")
    if _is_meta(cls_prob):
        return torch.empty(B, N, 6, dtype=cls_prob.dtype, device="meta")
    prob = cls_prob.detach()
    # NOTE: class 0 is the background whatever background_id says (MXNet 1.9.1 behaviour)
    if C > 1:
        cls_id = prob[:, 1:].argmax(1)
        score = torch.gather(prob[:, 1:], 1, cls_id.unsqueeze(1))[:, 0]
        valid = (score > -1) & (score >= threshold)
    else:
        cls_id = torch.zeros(B, N, dtype=torch.long, device=prob.device)
        score = torch.full((B, N), -1.0, dtype=prob.dtype, device=prob.device)
        valid = torch.zeros(B, N, dtype=torch.bool, device=prob.device)
    boxes = _decode_ssd(loc_pred.detach().reshape(B, N, 4), anchor.detach(), variances, clip)
    rows = torch.cat((cls_id.unsqueeze(-1).to(prob.dtype), score.unsqueeze(-1), boxes), -1)
    return _detection_layout(rows, valid, nms_threshold, nms_topk, force_suppress)


def _decode_ssd(loc, anchor, variances, clip):
    a = _to_center(anchor)
    ox = loc[..., 0] * variances[0] * a[..., 2] + a[..., 0]
    oy = loc[..., 1] * variances[1] * a[..., 3] + a[..., 1]
    ow = torch.exp(loc[..., 2] * variances[2]) * a[..., 2] / 2
    oh = torch.exp(loc[..., 3] * variances[3]) * a[..., 3] / 2
    out = torch.stack((ox - ow, oy - oh, ox + ow, oy + oh), -1)
    return out.clamp(0.0, 1.0) if clip else out


def _detection_layout(rows, valid, nms_threshold, nms_topk, force_suppress):
    """MXNet's output layout: valid rows packed in anchor order; with NMS the first nkeep rows
    are replaced by the best-scored ones and the packed rows after them get class -1."""
    B, N, _ = rows.shape
    pos = torch.arange(N, device=rows.device)
    count = valid.sum(1, keepdim=True)
    packed = _gather_rows(rows, _compact_order(valid))
    neg = torch.full((), -1, dtype=rows.dtype, device=rows.device)
    if not 0 < nms_threshold <= 1:
        return torch.where((pos < count).unsqueeze(-1), packed, neg)
    key = torch.where(pos < count, packed[..., 1], float("-inf"))
    ranked = _gather_rows(packed, _stable_sort(key, dim=1, descending=True)[1])
    nkeep = count.clamp(max=nms_topk) if nms_topk > 0 else count
    head = pos < nkeep
    out = torch.where(head.unsqueeze(-1), ranked, packed)
    cls_col = torch.where(head, out[..., 0], neg)
    kmax = int(nkeep.max())
    if kmax:
        top = out[:, :kmax]
        ids = None if force_suppress else top[..., 0]
        keep = _greedy_nms(top[..., 2:6].float(), head[:, :kmax], nms_threshold, "ge", ids)
        cls_col[:, :kmax] = torch.where(keep, cls_col[:, :kmax], neg)
    out = torch.cat((cls_col.unsqueeze(-1), out[..., 1:]), -1)
    return torch.where((pos < count).unsqueeze(-1), out, neg)


# --------------------------------------------------------------------------------------------
# Faster R-CNN: Proposal, MultiProposal
# --------------------------------------------------------------------------------------------

_PROPOSAL_ATTRS = (
    Attr("rpn_pre_nms_top_n", INT, 6000, "Boxes kept (by score) before NMS"),
    Attr("rpn_post_nms_top_n", INT, 300, "Boxes kept after NMS (output rows per image)"),
    Attr("threshold", FLOAT, 0.7, "NMS IoU threshold"),
    Attr("rpn_min_size", INT, 16, "Minimum box side (in image pixels, times im_info scale)"),
    Attr("scales", FLOATS, (4.0, 8.0, 16.0, 32.0), "Anchor scales"),
    Attr("ratios", FLOATS, (0.5, 1.0, 2.0), "Anchor aspect ratios"),
    Attr("feature_stride", INT, 16, "Stride of the feature map in image pixels"),
    Attr("output_score", BOOL, False, "Also return the scores"),
    Attr("iou_loss", BOOL, False, "Deltas are corner offsets (IoU loss) instead of log sizes"),
)


def _base_anchors(stride, ratios, scales):
    """py-faster-rcnn anchors around the cell [0, 0, stride-1, stride-1]: ratio-major,
    rounded like the reference implementation."""
    import math
    size = float(stride * stride)
    ctr = 0.5 * (stride - 1.0)
    out = []
    for ratio in ratios:
        base_w = math.floor(math.sqrt(math.floor(size / ratio)) + 0.5)
        base_h = math.floor(base_w * ratio + 0.5)
        for scale in scales:
            w, h = base_w * scale, base_h * scale
            out.append((ctr - 0.5 * (w - 1), ctr - 0.5 * (h - 1),
                        ctr + 0.5 * (w - 1), ctr + 0.5 * (h - 1)))
    return out


def _proposal_boxes(cls_prob, bbox_pred, im_info, a):
    """All shifted anchors with deltas applied, clipped, small ones scored -1: (B, H*W*A, 5)."""
    B, _, H, W = cls_prob.shape
    A = len(a["ratios"]) * len(a["scales"])
    stride = a["feature_stride"]
    opts = dict(dtype=torch.float32, device=cls_prob.device)
    base = torch.tensor(_base_anchors(stride, a["ratios"], a["scales"]), **opts)  # (A, 4)
    sy, sx = torch.meshgrid(torch.arange(H, **opts) * stride, torch.arange(W, **opts) * stride,
                            indexing="ij")
    shift = torch.stack((sx, sy, sx, sy), -1).reshape(H * W, 1, 4)
    anchors = (shift + base).reshape(1, H * W * A, 4)  # index = (h * W + w) * A + a
    score = cls_prob[:, A:].float().permute(0, 2, 3, 1).reshape(B, -1)
    delta = bbox_pred.float().reshape(B, A, 4, H, W).permute(0, 3, 4, 1, 2).reshape(B, -1, 4)
    info = im_info.float()
    im_h, im_w = info[:, 0:1], info[:, 1:2]
    if a["iou_loss"]:
        x1, y1, x2, y2 = (anchors + delta).unbind(-1)
    else:
        wa = anchors[..., 2] - anchors[..., 0] + 1
        ha = anchors[..., 3] - anchors[..., 1] + 1
        cx = delta[..., 0] * wa + anchors[..., 0] + 0.5 * (wa - 1)
        cy = delta[..., 1] * ha + anchors[..., 1] + 0.5 * (ha - 1)
        pw, ph = torch.exp(delta[..., 2]) * wa, torch.exp(delta[..., 3]) * ha
        x1, x2 = cx - 0.5 * (pw - 1), cx + 0.5 * (pw - 1)
        y1, y2 = cy - 0.5 * (ph - 1), cy + 0.5 * (ph - 1)
    zero = torch.zeros((), **opts)
    x1, x2 = (torch.minimum(torch.maximum(v, zero), im_w - 1) for v in (x1, x2))
    y1, y2 = (torch.minimum(torch.maximum(v, zero), im_h - 1) for v in (y1, y2))
    # NOTE: boxes below the minimum size are grown by min_size/2 each way and scored -1
    min_size = a["rpn_min_size"] * info[:, 2:3]
    small = ((x2 - x1 + 1) < min_size) | ((y2 - y1 + 1) < min_size)
    grow = torch.where(small, min_size / 2, zero)
    # cells outside the image (beyond int(im_size / stride)) are scored -1 too
    real_h = torch.trunc(im_h / stride)
    real_w = torch.trunc(im_w / stride)
    cell_y = torch.arange(H, **opts).repeat_interleave(W * A)
    cell_x = torch.arange(W, **opts).repeat_interleave(A).repeat(H)
    outside = (cell_y >= real_h) | (cell_x >= real_w)
    return torch.stack((x1 - grow, y1 - grow, x2 + grow, y2 + grow,
                        torch.where(small | outside, -1.0, score)), -1)


def _proposal(cls_prob, bbox_pred, im_info, a):
    B, C, H, W = cls_prob.shape
    A = len(a["ratios"]) * len(a["scales"])
    if C != 2 * A or bbox_pred.shape != (B, 4 * A, H, W) or im_info.shape[0] != B:
        raise ShapeError(f"Proposal: with {A} anchors per cell expected cls_prob "
                         f"(B, {2 * A}, H, W), bbox_pred (B, {4 * A}, H, W), im_info (B, 3); got "
                         f"{tuple(cls_prob.shape)}, {tuple(bbox_pred.shape)}, "
                         f"{tuple(im_info.shape)}")
    post = a["rpn_post_nms_top_n"]
    dtype, dev = cls_prob.dtype, cls_prob.device
    if _is_meta(cls_prob):
        return (torch.empty(B * post, 5, dtype=dtype, device=dev),
                torch.empty(B * post, 1, dtype=dtype, device=dev))
    stride = a["feature_stride"]
    too_big = (torch.trunc(im_info[:, 0].float() / stride) > H) | \
        (torch.trunc(im_info[:, 1].float() / stride) > W)
    if bool(too_big.any()):
        raise ShapeError(f"Proposal: im_info {im_info.tolist()} describes an image larger than "
                         f"the feature map ({H}x{W}) times feature_stride={stride}")
    dets = _proposal_boxes(cls_prob.detach(), bbox_pred.detach(), im_info.detach(), a)
    count = dets.shape[1]
    pre = a["rpn_pre_nms_top_n"]
    pre = min(pre if pre > 0 else count, count)
    order = _stable_sort(dets[..., 4], dim=1, descending=True)[1][:, :pre]
    dets = _gather_rows(dets, order)
    limit = min(post, pre)
    rois, scores = [], []
    for b in range(B):
        keep = _proposal_nms(dets[b], a["threshold"], limit)
        pick = keep[torch.arange(post, device=dev) % keep.numel()]
        box = dets[b, pick]
        rois.append(torch.cat((torch.full((post, 1), float(b), device=dev), box[:, :4]), 1))
        scores.append(box[:, 4:5])
    return torch.cat(rois).to(dtype), torch.cat(scores).to(dtype)


def _proposal_nms(dets, thresh, limit):
    """Indices of the first ``limit`` boxes kept by greedy NMS (pixel areas: +1)."""
    cand = torch.ones(1, dets.shape[0], dtype=torch.bool, device=dets.device)
    keep = _greedy_nms(dets[None, :, :4], cand, thresh, "pixel", limit=limit)[0]
    return keep.nonzero()[:limit, 0]


def _proposal_outputs(attrs):
    return 2 if attrs["output_score"] else 1


@defop("_contrib_MultiProposal", inputs=("cls_prob", "bbox_pred", "im_info"),
       attrs=_PROPOSAL_ATTRS, num_outputs=_proposal_outputs,
       output_names=lambda a: ("output", "score")[:_proposal_outputs(a)])
def multi_proposal(cls_prob, bbox_pred, im_info, **attrs):
    """Region proposals for a batch: rois (B * rpn_post_nms_top_n, 5) rows
    [batch_index, x1, y1, x2, y2] (and scores with ``output_score``)."""
    rois, scores = _proposal(cls_prob, bbox_pred, im_info, attrs)
    return (rois, scores) if attrs["output_score"] else rois


@defop("_contrib_Proposal", inputs=("cls_prob", "bbox_pred", "im_info"),
       attrs=_PROPOSAL_ATTRS, num_outputs=_proposal_outputs,
       output_names=lambda a: ("output", "score")[:_proposal_outputs(a)])
def proposal(cls_prob, bbox_pred, im_info, **attrs):
    """Region proposals for one image (batch size 1); see MultiProposal."""
    if cls_prob.shape[0] != 1:
        raise ShapeError(f"Proposal: only batch size 1 is supported (use MultiProposal), got "
                         f"cls_prob of shape {tuple(cls_prob.shape)}")
    return multi_proposal(cls_prob, bbox_pred, im_info, **attrs)
