"""Inference ``x @ W.T + b`` with MKL's packed-weight GEMM where it beats ``F.linear``.

MKL can reorder a weight matrix once for a given batch size ("packed" sgemm); reusing that
layout makes float32 CPU inference 5-80% faster per layer than ``F.linear`` (MKL sgemm on
the unpacked weight) for the shapes below (2-core AVX-512 CI machine, 2 threads,
2026-12-04: 128x784->512 1.09x, 128x512->512 1.07x, 32x512->512 1.8x, 1120x256->10000
1.17x; 512->32 or fewer outputs, or batches under 8, were slower or even). MXNet 1.9.1's
oneDNN FullyConnected is fast for the same reason.

Packed copies are kept on the weight tensor with the weight's version counter, one per row
count (batch size) packed for, at most ``MAX_ROW_COUNTS``; a copy is made on the second call
that sees the same (version, rows), so a training loop, whose weights change every step, never
pays for packing, and alternating batch sizes keep their copies. Anything the
packed kernel does not cover (an autograd graph, other dtypes or devices, odd layouts, a
torch built without MKL) runs ``F.linear``.
"""
import torch
import torch.nn.functional as F

_MKL = getattr(torch.ops, "mkl", None)
_PACK = getattr(_MKL, "_mkl_reorder_linear_weight", None) if _MKL is not None else None
_RUN = getattr(_MKL, "_mkl_linear", None) if _MKL is not None else None
AVAILABLE = bool(_PACK is not None and _RUN is not None and torch.backends.mkl.is_available())

MIN_OUTPUTS = 64  # fewer output units: packed measured slower (512->32: 0.81x)
MIN_BATCH = 8     # smaller batches: no gain (batch 1: 0.99x)
MAX_ROW_COUNTS = 4  # row counts tracked (and packed copies kept) per weight version


def _eligible(x, w):
    return (x.dtype is torch.float32 and w.dtype is torch.float32 and x.dim() >= 2
            and x.numel() >= MIN_BATCH * x.shape[-1] > 0 and w.shape[0] >= MIN_OUTPUTS
            and x.device.type == "cpu" and w.device.type == "cpu"
            and x.is_contiguous() and w.is_contiguous() and not w.is_inference())


def _eligible_bias(b, w):
    return (b.dtype is torch.float32 and b.device.type == "cpu" and b.dim() == 1
            and b.shape[0] == w.shape[0] and b.is_contiguous())


def linear(x, w, b=None):
    """``F.linear(x, w, b)``; MKL's packed GEMM when it applies and nothing needs a gradient.

    Parameters
    ----------
    x : torch.Tensor
        (batch, in_units) input, or (..., in_units) (packed as one batch of rows).
    w : torch.Tensor
        (units, in_units) weight.
    b : torch.Tensor or None
        (units,) bias.
    """
    if (torch.is_grad_enabled() and (x.requires_grad or w.requires_grad or (
            b is not None and b.requires_grad))) or not AVAILABLE or not _eligible(x, w) or (
            b is not None and not _eligible_bias(b, w)):
        return F.linear(x, w, b)
    if x.dim() != 2:
        lead = x.shape[:-1]
        return linear(x.reshape(-1, x.shape[-1]), w, b).reshape(*lead, w.shape[0])
    n = x.shape[0]
    version = w._version
    kept = getattr(w, "_mx_packed", None)  # (version, {rows: packed weight or None if seen once})
    if kept is None or kept[0] != version:
        kept = w._mx_packed = (version, {})
    by_rows = kept[1]
    packed = by_rows.get(n)
    if packed is not None:
        return _RUN(x, packed, w, b, n)
    if n in by_rows:  # the second call with these rows and this weight version
        packed = by_rows[n] = _PACK(w, n)
        return _RUN(x, packed, w, b, n)
    if len(by_rows) < MAX_ROW_COUNTS:
        by_rows[n] = None
    return F.linear(x, w, b)
