"""Patterns from the d2l library (Dive into Deep Learning, MXNet edition) that mxtorch got wrong.

Found by tools/libs/d2l/drive.py (d2l 0.17.6 on MXNet 1.9.1 vs mxtorch). Expected values were
captured from MXNet 1.9.1; tolerances rtol 1e-5 / atol 1e-6 (float32). No d2l, no MXNet needed.
"""
import numpy as onp
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon, init, np, npx
from mxtorch.gluon import nn, rnn


@pytest.fixture
def np_mode():
    prev = (mx.util.is_np_shape(), mx.util.is_np_array())
    npx.set_np()
    yield
    mx.util.set_np(shape=prev[0], array=prev[1])


def test_python_range_is_an_index_array(np_mode):
    # d2l's cross_entropy: -np.log(y_hat[range(len(y_hat)), y])
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    got = y_hat[range(2), np.array([0, 2])]
    onp.testing.assert_allclose(got.asnumpy(), [0.1, 0.5], rtol=1e-6)
    x = np.arange(12).reshape(3, 4)
    assert x[range(1, 3)].shape == (2, 4)
    assert x[:, range(2)].shape == (3, 2)
    x[range(2)] = 5
    assert x.asnumpy()[:2].tolist() == [[5.0] * 4] * 2 and x.asnumpy()[2, 0] == 8
    legacy = mx.nd.arange(12).reshape(3, 4)
    assert legacy[range(2)].shape == (2, 4)


def test_initializer_gets_np_arrays_in_np_mode(np_mode):
    seen = []

    class LinInit(init.Initializer):
        def _init_weight(self, name, data):
            seen.append(type(data))
            data[:] = np.linspace(-10, 10, data.size).reshape(data.shape)
            data *= np.abs(data) >= 5   # mx.np only: a legacy NDArray raises here

    d = nn.Dense(3, in_units=2)
    d.initialize(LinInit())
    assert seen == [np.ndarray]
    onp.testing.assert_allclose(d.weight.data().asnumpy(), [[-10, -6], [0, 0], [6, 10]])

    class WithConstant(nn.Block):
        def __init__(self):
            super().__init__()
            self.c = self.params.get_constant('c', np.ones((2, 2)))

    blk = WithConstant()
    blk.initialize()
    assert type(blk.c.data()) is np.ndarray and float(blk.c.data().sum()) == 4.0
    for ini in (init.Xavier(), init.Uniform(), init.Normal(), init.Orthogonal(), init.One()):
        dense = nn.Dense(4, in_units=4)
        dense.initialize(ini)
        assert type(dense.weight.data()) is np.ndarray


_GRU_Y = [[[0.014771, 0.014771, 0.014771], [0.056135, 0.056135, 0.056135]],
          [[0.101652, 0.101652, 0.101652], [0.158997, 0.158997, 0.158997]]]


@pytest.mark.parametrize('hybridize', [False, True])
def test_rnn_layers_return_np_arrays_in_np_mode(np_mode, hybridize):
    # d2l's Seq2SeqDecoder feeds state[0][-1] to np.broadcast_to
    layer = rnn.GRU(3, 1)
    layer.initialize(init.Constant(0.1))
    if hybridize:
        layer.hybridize()
    x = np.arange(12.).reshape(2, 2, 3) / 10
    y, state = layer(x, layer.begin_state(batch_size=2))
    assert type(y) is np.ndarray and [type(s) for s in state] == [np.ndarray]
    onp.testing.assert_allclose(y.asnumpy(), _GRU_Y, rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(state[0].asnumpy(), [_GRU_Y[1]], rtol=1e-5, atol=1e-6)
    if not hybridize:  # (a hybridized layer keeps the traced with-states output format)
        assert type(layer(x)) is np.ndarray
    lstm = rnn.LSTM(3, 2)
    lstm.initialize()
    _, states = lstm(x, lstm.begin_state(batch_size=2))
    assert [type(s) for s in states] == [np.ndarray, np.ndarray]
    context = np.broadcast_to(states[0][-1], (4, 2, 3))
    assert context.shape == (4, 2, 3)


def test_trainer_step_with_array_batch_size(np_mode):
    # d2l's train_seq2seq: trainer.step(Y_valid_len.sum())
    d = nn.Dense(1, in_units=2)
    d.initialize(init.One())
    trainer = gluon.Trainer(d.collect_params(), 'adam', {'learning_rate': 0.1})
    with autograd.record():
        loss = (d(np.array([[1., 2.]])) ** 2).sum()
    loss.backward()
    trainer.step(np.array([4.0]).sum())
    onp.testing.assert_allclose(d.weight.data().asnumpy(), [[0.8999994, 0.8999994]], rtol=1e-6)
    onp.testing.assert_allclose(d.bias.data().asnumpy(), [-0.10000063], rtol=1e-5)
    assert trainer.optimizer.rescale_grad == 0.25


def test_state_reused_after_backward_then_detach(np_mode):
    # d2l's train_epoch_ch8 calls `s.detach()` (discarding the result) and reuses `state`:
    # MXNet clears a graph at backward, so the state is a constant in the next step.
    w = np.array([[0.5]])
    w.attach_grad()
    state = np.ones((1, 1))
    got = []
    for _ in range(3):
        with autograd.record():
            state = np.tanh(np.dot(state, w) + 1)
            loss = (state * state).sum()
        loss.backward()
        state.detach()
        got.append([float(w.grad[0, 0]), float(state[0, 0])])
    want = [[0.32713258, 0.90514827], [0.31932551, 0.89620072], [0.31839886, 0.89531660]]
    onp.testing.assert_allclose(got, want, rtol=1e-5)


def test_rnn_layer_state_carried_across_steps(np_mode):
    layer = rnn.GRU(2)
    layer.initialize(init.Constant(0.2))
    trainer = gluon.Trainer(layer.collect_params(), 'sgd', {'learning_rate': 0.5})
    state = layer.begin_state(batch_size=1)
    x = np.arange(6.).reshape(3, 1, 2) / 6
    losses = []
    for _ in range(3):
        for s in state:
            s.detach()
        with autograd.record():
            y, state = layer(x, state)
            loss = y.sum()
        loss.backward()
        trainer.step(1)
        losses.append(float(loss))
    onp.testing.assert_allclose(losses, [0.56300831, -3.13840294, -5.55462885], rtol=1e-5)
    onp.testing.assert_allclose(layer.l0_h2h_weight.data().asnumpy()[::2, 0],
                                [0.171646, 0.248794, 0.241632], rtol=1e-5)


def test_detach_keeps_a_live_graph(np_mode):
    # MXNet 2.5.3 (autograd): detach() returns a constant copy; the original still backprops
    x = np.arange(4.0)
    x.attach_grad()
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), u.asnumpy())
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * x.asnumpy())


def test_rnn_layer_state_reused_without_detach(np_mode):
    # MXNet: the state of step k is a constant in step k+1 once backward cleared its graph
    layer = rnn.LSTM(2)
    layer.initialize(init.Constant(0.2))
    trainer = gluon.Trainer(layer.collect_params(), 'sgd', {'learning_rate': 0.5})
    state = layer.begin_state(batch_size=1)
    x = np.arange(6.).reshape(3, 1, 2) / 6
    losses = []
    for _ in range(3):
        with autograd.record():
            y, state = layer(x, state)
            loss = y.sum()
        loss.backward()
        trainer.step(1)
        losses.append(float(loss))
    onp.testing.assert_allclose(losses, [0.39756143, -1.52161169, -2.66322994], rtol=1e-5)
    onp.testing.assert_allclose(layer.l0_h2h_weight.data().asnumpy()[::2, 0],
                                [0.148038, 0.146873, 0.204485, 0.071126], rtol=1e-5)


def test_image_functions_return_np_arrays_in_np_mode(np_mode, tmp_path):
    # d2l's VOC pipeline: imread -> (img / 255 - mean) / std with mx.np means, random crops
    import cv2
    img = onp.arange(6 * 8 * 3, dtype=onp.uint8).reshape(6, 8, 3)
    path = str(tmp_path / "x.png")
    cv2.imwrite(path, img[:, :, ::-1])
    read = mx.image.imread(path)
    assert isinstance(read, np.ndarray)
    onp.testing.assert_array_equal(read.asnumpy(), img)
    norm = (read.astype('float32') / 255 - np.array([0.5, 0.4, 0.3])) / np.array([0.2, 0.2, 0.2])
    assert isinstance(norm, np.ndarray)
    crop = mx.image.fixed_crop(norm, 1, 2, 4, 3)
    assert isinstance(crop, np.ndarray) and crop.shape == (3, 4, 3)
    onp.testing.assert_array_equal(crop.asnumpy(), norm.asnumpy()[2:5, 1:5])
    for out in (mx.image.random_crop(read, (4, 4))[0], mx.image.imresize(read, 4, 3),
                mx.image.imdecode(open(path, 'rb').read()), mx.image.center_crop(read, (3, 3))[0],
                mx.image.resize_short(read, 4), mx.image.copyMakeBorder(read, 1, 1, 1, 1)):
        assert isinstance(out, np.ndarray)


def test_image_functions_keep_legacy_arrays_outside_np_mode(tmp_path):
    import cv2
    path = str(tmp_path / "x.png")
    cv2.imwrite(path, onp.zeros((4, 5, 3), onp.uint8))
    read = mx.image.imread(path)
    assert type(read) is mx.nd.NDArray
    assert type(mx.image.fixed_crop(read, 0, 0, 2, 2)) is mx.nd.NDArray
    assert type(mx.image.imresize(read, 3, 3)) is mx.nd.NDArray


def test_dataloader_batches_np_samples_as_np_arrays(np_mode):
    # MXNet 1.9.1 stacks with mx.np.stack under npx.set_np() (d2l's VOC/BERT datasets return
    # mx.np samples; a legacy batch then fails in mx.np arithmetic with np parameters)
    ds = gluon.data.ArrayDataset(np.arange(6.).reshape(3, 2), np.arange(3.))
    batches = list(gluon.data.DataLoader(ds, 2))
    for x, y in batches:
        assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
    assert batches[0][0].sum().shape == ()
    onp.testing.assert_array_equal(batches[1][0].asnumpy(), [[4., 5.]])
    single = list(gluon.data.DataLoader(gluon.data.SimpleDataset([np.ones((2,))] * 2), 2))
    assert isinstance(single[0], np.ndarray) and single[0].shape == (2, 2)


def test_dataloader_batches_stay_legacy_outside_np_mode():
    ds = gluon.data.ArrayDataset(mx.nd.arange(6).reshape(3, 2), mx.nd.arange(3))
    x, y = next(iter(gluon.data.DataLoader(ds, 2)))
    assert type(x) is mx.nd.NDArray and x.sum().shape == (1,)
