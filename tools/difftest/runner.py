"""Run a slice of the difftest cases in one interpreter and write one JSON line per case.

Usage (normally started by ``run.py``):
    PYTHON runner.py {mxnet|mxtorch} START END RESULTS.jsonl PROGRESS.txt TMPDIR
Before each case its index is appended to PROGRESS.txt (flushed), so the driver can tell
which case a crashed process was running.
"""
import json
import os
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from cases import all_cases  # noqa: E402
from common import data, encode  # noqa: E402


def make_namespace(mx, tmp):
    nd = mx.nd

    def A(shape, dtype="float32", kind="f", seed=0):
        return nd.array(data(shape, dtype, kind, seed), dtype=dtype)

    return {"mx": mx, "nd": nd, "sym": mx.sym, "autograd": mx.autograd, "np": np, "A": A,
            "D": data, "TMP": tmp, "os": os}


def run_case(case, ns0):
    ns = dict(ns0)
    try:
        with warnings.catch_warnings(), ns["mx"].name.NameManager():
            warnings.simplefilter("ignore")  # fresh auto-names per case: ids are comparable
            exec(compile(case["code"], case["id"], "exec"), ns)
            res = encode(ns.get("R"))
        return {"id": case["id"], "ok": True, "res": res}
    except BaseException as err:  # noqa: BLE001 - every failure is a result
        if isinstance(err, KeyboardInterrupt):
            raise
        tb = traceback.extract_tb(err.__traceback__)
        return {"id": case["id"], "ok": False, "exc": type(err).__name__,
                "msg": str(err)[:300], "where": "%s:%s" % (tb[-1].filename, tb[-1].lineno)
                if tb else ""}


def main(argv):
    impl, start, end, res_path, prog_path, tmp = argv
    if impl == "mxnet":
        import mxnet as mx
    else:
        import mxtorch as mx
    ns = make_namespace(mx, tmp)
    cases = all_cases()[int(start):int(end)]
    with open(res_path, "a") as res, open(prog_path, "a") as prog:
        for i, case in enumerate(cases, int(start)):
            prog.write("%d\n" % i)
            prog.flush()
            out = run_case(case, ns)
            try:
                mx.autograd.set_recording(False)
                mx.autograd.set_training(False)
            except Exception:  # noqa: BLE001
                pass
            res.write(json.dumps(out) + "\n")
            res.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
