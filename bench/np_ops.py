"""Small-op loop through mx.np against the same loop through mx.nd and eager torch.

    .venv/bin/python bench/np_ops.py [--wall]

Prints microseconds per call (best of 5 rounds of 5000 calls) for 16x16 float32 operands,
torch on one thread. Times are CPU time of the calling thread (``time.thread_time``), which
other processes on a shared machine disturb far less than wall time; ``--wall`` uses
``time.perf_counter``. MXNet's ``x.reshape`` returns a copy, so its torch row copies too.
"""
import sys
import time

import torch

import mxtorch as mx
from mxtorch import np


CLOCK = time.perf_counter if "--wall" in sys.argv else time.thread_time


def best(fn, n=5000, rounds=5):
    fn()
    times = []
    for _ in range(rounds):
        start = CLOCK()
        for _ in range(n):
            fn()
        times.append((CLOCK() - start) / n * 1e6)
    return min(times)


def main():
    torch.set_num_threads(1)
    a, b = np.ones((16, 16)), np.ones((16, 16))
    na, nb = mx.nd.ones((16, 16)), mx.nd.ones((16, 16))
    ta, tb = torch.ones(16, 16), torch.ones(16, 16)
    rows = [
        ("x + y", lambda: a + b, lambda: na + nb, lambda: ta + tb),
        ("x * 2.0", lambda: a * 2.0, lambda: na * 2.0, lambda: ta * 2.0),
        ("1.0 - x", lambda: 1.0 - a, lambda: 1.0 - na, lambda: 1.0 - ta),
        ("exp(x)", lambda: np.exp(a), lambda: mx.nd.exp(na), lambda: torch.exp(ta)),
        ("x.sum()", lambda: a.sum(), lambda: na.sum(), lambda: ta.sum()),
        ("x.mean()", lambda: a.mean(), lambda: na.mean(), lambda: ta.mean()),
        ("x.reshape", lambda: a.reshape(256), lambda: na.reshape((256,)),
         lambda: ta.reshape(256).clone()),
        ("dot(x, y)", lambda: np.dot(a, b), lambda: mx.nd.dot(na, nb), lambda: ta @ tb),
        ("x[0]", lambda: a[0], lambda: na[0], lambda: ta[0]),
    ]
    print(f"{'op':12s} {'mx.np':>8s} {'mx.nd':>8s} {'torch':>8s} {'np/torch':>9s}")
    for name, f_np, f_nd, f_t in rows:
        t_np, t_nd, t_t = best(f_np), best(f_nd), best(f_t)
        print(f"{name:12s} {t_np:8.2f} {t_nd:8.2f} {t_t:8.2f} {t_np / t_t:9.2f}")


if __name__ == "__main__":
    main()
