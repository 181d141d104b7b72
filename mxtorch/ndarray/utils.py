"""Array creation and file helpers of ``mx.nd``: array, zeros, ones, full, empty, arange,
linspace, eye, concatenate, moveaxis, save, load, load_frombuffer, from_numpy, from_dlpack.

MXNet's dtype defaults: everything is float32 unless ``dtype`` says otherwise, including
``nd.array`` of Python ints and of integer numpy arrays; only an NDArray source keeps its dtype.
"""
import os
import tempfile

import numpy as np
import torch

from ..base import MXNetError, integer_types, py_str, string_types  # noqa: F401
from ..context import Context, current_context
from .._torch.dtypes import TORCH_TO_NAME, np_dtype, to_torch_dtype
from .ndarray import NDArray, _wrap, from_torch

__all__ = ["array", "zeros", "ones", "full", "empty", "arange", "linspace", "eye",
           "concatenate", "moveaxis", "save", "load", "load_frombuffer", "from_numpy",
           "from_dlpack", "to_dlpack_for_read", "to_dlpack_for_write", "histogram",
           "onehot_encode", "split_v2"]


def _ctx(ctx):
    if ctx is None:
        return current_context()
    if not isinstance(ctx, Context):
        raise TypeError(f"ctx must be an mx.Context such as mx.cpu(), got {ctx!r}")
    return ctx


def _shape(shape):
    if isinstance(shape, integer_types):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def array(source_array, ctx=None, dtype=None):
    """Create an NDArray from an array-like (list, numpy array, NDArray, torch tensor); a
    CSRNDArray, RowSparseNDArray or scipy csr_matrix source keeps its storage type."""
    if getattr(source_array, "_sparse", False) or getattr(source_array, "format", None) == "csr":
        from .sparse import array as sparse_array
        return sparse_array(source_array, ctx=ctx, dtype=dtype)
    ctx = _ctx(ctx)
    if type(source_array) is np.ndarray and dtype is None and source_array.dtype == np.float32:
        t = torch.from_numpy(source_array.copy())  # fast path: float32 host data (a copy)
        return _wrap(t if ctx.device_type != "gpu" else t.to(ctx.torch_device), ctx)
    if isinstance(source_array, NDArray):
        target = to_torch_dtype(dtype, default=source_array._t.dtype)
        t = source_array._t.detach().to(device=ctx.torch_device, dtype=target, copy=True)
        return _wrap(t, ctx)
    target = to_torch_dtype(dtype)
    if isinstance(source_array, torch.Tensor):
        t = source_array.detach().to(device=ctx.torch_device, dtype=target, copy=True)
        return _wrap(t, ctx)
    if isinstance(source_array, np.ndarray) and source_array.dtype.isnative:
        host = source_array
        if TORCH_TO_NAME[target] == "bfloat16":
            t = torch.from_numpy(np.array(host, dtype=np.float32, order="C")).to(target)
        else:
            want = np_dtype(target)
            t = torch.from_numpy(np.array(host, dtype=want, order="C", copy=True))
    else:
        try:
            host = np.asarray(source_array, dtype=None if TORCH_TO_NAME[target] == "bfloat16"
                              else np_dtype(target))
        except OverflowError:  # NumPy 2 refuses [-7] as uint8; MXNet (NumPy 1) wraps it
            host = np.asarray(source_array).astype(np_dtype(target))
        except (TypeError, ValueError) as err:
            raise TypeError(f"cannot create an NDArray from {type(source_array).__name__}: "
                            f"{err}") from err
        t = torch.from_numpy(np.array(host, order="C", copy=True)).to(target)
    if ctx.device_type == "gpu":
        t = t.to(ctx.torch_device)
    return _wrap(t, ctx)


def zeros(shape, ctx=None, dtype=None, stype=None, **kwargs):
    """Array of zeros (float32 by default); a sparse ``stype`` stores nothing."""
    if stype not in (None, "default"):
        from .sparse import zeros as sparse_zeros
        return sparse_zeros(stype, shape, ctx=ctx, dtype=dtype)
    ctx = _ctx(ctx)
    t = torch.zeros(_shape(shape), dtype=to_torch_dtype(dtype), device=ctx.torch_device)
    return _into_out(_wrap(t, ctx), kwargs)


def ones(shape, ctx=None, dtype=None, **kwargs):
    """Array of ones (float32 by default)."""
    ctx = _ctx(ctx)
    t = torch.ones(_shape(shape), dtype=to_torch_dtype(dtype), device=ctx.torch_device)
    return _into_out(_wrap(t, ctx), kwargs)


def _into_out(result, kwargs):
    """Honour MXNet's ``out=`` keyword of the creation functions: fill it and return it."""
    out = kwargs.get("out")
    if out is None:
        return result
    out[:] = result
    return out


def full(shape, val, ctx=None, dtype=np.float32, out=None):
    """Array filled with ``val``."""
    ctx = _ctx(ctx)
    target = to_torch_dtype(dtype)
    if not target.is_floating_point and target != torch.bool and isinstance(val, float):
        from ..ops.elemwise import int_from_float  # MXNet's C cast: -2.7 as uint8 is 254
        val = int(int_from_float(torch.tensor(val, dtype=torch.float64), target))
    t = torch.full(_shape(shape), val, dtype=target, device=ctx.torch_device)
    if out is not None:
        out[:] = _wrap(t, ctx)
        return out
    return _wrap(t, ctx)


def empty(shape, ctx=None, dtype=None, stype=None):
    """Uninitialised array (contents are arbitrary); a sparse ``stype`` stores nothing."""
    if stype not in (None, "default"):
        from .sparse import empty as sparse_empty
        return sparse_empty(stype, shape, ctx=ctx, dtype=dtype)
    ctx = _ctx(ctx)
    return _wrap(torch.empty(_shape(shape), dtype=to_torch_dtype(dtype), device=ctx.torch_device),
                 ctx)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=np.float32):
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times."""
    from . import _internal
    return _internal._arange(start=start, stop=stop, step=step, repeat=repeat,
                             ctx=_ctx(ctx), dtype=TORCH_TO_NAME[to_torch_dtype(dtype)])


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=np.float32):
    """``num`` evenly spaced values over [start, stop]."""
    from . import _internal
    return _internal._linspace(start=start, stop=stop, num=num, endpoint=endpoint,
                               ctx=_ctx(ctx), dtype=TORCH_TO_NAME[to_torch_dtype(dtype)])


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):  # noqa: N803
    """2-D array with ones on the k-th diagonal."""
    from . import _internal
    return _internal._eye(N=N, M=M, k=k, ctx=_ctx(ctx),
                          dtype=TORCH_TO_NAME[to_torch_dtype(dtype)])


def concatenate(arrays, axis=0, always_copy=True):
    """Join arrays along an existing axis."""
    if not arrays:
        raise MXNetError("concatenate needs at least one array")
    if len(arrays) == 1 and not always_copy:
        return arrays[0]
    from . import _gen
    return _gen.ND_FUNCTIONS["Concat"](*arrays, dim=axis)


def _move_axes(axes, ndim, what):
    axes = (axes,) if isinstance(axes, (int, np.integer)) else tuple(axes)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"moveaxis: {what} axis {a} is out of range for an array with "
                             f"{ndim} dimensions")
    out = tuple(int(a) % ndim for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"moveaxis: repeated axis in {what} {axes}")
    return out


def moveaxis(tensor, source, destination):
    """Move axes ``source`` (int or sequence) to positions ``destination``."""
    src = _move_axes(source, tensor.ndim, "source")
    dst = _move_axes(destination, tensor.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source} and destination {destination} must have "
                         "the same number of axes")
    order = [a for a in range(tensor.ndim) if a not in src]
    for d, a in sorted(zip(dst, src)):
        order.insert(d, a)
    return tensor.transpose(order)


def from_numpy(ndarray, zero_copy=True, array_cls=NDArray):
    """NDArray sharing memory with a numpy array (when ``zero_copy``), keeping its dtype."""
    host = np.require(ndarray, requirements="C")
    t = torch.from_numpy(host)
    return _wrap(t if zero_copy else t.clone())


def from_dlpack(dlpack):
    """NDArray from a DLPack capsule or an object with ``__dlpack__`` (zero-copy)."""
    return from_torch(torch.utils.dlpack.from_dlpack(dlpack))


def to_dlpack_for_read(data):
    return data.to_dlpack_for_read()


def to_dlpack_for_write(data):
    return data.to_dlpack_for_write()


def histogram(a, bins=10, range=None):  # noqa: A002 - MXNet's signature
    """Histogram of ``a``: (counts, bin edges). ``bins`` is a count (then ``range`` is
    required) or an NDArray of edges."""
    from . import _internal
    if isinstance(bins, NDArray):
        return _internal._histogram(data=a, bins=bins)
    if range is None:  # MXNet hands this case to numpy: a tuple of float32 arrays
        counts, edges = np.histogram(a.asnumpy(), bins)
        return array(counts), array(edges)
    return _internal._histogram(data=a, bin_cnt=bins, range=range)


def onehot_encode(indices, out):
    """One-hot encode ``indices`` into ``out`` (MXNet's legacy helper)."""
    from . import _internal
    return _internal._onehot_encode(indices, out, out=out)


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------


def save(fname, data):
    """Save an NDArray, a list of NDArrays or a dict of str -> NDArray in MXNet's format.

    The file is written to a temporary name and renamed, so it is never half-written.
    """
    from .._torch import params_format
    if isinstance(data, NDArray):
        items, names = [data], None
    elif isinstance(data, dict):
        names = list(data.keys())
        items = list(data.values())
        if not all(isinstance(k, str) for k in names):
            raise TypeError("nd.save: dict keys must be str")
    elif isinstance(data, (list, tuple)):
        items, names = list(data), None
    else:
        raise TypeError(f"nd.save expects an NDArray, a list or a dict of NDArrays, got "
                        f"{type(data).__name__}")
    for i, item in enumerate(items):
        if not isinstance(item, NDArray):
            label = names[i] if names else i
            raise TypeError(f"nd.save: item {label!r} is a {type(item).__name__}, not an NDArray")
    payload = params_format.dumps(items, names)
    _atomic_write(fname, payload)


def _atomic_write(fname, payload):
    fname = os.fspath(fname)
    directory = os.path.dirname(os.path.abspath(fname))
    fd, tmp = tempfile.mkstemp(prefix=".mxtorch-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, fname)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(fname):
    """Load arrays saved by ``nd.save`` (or MXNet): a list, or a dict when names were saved."""
    fname = os.fspath(fname)
    try:
        with open(fname, "rb") as f:
            payload = f.read()
    except OSError as err:
        raise MXNetError(f"nd.load: cannot read {fname!r}: {err}") from err
    return load_frombuffer(payload, source=fname)


def load_frombuffer(buf, source="<buffer>"):
    """Load arrays from the bytes of an MXNet NDArray file."""
    from .._torch import params_format
    items, names = params_format.loads(bytes(buf), source=source)
    arrays = [_as_ndarray(x) for x in items]
    if names:
        return dict(zip(names, arrays))
    return arrays


def _as_ndarray(item):
    if isinstance(item, NDArray):
        return item
    if isinstance(item, torch.Tensor):
        return _wrap(item)
    from .sparse import from_record  # a sparse record: parts kept exactly as stored
    return from_record(item)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split ``ary`` along ``axis`` into ``indices_or_sections`` equal pieces (an int) or at
    the given indices (a tuple: ``(2, 3)`` gives ``ary[:2]``, ``ary[2:3]``, ``ary[3:]``).

    Returns a list of NDArrays, or one NDArray when there is a single piece.
    """
    from ..base import ShapeError
    from . import _internal
    size = ary.shape[axis]
    if isinstance(indices_or_sections, integer_types) and not isinstance(indices_or_sections,
                                                                          bool):
        sections = int(indices_or_sections)
        if sections < 1 or size % sections:
            raise ShapeError(f"split_v2: axis {axis} of shape {ary.shape} (size {size}) cannot "
                             f"be split into {sections} equal sections")
        indices = tuple(k * (size // sections) for k in range(sections))
    elif isinstance(indices_or_sections, (tuple, list)):
        indices = (0,) + tuple(int(i) for i in indices_or_sections)
    else:
        raise ValueError("split_v2: indices_or_sections must be an int or a tuple of ints, got "
                         f"{type(indices_or_sections).__name__}")
    return _internal._split_v2(ary, indices=indices, axis=axis, squeeze_axis=squeeze_axis)
