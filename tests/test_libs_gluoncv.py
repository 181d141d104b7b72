"""Patterns GluonCV 0.10.5 uses from MXNet, reproduced without gluoncv and without MXNet.

Each test stands for a gap found by tools/libs/gluoncv/ (the differential driver against
MXNet 1.9.1); expected values are MXNet 1.9.1's, captured with the oracle.
"""
import multiprocessing

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon.data import dataloader as dl


class _PickEvery(dl._MultiWorkerIter):
    """A subclass sending its own arguments to its own worker function (as gluoncv's
    RandomTransformDataLoader iterator does)."""

    def __init__(self, scale, *args, **kwargs):
        prefetch = kwargs.pop("prefetch")
        super().__init__(*args, prefetch=0, **kwargs)
        self._scale = scale
        for _ in range(prefetch):
            self._push_next()

    def _push_next(self):
        indices = next(self._iter, None)
        if indices is None:
            return
        self._data_buffer[self._sent_idx] = self._worker_pool.apply_async(
            self._worker_fn, (indices, self._scale, self._batchify_fn))
        self._sent_idx += 1


def _scaled_worker(samples, scale, batchify_fn):
    return dl._worker_fn(samples, lambda xs: batchify_fn([x * scale for x in xs]))


def test_multiworker_iter_process_pool_and_subclass():
    data = mx.nd.arange(10).reshape(5, 2)
    dataset = mx.gluon.data.ArrayDataset(data)
    sampler = mx.gluon.data.BatchSampler(mx.gluon.data.SequentialSampler(5), 2, "keep")
    pool = multiprocessing.Pool(1, initializer=dl._worker_initializer,
                                initargs=[dataset, False, False])
    try:
        it = dl._MultiWorkerIter(pool, dl.default_mp_batchify_fn, sampler, prefetch=2)
        assert len(it) == 3
        got = [b.asnumpy() for b in it]
        assert [g.tolist() for g in got] == [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9]]]
        with pytest.raises(StopIteration):
            next(it)
        sub = _PickEvery(10.0, pool, dl.default_mp_batchify_fn, sampler,
                         worker_fn=_scaled_worker, prefetch=1)
        assert [b.asnumpy()[0, 1] for b in sub] == [10.0, 50.0, 90.0]
    finally:
        pool.terminate()


def test_multiworker_iter_thread_pool_gets_dataset():
    from multiprocessing.pool import ThreadPool
    dataset = mx.gluon.data.SimpleDataset([np.float32(i) for i in range(4)])
    sampler = mx.gluon.data.BatchSampler(mx.gluon.data.SequentialSampler(4), 3, "keep")
    pool = ThreadPool(1, initializer=dl._thread_worker_initializer, initargs=(False, False))
    try:
        it = dl._MultiWorkerIter(pool, dl.default_batchify_fn, sampler, prefetch=1,
                                 worker_fn=dl._thread_worker_fn, dataset=dataset)
        assert [b.asnumpy().tolist() for b in it] == [[0, 1, 2], [3]]
    finally:
        pool.terminate()


def test_dataloader_clean_terminates_a_process_pool_set_by_a_subclass():
    loader = mx.gluon.data.DataLoader(mx.gluon.data.SimpleDataset([1, 2]), batch_size=1)
    pool = multiprocessing.Pool(1)
    loader._worker_pool = pool
    loader.clean()
    assert loader._worker_pool is None and pool._state != "RUN"
