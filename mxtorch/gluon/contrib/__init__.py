"""Contributed Gluon modules (``mx.gluon.contrib``)."""
from . import nn, cnn  # noqa: F401
from . import rnn  # noqa: F401
