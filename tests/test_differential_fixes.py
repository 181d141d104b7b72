"""Fixes found by the differential tester (tools/difftest) against MXNet 1.9.1.

Every expected value below was captured from real MXNet 1.9.1; values are exact unless a
tolerance is given.
"""
import json

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import nd, sym


# ---- NDArray.__setitem__ with Python and numpy scalars ----------------------------------------
@pytest.mark.parametrize("dtype, value, expected", [
    ("float32", None, np.nan),                 # MXNet assigns NaN
    ("float32", np.float32(-1), -1.0),
    ("float32", np.int64(3), 3.0),
    ("float64", np.float64(2.5), 2.5),
    ("int32", -2.7, -2),                       # truncated
    ("int32", np.float64(3.9), 3),
    ("uint8", 300, 44),                        # wrapped
    ("uint8", -1.5, 255),
    ("int8", 200, -56),
    ("bool", 2.7, True),
])
def test_setitem_scalars_like_mxnet(dtype, value, expected):
    for key in (slice(None), 0, (0, 1), (slice(None), 1), Ellipsis):
        x = nd.zeros((2, 3), dtype=dtype)
        x[key] = value
        got = x.asnumpy()[0, 1]
        if isinstance(expected, float) and np.isnan(expected):
            assert np.isnan(got)
        else:
            assert got == expected and x.dtype == np.dtype(dtype)


# ---- squeeze / expand_dims / flatten argument forms -----------------------------------------
def test_inplace_shape_methods_return_views():
    x = nd.ones((2, 1, 3))
    y = x.squeeze(inplace=True)
    y[0] = 5
    assert x.shape == (2, 1, 3) and y.shape == (2, 3)
    assert x.sum().asscalar() == 18.0
    assert x.expand_dims(0, inplace=True).shape == (1, 2, 1, 3)
    assert x.expand_dims(axis=-1).shape == (2, 1, 3, 1)
    assert x.squeeze(1).shape == (2, 3) and x.squeeze(axis=-2).shape == (2, 3)
    z = nd.ones((2, 3, 4))
    f = z.flatten(inplace=True)
    f[:] = 2
    assert f.shape == (2, 12) and z.sum().asscalar() == 48.0


# ---- moveaxis --------------------------------------------------------------------------------
def test_moveaxis_sequences_and_range_checks():
    x = nd.array(np.arange(24).reshape(2, 3, 4))
    assert nd.moveaxis(x, (0, 1), (1, 0)).shape == (3, 2, 4)
    assert nd.moveaxis(x, [0, 2], [2, 0]).shape == (4, 3, 2)
    assert nd.moveaxis(x, -1, 0).shape == (4, 2, 3)
    np.testing.assert_array_equal(nd.moveaxis(x, 0, -1).asnumpy(),
                                  np.moveaxis(np.arange(24).reshape(2, 3, 4), 0, -1))
    with pytest.raises(ValueError):
        nd.moveaxis(x, 3, 0)
    with pytest.raises(ValueError):
        nd.moveaxis(x, -4, 0)
    with pytest.raises(ValueError, match="repeated"):
        nd.moveaxis(x, (0, 0), (1, 2))


# ---- scalar-scalar helpers -------------------------------------------------------------------
def test_two_scalar_comparisons_return_ints():
    # MXNet 1.9.1: nd.equal(2, 3) -> 0, nd.lesser(2, 3) -> 1, nd.logical_and(0, 3.0) -> 0
    cases = {"equal": 0, "not_equal": 1, "greater": 0, "greater_equal": 0, "lesser": 1,
             "lesser_equal": 1, "logical_and": 1, "logical_or": 1, "logical_xor": 0}
    for name, expected in cases.items():
        got = getattr(nd, name)(2, 3)
        assert type(got) is int and got == expected, name
    assert nd.logical_and(0, 3.0) == 0 and type(nd.logical_and(0, 3.0)) is int


# ---- element-wise ops ------------------------------------------------------------------------
def test_clip_with_min_above_max_tests_max_first():
    x = nd.array([-3, 0, 0.5, 3])
    np.testing.assert_array_equal(x.clip(2, 1).asnumpy(), [2, 2, 2, 1])
    y = nd.array([1.75, 1.0, -1.25, 1.5, 2, 2.5])
    np.testing.assert_array_equal(y.clip(2, 1).asnumpy(), [1, 2, 2, 1, 1, 1])
    np.testing.assert_array_equal(y.clip(-1, -2).asnumpy(), [-2] * 6)
    np.testing.assert_array_equal(nd.clip(x, a_min=-1, a_max=1).asnumpy(), [-1, 0, 0.5, 1])


def test_smooth_l1_keeps_integer_types():
    out = nd.smooth_l1(nd.array([1, 2], dtype="int32"), scalar=1.0)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out.asnumpy(), [0, 1])
    np.testing.assert_array_equal(nd.smooth_l1(nd.array([-3, 0, 0.5, 3]), scalar=0.0).asnumpy(),
                                  [0, 0, 0, 0])


def test_amp_cast_to_int_rounds_half_to_even_unlike_cast():
    x = nd.array([-1.75, 1.5, 2.5, 0.5])
    np.testing.assert_array_equal(nd.amp_cast(x, dtype="int32").asnumpy(), [-2, 2, 2, 0])
    np.testing.assert_array_equal(nd.cast(x, dtype="int32").asnumpy(), [-1, 1, 2, 0])
    big = nd.array([-1.25, 300.4, 255.6, -200])
    np.testing.assert_array_equal(nd.amp_cast(big, dtype="uint8").asnumpy(), [0, 255, 255, 0])
    np.testing.assert_array_equal(nd.cast(big, dtype="uint8").asnumpy(), [255, 44, 255, 56])


# ---- Symbol output names, attributes, helpers -------------------------------------------------
@pytest.mark.parametrize("make, outputs, row_ptr", [
    (lambda x: sym.sort(x), ["sort0_output0"], [0, 1, 3]),
    (lambda x: sym.topk(x, ret_typ="value"), ["topk0_output0"], [0, 1, 3]),
    (lambda x: sym.topk(x, ret_typ="mask"), ["topk0_output"], [0, 1, 2]),
    (lambda x: sym.topk(x), ["topk0_output"], [0, 1, 2]),
    (lambda x: sym.topk(x, ret_typ="both"), ["topk0_output0", "topk0_output1"], [0, 1, 3]),
    (lambda x: sym.make_loss(x), ["make_loss0_loss"], [0, 1, 2]),
])
def test_output_names_and_hidden_outputs(make, outputs, row_ptr):
    with mx.name.NameManager():
        s = make(sym.var("x"))
    assert s.list_outputs() == outputs
    assert json.loads(s.tojson())["node_row_ptr"] == row_ptr


def test_topk_value_through_symbol_still_evaluates():
    out = sym.topk(sym.var("x"), ret_typ="value").eval(x=nd.array([[1, 3, 2]]))
    assert len(out) == 1 and out[0].asnumpy().tolist() == [[3.0]]


def test_sym_split_v2_with_section_count():
    with mx.name.NameManager():
        s = sym.split_v2(sym.var("x"), 2)
    assert s.list_outputs() == ["_split_v20_output0", "_split_v20_output1"]
    outs = s.eval(x=nd.array(np.arange(8).reshape(4, 2)))
    assert [o.shape for o in outs] == [(2, 2), (2, 2)]


def test_attr_scope_hides_only_mxnet_hidden_keys():
    with mx.AttrScope(ctx_group="dev1", lr_mult="0.1", group="4", __data__="d"):
        a = sym.var("a")
    assert a.attr_dict() == {"a": {"__ctx_group__": "dev1", "ctx_group": "dev1",
                                   "__lr_mult__": "0.1", "lr_mult": "0.1", "group": "4",
                                   "__data__": "d"}}
    assert a.attr("group") == "4" and a.attr("__group__") is None


def test_group_attributes_and_string_values():
    x = sym.var("x", lr_mult=2)
    g = sym.Group([x, sym.var("y")])
    assert g.attr("lr_mult") is None
    assert g.list_attr() == {"__lr_mult__": "2", "lr_mult": "2"}
    assert g.attr_dict() == {"x": {"__lr_mult__": "2", "lr_mult": "2"}}
    with pytest.raises(ValueError, match="string"):
        sym.var("z", attr={"a": 1})


def test_fixed_output_types_in_infer_type():
    v, w = sym.var("v"), sym.var("w")
    assert sym.shape_array(v).infer_type(v="float16")[1] == [np.int64]
    assert sym.size_array(v).infer_type(v="int32")[1] == [np.int64]
    assert sym.all_finite(v).infer_type(v="float16")[1] == [np.float32]
    assert sym.multi_sum_sq(v, w, num_arrays=2).infer_type(v="float16", w="float16")[1] == \
        [np.float32]


# ---- Executor ----------------------------------------------------------------------------------
def test_executor_outputs_exist_before_forward():
    x, w = sym.var("x"), sym.var("w")
    y = sym.FullyConnected(x, w, num_hidden=4, no_bias=True, name="fc")
    ex = y.simple_bind(mx.cpu(), x=(2, 3))
    assert [o.shape for o in ex.outputs] == [(2, 4)]
    assert list(ex.output_dict) == ["fc_output"]
    first = ex.outputs[0]
    ex.arg_dict["x"][:] = 1
    ex.arg_dict["w"][:] = 1
    ex.forward()
    assert ex.outputs[0] is first and first.asnumpy().tolist() == [[3.0] * 4] * 2


# ---- gamma poles, histogram without range ------------------------------------------------------
def test_gamma_is_nan_at_negative_integers():
    out = nd.gamma(nd.array([-2, -1.5, -1, 0, 0.5])).asnumpy()
    expected = [np.nan, 2.3632717, np.nan, np.inf, 1.7724538]  # MXNet 1.9.1
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_histogram_without_range_spans_the_data():
    counts, edges = nd.histogram(nd.array(np.arange(6).reshape(2, 3)), bins=4)
    assert counts.dtype == np.float32
    np.testing.assert_array_equal(counts.asnumpy(), [2, 1, 1, 2])
    np.testing.assert_array_equal(edges.asnumpy(), [0, 1.25, 2.5, 3.75, 5])
    counts, edges = nd.histogram(nd.ones((3,)), bins=2)
    np.testing.assert_array_equal(counts.asnumpy(), [0, 3])
    np.testing.assert_array_equal(edges.asnumpy(), [0.5, 1, 1.5])


# ---- indexing keys, copyto, bool scalars, **= ---------------------------------------------------
def test_float_keys_are_refused_and_bool_lists_are_numbers():
    x = nd.array(np.arange(6).reshape(2, 3))
    for key in (1.5, 1.0, np.float32(1)):
        with pytest.raises(ValueError, match="key"):
            x[key]
    with pytest.raises(ValueError):
        x[1.5] = 1
    # MXNet 1.9.1 reads a Python list of bools as the indices 1 and 0
    assert x[[True, False]].asnumpy().tolist() == [[3, 4, 5], [0, 1, 2]]
    assert x[[True, True, False]].shape == (3, 3)


def test_copyto_itself_warns_and_returns_false():
    x = nd.ones((2,))
    with pytest.warns(UserWarning, match="itself"):
        assert x.copyto(x) is False


def test_bool_scalars_in_arithmetic():
    y = nd.array([1.0, 2.0])
    assert (y - True).asnumpy().tolist() == [0, 1]
    assert (True - y).asnumpy().tolist() == [0, -1]
    assert (y + False).asnumpy().tolist() == [1, 2]


def test_inplace_power_rebinds_like_mxnet():
    x = nd.array([1.0, 2.0])
    y = x
    x **= 2
    assert x is not y and y.asnumpy().tolist() == [1, 2] and x.asnumpy().tolist() == [1, 4]
    a = nd.ones((1, 3))
    a **= nd.ones((2, 3))  # a new array, so broadcasting to a larger shape is fine
    assert a.shape == (2, 3)


def test_amp_cast_type_inference_keeps_integer_inputs():
    v = sym.var("v")
    assert sym.amp_cast(v, dtype="float16").infer_type(v="int32")[1] == [np.int32]
    assert sym.amp_cast(v, dtype="float16").infer_type(v="float32")[1] == [np.float16]


# ---- gather_nd with uint8 indices, LayerNorm axis range, bool mean ------------------------------
def test_gather_nd_with_uint8_indices():
    data = nd.array(np.arange(6).reshape(2, 3), dtype="uint8")
    idx = nd.array([[1, 0], [0, 1]], dtype="uint8")
    assert nd.gather_nd(data, idx).asnumpy().tolist() == [3, 1]  # MXNet 1.9.1


def test_layer_norm_axis_out_of_range_raises():
    x, g = nd.ones((2, 3)), nd.ones((3,))
    with pytest.raises(mx.base.MXNetError, match="axis=-3"):
        nd.LayerNorm(x, g, g, axis=-3)
    assert nd.LayerNorm(x, nd.ones((2,)), nd.ones((2,)), axis=-2).shape == (2, 3)


def test_mean_of_bool_is_any():
    # MXNet 1.9.1: [T, F, F] -> [True], [F, F] -> [False], [T, T] -> [True]
    for values, expected in (([True, False, False], True), ([False, False], False),
                             ([True, True], True)):
        out = nd.mean(nd.array(values, dtype="bool"))
        assert out.dtype == np.bool_ and out.asnumpy().tolist() == [expected]


def test_sample_shape_must_be_given_in_full():
    mu, sigma = nd.array([0, 1]), nd.array([1, 1])
    assert nd.sample_normal(mu, sigma, shape=(3,)).shape == (2, 3)
    for shape in ((-1,), (0, -1)):
        with pytest.raises(mx.base.MXNetError, match="negative"):
            nd.sample_normal(mu, sigma, shape=shape)


def test_ndarray_broadcast_to_method_follows_numpy_rules():
    x = nd.ones((1, 3))
    assert x.broadcast_to((2, 3)).shape == (2, 3)
    assert x.broadcast_to((4, 2, 3)).shape == (4, 2, 3)  # leading axes are added
    for shape in ((2, 0), (4,)):  # MXNet 1.9.1: ValueError
        with pytest.raises(ValueError, match="broadcast"):
            x.broadcast_to(shape)


def test_symbol_fluent_methods_name_nodes_after_the_method():
    # MXNet 1.9.1: x.flip(axis=0).name == 'flip0', x.split(...) -> 'split0_output0', ...
    with mx.name.NameManager():
        x = sym.var("x")
        assert x.flip(axis=0).name == "flip0"
        assert x.split(num_outputs=2).list_outputs() == ["split0_output0", "split0_output1"]
        assert x.swapaxes(dim1=0, dim2=1).name == "swapaxes0"
        assert x.broadcast_axes(axis=0, size=2).name == "broadcast_axes0"
        assert x.reshape((1,)).name == "reshape0"


def test_pick_of_1d_data_keeps_one_element_axis():
    """MXNet 1.9.1: pick over 1-d data gives shape (1,) (not 0-d), in nd and in inference."""
    data = mx.nd.array([1, 2, 3])
    out = mx.nd.pick(data, mx.nd.array([1]))
    assert out.shape == (1,) and out.asnumpy().tolist() == [2.0]
    assert mx.nd.pick(data, mx.nd.array([1]), keepdims=True).shape == (1,)
    args, outs, _ = mx.sym.pick(mx.sym.var("a"), mx.sym.var("b")).infer_shape(a=(3,))
    assert args == [(3,), (1,)] and outs == [(1,)]


def test_zero_d_array_empty_key_and_len():
    """MXNet 1.9.1: ``s[()]`` of a 0-d array returns it; ``len(s)`` raises IndexError."""
    s = nd.array(5)
    assert s.shape == ()
    r = s[()]
    assert r.shape == () and float(r.asnumpy()) == 5.0
    with pytest.raises(IndexError):
        len(s)
    with pytest.raises(TypeError):  # NumPy's type, kept for code written against NumPy
        len(s)


@pytest.mark.parametrize("make, shapes, expected", [
    (lambda a: sym.one_hot(a, depth=0), {"a": (3,)}, [(3, 0)]),
    (lambda a: sym.repeat(a, repeats=0), {"a": (3,)}, [(0,)]),
    (lambda a: sym.diag(a, k=3), {"a": (3, 3)}, [(0,)]),
])
def test_legacy_inference_keeps_computed_zero_size_outputs(make, shapes, expected):
    """MXNet 1.9.1 (legacy shape mode): a zero-size result of an op with inputs is a real
    shape, while a 0 in a creation op's ``shape`` still means unknown."""
    _, outs, _ = make(sym.var("a")).infer_shape(**shapes)
    assert outs == expected
    with pytest.warns(UserWarning):
        assert sym.zeros(shape=(0, 3)).infer_shape() == (None, None, None)


def test_value_dependent_output_shape_stays_unknown_in_np_shape_mode():
    """boolean_mask's output length depends on the index values: MXNet's inference leaves it
    undecided in both shape modes (a meta run must not turn it into a real 0)."""
    out = sym.contrib.boolean_mask(sym.var("data"), sym.var("index"))
    with mx.np_shape(True):
        with pytest.warns(UserWarning):
            assert out.infer_shape(data=(4, 3), index=(4,)) == (None, None, None)


def test_slice_with_empty_negative_step_range_infers_zero_size():
    """MXNet 1.9.1: slice(begin=0, end=n, step=-1) selects nothing; inference says so."""
    a = sym.var("a")
    _, outs, _ = sym.slice(a, begin=(0, 0), end=(2, 3), step=(None, -1)).infer_shape(a=(2, 3))
    assert outs == [(2, 0)]
    _, outs, _ = sym.crop(a, begin=(0, 0), end=(2, 3), step=(-1, -1)).infer_shape(a=(2, 3))
    assert outs == [(0, 0)]
