"""Round-5 Module/io conformance fixes (values from MXNet 1.9.1; no MXNet needed here).

Found with tools/unittest_style/check_modio5_*.py.
"""
import os
import warnings

import numpy as np
import pytest

import mxtorch as mx


def _libsvm(path, widths, seed=0):
    rng = np.random.RandomState(seed)
    with open(path, "w") as f:
        for i, k in enumerate(widths):
            f.write("%d %s\n" % (i, " ".join("%d:%.3f" % (j, rng.rand()) for j in range(k))))


def _labels(it):
    return [int(b.label[0].asnumpy()[0]) for b in it]


# MXNet 1.9.1 splits a LibSVM file by bytes: ceil(size / num_parts) bytes a part, a line
# belonging to the part in which it starts (after the part's first byte).
LIBSVM_PARTS = {2: [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]],
                3: [[0, 1, 2, 3, 4], [5], [6, 7, 8, 9, 10]],
                4: [[0, 1, 2], [3, 4], [5, 6, 7], [8, 9, 10]]}


@pytest.mark.parametrize("num_parts", sorted(LIBSVM_PARTS))
def test_libsvm_parts_split_bytes(tmp_path, num_parts):
    path = str(tmp_path / "d.libsvm")
    _libsvm(path, [1, 9, 2, 1, 15, 1, 1, 3, 1, 6, 2])
    got = [_labels(mx.io.LibSVMIter(data_libsvm=path, data_shape=(20,), batch_size=1,
                                    num_parts=num_parts, part_index=k))
           for k in range(num_parts)]
    assert got == LIBSVM_PARTS[num_parts]


def test_libsvm_bad_part_index(tmp_path):
    path = str(tmp_path / "d.libsvm")
    _libsvm(path, [1, 2])
    with pytest.raises(mx.base.MXNetError, match="part_index"):
        mx.io.LibSVMIter(data_libsvm=path, data_shape=(5,), batch_size=1, num_parts=2,
                         part_index=2)


def test_libsvm_label_file_gives_csr_labels(tmp_path):
    data = tmp_path / "d.libsvm"
    data.write_text("1 0:1.5 3:2\n0 1:-1\n2 2:4 5:0.5\n1 0:3\n0 4:7 5:1\n")
    label = tmp_path / "l.libsvm"
    label.write_text("0 0:1 1:1\n0 1:1\n0 0:1\n0 1:2\n0 0:3\n")
    it = mx.io.LibSVMIter(data_libsvm=str(data), data_shape=(6,), label_libsvm=str(label),
                          label_shape=(2,), batch_size=3)
    first, second = list(it)
    assert first.label[0].stype == "csr" and second.label[0].stype == "csr"
    np.testing.assert_array_equal(first.label[0].asnumpy(), [[1, 1], [0, 1], [1, 0]])
    # round_batch: the padded batch borrows the first row
    assert second.pad == 1
    np.testing.assert_array_equal(second.label[0].asnumpy(), [[0, 2], [3, 0], [1, 1]])
    np.testing.assert_array_equal(second.data[0].asnumpy()[2], [1.5, 0, 0, 2, 0, 0])
    # without a label file the labels stay dense
    it = mx.io.LibSVMIter(data_libsvm=str(data), data_shape=(6,), batch_size=3)
    assert next(it).label[0].stype == "default"


SIZES = [4, 30, 6, 5, 40, 4, 4, 8, 3, 20, 7]


@pytest.fixture(scope="module")
def parts_rec(tmp_path_factory):
    d = tmp_path_factory.mktemp("rec")
    rec_path, idx_path = str(d / "p.rec"), str(d / "p.idx")
    rng = np.random.RandomState(5)
    rec = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for i, s in enumerate(SIZES):
        img = rng.randint(0, 256, size=(s, s, 3)).astype(np.uint8)
        rec.write_idx(i, mx.recordio.pack_img(mx.recordio.IRHeader(0, float(i), i, 0), img,
                                              img_fmt=".png"))
    rec.close()
    return rec_path, idx_path


# (num_parts, part_index, indexed) -> labels, from MXNet 1.9.1 on this file (10628 bytes)
REC_PARTS = {(2, 0, False): [0, 1, 2, 3, 4], (2, 1, False): [5, 6, 7, 8, 9, 10],
             (2, 0, True): [0, 1, 2, 3, 4, 5], (2, 1, True): [6, 7, 8, 9, 10],
             (3, 0, False): [0, 1, 2, 3, 4], (3, 2, False): [5, 6, 7, 8, 9, 10],
             (3, 0, True): [0, 1, 2, 3], (3, 1, True): [4, 5, 6, 7], (3, 2, True): [8, 9, 10],
             (4, 0, False): [0, 1], (4, 1, False): [2, 3, 4], (4, 3, False): [5, 6, 7, 8, 9, 10],
             (4, 0, True): [0, 1, 2], (4, 1, True): [3, 4, 5], (4, 2, True): [6, 7, 8],
             (4, 3, True): [9, 10]}


@pytest.mark.parametrize("key", sorted(REC_PARTS))
def test_image_record_iter_parts(parts_rec, key):
    rec_path, idx_path = parts_rec
    n, k, indexed = key
    kw = {"path_imgidx": idx_path} if indexed else {}
    it = mx.io.ImageRecordIter(path_imgrec=rec_path, data_shape=(3, 4, 4), batch_size=1,
                               num_parts=n, part_index=k, **kw)
    assert os.path.getsize(rec_path) == 10628
    assert _labels(it) == REC_PARTS[key]


def test_image_record_iter_empty_part_is_an_error(parts_rec):
    # MXNet 1.9.1 raises StopIteration from the constructor here
    with pytest.raises(mx.base.MXNetError, match="part 1 of 3.*holds no record"):
        mx.io.ImageRecordIter(path_imgrec=parts_rec[0], data_shape=(3, 4, 4), batch_size=1,
                              num_parts=3, part_index=1)


def test_pack_img_png_quality_is_a_compression_level():
    img = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    header = mx.recordio.IRHeader(0, 1.0, 0, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        packed = mx.recordio.pack_img(header, img, quality=95, img_fmt=".png")
    same = mx.recordio.pack_img(header, img, quality=9, img_fmt=".png")
    assert packed == same
    _, out = mx.recordio.unpack_img(packed)
    np.testing.assert_array_equal(out, img)


def test_mp_nag_mom_update_momentum_reads_updated_weight32():
    # MXNet 1.9.1's kernel writes weight32 first; the momentum's weight decay reads it
    rng = np.random.RandomState(1)
    w0 = rng.uniform(-1, 1, (2, 3)).astype(np.float32)
    g0 = rng.uniform(-1, 1, (2, 3)).astype(np.float32)
    m0 = rng.uniform(-1, 1, (2, 3)).astype(np.float32)
    w = mx.nd.array(w0, dtype="float16")
    w32, mom = mx.nd.array(w0), mx.nd.array(m0)
    mx.nd.mp_nag_mom_update(w, mx.nd.array(g0, dtype="float16"), mom, w32, out=w, lr=0.1,
                            wd=0.5, momentum=0.9)
    # oracle values (MXNet 1.9.1), float32 rounding tolerance
    np.testing.assert_allclose(mom.asnumpy(), [[-0.4437536, 0.65799433, -0.7485],
                                               [0.30389643, -0.09555775, 0.10426347]],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w32.asnumpy(), [[-0.5097636, 1.0700169, -1.6312051],
                                               [-0.09637171, -0.74263006, -0.71315825]],
                               rtol=1e-5, atol=1e-6)
    assert w.dtype == np.float16
    np.testing.assert_array_equal(w.asnumpy(), w32.asnumpy().astype(np.float16))


def test_nag_multi_precision_trajectory_with_wd():
    rng = np.random.RandomState(1)
    w0 = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    grads = [rng.uniform(-1, 1, (3, 4)).astype(np.float32) for _ in range(3)]
    opt = mx.optimizer.create("nag", learning_rate=0.1, momentum=0.9, multi_precision=True,
                              wd=0.01)
    w = mx.nd.array(w0, dtype="float16")
    state = opt.create_state_multi_precision(0, w)
    for g in grads:
        opt.update_multi_precision(0, w, mx.nd.array(g, dtype="float16"), state)
    # MXNet 1.9.1: weight row 0 and the first two momentum entries after 3 steps
    np.testing.assert_allclose(w.asnumpy()[0], [-0.2367, -0.1626, -0.2607, -0.3545],
                               atol=2e-4)
    np.testing.assert_allclose(state[0].asnumpy()[0, :2], [-0.05675893, -0.1993762],
                               rtol=1e-5)


def test_recordio_wrong_mode_is_an_assertion_error_too(tmp_path):
    path = str(tmp_path / "m.rec")
    writer = mx.recordio.MXRecordIO(path, "w")
    with pytest.raises(AssertionError, match="opened with flag 'w'"):
        writer.read()
    writer.write(b"abc")
    writer.close()
    reader = mx.recordio.MXRecordIO(path, "r")
    with pytest.raises(mx.base.MXNetError, match="opened with flag 'r'"):
        reader.write(b"x")
    assert reader.read() == b"abc"


def test_print_summary_leaves_out_loss_labels(capsys):
    data = mx.sym.Variable("data")
    conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="conv")
    bn = mx.sym.BatchNorm(conv, name="bn")
    pool = mx.sym.Pooling(mx.sym.Activation(bn, act_type="relu", name="relu"), kernel=(2, 2),
                          stride=(2, 2), pool_type="max", name="pool")
    fc = mx.sym.FullyConnected(mx.sym.flatten(pool), num_hidden=5, name="fc")
    out = mx.sym.SoftmaxOutput(fc, name="softmax")
    mx.viz.print_summary(out, shape={"data": (1, 3, 8, 8)})
    text = capsys.readouterr().out
    # MXNet 1.9.1's table: conv 112, bn 8, fc 185, the SoftmaxOutput row 0, total 305
    rows = {ln.split()[0]: ln.split() for ln in text.splitlines() if "(" in ln.split(" ")[0]}
    assert rows["softmax(SoftmaxOutput)"][2] == "0"
    assert rows["conv(Convolution)"][2] == "112" and rows["fc(FullyConnected)"][2] == "185"
    assert "Total params: 305" in text


def test_copy_make_border_scalar_values():
    img = mx.nd.array(np.arange(12).reshape(2, 2, 3), dtype="uint8")
    out = mx.image.copyMakeBorder(img, 1, 0, 0, 1, values=7).asnumpy()
    # MXNet 1.9.1: a scalar ``values`` is one channel's value (others 0)
    assert out.tolist() == [[[7, 0, 0], [7, 0, 0], [7, 0, 0]],
                            [[0, 1, 2], [3, 4, 5], [7, 0, 0]],
                            [[6, 7, 8], [9, 10, 11], [7, 0, 0]]]
    out = mx.image.copyMakeBorder(img, 1, 0, 0, 1, value=5).asnumpy()
    assert (out[0] == 5).all() and (out[1:, 2] == 5).all()


def test_plot_network_source_matches_mxnet():
    import graphviz  # noqa: F401  (a test dependency, pyproject [test])
    data = mx.sym.Variable("data")
    conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, name="conv")
    bn = mx.sym.BatchNorm(conv, name="bn")
    act = mx.sym.Activation(bn, act_type="relu", name="relu")
    pool = mx.sym.Pooling(act, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool")
    cat = mx.sym.concat(pool, pool, dim=1, name="cc")
    fc = mx.sym.FullyConnected(mx.sym.flatten(cat, name="flatten0"), num_hidden=5, name="fc")
    out = mx.sym.SoftmaxOutput(fc, name="softmax")
    source = mx.viz.plot_network(out, shape={"data": (1, 3, 8, 8)}).source
    # written by MXNet 1.9.1 (graphviz 0.8.4) for the same network
    with open(os.path.join(os.path.dirname(__file__), "fixtures",
                           "modio5_plot_network.gv")) as f:
        expected = f.read()
    assert source.strip() == expected.strip()
    shown = mx.viz.plot_network(out, hide_weights=False).source
    # weights are never nodes, but without hide_weights their edges stay
    assert "\tconv_weight [" not in shown and "conv -> conv_weight" in shown


def test_sequential_module_duplicate_parameter_is_an_assertion_error_too():
    first = mx.mod.Module(mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=4,
                                                name="fc1"), label_names=None)
    data = mx.sym.Variable("data")
    second = mx.sym.FullyConnected(data, num_hidden=3, name="fc1")
    seq = mx.mod.SequentialModule().add(first).add(
        mx.mod.Module(second, label_names=None), auto_wiring=True)
    seq.bind([("data", (2, 5))])
    for kind in (AssertionError, ValueError):
        with pytest.raises(kind, match='Duplicated parameter names: name "fc1_weight"'):
            seq.init_params(force_init=True)


def test_feedforward_numpy_fit_draws_the_first_order_as_mxnet():
    # FeedForward resets its (shuffling) numpy iterator once before the first epoch, as
    # MXNet 1.9.1's training loop does; with the same numpy seed the trained model matches
    data = mx.sym.Variable("data")
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=3, name="fc"),
                               name="softmax")
    np.random.seed(3)
    x = np.random.RandomState(0).uniform(-1, 1, (20, 4)).astype(np.float32)
    y = (np.arange(20) % 3).astype(np.float32)
    model = mx.model.FeedForward(out, num_epoch=2, learning_rate=0.1,
                                 initializer=mx.init.Constant(0.1), numpy_batch_size=5)
    model.fit(x, y)
    pred = model.predict(x)
    # MXNet 1.9.1 (printed to 4 decimals)
    np.testing.assert_allclose(pred[:2], [[0.3445, 0.3291, 0.3264], [0.3403, 0.3359, 0.3238]],
                               atol=6e-5)
