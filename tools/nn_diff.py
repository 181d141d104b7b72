"""Differential test of gluon.nn / gluon.contrib.nn / contrib.cnn / gluon.loss against real MXNet 1.9.1.

Needs the oracle (~/mxref/bin/python); not run by CI. Three commands:

    # run the oracle over the layer table and write its answers (also the CI fixture)
    ~/mxref/bin/python tools/nn_diff.py capture --out tests/fixtures/nn_layers
    # compare mxtorch with a capture
    .venv/bin/python tools/nn_diff.py compare --fixture tests/fixtures/nn_layers
    # mxtorch exports every hybridizable case; real MXNet imports and runs each
    .venv/bin/python tools/nn_diff.py export --out DIR && ~/mxref/bin/python tools/nn_diff.py import --out DIR
    # all of the above (capture into a temp dir through the oracle, compare, export/import)
    .venv/bin/python tools/nn_diff.py

What is compared, per case of ``tests/nn_layer_cases.py``: parameter names and shapes before
and after deferred init, ``repr`` before and after, outputs, input and parameter gradients and
updated auxiliary states (rtol 1e-5, atol 1e-6; gradients 1e-4/1e-5), both imperative and
hybridized; and, per public class of the three modules, constructor parameters and defaults.
"""
import argparse
import inspect
import json
import re
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests'))
import nn_layer_cases as T  # noqa: E402

ORACLE = os.path.expanduser('~/mxref/bin/python')
# case -> compared items left out, for documented MXNet bugs (COMPAT.md, compat/nn.md)
KNOWN = {'selu': ('grad_in/0',)}
MODULES = ('gluon.nn', 'gluon.contrib.nn', 'gluon.contrib.cnn', 'gluon.loss')


def _default(value):
    """repr of a default without object addresses or the framework's package name."""
    text = re.sub(r' at 0x[0-9a-f]+', '', repr(value))
    return re.sub(r'<(mxnet|mxtorch)\.', '<', text)


def signatures(mx):
    """{module: {class: [(param, default repr), ...]}} of the public classes."""
    out = {}
    for path in MODULES:
        mod = mx
        for part in path.split('.'):
            mod = getattr(mod, part)
        table = {}
        for name in sorted(dir(mod)):
            obj = getattr(mod, name)
            if name.startswith('_') or not inspect.isclass(obj):
                continue
            try:
                sig = inspect.signature(obj.__init__)
            except (TypeError, ValueError):
                continue
            table[name] = [(p.name, None if p.default is p.empty else _default(p.default))
                           for p in list(sig.parameters.values())[1:]]
        out[path] = table
    return out


def capture(out):
    import mxnet as mx
    meta, arrays = {'cases': {}, 'signatures': signatures(mx)}, {}
    for case in T.CASES:
        cid = case[0]
        try:
            res = T.run_case(mx, case)
        except Exception as err:  # the oracle's refusal is an answer too
            try:
                mx.nd.waitall()        # MXNet reports async errors late: flush them here
            except Exception:
                pass
            meta['cases'][cid] = {'error': f'{type(err).__name__}: {err}'[:300]}
            continue
        meta['cases'][cid] = {k: res[k] for k in ('repr_before', 'repr_after',
                                                  'shapes_before', 'shapes_after')}
        arrays[f'{cid}/out'] = res['out']
        for i, g in enumerate(res['grad_in']):
            arrays[f'{cid}/grad_in/{i}'] = g
        for group in ('params', 'grad_param', 'params_after'):
            for rel, val in res[group].items():
                arrays[f'{cid}/{group}/{rel}'] = val
    with open(out + '.json', 'w') as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    np.savez_compressed(out + '.npz', **arrays)
    print(f'captured {len(T.CASES)} cases into {out}.json/.npz')


def load(prefix):
    with open(prefix + '.json') as f:
        meta = json.load(f)
    return meta, dict(np.load(prefix + '.npz'))


def group(arrays, cid, name):
    key = f'{cid}/{name}/'
    return {k[len(key):]: v for k, v in arrays.items() if k.startswith(key)}


def compare_case(mx, case, meta, arrays, hybridize):
    """Mismatch messages of one case (empty when mxtorch agrees)."""
    cid = case[0]
    want = meta['cases'][cid]
    try:
        res = T.run_case(mx, case, values=group(arrays, cid, 'params'), hybridize=hybridize)
    except Exception as err:
        return [f'raised {type(err).__name__}: {err}'[:300]]
    # repr holds the global block counter (SyncBatchNorm's key): checked imperatively only
    keys = ('shapes_before', 'shapes_after') + (() if hybridize else ('repr_before',
                                                                      'repr_after'))
    bad = [f'{k}: {res[k]!r} != {want[k]!r}' for k in keys
           if (res[k] if 'repr' in k else {a: list(b) for a, b in res[k].items()}) != want[k]]
    pairs = [('out', res['out'], arrays[f'{cid}/out'], 1e-5, 1e-6)]
    pairs += [(f'grad_in/{i}', g, arrays[f'{cid}/grad_in/{i}'], 1e-4, 1e-5)
              for i, g in enumerate(res['grad_in'])]
    for name, tol in (('grad_param', (1e-4, 1e-5)), ('params_after', (1e-5, 1e-6))):
        theirs = group(arrays, cid, name)
        if set(theirs) != set(res[name]):
            bad.append(f'{name} keys {sorted(res[name])} != {sorted(theirs)}')
        pairs += [(f'{name}/{k}', res[name][k], v, *tol) for k, v in theirs.items()
                  if k in res[name]]
    if cid in KNOWN:
        pairs = [p for p in pairs if p[0] not in KNOWN[cid]]
    for name, got, exp, rtol, atol in pairs:
        if got.shape != exp.shape or not np.allclose(got, exp, rtol=rtol, atol=atol):
            err = np.abs(got - exp).max() if got.shape == exp.shape else 'shape'
            bad.append(f'{name}: max abs diff {err} (shape {got.shape} vs {exp.shape})')
    return bad


def compare(prefix):
    import mxtorch as mx
    meta, arrays = load(prefix)
    total = failed = 0
    for case in T.CASES:
        if 'error' in meta['cases'].get(case[0], {}):
            print(f'{case[0]}: oracle refused ({meta["cases"][case[0]]["error"]})')
            continue
        for hyb in ((False, True) if case[3].get('hybrid', True) else (False,)):
            total += 1
            bad = compare_case(mx, case, meta, arrays, hyb)
            if bad:
                failed += 1
                print(f"{case[0]}{' [hybridized]' if hyb else ''}:\n  " + '\n  '.join(bad))
    ours = signatures(mx)
    sig_bad = 0
    for mod, table in meta['signatures'].items():
        for cls, params in table.items():
            mine = ours.get(mod, {}).get(cls)
            if mine is None:
                print(f'signature {mod}.{cls}: missing')
                sig_bad += 1
            elif [tuple(p) for p in params] != [tuple(p) for p in mine]:
                print(f'signature {mod}.{cls}: {mine} != {params}')
                sig_bad += 1
    print(f'{total - failed}/{total} case runs agree; {sig_bad} signature differences')
    return failed


def export_all(folder):
    """mxtorch side: export every hybridizable case (predict-mode outputs alongside)."""
    import mxtorch as mx
    outputs = {}
    for case in T.CASES:
        if not case[3].get('hybrid', True):
            continue
        net = T.build(mx, case)
        T.run_case(mx, case, net=net, hybridize=True)
        inputs = [mx.nd.array(a, dtype=a.dtype) for a in T.make_inputs(case)]
        outputs[case[0]] = net(*inputs).asnumpy()
        net.export(os.path.join(folder, case[0]))
    for case, arrays in _loss_cases():
        net = getattr(mx.gluon.loss, case['loss'])(**case['kwargs'])
        net.hybridize()
        outputs[_loss_id(case)] = net(*[mx.nd.array(a, dtype=a.dtype) for a in arrays]).asnumpy()
        net.export(os.path.join(folder, _loss_id(case)))
    np.savez(os.path.join(folder, 'outputs.npz'), **outputs)


def _loss_id(case):
    return f"loss_{case['loss']}_{case['case']}"


def _loss_cases():
    """(case, input arrays) of the loss fixture cases without None arguments."""
    folder = os.path.join(ROOT, 'tests', 'fixtures', 'losses')
    with open(os.path.join(folder, 'index.json')) as f:
        cases = json.load(f)['cases']
    for case in cases:
        if None not in case['call_args']:
            data = np.load(os.path.join(folder, case['file']))
            yield case, [data[f"{case['case']}/in/{a}"] for a in case['call_args']]


def import_all(folder):
    """Oracle side: load each exported case with SymbolBlock.imports and compare outputs."""
    import mxnet as mx
    outputs = dict(np.load(os.path.join(folder, 'outputs.npz')))
    bad = 0
    runs = [(c[0], T.make_inputs(c)) for c in T.CASES if c[0] in outputs]
    runs += [(_loss_id(c), arrays) for c, arrays in _loss_cases()]
    for cid, arrays in runs:
        inputs = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
        names = ['data'] if len(inputs) == 1 else [f'data{i}' for i in range(len(inputs))]
        path = os.path.join(folder, cid)
        try:
            block = mx.gluon.SymbolBlock.imports(path + '-symbol.json', names,
                                                 path + '-0000.params')
            got = block(*inputs).asnumpy()
            ok = np.allclose(got, outputs[cid], rtol=1e-5, atol=1e-6, equal_nan=True)
            msg = '' if ok else f'max abs diff {np.abs(got - outputs[cid]).max()}'
        except Exception as err:  # noqa: BLE001 - reported per case
            try:
                mx.nd.waitall()
            except Exception:  # noqa: BLE001
                pass
            ok, msg = False, f'{type(err).__name__}: {str(err).splitlines()[0][:200]}'
        if not ok:
            bad += 1
            print(f'export {cid}: real MXNet: {msg}')
    print(f'{len(runs) - bad}/{len(runs)} exported layers and losses load in MXNet 1.9.1 and '
          'agree')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('command', nargs='?',
                    choices=('capture', 'compare', 'both', 'export', 'import'),
                    default='both')
    ap.add_argument('--out', help='capture: output prefix (writes .json and .npz)')
    ap.add_argument('--fixture', default=os.path.join(ROOT, 'tests', 'fixtures', 'nn_layers'))
    args = ap.parse_args()
    if args.command == 'capture':
        capture(args.out or args.fixture)
    elif args.command == 'export':
        export_all(args.out)
    elif args.command == 'import':
        import_all(args.out)
    elif args.command == 'compare':
        sys.exit(1 if compare(args.fixture) else 0)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, 'nn')
            subprocess.check_call([ORACLE, os.path.abspath(__file__), 'capture', '--out',
                                   prefix])
            failed = compare(prefix)
            export_all(tmp)
            subprocess.check_call([ORACLE, os.path.abspath(__file__), 'import', '--out', tmp])
            sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
