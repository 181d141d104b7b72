"""The README demo's code path (examples/demo.py) on a small synthetic stand-in for the digits
data: build, hybridize, train with Trainer + DataLoader, export, re-import with SymbolBlock;
the re-imported model must give the same predictions."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
import demo  # noqa: E402


def test_demo_trains_exports_and_reimports(capsys, monkeypatch):
    monkeypatch.setattr(demo, "EPOCHS", 4)
    rng = np.random.RandomState(0)
    centers = rng.rand(10, 64).astype("float32")
    labels = rng.randint(0, 10, size=300)
    data = np.clip(centers[labels] + 0.05 * rng.randn(300, 64), 0, 1).astype("float32")
    train_set = (data[:240], labels[:240].astype("float32"))
    test_x, test_y = data[240:], labels[240:]
    net = demo.build_net()
    demo.train(net, train_set)
    assert demo.accuracy(net, test_x, test_y) > 0.9
    assert demo.export_and_reimport(net, test_x)
    out = capsys.readouterr().out
    assert "epoch  4/4" in out and "predictions agree: True" in out
