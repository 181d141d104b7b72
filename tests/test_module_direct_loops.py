"""Module's direct loops (module/_fast.py) give what the general code gives.

``predict`` on an exact NDArrayIter runs the graph on views of the iterator's rows, and
``update`` with one device calls the multi-weight SGD kernel directly; each is compared bit
for bit (float32, exact equality) with the general path on the same module, including the
state left behind (iterator cursor, executor inputs and outputs, optimizer counts, states).
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch import nd


def _mlp():
    data = mx.sym.var("data")
    h = mx.sym.Activation(mx.sym.FullyConnected(data, num_hidden=6, name="fc1"),
                          act_type="relu")
    out = mx.sym.FullyConnected(h, num_hidden=3, name="fc2")
    return mx.sym.SoftmaxOutput(out, name="softmax")


def _data(n=23, seed=0):
    rng = np.random.RandomState(seed)
    return rng.uniform(-1, 1, (n, 5)).astype("float32"), \
        rng.randint(0, 3, n).astype("float32")


def _module(batch=4, label=True):
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=[("data", (batch, 5))],
             label_shapes=[("softmax_label", (batch,))] if label else None)
    mx.random.seed(3)
    mod.init_params(mx.init.Xavier())
    return mod


def _general(mod):
    """Make ``mod`` take the general loops only."""
    mod._predict_rows = lambda *args: None
    mod._sgd_step = lambda *args: False
    return mod


def _counting(mod):
    """Count the direct loops' calls that applied (``mod.taken``)."""
    mod.taken = {"predict": 0, "update": 0}
    rows, step = mod._predict_rows, mod._sgd_step

    def predict_rows(*args):
        out = rows(*args)
        mod.taken["predict"] += out is not None
        return out

    def sgd_step(*args):
        done = step(*args)
        mod.taken["update"] += done
        return done
    mod._predict_rows, mod._sgd_step = predict_rows, sgd_step
    return mod


def _state(mod, it):
    exe = mod._exec_group.execs[0]
    return (it.cursor, exe.outputs[0].asnumpy(), exe.arg_dict["data"].asnumpy(),
            exe.arg_dict["softmax_label"].asnumpy())


def _assert_same(a, b):
    assert type(a) is type(b)
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    elif isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, nd.NDArray):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    else:
        assert a == b


@pytest.mark.parametrize("handle", ["pad", "discard", "roll_over"])
@pytest.mark.parametrize("num_batch", [None, 2])
def test_predict_equals_the_general_loop(handle, num_batch):
    x, y = _data()
    results = []
    fast = _counting(_module())
    for mod in (fast, _general(_module())):
        it = mx.io.NDArrayIter(x, y, batch_size=4, last_batch_handle=handle)
        epochs = [mod.predict(it, num_batch=num_batch) for _ in range(3)]
        results.append((epochs, _state(mod, it)))
    _assert_same(results[0], results[1])
    assert fast.taken["predict"] == 3
    assert results[0][0][0].shape[0] == {None: {"pad": 23, "discard": 20, "roll_over": 20},
                                         2: {"pad": 8, "discard": 8, "roll_over": 8}
                                         }[num_batch][handle]


def test_predict_leaves_inputs_that_do_not_share_the_iterator_rows():
    x, y = _data()
    mod = _module()
    it = mx.io.NDArrayIter(x, y, batch_size=4, last_batch_handle="discard")
    mod.predict(it)
    exe = mod._exec_group.execs[0]
    exe.arg_dict["data"][:] = 7.0
    np.testing.assert_array_equal(it.data[0][1].asnumpy(), x)
    np.testing.assert_array_equal(exe.outputs[0].asnumpy().shape, (4, 3))


def test_predict_without_labels_and_with_a_module_bound_without_labels():
    x, y = _data()
    for label in (True, False):
        results = []
        for mod in (_module(label=label), _general(_module(label=label))):
            it = mx.io.NDArrayIter(x, None, batch_size=4)
            results.append(mod.predict(it).asnumpy())
        _assert_same(results[0], results[1])


@pytest.mark.parametrize("batch,dtype", [(5, "float32"), (4, "float64")])
def test_predict_on_other_shapes_or_dtypes_takes_the_general_loop(batch, dtype):
    x, y = _data()
    mod = _module()
    it = mx.io.NDArrayIter(x.astype(dtype), y, batch_size=batch)
    out = mod.predict(it).asnumpy()
    ref = _general(_module()).predict(mx.io.NDArrayIter(x.astype(dtype), y,
                                                        batch_size=batch)).asnumpy()
    np.testing.assert_array_equal(out, ref)
    assert out.shape == (23, 3)


def test_predict_with_a_monitor_or_a_subclass_takes_the_general_loop():
    class Sub(mx.mod.Module):
        pass
    x, y = _data()
    mod = _module()
    mon = mx.monitor.Monitor(1, stat_func=lambda a: a.norm(), pattern="fc1.*")
    mod.install_monitor(mon)
    mon.tic()
    mod.predict(mx.io.NDArrayIter(x, y, batch_size=4))
    seen = mon.toc()
    assert seen  # the monitor saw the forwards
    sub = Sub(_mlp())
    sub.bind(data_shapes=[("data", (4, 5))], label_shapes=[("softmax_label", (4,))])
    mx.random.seed(3)
    sub.init_params(mx.init.Xavier())
    np.testing.assert_array_equal(sub.predict(mx.io.NDArrayIter(x, y, batch_size=4)).asnumpy(),
                                  _module().predict(mx.io.NDArrayIter(x, y, batch_size=4))
                                  .asnumpy())


_OPTIMIZERS = [
    ("sgd", {"learning_rate": 0.1}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01, "clip_gradient": 0.05}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.5,
             "lr_scheduler": mx.lr_scheduler.FactorScheduler(step=2, factor=0.5)}),
    ("adam", {"learning_rate": 0.01}),
]


def _train(mod, optimizer, params, steps=5, lr_mult=None):
    x, y = _data(n=4 * steps, seed=1)
    mod.init_optimizer(optimizer=optimizer, optimizer_params=dict(params))
    if lr_mult:
        mod._optimizer.set_lr_mult(lr_mult)
    for k in range(steps):
        batch = mx.io.DataBatch([nd.array(x[4 * k:4 * k + 4])], [nd.array(y[4 * k:4 * k + 4])])
        mod.forward_backward(batch)
        mod.update()
    arg, _ = mod.get_params()
    opt = mod._optimizer
    states = {k: [s.asnumpy() for s in (v if isinstance(v, tuple) else [v]) if s is not None]
              for k, v in mod._updater.states.items()}
    return ({k: v.asnumpy() for k, v in arg.items()}, states, opt.num_update,
            dict(opt._index_update_count))


@pytest.mark.parametrize("optimizer,params", _OPTIMIZERS)
def test_update_equals_the_updater(optimizer, params):
    if "lr_scheduler" in params:  # a scheduler is stateful: one per module
        params = dict(params, lr_scheduler=mx.lr_scheduler.FactorScheduler(step=2, factor=0.5))
        other = dict(params, lr_scheduler=mx.lr_scheduler.FactorScheduler(step=2, factor=0.5))
    else:
        other = params
    mod = _counting(_module())
    fast = _train(mod, optimizer, params)
    # the first update creates the states through the Updater
    assert mod.taken["update"] == (4 if optimizer == "sgd" else 0)
    general = _train(_general(_module()), optimizer, other)
    _assert_same(list(map(repr, [fast[2], fast[3]])), list(map(repr, [general[2], general[3]])))
    for a, b in zip(fast[:2], general[:2]):
        assert sorted(a) == sorted(b)
        for key in a:
            _assert_same(a[key], b[key])


def test_update_with_lr_mult_and_after_loading_states(tmp_path):
    fast, general = _module(), _general(_module())
    a = _train(fast, "sgd", {"learning_rate": 0.1, "momentum": 0.9}, lr_mult={"fc1_weight": 0.3})
    b = _train(general, "sgd", {"learning_rate": 0.1, "momentum": 0.9},
               lr_mult={"fc1_weight": 0.3})
    _assert_same(a[0]["fc1_weight"], b[0]["fc1_weight"])
    fast.save_optimizer_states(str(tmp_path / "s.states"))
    fast.load_optimizer_states(str(tmp_path / "s.states"))
    general.load_optimizer_states(str(tmp_path / "s.states"))
    x, y = _data(n=4, seed=5)
    for mod in (fast, general):
        mod.forward_backward(mx.io.DataBatch([nd.array(x)], [nd.array(y)]))
        mod.update()
    _assert_same(fast.get_params()[0]["fc2_weight"], general.get_params()[0]["fc2_weight"])


def _fit(mod, handle, epochs=2, metric="acc"):
    x, y = _data(n=22, seed=2)
    it = mx.io.NDArrayIter(x, y, batch_size=4, last_batch_handle=handle)
    metric = mx.metric.create(metric)
    mx.random.seed(3)
    mod.fit(it, num_epoch=epochs, optimizer="sgd", eval_metric=metric,
            optimizer_params={"learning_rate": 0.1, "momentum": 0.9},
            initializer=mx.init.Xavier())
    arg, _ = mod.get_params()
    exe = mod._exec_group.execs[0]
    return ({k: v.asnumpy() for k, v in sorted(arg.items())}, metric.get_global(),
            _state(mod, it), exe.grad_dict["fc1_weight"].asnumpy(),
            mod._optimizer.num_update)


def _unbound():
    return mx.mod.Module(_mlp())


@pytest.mark.parametrize("handle", ["pad", "discard", "roll_over"])
def test_fit_equals_the_general_loop(handle):
    fast = _unbound()
    fast._fit_rows = _wrapped_fit_rows(fast)
    general = _unbound()
    general._fit_rows = lambda *args: False
    _assert_same(_fit(fast, handle), _fit(general, handle))
    assert fast.fit_rows_taken == 2


def _wrapped_fit_rows(mod):
    inner = mod._fit_rows
    mod.fit_rows_taken = 0

    def fit_rows(*args):
        done = inner(*args)
        mod.fit_rows_taken += done
        return done
    return fit_rows


def test_fit_leaves_inputs_that_do_not_share_the_iterator_rows():
    x, y = _data(n=22, seed=2)
    mod = _unbound()
    it = mx.io.NDArrayIter(x, y, batch_size=4)
    mod.fit(it, num_epoch=1, optimizer_params={"learning_rate": 0.1})
    exe = mod._exec_group.execs[0]
    exe.arg_dict["data"][:] = 7.0
    exe.arg_dict["softmax_label"][:] = 1.0
    np.testing.assert_array_equal(it.data[0][1].asnumpy(), x)
    np.testing.assert_array_equal(it.label[0][1].asnumpy(), y)


def test_fit_with_a_composite_metric_and_a_callback():
    seen = []
    results = []
    for use_fast in (True, False):
        mod = _unbound()
        if not use_fast:
            mod._fit_rows = lambda *args: False
        results.append(_fit(mod, "pad", metric=["acc", "ce"]))
    _assert_same(results[0], results[1])
    x, y = _data(n=22, seed=2)
    mod = _unbound()
    mod._fit_rows = _wrapped_fit_rows(mod)
    mod.fit(mx.io.NDArrayIter(x, y, batch_size=4), num_epoch=1,
            batch_end_callback=lambda p: seen.append(p.nbatch))
    assert seen == list(range(6)) and mod.fit_rows_taken == 0


def test_two_inputs_two_outputs_and_batchnorm_equal_the_general_loops():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    h = mx.sym.BatchNorm(mx.sym.FullyConnected(a, num_hidden=4, name="fa"), name="bn") + \
        mx.sym.FullyConnected(b, num_hidden=4, name="fb")
    net = mx.sym.Group([mx.sym.SoftmaxOutput(h, name="softmax"),
                        mx.sym.BlockGrad(h * 2, name="side")])
    rng = np.random.RandomState(4)
    data = {"a": rng.uniform(-1, 1, (10, 3)).astype("float32"),
            "b": rng.uniform(-1, 1, (10, 2)).astype("float32")}
    label = rng.randint(0, 4, 10).astype("float32")
    results = []
    for fast in (True, False):
        mod = mx.mod.Module(net, data_names=["a", "b"])
        if fast:
            _counting(mod)
            mod._fit_rows = _wrapped_fit_rows(mod)
        else:
            _general(mod)
            mod._fit_rows = lambda *args: False
        it = mx.io.NDArrayIter(data, label, batch_size=4)
        mx.random.seed(5)
        mod.fit(it, num_epoch=2, optimizer_params={"learning_rate": 0.1, "momentum": 0.9},
                initializer=mx.init.Xavier(),
                eval_metric=mx.metric.Accuracy(output_names=["softmax_output"]))
        outs = mod.predict(it)
        arg, aux = mod.get_params()
        if fast:
            assert mod.taken == {"predict": 1, "update": 5} and mod.fit_rows_taken == 2
        results.append(([o.asnumpy() for o in outs],
                        {k: v.asnumpy() for k, v in list(arg.items()) + list(aux.items())}))
    _assert_same(results[0], results[1])
    assert results[0][0][0].shape == (10, 4) and results[0][0][1].shape == (10, 4)
