"""``mxnet.symbol.numpy._register``: mxtorch builds the NumPy Symbol functions from the one
operator registry (see ``_symbol`` and ``_internal``)."""
