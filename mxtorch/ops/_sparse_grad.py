"""MXNet's gradient storage types (``OpDef.grad_stype``) and the rows a row_sparse gradient
stores.

MXNet decides a gradient's storage type per operator and input, and a row_sparse gradient's
stored rows from the indices the forward pass used, not from its values: an Embedding
gradient stores every looked-up id, including ids whose gradient rows are all zero, and a lazy
optimizer update then touches exactly those rows. Torch computes the values; this table says
which rows are stored:

- ``Embedding(sparse_grad=True)`` / ``SparseEmbedding``: the unique looked-up ids (for a
  dense weight the kernel asks torch for a sparse gradient, whose indices are exactly these
  ids; a row_sparse weight keeps these rows of its stored data's gradient).
- ``dot(csr, w)`` w.r.t. ``w``: the unique column indices stored in the csr array.
- ``_sparse_retain(data, indices)`` w.r.t. ``data``: the retained indices.
- ``_square_sum(rsp)`` w.r.t. its input: the input's stored rows.

Every other gradient is computed dense and stored in the gradient buffer's storage type
(non-zero rows or entries, as MXNet's storage fallback casts it). ``STRICT`` ops raise when
the buffer's storage type differs from the gradient's (MXNet checks it in Embedding).
"""
import torch

from ._registry import REGISTRY, SparseParts

DNS, RSP, CSR = "default", "row_sparse", "csr"


def _embedding(attrs, stypes):
    return (DNS, RSP if attrs.get("sparse_grad") else DNS)


def _sparse_embedding(attrs, stypes):
    return (DNS, RSP)


def _dot(attrs, stypes):
    # NOTE: MXNet's executor gives a csr lhs a dense gradient buffer; dot(csr, w) gives w a
    # row_sparse one (the csr's columns)
    plain = stypes[0] == CSR and not attrs.get("transpose_a") and not attrs.get("transpose_b")
    return (DNS, RSP if plain else DNS)


def _retain(attrs, stypes):
    return (RSP, DNS)


def _square_sum(attrs, stypes):
    return (RSP if stypes[0] == RSP else DNS,)


def _unique_rows(t):
    return torch.unique(t.reshape(-1).to(torch.int64))


def _embedding_rows(attrs, inputs):
    # only a row_sparse weight needs this (a dense one gets torch's sparse gradient)
    if not isinstance(inputs[1], SparseParts):
        return {}
    ids = inputs[0].data if isinstance(inputs[0], SparseParts) else inputs[0]
    return {1: _unique_rows(ids.detach().clamp(0, attrs["input_dim"] - 1))}


def _dot_rows(attrs, inputs):
    lhs = inputs[0]
    if isinstance(lhs, SparseParts) and lhs.stype == CSR:
        return {1: _unique_rows(lhs.aux[1])}
    return {}


def _retain_rows(attrs, inputs):
    idx = inputs[1]
    idx = idx.data if isinstance(idx, SparseParts) else idx
    return {0: _unique_rows(idx)}


def _square_sum_rows(attrs, inputs):
    data = inputs[0]
    if isinstance(data, SparseParts) and data.stype == RSP:
        return {0: data.aux[0].to(torch.int64)}
    return {}


# op name -> (grad_stype rule, stored-rows rule or None)
TABLE = {
    "Embedding": (_embedding, _embedding_rows),
    "_contrib_SparseEmbedding": (_sparse_embedding, _embedding_rows),
    "dot": (_dot, _dot_rows),
    "_sparse_retain": (_retain, _retain_rows),
    "_square_sum": (_square_sum, _square_sum_rows),
}
STRICT = frozenset(("Embedding", "_contrib_SparseEmbedding"))
ROWS = {name: rows for name, (_, rows) in TABLE.items() if rows is not None}

for _name, (_rule, _) in TABLE.items():
    if REGISTRY[_name].grad_stype is None:
        REGISTRY[_name].grad_stype = _rule
del _name, _rule


class KeepRows(torch.autograd.Function):
    """Identity whose backward stores only ``rows`` of the incoming gradient, as a sparse COO
    gradient (zero rows included): how MXNet's row_sparse gradients reach a leaf."""

    @staticmethod
    def forward(ctx, t, rows):
        ctx.rows = rows
        return t.view_as(t)

    @staticmethod
    def backward(ctx, grad):
        rows = ctx.rows.to(grad.device)
        if grad.is_sparse:
            grad = grad.to_dense()
        values = grad.index_select(0, rows)
        return torch.sparse_coo_tensor(rows.reshape(1, -1), values, grad.shape,
                                       is_coalesced=True, check_invariants=False), None


class MismatchedGrad(torch.autograd.Function):
    """Identity whose backward raises: the input's gradient buffer has a storage type the op
    cannot produce (MXNet raises in backward too)."""

    @staticmethod
    def forward(ctx, t, message):
        ctx.message = message
        return t.view_as(t)

    @staticmethod
    def backward(ctx, grad):
        from ..base import MXNetError
        raise MXNetError(ctx.message)
