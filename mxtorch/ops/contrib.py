"""Miscellaneous contrib operators: fft/ifft, quadratic, count_sketch, hawkesll and the
quantization family (quantize, quantize_v2, quantize_asym, dequantize, requantize,
calibrate_entropy).

Quantization follows what MXNet 1.9.1's CPU build (with oneDNN/MKLDNN, the pip default)
computes, which differs from the formulas in MXNet's docstrings (see compat/contrib.md):
- quantize: uint8 uses scale 255 / max|range| (negatives clamp to 0), int8 127 / max|range|;
- quantize_v2 and dequantize use the ranges 255.5 (uint8) and 127.5 (int8);
- requantize uses 255 and 127;
- rounding is to nearest, ties to even; results saturate to the type's limits.
"""
import math

import torch

from ..base import AttributeParseError, DTypeError, ShapeError
from ._attrs import FLOAT, INT, OPT_FLOAT, Enum
from ._registry import Attr, defop

# --------------------------------------------------------------------------------------------
# fft / ifft / quadratic / count_sketch
# --------------------------------------------------------------------------------------------


def _check_float(op, name, t):
    if not t.is_floating_point():
        raise DTypeError(f"{op}: input {name!r} must be a float array, got {t.dtype}")


@defop("_contrib_fft", inputs=("data",),
       attrs=(Attr("compute_size", INT, 128, "Sub-batch size (ignored: one batched call)"),))
def fft(data, compute_size):
    """1-D FFT of real data along the last axis; output (..., 2*d) interleaves
    [real0, imag0, real1, imag1, ...] (MXNet only had it on GPU; here on every device)."""
    _check_float("fft", "data", data)
    spec = torch.fft.fft(data.to(torch.promote_types(data.dtype, torch.float32)), dim=-1)
    return torch.view_as_real(spec).reshape(*data.shape[:-1], 2 * data.shape[-1]).to(data.dtype)


@defop("_contrib_ifft", inputs=("data",),
       attrs=(Attr("compute_size", INT, 128, "Sub-batch size (ignored: one batched call)"),))
def ifft(data, compute_size):
    """Inverse FFT of interleaved complex data (..., 2*d); returns the real part (..., d).

    NOTE: like cuFFT (which MXNet called) it is unnormalised: ifft(fft(x)) == d * x."""
    _check_float("ifft", "data", data)
    if data.shape[-1] % 2:
        raise ShapeError(f"ifft: the last dim of input 'data' must be even (real, imag pairs), "
                         f"got shape {tuple(data.shape)}")
    pairs = data.to(torch.promote_types(data.dtype, torch.float32))
    spec = torch.view_as_complex(pairs.reshape(*data.shape[:-1], -1, 2).contiguous())
    return torch.fft.ifft(spec, dim=-1, norm="forward").real.to(data.dtype)


@defop("_contrib_quadratic", inputs=("data",),
       attrs=(Attr("a", FLOAT, 0.0, "Coefficient of x^2"),
              Attr("b", FLOAT, 0.0, "Coefficient of x"),
              Attr("c", FLOAT, 0.0, "Constant")))
def quadratic(data, a, b, c):
    """``a * x^2 + b * x + c`` element-wise."""
    if data.is_floating_point():
        return a * data * data + b * data + c
    x = data.double()
    return torch.trunc(a * x * x + b * x + c).to(data.dtype)


@defop("_contrib_count_sketch", inputs=("data", "h", "s"),
       attrs=(Attr("out_dim", INT, doc="Output dimension"),
              Attr("processing_batch_size", INT, 32, "Rows per step (ignored)")),
       same_dtype=("data", "s"))
def count_sketch(data, h, s, out_dim, processing_batch_size):
    """Count sketch: ``out[..., h[i]] += s[i] * data[..., i]`` for (N, d) data and (1, d)
    hash/sign tables."""
    d = data.shape[-1]
    if h.numel() != d or s.numel() != d:
        raise ShapeError(f"count_sketch: h and s must have {d} entries (the last dim of data), "
                         f"got shapes {tuple(h.shape)} and {tuple(s.shape)}")
    if out_dim <= 0:
        raise AttributeParseError(f"count_sketch: out_dim must be positive, got {out_dim}")
    index = h.reshape(-1).long()
    if data.device.type != "meta" and index.numel() and (
            int(index.min()) < 0 or int(index.max()) >= out_dim):
        raise ShapeError(f"count_sketch: hash values must lie in [0, {out_dim}), got "
                         f"[{int(index.min())}, {int(index.max())}]")
    signed = data * s.reshape(-1).to(data.dtype)
    out = torch.zeros(*data.shape[:-1], out_dim, dtype=data.dtype, device=data.device)
    return out.index_add(-1, index, signed)


# --------------------------------------------------------------------------------------------
# hawkesll
# --------------------------------------------------------------------------------------------


@defop("_contrib_hawkesll",
       inputs=("lda", "alpha", "beta", "state", "lags", "marks", "valid_length", "max_time"),
       num_outputs=2, output_names=("output", "state"),
       same_dtype=("lda", "alpha", "beta", "state", "lags", "valid_length", "max_time"))
def hawkesll(lda, alpha, beta, state, lags, marks, valid_length, max_time):
    """Log likelihood (N,) of multivariate-mark Hawkes processes with exponential kernels and
    the final memory state (N, K). ``lags``/``marks`` are left-aligned (N, T) ragged rows of
    which ``valid_length`` are used; the input ``state`` is not modified."""
    N, K = lda.shape
    T = lags.shape[1]
    if state.shape != (N, K) or marks.shape != (N, T) or alpha.shape != (K,) or \
            beta.shape != (K,) or valid_length.shape != (N,) or max_time.shape != (N,):
        raise ShapeError(f"hawkesll: expected lda/state (N, K), alpha/beta (K,), lags/marks "
                         f"(N, T), valid_length/max_time (N,); got lda {tuple(lda.shape)}, "
                         f"alpha {tuple(alpha.shape)}, beta {tuple(beta.shape)}, state "
                         f"{tuple(state.shape)}, lags {tuple(lags.shape)}, marks "
                         f"{tuple(marks.shape)}, valid_length {tuple(valid_length.shape)}, "
                         f"max_time {tuple(max_time.shape)}")
    marks = marks.long()
    rows = torch.arange(N, device=lda.device)
    s = state.detach()  # NOTE: MXNet 1.9.1 gives the input state a zero gradient
    last = torch.zeros(N, K, dtype=lda.dtype, device=lda.device)
    t = torch.zeros(N, dtype=lda.dtype, device=lda.device)
    ll = torch.zeros(N, dtype=lda.dtype, device=lda.device)
    for j in range(T):
        live = valid_length > j
        k = marks[:, j].clamp(0, K - 1)
        t = torch.where(live, t + lags[:, j], t)
        a, b = alpha[k], beta[k]
        s_k, last_k, mu = s[rows, k], last[rows, k], lda[rows, k]
        d = t - last_k
        decay = torch.exp(-b * d)
        intensity = mu + a * b * s_k * decay
        compensator = mu * d + a * s_k * (1 - decay)
        ll = torch.where(live, ll + torch.log(torch.where(live, intensity, 1)) - compensator, ll)
        onehot = torch.nn.functional.one_hot(k, K).bool() & live.unsqueeze(1)
        s = torch.where(onehot, (1 + s_k * decay).unsqueeze(1), s)
        last = torch.where(onehot, t.unsqueeze(1), last)
    d = max_time.unsqueeze(1) - last
    decay = torch.exp(-beta * d)
    ll = ll - (lda * d + alpha * s * (1 - decay)).sum(1)
    return ll, decay * s


# --------------------------------------------------------------------------------------------
# quantization
# --------------------------------------------------------------------------------------------

_LIMITS = {"int8": (-128, 127, torch.int8), "uint8": (0, 255, torch.uint8)}


def _scalar(op, name, t):
    if t.numel() != 1:
        raise ShapeError(f"{op}: input {name!r} must hold one value, got shape {tuple(t.shape)}")
    return t.reshape(()).float()


def _to_int(x, limit, real, out_type):
    """round(x * (limit / real)) saturated to ``out_type``, in float32 like oneDNN (the ties
    at x == +-max|range| then fall the same way)."""
    low, high, dtype = _LIMITS[out_type]
    # NOTE: not ``limit / real``: torch computes scalar / tensor as reciprocal * scalar
    scale = torch.div(torch.tensor(limit, dtype=torch.float32, device=real.device), real.float())
    return torch.round(x.float() * scale).clamp(low, high).to(dtype)


def _range_out(value, device):
    return torch.as_tensor(value, dtype=torch.float32, device=device).reshape(1).clone()


def _max_abs(lo, hi):
    return torch.maximum(torch.as_tensor(lo).abs(), torch.as_tensor(hi).abs())


def _fixed_types(*outs, inputs=None):
    """infer_type rule for ops whose output dtypes do not follow the input (quantization):
    ``inputs`` gives the dtypes the inputs must have (None: leave as given)."""
    def rule(attrs, in_dtypes):
        ins = list(in_dtypes) if inputs is None else [
            d if want is None else want for d, want in zip(in_dtypes, inputs)]
        return ins, [o(attrs, in_dtypes) if callable(o) else o for o in outs]
    return rule


def _check_float32(op, data):
    if data.dtype != torch.float32:
        raise DTypeError(f"{op}: input 'data' must be float32, got {data.dtype}")


@defop("_contrib_quantize", inputs=("data", "min_range", "max_range"),
       attrs=(Attr("out_type", Enum("int8", "uint8"), "uint8", "Output type"),),
       num_outputs=3, output_names=("output", "min_output", "max_output"), same_dtype=(),
       infer_type=_fixed_types(lambda a, _: a["out_type"], "float32", "float32",
                               inputs=("float32", "float32", "float32")))
def quantize(data, min_range, max_range, out_type):
    """Quantize float32 data given its range; returns (data, min, max)."""
    _check_float32("quantize", data)
    lo = _scalar("quantize", "min_range", min_range)
    hi = _scalar("quantize", "max_range", max_range)
    real = _max_abs(lo, hi)
    x = data.detach().float()
    if out_type == "uint8":
        return _to_int(x, 255.0, real, "uint8"), _range_out(lo, data.device), \
            _range_out(hi, data.device)
    return _to_int(x, 127.0, real, "int8"), _range_out(-real, data.device), \
        _range_out(real, data.device)


def _calib(op, data, min_calib_range, max_calib_range):
    if (min_calib_range is None) != (max_calib_range is None):
        raise AttributeParseError(f"{op}: give both min_calib_range and max_calib_range or "
                                  f"neither")
    if min_calib_range is not None:
        return (torch.tensor(min_calib_range, dtype=torch.float32, device=data.device),
                torch.tensor(max_calib_range, dtype=torch.float32, device=data.device))
    if data.numel() == 0:
        zero = torch.zeros((), dtype=torch.float32, device=data.device)
        return zero, zero
    return data.min().float(), data.max().float()


def _auto_type(out_type, min_calib_range):
    if out_type != "auto":
        return out_type
    # NOTE: decided from the attributes only (never the data), so shapes/types infer statically
    return "uint8" if min_calib_range is not None and min_calib_range >= 0 else "int8"


_CALIB_ATTRS = (Attr("min_calib_range", OPT_FLOAT, None, "Calibrated minimum"),
                Attr("max_calib_range", OPT_FLOAT, None, "Calibrated maximum"))


@defop("_contrib_quantize_v2", inputs=("data",),
       attrs=(Attr("out_type", Enum("auto", "int8", "uint8"), "int8", "Output type"),)
       + _CALIB_ATTRS,
       num_outputs=3, output_names=("output", "min_output", "max_output"),
       infer_type=_fixed_types(lambda a, _: _auto_type(a["out_type"], a["min_calib_range"]),
                               "float32", "float32"))
def quantize_v2(data, out_type, min_calib_range, max_calib_range):
    """Quantize float32 data with calibrated or observed range; returns (data, min, max).
    Already-quantized int8/uint8 data passes through."""
    kind = _auto_type(out_type, min_calib_range)
    dev = data.device
    if data.dtype in (torch.int8, torch.uint8):
        if min_calib_range is not None:
            lo, hi = min_calib_range, max_calib_range
        else:
            lo, hi = (-127.5, 127.5) if data.dtype == torch.int8 else (0.0, 255.5)
        return data.to(_LIMITS[kind][2]), _range_out(lo, dev), _range_out(hi, dev)
    _check_float32("quantize_v2", data)
    x = data.detach()
    lo, hi = _calib("quantize_v2", x, min_calib_range, max_calib_range)
    real = _max_abs(lo, hi)
    if kind == "uint8":
        return _to_int(x, 255.5, real, "uint8"), _range_out(lo, dev), _range_out(hi, dev)
    return _to_int(x, 127.5, real, "int8"), _range_out(-real, dev), _range_out(real, dev)


@defop("_contrib_quantize_asym", inputs=("data",), attrs=_CALIB_ATTRS,
       num_outputs=3, output_names=("output", "scale", "shift"),
       infer_type=_fixed_types("uint8", "float32", "float32", inputs=("float32",)))
def quantize_asym(data, min_calib_range, max_calib_range):
    """Asymmetric uint8 quantization: ``out = data * scale + shift`` rounded, with
    ``scale = 255.5 / (max - min)`` and ``shift = 255 - max * scale``; returns
    (data, scale, shift)."""
    _check_float32("quantize_asym", data)
    x = data.detach()
    lo, hi = _calib("quantize_asym", x, min_calib_range, max_calib_range)
    span = hi - lo
    scale = torch.where(span > 0, 255.5 / torch.where(span > 0, span, 1), 1.0)
    shift = 255.0 - hi * scale
    out = torch.floor(x * scale + shift + 0.5).clamp(0, 255).to(torch.uint8)
    return out, _range_out(scale, data.device), _range_out(shift, data.device)


@defop("_contrib_dequantize", inputs=("data", "min_range", "max_range"),
       attrs=(Attr("out_type", Enum("float32"), "float32", "Output type"),), same_dtype=(),
       infer_type=_fixed_types("float32", inputs=(None, "float32", "float32")))
def dequantize(data, min_range, max_range, out_type):
    """int8 / uint8 data back to float32 given the quantization range."""
    if data.dtype not in (torch.int8, torch.uint8):
        raise DTypeError(f"dequantize: input 'data' must be int8 or uint8, got {data.dtype}")
    real = _max_abs(_scalar("dequantize", "min_range", min_range),
                    _scalar("dequantize", "max_range", max_range))
    limit = 127.5 if data.dtype == torch.int8 else 255.5
    return data.float() * (real / limit)


@defop("_contrib_requantize", inputs=("data", "min_range", "max_range"),
       attrs=(Attr("out_type", Enum("auto", "int8", "uint8"), "int8", "Output type"),)
       + _CALIB_ATTRS,
       num_outputs=3, output_names=("output", "min_output", "max_output"), same_dtype=(),
       infer_type=_fixed_types(lambda a, _: _auto_type(a["out_type"], a["min_calib_range"]),
                               "float32", "float32", inputs=("int32", "float32", "float32")))
def requantize(data, min_range, max_range, out_type, min_calib_range, max_calib_range):
    """int32 data (quantized over [min_range, max_range]) to int8 / uint8; returns
    (data, min, max)."""
    if data.dtype != torch.int32:
        raise DTypeError(f"requantize: input 'data' must be int32, got {data.dtype}")
    kind = _auto_type(out_type, min_calib_range)
    src = _max_abs(_scalar("requantize", "min_range", min_range),
                   _scalar("requantize", "max_range", max_range))
    real = data.float() * (src / 2147483647.0)
    lo, hi = _calib("requantize", real, min_calib_range, max_calib_range)
    span = _max_abs(lo, hi)
    dev = data.device
    if kind == "uint8":
        return _to_int(real, 255.0, span, "uint8"), _range_out(0.0, dev), _range_out(span, dev)
    return _to_int(real, 127.0, span, "int8"), _range_out(-span, dev), _range_out(span, dev)


@defop("_contrib_calibrate_entropy", inputs=("hist", "hist_edges"),
       attrs=(Attr("num_quantized_bins", INT, 255, "Number of quantized bins"),),
       num_outputs=2, output_names=("output0", "output1"),
       infer_type=_fixed_types("float32", "float32", inputs=("float32", "float32")))
def calibrate_entropy(hist, hist_edges, num_quantized_bins):
    """KL-divergence calibration of a symmetric histogram: returns (threshold (1,),
    divergence (1,)) minimising the divergence between the clipped and quantized
    distributions."""
    n = hist.numel()
    if hist_edges.numel() != n + 1:
        raise ShapeError(f"calibrate_entropy: hist_edges must have {n + 1} entries (hist has "
                         f"{n}), got {hist_edges.numel()}")
    if num_quantized_bins <= 0 or num_quantized_bins > n:
        raise AttributeParseError(f"calibrate_entropy: num_quantized_bins={num_quantized_bins} "
                                  f"must be in [1, {n}]")
    if hist.device.type == "meta":
        return (torch.empty(1, dtype=torch.float32, device="meta"),) * 2
    h = hist.detach().reshape(-1).double().cpu()
    edges = hist_edges.detach().reshape(-1).double().cpu()
    zero_bin, half_q = n // 2, num_quantized_bins // 2
    best = (math.inf, 0.0)
    for i in range(half_q, zero_bin + 1):
        start, stop = zero_bin - i, zero_bin + i + 1
        div = _kl_at(h, start, stop, num_quantized_bins)
        if div < best[0]:
            best = (div, float(edges[stop]))
    if best[0] == math.inf:
        best = (torch.finfo(torch.float32).max, float(edges[zero_bin + half_q + 1]))
    out = torch.tensor([best[1], best[0]], dtype=torch.float32, device=hist.device)
    return out[0:1].clone(), out[1:2].clone()


def _kl_at(h, start, stop, n_q):
    """Divergence of clipping the histogram to bins [start, stop) (outliers folded into the end
    bins) against its n_q-bin quantized version, as MXNet's C++ computes it."""
    sliced = h[start:stop].clone()
    p = sliced.clone()
    # NOTE: MXNet folds bin ``start`` itself into the left outlier mass and leaves it out of
    # the sliced histogram that builds q (checked against 1.9.1's numbers)
    sliced[0] = 0
    p[0] = h[:start + 1].sum()
    p[-1] = h[stop - 1:].sum()
    q = _spread_groups(sliced, p, len(sliced) // n_q, n_q)
    p, q = _smooth(p), _smooth(q)
    if p is None or q is None:
        return math.inf
    p, q = p / p.sum(), q / q.sum()
    return float((p * torch.log(p / q)).sum())


def _spread_groups(sliced, p, merged, n_q):
    """q: each of the n_q groups of ``merged`` bins (the last one takes the rest) spreads its
    total evenly over its bins that are non-zero in ``sliced``, where ``p`` is non-zero."""
    group = torch.arange(len(sliced)).div(merged, rounding_mode="floor").clamp_(max=n_q - 1)
    totals = torch.zeros(n_q, dtype=sliced.dtype).index_add_(0, group, sliced)
    nonzero = (sliced != 0).to(sliced.dtype)
    counts = torch.zeros(n_q, dtype=sliced.dtype).index_add_(0, group, nonzero)
    mean = torch.where(counts > 0, totals / counts.clamp(min=1), torch.zeros_like(totals))
    return torch.where(p != 0, mean[group], torch.zeros_like(sliced))


def _smooth(p, eps=0.0001):
    zeros = p == 0
    n_zero = int(zeros.sum())
    n_nonzero = p.numel() - n_zero
    if n_nonzero == 0:
        return None
    eps1 = eps * n_zero / n_nonzero
    if eps1 >= 1.0:
        return None
    return p + torch.where(zeros, eps, -eps1)
