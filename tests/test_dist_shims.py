"""The Horovod / BytePS stand-ins (``horovod.mxnet``, ``byteps.mxnet``) on 2 processes
(tests/dist_shim_worker.py under ``python -m mxtorch.launch``), and the import aliases."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
N = 2


@pytest.fixture(scope='module')
def ranks(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('shims'))
    proc = subprocess.run([sys.executable, '-m', 'mxtorch.launch', '-n', str(N), sys.executable,
                           os.path.join(HERE, 'dist_shim_worker.py'), out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    res = []
    for r in range(N):
        with open(os.path.join(out, 'rank%d.json' % r)) as f:
            res.append(json.load(f))
    return res


def test_collectives(ranks):
    for r, res in enumerate(ranks):
        assert res['ids'] == [r, N, r, N, r, N]
        assert res['avg'] == [1.5, 3.0, 4.5] and res['sum'] == [3.0, 6.0, 9.0]
        assert res['scaled'] == [3.0, 6.0, 9.0]  # (x*2 summed)*0.5
        assert res['x_untouched'] == [float(r + 1) * k for k in (1, 2, 3)]
        assert res['inplace'] == [3.0, 6.0, 9.0]
        assert res['int_avg'] == [1, 7]  # integer average rounds down
        assert res['grouped'] == [[1.0, 1.0], [5.0] * 3]
        assert res['grouped_'] == [[0.5, 0.5], [2.5] * 3]
        assert res['bcast'] == [10.0, 11.0, 12.0] and res['bcast_'] == [0.0, 1.0, 2.0]
        assert res['y_untouched'] == [10.0 * r + k for k in range(3)]
        assert res['gather'] == [[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]]  # uneven first dims
        assert res['object'] == {'from': 1, 'list': [1]} and res['objects'] == [0, 10]
        assert res['push_pull'] == [1.5, 1.5]
        assert res['bad'] == ['ValueError', 'NotImplementedError']
        assert res['unwrapped_warning'] is True


@pytest.mark.parametrize('case,tol', [('hvd_trainer', 1e-6), ('hvd_optimizer', 1e-6),
                                      ('hvd_module', 1e-6), ('bps_trainer', 1e-6),
                                      ('hvd_fp16', 1e-3)])
def test_n_workers_equal_one_process_on_the_whole_batch(ranks, case, tol):
    # 20 SGD-momentum steps; each rank starts from its own weights (broadcast_parameters /
    # the BytePS trainer's first step make them rank 0's); fp16 gradients on the wire: 1e-3
    for res in ranks:
        assert res[case]['maxdiff'] <= tol, (case, res[case]['maxdiff'])
    for res in ranks[1:]:
        assert res[case]['params'] == ranks[0][case]['params']


def test_bytes_trainer_broadcasts_rank0(ranks):
    assert ranks[1]['bps_seeded']['params'] == ranks[0]['bps_seeded']['params']


def test_import_aliases():
    code = ('import mxtorch.compat as c; c.install(); import horovod.mxnet as hvd; '
            'import byteps.mxnet as bps, mxtorch._shims.horovod.mxnet as m; '
            'assert hvd is m and hvd.__name__ == "mxtorch._shims.horovod.mxnet"; '
            'import mxnet as mx; hvd.init(); assert (hvd.rank(), hvd.size()) == (0, 1); '
            'x = mx.nd.ones(2); assert hvd.allreduce(x).asnumpy().tolist() == [1, 1]; '
            'assert bps.size() == 1; c.uninstall(); import sys; '
            'assert "horovod.mxnet" not in sys.modules')
    env = {k: v for k, v in os.environ.items() if k not in ('RANK', 'WORLD_SIZE',
                                                            'DMLC_NUM_WORKER')}
    subprocess.run([sys.executable, '-c', code], check=True, env=env, timeout=120)


def test_not_initialized_and_bad_params():
    from mxtorch._shims.horovod import mxnet as hvd
    hvd.shutdown()
    with pytest.raises(ValueError, match='hvd.init'):
        hvd.rank()
    with pytest.raises(ValueError, match='invalid params'):
        hvd.broadcast_parameters([1, 2])
    from mxtorch._shims.byteps import mxnet as bps
    with pytest.raises(NotImplementedError, match='compressor'):
        bps.DistributedTrainer([], 'sgd', compression_params={'compressor': 'onebit'})


def test_fp16_compressor():
    import mxtorch as mx
    from mxtorch._shims.horovod import mxnet as hvd
    x = mx.nd.array([1.0, 1.0 / 3])
    wire, ctx = hvd.Compression.fp16.compress(x)
    assert wire.dtype == np.float16 and ctx == np.float32
    back = hvd.Compression.fp16.decompress(wire, ctx)
    assert back.dtype == np.float32
    np.testing.assert_allclose(back.asnumpy(), [1.0, 0.333251953125], rtol=0, atol=0)
    i = mx.nd.array([1, 2], dtype='int32')
    assert hvd.Compression.fp16.compress(i) == (i, None)


def test_dist_async_two_workers(ranks):
    # K=10 unit pushes from each of N=2 workers, SGD lr 1, from 0: -N*K once all arrived;
    # a pull right after a worker's own pushes sees at least those
    for r, res in enumerate(ranks):
        assert res['async_type'] == 'dist_async' and res['async_rank'] == [r, N]
        assert 'Updater needs to be set for async mode' in res['async_no_optimizer']
        assert -20.0 <= res['async_mid'] <= -10.0
        assert res['async_end'] == [-20.0] * 5
        assert res['async_uok_false'] == ('Please set update_on_kvstore=True when training '
                                          'in async mode.')
        assert res['async_trainer_uok'] is True


def test_dist_async_single_process(monkeypatch, tmp_path):
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER'):
        monkeypatch.delenv(name, raising=False)
    import mxtorch as mx
    from mxtorch.base import MXNetError
    kv = mx.kv.create('dist_async')
    kv.init('async_single', mx.nd.ones((2,)))
    with pytest.raises(MXNetError, match='duplicate init'):
        kv.init('async_single', mx.nd.ones((2,)))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.5, momentum=0.9))
    kv.push('async_single', [mx.nd.ones((2,)), mx.nd.ones((2,))])  # summed locally: 2
    out = mx.nd.zeros((2,))
    kv.pull('async_single', out=out)
    assert out.asnumpy().tolist() == [0.0, 0.0]  # 1 - 0.5 * 2
    kv.save_optimizer_states(str(tmp_path / 'states'))
    assert (tmp_path / 'states').stat().st_size > 0
    with pytest.raises(MXNetError, match='not been initialized'):
        kv.pull('missing', out=out)
    with pytest.raises(MXNetError, match='row_sparse_pull'):
        kv.row_sparse_pull('async_single', out=out, row_ids=mx.nd.array([0]))


def test_dist_async_row_sparse_single_process(monkeypatch):
    # row_sparse keys on the server: sparse pushes update only their rows (SGD lr 1),
    # row_sparse_pull returns the requested rows, a dense pull the whole value
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER'):
        monkeypatch.delenv(name, raising=False)
    import mxtorch as mx
    kv = mx.kv.create('dist_async')
    kv.init('async_rsp', mx.nd.ones((5, 2)).tostype('row_sparse'))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0))
    grad = mx.nd.sparse.row_sparse_array((mx.nd.ones((2, 2)) * 3,
                                          mx.nd.array([1, 3], dtype='int64')), shape=(5, 2))
    kv.push('async_rsp', grad)
    out = mx.nd.sparse.zeros('row_sparse', (5, 2))
    kv.row_sparse_pull('async_rsp', out=out, row_ids=mx.nd.array([3, 0, 3], dtype='int64'))
    assert out.indices.asnumpy().tolist() == [0, 3]
    assert out.data.asnumpy().tolist() == [[1.0, 1.0], [-2.0, -2.0]]
    dense = mx.nd.zeros((5, 2))
    kv.pull('async_rsp', out=dense, ignore_sparse=False)
    assert dense.asnumpy()[:, 0].tolist() == [1.0, -2.0, 1.0, -2.0, 1.0]


def test_wrapped_optimizer_forwards_and_pickles_as_the_inner_one():
    import pickle
    import mxtorch as mx
    from mxtorch._shims._common import WrappedOptimizer
    inner = mx.optimizer.SGD(learning_rate=0.3, momentum=0.9)
    wrapped = WrappedOptimizer(inner, 0.5)
    assert inner.rescale_grad == 0.5 and wrapped.learning_rate == 0.3
    wrapped.lr_mult = {'w': 2.0}  # writes go to the wrapped optimizer
    assert inner.lr_mult == {'w': 2.0}
    updater = mx.optimizer.get_updater(wrapped)
    w, g = mx.nd.ones((2,)), mx.nd.ones((2,))
    updater(0, g, w)  # one process: the all-reduce is the identity
    np.testing.assert_allclose(w.asnumpy(), [0.85, 0.85], rtol=1e-7)  # 1 - 0.3 * 0.5
    back = pickle.loads(pickle.dumps(wrapped))
    assert type(back) is mx.optimizer.SGD and back.lr == 0.3
    fresh = mx.optimizer.get_updater(mx.optimizer.SGD())
    fresh.set_states(updater.get_states(dump_optimizer=True))
    assert type(fresh.optimizer) is mx.optimizer.SGD
