"""Mutation sweep (round-6 operator conformance): ``__setitem__`` with every index kind and value
kind, ``out=`` arguments, and in-place arithmetic on views and slices of legacy NDArrays.

Each case is a statement run on fresh arrays ``x`` (2x3x4 arange, float32), ``y`` (2x3 float32),
``z`` (2x3 zeros), ``w`` (int32 2x3) and ``v`` (a (4,) row); the record is the final state of every
array (dtype, shape, values), the value of ``r`` if the statement bound it, or the error class.

Oracle fixture: ``~/mxref/bin/python tools/op6_mutation_sweep.py --write tests/fixtures/operator6_mutation.json``
Differences:   ``.venv/bin/python -m mxtorch run tools/op6_mutation_sweep.py --diff tests/fixtures/operator6_mutation.json``
"""
import json
import sys

import numpy as np

import mxnet as mx

INDEX_KINDS = ("0", "-1", "1:", "::2", "(1, 2)", "(1, slice(1, 3))", "(Ellipsis, 1)", "(0, Ellipsis)",
               "(slice(None), 1, slice(None, None, 2))", "[0, 1]", "nd.array([1, 0], dtype='int32')",
               "np.array([1])", "(0, [0, 2])", "(slice(None), [2, 0])", "([0, 1], [1, 2])",
               "([1, 0], slice(None), [3, 0])", "(1, 2, 3)", "(-1, -1)", "slice(None)", "()",
               "(None, 1)", "nd.array([[0, 1]], dtype='int64')", "(0, nd.array([2, 1]))",
               "(slice(1, None), slice(None, None, -1))", "np.int64(1)", "(1, np.int32(2))",
               "(nd.array([0, 1]), nd.array([2, 2]), nd.array([1, 3]))")
VALUE_KINDS = ("7", "2.5", "np.float64(3.5)", "np.int32(4)", "True", "v", "v.asnumpy()",
               "nd.array([9.0])", "[1, 2, 3, 4]", "v.astype('float64')", "nd.array(8.0)",
               "np.ones((1, 4))")


def _setitem_cases():
    return ["x[%s] = %s" % (idx, val) for idx in INDEX_KINDS for val in VALUE_KINDS]


OUT_CASES = (
    "nd.broadcast_add(y, y, out=z)", "nd.elemwise_add(y, y, out=y)", "nd.sum(x, axis=2, out=z)",
    "nd.dot(y, nd.ones((3, 3)), out=z)", "nd.exp(y, out=z)",
    "r = nd.relu(y, out=z); r[:] = 5", "nd.broadcast_mul(y, v[:3], out=z)",
    "nd.zeros_like(y, out=y)", "nd.ones_like(y, out=z[1])",
    "nd.sum(x, axis=(1, 2), out=z[0, :2])", "nd.exp(y, out=x)", "nd.exp(y, out=w)",
    "nd.Cast(y, dtype='int32', out=w)", "nd.Cast(y, dtype='float32', out=w)", "nd.clip(y, 1, 2, out=y)",
    "nd.take(y, nd.array([1]), out=z[0:1])", "nd.concat(y, y, dim=0, out=z)",
    "nd.random.uniform(shape=(2, 3), out=z); z[:] = z < 2", "nd.one_hot(nd.array([1, 0]), 3, out=z)",
    "nd.square(y, out=z[0])", "nd.elemwise_mul(y, y, out=z); y += 1", "y.copyto(z)", "y.copyto(w)",
    "y.copyto(z[1])", "v.copyto(x[1, 2])", "nd.broadcast_to(v[:3], shape=(2, 3), out=z)",
    "r = nd.split(y, 3, axis=1, out=None)[0]", "nd.sgd_update(y, z, lr=0.5, out=y)",
    "nd.sgd_mom_update(y, nd.ones((2, 3)), z, lr=0.1, momentum=0.9, out=y)",
    "nd.linalg.gemm2(y, y, transpose_b=True, out=z[:, :2])", "nd.topk(y, k=2, out=z[:, :2])",
    "nd.argmax(y, axis=1, out=v[:2])", "nd.norm(y, out=v[1:2])", "nd.where(y > 2, y, z, out=z)",
)
VIEW_CASES = (
    "r = x[1]; r += 1", "r = x[1:2]; r *= 2", "r = x[:, 1]; r += 1", "r = x[0, 1]; r -= 1",
    "r = x.reshape((6, 4)); r[:] = 1", "r = x.reshape((6, 4)); r += 1", "r = x[1]; r[0] = 9",
    "r = x[0:1]; r[:] = v", "r = x.T; r += 1", "r = x.detach(); r += 3", "r = x.astype('float32', copy=False); r += 1",
    "r = x.astype('float32'); r += 1", "r = x[1]; r /= 2", "r = x[1:]; r %= 3", "r = x.flatten(); r[:] = 0",
    "r = x.expand_dims(0); r += 1", "r = x[0][1]; r[:] = 4", "r = x[0][1:2]; r[:] = 4", "r = x.as_in_context(mx.cpu()); r += 1",
    "r = x.copy(); r += 1", "r = y; r += y", "y += y", "y -= v[:3]", "y *= nd.array([[2], [3]])",
    "y /= 0.5", "y += 1.5; w += 1.5", "w *= 2.5", "w /= 2", "w %= 2", "y **= 2", "r = x[:, 1:2]; r += 1",
    "r = x[...]; r += 1", "r = x[1, ...]; r += 1", "r = x[(1,)]; r += 1", "r = x[-1]; r[:] = v",
    "r = x.slice_axis(axis=0, begin=0, end=1); r += 1", "r = x[1].reshape((12,)); r[0] = -1",
    "r = nd.reshape(x, shape=(4, 6)); r += 1", "r = x.squeeze(); r += 1", "w[:] = y", "y[:] = w",
    "y[:] = 2 ** 40", "w[:] = 2.9", "w[:] = -2.9", "w[0] = np.float64(1.7)",
    "r = x.reshape(-1); r[5] = 100", "r = x[1].T; r += 1",
)


def _env():
    nd = mx.nd
    return dict(nd=nd, mx=mx, np=np, x=nd.arange(24).reshape((2, 3, 4)),
                y=nd.array([[1, 2, 3], [4, 5, 6]]), z=nd.zeros((2, 3)),
                w=nd.array([[1, 2, 3], [4, 5, 6]], dtype="int32"),
                v=nd.array([10, 20, 30, 40]))


def _state(arr):
    a = arr.asnumpy()
    return {"dtype": str(a.dtype), "shape": list(a.shape),
            "values": [float(t) for t in a.astype(np.float64).ravel()]}


def run():
    records = {}
    for stmt in _setitem_cases() + list(OUT_CASES) + list(VIEW_CASES):
        env = _env()
        try:
            exec(stmt, env)  # noqa: S102 - fixed statements above
            mx.nd.waitall()
            rec = {k: _state(env[k]) for k in ("x", "y", "z", "w", "v", "r")
                   if isinstance(env.get(k), mx.nd.NDArray)}
        except Exception as err:  # noqa: BLE001 - the error class is the record
            rec = {"error": type(err).__name__, "message": str(err).splitlines()[0][:160]
                   if str(err) else ""}
        records[stmt] = rec
    return records


def diff(ref, mine):
    """The statements whose records differ between the oracle and mxtorch."""
    bad = []
    for key, want in ref.items():
        got = mine.get(key, {"error": "missing"})
        if "error" in want or "error" in got:
            if ("error" in want) != ("error" in got):
                bad.append((key, want.get("error", "ok"), got.get("error", "ok"),
                            got.get("message", "")))
            continue
        for name, state in want.items():
            mine_state = got.get(name)
            if "random" in key and name == "z":
                continue
            if mine_state is None or mine_state["dtype"] != state["dtype"] or \
                    mine_state["shape"] != state["shape"] or \
                    not np.allclose(mine_state["values"], state["values"], rtol=1e-5, atol=1e-6):
                bad.append((key, name, state["values"][:8], (mine_state or {}).get("values", [])[:8]))
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
