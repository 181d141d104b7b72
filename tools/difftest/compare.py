"""Compare the results the runner wrote for MXNet and mxtorch.

Usage: .venv/bin/python tools/difftest/compare.py DIR [--details] [--group SUBSTR]
Prints calls made, agreements, MXNet crashes, and the differences grouped by function.
"""
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from cases import all_cases  # noqa: E402
from common import dec_array  # noqa: E402

TOL = {"float16": 2e-2, "float32": 1e-4, "float64": 1e-6}


def load(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                out[r["id"]] = r
    return out


def _values(a, b, dtype):
    if a.shape != b.shape:
        return "values shape %s vs %s" % (a.shape, b.shape)
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        fa, fb = a.astype("float64"), b.astype("float64")
        if not np.array_equal(np.isnan(fa), np.isnan(fb)):
            return "NaN positions differ"
        tol = TOL.get(str(dtype), 1e-4)
        ok = np.isclose(fa, fb, rtol=tol, atol=tol, equal_nan=True)
        if not ok.all():
            i = np.argwhere(~ok)[0]
            return "values differ at %s: %r vs %r" % (tuple(i), fa[tuple(i)], fb[tuple(i)])
        return None
    if not np.array_equal(a, b):
        i = np.argwhere(a != b)[0] if a.shape else ()
        return "values differ at %s: %r vs %r" % (tuple(i), a[tuple(i)], b[tuple(i)])
    return None


def diff(x, y, random=False, path="R"):
    """First difference between two encoded results (None when they agree)."""
    if x["t"] != y["t"] or x.get("cls") != y.get("cls"):
        return "%s: type %s/%s vs %s/%s" % (path, x["t"], x.get("cls"), y["t"], y.get("cls"))
    t = x["t"]
    if t == "py":
        if x["v"] != y["v"]:
            if isinstance(x["v"], float) and isinstance(y["v"], float) and \
                    abs(x["v"] - y["v"]) <= 1e-5 * max(1, abs(x["v"])):
                return None
            return "%s: %r vs %r" % (path, x["v"], y["v"])
        return None
    if t in ("numpy", "npscalar", "nd"):
        for k in ("shape", "dtype", "stype"):
            if x.get(k) != y.get(k):
                return "%s: %s %s vs %s" % (path, k, x.get(k), y.get(k))
        if ("err" in x) != ("err" in y):
            return "%s: asnumpy %s vs %s" % (path, x.get("err", "ok"), y.get("err", "ok"))
        if random or not x.get("a") or not y.get("a"):
            return None
        d = _values(dec_array(x["a"]), dec_array(y["a"]), x.get("dtype"))
        return "%s: %s" % (path, d) if d else None
    if t == "seq":
        if x["len"] != y["len"]:
            return "%s: length %d vs %d" % (path, x["len"], y["len"])
        for i, (a, b) in enumerate(zip(x["items"], y["items"])):
            d = diff(a, b, random, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if t == "dict":
        if x["keys"] != y["keys"]:
            return "%s: keys %s vs %s" % (path, x["keys"][:8], y["keys"][:8])
        for k, a, b in zip(x["keys"], x["items"], y["items"]):
            d = diff(a, b, random, "%s[%s]" % (path, k))
            if d:
                return d
        return None
    if t == "sym":
        for k in ("list_outputs", "list_arguments", "list_auxiliary_states", "name"):
            if x.get(k) != y.get(k):
                return "%s.%s: %s vs %s" % (path, k, x.get(k), y.get(k))
    return None


# MXNet refuses, mxtorch computes: harmless extensions listed in COMPAT.md ("Differential
# testing"). Matched on the case id; only "MXNet raises; mxtorch returns" differences qualify.
EXTENSIONS = (
    ("/dtype=", "dtypes MXNet has no kernel for"),
    ("/zero-size", "zero-size arrays in legacy shape mode"),
    ("/0-d", "0-d arrays in legacy shape mode"),
    ("0d", "0-d arrays in legacy shape mode"),
    ("numpy", "numpy arrays as operands"),
)


# Differences explained in COMPAT.md ("Differential testing"): (case id substring, reason).
DOCUMENTED = (
    ("dtype=None", "MXNet parses dtype=None as the string 'None'"),
    ("autograd.get_symbol", "get_symbol: recorded graphs are torch graphs"),
    ("int-grad", "integer arrays have no gradients"),
    ("SequenceLast/", "MXNet bug: SequenceLast reads uninitialised memory"),
    ("norm/dtype=", "MXNet bug: integer norm"), ("norm/base/dtype=int", "MXNet bug: integer norm"),
    ("TCLoss/", "MXNet bug: fractional CTC labels"), ("ctc_loss/", "MXNet bug: fractional CTC labels"),
    ("erfinv/", "MXNet bug: erfinv of integers"),
    ("sort/nan", "MXNet bug: NaN ordering"), ("nansum/nan", "MXNet bug: nansum with inf"),
    ("shape=(7,)", "MXNet bug: reshape to a larger size"),
    ("-pos", "MXNet bug / extension: positional infer_* and composition"),
    ("getitem-neg", "extension: negative Group index"),
    ("convert/", "extension: int()/float()/__index__; MXNet bug: np.array()"),
    ("adv[[0, 1], [1, 2]]", "MXNet bug: out-of-range nested-list assignment"),
    ("axis=-1", "extension: negative axes"), ("axes=(", "extension: negative axes"),
    ("neg-axis", "extension: negative axes"), ("begin=(0, 5)", "extension: begin past the end"),
    ("batch_take/", "extension: float indices"), ("out_dtype=", "extension: norm out_dtype"),
    ("shape=()", "extension: 0-d / zero-size in legacy mode"),
    ("shape=None", "extension: 0-d / zero-size in legacy mode"),
    ("/zero", "extension: 0-d / zero-size in legacy mode"),
    ("/empty", "extension: 0-d / zero-size in legacy mode"),
    ("arange/infer", "extension: 0-d / zero-size in legacy mode"),
    ("save-load/scalar", "extension: 0-d / zero-size in legacy mode"),
    ("__getitem__/0d", "extension: 0-d / zero-size in legacy mode"),
    ("split_v2", "extension: list sections"), ("head-bad", "clarity: head gradient shape"),
    ("setitem-rec", "extension: assignment under record()"),
    ("autograd.grad/", "extension: second order / unused variables"),
    ("Symbol.attr/op-", "extension: plain attr= keys on ops"),
    ("unary/bool", "MXNet bug: negating bool arrays"),
    ("__setitem__/[:, 1]=A((2, 1)", "extension: broadcasting assigned values"),
    ("props/handle", "no C handles"),
    ("randint/out", "extension: out= of another dtype"),
    ("BatchNorm/axis=", "MXNet bug: BatchNorm does not check gamma's shape for axis != 1"),
)


def classify(case, m, t):
    """(category, detail) of one case."""
    if m is None or t is None:
        return "missing", "no result (%s)" % ("mxnet" if m is None else "mxtorch")
    if m.get("exc") == "CRASH":
        if t.get("exc") == "CRASH":
            return "diff", "both crashed; mxtorch must raise cleanly"
        return "oracle-crash", m["msg"]
    if t.get("exc") == "CRASH":
        return "diff", "mxtorch " + t["msg"]
    if not m["ok"] and not t["ok"]:
        return "both-raise", ""
    if not m["ok"]:
        for pat, why in EXTENSIONS:
            if pat in case["id"]:
                return "extension", why
        return "diff", "MXNet raises %s (%s); mxtorch returns" % (m["exc"], m["msg"][:120])
    if not t["ok"]:
        return "diff", "mxtorch raises %s: %s [%s]" % (t["exc"], t["msg"][:160], t.get("where", ""))
    d = diff(m["res"], t["res"], case.get("random"))
    return ("diff", d) if d else ("agree", "")


def explain(case):
    """The COMPAT.md reason for a difference of this case, or None."""
    return next((why for pat, why in DOCUMENTED if pat in case["id"]), None)


def main(argv):
    out_dir = argv[0]
    details = "--details" in argv
    grp_filter = argv[argv.index("--group") + 1] if "--group" in argv else None
    m_res = load(os.path.join(out_dir, "mxnet.jsonl"))
    t_res = load(os.path.join(out_dir, "mxtorch.jsonl"))
    counts = collections.Counter()
    groups = collections.defaultdict(list)
    ran = 0
    ext = collections.Counter()
    documented = collections.Counter()
    for case in all_cases():
        if case["id"] not in m_res and case["id"] not in t_res:
            continue
        ran += 1
        cat, detail = classify(case, m_res.get(case["id"]), t_res.get(case["id"]))
        counts[cat] += 1
        if cat == "diff" and explain(case):
            cat, detail = "documented", explain(case)
            counts["diff"] -= 1
            counts[cat] += 1
            documented[detail] += 1
        if cat == "diff":
            groups[case["group"]].append((case["id"], detail))
        elif cat == "extension":
            ext[detail] += 1
    print("calls made: %d per implementation" % ran)
    for k in ("agree", "both-raise", "oracle-crash", "extension", "documented", "diff",
              "missing"):
        print("  %-13s %d" % (k, counts[k]))
    for why, n in ext.most_common():
        print("    extension: %-50s %d" % (why, n))
    for why, n in documented.most_common():
        print("    documented: %-49s %d" % (why, n))
    print("differences by function (%d functions):" % len(groups))
    for g in sorted(groups):
        if grp_filter and grp_filter not in g:
            continue
        items = groups[g]
        print("  %-40s %d" % (g, len(items)))
        for cid, detail in items[:None if details else 2]:
            print("      %s: %s" % (cid, detail))
    return counts


if __name__ == "__main__":
    main(sys.argv[1:])
