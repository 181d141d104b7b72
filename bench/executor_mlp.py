"""Graph-compiler overhead: forward+backward of a 20-layer MLP through ``simple_bind``/Executor
versus the same model written directly in torch (nn.Linear + ReLU, autograd).

Prints one line per figure and the ratio (Executor time / torch time; lower is better).
Alternates the two in blocks so machine noise hits both equally.

Usage: python bench/executor_mlp.py [--width 256] [--batch 64] [--layers 20] [--rounds 7]
"""
import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import mxtorch as mx  # noqa: E402


def build_symbol(layers, width):
    h = mx.sym.var("data")
    for i in range(layers):
        h = mx.sym.FullyConnected(h, num_hidden=width, name=f"fc{i}")
        if i < layers - 1:
            h = mx.sym.Activation(h, act_type="relu", name=f"relu{i}")
    return mx.sym.MakeLoss(mx.sym.sum(h), name="loss")


def build_torch(layers, width, weights):
    mods = []
    for i in range(layers):
        lin = torch.nn.Linear(width, width)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(weights[f"fc{i}_weight"]))
            lin.bias.copy_(torch.from_numpy(weights[f"fc{i}_bias"]))
        mods.append(lin)
        if i < layers - 1:
            mods.append(torch.nn.ReLU())
    return torch.nn.Sequential(*mods)


def timed(step, seconds):
    step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    return (time.perf_counter() - start) / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--layers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))

    rng = np.random.RandomState(0)
    sym = build_symbol(args.layers, args.width)
    exe = sym.simple_bind(mx.cpu(), data=(args.batch, args.width))
    weights = {}
    for name, arr in exe.arg_dict.items():
        value = rng.uniform(-0.05, 0.05, arr.shape).astype("float32")
        arr[:] = value
        weights[name] = value
    data = rng.uniform(-1, 1, (args.batch, args.width)).astype("float32")
    exe.arg_dict["data"][:] = data

    model = build_torch(args.layers, args.width, weights)
    x = torch.from_numpy(data)

    def mxtorch_step():
        exe.forward(is_train=True)
        exe.backward()

    def torch_step():
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()

    ratios, ours, theirs = [], [], []
    for _ in range(args.rounds):
        a = timed(mxtorch_step, args.seconds)
        b = timed(torch_step, args.seconds)
        ours.append(a * 1e3)
        theirs.append(b * 1e3)
        ratios.append(a / b)
    print(f"executor_mlp{args.layers}_fwd_bwd  mxtorch {statistics.median(ours):.3f} ms  "
          f"torch {statistics.median(theirs):.3f} ms  ratio {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f} max {max(ratios):.3f}, {args.rounds} alternated rounds, "
          f"batch {args.batch}, width {args.width})")


if __name__ == "__main__":
    main()
