"""Round-6 mx.nd.contrib checks in MXNet 1.9.1 test_contrib_operator.py style: box_iou,
box_nms (thresholds, topk, id/background, formats), bipartite_matching, box_encode/box_decode,
MultiBoxPrior, index_copy/index_array, arange_like, boolean_mask, allclose, quadratic,
div_sqrt_dim, interleaved attention matmuls (forward and gradients against numpy).
(The 125-case table is tools/op6_contrib_sweep.py.) Own code, numpy references.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator6_contrib``.
"""
import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main


def _iou(a, b):
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=2)
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


@with_seed()
def test_box_iou_formats():
    a = np.random.uniform(0, 5, (4, 2))
    a = np.concatenate([a, a + np.random.uniform(0.5, 3, (4, 2))], 1)
    b = np.random.uniform(0, 5, (3, 2))
    b = np.concatenate([b, b + np.random.uniform(0.5, 3, (3, 2))], 1)
    got = mx.nd.contrib.box_iou(mx.nd.array(a), mx.nd.array(b))
    assert_almost_equal(got.asnumpy(), _iou(a, b), rtol=1e-4, atol=1e-5)
    center = lambda t: np.concatenate([(t[:, :2] + t[:, 2:]) / 2, t[:, 2:] - t[:, :2]], 1)  # noqa
    got = mx.nd.contrib.box_iou(mx.nd.array(center(a)), mx.nd.array(center(b)), format="center")
    assert_almost_equal(got.asnumpy(), _iou(a, b), rtol=1e-4, atol=1e-5)


def test_box_nms_options():
    det = np.array([[0, 0.9, 1, 1, 5, 5], [0, 0.8, 1.5, 1.5, 5.5, 5.5], [1, 0.7, 1, 1, 5, 5],
                    [1, 0.2, 6, 6, 8, 8], [-1, 0.95, 0, 0, 2, 2]], dtype=np.float32)
    x = mx.nd.array(det[None])
    out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5).asnumpy()[0]
    assert_almost_equal(out[:3], det[[4, 0, 3]])
    assert np.all(out[3:] == -1)
    # with id_index, class -1 entries are dropped and only same-class boxes suppress
    out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5, id_index=0).asnumpy()[0]
    assert_almost_equal(out[:3], det[[0, 2, 3]])
    out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5, id_index=0, force_suppress=True)
    assert_almost_equal(out.asnumpy()[0][:2], det[[0, 3]])
    for kw in (dict(valid_thresh=0.75), dict(topk=2)):
        out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5, **kw).asnumpy()[0]
        assert_almost_equal(out[:2], det[[4, 0]])
        assert np.all(out[2:] == -1)
    out = mx.nd.contrib.box_nms(x, overlap_thresh=0.5, id_index=0, background_id=0)
    assert_almost_equal(out.asnumpy()[0][:3], det[[4, 2, 3]])


def test_bipartite_matching():
    score = np.array([[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]], dtype=np.float32)
    rows, cols = mx.nd.contrib.bipartite_matching(mx.nd.array(score), threshold=1e-12)
    assert rows.asnumpy().tolist() == [1, -1, 0] and cols.asnumpy().tolist() == [2, 0]
    rows, cols = mx.nd.contrib.bipartite_matching(mx.nd.array(score), threshold=100,
                                                  is_ascend=True)
    assert rows.asnumpy().tolist() == [-1, 0, 1] and cols.asnumpy().tolist() == [1, 2]
    rows, cols = mx.nd.contrib.bipartite_matching(mx.nd.array(score), threshold=0.35)
    assert rows.asnumpy().tolist() == [1, -1, -1] and cols.asnumpy().tolist() == [-1, 0]
    rows, _ = mx.nd.contrib.bipartite_matching(mx.nd.array(score), threshold=0.45)
    assert rows.asnumpy().tolist() == [1, -1, -1]


def test_box_encode_decode_round_trip():
    anchors = np.array([[[0, 0, 2, 2], [1, 1, 3, 4], [2, 0, 5, 3]]], dtype=np.float32)
    refs = np.array([[[0.5, 0.5, 2.5, 2], [1, 0.5, 4, 4]]], dtype=np.float32)
    samples = mx.nd.array([[1, 1, -1]])
    matches = mx.nd.array([[0, 1, 0]])
    means, stds = mx.nd.array([0, 0, 0, 0]), mx.nd.array([0.1, 0.1, 0.2, 0.2])
    targets, masks = mx.nd.contrib.box_encode(samples, matches, mx.nd.array(anchors),
                                              mx.nd.array(refs), means, stds)
    assert masks.asnumpy()[0].tolist() == [[1] * 4, [1] * 4, [0] * 4]
    decoded = mx.nd.contrib.box_decode(targets, mx.nd.array(anchors), std0=0.1, std1=0.1,
                                       std2=0.2, std3=0.2, format="corner")
    assert_almost_equal(decoded.asnumpy()[0, :2], refs[0], rtol=1e-4, atol=1e-5)


def test_multibox_prior():
    out = mx.nd.contrib.MultiBoxPrior(mx.nd.zeros((1, 3, 2, 2)), sizes=(0.5,), ratios=(1, 4))
    assert out.shape == (1, 8, 4)
    first = out.asnumpy()[0, :2]
    assert_almost_equal(first[0], np.array([0, 0, 0.5, 0.5]), atol=1e-6)
    # ratio 4: width size * sqrt(4), height size / sqrt(4), centred on the first cell
    assert_almost_equal(first[1], np.array([0.25 - 0.5, 0.25 - 0.125, 0.25 + 0.5,
                                            0.25 + 0.125]), atol=1e-6)


def test_index_ops_and_arange_like():
    old = mx.nd.zeros((4, 3))
    new = mx.nd.array([[1, 1, 1], [2, 2, 2]])
    got = mx.nd.contrib.index_copy(old, mx.nd.array([2, 0]), new)
    assert got.asnumpy().tolist() == [[2, 2, 2], [0, 0, 0], [1, 1, 1], [0, 0, 0]]
    idx = mx.nd.contrib.index_array(mx.nd.zeros((2, 3)), axes=(1,))
    assert idx.dtype == np.int64 and idx.asnumpy()[..., 0].tolist() == [[0, 1, 2], [0, 1, 2]]
    x = mx.nd.zeros((2, 3, 4))
    assert mx.nd.contrib.arange_like(x, axis=1).asnumpy().tolist() == [0, 1, 2]
    got = mx.nd.contrib.arange_like(x, start=1, step=0.5, repeat=2, axis=-1)
    assert got.asnumpy().tolist() == [1, 1, 1.5, 1.5]
    assert mx.nd.contrib.arange_like(x).shape == (2, 3, 4)
    data = mx.nd.array([[1, 2], [3, 4], [5, 6]])
    got = mx.nd.contrib.boolean_mask(data, mx.nd.array([0, 1, 1]))
    assert got.asnumpy().tolist() == [[3, 4], [5, 6]]


def test_allclose_quadratic_div_sqrt_dim():
    a = mx.nd.array([1.0, 2.0, np.nan])
    assert mx.nd.contrib.allclose(a, a + 1e-7).asscalar() == 1
    assert mx.nd.contrib.allclose(a, a, equal_nan=False).asscalar() == 0
    assert mx.nd.contrib.allclose(a[:2], a[:2] + 1e-3).asscalar() == 0
    x = mx.nd.array(np.random.uniform(-1, 1, (2, 3)))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.contrib.quadratic(x, a=2, b=-1, c=0.5)
    y.backward()
    xn = x.asnumpy()
    assert_almost_equal(y.asnumpy(), 2 * xn ** 2 - xn + 0.5, rtol=1e-5, atol=1e-6)
    assert_almost_equal(x.grad.asnumpy(), 4 * xn - 1, rtol=1e-5, atol=1e-6)
    got = mx.nd.contrib.div_sqrt_dim(mx.nd.ones((2, 9)))
    assert_almost_equal(got.asnumpy(), np.full((2, 9), 1 / 3.0), rtol=1e-6)


@with_seed()
def test_interleaved_matmul_against_numpy():
    seq, batch, heads, dim = 3, 2, 2, 4
    qkv = np.random.uniform(-1, 1, (seq, batch, heads * 3 * dim)).astype(np.float32)
    parts = qkv.reshape(seq, batch, heads, 3, dim)
    q, k, v = (parts[:, :, :, i].transpose(1, 2, 0, 3).reshape(batch * heads, seq, dim)
               for i in range(3))
    att = mx.nd.contrib.interleaved_matmul_selfatt_qk(mx.nd.array(qkv), heads=heads)
    ref = (q / np.sqrt(dim)) @ k.transpose(0, 2, 1)
    assert_almost_equal(att.asnumpy(), ref, rtol=1e-4, atol=1e-5)
    w = np.random.uniform(0, 1, (batch * heads, seq, seq)).astype(np.float32)
    out = mx.nd.contrib.interleaved_matmul_selfatt_valatt(mx.nd.array(qkv), mx.nd.array(w),
                                                          heads=heads)
    ref = (w @ v).reshape(batch, heads, seq, dim).transpose(2, 0, 1, 3).reshape(seq, batch, -1)
    assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
    x = mx.nd.array(qkv)
    x.attach_grad()
    with mx.autograd.record():
        s = mx.nd.contrib.interleaved_matmul_selfatt_qk(x, heads=heads).sum()
    s.backward()
    gq = (np.ones((batch * heads, seq, seq)) @ k) / np.sqrt(dim)
    gq = gq.reshape(batch, heads, seq, dim).transpose(2, 0, 1, 3)
    assert_almost_equal(x.grad.asnumpy().reshape(seq, batch, heads, 3, dim)[:, :, :, 0], gq,
                        rtol=1e-4, atol=1e-5)


main(globals())
