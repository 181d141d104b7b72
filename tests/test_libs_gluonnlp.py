"""Patterns GluonNLP 0.10.0 relies on, reproduced without gluonnlp and without MXNet.

Found with tools/libs/gluonnlp/driver.py (GluonNLP on MXNet 1.9.1 vs mxtorch); the
expected values were taken from MXNet 1.9.1.
"""
import os

import numpy as np

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


def test_adamw_update_rounds_like_mxnet():
    # gluonnlp's BERTAdam calls _adamw_update; MXNet evaluates it as an expression template:
    # var = beta2*var + (1-beta2)*(g*g), w -= eta*(lr*m/(sqrt(v)+eps) + wd*w)
    f = np.load(os.path.join(FIX, 'adamw.npz'))
    w, m, v = mx.nd.array(f['w']), mx.nd.array(f['m0']), mx.nd.array(f['v0'])
    mx.nd.contrib.adamw_update(w, mx.nd.array(f['g']), m, v, mx.nd.full((1,), 0.5), lr=1,
                               wd=0.01, eta=0.1, beta1=0.9, beta2=0.999, epsilon=1e-6, out=w)
    np.testing.assert_array_equal(m.asnumpy(), f['m1'])
    np.testing.assert_array_equal(v.asnumpy(), f['v1'])
    # the weight agrees to the last bit on all but a few elements (division/sqrt order)
    np.testing.assert_allclose(w.asnumpy(), f["w1"], rtol=0, atol=6e-8)  # 1 ulp at |w|<1
