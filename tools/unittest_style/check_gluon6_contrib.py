"""Round-6 gluon.contrib layer/cell checks (parameter shapes and values with a fixed init).

Every parameter gets a deterministic value (a sine ramp), so outputs are comparable across
implementations; the expected absolute sums were read from MXNet 1.9.1 (tolerance 1e-3 rel).
Run through ``tools/unittest_style/run.py --only gluon6`` (real MXNet 1.9.1 and mxtorch).
"""
import os
import sys

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import contrib
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main


def _det_init(blk):
    for i, (_, p) in enumerate(sorted(blk.collect_params().items())):
        n = int(np.prod(p.shape))
        p.set_data(mx.nd.array((np.sin(np.arange(n) * 0.7 + i) * 0.2).reshape(p.shape)))


def _inputs(shape, seed):
    rng = np.random.RandomState(seed)
    return mx.nd.array(rng.uniform(-1, 1, shape))


def _run(blk, *inputs):
    blk.initialize()
    blk(*inputs)
    _det_init(blk)
    out = blk(*inputs)
    flat = []
    for o in (out if isinstance(out, (list, tuple)) else [out]):
        flat.extend(o if isinstance(o, (list, tuple)) else [o])
    shapes = sorted((k, v.shape) for k, v in blk.collect_params().items())
    return shapes, [o.shape for o in flat], [float(np.abs(o.asnumpy()).sum()) for o in flat]


def _check_sums(got, want):
    if os.environ.get("G6_RECORD"):  # print the sums to refresh the literals from MXNet
        print("RECORD", [round(g, 3) for g in got], file=sys.stderr)
        return
    assert np.allclose(got, want, rtol=1e-3, atol=1e-3), (got, want)


CONV_CELLS = {
    # name: (input shape, hidden, i2h kernel, h2h kernel, i2h_pad, param shapes, out, sums)
    "Conv1DRNNCell": ((3, 8), 4, (3,), (3,), (0,), [(4,), (4, 4, 3), (4,), (4, 3, 3)],
                      (2, 4, 6), [10.492]),
    "Conv1DGRUCell": ((3, 8), 4, (3,), (3,), (0,), [(12,), (12, 4, 3), (12,), (12, 3, 3)],
                      (2, 4, 6), [4.812]),
    "Conv2DRNNCell": ((3, 6, 6), 4, (3, 3), (3, 3), (1, 1),
                      [(4,), (4, 4, 3, 3), (4,), (4, 3, 3, 3)], (2, 4, 6, 6), [95.125]),
    "Conv2DLSTMCell": ((3, 6, 6), 4, (3, 3), (3, 3), (1, 1),
                       [(16,), (16, 4, 3, 3), (16,), (16, 3, 3, 3)], (2, 4, 6, 6),
                       [26.466, 26.466]),
    "Conv2DGRUCell": ((3, 6, 6), 4, (3, 3), (3, 3), (1, 1),
                      [(12,), (12, 4, 3, 3), (12,), (12, 3, 3, 3)], (2, 4, 6, 6), [49.118]),
    "Conv3DRNNCell": ((3, 4, 4, 4), 2, (3, 3, 3), (3, 3, 3), (1, 1, 1),
                      [(2,), (2, 2, 3, 3, 3), (2,), (2, 3, 3, 3, 3)], (2, 2, 4, 4, 4),
                      [84.839]),
    "Conv3DGRUCell": ((3, 4, 4, 4), 2, (3, 3, 3), (3, 3, 3), (1, 1, 1),
                      [(6,), (6, 2, 3, 3, 3), (6,), (6, 3, 3, 3, 3)], (2, 2, 4, 4, 4),
                      [50.469]),
}


@with_seed()
def test_conv_rnn_cells_shapes_values():
    for seed, (name, spec) in enumerate(sorted(CONV_CELLS.items())):
        in_shape, hidden, i2h_k, h2h_k, pad, pshapes, oshape, sums = spec
        seed = {1: 0, 2: 1, 3: 2}[len(in_shape) - 1]
        x = _inputs((2,) + in_shape, seed)
        cell = getattr(contrib.rnn, name)(in_shape, hidden, i2h_k, h2h_k, i2h_pad=pad,
                                          prefix="c_")
        shapes, outs, got = _run(cell, x, cell.begin_state(batch_size=2))
        assert [s for _, s in shapes] == pshapes, (name, shapes)
        assert [k for k, _ in shapes] == ["c_h2h_bias", "c_h2h_weight", "c_i2h_bias",
                                          "c_i2h_weight"]
        assert all(o == oshape for o in outs), (name, outs)
        _check_sums(got[:len(sums)], sums)


@with_seed()
def test_conv1d_cells_dilation():
    x = _inputs((2, 3, 8), 0)
    for name, sums in (("Conv1DRNNCell", [14.371]), ("Conv1DGRUCell", [6.976])):
        cell = getattr(contrib.rnn, name)((3, 8), 4, (3,), (5,), i2h_pad=(1,), i2h_dilate=(1,),
                                          h2h_dilate=(2,), prefix="d_")
        shapes, outs, got = _run(cell, x, cell.begin_state(batch_size=2))
        assert dict(shapes)["d_h2h_weight"][2] == 5
        assert outs[0] == (2, 4, 8)
        _check_sums(got[:1], sums)


@with_seed()
def test_conv_lstm_unroll_and_state_info():
    cell = contrib.rnn.Conv2DLSTMCell((3, 6, 6), 4, (3, 3), (3, 3), i2h_pad=(1, 1), prefix="u_")
    cell.initialize()
    cell(_inputs((2, 3, 6, 6), 1), cell.begin_state(batch_size=2))
    _det_init(cell)
    xs = _inputs((2, 5, 3, 6, 6), 3)
    outs, states = cell.unroll(5, xs, layout="NTC", merge_outputs=True)
    assert outs.shape == (2, 5, 4, 6, 6)
    assert [s.shape for s in states] == [(2, 4, 6, 6), (2, 4, 6, 6)]
    _check_sums([float(np.abs(outs.asnumpy()).sum())], [138.474])
    info = contrib.rnn.Conv2DRNNCell((3, 6, 6), 2, (3, 3), (3, 3)).state_info(2)
    assert info == [{"shape": (2, 2, 4, 4), "__layout__": "NCHW"}], info


@with_seed()
def test_variational_dropout_cell():
    base = gluon.rnn.LSTMCell(5, input_size=8, prefix="vd_")
    cell = contrib.rnn.VariationalDropoutCell(base, drop_inputs=0.3, drop_states=0.2,
                                              drop_outputs=0.1)
    cell.initialize()
    xs = _inputs((2, 4, 8), 4)
    cell.unroll(4, xs)
    _det_init(cell)
    with autograd.train_mode():
        out, states = cell.unroll(4, xs, merge_outputs=True)
    assert out.shape == (2, 4, 5) and [s.shape for s in states] == [(2, 5), (2, 5)]
    cell.reset()
    out, _ = cell.unroll(4, xs, merge_outputs=True)
    _check_sums([float(np.abs(out.asnumpy()).sum())], [2.691])
    assert repr(cell) == "VariationalDropoutCell(p_out = 0.1, p_state = 0.2)"


@with_seed()
def test_lstmp_cell_contrib():
    cell = contrib.rnn.LSTMPCell(6, 3, input_size=8, prefix="lp_")
    x = _inputs((2, 3, 8), 0)[:, 0]
    shapes, outs, got = _run(cell, x, cell.begin_state(batch_size=2))
    assert shapes == [("lp_h2h_bias", (24,)), ("lp_h2h_weight", (24, 3)),
                      ("lp_h2r_weight", (3, 6)), ("lp_i2h_bias", (24,)),
                      ("lp_i2h_weight", (24, 8))]
    assert outs == [(2, 3), (2, 3), (2, 6)]
    _check_sums(got, [0.088, 0.088, 0.539])
    assert repr(cell) == "LSTMPCell(8 -> 24 -> 3)"
    assert cell.state_info(2) == [{"shape": (2, 3), "__layout__": "NC"},
                                  {"shape": (2, 6), "__layout__": "NC"}]


@with_seed()
def test_pixel_shuffle_values_and_repr():
    cases = [("PixelShuffle1D", (1, 6, 5), 2, (1, 3, 10),
              [0, 5, 1, 6, 2, 7, 3, 8, 4, 9, 10, 15], "PixelShuffle1D(2)"),
             ("PixelShuffle2D", (1, 8, 3, 2), (2, 2), (1, 2, 6, 4),
              [0, 6, 1, 7, 12, 18, 13, 19, 2, 8, 3, 9], "PixelShuffle2D((2, 2))"),
             ("PixelShuffle3D", (1, 16, 2, 2, 2), 2, (1, 2, 4, 4, 4),
              [0, 8, 1, 9, 16, 24, 17, 25, 2, 10, 3, 11], "PixelShuffle3D((2, 2, 2))")]
    for name, shape, factor, oshape, head, rep in cases:
        blk = getattr(contrib.nn, name)(factor)
        out = blk(mx.nd.arange(np.prod(shape)).reshape(shape))
        assert out.shape == oshape
        assert out.asnumpy().ravel()[:12].tolist() == head, name
        assert repr(blk) == rep, repr(blk)


@with_seed()
def test_sync_batchnorm_and_sparse_embedding_repr():
    sb = contrib.nn.SyncBatchNorm(in_channels=3, num_devices=1, prefix="sbn_")
    assert repr(sb) == ("SyncBatchNorm(eps=1e-05, momentum=0.9, fix_gamma=False, "
                        "use_global_stats=False, ndev=1, key='sbn_', in_channels=3)"), repr(sb)
    sb.initialize()
    x = _inputs((2, 3, 6, 6), 1)
    with autograd.record():
        y = sb(x)
    mean = x.asnumpy().mean(axis=(0, 2, 3), keepdims=True)
    std = np.sqrt(x.asnumpy().var(axis=(0, 2, 3), keepdims=True) + 1e-5)
    assert_almost_equal(y.asnumpy(), (x.asnumpy() - mean) / std, rtol=1e-4, atol=1e-4)
    se = contrib.nn.SparseEmbedding(10, 4)
    assert repr(se).endswith("(10 -> 4, float32)")
    se.initialize()
    assert se.weight._stype == "row_sparse" or se.weight.grad_stype == "row_sparse"


@with_seed()
def test_deformable_convolutions():
    x = _inputs((2, 3, 6, 6), 1)
    dc = contrib.cnn.DeformableConvolution(4, kernel_size=(3, 3), padding=(1, 1), in_channels=3,
                                           prefix="dc_")
    shapes, outs, got = _run(dc, x)
    assert shapes == [("dc_deformable_conv_bias", (4,)), ("dc_deformable_conv_weight", (4, 3, 3, 3)),
                      ("dc_offset_bias", (18,)), ("dc_offset_weight", (18, 3, 3, 3))]
    assert outs == [(2, 4, 6, 6)]
    _check_sums(got, [59.963])
    dc2 = contrib.cnn.DeformableConvolution(4, kernel_size=(3, 3), strides=(2, 2),
                                            use_bias=False, offset_use_bias=False,
                                            activation="relu", prefix="dd_")
    shapes, outs, got = _run(dc2, x)
    assert [k for k, _ in shapes] == ["dd_deformable_conv_weight", "dd_offset_weight"]
    assert outs == [(2, 4, 2, 2)]
    _check_sums(got, [4.465])
    mdc = contrib.cnn.ModulatedDeformableConvolution(4, kernel_size=(3, 3), padding=(1, 1),
                                                     in_channels=3, prefix="md_")
    shapes, outs, got = _run(mdc, x)
    assert dict(shapes)["md_offset_weight"] == (27, 3, 3, 3)
    assert outs == [(2, 4, 6, 6)]
    _check_sums(got, [61.446])


main(globals())
