"""``gluon.contrib.rnn``: LSTMPCell and VariationalDropoutCell (the convolutional RNN cells
of 1.9.1 are not provided; see COMPAT.md)."""
from . import rnn_cell  # noqa: F401
from .rnn_cell import *  # noqa: F401,F403
