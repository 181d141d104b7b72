"""Behaviour of the nn/conv/norm operators that the golden fixtures do not cover: shape
filling for deferred init, error messages, attribute strings, training-mode switches, moving
statistics, and ops without fixtures (Correlation, deformable convolution, ...).

Numbers marked "oracle" were read off real MXNet 1.9.1; the rest come from numpy references.
"""
import math

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import AttributeParseError, MXNetError, ShapeError
from mxtorch.ops import get_op

RS = np.random.RandomState(7)


def _infer(name, attrs, shapes):
    op = get_op(name)
    return op.infer_shape(op.parse_attrs(attrs), list(shapes))


def _arr(*shape):
    return mx.nd.array(RS.randn(*shape).astype(np.float32))


# ---- infer_shape: filling parameter shapes from the data shape -----------------------------

@pytest.mark.parametrize("name,attrs,shapes,want_in,want_out", [
    ("FullyConnected", {"num_hidden": 10}, [(2, 4, 5), None, None],
     [(2, 4, 5), (10, 20), (10,)], [(2, 10)]),
    ("FullyConnected", {"num_hidden": 10, "flatten": "False"}, [(2, 4, 5), None, None],
     [(2, 4, 5), (10, 5), (10,)], [(2, 4, 10)]),
    ("FullyConnected", {"num_hidden": 3, "no_bias": True}, [(0, 7), None],
     [(0, 7), (3, 7)], [(0, 3)]),
    ("Convolution", {"kernel": "(3, 3)", "num_filter": 6, "num_group": 2},
     [(2, 4, 8, 8), None, None], [(2, 4, 8, 8), (6, 2, 3, 3), (6,)], [(2, 6, 6, 6)]),
    ("Convolution", {"kernel": (3, 3), "num_filter": 6, "layout": "NHWC", "pad": (1, 1)},
     [(2, 8, 8, 4), None, None], [(2, 8, 8, 4), (6, 3, 3, 4), (6,)], [(2, 8, 8, 6)]),
    ("Convolution", {"kernel": (3,), "num_filter": 2, "stride": (2,)}, [(1, 3, 9), None, None],
     [(1, 3, 9), (2, 3, 3), (2,)], [(1, 2, 4)]),
    ("Deconvolution", {"kernel": (3, 3), "num_filter": 6, "num_group": 2},
     [(2, 4, 8, 8), None], [(2, 4, 8, 8), (4, 3, 3, 3)], [(2, 6, 10, 10)]),
    # oracle: target_shape (8, 8) with kernel 4 stride 2 on 4x4
    ("Deconvolution", {"kernel": (4, 4), "stride": (2, 2), "num_filter": 6,
                       "target_shape": (8, 8)}, [(2, 4, 4, 4), None],
     [(2, 4, 4, 4), (4, 6, 4, 4)], [(2, 6, 8, 8)]),
    ("Deconvolution", {"kernel": (3, 3), "num_filter": 6, "layout": "NHWC"}, [(2, 8, 8, 4), None],
     [(2, 8, 8, 4), (4, 3, 3, 6)], [(2, 10, 10, 6)]),
    ("BatchNorm", {"axis": -1}, [(2, 5, 3), None, None, None, None],
     [(2, 5, 3), (3,), (3,), (3,), (3,)], [(2, 5, 3)]),
    ("LayerNorm", {"axis": 1, "output_mean_var": True}, [(2, 3, 4), None, None],
     [(2, 3, 4), (3,), (3,)], [(2, 3, 4), (2, 1, 4), (2, 1, 4)]),
    ("InstanceNorm", {}, [(2, 4, 5, 5), None, None], [(2, 4, 5, 5), (4,), (4,)], [(2, 4, 5, 5)]),
    ("GroupNorm", {"num_groups": 2}, [(2, 4, 5), None, None], [(2, 4, 5), (2,), (2,)],
     [(2, 4, 5)]),
    ("Embedding", {"input_dim": 10, "output_dim": 3}, [(2, 4), None], [(2, 4), (10, 3)],
     [(2, 4, 3)]),
])
def test_infer_shape_fills_parameters(name, attrs, shapes, want_in, want_out):
    ins, outs = _infer(name, attrs, shapes)
    assert [tuple(s) for s in ins] == want_in
    assert [tuple(s) for s in outs] == want_out


def test_prelu_gamma_filled_per_channel_and_shared_slope_kept():
    ins, _ = _infer("LeakyReLU", {"act_type": "prelu"}, [(2, 3, 4), None])
    assert ins[1] == (3,)
    ins, _ = _infer("LeakyReLU", {"act_type": "prelu"}, [(2, 3, 4), (1,)])
    assert ins[1] == (1,)
    with pytest.raises(ShapeError, match="'gamma'.*\\(2,\\).*\\(3,\\)"):
        _infer("LeakyReLU", {"act_type": "prelu"}, [(2, 3, 4), (2,)])


def test_infer_shape_fills_partial_shapes_and_rejects_conflicts():
    ins, _ = _infer("FullyConnected", {"num_hidden": 4}, [(2, 6), (0, 6), None])
    assert ins[1] == (4, 6)
    with pytest.raises(ShapeError) as err:
        _infer("FullyConnected", {"num_hidden": 4}, [(2, 6), (4, 5), None])
    assert "FullyConnected" in str(err.value) and "'weight'" in str(err.value)
    assert "(4, 5)" in str(err.value) and "(4, 6)" in str(err.value)


def test_symbol_infer_shape_for_deferred_parameters():
    data = mx.sym.var("data")
    net = mx.sym.FullyConnected(mx.sym.Activation(mx.sym.BatchNorm(
        mx.sym.Convolution(data, kernel=(3, 3), num_filter=8, name="c"), name="bn"),
        act_type="relu"), num_hidden=5, name="fc")
    args, outs, aux = net.infer_shape(data=(2, 3, 6, 6))
    shapes = dict(zip(net.list_arguments(), args))
    assert shapes["c_weight"] == (8, 3, 3, 3) and shapes["bn_gamma"] == (8,)
    assert shapes["fc_weight"] == (5, 8 * 4 * 4)
    assert outs == [(2, 5)] and aux == [(8,), (8,)]


# ---- error messages ----------------------------------------------------------------------

def test_errors_name_op_input_and_shapes():
    x = mx.nd.ones((2, 4, 8, 8))
    with pytest.raises(ShapeError) as err:
        mx.nd.Convolution(x, mx.nd.ones((6, 3, 3, 3)), mx.nd.ones(6), kernel=(3, 3), num_filter=6)
    text = str(err.value)
    assert "Convolution" in text and "'weight'" in text
    assert "(6, 3, 3, 3)" in text and "(6, 4, 3, 3)" in text
    with pytest.raises(ShapeError, match="FullyConnected.*'weight'.*\\(6, 3\\).*\\(6, 256\\)"):
        mx.nd.FullyConnected(x, mx.nd.ones((6, 3)), mx.nd.ones(6), num_hidden=6)
    with pytest.raises(ShapeError, match="BatchNorm.*'gamma'.*\\(3,\\).*\\(4,\\)"):
        mx.nd.BatchNorm(x, mx.nd.ones(3), mx.nd.ones(4), mx.nd.ones(4), mx.nd.ones(4))
    with pytest.raises(ShapeError, match="Embedding.*'weight'.*\\(5, 3\\).*\\(6, 3\\)"):
        mx.nd.Embedding(mx.nd.ones((2, 3)), mx.nd.ones((5, 3)), input_dim=6, output_dim=3)


def test_attribute_errors():
    x = mx.nd.ones((1, 2, 6, 6))
    with pytest.raises(AttributeParseError, match="p_value"):
        mx.nd.Pooling(x, kernel=(2, 2), pool_type="lp")
    with pytest.raises(AttributeParseError, match="stride"):
        mx.nd.Convolution(x, mx.nd.ones((2, 2, 3, 3)), kernel=(3, 3), num_filter=2,
                          no_bias=True, stride=(2,))
    with pytest.raises(AttributeParseError, match="act_type"):
        mx.nd.Activation(x, act_type="swish")
    with pytest.raises(AttributeParseError, match="use_length"):
        mx.nd.log_softmax(x, use_length=True)


# ---- MXNet attribute strings -------------------------------------------------------------

def test_attribute_strings_as_in_symbol_json():
    x, w, b = _arr(2, 3, 7, 7), _arr(4, 3, 3, 3), _arr(4)
    ref = mx.nd.Convolution(x, w, b, kernel=(3, 3), stride=(2, 2), pad=(1, 1), num_filter=4)
    got = mx.nd.Convolution(x, w, b, kernel="(3, 3)", stride="(2, 2)", pad="(1,1)",
                            num_filter="4", no_bias="False", layout="None", cudnn_tune="None")
    np.testing.assert_array_equal(got.asnumpy(), ref.asnumpy())
    pooled = mx.nd.Pooling(x, kernel="(3, 3)", global_pool="True", pool_type="avg",
                           count_include_pad="None", p_value="None")
    np.testing.assert_allclose(pooled.asnumpy(), x.asnumpy().mean((2, 3), keepdims=True),
                               rtol=1e-6)
    fc = mx.nd.FullyConnected(x, _arr(5, 147), num_hidden="5", no_bias="1", flatten="1")
    assert fc.shape == (2, 5)


def test_positional_attributes_follow_mxnet_order():
    x, w = _arr(3, 4), _arr(2, 4)
    out = mx.nd.FullyConnected(x, w, None, 2, True)  # data, weight, bias, num_hidden, no_bias
    np.testing.assert_allclose(out.asnumpy(), x.asnumpy() @ w.asnumpy().T, rtol=1e-5)


# ---- Dropout -----------------------------------------------------------------------------

def test_dropout_training_and_prediction():
    x = mx.nd.ones((200, 50))
    y = mx.nd.Dropout(x, p=0.5)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    y[:] = 3  # a new array even in prediction
    assert x.asnumpy().max() == 1
    with mx.autograd.record():
        y = mx.nd.Dropout(x, p=0.4).asnumpy()
    kept = y != 0
    assert 0.5 < kept.mean() < 0.7
    np.testing.assert_allclose(y[kept], 1 / 0.6, rtol=1e-6)
    with mx.autograd.train_mode():
        assert (mx.nd.Dropout(x, p=0.4).asnumpy() == 0).any()
    with mx.autograd.record(train_mode=False):
        np.testing.assert_array_equal(mx.nd.Dropout(x, p=0.4).asnumpy(), x.asnumpy())
    assert (mx.nd.Dropout(x, p=0.4, mode="always").asnumpy() == 0).any()


def test_dropout_axes_share_the_mask_and_gradient_uses_it():
    x = mx.nd.ones((4, 30, 6))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Dropout(x, p=0.5, axes=(2,))
    y.backward()
    out = y.asnumpy()
    assert (out == out[:, :, :1]).all()  # one value along the shared axis
    np.testing.assert_array_equal(x.grad.asnumpy(), out)


# ---- BatchNorm moving statistics ---------------------------------------------------------

def _bn_inputs():
    data = RS.randn(4, 3, 2, 2).astype(np.float32)
    arrays = [mx.nd.array(data), mx.nd.array([0.5, 1.0, 2.0]), mx.nd.array([0.0, 1.0, -1.0]),
              mx.nd.array([0.1, 0.2, 0.3]), mx.nd.array([1.0, 2.0, 0.5])]
    return data, arrays


def test_batchnorm_updates_moving_stats_in_training_only():
    data, (x, g, b, mm, mv) = _bn_inputs()
    with mx.autograd.record():
        out = mx.nd.BatchNorm(x, g, b, mm, mv, momentum=0.8, fix_gamma=False)
    mean, var = data.mean((0, 2, 3)), data.var((0, 2, 3))  # biased variance
    np.testing.assert_allclose(mm.asnumpy(), 0.8 * np.array([0.1, 0.2, 0.3]) + 0.2 * mean,
                               rtol=1e-5)
    np.testing.assert_allclose(mv.asnumpy(), 0.8 * np.array([1.0, 2.0, 0.5]) + 0.2 * var,
                               rtol=1e-5)
    norm = (data - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-3)
    want = norm * np.array([0.5, 1, 2])[None, :, None, None] + np.array([0, 1, -1])[None, :,
                                                                                      None, None]
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-4, atol=1e-5)
    before = mm.asnumpy().copy()
    mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)  # inference: moving stats untouched
    with mx.autograd.record():
        mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False, use_global_stats=True)
    np.testing.assert_array_equal(mm.asnumpy(), before)
    with mx.autograd.train_mode():  # mxtorch: a training forward alone updates the stats
        mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
    assert not np.allclose(mm.asnumpy(), before)


def test_batchnorm_fix_gamma_writes_ones_and_output_mean_var():
    data, (x, g, b, mm, mv) = _bn_inputs()
    with mx.autograd.record():
        out, mean, invstd = mx.nd.BatchNorm(x, g, b, mm, mv, output_mean_var=True)
    np.testing.assert_array_equal(g.asnumpy(), np.ones(3))
    np.testing.assert_allclose(mean.asnumpy(), data.mean((0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(invstd.asnumpy(), 1 / np.sqrt(data.var((0, 2, 3)) + 1e-3),
                               rtol=1e-5)
    # inference: moving mean and 1/sqrt(moving_var + eps)
    _, mean, invstd = mx.nd.BatchNorm(x, g, b, mm, mv, output_mean_var=True)
    np.testing.assert_allclose(mean.asnumpy(), mm.asnumpy())
    np.testing.assert_allclose(invstd.asnumpy(), 1 / np.sqrt(mv.asnumpy() + 1e-3), rtol=1e-6)


def test_batchnorm_fix_gamma_gradient_is_zero_and_float16_data():
    _, (x, g, b, mm, mv) = _bn_inputs()
    g.attach_grad()
    g.grad[:] = 5
    with mx.autograd.record():
        y = mx.nd.BatchNorm(x, g, b, mm, mv)
    y.backward()
    np.testing.assert_array_equal(g.grad.asnumpy(), np.zeros(3))
    # float16 data with float32 parameters, as MXNet's type rule asks
    out = mx.nd.BatchNorm(x.astype("float16"), g, b, mm, mv)
    assert out.dtype == np.float16


def test_sync_batchnorm_and_relu_variant():
    data, (x, g, b, mm, mv) = _bn_inputs()
    ref = mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False).asnumpy()
    sync = mx.nd.contrib.SyncBatchNorm(x, g, b, mm, mv, fix_gamma=False, key="k")
    np.testing.assert_allclose(sync.asnumpy(), ref, rtol=1e-6)
    fused = mx.nd.contrib.BatchNormWithReLU(x, g, b, mm, mv, fix_gamma=False)
    np.testing.assert_allclose(fused.asnumpy(), np.maximum(ref, 0), rtol=1e-6)


# ---- pooling corner cases ------------------------------------------------------------------

def test_pooling_windows_past_the_padded_edge():
    # oracle: all-padding windows of max pooling give the lowest float32
    x = _arr(1, 1, 9, 8)
    out = mx.nd.Pooling(x, kernel=(3, 3), stride=(3, 3), pad=(1, 1), pool_type="max",
                        pooling_convention="full").asnumpy()
    assert out.shape == (1, 1, 4, 4)
    assert (out[0, 0, :, 3] == np.finfo(np.float32).min).all()
    # Pooling_v1 divides by the full kernel size (oracle)
    ones = mx.nd.ones((1, 1, 4, 4))
    v1 = mx.nd.Pooling_v1(ones, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                          pooling_convention="full").asnumpy()
    np.testing.assert_allclose(v1[0, 0], [[4 / 9, 6 / 9, 2 / 9], [6 / 9, 1, 3 / 9],
                                          [2 / 9, 3 / 9, 1 / 9]], rtol=1e-6)


def test_pooling_lp_same_and_layout():
    x = _arr(2, 3, 6, 7)
    lp = mx.nd.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type="lp", p_value=3).asnumpy()
    cubes = (x.asnumpy()[:, :, :6, :6] ** 3).reshape(2, 3, 3, 2, 3, 2).sum((3, 5))
    np.testing.assert_allclose(lp, np.cbrt(cubes), rtol=1e-4, atol=1e-5)
    same = mx.nd.Pooling(x, kernel=(3, 3), stride=(2, 2), pooling_convention="same")
    assert same.shape == (2, 3, 3, 4)
    nhwc = mx.nd.Pooling(x.transpose((0, 2, 3, 1)), kernel=(3, 3), stride=(2, 2),
                         layout="NHWC").asnumpy()
    nchw = mx.nd.Pooling(x, kernel=(3, 3), stride=(2, 2)).asnumpy()
    np.testing.assert_array_equal(nhwc, nchw.transpose(0, 2, 3, 1))


# ---- normalisation corner cases ----------------------------------------------------------

def test_lrn_even_window_is_symmetric():
    # oracle: MXNet sums (nsize-1)//2 channels on each side and divides alpha by nsize
    data = RS.randn(2, 5, 3, 3)
    out = mx.nd.LRN(mx.nd.array(data), nsize=4, alpha=0.1, beta=0.5, knorm=1.0).asnumpy()
    sq = np.zeros_like(data)
    for c in range(5):
        sq[:, c] = (data[:, max(0, c - 1):c + 2] ** 2).sum(1)
    np.testing.assert_allclose(out, data / (1 + 0.1 / 4 * sq) ** 0.5, rtol=1e-5, atol=1e-6)


def test_group_norm_mean_std_outputs_carry_no_gradient():
    x = _arr(2, 4, 3)
    x.attach_grad()
    g, b = mx.nd.array([1.0, 2.0]), mx.nd.array([0.0, 0.5])
    with mx.autograd.record():
        out, mean, std = mx.nd.GroupNorm(x, g, b, num_groups=2, output_mean_var=True)
    assert mean.shape == (2, 2) and std.shape == (2, 2)
    groups = x.asnumpy().reshape(2, 2, 6)
    np.testing.assert_allclose(std.asnumpy(), np.sqrt(groups.var(-1) + 1e-5), rtol=1e-5)
    mx.autograd.backward([mean, std], [mx.nd.ones((2, 2)), mx.nd.ones((2, 2))])
    assert not x.grad.asnumpy().any()


def test_l2_normalization_modes():
    data = RS.randn(2, 3, 4)
    for mode, axes in (("instance", (1, 2)), ("channel", (1,)), ("spatial", (2,))):
        out = mx.nd.L2Normalization(mx.nd.array(data), mode=mode).asnumpy()
        want = data / np.sqrt((data ** 2).sum(axes, keepdims=True) + 1e-10)
        np.testing.assert_allclose(out, want, rtol=1e-5)


# ---- activations, softmax, embedding -----------------------------------------------------

def test_rrelu_training_draws_slopes_and_returns_them():
    x = mx.nd.array(-np.ones((50, 20)))
    with mx.autograd.record():
        out, mask = mx.nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.1, upper_bound=0.3)
    slopes = mask.asnumpy()
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.01
    np.testing.assert_allclose(out.asnumpy(), -slopes)
    out, mask = mx.nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.1, upper_bound=0.3)
    np.testing.assert_allclose(out.asnumpy(), -0.2 * np.ones((50, 20)), rtol=1e-6)
    assert not mask.asnumpy().any()


def test_softmax_length_zero_gives_zeros():
    x = _arr(2, 4)
    out = mx.nd.softmax(x, mx.nd.array([2, 0], dtype="int32"), use_length=True).asnumpy()
    assert not out[1].any() and not out[0, 2:].any()
    np.testing.assert_allclose(out[0, :2].sum(), 1.0, rtol=1e-6)
    with pytest.raises(MXNetError, match="length"):
        mx.nd.softmax(x, mx.nd.array([2, 0]), use_length=True)


def test_softmax_dtype_and_float16_accumulation():
    x = _arr(3, 5)
    out = mx.nd.softmax(x.astype("float16"), dtype="float32")
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy().sum(-1), 1.0, rtol=1e-3)
    assert mx.nd.softmin(x, dtype="float64").dtype == np.float64


def test_embedding_clips_and_truncates_indices():
    weight = _arr(5, 3)
    out = mx.nd.Embedding(mx.nd.array([[-2, 4.9], [1.7, 12]]), weight, input_dim=5,
                          output_dim=3).asnumpy()
    w = weight.asnumpy()
    np.testing.assert_array_equal(out, np.stack([np.stack([w[0], w[4]]), np.stack([w[1], w[4]])]))
    ints = mx.nd.contrib.SparseEmbedding(mx.nd.array([0, 3], dtype="int32"), weight,
                                         input_dim=5, output_dim=3)
    np.testing.assert_array_equal(ints.asnumpy(), w[[0, 3]])


def test_fully_connected_fast_path_matches_and_keeps_gradients():
    x, w, b = _arr(128, 512), _arr(256, 512), _arr(256)
    want = x.asnumpy() @ w.asnumpy().T + b.asnumpy()
    np.testing.assert_allclose(mx.nd.FullyConnected(x, w, b, num_hidden=256).asnumpy(), want,
                               rtol=1e-4, atol=1e-3)
    w.attach_grad()
    with mx.autograd.record():
        y = mx.nd.FullyConnected(x, w, b, num_hidden=256)
    y.backward()
    np.testing.assert_allclose(w.grad.asnumpy(), np.tile(x.asnumpy().sum(0), (256, 1)),
                               rtol=1e-4, atol=1e-3)


# ---- ops without golden fixtures ---------------------------------------------------------

def _correlation_reference(a, b, k, md, s1, s2, pad, multiply):
    a = np.pad(a, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    b = np.pad(b, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, w = a.shape
    border = md + (k - 1) // 2
    oh, ow = math.ceil((h - 2 * border) / s1), math.ceil((w - 2 * border) / s1)
    r = md // s2
    out = np.zeros((n, (2 * r + 1) ** 2, oh, ow))
    for y in range(oh):
        for x in range(ow):
            y1, x1 = y * s1 + md, x * s1 + md
            for ch in range(out.shape[1]):
                dy, dx = (ch // (2 * r + 1) - r) * s2, (ch % (2 * r + 1) - r) * s2
                p1 = a[:, :, y1:y1 + k, x1:x1 + k]
                p2 = b[:, :, y1 + dy:y1 + dy + k, x1 + dx:x1 + dx + k]
                val = p1 * p2 if multiply else np.abs(p1 - p2)
                out[:, ch, y, x] = val.sum((1, 2, 3)) / (k * k * c)
    return out


@pytest.mark.parametrize("k,md,s1,s2,pad,multiply", [(3, 2, 1, 1, 2, True),
                                                     (1, 4, 2, 2, 4, True),
                                                     (3, 1, 2, 1, 1, False)])
def test_correlation(k, md, s1, s2, pad, multiply):
    a, b = RS.randn(2, 3, 7, 8), RS.randn(2, 3, 7, 8)
    out = mx.nd.Correlation(mx.nd.array(a), mx.nd.array(b), kernel_size=k, max_displacement=md,
                            stride1=s1, stride2=s2, pad_size=pad, is_multiply=multiply)
    want = _correlation_reference(a, b, k, md, s1, s2, pad, multiply)
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-4, atol=1e-5)


def test_deformable_convolution():
    x, w = _arr(2, 4, 7, 6), _arr(6, 2, 3, 3)
    zero = mx.nd.zeros((2, 18, 7, 6))
    got = mx.nd.contrib.DeformableConvolution(x, zero, w, kernel=(3, 3), pad=(1, 1),
                                              num_filter=6, num_group=2, no_bias=True)
    ref = mx.nd.Convolution(x, w, kernel=(3, 3), pad=(1, 1), num_filter=6, num_group=2,
                            no_bias=True)
    np.testing.assert_allclose(got.asnumpy(), ref.asnumpy(), rtol=1e-4, atol=1e-4)
    # oracle: one sample moved down by the y-offset of the centre tap (channel 8)
    img = mx.nd.array(np.arange(1, 26, dtype=np.float32).reshape(1, 1, 5, 5))
    centre = mx.nd.array(np.eye(9, dtype=np.float32)[4].reshape(1, 1, 3, 3))
    for dy, want in ((3.5, 22.0), (-1.5, 0.0), (-0.5, 4.5), (2.25, 18.25)):
        off = np.zeros((1, 18, 3, 3), np.float32)
        off[0, 8, 0, 0] = dy
        out = mx.nd.contrib.DeformableConvolution(img, mx.nd.array(off), centre, kernel=(3, 3),
                                                  num_filter=1, no_bias=True)
        assert out.asnumpy()[0, 0, 0, 0] == pytest.approx(want, abs=1e-5)


def test_modulated_deformable_convolution_with_unit_mask_is_convolution():
    x, w, b = _arr(1, 2, 6, 6), _arr(3, 2, 3, 3), _arr(3)
    out = mx.nd.contrib.ModulatedDeformableConvolution(
        x, mx.nd.zeros((1, 18, 4, 4)), mx.nd.ones((1, 9, 4, 4)), w, b, kernel=(3, 3),
        num_filter=3)
    ref = mx.nd.Convolution(x, w, b, kernel=(3, 3), num_filter=3)
    np.testing.assert_allclose(out.asnumpy(), ref.asnumpy(), rtol=1e-4, atol=1e-4)


def test_identity_attach_kl_sparse_reg():
    # oracle numbers (MXNet 1.9.1, symbol executor)
    np.random.seed(0)
    x = mx.nd.array(np.random.rand(3, 4))
    avg = mx.nd.array(np.random.rand(4) * 0.5 + 0.2)
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.IdentityAttachKLSparseReg(x, avg, sparseness_target=0.1, penalty=0.01,
                                            momentum=0.9)
    y.backward(mx.nd.ones_like(y) * 2)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    np.testing.assert_allclose(x.grad.asnumpy()[0], [2.0160062, 2.0245345, 2.0087178,
                                                     2.0090704], rtol=1e-6)
    np.testing.assert_allclose(avg.asnumpy(), [0.5001578, 0.65466934, 0.2730354, 0.28472656],
                               rtol=1e-6)


@pytest.mark.parametrize("mode,size", [("odd_scale", (10, 5)), ("to_even_down", (6, 8)),
                                       ("to_even_up", (8, 8)), ("to_odd_down", (7, 7)),
                                       ("to_odd_up", (7, 9)), ("size", (10, 5))])
def test_bilinear_resize_modes(mode, size):
    # oracle output sizes for a 7x8 input with scale_height=1.5, scale_width=0.7
    out = mx.nd.contrib.BilinearResize2D(_arr(1, 2, 7, 8), mode=mode, scale_height=1.5,
                                         scale_width=0.7)
    assert out.shape[2:] == size


def test_upsampling_nearest_scales_each_input_to_the_first():
    small, big = _arr(1, 3, 2, 2), _arr(1, 2, 4, 4)
    out = mx.nd.UpSampling(big, small, scale=2, sample_type="nearest", num_args=2).asnumpy()
    assert out.shape == (1, 5, 8, 8)
    np.testing.assert_array_equal(out[0, 2:, ::4, ::4], small.asnumpy()[0])
    ins, _ = _infer("UpSampling", {"scale": 2, "sample_type": "bilinear", "num_args": 2,
                                   "num_filter": 3}, [(1, 3, 5, 5), None])
    assert ins[1] == (3, 1, 4, 4)


def test_interleaved_attention_matches_plain_attention():
    seq, batch, heads, d = 5, 2, 3, 4
    qkv = RS.randn(seq, batch, heads * 3 * d).astype(np.float32)
    att = mx.nd.contrib.interleaved_matmul_selfatt_qk(mx.nd.array(qkv), heads=heads).asnumpy()
    split = qkv.reshape(seq, batch, heads, 3, d)
    q = split[:, :, :, 0].transpose(1, 2, 0, 3).reshape(batch * heads, seq, d)
    k = split[:, :, :, 1].transpose(1, 2, 0, 3).reshape(batch * heads, seq, d)
    np.testing.assert_allclose(att, q @ k.transpose(0, 2, 1) / 2.0, rtol=1e-4, atol=1e-5)
