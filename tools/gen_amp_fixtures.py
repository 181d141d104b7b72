"""Capture MXNet 1.9.1's ``amp.convert_symbol`` graphs (with their amp_cast / amp_multicast
nodes) for the networks of tests/amp_cases.py into tests/fixtures/amp_convert.json, plus
convert_model parameter dtypes and symbols made after amp.init; and the cast nodes of
model-zoo networks into tests/fixtures/amp_zoo.json.

Run with the oracle interpreter from the repository root::

    ~/mxref/bin/python tools/gen_amp_fixtures.py
"""
import json
import logging
import os
import re
import sys

import mxnet as mx
from mxnet.contrib import amp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import amp_cases  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "fixtures", "amp_convert.json")
ZOO_OUT = os.path.join(HERE, "..", "tests", "fixtures", "amp_zoo.json")
ZOO = ("resnet18_v1", "mobilenet0_25")   # densenet121 also matches but is 0.3 MB of JSON


def zoo_casts(nodes):
    """The cast nodes (op, name, input names, attrs) and typed variables of a summary."""
    return [[n[0], n[1], [nodes[i][1] for i, _ in n[2]], n[3]] for n in nodes
            if n[0] in ('amp_cast', 'amp_multicast') or '__dtype__' in n[3]]


def zoo():
    """Model-zoo graphs (hybridized at 224x224) and their converted cast nodes."""
    out = {}
    for name in ZOO:
        net = getattr(mx.gluon.model_zoo.vision, name)()
        net.initialize()
        net.hybridize()
        net(mx.nd.ones((1, 3, 224, 224)))
        sym = net._cached_graph[1]
        conv = {}
        for target in ('float16', 'bfloat16'):
            nodes, _ = amp_cases.summary(amp.convert_symbol(
                sym, target_dtype=target, data_names=['data']).tojson(remove_amp_cast=False))
            conv[target] = {"casts": zoo_casts(nodes), "nodes": len(nodes)}
        out[name] = {"json": sym.tojson(), "converted": conv}
    return out


def conversions():
    out = []
    for name, kwargs in amp_cases.CONVERSIONS:
        for target in ('float16', 'bfloat16'):
            sym = amp_cases.build(mx, name)
            try:
                conv = amp.convert_symbol(sym, target_dtype=target, **kwargs)
            except mx.MXNetError as err:  # MXNet type-checks the result (mxtorch does not)
                out.append({"case": name, "kwargs": kwargs, "target": target,
                            "error": re.sub(r"\[[\d:]+\] ", "", str(err).splitlines()[0])})
                continue
            nodes, heads = amp_cases.summary(conv.tojson(remove_amp_cast=False))
            plain = amp_cases.summary(conv.tojson())
            out.append({"case": name, "kwargs": kwargs, "target": target, "nodes": nodes,
                        "heads": heads, "plain": plain[0]})
    return out


def model_dtypes():
    sym = amp_cases.build(mx, 'convnet')
    shapes = dict(zip(sym.list_arguments(), sym.infer_shape(data=(2, 3, 8, 8))[0]))
    args = {k: mx.nd.ones(s) for k, s in shapes.items() if k not in ('data', 'softmax_label')}
    aux = {k: mx.nd.ones(s) for k, s in zip(sym.list_auxiliary_states(),
                                            sym.infer_shape(data=(2, 3, 8, 8))[2])}
    out = {}
    for opt in (False, True):
        _, a, x = amp.convert_model(sym, dict(args), dict(aux), target_dtype='float16',
                                    cast_optional_params=opt)
        out[str(opt)] = {k: str(v.dtype.__name__ if hasattr(v.dtype, '__name__') else v.dtype)
                         for k, v in sorted({**a, **x}.items())}
    return out


def after_init():
    """Symbols and arrays made after amp.init (global: run last)."""
    amp.init(target_dtype='bfloat16')
    with mx.name.NameManager():
        d = mx.sym.var('data')
        h = mx.sym.Activation(mx.sym.FullyConnected(d, num_hidden=4, name='fc1'),
                              act_type='relu', name='relu1')
        s = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(h, num_hidden=2, name='fc2') + d,
                                 name='softmax')
    nodes, heads = amp_cases.summary(s.tojson(remove_amp_cast=False))
    x = mx.nd.ones((2, 3))
    fc = mx.nd.FullyConnected(x, mx.nd.ones((4, 3)), mx.nd.zeros(4), num_hidden=4)
    dtypes = {"fc": str(fc.dtype), "softmax_of_fc": str(mx.nd.softmax(fc).dtype),
              "add_fc_fp32": str(mx.nd.elemwise_add(fc, mx.nd.ones((2, 4))).dtype),
              "add_fc_fc": str(mx.nd.elemwise_add(fc, fc).dtype),
              "relu_fc": str(mx.nd.relu(fc).dtype)}
    return {"nodes": nodes, "heads": heads, "nd_dtypes": dtypes}


def main():
    logging.disable(logging.CRITICAL)
    zoo_data = zoo()
    data = {"conversions": conversions(), "model_dtypes": model_dtypes(),
            "after_init": after_init()}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=0)
    with open(ZOO_OUT, "w") as f:
        json.dump(zoo_data, f)


if __name__ == "__main__":
    main()
