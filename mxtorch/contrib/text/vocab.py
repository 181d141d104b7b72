"""``mx.contrib.text.vocab``: a token <-> index table built from token counts."""
import collections
import numbers

from ...base import MXNetError
from . import _constants as C

__all__ = ["C", "Vocabulary", "collections"]


class TextError(MXNetError, ValueError, AssertionError):
    """Invalid arguments to ``mx.contrib.text`` (also an AssertionError, which MXNet raises)."""


def _check_reserved(unknown_token, reserved_tokens):
    if reserved_tokens is None:
        return
    if unknown_token in reserved_tokens:
        raise TextError("Vocabulary: `reserved_tokens` %r cannot contain `unknown_token` %r."
                        % (reserved_tokens, unknown_token))
    if len(set(reserved_tokens)) != len(reserved_tokens):
        raise TextError("Vocabulary: `reserved_tokens` %r cannot contain duplicate reserved "
                        "tokens." % (reserved_tokens,))


def _ranked(counter):
    """Counter items, most frequent first; ties in ascending token order."""
    return sorted(sorted(counter.items(), key=lambda kv: kv[0]), key=lambda kv: kv[1],
                  reverse=True)


class Vocabulary(object):
    """Indexing for text tokens.

    Index 0 is the unknown token, then come `reserved_tokens` in their order, then the keys of
    `counter` from the most to the least frequent (ties in ascending token order).

    Parameters
    ----------
    counter : collections.Counter or None, default None
        Token frequencies; its keys are indexed subject to `most_freq_count` and `min_freq`.
    most_freq_count : None or int, default None
        At most this many keys of `counter` are indexed (reserved tokens not counted).
    min_freq : int, default 1
        The minimum frequency a key of `counter` needs to be indexed.
    unknown_token : hashable object, default '<unk>'
        The representation of every unknown token.
    reserved_tokens : list of hashable objects or None, default None
        Tokens always indexed (padding, sentence marks...); no duplicates, not `unknown_token`.
    """

    def __init__(self, counter=None, most_freq_count=None, min_freq=1, unknown_token='<unk>',
                 reserved_tokens=None):
        if not min_freq > 0:
            raise TextError("Vocabulary: `min_freq` must be set to a positive value, got %r."
                            % (min_freq,))
        _check_reserved(unknown_token, reserved_tokens)
        self._unknown_token = unknown_token
        self._reserved_tokens = None if reserved_tokens is None else list(reserved_tokens)
        self._idx_to_token = [unknown_token] + list(reserved_tokens or [])
        self._token_to_idx = {tok: i for i, tok in enumerate(self._idx_to_token)}
        if counter is not None:
            self._index_counter(counter, most_freq_count, min_freq)

    def _index_counter(self, counter, most_freq_count, min_freq):
        if not isinstance(counter, collections.Counter):
            raise TextError("Vocabulary: `counter` must be an instance of collections.Counter, "
                            "got %s." % type(counter).__name__)
        special = len(self._idx_to_token)
        cap = special + (len(counter) if most_freq_count is None else most_freq_count)
        for token, freq in _ranked(counter):
            if freq < min_freq or len(self._idx_to_token) >= cap:
                break
            self._add_token(token)

    def _add_token(self, token):
        if token not in self._token_to_idx:
            self._token_to_idx[token] = len(self._idx_to_token)
            self._idx_to_token.append(token)

    def __len__(self):
        return len(self._idx_to_token)

    @property
    def token_to_idx(self):
        """dict mapping each token to its index."""
        return self._token_to_idx

    @property
    def idx_to_token(self):
        """list of the indexed tokens, position = index."""
        return self._idx_to_token

    @property
    def unknown_token(self):
        """The representation of every unknown token."""
        return self._unknown_token

    @property
    def reserved_tokens(self):
        """The reserved tokens (list) or None."""
        return self._reserved_tokens

    def to_indices(self, tokens):
        """Converts tokens to indices (unknown tokens give index 0).

        Parameters
        ----------
        tokens : hashable object or list
            A token or a list of tokens.

        Returns
        -------
        int or list of ints
        """
        if not isinstance(tokens, list):
            return self._token_to_idx.get(tokens, C.UNKNOWN_IDX)
        return [self._token_to_idx.get(tok, C.UNKNOWN_IDX) for tok in tokens]

    def to_tokens(self, indices):
        """Converts indices to tokens.

        Parameters
        ----------
        indices : int or list of ints
            An index or a list of indices in ``[0, len(self))``.

        Returns
        -------
        hashable object or list
        """
        if not isinstance(indices, list):
            return self._idx_to_token[self._check_index(indices)]
        return [self._idx_to_token[self._check_index(i)] for i in indices]

    def _check_index(self, idx):
        if isinstance(idx, bool) or not isinstance(idx, numbers.Integral) \
                or not 0 <= idx < len(self._idx_to_token):
            raise TextError("Vocabulary.to_tokens: token index %r in the provided `indices` is "
                            "invalid; expected an int in [0, %d)." % (idx, len(self)))
        return int(idx)
