"""mx.contrib: SVRGModule (Johnson & Zhang 2013), the contrib autograd names, DataLoaderIter
and the nd/sym aliases."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.contrib.svrg_optimization.svrg_module import SVRGModule


def linear_regression(n=40, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 3).astype("float32")
    y = (x @ np.array([1.5, -2.0, 0.5], "float32") + 0.3).astype("float32")
    data = mx.sym.var("data")
    out = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected(data, num_hidden=1, name="fc"),
                                        name="lin")
    it = mx.io.NDArrayIter(x, y, batch_size=10, label_name="lin_label")
    return out, it, x, y


def test_first_step_after_snapshot_is_a_full_gradient_step():
    sym, it, x, y = linear_regression()
    mod = SVRGModule(sym, label_names=["lin_label"], update_freq=2)
    mod.bind(it.provide_data, it.provide_label)
    mod.init_params(mx.init.Zero())
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    mod.update_full_grads(it)
    # the full gradient of the summed squared error over 4 batches, averaged per batch
    w0, b0 = np.zeros((1, 3), "float32"), 0.0
    resid = (x @ w0.T).ravel() + b0 - y
    mu_w = (resid[:, None] * x).sum(0) / 4
    mu_b = resid.sum() / 4
    it.reset()
    mod.forward_backward(next(iter(it)))
    mod.update()
    args, _ = mod.get_params()
    # rescale_grad = 1/batch_size; w == w~ so the batch terms cancel exactly
    np.testing.assert_allclose(args["fc_weight"].asnumpy().ravel(), -0.1 * mu_w / 10,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(args["fc_bias"].asnumpy(), [-0.1 * mu_b / 10], rtol=1e-5)


def test_svrg_fit_converges_and_checks_update_freq():
    sym, it, x, y = linear_regression()
    mod = SVRGModule(sym, label_names=["lin_label"], update_freq=2)
    mod.fit(it, num_epoch=30, eval_metric="mse", initializer=mx.init.Zero(),
            optimizer="sgd", optimizer_params={"learning_rate": 0.5})
    (name, mse), = mod.score(it, "mse")
    assert mse < 1e-3
    for bad in (0, -1, 1.5, None):
        with pytest.raises(ValueError, match="positive integer"):
            SVRGModule(sym, label_names=["lin_label"], update_freq=bad)


def test_contrib_autograd_and_aliases():
    from mxtorch.contrib import autograd as cag

    def f(a, b):
        return (a * b).sum()
    a, b = mx.nd.array([1.0, 2.0]), mx.nd.array([3.0, 4.0])
    grads, loss = cag.grad_and_loss(f)(a, b)
    np.testing.assert_allclose(grads[0].asnumpy(), [3, 4])
    np.testing.assert_allclose(grads[1].asnumpy(), [1, 2])
    assert float(loss.asscalar()) == 11.0
    assert mx.contrib.nd.MultiBoxPrior is mx.nd.contrib.MultiBoxPrior


def test_dataloader_iter_pads_last_batch():
    from mxtorch.contrib.io import DataLoaderIter
    ds = mx.gluon.data.ArrayDataset(np.arange(10, dtype="float32").reshape(5, 2),
                                    np.arange(5, dtype="float32"))
    it = DataLoaderIter(mx.gluon.data.DataLoader(ds, batch_size=2))
    batches = list(it)
    assert len(batches) == 3 and batches[-1].pad == 1
    assert batches[-1].data[0].shape == (2, 2)
