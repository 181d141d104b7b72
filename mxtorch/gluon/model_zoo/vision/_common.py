"""Helpers shared by the model-zoo definitions: the default model root and parameter loading."""
import os

from ....base import MXNetError, data_dir

DEFAULT_ROOT = os.path.join(data_dir(), "models")


class ModelSpecError(MXNetError, ValueError, KeyError, AssertionError):
    """An unknown model variant or inconsistent architecture lists. MXNet asserts or looks the
    variant up in a dict (AssertionError/KeyError), so every such handler catches it."""

    __str__ = BaseException.__str__


def load_pretrained(net, name, ctx, root):
    """Load the verified store file of model ``name`` into ``net`` on ``ctx``."""
    from ..model_store import get_model_file
    net.load_parameters(get_model_file(name, root=root), ctx=ctx)
    return net
