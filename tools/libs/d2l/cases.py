"""Cases for tools/libs/d2l/drive.py: d2l's MXNet API and the book's chapter-style snippets.

Imported by drive.py in one interpreter (MXNet oracle or mxtorch); see drive.py for how to run.
Every case returns plain values (numpy arrays, floats, strings, lists, dicts) to be compared.
"""
import contextlib
import hashlib
import io
import math
import os
import random
import re
import zipfile

import numpy as onp
from d2l import mxnet as d2l
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn, rnn

npx.set_np()
CASES = {}
_STATE = {'rs': onp.random.RandomState(0)}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Det(init.Initializer):
    """Deterministic initializer: uniform Xavier-like draws from one numpy RandomState."""

    def _init_weight(self, name, arr):
        shape = arr.shape
        fan = (shape[0] + int(onp.prod(shape[1:]))) if len(shape) > 1 else 20
        a = math.sqrt(6.0 / fan)
        arr[:] = _STATE['rs'].uniform(-a, a, size=shape).astype(arr.dtype)

    _init_default = _init_weight


class _Init:
    """Stands in for ``d2l.init``: every initializer d2l creates becomes ``Det``."""

    def __getattr__(self, name):
        return lambda *a, **k: Det()


d2l.init = _Init()


def rs(seed=0):
    return onp.random.RandomState(seed)


def arr(a, dtype='float32'):
    return np.array(onp.asarray(a, dtype=dtype))


def conv(x):
    if hasattr(x, 'asnumpy'):
        return x.asnumpy()
    if isinstance(x, (list, tuple)):
        return [conv(v) for v in x]
    if isinstance(x, dict):
        return {str(k): conv(v) for k, v in x.items()}
    if isinstance(x, (onp.floating, onp.integer)):
        return x.item()
    return x


def run_case(fn):
    _STATE['rs'] = onp.random.RandomState(1234)
    random.seed(0)
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            out = fn()
    finally:
        d2l.plt.close('all')
    out = conv(out)
    if isinstance(out, dict):
        out.setdefault('stdout_numbers', _numbers(buf.getvalue()))
    return out


def _numbers(text):
    """Loss/accuracy/perplexity figures printed by d2l (timings dropped)."""
    keep = []
    for m in re.finditer(r'(loss|acc|perplexity|x1|x2|RMSE)[:\s]+(-?[\d.]+(?:e-?\d+)?)', text):
        keep.append((m.group(1), float(m.group(2).rstrip('.'))))
    return keep


def register(name, path):
    """Put a fabricated file into d2l's cache (../data) under DATA_HUB[name]."""
    with open(path, 'rb') as f:
        sha = hashlib.sha1(f.read()).hexdigest()
    d2l.DATA_HUB[name] = (d2l.DATA_URL + os.path.basename(path), sha)


def blobs(n, dim=20, classes=10, seed=0, scale=3.0):
    centers = rs(99).normal(0, scale, (classes, dim))   # one set of classes for every split
    r = rs(seed)
    y = r.randint(0, classes, n)
    X = centers[y] + r.normal(0, 1, (n, dim))
    return arr(X), arr(y, 'int32')


def params_of(net):
    return [p.data() for p in net.collect_params().values()]


# ----------------------------------------------------------------------------------------- ch2
@case
def ndarray_basics():
    x = np.arange(12)
    X = x.reshape(3, 4)
    Y = np.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    out = {'x': x, 'size': x.size, 'shape': list(X.shape), 'dtype': str(x.dtype),
           'zeros': np.zeros((2, 3, 4)), 'ones': np.ones((2, 3)),
           'cat0': np.concatenate([X, Y], axis=0), 'cat1': np.concatenate([X, Y], axis=1),
           'eq': X == Y, 'sum': X.sum(), 'exp': np.exp(np.array([1.0, 2, 4, 8])),
           'pow': np.array([1.0, 2, 4, 8]) ** np.array([2, 2, 2, 2])}
    a = np.arange(3).reshape(3, 1)
    b = np.arange(2).reshape(1, 2)
    out['bcast'] = a + b
    out['last'] = X[-1]
    out['rows'] = X[1:3]
    X[1, 2] = 9
    X[0:2, :] = 12
    out['assigned'] = X
    Z = np.zeros_like(Y)
    before = id(Z)
    Z[:] = X + Y
    out['same_id'] = id(Z) == before
    before = id(X)
    X += Y
    out['iadd_same'] = id(X) == before
    A = X.asnumpy()
    B = np.array(A)
    out['roundtrip'] = B
    out['types'] = [type(A).__name__, type(B).__name__.split('.')[-1]]
    s = np.array([3.5])
    out['scalars'] = [s.item(), float(s), int(s)]
    out['len'] = len(x)
    out['T'] = X.T
    out['norms'] = [np.linalg.norm(np.array([3.0, -4.0])), np.abs(np.array([3.0, -4.0])).sum()]
    out['mean_axis'] = X.mean(axis=0)
    out['cumsum'] = X.cumsum(axis=0)
    out['dot'] = np.dot(np.arange(4.0), np.ones(4))
    out['mv'] = np.dot(np.arange(20.0).reshape(5, 4), np.arange(4.0))
    out['keepdims'] = X / X.sum(axis=1, keepdims=True)
    return out


@case
def autograd_basics():
    x = np.arange(4.0)
    x.attach_grad()
    out = {'grad0': x.grad}
    with autograd.record():
        y = 2 * np.dot(x, x)
    y.backward()
    out['grad_dot'] = x.grad
    with autograd.record():
        y = x.sum()
    y.backward()
    out['grad_sum'] = x.grad
    with autograd.record():
        y = x * x
    y.backward()
    out['grad_vec'] = x.grad
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    out['grad_detach'] = x.grad

    def f(a):
        b = a * 2
        while np.linalg.norm(b) < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    a = np.array(0.3743)
    a.attach_grad()
    with autograd.record():
        d = f(a)
    d.backward()
    out['ctrl'] = [a.grad, d / a]
    out['is_training'] = [autograd.is_training(), autograd.is_recording()]
    with autograd.record():
        out['in_record'] = [autograd.is_training(), autograd.is_recording()]
    return out


# ----------------------------------------------------------------------------------------- ch3
def _lin_data(n=200, seed=0):
    r = rs(seed)
    true_w, true_b = onp.array([2, -3.4]), 4.2
    X = r.normal(0, 1, (n, 2))
    y = X @ true_w + true_b + r.normal(0, 0.01, n)
    return arr(X), arr(y.reshape(-1, 1))


@case
def linreg_scratch():
    features, labels = d2l.synthetic_data(np.array([2, -3.4]), 4.2, 50)
    out = {'synthetic_shapes': [list(features.shape), list(labels.shape)]}
    features, labels = _lin_data()

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = np.array(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    r = rs(1)
    w = arr(r.normal(0, 0.01, (2, 1)))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()
    losses = []
    for _ in range(3):
        for X, y in data_iter(10, features, labels):
            with autograd.record():
                l = d2l.squared_loss(d2l.linreg(X, w, b), y)
            l.backward()
            d2l.sgd([w, b], 0.03, 10)
        losses.append(float(d2l.squared_loss(d2l.linreg(features, w, b), labels).mean()))
    out.update(w=w, b=b, losses=losses)
    return out


@case
def linreg_concise():
    features, labels = _lin_data()
    shuffled = d2l.load_array((features, labels), 10)
    seen = onp.concatenate([X.asnumpy() for X, _ in shuffled])
    out = {'shuffled_set': onp.sort(seen, axis=0), 'nbatch': len(shuffled)}
    data_iter = d2l.load_array((features, labels), 10, is_train=False)
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(Det())
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})
    for _ in range(3):
        for X, y in data_iter:
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(10)
    out['w'] = net[0].weight.data()
    out['b'] = net[0].bias.data()
    out['final'] = loss(net(features), labels).mean()
    out['grad'] = net[0].weight.grad()
    return out


@case
def softmax_scratch():
    Xtr, ytr = blobs(300)
    Xte, yte = blobs(100, seed=1)
    train_iter = d2l.load_array((Xtr, ytr), 50, is_train=False)
    test_iter = d2l.load_array((Xte, yte), 50, is_train=False)
    r = rs(2)
    W = arr(r.normal(0, 0.01, (20, 10)))
    b = np.zeros(10)
    W.attach_grad()
    b.attach_grad()

    def softmax(X):
        X_exp = np.exp(X)
        return X_exp / X_exp.sum(1, keepdims=True)

    def net(X):
        return softmax(np.dot(X.reshape((-1, W.shape[0])), W) + b)

    def cross_entropy(y_hat, y):
        return -np.log(y_hat[range(len(y_hat)), y])

    y = np.array([0, 2])
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    out = {'pick': y_hat[[0, 1], y], 'ce': cross_entropy(y_hat, y),
           'acc': d2l.accuracy(y_hat, y) / len(y)}
    out['eval0'] = d2l.evaluate_accuracy(net, test_iter)
    metrics = []
    for _ in range(3):
        metrics.append(d2l.train_epoch_ch3(
            net, train_iter, cross_entropy, lambda bs: d2l.sgd([W, b], 0.1, bs)))
    out.update(metrics=metrics, W=W, b=b, eval=d2l.evaluate_accuracy(net, test_iter))
    return out


@case
def softmax_concise_train_ch3():
    Xtr, ytr = blobs(400)
    Xte, yte = blobs(100, seed=1)
    train_iter = d2l.load_array((Xtr, ytr), 50, is_train=False)
    test_iter = d2l.load_array((Xte, yte), 50, is_train=False)
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.initialize(Det())
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    d2l.train_ch3(net, train_iter, test_iter, loss, 3, trainer)
    out = {'params': params_of(net), 'acc': d2l.evaluate_accuracy(net, test_iter),
           'eval_loss': d2l.evaluate_loss(net, test_iter, loss)}
    out['labels'] = d2l.get_fashion_mnist_labels(ytr[:6])
    return out


@case
def mlp_dropout():
    Xtr, ytr = blobs(200)

    def dropout_layer(X, dropout):
        assert 0 <= dropout <= 1
        if dropout == 1:
            return np.zeros_like(X)
        if dropout == 0:
            return X
        mask = np.random.uniform(0, 1, X.shape) > dropout
        return mask.astype(np.float32) * X / (1.0 - dropout)

    X = np.arange(16).reshape(2, 8)
    half = dropout_layer(X, 0.5).asnumpy()
    out = {'d0': dropout_layer(X, 0), 'd1': dropout_layer(X, 1),
           'dhalf_ok': bool(onp.all((half == 0) | (half == 2 * X.asnumpy())))}
    net = nn.Sequential()
    net.add(nn.Dense(64, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
    net.initialize(Det())
    out['predict'] = net(Xtr[:4])
    with autograd.record():
        y = net(Xtr[:4])
    out['train_shape'] = list(y.shape)
    drop = nn.Dropout(0.5)
    ones = np.ones((200, 50))
    with autograd.record():
        d = drop(ones).asnumpy()
    out['drop_values'] = sorted(set(d.ravel().tolist()))
    out['drop_frac_ok'] = bool(0.4 < (d == 0).mean() < 0.6)
    net2 = nn.Sequential()
    net2.add(nn.Dense(32, activation='relu'), nn.Dense(10))
    net2.initialize(Det())
    trainer = gluon.Trainer(net2.collect_params(), 'sgd', {'learning_rate': 0.1})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    it = d2l.load_array((Xtr, ytr), 50, is_train=False)
    out['epoch'] = d2l.train_epoch_ch3(net2, it, loss, trainer)
    out['npx_relu'] = npx.relu(np.array([-1.0, 2.0]))
    out['npx_sigmoid'] = npx.sigmoid(np.array([-1.0, 2.0]))
    return out


@case
def weight_decay():
    r = rs(3)
    n_train, num_inputs = 20, 50
    true_w, true_b = onp.ones((num_inputs, 1)) * 0.01, 0.05
    X = r.normal(0, 1, (n_train + 100, num_inputs))
    y = X @ true_w + true_b + r.normal(0, 0.01, (n_train + 100, 1))
    X, y = arr(X), arr(y)
    train_iter = d2l.load_array((X[:n_train], y[:n_train]), 5, is_train=False)
    test_iter = d2l.load_array((X[n_train:], y[n_train:]), 5, is_train=False)

    def l2_penalty(w):
        return (w ** 2).sum() / 2

    w = arr(r.normal(0, 1, (num_inputs, 1)))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()
    net, loss = (lambda X: d2l.linreg(X, w, b)), d2l.squared_loss
    for _ in range(5):
        for Xb, yb in train_iter:
            with autograd.record():
                l = loss(net(Xb), yb) + 3 * l2_penalty(w)
            l.backward()
            d2l.sgd([w, b], 0.003, 5)
    out = {'scratch_w_norm': np.linalg.norm(w), 'scratch_test': d2l.evaluate_loss(net, test_iter, loss)}
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(Det())
    loss = gluon.loss.L2Loss()
    net.collect_params('.*bias').setattr('wd_mult', 0)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.003, 'wd': 3})
    for _ in range(5):
        for Xb, yb in train_iter:
            with autograd.record():
                l = loss(net(Xb), yb)
            l.backward()
            trainer.step(5)
    out.update(concise_w=net[0].weight.data(), concise_b=net[0].bias.data(),
               concise_test=d2l.evaluate_loss(net, test_iter, loss))
    return out


# ----------------------------------------------------------------------------------------- ch5
class CenteredLayer(nn.Block):
    def forward(self, X):
        return X - X.mean()


class MyDense(nn.Block):
    def __init__(self, units, in_units, **kwargs):
        super().__init__(**kwargs)
        self.weight = self.params.get('weight', shape=(in_units, units))
        self.bias = self.params.get('bias', shape=(units,))

    def forward(self, x):
        linear = np.dot(x, self.weight.data(ctx=x.ctx)) + self.bias.data(ctx=x.ctx)
        return npx.relu(linear)


class FixedHiddenMLP(nn.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rand_weight = self.params.get_constant(
            'rand_weight', arr(rs(5).uniform(size=(20, 20))))
        self.dense = nn.Dense(20, activation='relu')

    def forward(self, X):
        X = self.dense(X)
        X = npx.relu(np.dot(X, self.rand_weight.data()) + 1)
        X = self.dense(X)
        while np.abs(X).sum() > 1:
            X /= 2
        return X.sum()


class MySequential(nn.Block):
    def add(self, block):
        self._children[block.name] = block

    def forward(self, X):
        for block in self._children.values():
            X = block(X)
        return X


class NestMLP(nn.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.net = nn.Sequential()
        self.net.add(nn.Dense(64, activation='relu'), nn.Dense(32, activation='relu'))
        self.dense = nn.Dense(16, activation='relu')

    def forward(self, X):
        return self.dense(self.net(X))


@case
def custom_blocks():
    X = arr(rs(4).uniform(size=(2, 20)))
    out = {'centered': CenteredLayer()(np.array([1.0, 2, 3, 4, 5]))}
    net = nn.Sequential()
    net.add(nn.Dense(128), CenteredLayer())
    net.initialize(Det())
    out['centered_mean'] = abs(float(net(X).mean())) < 1e-6
    dense = MyDense(units=3, in_units=5)
    out['mydense_params'] = sorted(k.split('_', 1)[-1] for k in dense.params.keys())
    dense.initialize(Det())
    out['mydense'] = dense(arr(rs(4).uniform(size=(2, 5))))
    net = nn.Sequential()
    net.add(MyDense(8, in_units=64), MyDense(1, in_units=8))
    net.initialize(Det())
    out['mydense_net'] = net(arr(rs(4).uniform(size=(2, 64))))
    fixed = FixedHiddenMLP()
    fixed.initialize(Det())
    out['fixed'] = fixed(X)
    seq = MySequential()
    seq.add(nn.Dense(256, activation='relu'))
    seq.add(nn.Dense(10))
    seq.initialize(Det())
    out['myseq'] = seq(X)
    chimera = nn.Sequential()
    chimera.add(NestMLP(), nn.Dense(20), FixedHiddenMLP())
    chimera.initialize(Det())
    out['chimera'] = chimera(X)
    return out


@case
def parameters():
    X = arr(rs(6).uniform(size=(2, 4)))
    net = nn.Sequential()
    net.add(nn.Dense(8, activation='relu'))
    net.add(nn.Dense(1))
    net.initialize(Det())
    out = {'y': net(X)}
    out['bias_type'] = type(net[1].bias).__name__
    out['bias'] = net[1].bias.data()
    out['grad0'] = net[0].weight.grad()
    out['shapes'] = [list(p.shape) for p in net.collect_params().values()]
    out['str_param'] = re.sub(r'dense\d+_', 'denseN_', str(net[0].weight))
    net.initialize(init=init.Constant(1), force_reinit=True)
    out['const'] = net[0].weight.data()[0]
    net[0].weight.initialize(init=init.Zero(), force_reinit=True)
    net[1].initialize(init=init.Constant(42), force_reinit=True)
    out['mixed'] = [net[0].weight.data()[0], net[1].weight.data()]

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            data[:] = np.linspace(-10, 10, data.size).reshape(data.shape)
            data *= np.abs(data) >= 5

    net.initialize(MyInit(), force_reinit=True)
    out['myinit'] = net[0].weight.data()[:2]
    net[0].weight.data()[:] += 1
    net[0].weight.data()[0, 0] = 42
    out['edited'] = net[0].weight.data()[0]
    net[0].weight.set_data(np.ones((8, 4)))
    out['set_data'] = net(X)
    return out


@case
def shared_and_deferred():
    X = arr(rs(7).uniform(size=(2, 20)))
    net = nn.Sequential()
    shared = nn.Dense(8, activation='relu')
    net.add(nn.Dense(8, activation='relu'), shared,
            nn.Dense(8, activation='relu', params=shared.params), nn.Dense(10))
    net.initialize(Det())
    out = {'y': net(X), 'same': bool((net[1].weight.data()[0] == net[2].weight.data()[0]).all())}
    net[1].weight.data()[0, 0] = 100
    out['same_after'] = bool((net[1].weight.data()[0] == net[2].weight.data()[0]).all())
    out['n_params'] = len(list(net.collect_params().keys()))
    with autograd.record():
        l = net(X).sum()
    l.backward()
    out['shared_grad'] = net[1].weight.grad()
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'), nn.Dense(10))
    out['before_init'] = [list(p.shape) for p in net.collect_params().values()]
    net.initialize(Det())
    out['after_init'] = [list(p.shape) for p in net.collect_params().values()]
    try:
        net[0].weight.data()
        out['deferred_error'] = None
    except Exception as e:
        out['deferred_error'] = type(e).__name__
    net(X)
    out['after_forward'] = [list(p.shape) for p in net.collect_params().values()]
    out['y2'] = net(X)
    return out


@case
def file_io():
    x = np.arange(4)
    npx.save('x-file', x)
    out = {'x2': npx.load('x-file')}
    y = np.zeros(4)
    npx.save('x-files', [x, y])
    out['xy'] = npx.load('x-files')
    npx.save('mydict', {'x': x, 'y': y})
    out['dict'] = npx.load('mydict')

    class MLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(256, activation='relu')
            self.output = nn.Dense(10)

        def forward(self, x):
            return self.output(self.hidden(x))

    net = MLP()
    net.initialize(Det())
    X = arr(rs(8).uniform(size=(2, 20)))
    Y = net(X)
    net.save_parameters('mlp.params')
    clone = MLP()
    clone.load_parameters('mlp.params')
    out['clone_equal'] = bool((clone(X) == Y).all())
    out['Y'] = Y
    return out


# ----------------------------------------------------------------------------------------- ch6/7
@case
def conv_basics():
    X = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    out = {'corr2d': d2l.corr2d(X, K)}
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    K = np.array([[1.0, -1.0]])
    Y = d2l.corr2d(X, K)
    out['edge'] = Y
    conv2d = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
    conv2d.initialize(Det())
    X = X.reshape(1, 1, 6, 8)
    Y = Y.reshape(1, 1, 6, 7)
    losses = []
    for _ in range(10):
        with autograd.record():
            Y_hat = conv2d(X)
            l = (Y_hat - Y) ** 2
        l.backward()
        conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
        losses.append(float(l.sum()))
    out['learned'] = [conv2d.weight.data().reshape(1, 2), losses]

    def comp_conv2d(conv2d, X):
        conv2d.initialize(Det())
        X = X.reshape((1, 1) + X.shape)
        return conv2d(X).reshape(conv2d(X).shape[2:])

    X = arr(rs(9).uniform(size=(8, 8)))
    shapes = []
    for c in (nn.Conv2D(1, kernel_size=3, padding=1), nn.Conv2D(1, kernel_size=(5, 3), padding=(2, 1)),
              nn.Conv2D(1, kernel_size=3, padding=1, strides=2),
              nn.Conv2D(1, kernel_size=(3, 5), padding=(0, 1), strides=(3, 4))):
        y = comp_conv2d(c, X)
        shapes.append([list(y.shape), y])
    out['padding'] = shapes

    def corr2d_multi_in(X, K):
        return sum(d2l.corr2d(x, k) for x, k in zip(X, K))

    def corr2d_multi_in_out(X, K):
        return np.stack([corr2d_multi_in(X, k) for k in K], 0)

    def corr2d_multi_in_out_1x1(X, K):
        c_i, h, w = X.shape
        c_o = K.shape[0]
        X = X.reshape((c_i, h * w))
        K = K.reshape((c_o, c_i))
        return np.dot(K, X).reshape((c_o, h, w))

    X = np.array([[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                  [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]])
    K = np.array([[[0.0, 1.0], [2.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]])
    K = np.stack((K, K + 1, K + 2), 0)
    out['multi'] = corr2d_multi_in_out(X, K)
    X1 = arr(rs(10).normal(0, 1, (3, 3, 3)))
    K1 = arr(rs(11).normal(0, 1, (2, 3, 1, 1)))
    out['1x1'] = [corr2d_multi_in_out_1x1(X1, K1), corr2d_multi_in_out(X1, K1)]
    return out


@case
def pooling():
    def pool2d(X, pool_size, mode='max'):
        p_h, p_w = pool_size
        Y = np.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
        for i in range(Y.shape[0]):
            for j in range(Y.shape[1]):
                if mode == 'max':
                    Y[i, j] = X[i: i + p_h, j: j + p_w].max()
                elif mode == 'avg':
                    Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
        return Y

    X = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    out = {'max': pool2d(X, (2, 2)), 'avg': pool2d(X, (2, 2), 'avg')}
    X = np.arange(16, dtype=np.float32).reshape((1, 1, 4, 4))
    out['p3'] = nn.MaxPool2D(3)(X)
    out['p3s'] = nn.MaxPool2D(3, padding=1, strides=2)(X)
    out['p23'] = nn.MaxPool2D((2, 3), padding=(0, 1), strides=(2, 3))(X)
    X2 = np.concatenate((X, X + 1), 1)
    out['multi'] = nn.MaxPool2D(3, padding=1, strides=2)(X2)
    out['avg_pad'] = nn.AvgPool2D(3, padding=1, strides=2)(X2)
    out['gap'] = nn.GlobalAvgPool2D()(X2)
    out['gmp'] = nn.GlobalMaxPool2D()(X2)
    out['ceil'] = nn.MaxPool2D(3, strides=2, ceil_mode=True)(X2)
    out['npx_pool'] = npx.pooling(X2, kernel=(2, 2), stride=(2, 2), pool_type='avg')
    return out


def _images(n, seed, classes=10, size=28):
    r = rs(seed)
    y = r.randint(0, classes, n)
    X = r.uniform(0, 0.2, (n, 1, size, size))
    for i, c in enumerate(y):   # a bright block whose place encodes the class
        X[i, 0, 2 * c: 2 * c + 6, 2 * c: 2 * c + 6] += 1
    return arr(X), arr(y, 'int32')


def _lenet(act='sigmoid', bn=False):
    net = nn.Sequential()
    layers = [nn.Conv2D(channels=6, kernel_size=5, padding=2, activation=None if bn else act)]
    if bn:
        layers += [nn.BatchNorm(), nn.Activation(act)]
    layers += [nn.AvgPool2D(pool_size=2, strides=2),
               nn.Conv2D(channels=16, kernel_size=5, activation=act),
               nn.AvgPool2D(pool_size=2, strides=2),
               nn.Dense(120, activation=act), nn.Dense(84, activation=act), nn.Dense(10)]
    net.add(*layers)
    return net


@case
def lenet_train_ch6():
    Xtr, ytr = _images(80, 0)   # train_ch6 needs >= 5 batches
    Xte, yte = _images(32, 1)
    train_iter = d2l.load_array((Xtr, ytr), 16, is_train=False)
    test_iter = d2l.load_array((Xte, yte), 16, is_train=False)
    net = _lenet('relu')
    net.initialize(Det())
    X = Xtr[:1]
    shapes = []
    for layer in net:
        X = layer(X)
        shapes.append([layer.name.rstrip('0123456789'), list(X.shape)])
    out = {'shapes': shapes}
    d2l.train_ch6(net, train_iter, test_iter, 2, 0.3, d2l.try_gpu())
    out['loose_params'] = params_of(net)   # 10 SGD steps: conv rounding drifts ~1e-4
    out['acc'] = d2l.evaluate_accuracy_gpu(net, test_iter)
    out['devices'] = [str(d2l.try_gpu()), str(d2l.try_gpu(10)), [str(d) for d in d2l.try_all_gpus()]]
    return out


@case
def batchnorm_scratch():
    def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
        if not autograd.is_training():
            X_hat = (X - moving_mean) / np.sqrt(moving_var + eps)
        else:
            assert len(X.shape) in (2, 4)
            if len(X.shape) == 2:
                mean = X.mean(axis=0)
                var = ((X - mean) ** 2).mean(axis=0)
            else:
                mean = X.mean(axis=(0, 2, 3), keepdims=True)
                var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
            X_hat = (X - mean) / np.sqrt(var + eps)
            moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
            moving_var = momentum * moving_var + (1.0 - momentum) * var
        Y = gamma * X_hat + beta
        return Y, moving_mean, moving_var

    class BatchNorm(nn.Block):
        def __init__(self, num_features, num_dims, **kwargs):
            super().__init__(**kwargs)
            shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
            self.gamma = self.params.get('gamma', shape=shape, init=init.One())
            self.beta = self.params.get('beta', shape=shape, init=init.Zero())
            self.moving_mean = np.zeros(shape)
            self.moving_var = np.ones(shape)

        def forward(self, X):
            if self.moving_mean.ctx != X.ctx:
                self.moving_mean = self.moving_mean.copyto(X.ctx)
                self.moving_var = self.moving_var.copyto(X.ctx)
            Y, self.moving_mean, self.moving_var = batch_norm(
                X, self.gamma.data(), self.beta.data(), self.moving_mean,
                self.moving_var, eps=1e-12, momentum=0.9)
            return Y

    X = arr(rs(12).normal(2, 3, (8, 6, 5, 5)))
    bn = BatchNorm(6, 4)
    bn.initialize()
    with autograd.record():
        y = bn(X)
        l = (y * y).sum()
    l.backward()
    out = {'scratch_y': y, 'mm': bn.moving_mean, 'mv': bn.moving_var,
           'gamma_grad': bn.gamma.grad(), 'predict': bn(X[:2])}
    gbn = nn.BatchNorm()
    gbn.initialize()
    with autograd.record():
        y = gbn(X)
        l = (y * y).sum()
    l.backward()
    out.update(gluon_y=y, gluon_mm=gbn.running_mean.data(), gluon_mv=gbn.running_var.data(),
               gluon_gamma_grad=gbn.gamma.grad(), gluon_predict=gbn(X[:2]))
    X2 = arr(rs(13).normal(1, 2, (16, 5)))
    bn1 = nn.BatchNorm()
    bn1.initialize()
    with autograd.record():
        out['bn_dense'] = bn1(X2)
    out['bn_dense'].backward()  # MXNet's CPU BatchNorm moves its statistics in backward
    out['bn_dense_mv'] = bn1.running_var.data()
    Xtr, ytr = _images(32, 2)
    net = _lenet('sigmoid', bn=True)
    net.initialize(Det())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    it = d2l.load_array((Xtr, ytr), 16, is_train=False)
    out['epoch'] = d2l.train_epoch_ch3(net, it, gluon.loss.SoftmaxCrossEntropyLoss(), trainer)
    out['bn_params'] = net[1].gamma.data(), net[1].running_mean.data()
    return out


@case
def resnet18_multi_device():
    devices = [npx.cpu(0), npx.cpu(1)]
    net = d2l.resnet18(10)
    net.initialize(Det(), ctx=devices)
    X = arr(rs(14).normal(0, 1, (4, 3, 16, 16)))
    y = arr(rs(14).randint(0, 10, 4), 'int32')
    Xs, ys = d2l.split_batch(X, y, devices)
    out = {'shards': [[list(s.shape), str(s.ctx)] for s in Xs + ys]}
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.05})
    steps = [d2l.train_batch_ch13(net, X, y, loss, trainer, devices) for _ in range(2)]
    out['loose_steps'] = [[float(a), float(b)] for a, b in steps]
    w = net[0].weight
    out['same_on_devices'] = bool((w.data(devices[0]).asnumpy() == w.data(devices[1]).asnumpy()).all())
    out['loose_conv0'] = w.data(devices[0])
    out['acc'] = d2l.evaluate_accuracy_gpus(net, [(X, y)])
    blk = d2l.Residual(6, use_1x1conv=True, strides=2)
    blk.initialize(Det())
    out['residual_shape'] = list(blk(np.ones((4, 3, 6, 6))).shape)
    return out


# ----------------------------------------------------------------------------------------- ch8
_WORDS = ('the time traveller for so it will be convenient to speak of him was expounding a '
          'recondite matter to us his grey eyes shone and twinkled').split()


def _time_machine():
    r = rs(15)
    lines = []
    for _ in range(120):
        lines.append(' '.join(r.choice(_WORDS, r.randint(3, 12))).capitalize() + '.')
    os.makedirs('../data', exist_ok=True)
    path = '../data/timemachine.txt'
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    register('time_machine', path)


@case
def text_preprocessing():
    _time_machine()
    lines = d2l.read_time_machine()
    tokens = d2l.tokenize(lines)
    vocab = d2l.Vocab(tokens, min_freq=2, reserved_tokens=['<pad>'])
    out = {'nlines': len(lines), 'first': lines[0], 'vocab': vocab.idx_to_token[:10],
           'idx': vocab[tokens[0]], 'back': vocab.to_tokens(vocab[tokens[0]]),
           'freqs': vocab.token_freqs[:5], 'len': len(vocab)}
    corpus, cvocab = d2l.load_corpus_time_machine(500)
    out['corpus'] = [len(corpus), len(cvocab), corpus[:20]]
    my_seq = list(range(35))
    out['rand_iter'] = [[X, Y] for X, Y in d2l.seq_data_iter_random(my_seq, 2, 5)]
    out['seq_iter'] = [[X, Y] for X, Y in d2l.seq_data_iter_sequential(my_seq, 2, 5)]
    it, v = d2l.load_data_time_machine(4, 6, max_tokens=300)
    out['loader'] = [[X, Y] for X, Y in it][:3]
    return out


def _rnn_scratch_parts():
    def get_params(vocab_size, num_hiddens, device):
        r = rs(16)
        normal = lambda shape: arr(r.normal(0, 0.01, shape)).as_in_ctx(device)
        W_xh, W_hh = normal((vocab_size, num_hiddens)), normal((num_hiddens, num_hiddens))
        b_h = np.zeros(num_hiddens, ctx=device)
        W_hq, b_q = normal((num_hiddens, vocab_size)), np.zeros(vocab_size, ctx=device)
        params = [W_xh, W_hh, b_h, W_hq, b_q]
        for param in params:
            param.attach_grad()
        return params

    def init_rnn_state(batch_size, num_hiddens, device):
        return (np.zeros((batch_size, num_hiddens), ctx=device),)

    def rnn_fn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = np.tanh(np.dot(X, W_xh) + np.dot(H, W_hh) + b_h)
            outputs.append(np.dot(H, W_hq) + b_q)
        return np.concatenate(outputs, axis=0), (H,)

    return get_params, init_rnn_state, rnn_fn


@case
def rnn_scratch_train_ch8():
    _time_machine()
    train_iter, vocab = d2l.load_data_time_machine(8, 10, max_tokens=1500)
    device = d2l.try_gpu()
    get_params, init_rnn_state, rnn_fn = _rnn_scratch_parts()
    net = d2l.RNNModelScratch(len(vocab), 32, device, get_params, init_rnn_state, rnn_fn)
    X = np.arange(10).reshape((2, 5))
    state = net.begin_state(X.shape[0], device)
    Y, new_state = net(X.as_in_context(device), state)
    out = {'Y': Y, 'H': new_state[0], 'one_hot': npx.one_hot(np.array([0, 2]), len(vocab))}
    out['pred0'] = d2l.predict_ch8('time traveller ', 10, net, vocab, device)
    d2l.train_ch8(net, train_iter, vocab, 1, 3, device)
    out['loose_params'] = net.params
    return out


@case
def rnn_concise_train_ch8():
    _time_machine()
    train_iter, vocab = d2l.load_data_time_machine(8, 10, max_tokens=1500)
    device = d2l.try_gpu()
    out = {}
    for kind in ('RNN', 'GRU', 'LSTM', 'LSTM2', 'BiGRU'):
        if kind == 'LSTM2':
            layer = rnn.LSTM(16, 2)
        elif kind == 'BiGRU':
            layer = rnn.GRU(16, bidirectional=True)
        else:
            layer = getattr(rnn, kind)(16)
        layer.initialize(Det())
        state = layer.begin_state(batch_size=2)
        X = arr(rs(17).uniform(size=(5, 2, len(vocab))))
        Y, state_new = layer(X, state)
        out[kind] = [Y, state_new, len(state)]
        net = d2l.RNNModel(layer, len(vocab))
        net.initialize(Det(), force_reinit=True)
        out[kind + '_pred'] = d2l.predict_ch8('time traveller', 5, net, vocab, device)
    net = d2l.RNNModel(rnn.GRU(16), len(vocab))
    d2l.train_ch8(net, train_iter, vocab, 1, 2, device)
    out['loose_trained'] = params_of(net)
    return out


# ----------------------------------------------------------------------------------------- ch9
class Seq2SeqDecoder(d2l.Decoder):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = rnn.GRU(num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Dense(vocab_size, flatten=False)

    def init_state(self, enc_outputs, *args):
        return enc_outputs[1]

    def forward(self, X, state):
        X = self.embedding(X).swapaxes(0, 1)
        context = state[0][-1]
        context = np.broadcast_to(context, (X.shape[0], context.shape[0], context.shape[1]))
        X_and_context = np.concatenate((X, context), 2)
        output, state = self.rnn(X_and_context, state)
        output = self.dense(output).swapaxes(0, 1)
        return output, state


def _fra_eng():
    r = rs(19)
    en = 'go run hi who wow fire help jump stop wait i see you we try'.split()
    fr = 'va cours salut qui ca au aide saute stop attends je vois tu nous essayons'.split()
    pairs = []
    for _ in range(80):
        k = r.randint(1, 4)
        idx = r.randint(0, len(en), k)
        pairs.append(' '.join(en[i] for i in idx).capitalize() + '.\t'
                     + ' '.join(fr[i] for i in idx).capitalize() + '\u202f!')
    os.makedirs('../data', exist_ok=True)
    with zipfile.ZipFile('../data/fra-eng.zip', 'w') as z:
        z.writestr('fra-eng/fra.txt', '\n'.join(pairs) + '\n')
    register('fra-eng', '../data/fra-eng.zip')


@case
def seq2seq():
    encoder = d2l.Seq2SeqEncoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
    encoder.initialize(Det())
    X = np.zeros((4, 7))
    output, state = encoder(X)
    decoder = Seq2SeqDecoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
    decoder.initialize(Det())
    state = decoder.init_state(encoder(X))
    dout, dstate = decoder(X, state)
    out = {'enc': [output, state], 'dec': [dout, dstate]}
    loss = d2l.MaskedSoftmaxCELoss()
    out['masked_ce'] = loss(np.ones((3, 4, 10)), np.ones((3, 4)), np.array([4, 2, 0]))
    out['seq_mask'] = npx.sequence_mask(np.array([[1, 2, 3], [4, 5, 6]]), np.array([1, 2]), True, axis=1)
    _fra_eng()
    text = d2l.preprocess_nmt(d2l.read_data_nmt())
    source, target = d2l.tokenize_nmt(text)
    out['text'] = [text[:60], source[:3], target[:3]]
    _, src_vocab, tgt_vocab = d2l.load_data_nmt(8, 6)
    arrays = d2l.build_array_nmt(source, src_vocab, 6) + d2l.build_array_nmt(target, tgt_vocab, 6)
    out['arrays'] = [a[:4] for a in arrays]
    out['truncate_pad'] = d2l.truncate_pad(src_vocab[source[0]], 10, src_vocab['<pad>'])
    data_iter = d2l.load_array(arrays, 8, is_train=False)
    encoder = d2l.Seq2SeqEncoder(len(src_vocab), 16, 16, 2)
    decoder = Seq2SeqDecoder(len(tgt_vocab), 16, 16, 2)
    net = d2l.EncoderDecoder(encoder, decoder)
    d2l.train_seq2seq(net, data_iter, 0.005, 10, tgt_vocab, d2l.try_gpu())
    out['loose_params'] = params_of(net)
    preds = []
    for eng, fra in zip(['go .', 'i see you .', 'stop !'], ['va !', 'je vois tu !', 'stop !']):
        translation, _ = d2l.predict_seq2seq(net, eng, src_vocab, tgt_vocab, 6, d2l.try_gpu())
        preds.append([translation, d2l.bleu(translation, fra, k=2)])
    out['preds'] = preds
    out['bleu'] = d2l.bleu('a b c d', 'a b c e', k=2)
    return out


# ----------------------------------------------------------------------------------------- ch10
@case
def attention():
    r = rs(20)
    X = arr(r.uniform(size=(2, 2, 4)))
    out = {'ms1': d2l.masked_softmax(X, np.array([2, 3])),
           'ms2': d2l.masked_softmax(X, np.array([[1, 3], [2, 4]])),
           'ms_none': d2l.masked_softmax(X, None)}
    queries, keys = arr(r.normal(0, 1, (2, 1, 20))), np.ones((2, 10, 2))
    values = np.arange(40).reshape(1, 10, 4).repeat(2, axis=0)
    valid_lens = np.array([2, 6])
    add = d2l.AdditiveAttention(num_hiddens=8, dropout=0.1)
    add.initialize(Det())
    out['additive'] = [add(queries, keys, values, valid_lens), add.attention_weights]
    dot = d2l.DotProductAttention(dropout=0.5)
    dot.initialize()
    q2 = arr(r.normal(0, 1, (2, 1, 2)))
    out['dot'] = [dot(q2, keys, values, valid_lens), dot.attention_weights]
    mha = d2l.MultiHeadAttention(20, 5, 0.5)
    mha.initialize(Det())
    Xq = arr(r.normal(0, 1, (2, 4, 20)))
    Yk = arr(r.normal(0, 1, (2, 6, 20)))
    out['mha'] = mha(Xq, Yk, Yk, valid_lens)
    out['qkv'] = d2l.transpose_output(d2l.transpose_qkv(Xq, 5), 5)
    pe = d2l.PositionalEncoding(32, 0)
    pe.initialize()
    out['pe'] = pe(np.zeros((1, 60, 32)))[0, ::7]
    ffn = d2l.PositionWiseFFN(4, 8)
    ffn.initialize(Det())
    out['ffn'] = ffn(np.ones((2, 3, 4)))[0]
    add_norm = d2l.AddNorm(0.5)
    add_norm.initialize()
    out['addnorm'] = add_norm(Xq, Xq * 2)
    enc = d2l.TransformerEncoder(50, 24, 48, 4, 2, 0.0)
    enc.initialize(Det())
    tokens = arr(r.randint(0, 50, (2, 12)))
    out['transformer'] = [enc(tokens, valid_lens), enc.attention_weights[1]]
    return out


@case
def bert():
    r = rs(21)
    vocab_size, num_hiddens, ffn_num_hiddens, num_heads = 60, 24, 48, 4
    encoder = d2l.BERTEncoder(vocab_size, num_hiddens, ffn_num_hiddens, num_heads, 2, 0.2)
    encoder.initialize(Det())
    tokens = arr(r.randint(0, vocab_size, (2, 8)))
    segments = np.array([[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1]])
    encoded_X = encoder(tokens, segments, None)
    out = {'enc': encoded_X}
    mlm = d2l.MaskLM(vocab_size, num_hiddens)
    mlm.initialize(Det())
    mlm_positions = np.array([[1, 5, 2], [6, 1, 5]])
    mlm_Y_hat = mlm(encoded_X, mlm_positions)
    mlm_Y = np.array([[7, 8, 9], [10, 20, 30]])
    loss = gluon.loss.SoftmaxCELoss()
    out['mlm'] = [mlm_Y_hat, loss(mlm_Y_hat.reshape((-1, vocab_size)), mlm_Y.reshape(-1))]
    nsp = d2l.NextSentencePred()
    nsp.initialize(Det())
    nsp_Y_hat = nsp(encoded_X)
    out['nsp'] = [nsp_Y_hat, loss(nsp_Y_hat, np.array([0, 1]))]
    out['segments'] = d2l.get_tokens_and_segments(['a', 'b'], ['c'])
    model = d2l.BERTModel(vocab_size, num_hiddens, ffn_num_hiddens, num_heads, 2, 0.0)
    model.initialize(Det())
    enc, m, n = model(tokens, segments, np.array([8, 6]), mlm_positions)
    out['model'] = [enc, m, n]
    trainer = gluon.Trainer(model.collect_params(), 'adam', {'learning_rate': 0.01})
    shards = ([tokens], [segments], [np.array([8.0, 6.0])], [mlm_positions],
              [np.ones((2, 3))], [mlm_Y], [np.array([0, 1])])
    with autograd.record():
        ls, mlm_l, nsp_l = d2l._get_batch_loss_bert(model, loss, vocab_size, *shards)
    for l in ls:
        l.backward()
    trainer.step(1, ignore_stale_grad=True)   # BERTModel.hidden's input skips pos 1..
    out['bert_loss'] = [mlm_l, nsp_l]
    out['after_step'] = model.nsp.output.weight.data()
    return out


# ----------------------------------------------------------------------------------------- ch11
def _airfoil():
    r = rs(22)
    data = onp.column_stack([r.uniform(200, 20000, 300), r.uniform(0, 20, 300),
                             r.uniform(0.02, 0.3, 300), r.uniform(30, 70, 300),
                             r.uniform(0.0004, 0.06, 300)])
    target = data @ onp.array([-1e-4, -0.3, -10, 0.05, -50]) + 130 + r.normal(0, 1, 300)
    rows = onp.column_stack([data, target])
    os.makedirs('../data', exist_ok=True)
    path = '../data/airfoil_self_noise.dat'
    with open(path, 'w') as f:
        f.write('\n'.join('\t'.join(f'{v:.6g}' for v in row) for row in rows) + '\n')
    register('airfoil', path)


class _RandomProxy:
    """Forwards to mxnet.np.random but draws ``normal`` from numpy's RandomState."""

    def __init__(self, real):
        self._real = real

    def normal(self, loc=0.0, scale=1.0, size=None, **kwargs):
        return arr(_STATE['rs'].normal(loc, scale, size))

    def __getattr__(self, name):
        return getattr(self._real, name)


class _NpProxy:
    def __init__(self, real):
        self._real = real
        self.random = _RandomProxy(real.random)

    def __getattr__(self, name):
        return getattr(self._real, name)


@contextlib.contextmanager
def _patched_np():
    real = d2l.np
    d2l.np = _NpProxy(real)
    try:
        yield
    finally:
        d2l.np = real


def _sgd(params, states, hyperparams):
    for p in params:
        p[:] -= hyperparams['lr'] * p.grad


def _momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + p.grad
        p[:] -= hyperparams['lr'] * v


def _adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        s[:] += np.square(p.grad)
        p[:] -= hyperparams['lr'] * p.grad / np.sqrt(s + eps)


def _rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * np.square(p.grad)
        p[:] -= hyperparams['lr'] * p.grad / np.sqrt(s + eps)


def _adadelta(params, states, hyperparams):
    rho, eps = hyperparams['rho'], 1e-5
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * np.square(p.grad)
        g = (np.sqrt(delta + eps) / np.sqrt(s + eps)) * p.grad
        p[:] -= g
        delta[:] = rho * delta + (1 - rho) * g * g


def _adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * np.square(p.grad)
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p[:] -= hyperparams['lr'] * v_bias_corr / (np.sqrt(s_bias_corr) + eps)
    hyperparams['t'] += 1


@case
def optimizers_ch11():
    _airfoil()
    shuffled, feature_dim = d2l.get_data_ch11(10, n=200)
    data = onp.genfromtxt('../data/airfoil_self_noise.dat', dtype=onp.float32, delimiter='\t')
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    data_iter = d2l.load_array((arr(data[:200, :-1]), arr(data[:200, -1])), 10, is_train=False)
    out = {'feature_dim': feature_dim, 'nbatch': len(shuffled)}
    z = lambda: np.zeros((feature_dim, 1))
    zb = lambda: np.zeros(1)
    runs = {'sgd': (_sgd, None, {'lr': 0.05}),
            'momentum': (_momentum, [z(), zb()], {'lr': 0.02, 'momentum': 0.5}),
            'adagrad': (_adagrad, [z(), zb()], {'lr': 0.1}),
            'rmsprop': (_rmsprop, [z(), zb()], {'lr': 0.01, 'gamma': 0.9}),
            'adadelta': (_adadelta, [(z(), z()), (zb(), zb())], {'rho': 0.9}),
            'adam': (_adam, [(z(), z()), (zb(), zb())], {'lr': 0.01, 't': 1})}
    with _patched_np():
        for name, (fn, states, hp) in runs.items():
            times, losses = d2l.train_ch11(fn, states, hp, data_iter, feature_dim, 2)
            out[name] = [len(times), losses]
    concise = [('sgd', {'learning_rate': 0.05}), ('sgd', {'learning_rate': 0.005, 'momentum': 0.9}),
               ('adagrad', {'learning_rate': 0.1}), ('rmsprop', {'learning_rate': 0.01, 'gamma1': 0.9}),
               ('adadelta', {'rho': 0.9}), ('adam', {'learning_rate': 0.01}),
               ('nag', {'learning_rate': 0.005, 'momentum': 0.9}), ('ftml', {'learning_rate': 0.01})]
    for name, hp in concise:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            d2l.train_concise_ch11(name, hp, data_iter)
        out['concise_' + name + str(len(hp))] = _numbers(buf.getvalue())

    def f_2d(x1, x2):
        return x1 ** 2 + 2 * x2 ** 2

    def f_2d_grad(x1, x2):
        return (2 * x1, 4 * x2)

    def gd_2d(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        return (x1 - 0.1 * g1, x2 - 0.1 * g2, 0, 0)

    res = d2l.train_2d(gd_2d, f_grad=f_2d_grad)
    try:   # MXNet + numpy 1.23: matplotlib's contour cannot read mx.np arrays (TypeError)
        d2l.show_trace_2d(f_2d, res)
    except TypeError:
        pass
    out['train_2d'] = res[-1]
    return out


@case
def lr_schedulers():
    from mxnet import lr_scheduler
    out = {}
    scheds = {'factor': lr_scheduler.FactorScheduler(step=1, factor=0.9, stop_factor_lr=1e-2, base_lr=2),
              'multi': lr_scheduler.MultiFactorScheduler(step=[15, 30], factor=0.5, base_lr=0.5),
              'cosine': lr_scheduler.CosineScheduler(max_update=20, base_lr=0.3, final_lr=0.01),
              'warm': lr_scheduler.CosineScheduler(20, warmup_steps=5, base_lr=0.3, final_lr=0.01)}
    for name, s in scheds.items():
        out[name] = [float(s(t)) for t in range(40)]
    net = nn.Sequential()
    net.add(nn.Dense(3))
    net.initialize(Det())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'lr_scheduler': scheds['cosine']})
    X = np.ones((2, 4))
    lrs = []
    for _ in range(3):
        with autograd.record():
            l = net(X).sum()
        l.backward()
        trainer.step(2)
        lrs.append(trainer.learning_rate)
    try:
        trainer.set_learning_rate(0.1)
        refused = None
    except UserWarning as e:   # MXNet: a scheduler owns the learning rate
        refused = type(e).__name__
    out['trainer'] = [lrs, trainer.learning_rate, net[0].weight.data(), refused]
    return out


# ----------------------------------------------------------------------------------------- ch12
@case
def hybridize():
    def get_net():
        net = nn.HybridSequential()
        net.add(nn.Dense(64, activation='relu'), nn.Dense(32, activation='relu'), nn.Dense(2))
        net.initialize(Det())
        return net

    x = arr(rs(23).normal(0, 1, (1, 128)))
    net = get_net()
    out = {'imperative': net(x)}
    net.hybridize()
    out['hybrid'] = net(x)
    out['hybrid2'] = net(x)
    net.export('my_mlp')
    out['files'] = sorted(f for f in os.listdir('.') if f.startswith('my_mlp'))
    imported = gluon.SymbolBlock.imports('my_mlp-symbol.json', ['data'], 'my_mlp-0000.params')
    out['imported'] = imported(x)

    class HybridNet(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(4)
            self.output = nn.Dense(2)

        def hybrid_forward(self, F, x):
            seen.append(F.__name__.split('.')[-1] if hasattr(F, '__name__') else type(F).__name__)
            x = F.npx.relu(self.hidden(x))
            return self.output(x)

    seen = []
    hnet = HybridNet()
    hnet.initialize(Det())
    xh = arr(rs(24).normal(0, 1, (1, 3)))
    out['hnet'] = [hnet(xh)]
    hnet.hybridize()
    out['hnet'] += [hnet(xh), hnet(xh)]
    out['F'] = seen
    with autograd.record():
        l = net(x).sum()
    l.backward()
    out['hybrid_grad'] = net[0].bias.grad()
    npx.waitall()
    y = net(x)
    y.wait_to_read()
    out['async'] = y
    return out


@case
def multi_device_scratch():
    devices = [npx.cpu(0), npx.cpu(1)]
    data = np.arange(20).reshape(4, 5)
    split = gluon.utils.split_and_load(data, devices)
    out = {'split': [[s, str(s.ctx)] for s in split]}
    data = [np.ones((1, 2), ctx=devices[i]) * (i + 1) for i in range(2)]

    def allreduce(data):
        for i in range(1, len(data)):
            data[0][:] += data[i].copyto(data[0].ctx)
        for i in range(1, len(data)):
            data[0].copyto(data[i])

    allreduce(data)
    out['allreduce'] = [[d, str(d.ctx)] for d in data]
    scale = 0.01
    r = rs(25)
    W1 = arr(r.normal(0, scale, (20, 1, 3, 3)))
    b1 = np.zeros(20)
    W2 = arr(r.normal(0, scale, (20 * 13 * 13, 10)))
    b2 = np.zeros(10)
    params = [W1, b1, W2, b2]

    def lenet(X, params):
        h1 = npx.relu(npx.convolution(data=X, weight=params[0], bias=params[1],
                                      kernel=(3, 3), num_filter=20))
        h1 = npx.pooling(data=h1, pool_type='avg', kernel=(2, 2), stride=(2, 2))
        return np.dot(h1.reshape(h1.shape[0], -1), params[2]) + params[3]

    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    device_params = []
    for d in devices:
        new = [p.copyto(d) for p in params]
        for p in new:
            p.attach_grad()
        device_params.append(new)
    X = arr(r.uniform(0, 1, (4, 1, 28, 28)))
    y = arr(r.randint(0, 10, 4), 'int32')
    X_shards, y_shards = d2l.split_batch(X, y, devices)
    with autograd.record():
        ls = [loss(lenet(Xs, p), ys) for Xs, ys, p in zip(X_shards, y_shards, device_params)]
    for l in ls:
        l.backward()
    with autograd.pause():
        for i in range(len(device_params[0])):
            allreduce([device_params[c][i].grad for c in range(len(devices))])
    for p in device_params:
        d2l.sgd(p, 0.1, X.shape[0])
    out['after'] = [device_params[0][0], device_params[1][3], ls]
    return out


# ----------------------------------------------------------------------------------------- ch13/14
@case
def bboxes():
    img = np.zeros((1, 3, 40, 60))
    Y = d2l.multibox_prior(img, sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])
    out = {'prior': Y, 'npx_prior': npx.multibox_prior(img, sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])}
    boxes = Y.reshape(40, 60, 5, 4)
    out['box'] = boxes[25, 25, 0, :]
    ground_truth = np.array([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
    anchors = np.array([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                        [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
    out['iou'] = d2l.box_iou(anchors, ground_truth[:, 1:])
    out['roundtrip'] = d2l.box_center_to_corner(d2l.box_corner_to_center(anchors))
    out['target'] = d2l.multibox_target(np.expand_dims(anchors, axis=0),
                                        np.expand_dims(ground_truth, axis=0))
    out['npx_target'] = npx.multibox_target(np.expand_dims(anchors, axis=0),
                                            np.expand_dims(ground_truth, axis=0),
                                            np.zeros((1, 3, 5)))
    anchors = np.array([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
                        [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]])
    offset_preds = np.array([0] * d2l.size(anchors))
    cls_probs = np.array([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]])
    out['nms'] = d2l.nms(anchors, cls_probs[1], 0.5)
    out['detection'] = d2l.multibox_detection(np.expand_dims(cls_probs, axis=0),
                                              np.expand_dims(offset_preds, axis=0),
                                              np.expand_dims(anchors, axis=0), nms_threshold=0.5)
    out['npx_detection'] = npx.multibox_detection(np.expand_dims(cls_probs, axis=0),
                                                  np.expand_dims(offset_preds, axis=0),
                                                  np.expand_dims(anchors, axis=0), nms_threshold=0.5)
    fig = d2l.plt.imshow(onp.zeros((40, 60, 3)))
    d2l.show_bboxes(fig.axes, anchors * np.array((60, 40, 60, 40)), ['0', '1', '2', '3'])
    out['rect'] = list(d2l.bbox_to_rect([1.0, 2.0, 5.0, 7.0], 'r').get_bbox().bounds)
    return out


@case
def image_aug():
    from mxnet import image
    from mxnet.gluon.data.vision import transforms
    img = arr(rs(26).randint(0, 255, (32, 48, 3)), 'uint8')
    out = {'flip': transforms.RandomFlipLeftRight()(img).shape,
           'to_tensor': transforms.ToTensor()(img)[:, :2, :2],
           'normalize': transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])(
               transforms.ToTensor()(img))[:, :2, :2],
           'resize': transforms.Resize(16)(img).shape,
           'center_crop': transforms.CenterCrop(16)(img),
           'rrc_shape': transforms.RandomResizedCrop((20, 20), scale=(0.1, 1), ratio=(0.5, 2))(img).shape,
           'fixed_crop': image.fixed_crop(img, 2, 3, 10, 12)}
    compose = transforms.Compose([transforms.Resize(24), transforms.ToTensor()])
    out['compose'] = compose(img)[:, :2, :3]
    ds = gluon.data.ArrayDataset(arr(rs(27).randint(0, 255, (6, 8, 8, 3)), 'uint8'),
                                 arr(onp.arange(6), 'int32'))
    loader = gluon.data.DataLoader(ds.transform_first(transforms.ToTensor()), 4, shuffle=False)
    out['loader'] = [[X.shape, y] for X, y in loader]
    return out


def _ptb():
    r = rs(28)
    words = ['w%d' % i for i in range(30)]
    p = onp.arange(30, 0, -1, dtype='f8')
    lines = [' '.join(r.choice(words, r.randint(3, 15), p=p / p.sum())) for _ in range(150)]
    os.makedirs('../data', exist_ok=True)
    with zipfile.ZipFile('../data/ptb.zip', 'w') as z:
        z.writestr('ptb/ptb.train.txt', '\n'.join(lines))
    register('ptb', '../data/ptb.zip')


@case
def word2vec():
    _ptb()
    sentences = d2l.read_ptb()
    vocab = d2l.Vocab(sentences, min_freq=10)
    subsampled, counter = d2l.subsample(sentences, vocab)
    corpus = [vocab[line] for line in subsampled]
    centers, contexts = d2l.get_centers_and_contexts(corpus, 2)
    negatives = d2l.get_negatives(contexts, vocab, counter, 3)
    batch = d2l.batchify([(centers[i], contexts[i], negatives[i]) for i in range(4)])
    out = {'n': [len(sentences), len(vocab), sum(map(len, subsampled))], 'batch': batch}
    data_iter, v2 = d2l.load_data_ptb(8, 2, 3)
    shapes = sorted(b[1].shape[0] for b in data_iter)  # widths depend on the shuffle
    out['loader'] = [len(data_iter), shapes]
    embed = nn.Embedding(input_dim=len(vocab), output_dim=6)
    embed.initialize(Det())
    embed_u = nn.Embedding(input_dim=len(vocab), output_dim=6)
    embed_u.initialize(Det())
    center, ctx_neg, mask, label = batch
    with autograd.record():
        pred = npx.batch_dot(embed(center), embed_u(ctx_neg).swapaxes(1, 2))
        loss = gluon.loss.SigmoidBCELoss()
        l = (loss(pred.reshape(label.shape), label, mask) * mask.shape[1] / mask.sum(axis=1))
    l.backward()
    out['skip_gram'] = [pred, l, embed.weight.grad()[:5]]
    return out


@case
def token_embedding():
    r = rs(29)
    words = ['the', 'cat', 'dog', 'chip', 'baby', 'beautiful', 'man', 'woman']
    lines = [w + ' ' + ' '.join(f'{v:.5f}' for v in r.normal(0, 1, 5)) for w in words]
    os.makedirs('../data', exist_ok=True)
    with zipfile.ZipFile('../data/glove.6B.50d.zip', 'w') as z:
        z.writestr('glove.6B.50d/vec.txt', '\n'.join(lines) + '\n')
    register('glove.6b.50d', '../data/glove.6B.50d.zip')
    glove = d2l.TokenEmbedding('glove.6b.50d')

    def knn(W, x, k):
        cos = np.dot(W, x.reshape(-1,)) / (np.sqrt(np.sum(W * W, axis=1) + 1e-9) * np.sqrt((x * x).sum()))
        topk = npx.topk(cos, k=k, ret_typ='indices')
        return topk, [cos[int(i)] for i in topk]

    topk, cos = knn(glove.idx_to_vec, glove[['cat']], 3)
    return {'vecs': glove[['cat', 'unknownword']], 'len': len(glove),
            'knn': [topk, cos, [glove.idx_to_token[int(i)] for i in topk]]}


@case
def recsys_gan_losses():
    pos = arr(rs(30).normal(0, 1, (5,)))
    neg = arr(rs(31).normal(0, 1, (5,)))
    out = {'bpr': d2l.BPRLoss()(pos, neg), 'hinge': d2l.HingeLossbRec()(pos, neg)}
    net_G = nn.Sequential()
    net_G.add(nn.Dense(2))
    net_D = nn.Sequential()
    net_D.add(nn.Dense(5, activation='tanh'), nn.Dense(3, activation='tanh'), nn.Dense(1))
    net_G.initialize(Det())
    net_D.initialize(Det())
    loss = gluon.loss.SigmoidBCELoss()
    trainer_D = gluon.Trainer(net_D.collect_params(), 'adam', {'learning_rate': 0.05})
    trainer_G = gluon.Trainer(net_G.collect_params(), 'adam', {'learning_rate': 0.005})
    X = arr(rs(32).normal(0, 1, (8, 2)))
    Z = arr(rs(33).normal(0, 1, (8, 2)))
    losses = []
    for _ in range(3):
        losses.append([d2l.update_D(X, Z, net_D, net_G, loss, trainer_D),
                       d2l.update_G(Z, net_D, net_G, loss, trainer_G)])
    out.update(gan=losses, G=net_G[0].weight.data())
    return out


@case
def utilities():
    t = d2l.Timer()
    t.stop()
    t.start()
    t.stop()
    acc = d2l.Accumulator(3)
    acc.add(1, 2.5, np.array(3.0))
    acc.add(np.array([1.0]).sum(), 0, 1)
    anim = d2l.Animator(xlabel='epoch', legend=['a', 'b'], xlim=[1, 3])
    for e in range(3):
        anim.add(e + 1, (0.5 / (e + 1), None))
    d2l.plot(np.arange(5.0), [np.arange(5.0) ** 2], 'x', 'y', legend=['sq'])
    d2l.show_images(np.zeros((2, 4, 4)), 1, 2, titles=['a', 'b'])
    d2l.show_heatmaps(np.eye(4).reshape((1, 1, 4, 4)), xlabel='Keys', ylabel='Queries')
    with d2l.Benchmark('bench'):
        np.ones(3).sum()
    return {'timer': [len(t.times), len(t.cumsum())], 'acc': [acc[0], acc[1], acc[2]],
            'anim': [anim.X, anim.Y], 'sizes': d2l.size(np.ones((2, 3))),
            'aliases': [d2l.reduce_sum(np.ones(3)), d2l.argmax(np.array([1, 3, 2])),
                        d2l.transpose(np.ones((2, 3))).shape, d2l.numpy(d2l.eye(2)),
                        d2l.astype(np.ones(2), 'int32'), d2l.linspace(0, 1, 3),
                        d2l.rand(2, 3).shape, d2l.to(np.ones(2), npx.cpu())],
            'workers': d2l.get_dataloader_workers()}


# ----------------------------------------------------------------------------------------- ch10 decoders
class Seq2SeqAttentionDecoder(d2l.AttentionDecoder):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0, **kwargs):
        super().__init__(**kwargs)
        self.attention = d2l.AdditiveAttention(num_hiddens, dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = rnn.GRU(num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Dense(vocab_size, flatten=False)

    def init_state(self, enc_outputs, enc_valid_lens, *args):
        outputs, hidden_state = enc_outputs
        return (outputs.swapaxes(0, 1), hidden_state, enc_valid_lens)

    def forward(self, X, state):
        enc_outputs, hidden_state, enc_valid_lens = state
        X = self.embedding(X).swapaxes(0, 1)
        outputs, self._attention_weights = [], []
        for x in X:
            query = np.expand_dims(hidden_state[0][-1], axis=1)
            context = self.attention(query, enc_outputs, enc_outputs, enc_valid_lens)
            x = np.concatenate((context, np.expand_dims(x, axis=1)), axis=-1)
            out, hidden_state = self.rnn(x.swapaxes(0, 1), hidden_state)
            outputs.append(out)
            self._attention_weights.append(self.attention.attention_weights)
        outputs = self.dense(np.concatenate(outputs, axis=0))
        return outputs.swapaxes(0, 1), [enc_outputs, hidden_state, enc_valid_lens]

    @property
    def attention_weights(self):
        return self._attention_weights


class DecoderBlock(nn.Block):
    def __init__(self, num_hiddens, ffn_num_hiddens, num_heads, dropout, i, **kwargs):
        super().__init__(**kwargs)
        self.i = i
        self.attention1 = d2l.MultiHeadAttention(num_hiddens, num_heads, dropout)
        self.addnorm1 = d2l.AddNorm(dropout)
        self.attention2 = d2l.MultiHeadAttention(num_hiddens, num_heads, dropout)
        self.addnorm2 = d2l.AddNorm(dropout)
        self.ffn = d2l.PositionWiseFFN(ffn_num_hiddens, num_hiddens)
        self.addnorm3 = d2l.AddNorm(dropout)

    def forward(self, X, state):
        enc_outputs, enc_valid_lens = state[0], state[1]
        if state[2][self.i] is None:
            key_values = X
        else:
            key_values = np.concatenate((state[2][self.i], X), axis=1)
        state[2][self.i] = key_values
        if autograd.is_training():
            batch_size, num_steps, _ = X.shape
            dec_valid_lens = np.tile(np.arange(1, num_steps + 1, ctx=X.ctx), (batch_size, 1))
        else:
            dec_valid_lens = None
        X2 = self.attention1(X, key_values, key_values, dec_valid_lens)
        Y = self.addnorm1(X, X2)
        Y2 = self.attention2(Y, enc_outputs, enc_outputs, enc_valid_lens)
        Z = self.addnorm2(Y, Y2)
        return self.addnorm3(Z, self.ffn(Z)), state


class TransformerDecoder(d2l.AttentionDecoder):
    def __init__(self, vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_layers,
                 dropout, **kwargs):
        super().__init__(**kwargs)
        self.num_hiddens = num_hiddens
        self.num_layers = num_layers
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = d2l.PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_layers):
            self.blks.add(DecoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, i))
        self.dense = nn.Dense(vocab_size, flatten=False)

    def init_state(self, enc_outputs, enc_valid_lens, *args):
        return [enc_outputs, enc_valid_lens, [None] * self.num_layers]

    def forward(self, X, state):
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens))
        self._attention_weights = [[None] * len(self.blks) for _ in range(2)]
        for i, blk in enumerate(self.blks):
            X, state = blk(X, state)
            self._attention_weights[0][i] = blk.attention1.attention.attention_weights
            self._attention_weights[1][i] = blk.attention2.attention.attention_weights
        return self.dense(X), state

    @property
    def attention_weights(self):
        return self._attention_weights


def _nmt_iter(num_steps=6):
    _fra_eng()
    text = d2l.preprocess_nmt(d2l.read_data_nmt())
    source, target = d2l.tokenize_nmt(text)
    _, src_vocab, tgt_vocab = d2l.load_data_nmt(8, num_steps)
    arrays = d2l.build_array_nmt(source, src_vocab, num_steps) + \
        d2l.build_array_nmt(target, tgt_vocab, num_steps)
    return d2l.load_array(arrays, 8, is_train=False), src_vocab, tgt_vocab


def _translate(net, src_vocab, tgt_vocab, attention=True):
    res = []
    for eng, fra in zip(['go .', 'i see you .'], ['va !', 'je vois tu !']):
        translation, weights = d2l.predict_seq2seq(net, eng, src_vocab, tgt_vocab, 6,
                                                   d2l.try_gpu(), attention)
        res.append([translation, d2l.bleu(translation, fra, k=1), len(weights)])
    return res


@case
def attention_seq2seq():
    encoder = d2l.Seq2SeqEncoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
    encoder.initialize(Det())
    decoder = Seq2SeqAttentionDecoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
    decoder.initialize(Det())
    X = np.zeros((4, 7))
    state = decoder.init_state(encoder(X), None)
    output, state = decoder(X, state)
    out = {'forward': [output, state[1], decoder.attention_weights[-1]]}
    data_iter, src_vocab, tgt_vocab = _nmt_iter()
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src_vocab), 16, 16, 1),
                             Seq2SeqAttentionDecoder(len(tgt_vocab), 16, 16, 1))
    d2l.train_seq2seq(net, data_iter, 0.005, 6, tgt_vocab, d2l.try_gpu())
    out['loose_params'] = params_of(net)
    out['preds'] = _translate(net, src_vocab, tgt_vocab)
    return out


@case
def transformer_seq2seq():
    data_iter, src_vocab, tgt_vocab = _nmt_iter()
    encoder = d2l.TransformerEncoder(len(src_vocab), 16, 32, 4, 2, 0.0)
    decoder = TransformerDecoder(len(tgt_vocab), 16, 32, 4, 2, 0.0)
    net = d2l.EncoderDecoder(encoder, decoder)
    net.initialize(Det())
    X, X_valid_len, Y, _ = next(iter(data_iter))
    with autograd.record():
        Y_hat, state = net(X, Y, X_valid_len)
    out = {'forward': [Y_hat, decoder.attention_weights[0][1]]}
    d2l.train_seq2seq(net, data_iter, 0.005, 5, tgt_vocab, d2l.try_gpu())
    out['loose_params'] = params_of(net)[:6]
    out['preds'] = _translate(net, src_vocab, tgt_vocab)
    enc_w = d2l.reshape(d2l.concat(net.encoder.attention_weights, 0), (2, 4, -1, 6))
    out['enc_attention'] = enc_w
    return out


@case
def beam_search():
    """Beam search (book 9.8) over a Seq2Seq model's decoder, written as users would."""
    data_iter, src_vocab, tgt_vocab = _nmt_iter()
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src_vocab), 16, 16, 1),
                             Seq2SeqDecoder(len(tgt_vocab), 16, 16, 1))
    d2l.train_seq2seq(net, data_iter, 0.01, 5, tgt_vocab, d2l.try_gpu())
    src = src_vocab['i see you .'.split()] + [src_vocab['<eos>']]
    enc_X = np.expand_dims(np.array(d2l.truncate_pad(src, 6, src_vocab['<pad>'])), axis=0)
    state = net.decoder.init_state(net.encoder(enc_X, np.array([len(src)])))
    beams = [([tgt_vocab['<bos>']], 0.0, state)]
    for _ in range(4):
        cand = []
        for seq, score, st in beams:
            Y, st2 = net.decoder(np.array([[seq[-1]]]), st)
            logp = npx.log_softmax(Y.reshape(-1))
            top = npx.topk(logp, k=2, ret_typ='both')
            for v, i in zip(top[0].asnumpy().tolist(), top[1].asnumpy().astype('int64').tolist()):
                cand.append((seq + [i], score + v, st2))
        beams = sorted(cand, key=lambda c: -c[1])[:2]
    return {'beams': [[tgt_vocab.to_tokens(s[1:]), sc] for s, sc, _ in beams]}


# ----------------------------------------------------------------------------------------- ch15/16
def _imdb():
    import tarfile
    r = rs(34)
    pos = 'great good wonderful excellent love fun superb'.split()
    neg = 'bad awful boring terrible hate dull worst'.split()
    common = 'the movie film plot acting was and it a of'.split()
    os.makedirs('../data', exist_ok=True)
    with tarfile.open('../data/aclImdb_v1.tar.gz', 'w:gz') as tar:
        for split in ('train', 'test'):
            for label, words in (('pos', pos), ('neg', neg)):
                for k in range(12):
                    text = ' '.join(r.choice(words + common, r.randint(5, 14)))
                    data = text.encode()
                    info = tarfile.TarInfo(f'aclImdb/{split}/{label}/{k}_1.txt')
                    info.size = len(data)
                    info.mtime = 0
                    tar.addfile(info, io.BytesIO(data))
    register('aclImdb', '../data/aclImdb_v1.tar.gz')


class BiRNN(nn.Block):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.encoder = rnn.LSTM(num_hiddens, num_layers=num_layers, bidirectional=True,
                                input_size=embed_size)
        self.decoder = nn.Dense(2)

    def forward(self, inputs):
        embeddings = self.embedding(inputs.T)
        outputs = self.encoder(embeddings)
        encoding = np.concatenate((outputs[0], outputs[-1]), axis=1)
        return self.decoder(encoding)


class TextCNN(nn.Block):
    def __init__(self, vocab_size, embed_size, kernel_sizes, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.constant_embedding = nn.Embedding(vocab_size, embed_size)
        self.dropout = nn.Dropout(0)
        self.decoder = nn.Dense(2)
        self.pool = nn.GlobalMaxPool1D()
        self.convs = nn.Sequential()
        for c, k in zip(num_channels, kernel_sizes):
            self.convs.add(nn.Conv1D(c, k, activation='relu'))

    def forward(self, inputs):
        embeddings = np.concatenate((self.embedding(inputs), self.constant_embedding(inputs)),
                                    axis=2)
        embeddings = embeddings.transpose(0, 2, 1)
        encoding = np.concatenate([np.squeeze(self.pool(conv(embeddings)), axis=-1)
                                   for conv in self.convs], axis=1)
        return self.decoder(self.dropout(encoding))


@case
def sentiment():
    _imdb()
    shuffled, _, vocab = d2l.load_data_imdb(8, num_steps=12)
    data_dir = '../data/aclImdb'
    train_data = d2l.read_imdb(data_dir, True)
    test_data = d2l.read_imdb(data_dir, False)
    order = sorted(range(len(train_data[0])), key=lambda i: train_data[0][i])
    tr_tok = d2l.tokenize([train_data[0][i] for i in order])
    te_tok = d2l.tokenize(sorted(test_data[0]))
    te_lab = [test_data[1][test_data[0].index(t)] for t in sorted(test_data[0])]
    feats = lambda toks: np.array([d2l.truncate_pad(vocab[l], 12, vocab['<pad>']) for l in toks])
    train_iter = d2l.load_array((feats(tr_tok), np.array([train_data[1][i] for i in order])), 4,
                                is_train=False)   # train_ch13 needs >= 5 batches
    test_iter = d2l.load_array((feats(te_tok), np.array(te_lab)), 8, is_train=False)
    out = {'vocab': [len(vocab), vocab.idx_to_token[:8]], 'nbatch': len(shuffled)}
    devices = d2l.try_all_gpus()
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    net = BiRNN(len(vocab), 8, 8, 1)
    net.initialize(Det(), ctx=devices)
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01})
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        d2l.train_ch13(net, train_iter, test_iter, loss, trainer, 3, devices)
    out['birnn'] = [_numbers(buf.getvalue()), d2l.predict_sentiment(net, vocab, 'great movie'),
                    d2l.predict_sentiment(net, vocab, 'awful plot')]
    net = TextCNN(len(vocab), 8, [3, 4], [6, 6])
    net.initialize(Det())
    net.embedding.weight.set_data(arr(rs(35).normal(0, 1, (len(vocab), 8))))
    net.constant_embedding.weight.set_data(arr(rs(36).normal(0, 1, (len(vocab), 8))))
    net.constant_embedding.collect_params().setattr('grad_req', 'null')
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01})
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        d2l.train_ch13(net, train_iter, test_iter, loss, trainer, 3, devices)
    out['textcnn'] = [_numbers(buf.getvalue()),  # (kernel 4 needs >= 4 tokens)
                      d2l.predict_sentiment(net, vocab, 'great movie and fun plot'),
                      net.constant_embedding.weight.data()[:2], net.decoder.weight.data()]
    return out


def _png(path, array):
    from PIL import Image
    Image.fromarray(onp.asarray(array, dtype='uint8')).save(path, format='PNG')


@case
def bananas():
    r = rs(37)
    base = '../data/banana-detection'
    rows = {}
    for split in ('bananas_train', 'bananas_val'):
        os.makedirs(f'{base}/{split}/images', exist_ok=True)
        lines = ['img_name,label,xmin,ymin,xmax,ymax']
        for k in range(6):
            _png(f'{base}/{split}/images/{k}.png', r.randint(0, 255, (32, 32, 3)))
            x0, y0 = r.randint(0, 16, 2)
            lines.append(f'{k}.png,0,{x0},{y0},{x0 + 12},{y0 + 10}')
        rows[split] = lines
        with open(f'{base}/{split}/label.csv', 'w') as f:
            f.write('\n'.join(lines) + '\n')
    with zipfile.ZipFile('../data/banana-detection.zip', 'w') as z:
        for split in rows:
            z.write(f'{base}/{split}/label.csv', f'banana-detection/{split}/label.csv')
            for k in range(6):
                z.write(f'{base}/{split}/images/{k}.png', f'banana-detection/{split}/images/{k}.png')
    register('banana-detection', '../data/banana-detection.zip')
    images, labels = d2l.read_data_bananas(True)
    out = {'images': [images[0], images[5][:3, :3], len(images)], 'labels': labels}
    train_iter, val_iter = d2l.load_data_bananas(4)
    batch = next(iter(val_iter))
    out['val_batch'] = [batch[0].shape, batch[0][0, :, :2, :2], batch[1]]
    out['nbatch'] = [len(train_iter), len(val_iter)]
    return out


@case
def kaggle_folders():
    r = rs(38)
    data_dir = '../data/cifar_tiny'
    os.makedirs(f'{data_dir}/train', exist_ok=True)
    os.makedirs(f'{data_dir}/test', exist_ok=True)
    lines = ['id,label']
    for k in range(1, 13):
        label = ['cat', 'dog', 'frog'][k % 3]
        lines.append(f'{k},{label}')
        _png(f'{data_dir}/train/{k}.png', r.randint(0, 255, (8, 8, 3)))
    for k in range(1, 4):
        _png(f'{data_dir}/test/{k}.png', r.randint(0, 255, (8, 8, 3)))
    with open(f'{data_dir}/trainLabels.csv', 'w') as f:
        f.write('\n'.join(lines) + '\n')
    labels = d2l.read_csv_labels(f'{data_dir}/trainLabels.csv')
    n_valid = d2l.reorg_train_valid(data_dir, labels, 0.25)
    d2l.reorg_test(data_dir)
    from mxnet.gluon.data.vision import transforms
    tr = transforms.Compose([transforms.ToTensor(),
                             transforms.Normalize([0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010])])
    ds = {folder: gluon.data.vision.ImageFolderDataset(
        os.path.join(data_dir, 'train_valid_test', folder), flag=1)
        for folder in ['train', 'valid', 'train_valid', 'test']}
    out = {'labels': sorted(labels.items()), 'n_valid': n_valid,
           'sizes': {k: len(v) for k, v in ds.items()}, 'synsets': ds['train'].synsets}
    loader = gluon.data.DataLoader(ds['train'].transform_first(tr), 4, shuffle=False,
                                   last_batch='keep')
    out['batches'] = [[X, y] for X, y in loader]
    return out


# ------------------------------------------------------------------ ch14.8-10, ch15.9 (round 5)
def _tar(path, folder, arcroot):
    import tarfile
    with tarfile.open(path, 'w') as t:
        t.add(folder, arcname=arcroot)


@case
def voc_segmentation():
    """VOC-style segmentation data: read, colormap labels, random crops, DataLoader, FCN step."""
    r = rs(41)
    base = '../data/voc_fab/VOCdevkit/VOC2012'
    for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        os.makedirs(f'{base}/{sub}', exist_ok=True)
    names = {'train': ['a1', 'a2', 'a3', 'a4', 'a5'], 'val': ['b1', 'b2', 'b3']}
    from PIL import Image
    for split, files in names.items():
        for k, n in enumerate(files):
            h, w = (24 + 4 * k, 28) if n != 'a5' else (10, 10)   # a5 is filtered out
            Image.fromarray(r.randint(0, 255, (h, w, 3)).astype('uint8')).save(
                f'{base}/JPEGImages/{n}.jpg', quality=95)
            cls = r.randint(0, 21, (h, w))
            _png(f'{base}/SegmentationClass/{n}.png', onp.array(d2l.VOC_COLORMAP)[cls])
        with open(f'{base}/ImageSets/Segmentation/{split}.txt', 'w') as f:
            f.write('\n'.join(files) + '\n')
    _tar('../data/VOCtrainval_11-May-2012.tar', '../data/voc_fab/VOCdevkit', 'VOCdevkit')
    register('voc2012', '../data/VOCtrainval_11-May-2012.tar')
    d2l.get_dataloader_workers = lambda: 0      # forked workers would draw crops in any order
    onp.random.seed(5)
    train_iter, test_iter = d2l.load_data_voc(2, (16, 20))
    out = {'n': [len(train_iter), len(test_iter)]}
    out['train'] = [[X[:, :, :3, :3], Y] for X, Y in train_iter]
    out['test'] = [[X.sum(), Y] for X, Y in test_iter]
    feats, labels = d2l.read_voc_images(base, False)
    cm = d2l.voc_colormap2label()
    out['indices'] = d2l.voc_label_indices(labels[0], cm)
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3, padding=1, activation='relu'),
            nn.Conv2DTranspose(21, kernel_size=4, padding=1, strides=2),
            nn.Conv2D(21, 3, strides=2, padding=1))
    net.initialize(Det())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'wd': 1e-3})
    loss = gluon.loss.SoftmaxCrossEntropyLoss(axis=1)
    losses = []
    for X, Y in train_iter:
        with autograd.record():
            l = loss(net(X), Y)
        l.backward()
        trainer.step(l.shape[0])
        losses.append(float(l.mean()))
    out['losses'] = losses
    return out


def _wiki_dir():
    r = rs(43)
    words = ['w%d' % k for k in range(12)]
    lines = []
    for _ in range(30):
        sents = [' '.join(r.choice(words, r.randint(3, 7))) for _ in range(r.randint(2, 4))]
        lines.append(' ' + ' . '.join(sents) + ' . \n')
    lines.insert(3, ' = heading = \n')
    folder = '../data/wiki_fab/wikitext-2'
    os.makedirs(folder, exist_ok=True)
    with open(f'{folder}/wiki.train.tokens', 'w') as f:
        f.writelines(lines)
    with zipfile.ZipFile('../data/wikitext-2-v1.zip', 'w') as z:
        z.write(f'{folder}/wiki.train.tokens', 'wikitext-2/wiki.train.tokens')
    register('wikitext-2', '../data/wikitext-2-v1.zip')


@case
def bert_pretraining():
    """BERT data pipeline (NSP/MLM sampling, padding) and a few pretraining steps."""
    _wiki_dir()
    d2l.get_dataloader_workers = lambda: 0
    onp.random.seed(7)
    random.seed(7)
    train_iter, vocab = d2l.load_data_wiki(4, 24)
    out = {'vocab': vocab.idx_to_token, 'n': len(train_iter)}
    batches = list(train_iter)
    out['batch0'] = list(batches[0])
    net = d2l.BERTModel(len(vocab), num_hiddens=16, ffn_num_hiddens=32, num_heads=2,
                        num_layers=2, dropout=0, max_len=64)
    net.initialize(Det())
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01})
    loss = gluon.loss.SoftmaxCELoss()
    devices = [d2l.try_gpu()] if False else d2l.try_all_gpus()
    steps = []
    for batch in batches[:3]:
        shards = [gluon.utils.split_and_load(b, devices, even_split=False) for b in batch]
        with autograd.record():
            mlm_ls, nsp_ls, ls = d2l._get_batch_loss_bert(net, loss, len(vocab), *shards)
        for l in ls:
            l.backward()
        trainer.step(1)
        steps.append([float(sum(x.mean() for x in mlm_ls)), float(sum(x.mean() for x in nsp_ls))])
    out['steps'] = steps
    tokens = ['w1', 'w2', 'w3']
    ids = np.expand_dims(np.array(vocab[d2l.get_tokens_and_segments(tokens)[0]]), axis=0)
    segs = np.expand_dims(np.array(d2l.get_tokens_and_segments(tokens)[1]), axis=0)
    enc, mlm, nsp = net(ids, segs, np.array([5]), np.array([[1, 2]]))
    out['encoded'] = [enc, mlm, nsp]
    return out
