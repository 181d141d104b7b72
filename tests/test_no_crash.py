"""No input kills the interpreter (issue 7 item 5).

``test_op_table_fuzz`` runs ``tools/opfuzz.py --quick`` over every registered operator in child
processes (zero-size, 0-d, huge, negative, NaN/inf and out-of-range inputs and attributes,
forward and backward): each case must work or raise an MXNetError naming the op. The other
tests pin each fix the fuzzer led to; the ones that used to kill the process run in a child.
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import AttributeParseError, MXNetError, ShapeError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUZZ = os.path.join(ROOT, "tools", "opfuzz.py")
nd = mx.nd


def _run_child(code, timeout=120):
    """Run ``code`` in a fresh interpreter; fail on a signal, a non-zero exit or a timeout."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert proc.returncode == 0, (f"child exited with {proc.returncode} (negative: killed by "
                                  f"signal)\n{proc.stdout}\n{proc.stderr[-2000:]}")
    return proc.stdout


def test_op_table_fuzz(tmp_path):
    out = tmp_path / "fuzz.json"
    proc = subprocess.run([sys.executable, FUZZ, "--quick", "--jobs", "2", "--batch", "190",
                           "--case-timeout", "60", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(out.read_text())
    bad = [r for r in results if r["outcome"] not in ("ok", "clean", "skip")]
    assert not bad, "\n".join(f"{r['outcome']} {r['op']} [{r['case']}] {r.get('detail', '')}"
                              for r in bad[:40])
    from mxtorch.ops import REGISTRY
    every = {op.name for op in REGISTRY.values()} - {"Custom"}
    assert {r["op"] for r in results} == every
    assert len(results) > 5 * len(every)


# ---- BatchNorm: an empty batch ------------------------------------------------------------

def test_batchnorm_empty_batch_inference_backward_does_not_crash():
    # used to die with SIGFPE inside torch's batch-norm backward
    out = _run_child("""
        import mxtorch as mx
        x = mx.nd.zeros((0, 3, 4, 4)); x.attach_grad()
        g, b = mx.nd.ones(3), mx.nd.zeros(3)
        g.attach_grad(); b.attach_grad()
        with mx.autograd.record(train_mode=False):
            y = mx.nd.BatchNorm(x, g, b, mx.nd.zeros(3), mx.nd.ones(3), fix_gamma=False)
        y.backward()
        print(x.grad.shape, g.grad.asnumpy().tolist(), b.grad.asnumpy().tolist())
    """)
    assert out.strip() == "(0, 3, 4, 4) [0.0, 0.0, 0.0] [0.0, 0.0, 0.0]"


@pytest.mark.parametrize("train", [False, True])
def test_batchnorm_empty_batch_values(train):
    # MXNet 1.9.1 (np_shape mode): inference returns the moving mean and 1/sqrt(var + eps);
    # training returns NaN statistics and leaves the moving statistics alone; zero gradients
    x = nd.zeros((0, 3, 4, 4))
    x.attach_grad()
    g, b = nd.ones(3) * 2, nd.zeros(3)
    m, v = nd.ones(3) * 0.5, nd.ones(3) * 2
    b.attach_grad()
    with mx.autograd.record(train_mode=train):
        y, mean, var = nd.BatchNorm(x, g, b, m, v, output_mean_var=True)
    y.backward()
    assert y.shape == (0, 3, 4, 4)
    if train:
        assert np.isnan(mean.asnumpy()).all() and np.isnan(var.asnumpy()).all()
    else:
        np.testing.assert_allclose(mean.asnumpy(), [0.5] * 3)
        np.testing.assert_allclose(var.asnumpy(), [0.7069301] * 3, rtol=1e-6)
    np.testing.assert_array_equal(m.asnumpy(), [0.5] * 3)
    np.testing.assert_array_equal(v.asnumpy(), [2.0] * 3)
    np.testing.assert_array_equal(b.grad.asnumpy(), [0.0] * 3)


# ---- CTCLoss: out-of-range labels and lengths -----------------------------------------------

def test_ctc_loss_out_of_range_label_is_an_error_not_a_segfault():
    out = _run_child("""
        import mxtorch as mx
        data = mx.nd.ones((6, 2, 5))
        try:
            mx.nd.CTCLoss(data, mx.nd.array([[1, 2, 0], [3, 1000000, 4]]))
        except mx.base.MXNetError as err:
            print(str(err).splitlines()[0])
    """)
    assert out.startswith("CTCLoss: label values must lie in [0, 4]")


@pytest.mark.parametrize("kwargs,extra,message", [
    (dict(use_data_lengths=True), [7, 6], "data_lengths must lie in [0, 6]"),
    (dict(use_data_lengths=True), [-1, 6], "data_lengths must lie in [0, 6]"),
    (dict(use_label_lengths=True), [4, 1], "label_lengths must lie in [0, 3]"),
])
def test_ctc_loss_lengths_checked(kwargs, extra, message):
    data = nd.ones((6, 2, 5))
    with pytest.raises(MXNetError, match=r"CTCLoss: " + message.replace("[", r"\[")):
        nd.CTCLoss(data, nd.array([[1, 2, 0], [3, 3, 4]]), nd.array(extra), **kwargs)


# ---- attribute values that used to hang, crash or leak Python errors ------------------------

def test_rnn_huge_num_layers_fails_fast():
    out = _run_child("""
        import mxtorch as mx
        x = mx.nd.ones((2, 1, 3)); h = mx.nd.zeros((1, 1, 4)); p = mx.nd.ones((64,))
        for layers in (2 ** 31, -1000000, 0):
            try:
                mx.nd.RNN(x, p, h, state_size=4, num_layers=layers, mode='rnn_tanh')
            except mx.base.MXNetError as err:
                print(type(err).__name__, str(err).split(', got')[0][:60])
    """, timeout=60)
    lines = out.strip().splitlines()
    assert lines[0].startswith("ShapeError RNN: input 'parameters' has shape (64,), expected")
    assert lines[1:] == ["AttributeParseError RNN: num_layers must be at least 1"] * 2


def test_convolution_huge_stride_backward():
    # torch's backward sized a buffer by the stride (8 GB for stride 10**6)
    x = nd.array(np.arange(2 * 3 * 4 * 5, dtype="float32").reshape(2, 3, 4, 5))
    w = nd.ones((2, 3, 3, 3))
    x.attach_grad()
    with mx.autograd.record():
        y = nd.Convolution(x, w, kernel=(3, 3), num_filter=2, no_bias=True,
                           stride=(10 ** 6, 10 ** 6))
    y.backward()
    assert y.shape == (2, 2, 1, 1)
    want_y = x.asnumpy()[:, :, :3, :3].sum(axis=(1, 2, 3))  # one window: the top-left one
    np.testing.assert_allclose(y.asnumpy()[:, 0, 0, 0], want_y)
    want = np.zeros((2, 3, 4, 5), "float32")
    want[:, :, :3, :3] = 2
    np.testing.assert_array_equal(x.grad.asnumpy(), want)


@pytest.mark.parametrize("call,message", [
    (lambda x: nd.Pooling(x, kernel=(5, 5)), "kernel size 5 exceeds the input (3 padded to 3)"),
    (lambda x: nd.Pooling(x, kernel=(2, 2), stride=(0, 0)), "stride=(0, 0) must be positive"),
    (lambda x: nd.Convolution(x, nd.ones((1, 1, 2, 2)), kernel=(2, 2), num_filter=1,
                              no_bias=True, stride=(0, 1)), "stride=(0, 1) must be positive"),
    (lambda x: nd.Convolution(x, nd.ones((1, 1, 2, 2)), kernel=(2, 2), num_filter=1,
                              no_bias=True, pad=(-1, 0)), "pad=(-1, 0) must not be negative"),
])
def test_pooling_and_convolution_geometry_checked(call, message):
    with pytest.raises(MXNetError) as info:
        call(nd.ones((1, 1, 3, 3)))
    assert message in str(info.value)


@pytest.mark.parametrize("call,op_name", [
    (lambda: nd.GroupNorm(nd.ones((2, 4, 3)), nd.ones(4), nd.zeros(4), num_groups=0),
     "GroupNorm"),
    (lambda: nd.LRN(nd.ones((1, 4, 3, 3)), nsize=0), "LRN"),
    (lambda: nd.im2col(nd.ones((1, 1, 4, 4)), kernel=(2, 2), stride=(0, 0)), "im2col"),
    (lambda: nd.Convolution_v1(nd.ones((1, 1, 3)), nd.ones((1, 1, 2, 2)), kernel=(2, 2),
                               num_filter=1, no_bias=True), "Convolution_v1"),
    (lambda: nd.log_softmax(nd.ones((2, 2)), dtype="int32"), "log_softmax"),
])
def test_python_errors_become_mxnet_errors_naming_the_op(call, op_name):
    with pytest.raises(MXNetError) as info:
        call()
    assert op_name in str(info.value)


# ---- backward passes that failed on legal inputs --------------------------------------------

@pytest.mark.parametrize("op", ["LinearRegressionOutput", "LogisticRegressionOutput",
                                "MAERegressionOutput"])
def test_regression_output_label_of_another_shape(op):
    # the label only needs one value per data element; its gradient keeps its own shape
    data, label = nd.ones((4, 3)), nd.zeros((12,))
    data.attach_grad()
    label.attach_grad()
    with mx.autograd.record():
        y = getattr(nd, op)(data, label)
    y.backward()
    assert label.grad.shape == (12,)
    np.testing.assert_array_equal(label.grad.asnumpy(), np.zeros(12))
    assert data.grad.shape == (4, 3)


def test_make_loss_batch_normalization_of_a_scalar():
    x = nd.array(2.0)
    x.attach_grad()
    with mx.autograd.record():
        y = nd.MakeLoss(x, normalization="batch", grad_scale=3.0)
    y.backward()
    assert float(x.grad.asnumpy()) == 3.0


def test_kl_sparse_reg_checks_moving_avg_shape():
    with pytest.raises(ShapeError, match="IdentityAttachKLSparseReg"):
        nd.IdentityAttachKLSparseReg(nd.ones((120,)), nd.ones((5,)))
    with pytest.raises(ShapeError, match="IdentityAttachKLSparseReg"):
        nd.IdentityAttachKLSparseReg(nd.ones((4, 3)), nd.ones((5,)))


def test_python_error_in_a_backward_becomes_mxnet_error():
    class Bad(mx.autograd.Function):
        def forward(self, x):
            return x * 1

        def backward(self, dy):
            return 1 // 0

    x = nd.ones(2)
    x.attach_grad()
    with mx.autograd.record():
        y = Bad()(x)
    with pytest.raises(MXNetError, match="backward failed"):
        y.backward()


def test_empty_and_out_of_range_outputs_of_other_ops():
    # AdaptiveAvgPooling2D to an empty size: MXNet gives (1, 1, 0, 0); torch refused the backward
    x = nd.ones((1, 1, 4, 4))
    x.attach_grad()
    with mx.autograd.record():
        y = nd.contrib.AdaptiveAvgPooling2D(x, output_size=(0, 0))
    y.backward()
    assert y.shape == (1, 1, 0, 0)
    np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros((1, 1, 4, 4)))
    # SVMOutput over an empty batch
    d = nd.zeros((0, 3))
    d.attach_grad()
    with mx.autograd.record():
        y = nd.SVMOutput(d, nd.zeros((0,)))
    y.backward()
    assert d.grad.shape == (0, 3)


@pytest.mark.parametrize("ignore", [float("nan"), float("inf")])
def test_softmax_output_non_finite_ignore_label_ignores_nothing(ignore):
    # MXNet 1.9.1: the gradient row of label 0 is [-0.75, 0.25, 0.25, 0.25] either way
    x = nd.ones((3, 4))
    x.attach_grad()
    with mx.autograd.record():
        y = nd.SoftmaxOutput(x, nd.array([0, 1, 2]), ignore_label=ignore, use_ignore=True)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy()[0], [-0.75, 0.25, 0.25, 0.25], rtol=1e-6)


def test_split_v2_huge_sections_refused_at_once():
    with pytest.raises(ShapeError, match="_split_v2: sections=2147483648"):
        nd._internal._split_v2(nd.ones((2, 5)), indices=[0], axis=1, sections=2 ** 31)
    pieces = nd._internal._split_v2(nd.ones((2, 5)), indices=[0], axis=1, sections=7)
    assert [p.shape for p in pieces] == [(2, 1)] * 5 + [(2, 0)] * 2  # as MXNet 1.9.1


def test_batchnorm_parameter_shapes_and_axis_checked():
    args = [nd.ones(3), nd.zeros(3), nd.zeros(3), nd.ones(3)]
    with pytest.raises(ShapeError, match="BatchNorm: input 'gamma' has shape \\(4,\\)"):
        nd.BatchNorm(nd.ones((2, 3)), nd.ones(4), *args[1:])
    with pytest.raises(ShapeError, match="BatchNorm: axis=5 is out of range"):
        nd.BatchNorm(nd.ones((2, 3)), *args, axis=5)


def test_symbol_with_absurd_output_count_is_refused_at_once():
    # used to hang building a Symbol with 2**31 outputs
    x = mx.sym.var("x")
    with pytest.raises(AttributeParseError, match="SliceChannel: the attributes ask for"):
        mx.sym.SliceChannel(x, num_outputs=2 ** 31)
    with pytest.raises(AttributeParseError, match="_split_v2: the attributes ask for 2147483648"):
        mx.sym._internal._split_v2(x, indices=[0], axis=1, sections=2 ** 31)
    with pytest.raises(AttributeParseError, match="SliceChannel: the attributes ask for -3"):
        mx.sym.SliceChannel(x, num_outputs=-3)


def test_multi_weight_update_with_one_weight_through_both_doors():
    # one weight: one output (a tensor); the Executor used to fail on a 1-tuple, and the nd
    # door refused MXNet's out=[weight] form
    w, g = nd.ones(3), nd.ones(3)
    got = nd.multi_sgd_update(w, g, lrs=(0.1,), wds=(0.0,), num_weights=1, out=[w])
    assert isinstance(got, list) and got[0] is w
    np.testing.assert_allclose(w.asnumpy(), [0.9] * 3, rtol=1e-6)
    sym = mx.sym.multi_sgd_update(mx.sym.var("w"), mx.sym.var("g"), lrs=(0.1,), wds=(0.0,),
                                  num_weights=1)
    ex = sym.bind(mx.cpu(), args={"w": nd.ones(3), "g": nd.ones(3)})
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), [0.9] * 3, rtol=1e-6)


def test_symbol_door_errors_are_mxnet_errors():
    # an output too large to allocate at bind, and a rule that indexed a missing axis
    x = mx.sym.var("x")
    y = mx.sym.Deconvolution(x, mx.sym.var("w"), kernel=(2, 2), num_filter=1,
                             stride=(10 ** 6, 10 ** 6))
    with pytest.raises(MXNetError, match="deconvolution"):
        y.bind(mx.cpu(), args={"x": nd.ones((1, 1, 4, 4)), "w": nd.ones((1, 1, 2, 2))})
    kl = mx.sym.IdentityAttachKLSparseReg(x, mx.sym.var("m"))
    with pytest.raises(MXNetError, match="IdentityAttachKLSparseReg"):
        kl.bind(mx.cpu(), args={"x": nd.ones((6,))}, aux_states={"m": nd.ones((5,))}).forward()
