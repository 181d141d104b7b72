"""Round-5 operator conformance (MXNet 1.9.1 test_operator.py / test_random.py /
test_sparse_operator.py patterns): cases found by tools/unittest_style/check_operator5_*.py,
check_sparse5.py and check_symbol5.py.

Every expected value below was printed by MXNet 1.9.1 (CPU build); exact comparisons unless a
tolerance is stated.
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

nd, sym = mx.nd, mx.sym


# ------------------------------------------------------- random samplers: dtype inference
@pytest.mark.parametrize("name, count", [
    ("sample_normal", 2), ("sample_uniform", 2), ("sample_gamma", 2), ("sample_exponential", 1),
    ("sample_poisson", 1), ("sample_negative_binomial", 2),
    ("sample_generalized_negative_binomial", 2)])
def test_sample_ops_infer_float32_whatever_the_parameter_dtype(name, count):
    params = [sym.Variable("p%d" % i) for i in range(count)]
    out = getattr(sym, name)(*params, shape=(3,))
    for dt in ("float16", "float64"):
        args, outs, _ = out.infer_type(p0=dt)
        assert args == [np.dtype(dt)] * count and outs == [np.float32]
    assert out.infer_type_partial() == ([None] * count, [None], [])
    typed = getattr(sym, name)(*params, shape=(3,), dtype="float16")
    assert typed.infer_type(p0="float64")[1] == [np.float16]
    if count == 2:
        with pytest.raises(MXNetError, match="share one dtype"):
            out.infer_type(p0="float64", p1="float16")


def test_random_front_doors_infer_float32():
    mu = sym.Variable("mu")
    assert sym.random.poisson(mu, shape=(3,)).infer_type(mu="float64")[1] == [np.float32]
    assert sym.random.normal(mu, mu, shape=(3,)).infer_type(mu="float16")[1] == [np.float32]
    got = sym.random.normal(mu, mu, shape=(2,), dtype="float64") + sym.Variable("c")
    assert got.infer_type(mu="float32") == ([np.float32, np.float64], [np.float64], [])


def test_multinomial_prob_output_takes_input_dtype():
    p = sym.Variable("p")
    out = sym.random.multinomial(p, get_prob=True)
    assert out.infer_type(p="float64") == ([np.float64], [np.int32, np.float64], [])
    assert out.infer_type(p="float16")[1] == [np.int32, np.float16]
    typed = sym.random.multinomial(p, get_prob=True, dtype="float32")
    assert typed.infer_type(p="float64")[1] == [np.float32, np.float64]
    assert sym.random.multinomial(p).infer_type(p="float64")[1] == [np.int32]


def test_multinomial_one_draw_from_a_vector_keeps_an_axis():
    p = nd.array([0.1, 0.9])
    samples, logp = nd.random.multinomial(p, get_prob=True)
    assert samples.shape == (1,) and logp.shape == (1,)
    assert logp.asnumpy()[0] == pytest.approx(np.log([0.1, 0.9])[samples.asnumpy()[0]], 1e-6)
    assert nd.random.multinomial(p).shape == (1,)
    assert nd.random.multinomial(nd.array([[0.1, 0.9]])).shape == (1,)
    assert nd.random.multinomial(p, shape=(4, 5)).shape == (4, 5)
    assert sym.random.multinomial(sym.Variable("p"), get_prob=True).infer_shape(p=(5,))[1] == \
        [(1,), (1,)]


# ---------------------------------------------------------------- sparse broadcast with a vector
@pytest.mark.parametrize("rhs, mul, div", [
    ([1, 2, 4], [0, 2, 0, 2, 0, 12], [0, 0.5, 0, 2, 0, 0.75]),
    ([5], [0, 5, 0, 10, 0, 15], [0, 0.2, 0, 0.4, 0, 0.6]),
])
def test_csr_broadcast_with_1d_dense_is_a_row(rhs, mul, div):
    csr = nd.array([[0, 1, 0], [2, 0, 3]]).tostype("csr")
    got = nd.broadcast_mul(csr, nd.array(rhs))
    assert got.stype == "csr" and got.shape == (2, 3)
    assert got.asnumpy().ravel().tolist() == mul
    got = nd.broadcast_div(csr, nd.array(rhs))
    assert got.stype == "csr"
    np.testing.assert_allclose(got.asnumpy().ravel(), div, rtol=1e-6)
    got = nd.sparse.broadcast_mul(csr, nd.array(rhs))
    assert got.asnumpy().ravel().tolist() == mul


# ---------------------------------------------------------------- Symbol.debug_str layout
def test_debug_str_matches_mxnet_layout():
    with mx.name.NameManager():  # fresh counters: the scalar node is _plusscalar0
        x = sym.Variable("x")
        fc = sym.FullyConnected(x, num_hidden=4, name="fc")
        sp = sym.split(fc, num_outputs=2, name="sp")
        group = sym.Group([sp[1], sym.relu(sp[0], name="r") + 1])
    want = ("Symbol Outputs:\n\toutput[0]=sp(1)\n\toutput[1]=_plusscalar0(0)\n"
            "Variable:x\nVariable:fc_weight\nVariable:fc_bias\n--------------------\n"
            "Op:FullyConnected, Name=fc\nInputs:\n\targ[0]=x(0) version=0\n"
            "\targ[1]=fc_weight(0) version=0\n\targ[2]=fc_bias(0) version=0\nAttrs:\n"
            "\tnum_hidden=4\n--------------------\nOp:SliceChannel, Name=sp\nInputs:\n"
            "\targ[0]=fc(0)\nAttrs:\n\tnum_outputs=2\n--------------------\nOp:relu, Name=r\n"
            "Inputs:\n\targ[0]=sp(0)\n--------------------\nOp:_plus_scalar, "
            "Name=_plusscalar0\nInputs:\n\targ[0]=r(0)\nAttrs:\n\tscalar=1\n")
    assert group.debug_str() == want


def test_symbol_getitem_rejects_non_integer_positions():
    outs = sym.split(sym.Variable("d"), num_outputs=2, name="sp")
    assert outs[1].list_outputs() == ["sp_output1"] and outs[True].list_outputs() == ["sp_output1"]
    assert outs["sp_output0"].list_outputs() == ["sp_output0"]
    for bad in (None, 1.0):
        with pytest.raises(TypeError, match="int position or output name"):
            outs[bad]  # MXNet 1.9.1: TypeError too


# ------------------------------------------------- grad_req='add' accumulates for every op
@pytest.mark.parametrize("make, value", [
    (lambda d: sym.mean(d, axis=1, keepdims=True), lambda x: x),
    (lambda d: sym.linalg.inverse(d), lambda x: x + 2 * np.eye(4)),
    (lambda d: sym.linalg.syevd(d)[1], lambda x: x + x.transpose(0, 2, 1)),
    (lambda d: sym.linalg.gemm2(d, d), lambda x: x),
    (lambda d: sym.linalg.det(d), lambda x: x + 2 * np.eye(4)),
])
def test_grad_req_add_is_write_plus_old_gradient(make, value):
    # MXNet 1.9.1 gets add wrong for mean/inverse/syevd/gemm2 (compat/operator5.md)
    x = value(np.random.RandomState(0).uniform(0.2, 1.0, (3, 4, 4)))
    s = make(sym.Variable("d"))
    grads = []
    for req in ("write", "add"):
        grad = nd.full(x.shape, 5.0, dtype="float64")
        exe = s.bind(mx.cpu(), {"d": nd.array(x, dtype="float64")}, args_grad={"d": grad},
                     grad_req=req)
        exe.forward(is_train=True)
        head = np.linspace(-1, 1, exe.outputs[0].size).reshape(exe.outputs[0].shape)
        exe.backward(nd.array(head, dtype="float64"))
        grads.append(grad.asnumpy())
    np.testing.assert_allclose(grads[1] - 5, grads[0], rtol=1e-10, atol=1e-10)


# ------------------------------------- infer_type without shapes: fixed output dtypes
@pytest.mark.parametrize("make, want", [
    (lambda d: sym.norm(d, out_dtype="float64"), {"int32": ["float64"], "float16": ["float64"]}),
    (lambda d: sym.histogram(d, bins=3, range=(0, 1)),
     {"float64": ["int64", "float64"], "uint8": ["int64", "uint8"]}),
    (lambda d: sym.contrib.index_array(d), {"float16": ["int64"], "int32": ["int64"]}),
    (lambda d: sym.relu(d), {"float16": ["float16"], "float64": ["float64"]}),
])
def test_infer_type_without_shapes_reads_fixed_output_dtypes(make, want):
    out = make(sym.Variable("d"))
    for dtype, outs in want.items():
        args, got, _ = out.infer_type(d=dtype)
        assert args == [np.dtype(dtype)] and got == [np.dtype(o) for o in outs], (dtype, got)
