"""Capture MXNet 1.9.1's optimizer updates with row_sparse gradients (lazy and standard) into
``tests/fixtures/sparse_updates.json``, replayed by ``tests/test_sparse_updates.py``.

Run with the oracle interpreter (real MXNet 1.9.1), from the repository root:

    ~/mxref/bin/python tools/gen_sparse_updates.py

Every case starts from a fixed weight and states, applies several steps (a gradient with a
stored all-zero row, unsorted indices, an empty gradient, clipping and rescaling) and records
the weight and states after each step, with their storage types.
"""
import json
import os

import mxnet as mx
import numpy as np

nd = mx.nd
SHAPE = (6, 2)
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "sparse_updates.json")

# (function path, number of states, attribute sets, state init values, valid stype combos)
OPS = {
    "sgd_update": ("sgd_update", 0, [0.6]),
    "sgd_mom_update": ("sgd_mom_update", 1, [0.1]),
    "adam_update": ("adam_update", 2, [0.1, 0.2]),
    "ftrl_update": ("ftrl_update", 2, [0.1, 0.2]),
    "_sparse_adagrad_update": ("sparse.adagrad_update", 1, [0.1]),
    "_contrib_group_adagrad_update": ("contrib.group_adagrad_update", 1, [0.1]),
}

BASE_ATTRS = {
    "sgd_update": dict(lr=0.1, wd=0.5),
    "sgd_mom_update": dict(lr=0.1, wd=0.5, momentum=0.9),
    "adam_update": dict(lr=0.1, wd=0.5, beta1=0.8, beta2=0.9, epsilon=1e-6),
    "ftrl_update": dict(lr=0.1, wd=0.5, lamda1=0.01, beta=1.0),
    "_sparse_adagrad_update": dict(lr=0.1, epsilon=1e-7),
    "_contrib_group_adagrad_update": dict(lr=0.1, epsilon=1e-5),
}

# gradient steps: (rows, kind); row 3 of the first is stored with zeros
STEPS = [([1, 3], "zero_row"), ([0, 2, 4], "random"), ([], "empty"), ([1, 5], "large")]
# NOTE: unsorted rows are not a valid row_sparse array (MXNet's dense fallback misreads
# them), but MXNet's lazy kernels take them row by row: replayed only where a kernel runs.
UNSORTED = ([4, 0, 2], "random")


def lazy_kernel_runs(op, attrs, w_stype, s_stype):
    if op == "ftrl_update":
        return w_stype == s_stype == "row_sparse"
    return attrs.get("lazy_update", True) and w_stype == s_stype


def grad_of(rows, kind, rng):
    data = rng.uniform(-1, 1, size=(len(rows),) + SHAPE[1:]).astype("float32")
    if kind == "zero_row":
        data[1] = 0
    if kind == "large":
        data *= 10
    return data


def rounded(a):
    """Nested lists of floats with float32's significant digits (a smaller file)."""
    return np.vectorize(lambda x: float(f"{x:.8g}"), otypes=[object])(np.asarray(a)).tolist()


def func(path):
    f = nd
    for part in path.split("."):
        f = getattr(f, part)
    return f


def run_case(op, attrs, w_stype, s_stype, seed):
    path, n_states, inits = OPS[op]
    rng = np.random.RandomState(seed)
    weight = rng.uniform(-1, 1, size=SHAPE).astype("float32")
    state_shape = (SHAPE[0],) if op == "_contrib_group_adagrad_update" else SHAPE
    states = [np.full(state_shape, v, dtype="float32") for v in inits[:n_states]]
    if op == "ftrl_update":
        states[1] = np.abs(rng.uniform(0.1, 1, size=SHAPE)).astype("float32")
    w = nd.array(weight).tostype(w_stype)
    ss = [nd.array(s).tostype(s_stype) for s in states]
    case = dict(op=op, attrs=attrs, weight_stype=w_stype, state_stype=s_stype,
                weight=rounded(weight), states=[rounded(s) for s in states], steps=[])
    steps = STEPS + ([UNSORTED] if lazy_kernel_runs(op, attrs, w_stype, s_stype) else [])
    for rows, kind in steps:
        data = grad_of(rows, kind, rng)
        g = nd.sparse.row_sparse_array((data, np.array(rows, dtype="int64")), shape=SHAPE)
        try:
            func(path)(w, g, *ss, out=w, **attrs)
            w.wait_to_read()
        except mx.base.MXNetError as err:
            lines = str(err).splitlines()
            case["error"] = next((x for x in lines if "Error" in x), lines[0])[:200]
            return case
        case["steps"].append(dict(
            rows=rows, data=rounded(data), weight=rounded(w.asnumpy()), weight_stype=w.stype,
            states=[rounded(s.asnumpy()) for s in ss], state_stypes=[s.stype for s in ss]))
    return case


def main():
    cases = []
    seed = 0
    for op in OPS:
        variants = [dict(), dict(rescale_grad=0.5, clip_gradient=0.3)]
        lazies = [True, False] if op in ("sgd_update", "sgd_mom_update", "adam_update") else [None]
        combos = [("default", "default"), ("row_sparse", "row_sparse")]
        if OPS[op][1]:
            combos += [("default", "row_sparse"), ("row_sparse", "default")]
        for extra in variants:
            for lazy in lazies:
                for w_stype, s_stype in combos:
                    attrs = dict(BASE_ATTRS[op], **extra)
                    if lazy is not None:
                        attrs["lazy_update"] = lazy
                    seed += 1
                    cases.append(run_case(op, attrs, w_stype, s_stype, seed))
    with open(OUT, "w") as f:
        json.dump({"mxnet": mx.__version__, "shape": SHAPE, "cases": cases}, f)
    print(f"wrote {len(cases)} cases ({sum('error' in c for c in cases)} MXNet errors) to "
          f"{os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
