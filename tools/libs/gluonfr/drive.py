"""Differential driver: GluonFR 1.0.2 (face recognition losses and models for Gluon) on real
MXNet 1.9.1 (oracle) vs mxtorch. Not run by CI.

Install once (sdist only; nothing here is committed or added to the project's dependencies)::

    ~/mxref/bin/pip download --no-deps gluonfr==1.0.2 -d /tmp/gfrdl
    tar xzf /tmp/gfrdl/gluonfr-1.0.2.tar.gz -C /tmp/gfrdl
    mkdir -p /work/libs/gluonfr/site && cp -r /tmp/gfrdl/gluonfr-1.0.2/gluonfr /work/libs/gluonfr/site/

Run from the repository root, the oracle first::

    export PYTHONPATH=/work/libs/gluonfr/site
    ~/mxref/bin/python tools/libs/gluonfr/drive.py oracle softmax arcface ...   # the losses
    MXNET_MKLDNN_ENABLED=0 ~/mxref/bin/python tools/libs/gluonfr/drive.py oracle mobilefacenet l_se_resnet18v2
    .venv/bin/python tools/libs/gluonfr/drive.py mxtorch [CASE...]

One oracle process per case is safest (MXNet segfaults in some losses); references are stored
per case.

Each case builds a gluonfr loss (``get_loss``) or model (``model_zoo.get_model``) with NumPy-seeded
inputs; the oracle initialises its parameters and saves them, mxtorch loads them. Compared:
outputs (imperative and hybridized) and the gradients of ``sum(out * proj)`` with respect to the
float inputs and every parameter (rtol 1e-4, atol 1e-5 + 1e-5 x the reference's largest value).
Same exception type on both sides passes. Not driven: ``lgmloss`` (MXNet 1.9.1 segfaults in
it), ``gitloss``/``rangeloss``/``mpsloss`` (need per-GPU batch layouts). Results: /tmp/gfr/report.json.
"""
import json
import os
import sys
import traceback

import numpy as np

MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
    import mxtorch.compat
    mxtorch.compat.install()
import mxnet as mx  # noqa: E402
from mxnet import autograd  # noqa: E402
from gluonfr.loss import get_loss  # noqa: E402
from gluonfr.model_zoo import get_model  # noqa: E402

ROOT = "/tmp/gfr"
B, C, E = 6, 5, 8  # batch, classes, embedding size


def _cos(rs):
    return np.tanh(rs.randn(B, C)).astype("f4")


def _lab(rs):
    return (np.arange(B) % C).astype("f4")


def _emb(rs):
    return rs.randn(B, E).astype("f4")


# name -> (constructor, kwargs, input builders, float input positions to differentiate)
CASES = {
    "softmax": (get_loss, dict(name="softmax"), (_cos, _lab), (0,)),
    "arcface": (get_loss, dict(name="arcface", classes=C, m=0.5, s=16), (_cos, _lab), (0,)),
    "arcface_hard": (get_loss, dict(name="arcface", classes=C, m=0.3, s=8, easy_margin=False),
                     (_cos, _lab), (0,)),
    "cosloss": (get_loss, dict(name="cosloss", classes=C, m=0.35, s=16), (_cos, _lab), (0,)),
    "l2softmax": (get_loss, dict(name="l2softmax", classes=C, alpha=16), (_emb_c := (
        lambda rs: rs.randn(B, C).astype("f4")), _lab), (0,)),
    "asoftmax": (get_loss, dict(name="asoftmax", classes=C, m=4, s=16), (_cos, _lab), (0,)),
    "svxsoftmax": (get_loss, dict(name="svxsoftmax", classes=C, s=16, t=1.2, m1=1, m2=0.2,
                                  m3=0.1), (_cos, _lab), (0,)),
    "triplet": (get_loss, dict(name="triplet", margin=1), (_emb, _emb, _emb), (0, 1, 2)),
    "contrastive": (get_loss, dict(name="contrastiveloss", margin=1),
                    (_emb, _emb, lambda rs: (np.arange(B) % 2).astype("f4")), (0, 1)),
    "ringloss": (get_loss, dict(name="ringloss", lamda=0.01), (_emb_c, _lab, _emb), (0, 2)),
    "centerloss": (get_loss, dict(name="centerloss", classes=C, embedding_size=E, lamda=0.01),
                   (_emb_c, _lab, _emb), (0, 2)),
    "cocoloss": (get_loss, dict(name="cocoloss", classes=C, embedding_size=E, alpha=6),
                 (_emb, _lab), (0,)),
    "mobilefacenet": (get_model, dict(name="mobilefacenet", classes=C),
                      (lambda rs: rs.randn(2, 3, 112, 112).astype("f4"),), (0,)),
    "l_se_resnet18v2": (get_model, dict(name="l_se_resnet18v2", classes=C),
                        (lambda rs: rs.randn(2, 3, 112, 112).astype("f4"),), (0,)),
}


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out]


def run(name):
    make, kwargs, builders, diff = CASES[name]
    kwargs = dict(kwargs)
    block = make(kwargs.pop("name"), **kwargs)
    rs = np.random.RandomState(0)
    arrays = [b(rs) for b in builders]
    path = os.path.join(ROOT, name + ".params")
    xs = [mx.nd.array(a) for a in arrays]
    if MODE == "oracle":
        block.initialize(mx.init.Xavier())
        block(*xs)
        if block.collect_params():
            block.save_parameters(path)
    else:
        if os.path.exists(path):
            block.load_parameters(path)
        else:
            block.initialize()
        block(*xs)  # same number of calls as the oracle (ASoftmax counts its calls)
    out = {}
    for x in xs:
        x.attach_grad()
    with autograd.record(train_mode=False):
        ys = [y for y in _flat(block(*xs)) if y.dtype == np.float32]
        proj = np.random.RandomState(5)
        total = sum((y * mx.nd.array(proj.randn(*y.shape))).sum() for y in ys)
    total.backward()
    out.update({"out%d" % i: y.asnumpy() for i, y in enumerate(ys)})
    out.update({"dx%d" % i: xs[i].grad.asnumpy() for i in diff})
    for k, p in block._collect_params_with_prefix().items():
        if p.grad_req != "null":
            out["d_" + k] = p.grad().asnumpy()
    block.hybridize()
    hyb = _flat(block(*[mx.nd.array(a) for a in arrays]))
    out.update({"hyb%d" % i: y.asnumpy() for i, y in
                enumerate(y for y in hyb if y.dtype == np.float32)})
    return out


def _close(ref, got):
    if ref.shape != got.shape:
        return "shape %s vs %s" % (ref.shape, got.shape)
    atol = 1e-5 + 1e-5 * float(np.abs(ref).max() if ref.size else 0)
    if not np.allclose(got, ref, rtol=1e-4, atol=atol, equal_nan=True):
        return "max abs diff %.3g (ref max %.3g)" % (np.nanmax(np.abs(got - ref)),
                                                    np.nanmax(np.abs(ref)))
    return None


def main():
    names = sys.argv[2:] or list(CASES)
    os.makedirs(ROOT, exist_ok=True)
    err_file = os.path.join(ROOT, "ref_errors.json")
    results, errors = {}, {}
    for name in names:
        try:
            results[name] = run(name)
        except Exception as err:  # compared by type with the other side
            errors[name] = type(err).__name__ + ": " + str(err)[:300]
            print(name, "ERROR", errors[name], traceback.format_exc()[-800:], flush=True)
        if MODE == "oracle":  # one file per case: MXNet segfaults in some losses
            old = json.load(open(err_file)) if os.path.exists(err_file) else {}
            old.pop(name, None)
            old.update({name: errors[name]} if name in errors else {})
            json.dump(old, open(err_file, "w"))
            if name in results:
                np.savez(os.path.join(ROOT, "ref_%s.npz" % name),
                         **{"%s/%s" % (name, k): v for k, v in results[name].items()})
    if MODE == "oracle":
        print("oracle done:", len(results), "ok,", len(errors), "errors")
        return
    ref = {}
    for name in names:
        path = os.path.join(ROOT, "ref_%s.npz" % name)
        if os.path.exists(path):
            ref.update(dict(np.load(path).items()))
    ref_err = json.load(open(err_file))
    report, passed = {}, 0
    for name in names:
        if name in ref_err or name in errors:
            same = (name in ref_err and name in errors
                    and ref_err[name].split(":")[0] == errors[name].split(":")[0])
            diffs = [] if same else ["mxnet: %s / mxtorch: %s" % (ref_err.get(name),
                                                                errors.get(name))]
        else:
            keys = [k.split("/", 1)[1] for k in ref if k.startswith(name + "/")]
            if not keys:
                diffs = ["no oracle reference (MXNet crashed)"]
                report[name] = {"pass": False, "diffs": diffs}
                print("%-18s %s" % (name, diffs[0]))
                continue
            diffs = [("%s: %s" % (k, d)) for k in keys
                     for d in [_close(ref[name + "/" + k], results[name][k])
                               if k in results[name] else "missing"] if d]
        report[name] = {"pass": not diffs, "diffs": diffs[:6]}
        passed += not diffs
        print("%-18s %s" % (name, "ok" if not diffs else "FAIL " + "; ".join(diffs[:3])))
    json.dump(report, open(os.path.join(ROOT, "report.json"), "w"), indent=1)
    print("passed %d / %d" % (passed, len(names)))


if __name__ == "__main__":
    main()
