"""The essence of the seed documentation pages' examples, without MXNet.

Values were captured from MXNet 1.9.1 (``tools/seed_examples.py`` runs the full pages on both
interpreters).  Inputs are the deterministic sine pattern that tool uses instead of random data.
"""
from collections import namedtuple

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon, nd
from mxtorch.gluon import nn


def _det(shape, scale=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 + 0.3) * scale).reshape(shape).astype('float32')


PRED = nd.array(_det((4, 5)))
TARGET = nd.array(_det((4, 5), 0.5)[::-1].copy())


# ---- gluon.loss page: one call per listed loss (oracle values, float32: rtol 1e-5) --------------
@pytest.mark.parametrize('make, args, expected', [
    (lambda: gluon.loss.L2Loss(weight=2.0),
     lambda: (PRED, TARGET, nd.array([[1.0], [0.5], [0.0], [2.0]])),
     [0.8074509501457214, 0.5257676839828491, 0.0, 1.7545802593231201]),
    (lambda: gluon.loss.SoftmaxCrossEntropyLoss(), lambda: (PRED, nd.array([0, 3, 1, 4])),
     [1.9416418075561523, 1.593386173248291, 1.154349446296692, 0.7970050573348999]),
    (lambda: gluon.loss.CTCLoss(),
     lambda: (nd.array(_det((2, 6, 4))), nd.array([[0, 1, 2], [1, -1, -1]])),
     [4.669737815856934, 4.994943141937256]),
    (lambda: gluon.loss.SDMLLoss(), lambda: (PRED, TARGET),
     [2.4628686904907227, 3.3052258491516113, 3.3754355907440186, 2.6640396118164062]),
    (lambda: gluon.loss.PoissonNLLLoss(from_logits=False, compute_full=True),
     lambda: (PRED.abs(), TARGET.abs() * 4), [1.8093764781951904]),
])
@pytest.mark.parametrize('hybrid', [False, True])
def test_loss_page_values(make, args, expected, hybrid):
    loss = make()
    if hybrid:
        loss.hybridize()
    np.testing.assert_allclose(loss(*args()).asnumpy(), expected, rtol=1e-5, atol=1e-6)


# ---- Module page: forward with a label-less namedtuple batch, reshaping on a new shape ---------
def test_module_forward_namedtuple_batch_without_label():
    batch = namedtuple('Batch', ['data'])
    mod = mx.mod.Module(symbol=mx.sym.Variable('data') * 2, label_names=None)
    mod.bind(data_shapes=[('data', (1, 10))])
    mod.init_params()
    mod.forward(batch([mx.nd.ones((1, 10))]))
    out = mod.get_outputs()[0]
    assert out.shape == (1, 10) and out.asnumpy().sum() == 20.0      # oracle: (1, 10), all 2
    mod.forward(batch([mx.nd.ones((3, 5))]))
    out = mod.get_outputs()[0]
    assert out.shape == (3, 5) and out.asnumpy().sum() == 30.0       # oracle: (3, 5), all 2


def test_module_input_grads_need_inputs_need_grad_assertion():
    mod = mx.mod.Module(symbol=mx.sym.Variable('data') * 2, label_names=None)
    mod.bind(data_shapes=[('data', (1, 10))])
    mod.init_params()
    # MXNet 1.9.1 raises a bare AssertionError here
    with pytest.raises(AssertionError, match='inputs_need_grad=True'):
        mod.get_input_grads()


def test_module_backward_update_without_gradients_is_a_no_op():
    # oracle: backward() and update() succeed, get_params() is ({}, {})
    mod = mx.mod.Module(symbol=mx.sym.Variable('data') * 2, label_names=None)
    mod.bind(data_shapes=[('data', (4, 10))])
    mod.init_params()
    mod.forward(mx.io.DataBatch([mx.nd.ones((4, 10))]), is_train=True)
    mod.init_optimizer(optimizer='sgd', optimizer_params=(('learning_rate', 0.01),))
    mod.backward()
    mod.update()
    assert mod.get_params() == ({}, {})


# ---- 2.x-style Gluon API documented on the 2.x loss page --------------------------------------
class _Net(gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.fc = nn.Dense(3, in_units=4)

    def forward(self, x):
        return self.fc(x) * 2


def _net():
    net = _Net()
    net.initialize(device=mx.cpu())
    return net


def test_2x_forward_hybridize_and_loss_forward():
    net, x = _net(), nd.ones((2, 4))
    eager = net(x).asnumpy()
    net.hybridize()
    np.testing.assert_allclose(net(x).asnumpy(), eager, rtol=1e-6)
    np.testing.assert_allclose(gluon.loss.L2Loss().forward(x, x * 0).asnumpy(), [0.5, 0.5])


def test_2x_zero_grad_setattr_reset_device():
    net, x = _net(), nd.ones((2, 4))
    with autograd.record():
        loss = gluon.loss.L2Loss()(net(x), nd.zeros((2, 3)))
    loss.backward()
    assert net.fc.weight.grad().abs().sum().asscalar() > 0
    net.zero_grad()
    assert net.fc.weight.grad().abs().sum().asscalar() == 0
    net.setattr('lr_mult', 0.5)
    assert net.fc.weight.lr_mult == 0.5 and net.fc.bias.lr_mult == 0.5
    net.setattr('grad_req', 'null')
    assert net.fc.weight.grad_req == 'null'
    net.reset_device(mx.cpu(0))
    assert net.fc.weight.list_ctx() == [mx.cpu(0)]


def test_2x_save_load_and_share_parameters(tmp_path):
    net, x = _net(), nd.ones((2, 4))
    prefix = str(tmp_path / 'm')
    net.save(prefix)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m-model.json', 'm-model.params']
    other = _Net()
    other.load(prefix)
    np.testing.assert_allclose(other(x).asnumpy(), net(x).asnumpy(), rtol=1e-6)
    dense0, dense1 = nn.Dense(20), nn.Dense(20)
    assert dense1.share_parameters(dense0.collect_params()) is dense1
    assert dense1.weight is dense0.weight and dense1.bias is dense0.bias
    dense0.initialize()
    np.testing.assert_array_equal(dense0(x).asnumpy(), dense1(x).asnumpy())


def test_2x_load_dict_accepts_collect_params_keys():
    # the natural source of a param_dict is another (or the same) block's collect_params()
    def make():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(3, in_units=4))
        return net
    src, dst, x = make(), make(), nd.ones((2, 4))
    src.initialize()
    dst.load_dict({k[len(src.prefix):]: v.data() for k, v in src.collect_params().items()})
    np.testing.assert_array_equal(dst(x).asnumpy(), src(x).asnumpy())
    src.load_dict({k: v.data() * 2 for k, v in src.collect_params().items()}, device=mx.cpu())
    np.testing.assert_array_equal(src(x).asnumpy(), dst(x).asnumpy() * 2)


def test_2x_export_returns_files_or_symbol_and_params(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=4))
    net.initialize()
    net.hybridize()
    net(nd.ones((2, 4)))
    sym, params = net.export(None)          # 2.x: nothing written
    assert list(tmp_path.iterdir()) == []
    assert all(k.startswith('arg:') for k in params)
    assert set(sym.list_arguments()) == {'data'} | {k[4:] for k in params}
    assert net.export('m', epoch=2) == ('m-symbol.json', 'm-0002.params')
    back = gluon.SymbolBlock.imports('m-symbol.json', ['data'], 'm-0002.params')
    np.testing.assert_array_equal(back(nd.ones((2, 4))).asnumpy(), net(nd.ones((2, 4))).asnumpy())
