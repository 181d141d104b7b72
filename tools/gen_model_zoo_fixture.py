"""Record every model-zoo network's parameter names and shapes from real MXNet 1.9.1.

Run with the oracle venv:  ~/mxref/bin/python tools/gen_model_zoo_fixture.py
Writes tests/fixtures/model_zoo/param_shapes.json.gz: {model: [[name, shape], ...]} in
collect_params() order, for classes=1000 (the store's files) and the input size each model
takes. tests/test_model_zoo.py checks mxtorch's definitions against it.
"""
import gzip
import json
import os
import sys

import mxnet as mx
from mxnet.gluon.model_zoo import vision

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "model_zoo",
                   "param_shapes.json.gz")


def input_size(name):
    return 299 if name.startswith("inception") else 224


def shapes_of(name):
    with mx.name.NameManager():  # fresh prefix counters: resnetv10_, vgg0_...
        net = vision.get_model(name)
        out = net(mx.sym.var("data"))
    size = input_size(name)
    arg_shapes, _, aux_shapes = out.infer_shape(data=(1, 3, size, size))
    table = dict(zip(out.list_arguments(), arg_shapes))
    table.update(zip(out.list_auxiliary_states(), aux_shapes))
    return [[p, list(table[p])] for p in net.collect_params().keys()]


def all_names():
    try:
        vision.get_model("?")
    except ValueError as err:  # the message lists every model name
        return [n.strip() for n in str(err).split("\n")[1:]]


def main():
    names = sys.argv[1:] or all_names()
    result = {name: shapes_of(name) for name in names}
    with gzip.open(OUT, "wt") as f:
        json.dump(result, f, sort_keys=True)
    print(f"{len(result)} models, {sum(len(v) for v in result.values())} parameters -> {OUT}")


if __name__ == "__main__":
    main()
