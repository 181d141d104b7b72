"""``mx.rnn.io``: sentence encoding and the bucketing iterator of MXNet's RNN examples."""
import bisect  # noqa: F401
import random

import numpy as np

from .. import ndarray
from ..io import DataBatch, DataDesc, DataIter


class _UnknownToken(KeyError, AssertionError):
    """A token missing from a fixed vocabulary (MXNet 1.9.1 asserts)."""



def encode_sentences(sentences, vocab=None, invalid_label=-1, invalid_key="\n", start_label=0,
                     unknown_token=None):
    """Map tokens to integer ids, building the vocabulary when none is given.

    Parameters
    ----------
    sentences : list of list of str
    vocab : dict of str to int
        Fixed vocabulary (unknown words need ``unknown_token``).
    invalid_label : int
        Id reserved for padding (skipped when numbering).
    invalid_key : str
        Vocabulary key of ``invalid_label``.
    start_label : int
        First id given out.
    unknown_token : str
        Token that words missing from ``vocab`` are recorded under.

    Returns
    -------
    (list of list of int, dict)
    """
    idx = start_label
    new_vocab = vocab is None
    if new_vocab:
        vocab = {invalid_key: invalid_label}
    result = []
    for sentence in sentences:
        coded = []
        for word in sentence:
            if word not in vocab:
                if not (new_vocab or unknown_token):
                    raise _UnknownToken(f"Unknown token {word}")
                if idx == invalid_label:
                    idx += 1
                if unknown_token:
                    word = unknown_token
                vocab[word] = idx
                idx += 1
            coded.append(vocab[word])
        result.append(coded)
    return result, vocab


class BucketSentenceIter(DataIter):
    """Batches of equal-length (padded) sentences, one bucket of lengths per batch; the label
    is the sentence shifted by one token (language modelling).

    Parameters
    ----------
    sentences : list of list of int
    batch_size : int
    buckets : list of int
        Bucket lengths (default: every length with at least ``batch_size`` sentences).
    invalid_label : int
        Padding id.
    data_name, label_name : str
    dtype : str
    layout : {'NT', 'TN'}
    """

    def __init__(self, sentences, batch_size, buckets=None, invalid_label=-1, data_name="data",
                 label_name="softmax_label", dtype="float32", layout="NT"):
        super().__init__()
        if not buckets:
            counts = np.bincount([len(s) for s in sentences])
            buckets = [i for i, j in enumerate(counts) if j >= batch_size]
        buckets = sorted(buckets)
        ndiscard = 0
        data = [[] for _ in buckets]
        for sentence in sentences:
            buck = bisect.bisect_left(buckets, len(sentence))
            if buck == len(buckets):
                ndiscard += 1
                continue
            buff = np.full((buckets[buck],), invalid_label, dtype=dtype)
            buff[:len(sentence)] = sentence
            data[buck].append(buff)
        self.data = [np.asarray(d, dtype=dtype).reshape(len(d), length)
                     for d, length in zip(data, buckets)]
        if ndiscard:
            print(f"WARNING: discarded {ndiscard} sentences longer than the largest bucket.")
        self.batch_size = batch_size
        self.buckets = buckets
        self.data_name = data_name
        self.label_name = label_name
        self.dtype = dtype
        self.invalid_label = invalid_label
        self.nddata, self.ndlabel = [], []
        self.major_axis = layout.find("N")
        self.layout = layout
        self.default_bucket_key = max(buckets)
        if self.major_axis == 0:
            shape = (batch_size, self.default_bucket_key)
        elif self.major_axis == 1:
            shape = (self.default_bucket_key, batch_size)
        else:
            raise ValueError(f"Invalid layout {layout}: Must by NT (batch major) or TN (time "
                             "major)")
        self.provide_data = [DataDesc(name=data_name, shape=shape, layout=layout)]
        self.provide_label = [DataDesc(name=label_name, shape=shape, layout=layout)]
        self.idx = []
        for i, buck in enumerate(self.data):
            self.idx.extend((i, j) for j in range(0, len(buck) - batch_size + 1, batch_size))
        self.curr_idx = 0
        self.reset()

    def reset(self):
        """Shuffle the batches and each bucket's sentences."""
        self.curr_idx = 0
        random.shuffle(self.idx)
        for buck in self.data:
            np.random.shuffle(buck)
        self.nddata, self.ndlabel = [], []
        for buck in self.data:
            label = np.empty_like(buck)
            if buck.size:
                label[:, :-1] = buck[:, 1:]
                label[:, -1] = self.invalid_label
            self.nddata.append(ndarray.array(buck, dtype=self.dtype))
            self.ndlabel.append(ndarray.array(label, dtype=self.dtype))

    def next(self):
        """The next batch (its ``bucket_key`` is the bucket length)."""
        if self.curr_idx == len(self.idx):
            raise StopIteration
        i, j = self.idx[self.curr_idx]
        self.curr_idx += 1
        data = self.nddata[i][j:j + self.batch_size]
        label = self.ndlabel[i][j:j + self.batch_size]
        if self.major_axis == 1:
            data, label = data.T, label.T
        return DataBatch([data], [label], pad=0, bucket_key=self.buckets[i],
                         provide_data=[DataDesc(name=self.data_name, shape=data.shape,
                                                layout=self.layout)],
                         provide_label=[DataDesc(name=self.label_name, shape=label.shape,
                                                 layout=self.layout)])
