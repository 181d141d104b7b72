"""Datasets, samplers and the DataLoader (``mx.gluon.data``)."""
from . import dataset
from .dataset import *  # noqa: F401,F403
from . import sampler
from .sampler import *  # noqa: F401,F403
from . import batchify
from . import dataloader
from .dataloader import *  # noqa: F401,F403
from . import vision
