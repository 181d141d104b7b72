"""``mx.contrib.amp``: automatic mixed precision (float16 / bfloat16) for Gluon training and
for converting float32 models (MXNet 1.9.1 API). On CPU use ``target_dtype='bfloat16'``:
float16 matrix products are slow there."""
from . import amp, lists, loss_scaler  # noqa: F401
from .amp import *  # noqa: F401,F403
