"""Capture MXNet 1.9.1's ``mx.gluon.contrib.data`` results into
tests/fixtures/gluon_contrib_data.json.

Run with the oracle interpreter from the repository root::

    ~/mxref/bin/python tools/gen_gluon_contrib_data_fixtures.py

Cases: IntervalSampler orders and lengths; WikiText2/WikiText103 read from a small local
corpus (the sha1 check is bypassed so nothing is downloaded): vocabulary, frequencies,
samples for several seq_len, with a given vocabulary.
"""
import collections
import json
import os
import tempfile

from mxnet.contrib import text
from mxnet.gluon.contrib import data as cdata
from mxnet.gluon.contrib.data import text as ctext

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "gluon_contrib_data.json")
CORPUS = (" = Title = \n\n The cat sat on the mat . \n the dog   sat\ton a log\n\n"
          " = = Sub = = \n A cat , a dog and the end . \n")
SAMPLERS = [(13, 3, True), (13, 3, False), (5, 5, True), (5, 5, False), (7, 1, True),
            (10, 4, False), (1, 1, True)]


def sampler_cases():
    out = []
    for length, interval, rollover in SAMPLERS:
        s = cdata.IntervalSampler(length, interval, rollover=rollover)
        out.append({"args": [length, interval, rollover], "list": list(s), "len": len(s)})
    return out


def dataset_case(cls, root, seq_len, vocab=None):
    ds = cls(root=root, segment="train", vocab=vocab, seq_len=seq_len)
    return {"cls": cls.__name__, "seq_len": seq_len, "len": len(ds),
            "data": ds._data.asnumpy().tolist(), "label": ds._label.asnumpy().tolist(),
            "dtype": str(ds._data.dtype.__name__ if hasattr(ds._data.dtype, "__name__")
                         else ds._data.dtype),
            "idx_to_token": ds.vocabulary.idx_to_token, "frequencies": dict(ds.frequencies),
            "shape": list(ds._data.shape),
            "item0": [x.asnumpy().tolist() for x in ds[0]] if len(ds) else None}


def main():
    ctext.check_sha1 = lambda *args: True
    out = {"corpus": CORPUS, "samplers": sampler_cases(), "datasets": []}
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "wiki.train.tokens"), "w", encoding="utf8") as f:
            f.write(CORPUS)
        for cls in (ctext.WikiText2, ctext.WikiText103):
            for seq_len in (5, 3, 35):
                out["datasets"].append(dataset_case(cls, root, seq_len))
        voc = text.vocab.Vocabulary(collections.Counter(["the", "cat", "dog"]),
                                    reserved_tokens=["<eos>"])
        out["with_vocab"] = dataset_case(ctext.WikiText2, root, 4, vocab=voc)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=0)


if __name__ == "__main__":
    main()
