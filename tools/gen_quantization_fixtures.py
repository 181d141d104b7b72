"""Write tests/fixtures/contrib_quantization.json from real MXNet 1.9.1.

Run from the repository root with the oracle interpreter:
    ~/mxref/bin/python tools/gen_quantization_fixtures.py
The oneDNN subgraph backend is switched off (MXNET_SUBGRAPH_BACKEND=NONE): with it on,
MXNet's calibration Module fuses the FP32 graph and cannot see the layer outputs it
calibrates (its thresholds silently stay empty).
"""
import json
import os
import sys

os.environ['MXNET_SUBGRAPH_BACKEND'] = 'NONE'
import mxnet as mx  # noqa: E402
import mxnet.contrib.quantization  # noqa: E402,F401

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests'))
import quantization_cases  # noqa: E402


def main():
    out = {name: quantization_cases.run_case(mx, name) for name in quantization_cases.CASES}
    out['gluon_fused'] = quantization_cases.gluon_case(mx)
    out['gluon_unfused'] = quantization_cases.gluon_case(mx, device_id=1)
    path = os.path.join(HERE, '..', 'tests', 'fixtures', 'contrib_quantization.json')
    with open(path, 'w') as f:
        json.dump(out, f, sort_keys=True)
    print('wrote', path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
