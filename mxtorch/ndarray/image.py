"""``mx.nd.image``: operators generated from the registry (see ``ndarray._gen``)."""
from ._gen import populate as _populate

_populate(globals(), "image")
