"""Devices: ``Context`` (1.x) / ``Device`` (2.x), the current-context stack and GPU queries.

Several CPU contexts (``cpu(0)``, ``cpu(1)``...) are distinct Contexts that share torch's CPU
device, so data-parallel code written for several devices runs on one machine.
"""
import threading
import warnings  # noqa: F401 - part of MXNet's module namespace

import torch

from .base import MXNetError, _MXClassPropertyMetaClass, classproperty, with_metaclass

__all__ = ["Context", "Device", "cpu", "gpu", "cpu_pinned", "current_context", "current_device",
           "num_gpus", "gpu_memory_info", "classproperty", "threading", "warnings",
           "with_metaclass"]

_TYPE_NAMES = {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}
_TYPE_IDS = {name: code for code, name in _TYPE_NAMES.items()}


class _ContextStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []
        self.base = None  # this thread's default outside any ``with ctx:`` (None: cpu(0))


_STACK = _ContextStack()


class Context(with_metaclass(_MXClassPropertyMetaClass, object)):
    """A device: ``Context('cpu', 0)``, ``Context('gpu', 1)`` or ``Context(other_context)``.

    Used as ``with mx.gpu(0):`` it becomes the default device of new arrays.
    ``Context.default_ctx`` is the current context (settable, as in MXNet).
    """
    __slots__ = ("device_typeid", "device_id", "_torch_device", "_old")
    devtype2str = _TYPE_NAMES
    devstr2type = _TYPE_IDS

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            device_type, device_id = device_type.device_type, device_type.device_id
        if device_type not in _TYPE_IDS:
            raise MXNetError(f"unknown device type {device_type!r}; expected one of "
                             f"{sorted(_TYPE_IDS)}")
        self.device_typeid = _TYPE_IDS[device_type]
        self.device_id = int(device_id)
        self._torch_device = None
        self._old = None

    @property
    def device_type(self):
        """'cpu', 'gpu', 'cpu_pinned' or 'cpu_shared'."""
        return _TYPE_NAMES[self.device_typeid]

    @property
    def torch_device(self):
        """The torch.device arrays of this context live on (raises if the GPU is missing)."""
        if self._torch_device is None:
            self._torch_device = _resolve_torch_device(self)
        return self._torch_device

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_typeid == other.device_typeid
                and self.device_id == other.device_id)

    def __hash__(self):
        return hash((self.device_typeid, self.device_id))

    def __repr__(self):
        return f"{self.device_type}({self.device_id})"

    __str__ = __repr__

    def __enter__(self):
        _STACK.stack.append(self)
        return self

    def __exit__(self, *exc):
        _STACK.stack.pop()

    def empty_cache(self):
        """Release cached GPU memory of this device back to the driver."""
        if self.device_type == "gpu" and torch.cuda.is_available():
            with torch.cuda.device(self.torch_device):
                torch.cuda.empty_cache()

    def __reduce__(self):
        return (Context, (self.device_type, self.device_id))

    @classmethod
    def _default(cls):
        if _STACK.stack:
            return _STACK.stack[-1]
        return _STACK.base or _CPU0

    @classproperty
    def default_ctx(cls):
        """The current context of this thread (innermost ``with ctx:``, else cpu(0))."""
        return cls._default()

    @default_ctx.setter
    def default_ctx(cls, val):
        _set_default(val)


def _resolve_torch_device(ctx):
    if ctx.device_type != "gpu":
        return torch.device("cpu")
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if ctx.device_id >= count:
        raise MXNetError(
            f"context {ctx} needs a GPU, but this machine has {count} usable CUDA device(s); "
            "use mx.cpu() or check mx.context.num_gpus() before choosing a GPU")
    return torch.device("cuda", ctx.device_id)


_CPU0 = Context("cpu", 0)
Device = Context


def cpu(device_id=0):
    """CPU context. Different ids are distinct contexts on the same memory."""
    return _CPU0 if device_id == 0 else Context("cpu", device_id)


def gpu(device_id=0):
    """GPU context ``device_id``; using it without that GPU raises MXNetError."""
    return Context("gpu", device_id)


def cpu_pinned(device_id=0):
    """Page-locked host memory context (plain CPU memory when no GPU is present)."""
    return Context("cpu_pinned", device_id)


def _set_default(ctx):
    """Make ``ctx`` this thread's current context (``test_utils.set_default_context``).

    Inside a ``with ctx:`` block the change lasts until the block exits, as in MXNet.
    """
    if not isinstance(ctx, Context):
        raise TypeError(f"expected an mx.Context such as mx.cpu(), got {ctx!r}")
    if _STACK.stack:
        _STACK.stack[-1] = ctx
    else:
        _STACK.base = ctx


def current_context():
    """The context new arrays are created on (innermost ``with ctx:``, else cpu(0))."""
    return Context._default()


current_device = current_context


def num_gpus():
    """Number of CUDA devices torch can use."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def _compute_capability(device_id):
    """CUDA compute capability of GPU ``device_id`` as major * 10 + minor (e.g. 80)."""
    if device_id >= num_gpus():
        raise MXNetError(f"gpu({device_id}) is not available: this machine has {num_gpus()} GPU(s)")
    major, minor = torch.cuda.get_device_capability(device_id)
    return major * 10 + minor


def gpu_memory_info(device_id=0):
    """(free, total) bytes of GPU ``device_id``."""
    if device_id >= num_gpus():
        raise MXNetError(f"gpu({device_id}) is not available: this machine has {num_gpus()} GPU(s)")
    return torch.cuda.mem_get_info(device_id)


_DEVICE_CONTEXTS = {}


def context_of_device(device):
    """The Context of a torch.device (cpu -> cpu(0), cuda:i -> gpu(i))."""
    ctx = _DEVICE_CONTEXTS.get(device)
    if ctx is None:
        if device.type == "cuda":
            ctx = Context("gpu", device.index or 0)
        else:
            ctx = _CPU0
        _DEVICE_CONTEXTS[device] = ctx
    return ctx
