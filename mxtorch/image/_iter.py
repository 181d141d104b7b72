"""ImageIter: batches of decoded, augmented images from a RecordIO file or an image list."""
import logging
import os
import random


from .. import io as _io
from .. import ndarray as nd
from .. import recordio
from ..base import numeric_types
from .image import CreateAugmenter, imdecode

_LAST_BATCH = ("pad", "discard", "roll_over")


def _read_lst(path, dtype):
    """``.lst`` file: ``index<TAB>label...<TAB>path`` per line -> ({key: (label, path)}, keys)."""
    table, keys = {}, []
    with open(path) as fin:
        for number, line in enumerate(fin, 1):
            fields = line.strip().split("\t")
            if len(fields) < 3:
                if line.strip():
                    raise ValueError("ImageIter: %s line %d: expected 'index<TAB>label(s)<TAB>"
                                     "path', got %r" % (path, number, line.rstrip("\n")))
                continue
            key = int(fields[0])
            table[key] = (nd.array(fields[1:-1], dtype=dtype), fields[-1])
            keys.append(key)
    return table, keys


def _from_list(imglist, dtype):
    """``[[label..., path], ...]`` -> ({'1': (label, path), ...}, keys)."""
    table, keys = {}, []
    for number, item in enumerate(imglist, 1):
        if len(item) > 2:
            label = nd.array(item[:-1], dtype=dtype)
        elif isinstance(item[0], numeric_types):
            label = nd.array([item[0]], dtype=dtype)
        else:
            label = nd.array(item[0], dtype=dtype)
        key = str(number)
        table[key] = (label, item[-1])
        keys.append(key)
    return table, keys


class ImageIter(_io.DataIter):
    """Iterates over images with augmentation, yielding DataBatch(data (N, C, H, W) float32,
    label).

    Parameters
    ----------
    batch_size : int
    data_shape : tuple
        (3, height, width) of the images after augmentation.
    label_width : int, default 1
        Labels per image.
    path_imgrec : str
        A RecordIO file of packed images (see ``recordio.pack_img``).
    path_imglist : str
        A ``.lst`` file (``index<TAB>label(s)<TAB>path``); with ``path_imgrec`` its labels
        override the records'.
    path_root : str
        Folder the image list's paths are relative to.
    path_imgidx : str
        The RecordIO index (needed for shuffle and partitions).
    shuffle : bool, default False
    part_index, num_parts : int
        Read only part ``part_index`` of ``num_parts`` equal parts.
    aug_list : list of Augmenter
        Default: ``CreateAugmenter(data_shape, **kwargs)``.
    imglist : list
        ``[[label(s)..., path], ...]`` instead of a ``.lst`` file.
    data_name, label_name : str
    dtype : str, default 'float32'
        Label dtype ('int32', 'float32', 'int64' or 'float64').
    last_batch_handle : {'pad', 'discard', 'roll_over'}, default 'pad'
    """

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None,
                 path_imglist=None, path_root=None, path_imgidx=None, shuffle=False,
                 part_index=0, num_parts=1, aug_list=None, imglist=None, data_name="data",
                 label_name="softmax_label", dtype="float32", last_batch_handle="pad",
                 **kwargs):
        super(ImageIter, self).__init__(batch_size)
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise AssertionError("ImageIter needs path_imgrec, path_imglist or an imglist")
        if dtype not in ("int32", "float32", "int64", "float64"):
            raise AssertionError(dtype + " label not supported")
        if last_batch_handle not in _LAST_BATCH:
            raise ValueError("ImageIter: last_batch_handle must be one of %s, got %r"
                             % (_LAST_BATCH, last_batch_handle))
        self.imgrec, self.imgidx = self._open_rec(path_imgrec, path_imgidx)
        keys = None
        if path_imglist:
            logging.info("ImageIter: loading image list %s...", path_imglist)
            self.imglist, keys = _read_lst(path_imglist, dtype)
        elif isinstance(imglist, list):
            self.imglist, keys = _from_list(imglist, dtype)
        else:
            self.imglist = None
        self.path_root = path_root
        self.check_data_shape(data_shape)
        self.provide_data = [_io.DataDesc(data_name, (batch_size,) + tuple(data_shape))]
        label_shape = (batch_size, label_width) if label_width > 1 else (batch_size,)
        self.provide_label = [_io.DataDesc(label_name, label_shape)]
        self.batch_size = batch_size
        self.data_shape = tuple(data_shape)
        self.label_width = label_width
        self.shuffle = shuffle
        self.seq = self._sequence(keys, shuffle, num_parts, path_imgidx)
        if num_parts > 1:
            if not 0 <= part_index < num_parts:
                raise AssertionError("ImageIter: part_index %d out of range for num_parts %d"
                                     % (part_index, num_parts))
            size = len(self.seq) // num_parts
            self.seq = self.seq[part_index * size:(part_index + 1) * size]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.cur = 0
        self._allow_read = True
        self.last_batch_handle = last_batch_handle
        self.num_image = len(self.seq) if self.seq is not None else None
        self._cache_data = self._cache_label = self._cache_idx = None
        self.reset()

    @staticmethod
    def _open_rec(path_imgrec, path_imgidx):
        if not path_imgrec:
            return None, None
        logging.info("ImageIter: loading recordio %s...", path_imgrec)
        if path_imgidx:
            rec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
            return rec, list(rec.keys)
        return recordio.MXRecordIO(path_imgrec, "r"), None

    def _sequence(self, keys, shuffle, num_parts, path_imgidx):
        if self.imgrec is None:
            return keys
        if shuffle or num_parts > 1 or path_imgidx:
            if self.imgidx is None:
                raise AssertionError("ImageIter: shuffle and num_parts > 1 need the record "
                                     "file's index (path_imgidx)")
            return self.imgidx
        return None

    def reset(self):
        """Starts a new pass (a rolled-over partial batch is kept for it)."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.last_batch_handle != "roll_over" or self._cache_data is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur = 0
            self._allow_read = True

    def hard_reset(self):
        """Starts a new pass, dropping any rolled-over data."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.imgrec is not None:
            self.imgrec.reset()
        self.cur = 0
        self._allow_read = True
        self._cache_data = self._cache_label = self._cache_idx = None

    def next_sample(self):
        """Returns the next (label, encoded image) pair."""
        if not self._allow_read:
            raise StopIteration
        if self.seq is None:
            raw = self.imgrec.read()
            if raw is None:
                if self.last_batch_handle != "discard":
                    self.imgrec.reset()
                raise StopIteration
            header, img = recordio.unpack(raw)
            return header.label, img
        if self.cur >= self.num_image:
            if self.last_batch_handle != "discard":
                self.cur = 0
            raise StopIteration
        idx = self.seq[self.cur]
        self.cur += 1
        if self.imgrec is not None:
            header, img = recordio.unpack(self.imgrec.read_idx(idx))
            return (header.label if self.imglist is None else self.imglist[idx][0]), img
        label, fname = self.imglist[idx]
        return label, self.read_image(fname)

    def _fill(self, batch_data, batch_label, start=0):
        """Fills the batch from ``start``; returns how many slots are filled."""
        i = start
        try:
            while i < self.batch_size:
                label, raw = self.next_sample()
                data = self.imdecode(raw)
                try:
                    self.check_valid_image(data)
                except RuntimeError as err:
                    logging.debug("Invalid image, skipping: %s", err)
                    continue
                batch_data[i] = self.postprocess_data(self.augmentation_transform(data))
                batch_label[i] = label
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def next(self):
        """Returns the next DataBatch."""
        if self._cache_data is not None:
            batch_data, batch_label, filled = self._cache_data, self._cache_label, \
                self._cache_idx
        else:
            batch_data = nd.zeros((self.batch_size,) + tuple(self.data_shape))
            batch_label = self._new_label()
            filled = self._fill(batch_data, batch_label)
        pad = self.batch_size - filled
        if pad:
            if self.last_batch_handle == "discard":
                raise StopIteration
            if self.last_batch_handle == "roll_over" and self._cache_data is None:
                self._cache_data, self._cache_label, self._cache_idx = \
                    batch_data, batch_label, filled
                raise StopIteration
            self._fill(batch_data, batch_label, filled)
            if self.last_batch_handle == "pad":
                self._allow_read = False
            else:
                self._cache_data = self._cache_label = self._cache_idx = None
        return _io.DataBatch([batch_data], [batch_label], pad=pad)

    def _new_label(self):
        return nd.empty(self.provide_label[0][1])

    def check_data_shape(self, data_shape):
        """Checks that ``data_shape`` is (3, height, width)."""
        if len(data_shape) != 3:
            raise ValueError("data_shape should have length 3, with dimensions CxHxW")
        if data_shape[0] != 3:
            raise ValueError("This iterator expects inputs to have 3 channels.")

    def check_valid_image(self, data):
        """Raises RuntimeError for an empty image."""
        if len(data[0].shape) == 0:
            raise RuntimeError("Data shape is wrong")

    def imdecode(self, s):
        """Decodes an image; a broken one raises RuntimeError naming it."""
        try:
            return imdecode(s)
        except Exception as err:
            raise RuntimeError("Broken image %s, %s" % (self._where(), err)) from err

    def _where(self):
        pos = self.cur - 1
        if self.seq is not None:
            idx = self.seq[pos % max(self.num_image, 1)]
            if self.imglist is not None:
                return "filename: %s" % self.imglist[idx][1]
            return "index: %s" % idx
        return "record: %d" % pos

    def read_image(self, fname):
        """Reads an image file's bytes (relative to ``path_root``)."""
        path = os.path.join(self.path_root, fname) if self.path_root else fname
        with open(path, "rb") as fin:
            return fin.read()

    def augmentation_transform(self, data):
        """Applies the augmenters in order."""
        for aug in self.auglist:
            data = aug(data)
        return data

    def postprocess_data(self, datum):
        """HWC -> CHW."""
        return nd.transpose(datum, axes=(2, 0, 1))


