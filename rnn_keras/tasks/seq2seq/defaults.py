"""The seq2seq task's data profile and the options it resolves.

Natural language gets the spa-eng translator's recipe (`benchmarks/README.md`:
words with punctuation split off, GRU-256, beam 4; on spa-eng sacreBLEU 19.5
cased and 28.0 lower-cased (27.1 with the old lower-cased, punctuation-split
BLEU), and 13.1 against 0.0 with the fixed defaults on 8k English-Vietnamese
pairs, issue 21, old BLEU). Symbol strings (dates, sums, codes) keep the fixed defaults, the
date normaliser's: characters, 64 units.
"""

from rnn_keras.profile import text_profile
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason

# The recipe was measured from 8k pairs (English-Vietnamese) to 107k
# (spa-eng); below this many pairs, smaller batches and more epochs give a
# few thousand updates, and below `SMALL_DATA` 128 units.
LARGE_DATA = 5000
SMALL_DATA = 2000


def profile(splits):
    train = splits["train"]
    valid = splits.get("validation")
    sides = {}
    for side, index in (("source", 0), ("target", 1)):
        sides[side] = text_profile(
            [pair[index] for pair in train], [pair[index] for pair in valid] if valid else None
        )
    return {"examples": len(train), **sides}


def data_defaults(profile):
    source, target = profile["source"], profile["target"]
    if source["kind"] != "language" or target["kind"] != "language":
        return [Default(
            "tokenize", "character",
            f"symbol strings (word share {source['word_share']} / {target['word_share']}): "
            "characters")]
    n = profile["examples"]
    size = size_reason(n, "pairs")
    return [
        Default("tokenize", "punctuation", f"natural language (word share "
                f"{source['word_share']} / {target['word_share']}): words, punctuation "
                "split off"),
        Default("lowercase", True, "natural language: case folded (spa-eng recipe)"),
        Default("max_tokens", 8000, "spa-eng recipe: the 8,000 most frequent words per side"),
        Default("min_count", 2 if n >= LARGE_DATA else 1, size),
        Default("cell", "gru", "spa-eng recipe: GRU"),
        Default("units", 128 if n < SMALL_DATA else 256, size),
        Default("embedding_dim", 128, "spa-eng recipe"),
        Default("beam_width", 4, "beam search 4 for evaluation and prediction"),
        Default("learning_rate", 3e-3, "spa-eng recipe"),
        Default("batch_size", 128 if n >= LARGE_DATA else 64, size),
        Default("epochs", 10 if n >= LARGE_DATA else 20, size),
        Default("patience", 2 if n >= LARGE_DATA else 3, size),
    ]
