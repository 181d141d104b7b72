"""Distributed training checked against one process (tests/dist_train_worker.py, 3 workers
under ``python -m mxtorch.launch``): 50 steps of SGD-momentum and Adam with
update_on_kvstore True/None/False, a Module with Adam, uneven inputs under join(), and an
extra step on one rank naming the others' progress."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
N = 3


@pytest.fixture(scope='module')
def ranks(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('train'))
    proc = subprocess.run([sys.executable, '-m', 'mxtorch.launch', '-n', str(N), sys.executable,
                           os.path.join(HERE, 'dist_train_worker.py'), out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=400)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    res = []
    for r in range(N):
        with open(os.path.join(out, 'rank%d.json' % r)) as f:
            res.append(json.load(f))
    return res


CASES = ['%s_%s_%s' % (kind, opt, uok) for kind in ('even', 'join')
         for opt in ('sgd', 'adam') for uok in (True, None, False)] + \
    ['module_adam', 'even_sgd_nooverlap', 'even_adam_nooverlap']


def test_allreduce_overlaps_backward(ranks):
    # from the second step on, every push is answered by all-reduces that gradient hooks
    # started during backward (49 of 50 steps); none with MXNET_KVSTORE_OVERLAP=0
    for res in ranks:
        for opt in ('sgd', 'adam'):
            for uok in (True, None, False):
                assert res['overlapped_%s_%s' % (opt, uok)] == 49
            assert res['overlapped_%s_off' % opt] is False


def test_overlap_sends_again_gradients_changed_before_step(ranks):
    # rank 0 clips its gradients on steps 2, 4, ..., 18 (step 0 has no overlap yet): the one
    # bucket is reduced again on every worker; parameters equal those without overlap
    for res in ranks:
        got = res['overlap_clip']
        assert got['taken'] == 19 and got['rereduced'] == 9, got
        assert got['maxdiff'] <= 1e-6, got


@pytest.mark.parametrize('case', CASES)
def test_three_workers_equal_one_process(ranks, case):
    # float32 sums in another order: <= 1e-6 after 50 steps (12 uneven steps for join)
    for res in ranks:
        assert res['n'] == N
        assert res[case]['maxdiff'] <= 1e-6, (case, res[case]['maxdiff'])
        assert res[case]['first'] == ranks[0][case]['first']


def test_store_join_adds_zeros_for_workers_that_left(ranks):
    # rank r pushes ones N - r times, SGD lr 1: w = -(3 + 2 + 1)
    for res in ranks:
        assert res['kv_join'] == [-6.0] * 3


def test_store_join_serves_init_and_barrier_of_the_others(ranks):
    # 'a': rank r pushes n - r ones, then rank 0 alone once more: -(3 + 2 + 1 + 1);
    # 'late': rank 0 alone initialises 7 and pushes 1 (the others store it, add zeros);
    # 'late2': ranks 1 and 2 initialise (rank 1's 10 wins: rank 0 left) and push 1 each
    for res in ranks:
        got = res['kv_join_init_barrier']
        assert got['a'] == [-7.0] * 3
        assert got['late'] == [6.0] * 4
        assert got['late2'] == [8.0] * 4


def test_worker_without_batches_follows_the_others(ranks):
    # rank 2 had no batch at all: it took rank 0's initial weights and the others' steps
    for res in ranks:
        for case in ('zero_batch_sgd_None', 'zero_batch_adam_False'):
            assert res[case] <= 1e-6, (case, res[case])


def test_trainer_join_before_first_step_with_deferred_shapes_raises_clearly():
    # a worker that never stepped and never ran forward cannot know the parameters' shapes
    import mxtorch as mx
    from mxtorch.gluon.trainer import TrainerError
    net = mx.gluon.nn.Dense(2)
    net.initialize()
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1},
                               kvstore='dist_sync')
    with pytest.raises(TrainerError, match='before its first step while parameters .* '
                                           'deferred shapes.*run one forward pass'):
        trainer._shadow_step(0.25)


def test_shadow_step_before_first_step_takes_weights_and_scale():
    # what a worker without batches does at the others' first push: the keys the others
    # initialised (served into its store while it shadowed) become its weights
    import mxtorch as mx
    net = mx.gluon.nn.Dense(2, in_units=3)
    net.initialize()
    kv = mx.kv.create('dist_sync')
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1,
                                                             'momentum': 0.9}, kvstore=kv)
    idx = trainer._param2idx
    kv.init([idx[net.weight.name], idx[net.bias.name]],
            [mx.nd.ones((2, 3)) * 0.5, mx.nd.ones((2,)) * -1])
    trainer._shadow_step(0.25)  # a zero-gradient step: weights stay rank 0's
    assert trainer._optimizer.rescale_grad == 0.25
    assert net.weight.data().asnumpy().tolist() == [[0.5] * 3] * 2
    assert net.bias.data().asnumpy().tolist() == [-1.0, -1.0]


def test_extra_step_names_the_other_ranks_and_last_key(ranks):
    err = ranks[0]['extra']['error']
    assert err is not None and "'last_w'" in err and 'rank 0 of 3' in err
    for r in (1, 2):
        assert "rank %d finished after round" % r in err
    assert ranks[0]['extra']['seconds'] < 10
    assert all('extra' not in res for res in ranks[1:])
