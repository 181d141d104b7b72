"""gluon.rnn and Module checks in the style of MXNet's test_gluon_rnn.py / test_module.py."""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_rnn_cells():
    cell = gluon.rnn.RNNCell(100, prefix="rnn_")
    inputs = [mx.sym.Variable("rnn_t%d_data" % i) for i in range(3)]
    outputs, _ = cell.unroll(3, inputs)
    outputs = mx.sym.Group(outputs)
    assert sorted(cell.collect_params().keys()) == ["rnn_h2h_bias", "rnn_h2h_weight",
                                                    "rnn_i2h_bias", "rnn_i2h_weight"]
    assert outputs.list_outputs() == ["rnn_t0_out_output", "rnn_t1_out_output", "rnn_t2_out_output"]
    args, outs, auxs = outputs.infer_shape(rnn_t0_data=(10, 50), rnn_t1_data=(10, 50),
                                           rnn_t2_data=(10, 50))
    assert outs == [(10, 100), (10, 100), (10, 100)]
    cell = gluon.rnn.LSTMCell(100, prefix="rnn_")
    outputs, _ = cell.unroll(3, inputs)
    outputs = mx.sym.Group(outputs)
    assert outputs.list_outputs() == ["rnn_t0_out_output", "rnn_t1_out_output", "rnn_t2_out_output"]
    args, outs, auxs = outputs.infer_shape(rnn_t0_data=(10, 50), rnn_t1_data=(10, 50),
                                           rnn_t2_data=(10, 50))
    assert outs == [(10, 100), (10, 100), (10, 100)]
    cell = gluon.rnn.GRUCell(100, prefix="rnn_")
    outputs, _ = cell.unroll(3, inputs)
    outputs = mx.sym.Group(outputs)
    assert sorted(cell.collect_params().keys()) == ["rnn_h2h_bias", "rnn_h2h_weight",
                                                    "rnn_i2h_bias", "rnn_i2h_weight"]


def check_rnn_layer_forward(layer, inputs, states=None, run_only=False, ctx=mx.cpu()):
    layer.collect_params().initialize(ctx=ctx)
    inputs = inputs.as_in_context(ctx)
    inputs.attach_grad()
    if states is not None:
        if isinstance(states, (list, tuple)):
            states = [s.as_in_context(ctx) for s in states]
        else:
            states = states.as_in_context(ctx)
    with mx.autograd.record():
        if states is None:
            out = layer(inputs)
        else:
            out = layer(inputs, states)
        if states is not None:
            assert isinstance(out, (list, tuple)) and len(out) == 2
            out = out[0]
        else:
            assert isinstance(out, mx.nd.NDArray)
        out.backward()
    np_out = out.asnumpy()
    np_dx = inputs.grad.asnumpy()
    layer.hybridize()
    with mx.autograd.record():
        if states is not None:
            out = layer(inputs, states)
            assert isinstance(out, (list, tuple)) and len(out) == 2
            out = out[0]
        else:
            out = layer(inputs)
            assert isinstance(out, mx.nd.NDArray)
        out.backward()
    if states is not None:
        layer(inputs, states)
    else:
        layer(inputs)
    if not run_only:
        mx.test_utils.assert_almost_equal(np_out, out.asnumpy(), rtol=1e-3, atol=1e-5)
        mx.test_utils.assert_almost_equal(np_dx, inputs.grad.asnumpy(), rtol=1e-3, atol=1e-5)


@with_seed()
def test_rnn_layers():
    check_rnn_layer_forward(gluon.rnn.RNN(10, 2), mx.nd.ones((8, 3, 20)))
    check_rnn_layer_forward(gluon.rnn.RNN(10, 2, bidirectional=True), mx.nd.ones((8, 3, 20)),
                            mx.nd.ones((4, 3, 10)))
    check_rnn_layer_forward(gluon.rnn.LSTM(10, 2), mx.nd.ones((8, 3, 20)))
    check_rnn_layer_forward(gluon.rnn.LSTM(10, 2, bidirectional=True), mx.nd.ones((8, 3, 20)),
                            [mx.nd.ones((4, 3, 10)), mx.nd.ones((4, 3, 10))])
    check_rnn_layer_forward(gluon.rnn.GRU(10, 2), mx.nd.ones((8, 3, 20)))
    check_rnn_layer_forward(gluon.rnn.GRU(10, 2, bidirectional=True), mx.nd.ones((8, 3, 20)),
                            mx.nd.ones((4, 3, 10)))
    check_rnn_layer_forward(gluon.rnn.RNN(10, 2, dropout=0.5), mx.nd.ones((8, 3, 20)), run_only=True)
    check_rnn_layer_forward(gluon.rnn.LSTM(10, 2, layout="NTC", dropout=0.5),
                            mx.nd.ones((8, 3, 20)), run_only=True)
    check_rnn_layer_forward(gluon.rnn.LSTM(10, 2, projection_size=5), mx.nd.ones((8, 3, 20)),
                            run_only=True)
    net = gluon.nn.Sequential()
    net.add(gluon.rnn.LSTM(10, bidirectional=True))
    net.add(gluon.nn.BatchNorm(axis=2))
    net.add(gluon.nn.Flatten())
    net.add(gluon.nn.Dense(3, activation="relu"))
    net.collect_params().initialize()
    with mx.autograd.record():
        net(mx.nd.ones((2, 3, 10))).backward()


@with_seed()
def test_rnn_cell_unroll_and_states():
    for cell in [gluon.rnn.RNNCell(4, input_size=3), gluon.rnn.LSTMCell(4, input_size=3),
                 gluon.rnn.GRUCell(4, input_size=3)]:
        cell.initialize()
        x = mx.nd.random.uniform(shape=(2, 5, 3))
        outputs, states = cell.unroll(5, x, layout="NTC", merge_outputs=True)
        assert outputs.shape == (2, 5, 4)
        outs2, states2 = cell.unroll(5, x, layout="NTC", merge_outputs=False)
        assert len(outs2) == 5
        assert_almost_equal(outputs[:, -1], outs2[-1], rtol=1e-5, atol=1e-6)
        begin = cell.begin_state(batch_size=2)
        assert all(s.shape == (2, 4) for s in begin)
        info = cell.state_info(2)
        assert info[0]["shape"] == (2, 4)
        vl = mx.nd.array([2, 5])
        out3, st3 = cell.unroll(5, x, layout="NTC", merge_outputs=True, valid_length=vl)
        assert float(out3[0, 3:].abs().sum().asscalar()) == 0.0
    seq = gluon.rnn.SequentialRNNCell()
    seq.add(gluon.rnn.LSTMCell(4, input_size=3))
    seq.add(gluon.rnn.LSTMCell(5, input_size=4))
    seq.initialize()
    o, s = seq.unroll(3, mx.nd.ones((2, 3, 3)), layout="NTC", merge_outputs=True)
    assert o.shape == (2, 3, 5) and len(s) == 4
    bi = gluon.rnn.BidirectionalCell(gluon.rnn.GRUCell(4, input_size=3), gluon.rnn.GRUCell(4, input_size=3))
    bi.initialize()
    o, s = bi.unroll(3, mx.nd.ones((2, 3, 3)), layout="NTC", merge_outputs=True)
    assert o.shape == (2, 3, 8)
    res = gluon.rnn.ResidualCell(gluon.rnn.GRUCell(3, input_size=3))
    res.initialize()
    o, s = res.unroll(2, mx.nd.ones((2, 2, 3)), layout="NTC", merge_outputs=True)
    assert o.shape == (2, 2, 3)
    zo = gluon.rnn.ZoneoutCell(gluon.rnn.RNNCell(3, input_size=3), zoneout_outputs=0.5)
    zo.initialize()
    o, s = zo.unroll(2, mx.nd.ones((2, 2, 3)), layout="NTC", merge_outputs=True)
    assert o.shape == (2, 2, 3)
    dc = gluon.rnn.DropoutCell(0.5)
    o, s = dc.unroll(2, mx.nd.ones((2, 2, 3)), layout="NTC", merge_outputs=True)
    assert o.shape == (2, 2, 3)


@with_seed()
def test_rnn_layer_begin_state_and_params():
    layer = gluon.rnn.LSTM(8, num_layers=2, input_size=4, prefix="lstm_")
    layer.initialize()
    keys = sorted(layer.collect_params().keys())
    assert "lstm_l0_i2h_weight" in keys and "lstm_l1_h2h_bias" in keys
    assert layer.collect_params()["lstm_l0_i2h_weight"].shape == (32, 4)
    states = layer.begin_state(batch_size=3)
    assert len(states) == 2 and states[0].shape == (2, 3, 8)
    out, new_states = layer(mx.nd.ones((5, 3, 4)), states)
    assert out.shape == (5, 3, 8) and new_states[1].shape == (2, 3, 8)
    layer = gluon.rnn.GRU(8, layout="NTC", input_size=4)
    layer.initialize()
    assert layer(mx.nd.ones((3, 5, 4))).shape == (3, 5, 8)
    assert "GRU(4 -> 8, NTC)" in repr(layer)


def _simple_mlp():
    data = mx.sym.Variable("data")
    fc1 = mx.sym.FullyConnected(data, name="fc1", num_hidden=16)
    act = mx.sym.Activation(fc1, act_type="relu")
    fc2 = mx.sym.FullyConnected(act, name="fc2", num_hidden=3)
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


@with_seed()
def test_module_fit_predict_score():
    x = np.random.normal(size=(60, 5)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32) + (x[:, 1] > 0)
    it = mx.io.NDArrayIter(x, y, batch_size=10, shuffle=True)
    mod = mx.mod.Module(_simple_mlp(), data_names=["data"], label_names=["softmax_label"])
    mod.fit(it, num_epoch=3, optimizer="sgd", optimizer_params={"learning_rate": 0.1},
            initializer=mx.init.Xavier(), eval_metric="acc")
    it.reset()
    score = mod.score(it, "acc")
    assert score[0][0] == "accuracy" and 0 <= score[0][1] <= 1
    pred = mod.predict(mx.io.NDArrayIter(x, None, batch_size=10))
    assert pred.shape == (60, 3)
    arg, aux = mod.get_params()
    assert sorted(arg) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    prefix = os.path.join(tempfile.mkdtemp(), "mod")
    mod.save_checkpoint(prefix, 3, save_optimizer_states=True)
    mod2 = mx.mod.Module.load(prefix, 3, load_optimizer_states=True, data_names=["data"],
                              label_names=["softmax_label"])
    mod2.bind(data_shapes=[("data", (10, 5))], label_shapes=[("softmax_label", (10,))])
    mod2.init_params()
    mod2.init_optimizer(optimizer="sgd")
    pred2 = mod2.predict(mx.io.NDArrayIter(x, None, batch_size=10))
    assert_almost_equal(pred, pred2, rtol=1e-5, atol=1e-6)
    sym, args, auxs = mx.model.load_checkpoint(prefix, 3)
    assert sym.list_outputs() == ["softmax_output"]


@with_seed()
def test_module_forward_backward_update_and_reshape():
    mod = mx.mod.Module(_simple_mlp())
    mod.bind(data_shapes=[("data", (4, 5))], label_shapes=[("softmax_label", (4,))])
    mod.init_params(initializer=mx.init.Uniform(0.1))
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5})
    batch = mx.io.DataBatch([mx.nd.ones((4, 5))], [mx.nd.array([0, 1, 2, 0])])
    before = mod.get_params()[0]["fc2_weight"].asnumpy().copy()
    mod.forward(batch, is_train=True)
    out = mod.get_outputs()[0]
    assert out.shape == (4, 3)
    mod.backward()
    mod.update()
    after = mod.get_params()[0]["fc2_weight"].asnumpy()
    assert not np.allclose(before, after)
    metric = mx.metric.create("acc")
    mod.update_metric(metric, batch.label)
    assert metric.get()[1] >= 0
    mod.reshape(data_shapes=[("data", (2, 5))], label_shapes=[("softmax_label", (2,))])
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 5))], [mx.nd.array([0, 1])]), is_train=False)
    assert mod.get_outputs()[0].shape == (2, 3)
    mod.forward(mx.io.DataBatch([mx.nd.ones((6, 5))], [mx.nd.array([0, 1, 0, 1, 0, 1])]))
    assert mod.get_outputs()[0].shape == (6, 3)
    assert mod.data_shapes[0].shape == (6, 5)
    assert mod.output_shapes[0][1] == (6, 3)
    grads = mod.get_input_grads() if mod.inputs_need_grad else None
    assert grads is None


@with_seed()
def test_module_input_grads_states_and_set_params():
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    c = mx.sym.Variable("c")
    out = mx.sym.elemwise_add(mx.sym.elemwise_mul(a, b), c, name="out")
    mod = mx.mod.Module(out, data_names=["b", "c", "a"], label_names=None)
    mod.bind(data_shapes=[("b", (5, 5)), ("c", (5, 5)), ("a", (5, 5))], label_shapes=None,
             inputs_need_grad=True)
    mod.init_params()
    a_grad = mx.nd.ones((5, 5)) * 1
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones((5, 5)) * 3, mx.nd.ones((5, 5)) * 5,
                                      mx.nd.ones((5, 5)) * 2], label=None), is_train=True)
    mod.backward([a_grad])
    input_grads = mod.get_input_grads()
    assert same(input_grads[0].asnumpy(), np.full((5, 5), 2.0))
    assert same(input_grads[1].asnumpy(), np.ones((5, 5)))
    assert same(input_grads[2].asnumpy(), np.full((5, 5), 3.0))
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    mod = mx.mod.Module(fc, label_names=None)
    mod.bind(data_shapes=[("data", (1, 3))], for_training=False)
    mod.set_params({"fc_weight": mx.nd.ones((2, 3)), "fc_bias": mx.nd.zeros((2,))}, {})
    mod.forward(mx.io.DataBatch([mx.nd.ones((1, 3))]), is_train=False)
    assert same(mod.get_outputs()[0].asnumpy(), np.full((1, 2), 3.0, dtype=np.float32))
    assertRaises(Exception, mod.set_params, {"fc_weight": mx.nd.ones((2, 3))}, {}, allow_missing=False)


@with_seed()
def test_bucketing_module():
    def sym_gen(seq_len):
        data = mx.sym.Variable("data")
        label = mx.sym.Variable("softmax_label")
        fc = mx.sym.FullyConnected(data, num_hidden=4, name="fc", flatten=True)
        return mx.sym.SoftmaxOutput(fc, label, name="softmax"), ("data",), ("softmax_label",)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=10)
    mod.bind(data_shapes=[("data", (2, 10))], label_shapes=[("softmax_label", (2,))])
    mod.init_params()
    mod.init_optimizer()
    for key in [10, 10, 10]:
        batch = mx.io.DataBatch([mx.nd.ones((2, 10))], [mx.nd.zeros((2,))], bucket_key=key,
                                provide_data=[mx.io.DataDesc("data", (2, 10))],
                                provide_label=[mx.io.DataDesc("softmax_label", (2,))])
        mod.forward(batch, is_train=True)
        mod.backward()
        mod.update()
    assert mod.get_outputs()[0].shape == (2, 4)


main(globals())
