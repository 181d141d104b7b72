"""``ImageRecordIter``: batches of decoded images from a RecordIO file (``pack_img`` records),
with MXNet's default augmenter (short-edge resize, center or random crop, mirror, mean/std)
and BatchLoader rules (``round_batch``), on ``mx.recordio`` and ``mx.image``."""
import numpy as np

from ..base import MXNetError
from ..ndarray import array
from ._native import MXDataIter, _BatchSource, _required, _shape


def _positions(path_imgrec, path_imgidx):
    """Byte offsets of every record (from the index file when given, else by one scan)."""
    from .. import recordio
    if path_imgidx:
        rec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
        return rec, [rec.idx[k] for k in rec.keys]
    rec = recordio.MXRecordIO(path_imgrec, "r")
    positions = []
    while True:
        pos = rec._tell()
        if rec.read() is None:
            break
        positions.append(pos)
    return rec, positions


def _part(positions, path_imgrec, indexed, num_parts, part_index):
    """The records of part ``part_index``: with an index, ceil(n / num_parts) records per
    part; without, the records that start in the part's byte range (4-byte aligned), as
    MXNet's input splitter."""
    import os
    if not 0 <= part_index < num_parts:
        raise MXNetError(f"ImageRecordIter: part_index must be in [0, {num_parts}), got "
                         f"{part_index}")
    if indexed:
        step = -(-len(positions) // num_parts)
        chosen = positions[step * part_index:step * (part_index + 1)]
    else:
        step = -(-os.path.getsize(path_imgrec) // num_parts)
        step = -(-step // 4) * 4
        lo, hi = step * part_index, step * (part_index + 1)
        chosen = [p for p in positions if lo <= p < hi]
    if not chosen:
        raise MXNetError(f"ImageRecordIter: part {part_index} of {num_parts} of "
                         f"{path_imgrec} holds no record ({len(positions)} records in all)")
    return chosen


class _Augmenter:
    """MXNet's default image augmenter, on HWC RGB float arrays."""

    def __init__(self, data_shape, resize=-1, rand_crop=False, rand_mirror=False,
                 mean=(0., 0., 0.), std=(1., 1., 1.), scale=1.0, inter_method=1, rng=None):
        self.channels, self.height, self.width = data_shape
        self.resize, self.rand_crop, self.rand_mirror = resize, rand_crop, rand_mirror
        self.mean = np.asarray(mean[:self.channels], np.float32).reshape(-1, 1, 1)
        self.std = np.asarray(std[:self.channels], np.float32).reshape(-1, 1, 1)
        self.scale, self.interp, self.rng = np.float32(scale), inter_method, rng

    def _resized(self, img, w, h):
        from ..image import imresize
        return imresize(array(img, dtype=np.uint8), w, h, self.interp).asnumpy()

    def __call__(self, img):
        h, w = img.shape[:2]
        if self.resize > 0:
            if h > w:
                img = self._resized(img, self.resize, int(self.resize * h / w))
            else:
                img = self._resized(img, int(self.resize * w / h), self.resize)
            h, w = img.shape[:2]
        if h < self.height or w < self.width:
            factor = max(self.height / h, self.width / w)
            img = self._resized(img, max(self.width, int(w * factor)),
                                max(self.height, int(h * factor)))
            h, w = img.shape[:2]
        if self.rand_crop:
            y = self.rng.randint(0, h - self.height + 1)
            x = self.rng.randint(0, w - self.width + 1)
        else:
            y, x = (h - self.height) // 2, (w - self.width) // 2
        img = img[y:y + self.height, x:x + self.width]
        if self.rand_mirror and self.rng.randint(0, 2):
            img = img[:, ::-1]
        chw = img.transpose(2, 0, 1).astype(np.float32)
        return (chw - self.mean) * self.scale / self.std


class _ImageRecords:
    """Examples of ``_BatchSource``: decoded, augmented images and their labels."""

    def __init__(self, rec, positions, label_width, augment, channels, dtype):
        self.rec, self.positions, self.count = rec, positions, len(positions)
        self.dtype = dtype
        self.label_width, self.augment, self.channels = label_width, augment, channels
        self.order = np.arange(self.count)

    def _read(self, row):
        from .. import recordio
        from ..image import imdecode
        self.rec._seek(self.positions[self.order[row]])
        header, payload = recordio.unpack(self.rec.read())
        img = imdecode(payload, 1 if self.channels == 3 else 0).asnumpy()
        label = np.atleast_1d(np.asarray(header.label, np.float32))[:self.label_width]
        if label.size < self.label_width:
            raise MXNetError(f"ImageRecordIter: record {self.order[row]} has {label.size} "
                             f"label(s), label_width is {self.label_width}")
        return self.augment(img.reshape(img.shape[:2] + (-1,))), label

    def take(self, rows, filled):
        data = np.zeros((len(rows), self.channels, self.augment.height, self.augment.width),
                        np.float32)
        label = np.zeros((len(rows), self.label_width), np.float32)
        for i, (row, ok) in enumerate(zip(rows, filled)):
            if ok:
                data[i], label[i] = self._read(row)
        label = label[:, 0] if self.label_width == 1 else label
        return array(data.astype(self.dtype), dtype=self.dtype), array(label)


def ImageRecordIter(path_imgrec=None, data_shape=None, batch_size=None, label_width=1,
                    path_imgidx=None, shuffle=False, seed=0, round_batch=True, resize=-1,
                    rand_crop=False, rand_mirror=False, mean_r=0., mean_g=0., mean_b=0.,
                    mean_a=0., std_r=1., std_g=1., std_b=1., std_a=1., scale=1.,
                    num_parts=1, part_index=0, inter_method=1, dtype=None, data_name="data",
                    label_name="softmax_label", **kwargs):
    """Iterate over a RecordIO file of packed images (``mx.recordio.pack_img``).

    Parameters
    ----------
    path_imgrec : str
    data_shape : tuple
        (channels, height, width) of the output images.
    batch_size : int
    label_width : int, default 1
    path_imgidx : str, optional
        Index file (avoids one scan of the records).
    shuffle : bool
        Shuffle the order at every reset (numpy RandomState(seed)).
    round_batch : bool, default True
        Complete the last batch from the start (the next epoch starts after those).
    resize : int, default -1
        Resize the shorter edge to this size first.
    rand_crop, rand_mirror : bool
        Random instead of center crop; random horizontal flips.
    mean_r, mean_g, mean_b, std_r, std_g, std_b, scale : float
        Output is ``(pixel - mean) * scale / std`` per channel.
    num_parts, part_index : int
        Read only part ``part_index`` of ``num_parts`` equal parts.
    inter_method : int, default 1 (bilinear)
    dtype : str, default 'float32'
        Data type of the image batches ('uint8' and 'int8' give raw pixels).
    """
    _required("ImageRecordIter", path_imgrec=path_imgrec, data_shape=data_shape,
              batch_size=batch_size)
    data_shape = _shape(data_shape, "data_shape", "ImageRecordIter")
    if len(data_shape) != 3 or data_shape[0] not in (1, 3):
        raise MXNetError(f"ImageRecordIter: data_shape must be (1 or 3, height, width), got "
                         f"{data_shape}")
    rec, positions = _positions(path_imgrec, path_imgidx)
    positions = _part(positions, path_imgrec, bool(path_imgidx), int(num_parts),
                      int(part_index))
    rng = np.random.RandomState(seed)
    augment = _Augmenter(data_shape, resize, rand_crop, rand_mirror,
                         (mean_r, mean_g, mean_b, mean_a), (std_r, std_g, std_b, std_a),
                         scale, inter_method, rng)
    dtype = np.dtype("float32" if dtype in (None, "None") else dtype)
    examples = _ImageRecords(rec, positions, int(label_width), augment, data_shape[0], dtype)
    source = _ShuffledSource("ImageRecordIter", examples, batch_size, bool(round_batch),
                             index=False)
    source.shuffle, source.rng = bool(shuffle), rng
    source.before_first(initial=True)
    return MXDataIter(source, data_name=data_name, label_name=label_name)


class _ShuffledSource(_BatchSource):
    """A batch source that reshuffles the example order at every epoch start."""

    shuffle, rng = False, None

    def before_first(self, initial=False):
        if not initial:
            super().before_first()
        if self.shuffle:
            self.rng.shuffle(self.examples.order)


def _variant(name, dtype, doc):
    def creator(*args, **kwargs):
        if dtype is not None:
            kwargs["dtype"] = dtype
        return ImageRecordIter(*args, **kwargs)
    creator.__name__ = creator.__qualname__ = name
    creator.__doc__ = doc
    return creator


ImageRecordIter_v1 = _variant("ImageRecordIter_v1", None,
                              "``ImageRecordIter`` (MXNet's first implementation).")
ImageRecordUInt8Iter = _variant("ImageRecordUInt8Iter", "uint8",
                                "``ImageRecordIter`` giving uint8 pixels.")
ImageRecordUInt8Iter_v1 = _variant("ImageRecordUInt8Iter_v1", "uint8",
                                   "``ImageRecordIter`` giving uint8 pixels.")
ImageRecordInt8Iter = _variant("ImageRecordInt8Iter", "int8",
                               "``ImageRecordIter`` giving int8 pixels.")
