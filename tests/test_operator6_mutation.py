"""Round-6 mutation sweep: ``__setitem__`` with every index and value kind, ``out=`` arguments
and in-place arithmetic on views/slices of legacy NDArrays, against MXNet 1.9.1.

tests/fixtures/operator6_mutation.json was written by MXNet 1.9.1 (CPU build) with
``~/mxref/bin/python tools/op6_mutation_sweep.py --write tests/fixtures/operator6_mutation.json``:
each statement maps to the final state of every array (or the error class). mxtorch must leave
the same dtypes, shapes and values (rtol 1e-5, atol 1e-6) and fail where MXNet fails.
"""
import json
import os

import numpy as np
import pytest

import mxtorch as mx

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "operator6_mutation.json")
# MXNet refuses out= of another dtype; mxtorch casts into it (compat/operator6.md).
LENIENT = {"nd.Cast(y, dtype='float32', out=w)", "nd.exp(y, out=w)"}


def _load():
    with open(FIXTURE) as fh:
        return sorted(json.load(fh).items())


def _env():
    nd = mx.nd
    return dict(nd=nd, mx=mx, np=np, x=nd.arange(24).reshape((2, 3, 4)),
                y=nd.array([[1, 2, 3], [4, 5, 6]]), z=nd.zeros((2, 3)),
                w=nd.array([[1, 2, 3], [4, 5, 6]], dtype="int32"),
                v=nd.array([10, 20, 30, 40]))


def _problems(stmt, want):
    env = _env()
    try:
        exec(stmt, env)  # noqa: S102 - fixed statements from the fixture
    except Exception as err:  # noqa: BLE001
        return [] if "error" in want else ["%s raised %s: %s" % (stmt, type(err).__name__, err)]
    if "error" in want:
        return ["%s: MXNet raises %s, mxtorch does not" % (stmt, want["error"])]
    out = []
    for name, state in want.items():
        if "random" in stmt and name == "z":
            continue
        got = env[name].asnumpy()
        if str(got.dtype) != state["dtype"] or list(got.shape) != state["shape"] or not \
                np.allclose(got.astype(np.float64).ravel(), state["values"], rtol=1e-5, atol=1e-6):
            out.append("%s: %s is %s %s %s, MXNet %s %s %s" % (
                stmt, name, got.dtype, got.shape, got.ravel()[:6].tolist(), state["dtype"],
                tuple(state["shape"]), state["values"][:6]))
    return out


@pytest.mark.parametrize("part", ["setitem", "out", "view"])
def test_mutation_sweep_matches_mxnet(part):
    def kind(stmt):
        if stmt.startswith("x[") and "] = " in stmt:
            return "setitem"
        return "out" if "out=" in stmt or "copyto" in stmt else "view"
    cases = [(s, w) for s, w in _load() if kind(s) == part and s not in LENIENT]
    problems = [p for s, w in cases for p in _problems(s, w)]
    assert len(cases) > 30
    assert not problems, "\n".join(problems)


def test_out_of_another_dtype_is_cast_into():
    y, w = mx.nd.array([[1.5, 2.0]]), mx.nd.zeros((1, 2), dtype="int32")
    mx.nd.exp(y, out=w)
    assert w.dtype == np.int32 and w.asnumpy().tolist() == [[4, 7]]
