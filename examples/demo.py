"""mxtorch demo: a Gluon network trained, exported and re-imported, MXNet 1.x code on PyTorch.

The model is an MLP on scikit-learn's handwritten digits (1,797 8x8 images, shipped inside
scikit-learn, so nothing is downloaded). The script is plain MXNet 1.9.1 Gluon code:

1. build a HybridSequential, initialise it (Xavier), hybridize it;
2. train with gluon.Trainer (SGD + momentum) and SoftmaxCrossEntropyLoss, batches from
   gluon.data.DataLoader, a progress bar per epoch;
3. report test accuracy;
4. export it (``-symbol.json`` + ``-0000.params``, the files real MXNet 1.9.1 loads), re-import
   the files with ``gluon.SymbolBlock.imports`` and check both give the same predictions.

Run: python examples/demo.py   (about 10 s on 2 CPU cores)
"""
import os
import sys
import tempfile
import time

import numpy as np

import mxtorch as mx
from mxtorch import autograd, gluon, nd
from mxtorch.gluon import nn

BATCH, EPOCHS = 64, 12


def load_digits():
    """Digits as float32 arrays in [0, 1], split 80/20 with a fixed permutation."""
    try:
        from sklearn.datasets import load_digits as sk_digits
    except ImportError:
        sys.exit("the demo needs scikit-learn: .venv/bin/pip install scikit-learn")
    digits = sk_digits()
    x = (digits.data / 16.0).astype("float32")
    y = digits.target.astype("float32")
    order = np.random.RandomState(0).permutation(len(x))
    cut = int(0.8 * len(x))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])


def build_net():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(128, activation="relu"),
                nn.Dropout(0.1),
                nn.Dense(64, activation="relu"),
                nn.Dense(10))
    net.initialize(mx.init.Xavier(magnitude=2.24))
    net.hybridize(static_alloc=True, static_shape=True)
    return net


def progress(epoch, done, total, loss, start):
    """A progress bar redrawn in place on a terminal; one line per epoch otherwise."""
    if done < total and not sys.stdout.isatty():
        return
    width = 30
    filled = int(width * done / total)
    bar = "#" * filled + "." * (width - filled)
    end = "\n" if done == total else ""
    print(f"\repoch {epoch:2d}/{EPOCHS} [{bar}] {done:4d}/{total} loss {loss:.4f} "
          f"{time.time() - start:5.2f}s", end=end, flush=True)


def accuracy(net, x, y):
    pred = net(nd.array(x)).argmax(axis=1).asnumpy()
    return float((pred == y).mean())


def train(net, train_set):
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(*train_set), batch_size=BATCH,
                                   shuffle=True, last_batch="keep")
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd",
                            {"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-4})
    n = len(train_set[0])
    for epoch in range(1, EPOCHS + 1):
        start, seen, total_loss = time.time(), 0, 0.0
        for data, label in loader:
            with autograd.record():
                loss = loss_fn(net(data), label)
            loss.backward()
            trainer.step(data.shape[0])
            seen += data.shape[0]
            total_loss += float(loss.sum().asscalar())
            progress(epoch, seen, n, total_loss / seen, start)


def export_and_reimport(net, x_test):
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "digits-mlp")
        net.export(prefix, epoch=0)
        files = sorted(os.listdir(tmp))
        imported = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"],
                                             prefix + "-0000.params")
        ours = net(nd.array(x_test)).asnumpy()
        theirs = imported(nd.array(x_test)).asnumpy()
    same_class = bool((ours.argmax(1) == theirs.argmax(1)).all())
    print(f"exported {files}; re-imported with SymbolBlock.imports: predictions agree: "
          f"{same_class}, max |difference| {np.abs(ours - theirs).max():.2e}")
    return same_class


def main():
    mx.random.seed(42)
    train_set, test_set = load_digits()
    print(f"digits: {len(train_set[0])} training and {len(test_set[0])} test images, 64 pixels")
    net = build_net()
    print(net)
    start = time.time()
    train(net, train_set)
    print(f"trained in {time.time() - start:.1f}s; test accuracy "
          f"{accuracy(net, *test_set):.3f}")
    if not export_and_reimport(net, test_set[0]):
        sys.exit("the re-imported model disagrees with the trained one")


if __name__ == "__main__":
    main()
