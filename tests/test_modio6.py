"""Round-6 Module/io conformance fixes, checked without MXNet (values from MXNet 1.9.1).

ImageRecordIter: path_imglist labels, mean_img (computed, saved, reloaded), mirror, pad with
fill_value, the affine augmentations (rotate / rotate_list / shear / scale) and seed_aug.
"""
import os

import numpy as np
import pytest

import mxtorch as mx


def _block_image():
    img = np.zeros((12, 12, 3), np.uint8)
    img[2:5, 1:9] = 200
    img[5:10, 7:9] = 100
    return img


def _write(tmp_path, imgs, name="a", labels=None):
    rec_path = str(tmp_path / (name + ".rec"))
    rec = mx.recordio.MXRecordIO(rec_path, "w")
    for i, img in enumerate(imgs):
        lab = float(i) if labels is None else labels[i]
        rec.write(mx.recordio.pack_img(mx.recordio.IRHeader(0, lab, i, 0), img, img_fmt=".png"))
    rec.close()
    return rec_path


def _first(rec_path, shape=(3, 12, 12), batch_size=1, **kw):
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=shape, batch_size=batch_size,
                               **kw)
    return next(it)


# channel 0 of the block image after ImageRecordIter(rotate=90) in MXNet 1.9.1 (exact)
ROT90 = np.zeros((12, 12))
ROT90[0] = 255
ROT90[4:, 2:5] = 200
ROT90[4:6, 5:10] = 100

# rotate=30, fill_value=0 in MXNet 1.9.1 (bilinear; mxtorch within 4 levels)
ROT30 = np.array([
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 31, 66, 0, 0, 0, 0, 0],
    [0, 0, 0, 6, 106, 200, 200, 25, 0, 0, 0, 0],
    [0, 0, 81, 181, 200, 200, 200, 125, 0, 0, 0, 0],
    [56, 156, 200, 200, 200, 200, 172, 122, 28, 0, 0, 0],
    [200, 200, 200, 200, 175, 75, 50, 100, 78, 0, 0, 0],
    [163, 200, 200, 100, 0, 0, 0, 88, 100, 41, 0, 0],
    [63, 125, 25, 0, 0, 0, 0, 38, 100, 91, 3, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 72, 78, 15, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], np.float32)


def test_image_record_iter_rotate_matches_mxnet(tmp_path):
    rec = _write(tmp_path, [_block_image()])
    out = _first(rec, rotate=90).data[0].asnumpy()[0, 0]
    np.testing.assert_array_equal(out, ROT90)
    out = _first(rec, rotate=30, fill_value=0).data[0].asnumpy()[0, 0]
    np.testing.assert_allclose(out, ROT30, atol=4)
    ident = _first(rec, rotate_list=[0]).data[0].asnumpy()[0, 0]
    np.testing.assert_array_equal(ident, _block_image()[:, :, 0])


def test_image_record_iter_seed_aug(tmp_path):
    rng = np.random.RandomState(2)
    imgs = [rng.randint(0, 256, (24, 32, 3)).astype(np.uint8) for _ in range(3)]
    rec = _write(tmp_path, imgs)
    aug = dict(rand_mirror=True, max_random_scale=1.3, min_random_scale=0.9,
               max_rotate_angle=10, max_aspect_ratio=0.2, max_shear_ratio=0.1,
               brightness=0.2, contrast=0.2, saturation=0.2, pca_noise=0.1, random_h=10,
               random_s=10, random_l=10, rand_crop=True, fill_value=127, pad=2,
               max_random_illumination=3, max_random_contrast=0.1)
    a = _first(rec, (3, 20, 20), 3, seed_aug=7, **aug).data[0].asnumpy()
    b = _first(rec, (3, 20, 20), 3, seed_aug=7, **aug).data[0].asnumpy()
    c = _first(rec, (3, 20, 20), 3, seed_aug=8, **aug).data[0].asnumpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    plain1 = _first(rec, (3, 20, 20), 3, seed_aug=1).data[0].asnumpy()
    plain2 = _first(rec, (3, 20, 20), 3, seed_aug=2).data[0].asnumpy()
    np.testing.assert_array_equal(plain1, plain2)


def test_image_record_iter_mirror_pad_mean_img(tmp_path):
    rng = np.random.RandomState(0)
    imgs = [rng.randint(0, 256, (10, 12, 3)).astype(np.uint8) for _ in range(5)]
    rec = _write(tmp_path, imgs)
    crops = np.stack([im[1:9, 2:10, ::-1].transpose(2, 0, 1) for im in imgs]).astype(np.float32)
    out = _first(rec, (3, 8, 8), 2, mirror=True).data[0].asnumpy()
    np.testing.assert_array_equal(out[0], crops[0][:, :, ::-1])
    # pad then center crop: the same pixels as without padding here (as MXNet)
    out = _first(rec, (3, 8, 8), 2, pad=2, fill_value=7).data[0].asnumpy()
    np.testing.assert_array_equal(out[0], crops[0])
    mean_path = str(tmp_path / "mean.bin")
    out = _first(rec, (3, 8, 8), 2, mean_img=mean_path).data[0].asnumpy()
    saved = mx.nd.load(mean_path)
    assert list(saved) == ["mean_img"] and saved["mean_img"].shape == (3, 8, 8)
    np.testing.assert_allclose(saved["mean_img"].asnumpy(), crops.mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[0], crops[0] - crops.mean(0), atol=1e-4)
    # the saved file is read back; mean_r is ignored when mean_img is given
    out = _first(rec, (3, 8, 8), 2, mean_img=mean_path, mean_r=100, scale=0.5)
    np.testing.assert_allclose(out.data[0].asnumpy()[0], (crops[0] - crops.mean(0)) * 0.5,
                               atol=1e-4)
    with pytest.raises(mx.base.MXNetError, match="mean_img"):
        _first(rec, (3, 6, 6), 2, mean_img=mean_path)


def test_image_record_iter_imglist_labels(tmp_path):
    rng = np.random.RandomState(1)
    imgs = [rng.randint(0, 256, (16, 16, 3)).astype(np.uint8) for _ in range(4)]
    rec = _write(tmp_path, imgs)
    lst = tmp_path / "labels.lst"
    lst.write_text("".join("%d\t%f\t%f\tdummy%d.png\n" % (i, i * 2.0, -i * 1.0, i)
                           for i in range(4)))
    b = _first(rec, (3, 16, 16), 4, path_imglist=str(lst), label_width=2)
    np.testing.assert_array_equal(b.label[0].asnumpy(),
                                  [[0, 0], [2, -1], [4, -2], [6, -3]])
    short = tmp_path / "short.lst"
    short.write_text("0\t1\ta.png\n")
    with pytest.raises(mx.base.MXNetError, match="label_width is 2"):
        _first(rec, (3, 16, 16), 4, path_imglist=str(short), label_width=2)
    missing = tmp_path / "missing.lst"
    missing.write_text("0\t1\ta.png\n")
    with pytest.raises(mx.base.MXNetError, match="not in path_imglist"):
        _first(rec, (3, 16, 16), 4, path_imglist=str(missing))
    assert os.path.exists(rec)


def test_ndarrayiter_rejects_non_positive_batch_size():
    # MXNet 1.9.1 raises MXNetError; iterating with batch_size 0 must never loop forever
    for bad in (0, -2):
        with pytest.raises(mx.base.MXNetError, match="batch_size must be a positive"):
            mx.io.NDArrayIter(np.ones((4,)), batch_size=bad)


def test_imdecode_wrong_buffer_type_is_value_error():
    # MXNet 1.9.1 raises ValueError for a str (or any non-bytes) buffer
    with pytest.raises(ValueError, match="encoded bytes"):
        mx.image.imdecode("not bytes")
    with pytest.raises(ValueError, match="got int"):
        mx.image.imdecode(5)


def test_pcc_mcc_values_are_python_floats():
    # MXNet 1.9.1 returns ('pcc', 0.2) with a Python float for this confusion matrix
    m = mx.metric.PCC()
    m.update([mx.nd.array([0, 1, 2, 1])], [mx.nd.array(np.eye(3)[[0, 1, 1, 2]])])
    name, value = m.get()
    assert name == "pcc" and type(value) is float and abs(value - 0.2) < 1e-12
    m = mx.metric.MCC()
    m.update([mx.nd.array([0, 1, 1, 0])], [mx.nd.array(np.eye(2)[[0, 1, 0, 0]])])
    assert type(m.get()[1]) is float


def test_executor_group_shared_data_arrays():
    data = mx.sym.Variable("data")
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=3, name="fc"),
                               name="softmax")
    mod = mx.mod.Module(net, context=[mx.cpu(0), mx.cpu(1)])
    mod.bind(data_shapes=[("data", (4, 5))], label_shapes=[("softmax_label", (4,))])
    shared = mod._exec_group.shared_data_arrays
    assert [sorted(d) for d in shared] == [["data", "softmax_label"]] * 2
    assert shared[1]["data"] is mod._exec_group.execs[1].arg_dict["data"]


def test_ndarrayiter_read_past_epoch_end():
    it = mx.io.NDArrayIter(np.arange(5), batch_size=2)
    list(it)
    # MXNet 1.9.1 asserts "DataIter needs reset."; mxtorch's error is both kinds
    with pytest.raises(AssertionError, match="call reset"):
        it.getdata()
    with pytest.raises(mx.base.MXNetError):
        it.getlabel() if it.label else it.getdata()


def test_image_det_iter_parse_label_hook(tmp_path):
    import cv2
    cv2.imwrite(str(tmp_path / "im0.png"), np.zeros((14, 16, 3), np.uint8))
    imglist = [[np.array([2, 5, 0, 0.1, 0.1, 0.5, 0.5]), "im0.png"]]

    class Shifted(mx.image.ImageDetIter):
        def _parse_label(self, label):
            out = super()._parse_label(label)
            out[:, 0] += 3
            return out
    it = mx.image.ImageDetIter(1, (3, 12, 12), imglist=imglist, path_root=str(tmp_path))
    np.testing.assert_allclose(it._parse_label(mx.nd.array(imglist[0][0])),
                               [[0, 0.1, 0.1, 0.5, 0.5]], rtol=1e-6)
    with pytest.raises(RuntimeError, match="Label shape is invalid"):
        it._parse_label(mx.nd.array([2, 5, 0, 0.1]))
    # subclasses override the hook, as in MXNet (next() goes through it)
    sub = Shifted(1, (3, 12, 12), imglist=imglist, path_root=str(tmp_path))
    assert next(sub).label[0].asnumpy()[0, 0, 0] == 3


@pytest.mark.parametrize("ctxs, group2ctxs, grad_ctxs", [
    ([mx.cpu(0)], {"dev1": mx.cpu(1), "dev2": mx.cpu(2)}, [mx.cpu(1), mx.cpu(2)]),
    ([mx.cpu(0), mx.cpu(1)], [{"dev1": mx.cpu(2), "dev2": mx.cpu(3)},
                              {"dev1": mx.cpu(4), "dev2": mx.cpu(5)}], [mx.cpu(2), mx.cpu(3)]),
    ([mx.cpu(0), mx.cpu(1)], {"dev1": mx.cpu(2), "dev2": mx.cpu(3)}, [mx.cpu(2), mx.cpu(3)]),
])
def test_module_group2ctxs_places_inputs_on_group_contexts(ctxs, group2ctxs, grad_ctxs):
    # MXNet 1.9.1 allocates each grouped variable (and its gradient) on its group's context
    with mx.AttrScope(ctx_group="dev1"):
        a = mx.sym.Variable("a") * 2
    with mx.AttrScope(ctx_group="dev2"):
        c = a + mx.sym.Variable("b")
    shape = (2, 5)
    mods = []
    for g2c in (group2ctxs, None):
        mod = mx.mod.Module(c, context=ctxs, data_names=["a", "b"], label_names=None,
                            group2ctxs=g2c)
        mod.bind(data_shapes=[["a", shape], ["b", shape]], inputs_need_grad=True)
        mod.init_params()
        mod.forward(mx.io.DataBatch(data=[mx.nd.ones(shape), mx.nd.ones(shape)]),
                    is_train=True)
        mod.backward([mx.nd.ones(shape)])
        mods.append(mod.get_input_grads())
    assert [g.context for g in mods[0]] == grad_ctxs
    assert [g.context for g in mods[1]] == [mx.cpu(0), mx.cpu(0)]
    for got, want in zip(mods[0], mods[1]):
        np.testing.assert_array_equal(got.asnumpy(), want.asnumpy())
    np.testing.assert_array_equal(mods[0][0].asnumpy(), np.full(shape, 2.0))


def test_simple_bind_group2ctx_allocates_grouped_arguments():
    with mx.AttrScope(ctx_group="dev1"):
        x = mx.sym.Variable("x")
        y = x * 3
    with mx.AttrScope(ctx_group="dev2"):
        z = y + mx.sym.Variable("w")
    exe = z.simple_bind(mx.cpu(0), group2ctx={"dev1": mx.cpu(1), "dev2": mx.cpu(2)},
                        x=(2, 2), w=(2, 2))
    assert exe.arg_dict["x"].context == mx.cpu(1) and exe.arg_dict["w"].context == mx.cpu(2)
    assert exe.grad_dict["x"].context == mx.cpu(1)
    exe.forward(is_train=True, x=np.ones((2, 2)), w=np.ones((2, 2)))
    np.testing.assert_array_equal(exe.outputs[0].asnumpy(), np.full((2, 2), 4.0))
    plain = z.simple_bind(mx.cpu(0), x=(2, 2), w=(2, 2))
    assert plain.arg_dict["x"].context == mx.cpu(0)


def test_encode_sentences_unknown_token_is_assertion_error():
    # MXNet 1.9.1 asserts; mxtorch's error is also the KeyError it raised before
    for kind in (AssertionError, KeyError):
        with pytest.raises(kind, match="Unknown token x"):
            mx.rnn.encode_sentences([["a", "x"]], vocab={"a": 5}, invalid_key="\n")


def test_get_input_grads_without_inputs_need_grad_asserts():
    def sym_gen(key):
        data = mx.sym.Variable("data")
        out = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected(data, num_hidden=2,
                                                                  name="fc"), name="lro")
        return out, ("data",), ("lro_label",)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=4)
    mod.bind(data_shapes=[("data", (2, 4))], label_shapes=[("lro_label", (2, 2))])
    mod.init_params()
    # MXNet 1.9.1 asserts; the error stays a ValueError too
    for kind in (AssertionError, ValueError):
        with pytest.raises(kind, match="inputs_need_grad=True"):
            mod.get_input_grads()
    seq = mx.mod.SequentialModule().add(mx.mod.Module(sym_gen(4)[0], label_names=["lro_label"]))
    seq.bind(data_shapes=[("data", (2, 4))], label_shapes=[("lro_label", (2, 2))])
    seq.init_params()
    with pytest.raises(AssertionError, match="SequentialModule.get_input_grads"):
        seq.get_input_grads()
