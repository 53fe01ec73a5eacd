"""`Vocabulary`: reserved ids, ordering, Python and TensorFlow encodings agree."""

import sys

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.data import wordpiece
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


# Words for the subword split's edge cases: the suffix indicator and reserved
# tokens spelt in text, words of more than `MAX_BYTES_PER_WORD` bytes (and of
# exactly that many), characters never seen.
SUBWORD_EDGES = [
    "#", "##", "##a", "a##b", "###", "<S>", "<PAD>x", "</S>", "<UNK>", "<UNK>film", "<s>",
    "x" * 101, "é" * 50, "é" * 51, "film" * 25, "film" * 26, "qzqj", "ϞϞ", "the\u200bfilm",
]


def _subword(texts, **kwargs):
    pytest.importorskip("tensorflow_text")
    return Vocabulary.build(texts, split="subword", **kwargs)


@pytest.mark.parametrize("split", ["character", "whitespace", "punctuation", "subword"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_python_and_graph_split_alike_on_a_fuzz_corpus(split, lowercase):
    """`encode` (predict, training) and `encode_tensor` (exports) give the same ids."""
    if split == "subword":
        pytest.importorskip("tensorflow_text")
    texts = _fuzz_corpus()
    learned = texts[: len(texts) // 2] + SUBWORD_EDGES[:6]
    # Subwords: words never seen in training (the second half's) split into pieces.
    vocabulary = Vocabulary.build(learned, split=split, lowercase=lowercase)
    texts += [" ".join(SUBWORD_EDGES), *SUBWORD_EDGES]
    graph = vocabulary.encode_tensor(tf.constant(texts)).numpy()
    for text, row in zip(texts, graph):
        ids = vocabulary.encode(text)
        assert row[: len(ids)].tolist() == ids, repr(text)
        assert not row[len(ids):].any(), repr(text)
        # Text that spells a reserved token (`<S>`) is <UNK>, never start or padding.
        assert all(i == UNK_ID or i >= 4 for i in ids), repr(text)
    decoded = vocabulary.decode_tensor(tf.constant(graph)).numpy()
    assert [d.decode() for d in decoded] == [vocabulary.decode(row) for row in graph]
    # Unicode spaces separate words in both: "x\xa0y" is two tokens, not one <UNK>.
    if split != "character":
        assert len(vocabulary.tokenize("x\xa0y\u2003z")) == 3
        assert (vocabulary.encode_tensor(tf.constant(["x\xa0y\u2003z"])).numpy() != 0).sum() == 3


# === Subwords (`split="subword"`, TensorFlow Text's WordPiece) ===

SUBWORD_TEXTS = [
    "The unbelievable film was believable.",
    "Unbelievably, the films were playing; the player played!",
    "replay the plays, replaying them",
] * 4


def test_subword_vocabulary_reserved_ids_cap_and_determinism():
    vocabulary = _subword(SUBWORD_TEXTS, lowercase=True, max_tokens=60)
    assert vocabulary.id_to_token[:4] == ["<PAD>", "<UNK>", "<S>", "</S>"]
    assert vocabulary.size <= 4 + 60
    # Every character is a piece, at a word's start and as a continuation.
    letters = set("".join(SUBWORD_TEXTS).lower()) - {" "}
    assert letters <= set(vocabulary.tokens)
    assert {f"##{c}" for c in letters if c.isalpha()} <= set(vocabulary.tokens)
    assert any(len(t.lstrip("#")) > 1 for t in vocabulary.tokens)  # longer pieces learned
    assert _subword(SUBWORD_TEXTS, lowercase=True, max_tokens=60).tokens == vocabulary.tokens
    # A cap below the characters' count holds too.
    assert len(_subword(SUBWORD_TEXTS, max_tokens=5).tokens) == 5
    # No cap: aims at `DEFAULT_PIECES`, which this corpus does not reach.
    everything = _subword(SUBWORD_TEXTS, lowercase=True)
    assert 60 < len(everything.tokens) < wordpiece.DEFAULT_PIECES
    assert _subword([]).tokens == []


def test_subword_split_encode_and_decode_round_trip():
    # Few pieces: words are split, not learned whole.
    vocabulary = _subword(SUBWORD_TEXTS, lowercase=True, max_tokens=60)
    pieces = vocabulary.tokenize("Unbelievable replays")
    # Each word: a first piece, then continuations (`##`).
    words = []
    for piece in pieces:
        if piece.startswith("##"):
            words[-1] += piece[2:]
        else:
            words.append(piece)
    assert words == ["unbelievable", "replays"] and len(pieces) > 2
    # Words never seen split into seen pieces; decoding joins them into words.
    text = "The unbelievable player, replaying films!"
    ids = vocabulary.encode(text)
    assert UNK_ID not in ids and len(ids) > len(vocabulary.words(text))
    assert vocabulary.decode(ids) == "the unbelievable player , replaying films !"
    assert vocabulary.decode([START_ID] + ids + [END_ID] + ids) == vocabulary.decode(ids)
    # A word with a character never seen is one <UNK>, however long.
    assert vocabulary.encode("the zebra") == vocabulary.encode("the") + [UNK_ID]
    assert vocabulary.decode(vocabulary.encode("the zebra")) == "the <UNK>"
    # Pieces joined in the graph as in Python.
    rows = vocabulary.encode_tensor(tf.constant([text, "the zebra", ""]))
    assert [t.decode() for t in vocabulary.decode_tensor(rows).numpy()] == [
        vocabulary.decode(ids), "the <UNK>", ""
    ]


def test_subword_config_round_trip():
    vocabulary = _subword(SUBWORD_TEXTS, lowercase=True, max_tokens=40)
    config = vocabulary.get_config()
    assert config == {"tokens": vocabulary.tokens, "split": "subword", "lowercase": True}
    again = Vocabulary.from_config(config)
    assert again.id_to_token == vocabulary.id_to_token
    text = "Unbelievable replays!"
    assert again.encode(text) == vocabulary.encode(text)
    assert again.encode_tensor(tf.constant([text])).numpy()[0].tolist() == vocabulary.encode(text)


def test_wordpiece_is_greedy_longest_match_first():
    split = wordpiece.WordPiece(["un", "u", "##n", "##believ", "##able", "##a"], unknown="?").split
    assert split("unbelievable") == ["un", "##believ", "##able"]
    assert split("una") == ["un", "##a"]
    assert split("unbelievabl") == ["?"]  # a rest no piece matches: the whole word
    assert split("a" * 101) == ["?"]


def test_missing_tensorflow_text_is_named(monkeypatch):
    """Without TF Text, learning and graph splits say what to install; Python splits work."""
    vocabulary = Vocabulary(["the", "##s", "s"], split="subword")
    monkeypatch.setitem(sys.modules, "tensorflow_text", None)  # `import` raises ImportError
    message = r"`tokenize`.*pip install \"rnn-keras\[subword\]\""
    with pytest.raises(ImportError, match=message):
        Vocabulary.build(SUBWORD_TEXTS, split="subword")
    with pytest.raises(ImportError, match=message):
        vocabulary.encode_tensor(tf.constant(["the s"]))
    assert vocabulary.encode("thes the") == [4, 5, 4]
    assert vocabulary.decode([4, 5, 4]) == "thes the"
    assert vocabulary.decode_tensor(tf.constant([[4, 5, 4]])).numpy()[0] == b"thes the"
