"""Pretrained word vectors (GloVe / word2vec text format) for token embeddings."""

import gzip
import logging
import os

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.vocabulary import PAD_ID
from rnn_keras.data.vocabulary import RESERVED
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.validation import check_positive_int

logger = logging.getLogger("rnn_keras")


def read_word_vectors(path, max_words=None, lowercase=False):
    """Reads word vectors from a text file: one `word v1 v2 ... vN` per line.

    This is the format GloVe distributes and word2vec writes as text (an
    optional first line `count dimension` is skipped); fields are separated
    by single spaces, and `.gz` files are read compressed. Files list words
    most frequent first, so `max_words` keeps the commonest. With
    `lowercase`, words are lower-cased and the first vector of each
    lower-cased word is kept (to match a vocabulary that lower-cases its
    text).

    Args:
        path: `str.` The vectors file.
        max_words: `int` or `None.` Read at most this many distinct words.
            Defaults to `None` (all).
        lowercase: `bool.` Defaults to `False`.

    Returns:
        `(words, vectors)`: a `list` of `str` and a `(len(words), dimension)`
        float32 array.

    Raises:
        DataError: the file is missing or empty, or a line (named by
            number) has a different number of values or a non-number.
    """
    if max_words is not None:
        check_positive_int("max_words", max_words)
    if not os.path.isfile(path):
        raise DataError(path, None, "no such file")
    words, rows, seen, repeated = [], [], set(), 0
    dimension = None
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            # Fields are separated by single spaces (other whitespace, such
            # as a no-break space, may be part of a word).
            fields = line.rstrip(" ").split(" ")
            if dimension is None:
                if number == 1 and len(fields) == 2 and all(x.isdigit() for x in fields):
                    continue  # word2vec's `count dimension` header
                dimension = len(fields) - 1
                if dimension < 1:
                    raise DataError(path, number, "expected a word and its vector values")
            if len(fields) != dimension + 1 or not fields[0]:
                raise DataError(
                    path,
                    number,
                    f"expected a word and {dimension} values (as on the first vector "
                    f"line), found {len(fields) - 1} fields after the word",
                )
            word = fields[0]
            try:
                values = [float(value) for value in fields[1:]]
            except ValueError:
                message = f"the vector of {word!r} holds a non-number"
                raise DataError(path, number, message) from None
            if lowercase:
                word = word.lower()
            if word in seen:
                repeated += 1
                continue
            seen.add(word)
            words.append(word)
            rows.append(values)
            if max_words is not None and len(words) >= max_words:
                break
    if not words:
        raise DataError(path, None, "no word vectors in the file")
    if repeated:
        logger.info("%s: kept the first vector of %d repeated words", path, repeated)
    return words, np.asarray(rows, "float32")


def embedding_matrix(vocabulary, words, vectors, seed=0):
    """The `(vocabulary.size, dimension)` embedding weights of a vocabulary.

    Tokens with a pretrained vector get it; the others (`<UNK>` and
    tokens the vectors lack) are drawn from a normal distribution with the
    vectors' mean and standard deviation, so they start at the same scale.
    Padding (id 0) is zero.

    Args:
        vocabulary: a `Vocabulary`.
        words, vectors: as returned by `read_word_vectors`.
        seed: `int.` Seed of the random rows. Defaults to `0`.

    Returns:
        `(matrix, found)`: the float32 weights and how many of the
        vocabulary's learned tokens had a vector.
    """
    vectors = np.asarray(vectors, "float32")
    index = {word: i for i, word in enumerate(words)}
    rng = np.random.default_rng(seed)
    matrix = rng.normal(vectors.mean(), vectors.std(), (vocabulary.size, vectors.shape[1]))
    matrix = matrix.astype("float32")
    matrix[PAD_ID] = 0.0
    found = 0
    for token_id, token in enumerate(vocabulary.id_to_token):
        if token_id >= len(RESERVED) and token in index:
            matrix[token_id] = vectors[index[token]]
            found += 1
    return matrix, found


def extend_vocabulary(vocabulary, words):
    """`vocabulary` with the `words` it lacks appended (in their order).

    Words with a pretrained vector but absent from the training data still
    get an id, so a model reads them by their vector instead of `<UNK>`.
    """
    known = set(vocabulary.tokens) | set(RESERVED)
    extra = [word for word in words if word not in known]
    return Vocabulary(vocabulary.tokens + extra, vocabulary.split, vocabulary.lowercase)


def pretrained_embeddings(vocabulary, path, max_words, seed=0):
    """Extends a training vocabulary with a vectors file's words; returns `(vocabulary, matrix)`.

    The file's first `max_words` words (lower-cased when the vocabulary
    is) join the vocabulary; the matrix holds their vectors (see
    `embedding_matrix`). Logs how many training tokens had a vector.
    """
    words, vectors = read_word_vectors(path, max_words, vocabulary.lowercase)
    learned = len(vocabulary.tokens)
    extended = extend_vocabulary(vocabulary, words)
    matrix, found = embedding_matrix(extended, words, vectors, seed)
    covered = found - (len(extended.tokens) - learned)
    logger.info(
        "%s: %d vectors of %d dimensions; %d of %d training tokens have one; "
        "%d ids in all",
        path,
        len(words),
        vectors.shape[1],
        covered,
        learned,
        extended.size,
    )
    return extended, matrix
