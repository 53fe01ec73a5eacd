"""What a set of texts looks like: sizes, lengths, vocabulary, language or symbols."""

import collections
import re

import numpy as np

from rnn_keras.data.vocabulary import PUNCTUATION

# A token of letters only (any script): a word of a natural language.
WORD = re.compile(r"^[^\W\d_]+$")
# At least this share of the tokens are words of letters in natural-language
# text; dates (`12 March 1976`: 1 of 3), codes and sums (`12+35`) fall far
# below it. Measured (`rnn-keras profile`): SST-2 0.84, WNUT17 0.74,
# spa-eng 0.81 (English) / 0.83 (Spanish), tiny-shakespeare 0.79; generated
# dates 0.30 (inputs) / 0.31 (outputs), additions 0.0.
LANGUAGE_MIN_WORD_SHARE = 0.5
# Text whose "words" run longer than this on average is not split by spaces
# (Chinese, Japanese, Thai, DNA): it is read by characters. English averages
# 4-5 characters per token, German 6-7.
UNSEGMENTED_MIN_TOKEN_CHARS = 10


def words(text):
    """Lower-cased tokens of `text`, split at whitespace and around punctuation."""
    return re.sub(PUNCTUATION, r" \1 ", text.lower()).split()


def quantiles(values):
    """`{min, median, p95, max}` of a list of numbers (`{}` when empty)."""
    if not len(values):
        return {}
    values = np.asarray(values, "float64")
    return {
        "min": float(values.min()),
        "median": float(np.median(values)),
        "p95": float(np.percentile(values, 95)),
        "max": float(values.max()),
    }


def text_profile(texts, valid_texts=None):
    """The profile of a list of texts (the training split) and, if given, its validation split.

    Args:
        texts: `list` of `str` or of token lists (pre-split text, as CoNLL).
        valid_texts: optional `list` of the same kind, for the share of
            validation tokens never seen in training.

    Returns:
        `dict`: `examples`, `characters` and `tokens` (length quantiles per
        text), `vocabulary` (distinct lower-cased tokens), `singletons`
        (share of the vocabulary seen once), `word_share` (tokens made of
        letters only), `unseen_valid_tokens` (or `None`) and `kind`:
        `"language"` (words), `"symbols"` (dates, codes, numbers: read by
        characters) or `"unsegmented"` (no spaces between words).
    """
    tokenized = [_tokens(text) for text in texts]
    counts = collections.Counter(token for tokens in tokenized for token in tokens)
    total = sum(counts.values())
    word_share = sum(n for token, n in counts.items() if WORD.match(token)) / max(total, 1)
    token_chars = sum(len(token) * n for token, n in counts.items()) / max(total, 1)
    if token_chars > UNSEGMENTED_MIN_TOKEN_CHARS:
        kind = "unsegmented"
    elif word_share >= LANGUAGE_MIN_WORD_SHARE:
        kind = "language"
    else:
        kind = "symbols"
    unseen = None
    if valid_texts:
        valid = [token for text in valid_texts for token in _tokens(text)]
        unseen = sum(token not in counts for token in valid) / max(len(valid), 1)
    return {
        "examples": len(texts),
        "characters": quantiles([_characters(text) for text in texts]),
        "tokens": quantiles([len(tokens) for tokens in tokenized]),
        "vocabulary": len(counts),
        "singletons": sum(n == 1 for n in counts.values()) / max(len(counts), 1),
        "word_share": round(word_share, 4),
        "unseen_valid_tokens": None if unseen is None else round(unseen, 4),
        "kind": kind,
    }


def _tokens(text):
    if isinstance(text, str):
        return words(text)
    return [token.lower() for token in text]


def _characters(text):
    return len(text) if isinstance(text, str) else sum(map(len, text)) + len(text) - 1
