"""Round-5 operator checks: spatial ops (BilinearSampler, GridGenerator, SpatialTransformer,
UpSampling, Correlation, im2col/col2im, ROIPooling) against own numpy references, in the style of
MXNet 1.9.1's test_operator.py (own code).

Run both sides with ``.venv/bin/python tools/unittest_style/run.py --only check_operator5_spatial``.
"""
import itertools
import math

import numpy as np

import mxnet as mx
from mxnet.base import MXNetError
from mxnet.test_utils import *  # noqa: F401,F403
from common import assertRaises, with_seed
from _harness import main


def np_bilinear_sample(data, grid):
    """Sample ``data`` (N,C,H,W) at ``grid`` (N,2,Ho,Wo) in [-1, 1]; outside corners count 0."""
    n, c, h, w = data.shape
    out = np.zeros((n, c) + grid.shape[2:])
    for b in range(n):
        xs = (grid[b, 0] + 1) * (w - 1) / 2.0
        ys = (grid[b, 1] + 1) * (h - 1) / 2.0
        x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
        for dx, dy in itertools.product((0, 1), (0, 1)):
            xi, yi = x0 + dx, y0 + dy
            wx = 1 - np.abs(xs - xi)
            wy = 1 - np.abs(ys - yi)
            ok = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
            vals = data[b][:, np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)]
            out[b] += vals * (wx * wy * ok)[None]
    return out


def np_affine_grid(theta, target_shape):
    h, w = target_shape
    xs, ys = np.meshgrid(np.linspace(-1, 1, w), np.linspace(-1, 1, h))
    src = np.stack([xs.ravel(), ys.ravel(), np.ones(h * w)])
    return (theta.reshape(-1, 2, 3) @ src).reshape(-1, 2, h, w)


def np_warp_grid(flow):
    n, _, h, w = flow.shape
    xs, ys = np.meshgrid(np.arange(w), np.arange(h))
    gx = (flow[:, 0] + xs) / ((w - 1) / 2.0) - 1
    gy = (flow[:, 1] + ys) / ((h - 1) / 2.0) - 1
    return np.stack([gx, gy], axis=1)


@with_seed()
def test_bilinear_sampler_values_out_of_bounds():
    data = np.random.uniform(-1, 1, (2, 3, 4, 5))
    grid = np.random.uniform(-1.3, 1.3, (2, 2, 3, 6))
    out = mx.nd.BilinearSampler(mx.nd.array(data), mx.nd.array(grid))
    assert out.shape == (2, 3, 3, 6)
    assert_almost_equal(out.asnumpy(), np_bilinear_sample(data, grid), rtol=1e-4, atol=1e-5)
    out = mx.nd.BilinearSampler(mx.nd.array(data), mx.nd.array(grid), cudnn_off=True)
    assert_almost_equal(out.asnumpy(), np_bilinear_sample(data, grid), rtol=1e-4, atol=1e-5)


@with_seed()
def test_bilinear_sampler_gradients():
    data = np.random.uniform(-1, 1, (1, 2, 3, 4))
    grid = np.random.uniform(-0.9, 0.9, (1, 2, 2, 3))
    s = mx.sym.BilinearSampler(mx.sym.Variable("data"), mx.sym.Variable("grid"))
    check_numeric_gradient(s, [data, grid], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    exe = s.simple_bind(default_context(), data=data.shape, grid=grid.shape,
                        grad_req={"data": "add", "grid": "null"})
    exe.grad_dict["data"][:] = 1
    exe.forward(is_train=True, data=data, grid=grid)
    exe.backward(mx.nd.ones(exe.outputs[0].shape))
    first = exe.grad_dict["data"].asnumpy().copy()
    exe.forward(is_train=True, data=data, grid=grid)
    exe.backward(mx.nd.ones(exe.outputs[0].shape))
    assert_almost_equal(exe.grad_dict["data"].asnumpy() - 1, 2 * (first - 1), rtol=1e-5, atol=1e-5)
    assert exe.grad_dict.get("grid") is None


@with_seed()
def test_grid_generator_affine_values_and_grad():
    theta = np.random.uniform(-1, 1, (3, 6))
    out = mx.nd.GridGenerator(mx.nd.array(theta), transform_type="affine", target_shape=(4, 6))
    assert out.shape == (3, 2, 4, 6)
    assert_almost_equal(out.asnumpy(), np_affine_grid(theta, (4, 6)), rtol=1e-4, atol=1e-5)
    s = mx.sym.GridGenerator(mx.sym.Variable("data"), transform_type="affine", target_shape=(3, 2))
    check_numeric_gradient(s, [theta], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    _, outs, _ = s.infer_shape(data=(5, 6))
    assert outs == [(5, 2, 3, 2)]


@with_seed()
def test_grid_generator_warp_values_and_grad():
    flow = np.random.uniform(-2, 2, (2, 2, 3, 5))
    out = mx.nd.GridGenerator(mx.nd.array(flow), transform_type="warp")
    assert out.shape == (2, 2, 3, 5)
    assert_almost_equal(out.asnumpy(), np_warp_grid(flow), rtol=1e-4, atol=1e-5)
    s = mx.sym.GridGenerator(mx.sym.Variable("data"), transform_type="warp")
    check_numeric_gradient(s, [flow], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    # warp + sampler composition (optical-flow warping)
    data = np.random.uniform(-1, 1, (2, 1, 3, 5))
    warped = mx.nd.BilinearSampler(mx.nd.array(data), out)
    assert_almost_equal(warped.asnumpy(), np_bilinear_sample(data, np_warp_grid(flow)),
                        rtol=1e-4, atol=1e-5)


@with_seed()
def test_spatial_transformer_equals_composition():
    data = np.random.uniform(-1, 1, (2, 3, 5, 4))
    loc = np.random.uniform(-0.6, 0.6, (2, 6)) + np.array([1, 0, 0, 0, 1, 0])
    out = mx.nd.SpatialTransformer(mx.nd.array(data), mx.nd.array(loc), target_shape=(3, 6),
                                   transform_type="affine", sampler_type="bilinear")
    ref = np_bilinear_sample(data, np_affine_grid(loc, (3, 6)))
    assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)
    s = mx.sym.SpatialTransformer(mx.sym.Variable("data"), mx.sym.Variable("loc"),
                                  target_shape=(2, 3), transform_type="affine",
                                  sampler_type="bilinear", cudnn_off=True)
    check_numeric_gradient(s, [data[:1, :1, :3, :3], loc[:1]], numeric_eps=1e-3, rtol=1e-2,
                           atol=1e-3)
    args, outs, _ = s.infer_shape(data=(4, 2, 7, 7), loc=(4, 6))
    assert outs == [(4, 2, 2, 3)]


@with_seed()
def test_upsampling_nearest_multi_input():
    a = np.random.uniform(-1, 1, (2, 2, 4, 4))
    b = np.random.uniform(-1, 1, (2, 3, 2, 2))
    up = lambda x, s: x.repeat(s, axis=2).repeat(s, axis=3)  # noqa: E731
    out = mx.nd.UpSampling(mx.nd.array(a), mx.nd.array(b), scale=2, sample_type="nearest",
                           num_args=2)
    assert_almost_equal(out.asnumpy(), np.concatenate([up(a, 2), up(b, 4)], axis=1),
                        rtol=1e-5, atol=1e-6)
    b2 = np.random.uniform(-1, 1, (2, 2, 2, 2))
    out = mx.nd.UpSampling(mx.nd.array(a), mx.nd.array(b2), scale=3, sample_type="nearest",
                           num_args=2, multi_input_mode="sum")
    assert_almost_equal(out.asnumpy(), up(a, 3) + up(b2, 6), rtol=1e-5, atol=1e-6)
    s = mx.sym.UpSampling(mx.sym.Variable("a"), mx.sym.Variable("b"), scale=2,
                          sample_type="nearest", num_args=2)
    check_numeric_gradient(s, [a[:1, :1, :2, :2], b[:1, :1, :1, :1]], numeric_eps=1e-3,
                           rtol=1e-2, atol=1e-3)
    _, outs, _ = s.infer_shape(a=(1, 2, 4, 4), b=(1, 5, 2, 2))
    assert outs == [(1, 7, 8, 8)]


@with_seed()
def test_upsampling_bilinear_is_grouped_deconvolution():
    for scale, c in [(2, 3), (3, 2)]:
        k = 2 * scale - scale % 2
        pad = int(math.ceil((scale - 1) / 2.0))
        x = np.random.uniform(-1, 1, (2, c, 3, 4))
        w = np.random.uniform(-1, 1, (c, 1, k, k))
        s = mx.sym.UpSampling(mx.sym.Variable("data"), mx.sym.Variable("weight"), scale=scale,
                              num_filter=c, sample_type="bilinear", num_args=2)
        args, outs, _ = s.infer_shape(data=x.shape)
        assert args == [x.shape, w.shape], args
        assert outs == [(2, c, 3 * scale, 4 * scale)]
        out = mx.nd.UpSampling(mx.nd.array(x), mx.nd.array(w), scale=scale, num_filter=c,
                               sample_type="bilinear", num_args=2)
        ref = mx.nd.Deconvolution(mx.nd.array(x), mx.nd.array(w), kernel=(k, k),
                                  stride=(scale, scale), pad=(pad, pad), num_filter=c,
                                  num_group=c, no_bias=True)
        assert_almost_equal(out.asnumpy(), ref.asnumpy(), rtol=1e-5, atol=1e-6)
        check_numeric_gradient(s, [x[:1, :, :2, :2], w], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)


def np_correlation(a, b, kernel_size, max_disp, stride1, stride2, pad, is_multiply):
    n, c, h, w = a.shape
    pa = np.pad(a, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    pb = np.pad(b, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    radius = (kernel_size - 1) // 2
    border = max_disp + radius
    oh = int(math.ceil((h + 2 * pad - 2 * border) / float(stride1)))
    ow = int(math.ceil((w + 2 * pad - 2 * border) / float(stride1)))
    grid_r = max_disp // stride2
    gw = 2 * grid_r + 1
    out = np.zeros((n, gw * gw, oh, ow))
    for i, j in itertools.product(range(oh), range(ow)):
        y1, x1 = i * stride1 + max_disp, j * stride1 + max_disp
        p1 = pa[:, :, y1:y1 + kernel_size, x1:x1 + kernel_size]
        for tc in range(gw * gw):
            dx = (tc % gw - grid_r) * stride2
            dy = (tc // gw - grid_r) * stride2
            p2 = pb[:, :, y1 + dy:y1 + dy + kernel_size, x1 + dx:x1 + dx + kernel_size]
            v = p1 * p2 if is_multiply else np.abs(p1 - p2)
            out[:, tc, i, j] = v.sum(axis=(1, 2, 3)) / float(kernel_size * kernel_size * c)
    return out


@with_seed()
def test_correlation_values():
    cases = [(1, 2, 1, 1, 2, True), (3, 2, 1, 1, 2, True), (1, 4, 2, 2, 4, True),
             (3, 1, 1, 1, 1, False), (1, 2, 1, 2, 0, False), (5, 2, 2, 1, 3, True)]
    for ks, md, s1, s2, pad, mult in cases:
        a = np.random.uniform(-1, 1, (2, 3, 7, 8))
        b = np.random.uniform(-1, 1, (2, 3, 7, 8))
        out = mx.nd.Correlation(mx.nd.array(a), mx.nd.array(b), kernel_size=ks,
                                max_displacement=md, stride1=s1, stride2=s2, pad_size=pad,
                                is_multiply=mult)
        ref = np_correlation(a, b, ks, md, s1, s2, pad, mult)
        assert out.shape == ref.shape, (ks, md, s1, s2, pad, out.shape, ref.shape)
        assert_almost_equal(out.asnumpy(), ref, rtol=1e-4, atol=1e-5)


@with_seed()
def test_correlation_gradient_and_shape():
    a = np.random.uniform(-1, 1, (1, 2, 5, 5))
    b = np.random.uniform(-1, 1, (1, 2, 5, 5))
    for mult in (True, False):
        s = mx.sym.Correlation(mx.sym.Variable("a"), mx.sym.Variable("b"), kernel_size=1,
                               max_displacement=1, stride1=1, stride2=1, pad_size=1,
                               is_multiply=mult)
        check_numeric_gradient(s, [a, b], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    s = mx.sym.Correlation(mx.sym.Variable("a"), mx.sym.Variable("b"), kernel_size=3,
                           max_displacement=4, stride1=2, stride2=2, pad_size=4)
    _, outs, _ = s.infer_shape(a=(2, 8, 16, 20), b=(2, 8, 16, 20))
    assert outs[0] == (2, 25, 7, 9), outs


def np_im2col(x, kernel, stride, dilate, pad):
    n, c, h, w = x.shape
    kh, kw = kernel
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - dilate[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w + 2 * pad[1] - dilate[1] * (kw - 1) - 1) // stride[1] + 1
    cols = np.zeros((n, c, kh, kw, oh, ow))
    for i, j in itertools.product(range(kh), range(kw)):
        ys = i * dilate[0] + stride[0] * np.arange(oh)
        xs = j * dilate[1] + stride[1] * np.arange(ow)
        cols[:, :, i, j] = xp[:, :, ys][:, :, :, xs]
    return cols.reshape(n, c * kh * kw, oh * ow)


@with_seed()
def test_im2col_col2im_options():
    for kernel, stride, dilate, pad in [((3, 3), (1, 1), (1, 1), (1, 1)),
                                        ((2, 3), (2, 1), (1, 2), (0, 1)),
                                        ((3, 2), (2, 2), (2, 1), (2, 0))]:
        x = np.random.uniform(-1, 1, (2, 3, 7, 6))
        col = mx.nd.im2col(mx.nd.array(x), kernel=kernel, stride=stride, dilate=dilate, pad=pad)
        ref = np_im2col(x, kernel, stride, dilate, pad)
        assert col.shape == ref.shape, (col.shape, ref.shape)
        assert_almost_equal(col.asnumpy(), ref, rtol=1e-5, atol=1e-6)
        # col2im is the adjoint of im2col: <im2col(x), y> == <x, col2im(y)>
        y = np.random.uniform(-1, 1, ref.shape)
        back = mx.nd.col2im(mx.nd.array(y), output_size=(7, 6), kernel=kernel, stride=stride,
                            dilate=dilate, pad=pad).asnumpy()
        assert back.shape == x.shape
        assert abs((ref * y).sum() - (x * back).sum()) < 1e-3
        data = mx.sym.Variable("data")
        check_numeric_gradient(mx.sym.im2col(data, kernel=kernel, stride=stride, dilate=dilate,
                                             pad=pad), [x[:1, :1]], numeric_eps=1e-3, rtol=1e-2,
                               atol=1e-3)
        check_numeric_gradient(mx.sym.col2im(data, output_size=(7, 6), kernel=kernel,
                                             stride=stride, dilate=dilate, pad=pad),
                               [y[:1, :ref.shape[1] // 3]], numeric_eps=1e-3, rtol=1e-2,
                               atol=1e-3)


@with_seed()
def test_im2col_shapes():
    s = mx.sym.im2col(mx.sym.Variable("data"), kernel=(2, 2), stride=(2, 2))
    _, outs, _ = s.infer_shape(data=(4, 5, 8, 6))
    assert outs == [(4, 20, 12)]
    s = mx.sym.col2im(mx.sym.Variable("data"), output_size=(8, 6), kernel=(2, 2), stride=(2, 2))
    _, outs, _ = s.infer_shape(data=(4, 20, 12))
    assert outs == [(4, 5, 8, 6)]


def c_round(v):
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


def np_roi_pool(data, rois, pooled, scale):
    out = np.zeros((rois.shape[0], data.shape[1]) + pooled)
    h, w = data.shape[2:]
    for r, roi in enumerate(rois):
        b = int(roi[0])
        x1, y1, x2, y2 = [int(c_round(v * scale)) for v in roi[1:]]
        rh, rw = max(y2 - y1 + 1, 1), max(x2 - x1 + 1, 1)
        bh, bw = rh / float(pooled[0]), rw / float(pooled[1])
        for i, j in itertools.product(range(pooled[0]), range(pooled[1])):
            hs = min(max(int(math.floor(i * bh)) + y1, 0), h)
            he = min(max(int(math.ceil((i + 1) * bh)) + y1, 0), h)
            ws = min(max(int(math.floor(j * bw)) + x1, 0), w)
            we = min(max(int(math.ceil((j + 1) * bw)) + x1, 0), w)
            if he > hs and we > ws:
                out[r, :, i, j] = data[b, :, hs:he, ws:we].max(axis=(1, 2))
    return out


@with_seed()
def test_roi_pooling_values_scales():
    data = np.random.permutation(2 * 3 * 8 * 10).reshape(2, 3, 8, 10).astype(np.float64)
    rois = np.array([[0, 0, 0, 9, 7], [1, 2, 1, 6, 5], [0, 3.4, 2.6, 8.2, 7.9],
                     [1, 8, 6, 20, 20], [0, 5, 5, 5, 5]])
    for pooled, scale in [((2, 2), 1.0), ((3, 2), 1.0), ((2, 3), 0.5), ((4, 4), 0.75)]:
        out = mx.nd.ROIPooling(mx.nd.array(data), mx.nd.array(rois), pooled_size=pooled,
                               spatial_scale=scale)
        assert_almost_equal(out.asnumpy(), np_roi_pool(data, rois, pooled, scale))


@with_seed()
def test_roi_pooling_gradient_routes_to_max():
    data = np.random.permutation(1 * 2 * 6 * 6).reshape(1, 2, 6, 6).astype(np.float64)
    rois = np.array([[0, 0, 0, 5, 5], [0, 1, 1, 3, 4]])
    s = mx.sym.ROIPooling(mx.sym.Variable("data"), mx.sym.Variable("rois"), pooled_size=(2, 2),
                          spatial_scale=1.0)
    exe = s.simple_bind(default_context(), data=data.shape, rois=rois.shape,
                        grad_req={"data": "write", "rois": "null"})
    exe.forward(is_train=True, data=data, rois=rois)
    head = np.random.uniform(0.5, 1.5, exe.outputs[0].shape)
    exe.backward(mx.nd.array(head))
    grad = exe.grad_dict["data"].asnumpy()
    ref = np.zeros_like(data)
    out = exe.outputs[0].asnumpy()
    for r in range(2):
        for c, i, j in itertools.product(range(2), range(2), range(2)):
            pos = np.argwhere(data[0, c] == out[r, c, i, j])[0]
            ref[0, c, pos[0], pos[1]] += head[r, c, i, j]
    assert_almost_equal(grad, ref, rtol=1e-5, atol=1e-5)
    _, outs, _ = s.infer_shape(data=(2, 4, 9, 9), rois=(7, 5))
    assert outs == [(7, 4, 2, 2)]


@with_seed()
def test_spatial_json_roundtrip():
    a, b = mx.sym.Variable("a"), mx.sym.Variable("b")
    syms = [mx.sym.Correlation(a, b, kernel_size=3, max_displacement=2, pad_size=2,
                               is_multiply=False),
            mx.sym.BilinearSampler(a, b, cudnn_off=True),
            mx.sym.GridGenerator(a, transform_type="warp"),
            mx.sym.SpatialTransformer(a, b, target_shape=(3, 3), transform_type="affine",
                                      sampler_type="bilinear"),
            mx.sym.UpSampling(a, b, scale=2, sample_type="nearest", num_args=2,
                              multi_input_mode="sum"),
            mx.sym.im2col(a, kernel=(2, 2), dilate=(2, 1), pad=(1, 0)),
            mx.sym.col2im(a, output_size=(5, 5), kernel=(2, 2)),
            mx.sym.ROIPooling(a, b, pooled_size=(2, 3), spatial_scale=0.25)]
    for s in syms:
        back = mx.sym.load_json(s.tojson())
        assert back.tojson() == s.tojson()
        assert back.list_arguments() == s.list_arguments()
        assert back.attr_dict() == s.attr_dict()


if __name__ == "__main__":
    main(globals())
