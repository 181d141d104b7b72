"""Key-value stores for data-parallel training (``mx.kv``/``mx.kvstore``)."""
from .base import KVStoreBase, create
from .kvstore import KVStore
from .kvstore_server import KVStoreServer
from . import base, kvstore, kvstore_server  # noqa: F401

__all__ = ['KVStore', 'KVStoreBase', 'KVStoreServer', 'base', 'create', 'kvstore',
           'kvstore_server']
