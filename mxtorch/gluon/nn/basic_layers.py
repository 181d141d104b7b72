"""Basic layers of ``gluon.nn``: containers, Dense, Dropout, normalisation, Embedding, Lambda.

Layers are written with ``F`` operators only (``hybrid_forward``), so the same code runs
eagerly (``F = nd``) and traces to a Symbol graph (``F = sym``) for ``hybridize``/``export``.
Parameter names, shapes and ``repr`` follow MXNet 1.9.1 exactly.
"""
import warnings

import numpy as np

from ...base import MXNetError
from ...ndarray import ndarray as _nd
from ...ops import get_op
from ..block import Block, HybridBlock
from ..parameter import DeferredInitializationError
from ..utils import UsageError
from .activations import Activation
from ._np_compat import np_aware
from ... import ndarray as nd
from ... import symbol as sym
from ...util import is_np_array  # noqa: F401  (MXNet's module namespace)

__all__ = ['Sequential', 'HybridSequential', 'Dense', 'Dropout', 'Embedding', 'BatchNorm',
           'BatchNormReLU', 'InstanceNorm', 'LayerNorm', 'GroupNorm', 'Flatten', 'Lambda',
           'HybridLambda']


def _indent(text, spaces):
    """Indents every line of ``text`` but the first by ``spaces`` blanks."""
    first, *rest = text.split('\n')
    return '\n'.join([first] + [' ' * spaces + line for line in rest])


def _name_layer(block, err):
    """Prefixes an operator error with the layer that called it (its class and name)."""
    if err.args and isinstance(err.args[0], str):
        err.args = (f"{type(block).__name__} '{block.name}': {err.args[0]}",) + err.args[1:]
    return err


def _kwargs_repr(kwargs):
    return ', '.join(f'{k}={v!r}' for k, v in kwargs.items())


class _SequentialMixin:
    """``add``, indexing, slicing, ``len`` and ``repr`` shared by both sequential containers."""

    def add(self, *blocks):
        """Appends blocks, in order, as children."""
        for block in blocks:
            self.register_child(block)

    def __repr__(self):
        lines = '\n'.join(f'  ({key}): {_indent(repr(block), 2)}'
                          for key, block in self._children.items())
        return f'{type(self).__name__}(\n{lines}\n)'

    def __getitem__(self, key):
        picked = list(self._children.values())[key]
        if not isinstance(picked, list):
            return picked
        net = type(self)(prefix=self._prefix)
        with net.name_scope():
            net.add(*picked)
        return net

    def __len__(self):
        return len(self._children)


class Sequential(_SequentialMixin, Block):
    """Stacks Blocks sequentially: the output of each child is the input of the next.

    Example::

        net = nn.Sequential()
        with net.name_scope():
            net.add(nn.Dense(10, activation='relu'), nn.Dense(20))
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def forward(self, x):
        for block in self._children.values():
            x = block(x)
        return x

    def hybridize(self, active=True, **kwargs):
        """Hybridizes the children (warns when all of them could be a HybridSequential)."""
        if self._children and all(isinstance(c, HybridBlock) for c in self._children.values()):
            warnings.warn(
                f"All children of this Sequential layer '{self.prefix}' are HybridBlocks. "
                "Consider using HybridSequential for the best performance.", stacklevel=2)
        super().hybridize(active, **kwargs)


class HybridSequential(_SequentialMixin, HybridBlock):
    """Stacks HybridBlocks sequentially; hybridizes as one graph.

    Example::

        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(10, activation='relu'), nn.Dense(20))
        net.hybridize()
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        for block in self._children.values():
            x = block(x)
        return x


class Dense(HybridBlock):
    """Fully connected layer: ``activation(dot(x, weight.T) + bias)``.

    Parameters
    ----------
    units : int
        Dimensionality of the output space.
    activation : str, optional
        Activation applied to the output (see ``Activation``); None means linear.
    use_bias : bool, default True
    flatten : bool, default True
        True collapses all axes but the first of the input; False applies the layer on
        the last axis and keeps the others.
    dtype : str or np.dtype, default 'float32'
    weight_initializer : str or Initializer
    bias_initializer : str or Initializer, default 'zeros'
    in_units : int, default 0
        Input size; 0 defers it to the first forward.
    """

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype='float32',
                 weight_initializer=None, bias_initializer='zeros', in_units=0, **kwargs):
        super().__init__(**kwargs)
        self._flatten = flatten
        self._units = units
        self._in_units = in_units
        with self.name_scope():
            self.weight = self.params.get('weight', shape=(units, in_units), dtype=dtype,
                                          init=weight_initializer, allow_deferred_init=True)
            self.bias = self.params.get('bias', shape=(units,), dtype=dtype,
                                        init=bias_initializer,
                                        allow_deferred_init=True) if use_bias else None
            self.act = (Activation(activation, prefix=activation + '_')
                        if activation is not None else None)

    @np_aware
    def hybrid_forward(self, F, x, weight, bias=None):
        try:
            out = F.FullyConnected(x, weight, bias, no_bias=bias is None,
                                   num_hidden=self._units, flatten=self._flatten, name='fwd')
        except MXNetError as err:
            raise _name_layer(self, err)
        return out if self.act is None else self.act._overwrite(F, out)

    def _call_one(self, x):
        """``self(x)`` for one plain NDArray. Eagerly, with nothing recording or tracing, the
        stock ``nd.FullyConnected`` and a plain activation, the two operators' definitions run
        directly (what ``hybrid_forward(nd, ...)`` computes, without the nd door's generic
        steps: ~8 us less per layer); anything else takes the general path."""
        act = self.act
        if self._active or x._sparse or not _nd.plain_eager() or \
                nd.FullyConnected is not _STOCK_FC or \
                type(self).hybrid_forward is not Dense.hybrid_forward or \
                (act is not None and not act._plain()):
            return super()._call_one(x)
        ctx = x._ctx
        try:
            weight = self.weight.data(ctx)
            bias = self.bias.data(ctx) if self.bias is not None else None
        except DeferredInitializationError:
            return super()._call_one(x)
        if weight._sparse:
            return super()._call_one(x)
        tensors = [x._t, weight._t] if bias is None else [x._t, weight._t, bias._t]
        attrs = {'num_hidden': self._units, 'no_bias': bias is None, 'flatten': self._flatten}
        try:
            out = _nd.run_plain(_FC, tensors, attrs)
            if act is not None:
                out = _nd.run_plain(_ACTIVATION_INTO, [out], {'act_type': act._act_type})
        except MXNetError as err:
            raise _name_layer(self, err)
        return _nd._wrap(out, ctx)

    def __repr__(self):
        units, in_units = self.weight.shape
        act = self.act if self.act else 'linear'
        return f'{type(self).__name__}({in_units if in_units else None} -> {units}, {act})'


_FC = get_op("FullyConnected")
_ACTIVATION_INTO = get_op("Activation").out_alias  # writes into its (fresh) input
_STOCK_FC = nd.FullyConnected  # AMP replaces it with a casting wrapper: then no shortcut


class Dropout(HybridBlock):
    """Randomly zeroes a fraction ``rate`` of the inputs in training (scaling the rest).

    Parameters
    ----------
    rate : float
        Fraction of the inputs to drop, in [0, 1].
    axes : tuple of int, default ()
        Axes along which one mask is shared (variational dropout); () drops element-wise.
    """

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        self._rate = rate
        self._axes = axes

    @np_aware
    def hybrid_forward(self, F, x):
        if self._rate > 0:
            return F.Dropout(x, p=self._rate, axes=self._axes, name='fwd', cudnn_off=False)
        return F.identity(x)

    def __repr__(self):
        return f'{type(self).__name__}(p = {self._rate}, axes={self._axes})'


def _norm_param(block, name, size, init, learn, **extra):
    return block.params.get(name, grad_req='write' if learn else 'null', shape=(size,),
                            init=init, allow_deferred_init=True, **extra)


class _BatchNorm(HybridBlock):
    """Batch normalisation over ``axis`` (shared by BatchNorm, BatchNormReLU, SyncBatchNorm)."""

    _op = 'BatchNorm'

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, fuse_relu=False, beta_initializer='zeros',
                 gamma_initializer='ones', running_mean_initializer='zeros',
                 running_variance_initializer='ones', in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'axis': axis, 'eps': epsilon, 'momentum': momentum,
                        'fix_gamma': not scale, 'use_global_stats': use_global_stats}
        self.fuse_relu = fuse_relu
        if in_channels != 0:
            self.in_channels = in_channels
        self.gamma = _norm_param(self, 'gamma', in_channels, gamma_initializer, scale,
                                 differentiable=scale)
        self.beta = _norm_param(self, 'beta', in_channels, beta_initializer, center,
                                differentiable=center)
        self.running_mean = _norm_param(self, 'running_mean', in_channels,
                                        running_mean_initializer, False, differentiable=False)
        self.running_var = _norm_param(self, 'running_var', in_channels,
                                       running_variance_initializer, False, differentiable=False)

    def cast(self, dtype):
        """Casts parameters; float16 keeps float32 statistics, as MXNet's kernels need."""
        if np.dtype(dtype).name == 'float16':
            dtype = 'float32'
        super().cast(dtype)

    @np_aware
    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        op = F.contrib.BatchNormWithReLU if self.fuse_relu else F.BatchNorm
        try:
            return op(x, gamma, beta, running_mean, running_var, name='fwd', **self._kwargs)
        except MXNetError as err:
            raise _name_layer(self, err)

    def __repr__(self):
        channels = self.gamma.shape[0]
        return (f'{type(self).__name__}({_kwargs_repr(self._kwargs)}, '
                f'in_channels={channels if channels else None})')


_BN_DOC = """
    Parameters
    ----------
    axis : int, default 1
        The channel axis (1 for NCHW, 3 for NHWC).
    momentum : float, default 0.9
        Momentum of the running mean/variance.
    epsilon : float, default 1e-5
        Added to the variance to avoid division by zero.
    center : bool, default True
        Learn the offset ``beta``; False ignores it.
    scale : bool, default True
        Learn the scale ``gamma``; False fixes it to 1.
    use_global_stats : bool, default False
        Normalise with the running statistics also in training.
    beta_initializer, gamma_initializer : str or Initializer, default 'zeros', 'ones'
    running_mean_initializer, running_variance_initializer : str or Initializer,
        default 'zeros', 'ones'
    in_channels : int, default 0
        Number of channels; 0 defers it to the first forward.
"""


class BatchNorm(_BatchNorm):
    __doc__ = 'Batch normalisation layer (Ioffe and Szegedy, 2014).\n' + _BN_DOC

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer='zeros', gamma_initializer='ones',
                 running_mean_initializer='zeros', running_variance_initializer='ones',
                 in_channels=0, **kwargs):
        super().__init__(axis, momentum, epsilon, center, scale, use_global_stats, False,
                         beta_initializer, gamma_initializer, running_mean_initializer,
                         running_variance_initializer, in_channels, **kwargs)


class BatchNormReLU(_BatchNorm):
    __doc__ = 'Batch normalisation followed by ReLU, as one operator.\n' + _BN_DOC

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer='zeros', gamma_initializer='ones',
                 running_mean_initializer='zeros', running_variance_initializer='ones',
                 in_channels=0, **kwargs):
        super().__init__(axis, momentum, epsilon, center, scale, use_global_stats, True,
                         beta_initializer, gamma_initializer, running_mean_initializer,
                         running_variance_initializer, in_channels, **kwargs)


class Embedding(HybridBlock):
    """Maps integer indices to dense vectors of size ``output_dim``.

    Parameters
    ----------
    input_dim : int
        Vocabulary size (largest index + 1).
    output_dim : int
        Size of each embedding vector.
    dtype : str or np.dtype, default 'float32'
    weight_initializer : Initializer
    sparse_grad : bool, default False
        Give the weight a ``row_sparse`` gradient.
    """

    def __init__(self, input_dim, output_dim, dtype='float32', weight_initializer=None,
                 sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'input_dim': input_dim, 'output_dim': output_dim, 'dtype': dtype,
                        'sparse_grad': sparse_grad}
        self.weight = self.params.get('weight', shape=(input_dim, output_dim), dtype=dtype,
                                      init=weight_initializer, allow_deferred_init=True,
                                      grad_stype='row_sparse' if sparse_grad else 'default')

    @np_aware
    def hybrid_forward(self, F, x, weight):
        return F.Embedding(x, weight, name='fwd', **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return f"{type(self).__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class Flatten(HybridBlock):
    """Collapses all axes but the first: ``(N, x1, ..., xn)`` -> ``(N, x1 * ... * xn)``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @np_aware
    def hybrid_forward(self, F, x):
        return F.flatten(x)

    def __repr__(self):
        return type(self).__name__


class InstanceNorm(HybridBlock):
    """Instance normalisation (Ulyanov et al., 2016): per sample and channel, over the other
    axes.

    Parameters
    ----------
    axis : int, default 1
        The channel axis.
    epsilon : float, default 1e-5
    center : bool, default True
    scale : bool, default False
    beta_initializer, gamma_initializer : str or Initializer, default 'zeros', 'ones'
    in_channels : int, default 0
    """

    def __init__(self, axis=1, epsilon=1e-5, center=True, scale=False, beta_initializer='zeros',
                 gamma_initializer='ones', in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'eps': epsilon, 'axis': axis, 'center': center, 'scale': scale}
        self._axis = axis
        self._epsilon = epsilon
        self.gamma = _norm_param(self, 'gamma', in_channels, gamma_initializer, scale)
        self.beta = _norm_param(self, 'beta', in_channels, beta_initializer, center)

    @np_aware
    def hybrid_forward(self, F, x, gamma, beta):
        if self._axis == 1:
            return F.InstanceNorm(x, gamma, beta, name='fwd', eps=self._epsilon)
        x = F.swapaxes(x, 1, self._axis)
        out = F.InstanceNorm(x, gamma, beta, name='fwd', eps=self._epsilon)
        return F.swapaxes(out, 1, self._axis)

    def __repr__(self):
        return (f'{type(self).__name__}({_kwargs_repr(self._kwargs)}, '
                f'in_channels={self.gamma.shape[0]})')


class LayerNorm(HybridBlock):
    """Layer normalisation (Ba et al., 2016) over one axis.

    Parameters
    ----------
    axis : int, default -1
    epsilon : float, default 1e-5
    center : bool, default True
    scale : bool, default True
    beta_initializer, gamma_initializer : str or Initializer, default 'zeros', 'ones'
    in_channels : int, default 0
    """

    def __init__(self, axis=-1, epsilon=1e-5, center=True, scale=True, beta_initializer='zeros',
                 gamma_initializer='ones', in_channels=0, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {'eps': epsilon, 'axis': axis, 'center': center, 'scale': scale}
        self._axis = axis
        self._epsilon = epsilon
        self._center = center
        self._scale = scale
        self.gamma = _norm_param(self, 'gamma', in_channels, gamma_initializer, scale)
        self.beta = _norm_param(self, 'beta', in_channels, beta_initializer, center)

    @np_aware
    def hybrid_forward(self, F, data, gamma, beta):
        return F.LayerNorm(data, gamma=gamma, beta=beta, axis=self._axis, eps=self._epsilon)

    def __repr__(self):
        return (f'{type(self).__name__}({_kwargs_repr(self._kwargs)}, '
                f'in_channels={self.gamma.shape[0]})')


class GroupNorm(HybridBlock):
    """Group normalisation (Wu and He, 2018): channels split into ``num_groups`` groups.

    Parameters
    ----------
    num_groups : int, default 1
    epsilon : float, default 1e-5
    center : bool, default True
    scale : bool, default True
    beta_initializer, gamma_initializer : str or Initializer, default 'zeros', 'ones'
    """

    def __init__(self, num_groups=1, epsilon=1e-5, center=True, scale=True,
                 beta_initializer='zeros', gamma_initializer='ones', prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {'eps': epsilon, 'num_groups': num_groups, 'center': center,
                        'scale': scale}
        self._num_groups = num_groups
        self._epsilon = epsilon
        self._center = center
        self._scale = scale
        self.gamma = _norm_param(self, 'gamma', num_groups, gamma_initializer, scale)
        self.beta = _norm_param(self, 'beta', num_groups, beta_initializer, center)

    @np_aware
    def hybrid_forward(self, F, data, gamma, beta):
        return F.GroupNorm(data, gamma=gamma, beta=beta, num_groups=self._num_groups,
                           eps=self._epsilon)

    def __repr__(self):
        return f'{type(self).__name__}({_kwargs_repr(self._kwargs)})'


def _function_name(function):
    return getattr(function, '__name__', type(function).__name__)


class Lambda(Block):
    """Wraps a function (or the name of an ``nd`` operator) as a Block.

    Parameters
    ----------
    function : str or callable
        An ``nd`` operator name such as ``'tanh'``, or a function ``f(*args)``.
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            if not hasattr(nd, function):
                raise UsageError(f"Lambda: function name '{function}' is not an operator "
                                 "of mx.nd")
            self._func_impl = getattr(nd, function)
        elif callable(function):
            self._func_impl = function
        else:
            raise ValueError(f'Unrecognized function in lambda: {function} of type '
                             f'{type(function)}')

    def forward(self, *args):
        return self._func_impl(*args)

    def __repr__(self):
        return f'{type(self).__name__}({_function_name(self._func_impl)})'


class HybridLambda(HybridBlock):
    """Wraps a function ``f(F, x, *args)`` (or an operator name) as a HybridBlock.

    Parameters
    ----------
    function : str or callable
        An operator name present in both ``mx.nd`` and ``mx.sym`` (``'tanh'``), or a
        function ``f(F, x, *args)``.
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            if not (hasattr(nd, function) and hasattr(sym, function)):
                raise UsageError(f"HybridLambda: function name '{function}' is not an "
                                 "operator of both mx.nd and mx.sym")
            self._func = lambda F, *args: getattr(F, function)(*args)
            self._func_name = function
        elif callable(function):
            self._func = function
            self._func_name = _function_name(function)
        else:
            raise ValueError(f'Unrecognized function in lambda: {function} of type '
                             f'{type(function)}')

    def hybrid_forward(self, F, x, *args):
        return self._func(F, x, *args)

    def __repr__(self):
        return f'{type(self).__name__}({self._func_name})'
