"""``mx.contrib.text``: vocabularies (:mod:`.vocab`), token counting (:mod:`.utils`) and
pre-trained token embeddings (:mod:`.embedding`)."""
from . import utils, vocab, embedding  # noqa: F401
