"""``mxnet.ndarray.numpy_extension._register``: mxtorch builds npx operators from the one
operator registry (see ``mx.npx``)."""
