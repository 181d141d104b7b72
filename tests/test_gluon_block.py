"""gluon.Block: naming, registration, parameter collection, save/load, hooks, summary.

Expected names, reprs, messages and summary tables were captured from MXNet 1.9.1.
"""
import os
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import gluon
from mxtorch.gluon import nn

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'gluon')


class Net(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.a = nn.Dense(3, in_units=2)
            self.b = nn.Dense(4)
            self.w = self.params.get('w', shape=(2, 0), allow_deferred_init=True)

    def forward(self, x):
        return self.b(self.a(x))


@pytest.fixture(autouse=True)
def fresh_names():
    with mx.name.NameManager():
        yield


def test_prefixes_and_names():
    n1, n2, n3 = Net(), Net(), Net(prefix='my_')
    assert (n1.prefix, n2.prefix, n3.prefix, n1.name, n3.name) == ('net0_', 'net1_', 'my_',
                                                                   'net0', 'my')
    assert list(n1.collect_params().keys()) == ['net0_w', 'net0_dense0_weight', 'net0_dense0_bias',
                                                'net0_dense1_weight', 'net0_dense1_bias']
    assert list(n3.collect_params()) == ['my_w', 'my_dense0_weight', 'my_dense0_bias',
                                         'my_dense1_weight', 'my_dense1_bias']
    assert sorted(n1._collect_params_with_prefix()) == ['a.bias', 'a.weight', 'b.bias',
                                                        'b.weight', 'w']


def test_nested_names_select_and_repr():
    seq = nn.Sequential()
    with seq.name_scope():
        seq.add(nn.Dense(2), Net(), nn.Dense(2))
    assert list(seq.collect_params()) == [
        'sequential0_dense0_weight', 'sequential0_dense0_bias', 'sequential0_net0_w',
        'sequential0_net0_dense0_weight', 'sequential0_net0_dense0_bias',
        'sequential0_net0_dense1_weight', 'sequential0_net0_dense1_bias',
        'sequential0_dense1_weight', 'sequential0_dense1_bias']
    assert list(seq.collect_params('.*weight')) == [
        'sequential0_dense0_weight', 'sequential0_net0_dense0_weight',
        'sequential0_net0_dense1_weight', 'sequential0_dense1_weight']
    # structural names match too (mxtorch extension, DESIGN.md section 6)
    assert list(seq.collect_params(r'1\.a\.')) == ['sequential0_net0_dense0_weight',
                                                   'sequential0_net0_dense0_bias']
    assert repr(seq) == ("Sequential(\n  (0): Dense(None -> 2, linear)\n  (1): Net(\n"
                         "    (a): Dense(2 -> 3, linear)\n    (b): Dense(None -> 4, linear)\n  )\n"
                         "  (2): Dense(None -> 2, linear)\n)")


def test_name_manager_and_prefix_scopes():
    assert nn.Dense(2).prefix == 'dense0_'
    with mx.name.Prefix('pre_'):
        assert (nn.Dense(2).prefix, gluon.Block().prefix) == ('pre_dense0_', 'pre_block0_')
    with mx.name.NameManager():
        assert (nn.Dense(2).prefix, gluon.Block().prefix) == ('dense0_', 'block0_')
        assert mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=2).name == 'fullyconnected0'
    empty = gluon.Block(prefix='')
    assert (empty.prefix, empty.name) == ('', '')
    assert repr(gluon.Block()) == 'Block(\n\n)'


def test_name_scope_prefixes_symbols():
    blk = gluon.Block(prefix='top_')
    with blk.name_scope():
        assert mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=2).name == \
            'top_fullyconnected0'


def test_params_sharing_through_constructor():
    d0 = nn.Dense(3, in_units=2)
    d1 = nn.Dense(3, in_units=2, params=d0.collect_params())
    assert d1.weight is d0.weight and d1.prefix == 'dense1_'


# ---- registration --------------------------------------------------------------------------
def test_setattr_type_change_and_override_errors():
    net = Net()
    with pytest.raises(TypeError, match="Changing attribute type for a from <class "
                                        "'mxtorch.gluon.nn.basic_layers.Dense'> to <class 'int'>"):
        net.a = 3
    with pytest.raises(TypeError, match="Changing attribute type for w"):
        net.w = nn.Dense(2)
    with pytest.raises(AssertionError, match="Overriding Parameter attribute w of block 'net0' "
                                             "is not allowed"):
        net.w = net.params.get('w2', shape=(1,))
    net.a = nn.Dense(5)  # a Block replacing a Block is fine
    net.extra = nn.Dense(2)
    net.register_child(nn.Dense(1))
    assert list(net._children) == ['a', 'b', 'extra', '3']


def test_assigning_children_before_init_names_the_fix():
    class Early(gluon.Block):
        def __init__(self):
            self.dense = nn.Dense(2)
            super().__init__()

    with pytest.raises(AttributeError, match=r"Early.dense: cannot register a Dense before "
                                             r"Block.__init__ ran; call super\(\).__init__"):
        Early()


class Lists(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.layers = [nn.Dense(2), nn.Dense(3)]
            self.reg = nn.Dense(4)


def test_unregistered_container_warning():
    net = Lists()
    with pytest.warns(UserWarning, match='"Lists.layers" is an unregistered container with '
                                         'Blocks. Note that Blocks inside the list, tuple or dict '
                                         'will not be registered automatically'):
        keys = list(net.collect_params())
    assert keys == ['lists0_dense2_weight', 'lists0_dense2_bias']
    for i, layer in enumerate(net.layers):
        net.register_child(layer, 'l%d' % i)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert len(net.collect_params()) == 6


# ---- save / load ---------------------------------------------------------------------------
def mlp(seq=nn.HybridSequential, **kwargs):
    net = seq(**kwargs)
    with net.name_scope():
        net.add(nn.Dense(8, activation='relu', in_units=5), nn.Dense(4), nn.Dense(2))
    return net


def filled(net):
    net.initialize()
    net(mx.nd.ones((1, 5)))
    for i, p in enumerate(net.collect_params().values()):
        p.set_data(mx.nd.arange(int(np.prod(p.shape))).reshape(p.shape) * 0.1 + i)
    return net


def values(net):
    return [p.data().asnumpy() for p in net.collect_params().values()]


def test_save_load_parameters_round_trip(tmp_path):
    fn = str(tmp_path / 'net.params')
    net = filled(mlp())
    net.save_parameters(fn)
    assert sorted(mx.nd.load(fn)) == ['0.bias', '0.weight', '1.bias', '1.weight', '2.bias',
                                      '2.weight']
    for seq in (nn.HybridSequential, nn.Sequential):
        other = mlp(seq)
        other.load_parameters(fn, ctx=mx.cpu(1))
        assert all((a == b).all() for a, b in zip(values(net), values(other)))
        assert other[2].weight.shape == (2, 4) and other[2].weight.list_ctx() == [mx.cpu(1)]
    again = mlp()
    again.load_parameters(fn, device=mx.cpu(2))
    assert again[0].bias.list_ctx() == [mx.cpu(2)]


def test_load_parameters_errors(tmp_path):
    fn = str(tmp_path / 'net.params')
    filled(mlp()).save_parameters(fn)
    small = nn.HybridSequential()
    with small.name_scope():
        small.add(nn.Dense(8, in_units=5))
    with pytest.raises(ValueError, match=r"Parameter '1.weight' loaded from file '.*net.params' is "
                                         r"not present in block 'hybridsequential1', which "
                                         r"contains parameters '0.weight', '0.bias'. Set "
                                         r"ignore_extra=True to ignore"):
        small.load_parameters(fn)
    small.load_parameters(fn, ignore_extra=True)
    big = mlp()
    with big.name_scope():
        big.add(nn.Dense(1))
    with pytest.raises(AssertionError, match=r"Parameter '3.weight' \(hybridsequential2_dense3_"
                                             r"weight\) is missing in file '.*net.params', which "
                                             r"contains parameters: '0.weight', '0.bias', .*Set "
                                             r"allow_missing=True"):
        big.load_parameters(fn)
    big.load_parameters(fn, allow_missing=True)
    assert big[3].weight._data is None


def test_legacy_prefixed_files_and_deprecated_methods(tmp_path):
    fn = str(tmp_path / 'legacy.params')
    net = filled(mlp(prefix='model_'))
    with pytest.warns(UserWarning, match="save_params is deprecated"):
        net.save_params(fn)
    assert sorted(mx.nd.load(fn)) == ['dense0_bias', 'dense0_weight', 'dense1_bias',
                                      'dense1_weight', 'dense2_bias', 'dense2_weight']
    other = mlp(prefix='other_')
    other.load_parameters(fn)  # no '.' in the keys: prefixed names under this block's prefix
    assert all((a == b).all() for a, b in zip(values(net), values(other)))
    third = mlp(prefix='third_')
    with pytest.warns(UserWarning, match="load_params is deprecated"):
        third.load_params(fn)
    assert all((a == b).all() for a, b in zip(values(net), values(third)))


class Shared(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.d0 = nn.Dense(3, in_units=3)
            self.d1 = nn.Dense(3, in_units=3, params=self.d0.params)
            self.out = nn.Dense(2, in_units=3)

    def forward(self, x):
        return [self.out(self.d1(self.d0(x))), x]


def test_deduplicate_saves_shared_parameters_once(tmp_path):
    net = Shared()
    net.initialize(mx.init.One())
    assert list(net.collect_params()) == ['shared0_dense0_weight', 'shared0_dense0_bias',
                                          'shared0_dense2_weight', 'shared0_dense2_bias']
    net.save_parameters(str(tmp_path / 'all.params'))
    net.save_parameters(str(tmp_path / 'dedup.params'), deduplicate=True)
    assert sorted(mx.nd.load(str(tmp_path / 'all.params'))) == [
        'd0.bias', 'd0.weight', 'd1.bias', 'd1.weight', 'out.bias', 'out.weight']
    assert sorted(mx.nd.load(str(tmp_path / 'dedup.params'))) == [
        'd1.bias', 'd1.weight', 'out.bias', 'out.weight']
    other = Shared()
    other.load_parameters(str(tmp_path / 'dedup.params'))  # one name per shared param suffices
    assert other.d0.weight.data().asnumpy().sum() == 9


@pytest.mark.parametrize("model", ['mlp', 'cnn'])
def test_mxnet_saved_gluon_params_load(model):
    """Files written by MXNet 1.9.1's save_parameters load and reproduce its outputs."""
    if model == 'mlp':
        net = nn.HybridSequential()
        net.add(nn.Dense(32, in_units=20), nn.Activation('relu'), nn.Dense(16, activation='tanh'),
                nn.Dense(10))
    else:
        net = nn.HybridSequential()
        net.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(2), nn.Dropout(0.5), nn.Flatten(), nn.Dense(10))
    fn = os.path.join(FIXTURES, model + '.gluon.params')
    net.load_parameters(fn)
    stored = mx.nd.load(fn)
    assert sorted(net._collect_params_with_prefix()) == sorted(stored)
    io = np.load(os.path.join(FIXTURES, model + '-io.npz'))
    out = net(mx.nd.array(io['in/data'])).asnumpy()
    np.testing.assert_allclose(out, io['out/0'], rtol=1e-4, atol=1e-5)


def test_block_save_load_prefix(tmp_path):
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(8, in_units=5), nn.Dense(4, in_units=8), nn.Dense(2, in_units=4))
    net = filled(net)
    net.save(str(tmp_path / 'whole'))
    import json
    with open(str(tmp_path / 'whole-model.json')) as f:
        structure = json.load(f)
    assert structure == {'sequential0': {
        'orig_name': 'sequential0',
        'children': {'sequential0_dense0': '0', 'sequential0_dense1': '1',
                     'sequential0_dense2': '2'},
        'dense1': {'orig_name': 'sequential0_dense0', 'hybridized': False, 'children': {}},
        'dense2': {'orig_name': 'sequential0_dense1', 'hybridized': False, 'children': {}},
        'dense3': {'orig_name': 'sequential0_dense2', 'hybridized': False, 'children': {}}}}
    other = nn.Sequential(prefix='renamed_')
    with other.name_scope():
        other.add(nn.Dense(8, in_units=5), nn.Dense(4, in_units=8), nn.Dense(2, in_units=4))
    other.load(str(tmp_path / 'whole'))
    assert other.name == 'sequential0' and list(other._children) == ['0', '1', '2']
    assert all((a == b).all() for a, b in zip(values(net), values(other)))


# ---- 2.x methods ---------------------------------------------------------------------------
def test_share_parameters_load_dict_zero_grad_setattr():
    src = filled(mlp())
    dst = mlp()
    with pytest.warns(UserWarning, match="Parameter name nothing is not in the current model"):
        assert dst.share_parameters(dict(src._collect_params_with_prefix(),
                                         nothing=src[0].weight)) is dst
    assert dst[1].weight is src[1].weight and dst[2].bias is src[2].bias
    assert list(dst.collect_params()) == list(src.collect_params())
    by_full = mlp(prefix=src.prefix).share_parameters(dict(src.collect_params().items()))
    assert by_full[0].weight is src[0].weight
    # the 2.x idiom: another block's collect_params(), whatever its prefix
    other = mlp().share_parameters(src.collect_params())
    assert other[2].weight is src[2].weight and other[0].bias is src[0].bias
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        mlp().share_parameters(src.collect_params('.*dense1_'))
    with pytest.raises(ValueError, match="'shared' should be in type of Dict"):
        dst.share_parameters([1])
    loaded = mlp()
    loaded.load_dict({k: v.data() for k, v in src._collect_params_with_prefix().items()},
                     device=mx.cpu(1))
    assert loaded[2].weight.list_ctx() == [mx.cpu(1)]
    with mx.autograd.record():
        y = src(mx.nd.ones((2, 5))).sum()
    y.backward()
    assert src[2].bias.grad().asnumpy().sum() != 0
    src.zero_grad()
    assert all(p.grad().asnumpy().sum() == 0 for p in src.collect_params().values())
    src.setattr('grad_req', 'null')
    assert {p.grad_req for p in src.collect_params().values()} == {'null'}
    src.reset_device(mx.cpu(3))
    assert src[0].weight.list_ctx() == [mx.cpu(3)]
    src.reset_ctx(mx.cpu(0))


# ---- hooks, apply, cast ----------------------------------------------------------------------
def test_forward_hooks_apply_cast():
    net = mlp(nn.Sequential)
    net.initialize(mx.init.One())
    seen = []
    pre = net[0].register_forward_pre_hook(lambda b, i: seen.append(('pre', b.name, i[0].shape)))
    post = net.register_forward_hook(lambda b, i, o: seen.append(('post', b.name, o.shape)))
    net(mx.nd.ones((2, 5)))
    pre.detach()
    net(mx.nd.ones((3, 5)))
    post.detach()
    net(mx.nd.ones((1, 5)))
    assert seen == [('pre', 'sequential0_dense0', (2, 5)), ('post', 'sequential0', (2, 2)),
                    ('post', 'sequential0', (3, 2))]
    with net.register_forward_hook(lambda b, i, o: seen.append('ctx')):
        net(mx.nd.ones((1, 5)))
    net(mx.nd.ones((1, 5)))
    assert seen[-1] == 'ctx' and seen.count('ctx') == 1
    names = []
    assert net.apply(lambda b: names.append(b.name)) is net
    assert names == ['sequential0_dense0_relu', 'sequential0_dense0', 'sequential0_dense1',
                     'sequential0_dense2', 'sequential0']
    net.cast('float64')
    assert {np.dtype(p.dtype).name for p in net.collect_params().values()} == {'float64'}
    assert net(mx.nd.ones((1, 5), dtype='float64')).dtype == np.float64


def test_forward_not_defined_and_infer_shape_on_plain_block():
    blk = gluon.Block(prefix='plain_')
    with pytest.raises(NotImplementedError, match="Block 'plain' .* does not define forward"):
        blk(mx.nd.ones(1))
    with pytest.raises(NotImplementedError, match="only HybridBlock implements infer_shape"):
        blk.infer_shape(mx.nd.ones(1))


def test_hybridize_recurses_to_children():
    outer = Shared()
    hybrid_children = []
    outer.apply(lambda b: hybrid_children.append(b) if isinstance(b, gluon.HybridBlock) else 0)
    outer.hybridize()
    assert all(b._active for b in hybrid_children)


# ---- summary (tables printed by MXNet 1.9.1, tools/gen_gluon_block_fixtures.py) -------------
SUMMARY_NETS = {'mlp': (mlp, (2, 5)), 'seq_mlp': (lambda: mlp(nn.Sequential), (2, 5)),
                'shared': (Shared, (1, 3))}


def cnn():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, in_channels=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(), nn.Flatten(), nn.Dense(3))
    return net


SUMMARY_NETS['cnn'] = (cnn, (2, 1, 6, 6))


@pytest.mark.parametrize("name", sorted(SUMMARY_NETS))
def test_summary_matches_mxnet(name, capsys):
    build, shape = SUMMARY_NETS[name]
    net = build()
    net.initialize()
    net.summary(mx.nd.ones(shape))
    with open(os.path.join(FIXTURES, 'summary_%s.txt' % name)) as f:
        assert capsys.readouterr().out == f.read()
    assert not net._forward_hooks  # the summary hooks are gone


def test_summary_refuses_hybridized():
    net = mlp()
    net.initialize()
    net.hybridize()
    with pytest.raises(AssertionError, match='"hybridsequential0_dense0_relu" must not be '
                                             'hybridized to print summary'):
        net.summary(mx.nd.ones((2, 5)))


def test_save_load_restores_hybridized_graph(tmp_path):
    def build():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4, activation='relu', in_units=3), nn.Dense(2, in_units=4))
        return net
    net = build()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = mx.nd.array([[1, 2, 3]])
    y = net(x).asnumpy()
    net.save(str(tmp_path / 'hyb'))
    other = build()
    other.load(str(tmp_path / 'hyb'))
    assert other._active and other.name == 'hybridsequential0'
    assert list(other.collect_params()) == list(net.collect_params())
    assert [p.name for p in other.collect_params().values()] == list(other.collect_params())
    np.testing.assert_allclose(other(x).asnumpy(), y, rtol=1e-6)
    plain = build()
    plain.load(str(tmp_path / 'hyb'))
    plain.hybridize()  # a fresh trace reads the restored names too
    np.testing.assert_allclose(plain(x).asnumpy(), y, rtol=1e-6)
