"""NumPy-shape mode (``mx.set_np_shape``/``np_shape``/``use_np_shape``/``set_np``) as in
MXNet 1.9.1. Expected values were read from real MXNet 1.9.1 (shapes, inference results, the
bytes ``nd.save`` writes in the mode); all comparisons are exact.
"""
import json
import threading
import warnings

import numpy as np
import pytest

import mxtorch as mx


@pytest.fixture(autouse=True)
def _legacy_after_each_test():
    yield
    mx.util.reset_np()


# ---- the switches ----------------------------------------------------------------------------


def test_default_is_legacy_and_set_returns_previous():
    assert not mx.util.is_np_shape() and not mx.util.is_np_array()
    assert mx.util.set_np_shape(True) is False
    assert mx.util.set_np_shape(True) is True
    assert mx.util.is_np_shape()
    assert mx.util.set_np_shape(False) is True
    assert not mx.util.is_np_shape()


def test_top_level_names():
    for name in ("set_np_shape", "np_shape", "use_np_shape", "is_np_shape", "is_np_array",
                 "np_array", "use_np", "use_np_array"):
        assert getattr(mx, name) is getattr(mx.util, name)


def test_scope_restores_and_nests():
    with mx.util.np_shape() as entered:
        assert entered is None and mx.util.is_np_shape()
        with mx.util.np_shape(False):
            assert not mx.util.is_np_shape()
        assert mx.util.is_np_shape()
    assert not mx.util.is_np_shape()
    with mx.util.np_array() as scope:
        assert scope is not None and mx.util.is_np_array() and not mx.util.is_np_shape()
    assert not mx.util.is_np_array()


def test_state_is_per_thread():
    mx.util.set_np_shape(True)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(mx.util.is_np_shape()))
    worker.start()
    worker.join()
    assert seen == [False] and mx.util.is_np_shape()


def test_set_np_and_reset_np():
    mx.util.set_np()
    assert mx.util.is_np_shape() and mx.util.is_np_array()
    with pytest.raises(ValueError, match="array semantics"):
        mx.util.set_np_shape(False)
    mx.util.reset_np()
    assert not mx.util.is_np_shape() and not mx.util.is_np_array()
    with pytest.raises(ValueError, match="need NumPy shape"):
        mx.util.set_np(shape=False, array=True)
    mx.util.set_np(shape=True, array=False)
    assert mx.util.is_np_shape() and not mx.util.is_np_array()


def test_decorators_on_functions():
    @mx.use_np_shape
    def shape_on():
        return mx.util.is_np_shape(), mx.util.is_np_array()

    @mx.util.use_np
    def both_on():
        return mx.util.is_np_shape(), mx.util.is_np_array()

    @mx.util.use_np_array
    def array_on():
        return mx.util.is_np_shape(), mx.util.is_np_array()

    @mx.use_np_shape
    def fails():
        raise KeyError("x")

    assert shape_on() == (True, False) and shape_on.__name__ == "shape_on"
    assert both_on() == (True, True) and array_on() == (False, True)
    with pytest.raises(KeyError):
        fails()
    assert not mx.util.is_np_shape() and not mx.util.is_np_array()
    with pytest.raises(TypeError, match="use_np_shape can only decorate"):
        mx.use_np_shape(3)


def test_decorator_on_a_class_wraps_every_method():
    @mx.use_np_shape
    class Probe:
        def __init__(self):
            self.at_init = mx.util.is_np_shape()

        def method(self):
            return mx.util.is_np_shape()

        @property
        def prop(self):
            return mx.util.is_np_shape()

        @staticmethod
        def static():
            return mx.util.is_np_shape()

        @classmethod
        def klass(cls):
            return mx.util.is_np_shape()

        def __call__(self):
            return mx.util.is_np_shape()

    p = Probe()
    assert (p.at_init, p.method(), p.prop, Probe.static(), Probe.klass(), p()) == (True,) * 6
    assert not mx.util.is_np_shape()


# ---- arrays ----------------------------------------------------------------------------------


def test_arrays_under_np_shape():
    with mx.np_shape(True):
        assert mx.nd.ones(()).shape == () and mx.nd.ones(()).size == 1
        assert mx.nd.zeros((0, 3)).shape == (0, 3) and mx.nd.zeros((0, 3)).size == 0
        assert mx.nd.array(5).shape == ()
        x = mx.nd.array([1, 2, 3])
        y = mx.nd.ones((2, 3))
        # integer indexing drops the axis down to 0-d, as MXNet does in this mode
        assert x[0].shape == () and x[-1].shape == () and float(x[1].asnumpy()) == 2.0
        assert y[1, 2].shape == () and y[1][2].shape == () and y[1].shape == (3,)
        assert y[:, 1].shape == (2,) and x[1:1].shape == (0,)
        # legacy operators keep their legacy results (MXNet 1.9.1 too)
        assert x.sum().shape == (1,) and x.norm().shape == (1,)
        assert mx.nd.zeros((0, 3)).sum(axis=0).shape == (3,)
        assert mx.nd.dot(mx.nd.zeros((0, 3)), mx.nd.ones((3, 4))).shape == (0, 4)


def test_legacy_indexing_unchanged():
    assert mx.nd.array([1, 2, 3])[0].shape == (1,)
    assert mx.nd.ones((2, 3))[1, 2].shape == (1,)


# bytes of nd.save({'a': ones(()), 'b': zeros((0, 3)), 'x': array([1, 2, 3])}) written by MXNet
# 1.9.1 under np_shape(True): every record is V3 (magic 0xF993FACA)
_NP_SAVE_HEX = (
    "120100000000000000000000000000000300000000000000cafa93f900000000000000000100000000000000"
    "000000000000803fcafa93f9000000000200000000000000000000000300000000000000010000000000000000"
    "000000cafa93f9000000000100000003000000000000000100000000000000000000000000803f000000400000"
    "40400300000000000000010000000000000061010000000000000062010000000000000078")


def test_save_writes_v3_records_like_mxnet(tmp_path):
    path = str(tmp_path / "np.params")
    with mx.np_shape(True):
        mx.nd.save(path, {"a": mx.nd.ones(()), "b": mx.nd.zeros((0, 3)),
                          "x": mx.nd.array([1, 2, 3])})
        with open(path, "rb") as f:
            assert f.read().hex() == _NP_SAVE_HEX
        loaded = mx.nd.load(path)
    assert {k: v.shape for k, v in loaded.items()} == {"a": (), "b": (0, 3), "x": (3,)}
    assert loaded["x"].asnumpy().tolist() == [1.0, 2.0, 3.0]
    mx.nd.save(path, {"x": mx.nd.array([1, 2, 3])})  # legacy mode: V2 (0xF993FAC9)
    with open(path, "rb") as f:
        assert f.read()[24:28].hex() == "c9fa93f9"


# ---- symbols ---------------------------------------------------------------------------------


def _fc():
    return mx.sym.FullyConnected(mx.sym.var("d"), num_hidden=4, name="fc")


def test_infer_shape_spells_unknown_as_minus_one():
    fc = _fc()
    with mx.np_shape(True):
        assert fc.infer_shape_partial() == ([None, None, None], [None], [])
        assert fc.infer_shape_partial(d=(-1, 5)) == ([(-1, 5), (4, 5), (4,)], [(-1, 4)], [])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert fc.infer_shape(d=(-1, 5)) == (None, None, None)
            assert "d: (-1, 5)" in str(caught[-1].message)
            caught.clear()
            # 0 is a real (zero-size) dim in this mode: complete, no warning
            assert fc.infer_shape(d=(0, 5)) == ([(0, 5), (4, 5), (4,)], [(0, 4)], [])
            assert not caught
    assert fc.infer_shape_partial() == ([(), (), ()], [()], [])
    assert fc.infer_shape_partial(d=(0, 5)) == ([(0, 5), (4, 5), (4,)], [(0, 4)], [])


def test_zero_size_and_scalar_variables():
    with mx.np_shape(True):
        scalar = mx.sym.var("w", shape=())
        assert scalar.list_attr() == {"__shape__": "()"}
        assert (scalar + 1).infer_shape_partial() == ([()], [()], [])
        empty = mx.sym.var("u", shape=(0, 3))
        assert (empty + 1).infer_shape_partial() == ([(0, 3)], [(0, 3)], [])
        exe = (mx.sym.var("a") * 2).simple_bind(mx.cpu(), a=(0, 3))
        assert exe.arg_arrays[0].shape == (0, 3) and exe.forward()[0].shape == (0, 3)
        with pytest.raises(mx.MXNetError):
            (mx.sym.var("a") * 2).simple_bind(mx.cpu(), a=(-1, 3))
    # legacy mode: a -1 is an unknown dim too, shown as 0
    assert mx.sym.var("v", shape=(-1, 3)).infer_shape_partial() == ([(0, 3)], [(0, 3)], [])


def _nodes(symbol):
    return {n["name"]: n.get("attrs") for n in json.loads(symbol.tojson())["nodes"]}


def test_json_in_np_shape_mode():
    legacy = mx.sym.Group([mx.sym.var("a", shape=(0, 3)) * 2, mx.sym.var("b", shape=()) + 1,
                           mx.sym.var("c", shape=(2, 0, 0)) + 1,
                           mx.sym.zeros(shape=(2, 0, 4), name="z")]).tojson()
    assert "is_np_shape" not in json.loads(legacy)["attrs"]
    with mx.np_shape(True):
        loaded = mx.sym.load_json(legacy)
        nodes = _nodes(loaded)
        # MXNet rewrites a legacy file's variable shapes: 0 -> -1, () -> None
        assert nodes["a"] == {"__shape__": "[-1,3]"} and nodes["b"] == {"__shape__": "None"}
        assert nodes["c"] == {"__shape__": "[2,-1,-1]"}
        assert nodes["z"] == {"dtype": "float32", "shape": "(2, 0, 4)"}
        assert json.loads(loaded.tojson())["attrs"] == {"is_np_shape": ["int", 1],
                                                        "mxnet_version": ["int", 10901]}
        assert loaded.infer_shape_partial() == ([(-1, 3), None, (2, -1, -1)],
                                                [(-1, 3), None, (2, -1, -1), (2, 0, 4)], [])
        np_file = mx.sym.Group([mx.sym.var("v", shape=(-1, 3)) + 1,
                                mx.sym.var("w", shape=()) + 1]).tojson()
        again = mx.sym.load_json(np_file)
        assert _nodes(again)["v"] == {"__shape__": "(-1, 3)"}
        assert again.infer_shape_partial() == ([(-1, 3), ()], [(-1, 3), ()], [])
    back = mx.sym.load_json(np_file)  # an np-shape file read in legacy mode
    assert _nodes(back)["v"] == {"__shape__": "(-1, 3)"}
    assert back.infer_shape_partial() == ([(0, 3), ()], [(0, 3), ()], [])
    assert "is_np_shape" not in json.loads(back.tojson())["attrs"]


def test_np_shape_inference_keeps_real_zero_dims_through_ops():
    data = mx.sym.var("data")
    net = mx.sym.FullyConnected(mx.sym.relu(data), num_hidden=3, name="fc")
    with mx.np_shape(True):
        arg, out, _ = net.infer_shape(data=(0, 5))
    assert arg == [(0, 5), (3, 5), (3,)] and out == [(0, 3)]
    assert np.prod(out[0]) == 0
