"""Behaviour that MXNet 1.9.1's own unit tests rely on (found by tools/unittest_style/).

Expected values come from the oracle (MXNet 1.9.1); see tools/unittest_style/run.py.
"""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd
from mxtorch.base import MXNetError, NotImplementedForSymbol
from mxtorch.test_utils import same


def test_creation_functions_fill_out():
    out = mx.nd.zeros((2, 2))
    assert mx.nd.ones((2, 2), out=out) is out
    assert same(out.asnumpy(), np.ones((2, 2)))
    assert mx.nd.zeros((2, 2), out=out) is out
    assert same(out.asnumpy(), np.zeros((2, 2)))


def test_random_randint_positional_bounds():
    x = mx.nd.random.randint(0, 6, shape=(50,))
    assert x.shape == (50,) and x.dtype == np.int32
    assert 0 <= x.asnumpy().min() and x.asnumpy().max() < 6
    assert mx.nd.random_randint(1, 3, shape=(4,)).shape == (4,)


def test_executor_backward_extra_out_grads_are_ignored():
    x = mx.sym.Variable("x")
    exe = (x * 2).simple_bind(mx.cpu(), x=(2,))
    exe.forward(is_train=True, x=np.ones(2))
    exe.backward([mx.nd.ones(2), mx.nd.ones(3)])  # MXNet 1.9.1: uses the first one
    assert same(exe.grad_dict["x"].asnumpy(), np.array([2, 2], dtype=np.float32))
    with pytest.raises(MXNetError, match="out_grads\\[0\\] has shape"):
        exe.backward(mx.nd.ones(3))


def test_simple_bind_ignores_non_shape_keywords():
    x = mx.sym.Variable("x")
    exe = (x * 2).simple_bind(mx.cpu(), x=(2, 3), axis=1, mode="clip")
    assert list(exe.arg_dict) == ["x"] and exe.arg_dict["x"].shape == (2, 3)


def test_symbol_attrs_accept_numpy_integers():
    x = mx.sym.Variable("x")
    s = mx.sym.broadcast_axis(x, axis=(np.int64(1),), size=(np.int64(3),))
    assert s.infer_shape(x=(2, 1))[1] == [(2, 3)]
    assert s.list_attr()["axis"] == "(1,)"


def test_backward_twice_without_retain_graph_fails():
    x = mx.nd.ones((2, 2))
    dx = mx.nd.zeros((2, 2))
    autograd.mark_variables([x], [dx], grad_reqs="add")
    with autograd.record():
        y = x + 1
        y.backward(retain_graph=True)
        y.backward()
    assert same(dx.asnumpy(), np.full((2, 2), 2, dtype=np.float32))
    with pytest.raises(MXNetError, match="retain_graph"):
        y.backward()


def test_integer_arguments_get_zero_gradients():
    x = mx.sym.Variable("x")
    idx = mx.sym.Variable("idx")
    z = mx.sym.batch_take(x, idx)
    exe = z.simple_bind(mx.cpu(), x=(4, 3), idx=(4,), type_dict={"idx": np.int32})
    exe.arg_dict["x"][:] = np.arange(12).reshape(4, 3)
    exe.arg_dict["idx"][:] = np.array([0, 2, 1, 0])
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones((4,)))
    assert same(exe.outputs[0].asnumpy(), np.array([0, 5, 7, 9], dtype=np.float32))
    assert same(exe.grad_dict["idx"].asnumpy(), np.zeros(4, dtype=np.int32))
    expected = np.zeros((4, 3), dtype=np.float32)
    expected[[0, 1, 2, 3], [0, 2, 1, 0]] = 1
    assert same(exe.grad_dict["x"].asnumpy(), expected)


def test_get_children_lists_a_node_once():
    data = mx.sym.Variable("data")
    sliced = mx.sym.SliceChannel(data, num_outputs=3, name="slice")
    assert sliced.get_children().list_outputs() == ["data"]
    concat = mx.sym.Concat(*list(sliced))
    assert concat.get_children().list_outputs() == ["slice_output0", "slice_output1",
                                                    "slice_output2"]


def test_symbol_truth_value_raises_not_implemented_for_symbol():
    with pytest.raises(NotImplementedForSymbol):
        bool(mx.sym.Variable("x"))
    with pytest.raises(NotImplementedError):
        bool(mx.sym.Variable("x"))


def test_check_consistency_with_grad_req_dict():
    from mxtorch.test_utils import check_consistency
    sym = mx.sym.Convolution(num_filter=3, kernel=(3, 3), name="conv")
    ctx_list = [{"ctx": mx.cpu(0), "conv_data": (2, 2, 6, 6),
                 "type_dict": {"conv_data": np.float64}},
                {"ctx": mx.cpu(0), "conv_data": (2, 2, 6, 6),
                 "type_dict": {"conv_data": np.float32}}]
    truth = check_consistency(sym, ctx_list, grad_req={"conv_data": "write",
                                                       "conv_weight": "write",
                                                       "conv_bias": "null"})
    assert "conv_bias" not in truth and truth["conv_weight"].shape == (3, 2, 3, 3)


def test_gen_atomic_symbol_keeps_op_and_attributes():
    data, p, h0, h1 = (mx.sym.var(n) for n in ("data", "p", "h0", "h1"))
    s = mx.sym.RNN(data, p, h0, h1, state_size=10, num_layers=2, bidirectional=True,
                   state_outputs=True, mode="lstm", name="rnn")
    atomic = s._gen_atomic_symbol()
    assert atomic.list_outputs() == s.list_outputs()
    assert atomic.list_attr()["state_size"] == "10"
    cat = mx.sym.Concat(data, p, dim=1, name="cat")._gen_atomic_symbol()
    assert len(cat.list_arguments()) == 2 and cat.list_attr()["dim"] == "1"


def test_prelu_takes_slopes_that_broadcast_to_the_data():
    # MXNet 1.9.1 (test_prelu): 2-d data with a full-shape gamma is an elementwise slope
    x = mx.nd.array([[-1.0, 2.0], [-3.0, -4.0]])
    gamma = mx.nd.array([[0.1, 0.2], [0.3, 0.4]])
    x.attach_grad()
    gamma.attach_grad()
    with autograd.record():
        y = mx.nd.LeakyReLU(x, gamma, act_type="prelu")
    y.backward()
    assert np.allclose(y.asnumpy(), [[-0.1, 2.0], [-0.9, -1.6]])
    assert np.allclose(gamma.grad.asnumpy(), [[-1.0, 0.0], [-3.0, -4.0]])
    assert np.allclose(x.grad.asnumpy(), [[0.1, 1.0], [0.3, 0.4]])
    col = mx.nd.LeakyReLU(x, mx.nd.array([[0.5], [0.25]]), act_type="prelu")
    assert np.allclose(col.asnumpy(), [[-0.5, 2.0], [-0.75, -1.0]])
    s = mx.sym.LeakyReLU(mx.sym.var("x"), mx.sym.var("g"), act_type="prelu")
    assert s.infer_shape(x=(3, 4), g=(3, 4))[0] == [(3, 4), (3, 4)]
    assert s.infer_shape(x=(3, 4))[0] == [(3, 4), (4,)]


# ---- sparse variables under autograd (MXNet 1.9.1 values) -----------------------------------

_A = np.array([[0, 1, 0], [2, 0, 0]], dtype="float32")
_B = np.array([[1, 0, 0], [3, 0, 4]], dtype="float32")


def _sparse_var(value, stype):
    arr = mx.nd.array(value)
    arr = arr.tostype(stype) if stype != "default" else arr
    arr.attach_grad(stype=stype)
    return arr


@pytest.mark.parametrize("lst,rst", [("csr", "csr"), ("row_sparse", "row_sparse"),
                                     ("default", "csr"), ("csr", "default"),
                                     ("row_sparse", "default")])
@pytest.mark.parametrize("op", ["elemwise_add", "elemwise_sub", "elemwise_mul"])
def test_sparse_variables_get_dense_value_gradients(op, lst, rst):
    # MXNet: the gradient of the dense value (every position), in the buffer's stype
    a, b = _sparse_var(_A, lst), _sparse_var(_B, rst)
    with autograd.record():
        y = getattr(mx.nd, op)(a, b)
    y.backward()
    ones = np.ones_like(_A)
    want = {"elemwise_add": (ones, ones), "elemwise_sub": (ones, -ones),
            "elemwise_mul": (_B, _A)}[op]
    assert (a.grad.stype, b.grad.stype) == (lst, rst)
    assert same(a.grad.asnumpy(), want[0]) and same(b.grad.asnumpy(), want[1])


def test_sparse_retain_square_and_scalar_grads():
    v = np.array([[0, 1], [2, 0], [0, 0]], dtype="float32")
    a = _sparse_var(v, "row_sparse")
    with autograd.record():
        y = mx.nd.sparse.retain(a, mx.nd.array([0, 2], dtype="int64"))
    y.backward()
    assert same(a.grad.asnumpy(), np.array([[1, 1], [0, 0], [1, 1]], dtype="float32"))
    with autograd.record():
        y = mx.nd.sparse.square(a) + a
    y.backward()
    assert y.stype == "row_sparse" and same(a.grad.asnumpy(), 2 * v + 1)
    c = mx.nd.array(v).tostype("csr")
    c.attach_grad()
    with autograd.record():
        y = c * 2
    y.backward()
    assert c.grad.stype == "csr" and same(c.grad.asnumpy(), np.full((3, 2), 2, "float32"))


def test_sparse_variable_updated_in_place_still_differentiates():
    a = _sparse_var(_A, "csr")
    a[:] = mx.nd.array(_B).tostype("csr")  # new stored values: a fresh dense leaf
    with autograd.record():
        y = a * a
    y.backward()
    assert same(a.grad.asnumpy(), 2 * _B)


# ---- gradients through integer arrays (MXNet 1.9.1: Cast's gradient is the cast gradient) --

_X = np.array([[-7.6, 3.2, 9.9], [0.4, -0.6, 250.7]])


@pytest.mark.parametrize("src", [np.int32, np.uint8, np.float16, np.float32])
@pytest.mark.parametrize("dst", [np.int32, np.float16, np.float32])
def test_symbolic_cast_gradient_is_cast_back(src, dst):
    x = mx.sym.Variable("x", dtype=src)
    exe = mx.sym.Cast(x, dtype=dst).simple_bind(ctx=mx.cpu(), x=(2, 3))
    exe.arg_arrays[0][:] = _X
    exe.forward(is_train=True)
    exe.backward([mx.nd.array(_X, dtype=dst)])
    assert exe.outputs[0].dtype == dst and exe.grad_arrays[0].dtype == src
    assert same(exe.grad_arrays[0].asnumpy(), _X.astype(dst).astype(src))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_integer_variable_gradient_through_cast(dtype):
    x = mx.nd.array([1, 2, 3], dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = x.astype("float32") * 2
    y.backward()
    assert x.grad.dtype == np.dtype(dtype) and x.grad.asnumpy().tolist() == [2, 2, 2]
    with autograd.record():
        z = mx.nd.cast(x, dtype="float16") + 1
    (g,) = autograd.grad(z, [x])
    assert g.dtype == np.dtype(dtype) and g.asnumpy().tolist() == [1, 1, 1]


def test_float_through_integer_cast_and_back():
    x = mx.nd.array([1.5, 2.7, 3])
    x.attach_grad()
    with autograd.record():
        z = x.astype("int32").astype("float32") * 3
    z.backward()
    assert x.grad.asnumpy().tolist() == [3, 3, 3]
    with autograd.record():
        y = x.astype("int32")
    y.backward()  # an integer head: ones, cast back
    assert x.grad.asnumpy().tolist() == [1, 1, 1]
