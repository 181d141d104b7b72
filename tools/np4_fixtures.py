#!/usr/bin/env python3
"""Regenerate the round-4 mx.np fixtures from real MXNet 1.9.1 (needs the oracle venv; not run
by CI):

    ~/mxref/bin/python tools/np4_fixtures.py

Writes ``tests/fixtures/numpy/numpy4_promotion.json``: the result dtype of ``x OP y`` for every
pair of mx.np dtypes MXNet computes (pairs it refuses are left out). Results are synchronised
(``asnumpy``) before their dtype is read, since 1.9.1 reports a dtype even for a call whose
kernel later fails. Read by ``tests/test_numpy4.py`` and
``tools/unittest_style/check_numpy4_ndarray.py``.
"""
import json
import os

import mxnet  # noqa: F401 - must be the oracle
from mxnet import np, npx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "numpy", "numpy4_promotion.json")
DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float16", "float32", "float64"]
OPS = ["+", "-", "*", "/", "==", "**", "%", "//"]


def promotion():
    table = {}
    for op in OPS:
        row = {}
        for a in DTYPES:
            for b in DTYPES:
                x, y = np.array([1, 2], dtype=a), np.array([1, 1], dtype=b)
                try:
                    r = eval("x %s y" % op)  # noqa: S307 - operators from the list above
                    r.asnumpy()
                except Exception:  # noqa: BLE001 - refused pairs are left out
                    continue
                row[a + "," + b] = str(r.dtype)
        table[op] = row
    return table


def main():
    npx.set_np()
    with open(OUT, "w") as f:
        json.dump(promotion(), f, indent=0, sort_keys=True)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
