"""Capture MXNet 1.9.1's ``mx.contrib.text`` results into tests/fixtures/contrib_text.json.

Run with the oracle interpreter from the repository root::

    ~/mxref/bin/python tools/gen_contrib_text_fixtures.py

Cases: vocabularies (counter ordering, most_freq_count, min_freq, reserved and unknown tokens),
count_tokens_from_str, CustomEmbedding from small files (duplicates, headers, unknown token in
the file, lower_case_backup, vocabulary indexing), CompositeEmbedding and
update_token_vectors. Cases where MXNet misaligns vectors (reserved tokens given to an
embedding without a vocabulary) are left out: see compat/contrib_text.md.
"""
import collections
import json
import os
import tempfile
import warnings

import mxnet as mx
from mxnet.contrib import text

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "contrib_text.json")

COUNTERS = [
    ["b", "a", "c", "b", "a", "d", "b", "e", "e", "c", "c", "z"],
    ["x", "y", "x", "<unk>", "<unk>", "<pad>", "y", "w"],
]
VOCAB_ARGS = [
    {}, {"most_freq_count": 2}, {"min_freq": 2}, {"most_freq_count": 3, "min_freq": 2},
    {"reserved_tokens": ["<pad>", "<bos>"]}, {"unknown_token": "<UNK>"},
    {"reserved_tokens": ["<pad>"], "most_freq_count": 1}, {"most_freq_count": 0},
    {"most_freq_count": 100, "min_freq": 3},
]
STRINGS = [
    (" Life is great ! \n life is good . \n", " ", "\n", True),
    (" Life is great ! \n life is good . \n", " ", "\n", False),
    ("*Life*is*great*!*\n*life*is*good*.*\n", "\\*", "\n", True),
    ("a,b;;c,,a;B", ",", ";", False),
]
FILES = {
    "e1.txt": ("a 0.1 0.2 0.3\nb 0.4 0.5 0.6\n<unk> 1 1 1\nA 2 2 2\na 9 9 9\nhdr 5\n"
               "c 0.7 0.8 0.9\n", " "),
    "e2.txt": ("b\t1.5\t-2\nc\t3\t4.25\nq\t7\t8\n", "\t"),
    "e3.txt": ("2 3\nx 1 2 3\ny 4 5 6\n", " "),
}


def arr(x):
    return x.asnumpy().tolist()


def vocab_cases():
    out = []
    for ci, words in enumerate(COUNTERS):
        for args in VOCAB_ARGS:
            if args.get("unknown_token", "<unk>") in args.get("reserved_tokens", []):
                continue
            v = text.vocab.Vocabulary(collections.Counter(words), **args)
            probe = ["a", "b", "zz", "<pad>", "x", "<unk>"]
            out.append({"counter": ci, "args": args, "idx_to_token": v.idx_to_token,
                        "to_indices": v.to_indices(probe), "len": len(v),
                        "reserved": v.reserved_tokens, "unknown": v.unknown_token,
                        "to_tokens": v.to_tokens(list(range(len(v))))})
    return out


def embedding_cases(folder):
    paths = {}
    for name, (content, _) in FILES.items():
        paths[name] = os.path.join(folder, name)
        with open(paths[name], "w") as f:
            f.write(content)
    out = {}
    for name, (_, delim) in FILES.items():
        e = text.embedding.CustomEmbedding(paths[name], elem_delim=delim)
        out[name] = {"idx_to_token": e.idx_to_token, "idx_to_vec": arr(e.idx_to_vec),
                     "vec_len": e.vec_len}
    e1 = text.embedding.CustomEmbedding(paths["e1.txt"])
    out["lookup"] = {
        "plain": arr(e1.get_vecs_by_tokens(["A", "C", "x", "a"])),
        "backup": arr(e1.get_vecs_by_tokens(["A", "C", "x", "a"], lower_case_backup=True)),
        "single": arr(e1.get_vecs_by_tokens("C", lower_case_backup=True)),
    }
    e2 = text.embedding.CustomEmbedding(paths["e2.txt"], elem_delim="\t",
                                        init_unknown_vec=mx.nd.ones)
    out["e2_ones"] = arr(e2.idx_to_vec)
    voc = text.vocab.Vocabulary(collections.Counter(["c", "b", "b", "z", "z", "q", "a"]),
                                reserved_tokens=["<pad>"])
    ev = text.embedding.CustomEmbedding(paths["e1.txt"], vocabulary=voc)
    out["with_vocab"] = {"idx_to_token": ev.idx_to_token, "idx_to_vec": arr(ev.idx_to_vec),
                         "reserved": ev.reserved_tokens}
    comp = text.embedding.CompositeEmbedding(voc, [e1, e2])
    out["composite"] = {"idx_to_token": comp.idx_to_token, "idx_to_vec": arr(comp.idx_to_vec),
                        "vec_len": comp.vec_len}
    comp1 = text.embedding.CompositeEmbedding(voc, e2)
    out["composite_single"] = arr(comp1.idx_to_vec)
    e1.update_token_vectors("a", mx.nd.array([7, 8, 9]))
    e1.update_token_vectors(["<unk>", "c"], mx.nd.array([[0, 0, 1], [5, 5, 5]]))
    e1.update_token_vectors(["b"], mx.nd.array([[3, 2, 1]]))
    out["updated"] = arr(e1.idx_to_vec)
    return out


def main():
    warnings.simplefilter("ignore")
    strings = [{"args": list(s), "counts": dict(text.utils.count_tokens_from_str(*s))}
               for s in STRINGS]
    c = collections.Counter({"life": 5})
    text.utils.count_tokens_from_str("life x", counter_to_update=c)
    strings.append({"update": dict(c)})
    with tempfile.TemporaryDirectory() as folder:
        emb = embedding_cases(folder)
    data = {"counters": COUNTERS, "files": FILES, "vocab": vocab_cases(), "strings": strings,
            "embedding": emb}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=0)


if __name__ == "__main__":
    main()
