"""linalg, random and optimizer-update operators: behaviour the golden fixtures do not pin.

Numbers marked "oracle" were read off real MXNet 1.9.1 (~/mxref); the rest are closed forms or
numpy references of the documented formulas (each formula was checked against the oracle on
random inputs with and without clipping/weight decay).
"""
import math

import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.base import MXNetError

nd = mx.nd
N = 100_000


def arr(x, dtype="float32"):
    return nd.array(np.asarray(x), dtype=dtype)


# ============================================================================================
# seeding
# ============================================================================================

DRAWS = {
    "uniform": lambda: nd.random.uniform(-1, 2, shape=(50,)),
    "normal": lambda: nd.random.normal(1, 2, shape=(50,)),
    "gamma": lambda: nd.random.gamma(2, 3, shape=(50,)),
    "exponential": lambda: nd.random.exponential(2, shape=(50,)),
    "poisson": lambda: nd.random.poisson(4, shape=(50,)),
    "negative_binomial": lambda: nd.random.negative_binomial(3, 0.4, shape=(50,)),
    "generalized_negative_binomial": lambda: nd.random.generalized_negative_binomial(
        2, 0.5, shape=(50,)),
    "randint": lambda: nd.random.randint(0, 1000, shape=(50,)),
    "randn": lambda: nd.random.randn(50),
    "sample_normal": lambda: nd.random.normal(arr([0, 5]), arr([1, 2]), shape=25),
    "multinomial": lambda: nd.random.multinomial(arr([[0.1, 0.2, 0.7]] * 50)),
    "shuffle": lambda: nd.random.shuffle(nd.arange(50)),
    "uniform_like": lambda: nd.random.uniform_like(nd.zeros((50,))),
    "zipfian": lambda: nd._internal._sample_unique_zipfian(range_max=1000, shape=(2, 20))[0],
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_same_seed_same_numbers(name):
    mx.random.seed(42)
    first = DRAWS[name]().asnumpy()
    mx.random.seed(42)
    again = DRAWS[name]().asnumpy()
    mx.random.seed(43)
    other = DRAWS[name]().asnumpy()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_seed_cpu_context_only_reseeds_cpu():
    mx.random.seed(7, ctx=mx.cpu())
    a = nd.random.uniform(shape=(10,)).asnumpy()
    mx.random.seed(7, ctx=mx.cpu(0))
    b = nd.random.uniform(shape=(10,)).asnumpy()
    np.testing.assert_array_equal(a, b)


def test_seed_rejects_non_integers():
    with pytest.raises(MXNetError, match="seed_state must be an integer"):
        mx.random.seed(1.5)
    with pytest.raises(MXNetError, match="ctx must be a Context"):
        mx.random.seed(1, ctx="gpu0")


def test_mx_random_reexports_helpers():
    for name in ("uniform", "normal", "randn", "poisson", "exponential", "gamma", "multinomial",
                 "negative_binomial", "generalized_negative_binomial", "shuffle", "randint",
                 "seed"):
        assert callable(getattr(mx.random, name))
    assert mx.random.uniform is nd.random.uniform


# ============================================================================================
# moments: mean and variance within a few standard errors
# ============================================================================================


def _check_moments(x, mean, var, z=5.0):
    x = np.asarray(x, dtype=np.float64).ravel()
    n = x.size
    assert abs(x.mean() - mean) < z * math.sqrt(var / n), (x.mean(), mean)
    # the sample variance has relative standard error ~ sqrt(2/n) (more for heavy tails)
    assert abs(x.var() / var - 1) < z * math.sqrt((2 + 6) / n), (x.var(), var)


def _nb_moments(k, p):
    return k * (1 - p) / p, k * (1 - p) / p ** 2


MOMENTS = [  # name, helper kwargs, mean, variance
    ("uniform", dict(low=-1.0, high=3.0), 1.0, 16 / 12),
    ("normal", dict(loc=2.0, scale=3.0), 2.0, 9.0),
    ("gamma", dict(alpha=2.5, beta=2.0), 5.0, 10.0),
    ("gamma", dict(alpha=0.5, beta=1.0), 0.5, 0.5),
    ("exponential", dict(scale=2.0), 2.0, 4.0),
    ("poisson", dict(lam=4.0), 4.0, 4.0),
    ("negative_binomial", dict(k=3, p=0.4), *_nb_moments(3, 0.4)),
    ("generalized_negative_binomial", dict(mu=2.0, alpha=0.5), 2.0, 2.0 + 0.5 * 4.0),
    ("generalized_negative_binomial", dict(mu=3.0, alpha=0.0), 3.0, 3.0),
]


@pytest.mark.parametrize("name,kwargs,mean,var", MOMENTS)
def test_scalar_parameter_moments(name, kwargs, mean, var):
    mx.random.seed(1234)
    x = getattr(nd.random, name)(shape=(N,), **kwargs)
    assert x.shape == (N,) and x.dtype == np.float32
    _check_moments(x.asnumpy(), mean, var)


SAMPLE_MOMENTS = [  # name, parameter arrays, mean(params), var(params)
    ("uniform", ([0.0, -2.0], [1.0, 2.0]), lambda lo, hi: (lo + hi) / 2,
     lambda lo, hi: (hi - lo) ** 2 / 12),
    ("normal", ([0.0, 5.0], [1.0, 0.5]), lambda m, s: m, lambda m, s: s * s),
    ("gamma", ([2.0, 0.7], [0.5, 3.0]), lambda a, b: a * b, lambda a, b: a * b * b),
    ("exponential", ([1.0, 0.25],), lambda s: s, lambda s: s * s),
    ("poisson", ([1.5, 10.0],), lambda lam: lam, lambda lam: lam),
    ("negative_binomial", ([2.0, 5.0], [0.5, 0.8]), lambda k, p: _nb_moments(k, p)[0],
     lambda k, p: _nb_moments(k, p)[1]),
    ("generalized_negative_binomial", ([1.0, 4.0], [0.3, 1.0]), lambda m, a: m,
     lambda m, a: m + a * m * m),
]


@pytest.mark.parametrize("name,params,mean,var", SAMPLE_MOMENTS)
def test_per_element_parameter_moments(name, params, mean, var):
    mx.random.seed(99)
    x = getattr(nd.random, name)(*[arr(p) for p in params], shape=(N // 2,))
    assert x.shape == (2, N // 2) and x.dtype == np.float32
    for row in range(2):
        values = [p[row] for p in params]
        _check_moments(x[row].asnumpy(), mean(*values), var(*values))


def test_randint_moments_and_range():
    mx.random.seed(5)
    x = nd.random.randint(-3, 7, shape=(N,)).asnumpy()
    assert x.dtype == np.int32 and x.min() == -3 and x.max() == 6
    _check_moments(x, 1.5, (10 ** 2 - 1) / 12)


def test_multinomial_frequencies_and_log_prob():
    mx.random.seed(3)
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]], np.float32)
    idx, logp = nd.random.multinomial(arr(probs), shape=(N // 2,), get_prob=True)
    assert idx.shape == (2, N // 2) and idx.dtype == np.int32 and logp.dtype == np.float32
    for row in range(2):
        freq = np.bincount(idx[row].asnumpy(), minlength=3) / (N // 2)
        se = np.sqrt(probs[row] * (1 - probs[row]) / (N // 2))
        assert np.all(np.abs(freq - probs[row]) < 5 * se)
    np.testing.assert_allclose(logp.asnumpy(), np.log(probs[np.arange(2)[:, None],
                                                             idx.asnumpy()]), rtol=1e-6)


def test_unique_zipfian_distribution():
    # MXNet rounds exp(u * log(range_max + 1)) - 1, so P(0) = log(1.5) / log(101) for
    # range_max=100 (oracle first-draw frequencies: 0.0877, 0.1100, 0.0733 for classes 0..2).
    mx.random.seed(11)
    samples, tries = nd._internal._sample_unique_zipfian(range_max=100, shape=(20000, 1))
    assert samples.dtype == np.int64 and tries.dtype == np.int64 and tries.shape == (20000,)
    freq = np.bincount(samples.asnumpy().ravel(), minlength=100)[:3] / 20000
    want = [math.log(1.5) / math.log(101), math.log(2.5 / 1.5) / math.log(101),
            math.log(3.5 / 2.5) / math.log(101)]
    assert np.all(np.abs(freq - want) < 5 * np.sqrt(np.array(want) / 20000))
    samples, tries = nd._internal._sample_unique_zipfian(range_max=50, shape=(3, 20))
    for row, count in zip(samples.asnumpy(), tries.asnumpy()):
        assert len(set(row)) == 20 and row.min() >= 0 and row.max() < 50 and count >= 20


def test_shuffle_permutes_rows():
    mx.random.seed(2)
    x = nd.arange(20).reshape((10, 2))
    y = nd.random.shuffle(x).asnumpy()
    assert sorted(y[:, 0].tolist()) == list(range(0, 20, 2))
    np.testing.assert_array_equal(y[:, 1], y[:, 0] + 1)
    assert not np.array_equal(y, x.asnumpy())


# ============================================================================================
# nd.random helpers: shapes, dtypes, dispatch, errors
# ============================================================================================


def test_helper_shapes_and_dtypes():
    assert nd.random.uniform().shape == (1,)
    assert nd.random.normal(shape=(2, 3), dtype="float64").dtype == np.float64
    assert nd.random.gamma(shape=4, dtype=np.float16).dtype == np.float16
    assert nd.random.randint(0, 5, shape=(3,), dtype="int64").dtype == np.int64
    assert nd.random.randn(2, 3, 4).shape == (2, 3, 4)
    with pytest.raises(mx.base.MXNetError, match="scale"):  # MXNet 1.9.1: scale > 0 at read
        nd.random.randn(3, loc=10.0, scale=0.0).asnumpy()
    assert nd.random.exponential(arr([1.0, 2.0]), shape=(3, 4)).shape == (2, 3, 4)
    assert nd.random.poisson(arr([[1.0, 2.0]])).shape == (1, 2)
    like = nd.random.normal_like(nd.zeros((2, 5), dtype="float64"), loc=1.0)
    assert like.shape == (2, 5) and like.dtype == np.float64
    # per-element samplers are float32 whatever the parameter dtype (as MXNet)
    assert nd.random.uniform(arr([0.0], "float64"), arr([1.0], "float64")).dtype == np.float32


def test_helper_fills_out_and_context():
    out = nd.zeros((4, 2), dtype="float64")
    res = nd.random.uniform(5, 6, out=out)
    assert res is out and out.dtype == np.float64
    assert np.all((out.asnumpy() >= 5) & (out.asnumpy() < 6))
    x = nd.random.normal(0, 1, shape=(2,), ctx=mx.cpu(1))
    assert x.context == mx.cpu(1)


def test_generated_ops_and_aliases():
    assert nd.uniform(low=0, high=1, shape=(2, 2)).shape == (2, 2)
    assert nd.random_normal(shape=(3,)).shape == (3,)
    assert nd.sample_gamma(arr([1.0, 2.0]), arr([1.0, 1.0]), shape=(5,)).shape == (2, 5)
    assert nd.sample_multinomial(arr([[0.5, 0.5]]), dtype="float32").dtype == np.float32
    assert nd.random_uniform(low=0, high=1, shape="(2, 3)", dtype="None").shape == (2, 3)
    assert nd.random_randint(low=0, high=3, shape=(2,)).dtype == np.int32


def test_random_errors():
    with pytest.raises(MXNetError, match="all be of one kind"):
        nd.random.uniform(arr([0.0]), 1.0)
    with pytest.raises(MXNetError, match="NDArrays or numbers"):
        nd.random.normal("0", 1.0)
    with pytest.raises(MXNetError, match="parameters must be numbers"):
        nd.random.randint(arr([0.0]), arr([5.0]))
    with pytest.raises(MXNetError, match="high .* must be greater"):
        nd.random.randint(5, 5, shape=(2,))
    with pytest.raises(MXNetError, match="'high' has shape"):
        nd.sample_uniform(arr([0.0, 1.0]), arr([1.0]))
    with pytest.raises(MXNetError, match="dtype"):
        nd.random.uniform(shape=(2,), dtype="int32")


# ============================================================================================
# densities (values and gradients from the oracle)
# ============================================================================================


def _pdf_grads(name, sample, *params, is_log=False):
    arrays = [arr(sample)] + [arr(p) for p in params]
    for a in arrays:
        a.attach_grad()
    with mx.autograd.record():
        y = getattr(nd, "random_pdf_" + name)(*arrays, is_log=is_log)
    y.backward()
    return [y.asnumpy()] + [a.grad.asnumpy() for a in arrays]


def test_pdf_values_and_gradients_match_oracle():
    got = _pdf_grads("gamma", [[0.5, 2.0], [1.0, 3.0]], [2.0, 3.0], [1.5, 0.5], is_log=True)
    want = [[[-0.63221699, -1.49592268], [-3.27258873, -2.07536411]],
            [[0.5, -1.0], [1.5, 0.16666669]], [-0.03463846, -2.13325071], [0.16666675, 8.0]]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    got = _pdf_grads("negative_binomial", [[1.0, 2.0], [0.0, 3.0]], [2.0, 3.0], [0.3, 0.6])
    want = [[[0.126, 0.1323], [0.216, 0.13824]], np.zeros((2, 2)), [-0.13773617, -0.07266684],
            [1.164, 0.73440015]]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    got = _pdf_grads("dirichlet", [[[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]], [[1.0, 2.0, 3.0]])
    want = [[[4.5, 3.84]], [[[0.0, 15.0, 18.0], [0.0, 38.4, 9.6]]],
            [[2.95860434, -3.55680227, 2.55696821]]]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


def test_pdf_closed_forms():
    x = np.array([[0.5, 1.0, 2.0]])
    normal = nd.random_pdf_normal(arr(x), arr([1.0]), arr([2.0])).asnumpy()
    np.testing.assert_allclose(normal, np.exp(-(x - 1) ** 2 / 8) / (2 * np.sqrt(2 * np.pi)),
                               rtol=1e-6)
    expo = nd.random_pdf_exponential(arr(x), arr([1.5]), is_log=True).asnumpy()
    np.testing.assert_allclose(expo, np.log(1.5) - 1.5 * x, rtol=1e-6)
    k = np.array([[0.0, 1.0, 4.0]])
    poisson = nd.random_pdf_poisson(arr(k), arr([2.0])).asnumpy()
    np.testing.assert_allclose(poisson, [[np.exp(-2), 2 * np.exp(-2), 16 / 24 * np.exp(-2)]],
                               rtol=1e-6)
    # generalized NB(mu, alpha) is NB(k=1/alpha, p=1/(1+alpha*mu))
    gnb = nd.random_pdf_generalized_negative_binomial(arr(k), arr([2.0]), arr([0.25]))
    kk, p = 4.0, 1 / 1.5
    want = [math.exp(math.lgamma(x + kk) - math.lgamma(kk) - math.lgamma(x + 1)
                     + kk * math.log(p) + x * math.log(1 - p)) for x in k[0]]
    np.testing.assert_allclose(gnb.asnumpy(), [want], rtol=1e-5)


def test_pdf_uniform_is_zero_outside_support():
    # NOTE: MXNet returns 1/(high-low) everywhere (see compat/linalg_random_update.md).
    x = arr([[-0.5, 0.5, 1.5, 2.5]])
    np.testing.assert_allclose(nd.random_pdf_uniform(x, arr([0.0]), arr([2.0])).asnumpy(),
                               [[0.0, 0.5, 0.5, 0.0]])
    logp = nd.random_pdf_uniform(x, arr([0.0]), arr([2.0]), is_log=True).asnumpy()
    assert np.isneginf(logp[0, 0]) and logp[0, 1] == pytest.approx(-math.log(2))


def test_pdf_shape_error():
    with pytest.raises(MXNetError, match="leading dimensions"):
        nd.random_pdf_normal(arr([[0.0, 1.0]]), arr([0.0, 1.0]), arr([1.0, 1.0]))


def test_samples_carry_no_gradient():
    mu = arr([1.0, 2.0])
    mu.attach_grad()
    with mx.autograd.record():
        y = nd.sample_normal(mu, arr([1.0, 1.0]), shape=(3,))
    y.backward()
    assert mu.grad.asnumpy().tolist() == [0.0, 0.0]  # oracle: zeros


# ============================================================================================
# linalg: gradcheck in float64 through mx.nd, edge cases, errors
# ============================================================================================


def _through_nd(fn):
    """A torch function running ``fn`` on NDArrays under autograd.record()."""
    def run(*tensors):
        with mx.autograd.record():
            out = fn(*[nd.from_torch(t) for t in tensors])
        outs = out if isinstance(out, (list, tuple)) else [out]
        return tuple(o.to_torch() for o in outs)
    return run


def _spd(n, batch=()):
    a = torch.randn(*batch, n, n, dtype=torch.float64)
    return a @ a.transpose(-1, -2) + n * torch.eye(n, dtype=torch.float64)


def _lower(n, batch=()):
    return torch.tril(torch.randn(*batch, n, n, dtype=torch.float64)) + 3 * torch.eye(
        n, dtype=torch.float64)


GRADCHECKS = {
    "gemm": (lambda a, b, c: nd.linalg.gemm(a, b, c, transpose_b=True, alpha=0.7, beta=1.3),
             lambda: ((2, 3, 4), (2, 5, 4), (2, 3, 5))),
    "gemm2_axis": (lambda a, b: nd.linalg.gemm2(a, b, axis=1), lambda: ((2, 3, 4, 5), (2, 5, 4, 2))),
    "trsm": (lambda a, b: nd.linalg.trsm(a, b, transpose=True, alpha=2.0), None),
    "trmm": (lambda a, b: nd.linalg.trmm(a, b, rightside=True, lower=False), None),
    "syrk": (lambda a: nd.linalg.syrk(a, transpose=True, alpha=0.5), lambda: ((2, 3, 4),)),
    "potri": (lambda a: nd.linalg.potri(a), None),
    "inverse": (lambda a: nd.linalg.inverse(a), None),
    "det": (lambda a: nd.linalg.det(a), None),
    "slogdet": (lambda a: nd.linalg.slogdet(a)[1], None),
    "sumlogdiag": (lambda a: nd.linalg.sumlogdiag(a), None),
    "gelqf": (lambda a: nd.linalg.gelqf(a), lambda: ((2, 3, 5),)),
    "maketrian": (lambda a: nd.linalg.maketrian(a, offset=-1), lambda: ((2, 6),)),
    "extracttrian": (lambda a: nd.linalg.extracttrian(a, lower=False), lambda: ((2, 4, 4),)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_linalg_gradcheck(name):
    fn, shapes = GRADCHECKS[name]
    torch.manual_seed(0)
    if shapes is None:
        inputs = [_lower(3, (2,)) if name in ("trsm", "trmm", "potri") else _spd(3, (2,))]
        if name in ("trsm", "trmm"):
            inputs.append(torch.randn(2, 4, 3, dtype=torch.float64) if name == "trmm"
                          else torch.randn(2, 3, 4, dtype=torch.float64))
    else:
        inputs = [torch.randn(*s, dtype=torch.float64) for s in shapes()]
    inputs = [t.requires_grad_() for t in inputs]
    assert torch.autograd.gradcheck(_through_nd(fn), inputs, eps=1e-6, atol=1e-5)


def test_potrf_gradcheck_along_symmetric_directions():
    # potrf reads only the lower triangle, so probe it through a symmetric parametrisation.
    torch.manual_seed(1)
    base = _spd(3)
    x = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)

    def fn(t):
        a = base + 0.1 * (t + t.transpose(-1, -2))
        with mx.autograd.record():
            return nd.linalg.potrf(nd.from_torch(a)).to_torch()
    assert torch.autograd.gradcheck(fn, [x], eps=1e-6, atol=1e-5)


def test_potrf_gradient_is_symmetric():
    a = nd.array(_spd(3).numpy(), dtype="float64")
    a.attach_grad()
    with mx.autograd.record():
        y = nd.linalg.potrf(a)
    y.backward(nd.array(np.arange(9.0).reshape(3, 3), dtype="float64"))
    g = a.grad.asnumpy()
    np.testing.assert_allclose(g, g.T, atol=1e-12)


def test_linalg_single_matrix_results_have_shape_one():
    a = arr(_spd(3).numpy())
    assert nd.linalg.det(a).shape == (1,)
    assert [x.shape for x in nd.linalg.slogdet(a)] == [(1,), (1,)]
    assert nd.linalg.sumlogdiag(a).shape == (1,)
    assert nd.linalg.det(arr(_spd(3, (4,)).numpy())).shape == (4,)


def test_syevd_sign_convention_and_reconstruction():
    a = _spd(4).numpy()
    u, lam = nd.linalg.syevd(arr(a, "float64"))
    u, lam = u.asnumpy(), lam.asnumpy()
    np.testing.assert_allclose(u.T @ np.diag(lam) @ u, a, atol=1e-10)
    assert np.all(np.diff(lam) >= 0)
    # each eigenvector's largest-magnitude entry is positive (matches the oracle on 20 cases)
    assert np.all(u[np.arange(4), np.abs(u).argmax(axis=1)] > 0)


def test_triangle_storage_order():
    # oracle: lower triangles row by row, upper triangles column by column
    m = nd.arange(16).reshape((4, 4))
    assert nd.linalg.extracttrian(m, offset=-1).asnumpy().tolist() == [4, 8, 9, 12, 13, 14]
    assert nd.linalg.extracttrian(m, offset=1).asnumpy().tolist() == [1, 2, 6, 3, 7, 11]
    assert nd.linalg.maketrian(nd.arange(1, 7), lower=False).asnumpy().tolist() == \
        [[1, 2, 4], [0, 3, 5], [0, 0, 6]]
    v = nd.arange(1, 7)
    back = nd.linalg.extracttrian(nd.linalg.maketrian(v, offset=-1), offset=-1)
    assert back.asnumpy().tolist() == v.asnumpy().tolist()


def test_linalg_errors():
    with pytest.raises(MXNetError, match="square"):
        nd.linalg.inverse(nd.ones((2, 3)))
    with pytest.raises(MXNetError, match="float32 or float64"):
        nd.linalg.det(nd.ones((2, 2), dtype="int32"))
    with pytest.raises(MXNetError, match="not positive definite"):
        nd.linalg.potrf(arr([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(MXNetError, match="triangular number"):
        nd.linalg.maketrian(nd.ones((4,)))
    with pytest.raises(MXNetError, match="at most as many rows"):
        nd.linalg.gelqf(nd.ones((3, 2)))
    with pytest.raises(MXNetError, match="offset 3 is outside"):
        nd.linalg.extractdiag(nd.ones((3, 3)), offset=3)


# ============================================================================================
# update kernels
# ============================================================================================

RS = np.random.RandomState(0)


def _rand(*shape, positive=False):
    x = RS.randn(*shape).astype(np.float32)
    return np.abs(x) + 0.2 if positive else x


def test_update_returns_new_weight_and_keeps_input():
    w, g, m = _rand(3, 4), _rand(3, 4), _rand(3, 4)
    W, G, M = arr(w), arr(g), arr(m)
    out = nd.sgd_mom_update(W, G, M, lr=0.1, momentum=0.9, wd=0.01)
    np.testing.assert_array_equal(W.asnumpy(), w)          # weight untouched without out=
    mom = 0.9 * m - 0.1 * 0.01 * w - 0.1 * g
    np.testing.assert_allclose(M.asnumpy(), mom, rtol=1e-5)  # state updated in place
    np.testing.assert_allclose(out.asnumpy(), w + mom, rtol=1e-5)
    res = nd.sgd_mom_update(W, G, M, out=W, lr=0.1, momentum=0.9)
    assert res is W


def test_update_is_never_recorded():
    W = arr(_rand(4))
    W.attach_grad()
    G, M = arr(_rand(4)), arr(np.zeros(4, np.float32))
    with mx.autograd.record():
        out = nd.sgd_mom_update(W, G, M, lr=0.1, momentum=0.9, out=W)
    assert not out.to_torch().requires_grad or out.to_torch().grad_fn is None
    assert M.to_torch().grad_fn is None


def test_mp_sgd_update_master_copy():
    w32 = _rand(5)
    g = _rand(5).astype(np.float16)
    W, G, W32 = arr(w32, "float16"), arr(g, "float16"), arr(w32)
    out = nd.mp_sgd_update(W, G, W32, lr=0.5, wd=0.1, rescale_grad=2.0, clip_gradient=1.0)
    want = (1 - 0.05) * w32 - 0.5 * np.clip(2.0 * g.astype(np.float32), -1, 1)
    np.testing.assert_allclose(W32.asnumpy(), want, rtol=1e-6)
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.asnumpy(), want.astype(np.float16))


def test_mp_nag_matches_single_precision_nag():
    # NOTE: MXNet's mp kernel uses the already-updated weight32 in the momentum's weight decay,
    # as the float32 kernel does when it writes into the weight (what the NAG optimizer does)
    w, g, m = _rand(6), _rand(6), _rand(6)
    kw = dict(lr=0.1, momentum=0.9, wd=0.05, rescale_grad=0.7, clip_gradient=0.3)
    M1, M2, W32 = arr(m), arr(m), arr(w)
    single = arr(w)
    nd.nag_mom_update(single, arr(g.astype(np.float16).astype(np.float32)), M1, out=single, **kw)
    mixed = nd.mp_nag_mom_update(arr(w, "float16"), arr(g, "float16"), M2, W32, **kw)
    np.testing.assert_allclose(W32.asnumpy(), single.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(M2.asnumpy(), M1.asnumpy(), rtol=1e-6)
    assert mixed.dtype == np.float16


def test_nag_formula():
    # oracle (w=2, g=1, mom=1, lr=.1, momentum=.5, wd=.5): out 1.95, mom 0.3
    M = arr([1.0])
    out = nd.nag_mom_update(arr([2.0]), arr([1.0]), M, lr=0.1, momentum=0.5, wd=0.5,
                            rescale_grad=3, clip_gradient=1)
    assert out.asnumpy()[0] == pytest.approx(1.95) and M.asnumpy()[0] == pytest.approx(0.3)


def test_rmsprop_clip_weights():
    w, g, n = _rand(8), _rand(8), _rand(8, positive=True)
    N_ = arr(n)
    out = nd.rmsprop_update(arr(w), arr(g), N_, lr=0.5, gamma1=0.9, epsilon=1e-3,
                            clip_weights=0.2)
    n_new = 0.9 * n + 0.1 * g * g
    np.testing.assert_allclose(N_.asnumpy(), n_new, rtol=1e-5)
    np.testing.assert_allclose(out.asnumpy(),
                               np.clip(w - 0.5 * g / np.sqrt(n_new + 1e-3), -0.2, 0.2), rtol=1e-5)


def test_lamb_phase2_bounds_and_zero_norms():
    w, g = _rand(5), _rand(5)
    for r1, r2, lo, hi, ratio in ((1.5, 2.5, -1, -1, 0.6), (0.0, 2.0, -1, -1, 1.0),
                                  (1.0, 0.0, -1, -1, 1.0), (1.5, 2.5, 3.0, 5.0, 1.2),
                                  (1.5, 2.5, 0.1, 1.0, 0.4)):
        out = nd.lamb_update_phase2(arr(w), arr(g), arr([r1]), arr([r2]), lr=0.1,
                                    lower_bound=lo, upper_bound=hi)
        np.testing.assert_allclose(out.asnumpy(), w - 0.1 * ratio * g, rtol=1e-5, atol=1e-7)


def test_mp_lamb_phase2_updates_master_copy():
    w, g = _rand(5), _rand(5)
    W32 = arr(w)
    out = nd.mp_lamb_update_phase2(arr(w, "float16"), arr(g), arr([1.5]), arr([2.5]), W32,
                                   lr=0.1)
    np.testing.assert_allclose(W32.asnumpy(), w - 0.06 * g, rtol=1e-5)
    assert out.dtype == np.float16


def test_adamw_writes_grad_and_skips_bad_scales():
    w, g, m, v = _rand(4), _rand(4), _rand(4), _rand(4, positive=True)
    G, Mn, V = arr(g), arr(m), arr(v)
    out = nd._internal._adamw_update(arr(w), G, Mn, V, arr([0.5]), lr=0.1, eta=0.7,
                                     beta1=0.8, beta2=0.99, epsilon=1e-3, wd=0.1,
                                     clip_gradient=0.3)
    gr = np.clip(0.5 * g, -0.3, 0.3)
    mean, var = 0.8 * m + 0.2 * gr, 0.99 * v + 0.01 * gr * gr
    np.testing.assert_allclose(G.asnumpy(), gr, rtol=1e-6)
    np.testing.assert_allclose(out.asnumpy(),
                               w - 0.7 * (0.1 * mean / (np.sqrt(var) + 1e-3) + 0.1 * w), rtol=1e-5)
    for bad in (np.inf, np.nan, 0.0):
        G, Mn = arr(g), arr(m)
        out = nd._internal._adamw_update(arr(w), G, Mn, arr(v), arr([bad]), lr=0.1, eta=1.0)
        np.testing.assert_array_equal(out.asnumpy(), w)
        np.testing.assert_array_equal(G.asnumpy(), g)
        np.testing.assert_array_equal(Mn.asnumpy(), m)


def test_group_adagrad_matches_oracle():
    W = nd.ones((2, 2))
    H = nd.ones((2, 1))
    grad = arr([[1.0, 1.0], [2.0, 2.0]])
    nd.contrib.group_adagrad_update(W, grad, H, lr=0.1, epsilon=0.5, out=W)
    np.testing.assert_allclose(W.asnumpy(), [[0.93675447] * 2, [0.9147197] * 2], rtol=1e-6)
    np.testing.assert_allclose(H.asnumpy(), [[2.0], [5.0]])


def test_sparse_adagrad_dense_fallback():
    w, g, h = _rand(3, 2), _rand(3, 2), _rand(3, 2, positive=True)
    H = arr(h)
    out = nd.sparse.adagrad_update(arr(w), arr(g), H, lr=0.1, epsilon=0.1, wd=0.01)
    h_new = h + g * g
    np.testing.assert_allclose(H.asnumpy(), h_new, rtol=1e-6)
    np.testing.assert_allclose(out.asnumpy(), w - 0.1 * (g / np.sqrt(h_new + 0.1) + 0.01 * w),
                               rtol=1e-5)


def _three_weights(kinds):
    shapes = [(3, 4), (5,), (2, 2, 2)]
    groups = []
    for s in shapes:
        w = _rand(*s)
        group = {"w": w, "g": _rand(*s), "mom": 0.1 * _rand(*s), "w32": w.copy()}
        groups.append([group[k] for k in kinds])
    return groups


@pytest.mark.parametrize("mp", [False, True])
@pytest.mark.parametrize("mom", [False, True])
@pytest.mark.parametrize("preloaded", [False, True])
def test_multi_sgd_matches_single_kernels(mp, mom, preloaded):
    kinds = ["w", "g"] + (["mom"] if mom else []) + (["w32"] if mp else [])
    groups = _three_weights(kinds)
    lrs, wds = (0.1, 0.2, 0.05), (0.0, 0.01, 0.1)
    common = dict(rescale_grad=0.7, clip_gradient=0.3) | (dict(momentum=0.9) if mom else {})
    half = "float16" if mp else "float32"
    arrays = [arr(x, half if k in ("w", "g") else "float32")
              for grp in groups for k, x in zip(kinds, grp)]
    name = "multi_" + ("mp_" if mp else "") + "sgd_" + ("mom_" if mom else "") + "update"
    if preloaded:
        outs = getattr(nd, "preloaded_" + name)(*arrays, arr(lrs), arr(wds), num_weights=3,
                                                **common)
    else:
        outs = getattr(nd, name)(*arrays, lrs=lrs, wds=wds, num_weights=3, **common)
    assert len(outs) == 3
    single = getattr(nd, name[len("multi_"):])
    for i, grp in enumerate(groups):
        ref_arrays = [arr(x, half if k in ("w", "g") else "float32") for k, x in zip(kinds, grp)]
        want = single(*ref_arrays, lr=lrs[i], wd=wds[i], **common)
        np.testing.assert_allclose(outs[i].asnumpy(), want.asnumpy(), rtol=1e-6, atol=1e-7)
        for k, (a, b) in enumerate(zip(arrays[i * len(kinds):(i + 1) * len(kinds)],
                                       ref_arrays)):
            if kinds[k] in ("mom", "w32"):
                np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6, atol=1e-7)


def test_multi_adamw_and_lamb_match_single_kernels():
    groups = _three_weights(["w", "g", "mom", "w32"])
    lrs, wds, etas = (0.1, 0.2, 0.05), (0.0, 0.01, 0.1), (0.7, 0.8, 0.9)
    means = [[arr(g[2]) for g in groups] for _ in range(2)]
    vars_ = [[arr(np.abs(g[2]) + 0.1) for g in groups] for _ in range(2)]
    arrays = []
    for i, g in enumerate(groups):
        arrays += [arr(g[0]), arr(g[1]), means[0][i], vars_[0][i]]
    outs = nd._internal._multi_adamw_update(*arrays, arr([0.5]), lrs=lrs, wds=wds, etas=etas,
                                            num_weights=3, clip_gradient=0.3)
    for i, g in enumerate(groups):
        want = nd._internal._adamw_update(arr(g[0]), arr(g[1]), means[1][i], vars_[1][i],
                                          arr([0.5]), lr=lrs[i], wd=wds[i], eta=etas[i],
                                          clip_gradient=0.3)
        # MXNet's multi kernel computes beta*(m-g)+g, the single one beta*m+(1-beta)*g:
        # equal up to float32 rounding (atol for moments that nearly cancel)
        np.testing.assert_allclose(outs[i].asnumpy(), want.asnumpy(), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(means[0][i].asnumpy(), means[1][i].asnumpy(), rtol=1e-6,
                                   atol=1e-7)
    # LAMB in one call == phase1 + norms + phase2
    arrays, refs = [], []
    for g in groups:
        arrays += [arr(g[0]), arr(g[1]), arr(g[2]), arr(np.abs(g[2]) + 0.1)]
        refs.append([arr(g[0]), arr(g[1]), arr(g[2]), arr(np.abs(g[2]) + 0.1)])
    outs = nd._internal._multi_lamb_update(*arrays, learning_rates=lrs, wds=wds,
                                           step_count=(1, 2, 5), num_tensors=3,
                                           lower_bound=0.5, upper_bound=2.0)
    for i, (w, gr, m, v) in enumerate(refs):
        d = nd.lamb_update_phase1(w, gr, m, v, t=(1, 2, 5)[i], wd=wds[i])
        want = nd.lamb_update_phase2(w, d, w.norm(), d.norm(), lr=lrs[i], lower_bound=0.5,
                                     upper_bound=2.0)
        np.testing.assert_allclose(outs[i].asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-7)


def test_multi_lars_matches_oracle():
    lrs = nd.multi_lars(arr([0.1, 0.2, 0.3, 0.4]), arr([4.0, 0.0, 9.0, 1.0]),
                        arr([1.0, 2.0, 0.0, 16.0]), arr([0.01, 0.1, 0.0, 0.5]), eta=0.5,
                        eps=1e-3, rescale_grad=0.5)
    np.testing.assert_allclose(lrs.asnumpy(), [0.19193859, 0.2, 0.3, 0.07996801], rtol=1e-6)


def test_reset_arrays():
    a, b = nd.ones((2, 3)), nd.ones((4,), dtype="int32")
    assert nd.reset_arrays(a, b, num_arrays=2) == []
    assert a.asnumpy().sum() == 0 and b.asnumpy().sum() == 0


def test_update_errors():
    w = nd.ones((3,))
    with pytest.raises(MXNetError, match="got 4 input arrays, expected 2"):
        nd.multi_sgd_update(w, w, w, w, lrs=(0.1,), wds=(0.0,))
    with pytest.raises(MXNetError, match="'lrs' has 1 values"):
        nd.multi_sgd_update(w, w, w, w, lrs=(0.1,), wds=(0.0, 0.0), num_weights=2)
    with pytest.raises(MXNetError, match="required attribute"):
        nd.sgd_update(w, w)
    with pytest.raises(MXNetError, match="dtype"):
        nd.sgd_update(w, nd.ones((3,), dtype="float64"), lr=0.1)
    with pytest.raises(MXNetError, match="num_arrays=3"):
        nd.reset_arrays(w, w, num_arrays=3)
