"""gluon.nn / gluon.contrib.nn layers against MXNet 1.9.1 (no MXNet needed at test time).

The layer table (tests/nn_layer_cases.py) runs every case imperatively and hybridized and
compares with the oracle's answers in tests/fixtures/nn_layers.{json,npz} (written by
``tools/nn_diff.py capture``): parameter names/shapes before and after deferred init, repr,
outputs (rtol 1e-5, atol 1e-6), input and parameter gradients and updated running statistics
(rtol 1e-4, atol 1e-5). Each hybridizable case also exports and re-imports through
SymbolBlock.imports, and round-trips save_parameters/load_parameters. The fixture models
(tests/fixtures/nn_models, from MXNet's model_zoo) rebuilt from these layers reproduce MXNet's
outputs (rtol 1e-4, atol 1e-5).
"""
import json
import os
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch.gluon import nn
from mxtorch.gluon.contrib import nn as cnn

import nn_layer_cases as T

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures')
with open(os.path.join(FIX, 'nn_layers.json')) as _f:
    META = json.load(_f)
ARRAYS = dict(np.load(os.path.join(FIX, 'nn_layers.npz')))
ANSWERED = [c for c in T.CASES if 'error' not in META['cases'][c[0]]]
HYBRID = [c for c in T.CASES if c[3].get('hybrid', True)]
# Documented deviation (COMPAT.md, tests/deviations/nn.txt): MXNet's selu gradient is wrong.
SKIP_GRAD_IN = {'selu': 'MXNet 1.9.1 selu gradient bug; checked against the derivative below'}


def _group(cid, name):
    key = f'{cid}/{name}/'
    return {k[len(key):]: v for k, v in ARRAYS.items() if k.startswith(key)}


def _close(got, want, rtol, atol, what):
    assert got.shape == want.shape, f'{what}: shape {got.shape} != {want.shape}'
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)


def _check_against_oracle(case, res, check_repr=True):
    cid = case[0]
    want = META['cases'][cid]
    for key in ('shapes_before', 'shapes_after'):
        assert {k: list(v) for k, v in res[key].items()} == want[key], key
    if check_repr:
        assert res['repr_before'] == want['repr_before']
        assert res['repr_after'] == want['repr_after']
    _close(res['out'], ARRAYS[f'{cid}/out'], 1e-5, 1e-6, 'out')
    if cid not in SKIP_GRAD_IN:
        for i, g in enumerate(res['grad_in']):
            _close(g, ARRAYS[f'{cid}/grad_in/{i}'], 1e-4, 1e-5, f'grad_in/{i}')
    for name, (rtol, atol) in (('grad_param', (1e-4, 1e-5)), ('params_after', (1e-5, 1e-6))):
        theirs = _group(cid, name)
        assert set(res[name]) == set(theirs), name
        for k, v in theirs.items():
            _close(res[name][k], v, rtol, atol, f'{name}/{k}')


@pytest.mark.parametrize('case', ANSWERED, ids=lambda c: c[0])
def test_layer_imperative(case):
    res = T.run_case(mx, case, values=_group(case[0], 'params'))
    _check_against_oracle(case, res)


@pytest.mark.parametrize('case', [c for c in ANSWERED if c in HYBRID], ids=lambda c: c[0])
def test_layer_hybridized(case):
    # repr carries the global block counter (SyncBatchNorm's key): compared imperatively only
    res = T.run_case(mx, case, values=_group(case[0], 'params'), hybridize=True)
    _check_against_oracle(case, res, check_repr=False)


def _predict(net, inputs):
    return net(*inputs).asnumpy()


@pytest.mark.parametrize('case', HYBRID, ids=lambda c: c[0])
def test_export_import_and_save_load(case, tmp_path):
    net = T.build(mx, case)
    T.run_case(mx, case, net=net, hybridize=True)
    inputs = [mx.nd.array(a, dtype=a.dtype) for a in T.make_inputs(case)]
    expect = _predict(net, inputs)
    path = str(tmp_path / 'layer')
    net.export(path)
    names = ['data'] if len(inputs) == 1 else [f'data{i}' for i in range(len(inputs))]
    back = gluon.SymbolBlock.imports(path + '-symbol.json', names, path + '-0000.params')
    _close(_predict(back, inputs), expect, 1e-5, 1e-6, 'exported')
    exported = set(mx.nd.load(path + '-0000.params'))
    params = net.collect_params()
    want = {('aux:' if params[k].grad_req == 'null' and 'running' in k else 'arg:') + k
            for k in params}
    assert exported == want
    net.save_parameters(path + '.params')
    again = T.build(mx, case)
    again.load_parameters(path + '.params')
    _close(_predict(again, inputs), expect, 1e-5, 1e-6, 'save/load')


def test_selu_gradient_is_the_derivative():
    x = mx.nd.array([[-1.2, -0.3, 0.5], [0.7, -2.0, 1.0]])
    x.attach_grad()
    with autograd.record():
        y = nn.SELU()(x)
    y.backward()
    lam, alpha = 1.0507009873554805, 1.6732632423543772
    v = x.asnumpy()
    _close(x.grad.asnumpy(), np.where(v > 0, lam, lam * alpha * np.exp(v)), 1e-5, 1e-6, 'selu')


# --- layouts MXNet's CPU build refuses (NHWC convolutions): equal to the NCHW layer -------

@pytest.mark.parametrize('dims,transpose', [(2, False), (3, False), (2, True)])
def test_channel_last_convolution_equals_channel_first(dims, transpose):
    cls = getattr(nn, f'Conv{dims}D' + ('Transpose' if transpose else ''))
    first, last = ('NCHW', 'NHWC') if dims == 2 else ('NCDHW', 'NDHWC')
    a = cls(4, 2, strides=2, layout=first, in_channels=3)
    b = cls(4, 2, strides=2, layout=last, in_channels=3)
    a.initialize()
    b.initialize()
    to_last = (0,) + tuple(range(2, dims + 2)) + (1,)
    to_first = (0, dims + 1) + tuple(range(1, dims + 1))
    b.weight.set_data(a.weight.data().transpose(to_last))
    b.bias.set_data(a.bias.data())
    x = mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 3) + (4,) * dims))
    _close(b(x.transpose(to_last)).transpose(to_first).asnumpy(), a(x).asnumpy(),
           1e-5, 1e-6, 'layout')


def test_batchnorm_relu_is_batchnorm_then_relu():
    x = mx.nd.array(np.random.RandomState(1).uniform(-1, 1, (4, 3, 5)))
    fused, plain = nn.BatchNormReLU(), nn.BatchNorm()
    for net in (fused, plain):
        net.initialize()
    with autograd.record():
        got, want = fused(x), mx.nd.relu(plain(x))
    _close(got.asnumpy(), want.asnumpy(), 1e-5, 1e-6, 'BatchNormReLU')


# --- numerical gradients --------------------------------------------------------------------

def _numeric_grad(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize('make,shape', [
    (lambda: nn.Dense(3, activation='tanh'), (2, 4)),
    (lambda: nn.Conv2D(2, 3, padding=1, strides=2), (1, 2, 5, 5)),
    (lambda: nn.LayerNorm(), (2, 5)),
    (lambda: nn.Conv1DTranspose(2, 3, strides=2, output_padding=1), (1, 2, 4)),
    (lambda: nn.AvgPool2D(3, 2, 1, count_include_pad=False), (1, 1, 5, 5)),
], ids=['dense', 'conv2d', 'layernorm', 'conv1d_transpose', 'avgpool'])
def test_numeric_gradient(make, shape):
    net = make()
    net.initialize()
    x0 = np.random.RandomState(3).uniform(-1, 1, shape)
    net(mx.nd.array(x0))
    net.cast('float64')
    head = np.random.RandomState(4).uniform(-1, 1, net(mx.nd.array(x0, dtype='float64')).shape)
    x = mx.nd.array(x0, dtype='float64')
    x.attach_grad()
    with autograd.record():
        out = net(x)
    out.backward(mx.nd.array(head, dtype='float64'))
    numeric = _numeric_grad(
        lambda v: float((net(mx.nd.array(v, dtype='float64')).asnumpy() * head).sum()), x0)
    _close(x.grad.asnumpy(), numeric, 1e-5, 1e-7, 'numeric gradient')


# --- containers, deferred init, errors ----------------------------------------------------

def _mlp():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation='relu'), nn.Dropout(0.5), nn.Dense(2))
    return net


def test_sequential_indexing_slicing_len_and_repr():
    net = _mlp()
    assert len(net) == 3
    assert isinstance(net[0], nn.Dense) and net[-1] is list(net._children.values())[-1]
    sub = net[1:]
    assert type(sub) is nn.HybridSequential and len(sub) == 2 and sub.prefix == net.prefix
    assert repr(net) == (
        'HybridSequential(\n  (0): Dense(None -> 4, Activation(relu))\n'
        '  (1): Dropout(p = 0.5, axes=())\n  (2): Dense(None -> 2, linear)\n)')
    nested = nn.Sequential()
    nested.add(net)
    assert repr(nested).startswith('Sequential(\n  (0): HybridSequential(\n    (0): Dense')


def test_dense_deferred_init_and_names():
    net = _mlp()
    names = list(net.collect_params())
    assert names == [net.prefix + n for n in ('dense0_weight', 'dense0_bias', 'dense1_weight',
                                               'dense1_bias')]
    net.initialize()
    out = net(mx.nd.ones((3, 7)))
    assert out.shape == (3, 2)
    assert net[0].weight.shape == (4, 7)
    assert repr(net[0]) == 'Dense(7 -> 4, Activation(relu))'


def test_sequential_hybridize_warns():
    net = nn.Sequential()
    net.add(nn.Dense(2))
    with pytest.warns(UserWarning, match='Consider using HybridSequential'):
        net.hybridize()


@pytest.mark.parametrize('layer,shape,match', [
    (lambda: nn.Conv2D(4, 3), (2, 3, 8), r"Conv2D 'conv\d+' \(layout NCHW\) expects a 4-D "
     r"input \(N, C, H, W\), got shape \(2, 3, 8\)"),
    (lambda: nn.MaxPool1D(layout='NWC'), (2, 3), r"MaxPool1D 'pool\d+' \(layout NWC\) "
     r"expects a 3-D input"),
    (lambda: nn.Conv3DTranspose(2, 2), (1, 2, 3, 3), r'expects a 5-D input'),
    (lambda: nn.GlobalAvgPool2D(layout='NHWC'), (2, 3, 4, 4, 4), r'got shape \(2, 3, 4, 4, 4\)'),
])
def test_wrong_rank_names_layer_layout_and_shape(layer, shape, match):
    net = layer()
    net.initialize()
    # deferred init reports it wrapped in a ValueError that says initialization failed
    with pytest.raises((mx.MXNetError, ValueError), match=match):
        net(mx.nd.ones(shape))


@pytest.mark.parametrize('make,match', [
    (lambda: nn.Conv1D(4, 3, layout='NWC'), r"Conv1D: layout 'NWC' is not supported"),
    (lambda: nn.Conv2D(4, 3, layout='NCW'), r'expected one of NCHW, NHWC'),
    (lambda: nn.MaxPool3D(layout='NHWC'), r'expected one of NCDHW, NDHWC'),
    (lambda: nn.Conv2D(4, (3, 3, 3)), r'kernel_size must be a number or a list of 2 ints'),
    (lambda: nn.Conv2DTranspose(4, 3, output_padding=(1, 1, 1)), r'output_padding'),
    (lambda: nn.AvgPool2D(strides=(1, 2, 3)), r'strides must be'),
    (lambda: nn.LeakyReLU(-0.1), r'alpha must be >= 0'),
    (lambda: nn.Lambda('no_such_op'), r"'no_such_op' is not an operator of mx.nd"),
    (lambda: nn.HybridLambda(3), r'Unrecognized function in lambda'),
    (lambda: nn.ReflectionPad2D((1, 2)), r'padding must be a number or 8 ints'),
    (lambda: cnn.PixelShuffle2D((2, 2, 2)), r'factor must be an int or 2 ints'),
])
def test_constructor_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_lambda_and_hybridlambda():
    x = mx.nd.array([[-1., 2.]])
    assert nn.Lambda('relu')(x).asnumpy().tolist() == [[0., 2.]]
    hl = nn.HybridLambda(lambda F, a, b: F.broadcast_add(a, b))
    hl.hybridize()
    assert hl(x, x).asnumpy().tolist() == [[-2., 4.]]
    assert repr(nn.Lambda(np.tanh)) == 'Lambda(tanh)'


def test_embedding_sparse_grad_is_row_sparse():
    emb = nn.Embedding(6, 2, sparse_grad=True)
    emb.initialize()
    with autograd.record():
        out = emb(mx.nd.array([1, 4, 1]))
    out.backward()
    grad = emb.weight.grad()
    assert grad.stype == 'row_sparse'
    assert sorted(grad.indices.asnumpy().tolist()) == [1, 4]
    assert grad.tostype('default').asnumpy()[1].tolist() == [2., 2.]


def test_batchnorm_cast_float16_keeps_float32_params():
    bn = nn.BatchNorm(in_channels=2)
    bn.initialize()
    bn.cast('float16')
    assert np.dtype(bn.gamma.dtype) == np.float32
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=2), nn.BatchNorm(in_channels=2))
    net.initialize()
    net.cast('float16')       # MXNet: Dense float16, all four BatchNorm arrays float32
    assert [np.dtype(p.dtype).name for p in net.collect_params().values()] == \
        ['float16'] * 2 + ['float32'] * 4


def test_contrib_names_and_2x_names():
    assert issubclass(cnn.Concurrent, nn.Concatenate)
    assert issubclass(cnn.HybridConcurrent, nn.HybridConcatenate)
    assert cnn.Identity is nn.Identity and cnn.SyncBatchNorm is nn.SyncBatchNorm
    assert nn.Block is gluon.Block and nn.HybridBlock is gluon.HybridBlock
    x = mx.nd.array([[-1., 0.5]])
    _close(nn.SiLU()(x).asnumpy(), nn.Swish()(x).asnumpy(), 1e-6, 1e-7, 'SiLU')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        cnn.SyncBatchNorm()
    assert any('num_devices' in str(w.message) for w in caught)


# --- the fixture models (MXNet model_zoo) rebuilt from these layers ------------------------

def _resnet18_v1_slim(channels=(8, 8, 16, 32, 64), classes=10):
    def conv3x3(c, stride, cin):
        return nn.Conv2D(c, 3, stride, 1, use_bias=False, in_channels=cin)

    class Basic(gluon.HybridBlock):
        def __init__(self, c, stride, down, cin, **kw):
            super().__init__(**kw)
            self.body = nn.HybridSequential(prefix='')
            self.body.add(conv3x3(c, stride, cin), nn.BatchNorm(), nn.Activation('relu'),
                          conv3x3(c, 1, c), nn.BatchNorm())
            self.downsample = None
            if down:
                self.downsample = nn.HybridSequential(prefix='')
                self.downsample.add(nn.Conv2D(c, 1, stride, use_bias=False, in_channels=cin),
                                    nn.BatchNorm())

        def hybrid_forward(self, F, x):
            res = self.downsample(x) if self.downsample else x
            return F.Activation(res + self.body(x), act_type='relu')

    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.features = nn.HybridSequential(prefix='')
                self.features.add(nn.Conv2D(channels[0], 7, 2, 3, use_bias=False),
                                  nn.BatchNorm(), nn.Activation('relu'), nn.MaxPool2D(3, 2, 1))
                for i in range(4):
                    stage = nn.HybridSequential(prefix=f'stage{i + 1}_')
                    with stage.name_scope():
                        stride = 1 if i == 0 else 2
                        stage.add(Basic(channels[i + 1], stride, channels[i + 1] != channels[i],
                                        channels[i], prefix=''),
                                  Basic(channels[i + 1], 1, False, channels[i + 1], prefix=''))
                    self.features.add(stage)
                self.features.add(nn.GlobalAvgPool2D())
                self.output = nn.Dense(classes, in_units=channels[-1])

        def hybrid_forward(self, F, x):
            return self.output(self.features(x))
    return Net()


def _conv_bn(out, channels, kernel=1, stride=1, pad=0, groups=1):
    out.add(nn.Conv2D(channels, kernel, stride, pad, groups=groups, use_bias=False),
            nn.BatchNorm(scale=True), nn.Activation('relu'))


def _mobilenet(multiplier=0.25, classes=10):
    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.features = nn.HybridSequential(prefix='')
                with self.features.name_scope():
                    _conv_bn(self.features, int(32 * multiplier), 3, 2, 1)
                    dw = [32, 64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024]
                    out = [64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024] * 2
                    strides = [1, 2] * 3 + [1] * 5 + [2, 1]
                    for d, c, s in zip(dw, out, strides):
                        d, c = int(d * multiplier), int(c * multiplier)
                        _conv_bn(self.features, d, 3, s, 1, groups=d)
                        _conv_bn(self.features, c)
                    self.features.add(nn.GlobalAvgPool2D(), nn.Flatten())
                self.output = nn.Dense(classes)

        def hybrid_forward(self, F, x):
            return self.output(self.features(x))
    return Net()


def _squeezenet11(classes=10):
    def fire_conv(c, k, pad=0):
        out = nn.HybridSequential(prefix='')
        out.add(nn.Conv2D(c, k, padding=pad), nn.Activation('relu'))
        return out

    def fire(s, e1, e3):
        out = nn.HybridSequential(prefix='')
        paths = cnn.HybridConcurrent(axis=1, prefix='')
        paths.add(fire_conv(e1, 1), fire_conv(e3, 3, 1))
        out.add(fire_conv(s, 1), paths)
        return out

    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.features = nn.HybridSequential(prefix='')
                pool = lambda: nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)  # noqa
                self.features.add(nn.Conv2D(64, kernel_size=3, strides=2),
                                  nn.Activation('relu'), pool(), fire(16, 64, 64),
                                  fire(16, 64, 64), pool(), fire(32, 128, 128),
                                  fire(32, 128, 128), pool(), fire(48, 192, 192),
                                  fire(48, 192, 192), fire(64, 256, 256), fire(64, 256, 256),
                                  nn.Dropout(0.5))
                self.output = nn.HybridSequential(prefix='')
                self.output.add(nn.Conv2D(classes, kernel_size=1), nn.Activation('relu'),
                                nn.AvgPool2D(13), nn.Flatten())

        def hybrid_forward(self, F, x):
            return self.output(self.features(x))
    return Net()


def _mlp_model():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(32, in_units=20), nn.Activation('relu'),
                nn.Dense(16, activation='tanh'), nn.Dense(10))
    return net


def _cnn_model():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(2), nn.Dropout(0.5), nn.Flatten(), nn.Dense(10))
    return net


SHARED_MODELS = os.path.join(HERE, '..', '..', 'shared', 'fixtures', 'mxnet-1.9.1', 'models')
MODELS = {'mlp': _mlp_model, 'cnn': _cnn_model, 'resnet18_v1_slim': _resnet18_v1_slim,
          'mobilenet0.25': _mobilenet, 'squeezenet1.1': _squeezenet11}


@pytest.mark.parametrize('name', list(MODELS))
def test_fixture_model_outputs(name):
    folder = os.path.join(FIX, 'nn_models')
    if not os.path.exists(os.path.join(folder, name + '.gluon.params')):
        folder = SHARED_MODELS           # squeezenet (3 MB) is read from ../shared when there
        if not os.path.exists(os.path.join(folder, name + '.gluon.params')):
            pytest.skip(f'{name}: fixture not shipped in tests/ and ../shared is absent')
    net = MODELS[name]()
    net.load_parameters(os.path.join(folder, name + '.gluon.params'))
    io = np.load(os.path.join(folder, name + '-io.npz'))
    x = mx.nd.array(io['in/data'])
    _close(net(x).asnumpy(), io['out/0'], 1e-4, 1e-5, name + ' imperative')
    net.hybridize()
    _close(net(x).asnumpy(), io['out/0'], 1e-4, 1e-5, name + ' hybridized')


@pytest.mark.parametrize('make,shape,match', [
    (lambda: nn.Dense(4, in_units=3), (2, 5), r"Dense 'dense\d+': FullyConnected: input "
     r"'weight' has shape \(4, 3\), expected \(4, 5\)"),
    (lambda: nn.Conv2D(4, 3, in_channels=3), (1, 5, 6, 6), r"Conv2D 'conv\d+': Convolution"),
    (lambda: nn.BatchNorm(in_channels=3), (2, 5, 2), r"BatchNorm 'batchnorm\d+': BatchNorm: "
     r"input 'gamma' has shape \(3,\), expected \(5,\)"),
])
def test_operator_errors_name_the_layer(make, shape, match):
    net = make()
    net.initialize()
    with pytest.raises(mx.MXNetError, match=match):
        net(mx.nd.ones(shape))
    net.hybridize()           # compiled graph: the operator's own error
    with pytest.raises(mx.MXNetError, match=r'(FullyConnected|Convolution|BatchNorm)'):
        net(mx.nd.ones(shape))


def test_initializer_arguments_reach_the_parameters():
    dense = nn.Dense(2, in_units=3, weight_initializer=mx.init.Constant(0.5),
                     bias_initializer='ones')
    bn = nn.BatchNorm(in_channels=2, gamma_initializer='zeros', beta_initializer='ones',
                      running_mean_initializer=mx.init.Constant(2.),
                      running_variance_initializer=mx.init.Constant(3.))
    conv = nn.Conv2D(2, 1, in_channels=1, weight_initializer='ones', bias_initializer=
                     mx.init.Constant(-1.))
    for net in (dense, bn, conv):
        net.initialize()
    assert dense.weight.data().asnumpy().tolist() == [[0.5] * 3] * 2
    assert dense.bias.data().asnumpy().tolist() == [1., 1.]
    assert [bn.gamma.data().asnumpy().tolist(), bn.beta.data().asnumpy().tolist(),
            bn.running_mean.data().asnumpy().tolist(),
            bn.running_var.data().asnumpy().tolist()] == [[0., 0.], [1., 1.], [2., 2.], [3., 3.]]
    assert conv.bias.data().asnumpy().tolist() == [-1., -1.]
    prelu = nn.PReLU()
    prelu.initialize()
    assert prelu.alpha.data().asnumpy().tolist() == [0.25]


def test_dropout_in_training_scales_and_shares_masks():
    mx.random.seed(7)
    x = mx.nd.ones((200, 50))
    with autograd.record():
        y = nn.Dropout(0.25)(x).asnumpy()
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    with autograd.record():
        shared = nn.Dropout(0.5, axes=(1,))(x).asnumpy()
    assert ((shared == 0).all(axis=1) | (shared != 0).all(axis=1)).all()   # one mask per row
    assert (nn.Dropout(0.5)(x).asnumpy() == 1).all()      # identity outside training


@pytest.mark.parametrize('cls', ['DeformableConvolution', 'ModulatedDeformableConvolution'])
def test_deformable_with_zero_offsets_is_a_convolution(cls):
    # offsets start at zero (MXNet's default initializers), so the layer starts as a Conv2D;
    # the modulated mask is then sigmoid(0) * 2 = 1. (MXNet runs the modulated one on GPU only.)
    layer = getattr(gluon.contrib.cnn, cls)(3, 3, padding=1, strides=2)
    conv = nn.Conv2D(3, 3, padding=1, strides=2)
    x = mx.nd.array(np.random.RandomState(5).uniform(-1, 1, (2, 2, 5, 5)))
    for net in (layer, conv):
        net.initialize()
        net(x)
    conv.weight.set_data(layer.deformable_conv_weight.data())
    conv.bias.set_data(layer.deformable_conv_bias.data())
    _close(layer(x).asnumpy(), conv(x).asnumpy(), 1e-5, 1e-6, cls)
    names = [k[len(layer.prefix):] for k in layer.collect_params()]
    weights = ['deformable_conv_weight', 'deformable_conv_bias']
    offsets = ['offset_weight', 'offset_bias']
    assert names == (offsets + weights if cls == 'DeformableConvolution' else weights + offsets)
    assert layer.offset_weight.shape == ((18 if 'Mod' not in cls else 27), 2, 3, 3)


# --- NumPy arrays (npx.set_np): the same layers take and return mx.np.ndarray --------------

@pytest.fixture
def np_mode():
    mx.npx.set_np()
    try:
        yield mx.np
    finally:
        mx.npx.reset_np()


def test_layers_take_and_return_np_arrays(np_mode):
    np_ = np_mode
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1, activation='relu'), nn.BatchNorm(), nn.MaxPool2D(),
            cnn.PixelShuffle2D(1), nn.Flatten(), nn.Dense(3), nn.LeakyReLU(0.1))
    net.initialize()
    x = np_.array(np.random.RandomState(2).uniform(-1, 1, (2, 1, 6, 6)), dtype='float32')
    eager = net(x)
    assert type(eager) is np_.ndarray and eager.shape == (2, 3)
    legacy = [p.data().as_nd_ndarray() for p in net.collect_params().values()]
    assert len(legacy) == 8
    net.hybridize()
    _close(net(x).asnumpy(), eager.asnumpy(), 1e-5, 1e-6, 'np hybridized')
    x.attach_grad()
    with autograd.record():
        out = net(x)
    out.backward()
    assert type(x.grad) is np_.ndarray and float(abs(x.grad).sum()) > 0


def test_d2l_linear_regression_in_np_mode(np_mode):
    np_ = np_mode
    rng = np.random.RandomState(0)
    X = np_.array(rng.normal(0, 1, (100, 2)), dtype='float32')
    y = X @ np_.array([[2.], [-3.4]], dtype='float32') + 4.2
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(mx.init.Normal(0.01))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    for _ in range(60):
        with autograd.record():
            lval = loss(net(X), y)
        lval.backward()
        trainer.step(100)
    assert type(lval) is np_.ndarray and lval.shape == (100,)
    _close(net[0].weight.data().asnumpy(), np.array([[2., -3.4]]), 1e-2, 1e-2, 'w')
    _close(net[0].bias.data().asnumpy(), np.array([4.2]), 1e-2, 1e-2, 'b')
