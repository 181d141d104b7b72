"""Networks for the AMP graph-pass comparison (tests/test_amp.py and
tools/gen_amp_fixtures.py build them with mxtorch and with MXNet 1.9.1). Each case is
``name -> function(mx) -> Symbol``; names are explicit so graphs compare node by node."""


def _fc(mx, x, name, hidden=4):
    return mx.sym.FullyConnected(x, num_hidden=hidden, name=name)


def mlp(mx):
    d = mx.sym.var('data')
    h = mx.sym.Activation(_fc(mx, d, 'fc1', 8), act_type='relu', name='relu1')
    h = mx.sym.Dropout(h, p=0.5, name='drop')
    return mx.sym.SoftmaxOutput(_fc(mx, h, 'fc2', 3), name='softmax')


def convnet(mx):
    d = mx.sym.var('data')
    c = mx.sym.Convolution(d, kernel=(3, 3), num_filter=4, pad=(1, 1), name='conv1')
    b = mx.sym.BatchNorm(c, name='bn1')
    a = mx.sym.Activation(b, act_type='relu', name='relu1')
    p = mx.sym.Pooling(a, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    f = mx.sym.Flatten(p, name='flat')
    return mx.sym.SoftmaxOutput(_fc(mx, f, 'fc', 10), name='softmax')


def resblock(mx):
    d = mx.sym.var('data')
    c1 = mx.sym.Convolution(d, kernel=(1, 1), num_filter=4, name='c1')
    r = mx.sym.relu(mx.sym.BatchNorm(c1, name='bn'), name='r')
    c2 = mx.sym.Convolution(r, kernel=(1, 1), num_filter=4, name='c2')
    s = mx.sym.elemwise_add(c2, c1, name='add')
    return mx.sym.Pooling(s, kernel=(1, 1), global_pool=True, pool_type='avg', name='gap')


def shortcut_from_data(mx):
    d = mx.sym.var('data')
    c = mx.sym.Convolution(d, kernel=(1, 1), num_filter=3, name='c')
    return mx.sym.elemwise_add(c, d, name='add')


def concat_mixed(mx):
    d, d2 = mx.sym.var('data'), mx.sym.var('data2')
    return mx.sym.concat(_fc(mx, d, 'fc'), d2, dim=1, name='cc')


def widest_cases(mx):
    d, d2 = mx.sym.var('data'), mx.sym.var('data2')
    a = mx.sym.elemwise_add(_fc(mx, d, 'fa'), mx.sym.exp(d2, name='ex'), name='mixed')
    b = mx.sym.elemwise_add(mx.sym.exp(d, name='e1'), mx.sym.exp(d2, name='e2'), name='allfp')
    c = mx.sym.elemwise_add(_fc(mx, d, 'fb'), _fc(mx, d2, 'fc'), name='alllp')
    e = mx.sym.add_n(_fc(mx, d, 'fd'), d2, mx.sym.exp(d, name='e3'), name='an')
    return mx.sym.Group([a, b, c, e])


def either_ops(mx):
    d, d2, g = mx.sym.var('data'), mx.sym.var('data2'), mx.sym.var('g')
    fa = _fc(mx, d, 'fa')
    outs = [mx.sym.relu(fa, name='r') + _fc(mx, d2, 'fb'),
            mx.sym.broadcast_like(fa, g, name='bl') + _fc(mx, d2, 'fc'),
            mx.sym.SequenceMask(fa, g, use_sequence_length=True, name='sm') + _fc(mx, d2, 'fd'),
            mx.sym.relu(mx.sym.exp(d, name='e1'), name='r2') + mx.sym.exp(d2, name='e2'),
            mx.sym.relu(d2, name='r3') + fa,
            mx.sym.Cast(fa, dtype='float32', name='cs') + mx.sym.exp(mx.sym.var('h'), name='e3'),
            mx.sym.zeros((2, 4), name='z') + fa]
    return mx.sym.Group(outs)


def conditional(mx):
    d = mx.sym.var('data')
    a = mx.sym.Activation(_fc(mx, d, 'fa'), act_type='softrelu', name='sr')
    b = mx.sym.Activation(_fc(mx, d, 'fb'), act_type='sigmoid', name='sg')
    c = mx.sym.LeakyReLU(_fc(mx, d, 'fc'), act_type='elu', name='elu')
    return mx.sym.Group([a, b, c])


def split_and_heads(mx):
    d = mx.sym.var('data')
    sp = mx.sym.split(d, num_outputs=2, axis=1, name='sp')
    f = _fc(mx, d, 'fc')
    return mx.sym.Group([_fc(mx, sp[1], 'f1') + _fc(mx, sp[0], 'f0'), d, f,
                         mx.sym.exp(f, name='e'), mx.sym.sum(_fc(mx, f, 'g'), name='s')])


def embedding_rnn(mx):
    d = mx.sym.var('data')
    e = mx.sym.Embedding(d, input_dim=10, output_dim=4, name='emb')
    t = mx.sym.transpose(e, axes=(1, 0, 2), name='tr')
    r = mx.sym.RNN(t, mode='lstm', state_size=4, num_layers=1, state_outputs=True, name='rnn')
    return mx.sym.Group([_fc(mx, r[0], 'out', 2), r[1]])


def shared_params(mx):
    d, d2, w, b = (mx.sym.var(n) for n in ('data', 'data2', 'w', 'b'))
    return (mx.sym.FullyConnected(d, w, b, num_hidden=4, name='f1') +
            mx.sym.FullyConnected(d2, w, b, num_hidden=4, name='f2'))


CASES = {f.__name__: f for f in (mlp, convnet, resblock, shortcut_from_data, concat_mixed,
                                  widest_cases, either_ops, conditional, split_and_heads,
                                  embedding_rnn, shared_params)}

# (case, keyword arguments of convert_symbol); target_dtype is added for both types
CONVERSIONS = [(name, {}) for name in CASES] + [
    ('mlp', {'excluded_sym_names': ['fc2']}),
    ('convnet', {'data_names': ['data', 'softmax_label']}),
    ('convnet', {'data_names': ['data', 'softmax_label'], 'cast_optional_params': True}),
    ('shared_params', {'data_names': ['data', 'data2'], 'cast_optional_params': True}),
    ('mlp', {'target_dtype_ops': ['FullyConnected'], 'fp32_ops': ['SoftmaxOutput'],
             'conditional_fp32_ops': [('Activation', 'act_type', ['relu'])]}),
]


def build(mx, name):
    with mx.name.NameManager():
        return CASES[name](mx)


def summary(graph_json):
    """(nodes as [op, name, inputs, dtype attrs], heads) of a symbol JSON string."""
    import json
    graph = json.loads(graph_json)
    keep = ('dtype', 'num_outputs', '__dtype__')
    nodes = [[n['op'], n['name'], [i[:2] for i in n['inputs']],
              {k: v for k, v in (n.get('attrs') or {}).items() if k in keep}]
             for n in graph['nodes']]
    return nodes, [h[:2] for h in graph['heads']]
