"""Gluon parameters: ``Parameter``, ``Constant`` and ``ParameterDict`` (MXNet 1.9.1 behaviour).

A Parameter holds one array per context (and one gradient buffer per context unless
``grad_req='null'``). Unknown dimensions (0) defer initialisation until a forward pass fills the
shape. All array work goes through ``nd`` so parameters stay usable by hybridized graphs.
"""
import warnings
from collections import OrderedDict, defaultdict  # noqa: F401 - MXNet's module namespace

import numpy as np

from ..base import mx_real_t, MXNetError
from .. import symbol, ndarray, autograd, context, initializer
from ..context import Context, cpu
from ..util import is_np_array, is_np_shape

__all__ = ['DeferredInitializationError', 'Parameter', 'Constant', 'ParameterDict',
           'tensor_types']

tensor_types = (symbol.Symbol, ndarray.NDArray)

_STYPES = ('default', 'row_sparse', 'csr')
_GRAD_REQS = ('write', 'add', 'null')
_NAMING_DOC = ("For more info on naming, please see "
               "https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html")


class DeferredInitializationError(MXNetError):
    """A Parameter's value was requested before its deferred initialisation finished."""


class ParameterCheckError(MXNetError, ValueError, AssertionError):
    """A Gluon argument check failed.

    MXNet reports these with ``assert``; this error is also an ``AssertionError`` so code that
    catches MXNet's error keeps working, and a ``ValueError``/``MXNetError`` for everyone else.
    """


def _check(cond, message):
    if not cond:
        raise ParameterCheckError(message)


def shape_is_known(shape):
    """True when ``shape`` is given and has no unknown (0, or -1 in NumPy-shape mode) dims."""
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for dim in shape:
        if dim == unknown:
            return False
        _check(dim > unknown, "shape dimension size cannot be less than %d, while received %d"
               % (unknown, dim))
    return True


def _indent(text, spaces):
    """Indent every line of ``text`` but the first by ``spaces`` blanks."""
    lines = text.split('\n')
    return '\n'.join(lines[:1] + [' ' * spaces + line for line in lines[1:]])


def _brief_print_list(items, limit=7):
    """``'a', 'b', ..., 'z'``: a quoted list shortened around the middle."""
    items = list(items)
    if len(items) > limit:
        head, tail = items[:limit // 2], items[-(limit // 2):]
        return _brief_print_list(head, limit) + ', ..., ' + _brief_print_list(tail, limit)
    return ', '.join("'%s'" % str(i) for i in items)


def _as_ctx_list(ctx):
    if ctx is None:
        return [context.current_context()]
    if isinstance(ctx, Context):
        return [ctx]
    return list(ctx)


def _ctx_key(ctx):
    # cpu and cpu_pinned share memory: MXNet maps both onto the same slot
    return (ctx.device_typeid & 1, ctx.device_id)


def _in_array_mode(arr, param, what='stype'):
    """``arr`` as an ``mx.np.ndarray`` (zero-copy) while NumPy-array mode is on."""
    if not is_np_array() or not hasattr(arr, 'as_np_ndarray'):
        return arr
    if arr.stype != 'default':
        raise ValueError("Parameter '%s': mx.np arrays have no sparse storage, so %s='%s' "
                         "cannot be used in NumPy-array mode" % (param.name, what, arr.stype))
    return arr.as_np_ndarray()


def _default_initializer():
    return initializer.Uniform()


class Parameter:
    """A container of one weight (and its gradient) per context, used by Blocks.

    Parameters
    ----------
    name : str
        Name of this parameter (blocks give ``prefix + name``).
    grad_req : {'write', 'add', 'null'}, default 'write'
        How gradients are stored: overwritten, accumulated, or not kept.
    shape : int or tuple of int, default None
        Shape; 0 marks a dimension inferred at the first forward (deferred init).
    dtype : numpy.dtype or str, default 'float32'
    lr_mult : float, default 1.0
        Learning-rate multiplier for this parameter.
    wd_mult : float, default 1.0
        Weight-decay multiplier for this parameter.
    init : Initializer, default None
        Initializer of this parameter; the block's default initializer when None.
    allow_deferred_init : bool, default False
        Allow ``initialize`` before the shape is fully known.
    differentiable : bool, default True
        False forces ``grad_req='null'``.
    stype : {'default', 'row_sparse', 'csr'}, default 'default'
        Storage type of the weight.
    grad_stype : {'default', 'row_sparse', 'csr'}, default 'default'
        Storage type of the gradient.
    """

    def __init__(self, name, grad_req='write', shape=None, dtype=mx_real_t,
                 lr_mult=1.0, wd_mult=1.0, init=None, allow_deferred_init=False,
                 differentiable=True, stype='default', grad_stype='default'):
        self._var = None
        self._data = None
        self._grad = None
        self._ctx_list = None
        self._ctx_map = None
        self._trainer = None
        self._deferred_init = ()
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = tuple(shape) if shape is not None else None
        self.name = name
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.grad_req = grad_req
        self.init = init
        for what, value in (('grad_stype', grad_stype), ('stype', stype)):
            _check(value in _STYPES, "%s for Parameter '%s' must be one of 'default', "
                   "'row_sparse', or 'csr', but got '%s'" % (what, name, value))
        self._grad_stype = grad_stype
        self._stype = stype

    def __repr__(self):
        return 'Parameter {name} (shape={shape}, dtype={dtype})'.format(
            name=self.name, shape=self.shape, dtype=self.dtype)

    # ---- attributes ------------------------------------------------------------------------
    @property
    def grad_req(self):
        """'write', 'add' or 'null'; setting 'null' drops the gradient buffers."""
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        _check(req in _GRAD_REQS, "grad_req of Parameter '%s' must be one of 'write', 'add', or "
               "'null', but got '%s'" % (self.name, req))
        if not self._differentiable:
            req = 'null'
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == 'null' and self._grad is not None:
            self._grad = None
            self._data = [arr.detach() for arr in self._data]
        elif self._data is not None:
            self._init_grad()

    @property
    def dtype(self):
        """Element type; assigning it casts the data and gradients."""
        return self._dtype

    @dtype.setter
    def dtype(self, dtype):
        self.cast(dtype)

    @property
    def shape(self):
        """Shape; unknown dims read 0 (-1 in NumPy-shape mode)."""
        if self._shape is None:
            return None
        if is_np_shape():
            return tuple(d if d != 0 else -1 for d in self._shape)
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        if isinstance(new_shape, int):
            new_shape = (new_shape,)
        new_shape = tuple(new_shape) if new_shape is not None else None
        if self._shape is None or new_shape is None:
            self._shape = new_shape
            return
        compatible = len(self._shape) == len(new_shape) and all(
            old in (-1, 0, new) for new, old in zip(new_shape, self._shape))
        _check(compatible, "Expected shape %s is incompatible with given shape %s for "
               "Parameter '%s': only unknown (0) dimensions may change."
               % (str(new_shape), str(self._shape), self.name))
        self._shape = new_shape

    # ---- lookup ----------------------------------------------------------------------------
    def _set_trainer(self, trainer):
        """Remember the Trainer updating this parameter (one per sparse parameter)."""
        if self._stype != 'default' and self._trainer and trainer and self._trainer is not trainer:
            raise RuntimeError(
                "Failed to set the trainer for Parameter '%s' because it was already set. "
                "More than one trainers for a %s Parameter is not supported."
                % (self.name, self._stype))
        self._trainer = trainer

    def _check_and_get(self, arr_list, ctx):
        if arr_list is not None:
            if ctx is list:
                return arr_list
            if ctx is None:
                if len(arr_list) == 1:
                    return arr_list[0]
                ctx = context.current_context()
            idx = self._ctx_map.get(_ctx_key(ctx))
            if idx is not None:
                return arr_list[idx]
            raise RuntimeError(
                "Parameter '%s' was not initialized on context %s. It was only initialized on "
                "%s." % (self.name, str(ctx), str(self._ctx_list)))
        if self._deferred_init:
            raise DeferredInitializationError(
                "Parameter '%s' (shape %s) has not been initialized yet because initialization "
                "was deferred. Actual initialization happens during the first forward pass. "
                "Please pass one batch of data through the network before accessing Parameters. "
                "You can also avoid deferred initialization by specifying in_units, "
                "num_features, etc., for network layers." % (self.name, str(self.shape)))
        raise RuntimeError(
            "Parameter '%s' has not been initialized. Note that you should initialize "
            "parameters and create Trainer with Block.collect_params() instead of Block.params "
            "because the later does not include Parameters of nested child Blocks (call "
            "net.initialize() or param.initialize() before using it)" % self.name)

    def _get_row_sparse(self, arr_list, ctx, row_id):
        if not isinstance(row_id, ndarray.NDArray):
            raise TypeError("row_id must have NDArray type, but %s is given" % type(row_id))
        if not self._trainer:
            raise RuntimeError("Cannot get row_sparse data for Parameter '%s' when no Trainer "
                               "is created with it." % self.name)
        results = self._check_and_get(arr_list, ctx)
        self._trainer._row_sparse_pull(self, results, row_id)
        return results

    # ---- initialisation --------------------------------------------------------------------
    def _load_init(self, data, ctx, cast_dtype=False, dtype_source='current'):
        """(Re)initialise from the loaded array ``data`` on ``ctx``."""
        if cast_dtype:
            _check(dtype_source in ('current', 'saved'), "dtype_source must be 'current' or "
                   "'saved', but got '%s'" % (dtype_source,))
        if self.shape:
            unknown = -1 if is_np_shape() else 0
            _check(len(self.shape) == len(data.shape) and all(
                mine in (unknown, saved) for mine, saved in zip(self.shape, data.shape)),
                "Failed loading Parameter '%s' from saved params: shape incompatible expected "
                "%s vs saved %s" % (self.name, str(self.shape), str(data.shape)))
            self.shape = tuple(saved if mine == unknown else mine
                               for mine, saved in zip(self.shape, data.shape))
        data = self._loaded_dtype(data, cast_dtype, dtype_source)
        if self._stype != data.stype:
            data = data.tostype(self._stype)
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is None:
            if self._deferred_init:
                _check(ctx is None or set(ctx) == set(self._deferred_init[1]),
                       "Failed to load Parameter '%s' on %s because it was previous initialized "
                       "on %s." % (self.name, str(ctx), str(self._deferred_init[1])))
                ctx = self._deferred_init[1]
            elif ctx is None:
                ctx = [cpu()]
            self._init_impl(data, ctx)
        else:
            _check(ctx is None or set(ctx) == set(self.list_ctx()),
                   "Failed to load Parameter '%s' on %s because it was previous initialized on "
                   "%s." % (self.name, str(ctx), str(self.list_ctx())))
            self.set_data(data)
        self._deferred_init = ()

    def _loaded_dtype(self, data, cast_dtype, dtype_source):
        if not self.dtype or np.dtype(self.dtype).type == data.dtype:
            return data
        if cast_dtype:
            if dtype_source == 'current':
                return data.astype(self.dtype, copy=False)
            self.dtype = data.dtype
            return data
        _check(False, "Failed loading Parameter '%s' from saved params: dtype incompatible "
               "expected %s vs saved %s. Set cast_dtype=True to cast the dtype of saved params."
               % (self.name, str(self.dtype), str(data.dtype)))
        return data

    def _finish_deferred_init(self):
        """Create the arrays once the shape is known (called by the first forward pass)."""
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        _check(shape_is_known(self.shape),
               "Cannot initialize Parameter '%s' because it has invalid shape: %s. Please "
               "specify in_units, in_channels, etc for `Block`s." % (self.name, str(self.shape)))
        self._deferred_init = ()
        with autograd.pause():
            if data is None:
                if is_np_array() and self._stype != 'default':
                    raise ValueError("Parameter '%s': mxnet.numpy.zeros does not support stype = "
                                     "%s (NumPy-array mode has no sparse storage)"
                                     % (self.name, self._stype))
                default_init = _default_initializer() if default_init is None else default_init
                init = default_init if init is None else init
                data = ndarray.zeros(shape=self.shape, dtype=self.dtype, ctx=cpu(),
                                     stype=self._stype)
                if is_np_array():  # MXNet hands initializers mx.np arrays in NumPy mode
                    data = data.as_np_ndarray()
                initializer.create(default_init)(
                    initializer.InitDesc(self.name, {'__init__': init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data, ctx_list):
        """Copy ``data`` onto every context and create the gradient buffers."""
        self._ctx_list = list(ctx_list)
        self._ctx_map = {}
        for i, ctx in enumerate(self._ctx_list):
            self._ctx_map.setdefault(_ctx_key(ctx), i)
        self._data = [_in_array_mode(data.copyto(ctx), self) for ctx in self._ctx_list]
        self._init_grad()

    def _init_grad(self):
        if self.grad_req == 'null':
            self._grad = None
            return
        self._grad = [_in_array_mode(ndarray.zeros(shape=arr.shape, dtype=arr.dtype,
                                                   ctx=arr.context, stype=self._grad_stype),
                                     self, 'grad_stype')
                      for arr in self._data]
        autograd.mark_variables(self._check_and_get(self._data, list), self._grad,
                                self.grad_req)

    def _reduce(self):
        """The value averaged over all contexts, on cpu (what save/export write)."""
        ctx = cpu()
        if self._stype == 'default' or not self._trainer:
            arrays = self._check_and_get(self._data, list)
            if len(arrays) > 1:
                return ndarray.add_n(*(w.copyto(ctx) for w in arrays)) / len(arrays)
            return arrays[0].copyto(ctx)
        all_rows = ndarray.arange(0, self.shape[0], dtype='int64', ctx=ctx)
        data = ndarray.zeros(self.shape, stype='row_sparse', ctx=ctx)
        self._trainer._row_sparse_pull(self, data, all_rows, full_idx=True)
        return data

    def initialize(self, init=None, ctx=None, default_init=None, force_reinit=False,
                   device=None):
        """Create the data (and gradient) arrays.

        Parameters
        ----------
        init : Initializer, default None
            Overrides ``self.init`` and ``default_init``.
        ctx : Context or list of Context, default current context
            One independent copy is kept per context.
        default_init : Initializer, default Uniform()
            Used when both ``init`` and ``self.init`` are None.
        force_reinit : bool, default False
            Re-initialise even if already initialised.
        device : Context or list of Context
            2.x spelling of ``ctx``.
        """
        ctx = device if ctx is None else ctx
        if self._data is not None and not force_reinit:
            warnings.warn("Parameter '%s' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize." % self.name, stacklevel=2)
            return
        self._data = self._grad = None
        ctx = _as_ctx_list(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        if not shape_is_known(self.shape):
            if self._allow_deferred_init:
                self._deferred_init = (init, ctx, default_init, None)
                return
            raise ValueError("Cannot initialize Parameter '%s' because it has invalid shape: "
                             "%s. Give every dimension a size, or create it with "
                             "allow_deferred_init=True." % (self.name, str(self.shape)))
        self._deferred_init = (init, ctx, default_init, None)
        self._finish_deferred_init()

    def reset_ctx(self, ctx):
        """Move the parameter (and its gradients) to other context(s)."""
        ctx = _as_ctx_list(ctx)
        if self._data:
            data = self._reduce()
            with autograd.pause():
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise ValueError("Cannot reset context for Parameter '%s' because it has not been "
                             "initialized." % self.name)

    def reset_device(self, device):
        """2.x spelling of ``reset_ctx``."""
        self.reset_ctx(device)

    def set_data(self, data):
        """Set this parameter's value on every context."""
        self.shape = data.shape
        if self._data is None:
            _check(self._deferred_init, "Parameter '%s' has not been initialized; call "
                   "initialize() before set_data()" % self.name)
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        trainer = self._trainer
        if trainer and getattr(trainer, '_kv_initialized', False) and \
                getattr(trainer, '_update_on_kvstore', False):
            if self not in trainer._params_to_init:
                trainer._reset_kvstore()
        for arr in self._check_and_get(self._data, list):
            arr[:] = data

    # ---- access ----------------------------------------------------------------------------
    def row_sparse_data(self, row_id):
        """A copy of the rows ``row_id`` of this row_sparse parameter, on ``row_id``'s context."""
        if self._stype != 'row_sparse':
            raise RuntimeError("Cannot return a copy of Parameter %s via row_sparse_data() "
                               "because its storage type is %s. Please use data() instead."
                               % (self.name, self._stype))
        return self._get_row_sparse(self._data, row_id.context, row_id)

    def list_row_sparse_data(self, row_id):
        """Copies of the rows ``row_id`` of this row_sparse parameter on every context."""
        if self._stype != 'row_sparse':
            raise RuntimeError("Cannot return copies of Parameter '%s' on all contexts via "
                               "list_row_sparse_data() because its storage type is %s. Please "
                               "use data() instead." % (self.name, self._stype))
        return self._get_row_sparse(self._data, list, row_id)

    def data(self, ctx=None, device=None):
        """The value on ``ctx`` (the only copy when there is one context)."""
        ctx = device if ctx is None else ctx
        if self._stype != 'default':
            raise RuntimeError("Cannot return a copy of Parameter '%s' on ctx %s via data() "
                               "because its storage type is %s. Please use row_sparse_data() "
                               "instead." % (self.name, str(ctx), self._stype))
        return self._check_and_get(self._data, ctx)

    def list_data(self):
        """The values on all contexts, in the order of ``list_ctx()``."""
        if self._stype != 'default':
            raise RuntimeError("Cannot return copies of Parameter '%s' on all contexts via "
                               "list_data() because its storage type is %s. Please use "
                               "row_sparse_data() instead." % (self.name, self._stype))
        return self._check_and_get(self._data, list)

    def grad(self, ctx=None, device=None):
        """The gradient buffer on ``ctx``."""
        ctx = device if ctx is None else ctx
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '%s' because "
                               "grad_req='null'" % self.name)
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        """The gradient buffers on all contexts."""
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '%s' because "
                               "grad_req='null'" % self.name)
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        """The contexts this parameter lives on (pending ones while init is deferred)."""
        if self._data is None:
            if self._deferred_init:
                return self._deferred_init[1]
            raise RuntimeError("Parameter '%s' has not been initialized" % self.name)
        return self._ctx_list

    def list_device(self):
        """2.x spelling of ``list_ctx``."""
        return self.list_ctx()

    def zero_grad(self):
        """Set the gradient buffers to 0 (nothing to do without gradients)."""
        if self._grad is None:
            return
        for g in self._grad:
            ndarray.zeros_like(g, out=g)

    def var(self):
        """The Symbol variable standing for this parameter in graphs (cached)."""
        if self._var is None:
            self._var = symbol.var(self.name, shape=self.shape, dtype=self.dtype,
                                   lr_mult=self.lr_mult, wd_mult=self.wd_mult,
                                   init=self.init, stype=self._stype)
        return self._var

    def cast(self, dtype):
        """Cast data and gradients to ``dtype``."""
        self._dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = [arr.astype(dtype) for arr in self._data]
            if self._grad is None:
                return
            self._grad = [g.astype(dtype) for g in self._grad]
            autograd.mark_variables(self._data, self._grad, self.grad_req)


_CONSTANT_INIT = []


def _constant_initializer(value):
    """An Initializer writing ``value`` (built lazily: mx.init may import after gluon)."""
    if not _CONSTANT_INIT:
        class _ConstantValue(initializer.Initializer):
            """Copies a fixed array into the parameter."""

            def __init__(self, value):
                super().__init__()
                self._value = value

            def _init_weight(self, _, arr):
                self._value.copyto(arr)

            _init_default = _init_weight

        _CONSTANT_INIT.append(_ConstantValue)
    return _CONSTANT_INIT[0](value)


class Constant(Parameter):
    """A parameter that autograd and Trainer leave alone (change it only with ``set_data``).

    Parameters
    ----------
    name : str
        Name of the constant.
    value : array-like
        Its value.
    """

    def __init__(self, name, value):
        if not isinstance(value, ndarray.NDArray):
            if is_np_array():  # mx.np.array: a NumPy value keeps its dtype (as MXNet 1.9.1)
                from ..numpy import array as np_array
                value = np_array(value)
            else:
                value = ndarray.array(value)
        self.value = value
        super().__init__(name, grad_req='null', shape=value.shape, dtype=value.dtype,
                         init=None)

    @property
    def init(self):
        """The initializer writing ``value`` (unless replaced by assignment)."""
        if self._const_init is None:
            self._const_init = _constant_initializer(self.value)
        return self._const_init

    @init.setter
    def init(self, init):
        self._const_init = init

    def __repr__(self):
        return 'Constant {name} (shape={shape}, dtype={dtype})'.format(
            name=self.name, shape=self.shape, dtype=self.dtype)

    @property
    def grad_req(self):
        return 'null'

    @grad_req.setter
    def grad_req(self, req):
        if req != 'null':
            warnings.warn('Constant parameter "{}" does not support grad_req other than "null", '
                          'and new value "{}" is ignored.'.format(self.name, req))


class ParameterDict:
    """An ordered dict of Parameters keyed by full name.

    Parameters
    ----------
    prefix : str, default ''
        Prepended to the names of parameters created with ``get``.
    shared : ParameterDict or None
        Looked up by ``get`` before creating a parameter (weight sharing).
    """

    def __init__(self, prefix='', shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        name = self._prefix + ' ' if self._prefix else ''
        content = '\n'.join(_indent('  {0}'.format(v), 2) for v in self.values())
        return '{name}(\n{content}\n)'.format(name=name, content=content)

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        """Prepended to the names of parameters created by ``get``."""
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The Parameter ``prefix + name``: found here, in ``shared``, or created from kwargs.

        An existing parameter must agree with the given attributes; unknown (0) dims of its
        shape are filled from ``shape``, and attributes it lacks are set.
        """
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for key, value in kwargs.items():
            existing = getattr(param, key, None)
            if existing is None:
                setattr(param, key, value)
            elif not self._merge_attr(param, key, value, existing):
                _check(value is None or value == existing,
                       "Cannot retrieve Parameter '%s' because desired attribute does not match "
                       "with stored for attribute '%s': desired '%s' vs stored '%s'."
                       % (name, key, str(value), str(existing)))
        return param

    @staticmethod
    def _merge_attr(param, key, value, existing):
        """Merge a compatible shape or an equal dtype; False when the plain check must run."""
        if key == 'dtype' and value is not None:
            return np.dtype(value) == np.dtype(existing)
        if key != 'shape' or value is None:
            return False
        if isinstance(value, int):
            value = (value,)
        if len(value) != len(existing):
            return False
        merged = []
        for new, old in zip(value, existing):
            if new != old and new > 0 and old > 0:
                return False
            merged.append(old if new in (0, -1) else new)
        param._shape = tuple(merged)
        return True

    def get_constant(self, name, value=None):
        """The Constant ``prefix + name``: found, or created with ``value``."""
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError("No constant named '{}'. Please specify value if you want to "
                               "create a new constant.".format(name))
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None:
            _check(isinstance(param, Constant),
                   "Parameter '{}' already exists but it is not a constant.".format(name))
            value = value.asnumpy() if isinstance(value, ndarray.NDArray) else np.asarray(value)
            _check(param.shape == value.shape and (param.value.asnumpy() == value).all(),
                   "Constant '{}' already exists but it's value doesn't match new value"
                   .format(name))
        return param

    def update(self, other):
        """Add all Parameters of ``other`` (a name must not map to two different ones)."""
        for key, value in other.items():
            if key in self._params:
                _check(self._params[key] is value,
                       "Cannot update self with other because they have different Parameters "
                       "with the same name '%s'" % key)
        for key, value in other.items():
            self._params[key] = value

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False, device=None):
        """Initialise every Parameter; ``init`` is the default for those without ``init``.

        Parameters
        ----------
        init : Initializer, default Uniform()
        ctx : Context or list of Context
        verbose : bool, default False
            Print what each parameter is initialised with.
        force_reinit : bool, default False
        device : Context or list of Context
            2.x spelling of ``ctx``.
        """
        if verbose:
            init = _default_initializer() if init is None else init
            init.set_verbosity(verbose=verbose)
        ctx = device if ctx is None else ctx
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        """Set every gradient buffer to 0."""
        by_ctx = defaultdict(list)
        for param in self.values():
            if param.grad_req == 'null' or param._grad is None:
                continue
            for g in param.list_grad():
                if g.stype != 'default':
                    ndarray.zeros_like(g, out=g)
                else:
                    by_ctx[g.context].append(g)
        for arrays in by_ctx.values():
            ndarray.reset_arrays(*arrays, num_arrays=len(arrays))

    def reset_ctx(self, ctx):
        """Move every Parameter to other context(s)."""
        for param in self.values():
            param.reset_ctx(ctx)

    def reset_device(self, device):
        """2.x spelling of ``reset_ctx``."""
        self.reset_ctx(device)

    def list_ctx(self):
        """All contexts any Parameter lives on."""
        found = set()
        for param in self.values():
            found.update(param.list_ctx())
        return list(found)

    def setattr(self, name, value):
        """Set attribute ``name`` (``grad_req``, ``lr_mult``...) on every Parameter."""
        for param in self.values():
            setattr(param, name, value)

    def save(self, filename, strip_prefix=''):
        """Save the values (averaged over contexts) to ``filename`` in nd.save format.

        Parameters
        ----------
        filename : str
        strip_prefix : str, default ''
            Removed from every name before saving; every name must start with it.
        """
        arg_dict = {}
        for param in self.values():
            weight = param._reduce()
            if not param.name.startswith(strip_prefix):
                raise ValueError(
                    "Prefix '%s' is to be striped before saving, but Parameter's name '%s' does "
                    "not start with '%s'. this may be due to your Block shares parameters from "
                    "other Blocks or you forgot to use 'with name_scope()' when creating child "
                    "blocks. %s" % (strip_prefix, param.name, strip_prefix, _NAMING_DOC))
            arg_dict[param.name[len(strip_prefix):]] = weight
        ndarray.save(filename, arg_dict)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix='', cast_dtype=False, dtype_source='current'):
        """Load values saved by ``save`` (or ``nd.save``) from ``filename``.

        Parameters
        ----------
        filename : str
        ctx : Context or list of Context
            Where uninitialised parameters are created (default cpu).
        allow_missing : bool, default False
            Leave parameters missing from the file alone instead of raising.
        ignore_extra : bool, default False
            Skip names in the file that are not in this dict instead of raising.
        restore_prefix : str, default ''
            Prepended to the stored names.
        cast_dtype : bool, default False
            Cast between the stored and the parameter dtype.
        dtype_source : {'current', 'saved'}, default 'current'
            Which dtype wins when ``cast_dtype`` is True.
        """
        if restore_prefix:
            for name in self.keys():
                _check(name.startswith(restore_prefix),
                       "restore_prefix is '%s' but Parameters name '%s' does not start with "
                       "'%s'. %s" % (restore_prefix, name, restore_prefix, _NAMING_DOC))
        loaded = ndarray.load(filename)
        self.load_dict(loaded, ctx, allow_missing, ignore_extra, restore_prefix, filename,
                       cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix='', filename=None, cast_dtype=False, dtype_source='current'):
        """Load values from a dict of name -> NDArray (``arg:``/``aux:`` prefixes accepted).

        Parameters are as in ``load``; ``filename`` only names the source in errors.
        """
        if isinstance(param_dict, list) and not param_dict:
            param_dict = {}     # a file of no arrays (a parameter-free export) loads as []
        if not isinstance(param_dict, dict):
            raise ValueError("load_dict needs a dict of name -> NDArray; the %s holds %s "
                             "without names" % ('file ' + filename if filename else 'input',
                                                type(param_dict).__name__))
        loaded = [(k[4:] if k.startswith(('arg:', 'aux:')) else k, v)
                  for k, v in param_dict.items()]
        arg_dict = {restore_prefix + k: v for k, v in loaded}
        source = "file: %s" % filename if filename else "param_dict"
        lprefix = len(restore_prefix)
        if not allow_missing:
            for name in self.keys():
                _check(name in arg_dict,
                       "Parameter '%s' is missing in %s, which contains parameters: %s. Please "
                       "make sure source and target networks have the same prefix (or pass "
                       "allow_missing=True). %s" % (name[lprefix:], source,
                                                     _brief_print_list(arg_dict.keys()),
                                                     _NAMING_DOC))
        for name, value in arg_dict.items():
            if name not in self._params:
                _check(ignore_extra,
                       "Parameter '%s' loaded from %s is not present in ParameterDict, choices "
                       "are: %s. Set ignore_extra to True to ignore. Please make sure source and "
                       "target networks have the same prefix. %s"
                       % (name[lprefix:], source, _brief_print_list(self._params.keys()),
                          _NAMING_DOC))
                continue
            self[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)
