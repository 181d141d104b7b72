"""_contrib_quantized_batch_norm against MXNet 1.9.1 (oneDNN CPU) values.

Fixture: tests/fixtures/quantized_batch_norm.json (tools/gen_quantized_bn_fixture.py); inputs
are rebuilt from the stored seeds. Tolerance: exact (int8 outputs equal, ranges equal).
"""
import importlib.util
import json
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "gen_qbn", os.path.join(HERE, "..", "tools", "gen_quantized_bn_fixture.py"))
_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gen)

with open(os.path.join(HERE, "fixtures", "quantized_batch_norm.json")) as _f:
    CASES = json.load(_f)["cases"]


def _call(data, params, lo, hi, **attrs):
    return mx.nd.contrib.quantized_batch_norm(
        mx.nd.array(data, dtype=str(data.dtype)), *[mx.nd.array(p) for p in params],
        mx.nd.array([lo]), mx.nd.array([hi]), **attrs)


@pytest.mark.parametrize("case", CASES, ids=[f"seed{c['seed']}" for c in CASES])
def test_matches_oracle_exactly(case):
    data, *params = _gen.make_inputs(case["seed"], case["axis"], case["data_dtype"])
    out, lo, hi = _call(data, params, *case["range"], eps=case["eps"],
                        fix_gamma=case["fix_gamma"], min_calib_range=case["calib"][0],
                        max_calib_range=case["calib"][1])
    assert out.dtype == np.int8 and case["dtype"] == "int8"
    np.testing.assert_array_equal(out.asnumpy(), np.array(case["output"]))
    assert (lo.asscalar(), hi.asscalar()) == (case["min_output"], case["max_output"])


def test_symbol_layout_matches_mxnet():
    names = ["data", "gamma", "beta", "moving_mean", "moving_var", "min_data", "max_data"]
    sym = mx.sym.contrib.quantized_batch_norm(*[mx.sym.var(n) for n in names], name="qbn",
                                              min_calib_range=-1.0, max_calib_range=1.0)
    assert sym.list_arguments() == ["data", "gamma", "beta", "min_data", "max_data"]
    assert sym.list_auxiliary_states() == ["moving_mean", "moving_var"]
    assert sym.list_outputs() == ["qbn_output", "qbn_min_output", "qbn_max_output"]
    # oracle: ([(2,3,4,4), (3,), (3,), (1,), (1,)], [(2,3,4,4), (1,), (1,)], [(3,), (3,)])
    assert sym.infer_shape(data=(2, 3, 4, 4)) == (
        [(2, 3, 4, 4), (3,), (3,), (1,), (1,)], [(2, 3, 4, 4), (1,), (1,)], [(3,), (3,)])
    _, out_types, _ = sym.infer_type(data="int8")
    assert out_types == [np.int8, np.float32, np.float32]


def test_refusals_are_clear():
    data, *params = _gen.make_inputs(0, 1)
    with pytest.raises((MXNetError, ValueError), match="min_calib_range"):
        _call(data, params, -1.0, 1.0)
    with pytest.raises(MXNetError, match="axis"):
        _call(data, params, -1.0, 1.0, axis=3, min_calib_range=-1.0, max_calib_range=1.0)
    with pytest.raises(MXNetError, match="int8"):
        _call(data.astype(np.int32), params, 0.0, 1.0, min_calib_range=-1.0,
              max_calib_range=1.0)
