"""Writes tests/fixtures/libs/gluonnlp/*.npz from real MXNet 1.9.1 (not run by CI).

Run from the repository root:  ~/mxref/bin/python tools/libs/gluonnlp/make_fixtures.py
"""
import numpy as np
import mxnet as mx

OUT = 'tests/fixtures/libs/gluonnlp/'


def adamw():
    """One step of each AdamW kernel BERTAdam uses (single, multi, mp, multi_mp)."""
    rs = np.random.RandomState(0)
    w, g = (rs.uniform(-1, 1, (256,)).astype('float32') for _ in range(2))
    v0 = rs.uniform(0, 1e-3, (256,)).astype('float32')
    m0 = rs.uniform(0, 1e-2, (256,)).astype('float32')
    res = dict(w=w, g=g, m0=m0, v0=v0)
    kw = dict(beta1=0.9, beta2=0.999, epsilon=1e-6)
    for kind in ('single', 'multi', 'mp', 'multi_mp'):
        mp = kind.endswith('mp')
        m, v, w32 = mx.nd.array(m0), mx.nd.array(v0), mx.nd.array(w)
        wa = w32.astype('float16') if mp else mx.nd.array(w)
        ga = mx.nd.array(g).astype('float16') if mp else mx.nd.array(g)
        sc = mx.nd.full((1,), 0.5)
        if kind == 'single':
            mx.nd.contrib.adamw_update(wa, ga, m, v, sc, lr=1, wd=0.01, eta=0.1, out=wa, **kw)
        elif kind == 'mp':
            mx.nd.contrib.mp_adamw_update(wa, ga, m, v, w32, sc, lr=1, wd=0.01, eta=0.1,
                                          out=wa, **kw)
        elif kind == 'multi':
            mx.nd.contrib.multi_adamw_update([wa], [ga], [m], [v], sc, lrs=[1.0], wds=[0.01],
                                             etas=[0.1], size=1, out=[wa], **kw)
        else:
            mx.nd.contrib.multi_mp_adamw_update([wa], [ga], [m], [v], [w32], sc, lrs=[1.0],
                                                wds=[0.01], etas=[0.1], size=1, out=[wa],
                                                **kw)
        res.update({kind + '_w': (w32 if mp else wa).asnumpy(), kind + '_m': m.asnumpy(),
                    kind + '_v': v.asnumpy()})
    np.savez(OUT + 'adamw.npz', **res)


if __name__ == '__main__':
    adamw()
