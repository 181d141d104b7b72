"""``gluon.contrib.rnn``: LSTMPCell, VariationalDropoutCell, dynamic_unroll and the
convolutional RNN/LSTM/GRU cells."""
from . import conv_rnn_cell, rnn_cell  # noqa: F401
from .conv_rnn_cell import *  # noqa: F401,F403
from .rnn_cell import *  # noqa: F401,F403
