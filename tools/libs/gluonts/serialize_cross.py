"""Predictor files across frameworks: serialize in one, deserialize and predict in the other.

    D=/tmp/gluonts_ser; export PYTHONPATH=/work/libs/gluonts/site
    ~/mxref/bin/python tools/libs/gluonts/serialize_cross.py write        # MXNet writes
    .venv/bin/python tools/libs/gluonts/serialize_cross.py --mxtorch read  # mxtorch reads MXNet's
    .venv/bin/python tools/libs/gluonts/serialize_cross.py --mxtorch write # mxtorch writes
    ~/mxref/bin/python tools/libs/gluonts/serialize_cross.py read         # MXNet reads mxtorch's

``write`` trains each estimator of smoke.py briefly, serializes the predictor (MXNet files:
-symbol.json/.params for RepresentableBlockPredictor exports, or pickled blocks + params) under
$GLUONTS_SER/<impl>/<name> and stores the forecasts. ``read`` loads the other framework's
predictors and compares forecasts: exactly (rtol 1e-4 / atol 1e-4) when the writer found them
deterministic (two predictions equal), else shapes and finiteness. Needs the oracle; not CI.
"""
import json
import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if "--mxtorch" in sys.argv:  # smoke redirects mxnet when it sees the flag
    pass
import smoke  # noqa: E402
import numpy as np  # noqa: E402
from gluonts.model.predictor import Predictor  # noqa: E402

ROOT = Path(os.environ.get("GLUONTS_SER", "/tmp/gluonts_ser"))
OTHER = {"mxnet": "mxtorch", "mxtorch": "mxnet"}


def _forecasts(pred, test):
    out = []
    for f in pred.predict(test, num_samples=20):
        arr = getattr(f, "forecast_array", None)
        out.append(np.asarray(arr if arr is not None else f.samples, dtype="f8"))
    return np.stack(out)


def _test_set(name):
    test = smoke.dataset(test=True)
    if name == "LSTNet":
        from gluonts.dataset.common import ListDataset
        test = ListDataset([{"start": d["start"], "target": d["target"][None]} for d in test],
                           freq=smoke.FREQ, one_dim_target=False)
    return test


def write(names):
    for name in names:
        d = ROOT / smoke.IMPL / name
        d.mkdir(parents=True, exist_ok=True)
        try:
            smoke.mx.random.seed(0)
            np.random.seed(0)
            est = smoke.estimators(dropout=0.0)[name]()
            train = smoke.dataset()
            if name == "LSTNet":
                from gluonts.dataset.common import ListDataset
                train = ListDataset([{"start": x["start"], "target": x["target"][None]}
                                     for x in train], freq=smoke.FREQ, one_dim_target=False)
            pred = est.train(train)
            pred.serialize(d)
            test = _test_set(name)
            a, b = _forecasts(pred, test), _forecasts(pred, test)
            np.savez(d / "forecasts.npz", a=a, det=np.array(np.allclose(a, b)))
            print(f"wrote {name:18s} deterministic={np.allclose(a, b)} files={len(os.listdir(d))}")
        except Exception as e:  # noqa: BLE001
            print(f"FAIL write {name}: {type(e).__name__}: {str(e)[:300]}")


def read(names):
    report = {}
    for name in names:
        d = ROOT / OTHER[smoke.IMPL] / name
        try:
            z = np.load(d / "forecasts.npz")
            pred = Predictor.deserialize(d)
            got = _forecasts(pred, _test_set(name))
            det = bool(z["det"])
            if got.shape != z["a"].shape:
                ok, why = False, f"shape {got.shape} vs {z['a'].shape}"
            elif det:
                ok = np.allclose(got, z["a"], rtol=1e-4, atol=1e-4)
                why = f"max abs diff {np.abs(got - z['a']).max():.3g}"
            else:
                ok, why = bool(np.isfinite(got).all()), "sampled: shape + finite"
        except Exception as e:  # noqa: BLE001
            ok, why, det = False, f"{type(e).__name__}: {str(e)[:300]}", None
            traceback.print_exc(limit=-3)
        report[name] = {"ok": bool(ok), "deterministic": det, "detail": why}
        print(f"{'ok  ' if ok else 'FAIL'} read {name:18s} det={det} {why}", flush=True)
    out = ROOT / f"report_read_by_{smoke.IMPL}.json"
    out.write_text(json.dumps(report, indent=1))
    print("passed %d/%d" % (sum(r["ok"] for r in report.values()), len(report)))


if __name__ == "__main__":
    mode, names = sys.argv[1], sys.argv[2:] or [n for n in smoke.estimators()
                                                 if n != "Seq2Seq-RNN2QR"]
    write(names) if mode == "write" else read(names)
