"""Lazy optimizer update benchmark: a 1,000,000 x 64 embedding trained with 4,096 ids per step
(row_sparse gradient, ``sgd_update(lazy_update=True)``) against one dense pass over the weight.

Run with the project interpreter (mxtorch) or the oracle (MXNet 1.9.1) -- the same code::

    .venv/bin/python bench/sparse_update_bench.py            # mxtorch
    ~/mxref/bin/python bench/sparse_update_bench.py --mxnet  # MXNet 1.9.1, same sizes

Prints the best wall time of several runs for: one dense pass over the weight (``w *= 1``),
a dense ``sgd_update`` with a dense gradient, the lazy update alone, and a full training step
(Embedding forward with ``sparse_grad=True``, backward, lazy update).
"""
import argparse
import time

import numpy as np

ROWS, DIM, IDS = 1_000_000, 64, 4_096


def best_of(fn, sync, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet", action="store_true", help="benchmark MXNet 1.9.1")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.mxnet:
        import mxnet as mx
    else:
        import mxtorch as mx
    nd, ag = mx.nd, mx.autograd
    rng = np.random.default_rng(0)
    weight = nd.array(rng.standard_normal((ROWS, DIM)).astype(np.float32))
    weight.attach_grad(stype="row_sparse")
    ids = nd.array(rng.integers(0, ROWS, size=IDS).astype(np.float32))
    head = nd.array(rng.standard_normal((IDS, DIM)).astype(np.float32))
    dense_grad = nd.zeros((ROWS, DIM))
    sync = weight.wait_to_read

    def dense_pass():
        weight.__imul__(1.0)

    def dense_update():
        nd.sgd_update(weight, dense_grad, lr=0.01, wd=1e-4, out=weight)

    def step():
        with ag.record():
            y = nd.Embedding(ids, weight, input_dim=ROWS, output_dim=DIM, sparse_grad=True)
            loss = y * head
        loss.backward()
        nd.sgd_update(weight, weight.grad, lr=0.01, wd=1e-4, lazy_update=True, out=weight)

    step()
    grad = weight.grad

    def lazy_update():
        nd.sgd_update(weight, grad, lr=0.01, wd=1e-4, lazy_update=True, out=weight)

    name = "MXNet " + mx.__version__ if args.mxnet else "mxtorch"
    print(f"{name}: {ROWS:,} x {DIM} float32 weight, {IDS:,} ids per step "
          f"({grad.indices.shape[0]:,} unique rows)")
    for label, fn in (("one dense pass (w *= 1)", dense_pass),
                      ("dense sgd_update (dense grad)", dense_update),
                      ("lazy sgd_update (row_sparse grad)", lazy_update),
                      ("training step (fwd + bwd + lazy)", step)):
        print(f"  {label:36s} {best_of(fn, sync, args.repeat) * 1e3:9.2f} ms")


if __name__ == "__main__":
    main()
