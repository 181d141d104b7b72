"""Differential tester: mxtorch against real MXNet 1.9.1.

Run from the repository root (needs the oracle venv; not part of CI):

    .venv/bin/python tools/difftest/run.py [--out DIR] [--only SUBSTR] [--batch N]
        [--mxnet ~/mxref/bin/python] [--mxtorch .venv/bin/python] [--details]

It builds the case list (``cases.py`` + ``manual.py``), runs it in batches of subprocesses in
both interpreters (``runner.py``), and prints the comparison (``compare.py``). A process that
dies (MXNet aborts on some inputs) loses only the case it was running: that case is recorded as
``crashed`` and the batch restarts after it. Results stay in ``--out`` (default a temp dir) as
``mxnet.jsonl`` / ``mxtorch.jsonl``; ``compare.py DIR`` re-prints the summary.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import all_cases  # noqa: E402


def _last_index(prog_path):
    if not os.path.exists(prog_path):
        return None
    with open(prog_path) as f:
        lines = [ln for ln in f.read().split() if ln]
    return int(lines[-1]) if lines else None


def run_impl(impl, python, cases, idx, out_dir, batch, timeout):
    """Run the cases at positions ``idx`` for one implementation, surviving crashes."""
    res_path = os.path.join(out_dir, impl + ".jsonl")
    prog_path = os.path.join(out_dir, impl + ".progress")
    tmp = tempfile.mkdtemp(prefix="difftest-" + impl + "-")
    env = dict(os.environ, PYTHONWARNINGS="ignore", OMP_NUM_THREADS="1",
               MXNET_ENGINE_TYPE="NaiveEngine")
    ranges = _ranges(idx)
    for lo, hi in ranges:
        start, retries = lo, 0
        while start < hi:
            end = min(start + batch, hi)
            open(prog_path, "w").close()
            cmd = [python, os.path.join(HERE, "runner.py"), impl, str(start), str(end),
                   res_path, prog_path, tmp]
            try:
                rc = subprocess.run(cmd, env=env, timeout=timeout, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL).returncode
                why = "crashed (exit %d)" % rc
            except subprocess.TimeoutExpired:
                rc, why = -1, "hung (batch over %ds)" % timeout
            last = _last_index(prog_path)
            if rc == 0:
                start = end
                continue
            if last is None:  # died before its first case: import failed, retry
                retries += 1
                if retries <= 3:
                    time.sleep(5)
                    continue
                last, why = start, why + " before its first case"
            retries = 0
            with open(res_path, "a") as f:
                f.write(json.dumps({"id": cases[last]["id"], "ok": False, "exc": "CRASH",
                                    "msg": why}) + "\n")
            start = last + 1


def _ranges(idx):
    out, lo = [], None
    for i, j in enumerate(idx):
        if lo is None:
            lo = prev = j
        elif j != prev + 1:
            out.append((lo, prev + 1))
            lo = j
        prev = j
    if lo is not None:
        out.append((lo, prev + 1))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None, help="substring of case ids to run")
    ap.add_argument("--batch", type=int, default=1500)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--mxnet", default=os.path.expanduser("~/mxref/bin/python"))
    ap.add_argument("--mxtorch", default=sys.executable)
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    out_dir = args.out or tempfile.mkdtemp(prefix="difftest-")
    os.makedirs(out_dir, exist_ok=True)
    cases = all_cases()
    idx = [i for i, c in enumerate(cases) if not args.only or args.only in c["id"]]
    for impl in ("mxnet", "mxtorch"):
        p = os.path.join(out_dir, impl + ".jsonl")
        if os.path.exists(p):
            os.remove(p)
    threads = [threading.Thread(target=run_impl, args=(impl, py, cases, idx, out_dir,
                                                       args.batch, args.timeout))
               for impl, py in (("mxnet", args.mxnet), ("mxtorch", args.mxtorch))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import compare  # noqa: PLC0415
    compare.main([out_dir] + (["--details"] if args.details else []))
    print("results in", out_dir)


if __name__ == "__main__":
    main()
