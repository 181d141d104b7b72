"""Patterns GluonNLP 0.10.0 relies on, reproduced without gluonnlp and without MXNet.

Found with tools/libs/gluonnlp/driver.py (GluonNLP on MXNet 1.9.1 vs mxtorch); the
expected values were taken from MXNet 1.9.1.
"""
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.contrib.amp import amp

FIX = os.path.join(os.path.dirname(__file__), 'fixtures', 'libs', 'gluonnlp')


def test_amp_module_flags_before_init():
    # gluonnlp's attention masks read `amp._amp_initialized` on every call
    assert amp._amp_initialized is False
    assert amp._amp_loss_scale_initialized is False


def test_amp_module_flags_follow_state(monkeypatch):
    monkeypatch.setitem(amp._state, 'initialized', True)
    monkeypatch.setitem(amp._state, 'scaler_used', True)
    assert amp._amp_initialized is True
    assert amp._amp_loss_scale_initialized is True
    assert mx.contrib.amp.amp._amp_initialized is True


@pytest.mark.parametrize('kind', ['single', 'multi', 'mp', 'multi_mp'])
def test_adamw_kernels_round_like_mxnet(kind):
    # gluonnlp's BERTAdam calls these. MXNet's single-weight ops compute
    # beta*s + (1-beta)*g and (1-beta2)*(g*g); its multi-weight kernels beta*(s-g) + g and
    # beta2*(v-g*g) + g*g. The moments agree bit for bit, the weight within 1 ulp.
    f = np.load(os.path.join(FIX, 'adamw.npz'))
    mp = kind.endswith('mp')
    m, v, w32 = mx.nd.array(f['m0']), mx.nd.array(f['v0']), mx.nd.array(f['w'])
    w = w32.astype('float16') if mp else mx.nd.array(f['w'])
    g = mx.nd.array(f['g']).astype('float16') if mp else mx.nd.array(f['g'])
    sc = mx.nd.full((1,), 0.5)
    kw = dict(beta1=0.9, beta2=0.999, epsilon=1e-6)
    if kind == 'single':
        mx.nd.contrib.adamw_update(w, g, m, v, sc, lr=1, wd=0.01, eta=0.1, out=w, **kw)
    elif kind == 'mp':
        mx.nd.contrib.mp_adamw_update(w, g, m, v, w32, sc, lr=1, wd=0.01, eta=0.1, out=w, **kw)
    elif kind == 'multi':
        mx.nd.contrib.multi_adamw_update([w], [g], [m], [v], sc, lrs=[1.0], wds=[0.01],
                                         etas=[0.1], size=1, out=[w], **kw)
    else:
        mx.nd.contrib.multi_mp_adamw_update([w], [g], [m], [v], [w32], sc, lrs=[1.0],
                                            wds=[0.01], etas=[0.1], size=1, out=[w], **kw)
    np.testing.assert_array_equal(m.asnumpy(), f[kind + '_m'])
    np.testing.assert_array_equal(v.asnumpy(), f[kind + '_v'])
    np.testing.assert_allclose((w32 if mp else w).asnumpy(), f[kind + '_w'], rtol=0,
                               atol=6e-8)  # 1 ulp for |w| < 1
