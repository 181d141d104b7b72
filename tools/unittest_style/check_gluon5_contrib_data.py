"""Round-5 gluon.contrib and gluon.data loader checks in the style of MXNet's
test_gluon_contrib.py and test_gluon_data.py (own code). Run through
``tools/unittest_style/run.py --only gluon5``.
"""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import nn
from mxnet.gluon import contrib
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

TMP = tempfile.mkdtemp()


@with_seed()
def test_concurrent_and_identity():
    model = contrib.nn.HybridConcurrent(axis=1)
    model.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=3), contrib.nn.Identity())
    model.initialize()
    x = mx.nd.random.uniform(shape=(2, 3))
    out = model(x)
    assert out.shape == (2, 9)
    assert_almost_equal(out.asnumpy()[:, 6:], x.asnumpy())
    model.hybridize()
    assert_almost_equal(model(x).asnumpy(), out.asnumpy(), rtol=1e-5, atol=1e-6)
    c = contrib.nn.Concurrent(axis=-1)
    c.add(nn.Dense(2, in_units=3), nn.Dense(3, in_units=3))
    c.initialize()
    assert c(x).shape == (2, 5)
    with autograd.record():
        y = model(x).sum()
    y.backward()


@with_seed()
def test_sparse_embedding():
    layer = contrib.nn.SparseEmbedding(10, 4)
    layer.initialize()
    trainer = gluon.Trainer(layer.collect_params(), "sgd", {"learning_rate": 1.0})
    x = mx.nd.array([3, 4, 2, 0, 1])
    with autograd.record():
        y = layer(x)
        y.backward()
    assert (layer.weight.grad().asnumpy()[:5] == 1).all()
    assert (layer.weight.grad().asnumpy()[5:] == 0).all()
    assert layer.weight.grad().stype == "row_sparse"
    trainer.step(1)


@with_seed()
def test_pixelshuffle_and_sync_bn_repr():
    assert contrib.nn.PixelShuffle2D((2, 3))(mx.nd.ones((1, 12, 2, 2))).shape == (1, 2, 4, 6)
    s = contrib.nn.SyncBatchNorm(in_channels=3, num_devices=2)
    assert "SyncBatchNorm" in repr(s) and "in_channels=3" in repr(s)


@with_seed()
def test_deformable_convolution():
    net = nn.HybridSequential()
    net.add(contrib.cnn.DeformableConvolution(10, kernel_size=(3, 3), strides=1, padding=0),
            contrib.cnn.DeformableConvolution(10, kernel_size=(1, 1), strides=1, padding=0,
                                              activation="relu", offset_use_bias=False,
                                              use_bias=False),
            contrib.cnn.DeformableConvolution(10, kernel_size=(3, 2), strides=1, padding=0,
                                              offset_use_bias=False, use_bias=True,
                                              num_deformable_group=2))
    net.initialize(force_reinit=True)
    net.hybridize()
    x = mx.nd.random.uniform(shape=(8, 5, 30, 31))
    with autograd.record():
        y = net(x)
        y.backward()
    assert y.shape == (8, 10, 26, 28)
    m = contrib.cnn.ModulatedDeformableConvolution(4, kernel_size=(3, 3), padding=1)
    m.initialize()
    assert m(mx.nd.random.uniform(shape=(1, 3, 6, 6))).shape == (1, 4, 6, 6)
    # zero offsets: same result as a plain convolution with the same weights
    d = contrib.cnn.DeformableConvolution(3, kernel_size=(3, 3), padding=1, in_channels=2)
    d.initialize()
    xx = mx.nd.random.uniform(shape=(1, 2, 5, 5))
    d(xx)  # in_channels is not used for the weight shape: deferred until the first call
    d.deformable_conv_bias.set_data(mx.nd.array([0.1, -0.2, 0.3]))
    conv = nn.Conv2D(3, 3, padding=1, in_channels=2)
    conv.initialize()
    conv.weight.set_data(d.deformable_conv_weight.data())
    conv.bias.set_data(d.deformable_conv_bias.data())
    assert_almost_equal(d(xx).asnumpy(), conv(xx).asnumpy(), rtol=1e-4, atol=1e-5)


@with_seed()
def test_dataloader_workers_and_last_batch():
    X = np.random.uniform(size=(10, 3)).astype("float32")
    Y = np.arange(10).astype("float32")
    ds = gluon.data.ArrayDataset(X, Y)
    for workers, thread_pool in ((0, False), (2, True), (2, False)):
        for last_batch, n in (("keep", 4), ("discard", 3), ("rollover", 3)):
            loader = gluon.data.DataLoader(ds, batch_size=3, num_workers=workers,
                                           thread_pool=thread_pool, last_batch=last_batch)
            batches = list(loader)
            assert len(batches) == n == len(loader), (workers, last_batch, len(batches))
            assert_almost_equal(batches[0][0].asnumpy(), X[:3])
            assert batches[0][1].dtype == np.float32
    loader = gluon.data.DataLoader(ds, batch_size=4, shuffle=True)
    seen = np.concatenate([b[1].asnumpy() for b in loader])
    assert sorted(seen.tolist()) == list(range(10))
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(10), 5, "keep")
    loader = gluon.data.DataLoader(ds, batch_sampler=bs)
    assert len(list(loader)) == 2


@with_seed()
def test_dataloader_custom_batchify_and_pin():
    ds = gluon.data.SimpleDataset([np.array([i, i + 1]) for i in range(6)])

    def batchify(samples):
        return mx.nd.array(np.stack(samples)) * 2
    loader = gluon.data.DataLoader(ds, batch_size=4, batchify_fn=batchify, pin_memory=True)
    b = next(iter(loader))
    assert b.shape == (4, 2) and b.context == mx.cpu_pinned(0)
    assert_almost_equal(b.asnumpy()[1], np.array([2, 4]))
    tuples = gluon.data.SimpleDataset([(np.ones(2) * i, i) for i in range(5)])
    out = next(iter(gluon.data.DataLoader(tuples, batch_size=5)))
    assert out[0].shape == (5, 2) and out[1].shape == (5,)


@with_seed()
def test_image_record_and_folder_datasets():
    root = os.path.join(TMP, "imgs")
    for cls in ("cat", "dog"):
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        for i in range(2):
            img = (np.random.uniform(0, 255, (6, 8, 3))).astype("uint8")
            enc = mx.image.imencode(".png", mx.nd.array(img, dtype="uint8")) \
                if hasattr(mx.image, "imencode") else None
            path = os.path.join(root, cls, "%d.png" % i)
            if enc is None:
                import cv2
                cv2.imwrite(path, img)
            else:
                with open(path, "wb") as f:
                    f.write(enc)
    os.makedirs(os.path.join(root, "notes"), exist_ok=True)
    with open(os.path.join(root, "notes", "x.txt"), "w") as f:
        f.write("x")
    ds = gluon.data.vision.ImageFolderDataset(root)
    assert ds.synsets == ["cat", "dog", "notes"] or ds.synsets == ["cat", "dog"], ds.synsets
    assert len(ds) == 4
    img, label = ds[3]
    assert img.shape == (6, 8, 3) and label == 1
    gray = gluon.data.vision.ImageFolderDataset(root, flag=0)
    assert gray[0][0].shape == (6, 8, 1)


main(globals())
