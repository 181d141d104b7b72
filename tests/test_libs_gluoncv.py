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


def test_op_attr_values_are_stored_as_text():
    # gluoncv's FeatureExpander: mx.sym.Convolution(..., attr={'__init__': Xavier(...)});
    # MXNet 1.9.1 keeps str(value) on the node and on the variables it creates
    init = mx.init.Xavier(rnd_type="gaussian", factor_type="out", magnitude=2)
    d = mx.sym.var("d")
    y = mx.sym.Convolution(d, num_filter=2, kernel=(1, 1), name="c", attr={"__init__": init})
    assert y.attr("__init__") == str(init)
    w = mx.sym.Convolution(d, num_filter=2, kernel=(1, 1), name="c2",
                           attr={"__lr_mult__": 2.0}).get_internals()["c2_weight"]
    assert w.list_attr()["__lr_mult__"] == "2.0" and w.list_attr()["lr_mult"] == "2.0"
    assert mx.sym.relu(d, attr={"__x__": True}).list_attr() == {"__x__": "True"}
    assert mx.sym.FullyConnected(d, num_hidden=2, attr={"__x__": (1, 2)}).attr("__x__") == \
        "(1, 2)"
    with pytest.raises(ValueError):  # variables and scopes still want strings, as in MXNet
        mx.sym.var("v", attr={"__x__": 3})
    with pytest.raises(ValueError):
        mx.AttrScope(__x__=1)


def test_symbol_block_over_op_with_object_attr_initializes():
    init = mx.init.Xavier(rnd_type="gaussian", factor_type="out", magnitude=2)
    y = mx.sym.Convolution(mx.sym.var("d"), num_filter=2, kernel=(1, 1), no_bias=True,
                           name="c", attr={"__init__": init})
    blk = mx.gluon.SymbolBlock(mx.sym.BatchNorm(y, name="bn"), mx.sym.var("d"))
    blk.initialize()
    assert blk(mx.nd.ones((1, 3, 2, 2))).shape == (1, 2, 2, 2)


def test_batchnorm_fix_gamma_gradient_stays_zero_under_nan():
    # MXNet 1.9.1: gamma.grad [0, 0, 0], beta.grad [nan, 4, inf], gamma reset to ones
    x = mx.nd.array(np.arange(12, dtype="float32").reshape(2, 3, 2, 1))
    g, b = mx.nd.array([2., 3., 4.]), mx.nd.zeros(3)
    for arr in (x, g, b):
        arr.attach_grad()
    with mx.autograd.record():
        y = mx.nd.BatchNorm(x, g, b, mx.nd.zeros(3), mx.nd.ones(3), fix_gamma=True)
        z = (y * mx.nd.array([[[[np.nan]], [[1.]], [[np.inf]]]])).sum()
    z.backward()
    assert g.grad.asnumpy().tolist() == [0.0, 0.0, 0.0]
    beta = b.grad.asnumpy()
    assert np.isnan(beta[0]) and beta[1] == 4.0 and np.isposinf(beta[2])
    assert g.asnumpy().tolist() == [1.0, 1.0, 1.0]


def test_imresize_bicubic_uint8_rounds_like_mxnet():
    # gluoncv's presets resize with interp=2; MXNet 1.9.1's values (newer OpenCV: 3 differ)
    img = np.array([[37, 235, 140, 72, 255, 137, 203, 133], [79, 192, 144, 129, 204, 71, 237, 252],
                    [134, 25, 178, 20, 254, 101, 146, 212], [139, 252, 234, 156, 157, 142, 50, 68],
                    [215, 215, 233, 241, 247, 222, 96, 86], [141, 233, 137, 7, 63, 61, 22, 57]],
                   dtype=np.uint8)[:, :, None]
    want = [[51, 236, 98, 169, 174, 195, 147], [100, 138, 128, 166, 111, 183, 255],
            [134, 145, 163, 131, 157, 84, 132], [204, 240, 250, 245, 239, 112, 77],
            [153, 226, 92, 42, 84, 34, 58]]
    src = mx.nd.array(img, dtype="uint8")
    got = mx.image.imresize(src, 7, 5, interp=2)
    assert got.dtype == np.uint8 and got.shape == (5, 7, 1)
    assert got.asnumpy()[:, :, 0].tolist() == want
    assert mx.nd.image.resize(src, size=(7, 5), interp=2).asnumpy()[:, :, 0].tolist() == want


def test_batchnorm_train_gradients_few_values_near_eps_float64():
    # YOLOv3 (batch 1) normalises 2x2 maps whose variance is below eps; in float64 the whole
    # training step equals MXNet's (compat/gluoncv.md). Expected: MXNet 1.9.1, rtol 1e-10.
    x = np.array([[[[0.1, 0.1003], [0.0998, 0.1001]], [[1.0, -1.0], [0.5, 0.25]]]])
    head = np.array([[[[0.3, -0.2], [0.5, 0.1]], [[-0.4, 0.2], [0.7, -0.1]]]])
    xa = mx.nd.array(x, dtype="float64")
    g = mx.nd.array([0.7, 1.3], dtype="float64")
    b = mx.nd.array([0.1, -0.2], dtype="float64")
    for arr in (xa, g, b):
        arr.attach_grad()
    with mx.autograd.record(train_mode=True):
        y = mx.nd.BatchNorm(xa, g, b, mx.nd.zeros(2, dtype="float64"),
                            mx.nd.ones(2, dtype="float64"), fix_gamma=False, eps=1e-5)
    y.backward(mx.nd.array(head, dtype="float64"))
    expect = {
        "y": [0.08894996992245495, 0.15525015038773143, 0.04474984961226859,
              0.11105003007754506, 1.2334260913249855, -2.2950073642442095,
              0.3513177274326867, -0.08973645451346267],
        "x": [27.574134362459105, -82.62052142456415, 71.57049134701786, -16.52410428491283,
              -0.6511144566888653, -0.16118480698040435, 1.1473738471336175,
              -0.33507458346434765],
        "gamma": [-0.05840730183845857, -0.4749814267112377],
        "beta": [0.7, 0.3999999999999999],
    }
    got = {"y": y, "x": xa.grad, "gamma": g.grad, "beta": b.grad}
    for key, want in expect.items():
        np.testing.assert_allclose(got[key].asnumpy().ravel(), want, rtol=1e-10, atol=1e-12)
