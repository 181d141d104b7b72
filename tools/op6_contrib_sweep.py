"""mx.nd.contrib sweep (round-6 operator conformance): detection, ROI, index, attention and
misc contrib operators with varied attributes, forward values and (``G(...)``) input gradients.

Inputs (float32 unless named): ``det`` (1, 6, 6) rows [id, score, x1, y1, x2, y2], ``boxes``
(4, 4) and ``boxes2`` (3, 4) corners, ``feat`` (1, 2, 6, 6), ``rois`` (2, 5), ``qkv`` (3, 2, 12)
(seq, batch, heads*3*dim for 2 heads), ``kv`` (4, 2, 8), ``q`` (3, 2, 4), ``att`` (4, 3, 4)
(batch*heads, seq, seq), ``att2`` (4, 3, 4), ``seq`` (2, 3, 4) values in [0, 1).

Oracle fixture: ``~/mxref/bin/python tools/op6_contrib_sweep.py --write tests/fixtures/operator6_contrib.json``
Differences:   ``.venv/bin/python -m mxtorch run tools/op6_contrib_sweep.py --diff tests/fixtures/operator6_contrib.json``
"""
import json
import sys

import numpy as np

import mxnet as mx

NMS = ("nd.contrib.box_nms(det)", "nd.contrib.box_nms(det, overlap_thresh=0.1)",
       "nd.contrib.box_nms(det, overlap_thresh=0.3, valid_thresh=0.25)",
       "nd.contrib.box_nms(det, topk=2)", "nd.contrib.box_nms(det, id_index=0, overlap_thresh=0.1)",
       "nd.contrib.box_nms(det, id_index=0, force_suppress=True, overlap_thresh=0.1)",
       "nd.contrib.box_nms(det, id_index=0, background_id=0, overlap_thresh=0.1)",
       "nd.contrib.box_nms(det, in_format='center', out_format='corner')",
       "nd.contrib.box_nms(det, in_format='corner', out_format='center')",
       "nd.contrib.box_nms(det[0])", "nd.contrib.box_nms(nd.stack(det[0], det[0][::-1]))",
       "nd.contrib.box_nms(det[:, :, 1:], coord_start=1, score_index=0)",
       "nd.contrib.box_nms(det, overlap_thresh=0.3, valid_thresh=0.25, topk=3, id_index=0)",
       "nd.contrib.box_non_maximum_suppression(det, overlap_thresh=0.2)",
       "G(lambda a: nd.contrib.box_nms(a, overlap_thresh=0.1), det)")
BOX = ("nd.contrib.box_iou(boxes, boxes2)", "nd.contrib.box_iou(boxes, boxes2, format='center')",
       "nd.contrib.box_iou(boxes.reshape((2, 2, 4)), boxes2)",
       "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2), threshold=0.1)",
       "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2), threshold=0.1)[1]",
       "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2), threshold=0.01, is_ascend=True)",
       "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2), threshold=0.01, topk=2)",
       "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2).reshape((1, 4, 3)), threshold=0.1)[1]",
       "nd.contrib.box_encode(nd.array([[1, 0, -1, 1]]), nd.array([[0, 1, 2, 0]]), boxes.reshape((1, 4, 4)), boxes2.reshape((1, 3, 4)), nd.zeros((4,)), nd.ones((4,)))",
       "nd.contrib.box_encode(nd.array([[1, 0, -1, 1]]), nd.array([[0, 1, 2, 0]]), boxes.reshape((1, 4, 4)), boxes2.reshape((1, 3, 4)), nd.array([0.1, 0.1, 0, 0]), nd.array([0.2, 0.2, 0.5, 0.5]))[1]",
       "nd.contrib.box_decode(boxes.reshape((1, 4, 4)) / 10, boxes.reshape((1, 4, 4)))",
       "nd.contrib.box_decode(boxes.reshape((1, 4, 4)) / 10, boxes.reshape((1, 4, 4)), std0=0.1, std1=0.1, std2=0.2, std3=0.2)",
       "nd.contrib.box_decode(boxes.reshape((1, 4, 4)) / 10, boxes.reshape((1, 4, 4)), format='center')",
       "nd.contrib.box_decode(boxes.reshape((1, 4, 4)), boxes.reshape((1, 4, 4)), clip=0.5)",
       "G(lambda a: nd.contrib.box_iou(a, boxes2), boxes)")
MULTIBOX = ("nd.contrib.MultiBoxPrior(feat, sizes=(0.5, 0.25), ratios=(1, 2))",
            "nd.contrib.MultiBoxPrior(feat, sizes=(0.3,), ratios=(1, 2, 0.5), clip=True)",
            "nd.contrib.MultiBoxPrior(feat, sizes=(0.6, 0.2), steps=(0.2, 0.25), offsets=(0.2, 0.3))",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred)[0]",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred)[1]",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred)[2]",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred, overlap_threshold=0.1, variances=(0.1, 0.1, 0.3, 0.3))[0]",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred, negative_mining_ratio=2, negative_mining_thresh=0.3)[2]",
            "nd.contrib.MultiBoxTarget(anchor, label, cls_pred, ignore_label=-1, minimum_negative_samples=1, negative_mining_ratio=1)[2]",
            "nd.contrib.MultiBoxDetection(nd.softmax(cls_pred, axis=1), loc_pred, anchor)",
            "nd.contrib.MultiBoxDetection(nd.softmax(cls_pred, axis=1), loc_pred, anchor, threshold=0.3, clip=False)",
            "nd.contrib.MultiBoxDetection(nd.softmax(cls_pred, axis=1), loc_pred, anchor, nms_threshold=0.1, force_suppress=True)",
            "nd.contrib.MultiBoxDetection(nd.softmax(cls_pred, axis=1), loc_pred, anchor, nms_topk=2, variances=(0.2, 0.2, 0.1, 0.1))",
            "nd.contrib.MultiBoxDetection(nd.softmax(cls_pred, axis=1), loc_pred, anchor, background_id=1)")
ROI = ("nd.contrib.ROIAlign(feat, rois, pooled_size=(2, 2), spatial_scale=1.0)",
       "nd.contrib.ROIAlign(feat, rois, pooled_size=(3, 2), spatial_scale=0.5, sample_ratio=2)",
       "nd.contrib.ROIAlign(feat, rois, pooled_size=(2, 2), spatial_scale=1.0, aligned=True)",
       "nd.contrib.ROIAlign(nd.tile(feat, reps=(1, 2, 1, 1)), rois, pooled_size=(2, 1), spatial_scale=1.0, position_sensitive=True)",
       "nd.contrib.ROIAlign(feat, rois, pooled_size=(2, 2), spatial_scale=1.0, sample_ratio=1)",
       "G(lambda a: nd.contrib.ROIAlign(a, rois, pooled_size=(2, 2), spatial_scale=1.0), feat)",
       "G(lambda a: nd.contrib.ROIAlign(a, rois, pooled_size=(2, 2), spatial_scale=0.5, sample_ratio=2, aligned=True), feat)",
       "nd.ROIPooling(feat, rois, pooled_size=(2, 2), spatial_scale=1.0)",
       "nd.contrib.PSROIPooling(nd.tile(feat, reps=(1, 4, 1, 1)), rois, spatial_scale=1.0, output_dim=2, pooled_size=2)",
       "nd.contrib.PSROIPooling(nd.tile(feat, reps=(1, 4, 1, 1)), rois, spatial_scale=0.5, output_dim=2, pooled_size=2, group_size=2)",
       "nd.contrib.RROIAlign(feat, nd.array([[0, 2, 2, 3, 2, 30], [0, 3, 3, 2, 4, -45]]), pooled_size=(2, 2), spatial_scale=1.0)",
       "nd.contrib.BilinearResize2D(feat, height=4, width=5)",
       "nd.contrib.BilinearResize2D(feat, scale_height=0.5, scale_width=1.5)",
       "nd.contrib.BilinearResize2D(feat, height=3, width=9, align_corners=False)",
       "nd.contrib.BilinearResize2D(feat, nd.zeros((1, 1, 4, 2)), mode='like')",
       "nd.contrib.BilinearResize2D(feat, mode='odd_scale', scale_height=0.5, scale_width=0.5)",
       "nd.contrib.BilinearResize2D(feat, mode='to_even_down')",
       "nd.contrib.BilinearResize2D(feat[:, :, :5, :5], mode='to_even_up')",
       "nd.contrib.BilinearResize2D(feat[:, :, :5, :5], mode='to_odd_down')",
       "G(lambda a: nd.contrib.BilinearResize2D(a, height=4, width=9), feat)",
       "nd.contrib.AdaptiveAvgPooling2D(feat, output_size=(4, 3))",
       "nd.contrib.AdaptiveAvgPooling2D(feat, output_size=4)",
       "nd.contrib.AdaptiveAvgPooling2D(feat)",
       "G(lambda a: nd.contrib.AdaptiveAvgPooling2D(a, output_size=(4, 5)), feat)")
INDEX = ("nd.contrib.index_copy(nd.zeros((4, 3)), nd.array([2, 0]), nd.ones((2, 3)) * nd.array([[1], [2]]))",
         "nd.contrib.index_copy(nd.zeros((4,)), nd.array([3, 1], dtype='int64'), nd.array([5, 6]))",
         "G(lambda a: nd.contrib.index_copy(a, nd.array([1]), a[:1] * 3), boxes)",
         "nd.contrib.index_array(seq)", "nd.contrib.index_array(seq, axes=(1,))",
         "nd.contrib.index_array(seq, axes=(-1, 0))", "nd.contrib.index_array(nd.zeros((0, 2)))",
         "nd.contrib.arange_like(seq)", "nd.contrib.arange_like(seq, start=2, step=0.5)",
         "nd.contrib.arange_like(seq, axis=1)", "nd.contrib.arange_like(seq, axis=-1, start=1, repeat=2)",
         "nd.contrib.arange_like(seq, repeat=3, step=2)",
         "nd.contrib.boolean_mask(boxes, nd.array([1, 0, 1, 1]))",
         "nd.contrib.boolean_mask(boxes, nd.array([0, 0, 0, 0]))",
         "nd.contrib.boolean_mask(boxes, nd.array([1, 0, 1, 0]), axis=1)" ,
         "nd.contrib.boolean_mask(seq, nd.array([0, 1]))",
         "G(lambda a: nd.contrib.boolean_mask(a, nd.array([1, 0, 1, 1])), boxes)",
         "nd.contrib.getnnz(nd.array([[0, 1, 0], [2, 0, 3]]).tostype('csr'))",
         "nd.contrib.getnnz(nd.array([[0, 1, 0], [2, 0, 3]]).tostype('csr'), axis=0)",
         "nd.contrib.getnnz(nd.array([[0, 1, 0], [2, 0, 3]]).tostype('csr'), axis=1)",
         "nd.contrib.isfinite(nd.array([1, np.inf, np.nan]))",
         "nd.contrib.isinf(nd.array([1, -np.inf, np.nan]))", "nd.contrib.isnan(nd.array([1, np.inf, np.nan]))",
         "nd.contrib.edge_id(nd.array([[0, 1], [2, 0]]).tostype('csr'), nd.array([0, 1, 1]), nd.array([1, 0, 1]))")
MATH = ("nd.contrib.allclose(boxes, boxes + 1e-6)", "nd.contrib.allclose(boxes, boxes + 1e-3)",
        "nd.contrib.allclose(boxes, boxes + 1e-3, rtol=0, atol=1e-2)",
        "nd.contrib.allclose(nd.array([np.nan, 1]), nd.array([np.nan, 1]))",
        "nd.contrib.allclose(nd.array([np.nan, 1]), nd.array([np.nan, 1]), equal_nan=False)",
        "nd.contrib.quadratic(seq)", "nd.contrib.quadratic(seq, a=2, b=-1, c=0.5)",
        "G(lambda a: nd.contrib.quadratic(a, a=1.5, b=2, c=3), seq)",
        "nd.contrib.div_sqrt_dim(seq)", "G(lambda a: nd.contrib.div_sqrt_dim(a), seq)",
        "nd.contrib.gradientmultiplier(seq, scalar=3)", "G(lambda a: nd.contrib.gradientmultiplier(a, scalar=-2), seq)",
        "nd.contrib.round_ste(seq * 3)", "G(lambda a: nd.contrib.round_ste(a * 3), seq)",
        "nd.contrib.sign_ste(seq - 0.5)", "G(lambda a: nd.contrib.sign_ste(a - 0.5), seq)",
        "nd.contrib.count_sketch(seq.reshape((6, 4)), nd.array([[0, 2, 1, 2]]), nd.array([[1, -1, 1, -1]]), out_dim=3)",
        "nd.contrib.count_sketch(seq.reshape((6, 4)), nd.array([[0, 2, 1, 2]]), nd.array([[1, -1, 1, -1]]), out_dim=5, processing_batch_size=4)",
        "nd.contrib.hawkesll(nd.array([[0.5, 0.2]]), nd.array([[0.3, 0.2]]), nd.array([0.8, 0.5]), nd.zeros((1, 2)), nd.array([[0.5, 1.0, 0.7]]), nd.array([[0, 1, 0]], dtype='int32'), nd.array([3]), nd.array([3.0]))[0]",
        "nd.contrib.calibrate_entropy(nd.array([1, 5, 20, 50, 20, 5, 1, 0, 0, 1]), nd.linspace(-1, 1, 11), num_quantized_bins=3)[1]",
        "nd.contrib.rand_zipfian(nd.array([1, 3]), 4, 10)[0].shape and nd.zeros((1,))")
ATT = ("nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=2)",
       "nd.contrib.interleaved_matmul_selfatt_valatt(qkv, att, heads=2)",
       "nd.contrib.interleaved_matmul_encdec_qk(q, kv, heads=2)",
       "nd.contrib.interleaved_matmul_encdec_valatt(kv, att2, heads=2)",
       "G(lambda a: nd.contrib.interleaved_matmul_selfatt_qk(a, heads=2), qkv)",
       "G(lambda a: nd.contrib.interleaved_matmul_selfatt_valatt(a, att, heads=2), qkv)",
       "G(lambda a: nd.contrib.interleaved_matmul_selfatt_valatt(qkv, a, heads=2), att)",
       "G(lambda a: nd.contrib.interleaved_matmul_encdec_qk(a, kv, heads=2), q)",
       "G(lambda a: nd.contrib.interleaved_matmul_encdec_qk(q, a, heads=2), kv)",
       "G(lambda a: nd.contrib.interleaved_matmul_encdec_valatt(a, att2, heads=2), kv)",
       "nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=1)",
       "nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=5)")


def _cases():
    return list(NMS + BOX + MULTIBOX + ROI + INDEX + MATH + ATT)


def _grad(fn, arr):
    a = arr.copy()
    a.attach_grad()
    with mx.autograd.record():
        out = fn(a)
        out = out[0] if isinstance(out, (list, tuple)) else out
        weights = mx.nd.arange(out.size).reshape(out.shape) % 7 + 1
        loss = (out * weights.astype(out.dtype)).sum()
    loss.backward()
    return a.grad


def _env():
    nd = mx.nd
    rng = np.random.RandomState(7)
    det = np.array([[0, 0.9, 1, 1, 5, 5], [0, 0.8, 1.5, 1.5, 5.5, 5.5], [1, 0.7, 1, 1, 5, 5],
                    [1, 0.2, 6, 6, 8, 8], [0, 0.4, 6.5, 6, 8, 8.5], [-1, 0.95, 0, 0, 2, 2]])
    boxes = np.array([[0, 0, 2, 2], [1, 1, 3, 4], [2, 0, 5, 3], [0.5, 0.5, 1.5, 2.5]])
    boxes2 = np.array([[0, 0, 1, 1], [1, 1, 3, 3], [2, 1, 4, 3]])
    anchor = np.array([[[0.1, 0.1, 0.4, 0.4], [0.3, 0.3, 0.7, 0.7], [0.5, 0.1, 0.9, 0.5],
                        [0.6, 0.6, 1.0, 1.0]]])
    label = np.array([[[0, 0.1, 0.1, 0.45, 0.4], [1, 0.55, 0.6, 0.95, 1.0], [-1, -1, -1, -1, -1]]])
    env = dict(nd=nd, mx=mx, np=np, G=_grad,
               det=nd.array(det[None]), boxes=nd.array(boxes), boxes2=nd.array(boxes2),
               feat=nd.array(rng.uniform(0, 1, (1, 2, 6, 6))),
               rois=nd.array([[0, 0.5, 0.5, 3.5, 4], [0, 1, 2, 5, 5.5]]),
               anchor=nd.array(anchor), label=nd.array(label),
               cls_pred=nd.array(rng.uniform(-1, 1, (1, 3, 4))),
               loc_pred=nd.array(rng.uniform(-0.2, 0.2, (1, 16))),
               qkv=nd.array(rng.uniform(-1, 1, (3, 2, 12))), kv=nd.array(rng.uniform(-1, 1, (4, 2, 8))),
               q=nd.array(rng.uniform(-1, 1, (3, 2, 4))), att=nd.array(rng.uniform(0, 1, (4, 3, 3))),
               att2=nd.array(rng.uniform(0, 1, (4, 3, 4))), seq=nd.array(rng.uniform(0, 1, (2, 3, 4))))
    return env


def _record(value):
    if isinstance(value, (list, tuple)):
        value = value[0]
    arr = value.asnumpy()
    return {"dtype": str(arr.dtype), "shape": list(arr.shape),
            "values": [None if np.isnan(v) else float(v) for v in arr.astype(np.float64).ravel()]}


def run():
    records = {}
    for expr in _cases():
        try:
            rec = _record(eval(expr, _env()))  # noqa: S307 - fixed expressions above
            mx.nd.waitall()
        except Exception as err:  # noqa: BLE001 - the error class is the record
            rec = {"error": type(err).__name__,
                   "message": str(err).splitlines()[0][:160] if str(err) else ""}
        records[expr] = rec
    return records


def _close(got, want):
    if len(got) != len(want):
        return False
    for a, b in zip(got, want):
        if (a is None) != (b is None):
            return False
        if a is not None and a != b and abs(a - b) > 1e-4 * (1 + abs(b)):
            return False
    return True


def diff(ref, mine):
    """The expressions whose records differ between the oracle and mxtorch."""
    bad = []
    for key, want in ref.items():
        got = mine.get(key, {"error": "missing"})
        if "error" in want or "error" in got:
            if ("error" in want) != ("error" in got):
                bad.append((key, want.get("error", "ok"), got.get("error", "ok"),
                            got.get("message", "")))
            continue
        if want["dtype"] != got["dtype"] or want["shape"] != got["shape"]:
            bad.append((key, (want["dtype"], want["shape"]), (got["dtype"], got["shape"]), ""))
        elif not _close(got["values"], want["values"]):
            bad.append((key, want["values"][:12], got["values"][:12], ""))
    return bad


def main():
    records = run()
    if "--write" in sys.argv:
        with open(sys.argv[sys.argv.index("--write") + 1], "w") as fh:
            json.dump(records, fh, indent=0, sort_keys=True, separators=(",", ":"))
    if "--diff" in sys.argv:
        with open(sys.argv[sys.argv.index("--diff") + 1]) as fh:
            ref = json.load(fh)
        bad = diff(ref, records)
        for row in bad:
            print(*row, sep="  ||  ")
        print("%d cases, %d differ" % (len(ref), len(bad)))


if __name__ == "__main__":
    main()
