"""d2l-style training written with mx.np / mx.npx and autograd (no Gluon): a softmax
regression and a small CNN learn synthetic data (the loss must fall clearly)."""
import numpy as onp

import mxtorch as mx
from mxtorch import autograd, np, npx


def _data(n=256, classes=3, dim=8, seed=0):
    rng = onp.random.RandomState(seed)
    centers = rng.normal(0, 3, (classes, dim))
    y = rng.randint(0, classes, n)
    x = centers[y] + rng.normal(0, 1, (n, dim))
    return np.array(x.astype("float32")), np.array(y, dtype="int32")


def _cross_entropy(y_hat, y):
    return -np.log(npx.pick(y_hat, y) + 1e-9)


def test_softmax_regression():
    npx.set_np()
    try:
        X, y = _data()
        W = np.random.normal(0, 0.01, size=(8, 3))
        b = np.zeros(3)
        W.attach_grad()
        b.attach_grad()
        losses = []
        for epoch in range(20):
            for i in range(0, 256, 32):
                xb, yb = X[i:i + 32], y[i:i + 32]
                with autograd.record():
                    loss = _cross_entropy(npx.softmax(np.dot(xb, W) + b), yb)
                loss.backward()
                for p in (W, b):
                    p[:] = p - 0.1 * p.grad / 32
            losses.append(float(_cross_entropy(npx.softmax(np.dot(X, W) + b), y).mean()))
        acc = float((np.argmax(np.dot(X, W) + b, axis=1) == y.astype("int64")).mean())
        assert losses[-1] < 0.5 * losses[0] and acc > 0.9
    finally:
        npx.reset_np()


def test_small_cnn():
    npx.set_np()
    try:
        rng = onp.random.RandomState(0)
        y = rng.randint(0, 2, 64)
        x = rng.normal(0, 1, (64, 1, 8, 8)).astype("float32")
        x[y == 1, :, 2:6, 2:6] += 2.0  # class 1 has a bright square
        X, Y = np.array(x), np.array(y, dtype="int32")
        params = {
            "w1": np.random.normal(0, 0.3, size=(4, 1, 3, 3)), "b1": np.zeros(4),
            "w2": np.random.normal(0, 0.3, size=(2, 36)), "b2": np.zeros(2),
        }
        for p in params.values():
            p.attach_grad()

        def net(data):
            h = npx.convolution(data, params["w1"], params["b1"], kernel=(3, 3), num_filter=4)
            h = npx.relu(h)
            h = npx.pooling(h, kernel=(2, 2), stride=(2, 2), pool_type="max")
            return npx.fully_connected(h, params["w2"], params["b2"], num_hidden=2)

        first = last = None
        for step in range(30):
            with autograd.record():
                loss = -npx.pick(npx.log_softmax(net(X)), Y).mean()
            loss.backward()
            for p in params.values():
                p -= 0.2 * p.grad
            value = float(loss)
            first = value if first is None else first
            last = value
        assert last < 0.5 * first
        assert type(net(X)) is np.ndarray
    finally:
        npx.reset_np()
