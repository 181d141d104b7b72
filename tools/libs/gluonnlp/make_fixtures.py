"""Writes tests/fixtures/libs/gluonnlp/*.npz from real MXNet 1.9.1 (not run by CI).

Run from the repository root:  ~/mxref/bin/python tools/libs/gluonnlp/make_fixtures.py
"""
import numpy as np
import mxnet as mx

OUT = 'tests/fixtures/libs/gluonnlp/'


def adamw():
    """One single-precision _adamw_update step (the kernel BERTAdam uses)."""
    rs = np.random.RandomState(0)
    w, g = (rs.uniform(-1, 1, (256,)).astype('float32') for _ in range(2))
    v0 = rs.uniform(0, 1e-3, (256,)).astype('float32')
    m0 = rs.uniform(0, 1e-2, (256,)).astype('float32')
    wa, m, v = mx.nd.array(w), mx.nd.array(m0), mx.nd.array(v0)
    mx.nd.contrib.adamw_update(wa, mx.nd.array(g), m, v, mx.nd.full((1,), 0.5), lr=1, wd=0.01,
                               eta=0.1, beta1=0.9, beta2=0.999, epsilon=1e-6, out=wa)
    np.savez(OUT + 'adamw.npz', w=w, g=g, m0=m0, v0=v0, w1=wa.asnumpy(), m1=m.asnumpy(),
             v1=v.asnumpy())


if __name__ == '__main__':
    adamw()
