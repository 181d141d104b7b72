"""mxtorch: the Apache MXNet 1.x Python API on PyTorch.

``import mxtorch as mx`` reads like MXNet; ``mxtorch.compat.install()`` (or
``python -m mxtorch run script.py``) makes ``import mxnet`` resolve to mxtorch.
"""
__version__ = "1.9.1"          # the MXNet API version mxtorch implements
__mxtorch_version__ = "0.1.0"  # mxtorch's own release

from . import base  # noqa: E402
from ._torch.cpu_pool import pool_cpu_memory as _pool_cpu_memory  # noqa: E402

_pool_cpu_memory()  # freed CPU memory stays in the process, as in MXNet's pooled default
from .base import MXNetError  # noqa: E402,F401
from . import context  # noqa: E402
from .context import Context, Device, cpu, gpu, cpu_pinned, current_context, num_gpus  # noqa
from . import ops  # noqa: E402,F401
from . import autograd  # noqa: E402
from . import ndarray  # noqa: E402
from . import ndarray as nd  # noqa: E402
from . import name  # noqa: E402
from . import attribute  # noqa: E402
from .attribute import AttrScope  # noqa: E402,F401
from . import symbol  # noqa: E402
from . import symbol as sym  # noqa: E402,F401
from . import model  # noqa: E402,F401
from . import metric  # noqa: E402,F401
from . import io  # noqa: E402,F401
from . import callback, monitor  # noqa: E402,F401
from . import monitor as mon  # noqa: E402,F401
from . import operator  # noqa: E402,F401
from . import test_utils  # noqa: E402,F401
from . import executor, engine, runtime, util  # noqa: E402,F401
from . import visualization  # noqa: E402
from . import visualization as viz  # noqa: E402,F401
from . import random  # noqa: E402
from . import random as rnd  # noqa: E402,F401
from . import error, libinfo, log, registry, profiler, library  # noqa: E402,F401
from . import api, cython, tvmop, ndarray_doc, symbol_doc  # noqa: E402,F401
from . import recordio  # noqa: E402,F401
from . import image  # noqa: E402,F401
from . import image as img  # noqa: E402,F401
from .util import (is_np_array, is_np_shape, np_array, np_shape, set_np_shape,  # noqa: E402,F401
                   use_np, use_np_array, use_np_shape)
from . import numpy, numpy_extension  # noqa: E402,F401 - mx.np / mx.npx (MXNet 1.6+)
from . import numpy as np, numpy_extension as npx  # noqa: E402,F401
from .symbol import numpy as np_symbol  # noqa: E402,F401 - MXNet's mx.np_symbol
from . import numpy_op_fallback, numpy_dispatch_protocol  # noqa: E402,F401

device = context  # 2.x: mx.device.Device / mx.device.current_device
from . import lr_scheduler, optimizer  # noqa: E402,F401
from . import kvstore, kvstore as kv  # noqa: E402,F401
from . import initializer, initializer as init  # noqa: E402,F401
from . import module, module as mod, executor_manager  # noqa: E402,F401
from . import contrib  # noqa: E402,F401
from . import rnn  # noqa: E402,F401 - mx.rnn (symbolic cells)
from . import notebook, rtc  # noqa: E402,F401
from . import onnx  # noqa: E402,F401 - mx.onnx (export; needs the onnx package)
from . import torch as th  # noqa: E402,F401 - MXNet's Torch7-plugin bridge (no functions)
del torch  # noqa: F821 - keep PyTorch's name free for `from mxtorch import *` (mx.torch: below)
from . import gluon  # noqa: E402,F401  (last: gluon builds on everything above)
# MXNet's manual launch: a process with DMLC_ROLE=server|scheduler waits for the job, then exits
kvstore.kvstore_server._init_kvstore_server_module()  # noqa: E402


def __getattr__(name):
    """``mx.torch``: MXNet's Torch7-plugin module, resolved here and not bound in the package
    namespace, so that ``from mxtorch import *`` does not shadow PyTorch."""
    if name == "torch":
        import sys
        return sys.modules[__name__ + ".torch"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
