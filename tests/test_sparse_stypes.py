"""Storage types, shapes, dtypes, values and stored parts of sparse operator results, replayed
from MXNet 1.9.1 observations (tests/fixtures/sparse_stypes.json, written by
``tools/sparse_diff.py --capture``): every expression there x every {default, csr,
row_sparse} assignment of its array placeholders. Values compare with rel 1e-5 / abs 1e-6;
csr entries are compared in (row, column) order; deliberate deviations (``DEVIATIONS`` in the
tool, explained in compat/io.md) must still differ.
"""
import importlib.util
import json
import os

import pytest

import mxtorch as mx

HERE = os.path.dirname(__file__)
FIXTURE = os.path.join(HERE, "fixtures", "sparse_stypes.json")
_spec = importlib.util.spec_from_file_location(
    "sparse_diff", os.path.join(HERE, "..", "tools", "sparse_diff.py"))
sparse_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sparse_diff)

with open(FIXTURE) as _f:
    CASES = json.load(_f)["cases"]


def _id(case):
    return case["expr"] + " " + ",".join(f"{k}:{v}" for k, v in case["stypes"].items())


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_matches_mxnet(case):
    reason = sparse_diff.deviation(case["expr"], case["stypes"])
    got = sparse_diff.run_case(mx, case["expr"], case["stypes"])
    found = sparse_diff.differences(case["mxnet"], got)
    if reason:
        # strict: a documented deviation must still differ, so a change that removes it also
        # removes its entry (DEVIATIONS in tools/sparse_diff.py, compat/io.md)
        assert found, f"deliberate deviation {reason!r} no longer differs from MXNet"
    else:
        assert found == []


def test_fixture_covers_every_combination():
    exprs = {c["expr"] for c in CASES}
    assert len(exprs) >= 199  # 199 expressions, 873 cases when captured
    for expr in exprs:
        names = sparse_diff.placeholders(expr)
        combos = {tuple(c["stypes"][n] for n in names) for c in CASES if c["expr"] == expr}
        assert len(combos) == 3 ** len(names), expr
