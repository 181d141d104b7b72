"""Differential check of the deterministic DGL graph ops against MXNet 1.9.1.

Run (needs the oracle):  ~/mxref/bin/python tools/dgl_diff.py gen /tmp/dgl_cases.json [SEED]
                         .venv/bin/python tools/dgl_diff.py check /tmp/dgl_cases.json
Random graphs; both samplers with num_neighbor >= every degree (no random choice left), edge_id,
dgl_subgraph, dgl_adjacency and dgl_graph_compact. Prints the number of cases and mismatches.
"""
import json
import sys

import numpy as np


def _graphs(rng, count):
    for _ in range(count):
        n = int(rng.integers(1, 9))
        dense = (rng.random((n, n)) < rng.uniform(0.1, 0.7)).astype(np.int64)
        dense[dense != 0] = np.arange(1, int(dense.sum()) + 1)
        yield dense


def _csr(mx, dense):
    return mx.nd.array(dense, dtype="int64").tostype("csr")


def _parts(c):
    if c.stype == "csr":
        return [c.shape, c.data.asnumpy().tolist(), c.indices.asnumpy().tolist(),
                c.indptr.asnumpy().tolist()]
    return [c.shape, c.asnumpy().tolist()]


def _run(mx, case):
    g = _csr(mx, np.array(case["graph"], dtype=np.int64))
    i64 = lambda v: mx.nd.array(v, dtype="int64")  # noqa: E731
    kind = case["kind"]
    if kind == "edge_id":
        return _parts(mx.nd.contrib.edge_id(g, i64(case["u"]), i64(case["v"])))
    if kind == "adjacency":
        return _parts(mx.nd.contrib.dgl_adjacency(g))
    if kind == "subgraph":
        outs = mx.nd.contrib.dgl_subgraph(g, *[i64(v) for v in case["sets"]],
                                          return_mapping=True)
        return [_parts(o) for o in outs]
    k = len(case["seeds"])
    seeds = [i64(s) for s in case["seeds"]]
    if kind == "nsample":
        outs = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
            g, mx.nd.array(case["prob"]), *seeds, num_hops=case["hops"], num_neighbor=64,
            max_num_vertices=case["max"])
        return [[outs[i].asnumpy().tolist()[-1], _parts(outs[k + i]),
                 outs[2 * k + i].asnumpy()[:int(outs[i].asnumpy()[-1])].tolist(),
                 outs[3 * k + i].asnumpy()[:int(outs[i].asnumpy()[-1])].tolist()]
                for i in range(k)]
    outs = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        g, *seeds, num_hops=case["hops"], num_neighbor=64, max_num_vertices=case["max"])
    result = []
    for i in range(k):
        count = int(outs[i].asnumpy()[-1])
        indices = outs[k + i].indices.asnumpy()
        if np.isin(indices, outs[i].asnumpy()[:count]).all():  # else MXNet aborts
            compact = _parts(mx.nd.contrib.dgl_graph_compact(
                outs[k + i], outs[i], graph_sizes=(count,), return_mapping=False))
        else:
            compact = "edge to a dropped vertex"
        result.append([outs[i].asnumpy()[:count].tolist(), count, _parts(outs[k + i]),
                       outs[2 * k + i].asnumpy()[:count].tolist(), compact])
    return result


def _cases(seed=0, count=150):
    rng = np.random.default_rng(seed)
    for dense in _graphs(rng, count):
        n = dense.shape[0]
        base = {"graph": dense.tolist()}
        m = int(rng.integers(1, 2 * n + 1))
        yield dict(base, kind="edge_id", u=rng.integers(0, n, m).tolist(),
                   v=rng.integers(-1, n + 1, m).tolist())
        yield dict(base, kind="adjacency")
        sets = [sorted(rng.choice(n, int(rng.integers(1, n + 1)), replace=False).tolist())
                for _ in range(int(rng.integers(1, 3)))]
        yield dict(base, kind="subgraph", sets=sets)
        seeds = [rng.choice(n, int(rng.integers(1, n + 1)), replace=False).tolist()
                 for _ in range(int(rng.integers(1, 3)))]
        yield dict(base, kind="sample", seeds=seeds, hops=int(rng.integers(0, 4)),
                   max=int(rng.integers(max(map(len, seeds)), 2 * n + 2)))
        yield dict(base, kind="nsample", seeds=seeds, hops=int(rng.integers(0, 4)),
                   max=int(rng.integers(max(map(len, seeds)), 2 * n + 2)),
                   prob=rng.random(n).astype(np.float32).tolist())


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "gen":
        import mxnet as mx
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
        cases = [dict(c, expected=_run(mx, c)) for c in _cases(seed)]
        with open(path, "w") as f:
            json.dump(cases, f)
        print(f"{len(cases)} cases written")
        return
    import mxtorch as mx
    with open(path) as f:
        cases = json.load(f)
    bad = 0
    for c in cases:
        got = json.loads(json.dumps(_run(mx, c)))
        if got != json.loads(json.dumps(c["expected"])):
            bad += 1
            if bad <= 5:
                print("MISMATCH", c["kind"], c, "\n  got", got)
    print(f"{len(cases)} cases, {bad} mismatches")


if __name__ == "__main__":
    main()
