"""Symbol API: naming, composition, listing, attributes, inference, JSON (numbers and names
checked against MXNet 1.9.1)."""
import copy
import json
import pickle

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError, ShapeError


@pytest.fixture(autouse=True)
def fresh_names():
    with mx.name.NameManager():
        yield


def _mlp():
    x = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data=x, num_hidden=4, name="fc1")
    bn = mx.sym.BatchNorm(fc, name="bn")
    act = mx.sym.Activation(bn, act_type="relu")
    return mx.sym.SoftmaxOutput(act, name="softmax")


def test_lists_match_mxnet():
    out = _mlp()
    assert out.list_arguments() == ["data", "fc1_weight", "fc1_bias", "bn_gamma", "bn_beta",
                                    "softmax_label"]
    assert out.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert out.list_outputs() == ["softmax_output"]
    assert out.list_inputs() == ["data", "fc1_weight", "fc1_bias", "bn_gamma", "bn_beta",
                                 "bn_moving_mean", "bn_moving_var", "softmax_label"]
    assert out.get_internals().list_outputs() == [
        "data", "fc1_weight", "fc1_bias", "fc1_output", "bn_gamma", "bn_beta",
        "bn_moving_mean", "bn_moving_var", "bn_output", "activation0_output", "softmax_label",
        "softmax_output"]


def test_json_matches_mxnet_layout():
    graph = json.loads(_mlp().tojson())
    # from MXNet 1.9.1: BatchNorm has 3 graph outputs (1 visible), aux inputs carry version 1
    assert graph["node_row_ptr"] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14]
    assert graph["arg_nodes"] == [0, 1, 2, 4, 5, 6, 7, 10]
    assert graph["heads"] == [[11, 0, 0]]
    bn = graph["nodes"][8]
    assert bn["inputs"] == [[3, 0, 0], [4, 0, 0], [5, 0, 0], [6, 0, 1], [7, 0, 1]]
    assert "attrs" not in bn
    assert graph["nodes"][1] == {"op": "null", "name": "fc1_weight",
                                 "attrs": {"num_hidden": "4"}, "inputs": []}
    assert graph["nodes"][6]["attrs"] == {"__init__": '["zero", {}]'}
    assert graph["nodes"][7]["attrs"] == {"__init__": '["one", {}]'}
    assert graph["attrs"] == {"mxnet_version": ["int", 10901]}


def test_automatic_names_and_prefix():
    a = mx.sym.var("a")
    assert mx.sym.relu(a).name == "relu0"
    assert mx.sym.Activation(a, act_type="relu").name == "activation0"
    assert (a + 1).name == "_plusscalar0"
    assert (2 ** a).name == "_rpower_scalar0"
    assert mx.sym.concat(a, a, dim=0).name == "concat0"
    with mx.name.Prefix("net_"):
        c = mx.sym.FullyConnected(a, num_hidden=2)
        d = mx.sym.var("d")
    assert c.name == "net_fullyconnected0" and d.name == "d"
    assert c.list_arguments() == ["a", "net_fullyconnected0_weight", "net_fullyconnected0_bias"]


def test_operator_table_differs_from_ndarray_on_purpose():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    ops = {e: [n["op"] for n in json.loads(s.tojson())["nodes"] if n["op"] != "null"]
           for e, s in {"a+b": a + b, "a-1": a - 1, "1-a": 1 - a, "a/2": a / 2, "2/a": 2 / a,
                        "-a": -a, "a==b": a == b, "1>a": 1 > a, "a%b": a % b}.items()}
    assert ops == {"a+b": ["elemwise_add"], "a-1": ["_minus_scalar"], "1-a": ["_rminus_scalar"],
                   "a/2": ["_div_scalar"], "2/a": ["_rdiv_scalar"], "-a": ["_mul_scalar"],
                   "a==b": ["_equal"], "1>a": ["_lesser_scalar"], "a%b": ["_mod"]}
    # Symbol + Symbol does not broadcast (MXNet's _Plus); NDArray + NDArray does.
    with pytest.raises(ShapeError, match=r"_plus\d"):
        (a + b).infer_shape(a=(2, 3), b=(3,))


def test_composition_and_children():
    a = mx.sym.var("a")
    fc = mx.sym.FullyConnected(num_hidden=3, name="hh")
    assert fc.list_arguments() == ["hh_data", "hh_weight", "hh_bias"]
    composed = fc(hh_data=a)
    assert composed.list_arguments() == ["a", "hh_weight", "hh_bias"]
    assert composed.name == "hh"
    assert fc.list_arguments() == ["hh_data", "hh_weight", "hh_bias"]  # original untouched
    assert composed.get_children().list_outputs() == ["a", "hh_weight", "hh_bias"]
    assert a.get_children() is None
    with pytest.raises(MXNetError, match="not an input"):
        fc(nothing=a)


def test_getitem_iter_group():
    a = mx.sym.var("a")
    sp = mx.sym.split(a, num_outputs=3, name="sp")
    assert len(sp) == 3
    assert sp.list_outputs() == ["sp_output0", "sp_output1", "sp_output2"]
    assert sp[1].list_outputs() == ["sp_output1"]
    assert sp["sp_output2"].list_outputs() == ["sp_output2"]
    assert [s.name for s in sp] == ["sp", "sp", "sp"]
    group = mx.sym.Group([sp[0], a])
    assert group.list_outputs() == ["sp_output0", "a"]
    assert group.name is None
    with pytest.raises(ValueError, match="cannot find output"):
        sp["nope"]


def test_variable_attributes():
    v = mx.sym.var("x", shape=(2, 3), dtype="float16", lr_mult=2.0, wd_mult=0.5,
                   init=mx.init.Xavier() if hasattr(mx, "init") else "xavier", stype="default",
                   attr={"foo": "bar"}, __layout__="NCHW")
    attrs = v.list_attr()
    assert attrs["__shape__"] == "(2, 3)" and attrs["__dtype__"] == "2"
    assert attrs["__lr_mult__"] == "2.0" and attrs["lr_mult"] == "2.0"
    assert attrs["__wd_mult__"] == "0.5" and attrs["__storage_type__"] == "0"
    assert attrs["__layout__"] == "NCHW" and attrs["foo"] == "bar"
    assert v.attr("lr_mult") == "2.0" and v.attr("missing") is None
    with pytest.raises(ValueError, match="double underscores"):
        mx.sym.var("y", layout="NCHW")
    assert mx.sym.relu(v).infer_shape() == ([(2, 3)], [(2, 3)], [])


def test_attr_scope_and_set_attr():
    with mx.AttrScope(ctx_group="dev1", lr_mult="0.1"):
        a = mx.sym.var("a")
        fc = mx.sym.FullyConnected(a, num_hidden=2, name="fc", attr={"__mood__": "angry"})
    assert a.list_attr() == {"__ctx_group__": "dev1", "ctx_group": "dev1",
                             "__lr_mult__": "0.1", "lr_mult": "0.1"}
    assert fc.attr_dict()["fc_weight"]["__mood__"] == "angry"
    assert fc.attr("num_hidden") == "2"
    fc._set_attr(__note__="x")
    assert fc.attr("__note__") == "x"


def test_infer_shape_full_partial_and_backward_fill():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    r = mx.sym.FullyConnected(a, num_hidden=3, name="fc") + b
    assert r.infer_shape(a=(2, 5)) == ([(2, 5), (3, 5), (3,), (2, 3)], [(2, 3)], [])
    assert r.infer_shape((2, 5)) == ([(2, 5), (3, 5), (3,), (2, 3)], [(2, 3)], [])
    with pytest.warns(UserWarning, match="Cannot decide shape"):
        assert r.infer_shape() == (None, None, None)
    assert r.infer_shape_partial() == ([(), (), (), ()], [()], [])
    bn = mx.sym.BatchNorm(mx.sym.var("x"), name="bn")
    assert bn.infer_shape_partial(x=(2, 3)) == ([(2, 3), (3,), (3,)], [(2, 3)], [(3,), (3,)])


def test_infer_shape_error_names_node_input_and_shapes():
    x = mx.sym.var("data")
    fc = mx.sym.FullyConnected(x, num_hidden=4, name="fc1")
    with pytest.raises(ShapeError) as info:
        fc.infer_shape(data=(2, 3), fc1_weight=(4, 5))
    text = str(info.value)
    assert "fc1" in text and "weight" in text and "(4, 5)" in text and "(4, 3)" in text


def test_infer_type():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    r = mx.sym.FullyConnected(a, num_hidden=3, name="fc") + b
    assert r.infer_type(a="float16") == ([np.float16] * 4, [np.float16], [])
    assert r.infer_type_partial() == ([None] * 4, [None], [])
    with pytest.warns(UserWarning, match="Cannot decide type"):
        assert r.infer_type() == (None, None, None)
    assert mx.sym.var("q", dtype="float16").infer_type() == ([np.float16], [np.float16], [])
    c = mx.sym.Cast(a, dtype="int32")
    assert c.infer_type(a="float32")[1] == [np.int32]


def test_json_round_trip_copy_pickle(tmp_path):
    out = _mlp()
    again = mx.sym.load_json(out.tojson())
    assert again.tojson() == out.tojson()
    path = tmp_path / "net-symbol.json"
    out.save(str(path))
    assert mx.sym.load(str(path)).tojson() == out.tojson()
    assert copy.deepcopy(out).tojson() == out.tojson()
    assert pickle.loads(pickle.dumps(out)).tojson() == out.tojson()
    clone = out.__copy__()
    clone._set_attr(__x__="1")
    assert out.attr("__x__") is None


LEGACY_08 = {
    "nodes": [
        {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1},
        {"op": "null", "param": {}, "name": "fc_weight", "inputs": [], "backward_source_id": -1,
         "attr": {"lr_mult": "2"}},
        {"op": "null", "param": {}, "name": "fc_bias", "inputs": [], "backward_source_id": -1},
        {"op": "FullyConnected", "param": {"no_bias": "False", "num_hidden": "3"},
         "name": "fc", "inputs": [[0, 0], [1, 0], [2, 0]], "backward_source_id": -1},
        {"op": "BatchNorm", "param": {"eps": "0.001", "fix_gamma": "True"}, "name": "bn",
         "inputs": [[3, 0]], "backward_source_id": -1,
         "attr": {"gamma_lr_mult": "0.5", "ctx_group": "stage1"}},
        {"op": "argmax", "param": {"axis": "-1"}, "name": "am", "inputs": [[4, 0]],
         "backward_source_id": -1},
    ],
    "arg_nodes": [0, 1, 2],
    "heads": [[5, 0]],
}


def test_legacy_json_is_upgraded():
    sym = mx.sym.load_json(json.dumps(LEGACY_08))
    # pre-0.9 files lack BatchNorm's gamma/beta/aux inputs: they become named variables
    assert sym.list_arguments() == ["data", "fc_weight", "fc_bias", "bn_gamma", "bn_beta"]
    assert sym.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    attrs = sym.attr_dict()
    assert attrs["fc_weight"]["__lr_mult__"] == "2"
    assert attrs["bn_gamma"]["__lr_mult__"] == "0.5"
    assert attrs["bn"]["__ctx_group__"] == "stage1"
    assert "axis" not in attrs.get("am", {})  # pre-0.9.5 argmax(axis=-1) meant "all axes"
    assert sym.infer_shape(data=(2, 5))[1] == [(1,)]


def test_bad_json_errors():
    good = json.loads(_mlp().tojson())
    bad_op = copy.deepcopy(good)
    bad_op["nodes"][3]["op"] = "NoSuchOp"
    with pytest.raises(MXNetError, match="NoSuchOp"):
        mx.sym.load_json(json.dumps(bad_op))
    dangling = copy.deepcopy(good)
    dangling["nodes"][3]["inputs"][0] = [42, 0, 0]
    with pytest.raises(MXNetError, match="dangling"):
        mx.sym.load_json(json.dumps(dangling))
    missing = copy.deepcopy(good)
    missing["nodes"][3]["inputs"] = missing["nodes"][3]["inputs"][:1]
    with pytest.raises(MXNetError, match="fc1.*takes 3 inputs"):
        mx.sym.load_json(json.dumps(missing))
    with pytest.raises(MXNetError, match="invalid symbol JSON"):
        mx.sym.load_json("{not json")


def test_bad_attribute_fails_at_graph_build_time():
    with pytest.raises(MXNetError, match="act_type"):
        mx.sym.Activation(mx.sym.var("a"), act_type="relu6")
    with pytest.raises(MXNetError, match="num_hidden"):
        mx.sym.FullyConnected(mx.sym.var("a"))


def test_nd_and_sym_expose_the_same_operators():
    from mxtorch.ndarray import _gen as nd_gen
    from mxtorch.symbol import _gen as sym_gen
    for namespace, functions in nd_gen.SPACES.items():
        assert set(functions) == set(sym_gen.SPACES[namespace]), namespace
    for name in nd_gen.SPACES[""]:
        assert hasattr(mx.nd, name) and hasattr(mx.sym, name), name
        nd_sig = str(getattr(mx.nd.op, name).__signature__)
        assert nd_sig == str(getattr(mx.sym.op, name).__signature__), name


def test_eval_and_debug_str():
    a = mx.sym.var("a")
    out = (a * 2 + 1).eval(ctx=mx.cpu(), a=mx.nd.array([1, 2]))
    np.testing.assert_array_equal(out[0].asnumpy(), [3, 5])
    text = _mlp().debug_str()
    assert "Op:FullyConnected, Name=fc1" in text and "Variable:data" in text
    assert repr(a) == "<Symbol a>"


def test_hidden_keys_passed_to_ops_become_node_attributes():
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, name="fc1", num_hidden=128, wd_mult=0.3, lr_mult=0.01)
    attrs = fc.attr_dict()
    # from MXNet 1.9.1: the node and the variables it creates carry __wd_mult__/__lr_mult__
    assert attrs["fc1"] == {"num_hidden": "128", "__wd_mult__": "0.3", "wd_mult": "0.3",
                            "__lr_mult__": "0.01", "lr_mult": "0.01"}
    assert attrs["fc1_bias"]["__wd_mult__"] == "0.3"
    assert "data" not in attrs


def test_given_shapes_override_variable_hints():
    a = mx.sym.var("a", shape=(0, 3))
    b = mx.sym.var("b")
    c = mx.sym.elemwise_add(a, b)
    assert c.infer_shape(b=(2, 3)) == ([(2, 3), (2, 3)], [(2, 3)], [])
    assert c.infer_shape(a=(5, 6)) == ([(5, 6), (5, 6)], [(5, 6)], [])
