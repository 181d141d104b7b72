"""The math of every differentiable golden case, checked numerically: torch.autograd.gradcheck
in float64 through ``ops.invoke`` (central differences vs. the analytic gradient).

The golden tests pin MXNet's numbers; this pins that those gradients are true derivatives.
Excluded: ops whose MXNet gradient is deliberately not the derivative (loss layers that ignore
the head gradient, BlockGrad, gradient multipliers), random ops, and the cases the fixture
generator found non-smooth at the sampled point (kinks, ties).
"""
import json
import os

import numpy as np
import pytest
import torch

import mxtorch as mx  # noqa: F401  (registers the operators)
from mxtorch.ops import REGISTRY, invoke
from optable import CASES, OPS_DIR

with open(os.path.join(OPS_DIR, "index.json")) as f:
    _INDEX = json.load(f)
NON_SMOOTH = {m["case"] for m in _INDEX["fd_mismatch"]}
NOT_A_DERIVATIVE = {"BlockGrad", "stop_gradient", "MakeLoss", "make_loss",
                    "contrib.gradientmultiplier", "SoftmaxOutput", "SVMOutput",
                    "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput",
                    "contrib.round_ste", "contrib.sign_ste", "Dropout", "CTCLoss"}
# Integer-valued or piecewise-constant maps: their derivative is 0 almost everywhere, which
# central differences can only confirm away from the jumps the fixtures sample.
STEP_FUNCTIONS = {"sign", "round", "rint", "fix", "floor", "ceil", "trunc"}
# Cases that sample a kink on purpose (the fixture pins MXNet's gradient at exactly 0).
AT_A_KINK = {"relu/float32"}


def _eligible(case):
    meta = case.meta
    if not meta["grads"] or meta.get("grad_ignores_head") or "grad_error" in meta:
        return False
    if case.op in NOT_A_DERIVATIVE or case.op in STEP_FUNCTIONS or case.id in NON_SMOOTH \
            or case.id in AT_A_KINK:
        return False
    if meta.get("json_op") not in REGISTRY:
        return False
    return all(d in ("float32", "float64") for d, n in zip(meta["input_dtypes"],
                                                           meta["inputs"])
               if n in meta["grads"])


CHECK = [c for c in CASES if _eligible(c)]


@pytest.mark.parametrize("case", CHECK, ids=lambda c: c.id)
def test_gradient_is_the_derivative(case):
    op = REGISTRY[case.meta["json_op"]]
    attrs = op.parse_attrs(case.meta["attrs"])
    names = case.meta["inputs"]
    values = case.inputs()
    wanted = [n in case.meta["grads"] for n in names]
    is_train = case.meta["is_train"]

    def as_tensor(v, grad):
        t = torch.from_numpy(np.ascontiguousarray(v))
        if t.is_floating_point():
            t = t.double()
        return t.requires_grad_(grad)
    tensors = [as_tensor(v, w) for v, w in zip(values, wanted)]
    order = op.input_names(attrs, len(tensors))
    by_name = dict(zip(names, tensors))
    ordered = [by_name[n] for n in order] if set(order) == set(names) else tensors
    variables = [t for t in ordered if t.requires_grad]

    def run(*free):
        it = iter(free)
        args = [next(it) if t.requires_grad else t.clone() for t in ordered]
        out = invoke(op, args, attrs, is_train)
        outs = [out] if isinstance(out, torch.Tensor) else list(out)
        return tuple(outs[i] for i in case.meta["head_outputs"] if outs[i].is_floating_point())

    assert torch.autograd.gradcheck(run, variables, eps=1e-6, atol=1e-5, rtol=1e-3,
                                    nondet_tol=1e-7)


def test_enough_cases_are_checked():
    assert len(CHECK) >= 200
