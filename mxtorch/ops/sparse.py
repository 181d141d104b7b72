"""Sparse storage: MXNet's storage-type table and the kernels that work on stored parts.

A sparse array reaches a kernel as a ``SparseParts(stype, shape, data, aux)`` with int64 aux
(csr: ``aux = (indptr, indices)``; row_sparse: ``aux = (indices,)``); dense inputs are tensors.
The nd door (``ndarray/sparse.py``) checks the parts before any kernel runs (so index ops
never see out-of-range positions) and builds dense values only for the storage fallback.

The table: ``OpDef.stype`` (forward result stype, MXNet 1.9.1's FInferStorageType as observed
by ``tools/sparse_diff.py``) and ``OpDef.sparse_compute`` are filled here, once, for every op
MXNet keeps sparse; an op without a rule gives 'default' (dense) results. Kernels follow
MXNet's stored structure: unary ops and scalar ops keep every stored entry (stored zeros
included), row_sparse sums keep the union of stored rows, csr sums the union of entries.
torch's sparse layouts are used only as short-lived views for float32/64 csr matmul.
"""
import warnings

import torch

from ..base import MXNetError, ShapeError
from ._attrs import Enum
from .elemwise import SCALAR_ATTRS
from ._registry import REGISTRY, Attr, SparseParts, defop

CSR, RSP, DNS = "csr", "row_sparse", "default"
SPARSE = (CSR, RSP)


# --------------------------------------------------------------------------------------------
# parts helpers
# --------------------------------------------------------------------------------------------


def csr_rows(indptr, nnz=None):
    """Row index of every stored csr entry."""
    counts = indptr[1:] - indptr[:-1]
    rows = torch.arange(counts.numel(), device=indptr.device)
    return torch.repeat_interleave(rows, counts, output_size=nnz)


def dense_to_csr(t):
    """(data, indptr, indices) of a 2-D tensor: its non-zeros in row-major order."""
    nonzero = t != 0
    indptr = torch.zeros(t.shape[0] + 1, dtype=torch.int64, device=t.device)
    torch.cumsum(nonzero.sum(dim=1), dim=0, out=indptr[1:])
    rows, cols = nonzero.nonzero(as_tuple=True)
    return t[rows, cols], indptr, cols


def dense_to_row_sparse(t):
    """(data, indices) of a tensor: the rows holding any non-zero."""
    if t.dim() == 0 or t.shape[0] == 0 or t[0].numel() == 0:
        return t[:0].clone(), torch.zeros(0, dtype=torch.int64, device=t.device)
    rows = (t != 0).reshape(t.shape[0], -1).any(dim=1).nonzero(as_tuple=True)[0]
    return t[rows], rows


def from_dense(stype, t):
    """SparseParts of dense tensor ``t`` in ``stype`` (zeros are not stored)."""
    if stype == CSR:
        if t.dim() != 2:
            raise ShapeError(f"cast_storage: a csr array must be 2-D, got shape "
                             f"{tuple(t.shape)}")
        data, indptr, indices = dense_to_csr(t)
        return SparseParts(CSR, tuple(t.shape), data, (indptr, indices))
    if t.dim() < 1:
        raise ShapeError("cast_storage: a row_sparse array needs at least one dimension")
    data, indices = dense_to_row_sparse(t)
    return SparseParts(RSP, tuple(t.shape), data, (indices,))


def to_dense(p):
    """Dense tensor of parts ``p`` (assumed checked); differentiable in ``p.data``."""
    out = torch.zeros(p.shape, dtype=p.data.dtype, device=p.data.device)
    if p.data.numel() == 0:
        return out
    if p.stype == CSR:
        indptr, indices = p.aux
        rows = csr_rows(indptr, p.data.shape[0])
        return out.index_put((rows, indices), p.data, accumulate=p.data.dtype != torch.bool)
    return out.index_put((p.aux[0],), p.data, accumulate=p.data.dtype != torch.bool)


def empty_parts(stype, shape, dtype, device):
    """Nothing stored."""
    zero = torch.zeros(0, dtype=torch.int64, device=device)
    if stype == CSR:
        indptr = torch.zeros(shape[0] + 1, dtype=torch.int64, device=device)
        return SparseParts(CSR, tuple(shape), torch.zeros(0, dtype=dtype, device=device),
                           (indptr, zero))
    data = torch.zeros((0,) + tuple(shape[1:]), dtype=dtype, device=device)
    return SparseParts(RSP, tuple(shape), data, (zero,))


def add_rows(dst, index, src):
    """``dst`` with ``src[i]`` added to row ``index[i]`` (repeats add up).

    NOTE: index_put(accumulate) rather than index_add: torch 2.13's multi-threaded CPU
    index_add costs ~0.1 s even for two rows on a busy machine.
    """
    return dst.index_put((index,), src, accumulate=True)


def _is_sparse(x):
    return isinstance(x, SparseParts)


def _dense_of(x):
    return to_dense(x) if _is_sparse(x) else x


# --------------------------------------------------------------------------------------------
# validation (shared by check_format and the door's safety check)
# --------------------------------------------------------------------------------------------


def parts_problem(stype, shape, data, aux, full=True):
    """What is wrong with the parts (None when fine).

    ``full=False``: only lengths and shapes. ``full=True`` adds every indptr rule (starts at
    0, never decreases, ends at nnz, non-negative) and every index rule (in range, sorted,
    no duplicates).
    """
    problem = _length_problem(stype, shape, data, aux)
    if problem or not full:
        return problem
    if stype == CSR:
        return _indptr_problem(aux[0], data.shape[0]) or _csr_index_problem(shape, *aux)
    return _rsp_index_problem(shape, aux[0])


def _length_problem(stype, shape, data, aux):
    for name, part in zip(("indptr", "indices") if stype == CSR else ("indices",), aux):
        if part.dtype.is_floating_point or part.dtype in (torch.bool, torch.complex64):
            return f"{name} must be an integer array, got {part.dtype}"
        if part.dim() != 1:
            return f"{name} must be 1-D, got shape {tuple(part.shape)}"
    if stype == CSR:
        if len(shape) != 2:
            return f"a csr array is 2-D, got shape {tuple(shape)}"
        indptr, indices = aux
        if indptr.numel() != shape[0] + 1:
            return f"indptr has {indptr.numel()} entries, expected rows + 1 = {shape[0] + 1}"
        if data.dim() != 1 or indices.numel() != data.numel():
            return (f"data {tuple(data.shape)} and indices {tuple(indices.shape)} must be 1-D "
                    "of the same length")
        return None
    if len(shape) < 1:
        return "a row_sparse array needs at least one dimension"
    if tuple(data.shape) != (aux[0].numel(),) + tuple(shape[1:]):
        return (f"data has shape {tuple(data.shape)}, expected (len(indices),) + shape[1:] = "
                f"{(aux[0].numel(),) + tuple(shape[1:])}")
    return None


def _indptr_problem(indptr, nnz):
    if int(indptr[0]) != 0:
        return f"indptr must start at 0, got indptr[0] = {int(indptr[0])}"
    if bool((indptr < 0).any()):
        return f"indptr has a negative entry at position {int((indptr < 0).nonzero()[0])}"
    step = indptr[1:] - indptr[:-1]
    if bool((step < 0).any()):
        at = int((step < 0).nonzero()[0]) + 1
        return f"indptr decreases at position {at} ({int(indptr[at - 1])} -> {int(indptr[at])})"
    if int(indptr[-1]) != nnz:
        return f"indptr must end at the number of stored values {nnz}, got {int(indptr[-1])}"
    return None


def _csr_index_problem(shape, indptr, indices):
    if indices.numel() == 0:
        return None
    bad = (indices < 0) | (indices >= shape[1])
    if bool(bad.any()):
        at = int(bad.nonzero()[0])
        return (f"column index {int(indices[at])} at position {at} is out of range "
                f"[0, {shape[1]})")
    rows = csr_rows(indptr.to(torch.int64), indices.numel())
    same_row = rows[1:] == rows[:-1]
    step = indices[1:] - indices[:-1]
    for kind, mask in (("duplicated", same_row & (step == 0)), ("unsorted", same_row & (step < 0))):
        if bool(mask.any()):
            at = int(mask.nonzero()[0]) + 1
            return f"column indices of row {int(rows[at])} are {kind} (position {at})"
    return None


def _rsp_index_problem(shape, indices):
    if indices.numel() == 0:
        return None
    bad = (indices < 0) | (indices >= shape[0])
    if bool(bad.any()):
        at = int(bad.nonzero()[0])
        return f"row index {int(indices[at])} at position {at} is out of range [0, {shape[0]})"
    step = indices[1:] - indices[:-1]
    for kind, mask in (("duplicated", step == 0), ("unsorted", step < 0)):
        if bool(mask.any()):
            at = int(mask.nonzero()[0]) + 1
            return f"row indices are {kind} (position {at}, index {int(indices[at])})"
    return None


def safety_problem(stype, shape, data, aux):
    """What would make an index kernel read outside the arrays (order is not checked)."""
    problem = _length_problem(stype, shape, data, aux)
    if problem:
        return problem
    if stype == CSR:
        indptr, indices = aux
        problem = _indptr_problem(indptr, data.shape[0])
        if problem is None and indices.numel() and (
                int(indices.min()) < 0 or int(indices.max()) >= shape[1]):
            problem = f"a column index lies outside [0, {shape[1]})"
        return problem
    indices = aux[0]
    if indices.numel() and (int(indices.min()) < 0 or int(indices.max()) >= shape[0]):
        return f"a row index lies outside [0, {shape[0]})"
    return None


# --------------------------------------------------------------------------------------------
# the storage-type table
# --------------------------------------------------------------------------------------------


def _table(names, stype, kernel=None):
    for name in names:
        op = REGISTRY.get(name)
        if op is None:
            continue
        op.stype = stype
        if kernel is not None:
            op.sparse_compute = kernel(op)


def keep_stype(stypes_kept=SPARSE):
    """Rule: a sparse input keeps its storage type; anything else is dense."""
    def rule(attrs, stypes):
        return stypes[0] if stypes and stypes[0] in stypes_kept else DNS
    return rule


def _on_data(op):
    """Kernel: apply the op to the stored values; the structure is kept (only where the
    table keeps the storage type: ``x + 1`` is dense)."""
    compute = op.compute

    def kernel(inputs, out, **attrs):
        p = inputs[0]
        if not _is_sparse(p) or op.stype(attrs, [p.stype]) != p.stype:
            return NotImplemented
        return p._replace(data=compute(p.data, **attrs))
    return kernel


def _axes(axis):
    """An ``axis`` attribute as a tuple (None -> ())."""
    if axis is None:
        return ()
    return tuple(axis) if isinstance(axis, (tuple, list)) else (int(axis),)


# zero-preserving unary ops with sparse kernels for csr and row_sparse (MXNet 1.9.1)
UNARY_KEEP = ("abs", "sign", "round", "rint", "ceil", "floor", "trunc", "fix", "square",
              "sqrt", "cbrt", "expm1", "log1p", "sin", "tan", "arcsin", "arctan", "sinh",
              "tanh", "arcsinh", "arctanh", "degrees", "radians", "relu", "negative",
              "BlockGrad", "make_loss", "_copy", "_contrib_round_ste", "_contrib_sign_ste",
              "_mul_scalar", "_div_scalar", "_scatter_plus_scalar", "_scatter_minus_scalar",
              "_contrib_gradientmultiplier")
_table(UNARY_KEEP, keep_stype(), _on_data)


def _quadratic_rule(attrs, stypes):
    # MXNet 1.9.1 keeps csr (not row_sparse) when a*0^2 + b*0 + c stays 0
    return CSR if stypes[0] == CSR and attrs.get("c", 0.0) == 0 else DNS


_table(("_contrib_quadratic",), _quadratic_rule, _on_data)


def _zeros_like_kernel(op):
    def kernel(inputs, out, **attrs):
        p = inputs[0]
        if not _is_sparse(p):
            return NotImplemented
        return empty_parts(p.stype, p.shape, p.data.dtype, p.data.device)
    return kernel


_table(("zeros_like",), keep_stype(), _zeros_like_kernel)


def _value_rule(keep_if):
    """Rule for scalar ops that keep the structure only when ``f(0) == 0``."""
    def rule(attrs, stypes):
        if stypes and stypes[0] in SPARSE and keep_if(attrs):
            return stypes[0]
        return DNS
    return rule


_COMPARE_AT_ZERO = {
    "_plus_scalar": lambda s: s == 0, "_minus_scalar": lambda s: s == 0,
    "_equal_scalar": lambda s: s != 0, "_not_equal_scalar": lambda s: s == 0,
    "_greater_scalar": lambda s: s >= 0, "_greater_equal_scalar": lambda s: s > 0,
    "_lesser_scalar": lambda s: s <= 0, "_lesser_equal_scalar": lambda s: s < 0,
}
for _name, _zero_ok in _COMPARE_AT_ZERO.items():
    _table((_name,), _value_rule(lambda a, _ok=_zero_ok: _ok(a.get("scalar", 1.0))), _on_data)


def _clip_rule(attrs, stypes):
    if not stypes or stypes[0] not in SPARSE:
        return DNS
    low, high = attrs.get("a_min"), attrs.get("a_max")
    if not low <= 0 <= high:
        raise MXNetError(f"clip: a {stypes[0]} input needs a_min <= 0 <= a_max (zeros that "
                         f"are not stored must stay zero), got a_min={low}, a_max={high}")
    return stypes[0]


_table(("clip",), _clip_rule, _on_data)


# ---- element-wise binary ----------------------------------------------------------------


def _same_sparse_rule(attrs, stypes):
    if stypes[0] in SPARSE and all(s == stypes[0] for s in stypes):
        return stypes[0]
    return DNS


def _mul_rule(attrs, stypes):
    a, b = stypes
    if a in SPARSE and b in (a, DNS):
        return a
    if a == DNS and b in SPARSE:
        return b
    return DNS


def _rsp_union(parts, signs):
    """Row-sparse sum of ``parts`` (each times its sign) over the union of stored rows."""
    indices = torch.cat([p.aux[0] for p in parts])
    rows = torch.unique(indices, sorted=True)
    first = parts[0]
    data = torch.zeros((rows.numel(),) + tuple(first.shape[1:]), dtype=first.data.dtype,
                       device=first.data.device)
    for p, sign in zip(parts, signs):
        where = torch.searchsorted(rows, p.aux[0])
        data = add_rows(data, where, p.data if sign > 0 else -p.data)
    return SparseParts(RSP, first.shape, data, (rows,))


def _csr_keys(p):
    return csr_rows(p.aux[0], p.data.shape[0]) * p.shape[1] + p.aux[1]


def _csr_from_keys(shape, keys, data):
    """csr parts from sorted linear keys ``row * cols + col``."""
    rows = torch.div(keys, shape[1], rounding_mode="floor")
    counts = torch.bincount(rows, minlength=shape[0])
    indptr = torch.zeros(shape[0] + 1, dtype=torch.int64, device=keys.device)
    torch.cumsum(counts, dim=0, out=indptr[1:])
    return SparseParts(CSR, tuple(shape), data, (indptr, keys - rows * shape[1]))


def _csr_union(a, b, sign):
    """csr ``a + sign * b`` over the union of stored entries (MXNet drops zero sums)."""
    ka, kb = _csr_keys(a), _csr_keys(b)
    keys = torch.unique(torch.cat([ka, kb]), sorted=True)
    data = torch.zeros(keys.numel(), dtype=a.data.dtype, device=a.data.device)
    data = add_rows(data, torch.searchsorted(keys, ka), a.data)
    data = add_rows(data, torch.searchsorted(keys, kb), b.data if sign > 0 else -b.data)
    keep = data != 0
    return _csr_from_keys(a.shape, keys[keep], data[keep])


def _check_same_shape(name, inputs):
    shapes = [tuple(x.shape) for x in inputs]
    if any(s != shapes[0] for s in shapes):
        raise ShapeError(f"{name}: inputs must have the same shape, got {shapes}")


def _add_kernel(sign):
    def factory(op):
        def kernel(inputs, out, **attrs):
            a, b = inputs
            if not (_is_sparse(a) and _is_sparse(b) and a.stype == b.stype):
                return NotImplemented
            _check_same_shape(op.name, inputs)
            if a.stype == RSP:
                return _rsp_union([a, b], [1, sign])
            return _csr_union(a, b, sign)
        return kernel
    return factory


_table(("elemwise_add",), _same_sparse_rule, _add_kernel(1))
_table(("elemwise_sub",), _same_sparse_rule, _add_kernel(-1))


def _add_n_rule(attrs, stypes):
    return RSP if stypes and all(s == RSP for s in stypes) else DNS


def _add_n_kernel(op):
    def kernel(inputs, out, **attrs):
        if not inputs or not all(_is_sparse(p) and p.stype == RSP for p in inputs):
            return NotImplemented
        _check_same_shape(op.name, inputs)
        return _rsp_union(list(inputs), [1] * len(inputs))
    return kernel


_table(("add_n",), _add_n_rule, _add_n_kernel)


def _gather_dense(p, dense):
    """Values of ``dense`` (broadcast to p.shape) at p's stored positions."""
    dense = dense.expand(p.shape) if tuple(dense.shape) != tuple(p.shape) else dense
    if p.stype == CSR:
        return dense[csr_rows(p.aux[0], p.data.shape[0]), p.aux[1]]
    return dense[p.aux[0]]


def _rows_on(p, rows):
    """p's data laid out on the sorted row list ``rows`` (missing rows are zero)."""
    data = torch.zeros((rows.numel(),) + tuple(p.shape[1:]), dtype=p.data.dtype,
                       device=p.data.device)
    return data.index_copy(0, torch.searchsorted(rows, p.aux[0]), p.data)


def _mul_kernel(op):
    def kernel(inputs, out, **attrs):
        a, b = inputs
        _check_same_shape(op.name, inputs)
        if _is_sparse(a) and not _is_sparse(b):
            return a._replace(data=a.data * _gather_dense(a, b))
        if _is_sparse(b) and not _is_sparse(a):
            return b._replace(data=_gather_dense(b, a) * b.data)
        if a.stype != b.stype:
            return NotImplemented
        if a.stype == RSP:
            rows = torch.unique(torch.cat([a.aux[0], b.aux[0]]), sorted=True)
            return SparseParts(RSP, a.shape, _rows_on(a, rows) * _rows_on(b, rows), (rows,))
        ka, kb = _csr_keys(a), _csr_keys(b)
        both = torch.isin(ka, kb)
        keys = ka[both]
        data = a.data[both] * b.data[torch.searchsorted(kb, keys)]
        keep = data != 0  # as MXNet: zero products are not stored
        return _csr_from_keys(a.shape, keys[keep], data[keep])
    return kernel


_table(("elemwise_mul",), _mul_rule, _mul_kernel)


def _union_kernel(fn):
    """``fn`` of two same-stype sparse arrays over the union of their stored rows (row_sparse)
    or entries (csr; zero results are not stored). Unstored positions are 0 in both, so for
    ``maximum``/``minimum`` they stay 0, as MXNet's storage rule assumes."""
    def factory(op):
        def kernel(inputs, out, **attrs):
            a, b = inputs
            if not (_is_sparse(a) and _is_sparse(b) and a.stype == b.stype):
                return NotImplemented
            _check_same_shape(op.name, inputs)
            if a.stype == RSP:
                rows = torch.unique(torch.cat([a.aux[0], b.aux[0]]), sorted=True)
                return SparseParts(RSP, a.shape, fn(_rows_on(a, rows), _rows_on(b, rows)),
                                   (rows,))
            ka, kb = _csr_keys(a), _csr_keys(b)
            keys = torch.unique(torch.cat([ka, kb]), sorted=True)
            va = torch.zeros(keys.numel(), dtype=a.data.dtype, device=a.data.device)
            vb = torch.zeros_like(va)
            va[torch.searchsorted(keys, ka)] = a.data
            vb[torch.searchsorted(keys, kb)] = b.data
            data = fn(va, vb)
            keep = data != 0
            return _csr_from_keys(a.shape, keys[keep], data[keep])
        return kernel
    return factory


_table(("_maximum",), _same_sparse_rule, _union_kernel(torch.maximum))
_table(("_minimum",), _same_sparse_rule, _union_kernel(torch.minimum))


def _broadcast_rule(vector_only):
    def rule(attrs, stypes):
        return CSR if stypes == [CSR, DNS] or stypes == (CSR, DNS) else DNS
    rule.vector_only = vector_only
    return rule


def _broadcast_kernel(fn, vector_only):
    def factory(op):
        def kernel(inputs, out, **attrs):
            a, b = inputs
            if not (_is_sparse(a) and a.stype == CSR) or _is_sparse(b):
                return NotImplemented
            if b.dim() == 1:  # a vector broadcasts as the row (1, n), as in MXNet 1.9.1
                b = b.reshape(1, -1)
            if b.dim() != 2 or any(d not in (1, n) for d, n in zip(b.shape, a.shape)):
                raise ShapeError(f"{op.name}: the dense operand of shape {tuple(b.shape)} "
                                 f"does not broadcast to the csr shape {a.shape}")
            if vector_only and tuple(b.shape) == tuple(a.shape) and 1 not in a.shape:
                raise MXNetError(f"{op.name}: a csr lhs needs a row (1, n) or column (m, 1) "
                                 f"dense rhs, got shape {tuple(b.shape)}; use elemwise_div")
            return a._replace(data=fn(a.data, _gather_dense(a, b)))
        return kernel
    return factory


_table(("broadcast_mul",), _broadcast_rule(False), _broadcast_kernel(torch.mul, False))
_table(("broadcast_div",), _broadcast_rule(True), _broadcast_kernel(torch.div, True))


# ---- dot ----------------------------------------------------------------------------------


def _dot_rule(attrs, stypes):
    forced = attrs.get("forward_stype")
    if forced:
        return forced
    a, b = stypes
    ta, tb = attrs.get("transpose_a", False), attrs.get("transpose_b", False)
    if a == CSR and b in (DNS, RSP) and ta and not tb:
        return RSP
    if a == DNS and b == CSR and not ta:
        return CSR
    return DNS


def _csr_matmul(p, dense):
    """csr (m, k) @ dense (k, ...) -> dense (m, ...)."""
    indptr, indices = p.aux
    if dense.dtype in (torch.float32, torch.float64) and dense.dtype == p.data.dtype \
            and dense.dim() == 2 and not (dense.requires_grad or p.data.requires_grad):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: "sparse CSR support is in beta"
            view = torch.sparse_csr_tensor(indptr, indices, p.data, size=p.shape,
                                           check_invariants=False)
            return torch.sparse.mm(view, dense)
    rows = csr_rows(indptr, p.data.shape[0])
    out = torch.zeros((p.shape[0],) + tuple(dense.shape[1:]), dtype=dense.dtype,
                      device=dense.device)
    return add_rows(out, rows, p.data.reshape((-1,) + (1,) * (dense.dim() - 1))
                    * dense[indices])


def _csr_transpose(p):
    """(stored columns, csr of p.T restricted to those rows): p's entries regrouped by
    column; csr's (indptr, indices) of the transpose come from a stable sort."""
    indptr, indices = p.aux
    order = torch.argsort(indices, stable=True)
    cols, counts = torch.unique_consecutive(indices[order], return_counts=True)
    tptr = torch.zeros(cols.numel() + 1, dtype=torch.int64, device=indices.device)
    torch.cumsum(counts, dim=0, out=tptr[1:])
    src = csr_rows(indptr, p.data.shape[0])[order]
    return cols, SparseParts(CSR, (cols.numel(), p.shape[0]), p.data[order], (tptr, src))


def _csr_t_matmul(p, dense):
    """csr (m, k).T @ dense (m, n) -> row_sparse (k, n) on the stored columns."""
    cols, transposed = _csr_transpose(p)
    return SparseParts(RSP, (p.shape[1], dense.shape[1]), _csr_matmul(transposed, dense),
                       (cols,))


def _dense_csr(dense, p):
    """dense (m, k) @ csr (k, n) -> csr storing every column that csr stores anywhere."""
    cols, transposed = _csr_transpose(p)
    part_t = _csr_matmul(transposed, dense.t().contiguous())  # (stored columns, m)
    m, width = dense.shape[0], cols.numel()
    indptr_out = torch.arange(m + 1, device=dense.device, dtype=torch.int64) * width
    return SparseParts(CSR, (m, p.shape[1]), part_t.t().reshape(-1),
                       (indptr_out, cols.repeat(m)))


def _dot_kernel(op):
    def kernel(inputs, out, **attrs):
        a, b = inputs
        ta, tb = attrs.get("transpose_a", False), attrs.get("transpose_b", False)
        if _is_sparse(a) and a.stype == CSR and not tb and (not _is_sparse(b) or b.stype == RSP):
            rhs = _dense_of(b)
            _check_dot(a.shape, rhs.shape, ta)
            if ta:
                return _csr_t_matmul(a, rhs) if rhs.dim() == 2 else NotImplemented
            return _csr_matmul(a, rhs)
        if not _is_sparse(a) and _is_sparse(b) and b.stype == CSR and not ta and not tb \
                and a.dim() == 2:
            _check_dot(a.shape, b.shape, False, lhs_dense=True)
            return _dense_csr(a, b)
        return NotImplemented
    return kernel


def _check_dot(lshape, rshape, transpose_a, lhs_dense=False):
    inner = lshape[0] if transpose_a else lshape[-1]
    if inner != rshape[0]:
        raise ShapeError(f"dot: shapes {tuple(lshape)} and {tuple(rshape)} do not align "
                         f"(transpose_a={transpose_a}): {inner} vs {rshape[0]}")


_table(("dot",), _dot_rule, _dot_kernel)


# ---- slicing, gathering, joining --------------------------------------------------------


def _csr_rows_slice(p, begin, end):
    indptr, indices = p.aux
    lo, hi = int(indptr[begin]), int(indptr[end])
    return SparseParts(CSR, (end - begin, p.shape[1]), p.data[lo:hi],
                       (indptr[begin:end + 1] - lo, indices[lo:hi]))


def _csr_cols_slice(p, begin, end):
    rows = csr_rows(p.aux[0], p.data.shape[0])
    keep = (p.aux[1] >= begin) & (p.aux[1] < end)
    keys = rows[keep] * (end - begin) + (p.aux[1][keep] - begin)
    return _csr_from_keys((p.shape[0], end - begin), keys, p.data[keep])


def _bound(value, default, size):
    if value is None:
        return default
    value = int(value)
    return max(0, min(size, value + size if value < 0 else value))


def _slice_kernel(op):
    def kernel(inputs, out, **attrs):
        p = inputs[0]
        if not (_is_sparse(p) and p.stype == CSR):
            return NotImplemented
        begin, end, step = attrs["begin"], attrs["end"], attrs.get("step") or ()
        if any(s not in (None, 1) for s in step):
            raise MXNetError(f"slice: a csr array supports step 1 only, got step={step}")
        if len(begin) > 2 or len(end) != len(begin):
            raise ShapeError(f"slice: begin {begin} and end {end} do not fit the csr shape "
                             f"{p.shape}")
        r0 = _bound(begin[0], 0, p.shape[0])
        r1 = max(r0, _bound(end[0], p.shape[0], p.shape[0]))
        result = _csr_rows_slice(p, r0, r1)
        if len(begin) == 2:
            c0 = _bound(begin[1], 0, p.shape[1])
            c1 = max(c0, _bound(end[1], p.shape[1], p.shape[1]))
            result = _csr_cols_slice(result, c0, c1)
        return result
    return kernel


_table(("slice",), keep_stype((CSR,)), _slice_kernel)


def _take_rule(attrs, stypes):
    return CSR if stypes[0] == CSR and stypes[1] == DNS and attrs.get("axis", 0) == 0 else DNS


def _take_kernel(op):
    def kernel(inputs, out, **attrs):
        p, idx = inputs
        if not (_is_sparse(p) and p.stype == CSR) or _is_sparse(idx) or attrs.get("axis", 0):
            return NotImplemented
        rows = idx.reshape(-1).to(torch.int64)
        n = p.shape[0]
        if attrs.get("mode", "clip") == "wrap":
            rows = torch.remainder(rows, n)
        elif attrs.get("mode") == "raise" and rows.numel() and (
                int(rows.min()) < 0 or int(rows.max()) >= n):
            raise MXNetError(f"take: an index lies outside [0, {n})")
        else:
            rows = rows.clamp(0, n - 1)
        indptr, indices = p.aux
        starts, counts = indptr[rows], indptr[rows + 1] - indptr[rows]
        out_ptr = torch.zeros(rows.numel() + 1, dtype=torch.int64, device=rows.device)
        torch.cumsum(counts, dim=0, out=out_ptr[1:])
        total = int(out_ptr[-1])
        offset = torch.arange(total, device=rows.device) - torch.repeat_interleave(
            out_ptr[:-1], counts, output_size=total)
        pos = torch.repeat_interleave(starts, counts, output_size=total) + offset
        return SparseParts(CSR, (rows.numel(), p.shape[1]), p.data[pos], (out_ptr, indices[pos]))
    return kernel


_table(("take",), _take_rule, _take_kernel)


def _concat_rule(attrs, stypes):
    return CSR if stypes and all(s == CSR for s in stypes) and attrs.get("dim", 1) == 0 else DNS


def _concat_kernel(op):
    def kernel(inputs, out, **attrs):
        if attrs.get("dim", 1) != 0 or not all(_is_sparse(p) and p.stype == CSR for p in inputs):
            return NotImplemented
        cols = {p.shape[1] for p in inputs}
        if len(cols) != 1:
            raise ShapeError(f"Concat: csr inputs need the same number of columns, got "
                             f"{[p.shape for p in inputs]}")
        ptrs, offset = [inputs[0].aux[0][:1]], 0
        for p in inputs:
            ptrs.append(p.aux[0][1:] + offset)
            offset += p.data.shape[0]
        shape = (sum(p.shape[0] for p in inputs), cols.pop())
        return SparseParts(CSR, shape, torch.cat([p.data for p in inputs]),
                           (torch.cat(ptrs), torch.cat([p.aux[1] for p in inputs])))
    return kernel


_table(("Concat",), _concat_rule, _concat_kernel)


# ---- retain, _square_sum, getnnz (defined in reduce.py) --------------------------------------------------------


@defop("_sparse_retain", inputs=("data", "indices"), same_dtype=())
def sparse_retain(data, indices):
    """Keep the rows of ``data`` listed in ``indices``; every other row becomes zero."""
    if data.dim() < 1:
        raise ShapeError("_sparse_retain: data needs at least one dimension")
    rows = indices.reshape(-1).to(torch.int64)
    keep = torch.zeros(data.shape[0], dtype=torch.bool, device=data.device)
    keep = keep.index_fill(0, rows, True)
    keep = keep.reshape((-1,) + (1,) * (data.dim() - 1))
    return torch.where(keep, data, torch.zeros((), dtype=data.dtype, device=data.device))


def _needs_rsp(name):
    def rule(attrs, stypes):
        if stypes[0] != RSP:
            raise MXNetError(f"{name}: the data input must be row_sparse, got {stypes[0]}")
        return RSP
    return rule


def _retain_kernel(op):
    def kernel(inputs, out, **attrs):
        p, idx = inputs
        rows = idx.reshape(-1).to(torch.int64)  # as MXNet: in the order given
        if rows.numel() and (int(rows.min()) < 0 or int(rows.max()) >= p.shape[0]):
            raise MXNetError(f"_sparse_retain: an index lies outside [0, {p.shape[0]})")
        stored = p.aux[0]
        data = torch.zeros((rows.numel(),) + tuple(p.shape[1:]), dtype=p.data.dtype,
                           device=p.data.device)
        if stored.numel():
            pos = torch.searchsorted(stored, rows).clamp(max=stored.numel() - 1)
            found = stored[pos] == rows
            data[found] = p.data[pos[found]]
        return SparseParts(RSP, p.shape, data, (rows,))
    return kernel


_table(("_sparse_retain",), _needs_rsp("_sparse_retain"), _retain_kernel)


def _embedding_rule(attrs, stypes):
    if len(stypes) > 1 and stypes[1] == CSR:
        raise MXNetError("Embedding: the weight must be dense or row_sparse, got csr")
    return DNS


def _embedding_kernel(op):
    """Rows of a row_sparse weight looked up without densifying it (missing rows are 0)."""
    def kernel(inputs, out, **attrs):
        data, weight = inputs[0], inputs[1]
        if _is_sparse(data) or not (_is_sparse(weight) and weight.stype == RSP):
            return NotImplemented
        input_dim, output_dim = attrs["input_dim"], attrs["output_dim"]
        if tuple(weight.shape) != (input_dim, output_dim):
            raise ShapeError(f"{op.name}: input 'weight' has shape {weight.shape}, expected "
                             f"{(input_dim, output_dim)} (input_dim, output_dim)")
        ids = data.detach().clamp(0, input_dim - 1).to(torch.int64)
        rows = torch.zeros(tuple(ids.shape) + (output_dim,), dtype=weight.data.dtype,
                           device=weight.data.device)
        stored = weight.aux[0]
        if stored.numel():
            pos = torch.searchsorted(stored, ids).clamp(max=stored.numel() - 1)
            found = stored[pos] == ids
            rows = rows.index_put((found,), weight.data[pos[found]])
        return rows
    return kernel


_table(("Embedding", "_contrib_SparseEmbedding"), _embedding_rule, _embedding_kernel)


def _fc_kernel(op):
    """FullyConnected of csr data and a dense weight: ``dot(data, weight.T) + bias``."""
    def kernel(inputs, out, **attrs):
        data, weight = inputs[0], inputs[1]
        bias = inputs[2] if len(inputs) > 2 else None
        if not (_is_sparse(data) and data.stype == CSR) or _is_sparse(weight) or \
                _is_sparse(bias):
            return NotImplemented
        if tuple(weight.shape) != (attrs["num_hidden"], data.shape[1]):
            raise ShapeError(f"FullyConnected: input 'weight' has shape {tuple(weight.shape)}, "
                             f"expected {(attrs['num_hidden'], data.shape[1])} (num_hidden, "
                             f"input_dim) for data of shape {data.shape}")
        result = _csr_matmul(data, weight.t())
        return result if bias is None else result + bias
    return kernel


_table(("FullyConnected",), None, _fc_kernel)


def _square_sum_rule(attrs, stypes):
    if stypes[0] != RSP:
        raise MXNetError(f"_square_sum: the data input must be row_sparse, got {stypes[0]}")
    axis = attrs.get("axis")
    return RSP if _axes(axis) in ((1,), (-1,)) and attrs.get("keepdims") else DNS


def _square_sum_kernel(op):
    def kernel(inputs, out, **attrs):
        p = inputs[0]
        if not _is_sparse(p) or p.stype != RSP or len(p.shape) != 2 or attrs.get("exclude"):
            return NotImplemented
        axis, keep = _axes(attrs.get("axis")), attrs.get("keepdims", False)
        sq = p.data * p.data
        if axis in ((1,), (-1,)):
            sums = sq.sum(dim=1, keepdim=keep)
            if keep:
                return SparseParts(RSP, (p.shape[0], 1), sums, p.aux)
            return add_rows(torch.zeros(p.shape[0], dtype=sq.dtype, device=sq.device),
                            p.aux[0], sums)
        if axis in ((0,), (-2,)):
            return sq.sum(dim=0, keepdim=keep)
        return NotImplemented
    return kernel


_table(("_square_sum",), _square_sum_rule, _square_sum_kernel)


def _getnnz_rule(attrs, stypes):
    if stypes[0] != CSR:
        raise MXNetError(f"getnnz: the data input must be csr, got {stypes[0]}")
    return DNS


def _getnnz_kernel(op):
    def kernel(inputs, out, axis=None):
        p = inputs[0]
        indptr, indices = p.aux
        if axis is None:
            return indptr[-1:].clone()
        if int(axis) in (1, -1):
            return indptr[1:] - indptr[:-1]
        if int(axis) in (0, -2):
            return torch.bincount(indices, minlength=p.shape[1])
        raise MXNetError(f"getnnz: axis must be None, 0 or 1, got {axis}")
    return kernel


_table(("_contrib_getnnz",), _getnnz_rule, _getnnz_kernel)


# ---- row_sparse scatter ops ---------------------------------------------------------------


@defop("_scatter_elemwise_div", inputs=("lhs", "rhs"), shape_rule="same")
def scatter_elemwise_div(lhs, rhs):
    """``lhs / rhs``; with a row_sparse lhs only its stored rows are divided."""
    return lhs / rhs


def _scatter_div_kernel(op):
    def kernel(inputs, out, **attrs):
        a, b = inputs
        if not (_is_sparse(a) and a.stype == RSP):
            return NotImplemented
        _check_same_shape(op.name, inputs)
        return a._replace(data=a.data / _dense_of(b)[a.aux[0]])
    return kernel


_table(("_scatter_elemwise_div",), keep_stype((RSP,)), _scatter_div_kernel)

@defop("_scatter_plus_scalar", attrs=SCALAR_ATTRS, shape_rule="same")
def scatter_plus_scalar(data, scalar, is_int):
    """``data + scalar``; with sparse data only the stored values change."""
    return data + scalar


@defop("_scatter_minus_scalar", attrs=SCALAR_ATTRS, shape_rule="same")
def scatter_minus_scalar(data, scalar, is_int):
    """``data - scalar``; with sparse data only the stored values change."""
    return data - scalar


_table(("_scatter_plus_scalar", "_scatter_minus_scalar"), keep_stype(), _on_data)


# ---- reductions (dense results) --------------------------------------------------------


def _reduce_kernel(op):
    """sum / mean of a 2-D sparse array over None, 0 or 1 from the stored values."""
    def kernel(inputs, out, **attrs):
        p = inputs[0]
        axis = _axes(attrs.get("axis"))
        if not _is_sparse(p) or len(p.shape) != 2 or attrs.get("exclude") or \
                not set(axis) <= {0, 1, -1, -2} or not p.data.is_floating_point():
            return NotImplemented
        axis = tuple(sorted({a % 2 for a in axis})) or (0, 1)
        data = p.data
        if axis == (0, 1):
            total = data.sum()
        elif axis == (0,):
            cols = p.aux[1] if p.stype == CSR else None
            total = data.sum(dim=0) if cols is None else add_rows(
                torch.zeros(p.shape[1], dtype=data.dtype, device=data.device), cols, data)
        else:
            rows = csr_rows(p.aux[0], data.shape[0]) if p.stype == CSR else p.aux[0]
            sums = data if p.stype == CSR else data.sum(dim=1)
            total = add_rows(torch.zeros(p.shape[0], dtype=data.dtype, device=data.device),
                             rows, sums)
        if op.name == "mean":
            count = 1
            for a in axis:
                count *= p.shape[a]
            total = total / count
        if attrs.get("keepdims"):
            shape = tuple(1 if d in axis else n for d, n in enumerate(p.shape))
        else:  # MXNet's legacy reductions give (1,) rather than a 0-d array
            shape = tuple(n for d, n in enumerate(p.shape) if d not in axis) or (1,)
        return total.reshape(shape)
    return kernel


_table(("sum", "mean"), None, _reduce_kernel)


def _norm_kernel(op):
    """norm over the whole array from the stored values (other axes: dense fallback)."""
    def kernel(inputs, out, **attrs):
        p = inputs[0]
        if not _is_sparse(p) or attrs.get("axis") is not None or attrs.get("out_dtype") \
                or not p.data.is_floating_point() or attrs.get("ord", 2) not in (1, 2):
            return NotImplemented
        data = p.data
        value = data.abs().sum() if attrs.get("ord", 2) == 1 else data.pow(2).sum().sqrt()
        shape = (1,) * len(p.shape) if attrs.get("keepdims") else (1,)
        return value.reshape(shape)
    return kernel


_table(("norm",), None, _norm_kernel)


# ---- cast_storage ---------------------------------------------------------------------


@defop("cast_storage", attrs=(Attr("stype", Enum("csr", "default", "row_sparse"),
                                   doc="Output storage type"),))
def cast_storage(data, stype):
    """Change the storage type; the values stay the same (csr needs a 2-D array)."""
    if stype == CSR and data.dim() != 2:
        raise ShapeError(f"cast_storage: a csr array must be 2-D, got shape "
                         f"{tuple(data.shape)}")
    if stype == RSP and data.dim() < 1:
        raise ShapeError("cast_storage: a row_sparse array needs at least one dimension")
    return data.clone()


def _cast_rule(attrs, stypes):
    want = attrs.get("stype", DNS)
    if stypes[0] in SPARSE and want in SPARSE and want != stypes[0]:
        raise MXNetError(f"cast_storage: {stypes[0]} -> {want} is not supported (MXNet "
                         f"converts only to and from 'default')")
    return want


def _cast_kernel(op):
    def kernel(inputs, out, stype):
        p = inputs[0]
        if not _is_sparse(p):
            if stype == DNS:
                return p.clone()
            return from_dense(stype, p)
        if stype == DNS:
            return to_dense(p)
        return SparseParts(p.stype, p.shape, p.data.clone(), tuple(a.clone() for a in p.aux))
    return kernel


_table(("cast_storage",), _cast_rule, _cast_kernel)

# ops whose result may be sparse although every input is dense
DENSE_TO_SPARSE = frozenset(("cast_storage", "dot"))
