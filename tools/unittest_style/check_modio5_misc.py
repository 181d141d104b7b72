"""mx.init / mx.kv / mx.recordio / mx.image / mx.viz / mx.profiler checks in the style of
MXNet 1.9.1's test_init.py, test_kvstore.py, test_recordio.py, test_image.py, test_viz.py and
test_profiler.py (round 5).

Run through ``tools/unittest_style/run.py --only modio5`` (real MXNet and mxtorch).
"""
import contextlib
import io
import json
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _init(initializer, name, shape):
    arr = mx.nd.zeros(shape)
    desc = name if isinstance(name, mx.init.InitDesc) else mx.init.InitDesc(name)
    initializer(desc, arr)
    return arr.asnumpy()


@with_seed()
def test_initializer_name_rules():
    assert same(_init(mx.init.Constant(3), "fc_weight", (2, 2)), np.full((2, 2), 3, np.float32))
    # biases, betas, moving means/vars, quantization ranges follow their names
    assert same(_init(mx.init.Constant(3), "fc_bias", (2,)), np.zeros(2, np.float32))
    assert same(_init(mx.init.Zero(), "bn_gamma", (3,)), np.ones(3, np.float32))
    assert same(_init(mx.init.One(), "bn_beta", (3,)), np.zeros(3, np.float32))
    assert same(_init(mx.init.Zero(), "q_max", (3,)), np.ones(3, np.float32))
    assert same(_init(mx.init.One(), "q_min", (3,)), np.zeros(3, np.float32))
    assert same(_init(mx.init.One(), "stn_loc_bias", (6,)), np.zeros(6, np.float32))
    for name in ("bn_moving_mean", "bn_moving_var", "foo"):
        assertRaises(ValueError, _init, mx.init.One(), name, (3,))
    arr = mx.nd.array([[1, 2], [3, 4]])
    assert same(_init(mx.init.Constant(arr), "fc_weight", (2, 2)), arr.asnumpy())
    desc = mx.init.InitDesc("w_weight", attrs={"__init__": mx.init.Constant(4).dumps()})
    assert same(_init(mx.init.Uniform(), desc, (2,)), np.full(2, 4, np.float32))


@with_seed()
def test_bilinear_lstmbias_mixed_load():
    ref = np.array([[0.0625, 0.1875, 0.1875, 0.0625], [0.1875, 0.5625, 0.5625, 0.1875],
                    [0.1875, 0.5625, 0.5625, 0.1875], [0.0625, 0.1875, 0.1875, 0.0625]])
    assert_almost_equal(_init(mx.init.Bilinear(), "up_weight", (1, 1, 4, 4))[0, 0], ref)
    got = _init(mx.init.Bilinear(), "up_weight", (2, 1, 3, 3))
    assert_almost_equal(got[1, 0], ref[:3, :3])
    bias = mx.nd.zeros((8,))
    mx.init.LSTMBias(forget_bias=2.0)._init_weight(mx.init.InitDesc("lstm_i2h_bias"), bias)
    assert same(bias.asnumpy(), np.array([0, 0, 2, 2, 0, 0, 0, 0], np.float32))
    mixed = mx.init.Mixed([".*bias", ".*"], [mx.init.Constant(5), mx.init.One()])
    assert same(_init(mixed, "a_bias", (2,)), np.zeros(2, np.float32))
    assert same(_init(mixed, "a_weight", (2,)), np.ones(2, np.float32))
    assertRaises(ValueError, _init, mx.init.Mixed(["^x"], [mx.init.One()]), "y_weight", (2,))
    path = os.path.join(tempfile.mkdtemp(), "p.params")
    mx.nd.save(path, {"arg:fc_weight": mx.nd.ones((2, 2)) * 7,
                      "aux:bn_moving_mean": mx.nd.ones((2,)) * 2})
    load = mx.init.Load(path, default_init=mx.init.Constant(9))
    assert same(_init(load, "fc_weight", (2, 2)), np.full((2, 2), 7, np.float32))
    assert same(_init(load, "bn_moving_mean", (2,)), np.full(2, 2, np.float32))
    assert same(_init(load, "fc_bias", (2,)), np.zeros(2, np.float32))
    assertRaises(AssertionError, _init, mx.init.Load({"w": mx.nd.ones((3,))}), "w", (2,))
    assertRaises(AssertionError, _init, mx.init.Load({"w": mx.nd.ones((3,))}), "v", (2,))


@with_seed()
def test_random_initializer_statistics():
    shape = (200, 300)
    fan_in, fan_out = 300, 200
    for fan, n in (("in", fan_in), ("out", fan_out), ("avg", (fan_in + fan_out) / 2.0)):
        a = _init(mx.init.Xavier(rnd_type="uniform", factor_type=fan, magnitude=3), "w_weight",
                  shape)
        bound = np.sqrt(3.0 / n)
        assert np.abs(a).max() <= bound + 1e-6 and abs(a.std() - bound / np.sqrt(3)) < 0.01
        a = _init(mx.init.Xavier(rnd_type="gaussian", factor_type=fan, magnitude=3),
                  "w_weight", shape)
        assert abs(a.std() - np.sqrt(3.0 / n)) < 0.01
    a = _init(mx.init.Xavier(factor_type="in", magnitude=2), "w_weight", (64, 32, 3, 3))
    assert np.abs(a).max() <= np.sqrt(2.0 / (32 * 9)) + 1e-6
    a = _init(mx.init.MSRAPrelu(slope=0.25), "w_weight", shape)
    assert abs(a.std() - np.sqrt(2.0 / (1 + 0.25 ** 2) / 250.0)) < 0.01
    a = _init(mx.init.MSRAPrelu(factor_type="in"), "w_weight", shape)
    assert abs(a.std() - np.sqrt(2.0 / (1 + 0.25 ** 2) / 300.0)) < 0.01
    assertRaises(ValueError, _init, mx.init.Xavier(), "w_weight", (10,))
    assertRaises(ValueError, _init, mx.init.Xavier(factor_type="bad"), "w_weight", (10, 10))
    a = _init(mx.init.Normal(0.5), "w_weight", shape)
    assert abs(a.std() - 0.5) < 0.01
    a = _init(mx.init.Uniform(0.5), "w_weight", shape)
    assert np.abs(a).max() <= 0.5 and abs(a.std() - 0.5 / np.sqrt(3)) < 0.01
    a = _init(mx.init.Orthogonal(scale=1.0), "w_weight", (4, 8))
    assert_almost_equal(a.dot(a.T), np.eye(4), rtol=1e-4, atol=1e-5)


@with_seed()
def test_initializer_dumps_and_create():
    assert json.loads(mx.init.Xavier(factor_type="in", magnitude=2.5).dumps()) == \
        ["xavier", {"rnd_type": "uniform", "factor_type": "in", "magnitude": 2.5}]
    assert json.loads(mx.init.Constant(2).dumps()) == ["constant", {"value": 2}]
    assert json.loads(mx.init.LSTMBias(1.5).dumps()) == ["lstmbias", {"forget_bias": 1.5}]
    assert json.loads(mx.init.Normal().dumps()) == ["normal", {"sigma": 0.01}]
    assert json.loads(mx.init.MSRAPrelu().dumps()) == \
        ["msraprelu", {"factor_type": "avg", "slope": 0.25}]
    assert [type(mx.init.create(n)).__name__ for n in
            ["zeros", "ones", "xavier", "msraprelu", "uniform", "normal", "orthogonal",
             "bilinear"]] == ["Zero", "One", "Xavier", "MSRAPrelu", "Uniform", "Normal",
                              "Orthogonal", "Bilinear"]
    fused = mx.init.FusedRNN(mx.init.One(), num_hidden=2, num_layers=1, mode="lstm",
                             bidirectional=False, forget_bias=1.0)
    arr = mx.nd.zeros((4 * 2 * (3 + 2 + 2),))
    fused._init_weight(mx.init.InitDesc("lstm_parameters"), arr)
    flat = arr.asnumpy()
    assert (flat[:4 * 2 * (3 + 2)] == 1).all()
    assert flat[4 * 2 * (3 + 2):].sum() == 2.0 * 2      # forget-gate biases of i2h and h2h


@with_seed()
def test_kvstore_local_lists_and_str_keys():
    kv = mx.kv.create("local")
    assert kv.type == "local" and kv.rank == 0 and kv.num_workers == 1
    kv.init(3, mx.nd.ones((2, 3)))
    kv.push(3, [mx.nd.ones((2, 3)) * i for i in range(4)])
    out = mx.nd.zeros((2, 3))
    kv.pull(3, out=out)
    assert same(out.asnumpy(), np.full((2, 3), 6, np.float32))
    kv = mx.kv.create("local")          # one store uses either int or str keys
    kv.init(["a", "b"], [mx.nd.ones((2,)) * 2, mx.nd.ones((2,)) * 3])
    kv.push(["a", "b"], [mx.nd.ones((2,)) * 5, mx.nd.ones((2,)) * 6])
    outs = [mx.nd.zeros((2,)), mx.nd.zeros((2,))]
    kv.pull(["a", "b"], out=outs)
    assert same(outs[0].asnumpy(), np.full(2, 5, np.float32))
    assert same(outs[1].asnumpy(), np.full(2, 6, np.float32))
    many = [mx.nd.zeros((2,)) for _ in range(3)]
    kv.pull("a", out=many)
    assert all(same(m.asnumpy(), np.full(2, 5, np.float32)) for m in many)
    res = mx.nd.zeros((2,))
    kv.pushpull("b", [mx.nd.ones((2,)) * 9, mx.nd.ones((2,))], out=res)
    assert same(res.asnumpy(), np.full(2, 10, np.float32))
    assertRaises(mx.base.MXNetError, kv.pull, 7, out=mx.nd.zeros((2,)))
    assertRaises(mx.base.MXNetError, kv.init, "a", mx.nd.ones((2,)))

    def updater(key, inp, stored):
        stored += inp * 2
    kv2 = mx.kv.create("local")
    kv2._set_updater(updater)
    kv2.init(0, mx.nd.ones((2,)))
    kv2.push(0, mx.nd.ones((2,)) * 3)
    kv2.pull(0, out=res)
    assert same(res.asnumpy(), np.full(2, 7, np.float32))


@with_seed()
def test_kvstore_optimizer_states_and_row_sparse():
    kv = mx.kv.create("device")
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv.init("w", mx.nd.ones((2, 2)))
    for _ in range(3):
        kv.push("w", [mx.nd.ones((2, 2)), mx.nd.ones((2, 2)) * 2])
    out = mx.nd.zeros((2, 2))
    kv.pull("w", out=out)
    assert_almost_equal(out.asnumpy(), np.full((2, 2), -0.683), rtol=1e-5)
    path = os.path.join(tempfile.mkdtemp(), "kv.states")
    kv.save_optimizer_states(path)
    kv.load_optimizer_states(path)
    kv.push("w", mx.nd.ones((2, 2)))
    kv.pull("w", out=out)
    assert_almost_equal(out.asnumpy(), np.full((2, 2), -1.5147), rtol=1e-4)
    kv = mx.kv.create("local")
    w = mx.nd.array(np.arange(12).reshape(4, 3)).tostype("row_sparse")
    kv.init("e", w)
    o = mx.nd.sparse.zeros("row_sparse", (4, 3))
    kv.row_sparse_pull("e", out=o, row_ids=mx.nd.array([3, 1, 1]))
    assert o.indices.asnumpy().tolist() == [1, 3]
    ref = np.zeros((4, 3))
    ref[[1, 3]] = np.arange(12).reshape(4, 3)[[1, 3]]
    assert same(o.asnumpy(), ref.astype(np.float32))
    outs = [mx.nd.sparse.zeros("row_sparse", (4, 3)) for _ in range(2)]
    kv.row_sparse_pull("e", out=outs, row_ids=[mx.nd.array([0]), mx.nd.array([2, 3])])
    assert outs[0].indices.asnumpy().tolist() == [0]
    assert outs[1].indices.asnumpy().tolist() == [2, 3]


@with_seed()
def test_recordio_headers_and_random_access():
    d = tempfile.mkdtemp()
    rec_path, idx_path = os.path.join(d, "a.rec"), os.path.join(d, "a.idx")
    writer = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i in range(5):
        writer.write_idx(i * 10, mx.recordio.pack(mx.recordio.IRHeader(0, float(i), i, 0),
                                                  b"x" * i))
    writer.close()
    assert open(idx_path).read() == "0\t0\n10\t32\n20\t68\n30\t104\n40\t140\n"
    reader = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "r")
    assert reader.keys == [0, 10, 20, 30, 40]
    assert mx.recordio.unpack(reader.read_idx(30))[1] == b"xxx"
    reader.seek(20)
    assert mx.recordio.unpack(reader.read())[0].id == 2
    assertRaises(KeyError, reader.read_idx, 99)
    reader.close()
    packed = mx.recordio.pack(mx.recordio.IRHeader(0, [1.0, 2.0, 3.0], 5, 0), b"abc")
    assert list(packed[:8]) == [3, 0, 0, 0, 0, 0, 0, 0] and packed[-3:] == b"abc"
    header, payload = mx.recordio.unpack(packed)
    assert header.flag == 3 and list(header.label) == [1, 2, 3] and payload == b"abc"
    header, _ = mx.recordio.unpack(mx.recordio.pack(
        mx.recordio.IRHeader(0, np.array([4.0, 5.0], np.float32), 1, 2), b""))
    assert header.flag == 2 and header.id2 == 2
    header, _ = mx.recordio.unpack(mx.recordio.pack(mx.recordio.IRHeader(0, [7], 1, 2), b""))
    assert header.flag == 1 and list(header.label) == [7]
    assert list(mx.recordio.pack(mx.recordio.IRHeader(3, 1.5, 2, 7), b"z")) == \
        [0, 0, 0, 0, 0, 0, 192, 63, 2, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 122]
    plain = mx.recordio.MXRecordIO(rec_path, "r")
    count = 0
    while plain.read() is not None:
        count += 1
    plain.reset()
    assert count == 5 and mx.recordio.unpack(plain.read())[0].id == 0
    plain.close()
    assert not plain.is_open
    assertRaises(Exception, plain.read)
    w = mx.recordio.MXRecordIO(os.path.join(d, "b.rec"), "w")
    assertRaises(AssertionError, w.read)
    w.close()
    img = (np.arange(48).reshape(4, 4, 3) * 5).astype(np.uint8)
    packed = mx.recordio.pack_img(mx.recordio.IRHeader(0, 1.0, 0, 0), img, img_fmt=".png")
    _, back = mx.recordio.unpack_img(packed)
    assert same(back, img)
    _, grey = mx.recordio.unpack_img(packed, iscolor=0)
    assert grey.shape == (4, 4)


def _png(img):
    import cv2
    return cv2.imencode(".png", img)[1].tobytes()


@with_seed()
def test_image_decode_resize_crop_normalize():
    rng = np.random.RandomState(0)
    img = rng.randint(0, 256, size=(20, 30, 3)).astype(np.uint8)
    buf = _png(img)
    assert same(mx.image.imdecode(buf).asnumpy(), img[:, :, ::-1])
    assert same(mx.image.imdecode(buf, to_rgb=0).asnumpy(), img)
    assert mx.image.imdecode(buf, flag=0).shape == (20, 30, 1)
    assert mx.image.imdecode(_png(img[:, :, 0]), flag=1).shape == (20, 30, 3)
    assertRaises(Exception, mx.image.imdecode, b"notanimage")
    path = os.path.join(tempfile.mkdtemp(), "a.png")
    with open(path, "wb") as f:
        f.write(buf)
    assert same(mx.image.imread(path).asnumpy(), img[:, :, ::-1])
    assert mx.image.imread(path, flag=0).shape == (20, 30, 1)
    x = mx.nd.array(img, dtype="uint8")
    assert mx.image.resize_short(x, 10).shape == (10, 15, 3)
    assert mx.image.resize_short(x, 25, interp=0).shape == (25, 37, 3)
    assert mx.image.scale_down((30, 20), (40, 10)) == (30, 7)
    assert same(mx.image.fixed_crop(x, 2, 3, 10, 8).asnumpy(), img[3:11, 2:12])
    assert mx.image.fixed_crop(x, 2, 3, 10, 8, size=(5, 4)).shape == (4, 5, 3)
    out, rect = mx.image.center_crop(x, (10, 8))
    assert rect == (10, 6, 10, 8) and same(out.asnumpy(), img[6:14, 10:20])
    assert mx.image.center_crop(x, (40, 30))[0].shape == (30, 40, 3)
    assert mx.image.random_crop(x, (10, 8))[0].shape == (8, 10, 3)
    assert mx.image.random_size_crop(x, (10, 8), 0.3, (0.75, 1.33))[0].shape == (8, 10, 3)
    f = x.astype("float32")
    got = mx.image.color_normalize(f, mx.nd.array([1, 2, 3]), mx.nd.array([2, 2, 2]))
    assert_almost_equal(got.asnumpy(), (img - np.array([1, 2, 3])) / 2.0, rtol=1e-6)
    got = mx.image.copyMakeBorder(x, 1, 2, 3, 4, values=7)
    assert got.shape == (23, 37, 3)


@with_seed()
def test_create_augmenter_flags():
    def names(**kw):
        return [type(a).__name__ for a in mx.image.CreateAugmenter((3, 12, 12), **kw)]
    assert names() == ["CenterCropAug", "CastAug"]
    assert names(resize=16) == ["ResizeAug", "CenterCropAug", "CastAug"]
    assert names(rand_crop=True) == ["RandomCropAug", "CastAug"]
    assert names(rand_crop=True, rand_resize=True) == ["RandomSizedCropAug", "CastAug"]
    assert names(rand_mirror=True) == ["CenterCropAug", "HorizontalFlipAug", "CastAug"]
    assert names(mean=True, std=True)[-1] == "ColorNormalizeAug"
    assert names(brightness=0.1, contrast=0.2, saturation=0.3)[2] == "ColorJitterAug"
    assert names(hue=0.1)[2] == "HueJitterAug"
    assert names(pca_noise=0.1)[2] == "LightingAug"
    assert names(rand_gray=0.2)[2] == "RandomGrayAug"
    full = names(resize=16, rand_crop=True, rand_mirror=True, mean=True, std=True,
                 brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1, pca_noise=0.1,
                 rand_gray=0.1)
    assert full == ["ResizeAug", "RandomCropAug", "HorizontalFlipAug", "CastAug",
                    "ColorJitterAug", "HueJitterAug", "LightingAug", "RandomGrayAug",
                    "ColorNormalizeAug"]
    x = mx.nd.array(np.arange(20 * 30 * 3).reshape(20, 30, 3) % 256, dtype="uint8")
    assert mx.image.ResizeAug(10)(x).shape == (10, 15, 3)
    assert mx.image.ForceResizeAug((9, 7))(x).shape == (7, 9, 3)
    assert mx.image.CenterCropAug((8, 6))(x).shape == (6, 8, 3)
    assert mx.image.CastAug()(x).dtype == np.float32
    assert same(mx.image.HorizontalFlipAug(1.0)(x).asnumpy(), x.asnumpy()[:, ::-1])
    assert same(mx.image.HorizontalFlipAug(0.0)(x).asnumpy(), x.asnumpy())
    gray = mx.image.RandomGrayAug(1.0)(x.astype("float32")).asnumpy()
    assert np.allclose(gray[:, :, 0], gray[:, :, 1])
    seq = mx.image.SequentialAug([mx.image.CastAug(), mx.image.ResizeAug(5)])
    assert seq(x).shape == (5, 7, 3)
    assert json.loads(mx.image.ResizeAug(10, 2).dumps()) == ["resizeaug", {"size": 10,
                                                                            "interp": 2}]


@with_seed()
def test_image_iter_rec_and_list():
    import cv2
    d = tempfile.mkdtemp()
    rng = np.random.RandomState(0)
    img = rng.randint(0, 256, size=(20, 30, 3)).astype(np.uint8)
    rec_path, idx_path = os.path.join(d, "i.rec"), os.path.join(d, "i.idx")
    writer = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i in range(5):
        writer.write_idx(i, mx.recordio.pack_img(mx.recordio.IRHeader(0, float(i), i, 0), img,
                                                 img_fmt=".png"))
    writer.close()
    it = mx.image.ImageIter(2, (3, 12, 12), path_imgrec=rec_path, path_imgidx=idx_path,
                            aug_list=[mx.image.ForceResizeAug((12, 12))])
    batches = list(it)
    assert [b.pad for b in batches] == [0, 0, 1]
    assert batches[2].label[0].asnumpy().tolist() == [4, 0]
    assert batches[0].data[0].shape == (2, 3, 12, 12)
    assert it.provide_data[0][1] == (2, 3, 12, 12) and it.provide_label[0][1] == (2,)
    it = mx.image.ImageIter(2, (3, 12, 12), path_imgrec=rec_path, path_imgidx=idx_path,
                            last_batch_handle="discard", data_name="img", label_name="lbl",
                            resize=14)
    assert len(list(it)) == 2
    assert it.provide_data[0][0] == "img" and it.provide_label[0][0] == "lbl"
    it = mx.image.ImageIter(2, (3, 12, 12), path_imgrec=rec_path, path_imgidx=idx_path,
                            shuffle=True, aug_list=[mx.image.ForceResizeAug((12, 12))],
                            num_parts=2, part_index=1)
    labels = np.concatenate([b.label[0].asnumpy() for b in it])
    assert sorted(set(labels.tolist())) == [2.0, 3.0]      # n // num_parts records a part
    for i in range(3):
        cv2.imwrite(os.path.join(d, "im%d.png" % i), img)
    lst = os.path.join(d, "l.lst")
    with open(lst, "w") as f:
        f.write("".join("%d\t%d\t%d\tim%d.png\n" % (i, i, 2 * i, i) for i in range(3)))
    it = mx.image.ImageIter(2, (3, 10, 10), path_imglist=lst, path_root=d, label_width=2,
                            aug_list=[mx.image.ForceResizeAug((10, 10))])
    b = next(it)
    assert b.label[0].asnumpy().tolist() == [[0, 0], [1, 2]]
    it = mx.image.ImageIter(3, (3, 10, 10), imglist=[[1.0, "im0.png"], [2.0, "im1.png"]],
                            path_root=d, aug_list=[mx.image.CenterCropAug((10, 10))])
    b = next(it)
    assert b.pad == 1 and b.label[0].asnumpy().tolist()[:2] == [1.0, 2.0]


@with_seed()
def test_det_augmenters_and_iter():
    img = np.random.RandomState(0).randint(0, 256, size=(20, 30, 3)).astype(np.uint8)
    x = mx.nd.array(img).astype("float32")
    label = np.array([[0, 0.1, 0.1, 0.5, 0.6], [1, 0.3, 0.2, 0.9, 0.9]], np.float32)
    out, lab = mx.image.DetHorizontalFlipAug(1.0)(x, label.copy())
    assert_almost_equal(lab[:, 1], 1 - label[:, 3])
    assert same(out.asnumpy(), x.asnumpy()[:, ::-1])
    out, lab = mx.image.DetBorrowAug(mx.image.ForceResizeAug((10, 10)))(x, label.copy())
    assert out.shape == (10, 10, 3) and same(lab, label)
    augs = mx.image.CreateDetAugmenter((3, 12, 12), rand_crop=0.5, rand_pad=0.5,
                                       rand_mirror=True, mean=True, std=True)
    assert [type(a).__name__ for a in augs] == [
        "DetRandomSelectAug", "DetHorizontalFlipAug", "DetRandomSelectAug", "DetBorrowAug",
        "DetBorrowAug", "DetBorrowAug"]
    d = tempfile.mkdtemp()
    rec_path, idx_path = os.path.join(d, "det.rec"), os.path.join(d, "det.idx")
    writer = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i in range(3):
        lab = [2, 5, 0, 0.1, 0.1, 0.5, 0.6, 1, 0.3, 0.2, 0.9, 0.9][:2 + 5 * (1 + i % 2)]
        writer.write_idx(i, mx.recordio.pack_img(mx.recordio.IRHeader(0, lab, i, 0), img,
                                                 img_fmt=".png"))
    writer.close()
    it = mx.image.ImageDetIter(2, (3, 12, 12), path_imgrec=rec_path, path_imgidx=idx_path)
    b = next(it)
    assert b.data[0].shape == (2, 3, 12, 12)
    assert it.provide_label[0][1] == (2, 2, 5)
    assert b.label[0].asnumpy()[0, 1].tolist() == [-1] * 5


@with_seed()
def test_viz_summary_and_plot():
    data = mx.sym.Variable("data")
    conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="conv")
    bn = mx.sym.BatchNorm(conv, name="bn")
    act = mx.sym.Activation(bn, act_type="relu", name="relu")
    pool = mx.sym.Pooling(act, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool")
    fc = mx.sym.FullyConnected(mx.sym.flatten(pool, name="flatten0"), num_hidden=5,
                               name="fc")
    out = mx.sym.SoftmaxOutput(fc, name="softmax")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        mx.viz.print_summary(out, shape={"data": (1, 3, 8, 8)})
    text = buf.getvalue()
    assert "Total params: 305" in text
    rows = [ln.split() for ln in text.splitlines() if ln.startswith(("conv(", "bn(", "fc("))]
    assert [r[2] for r in rows] == ["112", "8", "185"]
    assert [r[1] for r in rows] == ["4x6x6", "4x6x6", "5"]
    assertRaises(TypeError, mx.viz.print_summary, "not a symbol")
    try:
        import graphviz  # noqa: F401
    except ImportError:
        assertRaises(ImportError, mx.viz.plot_network, out)
        return
    graph = mx.viz.plot_network(out, shape={"data": (1, 3, 8, 8)},
                                node_attrs={"shape": "oval"}, hide_weights=True)
    assert type(graph).__name__ == "Digraph"
    assert "\tconv [" in graph.source and "fc_weight" not in graph.source
    assert "\tfc -> flatten0 [label=36" in graph.source
    shown = mx.viz.plot_network(out, hide_weights=False).source
    assert "\tconv_weight [" not in shown and "conv -> conv_weight" in shown


@with_seed()
def test_profiler_config_dump_dumps():
    path = os.path.join(tempfile.mkdtemp(), "p.json")
    mx.profiler.set_config(profile_all=True, filename=path, aggregate_stats=True)
    mx.profiler.set_state("run")
    mx.nd.ones((3, 3)).sum().wait_to_read()
    mx.profiler.set_state("stop")
    assert isinstance(mx.profiler.dumps(reset=True), str)
    mx.profiler.dump()
    with open(path) as f:
        trace = json.load(f)
    assert "traceEvents" in trace
    assertRaises(KeyError, mx.profiler.set_state, "bogus")
    dom = mx.profiler.Domain("d")
    assert dom.name == "d" and str(dom) == "d"
    task = mx.profiler.Task(dom, "t")
    task.start()
    task.stop()
    counter = mx.profiler.Counter(dom, "c", 3)
    counter += 2
    counter.decrement(1)
    marker = mx.profiler.Marker(dom, "m")
    marker.mark("process")


main(globals())
