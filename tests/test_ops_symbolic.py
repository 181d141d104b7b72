"""The golden operator table through the symbolic machinery: the JSON node each case produces
matches MXNet's (op name and attribute strings), survives a JSON round trip, and
infer_shape/infer_type predict the shapes and dtypes MXNet produced."""
import json

import numpy as np
import pytest

import mxtorch as mx
from optable import CASES, KNOWN_DEVIATIONS, resolve_sym

SYM_CASES = [c for c in CASES if "symbol_error" not in c.meta]


def _params(cases, test):
    out = []
    for case in cases:
        reason = KNOWN_DEVIATIONS.get(f"{case.id}:{test}")
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def _tuples(value):
    # index.json stores the Python kwargs as JSON, turning the tuples MXNet got into lists.
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _symbol(case):
    fn = resolve_sym(mx, case.op)
    kwargs = {k: _tuples(v) for k, v in case.meta["kwargs"].items()}
    variables = [mx.sym.var(n) for n in case.meta["inputs"]]
    if case.meta["call"] == "positional":
        return fn(*variables, name="node", **kwargs)
    return fn(**dict(zip(case.meta["inputs"], variables)), name="node", **kwargs)


def _op_node(symbol):
    nodes = json.loads(symbol.tojson())["nodes"]
    return [n for n in nodes if n["op"] != "null"][-1]


@pytest.mark.parametrize("case", _params(SYM_CASES, "json"))
def test_json_node_matches_mxnet(case):
    node = _op_node(_symbol(case))
    assert node["op"] == case.meta["json_op"]
    assert node.get("attrs", {}) == case.meta["attrs"]


@pytest.mark.parametrize("case", _params(SYM_CASES, "json"))
def test_json_round_trip(case):
    symbol = _symbol(case)
    again = mx.sym.load_json(symbol.tojson())
    assert again.tojson() == symbol.tojson()
    assert again.list_arguments() == symbol.list_arguments()
    assert again.list_auxiliary_states() == symbol.list_auxiliary_states()


@pytest.mark.parametrize("case", _params(SYM_CASES, "infer_shape"))
def test_infer_shape(case):
    symbol = _symbol(case)
    shapes = dict(zip(case.meta["inputs"], map(tuple, case.meta["input_shapes"])))
    arg_shapes, out_shapes, aux_shapes = symbol.infer_shape(**shapes)
    assert out_shapes[:len(case.meta["output_shapes"])] == \
        [tuple(s) for s in case.meta["output_shapes"]]
    assert arg_shapes == [shapes[n] for n in symbol.list_arguments()]
    assert aux_shapes == [shapes[n] for n in symbol.list_auxiliary_states()]


@pytest.mark.parametrize("case", _params(SYM_CASES, "infer_type"))
def test_infer_type(case):
    symbol = _symbol(case)
    dtypes = dict(zip(case.meta["inputs"], case.meta["input_dtypes"]))
    shapes = dict(zip(case.meta["inputs"], map(tuple, case.meta["input_shapes"])))
    executor = symbol.simple_bind(mx.cpu(), grad_req="null", type_dict=dtypes, **shapes)
    got = [np.dtype(a.dtype).name for a in executor.arg_arrays]
    assert got == [dtypes[n] for n in symbol.list_arguments()]
