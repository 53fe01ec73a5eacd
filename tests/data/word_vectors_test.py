"""Pretrained word vectors: the GloVe / word2vec text reader and the embedding weights."""

import gzip

import numpy as np
import pytest

from rnn_keras.data import DataError
from rnn_keras.data import Vocabulary
from rnn_keras.data import pretrained_embeddings
from rnn_keras.data import read_word_vectors
from rnn_keras.data.word_vectors import embedding_matrix
from rnn_keras.data.word_vectors import extend_vocabulary

GLOVE = "the 0.1 0.2 0.3\nCat -1 2.5 3\ncat 9 9 9\nnew\u00a0york 1e-1 0 -2 \n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_reads_glove_lines_in_order(tmp_path):
    words, vectors = read_word_vectors(write(tmp_path / "v.txt", GLOVE))
    assert words == ["the", "Cat", "cat", "new\u00a0york"]
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(vectors, [[0.1, 0.2, 0.3], [-1, 2.5, 3], [9, 9, 9], [0.1, 0, -2]])


def test_lowercase_keeps_the_first_vector_and_max_words_counts_distinct_words(tmp_path):
    path = write(tmp_path / "v.txt", GLOVE)
    words, vectors = read_word_vectors(path, lowercase=True)
    assert words == ["the", "cat", "new\u00a0york"]
    np.testing.assert_allclose(vectors[1], [-1, 2.5, 3])
    words, _ = read_word_vectors(path, max_words=3, lowercase=True)
    assert words == ["the", "cat", "new\u00a0york"]
    words, vectors = read_word_vectors(path, max_words=2)
    assert words == ["the", "Cat"] and vectors.shape == (2, 3)


def test_word2vec_header_and_gzip(tmp_path):
    path = tmp_path / "v.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("2 3\n" + "".join(GLOVE.splitlines(keepends=True)[:2]))
    words, vectors = read_word_vectors(str(path))
    assert words == ["the", "Cat"] and vectors.shape == (2, 3)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a 1 2\nb 1 2 3 4\n", 2, "expected a word and 2 values"),
        ("a 1 2\nb 1\n", 2, "expected a word and 2 values"),
        ("a 1 2\nnew york 1 2\n", 2, "found 3 fields"),
        ("a 1 2\nb 1 x\n", 2, "'b' holds a non-number"),
        ("a\n", 1, "expected a word and its vector values"),
    ],
)
def test_malformed_lines_are_named(tmp_path, text, line, message):
    path = write(tmp_path / "v.txt", text)
    with pytest.raises(DataError, match=message) as error:
        read_word_vectors(path)
    assert error.value.path == path and error.value.line == line


def test_missing_and_empty_files_are_named(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_word_vectors(str(tmp_path / "missing.txt"))
    with pytest.raises(DataError, match="no word vectors"):
        read_word_vectors(write(tmp_path / "empty.txt", "\n\n"))
    with pytest.raises(ValueError, match="max_words"):
        read_word_vectors(write(tmp_path / "v.txt", GLOVE), max_words=0)


def test_extend_vocabulary_appends_unknown_words_in_order():
    vocabulary = Vocabulary(["cat", "dog"], lowercase=True)
    extended = extend_vocabulary(vocabulary, ["dog", "<UNK>", "bird", "cat", "fish"])
    assert extended.tokens == ["cat", "dog", "bird", "fish"]
    assert extended.lowercase and extended.split == vocabulary.split
    assert extended.encode("cat bird fish") == vocabulary.encode("cat") + [6, 7]


def test_embedding_matrix_copies_known_vectors_and_scales_the_rest():
    vocabulary = Vocabulary(["cat", "zebra", "dog"])
    rng = np.random.default_rng(0)
    vectors = rng.normal(3.0, 2.0, (500, 4)).astype("float32")
    words = ["dog", "cat"] + [f"w{i}" for i in range(498)]
    matrix, found = embedding_matrix(vocabulary, words, vectors, seed=1)
    assert matrix.shape == (vocabulary.size, 4) and matrix.dtype == np.float32
    assert found == 2
    np.testing.assert_array_equal(matrix[vocabulary.token_to_id["cat"]], vectors[1])
    np.testing.assert_array_equal(matrix[vocabulary.token_to_id["dog"]], vectors[0])
    np.testing.assert_array_equal(matrix[0], 0.0)
    big = embedding_matrix(Vocabulary([f"u{i}" for i in range(2000)]), words, vectors)[0]
    assert big[1:].mean() == pytest.approx(vectors.mean(), abs=0.1)
    assert big[1:].std() == pytest.approx(vectors.std(), rel=0.05)
    again, _ = embedding_matrix(vocabulary, words, vectors, seed=1)
    np.testing.assert_array_equal(matrix, again)


def test_pretrained_embeddings_joins_the_vectors_words(tmp_path):
    path = write(tmp_path / "v.txt", GLOVE)
    vocabulary = Vocabulary(["zebra", "the"], lowercase=True)
    extended, matrix = pretrained_embeddings(vocabulary, path, max_words=3)
    assert extended.tokens == ["zebra", "the", "cat", "new\u00a0york"]
    np.testing.assert_allclose(matrix[extended.token_to_id["cat"]], [-1, 2.5, 3])
    np.testing.assert_allclose(matrix[extended.token_to_id["the"]], [0.1, 0.2, 0.3])
