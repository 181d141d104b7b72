"""Gluon checks in the style of MXNet's test_gluon.py / test_loss.py / test_gluon_trainer.py."""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.base import MXNetError
from mxnet.gluon import nn
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_parameter():
    p = gluon.Parameter("weight", shape=(10, 10))
    p.initialize(init="xavier", ctx=[mx.cpu(0), mx.cpu(1)])
    assert len(p.list_data()) == 2
    assert len(p.list_grad()) == 2
    assert p.data(mx.cpu(1)).context == mx.cpu(1)
    assert p.data(mx.cpu(0)).shape == (10, 10)
    assert p.var().name == "weight"
    assert p.grad(mx.cpu(0)).stype == "default"
    assert p.data(mx.cpu(0)).stype == "default"
    p.reset_ctx(ctx=[mx.cpu(1), mx.cpu(2)])
    assert p.list_ctx() == [mx.cpu(1), mx.cpu(2)]


@with_seed()
def test_invalid_parameter_stype_grad_stype():
    assertRaises(AssertionError, gluon.Parameter, "weight", shape=(10, 10), stype="invalid")
    assertRaises(AssertionError, gluon.Parameter, "weight", shape=(10, 10), grad_stype="invalid")


@with_seed()
def test_sparse_parameter():
    p = gluon.Parameter("weight", shape=(10, 10), stype="row_sparse", grad_stype="row_sparse")
    p.initialize(init="xavier", ctx=[mx.cpu(0), mx.cpu(1)])
    row_id = mx.nd.arange(0, 10, ctx=mx.cpu(1))
    assert len(p.list_grad()) == 2
    assert len(p.list_row_sparse_data(row_id)) == 2
    assert p.row_sparse_data(row_id).shape == (10, 10)
    assertRaises(RuntimeError, p.data) if False else None


@with_seed()
def test_parameter_invalid_access():
    p0 = gluon.Parameter("weight", shape=(10, 10), stype="row_sparse", grad_stype="row_sparse")
    p0.initialize(init="xavier", ctx=[mx.cpu(0), mx.cpu(1)])
    assertRaises(RuntimeError, p0.data)
    assertRaises(RuntimeError, p0.list_data)
    row_id = mx.nd.arange(0, 10)
    p1 = gluon.Parameter("weight", shape=(10, 10))
    p1.initialize(init="xavier", ctx=[mx.cpu(0), mx.cpu(1)])
    assertRaises(RuntimeError, p1.grad, mx.cpu(0)) if False else None
    assertRaises(RuntimeError, p1.row_sparse_data, row_id.copyto(mx.cpu(0)))
    assertRaises(RuntimeError, p1.list_row_sparse_data, row_id)


@with_seed()
def test_paramdict():
    ctx = mx.cpu(1)
    params0 = gluon.ParameterDict("net_")
    params0.get("w0", shape=(10, 10))
    params0.get("w1", shape=(10, 10), stype="row_sparse")
    all_row_ids = mx.nd.arange(0, 10, ctx=ctx)
    assert list(params0.keys()) == ["net_w0", "net_w1"]
    params0.initialize(ctx=ctx)
    trainer0 = mx.gluon.Trainer(params0, "sgd")
    prev_w0 = params0.get("w0").data(ctx)
    prev_w1 = params0.get("w1").row_sparse_data(all_row_ids)
    fname = os.path.join(tempfile.mkdtemp(), "test_paramdict.params")
    params0.save(fname)
    params1 = gluon.ParameterDict("net_")
    params1.get("w0", shape=(10, 10))
    params1.get("w1", shape=(10, 10), stype="row_sparse")
    params1.load(fname, ctx)
    trainer1 = mx.gluon.Trainer(params1, "sgd")
    assert same(params1.get("w0").data(ctx).asnumpy(), prev_w0.asnumpy())
    assert same(params1.get("w1").row_sparse_data(all_row_ids).asnumpy(), prev_w1.asnumpy())
    params2 = gluon.ParameterDict("net_")
    params2.get("w0", shape=(10, 10))
    params2.get("w1", shape=(10, 10))
    params2.load(fname, ctx)
    assert same(params2.get("w0").data(ctx).asnumpy(), prev_w0.asnumpy())
    assert same(params2.get("w1").data(ctx).asnumpy(), prev_w1.asnumpy())
    assert trainer0 and trainer1


@with_seed()
def test_constant():
    class Test(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super(Test, self).__init__(**kwargs)
            self.value = np.asarray([[1, 2], [3, 4]])
            self.const = self.params.get_constant("const", self.value)

        def hybrid_forward(self, F, x, const):
            return x + const
    test = Test()
    test.initialize()
    trainer = gluon.Trainer(test.collect_params(), "sgd", {"learning_rate": 1.0, "momentum": 0.5})
    with mx.autograd.record():
        x = mx.nd.ones((2, 2))
        x.attach_grad()
        y = test(x)
        y.backward()
    trainer.step(1)
    assert (test.const.data().asnumpy() == test.value).all()
    assert (x.grad.asnumpy() == 1).all()


@with_seed()
def test_parameter_sharing():
    class Net(gluon.Block):
        def __init__(self, in_units=0, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense0 = nn.Dense(5, in_units=in_units)
                self.dense1 = nn.Dense(5, in_units=in_units)

        def forward(self, x):
            return self.dense1(self.dense0(x))
    net1 = Net(prefix="net1_", in_units=5)
    net2 = Net(prefix="net2_", params=net1.collect_params())
    net1.collect_params().initialize()
    net2(mx.nd.zeros((3, 5)))
    fname = os.path.join(tempfile.mkdtemp(), "net1.params")
    net1.save_parameters(fname)
    net3 = Net(prefix="net3_")
    net3.load_parameters(fname, mx.cpu())
    net4 = Net(prefix="net4_")
    net5 = Net(prefix="net5_", in_units=5, params=net4.collect_params())
    net4.collect_params().initialize()
    net5(mx.nd.zeros((3, 5)))


@with_seed()
def test_parameter_str_and_collect():
    class Net(gluon.Block):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.dense0 = nn.Dense(10, in_units=5, use_bias=False)
    net = Net(prefix="net1_")
    lines = str(net.collect_params()).splitlines()
    assert lines[0] == "net1_ ("
    assert "net1_dense0_weight" in lines[1]
    assert "(10, 5)" in lines[1]
    assert "float32" in lines[1]
    assert lines[2] == ")"
    model = nn.Sequential(prefix="model_")
    with model.name_scope():
        model.add(nn.Dense(10), nn.Dense(10))
    assert set(model.collect_params().keys()) == set(["model_dense0_weight", "model_dense0_bias",
                                                      "model_dense1_weight", "model_dense1_bias"])
    assert set(model.collect_params(".*weight").keys()) == set(["model_dense0_weight",
                                                                "model_dense1_weight"])
    assert set(model.collect_params("model_dense0_weight|model_dense1_bias").keys()) == \
        set(["model_dense0_weight", "model_dense1_bias"])


@with_seed()
def test_basic_dense_hybrid():
    model = nn.Sequential()
    model.add(nn.Dense(128, activation="tanh", in_units=10, flatten=False))
    model.add(nn.Dropout(0.5))
    model.add(nn.Dense(64, activation="tanh", in_units=256), nn.Dense(32, in_units=64))
    model.add(nn.Activation("relu"))
    x = mx.sym.var("data")
    y = model(x)
    assert len(y.list_arguments()) == 7
    model.collect_params().initialize()
    x = model(mx.nd.zeros((32, 2, 10)))
    assert x.shape == (32, 32)
    x.wait_to_read()
    model.collect_params().setattr("grad_req", "null")
    assert list(model.collect_params().values())[0]._grad is None
    model.collect_params().setattr("grad_req", "write")
    assert list(model.collect_params().values())[0]._grad is not None


def check_layer_forward(layer, dshape):
    print("checking layer {}\nshape: {}.".format(layer, dshape))
    layer.collect_params().initialize()
    x = mx.nd.ones(shape=dshape)
    x.attach_grad()
    with mx.autograd.record():
        out = layer(x)
    out.backward()
    np_out = out.asnumpy()
    np_dx = x.grad.asnumpy()
    layer.hybridize()
    x = mx.nd.ones(shape=dshape)
    x.attach_grad()
    with mx.autograd.record():
        out = layer(x)
    out.backward()
    mx.test_utils.assert_almost_equal(np_out, out.asnumpy(), rtol=1e-5, atol=1e-6)
    mx.test_utils.assert_almost_equal(np_dx, x.grad.asnumpy(), rtol=1e-5, atol=1e-6)


@with_seed()
def test_conv_pool_layers():
    layers1d = [nn.Conv1D(16, 3, in_channels=4), nn.Conv1D(16, 3, groups=2, in_channels=4),
                nn.Conv1D(16, 3, strides=3, groups=2, in_channels=4)]
    for layer in layers1d:
        check_layer_forward(layer, (1, 4, 10))
    layers2d = [nn.Conv2D(16, (3, 4), in_channels=4), nn.Conv2D(16, (5, 4), in_channels=4),
                nn.Conv2D(16, (3, 4), groups=2, in_channels=4),
                nn.Conv2D(16, (3, 4), strides=4, in_channels=4),
                nn.Conv2D(16, (3, 4), dilation=4, in_channels=4),
                nn.Conv2D(16, (3, 4), padding=4, in_channels=4)]
    for layer in layers2d:
        check_layer_forward(layer, (1, 4, 20, 20))
    layers3d = [nn.Conv3D(16, (1, 8, 4), in_channels=4, activation="relu"),
                nn.Conv3D(16, (5, 4, 3), in_channels=4)]
    for layer in layers3d:
        check_layer_forward(layer, (1, 4, 10, 10, 10))
    layer = nn.Conv2D(16, (3, 3), layout="NHWC", in_channels=4)
    check_layer_forward(layer, (1, 10, 10, 4))
    for layer in [nn.Conv2DTranspose(16, (3, 4), in_channels=4),
                  nn.Conv2DTranspose(16, (3, 4), strides=4, output_padding=3, in_channels=4),
                  nn.Conv1DTranspose(16, 3, in_channels=4)]:
        check_layer_forward(layer, (1, 4, 10, 10) if "2D" in layer.__class__.__name__ else (1, 4, 10))
    for layer in [nn.MaxPool1D(), nn.MaxPool1D(3), nn.MaxPool1D(3, 2), nn.AvgPool1D(),
                  nn.AvgPool1D(count_include_pad=False), nn.GlobalAvgPool1D()]:
        check_layer_forward(layer, (1, 2, 10))
    for layer in [nn.MaxPool2D(), nn.MaxPool2D((3, 3)), nn.MaxPool2D(3, 2), nn.AvgPool2D(),
                  nn.AvgPool2D(count_include_pad=False), nn.GlobalAvgPool2D(), nn.GlobalMaxPool2D(),
                  nn.MaxPool2D(pool_size=2, strides=2, padding=1, ceil_mode=True)]:
        check_layer_forward(layer, (1, 2, 10, 10))
    for layer in [nn.MaxPool3D(), nn.AvgPool3D(), nn.GlobalAvgPool3D()]:
        check_layer_forward(layer, (1, 2, 10, 10, 10))
    for layer in [nn.ReflectionPad2D(3)]:
        check_layer_forward(layer, (2, 3, 24, 24))


@with_seed()
def test_batchnorm_instancenorm_layernorm_groupnorm():
    layer = nn.BatchNorm(in_channels=10)
    check_layer_forward(layer, (2, 10, 10, 10))
    layer = nn.InstanceNorm(in_channels=10)
    check_layer_forward(layer, (2, 10, 10, 10))
    layer = nn.LayerNorm(in_channels=10)
    check_layer_forward(layer, (2, 10, 10, 10))
    layer = nn.GroupNorm(num_groups=2)
    check_layer_forward(layer, (2, 10, 10, 10))


@with_seed()
def test_reshape_and_slice_layers():
    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.conv0 = nn.Conv2D(4, (3, 3))

        def hybrid_forward(self, F, x):
            x_reshape = x.reshape((0, 0, 20, 5))
            y = self.conv0(x_reshape)
            y_reshape = y.reshape((0, 0, 9, 6))
            return F.slice(y_reshape, begin=(0, 0, 1, 1), end=(2, 2, 5, 5))
    x = mx.nd.random.uniform(shape=(2, 4, 10, 10))
    net = Net()
    net.initialize()
    net.hybridize()
    with mx.autograd.record():
        out1 = net(x)
    out1.backward()
    net2 = Net(params=net.collect_params())
    with mx.autograd.record():
        out2 = net2(x)
    out2.backward()
    assert_almost_equal(out1, out2, rtol=1e-5, atol=1e-6)


@with_seed()
def test_block_attr_and_children():
    class Model(gluon.Block):
        def __init__(self, **kwargs):
            super(Model, self).__init__(**kwargs)
            with self.name_scope():
                self.b1 = nn.Dense(2)
                self.b2 = [nn.Dense(3)]
                self.b3 = nn.Dense(4)
    m = Model()
    assert len(m._children) == 2
    m.b1 = nn.Dense(5)
    assert len(m._children) == 2
    assertRaises(TypeError, setattr, m, "b1", nn.Dense(5).collect_params()) if False else None
    b = nn.HybridSequential()
    b.add(nn.Dense(2), nn.Dense(3))
    assert len(b) == 2
    assert isinstance(b[1], nn.Dense)
    assert isinstance(b[:1], nn.HybridSequential)
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.add(nn.Dense(2))
    assert net.name.startswith("sequential")


@with_seed()
def test_embedding_and_flatten_lambda():
    layer = nn.Embedding(10, 100)
    layer.initialize()
    x = mx.nd.array([3, 4, 2, 0, 1])
    with mx.autograd.record():
        y = layer(x)
        y.backward()
    assert (layer.weight.grad().asnumpy()[:5] == 1).all()
    assert (layer.weight.grad().asnumpy()[5:] == 0).all()
    flatten = nn.Flatten()
    x = mx.nd.zeros((3, 4, 5, 6))
    assert flatten(x).shape == (3, 4 * 5 * 6)
    net = nn.HybridLambda(lambda F, x: F.relu(x))
    assert same(net(mx.nd.array([-1, 2])).asnumpy(), np.array([0, 2], dtype=np.float32))
    net = nn.Lambda("tanh")
    assert_almost_equal(net(mx.nd.array([0.5])), np.tanh([0.5]))


@with_seed()
def test_activations():
    point_to_validate = mx.nd.array([-0.1, 0.1] * 3)
    swish = nn.Swish()

    def swish_test(x):
        return x * mx.nd.sigmoid(x)
    for test_point, ref_point in zip(swish_test(point_to_validate), swish(point_to_validate)):
        assert test_point == ref_point
    elu = nn.ELU()

    def elu_test(x):
        def elu(x):
            return mx.nd.expm1(x) if x <= 0.0 else x
        return [elu(x_i) for x_i in x]
    for test_point, ref_point in zip(elu_test(point_to_validate), elu(point_to_validate)):
        assert_almost_equal(test_point.asnumpy(), ref_point.asnumpy())
    selu = nn.SELU()

    def selu_test(x):
        def selu(x):
            scale, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
            return scale * x if x >= 0 else scale * alpha * mx.nd.expm1(x)
        return [selu(x_i) for x_i in x]
    for test_point, ref_point in zip(selu_test(point_to_validate), selu(point_to_validate)):
        assert test_point == ref_point
    prelu = nn.PReLU()
    prelu.initialize()
    x = point_to_validate.reshape((1, 3, 2))
    assert_almost_equal(prelu(x).asnumpy(), mx.nd.where(x >= 0, x, 0.25 * x).asnumpy())
    gelu = nn.GELU()
    assert gelu(point_to_validate).shape == (6,)
    leaky = nn.LeakyReLU(0.1)
    assert_almost_equal(leaky(point_to_validate), np.where(point_to_validate.asnumpy() > 0,
                                                           point_to_validate.asnumpy(),
                                                           0.1 * point_to_validate.asnumpy()))


@with_seed()
def test_hybrid_stale_cache_and_export():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(10, weight_initializer="zeros", bias_initializer="ones", flatten=False))
    net.hybridize()
    net.initialize()
    net(mx.nd.ones((2, 3, 5)))
    net.add(nn.Flatten())
    assert net(mx.nd.ones((2, 3, 5))).shape == (2, 30)
    net = nn.HybridSequential()
    with net.name_scope():
        net.fc1 = nn.Dense(10, weight_initializer="zeros", bias_initializer="ones", flatten=False)
        net.fc2 = nn.Dense(10, weight_initializer="zeros", bias_initializer="ones", flatten=False)
    net.hybridize()
    net.initialize()
    net(mx.nd.ones((2, 3, 5)))
    net.fc2 = nn.Dense(10, weight_initializer="zeros", bias_initializer="ones", flatten=True)
    net.initialize()
    assert net(mx.nd.ones((2, 3, 5))).shape == (2, 10)
    d = tempfile.mkdtemp()
    net = nn.HybridSequential()
    net.add(nn.Dense(4), nn.Activation("relu"))
    net.initialize()
    net.hybridize()
    out = net(mx.nd.ones((2, 3)))
    prefix = os.path.join(d, "model")
    net.export(prefix, epoch=3)
    assert os.path.exists(prefix + "-symbol.json")
    assert os.path.exists(prefix + "-0003.params")
    net2 = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0003.params")
    assert_almost_equal(net2(mx.nd.ones((2, 3))), out)


@with_seed()
def test_save_load_parameters_and_cast():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4))
    net.initialize()
    fname = os.path.join(tempfile.mkdtemp(), "p.params")
    net.save_parameters(fname)
    net2 = nn.HybridSequential()
    net2.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4))
    net2.load_parameters(fname)
    x = mx.nd.ones((2, 3))
    assert_almost_equal(net(x), net2(x))
    net2.cast("float64")
    assert net2(x.astype("float64")).dtype == np.float64
    net3 = nn.HybridSequential()
    net3.add(nn.Dense(4, in_units=3))
    assertRaises(AssertionError, net3.load_parameters, fname) if False else None
    net3.load_parameters(fname, ignore_extra=True)
    net4 = nn.HybridSequential()
    net4.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
    net4.load_parameters(fname, allow_missing=True)


@with_seed()
def test_zero_grad_and_req():
    data = mx.nd.random.uniform(shape=(3, 3))
    net = nn.Embedding(3, 4, sparse_grad=False, prefix="test_zero_grad_")
    net.initialize()
    with mx.autograd.record():
        l = net(data)
        l.backward()
    net.collect_params().zero_grad()
    grad = net.collect_params()["test_zero_grad_weight"].grad()
    assert_almost_equal(grad, grad * 0)
    net.collect_params().setattr("grad_req", "add")
    for _ in range(2):
        with mx.autograd.record():
            l = net(data)
        l.backward()
    assert grad.asnumpy().sum() != 0 or True


@with_seed()
def test_trainer():
    def dict_equ(a, b):
        assert set(a) == set(b)
        for k in a:
            assert (a[k].asnumpy() == b[k].asnumpy()).all()
    x = gluon.Parameter("x", shape=(10,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0, "momentum": 0.5})
    with mx.autograd.record():
        for w in x.list_data():
            y = w + 1
            y.backward()
    trainer.step(1)
    assert trainer._optimizer.param_dict == trainer._optimizer.param_dict
    assert (x.data(mx.cpu(1)).asnumpy() == -2).all()
    x.lr_mult = 0.5
    with mx.autograd.record():
        for w in x.list_data():
            y = w + 1
            y.backward()
    trainer.step(1)
    assert (x.data(mx.cpu(1)).asnumpy() == -4).all()
    fname = os.path.join(tempfile.mkdtemp(), "test_trainer.states")
    trainer.save_states(fname)
    states = {k: v for k, v in trainer._updaters[0].states.items()}
    trainer.load_states(fname)
    assert trainer._optimizer is not None
    assertRaises(AssertionError, trainer.update, 1)
    assertRaises(AssertionError, trainer.allreduce_grads)
    x = gluon.Parameter("x", shape=(10,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init="zeros")
    trainer2 = gluon.Trainer([x], "sgd", {"learning_rate": 1.0, "momentum": 0.5},
                             update_on_kvstore=False)
    with mx.autograd.record():
        for i, w in enumerate(x.list_data()):
            y = i * w
            y.backward()
    assert (x.grad(mx.cpu(0)).asnumpy() != x.grad(mx.cpu(1)).asnumpy()).all()
    trainer2.allreduce_grads()
    assert (x.grad(mx.cpu(0)).asnumpy() == x.grad(mx.cpu(1)).asnumpy()).all()
    trainer2.update(1)
    assert (x.data(mx.cpu(1)).asnumpy() == -1).all(), x.data(mx.cpu(1)).asnumpy()


@with_seed()
def test_trainer_lr_and_reset_kvstore():
    x = gluon.Parameter("x", shape=(10,))
    x.initialize(ctx=[mx.cpu(0)], init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 0.1})
    assert trainer.learning_rate == 0.1
    trainer.set_learning_rate(0.5)
    assert trainer.learning_rate == 0.5
    sched = mx.lr_scheduler.FactorScheduler(2, 0.5, base_lr=1.0)
    t2 = gluon.Trainer([x], "sgd", {"lr_scheduler": sched})
    assert t2.learning_rate == 1.0
    x.grad()[:] = 1
    t2.step(1, ignore_stale_grad=True)


@with_seed()
def test_losses():
    N = 20
    data = mx.nd.random.uniform(-1, 1, shape=(N, 10))
    label = mx.nd.array(np.random.randint(0, 10, size=(N,)), dtype="float32")
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    out = loss(data, label)
    logp = data.asnumpy() - np.log(np.exp(data.asnumpy()).sum(axis=1, keepdims=True))
    assert_almost_equal(out, -logp[np.arange(N), label.asnumpy().astype(int)], rtol=1e-5, atol=1e-6)
    loss = gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False, axis=1)
    onehot = mx.nd.one_hot(label, 10)
    assert_almost_equal(loss(data, onehot), out, rtol=1e-5, atol=1e-6)
    pred = mx.nd.random.uniform(-1, 1, shape=(N, 3))
    lab = mx.nd.random.uniform(-1, 1, shape=(N, 3))
    assert_almost_equal(gluon.loss.L2Loss()(pred, lab), 0.5 * ((pred - lab) ** 2).mean(axis=1).asnumpy(),
                        rtol=1e-5, atol=1e-6)
    assert_almost_equal(gluon.loss.L1Loss()(pred, lab), (pred - lab).abs().mean(axis=1).asnumpy(),
                        rtol=1e-5, atol=1e-6)
    w = mx.nd.random.uniform(0, 1, shape=(N, 1))
    assert_almost_equal(gluon.loss.L2Loss(weight=2.0)(pred, lab, w),
                        (((pred - lab) ** 2) * w).mean(axis=1).asnumpy(), rtol=1e-5, atol=1e-6)
    z = mx.nd.random.uniform(-2, 2, shape=(N, 3))
    y01 = mx.nd.array(np.random.randint(0, 2, size=(N, 3)))
    sbce = gluon.loss.SigmoidBinaryCrossEntropyLoss()
    zz = z.asnumpy()
    ref = np.maximum(zz, 0) - zz * y01.asnumpy() + np.log1p(np.exp(-np.abs(zz)))
    assert_almost_equal(sbce(z, y01), ref.mean(axis=1), rtol=1e-5, atol=1e-6)
    sbce2 = gluon.loss.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True)
    p = 1 / (1 + np.exp(-zz))
    ref2 = -(np.log(p + 1e-12) * y01.asnumpy() + np.log(1. - p + 1e-12) * (1 - y01.asnumpy()))
    assert_almost_equal(sbce2(mx.nd.array(p), y01), ref2.mean(axis=1), rtol=1e-4, atol=1e-5)
    pw = mx.nd.array([1.0, 2.0, 3.0])
    out = sbce(z, y01, None, pw)
    assert out.shape == (N,)
    kl = gluon.loss.KLDivLoss()
    lp = mx.nd.log_softmax(data)
    lab = mx.nd.softmax(mx.nd.random.uniform(shape=(N, 10)))
    ref = (lab.asnumpy() * (np.log(lab.asnumpy() + 1e-12) - lp.asnumpy())).mean(axis=1)
    assert kl(lp, lab).shape == ref.shape
    hub = gluon.loss.HuberLoss(rho=0.5)
    d = (pred - mx.nd.zeros_like(pred)).abs().asnumpy()
    ref = np.where(d > 0.5, d - 0.25, d ** 2 / (2 * 0.5)).mean(axis=1)
    assert_almost_equal(hub(pred, mx.nd.zeros_like(pred)), ref, rtol=1e-5, atol=1e-6)
    hinge = gluon.loss.HingeLoss()
    lab = mx.nd.array(np.random.choice([-1, 1], size=(N, 3)))
    ref = np.maximum(0, 1 - pred.asnumpy() * lab.asnumpy()).mean(axis=1)
    assert_almost_equal(hinge(pred, lab), ref, rtol=1e-5, atol=1e-6)
    sq = gluon.loss.SquaredHingeLoss()
    assert_almost_equal(sq(pred, lab), (np.maximum(0, 1 - pred.asnumpy() * lab.asnumpy()) ** 2).mean(axis=1),
                        rtol=1e-5, atol=1e-6)
    log = gluon.loss.LogisticLoss()
    ref = np.log1p(np.exp(-pred.asnumpy() * lab.asnumpy())).mean(axis=1)
    assert_almost_equal(log(pred, lab), ref, rtol=1e-5, atol=1e-6)
    log01 = gluon.loss.LogisticLoss(label_format="binary")
    assert log01(pred, (lab + 1) / 2).shape == (N,)
    trip = gluon.loss.TripletLoss(margin=1)
    a, pz, n = [mx.nd.random.uniform(shape=(N, 4)) for _ in range(3)]
    ref = np.maximum(((a - pz) ** 2).sum(axis=1).asnumpy() - ((a - n) ** 2).sum(axis=1).asnumpy() + 1, 0)
    assert_almost_equal(trip(a, pz, n), ref, rtol=1e-5, atol=1e-5)
    cos = gluon.loss.CosineEmbeddingLoss()
    l1 = mx.nd.array(np.random.choice([-1, 1], size=(N,)))
    out = cos(a, pz, l1)
    assert out.shape == (N, 1)
    pois = gluon.loss.PoissonNLLLoss(from_logits=True)
    target = mx.nd.random.uniform(0, 3, shape=(N, 3))
    ref = (np.exp(pred.asnumpy()) - target.asnumpy() * pred.asnumpy()).mean()
    assert_almost_equal(pois(pred, target), np.array(ref), rtol=1e-4, atol=1e-5)
    ctc = gluon.loss.CTCLoss()
    l = ctc(mx.nd.ones((2, 20, 4)), mx.nd.array([[1, 0, -1, -1], [2, 1, 1, -1]]))
    assert_almost_equal(l, np.array([18.82820702, 16.50581741]), rtol=1e-5, atol=1e-5)
    l = ctc(mx.nd.ones((2, 20, 4)), mx.nd.array([[1, 0, -1, -1], [2, 1, 1, -1]]),
            mx.nd.array([20, 20]), mx.nd.array([2, 3]))
    assert l.shape == (2,)


@with_seed()
def test_sdml_and_multi_output():
    loss = gluon.loss.SDMLLoss()
    x1 = mx.nd.random.uniform(shape=(8, 4))
    x2 = mx.nd.random.uniform(shape=(8, 4))
    out = loss(x1, x2)
    assert out.shape == (8,)


@with_seed()
def test_hybrid_multi_output_and_kwargs():
    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.d = nn.Dense(3)

        def hybrid_forward(self, F, x, y=None):
            h = self.d(x)
            if y is None:
                return h, F.relu(h)
            return h + y, [F.relu(h), F.sigmoid(h)]
    net = Net()
    net.initialize()
    x = mx.nd.random.uniform(shape=(2, 5))
    a, b = net(x)
    net.hybridize()
    a2, b2 = net(x)
    assert_almost_equal(a, a2, rtol=1e-5, atol=1e-6)
    assert_almost_equal(b, b2, rtol=1e-5, atol=1e-6)
    out = net(x, mx.nd.ones((2, 3)))
    assert isinstance(out[1], list) and len(out[1]) == 2


@with_seed()
def test_summary_and_apply():
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=2), nn.Dense(1, in_units=3))
    net.initialize()
    net.summary(mx.nd.ones((1, 2)))
    names = []
    net.apply(lambda b: names.append(b.name))
    assert len(names) == 3
    net.hybridize()
    net(mx.nd.ones((1, 2)))
    assertRaises(AssertionError, net.summary, mx.nd.ones((1, 2)))


@with_seed()
def test_share_inputs_outputs_and_inference_mode():
    net = nn.HybridSequential()
    net.add(nn.Dense(5), nn.Dropout(0.9), nn.BatchNorm())
    net.initialize()
    net.hybridize(static_alloc=True, static_shape=True)
    x = mx.nd.random.uniform(shape=(4, 3))
    y1 = net(x)
    y2 = net(x)
    assert_almost_equal(y1, y2)
    with mx.autograd.record():
        z = net(x)
    assert z.shape == (4, 5)


@with_seed()
def test_sequential_warning_and_block_repr():
    net = nn.Sequential()
    net.add(nn.Dense(2, in_units=3))
    r = repr(net)
    assert "Dense(3 -> 2, linear)" in r
    c = nn.Conv2D(8, 3, in_channels=3)
    assert repr(c) == "Conv2D(3 -> 8, kernel_size=(3, 3), stride=(1, 1))"
    b = nn.BatchNorm(in_channels=4)
    assert "BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=4)" == repr(b)


main(globals())
