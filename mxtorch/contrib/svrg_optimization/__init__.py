"""``mx.contrib.svrg_optimization``: SVRGModule, stochastic variance-reduced gradient training
(Johnson & Zhang 2013) through the Module API."""
from . import svrg_module, svrg_optimizer  # noqa: F401
