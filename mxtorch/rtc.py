"""``mx.rtc``: run-time compiled CUDA kernels (``CudaModule``/``CudaKernel``).

MXNet compiles the source with NVRTC and launches kernels on its own CUDA streams. mxtorch
has no such launcher: like a CPU build of MXNet, creating a ``CudaModule`` raises MXNetError
(see compat/contrib_apis.md for what to use on a GPU instead). Kernel signatures are parsed
and checked as in MXNet.
"""
import ctypes  # noqa: F401 - part of MXNet's module namespace
import re
from array import array  # noqa: F401

import numpy as np

from .base import MXNetError, numeric_types, string_types
from .context import num_gpus
from .ndarray import NDArray  # noqa: F401

__all__ = ["CudaKernel", "CudaModule", "NDArray", "array", "ctypes", "np", "numeric_types",
           "re", "string_types"]

_DTYPE_CPP_TO_NP = {
    'float': np.float32, 'double': np.float64, '__half': np.float16, 'uint8_t': np.uint8,
    'int': np.int32, 'int32_t': np.int32, 'int8_t': np.int8, 'char': np.int8,
    'int64_t': np.int64,
}
_ARG = re.compile(r"^\s*(const)?\s*([\w_]+)\s*(\*)?\s*([\w_]+)?\s*$")


def _parse_signature(signature):
    """[(is_const, numpy dtype, is_array)] of a C argument list like
    ``const float *x, double *y, int alpha``."""
    parsed = []
    for arg in signature.split(','):
        match = _ARG.match(" ".join(arg.split()))
        if not match or match.group(2) == 'const':
            raise ValueError('Invalid function prototype "%s". Must be in the form of '
                             '"(const) type (*) (name)"' % arg.strip())
        if match.group(2) not in _DTYPE_CPP_TO_NP:
            raise TypeError("Unsupported kernel argument type %s. Supported types are: %s."
                            % (arg.strip(), ','.join(_DTYPE_CPP_TO_NP)))
        parsed.append((bool(match.group(1)), _DTYPE_CPP_TO_NP[match.group(2)],
                       bool(match.group(3))))
    return parsed


def _unavailable():
    if num_gpus() == 0:
        return MXNetError("Compile with USE_CUDA=1 and ENABLE_CUDA_RTC=1 to have CUDA runtime "
                          "compilation (mx.rtc): this machine has no CUDA device.")
    return MXNetError("mx.rtc (CUDA runtime compilation on MXNet's streams) is not provided by "
                      "mxtorch; write the kernel as a torch extension "
                      "(torch.utils.cpp_extension.load_inline) or a Triton kernel and exchange "
                      "arrays with nd.from_torch / NDArray.to_torch.")


class CudaModule(object):
    """Compiles CUDA C source at run time (not available in mxtorch: raises MXNetError).

    Parameters
    ----------
    source : str
        The CUDA source.
    options : tuple of str
        NVRTC compiler options.
    exports : tuple of str
        The names of the kernels to export.
    """

    def __init__(self, source, options=(), exports=()):
        if not isinstance(source, string_types):
            raise TypeError("CudaModule: source must be a str, got %s" % type(source).__name__)
        self.source = source
        self.options = (options,) if isinstance(options, string_types) else tuple(options)
        self.exports = (exports,) if isinstance(exports, string_types) else tuple(exports)
        raise _unavailable()

    def get_kernel(self, name, signature):
        """The kernel `name` with C argument list `signature` (e.g. ``const float *x,
        float *y, int n``)."""
        parsed = _parse_signature(signature)
        return CudaKernel(None, name, [p[2] for p in parsed], [p[1] for p in parsed])


class CudaKernel(object):
    """A CUDA kernel made by :meth:`CudaModule.get_kernel`."""

    def __init__(self, handle, name, is_ndarray, dtypes):
        self.handle = handle
        self._name = name
        self._is_ndarray = list(is_ndarray)
        self._dtypes = list(dtypes)

    def launch(self, args, ctx, grid_dims, block_dims, shared_mem=0):
        """Launches the kernel on `ctx` (a GPU) with `grid_dims` and `block_dims` (3-tuples);
        arrays go to pointer arguments, numbers to the others."""
        if len(args) != len(self._dtypes):
            raise MXNetError("CudaKernel(%s) expects %d arguments but got %d"
                             % (self._name, len(self._dtypes), len(args)))
        for i, (arg, is_nd) in enumerate(zip(args, self._is_ndarray)):
            if is_nd and not isinstance(arg, NDArray):
                raise MXNetError("The %d-th argument is expected to be a NDArray but got %s"
                                 % (i, type(arg)))
            if not is_nd and not isinstance(arg, numeric_types):
                raise MXNetError("The %d-th argument is expected to be a number, but got %s"
                                 % (i, type(arg)))
        if getattr(ctx, 'device_type', None) != 'gpu':
            raise MXNetError("Cannot run CUDA kernel %s on %s: a GPU context is needed"
                             % (self._name, ctx))
        raise _unavailable()
