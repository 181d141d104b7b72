#!/usr/bin/env python3
"""Capture MXNet 1.9.1's ImageRecordIter batches for tests/test_io.py (not run by CI).

    ~/mxref/bin/python tools/gen_image_record_fixture.py

Reads tests/fixtures/recordio/images.rec (three packed images: 6x5 PNG, 8x10 JPEG, 6x5 JPEG)
and writes tests/fixtures/io/image_record.npz: for each case ``<name>/data``, ``<name>/label``,
``<name>/pad`` of the first two epochs' batches. Cases cover center crops, short-edge resize
(down and up), mean/std/scale normalisation and round_batch.
"""
import os

import mxnet as mx
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REC = os.path.join(ROOT, "tests", "fixtures", "recordio", "images.rec")
NORM = dict(mean_r=10, mean_g=20, mean_b=30, std_r=2, std_g=3, std_b=4, scale=0.5)
CASES = {
    "crop444": dict(data_shape=(3, 4, 4), batch_size=2),
    "crop365": dict(data_shape=(3, 6, 5), batch_size=3),
    "resize7_crop888": dict(data_shape=(3, 8, 8), batch_size=2, resize=7),
    "resize9_crop365": dict(data_shape=(3, 6, 5), batch_size=2, resize=9),
    "norm444": dict(data_shape=(3, 4, 4), batch_size=2, **NORM),
    "norm_no_round": dict(data_shape=(3, 4, 4), batch_size=2, round_batch=False, **NORM),
}


def main():
    out = {}
    for name, kwargs in CASES.items():
        it = mx.io.ImageRecordIter(path_imgrec=REC, **kwargs)
        for epoch in range(2):
            for i, batch in enumerate(it):
                key = f"{name}/e{epoch}/b{i}"
                out[key + "/data"] = batch.data[0].asnumpy()
                out[key + "/label"] = batch.label[0].asnumpy()
                out[key + "/pad"] = np.array(batch.pad)
            it.reset()
    path = os.path.join(ROOT, "tests", "fixtures", "io", "image_record.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")


if __name__ == "__main__":
    main()
