"""Round-6 gluon.data checks: samplers, datasets, DataLoader variants and vision transforms.

Run through ``tools/unittest_style/run.py --only gluon6`` (real MXNet 1.9.1 and mxtorch).
"""
import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.gluon.data.vision import transforms as T
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

gd = gluon.data


def _image(shape=(10, 12, 3), seed=0, dtype="uint8"):
    return mx.nd.array(np.random.RandomState(seed).randint(0, 256, shape), dtype=dtype)


@with_seed()
def test_samplers_all_modes():
    assert list(gd.SequentialSampler(5)) == [0, 1, 2, 3, 4]
    assert list(gd.SequentialSampler(5, 2)) == [2, 3, 4, 5, 6]
    assert list(gd.FilterSampler(lambda x: x % 2 == 0, list(range(7)))) == [0, 2, 4, 6]
    assert len(gd.FilterSampler(lambda x: x > 2, [1, 2, 3, 4])) == 2
    assert sorted(gluon.contrib.data.IntervalSampler(10, 3)) == list(range(10))
    assert list(gluon.contrib.data.IntervalSampler(10, 3, rollover=False)) == [0, 3, 6, 9]
    want = {"keep": ([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]],) * 2 + (4,),
            "discard": ([[0, 1, 2], [3, 4, 5], [6, 7, 8]],) * 2 + (3,),
            "rollover": ([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[9, 0, 1], [2, 3, 4], [5, 6, 7]],
                         4)}
    for mode, (first, second, length) in want.items():
        bs = gd.BatchSampler(gd.SequentialSampler(10), 3, mode)
        assert list(bs) == first and list(bs) == second and len(bs) == length, mode
    rs = gd.RandomSampler(7)
    assert len(rs) == 7 and sorted(rs) == list(range(7))


@with_seed()
def test_dataset_ops():
    a = gd.ArrayDataset(np.arange(10).reshape(5, 2), mx.nd.arange(5), [1, 2, 3, 4, 5])
    assert len(a) == 5 and a[1][0].tolist() == [2, 3] and a[2][2] == 3
    assertRaises(AssertionError, gd.ArrayDataset, np.arange(3), np.arange(4))
    assert float(gd.ArrayDataset(mx.nd.arange(4))[2]) == 2.0
    s = gd.SimpleDataset(list(range(10)))
    assert [list(s.shard(3, i)) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assertRaises(AssertionError, s.shard, 3, 3)
    assert list(s.take(3)) == [0, 1, 2] and len(s.take(None)) == 10
    assert list(s.take(20))[:2] == [0, 1]
    assert list(s.filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    assert list(s.transform(lambda x: x * 2, lazy=False))[:3] == [0, 2, 4]
    assert list(a.transform_first(lambda x: x * 10)[0][0]) == [0, 10]


@with_seed()
def test_dataloader_last_batch_and_args():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    ds = gd.ArrayDataset(x, np.arange(10, dtype="float32"))
    want = {"keep": [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]],
            "discard": [[0, 1, 2, 3], [4, 5, 6, 7]],
            "rollover": [[0, 1, 2, 3], [4, 5, 6, 7]]}
    for mode, batches in want.items():
        dl = gd.DataLoader(ds, batch_size=4, last_batch=mode)
        assert [b[1].asnumpy().tolist() for b in dl] == batches, mode
    dl = gd.DataLoader(ds, batch_size=4, last_batch="rollover")
    list(dl)
    assert [b[1].asnumpy().tolist() for b in dl] == [[8, 9, 0, 1], [2, 3, 4, 5], [6, 7, 8, 9]]
    assertRaises(ValueError, gd.DataLoader, ds, batch_size=4, shuffle=True,
                 sampler=gd.SequentialSampler(10))
    assertRaises(ValueError, gd.DataLoader, ds, batch_size=2,
                 batch_sampler=gd.BatchSampler(gd.SequentialSampler(10), 2, "keep"))
    assertRaises(ValueError, gd.DataLoader, ds)


@with_seed()
def test_dataloader_worker_variants():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    ds = gd.ArrayDataset(x, np.arange(10, dtype="float32"))
    for kw in (dict(num_workers=2), dict(num_workers=2, thread_pool=True),
               dict(num_workers=2, prefetch=1), dict(num_workers=0, pin_memory=True),
               dict(num_workers=2, pin_memory=True)):
        dl = gd.DataLoader(ds, batch_size=3, **kw)
        got = [(b[0].shape, b[1].asnumpy().tolist()) for b in dl]
        assert got == [((3, 2), [0, 1, 2]), ((3, 2), [3, 4, 5]), ((3, 2), [6, 7, 8]),
                       ((1, 2), [9])], kw
        assert len(dl) == 4
        if kw.get("pin_memory"):
            assert all(b[0].context == mx.cpu_pinned(0) for b in dl)
    dl = gd.DataLoader(ds, batch_size=3, batchify_fn=lambda s: [len(s), s[0][1]])
    assert [b[0] for b in dl] == [3, 3, 3, 1]


@with_seed()
def test_default_batchify_types():
    ints = list(gd.DataLoader(gd.SimpleDataset([1, 2, 3, 4]), batch_size=3))
    assert [b.asnumpy().tolist() for b in ints] == [[1, 2, 3], [4]]
    assert ints[0].dtype == np.int64
    floats = list(gd.DataLoader(gd.SimpleDataset([1.5, 2.5, 3.0]), batch_size=3))
    assert floats[0].dtype == np.float64
    f64 = gd.SimpleDataset([np.ones(2, dtype="float64")] * 2)
    assert list(gd.DataLoader(f64, batch_size=2))[0].dtype == np.float64
    i32 = gd.SimpleDataset([np.ones(2, dtype="int32")] * 2)
    assert list(gd.DataLoader(i32, batch_size=2, num_workers=2))[0].dtype == np.int32
    nds = gd.SimpleDataset([mx.nd.ones((2,)) * i for i in range(4)])
    got = [b.asnumpy().tolist() for b in gd.DataLoader(nds, batch_size=3, num_workers=1)]
    assert got == [[[0, 0], [1, 1], [2, 2]], [[3, 3]]]
    tup = gd.dataloader.default_batchify_fn([(1, 2.0), (3, 4.0)])
    assert tup[0].asnumpy().tolist() == [1, 3] and tup[1].asnumpy().tolist() == [2.0, 4.0]
    v1 = gd.dataloader.DataLoaderV1(gd.ArrayDataset(np.arange(10.0)), batch_size=4,
                                    num_workers=1)
    assert [b.asnumpy().tolist() for b in v1] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


@with_seed()
def test_deterministic_transforms_values():
    img = _image()
    checks = [
        (T.ToTensor()(img), (3, 10, 12), np.float32, 1.7245),
        (T.ToTensor()(_image((2, 10, 12, 3), 1)), (2, 3, 10, 12), np.float32, None),
        (T.Normalize(0.5, 0.25)(T.ToTensor()(img)), (3, 10, 12), np.float32, None),
        (T.Cast("float16")(img), (10, 12, 3), np.float16, None),
        (T.Resize(5)(img), (5, 5, 3), np.uint8, None),
        (T.Resize((6, 4))(img), (4, 6, 3), np.uint8, None),
        (T.Resize(5, keep_ratio=True)(img), (5, 6, 3), np.uint8, None),
        (T.Resize(8, keep_ratio=True, interpolation=2)(img), (8, 9, 3), np.uint8, None),
        (T.CenterCrop(5)(img), (5, 5, 3), np.uint8, None),
        (T.CenterCrop((20, 20))(img), (20, 20, 3), np.uint8, None),
        (T.CropResize(1, 2, 5, 4)(img), (4, 5, 3), np.uint8, None),
        (T.CropResize(1, 1, 4, 4)(_image((2, 10, 12, 3), 1)), (2, 4, 4, 3), np.uint8, None),
    ]
    for out, shape, dtype, total in checks:
        assert out.shape == shape and out.dtype == dtype, (out.shape, out.dtype)
        if total is not None:
            assert abs(float(out.asnumpy().astype("float64").sum()) - total * 100) < 100
    ref = img.asnumpy()
    assert (T.CropResize(1, 2, 5, 4)(img).asnumpy() == ref[2:6, 1:6]).all()
    assert (T.CenterCrop(5)(img).asnumpy() == ref[2:7, 3:8]).all()
    half = T.Resize((6, 5))(img).asnumpy().astype("int64")
    quads = ref.astype("int64").reshape(5, 2, 6, 2, 3).sum(axis=(1, 3))
    assert (half == (quads + 2) // 4).all()   # OpenCV's 2x2 shortcut rounds halves up


@with_seed()
def test_rotation_transforms():
    imgf = _image().astype("float32").transpose((2, 0, 1))
    out = T.Rotate(90)(imgf)
    assert out.shape == (3, 10, 12) and out.dtype == np.float32
    assertRaises(TypeError, T.Rotate(90), _image().transpose((2, 0, 1)))
    assertRaises(ValueError, T.RandomRotation, (30, -30))
    same = T.RandomRotation((-30, 30), rotate_with_proba=0.0)(imgf)
    assert (same.asnumpy() == imgf.asnumpy()).all()
    assert T.Rotate(30, zoom_in=True)(imgf).shape == (3, 10, 12)
    assert T.Rotate(30, zoom_out=True)(imgf).shape == (3, 10, 12)


@with_seed()
def test_random_transforms_shapes_ranges():
    img, imgf = _image(), _image().astype("float32")
    for t in (T.RandomResizedCrop(5), T.RandomResizedCrop((6, 4), scale=(0.5, 1.0),
                                                          ratio=(0.5, 2.0)),
              T.RandomResizedCrop(4, interpolation=0)):
        out = t(img)
        assert out.dtype == np.uint8 and out.shape[2] == 3
    assert T.RandomResizedCrop(5)(imgf).dtype == np.float32
    for t in (T.RandomFlipLeftRight(), T.RandomFlipTopBottom(), T.RandomBrightness(0.3),
              T.RandomContrast(0.3), T.RandomSaturation(0.3), T.RandomHue(0.3),
              T.RandomColorJitter(0.2, 0.2, 0.2, 0.1), T.RandomLighting(0.1)):
        for _ in range(5):
            out = t(img)
            assert out.shape == (10, 12, 3) and out.dtype == np.uint8, type(t).__name__
            out = t(imgf)
            assert out.shape == (10, 12, 3) and out.dtype == np.float32, type(t).__name__
    for t in (T.RandomBrightness(0.0), T.RandomContrast(0.0), T.RandomSaturation(0.0),
              T.RandomLighting(0.0)):
        assert_almost_equal(t(imgf).asnumpy(), imgf.asnumpy(), rtol=1e-4, atol=1e-3)
    hits = sum(T.RandomApply(T.Cast("float16"), p=0.5)(img).dtype == np.float16
               for _ in range(400))
    assert 140 < hits < 260, hits
    assert T.RandomApply(T.Cast("float16"), p=1.0)(img).dtype == np.float16
    assert T.RandomApply(T.Cast("float16"), p=0.0)(img).dtype == np.uint8


@with_seed()
def test_compose_and_hybridize():
    img = _image()
    c = T.Compose([T.Resize(8), T.CenterCrop(6), T.ToTensor(), T.Normalize(0.5, 0.2)])
    out = c(img)
    assert out.shape == (3, 6, 6) and out.dtype == np.float32
    c2 = T.Compose([T.Resize(8), T.ToTensor(), T.Normalize(0.5, 0.2), T.Cast("float16")])
    assert [type(b).__name__ for b in c2._children.values()] == ["HybridSequential"]
    ref = c2(img).asnumpy()
    c2.hybridize()
    out = c2(img)
    assert out.shape == (3, 8, 8) and out.dtype == np.float16
    assert_almost_equal(out.asnumpy(), ref)


main(globals())
