"""MXNet's DGL graph operators (``mx.nd.contrib.edge_id``, ``dgl_*``) and the contrib
gradient nodes MXNet exposes by name (``_contrib_backward_*``).

A graph is a csr matrix whose stored values are edge ids: row ``i`` lists the in-edges of
vertex ``i``, column ``j`` the source vertex. The DGL ops work on the stored parts only
(``OpDef.sparse_compute``); their dense ``compute`` refuses, as MXNet has no dense kernel.
Layout conventions follow MXNet 1.9.1 as observed:

- subgraphs renumber edges ``0..nnz-1`` in row-major order (stored zeros included);
- a sampler's vertex array has ``max_num_vertices + 1`` slots, the sampled vertices sorted
  first and their count last; unused slots (garbage in MXNet) hold 0 here.
"""
import warnings

import torch

from ..base import MXNetError, ShapeError
from ._attrs import BOOL, FLOAT, INT, SHAPE
from ._registry import Attr, SparseParts, VARIADIC, defop, REGISTRY

CSR, DNS = "csr", "default"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _graph(op, p, int64=False):
    """The csr parts of a graph input (MXNetError for anything else)."""
    if not isinstance(p, SparseParts) or p.stype != CSR:
        kind = p.stype if isinstance(p, SparseParts) else DNS
        raise MXNetError(f"{op}: the graph must be a csr array, got storage type {kind!r}")
    if int64 and p.data.dtype != torch.int64:
        raise MXNetError(f"{op}: the graph must hold int64 edge ids, got dtype "
                         f"{str(p.data.dtype).replace('torch.', '')}")
    return p


def _vertices(op, t, what="vertex array"):
    """A 1-D int64 dense vertex array."""
    if isinstance(t, SparseParts):
        raise MXNetError(f"{op}: the {what} must be dense, got storage type {t.stype!r}")
    if t.dtype != torch.int64:
        raise MXNetError(f"{op}: the {what} must be int64, got dtype "
                         f"{str(t.dtype).replace('torch.', '')}")
    if t.dim() != 1:
        raise ShapeError(f"{op}: the {what} must be 1-D, got shape {tuple(t.shape)}")
    return t


def _rows_of(indptr):
    counts = indptr[1:] - indptr[:-1]
    return torch.repeat_interleave(torch.arange(counts.numel()), counts)


def _csr(shape, data, rows, cols):
    """SparseParts from row-major ``rows``/``cols`` (already sorted)."""
    indptr = torch.zeros(shape[0] + 1, dtype=torch.int64)
    if rows.numel():
        torch.cumsum(torch.bincount(rows, minlength=shape[0]), 0, out=indptr[1:])
    return SparseParts(CSR, tuple(shape), data, (indptr, cols))


def _empty(shape, dtype):
    return _csr(shape, torch.zeros(0, dtype=dtype), torch.zeros(0, dtype=torch.int64),
                torch.zeros(0, dtype=torch.int64))


def _dense_refusal(name):
    short = name.replace("_contrib_", "")

    def compute(*args, **attrs):
        raise MXNetError(f"{short}: only works on csr graphs (MXNet has no dense kernel for "
                         f"this operator); convert the graph with .tostype('csr')")
    return compute


def _register(name, kernel, stype, **spec):
    defop(name, **spec)(_dense_refusal(name))
    op = REGISTRY[name]
    op.stype = stype
    op.sparse_compute = kernel
    return op


# --------------------------------------------------------------------------------------------
# edge_id, dgl_adjacency
# --------------------------------------------------------------------------------------------


def _edge_id(inputs, out, **attrs):
    g, u, v = inputs
    g = _graph("edge_id", g)
    for name, t in (("u", u), ("v", v)):
        if isinstance(t, SparseParts) or t.dim() != 1:
            raise ShapeError(f"edge_id: {name} must be a dense 1-D array, got shape "
                             f"{tuple(t.shape)}")
    if u.shape[0] != v.shape[0]:
        raise ShapeError(f"edge_id: u and v must have the same length, got {u.shape[0]} "
                         f"and {v.shape[0]}")
    indptr, indices = g.aux
    cols = max(g.shape[1], 1)
    keys, order = torch.sort(_rows_of(indptr) * cols + indices, stable=True)
    a, b = u.to(torch.int64), v.to(torch.int64)
    valid = (a >= 0) & (a < g.shape[0]) & (b >= 0) & (b < g.shape[1])
    query = torch.where(valid, a * cols + b, torch.full_like(a, -1))
    at = torch.searchsorted(keys, query).clamp(max=max(keys.numel() - 1, 0))
    found = valid & (keys[at] == query) if keys.numel() else torch.zeros_like(valid)
    result = torch.full((u.shape[0],), -1, dtype=g.data.dtype)
    if keys.numel():
        result[found] = g.data[order[at[found]]]
    return result


_register("_contrib_edge_id", _edge_id, lambda attrs, stypes: DNS,
          inputs=("data", "u", "v"), same_dtype=(),
          doc="Edge id stored at (u[i], v[i]) of a csr graph, -1 where there is no edge.")


def _adjacency(inputs, out, **attrs):
    g = _graph("dgl_adjacency", inputs[0], int64=True)
    return SparseParts(CSR, g.shape, torch.ones(g.data.shape[0], dtype=torch.float32),
                       tuple(a.clone() for a in g.aux))


_register("_contrib_dgl_adjacency", _adjacency, lambda attrs, stypes: CSR,
          doc="Adjacency matrix (float32 ones at every stored entry) of a csr graph "
              "holding int64 edge ids.")


# --------------------------------------------------------------------------------------------
# dgl_subgraph
# --------------------------------------------------------------------------------------------


def _induced(g, vids):
    """(new-id parts, original-id parts) of the subgraph of ``g`` induced by sorted ``vids``."""
    n = vids.shape[0]
    if n and bool((vids[1:] < vids[:-1]).any()):
        raise MXNetError("dgl_subgraph: the vertex list must be sorted in ascending order")
    if n and (int(vids.min()) < 0 or int(vids.max()) >= min(g.shape)):
        raise MXNetError(f"dgl_subgraph: a vertex id lies outside [0, {min(g.shape)})")
    indptr, indices = g.aux
    pos = torch.full((g.shape[1],), -1, dtype=torch.int64)
    pos[vids] = torch.arange(n)
    rows = _rows_of(indptr)
    where = torch.full((g.shape[0],), -1, dtype=torch.int64)
    where[vids] = torch.arange(n)
    keep = (where[rows] >= 0) & (pos[indices] >= 0) if rows.numel() else rows.bool()
    new_rows, new_cols = where[rows[keep]], pos[indices[keep]]
    order = torch.argsort(new_rows * max(n, 1) + new_cols, stable=True)
    new_rows, new_cols, old = new_rows[order], new_cols[order], g.data[keep][order]
    ids = torch.arange(old.shape[0], dtype=g.data.dtype)
    return (_csr((n, n), ids, new_rows, new_cols), _csr((n, n), old, new_rows, new_cols))


def _subgraph(inputs, out, *, return_mapping, num_args):
    _check_count("dgl_subgraph", inputs, 2)
    g = _graph("dgl_subgraph", inputs[0], int64=True)
    parts = [_induced(g, _vertices("dgl_subgraph", v)) for v in inputs[1:]]
    result = [p[0] for p in parts]
    return result + [p[1] for p in parts] if return_mapping else result


def _subgraph_outputs(attrs):
    return (attrs["num_args"] - 1) * (2 if attrs["return_mapping"] else 1)


def _check_count(name, inputs, least):
    if len(inputs) < least:
        raise MXNetError(f"{name}: needs a csr graph and at least {least - 1} more input "
                         f"array(s) (num_args >= {least}), got {len(inputs)} input(s)")


_register("_contrib_dgl_subgraph", _subgraph,
          lambda attrs, stypes: [CSR] * _subgraph_outputs(attrs),
          inputs=VARIADIC, num_args="num_args", same_dtype=(),
          attrs=(Attr("return_mapping", BOOL, doc="Also return the subgraphs with the "
                                                  "parent's edge ids"),
                 Attr("num_args", INT, doc="Number of inputs: the graph and the vertex "
                                           "arrays")),
          num_outputs=_subgraph_outputs,
          doc="Subgraphs of a csr graph induced by sorted int64 vertex arrays.")


# --------------------------------------------------------------------------------------------
# neighbour sampling
# --------------------------------------------------------------------------------------------


def _pick(cols, num, prob):
    """Positions of ``num`` distinct entries of ``cols`` (all when there are no more)."""
    if cols.numel() <= num:
        return torch.arange(cols.numel())
    if prob is None:
        return torch.randperm(cols.numel())[:num]
    weights = prob[cols].to(torch.float64)
    if not bool((weights > 0).any()):
        weights = torch.ones_like(weights)
    return torch.multinomial(weights, num, replacement=False)


def _sample_one(g, seeds, prob, num_hops, num_neighbor, max_vertices):
    """BFS from ``seeds``: (vertex slots, sampled csr, layer per vertex)."""
    indptr, indices = g.aux
    layer = {}
    queue = []
    for s in seeds.tolist():
        if s not in layer:
            layer[s] = 0
            queue.append(s)
    edges = {}
    truncated = len(layer) >= max_vertices and queue
    head = 0
    while head < len(queue) and len(layer) < max_vertices:
        v = queue[head]
        head += 1
        if layer[v] >= num_hops:
            continue
        lo, hi = int(indptr[v]), int(indptr[v + 1])
        chosen = torch.sort(lo + _pick(indices[lo:hi], num_neighbor, prob)).values
        edges[v] = chosen
        for c in indices[chosen].tolist():
            if c not in layer:
                layer[c] = layer[v] + 1
                queue.append(c)
        truncated = len(layer) >= max_vertices and head < len(queue)
    if truncated:
        warnings.warn("dgl_csr_neighbor_sample: the sampling is truncated because it reached "
                      "max_num_vertices; use fewer seeds or a smaller neighbourhood")
    kept = sorted(list(layer)[:max_vertices])  # the first found, listed in id order
    return kept, layer, edges


def _sample_outputs(g, kept, layer, edges, max_vertices):
    slots = torch.zeros(max_vertices + 1, dtype=torch.int64)
    slots[:len(kept)] = torch.tensor(kept, dtype=torch.int64)
    slots[-1] = len(kept)
    indptr, indices = g.aux
    picks = [edges.get(v, torch.zeros(0, dtype=torch.int64)) for v in kept]
    pos = torch.cat(picks) if picks else torch.zeros(0, dtype=torch.int64)
    order = []
    for p in picks:  # within a row, by source vertex
        order.append(p[torch.argsort(indices[p], stable=True)])
    pos = torch.cat(order) if order else pos
    rows = torch.repeat_interleave(torch.arange(len(kept)),
                                   torch.tensor([p.numel() for p in picks], dtype=torch.int64))
    csr = _csr((max_vertices, g.shape[1]), g.data[pos], rows, indices[pos])
    layers = torch.zeros(max_vertices, dtype=torch.int64)
    layers[:len(kept)] = torch.tensor([layer[v] for v in kept], dtype=torch.int64)
    return slots, csr, layers


def _sampler(name, with_prob):
    def kernel(inputs, out, *, num_args, num_hops, num_neighbor, max_num_vertices):
        first = 2 if with_prob else 1
        _check_count(name, inputs, first + 1)
        g = _graph(name, inputs[0])
        prob = None
        if with_prob:
            prob = inputs[1]
            if isinstance(prob, SparseParts) or prob.dim() != 1 or prob.shape[0] != g.shape[0]:
                raise ShapeError(f"{name}: probability must be a dense 1-D array with one "
                                 f"entry per vertex ({g.shape[0]}), got shape "
                                 f"{tuple(prob.shape)}")
        if max_num_vertices < 1:
            raise MXNetError(f"{name}: max_num_vertices must be positive, got "
                             f"{max_num_vertices}")
        sets = []
        for seeds in inputs[first:]:
            seeds = _vertices(name, seeds, "seed array")
            if seeds.numel() and (int(seeds.min()) < 0 or int(seeds.max()) >= g.shape[0]):
                raise MXNetError(f"{name}: a seed vertex lies outside [0, {g.shape[0]})")
            if seeds.numel() > max_num_vertices:
                raise MXNetError(f"{name}: max_num_vertices ({max_num_vertices}) must be at "
                                 f"least the number of seeds ({seeds.numel()})")
            found = _sample_one(g, seeds, prob, num_hops, num_neighbor, max_num_vertices)
            sets.append(_sample_outputs(g, *found, max_num_vertices))
        result = [s[0] for s in sets] + [s[1] for s in sets]
        if with_prob:
            for slots, _, _ in sets:
                count = int(slots[-1])
                probs = torch.zeros(max_num_vertices, dtype=prob.dtype)
                probs[:count] = prob[slots[:count]]
                result.append(probs)
        return result + [s[2] for s in sets]
    return kernel


def _sampler_stypes(first, with_prob):
    def rule(attrs, stypes):
        n = attrs["num_args"] - first
        return [DNS] * n + [CSR] * n + [DNS] * n * (2 if with_prob else 1)
    return rule


def _sampler_outputs(first, with_prob):
    return lambda attrs: (attrs["num_args"] - first) * (4 if with_prob else 3)


_SAMPLE_ATTRS = (Attr("num_args", INT, doc="Number of inputs"),
                 Attr("num_hops", INT, 1, "Number of hops"),
                 Attr("num_neighbor", INT, 2, "Number of neighbours sampled per vertex"),
                 Attr("max_num_vertices", INT, 100, "Most vertices in a sampled subgraph"))

for _name, _prob in (("_contrib_dgl_csr_neighbor_uniform_sample", False),
                     ("_contrib_dgl_csr_neighbor_non_uniform_sample", True)):
    _first = 2 if _prob else 1
    _register(_name, _sampler(_name[8:], _prob), _sampler_stypes(_first, _prob),
              inputs=VARIADIC, num_args="num_args", same_dtype=(), attrs=_SAMPLE_ATTRS,
              num_outputs=_sampler_outputs(_first, _prob),
              doc="Sample neighbourhoods of seed vertices in a csr graph "
                  + ("by vertex probability." if _prob else "uniformly."))


# --------------------------------------------------------------------------------------------
# dgl_graph_compact
# --------------------------------------------------------------------------------------------


def _compact_one(g, vids, size):
    if vids.shape[0] != g.shape[0] + 1:
        raise ShapeError(f"dgl_graph_compact: a vertex array must have one slot per graph row "
                         f"plus the count ({g.shape[0] + 1}), got {vids.shape[0]}")
    if not 0 <= size <= g.shape[0]:
        raise MXNetError(f"dgl_graph_compact: graph size {size} lies outside "
                         f"[0, {g.shape[0]}]")
    indptr, indices = g.aux
    end = int(indptr[size])
    pos = torch.full((int(max(g.shape[1], int(vids[:size].max()) + 1 if size else 0)),), -1,
                     dtype=torch.int64)
    pos[vids[:size]] = torch.arange(size)
    rows = _rows_of(indptr[:size + 1])
    cols = pos[indices[:end]] if end else indices[:0]
    if bool((cols < 0).any()):
        raise MXNetError("dgl_graph_compact: an edge leads to a vertex missing from the first "
                         f"{size} entries of its vertex array")
    return _csr((size, size), torch.arange(rows.numel(), dtype=torch.int64), rows, cols)


def _compact(inputs, out, *, return_mapping, graph_sizes, num_args):
    n = len(inputs) // 2
    if n < 1 or len(inputs) % 2:
        raise MXNetError(f"dgl_graph_compact: needs pairs of csr graphs and vertex arrays, "
                         f"got {len(inputs)} input(s)")
    if len(graph_sizes) < n:
        raise MXNetError(f"dgl_graph_compact: graph_sizes {tuple(graph_sizes)} needs one size "
                         f"per graph ({n})")
    result = [_compact_one(_graph("dgl_graph_compact", inputs[i], int64=True),
                           _vertices("dgl_graph_compact", inputs[n + i]), int(graph_sizes[i]))
              for i in range(n)]
    if return_mapping:  # MXNet 1.9.1 returns these mapping graphs empty
        result += [_empty((int(graph_sizes[i]),) * 2, torch.int64) for i in range(n)]
    return result


def _compact_outputs(attrs):
    return attrs["num_args"] // 2 * (2 if attrs["return_mapping"] else 1)


_register("_contrib_dgl_graph_compact", _compact,
          lambda attrs, stypes: [CSR] * _compact_outputs(attrs),
          inputs=VARIADIC, num_args="num_args", same_dtype=(),
          attrs=(Attr("return_mapping", BOOL, doc="Also return the (empty) mapping graphs"),
                 Attr("graph_sizes", SHAPE, doc="Number of vertices in each graph"),
                 Attr("num_args", INT, doc="Number of inputs: graphs, then vertex arrays")),
          num_outputs=_compact_outputs,
          doc="Drop the empty rows and columns of sampled csr graphs, renumbering vertices "
              "by their vertex arrays and edges from 0.")


# --------------------------------------------------------------------------------------------
# contrib gradient nodes
# --------------------------------------------------------------------------------------------


def _gradient_node(name, count):
    def compute(*args, **attrs):
        raise MXNetError(f"{name}: a gradient node MXNet uses internally when it builds "
                         f"backward graphs (it expects {count} inputs); mxtorch computes "
                         f"gradients with autograd, call the forward operator instead")
    return compute


for _name, _count in (("_contrib_backward_hawkesll", 10), ("_contrib_backward_index_copy", 4),
                      ("_contrib_backward_quadratic", 2)):
    defop(_name, inputs=(), doc=f"``{_name}``: gradient node; raises when called.")(
        _gradient_node(_name, _count))


def _gradient_multiplier(data, scalar, is_int):
    """``_contrib_backward_gradientmultiplier``: the incoming gradient times ``scalar``."""
    return REGISTRY["_mul_scalar"].compute(data, scalar, is_int)


defop("_contrib_backward_gradientmultiplier", inputs=("data",),
      attrs=(Attr("scalar", FLOAT, 1.0, "Scalar input value"),
             Attr("is_int", BOOL, True, "Whether the scalar is an integer")),
      shape_rule="same")(_gradient_multiplier)
_mul = REGISTRY["_mul_scalar"]  # same storage rules (graph is imported after ops.sparse)
REGISTRY["_contrib_backward_gradientmultiplier"].stype = _mul.stype
REGISTRY["_contrib_backward_gradientmultiplier"].sparse_compute = _mul.sparse_compute
