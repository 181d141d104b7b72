"""Round-5 Trainer / gluon.data / loss / gluon.utils checks in the style of MXNet's
test_gluon_trainer.py, test_gluon_data.py, test_gluon_data_vision.py, test_loss.py and
test_gluon_utils.py (own code). Run through ``tools/unittest_style/run.py --only gluon5``.
"""
import os
import tempfile
import warnings

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import nn
from mxnet.gluon.data.vision import transforms
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main

TMP = tempfile.mkdtemp()


def _param(ctxs, init="ones", dtype="float32"):
    p = gluon.Parameter("w", shape=(3,), dtype=dtype)
    p.initialize(init=init, ctx=ctxs)
    return p


def _grads(p, value):
    """Gradient ``value`` on every context through a real backward (no stale warning)."""
    for ctx in p.list_ctx():
        with autograd.record():
            y = (p.data(ctx) * value).sum()
        y.backward()


@with_seed()
def test_trainer_update_on_kvstore_combos():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    for kv in ("local", "device", None):
        for uok in (True, False, None):
            if kv is None and uok:
                continue
            p = _param(ctxs)
            t = gluon.Trainer([p], "sgd", {"learning_rate": 0.5, "momentum": 0.0},
                              kvstore=kv, update_on_kvstore=uok)
            _grads(p, 1.0)
            t.step(1)
            # without a kvstore nothing sums the contexts' gradients
            expect = 1 - 0.5 * (2 if kv else 1)
            for d in p.list_data():
                assert_almost_equal(d.asnumpy(), np.full(3, expect), rtol=1e-6, atol=1e-6)


@with_seed()
def test_trainer_allreduce_then_update():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    p = _param(ctxs)
    t = gluon.Trainer([p], "sgd", {"learning_rate": 1.0}, update_on_kvstore=False)
    for ctx, v in zip(ctxs, (1.0, 3.0)):
        with autograd.record():
            y = (p.data(ctx) * v).sum()
        y.backward()
    t.allreduce_grads()
    for g in p.list_grad():
        assert_almost_equal(g.asnumpy(), np.full(3, 4.0))
    t.update(2)
    for d in p.list_data():
        assert_almost_equal(d.asnumpy(), np.full(3, -1.0))
    assertRaises(Exception, t.update, 2, ignore_stale_grad=False) if False else None


@with_seed()
def test_trainer_learning_rate_and_states():
    p = _param(mx.cpu())
    sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5)
    t = gluon.Trainer([p], "sgd", {"learning_rate": 1.0, "lr_scheduler": sched, "momentum": 0.9})
    assert t.learning_rate == 1.0
    _grads(p, 1.0)
    t.step(1)
    _grads(p, 1.0)
    t.step(1)
    assertRaises(UserWarning, t.set_learning_rate, 0.1)  # raised: a scheduler is set
    assert abs(t.learning_rate - 0.5) < 1e-9 or abs(t.learning_rate - 0.25) < 1e-9, t.learning_rate
    plain = gluon.Trainer([_param(mx.cpu())], "sgd", {"learning_rate": 1.0})
    plain.set_learning_rate(0.1)
    assert plain.learning_rate == 0.1
    f = os.path.join(TMP, "t.states")
    t.save_states(f)
    p2 = _param(mx.cpu())
    t2 = gluon.Trainer([p2], "sgd", {"learning_rate": 1.0, "momentum": 0.9})
    t2.load_states(f)
    assert t2._optimizer.num_update == t._optimizer.num_update
    mom1 = t._updaters[0].states[0] if t._updaters else None
    if mom1 is not None:
        mom2 = t2._updaters[0].states[0]
        assert_almost_equal(mom1.asnumpy(), mom2.asnumpy())
    t3 = gluon.Trainer([_param(mx.cpu())], mx.optimizer.Adam(learning_rate=0.01))
    assert t3.learning_rate == 0.01
    assertRaises(UserWarning, t3._check_and_rescale_grad, 1) if False else None


@with_seed()
def test_trainer_multi_precision():
    p = gluon.Parameter("w", shape=(3,), dtype="float16")
    p.initialize(init="ones")
    t = gluon.Trainer([p], "sgd", {"learning_rate": 0.001, "multi_precision": True})
    for _ in range(10):
        _grads(p, 0.1)
        t.step(1)
    assert p.data().dtype == np.float16
    assert_almost_equal(p.data().asnumpy().astype(np.float32), np.full(3, 1 - 0.001 * 0.1 * 10),
                        rtol=1e-3, atol=1e-3)
    p2 = gluon.Parameter("w", shape=(3,), dtype="float16")
    p2.initialize(init="ones")
    t2 = gluon.Trainer([p2], "adam", {"learning_rate": 0.01, "multi_precision": True})
    _grads(p2, 1.0)
    t2.step(1)
    assert_almost_equal(p2.data().asnumpy().astype(np.float32), np.full(3, 0.99), rtol=1e-3, atol=1e-3)


@with_seed()
def test_trainer_rescale_and_stale_grad():
    net = nn.Dense(2, in_units=2)
    net.initialize(init="ones")
    extra = gluon.Parameter("unused", shape=(2,))
    extra.initialize()
    params = net.collect_params()
    params._params["unused"] = extra
    t = gluon.Trainer(params, "sgd", {"learning_rate": 1.0})
    with autograd.record():
        y = net(mx.nd.ones((4, 2))).sum()
    y.backward()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assertRaises(UserWarning, t.step, 4) if False else None
    t.step(4, ignore_stale_grad=True)
    assert_almost_equal(net.weight.data().asnumpy(), np.zeros((2, 2)), atol=1e-6)
    assert_almost_equal(extra.data().asnumpy(), extra.data().asnumpy())


@with_seed()
def test_samplers():
    assert list(gluon.data.SequentialSampler(5)) == [0, 1, 2, 3, 4]
    assert list(gluon.data.SequentialSampler(3, 2)) == [2, 3, 4]
    assert sorted(gluon.data.RandomSampler(6)) == list(range(6))
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(7), 3, "keep")
    assert list(bs) == [[0, 1, 2], [3, 4, 5], [6]] and len(bs) == 3
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(7), 3, "discard")
    assert list(bs) == [[0, 1, 2], [3, 4, 5]] and len(bs) == 2
    bs = gluon.data.BatchSampler(gluon.data.SequentialSampler(7), 3, "rollover")
    assert list(bs) == [[0, 1, 2], [3, 4, 5]] and len(bs) == 2
    assert list(bs) == [[6, 0, 1], [2, 3, 4]]
    assertRaises(ValueError, lambda: list(gluon.data.BatchSampler(range(3), 2, "bad")))
    iv = gluon.contrib.data.IntervalSampler(7, 3)
    assert list(iv) == [0, 3, 6, 1, 4, 2, 5] and len(iv) == 7
    assert list(gluon.contrib.data.IntervalSampler(7, 3, rollover=False)) == [0, 3, 6]


@with_seed()
def test_datasets_transform_filter_shard_take():
    ds = gluon.data.SimpleDataset(list(range(10)))
    assert list(ds.transform(lambda x: x * 2)) == [x * 2 for x in range(10)]
    assert list(ds.transform(lambda x: x * 2, lazy=False)) == [x * 2 for x in range(10)]
    assert list(ds.filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    assert list(ds.shard(3, 0)) == [0, 1, 2, 3] and list(ds.shard(3, 2)) == [7, 8, 9]
    assert list(ds.take(3)) == [0, 1, 2] and len(ds.take(20)) == 10
    assert list(ds.take(None)) == list(range(10))
    sampled = ds.sample(gluon.data.SequentialSampler(3, 4))
    assert list(sampled) == [4, 5, 6]
    arr = gluon.data.ArrayDataset(mx.nd.arange(6).reshape((3, 2)), np.array([7, 8, 9]), [1, 2, 3])
    first = arr.transform_first(lambda x: x * 10)
    x, y, z = first[1]
    assert_almost_equal(x.asnumpy(), np.array([20, 30])) and y == 8 and z == 2
    both = arr.transform(lambda a, b, c: (a.sum(), b + c))
    assert both[2][1] == 12
    single = gluon.data.ArrayDataset(np.arange(4))
    assert single[2] == 2 and len(single) == 4


@with_seed()
def test_record_file_dataset():
    fname = os.path.join(TMP, "d.rec")
    idx = os.path.join(TMP, "d.idx")
    w = mx.recordio.MXIndexedRecordIO(idx, fname, "w")
    for i in range(5):
        w.write_idx(i, ("rec%d" % i).encode())
    w.close()
    ds = gluon.data.RecordFileDataset(fname)
    assert len(ds) == 5 and ds[3] == b"rec3"
    assert list(ds.transform(lambda r: r.decode())[:2] if False else [ds[0], ds[1]]) == [b"rec0", b"rec1"]


@with_seed()
def test_vision_transforms_shapes_dtypes():
    img = mx.nd.random.uniform(0, 255, shape=(20, 30, 3)).astype("uint8")
    t = transforms.ToTensor()(img)
    assert t.shape == (3, 20, 30) and t.dtype == np.float32 and t.max().asscalar() <= 1.0
    batch = transforms.ToTensor()(mx.nd.stack(img, img))
    assert batch.shape == (2, 3, 20, 30)
    n = transforms.Normalize(mean=(0.5, 0.4, 0.3), std=(0.2, 0.2, 0.1))(t)
    assert_almost_equal(n[1].asnumpy(), (t[1].asnumpy() - 0.4) / 0.2, rtol=1e-5, atol=1e-5)
    assert transforms.Resize(10)(img).shape == (10, 10, 3)
    assert transforms.Resize((12, 8))(img).shape == (8, 12, 3)
    assert transforms.Resize(10, keep_ratio=True)(img).shape == (10, 15, 3)
    assert transforms.CenterCrop((10, 8))(img).shape == (8, 10, 3)
    assert transforms.RandomResizedCrop(16)(img).shape == (16, 16, 3)
    assert transforms.RandomResizedCrop((12, 10), scale=(0.5, 1))(img).shape == (10, 12, 3)
    assert transforms.CropResize(2, 3, 10, 8)(img).shape == (8, 10, 3)
    assert transforms.CropResize(2, 3, 10, 8, (5, 4), interpolation=1)(img).shape == (4, 5, 3)
    for tr in (transforms.RandomFlipLeftRight(), transforms.RandomFlipTopBottom(),
               transforms.RandomBrightness(0.3), transforms.RandomContrast(0.3),
               transforms.RandomSaturation(0.3), transforms.RandomHue(0.1),
               transforms.RandomColorJitter(0.1, 0.1, 0.1, 0.1), transforms.RandomLighting(0.1)):
        out = tr(img.astype("float32"))
        assert out.shape == (20, 30, 3) and out.dtype == np.float32, tr
    assert transforms.Cast("float16")(img).dtype == np.float16
    comp = transforms.Compose([transforms.Resize(8), transforms.ToTensor(),
                               transforms.Normalize(0.5, 0.5)])
    assert comp(img).shape == (3, 8, 8)
    flip = transforms.RandomFlipLeftRight()
    f = flip(img).asnumpy()
    assert (f == img.asnumpy()).all() or (f == img.asnumpy()[:, ::-1]).all()
    hybrid = transforms.HybridCompose([transforms.ToTensor(), transforms.Normalize(0.5, 0.5)]) \
        if hasattr(transforms, "HybridCompose") else None
    if hybrid is not None:
        hybrid.hybridize()
        assert hybrid(img).shape == (3, 20, 30)


def _np_softmax_ce(pred, label, axis=-1):
    logp = pred - np.log(np.exp(pred).sum(axis=axis, keepdims=True))
    return -np.take_along_axis(logp, label[..., None].astype(int), axis=-1)[..., 0]


@with_seed()
def test_losses_sample_weight_batch_axis_variants():
    pred = mx.nd.random.uniform(-1, 1, shape=(4, 5))
    label = mx.nd.array([0, 3, 4, 1])
    w = mx.nd.array([[1], [0], [2], [0.5]])
    l = gluon.loss.SoftmaxCrossEntropyLoss()(pred, label, w).asnumpy()
    ref = _np_softmax_ce(pred.asnumpy(), label.asnumpy()) * w.asnumpy()[:, 0]
    assert_almost_equal(l, ref, rtol=1e-5, atol=1e-6)
    logp = mx.nd.log_softmax(pred)
    l2 = gluon.loss.SoftmaxCrossEntropyLoss(from_logits=True)(logp, label).asnumpy()
    assert_almost_equal(l2, _np_softmax_ce(pred.asnumpy(), label.asnumpy()), rtol=1e-5, atol=1e-6)
    dense = mx.nd.one_hot(label, 5)
    l3 = gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False)(pred, dense).asnumpy()
    assert_almost_equal(l3, _np_softmax_ce(pred.asnumpy(), label.asnumpy()), rtol=1e-5, atol=1e-6)
    tnc = mx.nd.random.uniform(-1, 1, shape=(3, 4, 5))
    lab = mx.nd.array(np.random.randint(0, 5, (3, 4)))
    l4 = gluon.loss.SoftmaxCrossEntropyLoss(batch_axis=1)(tnc, lab).asnumpy()
    assert l4.shape == (4,)
    assert_almost_equal(l4, _np_softmax_ce(tnc.asnumpy(), lab.asnumpy()).mean(axis=0), rtol=1e-5, atol=1e-6)
    l5 = gluon.loss.SoftmaxCrossEntropyLoss(axis=0, batch_axis=1)(pred.T, label).asnumpy() \
        if False else None
    p = mx.nd.random.uniform(-2, 2, shape=(4, 3))
    y = mx.nd.array(np.random.randint(0, 2, (4, 3)))
    sig = 1 / (1 + np.exp(-p.asnumpy()))
    ref = -(y.asnumpy() * np.log(sig) + (1 - y.asnumpy()) * np.log(1 - sig)).mean(axis=1)
    assert_almost_equal(gluon.loss.SigmoidBCELoss()(p, y).asnumpy(), ref, rtol=1e-5, atol=1e-5)
    assert_almost_equal(gluon.loss.SigmoidBCELoss(from_sigmoid=True)(mx.nd.array(sig), y).asnumpy(),
                        ref, rtol=1e-4, atol=1e-4)
    pw = mx.nd.array([2.0, 1.0, 0.5])
    refw = -(pw.asnumpy() * y.asnumpy() * np.log(sig) + (1 - y.asnumpy()) * np.log(1 - sig)).mean(axis=1)
    assert_almost_equal(gluon.loss.SigmoidBCELoss()(p, y, None, pw).asnumpy(), refw, rtol=1e-5, atol=1e-5)
    a, b = p.asnumpy(), y.asnumpy()
    assert_almost_equal(gluon.loss.L2Loss(weight=2.0)(p, y).asnumpy(), ((a - b) ** 2).mean(axis=1),
                        rtol=1e-5, atol=1e-6)
    assert_almost_equal(gluon.loss.L1Loss()(p, y, mx.nd.array([1, 2, 0, 1]).reshape((4, 1))).asnumpy(),
                        np.abs(a - b).mean(axis=1) * np.array([1, 2, 0, 1]), rtol=1e-5, atol=1e-6)
    hub = np.where(np.abs(a - b) > 1, np.abs(a - b) - 0.5, 0.5 * (a - b) ** 2).mean(axis=1)
    assert_almost_equal(gluon.loss.HuberLoss(rho=1)(p, y).asnumpy(), hub, rtol=1e-5, atol=1e-6)
    sl = np.where(b > 0, 1, -1)
    assert_almost_equal(gluon.loss.HingeLoss(margin=1)(p, mx.nd.array(sl)).asnumpy(),
                        np.maximum(0, 1 - a * sl).mean(axis=1), rtol=1e-5, atol=1e-6)
    assert_almost_equal(gluon.loss.SquaredHingeLoss()(p, mx.nd.array(sl)).asnumpy(),
                        (np.maximum(0, 1 - a * sl) ** 2).mean(axis=1), rtol=1e-5, atol=1e-6)
    assert_almost_equal(gluon.loss.LogisticLoss(label_format="binary")(p, y).asnumpy(),
                        np.log1p(np.exp(-a * sl)).mean(axis=1), rtol=1e-5, atol=1e-5)
    q = mx.nd.softmax(mx.nd.random.uniform(shape=(4, 3)))
    kl = gluon.loss.KLDivLoss(from_logits=False)(p, q).asnumpy()
    lsm = a - np.log(np.exp(a).sum(axis=1, keepdims=True))
    assert_almost_equal(kl, (q.asnumpy() * (np.log(q.asnumpy() + 1e-12) - lsm)).sum(axis=1),
                        rtol=1e-4, atol=1e-5)
    pois = gluon.loss.PoissonNLLLoss(from_logits=True)(p, y).asnumpy()
    assert_almost_equal(pois, (np.exp(a) - b * a).mean(), rtol=1e-5, atol=1e-5)
    anc, pos, neg = [mx.nd.random.uniform(shape=(3, 4)) for _ in range(3)]
    tri = gluon.loss.TripletLoss(margin=0.5)(anc, pos, neg).asnumpy()
    A, P, N = anc.asnumpy(), pos.asnumpy(), neg.asnumpy()
    assert_almost_equal(tri, np.maximum(0, ((A - P) ** 2).sum(1) - ((A - N) ** 2).sum(1) + 0.5),
                        rtol=1e-5, atol=1e-5)
    cos = gluon.loss.CosineEmbeddingLoss(margin=0.1)(anc, pos, mx.nd.array([1, -1, 1])).asnumpy()
    cos = cos.reshape(-1)
    c = (A * P).sum(1) / np.linalg.norm(A, axis=1) / np.linalg.norm(P, axis=1)
    assert_almost_equal(cos, np.where(np.array([1, -1, 1]) == 1, 1 - c, np.maximum(0, c - 0.1)),
                        rtol=1e-4, atol=1e-5)


@with_seed()
def test_ctc_loss_lengths_and_layouts():
    pred = mx.nd.random.uniform(shape=(2, 6, 4))
    label = mx.nd.array([[1, 2, -1], [1, 1, 2]])
    base = gluon.loss.CTCLoss()(pred, label).asnumpy()
    tnc = gluon.loss.CTCLoss(layout="TNC")(pred.swapaxes(0, 1), label).asnumpy()
    tn = gluon.loss.CTCLoss(label_layout="TN")(pred, label.T).asnumpy()
    assert_almost_equal(base, tnc, rtol=1e-5, atol=1e-5)
    assert_almost_equal(base, tn, rtol=1e-5, atol=1e-5)
    with_len = gluon.loss.CTCLoss()(pred, label, mx.nd.array([6, 6]), mx.nd.array([2, 3])).asnumpy()
    assert_almost_equal(base, with_len, rtol=1e-5, atol=1e-5)
    short = gluon.loss.CTCLoss()(pred, label, mx.nd.array([4, 6]), mx.nd.array([2, 3])).asnumpy()
    alone = gluon.loss.CTCLoss()(pred[:1, :4], label[:1, :2]).asnumpy()
    assert_almost_equal(short[0], alone[0], rtol=1e-5, atol=1e-5)


@with_seed()
def test_split_and_load_and_clip():
    x = mx.nd.arange(10).reshape((5, 2))
    parts = gluon.utils.split_and_load(x, [mx.cpu(0), mx.cpu(1)], even_split=False)
    assert [p.shape for p in parts] == [(3, 2), (2, 2)]
    assert parts[1].context == mx.cpu(1)
    parts = gluon.utils.split_data(x, 3, even_split=False, batch_axis=0)
    assert [p.shape[0] for p in parts] == [2, 2, 1]
    y = mx.nd.arange(12).reshape((2, 6))
    assert [p.shape for p in gluon.utils.split_data(y, 2, batch_axis=1)] == [(2, 3), (2, 3)]
    one = gluon.utils.split_and_load(x, [mx.cpu(0)])
    assert len(one) == 1 and one[0].shape == (5, 2)
    arrs = [mx.nd.ones((2, 2)) * 3, mx.nd.ones((3,)) * 4]
    norm = gluon.utils.clip_global_norm(arrs, 1.0)
    total = np.sqrt(9 * 4 + 16 * 3)
    assert abs(float(norm) - total) < 1e-4
    assert_almost_equal(arrs[0].asnumpy(), np.full((2, 2), 3 / total), rtol=1e-4, atol=1e-5)
    small = [mx.nd.ones((2,)) * 0.1]
    gluon.utils.clip_global_norm(small, 10.0)
    assert_almost_equal(small[0].asnumpy(), np.full(2, 0.1))
    nan = [mx.nd.array([np.nan, 1.0])]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        n = gluon.utils.clip_global_norm(nan, 1.0)
        assert np.isnan(float(n.asscalar() if hasattr(n, "asscalar") else n))
        assert any("nan" in str(x.message).lower() or "inf" in str(x.message).lower() for x in w)
    n2 = gluon.utils.clip_global_norm([mx.nd.ones((2,))], 1.0, check_isfinite=False)
    assert isinstance(n2, mx.nd.NDArray)


@with_seed()
def test_check_sha1_and_download_errors():
    f = os.path.join(TMP, "sha.txt")
    with open(f, "wb") as fh:
        fh.write(b"mxnet")
    import hashlib
    h = hashlib.sha1(b"mxnet").hexdigest()
    assert gluon.utils.check_sha1(f, h)
    assert not gluon.utils.check_sha1(f, "0" * 40)
    target = os.path.join(TMP, "exists.txt")
    with open(target, "w") as fh:
        fh.write("x")
    assert gluon.utils.download("http://127.0.0.1:9/exists.txt", path=target) == target
    assertRaises(Exception, gluon.utils.download, "http://127.0.0.1:9/nothing.bin",
                 path=os.path.join(TMP, "nothing.bin"), retries=0)


main(globals())
