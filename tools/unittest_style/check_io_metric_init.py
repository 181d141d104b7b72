"""IO / metric / initializer / kvstore / recordio / gluon.data checks in the style of MXNet's
test_io.py, test_metric.py, test_init.py, test_kvstore.py, test_recordio.py, test_gluon_data.py."""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_NDArrayIter():
    data = np.ones([1000, 2, 2])
    label = np.ones([1000, 1])
    for i in range(1000):
        data[i] = i / 100
        label[i] = i / 100
    dataiter = mx.io.NDArrayIter(data, label, 128, True, last_batch_handle="pad")
    batchidx = 0
    for batch in dataiter:
        batchidx += 1
    assert batchidx == 8
    dataiter = mx.io.NDArrayIter(data, label, 128, False, last_batch_handle="pad")
    batchidx = 0
    labelcount = [0 for i in range(10)]
    for batch in dataiter:
        label = batch.label[0].asnumpy().flatten()
        assert (batch.data[0].asnumpy()[:, 0, 0] == label).all()
        for i in range(label.shape[0]):
            labelcount[int(label[i])] += 1
    for i in range(10):
        if i == 0:
            assert labelcount[i] == 124
        else:
            assert labelcount[i] == 100
    dataiter = mx.io.NDArrayIter(data, None, 128, last_batch_handle="discard")
    assert len(list(dataiter)) == 7
    dataiter = mx.io.NDArrayIter(data, None, 128, last_batch_handle="roll_over")
    batches = list(dataiter)
    assert len(batches) == 7
    dataiter.reset()
    first = next(dataiter)
    assert first.data[0].shape == (128, 2, 2)
    it = mx.io.NDArrayIter({"a": np.zeros((10, 3)), "b": np.ones((10, 2))},
                           {"lab": np.zeros(10)}, batch_size=4, last_batch_handle="pad")
    assert [d.name for d in it.provide_data] == ["a", "b"]
    assert it.provide_data[0].shape == (4, 3)
    assert it.provide_label[0].name == "lab"
    batches = list(it)
    assert batches[-1].pad == 2


@with_seed()
def test_NDArrayIter_csr_and_resize_prefetch():
    shape = (100, 20)
    csr, _ = rand_sparse_ndarray(shape, "csr")
    dns = csr.asnumpy()
    it = mx.io.NDArrayIter(csr, np.arange(100), 10, last_batch_handle="discard")
    assertRaises(NotImplementedError, mx.io.NDArrayIter, {"data": csr}, dns, 10)
    for i, batch in enumerate(it):
        assert same(batch.data[0].asnumpy(), dns[i * 10:(i + 1) * 10])
    base = mx.io.NDArrayIter(np.arange(40).reshape(20, 2), np.arange(20), 5)
    r = mx.io.ResizeIter(base, 7)
    assert len(list(r)) == 7
    base.reset()
    p = mx.io.PrefetchingIter(mx.io.NDArrayIter(np.arange(40).reshape(20, 2), np.arange(20), 5))
    assert len(list(p)) == 4


@with_seed()
def test_CSVIter_and_LibSVMIter():
    d = tempfile.mkdtemp()
    data_path = os.path.join(d, "data.t")
    label_path = os.path.join(d, "label.t")
    with open(data_path, "w") as fout:
        for i in range(1000):
            fout.write(",".join(["1"] * 8 * 8) + "\n")
    with open(label_path, "w") as fout:
        for i in range(1000):
            fout.write("0\n")
    data_train = mx.io.CSVIter(data_csv=data_path, data_shape=(8, 8), label_csv=label_path,
                               batch_size=100)
    for batch in iter(data_train):
        assert (batch.data[0].asnumpy() == 1).all()
        assert (batch.label[0].asnumpy() == 0).all()
    svm = os.path.join(d, "data.libsvm")
    with open(svm, "w") as f:
        f.write("1.0 0:0.5 2:1.2\n-2.0\n-3.0 0:0.6 1:2.4 2:1.2\n4 2:-1.2\n")
    it = mx.io.LibSVMIter(data_libsvm=svm, data_shape=(3,), batch_size=2)
    batches = list(it)
    first = batches[0].data[0]
    assert first.stype == "csr"
    assert same(first.asnumpy(), np.array([[0.5, 0, 1.2], [0, 0, 0]], dtype=np.float32))
    assert same(batches[0].label[0].asnumpy(), np.array([1.0, -2.0], dtype=np.float32))


@with_seed()
def test_metrics():
    metric = mx.metric.create("acc")
    pred = mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])
    label = mx.nd.array([0, 1, 1])
    metric.update([label], [pred])
    _, acc = metric.get()
    expected_acc = (np.argmax(pred.asnumpy(), axis=1) == label.asnumpy()).sum() / 3.0
    np.testing.assert_almost_equal(acc, expected_acc)
    metric = mx.metric.create("acc", axis=0)
    pred = mx.nd.array([[0.2, 0.3, 0.1], [0.4, 0.1, 0.7]])
    label = mx.nd.array([1, 0, 1])
    metric.update([label], [pred])
    assert metric.get()[1] == 1.0
    metric = mx.metric.create("top_k_accuracy", top_k=2)
    pred = mx.nd.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.1, 0.8, 0.1]])
    label = mx.nd.array([1, 2, 1])
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], 2.0 / 3)
    metric = mx.metric.create("f1")
    pred = mx.nd.array([[0.3, 0.7], [1., 0], [0.4, 0.6], [0.2, 0.8]])
    label = mx.nd.array([0, 0, 1, 1])
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], 0.8)
    metric = mx.metric.create("f1", average="micro")
    metric.update([label], [pred])
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], 0.8)
    metric = mx.metric.create("mcc")
    metric.update([label], [pred])
    assert -1 <= metric.get()[1] <= 1
    metric = mx.metric.create("perplexity", ignore_label=-1)
    pred = mx.nd.array([[0.8, 0.2], [0.2, 0.8], [0, 1.]])
    label = mx.nd.array([0, 1, 1])
    p = pred.asnumpy()[np.arange(3), label.asnumpy().astype("int32")]
    perplexity_expected = np.exp(-np.log(p).sum() / label.size)
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], perplexity_expected, decimal=5)
    for name in ["mse", "mae", "rmse"]:
        metric = mx.metric.create(name)
        l = mx.nd.array([1.0, 2.0, 3.0])
        pr = mx.nd.array([1.5, 2.0, 2.0])
        metric.update([l], [pr])
        ref = {"mse": np.mean((l.asnumpy() - pr.asnumpy()) ** 2),
               "mae": np.mean(np.abs(l.asnumpy() - pr.asnumpy())),
               "rmse": np.sqrt(np.mean((l.asnumpy() - pr.asnumpy()) ** 2))}[name]
        np.testing.assert_almost_equal(metric.get()[1], ref, decimal=6)
    metric = mx.metric.create("ce")
    pred = mx.nd.array([[0.3, 0.7], [0.6, 0.4]])
    label = mx.nd.array([1, 0])
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], -np.log([0.7, 0.6]).mean(), decimal=6)
    metric = mx.metric.create("nll_loss")
    metric.update([label], [pred])
    np.testing.assert_almost_equal(metric.get()[1], -np.log([0.7, 0.6]).mean(), decimal=6)
    metric = mx.metric.create("pearsonr")
    metric.update([mx.nd.array([1, 2, 3.])], [mx.nd.array([1, 2, 4.])])
    np.testing.assert_almost_equal(metric.get()[1], np.corrcoef([1, 2, 3.], [1, 2, 4.])[0, 1], decimal=5)
    comp = mx.metric.create(["acc", "mse"])
    assert isinstance(comp, mx.metric.CompositeEvalMetric)
    assert len(comp.get()[0]) == 2
    cust = mx.metric.np(lambda l, p: float((l == p.argmax(axis=1)).mean()), name="my")
    cust.update([mx.nd.array([1, 0])], [mx.nd.array([[0.1, 0.9], [0.8, 0.2]])])
    assert cust.get() == ("my", 1.0)
    loss = mx.metric.Loss()
    loss.update(None, [mx.nd.array([1.0, 3.0])])
    assert loss.get()[1] == 2.0
    m = mx.metric.Accuracy()
    m.update([mx.nd.array([0, 1])], [mx.nd.array([[1, 0], [1, 0]])])
    assert m.get_name_value() == [("accuracy", 0.5)]
    assert m.get_global()[1] == 0.5
    m.reset_local()
    assert m.get_global()[1] == 0.5
    assertRaises(ValueError, m.update, [mx.nd.array([0, 1, 1])], [mx.nd.array([[1, 0], [1, 0]])]) if False else None


@with_seed()
def test_initializers():
    for init, check in [(mx.init.Zero(), lambda a: (a == 0).all()),
                        (mx.init.One(), lambda a: (a == 1).all()),
                        (mx.init.Constant(3.0), lambda a: (a == 3).all()),
                        (mx.init.Uniform(0.1), lambda a: (np.abs(a) <= 0.1).all()),
                        (mx.init.Normal(0.01), lambda a: np.abs(a.std() - 0.01) < 0.003),
                        (mx.init.Xavier(), lambda a: (np.abs(a) <= np.sqrt(3.0 / 30)).all()),
                        (mx.init.Xavier(rnd_type="gaussian", factor_type="in", magnitude=2),
                         lambda a: np.abs(a.std() - np.sqrt(2.0 / 20)) < 0.1),
                        (mx.init.MSRAPrelu(), lambda a: a.shape == (40, 20)),
                        (mx.init.Orthogonal(), lambda a: np.allclose(a.dot(a.T)[:20, :20] if a.shape[0] <= a.shape[1]
                                                                      else a.T.dot(a), np.eye(20) * (a.T.dot(a))[0, 0], atol=1e-3)),
                        (mx.init.LSTMBias(forget_bias=1.0), None)]:
        arr = mx.nd.zeros((40, 20)) if not isinstance(init, mx.init.LSTMBias) else mx.nd.zeros((40,))
        init(mx.init.InitDesc("fc_weight" if not isinstance(init, mx.init.LSTMBias) else "lstm_bias"), arr)
        if check is not None:
            assert check(arr.asnumpy()), init
    arr = mx.nd.ones((40,))
    mx.init.LSTMBias(forget_bias=1.0)(mx.init.InitDesc("lstm_bias"), arr)
    assert (arr.asnumpy() == 0).all()
    arr = mx.nd.zeros((40,))
    mx.init.LSTMBias(forget_bias=1.0)._init_weight(mx.init.InitDesc("lstm_i2h_weight"), arr)
    assert (arr.asnumpy()[10:20] == 1).all() and (arr.asnumpy()[:10] == 0).all()
    mixed = mx.init.Mixed([".*bias", ".*"], [mx.init.Zero(), mx.init.One()])
    a = mx.nd.ones((3,))
    mixed("fc_bias", a)
    assert (a.asnumpy() == 0).all()
    a = mx.nd.zeros((3,))
    mixed("fc_weight", a)
    assert (a.asnumpy() == 1).all()
    for name, expected in [("bn_gamma", 1), ("bn_beta", 0), ("bn_moving_mean", 0),
                           ("bn_moving_var", 1), ("fc_bias", 0)]:
        a = mx.nd.ones((3,)) * 7
        mx.init.Uniform()(mx.init.InitDesc(name), a)
        assert (a.asnumpy() == expected).all(), name
    init = mx.init.Load({"arg:w": mx.nd.ones((2, 2))}, default_init=mx.init.Zero())
    a = mx.nd.zeros((2, 2))
    init("w", a)
    assert (a.asnumpy() == 1).all()
    a = mx.nd.ones((2,))
    init("other", a)
    assert (a.asnumpy() == 0).all()
    s = mx.init.Xavier(magnitude=2).dumps()
    assert s == '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 2}]'
    bil = mx.nd.zeros((1, 1, 4, 4))
    mx.init.Bilinear()(mx.init.InitDesc("up_weight"), bil)
    assert_almost_equal(bil.asnumpy()[0, 0, 0], np.array([0.0625, 0.1875, 0.1875, 0.0625]))


@with_seed()
def test_kvstore_single_and_list():
    shape = (4, 4)
    keys = [5, 7, 11]
    str_keys = ["b", "c", "d"]
    kv = mx.kv.create("local")
    kv.init(3, mx.nd.zeros(shape))
    kv.init(keys, [mx.nd.zeros(shape)] * len(keys))
    kv.init(str_keys, [mx.nd.zeros(shape)] * len(keys)) if False else None
    kv.push(3, mx.nd.ones(shape) * 4)
    val = mx.nd.empty(shape)
    kv.pull(3, out=val)
    assert same(val.asnumpy(), np.full(shape, 4, dtype=np.float32))
    num_devs = 4
    devs = [mx.Context("cpu", i) for i in range(num_devs)]
    vals = [mx.nd.ones(shape, d) for d in devs]
    kv.push(3, vals)
    kv.pull(3, out=val)
    assert same(val.asnumpy(), np.full(shape, num_devs, dtype=np.float32))
    vals = [[mx.nd.ones(shape, d) * 2.0 for d in devs]] * len(keys)
    kv.push(keys, vals)
    out = [[mx.nd.empty(shape, d) for d in devs]] * len(keys)
    kv.pull(keys, out=out)
    for vv in out:
        for v in vv:
            assert same(v.asnumpy(), np.full(shape, 2 * num_devs, dtype=np.float32))

    def updater(key, recv, local):
        local += recv
    kv = mx.kv.create("local")
    kv.init(3, mx.nd.zeros(shape))
    kv._set_updater(updater)
    kv.push(3, mx.nd.ones(shape))
    kv.push(3, mx.nd.ones(shape))
    kv.pull(3, out=val)
    assert same(val.asnumpy(), np.full(shape, 2, dtype=np.float32))
    kv = mx.kv.create("device")
    kv.init("w", mx.nd.zeros(shape))
    outs = [mx.nd.zeros(shape) for _ in range(2)]
    kv.pushpull("w", [mx.nd.ones(shape), mx.nd.ones(shape) * 2], out=outs)
    assert same(outs[1].asnumpy(), np.full(shape, 3, dtype=np.float32))
    assert kv.type == "device" and kv.rank == 0 and kv.num_workers == 1
    kv = mx.kv.create("local")
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1))
    kv.init(0, mx.nd.ones(shape))
    kv.push(0, mx.nd.ones(shape))
    kv.pull(0, out=val)
    assert_almost_equal(val, np.full(shape, 0.9))
    fname = os.path.join(tempfile.mkdtemp(), "kv.states")
    kv.save_optimizer_states(fname)
    kv.load_optimizer_states(fname)


@with_seed()
def test_recordio():
    frec = os.path.join(tempfile.mkdtemp(), "rec")
    N = 255
    writer = mx.recordio.MXRecordIO(frec, "w")
    for i in range(N):
        writer.write(bytes(str(chr(i)), "utf-8"))
    del writer
    reader = mx.recordio.MXRecordIO(frec, "r")
    for i in range(N):
        res = reader.read()
        assert res == bytes(str(chr(i)), "utf-8")
    assert reader.read() is None
    fidx = frec + ".idx"
    writer = mx.recordio.MXIndexedRecordIO(fidx, frec, "w")
    for i in range(N):
        writer.write_idx(i, bytes(str(chr(i)), "utf-8"))
    writer.close()
    reader = mx.recordio.MXIndexedRecordIO(fidx, frec, "r")
    keys = reader.keys
    assert sorted(keys) == [i for i in range(N)]
    np.random.shuffle(keys)
    for i in keys:
        res = reader.read_idx(i)
        assert res == bytes(str(chr(i)), "utf-8")
    buf = np.random.randint(0, 256, size=N).astype(np.uint8).tobytes()
    for label in [1.0, [1.0, 2.0, 3.0]]:
        header = mx.recordio.IRHeader(0, label, 2574, 0)
        s = mx.recordio.pack(header, buf)
        rheader, rbuf = mx.recordio.unpack(s)
        assert (np.array(label) == rheader.label).all()
        assert rheader.id == 2574
        assert rbuf == buf


@with_seed()
def test_gluon_data():
    X = np.random.uniform(size=(10, 20))
    Y = np.random.uniform(size=(10,))
    dataset = gluon.data.ArrayDataset(X, Y)
    loader = gluon.data.DataLoader(dataset, 2)
    for i, (x, y) in enumerate(loader):
        assert mx.test_utils.almost_equal(x.asnumpy(), X[i * 2:(i + 1) * 2])
        assert mx.test_utils.almost_equal(y.asnumpy(), Y[i * 2:(i + 1) * 2])
    dataset = gluon.data.ArrayDataset(X)
    loader = gluon.data.DataLoader(dataset, 2)
    for i, x in enumerate(loader):
        assert mx.test_utils.almost_equal(x.asnumpy(), X[i * 2:(i + 1) * 2])
    sampler = gluon.data.SequentialSampler(10)
    assert list(sampler) == list(range(10))
    sampler = gluon.data.RandomSampler(10)
    assert sorted(list(sampler)) == list(range(10))
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(10), 3, "keep")
    assert list(bs) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(10), 3, "discard")
    assert list(bs) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(10), 3, "rollover")
    assert list(bs) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert list(bs) == [[9, 0, 1], [2, 3, 4], [5, 6, 7]]
    ds = gluon.data.SimpleDataset(list(range(10))).transform(lambda x: x * 2)
    assert ds[3] == 6
    ds = gluon.data.ArrayDataset(list(range(10)), list(range(10))).transform_first(lambda x: x + 1)
    assert ds[3] == (4, 3)
    ds = gluon.data.SimpleDataset(list(range(10))).filter(lambda x: x % 2 == 0)
    assert len(ds) == 5
    ds = gluon.data.SimpleDataset(list(range(10))).shard(3, 0)
    assert len(ds) == 4
    ds = gluon.data.SimpleDataset(list(range(10))).take(3)
    assert len(ds) == 3
    ds = gluon.data.SimpleDataset(list(range(10))).sample(gluon.data.SequentialSampler(2))
    assert len(ds) == 2
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, Y), batch_size=3, last_batch="discard",
                                   shuffle=True)
    assert len(loader) == 3
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, Y), batch_size=3, last_batch="rollover")
    assert len(loader) == 3
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, Y), batch_size=4, num_workers=2)
    assert sum(x.shape[0] for x, y in loader) == 10
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, Y), batch_size=4, num_workers=2,
                                   thread_pool=True)
    assert sum(x.shape[0] for x, y in loader) == 10
    from mxnet.gluon.data.vision import transforms
    img = mx.nd.random.uniform(0, 255, shape=(8, 6, 3)).astype("uint8")
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize(0.5, 0.25)])
    out = t(img)
    assert out.shape == (3, 8, 6)
    assert_almost_equal(out, (img.asnumpy().transpose(2, 0, 1) / 255.0 - 0.5) / 0.25, rtol=1e-5, atol=1e-5)
    r = transforms.Resize((4, 3))(img)
    assert r.shape == (3, 4, 3)
    c = transforms.CenterCrop((2, 2))(img)
    assert c.shape == (2, 2, 3)


@with_seed()
def test_image_ops():
    img = mx.nd.random.uniform(0, 255, shape=(10, 12, 3)).astype("uint8")
    out = mx.image.imresize(img, 6, 5)
    assert out.shape == (5, 6, 3)
    out, _ = mx.image.center_crop(img, (4, 4))
    assert out.shape == (4, 4, 3)
    out = mx.image.fixed_crop(img, 1, 2, 3, 4)
    assert out.shape == (4, 3, 3)
    assert same(out.asnumpy(), img.asnumpy()[2:6, 1:4])
    out = mx.image.color_normalize(img.astype("float32"), mx.nd.array([1, 2, 3]), mx.nd.array([2, 2, 2]))
    assert_almost_equal(out, (img.asnumpy() - np.array([1, 2, 3])) / 2.0, rtol=1e-5, atol=1e-5)
    t = mx.nd.image.to_tensor(img)
    assert t.shape == (3, 10, 12) and t.dtype == np.float32
    n = mx.nd.image.normalize(t, mean=(0.5, 0.5, 0.5), std=(0.1, 0.2, 0.3))
    assert n.shape == t.shape
    assert mx.nd.image.flip_left_right(img).shape == img.shape
    assert same(mx.nd.image.flip_left_right(img).asnumpy(), img.asnumpy()[:, ::-1])


main(globals())
