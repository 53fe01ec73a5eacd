"""Token vocabularies: text → ids with `<UNK>`, padding 0, start and end."""

import collections
import re

import tensorflow as tf

from rnn_keras.data import wordpiece
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int

PAD = "<PAD>"
UNK = "<UNK>"
START = "<S>"
END = "</S>"
RESERVED = (PAD, UNK, START, END)
PAD_ID, UNK_ID, START_ID, END_ID = range(4)
SPLITS = ("character", "whitespace", "punctuation", "subword")
# Split off as tokens of their own by `split="punctuation"` (apostrophes and
# hyphens stay inside words). The same class works in Python `re` and RE2.
PUNCTUATION = r'([.,!?¡¿;:"()«»…])'
# Python's whitespace (what `str.split()` splits at: Unicode spaces, line and
# paragraph separators, information separators), spelt out for RE2, so that
# exported graphs split text where `tokenize` does; TensorFlow's own
# `tf.strings.split` knows ASCII whitespace only.
WHITESPACE = "[" + "".join(f"\\x{{{c:04x}}}" for c in range(0x3001) if chr(c).isspace()) + "]+"
# A subword continuation's prefix, dropped when pieces are joined into words
# (`"un ##believ ##able"` → `"unbelievable"`), in Python `re` and RE2 alike.
JOIN_PIECES = f"^{wordpiece.SUFFIX}| {wordpiece.SUFFIX}"


class Vocabulary:
    """A token vocabulary with reserved padding, unknown, start and end ids.

    Ids 0–3 are `<PAD>` (padding, masked by the models), `<UNK>` (any token
    not in the vocabulary), `<S>` and `</S>` (start and end of a decoded
    sequence); the learned tokens follow, most frequent first (ties in
    alphabetical order, so a vocabulary is the same on every run). Text is
    split into characters, at whitespace, or at whitespace and around
    punctuation (`"Hola, Tom."` → `hola , tom .`); the same split runs in Python
    (`encode`, for training pipelines) and in TensorFlow ops
    (`encode_tensor`, for exported graphs that take raw strings). Text that
    spells a reserved token (`"<S>"`) never gets its id.

    `split="subword"` splits words as `"punctuation"` does, then each word
    into WordPiece pieces (`rnn_keras.data.wordpiece`): the longest known
    piece first, continuations prefixed `##` (`"unbelievable"` → `un ##believ
    ##able`), a word with no split into known pieces one `<UNK>`. Its tokens
    are the learned pieces (characters first, then by count), and `decode`
    joins them back into words. Learning a subword vocabulary and
    `encode_tensor` need TensorFlow Text (`pip install "rnn-keras[subword]"`),
    and so does loading an exported graph that holds its ops (import
    `tensorflow_text` first; `rnn_keras.export.load_saved_model` does);
    `encode`, `decode` and `decode_tensor` do not.

    A vocabulary is plain data (`get_config` / `from_config`): trained
    models keep it beside the weights so that prediction sees the same ids.

    Args:
        tokens: `list` of `str.` The learned tokens, without the reserved
            ones.
        split: `"character"`, `"whitespace"`, `"punctuation"` or
            `"subword"`. Defaults to `"whitespace"`.
        lowercase: `bool.` Lower-case text before splitting. Defaults to
            `False`.

    Example:

    ```python
    vocabulary = Vocabulary.build(["the cat", "the dog"], split="whitespace")
    vocabulary.encode("the bird")   # [4, 1]: "bird" is <UNK>
    vocabulary.decode([4, 5, 3])    # "the cat"
    ```
    """

    def __init__(self, tokens, split="whitespace", lowercase=False):
        check_one_of("split", split, SPLITS)
        tokens = list(tokens)
        clashes = sorted(set(tokens) & set(RESERVED))
        if clashes:
            raise ValueError(
                f"Invalid value for argument `tokens`. Expected no reserved tokens "
                f"{RESERVED}. Received: {clashes}"
            )
        if len(set(tokens)) != len(tokens):
            raise ValueError("Invalid value for argument `tokens`. Expected unique tokens.")
        self.tokens = tokens
        self.split = split
        self.lowercase = bool(lowercase)
        self.id_to_token = list(RESERVED) + tokens
        self.token_to_id = {token: i for i, token in enumerate(self.id_to_token)}
        self._table = None
        self._wordpiece = None
        self._tokenizer = None

    @classmethod
    def build(cls, texts, split="whitespace", lowercase=False, max_tokens=None, min_count=1):
        """Learns a vocabulary from an iterable of texts (or token lists).

        Args:
            texts: iterable of `str` (split by `split`) or of token lists
                (of words, with `split="subword"`).
            split, lowercase: as in the constructor.
            max_tokens: `int` or `None.` Keep at most this many learned
                tokens (the reserved four not counted). With
                `split="subword"`, the number of pieces TensorFlow Text's
                WordPiece learner aims at and the most kept; `None` aims at
                `rnn_keras.data.wordpiece.DEFAULT_PIECES` (8000). Defaults
                to `None`.
            min_count: `int.` Drop tokens seen fewer times (subwords: pieces
                seen fewer times are not learned; every character is kept).
                Defaults to `1`.

        Returns:
            The learned `Vocabulary`.
        """
        if max_tokens is not None:
            check_positive_int("max_tokens", max_tokens)
        check_positive_int("min_count", min_count)
        vocabulary = cls([], split=split, lowercase=lowercase)
        if split == "subword":
            words = collections.Counter()
            for text in texts:
                words.update(vocabulary.words(text))
            pieces = wordpiece.learn_wordpiece(words, max_tokens, min_count, RESERVED)
            return cls(pieces, split=split, lowercase=lowercase)
        counts = collections.Counter()
        for text in texts:
            counts.update(vocabulary.tokenize(text))
        for token in RESERVED:
            counts.pop(token, None)
        ranked = sorted(
            (token for token, count in counts.items() if count >= min_count),
            key=lambda token: (-counts[token], token),
        )
        return cls(ranked[:max_tokens], split=split, lowercase=lowercase)

    def __len__(self):
        return len(self.id_to_token)

    @property
    def size(self):
        """`int.` Number of ids, the reserved four included."""
        return len(self.id_to_token)

    def tokenize(self, text):
        """Splits a string into tokens (a list of tokens passes through).

        Args:
            text: `str`, or a `list` of tokens (of words with
                `split="subword"`, each split into pieces).

        Returns:
            `list` of `str`: the tokens; subwords: the pieces, `"<UNK>"`
            for a word that cannot be split.
        """
        words = self.words(text)
        if self.split != "subword":
            return words
        if self._wordpiece is None:
            self._wordpiece = wordpiece.WordPiece(self.tokens, unknown=UNK)
        return [piece for word in words for piece in self._wordpiece.split(word)]

    def words(self, text):
        """The split of a string before subwords: `tokenize` but for `split="subword"`.

        Args:
            text: `str`, or a `list` of tokens (passed through).

        Returns:
            `list` of `str`: characters, or words (split at punctuation too
            with `split="punctuation"` or `"subword"`), lower-cased with
            `lowercase`.
        """
        if not isinstance(text, str):
            return [t.lower() for t in text] if self.lowercase else list(text)
        if self.lowercase:
            text = text.lower()
        if self.split == "character":
            return list(text)
        if self.split in ("punctuation", "subword"):
            text = re.sub(PUNCTUATION, r" \1 ", text)
        return text.split()

    def encode(self, text, add_start=False, add_end=False):
        """Token ids of one text (a `str` or a token list).

        Args:
            text: `str` or `list` of tokens (see `tokenize`).
            add_start: `bool.` Put `<S>` first. Defaults to `False`.
            add_end: `bool.` Put `</S>` last. Defaults to `False`.

        Returns:
            `list` of `int`: the ids, `<UNK>` for unknown tokens and for
            tokens that spell a reserved one (`"<S>"`).
        """
        ids = (self.token_to_id.get(token, UNK_ID) for token in self.tokenize(text))
        ids = [i if i >= len(RESERVED) else UNK_ID for i in ids]
        return [START_ID] * add_start + ids + [END_ID] * add_end

    def decode(self, ids, join=None):
        """The text of `ids`, stopping at the first end token, padding skipped.

        Args:
            ids: iterable of `int.`
            join: `str` between tokens. Defaults to `""` for characters and
                `" "` for words. Subwords: between words; continuations
                (`##` pieces) are attached to the piece before them.

        Returns:
            `str`: the text.
        """
        if join is None:
            join = "" if self.split == "character" else " "
        tokens = []
        for i in ids:
            i = int(i)
            if i == END_ID:
                break
            if i in (PAD_ID, START_ID):
                continue
            tokens.append(self.id_to_token[i] if 0 <= i < self.size else UNK)
        if self.split != "subword":
            return join.join(tokens)
        text = re.sub(JOIN_PIECES, "", " ".join(tokens))
        return text if join == " " else join.join(text.split(" "))

    def encode_tensor(self, texts):
        """Ids of a batch of strings in TensorFlow ops (for exported graphs).

        Args:
            texts: `(batch,)` string tensor.

        Returns:
            `(batch, length)` int32 ids, padded with 0.
        """
        texts = tf.convert_to_tensor(texts, tf.string)
        if self.lowercase:
            texts = tf.strings.lower(texts, encoding="utf-8")
        if self.split == "character":
            pieces = tf.strings.unicode_split(texts, "UTF-8")
        else:
            if self.split in ("punctuation", "subword"):
                texts = tf.strings.regex_replace(texts, PUNCTUATION, r" \1 ")
            pieces = split_words_tensor(texts)
        if self.split == "subword":
            ids = self.wordpiece_tokenizer().tokenize(pieces).merge_dims(1, 2)
        else:
            ids = self.lookup_table().lookup(pieces)
        return tf.cast(ids.to_tensor(0), tf.int32)

    def decode_tensor(self, ids):
        """Strings from `(batch, length)` ids in TensorFlow ops; stops at `</S>`."""
        ids = tf.convert_to_tensor(ids, tf.int32)
        ended = tf.cumsum(tf.cast(tf.equal(ids, END_ID), tf.int32), axis=1) > 0
        known = (ids >= 0) & (ids < self.size)
        keep = tf.not_equal(ids, PAD_ID) & tf.not_equal(ids, START_ID) & ~ended
        tokens = tf.gather(tf.constant(self.id_to_token), tf.where(known, ids, UNK_ID))
        tokens = tf.ragged.boolean_mask(tokens, keep)
        texts = tf.strings.reduce_join(
            tokens, axis=1, separator="" if self.split == "character" else " "
        )
        if self.split == "subword":
            texts = tf.strings.regex_replace(texts, JOIN_PIECES, "")
        return texts

    def lookup_table(self):
        """A `tf.lookup.StaticHashTable` from token to id (`<UNK>` default)."""
        if self._table is None:
            self._table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(
                    tf.constant(self.id_to_token[len(RESERVED) :], tf.string),
                    tf.range(len(RESERVED), self.size, dtype=tf.int64),
                ),
                default_value=UNK_ID,
            )
        return self._table

    def wordpiece_tokenizer(self):
        """The `tensorflow_text.FastWordpieceTokenizer` of `split="subword"` (for `encode_tensor`).

        Its ids are this vocabulary's; the reserved tokens are spelt with a
        space first, which no word holds, so that words split into learned
        pieces only, as `encode` splits them (a word `"<S>"` never becomes
        the start id).

        Returns:
            A `FastWordpieceTokenizer` mapping `(batch, words)` strings to
            `(batch, words, pieces)` int64 ids.

        Raises:
            ImportError: TensorFlow Text is not installed.
        """
        if self._tokenizer is None:
            vocabulary = [f" {token}" for token in RESERVED] + self.tokens
            self._tokenizer = wordpiece.fast_wordpiece_tokenizer(vocabulary, f" {UNK}")
        return self._tokenizer

    def get_config(self):
        return {"tokens": self.tokens, "split": self.split, "lowercase": self.lowercase}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def split_words_tensor(texts):
    """`tf.strings.split` at the whitespace `str.split()` splits at (`WHITESPACE`)."""
    return tf.strings.split(tf.strings.regex_replace(texts, WHITESPACE, " "))
