"""``mx.nd.gen_image``: MXNet's staging module of the generated ``image`` functions (the same
functions as the public namespace, built from the operator registry)."""
from ._gen import populate as _populate

_populate(globals(), "image")
