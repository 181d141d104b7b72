"""mx.gluon.contrib.data (IntervalSampler, WikiText2/103) against values captured from MXNet
1.9.1 (tests/fixtures/gluon_contrib_data.json, made by tools/gen_gluon_contrib_data_fixtures.py);
integer results compared exactly."""
import collections
import hashlib
import json
import os
import zipfile

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.contrib import text
from mxtorch.gluon.contrib import data as cdata
from mxtorch.gluon.contrib.data import text as ctext

FIX = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures",
                                  "gluon_contrib_data.json")))


@pytest.mark.parametrize("case", FIX["samplers"], ids=lambda c: str(c["args"]))
def test_interval_sampler_matches_mxnet(case):
    s = cdata.IntervalSampler(*case["args"])
    assert list(s) == case["list"]
    # MXNet reports `length` even without rollover (compat/contrib_apis.md); len == yielded here
    assert len(s) == len(case["list"])
    assert isinstance(s, mx.gluon.data.Sampler)


def test_interval_sampler_errors_and_loader():
    with pytest.raises(AssertionError, match="smaller than or equal to length 3"):
        cdata.IntervalSampler(3, 4)
    with pytest.raises(AssertionError, match="at least 1"):
        cdata.IntervalSampler(3, 0)
    loader = mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset(np.arange(10)), batch_size=4,
                                      sampler=cdata.IntervalSampler(10, 3, rollover=False),
                                      last_batch="keep")
    assert [b.asnumpy().tolist() for b in loader] == [[0, 3, 6, 9]]


def sha1(path):
    return hashlib.sha1(open(path, "rb").read()).hexdigest()


@pytest.fixture
def corpus_root(tmp_path, monkeypatch):
    path = tmp_path / "wiki.train.tokens"
    path.write_text(FIX["corpus"], encoding="utf8")
    for cls in (ctext.WikiText2, ctext.WikiText103):
        monkeypatch.setitem(cls._data_file, "train", ("wiki.train.tokens", sha1(path)))
    return str(tmp_path)


def check(ds, want):
    assert len(ds) == want["len"]
    assert ds._data.shape == tuple(want["shape"]) and ds._data.dtype == np.int32
    np.testing.assert_array_equal(ds._data.asnumpy().reshape(want["shape"]),
                                  np.array(want["data"]).reshape(want["shape"]))
    np.testing.assert_array_equal(ds._label.asnumpy().reshape(want["shape"]),
                                  np.array(want["label"]).reshape(want["shape"]))
    assert ds.vocabulary.idx_to_token == want["idx_to_token"]
    assert dict(ds.frequencies) == want["frequencies"]
    if want["item0"] is not None:
        assert [x.asnumpy().tolist() for x in ds[0]] == want["item0"]


@pytest.mark.parametrize("case", FIX["datasets"], ids=lambda c: "%s-%d" % (c["cls"], c["seq_len"]))
def test_wikitext_matches_mxnet(corpus_root, case):
    cls = getattr(ctext, case["cls"])
    check(cls(root=corpus_root, segment="train", seq_len=case["seq_len"]), case)


def test_wikitext_with_vocabulary(corpus_root):
    voc = text.vocab.Vocabulary(collections.Counter(["the", "cat", "dog"]),
                                reserved_tokens=["<eos>"])
    check(ctext.WikiText2(root=corpus_root, vocab=voc, seq_len=4), FIX["with_vocab"])


def test_wikitext_offline_error_and_archive(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "norepo").as_uri() + "/")
    root = tmp_path / "root"
    with pytest.raises(mx.MXNetError) as err:
        ctext.WikiText2(root=str(root), segment="validation")
    msg = str(err.value)
    assert "gluon/dataset/wikitext-2/wikitext-2-v1.zip" in msg
    assert os.path.join(str(root), "wiki.valid.tokens") in msg
    # the archive from a mirror is extracted flat into root
    repo = tmp_path / "repo" / "gluon" / "dataset" / "wikitext-2"
    repo.mkdir(parents=True)
    src = tmp_path / "wiki.valid.tokens"
    src.write_text(FIX["corpus"], encoding="utf8")
    with zipfile.ZipFile(repo / "wikitext-2-v1.zip", "w") as zf:
        zf.write(src, "wikitext-2/wiki.valid.tokens")
    monkeypatch.setattr(ctext.WikiText2, "_archive_file",
                        ("wikitext-2-v1.zip", sha1(repo / "wikitext-2-v1.zip")))
    monkeypatch.setitem(ctext.WikiText2._data_file, "validation",
                        ("wiki.valid.tokens", sha1(src)))
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "repo").as_uri() + "/")
    ds = ctext.WikiText2(root=str(root), segment="validation", seq_len=5)
    check(ds, FIX["datasets"][0])


def test_wikitext_argument_errors(corpus_root):
    with pytest.raises(ValueError, match="segment must be one of"):
        ctext.WikiText2(root=corpus_root, segment="dev")
    with pytest.raises(ValueError, match="seq_len"):
        ctext.WikiText103(root=corpus_root, seq_len=0)
