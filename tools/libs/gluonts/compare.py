"""GluonTS (MXNet models) on mxtorch vs MXNet 1.9.1 with identical weights and inputs.

Two runs, the oracle first (it initialises the weights, draws the batches and writes the
reference results under $GLUONTS_CMP, default /tmp/gluonts_cmp), then mxtorch (loads the same
weights and batches, recomputes and compares):

    PYTHONPATH=/work/libs/gluonts/site ~/mxref/bin/python tools/libs/gluonts/compare.py
    PYTHONPATH=/work/libs/gluonts/site .venv/bin/python tools/libs/gluonts/compare.py --mxtorch

Cases: the gluonts.mx DistributionOutputs (not Binned: MXNet 1.9.1 segfaults in it; not ISQF:
its args projection output does not fit its own reshape in gluonts 0.16) (args projection -> distribution: log_prob, loss,
mean, stddev, cdf, quantile, sample shapes; imperative and hybridized projection) and the
training network of each estimator (loss, gradients of every parameter, hybridized loss, then
three Adam steps on fixed batches; dropout 0). Tolerance rtol 1e-4 / atol 1e-5 (float32);
gradients add 1e-5 x the array's largest magnitude to atol; nan and inf count as one "invalid". Writes a JSON report to $GLUONTS_CMP/report_<impl>.json. Needs the oracle and
gluonts; not CI.
"""
import json
import logging
import os
import sys
import traceback
import warnings
import zlib
from pathlib import Path

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
if "--mxtorch" in sys.argv:
    sys.argv.remove("--mxtorch")
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import mxtorch.compat
    mxtorch.compat.install()
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402

import gluonts.mx.distribution as gd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import smoke  # noqa: E402  (estimator configurations and the toy dataset)

IMPL = "mxtorch" if "mxtorch" in mx.__file__ else "mxnet"
REF = IMPL == "mxnet"
DIR = Path(os.environ.get("GLUONTS_CMP", "/tmp/gluonts_cmp"))
DIR.mkdir(parents=True, exist_ok=True)
RTOL, ATOL = 1e-4, 1e-5
B, T, H = 3, 4, 5


# ---- distributions ---------------------------------------------------------------------

def _targets(rng, kind, d):
    shape = (B, T) if d is None else (B, T, d)
    if kind == "pos":
        return rng.gamma(2.0, 1.0, shape)
    if kind == "unit":
        return rng.uniform(0.05, 0.95, shape)
    if kind == "count":
        return rng.poisson(3.0, shape).astype("f")
    if kind == "simplex":
        v = rng.uniform(0.1, 1, shape)
        return v / v.sum(-1, keepdims=True)
    if kind == "cat":
        return rng.randint(0, 4, shape).astype("f")
    if kind == "trials":
        return rng.multinomial(5, [1.0 / d] * d, (B, T)).astype("f")
    return rng.normal(0, 2, shape)


DISTRS = {  # name: (output factory, target kind, event dim or None)
    "Gaussian": (lambda: gd.GaussianOutput(), "real", None),
    "StudentT": (lambda: gd.StudentTOutput(), "real", None),
    "Laplace": (lambda: gd.LaplaceOutput(), "real", None),
    "Uniform": (lambda: gd.UniformOutput(), "real", None),
    "NegativeBinomial": (lambda: gd.NegativeBinomialOutput(), "count", None),
    "Poisson": (lambda: gd.PoissonOutput(), "count", None),
    "Gamma": (lambda: gd.GammaOutput(), "pos", None),
    "Beta": (lambda: gd.BetaOutput(), "unit", None),
    "LogitNormal": (lambda: gd.LogitNormalOutput(), "unit", None),
    "GenPareto": (lambda: gd.GenParetoOutput(), "pos", None),
    "Categorical": (lambda: gd.CategoricalOutput(4), "cat", None),
    "PiecewiseLinear": (lambda: gd.PiecewiseLinearOutput(4), "real", None),
    "ZeroAndOneInflatedBeta": (lambda: gd.ZeroAndOneInflatedBetaOutput(), "unit", None),
    "Mixture": (lambda: gd.MixtureDistributionOutput(
        [gd.GaussianOutput(), gd.StudentTOutput()]), "real", None),
    "Dirichlet": (lambda: gd.DirichletOutput(3), "simplex", 3),
    "DirichletMultinomial": (lambda: gd.DirichletMultinomialOutput(3, 5), "trials", 3),
    "MultivariateGaussian": (lambda: gd.MultivariateGaussianOutput(3), "real", 3),
    "LowrankMultivariateGaussian": (lambda: gd.LowrankMultivariateGaussianOutput(3, 2),
                                    "real", 3),
    "BoxCox(Gaussian)": (lambda: gd.TransformedDistributionOutput(
        gd.GaussianOutput(), [gd.BoxCoxTransformOutput()]), "pos", None),
}


def _flat(args):
    if isinstance(args, (list, tuple)):
        return [a for x in args for a in _flat(x)]
    return [args]


def _try(fn):
    try:
        v = fn()
        return v.asnumpy() if hasattr(v, "asnumpy") else np.asarray(v)
    except mx.base.MXNetError:  # mxtorch's ShapeError/DTypeError... are MXNetErrors
        return "MXNetError"
    except Exception as e:  # noqa: BLE001 - "not implemented" is a result too
        return f"{type(e).__name__}"


def distribution_case(name):
    make, kind, d = DISTRS[name]
    rng = np.random.RandomState(zlib.crc32(name.encode()) % 1000)
    out = make()
    proj = out.get_args_proj()
    feats = mx.nd.array(rng.normal(0, 1, (B, T, H)))
    pfile = DIR / f"distr_{name}.params"
    if REF:
        proj.initialize(mx.init.Xavier())
        proj(feats)
        proj.save_parameters(str(pfile))
    else:
        proj.load_parameters(str(pfile))
    y = mx.nd.array(_targets(rng, kind, d))
    res = {}
    args = proj(feats)
    proj.hybridize()
    args_h = proj(feats)
    for i, (a, b) in enumerate(zip(_flat(args), _flat(args_h))):
        res[f"arg{i}"] = a.asnumpy()
        res[f"arg{i}_hybrid"] = b.asnumpy()
    scale = mx.nd.array(rng.uniform(0.5, 2, (B, 1) + ((d,) if d else ())))
    distr = out.distribution(args, scale=None if kind in ("cat", "trials") else scale)
    res["log_prob"] = _try(lambda: distr.log_prob(y))
    res["loss"] = _try(lambda: distr.loss(y))
    res["mean"] = _try(lambda: distr.mean)
    res["stddev"] = _try(lambda: distr.stddev)
    res["cdf"] = _try(lambda: distr.cdf(y))
    res["quantile"] = _try(lambda: distr.quantile(mx.nd.array([0.1, 0.5, 0.9])))
    s = _try(lambda: distr.sample(7))
    res["sample_shape"] = np.array(s.shape) if isinstance(s, np.ndarray) else s
    s1 = _try(lambda: distr.sample())
    res["sample1_shape"] = np.array(s1.shape) if isinstance(s1, np.ndarray) else s1
    with mx.autograd.record():  # gradient of the loss w.r.t. the projection weights
        loss = out.distribution(proj(feats)).loss(y)
    try:
        loss.backward()
        for k, p in sorted(proj.collect_params().items()):
            res["grad:" + k.split("_", 1)[-1]] = p.grad().asnumpy()
    except Exception as e:  # noqa: BLE001
        res["grad"] = type(e).__name__
    return res


# ---- training networks -----------------------------------------------------------------

NETS = ["SimpleFeedForward", "DeepAR", "MQCNN", "MQRNN", "Transformer", "WaveNet",
        "DeepFactor", "DeepState", "LSTNet", "NBEATS", "TFT", "CanonicalRNN",
        "GaussianProcess", "DeepRenewal"]


def _batches(est, train, n=3):
    net = est.create_training_network()
    loader = est.create_training_data_loader(est.create_transformation().apply(train))
    it = iter(loader)
    return net, [next(it) for _ in range(n)]


def network_case(name):
    mx.random.seed(0)
    np.random.seed(0)
    est = smoke.estimators(dropout=0.0)[name]()
    train = smoke.dataset()
    if name == "LSTNet":
        from gluonts.dataset.common import ListDataset
        train = ListDataset([{"start": d["start"], "target": d["target"][None]} for d in train],
                            freq=smoke.FREQ, one_dim_target=False)
    bfile, pfile = DIR / f"net_{name}.batches.npz", DIR / f"net_{name}.params"
    if REF:
        net, batches = _batches(est, train)
        keys = list(batches[0])
        np.savez(bfile, keys=np.array(keys),
                 **{f"{i}:{k}": b[k].asnumpy() for i, b in enumerate(batches) for k in keys})
        net.initialize(mx.init.Xavier())
        net(*batches[0].values())
        net.save_parameters(str(pfile))
    else:
        net = est.create_training_network()
        z = np.load(bfile)
        keys = list(z["keys"])
        batches = [{k: mx.nd.array(z[f"{i}:{k}"], dtype=z[f"{i}:{k}"].dtype) for k in keys}
                   for i in range(3)]
        net.load_parameters(str(pfile))
    res = {}
    params = sorted(net.collect_params().items())
    first = _loss(net, batches[0])
    res["loss"] = first.asnumpy()
    for k, p in params:
        if p.grad_req != "null":
            res["grad:" + _struct(net, p)] = p.grad().asnumpy()
    net.hybridize()
    res["loss_hybrid"] = _loss(net, batches[0]).asnumpy()
    trainer = mx.gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 1e-2})
    for i, b in enumerate(batches):
        loss = _loss(net, b)
        trainer.step(loss.shape[0])
        res[f"step{i}_loss"] = loss.asnumpy()
    res["after_steps_loss"] = _loss(net, batches[0], grad=False).asnumpy()
    return res


_NAMES = {}


def _struct(net, param):
    if not _NAMES:
        for k, p in net._collect_params_with_prefix().items():
            _NAMES[id(p)] = k
    return _NAMES.get(id(param), param.name)


def _loss(net, batch, grad=True):
    if not grad:
        out = net(*batch.values())
        return out[0] if isinstance(out, (list, tuple)) else out
    with mx.autograd.record():
        out = net(*batch.values())
        loss = out[0] if isinstance(out, (list, tuple)) else out
    loss.backward()
    return loss


# ---- driver ----------------------------------------------------------------------------

def _compare(ref, got):
    bad = []
    for k, r in ref.items():
        g = got.get(k)
        if isinstance(r, str) or isinstance(g, str) or g is None:
            if str(r) != str(g):
                bad.append(f"{k}: mxnet={str(r)[:60]} mxtorch={str(g)[:60]}")
            continue
        r, g = np.asarray(r), np.asarray(g)
        if r.shape != g.shape:
            bad.append(f"{k}: shape {r.shape} vs {g.shape}")
            continue
        if r.dtype.kind in "fc":
            bad_inf = np.isfinite(r) != np.isfinite(g)  # nan and inf both mark invalid values
            r, g = np.where(np.isfinite(r), r, 0), np.where(np.isfinite(g), g, 0)
            # gradients sum many terms: float32 rounding scales with the array's largest entry
            atol = ATOL + (1e-5 * np.abs(r).max() if k.startswith("grad") and r.size else 0)
            if bad_inf.any() or not np.allclose(g, r, rtol=RTOL, atol=atol):
                err = np.max(np.abs(g.astype("f8") - r) / (atol + RTOL * np.abs(r)))
                bad.append(f"{k}: max err {err:.3g} x tol, {int(bad_inf.sum())} finite/non-finite")
        elif r.dtype.kind not in "fc" and not np.array_equal(r, g):
            bad.append(f"{k}: {r.tolist()} vs {g.tolist()}")
    return bad


def _save(path, res):
    arrays = {k: v for k, v in res.items() if not isinstance(v, str)}
    strings = {k: v for k, v in res.items() if isinstance(v, str)}
    np.savez(path, **arrays, __strings__=np.array(json.dumps(strings)))


def _load(path):
    z = np.load(path)
    out = {k: z[k] for k in z.files if k != "__strings__"}
    out.update(json.loads(str(z["__strings__"])))
    return out


def main():
    only = sys.argv[1:]
    cases = [("distr", n) for n in DISTRS] + [("net", n) for n in NETS]
    report = {}
    for kind, name in cases:
        if only and name not in only:
            continue
        _NAMES.clear()
        key = f"{kind}:{name}"
        path = DIR / f"{kind}_{name}.ref.npz"
        try:
            res = distribution_case(name) if kind == "distr" else network_case(name)
        except Exception as e:  # noqa: BLE001
            res = {"error": f"{type(e).__name__}: {e}"}
            if not REF:
                print(traceback.format_exc()[-1500:])
        if REF:
            _save(path, res)
            print(f"ref  {key:40s} {len(res)} values" + (f" {res['error'][:100]}"
                                                      if "error" in res else ""))
            continue
        bad = _compare(_load(path), res)
        report[key] = {"ok": not bad, "checked": len(res), "diffs": bad}
        print(f"{'ok  ' if not bad else 'DIFF'} {key:40s} {len(res)} values"
              + ("" if not bad else "  " + "; ".join(bad[:4])[:400]), flush=True)
    if not REF:
        (DIR / "report_mxtorch.json").write_text(json.dumps(report, indent=1))
        print("passed %d/%d cases" % (sum(r["ok"] for r in report.values()), len(report)))


if __name__ == "__main__":
    main()
