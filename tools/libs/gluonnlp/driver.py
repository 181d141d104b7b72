"""Differential driver: GluonNLP 0.10.0 on real MXNet 1.9.1 versus mxtorch.

Needs gluonnlp (and ``packaging``) in /work/libs/gluonnlp/site and the oracle venv.
Not run by CI.  Run from the repository root::

    export PYTHONPATH=/work/libs/gluonnlp/site
    ~/mxref/bin/python tools/libs/gluonnlp/driver.py --backend mxnet
    .venv/bin/python tools/libs/gluonnlp/driver.py --backend mxtorch
    .venv/bin/python tools/libs/gluonnlp/driver.py --compare
    ~/mxref/bin/python tools/libs/gluonnlp/driver.py --cross   # MXNet loads mxtorch's exports

The MXNet run initialises every network and saves its parameters under
``/tmp/gnlp_drv/w``; the mxtorch run loads them, so both compute with identical
weights.  Each run pickles its results to ``/tmp/gnlp_drv/<backend>.pkl``;
``--compare`` diffs them (float32: rtol 1e-4, atol 1e-5 unless a case says
otherwise) and writes ``/tmp/gnlp_drv/report.json``.  ``-k WORD`` runs only
cases whose name contains WORD.
"""
import argparse
import json
import os
import pickle
import sys
import traceback
import zlib

import numpy as np

from cases import CASES  # noqa: E402  (same directory)

ROOT = '/tmp/gnlp_drv'


class Env:
    """What a case needs: the mx module, gluonnlp, and weight sharing."""

    def __init__(self, backend):
        self.backend = backend
        self.oracle = backend == 'mxnet'
        if not self.oracle:
            import mxtorch.compat
            mxtorch.compat.install()
        import mxnet
        import gluonnlp
        self.mx = mxnet
        self.nlp = gluonnlp
        self.wdir = os.path.join(ROOT, 'w')
        self.xdir = os.path.join(ROOT, 'export', backend)
        os.makedirs(self.wdir, exist_ok=True)
        os.makedirs(self.xdir, exist_ok=True)

    def share(self, net, key, *warmup, init=None, before_save=None):
        """Initialise in the oracle and save; load the same weights in mxtorch."""
        path = os.path.join(self.wdir, key + '.params')
        mx = self.mx
        if self.oracle:
            net.initialize(init or mx.init.Normal(0.05), force_reinit=True)
            if warmup:
                net(*warmup)
            # re-randomise biases/gammas too so that every parameter matters
            rs = np.random.RandomState(zlib.crc32(key.encode()))
            for name, p in sorted(net.collect_params().items()):
                p.set_data(mx.nd.array(rs.uniform(-0.1, 0.1, p.shape)
                                       + (1.0 if name.endswith('gamma') else 0.0),
                                       dtype=p.dtype))
            if before_save:
                before_save()
            net.save_parameters(path)
        else:
            net.load_parameters(path)
        return net

    def run_fwd(self, net, key, *args, export=True):
        """Imperative, hybridized and exported+reimported forward outputs."""
        out = {'imp': flat(net(*args))}
        net.hybridize()
        out['hyb'] = flat(net(*args))
        out['hyb2'] = flat(net(*args))
        if export:
            prefix = os.path.join(self.xdir, key)
            net.export(prefix)
            names = ['data%d' % i for i in range(len(args))] if len(args) > 1 else ['data']
            blk = self.mx.gluon.SymbolBlock.imports(prefix + '-symbol.json', names,
                                                    prefix + '-0000.params')
            out['exp'] = flat(blk(*args))
            ios = {'in%d' % i: a for i, a in enumerate(args)}
            ios.update({'out%d' % i: self.mx.nd.array(o) for i, o in enumerate(out['exp'])})
            self.mx.nd.save(prefix + '-io.nd', ios)
        return out


def flat(x):
    """Nested outputs -> list of numpy arrays / python values."""
    if isinstance(x, (list, tuple)):
        res = []
        for v in x:
            res.extend(flat(v))
        return res
    if hasattr(x, 'asnumpy'):
        return [x.asnumpy()]
    return [x]


def run(backend, key_filter):
    env = Env(backend)
    results = {}
    for name, fn in CASES.items():
        if key_filter and key_filter not in name:
            continue
        np.random.seed(0)
        env.mx.random.seed(0)
        try:
            results[name] = {'ok': True, 'out': fn(env)}
        except Exception as exc:  # record the failure, keep going
            results[name] = {'ok': False, 'err': '%s: %s' % (type(exc).__name__, exc),
                             'tb': traceback.format_exc()[-3000:]}
        print('%-40s %s' % (name, 'ok' if results[name]['ok'] else results[name]['err'][:300]),
              flush=True)
    path = os.path.join(ROOT, backend + '.pkl')
    old = {}
    if key_filter and os.path.exists(path):
        with open(path, 'rb') as f:
            old = pickle.load(f)
    old.update(results)
    with open(path, 'wb') as f:
        pickle.dump(old, f)


def same(a, b, rtol, atol):
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return 'keys %s vs %s' % (sorted(a), sorted(b))
        for k in a:
            r = same(a[k], b[k], rtol, atol)
            if r:
                return '%s: %s' % (k, r)
        return ''
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return 'length %d vs %d' % (len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            r = same(x, y, rtol, atol)
            if r:
                return '[%d] %s' % (i, r)
        return ''
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return 'shape %s vs %s' % (a.shape, b.shape)
        if a.dtype != b.dtype:
            return 'dtype %s vs %s' % (a.dtype, b.dtype)
        if a.dtype.kind in 'fc':
            if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
                return 'max abs diff %.3g' % np.max(np.abs(a - b))
        elif not np.array_equal(a, b):
            return 'values differ'
        return ''
    if isinstance(a, float) and isinstance(b, float):
        return '' if np.isclose(a, b, rtol=rtol, atol=atol) else '%r vs %r' % (a, b)
    return '' if a == b else '%r vs %r' % (a, b)


def cross():
    """MXNet imports every graph mxtorch exported and must reproduce mxtorch's outputs."""
    import mxnet as mx
    xdir = os.path.join(ROOT, 'export', 'mxtorch')
    report, npass = {}, 0
    for fn in sorted(os.listdir(xdir)):
        if not fn.endswith('-symbol.json'):
            continue
        key = fn[:-len('-symbol.json')]
        prefix = os.path.join(xdir, key)
        try:
            io = mx.nd.load(prefix + '-io.nd')
            nin = len([k for k in io if k.startswith('in')])
            names = ['data%d' % i for i in range(nin)] if nin > 1 else ['data']
            blk = mx.gluon.SymbolBlock.imports(prefix + '-symbol.json', names,
                                               prefix + '-0000.params')
            got = flat(blk(*[io['in%d' % i] for i in range(nin)]))
            want = [io['out%d' % i].asnumpy() for i in range(len(got))]
            diff = same(want, got, 1e-4, 1e-5)
        except Exception as exc:  # pylint: disable=broad-except
            diff = '%s: %s' % (type(exc).__name__, str(exc)[:300])
        report[key] = diff
        npass += not diff
        print('%-30s %s' % (key, 'PASS' if not diff else 'FAIL ' + diff))
    print('exports loaded by MXNet: %d / %d' % (npass, len(report)))
    with open(os.path.join(ROOT, 'cross.json'), 'w') as f:
        json.dump(report, f, indent=1)


def compare():
    with open(os.path.join(ROOT, 'mxnet.pkl'), 'rb') as f:
        ref = pickle.load(f)
    with open(os.path.join(ROOT, 'mxtorch.pkl'), 'rb') as f:
        got = pickle.load(f)
    report, npass = {}, 0
    for name in CASES:
        if name not in ref:
            continue
        r, g = ref[name], got.get(name, {'ok': False, 'err': 'not run'})
        tol = getattr(CASES[name], 'tol', (1e-4, 1e-5))
        if r['ok'] and g['ok']:
            diff = same(r['out'], g['out'], *tol)
        elif not r['ok'] and not g['ok']:
            diff = '' if r['err'].split(':')[0] == g['err'].split(':')[0] else \
                'errors differ: %s | %s' % (r['err'][:200], g['err'][:200])
        else:
            diff = 'mxnet: %s | mxtorch: %s' % (r.get('err', 'ok')[:300], g.get('err', 'ok')[:300])
        report[name] = {'pass': not diff, 'diff': diff}
        npass += not diff
        print('%-40s %s' % (name, 'PASS' if not diff else 'FAIL ' + diff[:400]))
    print('passed %d / %d' % (npass, len(report)))
    with open(os.path.join(ROOT, 'report.json'), 'w') as f:
        json.dump({'passed': npass, 'total': len(report), 'cases': report}, f, indent=1)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--backend', choices=['mxnet', 'mxtorch'])
    ap.add_argument('--compare', action='store_true')
    ap.add_argument('--cross', action='store_true', help='(oracle) load mxtorch exports')
    ap.add_argument('-k', default='')
    a = ap.parse_args()
    os.makedirs(ROOT, exist_ok=True)
    if a.compare:
        compare()
    elif a.cross:
        cross()
    else:
        run(a.backend, a.k)
