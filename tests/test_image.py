"""mx.image against MXNet 1.9.1 (tests/fixtures/image/mxnet_image.npz, made by
tools/image_fixtures.py with the oracle).

Tolerances: MXNet 1.9.1 ships OpenCV 3.4.2; bicubic resizing (interp 2, the default of the
crop helpers) in the OpenCV we use differs by at most 1 grey level; every other resize mode,
decoding, cropping and border is exact. Float results: 1e-3 absolute (rotation), and 0.02
after the augmenter chain (one grey level divided by ImageNet's std).
"""
import os
import random

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import image as im
from mxtorch import recordio

HERE = os.path.dirname(__file__)
F = np.load(os.path.join(HERE, "fixtures", "image", "mxnet_image.npz"))
REC = os.path.join(HERE, "fixtures", "recordio")
NAMES = ("noise", "smooth")


def _src(name):
    return mx.nd.array(F["in/" + name], dtype="uint8")


def _close(got, key, tol=0):
    want = F[key]
    got = got.asnumpy() if isinstance(got, mx.nd.NDArray) else np.asarray(got)
    assert got.shape == want.shape, key
    assert got.dtype == want.dtype or tol, key
    assert np.abs(got.astype(np.float64) - want.astype(np.float64)).max() <= tol, key


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("interp", range(5))
def test_imresize(name, interp):
    for w, h in ((7, 5), (30, 25), (17, 9)):
        out = im.imresize(_src(name), w, h, interp=interp)
        _close(out, "imresize/%s/%d/%dx%d" % (name, interp, w, h), 1 if interp == 2 else 0)


@pytest.mark.parametrize("name", NAMES)
def test_crops_borders_normalize(name):
    src = _src(name)
    _close(im.imresize(src.astype("float32"), 9, 8, interp=1), "imresize_f32/" + name, 1e-3)
    _close(im.resize_short(src, 10), "resize_short/" + name, 1)
    _close(im.center_crop(src, (8, 6))[0], "center_crop/" + name)
    _close(im.center_crop(src, (40, 30))[0], "center_crop_up/" + name, 1)
    _close(im.fixed_crop(src, 2, 3, 6, 5, size=(9, 7)), "fixed_crop/" + name, 1)
    _close(im.copyMakeBorder(src, 1, 2, 3, 4, type=1), "border/" + name)
    _close(im.copyMakeBorder(src, 2, 1, 0, 3, values=(5, 6, 7)), "border_const/" + name)
    norm = im.color_normalize(src.astype("float32"), mx.nd.array([120, 110, 100]),
                              mx.nd.array([50, 60, 70]))
    _close(norm, "normalize/" + name, 1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_random_crops_follow_python_random(name):
    src = _src(name)
    random.seed(3)
    boxes = [im.random_crop(src, (8, 8))[1] for _ in range(4)]
    _close(np.array(boxes), "random_crop_boxes/" + name)
    random.seed(5)
    boxes = [im.random_size_crop(src, (6, 6), 0.3, (0.75, 1.33))[1] for _ in range(4)]
    _close(np.array(boxes), "random_size_crop_boxes/" + name)


@pytest.mark.parametrize("name", NAMES)
def test_create_augmenter_chain(name):
    random.seed(11)
    np.random.seed(11)
    augs = im.CreateAugmenter((3, 8, 8), resize=10, rand_crop=True, rand_mirror=True, mean=True,
                              std=True, brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1,
                              pca_noise=0.1, rand_gray=0.3)
    x = _src(name)
    for aug in augs:
        x = aug(x)
    _close(x, "augment/" + name, 0.02)
    assert [str(a.dumps()) for a in augs] == list(F["augment_dumps/" + name])


@pytest.mark.parametrize("deg", [30, -45, 90])
def test_imrotate(deg):
    src = mx.nd.array(F["in/smooth"].transpose(2, 0, 1).astype("float32"))
    _close(im.imrotate(src, deg), "imrotate/%d" % deg, 1e-3)
    _close(im.imrotate(src, deg, zoom_in=True), "imrotate_in/%d" % deg, 1e-3)
    _close(im.imrotate(src, deg, zoom_out=True), "imrotate_out/%d" % deg, 1e-3)
    batch = im.imrotate(mx.nd.stack(src, src), mx.nd.array([deg, 0]))
    _close(batch[0], "imrotate/%d" % deg, 1e-3)
    np.testing.assert_allclose(batch[1].asnumpy(), src.asnumpy(), atol=1e-3)


def test_imdecode_fixture_images():
    rec = recordio.MXIndexedRecordIO(os.path.join(REC, "images.idx"),
                                     os.path.join(REC, "images.rec"), "r")
    for key in rec.keys:
        _, body = recordio.unpack(rec.read_idx(key))
        _close(im.imdecode(body), "imdecode/%d/color" % key)
        _close(im.imdecode(body, flag=0), "imdecode/%d/gray" % key)
        _close(im.imdecode(body, to_rgb=False), "imdecode/%d/bgr" % key)
        _close(im.imdecode(np.frombuffer(body, np.uint8)), "imdecode/%d/color" % key)


def test_scale_down_and_interp_codes():
    cases = [((640, 480), (720, 120)), ((360, 1000), (480, 500)), ((300, 300), (200, 100)),
             ((50, 40), (100, 100))]
    _close(np.array([im.scale_down(s, d) for s, d in cases]), "scale_down")
    assert im._get_interp_method(9, (10, 10, 20, 20)) == 2
    assert im._get_interp_method(9, (10, 10, 5, 5)) == 3
    assert im._get_interp_method(9, (10, 10, 5, 20)) == 1
    with pytest.raises(ValueError, match="Unknown interp method 7"):
        im.imresize(_src("noise"), 3, 3, interp=7)


def test_imread_and_errors(tmp_path):
    import cv2
    img = F["in/noise"]
    path = str(tmp_path / "x.png")
    cv2.imwrite(path, img[:, :, ::-1])
    np.testing.assert_array_equal(im.imread(path).asnumpy(), img)
    assert im.imread(path, 0).shape == (13, 17, 1)
    out = mx.nd.zeros((13, 17, 3), dtype="uint8")
    assert im.imread(path, out=out) is out and out.asnumpy().sum() == img.sum()
    with pytest.raises(mx.MXNetError, match="nofile.jpg"):
        im.imread(str(tmp_path / "nofile.jpg"))
    with pytest.raises(mx.MXNetError, match="not a valid image"):
        im.imdecode(b"garbage")
    with pytest.raises(mx.MXNetError, match="does not fit"):
        im.fixed_crop(_src("noise"), 10, 10, 10, 10)


def _write_rec(tmp_path, n):
    idx, path = str(tmp_path / "d.idx"), str(tmp_path / "d.rec")
    rng = np.random.RandomState(0)
    with recordio.MXIndexedRecordIO(idx, path, "w") as rec:
        for i in range(n):
            img = rng.randint(0, 256, size=(10, 12, 3)).astype("uint8")
            rec.write_idx(i, recordio.pack_img(recordio.IRHeader(0, float(i), i, 0), img,
                                               img_fmt=".png"))
    return idx, path


def test_image_iter_record_file(tmp_path):
    idx, path = _write_rec(tmp_path, 5)
    it = im.ImageIter(2, (3, 8, 8), path_imgrec=path)
    batches = list(it)
    assert [b.pad for b in batches] == [0, 0, 1]
    assert batches[0].data[0].shape == (2, 3, 8, 8) and batches[0].data[0].dtype == np.float32
    assert [b.label[0].asnumpy().tolist() for b in batches] == [[0, 1], [2, 3], [4, 0]]
    it.reset()
    assert len(list(it)) == 3
    it = im.ImageIter(2, (3, 8, 8), path_imgrec=path, path_imgidx=idx,
                      last_batch_handle="discard")
    assert len(list(it)) == 2
    it = im.ImageIter(2, (3, 8, 8), path_imgrec=path, path_imgidx=idx,
                      last_batch_handle="roll_over")
    assert [b.label[0].asnumpy().tolist() for b in it] == [[0, 1], [2, 3]]
    it.reset()
    assert [b.label[0].asnumpy().tolist() for b in it][0] == [4, 0]
    it = im.ImageIter(2, (3, 8, 8), path_imgrec=path, path_imgidx=idx, num_parts=2,
                      part_index=1)
    assert [b.label[0].asnumpy().tolist() for b in it] == [[2, 3]]


def test_image_iter_image_list(tmp_path):
    import cv2
    names = []
    for i in range(3):
        names.append("img%d.png" % i)
        cv2.imwrite(str(tmp_path / names[-1]), np.full((9, 9, 3), 40 * i, np.uint8))
    it = im.ImageIter(3, (3, 4, 4), imglist=[[float(i), n] for i, n in enumerate(names)],
                      path_root=str(tmp_path))
    batch = next(it)
    assert batch.label[0].asnumpy().tolist() == [0, 1, 2]
    assert batch.data[0].asnumpy()[2].max() == 80
    lst = tmp_path / "x.lst"
    lst.write_text("".join("%d\t%d\t%d\t%s\n" % (i, i, 2 * i, n) for i, n in enumerate(names)))
    it = im.ImageIter(3, (3, 4, 4), path_imglist=str(lst), path_root=str(tmp_path),
                      label_width=2)
    assert next(it).label[0].asnumpy().tolist() == [[0, 0], [1, 2], [2, 4]]
    with pytest.raises(ValueError, match="3 channels"):
        im.ImageIter(1, (1, 4, 4), imglist=[[0.0, names[0]]], path_root=str(tmp_path))


def _det_label():
    return np.array([[0, 0.1, 0.2, 0.5, 0.6], [1, 0.4, 0.3, 0.9, 0.95],
                     [2, 0.05, 0.7, 0.25, 0.9]], dtype=np.float32)


def test_detection_augmenters_follow_python_random():
    det = im.detection
    src = _src("noise")
    augs = [det.DetRandomCropAug(min_object_covered=0.3),
            det.DetRandomCropAug(area_range=(0.3, 0.8), max_attempts=5),
            det.DetRandomPadAug(area_range=(1.0, 4.0)), det.DetHorizontalFlipAug(1.0)]
    for k, aug in enumerate(augs):
        for seed in range(3):
            random.seed(100 + seed)
            img, lab = aug(src, _det_label())
            _close(img, "det/%d/%d/img" % (k, seed))
            _close(lab, "det/%d/%d/label" % (k, seed), 1e-6)
    random.seed(7)
    np.random.seed(7)
    chain = det.CreateDetAugmenter((3, 9, 9), rand_crop=0.5, rand_pad=0.5, rand_mirror=True,
                                   mean=True, std=True)
    img, lab = src, _det_label()
    for aug in chain:
        img, lab = aug(img, lab)
    _close(img, "det/chain/img", 0.02)
    _close(lab, "det/chain/label", 1e-6)


def test_image_det_iter(tmp_path):
    idx, path = str(tmp_path / "d.idx"), str(tmp_path / "d.rec")
    rng = np.random.RandomState(0)
    counts = [1, 3, 2]
    with recordio.MXIndexedRecordIO(idx, path, "w") as rec:
        for i, n in enumerate(counts):
            boxes = np.tile([i, 0.1, 0.1, 0.8, 0.9], (n, 1)).astype(np.float32)
            label = np.concatenate([[2, 5], boxes.ravel()]).astype(np.float32)
            img = rng.randint(0, 256, size=(12, 10, 3)).astype("uint8")
            rec.write_idx(i, recordio.pack_img(recordio.IRHeader(0, label, i, 0), img,
                                               img_fmt=".png"))
    it = im.ImageDetIter(2, (3, 8, 8), path_imgrec=path, path_imgidx=idx)
    assert it.label_shape == (3, 5) and it.provide_label[0][1] == (2, 3, 5)
    batch = next(it)
    label = batch.label[0].asnumpy()
    assert batch.data[0].shape == (2, 3, 8, 8)
    assert label[0, 0].tolist() == pytest.approx([0, 0.1, 0.1, 0.8, 0.9])
    assert (label[0, 1:] == -1).all() and (label[1, :, 0] == 1).all()
    other = im.ImageDetIter(1, (3, 8, 8), path_imgrec=path, path_imgidx=idx)
    other.reshape(label_shape=(5, 5))
    assert it.sync_label_shape(other) is other and it.label_shape == (5, 5)
    with pytest.raises(ValueError, match="reduce label count"):
        it.reshape(label_shape=(2, 5))
