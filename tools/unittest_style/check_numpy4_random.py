"""mx.np.random / mx.npx.random in the style of MXNet 1.9.1's test_numpy_op.py random tests
(own code): output shapes and dtypes for size=None / int / tuple, parameters given as numbers or
arrays (broadcasting), sample moments against the distribution, hybridized samplers, seeding.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy4_random --details
"""
import functools

from check_numpy4_base import run_all, mx, np, _np
from mxnet import npx
from mxnet.gluon import HybridBlock
from mxnet.test_utils import use_np
from _harness import main

COL = _np.array([[1.0], [2.0]], dtype="float32")
ROW = _np.array([0.5, 1.0, 2.0], dtype="float32")

# sampler, numeric args, (array args builder), expected shape for size=None with array args
SHAPES = [
    ("uniform", (0.0, 1.0), lambda: (np.array(ROW), np.array(COL) + 3), (2, 3)),
    ("normal", (0.0, 1.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("gamma", (2.0, 1.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("exponential", (1.0,), lambda: (np.array(ROW),), (3,)),
    ("weibull", (2.0,), lambda: (np.array(COL),), (2, 1)),
    ("pareto", (2.0,), lambda: (np.array(ROW),), (3,)),
    ("power", (2.0,), lambda: (np.array(ROW),), (3,)),
    ("rayleigh", (1.0,), lambda: (np.array(ROW),), (3,)),
    ("logistic", (0.0, 1.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("gumbel", (0.0, 1.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("lognormal", (0.0, 1.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("beta", (2.0, 3.0), lambda: (np.array(ROW), np.array(COL)), (2, 3)),
    ("chisquare", (3.0,), lambda: (np.array(ROW),), (3,)),
]


def _shape_case(name, nums, arrays, want):
    fn = getattr(np.random, name)
    r = fn(*nums)
    assert r.shape == () or isinstance(r, float), "%s(): shape %s" % (name, r.shape)
    for size, shape in [(None, ()), (5, (5,)), ((2, 3), (2, 3)), ((0, 2), (0, 2))]:
        r = fn(*nums, size=size)
        assert r.shape == shape, "%s(size=%r): shape %s" % (name, size, r.shape)
        assert r.dtype == _np.float32, "%s: dtype %s" % (name, r.dtype)
    r = fn(*arrays())
    assert r.shape == want, "%s(array params): shape %s, expected %s" % (name, r.shape, want)
    r = fn(*arrays(), size=(4,) + want)
    assert r.shape == (4,) + want, "%s(array params, size): shape %s" % (name, r.shape)


@use_np
def test_np_random_shapes():
    run_all([(n, functools.partial(_shape_case, n, a, b, w)) for n, a, b, w in SHAPES])


def _moments(sample, mean, var, name):
    s = sample.asnumpy().astype("float64")
    assert abs(s.mean() - mean) < 4 * (var / s.size) ** 0.5 + 1e-3, \
        "%s mean %.4f vs %.4f" % (name, s.mean(), mean)
    assert abs(s.var() - var) < 0.1 * var + 1e-3, "%s var %.4f vs %.4f" % (name, s.var(), var)


@use_np
def test_np_random_moments():
    n = 200000
    cases = [
        ("uniform", lambda: np.random.uniform(-1, 3, size=n), 1.0, 16 / 12),
        ("normal", lambda: np.random.normal(2, 0.5, size=n), 2.0, 0.25),
        ("gamma", lambda: np.random.gamma(3.0, 2.0, size=n), 6.0, 12.0),
        ("exponential", lambda: np.random.exponential(2.0, size=n), 2.0, 4.0),
        ("rayleigh", lambda: np.random.rayleigh(1.5, size=n), 1.5 * (_np.pi / 2) ** 0.5,
         (4 - _np.pi) / 2 * 2.25),
        ("logistic", lambda: np.random.logistic(1.0, 0.5, size=n), 1.0, 0.25 * _np.pi ** 2 / 3),
        ("gumbel", lambda: np.random.gumbel(0.0, 1.0, size=n), 0.5772156649, _np.pi ** 2 / 6),
        ("beta", lambda: np.random.beta(2.0, 3.0, size=n), 0.4, 6 / (25 * 6)),
        ("chisquare", lambda: np.random.chisquare(4.0, size=n), 4.0, 8.0),
        ("weibull", lambda: np.random.weibull(2.0, size=n), 0.886226925, 1 - 0.785398163),
        ("power", lambda: np.random.power(3.0, size=n), 0.75, 3 / 80),
        ("lognormal", lambda: np.random.lognormal(0.0, 0.5, size=n), _np.exp(0.125),
         (_np.exp(0.25) - 1) * _np.exp(0.25)),
        ("randn", lambda: np.random.randn(n), 0.0, 1.0),
        ("rand", lambda: np.random.rand(n), 0.5, 1 / 12),
        ("bernoulli", lambda: npx.random.bernoulli(0.3, size=n), 0.3, 0.21),
    ]
    run_all([(name, functools.partial(lambda s, m, v, nm: _moments(s(), m, v, nm), s, m, v,
                                      name)) for name, s, m, v in cases])


@use_np
def test_np_random_integers_and_choice():
    def randint():
        r = np.random.randint(2, 7, size=(1000,))
        assert r.dtype == _np.int64 and r.shape == (1000,)
        assert set(_np.unique(r.asnumpy())) == {2, 3, 4, 5, 6}
        r = np.random.randint(5, size=(3,), dtype="int32")
        assert r.dtype == _np.int32
        assert np.random.randint(3).shape == ()

    def choice():
        r = np.random.choice(5, size=(2, 3))
        assert r.shape == (2, 3) and r.dtype == _np.int64
        r = np.random.choice(4, 4, replace=False)
        assert sorted(r.asnumpy().tolist()) == [0, 1, 2, 3]
        p = np.array([0.0, 0.0, 1.0, 0.0])
        assert np.random.choice(4, size=5, p=p).asnumpy().tolist() == [2] * 5
        r = np.random.choice(np.array([1.5, 2.5]), size=3)
        assert r.shape == (3,) and set(r.asnumpy().tolist()) <= {1.5, 2.5}

    def multinomial():
        r = np.random.multinomial(10, [0.2, 0.3, 0.5], size=(4,))
        assert r.shape == (4, 3) and (r.asnumpy().sum(axis=1) == 10).all()

    def shuffle():
        x = np.arange(10)
        np.random.shuffle(x)
        assert sorted(x.asnumpy().tolist()) == list(range(10))

    def mvn():
        r = np.random.multivariate_normal(np.array([0.0, 1.0]), np.eye(2), size=(5,))
        assert r.shape == (5, 2)

    run_all([(f.__name__, f) for f in (randint, choice, multinomial, shuffle, mvn)])


@use_np
def test_np_random_dtype_ctx_out():
    def dtypes():
        for name, args in [("uniform", (0, 1)), ("normal", (0, 1)), ("gamma", (2.0,))]:
            r = getattr(np.random, name)(*args, size=(2,), dtype="float64")
            assert r.dtype == _np.float64, "%s float64: %s" % (name, r.dtype)
            r = getattr(np.random, name)(*args, size=(2,), dtype="float16")
            assert r.dtype == _np.float16, "%s float16: %s" % (name, r.dtype)

    def ctx_and_out():
        r = np.random.uniform(size=(2,), ctx=mx.cpu())
        assert r.ctx == mx.cpu()
        out = np.zeros((3,))
        np.random.normal(0, 1, size=(3,), out=out)
        assert float(abs(out).sum()) > 0

    def seeded():
        mx.random.seed(42)
        a = np.random.uniform(size=(5,)).asnumpy()
        mx.random.seed(42)
        b = np.random.uniform(size=(5,)).asnumpy()
        assert (a == b).all()
        npx.random.seed(7)
        c = np.random.normal(size=(3,)).asnumpy()
        npx.random.seed(7)
        assert (c == np.random.normal(size=(3,)).asnumpy()).all()

    run_all([(f.__name__, f) for f in (dtypes, ctx_and_out, seeded)])


class _Sampler(HybridBlock):
    def __init__(self, name, kwargs):
        super(_Sampler, self).__init__()
        self._n, self._kw = name, kwargs

    def hybrid_forward(self, F, loc):
        return getattr(F.np.random, self._n)(loc, **self._kw) + 0 * loc


@use_np
def test_np_random_hybridized():
    loc = np.array(ROW)
    cases = []
    for name, kw in [("normal", {"scale": 1.0}), ("uniform", {"high": 5.0}),
                     ("normal", {"scale": 1.0, "size": (4, 3)}),
                     ("gamma", {"scale": 1.0}), ("exponential", {}),
                     ("uniform", {"high": 5.0, "size": (2, 3)})]:
        def case(name=name, kw=kw):
            block = _Sampler(name, kw)
            block.hybridize()
            r = block(loc)
            want = kw.get("size", (3,))
            assert r.shape == want, "%s %s: shape %s" % (name, kw, r.shape)
            r2 = block(loc)
            assert not (r.asnumpy() == r2.asnumpy()).all(), "two calls gave the same draw"
        cases.append(("%s %s" % (name, kw), case))
    run_all(cases)


@use_np
def test_np_random_gradients():
    def normal_grad():
        loc, scale = np.array([1.0, 2.0]), np.array([0.5, 2.0])
        loc.attach_grad()
        scale.attach_grad()
        with mx.autograd.record():
            y = np.random.normal(loc, scale, size=(1000, 2))
        y.backward()
        _np.testing.assert_allclose(loc.grad.asnumpy(), [1000, 1000])
        eps = (y.asnumpy() - loc.asnumpy()) / scale.asnumpy()
        _np.testing.assert_allclose(scale.grad.asnumpy(), eps.sum(axis=0), rtol=1e-3)

    def exponential_grad():
        scale = np.array([2.0])
        scale.attach_grad()
        with mx.autograd.record():
            y = np.random.exponential(scale, size=(500, 1))
        y.backward()
        _np.testing.assert_allclose(scale.grad.asnumpy(), y.asnumpy().sum(axis=0) / 2.0,
                                    rtol=1e-3)

    run_all([(f.__name__, f) for f in (normal_grad, exponential_grad)])


if __name__ == "__main__":
    main(globals())
