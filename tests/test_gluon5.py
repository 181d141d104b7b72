"""Round-5 gluon conformance: behaviours found by tools/unittest_style/check_gluon5_*.py.

Expectations are MXNet 1.9.1's (oracle runs of those scripts); no MXNet needed here.
"""
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError
from mxtorch.gluon import rnn


def _raises_all(fn, *args, **kwargs):
    """MXNet asserts here: AssertionError must catch it (ValueError/MXNetError too)."""
    for cls in (AssertionError, ValueError, MXNetError):
        with pytest.raises(cls):
            fn(*args, **kwargs)


def test_modified_cell_cannot_run_alone():
    for wrap in (rnn.ResidualCell, rnn.ZoneoutCell,
                 mx.gluon.contrib.rnn.VariationalDropoutCell):
        base = rnn.GRUCell(2, input_size=2)
        wrap(base)
        _raises_all(base.begin_state, batch_size=2)
        _raises_all(base.unroll, 3, mx.nd.ones((2, 3, 2)))
    seq = rnn.HybridSequentialRNNCell()
    seq.add(rnn.RNNCell(2))
    rnn.ResidualCell(seq)
    _raises_all(seq.begin_state, batch_size=1)


def test_modifier_twice_and_zoneout_bidirectional():
    base = rnn.RNNCell(2)
    rnn.ResidualCell(base)
    _raises_all(rnn.ZoneoutCell, base)
    _raises_all(rnn.ZoneoutCell, rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2)))


def test_rnn_layer_layout_and_input_rank():
    for kind in (rnn.RNN, rnn.LSTM, rnn.GRU):
        _raises_all(kind, 4, layout="NCT")
        layer = kind(4, input_size=3)
        layer.initialize()
        _raises_all(layer, mx.nd.ones((2, 3)))


def test_unroll_length_mismatch_and_dropout_rate():
    cell = rnn.LSTMCell(2, input_size=2)
    cell.initialize()
    _raises_all(cell.unroll, 4, [mx.nd.ones((1, 2))] * 3)
    for cls in (AssertionError, TypeError):
        with pytest.raises(cls):
            rnn.DropoutCell("0.5")


def test_stack_with_bidirectional_cannot_step():
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.BidirectionalCell(rnn.RNNCell(2, input_size=2), rnn.RNNCell(2, input_size=2)))
    seq.initialize()
    _raises_all(seq, mx.nd.ones((1, 2)), seq.begin_state(batch_size=1))


def test_conv_rnn_cell_even_kernel():
    _raises_all(mx.gluon.contrib.rnn.Conv2DRNNCell, (1, 4, 4), 2, (3, 3), (2, 2))


@pytest.mark.parametrize("make", [
    lambda: mx.gluon.nn.LeakyReLU(-1),
    lambda: mx.gluon.nn.Lambda("no_such_function_x"),
    lambda: mx.gluon.nn.HybridLambda("no_such_function_x"),
    lambda: mx.gluon.nn.Conv1D(2, 3, layout="NWC"),
    lambda: mx.gluon.nn.Conv2D(2, (3, 3, 3)),
    lambda: mx.gluon.nn.Conv3DTranspose(2, (3, 3)),
    lambda: mx.gluon.nn.Conv2DTranspose(2, 3, output_padding=(1, 1, 1)),
    lambda: mx.gluon.nn.MaxPool2D((2, 2, 2)),
    lambda: mx.gluon.nn.AvgPool3D(layout="NCHW"),
    lambda: mx.gluon.nn.GlobalAvgPool1D(layout="NCHW"),
    lambda: mx.gluon.nn.ReflectionPad2D((1, 2)),
    lambda: mx.gluon.contrib.nn.PixelShuffle3D((2, 2)),
    lambda: mx.gluon.loss.CTCLoss(layout="NCT"),
    lambda: mx.gluon.loss.CTCLoss(label_layout="NC"),
    lambda: mx.gluon.data.DataLoader(mx.gluon.data.SimpleDataset([1, 2]), 1, timeout=0),
])
def test_layer_argument_checks_are_assertions(make):
    """MXNet 1.9.1 asserts these constructor arguments (oracle: AssertionError each)."""
    _raises_all(make)


@pytest.mark.parametrize("make", [
    lambda v: v.get_resnet(1, 19),
    lambda v: v.get_resnet(3, 18),
    lambda v: v.SqueezeNet("2.0"),
    lambda v: v.VGG([1, 2], [64]),
    lambda v: v.ResNetV1(v.BasicBlockV1, [2, 2], [64, 64]),
])
def test_model_zoo_spec_checks_are_assertions(make):
    _raises_all(make, mx.gluon.model_zoo.vision)


@pytest.mark.parametrize("make", [lambda v: v.get_vgg(12), lambda v: v.densenet.get_densenet(100)])
def test_model_zoo_unknown_depth_is_key_error(make):
    """MXNet looks the depth up in a dict: KeyError (ValueError and AssertionError work too)."""
    for cls in (KeyError, ValueError):
        with pytest.raises(cls, match="Invalid number of layers"):
            make(mx.gluon.model_zoo.vision)


def test_hybrid_graph_reading_unknown_variable():
    """MXNet asserts 'Unknown input to HybridBlock'; mxtorch's error is also an AssertionError."""
    class Extra(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return x + (F.var("extra") if F is mx.sym else x)

    for cls in (AssertionError, MXNetError):
        blk = Extra()
        blk.hybridize()
        with pytest.raises(cls, match="extra"):
            blk(mx.nd.ones((2,)))


def test_imresize_size_is_an_int_attribute():
    """MXNet parses imresize's w/h as int attributes: 0.3 or True fail with MXNetError
    (mxtorch used to hand 0 to OpenCV); a batch given to an image crop is a ValueError there."""
    img = mx.nd.ones((7, 9, 3), dtype="uint8")
    for w in (0.3, True, 0, -2):
        with pytest.raises(MXNetError, match="imresize: w"):
            mx.image.imresize(img, w, 3)
    assert mx.image.imresize(img, 4, 3).shape == (3, 4, 3)
    with pytest.raises(MXNetError):
        mx.gluon.data.vision.transforms.RandomResizedCrop(0.3)(img)
    for cls in (MXNetError, ValueError):
        with pytest.raises(cls, match="expects an image of shape"):
            mx.gluon.data.vision.transforms.RandomResizedCrop(4)(mx.nd.stack(img, img))


def test_download_failure_is_an_oserror(tmp_path):
    """MXNet lets the network error through (requests.ConnectionError, an OSError); mxtorch's
    error names the offline fix and is an OSError and an MXNetError."""
    for cls in (OSError, ConnectionError, MXNetError):
        with pytest.raises(cls, match="could not fetch"):
            mx.gluon.utils.download("http://127.0.0.1:9/a.bin", path=str(tmp_path), retries=0)
