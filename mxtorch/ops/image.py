"""Image operators (``nd.image.*``): to_tensor, normalize, resize, crop, flips and the random
colour augmentations.

Layouts follow MXNet 1.9.1: images are HWC (most ops also take a batch NHWC), ``to_tensor``
turns them into CHW floats in [0, 1] and ``normalize`` works on CHW/NCHW. uint8 results are
clamped to [0, 255] and truncated toward zero, as MXNet's own saturating cast does.

Random ops draw from torch's CPU generator, so ``mx.random.seed`` makes them repeatable (the
numbers differ from MXNet's generator). Gradients are torch's: MXNet passes the head gradient
through the random colour ops unchanged; see compat/contrib.md.
"""
import functools
import math

import torch

from ..base import AttributeParseError, DTypeError, ShapeError
from ._attrs import BOOL, FLOAT, FLOATS, INT, SHAPE
from ._registry import Attr, defop

# ITU-R 601 luma weights used by MXNet's contrast/saturation/grayscale.
_LUMA = (0.299, 0.587, 0.114)


def _check_image(op, data, batch=True, any_channels=False):
    ok = data.ndim == 3 or (batch and data.ndim == 4)
    if not ok:
        want = "(height, width, channels) or (batch, height, width, channels)" if batch else \
            "(height, width, channels)"
        raise ShapeError(f"{op}: input 'data' must have shape {want}, got {tuple(data.shape)}")
    if not any_channels and data.shape[-1] not in (1, 3):
        raise ShapeError(f"{op}: images must have 1 or 3 channels (last dim), got shape "
                         f"{tuple(data.shape)}")


def _saturate(x, dtype):
    """Cast float results back to the image dtype: integer types clamp and truncate."""
    if dtype.is_floating_point:
        return x.to(dtype)
    info = torch.iinfo(dtype)
    return torch.trunc(x.clamp(info.min, info.max)).to(dtype)


def _as_float(data):
    return data if data.is_floating_point() else data.float()


def _is_meta(data):
    # shape inference runs ops on meta tensors: random ops must not draw numbers then
    return data.device.type == "meta"


# --------------------------------------------------------------------------------------------
# layout and geometry
# --------------------------------------------------------------------------------------------


@defop("_image_to_tensor", inputs=("data",),
       infer_type=lambda attrs, in_dtypes: (list(in_dtypes), ["float32"]))
def to_tensor(data):
    """HWC / NHWC image with values in [0, 255] -> CHW / NCHW float32 in [0, 1]."""
    _check_image("to_tensor", data, any_channels=True)
    out = data.to(torch.float32) / 255.0
    return out.movedim(-1, -3)


@functools.lru_cache(maxsize=64)
def _channel_values(values, dtype, device):
    # normalize runs once per sample in data pipelines: build its constants once
    return torch.tensor(values, dtype=dtype, device=device).reshape(-1, 1, 1)


@defop("_image_normalize", inputs=("data",),
       attrs=(Attr("mean", FLOATS, (0.0, 0.0, 0.0, 0.0), "Per-channel mean (1 or C values)"),
              Attr("std", FLOATS, (1.0, 1.0, 1.0, 1.0), "Per-channel std (1 or C values)")))
def normalize(data, mean, std):
    """``(x - mean[c]) / std[c]`` over a CHW or NCHW tensor (C must be 1 or 3)."""
    if data.ndim not in (3, 4):
        raise ShapeError(f"normalize: input 'data' must have shape (channels, height, width) or "
                         f"(batch, channels, height, width), got {tuple(data.shape)}")
    channels = data.shape[-3]
    if channels not in (1, 3):
        raise ShapeError(f"normalize: the channel dim of input 'data' must be 1 or 3, got "
                         f"shape {tuple(data.shape)}")
    for name, values in (("mean", mean), ("std", std)):
        if len(values) not in (1, channels):
            raise AttributeParseError(
                f"normalize: {name} must have 1 or {channels} values for input of shape "
                f"{tuple(data.shape)}, got {values} (note the default has 4 values and only "
                f"works for 1-channel input, as in MXNet)")
    dtype = data.dtype if data.is_floating_point() else torch.float32
    m = _channel_values(tuple(mean[:channels]), dtype, data.device)
    s = _channel_values(tuple(std[:channels]), dtype, data.device)
    out = (_as_float(data) - m) / s
    if data.is_floating_point():
        return out.to(data.dtype)
    # NOTE: MXNet casts integer results without saturation (-1 becomes 255 in uint8)
    return torch.trunc(out).to(torch.int64).to(data.dtype)


@defop("_image_crop", inputs=("data",),
       attrs=(Attr("x", INT, doc="Left edge"), Attr("y", INT, doc="Top edge"),
              Attr("width", INT, doc="Crop width"), Attr("height", INT, doc="Crop height")))
def crop(data, x, y, width, height):
    """Crop an HWC / NHWC image to ``[y:y+height, x:x+width]``."""
    _check_image("crop", data)
    H, W = data.shape[-3], data.shape[-2]
    if x < 0 or y < 0 or width <= 0 or height <= 0 or x + width > W or y + height > H:
        raise ShapeError(f"crop: region x={x}, y={y}, width={width}, height={height} does not "
                         f"fit in an image of height {H} and width {W}")
    return data[..., y:y + height, x:x + width, :].clone()


@defop("_image_flip_left_right", inputs=("data",))
def flip_left_right(data):
    """Mirror an HWC image horizontally."""
    _check_image("flip_left_right", data, batch=False)
    return torch.flip(data, (-2,))


@defop("_image_flip_top_bottom", inputs=("data",))
def flip_top_bottom(data):
    """Mirror an HWC image vertically."""
    _check_image("flip_top_bottom", data, batch=False)
    return torch.flip(data, (-3,))


def _coin():
    return bool(torch.rand(()) < 0.5)


@defop("_image_random_flip_left_right", inputs=("data",))
def random_flip_left_right(data):
    """Mirror an HWC image horizontally with probability 0.5."""
    _check_image("random_flip_left_right", data, batch=False)
    if _is_meta(data):
        return torch.empty_like(data)
    return torch.flip(data, (-2,)) if _coin() else data.clone()


@defop("_image_random_flip_top_bottom", inputs=("data",))
def random_flip_top_bottom(data):
    """Mirror an HWC image vertically with probability 0.5."""
    _check_image("random_flip_top_bottom", data, batch=False)
    if _is_meta(data):
        return torch.empty_like(data)
    return torch.flip(data, (-3,)) if _coin() else data.clone()


# --------------------------------------------------------------------------------------------
# colour
# --------------------------------------------------------------------------------------------


def _uniform(low, high):
    return low + (high - low) * float(torch.rand((), dtype=torch.float64))


def _gray(x):
    """Per-pixel luma of an (..., C) float image; 1 channel: the channel itself."""
    if x.shape[-1] == 1:
        return x[..., 0]
    return x[..., 0] * _LUMA[0] + x[..., 1] * _LUMA[1] + x[..., 2] * _LUMA[2]


def _brightness(data, alpha):
    return _saturate(_as_float(data) * alpha, data.dtype)


def _contrast(data, alpha):
    x = _as_float(data)
    mean = _gray(x).mean(dim=(-2, -1), keepdim=True).unsqueeze(-1)
    return _saturate(x * alpha + mean * (1 - alpha), data.dtype)


def _saturation(data, alpha):
    if data.shape[-1] == 1:
        return data.clone()
    x = _as_float(data)
    gray = _gray(x).unsqueeze(-1) * (1 - alpha)
    return _saturate(x * alpha + gray, data.dtype)


def _rgb_to_hls(x):
    """OpenCV-style RGB (0..255) -> H in degrees, L and S in [0, 1]."""
    rgb = x / 255.0
    r, g, b = rgb.unbind(-1)
    vmax, vmin = rgb.max(-1)[0], rgb.min(-1)[0]
    diff = vmax - vmin
    light = (vmax + vmin) * 0.5
    chroma = diff > torch.finfo(x.dtype).eps
    sat = torch.where(light < 0.5, diff / (vmax + vmin), diff / (2.0 - vmax - vmin))
    scale = 60.0 / torch.where(chroma, diff, 1)
    hue = torch.where(vmax == r, (g - b) * scale,
                      torch.where(vmax == g, (b - r) * scale + 120.0, (r - g) * scale + 240.0))
    hue = torch.where(hue < 0, hue + 360.0, hue)
    zero = torch.zeros((), dtype=x.dtype, device=x.device)
    return torch.where(chroma, hue, zero), light, torch.where(chroma, sat, zero)


_F32_SIXTIETH = float(torch.tensor(1 / 60, dtype=torch.float32))


def _hls_to_rgb(hue, light, sat):
    p2 = torch.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    h = torch.remainder(hue * _F32_SIXTIETH, 6.0)
    sector = torch.floor(h).clamp(0, 5)
    frac = h - sector
    falling = p1 + (p2 - p1) * (1 - frac)
    rising = p1 + (p2 - p1) * frac
    # per sector, which of (p2, p1, falling, rising) is r, g, b (OpenCV's table, reordered)
    table = ((0, 3, 1), (2, 0, 1), (1, 0, 3), (1, 2, 0), (3, 1, 0), (0, 1, 2))
    choices = torch.stack((p2, p1, falling, rising), -1)
    pick = torch.tensor(table, device=hue.device)[sector.long()]
    rgb = torch.gather(choices, -1, pick)
    rgb = torch.where((sat == 0).unsqueeze(-1), light.unsqueeze(-1).expand_as(rgb), rgb)
    return rgb * 255.0


def _hue(data, alpha):
    if data.shape[-1] != 3:
        return data.clone()
    x = _as_float(data)
    if x.dtype == torch.float16:
        x = x.float()
    hue, light, sat = _rgb_to_hls(x)
    shift = float(torch.tensor(alpha, dtype=torch.float32) * 360)  # float32 like MXNet
    return _saturate(_hls_to_rgb(hue + shift, light, sat), data.dtype)


def _factor_attrs():
    return (Attr("min_factor", FLOAT, doc="Smallest factor"),
            Attr("max_factor", FLOAT, doc="Largest factor"))


def _check_factors(op, data, low, high):
    for name, value in (("min_factor", low), ("max_factor", high)):
        if value < 0:
            raise AttributeParseError(f"{op}: {name}={value} must be >= 0")


def _random_factor_op(name, apply, doc):
    """Register ``_image_random_<name>``: ``apply(data, factor)`` with a factor drawn
    uniformly from [min_factor, max_factor] (no draw during meta shape inference)."""
    def compute(data, min_factor, max_factor):
        _check_image(f"random_{name}", data, batch=False)
        _check_factors(f"random_{name}", data, min_factor, max_factor)
        if _is_meta(data):
            return torch.empty_like(data)
        return apply(data, _uniform(min_factor, max_factor))
    compute.__name__ = f"random_{name}"
    defop(f"_image_random_{name}", inputs=("data",), attrs=_factor_attrs(), doc=doc)(compute)


_random_factor_op("brightness", _brightness,
                  "Scale all values by a factor drawn uniformly from [min_factor, max_factor].")
_random_factor_op("contrast", _contrast,
                  "Blend with the image's mean luma by a factor drawn from [min_factor, "
                  "max_factor].")
_random_factor_op("saturation", _saturation,
                  "Blend with the per-pixel luma by a factor drawn from [min_factor, "
                  "max_factor].")
_random_factor_op("hue", _hue,
                  "Rotate the hue (HLS space) by ``factor * 360`` degrees, factor from the "
                  "range.")


@defop("_image_random_color_jitter", inputs=("data",),
       attrs=(Attr("brightness", FLOAT, doc="Brightness jitter"),
              Attr("contrast", FLOAT, doc="Contrast jitter"),
              Attr("saturation", FLOAT, doc="Saturation jitter"),
              Attr("hue", FLOAT, doc="Hue jitter")))
def random_color_jitter(data, brightness, contrast, saturation, hue):
    """Brightness, contrast, saturation (factors 1 +- jitter) and hue (+- jitter) in random
    order; a jitter of 0 skips that step."""
    _check_image("random_color_jitter", data, batch=False)
    if _is_meta(data):
        return torch.empty_like(data)
    steps = {0: (brightness, _brightness), 1: (contrast, _contrast),
             2: (saturation, _saturation), 3: (hue, _hue)}
    out = data
    for i in torch.randperm(4).tolist():
        amount, fn = steps[i]
        if amount > 0:
            factor = _uniform(-amount, amount)
            out = fn(out, factor if i == 3 else 1.0 + factor)
    return out.clone() if out is data else out


# AlexNet PCA lighting: eigenvalues and eigenvectors (columns) of the ImageNet RGB covariance.
_EIGVAL = (55.46, 4.794, 1.148)
_EIGVEC = ((-0.5675, 0.7192, 0.4009), (-0.5808, -0.0045, -0.8140), (-0.5836, -0.6948, 0.4203))


def _lighting(data, alpha):
    shift = [sum(_EIGVEC[c][k] * alpha[k] * _EIGVAL[k] for k in range(3)) for c in range(3)]
    x = _as_float(data)
    return _saturate(x + torch.tensor(shift, dtype=x.dtype, device=x.device), data.dtype)


@defop("_image_adjust_lighting", inputs=("data",),
       attrs=(Attr("alpha", FLOATS, doc="Weights of the three PCA components"),))
def adjust_lighting(data, alpha):
    """Add the AlexNet PCA colour shift ``eigvec @ (alpha * eigval)`` to an RGB HWC image."""
    _check_image("adjust_lighting", data, batch=False)
    if len(alpha) != 3 or data.shape[-1] != 3:
        raise ShapeError(f"adjust_lighting: needs 3 alpha values and a 3-channel image, got "
                         f"alpha={alpha} and shape {tuple(data.shape)}")
    return _lighting(data, alpha)


@defop("_image_random_lighting", inputs=("data",),
       attrs=(Attr("alpha_std", FLOAT, 0.05, "Std of the PCA weights"),))
def random_lighting(data, alpha_std):
    """``adjust_lighting`` with alpha drawn from N(0, alpha_std^2)."""
    _check_image("random_lighting", data, batch=False)
    if data.shape[-1] != 3:
        raise ShapeError(f"random_lighting: needs a 3-channel image, got {tuple(data.shape)}")
    if _is_meta(data):
        return torch.empty_like(data)
    alpha = (torch.randn(3, dtype=torch.float64) * alpha_std).tolist()
    return _lighting(data, alpha)


# --------------------------------------------------------------------------------------------
# resize (OpenCV's cv::resize semantics, which MXNet calls)
# --------------------------------------------------------------------------------------------

_NEAREST, _LINEAR, _CUBIC, _AREA, _LANCZOS, _LINEAR_EXACT = 0, 1, 2, 3, 4, 5
_COEF_BITS = 11  # OpenCV's fixed-point scale for 8-bit images: weights * 2048


def _cubic_weights(f):
    """OpenCV's bicubic weights (A = -0.75), computed in float32 as OpenCV does."""
    f = f.float()
    a = -0.75
    w0 = ((a * (f + 1) - 5 * a) * (f + 1) + 8 * a) * (f + 1) - 4 * a
    w1 = ((a + 2) * f - (a + 3)) * f * f + 1
    w2 = ((a + 2) * (1 - f) - (a + 3)) * (1 - f) * (1 - f) + 1
    return torch.stack((w0, w1, w2, 1 - w0 - w1 - w2), -1)


def _lanczos_weights(f):
    """OpenCV's Lanczos4 weights: double sin/cos, float32 normalisation."""
    s45 = math.sqrt(0.5)
    cs = torch.tensor([[1, 0], [-s45, -s45], [0, 1], [s45, -s45], [-1, 0], [s45, s45], [0, -1],
                       [-s45, s45]], dtype=torch.float64)
    y0 = -(f + 3) * math.pi / 4
    s0, c0 = torch.sin(y0), torch.cos(y0)
    y = -(f.unsqueeze(-1) + 3 - torch.arange(8, dtype=torch.float64)) * math.pi / 4
    w = ((cs[:, 0] * s0.unsqueeze(-1) + cs[:, 1] * c0.unsqueeze(-1)) / (y * y)).float()
    total = torch.zeros_like(w[..., 0])
    for i in range(8):
        total = total + w[..., i]
    w = w * (1.0 / total).unsqueeze(-1)
    exact = torch.zeros(8, dtype=torch.float32)
    exact[3] = 1
    return torch.where((f < torch.finfo(torch.float32).eps).unsqueeze(-1), exact, w)


def _interp_taps(n_in, n_out, mode, area_mode, horizontal):
    """OpenCV's source indices (n_out, K) and weights along one axis for the kernel modes.

    NOTE: OpenCV pins linear weights to (1, 0) at the left/right borders but not at the
    top/bottom ones, where both taps read the same clamped row; that matters for 8-bit
    rounding."""
    inv = n_out / n_in
    scale = 1.0 / inv
    dx = torch.arange(n_out, dtype=torch.float64)
    if area_mode:
        sx = torch.floor(dx * scale)
        f = ((dx + 1) - (sx + 1) * inv).float().double()
        f = torch.where(f <= 0, 0.0, f - torch.floor(f))
    else:
        pos = ((dx + 0.5) * scale - 0.5).float().double()  # OpenCV rounds through float
        sx = torch.floor(pos)
        f = pos - sx
    if mode in (_LINEAR, _LINEAR_EXACT, _AREA):
        if horizontal:
            low, high = sx < 0, sx >= n_in - 1
            f = torch.where(low | high, 0.0, f)
            sx = torch.where(low, 0.0, torch.where(high, float(n_in - 1), sx))
        f = f.float()
        weights, first = torch.stack((1 - f, f), -1), sx
    elif mode == _CUBIC:
        weights, first = _cubic_weights(f), sx - 1
    else:
        weights, first = _lanczos_weights(f), sx - 3
    k = weights.shape[-1]
    idx = (first.long().unsqueeze(-1) + torch.arange(k)).clamp(0, n_in - 1)
    return idx, weights.double()


def _area_taps(n_in, n_out):
    """OpenCV's INTER_AREA decimation weights (fractional cell coverage) along one axis."""
    scale = n_in / n_out
    rows = []
    for d in range(n_out):
        f1 = d * scale
        f2 = f1 + scale
        cell = min(scale, n_in - f1)
        s2 = min(math.floor(f2), n_in - 1)
        s1 = min(math.ceil(f1), s2)
        taps = []
        if s1 - f1 > 1e-3:
            taps.append((s1 - 1, (s1 - f1) / cell))
        taps += [(s, 1.0 / cell) for s in range(s1, s2)]
        if f2 - s2 > 1e-3:
            taps.append((s2, min(f2 - s2, 1.0, cell) / cell))
        rows.append(taps)
    k = max(len(t) for t in rows)
    idx = torch.zeros(n_out, k, dtype=torch.long)
    w = torch.zeros(n_out, k, dtype=torch.float64)
    for d, taps in enumerate(rows):
        for j, (s, a) in enumerate(taps):
            idx[d, j], w[d, j] = s, a
    return idx, w.float().double()


def _nearest_taps(n_in, n_out):
    scale = 1.0 / (n_out / n_in)
    idx = torch.floor(torch.arange(n_out, dtype=torch.float64) * scale).long()
    return idx.clamp(max=n_in - 1).unsqueeze(-1), torch.ones(n_out, 1, dtype=torch.float64)


def _resize_plan(in_hw, out_hw, interp):
    """(taps along H, taps along W, arithmetic) for OpenCV's choice of algorithm."""
    (h, w), (oh, ow) = in_hw, out_hw
    if interp == _NEAREST:
        return _nearest_taps(h, oh), _nearest_taps(w, ow), "copy"
    sy, sx = h / oh, w / ow
    fast_2x = sx == 2 and sy == 2 and h // 2 == oh and w // 2 == ow
    if interp == _AREA and sx >= 1 and sy >= 1 or interp == _LINEAR and fast_2x:
        return _area_taps(h, oh), _area_taps(w, ow), "area2x" if fast_2x else "area"
    area_mode = interp == _AREA
    return (_interp_taps(h, oh, interp, area_mode, False),
            _interp_taps(w, ow, interp, area_mode, True),
            "linear" if interp in (_LINEAR, _LINEAR_EXACT, _AREA) else
            "cubic" if interp == _CUBIC else "kernel")


def _apply_taps(x, taps, dim):
    """Weighted sum over source taps along ``dim`` of an (..., H, W, C) tensor."""
    idx, w = taps
    n_out, k = idx.shape
    dim = dim % x.ndim
    g = x.index_select(dim, idx.reshape(-1).to(x.device))
    shape = list(x.shape)
    shape[dim:dim + 1] = [n_out, k]
    g = g.reshape(shape)
    view = [1] * g.ndim
    view[dim], view[dim + 1] = n_out, k
    return (g * w.to(device=x.device, dtype=x.dtype).reshape(view)).sum(dim + 1)


def _resize_float(x, plan):
    taps_h, taps_w, _ = plan
    dtype = x.dtype
    if dtype not in (torch.float32, torch.float64):
        x = x.float()
    return _apply_taps(_apply_taps(x, taps_w, -2), taps_h, -3).to(dtype)


def _fixed(w):
    # NOTE: OpenCV turns float32 weights into int16 with round-half-to-even
    return torch.round(w.float() * (1 << _COEF_BITS)).long()


def _resize_uint8(x, plan):
    """8-bit path with OpenCV's fixed-point arithmetic: weights * 2048, integer sums, one
    rounding at the end (results can still differ by 1 from OpenCV's SIMD rounding)."""
    taps_h, taps_w, kind = plan
    if kind == "copy":
        return _apply_taps(_apply_taps(x.long(), taps_w, -2), taps_h, -3).to(x.dtype)
    if kind == "area2x" and x.shape[-1] in (1, 3, 4):
        # OpenCV's exact 2x2 shortcut for 1/3/4 channels: integer sum, (sum + 2) >> 2
        total = _apply_taps(_apply_taps(x.long(), (taps_w[0], torch.ones_like(taps_w[1])), -2),
                            (taps_h[0], torch.ones_like(taps_h[1])), -3)
        return ((total + 2) >> 2).clamp(0, 255).to(x.dtype)
    if kind in ("area", "area2x"):
        # OpenCV averages 8-bit areas in float32 and rounds half to even
        out = _apply_taps(_apply_taps(x.float(), taps_w, -2), taps_h, -3)
        return torch.round(out).clamp(0, 255).to(x.dtype)
    iw, ih = (taps_w[0], _fixed(taps_w[1])), (taps_h[0], _fixed(taps_h[1]))
    rows = _apply_taps(x.long(), iw, -2)
    if kind == "linear":
        # OpenCV's SIMD vertical pass: ((S0 >> 4) * b0 >> 16) + ((S1 >> 4) * b1 >> 16), then
        # (+2) >> 2; it drops low bits before summing, so emulate it rather than round once.
        g = rows.index_select(-3, ih[0].reshape(-1).to(x.device))
        g = g.reshape(*rows.shape[:-3], ih[0].shape[0], 2, *rows.shape[-2:])
        b = ih[1].to(x.device).reshape(-1, 2, 1, 1)
        acc = (((g >> 4) * b) >> 16).sum(-3)
        return ((acc + 2) >> 2).clamp(0, 255).to(x.dtype)
    acc = _apply_taps(rows, ih, -3)
    if kind == "cubic":
        # MXNet 1.9.1's OpenCV: the exact integer sum, rounded half to even (newer OpenCV's
        # float32 SIMD pass differs from it by 1 in a few percent of the pixels)
        shift = 2 * _COEF_BITS
        q, rem = acc >> shift, acc & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        q = q + ((rem > half) | ((rem == half) & (q % 2 == 1))).long()
        return q.clamp(0, 255).to(x.dtype)
    return ((acc + (1 << (2 * _COEF_BITS - 1))) >> (2 * _COEF_BITS)).clamp(0, 255).to(x.dtype)


def _target_size(op, data, size, keep_ratio):
    h, w = data.shape[-3], data.shape[-2]
    if len(size) == 2:
        return size[1], size[0]
    if len(size) != 1:
        raise AttributeParseError(f"{op}: size must be one value or (width, height), got {size}")
    s = size[0]
    if not keep_ratio:
        return s, s
    # NOTE: the shorter side becomes ``size``; the other is scaled and truncated
    if h > w:
        return int(h * s / w), s
    return s, int(w * s / h)


@defop("_image_resize", inputs=("data",),
       attrs=(Attr("size", SHAPE, (), "Output size: one int or (width, height)"),
              Attr("keep_ratio", BOOL, False, "With one int: scale the shorter side to it"),
              Attr("interp", INT, 1, "OpenCV interpolation: 0 nearest, 1 bilinear, 2 bicubic, "
                                     "3 area, 4 Lanczos4")))
def resize(data, size, keep_ratio, interp):
    """Resize an HWC / NHWC image like OpenCV's ``cv::resize`` (which MXNet uses)."""
    if data.ndim not in (3, 4):
        raise ShapeError(f"resize: input 'data' must have shape (height, width, channels) or "
                         f"(batch, height, width, channels), got {tuple(data.shape)}")
    if interp not in (0, 1, 2, 3, 4, 5):
        raise AttributeParseError(f"resize: interp={interp} is not supported; use 0 (nearest), 1 "
                                  f"(bilinear), 2 (bicubic), 3 (area) or 4 (Lanczos4)")
    if data.dtype == torch.float16 or data.dtype == torch.bfloat16 or data.dtype == torch.bool:
        raise DTypeError(f"resize: dtype {data.dtype} is not supported (OpenCV cannot resize it); "
                         f"cast to float32 or uint8 first")
    oh, ow = _target_size("resize", data, size, keep_ratio)
    if oh <= 0 or ow <= 0:
        raise AttributeParseError(f"resize: output size must be positive, got height {oh} and "
                                  f"width {ow}")
    if _is_meta(data):
        return data.new_empty(*data.shape[:-3], oh, ow, data.shape[-1])
    plan = _resize_plan((data.shape[-3], data.shape[-2]), (oh, ow), interp)
    if data.dtype == torch.uint8:
        return _resize_uint8(data, plan)
    if not data.is_floating_point():
        out = _resize_float(data.double(), plan)
        return _saturate(torch.round(out), data.dtype)
    return _resize_float(data, plan)
