"""MXNet 1.9.1's module namespaces of nd/sym/executor: the names each module holds, what
``from M import *`` gives, and the behaviour of the helpers only those modules expose.

Expected values were captured from real MXNet 1.9.1 (the oracle); exact unless a tolerance is
given.
"""
import importlib
import math

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import NotImplementedForSymbol


def star(module_name):
    namespace = {}
    exec(f"from {module_name} import *", namespace)  # noqa: S102 - star-import semantics
    namespace.pop("__builtins__", None)
    return namespace


# ---- star-imports -------------------------------------------------------------------------------

# (module, names MXNet's star-import gives, names it does not give)
STAR_CASES = [
    ("mxtorch.ndarray", ["NDArray", "array", "zeros", "Activation", "contrib", "random", "sparse",
                         "linalg", "image", "CachedOp", "_DTYPE_NP_TO_MX", "_GRAD_REQ_MAP",
                         "_new_empty_handle", "get_indexing_dispatch_code", "power"],
     ["op", "utils", "register", "ndarray", "gen_op", "from_torch"]),
    ("mxtorch.ndarray.ndarray", ["NDArray", "add", "subtract", "zeros", "ones", "arange",
                                 "moveaxis", "onehot_encode", "waitall", "_DTYPE_MX_TO_NP",
                                 "indexing_key_expand_implicit_axes"], ["array", "empty"]),
    ("mxtorch.ndarray.op", ["Activation", "CachedOp", "broadcast_add"], ["_plus_scalar"]),
    ("mxtorch.ndarray._internal", ["_plus_scalar", "_random_uniform", "_full", "CachedOp",
                                   "NDArrayBase"], ["Activation"]),
    ("mxtorch.ndarray.contrib", ["foreach", "while_loop", "cond", "isinf", "isfinite", "isnan",
                                 "rand_zipfian", "box_nms", "ROIAlign"],
     ["adamw_update", "uniform", "mx", "np", "ndarray"]),
    ("mxtorch.ndarray.random", ["uniform", "uniform_like", "normal_like", "poisson_like",
                                "generalized_negative_binomial_like"], ["current_context"]),
    ("mxtorch.ndarray.register", ["adamw_update", "mp_adamw_update", "py_str", "use_np_shape",
                                  "NDArrayBase"], []),
    ("mxtorch.symbol", ["Symbol", "var", "Group", "load", "zeros", "pow", "FullyConnected",
                        "contrib", "random"], ["op", "symbol", "register", "gen_op", "Executor"]),
    ("mxtorch.symbol.symbol", ["Symbol", "var", "Variable", "Group", "arange", "eye", "full",
                               "histogram", "hypot", "linspace", "load", "load_json", "maximum",
                               "minimum", "ones", "pow", "power", "split_v2", "zeros"],
     ["AttrScope", "Executor"]),
    ("mxtorch.symbol._internal", ["_plus_scalar", "_Plus", "SymbolBase"], ["FullyConnected"]),
    ("mxtorch.symbol.contrib", ["isinf", "rand_zipfian", "cond", "box_nms"],
     ["adamw_update", "uniform", "symbol", "AttrScope"]),
    ("mxtorch.symbol.random", ["uniform_like", "exponential_like"], []),
    ("mxtorch.symbol.register", ["AttrScope", "NameManager", "SymbolBase", "adamw_update",
                                 "py_str"], []),
    ("mxtorch.executor", ["Executor", "NDArray", "ndarray", "np", "copy", "py_array", "py_str"],
     []),
]


@pytest.mark.parametrize("module_name, present, absent", STAR_CASES,
                         ids=[c[0] for c in STAR_CASES])
def test_star_import_matches_mxnet(module_name, present, absent):
    names = star(module_name)
    assert not [n for n in present if n not in names]
    assert not [n for n in absent if n in names]


def test_generated_staging_modules_hold_the_registry_functions():
    for door in ("ndarray", "symbol"):
        for ns, probe in (("op", "Activation"), ("_internal", "_plus_scalar"),
                          ("contrib", "box_nms"), ("linalg", "gemm2"), ("image", "to_tensor"),
                          ("sparse", "retain")):
            mod = importlib.import_module(f"mxtorch.{door}.gen_{ns}")
            assert callable(getattr(mod, probe)), (door, ns)
    x = mx.nd.array([-1.0, 2.0])
    assert mx.nd.gen_op.relu(x).asnumpy().tolist() == [0.0, 2.0]
    assert mx.nd.gen__internal._plus_scalar(x, scalar=1).asnumpy().tolist() == [0.0, 3.0]


# ---- mx.nd.ndarray ------------------------------------------------------------------------------

def test_ndarray_module_holds_creation_and_binary_helpers():
    m = mx.nd.ndarray
    a = m.array([1, 2, 3])
    assert m.add(a, 2).asnumpy().tolist() == [3, 4, 5]
    assert m.subtract(5, a).asnumpy().tolist() == [4, 3, 2]
    assert m.lesser_equal(a, 2).asnumpy().tolist() == [1, 1, 0]
    assert m.power(base=a, exp=2).asnumpy().tolist() == [1, 4, 9]
    assert m.zeros((2,)).shape == (2,) and m.empty((1, 2)).shape == (1, 2)
    assert m.op.Activation is mx.nd.op.Activation
    assert m.integer_types == mx.base.integer_types and m.py_slice is slice
    assert m.reduce(lambda p, q: p + q, [1, 2, 3]) == 6
    with pytest.raises(AttributeError):
        m.no_such_name  # noqa: B018


def test_ndarray_dtype_and_grad_req_tables():
    m = mx.nd.ndarray
    assert m._DTYPE_NP_TO_MX[np.float32] == 0 and m._DTYPE_NP_TO_MX[np.int64] == 6
    assert m._DTYPE_NP_TO_MX[None] == -1 and m._DTYPE_MX_TO_NP[7] is np.bool_
    assert m._GRAD_REQ_MAP == {"null": 0, "write": 1, "add": 3}


def test_ndarray_handle_constructor():
    empty = mx.nd.NDArray(mx.nd.ndarray._new_empty_handle())
    assert empty.shape == (0,)
    x = mx.nd.array([1.0, 2.0])
    y = mx.nd.NDArray(handle=x.to_torch())
    assert y.asnumpy().tolist() == [1.0, 2.0]


def test_power_takes_base_and_exp():
    x = mx.nd.array([2.0, 3.0])
    assert mx.nd.power(base=x, exp=2).asnumpy().tolist() == [4.0, 9.0]
    assert mx.nd.power(2, x).asnumpy().tolist() == [4.0, 8.0]


# oracle: mxnet.ndarray.ndarray.get_indexing_dispatch_code
DISPATCH = [((0, 1), 0), ((slice(None), 0), 0), ((None, 0), 0), ((), 0), ((True, 0), 0),
            (([0, 1], [1, 2]), 1), ((0, [1]), 1), (((0, 1),), 1), ((range(2),), 1),
            ((np.array(1),), 1), ((0, slice(None), [0]), 1), (([0], 1.5), 1)]


@pytest.mark.parametrize("key, code", DISPATCH)
def test_get_indexing_dispatch_code(key, code):
    assert mx.nd.get_indexing_dispatch_code(key) == code


def test_get_indexing_dispatch_code_errors():
    with pytest.raises(AssertionError):
        mx.nd.get_indexing_dispatch_code(0)
    with pytest.raises(ValueError, match="key 1.5 of type <class 'float'>"):
        mx.nd.get_indexing_dispatch_code((1.5, [0]))
    with pytest.raises(ValueError, match="key True of type"):
        mx.nd.get_indexing_dispatch_code((np.bool_(True),))
    assert mx.nd.get_indexing_dispatch_code((mx.nd.array([0, 1]), 0)) == 1


S = slice(None)
# oracle: mxnet.ndarray.ndarray.indexing_key_expand_implicit_axes
EXPAND = [((0,), (2, 3), ((0, S), -1)), (Ellipsis, (2, 3), ((S, S), -1)),
          ((Ellipsis, 0), (2, 3, 4), ((S, S, 0), -1)), ((None, 0), (2, 3), ((None, 0, S), -1)),
          (0, (2, 3), ((0, S), -1)), ((0, Ellipsis, None), (2, 3, 4), ((0, S, S, None), -1)),
          ((0, 1, 2), (2, 3), ((0, 1, 2), -1)), ((), (2, 3), ((S, S), -1)),
          ((0, 1, Ellipsis, 2), (2, 3), ((0, 1, 2), -1)), ((True,), (2, 3), ((S, S), 1)),
          (True, (2, 3), ((S, S), 1)), (False, (), ((), 0)), ((True, True), (2,), ((S,), 1)),
          ((True, 0), (2, 3), ((True, 0), -1)), ((Ellipsis,), (), ((), -1)),
          ((None, Ellipsis, None), (2,), ((None, S, None), -1))]


@pytest.mark.parametrize("key, shape, expected", EXPAND)
def test_indexing_key_expand_implicit_axes(key, shape, expected):
    assert mx.nd.indexing_key_expand_implicit_axes(key, shape) == expected


def test_indexing_key_expand_implicit_axes_errors():
    with pytest.raises(IndexError, match="more than one ellipsis"):
        mx.nd.indexing_key_expand_implicit_axes((Ellipsis, Ellipsis), (2, 3))
    mask = mx.nd.array([1, 0, 1], dtype="bool")
    with pytest.raises(ValueError, match="boolean indexing in legacy mode"):
        mx.nd.indexing_key_expand_implicit_axes((mask,), (3, 2))


def test_gather_nd_shape_and_boolean_mask_checks():
    m = mx.nd.ndarray
    assert m.get_oshape_of_gather_nd_op((2, 3, 4), (2, 5)) == (5, 4)
    assert m.get_oshape_of_gather_nd_op((5,), (1, 3)) == (3,)
    assert m.get_oshape_of_gather_nd_op((2, 3), (2,)) == ()
    assert m.get_oshape_of_gather_nd_op((2, 3), (3, 4)) == (4,)
    with pytest.raises(AssertionError):
        m.get_oshape_of_gather_nd_op((2, 3), ())
    assert m.check_boolean_array_dimension((2, 3, 4), 0, (2, 3)) is None
    assert m.check_boolean_array_dimension((2, 3), -1, (3,)) is None
    with pytest.raises(IndexError, match="along axis 2; size is 4 but corresponding boolean "
                                         "size is 5"):
        m.check_boolean_array_dimension((2, 3, 4), 1, (3, 5))


# ---- registers, _internal, utils ----------------------------------------------------------------

def test_register_and_internal_modules():
    assert mx.nd.register.NDArrayBase is mx.nd.NDArray
    assert isinstance(mx.nd.ones((1,)), mx.nd._internal.NDArrayBase)
    assert mx.sym.register.SymbolBase is mx.sym.Symbol
    assert mx.sym._internal.AttrScope is mx.attribute.AttrScope
    assert mx.sym._internal.NameManager is mx.name.NameManager
    assert mx.nd._internal.CachedOp is mx.nd.CachedOp is mx.nd.op.CachedOp
    assert mx.nd.register.py_str(b"ab") == "ab"
    x = mx.nd.array([1.0, 2.0])
    assert mx.nd._internal._plus_scalar(x, scalar=2).asnumpy().tolist() == [3.0, 4.0]
    s = mx.sym._internal._plus_scalar(mx.sym.var("a"), scalar=2)
    assert s.eval(a=x)[0].asnumpy().tolist() == [3.0, 4.0]
    assert mx.nd.utils.string_types == (str,)


# ---- Symbol members, Group, symbol module -------------------------------------------------------

@pytest.mark.parametrize("method", ["as_in_context", "asnumpy", "asscalar", "backward",
                                    "detach", "wait_to_read"])
def test_symbol_ndarray_only_methods_raise_like_mxnet(method):
    with pytest.raises(NotImplementedForSymbol) as err:
        getattr(mx.sym.var("a"), method)()
    assert str(err.value) == (f"Function {method} is not implemented for Symbol and only "
                              "available in NDArray.")


def test_symbol_as_nd_ndarray_and_group_create_fn():
    a = mx.sym.var("a")
    assert a.as_nd_ndarray() is a
    made = []

    def create_fn(handle):
        made.append(handle)
        return mx.sym.Symbol(handle)
    g = mx.sym.Group([a, mx.sym.var("b")], create_fn=create_fn)
    assert g.list_outputs() == ["a", "b"] and len(made) == 1


def test_symbol_module_holds_helpers():
    m = mx.sym.symbol
    assert m.zeros is mx.sym.zeros and m.load_json is mx.sym.load_json
    assert m.Executor is mx.executor.Executor and m.NDArray is mx.nd.NDArray
    assert m.op.FullyConnected is mx.sym.op.FullyConnected
    assert m.is_np_shape() is mx.util.is_np_shape()
    out = m.pow(base=mx.sym.var("x"), exp=2).eval(x=mx.nd.array([3.0]))[0]
    assert out.asnumpy().tolist() == [9.0]


# ---- Executor -----------------------------------------------------------------------------------

def test_executor_constructor_and_optimized_symbol():
    net = mx.sym.var("x") * 2 + mx.sym.var("y")
    x, y = mx.nd.array([1.0, 2.0]), mx.nd.array([3.0, 4.0])
    gx, gy = mx.nd.zeros((2,)), mx.nd.zeros((2,))
    ex = mx.executor.Executor(([x, y], [gx, gy], []), net, mx.cpu(), ["write", "write"], None)
    assert ex.forward(is_train=True)[0].asnumpy().tolist() == [5.0, 8.0]
    ex.backward(mx.nd.ones((2,)))
    assert gx.asnumpy().tolist() == [2.0, 2.0] and gy.asnumpy().tolist() == [1.0, 1.0]
    opt = net.bind(mx.cpu(), {"x": x, "y": y}).get_optimized_symbol()
    assert opt.list_arguments() == ["x", "y"] and opt is not net
    assert opt.tojson() == net.tojson()


# ---- contrib helpers ----------------------------------------------------------------------------

def test_contrib_module_names():
    assert mx.nd.contrib.uniform is mx.nd.random.uniform
    assert mx.sym.contrib.uniform is mx.sym.random.uniform
    assert mx.nd.contrib.ndarray is mx.nd.ndarray and mx.sym.contrib.symbol is mx.sym.symbol
    assert mx.nd.contrib.mx is mx and mx.nd.contrib.current_context() == mx.cpu()


# oracle: rand_zipfian(nd.array([3, 6, 9]), 5, 20): expected count of the true classes
ZIPF_TRUE = [0.36646725, 0.21929776, 0.15652731]


def _zipf_expected(classes, num_sampled=5, range_max=20):
    return [math.log((c + 2) / (c + 1)) / math.log(range_max + 1) * num_sampled
            for c in classes]


def test_sym_rand_zipfian():
    true = mx.sym.var("t")
    samples, exp_true, exp_sampled = mx.sym.contrib.rand_zipfian(true, 5, 20)
    t = mx.nd.array([3, 6, 9])
    got = exp_true.eval(t=t)[0]
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.asnumpy(), ZIPF_TRUE, rtol=1e-6)
    both = mx.sym.Group([samples, exp_sampled]).eval()
    drawn, expected = both[0].asnumpy(), both[1].asnumpy()
    assert both[0].dtype == np.int64 and drawn.shape == (5,)
    assert ((drawn >= 0) & (drawn < 20)).all()
    np.testing.assert_allclose(expected, _zipf_expected(drawn), rtol=1e-6)


def test_nd_rand_zipfian_expected_counts():
    samples, exp_true, exp_sampled = mx.nd.contrib.rand_zipfian(mx.nd.array([3, 6, 9]), 5, 20)
    assert samples.dtype == np.int64 and exp_true.dtype == np.float64
    np.testing.assert_allclose(exp_true.asnumpy(), ZIPF_TRUE, rtol=1e-6)
    np.testing.assert_allclose(exp_sampled.asnumpy(), _zipf_expected(samples.asnumpy()),
                               rtol=1e-6)


@pytest.mark.parametrize("pred, value, grad_x, grad_y",
                         [(1, [[2, 4], [6, 8]], 2.0, 0.0), (0, [[2, 3], [4, 5]], 0.0, 1.0)])
def test_sym_cond_values_and_gradients(pred, value, grad_x, grad_y):
    p, x, y = mx.sym.var("p"), mx.sym.var("x"), mx.sym.var("y")
    out = mx.sym.contrib.cond(p, lambda: x * 2, lambda: y + 1)
    assert isinstance(out, mx.sym.Symbol) and out.list_arguments() == ["p", "x", "y"]
    data = mx.nd.array([[1, 2], [3, 4]])
    grads = {"p": mx.nd.zeros((1,)), "x": mx.nd.zeros((2, 2)), "y": mx.nd.zeros((2, 2))}
    ex = out.bind(mx.cpu(), {"p": mx.nd.array([pred]), "x": data, "y": data}, args_grad=grads)
    assert ex.forward(is_train=True)[0].asnumpy().tolist() == value
    ex.backward(mx.nd.ones((2, 2)))
    assert (grads["x"].asnumpy() == grad_x).all() and (grads["y"].asnumpy() == grad_y).all()
    assert (grads["p"].asnumpy() == 0).all()


def test_sym_cond_lists():
    p, x, y = mx.sym.var("p"), mx.sym.var("x"), mx.sym.var("y")
    outs = mx.sym.contrib.cond(p, lambda: [x * 2, x + 1], lambda: [y + 1, y * 3])
    assert isinstance(outs, list) and len(outs) == 2
    one = mx.sym.contrib.cond(p, lambda: [x * 2], lambda: [y + 1])
    assert isinstance(one, list) and len(one) == 1
    res = mx.sym.Group(outs).eval(p=mx.nd.array([0]), x=mx.nd.array([1.0]),
                                  y=mx.nd.array([2.0]))
    assert [r.asnumpy().tolist() for r in res] == [[3.0], [6.0]]
    with pytest.raises(mx.base.MXNetError, match="same number"):
        mx.sym.contrib.cond(p, lambda: [x, x], lambda: y)
