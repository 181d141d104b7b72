"""Capture real MXNet 1.9.1 dist_sync results for tests/test_dist_kvstore.py (not run by CI).

Run from the repository root with the oracle interpreter::

    ~/mxref/bin/python tools/gen_dist_fixture.py

It starts MXNet's ps-lite job on loopback through ``DMLC_*`` variables (a scheduler, one
server, two workers); the workers run the ``oracle`` scenario of tests/dist_kv_worker.py
(a Gluon Trainer and a Module, SGD momentum, 20 steps on shards of a batch of 12; 4 rounds
of raw 2bit-compressed pushes: MXNet's Trainer refuses compression on dist, its pushpull
raises "Compression not supported with PushPull") and the
parameters of worker 0 are written to tests/fixtures/dist_sync_mxnet.json.

Each case (``ORACLE_CASE=gluon|module``) is its own ps-lite job: one dist store per process.
The processes are killed if they do not finish within 90 s.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKER = os.path.join(ROOT, 'tests', 'dist_kv_worker.py')
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'dist_sync_mxnet.json')


def run_case(case):
    """Worker 0's parameters after the MXNet job for ORACLE_CASE `case`."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    base = dict(os.environ, DMLC_PS_ROOT_URI='127.0.0.1', DMLC_PS_ROOT_PORT=str(port),
                DMLC_NUM_SERVER='1', DMLC_NUM_WORKER='2', OMP_NUM_THREADS='1',
                DMLC_NODE_HOST='127.0.0.1', ORACLE_CASE=case)
    out = tempfile.mkdtemp()
    procs = [subprocess.Popen([sys.executable, '-c', 'import mxnet'],
                              env=dict(base, DMLC_ROLE=role)) for role in ('scheduler', 'server')]
    workers = [subprocess.Popen([sys.executable, WORKER, 'oracle', out],
                                env=dict(base, DMLC_ROLE='worker', RANK=str(i)))
               for i in range(2)]
    try:
        codes = [p.wait(90) for p in workers + procs]
    finally:
        for p in workers + procs:
            if p.poll() is None:
                p.kill()
    if any(codes):
        raise SystemExit('MXNet job failed: exit codes %s' % codes)
    with open(os.path.join(out, 'rank0.json')) as f:
        res = json.load(f)
    with open(os.path.join(out, 'rank1.json')) as f:
        assert json.load(f) == res, 'workers disagree'
    return res


def main():
    res = {case: run_case(case) for case in ('gluon', 'module', 'kv_2bit')}
    res['_source'] = 'MXNet 1.9.1 dist_sync, 1 server, 2 workers (tools/gen_dist_fixture.py)'
    with open(OUT, 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
    print('wrote', OUT)


if __name__ == '__main__':
    main()
