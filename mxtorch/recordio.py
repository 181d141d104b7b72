"""RecordIO: MXNet's (dmlc's) record file format, read and written in pure Python.

A record file is a sequence of parts. Each part is ``uint32 magic (0xced7230a)``, ``uint32
(cflag << 29 | length)``, ``length`` payload bytes and zero padding up to a multiple of 4.
A payload that holds the magic at a 4-byte aligned offset is written as several parts
(cflag 1 = first, 2 = middle, 3 = last) with each such magic left out; the reader puts it
back. A whole record in one part has cflag 0. An index file (``.idx``) holds one
``key<TAB>offset`` line per record, in write order.
"""
import numbers
import os
import struct
from collections import namedtuple
from multiprocessing import current_process  # noqa: F401

import numpy as np

from .base import MXNetError


_MAGIC = 0xced7230a
_MAGIC_BYTES = struct.pack("<I", _MAGIC)
_HEAD = struct.Struct("<II")
_LEN_MASK = (1 << 29) - 1
_BUFFER = 1 << 20

RecordIOHandle = object  # MXNet's ctypes handle type; here a handle is a Python file object


def _padding(length):
    return (-length) & 3


def _frame(cflag, chunk):
    return b"".join((_HEAD.pack(_MAGIC, (cflag << 29) | len(chunk)), chunk,
                     b"\0" * _padding(len(chunk))))


def _encode(buf):
    """Bytes of one record: split at every 4-byte aligned magic in ``buf``."""
    size = len(buf)
    if size >= 1 << 29:
        raise MXNetError("MXRecordIO.write: a record holds at most 2**29 - 1 bytes, got %d"
                         % size)
    cuts, pos = [], buf.find(_MAGIC_BYTES)
    while pos != -1:
        if pos % 4 == 0:
            cuts.append(pos)
            pos = buf.find(_MAGIC_BYTES, pos + 4)
        else:
            pos = buf.find(_MAGIC_BYTES, pos + 1)
    if not cuts:
        return _frame(0, buf)
    parts, start = [], 0
    for i, cut in enumerate(cuts):
        parts.append(_frame(1 if i == 0 else 2, buf[start:cut]))
        start = cut + 4
    parts.append(_frame(3, buf[start:]))
    return b"".join(parts)


class _ModeError(MXNetError, AssertionError):
    """A read on a writer or a write on a reader (MXNet asserts the mode: an AssertionError
    too)."""


class MXRecordIO(object):
    """Reads or writes a RecordIO file record by record.

    Parameters
    ----------
    uri : str
        Path to the record file.
    flag : str
        ``'r'`` to read, ``'w'`` to write (the file is truncated).

    Examples
    --------
    >>> with mx.recordio.MXRecordIO('tmp.rec', 'w') as w:
    ...     w.write(b'record_0')
    >>> r = mx.recordio.MXRecordIO('tmp.rec', 'r')
    >>> r.read()
    b'record_0'
    """

    def __init__(self, uri, flag):
        self.uri = os.fspath(uri)
        self.flag = flag
        self.handle = None
        self.pid = None
        self.is_open = False
        self.writable = None
        self.open()

    def open(self):
        """Opens the file (again), positioned at its start."""
        if self.flag == "w":
            self.writable = True
            mode = "wb"
        elif self.flag == "r":
            self.writable = False
            mode = "rb"
        else:
            raise ValueError("Invalid flag %s" % self.flag)
        try:
            self.handle = open(self.uri, mode, buffering=_BUFFER)
        except OSError as err:
            raise MXNetError("MXRecordIO: cannot open %r for %s: %s" % (
                self.uri, "writing" if self.writable else "reading", err.strerror)) from err
        self.pid = os.getpid()
        self.is_open = True

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def __getstate__(self):
        """Pickles the path and mode; the copy reopens the file at its start."""
        state = dict(self.__dict__)
        state["handle"] = None
        if "fidx" in state:
            state["fidx"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        was_open, self.is_open = state["is_open"], False
        if was_open:
            self.open()

    def _check_pid(self, allow_reset=False):
        """Reopens the file in a forked process (readers) or refuses (writers)."""
        if self.pid == os.getpid():
            return
        if allow_reset:
            self.reset()
        else:
            raise RuntimeError("Forbidden operation in multiple processes")

    def close(self):
        """Closes the file (flushing what was written)."""
        if not self.is_open:
            return
        self.handle.close()
        self.handle = None
        self.is_open = False
        self.pid = None

    def reset(self):
        """Closes and reopens the file: a reader starts over, a writer truncates."""
        self.close()
        self.open()

    def _require(self, writable, what):
        if not self.is_open:
            raise MXNetError("MXRecordIO.%s: %r is closed" % (what, self.uri))
        if self.writable != writable:
            raise _ModeError("MXRecordIO.%s: %r was opened with flag %r" % (
                what, self.uri, self.flag))

    def write(self, buf):
        """Appends one record.

        Parameters
        ----------
        buf : bytes
            The record's payload (bytes, bytearray or memoryview).
        """
        self._require(True, "write")
        self._check_pid(allow_reset=False)
        if isinstance(buf, str):
            raise TypeError("MXRecordIO.write expects bytes, got str (encode it first)")
        self.handle.write(_encode(bytes(buf)))

    def read(self):
        """Returns the next record as bytes, or None at the end of the file."""
        self._require(False, "read")
        self._check_pid(allow_reset=True)
        read, start, chunks = self.handle.read, self.handle.tell(), []
        while True:
            offset = self.handle.tell()
            head = read(8)
            if not head and not chunks:
                return None
            if len(head) < 8:
                self._corrupt(offset, "truncated part header (%d of 8 bytes)" % len(head))
            magic, lrec = _HEAD.unpack(head)
            if magic != _MAGIC:
                self._corrupt(offset, "bad magic 0x%08x (expected 0x%08x)" % (magic, _MAGIC))
            cflag, length = lrec >> 29, lrec & _LEN_MASK
            if (cflag in (0, 1)) != (not chunks):
                self._corrupt(offset, "part with continue flag %d out of order (record "
                                      "started at offset %d)" % (cflag, start))
            data = read(length + _padding(length))
            if len(data) < length:
                self._corrupt(offset, "truncated record: %d payload bytes announced, %d "
                                      "present" % (length, len(data)))
            chunks.append(data[:length] if len(data) != length else data)
            if cflag in (0, 3):
                return _MAGIC_BYTES.join(chunks) if len(chunks) > 1 else chunks[0]

    def _corrupt(self, offset, what):
        raise MXNetError("MXRecordIO: invalid RecordIO file %r at byte offset %d: %s"
                         % (self.uri, offset, what))

    def _tell(self):
        return self.handle.tell()

    def _seek(self, pos):
        self.handle.seek(pos)


class MXIndexedRecordIO(MXRecordIO):
    """Reads or writes a RecordIO file with an index for random access.

    Parameters
    ----------
    idx_path : str
        Path to the index file (``key<TAB>offset`` lines).
    uri : str
        Path to the record file.
    flag : str
        ``'r'`` to read, ``'w'`` to write.
    key_type : type, default int
        Converts the keys read from the index file.

    Examples
    --------
    >>> w = mx.recordio.MXIndexedRecordIO('tmp.idx', 'tmp.rec', 'w')
    >>> w.write_idx(3, b'record_3')
    >>> w.close()
    >>> mx.recordio.MXIndexedRecordIO('tmp.idx', 'tmp.rec', 'r').read_idx(3)
    b'record_3'
    """

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = os.fspath(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super(MXIndexedRecordIO, self).__init__(uri, flag)

    def open(self):
        super(MXIndexedRecordIO, self).open()
        self.idx = {}
        self.keys = []
        self.fidx = open(self.idx_path, self.flag)
        if not self.writable:
            for number, line in enumerate(self.fidx, 1):
                fields = line.strip().split("\t")
                if not line.strip():
                    continue
                if len(fields) < 2:
                    raise MXNetError("MXIndexedRecordIO: %s line %d: expected 'key<TAB>offset', "
                                     "got %r" % (self.idx_path, number, line.rstrip("\n")))
                key = self.key_type(fields[0])
                self.idx[key] = int(fields[1])
                self.keys.append(key)

    def close(self):
        """Closes the record and index files."""
        if not self.is_open:
            return
        super(MXIndexedRecordIO, self).close()
        self.fidx.close()
        self.fidx = None

    def seek(self, idx):
        """Positions the reader at the record with key ``idx``."""
        self._require(False, "seek")
        self._check_pid(allow_reset=True)
        pos = self.idx[idx]
        self._seek(pos)

    def tell(self):
        """Returns the writer's current byte offset."""
        self._require(True, "tell")
        self._check_pid(allow_reset=False)
        return self._tell()

    def read_idx(self, idx):
        """Returns the record with key ``idx``."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Appends a record under key ``idx`` (recorded in the index file)."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write("%s\t%d\n" % (str(key), pos))
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple("HEADER", ["flag", "label", "id", "id2"])
IRHeader.__doc__ = """Header of an image record: flag (number of labels when the label is an
array), label (float or array), id and id2 (uint64 record ids)."""

_IR_FORMAT = "IfQQ"
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """Packs an IRHeader and a payload into one record string.

    Parameters
    ----------
    header : IRHeader
        ``label`` may be a number or an array; an array is stored after the header and
        ``flag`` becomes its length.
    s : bytes
        The payload.

    Returns
    -------
    bytes
    """
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
        extra = b""
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        extra = label.tobytes()
    return struct.pack(_IR_FORMAT, *header) + extra + bytes(s)


def unpack(s):
    """Splits a record string into its IRHeader and payload.

    Returns
    -------
    header : IRHeader
    s : bytes
    """
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        label = np.frombuffer(s, np.float32, header.flag)
        header = header._replace(label=label.copy())
        s = s[header.flag * 4:]
    return header, s


try:
    import cv2
except ImportError:  # pack_img/unpack_img say what to install
    cv2 = None


def _cv2(what):
    if cv2 is None:
        raise ImportError("%s needs OpenCV: pip install opencv-python-headless" % what)
    return cv2


def unpack_img(s, iscolor=-1):
    """Splits an image record into its IRHeader and decoded image (numpy, BGR, HxWxC).

    Parameters
    ----------
    s : bytes
    iscolor : int, default -1
        OpenCV's imread flag: -1 as stored, 0 grayscale, 1 three-channel color.
    """
    header, s = unpack(s)
    img = np.frombuffer(s, dtype=np.uint8)
    img = _cv2("unpack_img").imdecode(img, iscolor)
    if img is None:
        raise MXNetError("unpack_img: the record's payload (%d bytes) is not a decodable image"
                         % len(s))
    return header, img


def pack_img(header, img, quality=95, img_fmt=".jpg"):
    """Encodes an image (numpy, BGR) and packs it with an IRHeader.

    Parameters
    ----------
    header : IRHeader
    img : numpy.ndarray
    quality : int, default 95
        JPEG quality (1-100) or PNG compression level (0-9).
    img_fmt : str, default '.jpg'
        Encoding: '.jpg', '.jpeg' or '.png'.
    """
    cv2 = _cv2("pack_img")
    fmt = img_fmt.upper()
    if fmt in (".JPG", ".JPEG"):
        params = [cv2.IMWRITE_JPEG_QUALITY, quality]
    elif fmt == ".PNG":
        # OpenCV clamps the level to 0..9 (newer builds warn about it): clamp here
        params = [cv2.IMWRITE_PNG_COMPRESSION, min(max(int(quality), 0), 9)]
    else:
        params = None
    ok, buf = cv2.imencode(img_fmt, np.asarray(img), params)
    if not ok:
        raise MXNetError("pack_img: OpenCV failed to encode an image of shape %s as %s"
                         % (np.shape(img), img_fmt))
    return pack(header, buf.tobytes())
