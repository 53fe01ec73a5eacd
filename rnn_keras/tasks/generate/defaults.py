"""The generate task's data profile and the options it resolves.

The rules are the tiny-shakespeare language model's (`benchmarks/README.md`:
character LSTM-256, learning rate 0.003; 2.24 bits per character in 20
minutes). Text that is natural language with a large vocabulary is still
read by characters: a word model has no way to spell a word it never saw.
"""

from rnn_keras.profile import text_profile
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason

# Below this many characters 256 units memorise the text: 128.
SMALL_TEXT = 100_000


def profile(splits):
    lines = [line for line in splits["train"].splitlines() if line.strip()]
    valid = splits.get("validation")
    data = text_profile(lines, valid.splitlines() if valid else None)
    return {"total_characters": len(splits["train"]), **data}


def data_defaults(profile):
    n = profile["total_characters"]
    size = size_reason(n, "characters")
    return [
        Default("tokenize", "character", "a character model writes any word"),
        Default("units", 128 if n < SMALL_TEXT else 256, size),
        Default("embedding_dim", 64, "tiny-shakespeare recipe"),
        Default("learning_rate", 3e-3, "tiny-shakespeare recipe"),
        Default("epochs", 50, "tiny-shakespeare recipe: early stopping ends it"),
        Default("patience", 3, "tiny-shakespeare recipe"),
    ]
