"""``gluon.model_zoo``: the model definitions of MXNet 1.9.1 and the pretrained store."""
from . import model_store, vision  # noqa: F401
from .vision import get_model  # noqa: F401
