"""``mx.gluon.contrib.data.text``: word-level language-model datasets (WikiText-2/103).

Samples are ``(data, label)`` int32 rows of `seq_len` token indices, the label shifted by one
token; each line of the corpus ends with ``'<eos>'``.
"""
import os
import shutil
import zipfile

import numpy as np

from .... import base
from .... import ndarray as nd
from ....base import MXNetError
from ....contrib import text
from ...data import dataset
from ...utils import _get_repo_file_url, check_sha1, download
from . import _constants as C

__all__ = ['WikiText2', 'WikiText103']


class _LanguageModelDataset(dataset._DownloadedDataset):  # pylint: disable=abstract-method
    def __init__(self, root, namespace, vocabulary):
        self._vocab = vocabulary
        self._counter = None
        self._namespace = namespace
        super(_LanguageModelDataset, self).__init__(root, None)

    @property
    def vocabulary(self):
        """The Vocabulary indexing the tokens."""
        return self._vocab

    @property
    def frequencies(self):
        """collections.Counter of the corpus tokens."""
        return self._counter

    def _build_vocab(self, content):
        if not self._counter:
            self._counter = text.utils.count_tokens_from_str(content)
        if not self._vocab:
            self._vocab = text.vocab.Vocabulary(counter=self.frequencies,
                                                reserved_tokens=[C.EOS_TOKEN])


def _extract_flat(archive, folder):
    """Extracts every file of a zip archive directly into `folder` (no sub-folders)."""
    with zipfile.ZipFile(archive, 'r') as zf:
        for member in zf.namelist():
            name = os.path.basename(member)
            if name:
                with zf.open(member) as src, open(os.path.join(folder, name), 'wb') as dst:
                    shutil.copyfileobj(src, dst)


class _WikiText(_LanguageModelDataset):
    _archive_file = None   # (archive name, sha1)
    _data_file = None      # segment -> (file name, sha1)

    def _init(self, root, namespace, segment, vocab, seq_len):
        if segment not in self._data_file:
            raise ValueError("%s: segment must be one of %s, got %r"
                             % (type(self).__name__, sorted(self._data_file), segment))
        if not (isinstance(seq_len, int) and seq_len > 0):
            raise ValueError("%s: seq_len must be a positive int, got %r"
                             % (type(self).__name__, seq_len))
        self._segment = segment
        self._seq_len = seq_len
        super(_WikiText, self).__init__(root, namespace, vocab)

    def _read_batch(self, filename):
        with open(filename, 'r', encoding='utf8') as fin:
            content = fin.read()
        self._build_vocab(content)
        tokens = []
        for line in content.splitlines():
            words = line.split()
            if words:
                tokens.extend(words)
                tokens.append(C.EOS_TOKEN)
        ids = self.vocabulary.to_indices(tokens)
        return np.array(ids[:-1], dtype=np.int32), np.array(ids[1:], dtype=np.int32)

    def _fetch(self, path):
        archive_name, archive_sha1 = self._archive_file
        url = _get_repo_file_url('gluon/dataset/' + self._namespace, archive_name)
        try:
            archive = download(url, path=self._root, sha1_hash=archive_sha1)
        except MXNetError as err:
            name, sha1 = self._data_file[self._segment]
            raise MXNetError(
                "%s: %s is missing or has another sha1 than %s, and downloading %s failed. On a "
                "machine without network access, put %s (from %s) at %s, or the archive itself "
                "at %s." % (type(self).__name__, path, sha1, url, name, archive_name, path,
                            os.path.join(self._root, archive_name))) from err
        _extract_flat(archive, self._root)

    def _get_data(self):
        name, sha1 = self._data_file[self._segment]
        path = os.path.join(self._root, name)
        if not os.path.exists(path) or not check_sha1(path, sha1):
            self._fetch(path)
        data, label = self._read_batch(path)
        rows = len(data) // self._seq_len * self._seq_len
        self._data = nd.array(data[:rows], dtype=np.int32).reshape((-1, self._seq_len))
        self._label = nd.array(label[:rows], dtype=np.int32).reshape((-1, self._seq_len))

    def __getitem__(self, idx):
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)


class WikiText2(_WikiText):
    """WikiText-2 word-level language-modeling dataset (Salesforce research; license:
    CC BY-SA). Each sample is ``(data, label)``: `seq_len` token indices and the same shifted
    by one token; ``'<eos>'`` ends every line.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/wikitext-2
        Folder holding ``wiki.{train,valid,test}.tokens`` (downloaded when missing).
    segment : str, default 'train'
        'train', 'validation' or 'test'.
    vocab : Vocabulary, default None
        The vocabulary for indexing; None builds one from the segment (with '<eos>' reserved).
    seq_len : int, default 35
        The length of each sample, regardless of sentence boundaries.
    """

    _archive_file = ('wikitext-2-v1.zip', '3c914d17d80b1459be871a5039ac23e752a53cbe')
    _data_file = {'train': ('wiki.train.tokens', '863f29c46ef9d167fff4940ec821195882fe29d1'),
                  'validation': ('wiki.valid.tokens', '0418625c8b4da6e4b5c7a0b9e78d4ae8f7ee5422'),
                  'test': ('wiki.test.tokens', 'c7b8ce0aa086fb34dab808c5c49224211eb2b172')}

    def __init__(self, root=os.path.join(base.data_dir(), 'datasets', 'wikitext-2'),
                 segment='train', vocab=None, seq_len=35):
        self._init(root, 'wikitext-2', segment, vocab, seq_len)


class WikiText103(_WikiText):
    """WikiText-103 word-level language-modeling dataset (Salesforce research; license:
    CC BY-SA). Each sample is ``(data, label)``: `seq_len` token indices and the same shifted
    by one token; ``'<eos>'`` ends every line.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/wikitext-103
        Folder holding ``wiki.{train,valid,test}.tokens`` (downloaded when missing).
    segment : str, default 'train'
        'train', 'validation' or 'test'.
    vocab : Vocabulary, default None
        The vocabulary for indexing; None builds one from the segment (with '<eos>' reserved).
    seq_len : int, default 35
        The length of each sample, regardless of sentence boundaries.
    """

    _archive_file = ('wikitext-103-v1.zip', '0aec09a7537b58d4bb65362fee27650eeaba625a')
    _data_file = {'train': ('wiki.train.tokens', 'b7497e2dfe77e72cfef5e3dbc61b7b53712ac211'),
                  'validation': ('wiki.valid.tokens', 'c326ac59dc587676d58c422eb8a03e119582f92b'),
                  'test': ('wiki.test.tokens', '8a5befc548865cec54ed4273cf87dbbad60d1e47')}

    def __init__(self, root=os.path.join(base.data_dir(), 'datasets', 'wikitext-103'),
                 segment='train', vocab=None, seq_len=35):
        self._init(root, 'wikitext-103', segment, vocab, seq_len)
