"""mx.contrib checks in the style of MXNet's test_contrib_autograd.py / test_contrib_text.py /
test_contrib_io.py (own code)."""
import collections

import numpy as np

import mxnet as mx
from mxnet.contrib.autograd import grad, grad_and_loss, compute_gradient, mark_variables, \
    train_section, test_section, set_is_training, backward
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


@with_seed()
def test_contrib_autograd_unary_binary():
    def autograd_assert(*args, **kwargs):
        func = kwargs["func"]
        grad_f = kwargs["grad_func"]
        argnum = kwargs["argnum"] if "argnum" in kwargs else None
        grad_func = grad_and_loss(func, argnum)
        grad_vals, output = grad_func(*args)
        res = func(*args)
        assert same(output.asnumpy(), res.asnumpy())
        grad_res = grad_f(*args)
        assert len(grad_vals) == len(grad_res)
        for a, b in zip(grad_vals, grad_res):
            assert same(a.asnumpy(), b.asnumpy())
    x = mx.nd.uniform(shape=(4, 5))
    autograd_assert(x, func=lambda x: mx.nd.exp(x), grad_func=lambda x: [mx.nd.exp(x)])
    autograd_assert(x, func=lambda x: x / 2, grad_func=lambda x: [mx.nd.ones(x.shape) * 0.5])
    y = mx.nd.uniform(shape=(4, 5))
    autograd_assert(x, y, func=lambda x, y: x * y, grad_func=lambda x, y: [y, x])
    autograd_assert(x, y, True, argnum=[0, 1], func=lambda a, b, m: a + b if m else a * b,
                    grad_func=lambda a, b, m: [mx.nd.ones(a.shape), mx.nd.ones(b.shape)])
    g = grad(lambda x: x * 3)(x)
    assert same(g[0].asnumpy(), np.full((4, 5), 3, dtype=np.float32))


@with_seed()
def test_contrib_training_sections_and_out_grads():
    x = mx.nd.ones((10, 10))
    with train_section():
        y = mx.nd.Dropout(x, p=0.5)
        assert not (y.asnumpy() == x.asnumpy()).all()
        with test_section():
            y = mx.nd.Dropout(x, p=0.5)
            assert (y.asnumpy() == x.asnumpy()).all()
    x = mx.nd.ones((3, 5))
    dx = mx.nd.zeros_like(x)
    mark_variables([x], [dx])
    da = None
    db = mx.nd.array([1, 2, 3, 4, 5])
    dc = mx.nd.array([5, 4, 3, 2, 1])
    with train_section():
        a, b, c = mx.nd.split(x, axis=0, num_outputs=3, squeeze_axis=True)
        backward([a, b, c], [da, db, dc])
    assert (dx.asnumpy() == np.array([[1, 1, 1, 1, 1], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]])).all()
    prev = set_is_training(True)
    assert prev is False
    set_is_training(False)
    x = mx.nd.ones((2,))
    dx = mx.nd.zeros((2,))
    mark_variables([x], [dx])
    with train_section():
        y = x * 4
    compute_gradient([y])
    assert same(dx.asnumpy(), np.full((2,), 4, dtype=np.float32))


@with_seed()
def test_contrib_text_vocab():
    counter = collections.Counter(["a", "b", "b", "c", "c", "c", "some_word$"])
    v = mx.contrib.text.vocab.Vocabulary(counter, most_freq_count=None, min_freq=1,
                                         unknown_token="<unk>", reserved_tokens=None)
    assert len(v) == 5
    assert v.token_to_idx == {"<unk>": 0, "c": 1, "b": 2, "a": 3, "some_word$": 4}
    assert v.idx_to_token[1] == "c"
    assert v.unknown_token == "<unk>"
    assert v.reserved_tokens is None
    assert v.to_indices(["a", "zz"]) == [3, 0]
    assert v.to_tokens([1, 2]) == ["c", "b"]
    v2 = mx.contrib.text.vocab.Vocabulary(counter, most_freq_count=2, min_freq=2,
                                          reserved_tokens=["<pad>"])
    assert v2.idx_to_token == ["<unk>", "<pad>", "c", "b"]
    c = mx.contrib.text.utils.count_tokens_from_str(" Life is great ! \n life is good . \n",
                                                    token_delim=" ", seq_delim="\n", to_lower=True)
    assert c == collections.Counter({"life": 2, "is": 2, "great": 1, "!": 1, "good": 1, ".": 1})


@with_seed()
def test_contrib_dataloader_iter():
    X = np.random.uniform(size=(10, 3)).astype(np.float32)
    Y = np.arange(10).astype(np.float32)
    loader = mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset(X, Y), batch_size=4,
                                      last_batch="keep")
    it = mx.contrib.io.DataLoaderIter(loader)
    batches = list(it)
    assert len(batches) == 3
    assert batches[0].data[0].shape == (4, 3)
    assert batches[-1].pad == 2
    assert it.provide_data[0].shape == (4, 3)
    it.reset()
    assert len(list(it)) == 3


main(globals())
