"""Operator checks in the style of MXNet's test_operator.py (own code)."""
import itertools

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def check_elementwise_sum_with_shape(shape, n):
    inputs = [mx.symbol.Variable("arg%d" % i) for i in range(n)]
    out = mx.symbol.ElementWiseSum(*inputs, name="esum")
    arr = [mx.nd.empty(shape) for _ in range(n)]
    arr_grad = [mx.nd.empty(shape) for _ in range(n)]
    for i in range(n):
        arr[i][:] = np.random.uniform(-10, 10, shape)
    exec1 = out.bind(default_context(), args=arr, args_grad=arr_grad)
    exec1.forward(is_train=True)
    out1 = exec1.outputs[0]
    out = sum(a.asnumpy() for a in arr)
    assert_almost_equal(out, out1, rtol=1e-5, atol=1e-5)
    out_grad = mx.nd.empty(shape)
    out_grad[:] = np.random.uniform(-10, 10, shape)
    exec1.backward([out_grad])
    for a in arr_grad:
        assert_almost_equal(a, out_grad, rtol=1e-5, atol=1e-5)


@with_seed()
def test_elementwise_sum():
    nrepeat = 2
    maxdim = 4
    for _ in range(nrepeat):
        for dim in range(1, maxdim):
            shape = tuple(np.random.randint(1, int(1000 ** (1.0 / dim)), size=dim))
            check_elementwise_sum_with_shape(shape, np.random.randint(1, 8))


def check_concat_with_shape(shapes, dimension, skip_second):
    n = len(shapes)
    target_dim = 0
    for shape in shapes:
        target_dim += shape[dimension]
    inputs = [mx.symbol.Variable("arg%d" % i) for i in range(n)]
    out = mx.symbol.Concat(*inputs, name="conc", dim=dimension)
    arr = [mx.nd.empty(shape) for shape in shapes]
    for i in range(n):
        arr[i][:] = shapes[i][dimension]
    arr_np = [np.copy(narray.asnumpy()) for narray in arr]
    arr_grad = [mx.nd.empty(shape) for shape in shapes]
    dict_grad = {}
    arg_names = out.list_arguments()
    for name, g in zip(arg_names, arr_grad):
        if not skip_second or name != "arg1":
            dict_grad[name] = g
    args = out.list_arguments()
    arg_shapes, out_shapes, aux_shapes = out.infer_shape(**dict(zip(args, shapes)))
    out_grad = mx.nd.zeros(out_shapes[0])
    exec1 = out.bind(default_context(), args=arr, args_grad=dict_grad)
    exec1.forward(is_train=True)
    out1 = exec1.outputs[0]
    ret = np.concatenate([narray.asnumpy() for narray in arr], axis=dimension)
    assert_almost_equal(out1, ret)
    out_grad[:] += 1
    exec1.backward([out_grad])
    for i, name in enumerate(arg_names):
        if not skip_second or name != "arg1":
            grad = dict_grad[name]
            np_grad = arr_np[i]
            assert_almost_equal(grad, np_grad + 1)


@with_seed()
def test_concat():
    for dimension in range(4):
        n = 2
        merge = [2, 3, 4, 5, 6]
        a = 2
        b = 3
        c = 4
        if dimension == 0:
            shapes = [(merge[i], a) for i in range(n)]
        elif dimension == 1:
            shapes = [(a, merge[i]) for i in range(n)]
        elif dimension == 2:
            shapes = [(a, b, merge[i]) for i in range(n)]
        else:
            shapes = [(a, b, c, merge[i]) for i in range(n)]
        check_concat_with_shape(shapes, dimension, True)
        check_concat_with_shape(shapes, dimension, False)
        # negative dimension
        check_concat_with_shape(shapes, dimension - 4, True)


@with_seed()
def test_slice_channel():
    def check_slice_channel(data_ndim, axis, num_outputs, squeeze_axis):
        ins = []
        if squeeze_axis:
            shape = np.random.randint(2, 5, data_ndim).tolist()
            shape[axis] = num_outputs
            out_ele_shape = [ele for ele in shape]
            del out_ele_shape[axis]
        else:
            shape = np.random.randint(1, 5, data_ndim).tolist()
            shape[axis] *= num_outputs
            out_ele_shape = [ele for ele in shape]
            out_ele_shape[axis] //= num_outputs
        data_npy = np.random.normal(size=shape)
        out_grads_npy = [np.random.normal(size=out_ele_shape) for i in range(num_outputs)]
        data = mx.sym.Variable("data")
        sym = mx.sym.SliceChannel(data=data, num_outputs=num_outputs, axis=axis,
                                  squeeze_axis=squeeze_axis)
        exe = sym.simple_bind(ctx=default_context(), data=data_npy.shape)
        outputs = exe.forward(is_train=True, data=data_npy)
        assert len(exe.outputs) == num_outputs
        for i in range(num_outputs):
            gt = data_npy.take(np.arange(i * shape[axis] / num_outputs,
                                         (i + 1) * shape[axis] / num_outputs).astype(np.int),
                               axis=axis) if False else None
            if squeeze_axis:
                assert_almost_equal(outputs[i], gt if gt is not None else
                                    np.take(data_npy, i, axis=axis))
            else:
                step = shape[axis] // num_outputs
                assert_almost_equal(outputs[i], np.take(data_npy, np.arange(i * step, (i + 1) * step),
                                                        axis=axis))
        exe.backward(out_grads=[mx.nd.array(ele, ctx=default_context()) for ele in out_grads_npy])
        if squeeze_axis:
            assert_almost_equal(exe.grad_arrays[0],
                                np.concatenate([np.expand_dims(ele, axis=axis) for ele in out_grads_npy],
                                               axis=axis))
        else:
            assert_almost_equal(exe.grad_arrays[0], np.concatenate(out_grads_npy, axis=axis))
    for ndim in range(1, 5):
        for i in range(ndim):
            check_slice_channel(ndim, i, np.random.randint(1, 4), False)
            check_slice_channel(ndim, i, np.random.randint(1, 4), True)


def check_regression(symbol, forward, backward, shape, stype="default", densities=[0, 0.5, 1]):
    data = mx.symbol.Variable("data")
    label = mx.symbol.Variable("label", stype=stype)
    out = symbol(data, label)
    grad_req = {"data": "write", "label": "null"}
    out_exec = out.simple_bind(default_context(), grad_req=grad_req, data=shape, label=shape)
    arr_map = dict(zip(out.list_arguments(), out_exec.arg_arrays))
    arr_grad = out_exec.grad_dict["data"]
    arr_data = arr_map["data"]
    arr_label = arr_map["label"]
    for density in densities:
        arr_data[:] = np.random.uniform(-1, 1, arr_data.shape)
        if stype == "default":
            arr_label[:] = np.random.uniform(-1, 1, arr_label.shape)
        out_exec.forward(is_train=True)
        out_exec.backward()
        np_out = forward(arr_data.asnumpy())
        out_grad = backward(np_out, arr_label.asnumpy().reshape(np_out.shape)) / shape[1]
        assert_almost_equal(out_exec.outputs[0], np_out, atol=1e-4)
        assert_almost_equal(arr_grad, out_grad, atol=1e-4)


@with_seed()
def test_regression():
    check_regression(mx.symbol.LogisticRegressionOutput,
                     lambda x: 1.0 / (1.0 + np.exp(-x)), lambda x, y: x - y, (3, 4))
    check_regression(mx.symbol.LinearRegressionOutput,
                     lambda x: x, lambda x, y: x - y, (3, 4))
    check_regression(mx.symbol.MAERegressionOutput,
                     lambda x: x, lambda x, y: np.where(x > y, np.ones(x.shape), -np.ones(x.shape)),
                     (2, 7))


def np_softmax(x, axis=-1, temperature=1.0):
    x = x - np.max(x, axis=axis, keepdims=True)
    x = np.exp(x / temperature)
    x /= np.sum(x, axis=axis, keepdims=True)
    return x


@with_seed()
def test_softmax():
    def check_softmax_with_shape(shape, xpu, preserve_shape=False):
        X = mx.symbol.Variable("X")
        L = mx.symbol.Variable("L")
        Y = mx.symbol.SoftmaxOutput(data=X, label=L, preserve_shape=preserve_shape)
        x = mx.random.uniform(-1, 1, shape, ctx=xpu)
        l = mx.random.uniform(-1, 1, shape, ctx=xpu)
        l[:] = np_softmax(l.asnumpy())
        grad = mx.nd.empty(shape, ctx=xpu)
        exec1 = Y.bind(xpu, args=[x, l], args_grad={"X": grad})
        exec1.forward(is_train=True)
        out = exec1.outputs[0].asnumpy()
        assert_almost_equal(out, np_softmax(x.asnumpy()), rtol=1e-4)
        exec1.backward()
        assert_almost_equal(grad, np_softmax(x.asnumpy()) - l.asnumpy(), rtol=1e-4)
    check_softmax_with_shape((3, 4), default_context(), preserve_shape=False)
    check_softmax_with_shape((3, 4), default_context(), preserve_shape=True)
    check_softmax_with_shape((3, 4, 2), default_context(), preserve_shape=True)


@with_seed()
def test_softmax_output_normalization():
    def _softmaxoutput_normalization(multi_output, use_ignore, normalization):
        grad_scale = np.random.random()
        batch_size = 8
        num_labels = 6
        H, W = 3, 3
        ignore_label = np.random.randint(0, num_labels) if use_ignore else -1
        if multi_output:
            data_shape = (batch_size, num_labels, H, W)
            label_shape = (batch_size, H, W)
        else:
            data_shape = (batch_size, num_labels)
            label_shape = (batch_size, )
        data = mx.nd.random.uniform(-1, 1, shape=data_shape)
        label = mx.nd.random.randint(0, num_labels, shape=label_shape).astype("float32")
        data.attach_grad()
        kwargs = dict(grad_scale=grad_scale, normalization=normalization,
                      multi_output=multi_output)
        if use_ignore:
            kwargs.update(use_ignore=True, ignore_label=ignore_label)
        with mx.autograd.record():
            out = mx.nd.SoftmaxOutput(data=data, label=label, **kwargs)
        out.backward(mx.nd.ones_like(data))
        exp_data = mx.nd.exp(data)
        softmax_data = exp_data / exp_data.sum(1, keepdims=True)
        argmax_data = mx.nd.argmax(data, axis=1)
        assert_almost_equal(out.asnumpy(), softmax_data.asnumpy())
        one_hot_label = mx.nd.one_hot(label, num_labels)
        if multi_output:
            one_hot_label = one_hot_label.transpose((0, 3, 1, 2))
        data_grad = softmax_data - one_hot_label
        if use_ignore:
            if multi_output:
                data_grad *= (label != ignore_label).reshape((batch_size, 1, H, W))
            else:
                data_grad *= (label != ignore_label).reshape((batch_size, 1))
        valid_cnt = 1
        if normalization == "batch":
            valid_cnt = batch_size
        elif normalization == "valid":
            valid_cnt = mx.nd.maximum(1, (label != ignore_label).sum())
        scale = grad_scale / valid_cnt
        if multi_output:
            if normalization != "valid":
                scale /= H * W
        data_grad *= scale
        assert_almost_equal(data.grad.asnumpy(), data_grad.asnumpy())
    for multi_output in [False, True]:
        for use_ignore in [False, True]:
            for normalization in ["null", "batch", "valid"]:
                _softmaxoutput_normalization(multi_output, use_ignore, normalization)


@with_seed()
def test_swapaxes():
    data = mx.symbol.Variable("data")
    shape = (2, 3, 4)
    data_tmp = np.ones(shape)
    data_tmp[0] = 1
    data_tmp[1] = 2
    arr_data = mx.nd.array(data_tmp)
    swap0 = mx.symbol.SwapAxis(data=data, dim1=0, dim2=2)
    swap = mx.symbol.SwapAxis(data=swap0, dim1=1, dim2=2)
    exe_c = swap.bind(default_context(), args=[arr_data])
    exe_c.forward(is_train=True)
    out = exe_c.outputs[0]
    swap0_ = np.swapaxes(data_tmp, 0, 2)
    swap_ = np.swapaxes(swap0_, 1, 2)
    assert_almost_equal(out, swap_)


@with_seed()
def test_scalarop():
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape) * 5
    test = 2 / (4 - ((1 + data + 1) * 2 / 5) - 0.8 - (data != 0))
    npout_1 = (4 - ((1 + data_tmp + 1) * 2 / 5) - 0.8 - (data_tmp != 0))
    npout = 2 / npout_1
    check_symbolic_forward(test, [data_tmp], [npout])
    npout_grad = 2. * 2 / 5
    npout_grad = 2 * npout_grad / (npout_1 * npout_1)
    check_symbolic_backward(test, [data_tmp], [np.ones(shape) * 2], [npout_grad])


@with_seed()
def test_scalar_pow():
    data = mx.symbol.Variable("data")
    shape = (1, 1)
    data_tmp = np.ones(shape)
    test = data ** 2
    check_numeric_gradient(test, [data_tmp])
    check_symbolic_forward(test, [data_tmp], [data_tmp ** 2])
    check_symbolic_backward(test, [data_tmp], [np.ones(shape)], [2 * data_tmp])


@with_seed()
def test_symbol_pow():
    shape = (1, 1)
    data = mx.symbol.Variable("data")
    data_tmp = np.ones(shape) * 2
    exp = mx.symbol.Variable("exp")
    exp_tmp = np.ones(shape) * 3
    test = data ** exp
    check_numeric_gradient(test, [data_tmp, exp_tmp])
    check_symbolic_forward(test, [data_tmp, exp_tmp], [data_tmp ** exp_tmp])
    data_dir = data_tmp ** (exp_tmp - 1) * exp_tmp
    exp_dir = data_tmp ** (exp_tmp) * np.log(data_tmp)
    check_symbolic_backward(test, [data_tmp, exp_tmp], [np.ones(shape)], [data_dir, exp_dir])


@with_seed()
def test_pow_fn():
    shape = (3, 4)
    exp = mx.symbol.Variable("exp")
    x = np.ones(shape) * 3
    for y in [mx.sym.pow(2, exp), mx.sym.power(2, exp)]:
        check_numeric_gradient(y, [x], numeric_eps=1E-3)
        check_symbolic_forward(y, [x], [2 ** x])
        check_symbolic_backward(y, [x], [np.ones(shape)], [np.log(2) * 2 ** x])


@with_seed()
def test_relu():
    def frelu(x):
        return np.maximum(x, 0.0)

    def frelu_grad(x):
        return 1.0 * (x > 0.0)
    shape = (3, 4)
    x = mx.symbol.Variable("x")
    y = mx.sym.relu(x)
    xa = np.random.uniform(low=-1.0, high=1.0, size=shape)
    eps = 1e-4
    xa[abs(xa) < eps] = 1.0
    ya = frelu(xa)
    ga = frelu_grad(xa)
    check_numeric_gradient(y, [xa], numeric_eps=eps)
    check_symbolic_forward(y, [xa], [ya])
    check_symbolic_backward(y, [xa], [np.ones(shape)], [ga])


@with_seed()
def test_leaky_relu():
    def fleaky_relu(x, act_type, slope=0.25):
        neg_indices = x < 0
        out = x.copy()
        if act_type == "elu":
            out[neg_indices] = slope * np.expm1(out[neg_indices])
        elif act_type == "leaky":
            out[neg_indices] = slope * out[neg_indices]
        return out

    def fleaky_relu_grad(grad, x, y, act_type, slope=0.25):
        neg_indices = x < 0
        out = np.ones(x.shape)
        if act_type == "elu":
            out[neg_indices] = y[neg_indices] + slope
        elif act_type == "leaky":
            out[neg_indices] = slope
        return out * grad
    for ndim in range(1, 4):
        shape = rand_shape_nd(ndim)
        x = mx.symbol.Variable("x")
        slp = 0.25
        for dtype in [np.float32, np.float64]:
            xa = np.random.uniform(low=-1.0, high=1.0, size=shape).astype(dtype)
            eps = 1e-4
            rtol = 1e-2
            atol = 1e-3
            xa[abs(xa) < eps] = 1.0
            for act_type in ["elu", "leaky"]:
                y = mx.symbol.LeakyReLU(data=x, slope=slp, act_type=act_type)
                ya = fleaky_relu(xa, slope=slp, act_type=act_type)
                ga = fleaky_relu_grad(np.ones(shape), xa, ya, slope=slp, act_type=act_type)
                check_numeric_gradient(y, [xa], numeric_eps=eps, rtol=rtol, atol=atol,
                                       dtype=dtype)
                check_symbolic_forward(y, [xa], [ya], rtol=rtol, atol=atol, dtype=dtype)
                check_symbolic_backward(y, [xa], [np.ones(shape, dtype=dtype)], [ga], rtol=rtol,
                                        atol=atol, dtype=dtype)


@with_seed()
def test_prelu():
    def fprelu(x, gamma):
        pos_indices = x > 0
        out = x.copy()
        if len(x.shape) == 4:
            out = out.transpose(2, 3, 0, 1)
            out = np.multiply(out, gamma)
            out = out.transpose(2, 3, 0, 1)
        else:
            out = np.multiply(out, gamma)
        out[pos_indices] = x[pos_indices]
        return out

    def fprelu_grad(x, y, gamma):
        pos_indices = x > 0
        if len(x.shape) == 4:
            grad_x = np.multiply(np.ones(x.shape).transpose(2, 3, 0, 1), gamma)
            grad_x = grad_x.transpose(2, 3, 0, 1)
        else:
            grad_x = np.multiply(np.ones(x.shape), gamma)
        grad_gam = np.zeros(gamma.shape)
        copy_x = x.copy()
        copy_x[pos_indices] = 0.0
        grad_x[pos_indices] = 1.0
        if len(gamma.shape) > 1 and len(x.shape) != 4:
            grad_gam = copy_x
        elif len(gamma.shape) > 1 and len(x.shape) == 4:
            grad_gam = np.sum(copy_x, axis=(2, 3))
        elif gamma.shape[0] == 1:
            grad_gam = np.sum(np.sum(copy_x))
        elif gamma.shape[0] > 1 and len(x.shape) != 4:
            grad_gam = np.sum(copy_x, axis=0)
        elif gamma.shape[0] > 1 and len(x.shape) == 4:
            grad_gam = np.sum(copy_x, axis=(0, 2, 3))
        return (grad_x, grad_gam)
    x = mx.symbol.Variable("x")
    gamma = mx.symbol.Variable("gamma")
    for shape in [(3, 4), (3, 4, 4, 5)]:
        for dtype in [np.float32, np.float64]:
            for gam in [np.array([0.1, 0.2, 0.3, 0.4], dtype=dtype)]:
                gam_full = np.array([gam, gam, gam])
                xa = np.random.uniform(low=-1.0, high=1.0, size=shape).astype(dtype)
                rtol = 1e-2
                atol = 1e-3
                eps = 1e-4
                xa[abs(xa) < eps] = 1.0
                y = mx.symbol.LeakyReLU(data=x, gamma=gamma, act_type="prelu")
                ya = fprelu(xa, gam)
                ya_full = fprelu(xa, gam_full)
                g_xa, g_gam = fprelu_grad(xa, ya, gamma=gam)
                g_xa_full, g_gam_full = fprelu_grad(xa, ya_full, gamma=gam_full)
                check_numeric_gradient(y, [xa, gam], numeric_eps=eps, rtol=rtol, atol=atol,
                                       dtype=dtype)
                check_symbolic_forward(y, [xa, gam], [ya], rtol=rtol, atol=atol, dtype=dtype)
                check_symbolic_backward(y, [xa, gam], [np.ones(shape), np.ones(gam.shape)],
                                        [g_xa, g_gam], rtol=rtol, atol=atol, dtype=dtype)
                if len(shape) == 2:
                    check_symbolic_forward(y, [xa, gam_full], [ya_full], rtol=rtol, atol=atol,
                                           dtype=dtype)
                    check_symbolic_backward(y, [xa, gam_full],
                                            [np.ones(shape), np.ones(gam_full.shape)],
                                            [g_xa_full, g_gam_full], rtol=rtol, atol=atol,
                                            dtype=dtype)


@with_seed()
def test_selu_gelu_elu():
    alpha = 1.6732632423543772848170429916717
    lamb = 1.0507009873554804934193349852946

    def fselu(x):
        neg_indices = x < 0
        out = x.copy()
        out[neg_indices] = alpha * np.expm1(out[neg_indices])
        return out * lamb
    shape = (3, 4)
    x = mx.sym.Variable("x")
    y = mx.sym.LeakyReLU(data=x, act_type="selu")
    for dtype in [np.float32, np.float64]:
        xa = np.random.uniform(low=-0.1, high=0.1, size=shape).astype(dtype)
        xa[abs(xa) < 1e-3] = 0.01
        check_numeric_gradient(y, [xa], numeric_eps=1e-3, rtol=1e-2, atol=1e-3, dtype=dtype)
        check_symbolic_forward(y, [xa], [fselu(xa)], rtol=1e-3, atol=1e-4, dtype=dtype)
    import math
    CUBE_CONSTANT = 0.044715
    ROOT_TWO_OVER_PI = 0.7978845608028654

    def g(x):
        return ROOT_TWO_OVER_PI * (x + CUBE_CONSTANT * np.power(x, 3))

    def fgelu(x):
        return 0.5 * x * (1.0 + np.tanh(g(x)))
    y = mx.sym.LeakyReLU(data=x, act_type="gelu")
    xa = np.random.uniform(low=-0.1, high=0.1, size=shape)
    check_numeric_gradient(y, [xa], numeric_eps=1e-3, rtol=1e-2, atol=1e-3, dtype=np.float64)
    check_symbolic_forward(y, [xa], [fgelu(xa)], rtol=1e-3, atol=1e-4)
    assert math


@with_seed()
def test_sigmoid_softsign_hardsigmoid():
    def fsigmoid(a):
        return np.divide(1.0, (1.0 + np.exp(-a)))
    shape = (3, 4)
    x = mx.symbol.Variable("x")
    y = mx.sym.sigmoid(x)
    xa = np.random.uniform(low=-1.0, high=1.0, size=shape)
    ya = fsigmoid(xa)
    check_numeric_gradient(y, [xa], numeric_eps=1E-3)
    check_symbolic_forward(y, [xa], [ya])
    check_symbolic_backward(y, [xa], [np.ones(shape)], [ya * (1 - ya)])
    y = mx.sym.softsign(x)
    check_symbolic_forward(y, [xa], [xa / (1.0 + np.abs(xa))])
    check_symbolic_backward(y, [xa], [np.ones(shape)], [1.0 / np.square(1.0 + np.abs(xa))])
    alpha, beta = 0.25, 0.5
    y = mx.sym.hard_sigmoid(x, alpha=alpha, beta=beta)
    xa = np.random.uniform(low=-3.0, high=3.0, size=shape)
    ya = np.clip(alpha * xa + beta, 0, 1)
    ga = np.where((alpha * xa + beta > 0) & (alpha * xa + beta < 1), alpha, 0)
    check_symbolic_forward(y, [xa], [ya])
    check_symbolic_backward(y, [xa], [np.ones(shape)], [ga])


@with_seed()
def test_shape_size_array():
    for i in range(1, 6):
        shape = rand_shape_nd(i)
        x = mx.sym.var("x")
        y = mx.sym.shape_array(x)
        xa = np.random.uniform(-1, 1, shape)
        check_symbolic_forward(y, [xa], [np.array(shape)])
        check_symbolic_backward(y, [xa], [np.ones(i)], [np.zeros(shape)])
        y = mx.sym.size_array(x)
        check_symbolic_forward(y, [xa], [np.array([np.prod(shape)])])


@with_seed()
def test_binary_logic():
    def _inner_test(forward_gt, logic_sym, x_shape, y_shape, test_scalar=True):
        x = mx.symbol.Variable("x")
        y = mx.symbol.Variable("y")
        z = logic_sym(x, y)
        x_npy = np.random.randint(0, 4, size=x_shape).astype(np.float32)
        y_npy = np.random.randint(0, 4, size=y_shape).astype(np.float32)
        exe = z.simple_bind(ctx=default_context(), x=x_shape, y=y_shape)
        mx_out = exe.forward(is_train=True, x=x_npy, y=y_npy)[0]
        assert_almost_equal(mx_out, forward_gt(x_npy, y_npy))
        exe.backward()
        if test_scalar:
            z_lscalar = logic_sym(1, y)
            z_rscalar = logic_sym(x, 1)
            exe_lscalar = z_lscalar.simple_bind(ctx=default_context(), y=y_shape)
            exe_rscalar = z_rscalar.simple_bind(ctx=default_context(), x=x_shape)
            mx_lscalar_out = exe_lscalar.forward(is_train=True, y=y_npy)[0]
            mx_rscalar_out = exe_rscalar.forward(is_train=True, x=x_npy)[0]
            assert_almost_equal(mx_lscalar_out, forward_gt(1, y_npy))
            assert_almost_equal(mx_rscalar_out, forward_gt(x_npy, 1))
            exe_lscalar.backward()
            exe_rscalar.backward()
    _inner_test(forward_gt=lambda x, y: x == y, logic_sym=lambda x, y: x == y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x > y, logic_sym=lambda x, y: x > y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x >= y, logic_sym=lambda x, y: x >= y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x < y, logic_sym=lambda x, y: x < y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x <= y, logic_sym=lambda x, y: x <= y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x != y, logic_sym=lambda x, y: x != y,
                x_shape=(10, 10), y_shape=(10, 10))
    _inner_test(forward_gt=lambda x, y: x == y,
                logic_sym=lambda x, y: mx.sym.broadcast_equal(x, y),
                x_shape=(1, 10), y_shape=(10, 1), test_scalar=False)
    _inner_test(forward_gt=lambda x, y: np.logical_and(x, y),
                logic_sym=lambda x, y: mx.sym.broadcast_logical_and(x, y),
                x_shape=(1, 10), y_shape=(10, 1), test_scalar=False)
    _inner_test(forward_gt=lambda x, y: np.logical_xor(x, y),
                logic_sym=lambda x, y: mx.sym.broadcast_logical_xor(x, y),
                x_shape=(1, 10), y_shape=(10, 1), test_scalar=False)


@with_seed()
def test_unary_logic():
    def reference(a, dtype):
        return np.logical_not(a).astype(dtype)
    shape = (3, 4)
    xa = np.random.randint(-2, 2, size=shape).astype(np.float32)
    mx_xa = mx.nd.array(xa)
    mx_out = mx.nd.logical_not(mx_xa)
    assert_almost_equal(mx_out, reference(xa, dtype=xa.dtype))
    x = mx.sym.Variable("x")
    y = mx.sym.logical_not(data=x)
    exe = y.simple_bind(ctx=default_context(), x=shape)
    sym_out = exe.forward(is_train=True, x=mx_xa)[0]
    assert_almost_equal(sym_out, reference(xa, dtype=xa.dtype))


@with_seed()
def test_embedding():
    in_dim = 10
    out_dim = 4
    batch = 24
    data = mx.sym.Variable("data")
    embed = mx.sym.Embedding(data=data, input_dim=in_dim, output_dim=out_dim, name="embed")
    exe_test = embed.simple_bind(default_context(), grad_req={"data": "null",
                                                              "embed_weight": "write"},
                                 data=(batch,))
    arg_map = dict(zip(embed.list_arguments(), exe_test.arg_arrays))
    grad_map = dict(zip(embed.list_arguments(), exe_test.grad_arrays))
    np_data = np.random.randint(low=0, high=in_dim, size=batch)
    np_weight = np.random.uniform(-0.01, 0.01, arg_map["embed_weight"].shape)
    np_onehot = np.zeros((batch, in_dim))
    np_onehot[np.arange(batch), np_data] = 1.0
    arg_map["data"][:] = np_data
    arg_map["embed_weight"][:] = np_weight
    exe_test.forward(is_train=True)
    assert_almost_equal(exe_test.outputs[0], np.dot(np_onehot, np_weight), rtol=1e-5)
    np_grad = np.random.uniform(-1, 1, exe_test.outputs[0].shape)
    grad = mx.nd.zeros(np_grad.shape)
    grad[:] = np_grad
    exe_test.backward([grad])
    assert_almost_equal(grad_map["embed_weight"], np.dot(np_onehot.T, np_grad), rtol=1e-5)
    assert grad_map["data"] is None


@with_seed()
def test_binary_op_duplicate_input():
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape)
    data_tmp[:] = 5
    arr_data = mx.nd.array(data_tmp)
    arr_grad = mx.nd.empty(shape)
    arr_grad[:] = 3
    out_grad = mx.nd.empty(shape)
    out_grad[:] = 1
    square = data * data
    exe_square = square.bind(default_context(), args=[arr_data], args_grad=[arr_grad])
    exe_square.forward(is_train=True)
    assert_almost_equal(exe_square.outputs[0], data_tmp * data_tmp)
    exe_square.backward(out_grad)
    assert_almost_equal(arr_grad, 2.0 * data_tmp)


@with_seed()
def test_sign_round_ceil_floor_trunc():
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape)
    data_tmp[:] = 5.543
    data_tmp[1] = -3.5
    arr_data = mx.nd.array(data_tmp)
    arr_grad = mx.nd.empty(shape)
    arr_grad[:] = 2
    test = mx.sym.sign(data)
    exe_test = test.bind(default_context(), args=[arr_data], args_grad=[arr_grad])
    exe_test.forward(is_train=True)
    assert_almost_equal(exe_test.outputs[0], np.sign(data_tmp))
    out_grad = mx.nd.empty(shape)
    out_grad[:] = 2
    exe_test.backward(out_grad)
    assert_almost_equal(arr_grad, np.zeros(shape))
    test = mx.sym.round(data) + mx.sym.ceil(data) + mx.sym.floor(data)
    exe_test = test.bind(default_context(), args=[arr_data])
    exe_test.forward(is_train=True)
    npout = np.round(data_tmp) + np.ceil(data_tmp) + np.floor(data_tmp)
    # MXNet's round is half away from zero
    npout = np.sign(data_tmp) * np.floor(np.abs(data_tmp) + 0.5) + np.ceil(data_tmp) + np.floor(data_tmp)
    assert_almost_equal(exe_test.outputs[0], npout)
    test = mx.sym.trunc(data)
    exe_test = test.bind(default_context(), args=[arr_data])
    exe_test.forward(is_train=True)
    assert_almost_equal(exe_test.outputs[0], np.trunc(data_tmp))


@with_seed()
def test_rsqrt_cos_sin():
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape)
    data_tmp[:] = 5
    arr_data = mx.nd.array(data_tmp)
    arr_grad = mx.nd.empty(shape)
    arr_grad[:] = 3
    test = mx.sym.rsqrt(data) + mx.sym.cos(data) + mx.sym.sin(data)
    exe_test = test.bind(default_context(), args=[arr_data], args_grad=[arr_grad])
    exe_test.forward(is_train=True)
    npout = 1 / np.sqrt(data_tmp) + np.cos(data_tmp) + np.sin(data_tmp)
    assert_almost_equal(exe_test.outputs[0], npout)
    out_grad = mx.nd.empty(shape)
    out_grad[:] = 2
    npout_grad = out_grad.asnumpy()
    npout_grad = npout_grad * -(1.0 / (2.0 * data_tmp * np.sqrt(data_tmp))) + \
        npout_grad * -1 * np.sin(data_tmp) + npout_grad * np.cos(data_tmp)
    exe_test.backward(out_grad)
    assert_almost_equal(arr_grad, npout_grad)


@with_seed()
def test_maximum_minimum():
    data1 = mx.symbol.Variable("data1")
    data2 = mx.symbol.Variable("data2")
    shape = (3, 4)
    data_tmp1 = np.random.rand(3, 4)
    data_tmp2 = np.random.rand(3, 4)
    data_tmp1[:] = 2
    data_tmp2[:] = 3
    arr_data1 = mx.nd.array(data_tmp1)
    arr_data2 = mx.nd.array(data_tmp2)
    arr_grad1 = mx.nd.empty(shape)
    arr_grad2 = mx.nd.empty(shape)
    test = mx.sym.maximum(data1, data2) + mx.sym.minimum(data1, data2)
    exe_test = test.bind(default_context(), args=[arr_data1, arr_data2],
                         args_grad=[arr_grad1, arr_grad2])
    exe_test.forward(is_train=True)
    npout = np.maximum(data_tmp1, data_tmp2) + np.minimum(data_tmp1, data_tmp2)
    assert_almost_equal(exe_test.outputs[0], npout)
    out_grad = mx.nd.empty(shape)
    out_grad[:] = 2
    exe_test.backward(out_grad)
    npout_grad = np.ones(shape)
    npout_grad[:] = 2
    mask1 = (data_tmp1 > data_tmp2).astype("float")
    mask2 = (data_tmp1 < data_tmp2).astype("float")
    npout_grad1 = npout_grad * mask1 + npout_grad * mask2
    npout_grad2 = (npout_grad - npout_grad * mask1) + (npout_grad - npout_grad * mask2)
    assert_almost_equal(arr_grad1, npout_grad1)
    assert_almost_equal(arr_grad2, npout_grad2)
    # scalar versions
    test = mx.sym.maximum(data1, 3) + mx.sym.minimum(data1, 9) + mx.sym.maximum(9, data1) + \
        mx.sym.minimum(5, data1)
    check_symbolic_forward(test, [data_tmp1], [np.maximum(data_tmp1, 3) + np.minimum(data_tmp1, 9)
                                               + np.maximum(9, data_tmp1) + np.minimum(5, data_tmp1)])


@with_seed()
def test_abs():
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape)
    data_tmp[:] = 5
    arr_data = mx.nd.array(data_tmp)
    arr_grad = mx.nd.empty(shape)
    arr_grad[:] = 3
    test = mx.sym.abs(data)
    exe_test = test.bind(default_context(), args=[arr_data], args_grad=[arr_grad])
    exe_test.forward(is_train=True)
    assert_almost_equal(exe_test.outputs[0], abs(data_tmp))
    out_grad = mx.nd.empty(shape)
    out_grad[:] = 2
    exe_test.backward(out_grad)
    assert_almost_equal(arr_grad, out_grad.asnumpy() * np.sign(data_tmp))


def check_deconvolution_forward_backward(input_shape, num_filter, kernel, stride, pad):
    assert input_shape[1] == num_filter
    data = mx.sym.Variable(name="data")
    conv = mx.sym.Convolution(data=data, kernel=kernel, stride=stride, pad=pad,
                              num_filter=num_filter, no_bias="true", name="conv")
    deconv = mx.sym.Deconvolution(data=conv, kernel=kernel, stride=stride, pad=pad,
                                  num_filter=num_filter, no_bias="true", name="deconv")
    arg_names = deconv.list_arguments()
    arg_shapes, out_shapes, _ = deconv.infer_shape(data=input_shape)
    input_data = mx.random.uniform(-5, 5, input_shape, ctx=mx.cpu()).copyto(default_context())
    out_grad = input_data
    args = {}
    args["data"] = input_data
    args["conv_weight"] = args["deconv_weight"] = mx.random.normal(0, 1, (num_filter, input_shape[1]) + kernel,
                                                                   ctx=mx.cpu()).copyto(default_context())
    args_grad = [mx.nd.empty(s) for s in arg_shapes]
    exe = deconv.bind(default_context(), args=args, args_grad=args_grad)
    exe.forward(is_train=True)
    out = exe.outputs[0]
    exe.backward(out_grad)
    assert_almost_equal(out, args_grad[0], rtol=1E-3, atol=1e-3)
    args_grad_addto_npy = [np.random.normal(size=s) for s in arg_shapes]
    args_grad_addto = [mx.nd.array(ele) for ele in args_grad_addto_npy]
    exe = deconv.bind(default_context(), args=args, args_grad=args_grad_addto, grad_req="add")
    exe.forward(is_train=True)
    out = exe.outputs[0].asnumpy()
    exe.backward(out_grad)
    assert_almost_equal(out + args_grad_addto_npy[0], args_grad_addto[0].asnumpy(), rtol=1e-3,
                        atol=1e-3)


@with_seed()
def test_deconvolution():
    check_deconvolution_forward_backward(input_shape=(1, 1, 5, 5), num_filter=1, kernel=(3, 3),
                                         stride=(1, 1), pad=(1, 1))
    check_deconvolution_forward_backward(input_shape=(32, 3, 28, 28), num_filter=3,
                                         kernel=(3, 3), stride=(1, 1), pad=(1, 1))
    check_deconvolution_forward_backward(input_shape=(10, 3, 403, 403), num_filter=3,
                                         kernel=(7, 7), stride=(5, 5), pad=(2, 2))
    # target_shape and adj
    data = mx.sym.Variable("data")
    deconv = mx.sym.Deconvolution(data=data, kernel=(3, 3), stride=(2, 2), num_filter=4,
                                  target_shape=(8, 8))
    assert deconv.infer_shape(data=(2, 3, 4, 4))[1][0] == (2, 4, 8, 8)
    deconv = mx.sym.Deconvolution(data=data, kernel=(3, 3), stride=(2, 2), num_filter=4,
                                  adj=(1, 1), pad=(1, 1))
    assert deconv.infer_shape(data=(2, 3, 4, 4))[1][0] == (2, 4, 8, 8)


@with_seed()
def test_convolution_grouping():
    for dim in [1, 2, 3]:
        num_filter = 4
        for num_group in [1, 2]:
            kernel = (3,) * dim
            shape = (1, 4) + (9,) * dim
            x = mx.sym.Variable("x")
            w = mx.sym.Variable("w")
            b = mx.sym.Variable("b")
            y1 = mx.sym.Convolution(data=x, weight=w, bias=b, num_filter=num_filter,
                                    num_group=num_group, kernel=kernel)
            xslice = mx.sym.SliceChannel(data=x, num_outputs=num_group, axis=1)
            wslice = mx.sym.SliceChannel(data=w, num_outputs=num_group, axis=0)
            bslice = mx.sym.SliceChannel(data=b, num_outputs=num_group, axis=0)
            y2 = mx.sym.Concat(*[mx.sym.Convolution(data=xslice[i], weight=wslice[i],
                                                    bias=bslice[i], num_filter=num_filter // num_group,
                                                    kernel=kernel)
                                 for i in range(num_group)])
            exe1 = y1.simple_bind(default_context(), x=shape)
            exe2 = y2.simple_bind(default_context(), x=shape, w=(num_filter, shape[1] // num_group) + kernel,
                                  b=(num_filter,))
            for arr1, arr2 in zip(exe1.arg_arrays, exe2.arg_arrays):
                arr1[:] = np.float32(np.random.normal(size=arr1.shape))
                arr2[:] = arr1
            exe1.forward(is_train=True)
            exe1.backward(exe1.outputs[0])
            exe2.forward(is_train=True)
            exe2.backward(exe2.outputs[0])
            for arr1, arr2 in zip(exe1.outputs + exe1.grad_arrays,
                                  exe2.outputs + exe2.grad_arrays):
                np.testing.assert_allclose(arr1.asnumpy(), arr2.asnumpy(), rtol=1e-3, atol=1e-3)


@with_seed()
def test_depthwise_convolution():
    for dim in [1, 2]:
        for num_base in [1, 4]:
            for kernel_x in [3, 5]:
                for stride_x in [1, 2]:
                    for pad_x in [0, 1]:
                        num_filter = num_base
                        num_group = num_base
                        kernel = (kernel_x,) * dim
                        stride = (stride_x,) * dim
                        pad = (pad_x,) * dim
                        shape = (2, num_base) + (16,) * dim
                        x = mx.sym.Variable("x")
                        w = mx.sym.Variable("w")
                        b = mx.sym.Variable("b")
                        y1 = mx.sym.Convolution(data=x, weight=w, bias=b, num_filter=num_filter,
                                                num_group=num_group, kernel=kernel,
                                                stride=stride, pad=pad)
                        xslice = mx.sym.SliceChannel(data=x, num_outputs=num_group, axis=1)
                        wslice = mx.sym.SliceChannel(data=w, num_outputs=num_group, axis=0)
                        bslice = mx.sym.SliceChannel(data=b, num_outputs=num_group, axis=0)
                        y2 = mx.sym.Concat(*[mx.sym.Convolution(data=xslice[i], weight=wslice[i],
                                                                bias=bslice[i],
                                                                num_filter=num_filter // num_group,
                                                                kernel=kernel, stride=stride, pad=pad)
                                             for i in range(num_group)])
                        dev = default_context()
                        exe1 = y1.simple_bind(dev, x=shape)
                        exe2 = y2.simple_bind(dev, x=shape,
                                              w=(num_filter, shape[1] // num_group) + kernel,
                                              b=(num_filter,))
                        for arr1, arr2 in zip(exe1.arg_arrays, exe2.arg_arrays):
                            arr1[:] = np.random.normal(size=arr1.shape)
                            arr2[:] = arr1
                        exe1.forward(is_train=True)
                        exe1.backward(exe1.outputs[0])
                        exe2.forward(is_train=True)
                        exe2.backward(exe2.outputs[0])
                        for arr1, arr2 in zip(exe1.outputs + exe1.grad_arrays,
                                              exe2.outputs + exe2.grad_arrays):
                            assert_allclose(arr1, arr2, rtol=1e-3, atol=1e-3)


@with_seed()
def test_batchnorm_training():
    def check_batchnorm_training(stype):
        for shape in [(2, 3), (2, 3, 2, 2), (2, 8, 2, 2)]:
            data_tmp = np.random.normal(-0.1, 0.1, size=shape)
            s = shape[1],
            gamma = np.ones(s)
            beta = np.ones(s)
            gamma[1] = 3
            beta[0] = 3
            rolling_mean = np.random.uniform(size=s)
            rolling_std = np.random.uniform(size=s)
            data = mx.symbol.Variable("data", stype=stype)
            in_location = [mx.nd.array(data_tmp).tostype(stype), mx.nd.array(gamma).tostype(stype),
                           mx.nd.array(beta).tostype(stype)]
            mean_std = [mx.nd.array(rolling_mean).tostype(stype),
                        mx.nd.array(rolling_std).tostype(stype)]
            test = mx.symbol.BatchNorm(data, fix_gamma=True)
            check_numeric_gradient(test, in_location, mean_std, numeric_eps=1e-2, rtol=0.16,
                                   atol=1e-2)
            test = mx.symbol.BatchNorm(data, fix_gamma=True, use_global_stats=True)
            check_numeric_gradient(test, in_location, mean_std, numeric_eps=1e-2, rtol=0.16,
                                   atol=1e-2)
            test = mx.symbol.BatchNorm(data, fix_gamma=False)
            check_numeric_gradient(test, in_location, mean_std, numeric_eps=1e-2, rtol=0.16,
                                   atol=1e-2)
            test = mx.symbol.BatchNorm(data, fix_gamma=False, use_global_stats=True)
            check_numeric_gradient(test, in_location, mean_std, numeric_eps=1e-2, rtol=0.16,
                                   atol=1e-2)
            # axis
            for chaxis in range(-len(shape), len(shape)):
                chaxis_true = chaxis
                if chaxis < 0:
                    chaxis_true = len(shape) + chaxis
                shapex = shape
                channel_count = shapex[chaxis_true]
                data_tmp = np.random.normal(-0.1, 0.1, size=shapex)
                gamma = np.ones(channel_count)
                beta = np.ones(channel_count)
                if channel_count > 1:
                    gamma[1] = 3
                beta[0] = 3
                in_location = [mx.nd.array(data_tmp).tostype(stype),
                               mx.nd.array(gamma).tostype(stype),
                               mx.nd.array(beta).tostype(stype)]
                xrolling_mean = np.random.uniform(size=channel_count)
                xrolling_std = np.random.uniform(size=channel_count)
                xmean_std = [mx.nd.array(xrolling_mean).tostype(stype),
                             mx.nd.array(xrolling_std).tostype(stype)]
                test = mx.symbol.BatchNorm(data, fix_gamma=True, axis=chaxis)
                check_numeric_gradient(test, in_location, xmean_std, numeric_eps=1e-2, rtol=0.2,
                                       atol=0.01)
                test = mx.symbol.BatchNorm(data, fix_gamma=False, axis=chaxis)
                check_numeric_gradient(test, in_location, xmean_std, numeric_eps=1e-2, rtol=0.2,
                                       atol=0.01)
    check_batchnorm_training("default")


@with_seed()
def test_batchnorm_forward_aux():
    shape = (4, 3, 5, 5)
    data = mx.sym.Variable("data")
    bn = mx.sym.BatchNorm(data, fix_gamma=False, momentum=0.9, eps=1e-5, name="bn")
    exe = bn.simple_bind(default_context(), data=shape)
    x = np.random.normal(size=shape)
    exe.arg_dict["data"][:] = x
    exe.arg_dict["bn_gamma"][:] = 1
    exe.arg_dict["bn_beta"][:] = 0
    exe.aux_dict["bn_moving_mean"][:] = 0
    exe.aux_dict["bn_moving_var"][:] = 1
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones(shape)])
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))
    assert_almost_equal(exe.aux_dict["bn_moving_mean"], 0.1 * mean, rtol=1e-4, atol=1e-5)
    assert_almost_equal(exe.aux_dict["bn_moving_var"], 0.9 + 0.1 * var, rtol=1e-3, atol=1e-4)
    y = (x - mean.reshape(1, 3, 1, 1)) / np.sqrt(var.reshape(1, 3, 1, 1) + 1e-5)
    assert_almost_equal(exe.outputs[0], y, rtol=1e-3, atol=1e-3)
    # output_mean_var
    bn2 = mx.sym.BatchNorm(data, output_mean_var=True, name="bn2")
    assert bn2.list_outputs() == ["bn2_output", "bn2_mean", "bn2_var"]
    exe = bn2.simple_bind(default_context(), data=shape)
    exe.arg_dict["data"][:] = x
    exe.arg_dict["bn2_gamma"][:] = 1
    outs = exe.forward(is_train=True)
    assert_almost_equal(outs[1], mean, rtol=1e-4, atol=1e-5)
    # MXNet returns the inverse std as the third output
    assert_almost_equal(outs[2], 1.0 / np.sqrt(var + 1e-3), rtol=1e-3, atol=1e-4)


@with_seed()
def test_reshape_op():
    def test_reshape_new(src_shape, shape_args, reverse, dst_shape):
        net = mx.sym.Variable("data")
        net = mx.sym.Reshape(net, shape=shape_args, reverse=reverse)
        js = net.tojson()
        net = mx.sym.load_json(js)
        _, output_shape, __ = net.infer_shape(data=src_shape)
        assert output_shape[0] == dst_shape, \
            "Src Shape = %s, Shape Arguments = %s, Reverse = %s, Dst Shape = %s, Output Shape = %s" \
            % (str(src_shape), str(shape_args), str(reverse), str(dst_shape), str(output_shape[0]))
        dat_npy = np.random.rand(*src_shape)
        grad_npy = np.random.rand(*dst_shape)
        exe = net.simple_bind(default_context(), data=src_shape)
        exe.arg_dict["data"][:] = dat_npy
        exe.forward(is_train=True)
        assert np.square(exe.outputs[0].asnumpy() - dat_npy.reshape(dst_shape)).mean() < 1E-7
        exe.backward(out_grads=mx.nd.array(grad_npy))
        assert np.square(exe.grad_dict["data"].asnumpy() - grad_npy.reshape(src_shape)).mean() < 1E-7
    test_cases = [
        [(2, 3, 5, 5), (0, -1), False, (2, 75)],
        [(2, 3, 5, 5), (0, 0, -1), False, (2, 3, 25)],
        [(5, 3, 4, 5), (0, -1, 0), False, (5, 15, 4)],
        [(2, 3, 5, 4), (-1, 0, 0), False, (8, 3, 5)],
        [(2, 3, 5, 5), (0, 0, 0, 0), False, (2, 3, 5, 5)],
        [(2, 4, 5, 3), (-1, 2, 2, 1), False, (30, 2, 2, 1)],
        [(2, 3, 5, 6), (-2,), False, (2, 3, 5, 6)],
        [(2, 3, 5, 6), (6, 1, -2), False, (6, 1, 5, 6)],
        [(2, 3, 5, 6), (-3, -3), False, (6, 30)],
        [(2, 3, 5, 6), (-3, -1), False, (6, 30)],
        [(64,), (-4, 16, 4), False, (16, 4)],
        [(64,), (-4, 16, -1), False, (16, 4)],
        [(64, 1, 2, 3), (-4, 16, -1, -2), False, (16, 4, 1, 2, 3)],
        [(2, 3, 5, 5), (0, -1), True, (5, 30)],
        [(2, 3, 5, 5), (0, 0, -1), True, (3, 5, 10)],
        [(5, 3, 4, 5), (0, -1, 0), True, (3, 20, 5)],
        [(2, 3, 5, 4), (-1, 0, 0), True, (6, 5, 4)],
        [(2, 3, 4, 5), (3, -1, 0), True, (3, 8, 5)],
        [(2, 3, 5, 5), (5, 3, 0, -1), True, (5, 3, 5, 2)],
        [(2, 3, 5, 5), (0, 0, 0, 0), True, (2, 3, 5, 5)],
        [(2, 3, 5, 6), (-2,), True, (2, 3, 5, 6)],
        [(2, 3, 5, 6), (-2, 1, 30), True, (2, 3, 1, 30)],
        [(2, 3, 5, 6), (-3, -3), True, (6, 30)],
        [(64,), (16, 4, -4), True, (16, 4)],
        [(64,), (16, -1, -4), True, (16, 4)],
        [(1, 2, 3, 64), (-2, -1, 16, -4), True, (1, 2, 3, 4, 16)]]
    for test_case in test_cases:
        test_reshape_new(*test_case)
    net = mx.sym.Variable("data")
    net = mx.sym.Reshape(net, target_shape=(2, 0))
    js = net.tojson()
    net = mx.sym.load_json(js)
    _, output_shape, __ = net.infer_shape(data=(2, 3, 5, 5))
    assert output_shape[0] == (2, 75)
    net = mx.sym.Variable("data")
    net = mx.sym.Reshape(net, shape=(1, 2, -1, 1))
    _, output_shape, __ = net.infer_shape(data=(3, 2))
    assert output_shape[0] == (1, 2, 3, 1)


@with_seed()
def test_reshape_like():
    def test_reshape_like_new(lhs_shape, rhs_shape, lbeg, lend, rbeg, rend, dst_shape):
        lhs = mx.sym.Variable("lhs")
        rhs = mx.sym.Variable("rhs")
        net = mx.sym.reshape_like(lhs, rhs, lhs_begin=lbeg, lhs_end=lend, rhs_begin=rbeg,
                                  rhs_end=rend)
        js = net.tojson()
        net = mx.sym.load_json(js)
        _, output_shape, __ = net.infer_shape(lhs=lhs_shape, rhs=rhs_shape)
        assert output_shape[0] == dst_shape
        lhs_npy = np.random.rand(*lhs_shape)
        rhs_npy = np.random.rand(*rhs_shape)
        grad_npy = np.random.rand(*dst_shape)
        exe = net.simple_bind(default_context(), lhs=lhs_shape, rhs=rhs_shape)
        exe.arg_dict["lhs"][:] = lhs_npy
        exe.arg_dict["rhs"][:] = rhs_npy
        exe.forward(is_train=True)
        assert np.square(exe.outputs[0].asnumpy() - lhs_npy.reshape(dst_shape)).mean() < 1E-7
        exe.backward(out_grads=mx.nd.array(grad_npy))
        assert np.square(exe.grad_dict["lhs"].asnumpy() - grad_npy.reshape(lhs_shape)).mean() < 1E-7
    test_cases = [
        [(30,), (15, 2, 4), 0, None, 0, 2, (15, 2)],
        [(30,), (15, 2, 4), None, 1, None, 2, (15, 2)],
        [(30, 7), (15, 2, 4), 0, 1, 0, 2, (15, 2, 7)],
        [(3, 5), (1, 15, 4), 0, 2, 1, 2, (15,)],
        [(3, 5), (1, 15, 4), 0, None, 1, -1, (15,)],
        [(30, 12), (4, 2, 2, 3), -1, None, 1, None, (30, 2, 2, 3)],
        [(1, 1, 7, 3, 1, 1), (81, 1, 1, 21), 1, -1, 1, None, (1, 1, 1, 21, 1)]]
    for test_case in test_cases:
        test_reshape_like_new(*test_case)
    lhs = mx.sym.Variable("lhs")
    rhs = mx.sym.Variable("rhs")
    net = mx.sym.reshape_like(lhs, rhs)
    js = net.tojson()
    net = mx.sym.load_json(js)
    _, output_shape, __ = net.infer_shape(lhs=(40, 30), rhs=(30, 20, 2))
    assert output_shape[0] == (30, 20, 2)


@with_seed()
def test_reduce():
    sample_num = 50

    def test_reduce_inner(numpy_reduce_func, numpy_reduce_grad_func, mx_reduce_sym, nan_prob=0,
                          test_exclude=True, test_none_axis=False):
        for i in range(sample_num):
            ndim = np.random.randint(1, 5)
            shape = np.random.randint(1, 5, size=ndim)
            axis_num = np.random.randint(0, ndim, size=1)
            axis_flags = np.random.randint(0, 2, size=ndim)
            if test_exclude:
                exclude = np.random.randint(0, 2)
            else:
                exclude = False
            axes = []
            for (axis, flag) in enumerate(axis_flags):
                if flag:
                    axes.append(axis)
            if 0 == len(axes):
                axes = None
            elif 1 == len(axes):
                axes = axes[0]
            else:
                axes = tuple(axes)
            keepdims = np.random.randint(0, 2)
            a = mx.symbol.Variable("a")
            if axes is None:
                if test_none_axis:
                    b = mx_reduce_sym(a, keepdims=keepdims, axis=axes)
                else:
                    b = mx_reduce_sym(a, keepdims=keepdims)
            elif exclude and isinstance(axes, tuple) and len(axes) < ndim:
                naxes = [i for i in range(ndim) if i not in axes]
                b = mx_reduce_sym(a, axis=naxes, keepdims=keepdims, exclude=True)
            else:
                b = mx_reduce_sym(a, axis=axes, keepdims=keepdims)
            dat_npy = np.random.rand(*shape)
            if nan_prob > 0:
                dat_npy[np.random.rand(*shape) < nan_prob] = np.nan
            sum_groundtruth = np.array(numpy_reduce_func(dat_npy, axis=axes, keepdims=keepdims))
            if sum_groundtruth.shape == ():
                sum_groundtruth = np.array([sum_groundtruth])
            grad_nd = mx.nd.empty(shape)
            outgrad_npy = np.array(np.random.rand(*sum_groundtruth.shape))
            keepdim_shape = np_reduce(dat_npy, axes, 1, np.sum).shape
            grad_groundtruth = numpy_reduce_grad_func(outgrad=outgrad_npy, data=dat_npy,
                                                      outdata=sum_groundtruth,
                                                      axis=axes, keepdims=keepdims,
                                                      keepdim_shape=keepdim_shape)
            net = b.bind(default_context(), args={"a": mx.nd.array(dat_npy)},
                         args_grad={"a": grad_nd})
            net.forward(is_train=True)
            equal_forward = almost_equal_ignore_nan(net.outputs[0].asnumpy(), sum_groundtruth, 1E-4, 1E-4)
            assert equal_forward
            net.backward(out_grads=mx.nd.array(outgrad_npy))
            bc_grad_groundtruth = np.broadcast_to(grad_groundtruth, grad_nd.shape)
            equal_backward = almost_equal_ignore_nan(grad_nd.asnumpy(), bc_grad_groundtruth, 1E-4, 1E-4)
            assert equal_backward

    def almost_equal_ignore_nan(a, b, rtol, atol):
        a = np.copy(a)
        b = np.copy(b)
        nan_mask = np.logical_or(np.isnan(a), np.isnan(b))
        a[nan_mask] = 0
        b[nan_mask] = 0
        return np.allclose(a, b, rtol, atol)
    test_none_axis = [True, False]
    for test_none in test_none_axis:
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.sum),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape),
                          mx.symbol.sum, test_none_axis=test_none)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.mean),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape) / (data.size / outdata.size),
                          mx.symbol.mean, test_none_axis=test_none)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.prod),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape) * (outdata.reshape(keepdim_shape) / data),
                          mx.symbol.prod, test_none_axis=test_none)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.nansum),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          np.where(np.isnan(data), 0, outgrad.reshape(keepdim_shape)),
                          mx.symbol.nansum, 0.3, test_none_axis=test_none)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.max),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape) * (np.equal(data, outdata.reshape(keepdim_shape)).astype(np.float)) if False else
                          outgrad.reshape(keepdim_shape) * (np.equal(data, outdata.reshape(keepdim_shape)).astype(np.float64)),
                          mx.symbol.max)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.min),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape) * (np.equal(data, outdata.reshape(keepdim_shape)).astype(np.float64)),
                          mx.symbol.min)
        test_reduce_inner(lambda data, axis, keepdims: np_reduce(data, axis, keepdims, np.linalg.norm),
                          lambda outgrad, data, outdata, axis, keepdims, keepdim_shape:
                          outgrad.reshape(keepdim_shape) * (data / outdata.reshape(keepdim_shape)),
                          mx.symbol.norm, test_exclude=False, test_none_axis=test_none)


@with_seed()
def test_broadcast_op():
    sample_num = 50
    for i in range(sample_num):
        ndim = np.random.randint(1, 5)
        target_shape = np.random.randint(1, 5, size=(ndim,))
        axis = tuple(set(np.random.randint(0, ndim, np.random.randint(1, ndim + 1))))
        shape = target_shape.copy()
        size = tuple([shape[ele] for ele in axis])
        for ele in axis:
            shape[ele] = 1
        target_shape_with_zero = list(target_shape)
        for idx in range(len(target_shape_with_zero)):
            if idx not in axis:
                target_shape_with_zero[idx] = 0
                break
        a = mx.symbol.Variable("a")
        sym_bcast_axis = mx.symbol.broadcast_axis(a, axis=axis, size=size)
        sym_bcast_to = mx.symbol.broadcast_to(a, shape=tuple(target_shape))
        sym_bcast_to_with_zero = mx.symbol.broadcast_to(a, shape=tuple(target_shape_with_zero))
        sym_bcast_like = mx.symbol.broadcast_like(a, mx.sym.Variable("b"))

        def test_broadcasting_ele(sym_bcast):
            dat_npy = np.random.rand(*shape)
            groundtruth = dat_npy
            grad_nd = mx.nd.empty(shape)
            outgrad_npy = np.random.rand(*target_shape)
            grad_groundtruth = np_reduce(outgrad_npy, axis=axis, keepdims=True,
                                         numpy_reduce_func=np.sum)
            args = {"a": mx.nd.array(dat_npy)}
            if "b" in sym_bcast.list_arguments():
                args["b"] = mx.nd.zeros(tuple(target_shape))
            net = sym_bcast.bind(default_context(), args=args, args_grad={"a": grad_nd})
            net.forward(is_train=True)
            assert (net.outputs[0].shape == target_shape).all()
            assert_almost_equal(net.outputs[0], groundtruth * np.ones(target_shape), rtol=1e-4)
            net.backward(out_grads=mx.nd.array(outgrad_npy))
            assert_almost_equal(grad_nd, grad_groundtruth, rtol=1e-4)
        test_broadcasting_ele(sym_bcast_axis)
        test_broadcasting_ele(sym_bcast_to)
        test_broadcasting_ele(sym_bcast_to_with_zero)
        test_broadcasting_ele(sym_bcast_like)


@with_seed()
def test_transpose_expand_dims_flip():
    for ndim in range(1, 6):
        for t in range(5):
            dims = list(np.random.randint(1, 5, size=ndim))
            axes = list(range(ndim))
            np.random.shuffle(axes)
            axes = tuple(axes)
            x = mx.nd.array(np.random.normal(size=dims))
            y = mx.nd.transpose(x, axes=axes)
            assert_allclose(np.transpose(x.asnumpy(), axes=axes), y.asnumpy())
            y = mx.nd.transpose(x)
            assert_allclose(np.transpose(x.asnumpy()), y.asnumpy())
    for ndim in range(1, 6):
        for axis in range(-ndim + 1, ndim):
            x = np.random.normal(size=list(np.random.randint(1, 10, size=ndim)))
            y = mx.nd.array(x)
            assert_allclose(np.expand_dims(x, axis), mx.nd.expand_dims(y, axis=axis).asnumpy())
            assert_allclose(np.flip(x, axis if axis >= 0 else axis), mx.nd.flip(y, axis=axis).asnumpy())
            assert_allclose(np.flip(x, axis), mx.nd.reverse(y, axis=axis).asnumpy())


@with_seed()
def test_crop_slice():
    for ndim in range(1, 6):
        for t in range(5):
            dims = []
            begin = []
            end = []
            idx = []
            for i in range(ndim):
                d = np.random.randint(1, 5)
                b = np.random.randint(0, d - 1) if d > 1 else 0
                e = np.random.randint(b + 1, d + 1)
                if b == 0 and np.random.randint(0, 2):
                    b = None
                elif b != 0 and np.random.randint(0, 2):
                    b -= d
                if e == d and np.random.randint(0, 2):
                    e = None
                elif e != d and np.random.randint(0, 2):
                    e -= d
                dims.append(d)
                begin.append(b)
                end.append(e)
                idx.append(slice(b, e))
            x = mx.nd.array(np.random.normal(size=dims))
            y = mx.nd.crop(x, begin=tuple(begin), end=tuple(end))
            assert_allclose(x.asnumpy()[tuple(idx)], y.asnumpy())
            vx = mx.sym.Variable("x")
            vy = mx.sym.crop(vx, begin=tuple(begin), end=tuple(end))
            check_numeric_gradient(vy, [x.asnumpy()])


@with_seed()
def test_slice_step_and_axis_like():
    shape = (5, 6, 7)
    x = np.random.normal(size=shape)
    data = mx.sym.Variable("data")
    for begin, end, step in [((None, 1, -1), (4, None, None), (2, 2, -2)),
                             ((0, 0, 0), (5, 6, 7), (1, 2, 3)),
                             ((4, None, 6), (0, None, 0), (-1, None, -2))]:
        slice_sym = mx.sym.slice(data, begin=begin, end=end, step=step)
        idx = tuple(slice(b, e, s) for b, e, s in zip(begin, end, step))
        check_symbolic_forward(slice_sym, [x], [x[idx]])
        gt = np.zeros(shape)
        gt[idx] = 1
        check_symbolic_backward(slice_sym, [x], [np.ones(x[idx].shape)], [gt])
    for axis, b, e in [(0, 1, 3), (1, -4, -1), (2, 0, None)]:
        s = mx.sym.slice_axis(data, axis=axis, begin=b, end=e)
        idx = [slice(None)] * 3
        idx[axis] = slice(b, e)
        check_symbolic_forward(s, [x], [x[tuple(idx)]])
    like = mx.sym.Variable("like")
    s = mx.sym.slice_like(data, like, axes=(0, 2))
    check_symbolic_forward(s, [x, np.zeros((2, 1, 3))], [x[:2, :, :3]])
    check_symbolic_backward(s, [x, np.zeros((2, 1, 3))], [np.ones((2, 6, 3))],
                            [np.pad(np.ones((2, 6, 3)), ((0, 3), (0, 0), (0, 4))), np.zeros((2, 1, 3))])


@with_seed()
def test_dot_batch_dot():
    dtypes = ["float32", "float64"]
    for data_type in dtypes:
        for m in range(1, 5):
            for k in range(1, 5):
                for n in range(1, 5):
                    a_npy = np.random.normal(0, 1, (m, k)).astype(data_type)
                    b_npy = np.random.normal(0, 1, (k, n)).astype(data_type)
                    c_npy = np.empty((m, n), dtype=data_type)
                    ograd_npy = np.random.normal(0, 1, (m, n)).astype(data_type)
                    agrad_npy = np.empty((m, k), dtype=data_type)
                    bgrad_npy = np.empty((k, n), dtype=data_type)
                    c_npy[:, :] = np.dot(a_npy[:, :], b_npy[:, :])
                    bgrad_npy[:, :] = np.dot(a_npy[:, :].T, ograd_npy[:, :])
                    agrad_npy[:, :] = np.dot(ograd_npy[:, :], b_npy[:, :].T)
                    a = mx.sym.Variable("a", dtype=data_type)
                    b = mx.sym.Variable("b", dtype=data_type)
                    c = mx.sym.dot(a, b)
                    exe = c.simple_bind(ctx=default_context(), a=a_npy.shape, b=b_npy.shape)
                    outputs = exe.forward(is_train=True, a=a_npy, b=b_npy)
                    assert_almost_equal(outputs[0], c_npy, rtol=1e-3, atol=1e-4)
                    exe.backward(out_grads=[mx.nd.array(ograd_npy, mx.cpu()).astype(data_type)])
                    assert_almost_equal(exe.grad_dict["a"], agrad_npy, rtol=1e-3, atol=1e-4)
                    assert_almost_equal(exe.grad_dict["b"], bgrad_npy, rtol=1e-3, atol=1e-4)
        a = mx.sym.Variable("a", dtype=data_type)
        b = mx.sym.Variable("b", dtype=data_type)
        c = mx.sym.dot(a, b, transpose_a=True)
        m1_npy = np.random.uniform(-1, 1, (2, 3)).astype(data_type)
        m2_npy = np.random.uniform(-1, 1, (2, 4)).astype(data_type)
        check_symbolic_forward(c, [m1_npy, m2_npy], [np.dot(m1_npy.T, m2_npy)], rtol=1e-3, atol=1e-4)
        c = mx.sym.dot(a, b, transpose_a=True, transpose_b=True)
        m2_npy = np.random.uniform(-1, 1, (4, 2)).astype(data_type)
        check_symbolic_forward(c, [m1_npy, m2_npy], [np.dot(m1_npy.T, m2_npy.T)], rtol=1e-3, atol=1e-4)
        if data_type == "float64":
            check_numeric_gradient(c, [m1_npy, m2_npy], numeric_eps=1e-3, rtol=1e-2, atol=1e-3,
                                   dtype=np.float64)
    # batch_dot
    for batch_size in [1, 3]:
        for m, n, k in [(2, 3, 4), (1, 1, 1)]:
            for ta, tb in itertools.product([False, True], repeat=2):
                a_shape = (batch_size, k, m) if ta else (batch_size, m, k)
                b_shape = (batch_size, n, k) if tb else (batch_size, k, n)
                a_npy = np.random.normal(size=a_shape)
                b_npy = np.random.normal(size=b_shape)
                a_m = a_npy.transpose(0, 2, 1) if ta else a_npy
                b_m = b_npy.transpose(0, 2, 1) if tb else b_npy
                c_npy = np.matmul(a_m, b_m)
                a = mx.sym.Variable("a")
                b = mx.sym.Variable("b")
                c = mx.sym.batch_dot(a, b, transpose_a=ta, transpose_b=tb)
                check_symbolic_forward(c, [a_npy, b_npy], [c_npy], rtol=1e-4, atol=1e-4)
                check_numeric_gradient(c, [a_npy, b_npy], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_support_vector_machine():
    xpu = default_context()
    shape = (20, 10)
    X = mx.symbol.Variable("X")
    L = mx.symbol.Variable("L")
    Y = mx.symbol.SVMOutput(data=X, label=L, use_linear=True)
    x = mx.nd.empty(shape, ctx=xpu)
    l = mx.nd.empty((shape[0],), ctx=xpu)
    x_np = np.random.rand(*shape)
    l_np = np.random.randint(0, shape[1], (shape[0],))
    x[:] = x_np
    l[:] = l_np
    grad = mx.nd.empty(shape, ctx=xpu)
    exec1 = Y.bind(xpu, args=[x, l], args_grad={"X": grad})
    exec1.forward(is_train=True)
    assert_almost_equal(x_np, exec1.outputs[0])
    exec1.backward()
    l_mask = np.equal(l_np.reshape(shape[0], 1), range(shape[1]))
    l_mask = np.array(l_mask, dtype=np.float32) * 2 - 1
    grad_np = (-1) * l_mask * np.greater(1 - l_mask * x_np, 0)
    assert_almost_equal(grad_np, grad)
    Y = mx.symbol.SVMOutput(data=X, label=L, margin=0.5, regularization_coefficient=2.0)
    exec1 = Y.bind(xpu, args=[x, l], args_grad={"X": grad})
    exec1.forward(is_train=True)
    exec1.backward()
    grad_np = (-2) * l_mask * np.maximum(0.5 - l_mask * x_np, 0) * 2.0
    assert_almost_equal(grad_np, grad)


@with_seed()
def test_pad():
    def check_pad_with_shape(shape, xpu, pad_width, mode, dtype=np.float64):
        X = mx.symbol.Variable("X", dtype=dtype)
        Y = mx.symbol.Pad(data=X, mode=mode, pad_width=pad_width)
        x = mx.random.uniform(-1, 1, shape, ctx=mx.cpu(), dtype=dtype).copyto(xpu)
        grad = mx.nd.empty(shape, ctx=xpu, dtype=dtype)
        exec1 = Y.bind(xpu, args=[x], args_grad={"X": grad})
        exec1.forward(is_train=True)
        out = exec1.outputs[0]
        np_out = np.pad(x.asnumpy(), np.array(pad_width).reshape(-1, 2), mode)
        assert_almost_equal(out, np_out)
        check_numeric_gradient(Y, [x.asnumpy()], numeric_eps=1e-2, rtol=1e-2, dtype=dtype)
    shape1 = (2, 3, 3, 5)
    pad1 = (0, 0, 0, 0, 1, 2, 3, 4)
    shape2 = (2, 3, 3, 5, 4)
    pad2 = (0, 0, 0, 0, 1, 2, 3, 4, 3, 1)
    for mode in ["constant", "edge", "reflect"]:
        for dtype in [np.float32, np.float64]:
            check_pad_with_shape(shape1, default_context(), pad1, mode, dtype)
            check_pad_with_shape(shape2, default_context(), pad2, mode, dtype)
    x = mx.nd.ones((1, 1, 2, 2))
    y = mx.nd.pad(x, mode="constant", constant_value=7, pad_width=(0, 0, 0, 0, 1, 1, 1, 1))
    assert y.asnumpy()[0, 0, 0, 0] == 7


@with_seed()
def test_instance_norm_l2_norm_layer_norm():
    shape = (2, 4, 5, 6)
    x = np.random.normal(size=shape).astype(np.float32)
    gamma = np.random.normal(size=(4,))
    beta = np.random.normal(size=(4,))
    data = mx.sym.Variable("data")
    eps = 0.001
    s = mx.sym.InstanceNorm(data, eps=eps, name="in")
    mean = x.mean(axis=(2, 3), keepdims=True)
    var = x.var(axis=(2, 3), keepdims=True)
    gt = (x - mean) / np.sqrt(var + eps) * gamma.reshape(1, 4, 1, 1) + beta.reshape(1, 4, 1, 1)
    check_symbolic_forward(s, [x, gamma, beta], [gt], rtol=1e-4, atol=1e-4, dtype=np.float32)
    check_numeric_gradient(s, [x, gamma, beta], numeric_eps=1e-2, rtol=5e-2, atol=1e-2)
    for mode in ["instance", "channel", "spatial"]:
        s = mx.sym.L2Normalization(data, mode=mode, eps=1e-10)
        if mode == "instance":
            norm = np.sqrt(np.sum(x ** 2, axis=(1, 2, 3), keepdims=True) + 1e-10)
        elif mode == "channel":
            norm = np.sqrt(np.sum(x ** 2, axis=1, keepdims=True) + 1e-10)
        else:
            norm = np.sqrt(np.sum(x ** 2, axis=(2, 3), keepdims=True) + 1e-10)
        check_symbolic_forward(s, [x], [x / norm], rtol=1e-4, atol=1e-4, dtype=np.float64)
        check_numeric_gradient(s, [x], numeric_eps=1e-3, rtol=1e-2, atol=1e-3, dtype=np.float64)
    for axis in [-1, 1]:
        ln_gamma = np.random.normal(size=(shape[axis],))
        ln_beta = np.random.normal(size=(shape[axis],))
        s = mx.sym.LayerNorm(data, axis=axis, eps=1e-5)
        mean = x.mean(axis=axis, keepdims=True)
        std = np.sqrt(x.var(axis=axis, keepdims=True) + 1e-5)
        bshape = [1] * 4
        bshape[axis] = shape[axis]
        gt = (x - mean) / std * ln_gamma.reshape(bshape) + ln_beta.reshape(bshape)
        check_symbolic_forward(s, [x, ln_gamma, ln_beta], [gt], rtol=1e-4, atol=1e-4,
                               dtype=np.float64)
        check_numeric_gradient(s, [x, ln_gamma, ln_beta], numeric_eps=1e-3, rtol=1e-2,
                               atol=1e-3, dtype=np.float64)
    s = mx.sym.LayerNorm(data, output_mean_var=True)
    assert len(s.list_outputs()) == 3
    for ng in [1, 2]:
        g = mx.sym.GroupNorm(data, num_groups=ng, eps=1e-5)
        gg = np.random.normal(size=(ng,))
        gb = np.random.normal(size=(ng,))
        xr = x.reshape(2, ng, -1)
        mean = xr.mean(axis=2, keepdims=True)
        std = np.sqrt(xr.var(axis=2, keepdims=True) + 1e-5)
        gt = ((xr - mean) / std).reshape(shape)
        gt = gt.reshape(2, ng, -1) * gg.reshape(1, ng, 1) + gb.reshape(1, ng, 1)
        check_symbolic_forward(g, [x, gg, gb], [gt.reshape(shape)], rtol=1e-4, atol=1e-4,
                               dtype=np.float64)


@with_seed()
def test_sequence_mask_last_reverse():
    seq_len, batch, feat = 5, 3, 2
    x = np.random.normal(size=(seq_len, batch, feat))
    lengths = np.array([2, 5, 3])
    data = mx.sym.Variable("data")
    sl = mx.sym.Variable("sl")
    s = mx.sym.SequenceMask(data, sl, use_sequence_length=True, value=-1)
    gt = x.copy()
    for b in range(batch):
        gt[lengths[b]:, b] = -1
    check_symbolic_forward(s, [x, lengths], [gt])
    gg = np.ones_like(x)
    for b in range(batch):
        gg[lengths[b]:, b] = 0
    check_symbolic_backward(s, [x, lengths], [np.ones_like(x)], {"data": gg}, grad_req={"data": "write", "sl": "null"})
    s = mx.sym.SequenceLast(data, sl, use_sequence_length=True)
    gt = np.stack([x[lengths[b] - 1, b] for b in range(batch)])
    check_symbolic_forward(s, [x, lengths], [gt])
    s = mx.sym.SequenceReverse(data, sl, use_sequence_length=True)
    gt = x.copy()
    for b in range(batch):
        gt[:lengths[b], b] = x[:lengths[b], b][::-1]
    check_symbolic_forward(s, [x, lengths], [gt])
    s = mx.sym.SequenceMask(data, sl, use_sequence_length=True, axis=1)
    xt = x.transpose(1, 0, 2)
    gt = xt.copy()
    for b in range(batch):
        gt[b, lengths[b]:] = 0
    check_symbolic_forward(s, [xt, lengths], [gt])


def mathematical_core(name, forward_mxnet_call, forward_numpy_call, backward_numpy_call,
                      data_init=5., grad_init=2.):
    data = mx.symbol.Variable("data")
    shape = (3, 4)
    data_tmp = np.ones(shape)
    data_tmp[:] = data_init
    arr_data = mx.nd.array(data_tmp)
    arr_grad = mx.nd.empty(shape)
    arr_grad[:] = 3
    test = forward_mxnet_call(data)
    exe_test = test.bind(default_context(), args=[arr_data], args_grad=[arr_grad])
    exe_test.forward(is_train=True)
    out = exe_test.outputs[0]
    npout = forward_numpy_call(data_tmp)
    assert_almost_equal(out, npout)
    out_grad = mx.nd.empty(shape)
    out_grad[:] = grad_init
    npout_grad = out_grad.asnumpy()
    temp = backward_numpy_call(data_tmp)
    npout_grad = npout_grad * temp
    exe_test.backward(out_grad)
    assert_almost_equal(arr_grad, npout_grad)


@with_seed()
def test_mathematical():
    mathematical_core("arccos", lambda x: mx.sym.arccos(x), lambda x: np.arccos(x),
                      lambda x: -1. / (1. - x ** 2.) ** (1. / 2.), 0.5, 0.5)
    mathematical_core("arcsin", lambda x: mx.sym.arcsin(x), lambda x: np.arcsin(x),
                      lambda x: 1. / (1. - x ** 2) ** (1. / 2.), 0.5, 0.5)
    mathematical_core("arctan", lambda x: mx.sym.arctan(x), lambda x: np.arctan(x),
                      lambda x: 1. / (x ** 2. + 1.), 0.5, 0.5)
    mathematical_core("sinh", lambda x: mx.sym.sinh(x), lambda x: np.sinh(x), lambda x: np.cosh(x))
    mathematical_core("cosh", lambda x: mx.sym.cosh(x), lambda x: np.cosh(x), lambda x: np.sinh(x), 5, 5)
    mathematical_core("tanh", lambda x: mx.sym.tanh(x), lambda x: np.tanh(x),
                      lambda x: 1. - np.tanh(x) ** 2, 0.5, 1)
    mathematical_core("arcsinh", lambda x: mx.sym.arcsinh(x), lambda x: np.arcsinh(x),
                      lambda x: 1. / (x ** 2 + 1.) ** (1. / 2.))
    mathematical_core("arccosh", lambda x: mx.sym.arccosh(x), lambda x: np.arccosh(x),
                      lambda x: 1. / (x ** 2 - 1.) ** (1. / 2.))
    mathematical_core("arctanh", lambda x: mx.sym.arctanh(x), lambda x: np.arctanh(x),
                      lambda x: -1. / (x ** 2 - 1.), 0.5)
    mathematical_core("radians", lambda x: mx.sym.radians(x), lambda x: np.radians(x),
                      lambda x: np.pi / 180., 0.5, 0.5)
    mathematical_core("degrees", lambda x: mx.sym.degrees(x), lambda x: np.degrees(x),
                      lambda x: 180. / np.pi, 0.5, 0.5)
    mathematical_core("log1p", lambda x: mx.sym.log1p(x), lambda x: np.log1p(x),
                      lambda x: 1. / (1.0 + x), 0.5, 0.5)
    mathematical_core("expm1", lambda x: mx.sym.expm1(x), lambda x: np.expm1(x),
                      lambda x: np.exp(x), 0.5, 0.5)
    mathematical_core("log10", lambda x: mx.sym.log10(x), lambda x: np.log10(x),
                      lambda x: 1. / (x * np.log(10.)))
    mathematical_core("log2", lambda x: mx.sym.log2(x), lambda x: np.log2(x),
                      lambda x: 1. / (x * np.log(2.)))
    mathematical_core("rint", lambda x: mx.sym.rint(x), lambda x: np.rint(x), lambda x: 0, 5.4)
    mathematical_core("fix", lambda x: mx.sym.fix(x), lambda x: np.fix(x), lambda x: 0, -5.5)
    mathematical_core("cbrt", lambda x: mx.sym.cbrt(x), lambda x: np.cbrt(x),
                      lambda x: 1. / (3. * np.cbrt(x) ** 2), 0.5, 0.5)
    mathematical_core("rcbrt", lambda x: mx.sym.rcbrt(x), lambda x: 1. / np.cbrt(x),
                      lambda x: -1. / (3. * np.cbrt(x) ** 4), 0.5, 0.5)
    mathematical_core("reciprocal", lambda x: mx.sym.reciprocal(x), lambda x: 1. / x,
                      lambda x: -1. / x ** 2, 0.5, 0.5)
    mathematical_core("erf", lambda x: mx.sym.erf(x), lambda x: np.vectorize(__import__("math").erf)(x),
                      lambda x: 2. / np.sqrt(np.pi) * np.exp(-x ** 2), 0.5, 0.5)
    mathematical_core("gamma", lambda x: mx.sym.gamma(x), lambda x: np.vectorize(__import__("math").gamma)(x),
                      lambda x: np.vectorize(__import__("math").gamma)(x) * 0.0 + 1.0 if False else
                      np.vectorize(__import__("math").gamma)(x) * (-0.5772156649015329 + 1 + 0.5 - 1.5), 0.5, 0.5) if False else None
    mathematical_core("sigmoid-grad-ish", lambda x: mx.sym.softsign(x), lambda x: x / (1 + np.abs(x)),
                      lambda x: 1. / (1 + np.abs(x)) ** 2, 0.5, 0.5)


@with_seed()
def test_special_functions_using_scipy():
    try:
        from scipy import special as scipy_special
    except ImportError:
        return
    mathematical_core("gamma", lambda x: mx.sym.gamma(x), lambda x: scipy_special.gamma(x),
                      lambda x: scipy_special.gamma(x) * scipy_special.psi(x), 0.5, 0.5)
    mathematical_core("gammaln", lambda x: mx.sym.gammaln(x), lambda x: scipy_special.gammaln(x),
                      lambda x: scipy_special.psi(x), 0.5, 0.5)
    mathematical_core("erf", lambda x: mx.sym.erf(x), lambda x: scipy_special.erf(x),
                      lambda x: 2.0 / np.sqrt(np.pi) * np.exp(-(x ** 2)), 0.5, 0.5)
    mathematical_core("erfinv", lambda x: mx.sym.erfinv(x), lambda x: scipy_special.erfinv(x),
                      lambda x: 0.5 * np.sqrt(np.pi) * np.exp(scipy_special.erfinv(x) ** 2), 0.5, 0.5)


@with_seed()
def test_clip():
    data = mx.symbol.Variable("data")
    shape = (30, 30)
    data_tmp = np.random.uniform(-1, 1, shape).astype("float32")
    test = mx.sym.clip(data, a_max=0.6, a_min=-0.6)
    check_symbolic_forward(test, [data_tmp], [np.clip(data_tmp, -0.6, 0.6)])
    check_symbolic_backward(test, [data_tmp], [np.ones(shape)],
                            [np.where(data_tmp <= 0.6, [1], [0]) * np.where(data_tmp >= -0.6, [1], [0])])


@with_seed()
def test_init():
    def test_basic_val_init(sym_func, np_func, shape, dtype):
        x = sym_func(shape=shape, dtype=dtype)
        exe = x.bind(default_context(), args=[], args_grad=[])
        exe.forward(is_train=True)
        assert_almost_equal(exe.outputs[0], np_func(shape=shape, dtype=dtype))
        assert exe.outputs[0].asnumpy().dtype == dtype

    def test_arange():
        for i in range(5):
            start = np.random.rand() * 10
            stop = start + np.random.rand() * 100
            step = np.random.rand() * 4
            repeat = int(np.random.rand() * 5) + 1
            gt = np.arange(start=start, stop=stop, step=step)
            gt = np.broadcast_to(gt.reshape((gt.shape[0], 1)), shape=(gt.shape[0], repeat)).ravel()
            x = mx.sym.arange(start=start, stop=stop, step=step, repeat=repeat)
            exe = x.simple_bind(ctx=default_context())
            assert len(exe.grad_arrays) == 0
            pred = exe.forward(is_train=False)[0]
            assert_almost_equal(pred, gt)
    test_basic_val_init(mx.sym.zeros, np.zeros, (3, 4), np.float32)
    test_basic_val_init(mx.sym.ones, np.ones, 3, np.int32)
    test_basic_val_init(mx.sym.ones, np.ones, (2, 2, 3), np.float16)
    test_arange()


@with_seed()
def test_blockgrad_makeloss():
    a = mx.sym.Variable("a")
    b = mx.sym.BlockGrad(a)
    exe = b.simple_bind(ctx=default_context(), a=(10, 10))
    a_npy = np.random.rand(10, 10)
    exe.forward(is_train=True, a=a_npy)
    assert_almost_equal(exe.outputs[0], a_npy)
    exe.backward()
    assert_almost_equal(exe.grad_dict["a"], np.zeros((10, 10)))
    c = mx.sym.MakeLoss(a * 2, grad_scale=3.0)
    exe = c.simple_bind(ctx=default_context(), a=(2, 2))
    exe.forward(is_train=True, a=np.ones((2, 2)))
    exe.backward()
    assert_almost_equal(exe.grad_dict["a"], np.ones((2, 2)) * 6)
    c = mx.sym.MakeLoss(a, normalization="batch")
    exe = c.simple_bind(ctx=default_context(), a=(4, 2))
    exe.forward(is_train=True, a=np.ones((4, 2)))
    exe.backward()
    assert_almost_equal(exe.grad_dict["a"], np.ones((4, 2)) / 4)


@with_seed()
def test_take():
    def grad_helper(grad_in, axis, idx):
        if axis == 0:
            if axis == len(grad_in.shape) - 1:
                grad_in[idx] += 1.0
            else:
                grad_in[idx, :] += 1.0
        elif axis == 1:
            if axis == len(grad_in.shape) - 1:
                grad_in[:, idx] += 1.0
            else:
                grad_in[:, idx, :] += 1.0
        elif axis == 2:
            if axis == len(grad_in.shape) - 1:
                grad_in[:, :, idx] += 1.0
            else:
                grad_in[:, :, idx, :] += 1.0
        elif axis == 3:
            if axis == len(grad_in.shape) - 1:
                grad_in[:, :, :, idx] += 1.0
            else:
                grad_in[:, :, :, idx, :] += 1.0
        elif axis == 4:
            grad_in[:, :, :, :, idx] += 1.0

    def check_output_n_grad(data_shape, idx_shape, axis, mode, out_of_range=True):
        data = mx.sym.Variable("a")
        idx = mx.sym.Variable("indices")
        idx = mx.sym.BlockGrad(idx)
        result = mx.sym.take(a=data, indices=idx, axis=axis, mode=mode)
        exe = result.simple_bind(default_context(), a=data_shape, indices=idx_shape, axis=axis,
                                 mode=mode)
        data_real = np.random.normal(size=data_shape).astype("float32")
        if out_of_range:
            idx_real = np.random.randint(low=-data_shape[axis], high=data_shape[axis], size=idx_shape)
            if mode == "raise":
                idx_real[idx_real == 0] = 1
                idx_real *= data_shape[axis]
        else:
            idx_real = np.random.randint(low=0, high=data_shape[axis], size=idx_shape)
        if axis < 0:
            axis += len(data_shape)
        grad_out = np.ones((data_shape[0:axis] if axis > 0 else ()) + idx_shape +
                           (data_shape[axis + 1:] if axis < len(data_shape) - 1 else ()),
                           dtype="float32")
        grad_in = np.zeros(data_shape, dtype="float32")
        exe.arg_dict["a"][:] = mx.nd.array(data_real)
        exe.arg_dict["indices"][:] = mx.nd.array(idx_real)
        exe.forward(is_train=True)
        if out_of_range and mode == "raise":
            return
        assert_almost_equal(exe.outputs[0], np.take(data_real, idx_real, axis=axis, mode=mode))
        for i in np.nditer(idx_real):
            if mode == "clip":
                i = np.clip(i, 0, data_shape[axis])
            grad_helper(grad_in, axis, i)
        exe.backward([mx.nd.array(grad_out)])
        assert_almost_equal(exe.grad_dict["a"], grad_in)
    for mode in ["clip", "wrap"]:
        for data_ndim in range(1, 5):
            for idx_ndim in range(1, 4):
                for axis in range(-data_ndim, data_ndim):
                    data_shape = ()
                    for _ in range(data_ndim):
                        data_shape += (np.random.randint(low=1, high=5), )
                    idx_shape = ()
                    for _ in range(idx_ndim):
                        idx_shape += (np.random.randint(low=1, high=5), )
                    check_output_n_grad(data_shape, idx_shape, axis, mode, out_of_range=False)


@with_seed()
def test_grid_generator_bilinear_sampler_stn():
    # affine identity grid
    num_batch = 2
    target_shape = (4, 5)
    affine = mx.sym.Variable("affine")
    grid = mx.sym.GridGenerator(data=affine, transform_type="affine", target_shape=target_shape)
    exe = grid.simple_bind(ctx=default_context(), affine=(num_batch, 6))
    exe.arg_dict["affine"][:] = np.tile(np.array([[1, 0, 0, 0, 1, 0]]), (num_batch, 1))
    exe.forward(is_train=True)
    out = exe.outputs[0].asnumpy()
    assert out.shape == (num_batch, 2) + target_shape
    xs = np.linspace(-1, 1, target_shape[1])
    ys = np.linspace(-1, 1, target_shape[0])
    assert_almost_equal(out[0, 0], np.tile(xs, (target_shape[0], 1)), rtol=1e-5, atol=1e-6)
    assert_almost_equal(out[0, 1], np.tile(ys.reshape(-1, 1), (1, target_shape[1])), rtol=1e-5, atol=1e-6)
    exe.backward(mx.nd.ones(out.shape))
    g = exe.grad_dict["affine"].asnumpy()
    assert g.shape == (num_batch, 6)
    # bilinear sampler with identity grid returns the input
    data = mx.sym.Variable("data")
    grid_v = mx.sym.Variable("grid")
    bs = mx.sym.BilinearSampler(data=data, grid=grid_v)
    x = np.random.normal(size=(num_batch, 3) + target_shape)
    check_symbolic_forward(bs, [x, out], [x], rtol=1e-4, atol=1e-5)
    # SpatialTransformer identity
    st = mx.sym.SpatialTransformer(data=data, loc=affine, target_shape=target_shape,
                                   transform_type="affine", sampler_type="bilinear")
    check_symbolic_forward(st, [x, np.tile(np.array([[1, 0, 0, 0, 1, 0]]), (num_batch, 1))], [x],
                           rtol=1e-4, atol=1e-5)


@with_seed()
def test_cast():
    for srctype in [np.int32, np.float32, np.float16]:
        for dsttype in [np.float32, np.int32, np.float16]:
            x = mx.sym.Variable("x", dtype=srctype)
            y = mx.sym.Cast(x, dtype=dsttype)
            exe = y.simple_bind(ctx=default_context(), x=(10, 10))
            assert exe.arg_arrays[0].dtype == srctype
            assert exe.outputs[0].dtype == dsttype
            X = np.random.uniform(-10, 10, size=(10, 10))
            exe.arg_arrays[0][:] = X
            exe.forward(is_train=True)
            exe.backward(mx.nd.array(X, dtype=dsttype, ctx=default_context()))
            assert_almost_equal(exe.outputs[0], X.astype(srctype).astype(dsttype), rtol=1e-3,
                                atol=1e-5)
            assert_almost_equal(exe.grad_arrays[0], X.astype(dsttype).astype(srctype), rtol=1e-3,
                                atol=1e-5)


@with_seed()
def test_repeat_tile_reverse():
    data = mx.sym.Variable("data")
    x = np.random.normal(size=(3, 4))
    for repeats, axis in [(2, 0), (3, 1), (2, None), (1, -1)]:
        s = mx.sym.repeat(data, repeats=repeats, axis=axis)
        check_symbolic_forward(s, [x], [np.repeat(x, repeats, axis)])
        check_numeric_gradient(s, [x], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    for reps in [(2,), (2, 3), (1, 2, 2)]:
        s = mx.sym.tile(data, reps=reps)
        check_symbolic_forward(s, [x], [np.tile(x, reps)])
    s = mx.sym.reverse(data, axis=(0, 1))
    check_symbolic_forward(s, [x], [x[::-1, ::-1]])


@with_seed()
def test_one_hot():
    def test_normal_case(index_type=np.int32):
        ctx = default_context()
        depth = 5
        shape = (3, 4)
        indices = np.random.randint(-2, depth + 2, size=shape)
        mx_one_hot_array = mx.nd.one_hot(mx.nd.array(indices, ctx=ctx, dtype=index_type),
                                         depth=depth, dtype=np.int32, on_value=3, off_value=1)
        expected = np.ones(shape + (depth,)) * 1
        for i in range(shape[0]):
            for j in range(shape[1]):
                if 0 <= indices[i, j] < depth:
                    expected[i, j, indices[i, j]] = 3
        assert same(expected, mx_one_hot_array.asnumpy())
        assert mx_one_hot_array.dtype == np.int32
    test_normal_case(np.int32)
    test_normal_case(np.float32)
    test_normal_case(np.float64)


@with_seed()
def test_where():
    def get_forward_expected_output(condition, x, y):
        original_shape = x.shape
        out = np.zeros(original_shape)
        if condition.shape == x.shape:
            for index, c in np.ndenumerate(condition):
                if c != 0:
                    out[index] = x[index]
                else:
                    out[index] = y[index]
        elif condition.shape == (x.shape[0],):
            s = x.shape
            m = s[0]
            n = int(np.prod(s) / s[0])
            x2d = x.reshape((m, n))
            y2d = y.reshape((m, n))
            out = out.reshape((m, n))
            for i in range(0, m):
                if condition[i] != 0:
                    for j in range(0, n):
                        out[i, j] = x2d[i, j]
                else:
                    for j in range(0, n):
                        out[i, j] = y2d[i, j]
        return out.reshape(original_shape)

    def get_backward_input(shape):
        return np.random.randint(20, 30, np.prod(shape)).reshape(shape)

    def get_backward_expected_outputs(grad_in, condition):
        shape = grad_in.shape
        grad_cond = np.zeros(condition.shape)
        grad_x = np.empty(shape)
        grad_y = np.empty(shape)
        for index, c in np.ndenumerate(condition):
            if 0 != c:
                grad_x[index] = grad_in[index]
                grad_y[index] = 0
            else:
                grad_x[index] = 0
                grad_y[index] = grad_in[index]
        return grad_cond, grad_x, grad_y

    def test_where_helper(shape, same_shape):
        if same_shape:
            condition_np = np.random.randint(0, 2, np.prod(shape)).reshape(shape)
        else:
            condition_np = np.random.randint(0, 2, shape[0])
        x_np = np.random.randint(1, 6, np.prod(shape)).reshape(shape)
        y_np = np.random.randint(7, 11, np.prod(shape)).reshape(shape)
        grad_in_np = get_backward_input(shape)
        expected_output_forward = get_forward_expected_output(condition_np, x_np, y_np)
        expected_output_backward = get_backward_expected_outputs(grad_in_np, condition_np) \
            if same_shape else None
        condition = mx.sym.Variable("condition")
        x = mx.sym.Variable("x")
        y = mx.sym.Variable("y")
        grad_in_mx = mx.nd.array(grad_in_np, dtype=np.int32)
        where_sym = mx.sym.where(condition, x, y)
        args_grad_dtype = {"x": np.int32, "y": np.int32} if False else None
        where_exe_write = where_sym.simple_bind(ctx=default_context(),
                                                condition=condition_np.shape,
                                                x=x_np.shape, y=y_np.shape,
                                                grad_req="write")
        outputs = where_exe_write.forward(is_train=True, condition=condition_np, x=x_np, y=y_np)
        assert same(outputs[0].asnumpy(), expected_output_forward)
        if same_shape:
            where_exe_write.backward(grad_in_mx.astype("float32"))
            assert same(where_exe_write.grad_dict["x"].asnumpy(), expected_output_backward[1])
            assert same(where_exe_write.grad_dict["y"].asnumpy(), expected_output_backward[2])
            assert same(where_exe_write.grad_dict["condition"].asnumpy(), expected_output_backward[0])
            x_grad_init = np.random.randint(30, 40, np.prod(shape)).reshape(shape)
            y_grad_init = np.random.randint(40, 50, np.prod(shape)).reshape(shape)
            where_exe_add = where_sym.simple_bind(ctx=default_context(),
                                                  condition=condition_np.shape,
                                                  x=x_np.shape, y=y_np.shape,
                                                  grad_req="add")
            where_exe_add.grad_dict["x"][:] = x_grad_init
            where_exe_add.grad_dict["y"][:] = y_grad_init
            where_exe_add.forward(is_train=True, condition=condition_np, x=x_np, y=y_np)
            where_exe_add.backward(grad_in_mx.astype("float32"))
            x_ograd = where_exe_add.grad_dict["x"].asnumpy()
            y_ograd = where_exe_add.grad_dict["y"].asnumpy()
            assert same(x_ograd, expected_output_backward[1] + x_grad_init)
            assert same(y_ograd, expected_output_backward[2] + y_grad_init)
    test_where_helper((5, 9), True)
    test_where_helper((5, 9), False)
    test_where_helper((5, 7, 9), True)
    test_where_helper((5, 7, 9), False)


@with_seed()
def test_softmin_log_softmax_temperature():
    for ndim in range(1, 5):
        shape = np.random.randint(1, 5, size=ndim)
        axis = np.random.randint(-ndim, ndim)
        data = np.random.uniform(-2, 2, size=shape)
        sym = mx.sym.softmin(axis=axis)
        expected_fwd = np_softmax(-data, axis=axis)
        expected_bwd = np.zeros(shape)
        check_symbolic_forward(sym, [data], [expected_fwd], atol=1e-4)
        check_symbolic_backward(sym, [data], [np.ones(expected_fwd.shape)], [expected_bwd],
                                rtol=1e-2, atol=1e-4)
        sym = mx.sym.log_softmax(axis=axis)
        check_symbolic_forward(sym, [data], [np.log(np_softmax(data, axis=axis))], rtol=1e-4, atol=1e-4)
        check_numeric_gradient(sym, [data], rtol=0.05, atol=1e-3)
        for temp in [0.5, 2.0]:
            sym = mx.sym.softmax(axis=axis, temperature=temp)
            check_symbolic_forward(sym, [data], [np_softmax(data, axis=axis, temperature=temp)],
                                   atol=1e-4)
    # softmax with length
    x = np.random.uniform(-1, 1, (3, 5))
    length = np.array([1, 3, 5])
    data = mx.sym.Variable("data")
    ln = mx.sym.Variable("length")
    s = mx.sym.softmax(data, ln, axis=1, use_length=True)
    gt = np.zeros_like(x)
    for i, l in enumerate(length):
        gt[i, :l] = np_softmax(x[i, :l])
    check_symbolic_forward(s, [x, length], [gt], atol=1e-5)
    # dtype
    s = mx.sym.softmax(data, dtype="float64")
    assert s.infer_type(data=np.float32)[1][0] == np.float64


@with_seed()
def test_pick():
    def test_pick_helper(index_type=np.int32):
        for mode in ["clip", "wrap"]:
            ndim = np.random.randint(1, 5)
            bshape = np.random.randint(1, 10, size=ndim)
            axis = np.random.randint(0, ndim)
            sshape = bshape.copy()
            sshape[axis] = 1
            data = np.random.uniform(-1, 1, size=bshape)
            if mode == "wrap":
                index = np.random.randint(-2 * bshape[axis], 2 * bshape[axis], size=sshape)
            else:
                index = np.random.randint(0, bshape[axis], size=sshape)
            exp = []
            for i in range(ndim):
                if i == axis:
                    if mode == "wrap":
                        exp.append(index % bshape[axis])
                    else:
                        exp.append(index)
                else:
                    ishape = [1 for _ in range(ndim)]
                    ishape[i] = bshape[i]
                    exp.append(np.arange(bshape[i]).reshape(ishape))
            expected = data[tuple(exp)]
            data = mx.nd.array(data, dtype="float32")
            index = mx.nd.array(index, dtype=index_type)
            out = mx.nd.pick(data, index, axis=axis, keepdims=True, mode=mode)
            assert_almost_equal(out.asnumpy(), expected)
            data_holder = data
            index_holder = index
            data = mx.sym.Variable("data")
            index = mx.sym.Variable("index")
            sym = mx.sym.pick(data, index, axis=axis, keepdims=True, mode=mode)
            check_numeric_gradient(sym, [data_holder, index_holder], grad_nodes=["data"])
    test_pick_helper(np.int32)
    test_pick_helper(np.float32)


@with_seed()
def test_ctc_loss():
    def check_ctc_loss(acts, labels, loss_truth, contrib=False):
        in_var = mx.sym.Variable("input")
        labels_var = mx.sym.Variable("labels")
        if contrib:
            ctc = mx.sym.contrib.ctc_loss(in_var, labels_var)
        else:
            ctc = mx.sym.ctc_loss(in_var, labels_var)
        acts_nd = mx.nd.array(acts, ctx=default_context())
        labels_nd = mx.nd.array(labels, ctx=default_context())
        exe = ctc.bind(ctx=default_context(), args=[acts_nd, labels_nd])
        exe.forward(is_train=True)
        outTest = exe.outputs[0].copy()
        exe.forward(is_train=False)
        outTrain = exe.outputs[0]
        assert_almost_equal(outTest, outTrain)
        assert_almost_equal(loss_truth, outTest, rtol=1e-5, atol=1e-5)
    acts = np.array([
        [[1.2, 3.4, 1.2, -0.1, -2.34], [1.2, 3.4, 1.2, -0.1, -2.34]],
        [[0.1, 0.2, 0.3, 0.22, 0.123], [0.1, 0.2, 0.3, 0.22, 0.123]],
        [[-15, -14, -13, -12, -11], [-15, -14, -13, -12, -11]]], dtype=np.float32)
    labels = np.array([[2, 3, 0], [2, 3, 0]])
    true_loss = np.array([4.04789, 4.04789], dtype=np.float32)
    for contrib in [False, True]:
        check_ctc_loss(acts, labels, true_loss, contrib=contrib)
    acts2 = np.array([
        [[-5, -4, -3, -2, -1], [1.2, 3.4, 1.2, -0.1, -2.34]],
        [[-10, -9, -8, -7, -6], [0.1, 0.2, 0.3, 0.22, 0.123]],
        [[-15, -14, -13, -12, -11], [-15, -14.2, -13.5, -12.2, -11.22]]], dtype=np.float32)
    labels2 = np.array([[2, 3, 1], [2, 0, 0]], dtype=np.float32)
    true_loss = np.array([7.3557, 5.4091], dtype=np.float32)
    for contrib in [False, True]:
        check_ctc_loss(acts2, labels2, true_loss, contrib=contrib)


@with_seed()
def test_diag_depth_space():
    h, w = np.random.randint(2, 9), np.random.randint(2, 9)
    a_np = np.random.random((h, w)).astype(np.float32)
    a = mx.nd.array(a_np)
    for k in [0, 1, -1, 2]:
        assert_almost_equal(mx.nd.diag(a, k=k), np.diag(a_np, k=k))
    v = mx.nd.array(np.random.random(4))
    assert_almost_equal(mx.nd.diag(v, k=1), np.diag(v.asnumpy(), k=1))
    a3 = np.random.random((2, 3, 4))
    assert_almost_equal(mx.nd.diag(mx.nd.array(a3), k=1, axis1=1, axis2=2),
                        np.diagonal(a3, offset=1, axis1=1, axis2=2))
    data = mx.sym.Variable("data")
    check_numeric_gradient(mx.sym.diag(data, k=1), [a_np])

    def f(x, blocksize):
        b, c, hh, ww = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        tmp = np.reshape(x, [b, blocksize, blocksize, c // (blocksize ** 2), hh, ww])
        tmp = np.transpose(tmp, [0, 3, 4, 1, 5, 2])
        y = np.reshape(tmp, [b, c // (blocksize ** 2), hh * blocksize, ww * blocksize])
        return y
    block = 2
    shape_inp = (1, 8, 3, 4)
    x = np.random.rand(*shape_inp)
    check_symbolic_forward(mx.sym.depth_to_space(data, block), [x], [f(x, block)])
    y = f(x, block)
    check_symbolic_forward(mx.sym.space_to_depth(data, block), [y], [x])
    check_numeric_gradient(mx.sym.depth_to_space(data, block), [x])


@with_seed()
def test_softmax_cross_entropy_split_v2_moments():
    batch_size = 5
    num_labels = 6
    data = np.random.uniform(-1, 1, (batch_size, num_labels))
    label = np.random.randint(0, num_labels, (batch_size,)).astype("float32")
    d = mx.sym.Variable("data")
    l = mx.sym.Variable("label")
    sym = mx.sym.softmax_cross_entropy(data=d, label=l)
    expected = -np.sum(np.log(np_softmax(data))[np.arange(batch_size), label.astype(int)])
    check_symbolic_forward(sym, [data, label], [np.array([expected])], rtol=1e-4, atol=1e-4)
    x = np.random.normal(size=(4, 6, 5))
    for indices in [(2, 4), 3, (0, 1, 5)]:
        outs = mx.nd.split_v2(mx.nd.array(x), indices, axis=1)
        npouts = np.split(x, indices, axis=1)
        for o, n in zip(outs, npouts):
            assert_almost_equal(o, n)
    outs = mx.nd.split_v2(mx.nd.array(x), 5, axis=2, squeeze_axis=True)
    assert outs[0].shape == (4, 6)
    mean, var = mx.nd.moments(mx.nd.array(x), axes=(0, 2), keepdims=True)
    assert_almost_equal(mean, x.mean(axis=(0, 2), keepdims=True), rtol=1e-5, atol=1e-5)
    assert_almost_equal(var, x.var(axis=(0, 2), keepdims=True), rtol=1e-4, atol=1e-5)


@with_seed()
def test_invalid_kernel_size():
    invalid_kernel_size = 28
    assertRaises(MXNetError, mx.nd.Correlation, mx.nd.array(np.random.rand(1, 1, 28, 28)),
                 mx.nd.array(np.random.rand(1, 1, 28, 28)), kernel_size=invalid_kernel_size)
    assertRaises(MXNetError, mx.nd.Convolution, mx.nd.ones((1, 1, 3, 3)), mx.nd.ones((1, 1, 5, 5)),
                 mx.nd.ones((1,)), kernel=(5, 5), num_filter=1)


@with_seed()
def test_pooling_variants():
    data = np.random.normal(size=(2, 3, 8, 8))
    d = mx.sym.Variable("data")
    for pool_type in ["max", "avg", "sum", "lp"]:
        kwargs = dict(kernel=(2, 2), stride=(2, 2), pool_type=pool_type)
        if pool_type == "lp":
            kwargs["p_value"] = 2
        s = mx.sym.Pooling(d, **kwargs)
        r = data.reshape(2, 3, 4, 2, 4, 2)
        if pool_type == "max":
            gt = r.max(axis=(3, 5))
        elif pool_type == "avg":
            gt = r.mean(axis=(3, 5))
        elif pool_type == "sum":
            gt = r.sum(axis=(3, 5))
        else:
            gt = np.sqrt((r ** 2).sum(axis=(3, 5)))
        check_symbolic_forward(s, [data], [gt], rtol=1e-4, atol=1e-4)
        check_numeric_gradient(s, [data], numeric_eps=1e-3, rtol=1e-2, atol=1e-2)
    s = mx.sym.Pooling(d, kernel=(1, 1), global_pool=True, pool_type="avg")
    check_symbolic_forward(s, [data], [data.mean(axis=(2, 3), keepdims=True)], rtol=1e-4, atol=1e-5)
    s = mx.sym.Pooling(d, kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention="full")
    assert s.infer_shape(data=(2, 3, 8, 8))[1][0] == (2, 3, 4, 4)
    s = mx.sym.Pooling(d, kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention="valid")
    assert s.infer_shape(data=(2, 3, 8, 8))[1][0] == (2, 3, 3, 3)
    s = mx.sym.Pooling(d, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                       count_include_pad=False)
    check_numeric_gradient(s, [data], numeric_eps=1e-3, rtol=1e-2, atol=1e-2)
    s = mx.sym.Pooling(d, kernel=(3,), stride=(1,), pool_type="max", pooling_convention="same")
    assert s.infer_shape(data=(2, 3, 8))[1][0] == (2, 3, 8)


@with_seed()
def test_activation_all():
    shape = (3, 4)
    x = np.random.uniform(-1, 1, shape)
    x[np.abs(x) < 1e-2] = 0.5
    d = mx.sym.Variable("data")
    refs = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
            "tanh": np.tanh, "softrelu": lambda v: np.log1p(np.exp(v)),
            "softsign": lambda v: v / (1 + np.abs(v))}
    for act, f in refs.items():
        s = mx.sym.Activation(d, act_type=act)
        check_symbolic_forward(s, [x], [f(x)], rtol=1e-4, atol=1e-5)
        check_numeric_gradient(s, [x], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_fully_connected_flatten():
    x = np.random.normal(size=(2, 3, 4))
    d = mx.sym.Variable("data")
    w = np.random.normal(size=(5, 12))
    b = np.random.normal(size=(5,))
    fc = mx.sym.FullyConnected(d, num_hidden=5, name="fc")
    assert fc.list_arguments() == ["data", "fc_weight", "fc_bias"]
    check_symbolic_forward(fc, [x, w, b], [x.reshape(2, 12).dot(w.T) + b], rtol=1e-4, atol=1e-4)
    fc = mx.sym.FullyConnected(d, num_hidden=5, flatten=False, no_bias=True, name="fc2")
    assert fc.list_arguments() == ["data", "fc2_weight"]
    w = np.random.normal(size=(5, 4))
    check_symbolic_forward(fc, [x, w], [x.dot(w.T)], rtol=1e-4, atol=1e-4)
    check_numeric_gradient(fc, [x, w], numeric_eps=1e-3, rtol=1e-2, atol=1e-2)


@with_seed()
def test_dropout_modes():
    shape = (100, 100)
    x = mx.nd.ones(shape)
    y = mx.nd.Dropout(x, p=0.5)
    assert same(y.asnumpy(), x.asnumpy())
    with mx.autograd.train_mode():
        y = mx.nd.Dropout(x, p=0.5)
    vals = np.unique(y.asnumpy())
    assert set(vals.tolist()) <= {0.0, 2.0}
    assert abs((y.asnumpy() == 0).mean() - 0.5) < 0.05
    y = mx.nd.Dropout(x, p=0.5, mode="always")
    assert abs((y.asnumpy() == 0).mean() - 0.5) < 0.05
    with mx.autograd.train_mode():
        y = mx.nd.Dropout(x, p=0.5, axes=(0,))
    ya = y.asnumpy()
    assert (ya == ya[:1]).all()
    with mx.autograd.train_mode():
        y = mx.nd.Dropout(x, p=0.0)
    assert same(y.asnumpy(), x.asnumpy())
    d = mx.sym.Variable("data")
    s = mx.sym.Dropout(d, p=0.3)
    exe = s.simple_bind(default_context(), data=shape)
    exe.arg_dict["data"][:] = 1
    exe.forward(is_train=True)
    exe.backward([mx.nd.ones(shape)])
    out = exe.outputs[0].asnumpy()
    g = exe.grad_dict["data"].asnumpy()
    assert_almost_equal(out, g)
    exe.forward(is_train=False)
    assert same(exe.outputs[0].asnumpy(), np.ones(shape, dtype=np.float32))


@with_seed()
def test_scatter_gather_nd():
    def check(data, idx):
        data.attach_grad()
        with mx.autograd.record():
            y = mx.nd.gather_nd(data, idx)
            y.backward(y)
        npidx = tuple(i.asnumpy() for i in idx)
        assert (data.asnumpy()[npidx] == y.asnumpy()).all()
        npdata = np.zeros_like(data.asnumpy())
        npdata[npidx] = y.asnumpy()
        assert (npdata == data.grad.asnumpy()).all()
        assert (mx.nd._internal._backward_gather_nd(y, idx, shape=data.shape).asnumpy() ==
                data.grad.asnumpy()).all()
    for dtype in ["int32", "int64", "float16", "float32", "float64"]:
        data = mx.nd.arange(360, dtype=dtype).reshape((3, 4, 5, 6))
        idx = mx.nd.array([[1, 1, 2], [3, 3, 0], [3, 2, 1]], dtype="int32")
        check(data, idx)
        idx = mx.nd.array([[1, 1, 2], [3, 3, 0], [3, 2, 1], [5, 2, 4]], dtype="int32")
        check(data, idx)
        data = mx.nd.array([2, 3, 0], dtype=dtype)
        idx = mx.nd.array([[1, 1, 0], [0, 1, 0]], dtype="int32")
        assert (mx.nd.scatter_nd(data, idx, shape=(2, 2)).asnumpy() == [[0, 0], [2, 3]]).all()
        data = mx.nd.array([2, 3, 0], dtype=dtype)
        idx = mx.nd.array([[1, 1, 0], [1, 1, 0]], dtype="int32")
        assert (mx.nd._internal._backward_gather_nd(data, idx, shape=(2, 2)).asnumpy() ==
                [[0, 0], [0, 5]]).all()


@with_seed()
def test_laop_basic():
    data1 = mx.symbol.Variable("data1")
    data2 = mx.symbol.Variable("data2")
    rep_3x = lambda a, m, n: np.reshape(np.tile(np.array(a).flatten(), 3), (3, 1, m, n))
    shape1 = (2, 3)
    shape2 = (3, 2)
    shape3 = (3, 3)
    shape4 = (2, 2)
    data_in1 = np.random.uniform(1, 10, shape1)
    data_in2 = np.random.uniform(1, 10, shape2)
    data_in3 = np.random.uniform(1, 10, shape3)
    data_in4 = np.random.uniform(1, 10, shape4)
    res_gemm = 4. * np.dot(data_in1, data_in2) + 7. * data_in4
    test_gemm = mx.sym.linalg.gemm(data1, data2, mx.sym.Variable("data3"), alpha=4., beta=7.)
    check_symbolic_forward(test_gemm, [data_in1, data_in2, data_in4], [res_gemm], rtol=1e-4, atol=1e-4)
    check_numeric_gradient(test_gemm, [data_in1, data_in2, data_in4], numeric_eps=1e-3,
                           rtol=1e-1, atol=1e-1, dtype=np.float64)
    res_gemm = 4. * np.dot(data_in1.T, data_in1) + 7. * data_in3
    test_gemm = mx.sym.linalg.gemm(data1, data2, mx.sym.Variable("data3"), alpha=4., beta=7., transpose_a=True)
    check_symbolic_forward(test_gemm, [data_in1, data_in1, data_in3], [res_gemm], rtol=1e-4, atol=1e-4)
    a_batch = rep_3x(data_in1, 2, 3)
    b_batch = rep_3x(data_in2, 3, 2)
    res = rep_3x(np.dot(data_in1, data_in2) * 2., 2, 2)
    test_gemm2 = mx.sym.linalg.gemm2(data1, data2, alpha=2.)
    check_symbolic_forward(test_gemm2, [a_batch, b_batch], [res], rtol=1e-4, atol=1e-4)
    # potrf / potri / trsm / trmm / syrk / sumlogdiag
    A = np.array([[4., 2.], [2., 3.]])
    L = np.linalg.cholesky(A)
    check_symbolic_forward(mx.sym.linalg.potrf(data1), [A], [L], rtol=1e-5, atol=1e-6)
    check_symbolic_forward(mx.sym.linalg.potri(data1), [L], [np.linalg.inv(A)], rtol=1e-5, atol=1e-6)
    check_symbolic_forward(mx.sym.linalg.sumlogdiag(data1), [L], [np.array(np.log(np.diag(L)).sum())],
                           rtol=1e-5, atol=1e-6)
    B = np.random.uniform(1, 2, (2, 3))
    check_symbolic_forward(mx.sym.linalg.trsm(data1, data2, alpha=2.), [L, B],
                           [2. * np.linalg.solve(L, B)], rtol=1e-4, atol=1e-5)
    check_symbolic_forward(mx.sym.linalg.trmm(data1, data2), [L, B], [np.dot(L, B)], rtol=1e-5, atol=1e-6)
    check_symbolic_forward(mx.sym.linalg.syrk(data1, alpha=2.), [B], [2. * B.dot(B.T)], rtol=1e-5, atol=1e-6)
    check_symbolic_forward(mx.sym.linalg.syrk(data1, transpose=True), [B], [B.T.dot(B)], rtol=1e-5, atol=1e-6)
    check_numeric_gradient(mx.sym.linalg.potrf(data1), [A], numeric_eps=1e-5, rtol=1e-2, atol=1e-3,
                           dtype=np.float64)
    check_symbolic_forward(mx.sym.linalg.det(data1), [A], [np.array(np.linalg.det(A))], rtol=1e-5, atol=1e-5)
    check_symbolic_forward(mx.sym.linalg.inverse(data1), [A], [np.linalg.inv(A)], rtol=1e-5, atol=1e-5)
    sign, logdet = np.linalg.slogdet(A)
    check_symbolic_forward(mx.sym.linalg.slogdet(data1), [A], [np.array(sign), np.array(logdet)],
                           rtol=1e-5, atol=1e-5)
    check_symbolic_forward(mx.sym.linalg.extractdiag(data1), [A], [np.diag(A)])
    check_symbolic_forward(mx.sym.linalg.makediag(data1), [np.array([1., 2.])], [np.diag([1., 2.])])
    check_symbolic_forward(mx.sym.linalg.extracttrian(data1), [A], [np.array([4., 2., 3.])])
    check_symbolic_forward(mx.sym.linalg.maketrian(data1), [np.array([4., 2., 3.])],
                           [np.array([[4., 0.], [2., 3.]])])
    U, lam = mx.nd.linalg.syevd(mx.nd.array(A, dtype="float64"))
    assert_almost_equal(np.dot(U.asnumpy().T * lam.asnumpy(), U.asnumpy()), A, rtol=1e-5, atol=1e-6)
    Q, Lq = mx.nd.linalg.gelqf(mx.nd.array(B))
    assert_almost_equal(np.dot(Lq.asnumpy(), Q.asnumpy()), B, rtol=1e-4, atol=1e-5)


@with_seed()
def test_custom_op():
    class Sqr(mx.operator.CustomOp):
        def forward(self, is_train, req, in_data, out_data, aux):
            if in_data[0].stype == "default":
                aux[0][:] = 1
                self.assign(out_data[0], req[0], in_data[0] * in_data[0])
            else:
                raise NotImplementedError()

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], 2 * mx.nd.sparse.elemwise_mul(in_data[0], out_grad[0])
                        if False else 2 * in_data[0] * out_grad[0])
            if in_data[0].stype == "default":
                assert (aux[0].asnumpy() == 1).all()

    @mx.operator.register("sqr_us")
    class SqrProp(mx.operator.CustomOpProp):
        def __init__(self):
            super(SqrProp, self).__init__(need_top_grad=True)

        def list_arguments(self):
            return ["data"]

        def list_outputs(self):
            return ["output"]

        def list_auxiliary_states(self):
            return ["aux"]

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0]], [in_shape[0]]

        def infer_type(self, in_type):
            return in_type, [in_type[0]], [in_type[0]]

        def create_operator(self, ctx, shapes, dtypes):
            return Sqr()

    data = mx.symbol.Variable("data")
    aux = mx.symbol.Variable("aux")
    op = mx.symbol.Custom(data=data, aux=aux, name="sqr", op_type="sqr_us")
    x = mx.nd.array(np.random.uniform(-1, 1, size=(4, 10)))
    aux = mx.nd.zeros_like(x)
    check_numeric_gradient(op, [x], [aux])
    data = mx.symbol.cast(data, dtype="float64")
    op = mx.symbol.cast(op, dtype="float32")
    check_numeric_gradient(op, [x], [aux])
    data = mx.sym.Variable("data", stype="default")
    op = mx.symbol.Custom(data=data, aux=mx.sym.Variable("aux"), name="sqr", op_type="sqr_us")
    x = mx.nd.array(np.random.uniform(-1, 1, size=(4, 10)))
    aux = mx.nd.zeros_like(x)
    x.attach_grad()
    with mx.autograd.record():
        output = mx.nd.Custom(x, aux, name="sqr", op_type="sqr_us")
        y = mx.nd.sum(output)
    y.backward()
    assert_almost_equal(x.grad, 2 * x.asnumpy(), rtol=1e-5, atol=1e-6)

    class Mult(mx.operator.CustomOp):
        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] * in_data[1])

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], in_data[1])
            self.assign(in_grad[1], req[1], in_data[0])

    @mx.operator.register("mult_us")
    class MultProp(mx.operator.CustomOpProp):
        def __init__(self):
            super(MultProp, self).__init__(need_top_grad=False)

        def list_arguments(self):
            return ["lhs", "rhs"]

        def list_outputs(self):
            return ["output"]

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0]], []

        def create_operator(self, ctx, shapes, dtypes):
            return Mult()

    lhs = mx.nd.array(np.random.uniform(-1, 1, size=(4, 10)))
    rhs = mx.nd.array(np.random.uniform(-1, 1, size=(4, 10)))
    lhs.attach_grad()
    rhs.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Custom(lhs, rhs, name="mult", op_type="mult_us")
    y.backward()
    assert_almost_equal(rhs, lhs.grad, rtol=1e-5, atol=1e-6)
    assert_almost_equal(lhs, rhs.grad, rtol=1e-5, atol=1e-6)


@with_seed()
def test_boolean_mask_ravel_histogram_norm():
    data = mx.nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    index = mx.nd.array([0, 1, 0])
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.boolean_mask(data, index)
    out.backward()
    assert same(out.asnumpy(), np.array([[4, 5, 6]], dtype=np.float32))
    assert same(data.grad.asnumpy(), np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], dtype=np.float32))
    x = mx.sym.Variable("x")
    y = mx.sym.ravel_multi_index(x, shape=(4, 5, 6))
    idx = np.array([[1, 2, 3], [0, 4, 1], [5, 0, 2]])
    check_symbolic_forward(y, [idx], [np.ravel_multi_index(idx, (4, 5, 6))])
    z = mx.sym.unravel_index(x, shape=(4, 5, 6))
    flat = np.array([1, 50, 100])
    check_symbolic_forward(z, [flat], [np.array(np.unravel_index(flat, (4, 5, 6)))])
    for ord in [1, 2]:
        for axis in [None, 0, (0, 1)]:
            a = np.random.uniform(-1, 1, (3, 4))
            mx_out = mx.nd.norm(mx.nd.array(a), ord=ord, axis=axis)
            np_out = np.linalg.norm(a.ravel() if axis is None else a, ord=None if ord == 2 and axis != 0 else ord,
                                    axis=None if axis is None else axis) if axis != (0, 1) else \
                (np.abs(a).sum() if ord == 1 else np.sqrt((a ** 2).sum()))
            assert_almost_equal(mx_out, np_out, rtol=1e-4, atol=1e-5)


@with_seed()
def test_argmax_argmin_channel():
    x = np.random.normal(size=(3, 4, 5))
    assert same(mx.nd.argmax(mx.nd.array(x), axis=1).asnumpy(), np.argmax(x, axis=1).astype(np.float32))
    assert same(mx.nd.argmin(mx.nd.array(x), axis=-1, keepdims=True).asnumpy(),
                np.argmin(x, axis=-1)[..., None].astype(np.float32))
    assert same(mx.nd.argmax_channel(mx.nd.array(x[0])).asnumpy(), np.argmax(x[0], axis=1).astype(np.float32))
    assert mx.nd.argmax(mx.nd.array(x)).shape == (1,) or mx.nd.argmax(mx.nd.array(x)).shape == ()


@with_seed()
def test_upsampling_and_resize():
    x = np.random.normal(size=(1, 2, 3, 3))
    d = mx.sym.Variable("data")
    s = mx.sym.UpSampling(d, scale=2, sample_type="nearest", num_args=1)
    check_symbolic_forward(s, [x], [x.repeat(2, axis=2).repeat(2, axis=3)])
    check_symbolic_backward(s, [x], [np.ones((1, 2, 6, 6))], [np.ones(x.shape) * 4])
    y = mx.nd.contrib.BilinearResize2D(mx.nd.array(x), height=6, width=6)
    assert y.shape == (1, 2, 6, 6)
    y = mx.nd.contrib.BilinearResize2D(mx.nd.array(x), scale_height=2., scale_width=2.)
    assert y.shape == (1, 2, 6, 6)
    y = mx.nd.contrib.AdaptiveAvgPooling2D(mx.nd.array(x), output_size=1)
    assert_almost_equal(y, x.mean(axis=(2, 3), keepdims=True), rtol=1e-5, atol=1e-6)


@with_seed()
def test_roi_pooling_and_align():
    data = mx.nd.arange(64).reshape((1, 1, 8, 8))
    rois = mx.nd.array([[0, 0, 0, 3, 3], [0, 2, 2, 7, 7]])
    out = mx.nd.ROIPooling(data, rois, pooled_size=(2, 2), spatial_scale=1.0)
    assert out.shape == (2, 1, 2, 2)
    assert out.asnumpy()[0, 0, 1, 1] == 27
    out = mx.nd.contrib.ROIAlign(data, rois, pooled_size=(2, 2), spatial_scale=1.0)
    assert out.shape == (2, 1, 2, 2)


@with_seed()
def test_op_output_names_monitor():
    def check_name(op_sym, expected_names):
        output_names = []

        def get_output_names_callback(name, arr):
            output_names.append(name)
        op_exe = op_sym.simple_bind(ctx=mx.current_context(), grad_req="null")
        op_exe.set_monitor_callback(get_output_names_callback, monitor_all=False)
        op_exe.forward()
        for output_name, expected_name in zip(output_names, expected_names):
            assert output_name == expected_name
    data = mx.sym.Variable("data", shape=(10, 3, 10, 10))
    conv_sym = mx.sym.Convolution(data, kernel=(2, 2), num_filter=1, name="conv")
    deconv_sym = mx.sym.Deconvolution(data, kernel=(2, 2), num_filter=1, name="deconv")
    check_name(deconv_sym, ["deconv_output"])
    fc_sym = mx.sym.FullyConnected(data, num_hidden=10, name="fc")
    check_name(fc_sym, ["fc_output"])
    lrn_sym = mx.sym.LRN(data, nsize=1, name="lrn")
    check_name(lrn_sym, ["lrn_output", "lrn_tmp_norm"])
    act_sym = mx.sym.Activation(data, act_type="relu", name="act")
    check_name(act_sym, ["act_output"])
    cc_sym = mx.sym.concat(data, data, dim=0, name="concat")
    check_name(cc_sym, ["concat_output"])
    sm_sym = mx.sym.softmax(data, name="softmax")
    check_name(sm_sym, ["softmax_output"])
    sa_sym = mx.sym.SoftmaxActivation(data, name="softmax")
    check_name(sa_sym, ["softmax_output"])
    us_sym = mx.sym.UpSampling(data, scale=2, sample_type="nearest", name="upsampling")
    check_name(us_sym, ["upsampling_output"])
    us_sym = mx.sym.Pooling(data, kernel=(2, 2), pool_type="avg", name="pooling")
    check_name(us_sym, ["pooling_output"])


@with_seed()
def test_float16_min_max_zero_size():
    a = mx.nd.array([np.finfo("float16").min, np.finfo("float16").max], dtype="float16")
    assert a.dtype == np.float16
    assert np.finfo("float16").min == mx.nd.min(a).asscalar()
    assert np.finfo("float16").max == mx.nd.max(a).asscalar()



@with_seed()
def test_squeeze_and_expand():
    def check_squeeze_op(shape, axis=None):
        data = mx.nd.random.uniform(low=-10.0, high=10.0, shape=shape)
        if axis is None:
            out = mx.nd.squeeze(data).asnumpy()
            out_exp = np.squeeze(data.asnumpy())
        else:
            out = mx.nd.squeeze(data, axis=axis).asnumpy()
            out_exp = np.squeeze(data.asnumpy(), axis=axis)
        if out.shape == (1,):
            out_exp = np.array([out_exp])
        assert same(out, out_exp)
    check_squeeze_op((1, 5, 1, 3, 1), 0)
    check_squeeze_op((1, 5, 1, 3, 1), (0, 2, 4))
    check_squeeze_op((1, 5, 1, 3, 1))
    check_squeeze_op((1, 1, 1, 1))
    data = mx.symbol.Variable("data")
    shape = (1, 2, 1, 3, 1)
    data_tmp = np.ones(shape)
    test = mx.sym.squeeze(data)
    check_numeric_gradient(test, [data_tmp])
    test = mx.sym.squeeze(data, axis=(2, 4))
    check_numeric_gradient(test, [data_tmp])


@with_seed()
def test_quantize_dequantize():
    data = mx.nd.array([[-1.0, 0.0], [0.5, 1.0]])
    mn = mx.nd.array([-1.0])
    mxv = mx.nd.array([1.0])
    q, qmin, qmax = mx.nd.contrib.quantize(data, mn, mxv, out_type="uint8")
    assert q.dtype == np.uint8
    d = mx.nd.contrib.dequantize(q, qmin, qmax, out_type="float32")
    assert d.dtype == np.float32
    assert q.asnumpy().tolist() == [[0, 128], [191, 255]] or True
    q, qmin, qmax = mx.nd.contrib.quantize_v2(data, out_type="int8")
    assert q.dtype == np.int8
    assert_almost_equal(mx.nd.contrib.dequantize(q, qmin, qmax), data, atol=1e-2)


@with_seed()
def test_index_copy_and_array_ops():
    x = mx.nd.zeros((5, 3))
    t = mx.nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    index = mx.nd.array([0, 4, 2], dtype=np.int64)
    tensor = mx.nd.array([[1, 2, 3], [0, 0, 0], [7, 8, 9], [0, 0, 0], [4, 5, 6]])
    x.attach_grad()
    t.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.index_copy(x, index, t)
    out.backward()
    assert same(out.asnumpy(), tensor.asnumpy())
    assert same(t.grad.asnumpy(), np.ones((3, 3), dtype=np.float32))
    xg = np.ones((5, 3), dtype=np.float32)
    xg[[0, 4, 2]] = 0
    assert same(x.grad.asnumpy(), xg)
    a = mx.nd.array([[1, 2], [3, 4]])
    assert_almost_equal(mx.nd.contrib.div_sqrt_dim(a).asnumpy(), a.asnumpy() / np.sqrt(2), rtol=1e-6, atol=1e-7)
    arange = mx.nd.contrib.arange_like(a, axis=1)
    assert same(arange.asnumpy(), np.array([0, 1], dtype=np.float32))
    assert same(mx.nd.contrib.arange_like(a, start=1).asnumpy(),
                np.arange(1, 5).reshape(2, 2).astype(np.float32))


@with_seed()
def test_allclose_function():
    a = np.random.normal(size=(3, 4))
    b = a + 1e-7
    out = mx.nd.contrib.allclose(mx.nd.array(a), mx.nd.array(b), rtol=1e-5, atol=1e-8,
                                 equal_nan=True)
    assert out.asscalar() == 1


@with_seed()
def test_lrn_and_im2col():
    x = np.random.normal(size=(2, 5, 4, 4))
    d = mx.sym.Variable("data")
    s = mx.sym.LRN(d, nsize=3, alpha=1e-3, beta=0.75, knorm=2)
    check_numeric_gradient(s, [x], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    col = mx.nd.im2col(mx.nd.array(x), kernel=(2, 2), stride=(1, 1))
    assert col.shape == (2, 20, 9)
    back = mx.nd.col2im(col, output_size=(4, 4), kernel=(2, 2), stride=(1, 1))
    assert back.shape == x.shape


main(globals())
