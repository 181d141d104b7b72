"""The fast paths of the SGD update kernels keep MXNet's rounding (separate products, no
fused multiply-add) exactly: checked against the plain multiply-then-subtract form."""
import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.ops import update


def _f32(a, b):
    return float(np.float32(a) * np.float32(b))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("n", [1, 7, 33, 1001, 100003])
def test_sub_scaled_is_the_rounded_product(dtype, n):
    gen = torch.Generator().manual_seed(n)
    acc = torch.randn(n, generator=gen, dtype=dtype) * 3
    x = torch.randn(n, generator=gen, dtype=dtype) * 1e3
    for c in (0.005, _f32(0.1, 1 / 128), 1e-7, 0.9):
        want = acc - x * c
        got = update._sub_scaled_(acc.clone(), x, c)
        assert torch.equal(got, want), (dtype, n, c)


def test_sub_scaled_float16_and_mixed():
    acc = torch.randn(101, dtype=torch.float16)
    x = torch.randn(101, dtype=torch.float16)
    assert torch.equal(update._sub_scaled_(acc.clone(), x, 0.01), acc - x * 0.01)
    acc32 = torch.randn(101)
    assert torch.equal(update._sub_scaled_(acc32.clone(), x, 0.01),
                       acc32 - x.float() * 0.01)


def _reference_mom(w, g, m, lr, momentum, wd, rescale, clip):
    """MXNet's sgd_mom_update written out with one rounding per operation."""
    m = m * momentum
    if wd:
        m = m - w * _f32(lr, wd)
    if clip < 0:
        term = g * _f32(lr, rescale)
    else:
        term = (g * rescale).clamp(-clip, clip) * lr
    m = m - term
    return w + m, m


@pytest.mark.parametrize("wd,clip", [(0.0, -1.0), (1e-4, -1.0), (0.0, 0.5), (1e-3, 0.01)])
def test_multi_sgd_mom_in_place_matches_the_written_out_kernel(wd, clip):
    rng = np.random.RandomState(0)
    shapes = [(17, 9), (9,), (5, 3, 2)]
    ws = [mx.nd.array(rng.randn(*s)) for s in shapes]
    gs = [mx.nd.array(rng.randn(*s) * 10) for s in shapes]
    ms = [mx.nd.array(rng.randn(*s)) for s in shapes]
    want = [_reference_mom(w._t, g._t, m._t, 0.05, 0.9, wd, 1 / 32, clip)
            for w, g, m in zip(ws, gs, ms)]
    flat = [a for t in zip(ws, gs, ms) for a in t]
    mx.nd.multi_sgd_mom_update(*flat, out=ws, num_weights=3, lrs=[0.05] * 3, wds=[wd] * 3,
                               momentum=0.9, rescale_grad=1 / 32, clip_gradient=clip)
    for w, m, (w_ref, m_ref) in zip(ws, ms, want):
        assert torch.equal(m._t, m_ref) and torch.equal(w._t, w_ref)


@pytest.mark.parametrize("wd,clip", [(0.0, -1.0), (1e-4, -1.0), (1e-3, 0.01)])
def test_multi_sgd_in_place_matches_the_written_out_kernel(wd, clip):
    rng = np.random.RandomState(1)
    shapes = [(13, 4), (4,)]
    ws = [mx.nd.array(rng.randn(*s)) for s in shapes]
    gs = [mx.nd.array(rng.randn(*s) * 10) for s in shapes]
    want = []
    for w, g in zip(ws, gs):
        term = g._t * _f32(0.05, 0.25) if clip < 0 else (g._t * 0.25).clamp(-clip, clip) * 0.05
        want.append(w._t - (w._t * _f32(0.05, wd) + term) if wd else w._t - term)
    flat = [a for t in zip(ws, gs) for a in t]
    mx.nd.multi_sgd_update(*flat, out=ws, num_weights=2, lrs=[0.05] * 2, wds=[wd] * 2,
                           rescale_grad=0.25, clip_gradient=clip)
    for w, w_ref in zip(ws, want):
        assert torch.equal(w._t, w_ref)
