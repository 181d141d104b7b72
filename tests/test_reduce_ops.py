"""Reductions, sorting, indexing and matrix products beyond the golden fixtures: attribute
strings, aliases, fluent methods, errors, edge cases and the deviations in compat/reduce.md.

Expected numbers marked "oracle" were produced by real MXNet 1.9.1; the others follow NumPy.
"""
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import DTypeError, MXNetError, ShapeError
from mxtorch.ops import get_op

nd = mx.nd


def arange(*shape, dtype="float32"):
    return nd.array(np.arange(int(np.prod(shape))).reshape(shape), dtype=dtype)


def check(got, want, dtype=None):
    got_np = got.asnumpy()
    want = np.asarray(want)
    assert got_np.shape == want.shape, (got_np.shape, want.shape)
    np.testing.assert_allclose(got_np.astype(np.float64), want.astype(np.float64),
                               rtol=1e-5, atol=1e-6)
    if dtype is not None:
        assert np.dtype(got.dtype).name == dtype


def grad_of(fn, x, head=None):
    x = nd.array(x)
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
    y.backward(head)
    return x.grad.asnumpy()


# --------------------------------------------------------------------------------------------
# attributes, aliases, fluent methods
# --------------------------------------------------------------------------------------------


def test_axis_attribute_strings():
    x = arange(2, 3, 4)
    want = x.asnumpy().sum(axis=(0, 1))
    check(nd.sum(x, axis="(0, 1)"), want)
    check(nd.sum(x, axis=[1, 0]), want)
    check(nd.sum(x, axis="1", keepdims="True"), x.asnumpy().sum(axis=1, keepdims=True))
    check(nd.mean(x, axis="()"), [x.asnumpy().mean()])
    check(nd.max(x, axis="None"), [23])
    check(nd.sum(x, "2", "False", "1"), x.asnumpy().sum(axis=(0, 1)))  # positional: exclude


def test_axis_attribute_formats_back_like_mxnet():
    op = get_op("sum")
    assert op.format_attrs(op.parse_attrs({"axis": 1}))["axis"] == "1"
    assert op.format_attrs(op.parse_attrs({"axis": [0, 2]}))["axis"] == "(0, 2)"
    assert op.format_attrs(op.parse_attrs({"axis": "(0, 2)"}))["axis"] == "(0, 2)"
    assert op.format_attrs(op.parse_attrs({}))["axis"] == "None"
    with pytest.raises(MXNetError, match="axis"):
        nd.sum(arange(2, 3), axis=1.5)


@pytest.mark.parametrize("alias,canonical", [
    ("sum_axis", "sum"), ("max_axis", "max"), ("min_axis", "min"),
    ("choose_element_0index", "pick"), ("ravel_multi_index", "_ravel_multi_index"),
    ("unravel_index", "_unravel_index")])
def test_aliases(alias, canonical):
    assert get_op(alias) is get_op(canonical)


def test_alias_functions_in_nd():
    x = arange(2, 3)
    check(nd.sum_axis(x, axis=1), [3, 12])
    check(nd.max_axis(x, axis=0), [3, 4, 5])
    check(nd.choose_element_0index(x, nd.array([2, 0])), [2, 3])
    check(nd.contrib.allclose(x, x), np.array(1, dtype=np.uint8), "uint8")


def test_fluent_methods():
    x = nd.array([[1, 5, 3], [4, 2, 6]])
    check(x.sum(axis=1), [9, 12])
    check(x.argmax(1), [1, 2])
    check(x.topk(k=2), [[1, 2], [2, 0]])
    check(x.take(nd.array([1])), [[4, 2, 6]])
    check(x.pick(nd.array([0, 2])), [1, 6])
    check(x.max(), [6])
    check(x.min(axis=0), [1, 2, 3])
    check(x.mean(axis=0), [2.5, 3.5, 4.5])
    check(x.prod(), [720])
    check(x.nansum(), [21])
    check(x.nanprod(axis=1), [15, 48])
    check(x.norm(ord=1, axis=1), [9, 12])
    check(x.sort(is_ascend=False), [[5, 3, 1], [6, 4, 2]])
    check(x.argsort(axis=0), [[0, 1, 0], [1, 0, 1]])
    check(x.argmin(axis=None), [0])
    check(x.argmax_channel(), [1, 2])
    check(nd.array([0, 2]).one_hot(3), [[1, 0, 0], [0, 0, 1]])


# --------------------------------------------------------------------------------------------
# reductions
# --------------------------------------------------------------------------------------------


def test_full_reduction_gives_shape_1_and_keepdims_all_ones():
    x = arange(2, 3, 4)
    for fn in (nd.sum, nd.mean, nd.prod, nd.max, nd.min, nd.nansum, nd.nanprod, nd.norm):
        assert fn(x).shape == (1,)
        assert fn(x, keepdims=True).shape == (1, 1, 1)
    assert nd.argmax(x).shape == (1,)
    assert nd.argmax(x, keepdims=True).shape == (1, 1, 1)


def test_exclude():
    x = arange(2, 3, 4)
    check(nd.sum(x, axis=(0, 2), exclude=True, keepdims=True),
          x.asnumpy().sum(axis=1, keepdims=True))
    # oracle: excluding every axis reduces nothing; exclude with no axis reduces everything
    check(nd.sum(x, axis=(0, 1, 2), exclude=True), x.asnumpy())
    check(nd.sum(x, exclude=True), [276])


def test_integer_reductions_stay_integer():
    # oracle values
    xi = nd.array(np.arange(24).reshape(2, 3, 4) - 5, dtype="int32")
    check(nd.mean(xi, axis=1), [[-1, 0, 1, 2], [11, 12, 13, 14]], "int32")
    check(nd.mean(nd.array([[-5, -4], [5, 4]], dtype="int32"), axis=1), [-4, 4], "int32")
    check(nd.sum(nd.array([200, 100], dtype="uint8")), [44], "uint8")
    check(nd.mean(nd.array([200, 100], dtype="uint8")), [22], "uint8")
    check(nd.prod(nd.array([100, 100], dtype="int8")), [16], "int8")
    check(nd.mean(nd.array([100, 100, 101], dtype="int8")), [15], "int8")
    mean, var = nd.moments(xi, axes=(1,))
    check(mean, [[-1, 0, 1, 2], [11, 12, 13, 14]], "int32")
    check(var, np.full((2, 4), 10), "int32")


def test_nan_reductions():
    nan = float("nan")
    x = nd.array([[2, nan, 3], [nan, nan, nan]])
    check(nd.nansum(x, axis=1), [5, 0])
    check(nd.nanprod(x, axis=1), [6, 1])
    np.testing.assert_array_equal(np.isnan(nd.max(x, axis=1).asnumpy()), [True, True])
    assert grad_of(lambda v: nd.nansum(v), [[2, nan, 3]]).tolist() == [[1, 0, 1]]
    assert grad_of(lambda v: nd.nanprod(v), [[2, nan, 3]]).tolist() == [[3, 0, 2]]


def test_max_min_gradient_goes_to_every_tie():
    # oracle: each tied extremum gets the full head gradient
    assert grad_of(lambda v: nd.max(v), [3., 1., 3.]).tolist() == [1, 0, 1]
    assert grad_of(lambda v: nd.min(v), [1., 1., 3.]).tolist() == [1, 1, 0]
    g = grad_of(lambda v: nd.max(v, axis=1), [[3., 1., 3.], [0., 2., 2.]], nd.array([2., 5.]))
    assert g.tolist() == [[2, 0, 2], [0, 5, 5]]


def test_max_second_order_gradient():
    x = nd.array([3., 1., 3.])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.max(x * x)
        (g,) = mx.autograd.grad(y, [x], create_graph=True)
        z = nd.sum(g * g)
    z.backward()
    check(g, [6, 0, 6])
    check(x.grad, [24, 0, 24])  # d/dx sum((2x * mask)^2) = 8x * mask


def test_prod_gradient_with_zero_is_exact():
    # compat/reduce.md: MXNet gives [0, nan, 0]
    assert grad_of(lambda v: nd.prod(v), [2., 0., 3.]).tolist() == [0, 6, 0]


def test_norm():
    x = arange(2, 3, 4)
    check(nd.norm(x), [np.sqrt((x.asnumpy() ** 2).sum())])
    check(nd.norm(x, ord=1, axis=(0, 1), keepdims=True),
          np.abs(x.asnumpy()).sum(axis=(0, 1), keepdims=True))
    with pytest.raises(MXNetError, match="ord=3"):
        nd.norm(x, ord=3)
    # compat/reduce.md: correct integer L2 norm and a working out_dtype
    check(nd.norm(nd.array([3, 4], dtype="int32")), [5], "int32")
    check(nd.norm(nd.array([1, 2], dtype="float16"), out_dtype="float32"), [np.sqrt(5)],
          "float32")
    assert grad_of(lambda v: nd.norm(v), [0., 0.]).tolist() == [0, 0]


def test_moments_needs_axes():
    with pytest.raises(MXNetError, match="axes"):
        nd.moments(arange(2, 3))
    mean, var = nd.moments(nd.array([[1, 2], [3, 6]]), axes=(0, 1))
    check(mean, [3])
    check(var, [3.5])


def test_cumsum():
    x = nd.array([[1.5, 2.7], [3, 4]])
    check(nd.cumsum(x), [1.5, 4.2, 7.2, 11.2])
    check(nd.cumsum(x, axis=0), [[1.5, 2.7], [4.5, 6.7]])
    check(nd.cumsum(x, dtype="int32"), [1, 3, 6, 10], "int32")  # oracle: truncate, then sum
    check(nd.cumsum(nd.array([100, 100, 3], dtype="int8")), [100, -56, -53], "int8")  # oracle
    check(nd.cumsum(nd.array([1, 1], dtype="bool")), [1, 2], "int64")  # oracle
    check(nd.cumsum(x, axis=-1), [[1.5, 4.2], [3, 7]])  # compat/reduce.md: MXNet fails here
    assert get_op("cumsum").name == "_np_cumsum"
    g = grad_of(lambda v: nd.cumsum(v), [1., 2., 3.], nd.array([1., 10., 100.]))
    assert g.tolist() == [111, 110, 100]


def test_square_sum_dense():
    check(nd._internal._square_sum(nd.array([[1, 2], [3, 4]]), axis=1), [5, 25])


def test_reduction_axis_errors_name_op_axis_and_shape():
    x = arange(2, 3, 4)
    with pytest.raises(ShapeError, match=r"sum: axis 3 .*\(2, 3, 4\)"):
        nd.sum(x, axis=3)
    with pytest.raises(ShapeError, match="mean: axis -4"):
        nd.mean(x, axis=-4)
    with pytest.raises(ShapeError, match="same axis twice"):
        nd.max(x, axis=(1, -2))
    with pytest.raises(ShapeError, match="argmin: axis 3"):
        nd.argmin(x, axis=3)


# --------------------------------------------------------------------------------------------
# argmax / sort / topk
# --------------------------------------------------------------------------------------------


def test_arg_reductions_return_input_dtype_and_first_tie():
    # oracle: indices come back in the input dtype
    check(nd.argmax(nd.array([1, 2], dtype="float64")), [1], "float64")
    check(nd.argmin(nd.array([[1, 3, 3], [4, 0, 4]], dtype="int32"), axis=1), [0, 1], "int32")
    check(nd.argmax(nd.array([1, 2], dtype="uint8")), [1], "uint8")
    check(nd.argmax(nd.array([[1, 3, 3], [4, 0, 4]]), axis=1), [1, 0])
    check(nd.argmax_channel(arange(2, 3, 4)), np.full((2, 4), 2))  # axis 1


def test_sort_family_ties_are_stable():
    x = nd.array([3, 1, 3, 1, 2])
    check(nd.argsort(x), [1, 3, 4, 0, 2])  # oracle
    check(nd.argsort(x, is_ascend=False), [0, 2, 4, 1, 3])  # oracle
    check(nd.topk(x, k=5), [0, 2, 4, 1, 3])  # oracle
    check(nd.topk(nd.array([1, 3, 3, 2, 1]), k=2, is_ascend=True), [0, 4])  # oracle


def test_topk_variants():
    x = nd.array([[1, 5, 3], [4, 2, 6]], dtype="int32")
    values, indices = nd.topk(x, k=2, ret_typ="both", dtype="int64")
    check(values, [[5, 3], [6, 4]], "int32")
    check(indices, [[1, 2], [2, 0]], "int64")
    check(nd.topk(x, k=2, ret_typ="mask", dtype="float64"), [[0, 1, 1], [1, 0, 1]], "int32")
    check(nd.topk(x, k=0, ret_typ="value"), [[5, 3, 1], [6, 4, 2]])  # k <= 0: everything
    check(nd.topk(x, k=2, axis=None, ret_typ="value"), [6, 5])
    with pytest.raises(ShapeError, match="k=4"):
        nd.topk(x, k=4)
    g = grad_of(lambda v: nd.topk(v, k=2, ret_typ="value"), [3., 1., 2., 3.],
                nd.array([1., 10.]))
    assert g.tolist() == [1, 0, 0, 10]  # oracle


def test_sort_gradient_with_default_axis():
    # compat/reduce.md: MXNet's backward fails when axis is left at its default
    g = grad_of(lambda v: nd.sort(v), [[3., 1.], [2., 0.]], nd.array([[1., 10.], [100., 1000.]]))
    assert g.tolist() == [[10, 1], [1000, 100]]


# --------------------------------------------------------------------------------------------
# take / pick / batch_take / one_hot / where
# --------------------------------------------------------------------------------------------


def test_take_modes_and_truncation():
    a = arange(3, 4)
    # oracle: indices truncate toward zero, then clip (default) or wrap
    check(nd.take(a, nd.array([0.7, 1.9, -0.5, 5])), a.asnumpy()[[0, 1, 0, 2]])
    check(nd.take(a, nd.array([-1.5, 5]), mode="wrap"), a.asnumpy()[[2, 2]])
    check(nd.take(a, nd.array([[0, 1]]), axis=-1), a.asnumpy()[:, None, [0, 1]])
    check(nd.take(a, nd.array([0, 2], dtype="int64"), mode="raise"), a.asnumpy()[[0, 2]])
    with pytest.raises(IndexError, match=r"take: index 2\.5 .*size 3"):
        nd.take(a, nd.array([0, 2.5]), mode="raise")
    with pytest.raises(MXNetError, match="index -1"):
        nd.take(a, nd.array([-1]), mode="raise")
    with pytest.raises(ShapeError, match="take: axis 2"):
        nd.take(a, nd.array([0]), axis=2)


def test_take_gradient_accumulates_repeats():
    g = grad_of(lambda v: nd.take(v, nd.array([0, 0, 1])), [[3., 1.], [2., 3.]],
                nd.array([[1., 2.], [10., 20.], [100., 200.]]))
    assert g.tolist() == [[11, 22], [100, 200]]  # oracle


def test_pick():
    x = arange(3, 4)
    check(nd.pick(x, nd.array([0, 5, -1])), [0, 7, 8])  # oracle: clip
    check(nd.pick(x, nd.array([0, 5, -1]), mode="wrap"), [0, 5, 11])  # oracle
    check(nd.pick(x, nd.array([[0], [1], [2]])), [0, 5, 10])  # keepdims-shaped index
    check(nd.pick(x, nd.array([1, 2, 0, 0]), axis=0, keepdims=True), [[4, 9, 2, 3]])
    with pytest.raises(MXNetError, match="axis=None"):
        nd.pick(x, nd.array([0, 1, 2]), axis=None)
    with pytest.raises(ShapeError, match=r"pick: 'index' has shape \(2,\)"):
        nd.pick(x, nd.array([0, 1]))


def test_batch_take():
    a = arange(3, 4)
    check(nd.batch_take(a, nd.array([0, 7, -1], dtype="int32")), [0, 7, 8])  # oracle: clip
    check(nd.batch_take(a, nd.array([1.9, 0, 3])), [1, 4, 11])
    with pytest.raises(ShapeError, match="batch_take"):
        nd.batch_take(a, nd.array([0, 1], dtype="int32"))


def test_one_hot():
    # oracle: out-of-range rows are all off; indices truncate; values cast like C
    check(nd.one_hot(nd.array([0, 2, -1, 5, 1.7]), 3),
          [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 1, 0]])
    check(nd.one_hot(nd.array([0, 2]), 3, on_value=2.5, off_value=-1, dtype="uint8"),
          [[2, 255, 255], [255, 255, 2]], "uint8")
    assert nd.one_hot(nd.array([0, 2]), 0).shape == (2, 0)
    check(nd.one_hot(nd.array([[1]], dtype="int32"), 2, dtype="int64"), [[[0, 1]]], "int64")


def test_where():
    x, y = nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([[7, 8], [9, 10], [11, 12]])
    check(nd.where(nd.array([1, 0, 1]), x, y), [[1, 2], [9, 10], [5, 6]])
    # condition dtype may differ; NaN counts as true (oracle)
    check(nd.where(nd.array([[1, 0], [0, 2], [float("nan"), 0]], dtype="float64"), x, y),
          [[1, 8], [9, 4], [5, 12]])
    with pytest.raises(ShapeError, match="condition"):
        nd.where(nd.array([1, 0]), x, y)
    with pytest.raises(DTypeError):
        nd.where(nd.array([1, 0, 1]), x, y.astype("float64"))


# --------------------------------------------------------------------------------------------
# gather / scatter / ravel
# --------------------------------------------------------------------------------------------


def test_gather_nd_negative_and_out_of_range():
    x = arange(2, 3, 4)
    check(nd.gather_nd(x, nd.array([[0, 1], [2, -1]])), x.asnumpy()[[0, 1], [2, -1]])
    with pytest.raises(IndexError, match="gather_nd: index 5 .*axis 1 of size 3"):
        nd.gather_nd(x, nd.array([[0, 1], [5, 2]]))
    with pytest.raises(ShapeError, match="at least 2 dimensions"):
        nd.gather_nd(x, nd.array([0, 1]))
    # compat/reduce.md: the gradient of a negative index goes where the value came from
    g = grad_of(lambda v: nd.gather_nd(v, nd.array([[1], [-1]])), np.zeros((2, 3)))
    assert g.tolist() == [[0, 0, 0], [0, 0, 1]]


def test_scatter_nd():
    idx = nd.array([[0, 1, 1], [1, 2, 2]])
    check(nd.scatter_nd(nd.array([1, 2, 3]), idx, shape=(2, 3)), [[0, 1, 0], [0, 0, 3]])
    # oracle: duplicates -> last write; out-of-range positions are dropped
    check(nd.scatter_nd(nd.array([1, 2, 3, 4]), nd.array([[0, 0, 0, 0]]), shape=(3,)), [4, 0, 0])
    check(nd.scatter_nd(nd.array([1, 2]), nd.array([[0, 5]]), shape=(3,)), [1, 0, 0])
    g = grad_of(lambda v: nd.scatter_nd(v, nd.array([[0, 0, 1]]), shape=(3,)), [1., 2., 3.],
                nd.array([1., 10., 100.]))
    assert g.tolist() == [1, 1, 10]  # oracle
    with pytest.raises(ShapeError, match="scatter_nd: data has shape"):
        nd.scatter_nd(nd.array([1, 2]), idx, shape=(2, 3))


def test_scatter_set_nd_writes_into_out():
    lhs = nd.zeros((2, 3))
    nd._internal._scatter_set_nd(lhs, nd.array([7, 8]), nd.array([[0, 1], [1, 2]]),
                                 shape=(2, 3), out=lhs)
    check(lhs, [[0, 7, 0], [0, 0, 8]])


def test_ravel_unravel():
    # oracle: no bounds check in ravel; C-style remainder in unravel
    check(nd.ravel_multi_index(nd.array([[0, 1, 2], [1, -1, 7]], dtype="int32"), shape=(3, 5)),
          [1, 4, 17], "int32")
    check(nd.unravel_index(nd.array([0, 6, 14, 15, -1]), shape=(3, 5)),
          [[0, 1, 2, 3, 0], [0, 1, 4, 0, -1]])
    check(nd.unravel_index(nd.array([[0, 6], [7, 14]]), shape=(3, 5)),
          np.stack(np.unravel_index([[0, 6], [7, 14]], (3, 5))))
    with pytest.raises(MXNetError, match="shape attribute is required"):
        nd.ravel_multi_index(nd.array([[1, 2]]))
    with pytest.raises(ShapeError, match=r"\(2, N\)"):
        nd.ravel_multi_index(nd.array([[1, 2]]), shape=(3, 5))


def test_legacy_fill_element_and_onehot_encode():
    out = nd.fill_element_0index(nd.zeros((3, 4)), nd.array([1, 2, 3]), nd.array([0, 3, 1]))
    check(out, [[1, 0, 0, 0], [0, 0, 0, 2], [0, 3, 0, 0]])
    out = nd.fill_element_0index(nd.ones((2, 2)), nd.array([5, 6]), nd.array([5, -1]))
    check(out, np.ones((2, 2)))
    target = nd.zeros((3, 4))
    res = nd._internal._onehot_encode(nd.array([0, 3, 5]), target)
    check(res, [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
    check(target, np.zeros((3, 4)))  # only written with out=


# --------------------------------------------------------------------------------------------
# contrib
# --------------------------------------------------------------------------------------------


def test_boolean_mask():
    x = arange(3, 4)
    check(nd.contrib.boolean_mask(x, nd.array([0, 1, -1], dtype="int32")), x.asnumpy()[1:])
    assert nd.contrib.boolean_mask(x, nd.array([0, 0, 0])).shape == (0, 4)
    check(nd.contrib.boolean_mask(x, nd.array([1, 0, 0, 1]), axis=1), x.asnumpy()[:, [0, 3]])
    g = grad_of(lambda v: nd.contrib.boolean_mask(v, nd.array([1, 0, 1])), [1., 2., 3.],
                nd.array([1., 10.]))
    assert g.tolist() == [1, 0, 10]
    with pytest.raises(ShapeError, match=r"\(3,\)"):
        nd.contrib.boolean_mask(x, nd.array([0, 1]))


def test_boolean_mask_shape_is_unknown_statically():
    data = mx.sym.var("data")
    out = mx.sym.contrib.boolean_mask(data, mx.sym.var("index"))
    _, out_shapes, _ = out.infer_shape_partial(data=(4, 3))
    assert out_shapes == [(0, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert out.infer_shape(data=(4, 3), index=(4,)) == (None, None, None)


def test_index_copy():
    old = nd.zeros((4, 2))
    check(nd.contrib.index_copy(old, nd.array([3, 0]), nd.array([[1, 2], [3, 4]])),
          [[3, 4], [0, 0], [0, 0], [1, 2]])
    with pytest.raises(IndexError, match=r"0\.\.3"):
        nd.contrib.index_copy(old, nd.array([5, 0]), nd.array([[1, 2], [3, 4]]))
    # oracle: every duplicate gets the gradient of the row it targets
    g = grad_of(lambda v: nd.contrib.index_copy(nd.zeros((3,)), nd.array([1, 1]), v), [1., 2.],
                nd.array([1., 10., 100.]))
    assert g.tolist() == [10, 10]


def test_index_array_and_arange_like():
    out = nd.contrib.index_array(nd.zeros((2, 3)), axes=(1, 0))
    assert out.dtype == np.int64 and out.shape == (2, 3, 2)
    check(out[1], [[0, 1], [1, 1], [2, 1]])
    check(nd.contrib.arange_like(nd.zeros((2, 3)), repeat=4), [[0, 0, 0], [0, 1, 1]])  # oracle
    check(nd.contrib.arange_like(nd.zeros((2, 3), dtype="int32"), start=1.5, step=0.7),
          np.ones((2, 3)), "int32")  # oracle: integer start/step are truncated first
    check(nd.contrib.arange_like(nd.zeros((2, 3)), axis=-2, start=2, step=-0.5), [2, 1.5])


def test_allclose_all_finite_sum_sq():
    res = nd.contrib.allclose(nd.array([1, float("nan")]), nd.array([1, float("nan")]))
    assert res.shape == () and res.dtype == np.uint8 and res.asnumpy() == 1  # oracle: 0-d
    assert nd.contrib.allclose(nd.array([1, 2]), nd.array([1, 2.1])).asnumpy() == 0
    check(nd.all_finite(nd.array([1, float("inf")])), [0], "float32")
    check(nd.multi_all_finite(nd.array([1, 2], dtype="float16"), nd.array([3, 4]),
                              num_arrays=2), [1])
    check(nd.multi_sum_sq(nd.array([1, 2], dtype="float16"), nd.array([[3, 4]], dtype="float16"),
                          num_arrays=2), [5, 25], "float32")
    with pytest.raises(MXNetError, match="num_arrays=1"):
        nd.multi_all_finite(nd.array([1]), nd.array([2]), num_arrays=1)


def test_histogram_and_getnnz():
    data = nd.array([0, 1, 1.5, 2, 3, 4, 5, -1, 7])
    counts, edges = nd._internal._histogram(data, bin_cnt=4, range=(0, 4))
    check(counts, [1, 2, 1, 2], "int64")  # oracle
    check(edges, [0, 1, 2, 3, 4], "float32")
    counts, edges = nd._internal._histogram(data, nd.array([0, 1, 2, 5]))
    check(counts, [1, 2, 4], "int64")  # oracle: the last bin includes its right edge
    with pytest.raises(MXNetError, match="range"):
        nd._internal._histogram(data, bin_cnt=3)
    check(nd.contrib.getnnz(nd.array([[0, 1], [2, 3]])), [3], "int64")
    check(nd.contrib.getnnz(nd.array([[0, 1], [2, 3]]), axis=1), [1, 2], "int64")


# --------------------------------------------------------------------------------------------
# dot / batch_dot / khatri_rao
# --------------------------------------------------------------------------------------------


def test_dot_nd_rules():
    x = arange(2, 3, 4)
    xn = x.asnumpy()
    check(nd.dot(x, nd.ones((2, 5)), transpose_a=True),  # oracle shape (3, 4, 5)
          np.tensordot(xn, np.ones((2, 5)), axes=([0], [0])))
    check(nd.dot(x, nd.ones((5, 2, 4)), transpose_b=True),  # oracle shape (2, 3, 5, 2)
          np.tensordot(xn, np.ones((5, 2, 4)), axes=([2], [2])))
    check(nd.dot(x, nd.ones((4, 2, 5))), np.tensordot(xn, np.ones((4, 2, 5)), axes=1))
    check(nd.dot(nd.array([1, 2]), nd.array([3, 4])), [11])
    check(nd.dot(nd.ones((4,)), nd.ones((4, 3)), transpose_a=True), [4, 4, 4])
    with pytest.raises(ShapeError, match="cannot transpose vectors"):
        nd.dot(nd.ones((4,)), nd.ones((4,)), transpose_b=True)
    with pytest.raises(ShapeError, match=r"dot: lhs \(2, 3\).*contracting 3 with 2"):
        nd.dot(nd.ones((2, 3)), nd.ones((2, 2)))
    with pytest.raises(DTypeError):
        nd.dot(nd.ones((2, 3), dtype="float64"), nd.ones((3, 2)))
    # compat/reduce.md: integer and float16 dot work (MXNet's CPU build refuses them)
    check(nd.dot(nd.ones((2, 3), dtype="int32"), nd.ones((3, 2), dtype="int32")),
          np.full((2, 2), 3), "int32")


def test_batch_dot():
    a, b = nd.ones((2, 2, 3, 4)), nd.ones((2, 2, 4, 5))
    check(nd.batch_dot(a, b), np.full((2, 2, 3, 5), 4))
    check(nd.batch_dot(nd.ones((2, 4, 3)), nd.ones((2, 5, 4)), transpose_a=True,
                       transpose_b=True), np.full((2, 3, 5), 4))
    with pytest.raises(ShapeError, match="does not broadcast"):
        nd.batch_dot(nd.ones((2, 3, 4)), nd.ones((1, 4, 5)))
    with pytest.raises(ShapeError, match="N >= 3"):
        nd.batch_dot(nd.ones((3, 4)), nd.ones((4, 5)))


def test_khatri_rao():
    out = nd.khatri_rao(nd.array([[1, 2], [3, 4]]), nd.array([[1, 10], [100, 1000], [5, 6]]))
    check(out, [[1, 20], [100, 2000], [5, 12], [3, 40], [300, 4000], [15, 24]])  # oracle
    check(nd.khatri_rao(nd.array([[1, 2]])), [[1, 2]])
    with pytest.raises(ShapeError, match="same number of columns"):
        nd.khatri_rao(nd.array([[1, 2]]), nd.array([[1, 2, 3]]))
    g = grad_of(lambda v: nd.khatri_rao(v, v), [[1., 2.], [3., 4.]])
    assert g.tolist() == [[8, 12], [8, 12]]  # d/dv of sum_ij v_i v_j = 2 * column sums


# --------------------------------------------------------------------------------------------
# shape inference on meta tensors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("build,shapes,want", [
    (lambda d: mx.sym.sum(d, axis=(0, 2)), {"d": (2, 3, 4)}, (3,)),
    (lambda d: mx.sym.topk(d, k=2, ret_typ="both"), {"d": (3, 4)}, (3, 2)),
    (lambda d: mx.sym.argmax(d), {"d": (3, 4)}, (1,)),
    (lambda d: mx.sym.take(d, mx.sym.var("i"), mode="raise"), {"d": (5, 3), "i": (2, 2)},
     (2, 2, 3)),
    (lambda d: mx.sym.gather_nd(d, mx.sym.var("i")), {"d": (3, 4, 5), "i": (2, 6)}, (6, 5)),
    (lambda d: mx.sym.dot(d, mx.sym.var("r"), transpose_a=True), {"d": (4, 3), "r": (4, 5)},
     (3, 5)),
    (lambda d: mx.sym.khatri_rao(d, mx.sym.var("r")), {"d": (2, 3), "r": (4, 3)}, (8, 3)),
])
def test_symbolic_shapes(build, shapes, want):
    out = build(mx.sym.var("d"))
    _, out_shapes, _ = out.infer_shape(**shapes)
    assert out_shapes[0] == want
