"""Random generators per device: ``mx.random.seed`` semantics on torch's generators."""
import torch

from ..base import MXNetError


def seed(seed_state, ctx="all"):
    try:
        value = int(seed_state)
    except (TypeError, ValueError) as err:
        raise MXNetError(f"seed must be an integer, got {seed_state!r}") from err
    if ctx == "all":
        torch.manual_seed(value)
        return
    if ctx.device_type == "gpu":
        with torch.cuda.device(ctx.torch_device):
            torch.cuda.manual_seed(value)
    else:
        torch.default_generator.manual_seed(value)


def generator_for(device):
    """torch.Generator to draw from on ``device`` (None: torch's default for that device)."""
    return None
