"""Convolution, transposed convolution, pooling and padding layers of ``gluon.nn``.

Weight shapes, parameter names, accepted layouts and ``repr`` follow MXNet 1.9.1. A wrong input
rank fails with an error naming the layer, its layout and the shape received.
"""
from ... import symbol  # noqa: F401  (MXNet's module namespace)
from ...base import MXNetError, numeric_types
from ...util import is_np_array  # noqa: F401
from ..block import HybridBlock
from ..utils import UsageError
from .activations import Activation
from .basic_layers import _name_layer
from ._np_compat import np_aware

__all__ = ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose',
           'Conv3DTranspose', 'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D',
           'AvgPool3D', 'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalMaxPool3D',
           'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'ReflectionPad2D']

_LAYOUTS = {1: ('NCW', 'NWC'), 2: ('NCHW', 'NHWC'), 3: ('NCDHW', 'NDHWC')}


def _tuple(value, n, what, layer):
    """``value`` as an n-tuple of ints (a number is repeated n times)."""
    if isinstance(value, numeric_types):
        return (int(value),) * n
    value = tuple(value)
    if len(value) != n:
        raise UsageError(f'{layer}: {what} must be a number or a list of {n} ints, '
                         f'got {value!r}')
    return value


def _check_layout(layer, layout, dims, allowed=None):
    allowed = allowed or _LAYOUTS[dims]
    if layout not in allowed:
        raise UsageError(f'{layer}: layout {layout!r} is not supported; '
                         f'expected one of {", ".join(allowed)}')


def _check_rank(block, x, layout):
    """Raises when an NDArray input does not have one axis per letter of ``layout``."""
    shape = getattr(x, 'shape', None)
    if shape is not None and len(shape) != len(layout):
        raise MXNetError(
            f"{type(block).__name__} '{block.name}' (layout {layout}) expects a "
            f"{len(layout)}-D input ({', '.join(layout)}), got shape {tuple(shape)}")


def _weight_shape(op_name, layout, channels, in_channels, kernel, groups):
    """MXNet's weight shape for Convolution/Deconvolution (0 marks an unknown input size)."""
    if op_name == 'Convolution':
        outer, inner = channels, in_channels // groups
    else:
        outer, inner = in_channels, channels // groups
    if layout.index('C') == 1:
        return (outer, inner) + tuple(kernel)
    return (outer,) + tuple(kernel) + (inner,)


class _Conv(HybridBlock):
    """N-D (transposed) convolution over the ``Convolution``/``Deconvolution`` operators."""

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', op_name='Convolution', adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        name, n = type(self).__name__, len(kernel_size)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._op_name = op_name
            self._kwargs = {
                'kernel': kernel_size, 'stride': _tuple(strides, n, 'strides', name),
                'dilate': _tuple(dilation, n, 'dilation', name),
                'pad': _tuple(padding, n, 'padding', name), 'num_filter': channels,
                'num_group': groups, 'no_bias': not use_bias, 'layout': layout}
            if adj is not None:
                self._kwargs['adj'] = adj
            wshape = _weight_shape(op_name, layout, channels, in_channels, kernel_size, groups)
            self.weight = self.params.get('weight', shape=wshape, init=weight_initializer,
                                          allow_deferred_init=True)
            self.bias = self.params.get('bias', shape=(channels,), init=bias_initializer,
                                        allow_deferred_init=True) if use_bias else None
            self.act = (Activation(activation, prefix=activation + '_')
                        if activation is not None else None)

    @np_aware
    def hybrid_forward(self, F, x, weight, bias=None):
        _check_rank(self, x, self._kwargs['layout'])
        op = getattr(F, self._op_name)
        try:
            if bias is None:
                out = op(x, weight, name='fwd', **self._kwargs)
            else:
                out = op(x, weight, bias, name='fwd', **self._kwargs)
        except MXNetError as err:
            raise _name_layer(self, err)
        return out if self.act is None else self.act._overwrite(F, out)

    def infer_shape(self, *args):
        """Infers the weight shape from the input (after checking the input's rank)."""
        _check_rank(self, args[0], self._kwargs['layout'])
        super().infer_shape(*args)

    def _alias(self):
        return 'conv'

    def __repr__(self):
        kw, n = self._kwargs, len(self._kwargs['kernel'])
        parts = [f"kernel_size={kw['kernel']}", f"stride={kw['stride']}"]
        if kw['pad'] != (0,) * n:
            parts.append(f"padding={kw['pad']}")
        if kw['dilate'] != (1,) * n:
            parts.append(f"dilation={kw['dilate']}")
        if getattr(self, 'out_pad', (0,) * n) != (0,) * n:
            parts.append(f'output_padding={self.out_pad}')
        if kw['num_group'] != 1:
            parts.append(f"groups={kw['num_group']}")
        if self.bias is None:
            parts.append('bias=False')
        if self.act:
            parts.append(str(self.act))
        # MXNet reads the input size from weight.shape[1] whatever the layout; kept as is.
        shape = self.weight.shape
        mapping = f'{shape[1] if shape[1] else None} -> {shape[0]}'
        return f"{type(self).__name__}({mapping}, {', '.join(parts)})"


_CONV_DOC = """
    Parameters
    ----------
    channels : int
        Number of output channels (filters).
    kernel_size : int or tuple of {n} ints
    strides : int or tuple of {n} ints, default 1
    padding : int or tuple of {n} ints, default 0
        Implicit zero padding on both sides of each spatial axis.{extra}
    dilation : int or tuple of {n} ints, default 1
    groups : int, default 1
        Number of groups the input and output channels are split into.
    layout : str, default {layout!r}
        One of {layouts}.
    activation : str, optional
        Activation applied to the output (see ``Activation``).
    use_bias : bool, default True
    weight_initializer : str or Initializer
    bias_initializer : str or Initializer, default 'zeros'
    in_channels : int, default 0
        Number of input channels; 0 defers it to the first forward.
"""
_OUTPAD_DOC = """
    output_padding : int or tuple of {n} ints, default 0
        Extra size added to one side of each spatial axis of the output."""


def _conv_doc(title, n, layouts, transpose):
    extra = _OUTPAD_DOC.format(n=n) if transpose else ''
    return title + '\n' + _CONV_DOC.format(n=n, extra=extra, layout=layouts[0],
                                           layouts=', '.join(layouts))


def _make_conv(dims, transpose):
    """Builds ConvND / ConvNDTranspose with MXNet's positional argument order."""
    layouts = ('NCW',) if dims == 1 else _LAYOUTS[dims]
    name = f'Conv{dims}D' + ('Transpose' if transpose else '')
    one, zero = (1,) * dims, (0,) * dims
    stride_d, pad_d = (1 if dims == 1 else one), (0 if dims == 1 else zero)
    dil_d = 1 if dims == 1 else one

    def init(self, channels, kernel_size, strides=stride_d, padding=pad_d,
             output_padding=pad_d, dilation=dil_d, groups=1, layout=layouts[0],
             activation=None, use_bias=True, weight_initializer=None,
             bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(name, layout, dims, layouts)
        kernel_size = _tuple(kernel_size, dims, 'kernel_size', name)
        adj = None
        if transpose:
            adj = _tuple(output_padding, dims, 'output_padding', name)
        op_name = kwargs.pop('op_name', 'Deconvolution' if transpose else 'Convolution')
        _Conv.__init__(self, channels, kernel_size, strides, padding, dilation, groups,
                       layout, in_channels, activation, use_bias, weight_initializer,
                       bias_initializer, op_name=op_name, adj=adj, **kwargs)
        if transpose:
            self.outpad = adj

    if not transpose:
        def init_plain(self, channels, kernel_size, strides=stride_d, padding=pad_d,
                       dilation=dil_d, groups=1, layout=layouts[0], activation=None,
                       use_bias=True, weight_initializer=None, bias_initializer='zeros',
                       in_channels=0, **kwargs):
            init(self, channels, kernel_size, strides, padding, 0, dilation, groups, layout,
                 activation, use_bias, weight_initializer, bias_initializer, in_channels,
                 **kwargs)
        method = init_plain
    else:
        method = init
    method.__name__ = method.__qualname__ = '__init__'
    title = f'{dims}D {"transposed " if transpose else ""}convolution layer.'
    return type(name, (_Conv,), {'__init__': method, '__module__': __name__,
                                 '__doc__': _conv_doc(title, dims, layouts, transpose)})


Conv1D = _make_conv(1, False)
Conv2D = _make_conv(2, False)
Conv3D = _make_conv(3, False)
Conv1DTranspose = _make_conv(1, True)
Conv2DTranspose = _make_conv(2, True)
Conv3DTranspose = _make_conv(3, True)


class _Pooling(HybridBlock):
    """Pooling over the ``Pooling`` operator."""

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout,
                 count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        name, n = type(self).__name__, len(pool_size)
        strides = pool_size if strides is None else strides
        self._kwargs = {
            'kernel': pool_size, 'stride': _tuple(strides, n, 'strides', name),
            'pad': _tuple(padding, n, 'padding', name), 'global_pool': global_pool,
            'pool_type': pool_type, 'layout': layout,
            'pooling_convention': 'full' if ceil_mode else 'valid'}
        if count_include_pad is not None:
            self._kwargs['count_include_pad'] = count_include_pad

    def _alias(self):
        return 'pool'

    @np_aware
    def hybrid_forward(self, F, x):
        _check_rank(self, x, self._kwargs['layout'])
        return F.Pooling(x, name='fwd', **self._kwargs)

    def __repr__(self):
        kw = self._kwargs
        return (f"{type(self).__name__}(size={kw['kernel']}, stride={kw['stride']}, "
                f"padding={kw['pad']}, ceil_mode={kw['pooling_convention'] == 'full'}, "
                f"global_pool={kw['global_pool']}, pool_type={kw['pool_type']}, "
                f"layout={kw['layout']})")


_POOL_DOC = """
    Parameters
    ----------
    pool_size : int or tuple of {n} ints, default 2
        Size of the pooling window.
    strides : int or tuple of {n} ints, optional
        Step of the window; None means ``pool_size``.
    padding : int or tuple of {n} ints, default 0
    layout : str, default {layout!r}
        One of {layouts}.
    ceil_mode : bool, default False
        Round the output size up ('full' convention) instead of down.{extra}
"""
_COUNT_PAD_DOC = """
    count_include_pad : bool, default True
        Count padded elements in the average."""


def _make_pool(dims, pool_type):
    """Builds MaxPoolND / AvgPoolND with MXNet's positional argument order."""
    layouts = _LAYOUTS[dims]
    name = f"{'Max' if pool_type == 'max' else 'Avg'}Pool{dims}D"
    size_d = 2 if dims == 1 else (2,) * dims
    # MXNet's argument order: layout before ceil_mode in the 1D poolings and MaxPool2D.
    layout_first = dims == 1 or (pool_type == 'max' and dims == 2)

    def build(self, pool_size, strides, padding, layout, ceil_mode, kwargs, count=None):
        _check_layout(name, layout, dims)
        pool_size = _tuple(pool_size, dims, 'pool_size', name)
        _Pooling.__init__(self, pool_size, strides, padding, ceil_mode, False, pool_type,
                          layout, count, **kwargs)

    if pool_type == 'avg' and layout_first:
        def init(self, pool_size=size_d, strides=None, padding=0, layout=layouts[0],
                 ceil_mode=False, count_include_pad=True, **kwargs):
            build(self, pool_size, strides, padding, layout, ceil_mode, kwargs,
                  count_include_pad)
    elif pool_type == 'avg':
        def init(self, pool_size=size_d, strides=None, padding=0, ceil_mode=False,
                 layout=layouts[0], count_include_pad=True, **kwargs):
            build(self, pool_size, strides, padding, layout, ceil_mode, kwargs,
                  count_include_pad)
    elif layout_first:
        def init(self, pool_size=size_d, strides=None, padding=0, layout=layouts[0],
                 ceil_mode=False, **kwargs):
            build(self, pool_size, strides, padding, layout, ceil_mode, kwargs)
    else:
        def init(self, pool_size=size_d, strides=None, padding=0, ceil_mode=False,
                 layout=layouts[0], **kwargs):
            build(self, pool_size, strides, padding, layout, ceil_mode, kwargs)
    init.__name__ = init.__qualname__ = '__init__'
    extra = _COUNT_PAD_DOC if pool_type == 'avg' else ''
    doc = (f'{dims}D {"max" if pool_type == "max" else "average"} pooling.\n'
           + _POOL_DOC.format(n=dims, layout=layouts[0], layouts=', '.join(layouts),
                              extra=extra))
    return type(name, (_Pooling,), {'__init__': init, '__module__': __name__, '__doc__': doc})


def _make_global_pool(dims, pool_type):
    layouts = _LAYOUTS[dims]
    name = f"Global{'Max' if pool_type == 'max' else 'Avg'}Pool{dims}D"

    def init(self, layout=layouts[0], **kwargs):
        _check_layout(name, layout, dims)
        _Pooling.__init__(self, (1,) * dims, None, 0, True, True, pool_type, layout, **kwargs)
    init.__name__ = init.__qualname__ = '__init__'
    doc = (f'Global {"max" if pool_type == "max" else "average"} pooling over the {dims} '
           f'spatial axes (output size 1 on each).\n\n    Parameters\n    ----------\n'
           f'    layout : str, default {layouts[0]!r}\n        One of {", ".join(layouts)}.\n')
    return type(name, (_Pooling,), {'__init__': init, '__module__': __name__, '__doc__': doc})


MaxPool1D = _make_pool(1, 'max')
MaxPool2D = _make_pool(2, 'max')
MaxPool3D = _make_pool(3, 'max')
AvgPool1D = _make_pool(1, 'avg')
AvgPool2D = _make_pool(2, 'avg')
AvgPool3D = _make_pool(3, 'avg')
GlobalMaxPool1D = _make_global_pool(1, 'max')
GlobalMaxPool2D = _make_global_pool(2, 'max')
GlobalMaxPool3D = _make_global_pool(3, 'max')
GlobalAvgPool1D = _make_global_pool(1, 'avg')
GlobalAvgPool2D = _make_global_pool(2, 'avg')
GlobalAvgPool3D = _make_global_pool(3, 'avg')


class ReflectionPad2D(HybridBlock):
    """Pads the two spatial axes of an NCHW input by reflecting the border.

    Parameters
    ----------
    padding : int or tuple of 8 ints, default 0
        A number pads H and W by that much on both sides; a tuple is the ``pad_width``
        of the ``pad`` operator (two entries per axis, N and C first).
    """

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, numeric_types):
            padding = (0, 0, 0, 0) + (int(padding),) * 4
        padding = tuple(padding)
        if len(padding) != 8:
            raise UsageError(f'ReflectionPad2D: padding must be a number or 8 ints, '
                             f'got {padding!r}')
        self._padding = padding

    @np_aware
    def hybrid_forward(self, F, x):
        _check_rank(self, x, 'NCHW')
        return F.pad(x, mode='reflect', pad_width=self._padding)
