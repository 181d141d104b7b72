"""Capture mx.image results from real MXNet 1.9.1 into tests/fixtures/image/mxnet_image.npz.

Run with the oracle interpreter (MXNet 1.9.1, built with OpenCV 3.4.2):

    ~/mxref/bin/python tools/image_fixtures.py

Inputs are generated from fixed seeds; encoded images come from the recordio fixtures
(tests/fixtures/recordio/images.rec: a PNG and two JPEGs packed by MXNet).
"""
import os
import random

import numpy as np
import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "tests", "fixtures")


def images():
    rng = np.random.RandomState(7)
    noise = rng.randint(0, 256, size=(13, 17, 3)).astype("uint8")
    yy, xx = np.mgrid[0:21, 0:16]
    smooth = np.stack([xx * 15, yy * 12, (xx + yy) * 7], axis=-1).astype("uint8")
    return {"noise": noise, "smooth": smooth}


def main():
    out = {}
    for name, img in images().items():
        src = mx.nd.array(img, dtype="uint8")
        out["in/%s" % name] = img
        for interp in range(5):
            for (w, h) in ((7, 5), (30, 25), (17, 9)):
                key = "imresize/%s/%d/%dx%d" % (name, interp, w, h)
                out[key] = mx.image.imresize(src, w, h, interp=interp).asnumpy()
        out["imresize_f32/%s" % name] = mx.image.imresize(src.astype("float32"), 9, 8,
                                                          interp=1).asnumpy()
        out["resize_short/%s" % name] = mx.image.resize_short(src, 10).asnumpy()
        out["center_crop/%s" % name] = mx.image.center_crop(src, (8, 6))[0].asnumpy()
        out["center_crop_up/%s" % name] = mx.image.center_crop(src, (40, 30))[0].asnumpy()
        out["fixed_crop/%s" % name] = mx.image.fixed_crop(src, 2, 3, 6, 5, size=(9, 7)).asnumpy()
        out["border/%s" % name] = mx.image.copyMakeBorder(src, 1, 2, 3, 4, type=1).asnumpy()
        out["border_const/%s" % name] = mx.image.copyMakeBorder(src, 2, 1, 0, 3,
                                                                values=(5, 6, 7)).asnumpy()
        f = src.astype("float32")
        out["normalize/%s" % name] = mx.image.color_normalize(
            f.copy(), mx.nd.array([120, 110, 100]), mx.nd.array([50, 60, 70])).asnumpy()
        random.seed(3)
        crops = [mx.image.random_crop(src, (8, 8))[1] for _ in range(4)]
        out["random_crop_boxes/%s" % name] = np.array(crops)
        random.seed(5)
        boxes = [mx.image.random_size_crop(src, (6, 6), 0.3, (0.75, 1.33))[1] for _ in range(4)]
        out["random_size_crop_boxes/%s" % name] = np.array(boxes)
        random.seed(11)
        np.random.seed(11)
        augs = mx.image.CreateAugmenter((3, 8, 8), resize=10, rand_crop=True, rand_mirror=True,
                                        mean=True, std=True, brightness=0.2, contrast=0.2,
                                        saturation=0.2, hue=0.1, pca_noise=0.1, rand_gray=0.3)
        x = src
        for aug in augs:
            x = aug(x)
        out["augment/%s" % name] = x.asnumpy()
        out["augment_dumps/%s" % name] = np.array([str(a.dumps()) for a in augs])
    rot = mx.nd.array(images()["smooth"].transpose(2, 0, 1).astype("float32"))
    for deg in (30, -45, 90):
        out["imrotate/%d" % deg] = mx.image.imrotate(rot, deg).asnumpy()
        out["imrotate_in/%d" % deg] = mx.image.imrotate(rot, deg, zoom_in=True).asnumpy()
        out["imrotate_out/%d" % deg] = mx.image.imrotate(rot, deg, zoom_out=True).asnumpy()
    rec = mx.recordio.MXIndexedRecordIO(os.path.join(FIX, "recordio", "images.idx"),
                                        os.path.join(FIX, "recordio", "images.rec"), "r")
    for key in rec.keys:
        _, body = mx.recordio.unpack(rec.read_idx(key))
        out["imdecode/%d/color" % key] = mx.image.imdecode(body).asnumpy()
        out["imdecode/%d/gray" % key] = mx.image.imdecode(body, flag=0).asnumpy()
        out["imdecode/%d/bgr" % key] = mx.image.imdecode(body, to_rgb=False).asnumpy()
    out["scale_down"] = np.array([mx.image.scale_down(s, d) for s, d in
                                  [((640, 480), (720, 120)), ((360, 1000), (480, 500)),
                                   ((300, 300), (200, 100)), ((50, 40), (100, 100))]])
    detection(out)
    np.savez_compressed(os.path.join(FIX, "image", "mxnet_image.npz"), **out)
    print("wrote %d arrays" % len(out))


def det_label():
    return np.array([[0, 0.1, 0.2, 0.5, 0.6], [1, 0.4, 0.3, 0.9, 0.95],
                     [2, 0.05, 0.7, 0.25, 0.9]], dtype=np.float32)


def detection(out):
    """Detection augmenters driven by Python's random module (seeded)."""
    src = mx.nd.array(images()["noise"], dtype="uint8")
    det = mx.image.detection
    for k, aug in enumerate([det.DetRandomCropAug(min_object_covered=0.3),
                             det.DetRandomCropAug(area_range=(0.3, 0.8), max_attempts=5),
                             det.DetRandomPadAug(area_range=(1.0, 4.0)),
                             det.DetHorizontalFlipAug(1.0)]):
        for seed in range(3):
            random.seed(100 + seed)
            img, lab = aug(src, det_label())
            out["det/%d/%d/img" % (k, seed)] = img.asnumpy()
            out["det/%d/%d/label" % (k, seed)] = np.asarray(lab)
    random.seed(7)
    np.random.seed(7)
    augs = det.CreateDetAugmenter((3, 9, 9), rand_crop=0.5, rand_pad=0.5, rand_mirror=True,
                                  mean=True, std=True)
    img, lab = src, det_label()
    for aug in augs:
        img, lab = aug(img, lab)
    out["det/chain/img"] = img.asnumpy()
    out["det/chain/label"] = np.asarray(lab)


if __name__ == "__main__":
    main()
