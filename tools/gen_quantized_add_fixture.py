"""Capture MXNet 1.9.1's quantized_elemwise_add outputs for tests/test_quantized_ops.py.

Needs the oracle interpreter (real MXNet 1.9.1, CPU build with oneDNN); not run in CI:

    ~/mxref/bin/python tools/gen_quantized_add_fixture.py

Writes tests/fixtures/quantized_elemwise_add.json: for each case, the inputs' ranges, the
calibration attributes and MXNet's output values, dtype and range.
"""
import json
import os

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "quantized_elemwise_add.json")

LHS_I8 = np.arange(-128, 128).reshape(16, 16)
RHS_I8 = np.arange(-128, 128)[::-1].reshape(16, 16) // 3
U8 = np.arange(256).reshape(16, 16)
CASES = [
    dict(lhs="int8", rhs="int8", ranges=[-1.0, 1.3, -2.0, 0.7], calib=None),
    dict(lhs="int8", rhs="int8", ranges=[-1.0, 1.3, -2.0, 0.7], calib=[-1.7, 2.9]),
    dict(lhs="uint8", rhs="uint8", ranges=[0.0, 1.3, 0.0, 0.7], calib=[0.5, 2.9]),
    dict(lhs="uint8", rhs="uint8", ranges=[0.0, 2.0, 0.0, 4.0], calib=None),
]


def data(kind, which):
    if kind == "uint8":
        return U8
    return LHS_I8 if which == "lhs" else RHS_I8


def main():
    cases = []
    for case in CASES:
        lhs = mx.nd.array(data(case["lhs"], "lhs"), dtype=case["lhs"])
        rhs = mx.nd.array(data(case["rhs"], "rhs"), dtype=case["rhs"])
        ranges = [mx.nd.array([v]) for v in case["ranges"]]
        kwargs = {}
        if case["calib"]:
            kwargs = dict(min_calib_range=case["calib"][0], max_calib_range=case["calib"][1])
        out, lo, hi = mx.nd.contrib.quantized_elemwise_add(lhs, rhs, *ranges, **kwargs)
        cases.append(dict(case, dtype=np.dtype(out.dtype).name,
                          values=out.asnumpy().ravel().tolist(),
                          out_range=[lo.asscalar().item(), hi.asscalar().item()]))
    with open(OUT, "w") as f:
        json.dump({"source": "MXNet 1.9.1 (pip, oneDNN)", "cases": cases}, f)


if __name__ == "__main__":
    main()
