"""mx.init against MXNet 1.9.1: exact fills of the deterministic initializers, statistics of
the random ones (std within 5%; draws come from mxtorch's stream, not MXNet's), name-based
dispatch (InitDesc and the legacy string form), ``dumps`` strings, ``__init__`` overrides,
FusedRNN packing, errors. Oracle values: tests/fixtures/optim_extra (tools/optim_diff.py)."""
import importlib.util
import json
import logging
import os

import numpy as np
import pytest

import mxtorch as mx

HERE = os.path.dirname(__file__)


def _load():
    spec = importlib.util.spec_from_file_location(
        "optim_diff", os.path.join(HERE, "..", "tools", "optim_diff.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with open(os.path.join(HERE, "fixtures", "optim_extra", "optim_diff.json")) as f:
        data = json.load(f)
    with np.load(os.path.join(HERE, "fixtures", "optim_extra", "optim_diff.npz")) as arrays:
        return mod, mod.decode(data, dict(arrays))


DIFF, REF = _load()


def test_initializers_match_mxnet():
    """14 initializer configurations x shapes x 14 parameter names, InitDesc and legacy
    string calls, the __init__ override, creation by name and 3 FusedRNN layouts."""
    got = DIFF.run_inits(mx)
    labels = DIFF.init_cases() + ["__init__ attr", "create names", "fused lstm", "fused gru",
                                  "fused rnn_tanh"]
    assert len(got) == len(REF["init"]) == len(labels)
    for label, g, r in zip(labels, got, REF["init"]):
        assert DIFF._close(g, r, 1e-6, 1e-7), (label, DIFF._explain(r, g, 1e-6, 1e-7, ""))


def _fill(init, name, shape=(4, 3), **desc_kw):
    arr = mx.nd.ones(shape) * 7
    init(mx.init.InitDesc(name, **desc_kw), arr)
    return arr.asnumpy()


def test_name_dispatch():
    init = mx.init.Constant(0.5)
    assert (_fill(init, "fc_weight") == 0.5).all()
    assert (_fill(init, "fc_bias") == 0).all()
    assert (_fill(init, "bn_gamma") == 1).all() and (_fill(init, "bn_beta") == 0).all()
    assert (_fill(init, "q_min") == 0).all() and (_fill(init, "q_max") == 1).all()
    with pytest.raises(ValueError, match="Unknown initialization pattern for bn_moving_mean"):
        _fill(init, "bn_moving_mean")


def test_legacy_string_calls():
    init = mx.init.Xavier()
    arr = mx.nd.ones((3,)) * 7
    with pytest.warns(DeprecationWarning, match="InitDesc"):
        init("bn_moving_var", arr)
    assert (arr.asnumpy() == 1).all()
    with pytest.warns(DeprecationWarning):
        init("bn_moving_mean", arr)
    assert (arr.asnumpy() == 0).all()
    up = mx.nd.zeros((1, 1, 4, 4))
    with pytest.warns(DeprecationWarning):
        mx.init.Zero()("upsampling0_weight", up)
    assert up.asnumpy()[0, 0, 1, 1] == 0.5625
    with pytest.raises(TypeError, match="arr must be NDArray"), pytest.warns(DeprecationWarning):
        init("fc_weight", np.zeros((2, 2)))


def test_init_attr_overrides_and_global_init():
    desc = mx.init.InitDesc("fc_bias", attrs={"__init__": mx.init.One().dumps()})
    arr = mx.nd.zeros((3,))
    mx.init.Zero()(desc, arr)
    assert (arr.asnumpy() == 1).all() and isinstance(desc.global_init, mx.init.Zero)


def test_dumps_create_and_registry():
    assert mx.init.Xavier(magnitude=2.5).dumps() == \
        '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 2.5}]'
    assert mx.init.MSRAPrelu(slope=0.1).dumps() == \
        '["msraprelu", {"factor_type": "avg", "slope": 0.1}]'
    assert mx.init.Constant(mx.nd.array([1, 2])).dumps() == '["constant", {"value": [1.0, 2.0]}]'
    x = mx.init.create('["uniform", {"scale": 0.5}]')
    assert isinstance(x, mx.init.Uniform) and x.scale == 0.5
    assert isinstance(mx.init.create("zeros"), mx.init.Zero)
    assert isinstance(mx.init.create("ones"), mx.init.One)
    assert mx.init.create(x) is x
    assert mx.init.Uniform(0.5) == x and mx.init.Uniform(0.4) != x
    with pytest.raises(ValueError):
        mx.init.create("nosuchinit")

    @mx.init.register
    @mx.init.alias("myinit_alias")
    class MyInit(mx.init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 42

    assert (_fill(mx.init.create("myinit_alias"), "w_weight") == 42).all()
    assert mx.initializer is mx.init


def test_random_initializers_statistics():
    mx.random.seed(3)
    a = _fill(mx.init.Uniform(0.2), "w_weight", (300, 200))
    assert np.abs(a).max() <= 0.2 and abs(a.std() - 0.2 / np.sqrt(3)) < 0.005
    a = _fill(mx.init.Normal(0.3), "w_weight", (300, 200))
    assert abs(a.std() - 0.3) < 0.01
    for ftype, fan in (("avg", (50 * 9 + 20 * 9) / 2), ("in", 20 * 9), ("out", 50 * 9)):
        bound = np.sqrt(3.0 / fan)
        a = _fill(mx.init.Xavier(factor_type=ftype), "c_weight", (50, 20, 3, 3))
        assert np.abs(a).max() <= bound + 1e-7 and np.abs(a).max() > 0.95 * bound
        g = _fill(mx.init.Xavier("gaussian", ftype, 3), "c_weight", (50, 20, 3, 3))
        assert abs(g.std() - bound) < 0.05 * bound
    o = _fill(mx.init.Orthogonal(scale=2.0), "w_weight", (20, 30))
    np.testing.assert_allclose(o @ o.T, 4 * np.eye(20), atol=1e-4)


def test_errors():
    with pytest.raises(ValueError, match="vector v_weight.*at least 2D"):
        _fill(mx.init.Xavier(), "v_weight", (5,))
    with pytest.raises(ValueError, match="factor type"):
        _fill(mx.init.Xavier(factor_type="bad"), "w_weight")
    with pytest.raises(ValueError, match="random type"):
        _fill(mx.init.Xavier(rnd_type="bad"), "w_weight")
    with pytest.raises(IndexError, match="4-D"):
        _fill(mx.init.Bilinear(), "w_weight")
    with pytest.raises(AssertionError, match="Invalid parameters size"):
        _fill(mx.init.FusedRNN(None, 3, 1, "lstm"), "rnn_weight", (10,))
    with pytest.raises(ValueError, match="unknown mode"):
        _fill(mx.init.FusedRNN(None, 3, 1, "bad"), "rnn_weight", (10,))


def test_fused_rnn_accepts_its_dumps_string():
    # MXNet 1.9.1 raises KeyError here (COMPAT.md); the JSON names a registered initializer
    fr = mx.init.FusedRNN(mx.init.Constant(0.5).dumps(), 2, 1, "gru")
    arr = mx.nd.zeros(((5 + 2 + 2) * 2 * 3,))
    fr(mx.init.InitDesc("gru_weight"), arr)
    a = arr.asnumpy()
    assert (a[:(5 + 2) * 2 * 3] == 0.5).all() and (a[(5 + 2) * 2 * 3:] == 0).all()


def test_load_and_mixed(tmp_path):
    params = {"arg:fc_weight": mx.nd.ones((2, 2)) * 3, "aux:bn_moving_var": mx.nd.ones((2,))}
    load = mx.init.Load(params, default_init=mx.init.Zero())
    w = mx.nd.zeros((2, 2))
    load("fc_weight", w)
    assert (w.asnumpy() == 3).all()
    b = mx.nd.ones((2,))
    with pytest.warns(DeprecationWarning):
        load("fc_bias", b)
    assert (b.asnumpy() == 0).all()
    with pytest.raises(AssertionError, match="Shape mismatch"):
        load("fc_weight", mx.nd.zeros((3, 2)))
    with pytest.raises(AssertionError, match="no default Initializer"):
        mx.init.Load(params)("other", b)
    fname = str(tmp_path / "p.params")
    mx.nd.save(fname, params)
    w2 = mx.nd.zeros((2, 2))
    mx.init.Load(fname)("fc_weight", w2)
    assert (w2.asnumpy() == 3).all()
    mixed = mx.init.Mixed([".*bias", ".*"], [mx.init.One(), mx.init.Constant(5)])
    with pytest.warns(DeprecationWarning):
        mixed("fc_bias", b)
    assert (b.asnumpy() == 0).all()  # One() still dispatches: *_bias -> 0
    with pytest.warns(DeprecationWarning):
        mixed("fc_weight", w)
    assert (w.asnumpy() == 5).all()
    with pytest.raises(ValueError, match="did not match any pattern"):
        mx.init.Mixed(["a"], [mx.init.One()])("zzz", w)


def test_lstm_bias_and_verbosity(caplog):
    init = mx.init.LSTMBias(forget_bias=1.5).set_verbosity(True)
    arr = mx.nd.ones((8,))
    with caplog.at_level(logging.INFO):
        init(mx.init.InitDesc("lstm_i2h_weight"), arr)
    np.testing.assert_array_equal(arr.asnumpy(), [0, 0, 1.5, 1.5, 0, 0, 0, 0])
    assert "Initialized lstm_i2h_weight as weight" in caplog.text
