"""Patterns GluonTS (MXNet models, gluonts 0.16) relies on, reproduced without the library.

Expected values were captured from MXNet 1.9.1 (the oracle) and are inlined; the driver that
found them is tools/libs/gluonts/ (needs the oracle and gluonts; not run here).
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon import HybridBlock, rnn


# ---- gluon.block private helpers (gluonts.mx.util imports _flatten) ------------------------

def test_block_flatten_regroup_formats():
    from mxtorch.gluon.block import _flatten, _regroup
    a, b, c = mx.nd.ones(2), mx.nd.ones(3), mx.nd.ones(1)
    flat, fmt = _flatten([a, (b, [None, c])], "input")
    assert fmt == [0, [0, [-1, 0]]]  # MXNet 1.9.1's format for this nesting
    assert [None if x is None else x.shape for x in flat] == [(2,), (3,), None, (1,)]
    again = _regroup(flat, fmt)
    assert again[1][1][0] is None and again[1][1][1] is c
    with pytest.raises(ValueError):
        _regroup([1, 2, 3, 4], [0, [0, [-1, 0]]])  # a value where None was traced


# ---- dtype attributes given as NumPy types (gluonts: Embedding(dtype=np.float32)) ----------

def test_embedding_dtype_numpy_type_nd_and_sym():
    out = mx.nd.Embedding(mx.nd.array([1]), mx.nd.ones((4, 3)), input_dim=4, output_dim=3,
                          dtype=np.float32)
    assert out.shape == (1, 3) and out.dtype == np.float32
    s = mx.sym.Embedding(mx.sym.var("x"), input_dim=4, output_dim=3, dtype=np.float64)
    assert s.attr_dict()[s.name]["dtype"] == "float64"  # MXNet stores the name


def test_gluon_embedding_numpy_dtype_hybridized():
    e = mx.gluon.nn.Embedding(4, 3, dtype=np.float32)
    e.initialize()
    e.hybridize()
    assert e(mx.nd.array([1, 2])).shape == (2, 3)


# ---- backward shape inference: Reshape and _rnn_param_concat fill inputs from outputs ------

def _partial(sym):
    args, outs, aux = sym.infer_shape_partial()
    return [tuple(s) for s in args], [tuple(s) for s in outs]


@pytest.mark.parametrize("build, expected", [
    # (graph, MXNet 1.9.1's infer_shape_partial argument shapes)
    (lambda: mx.sym.Reshape(mx.sym.var("x", shape=(32, 0)), shape=(-1,))
     + mx.sym.var("z", shape=(96,)), [(32, 3), (96,)]),
    (lambda: mx.sym.Reshape(mx.sym.var("x", shape=(0, 3)), shape=(4, -1))
     + mx.sym.var("k", shape=(4, 6)), [(8, 3), (4, 6)]),
    # two unknown dims: nothing follows
    (lambda: mx.sym.Reshape(mx.sym.var("x", shape=(0, 3, 0)), shape=(-1,))
     + mx.sym.var("k", shape=(24,)), [(0, 3, 0), (24,)]),
    (lambda: mx.sym._internal._rnn_param_concat(
        mx.sym.var("a", shape=(8,)), mx.sym.var("w", shape=(0, 4)).reshape(-1), dim=0,
        num_args=2) + mx.sym.var("q", shape=(20,)), [(8,), (3, 4), (20,)]),
    # unknown sizes share the rest equally; other dims come from the output
    (lambda: mx.sym._internal._rnn_param_concat(
        mx.sym.var("w", shape=(0, 4)).reshape(-1), mx.sym.var("v", shape=(0, 2)).reshape(-1),
        mx.sym.var("a", shape=(8,)), dim=0, num_args=3) + mx.sym.var("q", shape=(32,)),
     [(3, 4), (6, 2), (8,), (32,)]),
    (lambda: mx.sym._internal._rnn_param_concat(
        mx.sym.var("w", shape=(2, 0)), mx.sym.var("v", shape=(2, 0)),
        mx.sym.var("a", shape=(2, 3)), dim=1, num_args=3) + mx.sym.var("q", shape=(2, 9)),
     [(2, 3), (2, 3), (2, 3), (2, 9)]),
    # Concat has no backward rule in MXNet 1.9.1
    (lambda: mx.sym.concat(mx.sym.var("a", shape=(2, 0)), mx.sym.var("b", shape=(2, 3)), dim=1)
     + mx.sym.var("k", shape=(2, 7)), [(2, 0), (2, 3), (2, 7)]),
])
def test_shape_inference_from_outputs(build, expected):
    assert _partial(build())[0] == expected


class _Wrap(HybridBlock):
    def __init__(self, layer, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.rnn = layer

    def hybrid_forward(self, F, x):
        return self.rnn(x)


@pytest.mark.parametrize("make, gates", [
    (lambda: rnn.LSTM(8, 2, layout="NTC"), 4),
    (lambda: rnn.GRU(8, 1, layout="NTC", bidirectional=True), 3),
    (lambda: rnn.LSTM(8, 2, layout="NTC", bidirectional=True), 4),
    (lambda: rnn.RNN(8, 1, layout="NTC"), 1),
])
def test_fused_rnn_nested_in_hybridized_block_defers_input_width(make, gates):
    """A fused RNN layer without input_size inside a hybridized block (gluonts' RNN wrapper):
    its i2h weight learns the input width through the graph, as in MXNet."""
    net = _Wrap(make())
    net.initialize()
    x = mx.nd.random.uniform(shape=(2, 5, 3))
    net.hybridize()
    out = net(x)
    assert out.shape[:2] == (2, 5)
    assert net.rnn.l0_i2h_weight.shape == (gates * 8, 3)
    net.hybridize(active=False)
    eager = net(x)
    np.testing.assert_allclose(out.asnumpy(), eager.asnumpy(), rtol=1e-5, atol=1e-6)


# ---- where: unknown dims of x/y/condition flow through its shape rule ----------------------

@pytest.mark.parametrize("shapes, expected, out", [
    # legacy spelling (0 = unknown); MXNet 1.9.1 decides only with a complete condition
    (((0, 4), (3, 0), (0, 4)), [(0, 4), (3, 0), (0, 4)], [()]),
    (((3,), (3, 4), (0, 0)), [(3,), (3, 4), (3, 4)], [(3, 4)]),
    (((0, 3), (2, 0), (0, 0)), [(0, 3), (2, 0), (0, 0)], [()]),
    (((8, 8), (0, 8), (8, 8)), [(8, 8), (8, 8), (8, 8)], [(8, 8)]),  # DeepAR's state reset
])
def test_where_partial_shapes(shapes, expected, out):
    s = mx.sym.where(*[mx.sym.var(n, shape=sh) for n, sh in zip("cxy", shapes)])
    assert _partial(s) == (expected, out)


class _ZerosWhere(HybridBlock):
    """gluonts DeepAR: begin_state(func=F.zeros, batch_size=0) reset with F.where."""
    def hybrid_forward(self, F, c, s):
        return F.where(c, F.zeros(shape=(0, 4)) + 1, s)


def test_where_with_zeros_of_unknown_batch_hybridized():
    net = _ZerosWhere()
    net.hybridize()
    out = net(mx.nd.array([[1, 0, 1, 0]] * 3), mx.nd.ones((3, 4)) * 5)
    np.testing.assert_array_equal(out.asnumpy(), [[1, 5, 1, 5]] * 3)  # MXNet 1.9.1's output


# ---- non-array arguments (None, bools, ints) reach a child's hybrid_forward ----------------

class _Child(HybridBlock):
    def hybrid_forward(self, F, x, mask=None, is_train=True, k=2):
        return x * k + (1 if is_train else 0)


class _Parent(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.c = _Child()

    def hybrid_forward(self, F, x):
        return self.c(x, None, False, 3)  # gluonts Transformer: decoder(x, enc, None, False)


def test_child_block_takes_python_values_eager_and_traced():
    c = _Child()
    np.testing.assert_array_equal(c(mx.nd.ones(2), None, False, 3).asnumpy(), [3, 3])
    p = _Parent()
    p.initialize()
    np.testing.assert_array_equal(p(mx.nd.ones(2)).asnumpy(), [3, 3])
    p.hybridize()
    np.testing.assert_array_equal(p(mx.nd.ones(2)).asnumpy(), [3, 3])
    c.hybridize()  # a hybridized block itself still needs arrays (MXNet: ValueError)
    with pytest.raises(ValueError, match="bool"):
        c(mx.nd.ones(2), None, False, 3)
    with pytest.raises(ValueError):
        c(False)


# ---- parameterless ops ignore unknown attributes (gluonts: broadcast_mul(a, b, axis=-1)) ---

def test_parameterless_op_ignores_unknown_attributes():
    a, b = mx.nd.ones((2, 3)), mx.nd.ones((2, 1)) * 2
    np.testing.assert_array_equal(mx.nd.broadcast_mul(a, b, axis=-1).asnumpy(), [[2] * 3] * 2)
    assert mx.nd.relu(a, foo=3).shape == (2, 3)
    s = mx.sym.broadcast_mul(mx.sym.var("a"), mx.sym.var("b"), axis=-1)
    assert s.attr_dict()[s.name] == {"axis": "-1"}  # kept in the graph, as MXNet does
    assert s.eval(a=a, b=b)[0].shape == (2, 3)
    with pytest.raises(mx.base.MXNetError, match="unknown attribute 'foo'"):
        mx.nd.sum(a, foo=3)  # ops with parameters still reject them (MXNet too)


# ---- NDArray.broadcast_like is broadcast_to(other.shape) (gluonts Box-Cox sampling) --------

def test_ndarray_broadcast_like_method_adds_leading_axes():
    a = mx.nd.array([[1.0], [2.0], [3.0]])
    out = a.broadcast_like(mx.nd.ones((2, 3, 4)))
    assert out.shape == (2, 3, 4) and out.asnumpy()[1, 2, 3] == 3.0
    with pytest.raises(ValueError):
        mx.nd.ones((3, 4)).broadcast_like(mx.nd.ones((5, 4)))
    with pytest.raises(mx.base.MXNetError):  # the operator keeps its equal-rank rule
        mx.nd.broadcast_like(mx.nd.ones((3, 4)), mx.nd.ones((2, 3, 4)))


# ---- files written under the mxnet alias name MXNet's classes (gluonts predictor configs) --

_NAMING_SCRIPT = r"""
import json, pickle, mxtorch, mxtorch.compat as c
before = mxtorch.cpu().__class__.__module__
c.install()
import mxnet as mx
ctx = mx.gpu(1)
data = pickle.dumps(ctx)
cls = type(ctx)
during = (cls.__module__, cls.__qualname__, b"mxnet.context" in data, pickle.loads(data) == ctx)
c.uninstall()
print(json.dumps([before, during, cls.__module__]))
"""


def test_context_carries_mxnet_module_name_while_aliased():
    import json
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", _NAMING_SCRIPT], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    before, during, after = json.loads(out.strip().splitlines()[-1])
    assert before == after == "mxtorch.context"
    assert during == ["mxnet.context", "Context", True, True]
