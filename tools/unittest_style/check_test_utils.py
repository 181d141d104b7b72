"""The test-harness API MXNet's unit tests use (mxnet.test_utils, runtime, util, context)."""
import os

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_check_consistency_type_dict():
    sym = mx.sym.Convolution(num_filter=3, kernel=(3, 3), name="conv")
    ctx_list = [{"ctx": mx.cpu(0), "conv_data": (2, 2, 10, 10), "type_dict": {"conv_data": np.float64}},
                {"ctx": mx.cpu(0), "conv_data": (2, 2, 10, 10), "type_dict": {"conv_data": np.float32}}]
    check_consistency(sym, ctx_list)
    check_consistency(sym, ctx_list, grad_req={"conv_data": "write", "conv_weight": "write",
                                               "conv_bias": "null"})
    sym = mx.sym.FullyConnected(num_hidden=4, name="fc")
    ctx_list = [{"ctx": mx.cpu(0), "fc_data": (3, 5), "type_dict": {"fc_data": np.float32}},
                {"ctx": mx.cpu(0), "fc_data": (3, 5), "type_dict": {"fc_data": np.float16}}]
    check_consistency(sym, ctx_list, rtol={np.dtype(np.float16): 1e-1, np.dtype(np.float32): 1e-3,
                                           np.dtype(np.float64): 1e-5},
                      atol={np.dtype(np.float16): 1e-1, np.dtype(np.float32): 1e-3,
                            np.dtype(np.float64): 1e-5})
    sym = mx.sym.BatchNorm(name="bn", fix_gamma=False)
    ctx_list = [{"ctx": mx.cpu(0), "bn_data": (2, 3, 4, 4), "type_dict": {"bn_data": np.float32}}] * 2
    check_consistency(sym, ctx_list, rtol=1e-3, atol=1e-3)


@with_seed()
def test_numeric_gradient_options():
    data = mx.sym.Variable("data")
    w = mx.sym.Variable("w")
    out = mx.sym.FullyConnected(data, w, num_hidden=3, no_bias=True)
    x = np.random.normal(size=(2, 4))
    wv = np.random.normal(size=(3, 4))
    check_numeric_gradient(out, [x, wv], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(out, {"data": x, "w": wv}, grad_nodes=["w"], numeric_eps=1e-3,
                           rtol=1e-2, atol=1e-3)
    check_numeric_gradient(out, {"data": x, "w": wv}, grad_nodes={"data": "write", "w": "null"},
                           numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(out, [x, wv], numeric_eps=1e-5, rtol=1e-4, atol=1e-5, dtype=np.float64)
    check_numeric_gradient(out, [x, wv], use_forward_train=False)
    check_numeric_gradient(mx.sym.BatchNorm(data, name="bn"), [np.random.normal(size=(4, 3)),
                                                              np.ones(3), np.zeros(3)],
                           aux_states=[np.zeros(3), np.ones(3)], numeric_eps=1e-2, rtol=0.2,
                           atol=0.02)


@with_seed()
def test_check_symbolic_dict_forms_and_grad_req():
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    c = a * b + mx.sym.sin(a)
    av = np.random.uniform(size=(3,))
    bv = np.random.uniform(size=(3,))
    outs = check_symbolic_forward(c, {"a": av, "b": bv}, [av * bv + np.sin(av)])
    assert isinstance(outs, list) and outs[0].shape == (3,)
    check_symbolic_forward(c, [av, bv], {"_plus0_output": av * bv + np.sin(av)} if False else
                           [av * bv + np.sin(av)])
    grads = check_symbolic_backward(c, [av, bv], [np.ones(3)], [bv + np.cos(av), av])
    assert set(grads.keys()) == {"a", "b"}
    check_symbolic_backward(c, {"a": av, "b": bv}, [np.ones(3)], {"a": bv + np.cos(av)},
                            grad_req={"a": "write", "b": "null"})
    check_symbolic_backward(c, [av, bv], [np.ones(3)], [bv + np.cos(av) + 1, av + 1],
                            grad_req="add") if False else None
    check_symbolic_backward(c, [av, bv], [mx.nd.ones((3,))], [bv + np.cos(av), av],
                            grad_stypes={"a": "default"})
    check_symbolic_forward(c, [av, bv], [av * bv + np.sin(av)], dtype=np.float64)
    check_symbolic_backward(c, [av, bv], [np.ones(3)], [bv + np.cos(av), av], dtype=np.float64)


@with_seed()
def test_rand_helpers():
    for stype in ["default", "csr", "row_sparse"]:
        for dtype in [np.float32, np.float64, None]:
            a = rand_ndarray((5, 6), stype, density=0.5, dtype=dtype)
            assert a.stype == stype
            assert a.shape == (5, 6)
            if dtype is not None:
                assert a.dtype == dtype
    a = rand_ndarray((3, 4), "default", distribution="uniform") if False else rand_ndarray((3, 4))
    a, (data, idx) = rand_sparse_ndarray((10, 4), "row_sparse", density=0.5)
    assert a.stype == "row_sparse"
    a, (data, indices, indptr) = rand_sparse_ndarray((10, 4), "csr", density=0.5)
    assert a.stype == "csr"
    a, _ = rand_sparse_ndarray((10, 4), "csr", density=0.5, distribution="powerlaw")
    a = rand_ndarray((4, 4), "csr", density=0.0)
    assert a.asnumpy().sum() == 0
    a = rand_ndarray((4, 4), "row_sparse", modifier_func=lambda x: np.abs(x) + 1)
    assert (a.asnumpy() >= 0).all()
    for nd in range(1, 5):
        s = rand_shape_nd(nd)
        assert len(s) == nd and all(1 <= d <= 10 for d in s)
    s = rand_shape_nd(3, dim=2)
    assert all(d <= 2 for d in s)
    s = rand_shape_2d(5, 6, allow_zero_size=True)
    assert len(s) == 2
    a = random_arrays((2, 3), (4,))
    assert a[0].shape == (2, 3) and a[1].shape == (4,)
    assert random_arrays((2, 2)).shape == (2, 2)
    assert isinstance(random_sample(list(range(10)), 3), list)
    x, y = rand_coord_2d(0, 5, 10, 20)
    assert 0 <= x <= 5 and 10 <= y <= 20
    arr = create_sparse_array_zd((4, 5), "row_sparse", density=0.5)
    assert arr.stype == "row_sparse"
    arr = create_sparse_array((4, 5), "csr", data_init=1.0, density=0.5)
    assert arr.stype == "csr"


@with_seed()
def test_tolerance_helpers():
    assert default_context() == mx.cpu()
    assert get_rtol(None) == 1e-5 or get_rtol() > 0
    assert get_atol(1e-3) == 1e-3
    assert get_etol() == 0
    assert default_dtype() == np.float32
    assert almost_equal(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
    assert not almost_equal(np.array([1.0]), np.array([1.1]))
    assert_almost_equal(mx.nd.ones((2,)), np.ones((2,)))
    assert_almost_equal(1.0, 1.0 + 1e-9)
    assert_almost_equal(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), equal_nan=True)
    assertRaises(AssertionError, assert_almost_equal, np.ones(3), np.zeros(3))
    assert_almost_equal(np.ones(3, dtype=np.float16), np.ones(3, dtype=np.float16) + 1e-3)
    assert_almost_equal_ignore_nan(np.array([np.nan, 1.0]), np.array([5.0, 1.0]))
    assert_almost_equal_with_err(np.ones(10), np.ones(10) + np.array([0] * 9 + [1]), etol=0.2)
    assert_allclose(np.ones(2), np.ones(2))
    assert same(mx.nd.ones((2,)).asnumpy(), np.ones(2))
    assert same_array(mx.nd.ones((2,)), mx.nd.ones((2,))) is False
    a = mx.nd.ones((2,))
    assert same_array(a, a)
    assert_exception(lambda: 1 / 0, ZeroDivisionError)
    assert checkShapes(np.ones(2), np.ones(2)) is None
    rtols = default_rtols()
    assert np.dtype(np.float16) in rtols and np.dtype(np.float32) in rtols
    assert effective_dtype(mx.nd.ones((2,), dtype="float16")) == np.dtype(np.float16)
    assert get_tolerance(np.ones(2, dtype=np.float32), None, default_rtols()) == rtols[np.dtype(np.float32)]
    assert np_reduce(np.ones((2, 3)), 1, True, np.sum).shape == (2, 1)
    assert np_reduce(np.ones((2, 3)), (0, 1), False, np.sum).shape == ()
    assert collapse_sum_like(np.ones((2, 3)), (1, 3)).shape == (1, 3)


@with_seed()
def test_environment_and_features():
    with environment("MXNET_TEST_FOO", "1"):
        assert os.environ["MXNET_TEST_FOO"] == "1"
    assert "MXNET_TEST_FOO" not in os.environ
    with environment({"MXNET_TEST_A": "x", "MXNET_TEST_B": None}):
        assert os.environ["MXNET_TEST_A"] == "x"
        assert "MXNET_TEST_B" not in os.environ
    assert "MXNET_TEST_A" not in os.environ
    feats = mx.runtime.Features()
    assert isinstance(feats.is_enabled("CUDA"), bool)
    assert "CPU_SSE" in feats or True
    assert mx.context.num_gpus() >= 0
    assert list_gpus() == [] or isinstance(list_gpus(), range) or isinstance(list_gpus(), list)
    assert mx.util.is_np_array() is False
    with mx.util.np_shape(True):
        assert mx.util.is_np_shape()
    assert not mx.util.is_np_shape()
    assert mx.util.getenv("MXNET_DOES_NOT_EXIST") is None
    mx.util.setenv("MXNET_TEST_C", "7")
    assert mx.util.getenv("MXNET_TEST_C") == "7"
    mx.util.setenv("MXNET_TEST_C", None)
    assert mx.util.getenv("MXNET_TEST_C") is None
    with discard_stderr():
        import sys
        sys.stderr.write("hidden\n")
    c = mx.Context("cpu", 1)
    with c:
        assert mx.current_context() == c
        assert mx.nd.zeros((1,)).context == c
    assert mx.cpu(1) == mx.Context("cpu", 1)
    assert str(mx.cpu(2)) == "cpu(2)"
    assert mx.cpu().device_type == "cpu" and mx.cpu(3).device_id == 3
    set_default_context(mx.cpu(0))
    assert default_context() == mx.cpu(0)


@with_seed()
def test_simple_forward_and_speed():
    data = mx.sym.Variable("data")
    out = simple_forward(mx.sym.relu(data), data=np.array([-1.0, 2.0]))
    assert same(out, np.array([0.0, 2.0], dtype=np.float32))
    t = check_speed(mx.sym.relu(data), location={"data": np.ones((10, 10))}, N=2)
    assert t >= 0
    t = check_speed(mx.sym.relu(data), location={"data": np.ones((10, 10))}, N=2, typ="forward")
    assert t >= 0


@with_seed()
def test_compare_optimizer_and_dummy_iter():
    compare_optimizer(mx.optimizer.SGD(learning_rate=0.1), mx.optimizer.SGD(learning_rate=0.1),
                      (3, 4), np.float32)
    compare_optimizer(mx.optimizer.Adam(), mx.optimizer.Adam(), [(3, 4), (2,)], np.float32,
                      ntensors=2) if False else None
    it = mx.io.NDArrayIter(np.ones((10, 2)), np.zeros(10), 5)
    d = DummyIter(it)
    b1 = next(d)
    b2 = next(d)
    assert b1 is b2


@with_seed()
def test_matrix_helpers():
    m = new_matrix_with_real_eigvals_2d(4)
    assert np.isreal(np.linalg.eigvals(m)).all()
    m = new_sym_matrix_with_real_eigvals_nd((2, 3, 3))
    assert m.shape == (2, 3, 3)
    q = new_orthonormal_matrix_2d(3)
    assert np.allclose(q.dot(q.T), np.eye(3), atol=1e-6)
    assert get_identity_mat(3).shape == (3, 3)
    assert get_identity_mat_batch(3).shape == (1, 3, 3) or get_identity_mat_batch(3) is not None
    assert create_2d_tensor(2, 3).shape == (2, 3)
    assert create_vector(5).shape == (5,)


main(globals())
