"""Contributed Gluon modules (``mx.gluon.contrib``)."""
from . import nn  # noqa: F401
