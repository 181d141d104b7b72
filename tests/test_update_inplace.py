"""Multi-weight SGD updates with ``out=`` the weights run in place (no copy of the new weights)
and give exactly the out-of-place results; without ``out=`` the weights stay untouched."""
import numpy as np
import pytest

import mxtorch as mx


def _arrays(seed, mp=False):
    rng = np.random.RandomState(seed)
    shapes = [(3, 4), (5,), (2, 2, 2)]
    dtype = "float16" if mp else "float32"
    weights = [mx.nd.array(rng.randn(*s), dtype=dtype) for s in shapes]
    grads = [mx.nd.array(rng.randn(*s), dtype=dtype) for s in shapes]
    moms = [mx.nd.array(rng.randn(*s) * 0.1) for s in shapes]
    masters = [w.astype("float32") for w in weights]
    return weights, grads, moms, masters


@pytest.mark.parametrize("mp", [False, True])
@pytest.mark.parametrize("mom", [False, True])
def test_inplace_equals_out_of_place(mp, mom):
    name = "multi_" + ("mp_" if mp else "") + "sgd_" + ("mom_" if mom else "") + "update"
    op = getattr(mx.nd, name)
    kwargs = dict(lrs=[0.1, 0.05, 0.2], wds=[0.01, 0.0, 0.001], num_weights=3,
                  rescale_grad=0.5, clip_gradient=-1.0)
    if mom:
        kwargs["momentum"] = 0.9
    results = []
    for inplace in (False, True):
        weights, grads, moms, masters = _arrays(0, mp)
        flat = []
        for i in range(3):
            flat += [weights[i], grads[i]] + ([moms[i]] if mom else []) + \
                ([masters[i]] if mp else [])
        before = [w._t for w in weights]
        if inplace:
            op(*flat, out=weights, **kwargs)
            assert all(w._t is t for w, t in zip(weights, before))  # no copy, same storage
            results.append([w.asnumpy() for w in weights])
        else:
            kept = [w.asnumpy().copy() for w in weights]
            new = op(*flat, **kwargs)
            for w, k in zip(weights, kept):
                np.testing.assert_array_equal(w.asnumpy(), k)
            results.append([n.asnumpy() for n in new])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
