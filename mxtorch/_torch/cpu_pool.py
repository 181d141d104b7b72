"""Keep freed CPU memory in the process for reuse, as MXNet's pooled storage manager does.

torch's CPU allocator hands every tensor to the C library's ``malloc``. With glibc's default,
adaptive thresholds, the multi-megabyte activations of a training step are partly returned
to the kernel when freed and faulted in (and zeroed) again on the next step: ResNet-18 at
batch 32 took ~3,500 page faults per step and ran ~2% slower for it (2-core CI machine,
2026-12-04). MXNet 1.9.1 pools CPU memory by default (``MXNET_CPU_MEM_POOL_TYPE=Naive``), so
its steps reuse memory. :func:`pool_cpu_memory` sets glibc's thresholds so that blocks up to
32 MB come from the heap and freed heap memory stays there up to 1 GB; like MXNet's pool,
the process then keeps its peak memory.

``MXNET_CPU_MEM_POOL_TYPE=Unpooled`` (MXNet's switch to turn its pool off) leaves ``malloc``
alone, as do glibc's own ``MALLOC_*_`` tuning variables and C libraries other than glibc.
"""
import ctypes
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
# (a 64 MB M_TOP_PAD as well made MLP inference ~3% slower: left at glibc's default)
_SETTINGS = ((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 1 << 30))
_GLIBC_TUNING = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                 "GLIBC_TUNABLES")


def pool_cpu_memory():
    """Tune glibc's ``malloc`` to keep freed memory (see the module docstring).

    Returns
    -------
    bool
        True when the settings were applied.
    """
    if not sys.platform.startswith("linux") or \
            os.environ.get("MXNET_CPU_MEM_POOL_TYPE", "Naive").lower() == "unpooled" or \
            any(name in os.environ for name in _GLIBC_TUNING):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # glibc only: other C libraries lack these parameters
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return all(mallopt(param, value) == 1 for param, value in _SETTINGS)
