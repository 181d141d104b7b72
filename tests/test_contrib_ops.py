"""Contrib, detection and image operators: behaviour the golden fixtures do not cover.

Expected numbers marked "MXNet 1.9.1" were produced by the real mxnet 1.9.1 (pip, CPU build
with oneDNN) on the inputs written here; the rest are checked against numpy formulas.
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

nd = mx.nd

# ---- numbers from MXNet 1.9.1 ----------------------------------------------------------------
ENCODE = [[[[2.5, 2.75, -3.465736, 1.115718], [0.0, 0.0, 0.0, 0.0],
            [1.5, -2.249999, 3.209269, 0.6988101]]],
          [[[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]]]
DECODE = [[[[-0.04183662, -0.0500502, 2.081837, 1.97005],
            [-0.4615582, -1.682104, 0.4615582, 1.982104]]]]
DECODE_CORNER = [[[[0.9250706, 0.7743644, 2.27493, 1.825635],
                   [0.16484, -1.980175, 0.83516, 7.980175]]]]
PRIOR = [[[[0.0, 0.07322331, 0.4023689, 0.4267767], [0.02524531, 0.143934, 0.308088, 0.356066],
           [0.04881554, 0.0, 0.2845178, 0.6035534], [0.2642977, 0.07322331, 0.7357023, 0.4267767],
           [0.3585786, 0.143934, 0.6414214, 0.356066], [0.3821489, 0.0, 0.6178511, 0.6035534],
           [0.5976311, 0.07322331, 1.0, 0.4267767], [0.691912, 0.143934, 0.9747548, 0.356066],
           [0.7154822, 0.0, 0.9511845, 0.6035534], [0.0, 0.5732233, 0.4023689, 0.9267767],
           [0.02524531, 0.643934, 0.308088, 0.856066], [0.04881554, 0.3964466, 0.2845178, 1.0],
           [0.2642977, 0.5732233, 0.7357023, 0.9267767],
           [0.3585786, 0.643934, 0.6414214, 0.856066], [0.3821489, 0.3964466, 0.6178511, 1.0],
           [0.5976311, 0.5732233, 1.0, 0.9267767], [0.691912, 0.643934, 0.9747548, 0.856066],
           [0.7154822, 0.3964466, 0.9511845, 1.0]]]]
PROPOSAL = [[[0.0, 0.4, 0.0, 3.4, 3.0], [0.0, 4.0, 0.0, 7.0, 2.2], [0.0, 0.0, 4.0, 3.699718, 4.0],
             [0.0, 4.0, 4.0, 7.0, 4.0], [0.0, 0.4, 0.0, 3.4, 3.0]],
            [[0.9], [0.8], [-1.0], [-1.0], [0.9]]]
RESIZE_U8_BILINEAR = [[[[10, 200, 30], [25, 125, 142], [40, 50, 255]],
                       [[6, 171, 44], [66, 152, 149], [126, 132, 255]],
                       [[0, 128, 64], [128, 192, 160], [255, 255, 255]],
                       [[4, 56, 31], [83, 79, 81], [162, 102, 132]],
                       [[7, 8, 9], [53, 4, 29], [100, 0, 50]]]]
RESIZE_U8_0 = [[[[10, 200, 30], [10, 200, 30], [40, 50, 255]],
                [[0, 128, 64], [0, 128, 64], [255, 255, 255]]]]
RESIZE_U8_2 = [[[[0, 195, 20], [51, 147, 151], [102, 98, 255]],
                [[0, 30, 16], [74, 49, 60], [155, 68, 103]]]]
RESIZE_U8_3 = [[[[7, 176, 41], [59, 147, 148], [112, 118, 255]],
                [[5, 48, 27], [78, 66, 73], [152, 85, 118]]]]
RESIZE_U8_4 = [[[[0, 199, 21], [52, 151, 154], [105, 104, 255]],
                [[0, 26, 17], [76, 49, 59], [160, 72, 101]]]]
RESIZE_F32 = [[[[0.02941177, 0.7137255, 0.1509804], [0.1139706, 0.6345589, 0.3632353],
                [0.2830882, 0.4762255, 0.7877451], [0.3676471, 0.3970588, 1.0]],
               [[0.02058824, 0.1490196, 0.0892157], [0.1514706, 0.1742647, 0.1661765],
                [0.4132353, 0.2247549, 0.320098], [0.5441177, 0.25, 0.3970588]]]]
CONTRAST = [[[[44, 158, 56], [62, 68, 191]], [[38, 115, 76], [191, 191, 191]],
             [[42, 43, 43], [98, 38, 68]]]]
BRIGHT = [[[[13, 255, 39], [52, 65, 255]], [[0, 166, 83], [255, 255, 255]],
           [[9, 10, 11], [130, 0, 65]]]]
HUE = [[[[9, 27, 200], [255, 39, 92]], [[38, 0, 128], [255, 255, 255]], [[9, 7, 8], [69, 100, 0]]]]
LIGHT = [[[[9.163815, 199.0776, 29.83051], [39.16381, 49.07759, 254.8305]],
          [[-0.8361855, 127.0776, 63.83051], [254.1638, 254.0776, 254.8305]],
          [[6.163815, 7.077592, 8.830509], [99.16382, -0.9224077, 49.83051]]]]
LIGHT_U8 = [[[[9, 199, 29], [39, 49, 254]], [[0, 127, 63], [254, 254, 254]],
             [[6, 7, 8], [99, 0, 49]]]]
NORM_U8 = [[[[251, 10], [246, 117], [250, 40]], [[33, 240], [9, 51], [226, 223]],
            [[6, 63], [15, 63], [1, 11]]]]
Q_U8 = [[[0, 0, 0, 22, 60, 170, 255, 0]], [-2.0], [3.0]]
Q_I8 = [[[-64, -13, 0, 11, 30, 85, 127, -127]], [-3.0], [3.0]]
QV2_I8 = [[[-64, -13, 0, 11, 30, 85, 127, -128]], [-3.0], [3.0]]
QV2_U8C = [[[0, 0, 0, 27, 72, 204, 255, 0]], [0.0], [2.5]]
DQ_I8 = [[[-3.011765, -0.1176471, 0.0, 2.988235]]]
DQ_U8 = [[[0.0, 0.05870841, 1.502935, 2.994129]]]
RQ = [[[63, 20, 127, -27, 98, 120, -24, -1]], [-2.258457e-08], [2.258457e-08]]
RQ_U8C = [[[255, 89, 255, 0, 255, 255, 0, 0]], [0.0], [1e-08]]
CALIB = [[4.5], [0.1196408]]


def _close(got, want, tol=1e-5):
    got = got if isinstance(got, (list, tuple)) else [got]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.asnumpy(), np.array(w, dtype=g.asnumpy().dtype), rtol=tol,
                                   atol=tol)


def _nms(rows, **kw):
    return nd.contrib.box_nms(nd.array(np.array(rows, np.float32)), **kw).asnumpy()


NEG = [-1.0] * 6

# ---- box_nms -----------------------------------------------------------------------------------


def test_box_nms_class_ids_compare_as_integers():
    # MXNet 1.9.1: ids 0.7 and 0.9 are the same class (int 0); 0.7 and 1.9 are not
    out = _nms([[0.7, 1, 0, 0, 10, 10], [0.9, 1, 0, 0, 10, 10]], id_index=0)
    np.testing.assert_array_equal(out[1], NEG)
    out = _nms([[0.7, 1, 0, 0, 10, 10], [1.9, 1, 0, 0, 10, 10]], id_index=0)
    assert out[1][0] == np.float32(1.9)


def test_box_nms_background_and_thresholds():
    # MXNet 1.9.1: id == background_id (default -1) drops the row; other negative ids stay
    out = _nms([[-1, 1, 0, 0, 10, 10], [0.3, 1, 0, 0, 10, 10]], id_index=0)
    np.testing.assert_allclose(out, [[0.3, 1, 0, 0, 10, 10], NEG])
    out = _nms([[-2, 1, 0, 0, 10, 10], [-0.5, 0.9, 20, 0, 30, 10]], id_index=0)
    assert (out[:, 0] != -1).all()
    # score must be > valid_thresh; IoU must be > overlap_thresh (0.5 exactly keeps both)
    out = _nms([[0, 0.9, 0, 0, 2, 2], [0, 0.8, 0, 0, 2, 1], [0, 0.05, 5, 5, 6, 6]],
               overlap_thresh=0.5, valid_thresh=0.05)
    np.testing.assert_allclose(out[:2, 1], [0.9, 0.8])
    np.testing.assert_array_equal(out[2], NEG)


def test_box_nms_zero_area_boxes_never_suppress():
    # MXNet 1.9.1: 0/0 IoU does not suppress, even with a negative threshold
    out = _nms([[0, 0.5, 0, 0, 10, 10], [0, 0.6, 0, 0, 0, 0], [0, 0.4, 0, 0, 0, 0]],
               overlap_thresh=-1)
    np.testing.assert_allclose(out[:, 1], [0.6, 0.4, -1])


def test_box_nms_topk_and_ties():
    rows = [[1, 0.5, 0, 0, 10, 10], [2, 0.6, 0, 0, 10, 10], [3, 0.4, 0, 0, 10, 10]]
    np.testing.assert_allclose(_nms(rows, topk=0, out_format="center"), rows)  # untouched
    np.testing.assert_allclose(_nms(rows, topk=1)[0], rows[1])
    ties = [[0, 0.5, 0, 0, 1, 1], [1, 0.5, 5, 5, 6, 6], [2, 0.5, 0, 0, 1, 1]]
    np.testing.assert_allclose(_nms(ties)[:, 0], [0, 1, -1])  # stable order


def test_box_nms_formats_and_batch_dims():
    rows = np.array([[0, 0.9, 5, 5, 10, 10], [0, 0.8, 30, 30, 2, 2]], np.float32)
    out = _nms(rows, in_format="center", out_format="corner")
    np.testing.assert_allclose(out[0, 2:], [0, 0, 10, 10])
    data = np.random.RandomState(0).rand(2, 3, 4, 6).astype(np.float32)
    assert nd.contrib.box_non_maximum_suppression(nd.array(data)).shape == (2, 3, 4, 6)


def test_box_nms_gradient_goes_to_kept_rows():
    # MXNet 1.9.1: head gradient rows are copied back to the kept input rows
    d = np.array([[0, 0.9, 0, 0, 10, 10], [0, 0.8, 1, 1, 11, 11], [1, 0.7, 0, 0, 10, 10],
                  [0, 0.95, 20, 20, 30, 30], [0, 0.05, 0, 0, 1, 1]], np.float32)
    x = nd.array(d)
    x.attach_grad()
    with mx.autograd.record():
        y = nd.contrib.box_nms(x, overlap_thresh=0.5)
    y.backward(nd.arange(30).reshape((5, 6)))
    want = np.zeros((5, 6), np.float32)
    want[3], want[0], want[4] = np.arange(6), np.arange(6, 12), np.arange(12, 18)
    np.testing.assert_allclose(x.grad.asnumpy(), want)


@pytest.mark.parametrize("kw, match", [
    (dict(score_index=2), "score_index=2 overlaps"),
    (dict(id_index=1), "id_index and score_index"),
    (dict(id_index=6), "id_index=6 is out of range"),
    (dict(coord_start=3), "do not fit"),
])
def test_box_nms_errors(kw, match):
    with pytest.raises(MXNetError, match=match):
        nd.contrib.box_nms(nd.zeros((2, 6)), **kw)
    with pytest.raises(MXNetError, match="at least 2 dims"):
        nd.contrib.box_nms(nd.zeros((6,)))


# ---- box_iou / encode / decode / bipartite_matching -------------------------------------------


def test_box_iou_values_and_zero_gradient():
    a = nd.array([[0, 0, 2, 2], [1, 1, 3, 3], [0, 0, 0, 0]])
    b = nd.array([[0, 0, 2, 2], [0, 0, 0, 0]])
    # MXNet 1.9.1: 1/7 overlap, and 0 (not NaN) for empty boxes
    np.testing.assert_allclose(nd.contrib.box_iou(a, b).asnumpy(),
                               [[1, 0], [1 / 7, 0], [0, 0]], rtol=1e-6)
    assert nd.contrib.box_iou(nd.zeros((2, 3, 4)), nd.zeros((5, 4))).shape == (2, 3, 5)
    a.attach_grad()
    with mx.autograd.record():
        y = nd.contrib.box_iou(a, b)
    y.backward()
    assert not a.grad.asnumpy().any()  # MXNet passes no gradient
    with pytest.raises(MXNetError, match="last dim of input 'lhs' must be 4"):
        nd.contrib.box_iou(nd.zeros((3, 5)), b)


def test_box_encode_decode():
    samples, matches = nd.array([[1, -1, 1]]), nd.array([[1, 0, 0]])
    anchors = nd.array([[[0, 0, 2, 2], [1, 1, 3, 4], [0.5, 0.5, 1.5, 2.5]]])
    refs = nd.array([[[0.2, 0.1, 2.1, 2.4], [1, 0.5, 2, 3]]])
    means, stds = nd.array([0, 0.1, 0, 0]), nd.array([0.1, 0.1, 0.2, 0.2])
    _close(nd.contrib.box_encode(samples, matches, anchors, refs, means, stds), ENCODE)
    data = nd.array([[[0.1, -0.2, 0.3, 0.05], [0.0, 0.5, -0.4, 1.2]]])
    anc = nd.array([[[1, 1, 2, 2], [0, 0, 1, 3]]])
    _close(nd.contrib.box_decode(data, anc, std0=0.1, std1=0.1, std2=0.2, std3=0.2, clip=0.2),
           DECODE)
    _close(nd.contrib.box_decode(data, anc, format="corner"), DECODE_CORNER)


def _match(x, **kw):
    return [o.asnumpy().tolist() for o in nd.contrib.bipartite_matching(nd.array(x), **kw)]


def test_bipartite_matching():
    x = [[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]]
    # MXNet 1.9.1 results; scores must be strictly above (below when ascending) threshold
    assert _match(x, threshold=1e-12) == [[1, -1, 0], [2, 0]]
    assert _match(x, threshold=0.3) == [[1, -1, -1], [-1, 0]]
    assert _match(x, threshold=0.3, is_ascend=True) == [[-1, 0, -1], [1, -1]]
    ties = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.3]]
    assert _match(ties, threshold=0.1) == [[0, 1, -1], [0, 1]]
    # deviation: MXNet returns topk + 1 matches; mxtorch returns at most topk
    assert _match(x, threshold=1e-12, topk=1) == [[1, -1, -1], [-1, 0]]
    out = nd.contrib.bipartite_matching(nd.zeros((2, 3, 4, 5), dtype="float64"), threshold=0.1)
    assert [o.shape for o in out] == [(2, 3, 4), (2, 3, 5)] and out[0].dtype == np.float64


# ---- SSD and Faster R-CNN ops ----------------------------------------------------------------


def test_multibox_prior_uses_first_ratio_for_sizes():
    out = nd.contrib.MultiBoxPrior(nd.zeros((1, 1, 2, 3)), sizes=(0.5, 0.3), ratios=(2, 0.5),
                                   clip=True)
    _close(out, PRIOR)


def test_multibox_target_negative_mining():
    rng = np.random.RandomState(3)
    xy = rng.rand(10, 2) * 0.8
    anc = nd.array(np.concatenate([xy, xy + 0.2], 1)[None])
    lab = nd.array([[[1, 0.1, 0.1, 0.35, 0.3], [-1] * 5]])
    cls = nd.array(rng.randn(1, 3, 10))
    # MXNet 1.9.1: hardest negatives = lowest background probability; the rest ignored
    for ratio, want in ((1, [-1, -1, 0, 2, -1, -1, -1, -1, -1, -1]),
                        (2, [-1, 0, 0, 2, -1, -1, -1, -1, -1, -1]),
                        (-1, [0, 0, 0, 2, 0, 0, 0, 0, 0, 0])):
        out = nd.contrib.MultiBoxTarget(anc, lab, cls, negative_mining_ratio=ratio,
                                        minimum_negative_samples=5)
        assert out[2].asnumpy().ravel().tolist() == want
    empty = nd.contrib.MultiBoxTarget(anc, nd.full((1, 2, 5), -1), cls)
    assert (empty[2].asnumpy() == -1).all() and not empty[1].asnumpy().any()


def test_multibox_detection_layout():
    anc = nd.array([[[0, 0, 0.5, 0.5], [0, 0, 0.5, 0.25], [0.3, 0.3, 0.3, 0.3],
                     [0.3, 0.3, 0.3, 0.3]]])
    cls = nd.array([[[0.1, 0.1, 0.1, 0.1], [0.9, 0.8, 0.7, 0.6]]])
    loc = nd.zeros((1, 16))
    # MXNet 1.9.1: IoU >= nms_threshold suppresses (class -1 only); score < threshold drops
    out = nd.contrib.MultiBoxDetection(cls, loc, anc, nms_threshold=0.5, threshold=0.7)
    np.testing.assert_allclose(out.asnumpy()[0], [[0, 0.9, 0, 0, 0.5, 0.5],
                                                  [-1, 0.8, 0, 0, 0.5, 0.25],
                                                  [0, 0.7, 0.3, 0.3, 0.3, 0.3], NEG])
    # nms_topk: rows after the kept ones are the remaining valid rows in anchor order, class -1
    out = nd.contrib.MultiBoxDetection(cls, loc, anc, nms_topk=1, background_id=1)
    np.testing.assert_allclose(out.asnumpy()[0, :, :2], [[0, 0.9], [-1, 0.8], [-1, 0.7],
                                                         [-1, 0.6]])
    with pytest.raises(MXNetError, match="anchor"):
        nd.contrib.MultiBoxDetection(cls, loc, nd.zeros((2, 4, 4)))


def test_proposal():
    cls = nd.array([[[[0., 0], [0, 0]], [[0.9, 0.8], [0.7, 0.6]]]])
    bbox = nd.array([[[[0.1, 0], [0, 0]], [[0, -0.2], [0, 0]], [[0, 0], [0.3, 0]],
                      [[0, 0], [0, -0.1]]]])
    kw = dict(scales=(1.0,), ratios=(1.0,), feature_stride=4, rpn_pre_nms_top_n=10,
              rpn_post_nms_top_n=5, threshold=0.5, rpn_min_size=1)
    _close(nd.contrib.Proposal(cls, bbox, nd.array([[5, 8, 1]]), output_score=True, **kw),
           PROPOSAL)
    rois = nd.contrib.MultiProposal(nd.concat(cls, cls, dim=0), nd.concat(bbox, bbox, dim=0),
                                    nd.array([[5, 8, 1], [8, 8, 1]]), **kw)
    assert rois.shape == (10, 5) and rois.asnumpy()[5:, 0].tolist() == [1] * 5
    with pytest.raises(MXNetError, match="batch size 1"):
        nd.contrib.Proposal(nd.concat(cls, cls, dim=0), nd.concat(bbox, bbox, dim=0),
                            nd.array([[5, 8, 1], [5, 8, 1]]), **kw)
    with pytest.raises(MXNetError, match="larger than the feature map"):
        nd.contrib.Proposal(cls, bbox, nd.array([[50, 8, 1]]), **kw)


def test_detection_shapes_infer_symbolically():
    data = mx.sym.var("data")
    out = mx.sym.contrib.MultiBoxPrior(data, sizes=(0.5, 0.25), ratios=(1, 2, 0.5))
    assert out.infer_shape(data=(1, 3, 4, 4))[1] == [(1, 64, 4)]
    nms = mx.sym.contrib.box_nms(data)
    assert nms.infer_shape(data=(2, 7, 6))[1] == [(2, 7, 6)]


# ---- image ------------------------------------------------------------------------------------

IMG = np.array([[[10, 200, 30], [40, 50, 255]], [[0, 128, 64], [255, 255, 255]],
                [[7, 8, 9], [100, 0, 50]]], np.uint8)


def _img(dtype="uint8"):
    return nd.array(IMG, dtype=dtype)


def test_resize_matches_opencv():
    # MXNet 1.9.1 (OpenCV): exact for uint8 bilinear/nearest/cubic/area/Lanczos
    _close(nd.image.resize(_img(), (3, 5)), RESIZE_U8_BILINEAR, 0)
    for interp, want in ((0, RESIZE_U8_0), (2, RESIZE_U8_2), (3, RESIZE_U8_3), (4, RESIZE_U8_4)):
        _close(nd.image.resize(_img(), (3, 2), interp=interp), want, 0)
    _close(nd.image.resize(_img("float32") / 255, (4, 2)), RESIZE_F32, 1e-6)


def test_resize_sizes_and_errors():
    x = nd.zeros((9, 13, 3), dtype="uint8")
    # MXNet 1.9.1: one int + keep_ratio scales the shorter side; (w, h) ignores keep_ratio
    assert nd.image.resize(x, 5, True).shape == (5, 7, 3)
    assert nd.image.resize(x, 5).shape == (5, 5, 3)
    assert nd.image.resize(x, (4, 20), True).shape == (20, 4, 3)
    assert nd.image.resize(nd.zeros((2, 9, 13, 1)), (3, 2)).shape == (2, 2, 3, 1)
    with pytest.raises(MXNetError, match="interp=9"):
        nd.image.resize(x, 5, interp=9)
    with pytest.raises(MXNetError, match="height, width, channels"):
        nd.image.resize(nd.zeros((9, 13)), 5)
    with pytest.raises(MXNetError, match="float16"):
        nd.image.resize(x.astype("float16"), 5)


def test_to_tensor_and_normalize():
    t = nd.image.to_tensor(_img())
    assert t.shape == (3, 3, 2) and t.dtype == np.float32
    np.testing.assert_allclose(t.asnumpy(), IMG.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    assert nd.image.to_tensor(nd.zeros((2, 4, 5, 3))).shape == (2, 3, 4, 5)
    out = nd.image.normalize(t, mean=(0.1, 0.2, 0.3), std=(0.5, 0.25, 2))
    want = (IMG.transpose(2, 0, 1) / 255.0 - np.array([0.1, 0.2, 0.3])[:, None, None]) / \
        np.array([0.5, 0.25, 2])[:, None, None]
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-5)
    # MXNet 1.9.1: integer results wrap instead of saturating
    _close(nd.image.normalize(nd.array(IMG.transpose(2, 0, 1), dtype="uint8"),
                              mean=(20, 100, 3), std=(2, 3, 4)), NORM_U8, 0)
    with pytest.raises(MXNetError, match="4 values and only"):
        nd.image.normalize(t)  # the default mean has 4 values, as in MXNet
    with pytest.raises(MXNetError, match="channel dim"):
        nd.image.normalize(nd.zeros((4, 2, 2)), mean=0.1, std=1)


def test_crop_and_flips():
    x = nd.array(np.arange(5 * 4 * 3).reshape(5, 4, 3), dtype="float32")
    np.testing.assert_array_equal(nd.image.crop(x, 1, 2, 3, 2).asnumpy(),
                                  x.asnumpy()[2:4, 1:4])
    with pytest.raises(MXNetError, match="does not fit"):
        nd.image.crop(x, 3, 0, 3, 2)
    np.testing.assert_array_equal(nd.image.flip_left_right(x).asnumpy(), x.asnumpy()[:, ::-1])
    # deviation: MXNet 1.9.1 leaves the middle row of an odd-height image uninitialised
    np.testing.assert_array_equal(nd.image.flip_top_bottom(x).asnumpy(), x.asnumpy()[::-1])
    with pytest.raises(MXNetError, match="1 or 3 channels"):
        nd.image.flip_left_right(nd.zeros((2, 2, 4)))


def test_color_ops():
    _close(nd.image.random_brightness(_img(), 1.3, 1.3), BRIGHT, 0)
    _close(nd.image.random_contrast(_img(), 0.6, 0.6), CONTRAST, 0)
    _close(nd.image.random_hue(_img(), 0.3, 0.3), HUE, 0)
    _close(nd.image.adjust_lighting(_img("float32"), alpha=(0.02, -0.1, 0.3)), LIGHT, 1e-4)
    _close(nd.image.adjust_lighting(_img(), alpha=(0.02, -0.1, 0.3)), LIGHT_U8, 0)
    # saturation blends with the ITU-R 601 luma (deviation: MXNet uses only 0.114 * blue)
    x = IMG.astype(np.float32)
    gray = x @ np.array([0.299, 0.587, 0.114], np.float32)
    want = x * 0.4 + gray[..., None] * 0.6
    np.testing.assert_allclose(nd.image.random_saturation(_img("float32"), 0.4, 0.4).asnumpy(),
                               want, rtol=1e-5)
    with pytest.raises(MXNetError, match="min_factor=-0.1 must be >= 0"):
        nd.image.random_hue(_img(), -0.1, 0.2)


def test_random_image_ops_follow_seed():
    x = nd.array(np.random.RandomState(0).rand(4, 5, 3), dtype="float32")
    results = []
    for _ in range(2):
        mx.random.seed(7)
        results.append([nd.image.random_color_jitter(x, 0.3, 0.3, 0.3, 0.1).asnumpy(),
                        nd.image.random_lighting(x, 0.1).asnumpy(),
                        nd.image.random_flip_left_right(x).asnumpy()])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
    flips = {nd.image.random_flip_top_bottom(x).asnumpy()[0, 0, 0] for _ in range(30)}
    assert len(flips) == 2
    np.testing.assert_array_equal(nd.image.random_color_jitter(x, 0, 0, 0, 0).asnumpy(),
                                  x.asnumpy())


# ---- fft, quadratic, count_sketch, hawkesll -----------------------------------------------


def test_fft_ifft():
    x = np.random.RandomState(0).randn(3, 8).astype(np.float32)
    out = nd.contrib.fft(nd.array(x)).asnumpy()
    spec = np.fft.fft(x, axis=-1)
    np.testing.assert_allclose(out[:, 0::2], spec.real, atol=1e-5)
    np.testing.assert_allclose(out[:, 1::2], spec.imag, atol=1e-5)
    # unnormalised inverse (cuFFT convention, as MXNet): ifft(fft(x)) == d * x
    back = nd.contrib.ifft(nd.contrib.fft(nd.array(x))).asnumpy()
    np.testing.assert_allclose(back, 8 * x, atol=1e-4)
    assert nd.contrib.fft(nd.zeros((2, 3, 4, 5))).shape == (2, 3, 4, 10)
    with pytest.raises(MXNetError, match="must be even"):
        nd.contrib.ifft(nd.zeros((2, 3)))


def test_quadratic_and_count_sketch():
    x = nd.array([[-1.5, 0.26, 3.0]])
    np.testing.assert_allclose(nd.contrib.quadratic(x, 1, 2, 3).asnumpy(),
                               [[2.25, 3.5876, 18]], rtol=1e-5)
    # MXNet 1.9.1 computes integer input in integers: [-1, 0, 3] -> [2, 3, 18]
    assert nd.contrib.quadratic(x.astype("int32"), 1, 2, 3).asnumpy().tolist() == [[2, 3, 18]]
    data = nd.array([[1.2, 2.5, 3.4], [3.2, 5.7, 6.6]])  # the example in MXNet's docstring
    out = nd.contrib.count_sketch(data, nd.array([[0, 3, 4]]), nd.array([[1, -1, 1]]), out_dim=5)
    np.testing.assert_allclose(out.asnumpy(), [[1.2, 0, 0, -2.5, 3.4], [3.2, 0, 0, -5.7, 6.6]])
    with pytest.raises(MXNetError, match=r"hash values must lie in \[0, 2\)"):
        nd.contrib.count_sketch(data, nd.array([[0, 3, 1]]), nd.array([[1, 1, 1]]), out_dim=2)


def test_hawkesll_values_and_gradients():
    rng = np.random.RandomState(0)
    lda = nd.array(rng.rand(3, 2) + 0.2)
    alpha, beta = nd.array(rng.rand(2) * 0.5), nd.array(rng.rand(2) + 0.5)
    state, lags = nd.array(rng.rand(3, 2)), nd.array(rng.rand(3, 5))
    marks = nd.array(rng.randint(0, 2, (3, 5)), dtype="int32")
    for a in (lda, alpha, beta):
        a.attach_grad()
    with mx.autograd.record():
        ll, out_state = nd.contrib.hawkesll(lda, alpha, beta, state, lags, marks,
                                            nd.array([5, 3, 0]), nd.array([10., 6., 1.]))
    ll.backward(nd.array([1., 2., 3.]))
    # MXNet 1.9.1
    np.testing.assert_allclose(ll.asnumpy(), [-19.047665, -10.667917, -1.5042858], rtol=1e-5)
    np.testing.assert_allclose(out_state.asnumpy(), [[9.0645008e-05, 8.4050593e-04],
                                                     [4.5974399e-03, 4.6172044e-03],
                                                     [1.6436836e-02, 3.6015585e-02]], rtol=1e-4)
    np.testing.assert_allclose(lda.grad.asnumpy(), [[-6.3078623, -8.1631155],
                                                    [-5.59109, -12.], [-3., -3.]], rtol=1e-5)
    np.testing.assert_allclose(alpha.grad.asnumpy(), [-6.0984535, -3.8081439], rtol=1e-5)
    np.testing.assert_allclose(beta.grad.asnumpy(), [-0.21575633, 0.06085002], rtol=1e-4)


# ---- quantization -----------------------------------------------------------------------------

XQ = [[-1.5, -0.3, 0, 0.26, 0.7, 2.0, 3.0, -3.0]]


def test_quantize_family():
    x, lo, hi = nd.array(XQ), nd.array([-2.0]), nd.array([3.0])
    _close(nd.contrib.quantize(x, lo, hi, out_type="uint8"), Q_U8, 0)
    _close(nd.contrib.quantize(x, lo, hi, out_type="int8"), Q_I8, 0)
    _close(nd.contrib.quantize_v2(x), QV2_I8, 0)
    _close(nd.contrib.quantize_v2(x, out_type="auto", min_calib_range=0.0, max_calib_range=2.5),
           QV2_U8C, 0)
    assert nd.contrib.quantize_v2(x, out_type="auto")[0].dtype == np.int8  # no calib: int8
    _close(nd.contrib.dequantize(nd.array([[-128, -5, 0, 127]], dtype="int8"), lo, hi), DQ_I8)
    _close(nd.contrib.dequantize(nd.array([[0, 5, 128, 255]], dtype="uint8"), lo, hi), DQ_U8)
    i32 = nd.array([[48, 15, 97, -21, 75, 92, -18, -1]], dtype="int32")
    _close(nd.contrib.requantize(i32, nd.array([-0.5]), nd.array([0.5])), RQ, 1e-12)
    _close(nd.contrib.requantize(i32, nd.array([-0.5]), nd.array([0.5]), out_type="auto",
                                 min_calib_range=0.0, max_calib_range=1e-8), RQ_U8C, 1e-12)
    q8 = nd.array([[-3, 100]], dtype="int8")
    out = nd.contrib.quantize_v2(q8)
    assert out[0].asnumpy().tolist() == [[-3, 100]] and out[2].asnumpy().tolist() == [127.5]


def test_quantize_asym_and_errors():
    out, scale, shift = nd.contrib.quantize_asym(nd.array([[-1.0, 0.0, 0.5, 3.0]]))
    s = 255.5 / 4.0
    np.testing.assert_allclose(scale.asnumpy(), [s], rtol=1e-6)
    np.testing.assert_allclose(shift.asnumpy(), [255 - 3 * s], rtol=1e-6)
    assert out.dtype == np.uint8 and out.asnumpy().tolist() == [[0, 63, 95, 255]]
    with pytest.raises(MXNetError, match="must be int8 or uint8"):
        nd.contrib.dequantize(nd.zeros((2,)), nd.array([0.0]), nd.array([1.0]))
    with pytest.raises(MXNetError, match="must be int32"):
        nd.contrib.requantize(nd.zeros((2,)), nd.array([0.0]), nd.array([1.0]))
    with pytest.raises(MXNetError, match="both min_calib_range and max_calib_range"):
        nd.contrib.quantize_v2(nd.zeros((2,)), min_calib_range=0.0)
    with pytest.raises(MXNetError, match="'auto'"):
        nd.contrib.quantize(nd.zeros((2,)), nd.array([0.0]), nd.array([1.0]), out_type="auto")


def test_calibrate_entropy():
    h = np.array([1, 0, 3, 10, 40, 90, 42, 9, 2, 0, 1], np.float32)
    e = np.linspace(-5.5, 5.5, 12).astype(np.float32)
    _close(nd.contrib.calibrate_entropy(nd.array(h), nd.array(e), num_quantized_bins=3), CALIB)
    with pytest.raises(MXNetError, match="hist_edges must have 12"):
        nd.contrib.calibrate_entropy(nd.array(h), nd.array(e[:-1]))


def test_quantization_types_infer_symbolically():
    c = mx.sym.var("c")
    assert mx.sym.contrib.quantize_v2(c).infer_type(c="float32")[1][0] == np.int8
    auto = mx.sym.contrib.quantize_v2(c, out_type="auto", min_calib_range=0.0,
                                      max_calib_range=1.0)
    assert auto.infer_type(c="float32")[1][0] == np.uint8
    deq = mx.sym.contrib.dequantize(c, mx.sym.var("lo"), mx.sym.var("hi"))
    assert deq.infer_type(c="int8")[1] == [np.float32]
    assert mx.sym.image.to_tensor(c).infer_type(c="uint8")[1] == [np.float32]
