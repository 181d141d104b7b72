"""``mxnet.ndarray.numpy._register``: MXNet generates its NumPy operators here; mxtorch builds
them from the one operator registry instead (see ``_internal``)."""
