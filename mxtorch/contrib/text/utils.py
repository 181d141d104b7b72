"""``mx.contrib.text.utils``: token counting."""
import collections
import re

__all__ = ["collections", "count_tokens_from_str", "re"]


def count_tokens_from_str(source_str, token_delim=' ', seq_delim='\n', to_lower=False,
                          counter_to_update=None):
    """Counts the tokens of a string.

    `token_delim` and `seq_delim` are regular expressions (escape special characters, e.g.
    ``'\\*'``); empty tokens are not counted.

    Parameters
    ----------
    source_str : str
        The text.
    token_delim : str, default ' '
        Token delimiter.
    seq_delim : str, default '\\n'
        Sequence delimiter.
    to_lower : bool, default False
        Whether to count the tokens lower-cased.
    counter_to_update : collections.Counter or None, default None
        A counter to update in place and return; None gives a new counter.

    Returns
    -------
    collections.Counter
    """
    tokens = [tok for tok in re.split(token_delim + '|' + seq_delim, source_str) if tok]
    if to_lower:
        tokens = [tok.lower() for tok in tokens]
    if counter_to_update is None:
        return collections.Counter(tokens)
    counter_to_update.update(tokens)
    return counter_to_update
