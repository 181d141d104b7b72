"""mx.test_utils: tolerances, comparisons, random data, gradient and symbol checks."""
import os
import threading

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import test_utils as tu
from mxtorch.base import MXNetError


def test_default_tolerances_are_mxnets():
    # MXNet 1.9.1 test_utils.default_rtols()/default_atols()
    assert tu.default_rtols()[np.dtype(np.float16)] == 1e-2
    assert tu.default_rtols()[np.dtype(np.float32)] == 1e-4
    assert tu.default_atols()[np.dtype(np.float32)] == 1e-3
    assert tu.default_atols()[np.dtype(np.float64)] == 1e-20
    assert tu.default_rtols()[np.dtype(np.int32)] == 0
    assert tu.get_rtol() == 1e-5 and tu.get_atol() == 1e-20
    assert tu.get_rtol(0.5) == 0.5 and tu.get_atol(dtype=np.float16) == 0.1
    assert tu.default_numeric_eps()[np.dtype(np.float32)] == 2.0 ** -9
    assert tu.get_tols(np.float16(1), np.ones(2, np.float32), None, None) == (1e-2, 1e-1)
    assert tu.get_tolerance(np.ones(1), {np.dtype(np.float64): 7.0}, tu.default_rtols()) == 7.0


def test_assert_almost_equal_passes_and_reports():
    tu.assert_almost_equal(mx.nd.ones((2,)), np.ones(2) + 1e-5)
    tu.assert_almost_equal(np.array([1.0, np.nan]), np.array([1.0, np.nan]), equal_nan=True)
    tu.assert_almost_equal(np.array([True, False]), np.array([True, False]))
    tu.assert_almost_equal(3, 3.0)
    with pytest.raises(AssertionError) as err:
        tu.assert_almost_equal(mx.nd.ones((2, 3)), np.ones((2, 3)) + [0, 0, 0.5],
                               names=("got", "want"))
    text = str(err.value)
    assert "Location of maximum error: (0, 2)" in text and "got=1.00000000" in text
    assert "want=1.50000000" in text and "2 of 6 elements" in text
    with pytest.raises(AssertionError):
        tu.assert_almost_equal(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    with pytest.raises(AssertionError, match="shape"):
        tu.assert_almost_equal(np.ones(2), np.ones((1, 2)), use_broadcast=False)
    tu.assert_almost_equal(np.ones(2), np.ones(2) * 1.01, rtol=0.1, atol=0)
    tu.assert_allclose(np.ones(2), np.ones(2))
    tu.assert_almost_equal_with_err(np.array([1.0, 2.0, 3.0, 9.0]), np.array([1, 2, 3, 4.0]),
                                    etol=0.3)
    with pytest.raises(AssertionError, match="error rate"):
        tu.assert_almost_equal_with_err(np.array([1.0, 9.0]), np.array([1.0, 4.0]), etol=0.3)
    tu.assert_almost_equal_ignore_nan(np.array([np.nan, 1.0]), np.array([5.0, 1.0]))


def test_small_predicates():
    assert tu.almost_equal(np.ones(2), np.ones(2))
    assert not tu.almost_equal(np.ones(2), np.ones(2) * 1.1)
    assert tu.same(mx.nd.ones(2), np.ones(2)) and not tu.same(np.ones(2), np.zeros(2))
    tu.assert_exception(lambda: 1 / 0, ZeroDivisionError)
    with pytest.raises(AssertionError):
        tu.assert_exception(lambda: 1, ZeroDivisionError)
    x = mx.nd.ones((3,))
    assert tu.same_array(x, x[:]) and not tu.same_array(x, x.copy())


def test_set_default_context_changes_current_context():
    try:
        tu.set_default_context(mx.cpu(2))
        assert mx.context.current_context() == mx.cpu(2)
        assert tu.default_context() == mx.cpu(2) and tu.default_device() == mx.cpu(2)
        assert mx.nd.ones(1).context == mx.cpu(2)
        seen = []
        worker = threading.Thread(target=lambda: seen.append(mx.context.current_context()))
        worker.start()
        worker.join()
        assert seen == [mx.cpu(0)]  # per thread, as in MXNet
        with mx.cpu(1):
            tu.set_default_device(mx.cpu(3))
            assert mx.context.current_context() == mx.cpu(3)
        assert mx.context.current_context() == mx.cpu(2)  # the with block restored it
    finally:
        tu.set_default_context(mx.cpu(0))
    assert mx.context.current_context() == mx.cpu(0)


def test_random_data_helpers():
    a, b = tu.random_arrays((2, 3), ())
    assert a.shape == (2, 3) and a.dtype == np.float32 and b.shape == ()
    assert len(tu.rand_shape_nd(4, dim=3)) == 4
    assert all(1 <= d <= 3 for d in tu.rand_shape_nd(4, dim=3))
    assert all(isinstance(d, int) for d in tu.rand_shape_2d() + tu.rand_shape_3d())
    assert tu.random_uniform_arrays((2,), low=5, high=6)[0].min() >= 5
    assert sorted(tu.random_sample([1, 2, 3], 3)) == [1, 2, 3]
    dense = tu.rand_ndarray((3, 4), dtype="float64")
    assert dense.dtype == np.float64 and dense.stype == "default"


def test_rand_ndarray_sparse():
    np.random.seed(3)
    csr = tu.rand_ndarray((10, 8), "csr", density=0.25)
    assert csr.stype == "csr" and csr.data.shape == (20,)
    rsp = tu.rand_ndarray((50, 3), "row_sparse", density=0.5)
    assert rsp.stype == "row_sparse" and 10 < rsp.indices.shape[0] < 40
    full, (values, rows) = tu.rand_sparse_ndarray((4, 2), "row_sparse", density=1)
    assert rows.tolist() == [0, 1, 2, 3] and np.allclose(full.asnumpy(), values)
    power = tu.rand_ndarray((5, 16), "csr", density=0.5, distribution="powerlaw")
    assert np.diff(power.indptr.asnumpy()).tolist() == [2, 4, 8, 16, 10]
    fixed = tu.rand_ndarray((4, 4), "csr", density=0.5, modifier_func=lambda x: 7)
    assert set(fixed.data.asnumpy().tolist()) == {7.0}


def test_numpy_helpers():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert np.array_equal(tu.np_reduce(x, (0, 2), True, np.sum), x.sum(axis=(0, 2), keepdims=True))
    assert np.array_equal(tu.np_reduce(x, 1, False, np.max), x.max(axis=1))
    assert np.array_equal(tu.collapse_sum_like(x, (3, 1)), x.sum(axis=(0, 2)).reshape(3, 1))
    assert tu.assign_each(np.array([1.0, 2.0]), lambda v: v * 3).tolist() == [3.0, 6.0]
    assert tu.effective_dtype(mx.nd.ones(1)) == np.dtype(np.float32)


def test_check_numeric_gradient_on_callables():
    np.random.seed(0)
    tu.check_numeric_gradient(lambda a, b: a * b + mx.nd.sin(a),
                              [np.random.rand(3, 4), np.random.rand(3, 4)])
    tu.check_numeric_gradient(lambda a: mx.nd.sum(a * a, axis=1), {"a": np.random.rand(3, 4)},
                              dtype=np.float64)
    # BlockGrad hides half the true gradient: the check must notice
    with pytest.raises(AssertionError, match="NUMERICAL_0"):
        tu.check_numeric_gradient(lambda a: mx.nd.BlockGrad(a) * a, [np.random.rand(3) + 1])


def test_check_numeric_gradient_on_symbols():
    np.random.seed(1)
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    s = mx.sym.broadcast_mul(x, mx.sym.sin(y))
    tu.check_numeric_gradient(s, [np.random.rand(2, 3), np.random.rand(2, 3)])
    tu.check_numeric_gradient(s, {"x": np.random.rand(2, 3), "y": np.random.rand(2, 3)},
                              grad_nodes={"x": "add", "y": "null"})
    with pytest.raises(ValueError, match="numeric_eps"):
        tu.check_numeric_gradient(s, [np.ones((1,)), np.ones((1,))], numeric_eps=1e-7)


def test_check_symbolic_forward_and_backward():
    np.random.seed(2)
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    s = mx.sym.broadcast_mul(x, mx.sym.sin(y))
    xv, yv, head = np.random.rand(2, 3), np.random.rand(2, 3), np.random.rand(2, 3)
    outs = tu.check_symbolic_forward(s, [xv, yv], [xv * np.sin(yv)])
    assert outs[0].shape == (2, 3)
    want = [head * np.sin(yv), head * xv * np.cos(yv)]
    tu.check_symbolic_backward(s, [xv, yv], [head], want)
    tu.check_symbolic_backward(s, {"x": xv, "y": yv}, [head],
                               {"x": want[0], "y": want[1]}, grad_req="add")
    with pytest.raises(AssertionError, match="EXPECTED_x"):
        tu.check_symbolic_backward(s, [xv, yv], [head], [want[0] + 1, want[1]])
    with pytest.raises(ValueError, match="do not match"):
        tu.check_symbolic_forward(s, {"x": xv}, [xv])
    assert tu.simple_forward(s, x=xv, y=yv).shape == (2, 3)


def test_check_consistency_between_dtypes():
    np.random.seed(4)
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    s = mx.sym.broadcast_mul(x, mx.sym.sin(y))
    specs = [{"ctx": mx.cpu(0), "x": (2, 3), "y": (2, 3),
              "type_dict": {"x": dtype, "y": dtype}} for dtype in (np.float64, np.float32)]
    truth = tu.check_consistency(s, specs)
    assert set(truth) >= {"x", "y"}
    assert tu.check_speed(s, x=(2, 3), y=(2, 3), N=2) > 0


def test_environment_sets_and_restores():
    os.environ.pop("MXT_TU_A", None)
    os.environ["MXT_TU_B"] = "keep"
    with tu.environment({"MXT_TU_A": "1", "MXT_TU_B": None}):
        assert os.environ["MXT_TU_A"] == "1" and "MXT_TU_B" not in os.environ
        with tu.environment("MXT_TU_A", "2"):
            assert os.environ["MXT_TU_A"] == "2"
        assert os.environ["MXT_TU_A"] == "1"
    assert "MXT_TU_A" not in os.environ and os.environ.pop("MXT_TU_B") == "keep"


def test_machine_and_data_helpers(monkeypatch):
    assert list(tu.list_gpus()) == list(range(mx.context.num_gpus()))
    monkeypatch.setenv("CD_JOB", "1")
    assert tu.is_cd_run()
    monkeypatch.setenv("CD_JOB", "0")
    assert not tu.is_cd_run()
    assert tu.is_op_runnable() and not tu.has_tvm_ops()
    with pytest.raises(MXNetError, match="could not fetch"):
        tu.download("file:///nonexistent/x.bin", dirname="/tmp", retries=0)


def test_retry_and_dummy_iter():
    calls = []

    @tu.retry(3)
    def flaky():
        calls.append(1)
        assert len(calls) >= 2

    flaky()
    assert len(calls) == 2

    class Source:
        provide_data, provide_label, batch_size = ["d"], ["l"], 4

        def __init__(self):
            self.batches = iter(["first", "second"])

        def __next__(self):
            return next(self.batches)

    dummy = tu.DummyIter(Source())
    assert next(dummy) == "first" and dummy.next() == "first" and dummy.batch_size == 4


def test_public_names_exist():
    for name in tu.__all__:
        assert hasattr(tu, name), name


def test_generator_statistics():
    from mxtorch._test_checks import _chi2_survival
    # chi-square upper tail probabilities from standard tables (scipy.stats.chi2.sf)
    assert abs(_chi2_survival(3.841458820694124, 1) - 0.05) < 1e-12
    assert abs(_chi2_survival(10.0, 4) - 0.0404276819945) < 1e-10
    assert abs(_chi2_survival(2.0, 5) - 0.8491450360846) < 1e-10
    np.random.seed(5)
    buckets, probs = tu.gen_buckets_probs_with_ppf(lambda q: q, 4)
    assert buckets[1] == (0.25, 0.5) and probs == [0.25] * 4
    p_values = tu.verify_generator(lambda n: np.random.uniform(size=n), buckets, probs,
                                   nsamples=20000, nrepeat=3)
    assert len(p_values) == 3
    with pytest.raises(AssertionError, match="Generator test fails"):
        tu.verify_generator(lambda n: np.random.uniform(size=n) ** 2, buckets, probs,
                            nsamples=20000, nrepeat=3)
    p, observed, expected = tu.chi_square_check(lambda n: np.random.randint(0, 3, size=n),
                                                [0, 1, 2], [1 / 3] * 3, nsamples=3000)
    assert observed.sum() == 3000 and expected.tolist() == [1000] * 3 and 0 <= p <= 1
    assert tu.mean_check(lambda n: np.random.normal(0, 1, size=n), 0, 1, nsamples=10000)
    assert not tu.mean_check(lambda n: np.random.normal(1, 1, size=n), 0, 1, nsamples=10000)
    assert tu.var_check(lambda n: np.random.normal(0, 2, size=n), 2, nsamples=10000)
