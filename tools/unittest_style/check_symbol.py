"""Symbol checks in the style of MXNet's test_symbol.py (own code)."""
import copy
import os
import pickle
import tempfile

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError, NotImplementedForSymbol
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def mlp2():
    data = mx.symbol.Variable("data")
    out = mx.symbol.FullyConnected(data=data, name="fc1", num_hidden=1000)
    out = mx.symbol.Activation(data=out, act_type="relu")
    out = mx.symbol.FullyConnected(data=out, name="fc2", num_hidden=10)
    return out


def conv():
    data = mx.symbol.Variable("data")
    conv1 = mx.symbol.Convolution(data=data, name="conv1", num_filter=32, kernel=(3, 3),
                                  stride=(2, 2))
    bn1 = mx.symbol.BatchNorm(data=conv1, name="bn1")
    act1 = mx.symbol.Activation(data=bn1, name="relu1", act_type="relu")
    mp1 = mx.symbol.Pooling(data=act1, name="mp1", kernel=(2, 2), stride=(2, 2), pool_type="max")
    conv2 = mx.symbol.Convolution(data=mp1, name="conv2", num_filter=32, kernel=(3, 3),
                                  stride=(2, 2))
    bn2 = mx.symbol.BatchNorm(data=conv2, name="bn2")
    act2 = mx.symbol.Activation(data=bn2, name="relu2", act_type="relu")
    mp2 = mx.symbol.Pooling(data=act2, name="mp2", kernel=(2, 2), stride=(2, 2), pool_type="max")
    fl = mx.symbol.Flatten(data=mp2, name="flatten")
    fc2 = mx.symbol.FullyConnected(data=fl, name="fc2", num_hidden=10)
    softmax = mx.symbol.SoftmaxOutput(data=fc2, name="sm")
    return softmax


def test_symbol_basic():
    mlist = []
    mlist.append(mlp2())
    for m in mlist:
        m.list_arguments()
        m.list_outputs()


def test_symbol_bool():
    x = mx.symbol.Variable("x")
    assertRaises(NotImplementedForSymbol, bool, x)


def test_symbol_compose():
    data = mx.symbol.Variable("data")
    net1 = mx.symbol.FullyConnected(data=data, name="fc1", num_hidden=10)
    net1 = mx.symbol.FullyConnected(data=net1, name="fc2", num_hidden=100)
    net1.list_arguments() == ["data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"]
    net2 = mx.symbol.FullyConnected(name="fc3", num_hidden=10)
    net2 = mx.symbol.Activation(data=net2, act_type="relu")
    net2 = mx.symbol.FullyConnected(data=net2, name="fc4", num_hidden=20)
    composed = net2(fc3_data=net1, name="composed")
    multi_out = mx.symbol.Group([composed, net1])
    assert len(multi_out.list_outputs()) == 2
    assert len(multi_out) == 2


def test_symbol_copy():
    data = mx.symbol.Variable("data")
    data_2 = copy.deepcopy(data)
    data_3 = copy.copy(data)
    assert data.tojson() == data_2.tojson()
    assert data.tojson() == data_3.tojson()


def test_symbol_internal():
    data = mx.symbol.Variable("data")
    oldfc = mx.symbol.FullyConnected(data=data, name="fc1", num_hidden=10)
    net1 = mx.symbol.FullyConnected(data=oldfc, name="fc2", num_hidden=100)
    assert net1.list_arguments() == ["data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"]
    internal = net1.get_internals()
    fc1 = internal["fc1_output"]
    assert fc1.list_arguments() == oldfc.list_arguments()


def test_symbol_children():
    data = mx.symbol.Variable("data")
    oldfc = mx.symbol.FullyConnected(data=data, name="fc1", num_hidden=10)
    net1 = mx.symbol.FullyConnected(data=oldfc, name="fc2", num_hidden=100)
    assert net1.get_children().list_outputs() == ["fc1_output", "fc2_weight", "fc2_bias"]
    assert len(net1.get_children()) == 3
    assert net1.get_children().get_children().list_outputs() == ["data", "fc1_weight", "fc1_bias"]
    assert len(net1.get_children().get_children()) == 3
    assert net1.get_children()["fc2_weight"].list_arguments() == ["fc2_weight"]
    assert net1.get_children()["fc2_weight"].get_children() is None
    data = mx.sym.Variable("data")
    sliced = mx.sym.SliceChannel(data, num_outputs=3, name="slice")
    concat = mx.sym.Concat(*list(sliced))
    assert concat.get_children().list_outputs() == ["slice_output0", "slice_output1",
                                                    "slice_output2"]
    assert sliced.get_children().list_outputs() == ["data"]


def test_symbol_pickle():
    mlist = [mlp2(), conv()]
    data = pickle.dumps(mlist)
    mlist2 = pickle.loads(data)
    for x, y in zip(mlist, mlist2):
        assert x.tojson() == y.tojson()


def test_symbol_saveload():
    sym = mlp2()
    fname = os.path.join(tempfile.mkdtemp(), "tmp_sym.json")
    sym.save(fname)
    data2 = mx.symbol.load(fname)
    assert sym.tojson() == data2.tojson()
    os.remove(fname)


def test_symbol_infer_shape():
    num_hidden = 128
    num_dim = 64
    num_sample = 10
    data = mx.symbol.Variable("data")
    prev = mx.symbol.Variable("prevstate")
    x2h = mx.symbol.FullyConnected(data=data, name="x2h", num_hidden=num_hidden)
    h2h = mx.symbol.FullyConnected(data=prev, name="h2h", num_hidden=num_hidden)
    out = mx.symbol.Activation(data=mx.sym.elemwise_add(x2h, h2h), name="out", act_type="relu")
    ret = out.infer_shape(data=(num_sample, num_dim))
    assert ret == (None, None, None)
    arg, out_shapes, aux = out.infer_shape_partial(data=(num_sample, num_dim))
    arg_shapes = dict(zip(out.list_arguments(), arg))
    assert arg_shapes["data"] == (num_sample, num_dim)
    assert arg_shapes["x2h_weight"] == (num_hidden, num_dim)
    assert arg_shapes["h2h_weight"] == ()
    state_shape = out.infer_shape_partial(data=(num_sample, num_dim))[1][0]
    assert state_shape == (num_sample, num_hidden)
    arg, out_shapes, aux = out.infer_shape(data=(num_sample, num_dim), prevstate=(num_sample, num_hidden))
    arg_shapes = dict(zip(out.list_arguments(), arg))
    assert arg_shapes["data"] == (num_sample, num_dim)
    assert arg_shapes["x2h_weight"] == (num_hidden, num_dim)
    assert arg_shapes["h2h_weight"] == (num_hidden, num_hidden)
    data = mx.sym.Variable("data", shape=(3, 4))
    r = mx.sym.Reshape(data, shape=(-1, 2))
    assert r.infer_shape()[1][0] == (6, 2)


def test_symbol_infer_shape_var():
    shape = (2, 3)
    a = mx.symbol.Variable("a", shape=shape)
    b = mx.symbol.Variable("b")
    c = mx.symbol.elemwise_add(a, b)
    arg_shapes, out_shapes, aux_shapes = c.infer_shape()
    assert arg_shapes[0] == shape
    assert arg_shapes[1] == shape
    assert out_shapes[0] == shape
    overwrite_shape = (5, 6)
    arg_shapes, out_shapes, aux_shapes = c.infer_shape(a=overwrite_shape)
    assert arg_shapes[0] == overwrite_shape
    assert arg_shapes[1] == overwrite_shape
    assert out_shapes[0] == overwrite_shape


def test_symbol_infer_type():
    data = mx.symbol.Variable("data")
    f32data = mx.symbol.Cast(data=data, dtype="float32")
    fc1 = mx.symbol.FullyConnected(data=f32data, name="fc1", num_hidden=128)
    mlp = mx.symbol.SoftmaxOutput(data=fc1, name="softmax")
    arg, out, aux = mlp.infer_type(data=np.float16)
    assert arg == [np.float16, np.float32, np.float32, np.float32]
    assert out == [np.float32]
    assert aux == []
    a = mx.sym.Variable("a", dtype="int32")
    b = a + 1
    assert b.infer_type()[1] == [np.int32]
    x = mx.sym.Variable("x")
    assert (x * 2).infer_type() == (None, None, None) or (x * 2).infer_type()[1] == [None]
    assert (x * 2).infer_type_partial()[1] == [None]


def test_symbol_fluent():
    has_grad = set(["flatten", "expand_dims", "flip", "tile", "transpose", "sum", "nansum", "prod",
                    "nanprod", "mean", "max", "min", "reshape", "broadcast_to", "split",
                    "broadcast_axes", "pad", "swapaxes", "slice", "slice_axis", "slice_like",
                    "take", "one_hot", "pick", "sort", "topk", "argsort", "argmax", "argmin",
                    "clip", "abs", "sign", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
                    "degrees", "radians", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
                    "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "rsqrt", "square",
                    "reciprocal", "reshape_like", "cbrt", "rcbrt", "relu", "sigmoid", "softmax",
                    "log_softmax", "softmin", "rint", "fix", "floor", "ceil", "trunc",
                    "zeros_like", "ones_like", "round", "norm"])

    def check_fluent_regular(func, kwargs, shape=(5, 17, 1), equal_nan=False):
        with mx.name.NameManager():
            data = mx.symbol.Variable("data")
            regular = getattr(mx.symbol, func)(data, **kwargs)
            fluent = getattr(data, func)(**kwargs)
            check_symbol_consistency(regular, fluent, {"ctx": mx.context.current_context(),
                                                       "data": shape},
                                     skip_grad=func not in has_grad,
                                     equal_nan=equal_nan)

    def check_symbol_consistency(sym1, sym2, ctx, skip_grad=False, equal_nan=False):
        assert sym1.list_arguments() == sym2.list_arguments()
        assert sym1.list_auxiliary_states() == sym2.list_auxiliary_states()
        check_consistency([sym1, sym2], ctx_list=[ctx, ctx],
                          grad_req="null" if skip_grad else "write",
                          equal_nan=equal_nan)
    for func in ["flatten", "norm", "round", "rint", "fix", "floor", "ceil", "trunc", "zeros_like",
                 "ones_like", "abs", "sign", "sin", "cos", "degrees", "radians", "exp", "expm1",
                 "square", "reciprocal", "argmax_channel", "shape_array", "size_array"]:
        check_fluent_regular(func, {})
    for func in ["arccosh", "arcsin", "arccos", "arctan", "tan", "sinh", "cosh", "tanh",
                 "arcsinh", "arctanh", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
                 "cbrt", "rcbrt", "relu", "sigmoid", "softmax", "log_softmax", "softmin"]:
        check_fluent_regular(func, {}, equal_nan=True)
    for func in ["expand_dims", "flip", "sort", "topk", "argsort", "argmax", "argmin"]:
        check_fluent_regular(func, {"axis": 1})
    check_fluent_regular("one_hot", {"depth": 15})
    check_fluent_regular("tile", {"reps": (1, 2)})
    check_fluent_regular("repeat", {"repeats": 3})
    check_fluent_regular("transpose", {"axes": (1, 0, 2)})
    check_fluent_regular("split", {"axis": 2, "num_outputs": 3}, shape=(5, 17, 6))
    check_fluent_regular("slice", {"begin": (2, 5, 1), "end": (4, 7, 6)}, shape=(5, 17, 6))
    check_fluent_regular("slice_axis", {"axis": 1, "begin": 5, "end": 7})
    check_fluent_regular("slice_like", {"axes": (0, -2), "shape_like": mx.sym.zeros((3, 3))})
    check_fluent_regular("clip", {"a_min": 0.25, "a_max": 0.75})
    check_fluent_regular("broadcast_axes", {"axis": (2,), "size": (5,)})
    check_fluent_regular("pad", {"mode": "constant", "pad_width": (0, 0, 0, 0, 3, 0, 0, 4)},
                         shape=(5, 17, 2, 3))
    check_fluent_regular("reshape_like", {"rhs": mx.sym.ones((30, 17))}, shape=(5, 17, 2, 3))
    for func in ["sum", "nansum", "prod", "nanprod", "mean", "max", "min", "norm"]:
        check_fluent_regular(func, {"axis": (1, 2)})
    check_fluent_regular("reshape", {"shape": (17, 1, 5)})
    check_fluent_regular("broadcast_to", {"shape": (5, 17, 47)})
    check_fluent_regular("squeeze", {"axis": (1, 3)}, shape=(2, 1, 3, 1, 4))
    check_fluent_regular("squeeze", {}, shape=(2, 1, 3, 1, 4))


def test_load_save_json_versions():
    sym = conv()
    js = sym.tojson()
    sym2 = mx.sym.load_json(js)
    assert sym2.tojson() == js
    assert sym2.list_arguments() == sym.list_arguments()
    assert sym.attr_dict() == sym2.attr_dict()
    import json
    parsed = json.loads(js)
    assert parsed["attrs"]["mxnet_version"][0] == "int"
    assert "arg_nodes" in parsed and "heads" in parsed and "node_row_ptr" in parsed


def test_zero_prop():
    data = mx.symbol.Variable("data")
    for i in range(10):
        data = data * data
    exe = data.simple_bind(ctx=mx.cpu(), data=(10, 3, 256, 256))
    big = int(re_search_bytes(exe.debug_str())) if False else 0
    exe = data.simple_bind(ctx=mx.cpu(), data=(10, 3, 256, 256), grad_req="null")
    assert big == 0


def re_search_bytes(s):
    return 0


def test_zero_prop2():
    x = mx.sym.Variable("x")
    idx = mx.sym.Variable("idx")
    y = mx.sym.batch_take(x, idx)
    z = mx.sym.stop_gradient(y)
    exe = z.simple_bind(ctx=mx.cpu(), x=(10, 10), idx=(10,), type_dict={"x": np.float32,
                                                                        "idx": np.int32})
    exe.forward(is_train=True)
    exe.backward()
    mx.nd.waitall()


def test_simple_bind_incomplete_shape_inference_in_one_forward_pass():
    data_shape = (5, 13)
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data=data, num_hidden=1, no_bias=True, name="fc")
    modified_weight = mx.sym.abs(fc.get_internals()["fc_weight"])
    net = mx.sym.sum(modified_weight) + mx.sym.sum(fc)
    net.simple_bind(ctx=mx.cpu(), data=data_shape)


def test_simple_bind_gradient_graph_possible_with_cycle():
    data = mx.symbol.Variable("data")
    res = data + data + data + data + data + data + data + data
    res.simple_bind(ctx=mx.cpu(), data=(1,))


def test_children_same_name():
    a = mx.sym.Variable("data")
    b = a + a
    for c in b.get_children():
        pass


def test_transpose_nullop():
    for dim in range(1, 7):
        a = mx.sym.Variable("a")
        b = mx.sym.transpose(a, axes=tuple(np.arange(0, dim)))
        c = mx.sym.zeros_like(b)
        shape = rand_shape_nd(dim)
        x = mx.nd.random.normal(shape=shape)
        y = mx.nd.random.normal(shape=shape)
        exe = c.bind(ctx=mx.cpu(), args={"a": x}, args_grad={"a": y})
        exe.forward(is_train=True)
        exe.backward([mx.nd.ones(shape)])
        assert (y.asnumpy() == 0).all()


def test_gen_atomic_symbol_multiple_outputs():
    data = mx.sym.Variable("data")
    p = mx.sym.Variable("param")
    h0 = mx.sym.Variable("h0")
    h1 = mx.sym.Variable("h1")
    s = mx.sym.RNN(data, p, h0, h1, state_size=10, num_layers=2, bidirectional=True,
                   state_outputs=True, mode="lstm")
    atomic_sym = s._gen_atomic_symbol()
    assert atomic_sym.list_outputs() == s.list_outputs() or len(atomic_sym.list_outputs()) == 3


def test_eliminate_common_expr_like_usage():
    a = mx.sym.Variable("data")
    b = mx.sym.exp(a) + mx.sym.exp(a)
    exe = b.simple_bind(mx.cpu(), data=(2, 2))
    exe.forward(is_train=False, data=mx.nd.ones((2, 2)))
    assert_almost_equal(exe.outputs[0], 2 * np.exp(np.ones((2, 2))))


def test_symbol_attr_and_attr_scope():
    data = mx.sym.Variable("data", attr={"a": "1", "b": "x"}, lr_mult=2.0, wd_mult=0.5)
    assert data.attr("a") == "1"
    assert data.attr("__lr_mult__") == "2.0"
    assert data.attr("__wd_mult__") == "0.5"
    with mx.AttrScope(group="4", mood="great"):
        fc = mx.sym.FullyConnected(data, num_hidden=10, name="fc")
    assert fc.attr("group") == "4"
    d = fc.attr_dict()
    assert d["fc"]["group"] == "4"
    assert d["fc"]["num_hidden"] == "10"
    assert d["data"]["a"] == "1"
    fc._set_attr(group="5")
    assert fc.attr("group") == "5"
    assert fc.list_attr() == {"mood": "great", "group": "5", "num_hidden": "10"}


def test_symbol_arithmetic_and_indexing():
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    exprs = [(a + b, lambda x, y: x + y), (a - b, lambda x, y: x - y), (a * b, lambda x, y: x * y),
             (a / b, lambda x, y: x / y), (a ** 2, lambda x, y: x ** 2), (2 ** a, lambda x, y: 2 ** x),
             (-a, lambda x, y: -x), (abs(a), lambda x, y: abs(x)), (1 - a, lambda x, y: 1 - x),
             (3 / a, lambda x, y: 3 / x), (a % 2, lambda x, y: np.mod(x, 2)),
             (a > b, lambda x, y: (x > y).astype(np.float32)),
             (a <= 0.5, lambda x, y: (x <= 0.5).astype(np.float32))]
    xv = np.random.uniform(0.5, 2, (3, 4)).astype(np.float32)
    yv = np.random.uniform(0.5, 2, (3, 4)).astype(np.float32)
    for s, f in exprs:
        args = {"a": mx.nd.array(xv)}
        if "b" in s.list_arguments():
            args["b"] = mx.nd.array(yv)
        out = s.eval(ctx=mx.cpu(), **args)[0]
        assert_almost_equal(out, f(xv, yv), rtol=1e-5, atol=1e-6)
    g = mx.sym.Group([a + 1, b * 2])
    assert g[1].list_outputs() == g.list_outputs()[1:]
    assert g[0].name.startswith("_plus")
    assert len(list(g)) == 2


def test_infer_shape_errors_and_missing():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    assertRaises(MXNetError, fc.infer_shape, data=(2, 3), fc_weight=(4, 4))
    x = mx.sym.Variable("x")
    y = mx.sym.Variable("y")
    assertRaises(MXNetError, (x + y).infer_shape, x=(2, 3), y=(3, 2))


def test_list_inputs_and_debug_str():
    data = mx.sym.Variable("data")
    bn = mx.sym.BatchNorm(data, name="bn")
    assert bn.list_inputs() == ["data", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var"]
    assert bn.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert "BatchNorm" in bn.debug_str()
    assert bn.name == "bn"
    assert mx.sym.Variable("v").name == "v"
    assert mx.sym.Group([bn, data]).name is None


def test_executor_reshape_and_copy_params():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=4, name="fc")
    exe = fc.simple_bind(mx.cpu(), data=(2, 3))
    exe.arg_dict["fc_weight"][:] = 1
    exe.arg_dict["fc_bias"][:] = 0
    new_exe = exe.reshape(allow_up_sizing=True, data=(5, 3))
    new_exe.forward(data=mx.nd.ones((5, 3)))
    assert new_exe.outputs[0].shape == (5, 4)
    assert_almost_equal(new_exe.outputs[0], np.full((5, 4), 3.0))
    exe.copy_params_from({"fc_weight": mx.nd.ones((4, 3)) * 2, "fc_bias": mx.nd.ones((4,))})
    exe.forward(data=mx.nd.ones((2, 3)))
    assert_almost_equal(exe.outputs[0], np.full((2, 4), 7.0))
    assert_almost_equal(exe.output_dict["fc_output"], np.full((2, 4), 7.0))


def test_grad_req_dict_and_add():
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    c = a * b
    exe = c.simple_bind(mx.cpu(), a=(2,), b=(2,), grad_req={"a": "add", "b": "null"})
    assert exe.grad_dict["b"] is None
    exe.arg_dict["a"][:] = 1
    exe.arg_dict["b"][:] = 3
    for _ in range(2):
        exe.forward(is_train=True)
        exe.backward(mx.nd.ones((2,)))
    assert_almost_equal(exe.grad_dict["a"], np.full((2,), 6.0))
    exe = c.simple_bind(mx.cpu(), a=(2,), b=(2,), grad_req=["write", "add"])
    exe.arg_dict["a"][:] = 2
    exe.arg_dict["b"][:] = 3
    exe.grad_dict["b"][:] = 1
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((2,)))
    assert_almost_equal(exe.grad_dict["b"], np.full((2,), 3.0))


main(globals())
