"""MXNet's ``2bit`` (1.x) and ``1bit`` (2.x) gradient compression on the wire of the
``dist_sync`` stores.

Each worker adds its gradient to a per-key residual; elements of the residual at or above
``threshold`` send +threshold (subtracted from the residual), at or below -threshold send
-threshold (added back), the others send 0 -- MXNet 1.9.1's numbers. The codes travel as
2 bits per element (4 per byte; MXNet packs 16 per float32, the same density): one
``all_gather`` of the packed codes per dtype bucket replaces the float all-reduce, and every
worker decodes and sums the N contributions (a count of thresholds times the threshold:
MXNet's server adds the N values one by one, the same number up to the last bit for N > 3).

``1bit`` (MXNet 2.x): each element of the residual (plus the gradient) above ``threshold``
sends +1 and loses 1, every other element sends -1 and gains 1; 1 bit per element (8 per
byte), summed by every worker as (2 * count of +1 - N).
"""
import torch
import torch.distributed as dist

__all__ = ['TwoBitWire', 'OneBitWire', 'make_wire', 'pack', 'unpack', 'pack_bits',
           'unpack_bits']

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


def pack_bits(bits):
    """bool/uint8 values in {0, 1} -> 8 per byte (the last byte zero-padded)."""
    bits = bits.to(torch.uint8)
    pad = (-bits.numel()) % 8
    if pad:
        bits = torch.cat([bits, bits.new_zeros(pad)])
    shifts = torch.arange(8, dtype=torch.uint8)
    return (bits.view(-1, 8) << shifts).sum(dim=1, dtype=torch.uint8)


def unpack_bits(packed, numel):
    """The first `numel` bits of `packed` (inverse of :func:`pack_bits`)."""
    shifts = torch.arange(8, dtype=torch.uint8)
    return ((packed.view(-1, 1) >> shifts) & 1).view(-1)[:numel]


def _table(width, value):
    """int16 [256, 8 // width]: the values `value(code)` of the codes packed in each byte."""
    per_byte = 8 // width
    table = torch.empty(256, per_byte, dtype=torch.int16)
    for byte in range(256):
        for j in range(per_byte):
            table[byte, j] = value((byte >> (width * j)) & ((1 << width) - 1))
    return table


_TWO_BIT = _table(2, lambda code: {_PLUS: 1, _MINUS: -1}.get(code, 0))
_ONE_BIT = _table(1, lambda bit: 1 if bit else -1)


def _sum_codes(gathered, numel, table):
    """The sum over workers of the code values in `gathered` (packed tensors), as int16:
    one table lookup per byte and worker."""
    count = None
    for packed in gathered:
        values = table.index_select(0, packed.long()).view(-1)[:numel]
        count = values if count is None else count.add_(values)
    return count


def make_wire(compression):
    """The wire for a parsed compression setting (``.type`` '2bit' or '1bit', ``.threshold``)."""
    kind = getattr(compression, 'type', '2bit')
    if kind == '1bit':
        return OneBitWire(compression.threshold)
    return TwoBitWire(compression.threshold)


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
        residual.sub_(plus.to(flat.dtype), alpha=t).add_(minus.to(flat.dtype), alpha=t)
        self._residuals[key] = residual
        return plus.view(torch.uint8) | (minus.view(torch.uint8) << 1)

    @staticmethod
    def pack_codes(codes):
        """Two bits per element on the wire."""
        return pack(codes)

    def decode_sum(self, gathered, numel, dtype):
        """The sum over workers of the values coded in `gathered` (packed code tensors):
        the count of +threshold minus the count of -threshold, times the threshold."""
        return _sum_codes(gathered, numel, _TWO_BIT).to(dtype).mul_(self.threshold)

    def allreduce(self, keys, tensors, world):
        """The sums over workers of `tensors` (one bucket, one dtype) as one flat tensor."""
        codes = torch.cat([self.encode(k, t) for k, t in zip(keys, tensors)])
        packed = self.pack_codes(codes)
        numel = codes.numel()
        if world == 1:
            return self.decode_sum([packed], numel, tensors[0].dtype)
        gathered = [torch.empty_like(packed) for _ in range(world)]
        dist.all_gather(gathered, packed)
        self.bytes_sent += packed.numel()
        return self.decode_sum(gathered, numel, tensors[0].dtype)


class OneBitWire(TwoBitWire):
    """MXNet 2.x ``1bit`` compression: +1 above `threshold`, else -1, with residuals.

    Parameters
    ----------
    threshold : float
        Elements of residual + gradient strictly above it send +1 (MXNet's default 0.5).
    """

    def encode(self, key, tensor):
        """The bits (1: +1, 0: -1) of `tensor` for `key`, updating the key's residual."""
        flat = tensor.detach().reshape(-1).cpu()
        residual = self._residuals.get(key)
        if residual is None or residual.shape != flat.shape or residual.dtype != flat.dtype:
            residual = torch.zeros_like(flat)
        residual += flat
        plus = residual > self.threshold
        residual.sub_(torch.where(plus, 1.0, -1.0))  # exactly -1 / +1, as MXNet
        self._residuals[key] = residual
        return plus.view(torch.uint8)

    def decode_sum(self, gathered, numel, dtype):
        """The sum over workers of the +/-1 values coded in `gathered` (packed bits)."""
        return _sum_codes(gathered, numel, _ONE_BIT).to(dtype)

    @staticmethod
    def pack_codes(bits):
        """One bit per element on the wire."""
        return pack_bits(bits)

