"""Loss functions trained to convergence in the style of MXNet's test_loss.py (own code):
a gluon loss wrapped in make_loss, trained with Module.fit on a small synthetic task; the
final score must fall under a threshold, as MXNet's tests check."""
import numpy as np

import mxnet as mx
from mxnet import gluon
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main


def _net(num_hidden, flatten=True):
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, name="fc1", num_hidden=10, flatten=flatten)
    act = mx.sym.Activation(fc1, name="relu1", act_type="relu")
    return mx.sym.FullyConnected(act, name="fc2", num_hidden=num_hidden, flatten=flatten)


def _fit(loss_sym, data, label, label_name="label", epochs=20, lr=0.01, batch=10):
    it = mx.io.NDArrayIter(data, label, batch_size=batch, label_name=label_name, shuffle=True)
    mod = mx.mod.Module(loss_sym, data_names=("data",), label_names=(label_name,))
    mod.fit(it, num_epoch=epochs, optimizer_params={"learning_rate": lr},
            initializer=mx.init.Xavier(magnitude=2), eval_metric=mx.metric.Loss(),
            optimizer="adam")
    return mod.score(it, mx.metric.Loss())[0][1]


@with_seed(1234)
def test_softmax_ce_loss_trains():
    n = 300
    data = mx.nd.random.uniform(-1, 1, shape=(n, 10))
    label = mx.nd.array(np.random.randint(0, 5, size=(n,)), dtype="int32").astype("float32")
    weight = mx.nd.random.normal(shape=(10, 5))
    label = mx.nd.argmax(mx.nd.dot(data, weight), axis=1)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()(_net(5), mx.sym.var("label"))
    assert _fit(mx.sym.make_loss(loss), data, label, epochs=40) < 0.2


@with_seed(1234)
def test_bce_loss_trains():
    n = 300
    data = mx.nd.random.uniform(-1, 1, shape=(n, 20))
    weight = mx.nd.random.normal(shape=(20, 1))
    label = (mx.nd.dot(data, weight) > 0).reshape((n, 1))
    loss = gluon.loss.SigmoidBinaryCrossEntropyLoss()(_net(1), mx.sym.var("label"))
    assert _fit(mx.sym.make_loss(loss), data, label, epochs=40) < 0.1


@with_seed(1234)
def test_l2_and_l1_loss_train():
    n = 300
    data = mx.nd.random.uniform(-1, 1, shape=(n, 5))
    label = mx.nd.sum(data, axis=1, keepdims=True)
    for loss_cls, limit in ((gluon.loss.L2Loss, 0.05), (gluon.loss.L1Loss, 0.2),
                            (gluon.loss.HuberLoss, 0.05)):
        loss = loss_cls()(_net(1), mx.sym.var("label"))
        assert _fit(mx.sym.make_loss(loss), data, label, epochs=60) < limit, loss_cls.__name__


@with_seed(1234)
def test_kl_loss_trains():
    n = 300
    data = mx.nd.random.uniform(-1, 1, shape=(n, 10))
    target = mx.nd.softmax(mx.nd.dot(data, mx.nd.random.normal(shape=(10, 4))))
    output = mx.sym.log_softmax(_net(4))
    loss = gluon.loss.KLDivLoss()(output, mx.sym.var("label"))
    assert _fit(mx.sym.make_loss(loss), data, target, epochs=40) < 0.05


@with_seed(1234)
def test_hinge_losses_train():
    n = 300
    data = mx.nd.random.uniform(-1, 1, shape=(n, 10))
    label = mx.nd.sign(mx.nd.dot(data, mx.nd.random.normal(shape=(10, 1)))).reshape((n, 1))
    for loss_cls in (gluon.loss.HingeLoss, gluon.loss.SquaredHingeLoss, gluon.loss.LogisticLoss):
        loss = loss_cls()(_net(1), mx.sym.var("label"))
        assert _fit(mx.sym.make_loss(loss), data, label, epochs=40) < 0.25, loss_cls.__name__


@with_seed(1234)
def test_ctc_loss_trains():
    n = 100
    data = mx.nd.random.uniform(-1, 1, shape=(n, 20, 8))
    label = mx.nd.array(np.random.randint(1, 4, size=(n, 3)))
    net = _net(5, flatten=False)
    loss = gluon.loss.CTCLoss(layout="NTC", label_layout="NT")(net, mx.sym.var("label"))
    score = _fit(mx.sym.make_loss(loss), data, label, epochs=30, lr=0.02)
    assert np.isfinite(score) and score < 8


@with_seed(1234)
def test_gluon_trainer_with_losses_decreases():
    for loss_fn in (gluon.loss.L2Loss(), gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False),
                    gluon.loss.CosineEmbeddingLoss(), gluon.loss.PoissonNLLLoss()):
        net = gluon.nn.Dense(3, in_units=4)
        net.initialize(mx.init.Xavier())
        trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.05})
        x = mx.nd.random.uniform(shape=(16, 4))
        y = mx.nd.softmax(mx.nd.random.uniform(shape=(16, 3)))
        losses = []
        for _ in range(30):
            with mx.autograd.record():
                out = net(x)
                if isinstance(loss_fn, gluon.loss.CosineEmbeddingLoss):
                    loss = loss_fn(out, y, mx.nd.ones((16,)))
                elif isinstance(loss_fn, gluon.loss.PoissonNLLLoss):
                    loss = loss_fn(out, y * 3)
                else:
                    loss = loss_fn(out, y)
            loss.backward()
            trainer.step(16)
            losses.append(float(loss.mean().asscalar()))
        assert losses[-1] < losses[0], (type(loss_fn).__name__, losses[0], losses[-1])


main(globals())
