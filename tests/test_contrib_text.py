"""mx.contrib.text (vocab, utils, embedding) against values captured from MXNet 1.9.1
(tests/fixtures/contrib_text.json, made by tools/gen_contrib_text_fixtures.py). Vectors are
compared within 1e-6 (float32 parsing of the same decimal text)."""
import collections
import hashlib
import json
import os
import warnings
import zipfile

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.contrib import text
from mxtorch.contrib.text import embedding as E

FIX = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures", "contrib_text.json")))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("emb")
    paths = {}
    for name, (content, _) in FIX["files"].items():
        paths[name] = str(folder / name)
        with open(paths[name], "w") as f:
            f.write(content)
    return paths


def custom(files, name, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return E.CustomEmbedding(files[name], elem_delim=FIX["files"][name][1], **kw)


@pytest.mark.parametrize("case", FIX["vocab"], ids=lambda c: "%d-%s" % (c["counter"], c["args"]))
def test_vocabulary_matches_mxnet(case):
    v = text.vocab.Vocabulary(collections.Counter(FIX["counters"][case["counter"]]),
                              **case["args"])
    assert v.idx_to_token == case["idx_to_token"]
    assert len(v) == case["len"]
    assert v.to_indices(["a", "b", "zz", "<pad>", "x", "<unk>"]) == case["to_indices"]
    assert v.to_tokens(list(range(len(v)))) == case["to_tokens"]
    assert v.reserved_tokens == case["reserved"] and v.unknown_token == case["unknown"]
    assert all(v.token_to_idx[t] == i for i, t in enumerate(v.idx_to_token))


def test_vocabulary_single_items_and_errors():
    v = text.vocab.Vocabulary(collections.Counter("aab"), reserved_tokens=["<pad>"])
    assert v.to_indices("a") == 2 and v.to_indices("q") == 0 and v.to_tokens(1) == "<pad>"
    assert v.to_tokens(np.int64(3)) == "b"
    for bad in (4, -1, 1.0, "a"):
        with pytest.raises(ValueError, match="invalid"):
            v.to_tokens(bad)
    with pytest.raises(AssertionError, match="min_freq"):
        text.vocab.Vocabulary(min_freq=0)
    with pytest.raises(AssertionError, match="unknown_token"):
        text.vocab.Vocabulary(reserved_tokens=["<unk>"])
    with pytest.raises(AssertionError, match="duplicate"):
        text.vocab.Vocabulary(reserved_tokens=["a", "a"])
    with pytest.raises(AssertionError, match="Counter"):
        text.vocab.Vocabulary({"a": 1})
    assert text.vocab.Vocabulary().idx_to_token == ["<unk>"]


def test_count_tokens_from_str_matches_mxnet():
    for case in FIX["strings"][:-1]:
        assert dict(text.utils.count_tokens_from_str(*case["args"])) == case["counts"]
    c = collections.Counter({"life": 5})
    assert text.utils.count_tokens_from_str("life x", counter_to_update=c) is c
    assert dict(c) == FIX["strings"][-1]["update"]


@pytest.mark.parametrize("name", sorted(FIX["files"]))
def test_custom_embedding_matches_mxnet(files, name):
    e = custom(files, name)
    want = FIX["embedding"][name]
    assert e.idx_to_token == want["idx_to_token"] and e.vec_len == want["vec_len"]
    np.testing.assert_allclose(e.idx_to_vec.asnumpy(), want["idx_to_vec"], atol=1e-6)
    assert e.idx_to_vec.dtype == np.float32


def test_custom_embedding_warns_on_duplicates_and_headers(files):
    with pytest.warns(UserWarning) as rec:
        E.CustomEmbedding(files["e1.txt"])
    messages = " ".join(str(w.message) for w in rec)
    assert "duplicate" in messages and "header" in messages


def test_lookup_and_unknown_init(files):
    e1, lk = custom(files, "e1.txt"), FIX["embedding"]["lookup"]
    np.testing.assert_allclose(e1.get_vecs_by_tokens(["A", "C", "x", "a"]).asnumpy(),
                               lk["plain"], atol=1e-6)
    got = e1.get_vecs_by_tokens(["A", "C", "x", "a"], lower_case_backup=True)
    np.testing.assert_allclose(got.asnumpy(), lk["backup"], atol=1e-6)
    single = e1.get_vecs_by_tokens("C", lower_case_backup=True)
    assert single.shape == (3,)
    np.testing.assert_allclose(single.asnumpy(), lk["single"], atol=1e-6)
    e2 = custom(files, "e2.txt", init_unknown_vec=mx.nd.ones)
    np.testing.assert_allclose(e2.idx_to_vec.asnumpy(), FIX["embedding"]["e2_ones"], atol=1e-6)


def fixture_vocab():
    return text.vocab.Vocabulary(collections.Counter(["c", "b", "b", "z", "z", "q", "a"]),
                                 reserved_tokens=["<pad>"])


def test_embedding_with_vocabulary_and_composite(files):
    ev = custom(files, "e1.txt", vocabulary=fixture_vocab())
    want = FIX["embedding"]["with_vocab"]
    assert ev.idx_to_token == want["idx_to_token"] and ev.reserved_tokens == want["reserved"]
    np.testing.assert_allclose(ev.idx_to_vec.asnumpy(), want["idx_to_vec"], atol=1e-6)
    e1, e2 = custom(files, "e1.txt"), custom(files, "e2.txt", init_unknown_vec=mx.nd.ones)
    comp = E.CompositeEmbedding(fixture_vocab(), [e1, e2])
    want = FIX["embedding"]["composite"]
    assert comp.idx_to_token == want["idx_to_token"] and comp.vec_len == want["vec_len"]
    np.testing.assert_allclose(comp.idx_to_vec.asnumpy(), want["idx_to_vec"], atol=1e-6)
    np.testing.assert_allclose(E.CompositeEmbedding(fixture_vocab(), e2).idx_to_vec.asnumpy(),
                               FIX["embedding"]["composite_single"], atol=1e-6)
    with pytest.raises(AssertionError, match="Vocabulary"):
        E.CompositeEmbedding(["a"], e1)
    with pytest.raises(AssertionError, match="token_embeddings"):
        E.CompositeEmbedding(fixture_vocab(), [e1, "glove"])


def test_update_token_vectors(files):
    e1 = custom(files, "e1.txt")
    e1.update_token_vectors("a", mx.nd.array([7, 8, 9]))
    e1.update_token_vectors(["<unk>", "c"], mx.nd.array([[0, 0, 1], [5, 5, 5]]))
    e1.update_token_vectors(["b"], mx.nd.array([[3, 2, 1]]))
    np.testing.assert_allclose(e1.idx_to_vec.asnumpy(), FIX["embedding"]["updated"], atol=1e-6)
    with pytest.raises(ValueError, match="Token zz is unknown"):
        e1.update_token_vectors("zz", mx.nd.ones(3))
    with pytest.raises(AssertionError, match=r"expected \(2, 3\)"):
        e1.update_token_vectors(["a", "b"], mx.nd.ones((2, 4)))
    with pytest.raises(AssertionError, match="2-D"):
        e1.update_token_vectors(["a", "b"], mx.nd.ones(3))


def test_reserved_tokens_keep_rows_aligned(files):
    """MXNet misaligns rows here (compat/contrib_text.md); mxtorch gives each reserved token
    the unknown vector, or its own vector when the file has one."""
    e = custom(files, "e1.txt", reserved_tokens=["<pad>", "b"])
    assert e.idx_to_token == ["<unk>", "<pad>", "b", "a", "A", "c"]
    vecs = e.idx_to_vec.asnumpy()
    assert vecs.shape == (6, 3)
    np.testing.assert_allclose(vecs[1], [1, 1, 1])
    np.testing.assert_allclose(vecs[2], [0.4, 0.5, 0.6], atol=1e-6)
    np.testing.assert_allclose(e.get_vecs_by_tokens("c").asnumpy(), [0.7, 0.8, 0.9], atol=1e-6)


def test_bad_files(tmp_path):
    with pytest.raises(ValueError, match="valid path"):
        E.CustomEmbedding(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("a 1 2\nb 1 2 3\n")
    with pytest.raises(AssertionError, match="dimension of token b is 3"):
        E.CustomEmbedding(str(bad))
    bad.write_text("a\n")
    with pytest.raises(AssertionError, match="line 1"):
        E.CustomEmbedding(str(bad))
    bad.write_text("a 1 z\n")
    with pytest.raises(ValueError, match="line 1"):
        E.CustomEmbedding(str(bad))
    bad.write_text("n 3\n")
    with pytest.raises(ValueError, match="no token vector"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        E.CustomEmbedding(str(bad))


def test_registry_and_file_names():
    names = E.get_pretrained_file_names()
    assert set(names) >= {"glove", "fasttext"}
    assert "glove.6B.50d.txt" in names["glove"] and "wiki.simple.vec" in names["fasttext"]
    assert len(names["fasttext"]) == 327 and len(names["glove"]) == 10
    with pytest.raises(KeyError, match="embedding_name"):
        E.get_pretrained_file_names("nope")
    with pytest.raises(KeyError, match="Cannot find pretrained file x.txt"):
        E.create("GloVe", pretrained_file_name="x.txt")

    @E.register
    class MyEmbed(E._TokenEmbedding):
        pretrained_file_name_sha1 = {"mine.txt": "0"}

        def __init__(self, pretrained_file_name="mine.txt"):
            super().__init__()
            self.name = pretrained_file_name

    assert E.create("myembed").name == "mine.txt"
    assert E.get_pretrained_file_names("myembed") == ["mine.txt"]


def test_download_urls():
    assert E.GloVe._get_pretrained_file_url("glove.6B.50d.txt").endswith(
        "gluon/embeddings/glove/glove.6B.zip")
    assert E.FastText._get_pretrained_file_url("wiki.simple.vec").endswith(
        "gluon/embeddings/fasttext/wiki.simple.zip")


def sha1(path):
    return hashlib.sha1(open(path, "rb").read()).hexdigest()


def test_pretrained_offline_error_names_url_and_place(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "norepo").as_uri() + "/")
    with pytest.raises(mx.MXNetError) as err:
        E.GloVe("glove.6B.50d.txt", embedding_root=str(tmp_path))
    msg = str(err.value)
    assert "gluon/embeddings/glove/glove.6B.zip" in msg
    assert os.path.join(str(tmp_path), "glove", "glove.6B.50d.txt") in msg
    assert "21bf566a9d27f84d253e0cd4d4be9dcc07976a6d" in msg


def test_pretrained_local_file_and_archive(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "glove"
    folder.mkdir()
    local = folder / "glove.6B.50d.txt"
    local.write_text("the 1 2\nof 3 4\n")
    monkeypatch.setitem(E.GloVe.pretrained_file_name_sha1, "glove.6B.50d.txt", sha1(local))
    g = E.create("glove", pretrained_file_name="glove.6B.50d.txt", embedding_root=str(tmp_path))
    assert g.idx_to_token == ["<unk>", "the", "of"] and g.vec_len == 2
    # missing file: fetched as the zip archive from MXNET_GLUON_REPO and extracted
    repo = tmp_path / "repo" / "gluon" / "embeddings" / "fasttext"
    repo.mkdir(parents=True)
    vec = tmp_path / "wiki.simple.vec"
    vec.write_text("2 3\nhello 1 2 3\n")
    with zipfile.ZipFile(repo / "wiki.simple.zip", "w") as zf:
        zf.write(vec, "wiki.simple.vec")
    monkeypatch.setitem(E.FastText.pretrained_file_name_sha1, "wiki.simple.vec", sha1(vec))
    monkeypatch.setitem(E.FastText.pretrained_archive_name_sha1, "wiki.simple.zip",
                        sha1(repo / "wiki.simple.zip"))
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "repo").as_uri() + "/")
    voc = text.vocab.Vocabulary(collections.Counter(["hello", "bye"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = E.FastText(embedding_root=str(tmp_path / "root"), vocabulary=voc)
    assert f.idx_to_token == ["<unk>", "bye", "hello"]
    np.testing.assert_allclose(f.idx_to_vec.asnumpy(), [[0, 0, 0], [0, 0, 0], [1, 2, 3]])


def test_np_mode_returns_np_arrays(files):
    with mx.util.np_array(True):
        e = custom(files, "e1.txt")
        assert isinstance(e.idx_to_vec, mx.np.ndarray)
        v = e.get_vecs_by_tokens(["a", "c"])
        assert isinstance(v, mx.np.ndarray)
        np.testing.assert_allclose(v.asnumpy(), [[0.1, 0.2, 0.3], [0.7, 0.8, 0.9]], atol=1e-6)
