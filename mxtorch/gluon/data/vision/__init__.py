"""Vision datasets (and, with ``transforms``, image transforms)."""
from . import datasets
from .datasets import *  # noqa: F401,F403
from . import transforms
