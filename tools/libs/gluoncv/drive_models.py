"""Differential driver: GluonCV model zoo on real MXNet 1.9.1 (oracle) vs mxtorch.

Needs the oracle (~/mxref) and gluoncv 0.10.5.post0 in /work/libs/gluoncv/site (see
tools/libs/gluoncv/README.md). Not run by CI. Two steps, same case list::

    PYTHONPATH=/work/libs/gluoncv/site ~/mxref/bin/python tools/libs/gluoncv/drive_models.py oracle [CASE...]
    PYTHONPATH=/work/libs/gluoncv/site .venv/bin/python tools/libs/gluoncv/drive_models.py mxtorch [CASE...]

The oracle step builds each model (pretrained=False), initializes it, runs it once and saves
parameters, input and outputs (imperative, hybridized) plus its exported graph under
/tmp/gcv/ref/. The mxtorch step rebuilds the model, loads those parameters and compares
imperative / hybridized forwards, its own export re-imported with SymbolBlock.imports, and
MXNet's exported graph imported into mxtorch. Results go to /tmp/gcv/report_models.json.
"""
import json
import os
import sys
import time
import traceback

MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    import mxtorch.compat
    mxtorch.compat.install()
    import torch
    # NOTE: gluoncv's __init__ raises RuntimeError for any torch >= 2.0 it finds (its optional
    # PyTorch half); torch is mxtorch's engine, so show gluoncv an old version while it imports.
    _real, torch.__version__ = torch.__version__, "1.13.0"
    import gluoncv  # noqa: F401
    torch.__version__ = _real
    import numpy
    # NOTE: gluoncv's R-CNN anchors, hrnet and track transforms use np.float/np.int, gone
    # since NumPy 1.24 (mxtorch runs on NumPy 2): give them back for the driver only.
    for _alias, _type in (("float", float), ("int", int), ("bool", bool), ("object", object)):
        if not hasattr(numpy, _alias):
            setattr(numpy, _alias, _type)

import numpy as np  # noqa: E402
import mxnet as mx  # noqa: E402
from gluoncv import model_zoo  # noqa: E402

ROOT = "/tmp/gcv"
REF = os.path.join(ROOT, "ref")
NOBASE = {"pretrained_base": False}
# name -> (get_model kwargs, input shape)
CASES = {
    "resnet18_v1b": ({}, (1, 3, 64, 64)),
    "resnet50_v1d": ({}, (1, 3, 64, 64)),
    "resnet50_v1s": ({}, (1, 3, 64, 64)),
    "resnet18_v1": ({}, (1, 3, 64, 64)),
    "resnet18_v2": ({}, (1, 3, 64, 64)),
    "resnext50_32x4d": ({}, (1, 3, 64, 64)),
    "se_resnext50_32x4d": ({}, (1, 3, 64, 64)),
    "se_resnet18_v1": ({}, (1, 3, 64, 64)),
    "se_resnet18_v2": ({}, (1, 3, 64, 64)),
    "resnest14": ({}, (1, 3, 64, 64)),
    "resnet50_v1b_gn": ({}, (1, 3, 64, 64)),
    "mobilenet0.25": ({}, (1, 3, 64, 64)),
    "mobilenetv2_0.25": ({}, (1, 3, 64, 64)),
    "mobilenetv3_small": ({}, (1, 3, 64, 64)),
    "shufflenet_v2": ({}, (1, 3, 64, 64)),
    "squeezenet1.1": ({}, (1, 3, 224, 224)),
    "densenet121": ({}, (1, 3, 224, 224)),
    "vgg11_bn": ({}, (1, 3, 32, 32)),
    "alexnet": ({}, (1, 3, 224, 224)),
    "googlenet": ({}, (1, 3, 224, 224)),
    "inceptionv3": ({}, (1, 3, 299, 299)),
    "xception": ({}, (1, 3, 71, 71)),
    "darknet53": ({}, (1, 3, 64, 64)),
    "dla34": ({}, (1, 3, 64, 64)),
    "hrnet_w18_small_v1_c": ({}, (1, 3, 64, 64)),
    "cifar_resnet20_v1": ({}, (2, 3, 32, 32)),
    "cifar_resnet20_v2": ({}, (2, 3, 32, 32)),
    "cifar_wideresnet16_10": ({}, (1, 3, 32, 32)),
    "cifar_resnext29_32x4d": ({}, (1, 3, 32, 32)),
    "cifar_residualattentionnet56": ({}, (1, 3, 32, 32)),
    "residualattentionnet56": ({}, (1, 3, 224, 224)),
    "nasnet_4_1056": ({}, (1, 3, 64, 64)),
    "ssd_300_mobilenet0.25_voc": (NOBASE, (1, 3, 128, 128)),
    "ssd_512_resnet18_v1_voc": (NOBASE, (1, 3, 128, 128)),
    "yolo3_mobilenet0.25_voc": (NOBASE, (1, 3, 128, 128)),
    "center_net_resnet18_v1b_voc": (NOBASE, (1, 3, 128, 128)),
    "center_net_mobilenetv3_small_duc_voc": (NOBASE, (1, 3, 128, 128)),
    "faster_rcnn_resnet50_v1b_voc": (NOBASE, (1, 3, 128, 128)),
    "faster_rcnn_fpn_resnet50_v1b_coco": (NOBASE, (1, 3, 128, 128)),
    "mask_rcnn_resnet18_v1b_coco": (NOBASE, (1, 3, 128, 128)),
    "fcn_resnet50_voc": (NOBASE, (1, 3, 64, 64)),
    "psp_resnet50_ade": (dict(NOBASE, crop_size=64, base_size=72), (1, 3, 64, 64)),
    "deeplab_resnet50_ade": (dict(NOBASE, crop_size=64, base_size=72), (1, 3, 64, 64)),
    "danet_resnet50_citys": (dict(NOBASE, crop_size=64, base_size=72), (1, 3, 64, 64)),
    "icnet_resnet50_citys": (NOBASE, (1, 3, 96, 96)),
    "fastscnn_citys": (NOBASE, (1, 3, 128, 128)),
    "simple_pose_resnet18_v1b": (NOBASE, (1, 3, 64, 48)),
    "mobile_pose_mobilenetv3_small": (NOBASE, (1, 3, 64, 48)),
    "alpha_pose_resnet101_v1b_coco": (NOBASE, (1, 3, 64, 48)),
    "resnet18_v1b_kinetics400": (dict(NOBASE, feat_ext=True), None),
    "i3d_resnet50_v1_kinetics400": (NOBASE, (1, 3, 8, 64, 64)),
    "slowfast_4x16_resnet50_kinetics400": (NOBASE, (1, 3, 36, 64, 64)),
    "r2plus1d_resnet18_kinetics400": (NOBASE, (1, 3, 8, 64, 64)),
    "c3d_kinetics400": (NOBASE, (1, 3, 16, 112, 112)),
    "monodepth2_resnet18_kitti_mono_640x192": (NOBASE, (1, 3, 64, 64)),
    "siamrpn_alexnet_v2_otb15": ({}, None),
}


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out]


def _build(name):
    kwargs, shape = CASES[name]
    net = model_zoo.get_model(name, pretrained=False, **kwargs)
    return net, shape


def _ref_path(name, what):
    return os.path.join(REF, "%s%s" % (name, what))


def _randomize(net):
    """Random values of realistic scale in every parameter (NumPy, seeded): zero-initialised
    heads (detection predictors) would otherwise give constant outputs."""
    rs = np.random.RandomState(1)
    for pname, param in sorted(net.collect_params().items()):
        if isinstance(param, mx.gluon.Constant):  # anchors/offsets: part of the model
            continue
        shape = param.shape
        if pname.endswith(("gamma", "running_var", "moving_var")):
            value = rs.uniform(0.5, 1.5, shape)
        elif pname.endswith(("beta", "mean", "bias")) or len(shape) < 2:
            value = rs.normal(0, 0.1, shape)
        else:
            value = rs.normal(0, np.sqrt(2.0 / max(1, int(np.prod(shape[1:])))), shape)
        param.set_data(mx.nd.array(value, dtype=param.dtype))


def oracle(name):
    mx.random.seed(0)
    np.random.seed(0)
    net, shape = _build(name)
    x = mx.nd.random.uniform(-1, 1, shape=shape)
    try:
        net.initialize(mx.init.Xavier(magnitude=2.0))
        net(x)
    except ValueError:  # SymbolBlock parameters (FeatureExpander) have no init of their own
        for pname, param in net.collect_params().items():
            if param.init is None and pname.endswith(("gamma", "running_var", "moving_var")):
                param.init = mx.init.One()
            elif param.init is None and pname.endswith(("beta", "mean", "bias")):
                param.init = mx.init.Zero()
        net.initialize(mx.init.Xavier(magnitude=2.0), force_reinit=True)
        net(x)
    _randomize(net)
    t0 = time.time()
    imp = _flat(net(x))
    t_imp = time.time() - t0
    net.save_parameters(_ref_path(name, ".params"))
    net.hybridize()
    hyb = _flat(net(x))
    net.export(_ref_path(name, ""))
    arrays = {"x": x}
    arrays.update({"imp%d" % i: o for i, o in enumerate(imp)})
    arrays.update({"hyb%d" % i: o for i, o in enumerate(hyb)})
    mx.nd.save(_ref_path(name, ".io"), arrays)
    return {"ok": True, "outputs": len(imp), "seconds_imperative": round(t_imp, 2)}


def _compare(got, ref, prefix):
    """Max abs difference over outputs, or a text saying what differs."""
    n = len([k for k in ref if k.startswith(prefix)])
    if len(got) != n:
        return "%d outputs, expected %d" % (len(got), n)
    worst = 0.0
    for i, g in enumerate(got):
        r = ref["%s%d" % (prefix, i)].asnumpy()
        g = g.asnumpy()
        if g.shape != r.shape:
            return "output %d shape %s, expected %s" % (i, g.shape, r.shape)
        # random weights give outputs up to 1e7: float32 sums in another order differ by a
        # few ulps of the largest term, so atol grows with the output's scale
        finite = np.abs(r[np.isfinite(r)])
        scale = float(finite.max()) if finite.size else 0.0
        if not np.allclose(g, r, rtol=1e-3, atol=1e-4 + 1e-5 * scale, equal_nan=True):
            bad = np.abs(g.astype("f8") - r.astype("f8"))
            return "output %d max|diff| %.3g (at %s; ref scale %.3g)" % (
                i, np.nanmax(bad), np.unravel_index(np.nanargmax(bad), bad.shape),
                np.nanmax(np.abs(r)))
        if g.size:
            worst = max(worst, float(np.nanmax(np.abs(g.astype("f8") - r.astype("f8")))))
    return worst


def _stage(result, key, fn):
    t0 = time.time()
    try:
        value = fn()
    except Exception as err:  # record and go on with the next stage
        tb = traceback.extract_tb(err.__traceback__)
        where = "%s:%d" % (os.path.basename(tb[-1].filename), tb[-1].lineno) if tb else ""
        result[key] = "ERROR %s: %s [%s]" % (type(err).__name__, str(err)[:300], where)
        result.setdefault("traces", {})[key] = traceback.format_exc()[-3000:]
        return None
    result[key] = value if not isinstance(value, float) else "ok (max diff %.2g)" % value
    result["t_" + key] = round(time.time() - t0, 2)
    return value


def mxtorch_case(name):
    if not os.path.exists(_ref_path(name, ".io")):
        return {"skipped": "no oracle reference"}
    ref = mx.nd.load(_ref_path(name, ".io"))
    x = ref["x"]
    res = {}
    net, _ = _build(name)
    if _stage(res, "load", lambda: net.load_parameters(_ref_path(name, ".params"))) is None \
            and res["load"] is not None:
        return res
    res["load"] = "ok"
    _stage(res, "imperative", lambda: _compare(_flat(net(x)), ref, "imp"))
    net.hybridize()
    _stage(res, "hybridized", lambda: _compare(_flat(net(x)), ref, "hyb"))
    mine = os.path.join(ROOT, "mx", name)

    def own_export():
        net.export(mine)
        blk = mx.gluon.SymbolBlock.imports(mine + "-symbol.json", ["data"],
                                           mine + "-0000.params")
        return _compare(_flat(blk(x)), ref, "hyb")
    _stage(res, "export_import", own_export)

    def oracle_export():
        blk = mx.gluon.SymbolBlock.imports(_ref_path(name, "-symbol.json"), ["data"],
                                           _ref_path(name, "-0000.params"))
        return _compare(_flat(blk(x)), ref, "hyb")
    _stage(res, "import_mxnet_export", oracle_export)
    return res


def main():
    names = sys.argv[2:] or list(CASES)
    os.makedirs(REF, exist_ok=True)
    os.makedirs(os.path.join(ROOT, "mx"), exist_ok=True)
    report_path = os.path.join(ROOT, "report_models_%s.json" % MODE)
    report = json.load(open(report_path)) if os.path.exists(report_path) else {}
    for name in names:
        if CASES[name][1] is None:
            report[name] = {"skipped": "needs a two-input tracker; driven elsewhere"}
            continue
        t0 = time.time()
        try:
            res = oracle(name) if MODE == "oracle" else mxtorch_case(name)
        except Exception as err:
            res = {"ERROR": "%s: %s" % (type(err).__name__, str(err)[:300]),
                   "trace": traceback.format_exc()[-3000:]}
        res["seconds"] = round(time.time() - t0, 1)
        report[name] = res
        brief = {k: v for k, v in res.items() if k not in ("traces", "trace")}
        print(name, json.dumps(brief), flush=True)
        with open(report_path, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
