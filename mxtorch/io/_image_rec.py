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


def _pca_lighting(alpha):
    """RGB offsets of PCA lighting noise with weights ``alpha`` (the ImageNet principal
    components kept once, in mx.image; imported here lazily: mx.image imports mx.io)."""
    from ..image.image import _PCA_EIGVAL, _PCA_EIGVEC
    return (_PCA_EIGVEC.dot(alpha * _PCA_EIGVAL)).astype(np.float32)


def _warp_affine(img, matrix, out_w, out_h, fill):
    """Bilinear affine warp of an HWC image: output pixel (x, y) reads the source at
    ``matrix @ (x, y, 1)``; points outside the source take ``fill``."""
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float64)
    sx = matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2]
    sy = matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2]
    h, w = img.shape[:2]
    padded = np.pad(img.astype(np.float32), ((1, 1), (1, 1), (0, 0)), constant_values=fill)
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
    x0 = np.clip(x0.astype(np.int64) + 1, 0, w + 1)
    y0 = np.clip(y0.astype(np.int64) + 1, 0, h + 1)
    x1, y1 = np.clip(x0 + 1, 0, w + 1), np.clip(y0 + 1, 0, h + 1)
    out = (padded[y0, x0] * (1 - fx) * (1 - fy) + padded[y0, x1] * fx * (1 - fy) +
           padded[y1, x0] * (1 - fx) * fy + padded[y1, x1] * fx * fy)
    inside = (sx > -1) & (sx < w) & (sy > -1) & (sy < h)
    out[~inside] = fill
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _angles(value):
    """``rotate_list`` as a tuple of floats (a sequence or MXNet's "[a, b]" string)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in value.strip("[]() ").replace(",", " ").split() if v]
    return tuple(float(v) for v in value)


class _AugParams:
    """The random-augmentation options of MXNet's default image augmenter (all off by
    default); ``rng`` draws every random choice."""

    FIELDS = dict(max_rotate_angle=0, rotate=-1, rotate_list=(), max_shear_ratio=0.,
                  max_random_scale=1., min_random_scale=1., max_aspect_ratio=0., pad=0,
                  fill_value=255, mirror=False, random_h=0, random_s=0, random_l=0,
                  brightness=0., contrast=0., saturation=0., pca_noise=0.,
                  max_random_illumination=0., max_random_contrast=0.)

    def __init__(self, rng, **kwargs):
        self.rng = rng
        for name, default in self.FIELDS.items():
            value = kwargs.get(name, default)
            if name == "rotate_list":
                value = _angles(value)
            elif name == "mirror":
                value = str(value).lower() in ("1", "true")
            else:
                value = type(default)(float(value))
            setattr(self, name, value)

    def affine(self, img):
        """Rotation, shear, random scale and aspect ratio in one affine warp."""
        if not (self.max_rotate_angle > 0 or self.rotate > 0 or self.rotate_list or
                self.max_shear_ratio > 0 or self.max_aspect_ratio > 0 or
                self.max_random_scale != 1 or self.min_random_scale != 1):
            return img
        rng = self.rng
        if self.rotate > 0:
            angle = self.rotate
        elif self.rotate_list:
            angle = self.rotate_list[rng.randint(len(self.rotate_list))]
        else:
            angle = rng.uniform(-self.max_rotate_angle, self.max_rotate_angle)
        shear = rng.uniform(-self.max_shear_ratio, self.max_shear_ratio)
        scale = rng.uniform(self.min_random_scale, self.max_random_scale)
        ratio = 1 + rng.uniform(-self.max_aspect_ratio, self.max_aspect_ratio)
        hs = 2 * scale / (1 + ratio)
        ws = ratio * hs
        h, w = img.shape[:2]
        out_w, out_h = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
        a, b = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
        fwd = np.array([[hs * a - shear * b * ws, hs * b + shear * a * ws],
                        [-b * ws, a * ws]])
        inv = np.linalg.inv(fwd)
        center_out = np.array([out_w / 2.0, out_h / 2.0])
        offset = np.array([w / 2.0, h / 2.0]) - inv.dot(center_out)
        return _warp_affine(img, np.hstack([inv, offset[:, None]]), out_w, out_h,
                            self.fill_value)

    def hsl(self, img):
        """Random hue / saturation / lightness shifts (OpenCV's 8-bit HLS ranges)."""
        if not (self.random_h or self.random_s or self.random_l):
            return img
        from ..image.image import cv2
        if cv2 is None:
            raise MXNetError("ImageRecordIter: random_h/random_s/random_l need OpenCV "
                             "(pip install opencv-python)")
        shift = [self.rng.uniform(-v, v) for v in (self.random_h, self.random_l,
                                                   self.random_s)]
        hls = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2HLS).astype(np.float32)
        hls = hls + np.array(shift, np.float32)
        hls[..., 0] = np.mod(hls[..., 0], 180)
        hls = np.clip(np.rint(hls), 0, 255).astype(np.uint8)
        return cv2.cvtColor(hls, cv2.COLOR_HLS2RGB)

    def color(self, chw):
        """Brightness, contrast, saturation, PCA lighting noise and illumination on CHW
        float pixels (RGB)."""
        rng = self.rng
        gray_w = np.array([0.299, 0.587, 0.114], np.float32).reshape(3, 1, 1)
        if self.brightness > 0:
            chw = chw * (1 + rng.uniform(-self.brightness, self.brightness))
        if self.contrast > 0 and chw.shape[0] == 3:
            alpha = 1 + rng.uniform(-self.contrast, self.contrast)
            chw = chw * alpha + (chw * gray_w).sum(0).mean() * (1 - alpha)
        if self.saturation > 0 and chw.shape[0] == 3:
            alpha = 1 + rng.uniform(-self.saturation, self.saturation)
            chw = chw * alpha + (chw * gray_w).sum(0, keepdims=True) * (1 - alpha)
        if self.pca_noise > 0 and chw.shape[0] == 3:
            alpha = rng.normal(0, self.pca_noise, 3).astype(np.float32)
            chw = chw + _pca_lighting(alpha).reshape(3, 1, 1)
        if self.max_random_contrast > 0:
            chw = chw * (1 + rng.uniform(-self.max_random_contrast, self.max_random_contrast))
        if self.max_random_illumination > 0:
            chw = chw + rng.uniform(-self.max_random_illumination,
                                    self.max_random_illumination)
        return chw.astype(np.float32)


class _Augmenter:
    """MXNet's default image augmenter, on HWC RGB arrays: short-edge resize, random affine
    (rotate/shear/scale/aspect), pad, crop, mirror, HSL and color jitter, normalization."""

    def __init__(self, data_shape, resize=-1, rand_crop=False, rand_mirror=False,
                 mean=(0., 0., 0.), std=(1., 1., 1.), scale=1.0, inter_method=1, rng=None,
                 extra=None):
        self.channels, self.height, self.width = data_shape
        self.resize, self.rand_crop, self.rand_mirror = resize, rand_crop, rand_mirror
        self.mean = np.asarray(mean[:self.channels], np.float32).reshape(-1, 1, 1)
        self.std = np.asarray(std[:self.channels], np.float32).reshape(-1, 1, 1)
        self.scale, self.interp, self.rng = np.float32(scale), inter_method, rng
        self.extra = extra or _AugParams(rng)
        self.mean_img = None

    def _resized(self, img, w, h):
        from ..image import imresize
        return imresize(array(img, dtype=np.uint8), w, h, self.interp).asnumpy()

    def _short_edge(self, img):
        h, w = img.shape[:2]
        if h > w:
            return self._resized(img, self.resize, int(self.resize * h / w))
        return self._resized(img, int(self.resize * w / h), self.resize)

    def _crop(self, img):
        h, w = img.shape[:2]
        if h < self.height or w < self.width:
            factor = max(self.height / h, self.width / w)
            img = self._resized(img, max(self.width, int(w * factor)),
                                max(self.height, int(h * factor)))
            h, w = img.shape[:2]
        if self.rand_crop:
            rng = self.extra.rng
            y = rng.randint(0, h - self.height + 1)
            x = rng.randint(0, w - self.width + 1)
        else:
            y, x = (h - self.height) // 2, (w - self.width) // 2
        return img[y:y + self.height, x:x + self.width]

    def raw(self, img):
        """The augmented image as CHW float32, before normalization."""
        extra = self.extra
        if self.resize > 0:
            img = self._short_edge(img)
        img = extra.affine(img)
        if extra.pad > 0:
            img = np.pad(img, ((extra.pad, extra.pad), (extra.pad, extra.pad), (0, 0)),
                         constant_values=extra.fill_value)
        img = self._crop(img)
        if extra.mirror or (self.rand_mirror and extra.rng.randint(0, 2)):
            img = img[:, ::-1]
        if img.shape[2] == 3:
            img = extra.hsl(img)
        return extra.color(img.transpose(2, 0, 1).astype(np.float32))

    def __call__(self, img):
        chw = self.raw(img)
        mean = self.mean if self.mean_img is None else self.mean_img
        return (chw - mean) * self.scale / self.std


class _ImageRecords:
    """Examples of ``_BatchSource``: decoded, augmented images and their labels."""

    def __init__(self, rec, positions, label_width, augment, channels, dtype, labels=None):
        self.rec, self.positions, self.count = rec, positions, len(positions)
        self.dtype, self.labels = dtype, labels
        self.label_width, self.augment, self.channels = label_width, augment, channels
        self.order = np.arange(self.count)

    def _read(self, row):
        from .. import recordio
        from ..image import imdecode
        self.rec._seek(self.positions[self.order[row]])
        header, payload = recordio.unpack(self.rec.read())
        img = imdecode(payload, 1 if self.channels == 3 else 0).asnumpy()
        return self.augment(img.reshape(img.shape[:2] + (-1,))), self._label(header, row)

    def _label(self, header, row):
        if self.labels is not None:
            if int(header.id) not in self.labels:
                raise MXNetError(f"ImageRecordIter: image index {int(header.id)} of record "
                                 f"{self.order[row]} is not in path_imglist")
            label = self.labels[int(header.id)]
        else:
            label = np.atleast_1d(np.asarray(header.label, np.float32))
        label = label[:self.label_width]
        if label.size < self.label_width:
            raise MXNetError(f"ImageRecordIter: record {self.order[row]} has {label.size} "
                             f"label(s), label_width is {self.label_width}")
        return label

    def mean_image(self):
        """The mean of every example's augmented image, before normalization (MXNet's
        ``mean_img`` when the file does not exist yet)."""
        from .. import recordio
        from ..image import imdecode
        total = np.zeros((self.channels, self.augment.height, self.augment.width))
        for pos in self.positions:
            self.rec._seek(pos)
            payload = recordio.unpack(self.rec.read())[1]
            img = imdecode(payload, 1 if self.channels == 3 else 0).asnumpy()
            total += self.augment.raw(img.reshape(img.shape[:2] + (-1,)))
        return (total / max(self.count, 1)).astype(np.float32)

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
                    label_name="softmax_label", path_imglist=None, mean_img=None,
                    seed_aug=None, **kwargs):
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
    path_imglist : str, optional
        A ``.lst`` file (``index  label...  path`` per line): labels are read from it by
        each record's image index instead of the record headers.
    mean_img : str, optional
        File of the mean image (``nd.save`` format) subtracted instead of ``mean_r/g/b``;
        computed over the records and saved there when the file does not exist.
    seed_aug : int, optional
        Seed of the random augmentations (default: they share ``seed``).
    max_rotate_angle, rotate, rotate_list, max_shear_ratio, min_random_scale,
    max_random_scale, max_aspect_ratio, pad, fill_value, mirror, random_h, random_s,
    random_l, brightness, contrast, saturation, pca_noise, max_random_illumination,
    max_random_contrast : optional
        MXNet's random augmentations (affine warp, padding, flips, HSL and color jitter).
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
    aug_rng = rng if seed_aug in (None, -1) else np.random.RandomState(int(seed_aug))
    extra = _AugParams(aug_rng, **{k: v for k, v in kwargs.items() if k in _AugParams.FIELDS})
    augment = _Augmenter(data_shape, resize, rand_crop, rand_mirror,
                         (mean_r, mean_g, mean_b, mean_a), (std_r, std_g, std_b, std_a),
                         scale, inter_method, rng, extra)
    dtype = np.dtype("float32" if dtype in (None, "None") else dtype)
    labels = _list_labels(path_imglist, int(label_width)) if path_imglist else None
    examples = _ImageRecords(rec, positions, int(label_width), augment, data_shape[0], dtype,
                             labels)
    if mean_img:
        augment.mean_img = _mean_image(mean_img, examples)
    source = _ShuffledSource("ImageRecordIter", examples, batch_size, bool(round_batch),
                             index=False)
    source.shuffle, source.rng = bool(shuffle), rng
    source.before_first(initial=True)
    return MXDataIter(source, data_name=data_name, label_name=label_name)


def _list_labels(path, label_width):
    """``{image index: labels}`` from a ``.lst`` file (tab-separated: index, labels, path)."""
    labels = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            fields = line.strip().split("\t")
            if not line.strip():
                continue
            if len(fields) < 2 + label_width:
                raise MXNetError(f"ImageRecordIter: {path} line {lineno} has "
                                 f"{len(fields) - 2} label(s), label_width is {label_width}")
            labels[int(float(fields[0]))] = np.asarray(fields[1:-1], np.float32)
    return labels


def _mean_image(path, examples):
    """The mean image saved at ``path`` (computed and saved first when missing)."""
    import os
    from ..ndarray import load, save
    if os.path.exists(path):
        saved = load(path)
        values = list(saved.values()) if isinstance(saved, dict) else list(saved)
        if not values:
            raise MXNetError(f"ImageRecordIter: mean_img file {path} holds no array")
        mean = values[0].asnumpy().astype(np.float32)
    else:
        mean = examples.mean_image()
        save(path, {"mean_img": array(mean)})
    want = (examples.channels, examples.augment.height, examples.augment.width)
    if mean.shape != want:
        raise MXNetError(f"ImageRecordIter: mean_img {path} has shape {mean.shape}, "
                         f"data_shape needs {want}")
    return mean


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
