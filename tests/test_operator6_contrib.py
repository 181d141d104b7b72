"""Round-6 mx.nd.contrib sweep against MXNet 1.9.1: box_nms/box_iou/box_encode/box_decode,
bipartite_matching, MultiBox*, ROIAlign/PSROIPooling/RROIAlign, BilinearResize2D modes,
AdaptiveAvgPooling2D, index_copy/index_array, arange_like, boolean_mask, getnnz, allclose,
quadratic, div_sqrt_dim, *_ste, gradientmultiplier and the interleaved attention matmuls, forward
values and input gradients (``G``: gradient of sum(out * (arange % 7 + 1))).

tests/fixtures/operator6_contrib.json was written by MXNet 1.9.1 (CPU build) with
``~/mxref/bin/python tools/op6_contrib_sweep.py --write tests/fixtures/operator6_contrib.json``;
the inputs below are the tool's. Tolerance 1e-4 relative.
"""
import json
import os

import numpy as np
import pytest

import mxtorch as mx

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "operator6_contrib.json")
# Kept different on purpose (compat/operator6.md): bipartite_matching's topk (MXNet makes one
# match too many), and two attention gradients MXNet returned as zeros in the fixture run
# (it gives the true gradient, ours, when run alone).
KNOWN = {
    "nd.contrib.bipartite_matching(nd.contrib.box_iou(boxes, boxes2), threshold=0.01, topk=2)",
    "G(lambda a: nd.contrib.interleaved_matmul_encdec_qk(q, a, heads=2), kv)",
    "G(lambda a: nd.contrib.interleaved_matmul_selfatt_valatt(qkv, a, heads=2), att)",
    "nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=5)"}


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
    label = np.array([[[0, 0.1, 0.1, 0.45, 0.4], [1, 0.55, 0.6, 0.95, 1.0],
                       [-1, -1, -1, -1, -1]]])
    return dict(nd=nd, mx=mx, np=np, G=_grad,
                det=nd.array(det[None]), boxes=nd.array(boxes), boxes2=nd.array(boxes2),
                feat=nd.array(rng.uniform(0, 1, (1, 2, 6, 6))),
                rois=nd.array([[0, 0.5, 0.5, 3.5, 4], [0, 1, 2, 5, 5.5]]),
                anchor=nd.array(anchor), label=nd.array(label),
                cls_pred=nd.array(rng.uniform(-1, 1, (1, 3, 4))),
                loc_pred=nd.array(rng.uniform(-0.2, 0.2, (1, 16))),
                qkv=nd.array(rng.uniform(-1, 1, (3, 2, 12))),
                kv=nd.array(rng.uniform(-1, 1, (4, 2, 8))),
                q=nd.array(rng.uniform(-1, 1, (3, 2, 4))),
                att=nd.array(rng.uniform(0, 1, (4, 3, 3))),
                att2=nd.array(rng.uniform(0, 1, (4, 3, 4))),
                seq=nd.array(rng.uniform(0, 1, (2, 3, 4))))


def _problem(expr, want):
    value = eval(expr, _env())  # noqa: S307 - fixed expressions from the fixture
    value = value[0] if isinstance(value, (list, tuple)) else value
    got = value.asnumpy()
    if str(got.dtype) != want["dtype"] or list(got.shape) != want["shape"]:
        return "%s: got %s%s, MXNet %s%s" % (expr, got.dtype, got.shape, want["dtype"],
                                             tuple(want["shape"]))
    ref = np.array([np.nan if v is None else v for v in want["values"]], dtype=np.float64)
    if not np.allclose(got.astype(np.float64).ravel(), ref, rtol=1e-4, atol=1e-5,
                       equal_nan=True):
        return "%s: got %s, MXNet %s" % (expr, got.ravel()[:8].tolist(), want["values"][:8])
    return None


def _cases(prefix):
    with open(FIXTURE) as fh:
        data = json.load(fh)
    return [(k, v) for k, v in sorted(data.items())
            if k not in KNOWN and "error" not in v and (k.startswith(prefix) or
                                                         prefix == "G(" and "G(" in k)]


@pytest.mark.parametrize("prefix", ["nd.contrib.box", "nd.contrib.bipartite", "nd.contrib.Multi",
                                    "nd.contrib.ROIAlign", "nd.contrib.Bilinear", "nd.contrib.",
                                    "nd.ROI", "G("])
def test_contrib_sweep_matches_mxnet(prefix):
    cases = _cases(prefix)
    problems = []
    for expr, want in cases:
        try:
            msg = _problem(expr, want)
        except Exception as err:  # noqa: BLE001 - reported with the case
            msg = "%s raised %s: %s" % (expr, type(err).__name__, err)
        if msg:
            problems.append(msg)
    assert cases
    assert not problems, "\n".join(problems)


def test_contrib_sweep_errors_where_both_refuse():
    env = _env()
    with pytest.raises(mx.base.MXNetError):
        eval("nd.contrib.hawkesll(nd.array([[0.5, 0.2]]), nd.array([[0.3, 0.2]]), "  # noqa: S307
             "nd.array([0.8, 0.5]), nd.zeros((1, 2)), nd.array([[0.5, 1.0, 0.7]]), "
             "nd.array([[0, 1, 0]], dtype='int32'), nd.array([3]), nd.array([3.0]))", env)
