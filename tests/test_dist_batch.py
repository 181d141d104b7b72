"""The batched list form of push/pull/pushpull of a dist store (kvstore/dist_batch.py), in
one process (a dist_sync store without a distributed environment has one worker).

Expected numbers come from MXNet 1.9.1's local store (the oracle), which a one-worker
dist_sync store must equal; the batched path must also equal mxtorch's general path.
"""
import cProfile
import pstats

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd
from mxtorch.base import MXNetError
from mxtorch.kvstore import base as kv_base


@pytest.fixture
def kv(monkeypatch):
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER', 'DMLC_ROLE'):
        monkeypatch.delenv(name, raising=False)
    return mx.kv.create('dist_sync')


def _np(arrays):
    return [a.asnumpy().tolist() for a in arrays]


def test_push_then_optimizer_then_push_keeps_values(kv):
    # MXNet 1.9.1 local store: [3, 3, 3], [4, 4, 4] (a pushed sum is the new value, then
    # SGD lr 1 subtracts the next sum)
    kv.init([0, 1], [mx.nd.ones((3,)), mx.nd.ones((3,))])
    kv.push([0, 1], [mx.nd.ones((3,)) * 5, mx.nd.ones((3,)) * 7])
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=1.0))
    kv.push([0, 1], [mx.nd.ones((3,)) * 2, mx.nd.ones((3,)) * 3])
    out = [mx.nd.zeros((3,)), mx.nd.zeros((3,))]
    kv.pull([0, 1], out=out)
    assert _np(out) == [[3.0] * 3, [4.0] * 3]


def test_str_keys_momentum_mixed_forms(kv):
    # MXNet 1.9.1 local store, SGD lr 0.5 momentum 0.9, three pushpulls (exact float32
    # values printed by the oracle; tolerance 1e-6)
    kv.init(['a', 'b'], [mx.nd.ones((2, 3)), mx.nd.ones((4,))])
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.5, momentum=0.9))
    for i in range(3):
        kv.pushpull(['b', 'a'], [[mx.nd.ones((4,)) * (i + 1)],
                                 [mx.nd.ones((2, 3)) * 0.5, mx.nd.ones((2, 3)) * 0.25]],
                    out=[[mx.nd.zeros((4,))], mx.nd.zeros((2, 3))])
    out = [mx.nd.zeros((2, 3)), mx.nd.zeros((4,))]
    kv.pull(['a', 'b'], out=out)
    np.testing.assert_allclose(out[0].asnumpy(), -1.1037498712539673, rtol=1e-6)
    np.testing.assert_allclose(out[1].asnumpy(), -3.755000114440918, rtol=1e-6)


def _run(kv, batched, steps=3, optimizer=True):
    keys = list(range(12))
    shapes = [(k + 1, 2) for k in keys]
    dtypes = ['float64' if k % 3 == 0 else 'float32' for k in keys]
    kv.init(keys, [mx.nd.ones(s, dtype=d) for s, d in zip(shapes, dtypes)])
    if optimizer:
        kv.set_optimizer(mx.optimizer.Adam(learning_rate=0.1))
    rng = np.random.RandomState(0)
    pushed = []
    for _ in range(steps):
        vals = [mx.nd.array(rng.randn(*s), dtype=d) for s, d in zip(shapes, dtypes)]
        pushed.append([v.copy() for v in vals])
        outs = [[mx.nd.zeros(s, dtype=d), mx.nd.zeros(s, dtype=d)]
                for s, d in zip(shapes, dtypes)]
        if batched:
            kv.pushpull(keys, [[v] for v in vals], out=outs)
        else:
            for k, v, o in zip(keys, vals, outs):
                kv.push(k, [v / 2, v / 2])  # two arrays per key: the general path
                kv.pull(k, out=o)
        for v, p in zip(vals, pushed[-1]):
            assert v.asnumpy().tolist() == p.asnumpy().tolist()  # pushed arrays untouched
    return [[o.asnumpy() for o in pair] for pair in outs]


@pytest.mark.parametrize('optimizer', [True, False])
def test_batched_equals_general_path(monkeypatch, optimizer):
    for name in ('RANK', 'WORLD_SIZE', 'DMLC_NUM_WORKER'):
        monkeypatch.delenv(name, raising=False)
    fast = _run(mx.kv.create('dist_sync'), True, optimizer=optimizer)
    slow = _run(mx.kv.create('dist_sync'), False, optimizer=optimizer)
    for f, s in zip(fast, slow):
        for a, b in zip(f, s):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
            assert a.dtype == b.dtype


def test_pushpull_without_out_writes_into_values(kv):
    kv.init([4, 5], [mx.nd.zeros((2,)), mx.nd.zeros((3,))])
    vals = [mx.nd.array([1, 2]), mx.nd.array([3, 4, 5])]
    kv.pushpull([4, 5], vals)
    assert _np(vals) == [[1.0, 2.0], [3.0, 4.0, 5.0]]
    kv.pushpull(4, vals[0] * 3)
    got = mx.nd.zeros((2,))
    kv.pull(4, out=got)
    assert got.asnumpy().tolist() == [3.0, 6.0]


def test_plan_reused_and_python_cost_small(kv, monkeypatch):
    keys = list(range(100))
    vals = [mx.nd.ones((10,)) for _ in keys]
    kv.init(keys, vals)
    kv.pushpull(keys, vals)
    plan = kv._plans[tuple(keys)]
    calls = []
    monkeypatch.setattr(kv_base, '_key_value_pairs',
                        lambda *a: calls.append(a) or (_ for _ in ()).throw(AssertionError))
    prof = cProfile.Profile()
    prof.enable()
    kv.pushpull(keys, vals)
    prof.disable()
    assert kv._plans[tuple(keys)] is plan and not calls
    # the general path made ~6,900 Python calls per pushpull of 100 keys; the batched one
    # ~75 whatever the number of keys (no per-key Python frames)
    assert pstats.Stats(prof).total_calls < 150
    assert [v.asnumpy()[0] for v in vals] == [1.0] * 100


@pytest.mark.parametrize('case', ['uninit', 'shape', 'dtype', 'mixed', 'count', 'unhashable'])
def test_errors_are_mxnets(kv, case):
    kv.init([0, 1], [mx.nd.zeros((2,)), mx.nd.zeros((3,))])
    kv.pushpull([0, 1], [mx.nd.ones((2,)), mx.nd.ones((3,))])  # plan made
    calls = {
        'uninit': lambda: kv.pushpull([0, 9], [mx.nd.ones((2,)), mx.nd.ones((3,))]),
        'shape': lambda: kv.pushpull([0, 1], [mx.nd.ones((2,)), mx.nd.ones((4,))]),
        'dtype': lambda: kv.push([0, 1], [mx.nd.ones((2,)),
                                          mx.nd.ones((3,), dtype='float64')]),
        'mixed': lambda: kv.push([0, 'x'], [mx.nd.ones((2,)), mx.nd.ones((3,))]),
        'count': lambda: kv.push([0, 1], [mx.nd.ones((2,))]),
        'unhashable': lambda: kv.pushpull([0, [1]], [mx.nd.ones((2,)), mx.nd.ones((3,))]),
    }
    words = {'uninit': 'key 9 has not been initialized', 'shape': '(4,)',
             'dtype': 'float64', 'mixed': 'inconsistent types of keys', 'count': '2 keys',
             'unhashable': 'unexpected type for keys'}
    with pytest.raises(MXNetError, match=words[case]):
        calls[case]()
    out = [mx.nd.zeros((2,)), mx.nd.zeros((3,))]
    kv.pull([0, 1], out=out)
    assert _np(out) == [[1.0] * 2, [1.0] * 3]  # a refused call changed nothing
    with pytest.raises(MXNetError, match='output array'):
        kv.pull([0, 1], out=[mx.nd.zeros((2,)), mx.nd.zeros((5,))])


def test_recording_and_sparse_take_the_general_path(kv):
    kv.init([0, 1], [mx.nd.zeros((2,)), mx.nd.zeros((2, 2)).tostype('row_sparse')])
    w = mx.nd.zeros((2,))
    w.attach_grad()
    with autograd.record():
        kv.pull([0], out=[w])
    kv.push([0, 1], [mx.nd.ones((2,)), mx.nd.ones((2, 2)).tostype('row_sparse')])
    out = [mx.nd.zeros((2,)), mx.nd.zeros((2, 2))]
    kv.pull([0, 1], out=out)
    assert _np(out) == [[1.0, 1.0], [[1.0, 1.0], [1.0, 1.0]]]
    assert w.asnumpy().tolist() == [0.0, 0.0]
    assert kv._plans == {}  # no plan for lists with sparse keys
