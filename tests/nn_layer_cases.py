"""The gluon.nn layer table: cases and a framework-neutral runner.

``run_case(mx, case, values)`` builds one layer with MXNet's API (``mx`` is real MXNet or
mxtorch), runs deferred init on the case's inputs, sets the parameters to ``values`` (or to
seeded random values when ``values`` is None) and runs forward + backward under
``autograd.record`` with a seeded head gradient. It returns names, shapes, reprs, outputs and
gradients as plain Python/numpy, so ``tools/nn_diff.py`` can run it in the oracle interpreter
(writing ``tests/fixtures/nn_layers.{json,npz}``) and ``tests/test_gluon_nn.py`` in mxtorch.
Nothing here imports either framework.
"""
import zlib

import numpy as np

# id, code (must bind `net`; names nn, cnn = contrib.nn, ccnn = contrib.cnn, mx), input shapes,
# options:
#   mode 'train' (record in training) or 'predict'; ints=N: integer inputs in [0, N);
#   hybrid False for plain Blocks; dtype of the inputs.
CASES = [
    ('dense', 'net = nn.Dense(5)', [(2, 3)], {}),
    ('dense_in_units_relu', "net = nn.Dense(5, in_units=3, activation='relu')", [(2, 3)], {}),
    ('dense_nobias_noflatten', 'net = nn.Dense(4, use_bias=False, flatten=False)',
     [(2, 3, 6)], {}),
    ('dense_flatten_tanh', "net = nn.Dense(4, activation='tanh')", [(2, 3, 4)], {}),
    ('dense_float64', "net = nn.Dense(3, dtype='float64')", [(2, 4)], {'dtype': 'float64'}),
    ('act_relu', "net = nn.Activation('relu')", [(2, 5)], {}),
    ('act_sigmoid', "net = nn.Activation('sigmoid')", [(2, 5)], {}),
    ('act_tanh', "net = nn.Activation('tanh')", [(2, 5)], {}),
    ('act_softrelu', "net = nn.Activation('softrelu')", [(2, 5)], {}),
    ('act_softsign', "net = nn.Activation('softsign')", [(2, 5)], {}),
    ('dropout_predict', 'net = nn.Dropout(0.5)', [(3, 4)], {'mode': 'predict'}),
    ('dropout_zero', 'net = nn.Dropout(0.0)', [(3, 4)], {}),
    ('dropout_axes_predict', 'net = nn.Dropout(0.3, axes=(1,))', [(3, 4)],
     {'mode': 'predict'}),
    ('batchnorm_train', 'net = nn.BatchNorm()', [(4, 3, 2, 2)], {}),
    ('batchnorm_predict', 'net = nn.BatchNorm(in_channels=3)', [(4, 3, 2, 2)],
     {'mode': 'predict'}),
    ('batchnorm_axis_last', 'net = nn.BatchNorm(axis=-1, momentum=0.5)', [(4, 5, 3)], {}),
    ('batchnorm_nocenter_noscale', 'net = nn.BatchNorm(center=False, scale=False)',
     [(4, 3, 5)], {}),
    ('batchnorm_global_stats', 'net = nn.BatchNorm(use_global_stats=True, epsilon=1e-3)',
     [(4, 3, 5)], {}),
    ('batchnorm_relu', 'net = nn.BatchNormReLU()', [(4, 3, 5)], {}),
    ('syncbatchnorm', 'net = cnn.SyncBatchNorm(num_devices=1)', [(4, 3, 2, 2)], {}),
    ('instancenorm', 'net = nn.InstanceNorm()', [(2, 3, 4)], {}),
    ('instancenorm_axis2_scale', 'net = nn.InstanceNorm(axis=2, scale=True, center=False)',
     [(2, 3, 4, 2)], {}),
    ('layernorm', 'net = nn.LayerNorm()', [(2, 5)], {}),
    ('layernorm_axis1', 'net = nn.LayerNorm(axis=1, epsilon=1e-3, center=False)',
     [(2, 3, 4)], {}),
    ('groupnorm', 'net = nn.GroupNorm()', [(2, 4, 3)], {}),
    ('groupnorm_2', 'net = nn.GroupNorm(num_groups=2, scale=False)', [(2, 4, 3, 2)], {}),
    ('leakyrelu', 'net = nn.LeakyReLU(0.1)', [(2, 5)], {}),
    ('prelu', 'net = nn.PReLU()', [(2, 5)], {}),
    ('prelu_channels', 'net = nn.PReLU(in_channels=3)', [(2, 3, 4)], {}),
    ('elu', 'net = nn.ELU()', [(2, 5)], {}),
    ('elu_alpha', 'net = nn.ELU(alpha=0.5)', [(2, 5)], {}),
    ('selu', 'net = nn.SELU()', [(2, 5)], {}),
    ('gelu', 'net = nn.GELU()', [(2, 5)], {}),
    ('swish', 'net = nn.Swish()', [(2, 5)], {}),
    ('swish_beta', 'net = nn.Swish(beta=2.0)', [(2, 5)], {}),
    ('embedding', 'net = nn.Embedding(10, 4)', [(2, 3)], {'ints': 10}),
    ('embedding_sparse_grad', 'net = nn.Embedding(8, 3, sparse_grad=True)', [(4,)],
     {'ints': 8}),
    ('flatten', 'net = nn.Flatten()', [(2, 3, 4)], {}),
    ('lambda_name', "net = nn.Lambda('tanh')", [(2, 3)], {'hybrid': False}),
    ('lambda_func', 'net = nn.Lambda(lambda x: x * 2)', [(2, 3)], {'hybrid': False}),
    ('hybridlambda_name', "net = nn.HybridLambda('tanh')", [(2, 3)], {}),
    ('hybridlambda_func', 'net = nn.HybridLambda(lambda F, x: F.relu(x) + 1)', [(2, 3)], {}),
    ('conv1d', 'net = nn.Conv1D(4, 3)', [(2, 3, 8)], {}),
    ('conv1d_args', 'net = nn.Conv1D(4, 3, strides=2, padding=1, dilation=2, groups=2)',
     [(2, 4, 9)], {}),
    ('conv2d', 'net = nn.Conv2D(4, 3, padding=1)', [(2, 3, 6, 6)], {}),
    ('conv2d_args', "net = nn.Conv2D(6, (3, 2), strides=(2, 1), padding=(1, 0), "
     "dilation=(1, 2), groups=3, activation='relu')", [(2, 3, 7, 7)], {}),
    ('conv2d_nhwc', "net = nn.Conv2D(4, 3, layout='NHWC', in_channels=3, use_bias=False)",
     [(2, 6, 6, 3)], {}),
    ('conv3d', 'net = nn.Conv3D(4, 2)', [(1, 2, 4, 4, 4)], {}),
    ('conv3d_ndhwc', "net = nn.Conv3D(3, 2, strides=2, layout='NDHWC')", [(1, 4, 4, 4, 2)],
     {}),
    ('conv1d_transpose', 'net = nn.Conv1DTranspose(4, 3)', [(2, 3, 5)], {}),
    ('conv1d_transpose_args', 'net = nn.Conv1DTranspose(4, 3, strides=2, output_padding=1)',
     [(2, 3, 5)], {}),
    ('conv2d_transpose', 'net = nn.Conv2DTranspose(4, 3, strides=2, padding=1, '
     'output_padding=1)', [(2, 3, 4, 4)], {}),
    ('conv2d_transpose_groups', 'net = nn.Conv2DTranspose(6, 3, groups=3, in_channels=3, '
     'dilation=2)', [(2, 3, 4, 4)], {}),
    ('conv2d_transpose_nhwc', "net = nn.Conv2DTranspose(4, 2, strides=2, layout='NHWC', "
     "in_channels=3)", [(2, 3, 3, 3)], {}),
    ('conv3d_transpose', "net = nn.Conv3DTranspose(2, 2, strides=2, activation='tanh')",
     [(1, 2, 3, 3, 3)], {}),
    ('maxpool1d', 'net = nn.MaxPool1D()', [(2, 3, 8)], {}),
    ('maxpool1d_ceil', 'net = nn.MaxPool1D(3, 2, 1, ceil_mode=True)', [(2, 3, 8)], {}),
    ('maxpool1d_nwc', "net = nn.MaxPool1D(layout='NWC')", [(2, 8, 3)], {}),
    ('maxpool2d', 'net = nn.MaxPool2D()', [(2, 3, 6, 6)], {}),
    ('maxpool2d_ceil', 'net = nn.MaxPool2D(3, 2, 1, ceil_mode=True)', [(2, 3, 7, 7)], {}),
    ('maxpool2d_nhwc', "net = nn.MaxPool2D((2, 3), layout='NHWC')", [(2, 6, 6, 3)], {}),
    ('maxpool3d', 'net = nn.MaxPool3D()', [(1, 2, 4, 4, 4)], {}),
    ('avgpool1d', 'net = nn.AvgPool1D()', [(2, 3, 8)], {}),
    ('avgpool2d_nopad', 'net = nn.AvgPool2D(3, 2, 1, count_include_pad=False)',
     [(2, 3, 7, 7)], {}),
    ('avgpool2d_ceil', 'net = nn.AvgPool2D(2, ceil_mode=True)', [(2, 3, 5, 5)], {}),
    ('avgpool3d', 'net = nn.AvgPool3D(padding=1, count_include_pad=False)',
     [(1, 2, 4, 4, 4)], {}),
    ('avgpool3d_ndhwc', "net = nn.AvgPool3D(layout='NDHWC')", [(1, 4, 4, 4, 2)], {}),
    ('globalmaxpool1d', 'net = nn.GlobalMaxPool1D()', [(2, 3, 5)], {}),
    ('globalmaxpool2d_nhwc', "net = nn.GlobalMaxPool2D(layout='NHWC')", [(2, 4, 4, 3)], {}),
    ('globalmaxpool3d', 'net = nn.GlobalMaxPool3D()', [(1, 2, 3, 3, 3)], {}),
    ('globalavgpool1d_nwc', "net = nn.GlobalAvgPool1D(layout='NWC')", [(2, 5, 3)], {}),
    ('globalavgpool2d', 'net = nn.GlobalAvgPool2D()', [(2, 3, 4, 4)], {}),
    ('globalavgpool3d_ndhwc', "net = nn.GlobalAvgPool3D(layout='NDHWC')",
     [(1, 3, 3, 3, 2)], {}),
    ('reflectionpad2d', 'net = nn.ReflectionPad2D(1)', [(1, 2, 4, 4)], {}),
    ('reflectionpad2d_tuple', 'net = nn.ReflectionPad2D((0, 0, 0, 0, 1, 2, 2, 1))',
     [(1, 2, 4, 4)], {}),
    ('pixelshuffle1d', 'net = cnn.PixelShuffle1D(2)', [(2, 4, 3)], {}),
    ('pixelshuffle2d', 'net = cnn.PixelShuffle2D(2)', [(1, 8, 2, 3)], {}),
    ('pixelshuffle2d_pair', 'net = cnn.PixelShuffle2D((2, 3))', [(1, 12, 2, 2)], {}),
    ('pixelshuffle3d', 'net = cnn.PixelShuffle3D((1, 2, 2))', [(1, 8, 2, 2, 2)], {}),
    ('pixelshuffle3d_mixed', 'net = cnn.PixelShuffle3D((2, 3, 1))', [(2, 12, 2, 1, 3)], {}),
    ('deformable_conv', 'net = ccnn.DeformableConvolution(4, 3, padding=1)', [(1, 2, 5, 5)],
     {}),
    ('deformable_conv_args', "net = ccnn.DeformableConvolution(4, (3, 2), strides=2, "
     "num_deformable_group=2, use_bias=False, offset_use_bias=False, activation='relu', "
     "in_channels=4)", [(1, 4, 6, 6)], {}),
    ('modulated_deformable_conv', 'net = ccnn.ModulatedDeformableConvolution(3, 3, padding=1)',
     [(1, 2, 5, 5)], {}),
    ('identity', 'net = cnn.Identity()', [(2, 3)], {}),
    ('hybridconcurrent', 'net = cnn.HybridConcurrent(axis=1)\nwith net.name_scope():\n'
     '    net.add(nn.Dense(3), nn.Dense(2, activation="relu"), cnn.Identity())',
     [(2, 4)], {}),
    ('concurrent', 'net = cnn.Concurrent(axis=1)\nwith net.name_scope():\n'
     '    net.add(nn.Dense(3), nn.Dense(2))', [(2, 4)], {'hybrid': False}),
    ('hybridsequential', 'net = nn.HybridSequential()\nwith net.name_scope():\n'
     '    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),\n'
     '            nn.MaxPool2D(), nn.Flatten(), nn.Dense(5))', [(2, 3, 6, 6)], {}),
    ('sequential', 'net = nn.Sequential()\nwith net.name_scope():\n'
     '    net.add(nn.Dense(4, activation="relu"), nn.Dense(2))', [(3, 5)], {'hybrid': False}),
]


def _seed(*parts):
    return zlib.crc32('/'.join(parts).encode())


def make_inputs(case):
    """Seeded inputs of a case as numpy arrays."""
    cid, _, shapes, opts = case
    rng = np.random.RandomState(_seed(cid, 'inputs'))
    dtype = opts.get('dtype', 'float32')
    if 'ints' in opts:
        return [rng.randint(0, opts['ints'], size=s).astype(dtype) for s in shapes]
    return [rng.uniform(-1.5, 1.5, size=s).astype(dtype) for s in shapes]


def random_value(cid, rel, shape, dtype):
    """Seeded parameter value; variances and scales are kept positive."""
    rng = np.random.RandomState(_seed(cid, rel))
    low, high = (0.5, 1.5) if rel.endswith(('running_var', 'gamma')) else (-0.5, 0.5)
    return rng.uniform(low, high, size=shape).astype(dtype)


def _rel(net, name):
    return name[len(net.prefix):] if name.startswith(net.prefix) else name


def _params(net):
    return {_rel(net, k): v for k, v in net.collect_params().items()}


def _np(arr):
    if getattr(arr, 'stype', 'default') != 'default':
        arr = arr.tostype('default')
    return arr.asnumpy()


def build(mx, case):
    """Evaluates the case's code with ``nn``/``cnn`` from ``mx``."""
    scope = {'mx': mx, 'nn': mx.gluon.nn, 'cnn': mx.gluon.contrib.nn,
             'ccnn': mx.gluon.contrib.cnn}
    exec(case[1], scope)  # noqa: S102  (the table's own code)
    return scope['net']


def run_case(mx, case, values=None, hybridize=False, net=None):
    """Runs one case; see the module docstring. Returns a dict of results."""
    cid, _, _, opts = case
    net = build(mx, case) if net is None else net
    res = {'repr_before': repr(net),
           'shapes_before': {k: list(p.shape) for k, p in _params(net).items()}}
    net.initialize()
    if hybridize:
        net.hybridize()
    inputs = [mx.nd.array(a, dtype=a.dtype) for a in make_inputs(case)]
    net(*inputs)                                   # deferred init (predict mode)
    params = _params(net)
    res['shapes_after'] = {k: list(p.shape) for k, p in params.items()}
    res['repr_after'] = repr(net)
    res['params'] = {}
    for rel, p in sorted(params.items()):
        val = values[rel] if values is not None else random_value(
            cid, rel, p.shape, np.dtype(p.dtype).name)
        p.set_data(mx.nd.array(val, dtype=val.dtype))
        res['params'][rel] = val
    if 'ints' not in opts:
        for x in inputs:
            x.attach_grad()
    train = opts.get('mode', 'train') == 'train'
    with mx.autograd.record(train_mode=train):
        out = net(*inputs)
    head = np.random.RandomState(_seed(cid, 'head')).uniform(
        -1, 1, size=out.shape).astype(np.dtype(out.dtype).name)
    out.backward(mx.nd.array(head, dtype=head.dtype))
    res['out'] = _np(out)
    res['grad_in'] = [] if 'ints' in opts else [_np(x.grad) for x in inputs]
    res['grad_param'] = {rel: _np(p.grad()) for rel, p in sorted(params.items())
                         if p.grad_req != 'null'}
    res['params_after'] = {rel: _np(p.data()) for rel, p in sorted(params.items())}
    return res
