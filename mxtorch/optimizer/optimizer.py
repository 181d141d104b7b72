"""MXNet 1.9.1's optimizers (``mx.optimizer``), the :class:`Updater` and the registry.

Every optimizer updates an NDArray weight in place from its gradient, through the same fused
update operators MXNet's Python optimizers call (``sgd_mom_update``, ``adam_update``...), so
the numbers agree with MXNet's. Hyper-parameters shared by all of them live on
:class:`Optimizer`: ``learning_rate``/``lr_scheduler``, ``wd``, ``rescale_grad``,
``clip_gradient``, per-parameter ``lr_mult``/``wd_mult`` and ``multi_precision`` (float16
weights updated through a float32 master copy).
"""
import logging
import math
import os
import pickle  # noqa: F401  (MXNet exposes the module here)
import warnings

import numpy

from ..base import py_str
from ..ndarray import (NDArray, zeros, arange, clip, sqrt, cast, maximum, abs as NDabs, array,
                       multiply, multi_sum_sq, multi_lars, norm as NDnorm)
from ..ndarray import (sgd_update, sgd_mom_update, adam_update, rmsprop_update,
                       rmspropalex_update, mp_sgd_update, mp_sgd_mom_update, square, ftrl_update,
                       ftml_update, signsgd_update, signum_update, nag_mom_update,
                       mp_nag_mom_update, multi_sgd_update, multi_sgd_mom_update,
                       multi_mp_sgd_update, multi_mp_sgd_mom_update, preloaded_multi_sgd_update,
                       preloaded_multi_sgd_mom_update, preloaded_multi_mp_sgd_update,
                       preloaded_multi_mp_sgd_mom_update, lamb_update_phase1, lamb_update_phase2,
                       mp_lamb_update_phase1, mp_lamb_update_phase2)
from ..ndarray.contrib import multi_lamb_update, multi_mp_lamb_update
from ..ndarray import sparse
from ..ndarray.ndarray import apply_op
from ..random import normal
from ..util import is_np_array

__all__ = [
    'AdaDelta', 'AdaGrad', 'Adam', 'Adamax', 'DCASGD', 'FTML', 'Ftrl', 'LARS', 'LBSGD',
    'NAG', 'NDabs', 'Nadam', 'Optimizer', 'RMSProp', 'SGD', 'SGLD', 'Signum', 'LAMB',
    'Test', 'Updater', 'ccSGD', 'create', 'get_updater', 'register'
]

_FP16_WARNING = ("Accumulating with float16 in optimizer can lead to poor accuracy or slow "
                 "convergence. Consider using multi_precision=True option of the {} optimizer")


def _flatten_list(nested_list):
    return [item for sublist in nested_list for item in sublist]


class _ParsedUpdate:
    """Runs a (multi-weight) update operator like its nd function, with its attributes
    parsed once per distinct set of values: optimizers call the same kernel with the same
    ``lrs``/``wds`` lists step after step, and list-valued attributes defeat the nd door's
    per-call plans. Anything but plain dense NDArrays goes through the nd function."""

    _MAX = 64

    def __init__(self, fn, op_name):
        self.fn = fn
        self.op_name = op_name
        self.op = None
        self.parsed = {}

    def __call__(self, *arrays, **raw):
        out = raw.pop('out')
        for a in arrays:
            if type(a) is not NDArray or a._sparse:
                return self.fn(*arrays, out=out, **raw)
        key = tuple((k, type(v), tuple(v) if type(v) is list else v) for k, v in raw.items())
        try:
            attrs = self.parsed[key]
        except TypeError:  # unhashable attribute values: the nd function parses them
            return self.fn(*arrays, out=out, **raw)
        except KeyError:
            if self.op is None:
                from ..ops import get_op
                self.op = get_op(self.op_name)
            attrs = self.op.parse_attrs(raw)
            if len(self.parsed) >= self._MAX:
                self.parsed.clear()
            self.parsed[key] = attrs
        return apply_op(self.op, list(arrays), attrs, out)


_multi_sgd_mom = _ParsedUpdate(multi_sgd_mom_update, 'multi_sgd_mom_update')
_multi_sgd = _ParsedUpdate(multi_sgd_update, 'multi_sgd_update')
_multi_mp_sgd_mom = _ParsedUpdate(multi_mp_sgd_mom_update, 'multi_mp_sgd_mom_update')
_multi_mp_sgd = _ParsedUpdate(multi_mp_sgd_update, 'multi_mp_sgd_update')


def _aggregation_size(default):
    return int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE', str(default)))


class _NotAnArrayError(TypeError, AssertionError):
    """An update got something that is not an NDArray (an AssertionError in MXNet)."""


def _check_arrays(who, weight, grad):
    for what, arr in (("weight", weight), ("grad", grad)):
        if not isinstance(arr, NDArray):
            raise _NotAnArrayError(f"{who}.update: {what} must be an NDArray, got "
                            f"{type(arr).__name__}")


def _state_zeros(shape, ctx, dtype=None, stype='default'):
    """A zero state array. A row_sparse one stores every row (MXNet's update kernels fill an
    empty row_sparse state with zero rows on the first update; here it starts that way)."""
    if stype != 'row_sparse':
        return zeros(shape, ctx, dtype=dtype, stype=stype)
    rows = zeros(shape, ctx, dtype=dtype if dtype is not None else numpy.float32)
    return sparse.row_sparse_array((rows, arange(shape[0], ctx=ctx)), shape=shape, ctx=ctx,
                                   dtype=rows.dtype)


def _is_fp16(weight):
    return weight.dtype == numpy.float16


class Optimizer(object):
    """The base class of all optimizers.

    Parameters
    ----------
    rescale_grad : float, default 1.0
        Gradients are multiplied by this before the update (often ``1/batch_size``).
    param_idx2name : dict of int to str, optional
        Parameter names by index; names not ending in ``_weight``/``_gamma`` get no weight decay.
    wd : float, default 0.0
        L2 weight decay.
    clip_gradient : float, optional
        Clip the rescaled gradient to ``[-clip_gradient, clip_gradient]``.
    learning_rate : float, optional
        The learning rate (0.01 when neither it nor ``lr_scheduler`` is given).
    lr_scheduler : LRScheduler, optional
        Learning rate as a function of the update count.
    sym : Symbol, optional
        Symbol whose ``__lr_mult__``/``__wd_mult__`` attributes set per-parameter multipliers.
    begin_num_update : int, default 0
        The update count to start from.
    multi_precision : bool, default False
        Update float16 weights through a float32 master copy.
    param_dict : dict of int to Parameter, optional
        Gluon parameters whose ``lr_mult``/``wd_mult`` take precedence.
    """

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0.,
                 clip_gradient=None, learning_rate=None,
                 lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if self.lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if self.lr_scheduler is not None and learning_rate is not None:
            if self.lr_scheduler.base_lr != learning_rate:
                warnings.warn("learning rate from ``lr_scheduler`` has been overwritten by "
                              "``learning_rate`` in optimizer.", UserWarning, stacklevel=2)
                self.lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise AssertionError("param_idx2name should be a dict of param indexes to names, "
                                 f"got {type(param_idx2name).__name__}")
        self.idx2name = param_idx2name.copy()
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        self.allow_np_array = is_np_array()
        self.set_lr_mult({})
        self.set_wd_mult({})

    opt_registry = {}

    @staticmethod
    def register(klass):
        """Register an optimizer class under its lower-cased class name (a decorator)."""
        if not isinstance(klass, type):
            raise AssertionError(f"Optimizer.register expects a class, got {klass!r}")
        name = klass.__name__.lower()
        if name in Optimizer.opt_registry:
            old = Optimizer.opt_registry[name]
            warnings.warn(f"WARNING: New optimizer {klass.__module__}.{klass.__name__} is "
                          f"overriding existing optimizer {old.__module__}.{old.__name__}")
        Optimizer.opt_registry[name] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """Create a registered optimizer by (case-insensitive) name with ``kwargs``."""
        if name.lower() in Optimizer.opt_registry:
            return Optimizer.opt_registry[name.lower()](**kwargs)
        raise ValueError(f"Cannot find optimizer {name}; registered optimizers: "
                         f"{sorted(Optimizer.opt_registry)}")

    @property
    def learning_rate(self):
        """The current learning rate (from the scheduler when there is one)."""
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def create_state(self, index, weight):
        """Create the auxiliary state (e.g. momentum) for the weight at ``index``."""

    def create_state_multi_precision(self, index, weight):
        """Create the state; with ``multi_precision`` and a float16 weight it is
        ``(float32 master copy, state of the copy)``."""
        if self.multi_precision and _is_fp16(weight):
            weight_master_copy = weight.astype(numpy.float32)
            return (weight_master_copy,) + (self.create_state(index, weight_master_copy),)
        if _is_fp16(weight) and not self.multi_precision:
            warnings.warn(_FP16_WARNING.format("").replace("  ", " "))
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Update ``weight`` in place from ``grad`` and ``state``."""
        raise NotImplementedError()

    def update_multi_precision(self, index, weight, grad, state):
        """Update, going through the float32 master copy for float16 weights when
        ``multi_precision`` is on."""
        if self.multi_precision and _is_fp16(weight):
            weight_master_copy, original_state = state[0], state[1]
            grad32 = grad.astype(numpy.float32)
            self.update(index, weight_master_copy, grad32, original_state)
            cast(weight_master_copy, dtype=weight.dtype, out=weight)
        else:
            self.update(index, weight, grad, state)

    def set_learning_rate(self, lr):
        """Set a new learning rate (not allowed when an ``lr_scheduler`` is set)."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note "
                              "that set_learning_rate can mutate the value of the learning "
                              "rate of the optimizer only when the LRScheduler of the "
                              "optimizer is undefined.")
        self.lr = lr

    def set_lr_scale(self, args_lrscale):  # pylint: disable=unused-argument
        """Deprecated: use :meth:`set_lr_mult`."""
        raise DeprecationWarning

    def _sym_mults(self, key):
        found = {}
        if self.sym_info:
            attr, arg_names = self.sym_info
            for name in arg_names:
                if name in attr and key in attr[name]:
                    found[name] = float(attr[name][key])
        return found

    def set_lr_mult(self, args_lr_mult):
        """Set per-parameter learning-rate multipliers (name or index -> float); the
        symbol's ``__lr_mult__`` attributes are applied first."""
        self.lr_mult = self._sym_mults('__lr_mult__')
        self.lr_mult.update(args_lr_mult)

    def _no_decay(self, name):
        return not (name.endswith('_weight') or name.endswith('_gamma'))

    def set_wd_mult(self, args_wd_mult):
        """Set per-parameter weight-decay multipliers (name or index -> float). Names from
        ``param_idx2name`` not ending in ``_weight`` or ``_gamma`` default to 0; the
        symbol's ``__wd_mult__`` attributes come next."""
        self.wd_mult = {}
        for n in self.idx2name.values():
            if self._no_decay(n):
                self.wd_mult[n] = 0.0
        self.wd_mult.update(self._sym_mults('__wd_mult__'))
        self.wd_mult.update(args_wd_mult)

    def _set_current_context(self, device_id):
        """Use the update counts kept for device ``device_id``."""
        if device_id not in self._all_index_update_counts:
            self._all_index_update_counts[device_id] = {}
        self._index_update_count = self._all_index_update_counts[device_id]

    def _update_count(self, index):
        """Count one more update of ``index`` (or of each index of a list)."""
        if not isinstance(index, (list, tuple)):
            index = [index]
        for idx in index:
            if idx not in self._index_update_count:
                self._index_update_count[idx] = self.begin_num_update
            self._index_update_count[idx] += 1
            self.num_update = max(self._index_update_count[idx], self.num_update)

    def _scheduled_lr(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def _apply_mults(self, values, indices, attr, table):
        for i, index in enumerate(indices):
            if index in self.param_dict:
                values[i] *= getattr(self.param_dict[index], attr)
            elif index in table:
                values[i] *= table[index]
            elif index in self.idx2name:
                values[i] *= table.get(self.idx2name[index], 1.0)
        return values

    def _get_lrs(self, indices):
        """Learning rates of ``indices`` (schedule times lr_mult)."""
        lr = self._scheduled_lr()
        return self._apply_mults([lr for _ in indices], indices, 'lr_mult', self.lr_mult)

    def _get_lr(self, index):
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        """Weight decays of ``indices`` (wd times wd_mult)."""
        return self._apply_mults([self.wd for _ in indices], indices, 'wd_mult', self.wd_mult)

    def _get_wd(self, index):
        return self._get_wds([index])[0]

    def _common_kwargs(self, momentum=None):
        kwargs = {'rescale_grad': self.rescale_grad}
        if momentum:
            kwargs['momentum'] = momentum
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        return kwargs

    def _clipped(self, grad):
        grad = grad * self.rescale_grad
        if self.clip_gradient is not None:
            grad = clip(grad, -self.clip_gradient, self.clip_gradient)
        return grad

    def __getstate__(self):
        ret = self.__dict__.copy()
        # param_dict holds Gluon Parameters, which are not pickled with the states
        ret.pop('param_dict', None)
        return ret

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


register = Optimizer.register  # pylint: disable=invalid-name


def _master_copy_first(opt, index, weight, name):
    """``(state, float32 master copy)`` for SGD-like optimizers in multi-precision mode."""
    if opt.multi_precision and _is_fp16(weight):
        weight_master_copy = weight.astype(numpy.float32)
        return (opt.create_state(index, weight_master_copy), weight_master_copy)
    if _is_fp16(weight) and not opt.multi_precision:
        warnings.warn(_FP16_WARNING.format(name))
    return opt.create_state(index, weight)


def _as_lists(indices, weights, grads, states):
    if not isinstance(indices, (tuple, list)):
        return [indices], [weights], [grads], [states]
    return indices, weights, grads, states


def _all_dense(who, weights, grads):
    dense = True
    for weight, grad in zip(weights, grads):
        _check_arrays(who, weight, grad)
        dense = dense and weight.stype == 'default' and grad.stype == 'default'
    return dense


def _sgd_one(weight, grad, state, lr, wd, kwargs, multi_precision, lazy_update):
    """One (possibly sparse) SGD step through MXNet's single-weight kernels."""
    if not multi_precision:
        if state is not None:
            sgd_mom_update(weight, grad, state, out=weight, lazy_update=lazy_update,
                           lr=lr, wd=wd, **kwargs)
        else:
            sgd_update(weight, grad, out=weight, lazy_update=lazy_update, lr=lr, wd=wd,
                       **kwargs)
    elif state[0] is not None:
        mp_sgd_mom_update(weight, grad, state[0], state[1], out=weight, lr=lr, wd=wd, **kwargs)
    else:
        mp_sgd_update(weight, grad, state[1], out=weight, lr=lr, wd=wd, **kwargs)


def _use_mp(opt, index, weight):
    first = weight if not isinstance(index, (tuple, list)) else weight[0]
    return opt.multi_precision and _is_fp16(first)


@register
class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum.

    ``state = momentum * state - lr * (rescale_grad * grad + wd * weight); weight += state``
    (plain ``weight -= lr * (...)`` without momentum). Row-sparse gradients with
    ``lazy_update=True`` update only the rows present.

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum.
    lazy_update : bool, default True
        Lazy updates for row-sparse weights and gradients.
    """

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super(SGD, self).__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update
        self.aggregate_num = _aggregation_size(4)

    def create_state_multi_precision(self, index, weight):
        return _master_copy_first(self, index, weight, "SGD")

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        stype = weight.stype if self.lazy_update else 'default'
        return _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype)

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        indices, weights, grads, states = _as_lists(indices, weights, grads, states)
        aggregate = _all_dense(type(self).__name__, weights, grads)
        self._update_count(indices)
        lrs = self._get_lrs(indices)
        wds = self._get_wds(indices)
        kwargs = self._common_kwargs(self.momentum if self.momentum > 0 else None)
        if aggregate:
            self._multi_update(weights, grads, states, lrs, wds, kwargs, multi_precision)
            return
        for weight, grad, state, lr, wd in zip(weights, grads, states, lrs, wds):
            _sgd_one(weight, grad, state, lr, wd, kwargs, multi_precision, self.lazy_update)

    def _multi_update(self, weights, grads, states, lrs, wds, kwargs, multi_precision):
        common = dict(out=weights, num_weights=len(weights), lrs=lrs, wds=wds, **kwargs)
        if not multi_precision:
            if self.momentum > 0:
                _multi_sgd_mom(*_flatten_list(zip(weights, grads, states)), **common)
            else:
                _multi_sgd(*_flatten_list(zip(weights, grads)), **common)
        elif self.momentum > 0:
            _multi_mp_sgd_mom(*_flatten_list(zip(weights, grads, *zip(*states))), **common)
        else:
            _multi_mp_sgd(*_flatten_list(zip(weights, grads, list(zip(*states))[1])),
                          **common)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state,
                          multi_precision=_use_mp(self, index, weight))


@register
class Signum(Optimizer):
    """Signum (sign of the momentum) and signSGD (``momentum=0``).

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float, default 0.9
    wd_lh : float, default 0.0
        Decoupled weight decay applied to the weight (as in AdamW).
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super(Signum, self).__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype)

    def _update_impl(self, index, weight, grad, state):
        _check_arrays("Signum", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        kwargs = self._common_kwargs(self.momentum if self.momentum > 0 else None)
        if self.wd_lh:
            kwargs['wd_lh'] = self.wd_lh
        if state is not None:
            signum_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            signsgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state)


@register
class FTML(Optimizer):
    """FTML (Follow the Moving Leader).

    Parameters
    ----------
    beta1 : float, default 0.6
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    """

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super(FTML, self).__init__(**kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def create_state(self, index, weight):
        return tuple(zeros(weight.shape, weight.context, dtype=weight.dtype)
                     for _ in range(3))  # d, v, z

    def update(self, index, weight, grad, state):
        _check_arrays("FTML", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        t = self._index_update_count[index]
        kwargs = {'beta1': self.beta1, 'beta2': self.beta2, 'epsilon': self.epsilon,
                  'rescale_grad': self.rescale_grad, 't': t}
        if self.clip_gradient:
            kwargs['clip_grad'] = self.clip_gradient
        prev_d, prev_v, prev_z = state
        ftml_update(weight, grad, prev_d, prev_v, prev_z, out=weight, lr=lr, wd=wd, **kwargs)


def _lars_exempt(name):
    return name.endswith('gamma') or name.endswith('beta') or name.endswith('bias')


@register
class LARS(Optimizer):
    """SGD with layer-wise adaptive rate scaling (LARS): each layer's learning rate is
    scaled by ``eta * |w| / (|g| + wd * |w| + eps)``; biases, gammas and betas are not.

    Parameters
    ----------
    momentum : float, default 0.0
    lazy_update : bool, default True
    eta : float, default 0.001
        LARS coefficient.
    eps : float, default 0
    momentum_correction : bool, default True
        Scale the momentum by the ratio of the current to the last learning rate.
    """

    def __init__(self, momentum=0.0, lazy_update=True, eta=0.001, eps=0,
                 momentum_correction=True, **kwargs):
        super(LARS, self).__init__(**kwargs)
        self.momentum = momentum
        self.momentum_correction = momentum_correction
        self.lazy_update = lazy_update
        self.aggregate_num = _aggregation_size(4)
        self.eta = eta
        self.eps = eps
        self.skip = 0
        self.last_lr = None
        self.cur_lr = None

    def _get_lrs(self, indices):
        if self.cur_lr is not None:
            self.last_lr = self.cur_lr
        lr = self._scheduled_lr()
        if self.cur_lr is None:
            self.last_lr = lr
        self.cur_lr = lr
        return self._apply_mults([lr for _ in indices], indices, 'lr_mult', self.lr_mult)

    def _no_decay(self, name):
        return not name.endswith('_weight')

    def set_wd_mult(self, args_wd_mult):
        """As :meth:`Optimizer.set_wd_mult`, but only ``*_weight`` names keep weight decay."""
        super(LARS, self).set_wd_mult(args_wd_mult)

    def create_state_multi_precision(self, index, weight):
        return _master_copy_first(self, index, weight, "SGD")

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        stype = weight.stype if self.lazy_update else 'default'
        return _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype)

    def _l2norm(self, v, rescale=False):
        v = v.astype('float32')
        if rescale:
            v *= self.rescale_grad
        return NDnorm(v).asnumpy()[0]

    def _get_lars(self, i, weight, g, lr, wd):
        name = self.idx2name[i] if i in self.idx2name else str(i)
        if _lars_exempt(name):
            return lr
        w_norm = self._l2norm(weight)
        g_norm = self._l2norm(g, rescale=True)
        if w_norm > 0.0 and g_norm > 0.0:
            lars = self.eta * w_norm / (g_norm + wd * w_norm + self.eps)
        else:
            lars = 1.0
        return lars * lr

    def _momentum_now(self):
        if self.momentum_correction and self.last_lr != 0:
            return self.momentum * (self.cur_lr / self.last_lr)
        return self.momentum

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        indices, weights, grads, states = _as_lists(indices, weights, grads, states)
        aggregate = _all_dense("LARS", weights, grads)
        self._update_count(indices)
        lrs = self._get_lrs(indices)
        wds = self._get_wds(indices)
        kwargs = self._common_kwargs(self._momentum_now() if self.momentum > 0 else None)
        if aggregate:
            self._aggregated(indices, weights, grads, states, lrs, wds, kwargs, multi_precision)
            return
        lrs = [self._get_lars(i, w, g, lr, wd)
               for (i, w, g, lr, wd) in zip(indices, weights, grads, lrs, wds)]
        for weight, grad, state, lr, wd in zip(weights, grads, states, lrs, wds):
            _sgd_one(weight, grad, state, lr, wd, kwargs, multi_precision, self.lazy_update)

    def _aggregated(self, indices, weights, grads, states, lrs, wds, kwargs, multi_precision):
        names = [self.idx2name[i] if i in self.idx2name else str(i) for i in indices]
        lars_idx = [i for i in range(len(indices)) if not _lars_exempt(names[i])]
        order = lars_idx + [i for i in range(len(indices)) if _lars_exempt(names[i])]
        nb_lars = len(lars_idx)
        ctx = weights[0].context
        new_lrs = array([lrs[i] for i in order], ctx=ctx, dtype='float32')
        new_wds = array([wds[i] for i in order], ctx=ctx, dtype='float32')
        new_weights = [weights[i] for i in order]
        new_grads = [grads[i] for i in order]
        new_states = [states[i] for i in order]
        if nb_lars > 0:
            w_sum_sq = multi_sum_sq(*new_weights[:nb_lars], num_arrays=nb_lars)
            g_sum_sq = multi_sum_sq(*new_grads[:nb_lars], num_arrays=nb_lars)
            multi_lars(new_lrs[:nb_lars], w_sum_sq, g_sum_sq, new_wds[:nb_lars],
                       eta=self.eta, eps=self.eps, rescale_grad=self.rescale_grad,
                       out=new_lrs[:nb_lars])
        size = max(1, self.aggregate_num)
        for sidx in range(0, len(indices), size):
            eidx = min(sidx + size, len(indices))
            self._preloaded(new_weights[sidx:eidx], new_grads[sidx:eidx],
                            new_states[sidx:eidx], new_lrs[sidx:eidx], new_wds[sidx:eidx],
                            kwargs, multi_precision)

    def _preloaded(self, weights, grads, states, lrs, wds, kwargs, multi_precision):
        common = dict(out=weights, num_weights=len(weights), **kwargs)
        if not multi_precision:
            if self.momentum > 0:
                preloaded_multi_sgd_mom_update(
                    *(_flatten_list(zip(weights, grads, states)) + [lrs, wds]), **common)
            else:
                preloaded_multi_sgd_update(
                    *(_flatten_list(zip(weights, grads)) + [lrs, wds]), **common)
        elif self.momentum > 0:
            preloaded_multi_mp_sgd_mom_update(
                *(_flatten_list(zip(weights, grads, *zip(*states))) + [lrs, wds]), **common)
        else:
            preloaded_multi_mp_sgd_update(
                *(_flatten_list(zip(weights, grads, list(zip(*states))[1])) + [lrs, wds]),
                **common)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state,
                          multi_precision=_use_mp(self, index, weight))


_LBSGD_STRATEGIES = ('linear', 'power2', 'sqrt', 'lars')


@register
class LBSGD(Optimizer):
    """Large-batch SGD: gradients are accumulated over ``batch_scale`` calls and applied
    with a learning rate warmed up by ``warmup_strategy`` ('linear', 'power2', 'sqrt' or
    'lars') over ``warmup_epochs * updates_per_epoch`` updates.

    Parameters
    ----------
    momentum : float, default 0.0
    multi_precision : bool, default False
    warmup_strategy : str, default 'linear'
    warmup_epochs : int, default 5
    batch_scale : int, default 1
    updates_per_epoch : int, default 32
    begin_epoch : int, default 0
    num_epochs : int, default 60
    """

    def __init__(self, momentum=0.0, multi_precision=False, warmup_strategy='linear',
                 warmup_epochs=5, batch_scale=1, updates_per_epoch=32, begin_epoch=0,
                 num_epochs=60, **kwargs):
        super(LBSGD, self).__init__(**kwargs)
        logging.info('Running Large-Batch SGD Algorithm')
        logging.info('(Batch_scale=%f, warmup_epochs=%d, warmup_strategy=%s, '
                     'updates_per_epoch=%d)', batch_scale, warmup_epochs, warmup_strategy,
                     updates_per_epoch)
        self.momentum = momentum
        self.multi_precision = multi_precision
        self.warmup_strategy = warmup_strategy
        self.warmup_epochs = warmup_epochs
        self.batch_scale = batch_scale
        self.updates_per_epoch = updates_per_epoch
        self.init_updates = begin_epoch * updates_per_epoch
        self.num_epochs = num_epochs
        self.lbmult = 1
        self.cumgrads = {}
        self.adaptive = False
        self.admult = 1

    def create_state(self, index, weight):
        if self.multi_precision and _is_fp16(weight):
            master = array(weight, ctx=weight.context, dtype=numpy.float32)
            momentum = None
            if self.momentum != 0.0:
                momentum = _state_zeros(weight.shape, weight.context, dtype=numpy.float32,
                                 stype=weight.stype)
            return (momentum, master)
        if _is_fp16(weight) and not self.multi_precision:
            warnings.warn(_FP16_WARNING.format("SGD"))
        if self.momentum == 0.0:
            return None
        return _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype)

    def _get_lbmult(self, nup):
        """The warm-up multiplier of the learning rate after ``nup`` updates."""
        nwup = self.warmup_epochs * self.updates_per_epoch
        maxmult = float(self.batch_scale)
        if nup >= nwup:
            return maxmult
        if nwup <= 1:
            return 1.0
        if self.warmup_strategy == 'linear':
            return 1.0 + (maxmult - 1) * nup / nwup
        if self.warmup_strategy == 'power2':
            return 1.0 + (maxmult - 1) * (nup * nup) / (nwup * nwup)
        if self.warmup_strategy == 'sqrt':
            return 1.0 + (maxmult - 1) * math.sqrt(float(nup) / nwup)
        return 1.0

    def _get_lars(self, weight, g, wd):
        weight2 = self._l2norm(weight)
        grad2 = self._l2norm(g)
        lars = math.sqrt(weight2 / (grad2 + wd * weight2 + 1e-18))
        return min(max(lars, 0.01), 100)

    def _l2norm(self, v):
        return multiply(v, v).asnumpy().sum()

    def _reset_cum_gradient(self, index):
        self.cumgrads[index]['cum_grad'] = 0

    def _get_cum_gradient(self, index):
        return self.cumgrads.get(index, {})

    def _put_cum_gradient(self, index, cgrad):
        self.cumgrads[index] = cgrad

    def _cumulate_gradient(self, grad, index):
        cgrad = self._get_cum_gradient(index)
        if cgrad and cgrad['num_cums'] > 0:
            cum_grad = cgrad['cum_grad'] + grad
            num_cums = cgrad['num_cums'] + 1
        else:
            cum_grad = grad
            num_cums = self.init_updates + 1
        cgrad = {'cum_grad': cum_grad, 'num_cums': num_cums}
        self._put_cum_gradient(index, cgrad)
        return cgrad

    def update(self, index, weight, grad, state):
        _check_arrays("LBSGD", weight, grad)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        self._update_count(index)
        cgrad = self._cumulate_gradient(grad, index)
        if (cgrad['num_cums'] % self.batch_scale) != 0:
            sgd_update(weight, grad, out=weight, lr=0.0, wd=wd)
            return
        grad = cgrad['cum_grad'] / self.batch_scale
        if self.warmup_strategy == 'lars':
            lbmult = self._get_lars(weight, grad, wd)
        else:
            lbmult = self._get_lbmult(cgrad['num_cums'])
        kwargs = self._common_kwargs(self.momentum if self.momentum > 0 else None)
        multi_precision = isinstance(state, (list, tuple))
        _sgd_one(weight, grad, state, lr * lbmult, wd, kwargs, multi_precision, True)
        self._reset_cum_gradient(index)


@register
class LAMB(Optimizer):
    """LAMB (layer-wise adaptive moments for batch training).

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-6
    lower_bound, upper_bound : float, optional
        Bounds of the trust ratio's weight norm.
    bias_correction : bool, default True
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6,
                 lower_bound=None, upper_bound=None, bias_correction=True, **kwargs):
        super(LAMB, self).__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound
        self.bias_correction = bias_correction
        self.aggregate_num = max(1, min(45, _aggregation_size(45)))

    def create_state(self, index, weight):
        return (_state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype),
                _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype))

    def _bounds(self, kwargs):
        if self.lower_bound:
            kwargs['lower_bound'] = self.lower_bound
        if self.upper_bound:
            kwargs['upper_bound'] = self.upper_bound
        return kwargs

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        kwargs = {'beta1': self.beta1, 'beta2': self.beta2, 'epsilon': self.epsilon,
                  'bias_correction': self.bias_correction, 'rescale_grad': self.rescale_grad}
        if self.aggregate_num <= 1 or not isinstance(index, (tuple, list)):
            if isinstance(index, (tuple, list)):
                if len(index) != self.aggregate_num:
                    raise AssertionError(f"LAMB.update: {len(index)} indices given, "
                                         f"aggregate_num is {self.aggregate_num}")
                index, weight, grad, state = index[0], weight[0], grad[0], state[0]
            self._update_single(index, weight, grad, state, multi_precision, kwargs)
        else:
            self._update_multi(index, weight, grad, state, multi_precision, kwargs)

    def _update_single(self, index, weight, grad, state, multi_precision, kwargs):
        _check_arrays("LAMB", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        kwargs['t'] = self._index_update_count[index]
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        if multi_precision:
            weight32 = state[0]
            mean, var = state[1]
            g = mp_lamb_update_phase1(weight, grad, mean, var, weight32, wd=wd, **kwargs)
            r_1, r_2 = weight32.norm(), g.norm()
            mp_lamb_update_phase2(weight, g, r_1, r_2, weight32, lr=lr, out=weight,
                                  **self._bounds({}))
        else:
            mean, var = state
            g = lamb_update_phase1(weight, grad, mean, var, wd=wd, **kwargs)
            r_1, r_2 = weight.norm(), g.norm()
            lamb_update_phase2(weight, g, r_1, r_2, lr=lr, out=weight, **self._bounds({}))

    def _update_multi(self, index, weight, grad, state, multi_precision, kwargs):
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        self._bounds(kwargs)
        step_count, lrs, wds = [], [], []
        for i, w_i, g_i in zip(index, weight, grad):
            _check_arrays("LAMB", w_i, g_i)
            self._update_count(i)
            step_count.append(self._index_update_count[i])
            lrs.append(self._get_lr(i))
            wds.append(self._get_wd(i))
        for sidx in range(0, len(weight), self.aggregate_num):
            eidx = min(sidx + self.aggregate_num, len(weight))
            common = dict(out=weight[sidx:eidx], step_count=step_count[sidx:eidx],
                          lrs=lrs[sidx:eidx], wds=wds[sidx:eidx], **kwargs)
            if not multi_precision:
                mean, var = list(zip(*state[sidx:eidx]))
                multi_lamb_update(weight[sidx:eidx], grad[sidx:eidx], mean, var, **common)
            else:
                mean, var = list(zip(*list(zip(*state[sidx:eidx]))[1]))
                weights32 = list(zip(*state[sidx:eidx]))[0]
                multi_mp_lamb_update(weight[sidx:eidx], grad[sidx:eidx], mean, var, weights32,
                                     **common)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state,
                          multi_precision=_use_mp(self, index, weight))


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD.

    Parameters
    ----------
    momentum : float, default 0.0
    lamda : float, default 0.04
        Strength of the delay compensation.
    """

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super(DCASGD, self).__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return (None, weight.copy())  # previous weight
        return (zeros(weight.shape, weight.context, dtype=weight.dtype),  # momentum
                weight.copy())  # previous weight

    def update(self, index, weight, grad, state):
        _check_arrays("DCASGD", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        grad = self._clipped(grad)
        mom, previous_weight = state
        step = -lr * (grad + wd * weight + self.lamda * grad * grad * (weight - previous_weight))
        if mom is not None:
            mom[:] *= self.momentum
            mom[:] += step
        else:
            mom = step
        previous_weight[:] = weight
        weight[:] += mom


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient.

    Parameters
    ----------
    momentum : float, default 0.0
    """

    def __init__(self, momentum=0.0, **kwargs):
        super(NAG, self).__init__(**kwargs)
        self.momentum = momentum

    def create_state_multi_precision(self, index, weight):
        return _master_copy_first(self, index, weight, "NAG")

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return zeros(weight.shape, weight.context, dtype=weight.dtype)

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        _check_arrays("NAG", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        kwargs = self._common_kwargs(self.momentum if self.momentum > 0 else None)
        if not multi_precision:
            if state is not None:
                nag_mom_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
            else:
                sgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)
        elif state[0] is not None:
            mp_nag_mom_update(weight, grad, state[0], state[1], out=weight, lr=lr, wd=wd,
                              **kwargs)
        else:
            mp_sgd_update(weight, grad, state[1], out=weight, lr=lr, wd=wd, **kwargs)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        use_mp = self.multi_precision and _is_fp16(weight) and isinstance(state, (tuple, list))
        self._update_impl(index, weight, grad, state, multi_precision=use_mp)


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: half an SGD step plus Gaussian noise of
    variance ``lr`` (drawn from mxtorch's random stream)."""

    def __init__(self, **kwargs):
        super(SGLD, self).__init__(**kwargs)

    def create_state(self, index, weight):
        return None

    def update(self, index, weight, grad, state):
        _check_arrays("SGLD", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        grad = self._clipped(grad)
        weight[:] += - lr / 2 * (grad + wd * weight)
        weight[:] += normal(0, math.sqrt(lr), shape=weight.shape, dtype=weight.dtype,
                            ctx=weight.context)


@register  # pylint: disable=invalid-name
class ccSGD(SGD):
    """Deprecated alias of :class:`SGD`."""

    def __init__(self, *args, **kwargs):
        super(ccSGD, self).__init__(*args, **kwargs)




@register
class Adam(Optimizer):
    """Adam. The bias correction is folded into the learning rate:
    ``lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)``.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    lazy_update : bool, default True
        Lazy updates for row-sparse weights and gradients.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super(Adam, self).__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        stype = weight.stype if self.lazy_update else 'default'
        return (_state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype),  # mean
                _state_zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype))  # var

    def update(self, index, weight, grad, state):
        _check_arrays("Adam", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        t = self._index_update_count[index]
        lr *= math.sqrt(1. - self.beta2**t) / (1. - self.beta1**t)
        kwargs = {'beta1': self.beta1, 'beta2': self.beta2, 'epsilon': self.epsilon,
                  'rescale_grad': self.rescale_grad}
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        mean, var = state
        adam_update(weight, grad, mean, var, out=weight, lazy_update=self.lazy_update,
                    lr=lr, wd=wd, **kwargs)


@register
class AdaGrad(Optimizer):
    """AdaGrad: ``history += g**2; weight -= lr * (g / sqrt(history + eps) + wd * weight)``.

    Parameters
    ----------
    eps : float, default 1e-7
        Added to the history for numerical stability.
    """

    def __init__(self, eps=1e-7, **kwargs):
        super(AdaGrad, self).__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return _state_zeros(weight.shape, weight.context, stype=weight.stype)  # history

    def update(self, index, weight, grad, state):
        _check_arrays("AdaGrad", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        history = state
        if grad.stype == 'row_sparse':
            kwargs = {'epsilon': self.float_stable_eps, 'rescale_grad': self.rescale_grad}
            if self.clip_gradient:
                kwargs['clip_gradient'] = self.clip_gradient
            sparse.adagrad_update(weight, grad, history, out=weight, lr=lr, wd=wd, **kwargs)
            return
        grad = self._clipped(grad)
        history[:] += square(grad)
        div = grad / sqrt(history + self.float_stable_eps)
        weight[:] += (div + weight * wd) * -lr


@register
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton) and, with ``centered=True``, Graves' centered variant.

    Parameters
    ----------
    learning_rate : float, default 0.001
    gamma1 : float, default 0.9
        Decay of the squared-gradient average.
    gamma2 : float, default 0.9
        Momentum of the centered variant.
    epsilon : float, default 1e-8
    centered : bool, default False
    clip_weights : float, optional
        Clip weights to ``[-clip_weights, clip_weights]``.
    """

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9,
                 epsilon=1e-8, centered=False, clip_weights=None, **kwargs):
        super(RMSProp, self).__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        count = 3 if self.centered else 1  # n (, g, delta)
        return tuple(_state_zeros(weight.shape, weight.context, stype=weight.stype)
                     for _ in range(count))

    def update(self, index, weight, grad, state):
        _check_arrays("RMSProp", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        kwargs = {'gamma1': self.gamma1, 'epsilon': self.epsilon,
                  'rescale_grad': self.rescale_grad}
        if self.centered:
            kwargs['gamma2'] = self.gamma2
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        if self.clip_weights:
            kwargs['clip_weights'] = self.clip_weights
        if not self.centered:
            (n, ) = state
            rmsprop_update(weight, grad, n, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            n, g, delta = state
            rmspropalex_update(weight, grad, n, g, delta, out=weight, lr=lr, wd=wd, **kwargs)


@register
class AdaDelta(Optimizer):
    """AdaDelta (the learning rate is not used).

    Parameters
    ----------
    rho : float, default 0.9
        Decay of the running averages.
    epsilon : float, default 1e-5
    """

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super(AdaDelta, self).__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context),  # accumulated g
                zeros(weight.shape, weight.context))  # accumulated delta

    def update(self, index, weight, grad, state):
        _check_arrays("AdaDelta", weight, grad)
        wd = self._get_wd(index)
        self._update_count(index)
        grad = self._clipped(grad)
        acc_g, acc_delta = state
        acc_g[:] *= self.rho
        acc_g[:] += (1. - self.rho) * grad * grad
        current_delta = sqrt(acc_delta + self.epsilon) / sqrt(acc_g + self.epsilon) * grad
        acc_delta[:] *= self.rho
        acc_delta[:] += (1. - self.rho) * current_delta * current_delta
        weight[:] -= current_delta + wd * weight


@register
class Ftrl(Optimizer):
    """FTRL-Proximal.

    Parameters
    ----------
    lamda1 : float, default 0.01
        L1 regularization strength.
    learning_rate : float, default 0.1
    beta : float, default 1
    """

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super(Ftrl, self).__init__(**kwargs)
        self.lamda1 = lamda1
        self.beta = beta
        self.lr = learning_rate

    def create_state(self, index, weight):
        return (_state_zeros(weight.shape, weight.context, stype=weight.stype),  # z
                _state_zeros(weight.shape, weight.context, stype=weight.stype))  # n

    def update(self, index, weight, grad, state):
        _check_arrays("Ftrl", weight, grad)
        self._update_count(index)
        wd = self._get_wd(index)
        lr = self._get_lr(index)
        kwargs = {'lamda1': self.lamda1, 'beta': self.beta, 'rescale_grad': self.rescale_grad}
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        z, n = state
        ftrl_update(weight, grad, z, n, out=weight, lr=lr, wd=wd, **kwargs)


@register
class Adamax(Optimizer):
    """AdaMax, Adam's infinity-norm variant.

    Parameters
    ----------
    learning_rate : float, default 0.002
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    """

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super(Adamax, self).__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context, dtype=weight.dtype),  # mean
                zeros(weight.shape, weight.context, dtype=weight.dtype))  # variance

    def update(self, index, weight, grad, state):
        _check_arrays("Adamax", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        t = self._index_update_count[index]
        lr /= (1. - self.beta1**t)
        grad = grad * self.rescale_grad + wd * weight
        if self.clip_gradient is not None:
            grad = clip(grad, -self.clip_gradient, self.clip_gradient)
        m_t, u_t = state
        m_t[:] *= self.beta1
        m_t[:] += (1. - self.beta1) * grad
        u_t[:] = maximum(self.beta2 * u_t, NDabs(grad))
        weight[:] -= lr * m_t / u_t


@register
class Nadam(Optimizer):
    """Nesterov-accelerated Adam. As in MXNet, the momentum schedule product is kept on the
    optimizer (shared by all parameters).

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    schedule_decay : float, default 0.004
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super(Nadam, self).__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context, dtype=weight.dtype),  # mean
                zeros(weight.shape, weight.context, dtype=weight.dtype))  # variance

    def _momentum(self, t):
        return self.beta1 * (1. - 0.5 * (pow(0.96, t * self.schedule_decay)))

    def update(self, index, weight, grad, state):
        _check_arrays("Nadam", weight, grad)
        self._update_count(index)
        lr = self._get_lr(index)
        wd = self._get_wd(index)
        t = self._index_update_count[index]
        grad = grad * self.rescale_grad + wd * weight
        if self.clip_gradient is not None:
            grad = clip(grad, -self.clip_gradient, self.clip_gradient)
        momentum_t, momentum_t_1 = self._momentum(t), self._momentum(t + 1)
        self.m_schedule = self.m_schedule * momentum_t
        m_schedule_next = self.m_schedule * momentum_t_1
        m_t, v_t = state
        m_t[:] *= self.beta1
        m_t[:] += (1. - self.beta1) * grad
        v_t[:] *= self.beta2
        v_t[:] += (1. - self.beta2) * grad * grad
        grad_prime = grad / (1. - self.m_schedule)
        m_t_prime = m_t / (1. - m_schedule_next)
        v_t_prime = v_t / (1. - pow(self.beta2, t))
        m_t_bar = (1. - momentum_t) * grad_prime + momentum_t_1 * m_t_prime
        weight[:] -= lr * m_t_bar / (sqrt(v_t_prime) + self.epsilon)


@register
class Test(Optimizer):
    """The optimizer MXNet's own tests use: ``weight += grad * rescale_grad`` and the state
    keeps a copy of the weight."""

    def __init__(self, **kwargs):
        super(Test, self).__init__(**kwargs)

    def create_state(self, index, weight):
        return zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        weight[:] += grad * self.rescale_grad
        state[:] = weight


create = Optimizer.create_optimizer  # pylint: disable=invalid-name


def _is_np_ndarray(a):
    return isinstance(a, NDArray) and type(a).__name__ == 'ndarray' and \
        hasattr(a, 'as_nd_ndarray')


def _as_classic(a, allow_np):
    """Turn mx.np arrays into classic NDArrays (when the optimizer allows it)."""
    items = a if isinstance(a, (tuple, list)) else [a]
    if all(type(x) is NDArray for x in items) or not any(_is_np_ndarray(x) for x in items):
        return a
    if not allow_np:
        raise ValueError('Converting np.ndarray to mx.nd.NDArray is not allowed')
    if isinstance(a, (tuple, list)):
        return [x.as_nd_ndarray() if _is_np_ndarray(x) else x for x in a]
    return a.as_nd_ndarray()


class Updater(object):
    """Applies an optimizer to (index, grad, weight) triples, creating and keeping the
    per-index states. ``get_states``/``set_states`` (de)serialise them in MXNet's pickle
    format."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def _prepare(self, index, grad, weight):
        allow_np = getattr(self.optimizer, "allow_np_array", is_np_array())
        if not isinstance(index, (list, tuple)):
            return [index], [_as_classic(grad, allow_np)], [_as_classic(weight, allow_np)]
        return list(index), _as_classic(grad, allow_np), _as_classic(weight, allow_np)

    def _ensure_state(self, indices, weights):
        for i, idx in enumerate(indices):
            if isinstance(idx, bytes):
                indices[i] = idx = py_str(idx)
            if idx not in self.states:
                self.states[idx] = self.optimizer.create_state_multi_precision(idx, weights[i])
                self.states_synced[idx] = True
            elif not self.states_synced[idx]:
                self.states[idx] = self.sync_state_context(self.states[idx],
                                                           weights[i].context)
                self.states_synced[idx] = True

    def __call__(self, index, grad, weight):
        """Update ``weight`` (one array or a list, matching ``index``) from ``grad``."""
        indices, grads, weights = self._prepare(index, grad, weight)
        if weights:
            self.optimizer._set_current_context(weights[0].context.device_id)
        self._ensure_state(indices, weights)
        if not (self.aggregate_updates and self.optimizer.aggregate_num > 0):
            for i, w, g in zip(indices, weights, grads):
                self.optimizer.update_multi_precision(i, w, g, self.states[i])
            return
        by_dtype = {}
        for i, w, g in zip(indices, weights, grads):
            by_dtype.setdefault(w.dtype, []).append((i, w, g))
        # SGD's multi-weight kernels are element-wise: one call for all weights gives the
        # numbers MXNet's chunks of aggregate_num give
        size = self.optimizer.aggregate_num if type(self.optimizer) not in _UNCHUNKED else \
            len(indices)
        for group in by_dtype.values():
            idxs, ws, gs = zip(*group)
            for start in range(0, len(idxs), size):
                stop = start + size
                states = [self.states[j] for j in idxs[start:stop]]
                self.optimizer.update_multi_precision(idxs[start:stop], ws[start:stop],
                                                      gs[start:stop], states)

    def sync_state_context(self, state, context):
        """Move ``state`` (an NDArray or nested tuple/list of them) to ``context``."""
        if isinstance(state, NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            synced = [self.sync_state_context(i, context) for i in state]
            return tuple(synced) if isinstance(state, tuple) else synced
        return state

    def set_states(self, states, allow_unsafe=False):
        """Load states written by :meth:`get_states` (or by MXNet). Only the globals such
        files hold are admitted unless ``allow_unsafe=True`` (see ``mxtorch._safe_pickle``)."""
        from .._safe_pickle import loads
        states = loads(states, allow_unsafe=allow_unsafe)
        if isinstance(states, tuple) and len(states) == 2:
            self.states, self.optimizer = states
            self.aggregate_updates = self.optimizer.aggregate_num > 0
        else:
            self.states = states
        self.states_synced = dict.fromkeys(self.states.keys(), False)

    def get_states(self, dump_optimizer=False):
        """The states as bytes (a pickle MXNet 1.9.1 can read), with the optimizer when
        ``dump_optimizer`` is True."""
        from .._safe_pickle import dumps
        return dumps((self.states, self.optimizer) if dump_optimizer else self.states)


_UNCHUNKED = (SGD,)


def get_updater(optimizer):
    """Return an :class:`Updater` applying ``optimizer``."""
    return Updater(optimizer)
