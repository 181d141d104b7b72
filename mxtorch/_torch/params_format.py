"""MXNet's binary NDArray files (``nd.save``/``.params``) and single array records (pickling).

Read: the list container (magic 0x112) holding V0 (legacy, no magic), V1, V2 and V3 (NumPy
shape semantics) records, dense and sparse (csr, row_sparse), every MXNet dtype; plus the
``.npy``/``.npz`` files MXNet 2.x writes. Write: byte for byte what MXNet 1.9.1 writes (V2
records; V3 only where V2 cannot express the array, i.e. 0-d arrays, or when asked).

Any truncated or corrupt input raises ``MXNetError`` naming the byte offset and what was
expected there; nothing is allocated before the bytes it needs are known to exist.
All integers are little-endian (MXNet writes host order and every shipped build is LE).
"""
import ast
import io
import struct
import sys
import zipfile
import zlib
from typing import NamedTuple

import numpy as np
import torch

from .._mode import STATE as _MODE
from ..base import DTypeError, MXNetError
from .dtypes import FLAG_TO_TORCH, TORCH_TO_FLAG, TORCH_TO_NAME

__all__ = ["dumps", "loads", "dumps_array", "loads_array", "SparseRecord"]

LIST_MAGIC = 0x112
V1_MAGIC = 0xF993FAC8
V2_MAGIC = 0xF993FAC9
V3_MAGIC = 0xF993FACA

STYPE_DEFAULT, STYPE_ROW_SPARSE, STYPE_CSR = 0, 1, 2
STYPE_NAMES = {STYPE_ROW_SPARSE: "row_sparse", STYPE_CSR: "csr"}
STYPE_IDS = {"row_sparse": STYPE_ROW_SPARSE, "csr": STYPE_CSR}
# aux arrays per sparse storage, in record order (MXNet: csr::kIndPtr, csr::kIdx)
AUX_NAMES = {"csr": ("indptr", "indices"), "row_sparse": ("indices",)}

_CPU = (1, 0)  # MXNet dev_type cpu, dev_id 0
_ZIP_MAGICS = (0x04034B50, 0x06054B50)
_MAX_BYTES = 1 << 62
_NPY_MAGIC = b"\x93NUMPY"


class SparseRecord(NamedTuple):
    """A loaded sparse array: its parts exactly as stored (``aux`` in MXNet's record order:
    csr ``(indptr, indices)``, row_sparse ``(indices,)``)."""
    stype: str
    shape: tuple
    data: torch.Tensor
    aux: tuple

    def dense(self):
        """The dense value (zeros where nothing is stored)."""
        return sparse_to_dense(self.stype, self.shape, self.data, self.aux)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


class _Reader:
    """Bounds-checked little-endian cursor over a bytes-like object."""

    def __init__(self, buf, source):
        self.buf = memoryview(buf).cast("B")
        self.pos = 0
        self.source = source
        self.what = "the file header"

    def fail(self, message, at=None):
        at = self.pos if at is None else at
        return MXNetError(f"cannot load {self.source!r}: corrupt or truncated MXNet NDArray file "
                          f"at byte {at} ({self.what}): {message}")

    def need(self, count, label):
        left = len(self.buf) - self.pos
        if count > left:
            raise self.fail(f"{label} needs {count} bytes but only {left} remain")

    def take(self, count, label):
        self.need(count, label)
        view = self.buf[self.pos:self.pos + count]
        self.pos += count
        return view

    def unpack(self, fmt, label):
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self.take(size, label))[0]

    def u32(self, label):
        return self.unpack("<I", label)

    def i32(self, label):
        return self.unpack("<i", label)

    def u64(self, label):
        return self.unpack("<Q", label)


def loads(buf, source="<buffer>"):
    """Parse an NDArray file. Returns ``(items, names)``: items are torch tensors (dense) or
    ``SparseRecord``s; names is a list of str, or None for an unnamed list."""
    if isinstance(buf, str):
        raise TypeError("loads expects bytes, not str")
    head = bytes(memoryview(buf)[:8])
    if head.startswith(_NPY_MAGIC):
        return [_read_npy(buf, source, "the .npy file")], None
    if len(head) >= 4 and struct.unpack("<I", head[:4])[0] in _ZIP_MAGICS:
        return _read_npz(buf, source)
    reader = _Reader(buf, source)
    magic = reader.u64("the list magic")
    if magic != LIST_MAGIC:
        raise reader.fail(f"the file starts with 0x{magic:x}, not MXNet's NDArray list magic "
                          f"0x{LIST_MAGIC:x} (nor a .npy/.npz file)", at=0)
    reader.u64("the reserved word")
    count = reader.u64("the array count")
    items = []
    for index in range(count):
        reader.what = f"array {index} of {count}"
        items.append(_read_record(reader))
    reader.what = "the names section"
    num_names = reader.u64("the name count")
    if num_names not in (0, count):
        raise reader.fail(f"the file holds {count} arrays but {num_names} names",
                          at=reader.pos - 8)
    names = []
    for index in range(num_names):
        reader.what = f"name {index} of {num_names}"
        length = reader.u64("the name length")
        start = reader.pos
        raw = reader.take(length, "the name")
        try:
            names.append(bytes(raw).decode("utf-8"))
        except UnicodeDecodeError as err:
            raise reader.fail(f"name is not valid UTF-8 ({err.reason})", at=start) from None
    return items, (names if num_names else None)


def loads_array(buf, allow_sparse=False):
    """One array record without the list header (``NDArray.__getstate__``'s ``handle``).

    Dense records give a tensor; sparse ones a ``SparseRecord`` if ``allow_sparse``, else
    their dense value."""
    reader = _Reader(buf, "<pickled NDArray>")
    reader.what = "the array record"
    item = _read_record(reader)
    if isinstance(item, SparseRecord) and not allow_sparse:
        return item.dense()
    return item


def _read_record(reader):
    start = reader.pos
    magic = reader.u32("the record magic")
    if magic in (V2_MAGIC, V3_MAGIC):
        return _read_v2(reader, np_shape=magic == V3_MAGIC, start=start)
    if magic == V1_MAGIC:
        shape = _read_shape(reader, "the V1 shape", np_shape=False)
    else:
        shape = _read_v0_shape(reader, ndim=magic, start=start)
    if not shape:
        raise _none_array(reader, start)
    _read_context(reader)
    dtype = _read_dtype(reader, "the type flag")
    return _read_data(reader, dtype, shape, "the array data")


def _read_v2(reader, np_shape, start):
    stype = reader.i32("the storage type")
    if stype not in (STYPE_DEFAULT, STYPE_ROW_SPARSE, STYPE_CSR):
        raise reader.fail(f"unknown storage type {stype} (expected 0 dense, 1 row_sparse or "
                          "2 csr)", at=reader.pos - 4)
    sparse = stype != STYPE_DEFAULT
    if sparse and np_shape:
        raise reader.fail("a V3 (NumPy-shape) record cannot hold a sparse array",
                          at=reader.pos - 4)
    storage_shape = _read_shape(reader, "the storage shape", np_shape) if sparse else None
    shape = _read_shape(reader, "the shape", np_shape)
    if shape is None or (not np_shape and not shape):
        raise _none_array(reader, start)
    _read_context(reader)
    dtype = _read_dtype(reader, "the type flag")
    if not sparse:
        return _read_data(reader, dtype, shape, "the array data")
    name = STYPE_NAMES[stype]
    aux_specs = []
    for aux_name in AUX_NAMES[name]:
        aux_dtype = _read_dtype(reader, f"the {aux_name} type flag")
        aux_shape = _read_shape(reader, f"the {aux_name} shape", False)
        if aux_shape is None:
            raise reader.fail(f"the {aux_name} shape is unknown")
        aux_specs.append((aux_name, aux_dtype, aux_shape))
    if storage_shape is None:
        raise reader.fail("the storage shape is unknown")
    data = _read_data(reader, dtype, storage_shape, "the stored values")
    aux = tuple(_read_data(reader, d, s, f"the {n} array") for n, d, s in aux_specs)
    _check_sparse(reader, name, shape, data, aux, start)
    return SparseRecord(name, shape, data, aux)


def _none_array(reader, start):
    # MXNet writes a record that stops after the shape for an array with no shape ("none");
    # MXNet 1.9.1 itself fails to load such a record, so there is no value to give back.
    return reader.fail("the record holds an array without a shape (MXNet's 'none' array), "
                       "which has no value to load", at=start)


def _read_shape(reader, label, np_shape):
    """TShape: i32 ndim + ndim i64 dims. Returns None for an unknown shape."""
    at = reader.pos
    ndim = reader.i32(f"{label} (ndim)")
    if ndim == -1 and np_shape:
        return None
    if ndim < 0:
        raise reader.fail(f"{label} has ndim {ndim}", at=at)
    reader.need(8 * ndim, f"{label} ({ndim} dims)")
    dims = struct.unpack(f"<{ndim}q", reader.take(8 * ndim, label))
    if any(d < 0 for d in dims):
        if np_shape and all(d >= -1 for d in dims):
            return None
        raise reader.fail(f"{label} {dims} has a negative dimension", at=at)
    return dims


def _read_v0_shape(reader, ndim, start):
    # NOTE: the oldest records have no magic: the first word is ndim, dims are uint32.
    label = f"the legacy V0 shape (first word 0x{ndim:x} read as ndim, no known magic)"
    reader.need(4 * ndim, f"{label}, {ndim} dims")
    return struct.unpack(f"<{ndim}I", reader.take(4 * ndim, label))


def _read_context(reader):
    # NOTE: the saved device is ignored: arrays load to the CPU (the caller moves them).
    reader.take(8, "the context (dev_type, dev_id)")


def _read_dtype(reader, label):
    at = reader.pos
    flag = reader.i32(label)
    dtype = FLAG_TO_TORCH.get(flag)
    if dtype is None:
        raise reader.fail(f"unknown type flag {flag} (MXNet defines 0..12)", at=at)
    return dtype


def _read_data(reader, dtype, shape, label):
    count, span = 1, 1
    for d in shape:
        count *= d
        span *= max(d, 1)
    if span * dtype.itemsize >= _MAX_BYTES:  # even a zero-size array cannot have such dims
        raise reader.fail(f"{label} has the impossible shape {tuple(shape)}")
    nbytes = count * dtype.itemsize
    reader.need(nbytes, f"{label} ({TORCH_TO_NAME[dtype]}, shape {tuple(shape)})")
    raw = reader.take(nbytes, label)
    return tensor_from_bytes(raw, dtype, shape)


def tensor_from_bytes(raw, dtype, shape):
    """A new CPU tensor of ``dtype``/``shape`` from little-endian raw element bytes."""
    if dtype is torch.bool:
        host = np.frombuffer(raw, dtype=np.uint8) != 0  # any nonzero byte is True
        return torch.from_numpy(host.reshape(shape))
    if dtype is torch.bfloat16:
        host = np.frombuffer(raw, dtype="<u2").astype(np.uint16)
        return torch.from_numpy(host.view(np.int16).reshape(shape)).view(torch.bfloat16)
    np_type = np.dtype(TORCH_TO_NAME[dtype]).newbyteorder("<")
    host = np.frombuffer(raw, dtype=np_type).astype(np_type.newbyteorder("="))
    return torch.from_numpy(host.reshape(shape))


def _check_sparse(reader, stype, shape, data, aux, start):
    """Refuse parts that do not describe a valid array of ``shape`` (they would index out of
    bounds when densified)."""
    problem = _parts_problem(stype, shape, data, aux)
    if problem:
        raise reader.fail(f"invalid {stype} array of shape {tuple(shape)}: {problem}", at=start)


def _parts_problem(stype, shape, data, aux):
    for part in aux:
        if part.dtype.is_floating_point or part.dtype in (torch.bool, torch.bfloat16):
            return f"index arrays must have an integer type, got {TORCH_TO_NAME[part.dtype]}"
    return sparse_problem(stype, shape, data, aux)


def sparse_problem(stype, shape, data, aux):
    """Why ``data``/``aux`` are not a valid sparse array of ``shape`` (None when valid)."""
    if stype == "csr":
        if len(shape) != 2:
            return f"csr arrays are 2-D, got shape {tuple(shape)}"
        indptr, indices = (a.reshape(-1).to(torch.int64) for a in aux)
        rows, cols = shape
        if aux[0].dim() != 1 or indptr.numel() != rows + 1:
            return f"indptr has shape {tuple(aux[0].shape)}, expected ({rows + 1},)"
        if aux[1].dim() != 1 or data.dim() != 1 or indices.numel() != data.numel():
            return (f"indices {tuple(aux[1].shape)} and data {tuple(data.shape)} must be 1-D "
                    "of the same length")
        if (int(indptr[0]) != 0 or int(indptr[-1]) != indices.numel()
                or bool((indptr[1:] < indptr[:-1]).any())):
            return "indptr must start at 0, never decrease, and end at the number of values"
        if indices.numel() and (int(indices.min()) < 0 or int(indices.max()) >= cols):
            return f"a column index lies outside [0, {cols})"
        return None
    if len(shape) < 1:
        return "row_sparse arrays need at least one dimension"
    indices = aux[0].to(torch.int64)
    if indices.dim() != 1 or tuple(data.shape) != (indices.numel(),) + tuple(shape[1:]):
        return (f"indices {tuple(indices.shape)} and data {tuple(data.shape)} do not match "
                f"shape {tuple(shape)} (data must be (len(indices),) + shape[1:])")
    if indices.numel() and (int(indices.min()) < 0 or int(indices.max()) >= shape[0]):
        return f"a row index lies outside [0, {shape[0]})"
    return None


def sparse_to_dense(stype, shape, data, aux):
    """Dense tensor of a sparse array's parts (repeated positions add up, as in scipy)."""
    nbytes = data.dtype.itemsize
    for d in shape:
        nbytes *= d
    try:
        if nbytes >= _MAX_BYTES:
            raise RuntimeError("size beyond any memory")
        out = torch.zeros(tuple(shape), dtype=data.dtype, device=data.device)
    except RuntimeError as err:  # allocation failure (torch raises RuntimeError)
        # NOTE: only asked for when a sparse record must become a dense array.
        raise MXNetError(f"cannot hold the {stype} array of shape {tuple(shape)} "
                         f"({nbytes} bytes when dense): {str(err).splitlines()[0]}") from None
    if data.numel() == 0:
        return out
    accumulate = data.dtype is not torch.bool
    if stype == "csr":
        indptr, indices = aux
        counts = (indptr[1:] - indptr[:-1]).to(torch.int64)
        rows = torch.repeat_interleave(torch.arange(shape[0], device=data.device), counts)
        out.index_put_((rows, indices.to(torch.int64)), data, accumulate=accumulate)
    else:
        out.index_put_((aux[0].to(torch.int64),), data, accumulate=accumulate)
    return out


# ---- MXNet 2.x: .npy / .npz -----------------------------------------------------------------


def _read_npz(buf, source):
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(buf)))
        members = [info.filename for info in archive.infolist()]
    except _ZIP_ERRORS as err:
        raise MXNetError(f"cannot load {source!r}: corrupt .npz (ZIP) file: {err}") from None
    arrays = {}
    for member in members:
        if not member.endswith(".npy"):
            raise MXNetError(f"cannot load {source!r}: .npz member {member!r} is not a .npy file")
        try:
            payload = archive.read(member)
        except _ZIP_ERRORS as err:
            raise MXNetError(f"cannot load {source!r}: .npz member {member!r} cannot be read: "
                             f"{err}") from None
        arrays[member[:-4]] = payload
    names, items = [], []
    groups = {}
    for key in arrays:
        group, _, part = key.rpartition("/")
        if group and f"{group}/format" in arrays:
            groups.setdefault(group, {})[part] = key
            if group not in names:
                names.append(group)
                items.append(None)
            continue
        names.append(key)
        items.append(_read_npy(arrays[key], source, f"member {key}.npy"))
    for i, name in enumerate(names):
        if items[i] is None:
            items[i] = _read_sparse_group(arrays, groups[name], name, source)
    return items, names


# zipfile raises these for damaged archives (zlib.error for a broken deflate stream,
# NotImplementedError for a garbled version/compression field, RuntimeError for encryption)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError,
               EOFError, NotImplementedError, RuntimeError)


def _read_sparse_group(arrays, parts, name, source):
    # NOTE: MXNet 2.x stores a sparse array as <name>/{data,indices,indptr,shape,format}.npy.
    def part(key, strings=False):
        if key not in parts:
            raise MXNetError(f"cannot load {source!r}: sparse array {name!r} lacks {key}.npy")
        return _read_npy(arrays[parts[key]], source, f"member {name}/{key}.npy", strings)
    fmt = np.asarray(part("format", strings=True)).reshape(-1)
    fmt = str(fmt[0]) if fmt.size == 1 else None
    if fmt not in AUX_NAMES:
        raise MXNetError(f"cannot load {source!r}: sparse array {name!r} has unknown format "
                         f"{fmt!r}")
    shape = part("shape")
    if shape.dtype.is_floating_point or shape.dim() != 1 or bool((shape < 0).any()):
        raise MXNetError(f"cannot load {source!r}: sparse array {name!r} has an invalid shape "
                         f"{shape.tolist()}")
    shape = tuple(int(d) for d in shape.tolist())
    data = part("data")
    aux = tuple(part(aux_name) for aux_name in AUX_NAMES[fmt])
    problem = _parts_problem(fmt, shape, data, aux)
    if problem:
        raise MXNetError(f"cannot load {source!r}: sparse array {name!r} of shape {shape} is "
                         f"invalid: {problem}")
    return SparseRecord(fmt, shape, data, aux)


def _read_npy(buf, source, what, strings=False):
    reader = _Reader(buf, source)
    reader.what = what
    reader.take(6, "the .npy magic")
    major = reader.unpack("<B", "the .npy version")
    reader.unpack("<B", "the .npy version")
    if major == 1:
        header_len = reader.unpack("<H", "the .npy header length")
    elif major in (2, 3):
        header_len = reader.u32("the .npy header length")
    else:
        raise reader.fail(f"unsupported .npy format version {major}", at=6)
    at = reader.pos
    raw = bytes(reader.take(header_len, "the .npy header"))
    try:
        header = ast.literal_eval(raw.decode("utf-8" if major == 3 else "latin1"))
        descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
        shape = tuple(int(d) for d in shape)
    except (ValueError, SyntaxError, KeyError, TypeError, UnicodeDecodeError):
        raise reader.fail(f"unreadable .npy header {raw[:80]!r}", at=at) from None
    if any(d < 0 for d in shape) or \
            int(np.prod([max(d, 1) for d in shape], dtype=object)) >= _MAX_BYTES:
        raise reader.fail(f"impossible .npy shape {shape}", at=at)
    np_type = _npy_dtype(reader, descr, strings, at)
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    nbytes = count * np_type.itemsize
    data = reader.take(nbytes, f"the .npy data ({descr}, shape {shape})")
    if np_type.kind == "U":
        return np.frombuffer(data, dtype=np_type).reshape(shape)
    if descr in ("<b2", "|b2"):  # MXNet 2.x's bfloat16 marker
        return tensor_from_bytes(data, torch.bfloat16, shape)
    host = np.frombuffer(data, dtype=np_type)
    host = host.reshape(shape, order="F" if fortran else "C")
    host = np.ascontiguousarray(host.astype(np_type.newbyteorder("="), copy=False))
    if np_type.kind == "b":
        host = host.view(np.uint8) != 0
    return torch.from_numpy(host.copy())


def _npy_dtype(reader, descr, strings, at):
    if descr in ("<b2", "|b2"):
        return np.dtype("<u2")
    try:
        np_type = np.dtype(descr)
    except (TypeError, ValueError):
        raise reader.fail(f"unsupported .npy dtype {descr!r}", at=at) from None
    if strings and np_type.kind == "U":
        return np_type
    if np_type.fields is not None or np_type.name not in _NPY_NAMES:
        raise reader.fail(f".npy dtype {descr!r} has no MXNet equivalent", at=at)
    return np_type


_NPY_NAMES = frozenset(n for n in (TORCH_TO_NAME[t] for t in TORCH_TO_FLAG) if n != "bfloat16")


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


def dumps(items, names=None, np_shape=None):
    """Bytes of an NDArray list file as MXNet 1.9.1 writes it.

    ``items``: NDArrays (dense or sparse), or torch tensors (saved as on cpu(0)).
    ``np_shape``: True writes V3 records (MXNet's NumPy-shape mode), False V2; None (default)
    writes V3 when NumPy shape semantics are on (as MXNet does), else V2 unless an array is
    0-d, which only V3 can hold.
    """
    items = list(items)
    if names is not None:
        names = list(names)
        if len(names) != len(items):
            raise MXNetError(f"dumps: {len(items)} arrays but {len(names)} names")
    if np_shape is None:
        np_shape = _MODE.np_shape or any(_item_ndim(x) == 0 for x in items)
    out = [struct.pack("<QQQ", LIST_MAGIC, 0, len(items))]
    for item in items:
        _write_record(out, item, np_shape)
    out.append(struct.pack("<Q", len(names or ())))
    for name in names or ():
        raw = name.encode("utf-8")
        out.append(struct.pack("<Q", len(raw)))
        out.append(raw)
    return b"".join(out)


def dumps_array(item, np_shape=None):
    """One array record, no list header (what ``MXNDArraySaveRawBytes`` gives MXNet's pickle).

    Returns a bytearray, as MXNet's ``__getstate__`` does (its ``__setstate__`` needs a
    writable buffer)."""
    if np_shape is None:
        np_shape = _MODE.np_shape or _item_ndim(item) == 0
    out = []
    _write_record(out, item, np_shape)
    return bytearray(b"".join(out))


def _item_ndim(item):
    t = item if isinstance(item, torch.Tensor) else getattr(item, "_t", None)
    return t.dim() if t is not None else -1


def _write_record(out, item, np_shape):
    record = getattr(item, "_sparse_record", None)
    if record is not None:
        if np_shape:
            raise MXNetError("sparse arrays cannot be saved with NumPy shape semantics (V3); "
                             "MXNet allows only dense arrays there")
        _write_sparse(out, record(), _context_of(item))
        return
    t = item if isinstance(item, torch.Tensor) else getattr(item, "_t", None)
    if t is None:
        raise TypeError(f"cannot save a {type(item).__name__}; expected an NDArray")
    if t.dim() == 0 and not np_shape:
        raise MXNetError("a 0-d array can only be saved with NumPy shape semantics (V3)")
    out.append(struct.pack("<Ii", V3_MAGIC if np_shape else V2_MAGIC, STYPE_DEFAULT))
    out.append(_shape_bytes(t.shape))
    dev_type, dev_id = _context_of(item)
    out.append(struct.pack("<iii", dev_type, dev_id, _flag(t.dtype)))
    out.append(tensor_bytes(t))


def _write_sparse(out, record, ctx):
    out.append(struct.pack("<Ii", V2_MAGIC, STYPE_IDS[record.stype]))
    out.append(_shape_bytes(record.data.shape))
    out.append(_shape_bytes(record.shape))
    out.append(struct.pack("<iii", ctx[0], ctx[1], _flag(record.data.dtype)))
    for aux in record.aux:
        out.append(struct.pack("<i", _flag(aux.dtype)))
        out.append(_shape_bytes(aux.shape))
    out.append(tensor_bytes(record.data))
    for aux in record.aux:
        out.append(tensor_bytes(aux))


def _context_of(item):
    # NOTE: MXNet records the array's own device (cpu(1) writes dev_id 1, a GPU array writes
    # dev_type 2); plain tensors count as cpu(0).
    ctx = getattr(item, "_ctx", None)
    if ctx is None:
        return _CPU
    return ctx.device_typeid, ctx.device_id


def _shape_bytes(shape):
    return struct.pack(f"<i{len(shape)}q", len(shape), *shape)


def _flag(dtype):
    flag = TORCH_TO_FLAG.get(dtype)
    if flag is None:
        raise DTypeError(f"cannot save dtype {dtype}: MXNet files hold only "
                         f"{sorted(TORCH_TO_NAME.values())}")
    return flag


def tensor_bytes(t):
    """Raw little-endian element bytes of a tensor (row-major, on the CPU)."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.contiguous()
    if t.dtype is torch.bfloat16:
        t = t.view(torch.int16)
    host = t.numpy()
    if sys.byteorder != "little":
        host = host.astype(host.dtype.newbyteorder("<"))
    return host.tobytes()
