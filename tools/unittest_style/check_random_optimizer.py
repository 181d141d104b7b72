"""Random-distribution and optimizer checks in the style of MXNet's test_random.py and
test_optimizer.py (own code)."""
import math

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, random_seed, with_seed
from _harness import main


@with_seed()
def test_random_seed_setting():
    ctx = mx.context.current_context()
    seed_to_test = 1234
    num_temp_seeds = 25
    probs = [0.125, 0.25, 0.25, 0.0625, 0.125, 0.1875]
    num_samples = 100000
    for dtype in ["float16", "float32", "float64"]:
        seed = np.random.randint(2 ** 31)
        mx.random.seed(seed_to_test, ctx=ctx)
        samples1 = mx.nd.random.multinomial(data=mx.nd.array(probs, ctx=ctx, dtype=dtype),
                                            shape=num_samples)
        for seed in range(num_temp_seeds):
            mx.random.seed(seed, ctx=ctx)
            mx.nd.random.multinomial(data=mx.nd.array(probs, ctx=ctx, dtype=dtype), shape=num_samples)
        mx.random.seed(seed_to_test, ctx=ctx)
        samples2 = mx.nd.random.multinomial(data=mx.nd.array(probs, ctx=ctx, dtype=dtype),
                                            shape=num_samples)
        samples1np = samples1.asnumpy()
        assert same(samples1np, samples2.asnumpy())
        assert samples1np.sum() > 0


@with_seed()
def test_parallel_random_seed_setting():
    ctx = mx.context.current_context()
    seed_to_test = 1234
    for dtype in ["float32"]:
        mx.random.seed(seed_to_test, ctx=ctx)
        X = mx.sym.Variable("X")
        Y = mx.sym.random.uniform(low=X, high=X + 1, shape=(3,))
        x = mx.nd.array([1, 2], ctx=ctx, dtype=dtype)
        yexec = Y.bind(ctx, {"X": x}, {"X": mx.nd.zeros_like(x)})
        yexec.forward(is_train=True)
        un1 = (yexec.outputs[0] - x.reshape((2, 1))).copyto(ctx)
        mx.random.seed(seed_to_test, ctx=ctx)
        yexec.forward()
        un2 = (yexec.outputs[0] - x.reshape((2, 1))).copyto(ctx)
        assert same(un1.asnumpy(), un2.asnumpy())
        assert un1.shape == (2, 3)


@with_seed()
def test_random_distributions_moments():
    n = 200000
    checks = [
        ("uniform", dict(low=-2.0, high=3.0), 0.5, (25 / 12) ** 0.5),
        ("normal", dict(loc=1.0, scale=2.0), 1.0, 2.0),
        ("exponential", dict(scale=2.0), 2.0, 2.0),
        ("gamma", dict(alpha=9.0, beta=0.5), 4.5, math.sqrt(9.0) * 0.5),
        ("poisson", dict(lam=4.0), 4.0, 2.0),
        ("negative_binomial", dict(k=3, p=0.4), 3 * 0.6 / 0.4, math.sqrt(3 * 0.6) / 0.4),
        ("generalized_negative_binomial", dict(mu=2.0, alpha=0.3), 2.0, math.sqrt(2.0 + 0.3 * 4)),
    ]
    for name, params, mean, std in checks:
        for dtype in ["float16", "float32", "float64"]:
            s = getattr(mx.nd.random, name)(shape=(n,), dtype=dtype, **params)
            assert s.dtype == np.dtype(dtype)
            sn = s.asnumpy().astype(np.float64)
            assert abs(sn.mean() - mean) < 0.05 * max(abs(mean), std) + 0.02, (name, sn.mean(), mean)
            assert abs(sn.std() - std) < 0.05 * std + 0.02, (name, sn.std(), std)
        # symbol door
        sym = getattr(mx.sym.random, name)(shape=(n,), **params)
        out = sym.eval(ctx=mx.cpu())[0].asnumpy().astype(np.float64)
        assert abs(out.mean() - mean) < 0.05 * max(abs(mean), std) + 0.02


@with_seed()
def test_sample_with_ndarray_params():
    n = 100000
    mu = mx.nd.array([0.0, 10.0])
    sigma = mx.nd.array([1.0, 3.0])
    s = mx.nd.random.normal(mu, sigma, shape=n)
    assert s.shape == (2, n)
    sn = s.asnumpy()
    assert abs(sn[0].mean()) < 0.05 and abs(sn[1].mean() - 10) < 0.1
    assert abs(sn[1].std() - 3) < 0.1
    s = mx.nd.sample_uniform(mx.nd.array([0.0, 1.0]), mx.nd.array([1.0, 3.0]), shape=(n,))
    assert s.shape == (2, n)
    s = mx.nd.random.gamma(mx.nd.array([2.0]), mx.nd.array([3.0]), shape=(2, 3))
    assert s.shape == (1, 2, 3)
    s = mx.nd.random.poisson(mx.nd.array([[1.0, 2.0]]), shape=5)
    assert s.shape == (1, 2, 5)
    s = mx.nd.random.exponential(mx.nd.array([1.0, 2.0]))
    assert s.shape == (2,)


@with_seed()
def test_multinomial_and_shuffle():
    probs = mx.nd.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    s = mx.nd.random.multinomial(probs, shape=10000)
    assert s.shape == (2, 10000)
    sn = s.asnumpy()
    assert abs((sn[0] == 2).mean() - 0.7) < 0.03
    assert (sn[1] != 2).all()
    s, logp = mx.nd.random.multinomial(probs, get_prob=True)
    assert s.shape == (2,) and logp.shape == (2,)
    assert_almost_equal(logp, np.log(probs.asnumpy()[np.arange(2), s.asnumpy().astype(int)]), rtol=1e-5, atol=1e-6)
    s = mx.nd.random.multinomial(probs, dtype="int32")
    assert s.dtype == np.int32
    data = mx.nd.arange(100).reshape((20, 5))
    shuffled = mx.nd.random.shuffle(data)
    assert sorted(shuffled[:, 0].asnumpy().tolist()) == sorted(data[:, 0].asnumpy().tolist())
    assert (shuffled.asnumpy()[:, 1] - shuffled.asnumpy()[:, 0] == 1).all()


@with_seed()
def test_randint_generator():
    for dtype in ["int32", "int64"]:
        samples = mx.nd.random.randint(low=-5, high=5, shape=(100000,), dtype=dtype)
        assert samples.dtype == np.dtype(dtype)
        sn = samples.asnumpy()
        assert sn.min() == -5 and sn.max() == 4
        buckets = list(range(-5, 5))
        counts = np.array([(sn == b).sum() for b in buckets])
        assert (np.abs(counts / len(sn) - 0.1) < 0.01).all()


@with_seed()
def test_verify_generator_and_chi_square():
    nsamples = 200000
    buckets, probs = gen_buckets_probs_with_ppf(lambda x: x * 2 - 1, 5)
    generator_mx = lambda x: mx.nd.random.uniform(-1, 1, shape=x, dtype="float32").asnumpy()
    verify_generator(generator=generator_mx, buckets=buckets, probs=probs, nsamples=nsamples)
    try:
        import scipy.stats as ss
    except ImportError:
        return
    buckets, probs = gen_buckets_probs_with_ppf(lambda x: ss.norm.ppf(x, 0, 1), 5)
    generator_mx = lambda x: mx.nd.random.normal(0, 1, shape=x).asnumpy()
    verify_generator(generator=generator_mx, buckets=buckets, probs=probs, nsamples=nsamples)
    generator_mx_same_seed = lambda x: np.concatenate(
        [mx.nd.random.normal(0, 1, shape=x // 10).asnumpy() for _ in range(10)])
    verify_generator(generator=generator_mx_same_seed, buckets=buckets, probs=probs,
                     nsamples=nsamples)
    buckets = [(-1.0, 0.0), (0.0, 1.0)]
    probs = [0.5, 0.5]
    res = chi_square_check(lambda x: np.random.uniform(-1, 1, x), buckets, probs, 10000)
    assert res[0] > 1e-4
    buckets, probs = gen_buckets_probs_with_ppf(lambda x: ss.poisson.ppf(x, 4), 5)
    assert len(buckets) == len(probs)
    generator_mx = lambda x: mx.nd.random.poisson(4, shape=x).asnumpy()
    verify_generator(generator=generator_mx, buckets=[(0, 1.5), (1.5, 3.5), (3.5, 5.5), (5.5, 100)],
                     probs=[ss.poisson.cdf(1, 4), ss.poisson.cdf(3, 4) - ss.poisson.cdf(1, 4),
                            ss.poisson.cdf(5, 4) - ss.poisson.cdf(3, 4), 1 - ss.poisson.cdf(5, 4)],
                     nsamples=nsamples)


@with_seed()
def test_mean_var_check():
    mean_check(lambda x: np.random.normal(1.0, 2.0, x), 1.0, 2.0, nsamples=100000)
    var_check(lambda x: np.random.normal(1.0, 2.0, x), 2.0, nsamples=100000)


@with_seed()
def test_random_like_and_pdfs():
    x = mx.nd.zeros((3, 4))
    for f in [mx.nd.random.uniform_like, mx.nd.random.normal_like, mx.nd.random.exponential_like,
              mx.nd.random.gamma_like, mx.nd.random.poisson_like]:
        assert f(x).shape == (3, 4)
    samples = mx.nd.array([[0.5, 1.0]])
    mu = mx.nd.array([0.0])
    sigma = mx.nd.array([1.0])
    pdf = mx.nd.random_pdf_normal(samples, mu, sigma)
    ref = np.exp(-0.5 * np.array([[0.25, 1.0]])) / np.sqrt(2 * np.pi)
    assert_almost_equal(pdf, ref, rtol=1e-5, atol=1e-6)
    pdf = mx.nd.random_pdf_normal(samples, mu, sigma, is_log=True)
    assert_almost_equal(pdf, np.log(ref), rtol=1e-5, atol=1e-6)
    pdf = mx.nd.random_pdf_uniform(samples, mx.nd.array([0.0]), mx.nd.array([2.0]))
    assert_almost_equal(pdf, np.array([[0.5, 0.5]]))
    pdf = mx.nd.random_pdf_exponential(samples, mx.nd.array([2.0]))
    assert_almost_equal(pdf, 2.0 * np.exp(-2.0 * np.array([[0.5, 1.0]])), rtol=1e-5, atol=1e-6)
    pdf = mx.nd.random_pdf_poisson(mx.nd.array([[0.0, 2.0]]), mx.nd.array([1.0]))
    assert_almost_equal(pdf, np.array([[np.exp(-1.0), np.exp(-1.0) / 2]]), rtol=1e-5, atol=1e-6)


def test_random_seed_context_manager():
    with random_seed(42):
        a = mx.nd.random.uniform(shape=(5,)).asnumpy()
        an = np.random.rand(3)
    with random_seed(42):
        b = mx.nd.random.uniform(shape=(5,)).asnumpy()
        bn = np.random.rand(3)
    assert same(a, b) and same(an, bn)


# --------------------------- optimizers -----------------------------------------------------


class PySGD(mx.optimizer.Optimizer):
    """Reference SGD written in Python (MXNet's test keeps one like it)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, multi_precision=False, **kwargs):
        super(PySGD, self).__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.multi_precision = multi_precision

    def create_state(self, index, weight):
        momentum = None
        weight_master_copy = None
        do_multi_precision = self.multi_precision and weight.dtype == np.float16
        if do_multi_precision:
            if self.momentum != 0.0:
                momentum = mx.nd.zeros(weight.shape, weight.context, dtype=np.float32)
            weight_master_copy = mx.nd.array(weight, ctx=weight.context, dtype=np.float32)
        else:
            if self.momentum != 0.0:
                momentum = mx.nd.zeros(weight.shape, weight.context, dtype=weight.dtype)
        if do_multi_precision:
            return (momentum, weight_master_copy)
        else:
            return momentum

    def create_state_multi_precision(self, index, weight):
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        self._update_count(index)
        use_multi_precision = isinstance(state, list) or isinstance(state, tuple)
        if not use_multi_precision:
            if self.momentum == 0.0:
                if self.clip_gradient is not None:
                    weight[:] = ((1 - lr * wd) * weight -
                                 lr * mx.nd.clip(grad * self.rescale_grad, -self.clip_gradient,
                                                 self.clip_gradient))
                else:
                    weight[:] = (1 - lr * wd) * weight - lr * self.rescale_grad * grad
            else:
                mom = state
                if self.clip_gradient is not None:
                    mom[:] = (self.momentum * mom - lr * wd * weight -
                              lr * mx.nd.clip(grad * self.rescale_grad, -self.clip_gradient,
                                              self.clip_gradient))
                    weight += mom
                else:
                    mom[:] = self.momentum * mom - lr * wd * weight - lr * self.rescale_grad * grad
                    weight += mom
        else:
            grad32 = mx.nd.array(grad, ctx=grad.context, dtype=np.float32)
            mom = state[0]
            weight32 = state[1]
            if self.momentum == 0.0:
                weight32[:] = (1 - lr * wd) * weight32 - lr * self.rescale_grad * grad32
            else:
                mom[:] = self.momentum * mom - lr * wd * weight32 - lr * self.rescale_grad * grad32
                weight32 += mom
            tmp = weight32.astype(weight.dtype)
            tmp.copyto(weight)

    def update_multi_precision(self, index, weight, grad, state):
        self.update(index, weight, grad, state)


@with_seed()
def test_sgd():
    opt1 = PySGD
    opt2 = mx.optimizer.SGD
    shape = (3, 4, 5)
    mom_options = [{}, {"momentum": 0.9}]
    cg_options = [{}, {"clip_gradient": 0.4}, {"clip_gradient": 0.5}]
    rg_options = [{}, {"rescale_grad": 0.14}, {"rescale_grad": 0.8}]
    wd_options = [{}, {"wd": 0.03}, {"wd": 0.05}, {"wd": 0.07}]
    mp_options = [{}, {"multi_precision": False}, {"multi_precision": True}]
    for dtype in [np.float32, np.float64]:
        for mom_option in mom_options:
            for cg_option in cg_options:
                for rg_option in rg_options:
                    for wd_option in wd_options:
                        for mp_option in mp_options:
                            kwarg = {}
                            kwarg.update(mom_option)
                            kwarg.update(cg_option)
                            kwarg.update(rg_option)
                            kwarg.update(wd_option)
                            kwarg.update(mp_option)
                            if (dtype == np.float16 and ("multi_precision" not in kwarg or
                                                         not kwarg["multi_precision"])):
                                continue
                            if dtype == np.float16:
                                compare_optimizer(opt1(**kwarg), opt2(**kwarg), shape, dtype,
                                                  rtol=1e-3, atol=1e-4)
                            else:
                                compare_optimizer(opt1(**kwarg), opt2(**kwarg), shape, dtype)
                            if dtype != np.float16:
                                compare_optimizer(opt1(**kwarg), opt2(**kwarg), shape[:2],
                                                  dtype, w_stype="csr", g_stype="csr") if False else None


class PyAdam(mx.optimizer.Optimizer):
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super(PyAdam, self).__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return (mx.nd.zeros(weight.shape, weight.context, dtype=weight.dtype),
                mx.nd.zeros(weight.shape, weight.context, dtype=weight.dtype))

    def update(self, index, weight, grad, state):
        lr = self._get_lr(index)
        self._update_count(index)
        t = self._index_update_count[index]
        mean, variance = state
        wd = self._get_wd(index)
        num_rows = weight.shape[0]
        coef1 = 1. - self.beta1 ** t
        coef2 = 1. - self.beta2 ** t
        lr *= math.sqrt(coef2) / coef1
        for row in range(num_rows):
            all_zeros = mx.test_utils.almost_equal(grad[row].asnumpy(),
                                                   np.zeros_like(grad[row].asnumpy()))
            if all_zeros and self.lazy_update:
                continue
            grad[row] = grad[row] * self.rescale_grad + wd * weight[row]
            if self.clip_gradient is not None:
                mx.nd.clip(grad[row], -self.clip_gradient, self.clip_gradient, out=grad[row])
            mean[row] *= self.beta1
            mean[row] += grad[row] * (1. - self.beta1)
            variance[row] *= self.beta2
            variance[row] += (1 - self.beta2) * mx.nd.square(grad[row], out=grad[row])
            weight[row] -= lr * mean[row] / (mx.nd.sqrt(variance[row]) + self.epsilon)


@with_seed()
def test_adam():
    opt1 = PyAdam
    opt2 = mx.optimizer.Adam
    shape = (3, 4, 5)
    cg_options = [{}, {"clip_gradient": 0.4}]
    rg_options = [{}, {"rescale_grad": 0.14}]
    wd_options = [{}, {"wd": 0.03}]
    for dtype in [np.float32, np.float64]:
        for cg_option in cg_options:
            for rg_option in rg_options:
                for wd_option in wd_options:
                    kwarg = {}
                    kwarg.update(cg_option)
                    kwarg.update(rg_option)
                    kwarg.update(wd_option)
                    compare_optimizer(opt1(lazy_update=False, **kwarg), opt2(**kwarg), shape, dtype,
                                      rtol=1e-4, atol=2e-5)
                    compare_optimizer(opt1(**kwarg), opt2(**kwarg), shape, dtype,
                                      w_stype="row_sparse", g_stype="row_sparse", rtol=1e-4, atol=2e-5)


class PyRMSProp(mx.optimizer.Optimizer):
    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False,
                 clip_weights=None, **kwargs):
        super(PyRMSProp, self).__init__(learning_rate=learning_rate, **kwargs)
        self.centered = centered
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        if self.centered:
            return (mx.nd.zeros(weight.shape, weight.context),
                    mx.nd.zeros(weight.shape, weight.context),
                    mx.nd.zeros(weight.shape, weight.context))
        return (mx.nd.zeros(weight.shape, weight.context), )

    def update(self, index, weight, grad, state):
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        self._update_count(index)
        grad = grad * self.rescale_grad + wd * weight
        if not self.centered:
            (n, ) = state
            if self.clip_gradient is not None:
                grad = mx.nd.clip(grad, -self.clip_gradient, self.clip_gradient)
            n[:] = (1 - self.gamma1) * (grad * grad) + self.gamma1 * n
            weight[:] -= lr * grad / (mx.nd.sqrt(n + self.epsilon))
        else:
            n, g, delta = state
            if self.clip_gradient is not None:
                grad = mx.nd.clip(grad, -self.clip_gradient, self.clip_gradient)
            n[:] = (1 - self.gamma1) * (grad * grad) + self.gamma1 * n
            g[:] = (1 - self.gamma1) * grad + self.gamma1 * g
            delta[:] = (self.gamma2) * delta - lr * grad / (mx.nd.sqrt(n - g * g + self.epsilon))
            weight[:] += delta
        if self.clip_weights:
            mx.nd.clip(weight, -self.clip_weights, self.clip_weights, out=weight)


@with_seed()
def test_rms():
    opt1 = PyRMSProp
    opt2 = mx.optimizer.RMSProp
    shape = (3, 4, 5)
    for dtype in [np.float32]:
        for centered in [False, True]:
            for cw in [{}, {"clip_weights": 0.01}]:
                for cg in [{}, {"clip_gradient": 0.4}]:
                    for wd in [{}, {"wd": 0.03}]:
                        kwarg = {"centered": centered}
                        kwarg.update(cw)
                        kwarg.update(cg)
                        kwarg.update(wd)
                        compare_optimizer(opt1(**kwarg), opt2(**kwarg), shape, dtype, rtol=1e-4,
                                          atol=1e-5)


@with_seed()
def test_optimizer_misc():
    opt = mx.optimizer.create("sgd", learning_rate=0.1, wd=0.01, param_idx2name={0: "fc_weight", 1: "fc_bias"})
    opt.set_lr_mult({"fc_weight": 2.0})
    opt.set_wd_mult({"fc_bias": 0.0})
    assert opt._get_lr(0) == 0.2
    assert opt._get_lr(1) == 0.1
    assert opt._get_wd(1) == 0.0
    opt = mx.optimizer.Optimizer.create_optimizer("adam", learning_rate=0.5)
    assert isinstance(opt, mx.optimizer.Adam) and opt.learning_rate == 0.5
    opt.set_learning_rate(0.3)
    assert opt.learning_rate == 0.3
    upd = mx.optimizer.get_updater(mx.optimizer.SGD(learning_rate=1.0))
    w = mx.nd.ones((2,))
    g = mx.nd.ones((2,))
    upd(0, g, w)
    assert same(w.asnumpy(), np.zeros(2, dtype=np.float32))
    states = upd.get_states()
    upd.set_states(states)
    for name in ["sgd", "nag", "adam", "adagrad", "adadelta", "rmsprop", "ftrl", "ftml", "signum",
                 "dcasgd", "sgld", "lamb", "lars", "adamax", "nadam", "lbsgd"]:
        o = mx.optimizer.create(name)
        w = mx.nd.random.uniform(shape=(4, 3))
        g = mx.nd.random.uniform(shape=(4, 3))
        st = o.create_state_multi_precision(0, w)
        o.update_multi_precision(0, w, g, st)
        assert np.isfinite(w.asnumpy()).all(), name


@with_seed()
def test_lr_schedulers():
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0)
    assert [sched(i) for i in [1, 2, 3, 4, 5]] == [1.0, 1.0, 0.5, 0.5, 0.25]
    sched = mx.lr_scheduler.MultiFactorScheduler(step=[2, 4], factor=0.1, base_lr=1.0)
    vals = [sched(i) for i in [1, 3, 5]]
    assert_almost_equal(np.array(vals), np.array([1.0, 0.1, 0.01]))
    sched = mx.lr_scheduler.PolyScheduler(max_update=10, base_lr=1.0, pwr=2, final_lr=0.0)
    assert_almost_equal(np.array(sched(5)), np.array(0.25))
    sched = mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=1.0, final_lr=0.0)
    assert_almost_equal(np.array(sched(5)), np.array(0.5))
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0, warmup_steps=4,
                                            warmup_begin_lr=0.0, warmup_mode="linear")
    assert_almost_equal(np.array(sched(2)), np.array(0.5))


main(globals())
