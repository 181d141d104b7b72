"""Benchmark of the distributed kvstore on loopback gloo (not run by CI).

Run from the repository root::

    .venv/bin/python -m mxtorch.launch -n 2 .venv/bin/python tools/bench_dist_kvstore.py
    .venv/bin/python tools/bench_dist_kvstore.py        # one worker: Python cost only

Rank 0 prints: pushpull of 100 keys x 1000 float32 (one call with the key list, and one call
per key) against one flat torch all-reduce of the same bytes (ROUNDS rounds, the two timed
alternately, median ratio), the bandwidth of pushpull on one 40 MB key (bytes of the key /
seconds per pushpull), and the Python calls and microseconds of one 100-key pushpull
(cProfile; the per-call cost without the collective with one worker).
"""
import time

import torch
import torch.distributed as dist

try:
    import mxnet as mx  # the launcher redirects it to mxtorch
except ImportError:  # run without the launcher
    import mxtorch as mx


def _timed(fn, repeat):
    fn()
    dist.barrier()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    dist.barrier()
    return (time.perf_counter() - start) / repeat


ROUNDS = 5


def _python_cost(kv, keys, vals):
    """(Python calls, microseconds) of one 100-key pushpull, from cProfile and a timer."""
    import cProfile
    import pstats
    kv.pushpull(keys, vals)  # plans the key list
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(10):
        kv.pushpull(keys, vals)
    prof.disable()
    start = time.perf_counter()
    for _ in range(100):
        kv.pushpull(keys, vals)
    return pstats.Stats(prof).total_calls / 10, (time.perf_counter() - start) * 1e4


def main():
    kv = mx.kv.create('dist_sync')
    keys = list(range(100))
    vals = [mx.nd.ones((1000,)) for _ in keys]
    kv.init(keys, vals)
    calls, micros = _python_cost(kv, keys, vals)
    if kv.num_workers == 1:
        print('1 worker: pushpull of 100 keys: %d Python calls, %.0f us' % (calls, micros))
        return
    flat = torch.ones(100 * 1000)
    ratios, lists, flats = [], [], []
    for _ in range(ROUNDS):
        t_flat = _timed(lambda: dist.all_reduce(flat), 50)
        t_list = _timed(lambda: kv.pushpull(keys, vals), 50)
        ratios.append(t_list / t_flat)
        lists.append(t_list)
        flats.append(t_flat)
    t_each = _timed(lambda: [kv.pushpull(k, v) for k, v in zip(keys, vals)], 5)
    big = mx.nd.ones((10 * 1024 * 1024,))  # 40 MB of float32
    kv.init(1000, big)
    t_big = _timed(lambda: kv.pushpull(1000, big), 5)
    t_big_raw = _timed(lambda: dist.all_reduce(big._t), 5)
    if kv.rank == 0:
        med = sorted(ratios)[len(ratios) // 2]
        print('workers: %d' % kv.num_workers)
        print('flat all_reduce 400 KB:          %8.3f ms (median of %d rounds)'
              % (sorted(flats)[ROUNDS // 2] * 1e3, ROUNDS))
        print('pushpull 100 keys, one call:     %8.3f ms  (%.1fx flat; rounds %s)'
              % (sorted(lists)[ROUNDS // 2] * 1e3, med,
                 ' '.join('%.1f' % r for r in ratios)))
        print('pushpull 100 keys, call per key: %8.3f ms  (%.1fx flat)'
              % (t_each * 1e3, t_each / sorted(flats)[ROUNDS // 2]))
        print('pushpull 40 MB key: %.3f s = %.2f GB/s (raw all_reduce %.2f GB/s)'
              % (t_big, 40 * 1024 * 1024 / t_big / 1e9, 40 * 1024 * 1024 / t_big_raw / 1e9))
        print('Python of one 100-key pushpull: %d calls, %.0f us with the collective'
              % (calls, micros))


if __name__ == '__main__':
    main()
