"""The iterators MXNet implements in C++ (CSVIter, MNISTIter, LibSVMIter), here in Python
behind the same ``MXDataIter`` front: a source of examples plus MXNet's batching rules.

Batching (MXNet's BatchLoader): with ``round_batch`` the last batch is completed from the
start of the data and the next epoch begins after the examples borrowed; without it the
missing slots keep the previous batch's content (zeros before any) and ``pad`` counts them.
"""
import gzip
import logging
import struct

import numpy as np

from ..base import MXNetError
from ..ndarray import array
from ..ndarray.sparse import csr_matrix

__all__ = ["MXDataIter", "CSVIter", "MNISTIter", "LibSVMIter", "ImageDetRecordIter"]


class MXDataIter:
    """Front of a natively batched iterator (``handle``: the batch source).

    The first batch is read at construction to learn ``provide_data``/``provide_label``.

    Parameters
    ----------
    handle : batch source
    data_name, label_name : str
    """

    def __init__(self, handle, data_name="data", label_name="softmax_label", **_):
        from .io import DataDesc
        self.handle = handle
        self._debug_skip_load = False
        self._debug_at_begin = True
        self.first_batch = None
        self.first_batch = self.next()
        data, label = self.first_batch.data[0], self.first_batch.label[0]
        self.provide_data = [DataDesc(data_name, data.shape, data.dtype)]
        self.provide_label = [DataDesc(label_name, label.shape, label.dtype)]
        self.batch_size = data.shape[0]

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def debug_skip_load(self):
        """Keep returning the current batch without reading new data (speed tests)."""
        self._debug_skip_load = True
        logging.info("Set debug_skip_load to be true, will simply return first batch")

    def reset(self):
        self._debug_at_begin = True
        self.first_batch = None
        self.handle.before_first()

    def next(self):
        from .io import DataBatch
        if self._debug_skip_load and not self._debug_at_begin:
            return self._batch(DataBatch)
        if self.first_batch is not None:
            batch, self.first_batch = self.first_batch, None
            return batch
        self._debug_at_begin = False
        if not self.handle.next():
            raise StopIteration
        return self._batch(DataBatch)

    def _batch(self, batch_class):
        return batch_class(data=[self.getdata()], label=[self.getlabel()], pad=self.getpad(),
                           index=self.getindex())

    def iter_next(self):
        if self.first_batch is not None:
            return True
        return bool(self.handle.next())

    def getdata(self):
        return self.handle.data()

    def getlabel(self):
        return self.handle.label()

    def getindex(self):
        return self.handle.index()

    def getpad(self):
        return self.handle.pad()


class _BatchSource:
    """Batches of ``batch_size`` examples from ``examples`` (an object with ``count`` and
    ``take(rows, filled)``), with MXNet's round_batch/padding rules or ``drop_last``."""

    def __init__(self, name, examples, batch_size, round_batch=True, drop_last=False,
                 index=True):
        if int(batch_size) <= 0:
            raise MXNetError(f"{name}: batch_size must be positive, got {batch_size}")
        self.name, self.examples, self.batch_size = name, examples, int(batch_size)
        self.round_batch, self.drop_last, self.with_index = round_batch, drop_last, index
        self.rows = np.full(self.batch_size, -1, np.int64)
        self.pos = self.overflow = self._pad = 0
        self.current = None

    def before_first(self):
        self.pos, self.overflow = (self.overflow if self.round_batch else 0), 0

    def next(self):
        count, bs = self.examples.count, self.batch_size
        if self.pos >= count or (self.drop_last and self.pos + bs > count):
            return False
        got = min(bs, count - self.pos)
        self.rows[:got] = np.arange(self.pos, self.pos + got)
        self._pad = bs - got
        if got < bs and self.round_batch:
            if self._pad > count:
                raise MXNetError(f"{self.name}: number of input must be bigger than batch "
                                 f"size ({count} examples, batch_size {bs})")
            self.rows[got:] = np.arange(self._pad)
            self.overflow = self._pad
        self.pos += bs
        self.current = self.examples.take(np.maximum(self.rows, 0), self.rows >= 0)
        return True

    def data(self):
        return self.current[0]

    def label(self):
        return self.current[1]

    def pad(self):
        return self._pad

    def index(self):
        if not self.with_index:
            return np.zeros(self.batch_size, np.uint64)
        return np.maximum(self.rows, 0).astype(np.uint64)


class _DenseExamples:
    """Examples held as dense arrays (rows of ``data`` and ``label``)."""

    def __init__(self, data, label):
        self.data, self.label, self.count = data, label, data.shape[0]

    def take(self, rows, filled):
        data, label = self.data[rows], self.label[rows]
        data[~filled] = 0
        label[~filled] = 0
        return array(data, dtype=data.dtype), array(label, dtype=label.dtype)


def _shape(value, what, name):
    shape = (value,) if isinstance(value, (int, np.integer)) else tuple(int(v) for v in value)
    if not shape or any(d <= 0 for d in shape):
        raise MXNetError(f"{name}: {what} must be a non-empty shape of positive sizes, got "
                         f"{value}")
    return shape


def _dtype(dtype, name):
    dtype = np.dtype("float32" if dtype in (None, "None") else dtype)
    allowed = ("float16", "float32", "float64", "int32", "int64", "int8", "uint8")
    if dtype.name not in allowed:
        raise MXNetError(f"{name}: dtype must be one of {allowed}, got {dtype}")
    return dtype


def _read_csv(path, width, what, name):
    """Rows of a CSV file of numbers, each of ``width`` values."""
    try:
        with open(path) as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
    except OSError as err:
        raise MXNetError(f"{name}: cannot read {what} file {path!r}: {err}") from err
    rows = []
    for number, line in enumerate(lines, 1):
        values = [v for v in line.replace(",", " ").split()]
        if len(values) != width:
            raise MXNetError(f"{name}: the data size in CSV do not match size of shape: "
                             f"{what} {path!r} line {number} has {len(values)} values, the "
                             f"shape needs {width}")
        rows.append(values)
    try:
        return np.array(rows, dtype=np.float64).reshape(len(rows), width)
    except ValueError as err:
        raise MXNetError(f"{name}: {what} {path!r} holds a value that is not a number: "
                         f"{err}") from err


def _label_shape(label_shape, batch_size):
    return (batch_size,) if tuple(label_shape) == (1,) else (batch_size,) + tuple(label_shape)


def _required(name, **values):
    missing = [k for k, v in values.items() if v is None]
    if missing:
        raise MXNetError(f"{name}: required parameter(s) {', '.join(missing)} not given")


def CSVIter(data_csv=None, data_shape=None, batch_size=None, label_csv="NULL", label_shape=(1,),
            round_batch=True, dtype=None, data_name="data", label_name="softmax_label",
            **kwargs):
    """Iterate over a CSV file of numbers, one example a row.

    Parameters
    ----------
    data_csv : str
        Path of the data CSV.
    data_shape : tuple
        Shape of one example (a row holds ``prod(data_shape)`` values).
    batch_size : int
    label_csv : str, default 'NULL'
        Path of the label CSV; without it labels are zeros.
    label_shape : tuple, default (1,)
    round_batch : bool, default True
        Complete the last batch from the start (see module docstring).
    dtype : {'float32', 'int32', 'int64', ...}, optional
    """
    name = "CSVIter"
    _required(name, data_csv=data_csv, data_shape=data_shape, batch_size=batch_size)
    data_shape, label_shape = _shape(data_shape, "data_shape", name), \
        _shape(label_shape, "label_shape", name)
    dtype = _dtype(dtype, name)
    data = _read_csv(data_csv, int(np.prod(data_shape)), "data_csv", name)
    if label_csv in (None, "NULL"):
        label = np.zeros((data.shape[0], int(np.prod(label_shape))))
    else:
        label = _read_csv(label_csv, int(np.prod(label_shape)), "label_csv", name)
        if label.shape[0] != data.shape[0]:
            raise MXNetError(f"{name}: {data.shape[0]} data rows but {label.shape[0]} label "
                             "rows")
    examples = _DenseExamples(data.astype(dtype).reshape((-1,) + data_shape),
                              label.astype(dtype).reshape(_label_shape(label_shape, -1)))
    source = _BatchSource(name, examples, batch_size, bool(round_batch))
    return MXDataIter(source, data_name=data_name, label_name=label_name)


def _open(path, what):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as err:
        raise MXNetError(f"MNISTIter: cannot read {what} file {path!r}: {err}") from err
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def _read_idx(path, what, magic, dims):
    raw = _open(path, what)
    header = 4 * (1 + dims)
    if len(raw) < header or struct.unpack(">I", raw[:4])[0] != magic:
        raise MXNetError(f"MNISTIter: {what} file {path!r} is not an IDX file with magic "
                         f"{magic} (MNIST {'images' if dims == 3 else 'labels'})")
    shape = struct.unpack(f">{dims}I", raw[4:header])
    size = int(np.prod(shape))
    if len(raw) - header < size:
        raise MXNetError(f"MNISTIter: {what} file {path!r} is truncated: header says "
                         f"{shape}, {len(raw) - header} bytes of {size} present")
    return np.frombuffer(raw, np.uint8, size, header).reshape(shape)


def MNISTIter(image="./train-images-idx3-ubyte", label="./train-labels-idx1-ubyte",
              batch_size=128, shuffle=True, flat=False, seed=0, silent=False, num_parts=1,
              part_index=0, data_name="data", label_name="softmax_label", **kwargs):
    """Iterate over MNIST IDX files (raw or gzip); pixels are scaled by 1/256.

    Parameters
    ----------
    image, label : str
        Paths of the IDX image (magic 2051) and label (2049) files.
    batch_size : int
    shuffle : bool, default True
        Shuffle once, with ``seed``.
    flat : bool
        Examples of shape (rows*cols,) instead of (1, rows, cols).
    seed : int
    silent : bool
        Do not log the loading summary.
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts`` equal parts.
    """
    images = _read_idx(image, "image", 2051, 3)
    labels = _read_idx(label, "label", 2049, 1)
    if images.shape[0] != labels.shape[0]:
        raise MXNetError(f"MNISTIter: {images.shape[0]} images but {labels.shape[0]} labels")
    if not 0 <= part_index < num_parts:
        raise MXNetError(f"MNISTIter: part_index {part_index} is out of range for num_parts "
                         f"{num_parts}")
    n = images.shape[0]
    lo, hi = n * part_index // num_parts, n * (part_index + 1) // num_parts
    images, labels = images[lo:hi], labels[lo:hi]
    if shuffle:
        order = np.random.RandomState(seed).permutation(images.shape[0])
        images, labels = images[order], labels[order]
    shape = (-1, images.shape[1] * images.shape[2]) if flat else (-1, 1) + images.shape[1:]
    data = (images.astype(np.float32) / 256).reshape(shape)
    if not silent:
        logging.info("MNISTIter: load %d images, shuffle=%d, shape=%s", data.shape[0],
                     int(bool(shuffle)), (batch_size,) + data.shape[1:])
    examples = _DenseExamples(data, labels.astype(np.float32))
    source = _BatchSource("MNISTIter", examples, batch_size, drop_last=True, index=False)
    return MXDataIter(source, data_name=data_name, label_name=label_name)


class _SparseExamples:
    """LibSVM examples: csr rows of data; dense labels, or csr ones when they come from a
    label file (``sparse_label``)."""

    sparse_label = False

    def __init__(self, indptr, indices, values, label, width):
        self.indptr, self.indices, self.values = indptr, indices, values
        self.label, self.width, self.count = label, width, len(indptr) - 1

    def take(self, rows, filled):
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        ends = np.where(filled, ends, starts)
        pick = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)]).astype(np.int64)
        indptr = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64)
        data = csr_matrix((self.values[pick], self.indices[pick], indptr),
                          shape=(len(rows), self.width), dtype=self.values.dtype)
        label = self.label[rows]
        label[~filled] = 0
        if self.sparse_label:
            return data, csr_matrix(label.reshape(len(rows), -1), dtype=label.dtype)
        return data, array(label, dtype=label.dtype)


def _read_libsvm(path, width, what):
    try:
        with open(path) as f:
            lines = [ln.split() for ln in f if ln.strip()]
    except OSError as err:
        raise MXNetError(f"LibSVMIter: cannot read {what} file {path!r}: {err}") from err
    labels, indptr, indices, values = [], [0], [], []
    for number, tokens in enumerate(lines, 1):
        labels.append(float(tokens[0]))
        for token in tokens[1:]:
            key, _, val = token.partition(":")
            if int(key) >= width or int(key) < 0:
                raise MXNetError(f"LibSVMIter: {what} {path!r} line {number}: feature index "
                                 f"{key} is outside data_shape ({width} features)")
            indices.append(int(key))
            values.append(float(val))
        indptr.append(len(indices))
    return (np.array(indptr, np.int64), np.array(indices, np.int64),
            np.array(values, np.float32), np.array(labels, np.float32))


def _text_part(path, num_parts, part_index):
    """Rows [lo, hi) of part ``part_index`` of a text file, split as MXNet's line splitter:
    ceil(size / num_parts) bytes per part; a part holds the lines starting after its first
    byte up to its last byte (part 0 starts at the first line)."""
    if not 0 <= part_index < num_parts:
        raise MXNetError(f"LibSVMIter: part_index must be in [0, {num_parts}), got "
                         f"{part_index}")
    with open(path, "rb") as f:
        raw = f.read()
    starts, pos = [], 0
    for line in raw.splitlines(keepends=True):
        if line.strip():
            starts.append(pos)
        pos += len(line)
    step = -(-len(raw) // num_parts)
    starts = np.array(starts, np.int64)

    def first_row(k):
        return 0 if k == 0 else int(np.searchsorted(starts, step * k, side="right"))
    return first_row(part_index), first_row(part_index + 1) if part_index + 1 < num_parts \
        else len(starts)


def LibSVMIter(data_libsvm=None, data_shape=None, batch_size=None, label_libsvm="NULL",
               label_shape=(1,), num_parts=1, part_index=0, round_batch=True, data_name="data",
               label_name="softmax_label", **kwargs):
    """Iterate over a LibSVM file (``label idx:value ...``, zero-based indices), giving CSR
    data batches.

    Parameters
    ----------
    data_libsvm : str
    data_shape : tuple
        ``(num_features,)``.
    batch_size : int
    label_libsvm : str, default 'NULL'
        A second LibSVM file holding multi-dimensional labels (dense ``label_shape``).
    label_shape : tuple, default (1,)
    num_parts, part_index : int
    round_batch : bool, default True
    """
    _required("LibSVMIter", data_libsvm=data_libsvm, data_shape=data_shape,
              batch_size=batch_size)
    width = _shape(data_shape, "data_shape", "LibSVMIter")[0]
    indptr, indices, values, label = _read_libsvm(data_libsvm, width, "data_libsvm")
    if label_libsvm not in (None, "NULL"):
        label_width = int(np.prod(_shape(label_shape, "label_shape", "LibSVMIter")))
        lp, li, lv, _ = _read_libsvm(label_libsvm, label_width, "label_libsvm")
        label = np.zeros((len(lp) - 1, label_width), np.float32)
        label[np.repeat(np.arange(len(lp) - 1), np.diff(lp)), li] = lv
        label = label.reshape(_label_shape(label_shape, -1))
    lo, hi = _text_part(data_libsvm, int(num_parts), int(part_index))
    indptr, label = indptr[lo:hi + 1], label[lo:hi]
    keep = slice(indptr[0], indptr[-1])
    examples = _SparseExamples(indptr - indptr[0], indices[keep], values[keep], label, width)
    examples.sparse_label = label_libsvm not in (None, "NULL")
    source = _BatchSource("LibSVMIter", examples, batch_size, bool(round_batch))
    return MXDataIter(source, data_name=data_name, label_name=label_name)


def _needs_image(name):
    def creator(*args, **kwargs):
        raise MXNetError(f"mx.io.{name} (detection records and augmenters) is not "
                         "provided by mxtorch yet; use mx.image.ImageDetIter (mx.image) or "
                         "gluon.data.vision.ImageRecordDataset with a DataLoader")
    creator.__name__ = creator.__qualname__ = name
    creator.__doc__ = f"``{name}``: image RecordIO iterator (needs mx.image)."
    return creator


ImageDetRecordIter = _needs_image("ImageDetRecordIter")
