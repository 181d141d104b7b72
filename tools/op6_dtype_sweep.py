"""Dtype sweep over the nd operator families (round-6 operator conformance).

Every case is an expression over ``nd`` and the inputs ``x`` (2x3), ``y`` (2x3, no zeros),
``i`` (int32 indices) and ``b`` (a (3,) row) built in one dtype of float16, float32, float64,
int8, uint8, int32, int64 and bool. The record per (expression, dtype) is the output dtype,
shape and values, or the error class when the op refuses the dtype.

Run it under the oracle to write the fixture used by ``tests/test_operator6_dtype.py``::

    ~/mxref/bin/python tools/op6_dtype_sweep.py --write tests/fixtures/operator6_dtype.json

and under mxtorch to list the differences to that fixture::

    .venv/bin/python -m mxtorch run tools/op6_dtype_sweep.py --diff tests/fixtures/operator6_dtype.json
"""
import json
import sys

import numpy as np

import mxnet as mx

DTYPES = ("float16", "float32", "float64", "int8", "uint8", "int32", "int64", "bool")

UNARY = ("abs", "sign", "negative", "sqrt", "square", "exp", "log", "sin", "cos", "tanh",
         "sigmoid", "relu", "floor", "ceil", "round", "rint", "fix", "trunc", "reciprocal",
         "rsqrt", "cbrt", "erf", "gamma", "gammaln", "logical_not", "degrees", "arctan",
         "softsign", "log1p", "expm1", "log2", "zeros_like", "ones_like", "identity",
         "BlockGrad", "make_loss", "erfinv", "rcbrt", "log10", "exp", "arcsinh")
BINARY = ("elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "broadcast_add",
          "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_mod", "broadcast_power",
          "broadcast_maximum", "broadcast_minimum", "broadcast_hypot", "broadcast_equal",
          "broadcast_not_equal", "broadcast_greater", "broadcast_greater_equal",
          "broadcast_lesser", "broadcast_lesser_equal", "broadcast_logical_and",
          "broadcast_logical_or", "broadcast_logical_xor", "maximum", "minimum", "add_n")
SCALAR = ("x + 2", "x - 1", "x * 2", "x / 2", "x % 3", "x ** 2", "2 - x", "6 / y", "7 % y",
          "2 ** x", "x + 2.5", "x * 0.5", "x > 1", "x >= 1", "x < 2", "x == 2", "x != 2",
          "-x", "abs(x)", "x + y", "x - y", "x * y", "x / y", "x % y", "x ** y", "x == y",
          "x > y", "x + b", "nd.maximum(x, 1)", "nd.minimum(x, 2.5)", "nd.clip(x, 1, 3)")
REDUCE = ("nd.sum(x)", "nd.sum(x, axis=1)", "nd.mean(x, axis=0)", "nd.prod(x)", "nd.max(x, axis=1)",
          "nd.min(x)", "nd.nansum(x)", "nd.nanprod(x, axis=1)", "nd.norm(x)",
          "nd.norm(x, ord=1, axis=1)", "nd.argmax(x, axis=1)", "nd.argmin(x)",
          "nd.argmax_channel(x)", "nd.sort(x)", "nd.argsort(x)", "nd.topk(x, k=2)",
          "nd.topk(x, k=2, ret_typ='value')", "nd.topk(x, k=1, ret_typ='mask')",
          "nd.sum(x, axis=1, exclude=True)", "nd.moments(x, axes=(1,))[1]", "x.sum()",
          "nd.cumsum(x) if hasattr(nd, 'cumsum') else nd.sum(x)", "nd.L2Normalization(x)")
SHAPE = ("nd.reshape(x, shape=(3, 2))", "nd.transpose(x)", "nd.flip(x, axis=1)",
         "nd.tile(x, reps=(1, 2))", "nd.repeat(x, repeats=2, axis=0)", "nd.concat(x, y, dim=1)",
         "nd.stack(x, y)", "nd.split(x, num_outputs=3, axis=1)[1]", "nd.slice(x, begin=(0, 1), end=(2, 3))",
         "nd.slice_axis(x, axis=1, begin=1, end=None)", "nd.take(x, i)", "nd.take(x, i, axis=1, mode='wrap')",
         "nd.pick(x, i[:2], axis=1)", "nd.one_hot(i, 4, dtype=x.dtype)", "nd.where(x > 1, x, y)",
         "nd.where(y, x, y)", "nd.expand_dims(x, axis=0)", "nd.swapaxes(x, 0, 1)", "nd.diag(x)",
         "nd.Cast(x, dtype='float32')", "nd.cast(x, dtype='int32')", "x.astype('float64')",
         "nd.broadcast_to(b, shape=(2, 3))", "nd.broadcast_like(b.reshape((1, 3)), x)",
         "nd.reverse(x, axis=0)", "nd.gather_nd(x, nd.array([[1], [0]], dtype='int32'))",
         "nd.scatter_nd(b, nd.array([[0, 1, 1], [0, 1, 2]], dtype='int32'), shape=(2, 3))",
         "nd.SliceChannel(x, num_outputs=3)[0]", "nd.depth_to_space(nd.tile(x.reshape((1, 2, 1, 3)), reps=(1, 2, 1, 1)), 2)",
         "nd.pad(x.reshape((1, 1, 2, 3)), mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1), constant_value=1)",
         "nd.shape_array(x)", "nd.size_array(x)", "nd.zeros_like(x)", "nd.full_like(x, 3)",
         "nd.squeeze(nd.expand_dims(x, 0))", "nd.sequence_mask(x, nd.array([1, 2, 0], dtype=x.dtype), use_sequence_length=True)",
         "nd.SequenceLast(x.reshape((2, 3, 1)))", "nd.batch_take(x, i[:2])",
         "nd.ravel_multi_index(nd.array([[1, 0], [2, 1]], dtype=x.dtype), shape=(2, 3))",
         "nd.unravel_index(nd.array([1, 4], dtype=x.dtype), shape=(2, 3))",
         "nd.reshape_like(x, nd.zeros((3, 2)))", "nd.Flatten(x.reshape((1, 2, 3)))",
         "nd.space_to_depth(nd.tile(x[:, :2].reshape((1, 1, 2, 2)), reps=(1, 1, 1, 1)), 2)",
         "x[1]", "x[:, 1:]", "x[i[:2]]", "x[x > 1]")
NN = ("nd.softmax(x)", "nd.log_softmax(x)", "nd.softmin(x)", "nd.Activation(x, act_type='relu')",
      "nd.Activation(x, act_type='sigmoid')", "nd.Activation(x, act_type='softrelu')",
      "nd.LeakyReLU(x, slope=0.5)", "nd.LeakyReLU(x, act_type='elu')", "nd.dot(x, nd.transpose(y))",
      "nd.batch_dot(x.reshape((1, 2, 3)), y.reshape((1, 3, 2)))", "nd.FullyConnected(x, y[:1], num_hidden=1, no_bias=True)",
      "nd.Dropout(x, p=0.5)", "nd.SoftmaxActivation(x)", "nd.hard_sigmoid(x)",
      "nd.smooth_l1(x, scalar=1.0)", "nd.softmax(x, dtype='float64')", "nd.khatri_rao(x, y)",
      "nd.Embedding(i, x.reshape((3, 2)), input_dim=3, output_dim=2)", "nd.LRN(x.reshape((1, 2, 3, 1)), nsize=3)",
      "nd.Pooling(x.reshape((1, 1, 2, 3)), kernel=(1, 2), pool_type='max')",
      "nd.Pooling(x.reshape((1, 1, 2, 3)), kernel=(1, 2), pool_type='avg')",
      "nd.Convolution(x.reshape((1, 1, 2, 3)), y[:1, :2].reshape((1, 1, 1, 2)), kernel=(1, 2), num_filter=1, no_bias=True)",
      "nd.UpSampling(x.reshape((1, 1, 2, 3)), scale=2, sample_type='nearest')",
      "nd.BatchNorm(x.reshape((1, 2, 3)), b[:2], b[:2], b[:2], b[:2])", "nd.LayerNorm(x, b, b)",
      "nd.InstanceNorm(x.reshape((1, 2, 3)), b[:2], b[:2])", "nd.SoftmaxOutput(x, b[:2])",
      "nd.LinearRegressionOutput(x, y)", "nd.MakeLoss(x)", "nd.IdentityAttachKLSparseReg(x)",
      "nd.linalg.gemm2(x, nd.transpose(y))", "nd.linalg.syrk(x)", "nd.linalg.sumlogdiag(nd.dot(x, nd.transpose(y)))")
CREATE = ("nd.zeros((2, 2), dtype=dt)", "nd.ones((2,), dtype=dt)", "nd.full((2,), 3, dtype=dt)",
          "nd.arange(0, 4, dtype=dt)", "nd.eye(2, dtype=dt)", "nd.array([1, 2], dtype=dt)",
          "nd.empty((0,), dtype=dt)", "nd.linspace(0, 3, 4, dtype=dt)",
          "nd.random.uniform(0, 1, shape=(2,), dtype=dt).shape and nd.zeros((1,), dtype=dt)",
          "nd.random.normal(shape=(2,), dtype=dt) * 0", "nd.random.randint(0, 5, shape=(2,), dtype=dt) * 0",
          "nd.one_hot(nd.array([0, 2]), 3, dtype=dt)", "nd.arange_like(nd.zeros((3,), dtype=dt))")


def _cases():
    out = ["nd.%s(x)" % name for name in UNARY]
    out += ["nd.%s(x, y)" % name for name in BINARY]
    return out + list(SCALAR + REDUCE + SHAPE + NN + CREATE)


def _inputs(dt):
    nd = mx.nd
    x = np.array([[0.5, 1.0, 2.0], [3.0, 4.5, 5.0]])
    y = np.array([[1.0, 2.0, 3.0], [1.0, 1.5, 2.0]])
    b = np.array([1.0, 2.0, 1.0])
    return dict(nd=nd, dt=dt, x=nd.array(x.astype(dt), dtype=dt), y=nd.array(y.astype(dt), dtype=dt),
                b=nd.array(b.astype(dt), dtype=dt), i=nd.array([2, 0, 1], dtype="int32"))


def _record(value):
    if isinstance(value, (list, tuple)):
        value = value[0]
    arr = value.asnumpy()
    vals = arr.astype(np.float64).ravel()
    return {"dtype": str(arr.dtype), "shape": list(arr.shape),
            "values": [None if np.isnan(v) else float(v) for v in vals]}


def run():
    records = {}
    for expr in _cases():
        for dt in DTYPES:
            try:
                env = _inputs(dt)
                rec = _record(eval(expr, env))  # noqa: S307 - fixed expressions above
                mx.nd.waitall()
            except Exception as err:  # noqa: BLE001 - the error class is the record
                rec = {"error": type(err).__name__,
                       "mxnet_error": isinstance(err, mx.base.MXNetError),
                       "message": str(err).splitlines()[0][:160] if str(err) else ""}
            records["%s|%s" % (expr, dt)] = rec
    return records


def _close(a, b, dt):
    if a is None or b is None:
        return a is None and b is None
    tol = 2e-2 if dt == "float16" else 1e-5
    return a == b or abs(a - b) <= tol * (1 + abs(b))


def diff(ref, mine):
    """List the keys where mxtorch and the oracle records differ."""
    bad = []
    for key, want in ref.items():
        got = mine.get(key, {"error": "missing"})
        dt = key.rsplit("|", 1)[1]
        if "error" in want or "error" in got:
            if ("error" in want) != ("error" in got):
                bad.append((key, want.get("error") or want["dtype"], got.get("error") or got["dtype"],
                            got.get("message", "")))
            continue
        if want["dtype"] != got["dtype"] or want["shape"] != got["shape"]:
            bad.append((key, (want["dtype"], want["shape"]), (got["dtype"], got["shape"]), ""))
        elif "random" not in key and "Dropout" not in key and not all(
                _close(a, b, dt) for a, b in zip(got["values"], want["values"])):
            bad.append((key, want["values"][:6], got["values"][:6], ""))
    return bad


def main():
    records = run()
    if "--write" in sys.argv:
        with open(sys.argv[sys.argv.index("--write") + 1], "w") as fh:
            json.dump(records, fh, indent=0, sort_keys=True, separators=(",", ":"))
    if "--diff" in sys.argv:
        with open(sys.argv[sys.argv.index("--diff") + 1]) as fh:
            ref = json.load(fh)
        bad = diff(ref, records)
        for row in bad:
            print(*row, sep="  ||  ")
        print("%d cases, %d differ" % (len(ref), len(bad)))


if __name__ == "__main__":
    main()
