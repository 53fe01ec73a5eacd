"""`Vocabulary`: reserved ids, ordering, Python and TensorFlow encodings agree."""

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.data.vocabulary import END_ID
from rnn_keras.data.vocabulary import PAD_ID
from rnn_keras.data.vocabulary import START_ID
from rnn_keras.data.vocabulary import UNK_ID
from rnn_keras.data.vocabulary import Vocabulary


def test_reserved_ids_and_frequency_order():
    vocabulary = Vocabulary.build(["b a c a", "c a b d"], split="whitespace")
    assert vocabulary.id_to_token[:4] == ["<PAD>", "<UNK>", "<S>", "</S>"]
    assert (PAD_ID, UNK_ID, START_ID, END_ID) == (0, 1, 2, 3)
    # a x3; b, c x2 (tie broken alphabetically); d x1.
    assert vocabulary.tokens == ["a", "b", "c", "d"]
    assert vocabulary.encode("a zebra d") == [4, UNK_ID, 7]
    assert vocabulary.encode("a", add_start=True, add_end=True) == [START_ID, 4, END_ID]


def test_limits_and_lowercase():
    texts = ["The the THE cat", "the dog"]
    vocabulary = Vocabulary.build(texts, lowercase=True, max_tokens=2)
    assert vocabulary.tokens == ["the", "cat"]
    assert vocabulary.size == 6
    assert Vocabulary.build(texts, lowercase=True, min_count=2).tokens == ["the"]
    assert Vocabulary.build(texts).tokens[:1] == ["the"]  # case kept: "The", "THE" differ


def test_decode_stops_at_end_and_skips_padding():
    vocabulary = Vocabulary.build(["abc"], split="character")
    ids = vocabulary.encode("cab")
    assert vocabulary.decode([START_ID] + ids + [END_ID] + ids + [PAD_ID]) == "cab"
    words = Vocabulary.build(["x y"])
    assert words.decode(words.encode("y x")) == "y x"


def test_tensor_encoding_matches_python_encoding():
    rng = np.random.default_rng(0)
    alphabet = list("abcdé ñ日本.,¿!") + ["xy"]
    texts = ["".join(rng.choice(alphabet, size=rng.integers(0, 12))) for _ in range(50)]
    for split in ("character", "whitespace", "punctuation"):
        vocabulary = Vocabulary.build(texts[:25], split=split, lowercase=True)
        ids = vocabulary.encode_tensor(tf.constant(texts)).numpy()
        for row, text in zip(ids, texts):
            expected = vocabulary.encode(text)
            assert list(row[: len(expected)]) == expected
            assert not row[len(expected) :].any()
        decoded = vocabulary.decode_tensor(tf.constant(ids)).numpy()
        assert [d.decode() for d in decoded] == [vocabulary.decode(r) for r in ids]


def test_punctuation_split():
    vocabulary = Vocabulary.build(["¿Dónde está Tom?"], split="punctuation", lowercase=True)
    assert vocabulary.tokenize("¿Dónde está Tom?") == ["¿", "dónde", "está", "tom", "?"]
    assert vocabulary.tokenize("I don't know.") == ["i", "don't", "know", "."]


def test_config_round_trip():
    vocabulary = Vocabulary.build(["Hello world"], split="character", lowercase=True)
    again = Vocabulary.from_config(vocabulary.get_config())
    assert again.id_to_token == vocabulary.id_to_token
    assert again.encode("HeLLo") == vocabulary.encode("hello")


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="split"):
        Vocabulary([], split="bytes")
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary(["<UNK>"])
    with pytest.raises(ValueError, match="max_tokens"):
        Vocabulary.build(["a"], max_tokens=0)


def _fuzz_corpus(count=400, seed=0):
    """Texts of Unicode spaces, combining marks, emoji, right-to-left script, case pairs."""
    rng = np.random.default_rng(seed)
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()] + ["\u200b"]  # + zero width
    pieces = [
        "the", "film", "ÉTÉ", "e\u0301te\u0301", "👍🏽", "👩‍👩‍👧", "שלום", "مرحبا", "İstanbul",
        "Straße", "ΣΊΣΥΦΟΣ", "ǅ", "ﬁne", ",", ".", "!", "«", "»", "…", "12", "a-b",
    ]  # (Not NUL: TensorFlow's lower-casing stops at it.)
    texts = ["", " ", "\u3000", "\xa0x\xa0"]
    for _ in range(count):
        parts = []
        for _ in range(rng.integers(0, 8)):
            parts.append(pieces[rng.integers(len(pieces))])
            parts.append("".join(rng.choice(spaces, size=rng.integers(0, 3))))
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("split", ["character", "whitespace", "punctuation"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_python_and_graph_split_alike_on_a_fuzz_corpus(split, lowercase):
    """`encode` (predict, training) and `encode_tensor` (exports) give the same ids."""
    texts = _fuzz_corpus()
    vocabulary = Vocabulary.build(texts[: len(texts) // 2], split=split, lowercase=lowercase)
    graph = vocabulary.encode_tensor(tf.constant(texts)).numpy()
    for text, row in zip(texts, graph):
        ids = vocabulary.encode(text)
        assert row[: len(ids)].tolist() == ids, repr(text)
        assert not row[len(ids):].any(), repr(text)
    # Unicode spaces separate words in both: "x\xa0y" is two tokens, not one <UNK>.
    if split != "character":
        assert len(vocabulary.tokenize("x\xa0y\u2003z")) == 3
        assert (vocabulary.encode_tensor(tf.constant(["x\xa0y\u2003z"])).numpy() != 0).sum() == 3
