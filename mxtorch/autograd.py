"""Imperative autograd with MXNet's semantics, on torch's autograd engine.

- Operators build a graph only inside ``record()``; outside it they never track gradients.
- ``attach_grad(grad_req)`` turns an array into a leaf with an MXNet-owned gradient buffer;
  after ``backward()``, ``'write'`` overwrites that buffer, ``'add'`` accumulates into it and
  ``'null'`` leaves it alone (torch itself always accumulates into ``.grad``).
- ``is_training()`` follows ``record(train_mode=...)``, ``train_mode()`` and ``predict_mode()``.
"""
import threading

import torch

from .base import MXNetError
# MXNet's autograd namespace also offers these (``from mxnet.autograd import *``):
import traceback  # noqa: E402,F401
from array import array  # noqa: E402,F401
from ctypes import cast  # noqa: E402,F401
from threading import Lock  # noqa: E402,F401
from .base import string_types  # noqa: E402,F401

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "backward", "grad", "mark_variables", "Function",
           "get_symbol", "Lock", "NDArray", "Symbol", "array", "cast", "string_types",
           "traceback"]


def __getattr__(name):
    """``NDArray``/``Symbol`` on first use (they import this module)."""
    if name == "NDArray":
        from .ndarray.ndarray import NDArray
        return NDArray
    if name == "Symbol":
        from .symbol.symbol import Symbol
        return Symbol
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _State(threading.local):
    def __init__(self):
        super().__init__()
        self.recording = False
        self.training = False


STATE = _State()


def is_recording():
    """Whether operators are being recorded for ``backward``."""
    return STATE.recording


def is_training():
    """Whether layers run in training mode (Dropout active, BatchNorm uses batch stats)."""
    return STATE.training


def set_recording(is_recording):  # noqa: F811 - MXNet's parameter name
    """Turn recording on/off; returns the previous state."""
    prev = STATE.recording
    STATE.recording = bool(is_recording)
    seam = _KEEP or _keeper()
    if STATE.recording and seam[0][0] is None:
        seam[0][0] = seam[1]
    elif not STATE.recording and seam[0][0] is seam[1]:
        seam[0][0] = None
    return prev


def set_training(train_mode):  # noqa: F811
    """Turn training mode on/off; returns the previous state."""
    prev = STATE.training
    STATE.training = bool(train_mode)
    return prev


class _Scope:
    """Context manager that sets recording and/or training and restores them on exit."""
    __slots__ = ("_rec", "_train", "_prev_rec", "_prev_train", "_prev_grad", "_kept")

    def __init__(self, is_record, train_mode):
        self._rec = is_record
        self._train = None if train_mode is None else bool(train_mode)
        self._prev_rec = self._prev_train = self._prev_grad = None
        self._kept = False

    def __enter__(self):
        state = STATE
        if self._rec is not None:
            self._prev_rec = state.recording
            state.recording = self._rec
            self._prev_grad = torch.is_grad_enabled()
            _set_grad_enabled(self._rec)
            seam = _KEEP or _keeper()  # keep the recorded operators for get_symbol
            if self._rec:
                if seam[0][0] is None:
                    seam[0][0] = seam[1]
                    self._kept = True
            elif seam[0][0] is seam[1] and seam[1] is not None:  # pause(): keep nothing
                seam[0][0] = None
                self._kept = True
        if self._train is not None:
            self._prev_train = state.training
            state.training = self._train
        return self

    def __exit__(self, *exc):
        state = STATE
        if self._rec is not None:
            state.recording = self._prev_rec
            _set_grad_enabled(self._prev_grad)
            if self._kept:  # undo what __enter__ did to the seam
                self._kept = False
                seam = _KEEP[0]
                if self._rec and seam[0] is _KEEP[1]:
                    seam[0] = None
                elif not self._rec and seam[0] is None:
                    seam[0] = _KEEP[1]
        if self._train is not None:
            state.training = self._prev_train


# [the nd door's tracing seam (ndarray.DEFERRED), the recorder of _deferred_compute]
_KEEP = []


def _keeper():
    if not _KEEP:
        from .ndarray.ndarray import DEFERRED
        from ._deferred_compute import KEEPER
        _KEEP.extend((DEFERRED, KEEPER))
    return _KEEP


# torch.set_grad_enabled without its context-manager object (the scopes above run per step)
_set_grad_enabled = getattr(torch._C, "_set_grad_enabled", torch.set_grad_enabled)


def record(train_mode=True):
    """Record operators for gradient computation: ``with autograd.record(): y = f(x)``."""
    return _Scope(True, train_mode)


def pause(train_mode=False):
    """Stop recording inside a ``record()`` block."""
    return _Scope(False, train_mode)


def train_mode():
    """Run in training mode without changing recording."""
    return _Scope(None, True)


def predict_mode():
    """Run in inference mode without changing recording."""
    return _Scope(None, False)


# --------------------------------------------------------------------------------------------
# variables and gradient buffers
# --------------------------------------------------------------------------------------------

_VALID_REQS = ("write", "add", "null")


class GradInfo:
    """An attached array's gradient buffer (an NDArray), its grad_req and storage type; for
    a sparse array, also its dense leaf and the stored data that leaf was made from."""
    __slots__ = ("buffer", "req", "fresh", "stype", "dense", "dense_of", "__weakref__")

    def __init__(self, buffer, req):
        self.buffer = buffer
        self.req = req
        self.fresh = False
        self.stype = buffer.stype if buffer is not None else "default"
        self.dense = self.dense_of = None


def _make_hook(info, parts_of=None):
    """The hook that moves a leaf's torch gradient into ``info``'s buffer; ``parts_of``
    (sparse arrays, whose leaf is their data) turns the gradient into SparseParts."""
    def deliver(leaf):
        g = leaf.grad
        leaf.grad = None
        if g is None:
            return
        req = info.req
        if req == "write" and parts_of is None and type(g) is _Tensor and not g.requires_grad \
                and g._base is None and info.stype == "default":
            # the common case, inlined: a dense fresh gradient the buffer can take over
            target = info.buffer._t
            if g.layout is _STRIDED and g.dtype == target.dtype and g.shape == target.shape \
                    and g.is_contiguous() and g.device == target.device \
                    and target._base is None and target.is_contiguous():
                info.buffer._t = g
                info.fresh = True
                return
        if req == "null":
            return
        if parts_of is not None:
            g = parts_of(g)
        if info.stype != "default":
            _deliver_sparse(info, g)
            info.fresh = True
            return
        if not isinstance(g, torch.Tensor) or g.is_sparse:  # sparse gradient, dense buffer
            g = _dense_value(g, info.buffer)
        target = info.buffer._t
        if info.req == "write" and _can_adopt(g, target):
            # NOTE: torch hands each leaf its own fresh gradient tensor (AccumulateGrad copies
            # any that is shared), so the buffer can take it over instead of copying it.
            info.buffer._t = g
        else:
            with torch.no_grad():
                if info.req == "add":
                    target.add_(g)
                else:
                    target.copy_(g)
        info.fresh = True
    return deliver


_Tensor = torch.Tensor
_STRIDED = torch.strided


def _can_adopt(g, target):
    """A leaf's fresh gradient can replace its dense buffer: same layout, no graph, no view."""
    return (not g.requires_grad and g._base is None and g.dtype == target.dtype
            and g.shape == target.shape and g.device == target.device and g.is_contiguous()
            and target.is_contiguous() and target._base is None)


# --------------------------------------------------------------------------------------------
# sparse gradients (MXNet's gradient storage types, see ops/_sparse_grad.py)
# --------------------------------------------------------------------------------------------


def _attach_sparse(array, grad_req, buffer):
    """A sparse array differentiates through its dense value, as in MXNet: every position
    gets a gradient (not only the stored ones), stored in the buffer's storage type. While
    recording, operators on it run on that dense leaf (MXNet's storage fallback)."""
    info = GradInfo(buffer, grad_req)
    array._ag = info
    if grad_req != "null":
        _check_differentiable(array._parts().data)


def dense_leaf(array, create=True):
    """The dense autograd leaf of an attached sparse array (None if it has none), made on
    first use while recording (``create``) and again when the array's stored values were
    replaced since (in-place writes, updates)."""
    info = getattr(array, "_ag", None)
    if info is None:
        return None
    data = array._sd
    if info.buffer is None:  # a recorded sparse result: its dense value, while unchanged
        return info.dense if info.dense_of is data else None
    if info.req == "null":
        return None
    if info.dense is None or info.dense_of is not data:
        if not create:
            return None
        from .ndarray.sparse import kernels
        with torch.no_grad():
            leaf = kernels.to_dense(array._parts()).detach()
        leaf.requires_grad_(True)
        leaf.register_post_accumulate_grad_hook(_make_hook(info))
        info.dense, info.dense_of = leaf, data
    return info.dense


def _check_differentiable(t):
    if not (t.is_floating_point() or t.is_complex()):
        raise MXNetError(f"cannot attach a gradient to an array of dtype {t.dtype}: only "
                         "floating-point arrays have gradients; cast with .astype('float32')")


def _sparse_array(g, like):
    """A sparse NDArray from SparseParts ``g``."""
    from .ndarray import sparse
    return sparse._from_parts(g.stype, g.shape, g.data, tuple(g.aux), like.context)


def _dense_value(g, like):
    """Dense tensor of a gradient given as a torch sparse COO tensor or SparseParts."""
    if isinstance(g, torch.Tensor):
        return g.to_dense()
    return _sparse_array(g, like)._t


def _sparse_of(g, stype, like):
    """Gradient ``g`` (dense tensor, torch sparse COO tensor with exact stored rows, or
    SparseParts) as a new sparse NDArray of ``stype`` shaped like ``like``."""
    from .ndarray import sparse
    from .ndarray.ndarray import _wrap
    if not isinstance(g, torch.Tensor):
        if g.stype == stype:
            return _sparse_array(g, like)
        g = _dense_value(g, like)
    if stype == "row_sparse" and g.is_sparse:
        g = g.coalesce()
        rows = g.indices()[0].contiguous()
        return sparse._from_parts("row_sparse", like.shape, g.values().detach(), (rows,),
                                  like.context)
    dense = g.to_dense() if g.is_sparse else g
    return sparse.cast_storage(_wrap(dense.detach(), like.context), stype=stype)


def _union(old, new):
    """``old + new`` of two row_sparse arrays, keeping the union of their stored rows."""
    from .ndarray import sparse
    old_data, old_rows = old._sparse_parts()
    new_data, new_rows = new._sparse_parts()
    total = torch.sparse_coo_tensor(torch.cat([old_rows, new_rows]).reshape(1, -1),
                                    torch.cat([old_data, new_data.to(old_data.dtype)]),
                                    old.shape, check_invariants=False).coalesce()
    return sparse._from_parts("row_sparse", old.shape, total.values(),
                              (total.indices()[0].contiguous(),), old.context)


def _adopt(target, source):
    """Give the NDArray ``target`` the storage of ``source`` (same class), keeping its
    identity (``x.grad`` stays the same object)."""
    for cls in type(source).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if name in ("_ag", "__weakref__", "__dict__") or \
                    isinstance(getattr(type(source), name, None), property):
                continue  # a property over a slot (a sparse array's dense view) is derived
            try:
                setattr(target, name, getattr(source, name))
            except AttributeError:
                pass


def _deliver_sparse(info, g):
    """Write (or add) gradient ``g`` into a sparse gradient buffer."""
    buffer = info.buffer
    with torch.no_grad():
        new = _sparse_of(g, info.stype, buffer)
        if info.req == "add":
            if info.stype == "row_sparse":
                new = _union(buffer, new)
            else:
                from .ndarray import sparse
                new = sparse.cast_storage(buffer.tostype("default") + new.tostype("default"),
                                          stype=info.stype)
    _adopt(buffer, new)


def store_gradient(buffer, g, req="write"):
    """Write (``req='write'``) or add (``'add'``) gradient ``g`` -- a dense tensor, a torch
    sparse COO tensor (exact stored rows) or SparseParts -- into the NDArray ``buffer`` of
    any storage type (used by the Executor's backward)."""
    info = GradInfo(buffer, req)
    if g is None:  # the heads do not depend on this argument
        if req == "write":
            _clear(buffer)
        return
    if info.stype != "default":
        _deliver_sparse(info, g)
        return
    if not isinstance(g, torch.Tensor) or g.is_sparse:
        g = _dense_value(g, buffer)
    with torch.no_grad():
        if req == "add":
            buffer._t.add_(g)
        else:
            buffer._t.copy_(g)


def keep_gradient_rows(rules, leaves, arrays):
    """The tensors a compiled graph should read for its ``leaves`` so that the row_sparse
    gradients of ``rules`` (``symbol._stypes.row_rules``) store MXNet's rows."""
    from .ops._sparse_grad import ROWS, KeepRows
    fed = list(leaves)
    for i, uses in rules.items():
        rows = []
        for op, attrs, inputs, pos in uses:
            found = ROWS[op.name](attrs, [_parts_of(arrays[k]) for k in inputs]).get(pos)
            if found is None:
                break
            rows.append(found)
        else:
            fed[i] = KeepRows.apply(leaves[i], torch.unique(torch.cat(rows)))
    return fed


def _clear(buffer):
    """Zero a gradient buffer (a sparse one stores nothing afterwards)."""
    if buffer.stype == "default":
        with torch.no_grad():
            buffer._t.zero_()
        return
    from .ndarray import sparse
    _adopt(buffer, sparse.zeros(buffer.stype, buffer.shape, ctx=buffer.context,
                                dtype=buffer.dtype))


def sparse_grad_inputs(op, arrays, tensors, attrs):
    """While recording ``op`` on ``arrays``: route the gradients of attached inputs with
    sparse buffers through MXNet's stored rows (``ops/_sparse_grad.py``). Returns the
    tensors the op should run on."""
    from .ops._sparse_grad import ROWS, STRICT, KeepRows, MismatchedGrad
    wanted = op.grad_stype(attrs, [a.stype for a in arrays])
    names = op.input_names(attrs, len(arrays))
    out, parts = list(tensors), None
    for i, (array, t) in enumerate(zip(arrays, tensors)):
        info = getattr(array, "_ag", None)
        if info is None or info.req == "null":
            continue
        if not isinstance(t, torch.Tensor):  # a sparse leaf differentiates through its data
            out[i] = _keep_stored_rows(op, attrs, arrays, t, i, wanted, info)
            continue
        if not (t.requires_grad and t.is_leaf):
            continue
        want = wanted[i] if i < len(wanted) else "default"
        if op.name in STRICT and want != info.stype:
            out[i] = MismatchedGrad.apply(t, _mismatch_message(op, names[i], attrs, want,
                                                               info.stype))
        elif want == info.stype == "row_sparse" and op.name in ROWS:
            if parts is None:
                parts = [_parts_of(a) for a in arrays]
            rows = ROWS[op.name](attrs, parts).get(i)
            if rows is not None:
                out[i] = KeepRows.apply(t, rows)
    return out


def _keep_stored_rows(op, attrs, arrays, p, i, wanted, info):
    """Row-sparse input ``p`` (SparseParts over a leaf): restrict its gradient to the stored
    rows the op's rule names (``_sparse_retain``: the retained ones)."""
    from .ops._sparse_grad import ROWS, KeepRows
    want = wanted[i] if i < len(wanted) else "default"
    if p.stype != "row_sparse" or want != "row_sparse" or op.name not in ROWS or \
            not (p.data.requires_grad and p.data.is_leaf):
        return p
    rows = ROWS[op.name](attrs, [_parts_of(a) for a in arrays]).get(i)
    if rows is None:
        return p
    keep = torch.isin(p.aux[0], rows).nonzero().reshape(-1)
    return p._replace(data=KeepRows.apply(p.data, keep))


def _parts_of(array):
    from .ops._registry import SparseParts
    if array.stype == "default":
        return array._t
    if getattr(array, "_sparse", False):
        return array._parts()
    data, *aux = array._sparse_parts()
    return SparseParts(array.stype, array.shape, data, tuple(aux))


def _mismatch_message(op, name, attrs, want, have):
    fix = f"attach the gradient with attach_grad(stype='{want}')"
    if "sparse_grad" in op.attr_map:
        fix += f" or use sparse_grad={have == 'row_sparse'}"
    return (f"{op.name}: the gradient of input {name!r} is {want} with these arguments "
            f"(sparse_grad={attrs.get('sparse_grad')}), but its gradient buffer is {have}; "
            f"{fix}")


def check_grad_req(grad_req):
    if grad_req not in _VALID_REQS:
        raise MXNetError(f"grad_req must be one of {_VALID_REQS}, got {grad_req!r}")
    return grad_req


def attach(array, grad_req, buffer):
    """Make ``array`` a leaf variable whose gradient lands in ``buffer`` (an NDArray)."""
    check_grad_req(grad_req)
    if getattr(array, "_sparse", False):
        _attach_sparse(array, grad_req, buffer)
        return
    leaf = array._t.detach()
    info = GradInfo(buffer, grad_req)
    if grad_req != "null" and not (leaf.is_floating_point() or leaf.is_complex()):
        # MXNet differentiates integer arrays too: a float64 shadow holds the graph (see
        # ops/elemwise.py _carry_gradient); its gradient is cast into the integer buffer
        shadow = leaf.double().requires_grad_(True)
        shadow.register_post_accumulate_grad_hook(_make_hook(info))
        leaf._mx_shadow = shadow
        from ._deferred_compute import SHADOWED  # integer arithmetic now carries shadows
        SHADOWED[0] = True
    elif grad_req != "null":
        leaf.requires_grad_(True)
        leaf.register_post_accumulate_grad_hook(_make_hook(info))
    array._t = leaf
    array._ag = info


def mark_variables(variables, gradients, grad_reqs="write"):
    """Mark arrays as variables whose gradients go to the given ``gradients`` arrays."""
    if not isinstance(variables, (list, tuple)):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    if not len(variables) == len(gradients) == len(grad_reqs):
        raise MXNetError(f"mark_variables: got {len(variables)} variables, {len(gradients)} "
                         f"gradients and {len(grad_reqs)} grad_reqs; they must match")
    for var, g, req in zip(variables, gradients, grad_reqs):
        attach(var, req, g)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def mark_recorded(result):
    """Remember outputs computed under record() that carry no gradient (BlockGrad, argmax...):
    backward from them is legal in MXNet and yields zero gradients."""
    if type(result) is torch.Tensor:
        if not result.requires_grad:
            result._mx_recorded = True
        return
    for t in result:
        if not t.requires_grad:
            t._mx_recorded = True


def graph_freed(t):
    """Whether a backward without ``retain_graph`` already ran through the graph that computed
    tensor ``t``. MXNet clears that graph, so its arrays act as constants from then on."""
    if getattr(t, "_mx_freed", False):
        return True
    stack, visited = [t.grad_fn], 0
    while stack and visited < 64:   # the nearest node that saved a tensor tells
        node = stack.pop()
        if node is None:
            continue
        visited += 1
        state = _saved_state(node)
        if state is not None:
            return state
        stack.extend(n for n, _ in node.next_functions)
    return False


def release_cleared(arrays):
    """Make arrays whose graph a backward already cleared constants, in place (MXNet's view of
    them); other arrays are left alone."""
    for a in arrays:
        t = getattr(a, "_t", None)
        if t is not None and t.grad_fn is not None and graph_freed(t):
            a._t = t.detach()


def _saved_state(node):
    """True: the node's saved tensors were freed; False: intact; None: it saved none."""
    names = ["saved_tensors"] if hasattr(type(node), "saved_tensors") else [
        n for n in dir(node) if n.startswith("_saved_")]
    for name in names:
        try:
            value = getattr(node, name)
        except RuntimeError:
            return True
        if isinstance(value, torch.Tensor) or (
                isinstance(value, tuple) and value and isinstance(value[0], torch.Tensor)):
            return False
    return None


def carried(t):
    """The tensor holding ``t``'s graph: an integer tensor's float64 shadow, if it has one."""
    if t.requires_grad:
        return t
    return getattr(t, "_mx_shadow", t)


def _reaches_variable(t):
    from ._deferred_compute import reaches_variable
    return reaches_variable(t)


def _head_tensors(heads, head_grads):
    heads = _as_list(heads)
    tensors = [carried(h._t) for h in heads]
    for i, t in enumerate(tensors):
        if getattr(t, "_mx_freed", False):
            raise MXNetError(
                f"cannot differentiate head {i} (shape {tuple(t.shape)}) again: its graph was "
                "freed by an earlier backward; pass retain_graph=True to differentiate the same "
                "graph twice")
        if not t.requires_grad and not getattr(t, "_mx_recorded", False) and \
                not _reaches_variable(t):
            raise MXNetError(
                f"cannot differentiate head {i} (shape {tuple(t.shape)}): it was not computed "
                "inside autograd.record() from an array with attach_grad(); wrap the forward "
                "pass in `with autograd.record():`")
    if head_grads is None:
        grads = [None] * len(tensors)
    else:
        head_grads = _as_list(head_grads)
        if len(head_grads) != len(tensors):
            raise MXNetError(f"backward: {len(tensors)} heads but {len(head_grads)} head_grads")
        grads = [None if g is None else g._t for g in head_grads]
    grads = [torch.ones_like(t) if g is None else g if g.dtype == t.dtype else g.to(t.dtype)
             for t, g in zip(tensors, grads)]
    keep = [i for i, t in enumerate(tensors) if t.requires_grad]  # others give zero gradients
    return [tensors[i] for i in keep], [grads[i] for i in keep]


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # noqa: F811
    """Compute gradients of ``heads`` w.r.t. every attached variable they depend on."""
    tensors, grads = _head_tensors(heads, head_grads)
    if not tensors:
        return
    prev = set_training(train_mode)
    try:
        torch.autograd.backward(tensors, grads, retain_graph=retain_graph)
        if not retain_graph:
            for t in tensors:  # NOTE: MXNet frees the graph even where torch could reuse it
                t._mx_freed = True
    except MXNetError:
        raise
    except (RuntimeError, ArithmeticError, IndexError, ValueError, TypeError) as err:
        raise MXNetError(f"backward failed: {err}. If you call backward twice on one graph, "
                         "pass retain_graph=True the first time.") from err
    finally:
        set_training(prev)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # noqa: F811
    """Gradients of ``heads`` w.r.t. ``variables``, returned as new arrays (buffers untouched).

    With ``create_graph=True`` the results are themselves differentiable (higher order).
    Variables with a sparse gradient buffer get sparse gradients of that storage type.
    """
    tensors, grads = _head_tensors(heads, head_grads)
    variables = _as_list(variables)
    leaves = [_leaf_of(v) for v in variables]
    for t in leaves:
        if not t.requires_grad:
            raise MXNetError("autograd.grad: every variable needs attach_grad() before record()")
    if retain_graph is None:
        retain_graph = create_graph
    prev = set_training(train_mode)
    try:
        with torch.enable_grad():
            results = torch.autograd.grad(tensors, leaves, grads, retain_graph=retain_graph,
                                          create_graph=create_graph, allow_unused=True)
    except MXNetError:
        raise
    except (RuntimeError, ArithmeticError, IndexError, ValueError, TypeError) as err:
        raise MXNetError(f"autograd.grad failed: {err}") from err
    finally:
        set_training(prev)
    # MXNet returns a list even for a single variable
    out = [_grad_array(v, t, r) for v, t, r in zip(variables, leaves, results)]
    if create_graph:  # a constant gradient (linear op) is still a recorded head: zeros
        for a in out:
            if not a._t.requires_grad:
                a._t._mx_recorded = True
    return out


def keep_dense_value(array, dense):
    """A sparse result recorded from the dense value ``dense``: later operators and backward
    read that value, so gradients reach every position (not only the stored ones)."""
    info = GradInfo(None, "null")
    info.dense, info.dense_of = dense, array._sd
    array._ag = info


def _leaf_of(v):
    """The autograd leaf of an attached array (a sparse array's is its dense value)."""
    if getattr(v, "_sparse", False):
        leaf = dense_leaf(v)
        return v._parts().data if leaf is None else leaf
    return carried(v._t)


def _grad_array(v, leaf, r):
    """The NDArray ``autograd.grad`` returns for variable ``v`` from torch's result ``r``."""
    from .ndarray.ndarray import _wrap
    if r is None or r._is_zerotensor():  # torch's symbolic zeros do not leave autograd
        r = torch.zeros(leaf.shape, dtype=leaf.dtype, device=leaf.device)
    if leaf is not v._t and not getattr(v, "_sparse", False):  # an integer's shadow
        r = r.to(v._t.dtype)
    info = getattr(v, "_ag", None)
    stype = info.stype if info is not None else "default"
    if stype != "default":
        return _sparse_of(r, stype, info.buffer)
    if not isinstance(r, torch.Tensor) or r.is_sparse:
        r = _dense_value(r, v)
    return _wrap(r, v._ctx)


def get_symbol(x):
    """The computation recorded under ``record()`` that produced ``x``, as a Symbol.

    Parameters
    ----------
    x : NDArray
        An array computed inside ``autograd.record()``.

    Returns
    -------
    Symbol
        MXNet's operators with their attributes; arrays the recording did not compute are
        variables (``var<k>`` for arrays with ``attach_grad()``, ``null<k>`` for others).
    """
    from ._deferred_compute import to_symbol
    arrays = x if isinstance(x, (list, tuple)) else [x]
    for a in arrays:
        if not hasattr(a, "_t"):
            raise TypeError(f"autograd.get_symbol: expected an NDArray, got {type(a).__name__}")
    return to_symbol([a._t for a in arrays])


# --------------------------------------------------------------------------------------------
# custom functions
# --------------------------------------------------------------------------------------------


class _Bridge(torch.autograd.Function):
    """Runs an ``autograd.Function``'s NDArray forward/backward inside torch's autograd."""

    @staticmethod
    def forward(ctx, func, num_inputs, *tensors):
        from .ndarray.ndarray import _wrap
        ctx.func = func
        inputs = [_wrap(t.detach()) for t in tensors]
        with pause():
            outputs = func.forward(*inputs)
        ctx.single = not isinstance(outputs, (list, tuple))
        outs = [outputs] if ctx.single else list(outputs)
        return tuple(o._t for o in outs)

    @staticmethod
    def backward(ctx, *out_grads):
        from .ndarray.ndarray import _wrap
        func = ctx.func
        grads = [_wrap(g.contiguous()) for g in out_grads]
        with pause():
            in_grads = func.backward(*grads)
        if not isinstance(in_grads, (list, tuple)):
            in_grads = [in_grads]
        return (None, None) + tuple(None if g is None else g._t for g in in_grads)


class Function:
    """User-defined differentiable function with NDArray ``forward`` and ``backward``.

    Subclass it, implement ``forward(self, *inputs)`` and ``backward(self, *output_grads)``,
    and call an instance inside ``record()``. ``save_for_backward`` keeps arrays for backward.
    """

    def __init__(self):
        self._saved = ()

    def save_for_backward(self, *args):
        self._saved = args

    @property
    def saved_tensors(self):
        return self._saved

    @saved_tensors.setter
    def saved_tensors(self, value):
        # MXNet keeps it as a plain attribute: subclasses assign it (or None, to free it).
        self._saved = value

    def forward(self, *inputs):
        raise NotImplementedError("subclasses of autograd.Function must implement forward")

    def backward(self, *output_grads):
        raise NotImplementedError("subclasses of autograd.Function must implement backward")

    def __call__(self, *inputs):
        # as MXNet: one call per instance; outside record() forward runs on its inputs as
        # they are (Symbols too, inside a hybridized block)
        if getattr(self, "_used", False):
            raise AssertionError("autograd.Function: each Function instance can only be called "
                                 "once; create another instance")
        self._used = True
        if not is_recording():
            with pause():
                return self.forward(*inputs)
        from .ndarray.ndarray import _wrap
        tensors = [x._t for x in inputs]
        outs = _Bridge.apply(self, len(tensors), *tensors)
        ctx = inputs[0]._ctx if inputs else None
        wrapped = [_wrap(t, ctx) for t in outs]
        return wrapped[0] if len(wrapped) == 1 else wrapped
