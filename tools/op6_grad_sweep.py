"""Gradient sweep (round-6 operator conformance): the differentiable op table bound through
``Symbol.simple_bind`` with grad_req dicts, ``forward(is_train=True)`` and ``backward`` with
fixed head gradients, run twice so ``grad_req='add'`` accumulates; ``'null'`` inputs get no
gradient array.

For case k the inputs come from ``RandomState(k).uniform(0.5, 1.5, shape)`` in the listed order;
the head gradient is ``(arange(size) % 5 + 1) / 5``. Per case two bindings are recorded: req
``{first: 'write', others: 'add'}`` and ``{first: 'null', others: 'write'}``.

Oracle fixture: ``~/mxref/bin/python tools/op6_grad_sweep.py --write tests/fixtures/operator6_grad.json``
Differences:   ``.venv/bin/python -m mxtorch run tools/op6_grad_sweep.py --diff tests/fixtures/operator6_grad.json``
"""
import json
import sys

import numpy as np

import mxnet as mx

S23 = {"a": (2, 3), "b": (2, 3)}
UNARY = ("abs", "sign", "negative", "sqrt", "square", "exp", "log", "sin", "cos", "tan",
         "tanh", "sigmoid", "relu", "reciprocal", "rsqrt", "cbrt", "rcbrt", "erf", "erfinv",
         "gamma", "gammaln", "degrees", "radians", "arcsin", "arccos", "arctan", "arcsinh",
         "arccosh", "arctanh", "sinh", "cosh", "softsign", "log1p", "expm1", "log2", "log10",
         "floor", "round", "sum", "mean", "prod", "max", "min", "norm", "nansum", "nanprod",
         "flatten", "transpose", "softmax", "log_softmax", "softmin", "identity", "BlockGrad",
         "make_loss", "stop_gradient", "zeros_like", "ones_like", "hard_sigmoid", "smooth_l1",
         "L2Normalization", "SoftmaxActivation", "sort", "reverse", "squeeze", "shape_array")
BINARY = ("elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "broadcast_add",
          "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_power",
          "broadcast_maximum", "broadcast_minimum", "broadcast_hypot", "broadcast_mod",
          "maximum", "minimum", "_grad_add", "add_n", "khatri_rao", "broadcast_equal")
OTHER = (
    ("sym.dot(a, b, transpose_b=True)", S23), ("sym.dot(a, b, transpose_a=True)", S23),
    ("sym.batch_dot(a, b, transpose_b=True)", {"a": (2, 2, 3), "b": (2, 4, 3)}),
    ("sym.linalg.gemm2(a, b, alpha=0.5, transpose_a=True)", S23),
    ("sym.FullyConnected(a, b, c, num_hidden=2)", {"a": (3, 3), "b": (2, 3), "c": (2,)}),
    ("sym.FullyConnected(a, b, num_hidden=2, no_bias=True, flatten=False)", {"a": (2, 2, 3), "b": (2, 3)}),
    ("sym.Convolution(a, b, c, kernel=(2, 2), num_filter=2, stride=(1, 2), pad=(1, 0))",
     {"a": (1, 2, 4, 5), "b": (2, 2, 2, 2), "c": (2,)}),
    ("sym.Convolution(a, b, kernel=(3,), num_filter=2, num_group=2, no_bias=True, dilate=(2,))",
     {"a": (2, 2, 7), "b": (2, 1, 3)}),
    ("sym.Deconvolution(a, b, kernel=(2, 2), num_filter=2, stride=(2, 2), no_bias=True)",
     {"a": (1, 2, 3, 3), "b": (2, 2, 2, 2)}),
    ("sym.Pooling(a, kernel=(2, 2), pool_type='max', stride=(1, 1))", {"a": (1, 1, 3, 4)}),
    ("sym.Pooling(a, kernel=(2, 2), pool_type='avg', pad=(1, 1), count_include_pad=False)", {"a": (1, 1, 3, 4)}),
    ("sym.Pooling(a, kernel=(2,), pool_type='lp', p_value=2)", {"a": (1, 2, 5)}),
    ("sym.Pooling(a, global_pool=True, pool_type='sum', kernel=(1, 1))", {"a": (1, 2, 3, 3)}),
    ("sym.BatchNorm(a, b, c, d, e, fix_gamma=False)", {"a": (2, 3, 2), "b": (3,), "c": (3,), "d": (3,), "e": (3,)}),
    ("sym.BatchNorm(a, b, c, d, e, use_global_stats=True, fix_gamma=False)", {"a": (2, 3, 2), "b": (3,), "c": (3,), "d": (3,), "e": (3,)}),
    ("sym.LayerNorm(a, b, c, axis=-1)", {"a": (2, 3), "b": (3,), "c": (3,)}),
    ("sym.InstanceNorm(a, b, c)", {"a": (2, 3, 4), "b": (3,), "c": (3,)}),
    ("sym.GroupNorm(a, b, c, num_groups=2)", {"a": (2, 4, 3), "b": (2,), "c": (2,)}),
    ("sym.Activation(a, act_type='softrelu')", S23), ("sym.Activation(a, act_type='softsign')", S23),
    ("sym.LeakyReLU(a - 1, act_type='elu', slope=0.3)", S23), ("sym.LeakyReLU(a - 1, act_type='selu')", S23),
    ("sym.LeakyReLU(a - 1, act_type='gelu')", S23), ("sym.LeakyReLU(a - 1, slope=0.2)", S23),
    ("sym.LeakyReLU(a - 1, b, act_type='prelu')", {"a": (2, 3), "b": (1,)}),
    ("sym.softmax(a, axis=0, temperature=2.0)", S23), ("sym.log_softmax(a, axis=1, temperature=0.5)", S23),
    ("sym.SoftmaxOutput(a, b)", {"a": (2, 3), "b": (2,)}),
    ("sym.SoftmaxOutput(a, b, grad_scale=2, normalization='batch')", {"a": (2, 3), "b": (2,)}),
    ("sym.LinearRegressionOutput(a, b)", S23), ("sym.LogisticRegressionOutput(a, b)", S23),
    ("sym.MAERegressionOutput(a, b, grad_scale=0.5)", S23),
    ("sym.MakeLoss(a * b, normalization='batch')", S23),
    ("sym.reshape(a, shape=(3, -1))", S23), ("sym.tile(a, reps=(2, 1))", S23),
    ("sym.repeat(a, repeats=2, axis=1)", S23), ("sym.Concat(a, b, dim=0)", S23),
    ("sym.stack(a, b, axis=1)", S23), ("sym.slice(a, begin=(0, 1), end=(2, 3))", S23),
    ("sym.slice_axis(a, axis=1, begin=-2, end=None)", S23), ("sym.take(a, b * 0 + 1)", S23),
    ("sym.pick(a, b * 0 + 1, axis=1, keepdims=True)", S23), ("sym.where(a > 1, a, b)", S23),
    ("sym.clip(a, 0.8, 1.2)", S23), ("sym.broadcast_to(sym.sum(a, axis=0, keepdims=True), shape=(4, 3))", S23),
    ("sym.expand_dims(a, axis=1)", S23), ("sym.swapaxes(a, 0, 1)", S23), ("sym.flip(a, axis=1)", S23),
    ("sym.sum(a, axis=1, exclude=True)", S23), ("sym.mean(a, axis=0, keepdims=True)", S23),
    ("sym.norm(a, ord=1, axis=1)", S23), ("sym.max(a, axis=1)", S23), ("sym.prod(a, axis=0)", S23),
    ("sym.topk(a, k=2, ret_typ='value')", S23), ("sym.Embedding(b * 0 + 1, a, input_dim=2, output_dim=3)", S23),
    ("sym.SequenceMask(a, sym.ceil(b), use_sequence_length=True, value=-1)", {"a": (3, 2, 2), "b": (2,)}),
    ("sym.SequenceLast(a, sym.ceil(b), use_sequence_length=True)", {"a": (3, 2, 2), "b": (2,)}),
    ("sym.SequenceReverse(a)", {"a": (3, 2, 2)}), ("sym.Dropout(a, p=0.0)", S23),
    ("sym.UpSampling(a, scale=2, sample_type='nearest')", {"a": (1, 1, 2, 2)}),
    ("sym.Crop(a, offset=(1, 0), h_w=(2, 2))", {"a": (1, 1, 3, 3)}),
    ("sym.Pad(a, mode='reflect', pad_width=(0, 0, 0, 0, 1, 1, 1, 1))", {"a": (1, 1, 3, 3)}),
    ("sym.Pad(a, mode='edge', pad_width=(0, 0, 0, 0, 1, 2, 0, 1))", {"a": (1, 1, 3, 3)}),
    ("sym.depth_to_space(a, 2)", {"a": (1, 4, 2, 2)}), ("sym.space_to_depth(a, 2)", {"a": (1, 1, 4, 4)}),
    ("sym.linalg.potrf(sym.linalg.syrk(a) + 3 * b)", {"a": (3, 3), "b": (3, 3)}),
    ("sym.linalg.inverse(a + 3 * b)", {"a": (3, 3), "b": (3, 3)}),
    ("sym.linalg.det(a + 2 * b)", {"a": (3, 3), "b": (3, 3)}),
    ("sym.linalg.sumlogdiag(a)", {"a": (3, 3)}), ("sym.linalg.extractdiag(a, offset=1)", {"a": (3, 3)}),
    ("sym.linalg.makediag(a)", {"a": (2, 3)}), ("sym.linalg.trmm(a, b, transpose=True)", {"a": (2, 2), "b": (2, 3)}),
    ("sym.contrib.div_sqrt_dim(a)", S23), ("sym.contrib.quadratic(a, a=2, b=1, c=3)", S23),
    ("sym.smooth_l1(a - 1, scalar=2.0)", S23), ("sym.hypot(a, 2) if hasattr(sym, 'hypot') else sym.broadcast_hypot(a, b)", S23),
    ("a ** 2.5 + 3 ** b + a / b - 2 / b + a % 0.7", S23),
    ("sym.RNN(a, b, c, state_size=2, num_layers=1, mode='rnn_tanh')", {"a": (3, 1, 2), "b": (10,), "c": (1, 1, 2)}),
    ("sym.RNN(a, b, c, d, state_size=2, num_layers=1, mode='lstm')", {"a": (3, 1, 2), "b": (40,), "c": (1, 1, 2), "d": (1, 1, 2)}),
)


def _cases():
    out = [("sym.%s(a)" % n, S23) for n in UNARY]
    out += [("sym.%s(a, b)" % n, S23) for n in BINARY]
    return out + list(OTHER)


def _record(outputs, grads):
    def arr(a):
        a = a.asnumpy()
        return {"shape": list(a.shape), "dtype": str(a.dtype),
                "values": [None if np.isnan(v) else float(v) for v in a.astype(np.float64).ravel()]}
    return {"outputs": [arr(o) for o in outputs],
            "grads": {k: (None if v is None else arr(v)) for k, v in sorted(grads.items())}}


def _run_one(k, expr, shapes):
    sym = mx.sym
    env = dict(sym=sym, mx=mx)
    names = sorted(shapes)
    for n in names:
        env[n] = sym.Variable(n)
    net = eval(expr, env)  # noqa: S307 - fixed expressions above
    rng = np.random.RandomState(k)
    data = {n: rng.uniform(0.5, 1.5, shapes[n]) for n in names}
    names = [n for n in names if n in net.list_arguments()]  # the rest are aux states
    shapes = {n: shapes[n] for n in names}
    recs = []
    for req in ({n: ("write" if i == 0 else "add") for i, n in enumerate(names)},
                {n: ("null" if i == 0 else "write") for i, n in enumerate(names)}):
        exe = net.simple_bind(mx.cpu(), grad_req=req, **shapes)
        for n in names:
            exe.arg_dict[n][:] = data[n]
        for name, arr in exe.aux_dict.items():
            arr[:] = 1.0 if "var" in name else 0.0
        heads = [mx.nd.array((np.arange(int(np.prod(o.shape))) % 5 + 1).reshape(o.shape) / 5.0)
                 for o in exe.outputs]
        for _ in range(2):
            exe.forward(is_train=True)
            exe.backward(heads)
        recs.append(_record(exe.outputs, {n: exe.grad_dict.get(n) for n in names}))
    return recs


def run():
    records = {}
    for k, (expr, shapes) in enumerate(_cases()):
        if "-v" in sys.argv:
            sys.stderr.write("%d %s\n" % (k, expr))
        try:
            rec = _run_one(k, expr, shapes)
            mx.nd.waitall()
        except Exception as err:  # noqa: BLE001 - the error class is the record
            rec = {"error": type(err).__name__,
                   "message": str(err).splitlines()[0][:160] if str(err) else ""}
        records["%03d %s" % (k, expr)] = rec
    return records


def _same(want, got):
    if want is None or got is None:
        return want is None and got is None
    if want["shape"] != got["shape"] or want["dtype"] != got["dtype"]:
        return False
    w = np.array([np.nan if v is None else v for v in want["values"]], dtype=np.float64)
    g = np.array([np.nan if v is None else v for v in got["values"]], dtype=np.float64)
    return np.allclose(g, w, rtol=1e-3, atol=1e-5, equal_nan=True)


def diff(ref, mine):
    """The cases whose outputs or gradients differ between the oracle and mxtorch."""
    bad = []
    for key, want in ref.items():
        got = mine.get(key, {"error": "missing"})
        if "error" in want or "error" in got:
            if ("error" in want) != ("error" in got):
                bad.append((key, "error" in want and want["error"],
                            "error" in got and got["error"], "error" in got and got["message"]))
            continue
        for which, (w, g) in enumerate(zip(want, got)):
            for j, (wo, go) in enumerate(zip(w["outputs"], g["outputs"])):
                if not _same(wo, go):
                    bad.append((key, "bind%d out%d" % (which, j), wo["values"][:6], go["values"][:6]))
            for name in w["grads"]:
                if not _same(w["grads"][name], g["grads"].get(name)):
                    wv, gv = w["grads"][name], g["grads"].get(name)
                    bad.append((key, "bind%d grad %s" % (which, name),
                                wv and wv["values"][:6], gv and gv["values"][:6]))
    return bad


def main():
    records = run()
    if "--write" in sys.argv:
        shapes = {"%03d %s" % (k, e): s for k, (e, s) in enumerate(_cases())}
        with open(sys.argv[sys.argv.index("--write") + 1], "w") as fh:
            json.dump({"shapes": shapes, "cases": records}, fh, indent=0, sort_keys=True,
                      separators=(",", ":"))
    if "--diff" in sys.argv:
        with open(sys.argv[sys.argv.index("--diff") + 1]) as fh:
            ref = json.load(fh)["cases"]
        bad = diff(ref, records)
        for row in bad:
            print(*row, sep="  ||  ")
        print("%d cases, %d differ" % (len(ref), len(bad)))


if __name__ == "__main__":
    main()
