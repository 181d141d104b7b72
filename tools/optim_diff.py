"""Differential test of mx.optimizer / mx.lr_scheduler / mx.init against real MXNet 1.9.1.

Needs the oracle venv (~/mxref, real MXNet); not run by CI. Run from the repository root:

    .venv/bin/python tools/optim_diff.py [--oracle ~/mxref/bin/python] [-v]

To refresh the fixtures the tests compare with (tests/test_optimizer.py etc.):

    ~/mxref/bin/python tools/optim_diff.py --side mxnet \
        --write-fixtures tests/fixtures/optim_extra > /dev/null

The same case list is run by both interpreters (this file re-runs itself with
``--side mxnet`` under the oracle and ``--side mxtorch`` under the project venv); each side
pickles its results (numbers as numpy arrays, errors as ``(type name, message)``) and the
parent compares them: scheduler values exactly (1e-12 relative), optimizer weights/states
after 6 steps with float32 rtol 1e-5 atol 1e-6 (float16: 1e-3), initializer fills exactly
for the deterministic initializers, statistics for the random ones, ``dumps()`` strings
exactly, error types for bad arguments.
"""
import argparse
import os
import pickle
import subprocess
import sys

import numpy as np

SEED = 1234


# ----------------------------------------------------------------------------- cases
def scheduler_cases():
    cases = []
    for warm in ({}, {"warmup_steps": 4, "warmup_begin_lr": 0.001},
                 {"warmup_steps": 3, "warmup_begin_lr": 0.002, "warmup_mode": "constant"}):
        for step, factor in ((1, 0.9), (3, 0.5), (5, 1.0)):
            cases.append(("FactorScheduler", dict(step=step, factor=factor, base_lr=0.1,
                                                  **warm)))
        cases.append(("FactorScheduler", dict(step=2, factor=0.1, stop_factor_lr=1e-4,
                                              base_lr=0.1, **warm)))
        for step in ([2, 5, 9], [1], [3, 4, 30]):
            cases.append(("MultiFactorScheduler", dict(step=step, factor=0.3, base_lr=0.2,
                                                       **warm)))
        for pwr in (1, 2, 0.5):
            cases.append(("PolyScheduler", dict(max_update=20, base_lr=0.1, pwr=pwr,
                                                final_lr=0.001, **warm)))
        cases.append(("CosineScheduler", dict(max_update=25, base_lr=0.3, final_lr=0.01,
                                              **warm)))
        cases.append(("CosineScheduler", dict(max_update=7, **warm)))
    bad = [("FactorScheduler", dict(step=0)), ("FactorScheduler", dict(step=2, factor=1.5)),
           ("MultiFactorScheduler", dict(step=[3, 2])), ("MultiFactorScheduler", dict(step=[0])),
           ("MultiFactorScheduler", dict(step=4)), ("MultiFactorScheduler", dict(step=[2],
                                                                               factor=2)),
           ("PolyScheduler", dict(max_update=0)), ("PolyScheduler", dict(max_update=2.5)),
           ("CosineScheduler", dict(max_update=-1)),
           ("LRScheduler", dict(warmup_steps=-1)), ("LRScheduler", dict(warmup_steps=1.5)),
           ("LRScheduler", dict(base_lr=0.01, warmup_begin_lr=0.1)),
           ("LRScheduler", dict(warmup_mode="cubic")),
           ("FactorScheduler", dict(step=2, warmup_steps=2, warmup_mode="exp"))]
    return cases + bad


UPDATES = list(range(0, 32)) + [40, 35, 50, 10, 100]


def run_schedulers(mx):
    out = []
    for name, kw in scheduler_cases():
        try:
            sched = getattr(mx.lr_scheduler, name)(**kw)
            vals = []
            for n in UPDATES:
                try:
                    vals.append(float(sched(n)))
                except Exception as e:  # noqa: BLE001
                    vals.append(_err(e))
            out.append(vals)
        except Exception as e:  # noqa: BLE001
            out.append(_err(e))
    return out


def _err(e):
    """An error as ("error", names of its class and bases)."""
    return ("error", tuple(c.__name__ for c in type(e).__mro__))


def optimizer_cases():
    base = [
        ("sgd", {}), ("sgd", dict(momentum=0.9, wd=0.01, clip_gradient=0.2, rescale_grad=0.7)),
        ("sgd", dict(momentum=0.5, multi_precision=True)), ("sgd", dict(multi_precision=True)),
        ("nag", dict(momentum=0.9, wd=0.001)), ("nag", dict(momentum=0.9, multi_precision=True)),
        ("adam", dict(wd=0.1, clip_gradient=0.3, beta1=0.5)), ("adam", dict(lazy_update=False)),
        ("adam", dict(multi_precision=True, learning_rate=0.05)),
        ("rmsprop", dict(gamma1=0.8, wd=0.01)), ("rmsprop", dict(centered=True,
                                                                clip_weights=0.4)),
        ("adagrad", dict(eps=1e-3, wd=0.02, clip_gradient=0.5)),
        ("adadelta", dict(rho=0.8, rescale_grad=2.0, clip_gradient=0.4)),
        ("adamax", dict(beta1=0.7, clip_gradient=1.0)), ("nadam", dict(schedule_decay=0.01)),
        ("ftrl", dict(lamda1=0.02, beta=0.5, wd=0.01)), ("ftml", dict(clip_gradient=0.3)),
        ("signum", dict(momentum=0.8, wd_lh=0.1)), ("signum", dict(momentum=0.0, wd=0.1)),
        ("dcasgd", dict(lamda=0.1, wd=0.01)),
        ("lamb", dict(wd=0.01)), ("lamb", dict(bias_correction=False, lower_bound=0.5,
                                               upper_bound=1.5, clip_gradient=0.3)),
        ("lamb", dict(multi_precision=True)),
        ("lars", dict(momentum=0.9, eta=0.01, wd=0.001)), ("lars", dict(eps=1e-3)),
        ("lbsgd", dict(momentum=0.9, warmup_strategy="sqrt", warmup_epochs=1,
                       batch_scale=2, updates_per_epoch=3)),
        ("lbsgd", dict(warmup_strategy="power2", batch_scale=3, updates_per_epoch=2)),
        ("groupadagrad", dict(eps=1e-4)), ("ccsgd", dict(momentum=0.3)), ("test", {}),
        ("lars", dict(momentum=0.9, multi_precision=True)),
        ("lars", dict(momentum=0.9, momentum_correction=False, clip_gradient=0.1)),
        ("nag", dict(multi_precision=True)), ("rmsprop", dict(multi_precision=True)),
        ("ftml", dict(multi_precision=True, wd=0.01)), ("adagrad", dict(multi_precision=True)),
        ("signum", dict(multi_precision=True)),
        ("lbsgd", dict(momentum=0.5, multi_precision=True, batch_scale=2,
                       updates_per_epoch=2, warmup_epochs=1)),
        ("lbsgd", dict(warmup_strategy="lars", batch_scale=2, updates_per_epoch=2)),
        ("groupadagrad", dict(wd=0.1)), ("sgd", dict(momentum=0.9, begin_num_update=3)),
        ("adam", dict(begin_num_update=5, rescale_grad=0.25)),
        ("sgd", dict(clip_gradient=0.0, momentum=0.9)),
    ]
    cases = []
    for name, kw in base:
        kw = dict(kw)
        kw.setdefault("learning_rate", 0.1)
        dtype = "float16" if kw.get("multi_precision") else "float32"
        cases.append((name, kw, dtype, False))
    for name, kw in (("sgd", dict(momentum=0.9, wd=0.01, learning_rate=0.1)),
                     ("sgd", dict(momentum=0.9, wd=0.01, learning_rate=0.1, clip_gradient=0.5)),
                     ("sgd", dict(wd=0.01, learning_rate=0.1)),
                     ("nag", dict(momentum=0.9, wd=0.01, learning_rate=0.1)),
                     ("lamb", dict(wd=0.01, learning_rate=0.1, clip_gradient=0.5)),
                     ("adam", dict(wd=0.01, learning_rate=0.1)),
                     ("lars", dict(momentum=0.9, learning_rate=0.1, wd=0.01)),
                     ("rmsprop", dict(learning_rate=0.1))):
        kw = dict(kw, param_idx2name={0: "fc_weight", 1: "fc_bias", 2: "bn_gamma"})
        cases.append((name, kw, "float32", True))
    return cases


def _data(dtype):
    rng = np.random.RandomState(SEED)
    ws = [rng.randn(4, 3).astype(dtype) for _ in range(3)]
    gs = [[rng.randn(4, 3).astype(dtype) for _ in range(3)] for _ in range(6)]
    return ws, gs


def run_optimizers(mx):
    out = []
    for name, kw, dtype, as_list in optimizer_cases():
        try:
            opt = mx.optimizer.create(name, **kw)
            if as_list:
                opt.set_lr_mult({"fc_weight": 0.5, 2: 2.0})
            upd = mx.optimizer.get_updater(opt)
            ws, gs = _data(dtype)
            weights = [mx.nd.array(w, dtype=dtype) for w in ws]
            for step in gs:
                grads = [mx.nd.array(g, dtype=dtype) for g in step]
                if as_list:
                    upd(list(range(3)), grads, weights)
                else:
                    for i in range(3):
                        upd(i, grads[i], weights[i])
            out.append(([w.asnumpy() for w in weights], _flatten(upd.states), opt.num_update))
        except Exception as e:  # noqa: BLE001
            out.append(_err(e))
    return out


def _flatten(states):
    flat = {}

    def rec(key, s):
        if s is None:
            flat[key] = None
        elif isinstance(s, (tuple, list)):
            for i, x in enumerate(s):
                rec(f"{key}/{i}", x)
        else:
            flat[key] = s.asnumpy()
    for k in sorted(states):
        rec(str(k), states[k])
    return flat


def sparse_cases():
    return [("sgd", dict(momentum=0.9, wd=0.1)), ("sgd", dict(wd=0.1)),
            ("sgd", dict(momentum=0.9, wd=0.1, lazy_update=False)),
            ("adam", dict(wd=0.1)), ("adam", dict(wd=0.1, lazy_update=False)),
            ("adagrad", dict(wd=0.0)), ("ftrl", dict(wd=0.1)), ("groupadagrad", {})]


def run_sparse(mx):
    out = []
    rng = np.random.RandomState(SEED)
    w0 = rng.randn(6, 3).astype("float32")
    rows = [[1, 4], [0, 1, 5], [2]]
    for name, kw in sparse_cases():
        for weight_stype in ("default", "row_sparse"):
            try:
                opt = mx.optimizer.create(name, learning_rate=0.1, **kw)
                upd = mx.optimizer.get_updater(opt)
                w = mx.nd.array(w0).tostype(weight_stype)
                for r in rows:
                    g = mx.nd.sparse.row_sparse_array((np.ones((len(r), 3), "float32") * 0.3,
                                                       r), shape=(6, 3))
                    upd(0, g, w)
                out.append((w.asnumpy(), {k: v for k, v in _flatten(upd.states).items()}))
            except Exception as e:  # noqa: BLE001
                out.append(_err(e))
    return out


def init_cases():
    return [("Zero", {}), ("One", {}), ("Constant", {"value": 0.25}), ("Bilinear", {}),
            ("LSTMBias", {"forget_bias": 2.5}), ("Uniform", {"scale": 0.3}),
            ("Normal", {"sigma": 0.2}), ("Orthogonal", {}),
            ("Orthogonal", {"scale": 0.5, "rand_type": "normal"}),
            ("Xavier", {}), ("Xavier", {"rnd_type": "gaussian", "factor_type": "in",
                                        "magnitude": 2}),
            ("Xavier", {"factor_type": "out", "magnitude": 6}),
            ("MSRAPrelu", {}), ("MSRAPrelu", {"factor_type": "in", "slope": 0.1})]


NAMES = ["fc_weight", "fc_bias", "bn_gamma", "bn_beta", "q_min", "q_max", "bn_moving_mean",
         "bn_moving_var", "bn_moving_inv_var", "x_moving_avg", "upsampling0_weight",
         "stn_loc_weight", "stn_loc_bias", "weird"]


def run_inits(mx):
    import warnings
    warnings.simplefilter("ignore")
    out = []
    for name, kw in init_cases():
        init = getattr(mx.init, name)(**kw)
        res = {"dumps": init.dumps()}
        exact = name in ("Zero", "One", "Constant", "Bilinear", "LSTMBias")
        for shape in ((6, 4, 3, 3), (64, 32), (6,)) if exact else ((32, 16, 3, 3), (256, 128)):
            arr = mx.nd.zeros(shape)
            try:
                init(mx.init.InitDesc("conv_weight"), arr)
                a = arr.asnumpy()
                bounded = name == "Uniform" or (name == "Xavier" and
                                                 kw.get("rnd_type", "uniform") == "uniform")
                res[shape] = a if exact else ("stat", float(a.std()),
                                              float(np.abs(a).max()) if bounded else 0.0)
            except Exception as e:  # noqa: BLE001
                res[shape] = _err(e)
        for n in NAMES:
            arr = mx.nd.ones((6,) if n == "stn_loc_bias" else (6, 1, 2, 2)) * 7
            for desc in (mx.init.InitDesc(n), n):
                try:
                    init(desc, arr)
                    a = arr.asnumpy()
                    res[(n, type(desc).__name__)] = a if name in ("Zero", "One", "Constant") \
                        or not n.endswith("weight") else a.shape
                except Exception as e:  # noqa: BLE001
                    res[(n, type(desc).__name__)] = _err(e)
        out.append(res)
    # __init__ attribute override and creation by name/alias/JSON
    arr = mx.nd.zeros((2, 2))
    mx.init.Uniform()(mx.init.InitDesc("w_weight", attrs={"__init__": mx.init.Constant(3)
                                                          .dumps()}), arr)
    out.append(arr.asnumpy())
    out.append([type(mx.init.create(n)).__name__ for n in ("zeros", "ones", "xavier",
                                                          "msraprelu", "bilinear")])
    # FusedRNN with a deterministic inner initializer
    for mode, bi, layers in (("lstm", True, 2), ("gru", False, 1), ("rnn_tanh", True, 1)):
        gates = {"lstm": 4, "gru": 3, "rnn_tanh": 1}[mode]
        b, h, i = (2 if bi else 1), 3, 5
        size = (i + h + 2) * h * gates * b + (layers - 1) * gates * h * (h + b * h + 2) * b
        arr = mx.nd.zeros((size,))
        fr = mx.init.FusedRNN(mx.init.Constant(0.5), h, layers, mode, bi, forget_bias=3.0)
        fr(mx.init.InitDesc("rnn_weight"), arr)
        arr2 = mx.nd.zeros((size,))
        fr2 = mx.init.FusedRNN(None, h, layers, mode, bi, forget_bias=3.0)
        mx.init.One()(mx.init.InitDesc("rnn_parameters", attrs={"__init__": fr2.dumps()}),
                      arr2)
        out.append((fr.dumps(), arr.asnumpy(), arr2.asnumpy()))
    return out


def encode(obj, arrays, path="r"):
    """``obj`` as JSON-able data; arrays go to ``arrays`` under their path."""
    if isinstance(obj, np.ndarray):
        arrays[path] = obj
        return {"__npz__": path}
    if isinstance(obj, dict):
        return {"__dict__": [[encode(k, arrays, f"{path}/k{i}"), encode(v, arrays, f"{path}/{i}")]
                             for i, (k, v) in enumerate(obj.items())]}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(x, arrays, f"{path}/{i}") for i, x in enumerate(obj)]}
    if isinstance(obj, list):
        return [encode(x, arrays, f"{path}/{i}") for i, x in enumerate(obj)]
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    return obj


def decode(obj, arrays):
    """Inverse of :func:`encode`."""
    if isinstance(obj, list):
        return [decode(x, arrays) for x in obj]
    if isinstance(obj, dict):
        if "__npz__" in obj:
            return arrays[obj["__npz__"]]
        if "__tuple__" in obj:
            return tuple(decode(x, arrays) for x in obj["__tuple__"])
        return {decode(k, arrays): decode(v, arrays) for k, v in obj["__dict__"]}
    return obj


def run_all(mx):
    """Every case group run on ``mx`` (real MXNet or mxtorch)."""
    mx.random.seed(SEED)
    import logging
    logging.disable(logging.CRITICAL)
    try:
        return {"sched": run_schedulers(mx), "opt": run_optimizers(mx),
                "sparse": run_sparse(mx), "init": run_inits(mx)}
    finally:
        logging.disable(logging.NOTSET)


def states_bytes(mx):
    """``Updater.get_states(dump_optimizer=True)`` after 3 Adam steps on two parameters with
    a FactorScheduler and names (written byte for byte the same by MXNet and mxtorch)."""
    rng = np.random.RandomState(7)
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.01)
    opt = mx.optimizer.Adam(learning_rate=0.01, wd=0.001, lr_scheduler=sched,
                            param_idx2name={0: 'fc_weight', 1: 'fc_bias'})
    upd = mx.optimizer.get_updater(opt)
    ws = [mx.nd.array(rng.randn(3, 2)), mx.nd.array(rng.randn(2))]
    for _ in range(3):
        for i in range(2):
            upd(i, mx.nd.array(rng.randn(*ws[i].shape)), ws[i])
    return upd.get_states(dump_optimizer=True)


def write_fixtures(res, directory):
    """Store the oracle's results as ``optim_diff.json`` + ``optim_diff.npz``."""
    import json
    os.makedirs(directory, exist_ok=True)
    arrays = {}
    data = encode(res, arrays)
    with open(os.path.join(directory, "optim_diff.json"), "w") as f:
        json.dump(data, f)
    np.savez_compressed(os.path.join(directory, "optim_diff.npz"), **arrays)
    import mxnet as mx
    with open(os.path.join(directory, "adam_sched_dump.states"), "wb") as f:
        f.write(states_bytes(mx))


def side(which, fixtures=None):
    if which == "mxnet":
        import mxnet as mx
    else:
        sys.path.insert(0, os.getcwd())
        import mxtorch as mx
    res = run_all(mx)
    if fixtures:
        write_fixtures(res, fixtures)
    sys.stdout.buffer.write(pickle.dumps(res))


# ----------------------------------------------------------------------------- compare
def _tag(x):
    if isinstance(x, tuple) and x and isinstance(x[0], str) and x[0] in ("error", "stat"):
        return x[0]
    return None


def _close(a, b, rtol, atol):
    tag_a, tag_b = _tag(a), _tag(b)
    if tag_a != tag_b:
        return False
    if tag_a == "error":
        return b[1][0] in a[1]  # mxtorch's error is (a subclass of) MXNet's
    if tag_a == "stat":
        return np.allclose(a[1:], b[1:], rtol=0.05)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and \
            a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-12 * max(1.0, abs(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rtol, atol) for k in a)
    return a == b


def _explain(r, g, rtol, atol, path):
    """Short descriptions of where ``g`` (mxtorch) differs from ``r`` (mxnet)."""
    if _close(g, r, rtol, atol):
        return []
    if isinstance(r, dict) and isinstance(g, dict) and r.keys() == g.keys():
        return [x for k in r for x in _explain(r[k], g[k], rtol, atol, f"{path}/{k}")]
    if isinstance(r, (list, tuple)) and isinstance(g, (list, tuple)) and len(r) == len(g):
        return [x for i, (a, b) in enumerate(zip(r, g))
                for x in _explain(a, b, rtol, atol, f"{path}[{i}]")]
    if isinstance(r, np.ndarray) and isinstance(g, np.ndarray) and r.shape == g.shape:
        return [f"{path}: max |diff| {np.abs(r.astype(float) - g).max():.3g}"]
    return [f"{path}: mxnet {str(r)[:200]!s} | mxtorch {str(g)[:200]!s}"]


def compare(ref, got, verbose):
    total = bad = 0
    labels = {"sched": scheduler_cases(), "opt": optimizer_cases(),
              "sparse": [c + (s,) for c in sparse_cases() for s in ("default", "row_sparse")],
              "init": init_cases() + ["__init__ attr", "create names", "fused lstm",
                                      "fused gru", "fused rnn_tanh"]}
    for key in ref:
        for i, (r, g) in enumerate(zip(ref[key], got[key])):
            total += 1
            case = labels[key][i]
            fp16 = key == "opt" and case[2] == "float16"
            rtol, atol = (1e-3, 1e-3) if fp16 else (1e-5, 1e-6)
            if not _close(g, r, rtol, atol):
                bad += 1
                print(f"DIFF {key}[{i}] {case}")
                if verbose:
                    for line in _explain(r, g, rtol, atol, "")[:8]:
                        print("   ", line)
    print(f"{total} cases, {bad} differences")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", choices=("mxnet", "mxtorch"))
    ap.add_argument("--oracle", default=os.path.expanduser("~/mxref/bin/python"))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--write-fixtures", metavar="DIR",
                    help="with --side mxnet: also store the oracle's results in DIR "
                         "(tests/fixtures/optim_extra, read by the tests)")
    args = ap.parse_args()
    if args.side:
        side(args.side, args.write_fixtures)
        return 0
    me = os.path.abspath(__file__)
    ref = pickle.loads(subprocess.run([args.oracle, me, "--side", "mxnet"], check=True,
                                      capture_output=True).stdout)
    got = pickle.loads(subprocess.run([sys.executable, me, "--side", "mxtorch"], check=True,
                                      capture_output=True).stdout)
    return 1 if compare(ref, got, args.verbose) else 0


if __name__ == "__main__":
    sys.exit(main())
