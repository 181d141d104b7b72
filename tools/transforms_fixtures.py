"""Capture gluon.data.vision.transforms outputs from real MXNet 1.9.1 into
tests/fixtures/image/mxnet_transforms.npz (deterministic transforms and identity settings of
the random ones).

    ~/mxref/bin/python tools/transforms_fixtures.py
"""
import os

import numpy as np
import mxnet as mx
from mxnet.gluon.data.vision import transforms as T

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "image", "mxnet_transforms.npz")


def cases():
    """name -> (transform factory source, input key); sources are eval'd with T in scope."""
    table = {
        "to_tensor": ("T.ToTensor()", "hwc"),
        "to_tensor_batch": ("T.ToTensor()", "nhwc"),
        "normalize": ("T.Compose([T.ToTensor(), T.Normalize((0.4, 0.5, 0.6), (0.2, 0.3, 0.25))])",
                      "hwc"),
        "normalize_scalar": ("T.Normalize(0.5, 2.0)", "chw_f"),
        "resize_int": ("T.Resize(7)", "hwc"),
        "resize_tuple": ("T.Resize((9, 5))", "hwc"),
        "resize_keep": ("T.Resize(6, keep_ratio=True)", "hwc"),
        "resize_batch": ("T.Resize((4, 6))", "nhwc"),
        "resize_float": ("T.Resize((9, 5))", "hwc_f"),
        "center_crop": ("T.CenterCrop(5)", "hwc"),
        "center_crop_pair": ("T.CenterCrop((6, 4))", "hwc"),
        "crop_resize": ("T.CropResize(1, 2, 5, 4)", "hwc"),
        "crop_resize_size": ("T.CropResize(1, 2, 5, 4, (8, 6), 1)", "hwc"),
        "cast": ("T.Cast('float16')", "hwc"),
        "rotate": ("T.Rotate(25)", "chw_f"),
        "rotate_zoom": ("T.Rotate(-40, zoom_in=True)", "chw_f"),
        "brightness0": ("T.RandomBrightness(0)", "hwc_u"),
        "contrast0": ("T.RandomContrast(0)", "hwc_u"),
        "saturation0": ("T.RandomSaturation(0)", "hwc_u"),
        "lighting0": ("T.RandomLighting(0)", "hwc_u"),
        "pipeline": ("T.Compose([T.Resize(12), T.CenterCrop(8), T.ToTensor(), "
                     "T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])", "hwc"),
    }
    for interp in range(5):
        table["resize_interp%d" % interp] = ("T.Resize((8, 11), interpolation=%d)" % interp, "hwc")
    return table


def inputs():
    rng = np.random.RandomState(4)
    hwc = rng.randint(0, 256, size=(10, 13, 3)).astype("uint8")
    return {"hwc": hwc, "nhwc": rng.randint(0, 256, size=(2, 7, 5, 3)).astype("uint8"),
            "hwc_f": hwc.astype("float32"),
            "chw_f": rng.uniform(0, 1, size=(3, 9, 8)).astype("float32"),
            "hwc_u": rng.uniform(0, 1, size=(6, 7, 3)).astype("float32")}


def main():
    src = inputs()
    out = {"in/" + k: v for k, v in src.items()}
    for name, (code, key) in sorted(cases().items()):
        block = eval(code)  # noqa: S307 (fixed table above)
        x = mx.nd.array(src[key], dtype=src[key].dtype)
        out["out/" + name] = block(x).asnumpy()
        out["code/" + name] = np.array([code, key])
    np.savez_compressed(OUT, **out)
    print("wrote %d cases" % len(cases()))


if __name__ == "__main__":
    main()
