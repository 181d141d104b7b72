"""Run the MXNet-unit-test-style check scripts under real MXNet 1.9.1 and under mxtorch.

Run from the repository root (needs the oracle venv; not part of CI)::

    .venv/bin/python tools/unittest_style/run.py [--only SUBSTR] [-k TESTSUBSTR]
        [--mxnet ~/mxref/bin/python] [--mxtorch .venv/bin/python] [--details] [--jobs 2]

Each ``check_*.py`` script runs in both interpreters (mxtorch through ``python -m mxtorch run``,
so the script's ``import mxnet`` gives mxtorch). The report lists per script how many tests pass
on each side, and every test that passes on MXNet but fails on mxtorch (the ones to fix).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))


def run_script(cmd, script, k, timeout):
    argv = cmd + [script] + (["-k", k] if k else [])
    env = dict(os.environ, PYTHONPATH=HERE, OMP_NUM_THREADS="1", MXNET_ENGINE_TYPE="NaiveEngine")
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=HERE)
    except subprocess.TimeoutExpired:
        return {}, "timeout after %ss" % timeout
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            results[rec["test"]] = rec
    tail = "" if proc.returncode == 0 else proc.stderr.strip()[-400:]
    return results, tail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("-k", default="")
    ap.add_argument("--mxnet", default=os.path.expanduser("~/mxref/bin/python"))
    ap.add_argument("--mxtorch", default=sys.executable)
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    scripts = sorted(p for p in glob.glob(os.path.join(HERE, "check_*.py")) if args.only in p)
    sides = {"mxnet": [args.mxnet], "mxtorch": [args.mxtorch, "-m", "mxtorch", "run"]}
    jobs = [(s, side) for s in scripts for side in sides]
    with ThreadPoolExecutor(args.jobs) as pool:
        outs = list(pool.map(lambda j: run_script(sides[j[1]], j[0], args.k, args.timeout), jobs))
    table = dict(zip(jobs, outs))
    totals = [0, 0, 0, 0]
    for s in scripts:
        ref, ref_tail = table[(s, "mxnet")]
        mine, my_tail = table[(s, "mxtorch")]
        names = list(dict.fromkeys(list(ref) + list(mine)))
        ref_ok = sum(ref.get(n, {}).get("ok", False) for n in names)
        my_ok = sum(mine.get(n, {}).get("ok", False) for n in names)
        gaps = [n for n in names if ref.get(n, {}).get("ok") and not mine.get(n, {}).get("ok")]
        extra = [n for n in names if mine.get(n, {}).get("ok") and not ref.get(n, {}).get("ok")]
        totals = [totals[0] + len(names), totals[1] + ref_ok, totals[2] + my_ok,
                  totals[3] + len(gaps)]
        print("%-28s tests %3d  mxnet %3d  mxtorch %3d  gaps %3d" %
              (os.path.basename(s), len(names), ref_ok, my_ok, len(gaps)))
        for tail, who in ((ref_tail, "mxnet"), (my_tail, "mxtorch")):
            if tail:
                print("   [%s process] %s" % (who, tail.replace("\n", "\n      ")))
        for n in gaps:
            rec = mine.get(n, {"error": "not run (process died?)"})
            print("   GAP %s: %s" % (n, rec.get("error")))
            if args.details and rec.get("where"):
                print("       at %s" % rec["where"])
        both = [n for n in names if not ref.get(n, {}).get("ok") and not mine.get(n, {}).get("ok")]
        for n in both:
            if args.details:
                print("   both fail %s: mxnet %s | mxtorch %s" % (
                    n, ref.get(n, {}).get("error", "not run")[:150],
                    mine.get(n, {}).get("error", "not run")[:150]))
        for n in extra:
            if args.details:
                print("   mxnet-only failure %s: %s" % (n, ref[n].get("error") if n in ref else "not run"))
    print("TOTAL tests %d  mxnet pass %d  mxtorch pass %d  gaps %d" % tuple(totals))


if __name__ == "__main__":
    main()
