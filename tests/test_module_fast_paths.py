"""The Module's per-batch fast paths keep MXNet's observable behaviour.

Executors take the batch's arrays without a copy when they can (``Executor.feed``); these
tests pin what must not change because of it: batches, the iterator's source and earlier
batches are never written by the module, inputs of another dtype are converted, per-device
batch lists work, and predict/score give the same numbers as a plain forward. Values are
exact comparisons against numpy or between two mxtorch paths (float32, rtol 1e-6).
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


def _module(batch=4, context=None, for_training=True):
    mod = mx.mod.Module(_mlp(), context=context or mx.cpu())
    mod.bind(data_shapes=[("data", (batch, 5))], label_shapes=[("softmax_label", (batch,))],
             for_training=for_training)
    mx.random.seed(3)
    mod.init_params(mx.init.Xavier())
    return mod


def _batch(seed, batch=4, dtype="float32"):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, (batch, 5)).astype(dtype)
    y = rng.randint(0, 3, batch).astype(dtype)
    return mx.io.DataBatch([nd.array(x, dtype=dtype)], [nd.array(y, dtype=dtype)]), x, y


def _reference_output(mod, x):
    args, _ = mod.get_params()
    w1, b1 = args["fc1_weight"].asnumpy(), args["fc1_bias"].asnumpy()
    w2, b2 = args["fc2_weight"].asnumpy(), args["fc2_bias"].asnumpy()
    h = np.maximum(x.astype("float32") @ w1.T + b1, 0)
    z = h @ w2.T + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_training_never_writes_the_batches():
    mod = _module()
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5})
    first, x0, y0 = _batch(0)
    second, x1, _ = _batch(1)
    for b in (first, second):
        mod.forward(b, is_train=True)
        mod.backward()
        mod.update()
    np.testing.assert_array_equal(first.data[0].asnumpy(), x0)
    np.testing.assert_array_equal(first.label[0].asnumpy(), y0)
    np.testing.assert_array_equal(second.data[0].asnumpy(), x1)
    exe = mod._exec_group.execs[0]
    np.testing.assert_array_equal(exe.arg_dict["data"].asnumpy(), x1)


def test_executor_write_does_not_reach_the_fed_batch():
    mod = _module()
    b, x, _ = _batch(0)
    mod.forward(b, is_train=False)
    exe = mod._exec_group.execs[0]
    other = np.ones((4, 5), "float32")
    exe.forward(is_train=False, data=nd.array(other))
    np.testing.assert_array_equal(b.data[0].asnumpy(), x)
    np.testing.assert_allclose(exe.outputs[0].asnumpy(), _reference_output(mod, other),
                               rtol=1e-5, atol=1e-6)


def test_other_dtype_after_shared_batch_converts_without_touching_it():
    mod = _module()
    first, x0, _ = _batch(0)
    mod.forward(first, is_train=False)
    second, x1, _ = _batch(1, dtype="float64")
    mod.forward(second, is_train=False)
    np.testing.assert_array_equal(first.data[0].asnumpy(), x0)
    exe = mod._exec_group.execs[0]
    assert exe.arg_dict["data"].dtype == np.float32
    np.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), _reference_output(mod, x1),
                               rtol=1e-5, atol=1e-6)


def test_backward_after_new_batch_uses_the_new_values():
    mod = _module()
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    grads = []
    for seed in (0, 1, 0):
        b, _, _ = _batch(seed)
        mod.forward(b, is_train=True)
        mod.backward()
        grads.append(mod._exec_group.grad_arrays[0][0].asnumpy().copy())
    np.testing.assert_array_equal(grads[0], grads[2])
    assert not np.array_equal(grads[0], grads[1])


def test_per_device_batch_list_equals_whole_batch():
    whole, x, y = _batch(0, batch=8)
    one = _module(batch=8)
    one.forward(whole, is_train=False)
    two = _module(batch=8, context=[mx.cpu(0), mx.cpu(1)])
    halves = [mx.io.DataBatch([nd.array(x[:4])], [nd.array(y[:4])]),
              mx.io.DataBatch([nd.array(x[4:])], [nd.array(y[4:])])]
    two.forward(halves, is_train=False)
    np.testing.assert_allclose(two.get_outputs()[0].asnumpy(), one.get_outputs()[0].asnumpy(),
                               rtol=1e-6, atol=1e-7)


def test_predict_and_score_match_forward_with_padding():
    rng = np.random.RandomState(5)
    x = rng.uniform(-1, 1, (10, 5)).astype("float32")
    y = rng.randint(0, 3, 10).astype("float32")
    mod = _module(for_training=False)
    it = mx.io.NDArrayIter(x, y, batch_size=4)
    out = mod.predict(it)
    assert out.shape == (10, 3)
    np.testing.assert_allclose(out.asnumpy(), _reference_output(mod, x), rtol=1e-5, atol=1e-6)
    acc = dict(mod.score(it, "acc"))["accuracy"]
    padded_y = np.concatenate([y, y[:2]])  # the last batch is padded from the start
    padded_p = np.concatenate([out.asnumpy(), out.asnumpy()[:2]]).argmax(axis=1)
    assert acc == pytest.approx(np.mean(padded_p == padded_y))


def test_iterator_batches_are_copies_of_the_source():
    src = nd.arange(12).reshape((6, 2))
    it = mx.io.NDArrayIter(src, batch_size=4)
    b = it.next()
    b.data[0][:] = -1
    np.testing.assert_array_equal(src.asnumpy(), np.arange(12).reshape(6, 2))
    b = it.next()
    np.testing.assert_array_equal(b.data[0].asnumpy(), [[8, 9], [10, 11], [0, 1], [2, 3]])
    assert b.pad == 2


def test_softmax_output_inference_checks_label_shape():
    with pytest.raises(mx.base.MXNetError, match="label"):
        nd.SoftmaxOutput(nd.ones((4, 3)), nd.zeros((3,)))
    out = nd.SoftmaxOutput(nd.array([[1.0, 2.0, 3.0]]), nd.array([0.0]))
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(out.asnumpy(), [e / e.sum()], rtol=1e-6)


@pytest.mark.parametrize("normalization,multi", [("null", False), ("batch", False),
                                                  ("null", True), ("batch", True)])
def test_softmax_output_gradient_common_case(normalization, multi):
    # p - onehot(trunc(label)) * grad_scale / norm; labels outside [0, classes) match no class
    rng = np.random.RandomState(1)
    shape, lshape = ((4, 5, 3), (4, 3)) if multi else ((6, 5), (6,))
    x = rng.uniform(-2, 2, shape).astype("float32")
    label = rng.randint(-2, 7, lshape).astype("float32") + 0.7
    data = nd.array(x)
    data.attach_grad()
    with mx.autograd.record():
        out = nd.SoftmaxOutput(data, nd.array(label), grad_scale=0.5, multi_output=multi,
                               normalization=normalization)
    out.backward()
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    cls = np.trunc(label).astype(int)
    onehot = np.stack([(cls == k) for k in range(5)], axis=1).astype("float32")
    rows, positions = shape[0], (shape[2] if multi else 1)
    divisor = {"null": positions if multi else 1, "batch": rows * positions}[normalization]
    np.testing.assert_allclose(data.grad.asnumpy(), (p - onehot) * 0.5 / divisor,
                               rtol=1e-5, atol=1e-7)


def test_shared_rows_gives_views_only_inside_the_block():
    src = nd.arange(12).reshape((6, 2))
    it = mx.io.NDArrayIter(src, batch_size=2)
    with mx.io.io.shared_rows(it) as shared:
        assert shared
        view = it.next().data[0]
    view[:] = -1  # a view: the source sees it (only loops that never write may ask for views)
    assert src.asnumpy()[:2].tolist() == [[-1, -1], [-1, -1]]
    copy = it.next().data[0]
    copy[:] = -2
    assert src.asnumpy()[2:4].tolist() == [[4, 5], [6, 7]]
    assert not it._share_rows
    with mx.io.io.shared_rows(it, enable=False) as shared:
        assert not shared and not it._share_rows

    class Sub(mx.io.NDArrayIter):
        pass
    with mx.io.io.shared_rows(Sub(src, batch_size=2)) as shared:
        assert not shared  # a subclass may hand its batches elsewhere: left alone


def _fit_once(batch_end_callback=None, metric="acc"):
    rng = np.random.RandomState(7)
    x = rng.uniform(-1, 1, (10, 5)).astype("float32")
    y = rng.randint(0, 3, 10).astype("float32")
    src_x, src_y = nd.array(x), nd.array(y)
    it = mx.io.NDArrayIter(src_x, src_y, batch_size=4)
    mod = mx.mod.Module(_mlp(), context=mx.cpu())
    mx.random.seed(3)
    mod.fit(it, num_epoch=2, optimizer="sgd", eval_metric=metric,
            optimizer_params={"learning_rate": 0.1, "momentum": 0.9},
            initializer=mx.init.Xavier(), batch_end_callback=batch_end_callback)
    np.testing.assert_array_equal(src_x.asnumpy(), x)
    np.testing.assert_array_equal(src_y.asnumpy(), y)
    return mod, it, x


def test_fit_on_shared_rows_equals_fit_on_copies():
    seen = []
    fast, it, x = _fit_once()
    slow, _, _ = _fit_once(batch_end_callback=lambda p: seen.append(p.nbatch))
    assert seen == [0, 1, 2] * 2  # with a callback the batches are copies (they escape)
    fast_args, slow_args = fast.get_params()[0], slow.get_params()[0]
    for name in fast_args:
        np.testing.assert_array_equal(fast_args[name].asnumpy(), slow_args[name].asnumpy())
    # after the loop the bound inputs have their own storage again: writing them leaves the
    # iterator's arrays alone
    exe = fast._exec_group.execs[0]
    exe.arg_dict["data"][:] = 5
    exe.arg_dict["softmax_label"][:] = 1
    np.testing.assert_array_equal(it.data[0][1].asnumpy(), x)
    assert not it._share_rows


def test_fit_with_a_user_metric_still_works():
    class Count(mx.metric.EvalMetric):
        def update(self, labels, preds):
            labels[0][:] = 0  # a metric that writes its labels gets copies
            self.sum_metric += 1
            self.num_inst += 1
    _fit_once(metric=Count("count"))


def test_predict_outputs_stay_valid_and_unmerged_outputs_are_copies():
    rng = np.random.RandomState(5)
    x = rng.uniform(-1, 1, (12, 5)).astype("float32")
    mod = _module(for_training=False)
    it = mx.io.NDArrayIter(x, batch_size=4)
    merged = mod.predict(it)
    np.testing.assert_allclose(merged.asnumpy(), _reference_output(mod, x), rtol=1e-5,
                               atol=1e-6)
    parts = mod.predict(it, merge_batches=False)
    assert len(parts) == 3
    for k, (out,) in enumerate(parts):
        np.testing.assert_allclose(out.asnumpy(), merged.asnumpy()[4 * k:4 * k + 4],
                                   rtol=1e-6)
    parts[0][0][:] = 0  # an unmerged output is the caller's own array
    assert mod.get_outputs()[0].asnumpy().any()
    single = mod.predict(mx.io.NDArrayIter(x[:4], batch_size=4))
    single[:] = 0  # one batch merged is still a copy
    assert mod.get_outputs()[0].asnumpy().any()


@pytest.mark.parametrize("attrs,label_kind", [
    ({}, "hard"), ({"normalization": "batch", "grad_scale": 0.5}, "hard"),
    ({"normalization": "valid", "use_ignore": True, "ignore_label": 1}, "hard"),
    ({"smooth_alpha": 0.1}, "hard"), ({"multi_output": True}, "multi"), ({}, "soft")])
def test_softmax_head_gradient_equals_its_autograd_node(attrs, label_kind):
    # training executors differentiate a SoftmaxOutput head with the op's own rule (no
    # autograd node); a monitored executor still runs the node: the gradients are identical
    rng = np.random.RandomState(2)
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=12 if label_kind == "multi" else 4,
                               name="fc")
    if label_kind == "multi":
        fc = mx.sym.reshape(fc, shape=(0, 4, 3))
    net = mx.sym.SoftmaxOutput(fc, name="softmax", **attrs)
    x = rng.uniform(-1, 1, (6, 5)).astype("float32")
    label = {"hard": rng.randint(0, 4, (6,)), "multi": rng.randint(0, 4, (6, 3)),
             "soft": rng.dirichlet(np.ones(4), 6)}[label_kind].astype("float32")
    w = rng.uniform(-1, 1, (12 if label_kind == "multi" else 4, 5)).astype("float32")
    grads = []
    for monitored in (False, True):
        exe = net.simple_bind(mx.cpu(), data=(6, 5), softmax_label=label.shape,
                              grad_req={"fc_weight": "write", "fc_bias": "write",
                                        "softmax_label": "write"})
        exe.arg_dict["fc_weight"][:] = w
        exe.arg_dict["fc_bias"][:] = 0.1
        if monitored:
            exe.set_monitor_callback(lambda name, arr: None)
        exe.forward(is_train=True, data=x, softmax_label=label)
        assert (exe._loss_saved is None) == monitored  # which path ran
        exe.backward(out_grads=[nd.ones(exe.outputs[0].shape) * 3])  # ignored: out_grad off
        first = {k: v.asnumpy() for k, v in exe.grad_dict.items() if v is not None}
        exe.backward()  # a second backward gives the same gradients
        for k, v in exe.grad_dict.items():
            if v is not None:
                np.testing.assert_array_equal(v.asnumpy(), first[k])
        grads.append((first, exe.outputs[0].asnumpy()))
    (fast, out_fast), (node, out_node) = grads
    np.testing.assert_array_equal(out_fast, out_node)
    assert sorted(fast) == ["fc_bias", "fc_weight", "softmax_label"]
    for k in fast:
        np.testing.assert_array_equal(fast[k], node[k])
    assert not fast["softmax_label"].any()  # the label's gradient is zero, as in MXNet
    assert fast["fc_weight"].any()
