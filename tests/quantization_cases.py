"""Quantization cases run by both real MXNet 1.9.1 and mxtorch.

``run_case(mx, name)`` builds a small FP32 network with fixed parameters, quantizes it
with ``mx.contrib.quantization`` and returns plain data: the quantized graph as
{node name: [op, attrs, [[input node, output index]...]]}, the quantized parameters and
the output of the quantized model on a fixed input. ``tools/gen_quantization_fixtures.py``
runs it in the oracle (with MXNET_SUBGRAPH_BACKEND=NONE, so that MXNet calibrates the
unfused graph) and ``tests/test_contrib_quantization.py`` in mxtorch.
"""
import json

import numpy as np

# name: (graph, calib_mode, quantized_dtype, quantize_mode, excluded names, excluded ops)
CASES = {
    'small_none_int8_full': ('small', 'none', 'int8', 'full', [], []),
    'small_naive_uint8_smart': ('small', 'naive', 'uint8', 'smart', [], []),
    'small_entropy_int8_full': ('small', 'entropy', 'int8', 'full', [], []),
    'branchy_none_int8_full': ('branchy', 'none', 'int8', 'full', [], []),
    'branchy_naive_int8_smart': ('branchy', 'naive', 'int8', 'smart', [], []),
    'small_naive_auto_full_positive': ('small+', 'naive', 'auto', 'full', [], []),
    'small_naive_uint8_full_excluded_fc': ('small+', 'naive', 'uint8', 'full', ['fc0'], []),
    'mulemb_none_int8_full': ('mulemb', 'none', 'int8', 'full', [], []),
    'mulemb_none_int8_smart': ('mulemb', 'none', 'int8', 'smart', [], []),
    'mulemb_naive_uint8_full': ('mulemb', 'naive', 'uint8', 'full', [], []),
    'branchy_naive_auto_full_excluded': ('branchy', 'naive', 'auto', 'full', ['conv1'],
                                         ['Flatten']),
}
SHAPES = {'small': (2, 1, 8, 8), 'small+': (2, 1, 8, 8), 'branchy': (2, 1, 9, 9),
          'mulemb': (2, 1, 3, 3)}


def _mulemb(mx):
    data = mx.sym.var('data')
    c0 = mx.sym.Convolution(data, num_filter=2, kernel=(1, 1), name='conv0')
    c1 = mx.sym.Convolution(data, num_filter=2, kernel=(1, 1), name='conv1')
    m = mx.sym.elemwise_mul(c0, c1, name='mul0')
    fc0 = mx.sym.FullyConnected(m, num_hidden=2, name='fc0')
    e = mx.sym.Embedding(mx.sym.var('ids'), input_dim=5, output_dim=4, name='emb0')
    fc1 = mx.sym.FullyConnected(e, num_hidden=2, name='fc1')
    return mx.sym.Group([fc0, fc1])


def _small(mx):
    data = mx.sym.var('data')
    c = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), name='conv0')
    r = mx.sym.Activation(c, act_type='relu', name='relu0')
    p = mx.sym.Pooling(r, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool0')
    f = mx.sym.Flatten(p, name='flat0')
    fc = mx.sym.FullyConnected(f, num_hidden=3, name='fc0')
    return mx.sym.SoftmaxOutput(fc, name='softmax')


def _branchy(mx):
    data = mx.sym.var('data')
    p0 = mx.sym.Pooling(data, kernel=(2, 2), stride=(1, 1), pool_type='avg', name='pool_first')
    c = mx.sym.Convolution(p0, num_filter=4, kernel=(3, 3), no_bias=True, name='conv0')
    bn = mx.sym.BatchNorm(c, name='bn0')
    t = mx.sym.Activation(bn, act_type='tanh', name='tanh0')
    r = mx.sym.Activation(t, act_type='relu', name='relu0')
    c2 = mx.sym.Convolution(r, num_filter=4, kernel=(1, 1), name='conv1')
    a = mx.sym.elemwise_add(c2, r, name='add0')
    cc = mx.sym.Concat(a, r, dim=1, name='concat0')
    f = mx.sym.Flatten(cc, name='flat0')
    fc = mx.sym.FullyConnected(f, num_hidden=3, name='fc0')
    return mx.sym.softmax(fc, name='out')


def build(mx, graph):
    """(symbol, arg_params, aux_params, input) of graph 'small' or 'branchy'."""
    sym = {'branchy': _branchy, 'mulemb': _mulemb}.get(graph, _small)(mx)
    low = 0 if graph == 'small+' else -1
    rng = np.random.RandomState(0)
    extra = {'ids': (2,)} if graph == 'mulemb' else {}
    arg_shapes, _, aux_shapes = sym.infer_shape(data=SHAPES[graph], **extra)
    args = {k: mx.nd.array(rng.uniform(-1, 1, s)) for k, s in
            zip(sym.list_arguments(), arg_shapes) if k not in ('data', 'softmax_label', 'ids')}
    auxs = {k: mx.nd.array(rng.uniform(0.5, 1, s)) for k, s in
            zip(sym.list_auxiliary_states(), aux_shapes)}
    calib = rng.uniform(low, 1, (6,) + SHAPES[graph][1:]).astype('float32')
    test = rng.uniform(low, 1, SHAPES[graph]).astype('float32')
    return sym, args, auxs, calib, test


def canonical(sym):
    """{node name: [op, attrs, [[input name, index]...]]} of a symbol's graph."""
    nodes = json.loads(sym.tojson())['nodes']
    return {n['name']: [n['op'], n.get('attrs', {}),
                        [[nodes[i]['name'], k] for i, k, _ in n['inputs']]] for n in nodes}


def run_case(mx, name):
    graph, calib_mode, dtype, mode, ex_names, ex_ops = CASES[name]
    sym, args, auxs, calib, test = build(mx, graph)
    q = mx.contrib.quantization
    calib_iter = None
    if calib_mode != 'none':
        calib_data = {'data': mx.nd.array(calib)}
        if graph == 'mulemb':
            calib_data['ids'] = mx.nd.array([0, 1, 2, 3, 4, 1])
        calib_iter = mx.io.NDArrayIter(calib_data, batch_size=2)
    labels = None if graph in ('branchy', 'mulemb') else ('softmax_label',)
    qsym, qargs, qauxs = q.quantize_model(
        sym, args, auxs, ctx=mx.cpu(), label_names=labels,
        data_names=('data', 'ids') if graph == 'mulemb' else ('data',), calib_mode=calib_mode,
        calib_data=calib_iter, quantized_dtype=dtype, quantize_mode=mode,
        excluded_sym_names=ex_names, excluded_op_names=ex_ops)
    inputs = dict(qargs, data=mx.nd.array(test), ids=mx.nd.array([1, 3]))
    if graph in ('small', 'small+'):
        inputs['softmax_label'] = mx.nd.zeros((test.shape[0],))
    internals = qsym.get_internals()
    names = internals.list_outputs()
    head = internals[names.index('fc0_dequantize_output')] \
        if 'fc0_dequantize_output' in names else qsym
    inputs = {k: v for k, v in inputs.items() if k in head.list_arguments()}
    try:
        exe = head.bind(mx.cpu(), inputs, aux_states=dict(qauxs))
        out = exe.forward(is_train=False)[0].asnumpy().tolist()
    except Exception as err:  # noqa: BLE001 - e.g. oneDNN int8 conv wants uint8 data
        out = 'error: %s' % str(err).strip().splitlines()[-1]
    return {'graph': canonical(qsym),
            'params': {k: [str(v.dtype.__name__ if hasattr(v.dtype, '__name__') else v.dtype),
                           v.asnumpy().tolist()] for k, v in sorted(qargs.items())},
            'output': out}


def gluon_case(mx, device_id=0):
    """quantize_net_v2 on a small Gluon network: (FP32 output, quantized output) on a
    fixed non-negative input, naive calibration on a DataLoader, quantized_dtype 'auto'.
    MXNet fuses the graph with oneDNN only for ctx == cpu(0); cpu(1) gives its unfused
    graph, which is what mxtorch runs."""
    net = mx.gluon.nn.HybridSequential()
    with net.name_scope():
        net.add(mx.gluon.nn.Conv2D(4, 3, in_channels=1, activation='relu'))
        net.add(mx.gluon.nn.MaxPool2D(2))
        net.add(mx.gluon.nn.Flatten())
        net.add(mx.gluon.nn.Dense(3, in_units=36))
    net.initialize()
    rng = np.random.RandomState(1)
    for param in net.collect_params().values():
        param.set_data(mx.nd.array(rng.uniform(-1, 1, param.shape)))
    calib = mx.nd.array(rng.uniform(0, 1, (6, 1, 8, 8)))
    test = mx.nd.array(rng.uniform(0, 1, (2, 1, 8, 8)))
    fp32 = net(test).asnumpy().tolist()
    labels = mx.nd.zeros((6,))
    loader = mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset(calib, labels), batch_size=2)
    qnet = mx.contrib.quantization.quantize_net_v2(
        net, quantized_dtype='auto', calib_mode='naive', calib_data=loader,
        ctx=mx.cpu(device_id))
    return fp32, qnet(test.as_in_context(mx.cpu(device_id))).asnumpy().tolist()
