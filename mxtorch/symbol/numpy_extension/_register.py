"""``mxnet.symbol.numpy_extension._register``: built from the one operator registry."""
