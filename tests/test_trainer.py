"""gluon.Trainer: kvstore selection rules, step/allreduce_grads/update, multi-context
reduction, stale gradients, lr_mult, grad_req 'null', row_sparse parameters, save/load states.

Expected numbers come from real MXNet 1.9.1: inline literals printed by the oracle
(tools/trainer_diff.py re-checks them) and the optimizer trajectories in tests/fixtures/optim
(copied from ../shared/fixtures/mxnet-1.9.1/optim; tolerance from their index: rtol 1e-5,
atol 1e-6).
"""
import json
import os
import pickle
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch.base import MXNetError

OPTIM = os.path.join(os.path.dirname(__file__), "fixtures", "optim")  # copy of the shared ones
TWO = [mx.cpu(0), mx.cpu(1)]


def _dense(ctxs, prefix="d_"):
    net = gluon.nn.Dense(3, in_units=4, prefix=prefix)
    net.initialize(mx.init.Constant(0.1), ctx=ctxs)
    net.bias.initialize(mx.init.Zero(), ctx=ctxs, force_reinit=True)
    return net


def _train(ctxs, kvstore="device", update_on_kvstore=None, steps=2, optimizer="sgd",
           optimizer_params=None):
    net = _dense(ctxs)
    trainer = gluon.Trainer(net.collect_params(), optimizer,
                            optimizer_params or {"learning_rate": 0.1, "momentum": 0.9},
                            kvstore=kvstore, update_on_kvstore=update_on_kvstore)
    x = mx.nd.arange(24).reshape((6, 4)) / 10
    y = mx.nd.arange(18).reshape((6, 3)) / 20
    for _ in range(steps):
        xs, ys = gluon.utils.split_and_load(x, ctxs), gluon.utils.split_and_load(y, ctxs)
        with autograd.record():
            losses = [((net(a) - b) ** 2).sum() for a, b in zip(xs, ys)]
        for loss in losses:
            loss.backward()
        trainer.step(6)
    return trainer, net


# MXNet 1.9.1, 2 steps of SGD momentum 0.9, lr 0.1 (rounded to 6 decimals)
WEIGHT0 = [0.075806, 0.073246, 0.070686, 0.068127]
BIAS = [-0.025597, -0.009277, 0.007043]


@pytest.mark.parametrize("ctxs,kvstore,upd,kind,on_kv", [
    ([mx.cpu(0)], "device", None, None, None),
    ([mx.cpu(0)], "local", False, None, None),
    ([mx.cpu(0)], None, None, None, None),
    (TWO, "device", None, "device", True),
    (TWO, "device", False, "device", False),
    (TWO, "local", None, "local", True),
    (TWO, "local", False, "local", False),
])
def test_kvstore_rules_and_values(ctxs, kvstore, upd, kind, on_kv):
    trainer, net = _train(ctxs, kvstore, upd)
    assert (trainer._kvstore.type if trainer._kvstore else None) == kind
    assert trainer._update_on_kvstore == on_kv
    for ctx in ctxs:  # every context's copy holds the same result
        np.testing.assert_allclose(net.weight.data(ctx).asnumpy()[0], WEIGHT0, atol=2e-6)
        np.testing.assert_allclose(net.bias.data(ctx).asnumpy(), BIAS, atol=2e-6)


def test_two_contexts_without_kvstore_update_separately():
    _, net = _train(TWO, None)
    np.testing.assert_allclose(net.weight.data(mx.cpu(1)).asnumpy()[0],
                               [0.075163, 0.073612, 0.072061, 0.070509], atol=2e-6)
    np.testing.assert_allclose(net.bias.data(mx.cpu(0)).asnumpy(),
                               [-0.018659, -0.005289, 0.008081], atol=2e-6)


def test_kvstore_object_is_used():
    kv = mx.kv.create("local")
    trainer, net = _train(TWO, kv)
    assert trainer._kvstore is kv
    np.testing.assert_allclose(net.bias.data().asnumpy(), BIAS, atol=2e-6)


def test_update_on_kvstore_true_without_store_is_clear():
    with pytest.raises(ValueError, match="update_on_kvstore=True needs a kvstore"):
        _train([mx.cpu(0)], "device", True, steps=1)


def test_hand_computed_sgd_step():
    net = _dense([mx.cpu(0)])
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    x = mx.nd.array([[1, 2, 3, 4], [0, 1, 0, 1]])
    with autograd.record():
        loss = net(x).sum()
    loss.backward()
    trainer.step(2)
    # d loss / d W[j, :] = sum over batch of x = [1, 3, 3, 5]; rescaled by 1/2
    expected = 0.1 - 0.5 * np.array([1, 3, 3, 5]) / 2
    np.testing.assert_allclose(net.weight.data().asnumpy(), np.tile(expected, (3, 1)), rtol=1e-6)
    np.testing.assert_allclose(net.bias.data().asnumpy(), [-0.5] * 3, rtol=1e-6)


def _fixture(name):
    with open(os.path.join(OPTIM, "index.json")) as f:
        case = [c for c in json.load(f)["cases"] if c["file"] == name + ".npz"][0]
    return case, np.load(os.path.join(OPTIM, name + ".npz"))


@pytest.mark.parametrize("name", ["sgd_momentum_wd", "adam_default", "sgd_rescale_clip",
                                  "rmsprop_centered", "nag_momentum_wd"])
@pytest.mark.parametrize("ctxs,kvstore,upd", [([mx.cpu(0)], "device", None),
                                              (TWO, "device", None), (TWO, "local", False)])
def test_optimizer_fixture_trajectories(name, ctxs, kvstore, upd):
    case, data = _fixture(name)
    param = gluon.Parameter("w", shape=(3, 4))
    param.initialize(ctx=ctxs)
    param.set_data(mx.nd.array(data["weight0"]))
    trainer = gluon.Trainer([param], case["optimizer"], dict(case["kwargs"]), kvstore=kvstore,
                            update_on_kvstore=upd)
    for k in range(case["steps"]):
        g = data["grads"][k] / len(ctxs)  # exact: the contexts' gradients sum to g
        with autograd.record():
            losses = [(param.data(c) * mx.nd.array(g, ctx=c)).sum() for c in ctxs]
        for loss in losses:
            loss.backward()
        trainer.step(1)
        want = data["step%d/weight" % (k + 1)]
        for c in ctxs:
            np.testing.assert_allclose(param.data(c).asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_stale_gradient_error_and_ignore():
    trainer, net = _train([mx.cpu(0)], steps=1)
    with pytest.raises(UserWarning, match=r"Parameter `d_bias` on context cpu\(0\) has not "
                                          r"been updated by backward"):
        trainer.step(6)
    before = net.weight.data().asnumpy().copy()
    trainer.step(6, ignore_stale_grad=True)  # stale parameters are skipped
    np.testing.assert_array_equal(net.weight.data().asnumpy(), before)
    trainer, _ = _train(TWO, "device", False, steps=1)
    with pytest.raises(UserWarning, match="has not been updated by backward"):
        trainer.step(6)


def test_allreduce_then_update():
    net = gluon.nn.Dense(2, in_units=2, prefix="q_")
    net.initialize(mx.init.One(), ctx=TWO)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0},
                            update_on_kvstore=False)
    xs = gluon.utils.split_and_load(mx.nd.array([[1, 2], [3, 4]]), TWO)
    with autograd.record():
        losses = [net(x).sum() for x in xs]
    for loss in losses:
        loss.backward()
    trainer.allreduce_grads()
    assert [g.asnumpy().tolist() for g in net.weight.list_grad()] == [[[4, 6], [4, 6]]] * 2
    trainer.update(2)
    assert [d.asnumpy().tolist() for d in net.weight.list_data()] == [[[-1, -2], [-1, -2]]] * 2


def test_allreduce_and_update_refused_on_kvstore():
    trainer, _ = _train(TWO, "device", True, steps=1)
    with pytest.raises(AssertionError, match=r"allreduce_grads\(\) when parameters are updated"):
        trainer.allreduce_grads()
    with pytest.raises(AssertionError, match=r"update\(\) when parameters are updated"):
        trainer.update(6)


def test_constructor_errors():
    net = _dense([mx.cpu(0)])
    with pytest.raises(ValueError, match="list or dict of Parameters, got <class 'int'>"):
        gluon.Trainer(3, "sgd")
    with pytest.raises(ValueError, match="got list of <class 'int'>"):
        gluon.Trainer([3], "sgd")
    with pytest.raises(AssertionError, match="optimizer_params must be None"):
        gluon.Trainer(net.collect_params(), mx.optimizer.SGD(), {"learning_rate": 0.1})
    with pytest.raises(TypeError, match="kvstore must be KVStore, str or None"):
        gluon.Trainer(net.collect_params(), "sgd", kvstore=3).step(1)
    with pytest.raises(ValueError, match="Cannot find optimizer nosuch"):
        gluon.Trainer(net.collect_params(), "nosuch")
    other = gluon.nn.Dense(2, in_units=2, prefix="e_")
    other.initialize(ctx=[mx.cpu(1)])
    params = net.collect_params()
    params.update(other.collect_params())
    with pytest.raises(AssertionError, match="Parameter e_bias is initialized on"):
        gluon.Trainer(params, "sgd")


def test_param_forms_order_and_learning_rate():
    net = _dense([mx.cpu(0)])
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    assert [p.name for p in trainer._params] == ["d_bias", "d_weight"]  # sorted keys
    assert trainer._param2idx == {"d_bias": 0, "d_weight": 1}
    assert trainer.learning_rate == 0.5 and isinstance(trainer.optimizer, mx.optimizer.SGD)
    trainer.set_learning_rate(0.25)
    assert trainer.learning_rate == 0.25 and trainer.optimizer.lr == 0.25
    as_dict = gluon.Trainer(dict(net.collect_params().items()), "sgd")
    assert [p.name for p in as_dict._params] == ["d_bias", "d_weight"]
    as_list = gluon.Trainer([net.weight, net.bias], "sgd")
    assert [p.name for p in as_list._params] == ["d_weight", "d_bias"]
    sgd = mx.optimizer.SGD(learning_rate=0.3)
    assert gluon.Trainer(net.collect_params(), sgd).optimizer is sgd
    assert sgd.param_dict[1] is net.weight


def test_lr_mult_and_grad_req_null():
    net = _dense([mx.cpu(0)])
    net.weight.lr_mult = 0.0
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        loss = net(mx.nd.ones((2, 4))).sum()
    loss.backward()
    trainer.step(2)
    np.testing.assert_allclose(net.weight.data().asnumpy(), np.full((3, 4), 0.1), rtol=1e-6)
    np.testing.assert_allclose(net.bias.data().asnumpy(), [-0.1] * 3, rtol=1e-6)

    net = _dense([mx.cpu(0)])
    net.bias.grad_req = "null"
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        loss = net(mx.nd.ones((2, 4))).sum()
    loss.backward()
    trainer.step(2)
    trainer.step(2, ignore_stale_grad=True)
    np.testing.assert_allclose(net.weight.data().asnumpy(), np.zeros((3, 4)), atol=1e-7)
    np.testing.assert_array_equal(net.bias.data().asnumpy(), [0, 0, 0])


def test_gradient_compression_through_trainer():
    net = gluon.nn.Dense(2, in_units=2, prefix="c_")
    net.initialize(mx.init.One(), ctx=TWO)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0},
                            compression_params={"type": "2bit", "threshold": 0.5})
    xs = gluon.utils.split_and_load(mx.nd.array([[0.1, 2], [3, 0.2]]), TWO)
    with autograd.record():
        losses = [net(x).sum() for x in xs]
    for loss in losses:
        loss.backward()
    trainer.step(1)
    assert [d.asnumpy().tolist() for d in net.weight.list_data()] == [[[0.5, 0.5]] * 2] * 2
    assert net.bias.data().asnumpy().tolist() == [-1.0, -1.0]


def test_sparse_grad_embedding_multi_context():
    emb = gluon.nn.Embedding(6, 3, sparse_grad=True, prefix="emb_")
    emb.initialize(mx.init.Constant(0.5), ctx=TWO)
    trainer = gluon.Trainer(emb.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    for _ in range(2):
        xs = gluon.utils.split_and_load(mx.nd.array([[1, 2], [2, 4]]), TWO)
        with autograd.record():
            losses = [(emb(x) * (i + 1)).sum() for i, x in enumerate(xs)]
        for loss in losses:
            loss.backward()
        trainer.step(2)
    assert trainer._kvstore.type == "device" and trainer._update_on_kvstore is False
    want = np.repeat([[0.5], [0.355], [0.065], [0.5], [0.21], [0.5]], 3, axis=1)
    for ctx in TWO:
        np.testing.assert_allclose(emb.weight.data(ctx).asnumpy(), want, rtol=1e-6)


def test_row_sparse_weight_updates_on_kvstore():
    param = gluon.Parameter("w", shape=(5, 2), stype="row_sparse", grad_stype="row_sparse")
    param.initialize(mx.init.Constant(1.0), ctx=[mx.cpu(0)])
    trainer = gluon.Trainer([param], "sgd", {"learning_rate": 0.5})
    rows = param.row_sparse_data(mx.nd.array([0, 3]))
    assert rows.indices.asnumpy().tolist() == [0, 3]
    with autograd.record():
        loss = (rows * 2).sum()
    loss.backward()
    trainer.step(1)
    assert trainer._kvstore.type == "device" and trainer._update_on_kvstore is True
    full = param.row_sparse_data(mx.nd.arange(5)).asnumpy()
    np.testing.assert_allclose(full[[0, 3]], np.zeros((2, 2)), atol=1e-7)
    with pytest.raises(RuntimeError, match="More than one trainers"):
        gluon.Trainer([param], "sgd")
    other = gluon.Parameter("v", shape=(5, 2), stype="row_sparse", grad_stype="row_sparse")
    other.initialize(ctx=[mx.cpu(0)])
    with pytest.raises(ValueError, match="update_on_kvstore=False when sparse weights"):
        gluon.Trainer([other], "sgd", update_on_kvstore=False).step(1)


@pytest.mark.parametrize("ctxs", [[mx.cpu(0)], TWO])
def test_save_load_states_round_trip(tmp_path, ctxs):
    trainer, net = _train(ctxs, steps=2, optimizer="adam",
                          optimizer_params={"learning_rate": 0.01})
    fname = str(tmp_path / "t.states")
    trainer.save_states(fname)
    assert os.listdir(tmp_path) == ["t.states"]
    fresh = gluon.Trainer(net.collect_params(), "sgd")
    fresh.load_states(fname)
    assert isinstance(fresh.optimizer, mx.optimizer.Adam)
    assert fresh.optimizer.num_update == 2 and fresh.learning_rate == 0.01
    assert fresh.optimizer.param_dict[1] is net.weight
    updater = fresh._kvstore._updater if fresh._update_on_kvstore else fresh._updaters[0]
    mine = trainer._kvstore._updater if trainer._update_on_kvstore else trainer._updaters[0]
    assert sorted(updater.states) == [0, 1]
    for i in (0, 1):
        for a, b in zip(updater.states[i], mine.states[i]):
            np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


def test_load_states_refuses_unsafe_pickle(tmp_path):
    net = _dense([mx.cpu(0)])
    trainer = gluon.Trainer(net.collect_params(), "sgd")
    fname = tmp_path / "evil.states"
    fname.write_bytes(pickle.dumps(warnings.warn))
    with pytest.raises(MXNetError, match="warn"):
        trainer.load_states(str(fname))


def test_set_data_resets_kvstore():
    trainer, net = _train(TWO, "device", None, steps=1)
    assert trainer._kv_initialized
    net.weight.set_data(mx.nd.ones((3, 4)))
    assert not trainer._kv_initialized and net.weight in trainer._params_to_init
    xs = gluon.utils.split_and_load(mx.nd.ones((2, 4)), TWO)
    with autograd.record():
        losses = [net(x).sum() for x in xs]
    for loss in losses:
        loss.backward()
    trainer.step(2)
    np.testing.assert_allclose(net.weight.data(mx.cpu(1)).asnumpy(),
                               np.full((3, 4), 1 - 0.1), rtol=1e-6)


def _deferred_run(ctxs, hybridize):
    net = gluon.nn.HybridSequential(prefix="h_")
    with net.name_scope():
        net.add(gluon.nn.Dense(5, activation="tanh"), gluon.nn.Dense(3))
    net.initialize(mx.init.Constant(0.05), ctx=ctxs)
    if hybridize:
        net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
    rng = np.random.RandomState(4)
    for _ in range(3):
        x = mx.nd.array(rng.uniform(-1, 1, (6, 4)))
        y = mx.nd.array(rng.uniform(-1, 1, (6, 3)))
        xs, ys = gluon.utils.split_and_load(x, ctxs), gluon.utils.split_and_load(y, ctxs)
        with autograd.record():
            losses = [((net(a) - b) ** 2).sum() for a, b in zip(xs, ys)]
        for loss in losses:
            loss.backward()
        trainer.step(6)
    return [[p.data(c).asnumpy() for c in ctxs] for p in trainer._params]


@pytest.mark.parametrize("hybridize", [False, True])
def test_deferred_init_multi_context_equals_single(hybridize):
    one = _deferred_run([mx.cpu(0)], hybridize)
    three = _deferred_run([mx.cpu(0), mx.cpu(1), mx.cpu(2)], hybridize)
    for (ref,), copies in zip(one, three):
        for got in copies:
            np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("ctxs,upd", [([mx.cpu(0)], None), (TWO, None), (TWO, False)])
def test_numpy_front_end_parameters(ctxs, upd):
    with mx.util.np_shape(True), mx.util.np_array(True):
        net = gluon.nn.Dense(3, in_units=4)
        net.initialize(mx.init.Constant(0.1), ctx=ctxs)
        trainer = gluon.Trainer(net.collect_params(), "sgd",
                                {"learning_rate": 0.1, "momentum": 0.9}, update_on_kvstore=upd)
        x = mx.np.array(np.arange(24).reshape(6, 4) / 10., dtype="float32")
        for _ in range(2):
            xs = gluon.utils.split_and_load(x, ctxs)
            with autograd.record():
                losses = [(net(a) ** 2).sum() for a in xs]
            for loss in losses:
                loss.backward()
            trainer.step(6)
        for ctx in ctxs:  # MXNet 1.9.1's values (npx.set_np())
            assert isinstance(net.weight.data(ctx), mx.np.ndarray)
            np.testing.assert_allclose(net.weight.data(ctx).asnumpy()[0],
                                       [-0.070628, -0.082207, -0.093787, -0.105367], atol=2e-6)
