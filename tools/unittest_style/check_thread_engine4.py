"""Thread-local state and engine corners in the style of MXNet 1.9.1's test_thread_local.py and
test_engine.py (own code). Run with tools/unittest_style/run.py (--only thread_engine4).
"""
import threading

import numpy as np

import mxnet as mx
from mxnet import gluon, nd
from mxnet.test_utils import *  # noqa: F401,F403
from _harness import main


def _in_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def test_blockscope_per_thread():
    with mx.name.Prefix("outer_"):
        inner = _in_thread(lambda: gluon.nn.Dense(2).name)
        outer = gluon.nn.Dense(2).name
    assert not inner.startswith("outer_")
    assert outer.startswith("dense")


def test_name_manager_counters_per_thread():
    def make():
        with mx.name.NameManager():
            return [mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=2).name for _ in range(2)]
    assert _in_thread(make) == ["fullyconnected0", "fullyconnected1"]


def test_np_shape_flag_per_thread():
    with mx.util.np_shape(True):
        seen = _in_thread(mx.util.is_np_shape)
        assert mx.util.is_np_shape()
    assert seen is False


def test_np_array_flag_per_thread():
    with mx.util.np_array(True):
        seen = _in_thread(mx.util.is_np_array)
        assert mx.util.is_np_array()
    assert seen is False


def test_default_context_per_thread():
    with mx.Context("cpu", 2):
        seen = _in_thread(lambda: nd.ones((1,)).context)
        here = nd.ones((1,)).context
    assert here == mx.cpu(2) and seen == mx.cpu(0)


def test_global_np_shape_set_in_thread_stays_there():
    def work():
        mx.util.set_np_shape(True)
        return mx.util.is_np_shape()
    assert _in_thread(work) is True
    assert mx.util.is_np_shape() is False


def test_symbol_attr_scope_in_thread():
    def work():
        with mx.AttrScope(group="4", data="great"):
            data = mx.sym.var("data", attr={"dtype": "data", "group": "1"})
            return data.attr("dtype"), data.attr("group"), data.attr("data")
    assert _in_thread(work) == ("data", "1", "great")


def test_engine_bulk_threads_independent_values():
    results = []

    def work():
        with mx.engine.bulk(3):
            x = nd.zeros((2,))
            for _ in range(10):
                x += 1
        results.append(x.asnumpy())
    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert_almost_equal(r, np.full((2,), 10.0))


def test_engine_openmp_style_after_ops():
    x = nd.random.uniform(shape=(50, 50))
    y = nd.dot(x, x)
    nd.waitall()
    assert y.shape == (50, 50)


def test_ops_in_many_threads_match_serial():
    data = [nd.array(np.random.uniform(size=(8, 8))) for _ in range(4)]
    serial = [nd.dot(d, d).asnumpy() for d in data]
    out = [None] * 4

    def work(i):
        out[i] = nd.dot(data[i], data[i]).asnumpy()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(serial, out):
        assert_almost_equal(a, b)


if __name__ == "__main__":
    main(globals())
