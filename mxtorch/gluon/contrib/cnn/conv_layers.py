"""Deformable convolution layers of ``gluon.contrib.cnn`` (MXNet 1.9.1).

Each layer learns its sampling offsets with an ordinary convolution of the input (initialised
to zero, so training starts from a plain convolution) and feeds them to the
``_contrib_DeformableConvolution`` / ``_contrib_ModulatedDeformableConvolution`` operator.
Parameter names, shapes and registration order follow MXNet.
"""
from .... import symbol  # noqa: F401  (MXNet's module namespace)
from ....base import numeric_types  # noqa: F401
from ...block import HybridBlock
from ...nn import Activation
from ...nn.conv_layers import _tuple, _check_layout, _weight_shape
from ...nn._np_compat import np_aware

__all__ = ['DeformableConvolution', 'ModulatedDeformableConvolution']


class _DeformableBase(HybridBlock):
    """Arguments, offset convolution and parameters shared by both deformable layers."""

    _offsets_per_tap = 2      # (dy, dx) per kernel tap and deformable group

    def _setup(self, channels, kernel_size, strides, padding, dilation, groups,
               num_deformable_group, layout, use_bias, in_channels, activation, adj,
               offset_use_bias):
        name = type(self).__name__
        _check_layout(name, layout, 2)
        kernel = _tuple(kernel_size, 2, 'kernel_size', name)
        geometry = {'kernel': kernel, 'stride': _tuple(strides, 2, 'strides', name),
                    'dilate': _tuple(dilation, 2, 'dilation', name),
                    'pad': _tuple(padding, 2, 'padding', name)}
        self._channels = channels
        self._in_channels = in_channels
        taps = kernel[0] * kernel[1] * num_deformable_group
        self._offset_channels = self._offsets_per_tap * taps
        self._kwargs_offset = dict(geometry, num_filter=self._offset_channels, num_group=groups,
                                   no_bias=not offset_use_bias, layout=layout)
        self._kwargs_deformable_conv = dict(geometry, num_filter=channels, num_group=groups,
                                            num_deformable_group=num_deformable_group,
                                            no_bias=not use_bias, layout=layout)
        if adj:
            self._kwargs_offset['adj'] = adj
            self._kwargs_deformable_conv['adj'] = adj
        self.act = Activation(activation, prefix=activation + '_') if activation else None
        return kernel

    def _offset_params(self, kernel, in_channels, groups, layout, use_bias, w_init, b_init):
        shape = _weight_shape('Convolution', layout, self._offset_channels, in_channels,
                              kernel, groups)
        self.offset_weight = self.params.get('offset_weight', shape=shape, init=w_init,
                                             allow_deferred_init=True)
        self.offset_bias = self.params.get(
            'offset_bias', shape=(self._offset_channels,), init=b_init,
            allow_deferred_init=True) if use_bias else None

    def _conv_params(self, channels, kernel, use_bias, w_init, b_init):
        # MXNet leaves the input-channel dim unknown (0) here even when in_channels is given.
        self.deformable_conv_weight = self.params.get(
            'deformable_conv_weight', shape=(channels, 0) + tuple(kernel), init=w_init,
            allow_deferred_init=True)
        self.deformable_conv_bias = self.params.get(
            'deformable_conv_bias', shape=(channels,), init=b_init,
            allow_deferred_init=True) if use_bias else None

    def _offsets(self, F, x, offset_weight, offset_bias):
        args = (x, offset_weight) if offset_bias is None else (x, offset_weight, offset_bias)
        return F.Convolution(*args, cudnn_off=True, **self._kwargs_offset)

    def _finish(self, out):
        return self.act(out) if self.act else out


_DOC = """
    Parameters
    ----------
    channels : int
        Number of output channels.
    kernel_size : int or (int, int), default (1, 1)
    strides : int or (int, int), default (1, 1)
    padding : int or (int, int), default (0, 0)
    dilation : int or (int, int), default (1, 1)
    groups : int, default 1
    num_deformable_group : int, default 1
        Number of groups of input channels sharing one set of offsets.
    layout : str, default 'NCHW'
        'NCHW' or 'NHWC'.
    use_bias : bool, default True
    in_channels : int, default 0
        Number of input channels; 0 defers it to the first forward.
    activation : str, optional
    weight_initializer, bias_initializer : str or Initializer
    offset_weight_initializer, offset_bias_initializer : str or Initializer, default 'zeros'
    offset_use_bias : bool, default True
"""


class DeformableConvolution(_DeformableBase):
    __doc__ = ('2-D deformable convolution (Dai et al., 2017): each kernel tap samples the input '
               'at a learned offset.\n' + _DOC)

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout='NCHW',
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer='zeros', offset_weight_initializer='zeros',
                 offset_bias_initializer='zeros', offset_use_bias=True,
                 op_name='DeformableConvolution', adj=None, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._op_name = op_name
        with self.name_scope():
            kernel = self._setup(channels, kernel_size, strides, padding, dilation, groups,
                                 num_deformable_group, layout, use_bias, in_channels,
                                 activation, adj, offset_use_bias)
            self._offset_params(kernel, in_channels, groups, layout, offset_use_bias,
                                offset_weight_initializer, offset_bias_initializer)
            self._conv_params(channels, kernel, use_bias, weight_initializer, bias_initializer)

    @np_aware
    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        offset = self._offsets(F, x, offset_weight, offset_bias)
        extra = {} if deformable_conv_bias is None else {'bias': deformable_conv_bias}
        out = F.contrib.DeformableConvolution(data=x, offset=offset,
                                              weight=deformable_conv_weight, name='fwd',
                                              **extra, **self._kwargs_deformable_conv)
        return self._finish(out)

    def _alias(self):
        return 'deformable_conv'

    def __repr__(self):
        kw, parts = self._kwargs_deformable_conv, []
        if kw['pad'] != (0, 0):
            parts.append(f"padding={kw['pad']}")
        if kw['dilate'] != (1, 1):
            parts.append(f"dilation={kw['dilate']}")
        if kw['num_group'] != 1:
            parts.append(f"groups={kw['num_group']}")
        if self.deformable_conv_bias is None:
            parts.append('bias=False')
        if self.act:
            parts.append(str(self.act))
        shape = self.deformable_conv_weight.shape
        head = (f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]}, "
                f"kernel_size={kw['kernel']}, stride={kw['stride']}")
        return head + ''.join(', ' + p for p in parts) + ')'


class ModulatedDeformableConvolution(_DeformableBase):
    __doc__ = ('2-D modulated deformable convolution (DCNv2, Zhu et al., 2019): learned offsets '
               'and a learned per-tap modulation in (0, 2).\n' + _DOC)

    _offsets_per_tap = 3      # (dy, dx, mask) per kernel tap and deformable group

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout='NCHW',
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer='zeros', offset_weight_initializer='zeros',
                 offset_bias_initializer='zeros', offset_use_bias=True,
                 op_name='ModulatedDeformableConvolution', adj=None, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._op_name = op_name
        with self.name_scope():
            kernel = self._setup(channels, kernel_size, strides, padding, dilation, groups,
                                 num_deformable_group, layout, use_bias, in_channels,
                                 activation, adj, offset_use_bias)
            self.offset_split_index = self._offset_channels * 2 // 3
            self._conv_params(channels, kernel, use_bias, weight_initializer, bias_initializer)
            self._offset_params(kernel, in_channels, groups, layout, offset_use_bias,
                                offset_weight_initializer, offset_bias_initializer)

    @np_aware
    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        offset = self._offsets(F, x, offset_weight, offset_bias)
        shifts = F.slice_axis(offset, axis=1, begin=0, end=self.offset_split_index)
        mask = F.sigmoid(F.slice_axis(offset, axis=1, begin=self.offset_split_index,
                                      end=None)) * 2
        extra = {} if deformable_conv_bias is None else {'bias': deformable_conv_bias}
        out = F.contrib.ModulatedDeformableConvolution(
            data=x, offset=shifts, mask=mask, weight=deformable_conv_weight, name='fwd',
            **extra, **self._kwargs_deformable_conv)
        return self._finish(out)

    def _alias(self):
        return 'modulated_deformable_conv'

