"""Compare the pickled results of tools/libs/d2l/drive.py (oracle vs mxtorch); writes report.json.

Run through ``drive.py all``; ``python compare.py OUTDIR`` re-compares existing pickles.
Tolerances: float arrays rtol 1e-4 / atol 1e-5 (keys starting with ``loose_``: rtol 2e-2 / atol 1e-3,
used for long training runs where float32 rounding accumulates); everything else must be equal.
Cases that raise must raise the same exception type on both sides.
"""
import json
import os
import pickle
import sys

import numpy as onp


def _diff(a, b, key, loose):
    rtol, atol = (2e-2, 1e-3) if loose else (1e-4, 1e-5)
    if isinstance(a, onp.ndarray) or isinstance(b, onp.ndarray):
        a, b = onp.asarray(a), onp.asarray(b)
        if a.shape != b.shape:
            return f'{key}: shape {a.shape} vs {b.shape}'
        if a.dtype != b.dtype:
            return f'{key}: dtype {a.dtype} vs {b.dtype}'
        if a.dtype.kind in 'fc':
            if not onp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
                err = onp.max(onp.abs(a.astype('f8') - b.astype('f8')))
                return f'{key}: max abs diff {err:.3g}'
            return None
        return None if onp.array_equal(a, b) else f'{key}: values differ'
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f'{key}: length {len(a)} vs {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            d = _diff(x, y, f'{key}[{i}]', loose)
            if d:
                return d
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return f'{key}: keys {sorted(a)} vs {sorted(b)}'
        for k in a:
            d = _diff(a[k], b[k], f'{key}.{k}', loose or str(k).startswith('loose_'))
            if d:
                return d
        return None
    if isinstance(a, float) and isinstance(b, float):
        ok = onp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
        return None if ok else f'{key}: {a!r} vs {b!r}'
    if type(a) is not type(b):
        return f'{key}: type {type(a).__name__} vs {type(b).__name__} ({a!r} vs {b!r})'
    return None if a == b else f'{key}: {a!r} vs {b!r}'


def compare_sides(out):
    with open(os.path.join(out, 'oracle.pkl'), 'rb') as f:
        ref = pickle.load(f)
    got = {}
    path = os.path.join(out, 'mxtorch.pkl')
    if os.path.exists(path):
        with open(path, 'rb') as f:
            got = pickle.load(f)
    cases = {}
    for name, r in ref.items():
        g = got.get(name)
        if g is None:
            cases[name] = {'status': 'fail', 'detail': 'not run on mxtorch'}
        elif r['ok'] and g['ok']:
            d = _diff(r['out'], g['out'], 'out', False)
            cases[name] = {'status': 'fail' if d else 'pass', 'detail': d}
        elif not r['ok'] and not g['ok']:
            same = r['error'] == g['error']
            cases[name] = {'status': 'pass' if same else 'fail',
                           'detail': f"both raise {r['error']}: {r['message'][:200]}" if same
                           else f"{r['error']} vs {g['error']}: {g['message']}"}
        else:
            bad = g if r['ok'] else r
            side = 'mxtorch' if r['ok'] else 'oracle'
            cases[name] = {'status': 'fail',
                           'detail': f"{side} raised {bad['error']}: {bad['message']}\n{bad['trace']}"}
        cases[name]['seconds'] = {'oracle': r.get('seconds'), 'mxtorch': (g or {}).get('seconds')}
    passed = sum(c['status'] == 'pass' for c in cases.values())
    report = {'passed': passed, 'failed': len(cases) - passed, 'total': len(cases), 'cases': cases}
    with open(os.path.join(out, 'report.json'), 'w') as f:
        json.dump(report, f, indent=1)
    return report


if __name__ == '__main__':
    rep = compare_sides(sys.argv[1] if len(sys.argv) > 1 else '/tmp/d2l_diff')
    print({k: rep[k] for k in ('passed', 'failed', 'total')})
