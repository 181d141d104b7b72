"""Capture the ONNX node types MXNet 1.9.1's exporter writes for the fixture models.

Run with the oracle (MXNet 1.9.1 plus ``pip install "onnx<1.15" "protobuf<4"``):
    ~/mxref/bin/python tools/onnx_reference_ops.py
Writes tests/fixtures/onnx_mxnet_node_types.json, read by tests/test_onnx.py.
"""
import json
import os
import tempfile

import numpy as np
import mxnet as mx
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "..", "shared", "fixtures", "mxnet-1.9.1", "models")
NAMES = ["mlp", "cnn", "resnet18_v1_slim", "squeezenet1.1", "mobilenet0.25"]


def node_types(name, folder):
    prefix = os.path.join(MODELS, name)
    shape = np.load(prefix + "-io.npz")["in/data"].shape
    path = mx.onnx.export_model(prefix + "-symbol.json", prefix + "-0000.params", [shape],
                                np.float32, os.path.join(folder, name + ".onnx"))
    return {"in_shape": list(shape), "ops": [n.op_type for n in onnx.load(path).graph.node]}


def main():
    with tempfile.TemporaryDirectory() as folder:
        result = {name: node_types(name, folder) for name in NAMES}
    out = os.path.join(HERE, "..", "tests", "fixtures", "onnx_mxnet_node_types.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=0)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
