"""Differential test of HybridBlock/export/SymbolBlock against real MXNet 1.9.1 (not CI).

Run from the repository root with the project interpreter:

    .venv/bin/python tools/hybrid_diff.py [--oracle ~/mxref/bin/python]

The same block definitions (written against the shared MXNet API) are built, filled with the
same seeded parameters, hybridized, run and exported by both frameworks (MXNet in a
subprocess of the oracle interpreter). The script diffs outputs, the exported JSON (op names
and attributes node by node) and the ``.params`` keys, then loads mxtorch's export in MXNet
with ``SymbolBlock.imports`` and ``mx.mod.Module`` and compares those outputs too.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np


def cases(mx):
    """name -> (block factory, list of input shapes); uses only the MXNet 1.x API."""
    gluon, nn = mx.gluon, mx.gluon.nn

    class Dense(gluon.HybridBlock):
        def __init__(self, units, in_units, act=None, **kw):
            super().__init__(**kw)
            self.units, self.act = units, act
            with self.name_scope():
                self.weight = self.params.get("weight", shape=(units, in_units))
                self.bias = self.params.get("bias", shape=(units,))

        def hybrid_forward(self, F, x, weight, bias):
            y = F.FullyConnected(x, weight, bias, num_hidden=self.units, name="fwd")
            return F.Activation(y, act_type=self.act) if self.act else y

    class Residual(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.a = Dense(6, 6, "tanh")
                self.b = Dense(6, 6)

        def hybrid_forward(self, F, x):
            return F.relu(self.b(self.a(x)) + x) * 0.5 - 1

    class TwoIn(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.d = Dense(4, 3)

        def hybrid_forward(self, F, x, y):
            h = self.d(x)
            return [F.broadcast_mul(h, y), F.sum(h, axis=1, keepdims=True)]

    class Conv(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.w = self.params.get("weight", shape=(4, 3, 3, 3))
                self.gamma = self.params.get("gamma", shape=(4,))
                self.beta = self.params.get("beta", shape=(4,))
                self.mean = self.params.get("running_mean", shape=(4,), grad_req="null")
                self.var = self.params.get("running_var", shape=(4,), grad_req="null")

        def hybrid_forward(self, F, x, w, gamma, beta, mean, var):
            y = F.Convolution(x, w, kernel=(3, 3), num_filter=4, pad=(1, 1), no_bias=True,
                              name="conv")
            y = F.BatchNorm(y, gamma, beta, mean, var, name="bn")
            y = F.Pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="max")
            return F.Flatten(y)

    def seq():
        net = nn.HybridSequential(prefix="seq_")
        with net.name_scope():
            net.add(Dense(5, 4, "relu"), Dense(3, 5, "sigmoid"))
        return net

    def nn_cnn():
        net = nn.HybridSequential(prefix="cnn_")
        with net.name_scope():
            net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                    nn.MaxPool2D(), nn.Conv2D(6, 3, strides=2, use_bias=False),
                    nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(5, activation="tanh"),
                    nn.Dropout(0.3), nn.Dense(2))
        return net

    def nn_mlp():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(6, activation="relu"), nn.BatchNorm(), nn.LeakyReLU(0.1),
                    nn.Dense(3, in_units=6), nn.LayerNorm())
        return net

    def rnn_text():
        net = nn.HybridSequential(prefix="txt_")
        with net.name_scope():
            net.add(nn.Embedding(12, 5), mx.gluon.rnn.LSTM(6, layout="NTC"),
                    mx.gluon.rnn.GRU(4, bidirectional=True, layout="NTC"), nn.Dense(3))
        return net

    return {
        "rnn_text": (rnn_text, [(2, 4)]),
        "nn_cnn": (nn_cnn, [(2, 3, 10, 10)]),
        "nn_mlp": (nn_mlp, [(4, 7)]),
        "dense": (lambda: Dense(3, 4, prefix="d_"), [(2, 4)]),
        "residual": (lambda: Residual(prefix="res_"), [(3, 6)]),
        "two_inputs": (lambda: TwoIn(prefix="two_"), [(2, 3), (2, 4)]),
        "conv_bn": (lambda: Conv(prefix="cb_"), [(2, 3, 8, 8)]),
        "sequential": (seq, [(2, 4)]),
    }


def fill(net, mx, inputs, seed=0):
    """Initialise (deferred shapes resolved by one eager forward), then seeded values."""
    import importlib
    init = importlib.import_module(mx.__name__ + ".initializer")
    net.initialize(init=init.Constant(0), ctx=mx.cpu())
    net(*inputs)
    rng = np.random.RandomState(seed)
    for name in sorted(net.collect_params().keys()):
        p = net.collect_params()[name]
        low = 0.5 if "var" in name else -0.5
        p.set_data(mx.nd.array(rng.uniform(low, low + 1, p.shape)))


def inputs_for(shapes, mx):
    rng = np.random.RandomState(1)
    return [mx.nd.array(np.abs(rng.randn(*s)) * 3) for s in shapes]  # valid token ids too


def run_side(mx, out_dir, tag):
    """Build, run, export every case; write outputs to ``out_dir/<tag>-<case>.npz``."""
    for name, (make, shapes) in cases(mx).items():
        net = make()
        fill(net, mx, inputs_for(shapes, mx))
        net.hybridize()
        with mx.autograd.record(train_mode=False):
            out = net(*inputs_for(shapes, mx))
        outs = out if isinstance(out, (list, tuple)) else [out]
        np.savez(os.path.join(out_dir, f"{tag}-{name}.npz"),
                 **{f"out{i}": o.asnumpy() for i, o in enumerate(outs)})
        net.export(os.path.join(out_dir, f"{tag}-{name}"))


def load_in_mxnet(out_dir):
    """(Oracle side) load mxtorch's exports with SymbolBlock.imports and Module."""
    import mxnet as mx
    for name, (_, shapes) in cases(mx).items():
        prefix = os.path.join(out_dir, f"mt-{name}")
        names = ["data"] if len(shapes) == 1 else [f"data{i}" for i in range(len(shapes))]
        data = inputs_for(shapes, mx)
        block = mx.gluon.SymbolBlock.imports(prefix + "-symbol.json", names,
                                             prefix + "-0000.params")
        out = block(*data)
        outs = out if isinstance(out, (list, tuple)) else [out]
        sym, args, aux = mx.model.load_checkpoint(prefix, 0)
        mod = mx.mod.Module(sym, data_names=names, label_names=None)
        mod.bind([(n, s) for n, s in zip(names, shapes)], for_training=False)
        mod.set_params(args, aux)
        mod.forward(mx.io.DataBatch(data), is_train=False)
        np.savez(os.path.join(out_dir, f"reload-{name}.npz"),
                 **{f"out{i}": o.asnumpy() for i, o in enumerate(outs)},
                 **{f"mod{i}": o.asnumpy() for i, o in enumerate(mod.get_outputs())})


def compare_json(a, b):
    ja, jb = json.load(open(a)), json.load(open(b))
    problems = []
    if len(ja["nodes"]) != len(jb["nodes"]):
        problems.append(f"{len(ja['nodes'])} vs {len(jb['nodes'])} nodes")
    for na, nb in zip(ja["nodes"], jb["nodes"]):
        if (na["op"], na["name"]) != (nb["op"], nb["name"]):
            problems.append(f"node {na['op']}:{na['name']} vs {nb['op']}:{nb['name']}")
        elif na != nb:
            strip = [dict(n, inputs=[e[:2] for e in n.get("inputs", [])]) for n in (na, nb)]
            what = "variable versions only (MXNet counts every trace that mutated the " \
                "aux variable)" if strip[0] == strip[1] else f"{na} vs {nb}"
            problems.append(f"{na['name']}: {what}")
    for key in ("arg_nodes", "node_row_ptr", "heads", "attrs"):
        if ja[key] != jb[key]:
            problems.append(f"{key} {ja[key]} vs {jb[key]}")
    return problems


def main():
    oracle = os.path.expanduser(sys.argv[sys.argv.index("--oracle") + 1]) \
        if "--oracle" in sys.argv else os.path.expanduser("~/mxref/bin/python")
    sys.path.insert(0, os.getcwd())
    import mxtorch as mx
    out_dir = tempfile.mkdtemp(prefix="hybrid_diff_")
    run_side(mx, out_dir, "mt")
    script = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
              f"import hybrid_diff as h, mxnet as mx; h.run_side(mx, {out_dir!r}, 'mx'); "
              f"h.load_in_mxnet({out_dir!r})")
    subprocess.run([oracle, "-c", script], check=True)
    failures = 0
    for name in cases(mx):
        mine = np.load(os.path.join(out_dir, f"mt-{name}.npz"))
        ref = np.load(os.path.join(out_dir, f"mx-{name}.npz"))
        back = np.load(os.path.join(out_dir, f"reload-{name}.npz"))
        issues = []
        for k in ref:
            if not np.allclose(mine[k], ref[k], rtol=1e-4, atol=1e-5):
                issues.append(f"{k} differs by {np.abs(mine[k] - ref[k]).max():.3g}")
            for tag in ("out", "mod"):
                key = k.replace("out", tag)
                if not np.allclose(back[key], ref[k], rtol=1e-4, atol=1e-5):
                    issues.append(f"MXNet-loaded {key} differs")
        issues += compare_json(os.path.join(out_dir, f"mt-{name}-symbol.json"),
                               os.path.join(out_dir, f"mx-{name}-symbol.json"))
        keys_mt = sorted(mx.nd.load(os.path.join(out_dir, f"mt-{name}-0000.params")))
        keys_mx = sorted(mx.nd.load(os.path.join(out_dir, f"mx-{name}-0000.params")))
        if keys_mt != keys_mx:
            issues.append(f"params keys {keys_mt} vs {keys_mx}")
        failures += bool(issues)
        print(f"{name:12s} {'OK' if not issues else 'DIFF'} {'; '.join(issues)}")
    print(f"{len(cases(mx)) - failures}/{len(cases(mx))} cases agree ({out_dir})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
