"""Capture MXNet 1.9.1's quantized_elemwise_mul outputs for tests/test_quantized_ops.py.

MXNet's nd door cannot run this op (its shape inference fails there), so the cases run through
a bound Symbol. Needs the oracle interpreter (real MXNet 1.9.1, CPU build with oneDNN); not run
in CI:

    ~/mxref/bin/python tools/gen_quantized_mul_fixture.py

Writes tests/fixtures/quantized_elemwise_mul.json: per case the ranges, the attributes and
MXNet's output values, dtype and range.
"""
import json
import os

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "quantized_elemwise_mul.json")

LHS = np.arange(-128, 128).reshape(16, 16)
RHS = np.arange(-128, 128)[::-1].reshape(16, 16) // 3
CASES = [
    dict(ranges=[-1.0, 1.3, -2.0, 0.7], attrs={}),
    dict(ranges=[-1.0, 2.0, -2.0, 4.0], attrs={}),
    dict(ranges=[-1.0, 1.3, -2.0, 0.7], attrs=dict(min_calib_range=-1.7, max_calib_range=2.9)),
    dict(ranges=[-1.0, 1.3, -2.0, 0.7], attrs=dict(min_calib_range=-0.1, max_calib_range=0.3)),
    dict(ranges=[-1.0, 1.3, -2.0, 0.7], attrs=dict(enable_float_output=True)),
]


def run(case):
    lhs, rhs = mx.sym.var("lhs"), mx.sym.var("rhs")
    net = mx.sym.contrib.quantized_elemwise_mul(lhs, rhs, name="m", **case["attrs"])
    args = {"lhs": mx.nd.array(LHS, dtype="int8"), "rhs": mx.nd.array(RHS, dtype="int8")}
    for name, value in zip(("m_lhs_min", "m_lhs_max", "m_rhs_min", "m_rhs_max"),
                           case["ranges"]):
        args[name] = mx.nd.array([value])
    outs = net.bind(mx.cpu(), args).forward()
    result = dict(case, dtype=np.dtype(outs[0].dtype).name,
                  values=outs[0].asnumpy().ravel().tolist())
    if len(outs) == 3:
        result["out_range"] = [outs[1].asscalar().item(), outs[2].asscalar().item()]
    return result


def main():
    with open(OUT, "w") as f:
        json.dump({"source": "MXNet 1.9.1 (pip, oneDNN)", "cases": [run(c) for c in CASES]}, f)


if __name__ == "__main__":
    main()
