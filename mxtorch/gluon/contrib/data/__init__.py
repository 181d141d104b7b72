"""``mx.gluon.contrib.data``: IntervalSampler and language-model text datasets
(WikiText2, WikiText103)."""
from . import sampler, text  # noqa: F401
from .sampler import IntervalSampler  # noqa: F401
