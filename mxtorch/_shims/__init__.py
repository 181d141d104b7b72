"""Stand-ins for third-party packages that drove distributed MXNet training
(``horovod.mxnet``, ``byteps.mxnet``), running on mxtorch's torch.distributed collectives.

With the ``import mxnet`` redirection (:mod:`mxtorch.compat`) ``import horovod.mxnet as hvd``
and ``import byteps.mxnet as bps`` give these modules, unless the real package is installed.
"""
