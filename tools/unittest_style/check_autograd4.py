"""Round-4 autograd corners in the style of MXNet's test_autograd.py (own code):
``autograd.get_symbol`` of recorded graphs, and gradients of integer arithmetic.

Run with tools/unittest_style/run.py (--only autograd4).
"""
import json

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon, nd
from mxnet.test_utils import *  # noqa: F401,F403
from _harness import main


def test_get_symbol_argument_counts():
    x = nd.ones((1,))
    x.attach_grad()
    with autograd.record():
        y = x * x + 2 * x - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 1
    z = nd.ones((1,))
    z.attach_grad()
    with autograd.record():
        y = x * x + 2 * z - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 2


def test_get_symbol_ops_and_bind():
    x = nd.array(np.arange(6).reshape(2, 3))
    x.attach_grad()
    w = nd.ones((4, 3))
    w.attach_grad()
    with autograd.record():
        u = nd.relu(nd.FullyConnected(x * 2 - 1, w, num_hidden=4, no_bias=True)).sum()
    sym = autograd.get_symbol(u)
    ops = [n["op"] for n in json.loads(sym.tojson())["nodes"] if n["op"] != "null"]
    assert ops == ["_mul_scalar", "_minus_scalar", "FullyConnected", "relu", "sum"], ops
    names = sym.list_arguments()
    out = sym.bind(mx.cpu(), dict(zip(names, [x, w]))).forward()[0]
    assert_almost_equal(out.asnumpy(), u.asnumpy())


def test_get_symbol_slices():
    x = nd.array(np.arange(12).reshape(4, 3))
    x.attach_grad()
    with autograd.record():
        v = x[0:1] + x[1]
    sym = autograd.get_symbol(v)
    out = sym.bind(mx.cpu(), {sym.list_arguments()[0]: x}).forward()[0]
    assert_almost_equal(out.asnumpy(), v.asnumpy())


def test_get_symbol_infer_shape_unknown():
    x = nd.ones((2, 3))
    x.attach_grad()
    with autograd.record():
        y = nd.sin(x) * 3
    sym = autograd.get_symbol(y)
    arg, out, aux = sym.infer_shape_partial()
    assert len(arg) == 1 and len(out) == 1


def _int_case(fn, shapes, dtype):
    xs = [nd.array(np.arange(1, 1 + int(np.prod(s))).reshape(s), dtype=dtype) for s in shapes]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = fn(*xs)
    y.backward()
    assert y.dtype == np.dtype(dtype)
    return [x.grad for x in xs]


def test_int_add_sub_mul_grads():
    for dtype in ("int32", "int64", "int8", "uint8"):
        ga, gb = _int_case(lambda a, b: a * b - a + b, ((2, 3), (2, 3)), dtype)
        assert ga.dtype == np.dtype(dtype)
        base = np.arange(1, 7).reshape(2, 3)
        assert_almost_equal(ga.asnumpy().astype(np.int64),
                            (base - 1).astype(dtype).astype(np.int64))
        assert_almost_equal(gb.asnumpy().astype(np.int64),
                            (base + 1).astype(dtype).astype(np.int64))


def test_int_broadcast_and_reduce_grads():
    ga, gb = _int_case(nd.broadcast_mul, ((2, 3), (1, 3)), "int32")
    assert_almost_equal(ga.asnumpy(), np.array([[1, 2, 3], [1, 2, 3]]))
    assert_almost_equal(gb.asnumpy(), np.array([[5, 7, 9]]))
    g, = _int_case(lambda a: nd.sum(a, axis=1), ((2, 3),), "int64")
    assert_almost_equal(g.asnumpy(), np.ones((2, 3)))
    g, = _int_case(nd.mean, ((2, 3),), "int32")
    assert_almost_equal(g.asnumpy(), np.zeros((2, 3)))


def test_int_shape_ops_grads():
    g, = _int_case(lambda a: a.reshape((3, 2)) * 2, ((2, 3),), "int32")
    assert_almost_equal(g.asnumpy(), 2 * np.ones((2, 3)))
    g, = _int_case(lambda a: a[0:1], ((2, 3),), "int32")
    assert_almost_equal(g.asnumpy(), np.array([[1, 1, 1], [0, 0, 0]]))
    ga, gb = _int_case(lambda a, b: nd.concat(a, b, dim=0), ((2, 3), (2, 3)), "int32")
    assert_almost_equal(gb.asnumpy(), np.ones((2, 3)))


def test_int_then_cast_to_float():
    g, = _int_case(lambda a: (a * a).astype("float32").astype("int32"), ((2, 3),), "int32")
    assert_almost_equal(g.asnumpy(), 2 * np.arange(1, 7).reshape(2, 3))


if __name__ == "__main__":
    main(globals())
