"""Record gluon.rnn layers and cells run by real MXNet 1.9.1 (values for tests/test_gluon_rnn.py).

Run with the oracle venv:  ~/mxref/bin/python tools/gen_rnn_fixture.py
Each case builds a layer or cell from a constructor string, sets every parameter from a seeded
numpy stream (in collect_params order), runs it on a seeded input (with given or default
states, valid_length for cells), and stores inputs, parameters (by name without the block
prefix), outputs, states, and the gradients of sum(output * head) w.r.t. the input and every
parameter. Writes tests/fixtures/rnn/cases.npz and cases.json.
"""
import json
import os
import zlib

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd
from mxnet.gluon import rnn

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "rnn")

LAYERS = [
    ("rnn_relu", "rnn.RNN(5, activation='relu', input_size=3)", (4, 2, 3), "TNC", False),
    ("rnn_tanh_2l_bi", "rnn.RNN(4, 2, 'tanh', bidirectional=True, input_size=3)", (3, 2, 3),
     "TNC", True),
    ("lstm_ntc", "rnn.LSTM(6, layout='NTC', input_size=3)", (2, 5, 3), "NTC", False),
    ("lstm_2l_states", "rnn.LSTM(4, 2, input_size=3)", (3, 2, 3), "TNC", True),
    ("lstm_bi", "rnn.LSTM(3, bidirectional=True, input_size=2)", (4, 2, 2), "TNC", True),
    ("lstm_proj", "rnn.LSTM(6, projection_size=3, input_size=4)", (3, 2, 4), "TNC", True),
    ("lstm_clip", "rnn.LSTM(4, input_size=3, state_clip_min=-0.2, state_clip_max=0.2)",
     (3, 2, 3), "TNC", True),
    ("gru", "rnn.GRU(5, input_size=3)", (4, 2, 3), "TNC", True),
    ("gru_2l_bi_ntc", "rnn.GRU(3, 2, layout='NTC', bidirectional=True, input_size=2)",
     (2, 3, 2), "NTC", False),
]

CELLS = [
    ("rnncell", "rnn.RNNCell(4, input_size=3)", "NTC", True, False),
    ("rnncell_relu", "rnn.RNNCell(4, activation='relu', input_size=3)", "TNC", False, False),
    ("lstmcell", "rnn.LSTMCell(4, input_size=3)", "NTC", True, False),
    ("grucell", "rnn.GRUCell(4, input_size=3)", "NTC", True, True),
    ("lstmcell_valid", "rnn.LSTMCell(3, input_size=3)", "NTC", True, True),
    ("stack", "seq_cell()", "NTC", True, False),
    ("bidir", "rnn.BidirectionalCell(rnn.LSTMCell(3, input_size=3), "
              "rnn.GRUCell(2, input_size=3))", "NTC", True, False),
    ("bidir_valid", "rnn.BidirectionalCell(rnn.RNNCell(3, input_size=3), "
                    "rnn.RNNCell(3, input_size=3))", "TNC", True, True),
    ("residual", "rnn.ResidualCell(rnn.GRUCell(3, input_size=3))", "NTC", True, False),
    ("lstmpcell", "gluon.contrib.rnn.LSTMPCell(5, 2, input_size=3)", "NTC", True, False),
    ("conv1d_rnn", "gluon.contrib.rnn.Conv1DRNNCell((3, 6), 2, 3, 3, i2h_pad=1)", "NTC",
     True, False),
    ("conv2d_lstm", "gluon.contrib.rnn.Conv2DLSTMCell((3, 4, 4), 2, (3, 3), (3, 3))", "NTC",
     True, False),
    ("conv3d_gru", "gluon.contrib.rnn.Conv3DGRUCell((2, 3, 3, 3), 2, (1, 3, 3), (3, 1, 1), "
                   "i2h_pad=(0, 1, 1))", "NTC", True, False),
]

CELL_INPUT = {"conv1d_rnn": (2, 4, 3, 6), "conv2d_lstm": (2, 4, 3, 4, 4),
              "conv3d_gru": (2, 4, 2, 3, 3, 3)}


def seq_cell():
    cell = rnn.SequentialRNNCell()
    cell.add(rnn.LSTMCell(4, input_size=3))
    cell.add(rnn.DropoutCell(0.0))
    cell.add(rnn.RNNCell(3, input_size=4))
    return cell


def fill_params(block, rng, store, key):
    names = []
    for full, p in block.collect_params().items():
        name = full[len(block.prefix):] if full.startswith(block.prefix) else full
        value = rng.uniform(-0.5, 0.5, size=p.shape).astype("float32")
        p.set_data(nd.array(value))
        store[f"{key}/param/{name}"] = value
        names.append(name)
    return names


def run_layer(key, ctor, shape, layout, with_states, store, meta):
    rng = np.random.RandomState(zlib.crc32(key.encode()))
    with mx.name.NameManager():
        layer = eval(ctor)
    layer.initialize()
    names = fill_params(layer, rng, store, key)
    x = nd.array(rng.uniform(-1, 1, size=shape).astype("float32"))
    x.attach_grad()
    store[f"{key}/in"] = x.asnumpy()
    batch = shape[layout.find("N")]
    states = None
    if with_states:
        states = [nd.array(rng.uniform(-1, 1, size=s["shape"]).astype("float32"))
                  for s in layer.state_info(batch)]
        for i, s in enumerate(states):
            store[f"{key}/state_in/{i}"] = s.asnumpy()
    trainable = "projection" not in ctor  # MXNet has no CPU backward for LSTMP
    with (autograd.record() if trainable else autograd.predict_mode()):
        out = layer(x) if states is None else layer(x, states)
        out_main = out if states is None else out[0]
        head = nd.array(rng.uniform(-1, 1, size=out_main.shape).astype("float32"))
        loss = (out_main * head).sum()
    if trainable:
        loss.backward()
    store[f"{key}/out"] = out_main.asnumpy()
    store[f"{key}/head"] = head.asnumpy()
    if states is not None:
        for i, s in enumerate(out[1]):
            store[f"{key}/state_out/{i}"] = s.asnumpy()
    if trainable:
        store[f"{key}/grad/in"] = x.grad.asnumpy()
        for full, p in layer.collect_params().items():
            store[f"{key}/grad/{full[len(layer.prefix):]}"] = p.grad().asnumpy()
    meta[key] = {"ctor": ctor, "shape": shape, "layout": layout, "states": with_states,
                 "grads": trainable,
                 "params": names, "repr": repr(layer),
                 "save_keys": sorted(layer._collect_params_with_prefix().keys())}


def run_cell(key, ctor, layout, merge, with_valid, store, meta):
    rng = np.random.RandomState(zlib.crc32(key.encode()))
    with mx.name.NameManager():
        cell = eval(ctor)
    cell.initialize()
    names = fill_params(cell, rng, store, key)
    shape = CELL_INPUT.get(key, (2, 4, 3) if layout == "NTC" else (4, 2, 3))
    x = nd.array(rng.uniform(-1, 1, size=shape).astype("float32"))
    x.attach_grad()
    store[f"{key}/in"] = x.asnumpy()
    valid = nd.array([4, 2]) if with_valid else None
    with autograd.record():
        out, states = cell.unroll(4, x, layout=layout, merge_outputs=merge, valid_length=valid)
        if isinstance(out, list):  # stored stacked along the time axis
            out = nd.stack(*out, axis=layout.find("T"))
        head = nd.array(rng.uniform(-1, 1, size=out.shape).astype("float32"))
        loss = (out * head).sum()
    loss.backward()
    store[f"{key}/out"] = out.asnumpy()
    store[f"{key}/head"] = head.asnumpy()
    store[f"{key}/grad/in"] = x.grad.asnumpy()
    for i, s in enumerate(states):
        store[f"{key}/state_out/{i}"] = s.asnumpy()
    for full, p in cell.collect_params().items():
        store[f"{key}/grad/{full[len(cell.prefix):] if full.startswith(cell.prefix) else full}"] \
            = p.grad().asnumpy()
    meta[key] = {"ctor": ctor, "layout": layout, "merge": merge, "valid": with_valid,
                 "shape": shape,
                 "params": names, "repr": repr(cell),
                 "state_info": [list(s["shape"]) for s in cell.state_info(2)]}


def main():
    store, meta = {}, {"layers": {}, "cells": {}}
    for case in LAYERS:
        run_layer(*case, store, meta["layers"])
    for case in CELLS:
        run_cell(*case, store, meta["cells"])
    np.savez_compressed(os.path.join(OUT, "cases.npz"), **store)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    print(f"{len(meta['layers'])} layers, {len(meta['cells'])} cells -> {OUT}")


if __name__ == "__main__":
    main()
