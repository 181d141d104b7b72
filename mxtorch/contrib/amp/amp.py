"""Automatic mixed precision (MXNet 1.9.1's ``mx.contrib.amp``).

``init()`` wraps the operator functions of ``mx.nd`` and ``mx.sym`` (and so Gluon's ``F``) so
that low-precision ops get their inputs cast to float16/bfloat16, float32 ops to float32, and
widest-type ops to the widest type of their inputs; ``init_trainer``/``scale_loss``/``unscale``
add dynamic loss scaling to a Gluon Trainer. ``convert_symbol``/``convert_model``/
``convert_hybrid_block``/``convert_bucketing_module`` insert ``amp_cast``/``amp_multicast``
nodes into a float32 graph for inference, as MXNet's graph pass does (see ``_graph``).
"""
import contextlib
import logging
from array import array  # noqa: F401 - part of MXNet's namespace

import numpy as np

from ... import base  # noqa: F401
from ... import ndarray
from ... import optimizer as opt
from ... import symbol
from ...base import MXNetError
from ...context import gpu  # noqa: F401
from ...module import BucketingModule  # noqa: F401
from ...ndarray import NDArray
from ...symbol import Symbol
from ...symbol import contrib as symbol_contrib  # noqa: F401
from . import lists
from .loss_scaler import LossScaler

__all__ = ['init', 'init_trainer', 'scale_loss', 'unscale', 'convert_model',
           'convert_hybrid_block', 'list_lp16_ops', 'list_fp32_ops', 'list_lp16_fp32_ops',
           'list_conditional_fp32_ops', 'list_widest_type_cast', 'list_loss_output_functions',
           'list_lp16_use_fp32_params', 'convert_symbol']

bfloat16 = np.dtype([('bfloat16', np.uint16)])
_PREFIXES = ('_contrib_', '_linalg_', '_sparse_', '_image_', '_random_')


class AMPError(MXNetError, AssertionError):
    """Invalid use of AMP (also an AssertionError, which MXNet raises)."""


def _dtype_name(dtype):
    """'float16' / 'bfloat16' / 'float32' for any spelling, else None."""
    if isinstance(dtype, str):
        return dtype if dtype in ('float16', 'bfloat16', 'float32') else None
    if np.dtype(dtype) == bfloat16:
        return 'bfloat16'
    name = np.dtype(dtype).name
    return name if name in ('float16', 'float32') else None


def _target_name(target_dtype, what):
    name = None
    try:
        name = _dtype_name(target_dtype)
    except TypeError:
        pass
    if name not in ('float16', 'bfloat16'):
        raise AMPError('%s: AMP supports only float16 or bfloat16 as target_dtype, got %r'
                       % (what, target_dtype))
    return name


def _lists(target_dtype):
    name = _target_name(target_dtype, 'amp')
    return lists.symbol_fp16 if name == 'float16' else lists.symbol_bf16


def list_lp16_ops(target_dtype):
    """The ops AMP runs in `target_dtype` ('float16' or 'bfloat16')."""
    mod = _lists(target_dtype)
    return mod.FP16_FUNCS if mod is lists.symbol_fp16 else mod.BF16_FUNCS


def list_fp32_ops(target_dtype):
    """The ops AMP runs in float32."""
    return _lists(target_dtype).FP32_FUNCS


def list_lp16_fp32_ops(target_dtype):
    """The ops that run in whichever precision their inputs have."""
    mod = _lists(target_dtype)
    return mod.FP16_FP32_FUNCS if mod is lists.symbol_fp16 else mod.BF16_FP32_FUNCS


def list_conditional_fp32_ops(target_dtype):
    """(op, attribute, values): ops run in float32 when the attribute has one of the values."""
    return _lists(target_dtype).CONDITIONAL_FP32_FUNCS


def list_widest_type_cast(target_dtype):
    """The ops whose inputs are cast to the widest type among them."""
    return _lists(target_dtype).WIDEST_TYPE_CASTS


def list_loss_output_functions(target_dtype):
    """The loss output ops whose ``grad_scale`` AMP multiplies by the loss scale."""
    return _lists(target_dtype).LOSS_OUTPUT_FUNCTIONS


def list_lp16_use_fp32_params(target_dtype):
    """op -> parameter names kept in float32 (bfloat16 only; None for float16)."""
    mod = _lists(target_dtype)
    return None if mod is lists.symbol_fp16 else mod.BF16_USE_FP32_PARAMS


# ---- imperative / symbolic wrapping (init) -------------------------------------------------

def _cast(value, dtype):
    """`value` cast to `dtype` if it is a Symbol, or a float NDArray of another float type."""
    if isinstance(value, Symbol):
        return symbol.amp_cast(value, dtype=dtype)
    if isinstance(value, NDArray):
        floats = ('float32', 'bfloat16') if value.context.device_type == 'cpu' else \
            ('float32', 'float16')
        current = _dtype_name(value.dtype)
        if current != _dtype_name(dtype) and current in floats:
            return ndarray.amp_cast(value, dtype=dtype)
    return value


def _copy_meta(new, f):
    new.__name__, new.__module__, new.__doc__ = f.__name__, f.__module__, f.__doc__
    new.__wrapped__ = f
    return new


def _applies(cond_arg, kwargs):
    return cond_arg is None or kwargs.get(cond_arg[0], None) in cond_arg[1]


def _ndarray_wrapper(f, dtype, fp32_param=None, cond_arg=None):
    def wrapped(*args, **kwargs):
        if not _applies(cond_arg, kwargs):
            return f(*args, **kwargs)
        keep = fp32_param or ()
        args = [a if i < len(keep) and keep[i] else _cast(a, dtype) for i, a in enumerate(args)]
        kwargs = {k: v if k in keep else _cast(v, dtype) for k, v in kwargs.items()}
        return f(*args, **kwargs)
    return _copy_meta(wrapped, f)


def _recast_inputs(sym, dtype, fp32_param=None):
    """Puts an amp_cast to `dtype` before each input (but auxiliary states) of the node
    `sym` was just built with."""
    node = sym._outputs[0][0]
    aux = set(node.aux_positions())
    keep = fp32_param or ()
    node.inputs = [e if (i in aux or (i < len(keep) and keep[i]))
                   else symbol.amp_cast(Symbol([e]), dtype=dtype)._outputs[0]
                   for i, e in enumerate(node.inputs)]
    return sym


def _multicast_inputs(sym):
    """Puts one amp_multicast before the inputs of the node `sym` was just built with."""
    node = sym._outputs[0][0]
    if node.inputs:
        casted = symbol.amp_multicast(*[Symbol([e]) for e in node.inputs],
                                      num_outputs=len(node.inputs))
        node.inputs = list(casted._outputs)
    return sym


def _symbol_wrapper(f, dtype, fp32_param=None, cond_arg=None):
    def wrapped(*args, **kwargs):
        if not _applies(cond_arg, kwargs):
            return f(*args, **kwargs)
        return _recast_inputs(f(*args, **kwargs), dtype, fp32_param)
    return _copy_meta(wrapped, f)


def _widest_wrapper(f, target_dtype):
    def wrapped(*args, **kwargs):
        args = list(args)
        places = [(args, i) for i, a in enumerate(args) if isinstance(a, (Symbol, NDArray))]
        places += [(kwargs, k) for k, v in kwargs.items() if isinstance(v, (Symbol, NDArray))]
        values = [box[key] for box, key in places]
        if any(isinstance(v, Symbol) for v in values):
            casted = symbol.amp_multicast(*values, num_outputs=len(values))
            for (box, key), new in zip(places, casted):
                box[key] = new
        else:
            wide = 'float32' if any(_dtype_name(v.dtype) == 'float32' for v in values) \
                else target_dtype
            for box, key in places:
                if _dtype_name(box[key].dtype) == target_dtype != wide:
                    box[key] = ndarray.amp_cast(box[key], dtype=wide)
        return f(*args, **kwargs)
    return _copy_meta(wrapped, f)


def _op_actions(target, lp_ops, fp32_ops):
    """canonical op name -> what AMP does to its inputs: a dtype to cast to, or 'widest'."""
    from ...ops import get_op
    actions = {}
    for names, action in ((lp_ops, target), (fp32_ops, 'float32'),
                          (list_widest_type_cast(target), 'widest')):
        for name in names:
            try:
                actions[get_op(name).name] = action
            except (KeyError, MXNetError):
                continue
    return actions


def _wrap_operators(actions, target):
    """The Python operators of Symbol and NDArray (``a + b``...) get the treatment of the op
    they run, as MXNet's operators call the wrapped functions."""
    from ...ndarray import _operators
    from ...ops import get_op

    def canonical(alias):
        return get_op(alias).name if alias else None

    for row in _operators.BINARY + _operators.COMPARE:
        for dunder in ('__%s__' % row.dunder, '__r%s__' % row.dunder):
            if dunder in vars(Symbol):
                setattr(Symbol, dunder, _symbol_operator(getattr(Symbol, dunder), actions))
            if dunder in vars(NDArray):
                setattr(NDArray, dunder, _ndarray_operator(
                    getattr(NDArray, dunder), actions.get(canonical(row.nd_array)),
                    actions.get(canonical(row.scalar)), target))


def _is_fluent(method):
    return (getattr(method, '__doc__', None) or '').startswith('Fluent form')


def _wrap_fluent_methods(actions):
    """Fluent methods (``x.sum()``, ``s.exp()``) get the treatment of the op they run, as
    MXNet's fluent methods call the wrapped ``op`` module functions."""
    from ...ndarray._fluent import FLUENT
    from ...ops import get_op
    from ...symbol._fluent import _EXTRA
    for method_name, op_name in dict(FLUENT, **_EXTRA).items():
        try:
            action = actions.get(get_op(op_name).name)
        except (KeyError, MXNetError):
            continue
        if action in (None, 'widest'):
            continue
        if _is_fluent(vars(Symbol).get(method_name)):
            setattr(Symbol, method_name, _symbol_operator(vars(Symbol)[method_name], actions))
        if _is_fluent(vars(NDArray).get(method_name)):
            setattr(NDArray, method_name, _ndarray_method(vars(NDArray)[method_name], action))


def _ndarray_method(method, dtype):
    def wrapped(self, *args, **kwargs):
        return method(_cast(self, dtype), *[_cast(a, dtype) for a in args], **kwargs)
    return _copy_meta(wrapped, method)


def _symbol_operator(method, actions):
    def wrapped(self, *args, **kwargs):
        out = method(self, *args, **kwargs)
        if isinstance(out, Symbol) and out._outputs and out._outputs[0][0].op is not None:
            action = actions.get(out._outputs[0][0].op.name)
            if action == 'widest':
                _multicast_inputs(out)
            elif action is not None:
                _recast_inputs(out, action)
        return out
    return _copy_meta(wrapped, method)


def _ndarray_operator(method, array_action, scalar_action, target):
    def wrapped(self, other):
        if isinstance(other, NDArray):
            if array_action == 'widest':
                both = [self, other]
                if any(_dtype_name(a.dtype) == 'float32' for a in both):
                    self, other = [ndarray.amp_cast(a, dtype='float32')
                                   if _dtype_name(a.dtype) == target else a for a in both]
            elif array_action is not None:
                self, other = _cast(self, array_action), _cast(other, array_action)
        elif scalar_action not in (None, 'widest'):
            self = _cast(self, scalar_action)
        return method(self, other)
    return _copy_meta(wrapped, method)


def _home(module, name):
    """(module holding function `name`, its attribute name) the way MXNet resolves op names."""
    for prefix in _PREFIXES:
        if name.startswith(prefix) and not (prefix == '_random_' and not name.endswith('_like')):
            return getattr(module, prefix[1:-1], None), name[len(prefix):]
    if name.startswith('_'):
        return getattr(module, '_internal', None), name
    return module, name


def _patch(module, name, make):
    home, attr = _home(module, name)
    func = getattr(home, attr, None) if home is not None else None
    if func is None:   # an op mxtorch does not provide (ops/_unsupported.py)
        return
    setattr(home, attr, make(func))
    if home is module and hasattr(module, 'op') and hasattr(module.op, attr):
        setattr(module.op, attr, make(func))


def _wrap_functions(module, target, lp_ops, cond_ops, fp32_ops):
    wrapper = _symbol_wrapper if module is symbol else _ndarray_wrapper
    fp32_params = list_lp16_use_fp32_params(target) or {}
    for name in lp_ops:
        _patch(module, name, lambda f, n=name: wrapper(f, target, fp32_param=fp32_params.get(n)))
    for name in fp32_ops:
        _patch(module, name, lambda f: wrapper(f, 'float32'))
    for name, arg, values in cond_ops:
        _patch(module, name, lambda f, c=(arg, values): wrapper(f, 'float32', cond_arg=c))
    for name in list_widest_type_cast(target):
        _patch(module, name, lambda f: _widest_wrapper(f, target))


def _wrap_loss_outputs(module, scaler, target):
    for name in list_loss_output_functions(target):
        func = getattr(module, name, None)
        if func is None:
            continue
        if module is ndarray:
            def scaled(*args, __f=func, **kwargs):
                kwargs['grad_scale'] = kwargs.get('grad_scale', 1.0) * scaler.loss_scale
                return __f(*args, **kwargs)
            setattr(module, name, _copy_meta(scaled, func))
        else:
            def warned(*args, __f=func, **kwargs):
                logging.warning("%s does not support dynamic loss scaling in symbolic and "
                                "hybridized execution.", __f.__name__)
                return __f(*args, **kwargs)
            setattr(module, name, _copy_meta(warned, func))


_state = {'initialized': False, 'scaler_used': False, 'scaler': None, 'target': None}


def init(target_dtype='float16', target_precision_ops=None, conditional_fp32_ops=None,
         fp32_ops=None):
    """Turns on AMP: wraps the ``mx.nd`` / ``mx.sym`` operator functions (call it before
    building the model). Later calls do nothing.

    Parameters
    ----------
    target_dtype : {'float16', 'bfloat16'}
        The low precision type. On CPU, float16 matrix products are slow: use bfloat16.
    target_precision_ops : list of str
        Replaces the list of ops run in `target_dtype`.
    conditional_fp32_ops : list of (str, str, list of str)
        Replaces the list of (op, attribute, values) run in float32 when the attribute has
        one of the values.
    fp32_ops : list of str
        Replaces the list of ops run in float32.
    """
    if _state['initialized']:
        return
    target = _target_name(target_dtype, 'amp.init')
    _state.update(initialized=True, target=target, scaler=LossScaler())
    logging.info("Using AMP")
    lp_ops = target_precision_ops if target_precision_ops is not None else list_lp16_ops(target)
    cond = conditional_fp32_ops if conditional_fp32_ops is not None else \
        list_conditional_fp32_ops(target)
    fp32 = fp32_ops if fp32_ops is not None else list_fp32_ops(target)
    for module in (symbol, ndarray):
        _wrap_functions(module, target, lp_ops, cond, fp32)
        _wrap_loss_outputs(module, _state['scaler'], target)
    actions = _op_actions(target, lp_ops, fp32)
    _wrap_operators(actions, target)
    _wrap_fluent_methods(actions)


def _check_trainer(optimizer_or_trainer):
    from ...gluon import trainer
    if isinstance(optimizer_or_trainer, trainer.Trainer):
        return
    if isinstance(optimizer_or_trainer, opt.Optimizer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    raise TypeError("optimizer_or_trainer should be a Gluon Trainer or an optimizer, instead "
                    "is %s" % type(optimizer_or_trainer))


def init_trainer(optimizer_or_trainer):
    """Gives a Gluon Trainer dynamic loss scaling (after :func:`init`): steps whose
    gradients overflow are skipped and the scale adapts (:class:`LossScaler`).

    Parameters
    ----------
    optimizer_or_trainer : Trainer
        The Gluon Trainer (plain Optimizers are not supported, as in MXNet).
    """
    if not _state['initialized']:
        raise AMPError("AMP not initialized, did you forget to call amp.init()?")
    _check_trainer(optimizer_or_trainer)
    if _state['scaler_used']:
        scaler = LossScaler()
    else:
        _state['scaler_used'] = True
        scaler = _state['scaler']
    optimizer_or_trainer._amp_loss_scaler = scaler
    optimizer_or_trainer._amp_original_scale = optimizer_or_trainer._scale


@contextlib.contextmanager
def scale_loss(loss, optimizer_or_trainer):
    """Context manager giving the loss (or list of losses) multiplied by the loss scale; the
    trainer divides the gradients by it again in ``step``.

    Examples
    --------
    >>> with amp.scale_loss(loss, trainer) as scaled:
    ...     autograd.backward(scaled)
    """
    scaler = getattr(optimizer_or_trainer, '_amp_loss_scaler', None)
    if scaler is None:
        raise AMPError('Loss scaler is not initialized, did you forget to call '
                       'amp.init_trainer()?')
    optimizer_or_trainer._scale = optimizer_or_trainer._amp_original_scale / scaler.loss_scale
    if isinstance(loss, (list, tuple)):
        yield [l * scaler.loss_scale for l in loss]
    else:
        yield scaler.loss_scale * loss


def unscale(optimizer_or_trainer):
    """Divides the gradients by the loss scale now (e.g. before gradient clipping); the next
    ``step`` then does not rescale them.

    Parameters
    ----------
    optimizer_or_trainer : Trainer
    """
    _check_trainer(optimizer_or_trainer)
    for param in optimizer_or_trainer._params:
        for grad in (getattr(param, '_grad', None) or ()):
            grad[:] *= optimizer_or_trainer._scale
    optimizer_or_trainer._scale = 1.


from ._convert import (convert_symbol, convert_model, convert_hybrid_block,  # noqa: E402,F401
                       convert_bucketing_module)


# MXNet's module-level flags, read by libraries (gluonnlp's attention masks)
_FLAGS = {'_amp_initialized': 'initialized', '_amp_loss_scale_initialized': 'scaler_used'}


def __getattr__(name):
    if name in _FLAGS:
        return _state[_FLAGS[name]]
    if name == '_loss_scaler':
        return _state['scaler']
    if name == 'trainer':   # gluon.trainer, imported late (gluon builds on this package)
        from ...gluon import trainer
        return trainer
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
