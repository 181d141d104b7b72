"""Fast paths of the training step give what the general paths give (v0.14 speed):
the optimizers' parsed-once multi-weight update calls, the nd door's ``out=`` alias test and
in-place multi-output writes, the gradient hook's inlined adoption."""
import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.ndarray.ndarray import _out_is_input
from mxtorch.optimizer import optimizer as opt_mod


def _arrays(seed, shapes):
    rng = np.random.RandomState(seed)
    return [mx.nd.array(rng.uniform(-1, 1, s).astype("float32")) for s in shapes]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_parsed_update_matches_nd_function(momentum):
    shapes = [(4, 3), (3,), (2, 5)]
    w_fast, w_ref = _arrays(0, shapes), _arrays(0, shapes)
    grads = _arrays(1, shapes)
    m_fast, m_ref = _arrays(2, shapes), _arrays(2, shapes)
    fast = opt_mod._multi_sgd_mom if momentum else opt_mod._multi_sgd
    ref = mx.nd.multi_sgd_mom_update if momentum else mx.nd.multi_sgd_update
    for step, lrs in enumerate([[0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.05, 0.2, 0.3]]):
        kw = dict(num_weights=3, lrs=lrs, wds=[0.0, 0.01, 0.0], rescale_grad=1 / 7)
        if momentum:
            kw["momentum"] = momentum
            fast(*[a for t in zip(w_fast, grads, m_fast) for a in t], out=w_fast, **kw)
            ref(*[a for t in zip(w_ref, grads, m_ref) for a in t], out=w_ref, **kw)
        else:
            fast(*[a for t in zip(w_fast, grads) for a in t], out=w_fast, **kw)
            ref(*[a for t in zip(w_ref, grads) for a in t], out=w_ref, **kw)
        for a, b in zip(w_fast + m_fast, w_ref + m_ref):
            assert np.array_equal(a.asnumpy(), b.asnumpy()), step  # bit for bit
    assert len(fast.parsed) >= 2  # one parse per distinct lrs


def test_parsed_update_falls_back_for_other_arrays():
    w = mx.nd.array([1.0, 2.0]).as_np_ndarray()
    g = mx.nd.array([0.5, 0.5]).as_np_ndarray()
    out = opt_mod._multi_sgd(w, g, out=[w], num_weights=1, lrs=[0.1], wds=[0.0])
    assert np.allclose(w.asnumpy(), [0.95, 1.95])
    assert out is not None


def test_trainer_step_same_numbers_as_single_weight_kernels():
    rng = np.random.RandomState(3)
    x = mx.nd.array(rng.uniform(-1, 1, (8, 5)).astype("float32"))
    nets = []
    for _ in range(2):
        net = mx.gluon.nn.Dense(4, in_units=5)
        net.initialize(mx.init.Constant(0.3))
        nets.append(net)
    tr = mx.gluon.Trainer(nets[0].collect_params(), "sgd", {"learning_rate": 0.1,
                                                             "momentum": 0.9, "wd": 0.01})
    opt = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=1 / 8)
    states = {}
    for _ in range(3):
        for k, net in enumerate(nets):
            with mx.autograd.record():
                loss = (net(x) ** 2).sum()
            loss.backward()
            if k == 0:
                tr.step(8)
                continue
            for i, p in enumerate(net.collect_params().values()):
                if i not in states:
                    states[i] = opt.create_state(i, p.data())
                mx.nd.sgd_mom_update(p.data(), p.grad(), states[i], out=p.data(), lr=0.1,
                                     momentum=0.9, wd=0.01, rescale_grad=1 / 8)
    for a, b in zip(nets[0].collect_params().values(), nets[1].collect_params().values()):
        assert np.array_equal(a.data().asnumpy(), b.data().asnumpy())


def _out_is_input_reference(out, arrays):
    """The rule spelled out: out[k] is first found among the inputs at k * step."""
    if out is arrays[0]:
        return True
    if type(out) not in (list, tuple) or not out or out[0] is not arrays[0]:
        return False
    ids = [id(a) for a in arrays]
    positions = [ids.index(id(o)) if id(o) in ids else -1 for o in out]
    step = positions[1] if len(positions) > 1 else 1
    return step > 0 and positions == list(range(0, step * len(out), step))


def test_out_is_input_rule():
    rng = np.random.RandomState(0)
    pool = [object() for _ in range(6)]
    for _ in range(3000):
        arrays = [pool[i] for i in rng.randint(0, 5, rng.randint(1, 10))]
        step = rng.randint(1, 4)
        if rng.rand() < 0.5:
            out = [arrays[k] for k in range(0, len(arrays), step)]
        else:
            out = [pool[i] for i in rng.randint(0, 6, rng.randint(1, 4))]
            if rng.rand() < 0.5:
                out[0] = arrays[0]
        assert _out_is_input(out, arrays) == _out_is_input_reference(out, arrays)


def test_multi_output_out_written_once():
    w, g, m = mx.nd.array([1.0, 2.0]), mx.nd.array([1.0, 1.0]), mx.nd.zeros((2,))
    other = mx.nd.zeros((2,))
    mx.nd.multi_sgd_mom_update(w, g, m, out=[other], num_weights=1, lrs=[0.5], wds=[0.0],
                               momentum=0.9)
    assert np.allclose(other.asnumpy(), [0.5, 1.5]) and np.allclose(w.asnumpy(), [1.0, 2.0])


@pytest.mark.parametrize("req", ["write", "add"])
def test_gradient_hook_buffers(req):
    x = mx.nd.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad(grad_req=req)
    for _ in range(2):
        with mx.autograd.record():
            y = (x * x).sum()
        y.backward()
    want = 2 * x.asnumpy() * (2 if req == "add" else 1)
    assert np.array_equal(x.grad.asnumpy(), want)


def test_gradient_hook_keeps_buffer_identity_for_views():
    buf = mx.nd.zeros((4, 2))
    x = mx.nd.ones((2, 2))
    mx.autograd.mark_variables([x], [buf[1:3]])  # a view buffer is copied into, not replaced
    with mx.autograd.record():
        y = (x * 3).sum()
    y.backward()
    assert np.array_equal(buf.asnumpy(), [[0, 0], [3, 3], [3, 3], [0, 0]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("axis", [-1, 1])
def test_softmax_ce_imperative_shortcut_is_the_general_formula(dtype, axis):
    # (N, C) imperative losses skip the batch mean over one picked entry: same bits
    rng = np.random.RandomState(0)
    pred = mx.nd.array(rng.randn(16, 7) * 5, dtype=dtype)
    label = mx.nd.array(rng.randint(-2, 9, 16))  # out-of-range labels are clipped by pick
    ref_pred = pred.copy()
    pred.attach_grad()
    ref_pred.attach_grad()
    with mx.autograd.record():
        got = mx.gluon.loss.SoftmaxCrossEntropyLoss(axis=axis)(pred, label)
    got.backward()
    with mx.autograd.record():
        logp = mx.nd.log_softmax(ref_pred, axis=axis)
        want = mx.nd.mean(-mx.nd.pick(logp, label, axis=axis, keepdims=True), axis=0,
                          exclude=True)
    want.backward()
    assert got.shape == want.shape == (16,) and got.dtype == want.dtype
    assert np.array_equal(got.asnumpy(), want.asnumpy())
    assert np.array_equal(pred.grad.asnumpy(), ref_pred.grad.asnumpy())
