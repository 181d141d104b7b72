#!/usr/bin/env python3
"""Differential test of mx.io iterators and mx.metric against real MXNet 1.9.1 (not run by CI).

    cd /work/main && .venv/bin/python tools/io_metric_diff.py [--oracle ~/mxref/bin/python]
        [--write-fixture tests/fixtures/io/oracle_cases.json] [--only io|metric|native]

The script runs itself twice: once under the oracle interpreter (``import mxnet as mx``) and
once under this one (``import mxtorch as mx``). Each side runs the same generated cases and
writes what it saw (batches, pads, indices, provide_data/label, metric values, error or not)
to a JSON file; the parent compares them and prints the differences. Cases:
- NDArrayIter over n examples x batch_size x last_batch_handle x shuffle (same numpy seed)
  x input form (numpy, NDArray, list, dict, no label), three epochs, plus hard_reset.
- CSVIter (round_batch on/off), MNISTIter (shuffle off, flat, parts), LibSVMIter,
  ResizeIter and PrefetchingIter over NDArrayIters.
- every metric on random inputs, three updates with reset_local between, get/get_global.
``--write-fixture`` stores a compact subset of the oracle's answers for tests/test_io.py.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def _arr(x):
    if x is None:
        return None
    if hasattr(x, "asnumpy"):
        if getattr(x, "stype", "default") != "default":
            x = x.tostype("default")
        x = x.asnumpy()
    x = np.asarray(x)
    return {"dtype": str(x.dtype), "shape": list(x.shape), "v": x.ravel().tolist()}


def _batch(b):
    return {"data": [_arr(d) for d in b.data], "label": [_arr(d) for d in (b.label or [])],
            "pad": None if b.pad is None else int(b.pad), "index": _arr(b.index)}


def _descs(descs):
    return [[d.name, list(d.shape), np.dtype(d.dtype).name, getattr(d, "layout", None)]
            for d in descs]


def _epochs(it, count=3, hard=False):
    out = []
    for epoch in range(count):
        batches = []
        try:
            for b in it:
                batches.append(_batch(b))
        except Exception as err:  # recorded, compared by "raised or not"
            batches.append({"error": type(err).__name__})
        out.append(batches)
        if hard and epoch == 1:
            it.hard_reset()
        else:
            it.reset()
    return out


def _forms(n):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.float32) + 100
    return {"numpy": (x, y), "nolabel": (x, None), "list": ([x, x * 2], [y]),
            "dict": ({"b": x, "a": x[:, :2] * 3}, {"lab": y}), "int": (x.astype(np.int32), y)}


def io_cases(mx, only=None):
    """NDArrayIter cases (``only``: a set of keys to run, all when None)."""
    results = {}
    for n in (1, 2, 3, 5, 7, 10, 13):
        for bs in (1, 2, 3, 4, 6, 8, 15):
            for handle in ("pad", "discard", "roll_over"):
                for shuffle in (False, True):
                    for form, (data, label) in _forms(n).items():
                        if shuffle and form not in ("numpy", "list"):
                            continue
                        key = f"ndarrayiter/n{n}/bs{bs}/{handle}/shuffle{int(shuffle)}/{form}"
                        if only is not None and key not in only:
                            continue
                        results[key] = _ndarrayiter(mx, data, label, bs, handle, shuffle,
                                                    n * 7 + bs)
    return results


def _ndarrayiter(mx, data, label, bs, handle, shuffle, seed):
    np.random.seed(seed)
    try:
        it = mx.io.NDArrayIter(data, label, batch_size=bs, shuffle=shuffle,
                               last_batch_handle=handle)
        return {"provide_data": _descs(it.provide_data),
                "provide_label": _descs(it.provide_label),
                "epochs": _epochs(it, 3, hard=handle == "roll_over")}
    except Exception as err:
        return {"error": type(err).__name__}


def wrapper_cases(mx):
    """ResizeIter and PrefetchingIter over NDArrayIters."""
    results = {}
    for n, bs in ((5, 2), (6, 3), (7, 4)):
        x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
        for size in (1, 3, 5):
            for internal in (True, False):
                base = mx.io.NDArrayIter(x, np.arange(n), batch_size=bs)
                results[f"resize/n{n}/bs{bs}/s{size}/r{int(internal)}"] = _native(
                    lambda: mx.io.ResizeIter(base, size, reset_internal=internal))
        for rename in (None, [{"data": "a"}, {"data": "b"}]):
            iters = [mx.io.NDArrayIter(x, np.arange(n), batch_size=bs),
                     mx.io.NDArrayIter(x * 10, batch_size=bs)]
            results[f"prefetch/n{n}/bs{bs}/rename{int(bool(rename))}"] = _native(
                lambda: mx.io.PrefetchingIter(iters, rename_data=rename))
    return results


def _write_mnist(tmp, n):
    img = (np.arange(n * 28 * 28) % 251).astype(np.uint8).reshape(n, 28, 28)
    img[:, 0, 0] = np.arange(n)
    lab = (np.arange(n)[::-1] % 10).astype(np.uint8)
    paths = os.path.join(tmp, f"img{n}"), os.path.join(tmp, f"lab{n}")
    with open(paths[0], "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + img.tobytes())
    with open(paths[1], "wb") as f:
        f.write(struct.pack(">II", 2049, n) + lab.tobytes())
    return paths


def native_cases(mx, tmp):
    results = {}
    for n in (4, 5, 9, 10):
        data = os.path.join(tmp, f"d{n}.csv")
        np.savetxt(data, np.arange(n * 4).reshape(n, 4) * 0.5, delimiter=",", fmt="%g")
        label = os.path.join(tmp, f"l{n}.csv")
        np.savetxt(label, np.arange(n * 2).reshape(n, 2), delimiter=",", fmt="%g")
        for bs in (2, 3, 4):
            for rb in (True, False):
                for shape, lab in (((4,), None), ((2, 2), label)):
                    kw = {"label_csv": lab, "label_shape": (2,)} if lab else {}
                    results[f"csv/n{n}/bs{bs}/rb{int(rb)}/{len(shape)}d"] = _native(
                        lambda: mx.io.CSVIter(data_csv=data, data_shape=shape, batch_size=bs,
                                              round_batch=rb, **kw))
        img, lab = _write_mnist(tmp, n)
        for bs in (2, 3):
            for flat in (False, True):
                for parts in ((1, 0), (2, 1), (3, 0)):
                    results[f"mnist/n{n}/bs{bs}/flat{int(flat)}/p{parts}"] = _native(
                        lambda: mx.io.MNISTIter(image=img, label=lab, batch_size=bs,
                                                shuffle=False, flat=flat, silent=True,
                                                num_parts=parts[0], part_index=parts[1]))
        svm = os.path.join(tmp, f"s{n}.libsvm")
        with open(svm, "w") as f:
            for i in range(n):
                f.write(f"{i % 3} {i % 5}:{i + 1} {(i + 2) % 5}:0.5\n")
        for bs in (2, 3):
            results[f"libsvm/n{n}/bs{bs}"] = _native(
                lambda: mx.io.LibSVMIter(data_libsvm=svm, data_shape=(5,), batch_size=bs))
    return results


def _native(make):
    try:
        it = make()
        return {"provide_data": _descs(it.provide_data),
                "provide_label": _descs(it.provide_label), "epochs": _epochs(it, 3)}
    except Exception as err:
        return {"error": type(err).__name__}


METRICS = [("Accuracy", {}), ("Accuracy", {"axis": 0}), ("TopKAccuracy", {"top_k": 2}),
           ("TopKAccuracy", {"top_k": 3}), ("F1", {}), ("F1", {"average": "micro"}),
           ("MCC", {}), ("MCC", {"average": "micro"}), ("Perplexity", {"ignore_label": None}),
           ("Perplexity", {"ignore_label": 1}), ("MAE", {}), ("MSE", {}), ("RMSE", {}),
           ("CrossEntropy", {}), ("NegativeLogLikelihood", {}), ("PearsonCorrelation", {}),
           ("PearsonCorrelation", {"average": "micro"}), ("PCC", {}), ("Loss", {})]


def _metric_inputs(name, rng, n, classes):
    probs = rng.dirichlet(np.ones(classes), n).astype(np.float32)
    if name in ("F1", "MCC"):
        return rng.randint(0, 2, n).astype(np.float32), \
            rng.dirichlet(np.ones(2), n).astype(np.float32)
    if name in ("MAE", "MSE", "RMSE", "PearsonCorrelation"):
        return rng.randn(n).astype(np.float32), rng.randn(n).astype(np.float32)
    if name == "PCC":
        return rng.randint(0, classes, n).astype(np.float32), probs
    return rng.randint(0, classes, n).astype(np.float32), probs


def metric_cases(mx):
    results = {}
    for name, kwargs in METRICS:
        for trial in range(4):
            rng = np.random.RandomState(trial)
            key = f"metric/{name}/{json.dumps(kwargs, sort_keys=True)}/{trial}"
            out = []
            try:
                metric = getattr(mx.metric, name)(**kwargs)
                for step in range(3):
                    label, pred = _metric_inputs(name, rng, 4 + 3 * trial + step, 3 + trial)
                    metric.update([mx.nd.array(label)], [mx.nd.array(pred)])
                    out.append([list(metric.get()), list(metric.get_global())])
                    if step == 1:
                        metric.reset_local()
            except Exception as err:
                out.append({"error": type(err).__name__})
            results[key] = out
    return results


def run_side(out_path, only):
    if os.environ.get("IOMD_SIDE") == "mxnet":
        import mxnet as mx
    else:
        sys.path.insert(0, os.path.dirname(HERE))
        import mxtorch as mx
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if only in (None, "io"):
            results.update(io_cases(mx))
        if only in (None, "native"):
            results.update(native_cases(mx, tmp))
            results.update(wrapper_cases(mx))
        if only in (None, "metric"):
            results.update(metric_cases(mx))
    with open(out_path, "w") as f:
        json.dump(results, f, default=float)


def digest(obj):
    """``obj`` with long value lists replaced by a few checksums (keeps fixtures small)."""
    if isinstance(obj, dict):
        if "v" in obj and len(obj["v"]) > 16:
            v = np.asarray(obj["v"], np.float64)
            weights = np.arange(v.size) % 7 + 1
            return dict(obj, v={"n": int(v.size), "sum": float(v.sum()),
                                "wsum": float((v * weights).sum()), "head": v[:8].tolist()})
        return {k: digest(x) for k, x in obj.items()}
    if isinstance(obj, list):
        return [digest(x) for x in obj]
    return obj


def close(a, b):
    """Whether two recorded results agree (floats within 1e-5 relative, errors by kind)."""
    return _close(a, b)


def _close(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        if "error" in a or "error" in b:
            return ("error" in a) == ("error" in b)
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return (a != a and b != b) or abs(a - b) <= 1e-5 * max(1.0, abs(a))
    return a == b


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", default=os.path.expanduser("~/mxref/bin/python"))
    parser.add_argument("--only", choices=("io", "metric", "native"))
    parser.add_argument("--write-fixture")
    parser.add_argument("--side-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side_out:
        return run_side(args.side_out, args.only)
    with tempfile.TemporaryDirectory() as tmp:
        outs = {}
        for side, exe in (("mxnet", args.oracle), ("mxtorch", sys.executable)):
            outs[side] = os.path.join(tmp, side + ".json")
            cmd = [exe, "-W", "ignore", __file__, "--side-out", outs[side]]
            if args.only:
                cmd += ["--only", args.only]
            for attempt in range(3):  # MXNet's threaded file iterators crash now and then
                done = subprocess.run(cmd, env=dict(os.environ, IOMD_SIDE=side))
                if done.returncode == 0:
                    break
            done.check_returncode()
        ref, got = (json.load(open(outs[s])) for s in ("mxnet", "mxtorch"))
    bad = [k for k in ref if not _close(ref[k], got.get(k))]
    for key in bad[:40]:
        print("DIFF", key, "\n  mxnet:  ", json.dumps(ref[key])[:400], "\n  mxtorch:",
              json.dumps(got.get(key))[:400])
    print(f"{len(ref)} cases, {len(ref) - len(bad)} agree, {len(bad)} differ")
    if args.write_fixture:
        keep = {k: digest(v) for i, (k, v) in enumerate(sorted(ref.items()))
                if k.startswith(("csv", "mnist", "libsvm", "metric", "resize", "prefetch"))
                or i % 5 == 0}
        with open(args.write_fixture, "w") as f:
            json.dump(keep, f, separators=(",", ":"))
        print(f"wrote {len(keep)} oracle cases to {args.write_fixture}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
