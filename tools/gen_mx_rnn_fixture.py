"""Record MXNet 1.9.1's symbolic mx.rnn cells, FusedRNNCell weights and BucketSentenceIter.

Run with the oracle venv:  ~/mxref/bin/python tools/gen_mx_rnn_fixture.py
For each case a cell is unrolled on a ``data`` variable, bound with simple_bind, every
argument set from a seeded numpy stream (sorted by name), and the forward outputs stored, with
the argument names and the unpacked weight names. Writes tests/fixtures/mx_rnn/cases.npz and
cases.json; tests/test_mx_rnn.py replays them.
"""
import json
import os
import random
import zlib

import mxnet as mx
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "mx_rnn")

CASES = [
    ("rnn", "mx.rnn.RNNCell(4, prefix='rnn_')", (2, 3, 5), "NTC", True),
    ("lstm", "mx.rnn.LSTMCell(4, prefix='lstm_')", (2, 3, 5), "NTC", True),
    ("gru_tnc", "mx.rnn.GRUCell(3, prefix='gru_')", (3, 2, 5), "TNC", True),
    ("stack", "stack()", (2, 3, 5), "NTC", True),
    ("bidir", "mx.rnn.BidirectionalCell(mx.rnn.LSTMCell(3, prefix='l_'), "
              "mx.rnn.GRUCell(2, prefix='r_'))", (2, 3, 5), "NTC", True),
    ("residual", "mx.rnn.ResidualCell(mx.rnn.GRUCell(5, prefix='res_'))", (2, 3, 5), "NTC",
     True),
    ("fused_lstm", "mx.rnn.FusedRNNCell(4, num_layers=2, mode='lstm', prefix='f_')",
     (3, 2, 5), "TNC", True),
    ("fused_gru_bi", "mx.rnn.FusedRNNCell(3, mode='gru', bidirectional=True, prefix='g_', "
                     "get_next_state=True)", (3, 2, 5), "TNC", True),
    ("conv_lstm", "mx.rnn.ConvLSTMCell((2, 3, 4, 4), 2, prefix='cl_')", (2, 3, 3, 4, 4), "NTC",
     True),
    ("conv_gru", "mx.rnn.ConvGRUCell((2, 3, 4, 4), 2, prefix='cg_')", (2, 3, 3, 4, 4), "NTC",
     True),
]


def stack():
    cell = mx.rnn.SequentialRNNCell()
    cell.add(mx.rnn.LSTMCell(4, prefix='s0_'))
    cell.add(mx.rnn.DropoutCell(0.0, prefix='d_'))
    cell.add(mx.rnn.RNNCell(3, prefix='s1_'))
    return cell


def run(key, ctor, shape, layout, merge, store, meta):
    rng = np.random.RandomState(zlib.crc32(key.encode()))
    cell = eval(ctor)
    length = shape[layout.find("T")]
    out, states = cell.unroll(length, mx.sym.var("data"), layout=layout, merge_outputs=merge)
    flat_states = []
    for s in states:  # BidirectionalCell returns [l_states, r_states]
        flat_states.extend(s if isinstance(s, list) else [s])
    group = mx.sym.Group([out] + flat_states) if flat_states else out
    exe = group.simple_bind(mx.cpu(), data=shape, grad_req="null")
    names = sorted(exe.arg_dict)
    for name in names:
        value = rng.uniform(-0.5, 0.5, size=exe.arg_dict[name].shape).astype("float32")
        exe.arg_dict[name][:] = value
        store[f"{key}/arg/{name}"] = value
    outs = exe.forward(is_train=False)
    for i, o in enumerate(outs):
        store[f"{key}/out/{i}"] = o.asnumpy()
    params = {n: exe.arg_dict[n] for n in names if n != "data" and "begin_state" not in n}
    unpacked = cell.unpack_weights(params)
    meta[key] = {"ctor": ctor, "shape": shape, "layout": layout, "merge": merge,
                 "args": names, "outputs": group.list_outputs(), "num_out": len(outs),
                 "unpacked": sorted(unpacked), "state_info": [list(s["shape"]) for s in
                                                              cell.state_info]}
    for name, value in unpacked.items():
        store[f"{key}/unpacked/{name}"] = value.asnumpy()


def bucket_iter(store, meta):
    sentences = [[1 + (i * 7 + j) % 9 for j in range(3 + i % 4)] for i in range(23)]
    random.seed(7)
    np.random.seed(7)
    it = mx.rnn.BucketSentenceIter(sentences, batch_size=2, buckets=[3, 4, 6], layout="NT")
    keys = []
    for k, batch in enumerate(it):
        store[f"bucket/{k}/data"] = batch.data[0].asnumpy()
        store[f"bucket/{k}/label"] = batch.label[0].asnumpy()
        keys.append(batch.bucket_key)
    meta["bucket"] = {"sentences": sentences, "keys": keys,
                      "provide_data": list(it.provide_data[0].shape)}
    coded, vocab = mx.rnn.encode_sentences([["a", "b"], ["b", "c", "a"]], invalid_label=0,
                                           start_label=0)
    meta["encode"] = {"coded": coded, "vocab": vocab}


def main():
    store, meta = {}, {}
    for case in CASES:
        with mx.name.NameManager():  # auto-generated names start from 0 per case
            run(*case, store, meta)
    bucket_iter(store, meta)
    np.savez_compressed(os.path.join(OUT, "cases.npz"), **store)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    print(f"{len(CASES)} cells + bucket iterator -> {OUT}")


if __name__ == "__main__":
    main()
