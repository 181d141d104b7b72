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
    assert P('l', shape=[2, 3]).shape == (2, 3)  # MXNet keeps the list; see compat/gluon_core.md


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


# ---- initialisation, gradients, contexts (values from the oracle) -------------------------
def test_initialize_on_several_contexts():
    p = P('w', shape=(2, 3), init=mx.init.Constant(2.0))
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    assert p.list_ctx() == [mx.cpu(0), mx.cpu(1)] and len(p.list_grad()) == 2
    assert p.data(mx.cpu(1)).asnumpy().tolist() == [[2.0] * 3] * 2
    assert p.data(device=mx.cpu(1)).context == mx.cpu(1)
    assert p.data().context == mx.cpu(0)  # the current context picks the copy
    with pytest.raises(RuntimeError, match=r"Parameter 'w' was not initialized on context "
                                           r"cpu\(2\). It was only initialized on \[cpu\(0\), "
                                           r"cpu\(1\)\]"):
        p.data(mx.cpu(2))
    with pytest.warns(UserWarning, match="Parameter 'w' is already initialized, ignoring"):
        p.initialize()
    p.initialize(init=mx.init.One(), force_reinit=True, device=mx.cpu(0))
    assert p.list_device() == [mx.cpu(0)] and p.data().asnumpy().sum() == 6


def test_grad_req_write_add_null():
    p = P('w', shape=(2, 3), init=mx.init.One())
    p.initialize()
    with mx.autograd.record():
        y = (p.data() * p.data()).sum()
    y.backward()
    assert p.grad().asnumpy().tolist() == [[2.0] * 3] * 2
    p.grad_req = 'add'
    for _ in range(2):
        with mx.autograd.record():
            y = (p.data() * 3).sum()
        y.backward()
    assert p.grad().asnumpy().tolist() == [[6.0] * 3] * 2  # a fresh buffer, accumulated twice
    p.zero_grad()
    assert p.grad().asnumpy().sum() == 0
    p.grad_req = 'null'
    assert p._grad is None
    for fn in (p.grad, p.list_grad):
        with pytest.raises(RuntimeError, match="because grad_req='null'"):
            fn()
    p.grad_req = 'write'
    assert p.grad().asnumpy().sum() == 0


def test_cast_reset_ctx_reduce_set_data():
    p = P('w', shape=(2, 3), init=mx.init.One())
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    p.cast('float16')
    assert (p.data().dtype, p.grad().dtype, p.dtype) == (np.float16, np.float16, 'float16')
    p.reset_ctx([mx.cpu(1), mx.cpu(2)])
    assert p.list_ctx() == [mx.cpu(1), mx.cpu(2)] and p.data(mx.cpu(2)).dtype == np.float16
    p.data(mx.cpu(1))[:] = 3
    reduced = p._reduce()  # the mean over contexts, on cpu(0)
    assert reduced.context == mx.cpu(0) and reduced.asnumpy().tolist() == [[2.0] * 3] * 2
    p.set_data(mx.nd.ones((2, 3)) * 5)
    assert all(a.asnumpy().sum() == 30 for a in p.list_data())
    with pytest.raises(AssertionError, match="incompatible"):
        p.set_data(mx.nd.ones((3, 3)))
    p.reset_device(mx.cpu(0))
    assert p.list_ctx() == [mx.cpu(0)]


def test_init_by_name_and_default():
    b = P('b', shape=(4,), init='zeros')
    b.initialize()
    assert b.data().asnumpy().tolist() == [0.0] * 4
    u = P('u', shape=(50,))
    u.initialize()  # default Uniform(0.07)
    values = u.data().asnumpy()
    assert np.abs(values).max() <= 0.07 and values.std() > 0


def test_row_sparse_parameter():
    r = P('r', shape=(4, 2), stype='row_sparse', grad_stype='row_sparse', init=mx.init.One())
    r.initialize()
    assert (r._data[0].stype, r._grad[0].stype) == ('row_sparse', 'row_sparse')
    with pytest.raises(RuntimeError, match="Please use row_sparse_data"):
        r.data()
    with pytest.raises(RuntimeError, match="list_data"):
        r.list_data()
    with pytest.raises(RuntimeError, match="when no Trainer is created with it"):
        r.row_sparse_data(mx.nd.array([0]))
    with pytest.raises(TypeError, match="row_id must have NDArray type"):
        r.list_row_sparse_data([0])
    w = P('w', shape=(2,))
    with pytest.raises(RuntimeError, match="storage type is default. Please use data"):
        w.row_sparse_data(mx.nd.array([0]))


def test_row_sparse_gradient_through_embedding():
    q = P('g', shape=(4, 2), grad_stype='row_sparse', init=mx.init.One())
    q.initialize()
    with mx.autograd.record():
        y = mx.nd.Embedding(mx.nd.array([1, 3]), q.data(), input_dim=4, output_dim=2,
                            sparse_grad=True).sum()
    y.backward()
    g = q.grad()
    assert g.stype == 'row_sparse'
    assert g.tostype('default').asnumpy().tolist() == [[0, 0], [1, 1], [0, 0], [1, 1]]
    q.zero_grad()
    assert q.grad().tostype('default').asnumpy().sum() == 0


def test_constant_initializes_to_its_value():
    c = gluon.Constant('c', [[1, 2], [3, 4]])
    c.initialize()
    assert c.data().asnumpy().tolist() == [[1, 2], [3, 4]] and c.grad_req == 'null'
    with pytest.raises(RuntimeError, match="grad_req='null'"):
        c.grad()
    c.set_data(mx.nd.zeros((2, 2)))
    assert c.data().asnumpy().sum() == 0


def test_parameter_pickles():
    p = P('w', shape=(2, 3), init=mx.init.One(), lr_mult=0.5)
    p.initialize()
    q = pickle.loads(pickle.dumps(p))
    assert (q.name, q.shape, q.lr_mult) == ('w', (2, 3), 0.5)
    assert q.data().asnumpy().tolist() == p.data().asnumpy().tolist()


def test_dict_initialize_setattr_zero_grad_ctx():
    pd = gluon.ParameterDict('n_')
    pd.get('a', shape=(2,), init=mx.init.One())
    pd.get('b', shape=(0,), allow_deferred_init=True)
    pd.get('c', shape=(3,), grad_req='null')
    pd.initialize(mx.init.Zero(), ctx=[mx.cpu(0), mx.cpu(1)])
    assert pd['n_a'].data().asnumpy().tolist() == [1.0, 1.0]  # own init wins
    assert pd['n_c'].data().asnumpy().tolist() == [0.0] * 3
    assert pd['n_b']._deferred_init
    assert sorted(str(c) for c in pd.list_ctx()) == ['cpu(0)', 'cpu(1)']
    pd.setattr('lr_mult', 0.5)
    assert [p.lr_mult for p in pd.values()] == [0.5] * 3
    for g in pd['n_a'].list_grad():
        g[:] = 7
    pd.zero_grad()
    assert all(g.asnumpy().sum() == 0 for g in pd['n_a'].list_grad())
    pd.reset_ctx(mx.cpu(2))
    assert pd['n_a'].list_ctx() == [mx.cpu(2)] and pd['n_b'].list_ctx() == [mx.cpu(2)]


@pytest.fixture
def saved_dict(tmp_path):
    pd = gluon.ParameterDict('n_')
    pd.get('a', shape=(2, 3), init=mx.init.Constant(0.5))
    pd.get('b', shape=(4,), dtype='float64', init=mx.init.One())
    pd.initialize()
    fn = str(tmp_path / 'pd.params')
    return pd, fn


def test_dict_save_strip_prefix(saved_dict):
    pd, fn = saved_dict
    pd.save(fn)
    assert sorted(mx.nd.load(fn)) == ['n_a', 'n_b']
    pd.save(fn, strip_prefix='n_')
    assert sorted(mx.nd.load(fn)) == ['a', 'b']
    with pytest.raises(ValueError, match="Prefix 'zz' is to be striped before saving, but "
                                         "Parameter's name 'n_a' does not start with 'zz'"):
        pd.save(fn, strip_prefix='zz')


def _fresh():
    fresh = gluon.ParameterDict('n_')
    fresh.get('a', shape=(2, 0), allow_deferred_init=True)
    fresh.get('b', shape=(4,), dtype='float32')
    return fresh


def test_dict_load_errors_and_options(saved_dict):
    pd, fn = saved_dict
    pd.save(fn, strip_prefix='n_')
    with pytest.raises(AssertionError, match=r"Parameter 'n_a' is missing in file: .*pd.params, "
                                             r"which contains parameters: 'a', 'b'"):
        _fresh().load(fn)
    with pytest.raises(AssertionError, match="restore_prefix is 'q_' but Parameters name 'n_a' "
                                             "does not start with 'q_'"):
        _fresh().load(fn, restore_prefix='q_')
    with pytest.raises(AssertionError, match="Failed loading Parameter 'n_b' from saved params: "
                                             "dtype incompatible expected float32 vs saved "
                                             "<class 'numpy.float64'>. Set cast_dtype=True"):
        _fresh().load(fn, restore_prefix='n_')
    extra = _fresh()
    extra.get('c', shape=(1,))
    with pytest.raises(AssertionError, match="Parameter 'c' is missing"):
        extra.load(fn, restore_prefix='n_', cast_dtype=True)
    extra.load(fn, restore_prefix='n_', cast_dtype=True, allow_missing=True)
    assert extra['n_a'].shape == (2, 3) and extra['n_a'].data().asnumpy().sum() == 3.0
    assert extra['n_b'].data().dtype == np.float32 and extra['n_c']._data is None
    saved = _fresh()
    saved.load(fn, restore_prefix='n_', cast_dtype=True, dtype_source='saved')
    assert saved['n_b'].dtype == np.float64
    small = gluon.ParameterDict('n_')
    small.get('a', shape=(2, 3))
    with pytest.raises(AssertionError, match="Parameter 'b' loaded from file: .* is not present "
                                             "in ParameterDict, choices are: 'n_a'"):
        small.load(fn, restore_prefix='n_')
    small.load(fn, restore_prefix='n_', ignore_extra=True)
    bad = gluon.ParameterDict('n_')
    bad.get('a', shape=(3, 3))
    with pytest.raises(AssertionError, match=r"shape incompatible expected \(3, 3\) vs saved "
                                             r"\(2, 3\)"):
        bad.load(fn, restore_prefix='n_', ignore_extra=True)


def test_dict_load_dict_arg_aux_prefixes_and_contexts():
    pd = gluon.ParameterDict()
    pd.get('w', shape=(2,))
    pd.get('m', shape=(2,), grad_req='null')
    pd.load_dict({'arg:w': mx.nd.ones(2), 'aux:m': mx.nd.zeros(2)}, ctx=[mx.cpu(1)])
    assert pd['w'].list_ctx() == [mx.cpu(1)] and pd['w'].data().asnumpy().sum() == 2
    with pytest.raises(AssertionError, match=r"Failed to load Parameter 'w' on \[cpu\(2\)\] "
                                             "because it was previous initialized on"):
        pd.load_dict({'w': mx.nd.ones(2)}, ctx=mx.cpu(2), allow_missing=True)
    with pytest.raises(ValueError, match="without names"):
        pd.load_dict([mx.nd.ones(2)])
    deferred = gluon.ParameterDict()
    deferred.get('w', shape=(0,), allow_deferred_init=True).initialize(ctx=mx.cpu(3))
    deferred.load_dict({'w': mx.nd.ones(5)})
    assert deferred['w'].list_ctx() == [mx.cpu(3)] and deferred['w'].shape == (5,)


def test_numpy_array_mode_gives_np_arrays():
    """With npx.set_np(), data and gradients are mx.np arrays over the same storage (MXNet)."""
    with mx.util.np_array(True), mx.util.np_shape(True):
        p = P('w', shape=(3, 2), init=mx.init.One())
        p.initialize()
        assert isinstance(p.data(), mx.np.ndarray) and isinstance(p.grad(), mx.np.ndarray)
        with mx.autograd.record():
            y = (p.data() * p.data()).sum()
        y.backward()
        assert p.grad().asnumpy().tolist() == [[2.0, 2.0]] * 3
        assert isinstance(gluon.Constant('c', [1, 2]).value, mx.nd.NDArray)
        r = P('r', shape=(2, 2), stype='row_sparse')
        with pytest.raises(ValueError, match="does not support stype = row_sparse"):
            r.initialize()
    assert not isinstance(P('v', shape=(1,)).var(), mx.nd.NDArray)


def test_row_sparse_data_through_trainer():
    """row_sparse_data pulls rows from the Trainer's store (values from MXNet 1.9.1)."""
    p = P('r', shape=(4, 2), stype='row_sparse', grad_stype='row_sparse', init=mx.init.One())
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    trainer = gluon.Trainer([p], 'sgd', {'learning_rate': 0.5})
    rows = p.row_sparse_data(mx.nd.array([1, 3], ctx=mx.cpu(1)))
    assert (rows.stype, rows.context) == ('row_sparse', mx.cpu(1))
    assert rows.tostype('default').asnumpy().tolist() == [[0, 0], [1, 1], [0, 0], [1, 1]]
    every = p.list_row_sparse_data(mx.nd.array([0]))
    assert [a.context for a in every] == [mx.cpu(0), mx.cpu(1)]
    assert all(a.tostype('default').asnumpy().sum() == 2 for a in every)
    assert p._reduce().tostype('default').asnumpy().sum() == 8
    with mx.autograd.record():
        y = mx.nd.sparse.dot(mx.nd.ones((1, 4)).tostype('csr'),
                             p.row_sparse_data(mx.nd.array([0, 1, 2, 3]))).sum()
    y.backward()
    trainer.step(1, ignore_stale_grad=True)
    updated = p.row_sparse_data(mx.nd.array([0, 1, 2, 3])).tostype('default').asnumpy()
    assert updated.tolist() == [[0.5, 0.5]] * 4
