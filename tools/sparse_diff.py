"""Differential test of sparse storage types: every expression below x every {default, csr,
row_sparse} assignment of its array placeholders, run in MXNet 1.9.1 and in mxtorch.

For each case it records the result's storage type, shape, dtype, and either the dense values
or the stored parts (data, indices, indptr) -- or the exception class when the call fails.

Capture the oracle (writes the fixture replayed by tests/test_sparse_stypes.py)::

    ~/mxref/bin/python tools/sparse_diff.py --capture tests/fixtures/sparse_stypes.json

Compare mxtorch with it (prints every difference, exit status 1 if any)::

    .venv/bin/python tools/sparse_diff.py --compare tests/fixtures/sparse_stypes.json

Placeholders (single letters) and their dense values; sparse versions store the listed
positions, including explicit zeros (csr (1, 2) of x, row_sparse row 1 of x).
"""
import argparse
import itertools
import json
import math
import re
import sys
import warnings

import numpy as np

INPUTS = {
    "x": {"dense": [[0, 1, 0], [0, 0, 0], [2, 0, 3], [0, -4, 0], [0, 0, 0]],
          "csr_extra": [[1, 2]], "rsp_rows": [0, 1, 2, 3]},
    "y": {"dense": [[1, 0, 0], [0, 0, 0], [0, 0.5, 0], [0, 0, 0], [0, 0, 6]],
          "csr_extra": [], "rsp_rows": [0, 2, 4]},
    "w": {"dense": [[1, 0], [0, 0], [2, -1]], "csr_extra": [], "rsp_rows": [0, 2]},
    "v": {"dense": [[0, 1], [0, 0], [3, 0], [0, 0], [1, 1]], "csr_extra": [],
          "rsp_rows": [0, 2, 4]},
    "t": {"dense": [[1, 0, 2, 0, 0], [0, 0, 0, 3, 0]], "csr_extra": [], "rsp_rows": [0, 1]},
    "u": {"dense": [[1, 0, 1], [0, 2, 0]], "csr_extra": [], "rsp_rows": [0, 1]},
}

UNARY = ["abs", "sign", "round", "rint", "ceil", "floor", "trunc", "fix", "square", "sqrt",
         "cbrt", "rsqrt", "rcbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "sin",
         "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
         "arccosh", "arctanh", "degrees", "radians", "relu", "sigmoid", "softsign",
         "negative", "reciprocal", "gamma", "gammaln", "erf", "BlockGrad",
         "make_loss", "zeros_like", "ones_like", "stop_gradient", "identity"]

EXPRS = [f"mx.nd.{name}(x)" for name in UNARY] + [
    # scalars and Python operators
    "x * 2", "x * 0", "2 * x", "x / 2", "x / 0", "2 / x", "x + 0", "x + 1", "0 + x",
    "x - 0", "x - 1", "1 - x", "0 - x", "-x", "abs(x)", "x ** 2", "x % 2",
    "x > 0", "x > -1", "x >= 0", "x < 0", "x < 1", "x <= 0", "x == 0", "x != 0",
    "x == 1", "x != 1", "mx.nd.clip(x, 0, 1)", "mx.nd.clip(x, 1, 2)",
    "mx.nd.clip(x, -1, 0.5)", "mx.nd.Cast(x, dtype='float64')", "x.astype('int32')",
    "mx.nd.maximum(x, 0)", "mx.nd.minimum(x, 0)", "mx.nd._internal._plus_scalar(x, scalar=0)",
    "mx.nd._internal._minus_scalar(x, scalar=0)", "mx.nd._internal._mul_scalar(x, scalar=3)",
    "mx.nd._internal._div_scalar(x, scalar=4)", "x.copy()", "x.T", "x[:]",
    # two arrays
    "x + y", "x - y", "x * y", "x / y", "x > y", "x == y",
    "mx.nd.elemwise_add(x, y)", "mx.nd.elemwise_sub(x, y)", "mx.nd.elemwise_mul(x, y)",
    "mx.nd.elemwise_div(x, y)", "mx.nd.broadcast_add(x, y)", "mx.nd.broadcast_sub(x, y)",
    "mx.nd.broadcast_mul(x, y)", "mx.nd.broadcast_div(x, y)", "mx.nd.maximum(x, y)",
    "mx.nd.add_n(x, y)", "mx.nd.add_n(x, y, x)", "mx.nd.sparse.add(x, y)",
    "mx.nd.sparse.subtract(x, y)", "mx.nd.sparse.multiply(x, y)", "mx.nd.sparse.divide(x, y)",
    "mx.nd.sparse.multiply(x, 2)", "mx.nd.sparse.add(x, 0)",
    "mx.nd.broadcast_mul(x, mx.nd.array([[1, 2, 3]]))",
    "mx.nd.broadcast_div(x, mx.nd.array([[1], [2], [3], [4], [5]]))",
    "mx.nd.broadcast_add(x, mx.nd.array([[1, 2, 3]]))",
    # dot family
    "mx.nd.dot(x, w)", "mx.nd.dot(x, v, transpose_a=True)", "mx.nd.dot(x, u, transpose_b=True)",
    "mx.nd.dot(t, x)", "mx.nd.dot(v, x, transpose_a=True)",
    "mx.nd.dot(x, w, forward_stype='row_sparse')", "mx.nd.dot(x, w, forward_stype='csr')",
    "mx.nd.dot(x, w, forward_stype='default')", "mx.nd.sparse.dot(x, w)",
    # slicing, gathering, joining
    "x[1:3]", "x[1]", "mx.nd.slice(x, begin=(1, 0), end=(3, 2))",
    "mx.nd.slice(x, begin=(1,), end=(4,))", "mx.nd.slice_axis(x, axis=0, begin=1, end=3)",
    "mx.nd.take(x, mx.nd.array([2, 0, 2]))", "mx.nd.take(x, mx.nd.array([2, 0]), axis=1)",
    "mx.nd.concat(x, y, dim=0)", "mx.nd.concat(x, y, dim=1)",
    "mx.nd.sparse.retain(x, mx.nd.array([0, 1, 4]))",
    "mx.nd._internal._square_sum(x, axis=1, keepdims=True)",
    "mx.nd._internal._square_sum(x, axis=1)", "mx.nd._internal._square_sum(x, axis=0)",
    "mx.nd._internal._square_sum(x, axis=0, keepdims=True)",
    # reductions
    "mx.nd.sum(x)", "mx.nd.sum(x, axis=0)", "mx.nd.sum(x, axis=1)", "mx.nd.mean(x)",
    "mx.nd.mean(x, axis=1)", "mx.nd.norm(x)", "mx.nd.max(x)",
    # storage changes and others
    "mx.nd.cast_storage(x, 'csr')", "mx.nd.cast_storage(x, 'row_sparse')",
    "mx.nd.cast_storage(x, 'default')", "mx.nd.where(x, y, y)",
    "mx.nd.reshape(x, (3, 5))", "mx.nd.Flatten(x)",
    "mx.nd.FullyConnected(x, u, num_hidden=2, no_bias=True)",
    "mx.nd.contrib.getnnz(x)", "mx.nd.contrib.getnnz(x, axis=1)",
    "mx.nd._internal._scatter_elemwise_div(x, y)",
    "mx.nd._internal._scatter_plus_scalar(x, scalar=1)",
    "mx.nd._internal._scatter_minus_scalar(x, scalar=1)",
    "mx.nd.sparse.abs(x)", "mx.nd.sparse.exp(x)", "mx.nd.sparse.zeros_like(x)",
    # dtypes, more attributes, chains
    "mx.nd.dot(x.astype('float64'), w.astype('float64'))",
    "mx.nd.dot(x.astype('float16'), w.astype('float16'))",
    "mx.nd.dot(x.astype('int32'), w.astype('int32'))",
    "mx.nd.dot(x.astype('float64'), v.astype('float64'), transpose_a=True)",
    "mx.nd.dot(u, x, transpose_b=True)", "mx.nd.dot(x, w.T)",
    "mx.nd.sum(x, axis=(0, 1))", "mx.nd.sum(x, axis=0, keepdims=True)",
    "mx.nd.mean(x, axis=0, exclude=True)", "mx.nd.sum(x.astype('float64'), axis=1)",
    "mx.nd.sum(x.astype('int32'), axis=0)", "mx.nd.norm(x, axis=1)",
    "mx.nd.slice(x, begin=(-3,), end=(None,))", "x[-1]", "x[2:]",
    "mx.nd.take(x, mx.nd.array([4, -1, 7]), mode='wrap')", "mx.nd.take(x, mx.nd.array([4, 9]))",
    "mx.nd.concat(x, y, x, dim=0)", "mx.nd.sparse.retain(x, mx.nd.array([3, 0]))",
    "mx.nd.broadcast_mul(x, mx.nd.array([[2], [3], [4], [5], [6]]))",
    "mx.nd.broadcast_div(x, mx.nd.array([[1, 2, 4]]))",
    "x.astype('float64') * 2", "mx.nd.abs(x.astype('float16'))", "x.astype('int32') * 3",
    "mx.nd.elemwise_add(x, y.astype('float64'))", "mx.nd.square(x) + y",
    "x.tostype('default')", "mx.nd.sparse.zeros_like(x) + x", "mx.nd.where(x > 0, y, y)",
    "mx.nd.clip(x, -2, 2)", "mx.nd.Embedding(mx.nd.array([0, 2]), w, input_dim=3, output_dim=2)",
    "mx.nd.relu(x) * x", "mx.nd.sign(x) * y", "mx.nd.log1p(x) + mx.nd.expm1(x)",
    "mx.nd.elemwise_sub(x, x)", "mx.nd.elemwise_mul(x, x)", "x * 0 + x",
    "mx.nd.add_n(x, x, x)", "mx.nd.sparse.divide(x, 2)", "mx.nd.negative(x) - x",
]

STYPES = ("default", "csr", "row_sparse")
_NAMES = re.compile(r"(?<![\w.'])([xyzwvtu])(?![\w'])")


def placeholders(expr):
    """Array placeholders used in ``expr``, in order of first use."""
    seen = []
    for name in _NAMES.findall(expr):
        if name not in seen:
            seen.append(name)
    return seen


def make_input(mx, name, stype):
    """Placeholder ``name`` as an array of ``stype`` (explicit stored zeros kept)."""
    spec = INPUTS[name]
    dense = np.array(spec["dense"], dtype=np.float32)
    if stype == "default":
        return mx.nd.array(dense)
    if stype == "row_sparse":
        rows = spec["rsp_rows"]
        return mx.nd.sparse.row_sparse_array((dense[rows], np.array(rows, dtype=np.int64)),
                                             shape=dense.shape)
    stored = {tuple(p) for p in np.argwhere(dense != 0).tolist()}
    stored |= {tuple(p) for p in spec["csr_extra"]}
    stored = sorted(stored)
    data = np.array([dense[p] for p in stored], dtype=np.float32)
    cols = np.array([p[1] for p in stored], dtype=np.int64)
    indptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
    for r, _ in stored:
        indptr[r + 1:] += 1
    return mx.nd.sparse.csr_matrix((data, cols, indptr), shape=dense.shape)


def _plain(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        return [None if math.isnan(v) else (str(v) if math.isinf(v) else float(f"{v:.6g}"))
                for v in a.reshape(-1).tolist()]
    return a.reshape(-1).tolist()


def describe(out):
    """A JSON-able record of one result."""
    if isinstance(out, (list, tuple)):
        return {"list": [describe(o) for o in out]}
    rec = {"stype": out.stype, "shape": list(out.shape), "dtype": np.dtype(out.dtype).name,
           "values": _plain(out.asnumpy())}
    if out.stype == "csr":
        indptr = out.indptr.asnumpy()
        nnz = int(indptr[-1])  # MXNet may leave unused (garbage) slots after the last entry
        rec["indptr"] = _plain(indptr)
        rec["data"] = _plain(out.data.asnumpy()[:nnz])
        rec["indices"] = _plain(out.indices.asnumpy()[:nnz])
    elif out.stype == "row_sparse":
        rec["data"] = _plain(out.data.asnumpy())
        rec["indices"] = _plain(out.indices.asnumpy())
    return rec


def run_case(mx, expr, stypes):
    env = {"mx": mx}
    for name, stype in stypes.items():
        env[name] = make_input(mx, name, stype)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return describe(eval(expr, env))  # noqa: S307 - expressions are this file's own
    except Exception as err:  # noqa: BLE001 - the failure itself is the observation
        return {"error": type(err).__name__}


def cases():
    for expr in EXPRS:
        names = placeholders(expr)
        for combo in itertools.product(STYPES, repeat=len(names)):
            yield expr, dict(zip(names, combo))


def capture(path):
    import mxnet as mx
    out = {"inputs": INPUTS, "cases": []}
    for expr, stypes in cases():
        out["cases"].append({"expr": expr, "stypes": stypes, "mxnet": run_case(mx, expr, stypes)})
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"{len(out['cases'])} cases written to {path}")


# Cases where mxtorch deliberately differs from MXNet 1.9.1 (see compat/io.md, "Sparse"):
# name -> predicate on (expr, stypes).
DEVIATIONS = {
    # ops MXNet defines for sparse inputs only; mxtorch also computes them on dense arrays
    "dense input accepted": lambda e, st: set(st.values()) == {"default"} and any(
        k in e for k in ("retain(", "_square_sum(", "getnnz(")),
    # MXNet 1.9.1's CPU dot has no float16 / integer kernels; mxtorch computes them
    "dot dtypes": lambda e, st: e.startswith("mx.nd.dot(x.astype('float16')") or
    e.startswith("mx.nd.dot(x.astype('int32')"),
}


def deviation(expr, stypes):
    """The name of the deliberate deviation covering this case, or None."""
    for name, applies in DEVIATIONS.items():
        if applies(expr, stypes):
            return name
    return None


def canonical(rec):
    """``rec`` with csr entries sorted by (row, column): MXNet's csr sums may leave a row's
    entries unsorted; the stored set and the values are what must agree."""
    if rec.get("stype") != "csr" or not rec.get("indices"):
        return rec
    indptr = rec["indptr"]
    order = sorted(range(len(rec["indices"])),
                   key=lambda i: (next(r for r in range(len(indptr) - 1)
                                       if indptr[r] <= i < indptr[r + 1]), rec["indices"][i]))
    return dict(rec, data=[rec["data"][i] for i in order],
                indices=[rec["indices"][i] for i in order])


def _same_values(a, b):
    if len(a) != len(b):
        return False
    for p, q in zip(a, b):
        if isinstance(p, str) or isinstance(q, str) or p is None or q is None:
            if p != q:
                return False
        elif not math.isclose(p, q, rel_tol=1e-5, abs_tol=1e-6):
            return False
    return True


def differences(want, got):
    """Human-readable differences between two records (empty when they agree)."""
    if "error" in want or "error" in got:
        ok = ("error" in want) == ("error" in got)
        return [] if ok else [f"oracle {want.get('error', 'ok')} vs {got.get('error', 'ok')}"]
    if "list" in want:
        if "list" not in got or len(want["list"]) != len(got["list"]):
            return ["output count differs"]
        return [d for w, g in zip(want["list"], got["list"]) for d in differences(w, g)]
    want, got = canonical(want), canonical(got)
    diffs = []
    for key in ("stype", "shape", "dtype"):
        if want.get(key) != got.get(key):
            diffs.append(f"{key} {want.get(key)} vs {got.get(key)}")
    if diffs:
        return diffs
    for key in ("values", "data", "indices", "indptr"):
        if key in want and not _same_values(want[key], got.get(key, [])):
            diffs.append(f"{key} {want[key]} vs {got.get(key)}")
    return diffs


def compare(path, verbose=True):
    import mxtorch as mx
    with open(path) as f:
        fixture = json.load(f)
    bad = 0
    for case in fixture["cases"]:
        if deviation(case["expr"], case["stypes"]):
            continue
        got = run_case(mx, case["expr"], case["stypes"])
        diffs = differences(case["mxnet"], got)
        if diffs:
            bad += 1
            if verbose:
                print(f"{case['expr']}  {case['stypes']}: {'; '.join(diffs)}")
    print(f"{len(fixture['cases'])} cases, {bad} differ")
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capture", metavar="JSON")
    parser.add_argument("--compare", metavar="JSON")
    args = parser.parse_args()
    if args.capture:
        capture(args.capture)
    if args.compare:
        sys.exit(1 if compare(args.compare) else 0)


if __name__ == "__main__":
    main()
