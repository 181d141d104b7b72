"""Differential driver: Sockeye 2.3.24 (MXNet NMT toolkit) on MXNet 1.9.1 (oracle) vs mxtorch.

Needs the oracle (~/mxref) and sockeye in /work/libs/sockeye/site (tools/libs/sockeye/README.md).
Not run by CI. Two steps over the same cases::

    PYTHONPATH=/work/libs/sockeye/site ~/mxref/bin/python tools/libs/sockeye/drive.py oracle [CASE...]
    PYTHONPATH=/work/libs/sockeye/site .venv/bin/python tools/libs/sockeye/drive.py mxtorch [CASE...]

Each case runs sockeye's own command-line entry points as its integration tests do (digits copy
task: prepare_data, train, translate, score, average, checkpoint decoding) in /tmp/sk/<mode>/<case>.
The mxtorch step then also translates and scores with the oracle's trained model and compares
the output (tokens exactly, scores rtol 1e-4), and both sides train again from the oracle's
first checkpoint (``--params``; fresh optimizer) so that the training metrics (perplexity per
checkpoint) can be compared. Report:
/tmp/sk/report_<mode>.json.
"""
import glob
import json
import os
import shutil
import sys
import time
import traceback
from unittest.mock import patch

MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    import mxtorch.compat
    mxtorch.compat.install()

import numpy as np  # noqa: E402
import sockeye.average  # noqa: E402
import sockeye.inference  # noqa: E402
import sockeye.prepare_data  # noqa: E402
import sockeye.score  # noqa: E402
import sockeye.train  # noqa: E402
import sockeye.translate  # noqa: E402
from sockeye.test_utils import generate_digits_file  # noqa: E402

if MODE == "mxtorch":
    # NOTE: sockeye calls float()/int() on 1-element NumPy arrays (beam scores, lengths), which
    # NumPy 2 (mxtorch's) refuses; give that one helper 0-d arrays, for the driver only
    # (compat/sockeye.md).
    _assemble = sockeye.inference.Translator._assemble_translation

    def _assemble_0d(sequence, *args, **kwargs):
        args = [a.reshape(()) if isinstance(a, np.ndarray) and a.size == 1 else a for a in args]
        return _assemble(sequence, *args, **kwargs)
    sockeye.inference.Translator._assemble_translation = staticmethod(_assemble_0d)
    # NOTE: the data iterator's save_state np.save()s a list of arrays of different lengths;
    # NumPy < 1.24 made that an object array, NumPy 2 raises. Same shim, driver only.
    _np_save = np.save

    def _save_ragged(file, arr, *args, **kwargs):
        if isinstance(arr, list) and len({np.shape(a) for a in arr}) > 1:
            ragged = np.empty(len(arr), dtype=object)
            for i, a in enumerate(arr):
                ragged[i] = a
            arr = ragged
        return _np_save(file, arr, *args, **kwargs)
    np.save = _save_ragged

ROOT = "/tmp/sk"
DATA = os.path.join(ROOT, "data")
SMALL = ("--num-layers 2 --transformer-attention-heads 2 --transformer-model-size 8 --num-embed 8"
         " --transformer-feed-forward-num-hidden 16 --transformer-preprocess n"
         " --transformer-postprocess dr --batch-type sentence --batch-size 4"
         " --checkpoint-interval 4 --max-updates 8 --optimizer adam --initial-learning-rate 0.01"
         " --max-num-checkpoint-not-improved 4")
NODROP = (" --transformer-dropout-attention 0 --transformer-dropout-act 0"
          " --transformer-dropout-prepost 0 --embed-dropout 0:0")
# case -> (train args, translate args)
CASES = {
    "transformer": ("--encoder transformer --decoder transformer " + SMALL + NODROP,
                    "--beam-size 2"),
    "transformer_tied_nbest": ("--encoder transformer --decoder transformer " + SMALL + NODROP
                               + " --weight-tying-type trg_softmax",
                               "--beam-size 3 --nbest-size 2"),
    "transformer_ssru_lhuc": ("--encoder transformer --decoder ssru_transformer " + SMALL + NODROP
                              + " --lhuc all", "--beam-size 1 --greedy"),
    "transformer_lhuc": ("--encoder transformer --decoder transformer " + SMALL + NODROP
                         + " --lhuc all", "--beam-size 2"),
    "transformer_ssru": ("--encoder transformer --decoder ssru_transformer " + SMALL + NODROP,
                         "--beam-size 2"),
    "transformer_label_smoothing_fp": ("--encoder transformer --decoder transformer " + SMALL
                                       + NODROP + " --label-smoothing 0.1 --length-task ratio"
                                       " --length-task-weight 0.1",
                                       "--beam-size 2 --length-penalty-alpha 1.0"
                                       " --brevity-penalty-type learned"),
    "transformer_dropout": ("--encoder transformer --decoder transformer " + SMALL
                            + " --transformer-dropout-prepost 0.1", "--beam-size 2"),
}


def _data():
    if os.path.exists(os.path.join(DATA, "done")):
        return
    os.makedirs(DATA, exist_ok=True)
    for name, lines, maxlen, seed in (("train", 64, 8, 13), ("dev", 8, 8, 17), ("test", 6, 8, 19)):
        generate_digits_file(os.path.join(DATA, name + ".src"), os.path.join(DATA, name + ".tgt"),
                             lines, maxlen, seed=seed)
    open(os.path.join(DATA, "done"), "w").close()


def _run(module, args):
    with patch.object(sys, "argv", [module.__file__] + args.split()):
        module.main()


def _train(work, train_args, extra=""):
    model = os.path.join(work, "model")
    shutil.rmtree(model, ignore_errors=True)
    _run(sockeye.train, "--use-cpu --max-seq-len 10 --seed 13 --quiet"
         " --source {d}/train.src --target {d}/train.tgt --validation-source {d}/dev.src"
         " --validation-target {d}/dev.tgt --output {m} {a} {e}".format(
             d=DATA, m=model, a=train_args, e=extra))
    return model


def _translate(model, out, args):
    _run(sockeye.translate, "--use-cpu --quiet --models %s --input %s/test.src --output %s"
         " --output-type json %s" % (model, DATA, out, args))
    return [json.loads(line) for line in open(out)]


def _score(model, out):
    _run(sockeye.score, "--use-cpu --model %s --source %s/test.src --target %s/test.tgt"
         " --output %s" % (model, DATA, DATA, out))
    return [float(line.split("\t")[0]) for line in open(out)]


def _metrics(model):
    rows = []
    for line in open(os.path.join(model, "metrics")):
        fields = dict(kv.split("=", 1) for kv in line.split()[1:])
        rows.append({k: float(v) for k, v in fields.items()
                     if k.startswith(("perplexity", "decode-bleu")) and v != "None"})
    return rows


def own_run(case):
    """Everything on this interpreter alone: train, translate, score, average."""
    train_args, tr_args = CASES[case]
    work = os.path.join(ROOT, MODE, case)
    os.makedirs(work, exist_ok=True)
    model = _train(work, train_args)
    out = {"metrics": _metrics(model),
           "translations": _translate(model, os.path.join(work, "out.json"), tr_args),
           "scores": _score(model, os.path.join(work, "scores.txt"))}
    points = sorted(glob.glob(os.path.join(model, "params.0*")))
    _run(sockeye.average, "-n 2 --output %s/params.avg %s" % (work, model))
    out["checkpoints"] = len(points)
    if "dropout" not in case:  # same start on both sides: the oracle's first checkpoint
        start = os.path.join(ROOT, "oracle", case, "model", "params.00001")
        out["metrics_from_ckpt"] = _metrics(_train(os.path.join(work, "from_ckpt"), train_args,
                                                   "--params " + start))
    return out


def _close(a, b, rtol=1e-4, atol=1e-5):
    return np.allclose(np.asarray(a, "f8"), np.asarray(b, "f8"), rtol=rtol, atol=atol)


def _cmp_translations(got, ref):
    bad = []
    for i, (g, r) in enumerate(zip(got, ref)):
        if g.get("translation") != r.get("translation"):
            bad.append("line %d: %r vs %r" % (i, g.get("translation"), r.get("translation")))
        for key in ("score", "scores"):
            if key in r and not _close(g.get(key), r[key]):
                bad.append("line %d %s: %s vs %s" % (i, key, g.get(key), r[key]))
        for key in ("translations",):
            if key in r and g.get(key) != r[key]:
                bad.append("line %d nbest: %r vs %r" % (i, g.get(key), r[key]))
    if len(got) != len(ref):
        bad.append("%d lines vs %d" % (len(got), len(ref)))
    return bad


def mxtorch_case(case, ref):
    res = {}
    train_args, tr_args = CASES[case]
    work = os.path.join(ROOT, MODE, case)
    omodel = os.path.join(ROOT, "oracle", case, "model")

    def stage(key, fn):
        t0 = time.time()
        try:
            value = fn()
            res[key] = "ok" if not value else value
        except Exception as err:
            res[key] = "ERROR %s: %s" % (type(err).__name__, str(err)[:300])
            res.setdefault("traces", {})[key] = traceback.format_exc()[-3000:]
        res["t_" + key] = round(time.time() - t0, 1)

    own = {}
    stage("own_run", lambda: own.update(own_run(case)))
    stage("translate_oracle_model", lambda: _cmp_translations(
        _translate(omodel, os.path.join(work, "x_out.json"), tr_args), ref["translations"]))
    stage("score_oracle_model", lambda: [] if _close(
        _score(omodel, os.path.join(work, "x_scores.txt")), ref["scores"]) else
        ["scores differ"])

    def train_from_ckpt():
        bad = []
        for i, (g, r) in enumerate(zip(own["metrics_from_ckpt"], ref["metrics_from_ckpt"])):
            for k in r:
                if k.startswith("perplexity") and not _close(g.get(k), r[k], rtol=1e-3):
                    bad.append("checkpoint %d %s: %s vs %s" % (i + 1, k, g.get(k), r[k]))
        return bad
    if "metrics_from_ckpt" in own:
        stage("train_from_oracle_ckpt", train_from_ckpt)
    if isinstance(own.get("metrics"), list):
        res["own_metrics"] = own["metrics"]
    return res


def main():
    names = sys.argv[2:] or list(CASES)
    _data()
    report_path = os.path.join(ROOT, "report_%s.json" % MODE)
    report = json.load(open(report_path)) if os.path.exists(report_path) else {}
    for case in names:
        t0 = time.time()
        try:
            if MODE == "oracle":
                res = own_run(case)
                json.dump(res, open(os.path.join(ROOT, "oracle", case, "ref.json"), "w"))
                res = {"ok": True, "metrics": res["metrics"]}
            else:
                ref = json.load(open(os.path.join(ROOT, "oracle", case, "ref.json")))
                res = mxtorch_case(case, ref)
        except Exception as err:
            res = {"ERROR": "%s: %s" % (type(err).__name__, str(err)[:300]),
                   "trace": traceback.format_exc()[-3000:]}
        res["seconds"] = round(time.time() - t0, 1)
        report[case] = res
        print(case, json.dumps({k: v for k, v in res.items() if k not in ("traces", "trace")}),
              flush=True)
        json.dump(report, open(report_path, "w"), indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
