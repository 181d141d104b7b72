"""Write tests/fixtures/gluon_estimator.json from real MXNet 1.9.1.

Run from the repository root with the oracle interpreter:
    ~/mxref/bin/python tools/gen_estimator_fixtures.py
It runs every scenario of tests/estimator_cases.py with MXNet and stores the results that
tests/test_gluon_estimator.py compares mxtorch against.
"""
import json
import os
import sys
import tempfile

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests'))
import estimator_cases  # noqa: E402

import mxnet.gluon.contrib.estimator  # noqa: E402,F401


def main():
    out = {}
    for name in estimator_cases.SCENARIOS:
        with tempfile.TemporaryDirectory() as workdir:
            out[name] = estimator_cases.run_scenario(mx, name, workdir)
    path = os.path.join(HERE, '..', 'tests', 'fixtures', 'gluon_estimator.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print('wrote', path)


if __name__ == '__main__':
    main()
