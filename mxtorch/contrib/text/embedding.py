"""``mx.contrib.text.embedding``: pre-trained token embeddings (GloVe, fastText, custom files)
indexed like a :class:`~mxtorch.contrib.text.vocab.Vocabulary`."""
import logging
import os
import tarfile
import warnings
import zipfile

import numpy as _np

from ... import base
from ... import ndarray as nd
from ... import registry
from ...base import MXNetError
from ...util import is_np_array
from . import _constants as C
from . import vocab
from .vocab import TextError

__all__ = ["C", "CompositeEmbedding", "CustomEmbedding", "FastText", "GloVe", "base", "create",
           "get_pretrained_file_names", "is_np_array", "logging", "nd", "os", "register",
           "registry", "tarfile", "vocab", "warnings", "zipfile"]


def register(embedding_cls):
    """Registers a token embedding class (usable as a decorator), so that
    :func:`create` can build it by its lower-cased class name."""
    return registry.get_register_func(_TokenEmbedding, 'token embedding')(embedding_cls)


def create(embedding_name, **kwargs):
    """Creates a registered token embedding, e.g. ``create('glove',
    pretrained_file_name='glove.6B.50d.txt')``.

    Parameters
    ----------
    embedding_name : str
        The token embedding name (case-insensitive).

    Returns
    -------
    A token embedding instance.
    """
    return registry.get_create_func(_TokenEmbedding, 'token embedding')(embedding_name, **kwargs)


def get_pretrained_file_names(embedding_name=None):
    """The valid pre-trained file names of one embedding (a list), or of all registered
    embeddings (a dict name -> list) when `embedding_name` is None.

    Parameters
    ----------
    embedding_name : str or None, default None
        The token embedding name.
    """
    known = registry.get_registry(_TokenEmbedding)
    if embedding_name is None:
        return {name: list(cls.pretrained_file_name_sha1) for name, cls in known.items()}
    if embedding_name not in known:
        raise KeyError('Cannot find `embedding_name` %s. Use `get_pretrained_file_names('
                       'embedding_name=None).keys()` to get all the valid embedding names: %s.'
                       % (embedding_name, ', '.join(sorted(known))))
    return list(known[embedding_name].pretrained_file_name_sha1)


def _array(values):
    if is_np_array():
        from ... import numpy as mnp
        return mnp.array(values)
    return nd.array(values)


def _as_array(arr):
    return arr.as_np_ndarray() if is_np_array() and hasattr(arr, 'as_np_ndarray') else arr


def _parse_line(line, elem_delim, line_num, path):
    elems = line.rstrip().split(elem_delim)
    if len(elems) < 2:
        raise TextError('At line %d of the pre-trained token embedding file %s: expected a token '
                        'followed by vector elements separated by %r, got %r.'
                        % (line_num, path, elem_delim, line.rstrip()))
    try:
        return elems[0], [float(x) for x in elems[1:]]
    except ValueError as err:
        raise TextError('At line %d of the pre-trained token embedding file %s: %s.'
                        % (line_num, path, err)) from None


def _read_vectors(path, elem_delim, encoding, unknown_token):
    """(unknown vector or None, {token: vector} in file order, vector length) of a text file.
    The first vector of a token wins; one-element lines (headers) are skipped."""
    unknown_vec, vectors, vec_len = None, {}, None
    with open(path, 'r', encoding=encoding) as f:
        for line_num, line in enumerate(f, 1):
            token, vec = _parse_line(line, elem_delim, line_num, path)
            if token == unknown_token and unknown_vec is None:
                unknown_vec = vec
            elif token in vectors or token == unknown_token:
                warnings.warn('At line %d of the pre-trained token embedding file: the embedding '
                              'vector for token %s has been loaded and a duplicate embedding for '
                              'the same token is seen and skipped.' % (line_num, token))
            elif len(vec) == 1:
                warnings.warn('At line %d of the pre-trained text embedding file: token %s with '
                              '1-dimensional vector %s is likely a header and is skipped.'
                              % (line_num, token, vec))
            else:
                if vec_len is not None and len(vec) != vec_len:
                    raise TextError('At line %d of the pre-trained token embedding file %s: the '
                                    'dimension of token %s is %d but the dimension of previous '
                                    'tokens is %d. Dimensions of all the tokens must be the same.'
                                    % (line_num, path, token, len(vec), vec_len))
                vec_len = len(vec)
                vectors[token] = vec
    return unknown_vec, vectors, vec_len


class _TokenEmbedding(vocab.Vocabulary):
    """Token embedding base class: a vocabulary whose every index has a vector.

    Index 0 (the unknown token) has the file's vector of `unknown_token` if the file has one,
    else `init_unknown_vec(shape=vec_len)`. Tokens without a vector of their own (reserved
    tokens, tokens of a `vocabulary` missing from the file) get the unknown token's vector.
    When a token occurs several times in a file, its first vector is used.

    Attributes
    ----------
    vec_len : int
        The length of each embedding vector.
    idx_to_vec : NDArray
        Shape (len(self), vec_len): row i is the vector of token i.
    """

    pretrained_file_name_sha1 = {}

    def __init__(self, **kwargs):
        super(_TokenEmbedding, self).__init__(**kwargs)
        self._vec_len = None
        self._idx_to_vec = None

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return pretrained_file_name

    @classmethod
    def _get_pretrained_file_url(cls, pretrained_file_name):
        repo_url = os.environ.get('MXNET_GLUON_REPO', C.APACHE_REPO_URL)
        if not repo_url.endswith('/'):
            repo_url += '/'
        return '{}gluon/embeddings/{}/{}'.format(repo_url, cls.__name__.lower(),
                                                 cls._get_download_file_name(pretrained_file_name))

    @classmethod
    def _check_pretrained_file_names(cls, pretrained_file_name):
        name = cls.__name__.lower()
        if pretrained_file_name not in cls.pretrained_file_name_sha1:
            raise KeyError('Cannot find pretrained file %s for token embedding %s. Valid '
                           'pretrained files for embedding %s: %s' % (
                               pretrained_file_name, name, name,
                               ', '.join(cls.pretrained_file_name_sha1)))

    @classmethod
    def _get_pretrained_file(cls, embedding_root, pretrained_file_name):
        """The local path of a pre-trained file: used when present with the right sha1, else
        downloaded (the archive, then extracted) into ``embedding_root/<class name>/``."""
        from ...gluon.utils import check_sha1, download
        folder = os.path.join(os.path.expanduser(embedding_root), cls.__name__.lower())
        path = os.path.join(folder, pretrained_file_name)
        file_sha1 = cls.pretrained_file_name_sha1[pretrained_file_name]
        if os.path.exists(path) and check_sha1(path, file_sha1):
            return path
        url = cls._get_pretrained_file_url(pretrained_file_name)
        archive = os.path.join(folder, os.path.basename(url))
        archive_sha1 = getattr(cls, 'pretrained_archive_name_sha1', {}).get(
            os.path.basename(url), file_sha1)
        try:
            download(url, archive, sha1_hash=archive_sha1)
        except MXNetError as err:
            raise MXNetError(cls._offline_message(url, path, file_sha1, archive)) from err
        cls._extract(archive, folder)
        return path

    @classmethod
    def _offline_message(cls, url, path, file_sha1, archive):
        state = ('exists but its sha1 is not %s' % file_sha1) if os.path.exists(path) else \
            'does not exist'
        return ('%s: the pre-trained file %s %s, and downloading %s failed. On a machine '
                'without network access, put the file (sha1 %s) at %s, or the downloaded '
                'archive at %s (or set MXNET_GLUON_REPO to a mirror).'
                % (cls.__name__, path, state, url, file_sha1, path, archive))

    @staticmethod
    def _extract(archive, folder):
        if archive.endswith('.zip'):
            with zipfile.ZipFile(archive, 'r') as zf:
                zf.extractall(folder)
        elif archive.endswith('.gz'):
            with tarfile.open(archive, 'r:gz') as tar:
                tar.extractall(path=folder, filter='data')

    def _load_embedding(self, pretrained_file_path, elem_delim, init_unknown_vec,
                        encoding='utf8'):
        """Indexes the tokens of a text embedding file after those already indexed and sets
        `idx_to_vec` (see the class docstring for the unknown and reserved tokens)."""
        path = os.path.expanduser(pretrained_file_path)
        if not os.path.isfile(path):
            raise TextError('`pretrained_file_path` must be a valid path to the pre-trained '
                            'token embedding file; %r is not a file.' % (pretrained_file_path,))
        logging.info('Loading pre-trained token embedding vectors from %s', path)
        unknown_vec, vectors, vec_len = _read_vectors(path, elem_delim, encoding,
                                                      self.unknown_token)
        if vec_len is None:
            raise TextError('The pre-trained token embedding file %s holds no token vector '
                            '(lines "token v1 v2 ..." separated by %r expected).'
                            % (path, elem_delim))
        for token in vectors:
            self._add_token(token)
        self._vec_len = vec_len
        if unknown_vec is None:
            unknown_vec = _np.asarray(
                nd.array(init_unknown_vec(shape=vec_len)).asnumpy(), dtype=_np.float32)
        rows = _np.empty((len(self), vec_len), dtype=_np.float32)
        for idx, token in enumerate(self._idx_to_token):
            rows[idx] = vectors.get(token, unknown_vec) if idx else unknown_vec
        self._idx_to_vec = _array(rows)

    def _index_tokens_from_vocabulary(self, vocabulary):
        self._token_to_idx = dict(vocabulary.token_to_idx)
        self._idx_to_token = list(vocabulary.idx_to_token)
        self._unknown_token = vocabulary.unknown_token
        self._reserved_tokens = None if vocabulary.reserved_tokens is None else \
            list(vocabulary.reserved_tokens)

    def _set_idx_to_vec_by_embeddings(self, token_embeddings, vocab_len, vocab_idx_to_token):
        """Row i = the vectors of token i in each embedding, concatenated (row 0: each
        embedding's unknown vector)."""
        parts = []
        for embed in token_embeddings:
            vecs = embed.idx_to_vec.asnumpy()
            idx = [0] + [embed.token_to_idx.get(tok, C.UNKNOWN_IDX)
                         for tok in vocab_idx_to_token[1:vocab_len]]
            parts.append(vecs[idx])
        rows = _np.concatenate(parts, axis=1)
        self._vec_len = rows.shape[1]
        self._idx_to_vec = _array(rows)

    def _build_embedding_for_vocabulary(self, vocabulary):
        if vocabulary is None:
            return
        if not isinstance(vocabulary, vocab.Vocabulary):
            raise TextError('The argument `vocabulary` must be an instance of '
                            'mxnet.contrib.text.vocab.Vocabulary, got %s.'
                            % type(vocabulary).__name__)
        self._set_idx_to_vec_by_embeddings([self], len(vocabulary), vocabulary.idx_to_token)
        self._index_tokens_from_vocabulary(vocabulary)

    @property
    def vec_len(self):
        """The length of each embedding vector."""
        return self._vec_len

    @property
    def idx_to_vec(self):
        """NDArray of shape (len(self), vec_len): the vector of each indexed token."""
        return self._idx_to_vec

    def _lookup(self, token, lower_case_backup):
        if token in self._token_to_idx or not lower_case_backup:
            return self._token_to_idx.get(token, C.UNKNOWN_IDX)
        return self._token_to_idx.get(token.lower(), C.UNKNOWN_IDX)

    def get_vecs_by_tokens(self, tokens, lower_case_backup=False):
        """Looks up the embedding vectors of tokens (unknown tokens give row 0).

        Parameters
        ----------
        tokens : str or list of strs
            A token or a list of tokens.
        lower_case_backup : bool, default False
            Whether a token not found as given is looked up again in lower case.

        Returns
        -------
        NDArray
            Shape (vec_len,) for one token, (len(tokens), vec_len) for a list.
        """
        single = not isinstance(tokens, list)
        indices = [self._lookup(tok, lower_case_backup) for tok in ([tokens] if single else tokens)]
        table = self._idx_to_vec
        if is_np_array():
            from ... import numpy_extension as npx
            vecs = npx.embedding(_array(indices), table, table.shape[0], table.shape[1])
        else:
            vecs = nd.Embedding(nd.array(indices), table, table.shape[0], table.shape[1])
        return vecs[0] if single else vecs

    def update_token_vectors(self, tokens, new_vectors):
        """Replaces the embedding vectors of known tokens.

        Parameters
        ----------
        tokens : str or list of strs
            The tokens to update (the unknown token only when named explicitly).
        new_vectors : NDArray
            Shape (len(tokens), vec_len); 1-D (vec_len,) is accepted for a single token.
        """
        if self._idx_to_vec is None:
            raise TextError('update_token_vectors: the property `idx_to_vec` has not been set.')
        tokens, new_vectors = self._check_update(tokens, new_vectors)
        indices = []
        for token in tokens:
            if token not in self._token_to_idx:
                raise TextError('Token %s is unknown. To update the embedding vector for an '
                                'unknown token, please specify it explicitly as the '
                                '`unknown_token` %s in `tokens`. This is to avoid unintended '
                                'updates.' % (token, self._idx_to_token[C.UNKNOWN_IDX]))
            indices.append(self._token_to_idx[token])
        self._idx_to_vec[_array(indices)] = new_vectors

    def _check_update(self, tokens, new_vectors):
        single = not isinstance(tokens, list) or len(tokens) == 1
        ndims = (1, 2) if single else (2,)
        if not isinstance(new_vectors, nd.NDArray) or new_vectors.ndim not in ndims:
            raise TextError('update_token_vectors: `new_vectors` must be a %s NDArray for %s, '
                            'got %s.' % ('1-D or 2-D' if single else '2-D',
                                         'a single token' if single else 'several tokens',
                                         getattr(new_vectors, 'shape', type(new_vectors))))
        tokens = tokens if isinstance(tokens, list) else [tokens]
        if new_vectors.ndim == 1:
            new_vectors = new_vectors.reshape((1, -1))
        if tuple(new_vectors.shape) != (len(tokens), self.vec_len):
            raise TextError('update_token_vectors: `new_vectors` has shape %s; expected (%d, %d) '
                            '(number of tokens, vec_len).'
                            % (tuple(new_vectors.shape), len(tokens), self.vec_len))
        return tokens, new_vectors


def _init_pretrained(self, cls, pretrained_file_name, embedding_root, init_unknown_vec,
                     vocabulary, kwargs):
    cls._check_pretrained_file_names(pretrained_file_name)
    _TokenEmbedding.__init__(self, **kwargs)
    path = cls._get_pretrained_file(embedding_root, pretrained_file_name)
    self._load_embedding(path, ' ', init_unknown_vec)
    self._build_embedding_for_vocabulary(vocabulary)


_DEFAULT_ROOT = os.path.join(base.data_dir(), 'embeddings')


@register
class GloVe(_TokenEmbedding):
    """The GloVe word embedding (https://nlp.stanford.edu/projects/glove/; license: PDDL).

    The file is looked up as ``embedding_root/glove/<pretrained_file_name>`` and downloaded
    (as its zip archive) when missing or when its sha1 differs.

    Parameters
    ----------
    pretrained_file_name : str, default 'glove.840B.300d.txt'
        The name of the pre-trained token embedding file.
    embedding_root : str, default $MXNET_HOME/embeddings
        The root directory for storing embedding-related files.
    init_unknown_vec : callback
        Called as ``init_unknown_vec(shape=vec_len)`` to make the unknown token's vector.
    vocabulary : Vocabulary, default None
        The tokens to index; None indexes every token of the file.
    """

    pretrained_archive_name_sha1 = C.GLOVE_PRETRAINED_FILE_SHA1
    pretrained_file_name_sha1 = C.GLOVE_PRETRAINED_ARCHIVE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        corpus = pretrained_file_name.split('.')[1]
        return next(name for name in cls.pretrained_archive_name_sha1
                    if name.split('.')[1] == corpus)

    def __init__(self, pretrained_file_name='glove.840B.300d.txt', embedding_root=_DEFAULT_ROOT,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        _init_pretrained(self, GloVe, pretrained_file_name, embedding_root, init_unknown_vec,
                         vocabulary, kwargs)


@register
class FastText(_TokenEmbedding):
    """The fastText word embedding (https://fasttext.cc/; license: CC BY-SA 3.0).

    The file is looked up as ``embedding_root/fasttext/<pretrained_file_name>`` and downloaded
    (as its zip archive) when missing or when its sha1 differs.

    Parameters
    ----------
    pretrained_file_name : str, default 'wiki.simple.vec'
        The name of the pre-trained token embedding file.
    embedding_root : str, default $MXNET_HOME/embeddings
        The root directory for storing embedding-related files.
    init_unknown_vec : callback
        Called as ``init_unknown_vec(shape=vec_len)`` to make the unknown token's vector.
    vocabulary : Vocabulary, default None
        The tokens to index; None indexes every token of the file.
    """

    pretrained_archive_name_sha1 = C.FAST_TEXT_ARCHIVE_SHA1
    pretrained_file_name_sha1 = C.FAST_TEXT_FILE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return pretrained_file_name.rsplit('.', 1)[0] + '.zip'

    def __init__(self, pretrained_file_name='wiki.simple.vec', embedding_root=_DEFAULT_ROOT,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        _init_pretrained(self, FastText, pretrained_file_name, embedding_root, init_unknown_vec,
                         vocabulary, kwargs)


class CustomEmbedding(_TokenEmbedding):
    """A token embedding read from a local text file with lines
    ``token<elem_delim>v1<elem_delim>v2...`` (all vectors of one length).

    Parameters
    ----------
    pretrained_file_path : str
        The path of the file.
    elem_delim : str, default ' '
        The delimiter between the token and the vector elements.
    encoding : str, default 'utf8'
        The file's encoding.
    init_unknown_vec : callback
        Called as ``init_unknown_vec(shape=vec_len)`` to make the unknown token's vector.
    vocabulary : Vocabulary, default None
        The tokens to index; None indexes every token of the file.
    """

    def __init__(self, pretrained_file_path, elem_delim=' ', encoding='utf8',
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        super(CustomEmbedding, self).__init__(**kwargs)
        self._load_embedding(pretrained_file_path, elem_delim, init_unknown_vec, encoding)
        self._build_embedding_for_vocabulary(vocabulary)


class CompositeEmbedding(_TokenEmbedding):
    """The tokens of a vocabulary with the vectors of one or several token embeddings,
    concatenated in the given order.

    Parameters
    ----------
    vocabulary : Vocabulary
        The tokens to index.
    token_embeddings : token embedding or list of token embeddings
        The embeddings whose vectors are concatenated for each token.
    """

    def __init__(self, vocabulary, token_embeddings):
        if not isinstance(vocabulary, vocab.Vocabulary):
            raise TextError('CompositeEmbedding: `vocabulary` must be an instance of '
                            'mxnet.contrib.text.vocab.Vocabulary, got %s.'
                            % type(vocabulary).__name__)
        if not isinstance(token_embeddings, list):
            token_embeddings = [token_embeddings]
        for embed in token_embeddings:
            if not isinstance(embed, _TokenEmbedding):
                raise TextError('CompositeEmbedding: `token_embeddings` must be a token '
                                'embedding or a list of them, got %s.' % type(embed).__name__)
        super(CompositeEmbedding, self).__init__()
        self._index_tokens_from_vocabulary(vocabulary)
        self._set_idx_to_vec_by_embeddings(token_embeddings, len(self), self.idx_to_token)
