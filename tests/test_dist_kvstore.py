"""Distributed kvstore (dist_sync on torch.distributed, gloo on loopback) and the launcher.

Each scenario starts its worker processes once (tests/dist_kv_worker.py) and the tests read
the results they wrote. Expected values are MXNet's dist_sync semantics: init keeps rank 0's
value, push stores the sum over workers of each worker's summed values.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import launch
from mxtorch.base import MXNetError
from mxtorch.kvstore import dist

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, 'dist_kv_worker.py')
N = 2
BUDGET = 240  # seconds a scenario may take on a loaded 2-core machine before we call it a hang


def _results(out_dir, ranks):
    res = []
    for r in ranks:
        path = os.path.join(out_dir, 'rank%d.json' % r)
        assert os.path.exists(path), 'worker %d wrote no result' % r
        with open(path) as f:
            res.append(json.load(f))
        assert 'crash' not in res[-1], res[-1].get('crash')
    return res


def _launch(scenario, out, *options):
    """Start `scenario` under ``python -m mxtorch.launch`` (returns the Popen)."""
    return subprocess.Popen([sys.executable, '-m', 'mxtorch.launch', '-n', str(N)] +
                            list(options) + [sys.executable, WORKER, scenario, out],
                            stderr=subprocess.DEVNULL)


def _die(out):
    """Start the 'die' scenario's workers directly (the launcher would kill rank 0)."""
    port = launch._free_port()
    return [subprocess.Popen([sys.executable, WORKER, 'die', out], stderr=subprocess.DEVNULL,
                             env=launch.worker_env(r, N, port,
                                                   extra={'MXNET_KVSTORE_TIMEOUT': '120'}))
            for r in range(N)]


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    """All multi-process scenarios, started together (imports dominate their time)."""
    dirs = {name: str(tmp_path_factory.mktemp(name))
            for name in ('semantics', 'timeout', 'die', 'join_mismatch')}
    started = time.time()
    procs = {'semantics': [_launch('semantics', dirs['semantics'])],
             'timeout': [_launch('timeout', dirs['timeout'], '--env', 'MXNET_KVSTORE_TIMEOUT=2',
                                 '--env', 'WORKER1_SLEEP=8')],
             'die': _die(dirs['die']),
             'join_mismatch': [_launch('join_mismatch', dirs['join_mismatch'])]}
    yield {name: (procs[name], dirs[name], started) for name in procs}
    for group in procs.values():
        for p in group:
            if p.poll() is None:
                p.kill()
                p.wait()


def _codes(procs):
    return [p.wait(BUDGET) for p in procs]


@pytest.fixture(scope='module')
def semantics(runs):
    procs, out, _ = runs['semantics']
    assert _codes(procs) == [0]
    return _results(out, range(N))


def test_kv_basics(semantics):
    for r, res in enumerate(semantics):
        assert res['rank'] == r and res['num_workers'] == N and res['type'] == 'dist_sync'
        assert res['capable'] is True
        assert res['init_rank0'] == [[1.0] * 3] * 2  # rank 0 pushed 1, rank 1 pushed 2
        assert 'duplicate init of key 3' in res['reinit']
        assert res['push_sum'] == [[33.0] * 3] * 2  # (1*11) + (2*11)
        assert res['pushed_untouched'] == [[float(r + 1)] * 3] * 2
        assert 'key 7 has not been initialized' in res['uninit']


def test_kv_many_keys_dtypes_broadcast_rowsparse(semantics):
    for res in semantics:
        # key k: rank 0 pushes k, rank 1 pushes k+1
        assert res['pushpull_many'] == [2.0 * k + 1 for k in range(100, 140)]
        assert res['mixed_paths'] == [[2.0 * k] * 3 for k in range(300, 310)]
        assert res['pushpull_f64'] == [3.0, 6.0, 9.0]
        assert res['broadcast'] == [[0.0, 1.0, 2.0, 3.0]] * 2
        assert res['row_sparse_pull'] == [[0, 0], [3, 2], [0, 0], [3, 2]]


def test_kv_optimizer_same_update_everywhere(semantics):
    # SGD lr 0.1 momentum 0.9 on the summed gradient 3 for 3 rounds, from 1:
    # mom -0.3, -0.57, -0.813 -> w = 1 - 0.3 - 0.57 - 0.813
    for res in semantics:
        np.testing.assert_allclose(res['sgd_weight'], [1 - 0.3 - 0.57 - 0.813] * 3, rtol=1e-6)
    assert [res['states_written'] for res in semantics] == [True] + [False] * (N - 1)


@pytest.mark.parametrize('case', ['gluon_None', 'gluon_False', 'gluon_2ctx', 'module',
                                  'module_local_update'])
def test_n_workers_equal_one_process(semantics, case):
    # N workers on shards of the batch == one process on the whole batch (20 SGD-momentum
    # steps); float32 sums in a different order: <= 1e-6
    for res in semantics:
        assert res[case]['maxdiff'] <= 1e-6, res[case]['maxdiff']
    for res in semantics[1:]:
        assert res[case]['params'] == semantics[0][case]['params']


@pytest.mark.parametrize('case', ['gluon', 'module', 'kv_2bit'])
def test_same_parameters_as_mxnet_dist_sync(semantics, case):
    # tests/fixtures/dist_sync_mxnet.json: real MXNet 1.9.1, scheduler + 1 server + 2 workers
    # running the same 'oracle' scenario (tools/gen_dist_fixture.py); tolerance 1e-5
    with open(os.path.join(HERE, 'fixtures', 'dist_sync_mxnet.json')) as f:
        want = json.load(f)[case]
    for res in semantics:
        got = res['oracle_' + case]
        assert sorted(got) == sorted(want)
        for name in want:
            np.testing.assert_allclose(got[name], want[name], rtol=0, atol=1e-5)


def test_2bit_on_the_wire(semantics):
    # 4,000 float32 -> 1,000 bytes of 2-bit codes per worker (16x less than the floats);
    # kv_2bit above pins the values against MXNet 1.9.1 (residuals, one threshold a round)
    for res in semantics:
        assert res['wire_bytes'] == 1000
    assert semantics[1]['gluon_2bit'] == semantics[0]['gluon_2bit']


def test_2bit_pack_roundtrip():
    import torch
    from mxtorch.kvstore import dist_compress
    codes = torch.tensor([0, 1, 2, 1, 2, 2, 0], dtype=torch.uint8)
    packed = dist_compress.pack(codes)
    assert packed.numel() == 2
    assert dist_compress.unpack(packed, 7).tolist() == codes.tolist()
    wire = dist_compress.TwoBitWire(0.5)
    got = wire.allreduce(['k'], [torch.tensor([0.3, 0.6, -0.7, 1.6])], world=1)
    assert got.tolist() == [0.0, 0.5, -0.5, 0.5]
    got = wire.allreduce(['k'], [torch.tensor([0.3, 0.0, 0.0, 0.0])], world=1)
    assert got.tolist() == [0.5, 0.0, 0.0, 0.5]  # residuals 0.6, 0.1, -0.2, 1.1


def test_1bit_pack_and_residuals():
    # MXNet 2.x 1bit: residual + grad > threshold sends +1 (residual -1), else -1 (residual +1)
    import torch
    from mxtorch.kvstore import dist_compress
    bits = torch.tensor([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1], dtype=torch.uint8)
    packed = dist_compress.pack_bits(bits)
    assert packed.numel() == 2
    assert dist_compress.unpack_bits(packed, 11).tolist() == bits.tolist()
    wire = dist_compress.OneBitWire(0.5)
    grad = torch.tensor([0.3, 0.6, -0.7, 1.6])
    assert wire.allreduce(['k'], [grad], world=1).tolist() == [-1.0, 1.0, -1.0, 1.0]
    # residuals 1.3, -0.4, 0.3, 0.6 (+ grad: 1.6, 0.2, -0.4, 2.2)
    assert wire.allreduce(['k'], [grad], world=1).tolist() == [1.0, -1.0, -1.0, 1.0]
    # two workers' codes summed: 2 * (count of +1) - 2
    both = wire.decode_sum([dist_compress.pack_bits(torch.tensor([1, 0, 1])),
                            dist_compress.pack_bits(torch.tensor([1, 0, 0]))], 3, torch.float32)
    assert both.tolist() == [2.0, -2.0, 0.0]


def test_1bit_on_a_device_store_and_errors():
    kv = mx.kv.create('device')
    kv.set_gradient_compression({'type': '1bit', 'threshold': 0.5})
    kv.init(0, mx.nd.zeros(4))
    got = mx.nd.zeros(4)
    for want in ([-1, 1, -1, 1], [1, -1, -1, 1]):
        kv.push(0, mx.nd.array([0.3, 0.6, -0.7, 1.6]))
        kv.pull(0, out=got)
        assert got.asnumpy().tolist() == want
    kv = mx.kv.create('dist_sync')
    kv.set_gradient_compression({'type': '1bit', 'threshold': 0})  # 1bit allows 0
    assert type(kv._wire).__name__ == 'OneBitWire'
    with pytest.raises(MXNetError, match="Unknown type for gradient compression 3bit"):
        kv.set_gradient_compression({'type': '3bit'})


def test_differing_initial_weights_are_replaced_by_rank0s(semantics):
    first = semantics[0]['gluon_seeded']['params']
    for res in semantics[1:]:
        assert res['gluon_seeded']['params'] == first
    assert semantics[0]['warned_seeded'] is False and semantics[1]['warned_seeded'] is True
    assert not any(res['warned_None'] for res in semantics)


def test_dead_worker_raises_quickly(runs):
    procs, out, _ = runs['die']
    assert _codes(procs) == [0, 3]
    res = _results(out, [0])[0]
    assert res['type'] == 'DistKVStoreError'
    assert 'rank 0 of 2' in res['error'] and '[0]' in res['error']
    assert res['seconds'] < 30  # far below the 120 s timeout: the dead peer is detected


def test_timeout_raises_and_launcher_kills_the_rest(runs):
    procs, out, _ = runs['timeout']
    assert _codes(procs) == [3]  # rank 1's status
    res = _results(out, [0])[0]
    assert 'survived' not in res  # rank 0, sleeping 60 s after its error, was killed
    assert res['error'] is not None and "'w'" in res['error'] and 'rank 0' in res['error']
    assert res['seconds'] < 7


def test_join_rounds_that_differ_raise_on_every_worker(runs):
    # inside join(), rank 0 pushes while rank 1 calls barrier: both raise, naming both
    procs, out, _ = runs['join_mismatch']
    assert _codes(procs) == [0]
    for res in _results(out, range(N)):
        assert res['type'] == 'DistKVStoreError', res
        assert 'rank 0 push' in res['error'] and 'rank 1 barrier' in res['error']
        assert res['seconds'] < 30  # one announcement round, not a timeout (60 s)


def test_single_worker_without_environment(monkeypatch):
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER'):
        monkeypatch.delenv(name, raising=False)
    for name in ('dist_sync', 'dist', 'dist_device_sync', 'dist_sync_device'):
        kv = mx.kv.create(name)
        assert isinstance(kv, dist.DistKVStore) and kv.type == name
        assert (kv.rank, kv.num_workers) == (0, 1)
    kv.init(0, mx.nd.ones(3))
    kv.pushpull(0, [mx.nd.ones(3), mx.nd.ones(3)])
    got = mx.nd.zeros(3)
    kv.pull(0, out=got)
    assert got.asnumpy().tolist() == [2.0] * 3
    from mxtorch.kvstore.dist_async import AsyncKVStore
    kv = mx.kv.create('dist_async')
    assert isinstance(kv, AsyncKVStore) and (kv.rank, kv.num_workers) == (0, 1)


def test_2bit_on_dist_async_one_worker(monkeypatch):
    # MXNet 1.9.1 dist_async accepts 2bit (2 workers each pushing these values with SGD
    # lr 1 end at -1.0 there: 0.5 per worker); pushpull with compression raises in MXNet
    # ("Compression not supported with PushPull") and works here (compat/dist.md)
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER'):
        monkeypatch.delenv(name, raising=False)
    kv = mx.kv.create('dist_async')
    kv.set_gradient_compression({'type': '2bit', 'threshold': 0.5})
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0, rescale_grad=1.0))
    kv.init(3, mx.nd.zeros((8,)))
    for v in (0.3, 0.3, 0.7, -1.2, 0.1):
        kv.push(3, mx.nd.ones((8,)) * v)
    out = mx.nd.zeros((8,))
    kv.pull(3, out=out)
    assert out.asnumpy().tolist() == [-0.5] * 8
    assert kv._wire.bytes_sent == 5 * 2  # 8 elements: 2 bytes of codes per push
    kv.pushpull(3, mx.nd.ones((8,)) * 0.9, out=out)  # residual -0.3 + 0.9: sends 0.5
    assert out.asnumpy().tolist() == [-1.0] * 8
    with pytest.raises(MXNetError, match='threshold must be positive'):
        kv.set_gradient_compression({'type': '2bit', 'threshold': 0})


def test_world_from_env():
    assert dist.world_from_env({}) is None
    assert dist.world_from_env({'RANK': '1', 'WORLD_SIZE': '4', 'MASTER_ADDR': 'h',
                                'MASTER_PORT': '9'}) == (1, 4, 'h', 9)
    assert dist.world_from_env({'DMLC_ROLE': 'worker', 'DMLC_NUM_WORKER': '3',
                                'DMLC_WORKER_ID': '2', 'DMLC_PS_ROOT_URI': 'a',
                                'DMLC_PS_ROOT_PORT': '7'}) == (2, 3, 'a', 7)
    with pytest.raises(MXNetError, match='DMLC_WORKER_ID'):
        dist.world_from_env({'DMLC_NUM_WORKER': '2'})
    with pytest.raises(MXNetError, match='server'):
        dist.world_from_env({'DMLC_ROLE': 'server', 'DMLC_NUM_WORKER': '2'})
    with pytest.raises(MXNetError, match='integer'):
        dist.world_from_env({'RANK': 'x', 'WORLD_SIZE': '2'})


def test_timeout_setting(monkeypatch):
    monkeypatch.setenv('MXNET_KVSTORE_TIMEOUT', '5')
    assert dist.timeout_seconds() == 5.0
    monkeypatch.setenv('MXNET_KVSTORE_TIMEOUT', '-1')
    with pytest.raises(MXNetError, match='positive'):
        dist.timeout_seconds()


def test_buckets_group_by_dtype_and_size():
    import torch
    ts = [torch.zeros(10), torch.zeros(10, dtype=torch.float64), torch.zeros(10),
          torch.zeros(100)]
    assert dist._buckets(ts, 1 << 20) == [[0, 2, 3], [1]]
    assert dist._buckets(ts, 80) == [[0, 2], [3], [1]]


def test_launcher_arguments_and_env():
    args = launch.parse_args(['-n', '3', '-s', '2', '--launcher', 'local', 'python', 'x.py',
                              '--lr', '1'])
    assert args.num_workers == 3 and args.command == ['python', 'x.py', '--lr', '1']
    with pytest.raises(SystemExit):
        launch.parse_args(['-n', '2', '--launcher', 'ssh', 'python'])
    env = launch.worker_env(1, 3, 1234, base={})
    assert env['DMLC_WORKER_ID'] == '1' and env['RANK'] == '1' and env['WORLD_SIZE'] == '3'
    assert env['DMLC_PS_ROOT_PORT'] == env['MASTER_PORT'] == '1234'
    assert os.path.exists(os.path.join(env['PYTHONPATH'].split(os.pathsep)[0], 'mxnet.py'))


def test_launcher_success_and_shell_command():
    assert launch.main(['-n', '2', sys.executable, '-c', 'import os; '
                        'assert os.environ["WORLD_SIZE"] == "2"']) == 0
    assert launch.main(['-n', '2', 'exit $((DMLC_WORKER_ID + 4))']) in (4, 5)
