"""Write tests/fixtures/gluon/summary_*.txt: ``Block.summary`` tables printed by MXNet 1.9.1.

Needs the oracle:  ~/mxref/bin/python tools/gen_gluon_block_fixtures.py
The networks are rebuilt identically by tests/test_gluon_block.py (``SUMMARY_NETS``).
"""
import contextlib
import io
import os

import mxnet as mx
from mxnet.gluon import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'gluon')


def summary_nets():
    """name -> (network factory, input shape); kept in sync with the test file."""
    def mlp(seq=nn.HybridSequential):
        net = seq()
        with net.name_scope():
            net.add(nn.Dense(8, activation='relu', in_units=5), nn.Dense(4), nn.Dense(2))
        return net

    def cnn():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Conv2D(4, 3, in_channels=1), nn.BatchNorm(), nn.Activation('relu'),
                    nn.MaxPool2D(), nn.Flatten(), nn.Dense(3))
        return net

    class Shared(mx.gluon.Block):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.d0 = nn.Dense(3, in_units=3)
                self.d1 = nn.Dense(3, in_units=3, params=self.d0.params)
                self.out = nn.Dense(2, in_units=3)

        def forward(self, x):
            return [self.out(self.d1(self.d0(x))), x]

    return {'mlp': (mlp, (2, 5)), 'seq_mlp': (lambda: mlp(nn.Sequential), (2, 5)),
            'cnn': (cnn, (2, 1, 6, 6)), 'shared': (Shared, (1, 3))}


def main():
    for name, (build, shape) in summary_nets().items():
        net = build()
        net.initialize()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            net.summary(mx.nd.ones(shape))
        with open(os.path.join(OUT, 'summary_%s.txt' % name), 'w') as f:
            f.write(buf.getvalue())


if __name__ == '__main__':
    main()
