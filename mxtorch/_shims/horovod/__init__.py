"""``horovod`` for mxtorch: only ``horovod.mxnet`` is provided (see ``mxtorch._shims``)."""
__version__ = '0.28.1'
