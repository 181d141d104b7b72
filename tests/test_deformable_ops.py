"""_contrib_DeformablePSROIPooling against values captured from MXNet 1.9.1.

Fixture: tests/fixtures/deformable_psroi.json (tools/gen_deformable_psroi_fixture.py); inputs
are rebuilt from the stored seeds. Tolerances: output and gradients within 1e-5 absolute /
1e-5 relative of the oracle (float32; only the summation order differs).
"""
import importlib.util
import json
import os

import numpy as np
import pytest
import torch

import mxtorch as mx
from mxtorch.base import MXNetError

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "gen_dpsroi", os.path.join(HERE, "..", "tools", "gen_deformable_psroi_fixture.py"))
_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gen)

with open(os.path.join(HERE, "fixtures", "deformable_psroi.json")) as _f:
    CASES = json.load(_f)["cases"]

TOL = dict(rtol=1e-5, atol=1e-5)


def _inputs(case):
    batch, height, width, num_rois, classes = case["shape"]
    return _gen.make_inputs(case["attrs"], batch, height, width, num_rois, classes, case["seed"])


@pytest.mark.parametrize("case", CASES, ids=[f"seed{c['seed']}" for c in CASES])
def test_matches_oracle_forward_and_gradients(case):
    attrs = case["attrs"]
    data, rois, trans, head = _inputs(case)
    d, t = mx.nd.array(data), mx.nd.array(trans)
    d.attach_grad()
    t.attach_grad()
    args = (d, mx.nd.array(rois)) if attrs.get("no_trans") else (d, mx.nd.array(rois), t)
    with mx.autograd.record():
        out = mx.nd.contrib.DeformablePSROIPooling(*args, **attrs)
    out.backward(mx.nd.array(head))
    np.testing.assert_allclose(out.asnumpy(), np.array(case["output"]), **TOL)
    np.testing.assert_allclose(d.grad.asnumpy(), np.array(case["grad_data"]), **TOL)
    if "grad_trans" in case:
        np.testing.assert_allclose(t.grad.asnumpy(), np.array(case["grad_trans"]), **TOL)


def test_oracle_cases_exercise_the_edges():
    """The captured cases include empty bins (all samples outside the image), class-aware
    trans and nonzero trans gradients, so the comparisons above cover those rules."""
    outs = np.concatenate([np.ravel(c["output"]) for c in CASES])
    assert (outs == 0).any() and (outs != 0).mean() > 0.8
    assert any(len(c.get("grad_trans", [[]])[0]) > 2 for c in CASES)
    assert any(np.abs(c.get("grad_trans", [0])).max() > 0 for c in CASES)


def _pool(data, rois, trans, **attrs):
    from mxtorch.ops.deformable_pool import deformable_psroi_pooling
    full = dict(part_size=0, sample_per_part=2, trans_std=0.2, no_trans=False)
    full.update(attrs)
    return deformable_psroi_pooling(data, rois, trans, **full)


def test_numerical_gradient_inside_the_image():
    """float64 gradcheck w.r.t. data and trans where every sample stays inside the image
    (there MXNet's gradient is the true derivative)."""
    g = torch.Generator().manual_seed(0)
    data = torch.rand((1, 8, 12, 12), generator=g, dtype=torch.float64, requires_grad=True)
    rois = torch.tensor([[0, 6.0, 6.0, 16.0, 14.0], [0, 8.0, 4.0, 14.0, 18.0]], dtype=torch.float64)
    trans = (0.3 * torch.rand((2, 4, 2, 2), generator=g, dtype=torch.float64) - 0.15) \
        .requires_grad_()
    attrs = dict(spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2)
    assert torch.autograd.gradcheck(lambda d, t: _pool(d, rois, t, **attrs), (data, trans))


def test_no_trans_ignores_offsets_and_symbol_layout():
    data = mx.nd.array(np.random.RandomState(0).rand(1, 8, 6, 6))
    rois = mx.nd.array([[0, 1, 1, 4, 4]])
    attrs = dict(spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2, sample_per_part=2)
    plain = mx.nd.contrib.DeformablePSROIPooling(data, rois, no_trans=True, **attrs)
    zero = mx.nd.contrib.DeformablePSROIPooling(data, rois, mx.nd.zeros((1, 2, 2, 2)), **attrs)
    np.testing.assert_allclose(plain.asnumpy(), zero.asnumpy(), rtol=1e-6)
    # oracle: [0.580589, 0.57694334, 0.31166494, 0.54199487, 0.6677427, 0.6140527, ...]
    np.testing.assert_allclose(plain.asnumpy().ravel()[:6], [0.580589, 0.57694334, 0.31166494,
                                                            0.54199487, 0.6677427, 0.6140527],
                               rtol=1e-6)
    sym = mx.sym.contrib.DeformablePSROIPooling(mx.sym.var("data"), mx.sym.var("rois"),
                                                mx.sym.var("trans"), **attrs)
    assert sym.list_arguments() == ["data", "rois", "trans"]
    assert sym.list_outputs() == [sym.name + "_output"]
    _, out_shapes, _ = sym.infer_shape(data=(1, 8, 6, 6), rois=(3, 5), trans=(3, 4, 2, 2))
    assert out_shapes == [(3, 2, 2, 2)]
    nt = mx.sym.contrib.DeformablePSROIPooling(mx.sym.var("data"), mx.sym.var("rois"),
                                               no_trans=True, **attrs)
    assert nt.list_arguments() == ["data", "rois"]


def test_zero_samples_and_foreign_batch_give_zero():
    data = mx.nd.ones((1, 8, 6, 6))
    attrs = dict(spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2)
    out = mx.nd.contrib.DeformablePSROIPooling(data, mx.nd.array([[0, 1, 1, 4, 4]]),
                                               mx.nd.zeros((1, 4, 2, 2)), sample_per_part=0,
                                               **attrs)
    assert out.shape == (1, 2, 2, 2) and not out.asnumpy().any()
    out = mx.nd.contrib.DeformablePSROIPooling(data, mx.nd.array([[3, 1, 1, 4, 4]]),
                                               no_trans=True, **attrs)
    assert not out.asnumpy().any()


@pytest.mark.parametrize("data_shape, trans_shape, match", [
    ((1, 7, 6, 6), (1, 4, 2, 2), "channels"),
    ((1, 8, 6, 6), (1, 6, 2, 2), "divisible"),
    ((1, 8, 6, 6), (2, 4, 2, 2), "trans must be"),
    ((1, 8, 6, 6), (1, 4, 3, 3), "trans must be"),
])
def test_bad_shapes_name_the_op(data_shape, trans_shape, match):
    with pytest.raises(MXNetError, match=match):
        mx.nd.contrib.DeformablePSROIPooling(
            mx.nd.ones(data_shape), mx.nd.array([[0, 1, 1, 4, 4]]), mx.nd.zeros(trans_shape),
            spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2)


def test_integer_data_is_refused():
    with pytest.raises(MXNetError, match="floating-point"):
        mx.nd.contrib.DeformablePSROIPooling(
            mx.nd.ones((1, 8, 6, 6), dtype="int32"), mx.nd.array([[0, 1, 1, 4, 4]], dtype="int32"),
            no_trans=True, spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2)
