"""Contributed Gluon modules (``mx.gluon.contrib``)."""
from . import nn, cnn  # noqa: F401
