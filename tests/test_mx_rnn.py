"""mx.rnn (symbolic cells, FusedRNNCell, BucketSentenceIter, RNN checkpoints) against MXNet
1.9.1 (tests/fixtures/mx_rnn, written by tools/gen_mx_rnn_fixture.py with real MXNet):
argument names, outputs (rtol 1e-5, atol 1e-6), unpacked weight names and values."""
import json
import os
import random

import numpy as np
import pytest

import mxtorch as mx

HERE = os.path.dirname(__file__)
FIX = np.load(os.path.join(HERE, "fixtures", "mx_rnn", "cases.npz"))
with open(os.path.join(HERE, "fixtures", "mx_rnn", "cases.json")) as f:
    META = json.load(f)
CELLS = sorted(k for k in META if k not in ("bucket", "encode"))


def stack():
    cell = mx.rnn.SequentialRNNCell()
    cell.add(mx.rnn.LSTMCell(4, prefix="s0_"))
    cell.add(mx.rnn.DropoutCell(0.0, prefix="d_"))
    cell.add(mx.rnn.RNNCell(3, prefix="s1_"))
    return cell


@pytest.mark.parametrize("key", CELLS)
def test_cell_matches_mxnet(key):
    with mx.name.NameManager():
        check_cell(key)


def check_cell(key):
    meta = META[key]
    cell = eval(meta["ctor"], {"mx": mx, "stack": stack})
    assert [list(s["shape"]) for s in cell.state_info] == meta["state_info"]
    shape = tuple(meta["shape"])
    length = shape[meta["layout"].find("T")]
    out, states = cell.unroll(length, mx.sym.var("data"), layout=meta["layout"],
                              merge_outputs=meta["merge"])
    flat = []
    for s in states:
        flat.extend(s if isinstance(s, list) else [s])
    group = mx.sym.Group([out] + flat) if flat else out
    exe = group.simple_bind(mx.cpu(), data=shape, grad_req="null")
    assert sorted(exe.arg_dict) == meta["args"]
    assert group.list_outputs() == meta["outputs"]
    for name in meta["args"]:
        exe.arg_dict[name][:] = FIX[f"{key}/arg/{name}"]
    outs = exe.forward(is_train=False)
    assert len(outs) == meta["num_out"]
    for i, o in enumerate(outs):
        np.testing.assert_allclose(o.asnumpy(), FIX[f"{key}/out/{i}"], rtol=1e-5, atol=1e-6)
    params = {n: exe.arg_dict[n] for n in meta["args"] if n != "data" and "begin_state" not in n}
    unpacked = cell.unpack_weights(params)
    assert sorted(unpacked) == meta["unpacked"]
    for name, value in unpacked.items():
        np.testing.assert_array_equal(value.asnumpy(), FIX[f"{key}/unpacked/{name}"])
    packed = cell.pack_weights(unpacked)
    assert sorted(packed) == sorted(params)
    for name, value in packed.items():
        np.testing.assert_array_equal(value.asnumpy(), params[name].asnumpy())


def test_bucket_sentence_iter_and_encode_match_mxnet():
    meta = META["bucket"]
    random.seed(7)
    np.random.seed(7)
    it = mx.rnn.BucketSentenceIter(meta["sentences"], batch_size=2, buckets=[3, 4, 6])
    assert list(it.provide_data[0].shape) == meta["provide_data"]
    keys = []
    for k, batch in enumerate(it):
        np.testing.assert_array_equal(batch.data[0].asnumpy(), FIX[f"bucket/{k}/data"])
        np.testing.assert_array_equal(batch.label[0].asnumpy(), FIX[f"bucket/{k}/label"])
        keys.append(batch.bucket_key)
    assert keys == meta["keys"]
    coded, vocab = mx.rnn.encode_sentences([["a", "b"], ["b", "c", "a"]], invalid_label=0,
                                           start_label=0)
    assert coded == META["encode"]["coded"] and vocab == META["encode"]["vocab"]
    with pytest.raises(KeyError, match="Unknown token z"):
        mx.rnn.encode_sentences([["z"]], vocab={"a": 1})


def test_rnn_checkpoint_unpacks_and_packs(tmp_path):
    cell = mx.rnn.LSTMCell(3, prefix="lstm_")
    out, _ = cell.unroll(2, mx.sym.var("data"), merge_outputs=True)
    args = {"lstm_i2h_weight": mx.nd.ones((12, 4)), "lstm_i2h_bias": mx.nd.arange(12),
            "lstm_h2h_weight": mx.nd.ones((12, 3)) * 2, "lstm_h2h_bias": mx.nd.zeros(12)}
    prefix = str(tmp_path / "lm")
    mx.rnn.save_rnn_checkpoint(cell, prefix, 1, out, args, {})
    saved = mx.nd.load(prefix + "-0001.params")
    assert "arg:lstm_i2h_f_bias" in saved and "arg:lstm_i2h_bias" not in saved
    _, arg, _ = mx.rnn.load_rnn_checkpoint(cell, prefix, 1)
    np.testing.assert_array_equal(arg["lstm_i2h_bias"].asnumpy(), np.arange(12))
    with pytest.raises(NotImplementedError, match="unroll"):
        mx.rnn.FusedRNNCell(3)(mx.sym.var("x"), [])
