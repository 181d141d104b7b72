"""The torch-side kernel choices for pooling (channels-last route) and convolution (GEMM
weight gradient) give torch's own results: exactly for pooling and the convolution forward and
data gradient, to float32 rounding for the convolution weight gradient."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import mxtorch as mx
from mxtorch._torch import conv_grad, fast_pool

POOL_CASES = [((32, 64, 32, 32), 3, 2, 1, False), ((8, 20, 24, 24), 2, 2, 0, False),
              ((4, 64, 15, 15), 3, 2, 1, True), ((2, 32, 33, 31), 2, 2, 1, True)]


@pytest.mark.parametrize("shape,k,s,p,ceil", POOL_CASES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_max_pool_matches_torch_exactly(shape, k, s, p, ceil, dtype):
    x = torch.randn(*shape, dtype=dtype, requires_grad=True)
    assert fast_pool.eligible(x, fast_pool.MIN_ELEMENTS_MAX)
    ref = F.max_pool2d(x, k, s, p, ceil_mode=ceil)
    out = fast_pool.max_pool2d(x, k, s, p, ceil_mode=ceil)
    assert out.is_contiguous() and torch.equal(out, ref)
    head = torch.randn_like(ref)
    assert torch.equal(torch.autograd.grad(out, x, head)[0], torch.autograd.grad(ref, x, head)[0])
    with torch.no_grad():
        assert torch.equal(fast_pool.max_pool2d(x, k, s, p, ceil_mode=ceil), ref)


@pytest.mark.parametrize("include_pad", [True, False])
def test_avg_pool_matches_torch_exactly(include_pad):
    x = torch.randn(32, 64, 16, 16, requires_grad=True)
    assert fast_pool.eligible(x, fast_pool.MIN_ELEMENTS_AVG)
    ref = F.avg_pool2d(x, 3, 2, 1, False, include_pad)
    out = fast_pool.avg_pool2d(x, 3, 2, 1, False, include_pad)
    assert torch.equal(out, ref)
    head = torch.randn_like(ref)
    assert torch.equal(torch.autograd.grad(out, x, head)[0], torch.autograd.grad(ref, x, head)[0])
    summed = fast_pool.avg_pool2d(x, 2, 2, divisor_override=1)
    assert torch.equal(summed, F.avg_pool2d(x, 2, 2, divisor_override=1))


def test_small_or_other_tensors_keep_torch_kernels():
    assert not fast_pool.eligible(torch.randn(2, 4, 8, 8), fast_pool.MIN_ELEMENTS_MAX)
    assert not fast_pool.eligible(torch.randn(64, 64, 32, 32).half(), fast_pool.MIN_ELEMENTS_MAX)
    strided = torch.randn(32, 64, 32, 32).contiguous(memory_format=torch.channels_last)
    assert not fast_pool.eligible(strided, fast_pool.MIN_ELEMENTS_MAX)


def test_nd_pooling_gradient_through_fast_route():
    """Through the operator: max pooling's gradient routes each head value to the window's
    argmax, checked against a NumPy loop."""
    data = np.random.RandomState(0).randn(4, 16, 24, 24).astype(np.float32)
    x = mx.nd.array(data)
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type="max")
    y.backward(mx.nd.ones_like(y))
    windows = data.reshape(4, 16, 12, 2, 12, 2).transpose(0, 1, 2, 4, 3, 5).reshape(4, 16, 12, 12, 4)
    np.testing.assert_array_equal(y.asnumpy(), windows.max(-1))
    expected = (windows == windows.max(-1, keepdims=True)).astype(np.float32)
    expected = expected.reshape(4, 16, 12, 12, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(data.shape)
    np.testing.assert_array_equal(x.grad.asnumpy(), expected)


CONV_CASES = [((8, 64, 2, 2), 32, 3, 1, 1), ((4, 32, 4, 4), 48, 3, 2, 1),
              ((2, 512, 5, 5), 8, 3, 1, 1), ((4, 16, 2, 2), 8, 1, 1, 0)]


@pytest.mark.parametrize("shape,out_ch,k,s,p", CONV_CASES)
@pytest.mark.parametrize("bias", [False, True])
def test_conv_gemm_weight_grad_matches_torch(shape, out_ch, k, s, p, bias):
    torch.manual_seed(0)
    x = torch.randn(*shape, requires_grad=True)
    w = torch.randn(out_ch, shape[1], k, k, requires_grad=True)
    b = torch.randn(out_ch, requires_grad=True) if bias else None
    assert conv_grad.eligible(x, w, (s, s), (p, p), (1, 1), 1)
    out = conv_grad.conv2d(x, w, b, (s, s), (p, p), (1, 1), 1)
    ref = F.conv2d(x, w, b, s, p)
    assert torch.equal(out, ref)
    head = torch.randn_like(ref)
    wrt = [x, w] + ([b] if bias else [])
    got = torch.autograd.grad(out, wrt, head)
    want = torch.autograd.grad(ref, wrt, head)
    assert torch.equal(got[0], want[0])
    torch.testing.assert_close(got[1], want[1], rtol=1e-5, atol=1e-4)
    if bias:
        torch.testing.assert_close(got[2], want[2], rtol=1e-6, atol=1e-5)


def test_conv_weight_grad_numeric_and_second_order():
    """float64 reference: finite differences of the float32 route agree, and second-order
    gradients (create_graph) flow through the GEMM route as through torch's."""
    torch.manual_seed(1)
    x = torch.randn(2, 3, 2, 2, requires_grad=True)
    w = torch.randn(4, 3, 3, 3, requires_grad=True)
    assert conv_grad.eligible(x, w, (1, 1), (1, 1), (1, 1), 1)
    out = conv_grad.conv2d(x, w, None, (1, 1), (1, 1), (1, 1), 1)
    gw, = torch.autograd.grad(out.pow(2).sum(), w, create_graph=True)
    ref = F.conv2d(x, w, None, 1, 1)
    rgw, = torch.autograd.grad(ref.pow(2).sum(), w, create_graph=True)
    torch.testing.assert_close(gw, rgw, rtol=1e-5, atol=1e-5)
    second = torch.autograd.grad(gw.sum(), x)[0]
    torch.testing.assert_close(second, torch.autograd.grad(rgw.sum(), x)[0], rtol=1e-5, atol=1e-5)
    x64, w64 = x.detach().double(), w.detach().double()
    eps = 1e-6
    bump = torch.zeros_like(w64)
    bump[1, 2, 0, 1] = eps
    f = lambda ww: F.conv2d(x64, ww, None, 1, 1).pow(2).sum().item()
    numeric = (f(w64 + bump) - f(w64 - bump)) / (2 * eps)
    assert abs(gw[1, 2, 0, 1].item() - numeric) <= 1e-4 * max(1.0, abs(numeric))


def test_conv_route_applies_only_where_it_pays():
    big = torch.randn(32, 64, 16, 16)
    w = torch.randn(64, 64, 3, 3, requires_grad=True)
    assert not conv_grad.eligible(big, w, (1, 1), (1, 1), (1, 1), 1)  # 256 positions, 576 patch
    small = torch.randn(8, 64, 2, 2)
    assert conv_grad.eligible(small, w, (1, 1), (1, 1), (1, 1), 1)
    assert not conv_grad.eligible(small, w, (1, 1), (1, 1), (1, 1), 2)
    assert not conv_grad.eligible(small, w, (1, 1), (1, 1), (2, 2), 1)
    assert not conv_grad.eligible(small.double(), w.double(), (1, 1), (1, 1), (1, 1), 1)
    assert not conv_grad.eligible(small, w.detach(), (1, 1), (1, 1), (1, 1), 1)
    with torch.no_grad():
        assert not conv_grad.eligible(small, w, (1, 1), (1, 1), (1, 1), 1)


def test_nd_convolution_training_step_through_gemm_route():
    """Through the operator under autograd: weight and data gradients equal a float64
    NumPy reference (im2col) to float32 rounding."""
    rs = np.random.RandomState(2)
    data = rs.randn(4, 8, 2, 2).astype(np.float32)
    weight = rs.randn(6, 8, 3, 3).astype(np.float32)
    x, w = mx.nd.array(data), mx.nd.array(weight)
    x.attach_grad()
    w.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Convolution(x, w, kernel=(3, 3), pad=(1, 1), num_filter=6, no_bias=True)
    head = rs.randn(*y.shape).astype(np.float32)
    y.backward(mx.nd.array(head))
    padded = np.pad(data.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.stack([padded[:, :, i:i + 2, j:j + 2] for i in range(3) for j in range(3)], 2)
    want_w = np.einsum("nohw,nckhw->ock", head, cols).reshape(weight.shape)
    np.testing.assert_allclose(w.grad.asnumpy(), want_w, rtol=1e-4, atol=1e-4)
    want_y = np.einsum("ock,nckhw->nohw", weight.reshape(6, 8, 9).astype(np.float64), cols)
    np.testing.assert_allclose(y.asnumpy(), want_y, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_pool_second_order_gradients_match_torch(name):
    x = torch.randn(8, 64, 16, 16, requires_grad=True)
    assert fast_pool.eligible(x, fast_pool.MIN_ELEMENTS_AVG)
    results = []
    for pool in (getattr(F, name), getattr(fast_pool, name)):
        y = pool(x, 3, 2, 1)
        g, = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)
        results.append(torch.autograd.grad(g.pow(2).sum(), x)[0])
    assert torch.equal(results[0], results[1])
