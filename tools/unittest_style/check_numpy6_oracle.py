"""Round-6 mx.np/mx.npx cases (tests/numpy6_cases.py): gradients of mx.np functions
(imperative and hybridized, multi-output ones included), npx operators with their attributes,
mx.np.random properties and reparameterised gradients, ndarray methods, compared with
MXNet 1.9.1's recorded answers.

Record the oracle's answers (MXNet 1.9.1; writes tests/fixtures/numpy6/oracle.npz)::

    cd tools/unittest_style && MXNET_ENGINE_TYPE=NaiveEngine \
        ~/mxref/bin/python check_numpy6_oracle.py --record

Then both sides compare with them (the MXNet side checks its own determinism)::

    .venv/bin/python tools/unittest_style/run.py --only check_numpy6_oracle --details

A case MXNet raises on is recorded as its error; it fails on MXNet and passes on mxtorch only
when mxtorch answers (an extension). tests/test_numpy6_oracle.py replays the same cases in CI.
"""
import os
import sys

import numpy as _np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "numpy6", "oracle.npz")

import mxnet as mx  # noqa: E402
import numpy6_cases as cases  # noqa: E402
from _harness import main  # noqa: E402


def record():
    answers = {}
    for name in cases.CASES:
        for key, value in cases.run(mx, name).items():
            answers["%s::%s" % (name, key)] = value
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    _np.savez_compressed(FIXTURE, **answers)
    print("recorded %d cases (%d values) in %s" % (len(cases.CASES), len(answers), FIXTURE))


def _make(name, want):
    def test():
        cases.compare(name, cases.run(mx, name, want), want)
    return test


if __name__ == "__main__":
    if "--record" in sys.argv:
        record()
        sys.exit(0)
    for _name, _want in cases.load(FIXTURE).items():
        globals()["test_" + _name] = _make(_name, _want)
    main(globals())
