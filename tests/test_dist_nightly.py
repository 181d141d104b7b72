"""The nightly-style scripts tests/dist_nightly_sync.py and tests/dist_nightly_async.py
(MXNet's API used the way its nightly dist_sync/dist_async kvstore tests use it, expected
values in closed form) run unmodified, with ``import mxnet``, on 3 workers under
``python -m mxtorch.launch -n 3 --launcher local``. Both jobs start together."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
N = 3


@pytest.fixture(scope='module')
def jobs(tmp_path_factory):
    out = tmp_path_factory.mktemp('nightly')
    procs = {name: subprocess.Popen(
        [sys.executable, '-m', 'mxtorch.launch', '-n', str(N), '--launcher', 'local',
         sys.executable, os.path.join(HERE, 'dist_nightly_%s.py' % name), str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in ('sync', 'async')}
    try:
        done = {name: p.communicate(timeout=400) for name, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    yield {name: (procs[name].returncode, done[name][1].decode(errors='replace'), out)
           for name in procs}


def _checks(out, name):
    res = []
    for r in range(N):
        with open(os.path.join(str(out), '%s_rank%d.json' % (name, r))) as f:
            res.append(json.load(f))
    return res


def test_nightly_dist_sync(jobs):
    code, err, out = jobs['sync']
    assert code == 0, err[-3000:]
    res = _checks(out, 'sync')
    assert all(r['workers'] == N for r in res)
    for r in res:
        assert r['checks'] == res[0]['checks'] and len(r['checks']) == 67
        names = ' '.join(r['checks'])
        for part in ('big key', 'irregular key', 'row_sparse_pull rows', '2bit round 3',
                     '1bit round 3', 'trainer parameter 1', 're-init'):
            assert part in names


def test_nightly_dist_async(jobs):
    code, err, out = jobs['async']
    assert code == 0, err[-3000:]
    res = _checks(out, 'async')
    for r in res:
        assert r['workers'] == N and len(r['checks']) == 13
        assert 'dense pull of a row_sparse key' in r['checks']
        assert '2bit pushes on dist_async' in r['checks']
