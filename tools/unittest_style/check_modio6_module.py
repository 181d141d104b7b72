"""Module checks in the style of MXNet 1.9.1's test_module.py (round 6: multi-device, group2ctxs,
optimizer re-init, checkpoints with states, predict/score options, buckets, sequential and
Python modules).

Run through ``tools/unittest_style/run.py --only modio6`` (real MXNet and mxtorch).
"""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def _mlp(num_hidden=4, num_classes=3, prefix=""):
    data = mx.sym.Variable("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=num_hidden, name=prefix + "fc1")
    act = mx.sym.Activation(fc1, act_type="tanh", name=prefix + "act1")
    fc2 = mx.sym.FullyConnected(act, num_hidden=num_classes, name=prefix + "fc2")
    return mx.sym.SoftmaxOutput(fc2, name=prefix + "softmax")


def _fixed_params(mod, seed=3):
    rng = np.random.RandomState(seed)
    arg, aux = mod.get_params()
    new = {k: mx.nd.array(rng.uniform(-0.5, 0.5, v.shape)) for k, v in sorted(arg.items())}
    mod.set_params(new, aux, force_init=True)
    return new


def _data(n=12, d=6, k=3, seed=0):
    rng = np.random.RandomState(seed)
    return (rng.uniform(-1, 1, (n, d)).astype(np.float32),
            rng.randint(0, k, (n,)).astype(np.float32))


def _train_steps(mod, x, y, bs, steps):
    for i in range(steps):
        lo = (i * bs) % len(x)
        mod.forward_backward(mx.io.DataBatch([mx.nd.array(x[lo:lo + bs])],
                                             [mx.nd.array(y[lo:lo + bs])]))
        mod.update()
    return {k: v.asnumpy() for k, v in mod.get_params()[0].items()}


@with_seed()
def test_multi_context_matches_single():
    x, y = _data(12)
    results = []
    for ctx, wl in [(mx.cpu(0), None), ([mx.cpu(0), mx.cpu(1)], [1, 3]),
                    ([mx.cpu(0), mx.cpu(1), mx.cpu(2)], None)]:
        mod = mx.mod.Module(_mlp(), context=ctx, work_load_list=wl)
        mod.bind(data_shapes=[("data", (6, 6))], label_shapes=[("softmax_label", (6,))])
        mod.init_params()
        _fixed_params(mod)
        mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5,
                                                              "momentum": 0.9})
        results.append(_train_steps(mod, x, y, 6, 4))
        mod.forward(mx.io.DataBatch([mx.nd.array(x[:6])], [mx.nd.array(y[:6])]),
                    is_train=False)
        parts = mod.get_outputs(merge_multi_context=False)
        n_dev = 1 if not isinstance(ctx, list) else len(ctx)
        assert len(parts) == 1 and len(parts[0]) == n_dev
        assert sum(p.shape[0] for p in parts[0]) == 6
        if wl == [1, 3]:
            assert [p.shape[0] for p in parts[0]] == [2, 4]
    for other in results[1:]:
        for k in results[0]:
            assert_almost_equal(results[0][k], other[k], rtol=1e-5, atol=1e-6)


@with_seed()
def test_group2ctxs_module():
    with mx.AttrScope(ctx_group="dev1"):
        data = mx.sym.Variable("data")
        fc1 = mx.sym.FullyConnected(data, num_hidden=5, name="fc1")
        act = mx.sym.Activation(fc1, act_type="relu")
    with mx.AttrScope(ctx_group="dev2"):
        fc2 = mx.sym.FullyConnected(act, num_hidden=2, name="fc2")
        out = mx.sym.LinearRegressionOutput(fc2, name="lro")
    assert fc1.attr("ctx_group") == "dev1" and fc2.attr("ctx_group") == "dev2"
    x = np.random.uniform(-1, 1, (8, 3)).astype(np.float32)
    y = np.random.uniform(-1, 1, (8, 2)).astype(np.float32)
    finals = []
    for g2c, ctx in [(None, mx.cpu(0)),
                     ({"dev1": mx.cpu(1), "dev2": mx.cpu(2)}, mx.cpu(0)),
                     ([{"dev1": mx.cpu(1), "dev2": mx.cpu(2)},
                       {"dev1": mx.cpu(3), "dev2": mx.cpu(4)}], [mx.cpu(0), mx.cpu(5)])]:
        mod = mx.mod.Module(out, label_names=["lro_label"], context=ctx, group2ctxs=g2c)
        mod.bind(data_shapes=[("data", (8, 3))], label_shapes=[("lro_label", (8, 2))])
        mod.init_params()
        _fixed_params(mod)
        mod.init_optimizer(optimizer_params={"learning_rate": 0.1})
        finals.append(_train_steps(mod, x, y, 8, 3))
    for f in finals[1:]:
        for k in finals[0]:
            assert_almost_equal(finals[0][k], f[k], rtol=1e-5, atol=1e-6)


@with_seed()
def test_module_ctx_group_input_grad_contexts():
    with mx.AttrScope(ctx_group="dev1"):
        a = mx.sym.Variable("a") * 2
    with mx.AttrScope(ctx_group="dev2"):
        c = a + mx.sym.Variable("b")
    shape = (2, 5)
    for ctxs, g2c, want in [
            ([mx.cpu(0)], {"dev1": mx.cpu(1), "dev2": mx.cpu(2)}, [mx.cpu(1), mx.cpu(2)]),
            ([mx.cpu(0), mx.cpu(1)], [{"dev1": mx.cpu(2), "dev2": mx.cpu(3)},
                                      {"dev1": mx.cpu(4), "dev2": mx.cpu(5)}],
             [mx.cpu(2), mx.cpu(3)])]:
        mod = mx.mod.Module(c, context=ctxs, data_names=["a", "b"], label_names=None,
                            group2ctxs=g2c)
        mod.bind(data_shapes=[["a", shape], ["b", shape]], inputs_need_grad=True)
        mod.init_params()
        mod.forward(mx.io.DataBatch(data=[mx.nd.ones(shape), mx.nd.ones(shape)]),
                    is_train=True)
        mod.backward([mx.nd.ones(shape)])
        grads = mod.get_input_grads()
        assert [g.context for g in grads] == want, [g.context for g in grads]
        assert same(grads[0].asnumpy(), np.full(shape, 2, np.float32))
        assert same(grads[1].asnumpy(), np.ones(shape, np.float32))


@with_seed()
def test_init_optimizer_twice_and_force_init():
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod.init_params()
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.3})
    first = mod._optimizer
    mod.init_optimizer(optimizer="adam", optimizer_params={"learning_rate": 0.01})
    assert mod._optimizer is first and isinstance(mod._optimizer, mx.optimizer.SGD)
    mod.init_optimizer(optimizer="adam", optimizer_params={"learning_rate": 0.01},
                       force_init=True)
    assert isinstance(mod._optimizer, mx.optimizer.Adam)
    assert abs(mod._optimizer.lr - 0.01) < 1e-12
    assert_almost_equal(mod._optimizer.rescale_grad, 0.25)
    opt = mx.optimizer.RMSProp(learning_rate=0.02, rescale_grad=0.5)
    mod.init_optimizer(optimizer=opt, force_init=True)
    assert mod._optimizer is opt and opt.rescale_grad == 0.5
    assert mod.optimizer_initialized
    idx2name = mod._optimizer.idx2name
    assert sorted(idx2name.values()) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    # borrow_optimizer shares the very same optimizer and updater
    mod2 = mx.mod.Module(_mlp())
    mod2.bind(data_shapes=[("data", (2, 6))], label_shapes=[("softmax_label", (2,))],
              shared_module=mod)
    mod2.borrow_optimizer(mod)
    assert mod2._optimizer is mod._optimizer and mod2.optimizer_initialized


@with_seed()
def test_checkpoint_states_resume_equals_uninterrupted():
    x, y = _data(16)
    opt_params = {"learning_rate": 0.05, "momentum": 0.8, "wd": 0.001}

    def fresh():
        m = mx.mod.Module(_mlp())
        m.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
        m.init_params()
        _fixed_params(m)
        m.init_optimizer(optimizer="sgd", optimizer_params=opt_params)
        return m
    ref = fresh()
    full = _train_steps(ref, x, y, 4, 6)
    mod = fresh()
    _train_steps(mod, x, y, 4, 3)
    prefix = os.path.join(tempfile.mkdtemp(), "ck")
    mod.save_checkpoint(prefix, 3, save_optimizer_states=True)
    mod2 = mx.mod.Module.load(prefix, 3, load_optimizer_states=True)
    mod2.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod2.init_optimizer(optimizer="sgd", optimizer_params=opt_params)
    # the momentum buffers come back with the states
    for i in range(3, 6):
        lo = (i * 4) % 16
        mod2.forward_backward(mx.io.DataBatch([mx.nd.array(x[lo:lo + 4])],
                                              [mx.nd.array(y[lo:lo + 4])]))
        mod2.update()
    got = {k: v.asnumpy() for k, v in mod2.get_params()[0].items()}
    for k in full:
        assert_almost_equal(full[k], got[k], rtol=1e-4, atol=1e-6)
    assert mod2._optimizer.num_update == 3
    # a module loaded without the states restarts the momentum: other values
    mod3 = mx.mod.Module.load(prefix, 3)
    mod3.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod3.init_optimizer(optimizer="sgd", optimizer_params=opt_params)
    got3 = _train_steps(mod3, np.roll(x, -12, 0), np.roll(y, -12, 0), 4, 3)
    assert not np.allclose(got3["fc1_weight"], full["fc1_weight"], rtol=1e-4, atol=1e-6)
    # Adam's states come back too (its step counts restart with the new optimizer)
    mod4 = fresh()
    mod4.init_optimizer(optimizer="adam", optimizer_params={"learning_rate": 0.01},
                        force_init=True)
    _train_steps(mod4, x, y, 4, 2)
    fname = prefix + ".adam"
    mod4.save_optimizer_states(fname)
    mod5 = fresh()
    mod5.init_optimizer(optimizer="adam", optimizer_params={"learning_rate": 0.01},
                        force_init=True)
    mod5.load_optimizer_states(fname)
    for i in range(2):
        st4 = mod4._updater.states[i]
        st5 = mod5._updater.states[i]
        assert_almost_equal(st4[0].asnumpy(), st5[0].asnumpy())
        assert_almost_equal(st4[1].asnumpy(), st5[1].asnumpy())


@with_seed()
def test_set_params_extra_and_missing():
    data = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    bn = mx.sym.BatchNorm(fc, name="bn")
    mod = mx.mod.Module(bn, label_names=None)
    mod.bind(data_shapes=[("data", (3, 4))])
    mod.init_params()
    arg, aux = mod.get_params()
    assert sorted(arg) == ["bn_beta", "bn_gamma", "fc_bias", "fc_weight"]
    assert sorted(aux) == ["bn_moving_mean", "bn_moving_var"]
    extra = dict(arg)
    extra["ghost"] = mx.nd.ones((2,))
    mod.set_params(extra, aux, allow_extra=True, force_init=True)
    aux_extra = dict(aux)
    aux_extra["ghost_aux"] = mx.nd.ones((2,))
    mod.set_params(arg, aux_extra, allow_extra=True, force_init=True)
    part = {"fc_weight": mx.nd.full((2, 4), 0.5)}
    assertRaises(Exception, mod.set_params, part, None, force_init=True)
    mod.set_params(part, {"bn_moving_var": mx.nd.full((2,), 4.0)}, allow_missing=True,
                   force_init=True)
    a2, x2 = mod.get_params()
    assert same(a2["fc_weight"].asnumpy(), np.full((2, 4), 0.5, dtype=np.float32))
    assert same(x2["bn_moving_var"].asnumpy(), np.full((2,), 4.0, dtype=np.float32))
    # shape mismatch is an error
    bad = dict(arg)
    bad["fc_weight"] = mx.nd.ones((3, 4))
    assertRaises(Exception, mod.set_params, bad, aux, force_init=True)


@with_seed()
def test_auto_reshape_data_and_label():
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod.init_params()
    _fixed_params(mod)
    mod.init_optimizer(optimizer_params={"learning_rate": 0.1})
    x, y = _data(9)
    for n in (9, 2, 4, 7):
        b = mx.io.DataBatch([mx.nd.array(x[:n])], [mx.nd.array(y[:n])])
        mod.forward(b, is_train=True)
        assert mod.get_outputs()[0].shape == (n, 3)
        assert mod.data_shapes[0].shape == (n, 6)
        assert mod.label_shapes[0].shape == (n,)
        mod.backward()
        mod.update()
    # provide_data on the batch is honoured the same way
    b = mx.io.DataBatch([mx.nd.array(x[:5])], [mx.nd.array(y[:5])],
                        provide_data=[mx.io.DataDesc("data", (5, 6))],
                        provide_label=[mx.io.DataDesc("softmax_label", (5,))])
    mod.forward(b)
    assert mod.output_shapes == [("softmax_output", (5, 3))]
    # a batch without labels (same batch size) predicts with the bound label shape
    mod.forward(mx.io.DataBatch([mx.nd.array(x[:5])], None), is_train=False)
    assert mod.get_outputs()[0].shape == (5, 3)


@with_seed()
def test_two_inputs_two_outputs_predict():
    a = mx.sym.Variable("a")
    b = mx.sym.Variable("b")
    fa = mx.sym.FullyConnected(a, num_hidden=2, name="fa")
    fb = mx.sym.FullyConnected(b, num_hidden=3, name="fb")
    out = mx.sym.Group([mx.sym.relu(fa, name="ra"), mx.sym.sigmoid(fb, name="sb")])
    mod = mx.mod.Module(out, data_names=["a", "b"], label_names=None)
    xa = np.random.uniform(-1, 1, (10, 4)).astype(np.float32)
    xb = np.random.uniform(-1, 1, (10, 5)).astype(np.float32)
    it = mx.io.NDArrayIter({"a": xa, "b": xb}, None, batch_size=4, last_batch_handle="pad")
    mod.bind(data_shapes=it.provide_data, for_training=False)
    assert [d.name for d in mod.data_shapes] == ["a", "b"]
    mod.init_params(initializer=mx.init.Uniform(0.5))
    assert mod.output_names == ["ra_output", "sb_output"]
    preds = mod.predict(it)
    assert isinstance(preds, list) and [p.shape for p in preds] == [(10, 2), (10, 3)]
    per_batch = mod.predict(it, merge_batches=False)
    assert len(per_batch) == 3 and [p.shape for p in per_batch[-1]] == [(2, 2), (2, 3)]
    arg = mod.get_params()[0]
    ref = np.maximum(xa.dot(arg["fa_weight"].asnumpy().T) + arg["fa_bias"].asnumpy(), 0)
    assert_almost_equal(preds[0].asnumpy(), ref, rtol=1e-5, atol=1e-6)
    # single output: always_output_list wraps it
    one = mx.mod.Module(mx.sym.relu(fa), data_names=["a"], label_names=None)
    it1 = mx.io.NDArrayIter({"a": xa}, None, batch_size=4)
    one.bind(data_shapes=it1.provide_data, for_training=False)
    one.init_params()
    p1 = one.predict(it1, always_output_list=True)
    assert isinstance(p1, list) and len(p1) == 1 and p1[0].shape == (10, 2)
    p2 = one.predict(it1)
    assert isinstance(p2, mx.nd.NDArray) and p2.shape == (10, 2)
    p3 = one.predict(it1, merge_batches=False, always_output_list=True)
    assert len(p3) == 3 and isinstance(p3[0], list)


@with_seed()
def test_two_softmax_labels_and_metrics():
    data = mx.sym.Variable("data")
    f1 = mx.sym.FullyConnected(data, num_hidden=3, name="f1")
    f2 = mx.sym.FullyConnected(data, num_hidden=2, name="f2")
    s1 = mx.sym.SoftmaxOutput(f1, name="s1")
    s2 = mx.sym.SoftmaxOutput(f2, name="s2")
    net = mx.sym.Group([s1, s2])
    mod = mx.mod.Module(net, label_names=["s1_label", "s2_label"])
    x = np.random.uniform(-1, 1, (12, 5)).astype(np.float32)
    y1 = np.random.randint(0, 3, (12,)).astype(np.float32)
    y2 = np.random.randint(0, 2, (12,)).astype(np.float32)
    it = mx.io.NDArrayIter(x, {"s1_label": y1, "s2_label": y2}, batch_size=4)
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    mod.init_params(initializer=mx.init.Uniform(0.5))
    preds = mod.predict(it)
    p1, p2 = [p.asnumpy() for p in preds]
    acc1 = mx.metric.Accuracy(output_names=["s1_output"], label_names=["s1_label"])
    acc2 = mx.metric.Accuracy(output_names=["s2_output"], label_names=["s2_label"], name="a2")
    comp = mx.metric.CompositeEvalMetric([acc1, acc2])
    res = dict(mod.score(it, comp))
    assert_almost_equal(res["accuracy"], (p1.argmax(1) == y1).mean())
    assert_almost_equal(res["a2"], (p2.argmax(1) == y2).mean())
    res2 = mod.score(it, ["acc", mx.metric.CrossEntropy(output_names=["s1_output"],
                                                        label_names=["s1_label"])])
    names = [n for n, _ in res2]
    assert names == ["accuracy", "cross-entropy"]
    ce = -np.log(p1[np.arange(12), y1.astype(int)]).mean()
    assert_almost_equal(res2[1][1], ce, rtol=1e-5)
    # plain accuracy over both outputs pairs them with the labels in order
    both = ((p1.argmax(1) == y1).sum() + (p2.argmax(1) == y2).sum()) / 24.0
    assert_almost_equal(res2[0][1], both)
    m = mx.metric.create("acc")
    it.reset()
    batch = next(it)
    mod.forward(batch, is_train=False)
    mod.update_metric(m, batch.label)
    assert m.num_inst == 8


@with_seed()
def test_score_multiple_metrics_and_reset():
    x, y = _data(20, 6, 3)
    it = mx.io.NDArrayIter(x, y, batch_size=5)
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label, for_training=False)
    mod.init_params()
    _fixed_params(mod)
    p = mod.predict(it).asnumpy()
    res = mod.score(it, ["acc", mx.metric.TopKAccuracy(top_k=2), "ce", "nll_loss"])
    names = [n for n, _ in res]
    assert names == ["accuracy", "top_k_accuracy_2", "cross-entropy", "nll-loss"]
    top2 = np.argsort(p, axis=1)[:, -2:]
    assert_almost_equal(res[1][1], np.mean([y[i] in top2[i] for i in range(20)]))
    assert_almost_equal(res[0][1], (p.argmax(1) == y).mean())
    comp = mx.metric.create(["acc", "ce"])
    mod.score(it, comp, num_batch=2)
    assert comp.metrics[0].num_inst == 10
    mod.score(it, comp, num_batch=1, reset=False)
    # the metric is reset each call; reset=False only skips resetting the iterator
    assert comp.metrics[0].num_inst == 5


@with_seed()
def test_bucketing_new_keys_and_shared_params():
    def sym_gen(seq_len):
        data = mx.sym.Variable("data")
        label = mx.sym.Variable("softmax_label")
        emb = mx.sym.Embedding(data, input_dim=10, output_dim=4, name="embed")
        pooled = mx.sym.mean(emb, axis=1)
        fc = mx.sym.FullyConnected(pooled, num_hidden=3, name="fc")
        return mx.sym.SoftmaxOutput(fc, label, name="softmax"), ("data",), ("softmax_label",)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=6, context=mx.cpu())
    mod.bind(data_shapes=[("data", (2, 6))], label_shapes=[("softmax_label", (2,))])
    mod.init_params(initializer=mx.init.Uniform(0.2))
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    rng = np.random.RandomState(5)
    for key in (2, 6, 4, 2, 8):
        mod.switch_bucket(key, [("data", (2, key))], [("softmax_label", (2,))])
        b = mx.io.DataBatch([mx.nd.array(rng.randint(0, 10, (2, key)))],
                            [mx.nd.array(rng.randint(0, 3, (2,)))], bucket_key=key,
                            provide_data=[mx.io.DataDesc("data", (2, key))],
                            provide_label=[mx.io.DataDesc("softmax_label", (2,))])
        mod.forward_backward(b)
        mod.update()
        assert mod.get_outputs()[0].shape == (2, 3)
    assert sorted(mod._buckets) == [2, 4, 6, 8]
    ref = mod.get_params()[0]
    for key, m in mod._buckets.items():
        w = m._exec_group.execs[0].arg_dict["embed_weight"]
        assert_almost_equal(w.asnumpy(), ref["embed_weight"].asnumpy())
    assert mod.symbol.list_arguments() == sym_gen(8)[0].list_arguments()
    assert mod._curr_bucket_key == 8 and mod.data_shapes[0].shape == (2, 8)


@with_seed()
def test_bucket_sentence_iter_fit():
    sentences = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [1, 3], [2, 4, 6], [5, 7, 9, 1],
                 [3, 3], [8, 1, 2]]
    it = mx.rnn.BucketSentenceIter(sentences, batch_size=2, buckets=[2, 3, 4],
                                   invalid_label=0)
    assert it.default_bucket_key == 4
    assert it.provide_data[0].shape == (2, 4)
    keys = []
    for batch in it:
        keys.append(batch.bucket_key)
        assert batch.data[0].shape == (2, batch.bucket_key)
        assert same(batch.label[0].asnumpy()[:, :-1], batch.data[0].asnumpy()[:, 1:])
    assert sorted(keys) == [2, 3, 4]

    def sym_gen(seq_len):
        data = mx.sym.Variable("data")
        label = mx.sym.Variable("softmax_label")
        emb = mx.sym.Embedding(data, input_dim=10, output_dim=3, name="embed")
        pred = mx.sym.Reshape(emb, shape=(-1, 3))
        pred = mx.sym.FullyConnected(pred, num_hidden=10, name="pred")
        label = mx.sym.Reshape(label, shape=(-1,))
        out = mx.sym.SoftmaxOutput(pred, label, name="softmax", use_ignore=True,
                                   ignore_label=0)
        return out, ("data",), ("softmax_label",)
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=it.default_bucket_key)
    it.reset()
    mod.fit(it, num_epoch=2, eval_metric=mx.metric.Perplexity(ignore_label=0),
            optimizer="sgd", optimizer_params={"learning_rate": 0.1},
            initializer=mx.init.Xavier())
    res = mod.score(it, mx.metric.Perplexity(ignore_label=0))
    assert res[0][0] == "perplexity" and np.isfinite(res[0][1])


@with_seed()
def test_sequential_three_modules_input_grads():
    d = mx.sym.Variable("data")
    m1 = mx.mod.Module(mx.sym.FullyConnected(d, num_hidden=4, name="l1"), label_names=None)
    m2 = mx.mod.Module(mx.sym.Activation(d, act_type="tanh", name="t"), label_names=None)
    f3 = mx.sym.FullyConnected(d, num_hidden=1, name="l3")
    m3 = mx.mod.Module(mx.sym.LinearRegressionOutput(f3, name="lro"),
                       label_names=["lro_label"])
    seq = mx.mod.SequentialModule()
    seq.add(m1).add(m2, auto_wiring=True).add(m3, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (5, 3))], label_shapes=[("lro_label", (5, 1))],
             inputs_need_grad=True)
    seq.init_params(initializer=mx.init.Uniform(0.3))
    _fixed_params(seq, seed=11)
    arg = {k: v.asnumpy() for k, v in seq.get_params()[0].items()}
    x = np.random.uniform(-1, 1, (5, 3)).astype(np.float32)
    y = np.random.uniform(-1, 1, (5, 1)).astype(np.float32)
    seq.forward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]), is_train=True)
    seq.backward()
    h = np.tanh(x.dot(arg["l1_weight"].T) + arg["l1_bias"])
    o = h.dot(arg["l3_weight"].T) + arg["l3_bias"]
    assert_almost_equal(seq.get_outputs()[0].asnumpy(), o, rtol=1e-5, atol=1e-6)
    go = o - y
    gh = go.dot(arg["l3_weight"]) * (1 - h ** 2)
    gx = gh.dot(arg["l1_weight"])
    # MXNet's SequentialModule never records inputs_need_grad: ask the first module
    assert_almost_equal(seq._modules[0].get_input_grads()[0].asnumpy(), gx, rtol=1e-4,
                        atol=1e-5)
    assert seq.output_shapes == [("lro_output", (5, 1))]
    assert seq.data_shapes[0].shape == (5, 3)


class _Doubler(mx.mod.PythonModule):
    """A PythonModule whose output is twice its input (its gradient too)."""

    def __init__(self):
        super(_Doubler, self).__init__(data_names=["data"], label_names=None,
                                       output_names=["double_output"])
        self._out = None
        self._grad = None

    def _compute_output_shapes(self):
        return [("double_output", self._data_shapes[0][1])]

    def forward(self, data_batch, is_train=None):
        self._out = data_batch.data[0] * 2
        self._in = data_batch.data[0]

    def get_outputs(self, merge_multi_context=True):
        return [self._out]

    def backward(self, out_grads=None):
        self._grad = out_grads[0] * 2

    def get_input_grads(self, merge_multi_context=True):
        return [self._grad]


@with_seed()
def test_python_module_subclass_in_sequence():
    dbl = _Doubler()
    assert dbl.data_names == ["data"] and dbl.output_names == ["double_output"]
    assert dbl.get_params() == ({}, {})
    d = mx.sym.Variable("data")
    fc = mx.sym.FullyConnected(d, num_hidden=2, name="fc")
    m2 = mx.mod.Module(mx.sym.LinearRegressionOutput(fc, name="lro"), label_names=["lro_label"])
    seq = mx.mod.SequentialModule()
    seq.add(dbl).add(m2, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (3, 4))], label_shapes=[("lro_label", (3, 2))],
             inputs_need_grad=True)
    assert dbl.output_shapes == [("double_output", (3, 4))]
    seq.init_params(initializer=mx.init.One())
    seq.init_optimizer(optimizer_params={"learning_rate": 0.1})
    x = mx.nd.ones((3, 4))
    seq.forward(mx.io.DataBatch([x], [mx.nd.zeros((3, 2))]), is_train=True)
    assert same(seq.get_outputs()[0].asnumpy(), np.full((3, 2), 8.0, dtype=np.float32))
    seq.backward()
    # LinearRegressionOutput scales its gradient by 1 / (outputs per example) = 1/2
    assert same(dbl.get_input_grads()[0].asnumpy(), np.full((3, 4), 16.0, dtype=np.float32))
    seq.update()
    p = seq.get_params()[0]
    assert sorted(p) == ["fc_bias", "fc_weight"]
    # bias gradient 8 / 2 per row, 3 rows, rescale 1/3, lr 0.1 -> -0.4
    assert_almost_equal(p["fc_bias"].asnumpy(), np.full((2,), -0.4), rtol=1e-5)
    # a PythonLossModule without grad_func passes its input through and cannot backward
    plm = mx.mod.PythonLossModule()
    assert plm.data_names == ["data"] and plm.output_names == ["pyloss_output"]
    plm.bind(data_shapes=[("data", (2, 3))], label_shapes=[("softmax_label", (2,))])
    plm.forward(mx.io.DataBatch([mx.nd.ones((2, 3))], [mx.nd.zeros((2,))]))
    assert same(plm.get_outputs()[0].asnumpy(), np.ones((2, 3), np.float32))
    assertRaises(NotImplementedError, plm.backward)


@with_seed()
def test_fit_kvstore_variants_agree():
    x, y = _data(16)
    finals = []
    for kv in [None, "local", "device", mx.kv.create("local")]:
        mod = mx.mod.Module(_mlp())
        it = mx.io.NDArrayIter(x, y, batch_size=4)
        mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
        mod.init_params()
        _fixed_params(mod)
        mod.fit(it, num_epoch=2, kvstore=kv, optimizer="sgd",
                optimizer_params={"learning_rate": 0.2, "momentum": 0.5})
        finals.append({k: v.asnumpy() for k, v in mod.get_params()[0].items()})
    for f in finals[1:]:
        for k in finals[0]:
            assert_almost_equal(finals[0][k], f[k], rtol=1e-5, atol=1e-6)


@with_seed()
def test_monitor_and_install():
    mod = mx.mod.Module(_mlp())
    mod.bind(data_shapes=[("data", (4, 6))], label_shapes=[("softmax_label", (4,))])
    mod.init_params()
    mon = mx.monitor.Monitor(1, pattern="fc.*")
    mod.install_monitor(mon)
    mon.tic()
    mod.forward_backward(mx.io.DataBatch([mx.nd.ones((4, 6))], [mx.nd.zeros((4,))]))
    stats = mon.toc()
    names = sorted(set(s[1] for s in stats))
    assert "fc1_output" in names and "fc2_output" in names
    assert "fc1_weight" in names
    assert all(s[0] == 1 for s in stats)


@with_seed()
def test_save_load_params_and_load_names():
    mod = mx.mod.Module(_mlp(), data_names=["data"], label_names=["softmax_label"])
    mod.bind(data_shapes=[("data", (2, 6))], label_shapes=[("softmax_label", (2,))])
    mod.init_params()
    vals = _fixed_params(mod)
    fname = os.path.join(tempfile.mkdtemp(), "p.params")
    mod.save_params(fname)
    raw = mx.nd.load(fname)
    assert sorted(raw) == ["arg:" + k for k in sorted(vals)]
    mod2 = mx.mod.Module(_mlp())
    mod2.bind(data_shapes=[("data", (2, 6))], label_shapes=[("softmax_label", (2,))])
    mod2.load_params(fname)
    for k, v in mod2.get_params()[0].items():
        assert_almost_equal(v.asnumpy(), vals[k].asnumpy())
    prefix = os.path.join(tempfile.mkdtemp(), "named")
    mod.save_checkpoint(prefix, 0)
    mod3 = mx.mod.Module.load(prefix, 0, data_names=("data",), label_names=("softmax_label",))
    assert mod3.data_names == ["data"] and mod3.label_names == ["softmax_label"]
    mod3.bind(data_shapes=[("data", (3, 6))], for_training=False)
    out = mod3.predict(mx.io.NDArrayIter(np.ones((3, 6), np.float32), None, batch_size=3))
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 6))], None), is_train=False)
    assert_almost_equal(out.asnumpy()[:2], mod.get_outputs()[0].asnumpy())


main(globals())
