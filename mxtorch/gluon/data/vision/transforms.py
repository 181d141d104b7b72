"""Image transforms as Gluon blocks (``gluon.data.vision.transforms``).

Deterministic transforms are HybridBlocks over the ``F.image`` operators; the ones built on
``mx.image`` helpers (crops with random windows, rotations) are plain Blocks, as in MXNet.
"""
import random

import numpy as np

from .... import image
from ....base import numeric_types
from ....util import is_np_array  # noqa: F401
from ...block import Block, HybridBlock
from ...nn import Sequential, HybridSequential



class Compose(Sequential):
    """Applies transforms in order; runs of consecutive HybridBlocks are grouped into one
    hybridized HybridSequential.

    Parameters
    ----------
    transforms : list of Block

    Examples
    --------
    >>> t = transforms.Compose([transforms.Resize(300), transforms.CenterCrop(256),
    ...                         transforms.ToTensor()])
    """

    def __init__(self, transforms):
        super(Compose, self).__init__()
        run = []
        for block in list(transforms) + [None]:
            if isinstance(block, HybridBlock):
                run.append(block)
                continue
            self._add_run(run)
            run = []
            if block is not None:
                self.add(block)

    def _add_run(self, run):
        if len(run) == 1:
            self.add(run[0])
        elif len(run) > 1:
            group = HybridSequential()
            for block in run:
                group.add(block)
            group.hybridize()
            self.add(group)


class HybridCompose(HybridSequential):
    """Applies HybridBlock transforms in order, as one HybridBlock (MXNet 2.x).

    Parameters
    ----------
    transforms : list of HybridBlock
    """

    def __init__(self, transforms):
        super(HybridCompose, self).__init__()
        for i, block in enumerate(transforms):
            if not isinstance(block, HybridBlock):
                raise ValueError("HybridCompose: transform %d (%s) is not a HybridBlock; use "
                                 "Compose" % (i, type(block).__name__))
            self.add(block)


class Cast(HybridBlock):
    """Casts the input to ``dtype``.

    Parameters
    ----------
    dtype : str, default 'float32'
    """

    _batch_safe = True  # per-image elementwise: the DataLoader may run it on a batch

    def __init__(self, dtype="float32"):
        super(Cast, self).__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return F.cast(x, self._dtype)


class ToTensor(HybridBlock):
    """(H, W, C) uint8 in [0, 255] -> (C, H, W) float32 in [0, 1] (batches: (N, H, W, C) ->
    (N, C, H, W))."""

    _batch_safe = True  # per-image elementwise: the DataLoader may run it on a batch

    def __init__(self):
        super(ToTensor, self).__init__()

    def hybrid_forward(self, F, x):
        return F.image.to_tensor(x)


class Normalize(HybridBlock):
    """``(x - mean) / std`` per channel of a (C, H, W) or (N, C, H, W) tensor.

    Parameters
    ----------
    mean : float or tuple of float, default 0.0
    std : float or tuple of float, default 1.0
    """

    _batch_safe = True  # per-image elementwise: the DataLoader may run it on a batch

    def __init__(self, mean=0.0, std=1.0):
        super(Normalize, self).__init__()
        self._mean = mean
        self._std = std

    def hybrid_forward(self, F, x):
        return F.image.normalize(x, self._mean, self._std)


def _pair(size):
    return (size, size) if isinstance(size, numeric_types) else size


class RandomResizedCrop(Block):
    """Crops a random window (area fraction ``scale``, aspect ratio ``ratio``) and resizes it
    to ``size``.

    Parameters
    ----------
    size : int or (width, height)
    scale : (float, float), default (0.08, 1.0)
    ratio : (float, float), default (3/4, 4/3)
    interpolation : int, default 1
        See ``mx.image.imresize``.
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super(RandomResizedCrop, self).__init__()
        self._args = (_pair(size), scale, ratio, interpolation)

    def forward(self, x):
        return image.random_size_crop(x, *self._args)[0]


class CenterCrop(Block):
    """Crops the centre to ``size`` (width, height), resizing if the image is smaller.

    Parameters
    ----------
    size : int or (width, height)
    interpolation : int, default 1
    """

    def __init__(self, size, interpolation=1):
        super(CenterCrop, self).__init__()
        self._args = (_pair(size), interpolation)

    def forward(self, x):
        return image.center_crop(x, *self._args)[0]


class Resize(HybridBlock):
    """Resizes to ``size``.

    Parameters
    ----------
    size : int or (width, height)
        An int with ``keep_ratio`` sets the shorter side; without it, both sides.
    keep_ratio : bool, default False
    interpolation : int, default 1
    """

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super(Resize, self).__init__()
        self._keep = keep_ratio
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        return F.image.resize(x, self._size, self._keep, self._interpolation)


class CropResize(HybridBlock):
    """Crops the ``width`` x ``height`` window at (``x``, ``y``), then resizes it to ``size``
    if given.

    Parameters
    ----------
    x, y, width, height : int
    size : int or (width, height), optional
    interpolation : int, optional
        Default 1 (bilinear).
    """

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super(CropResize, self).__init__()
        self._x = x
        self._y = y
        self._width = width
        self._height = height
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        out = F.image.crop(x, self._x, self._y, self._width, self._height)
        if self._size:
            interp = 1 if self._interpolation is None else self._interpolation
            out = F.image.resize(out, self._size, False, interp)
        return out


class RandomFlipLeftRight(HybridBlock):
    """Flips left-right with probability 0.5."""

    def __init__(self):
        super(RandomFlipLeftRight, self).__init__()

    def hybrid_forward(self, F, x):
        return F.image.random_flip_left_right(x)


class RandomFlipTopBottom(HybridBlock):
    """Flips top-bottom with probability 0.5."""

    def __init__(self):
        super(RandomFlipTopBottom, self).__init__()

    def hybrid_forward(self, F, x):
        return F.image.random_flip_top_bottom(x)


def _factor_range(value):
    return (max(0, 1 - value), 1 + value)


class RandomBrightness(HybridBlock):
    """Scales brightness by a factor drawn from ``[max(0, 1 - brightness), 1 + brightness]``."""

    def __init__(self, brightness):
        super(RandomBrightness, self).__init__()
        self._args = _factor_range(brightness)

    def hybrid_forward(self, F, x):
        return F.image.random_brightness(x, *self._args)


class RandomContrast(HybridBlock):
    """Scales contrast by a factor drawn from ``[max(0, 1 - contrast), 1 + contrast]``."""

    def __init__(self, contrast):
        super(RandomContrast, self).__init__()
        self._args = _factor_range(contrast)

    def hybrid_forward(self, F, x):
        return F.image.random_contrast(x, *self._args)


class RandomSaturation(HybridBlock):
    """Scales saturation by a factor drawn from ``[max(0, 1 - saturation), 1 + saturation]``."""

    def __init__(self, saturation):
        super(RandomSaturation, self).__init__()
        self._args = _factor_range(saturation)

    def hybrid_forward(self, F, x):
        return F.image.random_saturation(x, *self._args)


class RandomHue(HybridBlock):
    """Shifts hue by a factor drawn from ``[max(0, 1 - hue), 1 + hue]``."""

    def __init__(self, hue):
        super(RandomHue, self).__init__()
        self._args = _factor_range(hue)

    def hybrid_forward(self, F, x):
        return F.image.random_hue(x, *self._args)


class RandomColorJitter(HybridBlock):
    """Random brightness, contrast, saturation and hue changes, in a random order.

    Parameters
    ----------
    brightness, contrast, saturation, hue : float, default 0
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super(RandomColorJitter, self).__init__()
        self._args = (brightness, contrast, saturation, hue)

    def hybrid_forward(self, F, x):
        return F.image.random_color_jitter(x, *self._args)


class RandomLighting(HybridBlock):
    """AlexNet-style PCA lighting noise of strength ``alpha``."""

    def __init__(self, alpha):
        super(RandomLighting, self).__init__()
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.image.random_lighting(x, self._alpha)


def _coin(F, p):
    """1.0 with probability ``p`` else 0.0, drawn per call (also inside compiled graphs)."""
    return F.cast(F.random.uniform(low=0, high=1, shape=(1,)) < p, "float32")


def _blend(F, mask, yes, no):
    return F.broadcast_add(F.broadcast_mul(yes, mask), F.broadcast_mul(no, 1 - mask))


def _is_eager(F):
    return not F.__name__.split(".")[-1].startswith("sym")


class RandomGray(HybridBlock):
    """Turns an (..., 3) image gray (ITU-R 601 luma in all three channels) with probability
    ``p`` (MXNet 2.x). The result is float32 either way.

    Parameters
    ----------
    p : float, default 0.5
    """

    def __init__(self, p=0.5):
        super(RandomGray, self).__init__()
        self.p = p

    def hybrid_forward(self, F, x):
        xf = F.cast(x, "float32")
        r, g, b = (F.slice_axis(xf, axis=-1, begin=i, end=i + 1) for i in range(3))
        luma = 0.2989 * r + 0.5870 * g + 0.1140 * b
        return _blend(F, _coin(F, self.p), F.concat(luma, luma, luma, dim=-1), xf)


def _check_float32(x):
    if x.dtype != np.float32:
        raise TypeError("This transformation only supports float32. Consider calling it after "
                        "ToTensor (got %s)" % np.dtype(x.dtype).name)


class Rotate(Block):
    """Rotates a (C, H, W) or (N, C, H, W) float32 tensor by ``rotation_degrees``.

    Parameters
    ----------
    rotation_degrees : float
    zoom_in, zoom_out : bool, default False
        Scale so that no padding shows / the whole image shows.
    """

    def __init__(self, rotation_degrees, zoom_in=False, zoom_out=False):
        super(Rotate, self).__init__()
        self._args = (rotation_degrees, zoom_in, zoom_out)

    def forward(self, x):
        _check_float32(x)
        return image.imrotate(x, *self._args)


class RandomRotation(Block):
    """Rotates by an angle drawn from ``angle_limits``, with probability
    ``rotate_with_proba``.

    Parameters
    ----------
    angle_limits : (float, float)
    zoom_in, zoom_out : bool, default False
    rotate_with_proba : float, default 1.0
    """

    def __init__(self, angle_limits, zoom_in=False, zoom_out=False, rotate_with_proba=1.0):
        super(RandomRotation, self).__init__()
        lower, upper = angle_limits
        if lower >= upper:
            raise ValueError("RandomRotation: `angle_limits` must be an increasing pair, got "
                             "%s" % (angle_limits,))
        if not 0 <= rotate_with_proba <= 1:
            raise ValueError("RandomRotation: `rotate_with_proba` must be in [0, 1], got %s"
                             % rotate_with_proba)
        self._args = (angle_limits, zoom_in, zoom_out)
        self._rotate_with_proba = rotate_with_proba

    def forward(self, x):
        if np.random.random() > self._rotate_with_proba:
            return x
        _check_float32(x)
        return image.random_rotate(x, *self._args)


class RandomApply(Sequential):
    """Applies ``transforms`` with probability ``p``.

    Parameters
    ----------
    transforms : Block
    p : float, default 0.5
    """

    def __init__(self, transforms, p=0.5):
        super(RandomApply, self).__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        if self.p < random.random():
            return x
        return self.transforms(x)


class HybridRandomApply(HybridSequential):
    """Applies HybridBlock ``transforms`` with probability ``p`` (MXNet 2.x).

    Parameters
    ----------
    transforms : HybridBlock
    p : float, default 0.5
    """

    def __init__(self, transforms, p=0.5):
        super(HybridRandomApply, self).__init__()
        if not isinstance(transforms, HybridBlock):
            raise ValueError("HybridRandomApply: transforms must be a HybridBlock, got %s"
                             % type(transforms).__name__)
        self.transforms = transforms
        self.p = p

    def hybrid_forward(self, F, x):
        if _is_eager(F):
            return x if self.p < random.random() else self.transforms(x)
        # compiled: both branches run and one is kept (they must agree in shape and dtype)
        return _blend(F, _coin(F, self.p), self.transforms(x), x)
