"""Contributed Gluon modules (``mx.gluon.contrib``)."""
from . import nn, cnn  # noqa: F401
from . import rnn  # noqa: F401
from . import data  # noqa: F401
from . import estimator  # noqa: F401
