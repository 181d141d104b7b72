"""Capture MXNet 1.9.1's _contrib_quantized_batch_norm (oneDNN CPU) into
tests/fixtures/quantized_batch_norm.json. Needs the oracle venv; not run in CI:

    cd /work/main && ~/mxref/bin/python tools/gen_quantized_bn_fixture.py

Inputs are rebuilt from the stored seed by ``make_inputs`` (shared with
tests/test_quantized_batch_norm.py); the file keeps the oracle's int8 outputs and ranges.
Cases vary the data range, the calibrated output range (symmetric, lopsided, one-signed),
eps and fix_gamma (MXNet's kernel refuses axis != 1).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "quantized_batch_norm.json")

# (min_data, max_data, min_calib, max_calib, eps, fix_gamma, axis, seed[, data dtype])
CASES = [
    (-3.0, 3.0, -4.0, 4.0, 1e-3, False, 1, 1),
    (-3.0, 3.0, -4.0, 4.0, 0.1, True, 1, 2),
    (-3.0, 3.0, -4.0, 4.0, 1.0, False, 1, 3),
    (-10.0, 2.0, -0.5, 3.0, 0.1, False, 1, 4),
    (-2.0, 2.0, -1.0, 1.0, 1e-3, False, 1, 5),
    (-1.0, 5.0, -2.0, 7.0, 1e-5, False, 1, 6),
    (-0.3, 0.2, -6.0, 0.5, 1e-3, False, 1, 7),
    (-3.0, 3.0, 0.5, 4.0, 1e-3, False, 1, 8),
    (-4.0, 1.0, -4.0, -0.5, 1e-3, False, 1, 9),
    (0.0, 6.0, -4.0, 4.0, 1e-3, False, 1, 10, "uint8"),
    (0.0, 2.0, -5.0, 5.0, 0.1, True, 1, 11, "uint8"),
    (0.0, 9.0, -1.0, 3.0, 1e-5, False, 1, 12, "uint8"),
]


def make_inputs(seed, axis, dtype="int8", shape=(2, 4, 5, 3)):
    """Seeded int8/uint8 data and float32 gamma, beta, moving_mean, moving_var (channels on
    axis)."""
    rng = np.random.RandomState(seed)
    low, high = (-128, 128) if dtype == "int8" else (0, 256)
    data = rng.randint(low, high, shape).astype(dtype)
    chans = shape[axis]
    gamma = rng.uniform(0.5, 2, chans)
    beta = rng.uniform(-1, 1, chans)
    mean = rng.uniform(-1, 1, chans)
    var = rng.uniform(0.2, 2, chans)
    return [data] + [a.astype(np.float32) for a in (gamma, beta, mean, var)]


def main():
    import mxnet as mx
    cases = []
    for mind, maxd, cmin, cmax, eps, fix_gamma, axis, seed, *kind in CASES:
        dtype = kind[0] if kind else "int8"
        data, gamma, beta, mean, var = make_inputs(seed, axis, dtype)
        out, omin, omax = mx.nd.contrib.quantized_batch_norm(
            mx.nd.array(data, dtype=dtype), mx.nd.array(gamma), mx.nd.array(beta),
            mx.nd.array(mean), mx.nd.array(var), mx.nd.array([mind]), mx.nd.array([maxd]),
            eps=eps, fix_gamma=fix_gamma, axis=axis, min_calib_range=cmin, max_calib_range=cmax)
        cases.append({"range": [mind, maxd], "calib": [cmin, cmax], "eps": eps,
                      "fix_gamma": fix_gamma, "axis": axis, "seed": seed, "data_dtype": dtype,
                      "output": out.asnumpy().astype(int).tolist(),
                      "dtype": np.dtype(out.dtype).name,
                      "min_output": float(omin.asscalar()), "max_output": float(omax.asscalar())})
    with open(OUT, "w") as f:
        json.dump({"mxnet": mx.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
