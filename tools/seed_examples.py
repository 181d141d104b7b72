"""Run the code examples of the seed documentation pages on MXNet 1.9.1 and on mxtorch.

Needs the oracle interpreter (real MXNet 1.9.1); not run by CI.  Usage, from the repo root::

    .venv/bin/python tools/seed_examples.py                 # every page, table to stdout
    .venv/bin/python tools/seed_examples.py --page 002 -v   # one page, show both outputs
    .venv/bin/python tools/seed_examples.py --oracle ~/mxref/bin/python

What it does:

* extracts the examples of each page in /work/shared/seeds: every run of ``>>>``/``...`` lines
  (also the ones flattened into one line on the block.py source page), plus the indented code
  blocks listed in ``CODE_BLOCKS`` (by line range), plus generated calls of every loss class the
  gluon.loss page lists (that page has no doctests; tiny deterministic data stands in);
* makes them runnable with textual repairs (``REPAIRS``: Python 2 ``print``, elided calls,
  ``pretrained=True`` -> local initialisation, ``mx.gpu`` -> ``mx.cpu``) and per-page setup code
  defining what a page assumes exists (``train_iter``, ``model_prefix``, ...);
* runs each page in one subprocess per interpreter, examples in order in one namespace (as a
  reader following the page would); ``nd.random.normal/uniform`` and the random initialisers
  are replaced by deterministic sine patterns so that values are comparable;
* records per statement what the REPL would show, ``print`` output and exception type names, and
  diffs the two transcripts: numbers with tolerance 1e-5 (abs + rel), other tokens exactly
  (memory addresses masked).
"""
import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap

SEEDS = '/work/shared/seeds'
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = 1e-5

# Indented (non-doctest) code blocks: page prefix -> [(first line, last line)] (1-based, inclusive)
CODE_BLOCKS = {
    '000': [(208, 208), (212, 212), (480, 480), (484, 484), (496, 498)],
    '003': [(139, 141), (185, 191), (351, 351), (355, 355), (391, 405), (415, 416), (552, 556)],
}

# Differences that are documented deviations (example id on its page -> where and why)
KNOWN = {
    ('000', 'L208'): 'compat/gluon_core.md: select also matches structural names (2.x)',
    ('000', 'L480'): '2.x Block.setattr; 1.9.1 lacks it',
    ('000', 'L484'): '2.x Block.setattr; 1.9.1 lacks it',
    ('000', 'L496'): '2.x share_parameters; 1.9.1 lacks it',
    ('000', 'PoissonNLLLoss full hybrid'): 'compat/gluon_nn.md: 1.9.1 cannot hybridize it',
    ('000', 'SDMLLoss hybrid'): 'compat/gluon_nn.md: 1.9.1 cannot hybridize it',
    ('001', 'L250'): 'compat/hybrid.md: export returns the file names (2.x)',
    ('004', 'L226'): 'compat/hybrid.md: export returns the file names (2.x)',
    # `mod` is the page's label-less `data * 2` module here, given labelled NDArrayIter batches
    ('002', 'L514'): 'compat/module_rnn_zoo.md: MXNet crashes on a label-less module',
}

# (regex, replacement) applied to every example before running it on both interpreters
REPAIRS = [
    (r'^print (?!\()(.+)$', r'print(\1)'),
    (r'alexnet =, ctx=mx\.cpu\(\), prefix=\'model_\'\)',
     "alexnet = gluon.model_zoo.vision.alexnet(pretrained=True, ctx=mx.cpu(), prefix='model_')"),
    (r'net1 = (\.\.\. )?prefix=', 'net1 = gluon.model_zoo.vision.resnet18_v1(prefix='),
    (r'mx\.gpu\(', 'mx.cpu('),
    (r'^image = image/255$', 'image = nd.array(_det((4, 4, 3), 255.0)).abs()/255'),
]

PRELUDE = r'''
import numpy as np
import mxnet as mx
from mxnet import gluon, nd, autograd
from mxnet.gluon import nn

def _det(shape, scale=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 + 0.3) * scale).reshape(shape).astype('float32')

def _normal(loc=0, scale=1, shape=(1,), **kw):
    return mx.nd.array(_det(shape) * scale + loc)

def _uniform(low=0, high=1, shape=(1,), **kw):
    return mx.nd.array((_det(shape) + 1) / 2 * (high - low) + low)

mx.nd.random.normal, mx.nd.random.uniform = _normal, _uniform

def _det_init(self, name, arr):
    arr[:] = mx.nd.array(_det(arr.shape, 0.1))

for _c in (mx.init.Uniform, mx.init.Normal, mx.init.Xavier, mx.init.MSRAPrelu):
    _c._init_weight = _det_init
mx.random.seed(0)
np.random.seed(0)
'''

PAGE_SETUP = {
    '002': r'''
import logging
logging.disable(logging.CRITICAL)
train_iter = mx.io.NDArrayIter(_det((8, 10)), np.arange(8) % 10, batch_size=4,
                               label_name='softmax_label')
train_dataiter = val_dataiter = eval_data = train_iter
def _fc_net():
    d = mx.sym.Variable('data')
    f = mx.sym.FullyConnected(d, name='fc1', num_hidden=128)
    f = mx.sym.Activation(f, name='relu1', act_type='relu')
    f = mx.sym.FullyConnected(f, name='fc2', num_hidden=64)
    f = mx.sym.Activation(f, name='relu2', act_type='relu')
    f = mx.sym.FullyConnected(f, name='fc3', num_hidden=10)
    return mx.sym.SoftmaxOutput(f, name='softmax')
def _make_ckpt():
    m = mx.mod.Module(_fc_net())
    m.bind(data_shapes=train_iter.provide_data, label_shapes=train_iter.provide_label)
    m.init_params()
    m.save_checkpoint('seedckpt', 3)
_make_ckpt()
model_prefix, n_epoch_load = 'seedckpt', 3
''',
}

# setup run right before the example whose first line contains the key (page prefix, text)
HOOKS = {
    ('002', '# An example of backward computation.'): r'''
mod.bind(data_shapes=train_iter.provide_data, label_shapes=train_iter.provide_label,
         inputs_need_grad=True)
mod.init_params()
train_iter.reset()
data_batch = next(train_iter)
mod.forward(data_batch, is_train=True)
''',
    ('002', '# An example of using fit for training.'): r'''
mod = mx.mod.Module(out)
''',
    # from here on the page means its first `mod` (the fc1..fc3 network) again
    ('002', '# An example of using `predict` for prediction.'): r'''
mod = mx.mod.Module(_fc_net())
mod.bind(data_shapes=train_iter.provide_data, label_shapes=train_iter.provide_label)
mod.init_params()
''',
    ('002', '# An example of updating module parameters.'): r'''
mod.forward(data_batch, is_train=True)
''',
    ('002', '# An example of addinging two modules to a chain.'): r'''
mod1 = mx.mod.Module(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=5, name='a'),
                     label_names=None)
mod2 = mx.mod.Module(mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'),
                     num_hidden=3, name='b'), name='softmax'))
''',
    ('002', 'for pred, i_batch, batch in module.iter_predict'): 'module = mod\n',
}

LOSS_SETUP = r'''
pred = nd.array(_det((4, 5)))
target = nd.array(_det((4, 5), 0.5)[::-1].copy())
prob01 = nd.array((_det((4, 5)) > 0).astype('float32'))
sign = prob01 * 2 - 1
cls = nd.array([0, 3, 1, 4])
sw = nd.array([[1.0], [0.5], [0.0], [2.0]])
'''

# one generated example per loss class of the gluon.loss page: (name, code)
LOSS_CASES = [
    ('L2Loss', 'gluon.loss.L2Loss()(pred, target)'),
    ('L2Loss weight', 'gluon.loss.L2Loss(weight=2.0)(pred, target, sw)'),
    ('L1Loss', 'gluon.loss.L1Loss()(pred, target, sw)'),
    ('SigmoidBCELoss', 'gluon.loss.SigmoidBinaryCrossEntropyLoss()(pred, prob01)'),
    ('SigmoidBCELoss from_sigmoid',
     'gluon.loss.SigmoidBCELoss(from_sigmoid=True)(nd.sigmoid(pred), prob01, sw)'),
    ('SigmoidBCELoss pos_weight',
     'gluon.loss.SigmoidBCELoss()(pred, prob01, None, nd.array([[1, 2, 3, 4, 5]]))'),
    ('SoftmaxCELoss', 'gluon.loss.SoftmaxCrossEntropyLoss()(pred, cls)'),
    ('SoftmaxCELoss dense', 'gluon.loss.SoftmaxCELoss(sparse_label=False)(pred, nd.softmax(target))'),
    ('KLDivLoss', 'gluon.loss.KLDivLoss()(nd.log_softmax(pred), nd.softmax(target))'),
    ('KLDivLoss logits', 'gluon.loss.KLDivLoss(from_logits=False)(pred, nd.softmax(target))'),
    ('CTCLoss', 'gluon.loss.CTCLoss()(nd.array(_det((2, 6, 4))), nd.array([[0, 1, 2], [1, -1, -1]]))'),
    ('CTCLoss TNC', "gluon.loss.CTCLoss(layout='TNC')(nd.array(_det((6, 2, 4))), "
                    "nd.array([[0, 1], [2, 2]]), nd.array([6, 5]), nd.array([2, 1]))"),
    ('HuberLoss', 'gluon.loss.HuberLoss(rho=0.5)(pred, target)'),
    ('HingeLoss', 'gluon.loss.HingeLoss()(pred, sign)'),
    ('SquaredHingeLoss', 'gluon.loss.SquaredHingeLoss(margin=0.5)(pred, sign)'),
    ('LogisticLoss signed', 'gluon.loss.LogisticLoss()(pred, sign)'),
    ('LogisticLoss binary', "gluon.loss.LogisticLoss(label_format='binary')(pred, prob01)"),
    ('TripletLoss', 'gluon.loss.TripletLoss(margin=0.3)(pred, target, target * 0.5)'),
    ('PoissonNLLLoss', 'gluon.loss.PoissonNLLLoss()(pred, target.abs())'),
    ('PoissonNLLLoss full', 'gluon.loss.PoissonNLLLoss(from_logits=False, compute_full=True)'
                            '(pred.abs(), target.abs() * 4)'),
    ('CosineEmbeddingLoss', 'gluon.loss.CosineEmbeddingLoss(margin=0.1)(pred, target, '
                            'nd.array([1, -1, 1, -1]))'),
    ('SDMLLoss', 'gluon.loss.SDMLLoss()(pred, target)'),
]


def _repair(code):
    out = []
    for line in code.split('\n'):
        for pat, rep in REPAIRS:
            line = re.sub(pat, rep, line)
        out.append(line)
    code = '\n'.join(out)
    body = [l for l in code.split('\n') if l.strip() and not l.strip().startswith('#')]
    if body and body[-1].rstrip().endswith(':'):
        # a loop whose body the page leaves as comments: show what each step yields
        code += '\n    print(i_batch, [p.shape for p in pred])'
    return _local_pretrained(code)


def _local_pretrained(code):
    """No network: a ``pretrained=True`` model gets local deterministic weights instead."""
    if 'pretrained=True' not in code:
        return code
    code = code.replace('pretrained=True', 'pretrained=False')
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    lines = code.split('\n')
    for st in reversed(tree.body):
        src = ast.get_source_segment(code, st) or ''
        if isinstance(st, ast.Assign) and 'pretrained=False' in src:
            name = ast.get_source_segment(code, st.targets[0])
            lines.insert(st.end_lineno, '%s.initialize()' % name)
    return '\n'.join(lines)


def _doctest_blocks(lines):
    """Yield (line number, code) for each run of >>> / ... lines (also inline ' >>> ' runs)."""
    block, start = [], None
    for no, line in enumerate(lines, 1):
        if line.startswith('[docs]') and ' >>> ' in line:
            for frag in _inline_doctests(line):
                yield no, frag
            continue
        s = line.rstrip()
        if s.startswith('>>>') or (block and s.startswith('...')):
            block.append(s[4:])
            start = start or no
            continue
        if block and _open_brackets('\n'.join(block)) and s.startswith(' '):
            block.append(s.strip())  # continuation printed without '...'
            start = start or no
            continue
        if block:
            yield start, '\n'.join(block)
        block, start = [], None
    if block:
        yield start, '\n'.join(block)


def _open_brackets(code):
    return sum(code.count(c) for c in '([{') > sum(code.count(c) for c in ')]}')


def _inline_doctests(line):
    """Split a docstring flattened onto one line into its doctest statements."""
    m = re.search(r'>>>.*?(?=""")', line)
    if not m:
        return []
    parts = re.split(r'\s*>>>\s?', m.group(0))[1:]
    stmts = []
    for p in parts:
        p = re.sub(r' \.\.\. ', ' ', p).strip()
        # expected output printed after a statement: drop it (a list/literal following ')')
        p = re.sub(r"^(print\(.*\)\)) \[.*$", r'\1', p)
        stmts.append(p)
    code = '\n'.join(stmts)
    return [code] if code.strip() else []


def extract(page):
    """Return [(example id, code)] for one page file name."""
    path = os.path.join(SEEDS, page)
    lines = open(path, encoding='utf-8').read().split('\n')
    key = page[:3]
    ex = [('L%d' % no, code) for no, code in _doctest_blocks(lines)]
    for a, b in CODE_BLOCKS.get(key, []):
        ex.append(('L%d' % a, textwrap.dedent('\n'.join(lines[a - 1:b]))))
    ex.sort(key=lambda e: int(e[0][1:]))
    if key == '000':
        ex.insert(0, ('setup', LOSS_SETUP))
        ex = ex[:1] + [('model', _MODEL_000)] + ex[1:]
        for name, call in LOSS_CASES:
            ex.append((name, 'print(%s)' % call))
            ex.append((name + ' hybrid', _hybrid_case(call)))
    return [(i, _repair(c)) for i, c in ex]


_MODEL_000 = r'''
class _M(gluon.HybridBlock):
    def __init__(self, **kw):
        super(_M, self).__init__(**kw)
        with self.name_scope():
            self.conv1 = nn.Conv2D(2, 3)
            self.fc = nn.Dense(3)
    def hybrid_forward(self, F, x):
        return self.fc(self.conv1(x))
model = _M(prefix='')
model.initialize()
print(sorted(model.collect_params().keys()))
'''


def _hybrid_case(call):
    m = re.match(r'(gluon\.loss\.\w+\(.*?\))\((.*)\)$', call)
    return 'l = %s\nl.hybridize()\nprint(l(%s))' % (m.group(1), m.group(2))


RUNNER = r'''
import io, json, sys, traceback, contextlib, os, warnings
warnings.filterwarnings('ignore')
if os.environ.get('SEED_MXTORCH'):
    import mxtorch.compat
    mxtorch.compat.install()
examples = json.load(open(sys.argv[1]))
os.chdir(sys.argv[2])
ns = {'__name__': '__main__'}
exec(compile(PRELUDE, 'prelude', 'exec'), ns)
results = []
for ident, code, setup in examples:
    buf = io.StringIO()
    def hook(v, buf=buf):
        if v is not None:
            buf.write(repr(v) + '\n')
            ns['_'] = v
    sys.displayhook = hook
    with contextlib.redirect_stdout(buf):
        if setup:
            try:
                exec(compile(setup, 'setup', 'exec'), ns)
            except Exception as e:
                buf.write('SETUP-EXC %s: %s\n' % (type(e).__name__, str(e)[:200]))
        try:
            import ast
            tree = ast.parse(code)
            stmts = tree.body
        except SyntaxError as e:
            buf.write('EXC SyntaxError\n')
            stmts = []
        for st in stmts:
            mod = ast.Interactive(body=[st])
            try:
                exec(compile(mod, ident, 'single'), ns)
            except Exception as e:
                buf.write('EXC %s\n' % type(e).__name__)
                buf.write('#mro %s\n' % ' '.join(c.__name__ for c in type(e).__mro__))
                buf.write('#msg %s\n' % str(e).split('\n')[0][:160])
    results.append([ident, buf.getvalue()])
sys.displayhook = sys.__displayhook__
print('@@JSON@@' + json.dumps(results))
'''


def run_page(python, examples, mxtorch, workdir, setup):
    """Run the examples on one interpreter; return {id: transcript}."""
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(examples, f)
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1', MXNET_ENGINE_TYPE='NaiveEngine')
    if mxtorch:
        env['SEED_MXTORCH'] = '1'
    src = 'PRELUDE = %r\n' % (PRELUDE + setup) + RUNNER
    p = subprocess.run([python, '-c', src, f.name, workdir], env=env, capture_output=True,
                       text=True, timeout=900)
    os.unlink(f.name)
    if '@@JSON@@' not in p.stdout:
        raise RuntimeError('%s failed:\n%s' % (python, p.stderr[-3000:]))
    return dict(json.loads(p.stdout.split('@@JSON@@', 1)[1]))


_NUM = re.compile(r'[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf')


def _tokens(text):
    text = re.sub(r'0x[0-9a-f]+', '0x?', text).replace('mxtorch', 'mxnet')
    text = '\n'.join(l for l in text.split('\n') if not l.startswith(('#msg', '#mro')))
    nums = [float(n) for n in _NUM.findall(text)]
    rest = _NUM.sub(' # ', text).replace('[', ' [ ').replace(']', ' ] ').split()
    return nums, rest


def _same_exceptions(a, b):
    """Rename b's exceptions to a's class names where b's class derives from them."""
    wanted = set(re.findall(r'^EXC (\w+)$', a, re.M))

    def rename(m):
        hit = [n for n in m.group(2).split() if n in wanted]
        return 'EXC %s\n' % (hit[0] if hit else m.group(1))
    return re.sub(r'^EXC (\w+)\n#mro ([^\n]*)\n', rename, b, flags=re.M)


def compare(a, b):
    """Return '' when transcripts agree, else a short reason."""
    b = _same_exceptions(a, b)
    na, ra = _tokens(a)
    nb, rb = _tokens(b)
    if ra != rb:
        for x, y in zip(ra + ['<end>'], rb + ['<end>']):
            if x != y:
                return 'text: %r vs %r' % (x, y)
        return 'text differs'
    if len(na) != len(nb):
        return 'number count %d vs %d' % (len(na), len(nb))
    worst = 0.0
    for x, y in zip(na, nb):
        if x != y and not (x != x and y != y):
            worst = max(worst, abs(x - y) / (1 + abs(x)))
    if worst <= TOL:
        return ''
    kind = 'float32 accumulation' if worst <= 1e-3 else 'values differ'
    return '%s (max rel %.2g)' % (kind, worst)


def _short(t):
    t = ' | '.join(l.strip() for l in t.strip().split('\n')
                   if l.strip() and not l.startswith(('#msg', '#mro')))
    return (t[:60] + '...') if len(t) > 63 else t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--oracle', default=os.path.expanduser('~/mxref/bin/python'))
    ap.add_argument('--python', default=os.path.join(ROOT, '.venv/bin/python'))
    ap.add_argument('--page', default='')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    counts = {}
    for page in sorted(os.listdir(SEEDS)):
        if not page.startswith(args.page):
            continue
        key = page[:3]
        ex = extract(page)
        hooks = {k[1]: v for k, v in HOOKS.items() if k[0] == key}
        items = [[i, c, next((v for k, v in hooks.items() if k in c.split('\n')[0]), '')]
                 for i, c in ex]
        setup = PAGE_SETUP.get(key, '')
        res = {}
        for tag, py, isx in (('mxnet', args.oracle, False), ('mxtorch', args.python, True)):
            wd = tempfile.mkdtemp(prefix='seed_%s_%s_' % (key, tag))
            res[tag] = run_page(py, items, isx, wd, setup)
        print('\n## page %s (%d examples)' % (page, len(items)))
        print('%-28s | %-40s | %-40s | %s' % ('example', 'MXNet 1.9.1', 'mxtorch', 'status'))
        for ident, code, _ in items:
            a, b = res['mxnet'].get(ident, ''), res['mxtorch'].get(ident, '')
            why = compare(a, b)
            known = KNOWN.get((key, ident)) if why else None
            kind = ('OK' if not why else 'KNOWN' if known else
                    'FLOAT' if why.startswith('float32') else 'DIFF')
            counts[kind] = counts.get(kind, 0) + 1
            status = {'OK': 'OK', 'KNOWN': 'KNOWN ' + str(known)}.get(kind, kind + ' ' + why)
            print('%-28s | %-40s | %-40s | %s' % (ident[:28], _short(a)[:40], _short(b)[:40],
                                                  status))
            if args.verbose and why:
                print('--- code\n%s\n--- mxnet\n%s--- mxtorch\n%s' % (code, a, b))
    print('\n%d examples: %d agree, %d documented deviations, %d float32 accumulation '
          '(<= 1e-3 rel), %d differ' % (sum(counts.values()), counts.get('OK', 0),
                                        counts.get('KNOWN', 0), counts.get('FLOAT', 0),
                                        counts.get('DIFF', 0)))
    return 1 if counts.get('DIFF') else 0


if __name__ == '__main__':
    sys.exit(main())
