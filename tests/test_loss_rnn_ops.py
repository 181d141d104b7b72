"""Loss-layer, RNN and spatial operators: behaviour the golden fixtures do not pin down.

Numbers marked "oracle" were obtained by running the same call in MXNet 1.9.1 (CPU wheel).
"""
import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.base import AttributeParseError, MXNetError, ShapeError
from mxtorch.ops import get_op
from mxtorch.ops.rnn import param_layout, param_size


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _run(fn, data, *others, head=None, **kwargs):
    """Forward and backward through the nd door; returns (outputs as numpy, data gradient)."""
    d = mx.nd.array(data, dtype=data.dtype)
    d.attach_grad()
    rest = [mx.nd.array(o, dtype=np.asarray(o).dtype) for o in others]
    with mx.autograd.record():
        out = fn(d, *rest, **kwargs)
    head = np.ones(out.shape, out.dtype) if head is None else head
    out.backward(mx.nd.array(head, dtype=out.dtype))
    return out.asnumpy(), d.grad.asnumpy()


_X = np.random.RandomState(0).randn(4, 5).astype(np.float32)
_P = _softmax(_X.astype(np.float64), 1)


# ---- SoftmaxOutput ----------------------------------------------------------------------------

def test_softmax_output_aliases_and_string_attrs():
    assert get_op("Softmax") is get_op("SoftmaxOutput")
    label = np.array([0, 1, 1, 4], np.float32)
    _, g1 = _run(mx.nd.Softmax, _X, label, normalization="valid", use_ignore="True",
                 ignore_label="1")
    _, g2 = _run(mx.nd.SoftmaxOutput, _X, label, normalization="valid", use_ignore=True,
                 ignore_label=1)
    np.testing.assert_allclose(g1, g2)
    with pytest.raises(AttributeParseError, match="normalization"):
        mx.nd.SoftmaxOutput(mx.nd.array(_X), mx.nd.array(label), normalization="mean")


def test_softmax_output_ignores_head_gradient():
    label = np.array([0, 1, 1, 4], np.float32)
    _, g1 = _run(mx.nd.SoftmaxOutput, _X, label)
    _, g3 = _run(mx.nd.SoftmaxOutput, _X, label, head=np.full((4, 5), 3.0, np.float32))
    np.testing.assert_allclose(g1, g3)
    np.testing.assert_allclose(g1, _P - np.eye(5)[[0, 1, 1, 4]], rtol=1e-5, atol=1e-6)


def test_softmax_output_labels_and_ignore_label_truncate():
    # oracle: labels 1.5 and 1.0 are both ignored with ignore_label=1.7; -1.5 selects no class;
    # 'valid' divides by the 2 remaining labels
    label = np.array([1.5, 1.0, -1.5, 2], np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, label, use_ignore=True, ignore_label=1.7,
                   normalization="valid")
    want = np.stack([np.zeros(5), np.zeros(5), _P[2] / 2, (_P[3] - np.eye(5)[2]) / 2])
    np.testing.assert_allclose(grad, want, rtol=1e-5, atol=1e-6)


def test_softmax_output_valid_counts_labels_without_use_ignore():
    # oracle: normalization='valid' counts labels != ignore_label even with use_ignore=False,
    # but does not zero the ignored rows
    label = np.array([0, 1, 1, 4], np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, label, ignore_label=1, normalization="valid")
    np.testing.assert_allclose(grad, (_P - np.eye(5)[[0, 1, 1, 4]]) / 2, rtol=1e-5, atol=1e-6)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, label, use_ignore=True, ignore_label=1,
                   normalization="batch")
    want = (_P - np.eye(5)[[0, 1, 1, 4]]) / 4
    want[1:3] = 0
    np.testing.assert_allclose(grad, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("norm,scale", [("null", 1 / 5), ("batch", 1 / 15), ("valid", None)])
def test_softmax_output_multi_output_normalization(norm, scale):
    # oracle, data (3, 3, 5): 'null' divides by the 5 positions, 'batch' by 3*5, 'valid' by the
    # count of labels != ignore_label
    rs = np.random.RandomState(1)
    x = rs.randn(3, 3, 5).astype(np.float32)
    label = rs.randint(0, 3, (3, 5)).astype(np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, x, label, multi_output=True, normalization=norm,
                   ignore_label=1, grad_scale=2.0)
    if scale is None:
        scale = 1 / (label != 1).sum()
    onehot = np.eye(3)[label.astype(int)].transpose(0, 2, 1)
    np.testing.assert_allclose(grad, (_softmax(x, 1) - onehot) * 2 * scale, rtol=1e-5,
                               atol=1e-6)


def test_softmax_output_soft_label_skips_normalization_and_smoothing():
    # oracle: a label shaped like the data gives (p - label) * grad_scale, whatever the options
    soft = _softmax(np.random.RandomState(2).randn(4, 5), 1).astype(np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, soft, grad_scale=2.0, normalization="valid",
                   use_ignore=True, ignore_label=0, smooth_alpha=0.1)
    np.testing.assert_allclose(grad, (_P - soft) * 2, rtol=1e-5, atol=1e-6)


def test_softmax_output_smoothing_and_preserve_shape():
    label = np.array([0, 1, 2, 3], np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, label, smooth_alpha=0.1)
    target = np.full((4, 5), 0.1 / 4)
    target[np.arange(4), [0, 1, 2, 3]] = 0.9
    np.testing.assert_allclose(grad, _P - target, rtol=1e-5, atol=1e-6)
    x3 = np.random.RandomState(3).randn(2, 3, 4).astype(np.float32)
    lab3 = np.array([[0, 1, 3], [2, 2, 1]], np.float32)
    out, grad = _run(mx.nd.SoftmaxOutput, x3, lab3, preserve_shape=True, normalization="batch")
    np.testing.assert_allclose(out, _softmax(x3, -1), rtol=1e-5, atol=1e-6)
    onehot = np.eye(4)[lab3.astype(int)]
    np.testing.assert_allclose(grad, (_softmax(x3, -1) - onehot) / 6, rtol=1e-5, atol=1e-6)


def test_softmax_output_nd_data_is_flattened():
    # oracle: without multi_output/preserve_shape, (2, 3, 4) data is one softmax over 12
    # values per sample, and the first 2 label values are the classes
    x3 = np.random.RandomState(3).randn(2, 3, 4).astype(np.float32)
    label = np.array([[1, 2, 3], [0, 5, 11]], np.float32)
    out, grad = _run(mx.nd.SoftmaxOutput, x3, label)
    flat = _softmax(x3.reshape(2, 12), 1)
    np.testing.assert_allclose(out.reshape(2, 12), flat, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad.reshape(2, 12), flat - np.eye(12)[[1, 2]], rtol=1e-5,
                               atol=1e-6)


def test_softmax_output_out_grad_uses_head():
    # Deviation (compat/loss_rnn.md): MXNet multiplies by the output instead of the head.
    label = np.array([0, 1, 1, 4], np.float32)
    head = np.random.RandomState(4).randn(4, 5).astype(np.float32)
    _, grad = _run(mx.nd.SoftmaxOutput, _X, label, out_grad=True, head=head)
    np.testing.assert_allclose(grad, (_P - np.eye(5)[[0, 1, 1, 4]]) * head, rtol=1e-5,
                               atol=1e-6)


def test_softmax_output_label_shape_inference():
    sym = mx.sym.SoftmaxOutput(mx.sym.var("d"), name="sm", multi_output=True)
    args, outs, _ = sym.infer_shape(d=(4, 5, 3, 2))
    assert args == [(4, 5, 3, 2), (4, 6)] and outs == [(4, 5, 3, 2)]   # oracle
    args, _, _ = mx.sym.LinearRegressionOutput(mx.sym.var("d")).infer_shape(d=(4, 5))
    assert args == [(4, 5), (4, 5)]
    args, _, _ = mx.sym.SVMOutput(mx.sym.var("d")).infer_shape(d=(4, 5))
    assert args == [(4, 5), (4,)]


# ---- other loss layers --------------------------------------------------------------------------

def test_regression_output_rejects_wrong_label_size():
    with pytest.raises(ShapeError, match="LinearRegressionOutput.*label"):
        mx.nd.LinearRegressionOutput(mx.nd.ones((4, 3)), mx.nd.ones((4, 2)))


def test_regression_gradient_divides_by_outputs_per_sample():
    x = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], np.float32)
    y = np.array([[0.0, 1.0, 2.0], [3.0, -1.0, 0.5]], np.float32)
    _, grad = _run(mx.nd.LogisticRegressionOutput, x, y, grad_scale=3.0, head=x)
    np.testing.assert_allclose(grad, (1 / (1 + np.exp(-x)) - y), rtol=1e-5, atol=1e-6)
    _, grad = _run(mx.nd.MAERegressionOutput, x, y)
    np.testing.assert_allclose(grad, np.sign(x - y) / 3)


def test_svm_output_gradients():
    # oracle numbers (margin 0.5, regularization_coefficient 2; label 2.7 reads as class 2)
    x = np.array([[0.1, 0.3, -1], [0.5, 0.2, 0.25]], np.float32)
    _, grad = _run(mx.nd.SVMOutput, x, np.array([0, 2], np.float32), margin=0.5,
                   regularization_coefficient=2.0)
    np.testing.assert_allclose(grad, [[-1.6, 3.2, 0], [4, 2.8, -1]], rtol=1e-5, atol=1e-6)
    _, grad = _run(mx.nd.SVMOutput, x, np.array([0, 2.7], np.float32), margin=0.5,
                   regularization_coefficient=2.0, use_linear=True)
    np.testing.assert_allclose(grad, [[-2, 2, 0], [2, 2, -2]])


def test_make_loss_variants():
    x = np.array([[0.1, 0.3, -1], [0.5, 0.2, 0.25]], np.float32)
    head = np.full(x.shape, 3.0, np.float32)
    _, grad = _run(mx.nd.MakeLoss, x, normalization="valid", valid_thresh=2.0, head=head)
    np.testing.assert_allclose(grad, np.ones_like(x))     # oracle: no valid element -> / 1
    _, grad = _run(mx.nd.MakeLoss, x, normalization="valid", valid_thresh=0.2, head=head)
    np.testing.assert_allclose(grad, np.full_like(x, 1 / 3))
    out, grad = _run(mx.nd.make_loss, x, head=head)
    np.testing.assert_allclose(out, x)
    np.testing.assert_allclose(grad, np.ones_like(x))


def test_softmax_cross_entropy_sums():
    label = np.array([0, 1, 1, 4], np.float32)
    out = mx.nd.softmax_cross_entropy(mx.nd.array(_X), mx.nd.array(label)).asnumpy()
    assert out.shape == (1,)
    np.testing.assert_allclose(out, [-np.log(_P[np.arange(4), [0, 1, 1, 4]]).sum()], rtol=1e-5)


# ---- CTC --------------------------------------------------------------------------------------

_CTC_X = np.random.RandomState(0).randn(6, 3, 5).astype(np.float32)


@pytest.mark.parametrize("kwargs,label,want", [
    # oracle: the label ends at its first padding value (0 or -1), later values are ignored
    ({}, [[1, 2, 0], [1, 0, 2], [2, 2, 2]], [4.8942, 8.4475, 11.38801]),
    ({"blank_label": "last"}, [[1, 2, -1], [1, -1, 0], [0, 0, 3]], [4.13362, 4.4743, 9.95568]),
])
def test_ctc_loss_label_padding(kwargs, label, want):
    out = mx.nd.CTCLoss(mx.nd.array(_CTC_X), mx.nd.array(label), **kwargs)
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-4)


def test_ctc_loss_lengths_and_aliases():
    # label_lengths win over padding: row 1 is the single label 3
    args = (mx.nd.array(_CTC_X), mx.nd.array([[1, 2, 0], [3, 1, 0], [2, 2, 2]]),
            mx.nd.array([6, 5, 6]), mx.nd.array([2, 1, 3]))
    for fn in (mx.nd.CTCLoss, mx.nd.ctc_loss, mx.nd.contrib.CTCLoss, mx.nd.contrib.ctc_loss):
        out = fn(*args, use_data_lengths=True, use_label_lengths=True)
        np.testing.assert_allclose(out.asnumpy(), [4.8942, 10.13136, 11.38801], rtol=1e-4)  # oracle


def test_ctc_loss_impossible_alignment_is_zero():
    # oracle: loss 0 where the label cannot fit in the sequence (its gradient is garbage there;
    # mxtorch gives 0)
    _, grad = _run(mx.nd.CTCLoss, _CTC_X, np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3]], np.float32),
                   np.array([6, 4, 3], np.float32), use_data_lengths=True)
    out = mx.nd.CTCLoss(mx.nd.array(_CTC_X), mx.nd.array([[1, 1, 1], [2, 2, 2], [3, 3, 3]]),
                        mx.nd.array([6, 4, 3]), use_data_lengths=True).asnumpy()
    np.testing.assert_allclose(out, [8.982716, 0, 0], rtol=1e-5)
    assert np.all(grad[:, 1:] == 0) and np.all(np.isfinite(grad))


def test_ctc_loss_shape_error():
    with pytest.raises(ShapeError, match="CTCLoss"):
        mx.nd.CTCLoss(mx.nd.ones((6, 5)), mx.nd.ones((2, 3)))


# ---- straight-through and gradient scaling ------------------------------------------------------

def test_straight_through_estimators():
    x = np.array([0.5, -0.5, 1.5, 2.5, -2.5, 0.49], np.float32)
    head = np.arange(1, 7, dtype=np.float32)
    out, grad = _run(mx.nd.contrib.round_ste, x, head=head)
    np.testing.assert_array_equal(out, [1, -1, 2, 3, -3, 0])      # oracle: half away from 0
    np.testing.assert_array_equal(grad, head)
    out, grad = _run(mx.nd.contrib.sign_ste, x, head=head)
    np.testing.assert_array_equal(out, [1, -1, 1, 1, -1, 1])
    np.testing.assert_array_equal(grad, head)
    out, grad = _run(mx.nd.contrib.gradientmultiplier, x, scalar=0.5, head=head)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(grad, head * 0.5)


# ---- RNN --------------------------------------------------------------------------------------

def _rnn_attrs(**kw):
    base = dict(state_size=3, num_layers=1, state_outputs=True)
    base.update(kw)
    return get_op("RNN").parse_attrs(base)


@pytest.mark.parametrize("kw,params,state", [
    # oracle: sym.RNN(...).infer_shape(x=(5, 2, 4))
    (dict(mode="lstm", use_sequence_length=True), 108, (1, 2, 3)),
    (dict(mode="gru", use_sequence_length=True), 81, (1, 2, 3)),
    (dict(mode="lstm", num_layers=2, bidirectional=True, projection_size=2), 408, (4, 2, 2)),
    (dict(mode="lstm", num_layers=2, state_outputs=False), 204, (2, 2, 3)),
])
def test_rnn_infer_shape(kw, params, state):
    attrs = _rnn_attrs(**kw)
    op = get_op("RNN")
    ins, outs = op.infer_shape(attrs, [(5, 2, 4)] + [None] * (len(op.input_names(attrs)) - 1))
    assert ins[1] == (params,) and ins[2] == state
    assert param_size(attrs, 4) == params
    assert outs[0][2] == (2 if attrs["bidirectional"] else 1) * state[2]


def test_rnn_inputs_outputs_and_layout():
    sym = mx.sym.RNN(mx.sym.var("x"), state_size=3, num_layers=1, mode="gru",
                     state_outputs=True, use_sequence_length=True, name="rnn")
    assert sym.list_arguments() == ["x", "rnn_parameters", "rnn_state", "rnn_sequence_length"]
    assert sym.list_outputs() == ["rnn_output", "rnn_state_output"]
    lstm = mx.sym.RNN(mx.sym.var("x"), state_size=3, num_layers=1, mode="lstm",
                      state_outputs=True, name="l")
    assert lstm.list_outputs() == ["l_output", "l_state_output", "l_statecell_output"]
    names = [n for n, _ in param_layout(_rnn_attrs(mode="lstm", num_layers=2,
                                                   bidirectional=True, projection_size=2), 4)]
    assert names[:6] == ["l0_i2h_weight", "l0_h2h_weight", "l0_h2r_weight", "r0_i2h_weight",
                         "r0_h2h_weight", "r0_h2r_weight"]
    assert names[12:14] == ["l0_i2h_bias", "l0_h2h_bias"] and len(names) == 20


def test_rnn_errors():
    with pytest.raises(ShapeError, match=r"'parameters'.*expected \(108,\)"):
        mx.nd.RNN(mx.nd.ones((5, 2, 4)), mx.nd.ones((100,)), mx.nd.ones((1, 2, 3)),
                  mx.nd.ones((1, 2, 3)), state_size=3, num_layers=1, mode="lstm")
    with pytest.raises(ShapeError, match="'state'"):
        mx.nd.RNN(mx.nd.ones((5, 2, 4)), mx.nd.ones((81,)), mx.nd.ones((2, 2, 3)),
                  state_size=3, num_layers=1, mode="gru")
    with pytest.raises(AttributeParseError, match="projection_size"):
        mx.nd.RNN(mx.nd.ones((5, 2, 4)), mx.nd.ones((81,)), mx.nd.ones((1, 2, 3)),
                  state_size=3, num_layers=1, mode="gru", projection_size=2)
    with pytest.raises(MXNetError, match="state_cell"):
        mx.nd.RNN(mx.nd.ones((5, 2, 4)), mx.nd.ones((108,)), mx.nd.ones((1, 2, 3)),
                  state_size=3, num_layers=1, mode="lstm")


def _rnn_inputs(attrs, steps=4, batch=2, feat=2, seed=0, dtype=torch.float64):
    op = get_op("RNN")
    shapes, _ = op.infer_shape(attrs, [(steps, batch, feat)] + [None] * 4)
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(*s, generator=gen, dtype=dtype) * 0.5 for s in shapes]


@pytest.mark.parametrize("kw", [
    dict(mode="lstm", num_layers=2, bidirectional=True),
    dict(mode="gru", bidirectional=True),
    dict(mode="rnn_relu"),
    dict(mode="lstm", projection_size=2, lstm_state_clip_min=-0.2, lstm_state_clip_max=0.3),
])
def test_rnn_gradcheck(kw):
    attrs = _rnn_attrs(**kw)
    op = get_op("RNN")
    inputs = [t.requires_grad_() for t in _rnn_inputs(attrs, steps=3, batch=1)]
    assert torch.autograd.gradcheck(lambda *t: op.compute(*t, **attrs), inputs, eps=1e-6,
                                    atol=1e-5)


def test_rnn_projection_matches_oracle():
    x = [0.22, -0.17, 1.22, -0.13, 0.05, 0.79]
    params = [-0.45, -0.3, 0.09, -0.16, -0.6, -0.1, -0.18, 0.3, -0.83, -0.35, 0.58, 0.93, -0.76,
              0.32, -0.49, -0.43, -0.44, -0.21, 0.5, 0.36, 0.03, -0.18, 0.0, -0.05, 0.4, -0.32,
              0.0, -0.05, -0.03, 0.12, 0.1, 0.67, -0.04, 0.78, -0.15, -0.24, 0.05, 0.18, 0.13,
              0.65, 0.57, 0.25]
    outs = mx.nd.RNN(mx.nd.array(x).reshape((3, 1, 2)), mx.nd.array(params),
                     mx.nd.array([-0.17]).reshape((1, 1, 1)),
                     mx.nd.array([-0.05, 0.71]).reshape((1, 1, 2)), state_size=2, num_layers=1,
                     mode="lstm", state_outputs=True, projection_size=1)
    want = [[-0.14575, -0.16882, -0.18952], [-0.18952], [-0.13735, 0.90641]]   # oracle
    for got, exp in zip(outs, want):
        np.testing.assert_allclose(got.asnumpy().ravel(), exp, atol=2e-5)


def test_rnn_state_clipping():
    op = get_op("RNN")
    attrs = _rnn_attrs(mode="lstm", num_layers=2, bidirectional=True)
    inputs = _rnn_inputs(attrs)
    fused = op.compute(*inputs, **attrs)
    wide = op.compute(*inputs, **dict(attrs, lstm_state_clip_min=-1e9, lstm_state_clip_max=1e9))
    for a, b in zip(fused, wide):
        torch.testing.assert_close(a, b)
    clipped = op.compute(*inputs, **dict(attrs, lstm_state_clip_min=-0.05,
                                         lstm_state_clip_max=0.04))
    assert clipped[2].min() >= -0.05 and clipped[2].max() <= 0.04
    assert not torch.allclose(clipped[0], fused[0])


@pytest.mark.parametrize("mode", ["lstm", "gru"])
def test_rnn_sequence_length(mode):
    # Deviation (compat/loss_rnn.md): MXNet's CPU kernel ignores sequence_length.
    op = get_op("RNN")
    attrs = _rnn_attrs(mode=mode, bidirectional=True, use_sequence_length=True)
    inputs = _rnn_inputs(attrs, steps=5, batch=3)
    inputs[-1] = torch.tensor([5.0, 2.0, 3.0], dtype=torch.float64)
    out = op.compute(*inputs, **attrs)
    assert torch.all(out[0][2:, 1] == 0) and torch.all(out[0][3:, 2] == 0)
    plain = dict(attrs, use_sequence_length=False)
    for b, length in ((1, 2), (2, 3)):
        states = [s[:, b:b + 1] for s in inputs[2:-1]]
        alone = op.compute(inputs[0][:length, b:b + 1], inputs[1], *states, **plain)
        torch.testing.assert_close(out[0][:length, b:b + 1], alone[0])
        torch.testing.assert_close(out[1][:, b:b + 1], alone[1])


def test_rnn_dropout_only_in_training():
    op = get_op("RNN")
    attrs = _rnn_attrs(mode="gru", num_layers=2, p=0.5)
    inputs = _rnn_inputs(attrs, dtype=torch.float32)
    a = op.compute(*inputs, is_train=False, **attrs)
    b = op.compute(*inputs, is_train=False, **attrs)
    torch.testing.assert_close(a, b)
    torch.manual_seed(0)
    c = op.compute(*inputs, is_train=True, **attrs)
    assert not torch.allclose(a[0], c[0])


def test_rnn_param_concat():
    parts = [mx.nd.ones((2, 3)), mx.nd.zeros((2, 1))]
    assert mx.nd._internal._rnn_param_concat(*parts, dim=1).shape == (2, 4)
    flat = mx.nd._internal._rnn_param_concat(*[p.reshape((-1,)) for p in parts], dim=0)
    np.testing.assert_array_equal(flat.asnumpy(), [1] * 6 + [0] * 2)


# ---- spatial ----------------------------------------------------------------------------------

_DATA = np.sin(np.arange(2 * 4 * 6 * 7).reshape(2, 4, 6, 7) * 0.37).astype(np.float32)
_ROIS = np.array([[0, 0.5, 1.2, 5.6, 4.3], [1, 2.2, 0.1, 6.9, 5.8], [1, -1.5, -1, 2, 2.5]],
                 np.float32)

# oracle outputs (flattened) and per-(batch, channel) gradient sums for a head of ones
_ROI_CASES = {
    "align_adaptive": ("contrib.ROIAlign", 2, dict(pooled_size=(2, 2), spatial_scale=1.0,
                                                    sample_ratio=-1),
                       [-0.12814, 0.11756, -0.12012, -0.26061, 0.16617, -0.07532, 0.07901,
                        0.25012, -0.19952, 0.03096, -0.03569, -0.2326, 0.22726, 0.01427,
                        -0.00864, 0.20853, 0.03076, 0.01931, 0.18708, 0.23952, -0.03088,
                        -0.02323, -0.16019, -0.2421, 0.03013, 0.02649, 0.12879, 0.23786,
                        -0.02853, -0.02901, -0.09376, -0.22692], [4.0] * 8),
    "align_aligned": ("contrib.ROIAlign", 2, dict(pooled_size=(2, 2), spatial_scale=1.0,
                                                   sample_ratio=2, aligned=True),
                      [-0.2297, -0.24302, 0.24659, 0.0524, 0.20404, 0.25734, -0.26232, -0.09614,
                       -0.17263, -0.26442, 0.27067, 0.13718, 0.13636, 0.26405, -0.2714, -0.17435,
                       -0.06149, 0.19128, 0.31309, 0.21214, 0.11094, -0.14823, -0.30647,
                       -0.24789, -0.15728, 0.10101, 0.29124, 0.27666, 0.19919, -0.05095,
                       -0.2678, -0.29764], [4.0] * 8),
    "align_position_sensitive": ("contrib.ROIAlign", 3, dict(pooled_size=(2, 2),
                                                              spatial_scale=1.0, sample_ratio=2,
                                                              position_sensitive=True),
                                 [-0.12884, -0.07657, -0.03557, 0.21103, -0.04473, 0.06813,
                                  0.14901, -0.26921, -0.18913, 0.21104, -0.03089, 0.1218],
                                 [1.0, 1.0, 1.0, 1.0, 1.5, 2.0, 1.5, 2.0]),
    "psroi": ("contrib.PSROIPooling", 3, dict(spatial_scale=1.0, output_dim=1, pooled_size=2),
              [-0.25904, 0.1707, -0.01151, 0.21687, 0.2049, -0.21272, 0.19279, -0.22472,
               0.15892, -0.19104, 0.20108, -0.21121], [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0]),
}


@pytest.mark.parametrize("name", sorted(_ROI_CASES))
def test_roi_ops_match_oracle(name):
    path, count, kwargs, want, grad_sums = _ROI_CASES[name]
    fn = mx.nd.contrib if path.startswith("contrib.") else mx.nd
    fn = getattr(fn, path.split(".")[-1])
    out, grad = _run(fn, _DATA, _ROIS[:count], **kwargs)
    np.testing.assert_allclose(out.ravel(), want, atol=2e-5)
    np.testing.assert_allclose(grad.sum(axis=(2, 3)).ravel(), grad_sums, atol=1e-4)


def test_roi_pooling_matches_oracle():
    want = [0.52404, 0.1806, 0.36796, 0.99648, 0.95937, 0.51823, 0.95544, 0.78404, 0.68924,
            0.95544, 0.78404, 0.16045, 0.77551, 0.49473, 0.04088, 0.99875, 0.99875, 0.77119,
            0.99934, 0.94483, 0.47686, 0.99934, 0.94483, 0.47686]          # oracle, first roi
    out, grad = _run(mx.nd.ROIPooling, _DATA, _ROIS, pooled_size=(2, 3), spatial_scale=0.8)
    assert out.shape == (3, 4, 2, 3)
    np.testing.assert_allclose(out[0].ravel(), want, atol=2e-5)
    np.testing.assert_allclose(out[2, 0].ravel(), [-0.62244, -0.29729, 0.06809, 0.94028,
                                                   0.94028, 0.75355], atol=2e-5)
    np.testing.assert_allclose(grad.sum(axis=(2, 3)).ravel(), [6] * 4 + [12] * 4)


def test_rroi_align_matches_oracle():
    rois = np.array([[0, 3, 2.5, 4, 3, 30], [1, 3.5, 3, 5, 2, -60]], np.float32)
    out = mx.nd.contrib.RROIAlign(mx.nd.array(_DATA[:, :1]), mx.nd.array(rois),
                                  pooled_size=(2, 2), spatial_scale=1.0, sampling_ratio=2)
    np.testing.assert_allclose(out.asnumpy().ravel(), [0.10653, -0.24165, -0.19656, 0.20305,
                                                      -0.06911, 0.00941, 0.05583, 0.03732],
                               atol=2e-5)   # oracle


def test_roi_align_gradcheck_and_shape_inference():
    op = get_op("_contrib_ROIAlign")
    attrs = op.parse_attrs(dict(pooled_size=(2, 2), spatial_scale=1.0, sample_ratio=-1))
    data = torch.tensor(_DATA[:, :2], dtype=torch.float64, requires_grad=True)
    rois = torch.tensor(_ROIS, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda d: op.compute(d, rois, **attrs), (data,))
    sym = mx.sym.contrib.ROIAlign(mx.sym.var("d"), mx.sym.var("r"), pooled_size=(2, 3),
                                  spatial_scale=1.0, position_sensitive=True)
    assert sym.infer_shape(d=(1, 12, 8, 8), r=(5, 5))[1] == [(5, 2, 2, 3)]


def test_bilinear_sampler_gradcheck():
    op = get_op("BilinearSampler")
    gen = torch.Generator().manual_seed(0)
    data = torch.randn(1, 2, 4, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    grid = (torch.rand(1, 2, 3, 3, generator=gen, dtype=torch.float64) * 2.4 - 1.2)
    grid.requires_grad_()
    assert torch.autograd.gradcheck(lambda d, g: op.compute(d, g, cudnn_off=None), (data, grid))


def test_spatial_errors():
    with pytest.raises(ShapeError, match="rois"):
        mx.nd.ROIPooling(mx.nd.ones((1, 2, 4, 4)), mx.nd.ones((3, 4)), pooled_size=(2, 2),
                         spatial_scale=1.0)
    with pytest.raises(ShapeError, match="output_dim"):
        mx.nd.contrib.PSROIPooling(mx.nd.ones((1, 5, 4, 4)), mx.nd.ones((1, 5)),
                                   spatial_scale=1.0, output_dim=2, pooled_size=2)
    with pytest.raises(ShapeError, match="target_shape"):
        mx.nd.GridGenerator(mx.nd.ones((1, 6)), transform_type="affine")


def test_roi_align_many_rois_matches_oracle():
    """40 rois over 3 images (some past the borders, some tiny, some larger than the map):
    outputs and data gradients of MXNet 1.9.1 (tests/fixtures/ops/roi_align_oracle.npz, made
    by the oracle from the same RandomState(1) inputs); float32 tolerance."""
    import os
    want = np.load(os.path.join(os.path.dirname(__file__), "fixtures", "ops",
                                "roi_align_oracle.npz"))
    rng = np.random.RandomState(1)
    data = rng.randn(3, 5, 9, 11).astype("float32")
    n = 40
    xy = rng.uniform(-30, 170, size=(n, 2))
    wh = rng.uniform(1, 120, size=(n, 2))
    rois = np.concatenate([rng.randint(0, 3, (n, 1)), xy, xy + wh], 1).astype("float32")
    for ratio in (-1, 1, 3):
        for aligned in (False, True):
            d = mx.nd.array(data)
            d.attach_grad()
            with mx.autograd.record():
                out = mx.nd.contrib.ROIAlign(d, mx.nd.array(rois), pooled_size=(3, 4),
                                             spatial_scale=1 / 16., sample_ratio=ratio,
                                             aligned=aligned)
            out.backward(mx.nd.array(rng.rand(*out.shape).astype("float32")))
            key = f"{ratio}{aligned}"
            if key in want.files:
                np.testing.assert_allclose(out.asnumpy(), want[key], atol=1e-5)
                np.testing.assert_allclose(d.grad.asnumpy(), want["g" + key], atol=1e-5)
