"""A d2l-style Gluon training step through ``mx.np`` (``npx.set_np()``) against the same model
through ``mx.nd`` (issue 12 item 8: np within 10% of nd).

    .venv/bin/python bench/d2l_np_vs_nd.py [--batch 256] [--hidden 256] [--rounds 7]

Model: Dense(hidden, relu) -> Dense(hidden, relu) -> Dense(10) on flattened 1x28x28 inputs
(d2l's MLP chapter), SoftmaxCrossEntropyLoss, Trainer sgd. Each round times a block of steps
for nd and for np, alternated in one process; the figure is the per-step CPU time of the
calling thread (``time.thread_time``: what the Python front end and the kernels cost this
process, less disturbed by other processes than wall time), best round. torch runs 1 thread.
``--tiny`` uses 8-unit layers so the figure is the front end's overhead alone.
"""
import argparse
import time

import numpy as onp
import torch

import mxtorch as mx
from mxtorch import gluon, npx


def build(batch, hidden, numpy_mode):
    if numpy_mode:
        npx.set_np()
    else:
        npx.reset_np()
    try:
        net = gluon.nn.Sequential()
        net.add(gluon.nn.Dense(hidden, activation="relu"), gluon.nn.Dense(hidden, activation="relu"),
                gluon.nn.Dense(10))
        net.initialize(mx.init.Normal(0.01))
        rng = onp.random.RandomState(0)
        xs = rng.uniform(size=(batch, 784)).astype("float32")
        ys = rng.randint(0, 10, size=batch).astype("float32")
        arr = mx.np.array if numpy_mode else mx.nd.array
        x, y = arr(xs), arr(ys)
        loss = gluon.loss.SoftmaxCrossEntropyLoss()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})

        def step():
            with mx.autograd.record():
                l = loss(net(x), y)
            l.backward()
            trainer.step(batch)
        step()
        return step
    finally:
        npx.reset_np()


def timed(step, numpy_mode, n):
    if numpy_mode:
        npx.set_np()
    try:
        start = time.thread_time()
        for _ in range(n):
            step()
        return (time.thread_time() - start) / n * 1e6
    finally:
        npx.reset_np()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    batch, hidden = (4, 8) if args.tiny else (args.batch, args.hidden)
    steps = {False: build(batch, hidden, False), True: build(batch, hidden, True)}
    best = {False: float("inf"), True: float("inf")}
    for _ in range(args.rounds):
        for mode in (False, True):
            best[mode] = min(best[mode], timed(steps[mode], mode, args.steps))
    print(f"batch {batch}, hidden {hidden}: nd {best[False]:.1f} us/step, np {best[True]:.1f} "
          f"us/step, np/nd {best[True] / best[False]:.3f}")


if __name__ == "__main__":
    main()
