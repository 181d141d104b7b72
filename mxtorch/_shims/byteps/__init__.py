"""``byteps`` for mxtorch: only ``byteps.mxnet`` is provided (see ``mxtorch._shims``)."""
__version__ = '0.2.5'
