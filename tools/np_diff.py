#!/usr/bin/env python3
"""Differential tester for ``mx.np``/``mx.npx``: the same expressions through real MXNet 1.9.1
and through mxtorch; results (dtype, shape, values) and error kinds are compared.

Needs the oracle venv (not run by CI):

    .venv/bin/python tools/np_diff.py                # run, print differences
    .venv/bin/python tools/np_diff.py --write        # also refresh the fixture
    .venv/bin/python tools/np_diff.py -k sum         # only cases containing 'sum'

The case table is generated from argument generators (0-d, zero-size, negative axes, dtypes,
keepdims, out=, keyword vs positional, bad input). ``--write`` stores MXNet's answers in
``tests/fixtures/numpy/np_diff.json``; ``tests/test_numpy_diff.py`` replays them without MXNet.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE = os.path.expanduser("~/mxref/bin/python")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "numpy", "np_diff.json")

ARRAYS = {
    "f0": "np.array(2.5)",
    "f1": "np.array([1.5, -2.0, 3.25, 0.0])",
    "f2": "np.array([[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]])",
    "f3": "np.arange(24).reshape(2, 3, 4)",
    "z2": "np.zeros((0, 3))",
    "i1": "np.array([3, 1, 2, 2], dtype='int32')",
    "i2": "np.array([[1, 2, 3], [4, 5, 6]], dtype='int64')",
    "b1": "np.array([1, 0, 1, 1], dtype='bool')",
    "h1": "np.array([0.5, 1.5, 2.5, -1.0], dtype='float16')",
    "d2": "np.array([[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]], dtype='float64')",
    "p1": "np.array([0.25, 0.5, 1.0, 2.0])",
    "sq": "np.array([[4.0, 1.0], [1.0, 3.0]])",
}

UNARY = ["abs", "negative", "sign", "square", "sqrt", "exp", "log", "log1p", "sin", "cos",
         "tanh", "floor", "ceil", "trunc", "rint", "fix", "reciprocal", "isnan", "isinf",
         "isfinite", "logical_not", "arctan", "degrees", "radians", "cbrt", "expm1", "log2"]
BINARY = ["add", "subtract", "multiply", "true_divide", "mod", "power", "maximum", "minimum",
          "equal", "not_equal", "greater", "less_equal", "hypot", "arctan2"]
REDUCE = ["sum", "mean", "prod", "max", "min", "std", "var", "argmax", "argmin", "all", "any",
          "cumsum"]


def cases():
    out = []
    for fn in UNARY:
        for a in ("f0", "f1", "f2", "p1", "z2", "h1", "d2"):
            out.append(f"np.{fn}({a})")
        out.append(f"np.{fn}(i1)")
    for fn in BINARY:
        for a, b in (("f1", "p1"), ("f2", "f1[:3]"), ("f0", "f2"), ("f1", "2"), ("3", "p1"),
                     ("i1", "i1"), ("i1", "2"), ("f2", "d2"), ("z2", "f1[:3]"),
                     ("f2", "f1")):
            out.append(f"np.{fn}({a}, {b})")
    for fn in REDUCE:
        for a in ("f1", "f2", "f3", "i2", "b1", "z2", "f0"):
            out.append(f"np.{fn}({a})")
        for axis in ("0", "-1", "(0, 1)" if fn not in ("argmax", "argmin", "cumsum") else "1"):
            out.append(f"np.{fn}(f3, axis={axis})")
            out.append(f"np.{fn}(z2, axis={axis})")
        if fn not in ("argmax", "argmin", "cumsum"):
            out.append(f"np.{fn}(f3, axis=1, keepdims=True)")
    out += [
        "np.reshape(f3, (4, -1))", "np.reshape(f3, (-1,))", "f3.reshape(6, 4)",
        "np.transpose(f3)", "np.transpose(f3, (1, 0, 2))", "np.swapaxes(f3, 0, -1)",
        "np.expand_dims(f2, -1)", "np.squeeze(np.ones((1, 3, 1)))",
        "np.squeeze(np.ones((1, 3, 1)), axis=2)", "np.squeeze(f2, axis=0)",
        "np.concatenate([f2, f2])", "np.concatenate([f2, f2], axis=-1)",
        "np.concatenate([f2, f2], axis=None)", "np.concatenate([f2, i2])",
        "np.stack([f1, f1], axis=1)", "np.stack([f1, f2])", "np.vstack([f1, f1])",
        "np.hstack([f1, f1])", "np.dstack([f2, f2])", "np.column_stack([f1, f1])",
        "np.split(f3, 2)", "np.split(f3, [1, 2], axis=1)", "np.split(f1, 3)",
        "np.array_split(np.arange(7), 3)", "np.tile(f1, 2)", "np.tile(f2, (2, 1))",
        "np.repeat(f1, 2)", "np.repeat(f2, 2, axis=1)", "np.flip(f2)", "np.flip(f2, 1)",
        "np.roll(f1, 1)", "np.roll(f2, -1, axis=1)", "np.where(f1 > 0, f1, p1)",
        "np.where(f1 > 0, f1, 0.0)", "np.where(f1 > 0, 1.0, p1)", "np.clip(f1, -1, 1)",
        "np.clip(i1, 1.5, 2)", "np.broadcast_to(f1, (2, 4))", "np.broadcast_to(f1, (3,))",
        "np.pad(f2, ((1, 1), (2, 0)))", "np.pad(f2, ((1, 1), (2, 0)), mode='edge')",
        "np.pad(f2, ((1, 2), (2, 1)), mode='reflect')", "np.diag(f2)", "np.diag(f1)",
        "np.tril(f2)", "np.moveaxis(f3, 0, -1)", "np.atleast_2d(f1)", "np.copy(f2)",
        "np.take(f1, np.array([0, 2], dtype='int32'))", "np.rot90(f2)",
        "np.dot(f2, f1[:3])", "np.dot(sq, sq)", "np.dot(f0, f2)", "np.matmul(f2, f2.T)",
        "np.matmul(f3, np.ones((4, 2)))", "np.tensordot(f3, f3, axes=([0, 1], [0, 1]))",
        "np.einsum('ij,kj->ik', f2, f2)", "np.einsum('ii', sq)", "np.inner(f1, p1)",
        "np.outer(f1, p1)", "np.sort(f2)", "np.sort(f2, axis=0)", "np.argsort(f1)",
        "np.unique(i1)", "np.unique(f2)", "np.nonzero(f2)", "np.nonzero(f0)",
        "np.histogram(f1, bins=4, range=(-2, 4))", "np.percentile(f2, 50)",
        "np.percentile(f2, 25, axis=1)", "np.arange(5)", "np.arange(1, 2, 0.25)",
        "np.arange(3, dtype='int32')", "np.linspace(0, 1, 5)", "np.linspace(0, 1, 4, False)",
        "np.eye(3, k=1)", "np.eye(2, 3)", "np.identity(2)", "np.zeros((2, 0))",
        "np.ones(3, dtype='int32')", "np.full((2,), 7)", "np.full((2,), 7, dtype='int64')",
        "np.zeros_like(i2)", "np.ones_like(f2)", "np.full_like(f1, 3)",
        "np.array([[1, 2], [3, 4]])", "np.array([True, False])", "np.array(onp.arange(3))",
        "np.array(3)", "f2[0]", "f2[0, 1]", "f2[:, 1]", "f2[..., -1]", "f2[None]",
        "f2[f2 > 2]", "f2[[0, 1], [2, 0]]", "f3[1, ::-1]", "f3[:, 1:, ::2]",
        "f1[np.array([0, 3], dtype='int32')]", "f2.T", "f2.sum(axis=1)", "f2.max()",
        "f2.argmax(axis=0)", "f2.mean(axis=0, keepdims=True)", "f2.astype('int32')",
        "np.linalg.norm(f2)", "np.linalg.norm(f2, axis=1)", "np.linalg.norm(f1, ord=1)",
        "np.linalg.norm(sq, 'fro')", "np.linalg.inv(sq)", "np.linalg.det(sq)",
        "np.linalg.slogdet(sq)", "np.linalg.eigvalsh(sq)", "np.linalg.cholesky(sq)",
        "np.linalg.solve(sq, np.array([1.0, 2.0]))", "np.linalg.pinv(f2)",
        "np.linalg.inv(np.array([[1, 0], [0, 1]], dtype='int32'))", "np.cumsum(f2, axis=1)",
        "np.average(f2, axis=1, weights=np.array([1.0, 2.0, 3.0]))", "np.around(f1)",
        "np.round(np.array([0.5, 1.5, 2.5, -0.5]))", "np.sum(f2, dtype='float64')",
        "np.sum(i2, axis=0, keepdims=True)", "np.mean(i2, axis=1)", "np.std(f2, ddof=1)",
        "npx.relu(f2)", "npx.sigmoid(f1)", "npx.softmax(f2)", "npx.softmax(f2, axis=0)",
        "npx.log_softmax(f2)", "npx.activation(f2, act_type='tanh')",
        "npx.one_hot(np.array([0, 2, 1]), 3)", "npx.pick(f2, np.array([0, 2]), axis=1)",
        "npx.topk(f2, k=2)", "npx.topk(f2, k=2, ret_typ='value')",
        "npx.reshape(f3, (-2, -5))", "npx.reshape(f3, (-6, 1, 2, -4))",
        "npx.reshape(f3, (-1, 4))", "npx.batch_flatten(f3)", "npx.erf(f1)",
        "npx.gamma(p1)", "npx.gammaln(p1)", "npx.leaky_relu(f2, slope=0.1)",
        "npx.smooth_l1(f1, scalar=1.0)", "npx.shape_array(f3)", "npx.nonzero(f2)",
        "npx.sequence_mask(f3, np.array([1.0, 2.0]), use_sequence_length=True)",
        "npx.batch_dot(f3, f3.transpose((0, 2, 1)))",
        "npx.gather_nd(f2, np.array([[0, 1], [2, 0]]))",
        "npx.fully_connected(f2, np.ones((4, 3)), np.zeros(4), num_hidden=4)",
        "npx.layer_norm(f2, np.ones(3), np.zeros(3))",
        "npx.arange_like(f3, axis=1)", "npx.embedding(np.array([0, 2]), f2.T, 3, 2)",
        "np.sum(f2, axis=2)", "np.reshape(f2, (4, -1))", "np.squeeze(f2, axis=1)",
        "np.stack([f1, f2[0]])", "np.split(f1, 3)", "np.matmul(f0, f2)",
        "np.concatenate([f0, f0])", "np.swapaxes(f2, 0, 2)", "np.transpose(f2, (0, 0))",
    ]
    return out + extra_cases()


IDX = "np.array([1, 2], dtype='int64')"
_INTERNAL = "mx.nd.np._internal."


def extra_cases():
    """insert/delete/ediff1d/nan_to_num/polyval/windows and the ``_npi_*`` operators behind
    them, called through ``mx.np`` and directly (``mx.nd.np._internal``)."""
    out = []
    for axis in ("None", "0", "1", "-1"):
        for obj, val in (("1", "5.0"), ("1", "f1[:3]"), ("0", "np.array([[7.0], [8.0]])"),
                         ("slice(0, 2)", "f1[:2]"), (IDX, "f1[:2]"), ("np.array([2, 0], "
                          "dtype='int64')", "9.0"), ("-1", "3.0"), ("5", "1.0")):
            out.append(f"np.insert(f2, {obj}, {val}, axis={axis})")
        for obj in ("1", "-1", "slice(None, None, 2)", "slice(0, 1)", IDX,
                    "np.array([1, 1, 9], dtype='int64')", "7"):
            out.append(f"np.delete(f2, {obj}, axis={axis})")
    out += ["np.insert(i2, 1, np.array([7.5]), axis=0)", "np.insert(f1, 0, 2.0)",
            "np.delete(i1, 0)", "np.delete(z2, 0, axis=1)", "np.insert(z2, 0, 1.0, axis=1)"]
    for a in ("f1", "f2", "i2", "z2", "f3"):
        out.append(f"np.ediff1d({a})")
    out += ["np.ediff1d(f1, to_begin=2.0)", "np.ediff1d(f1, to_end=p1)",
            "np.ediff1d(f1, to_begin=f2, to_end=3.0)", "np.ediff1d(d2, to_end=p1)"]
    nanny = "np.array([1.0, onp.nan, onp.inf, -onp.inf], dtype='{}')"
    for dt in ("float32", "float64", "float16"):
        out += [f"np.nan_to_num({nanny.format(dt)})",
                f"np.nan_to_num({nanny.format(dt)}, nan=1.0, posinf=2.0, neginf=-3.0)"]
    out += ["np.nan_to_num(i2)", "np.nan_to_num(f2, copy=False)",
            "np.polyval(p1, f2)", "np.polyval(f1, f0)", "np.polyval(d2[0], d2)",
            "np.polyval(np.array([3.0]), f1)"]
    for w in ("hanning", "hamming", "blackman"):
        out += [f"np.{w}({m})" for m in (0, 1, 2, 5, 8)] + [f"np.{w}(6, dtype='float64')"]
    out += ["np.diag_indices_from(sq)", "np.diag_indices_from(np.zeros((2, 2, 2)))",
            "np.diag_indices_from(f2)", "np.shares_memory(f2, f2[1:])",
            "np.shares_memory(f2[0], f2[1])", "np.may_share_memory(f2, f2.copy())",
            "np.vdot(f2, d2.astype('float32'))", "np.inner(f2, f2)", "np.resize(f2, (4, 4))",
            "np.quantile(f2, 0.3)", "np.quantile(f2, np.array([0.1, 0.9]), axis=1)"]
    i = _INTERNAL
    out += [f"{i}hsplit(f3, indices=(0, 1), axis=1, squeeze_axis=False, sections=0)",
            f"{i}hsplit(f1, indices=(0, 1, 3), axis=1, sections=0)",
            f"{i}hsplit(f2, indices=(), axis=1, sections=3)",
            f"{i}dsplit(f3, indices=(0, 3), axis=2, sections=0)",
            f"{i}dsplit(f3, indices=(), axis=2, sections=2)",
            f"{i}diag_indices_from(sq)", f"{i}share_memory(f2, f2)",
            f"{i}hanning(M=4)", f"{i}blackman(M=3, dtype='float64')",
            f"{i}ediff1d(f1, to_begin_arr_given=False, to_end_arr_given=False, "
            "to_begin_scalar=1.0, to_end_scalar=None)",
            f"{i}nan_to_num(f2, nan=2.0)", f"{i}polyval(p1, f1)",
            f"{i}delete(f2, start=0, stop=2, step=1, axis=1)",
            f"{i}delete(f2, int_ind=-1, axis=0)", f"{i}delete(f3, {IDX}, axis=2)",
            f"{i}insert_scalar(f2, val=9.0, int_ind=1, axis=1)",
            f"{i}insert_slice(f2, f1[:2], start=0, stop=2, step=1, axis=1)",
            f"{i}insert_tensor(f2, np.array([5.0]), {IDX}, axis=1)",
            f"{i}scatter_set_nd(np.zeros((2, 2)), np.array([5.0, 6.0]), "
            "np.array([[0, 1], [1, 0]], dtype='int64'), shape=(2, 2))",
            f"{i}percentile(f2, q_scalar=40.0, axis=1)",
            f"{i}resize_fallback(f2, new_shape=(3, 3))",
            f"{i}unravel_index_fallback(np.array([5, 7], dtype='int64'), shape=(3, 4))"]
    out += ["mx.nd.np.sum(f3, 1)", "mx.nd.np.all(f2, 0)", "mx.nd.np.transpose(f3, (2, 0, 1))",
            "mx.nd.np.moveaxis(f3, 0, 2)", "mx.nd.np.repeat(f2, 2, 1)",
            "mx.nd.np.roll(f2, 1, 0)", "mx.nd.np.diag(f2, 1)", "mx.nd.np.trace(f3)",
            "mx.nd.np.cumsum(f2, 1)", "mx.nd.np.prod(f2, initial=2.0)",
            "mx.nd.np.max(f3, axis=(0, 2))", "mx.nd.np.reshape(f3, (4, 6))",
            "mx.nd.np.squeeze(np.ones((1, 2, 1)), 0)", "mx.nd.np.dot(f2, f2.T)",
            "mx.nd.npx.reshape(f3, (-2, -1))", "mx.nd.npx.nonzero(f2)",
            "mx.nd.npx.constraint_check(f1 > -5, 'bad')"]
    return out + random_cases() + option_cases()


def option_cases():
    """linspace/logspace (axis, array ends), sort kinds/order, histogram options, qr modes."""
    h = "np.array([1.0, 2.0, 2.0, 3.0, 5.0])"
    return [
        "np.linspace(0, 1, 5, axis=0)", "np.linspace(0, 10, 5, retstep=True)",
        "np.linspace(0, 1, 0)", "np.linspace(0, 1, 1, endpoint=False)",
        "np.linspace(1, 0, 4, dtype='int32')", "np.linspace(0, 1, 3, axis=-1)",
        "np.linspace(p1, 2.0, 3)", "np.linspace(f1, p1, 3, axis=1)", "np.linspace(0, 1, 3, axis=1)",
        "np.logspace(0, 2, 3, axis=0)", "np.logspace(0, 2, 3, base=2)",
        "np.logspace(0, 2, 3, endpoint=False, dtype='float64')", "np.logspace(p1, 1.0, 3, axis=1)",
        "np.sort(f2, kind='stable')", "np.sort(f2, kind='heapsort')", "np.sort(f2, axis=None)",
        "np.argsort(f2, kind='mergesort')", "np.argsort(f2, axis=None)", "np.sort(f2, order='x')",
        "np.argsort(f2, order=['x'])",
        f"np.histogram({h}, bins=4, range=(0, 5))",
        f"np.histogram({h}, bins=np.array([0.0, 1.0, 3.0, 6.0]))",
        "np.histogram(d2, bins=3, range=(-5, 6))",
        "np.histogram(np.array([]), bins=3, range=(0, 1))",
        f"np.histogram({h}, bins=4)", f"np.histogram({h}, bins=4, range=(0, 5), density=True)",
        f"np.histogram({h}, bins=4, range=(0, 5), normed=True)",
        f"np.histogram({h}, bins=4, range=(0, 5), weights=p1[:1] * np.ones(5))",
        f"np.histogram({h}, bins='auto')",
        "np.linalg.qr(f2.T)", "np.linalg.qr(f2.T, mode='reduced')",
        "np.linalg.qr(f2.T, mode='complete')",
        "np.linalg.qr(f2.T, mode='r')", "np.linalg.qr(f2.T, mode='raw')", "np.linalg.qr(f2)",
        "np.linalg.qr(d2.T, mode='complete')", "np.linalg.qr(f2, mode='bad')",
    ]


def random_cases():
    """Output shape and item size of samplers with array parameters (values are random)."""
    col = "np.array([[1.0], [2.0]])"
    calls = ["gamma(p1)", "gamma(p1, size=(2, 4))", f"gamma(p1, {col})", f"gamma(2.0, {col})",
             "gamma(p1, size=(3,))", f"gamma(p1, {col}, size=(3, 2, 4))",
             "gamma(p1, dtype='float64')", "gamma(p1.astype('float64'))", "gamma(2.0, size=3)",
             "weibull(p1)", "weibull(p1, size=(2, 4))", f"weibull({col}, size=(2, 3))",
             "weibull(p1, size=(3,))", "pareto(p1)", f"pareto({col}, size=(2, 3))",
             "power(p1)", "power(p1, size=(2, 4))", f"normal(p1, {col})",
             "normal(p1, size=(2, 4))", "normal(p1, size=(3,))", "uniform(p1, 5.0, size=(2, 4))",
             "exponential(p1, size=(2, 4))", "rayleigh(p1)", f"gumbel(p1, {col})",
             "logistic(p1, size=(2, 4))", f"beta(p1, {col})", "beta(2.0, 3.0, size=(2,))",
             "chisquare(p1)", "chisquare(p1, size=(2, 4))", f"lognormal(p1, {col})",
             "normal(p1.astype('float64'))", "uniform(size=(2, 0))"]
    out = [f"(lambda r: r.shape + (r.dtype.itemsize,))(np.random.{c})" for c in calls]
    out += ["(lambda r: r.shape + (r.dtype.itemsize,))(npx.random.bernoulli(p1 / 4, "
            "size=(3, 4)))",
            "(lambda r: r.shape + (r.dtype.itemsize,))(npx.random.bernoulli(logit=p1))",
            "npx.random.bernoulli(np.array([0.0, 1.0]), size=(2, 2))"]
    return out


ENCODER = r'''
import json, sys
import numpy as onp
def enc(r):
    if isinstance(r, (list, tuple)):
        return {"seq": [enc(x) for x in r]}
    if hasattr(r, "asnumpy"):
        a = r.asnumpy()
        return {"dtype": str(a.dtype), "shape": list(a.shape),
                "value": onp.where(onp.isnan(a), None, a).tolist() if a.dtype.kind == "f"
                else a.tolist()}
    if isinstance(r, (bool, int, float)):
        return {"scalar": r}
    return {"other": type(r).__name__}
def run(setup, cases):
    env = {}
    exec(setup, env)
    out = []
    for c in cases:
        try:
            ns = dict(env)
            exec("\n".join(f"{k} = {v}" for k, v in ARRAYS.items()), ns)
            out.append(enc(eval(c, ns)))
        except Exception as err:  # noqa: BLE001 - recording the error kind is the point
            out.append({"error": type(err).__name__, "msg": str(err)[:200]})
    return out
'''

SETUP_ORACLE = "import numpy as onp\nimport mxnet as mx\nfrom mxnet import np, npx\nnpx.set_np()"
SETUP_MXTORCH = ("import numpy as onp\nimport mxtorch as mx\nfrom mxtorch import np, npx\n"
                 "npx.set_np()")


def run_in(python, setup, items):
    script = (ENCODER + f"\nARRAYS = {ARRAYS!r}\n" +
              f"print(json.dumps(run({setup!r}, {items!r})))")
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([python, "-c", script], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=1800)
    if proc.returncode:
        sys.exit(f"{python} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def same(a, b, rtol=1e-5, atol=1e-5):
    """Whether two encoded results agree (error kinds match only as error/no error)."""
    if "error" in a or "error" in b:
        return ("error" in a) == ("error" in b)
    if "seq" in a or "seq" in b:
        return "seq" in a and "seq" in b and len(a["seq"]) == len(b["seq"]) and \
            all(same(x, y) for x, y in zip(a["seq"], b["seq"]))
    if "scalar" in a or "scalar" in b:
        return a.get("scalar") == b.get("scalar") or _close(a.get("scalar"), b.get("scalar"),
                                                            rtol, atol)
    if a.get("dtype") != b.get("dtype") or a.get("shape") != b.get("shape"):
        return False
    if a.get("dtype") == "float16":
        rtol, atol = 1e-3, 1e-3
    return _close(a["value"], b["value"], rtol, atol)


def _close(x, y, rtol, atol):
    import numpy as onp
    try:
        ax = onp.array(x, dtype=float)
        ay = onp.array(y, dtype=float)
    except (TypeError, ValueError):
        return x == y
    if ax.shape != ay.shape:
        return False
    return bool(onp.allclose(ax, ay, rtol=rtol, atol=atol, equal_nan=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default=None, help="only cases containing this text")
    parser.add_argument("--write", action="store_true", help="write the fixture")
    args = parser.parse_args()
    items = [c for c in cases() if args.k is None or args.k in c]
    oracle = run_in(ORACLE, SETUP_ORACLE, items)
    ours = run_in(sys.executable, SETUP_MXTORCH, items)
    diffs = [(c, o, m) for c, o, m in zip(items, oracle, ours) if not same(o, m)]
    for c, o, m in diffs:
        print(f"DIFF {c}\n  mxnet  : {json.dumps(o)[:300]}\n  mxtorch: {json.dumps(m)[:300]}")
    print(f"{len(items)} cases, {len(diffs)} differences")
    if args.write:
        with open(FIXTURE, "w") as f:
            json.dump({"arrays": ARRAYS, "cases": dict(zip(items, oracle))}, f, indent=0,
                      sort_keys=True)
        print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
