"""``mx.contrib``: contributed APIs. Here: ``mx.contrib.nd`` / ``mx.contrib.sym`` (the contrib
operators), ``mx.contrib.autograd`` (MXNet's early autograd names), ``mx.contrib.io``
(DataLoaderIter), ``mx.contrib.svrg_optimization`` (SVRGModule) and
``mx.contrib.tensorboard`` (LogMetricsCallback) and ``mx.contrib.text`` (vocabularies and
token embeddings) and ``mx.contrib.amp`` (mixed precision) and ``mx.contrib.quantization``
(post-training int8) and ``mx.contrib.onnx`` (the older ONNX entry points)."""
from . import autograd, io, ndarray, svrg_optimization, symbol, tensorboard  # noqa: F401
from . import text  # noqa: F401
from . import amp  # noqa: F401
from . import quantization  # noqa: F401
from . import onnx  # noqa: F401
from . import ndarray as nd  # noqa: F401
from . import symbol as sym  # noqa: F401
