"""Symbol graphs of mx.np/npx operators as mxtorch writes them run in real MXNet 1.9.1
(``tools/np_export_check.py`` stored MXNet's outputs); here each JSON is loaded back into
mxtorch and must give MXNet's numbers (rtol 1e-5), and writing it again must keep the
operator names and attributes MXNet read."""
import json
import os

import numpy as onp
import pytest

import mxtorch as mx

with open(os.path.join(os.path.dirname(__file__), "fixtures", "numpy", "np_export.json")) as f:
    FIXTURE = json.load(f)


@pytest.mark.parametrize("name", sorted(FIXTURE["cases"]))
def test_graph_round_trip_matches_mxnet(name):
    case = FIXTURE["cases"][name]
    assert not isinstance(case["mxnet"], str), case["mxnet"]
    sym = mx.sym.load_json(case["json"])
    args = {"x": mx.nd.array(FIXTURE["x"])} if "x" in sym.list_arguments() else {}
    outs = sym.bind(mx.cpu(), args).forward()
    assert len(outs) == len(case["mxnet"])
    for got, want in zip(outs, case["mxnet"]):
        onp.testing.assert_allclose(got.asnumpy().astype(float), onp.array(want), rtol=1e-5)
    nodes = [(n["op"], n.get("attrs", {})) for n in json.loads(sym.tojson())["nodes"]]
    assert nodes == [(n["op"], n.get("attrs", {})) for n in json.loads(case["json"])["nodes"]]
