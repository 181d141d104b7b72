"""More operator checks in the style of MXNet's test_operator.py / test_contrib_operator.py."""
import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_get_operator_arguments_and_registered():
    operator_arguments = mx.operator.get_operator_arguments("Activation")
    assert isinstance(operator_arguments, mx.operator.OperatorArguments)
    assert operator_arguments.names == ["data", "act_type"]
    assert operator_arguments.types == ["NDArray-or-Symbol", "{'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'}, required"]
    assert operator_arguments.narg == 2
    ops = mx.operator.get_all_registered_operators()
    assert "Activation" in ops and "FullyConnected" in ops and "_contrib_box_nms" in ops


@with_seed()
def test_index_array_and_index2d():
    shape = (3, 4)
    data = mx.sym.Variable("data")
    s = mx.sym.contrib.index_array(data)
    expected = np.stack(np.meshgrid(*[np.arange(d) for d in shape], indexing="ij"), axis=-1)
    check_symbolic_forward(s, [np.ones(shape)], [expected])
    s = mx.sym.contrib.index_array(data, axes=(1,))
    check_symbolic_forward(s, [np.ones(shape)], [expected[..., 1:]])
    for _ in range(5):
        dim = np.random.randint(2, 10)
        x = np.random.uniform(-10, 10, (dim, dim))
        idx = np.random.randint(0, dim, dim)
        r = mx.nd.batch_take(mx.nd.array(x), mx.nd.array(idx, dtype="int32"))
        assert same(r.asnumpy(), x.astype(np.float32)[np.arange(dim), idx])


@with_seed()
def test_box_nms_and_iou():
    boxes = mx.nd.array([[[0, 0.5, 0.1, 0.1, 0.2, 0.2], [1, 0.4, 0.1, 0.1, 0.2, 0.2],
                          [0, 0.3, 0.1, 0.1, 0.14, 0.14], [2, 0.6, 0.5, 0.5, 0.7, 0.8]]])
    out = mx.nd.contrib.box_nms(boxes, overlap_thresh=0.1, coord_start=2, score_index=1, id_index=0,
                                force_suppress=False, in_format="corner", out_format="corner")
    o = out.asnumpy()[0]
    assert o.shape == (4, 6)
    assert o[0, 1] == np.float32(0.6) and o[1, 1] == np.float32(0.5) and o[2, 1] == np.float32(0.4)
    assert (o[3] == -1).all()
    out = mx.nd.contrib.box_nms(boxes, overlap_thresh=0.1, coord_start=2, score_index=1, id_index=0,
                                force_suppress=True)
    assert (out.asnumpy()[0, 2:] == -1).all()
    a = mx.nd.array([[0, 0, 2, 2]])
    b = mx.nd.array([[1, 1, 3, 3], [0, 0, 2, 2]])
    iou = mx.nd.contrib.box_iou(a, b, format="corner")
    assert_almost_equal(iou, np.array([[1.0 / 7, 1.0]]), rtol=1e-5, atol=1e-6)
    m = mx.nd.contrib.bipartite_matching(mx.nd.array([[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]]),
                                         threshold=1e-12, is_ascend=False)
    assert same(m[0].asnumpy(), np.array([1, -1, 0], dtype=np.float32))
    assert same(m[1].asnumpy(), np.array([2, 0], dtype=np.float32))


@with_seed()
def test_multibox_prior_target_detection():
    data = mx.nd.zeros((1, 3, 4, 4))
    anchors = mx.nd.contrib.MultiBoxPrior(data, sizes=[0.5, 0.25], ratios=[1, 2], clip=False)
    assert anchors.shape == (1, 4 * 4 * 3, 4)
    a0 = anchors.asnumpy()[0, 0]
    assert_almost_equal(a0, np.array([0.125 - 0.25, 0.125 - 0.25, 0.125 + 0.25, 0.125 + 0.25]),
                        rtol=1e-5, atol=1e-6)
    label = mx.nd.array([[[0, 0.1, 0.1, 0.3, 0.3]]])
    cls_pred = mx.nd.zeros((1, 2, 48))
    loc_t, loc_mask, cls_t = mx.nd.contrib.MultiBoxTarget(anchors, label, cls_pred)
    assert loc_t.shape == (1, 192) and cls_t.shape == (1, 48)
    cls_prob = mx.nd.softmax(mx.nd.random.uniform(shape=(1, 2, 48)), axis=1)
    loc_pred = mx.nd.zeros((1, 192))
    det = mx.nd.contrib.MultiBoxDetection(cls_prob, loc_pred, anchors, nms_threshold=0.5)
    assert det.shape == (1, 48, 6)


@with_seed()
def test_softmax_with_large_inputs_and_dtype():
    def softmax_forward(input_data, true_output):
        data = mx.sym.Variable("data")
        out1 = data.softmax(axis=1)
        exec1 = out1.bind(default_context(), args={"data": input_data})
        exec1.forward()[0].wait_to_read()
        ndarr = exec1.outputs[0][0][0][0]
        assert_almost_equal(ndarr, true_output, rtol=1e-5, atol=1e-5)
    softmax_forward(mx.nd.array([[[[-1e30, -1e30]]]]), np.array([1.0, 1.0]))
    softmax_forward(mx.nd.array([[[[1e30, 1e30]]]]), np.array([1.0, 1.0]))
    softmax_forward(mx.nd.array([[[[-3.4e38, -3.4e38]]]]), np.array([1.0, 1.0]))
    softmax_forward(mx.nd.array([[[[3.4e38, 3.4e38]]]]), np.array([1.0, 1.0]))
    x = mx.nd.random.uniform(shape=(3, 4)).astype("float16")
    y = mx.nd.softmax(x, dtype="float32")
    assert y.dtype == np.float32
    y = mx.nd.log_softmax(x, dtype="float64")
    assert y.dtype == np.float64
    data = mx.sym.Variable("data")
    s = mx.sym.softmax(data, dtype="float32")
    check_numeric_gradient(s, [np.random.uniform(size=(2, 3))], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_masked_softmax_and_where_scalar():
    x = mx.nd.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    length = mx.nd.array([2, 3], dtype="int32")
    y = mx.nd.softmax(x, length, axis=1, use_length=True)
    assert_almost_equal(y.asnumpy()[0], np.array([np.exp(-1) / (1 + np.exp(-1)), 1 / (1 + np.exp(-1)), 0]),
                        rtol=1e-5, atol=1e-6)
    cond = mx.nd.array([1, 0, 1])
    out = mx.nd.where(cond, mx.nd.array([1, 2, 3]), mx.nd.array([7, 8, 9]))
    assert same(out.asnumpy(), np.array([1, 8, 3], dtype=np.float32))


@with_seed()
def test_all_finite_multi_sum_sq_and_updates():
    data = mx.nd.array([np.inf, 1.0])
    assert mx.nd.all_finite(data).asscalar() == 0
    assert mx.nd.all_finite(mx.nd.ones((3,))).asscalar() == 1
    assert mx.nd.multi_all_finite(mx.nd.ones((2,)), mx.nd.array([np.nan]), num_arrays=2).asscalar() == 0
    arrs = [mx.nd.array([1.0, 2.0]), mx.nd.array([3.0])]
    ss = mx.nd.multi_sum_sq(*arrs, num_arrays=2)
    assert same(ss.asnumpy(), np.array([5.0, 9.0], dtype=np.float32))
    w = mx.nd.ones((3,))
    g = mx.nd.ones((3,))
    mx.nd.sgd_update(w, g, lr=0.1, wd=0.0, out=w)
    assert_almost_equal(w, np.full(3, 0.9))
    w = mx.nd.ones((3,))
    mom = mx.nd.zeros((3,))
    mx.nd.sgd_mom_update(w, g, mom, lr=0.1, momentum=0.9, wd=0.0, out=w)
    assert_almost_equal(w, np.full(3, 0.9))
    assert_almost_equal(mom, np.full(3, -0.1))
    w = mx.nd.ones((3,))
    m = mx.nd.zeros((3,))
    v = mx.nd.zeros((3,))
    mx.nd.adam_update(w, g, m, v, lr=0.1, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0.0, out=w)
    assert_almost_equal(w, np.full(3, 1 - 0.1 * 0.1 / (np.sqrt(0.001) + 1e-8)), rtol=1e-4, atol=1e-5)
    ws = [mx.nd.ones((2,)), mx.nd.ones((3,))]
    gs = [mx.nd.ones((2,)), mx.nd.ones((3,)) * 2]
    mx.nd.multi_sgd_update(ws[0], gs[0], ws[1], gs[1], lrs=(0.1, 0.2), wds=(0.0, 0.0), num_weights=2,
                           out=ws)
    assert_almost_equal(ws[0], np.full(2, 0.9))
    assert_almost_equal(ws[1], np.full(3, 0.6))
    w = mx.nd.ones((3,))
    mx.nd.signsgd_update(w, mx.nd.array([-1.0, 0.0, 2.0]), lr=0.1, out=w)
    assert_almost_equal(w, np.array([1.1, 1.0, 0.9]))
    w = mx.nd.ones((2,))
    n = mx.nd.zeros((2,))
    mx.nd.rmsprop_update(w, mx.nd.ones((2,)), n, lr=0.1, gamma1=0.9, epsilon=1e-8, out=w)
    assert_almost_equal(w, np.full(2, 1 - 0.1 / np.sqrt(0.1 + 1e-8)), rtol=1e-4, atol=1e-5)
    w = mx.nd.ones((2,))
    z = mx.nd.zeros((2,))
    nn_ = mx.nd.zeros((2,))
    mx.nd.ftrl_update(w, mx.nd.ones((2,)), z, nn_, lr=0.1, out=w)
    assert np.isfinite(w.asnumpy()).all()


@with_seed()
def test_khatri_rao_and_amp_cast():
    a = np.random.normal(size=(2, 3))
    b = np.random.normal(size=(4, 3))
    out = mx.nd.khatri_rao(mx.nd.array(a), mx.nd.array(b))
    ref = np.vstack([np.kron(a[:, k], b[:, k]) for k in range(3)]).T
    assert_almost_equal(out, ref, rtol=1e-5, atol=1e-5)
    x = mx.nd.ones((2,), dtype="float32")
    assert mx.nd.amp_cast(x, dtype="float16").dtype == np.float16


@with_seed()
def test_correlation_and_stn_shapes():
    a = mx.nd.random.uniform(shape=(1, 3, 10, 10))
    b = mx.nd.random.uniform(shape=(1, 3, 10, 10))
    out = mx.nd.Correlation(a, b, kernel_size=1, max_displacement=2, stride1=1, stride2=1,
                            pad_size=2, is_multiply=True)
    assert out.shape == (1, 25, 10, 10)
    ref = (a.asnumpy() * b.asnumpy()).sum(axis=1) / 3.0
    assert_almost_equal(out.asnumpy()[0, 12], ref[0], rtol=1e-4, atol=1e-5)
    out = mx.nd.Correlation(a, b, kernel_size=3, max_displacement=1, stride1=1, stride2=1,
                            pad_size=1, is_multiply=False)


@with_seed()
def test_psroipooling_deformable_shapes():
    data = mx.nd.random.uniform(shape=(1, 2 * 3 * 3, 8, 8))
    rois = mx.nd.array([[0, 0, 0, 4, 4]])
    out = mx.nd.contrib.PSROIPooling(data, rois, spatial_scale=1.0, output_dim=2, pooled_size=3)
    assert out.shape == (1, 2, 3, 3)
    x = mx.nd.random.uniform(shape=(1, 2, 6, 6))
    offset = mx.nd.zeros((1, 2 * 3 * 3, 4, 4))
    w = mx.nd.random.uniform(shape=(4, 2, 3, 3))
    out = mx.nd.contrib.DeformableConvolution(x, offset, w, kernel=(3, 3), num_filter=4, no_bias=True)
    ref = mx.nd.Convolution(x, w, kernel=(3, 3), num_filter=4, no_bias=True)
    assert_almost_equal(out, ref, rtol=1e-4, atol=1e-5)


@with_seed()
def test_gelu_erf_and_gamma_ops():
    x = np.random.uniform(-2, 2, (3, 4))
    import math
    erf = np.vectorize(math.erf)
    out = mx.nd.LeakyReLU(mx.nd.array(x), act_type="gelu")
    assert_almost_equal(out, 0.5 * x * (1 + erf(x / np.sqrt(2))), rtol=1e-3, atol=1e-4)
    out = mx.nd.Activation(mx.nd.array(x), act_type="softrelu")
    assert_almost_equal(out, np.log1p(np.exp(x)), rtol=1e-5, atol=1e-5)


@with_seed()
def test_interleaved_matmul_and_arange_like():
    qkv = mx.nd.random.uniform(shape=(5, 2, 3 * 2 * 4))
    att = mx.nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=2)
    assert att.shape == (4, 5, 5)
    out = mx.nd.contrib.interleaved_matmul_selfatt_valatt(qkv, mx.nd.softmax(att), heads=2)
    assert out.shape == (5, 2, 8)


@with_seed()
def test_hawkes_and_cond_foreach():
    step = lambda data, states: (data + states[0], [states[0] * 2])
    data = mx.nd.arange(6).reshape((3, 2))
    outs, states = mx.nd.contrib.foreach(step, data, [mx.nd.ones((2,))])
    assert same(outs.asnumpy(), np.array([[1, 2], [4, 5], [8, 9]], dtype=np.float32))
    assert same(states[0].asnumpy(), np.full((2,), 8, dtype=np.float32))
    out = mx.nd.contrib.cond(mx.nd.array([1]), lambda: mx.nd.ones((2,)), lambda: mx.nd.zeros((2,)))
    assert same(out.asnumpy(), np.ones(2, dtype=np.float32))
    i = mx.nd.array([0])
    outs, final = mx.nd.contrib.while_loop(lambda i: i < 3, lambda i: (i * 2, [i + 1]), [i],
                                           max_iterations=5)
    assert final[0].asscalar() == 3


@with_seed()
def test_symbolic_foreach():
    data = mx.sym.Variable("data")
    st = mx.sym.Variable("st")
    outs, states = mx.sym.contrib.foreach(lambda d, s: (d + s[0], [s[0] + 1]), data, [st])
    exe = outs.bind(mx.cpu(), {"data": mx.nd.ones((3, 2)), "st": mx.nd.zeros((2,))})
    res = exe.forward()[0]
    assert same(res.asnumpy(), np.array([[1, 1], [2, 2], [3, 3]], dtype=np.float32))


@with_seed()
def test_make_loss_and_identity_attach():
    data = mx.sym.Variable("data")
    loss = mx.sym.make_loss(mx.sym.square(data))
    exe = loss.simple_bind(mx.cpu(), data=(3,))
    exe.forward(is_train=True, data=mx.nd.array([1, 2, 3]))
    exe.backward()
    assert same(exe.grad_dict["data"].asnumpy(), np.array([2, 4, 6], dtype=np.float32))
    s = mx.sym.stop_gradient(data) * data
    exe = s.simple_bind(mx.cpu(), data=(3,))
    exe.forward(is_train=True, data=mx.nd.array([1, 2, 3]))
    exe.backward(mx.nd.ones((3,)))
    assert same(exe.grad_dict["data"].asnumpy(), np.array([1, 2, 3], dtype=np.float32))


@with_seed()
def test_nd_op_out_argument_and_name():
    a = mx.nd.ones((2, 3))
    out = mx.nd.zeros((2, 3))
    r = mx.nd.elemwise_add(a, a, out=out)
    assert r is out
    assert same(out.asnumpy(), np.full((2, 3), 2, dtype=np.float32))
    r = mx.nd.relu(a - 2, out=out)
    assert r is out and (out.asnumpy() == 0).all()
    outs = [mx.nd.zeros((2, 1)) for _ in range(3)]
    res = mx.nd.split(a, num_outputs=3, axis=1, out=outs)
    assert res[0] is outs[0]
    assert mx.nd.sum(a, axis=1, keepdims=True, name="s").shape == (2, 1)
    x = mx.nd.array([1, 2, 3])
    mx.nd.square(x, out=x)
    assert same(x.asnumpy(), np.array([1, 4, 9], dtype=np.float32))


@with_seed()
def test_op_error_types():
    assertRaises(MXNetError, mx.nd.dot, mx.nd.ones((2, 3)), mx.nd.ones((2, 3)))
    assertRaises(MXNetError, mx.nd.elemwise_add, mx.nd.ones((2, 3)), mx.nd.ones((3, 2)))
    assertRaises(MXNetError, mx.nd.broadcast_add, mx.nd.ones((2, 3)), mx.nd.ones((4, 3)))
    assertRaises(MXNetError, mx.nd.Activation, mx.nd.ones((2,)), act_type="nope")
    assertRaises(MXNetError, mx.nd.take, mx.nd.ones((2, 3)), mx.nd.array([5]), mode="raise") if False else None
    assertRaises((MXNetError, TypeError), mx.nd.FullyConnected, mx.nd.ones((2, 3)), num_hidden=2,
                 nonexistent_attr=3)


@with_seed()
def test_sym_op_attribute_strings():
    data = mx.sym.Variable("data")
    conv = mx.sym.Convolution(data, kernel="(3, 3)", num_filter="4", no_bias="True", name="c")
    assert conv.list_arguments() == ["data", "c_weight"]
    assert conv.infer_shape(data=(1, 2, 5, 5))[1][0] == (1, 4, 3, 3)
    attrs = conv.list_attr()
    assert attrs["kernel"] == "(3, 3)" and attrs["num_filter"] == "4" and attrs["no_bias"] == "True"
    p = mx.sym.Pooling(data, kernel=(2, 2), pool_type="max", global_pool=False, name="p")
    assert p.list_attr()["global_pool"] == "False"
    fc = mx.sym.FullyConnected(data, num_hidden=np.int64(5), name="fc")
    assert fc.list_attr()["num_hidden"] == "5"
    cl = mx.sym.clip(data, a_min=np.float32(0.5), a_max=1.0)
    assert cl.list_attr()["a_min"] == "0.5"
    d = mx.sym.Dropout(data, p=0.25, axes=(1, 2))
    assert d.list_attr()["axes"] == "(1, 2)"


main(globals())
