"""kvstore / recordio / image / contrib.text / model-parallel checks in the style of MXNet
1.9.1's test_kvstore.py, test_recordio.py, test_image.py, test_contrib_text.py and
test_model_parallel.py (round 6).

Run through ``tools/unittest_style/run.py --only modio6`` (real MXNet and mxtorch).
"""
import collections
import os
import pickle
import random
import tempfile

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_kvstore_aggregator_lists_of_lists():
    kv = mx.kv.create("local")
    keys = [5, 7, 9]
    shape = (4, 4)
    kv.init(keys, [mx.nd.zeros(shape)] * 3)
    devs = [mx.cpu(i) for i in range(4)]
    vals = [[mx.nd.ones(shape, d) * (i + 1) for i, d in enumerate(devs)] for _ in keys]
    kv.push(keys, vals)
    outs = [[mx.nd.zeros(shape, d) for d in devs] for _ in keys]
    kv.pull(keys, out=outs)
    for row in outs:
        for o in row:
            assert same(o.asnumpy(), np.full(shape, 10, np.float32))
    # a single key pushed from several devices, pulled to several devices
    kv.push(5, [mx.nd.ones(shape, d) for d in devs])
    row = [mx.nd.zeros(shape, d) for d in devs]
    kv.pull(5, out=row)
    assert all(same(o.asnumpy(), np.full(shape, 4, np.float32)) for o in row)
    assert [o.context for o in row] == devs
    # pushpull with lists of lists
    res = [[mx.nd.zeros(shape) for _ in range(2)] for _ in keys]
    kv.pushpull(keys, [[mx.nd.ones(shape), mx.nd.ones(shape) * 2] for _ in keys], out=res)
    assert all(same(o.asnumpy(), np.full(shape, 3, np.float32)) for r in res for o in r)


@with_seed()
def test_kvstore_sparse_aggregator_and_pull_rules():
    kv = mx.kv.create("local")
    shape = (6, 2)
    kv.init("e", mx.nd.zeros(shape).tostype("row_sparse"))
    g1 = mx.nd.sparse.row_sparse_array((np.ones((2, 2), np.float32), [0, 3]), shape=shape)
    g2 = mx.nd.sparse.row_sparse_array((np.ones((2, 2), np.float32) * 2, [3, 5]),
                                       shape=shape)
    kv.push("e", [g1, g2])
    out = mx.nd.sparse.zeros("row_sparse", shape)
    kv.row_sparse_pull("e", out=out, row_ids=mx.nd.arange(6))
    ref = np.zeros(shape, np.float32)
    ref[0] = 1
    ref[3] = 3
    ref[5] = 2
    assert same(out.asnumpy(), ref)
    out2 = mx.nd.sparse.zeros("row_sparse", shape)
    kv.row_sparse_pull("e", out=out2, row_ids=mx.nd.array([5, 0, 5]))
    assert out2.indices.asnumpy().tolist() == [0, 5]
    # pulling a row_sparse value into a dense array gives the dense value (storage fallback)
    dense = mx.nd.zeros(shape)
    kv.pull("e", out=dense, ignore_sparse=True)
    assert same(dense.asnumpy(), ref)
    assertRaises(Exception, kv.row_sparse_pull, "e", out=dense, row_ids=mx.nd.arange(6))
    kv.init("d", mx.nd.ones(shape))
    assertRaises(Exception, kv.row_sparse_pull, "d", out=out, row_ids=mx.nd.arange(2))


@with_seed()
def test_kvstore_set_optimizer_updates_and_types():
    for kind in ("local", "device"):
        kv = mx.kv.create(kind)
        assert kv.type == kind
        assert kv.is_capable(mx.kv.KVStoreBase.OPTIMIZER) if hasattr(mx.kv, "KVStoreBase") \
            else True
        opt = mx.optimizer.Adam(learning_rate=0.1, rescale_grad=0.5)
        kv.set_optimizer(opt)
        w0 = np.random.uniform(-1, 1, (3, 2)).astype(np.float32)
        kv.init(0, mx.nd.array(w0))
        ref_opt = mx.optimizer.Adam(learning_rate=0.1, rescale_grad=0.5)
        ref_w = mx.nd.array(w0)
        st = ref_opt.create_state(0, ref_w)
        for step in range(3):
            g = [mx.nd.array(np.random.uniform(-1, 1, (3, 2))) for _ in range(2)]
            kv.push(0, g)
            ref_opt.update(0, ref_w, g[0] + g[1], st)
        out = mx.nd.zeros((3, 2))
        kv.pull(0, out=out)
        assert_almost_equal(out.asnumpy(), ref_w.asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_kvstore_gradient_compression_2bit():
    kv = mx.kv.create("device")
    kv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    shape = (2, 3)
    kv.init("g", mx.nd.zeros(shape))
    g = mx.nd.array([[0.2, 0.6, -0.7], [1.3, -0.1, 0.49]])
    out = mx.nd.zeros(shape)
    kv.push("g", [g])
    kv.pull("g", out=out)
    assert same(out.asnumpy(), np.array([[0, 0.5, -0.5], [0.5, 0, 0]], np.float32))
    # residuals carry over: 0.2 + 0.2 + 0.2 crosses the threshold on the third push
    kv.push("g", [g])
    kv.pull("g", out=out)
    second = out.asnumpy().copy()
    assert same(second, np.array([[0, 0.5, -0.5], [0.5, 0, 0.5]], np.float32)), second
    kv.push("g", [g])
    kv.pull("g", out=out)
    assert out.asnumpy()[0, 0] == 0.5
    # with two devices each gradient is quantized (with its own residual), then summed
    kv = mx.kv.create("device")
    kv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    kv.init("g", mx.nd.zeros(shape))
    for want in ([[0, 1, -1], [1, 0, 0.5]], [[0.5, 1, -1], [1, 0, 1]]):
        kv.push("g", [g, g * 2])
        kv.pull("g", out=out)
        assert same(out.asnumpy(), np.array(want, np.float32)), out.asnumpy()
    kv_local = mx.kv.create("local")
    assertRaises(Exception, kv_local.set_gradient_compression, {"type": "2bit",
                                                                "threshold": 1})
    assertRaises(mx.base.MXNetError, mx.kv.create("device").set_gradient_compression,
                 {"type": "bogus"})


@with_seed()
def test_recordio_many_records_and_pickle():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "r.rec")
    w = mx.recordio.MXRecordIO(path, "w")
    payloads = [bytes(bytearray(np.random.randint(0, 256, size=i).astype(np.uint8)))
                for i in range(0, 40, 3)]
    for p in payloads:
        w.write(p)
    w.close()
    r = mx.recordio.MXRecordIO(path, "r")
    got = []
    while True:
        x = r.read()
        if x is None:
            break
        got.append(x)
    assert got == payloads
    r.reset()
    r2 = pickle.loads(pickle.dumps(r))
    assert r2.read() == payloads[0]
    r.close()
    r2.close()
    idx = os.path.join(d, "r.idx")
    rec = os.path.join(d, "r2.rec")
    w = mx.recordio.MXIndexedRecordIO(idx, rec, "w")
    keys = list(range(len(payloads)))
    random.shuffle(keys)
    for k in keys:
        w.write_idx(k, payloads[k])
    w.close()
    r = mx.recordio.MXIndexedRecordIO(idx, rec, "r")
    assert sorted(r.keys) == sorted(keys) and r.keys == keys
    for k in reversed(keys):
        assert r.read_idx(k) == payloads[k]
    r3 = pickle.loads(pickle.dumps(r))
    assert r3.read_idx(keys[0]) == payloads[keys[0]]
    r.close()
    w = mx.recordio.MXIndexedRecordIO(os.path.join(d, "s.idx"), os.path.join(d, "s.rec"), "w",
                                      key_type=str)
    w.write_idx("alpha", b"A")
    w.write_idx("beta", b"BB")
    w.close()
    r = mx.recordio.MXIndexedRecordIO(os.path.join(d, "s.idx"), os.path.join(d, "s.rec"), "r",
                                      key_type=str)
    assert r.keys == ["alpha", "beta"] and r.read_idx("beta") == b"BB"


@with_seed()
def test_recordio_pack_label_variants():
    for label in (1.5, [1.0], [1.0, 2.0, 3.0], np.arange(7, dtype=np.float32)):
        header = mx.recordio.IRHeader(0, label, 42, 7)
        back, s = mx.recordio.unpack(mx.recordio.pack(header, b"payload"))
        assert s == b"payload" and back.id == 42 and back.id2 == 7
        lab = np.atleast_1d(np.asarray(label, np.float32))
        if np.isscalar(label):
            assert back.flag == 0 and back.label == label
        else:
            assert back.flag == lab.size
            assert same(np.asarray(back.label, np.float32), lab)
    yy, xx = np.mgrid[0:8, 0:10]
    img = np.stack([yy * 20, xx * 20, (yy + xx) * 10], axis=2).astype(np.uint8)
    s = mx.recordio.pack_img(mx.recordio.IRHeader(0, [3.0, 4.0], 1, 0), img, quality=95,
                             img_fmt=".jpg")
    header, dec = mx.recordio.unpack_img(s)
    assert dec.shape == (8, 10, 3) and list(header.label) == [3.0, 4.0]
    assert np.abs(dec.astype(int) - img.astype(int)).mean() < 8


@with_seed()
def test_image_rotate_and_resize_ops():
    img = mx.nd.array(np.random.uniform(0, 255, (2, 3, 10, 10)).astype(np.float32))
    out = mx.image.imrotate(img[0], 0)
    assert_almost_equal(out.asnumpy(), img[0].asnumpy(), rtol=1e-5, atol=1e-3)
    r90 = mx.image.imrotate(img[0], 90).asnumpy()
    assert_almost_equal(r90, np.rot90(img[0].asnumpy(), k=1, axes=(1, 2)), rtol=1e-4,
                        atol=1e-2)
    both = mx.image.imrotate(img, mx.nd.array([90, -90]))
    assert both.shape == (2, 3, 10, 10)
    assert_almost_equal(both[1].asnumpy(), np.rot90(img[1].asnumpy(), k=-1, axes=(1, 2)),
                        rtol=1e-4, atol=1e-2)
    assertRaises(Exception, mx.image.imrotate, img[0].astype("uint8"), 10)
    assertRaises(Exception, mx.image.imrotate, img[0], 10, zoom_in=True, zoom_out=True)
    zi = mx.image.imrotate(img[0], 45, zoom_in=True)
    assert zi.shape == (3, 10, 10)
    rr = mx.image.random_rotate(img[0], (-10, 10))
    assert rr.shape == (3, 10, 10)
    hwc = mx.nd.array(np.random.randint(0, 256, (12, 16, 3)), dtype="uint8")
    for interp in range(5):
        assert mx.image.imresize(hwc, 8, 6, interp=interp).shape == (6, 8, 3)
    a = mx.image.imresize(hwc, 32, 24, interp=0).asnumpy()
    assert same(a[::2, ::2], hwc.asnumpy())


@with_seed()
def test_create_augmenter_seeded_repeatable():
    img = mx.nd.array(np.random.RandomState(3).randint(0, 256, (30, 40, 3)), dtype="uint8")

    def run(seed):
        random.seed(seed)
        np.random.seed(seed)
        mx.random.seed(seed)
        augs = mx.image.CreateAugmenter((3, 16, 16), resize=20, rand_crop=True,
                                        rand_resize=True, rand_mirror=True, mean=True,
                                        std=True, brightness=0.2, contrast=0.2,
                                        saturation=0.2, hue=0.2, pca_noise=0.1, rand_gray=0.3,
                                        inter_method=10)
        x = img
        for a in augs:
            x = a(x)
        return x.asnumpy()
    a, b, c = run(1), run(1), run(2)
    assert a.shape == (16, 16, 3) and a.dtype == np.float32
    assert same(a, b)
    assert not same(a, c)
    augs = mx.image.CreateAugmenter((3, 16, 16), mean=np.array([1, 2, 3]),
                                    std=np.array([2, 2, 2]))
    x = img
    for aug in augs:
        x = aug(x)
    ref = (img.asnumpy()[7:23, 12:28].astype(np.float32) - [1, 2, 3]) / 2
    assert_almost_equal(x.asnumpy(), ref, rtol=1e-5, atol=1e-5)


def _text_file(lines):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "emb.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


@with_seed()
def test_contrib_text_vocab_and_embedding():
    text = mx.contrib.text
    counter = text.utils.count_tokens_from_str(" Life is great ! \n life is good . \n",
                                               token_delim=" ", seq_delim="\n",
                                               to_lower=True)
    assert counter == collections.Counter({"life": 2, "is": 2, "great": 1, "!": 1,
                                           "good": 1, ".": 1})
    v = text.vocab.Vocabulary(counter, most_freq_count=None, min_freq=1, unknown_token="<unk>",
                              reserved_tokens=["<pad>"])
    assert v.idx_to_token[:4] == ["<unk>", "<pad>", "is", "life"]
    assert len(v) == 8 and v.unknown_token == "<unk>" and v.reserved_tokens == ["<pad>"]
    assert v.to_indices(["life", "xyz", "is"]) == [3, 0, 2]
    assert v.to_indices("good") == v.token_to_idx["good"]
    assert v.to_tokens([3, 1]) == ["life", "<pad>"]
    assertRaises(ValueError, v.to_tokens, 100)
    v2 = text.vocab.Vocabulary(counter, most_freq_count=2, min_freq=2)
    assert v2.idx_to_token == ["<unk>", "is", "life"]
    path = _text_file(["a 0.1 0.2 0.3", "b 0.4 0.5 0.6", "c 0.7 0.8 0.9"])
    emb = text.embedding.CustomEmbedding(path, elem_delim=" ")
    assert emb.vec_len == 3 and len(emb) == 4 and emb.idx_to_token[0] == "<unk>"
    assert_almost_equal(emb.get_vecs_by_tokens("b").asnumpy(), np.array([0.4, 0.5, 0.6]))
    vecs = emb.get_vecs_by_tokens(["c", "zz"]).asnumpy()
    assert_almost_equal(vecs, np.array([[0.7, 0.8, 0.9], [0, 0, 0]]))
    assert_almost_equal(emb.get_vecs_by_tokens(["A"], lower_case_backup=True).asnumpy(),
                        np.array([[0.1, 0.2, 0.3]]))
    emb.update_token_vectors(["a", "b"], mx.nd.array([[1, 1, 1], [2, 2, 2]]))
    assert_almost_equal(emb.idx_to_vec[1:3].asnumpy(), np.array([[1, 1, 1], [2, 2, 2]]))
    assertRaises(Exception, emb.update_token_vectors, ["nope"], mx.nd.ones((1, 3)))
    emb2 = text.embedding.CustomEmbedding(path, elem_delim=" ", vocabulary=v2)
    assert emb2.idx_to_token == ["<unk>", "is", "life"]
    assert_almost_equal(emb2.idx_to_vec.asnumpy(), np.zeros((3, 3)))
    path2 = _text_file(["is 1 2", "life 3 4"])
    emb3 = text.embedding.CustomEmbedding(path2, elem_delim=" ",
                                          init_unknown_vec=mx.nd.ones)
    comp = text.embedding.CompositeEmbedding(v2, [emb, emb3])
    assert comp.vec_len == 5
    assert_almost_equal(comp.idx_to_vec.asnumpy(),
                        np.array([[0, 0, 0, 1, 1], [0, 0, 0, 1, 2], [0, 0, 0, 3, 4]]))
    assert "glove" in text.embedding.get_pretrained_file_names()
    assert "glove.6B.50d.txt" in text.embedding.get_pretrained_file_names("glove")


@with_seed()
def test_model_parallel_chain_group2ctx():
    n = 2
    with mx.AttrScope(ctx_group="dev1"):
        data1 = mx.sym.Variable("data1")
        data2 = mx.sym.Variable("data2")
        data3 = mx.sym.Variable("data3")
        net = data1 + data2
        net = net * 3
    with mx.AttrScope(ctx_group="dev2"):
        net = net + data3
    shape = (4, 5)
    ctxs = [mx.cpu(1)] * n + [mx.cpu(2)]
    arr = [mx.nd.array(np.random.uniform(-1, 1, shape), ctx=c) for c in ctxs]
    arr_grad = [mx.nd.zeros(shape, ctx=c) for c in ctxs]
    exe1 = net.bind(mx.cpu(), args=arr, args_grad=arr_grad,
                    group2ctx={"dev1": mx.cpu(1), "dev2": mx.cpu(2)})
    arr2 = [a.copyto(mx.cpu()) for a in arr]
    arr_grad2 = [a.copyto(mx.cpu()) for a in arr_grad]
    exe2 = net.bind(mx.cpu(), args=arr2, args_grad=arr_grad2)
    exe1.forward(is_train=True)
    exe2.forward(is_train=True)
    assert_almost_equal(exe1.outputs[0].asnumpy(), exe2.outputs[0].asnumpy())
    ref = (arr[0].asnumpy() + arr[1].asnumpy()) * 3 + arr[2].asnumpy()
    assert_almost_equal(exe1.outputs[0].asnumpy(), ref, rtol=1e-5, atol=1e-6)
    head = mx.nd.ones(shape)
    exe1.backward([head.copyto(mx.cpu(2))])
    exe2.backward([head.copy()])
    for a, b in zip(arr_grad, arr_grad2):
        assert_almost_equal(a.asnumpy(), b.asnumpy())
    assert same(arr_grad[0].asnumpy(), np.full(shape, 3, np.float32))
    assert same(arr_grad[2].asnumpy(), np.ones(shape, np.float32))


main(globals())
