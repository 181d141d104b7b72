"""A distributed Gluon Trainer step against torch DDP on the same model and shards (not run
by CI).

Run from the repository root (both sides run in the same worker processes, alternated)::

    OMP_NUM_THREADS=1 .venv/bin/python -m mxtorch.launch -n 2 \\
        .venv/bin/python tools/bench_dist_trainer.py [--steps 60] [--rounds 3]

Model: an MLP 784-512-512-10 (~0.67 M parameters), batch 32 per worker, SGD momentum.
mxtorch: ``gluon.Trainer(kvstore='dist_sync')`` (forward, backward, ``step``), with the
all-reduce overlap off (the default) and on (``MXNET_KVSTORE_OVERLAP=1``). torch: the same
layers in ``DistributedDataParallel`` (gloo) and ``torch.optim.SGD``. Rank 0 prints the median
ms per step of each side per round and the ratio mxtorch / DDP; also the 2bit-compressed
Trainer. On one machine the collective costs little next to the compute, so the ratio mostly
shows per-step Python overhead; overlap and scaling need a real cluster.
"""
import argparse
import os
import statistics
import time

import numpy as np
import torch
import torch.distributed as dist

import mxnet as mx

SIZES = (784, 512, 512, 10)
BATCH = 32


def _data(rank, steps):
    rs = np.random.RandomState(rank)
    return (rs.randn(steps, BATCH, SIZES[0]).astype('float32'),
            rs.randint(0, SIZES[-1], (steps, BATCH)).astype('int64'))


def _time_steps(step, steps):
    times = []
    for i in range(steps):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times[5:]) * 1e3


def mxtorch_side(rank, steps, compression=None, overlap=False):
    os.environ['MXNET_KVSTORE_OVERLAP'] = '1' if overlap else '0'
    try:
        return _mxtorch_steps(rank, steps, compression)
    finally:
        del os.environ['MXNET_KVSTORE_OVERLAP']


def _mxtorch_steps(rank, steps, compression):
    net = mx.gluon.nn.HybridSequential()
    for units in SIZES[1:-1]:
        net.add(mx.gluon.nn.Dense(units, activation='relu'))
    net.add(mx.gluon.nn.Dense(SIZES[-1]))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.01, 'momentum': 0.9}, kvstore='dist_sync',
                               compression_params=compression)
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    x, y = _data(rank, steps)
    xs = [mx.nd.array(b) for b in x]
    ys = [mx.nd.array(b) for b in y]

    def step(i):
        with mx.autograd.record():
            loss = loss_fn(net(xs[i]), ys[i])
        loss.backward()
        trainer.step(BATCH)
        loss.wait_to_read()
    return _time_steps(step, steps)


def ddp_side(rank, steps):
    layers = []
    for a, b in zip(SIZES[:-2], SIZES[1:-1]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    layers.append(torch.nn.Linear(SIZES[-2], SIZES[-1]))
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Sequential(*layers))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = _data(rank, steps)
    xs = [torch.from_numpy(b) for b in x]
    ys = [torch.from_numpy(b) for b in y]

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xs[i]), ys[i]).backward()
        opt.step()
    return _time_steps(step, steps)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=60)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    kv = mx.kv.create('dist_sync')  # makes the process group
    rank = kv.rank
    rows = []
    for _ in range(args.rounds):
        dist.barrier()
        ours = mxtorch_side(rank, args.steps)
        dist.barrier()
        theirs = ddp_side(rank, args.steps)
        dist.barrier()
        overlapped = mxtorch_side(rank, args.steps, overlap=True)
        dist.barrier()
        twobit = mxtorch_side(rank, args.steps, {'type': '2bit', 'threshold': 0.01})
        rows.append((ours, theirs, overlapped, twobit))
    if rank == 0:
        print('workers %d, torch threads %d' % (kv.num_workers, torch.get_num_threads()))
        for ours, theirs, overlapped, twobit in rows:
            print('mxtorch Trainer %.2f ms/step, torch DDP %.2f ms/step: ratio %.2f; with '
                  'overlap %.2f ms/step (ratio %.2f); 2bit Trainer %.2f ms/step'
                  % (ours, theirs, ours / theirs, overlapped, overlapped / theirs, twobit))


if __name__ == '__main__':
    main()
