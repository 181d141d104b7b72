"""Runtime corners in the style of MXNet's test_thread_local.py, test_dlpack (test_ndarray),
test_exc_handling.py, test_engine.py and test_profiler.py (own code)."""
import os
import tempfile
import threading

import numpy as np

import mxnet as mx
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises
from _harness import main


# ---- thread-local scopes ------------------------------------------------------------------

def test_context_is_thread_local():
    seen = []

    def worker():
        seen.append(mx.current_context())
        with mx.Context("cpu", 5):
            seen.append(mx.current_context())

    with mx.Context("cpu", 3):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert mx.current_context() == mx.cpu(3)
    assert seen[0] == mx.cpu(0) and seen[1] == mx.cpu(5)


def test_attr_scope_is_thread_local():
    seen = []

    def worker():
        with mx.AttrScope(y="hi"):
            seen.append(mx.sym.var("b").attr("y"))
            seen.append(mx.sym.var("c").attr("x"))

    with mx.AttrScope(x="hello"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert mx.sym.var("a").attr("x") == "hello"
    assert seen == ["hi", None]


def test_name_manager_is_thread_local():
    names = []

    def worker():
        with mx.name.Prefix("t_"):
            names.append(mx.sym.var("x").name)
            names.append(mx.sym.FullyConnected(mx.sym.var("d"), num_hidden=2).name)

    with mx.name.Prefix("main_"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        mine = mx.sym.FullyConnected(mx.sym.var("d"), num_hidden=2).name
    assert names[0] == "x" and names[1].startswith("t_fullyconnected")
    assert mine.startswith("main_fullyconnected")


def test_autograd_state_is_thread_local():
    flags = []

    def worker():
        flags.append((mx.autograd.is_recording(), mx.autograd.is_training()))

    with mx.autograd.record():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert mx.autograd.is_recording()
    assert flags == [(False, False)]


def test_np_shape_is_thread_local():
    seen = []

    def worker():
        seen.append(mx.util.is_np_shape())

    with mx.util.np_shape(True):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert mx.util.is_np_shape()
    assert seen == [False]


def test_blocks_in_threads():
    net = mx.gluon.nn.Dense(3, in_units=4)
    net.initialize()
    x = mx.nd.ones((2, 4))
    ref = net(x).asnumpy()
    results = []

    def worker():
        results.append(net(x).asnumpy())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert_almost_equal(r, ref)


# ---- DLPack ---------------------------------------------------------------------------------

def test_dlpack_for_read_and_write():
    x = mx.nd.arange(6).reshape((2, 3))
    pack = x.to_dlpack_for_read()
    y = mx.nd.from_dlpack(pack)
    assert_almost_equal(y, x.asnumpy())
    z = mx.nd.zeros((2, 3))
    w = mx.nd.from_dlpack(z.to_dlpack_for_write())
    w += 1
    mx.nd.waitall()
    assert_almost_equal(z, np.ones((2, 3)))


def test_dlpack_module_functions():
    x = mx.nd.array([[1, 2], [3, 4]], dtype="int32")
    y = mx.nd.from_dlpack(mx.nd.to_dlpack_for_read(x))
    assert y.dtype == np.int32 and y.asnumpy().tolist() == [[1, 2], [3, 4]]


def test_dlpack_numpy_round_trip():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = mx.nd.from_numpy(a, zero_copy=True) if hasattr(mx.nd, "from_numpy") else mx.nd.array(a)
    assert_almost_equal(x, a)
    b = mx.nd.from_dlpack(x.to_dlpack_for_read())
    assert_almost_equal(b, a)


# ---- exceptions surface at the call, waitall or asnumpy -------------------------------------

def test_exception_in_op_is_raised_by_waitall_or_call():
    def run():
        a = mx.nd.random.normal(0, 1, (2, 2))
        b = mx.nd.random.normal(0, 1, (3, 3))
        c = mx.nd.dot(a, b)
        c.wait_to_read()
    assertRaises(mx.base.MXNetError, run)


def test_exception_from_bad_shape_in_symbol_forward():
    x = mx.sym.var("x")
    y = mx.sym.FullyConnected(x, num_hidden=3)
    assertRaises(RuntimeError, y.simple_bind, mx.cpu(), x=(2, 0, 0, 0, 0, 0, 0, 0))


def test_exception_does_not_poison_later_work():
    try:
        mx.nd.dot(mx.nd.ones((2, 2)), mx.nd.ones((3, 3))).asnumpy()
    except mx.base.MXNetError:
        pass
    mx.nd.waitall()
    assert mx.nd.ones((2,)).sum().asscalar() == 2


def test_exception_inside_gluon_forward():
    net = mx.gluon.nn.Dense(2, in_units=3)
    net.initialize()
    assertRaises(mx.base.MXNetError, lambda: net(mx.nd.ones((4, 5))).asnumpy())
    net.hybridize()
    assertRaises(mx.base.MXNetError, lambda: net(mx.nd.ones((4, 5))).asnumpy())


def test_engine_bulk_and_waitall():
    with mx.engine.bulk(10):
        x = mx.nd.ones((3,))
        for _ in range(20):
            x += 1
    mx.nd.waitall()
    assert x.asnumpy().tolist() == [21, 21, 21]
    prev = mx.engine.set_bulk_size(5)
    assert mx.engine.set_bulk_size(prev) == 5


# ---- profiler -------------------------------------------------------------------------------

def test_profiler_dump_and_dumps():
    fname = os.path.join(tempfile.mkdtemp(), "profile.json")
    mx.profiler.set_config(profile_all=True, filename=fname, aggregate_stats=True)
    mx.profiler.set_state("run")
    a = mx.nd.ones((10, 10))
    b = mx.nd.dot(a, a)
    b.wait_to_read()
    mx.profiler.set_state("stop")
    text = mx.profiler.dumps(reset=True)
    assert isinstance(text, str)
    mx.profiler.dump()
    assert os.path.exists(fname)


def test_profiler_objects():
    domain = mx.profiler.Domain("d")
    task = mx.profiler.Task(domain, "task")
    frame = mx.profiler.Frame(domain, "frame")
    event = mx.profiler.Event("event")
    counter = mx.profiler.Counter(domain, "counter", 5)
    marker = mx.profiler.Marker(domain, "marker")
    mx.profiler.set_state("run")
    for obj in (task, frame, event):
        obj.start()
        obj.stop()
    counter += 3
    counter -= 1
    counter.set_value(10)
    marker.mark("process")
    mx.profiler.pause()
    mx.profiler.resume()
    mx.profiler.set_state("stop")


main(globals())
