"""In-process A/B of Module fit/predict against the hand-written torch loop.

Builds the workload of ``../shared/bench/module.py`` (symbolic MLP 784-512-512-10, batch 128,
40 batches, SGD momentum 0.9, metric 'acc') and its pure-torch counterpart
(``../shared/bench/torch_ref/module.py``) in one process, then alternates one mxtorch epoch
and one torch epoch for ``--rounds`` rounds and prints the median per-round ratio
(torch time / mxtorch time: 1.0 means as fast as the torch loop).

With ``--threads 1`` (default) the CPU time of the calling thread is measured
(``time.thread_time``), which other processes on a shared machine barely disturb; with
more threads wall time is used.

Not run by CI. Usage::

    .venv/bin/python tools/bench_module_ab.py [--rounds 30] [--threads 1] [--profile fit]
"""
import argparse
import logging
import os
import statistics
import sys
import time
import warnings

BATCH, IN, HIDDEN, CLASSES, BATCHES = 128, 784, 512, 10, 40


def _data():
    import numpy as np
    rng = np.random.RandomState(0)
    xs = rng.uniform(-1.0, 1.0, size=(BATCH * BATCHES, IN)).astype("float32")
    ys = rng.randint(0, CLASSES, size=(BATCH * BATCHES,))
    return xs, ys


def _mxtorch_steps(xs, ys):
    import mxtorch as mx
    sym = mx.sym
    net = sym.Variable("data")
    net = sym.FullyConnected(net, num_hidden=HIDDEN, name="fc1")
    net = sym.Activation(net, act_type="relu", name="relu1")
    net = sym.FullyConnected(net, num_hidden=HIDDEN, name="fc2")
    net = sym.Activation(net, act_type="relu", name="relu2")
    net = sym.FullyConnected(net, num_hidden=CLASSES, name="fc3")
    net = sym.SoftmaxOutput(net, name="softmax")
    it = mx.io.NDArrayIter(mx.nd.array(xs), mx.nd.array(ys), batch_size=BATCH,
                           label_name="softmax_label")
    mod = mx.mod.Module(net, data_names=["data"], label_names=["softmax_label"],
                        context=mx.cpu())

    def fit():
        mod.fit(it, num_epoch=1, optimizer="sgd",
                optimizer_params={"learning_rate": 0.01, "momentum": 0.9},
                eval_metric="acc", initializer=mx.init.Xavier())

    def predict():
        return mod.predict(it)
    return fit, predict


def _torch_steps(xs, ys):
    import torch
    nn = torch.nn
    data, labels = torch.from_numpy(xs), torch.from_numpy(ys).long()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                          nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def fit():
        model.train()
        correct = 0
        for start in range(0, BATCH * BATCHES, BATCH):
            x, y = data[start:start + BATCH], labels[start:start + BATCH]
            optimizer.zero_grad()
            out = model(x)
            loss_fn(out, y).backward()
            optimizer.step()
            correct += (out.argmax(1) == y).sum().item()
        return correct

    def predict():
        model.eval()
        with torch.inference_mode():
            return torch.cat([model(data[start:start + BATCH])
                              for start in range(0, BATCH * BATCHES, BATCH)])
    return fit, predict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default="fit,predict")
    parser.add_argument("--profile", default="", help="cProfile this figure (fit/predict)")
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(args.threads)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import torch
    torch.set_num_threads(args.threads)
    logging.getLogger().setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    clock = time.thread_time if args.threads == 1 else time.perf_counter
    xs, ys = _data()
    mx_fit, mx_predict = _mxtorch_steps(xs, ys)
    t_fit, t_predict = _torch_steps(xs, ys)
    pairs = {"fit": (mx_fit, t_fit), "predict": (mx_predict, t_predict)}
    if args.profile:
        import cProfile
        import pstats
        fn = pairs[args.profile][0]
        mx_fit()  # binds and initialises the module
        fn()
        prof = cProfile.Profile(time.thread_time)
        prof.runcall(lambda: [fn() for _ in range(5)])
        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("NSTAT", "30")))
        return
    if "fit" not in args.only.split(","):
        mx_fit()  # predict needs a bound, initialised module
    for name in args.only.split(","):
        mine, ref = pairs[name]
        for _ in range(3):
            mine(), ref()
        ratios, mx_ms, t_ms = [], [], []
        for _ in range(args.rounds):
            start = clock()
            mine()
            middle = clock()
            ref()
            end = clock()
            mx_ms.append((middle - start) * 1e3 / BATCHES)
            t_ms.append((end - middle) * 1e3 / BATCHES)
            ratios.append((end - middle) / (middle - start))
        print(f"{name:8s} ratio torch/mxtorch median {statistics.median(ratios):.3f} "
              f"(min {min(ratios):.3f} max {max(ratios):.3f}); per batch: mxtorch "
              f"{statistics.median(mx_ms):.3f} ms, torch {statistics.median(t_ms):.3f} ms "
              f"[{args.rounds} rounds, {args.threads} thread(s), "
              f"{'thread CPU time' if args.threads == 1 else 'wall time'}]")


if __name__ == "__main__":
    main()
