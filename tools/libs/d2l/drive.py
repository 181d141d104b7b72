"""Differential driver: the d2l (Dive into Deep Learning, MXNet flavour) library on MXNet vs mxtorch.

Needs the oracle (~/mxref, real MXNet 1.9.1) and d2l 0.17.6 with its import-time dependencies in
/work/libs/d2l/site (see tools/libs/d2l/README.md). Not run by CI.

    python tools/libs/d2l/drive.py all [OUTDIR] [-k SUBSTR[,SUBSTR...]]

runs every case under the oracle and under mxtorch (``mxtorch.compat.install()``), each in its own
process, and writes OUTDIR/report.json (per case: pass/fail and the first differences).
``drive.py oracle|mxtorch OUTDIR`` runs one side only (results pickled to OUTDIR/<side>.pkl).

Weights and data never come from the framework random streams (they differ between MXNet and
mxtorch): data come from numpy's RandomState, weights from ``Det`` (an Initializer that draws from
one numpy RandomState in the order parameters get initialized). d2l's own ``init.Xavier()`` /
``init.Normal()`` calls inside its train_* functions are pointed at ``Det`` through ``d2l.init``.
Datasets d2l downloads are fabricated locally (tiny, same format) and registered in
``d2l.DATA_HUB`` with their sha1, so ``d2l.download`` finds them in its cache.
"""
import os
import pickle
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = '/work/libs/d2l/site'
ORACLE = os.path.expanduser('~/mxref/bin/python')
PROJECT = os.path.join(HERE, '..', '..', '..', '.venv', 'bin', 'python')


def _main_all(out, pattern):
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=SITE, MPLBACKEND='Agg')
    times = {}
    for side, exe in (('oracle', ORACLE), ('mxtorch', PROJECT)):
        t0 = time.time()
        cmd = [exe, os.path.abspath(__file__), side, out] + (['-k', pattern] if pattern else [])
        subprocess.run(cmd, env=env, check=False)
        times[side] = round(time.time() - t0, 1)
    from compare import compare_sides
    report = compare_sides(out)
    report['seconds'] = times
    print({k: report[k] for k in ('passed', 'failed', 'total', 'seconds')})
    for name, r in report['cases'].items():
        if r['status'] != 'pass' or r.get('detail'):
            print('FAIL' if r['status'] != 'pass' else 'SAME-ERROR', name,
                  str(r.get('detail'))[:400])


def _run_side(side, out, pattern):
    if side == 'mxtorch':
        import mxtorch.compat
        mxtorch.compat.install()
    os.environ.setdefault('MPLBACKEND', 'Agg')
    sys.path.insert(0, HERE)
    work = os.path.join(out, 'work_' + side)
    os.makedirs(os.path.join(work, 'run'), exist_ok=True)
    os.chdir(os.path.join(work, 'run'))          # d2l caches datasets in ../data
    import cases
    results = {}
    for name, fn in cases.CASES.items():
        if pattern and not any(p in name for p in pattern.split(',')):
            continue
        t0 = time.time()
        try:
            out_vals = cases.run_case(fn)
            results[name] = {'ok': True, 'out': out_vals}
        except Exception as e:  # record the error; the other side must raise alike
            results[name] = {'ok': False, 'error': type(e).__name__,
                             'message': str(e)[:500],
                             'trace': traceback.format_exc()[-2000:]}
        results[name]['seconds'] = round(time.time() - t0, 2)
        print(side, name, 'ok' if results[name]['ok'] else 'ERR ' + results[name]['error'],
              results[name]['seconds'], flush=True)
    with open(os.path.join(out, side + '.pkl'), 'wb') as f:
        pickle.dump(results, f)


if __name__ == '__main__':
    args = sys.argv[1:]
    pat = None
    if '-k' in args:
        i = args.index('-k')
        pat = args[i + 1]
        del args[i:i + 2]
    mode = args[0]
    outdir = args[1] if len(args) > 1 else '/tmp/d2l_diff'
    if mode == 'all':
        sys.path.insert(0, HERE)
        _main_all(outdir, pat)
    else:
        _run_side(mode, outdir, pat)
