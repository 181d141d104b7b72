"""In-process A/B of the Gluon MLP/CNN benchmark steps against hand-written torch steps.

Builds the workloads of ``../shared/bench/mlp.py`` (784-512-512-10, batch 128, SGD momentum
0.9), ``cnn.py`` (resnet18_v1, mobilenet1_0 on 3x64x64, batch 32, hybridized static) and
``lstm.py`` (word LM, the script's own builders) with their pure-torch counterparts in one process, then alternates blocks of mxtorch steps and
torch steps for ``--rounds`` rounds and prints the median per-round ratio (torch time /
mxtorch time: 1.0 means as fast as torch). The CPU time of the calling thread is measured
(``time.thread_time``, 1 thread), which other processes on a shared machine barely disturb.

Not run by CI. Usage::

    .venv/bin/python tools/bench_gluon_ab.py [--only mlp_train_hybrid,...] [--rounds 15]
        [--steps 20] [--profile FIGURE] [--src DIR]

A/B against the previous commit: ``git archive HEAD mxtorch | tar -x -C /tmp/head`` and
alternate runs with ``--src /tmp/head``.
"""
import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
BATCH, IN, HIDDEN, CLASSES = 128, 784, 512, 10


def _mlp(mx, flags):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    net.add(nn.Dense(HIDDEN, activation="relu", in_units=IN),
            nn.Dense(HIDDEN, activation="relu", in_units=HIDDEN),
            nn.Dense(CLASSES, in_units=HIDDEN))
    net.initialize(mx.init.Xavier())
    if flags is not None:
        net.hybridize(**flags)
    return net


def _train(mx, net, x, y):
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd",
                               {"learning_rate": 0.01, "momentum": 0.9})

    def step():
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(x.shape[0])
    return step


def _torch_train(torch, model, x, y):
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def _torch_infer(torch, model, x):
    model.eval()

    def step():
        with torch.inference_mode():
            return model(x)
    return step


def _torch_mlp(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                         nn.ReLU(), nn.Linear(HIDDEN, CLASSES))


def _bench_module(*parts):
    """A script of ``../shared/bench`` (its builders and step functions)."""
    import importlib.util
    bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                         "bench")
    if bench not in sys.path:
        sys.path.append(bench)  # their harness import
    spec = importlib.util.spec_from_file_location("_".join(parts)[:-3],
                                                  os.path.join(bench, *parts))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _torch_cnn(torch, name):
    """The anchor models of ``../shared/bench/torch_ref/cnn.py``."""
    ref = _bench_module("torch_ref", "cnn.py")
    return ref.resnet18(torch) if name == "resnet18" else ref.mobilenet_v1(torch)


def _lstm_figures(mx, torch):
    """lstm_train (hybridized), lstm_train_imperative, lstm_infer of bench/lstm.py."""
    mine, ref = _bench_module("lstm.py"), _bench_module("torch_ref", "lstm.py")
    tokens, target = mine.data(mx)
    t_tokens, t_target = ref.data(torch)

    def mx_train(hybrid):
        model = mine.build_model(mx)
        if hybrid:
            model.hybridize(static_alloc=True, static_shape=True)
        return mine.train_step_fn(mx, model, tokens, target)

    def torch_train():
        model = ref.build_model(torch)
        return ref.train_step_fn(torch, model, model, t_tokens, t_target)

    def mx_infer():
        model = mine.build_model(mx)
        model.hybridize(static_alloc=True, static_shape=True)
        h, c = (mx.nd.zeros((mine.LAYERS, mine.BATCH, mine.HIDDEN)) for _ in range(2))
        return lambda: model(tokens, h, c)

    def torch_infer():
        model = ref.build_model(torch).eval()
        state = ref.zero_state(torch)

        def step():
            with torch.inference_mode():
                return model(t_tokens, state)
        return step
    return {"lstm_train": (lambda: mx_train(True), torch_train),
            "lstm_train_imperative": (lambda: mx_train(False), torch_train),
            "lstm_infer": (mx_infer, torch_infer)}


def figures(mx, torch):
    import numpy as np
    rng = np.random.RandomState(0)
    xs = rng.uniform(-1, 1, (BATCH, IN)).astype("float32")
    ys = rng.randint(0, CLASSES, BATCH)
    x, y = mx.nd.array(xs), mx.nd.array(ys)
    tx, ty = torch.from_numpy(xs), torch.from_numpy(ys).long()
    static = {"static_alloc": True, "static_shape": True}
    out = {}
    for mode, flags in (("imperative", None), ("hybrid", {}), ("hybrid_static", static)):
        out["mlp_train_" + mode] = (lambda f=flags: _train(mx, _mlp(mx, f), x, y),
                                   lambda: _torch_train(torch, _torch_mlp(torch), tx, ty))
    for mode, flags in (("imperative", None), ("hybrid_static", static)):
        out["mlp_infer_" + mode] = (lambda f=flags: (lambda n: lambda: n(x))(_mlp(mx, f)),
                                   lambda: _torch_infer(torch, _torch_mlp(torch), tx))
    cx = rng.uniform(-1, 1, (32, 3, 64, 64)).astype("float32")
    cy = rng.randint(0, 10, 32)
    for name, ctor in (("resnet18", "resnet18_v1"), ("mobilenet", "mobilenet1_0")):
        def build(ctor=ctor):
            net = getattr(mx.gluon.model_zoo.vision, ctor)(classes=10)
            net.initialize(mx.init.Xavier())
            net.hybridize(**static)
            return net
        out[f"cnn_{name}_train"] = (
            lambda b=build: _train(mx, b(), mx.nd.array(cx), mx.nd.array(cy)),
            lambda n=name: _torch_train(torch, _torch_cnn(torch, n), torch.from_numpy(cx),
                                        torch.from_numpy(cy).long()))
        out[f"cnn_{name}_infer"] = (
            lambda b=build: (lambda n, d: lambda: n(d))(b(), mx.nd.array(cx)),
            lambda n=name: _torch_infer(torch, _torch_cnn(torch, n), torch.from_numpy(cx)))
    out.update(_lstm_figures(mx, torch))
    return out


def _block(step, n):
    t0 = time.thread_time()
    for _ in range(n):
        step()
    return time.thread_time() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="mlp")
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--profile", default=None)
    p.add_argument("--src", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   help="folder to import mxtorch from (e.g. an export of the previous commit)")
    args = p.parse_args()
    sys.path.insert(0, args.src)
    import torch
    torch.set_num_threads(1)
    import mxtorch as mx
    figs = figures(mx, torch)
    if args.profile:
        import cProfile
        import pstats
        step = figs[args.profile][0]()
        _block(step, 5)
        prof = cProfile.Profile()
        prof.runcall(_block, step, args.steps)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    for name, (make_mx, make_torch) in figs.items():
        if not any(s in name for s in args.only.split(",")):
            continue
        a, b = make_mx(), make_torch()
        _block(a, 3), _block(b, 3)
        ratios, ta, tb = [], [], []
        for _ in range(args.rounds):
            da, db = _block(a, args.steps), _block(b, args.steps)
            ratios.append(db / da)
            ta.append(da / args.steps * 1e6), tb.append(db / args.steps * 1e6)
        print(f"{name:26s} ratio {statistics.median(ratios):.3f} "
              f"(min {min(ratios):.3f} max {max(ratios):.3f}) mxtorch "
              f"{statistics.median(ta):.0f} us torch {statistics.median(tb):.0f} us", flush=True)


if __name__ == "__main__":
    main()
