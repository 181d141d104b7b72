"""Estimator: a fit/evaluate loop for Gluon networks driven by event handlers
(``mx.gluon.contrib.estimator``)."""
from . import estimator, event_handler, batch_processor, utils  # noqa: F401
from .estimator import *  # noqa: F401,F403
from .event_handler import *  # noqa: F401,F403
from .batch_processor import *  # noqa: F401,F403
