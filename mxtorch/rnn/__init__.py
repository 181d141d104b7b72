"""``mx.rnn``: MXNet's symbolic RNN cells, the bucketing sentence iterator and RNN
checkpoints (the API before gluon.rnn)."""
from . import io, rnn, rnn_cell  # noqa: F401
from .io import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .rnn_cell import *  # noqa: F401,F403
