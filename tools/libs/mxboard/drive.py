"""Differential driver: MXBoard 0.1.0 (TensorBoard logging for MXNet) on MXNet 1.9.1 vs mxtorch.

Needs the oracle and mxboard in /work/libs/mxboard/site; mxboard's generated protobuf modules
need protobuf 3.x, so the mxtorch run (protobuf 7 in .venv) puts protobuf 3.20.3 + six from
/work/libs/mxboard/pb3 first (see tools/libs/mxboard/README.md). Not run by CI::

    PYTHONPATH=/work/libs/mxboard/site ~/mxref/bin/python tools/libs/mxboard/drive.py oracle
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python \\
    PYTHONPATH=/work/libs/mxboard/pb3:/work/libs/mxboard/site .venv/bin/python \\
        tools/libs/mxboard/drive.py mxtorch

Each case logs with SummaryWriter from NumPy-seeded NDArrays into /tmp/mxb/<mode>/<case>, then
the event files are read back (every Summary value, wall times dropped) together with the
files add_embedding writes; the mxtorch step compares them with the oracle's
(/tmp/mxb/report.json). Float fields: rtol 1e-5; everything else exactly.
"""
import glob
import json
import os
import shutil
import struct
import sys
import traceback

MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    import mxtorch.compat
    mxtorch.compat.install()

import numpy as np  # noqa: E402
import mxnet as mx  # noqa: E402
from mxnet import gluon, nd  # noqa: E402
from mxboard import SummaryWriter  # noqa: E402
from mxboard.proto import event_pb2  # noqa: E402

if MODE == "mxtorch":
    # NOTE: NumPy-2 shims for the driver only (mxtorch runs on NumPy 2; compat/mxboard.md):
    # mxboard's scalar_summary calls float() on a 1-element array (np.array([x])), and its
    # pr_curve uses np.float (removed in NumPy 1.24).
    import mxboard.summary
    import mxboard.writer
    _scalar_summary = mxboard.summary.scalar_summary

    def _scalar_summary_0d(tag, scalar):
        value = scalar.asnumpy() if isinstance(scalar, nd.NDArray) else np.asarray(scalar)
        if value.size == 1:
            scalar = value.reshape(())
        return _scalar_summary(tag, scalar)
    mxboard.summary.scalar_summary = mxboard.writer.scalar_summary = _scalar_summary_0d
    if not hasattr(np, "float"):
        np.float = float

ROOT = "/tmp/mxb"
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def scalars(sw, rs):
    for step in range(3):
        sw.add_scalar("loss", nd.array(rs.uniform(size=1)).asscalar(), global_step=step)
        sw.add_scalar("acc", float(rs.uniform()), global_step=step)
        sw.add_scalar("np", np.float32(rs.uniform()), global_step=step)
    sw.add_scalar("group", {"a": 1.5, "b": nd.array([2.5]).asscalar()}, global_step=0)


@case
def histograms(sw, rs):
    sw.add_histogram("normal", nd.array(rs.normal(size=(100, 10))), global_step=0, bins=20)
    sw.add_histogram("default_bins", nd.array(rs.uniform(-2, 2, 500)), global_step=1)
    sw.add_histogram("ints", nd.array(rs.randint(0, 10, 50), dtype="int32"), 2, bins="auto")
    sw.add_histogram("numpy", rs.normal(size=30), global_step=3, bins=5)


@case
def images(sw, rs):
    sw.add_image("one_chw", nd.array(rs.uniform(size=(3, 8, 6))), global_step=0)
    sw.add_image("gray_hw", nd.array(rs.uniform(size=(8, 6))), global_step=0)
    sw.add_image("batch_uint8", nd.array(rs.randint(0, 256, (5, 3, 8, 8)), dtype="uint8"), 1)
    sw.add_image("batch_1ch", nd.array(rs.uniform(0, 1, (4, 1, 6, 6))), global_step=2)
    sw.add_image("numpy", rs.uniform(size=(2, 3, 5, 5)).astype("float32"), global_step=3)


@case
def image_negative_error(sw, rs):
    sw.add_image("neg", nd.array(rs.uniform(-1, 1, (4, 1, 6, 6))), global_step=0)


@case
def text_audio(sw, rs):
    sw.add_text("note", "hello mxboard", global_step=0)
    sw.add_audio("tone", nd.array(np.sin(np.arange(800) / 8.0) * 0.5), sample_rate=8000)


@case
def pr_curves(sw, rs):
    labels = nd.array(rs.randint(0, 2, 50))
    preds = nd.array(rs.uniform(size=50))
    sw.add_pr_curve("pr", labels, preds, num_thresholds=11, global_step=0)
    sw.add_pr_curve("pr_w", labels, preds, num_thresholds=5, global_step=1,
                    weights=nd.array(rs.uniform(size=50)))


@case
def embeddings(sw, rs):
    sw.add_embedding("emb", nd.array(rs.normal(size=(6, 4))),
                     labels=nd.array(np.arange(6)),
                     images=nd.array(rs.uniform(size=(6, 3, 4, 4))), global_step=0)
    sw.add_embedding("emb_list", nd.array(rs.normal(size=(3, 2))), labels=["a", "b", "c"])


@case
def graphs(sw, rs):
    net = gluon.nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(gluon.nn.Conv2D(4, 3, in_channels=3), gluon.nn.BatchNorm(in_channels=4),
                gluon.nn.Activation("relu"), gluon.nn.Dense(2, in_units=4 * 6 * 6))
    net.initialize()
    net.hybridize()
    net(nd.zeros((1, 3, 8, 8)))
    sw.add_graph(net)
    data = mx.sym.Variable("data")
    sym = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
    sw.add_graph(mx.sym.softmax(sym, name="out"))


def _records(path):
    """Event records of a TFRecord file (length, crc, data, crc)."""
    out = []
    with open(path, "rb") as f:
        while True:
            head = f.read(12)
            if len(head) < 12:
                return out
            (n,) = struct.unpack("<Q", head[:8])
            out.append(f.read(n))
            f.read(4)


def _read(logdir):
    """{file: content} for a log directory: events as text protobufs (no wall times)."""
    result = {}
    for path in sorted(glob.glob(os.path.join(logdir, "**", "*"), recursive=True)):
        if os.path.isdir(path):
            continue
        rel = os.path.relpath(path, logdir)
        if "tfevents" in rel:
            events = []
            for raw in _records(path):
                ev = event_pb2.Event.FromString(raw)
                ev.ClearField("wall_time")
                if ev.HasField("file_version"):
                    continue
                events.append(str(ev))
            result[os.path.dirname(rel) + "/events"] = events
        else:
            result[rel] = open(path, "rb").read().decode("latin-1")
    return result


def run(name):
    logdir = os.path.join(ROOT, MODE, name)
    shutil.rmtree(logdir, ignore_errors=True)
    with SummaryWriter(logdir=logdir, verbose=False) as sw:
        CASES[name](sw, np.random.RandomState(0))
    return _read(logdir)


_NUM = None


def _same_text(a, b):
    """Equal text protobufs, numbers compared with rtol 1e-5."""
    import re
    num = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+|nan|inf")
    if num.sub("#", a) != num.sub("#", b):
        return False
    x = [float(v) for v in num.findall(a)]
    y = [float(v) for v in num.findall(b)]
    return np.allclose(x, y, rtol=1e-5, atol=1e-7, equal_nan=True)


def compare(got, ref):
    bad = []
    for key in sorted(set(got) | set(ref)):
        if key not in got or key not in ref:
            bad.append("%s: only in %s" % (key, "mxtorch" if key in got else "mxnet"))
            continue
        g, r = got[key], ref[key]
        if isinstance(r, list):
            if len(g) != len(r):
                bad.append("%s: %d events vs %d" % (key, len(g), len(r)))
            for i, (a, b) in enumerate(zip(g, r)):
                if not _same_text(a, b):
                    bad.append("%s[%d]: %s ... vs %s ..." % (key, i, a[:300], b[:300]))
        elif g != r and not _same_text(g, r):
            bad.append("%s: differs (%d vs %d chars)" % (key, len(g), len(r)))
    return bad


def main():
    names = sys.argv[2:] or list(CASES)
    os.makedirs(ROOT, exist_ok=True)
    ref_path = os.path.join(ROOT, "ref.json")
    ref = json.load(open(ref_path)) if os.path.exists(ref_path) else {}
    report = {}
    for name in names:
        try:
            res = {"ok": run(name)}
        except Exception as err:
            res = {"error": "%s: %s" % (type(err).__name__, str(err)[:300]),
                   "trace": traceback.format_exc()[-2500:]}
        if MODE == "oracle":
            ref[name] = res
            print(name, "ok" if "ok" in res else res["error"], flush=True)
            continue
        want = ref[name]
        if "ok" in res and "ok" in want:
            bad = compare(res["ok"], want["ok"])
            report[name] = {"pass": not bad, "diffs": bad}
        elif "error" in res and "error" in want:
            report[name] = {"pass": res["error"].split(":")[0] == want["error"].split(":")[0],
                            "error": res["error"], "mxnet_error": want["error"]}
        else:
            report[name] = {"pass": False, "error": res.get("error"),
                            "mxnet_error": want.get("error"), "trace": res.get("trace")}
        print(name, json.dumps({k: v for k, v in report[name].items() if k != "trace"})[:2000],
              flush=True)
    if MODE == "oracle":
        json.dump(ref, open(ref_path, "w"))
    else:
        json.dump(report, open(os.path.join(ROOT, "report.json"), "w"), indent=1)
        print("passed %d / %d" % (sum(r["pass"] for r in report.values()), len(report)))


if __name__ == "__main__":
    main()
