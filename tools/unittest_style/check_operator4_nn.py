"""Round-4 operator checks (pooling, convolution, normalisation, softmax family), in the style of
MXNet 1.9.1's test_operator.py. Own code; numpy references written here.

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator4_nn``.
"""
import itertools

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


# ---------------------------------------------------------------- numpy references
def np_pool(x, kernel, stride, pad, pool_type, convention="valid", count_include_pad=True, p=2):
    nd_ = len(kernel)
    spatial = x.shape[2:]
    out_sz = []
    for i in range(nd_):
        span = spatial[i] + 2 * pad[i] - kernel[i]
        if convention == "full":
            o = int(np.ceil(span / stride[i])) + 1
        elif convention == "same":
            o = int(np.ceil(spatial[i] / stride[i]))
        else:
            o = span // stride[i] + 1
        out_sz.append(o)
    out = np.zeros(x.shape[:2] + tuple(out_sz), dtype=np.float64)
    for idx in itertools.product(*[range(o) for o in out_sz]):
        lo = [idx[i] * stride[i] - pad[i] for i in range(nd_)]
        hi = [min(lo[i] + kernel[i], spatial[i] + pad[i]) for i in range(nd_)]
        lo_c = [max(v, 0) for v in lo]
        hi_c = [min(hi[i], spatial[i]) for i in range(nd_)]
        win = x[(slice(None), slice(None)) + tuple(slice(lo_c[i], hi_c[i]) for i in range(nd_))]
        win = win.reshape(x.shape[:2] + (-1,)).astype(np.float64)
        sel = (slice(None), slice(None)) + idx
        if pool_type == "max":
            out[sel] = win.max(-1)
        elif pool_type == "sum":
            out[sel] = win.sum(-1)
        elif pool_type == "lp":
            # MXNet's lp pooling takes signed powers: (sum x**p) ** (1/p)
            tot = (win ** p).sum(-1)
            out[sel] = np.cbrt(tot) if p == 3 else tot ** (1.0 / p)
        else:
            if count_include_pad:
                cnt = np.prod([hi[i] - lo[i] for i in range(nd_)])
            else:
                cnt = np.prod([hi_c[i] - lo_c[i] for i in range(nd_)])
            out[sel] = win.sum(-1) / cnt
    return out


def np_conv(x, w, b, stride, pad, dilate, groups):
    n, c, *sp = x.shape
    f, cg, *k = w.shape
    nd_ = len(k)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    ek = [dilate[i] * (k[i] - 1) + 1 for i in range(nd_)]
    out_sz = [(xp.shape[2 + i] - ek[i]) // stride[i] + 1 for i in range(nd_)]
    out = np.zeros((n, f) + tuple(out_sz))
    fg = f // groups
    for g in range(groups):
        for idx in itertools.product(*[range(o) for o in out_sz]):
            sl = tuple(slice(idx[i] * stride[i], idx[i] * stride[i] + ek[i], dilate[i])
                       for i in range(nd_))
            win = xp[(slice(None), slice(g * cg, (g + 1) * cg)) + sl]
            wg = w[g * fg:(g + 1) * fg]
            out[(slice(None), slice(g * fg, (g + 1) * fg)) + idx] = np.tensordot(
                win, wg, axes=(list(range(1, 2 + nd_)), list(range(1, 2 + nd_))))
    if b is not None:
        out += b.reshape((1, -1) + (1,) * nd_)
    return out


# ---------------------------------------------------------------- pooling
@with_seed()
def test_pooling_all_types_2d():
    x = np.random.uniform(-1, 1, (2, 3, 7, 6)).astype(np.float32)
    for pool_type, conv, cip in itertools.product(["max", "avg", "sum", "lp"],
                                                  ["valid", "full"], [True, False]):
        kw = dict(kernel=(3, 2), stride=(2, 2), pad=(1, 1), pool_type=pool_type,
                  pooling_convention=conv, count_include_pad=cip)
        if pool_type == "lp":
            kw["p_value"] = 2
        out = mx.nd.Pooling(mx.nd.array(x), **kw)
        ref = np_pool(x, (3, 2), (2, 2), (1, 1), pool_type, conv, cip)
        assert out.shape == ref.shape, (kw, out.shape, ref.shape)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)


@with_seed()
def test_pooling_lp_p1_p3():
    x = np.random.uniform(-1, 1, (1, 2, 5, 5)).astype(np.float32)
    for p in (1, 3):
        out = mx.nd.Pooling(mx.nd.array(x), kernel=(2, 2), stride=(1, 1), pool_type="lp", p_value=p)
        assert_almost_equal(out.asnumpy(), np_pool(x, (2, 2), (1, 1), (0, 0), "lp", p=p),
                            rtol=1e-4, atol=1e-5)


@with_seed()
def test_pooling_1d_3d():
    x1 = np.random.uniform(-1, 1, (2, 3, 9)).astype(np.float32)
    x3 = np.random.uniform(-1, 1, (1, 2, 5, 4, 6)).astype(np.float32)
    for pool_type in ["max", "avg", "sum"]:
        out = mx.nd.Pooling(mx.nd.array(x1), kernel=(3,), stride=(2,), pad=(1,), pool_type=pool_type)
        assert_almost_equal(out.asnumpy(), np_pool(x1, (3,), (2,), (1,), pool_type),
                            rtol=1e-4, atol=1e-5)
        out = mx.nd.Pooling(mx.nd.array(x3), kernel=(2, 2, 3), stride=(1, 2, 2), pad=(0, 1, 1),
                            pool_type=pool_type)
        assert_almost_equal(out.asnumpy(), np_pool(x3, (2, 2, 3), (1, 2, 2), (0, 1, 1), pool_type),
                            rtol=1e-4, atol=1e-5)


@with_seed()
def test_pooling_global_and_layout():
    x = np.random.uniform(-1, 1, (2, 3, 5, 4)).astype(np.float32)
    for pool_type, fn in [("max", np.max), ("avg", np.mean), ("sum", np.sum)]:
        out = mx.nd.Pooling(mx.nd.array(x), kernel=(1, 1), global_pool=True, pool_type=pool_type)
        assert out.shape == (2, 3, 1, 1)
        assert_almost_equal(out.asnumpy()[:, :, 0, 0], fn(x, axis=(2, 3)), rtol=1e-5, atol=1e-6)
        # global pooling ignores kernel/stride/pad
        out2 = mx.nd.Pooling(mx.nd.array(x), kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                             global_pool=True, pool_type=pool_type)
        assert_almost_equal(out2, out)
    out = mx.nd.Pooling(mx.nd.array(x[:, :, :, 0]), global_pool=True, pool_type="max", kernel=(1,))
    assert out.shape == (2, 3, 1)
    xl = x.transpose(0, 2, 3, 1)
    out = mx.nd.Pooling(mx.nd.array(xl), kernel=(2, 2), stride=(2, 2), pool_type="max", layout="NHWC")
    ref = np_pool(x, (2, 2), (2, 2), (0, 0), "max").transpose(0, 2, 3, 1)
    assert_almost_equal(out.asnumpy(), ref)


@with_seed()
def test_pooling_gradient_and_fp16():
    for pool_type in ["max", "avg", "sum", "lp"]:
        data = mx.sym.Variable("data")
        kw = dict(kernel=(2, 2), stride=(1, 1), pool_type=pool_type)
        if pool_type == "lp":
            kw["p_value"] = 2
        sym = mx.sym.Pooling(data, **kw)
        x = np.random.uniform(0.5, 1.5, (1, 2, 4, 4)) * np.sign(np.random.uniform(-1, 1, (1, 2, 4, 4)))
        check_numeric_gradient(sym, [x], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    x = mx.nd.array(np.random.uniform(-1, 1, (1, 2, 4, 4)), dtype="float16")
    out = mx.nd.Pooling(x, kernel=(2, 2), pool_type="avg")
    assert out.dtype == np.float16
    assert_almost_equal(out.asnumpy(), np_pool(x.asnumpy().astype(np.float32), (2, 2), (1, 1),
                                               (0, 0), "avg"), rtol=1e-2, atol=1e-2)


@with_seed()
def test_pooling_infer_shape_symbol():
    data = mx.sym.Variable("data")
    for conv, shp in [("valid", (2, 3, 3, 3)), ("full", (2, 3, 4, 4))]:
        s = mx.sym.Pooling(data, kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention=conv)
        _, out, _ = s.infer_shape(data=(2, 3, 8, 8))
        assert out[0] == shp, (conv, out)


# ---------------------------------------------------------------- convolution
@with_seed()
def test_convolution_dilate_groups_nobias():
    for dims in (1, 2, 3):
        k = (3,) * dims if dims < 3 else (2, 2, 2)
        sp = (9,) * dims if dims < 3 else (5, 5, 5)
        for groups, dilate, stride, pad, no_bias in [(1, (1,) * dims, (1,) * dims, (0,) * dims, False),
                                                     (2, (2,) * dims, (1,) * dims, (1,) * dims, True),
                                                     (4, (1,) * dims, (2,) * dims, (1,) * dims, False)]:
            x = np.random.uniform(-1, 1, (2, 4) + sp)
            w = np.random.uniform(-1, 1, (8, 4 // groups) + k)
            b = np.random.uniform(-1, 1, (8,))
            args = [mx.nd.array(x), mx.nd.array(w)] + ([] if no_bias else [mx.nd.array(b)])
            out = mx.nd.Convolution(*args, kernel=k, num_filter=8, num_group=groups, dilate=dilate,
                                    stride=stride, pad=pad, no_bias=no_bias, workspace=512,
                                    cudnn_tune="off", cudnn_off=True)
            ref = np_conv(x, w, None if no_bias else b, stride, pad, dilate, groups)
            assert out.shape == ref.shape, (dims, groups, out.shape, ref.shape)
            assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-4)


@with_seed()
def test_convolution_grad_req_add_and_null():
    data = mx.sym.Variable("data")
    sym = mx.sym.Convolution(data, kernel=(3, 3), num_filter=2, pad=(1, 1), name="conv")
    shapes = {"data": (1, 2, 5, 5)}
    exe = sym.simple_bind(ctx=mx.cpu(), grad_req={"data": "null", "conv_weight": "add",
                                                  "conv_bias": "write"}, **shapes)
    for a in exe.arg_arrays:
        a[:] = np.random.uniform(-1, 1, a.shape)
    exe.grad_dict["conv_weight"][:] = 1.0
    exe.forward(is_train=True)
    og = mx.nd.ones(exe.outputs[0].shape)
    exe.backward([og])
    g1 = exe.grad_dict["conv_weight"].asnumpy().copy()
    exe.forward(is_train=True)
    exe.backward([og])
    g2 = exe.grad_dict["conv_weight"].asnumpy()
    assert_almost_equal(g2 - 1.0, 2 * (g1 - 1.0), rtol=1e-4, atol=1e-4)
    assert_almost_equal(exe.grad_dict["conv_bias"].asnumpy(), np.full((2,), 25.0))
    assert exe.grad_dict.get("data") is None


@with_seed()
def test_convolution_numeric_gradient_dilated():
    data = mx.sym.Variable("data")
    sym = mx.sym.Convolution(data, kernel=(2, 2), num_filter=2, dilate=(2, 2), num_group=2)
    x = np.random.uniform(-1, 1, (1, 2, 5, 5))
    w = np.random.uniform(-1, 1, (2, 1, 2, 2))
    b = np.random.uniform(-1, 1, (2,))
    check_numeric_gradient(sym, [x, w, b], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_convolution_type_dict_float64():
    data = mx.sym.Variable("data")
    sym = mx.sym.Convolution(data, kernel=(3, 3), num_filter=3, name="c")
    exe = sym.simple_bind(ctx=mx.cpu(), data=(1, 2, 5, 5), type_dict={"data": np.float64})
    assert exe.arg_dict["c_weight"].dtype == np.float64
    exe.forward()
    assert exe.outputs[0].dtype == np.float64


def np_deconv(x, w, b, stride, pad, adj, dilate, groups):
    n, c, *sp = x.shape
    _, fg, *k = w.shape
    nd_ = len(k)
    f = fg * groups
    cg = c // groups
    ek = [dilate[i] * (k[i] - 1) + 1 for i in range(nd_)]
    full = [(sp[i] - 1) * stride[i] + ek[i] for i in range(nd_)]
    out = np.zeros((n, f) + tuple(full))
    for g in range(groups):
        for idx in itertools.product(*[range(s) for s in sp]):
            val = x[(slice(None), slice(g * cg, (g + 1) * cg)) + idx]  # n, cg
            contrib = np.tensordot(val, w[g * cg:(g + 1) * cg], axes=(1, 0))  # n, fg, k...
            sl = tuple(slice(idx[i] * stride[i], idx[i] * stride[i] + ek[i], dilate[i])
                       for i in range(nd_))
            out[(slice(None), slice(g * fg, (g + 1) * fg)) + sl] += contrib
    out_sz = [(sp[i] - 1) * stride[i] - 2 * pad[i] + ek[i] + adj[i] for i in range(nd_)]
    pad_full = np.pad(out, [(0, 0), (0, 0)] + [(0, max(adj[i] - pad[i], 0)) for i in range(nd_)])
    res = pad_full[(slice(None), slice(None)) + tuple(slice(pad[i], pad[i] + out_sz[i])
                                                      for i in range(nd_))]
    if b is not None:
        res = res + b.reshape((1, -1) + (1,) * nd_)
    return res


@with_seed()
def test_deconvolution_adj_target_shape_groups():
    x = np.random.uniform(-1, 1, (1, 4, 4, 4))
    for stride, pad, adj, dilate, groups in [((2, 2), (1, 1), (1, 1), (1, 1), 1),
                                             ((2, 2), (0, 0), (0, 0), (1, 1), 2),
                                             ((3, 3), (1, 1), (2, 2), (1, 1), 4)]:
        w = np.random.uniform(-1, 1, (4, 2, 3, 3))
        out = mx.nd.Deconvolution(mx.nd.array(x), mx.nd.array(w), kernel=(3, 3), num_filter=2 * groups,
                                  stride=stride, pad=pad, adj=adj, dilate=dilate, num_group=groups,
                                  no_bias=True)
        ref = np_deconv(x, w, None, stride, pad, adj, dilate, groups)
        assert out.shape == ref.shape, (out.shape, ref.shape)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-4)
    # target_shape chooses pad/adj
    w = np.random.uniform(-1, 1, (4, 3, 3, 3))
    for target in [(8, 8), (9, 9), (7, 8)]:
        out = mx.nd.Deconvolution(mx.nd.array(x), mx.nd.array(w), kernel=(3, 3), num_filter=3,
                                  stride=(2, 2), target_shape=target, no_bias=True)
        assert out.shape == (1, 3) + target, (target, out.shape)


@with_seed()
def test_deconvolution_1d_and_bias_gradient():
    data = mx.sym.Variable("data")
    sym = mx.sym.Deconvolution(data, kernel=(3,), num_filter=2, stride=(2,), pad=(1,), adj=(1,),
                               no_bias=False)
    x = np.random.uniform(-1, 1, (1, 3, 4))
    w = np.random.uniform(-1, 1, (3, 2, 3))
    b = np.random.uniform(-1, 1, (2,))
    exe = sym.simple_bind(ctx=mx.cpu(), data=x.shape)
    assert exe.outputs[0].shape == (1, 2, 8)
    check_numeric_gradient(sym, [x, w, b], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    out = mx.nd.Deconvolution(mx.nd.array(x), mx.nd.array(w), mx.nd.array(b), kernel=(3,),
                              num_filter=2, stride=(2,), pad=(1,), adj=(1,), no_bias=False)
    ref = np_deconv(x, w, b, (2,), (1,), (1,), (1,), 1)
    assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- normalisation
def np_bn(x, gamma, beta, axis, eps):
    red = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    mean = x.mean(red, keepdims=True)
    var = x.var(red, keepdims=True)
    shp = [1] * x.ndim
    shp[axis] = -1
    return (x - mean) / np.sqrt(var + eps) * gamma.reshape(shp) + beta.reshape(shp), \
        mean.ravel(), var.ravel()


@with_seed()
def test_batchnorm_axis_fix_gamma_output_mean_var():
    for axis in (1, -1, 0, 2):
        x = np.random.uniform(-1, 1, (3, 4, 5)).astype(np.float32)
        c = x.shape[axis]
        gamma = np.random.uniform(0.5, 1.5, c).astype(np.float32)
        beta = np.random.uniform(-1, 1, c).astype(np.float32)
        for fix_gamma in (True, False):
            mm = mx.nd.zeros(c)
            mv = mx.nd.ones(c)
            with mx.autograd.record():
                out, mean, var = mx.nd.BatchNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta),
                                                 mm, mv, axis=axis, fix_gamma=fix_gamma, eps=1e-3,
                                                 momentum=0.8, output_mean_var=True)
            g = np.ones(c, np.float32) if fix_gamma else gamma
            ref, rmean, rvar = np_bn(x, g, beta, axis, 1e-3)
            assert_almost_equal(out.asnumpy(), ref, rtol=1e-3, atol=1e-4)
            assert_almost_equal(mean.asnumpy(), rmean, rtol=1e-4, atol=1e-5)
            # MXNet returns the inverse std in the 'var' output in training mode
            assert_almost_equal(var.asnumpy(), 1 / np.sqrt(rvar + 1e-3), rtol=1e-3, atol=1e-4)


@with_seed()
def test_batchnorm_use_global_stats_and_inference():
    x = np.random.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
    mm = np.random.uniform(-0.5, 0.5, 3).astype(np.float32)
    mv = np.random.uniform(0.5, 1.5, 3).astype(np.float32)
    gamma = np.random.uniform(0.5, 1.5, 3).astype(np.float32)
    beta = np.random.uniform(-1, 1, 3).astype(np.float32)
    ref = (x - mm[None, :, None]) / np.sqrt(mv[None, :, None] + 1e-5) * gamma[None, :, None] + beta[None, :, None]
    for train in (True, False):
        m, v = mx.nd.array(mm), mx.nd.array(mv)
        with mx.autograd.record(train_mode=train):
            out = mx.nd.BatchNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta), m, v,
                                  fix_gamma=False, use_global_stats=True, eps=1e-5)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
        assert_almost_equal(m.asnumpy(), mm)
    out = mx.nd.BatchNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta), mx.nd.array(mm),
                          mx.nd.array(mv), fix_gamma=False, eps=1e-5)
    assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)


@with_seed()
def test_batchnorm_grad_req_add_symbolic():
    data = mx.sym.Variable("data")
    sym = mx.sym.BatchNorm(data, fix_gamma=False, name="bn")
    shape = (4, 3, 2)
    exe = sym.simple_bind(ctx=mx.cpu(), data=shape, grad_req="add")
    x = np.random.uniform(-1, 1, shape)
    exe.arg_dict["data"][:] = x
    exe.arg_dict["bn_gamma"][:] = 1.0
    exe.arg_dict["bn_beta"][:] = 0.0
    for k in exe.grad_dict:
        exe.grad_dict[k][:] = 0
    og = np.random.uniform(-1, 1, shape)
    exe.forward(is_train=True)
    exe.backward([mx.nd.array(og)])
    g1 = {k: v.asnumpy().copy() for k, v in exe.grad_dict.items()}
    exe.forward(is_train=True)
    exe.backward([mx.nd.array(og)])
    for k, v in exe.grad_dict.items():
        assert_almost_equal(v.asnumpy(), 2 * g1[k], rtol=1e-4, atol=1e-5)
    assert_almost_equal(g1["bn_beta"], og.sum(axis=(0, 2)), rtol=1e-4, atol=1e-5)


@with_seed()
def test_layernorm_axes_and_grad():
    for shape, axis in [((2, 3, 4), -1), ((2, 3, 4), 1), ((3, 5), 0), ((4,), 0)]:
        x = np.random.uniform(-1, 1, shape)
        c = shape[axis]
        gamma = np.random.uniform(0.5, 1.5, c)
        beta = np.random.uniform(-1, 1, c)
        mean = x.mean(axis, keepdims=True)
        std = np.sqrt(x.var(axis, keepdims=True) + 1e-5)
        bshape = [1] * len(shape)
        bshape[axis] = c
        ref = (x - mean) / std * gamma.reshape(bshape) + beta.reshape(bshape)
        out = mx.nd.LayerNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta), axis=axis, eps=1e-5)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
        out, m, s = mx.nd.LayerNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta), axis=axis,
                                    eps=1e-5, output_mean_var=True)
        assert m.shape == mean.shape and s.shape == std.shape, (m.shape, s.shape)
        assert_almost_equal(m.asnumpy(), mean, rtol=1e-4, atol=1e-5)
        assert_almost_equal(s.asnumpy(), std, rtol=1e-4, atol=1e-5)
    data = mx.sym.Variable("data")
    sym = mx.sym.LayerNorm(data, axis=1)
    check_numeric_gradient(sym, [np.random.uniform(-1, 1, (2, 3, 2)), np.random.uniform(0.5, 1, 3),
                                 np.random.uniform(-1, 1, 3)], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_instancenorm_groupnorm():
    x = np.random.uniform(-1, 1, (2, 4, 3, 3))
    gamma = np.random.uniform(0.5, 1.5, 4)
    beta = np.random.uniform(-1, 1, 4)
    mean = x.mean((2, 3), keepdims=True)
    var = x.var((2, 3), keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-3) * gamma[None, :, None, None] + beta[None, :, None, None]
    out = mx.nd.InstanceNorm(mx.nd.array(x), mx.nd.array(gamma), mx.nd.array(beta), eps=1e-3)
    assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
    for ng in (1, 2, 4):
        # MXNet 1.9.1: gamma/beta hold one value per group
        g = np.random.uniform(0.5, 1.5, ng)
        b = np.random.uniform(-1, 1, ng)
        xr = x.reshape(2, ng, -1)
        m = xr.mean(-1, keepdims=True)
        v = xr.var(-1, keepdims=True)
        ref = ((xr - m) / np.sqrt(v + 1e-5) * g[None, :, None] + b[None, :, None]).reshape(x.shape)
        out = mx.nd.GroupNorm(mx.nd.array(x), mx.nd.array(g), mx.nd.array(b), num_groups=ng, eps=1e-5)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
        out, mo, so = mx.nd.GroupNorm(mx.nd.array(x), mx.nd.array(g), mx.nd.array(b), num_groups=ng,
                                      eps=1e-5, output_mean_var=True)
        assert mo.shape == (2, ng), mo.shape
        assert_almost_equal(mo.asnumpy(), m[..., 0], rtol=1e-4, atol=1e-5)
        assert_almost_equal(so.asnumpy(), np.sqrt(v[..., 0] + 1e-5), rtol=1e-4, atol=1e-5)
    data = mx.sym.Variable("data")
    check_numeric_gradient(mx.sym.GroupNorm(data, num_groups=2),
                           [np.random.uniform(-1, 1, (2, 4, 3)), np.random.uniform(0.5, 1, 2),
                            np.random.uniform(-1, 1, 2)], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    check_numeric_gradient(mx.sym.InstanceNorm(data),
                           [np.random.uniform(-1, 1, (2, 3, 4)), np.random.uniform(0.5, 1, 3),
                            np.random.uniform(-1, 1, 3)], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


@with_seed()
def test_l2_normalization_modes():
    x = np.random.uniform(-1, 1, (2, 3, 4, 5))
    for mode, axes in [("instance", (1, 2, 3)), ("channel", (1,)), ("spatial", (2, 3))]:
        out = mx.nd.L2Normalization(mx.nd.array(x), mode=mode, eps=1e-10)
        ref = x / np.sqrt((x ** 2).sum(axes, keepdims=True) + 1e-10)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
        data = mx.sym.Variable("data")
        check_numeric_gradient(mx.sym.L2Normalization(data, mode=mode), [x[:1, :2, :2, :3]],
                               numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


# ---------------------------------------------------------------- softmax family
def np_softmax(x, axis=-1, temperature=1.0):
    e = np.exp((x - x.max(axis, keepdims=True)) / temperature)
    return e / e.sum(axis, keepdims=True)


@with_seed()
def test_softmax_length_and_dtype():
    x = np.random.uniform(-1, 1, (3, 5)).astype(np.float32)
    length = np.array([1, 3, 5], dtype=np.int32)
    for axis in (-1, 1):
        out = mx.nd.softmax(mx.nd.array(x), mx.nd.array(length, dtype="int32"), axis=axis,
                            use_length=True)
        ref = np.zeros_like(x)
        for i, n in enumerate(length):
            ref[i, :n] = np_softmax(x[i, :n])
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-5, atol=1e-6)
    # length along axis 0
    out = mx.nd.softmax(mx.nd.array(x.T), mx.nd.array(length, dtype="int32"), axis=0, use_length=True)
    assert_almost_equal(out.asnumpy(), ref.T, rtol=1e-5, atol=1e-6)
    for dtype in ("float16", "float32", "float64"):
        out = mx.nd.softmax(mx.nd.array(x, dtype="float16"), dtype=dtype)
        assert out.dtype == np.dtype(dtype)
        out = mx.nd.log_softmax(mx.nd.array(x, dtype="float16"), dtype=dtype)
        assert out.dtype == np.dtype(dtype)


@with_seed()
def test_softmax_length_gradient():
    x = np.random.uniform(-1, 1, (2, 4))
    data = mx.sym.Variable("data")
    length = mx.sym.Variable("length")
    sym = mx.sym.softmax(data, length, axis=-1, use_length=True)
    exe = sym.simple_bind(ctx=mx.cpu(), data=x.shape, length=(2,),
                          type_dict={"data": np.float32, "length": np.int32}, grad_req={"data": "write", "length": "null"})
    exe.arg_dict["data"][:] = x
    exe.arg_dict["length"][:] = np.array([2, 3])
    exe.forward(is_train=True)
    og = np.random.uniform(-1, 1, x.shape)
    exe.backward([mx.nd.array(og)])
    g = exe.grad_dict["data"].asnumpy()
    assert (g[0, 2:] == 0).all() and (g[1, 3:] == 0).all()
    y = np_softmax(x[0, :2])
    assert_almost_equal(g[0, :2], y * (og[0, :2] - (og[0, :2] * y).sum()), rtol=1e-4, atol=1e-5)


@with_seed()
def test_softmax_temperature_softmin_logsoftmax():
    x = np.random.uniform(-2, 2, (2, 3, 4))
    for axis, t in itertools.product((0, 1, -1), (0.5, 1.0, 3.0)):
        assert_almost_equal(mx.nd.softmax(mx.nd.array(x), axis=axis, temperature=t).asnumpy(),
                            np_softmax(x, axis, t), rtol=1e-4, atol=1e-6)
        assert_almost_equal(mx.nd.softmin(mx.nd.array(x), axis=axis, temperature=t).asnumpy(),
                            np_softmax(-x, axis, t), rtol=1e-4, atol=1e-6)
        assert_almost_equal(mx.nd.log_softmax(mx.nd.array(x), axis=axis, temperature=t).asnumpy(),
                            np.log(np_softmax(x, axis, t)), rtol=1e-4, atol=1e-5)
    data = mx.sym.Variable("data")
    for op in (mx.sym.softmax, mx.sym.softmin, mx.sym.log_softmax):
        check_numeric_gradient(op(data, axis=1, temperature=2.0), [x], numeric_eps=1e-3,
                               rtol=1e-2, atol=1e-3)


@with_seed()
def test_softmax_output_options():
    x = np.random.uniform(-1, 1, (4, 3))
    label = np.array([0, 2, 1, 2])
    data = mx.sym.Variable("data")
    lab = mx.sym.Variable("label")
    for norm, ignore, grad_scale in [("null", False, 1.0), ("batch", False, 2.0),
                                     ("valid", True, 1.0), ("null", True, 0.5)]:
        sym = mx.sym.SoftmaxOutput(data, lab, normalization=norm, use_ignore=ignore, ignore_label=2,
                                   grad_scale=grad_scale)
        exe = sym.simple_bind(ctx=mx.cpu(), data=x.shape, label=label.shape)
        exe.arg_dict["data"][:] = x
        exe.arg_dict["label"][:] = label
        exe.forward(is_train=True)
        p = np_softmax(x)
        assert_almost_equal(exe.outputs[0].asnumpy(), p, rtol=1e-5, atol=1e-6)
        exe.backward()
        g = p.copy()
        g[np.arange(4), label] -= 1
        if ignore:
            g[label == 2] = 0
        g *= grad_scale
        if norm == "batch":
            g /= 4
        elif norm == "valid":
            g /= max((label != 2).sum() if ignore else 4, 1)
        assert_almost_equal(exe.grad_dict["data"].asnumpy(), g, rtol=1e-4, atol=1e-5)


@with_seed()
def test_softmax_output_multi_output_and_smooth():
    x = np.random.uniform(-1, 1, (2, 3, 4))
    label = np.random.randint(0, 3, (2, 4))
    data = mx.sym.Variable("data")
    lab = mx.sym.Variable("label")
    sym = mx.sym.SoftmaxOutput(data, lab, multi_output=True)
    exe = sym.simple_bind(ctx=mx.cpu(), data=x.shape, label=label.shape)
    exe.arg_dict["data"][:] = x
    exe.arg_dict["label"][:] = label
    exe.forward(is_train=True)
    p = np_softmax(x, axis=1)
    assert_almost_equal(exe.outputs[0].asnumpy(), p, rtol=1e-5, atol=1e-6)
    exe.backward()
    g = p.copy()
    for i in range(2):
        for j in range(4):
            g[i, label[i, j], j] -= 1
    g /= x.shape[2]  # MXNet scales multi-output gradients by 1/spatial size under 'null'
    assert_almost_equal(exe.grad_dict["data"].asnumpy(), g, rtol=1e-4, atol=1e-5)
    # smoothing
    x2 = np.random.uniform(-1, 1, (3, 4))
    l2 = np.array([0, 1, 3])
    sym = mx.sym.SoftmaxOutput(data, lab, smooth_alpha=0.2)
    exe = sym.simple_bind(ctx=mx.cpu(), data=x2.shape, label=l2.shape)
    exe.arg_dict["data"][:] = x2
    exe.arg_dict["label"][:] = l2
    exe.forward(is_train=True)
    exe.backward()
    p = np_softmax(x2)
    t = np.full_like(p, 0.2 / 3)
    t[np.arange(3), l2] = 0.8
    assert_almost_equal(exe.grad_dict["data"].asnumpy(), p - t, rtol=1e-4, atol=1e-5)


@with_seed()
def test_softmax_axis_error():
    assertRaises(MXNetError, lambda: mx.nd.softmax(mx.nd.ones((2, 3)), axis=2).wait_to_read())


if __name__ == "__main__":
    main(globals())
