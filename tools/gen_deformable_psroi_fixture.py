"""Capture MXNet 1.9.1's _contrib_DeformablePSROIPooling into tests/fixtures/deformable_psroi.json.

Needs the oracle venv (real MXNet 1.9.1); not run in CI:

    cd /work/main && ~/mxref/bin/python tools/gen_deformable_psroi_fixture.py

Each case stores its attributes, the input shapes and a numpy seed; the inputs are rebuilt from
the seed by ``make_inputs`` (also used by tests/test_deformable_ops.py), so only the oracle's
outputs and gradients (w.r.t. data and trans, for a seeded head gradient) are stored.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "deformable_psroi.json")

# (attrs, batch, height, width, num_rois, num_classes, seed)
CASES = [
    (dict(spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=2, sample_per_part=2,
          trans_std=0.3), 1, 6, 6, 3, 1, 0),
    (dict(spatial_scale=0.25, output_dim=3, group_size=3, pooled_size=3, sample_per_part=2,
          trans_std=0.1), 2, 9, 7, 5, 1, 1),
    (dict(spatial_scale=0.0625, output_dim=4, group_size=2, pooled_size=4, part_size=2,
          sample_per_part=3, trans_std=0.2), 2, 8, 8, 4, 2, 2),
    (dict(spatial_scale=1.0, output_dim=2, group_size=3, pooled_size=3, part_size=4,
          sample_per_part=1, trans_std=0.5), 1, 7, 9, 4, 2, 3),
    (dict(spatial_scale=0.5, output_dim=2, group_size=2, pooled_size=3, sample_per_part=4,
          trans_std=0.1, no_trans=True), 2, 6, 8, 4, 1, 4),
    (dict(spatial_scale=0.125, output_dim=3, group_size=1, pooled_size=2, sample_per_part=2,
          no_trans=True), 1, 5, 5, 3, 1, 5),
    (dict(spatial_scale=0.5, output_dim=6, group_size=2, pooled_size=2, sample_per_part=3,
          trans_std=1.0), 2, 6, 6, 3, 3, 6),
    # many rois at scale 1 with one sample per bin: samples land in the clamped border band
    (dict(spatial_scale=1.0, output_dim=1, group_size=2, pooled_size=2, sample_per_part=1,
          trans_std=0.1), 1, 5, 5, 16, 1, 7),
]


def make_inputs(attrs, batch, height, width, num_rois, classes, seed):
    """Seeded float32 inputs: data, rois (some reaching past the image), trans, head grad."""
    rng = np.random.RandomState(seed)
    group = attrs["group_size"]
    part = attrs.get("part_size") or attrs["pooled_size"]
    data = rng.uniform(-1, 1, (batch, attrs["output_dim"] * group * group, height, width))
    scale = 1.0 / attrs["spatial_scale"]
    x1 = rng.uniform(-1, width * 0.5, num_rois) * scale
    y1 = rng.uniform(-1, height * 0.5, num_rois) * scale
    x2 = x1 + rng.uniform(0.5, width * 0.6, num_rois) * scale
    y2 = y1 + rng.uniform(0.5, height * 0.6, num_rois) * scale
    rois = np.stack([rng.randint(0, batch, num_rois), x1, y1, x2, y2], 1)
    trans = rng.normal(0, 0.5, (num_rois, 2 * classes, part, part))
    pooled = attrs["pooled_size"]
    head = rng.uniform(-1, 1, (num_rois, attrs["output_dim"], pooled, pooled))
    return [a.astype(np.float32) for a in (data, rois, trans, head)]


def _run(mx, attrs, data, rois, trans, head):
    nd = mx.nd
    d, r, t = nd.array(data), nd.array(rois), nd.array(trans)
    d.attach_grad()
    t.attach_grad()
    args = (d, r) if attrs.get("no_trans") else (d, r, t)
    with mx.autograd.record():
        out = nd.contrib.DeformablePSROIPooling(*args, **attrs)
    out.backward(nd.array(head))
    rec = {"output": out.asnumpy().tolist(), "grad_data": d.grad.asnumpy().tolist()}
    if not attrs.get("no_trans"):
        rec["grad_trans"] = t.grad.asnumpy().tolist()
    return rec


def main():
    import mxnet as mx
    cases = []
    for attrs, batch, height, width, num_rois, classes, seed in CASES:
        data, rois, trans, head = make_inputs(attrs, batch, height, width, num_rois, classes, seed)
        rec = {"attrs": attrs, "shape": [batch, height, width, num_rois, classes], "seed": seed}
        rec.update(_run(mx, attrs, data, rois, trans, head))
        cases.append(rec)
    with open(OUT, "w") as f:
        json.dump({"mxnet": mx.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
