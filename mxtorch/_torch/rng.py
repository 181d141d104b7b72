"""Random generators per device: ``mx.random.seed`` semantics on torch's generators.

mxtorch draws from torch's default generator of each device (the CPU generator, one CUDA
generator per GPU), so operators implemented with torch functions that take no generator
(dropout...) follow ``mx.random.seed`` too.
"""
import numpy as np
import torch

from ..base import MXNetError


class SeedError(MXNetError, ValueError):
    """``mx.random.seed`` got something that is not an integer seed or a device."""


def seed(seed_state, ctx="all"):
    """Seed every device's generator (``ctx='all'``) or only the one of Context ``ctx``."""
    if isinstance(seed_state, (bool, np.bool_)) or not isinstance(seed_state, (int, np.integer)):
        raise SeedError(f"seed_state must be an integer, got {seed_state!r} "
                        f"({type(seed_state).__name__})")
    value = int(seed_state)
    if isinstance(ctx, str) and ctx == "all":
        torch.manual_seed(value)
        return
    device_type = getattr(ctx, "device_type", None)
    if device_type is None:
        raise SeedError(f"ctx must be a Context (e.g. mx.cpu()) or 'all', got {ctx!r}")
    if device_type == "gpu":
        with torch.cuda.device(ctx.torch_device):
            torch.cuda.manual_seed(value)  # this GPU only
    else:
        torch.default_generator.manual_seed(value)


def generator_for(device):
    """torch.Generator to draw from on ``device``: None selects the device's default one."""
    return None
