"""mx.io checks in the style of MXNet 1.9.1's test_io.py (round 5).

Run through ``tools/unittest_style/run.py --only modio5`` (real MXNet and mxtorch).
"""
import gzip
import os
import struct
import tempfile

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _epoch(it):
    out = []
    for batch in it:
        out.append(([d.asnumpy().copy() for d in batch.data],
                    [l.asnumpy().copy() for l in (batch.label or [])], batch.pad))
    return out


@with_seed()
def test_ndarrayiter_last_batch_handles_shuffle():
    data = np.arange(70).reshape(35, 2).astype(np.float32)
    label = np.arange(35).astype(np.float32)
    expect = {"pad": (4, 5), "discard": (3, 0), "roll_over": (3, 0)}
    for handle, (nbatch, last_pad) in expect.items():
        for shuffle in (False, True):
            it = mx.io.NDArrayIter(data, label, batch_size=10, shuffle=shuffle,
                                   last_batch_handle=handle)
            batches = _epoch(it)
            assert len(batches) == nbatch, (handle, shuffle, len(batches))
            assert batches[-1][2] == last_pad, (handle, batches[-1][2])
            for d, l, pad in batches:
                # rows keep their label whatever the order
                assert same(d[0][:, 0] / 2, l[0])
            seen = np.concatenate([b[1][0][:10 - b[2]] for b in batches])
            if handle == "pad":
                assert sorted(seen.tolist()) == list(range(35))
            if not shuffle and handle != "roll_over":
                assert seen[0] == 0
            it.reset()
            second = _epoch(it)
            if handle == "roll_over":
                # the 5 leftover rows open the next epoch (completed, reported with pad 5)
                assert len(second) == 4 and second[0][2] == 5
            else:
                assert len(second) == nbatch
            it.hard_reset()
            assert len(_epoch(it)) == nbatch


@with_seed()
def test_ndarrayiter_dict_list_and_names():
    a = np.random.uniform(size=(9, 3)).astype(np.float32)
    b = np.random.uniform(size=(9, 2, 2)).astype(np.float32)
    it = mx.io.NDArrayIter({"x": a, "y": b}, {"lbl": np.arange(9)}, batch_size=4,
                           last_batch_handle="pad")
    assert [d.name for d in it.provide_data] == ["x", "y"]
    assert [d.shape for d in it.provide_data] == [(4, 3), (4, 2, 2)]
    assert it.provide_label[0].name == "lbl" and it.provide_label[0].shape == (4,)
    batches = _epoch(it)
    assert len(batches) == 3 and batches[-1][2] == 3
    assert same(batches[-1][0][0][:1], a[8:9])
    assert same(batches[-1][0][0][1:], a[:3])
    it = mx.io.NDArrayIter([a, b], None, batch_size=4, last_batch_handle="discard")
    assert [d.name for d in it.provide_data] == ["_0_data", "_1_data"]
    assert it.provide_label == []
    it = mx.io.NDArrayIter(mx.nd.array(a), mx.nd.arange(9), batch_size=3, data_name="d",
                           label_name="l")
    assert it.provide_data[0].name == "d" and it.provide_label[0].name == "l"
    assert it.provide_data[0].dtype == np.float32
    # numpy float64 becomes float32 (mx.nd.array's default)
    it = mx.io.NDArrayIter(a.astype(np.float64), batch_size=3)
    assert it.provide_data[0].dtype == np.float32
    assert next(it).data[0].dtype == np.float32
    it = mx.io.NDArrayIter(mx.nd.array(a, dtype="float64"), batch_size=3)
    assert next(it).data[0].dtype == np.float64


@with_seed()
def test_ndarrayiter_csr():
    dense = np.zeros((10, 6), np.float32)
    dense[np.arange(10), np.arange(10) % 6] = np.arange(1, 11)
    csr = mx.nd.sparse.csr_matrix(dense)
    label = np.arange(10).astype(np.float32)
    it = mx.io.NDArrayIter(csr, label, batch_size=4, last_batch_handle="discard")
    batches = list(it)
    assert len(batches) == 2
    # MXNet 1.9.1 hands out dense slices here (storage fallback); mxtorch keeps csr
    assert batches[0].data[0].stype in ("csr", "default")
    assert same(batches[1].data[0].asnumpy(), dense[4:8])
    assert it.provide_data[0].shape == (4, 6)
    it = mx.io.NDArrayIter({"csr": csr, "dense": dense}, {"lbl": label}, batch_size=5,
                           last_batch_handle="discard")
    b = next(it)
    assert b.data[0].stype in ("csr", "default") and b.data[1].stype == "default"
    assert same(b.data[0].asnumpy(), dense[:5])
    assertRaises(Exception, mx.io.NDArrayIter, csr, label, batch_size=4, shuffle=True,
                 last_batch_handle="pad")


@with_seed()
def test_csviter_args():
    d = tempfile.mkdtemp()
    data_path = os.path.join(d, "data.csv")
    label_path = os.path.join(d, "label.csv")
    data = np.arange(42).reshape(14, 3).astype(np.float32)
    np.savetxt(data_path, data, delimiter=",", fmt="%g")
    np.savetxt(label_path, np.arange(14).reshape(14, 1), delimiter=",", fmt="%g")
    for round_batch, nb, pad in ((True, 3, 1), (False, 3, 1)):
        it = mx.io.CSVIter(data_csv=data_path, data_shape=(3,), label_csv=label_path,
                           label_shape=(1,), batch_size=5, round_batch=round_batch)
        batches = _epoch(it)
        assert len(batches) == nb, (round_batch, len(batches))
        assert batches[-1][2] == pad
        assert same(batches[0][0][0], data[:5])
        assert batches[0][1][0].shape == (5,)
    it = mx.io.CSVIter(data_csv=data_path, data_shape=(1, 3), batch_size=7, dtype="int32")
    b = next(it)
    assert b.data[0].shape == (7, 1, 3) and b.data[0].dtype == np.int32
    assert b.label[0].shape == (7,) and (b.label[0].asnumpy() == 0).all()
    assert it.provide_data[0].name == "data" and it.provide_label[0].name == "softmax_label"


@with_seed()
def test_libsvmiter_args():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "data.libsvm")
    with open(path, "w") as f:
        f.write("1 0:1.5 3:2\n0 1:-1\n2 2:4 5:0.5\n1 0:3\n0 4:7 5:1\n")
    it = mx.io.LibSVMIter(data_libsvm=path, data_shape=(6,), batch_size=2)
    batches = list(it)
    assert len(batches) == 3 and batches[-1].pad == 1
    b0 = batches[0]
    assert b0.data[0].stype == "csr"
    assert same(b0.data[0].asnumpy(), np.array([[1.5, 0, 0, 2, 0, 0], [0, -1, 0, 0, 0, 0]],
                                               np.float32))
    assert same(b0.label[0].asnumpy(), np.array([1, 0], np.float32))
    assert same(batches[2].data[0].asnumpy()[0], np.array([0, 0, 0, 0, 7, 1], np.float32))
    it.reset()
    # round_batch: the second epoch starts after the row borrowed by the padded batch
    assert [b.label[0].asnumpy().tolist() for b in it] == [[0, 2], [1, 0]]
    it.reset()
    assert len(list(it)) == 3
    lpath = os.path.join(d, "label.libsvm")
    with open(lpath, "w") as f:
        f.write("0 0:1 1:1\n0 1:1\n0 0:1\n0 1:2\n0 0:3\n")
    it = mx.io.LibSVMIter(data_libsvm=path, data_shape=(6,), label_libsvm=lpath,
                          label_shape=(2,), batch_size=3)
    b = next(it)
    assert b.label[0].stype == "csr"
    assert same(b.label[0].asnumpy(), np.array([[1, 1], [0, 1], [1, 0]], np.float32))
    b = next(it)
    assert b.pad == 1 and b.label[0].stype == "csr"
    assert same(b.label[0].asnumpy(), np.array([[0, 2], [3, 0], [1, 1]], np.float32))


@with_seed()
def test_libsvmiter_and_image_record_parts():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "parts.libsvm")
    rng = np.random.RandomState(0)
    widths = [1, 9, 2, 1, 15, 1, 1, 3, 1, 6, 2]
    with open(path, "w") as f:
        for i, k in enumerate(widths):
            f.write("%d %s\n" % (i, " ".join("%d:%.3f" % (j, rng.rand()) for j in range(k))))
    # parts split the file's bytes (a line belongs to the part its start falls in)
    expect = {3: [[0, 1, 2, 3, 4], [5], [6, 7, 8, 9, 10]], 4: [[0, 1, 2], [3, 4]]}
    for n, parts in expect.items():
        for k, rows in enumerate(parts):
            it = mx.io.LibSVMIter(data_libsvm=path, data_shape=(20,), batch_size=1,
                                  num_parts=n, part_index=k)
            assert [int(b.label[0].asnumpy()[0]) for b in it] == rows, (n, k)
    rec_path = os.path.join(d, "parts.rec")
    idx_path = os.path.join(d, "parts.idx")
    rec = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i, s in enumerate([4, 30, 6, 5, 40, 4, 4, 8, 3, 20, 7]):
        img = rng.randint(0, 256, size=(s, s, 3)).astype(np.uint8)
        rec.write_idx(i, mx.recordio.pack_img(mx.recordio.IRHeader(0, float(i), i, 0), img,
                                              img_fmt=".png"))
    rec.close()

    def labels(n, k, idx):
        kw = {"path_imgidx": idx_path} if idx else {}
        it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 4, 4), batch_size=1,
                                   num_parts=n, part_index=k, **kw)
        return [int(b.label[0].asnumpy()[0]) for b in it]
    # with an index: ceil(n / num_parts) records a part; without: by bytes
    assert labels(2, 0, True) == [0, 1, 2, 3, 4, 5]
    assert labels(3, 1, True) == [4, 5, 6, 7]
    assert labels(4, 3, True) == [9, 10]
    assert labels(2, 1, False) == [5, 6, 7, 8, 9, 10]
    assert labels(4, 1, False) == [2, 3, 4]
    assert labels(4, 3, False) == [5, 6, 7, 8, 9, 10]


def _write_mnist(d, n=20):
    rng = np.random.RandomState(3)
    img = rng.randint(0, 256, size=(n, 28, 28)).astype(np.uint8)
    lbl = (np.arange(n) % 10).astype(np.uint8)
    ipath = os.path.join(d, "img-idx3-ubyte.gz")
    lpath = os.path.join(d, "lbl-idx1-ubyte.gz")
    with gzip.open(ipath, "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + img.tobytes())
    with gzip.open(lpath, "wb") as f:
        f.write(struct.pack(">II", 2049, n) + lbl.tobytes())
    raw_i = os.path.join(d, "img-idx3-ubyte")
    raw_l = os.path.join(d, "lbl-idx1-ubyte")
    with open(raw_i, "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + img.tobytes())
    with open(raw_l, "wb") as f:
        f.write(struct.pack(">II", 2049, n) + lbl.tobytes())
    return raw_i, raw_l, img, lbl


@with_seed()
def test_mnistiter_generated_files():
    d = tempfile.mkdtemp()
    ipath, lpath, img, lbl = _write_mnist(d)
    it = mx.io.MNISTIter(image=ipath, label=lpath, batch_size=6, shuffle=False, flat=False)
    batches = _epoch(it)
    # the incomplete last batch is dropped; pixels are scaled by 1/256
    assert len(batches) == 3 and batches[-1][2] == 0
    assert batches[0][0][0].shape == (6, 1, 28, 28)
    assert_almost_equal(batches[0][0][0][:, 0], img[:6] / 256.0, rtol=1e-6, atol=1e-7)
    assert same(batches[0][1][0], lbl[:6].astype(np.float32))
    it = mx.io.MNISTIter(image=ipath, label=lpath, batch_size=5, shuffle=False, flat=True)
    b = next(it)
    assert b.data[0].shape == (5, 784)
    assert it.provide_data[0].shape == (5, 784)
    it = mx.io.MNISTIter(image=ipath, label=lpath, batch_size=5, shuffle=False,
                         num_parts=2, part_index=1)
    b = next(it)
    assert same(b.label[0].asnumpy(), lbl[10:15].astype(np.float32))
    it = mx.io.MNISTIter(image=ipath, label=lpath, batch_size=5, shuffle=True, seed=3)
    labels = np.concatenate([b.label[0].asnumpy() for b in it])
    assert sorted(labels.tolist()) == sorted(lbl.astype(np.float32).tolist())


@with_seed()
def test_resize_and_prefetching_iter():
    x = np.arange(20).reshape(10, 2).astype(np.float32)
    base = mx.io.NDArrayIter(x, np.arange(10), batch_size=3, last_batch_handle="discard")
    rit = mx.io.ResizeIter(base, 7)
    assert len(list(rit)) == 7
    rit.reset()
    assert len(list(rit)) == 7
    rit = mx.io.ResizeIter(mx.io.NDArrayIter(x, np.arange(10), batch_size=3), 2,
                           reset_internal=False)
    first = [b.data[0].asnumpy()[0, 0] for b in rit]
    rit.reset()
    second = [b.data[0].asnumpy()[0, 0] for b in rit]
    assert first == [0, 6] and second == [12, 18], (first, second)
    assert rit.provide_data[0].shape == (3, 2)
    i1 = mx.io.NDArrayIter(x, np.arange(10), batch_size=5, data_name="a", label_name="la")
    i2 = mx.io.NDArrayIter(x * 2, np.arange(10), batch_size=5, data_name="b", label_name="lb")
    pit = mx.io.PrefetchingIter([i1, i2])
    assert [d.name for d in pit.provide_data] == ["a", "b"]
    assert [d.name for d in pit.provide_label] == ["la", "lb"]
    n = 0
    for batch in pit:
        assert same(batch.data[1].asnumpy(), 2 * batch.data[0].asnumpy())
        n += 1
    assert n == 2
    pit.reset()
    assert len(list(pit)) == 2
    pit = mx.io.PrefetchingIter(mx.io.NDArrayIter(x, batch_size=5),
                                rename_data=[{"data": "renamed"}])
    assert pit.provide_data[0].name == "renamed"


@with_seed()
def test_datadesc_and_databatch():
    desc = mx.io.DataDesc("data", (2, 3, 4), layout="NCH")
    assert desc.name == "data" and desc.shape == (2, 3, 4)
    assert desc.dtype == np.float32 and desc.layout == "NCH"
    assert repr(desc) == "DataDesc[data,(2, 3, 4),<class 'numpy.float32'>,NCH]"
    assert desc == ("data", (2, 3, 4))
    assert mx.io.DataDesc.get_batch_axis("TNC") == 1
    assert mx.io.DataDesc.get_batch_axis("NCHW") == 0
    descs = mx.io.DataDesc.get_list([("a", (1, 2)), ("b", (3,))],
                                    [("a", np.int32), ("b", np.float16)])
    assert [d.dtype for d in descs] == [np.int32, np.float16]
    assert [d.layout for d in descs] == ["NCHW", "NCHW"]
    b = mx.io.DataBatch([mx.nd.ones((2, 3))], [mx.nd.zeros((2,))], pad=1, index=[4, 5])
    assert b.pad == 1 and list(b.index) == [4, 5]
    assert str(b) == "DataBatch: data shapes: [(2, 3)] label shapes: [(2,)]", str(b)
    b2 = mx.io.DataBatch([mx.nd.ones((2, 3))])
    assert b2.label is None and b2.pad is None
    assert str(b2) == "DataBatch: data shapes: [(2, 3)] label shapes: None", str(b2)
    assertRaises(Exception, mx.io.DataBatch, mx.nd.ones((2, 3)))


def _make_rec(d, n=7, shape=(12, 10, 3)):
    rng = np.random.RandomState(5)
    imgs = [rng.randint(0, 256, size=shape).astype(np.uint8) for _ in range(n)]
    rec_path = os.path.join(d, "img.rec")
    idx_path = os.path.join(d, "img.idx")
    rec = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i, img in enumerate(imgs):
        header = mx.recordio.IRHeader(0, float(i), i, 0)
        rec.write_idx(i, mx.recordio.pack_img(header, img, img_fmt=".png"))
    rec.close()
    return rec_path, idx_path, imgs


@with_seed()
def test_image_record_iter_args():
    d = tempfile.mkdtemp()
    rec_path, idx_path, imgs = _make_rec(d)
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 12, 10), batch_size=3,
                               round_batch=False)
    batches = _epoch(it)
    # (the last batch's pad and filler rows differ: MXNet reports pad 0 over stale rows)
    assert len(batches) == 3
    assert batches[0][0][0].shape == (3, 3, 12, 10)
    # pack_img stores BGR (OpenCV order); the iterator yields RGB
    ref = imgs[1][:, :, ::-1].transpose(2, 0, 1).astype(np.float32)
    assert same(batches[0][0][0][1], ref)
    assert same(batches[0][1][0], np.array([0, 1, 2], np.float32))
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, path_imgidx=idx_path,
                               data_shape=(3, 8, 6), batch_size=4, mean_r=10, mean_g=20,
                               mean_b=30, std_r=2, std_g=4, std_b=8, scale=0.5)
    b = next(it)
    crop = imgs[0][2:10, 2:8, ::-1].transpose(2, 0, 1).astype(np.float32)
    mean = np.array([10, 20, 30], np.float32).reshape(3, 1, 1)
    std = np.array([2, 4, 8], np.float32).reshape(3, 1, 1)
    assert_almost_equal(b.data[0].asnumpy()[0], (crop - mean) * 0.5 / std, rtol=1e-5,
                        atol=1e-5)
    assert it.provide_data[0].shape == (4, 3, 8, 6)
    assert it.provide_label[0].shape == (4,)
    it = mx.io.ImageRecordUInt8Iter(path_imgrec=rec_path, data_shape=(3, 12, 10),
                                    batch_size=2)
    b = next(it)
    assert b.data[0].dtype == np.uint8
    assert same(b.data[0].asnumpy()[0], imgs[0][:, :, ::-1].transpose(2, 0, 1))
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 12, 10), batch_size=7,
                               shuffle=True, seed=11)
    labels = next(it).label[0].asnumpy()
    assert sorted(labels.tolist()) == list(range(7))
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 12, 10), batch_size=2,
                               num_parts=2, part_index=1, round_batch=False)
    labels = np.concatenate([b.label[0].asnumpy() for b in it])
    assert labels.tolist()[:3] == [4, 5, 6], labels
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(1, 12, 10), batch_size=2)
    assert next(it).data[0].shape == (2, 1, 12, 10)
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 12, 10), batch_size=2,
                               rand_mirror=True, rand_crop=True)
    assert next(it).data[0].shape == (2, 3, 12, 10)


@with_seed()
def test_image_record_iter_label_width_and_resize():
    d = tempfile.mkdtemp()
    rec_path = os.path.join(d, "ml.rec")
    rec = mx.recordio.MXRecordIO(rec_path, "w")
    rng = np.random.RandomState(1)
    for i in range(4):
        img = rng.randint(0, 256, size=(16, 20, 3)).astype(np.uint8)
        header = mx.recordio.IRHeader(0, [i, i + 0.5, -i], i, 0)
        rec.write(mx.recordio.pack_img(header, img, img_fmt=".png"))
    rec.close()
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 8, 8), batch_size=2,
                               label_width=3, resize=8)
    b = next(it)
    assert b.label[0].shape == (2, 3)
    assert same(b.label[0].asnumpy(), np.array([[0, 0.5, 0], [1, 1.5, -1]], np.float32))
    assert b.data[0].shape == (2, 3, 8, 8)
    assert it.provide_label[0].shape == (2, 3)


if __name__ == "__main__":
    main(globals())
