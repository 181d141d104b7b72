"""MXNet's ``2bit`` gradient compression on the wire of the ``dist_sync`` stores.

Each worker adds its gradient to a per-key residual; elements of the residual at or above
``threshold`` send +threshold (subtracted from the residual), at or below -threshold send
-threshold (added back), the others send 0 -- MXNet 1.9.1's numbers. The codes travel as
2 bits per element (4 per byte; MXNet packs 16 per float32, the same density): one
``all_gather`` of the packed codes per dtype bucket replaces the float all-reduce, and every
worker decodes and sums the N contributions (a count of thresholds times the threshold:
MXNet's server adds the N values one by one, the same number up to the last bit for N > 3).
"""
import torch
import torch.distributed as dist

__all__ = ['TwoBitWire', 'pack', 'unpack']

_PLUS, _MINUS = 1, 2


def pack(codes):
    """uint8 codes in {0, 1, 2} -> 4 codes per byte (the last byte zero-padded)."""
    pad = (-codes.numel()) % 4
    if pad:
        codes = torch.cat([codes, codes.new_zeros(pad)])
    c = codes.view(-1, 4)
    return c[:, 0] | (c[:, 1] << 2) | (c[:, 2] << 4) | (c[:, 3] << 6)


def unpack(packed, numel):
    """The first `numel` codes of `packed` (inverse of :func:`pack`)."""
    shifts = torch.tensor([0, 2, 4, 6], dtype=torch.uint8)
    return ((packed.view(-1, 1) >> shifts) & 3).view(-1)[:numel]


class TwoBitWire(object):
    """Residuals and the compressed all-reduce of one store.

    Parameters
    ----------
    threshold : float
        The quantization threshold (MXNet's default 0.5).
    """

    def __init__(self, threshold):
        self.threshold = float(threshold)
        self._residuals = {}
        self.bytes_sent = 0

    def compresses(self, tensor):
        """Whether `tensor` travels compressed (floating point values)."""
        return tensor.is_floating_point()

    def encode(self, key, tensor):
        """The uint8 codes of `tensor` for `key`, updating the key's residual."""
        flat = tensor.detach().reshape(-1).cpu()
        residual = self._residuals.get(key)
        if residual is None or residual.shape != flat.shape or residual.dtype != flat.dtype:
            residual = torch.zeros_like(flat)
        residual += flat
        t = self.threshold
        plus = residual >= t
        minus = residual <= -t
        residual.sub_(plus.to(flat.dtype) * t - minus.to(flat.dtype) * t)
        self._residuals[key] = residual
        return plus.to(torch.uint8) | (minus.to(torch.uint8) << 1)

    def decode_sum(self, gathered, numel, dtype):
        """The sum over workers of the values coded in `gathered` (packed code tensors):
        the count of +threshold minus the count of -threshold, times the threshold."""
        count = None
        for packed in gathered:
            codes = unpack(packed, numel)
            step = (codes & 1).to(torch.int16) - (codes >> 1).to(torch.int16)
            count = step if count is None else count.add_(step)
        return count.to(dtype).mul_(self.threshold)

    def allreduce(self, keys, tensors, world):
        """The sums over workers of `tensors` (one bucket, one dtype) as one flat tensor."""
        codes = torch.cat([self.encode(k, t) for k, t in zip(keys, tensors)])
        packed = pack(codes)
        numel = codes.numel()
        if world == 1:
            return self.decode_sum([packed], numel, tensors[0].dtype)
        gathered = [torch.empty_like(packed) for _ in range(world)]
        dist.all_gather(gathered, packed)
        self.bytes_sent += packed.numel()
        return self.decode_sum(gathered, numel, tensors[0].dtype)
