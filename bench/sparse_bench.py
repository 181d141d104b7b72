"""Sparse micro-benchmarks: storage that scales with what is stored, and csr x dense dot.

Run with the project interpreter (mxtorch) or the oracle (MXNet 1.9.1) -- the same code::

    .venv/bin/python bench/sparse_bench.py            # mxtorch
    ~/mxref/bin/python bench/sparse_bench.py --mxnet  # MXNet 1.9.1, same sizes

Prints, for each case, the best wall time of several runs and the growth of the process's
peak resident memory (ru_maxrss) during the timed calls (a growth hides below an earlier,
higher peak: the row_sparse addition runs first). Set OMP_NUM_THREADS the same for both
libraries when comparing (on a busy machine multi-threaded kernels of either library can
lose whole time slices waiting for each other).
"""
import argparse
import resource
import time

import numpy as np


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        out.wait_to_read()
        times.append(time.perf_counter() - start)
    return min(times)


def rsp_add(mx):
    """2,000,000 x 64 row_sparse zeros + a 2-row row_sparse array (MXNet: 5 MB, 0.014 s)."""
    big = mx.nd.sparse.zeros("row_sparse", (2_000_000, 64))
    small = mx.nd.sparse.row_sparse_array(
        (np.ones((2, 64), dtype=np.float32), np.array([3, 1_999_999])), shape=(2_000_000, 64))
    return lambda: big + small


def random_csr(mx, rows, cols, density, seed):
    """A random csr matrix (sorted, unique column indices per row), float32 values."""
    rng = np.random.default_rng(seed)
    per_row = max(1, int(cols * density))
    keys = np.repeat(np.arange(rows, dtype=np.int64), per_row) * cols + \
        rng.integers(0, cols, size=rows * per_row)
    keys = np.unique(keys)
    indptr = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // cols, minlength=rows), out=indptr[1:])
    data = rng.standard_normal(keys.size).astype(np.float32)
    return mx.nd.sparse.csr_matrix((data, keys % cols, indptr), shape=(rows, cols))


def csr_dot(mx, rows, cols, density, width):
    """csr (rows x cols, density) . dense (cols x width) -> dense."""
    lhs = random_csr(mx, rows, cols, density, 0)
    rhs = mx.nd.array(np.random.default_rng(1).standard_normal((cols, width)).astype(np.float32))
    return lambda: mx.nd.dot(lhs, rhs)


def csr_t_dot(mx, rows, cols, density, width):
    """csr.T . dense -> row_sparse (the weight gradient of a sparse linear model)."""
    lhs = random_csr(mx, rows, cols, density, 2)
    rhs = mx.nd.array(np.random.default_rng(3).standard_normal((rows, width)).astype(np.float32))
    return lambda: mx.nd.dot(lhs, rhs, transpose_a=True)


def embedding_lookup(mx):
    """4,096 ids looked up in a 2,000,000 x 64 row_sparse weight holding 100,000 rows."""
    rng = np.random.default_rng(4)
    rows = np.sort(rng.choice(2_000_000, 100_000, replace=False))
    weight = mx.nd.sparse.row_sparse_array(
        (rng.standard_normal((rows.size, 64)).astype(np.float32), rows), shape=(2_000_000, 64))
    ids = mx.nd.array(rng.integers(0, 2_000_000, 4096))
    return lambda: mx.nd.Embedding(ids, weight, input_dim=2_000_000, output_dim=64)


def lazy_sgd(mx):
    """sgd_update(lazy_update=True) of a 1,000,000 x 64 weight by a 4,096-row row_sparse
    gradient (compare with dense_pass: one dense pass over the same weight)."""
    rng = np.random.default_rng(5)
    weight = mx.nd.array(rng.standard_normal((1_000_000, 64)).astype(np.float32))
    rows = np.sort(rng.choice(1_000_000, 4096, replace=False))
    grad = mx.nd.sparse.row_sparse_array(
        (rng.standard_normal((rows.size, 64)).astype(np.float32), rows), shape=weight.shape)
    return lambda: mx.nd.sgd_update(weight, grad, lr=0.1, wd=0.01, lazy_update=True,
                                    out=weight)


def dense_pass(mx):
    """One dense pass over a 1,000,000 x 64 weight (weight * 0.5), the lazy update's bar."""
    weight = mx.nd.ones((1_000_000, 64))
    return lambda: weight * 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet", action="store_true", help="run MXNet instead of mxtorch")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.mxnet:
        import mxnet as mx
    else:
        import mxtorch as mx
    cases = [
        ("rsp zeros(2e6x64) + rsp(2 rows)", lambda: rsp_add(mx)),
        ("dot(csr 10000x100000 d=0.001, dense 100000x64)",
         lambda: csr_dot(mx, 10000, 100000, 0.001, 64)),
        ("dot(csr 4096x400000 d=0.0001, dense 400000x16)",
         lambda: csr_dot(mx, 4096, 400_000, 0.0001, 16)),
        ("dot(csr 1000x1000 d=0.05, dense 1000x256)", lambda: csr_dot(mx, 1000, 1000, 0.05, 256)),
        ("dot(csr.T 4096x100000 d=0.001, dense 4096x64) -> rsp",
         lambda: csr_t_dot(mx, 4096, 100000, 0.001, 64)),
        ("Embedding(4096 ids, rsp weight 2e6x64, 1e5 rows)", lambda: embedding_lookup(mx)),
        ("sgd_update(lazy) 1e6x64 weight, 4096-row rsp grad", lambda: lazy_sgd(mx)),
        ("dense pass over a 1e6x64 weight (w * 0.5)", lambda: dense_pass(mx)),
    ]
    import os
    print(f"library: {mx.__name__} {getattr(mx, '__version__', '')}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    for label, make in cases:
        fn = make()
        before = peak_mb()  # growth caused by the timed calls, not by building the inputs
        seconds = best_of(fn, args.repeat)
        print(f"{label:58s} {seconds * 1e3:9.3f} ms   peak +{peak_mb() - before:7.1f} MB")


if __name__ == "__main__":
    main()
