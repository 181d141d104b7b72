"""The server/scheduler processes of distributed MXNet. mxtorch's stores need neither: a
process started with ``DMLC_ROLE=server`` or ``scheduler`` (MXNet's manual launch) waits for
the workers' job to end and exits cleanly."""
import logging  # noqa: F401  (MXNet exposes these modules here)
import pickle  # noqa: F401
import sys  # noqa: F401

from .base import create  # noqa: F401  (MXNet exposes it here)

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
        """Wait until the workers' job ends (mxtorch's workers need no server)."""
        from .dist import wait_for_job_end
        return wait_for_job_end()


def _init_kvstore_server_module():
    """In a process launched as a server or scheduler (``DMLC_ROLE``): wait for the job to
    end, then exit (as ``import mxnet`` does in MXNet)."""
    import os
    role = os.getenv('DMLC_ROLE')
    if role in ('server', 'scheduler'):
        from .dist import wait_for_job_end
        wait_for_job_end()
        sys.exit(0)
