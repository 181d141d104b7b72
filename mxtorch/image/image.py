"""Image decoding, resizing, cropping and augmentation (``mx.image``), on OpenCV.

OpenCV is the library MXNet itself decodes and resizes with, so interpolation codes and
results follow it (0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos; 9 and 10 choose).
Images are NDArrays of shape (height, width, channels), uint8 unless stated.
"""
import io  # noqa: F401
import json
import logging  # noqa: F401
import os
import random
import sys  # noqa: F401
import warnings
from numbers import Number  # noqa: F401

import numpy as np

from .. import ndarray as nd
from .. import recordio
from ..base import MXNetError, numeric_types
from ..util import is_np_array

try:
    import cv2
except ImportError:  # decoding/resizing raise a clear error when used
    cv2 = None



def _cv2(what):
    if cv2 is None:
        raise ImportError("mx.image.%s needs OpenCV: pip install opencv-python-headless" % what)
    return cv2


def _host(src):
    """numpy view/copy of an image (NDArray or numpy)."""
    return src.asnumpy() if isinstance(src, nd.NDArray) else np.asarray(src)


def _image_out(arr, out=None):
    """NDArray of an OpenCV result (2-d results get their channel axis back)."""
    if arr.ndim == 2:
        arr = arr[:, :, None]
    res = nd.array(arr, dtype=arr.dtype)
    if out is not None:
        out[:] = res
        return out
    # under NumPy semantics (npx.set_np) MXNet's image functions return mx.np arrays
    return res.as_np_ndarray() if is_np_array() else res


def _check_image(src, what):
    if len(src.shape) != 3:
        from ..base import ShapeError  # an MXNetError and a ValueError (MXNet's unpacking)
        raise ShapeError("mx.image.%s expects an image of shape (height, width, channels), "
                         "got shape %s" % (what, tuple(src.shape)))


def _check_size(value, name, what):
    """``value`` as an int >= 1 (MXNet parses it as an int attribute: 0.3 or True fail)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float,
                                                                     np.floating)) \
            or value != int(value) or value < 1:
        from ..base import AttributeParseError
        raise AttributeParseError("%s: %s must be a positive integer, got %r"
                                  % (what, name, value))
    return int(value)


# --------------------------------------------------------------------------------------------
# decoding and OpenCV primitives
# --------------------------------------------------------------------------------------------

def imdecode(buf, *args, **kwargs):
    """Decodes an image (JPEG, PNG, ...) into an NDArray.

    Parameters
    ----------
    buf : bytes, bytearray, numpy.ndarray or NDArray
        The encoded image.
    flag : int, default 1
        1: three color channels; 0: grayscale (one channel); -1: as stored.
    to_rgb : bool, default True
        Return RGB (True) or OpenCV's BGR (False) channel order.
    out : NDArray, optional
        Where to write the result.

    Returns
    -------
    NDArray
        (height, width, channels) uint8.
    """
    flag, to_rgb, out = _decode_args("imdecode", args, kwargs)
    if isinstance(buf, nd.NDArray):
        data = buf.asnumpy().astype(np.uint8, copy=False).ravel()
    elif isinstance(buf, np.ndarray):
        data = buf.astype(np.uint8, copy=False).ravel()
    elif isinstance(buf, (bytes, bytearray, memoryview)):
        data = np.frombuffer(buf, dtype=np.uint8)
    elif isinstance(buf, str):     # ValueError, as MXNet 1.9.1
        raise ValueError("imdecode: buf must be the encoded bytes, got str (to read a file use "
                         "mx.image.imread)")
    else:
        raise ValueError("imdecode: buf must be bytes, numpy.ndarray or NDArray, got %s"
                         % type(buf).__name__)
    return _image_out(_decode(data, flag, to_rgb, "imdecode"), out)


def _decode_args(what, args, kwargs):
    names = ("flag", "to_rgb", "out")
    values = dict(zip(names, args))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError("%s() got an unexpected keyword argument %r" % (what, key))
        values[key] = value
    return int(values.get("flag", 1)), bool(values.get("to_rgb", True)), values.get("out")


def _decode(data, flag, to_rgb, what, source=None):
    if data.size == 0:
        raise MXNetError("%s: %s is empty, not an image" % (what, source or "the buffer"))
    img = _cv2(what).imdecode(data, flag)
    if img is None:
        raise MXNetError("%s: decoding failed, %s (%d bytes) is not a valid image file"
                         % (what, source or "the buffer", data.size))
    if to_rgb and img.ndim == 3 and img.shape[2] >= 3:
        img = np.ascontiguousarray(img[:, :, [2, 1, 0] + list(range(3, img.shape[2]))])
    return img


def imread(filename, *args, **kwargs):
    """Reads and decodes an image file into an NDArray.

    Parameters
    ----------
    filename : str
    flag : int, default 1
        1: three color channels; 0: grayscale; -1: as stored.
    to_rgb : bool, default True
        RGB (True) or BGR (False) channel order.
    out : NDArray, optional

    Returns
    -------
    NDArray
        (height, width, channels) uint8.
    """
    flag, to_rgb, out = _decode_args("imread", args, kwargs)
    try:
        with open(filename, "rb") as f:
            data = np.frombuffer(f.read(), dtype=np.uint8)
    except OSError as err:
        raise MXNetError("imread: cannot open %r: %s" % (filename, err.strerror)) from err
    return _image_out(_decode(data, flag, to_rgb, "imread", repr(filename)), out)


def _get_interp_method(interp, sizes=()):
    """Resolves MXNet's interpolation code (9: by size change, 10: random) to 0..4."""
    if interp == 9:
        if sizes:
            oh, ow, nh, nw = sizes
            if nh > oh and nw > ow:
                return 2
            if nh < oh and nw < ow:
                return 3
            return 1
        return 2
    if interp == 10:
        return random.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        from ..base import AttributeParseError  # MXNet raises MXNetError (OpenCV's check)
        raise AttributeParseError("Unknown interp method %d (use 0 nearest, 1 bilinear, 2 "
                                  "bicubic, 3 area, 4 lanczos, 9 auto, 10 random)" % interp)
    return interp


def imresize(src, w, h, *args, **kwargs):
    """Resizes an image to width ``w`` and height ``h``.

    Parameters
    ----------
    src : NDArray
        (height, width, channels) image.
    w, h : int
        The new width and height.
    interp : int, default 1
        Interpolation (0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos, 9 auto, 10 random).
    out : NDArray, optional

    Returns
    -------
    NDArray
    """
    names = ("interp", "out")
    values = dict(zip(names, args))
    values.update(kwargs)
    interp = _get_interp_method(int(values.get("interp", 1)),
                                (src.shape[0], src.shape[1], h, w))
    _check_image(src, "imresize")
    w, h = _check_size(w, "w", "imresize"), _check_size(h, "h", "imresize")
    if interp == 2 and src.dtype == np.uint8:
        # NOTE: newer OpenCV rounds 8-bit bicubic through float32 and differs from MXNet's by 1
        # in a few percent of the pixels; the resize operator reproduces MXNet's rounding.
        res = nd.image.resize(src, size=(int(w), int(h)), interp=2)
        return _image_out(res.asnumpy(), values.get("out"))
    arr = _host(src)
    res = _cv2("imresize").resize(arr, (int(w), int(h)), interpolation=interp)
    return _image_out(res, values.get("out"))


def copyMakeBorder(src, top, bot, left, right, *args, **kwargs):
    """Pads an image with a border.

    Parameters
    ----------
    src : NDArray
    top, bot, left, right : int
        Border widths.
    type : int, default 0
        OpenCV border type (0 constant, 1 replicate, 2 reflect, 3 wrap, 4 reflect-101).
    value : float, default 0
        Constant border value (all channels).
    values : tuple of float
        Per-channel constant border values (overrides ``value``; a single number fills the
        first channel only).
    out : NDArray, optional
    """
    names = ("type", "value", "values", "out")
    opts = dict(zip(names, args))
    opts.update(kwargs)
    arr = _host(src)
    values = opts.get("values") or ()
    # a single number is a one-element tuple (the other channels get 0), as in MXNet
    values = (values,) if isinstance(values, (int, float)) else tuple(values)
    values = values or (opts.get("value", 0),) * 4
    res = _cv2("copyMakeBorder").copyMakeBorder(
        arr, int(top), int(bot), int(left), int(right), int(opts.get("type", 0)),
        value=values + (0,) * (4 - len(values)))
    return _image_out(res, opts.get("out"))


def scale_down(src_size, size):
    """Shrinks ``size`` (w, h) to fit in ``src_size`` (w, h), keeping its aspect ratio."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def resize_short(src, size, interp=2):
    """Resizes so that the shorter side is ``size``, keeping the aspect ratio."""
    h, w = src.shape[0], src.shape[1]
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return imresize(src, new_w, new_h, interp=_get_interp_method(interp, (h, w, new_h, new_w)))


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """Crops the ``w`` x ``h`` window at (``x0``, ``y0``), then resizes it to ``size``
    (w, h) if given."""
    _check_image(src, "fixed_crop")
    if x0 < 0 or y0 < 0 or w <= 0 or h <= 0 or x0 + w > src.shape[1] or \
            y0 + h > src.shape[0]:
        raise MXNetError("fixed_crop: window x0=%d, y0=%d, w=%d, h=%d does not fit in an image "
                         "of shape %s" % (x0, y0, w, h, tuple(src.shape)))
    out = src[y0:y0 + h, x0:x0 + w]     # keeps the array type (NDArray or mx.np)
    if size is not None and (w, h) != tuple(size):
        sizes = (h, w, size[1], size[0])
        out = imresize(out, size[0], size[1], interp=_get_interp_method(interp, sizes))
    return out


def random_crop(src, size, interp=2):
    """Crops a random window of ``size`` (w, h), shrunk to fit; returns (image, (x0, y0, w,
    h))."""
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0 = random.randint(0, w - new_w)
    y0 = random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src, size, interp=2):
    """Crops the central window of ``size`` (w, h), shrunk to fit; returns (image, (x0, y0,
    w, h))."""
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """Subtracts ``mean`` and divides by ``std`` (in place on ``src``; returns it)."""
    if mean is not None:
        src -= mean
    if std is not None:
        src /= std
    return src


def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """Crops a random window with area fraction in ``area`` and aspect ratio in ``ratio``,
    resized to ``size``; falls back to a center crop after 10 tries.

    Returns
    -------
    (NDArray, (x0, y0, w, h))
    """
    h, w = src.shape[0], src.shape[1]
    src_area = h * w
    if "min_area" in kwargs:
        warnings.warn("`min_area` is deprecated. Please use `area` instead.",
                      DeprecationWarning)
        area = kwargs.pop("min_area")
    if kwargs:
        raise AssertionError("unexpected keyword arguments for `random_size_crop`: %s"
                             % sorted(kwargs))
    if isinstance(area, numeric_types):
        area = (area, 1.0)
    for _ in range(10):
        target_area = random.uniform(area[0], area[1]) * src_area
        log_ratio = (np.log(ratio[0]), np.log(ratio[1]))
        new_ratio = np.exp(random.uniform(*log_ratio))
        new_w = int(round(np.sqrt(target_area * new_ratio)))
        new_h = int(round(np.sqrt(target_area / new_ratio)))
        if new_w <= w and new_h <= h:
            x0 = random.randint(0, w - new_w)
            y0 = random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def _rotation_grid(rotation_degrees, h, w, zoom_in, zoom_out):
    """Normalized sampling grid (2, h, w) of a rotation about the image centre."""
    theta = np.deg2rad(rotation_degrees)
    cos, sin = np.cos(theta), np.sin(theta)
    hs, ws = (h - 1) / 2.0, (w - 1) / 2.0
    ys, xs = np.meshgrid(np.arange(h) - hs, np.arange(w) - ws, indexing="ij")
    grid = np.stack([(xs * cos - ys * sin) / ws, (xs * sin + ys * cos) / hs])
    if zoom_in or zoom_out:
        rho, corner = np.hypot(h, w), np.arctan2(h, w)
        turns = (corner + abs(theta), corner - abs(theta))
        reach_x = max(abs(rho * np.cos(a)) for a in turns)
        reach_y = max(abs(rho * np.sin(a)) for a in turns)
        if zoom_out:
            grid = grid * max(reach_x / w, reach_y / h)
        else:
            grid = grid * min(w / reach_x, h / reach_y)
    return grid.astype(np.float32)


def imrotate(src, rotation_degrees, zoom_in=False, zoom_out=False):
    """Rotates images (float32, CHW or NCHW) counter-clockwise by ``rotation_degrees``.

    Parameters
    ----------
    src : NDArray
        (C, H, W) or (N, C, H, W) float32.
    rotation_degrees : float or NDArray
        One angle, or one per image for a batch.
    zoom_in : bool
        Scale so that no padding shows.
    zoom_out : bool
        Scale so that the whole rotated image shows.
    """
    if zoom_in and zoom_out:
        raise ValueError("imrotate: zoom_in and zoom_out cannot both be true")
    if src.dtype != np.float32:
        raise TypeError("imrotate: only float32 images are supported, got %s" % src.dtype)
    single = src.ndim == 3
    if single:
        src = src.expand_dims(axis=0)
    elif src.ndim != 4:
        raise ValueError("imrotate: expected (C, H, W) or (N, C, H, W), got shape %s"
                         % (src.shape,))
    n, _, h, w = src.shape
    angles = rotation_degrees.asnumpy() if isinstance(rotation_degrees, nd.NDArray) else \
        np.asarray(rotation_degrees, dtype=np.float64)
    angles = np.broadcast_to(angles.reshape(-1), (n,)) if angles.size in (1, n) else None
    if angles is None:
        raise ValueError("imrotate: %d angles for a batch of %d images"
                         % (np.size(rotation_degrees), n))
    grid = np.stack([_rotation_grid(a, h, w, zoom_in, zoom_out) for a in angles])
    out = nd.BilinearSampler(src, nd.array(grid, ctx=src.context))
    return out[0] if single else out


def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """Rotates by angles drawn uniformly from ``angle_limits`` (one per image)."""
    if src.ndim == 3:
        angle = random.uniform(*angle_limits)
    else:
        angle = nd.array(np.random.uniform(angle_limits[0], angle_limits[1], size=src.shape[0]))
    return imrotate(src, angle, zoom_in=zoom_in, zoom_out=zoom_out)




# --------------------------------------------------------------------------------------------
# augmenters
# --------------------------------------------------------------------------------------------

def _json_safe(value):
    if isinstance(value, nd.NDArray):
        value = value.asnumpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return value


class Augmenter(object):
    """Base class of image augmenters: ``aug(src)`` returns the augmented image.

    Parameters
    ----------
    **kwargs
        The augmenter's settings (kept for :meth:`dumps`).
    """

    def __init__(self, **kwargs):
        self._kwargs = {k: _json_safe(v) for k, v in kwargs.items()}

    def dumps(self):
        """The augmenter as a JSON string ``[name, settings]``."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, src):
        raise NotImplementedError("%s must implement __call__" % type(self).__name__)


class SequentialAug(Augmenter):
    """Applies a list of augmenters in order.

    Parameters
    ----------
    ts : list of Augmenter
    """

    def __init__(self, ts):
        super(SequentialAug, self).__init__()
        self.ts = ts

    def dumps(self):
        return [self.__class__.__name__.lower(), [x.dumps() for x in self.ts]]

    def __call__(self, src):
        for aug in self.ts:
            src = aug(src)
        return src


class ResizeAug(Augmenter):
    """Resizes the shorter side to ``size`` (see :func:`resize_short`)."""

    def __init__(self, size, interp=2):
        super(ResizeAug, self).__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return resize_short(src, self.size, self.interp)


class ForceResizeAug(Augmenter):
    """Resizes to exactly ``size`` (w, h), ignoring the aspect ratio."""

    def __init__(self, size, interp=2):
        super(ForceResizeAug, self).__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        sizes = (src.shape[0], src.shape[1], self.size[1], self.size[0])
        return imresize(src, self.size[0], self.size[1],
                        interp=_get_interp_method(self.interp, sizes))


class RandomCropAug(Augmenter):
    """Crops a random window of ``size`` (w, h)."""

    def __init__(self, size, interp=2):
        super(RandomCropAug, self).__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return random_crop(src, self.size, self.interp)[0]


class RandomSizedCropAug(Augmenter):
    """Random crop with area fraction in ``area`` and aspect ratio in ``ratio``, resized to
    ``size`` (see :func:`random_size_crop`)."""

    def __init__(self, size, area, ratio, interp=2, **kwargs):
        super(RandomSizedCropAug, self).__init__(size=size, area=area, ratio=ratio,
                                                 interp=interp)
        self.size = size
        if "min_area" in kwargs:
            warnings.warn("`min_area` is deprecated. Please use `area` instead.",
                          DeprecationWarning)
            self.area = kwargs.pop("min_area")
        else:
            self.area = area
        self.ratio = ratio
        self.interp = interp
        if kwargs:
            raise AssertionError("unexpected keyword arguments for `RandomSizedCropAug`: %s"
                                 % sorted(kwargs))

    def __call__(self, src):
        return random_size_crop(src, self.size, self.area, self.ratio, self.interp)[0]


class CenterCropAug(Augmenter):
    """Crops the central window of ``size`` (w, h)."""

    def __init__(self, size, interp=2):
        super(CenterCropAug, self).__init__(size=size, interp=interp)
        self.size = size
        self.interp = interp

    def __call__(self, src):
        return center_crop(src, self.size, self.interp)[0]


class RandomOrderAug(Augmenter):
    """Applies a list of augmenters in a random order."""

    def __init__(self, ts):
        super(RandomOrderAug, self).__init__()
        self.ts = ts

    def dumps(self):
        return [self.__class__.__name__.lower(), [x.dumps() for x in self.ts]]

    def __call__(self, src):
        random.shuffle(self.ts)
        for t in self.ts:
            src = t(src)
        return src


_GRAY_COEF = [[[0.299, 0.587, 0.114]]]


class BrightnessJitterAug(Augmenter):
    """Scales by ``1 + U(-brightness, brightness)`` (float images)."""

    def __init__(self, brightness):
        super(BrightnessJitterAug, self).__init__(brightness=brightness)
        self.brightness = brightness

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.brightness, self.brightness)
        src *= alpha
        return src


class ContrastJitterAug(Augmenter):
    """Blends with the mean gray level by ``1 + U(-contrast, contrast)`` (float images)."""

    def __init__(self, contrast):
        super(ContrastJitterAug, self).__init__(contrast=contrast)
        self.contrast = contrast
        self.coef = nd.array(_GRAY_COEF)

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.contrast, self.contrast)
        gray = src * self.coef
        gray = (3.0 * (1.0 - alpha) / gray.size) * nd.sum(gray)
        src *= alpha
        src += gray
        return src


class SaturationJitterAug(Augmenter):
    """Blends with the per-pixel gray level by ``1 + U(-saturation, saturation)``."""

    def __init__(self, saturation):
        super(SaturationJitterAug, self).__init__(saturation=saturation)
        self.saturation = saturation
        self.coef = nd.array(_GRAY_COEF)

    def __call__(self, src):
        alpha = 1.0 + random.uniform(-self.saturation, self.saturation)
        gray = src * self.coef
        gray = nd.sum(gray, axis=2, keepdims=True)
        gray *= (1.0 - alpha)
        src *= alpha
        src += gray
        return src


class HueJitterAug(Augmenter):
    """Rotates the hue by ``U(-hue, hue) * 180`` degrees in YIQ space."""

    def __init__(self, hue):
        super(HueJitterAug, self).__init__(hue=hue)
        self.hue = hue
        self.tyiq = np.array([[0.299, 0.587, 0.114],
                              [0.596, -0.274, -0.321],
                              [0.211, -0.523, 0.311]])
        self.ityiq = np.array([[1.0, 0.956, 0.621],
                               [1.0, -0.272, -0.647],
                               [1.0, -1.107, 1.705]])

    def __call__(self, src):
        alpha = random.uniform(-self.hue, self.hue)
        u, w = np.cos(alpha * np.pi), np.sin(alpha * np.pi)
        bt = np.array([[1.0, 0.0, 0.0], [0.0, u, -w], [0.0, w, u]])
        t = np.dot(np.dot(self.ityiq, bt), self.tyiq).T
        return nd.dot(src, nd.array(t, dtype=src.dtype))


class ColorJitterAug(RandomOrderAug):
    """Brightness, contrast and saturation jitter in a random order."""

    def __init__(self, brightness, contrast, saturation):
        ts = []
        if brightness > 0:
            ts.append(BrightnessJitterAug(brightness))
        if contrast > 0:
            ts.append(ContrastJitterAug(contrast))
        if saturation > 0:
            ts.append(SaturationJitterAug(saturation))
        super(ColorJitterAug, self).__init__(ts)


class LightingAug(Augmenter):
    """AlexNet-style PCA lighting noise: adds ``eigvec @ (N(0, alphastd) * eigval)``."""

    def __init__(self, alphastd, eigval, eigvec):
        super(LightingAug, self).__init__(alphastd=alphastd, eigval=eigval, eigvec=eigvec)
        self.alphastd = alphastd
        self.eigval = eigval
        self.eigvec = eigvec

    def __call__(self, src):
        alpha = np.random.normal(0, self.alphastd, size=(3,))
        rgb = np.dot(self.eigvec * alpha, self.eigval)
        src += nd.array(rgb, dtype=src.dtype)
        return src


class ColorNormalizeAug(Augmenter):
    """Subtracts ``mean`` and divides by ``std`` (see :func:`color_normalize`)."""

    def __init__(self, mean, std):
        super(ColorNormalizeAug, self).__init__(mean=mean, std=std)
        self.mean = mean if mean is None or isinstance(mean, nd.NDArray) else nd.array(mean)
        self.std = std if std is None or isinstance(std, nd.NDArray) else nd.array(std)

    def __call__(self, src):
        return color_normalize(src, self.mean, self.std)


class RandomGrayAug(Augmenter):
    """Turns the image gray with probability ``p``."""

    def __init__(self, p):
        super(RandomGrayAug, self).__init__(p=p)
        self.p = p
        self.mat = nd.array([[0.21, 0.21, 0.21], [0.72, 0.72, 0.72], [0.07, 0.07, 0.07]])

    def __call__(self, src):
        if random.random() < self.p:
            src = nd.dot(src, self.mat.astype(src.dtype, copy=False))
        return src


class HorizontalFlipAug(Augmenter):
    """Flips left-right with probability ``p``."""

    def __init__(self, p):
        super(HorizontalFlipAug, self).__init__(p=p)
        self.p = p

    def __call__(self, src):
        if random.random() < self.p:
            src = nd.flip(src, axis=1)
        return src


class CastAug(Augmenter):
    """Casts to ``typ`` (default float32)."""

    def __init__(self, typ="float32"):
        super(CastAug, self).__init__(type=typ)
        self.typ = typ

    def __call__(self, src):
        return src.astype(self.typ)


_PCA_EIGVAL = np.array([55.46, 4.794, 1.148])
_PCA_EIGVEC = np.array([[-0.5675, 0.7192, 0.4009],
                        [-0.5808, -0.0045, -0.8140],
                        [-0.5836, -0.6948, 0.4203]])


def _check_stat(value, name):
    if not isinstance(value, (np.ndarray, nd.NDArray)) or value.shape[0] not in (1, 3):
        raise AssertionError("CreateAugmenter: %s must be True, None or an array of 1 or 3 "
                             "values, got %r" % (name, value))


def CreateAugmenter(data_shape, resize=0, rand_crop=False, rand_resize=False, rand_mirror=False,
                    mean=None, std=None, brightness=0, contrast=0, saturation=0, hue=0,
                    pca_noise=0, rand_gray=0, inter_method=2):
    """Builds the standard list of augmenters for images of ``data_shape`` (C, H, W).

    Parameters
    ----------
    data_shape : tuple of int
        (channels, height, width) of the output.
    resize : int
        Resize the shorter side to this first (0: no).
    rand_crop, rand_resize, rand_mirror : bool
        Random crop / random-size crop (needs rand_crop) / random horizontal flip.
    mean, std : True, numpy.ndarray or NDArray
        Normalization (True: ImageNet's RGB statistics).
    brightness, contrast, saturation, hue, pca_noise : float
        Jitter strengths.
    rand_gray : float
        Probability of turning an image gray.
    inter_method : int
        Interpolation for resizing (see :func:`imresize`).

    Returns
    -------
    list of Augmenter
    """
    auglist = []
    if resize > 0:
        auglist.append(ResizeAug(resize, inter_method))
    crop_size = (data_shape[2], data_shape[1])
    if rand_resize:
        if not rand_crop:
            raise AssertionError("CreateAugmenter: rand_resize needs rand_crop=True")
        auglist.append(RandomSizedCropAug(crop_size, 0.08, (3.0 / 4.0, 4.0 / 3.0),
                                          inter_method))
    elif rand_crop:
        auglist.append(RandomCropAug(crop_size, inter_method))
    else:
        auglist.append(CenterCropAug(crop_size, inter_method))
    if rand_mirror:
        auglist.append(HorizontalFlipAug(0.5))
    auglist.append(CastAug())
    if brightness or contrast or saturation:
        auglist.append(ColorJitterAug(brightness, contrast, saturation))
    if hue:
        auglist.append(HueJitterAug(hue))
    if pca_noise > 0:
        auglist.append(LightingAug(pca_noise, _PCA_EIGVAL, _PCA_EIGVEC))
    if rand_gray > 0:
        auglist.append(RandomGrayAug(rand_gray))
    if mean is True:
        mean = nd.array([123.68, 116.28, 103.53])
    elif mean is not None:
        _check_stat(mean, "mean")
    if std is True:
        std = nd.array([58.395, 57.12, 57.375])
    elif std is not None:
        _check_stat(std, "std")
    if mean is not None or std is not None:
        auglist.append(ColorNormalizeAug(mean, std))
    return auglist


from ._iter import ImageIter  # noqa: E402,F401  (built on the helpers above)
