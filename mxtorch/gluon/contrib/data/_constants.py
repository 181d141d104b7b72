"""Constants of ``mx.gluon.contrib.data``."""

EOS_TOKEN = '<eos>'
