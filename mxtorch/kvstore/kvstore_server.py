"""The parameter-server process of distributed MXNet (not available in mxtorch yet)."""
import logging  # noqa: F401  (MXNet exposes these modules here)
import pickle  # noqa: F401
import sys  # noqa: F401

from ..base import MXNetError
from .base import create

__all__ = ['KVStoreServer']


class KVStoreServer(object):
    """The server loop of a distributed kvstore (``DMLC_ROLE=server``).

    Parameters
    ----------
    kvstore : KVStore
        The store the server serves.
    """

    def __init__(self, kvstore):
        self.kvstore = kvstore
        self.handle = getattr(kvstore, 'handle', None)
        self.init_logging = False

    def run(self):
        """Run the server loop: distributed kvstores are not available in mxtorch yet."""
        raise MXNetError('KVStoreServer.run: parameter servers (distributed kvstore) are not '
                         'available in mxtorch yet; distributed training will use '
                         'torch.distributed, without server processes')


def _init_kvstore_server_module():
    """Start a server when this process was launched as one (``DMLC_ROLE``)."""
    import os
    role = os.getenv('DMLC_ROLE')
    if role in ('server', 'scheduler'):
        KVStoreServer(create('dist')).run()
