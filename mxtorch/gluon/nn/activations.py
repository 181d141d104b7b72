"""Activation layers of ``gluon.nn`` (MXNet 1.9.1 names, plus 2.x ``SiLU``).

Every layer calls one ``F`` operator in ``hybrid_forward``, so it runs eagerly with ``F = nd``
and traces to a graph with ``F = sym``.
"""
from ... import autograd, initializer
from ... import ndarray as nd
from ...ndarray import ndarray as _nd
from ...util import is_np_array  # noqa: F401  (MXNet's module namespace)
from ..block import HybridBlock
from ..utils import UsageError
from ._np_compat import np_aware

__all__ = ['Activation', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'Swish', 'GELU', 'SiLU']


class Activation(HybridBlock):
    """Applies an activation function to the input.

    Parameters
    ----------
    activation : str
        One of ``'relu'``, ``'sigmoid'``, ``'tanh'``, ``'softrelu'``, ``'softsign'``
        (the ``act_type`` values of the ``Activation`` operator).
    """

    def __init__(self, activation, **kwargs):
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self):
        return self._act_type

    @np_aware
    def hybrid_forward(self, F, x):
        return F.Activation(x, act_type=self._act_type, name='fwd')

    def _plain(self):
        """True when calling this activation is just its operator: a stock ``Activation``
        with no hooks, not hybridized on its own."""
        return type(self) is Activation and not self._active and \
            not self._forward_pre_hooks and not self._forward_hooks

    def _overwrite(self, F, x):
        """``self(x)`` for ``x`` that nothing else holds (the fresh output of the layer owning
        this activation): eagerly, with no hooks and nothing recording or tracing, the result
        is written into ``x`` (``out=x``: one array and a kernel's memory traffic less)."""
        if F is not nd or type(x) is not nd.NDArray or type(self) is not Activation or \
                self._active or self._forward_pre_hooks or self._forward_hooks or \
                autograd.is_recording() or _nd.DEFERRED[0] is not None:
            return self(x)
        return F.Activation(x, act_type=self._act_type, name='fwd', out=x)

    def __repr__(self):
        return f'{type(self).__name__}({self._act_type})'


class LeakyReLU(HybridBlock):
    """Leaky ReLU: ``x`` where ``x > 0``, ``alpha * x`` elsewhere.

    Parameters
    ----------
    alpha : float
        Slope for negative inputs; must be >= 0.
    """

    def __init__(self, alpha, **kwargs):
        if not alpha >= 0:
            raise UsageError(f'LeakyReLU: the slope alpha must be >= 0, got {alpha!r}')
        super().__init__(**kwargs)
        self._alpha = alpha

    @np_aware
    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='leaky', slope=self._alpha, name='fwd')

    def __repr__(self):
        return f'{type(self).__name__}({self._alpha})'


class PReLU(HybridBlock):
    """Parametric leaky ReLU with a learned slope ``alpha`` per channel.

    Parameters
    ----------
    alpha_initializer : Initializer, default ``mx.init.Constant(0.25)``
        Initializer for the slope.
    in_channels : int, default 1
        Number of slopes (1 shares one slope over all channels).
    """

    def __init__(self, alpha_initializer=initializer.Constant(0.25), in_channels=1, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.alpha = self.params.get('alpha', shape=(in_channels,), init=alpha_initializer)

    @np_aware
    def hybrid_forward(self, F, x, alpha):
        return F.LeakyReLU(x, gamma=alpha, act_type='prelu', name='fwd')


class ELU(HybridBlock):
    """Exponential linear unit: ``x`` where ``x > 0``, ``alpha * (exp(x) - 1)`` elsewhere.

    Parameters
    ----------
    alpha : float, default 1.0
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._alpha = alpha

    @np_aware
    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='elu', slope=self._alpha)


class SELU(HybridBlock):
    """Scaled exponential linear unit (Klambauer et al., 2017)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @np_aware
    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='selu', name='fwd')


class GELU(HybridBlock):
    """Gaussian error linear unit (erf form)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @np_aware
    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='gelu', name='fwd')


class Swish(HybridBlock):
    """Swish: ``x * sigmoid(beta * x)``.

    Parameters
    ----------
    beta : float, default 1.0
    """

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._beta = beta

    @np_aware
    def hybrid_forward(self, F, x):
        return x * F.sigmoid(self._beta * x, name='fwd')


class SiLU(HybridBlock):
    """Sigmoid linear unit ``x * sigmoid(x)`` (MXNet 2.x; Swish with ``beta = 1``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @np_aware
    def hybrid_forward(self, F, x):
        return x * F.sigmoid(x, name='fwd')
