"""Benchmark of the distributed kvstore on loopback gloo (not run by CI).

Run from the repository root::

    .venv/bin/python -m mxtorch.launch -n 2 .venv/bin/python tools/bench_dist_kvstore.py

Rank 0 prints: pushpull of 100 keys x 1000 float32 (one call with the key list, and one call
per key) against one flat torch all-reduce of the same bytes, and the bandwidth of pushpull on
one 40 MB key (bytes of the key / seconds per pushpull).
"""
import time

import torch
import torch.distributed as dist

import mxnet as mx


def _timed(fn, repeat):
    fn()
    dist.barrier()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    dist.barrier()
    return (time.perf_counter() - start) / repeat


def main():
    kv = mx.kv.create('dist_sync')
    keys = list(range(100))
    vals = [mx.nd.ones((1000,)) for _ in keys]
    kv.init(keys, vals)
    flat = torch.ones(100 * 1000)
    t_list = _timed(lambda: kv.pushpull(keys, vals), 50)
    t_each = _timed(lambda: [kv.pushpull(k, v) for k, v in zip(keys, vals)], 5)
    t_flat = _timed(lambda: dist.all_reduce(flat), 50)
    big = mx.nd.ones((10 * 1024 * 1024,))  # 40 MB of float32
    kv.init(1000, big)
    t_big = _timed(lambda: kv.pushpull(1000, big), 5)
    t_big_raw = _timed(lambda: dist.all_reduce(big._t), 5)
    if kv.rank == 0:
        print('workers: %d' % kv.num_workers)
        print('flat all_reduce 400 KB:          %8.3f ms' % (t_flat * 1e3))
        print('pushpull 100 keys, one call:     %8.3f ms  (%.1fx flat)'
              % (t_list * 1e3, t_list / t_flat))
        print('pushpull 100 keys, call per key: %8.3f ms  (%.1fx flat)'
              % (t_each * 1e3, t_each / t_flat))
        print('pushpull 40 MB key: %.3f s = %.2f GB/s (raw all_reduce %.2f GB/s)'
              % (t_big, 40 * 1024 * 1024 / t_big / 1e9, 40 * 1024 * 1024 / t_big_raw / 1e9))


if __name__ == '__main__':
    main()
