"""Round-5 symbol checks in the style of MXNet 1.9.1's test_symbol.py / test_executor.py (own
code): simple_bind with type_dict / grad_req dicts and lists, infer_type(_partial), executor
reshape and copy_params_from, attributes, internals/children, scalar arithmetic on both sides,
debug_str and JSON round trips.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_symbol5``.
"""
import json

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _fc(name="fc", hidden=4):
    return mx.sym.FullyConnected(mx.sym.Variable("x"), num_hidden=hidden, name=name)


def _run(s, **values):
    exe = s.bind(default_context(), {k: mx.nd.array(v) for k, v in values.items()})
    exe.forward()
    return [o.asnumpy() for o in exe.outputs]


@with_seed()
def test_scalar_arithmetic_both_sides():
    a = mx.sym.Variable("a")
    x = np.array([1.0, 2.0, 3.0])
    cases = [(2 - a, 2 - x), (a - 2, x - 2), (3 / a, 3 / x), (a / 4, x / 4), (2 ** a, 2 ** x),
             (a ** 2, x ** 2), (5 % a, 5 % x), (a % 2, x % 2), (-a, -x),
             (2 + a * 3, 2 + x * 3), ((2 - a * 3 / 4 + 1) ** 2, (2 - x * 3 / 4 + 1) ** 2),
             (a == 2, x == 2), (2 < a, 2 < x), (a != 1, x != 1), (2 >= a, 2 >= x), (1 - (-a), 1 + x)]
    for s, want in cases:
        assert_almost_equal(_run(s, a=x)[0], want.astype(np.float32), rtol=1e-5, atol=1e-6)
    ops = [json.loads(s.tojson())["nodes"][-1]["op"] for s in
           (2 - a, 3 / a, 5 % a, 2 ** a, a ** 2, 2 < a, a - 2, -a)]
    assert ops == ["_rminus_scalar", "_rdiv_scalar", "_rmod_scalar", "_rpower_scalar",
                   "_power_scalar", "_greater_scalar", "_minus_scalar", "_mul_scalar"], ops


@with_seed()
def test_symbol_symbol_arithmetic_ops():
    a, b = mx.sym.Variable("a"), mx.sym.Variable("b")
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 0.5])
    for s, want in [(a + b, x + y), (a - b, x - y), (a * b, x * y), (a / b, x / y),
                    (a ** b, x ** y), (a % b, np.mod(x, y)), (a > b, x > y),
                    (mx.sym.maximum(a, 2) + mx.sym.minimum(3, b), np.maximum(x, 2) + np.minimum(3, y)),
                    (mx.sym.hypot(a, 1), np.hypot(x, 1)), (mx.sym.pow(2, b), 2 ** y)]:
        assert_almost_equal(_run(s, a=x, b=y)[0], want.astype(np.float32), rtol=1e-5, atol=1e-6)


@with_seed()
def test_attributes_on_variables_and_ops():
    a = mx.sym.Variable("a", attr={"foo": "bar"}, lr_mult=2.0, wd_mult=0.5, dtype="float16",
                        shape=(2, 3), init="zeros")
    assert a.list_attr() == {"foo": "bar", "__shape__": "(2, 3)", "__lr_mult__": "2.0",
                             "__wd_mult__": "0.5", "__dtype__": "2", "__init__": "zeros",
                             "lr_mult": "2.0", "wd_mult": "0.5"}
    assert a.attr("__dtype__") == "2" and a.attr("nothere") is None
    b = mx.sym.Variable("b", init=mx.init.Uniform(0.1))
    assert b.attr_dict() == {"b": {"__init__": '["uniform", {"scale": 0.1}]'}}
    y = _fc()
    assert y.attr("num_hidden") == "4" and y.list_attr() == {"num_hidden": "4"}
    y._set_attr(__foo__="1")
    assert y.list_attr() == {"num_hidden": "4", "__foo__": "1"}
    c = y.__copy__()
    c._set_attr(__bar__="2")
    assert "__bar__" not in y.list_attr() and c.list_attr()["__bar__"] == "2"
    with mx.AttrScope(__group__="4", __mood__="x"):
        z = mx.sym.FullyConnected(mx.sym.Variable("v"), num_hidden=2, name="z",
                                  attr={"__lr_mult__": "3"})
    d = z.attr_dict()
    assert d["z"] == {"num_hidden": "2", "__group__": "4", "__mood__": "x", "__lr_mult__": "3",
                      "lr_mult": "3"}, d
    assert d["z_weight"] == d["z"], d
    assert d["v"] == {"__group__": "4", "__mood__": "x"}, d


@with_seed()
def test_internals_children_and_outputs():
    z = mx.sym.Activation(_fc(), act_type="relu", name="act")
    assert z.get_internals().list_outputs() == ["x", "fc_weight", "fc_bias", "fc_output",
                                                "act_output"]
    assert z.get_children().list_outputs() == ["fc_output"]
    assert z.get_children().get_children().list_outputs() == ["x", "fc_weight", "fc_bias"]
    assert mx.sym.Variable("x").get_children() is None
    assert z.get_internals()["fc_output"].list_arguments() == ["x", "fc_weight", "fc_bias"]
    s = mx.sym.split(mx.sym.Variable("x"), num_outputs=3, name="sp")
    assert s.list_outputs() == ["sp_output0", "sp_output1", "sp_output2"] and len(s) == 3
    assert s[1].name == "sp" and s[1].list_outputs() == ["sp_output1"]
    assert s.get_internals().list_outputs() == ["x", "sp_output0", "sp_output1", "sp_output2"]
    g = mx.sym.Group([mx.sym.Variable("x") * 2, mx.sym.relu(mx.sym.Variable("x"))])
    assert mx.sym.load_json(g.tojson()).tojson() == g.tojson()
    assert len(g.list_outputs()) == 2 and g.name is None


@with_seed()
def test_infer_type_and_partial():
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    z = mx.sym.elemwise_add(x, y) * 2
    assert z.infer_type(x="float16") == ([np.float16, np.float16], [np.float16], [])
    assert mx.sym.elemwise_add(x, y).infer_type_partial(x="float64") == \
        ([np.float64, np.float64], [np.float64], [])
    fc = mx.sym.FullyConnected(x, num_hidden=4, name="fc") + y
    assert fc.infer_type_partial() == ([None, None, None, None], [None], [])
    args, outs, _ = fc.infer_shape_partial(x=(2, 3))
    assert args[:3] == [(2, 3), (4, 3), (4,)] and outs == [(2, 4)]
    assert fc.infer_type(x="float64")[0] == [np.float64] * 4


@with_seed()
def test_simple_bind_type_dict_and_grad_req():
    z = _fc()
    exe = z.simple_bind(default_context(), x=(2, 3), type_dict={"x": "float64"})
    assert [a.dtype for a in exe.arg_arrays] == [np.float64] * 3
    assert exe.outputs[0].dtype == np.float64
    exe = z.simple_bind(default_context(), x=(2, 3), type_dict={"fc_weight": "float16"})
    assert [a.dtype for a in exe.arg_arrays] == [np.float16] * 3
    exe = z.simple_bind(default_context(), x=(2, 3),
                        grad_req={"x": "null", "fc_weight": "add", "fc_bias": "write"})
    assert exe.grad_dict.get("x") is None and exe.grad_arrays[0] is None
    assert sorted(k for k, v in exe.grad_dict.items() if v is not None) == ["fc_bias",
                                                                             "fc_weight"]
    x = np.random.uniform(-1, 1, (2, 3))
    for _ in range(2):
        exe.forward(is_train=True, x=x)
        exe.backward(mx.nd.ones((2, 4)))
    assert_almost_equal(exe.grad_dict["fc_weight"].asnumpy(),
                        2 * np.tile(x.sum(0), (4, 1)), rtol=1e-5, atol=1e-5)
    assert_almost_equal(exe.grad_dict["fc_bias"].asnumpy(), np.full(4, 2.0))
    exe = z.simple_bind(default_context(), x=(2, 3), grad_req=["null", "write", "add"])
    assert exe.grad_arrays[0] is None and exe.grad_arrays[1].shape == (4, 3)
    exe = z.simple_bind(default_context(), x=(2, 3), grad_req="null")
    assert all(g is None for g in exe.grad_arrays)


@with_seed()
def test_executor_reshape():
    exe = _fc().simple_bind(default_context(), x=(2, 3))
    exe.arg_dict["fc_weight"][:] = 1
    new = exe.reshape(x=(1, 3))
    assert new.arg_dict["x"].shape == (1, 3) and new.outputs[0].shape == (1, 4)
    assert new.arg_dict["fc_weight"].asnumpy().sum() == 12
    new.forward(x=np.ones((1, 3)))
    assert_almost_equal(new.outputs[0].asnumpy(), np.full((1, 4), 3.0) +
                        new.arg_dict["fc_bias"].asnumpy())
    assertRaises(MXNetError, exe.reshape, x=(5, 4))
    big = exe.reshape(allow_up_sizing=True, x=(7, 3))
    assert big.outputs[0].shape == (7, 4)
    exe6 = _fc().simple_bind(default_context(), x=(6, 3))
    assert exe6.reshape(partial_shaping=True, x=(5, 3)).outputs[0].shape == (5, 4)
    y = _fc() + mx.sym.Variable("y")
    exe = y.simple_bind(default_context(), x=(6, 3), y=(6, 4))
    assertRaises(MXNetError, exe.reshape, x=(5, 3))
    assert exe.reshape(partial_shaping=True, x=(5, 3), y=(5, 4)).outputs[0].shape == (5, 4)


@with_seed()
def test_executor_copy_params_from():
    exe = _fc().simple_bind(default_context(), x=(2, 3))
    exe.copy_params_from({"fc_weight": mx.nd.ones((4, 3)), "fc_bias": mx.nd.ones((4,)) * 2})
    assert exe.arg_dict["fc_bias"].asnumpy().tolist() == [2, 2, 2, 2]
    assertRaises(ValueError, exe.copy_params_from, {"junk": mx.nd.ones((4,))})
    exe.copy_params_from({"fc_weight": mx.nd.ones((4, 3)) * 3, "junk": mx.nd.ones((4,))},
                         allow_extra_params=True)
    assert exe.arg_dict["fc_weight"].asnumpy().sum() == 36
    bn = mx.sym.BatchNorm(mx.sym.Variable("x"), name="bn")
    exe = bn.simple_bind(default_context(), x=(2, 3))
    exe.copy_params_from({"bn_gamma": mx.nd.ones((3,))}, {"bn_moving_var": mx.nd.ones((3,)) * 2})
    assert exe.aux_dict["bn_moving_var"].asnumpy().tolist() == [2, 2, 2]
    assertRaises(ValueError, exe.copy_params_from, {}, {"bn_x": mx.nd.ones((3,))})
    exe.copy_params_from({}, {"bn_x": mx.nd.ones((3,))}, allow_extra_params=True)
    exe = _fc().simple_bind(default_context(), x=(2, 3))
    exe.copy_params_from({"fc_weight": np.full((4, 3), 5.0)} if False else
                         {"fc_weight": mx.nd.full((4, 3), 5.0, dtype="float64")})
    assert exe.arg_dict["fc_weight"].dtype == np.float32
    assert exe.arg_dict["fc_weight"].asnumpy().sum() == 60


@with_seed()
def test_debug_str_layout():
    fc = _fc()
    sp = mx.sym.split(fc, num_outputs=2, name="sp")
    g = mx.sym.Group([sp[1], mx.sym.relu(sp[0], name="r") + 1])
    text = g.debug_str()
    lines = text.splitlines()
    assert lines[:2] == ["Symbol Outputs:", "\toutput[0]=sp(1)"], lines
    assert lines[2].startswith("\toutput[1]=_plusscalar") and lines[2].endswith("(0)")
    assert "\targ[0]=x(0) version=0" in lines and "\targ[0]=fc(0)" in lines
    assert lines.count("-" * 20) == 4 and text.endswith("\n")
    assert "Op:SliceChannel, Name=sp" in lines and "\tnum_outputs=2" in lines


@with_seed()
def test_json_roundtrip_op_families():
    a, b, c = mx.sym.Variable("a"), mx.sym.Variable("b"), mx.sym.Variable("c")
    syms = [mx.sym.linalg.gemm(a, b, c, transpose_a=True, alpha=2.0, beta=0.5, axis=-3),
            mx.sym.linalg.trsm(a, b, rightside=True, lower=False, alpha=0.5),
            mx.sym.linalg.extracttrian(a, offset=-1, lower=True),
            mx.sym.linalg.maketrian(a, offset=1),
            mx.sym.SequenceMask(a, b, use_sequence_length=True, value=-1.0, axis=1),
            mx.sym.SequenceReverse(a, b, use_sequence_length=True),
            mx.sym.softmax(a, b, use_length=True, axis=0, temperature=2.0, dtype="float64"),
            mx.sym.norm(a, ord=1, axis=(0, 2), keepdims=True),
            mx.sym.sum(a, axis=(1,), exclude=True),
            mx.sym.sample_normal(a, b, shape=(2, 3), dtype="float64"),
            mx.sym.random.multinomial(a, shape=(2,), get_prob=True),
            mx.sym.pad(a, mode="reflect", pad_width=(0, 0, 0, 0, 1, 1, 2, 2)),
            mx.sym.depth_to_space(a, block_size=2)]
    for s in syms:
        back = mx.sym.load_json(s.tojson())
        assert back.tojson() == s.tojson()
        assert back.list_arguments() == s.list_arguments()
        assert back.list_outputs() == s.list_outputs()
        assert back.attr_dict() == s.attr_dict()


if __name__ == "__main__":
    main(globals())
