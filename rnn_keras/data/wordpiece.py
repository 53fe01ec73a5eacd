"""WordPiece subwords for `Vocabulary(split="subword")`: learning, and the split in Python and TF.

Words (split as `split="punctuation"` splits them) are cut into the
longest pieces of the vocabulary, left to right; a piece that continues a
word is spelt with the prefix `##` (`"unbelievable"` → `un ##believ
##able`), and a word that cannot be cut into known pieces becomes one
`<UNK>`. TensorFlow Text (`pip install "rnn-keras[subword]"`) learns the
pieces and runs the split in exported graphs (`FastWordpieceTokenizer`);
`WordPiece` runs the same greedy longest-match-first split in Python, so
training and prediction need no TensorFlow op per text.

TensorFlow Text is imported here only when a subword vocabulary is learned
or split in a graph, so the rest of the package never needs it.
"""

import tensorflow as tf

# The prefix of a piece that continues a word.
SUFFIX = "##"
# Longer words become one `<UNK>` (`FastWordpieceTokenizer`'s default limit).
MAX_BYTES_PER_WORD = 100
# The number of pieces learned when `max_tokens` is `None`: BERT-like
# vocabularies are 30k pieces for large corpora; 8k suits the
# ten-to-a-hundred-thousand-sentence corpora this package trains on.
DEFAULT_PIECES = 8000
# Pieces longer than this many characters are not learned (the learner's default).
MAX_PIECE_LENGTH = 50
# Words kept in a Python split's cache before it is emptied.
CACHE_SIZE = 1 << 20


def import_tensorflow_text():
    """The `tensorflow_text` module, or an `ImportError` saying how to install it.

    Returns:
        The imported `tensorflow_text` module.

    Raises:
        ImportError: TensorFlow Text is not installed.
    """
    try:
        import tensorflow_text
    except ImportError as error:
        raise ImportError(
            "Invalid value for argument `tokenize`: 'subword' needs TensorFlow Text, which is "
            'not installed; install it with `pip install "rnn-keras[subword]"` '
            f"(a tensorflow-text of the same minor version as tensorflow). Received: {error}"
        ) from None
    return tensorflow_text


def learn_wordpiece(word_counts, max_pieces=None, min_count=1, reserved=()):
    """Learns WordPiece pieces from word counts with TensorFlow Text's learner.

    The learner (`tensorflow_text.tools.wordpiece_vocab`, the one
    `bert_vocab_from_dataset` runs after BERT's own word split) keeps every
    character, as a word start and as a continuation (`a`, `##a`), so that
    any word of known characters splits; then the substrings seen at
    least a threshold number of times, the threshold searched so that the
    vocabulary comes near `max_pieces`. Words are given most frequent first
    (ties in alphabetical order), so the pieces are the same on every run.

    Args:
        word_counts: `dict` from word (`str`) to its count.
        max_pieces: `int` or `None.` The most pieces returned: the learner
            aims at this size, and pieces beyond it (rarest last) are cut,
            so that a cap below the number of characters holds too.
            Defaults to `None`: `DEFAULT_PIECES`.
        min_count: `int.` The lowest threshold tried: substrings seen
            fewer times are not learned (characters are kept). Defaults to
            `1`.
        reserved: `str`s that must not be pieces (the vocabulary's reserved
            tokens): words equal to one are not counted, and pieces equal
            to one are dropped. Defaults to `()`.

    Returns:
        `list` of `str`: the pieces, characters first, then by count.
    """
    import_tensorflow_text()
    from tensorflow_text.tools.wordpiece_vocab import wordpiece_tokenizer_learner_lib

    max_pieces = DEFAULT_PIECES if max_pieces is None else max_pieces
    reserved = list(reserved)
    counts = sorted(
        ((word, count) for word, count in word_counts.items() if word and word not in reserved),
        key=lambda item: (-item[1], item[0]),
    )
    if not counts:
        return []
    vocabulary = wordpiece_tokenizer_learner_lib.learn(
        counts,
        vocab_size=max_pieces + len(reserved),
        reserved_tokens=reserved,
        lower_thresh=min_count,
        max_token_length=MAX_PIECE_LENGTH,
        joiner=SUFFIX,
    )
    return [piece for piece in vocabulary if piece not in reserved][:max_pieces]


def fast_wordpiece_tokenizer(vocabulary, unknown_token):
    """A `tensorflow_text.FastWordpieceTokenizer` that splits pre-split words as `WordPiece` does.

    Made outside any graph being traced (its model is an eager constant
    that graphs capture), so one tokenizer serves every traced function.

    Args:
        vocabulary: `list` of `str`: the pieces by id (`unknown_token`
            among them).
        unknown_token: `str.` The token of words that cannot be split.

    Returns:
        A `FastWordpieceTokenizer` with `no_pretokenization=True` and int64
        ids: `tokenize` maps `(..., words)` strings to `(..., words, pieces)`
        ids.
    """
    text = import_tensorflow_text()
    with tf.init_scope():
        return text.FastWordpieceTokenizer(
            vocab=list(vocabulary),
            suffix_indicator=SUFFIX,
            max_bytes_per_word=MAX_BYTES_PER_WORD,
            token_out_type=tf.int64,
            unknown_token=unknown_token,
            no_pretokenization=True,
        )


class WordPiece:
    """The greedy longest-match-first WordPiece split of words, in Python.

    The split `FastWordpieceTokenizer` makes (`no_pretokenization=True`):
    from the start of a word, the longest piece in the vocabulary (looked
    up as it is at the word's start, with the prefix `##` after it), then
    again from where it ended; a word with a rest no piece matches, or of
    more than `MAX_BYTES_PER_WORD` UTF-8 bytes, becomes `[unknown]`. Splits
    are cached per word.

    Args:
        pieces: iterable of `str.` The pieces a word may be split into.
        unknown: `str.` What a word that cannot be split becomes.

    Example:

    ```python
    wordpiece = WordPiece(["un", "##believ", "##able"], unknown="<UNK>")
    wordpiece.split("unbelievable")   # ["un", "##believ", "##able"]
    wordpiece.split("believable")     # ["<UNK>"]
    ```
    """

    def __init__(self, pieces, unknown):
        self.pieces = frozenset(pieces)
        self.unknown = unknown
        self.longest = max(map(len, self.pieces), default=0)
        self._cache = {}

    def split(self, word):
        """The pieces of one word (`str`, no whitespace in it).

        Args:
            word: `str.` One word.

        Returns:
            `list` of `str`: its pieces, or `[unknown]`.
        """
        pieces = self._cache.get(word)
        if pieces is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            pieces = self._cache[word] = self._split(word)
        return pieces

    def _split(self, word):
        if len(word.encode("utf-8")) > MAX_BYTES_PER_WORD:
            return [self.unknown]
        pieces = []
        start = 0
        while start < len(word):
            for end in range(min(len(word), start + self.longest), start, -1):
                piece = word[start:end] if start == 0 else SUFFIX + word[start:end]
                if piece in self.pieces:
                    break
            else:
                return [self.unknown]
            pieces.append(piece)
            start = end
        return pieces
