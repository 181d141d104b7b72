"""Differential driver: the gluoncv2 model zoo (imgclsmob "pytorchcv"-style Gluon models,
gluoncv2 0.0.64) on real MXNet 1.9.1 (oracle) vs mxtorch. Not run by CI.

Install once (nothing here is committed or added to the project's dependencies)::

    ~/mxref/bin/pip download --no-deps gluoncv2==0.0.64 -d /tmp/gcv2dl
    ~/mxref/bin/pip install --no-deps --target /work/libs/gluoncv2/site /tmp/gcv2dl/*.whl

Run from the repository root, the oracle first::

    export PYTHONPATH=/work/libs/gluoncv2/site MXNET_MKLDNN_ENABLED=0
    ~/mxref/bin/python tools/libs/gluoncv2/drive.py oracle [--resume] [NAME...]
    .venv/bin/python tools/libs/gluoncv2/drive.py mxtorch [--resume] [NAME...]

``drive.py summary`` prints the pass counts: a float32 failure counts as rounding when the
same model passes with ``GCV2_DTYPE=float64`` on both sides (reports under /tmp/gcv2_float64).
``--resume`` skips models already in the report; a model whose process died is recorded as a
crash by the next run (loop the command until it stops changing the report).

One model per gluoncv2 module (its first, usually smallest, variant; see ``MODELS``), built
with ``get_model(name, pretrained=False)``. The oracle initialises it (Xavier), stores the
parameters (Dropout layers get rate 0), a NumPy-seeded input, the outputs in predict mode
(imperative and hybridized), the training-mode outputs, a backward of ``sum(out * proj)``
(input gradient and every parameter gradient; predict mode, see ``_backward``) and its own
``export``. The oracle runs with ``MXNET_MKLDNN_ENABLED=0`` (oneDNN fails several backward
passes: "could not construct a sub-memory"). The mxtorch step loads the same parameters and
compares every stage, then imports MXNet's exported graph. Tolerance rtol 1e-4, atol 1e-5 + 1e-5 x the largest
magnitude of the reference array (random weights give large activations). A stage failing
on both sides with the same exception type passes. Report: /tmp/gcv2/report_<mode>.json.
"""
import json
import os
import sys
import time
import traceback

import numpy as np

MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
    import mxtorch.compat
    mxtorch.compat.install()
for _alias, _typ in (("long", np.int64), ("int", int), ("float", float), ("bool", bool)):
    if not hasattr(np, _alias):  # NOTE: gluoncv2 writes np.long/np.int (gone in NumPy >= 1.24)
        setattr(np, _alias, _typ)
import mxnet as mx  # noqa: E402
from mxnet import autograd  # noqa: E402
from gluoncv2.model_provider import _models, get_model  # noqa: E402

DTYPE = os.environ.get("GCV2_DTYPE", "float32")  # float64: to tell rounding from real gaps
ROOT = "/tmp/gcv2" + ("" if DTYPE == "float32" else "_" + DTYPE)
REF = os.path.join(ROOT, "ref")
SKIP = {"irevnet301": "125M parameters", "pnasnet5large": "331x331, 86M parameters",
        "nasnet_6a4032": "big", "resnet200": "big"}
SPEECH = {"from_audio": False}  # mel features in (the audio front end needs librosa)
# model -> (get_model kwargs, builder of the inputs from a RandomState)
SPECIAL = {
    "jasper5x3": (SPEECH, lambda rs: [rs.randn(2, 64, 40), np.array([40, 31], "f4")]),
    "jasperdr10x5_en": (SPEECH, lambda rs: [rs.randn(2, 64, 40), np.array([40, 31], "f4")]),
    "quartznet5x5_en_ls": (SPEECH, lambda rs: [rs.randn(2, 64, 40), np.array([40, 31], "f4")]),
    "visemenet20": ({}, lambda rs: [rs.randn(4, 520, 26), np.full((4, 76), 3.0)]),
    "voca8flame": ({}, lambda rs: [rs.randn(2, 1, 16, 29), np.array([3.0, 1.0])]),
    "nvpattexp116bazel76": ({}, lambda rs: [rs.randn(2, 8, 520, 26), np.array([3.0, 1.0])]),
}


def _modules():
    first = {}
    for name, fn in _models.items():
        first.setdefault(fn.__module__.rsplit(".", 1)[-1], name)
    return [n for n in first.values() if n not in SKIP]


MODELS = _modules()


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out]


def _no_dropout(block):
    """Dropout rate 0 everywhere: the two frameworks draw different masks."""
    if type(block).__name__ == "Dropout":
        block._rate = 0
    for child in block._children.values():
        _no_dropout(child)


def _build(name):
    kwargs = SPECIAL.get(name, ({}, None))[0]
    net = get_model(name, pretrained=False, **kwargs)
    _no_dropout(net)
    return net


def _inputs(name, net):
    rs = np.random.RandomState(0)
    if name in SPECIAL:
        return [a.astype(DTYPE) for a in SPECIAL[name][1](rs)]
    size = tuple(getattr(net, "in_size", (224, 224)))
    chans = getattr(net, "in_channels", 3)
    return [rs.randn(2, chans, *size).astype(DTYPE)]


def _stage(res, key, fn, store):
    t0 = time.time()
    try:
        arrays = fn()
    except Exception as err:  # recorded; compared by exception type
        res[key] = "ERROR %s: %s" % (type(err).__name__, str(err)[:300])
        res.setdefault("traces", {})[key] = traceback.format_exc()[-2500:]
        return
    store.update({"%s:%s" % (key, k): v for k, v in arrays.items()})
    res[key] = "ok"
    res["t_" + key] = round(time.time() - t0, 2)


def _forward(net, xs):
    return {str(i): o.asnumpy() for i, o in enumerate(_flat(net(*xs)))}


def _backward(net, xs):
    """Gradients in predict mode (BatchNorm on its running statistics): with random weights
    and batch 2, training-mode gradients of these deep nets are chaotic on MXNet itself (a
    1e-6 input change moves them by up to 25%), so only the training-mode outputs are kept."""
    for x in xs[:1]:
        x.attach_grad()
    saved = {k: p.data().copy() for k, p in net.collect_params().items()}
    with autograd.record(train_mode=True):
        train_outs = [o.asnumpy() for o in _flat(net(*xs))]
    for k, p in net.collect_params().items():  # BatchNorm running statistics (compat/nn.md)
        p.set_data(saved[k])
    with autograd.record(train_mode=False):
        outs = _flat(net(*xs))
        rs = np.random.RandomState(7)
        total = sum((o * mx.nd.array(rs.randn(*o.shape), dtype=o.dtype)).sum() for o in outs
                    if o.dtype == np.dtype(DTYPE))
    total.backward()
    got = {"x": xs[0].grad.asnumpy()}
    got.update({"train_out%d" % i: o for i, o in enumerate(train_outs)})
    for pname, p in sorted(net.collect_params().items()):
        if p.grad_req != "null" and p._data is not None:
            got[pname] = p.grad().asnumpy()
    return got


def _param_keys(net):
    """Parameter names without the instance prefix (differs between runs)."""
    return {p.name: k for k, p in net._collect_params_with_prefix().items()}


def run(name):
    res, store = {}, {}
    net = _build(name)
    path = os.path.join(REF, name)
    if MODE == "oracle":
        net.initialize(mx.init.Xavier(magnitude=2))
        if DTYPE != "float32":
            net.cast(DTYPE)
        xs_np = _inputs(name, net)
        xs = [mx.nd.array(a, dtype=a.dtype) for a in xs_np]
        net(*xs)  # deferred shapes
        net.save_parameters(path + ".params")
        np.savez(path + ".inputs.npz", *xs_np)
    else:
        if DTYPE != "float32":
            net.cast(DTYPE)
        net.load_parameters(path + ".params")
        xs_np = [v for _, v in sorted(np.load(path + ".inputs.npz").items(),
                                      key=lambda kv: int(kv[0].split("_")[1]))]
        xs = [mx.nd.array(a, dtype=a.dtype) for a in xs_np]
        net(*xs)  # as many calls as the oracle (a Function instance may be called once)
    keys = _param_keys(net)
    _stage(res, "imperative", lambda: _forward(net, xs), store)

    def backward():
        got = _backward(net, [mx.nd.array(a, dtype=a.dtype) for a in xs_np])
        return {keys.get(k, k): v for k, v in got.items()}
    _stage(res, "backward", backward, store)
    net.hybridize()
    _stage(res, "hybridized", lambda: _forward(net, xs), store)
    if MODE == "oracle":
        _stage(res, "export", lambda: net.export(path) or {}, store)
    else:
        names = ["data"] if len(xs) == 1 else ["data%d" % i for i in range(len(xs))]

        def imported():
            blk = mx.gluon.SymbolBlock.imports(path + "-symbol.json", names,
                                               path + "-0000.params")
            return {"hyb_import:" + k: v for k, v in _forward(blk, xs).items()}
        _stage(res, "import_mxnet_export", imported, store)
    return res, store


def _close(ref, got):
    if ref.shape != got.shape:
        return "shape %s vs %s" % (ref.shape, got.shape)
    fin = np.isfinite(ref)
    if not np.array_equal(fin, np.isfinite(got)):
        return "non-finite pattern differs"
    if not fin.any():
        return None
    atol = 1e-5 + 1e-5 * float(np.abs(ref[fin]).max())
    bad = ~np.isclose(got[fin], ref[fin], rtol=1e-4, atol=atol)
    if bad.any():
        err = np.abs(got[fin] - ref[fin]).max()
        return "%d/%d differ, max abs %.3g (ref max %.3g)" % (
            bad.sum(), bad.size, err, np.abs(ref[fin]).max())
    return None


def compare(name, res, store, ref_res):
    ref = np.load(os.path.join(REF, name + ".out.npz"))
    verdict = {}
    for stage in ("imperative", "backward", "hybridized", "import_mxnet_export"):
        ref_stage = "hybridized" if stage == "import_mxnet_export" else stage
        mine, theirs = res.get(stage, "missing"), ref_res.get(ref_stage, "missing")
        if stage == "import_mxnet_export" and ref_res.get("export") != "ok":
            verdict[stage] = "pass (MXNet exported nothing)"
            continue
        if theirs != "ok" or mine != "ok":
            same = mine.split(":")[0] == theirs.split(":")[0]
            verdict[stage] = "pass (same error)" if same else "FAIL mxtorch %s / mxnet %s" % (
                mine[:200], theirs[:200])
            continue
        prefix = "hyb_import:" if stage == "import_mxnet_export" else ""
        diffs = []
        for k in ref.files:
            if not k.startswith(ref_stage + ":"):
                continue
            key = stage + ":" + prefix + k.split(":", 1)[1]
            got = store.get(key)
            if got is None:
                diffs.append("%s missing" % k)
                continue
            d = _close(ref[k], got)
            if d:
                diffs.append("%s: %s" % (k, d))
        verdict[stage] = "pass" if not diffs else "FAIL " + "; ".join(diffs[:4])
    return verdict


def summary():
    """Pass counts; a float32 failure whose float64 run (GCV2_DTYPE=float64) passes counts as
    rounding ("pass64")."""
    f32 = json.load(open("/tmp/gcv2/report_mxtorch.json"))
    path64 = "/tmp/gcv2_float64/report_mxtorch.json"
    f64 = json.load(open(path64)) if os.path.exists(path64) else {}
    counts = {}
    for name, res in sorted(f32.items()):
        kind = ("pass" if res.get("pass") else "pass64" if f64.get(name, {}).get("pass")
                else "FAIL")
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "FAIL":
            verdict = res.get("verdict", {"error": res.get("ERROR")})
            print(name, {k: v for k, v in verdict.items() if not str(v).startswith("pass")})
    print(counts, "of", len(f32))


RESUME = "--resume" in sys.argv  # skip models already in the report (after a crash)
if RESUME:
    sys.argv.remove("--resume")


def main():
    names = sys.argv[2:] or MODELS
    os.makedirs(REF, exist_ok=True)
    report_path = os.path.join(ROOT, "report_%s.json" % MODE)
    report = json.load(open(report_path)) if os.path.exists(report_path) else {}
    ref_report = (json.load(open(os.path.join(ROOT, "report_oracle.json")))
                  if MODE == "mxtorch" else {})
    current = os.path.join(ROOT, "current_%s" % MODE)
    if os.path.exists(current):  # the last run died inside this model (a crash)
        dead = open(current).read()
        report[dead] = {"ERROR": "process died (crash) in this model", "pass": False}
        os.remove(current)
    for name in names:
        if RESUME and name in report:
            continue
        with open(current, "w") as f:
            f.write(name)
        t0 = time.time()
        try:
            res, store = run(name)
            if MODE == "oracle":
                np.savez(os.path.join(REF, name + ".out.npz"), **store)
            else:
                os.makedirs(os.path.join(ROOT, "mx"), exist_ok=True)
                np.savez(os.path.join(ROOT, "mx", name + ".out.npz"), **store)
                res["verdict"] = compare(name, res, store, ref_report[name])
                res["pass"] = all(v.startswith("pass") for v in res["verdict"].values())
        except Exception as err:
            res = {"ERROR": "%s: %s" % (type(err).__name__, str(err)[:300]),
                   "trace": traceback.format_exc()[-2500:], "pass": False}
        res["seconds"] = round(time.time() - t0, 1)
        report[name] = res
        brief = {k: v for k, v in res.items() if k not in ("traces", "trace")}
        print(name, json.dumps(brief)[:600], flush=True)
        with open(report_path, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
        os.remove(current)
    if MODE == "mxtorch":
        done = [report[n] for n in names if n in report]
        print("passed %d / %d" % (sum(bool(r.get("pass")) for r in done), len(done)))


if __name__ == "__main__":
    summary() if MODE == "summary" else main()
