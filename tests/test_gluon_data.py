"""gluon.data: datasets, samplers, batchify and DataLoader (expected values from MXNet 1.9.1)."""
import gc
import multiprocessing
import os
import time

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon import data as gd
from mxtorch.gluon.data import batchify


def _np(batch):
    if isinstance(batch, (list, tuple)):
        return [_np(b) for b in batch]
    return batch.asnumpy()


# ---------------------------------------------------------------------------------- datasets

def test_dataset_views():
    ds = gd.SimpleDataset(list(range(10)))
    assert [list(ds.shard(3, i)) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert list(ds.take(3)) == [0, 1, 2] and len(ds.take(30)) == 10 and len(ds.take(None)) == 10
    assert ds.filter(lambda x: x % 2)[1] == 3 and len(ds.filter(lambda x: x % 2)) == 5
    assert type(ds.filter(lambda x: x % 2)).__name__ == "_FilteredDataset"
    eager = ds.transform(lambda x: x * 2, lazy=False)
    assert type(eager).__name__ == "SimpleDataset" and eager[3] == 6
    assert ds.transform(lambda x: x + 1)[9] == 10
    pairs = gd.ArrayDataset([1, 2], [3, 4])
    assert pairs.transform_first(lambda x: x * 10)[1] == (20, 4)
    assert pairs.transform(lambda x, y: x + y)[1] == 6
    assert list(ds.sample(gd.FilterSampler(lambda x: x > 6, ds))) == [7, 8, 9]


def test_dataset_errors():
    ds = gd.SimpleDataset(list(range(10)))
    with pytest.raises(AssertionError, match="Shard index of out bound: 3 out of 3"):
        ds.shard(3, 3)
    with pytest.raises(TypeError, match="Invalid sampler type: <class 'list'>"):
        ds.sample([1, 2])
    with pytest.raises(AssertionError, match="Needs at least 1 arrays"):
        gd.ArrayDataset()
    with pytest.raises(AssertionError, match="array\\[1\\] has 1"):
        gd.ArrayDataset([1, 2], [1])


def test_array_dataset_items():
    ds = gd.ArrayDataset(mx.nd.arange(3), mx.nd.ones((3, 2)))
    x, y = ds[1]
    assert isinstance(x, np.float32) and x == 1.0  # 1-d NDArrays are kept as numpy
    assert isinstance(y, mx.nd.NDArray) and y.shape == (2,)
    assert gd.ArrayDataset(mx.nd.arange(3))[1] == 1.0 and gd.ArrayDataset([1, 2, 3])[1] == 2


def test_record_file_dataset(tmp_path):
    fix = os.path.join(os.path.dirname(__file__), "fixtures", "recordio")
    ds = gd.RecordFileDataset(os.path.join(fix, "packed.rec"))
    assert len(ds) == 4
    header, body = mx.recordio.unpack(ds[1])
    assert body == b"world!" and list(header.label) == [1.5, 2.0, -3.0]
    with pytest.raises(IOError, match="missing.idx"):
        gd.RecordFileDataset(str(tmp_path / "missing.rec"))


# ---------------------------------------------------------------------------------- samplers

def test_samplers():
    assert list(gd.SequentialSampler(3, 2)) == [2, 3, 4] and len(gd.SequentialSampler(3, 2)) == 3
    np.random.seed(0)
    order = list(gd.RandomSampler(10))
    assert sorted(order) == list(range(10)) and order != list(range(10))
    f = gd.FilterSampler(lambda x: x > 5, gd.SimpleDataset(list(range(10))))
    assert list(f) == [6, 7, 8, 9] and len(f) == 4
    seq = gd.SequentialSampler(10)
    assert list(gd.BatchSampler(seq, 3, "keep")) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(gd.BatchSampler(seq, 3, "discard")) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert len(gd.BatchSampler(seq, 3, "keep")) == 4
    assert len(gd.BatchSampler(seq, 3, "discard")) == 3


def test_batch_sampler_rollover():
    b = gd.BatchSampler(gd.SequentialSampler(10), 3, "rollover")
    # MXNet 1.9.1: each pass starts with the previous pass's leftover indices
    assert list(b) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]] and len(b) == 3
    assert list(b) == [[9, 0, 1], [2, 3, 4], [5, 6, 7]] and len(b) == 4
    assert list(b) == [[8, 9, 0], [1, 2, 3], [4, 5, 6], [7, 8, 9]]
    bad = gd.BatchSampler(gd.SequentialSampler(10), 3, "foo")
    msg = "last_batch must be one of 'keep', 'discard', or 'rollover', but got foo"
    with pytest.raises(ValueError, match=msg):
        list(bad)
    with pytest.raises(ValueError, match=msg):
        len(bad)


def test_interval_sampler():
    assert list(gd.IntervalSampler(7, 3)) == [0, 3, 6, 1, 4, 2, 5]
    assert list(gd.IntervalSampler(7, 3, rollover=False)) == [0, 3, 6]
    assert len(gd.IntervalSampler(7, 3)) == 7 and len(gd.IntervalSampler(7, 3, False)) == 3
    with pytest.raises(AssertionError, match="Interval 8 must be smaller than length 7"):
        gd.IntervalSampler(7, 8)


# ---------------------------------------------------------------------------------- batchify

def test_default_batchify():
    out = gd.dataloader.default_batchify_fn([(1, (2.5, np.int32(3)))] * 2)
    assert isinstance(out, list) and out[0].dtype == np.int64
    assert out[1][0].dtype == np.float64 and out[1][1].dtype == np.int32
    assert gd.dataloader.default_batchify_fn([True, False]).dtype == np.bool_
    stacked = gd.dataloader.default_batchify_fn([mx.nd.ones((2, 2)), mx.nd.zeros((2, 2))])
    assert stacked.shape == (2, 2, 2) and stacked.dtype == np.float32
    rows = gd.dataloader.default_batchify_fn([[1, 2], [3, 4]])
    assert rows.shape == (2, 2) and rows.dtype == np.int64
    with pytest.raises(TypeError, match="str.*batchify_fn"):
        gd.dataloader.default_batchify_fn(["a", "b"])


def test_batchify_classes():
    a, b = np.array([1, 2, 3], "float32"), np.array([4], "float32")
    pad = batchify.Pad(val=-1)([a, b])
    np.testing.assert_array_equal(pad.asnumpy(), [[1, 2, 3], [4, -1, -1]])
    assert batchify.Pad(round_to=4, dtype="int32")([a, b]).shape == (2, 4)
    p2 = batchify.Pad(axis=1)([np.ones((2, 1)), np.ones((2, 3))])
    assert p2.shape == (2, 2, 3) and p2.asnumpy()[0, :, 1:].sum() == 0
    with pytest.raises(ValueError, match="sample 1 has shape"):
        batchify.Pad()([np.ones((2, 1)), np.ones((2, 3))])
    assert batchify.Stack()([a, a]).shape == (2, 3)
    app = batchify.Append()([a, b])
    assert [x.shape for x in app] == [(1, 3), (1, 1)]
    grouped = batchify.Group(batchify.Stack(), batchify.AsList())([(a, "x"), (a, "y")])
    assert grouped[0].shape == (2, 3) and grouped[1] == ["x", "y"]
    assert batchify.Group([batchify.Stack(), batchify.Stack()])([(1, 2), (3, 4)])[1].shape == (2,)


# ---------------------------------------------------------------------------------- DataLoader

def test_dataloader_argument_conflicts():
    ds = gd.SimpleDataset(list(range(10)))
    bs = gd.BatchSampler(gd.SequentialSampler(10), 2)
    with pytest.raises(ValueError, match="batch_size must be specified unless batch_sampler"):
        gd.DataLoader(ds)
    with pytest.raises(ValueError, match="shuffle must not be specified if sampler is specified"):
        gd.DataLoader(ds, 2, shuffle=True, sampler=gd.SequentialSampler(10))
    msg = "batch_size, shuffle, sampler and last_batch must not be specified if batch_sampler"
    with pytest.raises(ValueError, match=msg):
        gd.DataLoader(ds, 2, batch_sampler=bs)
    with pytest.raises(ValueError, match=msg):
        gd.DataLoader(ds, batch_sampler=bs, last_batch="keep")
    assert len(gd.DataLoader(ds, batch_sampler=bs)) == 5
    assert gd.DataLoader(ds, 2, num_workers=-1)._num_workers == 0
    assert gd.DataLoader(ds, 2, prefetch=-3)._prefetch == 0


def test_dataloader_batches_and_last_batch():
    ds = gd.ArrayDataset(np.arange(6.0), np.arange(6))
    batches = list(gd.DataLoader(ds, 4))
    assert [b[0].shape for b in batches] == [(4,), (2,)]
    assert batches[0][0].dtype == np.float64 and batches[0][1].dtype == np.int64
    assert len(list(gd.DataLoader(ds, 4, last_batch="discard"))) == 1
    roll = gd.DataLoader(ds, 4, last_batch="rollover")
    assert len(list(roll)) == 1 and _np(list(roll)[0])[1].tolist() == [4, 5, 0, 1]


def _square(x):
    return x * x


class _Faulty(gd.Dataset):
    """Raises, dies or stalls at index ``at``."""

    def __init__(self, mode, at=5):
        self.mode, self.at = mode, at

    def __len__(self):
        return 16

    def __getitem__(self, idx):
        if idx == self.at:
            if self.mode == "raise":
                raise ValueError("bad sample %d" % idx)
            if self.mode == "die":
                os._exit(3)
            if self.mode == "stall":
                time.sleep(2.5)
        return np.float32(idx)


def _children():
    return [p for p in multiprocessing.active_children() if p.is_alive()]


@pytest.mark.parametrize("thread_pool", [False, True])
def test_workers_match_main_process(thread_pool):
    images = mx.nd.array(np.arange(2 * 5 * 4 * 3).reshape(10, 4, 3), dtype="uint8")
    ds = gd.ArrayDataset(images, np.arange(10, dtype="float32")).transform_first(
        lambda x: x.astype("float32") / 255)
    ref = [_np(b) for b in gd.DataLoader(ds, 4)]
    loader = gd.DataLoader(ds, 4, num_workers=2, thread_pool=thread_pool)
    for _ in range(2):  # twice: workers are reused
        got = [_np(b) for b in loader]
        assert len(got) == len(ref)
        for g, r in zip(got, ref):
            np.testing.assert_array_equal(g[0], r[0])
            np.testing.assert_array_equal(g[1], r[1])
    batch = next(iter(loader))
    assert isinstance(batch[0], mx.nd.NDArray) and batch[0].context == mx.cpu()
    loader.clean()


def test_worker_custom_batchify_and_shuffle():
    ds = gd.SimpleDataset(list(range(12)))
    np.random.seed(3)
    ref = [b for b in gd.DataLoader(ds, 5, shuffle=True, batchify_fn=list)]
    np.random.seed(3)
    got = [b for b in gd.DataLoader(ds, 5, shuffle=True, batchify_fn=list, num_workers=2)]
    assert [list(map(int, b)) for b in got] == [list(map(int, b)) for b in ref]


def test_worker_exception_reraised_with_traceback():
    loader = gd.DataLoader(_Faulty("raise"), 4, num_workers=2)
    with pytest.raises(ValueError) as info:
        list(loader)
    text = str(info.value)
    assert "bad sample 5" in text and "Traceback" in text and "__getitem__" in text
    del loader
    gc.collect()
    assert not _children()


def test_worker_death_raises():
    loader = gd.DataLoader(_Faulty("die"), 4, num_workers=2)
    start = time.time()
    with pytest.raises(mx.MXNetError, match="exited unexpectedly"):
        list(loader)
    assert time.time() - start < 30
    del loader
    gc.collect()
    assert not _children()


def test_worker_stall_times_out():
    loader = gd.DataLoader(_Faulty("stall", at=0), 4, num_workers=1, timeout=1)
    with pytest.raises(multiprocessing.TimeoutError, match="timeout=1 seconds"):
        list(loader)
    del loader
    gc.collect()
    assert not _children()


def test_early_break_and_cleanup():
    ds = gd.SimpleDataset(list(range(40)))
    loader = gd.DataLoader(ds, 2, num_workers=2)
    for i, _ in enumerate(loader):
        if i == 2:
            break
    assert [int(b.asnumpy()[0]) for b in loader][:3] == [0, 2, 4]  # a fresh pass
    del loader
    gc.collect()
    assert not _children()


def test_pin_memory_context():
    ds = gd.ArrayDataset(np.ones((4, 2), "float32"))
    batch = next(iter(gd.DataLoader(ds, 2, pin_memory=True)))
    assert batch.context == mx.cpu_pinned(0)


# ---------------------------------------------------------------------------------- vision

def _write_idx(path, arr, magic):
    import gzip
    import struct
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">%dI" % (1 + arr.ndim), magic, *arr.shape) + arr.tobytes())


def test_mnist_and_fashion_mnist(tmp_path):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(5, 28, 28)).astype(np.uint8)
    labels = np.array([3, 1, 4, 1, 5], np.uint8)
    for prefix in ("train", "t10k"):
        _write_idx(str(tmp_path / ("%s-images-idx3-ubyte.gz" % prefix)), images, 2051)
        _write_idx(str(tmp_path / ("%s-labels-idx1-ubyte.gz" % prefix)), labels, 2049)
    for cls in (gd.vision.MNIST, gd.vision.FashionMNIST):
        for train in (True, False):
            ds = cls(root=str(tmp_path), train=train)
            assert len(ds) == 5
            x, y = ds[2]
            assert x.shape == (28, 28, 1) and x.dtype == np.uint8 and y == 4
            assert isinstance(y, np.int32)
            np.testing.assert_array_equal(x.asnumpy()[:, :, 0], images[2])
    ds = gd.vision.MNIST(root=str(tmp_path), transform=lambda x, y: (x.astype("float32"), y + 1))
    assert ds[0][1] == 4 and ds[0][0].dtype == np.float32


def test_mnist_bad_and_missing_files(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_GLUON_REPO", "file:///nonexistent-mirror/")
    with pytest.raises(mx.MXNetError, match="train-images-idx3-ubyte.gz.*not found in"):
        gd.vision.MNIST(root=str(tmp_path / "empty"))
    _write_idx(str(tmp_path / "train-images-idx3-ubyte.gz"), np.zeros((2, 28, 28), np.uint8), 2051)
    _write_idx(str(tmp_path / "train-labels-idx1-ubyte.gz"), np.zeros(3, np.uint8), 2049)
    with pytest.raises(mx.MXNetError, match="2 images but .* 3 labels"):
        gd.vision.MNIST(root=str(tmp_path))
    _write_idx(str(tmp_path / "train-labels-idx1-ubyte.gz"), np.zeros(2, np.uint8), 2051)
    with pytest.raises(mx.MXNetError, match="magic 2051, expected 2049"):
        gd.vision.MNIST(root=str(tmp_path))


def _cifar_records(n, label_bytes, rng):
    labels = rng.randint(0, 20, size=(n, label_bytes)).astype(np.uint8)
    pixels = rng.randint(0, 256, size=(n, 3072)).astype(np.uint8)
    return np.concatenate([labels, pixels], axis=1), labels, pixels


def test_cifar10_binary_and_python(tmp_path):
    import pickle
    rng = np.random.RandomState(1)
    sub = tmp_path / "cifar-10-batches-bin"
    sub.mkdir()
    batches = []
    for name in ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]:
        raw, labels, pixels = _cifar_records(2, 1, rng)
        raw.tofile(str(sub / name))
        batches.append((labels, pixels))
    train = gd.vision.CIFAR10(root=str(tmp_path))
    assert len(train) == 10
    x, y = train[3]
    assert x.shape == (32, 32, 3) and x.dtype == np.uint8 and y == batches[1][0][1, 0]
    np.testing.assert_array_equal(x.asnumpy(), batches[1][1][1].reshape(3, 32, 32)
                                  .transpose(1, 2, 0))
    test = gd.vision.CIFAR10(root=str(tmp_path), train=False)
    assert len(test) == 2 and test[1][1] == batches[5][0][1, 0]
    py = tmp_path / "py"
    (py / "cifar-10-batches-py").mkdir(parents=True)
    with open(str(py / "cifar-10-batches-py" / "test_batch"), "wb") as f:
        pickle.dump({b"data": batches[5][1], b"labels": list(batches[5][0][:, 0])}, f)
    from_py = gd.vision.CIFAR10(root=str(py), train=False)
    np.testing.assert_array_equal(from_py[1][0].asnumpy(), test[1][0].asnumpy())
    (sub / "test_batch.bin").write_bytes(b"\0" * 100)
    with pytest.raises(mx.MXNetError, match="not a whole number of 3073-byte records"):
        gd.vision.CIFAR10(root=str(tmp_path), train=False)


def test_cifar100_fine_and_coarse(tmp_path):
    rng = np.random.RandomState(2)
    raw, labels, _ = _cifar_records(3, 2, rng)
    raw.tofile(str(tmp_path / "train.bin"))
    raw.tofile(str(tmp_path / "test.bin"))
    coarse = gd.vision.CIFAR100(root=str(tmp_path))
    fine = gd.vision.CIFAR100(root=str(tmp_path), fine_label=True, train=False)
    assert [coarse[i][1] for i in range(3)] == list(labels[:, 0])
    assert [fine[i][1] for i in range(3)] == list(labels[:, 1])


def _png(path, value, shape=(6, 5, 3)):
    import cv2
    cv2.imwrite(str(path), np.full(shape, value, np.uint8))


def test_image_folder_and_list(tmp_path):
    for cls, values in (("cat", (10, 20)), ("dog", (30,))):
        (tmp_path / cls).mkdir()
        for i, v in enumerate(values):
            _png(tmp_path / cls / ("%d.png" % i), v)
    (tmp_path / "dog" / "notes.txt").write_text("x")
    (tmp_path / "README").write_text("x")
    with pytest.warns(UserWarning):
        ds = gd.vision.ImageFolderDataset(str(tmp_path))
    assert ds.synsets == ["cat", "dog"] and len(ds) == 3
    x, y = ds[2]
    assert y == 1 and x.shape == (6, 5, 3) and int(x.asnumpy().max()) == 30
    gray = gd.vision.ImageFolderDataset(str(tmp_path), flag=0)
    assert gray[0][0].shape == (6, 5, 1)
    lst = tmp_path / "x.lst"
    lst.write_text("0\t1.5\tcat/0.png\n1\t2\t3\tdog/0.png\n")
    items = gd.vision.ImageListDataset(str(tmp_path), "x.lst")
    assert items[0][1] == 1.5 and list(items[1][1]) == [2.0, 3.0]
    assert int(items[1][0].asnumpy().max()) == 30
    listed = gd.vision.ImageListDataset(str(tmp_path), [[4, "cat/1.png"]])
    assert listed[0][1] == 4.0 and int(listed[0][0].asnumpy().max()) == 20
    with pytest.raises(mx.MXNetError, match="not a folder"):
        gd.vision.ImageFolderDataset(str(tmp_path / "nope"))


def test_image_record_dataset(tmp_path):
    fix = os.path.join(os.path.dirname(__file__), "fixtures", "recordio", "images.rec")
    ds = gd.vision.ImageRecordDataset(fix)
    x, y = ds[0]
    assert x.shape == (6, 5, 3) and y == 0.0
    assert gd.vision.ImageRecordDataset(fix, flag=0)[1][0].shape == (8, 10, 1)
    seen = gd.vision.ImageRecordDataset(fix, transform=lambda x, y: (x.shape, y + 1))[2]
    assert seen == ((6, 5, 3), 3.0)


# ---------------------------------------------------------------------------------- transforms

TF = np.load(os.path.join(os.path.dirname(__file__), "fixtures", "image",
                          "mxnet_transforms.npz"))


@pytest.mark.parametrize("name", sorted(k[5:] for k in TF.files if k.startswith("code/")))
def test_transforms_match_mxnet(name):
    # tools/transforms_fixtures.py; exact except rotation (bilinear sampling, 1e-5)
    from mxtorch.gluon.data.vision import transforms as T  # noqa: F401 (used by eval)
    code, key = TF["code/" + name]
    block = eval(str(code))
    x = mx.nd.array(TF["in/" + key], dtype=TF["in/" + key].dtype)
    want = TF["out/" + name]
    got = block(x).asnumpy()
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=0,
                               atol=1e-5 if name.startswith("rotate") else 0)


def test_compose_groups_hybrid_runs():
    from mxtorch.gluon.data.vision import transforms as T
    c = T.Compose([T.ToTensor(), T.Normalize(0.5, 0.2), T.CenterCrop(2), T.Cast("float16")])
    kinds = [type(b).__name__ for b in c._children.values()]
    assert kinds == ["HybridSequential", "CenterCrop", "Cast"]
    with pytest.raises(ValueError, match="not a HybridBlock"):
        T.HybridCompose([T.CenterCrop(2)])


def test_random_transforms_behaviour():
    from mxtorch.gluon.data.vision import transforms as T
    x = mx.nd.array(np.arange(24).reshape(2, 4, 3), dtype="uint8")
    gray = T.RandomGray(1.0)
    np.testing.assert_allclose(gray(x).asnumpy()[0, 1], [3.8147] * 3, rtol=1e-5)
    gray.hybridize()
    np.testing.assert_allclose(gray(x).asnumpy()[0, 1], [3.8147] * 3, rtol=1e-5)
    maybe = T.RandomGray(0.5)
    maybe.hybridize()
    seen = {round(float(maybe(x)[0, 1, 0].asscalar()), 3) for _ in range(40)}
    assert seen == {3.0, 3.815}  # drawn per call, also when compiled
    assert T.RandomApply(T.Cast("float16"), 1.0)(x).dtype == np.float16
    assert T.RandomApply(T.Cast("float16"), 0.0)(x).dtype == np.uint8
    apply = T.HybridRandomApply(T.RandomBrightness(0.5), p=0.5)
    apply.hybridize()
    outs = {round(float(apply(x.astype("float32"))[0, 1, 0].asscalar()), 4) for _ in range(30)}
    assert 3.0 in outs and len(outs) > 2
    with pytest.raises(TypeError, match="only supports float32"):
        T.Rotate(30)(x)
    assert T.RandomRotation((-10, 10))(T.ToTensor()(x)).shape == (3, 2, 4)
    assert T.RandomResizedCrop(3)(x).shape == (3, 3, 3)
    flips = {tuple(T.RandomFlipLeftRight()(x).asnumpy()[0, 0]) for _ in range(30)}
    assert flips == {(0, 1, 2), (9, 10, 11)}


def test_transform_first_dataloader_pipeline():
    from mxtorch.gluon.data.vision import transforms as T
    images = mx.nd.array(np.random.RandomState(0).randint(0, 256, (10, 8, 8, 3)), dtype="uint8")
    ds = gd.ArrayDataset(images, np.arange(10, dtype="float32")).transform_first(
        T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.2, 0.2, 0.2))]))
    ref = [_np(b) for b in gd.DataLoader(ds, 4)]
    got = [_np(b) for b in gd.DataLoader(ds, 4, num_workers=2)]
    assert ref[0][0].shape == (4, 3, 8, 8)
    for g, r in zip(got, ref):
        np.testing.assert_array_equal(g[0], r[0])
        np.testing.assert_array_equal(g[1], r[1])


def test_batched_transform_first_equals_per_sample():
    from mxtorch.gluon.data.vision import transforms as T
    images = mx.nd.array(np.random.RandomState(1).randint(0, 256, (23, 9, 7, 3)), dtype="uint8")
    fn = T.Compose([T.ToTensor(), T.Normalize((0.4, 0.5, 0.6), (0.2, 0.3, 0.25))])
    ds = gd.ArrayDataset(images, np.arange(23)).transform_first(fn)
    loader = gd.DataLoader(ds, 10)
    assert loader._fetcher.plan is not None  # the batched path is taken
    got = [_np(b) for b in loader]
    want = [np.stack([fn(images[i]).asnumpy() for i in range(s, min(s + 10, 23))])
            for s in range(0, 23, 10)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g[0], w)
    lazy = gd.ArrayDataset(images, np.arange(23)).transform_first(lambda x: x)
    assert gd.DataLoader(lazy, 10)._fetcher.plan is None  # arbitrary functions: per sample


def _send_through_queue(queue, done):
    queue.put(mx.nd.arange(6).reshape((2, 3)) * 2)
    done.wait(30)  # the shared memory is handed over while the sender lives


def test_shared_memory_queue_plumbing():
    ctx = multiprocessing.get_context("fork")
    queue, done = gd.dataloader.Queue(), ctx.Event()
    proc = ctx.Process(target=_send_through_queue, args=(queue, done))
    proc.start()
    got = queue.get(timeout=30)
    done.set()
    proc.join(30)
    assert isinstance(got, mx.nd.NDArray)
    np.testing.assert_array_equal(got.asnumpy(), np.arange(6).reshape(2, 3) * 2)
    fn, args = gd.dataloader.reduce_ndarray(mx.nd.ones((2, 2)))
    assert fn(*args).shape == (2, 2)


_EXIT_SCRIPT = """
import os, sys
import numpy as np
import mxtorch as mx
loader = mx.gluon.data.DataLoader(mx.gluon.data.SimpleDataset(list(range(400))), 2,
                                  num_workers=2)
for i, batch in enumerate(loader):
    if i == 3:
        break
import multiprocessing
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
sys.exit(0)  # no clean-up: interpreter exit must stop the workers
"""


def test_interpreter_exit_stops_workers():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", _EXIT_SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2
    deadline = time.time() + 10
    while time.time() < deadline and any(_running(p) for p in pids):
        time.sleep(0.1)
    assert not any(_running(p) for p in pids)


def _running(pid):
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except OSError:
        return False


def test_array_dataset_gather_equals_per_sample():
    rng = np.random.RandomState(3)
    ds = gd.ArrayDataset(mx.nd.array(rng.randint(0, 9, (13, 2, 3)), dtype="int32"),
                         rng.uniform(size=13).astype("float16"), mx.nd.arange(13),
                         np.arange(13) % 2 == 0)
    slow = gd.dataloader.default_batchify_fn
    np.random.seed(1)
    fast = [_np(b) for b in gd.DataLoader(ds, 5, shuffle=True)]
    np.random.seed(1)
    ref = [_np(b) for b in gd.DataLoader(ds, 5, shuffle=True, batchify_fn=lambda s: slow(s))]
    for f, r in zip(fast, ref):
        for a, b in zip(f, r):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    single = next(iter(gd.DataLoader(gd.ArrayDataset(np.arange(6.0)), 4)))
    assert isinstance(single, mx.nd.NDArray) and single.dtype == np.float64
