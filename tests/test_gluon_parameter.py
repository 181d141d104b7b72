"""gluon.Parameter / Constant / ParameterDict against MXNet 1.9.1 behaviour.

Expected names, reprs and messages were captured from the oracle (MXNet 1.9.1); mxtorch raises
``ParameterCheckError`` (an AssertionError *and* ValueError/MXNetError) where MXNet asserts.
"""
import pickle
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import gluon
from mxtorch.gluon.parameter import ParameterCheckError

P = gluon.Parameter


def test_repr_and_defaults():
    p = P('w', shape=(2, 0), allow_deferred_init=True)
    assert repr(p) == "Parameter w (shape=(2, 0), dtype=<class 'numpy.float32'>)"
    assert (p.grad_req, p._stype, p.lr_mult, p.wd_mult, p.init) == ('write', 'default', 1.0,
                                                                    1.0, None)
    assert repr(P('k', shape=3, dtype='float16')) == "Parameter k (shape=(3,), dtype=float16)"


def test_shape_setter_fills_unknown_dims_only():
    p = P('w', shape=(2, 0), allow_deferred_init=True)
    with pytest.raises(AssertionError, match=r"Expected shape \(3, 4\) is incompatible with "
                                             r"given shape \(2, 0\)"):
        p.shape = (3, 4)
    p.shape = (2, 5)
    assert p.shape == (2, 5)
    with pytest.raises(ParameterCheckError, match="'w'"):
        p.shape = (2, 6)
    with pytest.raises(ValueError):
        p.shape = (2,)


def test_shape_reads_minus_one_in_np_shape_mode():
    p = P('w', shape=(2, 0), allow_deferred_init=True)
    with mx.util.np_shape(True):
        assert p.shape == (2, -1)
    assert p.shape == (2, 0)


@pytest.mark.parametrize("kwargs, what", [({'grad_req': 'foo'}, "grad_req"),
                                          ({'stype': 'foo'}, "stype for Parameter 'x'"),
                                          ({'grad_stype': 'dense'}, "grad_stype")])
def test_invalid_constructor_args(kwargs, what):
    with pytest.raises(AssertionError, match=what):
        P('x', **kwargs)


def test_non_differentiable_forces_null():
    assert P('x', differentiable=False).grad_req == 'null'


def test_uninitialized_errors():
    with pytest.raises(ValueError, match=r"Cannot initialize Parameter 'x' because it has "
                                         r"invalid shape: \(2, 0\)"):
        P('x', shape=(2, 0)).initialize()
    k = P('k', shape=(2,))
    with pytest.raises(RuntimeError, match="Parameter 'k' has not been initialized. Note"):
        k.data()
    with pytest.raises(RuntimeError, match="Parameter 'k' has not been initialized"):
        k.list_ctx()
    with pytest.raises(ValueError, match="Cannot reset context for Parameter 'k'"):
        k.reset_ctx(mx.cpu())
    with pytest.raises(AssertionError, match="Parameter 'k' has not been initialized"):
        k.set_data(mx.nd.ones(2))


def test_deferred_init_state_and_error():
    q = P('q', shape=(2, 0), allow_deferred_init=True)
    q.initialize(ctx=mx.cpu(1))
    assert q._deferred_init and q.list_ctx() == [mx.cpu(1)]
    with pytest.raises(gluon.DeferredInitializationError,
                       match=r"Parameter 'q' \(shape \(2, 0\)\) has not been initialized yet "
                             "because initialization was deferred"):
        q.data()
    with pytest.raises(ParameterCheckError, match="invalid shape"):
        q._finish_deferred_init()
    assert q._deferred_init  # a failed finish keeps the pending state
    q.set_data(mx.nd.ones((2, 3)))  # deferred: remembered for the finish
    q._finish_deferred_init()
    assert q.data().context == mx.cpu(1) and q.data().asnumpy().sum() == 6
    assert q.grad().shape == (2, 3)


def test_var_attributes():
    v = P('v', shape=(2, 3), lr_mult=2.0, wd_mult=0.5, dtype='float16').var()
    assert v.name == 'v'
    assert v.list_attr() == {'__storage_type__': '0', '__dtype__': '2', '__wd_mult__': '0.5',
                             'wd_mult': '0.5', '__lr_mult__': '2.0', 'lr_mult': '2.0',
                             '__shape__': '(2, 3)'}
    p = P('v', shape=(2, 3), init='zeros')
    assert p.var().list_attr()['__init__'] == 'zeros'
    assert p.var() is p.var()


# ---- ParameterDict -------------------------------------------------------------------------
def test_dict_get_merges_and_checks():
    pd = gluon.ParameterDict('net_')
    a = pd.get('a', shape=(2, 0))
    assert pd.get('a', shape=(0, 3)) is a and a.shape == (2, 3)
    with pytest.raises(AssertionError, match="Cannot retrieve Parameter 'net_a' because desired "
                                             "attribute does not match with stored for attribute "
                                             r"'shape': desired '\(4, 3\)' vs stored '\(2, 3\)'"):
        pd.get('a', shape=(4, 3))
    with pytest.raises(AssertionError, match="'lr_mult': desired '2.0' vs stored '1.0'"):
        pd.get('a', lr_mult=2.0)
    assert pd.get('a', dtype='float32') is a
    assert pd.get('a', init='zeros').init == 'zeros'  # attributes it lacks are set
    assert 'net_a' in pd and len(pd) == 1 and list(pd) == ['net_a']


def test_dict_constants():
    pd = gluon.ParameterDict('net_')
    pd.get('a', shape=(2, 3))
    with pytest.raises(KeyError, match="No constant named 'net_c'"):
        pd.get_constant('c')
    c = pd.get_constant('c', [[1, 2], [3, 4]])
    assert repr(c) == "Constant net_c (shape=(2, 2), dtype=<class 'numpy.float32'>)"
    assert c.grad_req == 'null' and pd.get_constant('c') is c
    assert pd.get_constant('c', [[1, 2], [3, 4]]) is c
    with pytest.raises(AssertionError, match="Constant 'net_c' already exists but it's value"):
        pd.get_constant('c', [[1, 2], [3, 5]])
    with pytest.raises(AssertionError, match="Parameter 'net_a' already exists but it is not a "
                                             "constant"):
        pd.get_constant('a', [1])
    with pytest.warns(UserWarning, match='does not support grad_req other than "null"'):
        c.grad_req = 'write'
    assert c.grad_req == 'null'
    assert repr(pd) == ("net_ (\n  Parameter net_a (shape=(2, 3), dtype=<class 'numpy.float32'>)"
                        "\n  Constant net_c (shape=(2, 2), dtype=<class 'numpy.float32'>)\n)")


def test_dict_update_and_shared():
    pd = gluon.ParameterDict('net_')
    a = pd.get('a', shape=(2, 3))
    other = gluon.ParameterDict('net_')
    other.get('a', shape=(1,))
    with pytest.raises(AssertionError, match="different Parameters with the same name 'net_a'"):
        pd.update(other)
    same = gluon.ParameterDict('net_', shared=pd)
    assert same.get('a') is a and list(same.keys()) == ['net_a']
    assert gluon.ParameterDict('z_', shared=pd).get('a') is not a
    assert repr(gluon.ParameterDict()) == "(\n\n)"
