"""HybridBlocks calling F.np / F.npx with keyword arguments, in the style of MXNet 1.9.1's
test_numpy_gluon.py and test_numpy_op.py (own code): each case runs imperatively and
hybridized against NumPy, then its gradient under autograd.record() against a NumPy central
difference, then (for the ``EXPORT`` cases) export + SymbolBlock.imports gives the same output.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_gluon --details
"""
import functools
import os
import tempfile

import numpy as _np

import mxnet as mx
from mxnet import np, npx, autograd
from mxnet.gluon import HybridBlock, SymbolBlock
from mxnet.test_utils import use_np
from check_numpy4_base import run_case
from _harness import main

A = _np.random.RandomState(3).uniform(-1.5, 1.5, (2, 3, 4))
B = _np.random.RandomState(4).uniform(0.5, 1.5, (3, 4))
M = _np.random.RandomState(5).uniform(-1, 1, (4, 3))


def _p(fn, **kw):
    return lambda *xs: fn(*xs, **kw)


# label: (function name, inputs, NumPy reference, keyword arguments, gradient)
CASES = {
    "sum_axis_tuple_keepdims": ("sum", [A], _p(_np.sum, axis=(0, 2), keepdims=True),
                                {"axis": (0, 2), "keepdims": True}, True),
    "sum_neg_axis": ("sum", [A], _p(_np.sum, axis=-2), {"axis": -2}, True),
    "mean_axis_tuple": ("mean", [A], _p(_np.mean, axis=(1, 2)), {"axis": (1, 2)}, True),
    "mean_keepdims": ("mean", [A], _p(_np.mean, axis=1, keepdims=True),
                      {"axis": 1, "keepdims": True}, True),
    "max_axis_keepdims": ("max", [A], _p(_np.max, axis=2, keepdims=True),
                          {"axis": 2, "keepdims": True}, True),
    "min_axis_tuple": ("min", [A], _p(_np.min, axis=(0, 1)), {"axis": (0, 1)}, True),
    "prod_axis": ("prod", [A], _p(_np.prod, axis=1), {"axis": 1}, True),
    "std_ddof": ("std", [A], _p(_np.std, axis=2, ddof=1), {"axis": 2, "ddof": 1}, True),
    "var_keepdims": ("var", [A], _p(_np.var, axis=(0, 2), keepdims=True),
                     {"axis": (0, 2), "keepdims": True}, True),
    "norm_axis": ("linalg.norm", [A], _p(_np.linalg.norm, axis=2), {"axis": 2}, True),
    "norm_fro": ("linalg.norm", [B], _p(_np.linalg.norm, ord="fro"), {"ord": "fro"}, True),
    "norm_keepdims": ("linalg.norm", [A], _p(_np.linalg.norm, axis=(1, 2), keepdims=True),
                      {"axis": (1, 2), "keepdims": True}, True),
    "cumsum_axis": ("cumsum", [A], _p(_np.cumsum, axis=1), {"axis": 1}, True),
    "transpose_axes": ("transpose", [A], _p(_np.transpose, axes=(2, 0, 1)),
                       {"axes": (2, 0, 1)}, True),
    "reshape_neg": ("reshape", [A], lambda a: _np.reshape(a, (4, -1)), {"newshape": (4, -1)},
                    True),
    "swapaxes": ("swapaxes", [A], _p(_np.swapaxes, axis1=0, axis2=2),
                 {"axis1": 0, "axis2": 2}, True),
    "expand_dims": ("expand_dims", [A], _p(_np.expand_dims, axis=1), {"axis": 1}, True),
    "squeeze_axis": ("squeeze", [A[:, :1]], _p(_np.squeeze, axis=1), {"axis": 1}, True),
    "flip_tuple": ("flip", [A], _p(_np.flip, axis=(0, 2)), {"axis": (0, 2)}, True),
    "roll_tuple": ("roll", [A], _p(_np.roll, shift=(1, -1), axis=(1, 2)),
                   {"shift": (1, -1), "axis": (1, 2)}, True),
    "tile": ("tile", [B], _p(_np.tile, reps=(2, 1)), {"reps": (2, 1)}, True),
    "repeat_axis": ("repeat", [B], _p(_np.repeat, repeats=2, axis=0),
                    {"repeats": 2, "axis": 0}, True),
    "broadcast_to": ("broadcast_to", [B[:1]], _p(_np.broadcast_to, shape=(3, 4)),
                     {"shape": (3, 4)}, True),
    "clip": ("clip", [A], _p(_np.clip, a_min=-0.5, a_max=0.7), {"a_min": -0.5, "a_max": 0.7},
             True),
    "pad_constant": ("pad", [B], _p(_np.pad, pad_width=((1, 0), (0, 2))),
                     {"pad_width": ((1, 0), (0, 2))}, True),
    "tensordot_axes": ("tensordot", [A, M], _p(_np.tensordot, axes=([2], [0])),
                       {"axes": ([2], [0])}, True),
    "dot": ("dot", [B, M], _np.dot, {}, True),
    "matmul": ("matmul", [A, M], _np.matmul, {}, True),
    "einsum": ("einsum", [A, M], lambda a, m: _np.einsum("ijk,kl->il", a, m),
               {}, True),
    "concatenate_axis": ("concatenate", [B, B + 1], lambda a, b: _np.concatenate([a, b],
                                                                                 axis=1),
                         {}, True),
    "stack_axis": ("stack", [B, B * 2], lambda a, b: _np.stack([a, b], axis=-1), {}, True),
    "where": ("where", [A, A * 2], lambda a, b: _np.where(a > 0, a, b), {}, True),
    "maximum_bcast": ("maximum", [A, B[0]], _np.maximum, {}, True),
    "power_bcast": ("power", [B, B[:1] + 0.5], _np.power, {}, True),
    "arctan2": ("arctan2", [B, M.T], _np.arctan2, {}, True),
    "diagonal": ("diagonal", [A], _p(_np.diagonal, offset=1, axis1=1, axis2=2),
                 {"offset": 1, "axis1": 1, "axis2": 2}, True),
    "trace": ("trace", [B], _np.trace, {}, True),
    "tril": ("tril", [B], _p(_np.tril, k=-1), {"k": -1}, True),
    "argmax_axis": ("argmax", [A], _p(_np.argmax, axis=1), {"axis": 1}, False),
    "sort_axis": ("sort", [A], _p(_np.sort, axis=1), {"axis": 1}, False),
    "argsort": ("argsort", [A], _p(_np.argsort, axis=-1), {"axis": -1}, False),
    "linspace_like": ("ones_like", [A], _np.ones_like, {}, False),
    "around": ("around", [A], _p(_np.around, decimals=1), {"decimals": 1}, False),
}
CONSTS = {"concatenate_axis": None, "stack_axis": None, "where": None, "einsum": None}


class _Wrap(HybridBlock):
    """Blocks for the cases whose F.np call does not take the inputs positionally."""

    def __init__(self, label):
        super(_Wrap, self).__init__()
        self._label = label

    def hybrid_forward(self, F, *xs):
        if self._label == "concatenate_axis":
            return F.np.concatenate(list(xs), axis=1)
        if self._label == "stack_axis":
            return F.np.stack(list(xs), axis=-1)
        if self._label == "where":
            return F.np.where(xs[0] > 0, xs[0], xs[1])
        return F.np.einsum("ijk,kl->il", *xs)


def _wrapped_case(label, inputs, ref, grad):
    for hyb in (False, True):
        block = _Wrap(label)
        if hyb:
            block.hybridize()
        arrs = [np.array(a) for a in inputs]
        for a in arrs:
            a.attach_grad()
        with autograd.record():
            out = block(*arrs)
        out.backward()
        want = ref(*[a.astype("float32") for a in inputs])
        _np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-4, atol=1e-5)
        if grad:
            for i, a in enumerate(arrs):
                num = _numeric(ref, inputs, i)
                _np.testing.assert_allclose(a.grad.asnumpy(), num, rtol=1e-2, atol=1e-3,
                                            err_msg="%s grad %d" % (label, i))


def _numeric(ref, inputs, i, eps=1e-5):
    x = [a.astype("float64").copy() for a in inputs]
    g = _np.zeros_like(x[i])
    for j in range(x[i].size):
        x[i].reshape(-1)[j] += eps
        up = _np.sum(ref(*x))
        x[i].reshape(-1)[j] -= 2 * eps
        down = _np.sum(ref(*x))
        x[i].reshape(-1)[j] += eps
        g.reshape(-1)[j] = (up - down) / (2 * eps)
    return g


for _label, (_name, _inputs, _ref, _kw, _grad) in CASES.items():
    if _label in CONSTS:
        _fn = functools.partial(_wrapped_case, _label, [a.astype("float32") for a in _inputs],
                                _ref, _grad)
    else:
        _fn = functools.partial(run_case, _name, [a.astype("float32") for a in _inputs], _ref,
                                _kw, grad=_grad, rtol=1e-4, atol=1e-5)
    globals()["test_hybrid_%s" % _label] = use_np(_fn)


# ---- export + SymbolBlock.imports -------------------------------------------------------------
class _Net(HybridBlock):
    def __init__(self, label):
        super(_Net, self).__init__()
        self._label = label
        with self.name_scope():
            self.dense = mx.gluon.nn.Dense(3, flatten=False)

    def hybrid_forward(self, F, x):
        h = self.dense(x)
        if self._label == "reduce":
            return F.np.sum(h, axis=(0, 2), keepdims=True) + F.np.expand_dims(F.np.mean(h, axis=-1), 1)
        if self._label == "shape":
            y = F.np.transpose(h, axes=(1, 0, 2))
            y = F.npx.reshape(y, (-2, -1))
            return F.np.concatenate([y, F.np.flip(y, axis=1)], axis=1)
        if self._label == "math":
            return F.np.clip(F.np.tanh(h) * 2, -1.0, 1.0) + F.np.power(F.np.abs(h), 2.0)
        if self._label == "npx":
            return F.npx.softmax(h, axis=-1) + F.npx.log_softmax(h, axis=1) + \
                F.npx.activation(h, act_type="relu")
        if self._label == "index":
            return h[:, 1:, ::-1] * 2 + h[0, 1:]
        return F.np.linalg.norm(h, axis=2, keepdims=True) * F.np.expand_dims(F.np.std(h, axis=1), 1)


def _export_case(label):
    x = np.array(_np.random.uniform(-1, 1, (2, 3, 4)).astype("float32"))
    net = _Net(label)
    net.initialize(mx.init.Xavier())
    net.hybridize()
    want = net(x)
    folder = tempfile.mkdtemp()
    prefix = os.path.join(folder, "net_" + label)
    net.export(prefix, epoch=0)
    loaded = SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    got = loaded(x)
    assert isinstance(got, np.ndarray), type(got)
    _np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)
    loaded.hybridize()
    _np.testing.assert_allclose(loaded(x).asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)
    x.attach_grad()
    with autograd.record():
        y = loaded(x)
    y.backward()
    x2 = x.copy()
    x2.attach_grad()
    with autograd.record():
        y2 = net(x2)
    y2.backward()
    _np.testing.assert_allclose(x.grad.asnumpy(), x2.grad.asnumpy(), rtol=1e-5, atol=1e-6)


for _label in ["reduce", "shape", "math", "npx", "index", "norm"]:
    globals()["test_export_imports_%s" % _label] = use_np(
        functools.partial(_export_case, _label))


if __name__ == "__main__":
    main(globals())
