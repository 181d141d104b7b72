"""``mx.init`` / ``mx.initializer``: weight initializers (MXNet 1.9.1).

An initializer is called with an :class:`InitDesc` (a parameter name carrying attributes) and
the NDArray to fill. The base class dispatches on the name, as MXNet does: ``*weight`` uses
the initializer's own rule, ``*bias``/``*beta``/``*min`` become 0, ``*gamma``/``*max`` 1;
an ``__init__`` attribute (a JSON dump of another initializer) overrides the rule. Calling
with a plain string name is the deprecated legacy form, which also knows the batch-norm
running statistics (``moving_mean`` 0, ``moving_var`` 1...). Random draws use mxtorch's
random stream (``mx.random.seed``).
"""
import json
import logging
import re
import warnings
from math import sqrt

import numpy as np

from .base import ShapeError, string_types
from .ndarray import NDArray, load
from . import random
from . import registry
from . import ndarray
from .util import is_np_array


class InitDesc(str):
    """A parameter name with the attributes initializers look at.

    Parameters
    ----------
    name : str
        The parameter's name.
    attrs : dict of str to str, optional
        Attributes; ``__init__`` holds an initializer's ``dumps()`` that takes precedence.
    global_init : Initializer, optional
        The initializer that applies to the whole model (used by composite initializers).
    """

    def __new__(cls, name, attrs=None, global_init=None):
        ret = super(InitDesc, cls).__new__(cls, name)
        ret.attrs = attrs or {}
        ret.global_init = global_init
        return ret


def _random_fns():
    """``(uniform, normal)`` of mx.np.random in NumPy-array mode, else of mx.random."""
    if is_np_array():
        try:
            from .numpy import random as np_random  # pylint: disable=import-outside-toplevel
            return np_random.uniform, np_random.normal
        except ImportError:
            pass
    return random.uniform, random.normal


class _KernelShapeError(ShapeError, IndexError):
    """A weight too small for a 4-D kernel (also an IndexError, which MXNet raises here)."""


def _bilinear_kernel(shape):
    """The upsampling kernel MXNet's Bilinear initializer writes (float32, ``shape``)."""
    if len(shape) < 4:
        raise _KernelShapeError(f"Bilinear initializer needs a 4-D weight (num_filter, "
                                f"channels, kh, kw), got shape {tuple(shape)}")
    f = np.ceil(shape[3] / 2.)
    c = (2 * f - 1 - f % 2) / (2. * f)
    flat = np.arange(int(np.prod(shape)))
    x = flat % shape[3]
    y = (flat // shape[3]) % shape[2]
    weight = (1 - np.abs(x / f - c)) * (1 - np.abs(y / f - c))
    return weight.astype('float32').reshape(shape)


class Initializer(object):
    """The base class of initializers.

    Parameters
    ----------
    **kwargs
        The constructor arguments, kept for :meth:`dumps`.
    """

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Log each initialized array with ``print_func(arr)`` (default: its RMS).

        Parameters
        ----------
        verbose : bool, default False
        print_func : callable, optional
            Maps an NDArray to the string logged.
        """
        self._verbose = verbose
        if print_func is None:
            def asum_stat(x):
                return str((ndarray.norm(x) / sqrt(x.size)).asscalar())
            print_func = asum_stat
        self._print_func = print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info('Initialized %s as %s: %s', desc, init, self._print_func(arr))

    def dumps(self):
        """The initializer as a JSON string ``'["name", {kwargs}]'`` (what the ``__init__``
        attribute and :func:`create` accept)."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    _SUFFIX_RULES = (('weight', '_init_weight'), ('bias', '_init_bias'),
                     ('gamma', '_init_gamma'), ('beta', '_init_beta'),
                     ('min', '_init_zero'), ('max', '_init_one'),
                     ('weight_quantize', '_init_quantized_weight'),
                     ('bias_quantize', '_init_quantized_bias'))

    def __call__(self, desc, arr):
        """Initialize ``arr`` for the parameter described by ``desc``.

        Parameters
        ----------
        desc : InitDesc
            The parameter (a plain ``str`` is the deprecated legacy form).
        arr : NDArray
            The array to fill in place.
        """
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get('__init__', "")
        if init:
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in self._SUFFIX_RULES:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    _LEGACY_RULES = (('bias', '_init_bias'), ('gamma', '_init_gamma'), ('beta', '_init_beta'),
                     ('weight', '_init_weight'), ('moving_mean', '_init_zero'),
                     ('moving_var', '_init_one'), ('moving_inv_var', '_init_zero'),
                     ('moving_avg', '_init_zero'), ('min', '_init_zero'), ('max', '_init_one'))

    def _legacy_init(self, name, arr):
        """The deprecated ``init(name, arr)`` form, dispatching on the name."""
        warnings.warn("Calling initializer with init(str, NDArray) has been deprecated. "
                      "please use init(mx.init.InitDesc(...), NDArray) instead.",
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, string_types):
            raise TypeError(f'name must be string, got {type(name).__name__}')
        if not isinstance(arr, NDArray):
            raise TypeError(f'arr must be NDArray, got {type(arr).__name__}')
        if name.startswith('upsampling'):
            self._init_bilinear(name, arr)
        elif name.startswith('stn_loc') and name.endswith('weight'):
            self._init_zero(name, arr)
        elif name.startswith('stn_loc') and name.endswith('bias'):
            self._init_loc_bias(name, arr)
        else:
            for suffix, method in self._LEGACY_RULES:
                if name.endswith(suffix):
                    getattr(self, method)(name, arr)
                    return
            self._init_default(name, arr)

    def _init_bilinear(self, _, arr):
        arr[:] = _bilinear_kernel(arr.shape)

    def _init_loc_bias(self, name, arr):
        if arr.shape[0] != 6:
            raise AssertionError(f"{name}: a spatial-transformer localisation bias needs 6 "
                                 f"values, got shape {arr.shape}")
        arr[:] = np.array([1.0, 0, 0, 0, 1.0, 0])

    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_quantized_bias(self, _, arr):
        arr[:] = 0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_weight(self, name, arr):
        """Fill a weight; subclasses define their rule here."""
        raise NotImplementedError("Must override it")

    def _init_quantized_weight(self, _, arr):
        _arr = random.randint(-127, 127, dtype='int32').asnumpy()
        arr[:] = np.int8(_arr)

    def _init_default(self, name, _):
        raise ValueError(
            f'Unknown initialization pattern for {name}. Default initialization is now '
            'limited to "weight", "bias", "gamma" (1.0), and "beta" (0.0). Please use '
            'mx.sym.Variable(init=mx.init.*) to set initialization pattern')

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = object.__hash__


_register = registry.get_register_func(Initializer, 'initializer')
alias = registry.get_alias_func(Initializer, 'initializer')
create = registry.get_create_func(Initializer, 'initializer')


def register(klass):
    """Register an initializer class under its lower-cased name, so that ``create(name)``
    and ``'["name", {...}]'`` JSON strings can build it (a decorator)."""
    return _register(klass)


class Load(object):
    """Initialize parameters from saved arrays (a dict or an ``nd.save`` file); names not
    found use ``default_init``.

    Parameters
    ----------
    param : str or dict of str to NDArray
        The arrays (``arg:``/``aux:`` prefixes are dropped) or the file holding them.
    default_init : Initializer, optional
        For names not in ``param``.
    verbose : bool, default False
        Log where each parameter came from.
    """

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            param = load(param)
        if not isinstance(param, dict):
            raise AssertionError(f"Load: param must be a dict of name -> NDArray (or a file "
                                 f"of one), got {type(param).__name__}")
        self.param = {}
        for name, arr in param.items():
            if name.startswith('arg:') or name.startswith('aux:'):
                self.param[name[4:]] = arr
            else:
                self.param[name] = arr
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            if arr.shape != self.param[name].shape:
                raise AssertionError(
                    f'Parameter {name} cannot be initialized from loading. Shape mismatch, '
                    f'target {arr.shape} vs loaded {self.param[name].shape}')
            arr[:] = self.param[name]
            if self.verbose:
                logging.info('Initialized %s by loading', name)
        else:
            if self.default_init is None:
                raise AssertionError(f"Cannot Initialize {name}. Not found in loaded param "
                                     "and no default Initializer is provided.")
            self.default_init(name, arr)
            if self.verbose:
                logging.info('Initialized %s by default', name)


class Mixed(object):
    """Initialize each parameter with the first initializer whose regex matches its name.

    Parameters
    ----------
    patterns : list of str
        Regular expressions (``re.match``).
    initializers : list of Initializer
        One per pattern.
    """

    def __init__(self, patterns, initializers):
        if len(patterns) != len(initializers):
            raise AssertionError(f"Mixed: {len(patterns)} patterns but {len(initializers)} "
                                 "initializers")
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for prog, init in self.map:
            if prog.match(name):
                init(name, arr)
                return
        raise ValueError(f'Parameter name {name} did not match any pattern. Consider add a '
                         '".*" pattern at the and with default Initializer.')


@register
@alias("zeros")
class Zero(Initializer):
    """Fill weights with 0."""

    def __init__(self):
        super(Zero, self).__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0


@register
@alias("ones")
class One(Initializer):
    """Fill weights with 1."""

    def __init__(self):
        super(One, self).__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1


@register
class Constant(Initializer):
    """Fill weights with ``value``.

    Parameters
    ----------
    value : float or array-like
        A scalar, or an array broadcast to the weight.
    """

    def __init__(self, value):
        super(Constant, self).__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        val = self._kwargs['value']
        if not np.isscalar(val):
            self._kwargs['value'] = val.tolist() if isinstance(val, np.ndarray) \
                else val.asnumpy().tolist()
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])


@register
class Uniform(Initializer):
    """Draw weights uniformly from ``[-scale, scale]``.

    Parameters
    ----------
    scale : float, default 0.07
    """

    def __init__(self, scale=0.07):
        super(Uniform, self).__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        _random_fns()[0](-self.scale, self.scale, arr.shape, out=arr)


@register
class Normal(Initializer):
    """Draw weights from a normal distribution with mean 0 and std ``sigma``.

    Parameters
    ----------
    sigma : float, default 0.01
    """

    def __init__(self, sigma=0.01):
        super(Normal, self).__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        _random_fns()[1](0, self.sigma, arr.shape, out=arr)


@register
class Orthogonal(Initializer):
    """Orthogonal weights (Saxe et al.): the orthonormal factor of a random
    ``(shape[0], prod(shape[1:]))`` matrix, times ``scale``.

    Parameters
    ----------
    scale : float, default 1.414
    rand_type : {'uniform', 'normal'}, default 'uniform'
        The distribution of the random matrix.
    """

    def __init__(self, scale=1.414, rand_type="uniform"):
        super(Orthogonal, self).__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, name, arr):
        nout = arr.shape[0]
        nin = int(np.prod(arr.shape[1:]))
        if self.rand_type == "uniform":
            tmp = random.uniform(-1.0, 1.0, shape=(nout, nin)).asnumpy()
        elif self.rand_type == "normal":
            tmp = random.normal(0.0, 1.0, shape=(nout, nin)).asnumpy()
        else:
            raise ValueError(f"Orthogonal: unknown rand_type {self.rand_type!r} for {name}; "
                             "expected 'uniform' or 'normal'")
        u, _, v = np.linalg.svd(tmp, full_matrices=False)  # pylint: disable=invalid-name
        res = u if u.shape == tmp.shape else v
        arr[:] = self.scale * res.reshape(arr.shape)


@register
class Xavier(Initializer):
    """Xavier/Glorot initialization: draws with variance ``magnitude / factor``-scaled
    bounds, ``factor`` being the average of, or one of, fan-in and fan-out (receptive-field
    sizes included).

    Parameters
    ----------
    rnd_type : {'uniform', 'gaussian'}, default 'uniform'
        Uniform on ``[-s, s]`` or normal with std ``s``, ``s = sqrt(magnitude / factor)``.
    factor_type : {'avg', 'in', 'out'}, default 'avg'
    magnitude : float, default 3
    """

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super(Xavier, self).__init__(rnd_type=rnd_type, factor_type=factor_type,
                                     magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _factor(self, shape):
        hw_scale = 1.
        if len(shape) > 2:
            hw_scale = np.prod(shape[2:])
        fan_in, fan_out = shape[1] * hw_scale, shape[0] * hw_scale
        if self.factor_type == "avg":
            return (fan_in + fan_out) / 2.0
        if self.factor_type == "in":
            return fan_in
        if self.factor_type == "out":
            return fan_out
        raise ValueError(f"Incorrect factor type {self.factor_type!r}; expected 'avg', 'in' "
                         "or 'out'")

    def _init_weight(self, name, arr):
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError(f'Xavier initializer cannot be applied to vector {name}. It '
                             f'requires at least 2D (got shape {shape}).')
        scale = np.sqrt(self.magnitude / self._factor(shape))
        uniform_fn, normal_fn = _random_fns()
        if self.rnd_type == "uniform":
            uniform_fn(-scale, scale, arr.shape, out=arr)
        elif self.rnd_type == "gaussian":
            normal_fn(0, scale, arr.shape, out=arr)
        else:
            raise ValueError(f"Unknown random type {self.rnd_type!r}; expected 'uniform' or "
                             "'gaussian'")


@register
class MSRAPrelu(Xavier):
    """He/MSRA initialization for PReLU networks: Gaussian Xavier with
    ``magnitude = 2 / (1 + slope**2)``.

    Parameters
    ----------
    factor_type : {'avg', 'in', 'out'}, default 'avg'
    slope : float, default 0.25
        The negative slope of the PReLU.
    """

    def __init__(self, factor_type="avg", slope=0.25):
        magnitude = 2. / (1 + slope ** 2)
        super(MSRAPrelu, self).__init__("gaussian", factor_type, magnitude)
        self._kwargs = {'factor_type': factor_type, 'slope': slope}


@register
class Bilinear(Initializer):
    """Bilinear-interpolation kernels for deconvolution (upsampling) weights."""

    def __init__(self):
        super(Bilinear, self).__init__()

    def _init_weight(self, _, arr):
        arr[:] = _bilinear_kernel(arr.shape)


@register
class LSTMBias(Initializer):
    """LSTM biases: 0 except the forget gate's, set to ``forget_bias`` (gate order i, f,
    c, o).

    Parameters
    ----------
    forget_bias : float, default 1.0
    """

    def __init__(self, forget_bias=1.0):
        super(LSTMBias, self).__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr):
        arr[:] = 0.0
        num_hidden = int(arr.shape[0] / 4)
        arr[num_hidden:2 * num_hidden] = self.forget_bias


_RNN_GATES = {'rnn_relu': [''], 'rnn_tanh': [''], 'lstm': ['_i', '_f', '_c', '_o'],
              'gru': ['_r', '_z', '_o']}


def _fused_rnn_layout(size, num_hidden, num_layers, mode, bidirectional):
    """``[(name, offset, shape)]`` of the pieces of a fused RNN parameter vector, in cuDNN's
    order: all weights (layer, direction, i2h gates then h2h gates), then all biases."""
    if mode not in _RNN_GATES:
        raise ValueError(f"FusedRNN: unknown mode {mode!r}; expected one of "
                         f"{sorted(_RNN_GATES)}")
    gates = _RNN_GATES[mode]
    dirs = ['l', 'r'] if bidirectional else ['l']
    b, h = len(dirs), num_hidden
    num_input = size // b // h // len(gates) - (num_layers - 1) * (h + b * h + 2) - h - 2
    pieces, pos = [], 0
    for layer in range(num_layers):
        for d in dirs:
            i2h = (h, b * h) if layer > 0 else (h, num_input)
            for kind, shape in (('i2h', i2h), ('h2h', (h, h))):
                for gate in gates:
                    pieces.append((f'{d}{layer}_{kind}{gate}_weight', pos, shape))
                    pos += shape[0] * shape[1]
    for layer in range(num_layers):
        for d in dirs:
            for kind in ('i2h', 'h2h'):
                for gate in gates:
                    pieces.append((f'{d}{layer}_{kind}{gate}_bias', pos, (h,)))
                    pos += h
    if pos != size:
        raise AssertionError(f"Invalid parameters size for FusedRNNCell: {size} values do not "
                             f"fit num_hidden={num_hidden}, num_layers={num_layers}, "
                             f"mode={mode}, bidirectional={bidirectional}")
    return pieces


@register
class FusedRNN(Initializer):
    """Initialize the single parameter vector of a fused RNN layer piece by piece: weights
    with ``init`` (or the global initializer), biases 0, LSTM forget-gate biases
    ``forget_bias``.

    Parameters
    ----------
    init : Initializer or str
        For the weights (a ``dumps()`` string is accepted); None uses the global one.
    num_hidden : int
    num_layers : int
    mode : {'rnn_relu', 'rnn_tanh', 'lstm', 'gru'}
    bidirectional : bool, default False
    forget_bias : float, default 1.0
    """

    def __init__(self, init, num_hidden, num_layers, mode, bidirectional=False,
                 forget_bias=1.0):
        if isinstance(init, string_types):
            klass, kwargs = json.loads(init)
            init = registry._REGISTRY[Initializer][klass.lower()](**kwargs)
        super(FusedRNN, self).__init__(init=init.dumps() if init is not None else None,
                                       num_hidden=num_hidden, num_layers=num_layers, mode=mode,
                                       bidirectional=bidirectional, forget_bias=forget_bias)
        self._init = init
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._forget_bias = forget_bias

    def _init_weight(self, desc, arr):  # pylint: disable=arguments-differ
        pieces = _fused_rnn_layout(arr.size, self._num_hidden, self._num_layers, self._mode,
                                   self._bidirectional)
        global_init = getattr(desc, 'global_init', None)
        for name, pos, shape in pieces:
            size = int(np.prod(shape))
            piece = arr[pos:pos + size].reshape(shape).copy()
            arg_desc = InitDesc(name, global_init=global_init)
            if self._mode == 'lstm' and name.endswith("_f_bias"):
                piece[:] = self._forget_bias
            elif self._init is None:
                global_init(arg_desc, piece)
            else:
                self._init(arg_desc, piece)
            arr[pos:pos + size] = piece.reshape((size,))
