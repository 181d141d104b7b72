"""Module's fast paths for its commonest loops; each checks that it applies and gives the
numbers and the end state of the general code it stands in for.

- :func:`row_plan`: ``predict`` and ``fit`` on an exact ``NDArrayIter`` run the executor on
  views of the iterator's rows (no DataBatch, no per-batch checks and feeding layers).
- :class:`DenseSGDStep`: ``update`` with one device, no kvstore and MXNet's ``SGD`` on dense
  arrays calls the multi-weight SGD kernel directly (what the Updater ends up calling, without
  its per-call dispatch through the nd door).
"""
from ..autograd import is_recording
from ..io import NDArrayIter
from ..ndarray.ndarray import DEFERRED, NDArray, _wrap
from ..ops import get_op
from ..ops._invoke import invoke
from ..optimizer.optimizer import SGD, Updater


def row_plan(module, group, data_iter, sparse_row_id_fn):
    """``(executor, data argument indices, label argument indices)`` for Module's loops on
    an exact NDArrayIter whose arrays fit the one bound executor (shape and dtype, so the
    general loop would neither reshape nor convert); None otherwise."""
    if type(data_iter) is not NDArrayIter or len(group.execs) != 1 or \
            not module._private_batches(None, sparse_row_id_fn) or not data_iter._plain_rows():
        return None
    exe = group.execs[0]
    if exe._monitor is not None:
        return None
    data_idx = _fitting_indices(exe, group.data_names, data_iter.data, data_iter.batch_size)
    label_idx = []
    if group.label_arrays is not None and data_iter.label:
        label_idx = _fitting_indices(exe, group.label_names, data_iter.label,
                                     data_iter.batch_size)
    if data_idx is None or label_idx is None:
        return None
    return exe, data_idx, label_idx


def _fitting_indices(exe, names, arrays, batch_size):
    """The executor's argument index of each bound input ``names[k]``, when ``arrays[k]``
    (the iterator's (name, array) pairs, matched by position as the loops do) gives batches
    of that input's shape, dtype and device (rows of a contiguous array); None when one does
    not."""
    if len(names) != len(arrays):
        return None
    indices = []
    for name, (_, value) in zip(names, arrays):
        index = exe._arg_names.index(name)
        bound = exe.arg_arrays[index]._t
        if (batch_size,) + tuple(value.shape[1:]) != tuple(bound.shape) or \
                value._t.dtype != bound.dtype or value._t.device != bound.device or \
                not value._t.is_contiguous():
            return None
        indices.append(index)
    return indices


class DenseSGDStep:
    """One Updater call ``updater(keys, grads, weights)`` for an exact ``Updater`` of an
    exact ``SGD`` whose weights share one (non-float16) dtype and whose states exist: the
    same update counts, learning rates, weight decays and kernel (``multi_sgd[_mom]_update``
    in place, one call for all weights as the Updater makes it), with the kernel's attributes
    parsed once per distinct set of values."""

    _MAX = 64

    def __init__(self):
        self._parsed = {}

    def __call__(self, updater, keys, grads, weights):
        """Update and return True; False (nothing done) when the case does not apply."""
        tensors = self._tensors(updater, keys, grads, weights)
        if tensors is None:
            return False
        opt = updater.optimizer
        opt._set_current_context(weights[0].context.device_id)
        opt._update_count(keys)
        momentum = opt.momentum if opt.momentum > 0 else None
        op, attrs = self._kernel(len(keys), opt._get_lrs(keys), opt._get_wds(keys),
                                 opt._common_kwargs(momentum), momentum)
        result = invoke(op, tensors, attrs)
        for weight, new in zip(weights, result if type(result) is tuple else (result,)):
            if weight._t is not new:  # the in-place kernels return the weights themselves
                weight[:] = _wrap(new, weight.context)
        return True

    @staticmethod
    def _tensors(updater, keys, grads, weights):
        """The kernel's inputs (weight, grad[, mom] per key), or None when the case does not
        apply."""
        opt = getattr(updater, "optimizer", None)
        if type(updater) is not Updater or type(opt) is not SGD or not weights or \
                not updater.aggregate_updates or opt.aggregate_num <= 0 or \
                is_recording() or DEFERRED[0] is not None:
            return None
        states, synced = updater.states, updater.states_synced
        with_mom = opt.momentum > 0
        dtype = weights[0]._t.dtype
        if not dtype.is_floating_point or dtype.itemsize < 4:
            return None
        tensors = []
        for key, grad, weight in zip(keys, grads, weights):
            state = states.get(key)
            if type(weight) is not NDArray or type(grad) is not NDArray or \
                    weight._t.dtype is not dtype or not synced.get(key, False) or \
                    (type(state) is not NDArray if with_mom else state is not None):
                return None
            tensors += (weight._t, grad._t, state._t) if with_mom else (weight._t, grad._t)
        for t in tensors:
            if t.requires_grad:
                return None
        return tensors

    def _kernel(self, count, lrs, wds, kwargs, momentum):
        key = (count, tuple(lrs), tuple(wds), tuple(sorted(kwargs.items())))
        found = self._parsed.get(key)
        if found is None:
            op = get_op("multi_sgd_mom_update" if momentum else "multi_sgd_update")
            attrs = op.parse_attrs(dict(num_weights=count, lrs=lrs, wds=wds, **kwargs))
            if len(self._parsed) >= self._MAX:
                self._parsed.clear()
            found = self._parsed[key] = (op.out_alias, attrs)
        return found
