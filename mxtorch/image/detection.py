"""Object-detection augmenters and ImageDetIter (``mx.image.detection``).

A detection label is a numpy array of shape (objects, 5+): ``[class, xmin, ymin, xmax, ymax,
...]`` with coordinates normalized to [0, 1]. Augmenters take and return ``(image, label)``.
"""
import json
import logging  # noqa: F401
import random
import warnings
from math import sqrt

import numpy as np

from .. import io  # noqa: F401
from .. import ndarray as nd
from ..base import numeric_types
from ..util import is_np_array  # noqa: F401
from . import image as _image
from .image import (Augmenter, CastAug, ColorJitterAug, ColorNormalizeAug,  # noqa: F401
                    ForceResizeAug, HueJitterAug, LightingAug, RandomGrayAug, RandomOrderAug,
                    ResizeAug, fixed_crop, _PCA_EIGVAL, _PCA_EIGVEC, _json_safe)
from ._iter import ImageIter  # noqa: F401


def copyMakeBorder(src=None, top=None, bot=None, left=None, right=None, type=0, value=0.0,
                   values=(), out=None, name=None, **kwargs):
    """Pads an image with a border (see ``mx.image.image.copyMakeBorder``)."""
    # pylint: disable=redefined-builtin
    del name, kwargs
    return _image.copyMakeBorder(src, top, bot, left, right, type=type, value=value,
                                 values=values, out=out)


class DetAugmenter(object):
    """Base class of detection augmenters: ``aug(src, label) -> (src, label)``."""

    def __init__(self, **kwargs):
        self._kwargs = {k: _json_safe(v) for k, v in kwargs.items()}

    def dumps(self):
        """The augmenter as a JSON string ``[name, settings]``."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, src, label):
        raise NotImplementedError("%s must implement __call__" % type(self).__name__)


class DetBorrowAug(DetAugmenter):
    """Applies an image Augmenter to the image and keeps the label.

    Parameters
    ----------
    augmenter : mx.image.Augmenter
    """

    def __init__(self, augmenter):
        if not isinstance(augmenter, Augmenter):
            raise TypeError("DetBorrowAug needs an mx.image.Augmenter, got %s"
                            % type(augmenter).__name__)
        super(DetBorrowAug, self).__init__(augmenter=augmenter.dumps())
        self.augmenter = augmenter

    def dumps(self):
        return [self.__class__.__name__.lower(), self.augmenter.dumps()]

    def __call__(self, src, label):
        return self.augmenter(src), label


class DetRandomSelectAug(DetAugmenter):
    """Applies one augmenter picked at random (or none, with probability ``skip_prob``).

    Parameters
    ----------
    aug_list : list of DetAugmenter
    skip_prob : float, default 0
    """

    def __init__(self, aug_list, skip_prob=0):
        super(DetRandomSelectAug, self).__init__(skip_prob=skip_prob)
        if not isinstance(aug_list, (list, tuple)):
            aug_list = [aug_list]
        for aug in aug_list:
            if not isinstance(aug, DetAugmenter):
                raise ValueError("DetRandomSelectAug: %r is not a DetAugmenter" % (aug,))
        self.aug_list = list(aug_list)
        self.skip_prob = skip_prob

    def dumps(self):
        return [self.__class__.__name__.lower(), [x.dumps() for x in self.aug_list]]

    def __call__(self, src, label):
        if random.random() < self.skip_prob or not self.aug_list:
            return src, label
        random.shuffle(self.aug_list)
        return self.aug_list[0](src, label)


class DetHorizontalFlipAug(DetAugmenter):
    """Flips image and boxes left-right with probability ``p``."""

    def __init__(self, p):
        super(DetHorizontalFlipAug, self).__init__(p=p)
        self.p = p

    def __call__(self, src, label):
        if random.random() < self.p:
            src = nd.flip(src, axis=1)
            xmin = 1.0 - label[:, 3]
            label[:, 3] = 1.0 - label[:, 1]
            label[:, 1] = xmin
        return src, label


def _areas(boxes):
    """Areas of (n, 4+) boxes ``xmin, ymin, xmax, ymax``."""
    return np.maximum(0, boxes[:, 3] - boxes[:, 1]) * np.maximum(0, boxes[:, 2] - boxes[:, 0])


def _intersect(boxes, xmin, ymin, xmax, ymax):
    out = boxes.copy()
    out[:, 0] = np.maximum(boxes[:, 0], xmin)
    out[:, 1] = np.maximum(boxes[:, 1], ymin)
    out[:, 2] = np.minimum(boxes[:, 2], xmax)
    out[:, 3] = np.minimum(boxes[:, 3], ymax)
    empty = np.logical_or(out[:, 0] >= out[:, 2], out[:, 1] >= out[:, 3])
    out[empty, :] = 0
    return out


def _pair(value, second=None, what="range"):
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if not isinstance(value, numeric_types):
        raise TypeError("%s must be a number or a pair, got %r" % (what, value))
    return (value, value if second is None else second)


class DetRandomCropAug(DetAugmenter):
    """Random crop that keeps enough of the objects.

    Parameters
    ----------
    min_object_covered : float, default 0.1
        Every kept object must keep at least this fraction of its area.
    aspect_ratio_range : (float, float), default (0.75, 1.33)
    area_range : (float, float), default (0.05, 1.0)
        Crop area as a fraction of the image.
    min_eject_coverage : float, default 0.3
        Objects keeping less than this fraction are dropped from the label.
    max_attempts : int, default 50
    """

    def __init__(self, min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
                 area_range=(0.05, 1.0), min_eject_coverage=0.3, max_attempts=50):
        aspect_ratio_range = _pair(aspect_ratio_range, what="aspect_ratio_range")
        area_range = _pair(area_range, 1.0, what="area_range")
        super(DetRandomCropAug, self).__init__(
            min_object_covered=min_object_covered, aspect_ratio_range=aspect_ratio_range,
            area_range=area_range, min_eject_coverage=min_eject_coverage,
            max_attempts=max_attempts)
        self.min_object_covered = min_object_covered
        self.min_eject_coverage = min_eject_coverage
        self.max_attempts = max_attempts
        self.aspect_ratio_range = aspect_ratio_range
        self.area_range = area_range
        self.enabled = False
        if area_range[1] <= 0 or area_range[0] > area_range[1]:
            warnings.warn("Skip DetRandomCropAug due to invalid area_range: %s" % (area_range,))
        elif aspect_ratio_range[0] > aspect_ratio_range[1] or aspect_ratio_range[0] <= 0:
            warnings.warn("Skip DetRandomCropAug due to invalid aspect_ratio_range: %s"
                          % (aspect_ratio_range,))
        else:
            self.enabled = True

    def __call__(self, src, label):
        crop = self._random_crop_proposal(label, src.shape[0], src.shape[1])
        if crop:
            x, y, w, h, label = crop
            src = fixed_crop(src, x, y, w, h, None)
        return src, label

    def _satisfies(self, label, xmin, ymin, xmax, ymax, width, height):
        if (xmax - xmin) * (ymax - ymin) < 2:
            return False
        box = (float(xmin) / width, float(ymin) / height, float(xmax) / width,
               float(ymax) / height)
        areas = _areas(label[:, 1:])
        valid = np.where(areas * width * height > 2)[0]
        if valid.size < 1:
            return False
        coverages = _areas(_intersect(label[valid, 1:], *box)) / areas[valid]
        coverages = coverages[coverages > 0]
        return coverages.size > 0 and np.amin(coverages) > self.min_object_covered

    def _update_labels(self, label, crop_box, height, width):
        xmin, ymin = float(crop_box[0]) / width, float(crop_box[1]) / height
        w, h = float(crop_box[2]) / width, float(crop_box[3]) / height
        out = label.copy()
        out[:, (1, 3)] = (out[:, (1, 3)] - xmin) / w
        out[:, (2, 4)] = (out[:, (2, 4)] - ymin) / h
        out[:, 1:5] = np.clip(out[:, 1:5], 0, 1)
        coverage = _areas(out[:, 1:]) * w * h / _areas(label[:, 1:])
        valid = np.logical_and(out[:, 3] > out[:, 1], out[:, 4] > out[:, 2])
        valid = np.where(np.logical_and(valid, coverage > self.min_eject_coverage))[0]
        return out[valid, :] if valid.size else None

    def _proposal_size(self, height, width):
        min_area = self.area_range[0] * height * width
        max_area = self.area_range[1] * height * width
        ratio = random.uniform(*self.aspect_ratio_range)
        if ratio <= 0:
            return None
        h = int(round(sqrt(min_area / ratio)))
        max_h = int(round(sqrt(max_area / ratio)))
        if round(max_h * ratio) > width:
            max_h = int((width + 0.4999999) / ratio)  # largest h whose width still fits
        max_h = min(max_h, height)
        h = min(h, max_h)
        if h < max_h:
            h = random.randint(h, max_h)
        w = int(round(h * ratio))
        area = w * h
        if area < min_area:
            h += 1
            w = int(round(h * ratio))
            area = w * h
        if area > max_area:
            h -= 1
            w = int(round(h * ratio))
            area = w * h
        if not (min_area <= area <= max_area and 0 <= w <= width and 0 <= h <= height):
            return None
        return w, h

    def _random_crop_proposal(self, label, height, width):
        if not self.enabled or height <= 0 or width <= 0:
            return ()
        for _ in range(self.max_attempts):
            size = self._proposal_size(height, width)
            if size is None:
                continue
            w, h = size
            y = random.randint(0, max(0, height - h))
            x = random.randint(0, max(0, width - w))
            if self._satisfies(label, x, y, x + w, y + h, width, height):
                new_label = self._update_labels(label, (x, y, w, h), height, width)
                if new_label is not None:
                    return (x, y, w, h, new_label)
        return ()


class DetRandomPadAug(DetAugmenter):
    """Random padding (zoom out): places the image in a larger canvas of ``pad_val``.

    Parameters
    ----------
    aspect_ratio_range : (float, float), default (0.75, 1.33)
    area_range : (float, float), default (1.0, 3.0)
        Canvas area as a multiple of the image's.
    max_attempts : int, default 50
    pad_val : float or tuple, default (128, 128, 128)
    """

    def __init__(self, aspect_ratio_range=(0.75, 1.33), area_range=(1.0, 3.0),
                 max_attempts=50, pad_val=(128, 128, 128)):
        if not isinstance(pad_val, (list, tuple)):
            if not isinstance(pad_val, numeric_types):
                raise TypeError("DetRandomPadAug: pad_val must be a number or a tuple")
            pad_val = (pad_val,)
        aspect_ratio_range = _pair(aspect_ratio_range, what="aspect_ratio_range")
        area_range = _pair(area_range, 1.0, what="area_range")
        super(DetRandomPadAug, self).__init__(
            aspect_ratio_range=aspect_ratio_range, area_range=area_range,
            max_attempts=max_attempts, pad_val=pad_val)
        self.pad_val = pad_val
        self.aspect_ratio_range = aspect_ratio_range
        self.area_range = area_range
        self.max_attempts = max_attempts
        self.enabled = False
        if area_range[1] <= 1.0 or area_range[0] > area_range[1]:
            warnings.warn("Skip DetRandomPadAug due to invalid parameters: %s" % (area_range,))
        elif aspect_ratio_range[0] <= 0 or aspect_ratio_range[0] > aspect_ratio_range[1]:
            warnings.warn("Skip DetRandomPadAug due to invalid aspect_ratio_range: %s"
                          % (aspect_ratio_range,))
        else:
            self.enabled = True

    def __call__(self, src, label):
        height, width = src.shape[0], src.shape[1]
        pad = self._random_pad_proposal(label, height, width)
        if pad:
            x, y, w, h, label = pad
            src = _image.copyMakeBorder(src, y, h - y - height, x, w - x - width, 16,
                                        values=self.pad_val)
        return src, label

    def _update_labels(self, label, pad_box, height, width):
        out = label.copy()
        out[:, (1, 3)] = (out[:, (1, 3)] * width + pad_box[0]) / pad_box[2]
        out[:, (2, 4)] = (out[:, (2, 4)] * height + pad_box[1]) / pad_box[3]
        return out

    def _random_pad_proposal(self, label, height, width):
        if not self.enabled or height <= 0 or width <= 0:
            return ()
        min_area = self.area_range[0] * height * width
        max_area = self.area_range[1] * height * width
        for _ in range(self.max_attempts):
            ratio = random.uniform(*self.aspect_ratio_range)
            if ratio <= 0:
                continue
            h = int(round(sqrt(min_area / ratio)))
            max_h = int(round(sqrt(max_area / ratio)))
            if round(h * ratio) < width:
                h = int((width + 0.499999) / ratio)
            h = min(max(h, height), max_h)
            if h < max_h:
                h = random.randint(h, max_h)
            w = int(round(h * ratio))
            if (h - height) < 2 or (w - width) < 2:
                continue  # too little padding to matter
            y = random.randint(0, max(0, h - height))
            x = random.randint(0, max(0, w - width))
            return (x, y, w, h, self._update_labels(label, (x, y, w, h), height, width))
        return ()


def _align(params):
    """Broadcasts list-valued parameters (length 1 or n) to a common length."""
    lists = [p if isinstance(p, list) else [p] for p in params]
    num = max(len(p) for p in lists)
    for k, p in enumerate(lists):
        if len(p) != num:
            if len(p) != 1:
                raise ValueError("CreateMultiRandCropAugmenter: list parameters must have the "
                                 "same length (or 1), got lengths %s"
                                 % [len(q) for q in lists])
            lists[k] = p * num
    return lists


def CreateMultiRandCropAugmenter(min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
                                 area_range=(0.05, 1.0), min_eject_coverage=0.3,
                                 max_attempts=50, skip_prob=0):
    """A DetRandomSelectAug over random-crop augmenters, one per entry of the list-valued
    parameters (scalars apply to all).

    Returns
    -------
    DetRandomSelectAug
    """
    params = _align([min_object_covered, aspect_ratio_range, area_range, min_eject_coverage,
                     max_attempts])
    augs = [DetRandomCropAug(min_object_covered=moc, aspect_ratio_range=arr, area_range=ar,
                             min_eject_coverage=mec, max_attempts=ma)
            for moc, arr, ar, mec, ma in zip(*params)]
    return DetRandomSelectAug(augs, skip_prob=skip_prob)


def _stat(value, default, name):
    if value is True:
        return np.array(default)
    if value is not None and (not isinstance(value, np.ndarray) or value.shape[0] not in (1, 3)):
        raise AssertionError("CreateDetAugmenter: %s must be True, None or a numpy array of 1 "
                             "or 3 values" % name)
    return value


def CreateDetAugmenter(data_shape, resize=0, rand_crop=0, rand_pad=0, rand_gray=0,
                       rand_mirror=False, mean=None, std=None, brightness=0, contrast=0,
                       saturation=0, pca_noise=0, hue=0, inter_method=2, min_object_covered=0.1,
                       aspect_ratio_range=(0.75, 1.33), area_range=(0.05, 3.0),
                       min_eject_coverage=0.3, max_attempts=50, pad_val=(127, 127, 127)):
    """Builds the standard detection augmenters for outputs of ``data_shape`` (C, H, W).

    ``rand_crop`` and ``rand_pad`` are probabilities; the other arguments are as in
    ``mx.image.CreateAugmenter`` and :class:`DetRandomCropAug` / :class:`DetRandomPadAug`.

    Returns
    -------
    list of DetAugmenter
    """
    auglist = []
    if resize > 0:
        auglist.append(DetBorrowAug(ResizeAug(resize, inter_method)))
    if rand_crop > 0:
        auglist.append(CreateMultiRandCropAugmenter(min_object_covered, aspect_ratio_range,
                                                    area_range, min_eject_coverage,
                                                    max_attempts, skip_prob=1 - rand_crop))
    if rand_mirror > 0:
        auglist.append(DetHorizontalFlipAug(0.5))
    if rand_pad > 0:  # late: padding makes the image bigger
        pad = DetRandomPadAug(aspect_ratio_range, (1.0, area_range[1]), max_attempts, pad_val)
        auglist.append(DetRandomSelectAug([pad], 1 - rand_pad))
    auglist.append(DetBorrowAug(ForceResizeAug((data_shape[2], data_shape[1]), inter_method)))
    auglist.append(DetBorrowAug(CastAug()))
    if brightness or contrast or saturation:
        auglist.append(DetBorrowAug(ColorJitterAug(brightness, contrast, saturation)))
    if hue:
        auglist.append(DetBorrowAug(HueJitterAug(hue)))
    if pca_noise > 0:
        auglist.append(DetBorrowAug(LightingAug(pca_noise, _PCA_EIGVAL, _PCA_EIGVEC)))
    if rand_gray > 0:
        auglist.append(DetBorrowAug(RandomGrayAug(rand_gray)))
    mean = _stat(mean, [123.68, 116.28, 103.53], "mean")
    std = _stat(std, [58.395, 57.12, 57.375], "std")
    if mean is not None or std is not None:
        auglist.append(DetBorrowAug(ColorNormalizeAug(mean, std)))
    return auglist


from ._detiter import ImageDetIter  # noqa: E402,F401
