"""Gradients of differentiable mx.np / mx.npx functions the check_numpy4 scripts do not
differentiate, in the style of MXNet 1.9.1's test_numpy_op.py (own code): each runs in a
HybridBlock imperatively and hybridized under autograd.record(), backward with a random head
gradient, compared with a float64 central difference of the NumPy reference.

Run: .venv/bin/python tools/unittest_style/run.py --only check_numpy5_grads --details
"""
import functools

import numpy as _np

from check_numpy4_base import make, run_case
from mxnet.test_utils import use_np
from _harness import main

R = _np.random.RandomState(11)
A = R.uniform(-1.5, 1.5, (2, 3, 4))
B = R.uniform(0.5, 1.5, (2, 3, 4))
S = R.uniform(-1, 1, (3, 3)) + 3 * _np.eye(3)
SPD = S.dot(S.T) + _np.eye(3)
V3 = R.uniform(-1, 1, (4, 3))
W3 = R.uniform(-1, 1, (4, 3))
M = R.uniform(-1, 1, (3, 4))
N = R.uniform(-1, 1, (4, 2))


def _p(fn, *args, **kw):
    return lambda *xs: fn(*xs, *args, **kw)


def _softmax(x, axis=-1, temperature=1.0):
    e = _np.exp((x - x.max(axis=axis, keepdims=True)) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def _layer_norm(x, g, b, axis=-1, eps=1e-5):
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)
    return (x - mu) / _np.sqrt(var + eps) * g + b


# label: (name, inputs, reference, kwargs, options)
CASES = {
    "hypot_bcast": ("hypot", [A, B[0, 0]], _np.hypot, {}, {}),
    "arctan2_bcast": ("arctan2", [A, B[:1]], _np.arctan2, {}, {}),
    "copysign": ("copysign", [A, B - 1.0], _np.copysign, {}, {}),
    "power_both": ("power", [B, A], _np.power, {}, {}),
    "true_divide_bcast": ("true_divide", [A, B[0]], _np.true_divide, {}, {}),
    "mod_bcast": ("mod", [A + 3, B[0] + 0.2], _np.mod, {}, {}),
    "kron": ("kron", [M[:2, :2], N[:2]], _np.kron, {}, {}),
    "tensordot_int": ("tensordot", [A, B.transpose(1, 2, 0)], _p(_np.tensordot, axes=2),
                      {"axes": 2}, {}),
    "tensordot_pairs": ("tensordot", [A, B], _p(_np.tensordot, axes=([0, 2], [0, 2])),
                        {"axes": ([0, 2], [0, 2])}, {}),
    "vdot": ("vdot", [M, M + 1], _np.vdot, {}, {}),
    "inner_3d": ("inner", [A, B[0]], _np.inner, {}, {}),
    "einsum_trace": ("einsum", [S], lambda s: _np.einsum("ii", s), {}, {"consts": {0: "ii"}}),
    "einsum_batch": ("einsum", [A, V3], lambda a, v: _np.einsum("bij,jk->bik", a, v), {},
                     {"consts": {0: "bij,jk->bik"}}),
    "einsum_outer": ("einsum", [M[0], N[:, 0]], lambda a, b: _np.einsum("i,j->ij", a, b), {},
                     {"consts": {0: "i,j->ij"}}),
    "det": ("linalg.det", [S], _np.linalg.det, {}, {}),
    "cholesky": ("linalg.cholesky", [SPD], lambda s: _np.linalg.cholesky((s + s.T) / 2), {},
                 {"grad_rtol": 3e-2}),
    "pinv": ("linalg.pinv", [M], _np.linalg.pinv, {}, {"grad_rtol": 3e-2, "grad_atol": 3e-3}),
    "tensorinv": ("linalg.tensorinv", [S.reshape(3, 3)], _p(_np.linalg.tensorinv, ind=1),
                  {"ind": 1}, {}),
    "eigvalsh": ("linalg.eigvalsh", [SPD], lambda s: _np.linalg.eigvalsh((s + s.T) / 2), {},
                 {}),
    "norm_ord1": ("linalg.norm", [M], _p(_np.linalg.norm, ord=1, axis=1),
                  {"ord": 1, "axis": 1}, {}),
    "norm_inf_vec": ("linalg.norm", [M[0] + 0.1], _p(_np.linalg.norm, ord=_np.inf),
                     {"ord": _np.inf}, {}),
    "cumsum_flat": ("cumsum", [A], _np.cumsum, {}, {}),
    "nan_to_num": ("nan_to_num", [A], _np.nan_to_num, {}, {}),
    "clip_both": ("clip", [A], _p(_np.clip, -0.8, 0.9), {"a_min": -0.8, "a_max": 0.9}, {}),
    "broadcast_to": ("broadcast_to", [B[:, :1]], _p(_np.broadcast_to, (2, 3, 4)),
                     {"shape": (2, 3, 4)}, {}),
    "moveaxis": ("moveaxis", [A], _p(_np.moveaxis, 0, -1), {"source": 0, "destination": -1},
                 {}),
    "squeeze_none": ("squeeze", [A[:1, :, :1]], _np.squeeze, {}, {}),
    "pad_edge": ("pad", [M], _p(_np.pad, ((1, 1), (2, 0)), mode="edge"),
                 {"pad_width": ((1, 1), (2, 0)), "mode": "edge"}, {}),
    "pad_reflect": ("pad", [M], _p(_np.pad, ((1, 1), (2, 1)), mode="reflect"),
                    {"pad_width": ((1, 1), (2, 1)), "mode": "reflect"}, {}),
    "pad_symmetric": ("pad", [M], _p(_np.pad, ((1, 0), (1, 1)), mode="symmetric"),
                      {"pad_width": ((1, 0), (1, 1)), "mode": "symmetric"}, {}),
    "append_axis": ("append", [M, M + 1], _p(_np.append, axis=0), {"axis": 0}, {}),
    "insert_scalar": ("insert", [M.ravel()], _p(_np.insert, 2, 5.0), {"obj": 2, "values": 5.0},
                      {"imperative": True}),
    "delete_slice": ("delete", [M], _p(_np.delete, slice(0, 2), axis=1),
                     {"obj": slice(0, 2), "axis": 1}, {"imperative": True}),
    "average_axis": ("average", [A], _p(_np.average, axis=(0, 2)), {"axis": (0, 2)}, {}),
    "amax_axis": ("amax", [A], _p(_np.amax, axis=1), {"axis": 1}, {}),
    "std_keepdims": ("std", [A], _p(_np.std, axis=(0, 2), keepdims=True),
                     {"axis": (0, 2), "keepdims": True}, {}),
    "var_ddof": ("var", [A], _p(_np.var, axis=1, ddof=1), {"axis": 1, "ddof": 1}, {}),
    "ediff1d": ("ediff1d", [M.ravel()], _np.ediff1d, {}, {}),
    "diff_n2": ("diff", [M], _p(_np.diff, n=2, axis=1), {"n": 2, "axis": 1}, {}),
    "rot90_k2": ("rot90", [M], _p(_np.rot90, k=2), {"k": 2}, {}),
    "triu": ("triu", [M], _p(_np.triu, k=1), {"k": 1}, {}),
    "flipud": ("flipud", [M], _np.flipud, {}, {}),
    "fliplr": ("fliplr", [M], _np.fliplr, {}, {}),
    "hstack": ("hstack", [M, M * 2], lambda a, b: _np.hstack([a, b]), {}, {"list": True}),
    "vstack": ("vstack", [M, M * 2], lambda a, b: _np.vstack([a, b]), {}, {"list": True}),
    "dstack": ("dstack", [M, M * 2], lambda a, b: _np.dstack([a, b]), {}, {"list": True}),
    "column_stack": ("column_stack", [M[0], M[1]], lambda a, b: _np.column_stack([a, b]), {},
                     {"list": True}),
    "sigmoid": ("sigmoid", [A], lambda x: 1 / (1 + _np.exp(-x)), {}, {"ns": "npx"}),
    "relu": ("relu", [A + 0.05], lambda x: _np.maximum(x, 0), {}, {"ns": "npx"}),
    "softmax_temp": ("softmax", [A], _p(_softmax, axis=1, temperature=2.0),
                     {"axis": 1, "temperature": 2.0}, {"ns": "npx"}),
    "log_softmax": ("log_softmax", [A], lambda x: _np.log(_softmax(x, axis=-1)), {"axis": -1},
                    {"ns": "npx"}),
    "leaky_relu": ("leaky_relu", [A + 0.05], lambda x: _np.where(x > 0, x, 0.2 * x),
                   {"act_type": "leaky", "slope": 0.2}, {"ns": "npx"}),
    "elu": ("leaky_relu", [A + 0.05], lambda x: _np.where(x > 0, x, 0.5 * (_np.exp(x) - 1)),
            {"act_type": "elu", "slope": 0.5}, {"ns": "npx"}),
    "layer_norm": ("layer_norm", [A, B[0, 0], B[1, 1] - 1], _layer_norm,
                   {"axis": -1, "eps": 1e-5}, {"ns": "npx", "grad_rtol": 3e-2}),
    "batch_dot": ("batch_dot", [A, B.transpose(0, 2, 1)], _np.matmul, {}, {"ns": "npx"}),
    "batch_dot_tb": ("batch_dot", [A, B], lambda a, b: _np.matmul(a, b.transpose(0, 2, 1)),
                     {"transpose_b": True}, {"ns": "npx"}),
    "pick": ("pick", [A[0]], lambda x: x[_np.arange(3), [0, 3, 1]], {},
             {"ns": "npx", "consts": None, "pick": True}),
}


class _Holder:
    pass


def _list_case(name, inputs, ref):
    """``F.np.<name>([a, b])``: the inputs as one list argument."""
    from mxnet import np, autograd
    from mxnet.gluon import HybridBlock

    class Blk(HybridBlock):
        def hybrid_forward(self, F, *xs):
            return getattr(F.np, name)(list(xs))
    for hyb in (False, True):
        blk = Blk()
        if hyb:
            blk.hybridize()
        arrs = [np.array(a) for a in inputs]
        for a in arrs:
            a.attach_grad()
        with autograd.record():
            out = blk(*arrs)
        out.backward()
        _np.testing.assert_allclose(out.asnumpy(), ref(*inputs).astype("float32"), rtol=1e-5)
        for a, x in zip(arrs, inputs):
            _np.testing.assert_allclose(a.grad.asnumpy(), _np.ones_like(x), rtol=1e-6)


def _pick_case(inputs):
    from mxnet import np, npx, autograd
    x = np.array(inputs[0])
    x.attach_grad()
    idx = np.array([0, 3, 1], dtype="float32")
    with autograd.record():
        out = npx.pick(x, idx, axis=1)
    out.backward()
    _np.testing.assert_allclose(out.asnumpy(), inputs[0][_np.arange(3), [0, 3, 1]], rtol=1e-6)
    want = _np.zeros_like(inputs[0])
    want[_np.arange(3), [0, 3, 1]] = 1
    _np.testing.assert_allclose(x.grad.asnumpy(), want)


for _label, (_name, _inputs, _ref, _kw, _opts) in CASES.items():
    _opts = dict(_opts)
    _inputs = [a.astype("float64") for a in _inputs]
    if _opts.pop("list", False):
        _fn = functools.partial(_list_case, _name, [a.astype("float32") for a in _inputs], _ref)
    elif _opts.pop("pick", False):
        _fn = functools.partial(_pick_case, _inputs)
    else:
        imperative = _opts.pop("imperative", False)
        _fn = functools.partial(run_case, _name, _inputs, _ref, _kw, grad=True,
                                hybrid=(False,) if imperative else (False, True),
                                direct=imperative, **_opts)
    globals()["test_grad_%s" % _label] = use_np(_fn)


if __name__ == "__main__":
    main(globals())
