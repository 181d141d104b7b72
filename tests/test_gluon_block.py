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
