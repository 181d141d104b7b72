"""End-to-end GluonTS (MXNet models) smoke driver: train, predict, evaluate, serialize.

Run under real MXNet (oracle) or mxtorch (``import mxnet`` redirected), with gluonts on the path:

    PYTHONPATH=/work/libs/gluonts/site ~/mxref/bin/python tools/libs/gluonts/smoke.py [names...]
    PYTHONPATH=/work/libs/gluonts/site .venv/bin/python tools/libs/gluonts/smoke.py --mxtorch [names...]

Prints one line per estimator (ok/FAIL, seconds, mean forecast, MSE) and writes a JSON report to
``$GLUONTS_OUT`` (default /tmp/gluonts_smoke_<impl>.json). Needs the oracle + gluonts; not CI.
"""
import json
import os
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
import logging  # noqa: E402
logging.disable(logging.WARNING)
if "--mxtorch" in sys.argv:
    sys.argv.remove("--mxtorch")
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import mxtorch.compat
    mxtorch.compat.install()
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from gluonts.dataset.common import ListDataset  # noqa: E402
from gluonts.evaluation import Evaluator, make_evaluation_predictions  # noqa: E402
from gluonts.model.predictor import Predictor  # noqa: E402
import gluonts.mx as gmx  # noqa: E402
from gluonts.mx import Trainer  # noqa: E402

FREQ, PL, CL = "H", 6, 12
IMPL = "mxtorch" if "mxtorch" in mx.__file__ else "mxnet"


def dataset(n_series=4, length=80, test=False):
    rng = np.random.RandomState(0)
    t = np.arange(length + (PL if test else 0))
    items = []
    for i in range(n_series):
        y = 10 + 3 * np.sin(2 * np.pi * t / 24 + i) + rng.normal(0, 0.3, len(t))
        items.append({"start": pd.Period("2020-01-01 00:00", freq=FREQ), "target": y.astype("f"),
                      "feat_static_cat": [i]})
    return ListDataset(items, freq=FREQ)


def trainer(epochs=1, nb=3):
    return Trainer(epochs=epochs, num_batches_per_epoch=nb, learning_rate=1e-2, hybridize=True)


def estimators(dropout=None):
    """name -> factory; ``dropout`` overrides the models' dropout rates (0 for comparisons)."""
    tr = trainer
    common = dict(prediction_length=PL, trainer=tr())
    drop = {} if dropout is None else {"dropout_rate": dropout}
    return {
        "SimpleFeedForward": lambda: gmx.SimpleFeedForwardEstimator(
            num_hidden_dimensions=[8], context_length=CL, batch_size=8, **common),
        "DeepAR": lambda: gmx.DeepAREstimator(
            freq=FREQ, context_length=CL, num_cells=8, num_layers=1, batch_size=8, **drop,
            **common),
        "MQCNN": lambda: gmx.MQCNNEstimator(
            freq=FREQ, context_length=CL, batch_size=8, **common),
        "MQRNN": lambda: gmx.MQRNNEstimator(
            freq=FREQ, context_length=CL, batch_size=8, **common),
        "Transformer": lambda: gmx.TransformerEstimator(
            freq=FREQ, context_length=CL, model_dim=8, num_heads=2, inner_ff_dim_scale=2,
            batch_size=8, **drop, **common),
        "WaveNet": lambda: gmx.WaveNetEstimator(
            freq=FREQ, n_residue=4, n_skip=4, n_stacks=1, dilation_depth=3,
            num_bins=64, batch_size=8, train_window_length=24, hybridize_prediction_net=True,
            **common),
        "DeepFactor": lambda: gmx.DeepFactorEstimator(
            freq=FREQ, context_length=CL, num_hidden_global=8, num_factors=2, batch_size=8,
            **common),
        "DeepState": lambda: gmx.DeepStateEstimator(
            freq=FREQ, past_length=CL, cardinality=[4], use_feat_static_cat=True,
            num_cells=8, batch_size=8, **drop, **common),
        "LSTNet": lambda: gmx.LSTNetEstimator(
            prediction_length=PL, context_length=CL, num_series=1, skip_size=2, ar_window=3,
            channels=4, kernel_size=3, rnn_num_cells=8, rnn_num_layers=1,
            skip_rnn_num_cells=4,
            trainer=tr(), batch_size=8, **drop),
        "NBEATS": lambda: gmx.NBEATSEstimator(
            freq=FREQ, context_length=CL, num_stacks=2, widths=[16], num_blocks=[1],
            num_block_layers=[2], expansion_coefficient_lengths=[4], sharing=[False],
            stack_types=["G"], batch_size=8, **common),
        "TFT": lambda: gmx.TemporalFusionTransformerEstimator(
            freq=FREQ, context_length=CL, hidden_dim=8, num_heads=2, batch_size=8, **drop,
            **common),
        "CanonicalRNN": lambda: gmx.CanonicalRNNEstimator(
            freq=FREQ, context_length=CL, num_cells=8, num_layers=1, **common),
        "GaussianProcess": lambda: gmx.GaussianProcessEstimator(
            freq=FREQ, cardinality=4, context_length=CL, batch_size=8, **common),
        "DeepRenewal": lambda: gmx.DeepRenewalProcessEstimator(
            context_length=CL, num_cells=8, num_layers=1, batch_size=8, **drop, **common),
        "Seq2Seq-RNN2QR": lambda: gmx.RNN2QRForecaster(
            freq=FREQ, context_length=CL, cardinality=[4], embedding_dimension=2,
            encoder_rnn_layer=1, encoder_rnn_num_hidden=8, decoder_mlp_layer=[8],
            decoder_mlp_static_dim=4, **common),
    }


def run_one(name, make):
    mx.random.seed(0)
    np.random.seed(0)
    est = make()
    train, test = dataset(), dataset(test=True)
    if name == "LSTNet":   # multivariate: one series of dimension 1
        train = ListDataset([{"start": d["start"], "target": d["target"][None]}
                             for d in train], freq=FREQ, one_dim_target=False)
        test = ListDataset([{"start": d["start"], "target": d["target"][None]}
                            for d in test], freq=FREQ, one_dim_target=False)
    t0 = time.time()
    pred = est.train(train)
    t_train = time.time() - t0
    fc_it, ts_it = make_evaluation_predictions(test, pred, num_samples=20)
    fcs, tss = list(fc_it), list(ts_it)
    mean = np.stack([f.mean for f in fcs])
    res = {"train_s": round(t_train, 2), "mean_shape": list(mean.shape),
           "mean_avg": float(np.mean(mean)), "finite": bool(np.isfinite(mean).all())}
    if name != "LSTNet":
        agg, _ = Evaluator(quantiles=[0.1, 0.5, 0.9], num_workers=0)(tss, fcs)
        res["MSE"], res["mean_wQuantileLoss"] = float(agg["MSE"]), float(agg["mean_wQuantileLoss"])
    with tempfile.TemporaryDirectory() as d:
        pred.serialize(Path(d))
        res["files"] = sorted(os.listdir(d))
        pred2 = Predictor.deserialize(Path(d))
        m2 = np.stack([f.mean for f in pred2.predict(test, num_samples=20)])
        res["reload_mean_avg"] = float(np.mean(m2))
    return res


def main():
    names = sys.argv[1:] or list(estimators())
    report = {}
    for name in names:
        t0 = time.time()
        try:
            res = run_one(name, estimators()[name])
            res["ok"] = True
            print(f"ok   {name:18s} {time.time() - t0:6.1f}s mean={res['mean_avg']:.3f} "
                  f"MSE={res.get('MSE', float('nan')):.3f} reload={res['reload_mean_avg']:.3f}",
                  flush=True)
        except Exception as e:  # noqa: BLE001 - record every failure
            res = {"ok": False, "error": f"{type(e).__name__}: {e}",
                   "trace": traceback.format_exc()[-3000:]}
            print(f"FAIL {name:18s} {type(e).__name__}: {str(e)[:300]}", flush=True)
        report[name] = res
    out = os.environ.get("GLUONTS_OUT", f"/tmp/gluonts_smoke_{IMPL}.json")
    Path(out).write_text(json.dumps(report, indent=1))
    print("passed %d/%d (%s)" % (sum(r["ok"] for r in report.values()), len(report), IMPL))


if __name__ == "__main__":
    main()
