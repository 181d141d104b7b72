"""Optimizer updates with row_sparse gradients (lazy updates), replayed from MXNet 1.9.1.

Fixture: tests/fixtures/sparse_updates.json (tools/gen_sparse_updates.py). Each case applies
four gradients (a stored all-zero row, unsorted rows, no rows, clipped/rescaled values) to a
weight and its states in every storage combination; values agree within rtol=1e-5,
atol=1e-6 (float32), storage types exactly.
"""
import json
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError

nd = mx.nd
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "sparse_updates.json")
with open(FIXTURE) as _f:
    DATA = json.load(_f)
SHAPE = tuple(DATA["shape"])
FUNCS = {"sgd_update": "sgd_update", "sgd_mom_update": "sgd_mom_update",
         "adam_update": "adam_update", "ftrl_update": "ftrl_update",
         "_sparse_adagrad_update": "sparse.adagrad_update",
         "_contrib_group_adagrad_update": "contrib.group_adagrad_update"}


def _func(op):
    f = nd
    for part in FUNCS[op].split("."):
        f = getattr(f, part)
    return f


def _rsp(rows, data):
    values = np.asarray(data, dtype="float32").reshape((len(rows),) + SHAPE[1:])
    return nd.sparse.row_sparse_array((values, np.asarray(rows, dtype="int64")), shape=SHAPE)


def _case_id(case):
    attrs = case["attrs"]
    lazy = {True: "-lazy", False: "-std"}.get(attrs.get("lazy_update"), "")
    clip = "-clip" if "clip_gradient" in attrs else ""
    return f"{case['op']}{lazy}{clip}-{case['weight_stype']}-{case['state_stype']}"


CASES = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_update_matches_mxnet(case):
    w = nd.array(np.asarray(case["weight"], dtype="float32")).tostype(case["weight_stype"])
    states = [nd.array(np.asarray(s, dtype="float32")).tostype(case["state_stype"])
              for s in case["states"]]
    fn = _func(case["op"])
    if "error" in case:
        with pytest.raises(MXNetError, match=case["op"]):
            fn(w, _rsp([1, 3], np.ones((2,) + SHAPE[1:])), *states, out=w, **case["attrs"])
        return
    for k, step in enumerate(case["steps"]):
        result = fn(w, _rsp(step["rows"], step["data"]), *states, out=w, **case["attrs"])
        assert result is w
        assert w.stype == step["weight_stype"]
        np.testing.assert_allclose(w.asnumpy(), np.asarray(step["weight"]), rtol=1e-5,
                                   atol=1e-6, err_msg=f"weight after step {k}")
        for i, (s, want, stype) in enumerate(zip(states, step["states"], step["state_stypes"])):
            assert s.stype == stype
            np.testing.assert_allclose(s.asnumpy(), np.asarray(want), rtol=1e-5, atol=1e-6,
                                       err_msg=f"state {i} after step {k}")


def test_stored_zero_row_is_decayed():
    # The example (values from MXNet 1.9.1): row 3 is stored with zeros, so a lazy
    # update decays it (0.6 -> 0.57) while rows 0 and 2 stay.
    w = nd.ones((4, 2)) * 0.6
    g = nd.sparse.row_sparse_array((np.array([[1, 1], [0, 0]], "float32"), np.array([1, 3])),
                                   shape=(4, 2))
    nd.sgd_update(w, g, lr=0.1, wd=0.5, out=w)
    np.testing.assert_allclose(w.asnumpy(), [[0.6, 0.6], [0.47, 0.47], [0.6, 0.6],
                                             [0.57, 0.57]], rtol=1e-6)


def test_empty_gradient_leaves_weight_and_states():
    w, m = nd.ones((4, 2)) * 0.6, nd.ones((4, 2)) * 0.1
    nd.sgd_mom_update(w, nd.sparse.zeros("row_sparse", (4, 2)), m, lr=0.1, momentum=0.9,
                      wd=0.5, out=w)
    np.testing.assert_array_equal(w.asnumpy(), np.full((4, 2), 0.6, "float32"))
    np.testing.assert_array_equal(m.asnumpy(), np.full((4, 2), 0.1, "float32"))


def test_without_out_returns_new_weight():
    w = nd.ones((4, 2)) * 0.6
    g = nd.sparse.row_sparse_array((np.ones((1, 2), "float32"), np.array([2])), shape=(4, 2))
    new = nd.sgd_update(w, g, lr=0.1)
    np.testing.assert_allclose(new.asnumpy()[2], [0.5, 0.5], rtol=1e-6)
    np.testing.assert_array_equal(w.asnumpy(), np.full((4, 2), 0.6, "float32"))


def test_row_sparse_weight_must_store_every_row():
    # MXNet: "SGDUpdate for RowSparse weights is only implemented for RowSparse weights with
    # all rows containing non-zeros"
    w = nd.sparse.row_sparse_array((np.ones((2, 2), "float32"), np.array([0, 1])), shape=(4, 2))
    g = nd.sparse.row_sparse_array((np.ones((1, 2), "float32"), np.array([3])), shape=(4, 2))
    with pytest.raises(MXNetError, match="sgd_update.*every row"):
        nd.sgd_update(w, g, lr=0.1, out=w)


def test_dtype_and_shape_mismatch_raise():
    g = nd.sparse.row_sparse_array((np.ones((1, 2), "float32"), np.array([3])), shape=(4, 2))
    with pytest.raises(MXNetError, match="sgd_update.*float64"):
        w = nd.ones((4, 2), dtype="float64")
        nd.sgd_update(w, g, lr=0.1, out=w)
    with pytest.raises(MXNetError, match="sgd_update.*shape"):
        w = nd.ones((5, 2))
        nd.sgd_update(w, g, lr=0.1, out=w)


def test_update_with_sparse_grad_is_not_recorded():
    w = nd.ones((4, 2))
    w.attach_grad()
    g = nd.sparse.row_sparse_array((np.ones((1, 2), "float32"), np.array([0])), shape=(4, 2))
    with mx.autograd.record():
        out = nd.sgd_update(w, g, lr=0.1)
    assert not out.to_torch().requires_grad


def test_mixed_precision_update_with_sparse_gradient_is_standard():
    # MXNet 1.9.1 has no lazy kernel for mp_sgd_update: the standard update on every row
    g = nd.sparse.row_sparse_array((np.array([[1, 1], [0, 0]], "float16"), np.array([1, 3])),
                                   shape=(4, 2), dtype="float16")
    w = (nd.ones((4, 2)) * 0.6).astype("float16")
    w32 = nd.ones((4, 2)) * 0.6
    nd.mp_sgd_update(w, g, w32, lr=0.1, wd=0.5, out=w)
    np.testing.assert_allclose(w32.asnumpy(), [[0.57, 0.57], [0.47, 0.47], [0.57, 0.57],
                                               [0.57, 0.57]], rtol=1e-6)
